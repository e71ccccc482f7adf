//! Everything checked about a request before any work, in the one place every transport
//! passes through (HTTP, the websocket, the command line), outside the schema so that no
//! schema extension costs time on every field: the document's length and nesting on its
//! text, before it is parsed; its syntax; the measure of the operation it runs (see
//! [`super::analysis`]); introspection when it is switched off; and the variables' values.
//! [`cost`] does it once and leaves the outcome in the request for [`super::run`].

use std::any::TypeId;

use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{Request, ServerError};

use super::analysis::{self, MAX_NESTING, Measure, refusal};
use super::error::{self, code};
use super::flat::Plans;
use super::parse_cache::{self, Validated};
use super::{persisted, switches, variables};
use crate::app::Config;

/// What a request will cost, found from its document alone, before any work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cost {
    /// The complexity of the operation it runs (each field 1, times the items of the lists
    /// it is in); 0 for a request that is refused before any work.
    pub complexity: usize,
    /// The type of the operation it runs; `None` for a request refused before any work.
    pub operation: Option<OperationType>,
}

/// The cost of `request` under `config`'s limits, after every check before work; parses
/// the document into the request (`Request::parsed_query`, so it is parsed once) and
/// leaves the outcome in it. A request refused by a check costs 0: it will not run.
pub fn cost(request: &mut Request, config: &Config) -> Cost {
    let result = check_request(request, config);
    let cost = match &result {
        Ok((measure, operation, _)) => Cost {
            complexity: usize::try_from(measure.complexity).unwrap_or(usize::MAX),
            operation: *operation,
        },
        Err(_) => Cost::default(),
    };
    request.data.insert(Checked {
        result: result.map(|(_, _, validated)| validated),
    });
    cost
}

/// The type of the operation `doc` runs under `name` (or its only one), if it names one.
pub fn operation_type(doc: &ExecutableDocument, name: Option<&str>) -> Option<OperationType> {
    analysis::operation(doc, name).map(|op| op.ty)
}

/// The document of `request`, parsed into it, when its text is within the limits on
/// length and nesting and it parses: so a transport can look at it without risking the
/// parser on a hostile text.
pub fn parsed<'a>(request: &'a mut Request, config: &Config) -> Option<&'a ExecutableDocument> {
    persisted::resolve(request).ok()?;
    if request.data.contains_key(&TypeId::of::<Checked>()) {
        // Checked, so parsed if its text passed.
        check_text(&request.query, config).ok()?;
    } else {
        // Not checked yet, so not parsed yet: parse it once, or copy it from the cache.
        let parsed = checked_parse(&request.query, config).ok()?;
        request.set_parsed_query(parsed.doc);
    }
    request.parsed_query().ok()
}

/// The outcome of the checks, left in a request's data by [`cost`] so that they are not
/// done twice.
struct Checked {
    result: Result<Validated, ServerError>,
}

/// The outcome of the checks of `request`: the one [`cost`] left, or found now; when it
/// passed, whether its document has passed the validator before.
pub(crate) fn checked(request: &mut Request, config: &Config) -> Result<Validated, ServerError> {
    let earlier = request
        .data
        .get(&TypeId::of::<Checked>())
        .and_then(|c| c.downcast_ref::<Checked>())
        .map(|c| c.result.clone());
    match earlier {
        Some(result) => result,
        None => check_request(request, config).map(|(_, _, validated)| validated),
    }
}

/// Finds the document of a persisted query, then checks the request's text, its syntax,
/// the operation it runs, introspection and the variables, in that order; the parsed
/// document is left in the request. Answers the operation's measure and type, and whether
/// the document has passed the validator.
fn check_request(
    request: &mut Request,
    config: &Config,
) -> Result<(Measure, Option<OperationType>, Validated), ServerError> {
    persisted::resolve(request)?;
    let parse_cache::Parsed {
        doc,
        validated,
        memo,
        plans,
    } = checked_parse(&request.query, config)?;
    let name = request.operation_name.as_deref();
    let measure = analysis::check(&doc, name, &request.variables, config, &memo)?;
    if !config.introspection {
        switches::refuse_introspection(&doc)?;
    }
    if let Some(error) = variables::check(&doc, name, &request.variables) {
        return Err(error::with_code(error, code::BAD_USER_INPUT));
    }
    let operation = operation_type(&doc, name);
    request.set_parsed_query(doc);
    // async-graphql drops the fields `@skip` and `@include` leave out before it runs the
    // operation, so the selections of a document with directives depend on the variables:
    // its plans hold for this request alone.
    request.data.insert(match measure.directives {
        0 => plans,
        _ => Plans::default(),
    });
    Ok((measure, operation, validated))
}

/// The document `query` parses to, when its text is within the limits ([`check_text`]): a
/// copy of the one kept from an earlier request, whose text passed the same checks, or
/// parsed now. Its length is checked every time, because the limit is the server's own.
fn checked_parse(query: &str, config: &Config) -> Result<parse_cache::Parsed, ServerError> {
    check_length(query, config)?;
    if let Some(parsed) = parse_cache::cached(query) {
        return Ok(parsed);
    }
    check_nesting(query)?;
    parse_cache::parse_new(query).map_err(error::parse_failure)
}

/// Refuses a document longer than `max_document_chars`, or nesting brackets deeper than
/// the parser can safely follow, before it is parsed.
pub(crate) fn check_text(query: &str, config: &Config) -> Result<(), ServerError> {
    check_length(query, config)?;
    check_nesting(query)
}

/// Refuses a document longer than `max_document_chars`.
fn check_length(query: &str, config: &Config) -> Result<(), ServerError> {
    let max = config.max_document_chars;
    if query.len() > max {
        let chars = query.chars().count();
        if chars > max {
            return Err(refusal(
                code::DOCUMENT_TOO_LARGE,
                format!(
                    "the document is {chars} characters long; at most {max} are allowed \
                     (`max_document_chars`)"
                ),
                None,
            ));
        }
    }
    Ok(())
}

/// Refuses brackets nested deeper than the parser can safely follow.
fn check_nesting(query: &str) -> Result<(), ServerError> {
    let nesting = nesting(query);
    if nesting > MAX_NESTING {
        return Err(refusal(
            code::MAX_DEPTH_EXCEEDED,
            format!(
                "the document nests brackets {nesting} levels deep; at most {MAX_NESTING} are \
                 allowed"
            ),
            None,
        ));
    }
    Ok(())
}

/// The deepest nesting of `{`, `[` and `(` in a GraphQL text, outside strings and comments.
fn nesting(text: &str) -> usize {
    let b = text.as_bytes();
    let (mut i, mut depth, mut deepest) = (0, 0usize, 0usize);
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if b[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < b.len() && !b[i..].starts_with(b"\"\"\"") {
                    i += if b[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_measures_the_chosen_operation_with_its_variables() {
        let config = Config::default();
        let q = "query A($n: Int = 5) { countries(first: $n) { edges { node { id } } } }
                 query B { stats { entities } }";
        let request = |name: &str, vars: serde_json::Value| {
            Request::new(q)
                .operation_name(name)
                .variables(async_graphql::Variables::from_json(vars))
        };
        // countries 1 + edges 1 + 10 × (node 1 + id 1).
        let mut a = request("A", serde_json::json!({ "n": 10 }));
        assert_eq!(cost(&mut a, &config).complexity, 22);
        assert!(a.parsed_query().is_ok());
        let mut default = request("A", serde_json::json!({}));
        assert_eq!(cost(&mut default, &config).complexity, 12);
        let mut b = request("B", serde_json::json!({}));
        assert_eq!(cost(&mut b, &config).complexity, 2);
        // A fragment costs as its fields would in its place: the page reaches into it.
        let mut spread = Request::new(
            "{ countries(first: 10) { ...C } } fragment C on CountryConnection { edges { ...E } }
             fragment E on CountryEdge { node { id } }",
        );
        assert_eq!(cost(&mut spread, &config).complexity, 22);
        let mut broken = Request::new("{ countries(first: 10) { ");
        assert_eq!(cost(&mut broken, &config).complexity, 0);
        // What the limits refuse costs nothing: it is refused before any work.
        let mut huge = Request::new("{ countries(first: 99999999) { totalCount } }");
        assert_eq!(cost(&mut huge, &config).complexity, 0);
    }

    #[test]
    fn a_measure_is_kept_only_for_its_operation_and_settings() {
        let config = Config::default();
        let q = "query Paged($n: Int) { statements(first: $n) { nodes { id } } }
                 query Plain { statements { nodes { id name } } }";
        let cost_of = |name: &str, vars: serde_json::Value, config: &Config| {
            let mut r = Request::new(q)
                .operation_name(name)
                .variables(async_graphql::Variables::from_json(vars));
            cost(&mut r, config).complexity
        };
        // Plain reads no variable: its measure is kept, and used again.
        let default_page = config.default_page_size;
        assert_eq!(
            cost_of("Plain", serde_json::json!({}), &config),
            2 + 2 * default_page
        );
        assert_eq!(
            cost_of("Plain", serde_json::json!({}), &config),
            2 + 2 * default_page
        );
        // Not for another operation of the document, which reads its variable each time.
        assert_eq!(
            cost_of("Paged", serde_json::json!({ "n": 3 }), &config),
            2 + 3
        );
        assert_eq!(
            cost_of("Paged", serde_json::json!({ "n": 7 }), &config),
            2 + 7
        );
        // Nor under other settings.
        let small = Config {
            default_page_size: 4,
            ..Config::default()
        };
        assert_eq!(cost_of("Plain", serde_json::json!({}), &small), 2 + 2 * 4);
        assert_eq!(
            cost_of("Plain", serde_json::json!({}), &config),
            2 + 2 * default_page
        );
    }

    #[test]
    fn the_limits_examples_fall_either_side_of_the_default() {
        let config = Config::default();
        let measure = |q: &str| {
            let mut r = Request::new(q);
            check_request(&mut r, &config).map(|(m, _, _)| m.complexity)
        };
        let pages = measure(
            "{ countries(first: 100) { totalCount pageInfo { hasNextPage endCursor }
               edges { cursor node { id name code aliases description
                 relations(first: 100) { totalCount edges { cursor node {
                   id kind label outgoing other { id name kind } } } } } } } }",
        );
        assert!(pages.as_ref().is_ok_and(|c| *c < 250_000), "{pages:?}");
        let hood = measure(
            "{ view: neighborhood(ids: [\"country:jp\"], depth: 4, limit: 2000) { ...G }
               more: neighborhood(ids: [\"country:us\"], limit: 2000) { ...G } }
             fragment G on Subgraph { truncated nodes { id kind label depth }
               edges { id kind source target label } }",
        );
        assert!(hood.as_ref().is_ok_and(|c| *c < 100_000), "{hood:?}");
        let fourth = measure(
            "{ countries(first: 100) { nodes { relations(first: 100) { nodes { other {
               relations(first: 100) { nodes { other { relations(first: 100) {
               nodes { id } } } } } } } } } } }",
        );
        assert!(
            fourth
                .as_ref()
                .is_err_and(|e| e.message.contains("complexity")),
            "{fourth:?}"
        );
    }

    #[test]
    fn nesting_counts_brackets_outside_strings_and_comments() {
        assert_eq!(nesting("{ a { b(c: [1]) } }"), 4);
        assert_eq!(nesting(r#"{ a(t: "{{{{\"{{") }"#), 2);
        assert_eq!(nesting("{ a(t: \"\"\"{{{\\\"\"\"{{{\"\"\") }"), 2);
        assert_eq!(nesting("# {{{{{\n{ a }"), 1);
        assert_eq!(nesting(&"{".repeat(10_000)), 10_000);
    }

    #[test]
    fn deep_nesting_is_refused_before_the_parser_sees_it() {
        let config = Config::default();
        let deep = format!("{}{}", "{".repeat(7_000), "}".repeat(7_000));
        let mut request = Request::new(deep);
        let e = check_request(&mut request, &config).err();
        assert!(
            e.as_ref()
                .is_some_and(|e| e.message.contains("7000 levels")),
            "{e:?}"
        );
        // At the bound and one past it, in nested list values (which the parser follows
        // on its stack).
        let lists = |n: usize| format!("{{ a(x: {}1{}) }}", "[".repeat(n - 2), "]".repeat(n - 2));
        assert!(check_text(&lists(MAX_NESTING), &config).is_ok());
        let past = check_text(&lists(MAX_NESTING + 1), &config).err();
        assert!(
            past.as_ref()
                .is_some_and(|e| e.message.contains("129 levels")),
            "{past:?}"
        );
        let long = format!("{}{}", "{".repeat(10_000), "}".repeat(10_000));
        let e = check_text(&long, &config).err();
        assert!(
            e.as_ref()
                .is_some_and(|e| e.message.contains("20000 characters")),
            "{e:?}"
        );
    }
}

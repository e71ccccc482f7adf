//! What an operation asks for, read from its document alone before any work: how deep
//! its data fields nest, its aliases, root fields and directives, and its complexity (each
//! field 1, times the items of every list it is in). Fragments are measured once each, so
//! a document that spreads fragments into each other cannot make the measure slow, and a
//! fragment that spreads itself is refused.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::OnceLock;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Field, OperationDefinition, OperationType, Selection,
    SelectionSet,
};
use async_graphql::{Name, Pos, Positioned, ServerError, Value, Variables};

use super::error::code;
use super::shape::{Shapes, shapes};
use crate::app::Config;

/// The most levels of brackets and fragment spreads a document may nest; deeper cannot be
/// a query a person wrote, and would cost the parser its stack.
pub(crate) const MAX_NESTING: usize = 128;
/// How many times introspection may go round from types to their fields (or inputs,
/// interfaces, possible types) and back; GraphiQL's own query goes once.
pub(crate) const MAX_INTROSPECTION_ROUNDS: usize = 3;
/// The items a list without a page or a `limit` is costed at.
pub(crate) const LIST_ITEMS: u64 = 20;

/// The introspection fields that go from a type to more types.
const ROUND_FIELDS: &[&str] = &["fields", "inputFields", "interfaces", "possibleTypes"];

/// What one operation asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Measure {
    /// Data fields on the deepest path.
    pub depth: usize,
    /// Aliased fields in the operation (a fragment's at each place it is spread), not
    /// multiplied by the lists they are in.
    pub aliases: u64,
    /// Fields at the operation's root.
    pub root_fields: u64,
    /// Directives in the whole document.
    pub directives: u64,
    /// Fields times the items of the lists they are in.
    pub complexity: u64,
}

/// A document's measure, kept with the document for the operation and the settings it
/// was taken under when no variable's value went into it: a client sends the same
/// document again and again, and measuring it is a few thousand instructions of every
/// request. The first measure that may be kept is; a document measured for another
/// operation or other settings is measured each time.
#[derive(Debug, Default)]
pub(crate) struct Memo(OnceLock<(MemoKey, Measure)>);

/// What a kept measure holds for: the operation's name, and the settings a measure reads.
#[derive(Debug, PartialEq, Eq)]
struct MemoKey {
    operation: Option<String>,
    settings: [usize; 5],
}

impl MemoKey {
    fn new(operation: Option<&str>, config: &Config) -> Self {
        MemoKey {
            operation: operation.map(str::to_string),
            settings: Self::settings(config),
        }
    }

    fn settings(config: &Config) -> [usize; 5] {
        [
            config.max_directives_per_field,
            config.max_page_size,
            config.default_page_size,
            config.max_neighborhood_nodes,
            config.max_paths,
        ]
    }

    fn is(&self, operation: Option<&str>, config: &Config) -> bool {
        self.operation.as_deref() == operation && self.settings == Self::settings(config)
    }
}

/// The measure of the selected operation, or the first limit it breaks, as an error with
/// its code. A document whose operation cannot be chosen measures nothing: validation
/// refuses it. A measure `memo` keeps for the same operation and settings is used as it
/// is; one that reads no variable is kept there.
pub(crate) fn check(
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
    config: &Config,
    memo: &Memo,
) -> Result<Measure, ServerError> {
    let measure = match memo.0.get() {
        Some((key, measure)) if key.is(operation_name, config) => *measure,
        _ => {
            let (measure, read_variables) = measure(doc, operation_name, variables, config)?;
            if !read_variables {
                let _ = memo.0.set((MemoKey::new(operation_name, config), measure));
            }
            measure
        }
    };
    let limits: [(u64, usize, &str, &'static str, &str); 5] = [
        (
            measure.depth as u64,
            config.max_query_depth,
            "max_query_depth",
            code::MAX_DEPTH_EXCEEDED,
            "the query nests data fields {value} deep; at most {max} levels are allowed",
        ),
        (
            measure.aliases,
            config.max_aliases,
            "max_aliases",
            code::TOO_MANY_ALIASES,
            "the operation has {value} aliased fields; at most {max} are allowed",
        ),
        (
            measure.root_fields,
            config.max_root_fields,
            "max_root_fields",
            code::TOO_MANY_ROOT_FIELDS,
            "the operation selects {value} root fields; at most {max} are allowed",
        ),
        (
            measure.directives,
            config.max_directives,
            "max_directives",
            code::TOO_MANY_DIRECTIVES,
            "the document has {value} directives; at most {max} are allowed",
        ),
        (
            measure.complexity,
            config.max_complexity,
            "max_complexity",
            code::COMPLEXITY_EXCEEDED,
            "the operation's complexity is {value}; at most {max} is allowed: ask for \
             smaller pages or fewer nested lists",
        ),
    ];
    for (value, max, key, code, text) in limits {
        if value > max as u64 {
            let message = text
                .replace("{value}", &value.to_string())
                .replace("{max}", &max.to_string());
            return Err(refusal(code, format!("{message} (`{key}`)"), None));
        }
    }
    Ok(measure)
}

/// An error with its code.
pub(crate) fn refusal(code: &'static str, message: String, pos: Option<Pos>) -> ServerError {
    let mut error = ServerError::new(message, pos);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", code);
    error.extensions = Some(extensions);
    error
}

/// Measures the selected operation without judging it, except for what makes measuring
/// impossible or pointless: nesting past [`MAX_NESTING`], a fragment cycle, introspection
/// going round more than [`MAX_INTROSPECTION_ROUNDS`] times, a page over the cap, a field
/// with more directives than allowed. With the measure, whether a variable's value (or
/// default) went into it.
fn measure(
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
    config: &Config,
) -> Result<(Measure, bool), ServerError> {
    let directives = count_directives(doc, config.max_directives_per_field)?;
    refuse_fragment_cycles(doc)?;
    let Some(operation) = operation(doc, operation_name) else {
        let measure = Measure {
            directives,
            ..Measure::default()
        };
        return Ok((measure, false));
    };
    let shapes = shapes();
    let root = match operation.ty {
        OperationType::Query => &shapes.query,
        OperationType::Mutation => &shapes.mutation,
        OperationType::Subscription => &shapes.subscription,
    };
    let mut walk = Walk {
        doc,
        shapes,
        config,
        variables,
        operation,
        memo: HashMap::new(),
        read_variables: Cell::new(false),
    };
    let set = walk.selection_set(&operation.selection_set.node, Some(root), Ctx::default(), 1)?;
    let measure = Measure {
        depth: set.depth,
        aliases: set.aliases,
        root_fields: set.fields,
        directives,
        complexity: set.cost,
    };
    Ok((measure, walk.read_variables.get()))
}

/// The operation a request runs, when the document and the name choose one.
pub(crate) fn operation<'a>(
    doc: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<&'a OperationDefinition> {
    match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some(&op.node),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| &op.node),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| &op.node)
        }
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// Counts every directive of the document, refusing a field that carries too many.
fn count_directives(doc: &ExecutableDocument, per_field: usize) -> Result<u64, ServerError> {
    fn set(s: &SelectionSet, per_field: usize, nesting: usize) -> Result<u64, ServerError> {
        if nesting > MAX_NESTING {
            return Err(too_nested(nesting));
        }
        let mut n = 0u64;
        for item in &s.items {
            n += item.node.directives().len() as u64;
            match &item.node {
                Selection::Field(f) => {
                    let own = f.node.directives.len();
                    if own > per_field {
                        return Err(refusal(
                            code::TOO_MANY_DIRECTIVES,
                            format!(
                                "the field `{}` has {own} directives; at most {per_field} are \
                                 allowed on one field (`max_directives_per_field`)",
                                f.node.name.node
                            ),
                            Some(f.pos),
                        ));
                    }
                    n += set(&f.node.selection_set.node, per_field, nesting + 1)?;
                }
                Selection::InlineFragment(i) => {
                    n += set(&i.node.selection_set.node, per_field, nesting + 1)?;
                }
                Selection::FragmentSpread(_) => {}
            }
        }
        Ok(n)
    }
    let mut n = 0u64;
    for (_, op) in doc.operations.iter() {
        n += op.node.directives.len() as u64;
        for v in &op.node.variable_definitions {
            n += v.node.directives.len() as u64;
        }
        n += set(&op.node.selection_set.node, per_field, 1)?;
    }
    for fragment in doc.fragments.values() {
        n += fragment.node.directives.len() as u64;
        n += set(&fragment.node.selection_set.node, per_field, 1)?;
    }
    Ok(n)
}

fn too_nested(nesting: usize) -> ServerError {
    refusal(
        code::MAX_DEPTH_EXCEEDED,
        format!(
            "the document nests more than {MAX_NESTING} levels deep (found at least {nesting})"
        ),
        None,
    )
}

/// Refuses a fragment that spreads itself, directly or through others.
fn refuse_fragment_cycles(doc: &ExecutableDocument) -> Result<(), ServerError> {
    fn spreads<'a>(s: &'a SelectionSet, out: &mut Vec<&'a Name>) {
        for item in &s.items {
            match &item.node {
                Selection::Field(f) => spreads(&f.node.selection_set.node, out),
                Selection::InlineFragment(i) => spreads(&i.node.selection_set.node, out),
                Selection::FragmentSpread(s) => out.push(&s.node.fragment_name.node),
            }
        }
    }
    let edges: HashMap<&Name, Vec<&Name>> = doc
        .fragments
        .iter()
        .map(|(name, f)| {
            let mut out = Vec::new();
            spreads(&f.node.selection_set.node, &mut out);
            (name, out)
        })
        .collect();
    // Depth-first without recursion: 0 unseen, 1 on the path, 2 done.
    let mut state: HashMap<&Name, u8> = HashMap::new();
    for start in edges.keys() {
        if state.get(start).copied().unwrap_or(0) != 0 {
            continue;
        }
        let mut path: Vec<(&Name, usize)> = vec![(start, 0)];
        state.insert(start, 1);
        while let Some((name, next)) = path.last().copied() {
            let targets = edges.get(name).map(Vec::as_slice).unwrap_or_default();
            let Some(target) = targets.get(next).copied() else {
                state.insert(name, 2);
                path.pop();
                continue;
            };
            if let Some(top) = path.last_mut() {
                top.1 += 1;
            }
            match state.get(target).copied().unwrap_or(0) {
                0 if edges.contains_key(target) => {
                    state.insert(target, 1);
                    path.push((target, 0));
                }
                1 => {
                    let from = path.iter().position(|(n, _)| *n == target).unwrap_or(0);
                    let cycle: Vec<&str> = path[from..]
                        .iter()
                        .map(|(n, _)| n.as_str())
                        .chain(std::iter::once(target.as_str()))
                        .collect();
                    let pos = doc.fragments.get(target).map(|f| f.pos);
                    return Err(refusal(
                        code::GRAPHQL_VALIDATION_FAILED,
                        format!(
                            "the fragment `{target}` spreads itself ({}); a fragment cannot \
                             contain itself",
                            cycle.join(" → ")
                        ),
                        pos,
                    ));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Where in the operation a selection set is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
struct Ctx {
    /// Inside `__schema` or `__type`.
    introspection: bool,
    /// Rounds of introspection so far.
    rounds: usize,
    /// The items of the page the enclosing field returns (a connection's `edges` and
    /// `nodes`, a subgraph's `nodes` and `edges`).
    page: Option<u64>,
}

/// The measure of one selection set.
#[derive(Debug, Clone, Copy, Default)]
struct SetMeasure {
    depth: usize,
    aliases: u64,
    fields: u64,
    cost: u64,
}

impl SetMeasure {
    fn add(&mut self, other: SetMeasure) {
        self.depth = self.depth.max(other.depth);
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.fields = self.fields.saturating_add(other.fields);
        self.cost = self.cost.saturating_add(other.cost);
    }
}

struct Walk<'a> {
    doc: &'a ExecutableDocument,
    shapes: &'a Shapes,
    config: &'a Config,
    variables: &'a Variables,
    operation: &'a OperationDefinition,
    /// Each fragment measured once per place it can be in.
    memo: HashMap<(&'a str, Option<&'a str>, Ctx), SetMeasure>,
    /// Set when a variable's value, or its default, is read.
    read_variables: Cell<bool>,
}

impl<'a> Walk<'a> {
    fn selection_set(
        &mut self,
        set: &'a SelectionSet,
        ty: Option<&'a str>,
        ctx: Ctx,
        nesting: usize,
    ) -> Result<SetMeasure, ServerError> {
        if nesting > MAX_NESTING {
            return Err(too_nested(nesting));
        }
        let mut measure = SetMeasure::default();
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => {
                    let field = self.field(f, ty, ctx, nesting)?;
                    measure.add(field);
                }
                Selection::InlineFragment(i) => {
                    let on = i
                        .node
                        .type_condition
                        .as_ref()
                        .map(|c| c.node.on.node.as_str())
                        .or(ty);
                    let inner =
                        self.selection_set(&i.node.selection_set.node, on, ctx, nesting + 1)?;
                    measure.add(inner);
                }
                Selection::FragmentSpread(s) => {
                    let name = s.node.fragment_name.node.as_str();
                    let Some(fragment) = self.doc.fragments.get(name) else {
                        continue; // validation names it
                    };
                    let on = Some(fragment.node.type_condition.node.on.node.as_str());
                    let key = (name, on, ctx);
                    let inner = match self.memo.get(&key) {
                        Some(m) => *m,
                        None => {
                            let m = self.selection_set(
                                &fragment.node.selection_set.node,
                                on,
                                ctx,
                                nesting + 1,
                            )?;
                            self.memo.insert(key, m);
                            m
                        }
                    };
                    measure.add(inner);
                }
            }
        }
        Ok(measure)
    }

    fn field(
        &mut self,
        f: &'a Positioned<Field>,
        ty: Option<&'a str>,
        ctx: Ctx,
        nesting: usize,
    ) -> Result<SetMeasure, ServerError> {
        let field = &f.node;
        let name = field.name.node.as_str();
        let own = SetMeasure {
            depth: 0,
            aliases: u64::from(field.alias.is_some()),
            fields: 1,
            cost: 1,
        };
        let children = &field.selection_set.node;
        if name == "__typename" {
            return Ok(own);
        }
        if ctx.introspection || name.starts_with("__") {
            let rounds = ctx.rounds + usize::from(ROUND_FIELDS.contains(&name));
            if rounds > MAX_INTROSPECTION_ROUNDS {
                return Err(refusal(
                    code::MAX_DEPTH_EXCEEDED,
                    format!(
                        "the introspection goes round from types to their fields {rounds} times; \
                         at most {MAX_INTROSPECTION_ROUNDS} are allowed"
                    ),
                    Some(f.pos),
                ));
            }
            let inner = Ctx {
                introspection: true,
                rounds,
                page: None,
            };
            let below = self.selection_set(children, None, inner, nesting + 1)?;
            // The schema bounds introspection: each field once, and no depth.
            return Ok(SetMeasure {
                depth: 0,
                aliases: own.aliases.saturating_add(below.aliases),
                fields: 1,
                cost: 1u64.saturating_add(below.cost),
            });
        }
        let shape = ty.and_then(|t| self.shapes.field(t, name));
        let page = match shape {
            Some(s) if s.paged => Some(self.page_size(field)?),
            Some(s) => s.limit.map(|limit| self.limit(field, name, limit.default)),
            None => None,
        };
        let items = match shape {
            Some(s) if s.list => page.or(ctx.page).unwrap_or(LIST_ITEMS),
            _ => 1,
        };
        let inner = Ctx {
            introspection: false,
            rounds: 0,
            page: if shape.is_some_and(|s| s.list) {
                None
            } else {
                page
            },
        };
        let child_ty = shape.map(|s| s.ty.as_str());
        let below = if children.items.is_empty() {
            SetMeasure::default()
        } else {
            self.selection_set(children, child_ty, inner, nesting + 1)?
        };
        Ok(SetMeasure {
            depth: 1 + below.depth,
            aliases: own.aliases.saturating_add(below.aliases),
            fields: 1,
            cost: 1u64.saturating_add(items.saturating_mul(below.cost)),
        })
    }

    /// The value of an integer argument, from a literal, a variable or the variable's
    /// default; `None` when it is not given or not an integer.
    fn int_argument(&self, field: &Field, arg: &str) -> Option<i64> {
        let value = field.get_argument(arg)?.node.clone();
        match value.into_const_with(|name| self.variable(&name).ok_or(())) {
            Ok(Value::Number(n)) => n.as_i64(),
            _ => None,
        }
    }

    /// A variable's value as given, or its default.
    fn variable(&self, name: &Name) -> Option<Value> {
        self.read_variables.set(true);
        self.variables.get(name).cloned().or_else(|| {
            self.operation
                .variable_definitions
                .iter()
                .find(|d| d.node.name.node == *name)
                .and_then(|d| d.node.default_value.as_ref())
                .map(|v| v.node.clone())
        })
    }

    /// The items a page will hold: `first` or `last`, or the default page; over the cap
    /// is refused here, before any work, as the resolver would refuse it.
    fn page_size(&self, field: &Field) -> Result<u64, ServerError> {
        let asked = ["first", "last"]
            .iter()
            .filter_map(|a| self.int_argument(field, a))
            .max();
        let max = self.config.max_page_size;
        match asked {
            None => Ok(self.config.default_page_size as u64),
            Some(n) if n > max as i64 => Err(refusal(
                code::PAGE_SIZE_EXCEEDED,
                super::ApiError::PageSizeExceeded { requested: n, max }.to_string(),
                None,
            )),
            // A negative page is the resolver's to refuse.
            Some(n) => Ok(n.max(0) as u64),
        }
    }

    /// The items a `limit` allows, up to the cap its resolver holds it to.
    fn limit(&self, field: &Field, name: &str, default: Option<u64>) -> u64 {
        let cap = match name {
            "neighborhood" => self.config.max_neighborhood_nodes,
            "paths" => self.config.max_paths,
            _ => self.config.max_page_size,
        } as u64;
        let asked = self
            .int_argument(field, "limit")
            .map(|n| n.max(0) as u64)
            .or(default)
            .unwrap_or(cap);
        asked.min(cap)
    }
}

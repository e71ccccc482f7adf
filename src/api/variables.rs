//! Variable values checked before execution, in full: a required variable that is missing
//! or null, a value of the wrong type at any depth (an enum value that does not exist, an
//! input object's unknown or missing field, a `@oneOf` input with more or less than one
//! field, an `Int` out of range), and our own scalars (`Date`, `Decimal`) whose text does
//! not parse. So a bad variable is a request error (no `data`, HTTP 400 for
//! `application/graphql-response+json`) with a message naming the variable and the place
//! in its value, never a field error met halfway through execution; and a document the
//! validator passed once can skip its rules after (see [`super::run`]), since no rule
//! of it depends on the variables' values beyond what is checked here.

use async_graphql::parser::types::{BaseType, ExecutableDocument, Type};
use async_graphql::{Pos, ScalarType, ServerError, Value, Variables};

use super::scalars::{Date, Decimal};
use super::shape::{InputShape, Shapes, shapes};

/// The first variable of the operation to run that cannot be coerced, as an error.
pub(crate) fn check(
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
) -> Option<ServerError> {
    let operation = super::analysis::operation(doc, operation_name)?;
    let shapes = shapes();
    operation.variable_definitions.iter().find_map(|def| {
        let name = def.node.name.node.as_str();
        let ty = &def.node.var_type.node;
        let value = variables.get(name).filter(|v| **v != Value::Null);
        let reason = match value {
            None if !ty.nullable && def.node.default_value.is_none() => {
                Some(format!("of required type \"{ty}\" was not provided",))
            }
            None => None,
            Some(value) => coerce(shapes, value, ty).map(|invalid| {
                let Invalid { why, within } = invalid;
                match within.is_empty() {
                    true => format!("got an invalid value: {why}"),
                    false => {
                        let path: String = within.iter().rev().map(String::as_str).collect();
                        format!("got an invalid value at \"{name}{path}\": {why}")
                    }
                }
            }),
        }?;
        Some(ServerError::new(
            format!("Variable \"${name}\" {reason}"),
            Some(def.pos),
        ))
    })
}

/// Why a value is not of its type, and where in the variable's value: the steps to it
/// (`.field`, `[index]`), innermost first. Written only for a value that fails, so a good
/// value costs no text.
struct Invalid {
    why: String,
    within: Vec<String>,
}

impl From<String> for Invalid {
    fn from(why: String) -> Self {
        Invalid {
            why,
            within: Vec::new(),
        }
    }
}

impl Invalid {
    /// The same, one step further out.
    fn at(mut self, step: String) -> Self {
        self.within.push(step);
        self
    }
}

/// Why `value` is not a value of `ty`, if it is not.
fn coerce(shapes: &Shapes, value: &Value, ty: &Type) -> Option<Invalid> {
    if *value == Value::Null {
        return (!ty.nullable)
            .then(|| format!("expected a value of type \"{ty}\", found null").into());
    }
    match &ty.base {
        BaseType::List(inner) => match value {
            Value::List(items) => items.iter().enumerate().find_map(|(i, item)| {
                coerce(shapes, item, inner).map(|invalid| invalid.at(format!("[{i}]")))
            }),
            // A single value where a list is expected is a list of one.
            single => coerce(shapes, single, inner),
        },
        BaseType::Named(name) => named(shapes, value, name),
    }
}

/// Why `value` (not null) is not a value of the named type, if it is not.
fn named(shapes: &Shapes, value: &Value, name: &str) -> Option<Invalid> {
    let expected =
        || -> Invalid { format!("expected type \"{name}\", found {}", kind(value)).into() };
    match name {
        "Int" => match value {
            Value::Number(n) if n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) => None,
            Value::Number(n) if n.as_i64().is_some() => {
                Some(format!("an Int is a 32-bit integer; {n} is out of range").into())
            }
            _ => Some(expected()),
        },
        "Float" => (!matches!(value, Value::Number(_))).then(expected),
        "String" => (!matches!(value, Value::String(_))).then(expected),
        "Boolean" => (!matches!(value, Value::Boolean(_))).then(expected),
        "ID" => match value {
            Value::String(_) => None,
            Value::Number(n) if n.as_i64().is_some() => None,
            _ => Some(expected()),
        },
        "Date" => Date::parse(value.clone())
            .err()
            .map(|e| e.into_server_error(Pos::default()).message.into()),
        "Decimal" => Decimal::parse(value.clone())
            .err()
            .map(|e| e.into_server_error(Pos::default()).message.into()),
        _ => match shapes.input(name)? {
            InputShape::Scalar => None,
            InputShape::Enum(values) => {
                let given = match value {
                    Value::String(v) => v.as_str(),
                    Value::Enum(v) => v.as_str(),
                    _ => return Some(expected()),
                };
                (!values.contains(given))
                    .then(|| format!("the enum \"{name}\" has no value \"{given}\"").into())
            }
            InputShape::Object { fields, one_of } => {
                let Value::Object(given) = value else {
                    return Some(expected());
                };
                if let Some(unknown) = given
                    .keys()
                    .find(|k| !fields.iter().any(|f| f.name == k.as_str()))
                {
                    let why = format!("the input \"{name}\" has no field \"{unknown}\"");
                    return Some(why.into());
                }
                if *one_of {
                    let set = given.values().filter(|v| **v != Value::Null).count();
                    if set != 1 || given.len() != 1 {
                        return Some(
                            format!(
                                "the input \"{name}\" takes exactly one field, not null; {} given",
                                given.len()
                            )
                            .into(),
                        );
                    }
                }
                fields
                    .iter()
                    .find_map(|field| match given.get(field.name.as_str()) {
                        Some(v) => coerce(shapes, v, &field.ty)
                            .map(|invalid| invalid.at(format!(".{}", field.name))),
                        None if !field.ty.nullable && !field.has_default => Some(
                            format!(
                                "the field \"{}\" of type \"{}\" is required but not given",
                                field.name, field.ty
                            )
                            .into(),
                        ),
                        None => None,
                    })
            }
        },
    }
}

/// What sort of JSON value `value` is, for a message.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Boolean(_) => "a boolean",
        Value::Binary(_) => "binary data",
        Value::Enum(_) => "an enum value",
        Value::List(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_error(
        query: &str,
        name: Option<&str>,
        variables: serde_json::Value,
    ) -> Option<String> {
        let doc = async_graphql::parser::parse_query(query).unwrap_or_else(|e| panic!("{e}"));
        let variables = Variables::from_json(variables);
        check(&doc, name, &variables).map(|e| e.message)
    }

    #[test]
    fn a_required_variable_must_be_given_and_not_null() {
        let q = "query($c: String!) { a(c: $c) }";
        let missing = first_error(q, None, serde_json::json!({}));
        assert_eq!(
            missing.as_deref(),
            Some("Variable \"$c\" of required type \"String!\" was not provided")
        );
        assert!(first_error(q, None, serde_json::json!({ "c": null })).is_some());
        assert_eq!(first_error(q, None, serde_json::json!({ "c": "x" })), None);
        assert_eq!(
            first_error(
                "query($c: String! = \"x\") { a(c: $c) }",
                None,
                serde_json::json!({})
            ),
            None
        );
    }

    #[test]
    fn our_scalars_are_parsed_with_their_own_message() {
        let date = first_error(
            "query($d: Date) { a(d: $d) }",
            None,
            serde_json::json!({ "d": "2025-02-30" }),
        )
        .unwrap_or_default();
        assert!(
            date.starts_with("Variable \"$d\" got an invalid value: "),
            "{date}"
        );
        assert!(date.contains("2025-02-30"), "{date}");
        let list = first_error(
            "query($d: [Decimal!]) { a(d: $d) }",
            None,
            serde_json::json!({ "d": ["1.5", 2] }),
        );
        assert!(list.is_some_and(|m| m.contains("a Decimal is a string")));
        assert_eq!(
            first_error(
                "query($d: Date) { a(d: $d) }",
                None,
                serde_json::json!({ "d": "2025-07" })
            ),
            None
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_refused_with_its_place_at_any_depth() {
        let error = |q: &str, v: serde_json::Value| first_error(q, None, v).unwrap_or_default();
        let int = "query($n: Int) { a }";
        assert_eq!(
            error(int, serde_json::json!({ "n": "5" })),
            "Variable \"$n\" got an invalid value: expected type \"Int\", found a string"
        );
        assert!(error(int, serde_json::json!({ "n": 1.5 })).contains("found a number"));
        assert!(error(int, serde_json::json!({ "n": 5_000_000_000_i64 })).contains("out of range"));
        let kind = error(
            "query($k: NodeKind) { a }",
            serde_json::json!({ "k": "PLANET" }),
        );
        assert!(
            kind.contains("\"NodeKind\" has no value \"PLANET\""),
            "{kind}"
        );
        let order = "query($o: [CommitmentOrder!]) { a }";
        let deep = error(
            order,
            serde_json::json!({ "o": [{ "field": "NAME" }, { "field": "NOPE" }] }),
        );
        assert_eq!(
            deep,
            "Variable \"$o\" got an invalid value at \"o[1].field\": \
             the enum \"CommitmentOrderField\" has no value \"NOPE\""
        );
        let unknown = error(
            order,
            serde_json::json!({ "o": { "field": "ID", "up": true } }),
        );
        assert!(unknown.contains("has no field \"up\""), "{unknown}");
        let missing = error(order, serde_json::json!({ "o": [{ "direction": "ASC" }] }));
        assert!(
            missing.contains("\"field\" of type \"CommitmentOrderField!\" is required"),
            "{missing}"
        );
        let not_object = error(order, serde_json::json!({ "o": ["NAME"] }));
        assert!(not_object.contains("found a string"), "{not_object}");
        // A `@oneOf` input takes exactly one field, not null.
        let amount = "query($a: AmountInput!) { a }";
        for two in [
            serde_json::json!({ "a": { "percent": "1", "money": { "amount": "1", "currency": "USD" } } }),
            serde_json::json!({ "a": {} }),
            serde_json::json!({ "a": { "percent": null } }),
        ] {
            let e = error(amount, two.clone());
            assert!(e.contains("exactly one field"), "{two}: {e}");
        }
        // Our scalars deep inside an input: the scalar's own message, with the place.
        let money = error(
            amount,
            serde_json::json!({ "a": { "money": { "amount": "12,5", "currency": "USD" } } }),
        );
        assert!(
            money.starts_with("Variable \"$a\" got an invalid value at \"a.money.amount\": "),
            "{money}"
        );
        for good in [
            serde_json::json!({ "a": { "money": { "amount": "12.5", "currency": "USD" } } }),
            serde_json::json!({ "a": { "percent": "-2" } }),
        ] {
            assert_eq!(first_error(amount, None, good.clone()), None, "{good}");
        }
        assert_eq!(
            first_error(order, None, serde_json::json!({ "o": { "field": "ID" } })),
            None,
            "a single value for a list, and a field left to its default"
        );
        let ids = "query($i: [ID!]!, $f: Float, $b: Boolean) { a }";
        let fine = serde_json::json!({ "i": ["x", 7], "f": 2, "b": false });
        assert_eq!(first_error(ids, None, fine), None);
        assert!(error(ids, serde_json::json!({ "i": [true] })).contains("at \"i[0]\""));
        assert!(error(ids, serde_json::json!({ "i": [], "b": "yes" })).contains("\"Boolean\""));
    }

    #[test]
    fn only_the_chosen_operation_is_checked() {
        let q = "query A($c: String!) { a(c: $c) } query B { b }";
        assert_eq!(first_error(q, Some("B"), serde_json::json!({})), None);
        assert!(first_error(q, Some("A"), serde_json::json!({})).is_some());
        assert_eq!(first_error(q, None, serde_json::json!({})), None);
    }
}

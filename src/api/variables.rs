//! Variable values checked before execution, where the validator does not: a required
//! variable that is missing or null, and our own scalars (`Date`, `Decimal`) whose text
//! does not parse. So a bad variable is a request error (no `data`, HTTP 400 for
//! `application/graphql-response+json`) with the scalar's own message, never a field error
//! met halfway through execution.

use async_graphql::parser::types::{BaseType, ExecutableDocument, Type};
use async_graphql::{Pos, ScalarType, ServerError, Value, Variables};

use super::scalars::{Date, Decimal};

/// The first variable of the operation to run that cannot be coerced, as an error.
pub(crate) fn check(
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
) -> Option<ServerError> {
    let operation = super::analysis::operation(doc, operation_name)?;
    operation.variable_definitions.iter().find_map(|def| {
        let name = def.node.name.node.as_str();
        let ty = &def.node.var_type.node;
        let value = variables.get(name).filter(|v| **v != Value::Null);
        let reason = match value {
            None if !ty.nullable && def.node.default_value.is_none() => {
                Some(format!("of required type \"{ty}\" was not provided",))
            }
            None => None,
            Some(value) => coerce(value, ty),
        }?;
        Some(ServerError::new(
            format!("Variable \"${name}\" {reason}"),
            Some(def.pos),
        ))
    })
}

/// Why `value` is not a value of `ty`, for the parts the validator leaves to execution.
fn coerce(value: &Value, ty: &Type) -> Option<String> {
    if *value == Value::Null {
        return (!ty.nullable).then(|| format!("of type \"{ty}\" must not be null"));
    }
    match &ty.base {
        BaseType::List(inner) => match value {
            Value::List(items) => items.iter().find_map(|item| coerce(item, inner)),
            single => coerce(single, inner),
        },
        BaseType::Named(name) => {
            let parsed = match name.as_str() {
                "Date" => Date::parse(value.clone())
                    .err()
                    .map(|e| e.into_server_error(Pos::default())),
                "Decimal" => Decimal::parse(value.clone())
                    .err()
                    .map(|e| e.into_server_error(Pos::default())),
                _ => None,
            };
            parsed.map(|e| format!("got an invalid value: {}", e.message))
        }
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
    fn only_the_chosen_operation_is_checked() {
        let q = "query A($c: String!) { a(c: $c) } query B { b }";
        assert_eq!(first_error(q, Some("B"), serde_json::json!({})), None);
        assert!(first_error(q, Some("A"), serde_json::json!({})).is_some());
        assert_eq!(first_error(q, None, serde_json::json!({})), None);
    }
}

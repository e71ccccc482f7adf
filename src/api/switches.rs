//! The schema's switches: field suggestions ("Did you mean …") and introspection. With
//! introspection off a document that asks for `__schema` or `__type` is refused before
//! it runs, by the guard, with `INTROSPECTION_DISABLED` (`__typename` is not introspection: clients
//! need it to tell types apart).

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ObjectType, Positioned, SchemaBuilder, ServerError};

use super::code;

/// Applies the switches to a schema being built.
pub(crate) fn apply<Q, M, S>(
    builder: SchemaBuilder<Q, M, S>,
    introspection: bool,
    suggestions: bool,
) -> SchemaBuilder<Q, M, S>
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: async_graphql::SubscriptionType + 'static,
{
    let builder = match suggestions {
        true => builder,
        false => builder.disable_suggestions(),
    };
    match introspection {
        true => builder,
        // The guard refuses such a document with its code before it reaches the schema.
        false => builder.disable_introspection(),
    }
}

/// Refuses a document that introspects the schema, with `INTROSPECTION_DISABLED`.
pub(crate) fn refuse_introspection(doc: &ExecutableDocument) -> Result<(), ServerError> {
    match introspects(doc) {
        Some(pos) => {
            let mut error = ServerError::new(
                "introspection is switched off on this server (`introspection`); \
                 the schema is served at /schema.graphql",
                Some(pos),
            );
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", code::INTROSPECTION_DISABLED);
            Err(error)
        }
        None => Ok(()),
    }
}

/// Where the document first asks for `__schema`, `__type` or the federation SDL (`_service`),
/// in any operation or fragment.
/// Walks without recursion: a document may nest as deep as the parser lets it.
fn introspects(doc: &ExecutableDocument) -> Option<async_graphql::Pos> {
    let mut stack: Vec<&Positioned<SelectionSet>> = doc
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set)
        .chain(doc.fragments.values().map(|f| &f.node.selection_set))
        .collect();
    while let Some(set) = stack.pop() {
        for item in &set.node.items {
            match &item.node {
                Selection::Field(field) => {
                    if matches!(
                        field.node.name.node.as_str(),
                        "__schema" | "__type" | "_service"
                    ) {
                        return Some(field.pos);
                    }
                    stack.push(&field.node.selection_set);
                }
                Selection::InlineFragment(inline) => stack.push(&inline.node.selection_set),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asks(query: &str) -> bool {
        let doc = async_graphql::parser::parse_query(query).unwrap_or_else(|e| panic!("{e}"));
        introspects(&doc).is_some()
    }

    #[test]
    fn schema_and_type_are_introspection_and_typename_is_not() {
        assert!(asks("{ __schema { types { name } } }"));
        assert!(asks(
            "query A { x } query B { ... on Query { __type(name: \"X\") { name } } }"
        ));
        assert!(asks(
            "{ ...F } fragment F on Query { __schema { queryType { name } } }"
        ));
        assert!(!asks("{ country(code: \"JP\") { __typename name } }"));
    }
}

//! The shape of the schema, read once from its SDL: its fields as the limits need them
//! (what type each returns, whether it is a list, whether it takes a page or a `limit`),
//! and its input types as the check of variable values needs them.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use async_graphql::parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};

/// One field of an output type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FieldShape {
    /// The named type it returns, without list or non-null wrappers.
    pub ty: String,
    /// Whether it returns a list.
    pub list: bool,
    /// Whether it takes `first` or `last` (a page).
    pub paged: bool,
    /// The default of its `limit` argument, when it has one (`Int`).
    pub limit: Option<Limit>,
}

/// A field's `limit` argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limit {
    /// Its default, when it has one.
    pub default: Option<u64>,
}

/// An input type: what a value of it may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum InputShape {
    /// A scalar of the schema's own (`Date`, `Decimal`): its text is parsed by its type.
    Scalar,
    /// An enum, with its values.
    Enum(HashSet<String>),
    /// An input object, with its fields in order; `one_of` when exactly one must be given.
    Object {
        fields: Vec<InputField>,
        one_of: bool,
    },
}

/// A field of an input object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InputField {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Whether it has a default, so that it may be left out even when its type is non-null.
    pub has_default: bool,
}

/// The output types' fields, the input types, and the root types' names.
#[derive(Debug, Default)]
pub(crate) struct Shapes {
    types: HashMap<String, HashMap<String, FieldShape>>,
    inputs: HashMap<String, InputShape>,
    /// The query root's name.
    pub query: String,
    /// The mutation root's name.
    pub mutation: String,
    /// The subscription root's name.
    pub subscription: String,
}

impl Shapes {
    /// The shape of `field` on type `ty`, when both exist.
    pub fn field(&self, ty: &str, field: &str) -> Option<&FieldShape> {
        self.types.get(ty)?.get(field)
    }

    /// The input type named `name`, unless it is one of GraphQL's own scalars or unknown.
    pub fn input(&self, name: &str) -> Option<&InputShape> {
        self.inputs.get(name)
    }

    /// Reads the shapes from schema text.
    pub fn from_sdl(sdl: &str) -> Result<Shapes, String> {
        let doc = async_graphql::parser::parse_schema(sdl).map_err(|e| e.to_string())?;
        let mut shapes = Shapes {
            query: "Query".into(),
            mutation: "Mutation".into(),
            subscription: "Subscription".into(),
            ..Shapes::default()
        };
        for definition in doc.definitions {
            match definition {
                TypeSystemDefinition::Schema(schema) => {
                    let schema = schema.node;
                    if let Some(name) = schema.query {
                        shapes.query = name.node.to_string();
                    }
                    if let Some(name) = schema.mutation {
                        shapes.mutation = name.node.to_string();
                    }
                    if let Some(name) = schema.subscription {
                        shapes.subscription = name.node.to_string();
                    }
                }
                TypeSystemDefinition::Type(ty) => {
                    let ty = ty.node;
                    let name = ty.name.node.to_string();
                    let fields = match ty.kind {
                        TypeKind::Object(o) => o.fields,
                        TypeKind::Interface(i) => i.fields,
                        TypeKind::Scalar => {
                            shapes.inputs.insert(name, InputShape::Scalar);
                            continue;
                        }
                        TypeKind::Enum(e) => {
                            let values =
                                e.values.into_iter().map(|v| v.node.value.node.to_string());
                            shapes
                                .inputs
                                .insert(name, InputShape::Enum(values.collect()));
                            continue;
                        }
                        TypeKind::InputObject(o) => {
                            let fields = o.fields.into_iter().map(|f| InputField {
                                name: f.node.name.node.to_string(),
                                ty: f.node.ty.node,
                                has_default: f.node.default_value.is_some(),
                            });
                            let one_of = ty.directives.iter().any(|d| d.node.name.node == "oneOf");
                            let fields = fields.collect();
                            shapes
                                .inputs
                                .insert(name, InputShape::Object { fields, one_of });
                            continue;
                        }
                        TypeKind::Union(_) => continue,
                    };
                    let fields = fields
                        .into_iter()
                        .map(|f| {
                            let f = f.node;
                            let arg = |name: &str| f.arguments.iter().find(|a| a.node.name.node == name);
                            let limit = arg("limit")
                                .filter(|a| matches!(&a.node.ty.node.base, BaseType::Named(n) if n == "Int"))
                                .map(|a| Limit {
                                    default: a.node.default_value.as_ref().and_then(|v| match &v.node {
                                        async_graphql::Value::Number(n) => n.as_u64(),
                                        _ => None,
                                    }),
                                });
                            let mut base = &f.ty.node.base;
                            let mut list = false;
                            while let BaseType::List(inner) = base {
                                list = true;
                                base = &inner.base;
                            }
                            let named = match base {
                                BaseType::Named(n) => n.to_string(),
                                BaseType::List(_) => String::new(),
                            };
                            let shape = FieldShape {
                                ty: named,
                                list,
                                paged: arg("first").is_some() || arg("last").is_some(),
                                limit,
                            };
                            (f.name.node.to_string(), shape)
                        })
                        .collect();
                    shapes.types.insert(name, fields);
                }
                TypeSystemDefinition::Directive(_) => {}
            }
        }
        Ok(shapes)
    }
}

/// The shapes of this server's schema, read the first time they are needed.
pub(crate) fn shapes() -> &'static Shapes {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    SHAPES.get_or_init(|| {
        Shapes::from_sdl(&super::sdl()).unwrap_or_else(|e| {
            // Only a bug can bring this here; every list then costs as an unknown field.
            tracing::error!("the schema's own SDL does not parse: {e}");
            Shapes::default()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_reads_with_its_pages_lists_and_limits() {
        let s = shapes();
        assert_eq!(s.query, "QueryRoot");
        let countries = s.field("QueryRoot", "countries");
        assert!(
            countries.is_some_and(|f| f.paged && !f.list),
            "{countries:?}"
        );
        let hood = s.field("QueryRoot", "neighborhood");
        assert_eq!(
            hood.and_then(|f| f.limit),
            Some(Limit { default: Some(200) })
        );
        let nodes = s.field("Subgraph", "nodes");
        assert!(
            nodes.is_some_and(|f| f.list && f.ty == "GraphNode"),
            "{nodes:?}"
        );
        let search = s.field("QueryRoot", "search");
        assert!(search.is_some_and(|f| f.list), "{search:?}");
        // Interfaces have their fields too.
        assert!(s.field("Entity", "id").is_some());
    }

    #[test]
    fn the_input_types_read_with_their_values_fields_and_defaults() {
        let s = shapes();
        assert_eq!(s.input("Decimal"), Some(&InputShape::Scalar));
        assert!(matches!(s.input("NodeKind"), Some(InputShape::Enum(v)) if v.contains("COUNTRY")));
        let Some(InputShape::Object { fields, one_of }) = s.input("AmountInput") else {
            panic!(
                "AmountInput is an input object: {:?}",
                s.input("AmountInput")
            );
        };
        assert!(*one_of && !fields.is_empty(), "{fields:?}");
        let Some(InputShape::Object { fields, one_of }) = s.input("CommitmentOrder") else {
            panic!("CommitmentOrder is an input object");
        };
        assert!(!one_of);
        assert!(fields.iter().any(|f| f.name == "field"), "{fields:?}");
        // GraphQL's own scalars are not the schema's: the check knows them itself.
        assert_eq!(s.input("Int"), None);
    }
}

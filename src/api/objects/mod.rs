//! One GraphQL object type per node kind, each a thin wrapper over a graph
//! node: the common `Entity` fields, then the kind's facts and its
//! relations as typed fields.

mod actors;
mod demands;
mod happenings;
mod pledges;
mod sources;

pub use actors::{Country, Organization, Person};
pub use demands::Demand;
pub use happenings::{Event, Statement};
pub use pledges::{Commitment, Deal, Project, TariffMeasure};
pub use sources::Source;

use async_graphql::OutputType;

use super::error::ApiError;
use super::pagination::{Page, PageArgs, paginate};
use crate::graph::{Filter, FilterField, KnowledgeGraph, Op, Value};
use crate::model::{EntityId, Node, NodeKind};

/// The nodes of `kind` whose `field` names `id`, ordered by id.
pub(crate) fn referring<'a>(
    g: &'a KnowledgeGraph,
    kind: NodeKind,
    field: FilterField,
    id: &EntityId,
) -> Vec<&'a Node> {
    g.list(
        kind,
        &Filter::Test(field, Op::Eq(Value::Id(id.clone()))),
        &[],
        None,
    )
}

/// Wraps nodes of one kind and pages them.
pub(crate) fn page_of<'a, T: OutputType>(
    g: &'a KnowledgeGraph,
    nodes: Vec<&'a Node>,
    wrap: fn(&'a KnowledgeGraph, &'a Node) -> Option<T>,
    args: PageArgs,
) -> async_graphql::Result<Page<T>> {
    let items: Vec<T> = nodes.into_iter().filter_map(|n| wrap(g, n)).collect();
    paginate(items, &args, |x| x).map_err(ApiError::into_graphql)
}

/// Wraps nodes of one kind, skipping others.
pub(crate) fn all_of<'a, T>(
    g: &'a KnowledgeGraph,
    nodes: Vec<&'a Node>,
    wrap: fn(&'a KnowledgeGraph, &'a Node) -> Option<T>,
) -> Vec<T> {
    nodes.into_iter().filter_map(|n| wrap(g, n)).collect()
}

/// Declares `wrap` for an object type: the object when the node is of its kind.
macro_rules! wrap_fn {
    ($name:ident, $variant:ident) => {
        impl<'a> $name<'a> {
            /// The object for `node`, when it is of this kind.
            pub fn wrap(
                g: &'a $crate::graph::KnowledgeGraph,
                node: &'a $crate::model::Node,
            ) -> Option<Self> {
                match &node.data {
                    $crate::model::NodeData::$variant(d) => Some($name { g, node, d }),
                    _ => None,
                }
            }
        }
    };
}
pub(crate) use wrap_fn;

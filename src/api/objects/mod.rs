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

use std::borrow::Cow;

use async_graphql::OutputType;

use super::error::ApiError;
use super::pagination::{Around, Atom, Keyset, Page, PageArgs, Total, page};
use crate::graph::{Filter, FilterField, KnowledgeGraph, Op, Order, Sort, SortKey, Value, Window};
use crate::model::{EntityId, Node, NodeKind, PartialDate};

/// The filter for nodes whose `field` names `id`.
fn naming(field: FilterField, id: &EntityId) -> Filter {
    Filter::Test(field, Op::Eq(Value::Id(id.clone())))
}

/// The nodes of `kind` whose `field` names `id`, ordered by id.
pub(crate) fn referring<'a>(
    g: &'a KnowledgeGraph,
    kind: NodeKind,
    field: FilterField,
    id: &EntityId,
) -> Vec<&'a Node> {
    g.list(kind, &naming(field, id), &[], None)
}

/// A page of the nodes of `kind` whose `field` names `id`, ordered by id.
pub(crate) fn referring_page<'a, T: OutputType>(
    g: &'a KnowledgeGraph,
    kind: NodeKind,
    field: FilterField,
    id: &EntityId,
    wrap: fn(&'a KnowledgeGraph, &'a Node) -> Option<T>,
    args: PageArgs,
) -> async_graphql::Result<Page<T>> {
    page_of(g, kind, &naming(field, id), &[], None, wrap, args)
}

/// A page of the nodes of `kind` that pass `filter` (values as of `as_of`), in `order`
/// then by id, each wrapped.
pub(crate) fn page_of<'a, T: OutputType>(
    g: &'a KnowledgeGraph,
    kind: NodeKind,
    filter: &Filter,
    order: &[Order],
    as_of: Option<&PartialDate>,
    wrap: fn(&'a KnowledgeGraph, &'a Node) -> Option<T>,
    args: PageArgs,
) -> async_graphql::Result<Page<T>> {
    let sort = Sort::new(order);
    let keyset = NodeOrder {
        kind,
        sort: &sort,
        as_of,
    };
    let asked = args
        .read::<(&Node, T), _>(&keyset)
        .map_err(ApiError::into_graphql)?;
    // Made only when the count is left to `totalCount`: the filter is cloned for it.
    let counted = || Total::Matching {
        kind,
        filter: filter.clone(),
        as_of: as_of.copied(),
    };
    if !args.items {
        let around = Around::none(counted());
        return Ok(page(Vec::new(), &keyset, around, false, |(_, t)| t));
    }
    let window = Window {
        after: asked.after,
        before: asked.before,
        first: asked.first,
        last: asked.last,
    };
    let found = g.page_by(kind, filter, &sort, as_of, &window);
    let total = match found.total {
        Some(n) => Total::Known(n),
        None => counted(),
    };
    let mut items: Vec<(&'a Node, T)> = Vec::with_capacity(found.nodes.len());
    items.extend(
        found
            .nodes
            .into_iter()
            .filter_map(|n| wrap(g, n).map(|t| (n, t))),
    );
    let around = Around {
        previous: found.has_previous,
        next: found.has_next,
        total,
    };
    Ok(page(items, &keyset, around, args.cursors, |(_, t)| t))
}

/// The order of a node list for its cursors: the graph's [`Sort`], with values as of
/// the list's date. A key is the node's value of each sort field, then its id.
pub(crate) struct NodeOrder<'s> {
    /// The kind listed.
    pub(crate) kind: NodeKind,
    /// The sort that ordered the list.
    pub(crate) sort: &'s Sort,
    /// The date values were taken as of.
    pub(crate) as_of: Option<&'s PartialDate>,
}

impl<T> Keyset<(&Node, T)> for NodeOrder<'_> {
    type Key = SortKey<'static>;

    fn ordering(&self) -> String {
        format!("{} list ordered by {}", self.kind.type_name(), self.sort)
    }

    fn write(&self, (node, _): &(&Node, T)) -> Vec<Option<Atom>> {
        let key = self.sort.key(node, self.as_of);
        let mut atoms: Vec<Option<Atom>> = key
            .values
            .iter()
            .map(|v| v.as_ref().map(Atom::from))
            .collect();
        atoms.push(Some(Atom::Id(key.id.to_string())));
        atoms
    }

    fn read(&self, atoms: &[Option<Atom>]) -> Option<SortKey<'static>> {
        let (id, values) = atoms.split_last()?;
        let values = values
            .iter()
            .map(|a| match a {
                None => Some(None),
                Some(a) => a.value().map(Some),
            })
            .collect::<Option<Vec<_>>>()?;
        let key = SortKey {
            values,
            id: Cow::Owned(id.as_ref()?.id()?),
        };
        self.sort.admits(&key).then_some(key)
    }
}

/// Wraps the entity `id` names, where the graph has it and it is of the kind `wrap` takes.
pub(crate) fn one_of<'a, T>(
    g: &'a KnowledgeGraph,
    id: Option<&EntityId>,
    wrap: fn(&'a KnowledgeGraph, &'a Node) -> Option<T>,
) -> Option<T> {
    id.and_then(|id| g.get(id)).and_then(|n| wrap(g, n))
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

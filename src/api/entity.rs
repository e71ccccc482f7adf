//! The `Node` and `Entity` interfaces, the fields every entity has, its
//! generic `relations` connection, and the wrapping of graph nodes.

use std::borrow::Cow;

use async_graphql::resolver_utils::enum_value;
use async_graphql::{
    ContextSelectionSet, ID, Interface, Object, Positioned, ScalarType, ServerResult, Value, parser,
};

use super::answer_json;
use super::enums::{Direction, NodeKind, RelationKind};
use super::error::ApiError;
use super::flat;
use super::objects::{
    Commitment, Country, Deal, Demand, Event, Organization, Person, Project, Source, Statement,
    TariffMeasure,
};
use super::pagination::{self, Around, Atom, Keyset, Page, PageArgs, Total};
use super::values::When;
use crate::graph::{Edge, KnowledgeGraph, Neighbor, NeighborKey, NeighborWindow};
use crate::model::{self, ImpliedBy, Node, NodeData, SourceRef};

/// An object with a global id: the entity's readable id, such as `country:jp`.
#[derive(Interface)]
#[graphql(
    name = "Node",
    field(
        name = "id",
        ty = "ID",
        desc = "The entity's readable id (`country:jp`), unique across kinds."
    )
)]
pub enum NodeInterface<'a> {
    /// A country or bloc.
    Country(Country<'a>),
    /// A person.
    Person(Person<'a>),
    /// An organization.
    Organization(Organization<'a>),
    /// A deal.
    Deal(Deal<'a>),
    /// A commitment.
    Commitment(Commitment<'a>),
    /// A demand.
    Demand(Demand<'a>),
    /// A tariff measure.
    TariffMeasure(TariffMeasure<'a>),
    /// An event.
    Event(Event<'a>),
    /// A statement.
    Statement(Statement<'a>),
    /// A project.
    Project(Project<'a>),
    /// A source.
    Source(Source<'a>),
}

/// Any entity of the knowledge graph, with the fields every kind has.
// Several fields share a type, which the lint mistakes for repeated attributes.
#[allow(clippy::duplicated_attributes)]
#[derive(Interface)]
#[graphql(
    field(
        name = "id",
        ty = "ID",
        desc = "The entity's readable id (`country:jp`), unique across kinds."
    ),
    field(name = "kind", ty = "NodeKind", desc = "The entity's kind."),
    field(name = "name", ty = "String", desc = "The name to show."),
    field(
        name = "aliases",
        ty = "Vec<String>",
        desc = "Other names, titles, romanizations and metonyms."
    ),
    field(
        name = "description",
        ty = "String",
        desc = "A short description in our own words."
    ),
    field(
        name = "sources",
        ty = "Vec<Citation<'a>>",
        desc = "The paragraphs that report the entity."
    ),
    field(
        name = "changes",
        ty = "super::history::ChangeLogPage",
        desc = "The committed batches of the change log that named the entity, oldest first; empty on a server without a data directory.",
        arg(
            name = "after",
            ty = "Option<String>",
            desc = "Only batches after this cursor (an `endCursor`)."
        ),
        arg(
            name = "first",
            ty = "Option<i32>",
            desc = "At most this many batches; the default page size when omitted."
        )
    ),
    field(
        name = "version",
        ty = "u64",
        desc = "The graph version that last changed the entity itself (its fields, claims, withdrawal or merge), 0 when it is as the seed made it: give it as a write's `expectedVersion` to refuse the write if the entity has moved on."
    ),
    field(
        name = "relations",
        ty = "Page<Relation<'a>>",
        desc = "The entity's relations, of the given kinds (all when omitted, none for an empty list) in the given direction, ordered by kind, direction and the other end's id.",
        arg(
            name = "kinds",
            ty = "Option<Vec<RelationKind>>",
            desc = "Only relations of these kinds: all when omitted, none for an empty list."
        ),
        arg(
            name = "direction",
            ty = "Direction",
            default,
            desc = "Outgoing, incoming or both (the default)."
        ),
        arg(
            name = "after",
            ty = "Option<String>",
            desc = "Relations after this cursor."
        ),
        arg(
            name = "before",
            ty = "Option<String>",
            desc = "Relations before this cursor."
        ),
        arg(
            name = "first",
            ty = "Option<i32>",
            desc = "At most this many from the start (at most `max_page_size`, 100 by default; without `first` or `last`, `default_page_size`, 20 by default; `limits` has the values in force)."
        ),
        arg(
            name = "last",
            ty = "Option<i32>",
            desc = "At most this many from the end (at most `max_page_size`, 100 by default)."
        ),
    )
)]
pub enum Entity<'a> {
    /// A country or bloc.
    Country(Country<'a>),
    /// A person.
    Person(Person<'a>),
    /// An organization.
    Organization(Organization<'a>),
    /// A deal.
    Deal(Deal<'a>),
    /// A commitment.
    Commitment(Commitment<'a>),
    /// A demand.
    Demand(Demand<'a>),
    /// A tariff measure.
    TariffMeasure(TariffMeasure<'a>),
    /// An event.
    Event(Event<'a>),
    /// A statement.
    Statement(Statement<'a>),
    /// A project.
    Project(Project<'a>),
    /// A source.
    Source(Source<'a>),
}

/// Wraps a graph node as the API object of its kind.
pub fn entity<'a>(g: &'a KnowledgeGraph, node: &'a Node) -> Entity<'a> {
    match &node.data {
        NodeData::Country(d) => Entity::Country(Country { g, node, d }),
        NodeData::Person(d) => Entity::Person(Person { g, node, d }),
        NodeData::Organization(d) => Entity::Organization(Organization { g, node, d }),
        NodeData::Deal(d) => Entity::Deal(Deal { g, node, d }),
        NodeData::Commitment(d) => Entity::Commitment(Commitment { g, node, d }),
        NodeData::Demand(d) => Entity::Demand(Demand { g, node, d }),
        NodeData::TariffMeasure(d) => Entity::TariffMeasure(TariffMeasure { g, node, d }),
        NodeData::Event(d) => Entity::Event(Event { g, node, d }),
        NodeData::Statement(d) => Entity::Statement(Statement { g, node, d }),
        NodeData::Project(d) => Entity::Project(Project { g, node, d }),
        NodeData::Source(d) => Entity::Source(Source { g, node, d }),
    }
}

/// Wraps a graph node for the `Node` interface.
pub fn node_interface<'a>(g: &'a KnowledgeGraph, node: &'a Node) -> NodeInterface<'a> {
    match entity(g, node) {
        Entity::Country(x) => NodeInterface::Country(x),
        Entity::Person(x) => NodeInterface::Person(x),
        Entity::Organization(x) => NodeInterface::Organization(x),
        Entity::Deal(x) => NodeInterface::Deal(x),
        Entity::Commitment(x) => NodeInterface::Commitment(x),
        Entity::Demand(x) => NodeInterface::Demand(x),
        Entity::TariffMeasure(x) => NodeInterface::TariffMeasure(x),
        Entity::Event(x) => NodeInterface::Event(x),
        Entity::Statement(x) => NodeInterface::Statement(x),
        Entity::Project(x) => NodeInterface::Project(x),
        Entity::Source(x) => NodeInterface::Source(x),
    }
}

/// The entity an id names, if the graph has it.
pub fn lookup<'a>(g: &'a KnowledgeGraph, id: &model::EntityId) -> Option<Entity<'a>> {
    g.get(id).map(|n| entity(g, n))
}

/// An entity is answered in one pass by its kind's object (see [`super::flat`]).
impl flat::Item for Entity<'_> {
    async fn answer(
        &self,
        ctx: &ContextSelectionSet<'_>,
        _field: &Positioned<parser::types::Field>,
    ) -> ServerResult<Value> {
        match self {
            Entity::Country(x) => flat::answer_object(x, ctx).await,
            Entity::Person(x) => flat::answer_object(x, ctx).await,
            Entity::Organization(x) => flat::answer_object(x, ctx).await,
            Entity::Deal(x) => flat::answer_object(x, ctx).await,
            Entity::Commitment(x) => flat::answer_object(x, ctx).await,
            Entity::Demand(x) => flat::answer_object(x, ctx).await,
            Entity::TariffMeasure(x) => flat::answer_object(x, ctx).await,
            Entity::Event(x) => flat::answer_object(x, ctx).await,
            Entity::Statement(x) => flat::answer_object(x, ctx).await,
            Entity::Project(x) => flat::answer_object(x, ctx).await,
            Entity::Source(x) => flat::answer_object(x, ctx).await,
        }
    }

    fn link(&self, to: &mut flat::Linker<'_, '_>) -> flat::Linking {
        match self {
            Entity::Country(x) => to.object(x),
            Entity::Person(x) => to.object(x),
            Entity::Organization(x) => to.object(x),
            Entity::Deal(x) => to.object(x),
            Entity::Commitment(x) => to.object(x),
            Entity::Demand(x) => to.object(x),
            Entity::TariffMeasure(x) => to.object(x),
            Entity::Event(x) => to.object(x),
            Entity::Statement(x) => to.object(x),
            Entity::Project(x) => to.object(x),
            Entity::Source(x) => to.object(x),
        }
    }
}

impl flat::Link for Entity<'_> {
    fn link(&self, to: &mut flat::Linker<'_, '_>) -> flat::Linking {
        flat::Item::link(self, to)
    }
}

/// Follows at once the entities `ids` name, in order, skipping any the graph lacks, as
/// [`lookup_all`]'s list would be followed, without making the list.
pub fn link_all(
    g: &KnowledgeGraph,
    ids: &[model::EntityId],
    to: &mut flat::Linker<'_, '_>,
) -> flat::Linking {
    to.list(ids.iter().filter_map(|i| lookup(g, i)), |to, e| {
        flat::Item::link(&e, to)
    })
}

/// The fields every entity object has at hand, for [`flat::Leaves`].
pub const ENTITY_LEAVES: &[&str] = &["id", "kind", "name", "aliases", "description", "version"];

/// The value of `ENTITY_LEAVES[index]` for `node`, as its resolver answers it.
pub fn entity_leaf(g: &KnowledgeGraph, node: &Node, index: usize) -> Value {
    match index {
        0 => Value::String(node.id.as_str().to_owned()),
        1 => enum_value(NodeKind::from(node.kind())),
        2 => Value::String(node.name.clone()),
        3 => Value::List(node.aliases.iter().cloned().map(Value::String).collect()),
        4 => Value::String(node.description.clone()),
        _ => g.entity_version(&node.id).to_value(),
    }
}

/// Writes the value of `ENTITY_LEAVES[index]` for `node` as JSON, as [`entity_leaf`]'s.
pub fn write_entity_leaf(g: &KnowledgeGraph, node: &Node, index: usize, out: &mut Vec<u8>) {
    match index {
        0 => answer_json::plain(out, node.id.as_str()),
        1 => answer_json::enum_name(out, NodeKind::from(node.kind())),
        2 => answer_json::string(out, &node.name),
        4 => answer_json::string(out, &node.description),
        _ => answer_json::value(out, &entity_leaf(g, node, index)),
    }
}

/// The entities ids name, in order, skipping any the graph lacks.
pub fn lookup_all<'a>(g: &'a KnowledgeGraph, ids: &[model::EntityId]) -> Vec<Entity<'a>> {
    ids.iter().filter_map(|i| lookup(g, i)).collect()
}

/// The relations of a node as a connection (shared by every entity object).
pub fn relations<'a>(
    g: &'a KnowledgeGraph,
    node: &'a Node,
    kinds: Option<Vec<RelationKind>>,
    direction: Direction,
    page: PageArgs,
) -> async_graphql::Result<Page<Relation<'a>>> {
    let kinds: Option<Vec<model::RelationKind>> = super::enums::kinds(kinds);
    let keyset = RelationOrder { of: &node.id };
    let asked = page.read(&keyset).map_err(ApiError::into_graphql)?;
    let window = NeighborWindow {
        after: asked.after,
        before: asked.before,
        first: asked.first,
        last: asked.last,
    };
    let found = g.neighbors_page(&node.id, kinds.as_deref().into(), direction.into(), &window);
    let around = Around {
        previous: found.has_previous,
        next: found.has_next,
        total: Total::Known(found.total),
    };
    Ok(pagination::page(
        found.neighbors,
        &keyset,
        around,
        page.cursors,
        |n| Relation {
            g,
            edge: n.edge,
            outgoing: n.outgoing,
        },
    ))
}

/// The order of an entity's relations for their cursors: a key is the relation's
/// kind, direction, other end and key ([`NeighborKey`]), which together make its id.
struct RelationOrder<'a> {
    /// The entity whose relations are listed.
    of: &'a model::EntityId,
}

impl Keyset<Neighbor<'_>> for RelationOrder<'_> {
    type Key = NeighborKey<'static>;

    fn ordering(&self) -> String {
        format!("relations of {}", self.of)
    }

    fn write(&self, n: &Neighbor<'_>) -> Vec<Option<Atom>> {
        let key = n.key();
        vec![
            Some(Atom::Text(key.kind.as_str().to_string())),
            Some(Atom::Bool(key.incoming)),
            Some(Atom::Id(key.other.to_string())),
            key.key.map(|k| Atom::Text(k.into_owned())),
        ]
    }

    fn read(&self, atoms: &[Option<Atom>]) -> Option<NeighborKey<'static>> {
        match atoms {
            [
                Some(Atom::Text(kind)),
                Some(Atom::Bool(incoming)),
                Some(other),
                key,
            ] => Some(NeighborKey {
                kind: kind.parse().ok()?,
                incoming: *incoming,
                other: Cow::Owned(other.id()?),
                key: match key {
                    None => None,
                    Some(Atom::Text(key)) => Some(Cow::Owned(key.clone())),
                    Some(_) => return None,
                },
            }),
            _ => None,
        }
    }
}

/// Declares the object type of one node kind: the common fields of the
/// `Entity` interface, then the kind's own fields. `links [...] by method` names the
/// fields without arguments that `method(index, to)` follows at once ([`flat::Link`]).
macro_rules! entity_object {
    ($(#[$doc:meta])* $name:ident, $data:ty, $(links [$($link:literal),* $(,)?] by $follow:ident,)? { $($extra:tt)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $name<'a> {
            pub(crate) g: &'a $crate::graph::KnowledgeGraph,
            pub(crate) node: &'a $crate::model::Node,
            pub(crate) d: &'a $data,
        }

        impl $crate::api::flat::Leaves for $name<'_> {
            const LEAVES: &'static [&'static str] = $crate::api::entity::ENTITY_LEAVES;

            fn leaf(&self, index: usize) -> async_graphql::Value {
                $crate::api::entity::entity_leaf(self.g, self.node, index)
            }

            fn write_leaf(&self, index: usize, out: &mut Vec<u8>) {
                $crate::api::entity::write_entity_leaf(self.g, self.node, index, out);
            }

            $(
                const LINKS: &'static [&'static str] = &[$($link),*];

                fn link(
                    &self,
                    index: usize,
                    to: &mut $crate::api::flat::Linker<'_, '_>,
                ) -> $crate::api::flat::Linking {
                    self.$follow(index, to)
                }
            )?
        }

        impl $crate::api::flat::Item for $name<'_> {
            fn answer(
                &self,
                ctx: &async_graphql::ContextSelectionSet<'_>,
                _field: &async_graphql::Positioned<async_graphql::parser::types::Field>,
            ) -> impl Future<Output = async_graphql::ServerResult<async_graphql::Value>> + Send {
                $crate::api::flat::answer_object(self, ctx)
            }

            fn link(&self, to: &mut $crate::api::flat::Linker<'_, '_>) -> $crate::api::flat::Linking {
                to.object(self)
            }
        }

        impl $crate::api::flat::Link for $name<'_> {
            fn link(&self, to: &mut $crate::api::flat::Linker<'_, '_>) -> $crate::api::flat::Linking {
                to.object(self)
            }
        }

        $(#[$doc])*
        #[async_graphql::Object]
        impl<'a> $name<'a> {
            /// The entity's readable id (`country:jp`), unique across kinds: the Relay global id.
            pub async fn id(&self) -> async_graphql::ID {
                async_graphql::ID(self.node.id.as_str().to_owned())
            }

            /// The entity's kind.
            pub async fn kind(&self) -> $crate::api::enums::NodeKind {
                self.node.kind().into()
            }

            /// The name to show.
            pub async fn name(&self) -> String {
                self.node.name.clone()
            }

            /// Other names, titles, romanizations and metonyms (a capital for its government).
            pub async fn aliases(&self) -> Vec<String> {
                self.node.aliases.clone()
            }

            /// A short description in our own words.
            pub async fn description(&self) -> String {
                self.node.description.clone()
            }

            /// The graph version that last changed the entity itself (its fields, claims,
            /// withdrawal or merge), 0 when it is as the seed made it: give it as a write's
            /// `expectedVersion` to refuse the write if the entity has moved on.
            pub async fn version(&self) -> u64 {
                self.g.entity_version(&self.node.id)
            }

            /// The committed batches of the change log that named the entity, oldest first;
            /// empty on a server without a data directory.
            pub async fn changes(
                &self,
                ctx: &async_graphql::Context<'_>,
                #[graphql(desc = "Only batches after this cursor (an `endCursor`).")]
                after: Option<String>,
                #[graphql(desc = "At most this many batches; the default page size when omitted.")]
                first: Option<i32>,
            ) -> async_graphql::Result<$crate::api::history::ChangeLogPage> {
                let (after, first) =
                    $crate::api::history::window(ctx, None, after.as_deref(), first)?;
                let entries = $crate::api::app(ctx)?
                    .entity_history(&self.node.id, after, first.saturating_add(1))
                    .await
                    .map_err(|e| $crate::api::internal(&e.to_string()))?;
                Ok($crate::api::history::page(entries, first))
            }

            /// The paragraphs that report the entity.
            pub async fn sources(&self) -> Vec<$crate::api::entity::Citation<'a>> {
                $crate::api::entity::citations(self.g, &self.node.sources)
            }

            /// The entity's relations, of the given kinds (all when omitted, none for an empty list) in
            /// the given direction, ordered by kind, direction and the other end's id.
            #[allow(clippy::too_many_arguments)]
                    pub async fn relations(
                &self,
        ctx: &async_graphql::Context<'_>,
                #[graphql(desc = "Only relations of these kinds: all when omitted, none for an empty list.")] kinds: Option<Vec<$crate::api::enums::RelationKind>>,
                #[graphql(default, desc = "Outgoing, incoming or both (the default).")] direction: $crate::api::enums::Direction,
                #[graphql(desc = "Relations after this cursor.")] after: Option<String>,
                #[graphql(desc = "Relations before this cursor.")] before: Option<String>,
                #[graphql(desc = "At most this many from the start (at most `max_page_size`, 100 by default; without `first` or `last`, `default_page_size`, 20 by default; `limits` has the values in force).")] first: Option<i32>,
                #[graphql(desc = "At most this many from the end (at most `max_page_size`, 100 by default).")] last: Option<i32>,
            ) -> async_graphql::Result<$crate::api::pagination::Page<$crate::api::entity::Relation<'a>>> {
                let page = $crate::api::pagination::PageArgs::new(ctx, after, before, first, last)?;
                $crate::api::entity::relations(self.g, self.node, kinds, direction, page)
            }

            $($extra)*
        }
    };
}
pub(crate) use entity_object;

/// One citation: the source and paragraph that report a fact.
pub struct Citation<'a> {
    g: &'a KnowledgeGraph,
    r: &'a SourceRef,
}

/// Wraps a node's or claim's citations.
pub fn citations<'a>(g: &'a KnowledgeGraph, refs: &'a [SourceRef]) -> Vec<Citation<'a>> {
    refs.iter().map(|r| Citation { g, r }).collect()
}

/// One citation: the source and paragraph (line number) that report a fact, and who the source attributes it to.
#[Object]
impl<'a> Citation<'a> {
    /// The source: a document, or a curator's note.
    async fn source(&self) -> Option<Source<'a>> {
        let node = self.g.get(&self.r.source)?;
        match &node.data {
            NodeData::Source(d) => Some(Source { g: self.g, node, d }),
            _ => None,
        }
    }

    /// The paragraph: the line number in the source document; none for a curator note.
    async fn line(&self) -> Option<u32> {
        self.r.line
    }

    /// The paragraph itself: the source document's line `line`; null for a curator note,
    /// or when the server has not read the document's file (see `Source.text`).
    async fn text(&self, ctx: &async_graphql::Context<'_>) -> Option<String> {
        let line = self.r.line?;
        let NodeData::Source(source) = &self.g.get(&self.r.source)?.data else {
            return None;
        };
        let text = super::app(ctx)
            .ok()?
            .documents()
            .get(source.file.as_deref()?)?;
        text.line(line).map(str::to_string)
    }

    /// Who the source attributes the fact to ("according to the White House").
    async fn attribution(&self) -> Option<&str> {
        self.r.attribution.as_deref()
    }

    /// Where the source is unclear or contradicts itself.
    async fn note(&self) -> Option<&str> {
        self.r.note.as_deref()
    }
}

/// Who a claim or relation is attributed to.
pub struct Attribution<'a> {
    pub(crate) g: &'a KnowledgeGraph,
    pub(crate) a: &'a model::Attribution,
}

/// Who a claim or relation is attributed to, by entity and in words.
#[Object]
impl<'a> Attribution<'a> {
    /// The entity it is attributed to, where known.
    async fn by(&self) -> Option<Entity<'a>> {
        self.a.by.as_ref().and_then(|b| lookup(self.g, b))
    }

    /// The attribution in words.
    async fn text(&self) -> Option<&str> {
        self.a.text.as_deref()
    }
}

/// A typed, sourced edge between two entities, seen from one of them.
pub struct Relation<'a> {
    pub(crate) g: &'a KnowledgeGraph,
    pub(crate) edge: &'a Edge,
    pub(crate) outgoing: bool,
}

impl flat::Item for Relation<'_> {}

/// A typed, sourced edge between two entities, seen from the entity it was reached from.
#[Object]
impl<'a> Relation<'a> {
    /// The relation's stable id, from what it is (`from|kind|to`, then `#key` where two
    /// of one kind join the same pair): what `endRelation` and `retract` take.
    async fn id(&self) -> String {
        self.edge.id()
    }

    /// The relation's kind.
    async fn kind(&self) -> RelationKind {
        self.edge.relation.kind.into()
    }

    /// Where it starts.
    async fn from(&self) -> Option<Entity<'a>> {
        lookup(self.g, &self.edge.relation.from)
    }

    /// Where it ends.
    async fn to(&self) -> Option<Entity<'a>> {
        lookup(self.g, &self.edge.relation.to)
    }

    /// The end that is not the entity it was reached from.
    async fn other(&self) -> Option<Entity<'a>> {
        let r = &self.edge.relation;
        lookup(self.g, if self.outgoing { &r.to } else { &r.from })
    }

    /// True when the relation starts at the entity it was reached from.
    async fn outgoing(&self) -> bool {
        self.outgoing
    }

    /// A short label, such as a role's title or a revised value.
    async fn label(&self) -> Option<&str> {
        self.edge.relation.label()
    }

    /// When it began to hold.
    async fn valid_from(&self) -> Option<When> {
        self.edge.relation.valid_from().map(Into::into)
    }

    /// When it stopped holding.
    async fn valid_until(&self) -> Option<When> {
        self.edge.relation.valid_until().map(Into::into)
    }

    /// By whose account it holds.
    async fn attribution(&self) -> Option<Attribution<'a>> {
        self.edge
            .relation
            .attribution()
            .map(|a| Attribution { g: self.g, a })
    }

    /// The paragraphs that report it.
    async fn sources(&self) -> Vec<Citation<'a>> {
        citations(self.g, &self.edge.relation.sources)
    }

    /// Anything doubtful about it.
    async fn note(&self) -> Option<&str> {
        self.edge.relation.note()
    }

    /// The field of an entity that implies the relation (`pledger`), or none for a relation recorded on its own.
    async fn implied_by(&self) -> Option<&str> {
        self.edge.implied_by.map(ImpliedBy::as_str)
    }
}

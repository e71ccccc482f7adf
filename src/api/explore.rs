//! Exploration on the wire: neighbourhoods and paths ready to draw,
//! exact pledge totals, what each side gave and got, and a timeline.

use std::borrow::Cow;

use async_graphql::resolver_utils::enum_value;
use async_graphql::{Context, Enum, ID, Object, ScalarType, Value};

use super::answer_json;
use super::claims::RateClaim;
use super::entity::{Entity, Relation, entity, lookup};
use super::enums::{Direction, NodeKind, Period, RelationKind};
use super::error::ApiError;
use super::filters::CommitmentFilter;
use super::flat::{Flat, FlatList, Item, Leaves};
use super::graph;
use super::objects::{Commitment, Deal, TariffMeasure};
use super::pagination::{Around, Atom, Keyset, Page, PageArgs, Total};
use super::scalars::Date;
use super::values::{Money, When};
use crate::graph::{self, KnowledgeGraph};
use crate::model::{self, EntityId, PartialDate};

fn ids(list: &[ID]) -> Result<Vec<EntityId>, ApiError> {
    list.iter()
        .map(|i| EntityId::parse(i).map_err(|e| ApiError::BadUserInput(e.to_string())))
        .collect()
}

fn count(value: i32, what: &str) -> Result<usize, ApiError> {
    usize::try_from(value)
        .map_err(|_| ApiError::BadUserInput(format!("`{what}` must not be negative, got {value}")))
}

/// A node of a drawn subgraph or path.
pub struct GraphNode<'a> {
    g: &'a KnowledgeGraph,
    node: &'a model::Node,
    depth: usize,
}

/// A node ready to draw: its id, kind, label and distance from the start.
#[Object]
impl<'a> GraphNode<'a> {
    /// The entity's id.
    async fn id(&self) -> ID {
        ID(self.node.id.as_str().to_owned())
    }

    /// The entity's kind, for styling.
    async fn kind(&self) -> NodeKind {
        self.node.kind().into()
    }

    /// The label to draw: the entity's name.
    async fn label(&self) -> &str {
        &self.node.name
    }

    /// Steps from the nearest starting entity (0 for a start).
    async fn depth(&self) -> usize {
        self.depth
    }

    /// The entity, with all its fields.
    async fn entity(&self) -> Entity<'a> {
        entity(self.g, self.node)
    }
}

impl Leaves for GraphNode<'_> {
    const LEAVES: &'static [&'static str] = &["id", "kind", "label", "depth"];

    fn leaf(&self, index: usize) -> Value {
        match index {
            0 => Value::String(self.node.id.as_str().to_owned()),
            1 => enum_value(NodeKind::from(self.node.kind())),
            2 => Value::String(self.node.name.clone()),
            _ => self.depth.to_value(),
        }
    }

    fn write_leaf(&self, index: usize, out: &mut Vec<u8>) {
        match index {
            0 => answer_json::plain(out, self.node.id.as_str()),
            1 => answer_json::enum_name(out, NodeKind::from(self.node.kind())),
            2 => answer_json::string(out, &self.node.name),
            _ => answer_json::number(out, self.depth),
        }
    }
}

/// An edge of a drawn subgraph or path.
pub struct GraphEdge<'a> {
    g: &'a KnowledgeGraph,
    edge: &'a graph::Edge,
    as_of: Option<PartialDate>,
}

/// An edge ready to draw: its kind, its ends and the value it carries.
#[Object]
impl<'a> GraphEdge<'a> {
    /// A stable id: `from|kind|to`.
    async fn id(&self) -> ID {
        ID(self.edge.id())
    }

    /// The relation's kind.
    async fn kind(&self) -> RelationKind {
        self.edge.relation.kind.into()
    }

    /// The id of the entity it starts at.
    async fn source(&self) -> ID {
        ID(self.edge.relation.from.as_str().to_owned())
    }

    /// The id of the entity it ends at.
    async fn target(&self) -> ID {
        ID(self.edge.relation.to.as_str().to_owned())
    }

    /// The headline value it carries: a pledge's amount ("USD 550 billion"),
    /// a tariff's change ("27.5% → 15%"), a role's title.
    async fn label(&self) -> Option<String> {
        self.g.headline(self.edge, self.as_of.as_ref())
    }

    /// The relation, with its sources and attribution.
    async fn relation(&self) -> Relation<'a> {
        Relation {
            g: self.g,
            edge: self.edge,
            outgoing: true,
        }
    }
}

impl Leaves for GraphEdge<'_> {
    const LEAVES: &'static [&'static str] = &["id", "kind", "source", "target", "label"];

    fn leaf(&self, index: usize) -> Value {
        let r = &self.edge.relation;
        match index {
            0 => Value::String(self.edge.id()),
            1 => enum_value(RelationKind::from(r.kind)),
            2 => Value::String(r.from.as_str().to_owned()),
            3 => Value::String(r.to.as_str().to_owned()),
            _ => match self.g.headline(self.edge, self.as_of.as_ref()) {
                Some(label) => Value::String(label),
                None => Value::Null,
            },
        }
    }

    fn write_leaf(&self, index: usize, out: &mut Vec<u8>) {
        let r = &self.edge.relation;
        match index {
            0 => answer_json::string_of(out, r.id_parts()),
            1 => answer_json::enum_name(out, RelationKind::from(r.kind)),
            2 => answer_json::plain(out, r.from.as_str()),
            3 => answer_json::plain(out, r.to.as_str()),
            _ => match self.g.headline(self.edge, self.as_of.as_ref()) {
                Some(label) => answer_json::string(out, &label),
                None => out.extend_from_slice(b"null"),
            },
        }
    }
}

/// A subgraph around some entities.
pub struct Subgraph<'a> {
    g: &'a KnowledgeGraph,
    s: graph::Subgraph<'a>,
    as_of: Option<PartialDate>,
}

/// The subgraph around some entities, ready to draw.
#[Object]
impl<'a> Subgraph<'a> {
    /// The nodes, breadth first from the starts, then by id.
    async fn nodes(&self) -> FlatList<GraphNode<'a>> {
        FlatList(
            self.s
                .nodes
                .iter()
                .map(|n| GraphNode {
                    g: self.g,
                    node: n.node,
                    depth: n.depth,
                })
                .collect(),
        )
    }

    /// Every edge among the nodes, by source, kind and target.
    async fn edges(&self) -> FlatList<GraphEdge<'a>> {
        FlatList(
            self.s
                .edges
                .iter()
                .map(|e| GraphEdge {
                    g: self.g,
                    edge: e,
                    as_of: self.as_of,
                })
                .collect(),
        )
    }

    /// True when more nodes were in reach than `limit` allowed.
    async fn truncated(&self) -> bool {
        self.s.truncated
    }

    /// How many nodes in reach `limit` left out (0 when not `truncated`): exactly when
    /// `omittedIsExact`, else at least this many. The walk stops at the level the limit
    /// cuts, so the count is exact when that is the last level asked for; nodes further
    /// out are not counted, as counting them would cost more than the walk.
    async fn omitted(&self) -> usize {
        self.s.omitted
    }

    /// Whether `omitted` is the exact count (true) or a lower bound, "at least" (false).
    async fn omitted_is_exact(&self) -> bool {
        self.s.omitted_exact
    }
}

/// One connection between two entities.
pub struct Path<'a> {
    g: &'a KnowledgeGraph,
    p: graph::Path<'a>,
}

/// A path: alternating nodes and edges from one entity to another.
#[Object]
impl<'a> Path<'a> {
    /// How many edges long it is.
    async fn length(&self) -> usize {
        self.p.steps.len()
    }

    /// The nodes in order, from the start to the end.
    async fn nodes(&self) -> FlatList<GraphNode<'a>> {
        FlatList(
            self.p
                .nodes
                .iter()
                .enumerate()
                .map(|(i, n)| GraphNode {
                    g: self.g,
                    node: n,
                    depth: i,
                })
                .collect(),
        )
    }

    /// The edges in order: `edges[i]` joins `nodes[i]` and `nodes[i + 1]`, either way round.
    async fn edges(&self) -> FlatList<GraphEdge<'a>> {
        FlatList(
            self.p
                .steps
                .iter()
                .map(|s| GraphEdge {
                    g: self.g,
                    edge: s.edge,
                    as_of: None,
                })
                .collect(),
        )
    }
}

/// What totals are grouped by, beside period and currency, which always group.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::graph::GroupBy")]
pub enum TotalsGroup {
    /// Who pledged.
    Pledger,
    /// Who gains; a pledge to several counts once in each of their groups.
    Beneficiary,
    /// What kind of pledge.
    Kind,
    /// The deal.
    Deal,
}

/// One group's exact total.
pub struct PledgeTotal<'a> {
    g: &'a KnowledgeGraph,
    t: graph::PledgeTotal,
}

/// The exact sum of a group of pledges in one currency and one period.
#[Object]
impl<'a> PledgeTotal<'a> {
    /// The pledger, when grouping by it.
    async fn pledger(&self) -> Option<Entity<'a>> {
        self.t.pledger.as_ref().and_then(|i| lookup(self.g, i))
    }

    /// The beneficiary, when grouping by it.
    async fn beneficiary(&self) -> Option<Entity<'a>> {
        self.t.beneficiary.as_ref().and_then(|i| lookup(self.g, i))
    }

    /// The kind of pledge, when grouping by it.
    async fn commitment_kind(&self) -> Option<super::enums::CommitmentKind> {
        self.t.kind.map(Into::into)
    }

    /// The deal, when grouping by it (none for pledges outside any deal).
    async fn deal(&self) -> Option<Deal<'a>> {
        self.t
            .deal
            .as_ref()
            .and_then(|d| self.g.get(d))
            .and_then(|n| Deal::wrap(self.g, n))
    }

    /// One-off or annual: amounts of different periods are never added together.
    async fn period(&self) -> Period {
        self.t.period.into()
    }

    /// The exact sum, each pledge at its pledged level.
    async fn total(&self) -> async_graphql::Result<Money> {
        money(self.t.total, self.t.currency)
    }

    /// The sum of rises over a baseline, for pledges to raise a level (14 to 17 billion a year adds 3).
    async fn increase(&self) -> async_graphql::Result<Money> {
        money(self.t.increase, self.t.currency)
    }

    /// How many pledges were summed.
    async fn count(&self) -> usize {
        self.t.commitments.len()
    }

    /// The pledges summed.
    async fn commitments(&self) -> Vec<Commitment<'a>> {
        self.t
            .commitments
            .iter()
            .filter_map(|i| self.g.get(i))
            .filter_map(|n| Commitment::wrap(self.g, n))
            .collect()
    }
}

fn money(amount: rust_decimal::Decimal, currency: model::Currency) -> async_graphql::Result<Money> {
    model::Money::new(amount, currency)
        .map(|m| (&m).into())
        .map_err(|e| super::error::internal(&e.to_string()))
}

/// A tariff measure and its rate before and after its latest change.
pub struct TariffChange<'a> {
    g: &'a KnowledgeGraph,
    c: graph::TariffChange<'a>,
}

/// A tariff measure with its rate before and after its latest change.
#[Object]
impl<'a> TariffChange<'a> {
    /// The measure.
    async fn measure(&self) -> async_graphql::Result<TariffMeasure<'a>> {
        TariffMeasure::wrap(self.g, self.c.measure).ok_or_else(|| {
            super::error::internal(&format!("{} is not a tariff measure", self.c.measure.id))
        })
    }

    /// The rate the change replaced, if there was one.
    async fn before(&self) -> Option<Flat<RateClaim<'a>>> {
        self.c.before.map(|c| {
            Flat(RateClaim {
                g: self.g,
                c,
                basis: None,
            })
        })
    }

    /// The rate as of the date asked about (now by default).
    async fn after(&self) -> Option<Flat<RateClaim<'a>>> {
        self.c.after.map(|c| {
            Flat(RateClaim {
                g: self.g,
                c,
                basis: self.c.after_basis,
            })
        })
    }
}

/// One side of an exchange.
pub struct ExchangeSide<'a> {
    g: &'a KnowledgeGraph,
    x: graph::Exchange<'a>,
}

impl<'a> ExchangeSide<'a> {
    /// Wraps the graph's answer.
    pub fn wrap(g: &'a KnowledgeGraph, sides: Vec<graph::Exchange<'a>>) -> Vec<Self> {
        sides.into_iter().map(|x| ExchangeSide { g, x }).collect()
    }
}

fn commitments<'a>(g: &'a KnowledgeGraph, nodes: &[&'a model::Node]) -> Vec<Commitment<'a>> {
    nodes
        .iter()
        .filter_map(|n| Commitment::wrap(g, n))
        .collect()
}

/// What one party gave and got: `gave` and `conceded` are what it gave
/// (pledges it made, tariffs it imposes), `got` and `received` what it got
/// (tariffs on its goods, pledges to its benefit).
#[Object]
impl<'a> ExchangeSide<'a> {
    /// The party.
    async fn party(&self) -> Entity<'a> {
        entity(self.g, self.x.party)
    }

    /// Commitments it made.
    async fn gave(&self) -> Vec<Commitment<'a>> {
        commitments(self.g, &self.x.gave)
    }

    /// Tariff measures on its goods, before and after: what it won, or faces.
    async fn got(&self) -> Vec<TariffChange<'a>> {
        self.x
            .got
            .iter()
            .map(|c| TariffChange { g: self.g, c: *c })
            .collect()
    }

    /// Tariff measures it imposes, before and after: what it conceded, or threatens.
    async fn conceded(&self) -> Vec<TariffChange<'a>> {
        self.x
            .conceded
            .iter()
            .map(|c| TariffChange { g: self.g, c: *c })
            .collect()
    }

    /// Commitments made to its benefit.
    async fn received(&self) -> Vec<Commitment<'a>> {
        commitments(self.g, &self.x.received)
    }
}

/// What a timeline entry records.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::graph::TimelineKind")]
pub enum TimelineKind {
    /// An event took place.
    Event,
    /// Someone said something.
    Statement,
    /// A value was set or changed (a pledge's amount, a tariff's rate).
    Revision,
    /// A deal was announced.
    Announcement,
    /// A deadline falls due.
    Deadline,
}

/// The order of a timeline for its cursors: a key is the entry's date, kind, entity,
/// title and claim ([`graph::TimelineKey`]), unique in a timeline.
struct TimelineOrder;

impl Keyset<graph::TimelineEntry<'_>> for TimelineOrder {
    type Key = graph::TimelineKey<'static>;

    fn ordering(&self) -> String {
        "timeline".to_string()
    }

    fn write(&self, e: &graph::TimelineEntry<'_>) -> Vec<Option<Atom>> {
        let key = e.key();
        vec![
            key.date.map(|d| Atom::Date(d.to_string())),
            Some(Atom::Text(key.kind.as_str().to_string())),
            Some(Atom::Id(key.node.to_string())),
            Some(Atom::Text(key.title.into_owned())),
            key.claim.map(|c| Atom::Text(c.into_owned())),
        ]
    }

    fn read(&self, atoms: &[Option<Atom>]) -> Option<graph::TimelineKey<'static>> {
        let [
            date,
            Some(Atom::Text(kind)),
            Some(node),
            Some(Atom::Text(title)),
            claim,
        ] = atoms
        else {
            return None;
        };
        Some(graph::TimelineKey {
            date: match date {
                None => None,
                Some(Atom::Date(d)) => Some(d.parse().ok()?),
                Some(_) => return None,
            },
            kind: kind.parse().ok()?,
            node: Cow::Owned(node.id()?),
            title: Cow::Owned(title.clone()),
            claim: match claim {
                None => None,
                Some(Atom::Text(c)) => Some(Cow::Owned(c.clone())),
                Some(_) => return None,
            },
        })
    }
}

/// One dated entry of a timeline.
pub struct TimelineEntry<'a> {
    g: &'a KnowledgeGraph,
    e: graph::TimelineEntry<'a>,
}

impl Item for TimelineEntry<'_> {}

/// One dated entry of a timeline.
#[Object]
impl<'a> TimelineEntry<'a> {
    /// When, to the precision known (inferred dates say so).
    async fn date(&self) -> When {
        self.e.date.into()
    }

    /// What it records.
    async fn kind(&self) -> TimelineKind {
        self.e.kind.into()
    }

    /// A line to show.
    async fn title(&self) -> &str {
        &self.e.title
    }

    /// The entity it is about: the event, statement, pledge, tariff or deal.
    async fn entity(&self) -> Entity<'a> {
        entity(self.g, self.e.node)
    }

    /// Who acted, where known: the speaker, or who changed the value.
    async fn actor(&self) -> Option<Entity<'a>> {
        self.e.actor.as_ref().and_then(|a| lookup(self.g, a))
    }
}

/// The exploration roots.
#[derive(Default)]
pub struct ExploreQuery;

/// Exploration: neighbourhoods, paths, totals, exchanges, timelines.
#[Object]
impl ExploreQuery {
    /// The subgraph around `ids`, breadth first: nodes within `depth` steps
    /// (at most `max_neighborhood_depth`, 4 by default) over `relations` (all when omitted, none for an empty list) in `direction`,
    /// keeping nodes of `kinds` (all when omitted, none for an empty list; the starts always), at
    /// most `limit` nodes (default 200, at most `max_neighborhood_nodes`, 2,000 by
    /// default; `truncated` says when
    /// it bit), with edges as they held on `asOf` and without the events, statements and
    /// deals still to come on that date. Unknown ids are skipped.
    /// With `depth: 0` it returns the given entities and every edge among
    /// them: how a frontend fetches the edges between what it has drawn.
    #[allow(clippy::too_many_arguments)]
    async fn neighborhood<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(desc = "The entities to start from.")] ids: Vec<ID>,
        #[graphql(
            default = 1,
            desc = "How many steps out (0 to `max_neighborhood_depth`, 4 by default)."
        )]
        depth: i32,
        #[graphql(
            desc = "Follow only relations of these kinds: all when omitted, none for an empty list."
        )]
        relations: Option<Vec<RelationKind>>,
        #[graphql(
            default,
            desc = "Follow edges outgoing, incoming or both (the default)."
        )]
        direction: Direction,
        #[graphql(
            desc = "Keep only entities of these kinds (the starts always stay): all when omitted, none for an empty list."
        )]
        kinds: Option<Vec<NodeKind>>,
        #[graphql(
            default = 200,
            desc = "At most this many nodes (1 to `max_neighborhood_nodes`, 2,000 by default)."
        )]
        limit: i32,
        #[graphql(
            desc = "Draw the edges as they held on this date, and only the events that had happened, the statements that had been made and the deals that had been announced by then (the starts always)."
        )]
        as_of: Option<Date>,
    ) -> async_graphql::Result<Subgraph<'a>> {
        let g = graph(ctx)?;
        let bounds = super::app(ctx)?.bounds();
        let run = || -> Result<_, ApiError> {
            let seeds = self::ids(&ids)?;
            let (depth, limit) = (count(depth, "depth")?, count(limit, "limit")?);
            let as_of = as_of.map(|d| d.0);
            let relations: Option<Vec<model::RelationKind>> = super::enums::kinds(relations);
            let kinds: Option<Vec<model::NodeKind>> = super::enums::kinds(kinds);
            let s = g.neighborhood(
                &seeds,
                depth,
                relations.as_deref().into(),
                direction.into(),
                kinds.as_deref().into(),
                limit,
                as_of.as_ref(),
                &bounds,
            )?;
            Ok(Subgraph { g, s, as_of })
        };
        run().map_err(ApiError::into_graphql)
    }

    /// The shortest connections between two entities, following edges
    /// either way: simple paths of at most `maxLength` edges (default 4, at
    /// most `max_path_length`, 6 by default), shortest first in a fixed order,
    /// at most `limit` (default 5, at most `max_paths`, 20 by default). A
    /// request that would visit more than `path_work_budget` nodes (100,000 by
    /// default)
    /// fails with `WORK_BUDGET_EXCEEDED`.
    #[allow(clippy::too_many_arguments)]
    async fn paths<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(desc = "Where the paths start.")] from: ID,
        #[graphql(desc = "Where the paths end.")] to: ID,
        #[graphql(
            default = 4,
            desc = "The most edges a path may have (at most `max_path_length`, 6 by default)."
        )]
        max_length: i32,
        #[graphql(
            desc = "Follow only relations of these kinds: all when omitted, none for an empty list."
        )]
        relations: Option<Vec<RelationKind>>,
        #[graphql(
            desc = "Pass only through entities of these kinds (the two ends always count): all when omitted, none for an empty list."
        )]
        kinds: Option<Vec<NodeKind>>,
        #[graphql(desc = "Follow only relations that held on this date.")] as_of: Option<Date>,
        #[graphql(
            default = 5,
            desc = "At most this many paths (at most `max_paths`, 20 by default)."
        )]
        limit: i32,
    ) -> async_graphql::Result<Vec<Path<'a>>> {
        let g = graph(ctx)?;
        let bounds = super::app(ctx)?.bounds();
        let run = || -> Result<_, ApiError> {
            let ends = ids(&[from, to])?;
            let relations: Option<Vec<model::RelationKind>> = super::enums::kinds(relations);
            let kinds: Option<Vec<model::NodeKind>> = super::enums::kinds(kinds);
            let as_of = as_of.map(|d| d.0);
            let options = graph::PathOptions {
                max_length: count(max_length, "maxLength")?,
                relations: relations.as_deref().into(),
                kinds: kinds.as_deref().into(),
                as_of: as_of.as_ref(),
                limit: count(limit, "limit")?,
                bounds,
            };
            let found = g.paths_with(&ends[0], &ends[1], &options)?;
            Ok(found.into_iter().map(|p| Path { g, p }).collect())
        };
        run().map_err(ApiError::into_graphql)
    }

    /// Exact sums of pledged money, grouped by `groupBy` and always by
    /// period and currency (one-off and annual amounts, or two currencies,
    /// are never added together). A pledge that is part of another is not
    /// counted twice; a pledge to raise a level counts at its pledged level,
    /// with the rise in `increase`. Pledges without a money amount are left out.
    async fn pledge_totals<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(default, desc = "What to group by, beside period and currency.")] group_by: Vec<
            TotalsGroup,
        >,
        #[graphql(desc = "Which pledges to sum.")] filter: Option<CommitmentFilter>,
        #[graphql(desc = "Sum the amounts as they stood on this date.")] as_of: Option<Date>,
    ) -> async_graphql::Result<Vec<PledgeTotal<'a>>> {
        let g = graph(ctx)?;
        let run = || -> Result<_, ApiError> {
            let filter = filter.unwrap_or_default().to_graph()?;
            let group_by: Vec<graph::GroupBy> = group_by.into_iter().map(Into::into).collect();
            let totals = g.pledge_totals(&group_by, &filter, as_of.map(|d| d.0).as_ref())?;
            Ok(totals.into_iter().map(|t| PledgeTotal { g, t }).collect())
        };
        run().map_err(ApiError::into_graphql)
    }

    /// For each country or body, side by side: what it gave and got across all deals.
    async fn compare<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(desc = "The countries or bodies to compare; unknown ids are skipped.")] countries: Vec<ID>,
        #[graphql(desc = "As things stood on this date.")] as_of: Option<Date>,
    ) -> async_graphql::Result<Vec<ExchangeSide<'a>>> {
        let g = graph(ctx)?;
        let parties = ids(&countries).map_err(ApiError::into_graphql)?;
        Ok(ExchangeSide::wrap(
            g,
            g.compare(&parties, as_of.map(|d| d.0).as_ref()),
        ))
    }

    /// Events, statements, revisions of values, announcements and deadlines
    /// in date order, each at the precision its date is known to; entries
    /// whose dates overlap `from`..`to`, involving any of `entities`.
    #[allow(clippy::too_many_arguments)]
    async fn timeline<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(desc = "The earliest date (inclusive).")] from: Option<Date>,
        #[graphql(desc = "The latest date (inclusive).")] to: Option<Date>,
        #[graphql(desc = "Only entries involving these entities.")] entities: Option<Vec<ID>>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(
            desc = "At most this many from the start (at most `max_page_size`, 100 by default; without `first` or `last`, `default_page_size`, 20 by default; `limits` has the values in force)."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "At most this many from the end (at most `max_page_size`, 100 by default)."
        )]
        last: Option<i32>,
    ) -> async_graphql::Result<Page<TimelineEntry<'a>>> {
        let g = graph(ctx)?;
        let page = PageArgs::new(ctx, after, before, first, last)?;
        let run = || -> Result<_, ApiError> {
            let entities = ids(&entities.unwrap_or_default())?;
            let (from, to) = (from.map(|d| d.0), to.map(|d| d.0));
            let wrap = |e| TimelineEntry { g, e };
            let asked = page.read(&TimelineOrder)?;
            if !page.items {
                let total = Total::Timeline { from, to, entities };
                return Ok(super::pagination::page(
                    Vec::new(),
                    &TimelineOrder,
                    Around::none(total),
                    false,
                    wrap,
                ));
            }
            let window = graph::TimelineWindow {
                after: asked.after,
                before: asked.before,
                first: asked.first,
                last: asked.last,
            };
            let found = g.timeline_page(from.as_ref(), to.as_ref(), &entities, &window);
            let around = Around {
                previous: found.has_previous,
                next: found.has_next,
                total: Total::Timeline { from, to, entities },
            };
            Ok(super::pagination::page(
                found.entries,
                &TimelineOrder,
                around,
                page.cursors,
                wrap,
            ))
        };
        run().map_err(ApiError::into_graphql)
    }
}

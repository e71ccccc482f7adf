//! The query root: lookups, filtered and ordered lists, search and stats.
//! Each resolver asks the graph and wraps what it returns.

use async_graphql::{Context, ID, Object, SimpleObject};

use super::entity::{Entity, NodeInterface, entity, node_interface};
use super::enums::{MatchKind, MatchedField, NodeKind};
use super::error::ApiError;
use super::filters::*;
use super::graph;
use super::objects::{
    Commitment, Country, Deal, Demand, Event, Organization, Person, Project, Source, Statement,
    TariffMeasure, page_of,
};
use super::pagination::{Page, PageArgs, PageSizes};
use super::scalars::Date;
use crate::graph::{Filter, KnowledgeGraph, Order};
use crate::model::{self, EntityId};

/// Hits `search` answers when `first` is not given (fewer when the largest page is smaller):
/// a suggestion list's worth.
const SEARCH_HITS: usize = 10;

/// Lookups, lists, search and stats.
#[derive(Default)]
pub struct Query;

fn find<'a>(g: &'a KnowledgeGraph, id: &ID) -> Option<&'a model::Node> {
    EntityId::parse(id).ok().and_then(|id| g.get(&id))
}

/// Runs one list: filter, order, as-of date and page.
#[allow(clippy::too_many_arguments)]
fn list<'a, T: async_graphql::OutputType>(
    g: &'a KnowledgeGraph,
    kind: model::NodeKind,
    filter: Result<Filter, ApiError>,
    order: Vec<Order>,
    as_of: Option<Date>,
    page: PageArgs,
    wrap: fn(&'a KnowledgeGraph, &'a model::Node) -> Option<T>,
) -> async_graphql::Result<Page<T>> {
    let filter = filter.map_err(ApiError::into_graphql)?;
    let as_of = as_of.map(|d| d.0);
    page_of(g, kind, &filter, &order, as_of.as_ref(), wrap, page)
}

/// One search result.
pub struct SearchHit<'a> {
    g: &'a KnowledgeGraph,
    hit: crate::graph::Hit<'a>,
}

/// One search result: the entity, how well and how it matched.
#[Object]
impl<'a> SearchHit<'a> {
    /// The entity found.
    async fn entity(&self) -> Entity<'a> {
        entity(self.g, self.hit.node)
    }

    /// How well it matched; higher is better, comparable within one search.
    async fn score(&self) -> u32 {
        self.hit.score
    }

    /// How the query matched: exact name, exact alias, whole words, prefixes or typos.
    async fn matched(&self) -> MatchKind {
        self.hit.matched.into()
    }

    /// Which text of the entity matched.
    async fn field(&self) -> MatchedField {
        self.hit.field.into()
    }

    /// The text that matched, as written.
    async fn text(&self) -> &str {
        &self.hit.text
    }
}

/// A count for one kind.
#[derive(SimpleObject)]
pub struct KindCount {
    /// The kind, as its name in the schema.
    pub kind: String,
    /// How many.
    pub count: usize,
}

/// Counts that describe the graph at a glance.
#[derive(SimpleObject)]
pub struct Stats {
    /// Entities in all.
    pub entities: usize,
    /// Relations in all.
    pub relations: usize,
    /// Entities per kind.
    pub entities_by_kind: Vec<KindCount>,
    /// Relations per kind.
    pub relations_by_kind: Vec<KindCount>,
    /// Citations on entities, claims and relations.
    pub citations: usize,
    /// Claims in all.
    pub claims: usize,
    /// Claims ranked deprecated: values a source states wrongly.
    pub deprecated_claims: usize,
    /// Claims and statements carrying a caveat.
    pub caveats: usize,
    /// The version these counts describe: the sequence number of the last change batch
    /// applied, 0 for the graph as the seed built it. One request reads one version.
    pub version: u64,
}

/// The knowledge graph of trade diplomacy: look entities up, list them with typed filters and orderings, search by any name.
#[Object]
impl Query {
    /// The object with this global id (Relay): any entity; null for an unknown id.
    async fn node<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(desc = "The entity's id, such as `country:jp`.")] id: ID,
    ) -> async_graphql::Result<Option<NodeInterface<'a>>> {
        let g = graph(ctx)?;
        Ok(find(g, &id).map(|n| node_interface(g, n)))
    }

    /// The entity with this id, of any kind; null for an unknown id.
    async fn entity<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(desc = "The entity's id, such as `person:howard-lutnick`.")] id: ID,
    ) -> async_graphql::Result<Option<Entity<'a>>> {
        let g = graph(ctx)?;
        Ok(find(g, &id).map(|n| entity(g, n)))
    }

    /// The country with this ISO 3166 alpha-2 code (`JP`, `kr`; `EU` for the European Union), any case; null when unknown.
    async fn country<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(desc = "The two-letter code.")] code: String,
    ) -> async_graphql::Result<Option<Country<'a>>> {
        let g = graph(ctx)?;
        Ok(g.country_by_code(&code).and_then(|n| Country::wrap(g, n)))
    }

    /// The person with this id; null when unknown or of another kind.
    async fn person<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(desc = "The entity's id.")] id: ID,
    ) -> async_graphql::Result<Option<Person<'a>>> {
        let g = graph(ctx)?;
        Ok(find(g, &id).and_then(|n| Person::wrap(g, n)))
    }

    /// The organization with this id; null when unknown or of another kind.
    async fn organization<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(desc = "The entity's id.")] id: ID,
    ) -> async_graphql::Result<Option<Organization<'a>>> {
        let g = graph(ctx)?;
        Ok(find(g, &id).and_then(|n| Organization::wrap(g, n)))
    }

    /// The deal with this id; null when unknown or of another kind.
    async fn deal<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(desc = "The entity's id.")] id: ID,
    ) -> async_graphql::Result<Option<Deal<'a>>> {
        let g = graph(ctx)?;
        Ok(find(g, &id).and_then(|n| Deal::wrap(g, n)))
    }

    /// The commitment with this id; null when unknown or of another kind.
    async fn commitment<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(desc = "The entity's id.")] id: ID,
    ) -> async_graphql::Result<Option<Commitment<'a>>> {
        let g = graph(ctx)?;
        Ok(find(g, &id).and_then(|n| Commitment::wrap(g, n)))
    }

    /// The tariff measure with this id; null when unknown or of another kind.
    async fn tariff_measure<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(desc = "The entity's id.")] id: ID,
    ) -> async_graphql::Result<Option<TariffMeasure<'a>>> {
        let g = graph(ctx)?;
        Ok(find(g, &id).and_then(|n| TariffMeasure::wrap(g, n)))
    }

    /// The event with this id; null when unknown or of another kind.
    async fn event<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(desc = "The entity's id.")] id: ID,
    ) -> async_graphql::Result<Option<Event<'a>>> {
        let g = graph(ctx)?;
        Ok(find(g, &id).and_then(|n| Event::wrap(g, n)))
    }

    /// The statement with this id; null when unknown or of another kind.
    async fn statement<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(desc = "The entity's id.")] id: ID,
    ) -> async_graphql::Result<Option<Statement<'a>>> {
        let g = graph(ctx)?;
        Ok(find(g, &id).and_then(|n| Statement::wrap(g, n)))
    }

    /// The demand with this id; null when unknown or of another kind.
    async fn demand<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(desc = "The entity's id.")] id: ID,
    ) -> async_graphql::Result<Option<Demand<'a>>> {
        let g = graph(ctx)?;
        Ok(find(g, &id).and_then(|n| Demand::wrap(g, n)))
    }

    /// The project with this id; null when unknown or of another kind.
    async fn project<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(desc = "The entity's id.")] id: ID,
    ) -> async_graphql::Result<Option<Project<'a>>> {
        let g = graph(ctx)?;
        Ok(find(g, &id).and_then(|n| Project::wrap(g, n)))
    }

    /// The source with this id; null when unknown or of another kind.
    async fn source<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(desc = "The entity's id.")] id: ID,
    ) -> async_graphql::Result<Option<Source<'a>>> {
        let g = graph(ctx)?;
        Ok(find(g, &id).and_then(|n| Source::wrap(g, n)))
    }

    /// Entities whose names, aliases (metonyms such as a capital for its
    /// government, titles, romanizations), descriptions or quotes match
    /// `text`, best first: exact name, exact alias, whole words, prefixes,
    /// then words within two typos. Case, accents and punctuation do not matter.
    async fn search<'a>(
        &self,
        ctx: &Context<'a>,
        #[graphql(desc = "What to look for.")] text: String,
        #[graphql(
            desc = "Only entities of these kinds: all when omitted, none for an empty list."
        )]
        kinds: Option<Vec<NodeKind>>,
        #[graphql(
            desc = "At most this many hits (10 by default, or `max_page_size` when that is smaller; at most `max_page_size`, 100 by default)."
        )]
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<SearchHit<'a>>> {
        let app = super::app(ctx)?;
        let g = graph(ctx)?;
        let sizes = PageSizes::of(ctx)?;
        let first = sizes
            .check(first, "first")
            .map_err(ApiError::into_graphql)?
            .unwrap_or(SEARCH_HITS.min(sizes.max));
        let kinds: Option<Vec<model::NodeKind>> = super::enums::kinds(kinds);
        Ok(
            g.search(&text, kinds.as_deref().into(), first, &app.bounds())
                .into_iter()
                .map(|hit| SearchHit { g, hit })
                .collect(),
        )
    }

    /// Counts of the graph's entities, relations, citations and claims.
    async fn stats(&self, ctx: &Context<'_>) -> async_graphql::Result<Stats> {
        let g = graph(ctx)?;
        let s = g.counts();
        Ok(Stats {
            entities: g.node_count(),
            relations: g.edge_count(),
            entities_by_kind: s
                .nodes
                .iter()
                .map(|(k, n)| KindCount {
                    kind: k.type_name().into(),
                    count: *n,
                })
                .collect(),
            relations_by_kind: s
                .relations
                .iter()
                .map(|(k, n)| KindCount {
                    kind: k.as_str().into(),
                    count: *n,
                })
                .collect(),
            citations: s.citations,
            claims: s.claims,
            deprecated_claims: s.deprecated,
            caveats: s.caveats,
            version: g.version(),
        })
    }
}

/// Declares one filtered, ordered, paged list root per kind of entity.
macro_rules! list_roots {
    ($($(#[$doc:meta])* $name:ident -> $ty:ident, $kind:ident, $filter:ty, $order:ty;)*) => {
        /// Filtered, ordered lists of each kind of entity.
        #[derive(Default)]
        pub struct Lists;

        /// Filtered, ordered lists of each kind of entity, as Relay connections.
        #[Object]
        impl Lists {
            $(
                $(#[$doc])*
                #[allow(clippy::too_many_arguments)]
                async fn $name<'a>(
                    &self,
                    ctx: &Context<'a>,
                    #[graphql(desc = "Which to list.")] filter: Option<$filter>,
                    #[graphql(desc = "How to order them; ties break by id.")] order_by: Option<Vec<$order>>,
                    #[graphql(desc = "Compare values that change (amounts, rates, statuses) as they stood on this date; today when omitted.")]
                    as_of: Option<Date>,
                    #[graphql(desc = "Items after this cursor.")] after: Option<String>,
                    #[graphql(desc = "Items before this cursor.")] before: Option<String>,
                    #[graphql(desc = "At most this many from the start (at most `max_page_size`, 100 by default; without `first` or `last`, `default_page_size`, 20 by default; `limits` has the values in force).")] first: Option<i32>,
                    #[graphql(desc = "At most this many from the end (at most `max_page_size`, 100 by default).")] last: Option<i32>,
                ) -> async_graphql::Result<Page<$ty<'a>>> {
                    let order = order_by.unwrap_or_default().into_iter().map(<$order>::to_graph).collect();
                    let filter = filter.unwrap_or_default().to_graph();
                    let page = PageArgs::new(ctx, after, before, first, last)?;
                    list(graph(ctx)?, model::NodeKind::$kind, filter, order, as_of, page, $ty::wrap)
                }
            )*
        }
    };
}

list_roots! {
    /// Countries and blocs.
    countries -> Country, Country, CountryFilter, CountryOrder;
    /// People.
    people -> Person, Person, PersonFilter, PersonOrder;
    /// Organizations: government bodies, companies, media outlets, international bodies, parties, delegations.
    organizations -> Organization, Organization, OrganizationFilter, OrganizationOrder;
    /// Deals and negotiations.
    deals -> Deal, Deal, DealFilter, DealOrder;
    /// Commitments: who pledged what to whom.
    commitments -> Commitment, Commitment, CommitmentFilter, CommitmentOrder;
    /// Demands: what one side asks of another (never counted as pledges).
    demands -> Demand, Demand, DemandFilter, DemandOrder;
    /// Tariff measures.
    tariff_measures -> TariffMeasure, TariffMeasure, TariffMeasureFilter, TariffMeasureOrder;
    /// Events; with `filter: { date: { gte, lte } }` and `orderBy: [{ field: DATE }]`, a timeline.
    events -> Event, Event, EventFilter, EventOrder;
    /// Statements: who said what, where, about what.
    statements -> Statement, Statement, StatementFilter, StatementOrder;
    /// Projects.
    projects -> Project, Project, ProjectFilter, ProjectOrder;
    /// Sources: documents and curator notes.
    sources -> Source, Source, SourceFilter, SourceOrder;
}

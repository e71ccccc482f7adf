//! The GraphQL API: async-graphql types and roots over the graph. Thin:
//! resolvers ask the `graph` layer and shape the answer.

mod budget;
mod claims;
mod entity;
pub mod enums;
mod error;
mod explore;
mod filters;
mod objects;
mod pagination;
mod query;
mod scalars;
mod values;

use std::sync::Arc;

use async_graphql::{EmptyMutation, EmptySubscription, MergedObject, Schema};

use crate::graph::KnowledgeGraph;
pub use error::{ApiError, ErrorCodes, code, internal};
pub use pagination::{DEFAULT_PAGE, MAX_PAGE};
pub use query::Query;

/// The query root: lookups and lists, then exploration.
#[derive(MergedObject, Default)]
pub struct QueryRoot(Query, query::Lists, explore::ExploreQuery);

/// The schema type.
pub type PledgeSchema = Schema<QueryRoot, EmptyMutation, EmptySubscription>;

/// The graph a request reads, from the schema's data.
pub(crate) fn graph<'a>(
    ctx: &async_graphql::Context<'a>,
) -> async_graphql::Result<&'a KnowledgeGraph> {
    ctx.data::<Arc<KnowledgeGraph>>().map(|g| g.as_ref())
}

/// Limits on the work one request may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most nodes a `paths` request may visit before it fails with
    /// `WORK_BUDGET_EXCEEDED`.
    pub work_budget: usize,
    /// The most fields one request may resolve before it fails with
    /// `WORK_BUDGET_EXCEEDED`.
    pub field_budget: usize,
    /// The deepest selection a query may nest; deeper fails with `MAX_DEPTH_EXCEEDED`.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // 100,000 visits answer any path question on a graph of a
            // million entities in well under a second, and no more.
            work_budget: crate::graph::WORK_BUDGET,
            // A full neighbourhood of 2,000 nodes and their edges, drawn with
            // a dozen fields each, resolves under 100,000 fields.
            field_budget: 250_000,
            // The explorer's and the playground's deepest queries nest about 10.
            max_depth: 24,
        }
    }
}

/// Builds the schema once over a shared graph.
pub fn schema(graph: Arc<KnowledgeGraph>) -> PledgeSchema {
    schema_with(graph, Limits::default())
}

/// Builds the schema with chosen limits.
pub fn schema_with(graph: Arc<KnowledgeGraph>, limits: Limits) -> PledgeSchema {
    Schema::build(QueryRoot::default(), EmptyMutation, EmptySubscription)
        .data(graph)
        .data(limits)
        .limit_depth(limits.max_depth)
        .extension(ErrorCodes)
        .extension(budget::FieldBudget {
            fields: limits.field_budget,
        })
        .finish()
}

/// The schema's SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(QueryRoot::default(), EmptyMutation, EmptySubscription)
        .finish()
        .sdl()
}

//! The GraphQL API: async-graphql types and roots over the graph. Thin:
//! resolvers ask the `graph` layer and shape the answer.

mod claims;
mod entity;
pub mod enums;
mod error;
mod filters;
mod objects;
mod pagination;
mod query;
mod scalars;
mod values;

use std::sync::Arc;

use async_graphql::{EmptyMutation, EmptySubscription, Schema};

use crate::graph::KnowledgeGraph;
pub use error::{ApiError, ErrorCodes, code, internal};
pub use pagination::{DEFAULT_PAGE, MAX_PAGE};
pub use query::Query;

/// The schema type.
pub type PledgeSchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// Builds the schema once over a shared graph.
pub fn schema(graph: Arc<KnowledgeGraph>) -> PledgeSchema {
    Schema::build(Query, EmptyMutation, EmptySubscription)
        .data(graph)
        .extension(ErrorCodes)
        .finish()
}

/// The schema's SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query, EmptyMutation, EmptySubscription)
        .finish()
        .sdl()
}

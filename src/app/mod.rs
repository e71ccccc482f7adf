//! The running state: the graph loaded from the seed and the schema built
//! over it, once, shared by every worker.

use std::path::Path;
use std::sync::Arc;

use crate::api::{self, PledgeSchema};
use crate::graph::{GraphError, KnowledgeGraph};
use crate::seed::{self, SeedErrors};

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// The seed is invalid; every error is listed.
    #[error(transparent)]
    Seed(#[from] SeedErrors),
    /// The seed's records do not make a graph.
    #[error(transparent)]
    Graph(#[from] GraphError),
}

/// The loaded graph and the schema over it.
#[derive(Clone)]
pub struct App {
    /// The graph every reader sees.
    pub graph: Arc<KnowledgeGraph>,
    /// The GraphQL schema, built once.
    pub schema: PledgeSchema,
}

impl App {
    /// Loads and validates the seed directory and builds the graph and schema.
    pub fn load(seed_dir: &Path) -> Result<Self, AppError> {
        let graph = Arc::new(KnowledgeGraph::from_seed(seed::load_dir(seed_dir)?)?);
        Ok(Self::from_graph(graph))
    }

    /// Serves an already built graph.
    pub fn from_graph(graph: Arc<KnowledgeGraph>) -> Self {
        Self::with_limits(graph, api::Limits::default())
    }

    /// Serves an already built graph with chosen limits.
    pub fn with_limits(graph: Arc<KnowledgeGraph>, limits: api::Limits) -> Self {
        let schema = api::schema_with(graph.clone(), limits);
        App { graph, schema }
    }

    /// Runs one GraphQL request without a server.
    pub async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        self.schema.execute(request).await
    }
}

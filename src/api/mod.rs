//! The GraphQL API: async-graphql types and roots over the graph. Thin:
//! resolvers ask the `graph` layer and shape the answer.

mod analysis;
pub(crate) mod answer_json;
mod claims;
mod create;
mod entity;
pub mod enums;
mod error;
mod explore;
mod filters;
mod flat;
mod guard;
mod history;
mod inputs;
mod limits;
mod mutation;
mod objects;
mod pagination;
mod parse_cache;
mod passed;
mod persisted;
mod query;
mod run;
mod scalars;
mod shape;
pub(crate) mod snapshot;
mod subscription;
mod switches;
mod values;
mod variables;

use async_graphql::{MergedObject, Request, Response, Schema, SchemaBuilder, ValidationMode};

use crate::app::App;
pub use crate::app::RequestId;
use crate::graph::KnowledgeGraph;
pub use error::{ApiError, REQUEST_ERROR, code, internal};
pub(crate) use flat::written_as_json;
pub use guard::{Cost, cost, operation_type, parsed};
pub use mutation::{Credentials, Mutation};
pub use persisted::names_its_document;
pub use query::Query;
pub use run::{execute, execute_batch, execute_stream};

/// The query root: lookups and lists, then exploration, then the limits in force.
#[derive(MergedObject, Default)]
pub struct QueryRoot(
    Query,
    query::Lists,
    explore::ExploreQuery,
    limits::LimitsQuery,
    history::HistoryQuery,
);

/// The schema as async-graphql builds it.
type Graphql = Schema<QueryRoot, Mutation, subscription::SubscriptionRoot>;

/// The schema, built twice with one difference: `strict` runs every rule of the validator,
/// as a document not seen before needs; `fast` leaves them out, for a document that has
/// passed them already (its text is kept with the mark: see [`parse_cache`]). On a small
/// query the rules were a fifth of the work. Cheap to clone.
#[derive(Clone)]
pub struct PledgeSchema {
    strict: Graphql,
    fast: Graphql,
}

impl PledgeSchema {
    /// The schema's SDL.
    pub fn sdl(&self) -> String {
        self.strict.sdl()
    }

    /// Runs a request that has passed the checks before any work, validating its document
    /// unless it has passed the validator before, and marking it when it passes.
    async fn run(&self, request: Request, validated: &parse_cache::Validated) -> Response {
        if validated.is_set() {
            return self.fast.execute(request).await;
        }
        let response = self.strict.execute(request).await;
        // A document the validator refused gets no data and errors without a path; one it
        // passed was run, whatever came of it.
        let ran = response.data != async_graphql::Value::Null
            || response.errors.iter().any(|e| !e.path.is_empty());
        if ran {
            validated.set();
        }
        response
    }

    /// The schema a subscription or a websocket operation runs on.
    fn for_stream(&self, validated: &parse_cache::Validated) -> &Graphql {
        match validated.is_set() {
            true => &self.fast,
            false => &self.strict,
        }
    }
}

/// The running state a request reads, from the schema's data.
pub(crate) fn app<'a>(ctx: &async_graphql::Context<'a>) -> async_graphql::Result<&'a App> {
    ctx.data::<App>()
}

/// The version of the graph this request reads, pinned the first time it reads the graph.
pub(crate) fn graph<'a>(
    ctx: &async_graphql::Context<'a>,
) -> async_graphql::Result<&'a KnowledgeGraph> {
    let app = app(ctx)?;
    Ok(ctx.data::<snapshot::Pinned>()?.get(app).as_ref())
}

/// Builds the schema once over the running state, with its configuration's switches. The
/// limits are checked before a request reaches it: run requests through [`execute`].
pub fn schema(app: App) -> PledgeSchema {
    // Read the schema's shapes now rather than on the first request.
    let _ = shape::shapes();
    PledgeSchema {
        strict: build(app.clone(), ValidationMode::Strict),
        fast: build(app, ValidationMode::Fast),
    }
}

/// The schema over `app`, validating in `mode`.
fn build(app: App, mode: ValidationMode) -> Graphql {
    let config = app.config();
    let (introspection, suggestions) = (config.introspection, config.field_suggestions);
    let builder = builder()
        .data(app)
        .validation_mode(mode)
        // The guard refuses deeper nesting first, with its code; this bound only keeps
        // async-graphql's own walk in step with it.
        .limit_recursive_depth(analysis::MAX_NESTING);
    // A document run in the fast mode has passed the strict one: not walked again.
    let builder = match mode {
        ValidationMode::Fast => builder.extension(passed::Passed),
        ValidationMode::Strict => builder,
    };
    switches::apply(builder, introspection, suggestions).finish()
}

/// The schema's roots, as served and as written out: an Apollo Federation subgraph, whose
/// `_service { sdl }` answers the schema for a router to compose. Federation also spares
/// every root field async-graphql's scan of the schema's types for federation keys (4% of
/// the instructions of a query with one root field).
fn builder() -> SchemaBuilder<QueryRoot, Mutation, subscription::SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        Mutation,
        subscription::SubscriptionRoot,
    )
    .enable_federation()
}

/// The schema's SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    builder().finish().sdl()
}

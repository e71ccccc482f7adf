//! One version per request: the latest snapshot of the graph is taken as the request
//! starts and every resolver of that request reads it, however long it runs.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest,
};
use async_graphql::{Request, ServerResult};

use crate::app::App;

/// Gives each request the graph's latest version.
pub struct TakeSnapshot;

impl ExtensionFactory for TakeSnapshot {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(TakeSnapshot)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for TakeSnapshot {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let snapshot = ctx
            .data::<App>()
            .map(App::graph)
            .map_err(|e| e.into_server_error(async_graphql::Pos::default()))?;
        next.run(ctx, request.data(snapshot)).await
    }
}

//! One version per request: the latest snapshot of the graph is taken as an HTTP request
//! (or a command-line query) starts and given to every operation in it as request data,
//! which every resolver reads however long it runs. Request data, not a schema extension:
//! an extension would wrap every field's resolution in one more future.

use async_graphql::BatchRequest;

use crate::app::App;

/// Gives every operation of `batch` the graph's latest version, one version for all.
pub fn attach(app: &App, batch: BatchRequest) -> BatchRequest {
    let snapshot = app.graph();
    match batch {
        BatchRequest::Single(request) => BatchRequest::Single(request.data(snapshot)),
        BatchRequest::Batch(requests) => BatchRequest::Batch(
            requests
                .into_iter()
                .map(|r| r.data(snapshot.clone()))
                .collect(),
        ),
    }
}

//! One version per request: the latest snapshot of the graph is taken as an HTTP request
//! (or a command-line query) starts and given to every operation in it as request data,
//! which every resolver reads however long it runs. Request data, not a schema extension:
//! an extension would wrap every field's resolution in one more future. The request's
//! credentials travel the same way, for the writes that need them.

use async_graphql::BatchRequest;

use super::Credentials;
use crate::app::App;

/// Gives every operation of `batch` the graph's latest version, one version for all, and
/// the credentials the request came with.
pub fn attach(app: &App, batch: BatchRequest, credentials: Credentials) -> BatchRequest {
    let snapshot = app.graph();
    match batch {
        BatchRequest::Single(request) => {
            BatchRequest::Single(request.data(snapshot).data(credentials))
        }
        BatchRequest::Batch(requests) => BatchRequest::Batch(
            requests
                .into_iter()
                .map(|r| r.data(snapshot.clone()).data(credentials.clone()))
                .collect(),
        ),
    }
}

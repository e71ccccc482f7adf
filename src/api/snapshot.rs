//! One version per request: the version of the graph a request reads is pinned the first
//! time it reads the graph (for a query, as it starts) and kept to its end, however many
//! batches land meanwhile; every operation of a batch shares it. Request data, not a
//! schema extension: an extension would wrap every field's resolution in one more future.
//! Pinned on first read rather than on arrival, so that a mutation waiting its turn to
//! write holds no version the writer must wait for. The request's credentials travel the
//! same way, for the writes that need them.

use std::sync::{Arc, OnceLock};

use async_graphql::BatchRequest;

use super::Credentials;
use crate::app::{App, Snapshot};

/// The version a request reads, once it has read the graph.
#[derive(Debug, Clone, Default)]
pub struct Pinned(Arc<OnceLock<Snapshot>>);

impl Pinned {
    /// The pinned version, pinning the latest of `app` on first use.
    pub fn get(&self, app: &App) -> &Snapshot {
        self.0.get_or_init(|| app.graph())
    }

    /// The version pinned, if the request has read the graph.
    pub fn version(&self) -> Option<u64> {
        self.0.get().map(|graph| graph.version())
    }
}

/// Gives every operation of `batch` one version of the graph to read, pinned on first
/// use, and the credentials the request came with; answers the pin too, to read after.
pub fn attach(batch: BatchRequest, credentials: Credentials) -> (BatchRequest, Pinned) {
    let pinned = Pinned::default();
    let batch = match batch {
        BatchRequest::Single(request) => {
            BatchRequest::Single(request.data(pinned.clone()).data(credentials))
        }
        BatchRequest::Batch(requests) => BatchRequest::Batch(
            requests
                .into_iter()
                .map(|r| r.data(pinned.clone()).data(credentials.clone()))
                .collect(),
        ),
    };
    (batch, pinned)
}

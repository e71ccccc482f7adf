//! Running a request: the checks before any work ([`super::guard`]), then the schema (its
//! validator only for a document not yet passed: [`super::PledgeSchema`]), then
//! the codes on the answer's errors ([`super::error::finish`]). Every transport runs
//! requests through here; the schema itself has no extensions, so no field pays for them.

use std::sync::Arc;

use async_graphql::futures_util::stream::{self, BoxStream, StreamExt};
use async_graphql::{BatchRequest, BatchResponse, Data, Request, Response};

use super::error::{finish, request_error};
use super::{PledgeSchema, guard};
use crate::app::Config;

/// The answer to one request.
pub async fn execute(schema: &PledgeSchema, mut request: Request, config: &Config) -> Response {
    match guard::checked(&mut request, config) {
        Ok(validated) => finish(schema.run(request, &validated).await),
        Err(error) => request_error(vec![error]),
    }
}

/// The answers to a request or a batch, one operation after another.
pub async fn execute_batch(
    schema: &PledgeSchema,
    batch: BatchRequest,
    config: &Config,
) -> BatchResponse {
    match batch {
        BatchRequest::Single(request) => {
            BatchResponse::Single(execute(schema, request, config).await)
        }
        BatchRequest::Batch(requests) => {
            let mut responses = Vec::with_capacity(requests.len());
            for request in requests {
                responses.push(execute(schema, request, config).await);
            }
            BatchResponse::Batch(responses)
        }
    }
}

/// The answers to an operation of a websocket connection: one for a query or a mutation,
/// as many as it yields for a subscription.
pub fn execute_stream(
    schema: &PledgeSchema,
    mut request: Request,
    session_data: Option<Arc<Data>>,
    config: &Config,
) -> BoxStream<'static, Response> {
    let schema = match guard::checked(&mut request, config) {
        Ok(validated) => schema.for_stream(&validated),
        Err(error) => return stream::once(std::future::ready(request_error(vec![error]))).boxed(),
    };
    let responses = match session_data {
        Some(session) => schema.execute_stream_with_session_data(request, session),
        None => schema.execute_stream(request),
    };
    responses.map(finish).boxed()
}

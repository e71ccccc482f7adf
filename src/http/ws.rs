//! GraphQL over a websocket at `/graphql/ws` (the graphql-ws protocols): subscriptions,
//! and queries and mutations too. Each operation reads its own version of the graph; the
//! editor's token comes in the `connection_init` payload (`{"Authorization": "Bearer …"}`).

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::futures_util::stream::BoxStream;
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor, Pos, Request, Response};
use async_graphql_actix_web::GraphQLSubscription;
use futures_util::StreamExt;

use super::Served;
use super::admission::Admission;
use super::negotiate::Answer;
use crate::api::{Credentials, PledgeSchema, internal, snapshot};
use crate::app::App;

/// The schema, giving each operation of a connection a version of the graph of its own
/// (a connection lives long; one version for all its operations would go stale), and
/// admitting each query or mutation in its lane as over HTTP.
#[derive(Clone)]
struct PerOperation {
    schema: PledgeSchema,
    admission: Admission,
    app: App,
}

impl Executor for PerOperation {
    async fn execute(&self, request: Request) -> Response {
        let mut responses = self.execute_stream(request, None);
        match responses.next().await {
            Some(response) => response,
            None => panicked("the operation ended without an answer"),
        }
    }

    /// Every operation of a connection comes here. A subscription streams as long as it
    /// lives; a query or a mutation is admitted in its lane like one over HTTP.
    fn execute_stream(
        &self,
        mut request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let cost = crate::api::cost(&mut request, self.app.config());
        let subscription = cost.operation == Some(OperationType::Subscription);
        let reads_only = cost.operation == Some(OperationType::Query);
        let complexity = cost.complexity;
        let request = request.data(snapshot::Pinned::default());
        let mut responses =
            crate::api::execute_stream(&self.schema, request, session_data, self.app.config());
        if subscription {
            return responses;
        }
        let admission = self.admission.clone();
        let answer = async move {
            let work = async move { responses.next().await };
            match admission.run(complexity, reads_only, work).await {
                Ok(Ok(Some(response))) => response,
                Ok(Ok(None)) => panicked("the operation ended without an answer"),
                Ok(Err(said)) => panicked(&said),
                Err(refused) => refused.to_response(),
            }
        };
        Box::pin(futures_util::stream::once(answer))
    }
}

/// The answer when an operation's work failed without one: what happened goes to the log.
fn panicked(detail: &str) -> Response {
    let error = internal(detail).into_server_error(Pos::default());
    Response::from_errors(vec![error])
}

/// The bearer token of a `connection_init` payload, under `Authorization` (any case).
fn credentials(payload: &serde_json::Value) -> Credentials {
    let token = payload
        .as_object()
        .and_then(|o| {
            o.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        })
        .and_then(|(_, v)| v.as_str())
        .and_then(super::bearer);
    Credentials(token)
}

/// `GET /graphql/ws`: upgrades to a graphql-ws connection, when a browser page opening it
/// is of an allowed origin (`cors_origins`; browsers do not apply CORS to websockets).
pub(super) async fn connect(
    req: HttpRequest,
    payload: web::Payload,
    served: web::Data<Served>,
) -> actix_web::Result<HttpResponse> {
    if let Err(refused) = super::graphql::rate_limit(&req, &served, Answer::Json) {
        return Ok(refused);
    }
    if !served.cors.allows_request(&req) {
        return Ok(HttpResponse::Forbidden()
            .content_type("application/json")
            .body(
                serde_json::json!({ "errors": [{
                    "message": "this origin may not open the websocket (`cors_origins`)",
                    "extensions": { "code": crate::api::code::FORBIDDEN },
                }] })
                .to_string(),
            ));
    }
    let executor = PerOperation {
        schema: served.schema.clone(),
        admission: served.admission.clone(),
        app: served.app.clone(),
    };
    GraphQLSubscription::new(executor)
        .on_connection_init(|payload| async move {
            let mut data = Data::default();
            data.insert(credentials(&payload));
            Ok(data)
        })
        .start(&req, payload)
}

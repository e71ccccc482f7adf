//! GraphQL over a websocket at `/graphql/ws` (the graphql-ws protocols): subscriptions,
//! and queries and mutations too. Each operation reads its own version of the graph; the
//! editor's token comes in the `connection_init` payload (`{"Authorization": "Bearer …"}`).

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::futures_util::stream::BoxStream;
use async_graphql::{Data, Executor, Request, Response};
use async_graphql_actix_web::GraphQLSubscription;

use super::Served;
use crate::api::{Credentials, PledgeSchema, snapshot};

/// The schema, giving each operation of a connection a version of the graph of its own
/// (a connection lives long; one version for all its operations would go stale).
#[derive(Clone)]
struct PerOperation(PledgeSchema);

impl Executor for PerOperation {
    async fn execute(&self, request: Request) -> Response {
        self.0
            .execute(request.data(snapshot::Pinned::default()))
            .await
    }

    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let request = request.data(snapshot::Pinned::default());
        match session_data {
            Some(session) => self.0.execute_stream_with_session_data(request, session),
            None => self.0.execute_stream(request),
        }
    }
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
    GraphQLSubscription::new(PerOperation(served.schema.clone()))
        .on_connection_init(|payload| async move {
            let mut data = Data::default();
            data.insert(credentials(&payload));
            Ok(data)
        })
        .start(&req, payload)
}

//! GraphQL over HTTP: `POST /graphql` with a JSON body (one request or a
//! batch) and `GET /graphql` with the query in the URL. Transport errors
//! answer in the GraphQL shape with a code, never a panic.

use actix_web::http::StatusCode;
use actix_web::http::header::{
    ALLOW, AUTHORIZATION, CACHE_CONTROL, CONTENT_LENGTH, ETAG, HeaderName, HeaderValue,
    RETRY_AFTER, VARY,
};
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, BatchResponse, Response};
use futures_util::StreamExt;

use super::Served;
use super::admission::Refused;
use super::answers::{self, Sent, Stamp};
use super::cache;
use super::negotiate::{self, Answer};
use super::observe::Observed;
use crate::api::answer_json;
use crate::api::{Credentials, REQUEST_ERROR, code, internal};

/// An answer in the GraphQL shape without `data`: one error with its code.
fn error(status: StatusCode, code: &str, message: &str) -> HttpResponse {
    error_as(Answer::Json, status, code, message)
}

fn error_as(answer: Answer, status: StatusCode, code: &str, message: &str) -> HttpResponse {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code } }]
    });
    HttpResponse::build(status)
        .content_type(answer.content_type())
        .body(body.to_string())
}

fn not_acceptable() -> HttpResponse {
    error(
        StatusCode::NOT_ACCEPTABLE,
        code::BAD_REQUEST,
        "the answer is `application/graphql-response+json` or `application/json`; \
         accept one of them",
    )
}

fn too_large(max: usize) -> HttpResponse {
    let message = format!("the request body is larger than {max} bytes (`max_body_bytes`)");
    error(
        StatusCode::PAYLOAD_TOO_LARGE,
        code::DOCUMENT_TOO_LARGE,
        &message,
    )
}

/// Reads the body, refusing it as soon as it is known to be larger than `max` bytes.
async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    max: usize,
) -> Result<web::BytesMut, HttpResponse> {
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(too_large(max));
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            error(
                StatusCode::BAD_REQUEST,
                code::BAD_REQUEST,
                &format!("the request body could not be read: {e}"),
            )
        })?;
        if body.len() + chunk.len() > max {
            return Err(too_large(max));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `POST /graphql`: a JSON body with `query`, `variables`, `operationName`, or an array of them.
pub(super) async fn post(
    req: HttpRequest,
    payload: web::Payload,
    served: web::Data<Served>,
) -> HttpResponse {
    let Some(answer) = negotiate::answer(&req) else {
        return not_acceptable();
    };
    if let Err(refused) = rate_limit(&req, &served, answer) {
        return refused;
    }
    if !negotiate::json_body(&req) {
        return error_as(
            answer,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code::BAD_REQUEST,
            "send the request as JSON with `Content-Type: application/json`",
        );
    }
    let body = match read_body(&req, payload, served.app.config().max_body_bytes).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let stamp = Stamp::now(served.app.graph().version());
    if let Some(hit) = kept_answer(&req, &served, answer, Sent::Post, &body, stamp) {
        return hit.finish(&[]);
    }
    let batch = match batch_of(&body) {
        Ok(batch) => batch,
        Err(e) => {
            return error_as(
                answer,
                StatusCode::BAD_REQUEST,
                code::BAD_REQUEST,
                &format!("the body is not a GraphQL request: {e}"),
            );
        }
    };
    if batch
        .iter()
        .any(|r| r.query.trim().is_empty() && !crate::api::names_its_document(r))
    {
        return no_query(answer);
    }
    if let BatchRequest::Batch(items) = &batch {
        let max = served.app.config().max_batch;
        if items.len() > max {
            return batch_too_large(answer, items.len(), max);
        }
    }
    let operation = match &batch {
        BatchRequest::Single(r) => r.operation_name.clone(),
        BatchRequest::Batch(_) => Some(super::metrics::BATCH.to_string()),
    };
    let (response, read) = execute(&served, batch, credentials(&req), stamp).await;
    Observed::note(&req, operation.as_deref(), outcome(&response));
    match response {
        Ok(response) => {
            let respond = respond(answer, response);
            keep(
                &served,
                Sent::Post,
                &body,
                read,
                &respond,
                operation.as_deref(),
            );
            respond.finish(&[])
        }
        Err(refused) => refusal(answer, refused),
    }
}

/// The request or the batch a POST body holds: an array is a batch, anything else one
/// request. Read as the one shape it can be, rather than as async-graphql's `BatchRequest`,
/// which buffers the whole body to try each shape in turn, and whose error names neither
/// the field nor the place that is wrong.
fn batch_of(body: &[u8]) -> serde_json::Result<BatchRequest> {
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => match serde_json::from_slice::<Vec<_>>(body)? {
            batch if batch.is_empty() => Err(serde::de::Error::invalid_length(
                0,
                &"a batch of at least one request",
            )),
            batch => Ok(BatchRequest::Batch(batch)),
        },
        _ => serde_json::from_slice(body).map(BatchRequest::Single),
    }
}

/// The kept answer to these request bytes, when there is one for `stamp` and the client
/// does not ask for a fresh one; noted for the log and the metrics.
fn kept_answer(
    req: &HttpRequest,
    served: &Served,
    answer: Answer,
    sent: Sent,
    key: &[u8],
    stamp: Stamp,
) -> Option<Respond> {
    let cache = served.answers.as_ref()?;
    if answers::fresh_wanted(req) {
        return None;
    }
    let hit = cache.get(sent, key, stamp)?;
    Observed::note(req, hit.operation.as_deref(), None);
    Some(Respond {
        status: StatusCode::OK,
        answer,
        body: hit.body,
        answered: true,
    })
}

/// Keeps an answer for the next time the same bytes are sent, when it is a query's
/// answer without errors (`read` is set only for a single query).
fn keep(
    served: &Served,
    sent: Sent,
    key: &[u8],
    read: Option<Stamp>,
    respond: &Respond,
    operation: Option<&str>,
) {
    if let (Some(cache), Some(stamp)) = (&served.answers, read)
        && respond.answered
        && respond.status == StatusCode::OK
    {
        cache.put(sent, key, stamp, respond.body.clone(), operation);
    }
}

/// A batch over `max_batch`, refused before any of it runs: a request error (400 where the
/// client accepts `application/graphql-response+json`, 200 for `application/json`).
fn batch_too_large(answer: Answer, len: usize, max: usize) -> HttpResponse {
    let message = if max == 0 {
        "batched requests are off on this server (`max_batch` is 0): send one operation \
         per request"
            .to_string()
    } else {
        format!("the batch holds {len} operations; at most {max} are allowed (`max_batch`)")
    };
    let status = if answer == Answer::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    error_as(answer, status, code::BATCH_TOO_LARGE, &message)
}

fn no_query(answer: Answer) -> HttpResponse {
    error_as(
        answer,
        StatusCode::BAD_REQUEST,
        code::BAD_REQUEST,
        "the request has no `query`",
    )
}

/// The parameters of `GET /graphql`.
#[derive(serde::Deserialize)]
struct GetParams {
    #[serde(default)]
    query: Option<String>,
    #[serde(default, rename = "operationName")]
    operation_name: Option<String>,
    /// JSON text.
    #[serde(default)]
    variables: Option<String>,
    /// JSON text.
    #[serde(default)]
    extensions: Option<String>,
}

impl GetParams {
    fn request(&self, query: &str) -> Result<async_graphql::Request, String> {
        let mut request = async_graphql::Request::new(query);
        if let Some(name) = self.operation_name.as_deref().filter(|n| !n.is_empty()) {
            request = request.operation_name(name);
        }
        if let Some(text) = self.variables.as_deref().filter(|t| !t.is_empty()) {
            request = request.variables(
                serde_json::from_str(text)
                    .map_err(|e| format!("`variables` is not a JSON object: {e}"))?,
            );
        }
        if let Some(text) = self.extensions.as_deref().filter(|t| !t.is_empty()) {
            request.extensions = serde_json::from_str(text)
                .map_err(|e| format!("`extensions` is not a JSON object: {e}"))?;
        }
        Ok(request)
    }
}

/// `GET /graphql?query=…&variables=…&operationName=…` (and `HEAD`). Reads only: a mutation
/// over GET is refused with 405, so that a link or a prefetch never writes. An answer
/// carries an `ETag` and is a 304 when the client's copy is current.
pub(super) async fn get(req: HttpRequest, served: web::Data<Served>) -> HttpResponse {
    let Some(answer) = negotiate::answer(&req) else {
        return not_acceptable();
    };
    if let Err(refused) = rate_limit(&req, &served, answer) {
        return refused;
    }
    let params = match web::Query::<GetParams>::from_query(req.query_string()) {
        Ok(params) => params.into_inner(),
        Err(e) => {
            return error_as(
                answer,
                StatusCode::BAD_REQUEST,
                code::BAD_REQUEST,
                &format!("the query string is not a GraphQL request: {e}"),
            );
        }
    };
    let text = params.query.as_deref().unwrap_or_default();
    let mut request = match params.request(text) {
        Ok(request) => request,
        Err(message) => {
            return error_as(answer, StatusCode::BAD_REQUEST, code::BAD_REQUEST, &message);
        }
    };
    // A persisted query names its document by its hash, in `extensions`.
    let query = match text.trim().is_empty() {
        false => text,
        true if crate::api::names_its_document(&request) => {
            params.extensions.as_deref().unwrap_or_default()
        }
        true => return no_query(answer),
    };
    if is_mutation(&mut request, served.app.config()) {
        let mut response = error_as(
            answer,
            StatusCode::METHOD_NOT_ALLOWED,
            code::BAD_REQUEST,
            "a mutation must be sent with POST",
        );
        response.headers_mut().insert(
            ALLOW,
            actix_web::http::header::HeaderValue::from_static("POST"),
        );
        return response;
    }
    let stamp = Stamp::now(served.app.graph().version());
    let etag = cache::etag(&cache::Key {
        version: stamp.version,
        query,
        variables: params.variables.as_deref(),
        operation_name: params.operation_name.as_deref(),
    });
    let cache_control = cache::cache_control(served.app.config().http_cache_max_age);
    let operation = params.operation_name.as_deref().filter(|n| !n.is_empty());
    if cache::not_modified(&req, &etag) {
        Observed::note(&req, operation, None);
        return HttpResponse::NotModified()
            .insert_header((ETAG, etag))
            .insert_header((CACHE_CONTROL, cache_control))
            .insert_header((VARY, "Accept"))
            .finish();
    }
    let headers = [
        (ETAG, etag),
        (CACHE_CONTROL, cache_control),
        (VARY, "Accept".to_string()),
    ];
    let key = req.query_string().as_bytes();
    if let Some(hit) = kept_answer(&req, &served, answer, Sent::Get, key, stamp) {
        return hit.finish(&headers);
    }
    let (response, read) = execute(
        &served,
        BatchRequest::Single(request),
        credentials(&req),
        stamp,
    )
    .await;
    Observed::note(&req, operation, outcome(&response));
    let response = match response {
        Ok(response) => response,
        Err(refused) => return refusal(answer, refused),
    };
    let respond = respond(answer, response);
    keep(&served, Sent::Get, key, read, &respond, operation);
    respond.finish(&headers)
}

/// Answers other methods on `/graphql`: `OPTIONS` lists the methods, others are 405.
pub(super) async fn other(req: HttpRequest) -> HttpResponse {
    const METHODS: &str = "GET, HEAD, POST, OPTIONS";
    if req.method() == actix_web::http::Method::OPTIONS {
        return HttpResponse::NoContent()
            .insert_header((ALLOW, METHODS))
            .finish();
    }
    let mut response = error(
        StatusCode::METHOD_NOT_ALLOWED,
        code::BAD_REQUEST,
        "GraphQL is served by GET (reads) and POST",
    );
    response.headers_mut().insert(
        ALLOW,
        actix_web::http::header::HeaderValue::from_static(METHODS),
    );
    response
}

/// The bearer token of the `Authorization` header, if it has one.
fn credentials(req: &HttpRequest) -> Credentials {
    let token = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(super::bearer);
    Credentials(token)
}

/// True when the operation a request would run is a mutation.
fn is_mutation(request: &mut async_graphql::Request, config: &crate::app::Config) -> bool {
    super::operation_type(request, config) == Some(OperationType::Mutation)
}

/// What the schema answered, in the lane the request's cost puts it in, or what a
/// resolver's panic said; `Err` when the request was not run. With it, for a single query
/// answered without errors, what the answer read: the version it pinned (`stamp`'s when it
/// read none) on `stamp`'s day, so that it may be kept; `None` when it may not be (a
/// mutation, a batch, errors, or a day that ended while it ran).
async fn execute(
    served: &Served,
    mut batch: BatchRequest,
    credentials: Credentials,
    stamp: Stamp,
) -> (
    Result<Result<BatchResponse, String>, Refused>,
    Option<Stamp>,
) {
    let config = served.app.config();
    let (complexity, query, reads_only) = match &mut batch {
        BatchRequest::Single(request) => {
            let cost = crate::api::cost(request, config);
            // A single answer is written by `answer_json`, which takes parts written
            // already (a batch's answers are written by `serde_json`).
            crate::api::written_as_json(request);
            let query = cost.operation == Some(OperationType::Query);
            (cost.complexity, query, query)
        }
        BatchRequest::Batch(requests) => {
            let costs: Vec<_> = requests
                .iter_mut()
                .map(|r| crate::api::cost(r, config))
                .collect();
            let complexity = costs
                .iter()
                .map(|c| c.complexity)
                .fold(0, usize::saturating_add);
            let queries = costs
                .iter()
                .all(|c| c.operation == Some(OperationType::Query));
            (complexity, false, queries)
        }
    };
    let (batch, pinned) = crate::api::snapshot::attach(batch, credentials);
    let (schema, app) = (served.schema.clone(), served.app.clone());
    // Boxed: the schema's future is tens of kilobytes, and every layer of actix-web that
    // moves the handler's future would copy it whole.
    let work =
        Box::pin(async move { crate::api::execute_batch(&schema, batch, app.config()).await });
    let response = served.admission.run(complexity, reads_only, work).await;
    let clean = matches!(&response, Ok(Ok(BatchResponse::Single(r))) if r.errors.is_empty());
    let read = (query && clean && answers::today() == stamp.day).then(|| Stamp {
        version: pinned.version().unwrap_or(stamp.version),
        day: stamp.day,
    });
    (response, read)
}

/// Refuses a client over its rate with 429, before its body is read.
pub(super) fn rate_limit(
    req: &HttpRequest,
    served: &Served,
    answer: Answer,
) -> Result<(), HttpResponse> {
    let Some(limiter) = &served.rate else {
        return Ok(());
    };
    limiter.check(req).map_err(|wait| {
        let message = format!(
            "this client has asked more often than {} times a second; ask again in {} s",
            served.app.config().rate_limit_per_second,
            wait.seconds()
        );
        let mut response = error_as(
            answer,
            StatusCode::TOO_MANY_REQUESTS,
            code::RATE_LIMITED,
            &message,
        );
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(wait.seconds()));
        response
    })
}

/// The answer to a request that was not run: 503 when its lane is full, 504 when it ran
/// out of time.
fn refusal(answer: Answer, refused: Refused) -> HttpResponse {
    let status = match refused {
        Refused::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
        Refused::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
    };
    let mut response = error_as(answer, status, refused.code(), &refused.message());
    if let Refused::Busy(_) = refused {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

/// How a request ended, for the log and the metrics: `None` without errors, else the
/// code of the first error (a panic is an `INTERNAL_SERVER_ERROR`, a refusal its code).
fn outcome(response: &Result<Result<BatchResponse, String>, Refused>) -> Option<String> {
    let first = match response {
        Err(refused) => return Some(refused.code().to_string()),
        Ok(Err(_)) => return Some(code::INTERNAL_SERVER_ERROR.to_string()),
        Ok(Ok(BatchResponse::Single(r))) => r.errors.first(),
        Ok(Ok(BatchResponse::Batch(items))) => items.iter().find_map(|r| r.errors.first()),
    }?;
    let code = first.extensions.as_ref().and_then(|e| match e.get("code") {
        Some(async_graphql::Value::String(s)) => Some(s.clone()),
        _ => None,
    });
    Some(code.unwrap_or_else(|| "OTHER".to_string()))
}

/// An answer about to be sent, which the caller may add headers to.
struct Respond {
    status: StatusCode,
    answer: Answer,
    body: web::Bytes,
    /// Whether it is a GraphQL answer (headers about it apply), or a server failure.
    answered: bool,
}

impl Respond {
    /// The response, with `headers` when it is a GraphQL answer that succeeded.
    fn finish(self, headers: &[(HeaderName, String)]) -> HttpResponse {
        let mut builder = HttpResponse::build(self.status);
        builder.content_type(self.answer.content_type());
        if self.answered && self.status.is_success() {
            for (name, value) in headers {
                builder.insert_header((name.clone(), value.as_str()));
            }
        }
        builder.body(self.body)
    }
}

/// Shapes the answer: a request that failed before execution has no `data`, and with
/// `application/graphql-response+json` it is a 400.
fn respond(answer: Answer, outcome: Result<BatchResponse, String>) -> Respond {
    let response = match outcome {
        Ok(response) => response,
        Err(detail) => return server_failure(answer, &detail),
    };
    let (body, request_error) = match &response {
        BatchResponse::Single(r) if is_request_error(r) => (request_error_body(r), true),
        BatchResponse::Single(r) => (answer_json::to_vec(r), false),
        BatchResponse::Batch(items) if items.iter().any(is_request_error) => {
            let items: Result<Vec<serde_json::Value>, _> = items
                .iter()
                .map(|r| {
                    if is_request_error(r) {
                        Ok(serde_json::json!({ "errors": r.errors }))
                    } else {
                        serde_json::to_value(r)
                    }
                })
                .collect();
            (items.and_then(|items| serde_json::to_vec(&items)), false)
        }
        BatchResponse::Batch(items) => (serde_json::to_vec(items), false),
    };
    let status = if request_error && answer == Answer::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    match body {
        Ok(body) => Respond {
            status,
            answer,
            body: body.into(),
            answered: true,
        },
        Err(e) => server_failure(
            answer,
            &format!("an answer could not be written as JSON: {e}"),
        ),
    }
}

/// A 500 with a generic message and the request id the log line carries.
fn server_failure(answer: Answer, detail: &str) -> Respond {
    let e = internal(detail);
    let body =
        serde_json::json!({ "errors": [{ "message": e.message, "extensions": e.extensions }] });
    Respond {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        answer,
        body: body.to_string().into(),
        answered: false,
    }
}

fn is_request_error(response: &Response) -> bool {
    response.http_headers.contains_key(REQUEST_ERROR)
}

/// A request error's answer: its errors, and no `data` entry.
fn request_error_body(response: &Response) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(&serde_json::json!({ "errors": response.errors }))
}

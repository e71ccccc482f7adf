//! Errors a client can cause, each with a stable `extensions.code`, and the codes given
//! to every other error of an answer.

use async_graphql::{ErrorExtensions, Response, ServerError, Value};

/// The stable codes in `extensions.code`.
pub mod code {
    /// The document is not GraphQL: a syntax error, with its location.
    pub const GRAPHQL_PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
    /// The document is GraphQL but not valid against the schema (an unknown field, a
    /// missing selection, an operation that cannot be chosen).
    pub const GRAPHQL_VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
    /// The HTTP request is not a GraphQL request this server takes (its method, media
    /// type, accepted answers, or a body or query string that is not one).
    pub const BAD_REQUEST: &str = "BAD_REQUEST";
    /// An argument's or a variable's value is invalid.
    pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
    /// A page larger than the cap was asked for.
    pub const PAGE_SIZE_EXCEEDED: &str = "PAGE_SIZE_EXCEEDED";
    /// The request body, or its document, is larger than the server accepts.
    pub const DOCUMENT_TOO_LARGE: &str = "DOCUMENT_TOO_LARGE";
    /// The query nests deeper than the server allows (data fields, brackets, or rounds of
    /// introspection).
    pub const MAX_DEPTH_EXCEEDED: &str = "MAX_DEPTH_EXCEEDED";
    /// The operation has more aliased fields than the server allows.
    pub const TOO_MANY_ALIASES: &str = "TOO_MANY_ALIASES";
    /// The operation selects more root fields than the server allows.
    pub const TOO_MANY_ROOT_FIELDS: &str = "TOO_MANY_ROOT_FIELDS";
    /// A field, or the document, carries more directives than the server allows.
    pub const TOO_MANY_DIRECTIVES: &str = "TOO_MANY_DIRECTIVES";
    /// The operation would cost more than one request may, counted before it runs.
    pub const COMPLEXITY_EXCEEDED: &str = "COMPLEXITY_EXCEEDED";
    /// A batched request holds more operations than the server allows.
    pub const BATCH_TOO_LARGE: &str = "BATCH_TOO_LARGE";
    /// A path search would visit more nodes than one request may.
    pub const WORK_BUDGET_EXCEEDED: &str = "WORK_BUDGET_EXCEEDED";
    /// A write without an editor's token.
    pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    /// A write with a token that is not an editor's, or to a server that takes none.
    pub const FORBIDDEN: &str = "FORBIDDEN";
    /// A write whose entity moved on since the version it expected, or whose idempotency
    /// key was used for another write.
    pub const CONFLICT: &str = "CONFLICT";
    /// The server is running as many requests of this weight as it takes at once (HTTP
    /// 503): ask again after `Retry-After` seconds.
    pub const SERVER_BUSY: &str = "SERVER_BUSY";
    /// This client asked more often than its rate allows (HTTP 429): ask again after
    /// `Retry-After` seconds.
    pub const RATE_LIMITED: &str = "RATE_LIMITED";
    /// The request took longer than the server gives one (HTTP 504).
    pub const TIMEOUT: &str = "TIMEOUT";
    /// Introspection (`__schema`, `__type`) is switched off (`introspection`).
    pub const INTROSPECTION_DISABLED: &str = "INTROSPECTION_DISABLED";
    /// The server cannot take the request now (it is loading its graph); ask again after
    /// `Retry-After` seconds.
    pub const SERVICE_UNAVAILABLE: &str = "SERVICE_UNAVAILABLE";
    /// A request named its document by a persisted query's hash the server does not know:
    /// send it again with the document (Apollo Client does so by itself).
    pub const PERSISTED_QUERY_NOT_FOUND: &str = "PERSISTED_QUERY_NOT_FOUND";
    /// Something failed on the server; the log has the details.
    pub const INTERNAL_SERVER_ERROR: &str = "INTERNAL_SERVER_ERROR";
}

/// An error a resolver returns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// An argument the client must correct.
    #[error("{0}")]
    BadUserInput(String),
    /// A request that would visit more than its budget of nodes.
    #[error("{0}")]
    WorkBudgetExceeded(String),
    /// A page size over the cap.
    #[error("a page holds at most {max} items; {requested} were asked for")]
    PageSizeExceeded {
        /// What was asked for.
        requested: i64,
        /// The cap.
        max: usize,
    },
}

impl ApiError {
    /// Its `extensions.code`.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadUserInput(_) => code::BAD_USER_INPUT,
            ApiError::PageSizeExceeded { .. } => code::PAGE_SIZE_EXCEEDED,
            ApiError::WorkBudgetExceeded(_) => code::WORK_BUDGET_EXCEEDED,
        }
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        async_graphql::Error::new(self.to_string()).extend_with(|_, e| e.set("code", self.code()))
    }
}

impl ApiError {
    /// The GraphQL error, with its code. (`?` alone would convert through
    /// `Display` and lose the code, so resolvers call this.)
    pub fn into_graphql(self) -> async_graphql::Error {
        self.extend()
    }
}

impl From<crate::graph::GraphError> for ApiError {
    fn from(e: crate::graph::GraphError) -> Self {
        match e {
            crate::graph::GraphError::WorkBudgetExceeded { .. } => {
                ApiError::WorkBudgetExceeded(e.to_string())
            }
            other => ApiError::BadUserInput(other.to_string()),
        }
    }
}

/// The response header, never sent, that marks a request that failed before execution.
pub const REQUEST_ERROR: &str = "x-pledgegraph-request-error";

/// A response to a request refused before it ran: its errors, marked as a request error.
pub(crate) fn request_error(errors: Vec<ServerError>) -> Response {
    let mut response = Response::from_errors(errors);
    response.http_headers.insert(REQUEST_ERROR, 1u16.into());
    response
}

/// A syntax error as one sentence with its location, coded `GRAPHQL_PARSE_FAILED`.
pub(crate) fn parse_failure(error: async_graphql::parser::Error) -> ServerError {
    let mut error = ServerError::from(error);
    error.message = syntax_sentence(&error);
    with_code(error, code::GRAPHQL_PARSE_FAILED)
}

/// `error` with `code`, unless it has one.
pub(crate) fn with_code(mut error: ServerError, code: &'static str) -> ServerError {
    ensure_code(&mut error, code);
    error
}

/// Gives every error of a response from the schema a code. A response without data whose
/// errors name no field failed before execution, in the schema's own validation or in
/// choosing the operation: a request error, coded `GRAPHQL_VALIDATION_FAILED` (a wrong
/// argument value `BAD_USER_INPUT`), each error once. Other errors are field errors; one
/// without a code is `BAD_USER_INPUT`. A request stopped by its work budget answers with
/// that one error and no partial data.
pub(crate) fn finish(mut response: Response) -> Response {
    let before_execution = response.data == Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    if before_execution {
        for error in &mut response.errors {
            // The validator says which rule failed in words only.
            let code = if error.message.starts_with("Invalid value for argument") {
                code::BAD_USER_INPUT
            } else {
                code::GRAPHQL_VALIDATION_FAILED
            };
            ensure_code(error, code);
        }
        // Each error once: rules may report the same fault at the same place.
        let mut seen = std::collections::HashSet::new();
        response
            .errors
            .retain(|e| seen.insert((e.message.clone(), e.locations.clone())));
        response.http_headers.insert(REQUEST_ERROR, 1u16.into());
        return response;
    }
    for error in &mut response.errors {
        ensure_code(error, code::BAD_USER_INPUT);
    }
    if let Some(stop) = response
        .errors
        .iter()
        .find(|e| code_of(e) == Some(code::WORK_BUDGET_EXCEEDED))
        .cloned()
    {
        response.errors = vec![stop];
        response.data = Value::Null;
    }
    response
}

/// The parser's multi-line report (` --> 1:21`, the line, a caret, `= expected …`) as one
/// sentence with its location; the `locations` entry keeps the position too.
fn syntax_sentence(error: &ServerError) -> String {
    let message = error.message.trim();
    if !message.contains('\n') {
        return message.to_string();
    }
    let expected = message
        .lines()
        .filter_map(|line| line.trim().strip_prefix("= "))
        .collect::<Vec<_>>()
        .join("; ");
    let what = if expected.is_empty() {
        "the document is not GraphQL".to_string()
    } else {
        expected
    };
    match error.locations.first() {
        Some(at) => format!(
            "Syntax error at line {}, column {}: {what}",
            at.line, at.column
        ),
        None => format!("Syntax error: {what}"),
    }
}

fn code_of(error: &ServerError) -> Option<&str> {
    match error.extensions.as_ref()?.get("code")? {
        Value::String(s) => Some(s.as_str()),
        _ => None,
    }
}

fn ensure_code(error: &mut ServerError, code: &'static str) {
    if code_of(error).is_some() {
        return;
    }
    let extensions = error.extensions.get_or_insert_with(Default::default);
    extensions.set("code", Value::from(code));
}

/// An error for a failure that is the server's, not the client's: a generic message and
/// the request's id (its `x-request-id` and its log line's), to find the details in the
/// log, where they are written now.
pub fn internal(detail: &str) -> async_graphql::Error {
    // Work outside a request (the command line's `query`) gets an id of its own.
    let id = super::RequestId::current().unwrap_or_else(super::RequestId::next);
    tracing::error!(request_id = %id, "internal server error: {detail}");
    async_graphql::Error::new(format!("internal server error (request {id})")).extend_with(
        |_, e| {
            e.set("code", code::INTERNAL_SERVER_ERROR);
            e.set("requestId", id.to_string());
        },
    )
}

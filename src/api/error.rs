//! Errors a client can cause, each with a stable `extensions.code`, and the
//! extension that gives every other error one too.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextRequest};
use async_graphql::{ErrorExtensions, Response, ServerError, Value};

/// The stable codes in `extensions.code`.
pub mod code {
    /// The request is malformed or an argument is invalid.
    pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
    /// A page larger than the cap was asked for.
    pub const PAGE_SIZE_EXCEEDED: &str = "PAGE_SIZE_EXCEEDED";
    /// The request body is larger than the server accepts.
    pub const DOCUMENT_TOO_LARGE: &str = "DOCUMENT_TOO_LARGE";
    /// The query nests deeper than the server allows.
    pub const MAX_DEPTH_EXCEEDED: &str = "MAX_DEPTH_EXCEEDED";
    /// The request would do more work than one request may.
    pub const WORK_BUDGET_EXCEEDED: &str = "WORK_BUDGET_EXCEEDED";
    /// A write without an editor's token.
    pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    /// A write with a token that is not an editor's, or to a server that takes none.
    pub const FORBIDDEN: &str = "FORBIDDEN";
    /// A write whose entity moved on since the version it expected, or whose idempotency
    /// key was used for another write.
    pub const CONFLICT: &str = "CONFLICT";
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

/// Gives every error that lacks one an `extensions.code`: errors the
/// server raised while parsing, validating or coercing the client's request
/// are `BAD_USER_INPUT`.
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodesExtension)
    }
}

struct ErrorCodesExtension;

static REQUESTS: AtomicU64 = AtomicU64::new(1);

#[async_graphql::async_trait::async_trait]
impl Extension for ErrorCodesExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        for error in &mut response.errors {
            ensure_code(error);
        }
        // A request stopped by its budget answers with one error and no partial data.
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
}

fn code_of(error: &ServerError) -> Option<&str> {
    match error.extensions.as_ref()?.get("code")? {
        Value::String(s) => Some(s.as_str()),
        _ => None,
    }
}

fn ensure_code(error: &mut ServerError) {
    if code_of(error).is_some() {
        return;
    }
    // The validator says so in words only.
    let code = if error.message.contains("nested too deep") {
        code::MAX_DEPTH_EXCEEDED
    } else {
        code::BAD_USER_INPUT
    };
    let extensions = error.extensions.get_or_insert_with(Default::default);
    extensions.set("code", Value::from(code));
}

/// An error for a failure that is the server's, not the client's: a
/// generic message and a request id to find the details in the log.
pub fn internal(detail: &str) -> async_graphql::Error {
    let id = REQUESTS.fetch_add(1, Ordering::Relaxed);
    tracing::error!(request_id = id, "{detail}");
    async_graphql::Error::new(format!("internal server error (request {id})")).extend_with(
        |_, e| {
            e.set("code", code::INTERNAL_SERVER_ERROR);
            e.set("requestId", id.to_string());
        },
    )
}

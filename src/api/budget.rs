//! The work budget of one request: every field it resolves counts, and a
//! request that would resolve more than the budget stops with
//! `WORK_BUDGET_EXCEEDED`, so nested lists cannot multiply into a hang.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo,
};
use async_graphql::{ErrorExtensions, ServerResult, Value};

use super::error::code;

/// Creates one budget per request.
pub struct FieldBudget {
    /// The most fields one request may resolve.
    pub fields: usize,
}

impl ExtensionFactory for FieldBudget {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Budget {
            budget: self.fields,
            spent: AtomicUsize::new(0),
        })
    }
}

struct Budget {
    budget: usize,
    spent: AtomicUsize,
}

#[async_graphql::async_trait::async_trait]
impl Extension for Budget {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if self.spent.fetch_add(1, Ordering::Relaxed) >= self.budget {
            let message = format!(
                "the request would resolve more than {} fields; ask for smaller pages or fewer nested lists",
                self.budget
            );
            let error = async_graphql::Error::new(message)
                .extend_with(|_, e| e.set("code", code::WORK_BUDGET_EXCEEDED));
            return Err(error.into_server_error(async_graphql::Pos::default()));
        }
        next.run(ctx, info).await
    }
}

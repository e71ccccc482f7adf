//! The validation of a document that has passed every rule already: answered from what
//! is known, without walking the document again.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation};
use async_graphql::{ServerError, ValidationResult};

/// Stands in for async-graphql's validation on the schema that runs only documents that
/// have passed the strict one ([`super::PledgeSchema`]). Its fast rules (no fragment
/// cycles, uploads only in mutations) look at the document alone, which passed them and
/// every other rule before; what else the walk works out (a cache hint, a complexity, a
/// depth) nothing reads: the limits are checked before a request reaches the schema.
pub(super) struct Passed;

impl ExtensionFactory for Passed {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Passed)
    }
}

#[async_trait::async_trait]
impl Extension for Passed {
    async fn validation(
        &self,
        _ctx: &ExtensionContext<'_>,
        _next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        Ok(ValidationResult {
            cache_control: Default::default(),
            complexity: 0,
            depth: 0,
        })
    }
}

//! Errors raised while building or querying the graph.

/// A graph that cannot be built from the records given, or a question it
/// will not answer as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    /// Two nodes with one id.
    #[error("duplicate node id `{0}`")]
    DuplicateId(String),
    /// Two relations of one kind between the same pair, with no `key` to tell them apart.
    #[error(
        "two relations have the id `{0}`: give each relation of one kind between the same pair a distinct `key`"
    )]
    DuplicateRelation(String),
    /// A relation or field naming a node that does not exist.
    #[error("`{from}` refers through `{field}` to `{to}`, which is not in the graph")]
    Dangling {
        /// The node or relation holding the reference.
        from: String,
        /// The field or relation kind.
        field: String,
        /// The missing id.
        to: String,
    },
    /// An argument past the largest value allowed.
    #[error("`{what}` is at most {max}, got {got}")]
    OverLimit {
        /// The argument.
        what: &'static str,
        /// The largest value allowed.
        max: usize,
        /// The value given.
        got: i64,
    },
    /// A request that would visit more nodes than one request may.
    #[error(
        "the request would visit more than {budget} nodes; narrow it (a smaller maxLength, or fewer relation kinds)"
    )]
    WorkBudgetExceeded {
        /// The budget.
        budget: usize,
    },
    /// A relation between kinds that cannot hold it.
    #[error(transparent)]
    Invalid(#[from] crate::model::ModelError),
}

impl GraphError {
    /// [`GraphError::OverLimit`] when `got` is past `max`.
    pub(crate) fn over_limit(what: &'static str, got: usize, max: usize) -> Result<(), Self> {
        if got > max {
            return Err(GraphError::OverLimit {
                what,
                max,
                got: i64::try_from(got).unwrap_or(i64::MAX),
            });
        }
        Ok(())
    }
}

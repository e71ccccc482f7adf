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
    /// A change naming an entity the graph does not have.
    #[error("there is no entity `{0}`")]
    UnknownEntity(String),
    /// A change naming a relation the graph does not have.
    #[error(
        "there is no relation `{0}`: relation ids are `from|kind|to`, with `#key` where one is named"
    )]
    UnknownRelation(String),
    /// A change naming what was retracted or merged away, or reusing its id.
    #[error(
        "`{0}` was retracted or merged away: its id is kept and never reused; change what it became instead"
    )]
    Withdrawn(String),
    /// A change to a relation a node's field implies.
    #[error(
        "`{id}` follows from the `{field}` field of an entity: change that field (or its claim) instead"
    )]
    ImpliedRelation {
        /// The relation.
        id: String,
        /// The field that implies it.
        field: &'static str,
    },
    /// A change naming a claim the entity does not have.
    #[error("`{id}`: {what}")]
    UnknownClaim {
        /// The entity.
        id: String,
        /// What is missing.
        what: String,
    },
    /// A retraction of an entity another entity's fields still name.
    #[error(
        "`{id}` is still named by `{by}` (its `{field}`): change or retract `{by}` first, or merge `{id}` into another entity"
    )]
    StillReferred {
        /// The entity to retract.
        id: String,
        /// The entity naming it.
        by: String,
        /// The field naming it.
        field: &'static str,
    },
    /// A merge of an entity into itself, into another kind, or of sources.
    #[error(
        "cannot merge `{duplicate}` into `{survivor}`: both must be live entities of one kind, other than sources, and not the same"
    )]
    CannotMerge {
        /// The duplicate.
        duplicate: String,
        /// The survivor.
        survivor: String,
    },
    /// A change that cites nothing.
    #[error("{0} needs at least one source")]
    MissingSource(String),
    /// A citation of something that is not a source, or that does not fit its source.
    #[error("bad citation: {0}")]
    BadCitation(String),
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

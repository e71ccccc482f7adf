//! Errors raised while building or querying the graph.

/// A graph that cannot be built from the records given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    /// Two nodes with one id.
    #[error("duplicate node id `{0}`")]
    DuplicateId(String),
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
    /// A relation between kinds that cannot hold it.
    #[error(transparent)]
    Invalid(#[from] crate::model::ModelError),
}

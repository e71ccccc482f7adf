//! Seed errors: each names the file, the line, the entry and the field.

use std::fmt;
use std::path::PathBuf;

use crate::model::ModelError;

/// What is wrong with a seed entry or file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SeedErrorKind {
    /// The directory or a file could not be read.
    #[error("cannot read: {0}")]
    Io(String),
    /// The file is not valid TOML.
    #[error("invalid TOML: {0}")]
    Syntax(String),
    /// A JSON Lines record that does not read as one.
    #[error("invalid record: {0}")]
    Json(String),
    /// The directory holds no `*.toml` or `*.jsonl` file.
    #[error("no *.toml or *.jsonl seed files found")]
    NoFiles,
    /// The files hold no node at all.
    #[error("the seed defines no nodes")]
    NoEntries,
    /// A top-level table the seed does not know.
    #[error("unknown table `{name}`, expected one of: {expected}")]
    UnknownTable {
        /// The table given.
        name: String,
        /// The tables allowed.
        expected: String,
    },
    /// A field the entry's kind does not have.
    #[error("unknown field, expected one of: {expected}")]
    UnknownField {
        /// The fields allowed.
        expected: String,
    },
    /// A required field is absent.
    #[error("missing required field")]
    MissingField,
    /// A field of the wrong TOML type.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// What the field takes.
        expected: &'static str,
        /// What was given.
        found: &'static str,
    },
    /// A value that is not a valid domain value (id, decimal, date, enum value, currency).
    #[error(transparent)]
    Invalid(#[from] ModelError),
    /// Two entries with one id.
    #[error("duplicate id `{id}`, first defined at {first}")]
    DuplicateId {
        /// The id.
        id: String,
        /// Where it was first defined (`file:line`).
        first: String,
    },
    /// A reference to an id no entry defines.
    #[error("`{0}` is not defined by any entry")]
    DanglingReference(String),
    /// A node, relation or claim with no source.
    #[error("no source: every node, relation and claim cites at least one source paragraph")]
    MissingSource,
    /// A citation that does not fit its source (a document needs a line, a curator note takes none).
    #[error("{0}")]
    BadCitation(String),
    /// Values that contradict each other within one entry.
    #[error("{0}")]
    Inconsistent(String),
}

/// One error in a seed, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedError {
    /// The file.
    pub file: PathBuf,
    /// The 1-based line in the file (0 when the error concerns the whole directory).
    pub line: usize,
    /// The id of the entry, where it has one.
    pub entry: Option<String>,
    /// The field, as a path such as `amount[1].money.amount`.
    pub field: Option<String>,
    /// What is wrong.
    pub kind: SeedErrorKind,
}

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        f.write_str(":")?;
        if let Some(entry) = &self.entry {
            write!(f, " entry `{entry}`")?;
        }
        if let Some(field) = &self.field {
            write!(f, " field `{field}`")?;
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for SeedError {}

/// Every error found in one load, in file and line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedErrors(pub Vec<SeedError>);

impl fmt::Display for SeedErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} error(s) in the seed:", self.0.len())?;
        for e in &self.0 {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SeedErrors {}

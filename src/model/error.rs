//! Errors raised when a value does not make a valid domain value.

/// A value that cannot become a domain value; the message says what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// An id that is not `kind:slug` with a known kind and a lowercase slug.
    #[error("invalid id `{0}`: expected `kind:slug` with kind one of {kinds} and a slug of a-z, 0-9 and '-'", kinds = crate::model::NodeKind::prefixes())]
    InvalidId(String),
    /// An id whose kind is not the one the field takes.
    #[error("`{id}` is a {found}, expected a {expected}")]
    WrongKind {
        /// The id given.
        id: String,
        /// Its kind.
        found: &'static str,
        /// The kinds the field accepts.
        expected: String,
    },
    /// A name outside a closed set of values.
    #[error("unknown {what} `{value}`, expected one of: {expected}")]
    UnknownValue {
        /// The set.
        what: &'static str,
        /// The value given.
        value: String,
        /// The values allowed.
        expected: String,
    },
    /// Text that is not an exact decimal number.
    #[error(
        "invalid decimal `{0}`: write an exact number as a string, such as \"550000000000\" or \"27.5\""
    )]
    InvalidDecimal(String),
    /// A decimal outside the range the field allows.
    #[error("{what} {value} is out of range: {range}")]
    OutOfRange {
        /// The quantity.
        what: &'static str,
        /// The value given.
        value: String,
        /// The range allowed.
        range: &'static str,
    },
    /// Text that is not an ISO 4217 currency code.
    #[error("invalid currency `{0}`: expected an ISO 4217 code such as USD, JPY, KRW or EUR")]
    InvalidCurrency(String),
    /// Text that is not a date of the forms `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[error("invalid date `{0}`: expected YYYY, YYYY-MM or YYYY-MM-DD with a real month and day")]
    InvalidDate(String),
    /// An ISO 3166 alpha-2 code that is malformed.
    #[error("invalid country code `{0}`: expected two uppercase letters (ISO 3166 alpha-2, or EU)")]
    InvalidCountryCode(String),
    /// A relation between kinds that cannot hold it.
    #[error(
        "a `{kind}` relation cannot go from a {from} to a {to}; it goes from {allowed_from} to {allowed_to}"
    )]
    RelationNotAllowed {
        /// The relation kind.
        kind: &'static str,
        /// The kind at its start.
        from: &'static str,
        /// The kind at its end.
        to: &'static str,
        /// Kinds allowed at the start.
        allowed_from: String,
        /// Kinds allowed at the end.
        allowed_to: String,
    },
    /// A document's file name that is not a plain name in the sources directory.
    #[error("invalid file name `{name}`: it {why}")]
    BadFileName {
        /// The name given (its start, when long).
        name: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// A text field left empty where it must say something.
    #[error("{0} must not be empty")]
    Empty(&'static str),
}

//! Where a fact comes from: a source and the paragraph in it.

use super::EntityId;

/// One citation: a source node and the paragraph (line number in the source
/// file) that reports the fact, with who the source attributes it to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// The `source:` node.
    pub source: EntityId,
    /// The paragraph: the 1-based line number in a document source; none
    /// for a curator note, which is a single statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Who the source attributes the fact to ("according to the White House").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Box<str>>,
    /// Where the source is unclear or contradicts itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Box<str>>,
}

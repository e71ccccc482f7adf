//! A source document's text, with its lines indexed so that a paragraph (a 1-based line,
//! as citations count them) is a lookup; and the rule for a document's file name.

use std::sync::Arc;

use super::ModelError;

/// The longest file name a document may have, in bytes (what file systems allow).
const MAX_FILE_NAME: usize = 255;

/// Checks a document's file name: a plain name in the sources directory, never a path
/// (no `/` or `\`, no `..`, not hidden, not empty), so that it can only name a file there.
pub fn check_file_name(name: &str) -> Result<(), ModelError> {
    let why = if name.is_empty() {
        "is empty"
    } else if name.contains(['/', '\\']) {
        "is a path: give a plain file name in the sources directory, without `/` or `\\`"
    } else if name.contains("..") {
        "contains `..`: give a plain file name in the sources directory"
    } else if name.starts_with('.') {
        "starts with `.`: such names are kept for the files being written"
    } else if name.chars().any(char::is_control) {
        "contains a control character"
    } else if name.len() > MAX_FILE_NAME {
        "is longer than 255 bytes"
    } else {
        return Ok(());
    };
    Err(ModelError::BadFileName {
        name: name.chars().take(80).collect(),
        why,
    })
}

/// A document's whole text and where each of its lines starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentText {
    text: Arc<str>,
    /// The byte range of each line, without its line ending.
    lines: Vec<(usize, usize)>,
}

impl DocumentText {
    /// Indexes `text`'s lines (ended by `\n` or `\r\n`, as [`str::lines`] reads them).
    pub fn new(text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut lines = Vec::new();
        let mut start = 0;
        for piece in text.split_inclusive('\n') {
            let line = piece.strip_suffix('\n').unwrap_or(piece);
            let line = line.strip_suffix('\r').unwrap_or(line);
            lines.push((start, start + line.len()));
            start += piece.len();
        }
        DocumentText { text, lines }
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How many lines it has.
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// Line `line`, counted from 1; none past the end (or for 0).
    pub fn line(&self, line: u32) -> Option<&str> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        let (start, end) = *self.lines.get(index)?;
        self.text.get(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_found_by_its_number_from_one() {
        let doc = DocumentText::new("Title\r\n\nFirst paragraph.\nLast, unended");
        assert_eq!(doc.line_count(), 4);
        assert_eq!(doc.line(1), Some("Title"));
        assert_eq!(doc.line(2), Some(""));
        assert_eq!(doc.line(3), Some("First paragraph."));
        assert_eq!(doc.line(4), Some("Last, unended"));
        assert_eq!(doc.line(0), None);
        assert_eq!(doc.line(5), None);
        assert_eq!(DocumentText::new("").line_count(), 0);
        assert_eq!(DocumentText::new("one\n").line_count(), 1);
    }

    #[test]
    fn a_file_name_is_a_plain_name_never_a_path() {
        for good in ["trade-talks-2025-07.txt", "notes v2.md", "a.b.txt"] {
            assert_eq!(check_file_name(good), Ok(()), "{good}");
        }
        let long = "x".repeat(256);
        for bad in [
            "",
            "sub/file.txt",
            "/etc/passwd",
            "..",
            "a..b",
            "..\\x",
            "C:\\x.txt",
            ".hidden",
            "new\nline",
            long.as_str(),
        ] {
            assert!(check_file_name(bad).is_err(), "{bad:?}");
        }
    }
}

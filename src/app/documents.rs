//! The texts of the document sources the server knows, by file name: read from the
//! sources directory at start, kept from the change log, and added by writes. Serving a
//! document or one of its paragraphs is a lookup here, never a file read.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use crate::model::DocumentText;

/// The known documents' texts, by file name, shared by every request.
#[derive(Debug, Default)]
pub struct Documents {
    texts: RwLock<HashMap<String, Arc<DocumentText>>>,
}

impl Documents {
    /// The text of the document in file `file`, when it is known.
    pub fn get(&self, file: &str) -> Option<Arc<DocumentText>> {
        // A panic elsewhere while the map was locked leaves it whole: inserts are single
        // steps.
        let texts = self.texts.read().unwrap_or_else(PoisonError::into_inner);
        texts.get(file).cloned()
    }

    /// Every known document, by file name.
    pub fn all(&self) -> Vec<(String, Arc<DocumentText>)> {
        let texts = self.texts.read().unwrap_or_else(PoisonError::into_inner);
        let mut all: Vec<_> = texts.iter().map(|(f, t)| (f.clone(), t.clone())).collect();
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        all
    }

    /// How many documents are known.
    pub fn len(&self) -> usize {
        self.texts
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// True when no document is known.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keeps `text` as the document in `file`, replacing what was known of it.
    pub(super) fn insert(&self, file: String, text: DocumentText) {
        let mut texts = self.texts.write().unwrap_or_else(PoisonError::into_inner);
        texts.insert(file, Arc::new(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_found_by_its_file_and_listed_in_name_order() {
        let docs = Documents::default();
        assert!(docs.is_empty());
        docs.insert("b.txt".into(), DocumentText::new("one\ntwo"));
        docs.insert("a.txt".into(), DocumentText::new("alpha"));
        assert_eq!(docs.len(), 2);
        let b = docs.get("b.txt").map(|t| t.line(2).map(str::to_string));
        assert_eq!(b, Some(Some("two".to_string())));
        assert!(docs.get("c.txt").is_none());
        let names: Vec<_> = docs.all().into_iter().map(|(f, _)| f).collect();
        assert_eq!(names, ["a.txt", "b.txt"]);
    }
}

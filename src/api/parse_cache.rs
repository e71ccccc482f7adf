//! Parsed documents, kept by their text: a client sends the same few documents again and
//! again with other variables, and parsing is a third of the work of a small query. A
//! document is parsed once and copied after; one that does not parse is not kept (parsing
//! it again reports where). Beside each is whether it has passed the validator's rules,
//! which do not change for a document either. Bounded: past [`MAX_DOCUMENTS`] or
//! [`MAX_BYTES`] of text, the cache starts again empty.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::parser::{Result as ParseResult, parse_query};

use super::analysis::Memo;
use super::flat::Plans;

/// The most documents kept.
const MAX_DOCUMENTS: usize = 1_000;

/// The most text kept, over all documents.
const MAX_BYTES: usize = 4 << 20;

#[derive(Default)]
struct Kept {
    documents: HashMap<Arc<str>, Parsed<Arc<ExecutableDocument>>, foldhash::fast::RandomState>,
    bytes: usize,
}

/// A document, with what is known of it: whether it has passed the validator, its
/// measure, and the plans of the objects answered in one pass.
#[derive(Debug, Clone)]
pub(crate) struct Parsed<D = ExecutableDocument> {
    pub doc: D,
    pub validated: Validated,
    pub memo: Arc<Memo>,
    pub plans: Plans,
}

/// Whether a document has passed every rule of the validator, shared by every request that
/// sends its text: the rules look at the document and the schema, not at the variables'
/// values (those are checked in full by [`super::variables`]), so a document that passed
/// them once passes them again.
#[derive(Debug, Clone, Default)]
pub(crate) struct Validated(Arc<AtomicBool>);

impl Validated {
    /// Whether the document has passed.
    pub(crate) fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// Records that it has.
    pub(crate) fn set(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

fn kept() -> &'static Mutex<Kept> {
    static KEPT: OnceLock<Mutex<Kept>> = OnceLock::new();
    KEPT.get_or_init(Mutex::default)
}

/// A copy of the document `text` parsed to before, with what is known of it; none when it
/// is not kept.
pub(crate) fn cached(text: &str) -> Option<Parsed> {
    // A panic elsewhere while the lock was held left the map whole: each step is one call.
    let Parsed {
        doc,
        validated,
        memo,
        plans,
    } = kept()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .documents
        .get(text)
        .cloned()?;
    Some(Parsed {
        doc: ExecutableDocument::clone(&doc),
        validated,
        memo,
        plans,
    })
}

/// Parses `text` now, and keeps the document for the next request that sends it.
pub(crate) fn parse_new(text: &str) -> ParseResult<Parsed> {
    let doc = parse_query(text)?;
    let mut kept = kept().lock().unwrap_or_else(|e| e.into_inner());
    if kept.documents.len() >= MAX_DOCUMENTS || kept.bytes + text.len() > MAX_BYTES {
        kept.documents.clear();
        kept.bytes = 0;
    }
    let (validated, memo, plans) = (
        Validated::default(),
        Arc::new(Memo::default()),
        Plans::default(),
    );
    if text.len() <= MAX_BYTES {
        kept.bytes += text.len();
        let entry = Parsed {
            doc: Arc::new(doc.clone()),
            validated: validated.clone(),
            memo: memo.clone(),
            plans: plans.clone(),
        };
        kept.documents.insert(text.into(), entry);
    }
    Ok(Parsed {
        doc,
        validated,
        memo,
        plans,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_parsed_again_is_the_same_document() {
        let text = "query Q($c: String!) { country(code: $c) { name ...F } } \
                    fragment F on Country { code }";
        let Parsed {
            doc: first,
            validated,
            ..
        } = parse_new(text).unwrap();
        assert!(!validated.is_set());
        validated.set();
        let Parsed {
            doc: again,
            validated,
            ..
        } = cached(text).expect("kept once parsed");
        assert!(
            validated.is_set(),
            "the mark is the document's, kept with it"
        );
        assert_eq!(format!("{first:?}"), format!("{again:?}"));
        assert_eq!(
            format!("{first:?}"),
            format!("{:?}", parse_query(text).unwrap())
        );
    }

    #[test]
    fn a_document_that_does_not_parse_fails_each_time_with_its_place() {
        let text = "{ country(code: \"JP\") { name }";
        for _ in 0..2 {
            assert!(cached(text).is_none(), "not kept");
            let e = parse_new(text).unwrap_err();
            assert!(e.to_string().contains("1:"), "{e}");
        }
    }

    #[test]
    fn the_cache_stays_within_its_bounds() {
        for i in 0..(MAX_DOCUMENTS * 2 + 10) {
            let _ = parse_new(&format!("{{ a{i}: stats {{ entities }} }}"));
        }
        let kept = kept().lock().unwrap_or_else(|e| e.into_inner());
        assert!(kept.documents.len() <= MAX_DOCUMENTS);
        assert!(kept.bytes <= MAX_BYTES);
    }
}

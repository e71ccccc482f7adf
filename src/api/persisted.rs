//! Automatic persisted queries, as Apollo Client speaks them: a request may carry
//! `extensions.persistedQuery` (`version` 1 and the `sha256Hash` of its document) and
//! leave out the document. The server answers `PERSISTED_QUERY_NOT_FOUND` when it does not
//! know the hash; the client sends the document with the hash once, and the hash alone
//! after, so a large document crosses the network once and a `GET` of it fits in a URL
//! a cache can keep. Kept in memory, bounded: past [`MAX_DOCUMENTS`] or [`MAX_BYTES`]
//! the store starts again empty, and clients send their documents again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use async_graphql::{Request, ServerError, Value};
use sha2::{Digest, Sha256};

use super::analysis::refusal;
use super::error::code;

/// The most documents kept.
const MAX_DOCUMENTS: usize = 10_000;

/// The most text kept, over all documents.
const MAX_BYTES: usize = 16 << 20;

/// The message Apollo Client recognises, besides the code.
const NOT_FOUND: &str = "PersistedQueryNotFound";

#[derive(Default)]
struct Kept {
    documents: HashMap<[u8; 32], Arc<str>, foldhash::fast::RandomState>,
    bytes: usize,
}

fn kept() -> &'static Mutex<Kept> {
    static KEPT: OnceLock<Mutex<Kept>> = OnceLock::new();
    KEPT.get_or_init(Mutex::default)
}

/// Takes `extensions.persistedQuery` out of `request`, if it has one: fills in the document
/// it names, or checks the document sent with it against its hash and keeps it. A request
/// without it is left as it is. Refused: an unknown hash without a document
/// (`PERSISTED_QUERY_NOT_FOUND`), a version other than 1, a hash that is not 64 hexadecimal
/// digits, or one that is not the document's (`BAD_REQUEST`).
pub(crate) fn resolve(request: &mut Request) -> Result<(), ServerError> {
    let Some(persisted) = request.extensions.get("persistedQuery") else {
        return Ok(());
    };
    let hash = hash_of(persisted)?;
    if request.query.trim().is_empty() {
        let found = kept()
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .documents
            .get(&hash)
            .cloned();
        let Some(text) = found else {
            return Err(refusal(
                code::PERSISTED_QUERY_NOT_FOUND,
                NOT_FOUND.to_string(),
                None,
            ));
        };
        request.query = text.to_string();
    } else {
        let actual: [u8; 32] = Sha256::digest(request.query.as_bytes()).into();
        if actual != hash {
            return Err(bad(
                "the document's SHA-256 is not `extensions.persistedQuery.sha256Hash`",
            ));
        }
        keep(hash, &request.query);
    }
    request.extensions.remove("persistedQuery");
    Ok(())
}

/// Whether `request` names its document by a persisted query's hash, so that it may come
/// without one.
pub fn names_its_document(request: &Request) -> bool {
    request.extensions.contains_key("persistedQuery")
}

/// The hash `extensions.persistedQuery` names, when it is version 1 and well formed.
fn hash_of(persisted: &Value) -> Result<[u8; 32], ServerError> {
    let Value::Object(fields) = persisted else {
        return Err(bad("`extensions.persistedQuery` is not an object"));
    };
    match fields.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(1) => {}
        _ => {
            return Err(bad(
                "`extensions.persistedQuery.version` must be 1, the only version served",
            ));
        }
    }
    let text = match fields.get("sha256Hash") {
        Some(Value::String(text)) => text.as_str(),
        _ => return Err(bad("`extensions.persistedQuery.sha256Hash` is missing")),
    };
    let mut hash = [0u8; 32];
    let digits = text.as_bytes();
    if digits.len() != 64 {
        return Err(bad(
            "`extensions.persistedQuery.sha256Hash` must be 64 hexadecimal digits",
        ));
    }
    for (byte, pair) in hash.iter_mut().zip(digits.chunks(2)) {
        let high = hex(pair[0]);
        let low = hex(pair[1]);
        match (high, low) {
            (Some(h), Some(l)) => *byte = h << 4 | l,
            _ => {
                return Err(bad(
                    "`extensions.persistedQuery.sha256Hash` must be 64 hexadecimal digits",
                ));
            }
        }
    }
    Ok(hash)
}

fn hex(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

fn bad(message: &str) -> ServerError {
    refusal(code::BAD_REQUEST, message.to_string(), None)
}

/// Keeps `text` under `hash`, within the bounds.
fn keep(hash: [u8; 32], text: &str) {
    if text.len() > MAX_BYTES {
        return;
    }
    let mut kept = kept().lock().unwrap_or_else(PoisonError::into_inner);
    if kept.documents.contains_key(&hash) {
        return;
    }
    if kept.documents.len() >= MAX_DOCUMENTS || kept.bytes + text.len() > MAX_BYTES {
        kept.documents.clear();
        kept.bytes = 0;
    }
    kept.bytes += text.len();
    kept.documents.insert(hash, text.into());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_hash(query: &str, hash: &str) -> Request {
        let mut request = Request::new(query);
        let extension = serde_json::json!({ "version": 1, "sha256Hash": hash });
        request.extensions.insert(
            "persistedQuery".into(),
            Value::from_json(extension).unwrap_or(Value::Null),
        );
        request
    }

    fn sha(text: &str) -> String {
        Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn code_of(e: &ServerError) -> String {
        let code = e.extensions.as_ref().and_then(|x| x.get("code")).cloned();
        code.map(|c| c.to_string()).unwrap_or_default()
    }

    #[test]
    fn a_hash_is_unknown_until_its_document_is_sent_with_it() {
        let text = "{ stats { entities } } # persisted-unit";
        let hash = sha(text);
        let mut alone = with_hash("", &hash);
        let e = resolve(&mut alone).err();
        assert!(e.as_ref().is_some_and(|e| e.message == NOT_FOUND), "{e:?}");
        assert!(e.is_some_and(|e| code_of(&e).contains("PERSISTED_QUERY_NOT_FOUND")));
        let mut both = with_hash(text, &hash);
        assert!(resolve(&mut both).is_ok());
        assert!(!names_its_document(&both), "the extension is taken out");
        let mut alone = with_hash("", &hash.to_uppercase());
        assert!(resolve(&mut alone).is_ok());
        assert_eq!(alone.query, text);
    }

    #[test]
    fn a_wrong_hash_version_or_form_is_a_bad_request() {
        let text = "{ stats { version } }";
        let mut wrong = with_hash(text, &sha("{ stats { entities } }"));
        let e = resolve(&mut wrong).err();
        assert!(
            e.is_some_and(|e| e.message.contains("SHA-256") && code_of(&e).contains("BAD_REQUEST"))
        );
        for hash in ["abc", &"g".repeat(64)] {
            let mut short = with_hash("", hash);
            let e = resolve(&mut short).err();
            assert!(
                e.is_some_and(|e| e.message.contains("64 hexadecimal")),
                "{hash}"
            );
        }
        let mut v2 = Request::new(text);
        let extension = serde_json::json!({ "version": 2, "sha256Hash": sha(text) });
        v2.extensions.insert(
            "persistedQuery".into(),
            Value::from_json(extension).unwrap_or(Value::Null),
        );
        assert!(resolve(&mut v2).is_err_and(|e| e.message.contains("must be 1")));
        let mut plain = Request::new(text);
        assert!(resolve(&mut plain).is_ok(), "no extension: nothing to do");
    }
}

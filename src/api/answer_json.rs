//! Writes a GraphQL answer as JSON: the bytes `serde_json` writes for it, byte for byte,
//! with less work. Most of an answer is strings that need no escaping; they are checked
//! eight bytes at a time and copied whole, where `serde_json` looks up every byte.
//!
//! One exception: a `Value::Binary` is a part of the answer written already, as JSON, by
//! the objects answered in one pass ([`super::flat`]) of a request marked with
//! [`super::flat::written_as_json`]; it is copied as it is. The schema has no scalar that
//! answers bytes, and only a request whose answer is written here is so marked.

use std::io::Write;

use async_graphql::resolver_utils::EnumType;
use async_graphql::{Response, Value};

/// The answer `response` as JSON, as `serde_json::to_vec` writes it (but for the parts
/// written already, copied as they are).
pub(crate) fn to_vec(response: &Response) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(256 + written_bytes(&response.data));
    out.extend_from_slice(b"{\"data\":");
    value(&mut out, &response.data);
    if !response.extensions.is_empty() {
        out.extend_from_slice(b",\"extensions\":");
        serde_json::to_writer(&mut out, &response.extensions)?;
    }
    if !response.errors.is_empty() {
        out.extend_from_slice(b",\"errors\":");
        serde_json::to_writer(&mut out, &response.errors)?;
    }
    out.push(b'}');
    Ok(out)
}

/// How many bytes of `v` are written already: room to make for them at once, rather
/// than to grow the answer as they are copied in.
fn written_bytes(v: &Value) -> usize {
    match v {
        Value::Binary(written) => written.len(),
        Value::List(items) => items.iter().map(written_bytes).sum(),
        Value::Object(map) => map.values().map(written_bytes).sum(),
        _ => 0,
    }
}

/// Writes one value of the answer.
pub(crate) fn value(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Boolean(true) => out.extend_from_slice(b"true"),
        Value::Boolean(false) => out.extend_from_slice(b"false"),
        Value::String(s) => string(out, s),
        Value::Enum(name) => string(out, name),
        Value::List(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                value(out, item);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            out.push(b'{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                string(out, key);
                out.push(b':');
                value(out, item);
            }
            out.push(b'}');
        }
        Value::Binary(written) => out.extend_from_slice(written),
        // A number is written as `serde_json` shows it: integers in full, floats as
        // `ryu` writes them (a `Number` is never infinite nor NaN).
        // (Writing to a `Vec` cannot fail.)
        Value::Number(number) => {
            let _ = write!(out, "{number}");
        }
    }
}

/// Writes a count, as its value (`Value::Number`) is written: its digits.
pub(crate) fn number(out: &mut Vec<u8>, n: usize) {
    // The digits, last first: at most 20 of a 64-bit count.
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Writes the text `parts` make together as one JSON string: copied, then checked once
/// for escapes as a whole (and written again, escaped, in the rare case it needs one).
pub(crate) fn string_of<'a, I>(out: &mut Vec<u8>, parts: I)
where
    I: IntoIterator<Item = &'a str> + Clone,
{
    out.push(b'"');
    let start = out.len();
    for part in parts.clone() {
        out.extend_from_slice(part.as_bytes());
    }
    if any_escape(&out[start..]) {
        out.truncate(start);
        for part in parts {
            escaped(out, part.as_bytes());
        }
    }
    out.push(b'"');
}

/// Writes the name of an enum's value, as `enum_value` answers it (there is always one).
pub(crate) fn enum_name<T: EnumType>(out: &mut Vec<u8>, value: T) {
    match T::items().iter().find(|item| item.value == value) {
        Some(item) => string(out, item.name),
        None => out.extend_from_slice(b"null"),
    }
}

/// Whether any of the eight bytes of `word` is below 0x20, a quote or a backslash: the
/// bytes JSON escapes. (Each test is exact for the word as a whole.)
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    let zero = |x: u64| x.wrapping_sub(ONES) & !x;
    (below_space | zero(quote) | zero(backslash)) & HIGH != 0
}

/// The escape `serde_json` writes for a byte, or 0 when it writes the byte as it is.
fn escape(byte: u8) -> u8 {
    match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0c => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        0x00..=0x1f => b'u',
        _ => 0,
    }
}

thread_local! {
    /// Room for a text made to be written, kept from one to the next.
    static SCRATCH: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

/// Writes as a JSON string the text `make` writes, made in a string kept by the thread
/// rather than one made and freed for each value (an amount's digits, its words).
pub(crate) fn string_with(out: &mut Vec<u8>, make: impl FnOnce(&mut String)) {
    with_scratch(out, make, string);
}

/// Writes as a JSON string the text `make` writes, which holds no byte JSON escapes
/// (digits, a code): as [`string_with`], without looking for one.
pub(crate) fn plain_with(out: &mut Vec<u8>, make: impl FnOnce(&mut String)) {
    with_scratch(out, make, plain);
}

/// Has `make` write its text in the thread's scratch string, then `write` it to `out`.
fn with_scratch(
    out: &mut Vec<u8>,
    make: impl FnOnce(&mut String),
    write: impl FnOnce(&mut Vec<u8>, &str),
) {
    let mut text = SCRATCH.take();
    text.clear();
    make(&mut text);
    write(out, &text);
    SCRATCH.set(text);
}

/// Writes as a JSON string `s`, which holds no byte JSON escapes: an entity's id (its
/// kind, a colon and a slug of lowercase letters, digits and dashes), a currency code,
/// digits. Quicker than [`string`], which looks for them.
pub(crate) fn plain(out: &mut Vec<u8>, s: &str) {
    debug_assert!(!any_escape(s.as_bytes()), "{s:?} needs escapes");
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// Writes `s` as a JSON string.
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    if any_escape(bytes) {
        escaped(out, bytes);
    } else {
        out.extend_from_slice(bytes);
    }
    out.push(b'"');
}

/// Whether any byte of `bytes` needs an escape: a short text byte by byte, a longer one
/// eight at a time, its last eight bytes read as a word that overlaps the one before.
fn any_escape(bytes: &[u8]) -> bool {
    let word = |at: usize| {
        let mut eight = [0; 8];
        eight.copy_from_slice(&bytes[at..at + 8]);
        needs_escape(u64::from_le_bytes(eight))
    };
    if bytes.len() < 8 {
        return bytes.iter().any(|&byte| ESCAPED[usize::from(byte)]);
    }
    (0..bytes.len() / 8).any(|i| word(i * 8)) || word(bytes.len() - 8)
}

/// The bytes JSON escapes, as a table.
const ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = byte < 0x20 || byte == b'"' as usize || byte == b'\\' as usize;
        byte += 1;
    }
    table
};

/// Writes `bytes`, which need some escape, escaping them; runs without one are copied
/// whole.
fn escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut copied = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        let code = escape(byte);
        if code == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[copied..at]);
        out.extend_from_slice(&[b'\\', code]);
        if code == b'u' {
            let hex = [
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 15)],
            ];
            out.extend_from_slice(&hex);
        }
        copied = at + 1;
    }
    out.extend_from_slice(&bytes[copied..]);
}

#[cfg(test)]
mod tests {
    use async_graphql::indexmap::IndexMap;
    use async_graphql::{Name, Number, Pos, ServerError};

    use super::*;

    /// The same bytes as `serde_json`, or a failure naming what differs.
    fn same(response: &Response) {
        let ours = to_vec(response).unwrap_or_else(|e| panic!("{e}"));
        let theirs = serde_json::to_vec(response).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs)
        );
    }

    #[test]
    fn every_byte_a_string_can_hold_is_written_as_serde_json_writes_it() {
        // Each byte below 0x80 at each place of texts of every length to past two words:
        // those read byte by byte, and those read as words that may overlap.
        for byte in 0u8..0x80 {
            let c = char::from(byte);
            for len in 1..=20 {
                for at in 0..len {
                    let text: String = (0..len).map(|i| if i == at { c } else { 'a' }).collect();
                    same(&Response::new(Value::String(text)));
                }
            }
        }
        for text in [
            "",
            "é",
            "naïve — “quoted”",
            "日本\u{7f}\u{80}\u{2028}",
            "\"\\\"",
            "a\u{1f}b",
        ] {
            same(&Response::new(Value::String(text.into())));
        }
    }

    #[test]
    fn answers_of_every_kind_are_written_as_serde_json_writes_them() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let pieces = [
            "id",
            "\"",
            "\\",
            "\n",
            "é",
            "x\u{1}",
            "country:jp",
            " ",
            "\t",
        ];
        for _ in 0..300 {
            let mut map = IndexMap::new();
            for k in 0..(next() % 6) {
                let text: String = (0..next() % 12)
                    .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                    .collect();
                let item = match next() % 8 {
                    0 => Value::Null,
                    1 => Value::Boolean(next() % 2 == 0),
                    2 => Value::Number(Number::from(next() as i64)),
                    3 => Value::Number(Number::from_f64(next() as f64 / 7.0).unwrap_or(0.into())),
                    4 => Value::Enum(Name::new("COUNTRY")),
                    5 => Value::List(Vec::new()),
                    6 => Value::List(vec![Value::String(text.clone()), Value::Null]),
                    _ => Value::String(text.clone()),
                };
                map.insert(Name::new(format!("{text}{k}")), item);
            }
            let mut response = Response::new(Value::List(vec![Value::Object(map)]));
            if next() % 3 == 0 {
                let mut error =
                    ServerError::new("a \"bad\" value", Some(Pos { line: 1, column: 2 }));
                error.path = vec![async_graphql::PathSegment::Field("a".into())];
                response.errors.push(error);
            }
            if next() % 3 == 0 {
                response.extensions.insert("cost".into(), Value::from(3));
            }
            same(&response);
        }
        same(&Response::new(Value::Null));
    }

    #[test]
    fn a_part_written_already_is_copied_as_it_is() {
        let mut map = IndexMap::new();
        map.insert(
            Name::new("a"),
            Value::Binary(br#"{"b":["c\n"]}"#.to_vec().into()),
        );
        map.insert(Name::new("d"), Value::Null);
        let ours = to_vec(&Response::new(Value::Object(map))).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            String::from_utf8_lossy(&ours),
            r#"{"data":{"a":{"b":["c\n"]},"d":null}}"#
        );
    }

    #[test]
    fn counts_and_texts_in_parts_are_written_as_their_values_are() {
        for n in [0, 1, 9, 10, 99, 100, 12_345, u32::MAX as usize, usize::MAX] {
            let mut ours = Vec::new();
            number(&mut ours, n);
            let theirs = serde_json::to_vec(&Value::from(n)).unwrap_or_default();
            assert_eq!(ours, theirs, "{n}");
        }
        for parts in [&["a", "|", "b"][..], &[], &["x\"", "", "\n\u{1}é"]] {
            let mut ours = Vec::new();
            string_of(&mut ours, parts.iter().copied());
            let theirs = serde_json::to_vec(&parts.concat()).unwrap_or_default();
            assert_eq!(ours, theirs, "{parts:?}");
        }
    }
}

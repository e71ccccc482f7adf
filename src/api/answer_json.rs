//! Writes a GraphQL answer as JSON: the bytes `serde_json` writes for it, byte for byte,
//! with less work. Most of an answer is strings that need no escaping; they are checked
//! eight bytes at a time and copied whole, where `serde_json` looks up every byte.

use async_graphql::{Response, Value};

/// The answer `response` as JSON, as `serde_json::to_vec` writes it.
pub fn to_vec(response: &Response) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(b"{\"data\":");
    value(&mut out, &response.data)?;
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

/// Writes one value of the answer.
fn value(out: &mut Vec<u8>, v: &Value) -> Result<(), serde_json::Error> {
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
                value(out, item)?;
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
                value(out, item)?;
            }
            out.push(b'}');
        }
        // Numbers (integers, and floats as `ryu` writes them) and bytes are rare in an
        // answer: `serde_json` writes them.
        Value::Number(_) | Value::Binary(_) => serde_json::to_writer(&mut *out, v)?,
    }
    Ok(())
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

/// Writes `s` as a JSON string.
fn string(out: &mut Vec<u8>, s: &str) {
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
                    5 => Value::Binary(vec![1, 2, 255].into()),
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
}

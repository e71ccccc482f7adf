//! JSON Lines seed files, read as a stream: one record a line (`{"entity": …}` or
//! `{"relation": …}`), each error located by file, line, entry and field.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::sync::Arc;

use super::error::{SeedError, SeedErrorKind};
use super::{Loader, Location, Record};

/// The longest line read, so a file without line breaks fails clearly rather than
/// exhausting memory.
pub(crate) const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// Reads every record of one `.jsonl` file into `loader`, one line at a time.
pub(super) fn read(path: &Path, loader: &mut Loader) {
    let file: Arc<Path> = Arc::from(path);
    each_record(path, |line, record| {
        let at = Location {
            file: file.clone(),
            line,
        };
        match record {
            Ok(Record::Entity(node)) => loader.add_jsonl_node(node, at),
            Ok(Record::Relation(relation)) => loader.add_jsonl_relation(relation, at),
            Err(e) => loader.errors.push(e),
        }
        true
    });
}

/// Calls `each` with every record of one `.jsonl` file and its line, or the error of a
/// line that is not one, while it answers true. Blank lines are skipped.
pub fn each_record(path: &Path, mut each: impl FnMut(usize, Result<Record, SeedError>) -> bool) {
    let error = |line: usize, entry: Option<String>, field: Option<String>, kind| SeedError {
        file: path.to_path_buf(),
        line,
        entry,
        field,
        kind,
    };
    let mut reader = match std::fs::File::open(path) {
        Ok(f) => BufReader::with_capacity(1 << 20, f),
        Err(e) => {
            each(
                0,
                Err(error(0, None, None, SeedErrorKind::Io(e.to_string()))),
            );
            return;
        }
    };
    let mut bytes = Vec::new();
    for line in 1.. {
        bytes.clear();
        let limit = (MAX_LINE_BYTES + 1) as u64;
        match (&mut reader).take(limit).read_until(b'\n', &mut bytes) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                each(
                    line,
                    Err(error(line, None, None, SeedErrorKind::Io(e.to_string()))),
                );
                break;
            }
        }
        if bytes.len() > MAX_LINE_BYTES && bytes.last() != Some(&b'\n') {
            let kind = SeedErrorKind::Json(format!("a line longer than {MAX_LINE_BYTES} bytes"));
            if !each(line, Err(error(line, None, None, kind))) {
                break;
            }
            if let Err(e) = reader.skip_until(b'\n') {
                each(
                    line,
                    Err(error(line, None, None, SeedErrorKind::Io(e.to_string()))),
                );
                break;
            }
            continue;
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let record = parse(&bytes).map_err(|(field, message)| {
            error(line, entry_of(&bytes), field, SeedErrorKind::Json(message))
        });
        if !each(line, record) {
            break;
        }
    }
}

/// One record, or the field path and message of what is wrong with it. Read without
/// tracking the path first; only a record that fails is read again to name its field.
fn parse(bytes: &[u8]) -> Result<Record, (Option<String>, String)> {
    // A line checked as UTF-8 once, whole, is read without checking each string again.
    if let Ok(Ok(record)) = std::str::from_utf8(bytes).map(serde_json::from_str::<Record>) {
        return Ok(record);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let record: Record = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let field = field_of(&path);
        (field, message(e.inner()))
    })?;
    de.end().map_err(|e| (None, message(&e)))?;
    Ok(record)
}

/// The field path below the record's tag (`entity.data.commitment.pledger` names
/// `data.commitment.pledger`), or none for the record as a whole.
fn field_of(path: &str) -> Option<String> {
    let rest = path
        .strip_prefix("entity")
        .or_else(|| path.strip_prefix("relation"))
        .unwrap_or(path);
    let rest = rest.trim_start_matches('.');
    (!rest.is_empty() && rest != "?").then(|| rest.to_string())
}

/// serde_json's message without its position: the line is the record's, and the column
/// follows in words.
fn message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match text.strip_suffix(&suffix) {
        Some(bare) if e.column() > 0 => format!("{bare} (column {})", e.column()),
        Some(bare) => bare.to_string(),
        None => text,
    }
}

/// The id of a record that does not read as one, where its JSON still names one.
fn entry_of(bytes: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let id = value.get("entity")?.get("id")?.as_str()?;
    Some(id.to_string())
}

/// Where in `value`'s JSON form the string `id` is written, as a field path, for an
/// error about a reference (a record's fields are only read back on that path).
pub(super) fn field_naming<T: serde::Serialize>(value: &T, id: &str) -> Option<String> {
    fn find(v: &serde_json::Value, id: &str, path: &mut String) -> bool {
        match v {
            serde_json::Value::String(s) => s == id,
            serde_json::Value::Array(items) => items.iter().enumerate().any(|(i, item)| {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                let found = find(item, id, path);
                if !found {
                    path.truncate(len);
                }
                found
            }),
            serde_json::Value::Object(map) => map.iter().any(|(key, item)| {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                let found = find(item, id, path);
                if !found {
                    path.truncate(len);
                }
                found
            }),
            _ => false,
        }
    }
    let value = serde_json::to_value(value).ok()?;
    let mut path = String::new();
    find(&value, id, &mut path).then_some(path)
}

/// How many records of each kind a write put on disk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Entity records, in `entities.jsonl`.
    pub entities: u64,
    /// Relation records, in `relations.jsonl`.
    pub relations: u64,
}

/// Writes records as a JSON Lines seed directory: entities to `entities.jsonl`, relations
/// to `relations.jsonl`. Each file is written beside its final name, flushed to disk, then
/// renamed into place, so a failed or interrupted write leaves no half-written seed file.
/// A record that could not be made (an `Err` in `records`) stops the write before either
/// file is renamed: the files written so far are removed, and the error comes back.
pub fn write_dir<E: From<std::io::Error>>(
    dir: &Path,
    records: impl IntoIterator<Item = Result<Record, E>>,
) -> Result<Written, E> {
    std::fs::create_dir_all(dir)?;
    let open =
        |name: &str| -> std::io::Result<(std::io::BufWriter<std::fs::File>, std::path::PathBuf)> {
            let part = dir.join(format!(".{name}.part"));
            let file = std::fs::File::create(&part)?;
            Ok((std::io::BufWriter::with_capacity(1 << 20, file), part))
        };
    let (mut entities, entities_part) = open("entities.jsonl")?;
    let (mut relations, relations_part) = open("relations.jsonl")?;
    let mut written = Written::default();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                drop((entities, relations));
                for part in [&entities_part, &relations_part] {
                    let _ = std::fs::remove_file(part);
                }
                return Err(e);
            }
        };
        let (out, count) = match &record {
            Record::Entity(_) => (&mut entities, &mut written.entities),
            Record::Relation(_) => (&mut relations, &mut written.relations),
        };
        serde_json::to_writer(&mut *out, &record).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
        *count += 1;
    }
    for (out, part, name) in [
        (entities, entities_part, "entities.jsonl"),
        (relations, relations_part, "relations.jsonl"),
    ] {
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&part, dir.join(name))?;
    }
    if let Ok(d) = std::fs::File::open(dir) {
        // Makes the renames durable where the platform allows syncing a directory.
        let _ = d.sync_all();
    }
    Ok(written)
}

//! Reads a seed directory of TOML files into validated model records. Every
//! error names the file, line, entry and field, and a load reports them all.

mod decode;
mod error;
pub mod generate;
mod reader;
mod record;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::model::{Change, EntityId, Node, NodeData, NodeKind, Relation, SourceKind};
use decode::{Decoder, Reference};
pub use error::{SeedError, SeedErrorKind, SeedErrors};
use reader::{Diag, Fields, type_name};
pub use record::Record;

/// The largest seed file read, so a stray huge file fails clearly rather than exhausting memory.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Where an entry is defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub file: PathBuf,
    /// The 1-based line of the entry.
    pub line: usize,
}

/// A validated seed: nodes, the relations no node field implies, and where each node is defined.
#[derive(Debug, Clone, Default)]
pub struct Seed {
    /// Every node, in file then entry order.
    pub nodes: Vec<Node>,
    /// The `[[relation]]` entries.
    pub relations: Vec<Relation>,
    /// Where each node is defined.
    pub locations: HashMap<EntityId, Location>,
}

impl Seed {
    /// The changes that build the seed's graph: each entity created, then each relation
    /// added, in file and entry order.
    pub fn into_changes(self) -> Vec<Change> {
        let entities = self
            .nodes
            .into_iter()
            .map(|entity| Change::CreateEntity { entity });
        let relations = self
            .relations
            .into_iter()
            .map(|relation| Change::AddRelation { relation });
        entities.chain(relations).collect()
    }
}

/// Loads and validates every `*.toml` file in `dir` (not its subdirectories), in name order.
pub fn load_dir(dir: &Path) -> Result<Seed, SeedErrors> {
    let io = |e: std::io::Error, path: &Path| SeedError {
        file: path.to_path_buf(),
        line: 0,
        entry: None,
        field: None,
        kind: SeedErrorKind::Io(e.to_string()),
    };
    let entries = std::fs::read_dir(dir).map_err(|e| SeedErrors(vec![io(e, dir)]))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .collect();
    paths.sort();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let read = std::fs::metadata(&path).and_then(|m| {
            if m.len() > MAX_FILE_BYTES {
                Err(std::io::Error::other(format!(
                    "file is larger than {MAX_FILE_BYTES} bytes"
                )))
            } else {
                std::fs::read_to_string(&path)
            }
        });
        match read {
            Ok(text) => files.push((path, text)),
            Err(e) => errors.push(io(e, &path)),
        }
    }
    if files.is_empty() && errors.is_empty() {
        errors.push(SeedError {
            file: dir.to_path_buf(),
            line: 0,
            entry: None,
            field: None,
            kind: SeedErrorKind::NoFiles,
        });
    }
    match load_files(&files) {
        Ok(seed) if errors.is_empty() => Ok(seed),
        Ok(_) => Err(SeedErrors(errors)),
        Err(SeedErrors(more)) => {
            errors.extend(more);
            Err(SeedErrors(errors))
        }
    }
}

/// Loads and validates seed files given as `(path, text)` pairs.
pub fn load_files(files: &[(PathBuf, String)]) -> Result<Seed, SeedErrors> {
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for (path, text) in files {
        let (table, syntax) = DeTable::parse_recoverable(text);
        let mut d = Diag::new(path, text);
        if syntax.is_empty() {
            parsed.push((d, table));
        } else {
            for e in syntax {
                let span = e.span().unwrap_or(0..0);
                d.error(&span, None, SeedErrorKind::Syntax(e.message().to_string()));
            }
            errors.extend(d.errors);
        }
    }
    let default_source = read_settings(&mut parsed);
    let mut seed = Seed::default();
    let mut refs = Vec::new();
    let mut first_seen: HashMap<EntityId, (PathBuf, usize)> = HashMap::new();
    for (d, table) in &mut parsed {
        let mut decoder = Decoder {
            default_source: default_source.as_ref(),
            refs: Vec::new(),
        };
        decode_file(d, table.get_ref(), &mut decoder, &mut seed, &mut first_seen);
        refs.append(
            &mut decoder
                .refs
                .into_iter()
                .map(|r| (d.file().to_path_buf(), r))
                .collect(),
        );
        errors.append(&mut d.errors);
    }
    check_references(&seed, &refs, &mut errors);
    if seed.nodes.is_empty() && errors.is_empty() {
        let file = files.first().map(|(p, _)| p.clone()).unwrap_or_default();
        errors.push(SeedError {
            file,
            line: 0,
            entry: None,
            field: None,
            kind: SeedErrorKind::NoEntries,
        });
    }
    check_implied(&seed, &mut errors);
    if errors.is_empty() {
        Ok(seed)
    } else {
        errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        Err(SeedErrors(errors))
    }
}

/// Reads the `[seed]` table wherever it is: the default source of bare line numbers.
fn read_settings(parsed: &mut [(Diag, toml::Spanned<DeTable<'_>>)]) -> Option<EntityId> {
    let mut default_source = None;
    for (d, table) in parsed.iter_mut() {
        let Some(v) = table.get_ref().get("seed") else {
            continue;
        };
        d.entry = Some("[seed]".into());
        match v.get_ref() {
            DeValue::Table(t) => {
                let mut f = Fields::new(t, v.span(), "seed".into());
                default_source = f
                    .opt_id(d, "default_source", &[NodeKind::Source])
                    .or(default_source);
                f.finish(d);
            }
            other => d.error(
                &v.span(),
                Some("seed".into()),
                SeedErrorKind::WrongType {
                    expected: "a table",
                    found: type_name(other),
                },
            ),
        }
    }
    default_source
}

const TABLES_HINT: &str = "seed, relation, country, person, org, deal, commitment, demand, tariff, event, statement, project, source";

fn decode_file(
    d: &mut Diag,
    table: &DeTable<'_>,
    decoder: &mut Decoder<'_>,
    seed: &mut Seed,
    first_seen: &mut HashMap<EntityId, (PathBuf, usize)>,
) {
    for (key, value) in table.iter() {
        let name: &str = key.get_ref();
        if name == "seed" {
            continue;
        }
        let kind = name.parse::<NodeKind>().ok();
        if kind.is_none() && name != "relation" {
            d.entry = None;
            let kind = SeedErrorKind::UnknownTable {
                name: name.to_string(),
                expected: TABLES_HINT.into(),
            };
            d.error(&key.span(), Some(name.to_string()), kind);
            continue;
        }
        let DeValue::Array(items) = value.get_ref() else {
            d.entry = None;
            let found = type_name(value.get_ref());
            d.error(
                &key.span(),
                Some(name.to_string()),
                SeedErrorKind::WrongType {
                    expected: "an array of tables ([[…]])",
                    found,
                },
            );
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            let DeValue::Table(entry) = item.get_ref() else {
                d.entry = None;
                let kind = SeedErrorKind::WrongType {
                    expected: "a table",
                    found: type_name(item.get_ref()),
                };
                d.error(&item.span(), Some(format!("{name}[{i}]")), kind);
                continue;
            };
            d.entry = entry
                .get("id")
                .and_then(|v| v.get_ref().as_str())
                .map(str::to_string);
            let mut f = Fields::new(entry, item.span(), String::new());
            let line = d.line(f.span_of("id").start);
            match kind {
                Some(kind) => {
                    let node = decoder.node(kind, &mut f, d);
                    f.finish(d);
                    if let Some(node) = node {
                        add_node(d, seed, first_seen, node, line);
                    }
                }
                None => {
                    let rel = decoder.relation(&mut f, d);
                    f.finish(d);
                    seed.relations.extend(rel);
                }
            }
        }
    }
}

fn add_node(
    d: &mut Diag,
    seed: &mut Seed,
    first_seen: &mut HashMap<EntityId, (PathBuf, usize)>,
    node: Node,
    line: usize,
) {
    if let Some((file, first)) = first_seen.get(&node.id) {
        let kind = SeedErrorKind::DuplicateId {
            id: node.id.to_string(),
            first: format!("{}:{first}", file.display()),
        };
        d.errors.push(SeedError {
            file: d.file().to_path_buf(),
            line,
            entry: Some(node.id.to_string()),
            field: Some("id".into()),
            kind,
        });
        return;
    }
    first_seen.insert(node.id.clone(), (d.file().to_path_buf(), line));
    seed.locations.insert(
        node.id.clone(),
        Location {
            file: d.file().to_path_buf(),
            line,
        },
    );
    seed.nodes.push(node);
}

/// Every referenced id exists; every citation names a source and fits its kind.
fn check_references(seed: &Seed, refs: &[(PathBuf, Reference)], errors: &mut Vec<SeedError>) {
    let source_kinds: HashMap<&EntityId, SourceKind> = seed
        .nodes
        .iter()
        .filter_map(|n| match &n.data {
            NodeData::Source(s) => Some((&n.id, s.kind)),
            _ => None,
        })
        .collect();
    for (file, r) in refs {
        let error = |kind| SeedError {
            file: file.clone(),
            line: r.line,
            entry: r.entry.clone(),
            field: Some(r.field.clone()),
            kind,
        };
        if !seed.locations.contains_key(&r.target) {
            errors.push(error(SeedErrorKind::DanglingReference(
                r.target.to_string(),
            )));
            continue;
        }
        let (Some(has_line), Some(kind)) = (r.cited_line, source_kinds.get(&r.target)) else {
            continue;
        };
        match (kind, has_line) {
            (SourceKind::Document, false) => {
                errors.push(error(SeedErrorKind::BadCitation(format!(
                    "`{}` is a document: cite a line",
                    r.target
                ))));
            }
            (SourceKind::Curator, true) => {
                errors.push(error(SeedErrorKind::BadCitation(format!(
                    "`{}` is a curator note: it has no lines",
                    r.target
                ))));
            }
            _ => {}
        }
    }
}

/// The relations node fields imply join kinds that may hold them.
fn check_implied(seed: &Seed, errors: &mut Vec<SeedError>) {
    for node in &seed.nodes {
        for implied in node.implied_relations() {
            let r = &implied.relation;
            if let Err(e) = r.kind.check(r.from.kind(), r.to.kind()) {
                let at = seed.locations.get(&node.id);
                errors.push(SeedError {
                    file: at.map(|l| l.file.clone()).unwrap_or_default(),
                    line: at.map(|l| l.line).unwrap_or(0),
                    entry: Some(node.id.to_string()),
                    field: Some(implied.field.to_string()),
                    kind: SeedErrorKind::Invalid(e),
                });
            }
        }
    }
}

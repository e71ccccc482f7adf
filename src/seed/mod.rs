//! Reads a seed directory of TOML and JSON Lines files into validated model records.
//! Every error names the file, line, entry and field, and a load reports them all.

mod decode;
mod error;
mod fingerprint;
pub mod generate;
mod jsonl;
mod reader;
mod record;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml::de::{DeTable, DeValue};

use crate::model::{Change, EntityId, Node, NodeData, NodeKind, Relation, SourceKind, SourceRef};
use decode::{Decoder, Reference};
pub use error::{SeedError, SeedErrorKind, SeedErrors};
pub use fingerprint::fingerprint;
pub use jsonl::{Written, each_record, write_dir};
use reader::{Diag, Fields, type_name};
pub use record::Record;

/// The largest seed file read, so a stray huge file fails clearly rather than exhausting memory.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Where an entry is defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub file: Arc<Path>,
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

/// Loads and validates every `*.toml` and `*.jsonl` file in `dir` (not its
/// subdirectories), in name order. TOML files are read whole; JSON Lines files as a
/// stream, one record a line.
pub fn load_dir(dir: &Path) -> Result<Seed, SeedErrors> {
    let io = |e: std::io::Error, path: &Path| SeedError {
        file: path.to_path_buf(),
        line: 0,
        entry: None,
        field: None,
        kind: SeedErrorKind::Io(e.to_string()),
    };
    let paths = files_in(dir).map_err(|e| SeedErrors(vec![io(e, dir)]))?;
    let _shared_ids = crate::model::IdInterner::start();
    let mut loader = Loader::default();
    let mut files = Vec::new();
    for path in paths.iter().filter(|p| has_ext(p, "toml")) {
        let read = std::fs::metadata(path).and_then(|m| {
            if m.len() > MAX_FILE_BYTES {
                Err(std::io::Error::other(format!(
                    "file is larger than {MAX_FILE_BYTES} bytes: write a large seed as JSON Lines"
                )))
            } else {
                std::fs::read_to_string(path)
            }
        });
        match read {
            Ok(text) => files.push((path.clone(), text)),
            Err(e) => loader.errors.push(io(e, path)),
        }
    }
    let jsonl: Vec<&PathBuf> = paths.iter().filter(|p| has_ext(p, "jsonl")).collect();
    if files.is_empty() && jsonl.is_empty() && loader.errors.is_empty() {
        loader.errors.push(SeedError {
            file: dir.to_path_buf(),
            line: 0,
            entry: None,
            field: None,
            kind: SeedErrorKind::NoFiles,
        });
        return Err(SeedErrors(loader.errors));
    }
    loader.toml(&files);
    for path in jsonl {
        jsonl::read(path, &mut loader);
    }
    loader.finish(paths.first().map(PathBuf::as_path).unwrap_or(dir))
}

/// The seed's files when they are all JSON Lines, in name order: such a seed can be
/// read as a stream of changes, with nothing to resolve across files first.
pub fn jsonl_files(dir: &Path) -> Option<Vec<PathBuf>> {
    let mut paths = files_in(dir).ok()?;
    if paths.iter().any(|p| has_ext(p, "toml")) {
        return None;
    }
    paths.retain(|p| has_ext(p, "jsonl"));
    (!paths.is_empty()).then_some(paths)
}

/// The files of `dir` (not its subdirectories), in name order.
fn files_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    Ok(paths)
}

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension().is_some_and(|x| x == ext)
}

/// Loads and validates seed files given as `(path, TOML text)` pairs.
pub fn load_files(files: &[(PathBuf, String)]) -> Result<Seed, SeedErrors> {
    let mut loader = Loader::default();
    loader.toml(files);
    let first = files
        .first()
        .map(|(p, _)| p.as_path())
        .unwrap_or(Path::new(""));
    loader.finish(first)
}

/// A load in progress: the records read so far, the errors found, and what is left to
/// check once every file is read.
#[derive(Default)]
pub(crate) struct Loader {
    seed: Seed,
    errors: Vec<SeedError>,
    /// The references TOML entries make, checked at the end.
    refs: Vec<(PathBuf, Reference)>,
    /// The nodes read from JSON Lines, by index, whose references are checked at the end.
    jsonl_nodes: Vec<usize>,
    /// The relations read from JSON Lines, by index, with where each is.
    jsonl_relations: Vec<(usize, Location)>,
}

impl Loader {
    /// Reads TOML files, each parsed whole.
    fn toml(&mut self, files: &[(PathBuf, String)]) {
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
                self.errors.extend(d.errors);
            }
        }
        let default_source = read_settings(&mut parsed);
        for (d, table) in &mut parsed {
            let mut decoder = Decoder {
                default_source: default_source.as_ref(),
                refs: Vec::new(),
            };
            let file: Arc<Path> = Arc::from(d.file());
            decode_file(d, table.get_ref(), &mut decoder, self, &file);
            let at = d.file().to_path_buf();
            self.refs
                .extend(decoder.refs.into_iter().map(|r| (at.clone(), r)));
            self.errors.append(&mut d.errors);
        }
    }

    /// Adds a node unless its id is taken, which is an error naming the first definition.
    fn add_node(&mut self, node: Node, at: Location) -> bool {
        if let Some(first) = self.seed.locations.get(&node.id) {
            let kind = SeedErrorKind::DuplicateId {
                id: node.id.to_string(),
                first: format!("{}:{}", first.file.display(), first.line),
            };
            self.errors.push(SeedError {
                file: at.file.to_path_buf(),
                line: at.line,
                entry: Some(node.id.to_string()),
                field: Some("id".into()),
                kind,
            });
            return false;
        }
        self.seed.locations.insert(node.id.clone(), at);
        self.seed.nodes.push(node);
        true
    }

    /// A node read from JSON Lines: its own rules now, its references at the end.
    fn add_jsonl_node(&mut self, node: Node, at: Location) {
        if let Err(e) = node.check() {
            self.errors.push(SeedError {
                file: at.file.to_path_buf(),
                line: at.line,
                entry: Some(node.id.to_string()),
                field: None,
                kind: SeedErrorKind::Invalid(e),
            });
            return;
        }
        if self.add_node(node, at) {
            self.jsonl_nodes.push(self.seed.nodes.len() - 1);
        }
    }

    /// A relation read from JSON Lines: the kinds of its ends and its references are
    /// checked at the end.
    fn add_jsonl_relation(&mut self, mut relation: Relation, at: Location) {
        // Read with texts of their own (a graph gives them its nodes'); a seed held whole
        // until its end shares them now.
        relation.from = relation.from.into_shared();
        relation.to = relation.to.into_shared();
        self.jsonl_relations.push((self.seed.relations.len(), at));
        self.seed.relations.push(relation);
    }

    /// Checks what needs every file read, and gives the seed or every error.
    fn finish(mut self, first_file: &Path) -> Result<Seed, SeedErrors> {
        let source_kinds: HashMap<EntityId, SourceKind> = self
            .seed
            .nodes
            .iter()
            .filter_map(|n| match &n.data {
                NodeData::Source(s) => Some((n.id.clone(), s.kind)),
                _ => None,
            })
            .collect();
        check_references(&self.seed, &source_kinds, &self.refs, &mut self.errors);
        self.check_jsonl_references(&source_kinds);
        if self.seed.nodes.is_empty() && self.errors.is_empty() {
            self.errors.push(SeedError {
                file: first_file.to_path_buf(),
                line: 0,
                entry: None,
                field: None,
                kind: SeedErrorKind::NoEntries,
            });
        }
        check_implied(&self.seed, &mut self.errors);
        if self.errors.is_empty() {
            Ok(self.seed)
        } else {
            self.errors
                .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            Err(SeedErrors(self.errors))
        }
    }

    /// Every id a JSON Lines record names exists, every citation names a source and fits
    /// its kind, and every relation joins kinds that may hold it.
    fn check_jsonl_references(&mut self, source_kinds: &HashMap<EntityId, SourceKind>) {
        let seed = &self.seed;
        let errors = &mut self.errors;
        let exists = |id: &EntityId| seed.locations.contains_key(id);
        for &i in &self.jsonl_nodes {
            let node = &seed.nodes[i];
            let Some(at) = seed.locations.get(&node.id) else {
                continue;
            };
            let error = |field: Option<String>, kind| SeedError {
                file: at.file.to_path_buf(),
                line: at.line,
                entry: Some(node.id.to_string()),
                field,
                kind,
            };
            for id in node.references() {
                if !exists(id) {
                    let field = jsonl::field_naming(node, id.as_str());
                    errors.push(error(
                        field,
                        SeedErrorKind::DanglingReference(id.to_string()),
                    ));
                }
            }
            for cite in node.citations() {
                if let Err(kind) = check_citation(cite, source_kinds) {
                    let field = jsonl::field_naming(node, cite.source.as_str());
                    errors.push(error(field, kind));
                }
            }
        }
        for (i, at) in &self.jsonl_relations {
            let relation = &seed.relations[*i];
            let error = |field: &str, kind| SeedError {
                file: at.file.to_path_buf(),
                line: at.line,
                entry: None,
                field: Some(field.to_string()),
                kind,
            };
            let mut ends_exist = true;
            for (field, id) in [("from", &relation.from), ("to", &relation.to)] {
                if !exists(id) {
                    ends_exist = false;
                    errors.push(error(
                        field,
                        SeedErrorKind::DanglingReference(id.to_string()),
                    ));
                }
            }
            if ends_exist {
                if let Err(e) = relation
                    .kind
                    .check(relation.from.kind(), relation.to.kind())
                {
                    errors.push(error("kind", SeedErrorKind::Invalid(e)));
                }
            }
            if relation.sources.is_empty() {
                errors.push(error("sources", SeedErrorKind::MissingSource));
            }
            for (n, cite) in relation.sources.iter().enumerate() {
                if let Err(kind) = check_citation(cite, source_kinds) {
                    errors.push(error(&format!("sources[{n}].source"), kind));
                }
            }
        }
    }
}

/// A citation names a source node, with a line for a document and none for a curator note.
fn check_citation(
    cite: &SourceRef,
    source_kinds: &HashMap<EntityId, SourceKind>,
) -> Result<(), SeedErrorKind> {
    if cite.source.kind() != NodeKind::Source {
        return Err(SeedErrorKind::BadCitation(format!(
            "`{}` is not a source: cite a `source:` entry",
            cite.source
        )));
    }
    let Some(kind) = source_kinds.get(&cite.source) else {
        return Err(SeedErrorKind::DanglingReference(cite.source.to_string()));
    };
    citation_fits(&cite.source, *kind, cite.line.is_some())
}

/// A document is cited by line; a curator note, which has no lines, without one.
fn citation_fits(source: &EntityId, kind: SourceKind, has_line: bool) -> Result<(), SeedErrorKind> {
    match kind.citation_misfit(has_line) {
        Some(why) => Err(SeedErrorKind::BadCitation(format!("`{source}` {why}"))),
        None => Ok(()),
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
    loader: &mut Loader,
    file: &Arc<Path>,
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
                        let at = Location {
                            file: file.clone(),
                            line,
                        };
                        loader.add_node(node, at);
                    }
                }
                None => {
                    let rel = decoder.relation(&mut f, d);
                    f.finish(d);
                    loader.seed.relations.extend(rel);
                }
            }
        }
    }
}

/// Every id a TOML entry names exists; every citation names a source and fits its kind.
fn check_references(
    seed: &Seed,
    source_kinds: &HashMap<EntityId, SourceKind>,
    refs: &[(PathBuf, Reference)],
    errors: &mut Vec<SeedError>,
) {
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
        if let Err(kind) = citation_fits(&r.target, *kind, has_line) {
            errors.push(error(kind));
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
                    file: at.map(|l| l.file.to_path_buf()).unwrap_or_default(),
                    line: at.map(|l| l.line).unwrap_or(0),
                    entry: Some(node.id.to_string()),
                    field: Some(implied.field.to_string()),
                    kind: SeedErrorKind::Invalid(e),
                });
            }
        }
    }
}

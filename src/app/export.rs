//! Export: the current graph — the seed with every change of the data directory's log
//! applied — written as a JSON Lines seed directory, for curators to review the edits and
//! fold them into `seed/`.
//!
//! Every live entity is written whole (every claim, superseded and deprecated ones too,
//! with their ranks, `supersedes` and caveats), then every explicit relation; the
//! relations entity fields imply come back from the fields. What a seed cannot say is
//! left out and counted: retracted entities and relations, and the ids of duplicates
//! merged into another entity (their names are already aliases of the survivor). The
//! texts of the documents the server knows are written to `sources/`, each under its
//! source's file name. Entities and relations are written in id order, so the same graph
//! always exports to the same files.

use std::path::{Path, PathBuf};

use std::sync::Arc;

use crate::graph::KnowledgeGraph;
use crate::model::{DocumentText, Node, NodeKind};
use crate::seed::{self, Record, Written};
use crate::store::DB_FILE;

use super::{App, AppError, Config};

/// An export written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Exported {
    /// The records written.
    pub written: Written,
    /// The version of the graph exported: how many batches of the change log it holds.
    pub version: u64,
    /// The documents' texts written to `sources/`.
    pub documents: usize,
    /// What a seed cannot say, left out.
    pub left_out: LeftOut,
}

/// What an export leaves out, because a seed cannot express it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeftOut {
    /// Entities retracted (not counting merged duplicates).
    pub retracted_entities: usize,
    /// Duplicates merged into another entity: the survivor is written, with the
    /// duplicate's names among its aliases, but the duplicate's id no longer resolves.
    pub merged_entities: usize,
    /// Relations withdrawn: retracted, or with a retracted or merged entity (a merged
    /// duplicate's relations are written as the survivor's).
    pub withdrawn_relations: usize,
}

impl LeftOut {
    /// True when nothing was left out.
    pub fn is_empty(&self) -> bool {
        *self == LeftOut::default()
    }
}

/// Why no export was written; the output directory is left as it was.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The output directory already holds files.
    #[error(
        "{} is not empty: export into a new or empty directory (an export never writes over files)",
        path.display()
    )]
    NotEmpty {
        /// The directory asked for.
        path: PathBuf,
    },
    /// The output path is a file, or names no directory.
    #[error("{} is not a directory to export into: give the path of a new directory", path.display())]
    NotADirectory {
        /// The path asked for.
        path: PathBuf,
    },
    /// The data directory holds no change log.
    #[error(
        "{} holds no change log ({DB_FILE} is not there): give the data directory the server was started with, or leave out `--data-dir` to export the seed alone",
        dir.display()
    )]
    NoStore {
        /// The data directory.
        dir: PathBuf,
    },
    /// The seed or the change log does not load.
    #[error(transparent)]
    Load(#[from] AppError),
    /// The files could not be written.
    #[error("cannot write the export to {}: {source}", path.display())]
    Write {
        /// The directory asked for.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
}

/// Loads the configuration's seed and applies its data directory's change log, as a
/// server starts, then writes the graph to `out` (see [`export_graph`]). A data directory
/// without a store is refused rather than created; the output directory is checked
/// before the graph is loaded.
pub fn export(config: Config, out: &Path) -> Result<Exported, ExportError> {
    check_target(out)?;
    if let Some(dir) = &config.data_dir
        && !dir.join(DB_FILE).is_file()
    {
        return Err(ExportError::NoStore { dir: dir.clone() });
    }
    let app = App::load(config)?;
    export_with_documents(&app.graph(), &app.documents().all(), out)
}

/// Writes `graph` as a JSON Lines seed directory `out` (`entities.jsonl`,
/// `relations.jsonl`) that loads to an equal graph. `out` must not exist or be empty: the
/// files are written into a directory beside it, which is renamed to `out` once complete,
/// so a failed export leaves nothing behind.
pub fn export_graph(graph: &KnowledgeGraph, out: &Path) -> Result<Exported, ExportError> {
    export_with_documents(graph, &[], out)
}

/// [`export_graph`], with the texts of `documents` (file name, text) written to
/// `out/sources/`.
pub fn export_with_documents(
    graph: &KnowledgeGraph,
    documents: &[(String, Arc<DocumentText>)],
    out: &Path,
) -> Result<Exported, ExportError> {
    let (parent, name) = check_target(out)?;
    let failed = |source: std::io::Error| ExportError::Write {
        path: out.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(&parent).map_err(failed)?;
    let mut part_name = std::ffi::OsString::from(".");
    part_name.push(&name);
    part_name.push(format!(".export-{}", std::process::id()));
    let part = parent.join(part_name);
    // Left by an export of this process's number that was killed: never a finished one.
    if part.exists() {
        std::fs::remove_dir_all(&part).map_err(failed)?;
    }
    std::fs::create_dir(&part).map_err(failed)?;
    let written = seed::write_dir(&part, records(graph)).and_then(|written| {
        write_documents(&part.join(DOCUMENTS_DIR), documents)?;
        std::fs::rename(&part, out)?;
        Ok(written)
    });
    let written = match written {
        Ok(written) => written,
        Err(source) => {
            let _ = std::fs::remove_dir_all(&part);
            if out.read_dir().is_ok_and(|mut d| d.next().is_some()) {
                return Err(ExportError::NotEmpty {
                    path: out.to_path_buf(),
                });
            }
            return Err(failed(source));
        }
    };
    if let Ok(d) = std::fs::File::open(&parent) {
        // Makes the new name durable where the platform allows syncing a directory.
        let _ = d.sync_all();
    }
    let withdrawn = graph.withdrawn();
    Ok(Exported {
        written,
        version: graph.version(),
        documents: documents.len(),
        left_out: LeftOut {
            retracted_entities: withdrawn.retracted_entities(),
            merged_entities: withdrawn.merged_entities(),
            withdrawn_relations: withdrawn.withdrawn_relations(),
        },
    })
}

/// The directory of an export that holds the documents' texts.
pub const DOCUMENTS_DIR: &str = "sources";

/// Writes each document's text into `dir` under its file name, each synced; nothing (not
/// even the directory) when there are none.
fn write_documents(dir: &Path, documents: &[(String, Arc<DocumentText>)]) -> std::io::Result<()> {
    if documents.is_empty() {
        return Ok(());
    }
    std::fs::create_dir(dir)?;
    for (file, text) in documents {
        // Names were checked when the documents were read or written; a name that is not
        // a plain one is never joined to a path.
        if crate::model::check_file_name(file).is_err() {
            continue;
        }
        let mut f = std::fs::File::create_new(dir.join(file))?;
        std::io::Write::write_all(&mut f, text.text().as_bytes())?;
        f.sync_all()?;
    }
    Ok(())
}

/// The directory `out` is in and its name, when `out` is a new or empty directory.
fn check_target(out: &Path) -> Result<(PathBuf, std::ffi::OsString), ExportError> {
    let not_a_dir = || ExportError::NotADirectory {
        path: out.to_path_buf(),
    };
    match std::fs::metadata(out) {
        Ok(meta) if !meta.is_dir() => return Err(not_a_dir()),
        Ok(_) => {
            let mut entries = out.read_dir().map_err(|source| ExportError::Write {
                path: out.to_path_buf(),
                source,
            })?;
            if entries.next().is_some() {
                return Err(ExportError::NotEmpty {
                    path: out.to_path_buf(),
                });
            }
        }
        Err(_) => {}
    }
    let name = out.file_name().ok_or_else(not_a_dir)?.to_os_string();
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// The graph's records: every live entity by id, then every explicit relation by id.
fn records(graph: &KnowledgeGraph) -> impl Iterator<Item = std::io::Result<Record>> + '_ {
    let mut nodes: Vec<&Node> = NodeKind::ALL
        .iter()
        .flat_map(|kind| graph.nodes_of_kind(*kind))
        .collect();
    nodes.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    let mut relations: Vec<(String, &crate::model::Relation)> = graph
        .edges()
        .filter(|e| e.implied_by.is_none())
        .map(|e| (e.id(), &e.relation))
        .collect();
    relations.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let entities = nodes.into_iter().map(|n| Record::Entity(n.clone()));
    let relations = relations
        .into_iter()
        .map(|(_, r)| Record::Relation(r.clone()));
    entities.chain(relations).map(Ok)
}

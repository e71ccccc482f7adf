//! At start: the texts of the graph's document sources, gathered from the change log (the
//! documents writes added, rewritten into the sources directory where missing) and from
//! the sources directory (the seed's and any other document's file). A missing or
//! unreadable file is a warning in the log, never a refusal to start.

use std::path::Path;

use crate::graph::KnowledgeGraph;
use crate::model::{DocumentText, NodeData, NodeKind, SourceKind, check_file_name};
use crate::store::LoggedDocument;

use super::documents::Documents;
use super::sources_dir::{self, Placed};

/// The documents the server starts with: every one `logged`, then each document source of
/// `graph` whose file is in `dir`, each at most `max_bytes` long.
pub(super) fn load(
    graph: &KnowledgeGraph,
    logged: &[LoggedDocument],
    dir: Option<&Path>,
    max_bytes: usize,
) -> Documents {
    let documents = Documents::default();
    for logged in logged {
        let doc = &logged.document;
        // A write never keeps another text under a file name already known, so the first
        // is the only one.
        if documents.get(&doc.file).is_some() {
            continue;
        }
        documents.insert(doc.file.clone(), DocumentText::new(doc.text.as_str()));
        let Some(dir) = dir else { continue };
        match sources_dir::place(dir, &doc.file, &doc.text) {
            Ok(Placed::Written) => tracing::info!(
                "wrote {} into {} from change {} of the log",
                doc.file,
                dir.display(),
                logged.seq
            ),
            Ok(Placed::AlreadyThere) => {}
            Err(e) => tracing::warn!("{e}; serving the text change {} logged", logged.seq),
        }
    }
    let mut read = 0;
    for node in graph.nodes_of_kind(NodeKind::Source) {
        let NodeData::Source(source) = &node.data else {
            continue;
        };
        let (SourceKind::Document, Some(file)) = (source.kind, &source.file) else {
            continue;
        };
        if documents.get(file).is_some() {
            continue;
        }
        if let Err(e) = check_file_name(file) {
            tracing::warn!("`{}` names no file in the sources directory: {e}", node.id);
            continue;
        }
        let Some(dir) = dir else { continue };
        match sources_dir::read(dir, file, max_bytes) {
            Ok(Some(text)) => {
                documents.insert(file.clone(), DocumentText::new(text));
                read += 1;
            }
            Ok(None) => tracing::warn!(
                "the text of `{}` is unknown: {} is not in the sources directory {}",
                node.id,
                file,
                dir.display()
            ),
            Err(e) => tracing::warn!("the text of `{}` is unknown: {e}", node.id),
        }
    }
    if let Some(dir) = dir {
        tracing::info!(
            "read {read} documents from {} ({} known)",
            dir.display(),
            documents.len()
        );
    }
    documents
}

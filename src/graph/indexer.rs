//! The search index of a load, built on a thread of its own: the thread that builds the
//! graph hands it each node as it is placed, in order, and takes the finished index at
//! the end. Indexing the texts is about half the work of a load, and it needs nothing
//! of the graph but the nodes: it orders documents by their nodes' ids, as the graph
//! does.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use super::search::SearchIndex;
use super::texts;
use crate::model::{EntityId, Node};

/// Nodes are handed over in batches of this many.
const BATCH: usize = 1024;

/// Batches in flight: past this, the graph's thread waits for the indexer.
const IN_FLIGHT: usize = 8;

/// One step for the indexer, in the order the graph took it.
pub(crate) enum Step {
    Add(u32, Arc<Node>),
    Remove(u32),
    /// A node's data replaced, its id unchanged: the old, then the new.
    Replace(u32, Arc<Node>, Arc<Node>),
}

/// The graph's end of the indexer while a load runs, handing it over what the search
/// index is to take, in batches; off otherwise, and then the graph indexes in place.
#[derive(Debug, Default)]
pub(crate) struct Feed(Option<Live>);

#[derive(Debug)]
struct Live {
    tx: SyncSender<Vec<Step>>,
    batch: Vec<Step>,
}

impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Step::Add(doc, _) => write!(f, "Add({doc})"),
            Step::Remove(doc) => write!(f, "Remove({doc})"),
            Step::Replace(doc, _, _) => write!(f, "Replace({doc})"),
        }
    }
}

impl Clone for Feed {
    /// Off: a copy of a graph indexes in place. (Graphs are copied only once loaded.)
    fn clone(&self) -> Self {
        Feed(None)
    }
}

impl Feed {
    /// A feed that is on, and the indexer's end of it: run [`index`] on the receiver on
    /// a thread of its own.
    pub fn start() -> (Self, Receiver<Vec<Step>>) {
        let (tx, rx) = sync_channel(IN_FLIGHT);
        let batch = Vec::with_capacity(BATCH);
        (Feed(Some(Live { tx, batch })), rx)
    }

    /// Hands over the texts of `node`, document `doc`, to be indexed; false when the
    /// feed is off.
    pub fn add(&mut self, doc: u32, node: &Arc<Node>) -> bool {
        self.push(|| Step::Add(doc, node.clone()))
    }

    /// Hands over the removal of document `doc`; false when the feed is off.
    pub fn remove(&mut self, doc: u32) -> bool {
        self.push(|| Step::Remove(doc))
    }

    /// Hands over the replacement of document `doc`'s node `old` by `new`; false when
    /// the feed is off.
    pub fn replace(&mut self, doc: u32, old: &Arc<Node>, new: &Arc<Node>) -> bool {
        self.push(|| Step::Replace(doc, old.clone(), new.clone()))
    }

    fn push(&mut self, step: impl FnOnce() -> Step) -> bool {
        let Some(live) = &mut self.0 else {
            return false;
        };
        live.batch.push(step());
        if live.batch.len() == BATCH {
            let full = std::mem::replace(&mut live.batch, Vec::with_capacity(BATCH));
            // The indexer stops early only by panicking, which its caller learns when
            // it joins it.
            let _ = live.tx.send(full);
        }
        true
    }

    /// Hands over what is left and turns the feed off, so that the indexer ends.
    pub fn stop(&mut self) {
        if let Some(live) = self.0.take()
            && !live.batch.is_empty()
        {
            let _ = live.tx.send(live.batch);
        }
    }
}

/// Each document's id, for the order of documents: the graph orders nodes by their
/// order keys and then their ids, which is the order of the ids themselves.
#[derive(Default)]
struct DocIds(Vec<Option<EntityId>>);

impl DocIds {
    fn set(&mut self, doc: u32, id: Option<EntityId>) {
        let at = doc as usize;
        if self.0.len() <= at {
            self.0.resize(at + 1, None);
        }
        self.0[at] = id;
    }

    fn cmp(&self, a: u32, b: u32) -> std::cmp::Ordering {
        let id = |doc: u32| self.0.get(doc as usize).and_then(Option::as_ref);
        id(a).cmp(&id(b))
    }
}

/// The indexer: indexes every node it is handed, in order, until the feed is dropped,
/// and returns the finished index.
pub(crate) fn index(rx: Receiver<Vec<Step>>) -> SearchIndex {
    let mut search = SearchIndex::default();
    let mut ids = DocIds::default();
    for batch in rx {
        for step in batch {
            // A document's id is known from before its first text to after its last.
            match step {
                Step::Add(doc, node) => {
                    ids.set(doc, Some(node.id.clone()));
                    for (field, text) in texts(&node) {
                        search.add(doc, field, text, &|a, b| ids.cmp(a, b));
                    }
                }
                Step::Remove(doc) => {
                    search.remove_doc(doc, &|a, b| ids.cmp(a, b));
                    ids.set(doc, None);
                }
                Step::Replace(doc, old, new) => {
                    let (before, after) = (texts(&old), texts(&new));
                    search.replace_doc(doc, &before, &after, &|a, b| ids.cmp(a, b));
                }
            }
        }
    }
    search.finish(&|a, b| ids.cmp(a, b));
    search
}

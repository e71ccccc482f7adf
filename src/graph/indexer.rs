//! The search index of a load, built on a thread of its own: the thread that builds the
//! graph hands it each node as it is placed, in order, and takes the finished index at
//! the end. Indexing the texts is about half the work of a load, and it needs nothing
//! of the graph but the nodes.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use super::search::SearchIndex;
use super::texts;
use crate::model::Node;

/// Nodes are handed over in batches of this many.
const BATCH: usize = 1024;

/// Batches in flight: past this, the graph's thread waits for the indexer.
const IN_FLIGHT: usize = 8;

/// One step for the indexer, in the order the graph took it.
pub(crate) enum Step {
    Add(u32, Arc<Node>),
    Remove(u32),
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

/// The indexer: indexes every node it is handed, in order, until the feed is dropped,
/// and returns the finished index.
pub(crate) fn index(rx: Receiver<Vec<Step>>) -> SearchIndex {
    let mut search = SearchIndex::default();
    for batch in rx {
        for step in batch {
            match step {
                Step::Add(doc, node) => {
                    for (field, text) in texts(&node) {
                        search.add(doc, field, text);
                    }
                }
                Step::Remove(doc) => search.remove_doc(doc),
            }
        }
    }
    search.finish();
    search
}

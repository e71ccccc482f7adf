//! The search index of a load, built on a thread of its own: the thread that builds the
//! graph hands it each node as it is placed, in order, and takes the finished index at
//! the end. Indexing the texts is about half the work of a load, and it needs nothing
//! of the graph but the nodes: it orders documents by their nodes' ids, as the graph
//! does.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::time::Duration;

use super::search::{Field, SearchIndex};
use super::texts;
use crate::model::{EntityId, Node};

/// Nodes are handed over in batches of this many.
const BATCH: usize = 1024;

/// Batches in flight: past this, the graph's thread waits for the indexer. The indexer
/// falls behind while a load's entities are read (three threads share the cores) and
/// catches up while its relations are; a short queue made the graph's thread wait, and
/// the reader behind it, leaving a core idle. A batch in flight holds only pointers to
/// nodes the graph holds anyway (about 24 KB a batch).
const IN_FLIGHT: usize = 256;

/// How long the feed stays empty before the indexer takes it as paused: far longer than
/// the graph's thread takes to fill a batch of nodes, far shorter than a load's relations.
const PAUSE: Duration = Duration::from_millis(50);

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

    /// True while a load's texts go to the indexer: the index holds only some of them.
    pub fn is_on(&self) -> bool {
        self.0.is_some()
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

    /// The order key of a document's id ([`EntityId::order_key`]), which agrees with
    /// [`DocIds::cmp`]: a document without an id comes first in both.
    fn key(&self, doc: u32) -> u128 {
        let id = self.0.get(doc as usize).and_then(Option::as_ref);
        id.map_or(0, EntityId::order_key)
    }
}

/// The indexer: indexes every node it is handed, in order, until the feed is dropped,
/// and returns the finished index.
///
/// A node's longer texts (description, quotes) are put off while nodes keep coming, and
/// indexed once the feed pauses ([`PAUSE`]: the relations of a load come after its nodes), before
/// any other step, or at the end. A word's list is kept in id order during a load, and
/// a name's text id comes before every description's: names and descriptions indexed
/// in turn would put each name in the middle of its words' lists, each by a search and
/// an insert there; put off, every id is appended. A node's texts are still numbered
/// in its own order, since its longer texts come last.
pub(crate) fn index(rx: Receiver<Vec<Step>>) -> SearchIndex {
    let mut search = SearchIndex::default();
    let mut ids = DocIds::default();
    let mut later: Vec<(u32, Arc<Node>)> = Vec::new();
    let mut next = rx.recv().ok();
    while let Some(batch) = next {
        for step in batch {
            // A document's id is known from before its first text to after its last.
            match step {
                Step::Add(doc, node) => {
                    ids.set(doc, Some(node.id.clone()));
                    let texts = texts(&node);
                    let short = texts.iter().take_while(|(field, _)| *field != Field::Text);
                    for &(field, text) in short {
                        search.add(doc, field, text, &|a, b| ids.cmp(a, b));
                    }
                    later.push((doc, node));
                }
                Step::Remove(doc) => {
                    index_later(&mut search, &ids, &mut later);
                    search.remove_doc(doc, &|a, b| ids.cmp(a, b));
                    ids.set(doc, None);
                }
                Step::Replace(doc, old, new) => {
                    index_later(&mut search, &ids, &mut later);
                    let (before, after) = (texts(&old), texts(&new));
                    search.replace_doc(doc, &before, &after, &|a, b| ids.cmp(a, b));
                }
            }
        }
        next = match rx.recv_timeout(PAUSE) {
            Ok(batch) => Some(batch),
            Err(RecvTimeoutError::Timeout) => {
                index_later(&mut search, &ids, &mut later);
                rx.recv().ok()
            }
            Err(RecvTimeoutError::Disconnected) => None,
        };
    }
    index_later(&mut search, &ids, &mut later);
    search.finish(&|a, b| ids.cmp(a, b), &|doc| ids.key(doc));
    search
}

/// Indexes the longer texts put off, in the order their nodes came.
fn index_later(search: &mut SearchIndex, ids: &DocIds, later: &mut Vec<(u32, Arc<Node>)>) {
    for (doc, node) in later.drain(..) {
        let texts = texts(&node);
        let long = texts.iter().skip_while(|(field, _)| *field != Field::Text);
        for &(field, text) in long {
            search.add(doc, field, text, &|a, b| ids.cmp(a, b));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::testing::country;

    fn node(code: &str, name: &str, alias: &str, description: &str) -> Arc<Node> {
        let mut node = country(code, name);
        node.aliases = vec![alias.into()];
        node.description = description.into();
        Arc::new(node)
    }

    fn found(ix: &SearchIndex, queries: &[&str]) -> Vec<Vec<SearchHitView>> {
        queries
            .iter()
            .map(|q| {
                ix.search(q, 20, (512, 16), &|_| true)
                    .into_iter()
                    .map(|h| (h.doc, h.score, format!("{:?}", h.matched)))
                    .collect()
            })
            .collect()
    }

    type SearchHitView = (u32, u32, String);

    /// The indexer, which puts a node's longer texts off until the feed pauses or
    /// another step comes, ends with the index that the same steps make taken one by one
    /// in place: found by the same queries with the same scores.
    #[test]
    fn texts_put_off_are_indexed_as_if_taken_in_turn() {
        let nodes = [
            node(
                "aa",
                "Talks Alpha",
                "Alpha talks land",
                "talks about trucks and tariffs",
            ),
            node(
                "bb",
                "Tariff Bravo",
                "Bravo",
                "a tariff on talks, trucks and steel",
            ),
            node(
                "cc",
                "Charlie Steel",
                "Steel talks",
                "alpha and bravo talk of steel",
            ),
            node(
                "dd",
                "Delta Trucks",
                "Trucks",
                "tariffs on trucks, talks on steel",
            ),
        ];
        let renamed = node(
            "bb",
            "Bravo Renamed",
            "Bravo",
            "no more tariffs, only talks",
        );
        let retitled = node("dd", "Delta Lorries", "Lorries", "steel for lorries");
        let steps = || {
            vec![
                vec![
                    Step::Add(0, nodes[0].clone()),
                    Step::Add(1, nodes[1].clone()),
                ],
                vec![
                    Step::Add(2, nodes[2].clone()),
                    Step::Replace(1, nodes[1].clone(), renamed.clone()),
                ],
                // Each step after an add whose texts are still put off.
                vec![
                    Step::Add(5, nodes[3].clone()),
                    Step::Remove(5),
                    Step::Add(3, nodes[3].clone()),
                    Step::Replace(3, nodes[3].clone(), retitled.clone()),
                    Step::Add(4, nodes[2].clone()),
                ],
            ]
        };
        let (tx, rx) = sync_channel(IN_FLIGHT);
        let indexer = std::thread::spawn(move || index(rx));
        for (i, batch) in steps().into_iter().enumerate() {
            tx.send(batch).unwrap_or_else(|e| panic!("{e}"));
            if i == 0 {
                // A pause: the texts put off are indexed before the next batch.
                std::thread::sleep(PAUSE * 4);
            }
        }
        drop(tx);
        let fed = indexer
            .join()
            .unwrap_or_else(|_| panic!("the indexer panicked"));

        let mut in_turn = SearchIndex::default();
        let mut ids = DocIds::default();
        for step in steps().into_iter().flatten() {
            match step {
                Step::Add(doc, node) => {
                    ids.set(doc, Some(node.id.clone()));
                    for (field, text) in texts(&node) {
                        in_turn.add(doc, field, text, &|a, b| ids.cmp(a, b));
                    }
                }
                Step::Remove(doc) => {
                    in_turn.remove_doc(doc, &|a, b| ids.cmp(a, b));
                    ids.set(doc, None);
                }
                Step::Replace(doc, old, new) => {
                    let (before, after) = (texts(&old), texts(&new));
                    in_turn.replace_doc(doc, &before, &after, &|a, b| ids.cmp(a, b));
                }
            }
        }
        in_turn.finish(&|a, b| ids.cmp(a, b), &|doc| ids.key(doc));

        let queries = [
            "talks",
            "tariff",
            "trucks",
            "steel",
            "bravo",
            "renamed",
            "alpha",
            "talsk",
            "tru",
            "delta lorries",
        ];
        let (got, want) = (found(&fed, &queries), found(&in_turn, &queries));
        assert!(want.iter().all(|hits| !hits.is_empty()), "{want:?}");
        assert_eq!(got, want);
    }
}

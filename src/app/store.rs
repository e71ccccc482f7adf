//! The graph's versions: readers take an owned snapshot of the latest version when a
//! request starts and read it to the end; a writer applies a batch to the other copy and
//! publishes it whole, so no reader waits for a batch or sees half of one.
//!
//! Two copies of the graph take turns (a left-right scheme): readers share the latest;
//! the writer waits until no reader holds the other (the version before), brings it up to
//! date with the batches it lacks, applies the new batch to it, and swaps the two. A
//! change therefore costs what it touches, twice, and never a copy of the graph. The two
//! copies share every node, relation and id neither has changed (they sit behind `Arc`s),
//! and the large indexes too (the search index, the ids, each node's relations): each
//! copy keeps what its writes changed in a layer of its own (`graph::layered`). So the second copy costs petgraph's slots and the small indexes,
//! not the data nor a second search index. A reader that holds a snapshot
//! past [`DRAIN_LIMIT`] is not waited for: the writer copies the latest version instead
//! and leaves that reader its own.

use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use crate::graph::{ChangeError, KnowledgeGraph};
use crate::model::Change;

/// One version of the graph, owned by whoever holds it (`Send + 'static`): a request
/// keeps reading it however long it runs and however many batches land meanwhile.
pub type Snapshot = Arc<KnowledgeGraph>;

/// How long a writer waits for readers of the previous version before it copies the
/// latest instead.
pub const DRAIN_LIMIT: Duration = Duration::from_secs(2);

/// The latest version, and the other copy writers apply batches to in turn.
#[derive(Debug)]
pub struct Store {
    latest: RwLock<Snapshot>,
    writer: Mutex<Spare>,
}

/// A version made by [`Store::prepare`], not yet shown to readers.
#[derive(Debug)]
pub struct Prepared {
    graph: Snapshot,
    changes: Vec<Change>,
}

impl Prepared {
    /// The version it makes.
    pub fn version(&self) -> u64 {
        self.graph.version()
    }

    /// The graph as it will be once published.
    pub fn graph(&self) -> &KnowledgeGraph {
        &self.graph
    }
}

/// The copy readers are leaving: the version before the latest (none until the first
/// write, so a graph that is only read is held once), and the batches that bring it up
/// to the latest.
#[derive(Debug, Default)]
struct Spare {
    graph: Option<Snapshot>,
    behind: Vec<Vec<Change>>,
}

impl Store {
    /// A store whose latest version is `graph`.
    pub fn new(graph: Snapshot) -> Self {
        Store {
            latest: RwLock::new(graph),
            writer: Mutex::new(Spare::default()),
        }
    }

    /// The latest version. Holding the lock only to copy a pointer, a reader never waits
    /// for a writer's batch.
    pub fn snapshot(&self) -> Snapshot {
        self.latest
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Applies a batch whole or not at all and publishes the version it makes.
    pub fn apply(&self, changes: Vec<Change>) -> Result<u64, ChangeError> {
        self.apply_observed(changes, &mut |_| {})
    }

    /// [`Store::apply`], calling `after_each` after each change is in place in the
    /// version being made, before it is published.
    pub fn apply_observed(
        &self,
        changes: Vec<Change>,
        after_each: &mut dyn FnMut(usize),
    ) -> Result<u64, ChangeError> {
        let mut spare = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let next = self.prepare_locked(&mut spare, changes, after_each)?;
        Ok(self.publish_locked(&mut spare, next).unwrap_or_else(|v| v))
    }

    /// Applies a batch whole or not at all to the copy readers are leaving, and holds the
    /// version it makes unpublished: [`Store::publish`] shows it to readers; dropping it
    /// instead throws it away (the next batch then starts from a copy of the latest).
    /// The caller takes turns: one batch prepared and published at a time.
    pub fn prepare(&self, changes: Vec<Change>) -> Result<Prepared, ChangeError> {
        let mut spare = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        self.prepare_locked(&mut spare, changes, &mut |_| {})
    }

    /// Publishes a prepared version as the latest and answers its number. A version
    /// prepared from another than the latest (two writers that did not take turns) is
    /// thrown away: the error is the latest version's number.
    pub fn publish(&self, next: Prepared) -> Result<u64, u64> {
        let mut spare = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        self.publish_locked(&mut spare, next)
    }

    fn prepare_locked(
        &self,
        spare: &mut Spare,
        changes: Vec<Change>,
        after_each: &mut dyn FnMut(usize),
    ) -> Result<Prepared, ChangeError> {
        let mut graph = self.take_spare(spare);
        match Arc::make_mut(&mut graph).apply_observed(changes.clone(), after_each) {
            Ok(_) => Ok(Prepared { graph, changes }),
            Err(e) => {
                // The copy is as it was, at the latest version.
                spare.graph = Some(graph);
                Err(e)
            }
        }
    }

    fn publish_locked(&self, spare: &mut Spare, next: Prepared) -> Result<u64, u64> {
        let mut latest = self.latest.write().unwrap_or_else(PoisonError::into_inner);
        if next.graph.version() != latest.version() + 1 {
            return Err(latest.version());
        }
        let version = next.graph.version();
        spare.graph = Some(std::mem::replace(&mut *latest, next.graph));
        spare.behind.push(next.changes);
        Ok(version)
    }

    /// The spare copy, once no reader holds it, brought up to the latest version; a copy
    /// of the latest when there is none yet or a reader will not let it go.
    fn take_spare(&self, spare: &mut Spare) -> Snapshot {
        let behind = std::mem::take(&mut spare.behind);
        let Some(mut graph) = spare.graph.take() else {
            return Arc::new(KnowledgeGraph::clone(&self.snapshot()));
        };
        let start = Instant::now();
        let mut pause = Duration::from_micros(20);
        while Arc::strong_count(&graph) > 1 && start.elapsed() < DRAIN_LIMIT {
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(5));
        }
        // Each batch applied to the other copy from this same state, so it applies again.
        let caught_up = match Arc::get_mut(&mut graph) {
            Some(g) => behind.into_iter().all(|batch| g.apply(batch).is_ok()),
            None => false,
        };
        match caught_up {
            true => graph,
            false => Arc::new(KnowledgeGraph::clone(&self.snapshot())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EntityId, NodeData, Source, SourceKind, SourceRef};

    fn source(slug: &str) -> Change {
        let cite = SourceRef {
            source: EntityId::parse("source:a").unwrap_or_else(|e| panic!("{e}")),
            line: None,
            attribution: None,
            note: None,
        };
        Change::CreateEntity {
            entity: crate::model::Node {
                id: EntityId::parse(&format!("source:{slug}")).unwrap_or_else(|e| panic!("{e}")),
                name: slug.into(),
                aliases: Vec::new(),
                description: String::new(),
                sources: vec![cite],
                data: NodeData::Source(Box::new(Source {
                    kind: SourceKind::Curator,
                    title: slug.into(),
                    published: None,
                    publisher: None,
                    file: None,
                })),
            },
        }
    }

    fn store() -> Store {
        let g = KnowledgeGraph::from_seed(vec![source("a")]).unwrap_or_else(|e| panic!("{e}"));
        Store::new(Arc::new(g))
    }

    #[test]
    fn both_copies_take_every_batch_in_turn() {
        let store = store();
        for (i, slug) in ["b", "c", "d", "e", "f"].iter().enumerate() {
            assert_eq!(store.apply(vec![source(slug)]), Ok(i as u64 + 1));
            let g = store.snapshot();
            assert_eq!((g.version(), g.node_count()), (i as u64 + 1, i + 2));
        }
        let refused = store.apply(vec![source("g"), source("b")]);
        assert_eq!(refused.map_err(|e| e.index), Err(1));
        assert_eq!(store.apply(vec![source("g")]), Ok(6));
        assert_eq!(store.snapshot().node_count(), 7);
    }

    #[test]
    fn the_two_copies_share_their_large_indexes_and_each_finds_its_own_version() {
        let store = store();
        for slug in ["b", "c", "d"] {
            store
                .apply(vec![source(slug)])
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let latest = store.snapshot();
        let spare = store.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(other) = spare.graph.as_ref() else {
            panic!("no spare copy after three writes");
        };
        assert!(latest.shares_indexes_with(other));
        let found = |g: &KnowledgeGraph| {
            g.search(
                "d",
                crate::graph::Only::All,
                10,
                &crate::graph::testing::BOUNDS,
            )
            .len()
        };
        // The spare is one batch behind: it has not seen "d" yet.
        assert_eq!((other.version(), found(other)), (2, 0));
        assert_eq!((latest.version(), found(&latest)), (3, 1));
    }

    #[test]
    fn a_reader_holding_an_old_version_keeps_it_and_is_not_waited_for_forever() {
        let store = store();
        let held = store.snapshot();
        store
            .apply(vec![source("b")])
            .unwrap_or_else(|e| panic!("{e}"));
        // `held` is the copy the next batch would reuse: the writer waits for it, then
        // copies the latest instead, and the reader keeps reading version 0.
        let start = Instant::now();
        store
            .apply(vec![source("c")])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(start.elapsed() >= DRAIN_LIMIT);
        assert_eq!((held.version(), held.node_count()), (0, 1));
        let latest = store.snapshot();
        assert_eq!((latest.version(), latest.node_count()), (2, 3));
        drop(held);
        store
            .apply(vec![source("d")])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(store.snapshot().node_count(), 4);
    }
}

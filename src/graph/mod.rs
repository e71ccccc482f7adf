//! The knowledge graph: petgraph for the structure, with indexes beside it
//! for ids, kinds, names and commitments, so no question about one entity
//! scans the whole graph. Sync and pure: no server or store needed.

mod amounts;
mod apply;
#[cfg(test)]
mod apply_tests;
mod bounds;
mod budget;
mod chunked;
mod commitments;
mod dates;
mod error;
mod exchange;
mod explore;
mod grouped;
mod indexer;
pub mod interrupt;
mod keyed;
mod lanes;
mod layered;
mod names;
mod only;
mod page;
mod paths;
mod postings;
mod query;
mod rates;
mod rebase;
mod relations_page;
mod search;
mod summary;
mod tags;
#[cfg(test)]
pub(crate) mod testing;
mod timeline;
mod timeline_index;
mod topology;
mod totals;
mod traverse;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::NodeIndexable;

use crate::model::{EntityId, ImpliedBy, Node, NodeData, NodeKind, Relation, RelationKind};

pub use bounds::Bounds;
pub use commitments::{CommitmentFilter, CommitmentOrder, DecimalRange};
pub use error::GraphError;
pub use exchange::{Exchange, TariffChange};
pub use explore::{Subgraph, SubgraphNode};
pub use only::Only;
pub use page::{ListPage, Window};
pub use paths::{Path, PathOptions, PathStep};
pub use query::{Field as FilterField, Filter, Op, Order, Sort, SortKey, Value, values};
pub use rebase::Dropped;
pub use relations_page::{NeighborPage, NeighborWindow};
pub use search::{Field, MatchKind};
pub use summary::Summary;
pub use timeline::{TimelineEntry, TimelineKey, TimelineKind};
pub use timeline_index::{TimelinePage, TimelineWindow};
pub use totals::{GroupBy, PledgeTotal};
pub use traverse::{Direction, Neighbor, NeighborKey};

use amounts::MoneyIndex;
pub use apply::{ChangeError, Withdrawn};
use commitments::Books;
use dates::DateLists;
use lanes::{Lane, Walk};
use layered::LayeredMap;
use names::NameLists;
use rates::RateLists;
use search::LayeredSearch;
use summary::Tally;
use tags::TagLists;
use timeline_index::TimelineIndex;
use topology::Topology;
use totals::PledgerTotals;

/// A kind holding at least one node in this many is read whole by index, not by id.
const SCAN_SHARE: usize = 16;

/// A hash map with a fast hash seeded per process: the graph's keys are ids and codes, read
/// on every lookup, where SipHash's cost showed in profiles.
pub(crate) type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// A hash set hashed as [`FastMap`] is.
pub(crate) type FastSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

/// A relation as stored on an edge, with the node field that implied it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// The relation.
    pub relation: Relation,
    /// The field of the `from` or `to` node that implies it; none for an explicit relation.
    pub implied_by: Option<ImpliedBy>,
}

impl Edge {
    /// A stable id from what the relation is ([`Relation::id`]): `from|kind|to`, with
    /// `#key` where the data names a discriminator; never from load order. Made on
    /// demand rather than stored: at millions of relations the text would weigh more
    /// than the structure.
    pub fn id(&self) -> String {
        self.relation.id()
    }
}

/// The relations a node's own fields imply, as edges.
fn implied_edges(node: &Node) -> impl Iterator<Item = Edge> + use<> {
    node.implied_relations().into_iter().map(|i| Edge {
        relation: i.relation,
        implied_by: Some(i.field),
    })
}

/// A relation no node field implies, as an edge.
fn explicit_edge(relation: Relation) -> Edge {
    Edge {
        relation,
        implied_by: None,
    }
}

/// Two nodes in the order of their ids: the order keys decide, and the ids themselves
/// only where the keys tie.
fn id_order(
    graph: &StableDiGraph<Arc<Node>, Arc<Edge>>,
    topology: &Topology,
    a: NodeIndex,
    b: NodeIndex,
) -> std::cmp::Ordering {
    if a == b {
        // Sorts of relations compare an end with itself most of the time: no id to read.
        return std::cmp::Ordering::Equal;
    }
    let id = |ix| graph.node_weight(ix).map(|n| &n.id);
    topology
        .order_key(a)
        .cmp(&topology.order_key(b))
        .then_with(|| id(a).cmp(&id(b)))
}

/// Search documents (nodes) in the order of their ids: equal hits are ordered so, and
/// their order never depends on where the graph happened to store them. The search
/// index keeps its lists in this order.
fn doc_order(
    graph: &StableDiGraph<Arc<Node>, Arc<Edge>>,
    topology: &Topology,
    a: u32,
    b: u32,
) -> std::cmp::Ordering {
    id_order(
        graph,
        topology,
        NodeIndex::new(a as usize),
        NodeIndex::new(b as usize),
    )
}

/// The texts of a node that search finds it by: its name and aliases first, then its
/// longer texts, an order the indexer of a load relies on.
fn texts(node: &Node) -> Vec<(Field, &str)> {
    let mut out = vec![(Field::Name, node.name.as_str())];
    out.extend(node.aliases.iter().map(|a| (Field::Alias, a.as_str())));
    out.push((Field::Text, node.description.as_str()));
    if let NodeData::Statement(s) = &node.data {
        out.extend(s.quotes.iter().map(|q| (Field::Text, q.as_str())));
        // Wrong attributions too, so that searching the source's wording finds the
        // statement, its deprecated claim and the correction beside it.
        out.extend(
            s.attributed_to
                .all()
                .iter()
                .map(|c| (Field::Text, c.value.as_str())),
        );
    }
    out
}

/// Where a node is: its index in the structure, and the node itself, so a lookup by id
/// answers from the index without a second hop.
#[derive(Debug, Clone)]
struct Located {
    ix: NodeIndex,
    node: Arc<Node>,
}

/// Gives a relation's ends the texts of its nodes' ids, `from` and `to` as the id index
/// holds them, where it has texts of its own (a relation read from a file has): a graph
/// of millions of relations then holds each id's text once.
fn share_ends(relation: &mut Relation, from: &EntityId, to: &EntityId) {
    if !relation.from.shares_text_with(from) {
        relation.from = from.clone();
    }
    if !relation.to.shares_text_with(to) {
        relation.to = to.clone();
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit<'g> {
    /// The node found.
    pub node: &'g Node,
    /// Higher is better; comparable within one search.
    pub score: u32,
    /// How the query matched.
    pub matched: MatchKind,
    /// Which text of the node matched.
    pub field: Field,
    /// The text that matched, as written.
    pub text: String,
}

/// The knowledge graph with its indexes. Every index is kept up to date by each change
/// ([`KnowledgeGraph::apply`]); none is rebuilt.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeGraph {
    /// Nodes and relations behind `Arc`s: the store's two copies share every one that
    /// neither has changed since.
    graph: StableDiGraph<Arc<Node>, Arc<Edge>>,
    /// Shared with the store's other copy, as the search index and the relations of each
    /// node are: see [`layered`].
    by_id: LayeredMap<EntityId, Located>,
    by_kind: HashMap<NodeKind, BTreeMap<EntityId, NodeIndex>>,
    by_code: FastMap<String, NodeIndex>,
    /// Relations with a key, by their id; the others are found by their ends and kind
    /// in the compact structure.
    by_keyed_id: LayeredMap<Box<str>, EdgeIndex>,
    /// The structure again, compact, for walks.
    topology: Topology,
    search: LayeredSearch,
    /// While a seed loads, the thread that builds the search index; off otherwise.
    feed: indexer::Feed,
    /// Commitments by their current money amount, and those without one by id.
    money: MoneyIndex,
    /// The commitments of each pledger, beneficiary and deal, in the orders a page of them
    /// is read in.
    books: Books,
    /// Each kind's nodes by name.
    names: NameLists,
    /// Each dated kind's nodes by date, both ways.
    dates: DateLists,
    /// The tariff measures by their current rate, both ways.
    rates: RateLists,
    /// Each kind's nodes grouped by their kind within it, period, status and
    /// currency.
    tags: TagLists,
    /// The whole graph's timeline in its order.
    timeline: TimelineIndex,
    /// Each pledger's priced commitments, grouped as totals by pledger sum them.
    totals: PledgerTotals,
    tally: Tally,
    /// What was withdrawn or merged away: kept, never erased.
    withdrawn: Withdrawn,
    /// The sequence number of the last change batch applied; the seed is version 0.
    version: u64,
    /// The version that last changed each entity changed since the seed.
    changed_in: FastMap<EntityId, u64>,
}

/// The lists a node is kept in by a value of its own.
#[derive(Debug, Clone, Copy)]
enum Lists {
    /// Its kind's list by name.
    Name,
    /// Its kind's lists by date, where it has them.
    Date,
    /// The lists by rate, for a tariff measure.
    Rate,
    /// Its kind's groups by kind, period, status and currency.
    Tags,
}

impl KnowledgeGraph {
    /// Builds the graph from nodes and the relations their fields do not imply, at
    /// version 0. Unlike [`KnowledgeGraph::apply`], citations are not checked against
    /// the graph's sources: the seed loader has checked them.
    pub fn build(nodes: Vec<Node>, relations: Vec<Relation>) -> Result<Self, GraphError> {
        let mut g = KnowledgeGraph::default();
        let mut ids: HashSet<&EntityId> = HashSet::with_capacity(nodes.len());
        if let Some(node) = nodes.iter().find(|n| !ids.insert(&n.id)) {
            return Err(GraphError::DuplicateId(node.id.to_string()));
        }
        g.begin_bulk();
        // In three passes, so that each index's entries are allocated together rather
        // than among every node's others.
        let placed: Vec<NodeIndex> = nodes.into_iter().map(|n| g.place_node(n)).collect();
        for &ix in &placed {
            g.register_id(ix);
        }
        for ix in placed {
            g.index_node(ix, true);
        }
        let mut edges: Vec<Edge> = Vec::new();
        for ix in g.graph.node_indices() {
            edges.extend(implied_edges(&g.graph[ix]));
        }
        edges.extend(relations.into_iter().map(explicit_edge));
        for edge in edges {
            g.attach_edge(edge)?;
        }
        g.end_bulk();
        g.finish_search();
        Ok(g)
    }

    /// Starts a load: the lists kept in order (a hub's relations, the nodes of each kind by
    /// id and by name, the books of commitments) are put in order once, by
    /// [`KnowledgeGraph::end_bulk`], rather than at each change.
    fn begin_bulk(&mut self) {
        self.topology.begin_bulk();
    }

    /// Ends a load, putting in order what it left out of order.
    fn end_bulk(&mut self) {
        // The arrays of nodes and relations grew by doubling: up to half of each is room
        // to spare. jemalloc gives a large allocation's tail back in place, so this copies
        // nothing (10 µs at 1M).
        self.graph.shrink_to_fit();
        // Each kind's nodes in the order of their indices, which is the order they were
        // placed in and close to the order of their memory: the passes below that read
        // every node read them in this order, not in a random one.
        let mut placed: HashMap<NodeKind, Vec<NodeIndex>> = HashMap::new();
        for ix in self.graph.node_indices() {
            if let Some(kind) = self.topology.kind(ix) {
                placed.entry(kind).or_default().push(ix);
            }
        }
        let graph = &self.graph;
        // The timeline's index and the groups of tags need nothing but the nodes: they are
        // built on a thread of their own while this one puts the rest in order (at 1M the
        // end of a load had kept one core busy for about five seconds, the other idle).
        let (ordered, (timeline, tags)) = std::thread::scope(|scope| {
            let aside = scope.spawn(|| {
                let dated = timeline::DATED
                    .iter()
                    .filter_map(|k| placed.get(k))
                    .flatten();
                let timeline = TimelineIndex::build(dated.map(|&ix| &*graph[ix]));
                let mut tags = TagLists::default();
                for (&kind, list) in &placed {
                    tags.build(kind, list.iter().copied(), |ix| &*graph[ix]);
                }
                (timeline, tags)
            });
            self.topology.end_bulk();
            let ordered = Ordered::build(graph, &self.topology, &self.money, &placed);
            let aside = aside
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (ordered, aside)
        });
        self.by_kind = ordered.by_kind;
        self.names = ordered.names;
        self.dates = ordered.dates;
        self.rates = ordered.rates;
        self.books = ordered.books;
        self.timeline = timeline;
        self.tags = tags;
    }

    /// Adds a node and indexes it.
    fn attach_node(&mut self, node: impl Into<Arc<Node>>) -> NodeIndex {
        let ix = self.place_node(node);
        self.register_id(ix);
        self.list_node(ix, Lists::Name, true);
        self.list_node(ix, Lists::Date, true);
        self.list_node(ix, Lists::Rate, true);
        self.list_node(ix, Lists::Tags, true);
        self.index_node(ix, true);
        if !self.topology.in_bulk() {
            let graph = &self.graph;
            let node = |x: u32| -> &Node { &graph[NodeIndex::new(x as usize)] };
            self.books.insert(ix, &graph[ix], node);
        }
        ix
    }

    /// Puts the node at `ix` in its kind's lists by name or by date (`put`), or takes it
    /// out, as it is now; a load builds the lists whole at its end.
    fn list_node(&mut self, ix: NodeIndex, lists: Lists, put: bool) {
        if self.topology.in_bulk() {
            return;
        }
        let graph = &self.graph;
        let node = |x: u32| -> &Node { &graph[NodeIndex::new(x as usize)] };
        let of = &graph[ix];
        match (lists, put) {
            (Lists::Name, true) => self.names.insert(ix, of, node),
            (Lists::Name, false) => self.names.remove(ix, of, node),
            (Lists::Date, true) => self.dates.insert(ix, of, node),
            (Lists::Date, false) => self.dates.remove(ix, of, node),
            (Lists::Rate, true) => self.rates.insert(ix, of, node),
            (Lists::Rate, false) => self.rates.remove(ix, of, node),
            (Lists::Tags, true) => self.tags.insert(ix, of),
            (Lists::Tags, false) => self.tags.remove(ix, of),
        }
    }

    /// Adds a node to the structure and the kind index.
    fn place_node(&mut self, node: impl Into<Arc<Node>>) -> NodeIndex {
        let node = node.into();
        let (id, kind) = (node.id.clone(), node.kind());
        let ix = self.graph.add_node(node);
        self.topology.add_node(ix, &id);
        // A load builds the kind lists whole at its end.
        if !self.topology.in_bulk() {
            self.by_kind.entry(kind).or_default().insert(id, ix);
        }
        ix
    }

    /// Adds a placed node to the id index, under the node's own id: an id read with the
    /// same text shares it (`model::IdInterner`), so a lookup by such an id compares
    /// pointers, not texts.
    fn register_id(&mut self, ix: NodeIndex) {
        let node = self.graph[ix].clone();
        self.by_id.insert(node.id.clone(), Located { ix, node });
    }

    /// Takes a node without relations out of the graph and its indexes.
    fn detach_node(&mut self, ix: NodeIndex) -> Option<Arc<Node>> {
        self.unindex_node(ix, true);
        self.list_node(ix, Lists::Name, false);
        self.list_node(ix, Lists::Date, false);
        self.list_node(ix, Lists::Rate, false);
        self.list_node(ix, Lists::Tags, false);
        if !self.topology.in_bulk() {
            let graph = &self.graph;
            let node = |x: u32| -> &Node { &graph[NodeIndex::new(x as usize)] };
            self.books.remove(ix, &graph[ix], node);
        }
        let node = self.graph.remove_node(ix)?;
        self.topology.remove_node(ix);
        self.by_id.remove(&node.id);
        if let Some(list) = self.by_kind.get_mut(&node.kind()) {
            list.remove(&node.id);
        }
        Some(node)
    }

    /// Replaces a node's data (its id unchanged), moving it in every index; the old data
    /// comes back.
    fn swap_node(&mut self, ix: NodeIndex, node: impl Into<Arc<Node>>) -> Arc<Node> {
        self.unindex_node(ix, false);
        let node: Arc<Node> = node.into();
        // Only a new name moves the node in its kind's list by name, and a commitment
        // moves in the books only where what they order it by changed.
        let renamed = node.name != self.graph[ix].name;
        if renamed {
            self.list_node(ix, Lists::Name, false);
        }
        let redated = DateLists::moves(&self.graph[ix], &node);
        if redated {
            self.list_node(ix, Lists::Date, false);
        }
        let rerated = RateLists::moves(&self.graph[ix], &node);
        if rerated {
            self.list_node(ix, Lists::Rate, false);
        }
        let regrouped = TagLists::moves(&self.graph[ix], &node);
        if regrouped {
            self.list_node(ix, Lists::Tags, false);
        }
        let bulk = self.topology.in_bulk();
        if !bulk {
            let graph = &self.graph;
            let at = |x: u32| -> &Node { &graph[NodeIndex::new(x as usize)] };
            self.books.leave(ix, &graph[ix], &node, at);
        }
        if let Some(located) = self.by_id.get_mut(&node.id) {
            located.node = node.clone();
        }
        let old = std::mem::replace(&mut self.graph[ix], node);
        if renamed {
            self.list_node(ix, Lists::Name, true);
        }
        if redated {
            self.list_node(ix, Lists::Date, true);
        }
        if rerated {
            self.list_node(ix, Lists::Rate, true);
        }
        if regrouped {
            self.list_node(ix, Lists::Tags, true);
        }
        if !bulk {
            let graph = &self.graph;
            let at = |x: u32| -> &Node { &graph[NodeIndex::new(x as usize)] };
            self.books.enter(ix, &old, &graph[ix], at);
        }
        self.index_node(ix, false);
        // Only the texts that changed move in the search index: a rename, its name.
        let doc = ix.index() as u32;
        let (graph, topology) = (&self.graph, &self.topology);
        if !self.feed.replace(doc, &old, &graph[ix]) {
            let order = |a, b| doc_order(graph, topology, a, b);
            let (before, after) = (texts(&old), texts(&graph[ix]));
            self.search.replace_doc(doc, &before, &after, &order);
        }
        old
    }

    /// Puts a node's code, amount and counts in the indexes, and its texts too with
    /// `texts_too`.
    fn index_node(&mut self, ix: NodeIndex, texts_too: bool) {
        let graph = &self.graph;
        let node = &graph[ix];
        if let NodeData::Country(c) = &node.data
            && let Some(code) = &c.code
        {
            self.by_code.insert(code.to_ascii_uppercase(), ix);
        }
        let doc = ix.index() as u32;
        if texts_too && !self.feed.add(doc, node) {
            let topology = &self.topology;
            let order = |a, b| doc_order(graph, topology, a, b);
            for (field, text) in texts(node) {
                self.search.add(doc, field, text, &order);
            }
        }
        self.money.insert(ix, node, |i| &graph[i].id);
        self.totals.insert(node);
        self.tally.node(node, true);
        // A load builds the timeline's index whole at its end.
        if !self.topology.in_bulk() {
            self.timeline.insert(node);
        }
    }

    /// Takes a node's code, amount and counts out of the indexes, and its texts too
    /// with `texts_too`.
    fn unindex_node(&mut self, ix: NodeIndex, texts_too: bool) {
        let node = &self.graph[ix];
        if let NodeData::Country(c) = &node.data
            && let Some(code) = &c.code
            && self.by_code.get(&code.to_ascii_uppercase()) == Some(&ix)
        {
            self.by_code.remove(&code.to_ascii_uppercase());
        }
        let doc = ix.index() as u32;
        if texts_too && !self.feed.remove(doc) {
            let (graph, topology) = (&self.graph, &self.topology);
            let order = |a, b| doc_order(graph, topology, a, b);
            self.search.remove_doc(doc, &order);
        }
        self.money.remove(ix, node);
        self.totals.remove(node);
        self.tally.node(node, false);
        if !self.topology.in_bulk() {
            self.timeline.remove(node);
        }
    }

    /// Adds a relation between two nodes in the graph, checking its kinds and its id.
    fn attach_edge(&mut self, edge: impl Into<Arc<Edge>>) -> Result<EdgeIndex, GraphError> {
        let mut edge: Arc<Edge> = edge.into();
        let r = &edge.relation;
        r.kind.check(r.from.kind(), r.to.kind())?;
        let lookup = |id: &EntityId| {
            self.by_id
                .get_key_value(id)
                .map(|(id, l)| (id, l.ix))
                .ok_or_else(|| GraphError::Dangling {
                    from: r.from.to_string(),
                    field: edge
                        .implied_by
                        .map_or(r.kind.as_str(), ImpliedBy::as_str)
                        .to_string(),
                    to: id.to_string(),
                })
        };
        let ((from, a), (to, b)) = (lookup(&r.from)?, lookup(&r.to)?);
        if let Some(edge) = Arc::get_mut(&mut edge) {
            share_ends(&mut edge.relation, from, to);
        }
        self.insert_edge(edge, a, b)
    }

    /// Adds a relation between `a` and `b`, the nodes of its ends, whose kinds it has been
    /// checked against, checking its id.
    fn insert_edge(
        &mut self,
        edge: Arc<Edge>,
        a: NodeIndex,
        b: NodeIndex,
    ) -> Result<EdgeIndex, GraphError> {
        let r = &edge.relation;
        let keyed = r.key().is_some().then(|| r.id());
        let taken = match &keyed {
            None => self.unkeyed_edge(a, b, r.kind).is_some(),
            Some(id) => self.by_keyed_id.contains_key(id.as_str()),
        };
        if taken {
            return Err(GraphError::DuplicateRelation(edge.id()));
        }
        self.tally.edge(&edge, true);
        let e = self.graph.add_edge(a, b, edge.clone());
        self.topology.add_edge(e, a, b, &edge.relation);
        if let Some(id) = keyed {
            self.by_keyed_id.insert(id.into(), e);
        }
        Ok(e)
    }

    /// Takes a relation out of the graph and its indexes.
    fn detach_edge(&mut self, e: EdgeIndex) -> Option<Arc<Edge>> {
        let (a, b) = self.graph.edge_endpoints(e)?;
        let edge = self.graph.remove_edge(e)?;
        self.topology.remove_edge(e, a, b);
        if edge.relation.key().is_some() {
            self.by_keyed_id
                .remove(&edge.relation.id().into_boxed_str());
        }
        self.tally.edge(&edge, false);
        Some(edge)
    }

    /// The relation with this id ([`Edge::id`]), without making any text.
    fn edge_index(&self, id: &str) -> Option<EdgeIndex> {
        if id.contains('#') {
            return self.by_keyed_id.get(id).copied();
        }
        let mut parts = id.splitn(3, '|');
        let (from, kind, to) = (parts.next()?, parts.next()?, parts.next()?);
        let kind: RelationKind = kind.parse().ok()?;
        let (a, b) = (self.by_id.get(from)?.ix, self.by_id.get(to)?.ix);
        self.unkeyed_edge(a, b, kind)
    }

    /// The relation of `kind` from `a` to `b` without a key.
    fn unkeyed_edge(&self, a: NodeIndex, b: NodeIndex, kind: RelationKind) -> Option<EdgeIndex> {
        self.topology
            .find(a, b, kind, |e| self.graph[e].relation.key().is_none())
    }

    /// Replaces a relation's details (its id and ends unchanged).
    fn swap_edge(&mut self, e: EdgeIndex, edge: impl Into<Arc<Edge>>) -> Arc<Edge> {
        let edge: Arc<Edge> = edge.into();
        self.tally.edge(&self.graph[e], false);
        self.tally.edge(&edge, true);
        if let Some((a, b)) = self.graph.edge_endpoints(e) {
            self.topology.update_edge(e, a, b, &edge.relation);
        }
        std::mem::replace(&mut self.graph[e], edge)
    }

    /// True when `other` shares every large index with this graph, as the store's two
    /// copies do once the first has been copied.
    #[cfg(test)]
    pub(crate) fn shares_indexes_with(&self, other: &KnowledgeGraph) -> bool {
        self.search.shares_base_with(&other.search)
            && self.by_id.shares_base_with(&other.by_id)
            && self.by_keyed_id.shares_base_with(&other.by_keyed_id)
            && self.topology.shares_lists_with(&other.topology)
    }

    /// The bytes the graph's structure takes: petgraph's nodes and edges (without what
    /// they point to) and the compact copy walks use. Not the entities, the relations'
    /// details nor the indexes.
    pub fn topology_bytes(&self) -> usize {
        let (nodes, edges) = self.graph.capacity();
        let index = size_of::<EdgeIndex>();
        let weight = size_of::<Option<Arc<Edge>>>();
        let petgraph = nodes * (size_of::<Option<Arc<Node>>>() + 2 * index)
            + edges * (weight + 2 * index + 2 * size_of::<NodeIndex>());
        petgraph + self.topology.heap_bytes()
    }

    /// An estimate of the bytes the lists pages are read from take: the books of
    /// commitments, each kind's list by name, each dated kind's lists by date and each
    /// kind's groups by kind, period, status and currency, the tariff measures' lists by
    /// rate and the timeline's days and pair counts of its hubs (not the lists by id, nor
    /// the amounts index).
    pub fn page_index_bytes(&self) -> usize {
        self.books.heap_bytes()
            + self.names.heap_bytes()
            + self.dates.heap_bytes()
            + self.rates.heap_bytes()
            + self.tags.heap_bytes()
            + self.timeline.hub_bytes()
    }

    /// An estimate of the bytes the search index takes: its tables, lists and terms,
    /// not the texts, which it reads from the nodes.
    pub fn search_bytes(&self) -> usize {
        self.search.heap_bytes()
    }

    /// The version: how many change batches have been applied since the seed (version 0).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The version that last changed entity `id` itself (its fields, claims, withdrawal
    /// or merge; not relations other entities hold to it): 0 when it is as the seed made
    /// it or unknown.
    pub fn entity_version(&self, id: &EntityId) -> u64 {
        self.changed_in.get(id).copied().unwrap_or(0)
    }

    /// The node with this id; an id merged into another entity resolves to the survivor.
    pub fn get(&self, id: &EntityId) -> Option<&Node> {
        self.located(id).map(|l| &*l.node)
    }

    /// The node with this id, given as text; `None` for an unknown or malformed id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        match self.by_id.get(id) {
            Some(located) => Some(&located.node),
            None => EntityId::parse(id).ok().and_then(|id| self.get(&id)),
        }
    }

    /// The country with this ISO code, in any case.
    pub fn country_by_code(&self, code: &str) -> Option<&Node> {
        self.by_code
            .get(&code.to_ascii_uppercase())
            .map(|ix| &*self.graph[*ix])
    }

    /// The node an index kept in a list as a `u32` stands for.
    pub(crate) fn node_at(&self, x: u32) -> &Node {
        &self.graph[NodeIndex::new(x as usize)]
    }

    /// The nodes of one kind, ordered by id.
    pub fn nodes_of_kind(&self, kind: NodeKind) -> impl Iterator<Item = &Node> {
        self.by_kind
            .get(&kind)
            .into_iter()
            .flat_map(|list| list.values())
            .map(|ix| &*self.graph[*ix])
    }

    /// Every node of `kind`, in no particular order: where the kind is a large share of
    /// the graph, by index, the order they were loaded in and so, mostly, the order they
    /// sit in memory, which a read of each meets far sooner than scattered as by id.
    pub(super) fn scan_of_kind(&self, kind: NodeKind) -> Box<dyn Iterator<Item = &Node> + '_> {
        let count = self.by_kind.get(&kind).map_or(0, |list| list.len());
        let (by_index, room) = self.topology.of_kind(kind);
        // The walk by index reads a byte a node of every kind.
        if count.saturating_mul(SCAN_SHARE) >= room {
            Box::new(by_index.map(|ix| &*self.graph[ix]))
        } else {
            Box::new(self.nodes_of_kind(kind))
        }
    }

    /// How many nodes the graph holds.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// How many edges the graph holds.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Every edge, in insertion order.
    pub fn edges(&self) -> impl Iterator<Item = &Edge> {
        self.graph.edge_indices().map(|e| &*self.graph[e])
    }

    /// Ranked hits for `text` among nodes of `kinds` (all kinds when empty):
    /// exact name, then alias, then whole tokens, then prefixes, then words
    /// within two typos; case, accents and punctuation do not matter. Only the
    /// first `bounds.search_chars` characters and `bounds.search_words` words count.
    pub fn search(
        &self,
        text: &str,
        kinds: Only<'_, NodeKind>,
        limit: usize,
        bounds: &Bounds,
    ) -> Vec<Hit<'_>> {
        if kinds == Only::These(&[]) {
            return Vec::new();
        }
        let accept = |doc: u32| {
            kinds.is_all()
                || self
                    .topology
                    .kind(NodeIndex::new(doc as usize))
                    .is_some_and(|k| kinds.admits(&k))
        };
        self.search
            .search_ordered(
                text,
                limit,
                (bounds.search_chars, bounds.search_words),
                &accept,
                &|a, b| self.doc_order(a, b),
                &|doc, nth| {
                    let node = self.graph.node_weight(NodeIndex::new(doc as usize))?;
                    texts(node).get(nth as usize).map(|&(_, text)| text)
                },
            )
            .into_iter()
            .filter_map(|h| {
                let node = self.graph.node_weight(NodeIndex::new(h.doc as usize))?;
                Some(Hit {
                    node,
                    score: h.score,
                    matched: h.matched,
                    field: h.field,
                    text: h.text,
                })
            })
            .collect()
    }

    /// The node a name, alias or metonym stands for: the best exact name or
    /// alias match, if any. The whole name is read: `name` is the caller's own, not a
    /// client's search text.
    pub fn resolve(&self, name: &str) -> Option<&Node> {
        self.search
            .search_ordered(
                name,
                1,
                (usize::MAX, usize::MAX),
                &|_| true,
                &|a, b| self.doc_order(a, b),
                // Only the node is wanted, not the text.
                &|_, _| None,
            )
            .into_iter()
            .filter_map(|h| {
                let node = self.graph.node_weight(NodeIndex::new(h.doc as usize))?;
                Some((h.matched, node))
            })
            .find(|(matched, _)| matches!(matched, MatchKind::ExactName | MatchKind::ExactAlias))
            .map(|(_, node)| &**node)
    }

    /// Search documents (nodes) in the order of their ids: see [`doc_order`].
    fn doc_order(&self, a: u32, b: u32) -> std::cmp::Ordering {
        doc_order(&self.graph, &self.topology, a, b)
    }

    /// Ends a bulk load of the search index: its lists are put in the order searches
    /// read them, by rank and then in the order of the nodes' ids.
    pub(crate) fn finish_search(&mut self) {
        let (graph, topology) = (&self.graph, &self.topology);
        let order = |a, b| doc_order(graph, topology, a, b);
        let key = |doc: u32| topology.order_key(NodeIndex::new(doc as usize));
        self.search.finish(&order, &key);
    }

    /// Two nodes in the order of their ids: see [`id_order`].
    pub(crate) fn id_order(&self, a: NodeIndex, b: NodeIndex) -> std::cmp::Ordering {
        id_order(&self.graph, &self.topology, a, b)
    }

    pub(crate) fn index_of(&self, id: &EntityId) -> Option<NodeIndex> {
        self.located(id).map(|l| l.ix)
    }

    /// Where the node with this id is, following a merge to its survivor.
    fn located(&self, id: &EntityId) -> Option<&Located> {
        match self.by_id.get(id) {
            Some(located) => Some(located),
            None => self.by_id.get(self.withdrawn.survivor(id)?),
        }
    }
}

/// The lists a load leaves to its end to put in order, built whole from each kind's nodes
/// (`placed`, in index order).
struct Ordered {
    by_kind: HashMap<NodeKind, BTreeMap<EntityId, NodeIndex>>,
    names: NameLists,
    dates: DateLists,
    rates: RateLists,
    books: Books,
}

impl Ordered {
    fn build(
        graph: &StableDiGraph<Arc<Node>, Arc<Edge>>,
        topology: &Topology,
        money: &MoneyIndex,
        placed: &HashMap<NodeKind, Vec<NodeIndex>>,
    ) -> Self {
        let node = |x: u32| -> &Node { &graph[NodeIndex::new(x as usize)] };
        // The kind lists, built whole from the nodes sorted by their order keys, and
        // by their ids where the keys tie: a million inserts into a tree of ids had
        // compared ids at every level.
        let by_kind = placed
            .iter()
            .map(|(&kind, list)| {
                let mut keyed: Vec<(u128, NodeIndex)> = list
                    .iter()
                    .map(|&ix| (topology.order_key(ix), ix))
                    .collect();
                keyed.sort_unstable();
                for run in keyed.chunk_by_mut(|a, b| a.0 == b.0) {
                    if run.len() > 1 {
                        run.sort_unstable_by(|(_, a), (_, b)| graph[*a].id.cmp(&graph[*b].id));
                    }
                }
                let ids = keyed.into_iter().map(|(_, ix)| (graph[ix].id.clone(), ix));
                (kind, ids.collect())
            })
            .collect::<HashMap<_, BTreeMap<_, _>>>();
        let mut names = NameLists::default();
        for (&kind, list) in placed {
            names.build(kind, list.iter().copied(), node);
        }
        let key = |x: u32| topology.order_key(NodeIndex::new(x as usize));
        let mut dates = DateLists::default();
        for kind in dates::KINDS {
            if let Some(list) = placed.get(&kind) {
                dates.build(kind, list.iter().copied(), node, key);
            }
        }
        let tariffs = placed.get(&NodeKind::TariffMeasure).into_iter().flatten();
        let rates = RateLists::build(tariffs.copied(), node, key);
        // The books' lanes, cut from all commitments' orders: by id (the kind's list), by
        // name (its list by name) and by amount (the amounts index).
        let order = |lane: Lane| -> Walk<'_> {
            match lane {
                Lane::Name => match names.list(NodeKind::Commitment) {
                    Some(list) => Box::new(list.iter().map(|x| NodeIndex::new(x as usize))),
                    None => Box::new(std::iter::empty()),
                },
                Lane::Rising | Lane::Falling => {
                    let id_of = |ix: NodeIndex| &graph[ix].id;
                    money.walk(lane, None, std::ops::Bound::Unbounded, true, id_of)
                }
                _ => Box::new(std::iter::empty()),
            }
        };
        let commitments = by_kind.get(&NodeKind::Commitment);
        let ids = commitments
            .into_iter()
            .flat_map(|list| list.values().copied());
        let books = Books::build(ids, order, graph.node_bound(), node);
        Ordered {
            by_kind,
            names,
            dates,
            rates,
            books,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use crate::model::{RelationDetails, RelationKind};

    /// Five million are stored at a million entities: each byte here is 5 MB there.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn an_edge_keeps_its_relation_and_one_byte_for_the_field_that_implies_it() {
        // With an `Arc`'s two counts, 64 bytes: jemalloc's class of 64, where 65 to 80
        // bytes take 80.
        assert_eq!(std::mem::size_of::<Edge>(), 48);
    }

    /// A million are stored at a million entities, each an `Arc<Node>`.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_node_keeps_to_jemallocs_class_of_160_bytes() {
        // With the `Arc`'s two counts, 152 bytes: jemalloc's class of 160, where 161 to 192
        // bytes take 192.
        assert_eq!(std::mem::size_of::<Node>(), 136);
        assert_eq!(std::mem::size_of::<crate::model::NodeData>(), 32);
    }

    #[test]
    fn builds_nodes_and_implied_and_explicit_edges() {
        let g = KnowledgeGraph::build(
            vec![country("jp", "Japan"), country("kr", "South Korea")],
            vec![relation(RelationKind::RivalOf, "country:kr", "country:jp")],
        )
        .unwrap();
        assert_eq!((g.node_count(), g.edge_count()), (2, 1));
        assert_eq!(g.node("country:jp").map(|n| n.name.as_str()), Some("Japan"));
        assert!(g.node("country:xx").is_none());
        assert!(g.node("not an id").is_none());
        let ids: Vec<_> = g
            .nodes_of_kind(NodeKind::Country)
            .map(|n| n.id.as_str())
            .collect();
        assert_eq!(ids, ["country:jp", "country:kr"]);
        assert_eq!(g.nodes_of_kind(NodeKind::Person).count(), 0);
    }

    #[test]
    fn refuses_duplicates_dangling_ends_and_misfit_kinds() {
        let dup =
            KnowledgeGraph::build(vec![country("jp", "Japan"), country("jp", "Japan")], vec![]);
        assert_eq!(
            dup.unwrap_err(),
            GraphError::DuplicateId("country:jp".into())
        );
        let dangling = KnowledgeGraph::build(
            vec![country("jp", "Japan")],
            vec![relation(RelationKind::AllyOf, "country:jp", "country:us")],
        );
        assert!(
            matches!(dangling.unwrap_err(), GraphError::Dangling { to, .. } if to == "country:us")
        );
        let misfit = KnowledgeGraph::build(
            vec![country("jp", "Japan"), country("us", "United States")],
            vec![relation(RelationKind::Pledged, "country:jp", "country:us")],
        );
        assert!(matches!(misfit.unwrap_err(), GraphError::Invalid(_)));
    }

    #[test]
    fn relation_ids_come_from_content_not_load_order() {
        let nodes = || vec![country("jp", "Japan"), country("us", "United States")];
        let keyed = |key: &str| {
            relation(RelationKind::AllyOf, "country:jp", "country:us").with_details(
                RelationDetails {
                    key: Some(key.into()),
                    ..RelationDetails::default()
                },
            )
        };
        let ids = |relations: Vec<Relation>| {
            let g = KnowledgeGraph::build(nodes(), relations).unwrap();
            let mut ids: Vec<String> = g.edges().map(|e| e.id()).collect();
            ids.sort();
            ids
        };
        let forward = ids(vec![keyed("treaty"), keyed("summit")]);
        assert_eq!(
            forward,
            [
                "country:jp|ally-of|country:us#summit",
                "country:jp|ally-of|country:us#treaty"
            ]
        );
        assert_eq!(ids(vec![keyed("summit"), keyed("treaty")]), forward);
        let twice = vec![
            relation(RelationKind::AllyOf, "country:jp", "country:us"),
            relation(RelationKind::AllyOf, "country:jp", "country:us"),
        ];
        assert_eq!(
            KnowledgeGraph::build(nodes(), twice).unwrap_err(),
            GraphError::DuplicateRelation("country:jp|ally-of|country:us".into())
        );
    }

    #[test]
    fn search_and_resolve_go_through_the_index() {
        let mut jp = country("jp", "Japan");
        jp.aliases.push("Tokyo".into());
        let g = KnowledgeGraph::build(vec![jp, country("kr", "South Korea")], vec![]).unwrap();
        assert_eq!(
            g.resolve("tokyo").map(|n| n.id.as_str()),
            Some("country:jp")
        );
        assert_eq!(
            g.resolve("Korea"),
            None,
            "a token match is not a resolution"
        );
        let hits = g.search("korea", Only::These(&[NodeKind::Country]), 5, &BOUNDS);
        assert_eq!(hits.len(), 1);
        assert_eq!(
            (hits[0].node.id.as_str(), hits[0].matched),
            ("country:kr", MatchKind::Token)
        );
        assert!(
            g.search("korea", Only::These(&[NodeKind::Person]), 5, &BOUNDS)
                .is_empty(),
            "kinds filter"
        );
    }
}

//! Applying changes: each checked by the seed loader's rules against the graph as it
//! stands, every index moved in place, and a batch applied whole or not at all. A change
//! costs what it touches: nothing here walks the whole graph.

use std::collections::HashMap;
use std::sync::Arc;

use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::{
    Edge, FastMap, GraphError, KnowledgeGraph, explicit_edge, implied_edges, indexer, share_ends,
};
use crate::model::{
    Change, EntityId, Node, NodeData, NodeKind, Retraction, SourceKind, SourceRef, When,
};

/// What was retracted or merged away: kept, with why, never erased; a merged id still
/// resolves to its survivor.
#[derive(Debug, Clone, Default)]
pub struct Withdrawn {
    nodes: HashMap<EntityId, (Arc<Node>, Retraction)>,
    relations: HashMap<String, (Arc<Edge>, Retraction)>,
    merged: HashMap<EntityId, EntityId>,
}

impl Withdrawn {
    /// The entity a merged id now stands for, following later merges.
    pub fn survivor(&self, id: &EntityId) -> Option<&EntityId> {
        let mut at = self.merged.get(id)?;
        // Each merge names a live survivor, so the chain ends; the bound is a guard.
        for _ in 0..self.merged.len() {
            match self.merged.get(at) {
                Some(next) => at = next,
                None => return Some(at),
            }
        }
        Some(at)
    }

    /// A retracted or merged entity, as it was, with why it was withdrawn.
    pub fn entity(&self, id: &EntityId) -> Option<(&Node, &Retraction)> {
        self.nodes.get(id).map(|(n, r)| (&**n, r))
    }

    /// A retracted relation, as it was, with why it was withdrawn.
    pub fn relation(&self, id: &str) -> Option<(&Edge, &Retraction)> {
        self.relations.get(id).map(|(e, r)| (&**e, r))
    }

    /// How many entities were retracted, not counting those merged into another.
    pub fn retracted_entities(&self) -> usize {
        // Every merged id is also among the withdrawn nodes.
        self.nodes.len().saturating_sub(self.merged.len())
    }

    /// How many duplicates were merged into another entity.
    pub fn merged_entities(&self) -> usize {
        self.merged.len()
    }

    /// How many relations were withdrawn: retracted, or with a retracted or merged
    /// entity.
    pub fn withdrawn_relations(&self) -> usize {
        self.relations.len()
    }
}

/// A change refused: nothing of its batch was applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("change {number} of the batch ({op}) was refused, so none of the batch applied: {error}", number = .index + 1)]
pub struct ChangeError {
    /// The change's place in its batch, from 0.
    pub index: usize,
    /// The change's operation.
    pub op: &'static str,
    /// Why.
    pub error: GraphError,
}

/// How to undo one step of a batch.
#[derive(Debug)]
enum Undo {
    AddedNode(NodeIndex),
    SwappedNode(NodeIndex, Arc<Node>),
    DetachedNode(Arc<Node>),
    AddedEdge(EdgeIndex),
    DetachedEdge(Arc<Edge>),
    SwappedEdge(EdgeIndex, Arc<Edge>),
    WithdrewNode(EntityId),
    WithdrewRelation(String),
    Merged(EntityId),
}

/// A batch being applied: how to undo it, and the checks that wait for its end (a
/// relation to an entity a later change creates, a citation of a source created later).
#[derive(Debug, Default)]
struct Batch {
    /// A seed's batch: it only creates, and a refused one is thrown away whole. So no
    /// journal is kept, and what a change names that is already in the graph is checked
    /// at once (nothing can take it away later in the batch).
    seed: bool,
    journal: Vec<Undo>,
    pending: Vec<(usize, Edge)>,
    cites: Vec<(usize, SourceRef)>,
    refs: Vec<(usize, EntityId, EntityId)>,
    /// In a seed, the kind of each source a citation found in the graph: the citations of
    /// millions of facts name some thousands of sources, found again here, in a table
    /// small enough to stay in the cache, rather than in the index of every node.
    sources: FastMap<EntityId, SourceKind>,
}

type Step<T = ()> = Result<T, GraphError>;

impl Batch {
    /// Records how to undo one step.
    fn undo(&mut self, step: Undo) {
        if !self.seed {
            self.journal.push(step);
        }
    }
}

impl KnowledgeGraph {
    /// Applies a batch of changes, whole or not at all, and returns the new version.
    /// A refused change anywhere in the batch leaves the graph exactly as it was.
    pub fn apply(&mut self, changes: Vec<Change>) -> Result<u64, ChangeError> {
        self.apply_observed(changes, &mut |_| {})
    }

    /// The graph a seed's changes build, as one batch: version 0. Its search index is
    /// built on a thread of its own meanwhile.
    pub fn from_seed(changes: impl IntoIterator<Item = Change>) -> Result<Self, ChangeError> {
        let mut g = KnowledgeGraph::default();
        let batch = Batch {
            seed: true,
            ..Batch::default()
        };
        let (feed, rx) = indexer::Feed::start();
        g.feed = feed;
        let built = std::thread::scope(|scope| {
            let indexer = scope.spawn(move || indexer::index(rx));
            g.begin_bulk();
            let built = g.apply_batch(changes, batch, &mut |_| {});
            g.feed.stop();
            g.end_bulk();
            match indexer.join() {
                Ok(search) => g.search = search.into(),
                Err(panic) => std::panic::resume_unwind(panic),
            }
            built
        });
        built?;
        g.version = 0;
        Ok(g)
    }

    /// [`KnowledgeGraph::apply`], calling `after_each` with each change's index once it
    /// is in place (and before the batch is checked as a whole).
    pub fn apply_observed(
        &mut self,
        changes: Vec<Change>,
        after_each: &mut dyn FnMut(usize),
    ) -> Result<u64, ChangeError> {
        self.apply_batch(changes, Batch::default(), after_each)
    }

    fn apply_batch(
        &mut self,
        changes: impl IntoIterator<Item = Change>,
        mut batch: Batch,
        after_each: &mut dyn FnMut(usize),
    ) -> Result<u64, ChangeError> {
        // The ops of the changes that left checks for the end of the batch, in index
        // order: only those can be named by a failure found there. (A seed is millions of
        // changes; a list of every op would weigh more than the answer needs.)
        let mut deferred: Vec<(usize, &'static str)> = Vec::new();
        for (index, change) in changes.into_iter().enumerate() {
            let op = change.op();
            let pending = batch.cites.len() + batch.refs.len();
            if let Err(error) = self.apply_one(index, change, &mut batch) {
                self.roll_back(batch.journal);
                // Rolled back, no entity grew: this only empties the list of those that did.
                self.promote_hubs();
                return Err(ChangeError { index, op, error });
            }
            if batch.cites.len() + batch.refs.len() > pending {
                deferred.push((index, op));
            }
            after_each(index);
        }
        if let Err((index, error)) = self.finish(&mut batch) {
            self.roll_back(batch.journal);
            self.promote_hubs();
            let op = deferred
                .binary_search_by_key(&index, |&(at, _)| at)
                .map_or("batch", |at| deferred[at].1);
            return Err(ChangeError { index, op, error });
        }
        self.promote_hubs();
        self.version += 1;
        self.stamp(&batch.journal);
        Ok(self.version)
    }

    /// Records the new version as the last change of each entity a batch changed.
    fn stamp(&mut self, journal: &[Undo]) {
        for step in journal {
            let id = match step {
                Undo::AddedNode(ix) | Undo::SwappedNode(ix, _) => {
                    match self.graph.node_weight(*ix) {
                        Some(node) => node.id.clone(),
                        None => continue,
                    }
                }
                Undo::DetachedNode(node) => node.id.clone(),
                Undo::WithdrewNode(id) | Undo::Merged(id) => id.clone(),
                Undo::AddedEdge(_)
                | Undo::DetachedEdge(_)
                | Undo::SwappedEdge(..)
                | Undo::WithdrewRelation(_) => continue,
            };
            self.changed_in.insert(id, self.version);
        }
    }

    /// What was withdrawn or merged away.
    pub fn withdrawn(&self) -> &Withdrawn {
        &self.withdrawn
    }

    fn apply_one(&mut self, at: usize, change: Change, b: &mut Batch) -> Step {
        match change {
            Change::CreateEntity { entity } => self.create(at, entity, b),
            Change::UpdateEntity {
                id,
                name,
                aliases,
                description,
                sources,
            } => {
                need_sources(&sources, "an update")?;
                let mut node = self.live(&id)?.1.clone();
                if let Some(name) = name {
                    node.name = name;
                }
                if let Some(aliases) = aliases {
                    node.aliases = aliases;
                }
                if let Some(description) = description {
                    node.description = description;
                }
                add_sources(&mut node.sources, &sources);
                self.replace(at, node, b)
            }
            Change::AddClaim { id, claim } => {
                let mut node = self.live(&id)?.1.clone();
                node.add_claim(claim)?;
                self.replace(at, node, b)
            }
            Change::SupersedeClaim {
                id,
                supersedes,
                mut claim,
            } => {
                let field = claim.field();
                let mut node = self.live(&id)?.1.clone();
                claim.set_supersedes(&supersedes);
                node.add_claim(claim)?;
                if let Some(set) = node.claims_mut(field) {
                    set.demote(&supersedes);
                }
                self.replace(at, node, b)
            }
            Change::DeprecateClaim {
                id,
                field,
                key,
                reason,
                sources,
            } => {
                need_reason(&reason)?;
                need_sources(&sources, "a deprecation")?;
                let mut node = self.live(&id)?.1.clone();
                let kind = node.kind();
                let set = node
                    .claims_mut(field)
                    .ok_or_else(|| GraphError::UnknownClaim {
                        id: id.to_string(),
                        what: format!("a {} has no {field:?} claims", kind.type_name()),
                    })?;
                if !set.has(&key) {
                    return Err(GraphError::UnknownClaim {
                        id: id.to_string(),
                        what: format!("no {field:?} claim has the key `{key}`"),
                    });
                }
                set.deprecate(&key, &reason, &sources);
                self.replace(at, node, b)
            }
            Change::AddRelation { relation } => {
                need_sources(&relation.sources, "a relation")?;
                for s in relation.sources.iter() {
                    self.note_citation(at, s, b)?;
                }
                self.add_edge(at, explicit_edge(relation), b)
            }
            Change::EndRelation { id, until, sources } => {
                need_sources(&sources, "the end of a relation")?;
                let e = self.explicit(&id)?;
                let mut edge = Edge::clone(&self.graph[e]);
                check_end(&edge, &until)?;
                edge.relation
                    .edit_details(|d| d.valid_until = Some(Box::new(until)));
                let mut cited = edge.relation.sources.to_vec();
                add_sources(&mut cited, &sources);
                edge.relation.sources = cited.into();
                for s in &sources {
                    self.note_citation(at, s, b)?;
                }
                let old = self.swap_edge(e, edge);
                b.undo(Undo::SwappedEdge(e, old));
                Ok(())
            }
            Change::RetractEntity {
                id,
                reason,
                sources,
            } => {
                let retraction = self.retraction(reason, sources)?;
                self.retract(&id, retraction, b)
            }
            Change::RetractRelation {
                id,
                reason,
                sources,
            } => {
                let retraction = self.retraction(reason, sources)?;
                let e = self.explicit(&id)?;
                self.withdraw_edge(e, retraction, b);
                Ok(())
            }
            Change::MergeEntity {
                duplicate,
                survivor,
                sources,
            } => {
                need_sources(&sources, "a merge")?;
                self.merge(at, &duplicate, &survivor, sources, b)
            }
        }
    }

    /// A retraction by the batch being applied, with its reason and sources checked.
    fn retraction(&self, reason: String, sources: Vec<SourceRef>) -> Step<Retraction> {
        need_reason(&reason)?;
        need_sources(&sources, "a retraction")?;
        Ok(Retraction {
            reason,
            sources,
            version: self.version + 1,
        })
    }

    /// The live node with this id (a merged or retracted id is refused: write to what it
    /// became).
    fn live(&self, id: &EntityId) -> Step<(NodeIndex, &Node)> {
        match self.by_id.get(id) {
            Some(located) => Ok((located.ix, &located.node)),
            None if self.withdrawn.nodes.contains_key(id) => {
                Err(GraphError::Withdrawn(id.to_string()))
            }
            None => Err(GraphError::UnknownEntity(id.to_string())),
        }
    }

    /// The explicit relation with this id.
    fn explicit(&self, id: &str) -> Step<EdgeIndex> {
        let Some(e) = self.edge_index(id) else {
            return Err(match self.withdrawn.relations.contains_key(id) {
                true => GraphError::Withdrawn(id.to_string()),
                false => GraphError::UnknownRelation(id.to_string()),
            });
        };
        match self.graph[e].implied_by {
            Some(field) => Err(GraphError::ImpliedRelation {
                id: id.to_string(),
                field: field.as_str(),
            }),
            None => Ok(e),
        }
    }

    fn create(&mut self, at: usize, node: Node, b: &mut Batch) -> Step {
        node.check()?;
        if self.by_id.contains_key(&node.id) {
            return Err(GraphError::DuplicateId(node.id.to_string()));
        }
        if self.withdrawn.nodes.contains_key(&node.id) {
            return Err(GraphError::Withdrawn(node.id.to_string()));
        }
        self.note_checks(at, &node, b)?;
        let edges: Vec<Edge> = implied_edges(&node).collect();
        let ix = self.attach_node(node);
        b.undo(Undo::AddedNode(ix));
        for edge in edges {
            self.add_edge(at, edge, b)?;
        }
        Ok(())
    }

    /// Puts a new version of a live node in place, with the relations its fields now imply.
    fn replace(&mut self, at: usize, node: Node, b: &mut Batch) -> Step {
        node.check()?;
        let (ix, _) = self.live(&node.id)?;
        self.note_checks(at, &node, b)?;
        let old = self.swap_node(ix, node);
        let mut before: HashMap<String, Edge> = implied_edges(&old).map(|e| (e.id(), e)).collect();
        b.undo(Undo::SwappedNode(ix, old));
        let after: Vec<Edge> = implied_edges(&self.graph[ix]).collect();
        for edge in after {
            let id = edge.id();
            match before.remove(&id) {
                Some(was) if was == edge => {}
                Some(_) => match self.edge_index(&id) {
                    Some(e) => {
                        let old = self.swap_edge(e, edge);
                        b.undo(Undo::SwappedEdge(e, old));
                    }
                    None => {
                        b.pending.retain(|(_, p)| p.id() != id);
                        b.pending.push((at, edge));
                    }
                },
                None => self.add_edge(at, edge, b)?,
            }
        }
        for id in before.into_keys() {
            match self.edge_index(&id) {
                Some(e) => {
                    if let Some(edge) = self.detach_edge(e) {
                        b.undo(Undo::DetachedEdge(edge));
                    }
                }
                None => b.pending.retain(|(_, p)| p.id() != id),
            }
        }
        Ok(())
    }

    /// Adds a relation now, or at the end of the batch when an end is still to come.
    fn add_edge(&mut self, at: usize, mut edge: Edge, b: &mut Batch) -> Step {
        let r = &mut edge.relation;
        let ends = (
            self.by_id.get_key_value(&r.from),
            self.by_id.get_key_value(&r.to),
        );
        if let (Some((from, a)), Some((to_id, to))) = ends {
            let (a, to) = (a.ix, to.ix);
            share_ends(r, from, to_id);
            // The kinds as the structure holds them, rather than parsed from the ids.
            let kind = |ix, id: &EntityId| self.topology.kind(ix).unwrap_or_else(|| id.kind());
            r.kind.check(kind(a, &r.from), kind(to, &r.to))?;
            let e = self.insert_edge(edge.into(), a, to)?;
            b.undo(Undo::AddedEdge(e));
        } else {
            r.kind.check(r.from.kind(), r.to.kind())?;
            b.pending.push((at, edge));
        }
        Ok(())
    }

    /// Records what a node cites and refers to, to check once the batch is in; in a
    /// seed, what is already in the graph is checked at once.
    fn note_checks(&self, at: usize, node: &Node, b: &mut Batch) -> Step {
        for s in node.citations() {
            self.note_citation(at, s, b)?;
        }
        for id in node.references() {
            if !(b.seed && self.by_id.contains_key(id)) {
                b.refs.push((at, node.id.clone(), id.clone()));
            }
        }
        Ok(())
    }

    /// Checks a citation once the batch is in; in a seed, at once when its source is
    /// already in the graph (a seed of millions of relations would otherwise hold a copy
    /// of every citation until its end).
    fn note_citation(&self, at: usize, cite: &SourceRef, b: &mut Batch) -> Step {
        if b.seed
            && let Some(&kind) = b.sources.get(&cite.source)
        {
            return citation_fits(cite, Some(kind));
        }
        match self.by_id.get(&cite.source) {
            Some(source) if b.seed => {
                let kind = source_kind(&source.node.data);
                if let Some(kind) = kind {
                    b.sources.insert(cite.source.clone(), kind);
                }
                citation_fits(cite, kind)
            }
            _ => {
                b.cites.push((at, cite.clone()));
                Ok(())
            }
        }
    }

    fn retract(&mut self, id: &EntityId, retraction: Retraction, b: &mut Batch) -> Step {
        let (ix, node) = self.live(id)?;
        let own: std::collections::HashSet<String> = implied_edges(node).map(|e| e.id()).collect();
        let edges: Vec<EdgeIndex> = self.incident(ix);
        for &e in &edges {
            let edge = &self.graph[e];
            if let Some(field) = edge.implied_by
                && !own.contains(&edge.id())
            {
                let other = [&edge.relation.from, &edge.relation.to]
                    .into_iter()
                    .find(|x| *x != id)
                    .map(ToString::to_string)
                    .unwrap_or_default();
                return Err(GraphError::StillReferred {
                    id: id.to_string(),
                    by: other,
                    field: field.as_str(),
                });
            }
        }
        for e in edges {
            if self.graph[e].implied_by.is_some() {
                if let Some(edge) = self.detach_edge(e) {
                    b.undo(Undo::DetachedEdge(edge));
                }
            } else {
                self.withdraw_edge(e, retraction.clone(), b);
            }
        }
        if let Some(node) = self.detach_node(ix) {
            b.undo(Undo::DetachedNode(node.clone()));
            b.undo(Undo::WithdrewNode(node.id.clone()));
            self.withdrawn
                .nodes
                .insert(node.id.clone(), (node, retraction));
        }
        Ok(())
    }

    fn withdraw_edge(&mut self, e: EdgeIndex, retraction: Retraction, b: &mut Batch) {
        if let Some(edge) = self.detach_edge(e) {
            b.undo(Undo::DetachedEdge(edge.clone()));
            b.undo(Undo::WithdrewRelation(edge.id()));
            self.withdrawn
                .relations
                .insert(edge.id(), (edge, retraction));
        }
    }

    fn incident(&self, ix: NodeIndex) -> Vec<EdgeIndex> {
        let mut out: Vec<EdgeIndex> =
            [petgraph::Direction::Outgoing, petgraph::Direction::Incoming]
                .into_iter()
                .flat_map(|d| self.graph.edges_directed(ix, d).map(|e| e.id()))
                .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    fn merge(
        &mut self,
        at: usize,
        duplicate: &EntityId,
        survivor: &EntityId,
        sources: Vec<SourceRef>,
        b: &mut Batch,
    ) -> Step {
        let (dix, dup) = self.live(duplicate)?;
        let (_, surv) = self.live(survivor)?;
        if duplicate == survivor || dup.kind() != surv.kind() || dup.kind() == NodeKind::Source {
            return Err(GraphError::CannotMerge {
                duplicate: duplicate.to_string(),
                survivor: survivor.to_string(),
            });
        }
        let own: std::collections::HashSet<String> = implied_edges(dup).map(|e| e.id()).collect();
        let retraction = self.retraction(format!("merged into {survivor}"), sources.clone())?;
        // Whoever names the duplicate in a field names the survivor instead.
        let mut referrers: Vec<EntityId> = Vec::new();
        let mut explicit: Vec<EdgeIndex> = Vec::new();
        for e in self.incident(dix) {
            let edge = &self.graph[e];
            match edge.implied_by {
                Some(_) if own.contains(&edge.id()) => {}
                Some(_) => {
                    let r = &edge.relation;
                    let other = if &r.from == duplicate { &r.to } else { &r.from };
                    referrers.push(other.clone());
                }
                None => explicit.push(e),
            }
        }
        referrers.sort();
        referrers.dedup();
        for id in referrers {
            let mut node = self.live(&id)?.1.clone();
            node.repoint(duplicate, survivor);
            self.replace(at, node, b)?;
        }
        // Its explicit relations move to the survivor, unless the survivor has them.
        for e in explicit {
            let mut relation = self.graph[e].relation.clone();
            self.withdraw_edge(e, retraction.clone(), b);
            for end in [&mut relation.from, &mut relation.to] {
                if end == duplicate {
                    *end = survivor.clone();
                }
            }
            let edge = explicit_edge(relation);
            if edge.relation.from != edge.relation.to && self.edge_index(&edge.id()).is_none() {
                self.add_edge(at, edge, b)?;
            }
        }
        // The survivor takes the duplicate's names and sources.
        let dup = self.live(duplicate)?.1.clone();
        let mut node = self.live(survivor)?.1.clone();
        for name in std::iter::once(&dup.name).chain(&dup.aliases) {
            if *name != node.name && !node.aliases.contains(name) {
                node.aliases.push(name.clone());
            }
        }
        add_sources(&mut node.sources, &dup.sources);
        add_sources(&mut node.sources, &sources);
        self.replace(at, node, b)?;
        self.retract(duplicate, retraction, b)?;
        self.withdrawn
            .merged
            .insert(duplicate.clone(), survivor.clone());
        b.undo(Undo::Merged(duplicate.clone()));
        Ok(())
    }

    /// The checks that wait for the end of a batch.
    fn finish(&mut self, b: &mut Batch) -> Result<(), (usize, GraphError)> {
        for (at, edge) in std::mem::take(&mut b.pending) {
            let e = self.attach_edge(edge).map_err(|e| (at, e))?;
            b.undo(Undo::AddedEdge(e));
        }
        for (at, cite) in &b.cites {
            self.check_citation(cite).map_err(|e| (*at, e))?;
        }
        for (at, from, to) in &b.refs {
            // Only references of what is still live: a node retracted later in the batch
            // refers to nothing.
            if self.by_id.contains_key(from) && !self.by_id.contains_key(to) {
                return Err((
                    *at,
                    GraphError::Dangling {
                        from: from.to_string(),
                        field: "a field".into(),
                        to: to.to_string(),
                    },
                ));
            }
        }
        Ok(())
    }

    /// Checks a citation against the graph as it stands.
    fn check_citation(&self, cite: &SourceRef) -> Step {
        let source = self.by_id.get(&cite.source);
        citation_fits(cite, source.and_then(|l| source_kind(&l.node.data)))
    }

    fn roll_back(&mut self, journal: Vec<Undo>) {
        for step in journal.into_iter().rev() {
            match step {
                Undo::AddedNode(ix) => {
                    self.detach_node(ix);
                }
                Undo::SwappedNode(ix, old) => {
                    self.swap_node(ix, old);
                }
                Undo::DetachedNode(node) => {
                    self.attach_node(node);
                }
                Undo::AddedEdge(e) => {
                    self.detach_edge(e);
                }
                Undo::DetachedEdge(edge) => {
                    // It was in the graph with both ends, which the later steps undone
                    // before it have put back.
                    let _ = self.attach_edge(edge);
                }
                Undo::SwappedEdge(e, old) => {
                    self.swap_edge(e, old);
                }
                Undo::WithdrewNode(id) => {
                    self.withdrawn.nodes.remove(&id);
                }
                Undo::WithdrewRelation(id) => {
                    self.withdrawn.relations.remove(&id);
                }
                Undo::Merged(id) => {
                    self.withdrawn.merged.remove(&id);
                }
            }
        }
    }
}

/// A citation names a source in the graph (`source`, the kind of the node it names, `None`
/// when that is not a source in the graph), by line for a document and without one for a
/// curator's note.
fn citation_fits(cite: &SourceRef, source: Option<SourceKind>) -> Step {
    let bad = |why: &str| Err(GraphError::BadCitation(format!("`{}` {why}", cite.source)));
    match source {
        Some(kind) => match kind.citation_misfit(cite.line.is_some()) {
            Some(why) => bad(why),
            None => Ok(()),
        },
        None => bad("is not a source in the graph"),
    }
}

/// The kind of a source node; `None` for any other node.
fn source_kind(data: &NodeData) -> Option<SourceKind> {
    match data {
        NodeData::Source(s) => Some(s.kind),
        _ => None,
    }
}

fn need_sources(sources: &[SourceRef], what: &str) -> Step {
    if sources.is_empty() {
        return Err(GraphError::MissingSource(what.to_string()));
    }
    Ok(())
}

fn need_reason(reason: &str) -> Step {
    if reason.trim().is_empty() {
        return Err(crate::model::ModelError::Empty("a reason").into());
    }
    Ok(())
}

fn add_sources(to: &mut Vec<SourceRef>, more: &[SourceRef]) {
    for s in more {
        if !to.contains(s) {
            to.push(s.clone());
        }
    }
}

/// A relation ends after it starts.
fn check_end(edge: &Edge, until: &When) -> Step {
    if let Some(from) = edge.relation.valid_from()
        && let (Some(start), Some(end)) = (from.earliest(), until.latest())
        && end <= start
    {
        return Err(crate::model::ModelError::OutOfRange {
            what: "valid_until",
            value: until.to_string(),
            range: "a relation must end after it starts",
        }
        .into());
    }
    Ok(())
}

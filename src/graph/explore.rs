//! Neighbourhoods: the subgraph around some entities, breadth first,
//! bounded in depth and size, ready to draw, with each edge's headline value.

use super::Only;
use petgraph::stable_graph::NodeIndex;

use super::topology::{Half, NodeSet, SORTED_FROM};
use super::{Bounds, Direction, Edge, GraphError, KnowledgeGraph};
use crate::model::{
    EntityId, EventKind, Node, NodeData, NodeKind, PartialDate, RelationKind, holds_on,
};

/// A node of a subgraph and how many steps it is from the nearest seed.
#[derive(Debug, Clone, Copy)]
pub struct SubgraphNode<'g> {
    /// The node.
    pub node: &'g Node,
    /// Steps from the nearest seed (0 for a seed).
    pub depth: usize,
}

/// A subgraph: nodes breadth first (then by id), the edges among them
/// (by source, kind, target), and whether the node limit cut it short.
#[derive(Debug, Clone, Default)]
pub struct Subgraph<'g> {
    /// The nodes.
    pub nodes: Vec<SubgraphNode<'g>>,
    /// The edges among the nodes.
    pub edges: Vec<&'g Edge>,
    /// True when more nodes were in reach than the limit allowed.
    pub truncated: bool,
    /// How many nodes in reach the limit left out: exactly when `omitted_exact`, else at
    /// least this many. The walk stops at the level the limit cuts; what it has met there
    /// is counted, and the count is exact when that level is the last one asked for and
    /// no long list was left partly unread (counting further would cost more than the walk).
    pub omitted: usize,
    /// Whether `omitted` is the exact count, or a lower bound.
    pub omitted_exact: bool,
}

/// True when the edge holds on `as_of` (always, without a date). Where `as_of` falls
/// inside the range a start or end is known only as, the change is taken as not yet made,
/// as for claims.
pub(crate) fn edge_holds(edge: &Edge, as_of: Option<&PartialDate>) -> bool {
    let Some(day) = as_of.map(|d| d.start()) else {
        return true;
    };
    let r = &edge.relation;
    holds_on(r.valid_from(), r.valid_until(), day).0
}

/// True for the kinds whose nodes come to be on a date of their own ([`node_exists`]), so
/// a walk as of a date needs to read such a node, and no other.
fn has_a_beginning(kind: Option<NodeKind>) -> bool {
    matches!(
        kind,
        Some(NodeKind::Event | NodeKind::Statement | NodeKind::Deal)
    )
}

/// True when the node had come to be by `as_of` (always, without a date): an event had
/// happened, a statement been made, a deal been announced. A node of another kind, or one
/// whose date is unknown, always has; a date known only as a range that holds `as_of` is
/// taken as not yet come, as for relations. A deadline is known before it falls, so it
/// always has.
pub(crate) fn node_exists(node: &Node, as_of: Option<&PartialDate>) -> bool {
    if !has_a_beginning(Some(node.kind())) {
        return true;
    }
    let Some(day) = as_of.map(|d| d.start()) else {
        return true;
    };
    let began = match &node.data {
        NodeData::Event(e) if e.kind != EventKind::Deadline => e.date.as_ref(),
        NodeData::Statement(s) => s.date.as_ref(),
        NodeData::Deal(d) => d.announced.as_ref(),
        _ => None,
    };
    holds_on(began, None, day).0
}

impl KnowledgeGraph {
    /// The subgraph within `depth` steps of `seeds` over edges of
    /// `relations` in `direction`, keeping nodes of `kinds` (seeds always), at most `limit` nodes, with edges as
    /// they held on `as_of` and the nodes that had come to be by then ([`node_exists`]; seeds
    /// always). Unknown seeds are skipped. A depth or limit past
    /// `bounds` is refused.
    #[allow(clippy::too_many_arguments)]
    pub fn neighborhood(
        &self,
        seeds: &[EntityId],
        depth: usize,
        relations: Only<'_, RelationKind>,
        direction: Direction,
        kinds: Only<'_, NodeKind>,
        limit: usize,
        as_of: Option<&PartialDate>,
        bounds: &Bounds,
    ) -> Result<Subgraph<'_>, GraphError> {
        GraphError::over_limit("depth", depth, bounds.neighborhood_depth)?;
        GraphError::over_limit("limit", limit, bounds.neighborhood_nodes)?;
        let topo = &self.topology;
        let edge_ok = |h: &Half| {
            relations.admits(&h.kind)
                && (as_of.is_none() || !h.dated() || edge_holds(&self.graph[h.edge], as_of))
        };
        let leads_on = |h: &Half| match direction {
            Direction::Both => true,
            Direction::Outgoing => h.outgoing() || h.kind.is_symmetric(),
            Direction::Incoming => !h.outgoing() || h.kind.is_symmetric(),
        };
        let node_ok = |ix: NodeIndex| {
            (kinds.is_all() || topo.kind(ix).is_some_and(|k| kinds.admits(&k)))
                && (as_of.is_none()
                    || !has_a_beginning(topo.kind(ix))
                    || node_exists(&self.graph[ix], as_of))
        };
        let mut start: Vec<NodeIndex> = seeds.iter().filter_map(|s| self.index_of(s)).collect();
        start.sort_by(|a, b| self.id_order(*a, *b));
        start.dedup();
        // Nodes taken into the subgraph, and nodes met (taken, or met at the last level).
        let mut taken = NodeSet::new(topo.node_bound());
        let mut met = NodeSet::new(topo.node_bound());
        let mut order: Vec<(NodeIndex, usize)> = Vec::new();
        let mut truncated = false;
        // What the limit left out, and whether that is all of it (see `Subgraph::omitted`).
        let (mut omitted, mut omitted_exact) = (0, true);
        if start.len() > limit {
            (truncated, omitted, omitted_exact) = (true, start.len() - limit, depth == 0);
        }
        for ix in start.into_iter().take(limit) {
            taken.insert(ix);
            met.insert(ix);
            order.push((ix, 0));
        }
        let mut frontier: Vec<NodeIndex> = order.iter().map(|&(ix, _)| ix).collect();
        for level in 1..=depth {
            if truncated || frontier.is_empty() {
                break;
            }
            let room = limit - order.len();
            let mut next: Vec<NodeIndex> = Vec::new();
            // Whether a long list was left partly unread: then more were in reach.
            let mut unread = false;
            for &ix in &frontier {
                let list = topo.halves(ix);
                // A long list is in id order of its other ends: once it has given more than
                // `room` distinct candidates (and the last one's ties), none after them can
                // be among the first `room`, so the rest of it is left unread.
                let sorted = list.len() > SORTED_FROM;
                let (mut counted, mut last) = (0usize, None::<(u128, u32)>);
                for h in list {
                    if taken.contains(h.other) || !(leads_on(h) && edge_ok(h) && node_ok(h.other)) {
                        continue;
                    }
                    if sorted {
                        let key = topo.sort_key(h);
                        match last {
                            Some(l) if l.1 == key.1 => continue,
                            Some(l) if counted > room && l.0 != key.0 => {
                                unread = true;
                                break;
                            }
                            _ => {}
                        }
                        counted += 1;
                        last = Some(key);
                    }
                    if met.insert(h.other) {
                        next.push(h.other);
                    }
                }
            }
            if next.len() > room {
                truncated = true;
                omitted = next.len() - room;
                omitted_exact = level == depth && !unread;
            }
            let next = self.first_by_id(next, room);
            for &ix in &next {
                taken.insert(ix);
                order.push((ix, level));
            }
            frontier = next;
        }

        // Each relation with its ends' order keys, read once, so that sorting by
        // (from, kind, to, key) reads an id or a key only where the order keys tie.
        let mut edges: Vec<(u128, NodeIndex, RelationKind, u128, NodeIndex, &Edge)> = Vec::new();
        for (ix, h) in self.halves_within(&order, &taken) {
            if edge_ok(h) {
                let (from, to) = if h.outgoing() {
                    (ix, h.other)
                } else {
                    (h.other, ix)
                };
                let (from_key, to_key) = (topo.order_key(from), topo.order_key(to));
                edges.push((from_key, from, h.kind, to_key, to, &*self.graph[h.edge]));
            }
        }
        edges.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| self.id_order(a.1, b.1))
                .then(a.2.cmp(&b.2))
                .then(a.3.cmp(&b.3))
                .then_with(|| self.id_order(a.4, b.4))
                .then_with(|| a.5.relation.key().cmp(&b.5.relation.key()))
        });
        let edges: Vec<&Edge> = edges.into_iter().map(|e| e.5).collect();
        let nodes = order
            .into_iter()
            .map(|(ix, depth)| SubgraphNode {
                node: &self.graph[ix],
                depth,
            })
            .collect();
        Ok(Subgraph {
            nodes,
            edges,
            truncated,
            omitted,
            omitted_exact,
        })
    }

    /// One half of each relation between two of `nodes` (all of them in `within`), with the
    /// node whose half it is. Each relation is read from the end with fewer relations, so a
    /// hub's long list is searched for the few other hubs among the nodes, not read whole.
    fn halves_within<'a>(
        &'a self,
        nodes: &[(NodeIndex, usize)],
        within: &NodeSet,
    ) -> Vec<(NodeIndex, &'a Half)> {
        let topo = &self.topology;
        let rank = |ix: NodeIndex| (topo.halves(ix).len(), ix.index());
        // Each node's rank read once, not at each comparison of the sort.
        let mut ranked: Vec<((usize, usize), NodeIndex)> =
            nodes.iter().map(|&(ix, _)| (rank(ix), ix)).collect();
        ranked.sort_unstable_by_key(|&(r, _)| r);
        let mut out = Vec::new();
        for (at, &(ix_rank, ix)) in ranked.iter().enumerate() {
            let list = topo.halves(ix);
            let larger = &ranked[at + 1..];
            if list.len() > SORTED_FROM && larger.len() * 32 < list.len() {
                for other in std::iter::once(ix).chain(larger.iter().map(|&(_, o)| o)) {
                    let key = (topo.order_key(other), other.index() as u32);
                    let from = list.partition_point(|h| topo.sort_key(h) < key);
                    out.extend(
                        list[from..]
                            .iter()
                            .take_while(|h| h.other == other)
                            .filter(|h| other != ix || h.outgoing())
                            .map(|h| (ix, h)),
                    );
                }
                continue;
            }
            for h in list {
                if !within.contains(h.other) {
                    continue;
                }
                // Taken from this end when the other has more relations; a relation from a
                // node to itself has both halves here, and is taken once.
                let here = match h.other == ix {
                    true => h.outgoing(),
                    false => ix_rank < rank(h.other),
                };
                if here {
                    out.push((ix, h));
                }
            }
        }
        out
    }

    /// The first `room` of `nodes` in id order, sorted: each node's order key is read once,
    /// and the rest are left unsorted.
    fn first_by_id(&self, nodes: Vec<NodeIndex>, room: usize) -> Vec<NodeIndex> {
        let mut keyed: Vec<(u128, NodeIndex)> = nodes
            .into_iter()
            .map(|ix| (self.topology.order_key(ix), ix))
            .collect();
        let by_id = |a: &(u128, NodeIndex), b: &(u128, NodeIndex)| {
            a.0.cmp(&b.0).then_with(|| self.id_order(a.1, b.1))
        };
        if keyed.len() > room {
            if room > 0 {
                keyed.select_nth_unstable_by(room - 1, by_id);
            }
            keyed.truncate(room);
        }
        keyed.sort_unstable_by(by_id);
        keyed.into_iter().map(|(_, ix)| ix).collect()
    }

    /// The value an edge carries, for drawing: the amount of the pledge at
    /// one end ("USD 550 billion"), the rate change of the tariff at one
    /// end ("27.5% → 15%"), or the relation's own label (a role's title).
    pub fn headline(&self, edge: &Edge, as_of: Option<&PartialDate>) -> Option<String> {
        let r = &edge.relation;
        if let Some(label) = r.label() {
            return Some(label.to_string());
        }
        for end in [&r.to, &r.from] {
            let Some(node) = self.get(end) else { continue };
            match &node.data {
                NodeData::Commitment(c) => {
                    if let Some(claim) = c.amount.at(as_of) {
                        return Some(claim.value.display());
                    }
                }
                NodeData::TariffMeasure(t) => {
                    let rates: Vec<String> = match as_of {
                        Some(d) => t
                            .rate
                            .history(false)
                            .filter(|c| holds_on(c.valid_from.as_deref(), None, d.start()).0)
                            .map(|c| c.value.total.to_string())
                            .collect(),
                        None => t
                            .rate
                            .history(false)
                            .map(|c| c.value.total.to_string())
                            .collect(),
                    };
                    match rates.as_slice() {
                        [] => {}
                        [one] => return Some(one.clone()),
                        [first, .., last] => return Some(format!("{first} → {last}")),
                    }
                }
                NodeData::Project(p) => {
                    if let Some(c) = p.value.current() {
                        return Some(c.value.display());
                    }
                }
                _ => {}
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    /// a - b - c - d in a line, b - e, and a cycle c - f - b.
    fn graph() -> KnowledgeGraph {
        let nodes = ["a", "b", "c", "d", "e", "f"]
            .iter()
            .map(|x| country(x, &x.to_uppercase()))
            .collect();
        let r = |a: &str, b: &str| {
            relation(
                RelationKind::AllyOf,
                &format!("country:{a}"),
                &format!("country:{b}"),
            )
        };
        let p = |a: &str, b: &str| {
            relation(
                RelationKind::Pressures,
                &format!("country:{a}"),
                &format!("country:{b}"),
            )
        };
        KnowledgeGraph::build(
            nodes,
            vec![
                r("a", "b"),
                r("b", "c"),
                p("c", "d"),
                r("b", "e"),
                r("c", "f"),
                r("f", "b"),
            ],
        )
        .unwrap()
    }

    fn names(s: &Subgraph<'_>) -> Vec<(String, usize)> {
        s.nodes
            .iter()
            .map(|n| (n.node.id.slug().to_string(), n.depth))
            .collect()
    }

    #[test]
    fn breadth_first_then_by_id_with_depths() {
        let g = graph();
        let s = g
            .neighborhood(
                &[id("country:a")],
                2,
                Only::All,
                Direction::Both,
                Only::All,
                100,
                None,
                &BOUNDS,
            )
            .unwrap();
        let expected: Vec<(String, usize)> = [("a", 0), ("b", 1), ("c", 2), ("e", 2), ("f", 2)]
            .iter()
            .map(|(n, d)| (n.to_string(), *d))
            .collect();
        assert_eq!(names(&s), expected);
        assert!(!s.truncated);
        // Edges among the nodes, the cycle's too, but not c -> d (d is outside).
        let ids: Vec<String> = s.edges.iter().map(|e| e.id()).collect();
        assert_eq!(
            ids,
            [
                "country:a|ally-of|country:b",
                "country:b|ally-of|country:c",
                "country:b|ally-of|country:e",
                "country:c|ally-of|country:f",
                "country:f|ally-of|country:b"
            ]
        );
    }

    #[test]
    fn depth_zero_is_the_seeds_alone() {
        let g = graph();
        let s = g
            .neighborhood(
                &[id("country:c"), id("country:a"), id("country:zz")],
                0,
                Only::All,
                Direction::Both,
                Only::All,
                10,
                None,
                &BOUNDS,
            )
            .unwrap();
        assert_eq!(names(&s), [("a".to_string(), 0), ("c".to_string(), 0)]);
        assert!(s.edges.is_empty());
    }

    #[test]
    fn the_limit_cuts_and_says_so() {
        let g = graph();
        let s = g
            .neighborhood(
                &[id("country:a")],
                4,
                Only::All,
                Direction::Both,
                Only::All,
                3,
                None,
                &BOUNDS,
            )
            .unwrap();
        assert_eq!(s.nodes.len(), 3);
        assert!(s.truncated);
        // Cut before the last level: what it met is a lower bound.
        assert!(
            s.omitted >= 1 && !s.omitted_exact,
            "{} {}",
            s.omitted,
            s.omitted_exact
        );
        // Cut at the last level: every neighbour but the ones taken, exactly.
        let a = id("country:a");
        let neighbours: std::collections::HashSet<_> = g
            .neighbors(&a, Only::All, Direction::Both)
            .into_iter()
            .map(|n| n.node.id.clone())
            .collect();
        assert!(!neighbours.is_empty());
        let one = g
            .neighborhood(
                &[a],
                1,
                Only::All,
                Direction::Both,
                Only::All,
                1,
                None,
                &BOUNDS,
            )
            .unwrap();
        assert!(one.truncated && one.omitted_exact);
        assert_eq!(one.omitted, neighbours.len());
        let whole = g
            .neighborhood(
                &[id("country:a")],
                1,
                Only::All,
                Direction::Both,
                Only::All,
                200,
                None,
                &BOUNDS,
            )
            .unwrap();
        assert_eq!(
            (whole.truncated, whole.omitted, whole.omitted_exact),
            (false, 0, true)
        );
    }

    #[test]
    fn relation_and_direction_filters_bound_the_walk() {
        let g = graph();
        let s = g
            .neighborhood(
                &[id("country:d")],
                3,
                Only::These(&[RelationKind::Pressures]),
                Direction::Incoming,
                Only::All,
                10,
                None,
                &BOUNDS,
            )
            .unwrap();
        assert_eq!(names(&s), [("d".to_string(), 0), ("c".to_string(), 1)]);
        let out = g
            .neighborhood(
                &[id("country:d")],
                3,
                Only::These(&[RelationKind::Pressures]),
                Direction::Outgoing,
                Only::All,
                10,
                None,
                &BOUNDS,
            )
            .unwrap();
        assert_eq!(out.nodes.len(), 1);
    }

    #[test]
    fn refuses_work_past_the_bounds() {
        let g = graph();
        assert!(matches!(
            g.neighborhood(
                &[],
                5,
                Only::All,
                Direction::Both,
                Only::All,
                10,
                None,
                &BOUNDS
            ),
            Err(GraphError::OverLimit { what: "depth", .. })
        ));
        assert!(matches!(
            g.neighborhood(
                &[],
                1,
                Only::All,
                Direction::Both,
                Only::All,
                2001,
                None,
                &BOUNDS
            ),
            Err(GraphError::OverLimit { what: "limit", .. })
        ));
    }

    /// The neighbourhood as its definition says, read the simple way: every candidate of a
    /// level gathered, sorted by id and cut; every relation among the nodes, sorted.
    fn neighbourhood_by_definition(
        g: &KnowledgeGraph,
        seed: &EntityId,
        depth: usize,
        direction: Direction,
        limit: usize,
    ) -> (Vec<(String, usize)>, Vec<String>, bool, usize, bool) {
        let mut nodes: Vec<(EntityId, usize)> = vec![(seed.clone(), 0)];
        // Nodes met at the level the limit cut, past the limit, and whether it was the last.
        let (mut omitted, mut last) = (0, true);
        let mut seen: std::collections::HashSet<EntityId> = [seed.clone()].into();
        let mut frontier = vec![seed.clone()];
        let mut truncated = false;
        for level in 1..=depth {
            let mut next: Vec<EntityId> = Vec::new();
            for id in &frontier {
                for n in g.neighbors(id, Only::All, direction) {
                    if seen.insert(n.node.id.clone()) {
                        next.push(n.node.id.clone());
                    }
                }
            }
            next.sort();
            let room = limit - nodes.len();
            if next.len() > room {
                truncated = true;
                (omitted, last) = (next.len() - room, level == depth);
                next.truncate(room);
            }
            nodes.extend(next.iter().map(|id| (id.clone(), level)));
            frontier = next;
            if truncated {
                break;
            }
        }
        let inside: std::collections::HashSet<&EntityId> = nodes.iter().map(|(id, _)| id).collect();
        let mut edges: Vec<&Edge> = g
            .graph
            .edge_weights()
            .map(|e| &**e)
            .filter(|e| inside.contains(&e.relation.from) && inside.contains(&e.relation.to))
            .collect();
        edges.sort_by(|a, b| {
            let key = |e: &&Edge| {
                (
                    e.relation.from.clone(),
                    e.relation.kind,
                    e.relation.to.clone(),
                    e.relation.key().map(str::to_string),
                )
            };
            key(a).cmp(&key(b))
        });
        (
            nodes
                .into_iter()
                .map(|(id, d)| (id.to_string(), d))
                .collect(),
            edges.into_iter().map(|e| e.id()).collect(),
            truncated,
            omitted,
            last,
        )
    }

    /// Hubs with far more relations than [`SORTED_FROM`], relations added and withdrawn
    /// across that bound through changes, and every neighbourhood compared with the one its
    /// definition gives.
    #[test]
    fn neighbourhoods_at_hubs_are_the_ones_the_definition_gives() {
        use crate::model::Change;
        let dice = &mut Dice(7);
        let n = 400;
        let cid = |i: usize| format!("country:c{i}");
        let nodes = (0..n)
            .map(|i| country(&format!("c{i}"), &format!("C{i}")))
            .chain([doc()])
            .collect();
        let mut relations = Vec::new();
        let mut pairs = std::collections::HashSet::new();
        for _ in 0..3000 {
            // Skewed ends: the first few countries are hubs.
            let a = if dice.roll(3) == 0 {
                dice.roll(4)
            } else {
                dice.roll(n)
            };
            let b = dice.roll(n);
            let kind = [RelationKind::AllyOf, RelationKind::Pressures][dice.roll(2)];
            if pairs.insert((a, b, kind)) {
                relations.push(relation(kind, &cid(a), &cid(b)));
            }
        }
        let mut g = KnowledgeGraph::build(nodes, relations.clone()).unwrap();
        assert!(g.topology.halves(g.index_of(&id(&cid(0))).unwrap()).len() > 2 * SORTED_FROM);
        let bounds = BOUNDS;
        for round in 0..12 {
            if round > 0 {
                // Withdraw and add relations at a hub, so its list crosses the bound.
                let mut changes = Vec::new();
                for _ in 0..40 {
                    let r = &relations[dice.roll(relations.len())];
                    if g.edge_index(&r.id()).is_some() && !changes.iter().any(|c: &Change| matches!(c, Change::RetractRelation { id, .. } if *id == r.id())) {
                        changes.push(Change::RetractRelation { id: r.id(), reason: "test".into(), sources: cite() });
                    }
                }
                for _ in 0..40 {
                    let (a, b) = (dice.roll(4), dice.roll(n));
                    if pairs.insert((a, b, RelationKind::AllyOf)) {
                        let r = relation(RelationKind::AllyOf, &cid(a), &cid(b));
                        relations.push(r.clone());
                        changes.push(Change::AddRelation { relation: r });
                    }
                }
                g.apply(changes).unwrap();
                g.topology_view();
            }
            for _ in 0..25 {
                let seed = id(&cid(if dice.roll(2) == 0 {
                    dice.roll(6)
                } else {
                    dice.roll(n)
                }));
                let depth = 1 + dice.roll(3);
                let limit = [1, 2, 7, 40, 90, 200, 399][dice.roll(7)];
                let direction =
                    [Direction::Both, Direction::Outgoing, Direction::Incoming][dice.roll(3)];
                let got = g
                    .neighborhood(
                        std::slice::from_ref(&seed),
                        depth,
                        Only::All,
                        direction,
                        Only::All,
                        limit,
                        None,
                        &bounds,
                    )
                    .unwrap();
                let (omitted, exact) = (got.omitted, got.omitted_exact);
                let got = (
                    got.nodes
                        .iter()
                        .map(|n| (n.node.id.to_string(), n.depth))
                        .collect::<Vec<_>>(),
                    got.edges.iter().map(|e| e.id()).collect::<Vec<_>>(),
                    got.truncated,
                );
                let (nodes, edges, truncated, met_past, last) =
                    neighbourhood_by_definition(&g, &seed, depth, direction, limit);
                let at = format!("{seed} depth {depth} limit {limit} {direction:?}");
                assert_eq!(got, (nodes, edges, truncated), "{at}");
                // The count of what was left out: exact only when nothing past it was in
                // reach, else a lower bound that is never more than the level's excess.
                assert_eq!(omitted > 0, truncated, "{at}");
                assert!(omitted <= met_past, "{at}: {omitted} > {met_past}");
                if exact {
                    assert!(last, "{at}: exact, though levels were left unwalked");
                    assert_eq!(omitted, met_past, "{at}");
                }
            }
        }
    }
}

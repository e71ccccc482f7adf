//! Neighbours of a node by relation kind and direction.

use std::borrow::Cow;

use petgraph::stable_graph::NodeIndex;

use super::topology::Half;
use super::{Edge, KnowledgeGraph, Only, interrupt};
use crate::model::{EntityId, Node, RelationKind};

/// Which edges of a node to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Edges that start at the node.
    Outgoing,
    /// Edges that end at the node.
    Incoming,
    /// Both.
    Both,
}

impl Direction {
    /// True when a relation this end of it (`half`) sees is followed this way: symmetric
    /// relations (rivals, allies) either way.
    pub(super) fn follows(self, half: &Half) -> bool {
        match self {
            Direction::Both => true,
            Direction::Outgoing => half.outgoing() || half.kind.is_symmetric(),
            Direction::Incoming => !half.outgoing() || half.kind.is_symmetric(),
        }
    }
}

/// A node next to another, and the edge between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Neighbor<'g> {
    /// The node at the other end.
    pub node: &'g Node,
    /// The edge.
    pub edge: &'g Edge,
    /// True when the edge starts at the node asked about.
    pub outgoing: bool,
}

/// Where a relation sits among a node's relations, as [`KnowledgeGraph::neighbors`]
/// orders them: by relation kind, outgoing before incoming, the other end's id, then
/// the relation's key where the data names one, which makes every key of a list unique
/// (the four make the relation's id).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NeighborKey<'a> {
    /// The relation's kind.
    pub kind: RelationKind,
    /// True when the relation ends at the node asked about.
    pub incoming: bool,
    /// The id of the node at the other end.
    pub other: Cow<'a, EntityId>,
    /// The relation's key, where two relations of one kind join the same ends.
    pub key: Option<Cow<'a, str>>,
}

impl<'g> Neighbor<'g> {
    /// Where the neighbour sits in its list.
    pub fn key(&self) -> NeighborKey<'g> {
        NeighborKey {
            kind: self.edge.relation.kind,
            incoming: !self.outgoing,
            other: Cow::Borrowed(&self.node.id),
            key: self.edge.relation.key().map(Cow::Borrowed),
        }
    }
}

impl KnowledgeGraph {
    /// The neighbours of `id` over edges of `relations` in `direction`, ordered by relation kind, then outgoing first,
    /// then neighbour id, then relation key ([`NeighborKey`]). Symmetric
    /// relations (rivals, allies) match in either direction. Unknown ids have
    /// no neighbours.
    pub fn neighbors(
        &self,
        id: &EntityId,
        relations: Only<'_, RelationKind>,
        direction: Direction,
    ) -> Vec<Neighbor<'_>> {
        match self.index_of(id) {
            Some(ix) => self.neighbors_at(ix, relations, direction),
            None => Vec::new(),
        }
    }

    /// [`KnowledgeGraph::neighbors`] of the node at `ix`.
    pub(super) fn neighbors_at(
        &self,
        ix: NodeIndex,
        relations: Only<'_, RelationKind>,
        direction: Direction,
    ) -> Vec<Neighbor<'_>> {
        // A hub's relations of the kinds asked for are found by binary search among its
        // grouped positions; any other node's compact list says each relation's kind and
        // direction. Either way only the relations kept are read.
        if let Some(all) = self.hub_neighbors(ix, relations, direction) {
            return all;
        }
        let mut out = Vec::new();
        for h in interrupt::checked(self.topology.halves(ix).iter()) {
            if direction.follows(h) && relations.admits(&h.kind) {
                out.push(self.neighbor_at(h));
            }
        }
        out.sort_by(|a, b| a.key().cmp(&b.key()));
        out
    }

    /// The relation `half` of a node's list, read.
    pub(super) fn neighbor_at(&self, half: &Half) -> Neighbor<'_> {
        Neighbor {
            node: &self.graph[half.other],
            edge: &self.graph[half.edge],
            outgoing: half.outgoing(),
        }
    }

    /// The nodes joined to `id` by `relation` in `direction`, ordered by id.
    pub fn related(
        &self,
        id: &EntityId,
        relation: RelationKind,
        direction: Direction,
    ) -> Vec<&Node> {
        let mut nodes: Vec<&Node> = self
            .neighbors(id, Only::These(&[relation]), direction)
            .into_iter()
            .map(|n| n.node)
            .collect();
        nodes.dedup_by(|a, b| a.id == b.id);
        nodes
    }
}

impl KnowledgeGraph {
    /// People holding a role in a country or in a body based there, by id.
    pub fn officials_of(&self, country: &EntityId) -> Vec<&Node> {
        let mut people = self.related(country, RelationKind::HoldsRole, Direction::Incoming);
        for body in self.related(country, RelationKind::BasedIn, Direction::Incoming) {
            people.extend(self.related(&body.id, RelationKind::HoldsRole, Direction::Incoming));
        }
        people.sort_by(|a, b| a.id.cmp(&b.id));
        people.dedup_by(|a, b| a.id == b.id);
        people
    }

    /// Members of a body and people holding a role in it, by id.
    pub fn members_of(&self, org: &EntityId) -> Vec<&Node> {
        let mut members = self.related(org, RelationKind::MemberOf, Direction::Incoming);
        members.extend(self.related(org, RelationKind::HoldsRole, Direction::Incoming));
        members.sort_by(|a, b| a.id.cmp(&b.id));
        members.dedup_by(|a, b| a.id == b.id);
        members
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::RelationDetails;

    fn graph() -> KnowledgeGraph {
        KnowledgeGraph::build(
            vec![
                country("jp", "Japan"),
                country("kr", "South Korea"),
                country("us", "United States"),
            ],
            vec![
                relation(RelationKind::RivalOf, "country:kr", "country:jp"),
                relation(RelationKind::AllyOf, "country:us", "country:jp"),
                relation(RelationKind::AllyOf, "country:us", "country:kr"),
                relation(RelationKind::Pressures, "country:us", "country:kr"),
                relation(RelationKind::Pressures, "country:us", "country:jp"),
            ],
        )
        .unwrap()
    }

    fn ids<'g>(ns: &[Neighbor<'g>]) -> Vec<(&'static str, &'g str, bool)> {
        ns.iter()
            .map(|n| {
                (
                    n.edge.relation.kind.as_str(),
                    n.node.id.as_str(),
                    n.outgoing,
                )
            })
            .collect()
    }

    #[test]
    fn directed_relations_follow_their_direction() {
        let g = graph();
        let kr = id("country:kr");
        assert_eq!(
            ids(&g.neighbors(
                &kr,
                Only::These(&[RelationKind::Pressures]),
                Direction::Incoming
            )),
            [("pressures", "country:us", false)]
        );
        assert!(
            g.neighbors(
                &kr,
                Only::These(&[RelationKind::Pressures]),
                Direction::Outgoing
            )
            .is_empty()
        );
    }

    #[test]
    fn symmetric_relations_match_either_way() {
        let g = graph();
        let jp = id("country:jp");
        assert_eq!(
            ids(&g.neighbors(
                &jp,
                Only::These(&[RelationKind::RivalOf]),
                Direction::Outgoing
            )),
            [("rival-of", "country:kr", false)]
        );
        let allies = g.related(&id("country:kr"), RelationKind::AllyOf, Direction::Outgoing);
        assert_eq!(
            allies.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(),
            ["country:us"]
        );
    }

    #[test]
    fn all_relations_ordered_by_kind_then_direction_then_id() {
        let g = graph();
        let us = g.neighbors(&id("country:us"), Only::All, Direction::Both);
        assert_eq!(
            ids(&us),
            [
                ("ally-of", "country:jp", true),
                ("ally-of", "country:kr", true),
                ("pressures", "country:jp", true),
                ("pressures", "country:kr", true),
            ]
        );
        assert!(
            g.neighbors(&id("country:xx"), Only::All, Direction::Both)
                .is_empty(),
            "unknown ids have no neighbours"
        );
    }

    #[test]
    fn relations_alike_but_for_their_key_are_ordered_by_relation_id() {
        let keyed = |key: &str| {
            relation(RelationKind::Pressures, "country:us", "country:jp").with_details(
                RelationDetails {
                    key: Some(key.into()),
                    ..RelationDetails::default()
                },
            )
        };
        let g = KnowledgeGraph::build(
            vec![country("jp", "Japan"), country("us", "United States")],
            vec![keyed("tariffs"), keyed("autos")],
        )
        .unwrap();
        let found = g.neighbors(&id("country:jp"), Only::All, Direction::Both);
        let keys: Vec<NeighborKey<'_>> = found.iter().map(Neighbor::key).collect();
        assert_eq!(
            keys.iter().map(|k| k.key.as_deref()).collect::<Vec<_>>(),
            [Some("autos"), Some("tariffs")]
        );
        assert!(
            keys.windows(2).all(|w| w[0] < w[1]),
            "keys are unique and in order"
        );
    }
}

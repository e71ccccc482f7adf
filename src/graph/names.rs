//! Each kind's nodes by name (ignoring case, then by id), so that a page of any list by
//! name, either way, is read in order and stops when full. Kept as node indexes in
//! chunks, the names themselves staying in the nodes; beside each chunk, the first bytes
//! of its last name as a number, so that a rename finds its chunks without reading the
//! names of others.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::ops::Range;

use petgraph::stable_graph::NodeIndex;

use super::chunked::Chunked;
use super::lanes::{Lane, fold_into, fold_prefix, folded_prefix};
use crate::model::{Node, NodeKind};

/// One kind's nodes by name.
#[derive(Debug, Clone, Default)]
struct NameList {
    items: Chunked,
    /// For each chunk, [`fold_prefix`] of its last node's name: a chunk whose fence comes
    /// before a name's prefix holds only nodes before it, one whose fence comes after, only
    /// nodes after its last.
    fences: Vec<u128>,
}

impl NameList {
    fn of<'a>(items: Chunked, node: impl Fn(u32) -> &'a Node) -> Self {
        let mut list = NameList {
            items,
            fences: Vec::new(),
        };
        list.fence_all(node);
        list
    }

    /// Sets every chunk's fence, after a chunk was split or went.
    fn fence_all<'a>(&mut self, node: impl Fn(u32) -> &'a Node) {
        let items = &self.items;
        self.fences = (0..items.chunk_count())
            .map(|c| {
                items
                    .chunk_last(c)
                    .map_or(0, |x| fold_prefix(&node(x).name))
            })
            .collect();
    }

    /// Sets the fence of chunk `c`.
    fn fence<'a>(&mut self, c: usize, node: impl Fn(u32) -> &'a Node) {
        if let (Some(fence), Some(x)) = (self.fences.get_mut(c), self.items.chunk_last(c)) {
            *fence = fold_prefix(&node(x).name);
        }
    }

    /// The first chunk whose last node is not `before` the node `of`: found by the fences
    /// where they differ from the name's prefix, by `before` where they tie.
    fn chunk_for(&self, of: &Node, mut before: impl FnMut(u32) -> bool) -> usize {
        let prefix = fold_prefix(&of.name);
        self.items
            .partition_chunks(|c, last| match self.fences[c].cmp(&prefix) {
                Ordering::Less => true,
                Ordering::Greater => false,
                Ordering::Equal => before(last),
            })
    }

    fn insert<'a>(&mut self, x: u32, of: &Node, node: impl Fn(u32) -> &'a Node + Copy) {
        let slot = Lane::Name.slot(of);
        let before = |y: u32| Lane::Name.compare(&Lane::Name.slot(node(y)), &slot).is_lt();
        let c = self.chunk_for(of, before);
        let at = self.items.partition_in(c, before);
        let chunks = self.items.chunk_count();
        self.items.insert(at, x);
        match self.items.chunk_of(at) {
            Some(_) if self.items.chunk_count() != chunks => self.fence_all(node),
            Some((c, true)) => self.fence(c, node),
            _ => {}
        }
    }

    fn remove<'a>(&mut self, x: u32, of: &Node, node: impl Fn(u32) -> &'a Node + Copy) {
        let slot = Lane::Name.slot(of);
        let before = |y: u32| Lane::Name.compare(&Lane::Name.slot(node(y)), &slot).is_lt();
        let c = self.chunk_for(of, |y| y != x && before(y));
        // A list that lost its order is searched whole rather than left with a stale item.
        let Some(at) = self
            .items
            .find_in(c, x)
            .or_else(|| self.items.iter().position(|y| y == x))
        else {
            return;
        };
        let (c, last) = self.items.chunk_of(at).unwrap_or((0, false));
        let chunks = self.items.chunk_count();
        self.items.remove(at);
        if self.items.chunk_count() != chunks {
            self.fence_all(node);
        } else if last {
            self.fence(c, node);
        }
    }
}

/// The nodes of each kind in the order by name.
#[derive(Debug, Clone, Default)]
pub(crate) struct NameLists(HashMap<NodeKind, NameList>);

impl NameLists {
    /// Adds a node at its name's place; `node` reads the nodes already in.
    pub fn insert<'a>(&mut self, ix: NodeIndex, of: &Node, node: impl Fn(u32) -> &'a Node + Copy) {
        let list = self.0.entry(of.kind()).or_default();
        list.insert(ix.index() as u32, of, node);
    }

    /// Takes a node out, as it was when it was added.
    pub fn remove<'a>(&mut self, ix: NodeIndex, of: &Node, node: impl Fn(u32) -> &'a Node + Copy) {
        if let Some(list) = self.0.get_mut(&of.kind()) {
            list.remove(ix.index() as u32, of, node);
            if list.items.is_empty() {
                self.0.remove(&of.kind());
            }
        }
    }

    /// The nodes of `kind` by name.
    pub fn list(&self, kind: NodeKind) -> Option<&Chunked> {
        self.0.get(&kind).map(|list| &list.items)
    }

    /// Puts the list of `kind`, its nodes `nodes`, in order whole. Each name is folded
    /// once, in the order the nodes come (for a load, the order of their memory), into
    /// one text; the nodes are sorted by the first bytes of their folded names as a
    /// number, then each run whose numbers tie by the whole folded names, which lie side
    /// by side (generated and real names share long openings: "Analysis: talks …"), then
    /// by id.
    pub fn build<'a>(
        &mut self,
        kind: NodeKind,
        nodes: impl Iterator<Item = NodeIndex>,
        node: impl Fn(u32) -> &'a Node + Copy,
    ) {
        let mut folded = String::new();
        let mut keyed: Vec<(u128, u32, Range<usize>)> = nodes
            .map(|ix| {
                let x = ix.index() as u32;
                let start = folded.len();
                fold_into(&node(x).name, &mut folded);
                (folded_prefix(&folded[start..]), x, start..folded.len())
            })
            .collect();
        keyed.sort_unstable_by_key(|&(prefix, ..)| prefix);
        let text = folded.as_bytes();
        for run in keyed.chunk_by_mut(|a, b| a.0 == b.0) {
            if run.len() > 1 {
                run.sort_unstable_by(|(_, x, a), (_, y, b)| {
                    text[a.clone()]
                        .cmp(&text[b.clone()])
                        .then_with(|| node(*x).id.cmp(&node(*y).id))
                });
            }
        }
        let order: Vec<u32> = keyed.iter().map(|&(_, x, _)| x).collect();
        let list = NameList::of(Chunked::from_sorted(&order), node);
        self.0.insert(kind, list);
    }

    /// The bytes the lists take on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.0
            .values()
            .map(|list| list.items.heap_bytes() + list.fences.capacity() * size_of::<u128>())
            .sum()
    }

    /// Each kind's list, each node named by `name`, for tests to compare lists kept in
    /// place with lists built afresh; and each list's fences checked.
    #[cfg(test)]
    pub fn view<'a>(
        &self,
        node: impl Fn(u32) -> &'a Node + Copy,
        name: &dyn Fn(u32) -> String,
    ) -> Vec<String> {
        let mut out: Vec<String> = self
            .0
            .iter()
            .map(|(kind, list)| {
                let mut fenced = list.clone();
                fenced.fence_all(node);
                assert_eq!(fenced.fences, list.fences, "{kind:?}: fences");
                let names: Vec<String> = list.items.iter().map(name).collect();
                format!("{kind:?}: {}", names.join(" "))
            })
            .collect();
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::testing::country;

    /// A list built whole is in the order a list kept node by node compares by: names
    /// tying on their first sixteen bytes, letters past ASCII, the same name twice.
    #[test]
    fn a_list_built_whole_is_in_the_order_by_name_then_id() {
        let names = [
            "Analysis: talks with Japan",
            "analysis: talks with japan",
            "ANALYSIS: TALKS WITH CHINA",
            "Analysis: talks",
            "Analysis: talks with",
            "Analysis: talks wíth Japan",
            "analysis: talks with \u{212a}orea",
            "analysis: talks with korea",
            "ΣΊΣΥΦΟΣ and the long road",
            "σίσυφος and the long road",
            "Zebra",
            "zebra",
            "Ärger über die Zölle",
            "arger uber die zolle",
            "b",
        ];
        let nodes: Vec<Node> = names
            .iter()
            .enumerate()
            .map(|(i, name)| country(&format!("c{:02}", names.len() - i), name))
            .collect();
        let node = |x: u32| &nodes[x as usize];
        let mut lists = NameLists::default();
        lists.build(
            NodeKind::Country,
            (0..nodes.len()).map(NodeIndex::new),
            node,
        );
        let built: Vec<u32> = lists
            .list(NodeKind::Country)
            .map(|list| list.iter().collect())
            .unwrap_or_default();
        let mut want: Vec<u32> = (0..nodes.len() as u32).collect();
        want.sort_by(|&a, &b| {
            Lane::Name.compare(&Lane::Name.slot(node(a)), &Lane::Name.slot(node(b)))
        });
        let named = |xs: &[u32]| {
            xs.iter()
                .map(|&x| node(x).id.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(named(&built), named(&want));
        let mut one_by_one = NameLists::default();
        for x in 0..nodes.len() {
            one_by_one.insert(NodeIndex::new(x), node(x as u32), node);
        }
        let kept: Vec<u32> = one_by_one
            .list(NodeKind::Country)
            .map(|list| list.iter().collect())
            .unwrap_or_default();
        assert_eq!(named(&kept), named(&want));
    }
}

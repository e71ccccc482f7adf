//! A typed front for filtering and ordering commitments, and the commitments of each
//! pledger, beneficiary and deal kept in the orders lists read them in.

use std::ops::Bound;

use petgraph::stable_graph::NodeIndex;
use rust_decimal::Decimal;

use super::amounts::MoneyIndex;
use super::chunked::Chunked;
use super::lanes::{self, Lane, Slot, Walk, place_of, take_out};
use super::query::{Field, Filter, Op, Order, Value};
use super::{FastMap, KnowledgeGraph};
use crate::model::{
    Commitment, CommitmentKind, CommitmentStatus, Currency, EntityId, Node, NodeData, NodeKind,
    Period,
};

/// An inclusive range of decimals; an open end is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DecimalRange {
    /// The least value allowed.
    pub min: Option<Decimal>,
    /// The greatest value allowed.
    pub max: Option<Decimal>,
}

/// Which commitments to return. Each list matches any of its values; an
/// empty list or `None` does not filter. All given criteria must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommitmentFilter {
    /// Made by one of these.
    pub pledgers: Vec<EntityId>,
    /// To the benefit of one of these.
    pub beneficiaries: Vec<EntityId>,
    /// Part of one of these deals.
    pub deals: Vec<EntityId>,
    /// Of one of these kinds.
    pub kinds: Vec<CommitmentKind>,
    /// Currently in one of these statuses.
    pub statuses: Vec<CommitmentStatus>,
    /// With a current money amount in one of these currencies.
    pub currencies: Vec<Currency>,
    /// With one of these periods.
    pub periods: Vec<Period>,
    /// With a current money amount in this range.
    pub amount: DecimalRange,
    /// Leave out commitments that are part of another (so sums never count twice).
    pub top_level_only: bool,
}

/// The order of a commitment list; every order ends with the id, so it is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CommitmentOrder {
    /// By id.
    #[default]
    Id,
    /// By name, then id.
    Name,
    /// Money first, by currency then amount ascending; others after.
    AmountAsc,
    /// Money first, by currency then amount descending; others after.
    AmountDesc,
}

impl CommitmentFilter {
    /// The generic filter this asks for.
    pub fn to_filter(&self) -> Filter {
        let ids = |field, list: &[EntityId]| {
            Filter::Test(field, Op::In(list.iter().cloned().map(Value::Id).collect()))
        };
        let names = |field, list: Vec<&'static str>| {
            Filter::Test(
                field,
                Op::In(list.into_iter().map(|n| Value::Text(n.into())).collect()),
            )
        };
        let mut all = Vec::new();
        if !self.pledgers.is_empty() {
            all.push(ids(Field::Pledger, &self.pledgers));
        }
        if !self.beneficiaries.is_empty() {
            all.push(ids(Field::Beneficiary, &self.beneficiaries));
        }
        if !self.deals.is_empty() {
            all.push(ids(Field::Deal, &self.deals));
        }
        if !self.kinds.is_empty() {
            all.push(names(
                Field::Kind,
                self.kinds.iter().map(|k| k.as_str()).collect(),
            ));
        }
        if !self.statuses.is_empty() {
            all.push(names(
                Field::Status,
                self.statuses.iter().map(|k| k.as_str()).collect(),
            ));
        }
        if !self.periods.is_empty() {
            all.push(names(
                Field::Period,
                self.periods.iter().map(|k| k.as_str()).collect(),
            ));
        }
        if !self.currencies.is_empty() {
            let codes = self
                .currencies
                .iter()
                .map(|c| Value::Text(c.to_string()))
                .collect();
            all.push(Filter::Test(Field::Currency, Op::In(codes)));
        }
        if let Some(min) = self.amount.min {
            all.push(Filter::Test(Field::Amount, Op::Gte(Value::Decimal(min))));
        }
        if let Some(max) = self.amount.max {
            all.push(Filter::Test(Field::Amount, Op::Lte(Value::Decimal(max))));
        }
        if self.top_level_only {
            all.push(Filter::Not(Box::new(Filter::Test(
                Field::PartOf,
                Op::Exists,
            ))));
        }
        Filter::All(all)
    }
}

impl CommitmentOrder {
    /// The generic ordering this asks for.
    pub fn to_orders(self) -> Vec<Order> {
        let by = |field, descending| vec![Order { field, descending }];
        match self {
            CommitmentOrder::Id => Vec::new(),
            CommitmentOrder::Name => by(Field::Name, false),
            CommitmentOrder::AmountAsc => by(Field::Amount, false),
            CommitmentOrder::AmountDesc => by(Field::Amount, true),
        }
    }
}

/// The entities a commitment names that lists of commitments are kept for: a page of the
/// commitments naming one of them is read from its list in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Role {
    /// The pledger.
    Pledger,
    /// Each beneficiary.
    Beneficiary,
    /// The deal.
    Deal,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 3] = [Role::Pledger, Role::Beneficiary, Role::Deal];

    /// The role a filter's field tests, when lists are kept for it.
    pub fn of(field: Field) -> Option<Role> {
        match field {
            Field::Pledger => Some(Role::Pledger),
            Field::Beneficiary => Some(Role::Beneficiary),
            Field::Deal => Some(Role::Deal),
            _ => None,
        }
    }

    /// True when no commitment names two entities in this role, so that the books of
    /// several entities never share a commitment.
    pub fn apart(self) -> bool {
        self != Role::Beneficiary
    }

    fn index(self) -> usize {
        match self {
            Role::Pledger => 0,
            Role::Beneficiary => 1,
            Role::Deal => 2,
        }
    }

    /// True when `c` names `id` in this role.
    fn names(self, c: &Commitment, id: &EntityId) -> bool {
        match self {
            Role::Pledger => c.pledger == *id,
            Role::Beneficiary => c.beneficiaries.contains(id),
            Role::Deal => c.deal.as_ref() == Some(id),
        }
    }

    /// Calls `f` with each entity `c` names in this role, once each.
    fn each<'c>(self, c: &'c Commitment, mut f: impl FnMut(&'c EntityId)) {
        match self {
            Role::Pledger => f(&c.pledger),
            Role::Beneficiary => {
                for (i, b) in c.beneficiaries.iter().enumerate() {
                    if !c.beneficiaries[..i].contains(b) {
                        f(b);
                    }
                }
            }
            Role::Deal => {
                if let Some(deal) = &c.deal {
                    f(deal);
                }
            }
        }
    }
}

/// How many commitments a book holds before it keeps its lanes: a page of so few sorts
/// them when asked, for less than lanes would weigh. (Few in tests, so that they keep
/// lanes and give them up as the tests' books grow and shrink.)
const FEW: usize = if cfg!(test) { 4 } else { 32 };

/// The commitments naming one entity in one role.
#[derive(Debug, Clone)]
enum Book {
    /// A few, in id order; a page of them sorts them in its lane.
    Few(Vec<u32>),
    /// More, in each lane kept.
    Many(Box<Lanes>),
}

/// A list of commitments in each lane kept ([`Lane::KEPT`]).
#[derive(Debug, Clone, Default)]
struct Lanes {
    id: Chunked,
    name: Chunked,
    rising: Chunked,
    falling: Chunked,
}

impl Lanes {
    /// The lanes of `members`, in id order.
    fn of<'a>(members: &[u32], node: impl Fn(u32) -> &'a Node + Copy) -> Self {
        let mut lanes = Lanes {
            id: Chunked::from_sorted(members),
            ..Lanes::default()
        };
        for lane in [Lane::Name, Lane::Rising, Lane::Falling] {
            let mut sorted = members.to_vec();
            sorted.sort_unstable_by(|&a, &b| lane.compare_nodes(node(a), node(b)));
            *lanes.get_mut(lane) = Chunked::from_sorted(&sorted);
        }
        lanes
    }

    fn get(&self, lane: Lane) -> &Chunked {
        match lane.kept() {
            Lane::Name => &self.name,
            Lane::Rising => &self.rising,
            Lane::Falling => &self.falling,
            _ => &self.id,
        }
    }

    fn get_mut(&mut self, lane: Lane) -> &mut Chunked {
        match lane.kept() {
            Lane::Name => &mut self.name,
            Lane::Rising => &mut self.rising,
            Lane::Falling => &mut self.falling,
            _ => &mut self.id,
        }
    }
}

impl Book {
    fn len(&self) -> usize {
        match self {
            Book::Few(members) => members.len(),
            Book::Many(lanes) => lanes.id.len(),
        }
    }

    /// Adds `x`, the node `of`; `node` reads the nodes already in.
    fn insert<'a>(&mut self, x: u32, of: &Node, node: impl Fn(u32) -> &'a Node + Copy) {
        match self {
            Book::Few(members) => {
                let at = members.partition_point(|&m| node(m).id < of.id);
                members.insert(at, x);
                if members.len() > FEW {
                    *self = Book::Many(Box::new(Lanes::of(members, node)));
                }
            }
            Book::Many(lanes) => {
                for lane in Lane::KEPT {
                    let list = lanes.get_mut(lane);
                    let at = place_of(list, lane, of, node);
                    list.insert(at, x);
                }
            }
        }
    }

    /// Takes out `x`, the node `of` as it was when it was added.
    fn remove<'a>(&mut self, x: u32, of: &Node, node: impl Fn(u32) -> &'a Node + Copy) {
        match self {
            Book::Few(members) => members.retain(|&m| m != x),
            Book::Many(lanes) => {
                for lane in Lane::KEPT {
                    take_out(lanes.get_mut(lane), lane, x, of, node);
                }
                // Well below the bound, so that a book at it does not switch at each change.
                if lanes.id.len() < FEW / 2 {
                    *self = Book::Few(lanes.id.iter().collect());
                }
            }
        }
    }

    /// Takes `x`, the node `of`, out of the lists of `lanes` alone, where a book keeps them.
    fn take_lanes<'a>(
        &mut self,
        x: u32,
        of: &Node,
        moved: &[Lane],
        node: impl Fn(u32) -> &'a Node + Copy,
    ) {
        if let Book::Many(lanes) = self {
            for &lane in moved {
                take_out(lanes.get_mut(lane), lane, x, of, node);
            }
        }
    }

    /// Puts `x`, the node `of`, back in the lists of `lanes` alone, where a book keeps them.
    fn put_lanes<'a>(
        &mut self,
        x: u32,
        of: &Node,
        moved: &[Lane],
        node: impl Fn(u32) -> &'a Node + Copy,
    ) {
        if let Book::Many(lanes) = self {
            for &lane in moved {
                let list = lanes.get_mut(lane);
                let at = place_of(list, lane, of, node);
                list.insert(at, x);
            }
        }
    }

    /// The commitments past `from` in `lane`'s order (forward) or against it (backward).
    fn walk<'a, N>(&'a self, lane: Lane, from: Bound<&Slot<'_>>, forward: bool, node: N) -> Walk<'a>
    where
        N: Fn(u32) -> &'a Node + Copy + 'a,
    {
        match self {
            Book::Many(lanes) => lanes::walk(lanes.get(lane), lane, from, forward, node),
            Book::Few(members) => {
                let mut sorted = members.clone();
                if lane != Lane::Id {
                    sorted.sort_unstable_by(|&a, &b| lane.compare_nodes(node(a), node(b)));
                }
                let list = Chunked::from_sorted(&sorted);
                let items: Vec<NodeIndex> =
                    lanes::in_order(&list, lane, from, forward, node).collect();
                Box::new(items.into_iter())
            }
        }
    }
}

/// The lanes a change from `old` to `new` moves a commitment in: by name when its name
/// changes, by amount when its current money amount does.
fn moved(old: &Node, new: &Node) -> Vec<Lane> {
    let mut lanes = Vec::new();
    if old.name != new.name {
        lanes.push(Lane::Name);
    }
    if MoneyIndex::key(old) != MoneyIndex::key(new) {
        lanes.extend([Lane::Rising, Lane::Falling]);
    }
    lanes
}

/// The commitments naming each pledger, each beneficiary and each deal, in every lane, so
/// that a page of them is read in order and stops when full. A book of a few keeps them
/// in id order alone; a larger one keeps each lane's list, of node indexes in chunks.
/// Moved by every change, as the other indexes are; built whole at the end of a load.
#[derive(Debug, Clone, Default)]
pub(crate) struct Books([FastMap<EntityId, Book>; 3]);

impl Books {
    /// Adds a node, when it is a commitment; `node` reads the nodes already in.
    pub fn insert<'a>(&mut self, ix: NodeIndex, of: &Node, node: impl Fn(u32) -> &'a Node + Copy) {
        let NodeData::Commitment(c) = &of.data else {
            return;
        };
        let x = ix.index() as u32;
        for role in Role::ALL {
            let books = &mut self.0[role.index()];
            role.each(c, |id| match books.get_mut(id) {
                Some(book) => book.insert(x, of, node),
                None => {
                    books.insert(id.clone(), Book::Few(vec![x]));
                }
            });
        }
    }

    /// Takes a node out, as it was when it was added.
    pub fn remove<'a>(&mut self, ix: NodeIndex, of: &Node, node: impl Fn(u32) -> &'a Node + Copy) {
        let NodeData::Commitment(c) = &of.data else {
            return;
        };
        let x = ix.index() as u32;
        for role in Role::ALL {
            let books = &mut self.0[role.index()];
            role.each(c, |id| {
                if let Some(book) = books.get_mut(id) {
                    book.remove(x, of, node);
                    if book.len() == 0 {
                        books.remove(id);
                    }
                }
            });
        }
    }

    /// Before the node at `ix` changes from `old` to `new` (`old` still in the graph):
    /// takes it out of the books `new` leaves, and out of the lanes the change moves it in
    /// of those it stays in. A rename moves it in the lanes by name alone.
    pub fn leave<'a>(
        &mut self,
        ix: NodeIndex,
        old: &Node,
        new: &Node,
        node: impl Fn(u32) -> &'a Node + Copy,
    ) {
        let (NodeData::Commitment(o), NodeData::Commitment(n)) = (&old.data, &new.data) else {
            return self.remove(ix, old, node);
        };
        let (x, moved) = (ix.index() as u32, moved(old, new));
        for role in Role::ALL {
            let books = &mut self.0[role.index()];
            role.each(o, |id| {
                let Some(book) = books.get_mut(id) else {
                    return;
                };
                if role.names(n, id) {
                    book.take_lanes(x, old, &moved, node);
                } else {
                    book.remove(x, old, node);
                    if book.len() == 0 {
                        books.remove(id);
                    }
                }
            });
        }
    }

    /// After the node at `ix` changed from `old` to `new` (now in the graph): puts it in
    /// the books `new` enters, and back in the lanes [`Books::leave`] took it out of.
    pub fn enter<'a>(
        &mut self,
        ix: NodeIndex,
        old: &Node,
        new: &Node,
        node: impl Fn(u32) -> &'a Node + Copy,
    ) {
        let (NodeData::Commitment(o), NodeData::Commitment(n)) = (&old.data, &new.data) else {
            return self.insert(ix, new, node);
        };
        let (x, moved) = (ix.index() as u32, moved(old, new));
        for role in Role::ALL {
            let books = &mut self.0[role.index()];
            role.each(n, |id| match books.get_mut(id) {
                Some(book) if role.names(o, id) => book.put_lanes(x, new, &moved, node),
                Some(book) => book.insert(x, new, node),
                None => {
                    books.insert(id.clone(), Book::Few(vec![x]));
                }
            });
        }
    }

    /// How many commitments name `id` in `role`.
    pub fn len(&self, role: Role, id: &EntityId) -> usize {
        self.0[role.index()].get(id).map_or(0, Book::len)
    }

    /// The commitments naming `id` in `role` past `from`, in `lane`'s order (forward) or
    /// against it (backward).
    pub fn walk<'a, N>(
        &'a self,
        role: Role,
        id: &EntityId,
        lane: Lane,
        from: Bound<&Slot<'_>>,
        forward: bool,
        node: N,
    ) -> Walk<'a>
    where
        N: Fn(u32) -> &'a Node + Copy + 'a,
    {
        match self.0[role.index()].get(id) {
            Some(book) => book.walk(lane, from, forward, node),
            None => Box::new(std::iter::empty()),
        }
    }

    /// The books of `commitments`, given in id order, built whole: each book's lanes are
    /// cut from every commitment's order in that lane (`order`), read once, so that no two
    /// commitments are compared. `bound` bounds the node indexes.
    pub fn build<'a>(
        commitments: impl Iterator<Item = NodeIndex>,
        order: impl Fn(Lane) -> Walk<'a>,
        bound: usize,
        node: impl Fn(u32) -> &'a Node + Copy,
    ) -> Self {
        let mut members: [FastMap<EntityId, Vec<u32>>; 3] = Default::default();
        for ix in commitments {
            let x = ix.index() as u32;
            let NodeData::Commitment(c) = &node(x).data else {
                continue;
            };
            for role in Role::ALL {
                let lists = &mut members[role.index()];
                role.each(c, |id| match lists.get_mut(id) {
                    Some(list) => list.push(x),
                    None => {
                        lists.insert(id.clone(), vec![x]);
                    }
                });
            }
        }
        let mut books = Books::default();
        for (role, lists) in members.into_iter().enumerate() {
            books.0[role] = lists
                .into_iter()
                .map(|(id, mut list)| {
                    let book = if list.len() > FEW {
                        Book::Many(Box::new(Lanes {
                            id: Chunked::from_sorted(&list),
                            ..Lanes::default()
                        }))
                    } else {
                        list.shrink_to_fit();
                        Book::Few(list)
                    };
                    (id, book)
                })
                .collect();
        }
        // Each lane in turn: every commitment's rank in it, then each book's list sorted
        // by those ranks.
        let mut rank: Vec<u32> = vec![u32::MAX; bound];
        for lane in [Lane::Name, Lane::Rising, Lane::Falling] {
            for (r, ix) in order(lane).enumerate() {
                if let Some(slot) = rank.get_mut(ix.index()) {
                    *slot = r as u32;
                }
            }
            for book in books.0.iter_mut().flat_map(|b| b.values_mut()) {
                if let Book::Many(lanes) = book {
                    let mut sorted: Vec<u32> = lanes.id.iter().collect();
                    sorted.sort_unstable_by_key(|&x| rank.get(x as usize).copied());
                    *lanes.get_mut(lane) = Chunked::from_sorted(&sorted);
                }
            }
        }
        books
    }

    /// The bytes the books take on the heap, their tables' entries included.
    pub fn heap_bytes(&self) -> usize {
        let entry = size_of::<(EntityId, Book)>() + 1;
        self.0
            .iter()
            .map(|books| {
                books.capacity() * entry
                    + books
                        .values()
                        .map(|book| match book {
                            Book::Few(members) => members.capacity() * 4,
                            Book::Many(lanes) => {
                                size_of::<Lanes>()
                                    + Lane::KEPT
                                        .iter()
                                        .map(|&l| lanes.get(l).heap_bytes())
                                        .sum::<usize>()
                            }
                        })
                        .sum::<usize>()
            })
            .sum()
    }

    /// Every book's content in each lane, each node named by `name`, for tests to compare
    /// books kept in place with books built afresh.
    #[cfg(test)]
    pub fn view<'a>(
        &'a self,
        node: impl Fn(u32) -> &'a Node + Copy + 'a,
        name: &dyn Fn(NodeIndex) -> String,
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for role in Role::ALL {
            for (id, book) in &self.0[role.index()] {
                for lane in [
                    Lane::Id,
                    Lane::IdDesc,
                    Lane::Name,
                    Lane::NameDesc,
                    Lane::Rising,
                    Lane::Falling,
                ] {
                    let items: Vec<String> = book
                        .walk(lane, Bound::Unbounded, true, node)
                        .map(name)
                        .collect();
                    out.push(format!("{role:?} {id} {lane:?}: {}", items.join(" ")));
                }
            }
        }
        out.sort();
        out
    }
}

impl KnowledgeGraph {
    /// The commitments that pass `filter`, in `order`: a typed front to
    /// [`KnowledgeGraph::list`].
    pub fn commitments(&self, filter: &CommitmentFilter, order: CommitmentOrder) -> Vec<&Node> {
        self.list(
            NodeKind::Commitment,
            &filter.to_filter(),
            &order.to_orders(),
            None,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::CommitmentKind as K;

    fn graph() -> KnowledgeGraph {
        let p = pledge_of;
        pledge_graph(vec![
            p(
                "commitment:a",
                "country:jp",
                "country:us",
                K::Investment,
                Some(money("550000000000", "USD")),
                Period::OneOff,
                None,
            ),
            p(
                "commitment:b",
                "country:jp",
                "country:us",
                K::Procurement,
                Some(money("17000000000", "USD")),
                Period::Annual,
                None,
            ),
            p(
                "commitment:c",
                "country:jp",
                "country:us",
                K::Purchase,
                None,
                Period::Annual,
                Some("commitment:b"),
            ),
            p(
                "commitment:d",
                "country:kr",
                "country:us",
                K::Investment,
                Some(money("17000000000", "USD")),
                Period::OneOff,
                None,
            ),
            p(
                "commitment:e",
                "country:kr",
                "country:jp",
                K::Purchase,
                Some(money("900000000", "JPY")),
                Period::OneOff,
                None,
            ),
        ])
    }

    fn ids(nodes: Vec<&Node>) -> Vec<&str> {
        nodes.into_iter().map(|n| n.id.as_str()).collect()
    }

    #[test]
    fn no_filter_returns_all_by_id() {
        let g = graph();
        assert_eq!(
            ids(g.commitments(&CommitmentFilter::default(), CommitmentOrder::Id)),
            [
                "commitment:a",
                "commitment:b",
                "commitment:c",
                "commitment:d",
                "commitment:e"
            ]
        );
    }

    #[test]
    fn criteria_combine_and_lists_match_any() {
        let g = graph();
        let f = CommitmentFilter {
            pledgers: vec![id("country:jp")],
            kinds: vec![K::Investment, K::Procurement],
            ..Default::default()
        };
        assert_eq!(
            ids(g.commitments(&f, CommitmentOrder::Id)),
            ["commitment:a", "commitment:b"]
        );
        let f = CommitmentFilter {
            beneficiaries: vec![id("country:jp")],
            ..Default::default()
        };
        assert_eq!(
            ids(g.commitments(&f, CommitmentOrder::Id)),
            ["commitment:e"]
        );
        let f = CommitmentFilter {
            periods: vec![Period::Annual],
            top_level_only: true,
            ..Default::default()
        };
        assert_eq!(
            ids(g.commitments(&f, CommitmentOrder::Id)),
            ["commitment:b"]
        );
        let f = CommitmentFilter {
            pledgers: vec![id("country:xx")],
            ..Default::default()
        };
        assert!(g.commitments(&f, CommitmentOrder::Id).is_empty());
    }

    #[test]
    fn amount_ranges_are_inclusive_and_per_currency() {
        let g = graph();
        let dec = |s| Decimal::from_str_exact(s).unwrap();
        let range = DecimalRange {
            min: Some(dec("17000000000")),
            max: Some(dec("17000000000")),
        };
        let f = CommitmentFilter {
            amount: range,
            ..Default::default()
        };
        assert_eq!(
            ids(g.commitments(&f, CommitmentOrder::Id)),
            ["commitment:b", "commitment:d"]
        );
        let f = CommitmentFilter {
            currencies: vec!["JPY".parse().unwrap()],
            ..Default::default()
        };
        assert_eq!(
            ids(g.commitments(&f, CommitmentOrder::Id)),
            ["commitment:e"]
        );
        let f = CommitmentFilter {
            amount: DecimalRange {
                min: Some(dec("1000000000")),
                max: None,
            },
            currencies: vec!["USD".parse().unwrap()],
            ..Default::default()
        };
        assert_eq!(
            ids(g.commitments(&f, CommitmentOrder::Id)),
            ["commitment:a", "commitment:b", "commitment:d"]
        );
    }

    #[test]
    fn amount_order_groups_currencies_breaks_ties_by_id_and_puts_unpriced_last() {
        let g = graph();
        let all = CommitmentFilter::default();
        assert_eq!(
            ids(g.commitments(&all, CommitmentOrder::AmountDesc)),
            [
                "commitment:e",
                "commitment:a",
                "commitment:b",
                "commitment:d",
                "commitment:c"
            ]
        );
        assert_eq!(
            ids(g.commitments(&all, CommitmentOrder::AmountAsc)),
            [
                "commitment:e",
                "commitment:b",
                "commitment:d",
                "commitment:a",
                "commitment:c"
            ]
        );
    }
}

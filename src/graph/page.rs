//! One page of a filtered, ordered list, at the cost of the page rather than the list:
//! where an index keeps the list's order (a pledger's book, the amounts index, the kind's
//! list by id), the page is read from it in that order, each item tested by the filter,
//! and the walk stops once the page is full; any other list picks the page's items out
//! of its matches without sorting the rest. Either way the page is the very slice the
//! whole sorted list ([`KnowledgeGraph::list_by`]) would give, with the same neighbours
//! before and after.

use std::cmp::Ordering;
use std::iter::Peekable;
use std::ops::Bound;

use super::KnowledgeGraph;
use super::amounts::Span;
use super::commitments::{Lane, Slot, Walk, beyond, id_slots};
use super::query::{Field, Filter, Op, Order, Sort, SortKey, Value};
use crate::model::{Currency, EntityId, Node, NodeKind, PartialDate};

/// Which part of a list to answer, as a Relay connection asks for it: the items after
/// one key and before another, then the first `first` of them, then the last `last` of
/// those. Neither `first` nor `last` means every item between the keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Window<'k> {
    /// Only items whose key comes after this one.
    pub after: Option<SortKey<'k>>,
    /// Only items whose key comes before this one.
    pub before: Option<SortKey<'k>>,
    /// At most this many, from the start.
    pub first: Option<usize>,
    /// At most this many, from the end (of those `first` leaves).
    pub last: Option<usize>,
}

/// A page of a list: its nodes in order, and whether the whole list holds items before
/// and after them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPage<'g> {
    /// The page's nodes, in the list's order.
    pub nodes: Vec<&'g Node>,
    /// True when the list holds items before the page.
    pub has_previous: bool,
    /// True when the list holds items after the page.
    pub has_next: bool,
    /// How many items the whole list holds, when finding the page counted them anyway;
    /// otherwise [`KnowledgeGraph::count`] counts them.
    pub total: Option<usize>,
}

impl KnowledgeGraph {
    /// The page `window` selects of the nodes of `kind` that pass `filter` (values as of
    /// `as_of`), in the order of `sort`: the same nodes, in the same order, as that slice
    /// of [`KnowledgeGraph::list_by`]. A page of commitments named by their pledger, in
    /// the order by amount or by id, reads the pledgers' books in that order and stops
    /// when full; so does a page of any kind by id that no condition on a related entity
    /// narrows (read from the kind's list), and a page of commitments by amount (read
    /// from the amounts index). Any other page selects its items among the matches
    /// without sorting the others.
    pub fn page_by(
        &self,
        kind: NodeKind,
        filter: &Filter,
        sort: &Sort,
        as_of: Option<&PartialDate>,
        window: &Window<'_>,
    ) -> ListPage<'_> {
        let reader = match self.books_for(kind, filter, sort, as_of) {
            Some(books) => Some(books),
            None => self.index_for(kind, filter, sort, as_of, window),
        };
        if let Some(reader) = reader
            && let Some(page) = reader.page(window)
        {
            return page;
        }
        self.page_selected(kind, filter, sort, as_of, window)
    }

    /// How many nodes of `kind` pass `filter` (values as of `as_of`): the length of the
    /// list, counted without sorting it. Commitments filtered by their pledger alone are
    /// counted from the pledgers' books, and a kind without a filter from its list,
    /// without reading one.
    pub fn count(&self, kind: NodeKind, filter: &Filter, as_of: Option<&PartialDate>) -> usize {
        if kind == NodeKind::Commitment
            && let Some(pledgers) = filter.only_pledgers()
        {
            return pledgers.iter().map(|p| self.books.len(p)).sum();
        }
        if matches!(filter, Filter::All(fs) if fs.is_empty()) {
            return self.by_kind.get(&kind).map_or(0, |list| list.len());
        }
        self.matching(kind, filter, as_of).len()
    }

    /// The pledgers' books a page can be read from: for commitments (values as they are
    /// now) in the order by id or by amount, when the filter names their pledgers and no
    /// other condition names fewer candidates.
    fn books_for<'g, 'f>(
        &'g self,
        kind: NodeKind,
        filter: &'f Filter,
        sort: &Sort,
        as_of: Option<&'f PartialDate>,
    ) -> Option<Reader<'g, 'f>> {
        if kind != NodeKind::Commitment || as_of.is_some() {
            return None;
        }
        let lane = lane(sort)?;
        let conjuncts = filter.conjuncts();
        let mut best: Option<(usize, Vec<&EntityId>)> = None;
        for (field, op) in &conjuncts {
            if *field == Field::Pledger
                && let Some(ids) = named(op)
            {
                let size = ids.iter().map(|p| self.books.len(p)).sum();
                if best.as_ref().is_none_or(|(b, _)| size < *b) {
                    best = Some((size, ids));
                }
            }
        }
        let (size, pledgers) = best?;
        // Where another condition names fewer candidates, the list starts from those, as
        // `list_by` would; a range of amounts starts from the amounts index.
        for (field, op) in &conjuncts {
            let fewer = match (field, named(op)) {
                (Field::Pledger, _) => false,
                (Field::Amount, _) => true,
                (Field::Id, Some(ids)) => ids.len() < size,
                (f, Some(ids)) if f.edge().is_some() => {
                    let reach: usize = ids
                        .iter()
                        .filter_map(|i| self.index_of(i))
                        .map(|ix| self.topology.halves(ix).len())
                        .sum();
                    reach < size
                }
                _ => false,
            };
            if fewer {
                return None;
            }
        }
        Some(Reader {
            g: self,
            source: Source::Pledgers(pledgers),
            lane,
            filter,
            as_of: None,
        })
    }

    /// The index a page can be read from in order when no pledger's book serves it:
    /// for any kind in the order by id, its list by id; for commitments (values as they
    /// are now) in the order by amount, the amounts index, within the span of amounts
    /// and currencies the filter allows. None when a condition naming related entities
    /// (or ids) gives candidates as many as those entities' relations, which the general
    /// path then reads; nor in the order by id when the filter's span of amounts holds
    /// few enough commitments to read them all sooner than the walk would find the page.
    fn index_for<'g, 'f>(
        &'g self,
        kind: NodeKind,
        filter: &'f Filter,
        sort: &Sort,
        as_of: Option<&'f PartialDate>,
        window: &Window<'_>,
    ) -> Option<Reader<'g, 'f>> {
        let lane = lane(sort)?;
        let conjuncts = filter.conjuncts();
        let names = |(field, op): &(Field, &Op)| {
            (*field == Field::Id || field.edge().is_some())
                && matches!(op, Op::Eq(Value::Id(_)) | Op::In(_))
        };
        if conjuncts.iter().any(names) {
            return None;
        }
        let priced = (kind == NodeKind::Commitment && as_of.is_none())
            .then(|| Span::of(filter))
            .flatten();
        let source = match lane {
            Lane::Id => {
                if let Some(span) = priced.filter(Span::narrows) {
                    // A walk by id meets the span's commitments at their share of all:
                    // it reads about `need * total / within` to fill the page. Reading
                    // the span whole costs `within`: the walk is the cheaper only past
                    // the square root of `need * total`.
                    let total = self.by_kind.get(&kind).map_or(0, |list| list.len());
                    let need = window
                        .first
                        .or(window.last)
                        .map_or(total, |n| n.saturating_add(1));
                    let cap = need.saturating_mul(total).isqrt();
                    if self.money.count_within(&span, cap).is_some() {
                        return None;
                    }
                }
                Source::Kind(kind)
            }
            Lane::Rising | Lane::Falling => {
                if kind != NodeKind::Commitment || as_of.is_some() {
                    return None;
                }
                Source::Amounts(priced)
            }
        };
        Some(Reader {
            g: self,
            source,
            lane,
            filter,
            as_of,
        })
    }

    /// The page of the list, its items picked out of every match: the place of each
    /// cursor counted, then the page's items selected and only they sorted.
    fn page_selected(
        &self,
        kind: NodeKind,
        filter: &Filter,
        sort: &Sort,
        as_of: Option<&PartialDate>,
        window: &Window<'_>,
    ) -> ListPage<'_> {
        let mut keyed: Vec<(SortKey<'_>, &Node)> = self
            .matching(kind, filter, as_of)
            .into_iter()
            .map(|n| (sort.key(n, as_of), n))
            .collect();
        let total = keyed.len();
        let rank = |key: &SortKey<'_>, holds: fn(Ordering) -> bool| {
            keyed
                .iter()
                .filter(|(k, _)| holds(sort.compare(k, key)))
                .count()
        };
        // As a Relay window over the sorted list: the items after `after` and before
        // `before`, then the first `first`, then the last `last` of those.
        let mut start = window
            .after
            .as_ref()
            .map_or(0, |a| rank(a, |o| o != Ordering::Greater));
        let mut end = window
            .before
            .as_ref()
            .map_or(total, |b| rank(b, |o| o == Ordering::Less));
        end = end.max(start);
        if let Some(first) = window.first {
            end = end.min(start.saturating_add(first));
        }
        if let Some(last) = window.last {
            start = start.max(end.saturating_sub(last));
        }
        let by_key = |a: &(SortKey<'_>, &Node), b: &(SortKey<'_>, &Node)| sort.compare(&a.0, &b.0);
        if start < end {
            if start > 0 {
                keyed.select_nth_unstable_by(start, by_key);
            }
            let rest = &mut keyed[start..];
            if end - start < rest.len() {
                rest.select_nth_unstable_by(end - start - 1, by_key);
            }
            rest[..end - start].sort_unstable_by(by_key);
        }
        let nodes = keyed
            .into_iter()
            .skip(start)
            .take(end - start)
            .map(|(_, n)| n)
            .collect();
        ListPage {
            nodes,
            has_previous: start > 0,
            has_next: end < total,
            total: Some(total),
        }
    }
}

/// The order of an index `sort` reads: by id, or by amount (money first, by currency then
/// amount, then id; the others after, by id). None for any other order.
fn lane(sort: &Sort) -> Option<Lane> {
    let currency = Order {
        field: Field::Currency,
        descending: false,
    };
    match sort.fields() {
        [] => Some(Lane::Id),
        [c, a] if *c == currency && a.field == Field::Amount => Some(if a.descending {
            Lane::Falling
        } else {
            Lane::Rising
        }),
        _ => None,
    }
}

/// The entity ids an `eq` or `in` names; none for another comparison.
fn named(op: &Op) -> Option<Vec<&EntityId>> {
    let mut ids: Vec<&EntityId> = match op {
        Op::Eq(Value::Id(i)) => vec![i],
        Op::Eq(_) => Vec::new(),
        Op::In(vs) => vs
            .iter()
            .filter_map(|v| if let Value::Id(i) = v { Some(i) } else { None })
            .collect(),
        _ => return None,
    };
    ids.sort();
    ids.dedup();
    Some(ids)
}

impl Filter {
    /// The pledgers, when the filter is nothing but one `eq` or `in` on the pledger
    /// (alone or as the only condition of an `and`).
    fn only_pledgers(&self) -> Option<Vec<&EntityId>> {
        match self {
            Filter::Test(Field::Pledger, op) => named(op),
            Filter::All(fs) if fs.len() == 1 => fs[0].only_pledgers(),
            _ => None,
        }
    }
}

/// The bound past a cursor's slot, or none without a cursor.
fn past(slot: &Option<Slot>) -> Bound<&Slot> {
    slot.as_ref().map_or(Bound::Unbounded, Bound::Excluded)
}

/// A place between two items of a list, where an empty page sits.
enum Cut {
    /// Before every item.
    Start,
    /// After every item.
    End,
    /// Right after the item at this slot (or where it would be).
    After(Slot),
    /// Right before the item at this slot (or where it would be).
    Before(Slot),
}

/// Where a [`Reader`] reads its items from, in its lane's order.
enum Source<'f> {
    /// Some pledgers' books, merged.
    Pledgers(Vec<&'f EntityId>),
    /// The list of one kind, by id.
    Kind(NodeKind),
    /// The amounts index: the priced commitments within a span, or every commitment (the
    /// priced ones, then the others) without one.
    Amounts(Option<Span>),
}

/// A list read in order from an index, each item tested by the filter.
struct Reader<'g, 'f> {
    g: &'g KnowledgeGraph,
    source: Source<'f>,
    lane: Lane,
    filter: &'f Filter,
    as_of: Option<&'f PartialDate>,
}

impl<'g> Reader<'g, '_> {
    /// The matching items past `from`, in order (forward) or against it.
    fn walk<'a>(
        &'a self,
        from: Bound<&'a Slot>,
        forward: bool,
    ) -> impl Iterator<Item = (Slot, &'g Node)> + 'a {
        let g = self.g;
        let slots: Walk<'a> = match &self.source {
            Source::Pledgers(pledgers) => Box::new(Merge {
                walks: pledgers
                    .iter()
                    .map(|p| g.books.walk(p, self.lane, from, forward).peekable())
                    .collect(),
                forward,
            }),
            Source::Kind(kind) => match (g.by_kind.get(kind), from) {
                (None, _) => Box::new(std::iter::empty()),
                (Some(list), Bound::Unbounded) => id_slots(list.iter(), forward),
                (Some(list), Bound::Included(Slot::Id(id))) => id_slots(
                    list.range::<EntityId, _>(beyond(Bound::Included(id), forward)),
                    forward,
                ),
                (Some(list), Bound::Excluded(Slot::Id(id))) => id_slots(
                    list.range::<EntityId, _>(beyond(Bound::Excluded(id), forward)),
                    forward,
                ),
                // No money slot is placed in the order by id.
                (Some(_), _) => Box::new(std::iter::empty()),
            },
            Source::Amounts(span) => {
                g.money
                    .walk(self.lane, span.as_ref(), from, forward, move |ix| {
                        &g.graph[ix].id
                    })
            }
        };
        let (filter, as_of) = (self.filter, self.as_of);
        slots
            .map(move |(slot, ix)| (slot, &*g.graph[ix]))
            .filter(move |(_, n)| filter.matches(n, as_of))
    }

    /// True when a matching item lies past `from`.
    fn any(&self, from: Bound<&Slot>, forward: bool) -> bool {
        self.walk(from, forward).next().is_some()
    }

    /// The slot a cursor's key names in this order; none when the key holds a value no
    /// slot can (text that is no currency code, a currency without an amount), which the
    /// general path then places.
    fn slot(&self, key: &SortKey<'_>) -> Option<Slot> {
        let id = key.id.clone().into_owned();
        match (self.lane, key.values.as_slice()) {
            (Lane::Id, []) => Some(Slot::Id(id)),
            (Lane::Rising | Lane::Falling, [None, None]) => Some(Slot::Id(id)),
            (Lane::Rising | Lane::Falling, [Some(Value::Text(code)), Some(Value::Decimal(a))]) => {
                // Currencies compare as text ignoring case; a code of three ASCII letters
                // in any case compares as the currency it names, uppercase.
                if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
                    return None;
                }
                let currency: Currency = code.to_ascii_uppercase().parse().ok()?;
                let amount = if self.lane == Lane::Falling { -*a } else { *a };
                Some(Slot::Money(currency, amount, id))
            }
            _ => None,
        }
    }

    /// The page `window` selects, read in order; none when a cursor's key has no slot.
    fn page(&self, window: &Window<'_>) -> Option<ListPage<'g>> {
        let after = match &window.after {
            Some(k) => Some(self.slot(k)?),
            None => None,
        };
        let before = match &window.before {
            Some(k) => Some(self.slot(k)?),
            None => None,
        };
        let mut items: Vec<(Slot, &'g Node)>;
        // Where the page sits should it come out empty.
        let mut empty_at = match &after {
            Some(a) => Cut::After(a.clone()),
            None => Cut::Start,
        };
        if window.first.is_some() || window.last.is_none() {
            let within = self
                .walk(past(&after), true)
                .take_while(|(s, _)| before.as_ref().is_none_or(|b| s < b));
            items = match window.first {
                Some(first) => within.take(first).collect(),
                None => within.collect(),
            };
            if let Some(last) = window.last {
                let dropped: Vec<_> = items.drain(..items.len().saturating_sub(last)).collect();
                if let Some((s, _)) = dropped.last() {
                    empty_at = Cut::After(s.clone());
                }
            }
        } else {
            let last = window.last.unwrap_or_default();
            items = self
                .walk(past(&before), false)
                .take_while(|(s, _)| after.as_ref().is_none_or(|a| s > a))
                .take(last)
                .collect();
            items.reverse();
            empty_at = match (after, before) {
                (_, None) => Cut::End,
                (Some(a), Some(b)) if b <= a => Cut::After(a),
                (_, Some(b)) => Cut::Before(b),
            };
        }
        let (has_previous, has_next) = match (items.first(), items.last()) {
            (Some((first, _)), Some((last, _))) => (
                self.any(Bound::Excluded(first), false),
                self.any(Bound::Excluded(last), true),
            ),
            _ => match &empty_at {
                Cut::Start => (false, self.any(Bound::Unbounded, true)),
                Cut::End => (self.any(Bound::Unbounded, false), false),
                Cut::After(s) => (
                    self.any(Bound::Included(s), false),
                    self.any(Bound::Excluded(s), true),
                ),
                Cut::Before(s) => (
                    self.any(Bound::Excluded(s), false),
                    self.any(Bound::Included(s), true),
                ),
            },
        };
        Some(ListPage {
            nodes: items.into_iter().map(|(_, n)| n).collect(),
            has_previous,
            has_next,
            total: None,
        })
    }
}

/// Several books' walks as one, in order (forward) or against it: each pledger's
/// commitments are apart, so their slots never tie.
struct Merge<I: Iterator<Item = (Slot, petgraph::stable_graph::NodeIndex)>> {
    walks: Vec<Peekable<I>>,
    forward: bool,
}

impl<I: Iterator<Item = (Slot, petgraph::stable_graph::NodeIndex)>> Iterator for Merge<I> {
    type Item = (Slot, petgraph::stable_graph::NodeIndex);

    fn next(&mut self) -> Option<Self::Item> {
        let mut best: Option<(usize, &Slot)> = None;
        let forward = self.forward;
        for (i, walk) in self.walks.iter_mut().enumerate() {
            if let Some((slot, _)) = walk.peek() {
                let better = best.is_none_or(|(_, b)| if forward { slot < b } else { slot > b });
                if better {
                    best = Some((i, slot));
                }
            }
        }
        let i = best?.0;
        self.walks[i].next()
    }
}

/// The books' and the amounts index's content, each node named by its id, for tests to
/// compare indexes kept in place with indexes built afresh.
#[cfg(test)]
impl KnowledgeGraph {
    pub(crate) fn books_view(&self) -> Vec<String> {
        self.books.view(&|ix| self.graph[ix].id.to_string())
    }

    /// The amounts index's content, each node named by its id, as [`Self::books_view`].
    pub(crate) fn money_view(&self) -> Vec<String> {
        self.money.view(&|ix| self.graph[ix].id.to_string())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::borrow::Cow;

    use super::super::testing::*;
    use super::*;
    use crate::model::{
        Amount, ClaimSet, CommitmentKind as K, CommitmentStatus as Status, NodeData, Period,
        Quantity, Unit,
    };

    /// The page `window` selects of `list`, sorted by `sort` (values as of `as_of`), as a
    /// Relay connection cuts it from the whole list: what every page must equal.
    fn slice<'g>(
        list: &[&'g Node],
        sort: &Sort,
        as_of: Option<&PartialDate>,
        window: &Window<'_>,
    ) -> ListPage<'g> {
        let place = |key: &SortKey<'_>, holds: fn(Ordering) -> bool| {
            list.partition_point(|n| holds(sort.compare(&sort.key(n, as_of), key)))
        };
        let total = list.len();
        let mut start = window
            .after
            .as_ref()
            .map_or(0, |a| place(a, |o| o != Ordering::Greater));
        let mut end = window
            .before
            .as_ref()
            .map_or(total, |b| place(b, |o| o == Ordering::Less));
        end = end.max(start);
        if let Some(first) = window.first {
            end = end.min(start + first);
        }
        if let Some(last) = window.last {
            start = start.max(end.saturating_sub(last));
        }
        ListPage {
            nodes: list[start..end].to_vec(),
            has_previous: start > 0,
            has_next: end < total,
            total: Some(total),
        }
    }

    /// Checks every way of reading a page of `filter`'s commitments in `order` against
    /// the slices of the whole sorted list: from the start, after and before each item's
    /// key, between two keys, and from keys no item holds.
    pub(crate) fn check_pages(g: &KnowledgeGraph, filter: &Filter, order: &[Order], seed: u64) {
        check_pages_of(g, NodeKind::Commitment, filter, order, None, seed);
    }

    /// [`check_pages`] for a list of any kind, its values taken as of `as_of`.
    fn check_pages_of(
        g: &KnowledgeGraph,
        kind: NodeKind,
        filter: &Filter,
        order: &[Order],
        as_of: Option<&PartialDate>,
        seed: u64,
    ) {
        let dice = &mut Dice(seed.max(1));
        let sort = Sort::new(order);
        let list = g.list_by(kind, filter, &sort, as_of);
        assert_eq!(g.count(kind, filter, as_of), list.len(), "{filter:?}");
        let mut keys: Vec<SortKey<'_>> = list.iter().map(|n| sort.key(n, as_of)).collect();
        // Keys of no item: beside each item's, and odd ones a client may send back.
        let usd = |amount: i64| {
            Some(Value::Text(
                if amount % 2 == 0 { "USD" } else { "usd" }.into(),
            ))
        };
        for (values, of) in [
            (
                vec![usd(5), Some(Value::Decimal(5.into()))],
                "commitment:zz",
            ),
            (vec![usd(4), Some(Value::Decimal(5.into()))], "commitment:0"),
            (vec![None, None], "commitment:m"),
            (
                vec![
                    Some(Value::Text("ZZZ".into())),
                    Some(Value::Decimal(1.into())),
                ],
                "commitment:a",
            ),
            (vec![usd(0), None], "commitment:b"),
            (
                vec![
                    Some(Value::Text("eur".into())),
                    Some(Value::Decimal(20.into())),
                ],
                "commitment:x",
            ),
        ] {
            let key = SortKey {
                values,
                id: Cow::Owned(id(of)),
            };
            if sort.admits(&key) {
                keys.push(key);
            }
        }
        if sort.fields().is_empty() {
            for text in ["commitment:0", "commitment:m", "commitment:zz"] {
                keys.push(SortKey {
                    values: Vec::new(),
                    id: Cow::Owned(id(text)),
                });
            }
        }
        let sizes = [None, Some(0), Some(1), Some(2), Some(3), Some(100)];
        let mut windows: Vec<Window<'_>> = Vec::new();
        for first in sizes {
            for last in sizes {
                windows.push(Window {
                    first,
                    last,
                    ..Window::default()
                });
            }
        }
        for _ in 0..60 {
            let mut key = || match dice.roll(4) {
                0 => None,
                _ => Some(keys[dice.roll(keys.len().max(1))].clone()),
            };
            let (after, before) = if keys.is_empty() {
                (None, None)
            } else {
                (key(), key())
            };
            windows.push(Window {
                after,
                before,
                first: sizes[dice.roll(sizes.len())],
                last: sizes[dice.roll(sizes.len())],
            });
        }
        for w in &windows {
            let want = slice(&list, &sort, as_of, w);
            let mut got = g.page_by(kind, filter, &sort, as_of, w);
            assert!(got.total.is_none_or(|t| t == list.len()));
            got.total = want.total;
            assert_eq!(got, want, "{filter:?} by {sort}: {w:?}");
            let selected = g.page_selected(kind, filter, &sort, as_of, w);
            assert_eq!(selected, want, "{filter:?} by {sort}, selected: {w:?}");
        }
    }

    /// Pledges among Japan, South Korea and the United States with amounts that tie, in
    /// three currencies, some without an amount or with one that is no money; some in one
    /// of two deals, some part of another, in one of three statuses.
    fn graph(dice: &mut Dice, n: usize) -> KnowledgeGraph {
        let ids: Vec<String> = (0..n).map(|i| format!("commitment:c{i}")).collect();
        let countries = ["country:jp", "country:kr", "country:us"];
        let amounts = ["0", "1", "5", "5.0", "20", "100", "100.25"];
        let currencies = ["USD", "JPY", "EUR"];
        let kinds = [K::Investment, K::Purchase, K::Procurement];
        let statuses = [Status::Pledged, Status::Planned, Status::Fulfilled];
        let deals = ["deal:a", "deal:b"];
        let mut nodes = vec![
            country("jp", "Japan"),
            country("kr", "South Korea"),
            country("us", "United States"),
            deal(deals[0], &countries[..2], None),
            deal(deals[1], &countries[1..], None),
        ];
        for (i, at) in ids.iter().enumerate() {
            let amount = match dice.roll(6) {
                0 => None,
                1 => Some(Amount::Quantity(
                    Quantity::new(5.into(), Unit::MetricTons).unwrap_or_else(|e| panic!("{e}")),
                )),
                _ => Some(money(
                    amounts[dice.roll(amounts.len())],
                    currencies[dice.roll(currencies.len())],
                )),
            };
            let mut node = pledge(Pledge {
                id: at,
                by: countries[dice.roll(3)],
                to: countries[dice.roll(3)],
                kind: kinds[dice.roll(3)],
                amount,
                period: Period::OneOff,
                part_of: (i > 0 && dice.roll(4) == 0).then(|| ids[dice.roll(i)].as_str()),
            });
            if let NodeData::Commitment(c) = &mut node.data {
                if dice.roll(3) == 0 {
                    c.deal = Some(id(deals[dice.roll(2)]));
                }
                let status = statuses[dice.roll(3)];
                c.status = ClaimSet::new(vec![claim("s", status, None)]);
            }
            nodes.push(node);
        }
        KnowledgeGraph::build(nodes, Vec::new()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn test(field: Field, op: Op) -> Filter {
        Filter::Test(field, op)
    }

    fn ids(list: &[&str]) -> Op {
        Op::In(list.iter().map(|i| Value::Id(id(i))).collect())
    }

    /// Filters on pledgers alone and with other conditions, and some without a pledger.
    pub(crate) fn filters() -> Vec<Filter> {
        let jp = || test(Field::Pledger, Op::Eq(Value::Id(id("country:jp"))));
        vec![
            Filter::default(),
            jp(),
            Filter::All(vec![jp()]),
            test(
                Field::Pledger,
                ids(&["country:kr", "country:jp", "country:xx"]),
            ),
            test(
                Field::Pledger,
                ids(&["country:kr", "country:jp", "country:us"]),
            ),
            test(Field::Pledger, Op::Eq(Value::Id(id("country:xx")))),
            Filter::All(vec![
                jp(),
                test(Field::Kind, Op::Eq(Value::Text("purchase".into()))),
            ]),
            Filter::All(vec![
                test(Field::Pledger, ids(&["country:kr", "country:us"])),
                test(Field::Currency, Op::Eq(Value::Text("usd".into()))),
            ]),
            Filter::All(vec![
                jp(),
                test(Field::Amount, Op::Gte(Value::Decimal(5.into()))),
            ]),
            Filter::All(vec![
                jp(),
                test(Field::Beneficiary, Op::Eq(Value::Id(id("country:us")))),
            ]),
            Filter::All(vec![
                jp(),
                Filter::Not(Box::new(test(Field::Amount, Op::Exists))),
            ]),
            Filter::Any(vec![
                jp(),
                test(Field::Kind, Op::Eq(Value::Text("purchase".into()))),
            ]),
            Filter::Not(Box::new(jp())),
            // No pledger: read from the kind's list or the amounts index, each item
            // tested as read.
            purchases(),
            test(Field::Status, texts(&["planned", "fulfilled"])),
            test(Field::Currency, Op::Eq(Value::Text("usd".into()))),
            test(Field::Currency, texts(&["jpy", "EUR", "xx"])),
            Filter::All(vec![
                test(Field::Amount, Op::Gt(Value::Decimal(1.into()))),
                test(Field::Amount, Op::Lte(Value::Decimal(100.into()))),
            ]),
            test(Field::Amount, Op::Eq(Value::Decimal(5.into()))),
            Filter::All(vec![
                test(Field::Amount, Op::Gte(Value::Decimal(20.into()))),
                test(Field::Amount, Op::Lte(Value::Decimal(5.into()))),
            ]),
            test(Field::Amount, Op::Exists),
            top_level(),
            Filter::All(vec![
                purchases(),
                test(Field::Currency, texts(&["usd", "jpy"])),
                top_level(),
            ]),
            // Related entities named: read from their relations.
            test(Field::Beneficiary, Op::Eq(Value::Id(id("country:us")))),
            test(Field::Deal, Op::Eq(Value::Id(id("deal:a")))),
            Filter::All(vec![
                test(Field::Deal, ids(&["deal:b", "deal:x"])),
                test(Field::Amount, Op::Gte(Value::Decimal(5.into()))),
            ]),
        ]
    }

    fn texts(list: &[&str]) -> Op {
        Op::In(list.iter().map(|t| Value::Text((*t).into())).collect())
    }

    fn purchases() -> Filter {
        test(Field::Kind, Op::Eq(Value::Text("purchase".into())))
    }

    fn top_level() -> Filter {
        Filter::Not(Box::new(test(Field::PartOf, Op::Exists)))
    }

    /// Orders by amount both ways and by id, which the books keep, and some they do not.
    pub(crate) fn orders() -> Vec<Vec<Order>> {
        let by = |field, descending| Order { field, descending };
        vec![
            vec![],
            vec![by(Field::Amount, false)],
            vec![by(Field::Amount, true)],
            vec![by(Field::Amount, true), by(Field::Id, false)],
            vec![by(Field::Id, true)],
            vec![by(Field::Name, false)],
            vec![by(Field::Kind, false), by(Field::Amount, true)],
        ]
    }

    #[test]
    fn pages_are_the_slices_of_the_sorted_list_for_every_filter_and_order() {
        let mut dice = Dice(0x2545_f491_4f6c_dd1d);
        for n in [0, 1, 7, 60, 150] {
            let g = graph(&mut dice, n);
            for filter in filters() {
                for order in orders() {
                    check_pages(&g, &filter, &order, dice.roll(1 << 30) as u64);
                }
            }
        }
    }

    #[test]
    fn lists_no_pledger_names_are_read_in_order_from_an_index() {
        let g = graph(&mut Dice(11), 60);
        let first = Window {
            first: Some(3),
            ..Window::default()
        };
        let source = |filter: &Filter, order: &[Order], window: &Window<'_>| {
            let sort = Sort::new(order);
            g.index_for(NodeKind::Commitment, filter, &sort, None, window)
                .map(|r| match r.source {
                    Source::Pledgers(_) => "books".to_string(),
                    Source::Kind(_) => "by id".to_string(),
                    Source::Amounts(span) => format!("by amount {span:?}"),
                })
        };
        let by = |field, descending| vec![Order { field, descending }];
        let amount = by(Field::Amount, true);
        let all = Filter::default();
        assert_eq!(source(&all, &[], &first).as_deref(), Some("by id"));
        assert_eq!(
            source(&all, &amount, &first).as_deref(),
            Some("by amount None")
        );
        assert_eq!(
            source(&purchases(), &by(Field::Amount, false), &first).as_deref(),
            Some("by amount None")
        );
        let usd = test(Field::Currency, Op::Eq(Value::Text("usd".into())));
        let usd_only = format!("by amount {:?}", Span::of(&usd));
        assert_eq!(source(&usd, &amount, &first), Some(usd_only));
        // By id, a span few commitments fall in is read whole; one most do is not.
        let five = test(Field::Amount, Op::Eq(Value::Decimal(5.into())));
        assert_eq!(source(&five, &[], &first), None);
        let any = test(Field::Amount, Op::Gte(Value::Decimal(0.into())));
        assert_eq!(source(&any, &[], &first).as_deref(), Some("by id"));
        // Related entities named, or an order no index keeps: the general path.
        let to_us = test(Field::Beneficiary, Op::Eq(Value::Id(id("country:us"))));
        assert_eq!(source(&to_us, &amount, &first), None);
        assert_eq!(source(&all, &by(Field::Name, false), &first), None);
        assert_eq!(source(&all, &by(Field::Id, true), &first), None);
        // Values as of a date: by id still, never by amount.
        let date: PartialDate = "2025-01-01".parse().unwrap_or_else(|e| panic!("{e}"));
        let sort = Sort::new(&amount);
        let kind = NodeKind::Commitment;
        assert!(
            g.index_for(kind, &all, &sort, Some(&date), &first)
                .is_none()
        );
        let by_id = Sort::new(&[]);
        assert!(
            g.index_for(kind, &all, &by_id, Some(&date), &first)
                .is_some()
        );
        // A page read so is not counted on the way; the count of all is the kind's.
        let page = g.page_by(kind, &all, &sort, None, &first);
        assert_eq!(page.total, None);
        assert_eq!(page.nodes, g.list_by(kind, &all, &sort, None)[..3]);
        assert_eq!(g.count(kind, &all, None), 60);
    }

    #[test]
    fn a_deal_or_a_beneficiary_starts_from_its_relations() {
        let g = graph(&mut Dice(5), 40);
        for filter in [
            test(Field::Deal, Op::Eq(Value::Id(id("deal:a")))),
            test(Field::Beneficiary, Op::Eq(Value::Id(id("country:kr")))),
        ] {
            let start = g.start(NodeKind::Commitment, &filter, None);
            let list = g.list(NodeKind::Commitment, &filter, &[], None);
            assert!(!list.is_empty(), "{filter:?}");
            assert!(
                start.is_some_and(|s| s.len() < 40 && s.len() >= list.len()),
                "{filter:?}"
            );
        }
    }

    #[test]
    fn pages_by_id_of_any_kind_and_as_of_a_date_are_the_slices_too() {
        let mut dice = Dice(0x9e37_79b9);
        let g = graph(&mut dice, 30);
        let planned = test(Field::Status, Op::Eq(Value::Text("planned".into())));
        let date: PartialDate = "2025-06-01".parse().unwrap_or_else(|e| panic!("{e}"));
        for as_of in [None, Some(&date)] {
            for filter in [Filter::default(), planned.clone(), top_level()] {
                let seed = dice.roll(1 << 30) as u64;
                check_pages_of(&g, NodeKind::Commitment, &filter, &[], as_of, seed);
            }
        }
        let named = test(Field::Name, Op::Contains("a".into()));
        for kind in [NodeKind::Country, NodeKind::Deal, NodeKind::Person] {
            for filter in [Filter::default(), named.clone()] {
                let seed = dice.roll(1 << 30) as u64;
                check_pages_of(&g, kind, &filter, &[], None, seed);
            }
        }
    }

    #[test]
    fn a_page_of_a_pledger_is_read_from_its_book_and_counted_without_reading() {
        let mut dice = Dice(7);
        let g = graph(&mut dice, 40);
        let jp = test(Field::Pledger, Op::Eq(Value::Id(id("country:jp"))));
        let desc = Sort::new(&[Order {
            field: Field::Amount,
            descending: true,
        }]);
        let books = g.books_for(NodeKind::Commitment, &jp, &desc, None);
        assert!(books.is_some_and(|b| b.lane == Lane::Falling));
        let first = Window {
            first: Some(3),
            ..Window::default()
        };
        let page = g.page_by(NodeKind::Commitment, &jp, &desc, None, &first);
        assert_eq!(page.total, None, "not counted on the way");
        let list = g.list_by(NodeKind::Commitment, &jp, &desc, None);
        assert_eq!(page.nodes, list[..3]);
        assert_eq!(g.count(NodeKind::Commitment, &jp, None), list.len());
        // Values as of a date, or a range of amounts: the general path.
        let date: PartialDate = "2025-01-01".parse().unwrap_or_else(|e| panic!("{e}"));
        assert!(
            g.books_for(NodeKind::Commitment, &jp, &desc, Some(&date))
                .is_none()
        );
        let ranged = Filter::All(vec![
            jp.clone(),
            test(Field::Amount, Op::Lte(Value::Decimal(5.into()))),
        ]);
        assert!(
            g.books_for(NodeKind::Commitment, &ranged, &desc, None)
                .is_none()
        );
    }
}

//! One page of a filtered, ordered list, at the cost of the page rather than the list:
//! where an index keeps the list's order (the books of a pledger, a beneficiary or a
//! deal, the amounts index, the kind's lists by id, by name and by date, the tariff
//! measures' lists by rate), the page is
//! read from it in that order, either way, each item tested by the filter, and the walk
//! stops once the page is full. An order that asks for more than the index keeps (by
//! date, then by name) is read from the index all the same, each run of items that tie
//! on the index's fields sorted by the rest. Any other list picks the page's items out
//! of its matches without sorting the rest. Either way the page is the very slice the whole sorted list
//! ([`KnowledgeGraph::list_by`]) would give, with the same neighbours before and after.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::iter::Peekable;
use std::ops::Bound;

use petgraph::stable_graph::NodeIndex;

use super::amounts::Span;
use super::budget::Budget;
use super::commitments::Role;
use super::dates::{self, DaySpan};
use super::keyed;
use super::lanes::{self, Lane, Slot, Walk};
use super::query::{Field, Filter, Op, Order, Sort, SortKey, Value, ids_among};
use super::rates::RateSpan;
use super::tags;
use super::{KnowledgeGraph, interrupt};
use crate::model::{Currency, EntityId, Node, NodeKind, PartialDate};

/// A page in an index's order with a `contains` among its conditions reads the nodes
/// holding its rarest piece where the texts holding it (names and aliases, for a name)
/// are at most this many times the most a page picks from otherwise: they count every
/// kind's, and a walk in the order of ids or names meets the matches of a `contains`
/// clustered, not spread.
const CONTAINS_LOOK_AHEAD: usize = 16;

/// Which part of a list to answer, as a Relay connection asks for it: the items after
/// one key and before another, then the first `first` of them, then the last `last` of
/// those. Neither `first` nor `last` means every item between the keys. `K` is the key
/// of the list's order: a [`SortKey`] for a list of entities, a
/// [`TimelineKey`](super::TimelineKey) for a timeline, a
/// [`NeighborKey`](super::NeighborKey) for an entity's relations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window<K> {
    /// Only items whose key comes after this one.
    pub after: Option<K>,
    /// Only items whose key comes before this one.
    pub before: Option<K>,
    /// At most this many, from the start.
    pub first: Option<usize>,
    /// At most this many, from the end (of those `first` leaves).
    pub last: Option<usize>,
}

impl<K> Default for Window<K> {
    fn default() -> Self {
        Window {
            after: None,
            before: None,
            first: None,
            last: None,
        }
    }
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
    /// of [`KnowledgeGraph::list_by`]. In the orders by id or by name (either way) or by
    /// amount, a page of commitments that names their pledgers, beneficiaries or deals
    /// reads those entities' books in that order and stops when full; so does a page of
    /// any kind by id or by name that no condition on a related entity narrows (read from
    /// the kind's lists), and a page of commitments by amount (read from the amounts
    /// index), and a page of events, statements, deals or sources by date (their lists by
    /// date). So is a page in an order led by one of those, each run of items that tie on
    /// the leading fields read whole and sorted by the rest. Any other page selects its
    /// items among the matches without sorting the others.
    pub fn page_by(
        &self,
        kind: NodeKind,
        filter: &Filter,
        sort: &Sort,
        as_of: Option<&PartialDate>,
        window: &Window<SortKey<'_>>,
    ) -> ListPage<'_> {
        if let Some(page) = self.page_by_groups(kind, filter, sort, as_of, window) {
            return page;
        }
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
    /// list, counted without sorting it. Commitments filtered by their pledgers or deals
    /// alone, or by one beneficiary, are counted from the books, a kind without a filter
    /// from its list, a dated kind filtered by a range of dates alone from its list by
    /// date, and tariff measures filtered by a range of rates alone (as they are now) from
    /// their list by rate, without reading one; a `not` alone as all but what it negates.
    pub fn count(&self, kind: NodeKind, filter: &Filter, as_of: Option<&PartialDate>) -> usize {
        if kind == NodeKind::Commitment
            && let Some((role, ids)) = filter.only_booked()
            && (role.apart() || ids.len() <= 1)
        {
            return ids.iter().map(|i| self.books.len(role, i)).sum();
        }
        if matches!(filter, Filter::All(fs) if fs.is_empty()) {
            return self.by_kind.get(&kind).map_or(0, |list| list.len());
        }
        if dates::KINDS.contains(&kind)
            && let Some((span, true)) = DaySpan::of(filter)
        {
            return self.dates.count(kind, &span, |x| self.node_at(x));
        }
        if kind == NodeKind::TariffMeasure
            && as_of.is_none()
            && let Some((span, true)) = RateSpan::of(filter)
        {
            return self.rates.count(&span, |x| self.node_at(x));
        }
        // Conditions on a kind, a period, a status or a currency as it is now, alone: the
        // sizes of the groups one picks, or the nodes in the groups of each of several.
        let conjuncts = filter.conjuncts();
        let answered = self.tags.answering(kind, &conjuncts, as_of);
        if answered.len() == conjuncts.len()
            && keyed::conjunction(filter)
            && let Some(n) = self.tags.count_passing(kind, &answered)
        {
            return n;
        }
        // A `not` alone: every node of the kind but those its filter passes, counted as
        // cheaply as they are.
        if let Some(inner) = filter.only_negated() {
            let all = self.by_kind.get(&kind).map_or(0, |list| list.len());
            return all.saturating_sub(self.count(kind, inner, as_of));
        }
        self.matching(kind, filter, as_of).len()
    }

    /// The books a page can be read from: for commitments in the order by id, by name or
    /// (values as they are now) by amount, when the filter names their pledgers,
    /// beneficiaries or deals and no other condition names fewer candidates.
    fn books_for<'g, 'f>(
        &'g self,
        kind: NodeKind,
        filter: &'f Filter,
        sort: &'f Sort,
        as_of: Option<&'f PartialDate>,
    ) -> Option<Reader<'g, 'f>> {
        if kind != NodeKind::Commitment {
            return None;
        }
        let (lane, lead) = lane(sort).filter(|(l, _)| {
            !matches!(l, Lane::Date | Lane::DateDesc | Lane::Rate | Lane::RateDesc)
        })?;
        // Who a commitment names never changes with the date; its amount does.
        if matches!(lane, Lane::Rising | Lane::Falling) && as_of.is_some() {
            return None;
        }
        let conjuncts = filter.conjuncts();
        let mut best: Option<(usize, Role, Vec<&EntityId>, &Op)> = None;
        for &(field, op) in &conjuncts {
            if let Some(role) = Role::of(field)
                && let Some(ids) = named(op)
            {
                let size = ids.iter().map(|i| self.books.len(role, i)).sum();
                if best.as_ref().is_none_or(|(b, ..)| size < *b) {
                    best = Some((size, role, ids, op));
                }
            }
        }
        let (size, role, ids, op) = best?;
        // Where another condition names fewer candidates, the list starts from those, as
        // `list_by` would; a range of amounts starts from the amounts index.
        for (field, op) in &conjuncts {
            let fewer = match (field, named(op)) {
                (f, _) if Role::of(*f).is_some() => false,
                (f, _) if tags::answers(*f, as_of) => {
                    self.tags.count(kind, *f, op).is_some_and(|n| n < size)
                }
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
        if self
            .contains_estimate(filter, size.saturating_sub(1))
            .is_some()
            || self
                .start_of_either(kind, filter, as_of, size.saturating_sub(1))
                .is_some()
        {
            return None;
        }
        Some(Reader {
            g: self,
            source: Source::Books(role, ids),
            lane,
            sort,
            lead,
            filter,
            implied: Some(op),
            as_of,
            budget: Budget::unbounded(),
        })
    }

    /// The index a page can be read from in order when no book serves it: for any kind
    /// in the order by id or by name, and for a dated kind (events, statements, deals,
    /// sources) by date, its list in that order; for commitments (values as
    /// they are now) in the order by amount, the amounts index, within the span of
    /// amounts and currencies the filter allows; for tariff measures (rates as they are
    /// now) by rate, their list in that order. None when a condition naming related
    /// entities (or ids) gives candidates as many as those entities' relations, which the
    /// general path then reads; nor in the order by id or name when the filter's span of
    /// amounts holds few enough commitments to read them all sooner than the walk would
    /// find the page, or its span of days or rates few enough nodes.
    fn index_for<'g, 'f>(
        &'g self,
        kind: NodeKind,
        filter: &'f Filter,
        sort: &'f Sort,
        as_of: Option<&'f PartialDate>,
        window: &Window<SortKey<'_>>,
    ) -> Option<Reader<'g, 'f>> {
        let (lane, lead) = lane(sort)?;
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
        // Only a dated kind has lists by date: no other list looks for a span of days.
        let days = dates::KINDS
            .contains(&kind)
            .then(|| DaySpan::of(filter).map(|(span, _)| span))
            .flatten();
        // Only tariff measures have lists by rate, and only as the rates are now.
        let rates = (kind == NodeKind::TariffMeasure && as_of.is_none())
            .then(|| RateSpan::of(filter).map(|(span, _)| span))
            .flatten();
        // A walk in an index's order meets the matches of a narrower set (a span of
        // amounts or days, the union of an `or`'s branches) at their share of all: it
        // reads about `need * total / within` to fill the page. Reading the set whole
        // costs `within`: the walk is the cheaper only past the square root of
        // `need * total`.
        let total = self.by_kind.get(&kind).map_or(0, |list| list.len());
        let need = window
            .first
            .or(window.last)
            .map_or(total, |n| n.saturating_add(1));
        let cap = need.saturating_mul(total).isqrt();
        if self.start_of_either(kind, filter, as_of, cap).is_some() {
            return None;
        }
        // A `contains` is picked from the nodes holding its rarest piece where the names
        // and texts holding it are not too many, and, in an order of dates or amounts,
        // those nodes are few enough. Ids and names are mostly made of the words a
        // `contains` looks for, so its matches cluster in those orders, and a walk may
        // read most of the kind before the first of them.
        let clustered = matches!(lane, Lane::Id | Lane::IdDesc | Lane::Name | Lane::NameDesc);
        if self
            .contains_start(kind, filter, cap.saturating_mul(CONTAINS_LOOK_AHEAD))
            .is_some_and(|set| clustered || set.len() <= cap)
        {
            return None;
        }
        // So is a group of a kind, a period, a status or a currency (as it is now) that
        // holds few enough nodes, in any order: a walk would meet its nodes at their
        // share of all. A walk past a larger group's share gives up once it has read as
        // many nodes as the group holds, and the page is picked from the group: its nodes
        // may all lie at the end of the walk (commitments of a kind that has no amounts,
        // by amount).
        // (In the order by amount the amounts index keeps the currencies apart already.)
        // Two or more such conditions are intersected first (a merge of their groups'
        // node indexes, which `start` reads again) where, were they independent, they
        // would pass well under what the walk reads: a kind, a status and a currency may
        // each hold thousands and together a few. Near the bound a walk is the quicker
        // (a candidate picked costs its sort key), and a merge that finds many is lost.
        let by_amount = matches!(lane, Lane::Rising | Lane::Falling);
        let mut answered = self.tags.answering(kind, &conjuncts, as_of);
        answered.retain(|a| !(by_amount && a.field == Field::Currency));
        let group = answered.iter().map(|a| a.size).min();
        let merge = answered.len() > 1 && tags::expected(&answered, total) <= cap / 4;
        if group.is_some_and(|n| n <= cap)
            || (merge
                && self
                    .tags
                    .count_passing(kind, &answered)
                    .is_some_and(|n| n <= cap))
        {
            return None;
        }
        let source = match lane {
            Lane::Id | Lane::IdDesc | Lane::Name | Lane::NameDesc => {
                if let Some(span) = priced.filter(Span::narrows)
                    && self.money.count_within(&span, cap).is_some()
                {
                    return None;
                }
                if let Some(span) = &days
                    && self.dates.count(kind, span, |x| self.node_at(x)) <= cap
                {
                    return None;
                }
                if let Some(span) = &rates
                    && self.rates.count(span, |x| self.node_at(x)) <= cap
                {
                    return None;
                }
                match lane.kept() {
                    Lane::Id => Source::Kind(kind),
                    _ => Source::Names(kind),
                }
            }
            Lane::Rising | Lane::Falling => {
                if kind != NodeKind::Commitment || as_of.is_some() {
                    return None;
                }
                Source::Amounts(priced)
            }
            // A date is no claim: the same as of any day.
            Lane::Date | Lane::DateDesc => {
                self.dates.list(kind, lane)?;
                Source::Dates(kind, days)
            }
            // A rate is a claim: only as it is now.
            Lane::Rate | Lane::RateDesc => {
                if kind != NodeKind::TariffMeasure || as_of.is_some() {
                    return None;
                }
                Source::Rates(rates)
            }
        };
        Some(Reader {
            g: self,
            source,
            lane,
            sort,
            lead,
            filter,
            implied: None,
            as_of,
            budget: group.map_or_else(Budget::unbounded, Budget::of),
        })
    }

    /// The page of the list, its items picked out of every match: the place of each
    /// cursor counted, then the page's items selected and only they sorted. In the order
    /// by id alone the matches are sorted as they are, by their ids; in any other, with
    /// their keys beside them.
    fn page_selected(
        &self,
        kind: NodeKind,
        filter: &Filter,
        sort: &Sort,
        as_of: Option<&PartialDate>,
        window: &Window<SortKey<'_>>,
    ) -> ListPage<'_> {
        let matches = self.matching(kind, filter, as_of);
        if sort.fields().is_empty() {
            return select(
                matches,
                window,
                |a, b| a.id.cmp(&b.id),
                |n, key| sort.compare(&sort.key(n, as_of), key),
                |n| n,
            );
        }
        let keyed: Vec<(SortKey<'_>, &Node)> = matches
            .into_iter()
            .map(|n| (sort.key(n, as_of), n))
            .collect();
        select(
            keyed,
            window,
            |a, b| sort.compare(&a.0, &b.0),
            |(k, _), key| sort.compare(k, key),
            |(_, n)| n,
        )
    }
}

/// The lane of an index `sort` can be read from, and how many of its leading fields the
/// lane keeps: by id, by name, by date or by rate, either way, or by amount (money
/// first, by currency then amount, then id; the others after, by id). Where the sort has fields
/// after those, each run of items that tie on the lane's fields is read whole and sorted
/// by the rest. None for an order led by any other field.
fn lane(sort: &Sort) -> Option<(Lane, usize)> {
    let currency = Order {
        field: Field::Currency,
        descending: false,
    };
    let either = |o: &Order, up, down| if o.descending { down } else { up };
    match sort.fields() {
        [] => Some((Lane::Id, 0)),
        // Nothing follows an order by id: ids never tie.
        [o, ..] if o.field == Field::Id && o.descending => Some((Lane::IdDesc, 1)),
        [o, ..] if o.field == Field::Name => Some((either(o, Lane::Name, Lane::NameDesc), 1)),
        [c, a, ..] if *c == currency && a.field == Field::Amount => {
            Some((either(a, Lane::Rising, Lane::Falling), 2))
        }
        [o, ..] if o.field == Field::Date => Some((either(o, Lane::Date, Lane::DateDesc), 1)),
        [o, ..] if o.field == Field::RatePercent => {
            Some((either(o, Lane::Rate, Lane::RateDesc), 1))
        }
        _ => None,
    }
}

/// True when a list of `kind` in `sort` has an index to be read from in order (with
/// each run of ties sorted by the fields the index does not keep): by id or by name, by
/// date for a dated kind, by amount for commitments and by rate for tariff measures as
/// they are now.
pub(super) fn read_from_lane(kind: NodeKind, sort: &Sort, as_of: Option<&PartialDate>) -> bool {
    match lane(sort) {
        Some((Lane::Rising | Lane::Falling, _)) => kind == NodeKind::Commitment && as_of.is_none(),
        Some((Lane::Date | Lane::DateDesc, _)) => dates::KINDS.contains(&kind),
        Some((Lane::Rate | Lane::RateDesc, _)) => {
            kind == NodeKind::TariffMeasure && as_of.is_none()
        }
        Some(_) => true,
        None => false,
    }
}

/// The entity ids an `eq` or `in` names; none for another comparison.
fn named(op: &Op) -> Option<Vec<&EntityId>> {
    let mut ids: Vec<&EntityId> = match op {
        Op::Eq(Value::Id(i)) => vec![i],
        Op::Eq(_) => Vec::new(),
        Op::In(vs) => ids_among(vs),
        _ => return None,
    };
    ids.sort();
    ids.dedup();
    Some(ids)
}

impl Filter {
    /// The role and the entities, when the filter is nothing but one `eq` or `in` on a
    /// commitment's pledger, beneficiary or deal (alone or as the only condition of an
    /// `and`).
    fn only_booked(&self) -> Option<(Role, Vec<&EntityId>)> {
        match self {
            Filter::Test(field, op) => Some((Role::of(*field)?, named(op)?)),
            Filter::All(fs) if fs.len() == 1 => fs[0].only_booked(),
            _ => None,
        }
    }

    /// The filter a `not` negates, when the filter is nothing but that `not` (alone or as
    /// the only condition of an `and`).
    fn only_negated(&self) -> Option<&Filter> {
        match self {
            Filter::Not(f) => Some(f),
            Filter::All(fs) if fs.len() == 1 => fs[0].only_negated(),
            _ => None,
        }
    }
}

/// The bound past a cursor's place, or none without a cursor.
fn past<'a>(place: &'a Option<Place<'a>>) -> Bound<&'a Place<'a>> {
    place.as_ref().map_or(Bound::Unbounded, Bound::Excluded)
}

/// A place between two items of a list, where an empty page sits.
enum Cut<'a> {
    /// Before every item.
    Start,
    /// After every item.
    End,
    /// Right after the item at this place (or where it would be).
    After(Place<'a>),
    /// Right before the item at this place (or where it would be).
    Before(Place<'a>),
}

/// Where a [`Reader`] reads its items from, in its lane's order.
enum Source<'f> {
    /// The books of some entities in one role, merged.
    Books(Role, Vec<&'f EntityId>),
    /// The list of one kind by id.
    Kind(NodeKind),
    /// The list of one kind by name.
    Names(NodeKind),
    /// The lists of one kind by date: the run of a span of days, or all.
    Dates(NodeKind, Option<DaySpan>),
    /// The amounts index: the priced commitments within a span, or every commitment (the
    /// priced ones, then the others) without one.
    Amounts(Option<Span>),
    /// The tariff measures' lists by rate: the run of a span of rates, or all.
    Rates(Option<RateSpan>),
}

/// A list read in order from an index, each item tested by the filter.
struct Reader<'g, 'f> {
    g: &'g KnowledgeGraph,
    source: Source<'f>,
    lane: Lane,
    /// The order asked for, of which the lane keeps the first `lead` fields.
    sort: &'f Sort,
    lead: usize,
    filter: &'f Filter,
    /// The condition the source meets by itself (the books of the entities it names),
    /// not tested again.
    implied: Option<&'f Op>,
    as_of: Option<&'f PartialDate>,
    /// How many more nodes the reader's walks may read before it gives up.
    budget: Budget,
}

/// Where an item sits in a reader's order, or where a cursor points: its slot in the
/// lane, or, where the order asks for more than the lane keeps, its whole key.
#[derive(Debug, Clone)]
enum Place<'a> {
    Slot(Slot<'a>),
    Key(SortKey<'a>),
}

/// A reader's items past a place, one at a time.
type Items<'a, 'g> = Box<dyn Iterator<Item = &'g Node> + 'a>;

/// A reader's walk: its lane's own, or the lane's runs of ties sorted by the rest of the
/// order; one type for both, without a box around the first.
enum Either<L, R> {
    Lane(L),
    Runs(R),
}

impl<T, L: Iterator<Item = T>, R: Iterator<Item = T>> Iterator for Either<L, R> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match self {
            Either::Lane(l) => l.next(),
            Either::Runs(r) => r.next(),
        }
    }
}
/// The nodes of a kind's list by id past `from`, in id order (forward) or against it.
fn by_id<'a>(
    list: &'a BTreeMap<EntityId, NodeIndex>,
    from: Bound<&Slot<'_>>,
    forward: bool,
) -> Walk<'a> {
    let at = match from {
        Bound::Unbounded => Bound::Unbounded,
        Bound::Included(s) => Bound::Included(s.id()),
        Bound::Excluded(s) => Bound::Excluded(s.id()),
    };
    if forward {
        Box::new(
            list.range::<EntityId, _>((at, Bound::Unbounded))
                .map(|(_, &ix)| ix),
        )
    } else {
        let range = list.range::<EntityId, _>((Bound::Unbounded, at));
        Box::new(range.rev().map(|(_, &ix)| ix))
    }
}

impl<'g> Reader<'g, '_> {
    /// True when the order asks for more than the lane keeps: each run of items that tie
    /// on the lane's fields is then read whole and sorted by the rest.
    fn runs(&self) -> bool {
        self.lead < self.sort.fields().len()
    }

    /// Where `node` sits in this reader's order.
    fn place<'n>(&self, node: &'n Node) -> Place<'n> {
        if self.runs() {
            Place::Key(self.sort.key(node, self.as_of))
        } else {
            Place::Slot(self.lane.slot(node))
        }
    }

    /// Which of two places comes first in this reader's order.
    fn order(&self, a: &Place<'_>, b: &Place<'_>) -> Ordering {
        match (a, b) {
            (Place::Slot(a), Place::Slot(b)) => self.lane.compare(a, b),
            (Place::Key(a), Place::Key(b)) => self.sort.compare(a, b),
            // One reader makes places of one sort only.
            (a, b) => a.id().cmp(b.id()),
        }
    }

    /// The place a cursor's key names in this reader's order; none when the lane has no
    /// slot for the key's leading values, which the general path then places.
    fn cursor<'k>(&self, key: &'k SortKey<'_>) -> Option<Place<'k>> {
        let slot = self.slot(key.values.get(..self.lead)?, &key.id)?;
        Some(if self.runs() {
            Place::Key(SortKey {
                values: key.values.clone(),
                id: Cow::Borrowed(&key.id),
            })
        } else {
            Place::Slot(slot)
        })
    }

    /// The matching items past `from`, in order (forward) or against it.
    fn walk<'a>(
        &'a self,
        from: Bound<&'a Place<'a>>,
        forward: bool,
    ) -> Either<impl Iterator<Item = &'g Node> + 'a, Runs<'a, 'g>>
    where
        'g: 'a,
    {
        let (key, included) = match from {
            Bound::Unbounded if self.runs() => {
                let all = Box::new(self.lane_walk(Bound::Unbounded, forward));
                return Either::Runs(Runs::new(self, all, forward, None));
            }
            Bound::Unbounded => return Either::Lane(self.lane_walk(Bound::Unbounded, forward)),
            Bound::Included(Place::Slot(s)) => {
                return Either::Lane(self.lane_walk(Bound::Included(s), forward));
            }
            Bound::Excluded(Place::Slot(s)) => {
                return Either::Lane(self.lane_walk(Bound::Excluded(s), forward));
            }
            Bound::Included(Place::Key(k)) => (k, true),
            Bound::Excluded(Place::Key(k)) => (k, false),
        };
        // The run of items that tie with the key on the lane's fields lies on both sides
        // of the key's slot: what lies behind is read back to the run's start, then the
        // walk goes on from the slot, and the run is sorted whole before items past the
        // key come out.
        let lead = key.values.get(..self.lead).unwrap_or_default();
        let Some(slot) = self.slot(lead, &key.id) else {
            return Either::Runs(Runs::new(self, Box::new(std::iter::empty()), forward, None));
        };
        let ties = move |n: &&'g Node| {
            self.sort
                .compare_first(self.lead, &self.sort.key(n, self.as_of), key)
                == Ordering::Equal
        };
        let behind: Vec<&'g Node> = self
            .lane_walk(Bound::Excluded(&slot), !forward)
            .take_while(ties)
            .collect();
        let ahead = self.lane_walk(Bound::Included(&slot), forward);
        let items = Box::new(behind.into_iter().chain(ahead));
        Either::Runs(Runs::new(self, items, forward, Some((key, included))))
    }

    /// The matching items past `from` in the lane's order (forward) or against it.
    fn lane_walk<'a>(
        &'a self,
        from: Bound<&Slot<'a>>,
        forward: bool,
    ) -> impl Iterator<Item = &'g Node> + 'a
    where
        'g: 'a,
    {
        let (g, lane) = (self.g, self.lane);
        let node = move |x: u32| -> &'g Node { &g.graph[NodeIndex::new(x as usize)] };
        let ixs: Walk<'a> = match &self.source {
            Source::Books(role, ids) => {
                let mut walks: Vec<Walk<'a>> = ids
                    .iter()
                    .map(|id| g.books.walk(*role, id, lane, from, forward, node))
                    .collect();
                match walks.len() {
                    1 => walks.remove(0),
                    _ => Box::new(Merge {
                        walks: walks.into_iter().map(Iterator::peekable).collect(),
                        g,
                        lane,
                        forward,
                    }),
                }
            }
            Source::Kind(kind) => match g.by_kind.get(kind) {
                None => Box::new(std::iter::empty()),
                // By id largest first: the list backward (ids never tie).
                Some(list) => by_id(list, from, forward == (lane == Lane::Id)),
            },
            Source::Names(kind) => match g.names.list(*kind) {
                None => Box::new(std::iter::empty()),
                Some(list) => lanes::walk(list, lane, from, forward, node),
            },
            Source::Dates(kind, span) => {
                g.dates
                    .walk(*kind, lane, span.as_ref(), from, forward, node)
            }
            Source::Amounts(span) => g.money.walk(lane, span.as_ref(), from, forward, move |ix| {
                &g.graph[ix].id
            }),
            Source::Rates(span) => g.rates.walk(lane, span.as_ref(), from, forward, node),
        };
        let (filter, as_of, implied) = (self.filter, self.as_of, self.implied);
        let budget = &self.budget;
        interrupt::checked(ixs)
            .take_while(move |_| budget.take())
            .map(move |ix| &*g.graph[ix])
            .filter(move |n| filter.matches_besides(n, as_of, implied))
    }

    /// True when a matching item lies past `from`.
    fn any(&self, from: Bound<&Place<'_>>, forward: bool) -> bool {
        self.walk(from, forward).next().is_some()
    }

    /// The slot the values of the lane's fields and an id name in this lane; none when
    /// they hold a value no slot can (text that is no currency code, a currency without
    /// an amount, no name), which the general path then places.
    fn slot<'k>(&self, values: &'k [Option<Value>], id: &'k EntityId) -> Option<Slot<'k>> {
        match (self.lane, values) {
            (Lane::Id, []) => Some(Slot::Id(id)),
            // The key's value is its id again; one that is not is placed by the general
            // path.
            (Lane::IdDesc, [Some(Value::Id(value))]) if value == id => Some(Slot::Id(id)),
            (Lane::Name | Lane::NameDesc, [Some(Value::Text(name))]) => Some(Slot::Name(name, id)),
            (Lane::Date | Lane::DateDesc, [None]) => Some(Slot::Undated(id)),
            (Lane::Rate | Lane::RateDesc, [None]) => Some(Slot::Unrated(id)),
            (Lane::Rate | Lane::RateDesc, [Some(Value::Decimal(rate))]) => {
                Some(Slot::Rated(*rate, id))
            }
            (Lane::Date | Lane::DateDesc, [Some(Value::Date(d))]) => {
                Some(Slot::Dated(d.start(), id))
            }
            (Lane::Rising | Lane::Falling, [None, None]) => Some(Slot::Unpriced(id)),
            (Lane::Rising | Lane::Falling, [Some(Value::Text(code)), Some(Value::Decimal(a))]) => {
                // Currencies compare as text ignoring case; a code of three ASCII letters
                // in any case compares as the currency it names, uppercase.
                if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
                    return None;
                }
                let currency: Currency = code.to_ascii_uppercase().parse().ok()?;
                Some(Slot::Money(currency, *a, id))
            }
            _ => None,
        }
    }

    /// The page `window` selects, read in order; none when a cursor's key has no slot, or
    /// when the walks read more nodes than the reader's budget.
    fn page(&self, window: &Window<SortKey<'_>>) -> Option<ListPage<'g>> {
        let after = match &window.after {
            Some(k) => Some(self.cursor(k)?),
            None => None,
        };
        let before = match &window.before {
            Some(k) => Some(self.cursor(k)?),
            None => None,
        };
        let is = |n: &Node, b: &Place<'_>, o: Ordering| self.order(&self.place(n), b) == o;
        let mut items: Vec<&'g Node>;
        // Where the page sits should it come out empty.
        let mut empty_at = match &after {
            Some(a) => Cut::After(a.clone()),
            None => Cut::Start,
        };
        if window.first.is_some() || window.last.is_none() {
            let within = self
                .walk(past(&after), true)
                .take_while(|n| before.as_ref().is_none_or(|b| is(n, b, Ordering::Less)));
            items = match window.first {
                Some(first) => within.take(first).collect(),
                None => within.collect(),
            };
            if let Some(last) = window.last {
                let dropped: Vec<_> = items.drain(..items.len().saturating_sub(last)).collect();
                if let Some(n) = dropped.last() {
                    empty_at = Cut::After(self.place(n));
                }
            }
        } else {
            let last = window.last.unwrap_or_default();
            items = self
                .walk(past(&before), false)
                .take_while(|n| after.as_ref().is_none_or(|a| is(n, a, Ordering::Greater)))
                .take(last)
                .collect();
            items.reverse();
            empty_at = match (after, before) {
                (_, None) => Cut::End,
                (Some(a), Some(b)) if self.order(&b, &a) != Ordering::Greater => Cut::After(a),
                (_, Some(b)) => Cut::Before(b),
            };
        }
        let (has_previous, has_next) = match (items.first(), items.last()) {
            (Some(first), Some(last)) => (
                self.any(Bound::Excluded(&self.place(first)), false),
                self.any(Bound::Excluded(&self.place(last)), true),
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
        if self.budget.spent() {
            return None;
        }
        Some(ListPage {
            nodes: items,
            has_previous,
            has_next,
            total: None,
        })
    }
}

impl<'a> Place<'a> {
    /// The id of the item or cursor the place is of.
    fn id(&self) -> &EntityId {
        match self {
            Place::Slot(s) => s.id(),
            Place::Key(k) => &k.id,
        }
    }
}

/// A reader's items in an order that asks for more than its lane keeps: each run of items
/// that tie on the lane's fields, as the lane gives them, sorted by the whole order
/// (forward) or against it; only those past a key, where one is given (or at it too).
struct Runs<'a, 'g> {
    items: Peekable<Items<'a, 'g>>,
    sort: &'a Sort,
    lead: usize,
    as_of: Option<&'a PartialDate>,
    forward: bool,
    past: Option<(&'a SortKey<'a>, bool)>,
    /// The rest of the current run, sorted, last first.
    run: Vec<(SortKey<'g>, &'g Node)>,
}

impl<'a, 'g> Runs<'a, 'g> {
    fn new(
        reader: &'a Reader<'g, '_>,
        items: Items<'a, 'g>,
        forward: bool,
        past: Option<(&'a SortKey<'a>, bool)>,
    ) -> Self {
        Runs {
            items: items.peekable(),
            sort: reader.sort,
            lead: reader.lead,
            as_of: reader.as_of,
            forward,
            past,
            run: Vec::new(),
        }
    }

    /// True when `key` lies past the key the walk starts from, if any.
    fn passes(&self, key: &SortKey<'_>) -> bool {
        self.past.is_none_or(|(from, included)| {
            match (self.sort.compare(key, from), self.forward) {
                (Ordering::Greater, true) | (Ordering::Less, false) => true,
                (Ordering::Equal, _) => included,
                _ => false,
            }
        })
    }
}

impl<'g> Iterator for Runs<'_, 'g> {
    type Item = &'g Node;

    fn next(&mut self) -> Option<&'g Node> {
        loop {
            while let Some((key, n)) = self.run.pop() {
                if self.passes(&key) {
                    return Some(n);
                }
            }
            let (sort, as_of, lead) = (self.sort, self.as_of, self.lead);
            let first = self.items.next()?;
            let mut run = vec![(sort.key(first, as_of), first)];
            while let Some(&n) = self.items.peek() {
                let key = sort.key(n, as_of);
                if sort.compare_first(lead, &key, &run[0].0) != Ordering::Equal {
                    break;
                }
                self.items.next();
                run.push((key, n));
            }
            // Last first, so that the run is taken from its end.
            run.sort_unstable_by(|a, b| {
                let order = sort.compare(&a.0, &b.0);
                if self.forward { order.reverse() } else { order }
            });
            self.run = run;
        }
    }
}

/// Several books' walks as one, in order (forward) or against it. A commitment in two of
/// them (two beneficiaries named) comes once.
struct Merge<'a, 'g> {
    walks: Vec<Peekable<Walk<'a>>>,
    g: &'g KnowledgeGraph,
    lane: Lane,
    forward: bool,
}

impl Iterator for Merge<'_, '_> {
    type Item = NodeIndex;

    fn next(&mut self) -> Option<NodeIndex> {
        let (g, lane) = (self.g, self.lane);
        let mut best: Option<(usize, NodeIndex)> = None;
        for (i, walk) in self.walks.iter_mut().enumerate() {
            if let Some(&ix) = walk.peek() {
                let better = best.is_none_or(|(_, b)| {
                    let order = lane.compare_nodes(&g.graph[ix], &g.graph[b]);
                    order
                        == if self.forward {
                            Ordering::Less
                        } else {
                            Ordering::Greater
                        }
                });
                if better {
                    best = Some((i, ix));
                }
            }
        }
        let (i, ix) = best?;
        self.walks[i].next();
        for walk in &mut self.walks {
            if walk.peek() == Some(&ix) {
                walk.next();
            }
        }
        Some(ix)
    }
}

/// The books', the amounts index's and the name lists' content, each node named by its
/// id, for tests to compare indexes kept in place with indexes built afresh.
/// The part of a list a Relay window keeps, as positions: from `start` (past the items up
/// to the `after` cursor's key) to `end` (the first item from the `before` cursor's key
/// on), then the first `first` of those, then the last `last` of what that leaves.
pub(super) fn relay_range(
    start: usize,
    end: usize,
    first: Option<usize>,
    last: Option<usize>,
) -> (usize, usize) {
    let mut end = end.max(start);
    if let Some(first) = first {
        end = end.min(start.saturating_add(first));
    }
    let start = last.map_or(start, |last| start.max(end.saturating_sub(last)));
    (start, end)
}

/// The page `window` picks out of `items`, in the order `order` sorts them (`against`
/// places an item against a cursor's key): as a Relay window over the sorted list, the
/// items after `after` and before `before`, then the first `first`, then the last `last`
/// of those. Only the page's items are sorted; the others are counted or set aside.
fn select<'g, T>(
    mut items: Vec<T>,
    window: &Window<SortKey<'_>>,
    order: impl Fn(&T, &T) -> Ordering,
    against: impl Fn(&T, &SortKey<'_>) -> Ordering,
    node: impl Fn(T) -> &'g Node,
) -> ListPage<'g> {
    let total = items.len();
    let rank = |key: &SortKey<'_>, holds: fn(Ordering) -> bool| {
        items.iter().filter(|i| holds(against(i, key))).count()
    };
    let start = window
        .after
        .as_ref()
        .map_or(0, |a| rank(a, |o| o != Ordering::Greater));
    let end = window
        .before
        .as_ref()
        .map_or(total, |b| rank(b, |o| o == Ordering::Less));
    let (start, end) = relay_range(start, end, window.first, window.last);
    if start < end {
        if start > 0 {
            items.select_nth_unstable_by(start, &order);
        }
        let rest = &mut items[start..];
        if end - start < rest.len() {
            rest.select_nth_unstable_by(end - start - 1, &order);
        }
        rest[..end - start].sort_unstable_by(&order);
    }
    let nodes = items
        .into_iter()
        .skip(start)
        .take(end - start)
        .map(node)
        .collect();
    ListPage {
        nodes,
        has_previous: start > 0,
        has_next: end < total,
        total: Some(total),
    }
}

#[cfg(test)]
impl KnowledgeGraph {
    pub(crate) fn books_view(&self) -> Vec<String> {
        let node = |x: u32| -> &Node { &self.graph[NodeIndex::new(x as usize)] };
        self.books.view(node, &|ix| self.graph[ix].id.to_string())
    }

    /// The amounts index's content, each node named by its id, as [`Self::books_view`].
    pub(crate) fn money_view(&self) -> Vec<String> {
        self.money.view(&|ix| self.graph[ix].id.to_string())
    }

    /// Each dated kind's lists by date, each node named by its id, as [`Self::books_view`].
    pub(crate) fn dates_view(&self) -> Vec<String> {
        self.dates
            .view(&|x| self.graph[NodeIndex::new(x as usize)].id.to_string())
    }

    /// The tariff measures' lists by rate, each node named by its id, as
    /// [`Self::books_view`].
    pub(crate) fn rates_view(&self) -> String {
        self.rates
            .view(&|x| self.graph[NodeIndex::new(x as usize)].id.to_string())
    }

    /// Each kind's groups by kind, period, status and currency, each node named by its
    /// id, as [`Self::books_view`].
    pub(crate) fn tags_view(&self) -> Vec<String> {
        self.tags
            .view(&|x| self.graph[NodeIndex::new(x as usize)].id.to_string())
    }

    /// Each kind's list by name, each node named by its id, as [`Self::books_view`].
    pub(crate) fn names_view(&self) -> Vec<String> {
        let node = |x: u32| -> &Node { &self.graph[NodeIndex::new(x as usize)] };
        self.names.view(node, &|x| node(x).id.to_string())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::borrow::Cow;

    use rust_decimal::Decimal;

    use super::super::testing::*;
    use super::*;
    use crate::model::{
        Amount, ClaimSet, CommitmentKind as K, CommitmentStatus as Status, EventKind, NodeData,
        Period, Quantity, Unit,
    };

    /// The page `window` selects of `list`, sorted by `sort` (values as of `as_of`), as a
    /// Relay connection cuts it from the whole list: what every page must equal.
    fn slice<'g>(
        list: &[&'g Node],
        sort: &Sort,
        as_of: Option<&PartialDate>,
        window: &Window<SortKey<'_>>,
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
        // The list itself against every node of the kind tested and sorted, no index read.
        let mut every: Vec<&Node> = g
            .nodes_of_kind(kind)
            .filter(|n| filter.matches(n, as_of))
            .collect();
        every.sort_by(|a, b| sort.compare(&sort.key(a, as_of), &sort.key(b, as_of)));
        assert_eq!(list, every, "{filter:?} by {sort}");
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
            // By name: a name some items have in another case, names between and beyond
            // theirs, none at all.
            (vec![Some(Value::Text("ALPHA".into()))], "commitment:c5"),
            (vec![Some(Value::Text("alpha".into()))], "commitment:0"),
            (vec![Some(Value::Text("aLpHa".into()))], "commitment:zz"),
            (vec![Some(Value::Text("b".into()))], "commitment:m"),
            (vec![Some(Value::Text("ärger".into()))], "commitment:c1"),
            (vec![Some(Value::Text(String::new()))], "commitment:m"),
            (vec![Some(Value::Text("zzz".into()))], "commitment:a"),
            (vec![None], "commitment:b"),
            // By date: a day some items start on, a month that starts on it, days before,
            // between and beyond theirs.
            (vec![date("2025-07-01")], "event:e5"),
            (vec![date("2025-07")], "event:0"),
            (vec![date("2025-07-01")], "event:zz"),
            (vec![date("1999-12-31")], "event:m"),
            (vec![date("2025-07-15")], "event:m"),
            (vec![date("2031")], "deal:a"),
            // By rate: a rate some items have, written otherwise, and rates between and
            // beyond theirs.
            (vec![Some(Value::Decimal(25.into()))], "tariff:t5"),
            (
                vec![Some(Value::Decimal(Decimal::new(2500, 2)))],
                "tariff:0",
            ),
            (vec![Some(Value::Decimal(Decimal::new(125, 1)))], "tariff:m"),
            (vec![Some(Value::Decimal((-1).into()))], "tariff:zz"),
            (vec![Some(Value::Decimal(99.into()))], "tariff:a"),
            // By id largest first: a key whose value is its id, and one whose is not.
            (vec![Some(Value::Id(id("commitment:c3")))], "commitment:c3"),
            (vec![Some(Value::Id(id("commitment:c3")))], "commitment:c30"),
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
        let mut windows: Vec<Window<SortKey<'_>>> = Vec::new();
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
    /// three currencies, some without an amount or with one that is no money; some to two
    /// beneficiaries; some in one of two deals, some part of another, in one of three
    /// statuses; with names that tie, some only ignoring case.
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
                // Some without one, last in an order by status either way.
                let claims = match i % 11 {
                    5 => Vec::new(),
                    _ => vec![claim("s", status, None)],
                };
                c.status = ClaimSet::new(claims);
                let other = id(countries[dice.roll(3)]);
                if dice.roll(4) == 0 && !c.beneficiaries.contains(&other) {
                    c.beneficiaries.push(other);
                }
            }
            if let Some(name) = NAMES.get(dice.roll(NAMES.len() + 3)) {
                node.name = (*name).into();
            }
            nodes.push(node);
        }
        KnowledgeGraph::build(nodes, Vec::new()).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Names that tie, some only ignoring case, some only past their first sixteen bytes.
    pub(crate) const NAMES: [&str; 9] = [
        "Alpha",
        "alpha",
        "ALPHA",
        "Beta pledge",
        "Ärger",
        "ärger",
        "analysis: talks with Japan",
        "analysis: talks with Korea",
        "zeta",
    ];

    fn test(field: Field, op: Op) -> Filter {
        Filter::Test(field, op)
    }

    fn date(text: &str) -> Option<Value> {
        Some(Value::Date(text.parse().unwrap_or_else(|e| panic!("{e}"))))
    }

    /// Events and deals among Japan, South Korea and the United States, dated on days
    /// that tie, in months and years that start on those days, known only as a range
    /// (ordered by the first day it can be), or not at all; with names that tie.
    fn dated_graph(dice: &mut Dice, n: usize) -> KnowledgeGraph {
        let countries = ["country:jp", "country:kr", "country:us"];
        let days = [
            "2025-07-01",
            "2025-07",
            "2025",
            "2024-12-31",
            "2025-07-22",
            "2026-01-01",
        ];
        let mut nodes = vec![
            country("jp", "Japan"),
            country("kr", "South Korea"),
            country("us", "United States"),
        ];
        for i in 0..n {
            let day = days[dice.roll(days.len())];
            let mut node = match dice.roll(3) {
                0 => deal(&format!("deal:d{i}"), &countries[..2], Some(day)),
                _ => event(&format!("event:e{i}"), day, &[countries[dice.roll(3)]]),
            };
            let when = match dice.roll(5) {
                0 => None,
                1 => Some(
                    serde_json::from_str::<crate::model::When>(
                        r#"{"not_before": {"date": "2025-07-01", "reason": "after the talks"}}"#,
                    )
                    .unwrap_or_else(|e| panic!("{e}")),
                ),
                _ => Some(crate::model::When::stated(
                    day.parse().unwrap_or_else(|e| panic!("{e}")),
                )),
            };
            match &mut node.data {
                NodeData::Event(e) => {
                    e.date = when;
                    e.kind = [EventKind::Meeting, EventKind::Talks, EventKind::Post][i % 3];
                }
                NodeData::Deal(d) => d.announced = when,
                _ => {}
            }
            if let Some(name) = NAMES.get(dice.roll(NAMES.len() + 3)) {
                node.name = (*name).into();
            }
            nodes.push(node);
        }
        KnowledgeGraph::build(nodes, Vec::new()).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Tariff measures between three countries: rates that tie (some written otherwise),
    /// none, one superseded, one ended; names that tie in some cases.
    fn rated_graph(dice: &mut Dice, n: usize) -> KnowledgeGraph {
        let rates = ["25", "25.0", "10", "0", "12.5"];
        let mut nodes = vec![
            country("jp", "Japan"),
            country("kr", "South Korea"),
            country("us", "United States"),
        ];
        for i in 0..n {
            let by = ["country:us", "country:kr"][dice.roll(2)];
            let (a, b) = (rates[dice.roll(rates.len())], rates[dice.roll(rates.len())]);
            let specs: Vec<RateSpec<'_>> = match dice.roll(5) {
                0 => Vec::new(),
                1 => vec![("a", a, Some("2025-04-05"), None, None)],
                // Superseded: the newer one is current.
                2 => vec![
                    ("a", a, Some("2025-04-05"), None, None),
                    ("b", b, Some("2025-08-07"), None, Some("a")),
                ],
                // Ended, and nothing open: the one that ended is current.
                3 => vec![("a", a, Some("2025-04-05"), Some("2025-08-01"), None)],
                _ => vec![("a", a, None, None, None)],
            };
            let mut node = tariff(&format!("tariff:t{i}"), by, "country:jp", None, &specs);
            if let Some(name) = NAMES.get(dice.roll(NAMES.len() + 3)) {
                node.name = (*name).into();
            }
            nodes.push(node);
        }
        KnowledgeGraph::build(nodes, vec![]).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn pages_of_tariffs_by_rate_are_the_slices_and_read_from_their_lists() {
        let mut dice = Dice(0x7a_41ff_0c3d);
        let by = |field, descending| Order { field, descending };
        let rate =
            |op: fn(Value) -> Op, r: i64| test(Field::RatePercent, op(Value::Decimal(r.into())));
        let with_a = || test(Field::Name, Op::Contains("a".into()));
        let filters = [
            Filter::default(),
            with_a(),
            test(Field::Imposer, Op::Eq(Value::Id(id("country:us")))),
            rate(Op::Gte, 10),
            rate(Op::Eq, 25),
            Filter::Not(Box::new(rate(Op::Lt, 12))),
            Filter::All(vec![rate(Op::Gt, 0), rate(Op::Lte, 25)]),
            Filter::All(vec![rate(Op::Lt, 11), with_a()]),
            Filter::All(vec![rate(Op::Gt, 25), rate(Op::Lt, 10)]),
        ];
        let as_of: PartialDate = "2025-06-01".parse().unwrap_or_else(|e| panic!("{e}"));
        for n in [0, 1, 9, 80] {
            let g = rated_graph(&mut dice, n);
            for filter in &filters {
                for order in [
                    vec![by(Field::RatePercent, false)],
                    vec![by(Field::RatePercent, true)],
                    vec![by(Field::RatePercent, false), by(Field::Name, false)],
                    vec![by(Field::RatePercent, true), by(Field::Name, true)],
                    vec![by(Field::Status, false), by(Field::RatePercent, true)],
                    vec![],
                    vec![by(Field::Name, true)],
                ] {
                    for when in [None, Some(&as_of)] {
                        let seed = dice.roll(1 << 30) as u64;
                        check_pages_of(&g, NodeKind::TariffMeasure, filter, &order, when, seed);
                    }
                }
            }
            // Read from the lists by rate as the rates are now, either way; not as of a
            // date, when another rate may have held.
            let first = Window {
                first: Some(3),
                ..Window::default()
            };
            let kind = NodeKind::TariffMeasure;
            for descending in [false, true] {
                let sort = Sort::new(&[by(Field::RatePercent, descending)]);
                let reader = g.index_for(kind, &filters[1], &sort, None, &first);
                assert!(reader.is_some_and(|r| matches!(r.source, Source::Rates(None))));
                // A range of rates: its run alone.
                let reader = g.index_for(kind, &filters[3], &sort, None, &first);
                assert!(reader.is_some_and(|r| matches!(r.source, Source::Rates(Some(_)))));
                assert!(
                    g.index_for(kind, &filters[1], &sort, Some(&as_of), &first)
                        .is_none()
                );
                // In another order, a range of rates few enough tariff measures is
                // read whole, from its run of the list by rate.
                let without_a = || Filter::Not(Box::new(with_a()));
                for other in [Sort::new(&[]), Sort::new(&[by(Field::Name, descending)])] {
                    let none = Filter::All(vec![rate(Op::Gt, 1000), without_a()]);
                    assert!(g.index_for(kind, &none, &other, None, &first).is_none());
                    let few = Filter::All(vec![rate(Op::Gt, 10), without_a()]);
                    let from_run = g.start(kind, &few, None).map(|(set, _)| set.len());
                    let above = g.count(kind, &rate(Op::Gt, 10), None);
                    assert_eq!(from_run, Some(above), "{n} tariff measures");
                    assert!(g.start(kind, &few, Some(&as_of)).is_none());
                    let some = Filter::All(vec![rate(Op::Gt, 0), without_a()]);
                    let read = g.index_for(kind, &some, &other, None, &first);
                    assert!(
                        read.is_some_and(|r| matches!(
                            r.source,
                            Source::Kind(_) | Source::Names(_)
                        )) || n < 80
                    );
                }
                // No list of commitments by rate: the general path.
                let commitments = NodeKind::Commitment;
                assert!(
                    g.index_for(commitments, &filters[1], &sort, None, &first)
                        .is_none()
                );
            }
        }
    }

    #[test]
    fn pages_of_events_and_deals_by_date_are_the_slices_and_read_from_their_lists() {
        let mut dice = Dice(0x51_7cc1_b727);
        let by = |field, descending| Order { field, descending };
        let named = test(Field::Name, Op::Contains("a".into()));
        let meetings = test(Field::Kind, Op::Eq(Value::Text("meeting".into())));
        let with_jp = test(Field::Participant, Op::Eq(Value::Id(id("country:jp"))));
        let on = |op: fn(Value) -> Op, day: &str| {
            test(Field::Date, op(date(day).unwrap_or_else(|| panic!())))
        };
        let since = on(Op::Gte, "2025-07-01");
        let spans = [
            since.clone(),
            on(Op::Gt, "2025-07-01"),
            on(Op::Lt, "2025-07-22"),
            on(Op::Lte, "2025"),
            on(Op::Eq, "2025-07"),
            Filter::All(vec![on(Op::Gte, "2025-07"), on(Op::Lte, "2025-07-22")]),
            Filter::All(vec![on(Op::Gt, "2025-07"), on(Op::Gte, "2025-07-01")]),
            Filter::All(vec![on(Op::Lte, "2025-07-22"), on(Op::Lt, "2025-07-22")]),
            Filter::All(vec![on(Op::Gt, "2026"), on(Op::Lt, "2024")]),
            Filter::All(vec![since.clone(), named.clone()]),
            Filter::Any(vec![on(Op::Lt, "2025"), on(Op::Gt, "2025-07-22")]),
            Filter::Not(Box::new(since.clone())),
        ];
        for n in [0, 1, 9, 80] {
            let g = dated_graph(&mut dice, n);
            for kind in [NodeKind::Event, NodeKind::Deal] {
                let filters = [
                    Filter::default(),
                    named.clone(),
                    meetings.clone(),
                    with_jp.clone(),
                ];
                for filter in filters.iter().chain(&spans) {
                    for order in [
                        vec![by(Field::Date, false)],
                        vec![by(Field::Date, true)],
                        vec![by(Field::Date, true), by(Field::Id, false)],
                        vec![by(Field::Date, false), by(Field::Name, false)],
                        vec![by(Field::Date, true), by(Field::Name, true)],
                        vec![by(Field::Name, false), by(Field::Date, true)],
                        vec![],
                        vec![by(Field::Name, true)],
                        // Led by the kind within the kind: group by group.
                        vec![by(Field::Kind, false), by(Field::Date, true)],
                        vec![by(Field::Kind, true), by(Field::Name, false)],
                        vec![by(Field::Status, false), by(Field::Date, false)],
                    ] {
                        let seed = dice.roll(1 << 30) as u64;
                        check_pages_of(&g, kind, filter, &order, None, seed);
                    }
                }
            }
            let first = Window {
                first: Some(3),
                ..Window::default()
            };
            // A kind with no node has no list.
            let events = g.count(NodeKind::Event, &Filter::default(), None) > 0;
            for descending in [false, true] {
                let sort = Sort::new(&[by(Field::Date, descending)]);
                let reader = g.index_for(NodeKind::Event, &named, &sort, None, &first);
                assert_eq!(
                    reader.map(|r| matches!(r.source, Source::Dates(NodeKind::Event, _))),
                    events.then_some(true)
                );
                // Ordered by date and then by another field: the list by date still,
                // each day's events sorted by the rest.
                let then = Sort::new(&[by(Field::Date, descending), by(Field::Name, true)]);
                let reader = g.index_for(NodeKind::Event, &named, &then, None, &first);
                assert_eq!(
                    reader.map(|r| (matches!(r.source, Source::Dates(..)), r.runs())),
                    events.then_some((true, true))
                );
                // Related entities named: their relations, not the list.
                let reader = g.index_for(NodeKind::Event, &with_jp, &sort, None, &first);
                assert!(reader.is_none());
                // No list of commitments by date: the general path.
                let kind = NodeKind::Commitment;
                assert!(g.index_for(kind, &named, &sort, None, &first).is_none());
            }
            // By id, a span of days few events fall in is read whole, and one most do is
            // not; the events of a span are counted from their list alone.
            let by_id = Sort::new(&[]);
            let read = |filter: &Filter| {
                g.index_for(NodeKind::Event, filter, &by_id, None, &first)
                    .is_some()
            };
            assert!(!read(&on(Op::Gt, "2030")));
            assert!(n < 80 || read(&on(Op::Gte, "2000")));
            assert_eq!(DaySpan::of(&since).map(|(_, only)| only), Some(true));
            let mixed = Filter::All(vec![since.clone(), named.clone()]);
            assert_eq!(DaySpan::of(&mixed).map(|(_, only)| only), Some(false));
            assert_eq!(DaySpan::of(&named), None);
            // An `and` of `and`s, as the API writes a filter's own `and`, is one span.
            let nested = Filter::All(vec![Filter::All(vec![since.clone()]), since.clone()]);
            assert_eq!(DaySpan::of(&nested).map(|(_, only)| only), Some(true));
            let negated = Filter::All(vec![since.clone(), Filter::Not(Box::new(named.clone()))]);
            assert_eq!(DaySpan::of(&negated).map(|(_, only)| only), Some(false));
        }
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
            // Kinds and statuses, from their groups.
            test(Field::Status, texts(&["PLEDGED", "planned", "lapsed"])),
            Filter::All(vec![
                purchases(),
                test(Field::Status, Op::Eq(Value::Text("Fulfilled".into()))),
            ]),
            Filter::All(vec![jp(), purchases()]),
            test(Field::Currency, Op::Eq(Value::Text("usd".into()))),
            Filter::All(vec![jp()]),
            Filter::Not(Box::new(jp())),
            Filter::All(vec![Filter::Not(Box::new(Filter::All(vec![
                jp(),
                test(Field::Amount, Op::Gte(Value::Decimal(5.into()))),
            ])))]),
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
            // Beneficiaries and deals named: read from their books.
            test(Field::Beneficiary, Op::Eq(Value::Id(id("country:us")))),
            test(Field::Beneficiary, ids(&["country:us", "country:kr"])),
            test(Field::Deal, Op::Eq(Value::Id(id("deal:a")))),
            Filter::All(vec![
                test(Field::Deal, ids(&["deal:b", "deal:x"])),
                test(Field::Amount, Op::Gte(Value::Decimal(5.into()))),
            ]),
            Filter::All(vec![
                test(Field::Deal, ids(&["deal:a", "deal:b"])),
                purchases(),
            ]),
            Filter::All(vec![
                jp(),
                test(Field::Beneficiary, ids(&["country:kr", "country:us"])),
            ]),
            // Names and texts that hold a piece of a word: started from the terms that
            // hold it, or, with no piece to look for, the kind's list read whole.
            test(Field::Name, Op::Contains("ALPHA".into())),
            test(Field::Name, Op::Contains("rger".into())),
            test(Field::Name, Op::Contains("Är".into())),
            test(Field::Name, Op::Contains("ä".into())),
            test(Field::Text, Op::Contains("talks WITH k".into())),
            test(Field::Name, Op::Contains("s: t".into())),
            Filter::All(vec![jp(), test(Field::Name, Op::Contains("lph".into()))]),
            Filter::Any(vec![
                test(Field::Name, Op::Contains("korea".into())),
                test(Field::Deal, Op::Eq(Value::Id(id("deal:a")))),
            ]),
            Filter::Not(Box::new(test(Field::Name, Op::Contains("a".into())))),
            // An `or` whose every branch has a start starts from their union; one with
            // a branch that has none reads the kind's list.
            Filter::Any(vec![
                jp(),
                test(Field::Deal, Op::Eq(Value::Id(id("deal:b")))),
            ]),
            Filter::All(vec![
                Filter::Any(vec![
                    test(Field::Id, Op::Eq(Value::Id(id("commitment:c3")))),
                    test(
                        Field::Id,
                        ids(&["commitment:c5", "commitment:c7", "commitment:none"]),
                    ),
                ]),
                purchases(),
            ]),
            Filter::Any(vec![
                test(Field::Deal, Op::Eq(Value::Id(id("deal:a")))),
                Filter::Any(vec![
                    test(Field::Beneficiary, Op::Eq(Value::Id(id("country:us")))),
                    test(Field::Amount, Op::Eq(Value::Decimal(5.into()))),
                ]),
            ]),
            Filter::Any(Vec::new()),
            Filter::Not(Box::new(Filter::Any(vec![
                jp(),
                test(Field::Deal, Op::Eq(Value::Id(id("deal:a")))),
            ]))),
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

    /// Orders by amount, by id and by name, each both ways, which the books keep, and
    /// some they do not.
    pub(crate) fn orders() -> Vec<Vec<Order>> {
        let by = |field, descending| Order { field, descending };
        vec![
            vec![],
            vec![by(Field::Amount, false)],
            vec![by(Field::Amount, true)],
            vec![by(Field::Amount, true), by(Field::Id, false)],
            vec![by(Field::Id, true)],
            vec![by(Field::Name, false)],
            vec![by(Field::Name, true), by(Field::Id, false)],
            vec![by(Field::Kind, false), by(Field::Amount, true)],
            vec![by(Field::Name, false), by(Field::Amount, true)],
            vec![by(Field::Name, true), by(Field::Kind, false)],
            vec![by(Field::Amount, true), by(Field::Name, false)],
            vec![by(Field::Amount, false), by(Field::Id, true)],
            vec![by(Field::Status, true), by(Field::Name, false)],
            vec![
                by(Field::Kind, false),
                by(Field::Status, false),
                by(Field::Id, true),
            ],
            vec![by(Field::Status, false), by(Field::Kind, true)],
            vec![by(Field::Currency, true), by(Field::Name, false)],
            vec![by(Field::Currency, false), by(Field::Amount, true)],
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
        let source = |filter: &Filter, order: &[Order], window: &Window<SortKey<'_>>| {
            let sort = Sort::new(order);
            g.index_for(NodeKind::Commitment, filter, &sort, None, window)
                .map(|r| match r.source {
                    Source::Books(..) => "books".to_string(),
                    Source::Kind(_) => "by id".to_string(),
                    Source::Names(_) => "by name".to_string(),
                    Source::Dates(..) => "by date".to_string(),
                    Source::Rates(_) => "by rate".to_string(),
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
        // Either way by name or by id: the kind's lists.
        let by_name = by(Field::Name, true);
        assert_eq!(source(&all, &by_name, &first).as_deref(), Some("by name"));
        let by_id_desc = by(Field::Id, true);
        assert_eq!(source(&all, &by_id_desc, &first).as_deref(), Some("by id"));
        // Related entities named (the books' or the general path), or an order no index
        // keeps: not the kind's lists.
        let to_us = test(Field::Beneficiary, Op::Eq(Value::Id(id("country:us"))));
        assert_eq!(source(&to_us, &amount, &first), None);
        assert_eq!(source(&all, &by(Field::Kind, false), &first), None);
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
                start.is_some_and(|(s, _)| s.len() < 40 && s.len() >= list.len()),
                "{filter:?}"
            );
        }
    }

    #[test]
    fn an_or_of_indexed_branches_starts_from_their_union() {
        let g = graph(&mut Dice(5), 40);
        let kind = NodeKind::Commitment;
        let deal = |d: &str| test(Field::Deal, Op::Eq(Value::Id(id(d))));
        let one = |c: &str| test(Field::Id, Op::Eq(Value::Id(id(c))));
        let size = |f: &Filter| g.start(kind, f, None).map(|(s, _)| s.len());
        let either = Filter::Any(vec![deal("deal:a"), deal("deal:b")]);
        let (a, b) = (size(&deal("deal:a")), size(&deal("deal:b")));
        let union = size(&either);
        assert!(union.is_some_and(|u| u < 40), "{union:?}");
        assert_eq!(
            union,
            a.zip(b).map(|(a, b)| a + b),
            "no commitment is in both"
        );
        // A branch with no start: none for the `or`.
        let named = test(Field::Name, Op::Eq(Value::Text("alpha".into())));
        assert_eq!(size(&Filter::Any(vec![deal("deal:a"), named])), None);
        // A kind is a group: a start of its own.
        let purchases_or_a = Filter::Any(vec![deal("deal:a"), purchases()]);
        assert!(size(&purchases_or_a).is_some());
        // Inside an `and`, beside a condition with a larger start; the same id twice is
        // one candidate.
        let jp = test(Field::Pledger, Op::Eq(Value::Id(id("country:jp"))));
        let two = Filter::Any(vec![
            one("commitment:c3"),
            one("commitment:c3"),
            one("commitment:c9"),
        ]);
        assert_eq!(size(&Filter::All(vec![jp.clone(), two.clone()])), Some(2));
        // A page of a small union is picked from it, not walked for in the kind's list;
        // one of a large union is walked for.
        let first = Window {
            first: Some(3),
            ..Window::default()
        };
        let by_id = Sort::new(&[]);
        assert!(g.index_for(kind, &two, &by_id, None, &first).is_none());
        let most = Filter::Any(vec![jp, Filter::Not(Box::new(purchases()))]);
        assert!(g.index_for(kind, &most, &by_id, None, &first).is_some());
        let everyone = Filter::Any(vec![test(
            Field::Pledger,
            ids(&["country:jp", "country:kr", "country:us"]),
        )]);
        assert!(g.index_for(kind, &everyone, &by_id, None, &first).is_some());
        assert_eq!(g.count(kind, &everyone, None), 40);
    }

    #[test]
    fn a_contains_starts_from_the_terms_holding_its_rarest_piece() {
        let g = graph(&mut Dice(5), 40);
        let kind = NodeKind::Commitment;
        let named = |needle: &str| test(Field::Name, Op::Contains(needle.into()));
        let size = |f: &Filter| g.start(kind, f, None).map(|(s, _)| s.len());
        let korea = g.count(kind, &named("korea"), None);
        assert!(korea > 0 && korea < 20, "{korea}");
        // Every name holding "korea" holds it whole: the candidates are the matches.
        assert_eq!(size(&named("KOREA")), Some(korea));
        assert_eq!(size(&named("with Korea")), Some(korea));
        // "with" is in more names than "korea": the rarer piece is read.
        assert!(size(&named("with")).is_some_and(|n| n > korea));
        // No piece to look for: no start.
        assert_eq!(size(&named("ä")), None);
        assert_eq!(size(&named("'s")), None);
        // A page of a rare needle is picked from its candidates, not walked for.
        let first = Window {
            first: Some(3),
            ..Window::default()
        };
        let by_id = Sort::new(&[]);
        assert!(
            g.index_for(kind, &named("korea"), &by_id, None, &first)
                .is_none()
        );
        // No piece to look for: walked for.
        assert!(
            g.index_for(kind, &named("'s"), &by_id, None, &first)
                .is_some()
        );
    }

    #[test]
    fn a_word_in_every_description_but_few_names_is_picked_from_its_holders() {
        let mut nodes = vec![country("jp", "Japan"), country("kr", "South Korea")];
        for i in 0..400 {
            let at = format!("commitment:c{i}");
            let mut node = pledge(Pledge {
                id: &at,
                by: "country:jp",
                to: "country:kr",
                kind: K::Purchase,
                amount: None,
                period: Period::OneOff,
                part_of: None,
            });
            node.description = "Purchases of rice, as agreed".into();
            node.aliases = vec!["Rice pledge".into()];
            node.name = if i % 20 == 0 {
                "Rice".into()
            } else {
                at.clone()
            };
            nodes.push(node);
        }
        let g = KnowledgeGraph::build(nodes, Vec::new()).unwrap_or_else(|e| panic!("{e}"));
        let kind = NodeKind::Commitment;
        let rice = test(Field::Name, Op::Contains("RIC".into()));
        let first = Window {
            first: Some(3),
            ..Window::default()
        };
        // The names and aliases holding "ric" are 420, past the most a page of 3 of 400
        // picks from otherwise (40) but within sixteen times it: the page is picked from
        // the 20 names among them.
        assert_eq!(g.contains_estimate(&rice, usize::MAX), Some(420));
        assert_eq!(g.contains_estimate(&rice, 419), None);
        let described = test(Field::Text, Op::Contains("RIC".into()));
        assert_eq!(g.contains_estimate(&described, usize::MAX), Some(820));
        assert!(
            g.index_for(kind, &rice, &Sort::new(&[]), None, &first)
                .is_none()
        );
        let page = g.page_by(kind, &rice, &Sort::new(&[]), None, &first);
        let ids: Vec<&str> = page.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["commitment:c0", "commitment:c100", "commitment:c120"]);
        // In the descriptions, every commitment holds it: read in order.
        assert!(
            g.index_for(kind, &described, &Sort::new(&[]), None, &first)
                .is_some()
        );
    }

    #[test]
    fn pages_by_id_or_name_of_any_kind_and_as_of_a_date_are_the_slices_too() {
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
        let by = |field, descending| vec![Order { field, descending }];
        for kind in [NodeKind::Country, NodeKind::Deal, NodeKind::Person] {
            for filter in [Filter::default(), named.clone()] {
                for order in [
                    vec![],
                    by(Field::Id, true),
                    by(Field::Name, false),
                    by(Field::Name, true),
                    by(Field::Kind, false),
                    by(Field::Status, true),
                ] {
                    let seed = dice.roll(1 << 30) as u64;
                    check_pages_of(&g, kind, &filter, &order, None, seed);
                }
            }
        }
        // By name, as of a date: the kind's list by name, or a pledger's book.
        let jp = test(Field::Pledger, Op::Eq(Value::Id(id("country:jp"))));
        for filter in [Filter::default(), planned, jp] {
            for order in [
                by(Field::Name, false),
                by(Field::Name, true),
                by(Field::Status, false),
                by(Field::Kind, true),
            ] {
                let seed = dice.roll(1 << 30) as u64;
                check_pages_of(&g, NodeKind::Commitment, &filter, &order, Some(&date), seed);
            }
        }
    }

    #[test]
    fn a_kind_or_a_status_starts_from_its_groups_and_an_order_led_by_one_reads_them_in_turn() {
        let g = graph(&mut Dice(29), 90);
        let fulfilled = test(Field::Status, Op::Eq(Value::Text("FULFILLED".into())));
        let date: PartialDate = "2025-06-01".parse().unwrap_or_else(|e| panic!("{e}"));
        let kind = NodeKind::Commitment;
        // Counted from the groups, and started from them.
        let want = g
            .nodes_of_kind(kind)
            .filter(|n| fulfilled.matches(n, None))
            .count();
        assert!(want > 0);
        assert_eq!(
            g.tags.count(
                kind,
                Field::Status,
                &Op::Eq(Value::Text("fulfilled".into()))
            ),
            Some(want)
        );
        assert_eq!(g.count(kind, &fulfilled, None), want);
        let start = g
            .start(kind, &fulfilled, None)
            .map(|(set, implied)| (set.len(), implied.is_some()));
        assert_eq!(start, Some((want, true)));
        // Two: the nodes in both groups, each named once, counted and started from.
        let both = Filter::All(vec![purchases(), fulfilled.clone()]);
        let want = g
            .nodes_of_kind(kind)
            .filter(|n| both.matches(n, None))
            .count();
        assert!(want > 0);
        assert_eq!(g.count(kind, &both, None), want);
        assert_eq!(
            g.start(kind, &both, None).map(|(set, _)| set.len()),
            Some(want)
        );
        // Beside two ids, the ids: no group is read.
        let two = test(Field::Id, ids(&["commitment:c1", "commitment:c2"]));
        let named = Filter::All(vec![purchases(), two, fulfilled.clone()]);
        let start = g.start(kind, &named, None).map(|(set, _)| set.len());
        assert_eq!(start, Some(2));
        // A status as of a date is no group: a claim may have changed since.
        assert!(g.start(kind, &fulfilled, Some(&date)).is_none());
        // An order led by a kind or a status, then one an index keeps: group by group.
        let by = |field, descending| Order { field, descending };
        let first = Window {
            first: Some(4),
            ..Window::default()
        };
        for order in [
            vec![by(Field::Kind, false), by(Field::Amount, true)],
            vec![
                by(Field::Status, true),
                by(Field::Kind, false),
                by(Field::Name, false),
            ],
            vec![by(Field::Period, false)],
            vec![by(Field::Currency, true), by(Field::Amount, false)],
        ] {
            let sort = Sort::new(&order);
            let page = g.page_by_groups(kind, &Filter::default(), &sort, None, &first);
            let list = g.list_by(kind, &Filter::default(), &sort, None);
            assert_eq!(page.map(|p| p.nodes), Some(list[..4].to_vec()), "{sort}");
        }
        // The groups a filter's own condition on the field rules out are not read.
        let by_status = by(Field::Status, false);
        let groups = g.groups_of(kind, &fulfilled, by_status).len();
        assert_eq!(groups, 1, "fulfilled alone; not those without a status");
        assert_eq!(g.groups_of(kind, &Filter::default(), by_status).len(), 4);
        // Not where what follows has no index, nor by a status as of a date.
        for (order, as_of) in [
            (
                vec![by(Field::Kind, false), by(Field::RatePercent, false)],
                None,
            ),
            (vec![by(Field::Status, false)], Some(&date)),
            (vec![by(Field::Currency, false)], Some(&date)),
            // An order by amount is one by currency first, read from the amounts index.
            (vec![by(Field::Amount, false)], None),
            (vec![by(Field::Name, false)], None),
        ] {
            let sort = Sort::new(&order);
            let page = g.page_by_groups(kind, &Filter::default(), &sort, as_of, &first);
            assert!(page.is_none(), "{sort}");
        }
        // A group of few nodes is read whole in any order, not met on a walk.
        let few = test(Field::Kind, Op::Eq(Value::Text("procurement".into())));
        let sort = Sort::new(&[by(Field::Amount, true)]);
        let many = g.count(kind, &few, None);
        assert!(many > 10, "{many}");
        // A page of `need` is walked for through `need * 90 / many` of the kind's 90
        // nodes; the group read whole costs `many`.
        let page = |first| Window {
            first: Some(first),
            ..Window::default()
        };
        let need = many * many / 90;
        assert!(g.index_for(kind, &few, &sort, None, &page(need)).is_none());
        assert!(g.index_for(kind, &few, &sort, None, &page(1)).is_some());
    }

    #[test]
    fn several_groups_holding_few_together_are_merged_for_a_page_and_for_a_start() {
        // A thousand commitments: a tenth procurements (every tenth), a tenth annual (ten
        // in a row of each hundred), the annual ones priced; ten are both.
        let ids: Vec<String> = (0..1000).map(|i| format!("commitment:c{i:03}")).collect();
        let pledges = ids
            .iter()
            .enumerate()
            .map(|(i, at)| {
                let annual = (i / 10) % 10 == 0;
                Pledge {
                    id: at,
                    by: "country:jp",
                    to: "country:us",
                    kind: if i % 10 == 0 {
                        K::Procurement
                    } else {
                        K::Investment
                    },
                    amount: annual.then(|| money(&format!("{}", i + 1), "USD")),
                    period: if annual {
                        Period::Annual
                    } else {
                        Period::OneOff
                    },
                    part_of: None,
                }
            })
            .collect();
        let g = pledge_graph(pledges);
        let kind = NodeKind::Commitment;
        let procurements = test(Field::Kind, Op::Eq(Value::Text("procurement".into())));
        let annual = test(Field::Period, Op::Eq(Value::Text("annual".into())));
        let both = Filter::All(vec![procurements.clone(), annual.clone()]);
        assert_eq!(g.count(kind, &both, None), 10);
        // A page of 8 by name: the walk would read about 9 * 1000 / 10 nodes, beyond the
        // root of 9 * 1000 (94); each group (100) holds more, both together fewer.
        let by_name = Sort::new(&[Order {
            field: Field::Name,
            descending: false,
        }]);
        let first = Window {
            first: Some(8),
            ..Window::default()
        };
        for one in [&procurements, &annual] {
            assert!(g.index_for(kind, one, &by_name, None, &first).is_some());
        }
        assert!(g.index_for(kind, &both, &by_name, None, &first).is_none());
        let list = g.list_by(kind, &both, &by_name, None);
        assert_eq!(
            g.page_by(kind, &both, &by_name, None, &first).nodes,
            list[..8]
        );
        // Beside a span of amounts holding as many as the smaller group (the annual ones
        // are the priced ones), the groups are merged: ten candidates, not a hundred.
        let priced = test(Field::Amount, Op::Gte(Value::Decimal(0.into())));
        let three = Filter::All(vec![priced, procurements.clone(), annual.clone()]);
        let start = g.start(kind, &three, None).map(|(set, _)| set.len());
        assert_eq!(start, Some(10));
        assert_eq!(g.count(kind, &three, None), 10);
    }

    #[test]
    fn a_walk_that_reads_as_many_nodes_as_its_group_holds_gives_up_for_the_group() {
        // Forty priced investments, then twenty procurements without an amount: by amount,
        // the procurements come last.
        let ids: Vec<String> = (0..60).map(|i| format!("commitment:c{i:02}")).collect();
        let pledges = ids
            .iter()
            .enumerate()
            .map(|(i, at)| Pledge {
                id: at,
                by: "country:jp",
                to: "country:us",
                kind: if i < 40 {
                    K::Investment
                } else {
                    K::Procurement
                },
                amount: (i < 40).then(|| money(&format!("{}", i + 1), "USD")),
                period: Period::OneOff,
                part_of: None,
            })
            .collect();
        let g = pledge_graph(pledges);
        let kind = NodeKind::Commitment;
        let procurements = test(Field::Kind, Op::Eq(Value::Text("procurement".into())));
        let by_amount = Sort::new(&[Order {
            field: Field::Amount,
            descending: true,
        }]);
        let first = Window {
            first: Some(3),
            ..Window::default()
        };
        // The group (20) is more than the root of the page's 4 times the kind's 60 (15):
        // walked for, with a budget of 20 reads, spent among the investments.
        let reader = g.index_for(kind, &procurements, &by_amount, None, &first);
        assert!(reader.as_ref().is_some_and(|r| r.budget.left() == 20));
        assert_eq!(reader.and_then(|r| r.page(&first)), None);
        let page = g.page_by(kind, &procurements, &by_amount, None, &first);
        let list = g.list_by(kind, &procurements, &by_amount, None);
        assert_eq!(page.nodes, list[..3]);
        // The investments are met at once: the walk's page stands.
        let investments = test(Field::Kind, Op::Eq(Value::Text("investment".into())));
        let reader = g.index_for(kind, &investments, &by_amount, None, &first);
        assert!(reader.and_then(|r| r.page(&first)).is_some());
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

//! The whole graph's timeline in its order, kept in step with changes: a page of it is
//! read from where it starts, rather than found among every dated entity's entries.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::iter::Peekable;
use std::ops::{Bound, Range};

use petgraph::stable_graph::NodeIndex;

use super::budget::Budget;
use super::chunked::Chunked;
use super::page::Window;
use super::timeline::{
    Stamp, TimelineEntry, TimelineKey, TimelineKind, any_named, holds, involved, reaches, stamps,
};
use super::{FastMap, KnowledgeGraph, interrupt};
use crate::model::{
    DatePrecision, Day, EntityId, Node, PartialDate, When, day_number, numbered_day,
};

/// The first kind in the order of kinds.
const FIRST_KIND: TimelineKind = TimelineKind::Event;

/// Where entries sit in the timeline: entries of one node that share a date and a kind (a
/// pledge's revisions on one day) share a spot, and are put in order among themselves
/// when read. `node` is `None` only in a bound, where it comes before every node. Spots
/// compare by date, kind and node alone: how many entries one holds is not part of where
/// it sits.
#[derive(Debug, Clone)]
struct Spot {
    date: Option<PartialDate>,
    kind: TimelineKind,
    node: Option<EntityId>,
    /// How many entries it holds (none in a bound).
    entries: u32,
    /// The last day they can be on. Their first is the first of `date`.
    last: Last,
}

/// The last day the entries of a spot can be on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    /// None: their dates are open at their end.
    Open,
    /// This one.
    On(Day),
    /// Not the same for all of them: read their node.
    Mixed,
}

impl Spot {
    /// The spot of the entry `key` names.
    fn of(key: &TimelineKey<'_>) -> Self {
        Spot {
            date: key.date,
            kind: key.kind,
            node: Some(key.node.clone().into_owned()),
            entries: 0,
            last: Last::Open,
        }
    }

    /// The first spot whose date starts on `day` or after: a bound.
    fn first_from(day: Day) -> Option<Self> {
        Some(Spot {
            date: Some(PartialDate::first_starting(day).ok()?),
            kind: FIRST_KIND,
            node: None,
            entries: 0,
            last: Last::Open,
        })
    }

    /// What places it.
    fn place(&self) -> (&Option<PartialDate>, TimelineKind, &Option<EntityId>) {
        (&self.date, self.kind, &self.node)
    }
}

impl PartialEq for Spot {
    fn eq(&self, other: &Self) -> bool {
        self.place() == other.place()
    }
}

impl Eq for Spot {}

impl PartialOrd for Spot {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Spot {
    fn cmp(&self, other: &Self) -> Ordering {
        self.place().cmp(&other.place())
    }
}

/// What one node's entries, `stamps`, put in the index: each spot with its class
/// ([`class_of`]).
fn spots_of(node: &Node, stamps: &[Stamp<'_>]) -> Vec<(Spot, usize)> {
    let mut spots: Vec<(Spot, usize)> = stamps
        .iter()
        .map(|stamp| {
            let spot = Spot {
                date: stamp.date().sort_date(),
                kind: stamp.kind(),
                node: Some(node.id.clone()),
                entries: 1,
                last: stamp.date().latest().map_or(Last::Open, Last::On),
            };
            (spot, class_of(stamp.date()))
        })
        .collect();
    // One spot a date and kind (the node is the same), in a list rather than a map: a
    // node has few. Entries of one spot in different classes (rare) go where every page
    // reads them.
    spots.sort_unstable();
    spots.dedup_by(|(spot, class), (kept, kept_class)| {
        let same = spot == kept;
        if same {
            kept.entries += spot.entries;
            if kept.last != spot.last {
                kept.last = Last::Mixed;
            }
            if class != kept_class {
                *kept_class = 0;
            }
        }
        same
    });
    spots
}

/// Which of one node's entries, `stamps`, each other entity is involved in: all of them
/// for one its fields name, the one it acted in for each it acted in alone. A timeline of
/// that entity holds them: each field that involves it implies a relation to the node.
fn involvements<'n>(node: &'n Node, stamps: &[Stamp<'n>]) -> Vec<(&'n EntityId, Range<usize>)> {
    let mut named: Vec<&EntityId> = Vec::new();
    any_named(node, |id| {
        if *id != node.id {
            named.push(id);
        }
        false
    });
    named.sort_unstable();
    named.dedup();
    let all = 0..stamps.len();
    let mut out: Vec<(&EntityId, Range<usize>)> =
        named.iter().map(|&id| (id, all.clone())).collect();
    for (at, stamp) in stamps.iter().enumerate() {
        if let Some(actor) = stamp.actor()
            && *actor != node.id
            && named.binary_search(&actor).is_err()
        {
            out.push((actor, at..at + 1));
        }
    }
    out
}

/// The pairs of hubs, by `is_hub`, that each of a node's `entries` entries involves
/// together, once an entry: `list` is the node's involvements ([`involvements`]).
fn pairs_of<'n>(
    list: &[(&'n EntityId, Range<usize>)],
    entries: usize,
    is_hub: impl Fn(&EntityId) -> bool,
) -> Vec<(&'n EntityId, &'n EntityId)> {
    let hubs: Vec<&(&EntityId, Range<usize>)> = list.iter().filter(|(id, _)| is_hub(id)).collect();
    let mut out = Vec::new();
    if hubs.len() < 2 {
        return out;
    }
    for entry in 0..entries {
        let mut together: Vec<&EntityId> = hubs
            .iter()
            .filter(|(_, its)| its.contains(&entry))
            .map(|(id, _)| *id)
            .collect();
        together.sort_unstable();
        for (at, a) in together.iter().enumerate() {
            out.extend(together[at + 1..].iter().map(|b| (*a, *b)));
        }
    }
    out
}

/// The key of a pair of entities: the two in order.
fn pair_key(a: &EntityId, b: &EntityId) -> (EntityId, EntityId) {
    if a <= b {
        (a.clone(), b.clone())
    } else {
        (b.clone(), a.clone())
    }
}

/// Adds one to the count of a pair of hubs, or takes one from it (without `add`), leaving
/// no pair counted none.
fn count_pair(
    pairs: &mut FastMap<(EntityId, EntityId), u32>,
    key: (EntityId, EntityId),
    add: bool,
) {
    if add {
        *pairs.entry(key).or_default() += 1;
    } else if let Some(n) = pairs.get_mut(&key) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            pairs.remove(&key);
        }
    }
}

impl TimelineIndex {
    /// Adds to the counts of entries other entities are involved in (or takes out of them,
    /// without `add`) those of a node's entries, `stamps`, and their days to the days kept
    /// of a hub; notes an entity whose count grows to [`HUB_ENTRIES`] without being one.
    fn involve(&mut self, node: &Node, stamps: &[Stamp<'_>], add: bool) {
        if stamps.is_empty() {
            return;
        }
        let list = involvements(node, stamps);
        for (id, its) in &list {
            let id = *id;
            let n = u32::try_from(its.len()).unwrap_or(u32::MAX);
            if add {
                let count = self.involving.entry(id.clone()).or_default();
                let was = *count;
                *count = count.saturating_add(n);
                if was < HUB_ENTRIES && *count >= HUB_ENTRIES && !self.hubs.contains_key(id) {
                    self.grown.push(id.clone());
                }
            } else if let Some(count) = self.involving.get_mut(id) {
                *count = count.saturating_sub(n);
                if *count == 0 {
                    self.involving.remove(id);
                }
            }
            if let Some(days) = self.hubs.get_mut(id) {
                for stamp in &stamps[its.clone()] {
                    days.put(stamp.date(), add);
                }
            }
        }
        for (a, b) in pairs_of(&list, stamps.len(), |id| self.hubs.contains_key(id)) {
            count_pair(&mut self.pairs, pair_key(a, b), add);
        }
    }
}

/// A day as an item of a sorted list of `u32`s, in the order of days.
fn day_item(day: Day) -> u32 {
    let n = day_number(day).clamp(i64::from(i32::MIN), i64::from(i32::MAX));
    (n as i32 as u32) ^ 0x8000_0000
}

/// What a build learns of the entities involved in other nodes' entries, in its one
/// pass over the nodes: how many entries each is involved in, and the dates of all of
/// them, so that those of the hubs are kept once every count is known.
#[derive(Default)]
struct Involvements {
    /// Each entity met: the place it was met in, and how many entries it is involved in.
    met: FastMap<EntityId, (u32, u32)>,
    /// Each entry an entity is involved in: the entity's place, the first and last days of
    /// its date as list items ([`day_item`], 0 for none: no real day's), and the entry's
    /// place among its node's.
    days: Vec<(u32, u32, u32, u32)>,
    /// Where each node's entries start in `days`, for the nodes that have any.
    starts: Vec<usize>,
}

impl Involvements {
    /// Adds the entries of a node, `stamps`, that other entities are involved in.
    fn add(&mut self, node: &Node, stamps: &[Stamp<'_>]) {
        if stamps.is_empty() {
            return;
        }
        self.starts.push(self.days.len());
        for (id, its) in involvements(node, stamps) {
            let next = u32::try_from(self.met.len()).unwrap_or(u32::MAX);
            let (at, count) = self.met.entry(id.clone()).or_insert((next, 0));
            *count = count.saturating_add(u32::try_from(its.len()).unwrap_or(u32::MAX));
            let at = *at;
            for (entry, stamp) in its.clone().zip(&stamps[its]) {
                let item = |day: Option<Day>| day.map_or(0, day_item);
                let date = stamp.date();
                let entry = u32::try_from(entry).unwrap_or(u32::MAX);
                self.days
                    .push((at, item(date.earliest()), item(date.latest()), entry));
            }
        }
    }

    /// How many entries each entity is involved in; the days of those involved in
    /// [`HUB_ENTRIES`] or more, each list sorted; and how many entries each pair of those
    /// is involved in together.
    fn finish(self) -> Finished {
        let mut hub_of = vec![usize::MAX; self.met.len()];
        let mut hubs: Vec<(EntityId, Gathered)> = Vec::new();
        let mut involving = FastMap::default();
        involving.reserve(self.met.len());
        for (id, (at, count)) in self.met {
            if count >= HUB_ENTRIES
                && let Some(slot) = hub_of.get_mut(at as usize)
            {
                *slot = hubs.len();
                hubs.push((id.clone(), Gathered::default()));
            }
            involving.insert(id, count);
        }
        let mut pairs = FastMap::default();
        // One node's entries at a time: the hubs each involves, by the entry's place.
        let mut together: Vec<(u32, usize)> = Vec::new();
        let ends = self.starts.iter().skip(1).copied().chain([self.days.len()]);
        for (start, end) in self.starts.iter().copied().zip(ends) {
            together.clear();
            for &(at, first, last, entry) in self.days.get(start..end).unwrap_or_default() {
                let Some(h) = hub_of.get(at as usize).copied().filter(|&h| h < hubs.len()) else {
                    continue;
                };
                let given = |item: u32| (item != 0).then_some(item);
                hubs[h].1.push(given(first), given(last));
                together.push((entry, h));
            }
            together.sort_unstable();
            for run in together.chunk_by(|a, b| a.0 == b.0) {
                for (at, &(_, a)) in run.iter().enumerate() {
                    for &(_, b) in &run[at + 1..] {
                        let key = pair_key(&hubs[a].0, &hubs[b].0);
                        count_pair(&mut pairs, key, true);
                    }
                }
            }
        }
        let hubs = hubs
            .into_iter()
            .map(|(id, days)| (id, days.sorted()))
            .collect();
        Finished {
            involving,
            hubs,
            pairs,
        }
    }
}

/// What a build's [`Involvements`] come to.
struct Finished {
    involving: FastMap<EntityId, u32>,
    hubs: FastMap<EntityId, HubDays>,
    pairs: FastMap<(EntityId, EntityId), u32>,
}

/// A hub's days as they are gathered, in no order: the lists of [`HubDays`] to be.
#[derive(Default)]
struct Gathered {
    lists: [Vec<u32>; 3],
    odd: u32,
    /// How many entries were pushed.
    entries: usize,
}

impl Gathered {
    /// Adds an entry whose first and last days are the list items `first` and `last`.
    fn push(&mut self, first: Option<u32>, last: Option<u32>) {
        let (items, ends_first) = HubDays::items(first, last);
        for (list, item) in self.lists.iter_mut().zip(items) {
            list.extend(item);
        }
        if ends_first {
            self.odd += 1;
        }
        self.entries += 1;
    }

    /// Adds an entry's date.
    fn push_date(&mut self, date: &When) {
        self.push(date.earliest().map(day_item), date.latest().map(day_item));
    }

    /// The days, each list sorted.
    fn sorted(self) -> HubDays {
        let lists = self.lists.map(|mut list| {
            list.sort_unstable();
            Chunked::from_sorted(&list)
        });
        HubDays {
            lists,
            odd: self.odd,
        }
    }
}

/// An entity involved in at least this many entries of other nodes when the index is
/// built, or grows to that many through a batch of changes, keeps their days
/// ([`HubDays`]), so that its timeline between dates is counted from them rather than
/// read. (Few in tests, so that small graphs have hubs.)
const HUB_ENTRIES: u32 = if cfg!(test) { 2 } else { 1024 };

/// The days of the entries of other nodes a hub is involved in, each list sorted: enough
/// to count those whose dates overlap a window by three binary searches.
#[derive(Debug, Clone, Default)]
struct HubDays {
    /// The first days of those that have one; the last days of those that have one; and
    /// the last days of those that have one and no first.
    lists: [Chunked; 3],
    /// How many end before they start (a date no seed allows): while any does, the days
    /// are not counted from.
    odd: u32,
}

impl HubDays {
    /// What an entry whose first and last days are the list items `first` and `last` puts
    /// in each list, and whether it ends before it starts.
    fn items(first: Option<u32>, last: Option<u32>) -> ([Option<u32>; 3], bool) {
        let alone = if first.is_none() { last } else { None };
        let odd = first.zip(last).is_some_and(|(f, l)| f > l);
        ([first, last, alone], odd)
    }

    /// Adds an entry's date, or takes it out (without `add`).
    fn put(&mut self, date: &When, add: bool) {
        let first = date.earliest().map(day_item);
        let (items, odd) = HubDays::items(first, date.latest().map(day_item));
        for (list, item) in self.lists.iter_mut().zip(items) {
            let Some(item) = item else { continue };
            let at = list.partition_point(|x| x < item);
            if add {
                list.insert(at, item);
            } else if list.get(at) == Some(item) {
                list.remove(at);
            }
        }
        if odd {
            self.odd = if add {
                self.odd.saturating_add(1)
            } else {
                self.odd.saturating_sub(1)
            };
        }
    }

    /// How many of the entries, `all` of them, have dates that overlap `from`..=`to`, as
    /// [`reaches`] tells; none when that is not known from the days alone.
    fn count(
        &self,
        all: u32,
        from: Option<&PartialDate>,
        to: Option<&PartialDate>,
    ) -> Option<usize> {
        let below = |list: &Chunked, day: Day| {
            let item = day_item(day);
            list.partition_point(|x| x < item)
        };
        let up_to = |list: &Chunked, day: Day| {
            let item = day_item(day);
            list.partition_point(|x| x <= item)
        };
        let [firsts, lasts, lasts_alone] = &self.lists;
        match (from, to) {
            (None, None) => Some(all as usize),
            // Those that end before it: every other reaches it.
            (Some(f), None) => Some((all as usize).saturating_sub(below(lasts, f.start()))),
            // Those that start by its end.
            (None, Some(t)) => Some(up_to(firsts, t.end())),
            // Those that start by its end, less those that also end before its start: with
            // the window in order and every date in order, those are all that end before
            // its start and have a first day.
            (Some(f), Some(t)) if f.start() <= t.end() && self.odd == 0 => {
                let ended = below(lasts, f.start()).saturating_sub(below(lasts_alone, f.start()));
                Some(up_to(firsts, t.end()).saturating_sub(ended))
            }
            _ => None,
        }
    }

    /// The bytes the lists take on the heap.
    fn heap_bytes(&self) -> usize {
        self.lists.iter().map(Chunked::heap_bytes).sum()
    }
}

/// The class of a date, by where a page from a day may find dates of it that reach that
/// day: 0 for one without a first or a last day (read by every page); 1, 2 and 3 for a
/// date known to the day, the month or the year (the one of a class that reaches a day
/// starts on the first day of that day's month or year); 4 and on for a range, by the
/// bits of the days it spans (0, 1, 2 to 3, 4 to 7 …), so that the spans of a class are
/// within twice each other.
fn class_of(date: &When) -> usize {
    match (date.date, date.earliest(), date.latest()) {
        (_, None, _) | (_, _, None) => 0,
        (Some(d), ..) => match d.precision() {
            DatePrecision::Day => 1,
            DatePrecision::Month => 2,
            DatePrecision::Year => 3,
        },
        (None, Some(first), Some(last)) => {
            let days = (day_number(last) - day_number(first)).max(0);
            4 + (64 - days.leading_zeros()) as usize
        }
    }
}

/// The first spot of class `class` that may hold a date reaching `day`; none for class
/// 0, whose dates are read whatever the day.
fn floor_of(class: usize, day: Day) -> Option<Spot> {
    let (year, month, _) = day;
    let first = match class {
        0 => return None,
        1 => day,
        2 => (year, month, 1),
        3 => (year, 1, 1),
        _ => {
            let longest = 1i64.checked_shl(u32::try_from(class - 4).ok()?)? - 1;
            numbered_day(day_number(day).checked_sub(longest)?)?
        }
    };
    Spot::first_from(first)
}

/// The whole graph's timeline, as spots in its order, in classes by how many days their
/// dates span: a page from a date reads each class from that date less the class's
/// longest span, so that the long ranges of a few entries do not send the read of every
/// other entry back by as much.
#[derive(Debug, Clone, Default)]
pub(crate) struct TimelineIndex {
    /// The spots of each class ([`class_of`]). Class 0, of entries without a first or a
    /// last day, is read whatever the dates: few, they sit before the dates they reach.
    classes: Vec<BTreeSet<Spot>>,
    /// How many entries the timeline holds.
    entries: usize,
    /// How many entries of other nodes each entity is involved in ([`involvements`]), for
    /// those involved in any: with its own, the length of its timeline.
    involving: FastMap<EntityId, u32>,
    /// The days of those entries, for the entities involved in [`HUB_ENTRIES`] or more
    /// when the index was built or once a batch of changes made them so.
    hubs: FastMap<EntityId, HubDays>,
    /// The entities whose count grew to [`HUB_ENTRIES`] in the changes since the last
    /// batch ended, not hubs yet ([`KnowledgeGraph::promote_hubs`]).
    grown: Vec<EntityId>,
    /// How many entries of other nodes each pair of hubs is involved in together (those
    /// of neither hub's own node), for the pairs that share any; keyed in order.
    pairs: FastMap<(EntityId, EntityId), u32>,
}

impl TimelineIndex {
    /// The index of the entries of `nodes`, built whole.
    pub fn build<'a>(nodes: impl Iterator<Item = &'a Node>) -> Self {
        let mut classes: Vec<Vec<Spot>> = Vec::new();
        let mut entries = 0;
        let mut involved = Involvements::default();
        for node in nodes {
            let stamps = stamps(node);
            entries += stamps.len();
            involved.add(node, &stamps);
            for (spot, class) in spots_of(node, &stamps) {
                if classes.len() <= class {
                    classes.resize_with(class + 1, Vec::new);
                }
                classes[class].push(spot);
            }
        }
        let classes = classes
            .into_iter()
            .map(|mut spots| {
                spots.sort_unstable();
                spots.into_iter().collect()
            })
            .collect();
        let Finished {
            involving,
            hubs,
            pairs,
        } = involved.finish();
        TimelineIndex {
            classes,
            entries,
            involving,
            hubs,
            grown: Vec::new(),
            pairs,
        }
    }

    /// Adds a node's entries.
    pub fn insert(&mut self, node: &Node) {
        let stamps = stamps(node);
        self.entries += stamps.len();
        self.involve(node, &stamps, true);
        for (spot, class) in spots_of(node, &stamps) {
            if self.classes.len() <= class {
                self.classes.resize_with(class + 1, BTreeSet::new);
            }
            self.classes[class].insert(spot);
        }
    }

    /// How many entries of other nodes that `id` is involved in have dates overlapping
    /// `from`..=`to`, where it is a hub whose days tell.
    fn count_involved(
        &self,
        id: &EntityId,
        from: Option<&PartialDate>,
        to: Option<&PartialDate>,
    ) -> Option<usize> {
        let days = self.hubs.get(id)?;
        days.count(self.involving.get(id).copied().unwrap_or(0), from, to)
    }

    /// The bytes the days of the hubs, and the counts of their pairs, take on the heap.
    pub fn hub_bytes(&self) -> usize {
        let pairs =
            self.pairs.capacity() * (std::mem::size_of::<((EntityId, EntityId), u32)>() + 1);
        self.hubs.values().map(HubDays::heap_bytes).sum::<usize>() + pairs
    }

    /// Takes a node's entries out, as it was when they were added.
    pub fn remove(&mut self, node: &Node) {
        let stamps = stamps(node);
        self.entries = self.entries.saturating_sub(stamps.len());
        self.involve(node, &stamps, false);
        for (spot, class) in spots_of(node, &stamps) {
            if let Some(set) = self.classes.get_mut(class) {
                set.remove(&spot);
            }
        }
        while self.classes.last().is_some_and(BTreeSet::is_empty) {
            self.classes.pop();
        }
    }

    /// How many entries whose dates overlap `from`..=`to` the index holds, counted from
    /// their spots' dates and counts where a spot's entries share their last day, and by
    /// `read` where they do not. In no order, so each class is read apart.
    fn count(
        &self,
        from: Option<&PartialDate>,
        to: Option<&PartialDate>,
        read: impl Fn(&Spot) -> usize,
    ) -> usize {
        let first_day = from.map(|f| f.start());
        let hi = ceiling(to);
        let mut count = 0;
        for (class, set) in self.classes.iter().enumerate() {
            let lo = first_day
                .and_then(|day| floor_of(class, day))
                .map_or(Bound::Unbounded, Bound::Included);
            let spots = interrupt::checked(range(set, lo, hi.clone(), true));
            count += spots
                .map(|s| {
                    let last = match s.last {
                        Last::Mixed => return read(s),
                        Last::Open => None,
                        Last::On(day) => Some(day),
                    };
                    if reaches(s.date.map(|d| d.start()), last, from, to) {
                        s.entries as usize
                    } else {
                        0
                    }
                })
                .sum::<usize>();
        }
        count
    }

    /// The spots between `lo` and `hi`, forward or backward, every class merged in order;
    /// with a first day `from`, each class but the first only from where a date of the
    /// class may still reach that day.
    fn spots<'a>(
        &'a self,
        lo: Bound<Spot>,
        hi: Bound<Spot>,
        from: Option<Day>,
        forward: bool,
    ) -> impl Iterator<Item = &'a Spot> + 'a {
        let lists = self
            .classes
            .iter()
            .enumerate()
            .filter(|(_, set)| !set.is_empty())
            .map(|(class, set)| {
                let floor = from.and_then(|day| floor_of(class, day));
                let lo = match (floor, &lo) {
                    (Some(floor), Bound::Included(spot)) if *spot >= floor => lo.clone(),
                    (Some(floor), _) => Bound::Included(floor),
                    (None, _) => lo.clone(),
                };
                range(set, lo, hi.clone(), forward).peekable()
            })
            .collect();
        Merged { lists, forward }
    }
}

/// The spots of `set` between two bounds, either way; none when the bounds cross.
fn range(
    set: &BTreeSet<Spot>,
    lo: Bound<Spot>,
    hi: Bound<Spot>,
    forward: bool,
) -> Box<dyn Iterator<Item = &Spot> + '_> {
    let crossed = match (&lo, &hi) {
        (Bound::Included(a), Bound::Included(b)) => a > b,
        (Bound::Included(a) | Bound::Excluded(a), Bound::Included(b) | Bound::Excluded(b)) => {
            a >= b
        }
        _ => false,
    };
    if crossed {
        return Box::new(std::iter::empty());
    }
    let range = set.range((lo, hi));
    if forward {
        Box::new(range)
    } else {
        Box::new(range.rev())
    }
}

/// Lists of spots, each in order one way, as one list in that order.
struct Merged<'a> {
    lists: Vec<Peekable<Box<dyn Iterator<Item = &'a Spot> + 'a>>>,
    forward: bool,
}

impl<'a> Iterator for Merged<'a> {
    type Item = &'a Spot;

    fn next(&mut self) -> Option<&'a Spot> {
        let forward = self.forward;
        let mut best: Option<(usize, &'a Spot)> = None;
        for (i, list) in self.lists.iter_mut().enumerate() {
            if let Some(&spot) = list.peek() {
                let better = best.is_none_or(|(_, b)| (spot.cmp(b) == Ordering::Less) == forward);
                if better {
                    best = Some((i, spot));
                }
            }
        }
        self.lists.get_mut(best?.0)?.next()
    }
}

/// Which part of the whole graph's timeline to read, as a Relay connection asks it
/// ([`Window`]).
pub type TimelineWindow<'k> = Window<TimelineKey<'k>>;

/// A page of a timeline, and whether the timeline holds entries before and after it.
#[derive(Debug, Clone)]
pub struct TimelinePage<'g> {
    /// The page's entries, in the timeline's order.
    pub entries: Vec<TimelineEntry<'g>>,
    /// True when the timeline holds entries before the page.
    pub has_previous: bool,
    /// True when the timeline holds entries after the page.
    pub has_next: bool,
}

/// A bound on the entries read: a key, and whether the entry it names is in.
type Edge = Option<(TimelineKey<'static>, bool)>;

/// How many items of a list merged cost about as much as looking for one item in it: a
/// look reads a few of its items at random, a merge each in turn. (Fewer in tests, so
/// that small graphs look.)
const LOOK_COST: usize = if cfg!(test) { 4 } else { 16 };

/// Named entities with fewer relations than this have their timeline read from their
/// relations at once; with more, the index is tried first.
const FEW_RELATIONS: usize = if cfg!(test) { 8 } else { 256 };

impl KnowledgeGraph {
    /// The page `window` selects of the timeline of `entities` (the whole graph's when
    /// none is named) from `from` to `to`: the same entries, in the same order, with the
    /// same neighbours, as that slice of [`KnowledgeGraph::timeline`]. The whole graph's
    /// is read from the timeline's index, from where the page starts: its cost is that
    /// of the page and of the entries skipped around it (those outside `from`..`to` among
    /// the dates that window reaches), not of the timeline. So is that of entities with
    /// many relations, their entries picked out of the index, while that takes no more
    /// steps than they have relations (a hub's entries are many and near each other);
    /// otherwise their entries are read from their relations and sorted.
    pub fn timeline_page(
        &self,
        from: Option<&PartialDate>,
        to: Option<&PartialDate>,
        entities: &[EntityId],
        window: &TimelineWindow<'_>,
    ) -> TimelinePage<'_> {
        if entities.is_empty() {
            return self.page_from_index(from, to, entities, window, None);
        }
        let relations: usize = entities
            .iter()
            .filter_map(|id| self.by_id.get(id))
            .map(|at| self.topology.halves(at.ix).len())
            .sum();
        if relations >= FEW_RELATIONS {
            // The spots of the index the page may read, in all, before it is read from
            // their relations instead: as many as they have relations, so that a page
            // given up costs at most about as much again as reading their relations.
            let budget = Budget::of(relations);
            let page = self.page_from_index(from, to, entities, window, Some(&budget));
            #[cfg(test)]
            tests::READ.with(|r| r.set(r.get() + [1, 0][usize::from(budget.spent())]));
            if !budget.spent() {
                return page;
            }
        }
        #[cfg(test)]
        tests::READ.with(|r| r.set(r.get() + 1_000_000));
        cut(self.timeline(from, to, entities), window)
    }

    /// The page `window` selects of the timeline of `entities` from `from` to `to`, read
    /// from the index, within `budget` when there is one (when it runs out, the page is
    /// short, and the budget says so).
    fn page_from_index(
        &self,
        from: Option<&PartialDate>,
        to: Option<&PartialDate>,
        entities: &[EntityId],
        window: &TimelineWindow<'_>,
        budget: Option<&Budget>,
    ) -> TimelinePage<'_> {
        let (from, to) = (from.copied(), to.copied());
        let (after, before) = (window.after.as_ref(), window.before.as_ref());
        let read = |lo: Edge, hi: Edge, forward: bool| {
            self.timeline_between(from, to, entities, lo, hi, forward, budget)
        };
        // Whether an entry lies from `key` on (or up to it, backward), `key`'s own with
        // `with`.
        let exists = |key: &TimelineKey<'_>, with: bool, forward: bool| {
            let edge = Some((key.to_owned_key(), with));
            let (lo, hi) = if forward { (edge, None) } else { (None, edge) };
            read(lo, hi, forward).next().is_some()
        };
        // Entries lie after the page when some come from `before` on, unless `after` is
        // past them all (a page between crossed keys is empty, and ends where it starts).
        let after_the_keys = || {
            before.is_some_and(|b| exists(b, true, true))
                && after.is_none_or(|a| exists(a, false, true))
        };
        let before_the_page = || after.is_some_and(|a| exists(a, true, false));
        let edge = |key: Option<&TimelineKey<'_>>| key.map(|k| (k.to_owned_key(), false));
        let (lo, hi) = (edge(after), edge(before));
        match (window.first, window.last) {
            (first, last) if first.is_some() || last.is_none() => {
                let first = first.unwrap_or(usize::MAX);
                let mut entries: Vec<_> =
                    read(lo, hi, true).take(first.saturating_add(1)).collect();
                let more = entries.len() > first;
                entries.truncate(first);
                let mut has_previous = before_the_page();
                if let Some(last) = last
                    && entries.len() > last
                {
                    entries.drain(..entries.len() - last);
                    has_previous = true;
                }
                TimelinePage {
                    entries,
                    has_previous,
                    has_next: more || after_the_keys(),
                }
            }
            (_, last) => {
                let last = last.unwrap_or(usize::MAX);
                let mut entries: Vec<_> =
                    read(lo, hi, false).take(last.saturating_add(1)).collect();
                let more = entries.len() > last;
                entries.truncate(last);
                entries.reverse();
                TimelinePage {
                    entries,
                    has_previous: more || before_the_page(),
                    has_next: after_the_keys(),
                }
            }
        }
    }

    /// How many entries the timeline of `entities` (the whole graph's when none) holds
    /// from `from` to `to`. The whole graph's, and one entity's whole timeline, are kept
    /// counted as the graph changes; the whole graph's between dates is counted from the
    /// index's spots, and a hub's from the days of its entries the index keeps. Several
    /// entities' is the sum of their counts less the entries they share, where each one's
    /// is kept ([`KnowledgeGraph::counted_together`]); where not, the one whose count is
    /// kept and who is involved in the most entries is counted so, and the others' entries
    /// that do not involve it are read from their relations; any other count is read from
    /// the entities' relations.
    pub fn timeline_count(
        &self,
        from: Option<&PartialDate>,
        to: Option<&PartialDate>,
        entities: &[EntityId],
    ) -> usize {
        match entities {
            [] if from.is_none() && to.is_none() => self.timeline.entries,
            [] => self
                .timeline
                .count(from, to, |spot| self.stamps_at(spot, from, to, &[]).len()),
            [one, rest @ ..] if rest.iter().all(|e| e == one) => self
                .counted(one, from, to)
                .unwrap_or_else(|| self.timeline_len(from, to, entities)),
            [a, b]
                if from.is_none()
                    && to.is_none()
                    && let Some(count) = self.counted_pair(a, b) =>
            {
                count
            }
            _ if from.is_none()
                && to.is_none()
                && let Some(count) = self.counted_hubs(entities) =>
            {
                count
            }
            _ if let Some(count) = self.counted_together(from, to, entities) => count,
            _ => {
                let involving = |id: &EntityId| self.timeline.involving.get(id).copied();
                let counted = entities
                    .iter()
                    .filter_map(|id| Some((id, self.counted(id, from, to)?)))
                    .max_by_key(|(id, _)| (involving(id), *id));
                match counted {
                    Some((one, count)) => {
                        let others: Vec<EntityId> =
                            entities.iter().filter(|e| *e != one).cloned().collect();
                        count + self.timeline_len_apart(from, to, &others, one)
                    }
                    None => self.timeline_len(from, to, entities),
                }
            }
        }
    }

    /// How many entries the timeline of several entities holds from `from` to `to`, where
    /// the index keeps each one's count ([`KnowledgeGraph::counted`]): each one's count,
    /// less the entries it shares with those before it. Every entry that involves an
    /// entity is one of the entity's own or of a node related to it, so the shared ones
    /// are among the dated nodes related to (or being) both, found by merging the lists
    /// of their relations in the compact structure's order, where a hub's are kept. The
    /// one with the most relations comes first; where the others' nodes are few beside
    /// its relations, each is looked for in its list rather than its list read whole.
    fn counted_together(
        &self,
        from: Option<&PartialDate>,
        to: Option<&PartialDate>,
        entities: &[EntityId],
    ) -> Option<usize> {
        let t = &self.topology;
        let mut members: Vec<(&EntityId, Option<NodeIndex>)> = distinct(entities)
            .into_iter()
            .map(|id| (id, self.by_id.get(id).map(|at| at.ix)))
            .collect();
        let count = members
            .iter()
            .map(|(id, _)| self.counted(id, from, to))
            .sum::<Option<usize>>()?;
        let relations = |ix: &Option<NodeIndex>| ix.map_or(0, |ix| t.halves(ix).len());
        members.sort_by_key(|(id, ix)| (std::cmp::Reverse(relations(ix)), *id));
        let ((first, first_ix), rest) = members.split_first()?;
        let around: Vec<Vec<(u128, u32)>> =
            rest.iter().map(|(_, ix)| self.dated_around(*ix)).collect();
        let theirs: usize = around.iter().map(Vec::len).sum();
        // A look in a sorted list costs a few reads of it; a merge, a read of each item.
        let looked_for = first_ix
            .filter(|&ix| t.sorted(ix) && theirs.saturating_mul(LOOK_COST) < t.halves(ix).len());
        let mut seen = match looked_for {
            Some(_) => Vec::new(),
            None => self.dated_around(*first_ix),
        };
        #[cfg(test)]
        tests::TOGETHER
            .with(|n| n.set(n.get() + [1, 1_000_000][usize::from(looked_for.is_some())]));
        let mut before: Vec<EntityId> = vec![(*first).clone()];
        let mut shared = 0;
        for ((one, _), around) in rest.iter().zip(&around) {
            let mut both = sorted_both(around, &seen);
            if let Some(ix) = looked_for {
                let by_first = around.iter().filter(|&&key| self.related_or_is(ix, key));
                both.extend(by_first);
                both.sort_unstable();
                both.dedup();
            }
            let one = std::slice::from_ref(*one);
            for (_, at) in interrupt::checked(both.into_iter()) {
                let Some(node) = self.graph.node_weight(NodeIndex::new(at as usize)) else {
                    continue;
                };
                let with_before = |s: &Stamp<'_>| {
                    holds(node, s, from, to, one) && involved(node, s.actor(), &before)
                };
                shared += stamps(node).iter().filter(|s| with_before(s)).count();
            }
            seen = sorted_either(&seen, around);
            before.extend_from_slice(one);
        }
        Some(count.saturating_sub(shared))
    }

    /// True when the node whose key is `key` ([`Topology::node_key`]) is `ix` or is
    /// related to it, `ix`'s relations being sorted ([`Topology::sorted`]).
    fn related_or_is(&self, ix: NodeIndex, key: (u128, u32)) -> bool {
        let t = &self.topology;
        let halves = t.halves(ix);
        let at = halves.partition_point(|h| t.sort_key(h) < key);
        key.1 as usize == ix.index() || halves.get(at).is_some_and(|h| t.sort_key(h) == key)
    }

    /// The dated nodes whose entries may involve the node `at`: itself, where it is dated,
    /// and those related to it, each once, in the compact structure's order
    /// ([`Topology::node_key`]).
    fn dated_around(&self, at: Option<NodeIndex>) -> Vec<(u128, u32)> {
        let Some(at) = at else {
            return Vec::new();
        };
        let t = &self.topology;
        let mut nodes: Vec<(u128, u32)> = self.dated_near(at).map(|ix| t.node_key(ix)).collect();
        // A hub's relations are in this order already, but for the entity itself.
        nodes.sort_unstable();
        nodes.dedup();
        nodes
    }

    /// How many entries the timeline of one entity holds from `from` to `to`, where the
    /// index keeps it counted: its own entries in the window, and those of other nodes it
    /// is involved in, kept counted for the whole timeline and counted from a hub's days
    /// between dates.
    fn counted(
        &self,
        one: &EntityId,
        from: Option<&PartialDate>,
        to: Option<&PartialDate>,
    ) -> Option<usize> {
        let others = match (from, to) {
            (None, None) => self.timeline.involving.get(one).copied().unwrap_or(0) as usize,
            _ => self.timeline.count_involved(one, from, to)?,
        };
        let own = self.by_id.get(one).map_or(0, |at| {
            stamps(&at.node)
                .into_iter()
                .filter(|s| reaches(s.date().earliest(), s.date().latest(), from, to))
                .count()
        });
        Some(own + others)
    }

    /// Gives each entity whose count of entries grew to [`HUB_ENTRIES`] in the changes
    /// since the last batch ended, and is still involved in that many, the days of those
    /// entries, read once from its relations (what one count of its timeline between dates
    /// cost before): from then on they are kept in step like any hub's. Called when a
    /// batch ends, applied or rolled back.
    pub(super) fn promote_hubs(&mut self) {
        for id in std::mem::take(&mut self.timeline.grown) {
            let all = self.timeline.involving.get(&id).copied().unwrap_or(0);
            if all < HUB_ENTRIES || self.timeline.hubs.contains_key(&id) {
                continue;
            }
            let (days, partners) = self.involved_days(&id);
            // Only days that are all of the entries counted give a count.
            if days.entries == all as usize {
                let pairs = &mut self.timeline.pairs;
                for other in partners {
                    count_pair(pairs, pair_key(&id, &other), true);
                }
                self.timeline.hubs.insert(id, days.sorted());
            }
        }
    }

    /// The dates of the entries of other nodes `id` is involved in, read from its
    /// relations (every field that involves it in an entry implies one), and for each of
    /// those entries the hubs it involves besides `id`.
    fn involved_days(&self, id: &EntityId) -> (Gathered, Vec<EntityId>) {
        let (mut days, mut partners) = (Gathered::default(), Vec::new());
        let Some(at) = self.by_id.get(id) else {
            return (days, partners);
        };
        let mut others: Vec<NodeIndex> = self.dated_near(at.ix).filter(|&ix| ix != at.ix).collect();
        others.sort_unstable();
        others.dedup();
        let is_hub = |other: &EntityId| other != id && self.timeline.hubs.contains_key(other);
        for node in others
            .into_iter()
            .filter_map(|ix| self.graph.node_weight(ix))
        {
            let stamps = stamps(node);
            let list = involvements(node, &stamps);
            for (_, its) in list.iter().filter(|(named, _)| *named == id) {
                for entry in its.clone() {
                    days.push_date(stamps[entry].date());
                    let with = list.iter().filter(|(o, r)| is_hub(o) && r.contains(&entry));
                    partners.extend(with.map(|(o, _)| (*o).clone()));
                }
            }
        }
        (days, partners)
    }

    /// How many entries the whole timeline of two hubs holds: their counts, less the
    /// entries of other nodes that involve both (kept counted) and each one's own entries
    /// that involve the other.
    fn counted_pair(&self, a: &EntityId, b: &EntityId) -> Option<usize> {
        let index = &self.timeline;
        if a == b || !index.hubs.contains_key(a) || !index.hubs.contains_key(b) {
            return None;
        }
        let count = self.counted(a, None, None)? + self.counted(b, None, None)?;
        Some(count.saturating_sub(self.shared_by(a, b)))
    }

    /// How many entries involve both of two hubs: those of other nodes (kept counted) and
    /// each one's own that involve the other.
    fn shared_by(&self, a: &EntityId, b: &EntityId) -> usize {
        let both = self
            .timeline
            .pairs
            .get(&pair_key(a, b))
            .copied()
            .unwrap_or(0) as usize;
        let own = |one: &EntityId, other: &EntityId| {
            self.by_id.get(one).map_or(0, |at| {
                let other = std::slice::from_ref(other);
                let stamps = stamps(&at.node);
                stamps
                    .iter()
                    .filter(|s| involved(&at.node, s.actor(), other))
                    .count()
            })
        };
        both + own(a, b) + own(b, a)
    }

    /// How many entries the whole timeline of three hubs or more holds, by inclusion and
    /// exclusion: their counts, less what each pair shares, plus, for each entry that
    /// involves m of them, three or more, the 1 - m + m(m-1)/2 times that leaves it
    /// counted too few. Such an entry is of a node in the dated nodes of three of them or
    /// more, found by merging their lists and reading only those.
    fn counted_hubs(&self, entities: &[EntityId]) -> Option<usize> {
        let members = distinct(entities);
        if members.len() < 3 || !members.iter().all(|m| self.timeline.hubs.contains_key(*m)) {
            return None;
        }
        let mut total: i64 = 0;
        for (at, a) in members.iter().enumerate() {
            total += self.counted(a, None, None)? as i64;
            for b in &members[at + 1..] {
                total -= self.shared_by(a, b) as i64;
            }
        }
        // Each dated node near any of them, with how many of them it is near.
        let mut near: Vec<((u128, u32), usize)> = Vec::new();
        for m in &members {
            let around = self.dated_around(self.by_id.get(*m).map(|at| at.ix));
            near = sorted_tally(&near, &around);
        }
        let many = near.into_iter().filter(|&(_, n)| n >= 3);
        for ((_, ix), _) in interrupt::checked(many) {
            let Some(node) = self.graph.node_weight(NodeIndex::new(ix as usize)) else {
                continue;
            };
            for stamp in stamps(node) {
                let m = members
                    .iter()
                    .filter(|x| involved(node, stamp.actor(), std::slice::from_ref(**x)))
                    .count() as i64;
                if m >= 3 {
                    total += 1 - m + m * (m - 1) / 2;
                }
            }
        }
        usize::try_from(total).ok()
    }

    /// The entries of the timeline of `entities` (the whole graph's when none is named)
    /// from `from` to `to` between two keys, forward or backward, read from the index:
    /// while `budget` lasts, when there is one.
    #[allow(clippy::too_many_arguments)]
    fn timeline_between<'g, 'e>(
        &'g self,
        from: Option<PartialDate>,
        to: Option<PartialDate>,
        entities: &'e [EntityId],
        lo: Edge,
        hi: Edge,
        forward: bool,
        budget: Option<&'e Budget>,
    ) -> impl Iterator<Item = TimelineEntry<'g>> + 'e
    where
        'g: 'e,
    {
        let index = &self.timeline;
        let first_day = from.map(|f| f.start());
        // An entry after `to` starts after its last day.
        let ceiling = ceiling(to.as_ref());
        let lo_spot = lo
            .as_ref()
            .map_or(Bound::Unbounded, |(k, _)| Bound::Included(Spot::of(k)));
        let hi_spot = match (&hi, ceiling) {
            (Some((k, _)), Bound::Excluded(c)) if Spot::of(k) >= c => Bound::Excluded(c),
            (Some((k, _)), _) => Bound::Included(Spot::of(k)),
            (None, ceiling) => ceiling,
        };
        let (lo_key, hi_key) = (lo, hi);
        let inside = move |e: &TimelineEntry<'_>| {
            let key = e.key();
            let above = lo_key.as_ref().is_none_or(|(k, with)| match key.cmp(k) {
                Ordering::Greater => true,
                Ordering::Equal => *with,
                Ordering::Less => false,
            });
            let below = hi_key.as_ref().is_none_or(|(k, with)| match key.cmp(k) {
                Ordering::Less => true,
                Ordering::Equal => *with,
                Ordering::Greater => false,
            });
            above && below
        };
        interrupt::checked(index.spots(lo_spot, hi_spot, first_day, forward))
            .take_while(move |_| budget.is_none_or(Budget::take))
            .flat_map(move |spot| {
                self.entries_at(spot, from.as_ref(), to.as_ref(), entities, forward)
            })
            .filter(inside)
    }

    /// The entries of one spot whose dates overlap `from`..=`to` and that involve
    /// `entities` (any, when none), in the timeline's order, forward or backward.
    fn entries_at(
        &self,
        spot: &Spot,
        from: Option<&PartialDate>,
        to: Option<&PartialDate>,
        entities: &[EntityId],
        forward: bool,
    ) -> Vec<TimelineEntry<'_>> {
        let mut entries: Vec<TimelineEntry<'_>> = self
            .stamps_at(spot, from, to, entities)
            .into_iter()
            .map(|(s, node)| s.entry(node))
            .collect();
        entries.sort_unstable_by(|a, b| a.key().cmp(&b.key()));
        if !forward {
            entries.reverse();
        }
        entries
    }

    /// The dated entries of one spot whose dates overlap `from`..=`to` and that involve
    /// `entities` (any, when none), titles not yet written, each with its node.
    fn stamps_at(
        &self,
        spot: &Spot,
        from: Option<&PartialDate>,
        to: Option<&PartialDate>,
        entities: &[EntityId],
    ) -> Vec<(Stamp<'_>, &Node)> {
        let Some(node) = spot.node.as_ref().and_then(|id| self.get(id)) else {
            return Vec::new();
        };
        stamps(node)
            .into_iter()
            .filter(|s| {
                s.kind() == spot.kind
                    && s.date().sort_date() == spot.date
                    && holds(node, s, from, to, entities)
            })
            .map(|s| (s, node))
            .collect()
    }
}

/// The entities named, each once, in the order first named.
fn distinct(entities: &[EntityId]) -> Vec<&EntityId> {
    let mut out: Vec<&EntityId> = Vec::with_capacity(entities.len());
    for id in entities {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// The items in both of two sorted lists of distinct items, in order.
fn sorted_both<T: Ord + Copy>(a: &[T], b: &[T]) -> Vec<T> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                out.push(*x);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// The items in either of two sorted lists of distinct items, each once, in order.
fn sorted_either<T: Ord + Copy>(a: &[T], b: &[T]) -> Vec<T> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len() + b.len());
    loop {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => {
                out.push(*x.min(y));
                i += usize::from(x <= y);
                j += usize::from(y <= x);
            }
            (Some(x), None) => {
                out.push(*x);
                i += 1;
            }
            (None, Some(y)) => {
                out.push(*y);
                j += 1;
            }
            (None, None) => return out,
        }
    }
}

/// The items of a sorted tally of distinct items, `tally`, and of a sorted list of
/// distinct items, `items`, each once, in order, each with how many times it is in both.
fn sorted_tally<T: Ord + Copy>(tally: &[(T, usize)], items: &[T]) -> Vec<(T, usize)> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(tally.len() + items.len());
    loop {
        match (tally.get(i), items.get(j)) {
            (Some(&(x, n)), Some(&y)) => match x.cmp(&y) {
                Ordering::Less => {
                    out.push((x, n));
                    i += 1;
                }
                Ordering::Greater => {
                    out.push((y, 1));
                    j += 1;
                }
                Ordering::Equal => {
                    out.push((x, n + 1));
                    i += 1;
                    j += 1;
                }
            },
            (Some(&t), None) => {
                out.push(t);
                i += 1;
            }
            (None, Some(&y)) => {
                out.push((y, 1));
                j += 1;
            }
            (None, None) => return out,
        }
    }
}

/// The page `window` selects of a whole timeline, cut as a list's page is: the entries
/// after one key and before another, the first `first` of those, the last `last` of
/// those.
fn cut<'g>(entries: Vec<TimelineEntry<'g>>, window: &TimelineWindow<'_>) -> TimelinePage<'g> {
    let total = entries.len();
    let start = window
        .after
        .as_ref()
        .map_or(0, |key| entries.partition_point(|e| e.key() <= *key));
    let end = window
        .before
        .as_ref()
        .map_or(total, |key| entries.partition_point(|e| e.key() < *key));
    let (start, end) = super::page::relay_range(start, end, window.first, window.last);
    let page = entries.into_iter().skip(start).take(end - start).collect();
    TimelinePage {
        entries: page,
        has_previous: start > 0,
        has_next: end < total,
    }
}

/// The bound past which every spot starts after `to`.
fn ceiling(to: Option<&PartialDate>) -> Bound<Spot> {
    to.and_then(|t| Spot::first_from(numbered_day(day_number(t.end()) + 1)?))
        .map_or(Bound::Unbounded, Bound::Excluded)
}

impl TimelineIndex {
    /// What the index holds, written out, for tests to compare an index kept in place
    /// with one built afresh.
    #[cfg(test)]
    pub fn view(&self) -> Vec<String> {
        let spots = |set: &BTreeSet<Spot>| set.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>();
        let mut view: Vec<String> = self
            .classes
            .iter()
            .map(|set| spots(set).join("\n"))
            .collect();
        view.push(self.entries.to_string());
        let mut involving: Vec<String> = self
            .involving
            .iter()
            .map(|(id, n)| format!("{id} {n}"))
            .collect();
        involving.sort_unstable();
        view.extend(involving);
        view
    }
}

#[cfg(test)]
impl KnowledgeGraph {
    /// The timeline's index, written out.
    pub(crate) fn timeline_view(&self) -> Vec<String> {
        self.timeline.view()
    }

    /// Checks that every entity involved in [`HUB_ENTRIES`] entries or more keeps their
    /// days, and that the days each hub keeps are those its relations give now; returns
    /// how many hubs there are.
    pub(crate) fn check_hub_days(&self) -> usize {
        let index = &self.timeline;
        for (id, &n) in &index.involving {
            assert!(n < HUB_ENTRIES || index.hubs.contains_key(id), "{id}: {n}");
        }
        let written = |days: &HubDays| {
            let lists = days.lists.each_ref().map(|l| l.iter().collect::<Vec<_>>());
            (lists, days.odd)
        };
        for (id, days) in &index.hubs {
            let (read, _) = self.involved_days(id);
            let count = index.involving.get(id).copied().unwrap_or(0);
            assert_eq!(read.entries, count as usize, "{id}");
            assert_eq!(written(days), written(&read.sorted()), "{id}");
        }
        // The pairs of hubs, counted afresh from every dated node.
        let mut pairs: FastMap<(EntityId, EntityId), u32> = FastMap::default();
        for node in super::timeline::DATED
            .iter()
            .flat_map(|&k| self.nodes_of_kind(k))
        {
            let stamps = stamps(node);
            let list = involvements(node, &stamps);
            for (a, b) in pairs_of(&list, stamps.len(), |id| index.hubs.contains_key(id)) {
                count_pair(&mut pairs, pair_key(a, b), true);
            }
        }
        let sorted = |pairs: &FastMap<(EntityId, EntityId), u32>| {
            let mut list: Vec<_> = pairs.iter().map(|(k, n)| (k.clone(), *n)).collect();
            list.sort_unstable();
            list
        };
        assert_eq!(sorted(&index.pairs), sorted(&pairs), "pairs of hubs");
        index.hubs.len()
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::super::testing::*;
    use super::*;
    use crate::model::{DateBound, NodeData};

    thread_local! {
        /// Pages of named entities read from the index (units) and from their relations
        /// (millions), for a test to see that it met both.
        pub(super) static READ: Cell<usize> = const { Cell::new(0) };
        /// Counts of several entities' timelines with the largest one's relations merged
        /// (units) and looked in (millions).
        pub(super) static TOGETHER: Cell<usize> = const { Cell::new(0) };
    }

    #[test]
    fn the_first_kind_comes_first() {
        assert!(TimelineKind::ALL.iter().all(|k| *k >= FIRST_KIND));
    }

    /// A date of some shape: a year, a month, a day, a range, a range open at its end,
    /// a date with no first day, none at all.
    fn some_date(dice: &mut Dice) -> When {
        let year = 2024 + dice.roll(3) as i32;
        let (month, day) = (1 + dice.roll(12) as u8, 1 + dice.roll(28) as u8);
        let at = |text: String| {
            text.parse::<PartialDate>()
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let bound = |date| {
            Some(Box::new(DateBound {
                date,
                reason: "test".into(),
            }))
        };
        let mut when = When::stated(at(format!("{year}-{month:02}-{day:02}")));
        match dice.roll(9) {
            0 => when.date = Some(at(format!("{year}"))),
            1 | 2 => when.date = Some(at(format!("{year}-{month:02}"))),
            3 => {
                when.date = None;
                when.not_before = bound(at(format!("{year}-{month:02}")));
                when.not_after = bound(at(format!("{}", year + 1)));
            }
            4 => {
                when.date = None;
                when.not_before = bound(at(format!("{year}")));
            }
            5 => {
                when.date = None;
                when.not_after = bound(at(format!("{year}-{month:02}")));
            }
            6 if dice.roll(3) == 0 => when.date = None,
            _ => {}
        }
        when
    }

    /// A graph of events, deals, pledges and tariffs dated in every shape, many on the
    /// same days, pledges revised more than once on one day.
    fn random_graph(dice: &mut Dice, size: usize) -> KnowledgeGraph {
        let mut nodes = vec![
            country("aa", "Aa"),
            country("bb", "Bb"),
            country("cc", "Cc"),
        ];
        for i in 0..size {
            // Country cc takes part in one event in ten: few entries for its relations.
            let who: &[&str] = match dice.roll(10) {
                0 => &["country:aa", "country:cc"],
                _ => &["country:aa"],
            };
            let mut e = event(&format!("event:e{i:03}"), "2025-01-01", who);
            if let NodeData::Event(x) = &mut e.data {
                x.date = Some(some_date(dice));
                // Some are part of the first deal: a hub whose own entries name others.
                x.deal = (dice.roll(5) == 0).then(|| id("deal:d000"));
            }
            nodes.push(e);
            let mut d = deal(
                &format!("deal:d{i:03}"),
                &["country:aa", "country:bb"],
                None,
            );
            if let NodeData::Deal(x) = &mut d.data {
                x.announced = (dice.roll(2) == 0 || i == 0).then(|| some_date(dice));
                x.deadline = (dice.roll(3) == 0).then(|| some_date(dice));
            }
            nodes.push(d);
            let mut p = pledge_in(
                &format!("commitment:p{i:03}"),
                "country:aa",
                "country:bb",
                &format!("deal:d{i:03}"),
                "1",
            );
            if let NodeData::Commitment(c) = &mut p.data {
                let on = some_date(dice);
                let claims = (0..dice.roll(4))
                    .map(|k| {
                        let amount = format!("{}", 10 + dice.roll(5));
                        let mut c = claim(&format!("k{k}"), money(&amount, "USD"), None);
                        // Country cc revises some: it acted, and is named nowhere else.
                        c.made_by = (dice.roll(4) == 0).then(|| id("country:cc"));
                        c.valid_from = Some(Box::new(if dice.roll(2) == 0 {
                            on.clone()
                        } else {
                            some_date(dice)
                        }));
                        c
                    })
                    .collect();
                c.amount = crate::model::ClaimSet::new(claims);
            }
            nodes.push(p);
        }
        KnowledgeGraph::build(nodes, vec![]).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The slice of the whole timeline a window selects, as a list's page is cut
    /// (`api::pagination::window`), with whether entries lie before and after it.
    fn sliced(
        g: &KnowledgeGraph,
        from: Option<&PartialDate>,
        to: Option<&PartialDate>,
        entities: &[EntityId],
        window: &TimelineWindow<'_>,
    ) -> (Vec<String>, bool, bool) {
        let all = g.timeline(from, to, entities);
        let mut start = 0;
        let mut end = all.len();
        if let Some(key) = &window.after {
            start = all.partition_point(|e| e.key() <= *key);
        }
        if let Some(key) = &window.before {
            end = all.partition_point(|e| e.key() < *key);
        }
        end = end.max(start);
        if let Some(first) = window.first {
            end = end.min(start + first);
        }
        if let Some(last) = window.last {
            start = start.max(end.saturating_sub(last));
        }
        let keys = all[start..end].iter().map(|e| format!("{:?}", e.key()));
        (keys.collect(), start > 0, end < all.len())
    }

    fn read(
        g: &KnowledgeGraph,
        from: Option<&PartialDate>,
        to: Option<&PartialDate>,
        entities: &[EntityId],
        window: &TimelineWindow<'_>,
    ) -> (Vec<String>, bool, bool) {
        let page = g.timeline_page(from, to, entities, window);
        let keys = page.entries.iter().map(|e| format!("{:?}", e.key()));
        (keys.collect(), page.has_previous, page.has_next)
    }

    #[test]
    fn a_page_is_the_slice_of_the_whole_timeline() {
        let mut dice = Dice(5);
        let g = random_graph(&mut dice, 60);
        let all = g.timeline(None, None, &[]);
        assert!(all.len() > 150, "{}", all.len());
        assert_eq!(g.timeline_count(None, None, &[]), all.len());
        let named: [&[EntityId]; 14] = [
            &[],
            &[id("country:aa")],
            &[id("country:bb")],
            &[id("country:cc")],
            &[id("deal:d003")],
            &[id("country:cc"), id("deal:d007")],
            &[id("country:aa"), id("country:bb")],
            &[id("country:bb"), id("country:aa"), id("country:cc")],
            &[id("deal:d003"), id("country:aa"), id("deal:d003")],
            &[id("country:nowhere"), id("country:cc")],
            &[id("country:cc"), id("country:aa")],
            &[id("deal:d000"), id("country:bb")],
            &[
                id("country:bb"),
                id("deal:d000"),
                id("country:aa"),
                id("country:cc"),
            ],
            &[id("country:nowhere")],
        ];
        let at = |text: &str| text.parse::<PartialDate>().ok();
        let dates = [
            None,
            at("2024"),
            at("2025-03"),
            at("2025-06-15"),
            at("2026-12-31"),
            at("2030"),
        ];
        let mut read_any = 0;
        for from in &dates {
            for to in &dates {
                let (from, to) = (from.as_ref(), to.as_ref());
                let whole = g.timeline(from, to, &[]);
                assert_eq!(
                    g.timeline_count(from, to, &[]),
                    whole.len(),
                    "{from:?} {to:?}"
                );
                for entities in named {
                    assert_eq!(
                        g.timeline_count(from, to, entities),
                        g.timeline(from, to, entities).len(),
                        "{from:?} {to:?} {entities:?}"
                    );
                }
                // A hub's count between dates in order is made from the days it keeps.
                let in_order = from.zip(to).is_none_or(|(f, t)| f.start() <= t.end());
                let days = g.timeline.count_involved(&id("country:aa"), from, to);
                assert_eq!(days.is_some(), in_order, "{from:?} {to:?}");
                // Keys of entries in the window, of entries outside it, and made up.
                let mut keys: Vec<TimelineKey<'_>> = Vec::new();
                for _ in 0..6 {
                    keys.push(all[dice.roll(all.len())].key());
                }
                for _ in 0..3 {
                    let mut key = all[dice.roll(all.len())].key();
                    key.title = std::borrow::Cow::Owned(format!("{} ~", key.title));
                    keys.push(key);
                }
                for _ in 0..20 {
                    let pick = |dice: &mut Dice| {
                        (dice.roll(3) == 0).then(|| keys[dice.roll(keys.len())].clone())
                    };
                    let size = |dice: &mut Dice| {
                        [None, Some(0), Some(1), Some(3), Some(7), Some(400)][dice.roll(6)]
                    };
                    let window = TimelineWindow {
                        after: pick(&mut dice),
                        before: pick(&mut dice),
                        first: size(&mut dice),
                        last: size(&mut dice),
                    };
                    let entities = named[dice.roll(named.len())];
                    let want = sliced(&g, from, to, entities, &window);
                    assert_eq!(
                        read(&g, from, to, entities, &window),
                        want,
                        "{from:?} {to:?} {entities:?} {window:?}"
                    );
                    read_any += want.0.len();
                }
            }
        }
        assert!(read_any > 1000, "the windows read entries: {read_any}");
        let read = READ.with(Cell::get);
        let (indexed, related) = (read % 1_000_000, read / 1_000_000);
        assert!(indexed > 20 && related > 20, "{indexed} {related}");
        let together = TOGETHER.with(Cell::get);
        let (merged, looked) = (together % 1_000_000, together / 1_000_000);
        assert!(merged > 20 && looked > 20, "{merged} {looked}");
    }

    #[test]
    fn paging_on_from_each_end_reads_the_whole_timeline_once() {
        let mut dice = Dice(8);
        let g = random_graph(&mut dice, 40);
        let from = "2025-02".parse::<PartialDate>().ok();
        let want: Vec<String> = g
            .timeline(from.as_ref(), None, &[])
            .iter()
            .map(|e| format!("{:?}", e.key()))
            .collect();
        let (mut forward, mut window) = (Vec::new(), TimelineWindow::default());
        window.first = Some(7);
        loop {
            let page = g.timeline_page(from.as_ref(), None, &[], &window);
            forward.extend(page.entries.iter().map(|e| format!("{:?}", e.key())));
            match page.entries.last() {
                Some(e) if page.has_next => window.after = Some(e.key().to_owned_key()),
                _ => break,
            }
        }
        assert_eq!(forward, want);
        let mut backward: Vec<String> = Vec::new();
        let mut window = TimelineWindow {
            last: Some(5),
            ..TimelineWindow::default()
        };
        loop {
            let page = g.timeline_page(from.as_ref(), None, &[], &window);
            let keys = page.entries.iter().map(|e| format!("{:?}", e.key()));
            backward.splice(0..0, keys);
            match page.entries.first() {
                Some(e) if page.has_previous => window.before = Some(e.key().to_owned_key()),
                _ => break,
            }
        }
        assert_eq!(backward, want);
    }
}

//! A page of a list in an order led by a kind, a period, a status or a currency (as
//! it is now): the list is its groups one after another ([`super::tags`]), each in the
//! order of the sort's other fields, so the page is read group by group, each group's
//! part a page of its own read from an index, until the page is full.

use std::cmp::Ordering;
use std::ops::Range;

use super::KnowledgeGraph;
use super::lanes::fold_cmp;
use super::page::{ListPage, Window};
use super::query::{Filter, Op, Order, Sort, SortKey, Value};
use super::tags;
use crate::model::{NodeKind, PartialDate};

/// The nodes of a list with one value of the field its order is led by, or with none.
pub(super) struct Group {
    /// The value, none for the nodes without one (last, either way).
    value: Option<Value>,
    /// The list's filter and the value's condition.
    filter: Filter,
}

impl KnowledgeGraph {
    /// The page `window` selects of the list of `kind` that passes `filter` in `sort`,
    /// where `sort` is led by a kind, a period, a status or a currency (as it is now) and
    /// each    /// group's part is read in order from an index ([`read_in_order`]); none otherwise.
    /// A page that starts in one group and ends in another reads the part of each; the
    /// groups it does not read are asked only whether they hold a match, where the parts
    /// it reads do not tell whether the list holds items before or after the page.
    pub(super) fn page_by_groups(
        &self,
        kind: NodeKind,
        filter: &Filter,
        sort: &Sort,
        as_of: Option<&PartialDate>,
        window: &Window<SortKey<'_>>,
    ) -> Option<ListPage<'_>> {
        // The first order asked, not the first field: an order by amount is one by
        // currency, then amount, and is read from the amounts index.
        let lead = sort.lead()?;
        let rest = sort.rest();
        if !tags::answers(lead.field, as_of) || !read_in_order(kind, &rest, as_of) {
            return None;
        }
        let groups = self.groups_of(kind, filter, lead);
        let by_lead = Sort::new(&[lead]);
        // Where a group sits against a cursor: before, at (the cursor's value) or after.
        let against = |g: &Group, key: &SortKey<'_>| {
            let at = SortKey {
                values: vec![g.value.clone()],
                id: key.id.clone(),
            };
            by_lead.compare_first(1, &at, key)
        };
        /// A cursor's key within its group: without its first value.
        fn beyond<'k>(key: &SortKey<'k>) -> SortKey<'k> {
            SortKey {
                values: key.values.get(1..).map(<[_]>::to_vec).unwrap_or_default(),
                id: key.id.clone(),
            }
        }
        // The cursors within group `i`, where it holds their values.
        let within = |i: usize, first, last| Window {
            after: (window.after.as_ref())
                .filter(|a| against(&groups[i], a) == Ordering::Equal)
                .map(beyond),
            before: (window.before.as_ref())
                .filter(|b| against(&groups[i], b) == Ordering::Equal)
                .map(beyond),
            first,
            last,
        };
        let part = |i: usize, w: &Window<SortKey<'_>>| {
            self.page_by(kind, &groups[i].filter, &rest, as_of, w)
        };
        let any = |range: Range<usize>| {
            let one = Window {
                first: Some(1),
                ..Window::default()
            };
            range.into_iter().any(|i| !part(i, &one).nodes.is_empty())
        };
        let lo = (window.after.as_ref()).map_or(0, |a| {
            groups.partition_point(|g| against(g, a) == Ordering::Less)
        });
        let hi = (window.before.as_ref()).map_or(groups.len(), |b| {
            groups.partition_point(|g| against(g, b) != Ordering::Greater)
        });
        if lo >= hi {
            // The page is empty, at the place of the cursor after which it starts.
            let (has_previous, has_next) = match lo < groups.len() {
                true => {
                    let mut at = within(lo, Some(0), None);
                    at.before = None;
                    let p = part(lo, &at);
                    (
                        p.has_previous || any(0..lo),
                        p.has_next || any(lo + 1..groups.len()),
                    )
                }
                false => (any(0..groups.len()), false),
            };
            return Some(ListPage {
                nodes: Vec::new(),
                has_previous,
                has_next,
                total: None,
            });
        }
        let mut nodes = Vec::new();
        let (has_previous, has_next);
        if window.first.is_some() || window.last.is_none() {
            // From the first group on, each part as much as the page still wants.
            let (mut previous, mut i) = (false, lo);
            let mut next;
            loop {
                let want = window.first.map(|n| n.saturating_sub(nodes.len()));
                let p = part(i, &within(i, want, None));
                if i == lo {
                    previous = p.has_previous;
                }
                next = p.has_next;
                nodes.extend(p.nodes);
                i += 1;
                if i >= hi || window.first.is_some_and(|n| nodes.len() >= n) {
                    break;
                }
            }
            let mut previous = previous || any(0..lo);
            next = next || any(i..groups.len());
            // The last of the first: those before them are before the page.
            if let Some(last) = window.last
                && nodes.len() > last
            {
                nodes.drain(..nodes.len() - last);
                previous = true;
            }
            (has_previous, has_next) = (previous, next);
        } else {
            // The last alone: from the last group back.
            let last = window.last.unwrap_or(0);
            let (mut next, mut i) = (false, hi);
            let mut previous;
            let mut parts = Vec::new();
            let mut taken = 0;
            loop {
                i -= 1;
                let p = part(i, &within(i, None, Some(last - taken)));
                if i + 1 == hi {
                    next = p.has_next;
                }
                previous = p.has_previous;
                taken += p.nodes.len();
                parts.push(p.nodes);
                if i <= lo || taken >= last {
                    break;
                }
            }
            nodes = parts.into_iter().rev().flatten().collect();
            has_previous = previous || any(0..i);
            has_next = next || any(hi..groups.len());
        }
        Some(ListPage {
            nodes,
            has_previous,
            has_next,
            total: None,
        })
    }

    /// The groups of the list of `kind` that passes `filter`, by the field `lead` names,
    /// in its order: each value's, then, where some nodes of the kind have none, theirs.
    /// Those the filter's own conditions on that field rule out are left out, rather than
    /// each read through for no match.
    pub(super) fn groups_of(&self, kind: NodeKind, filter: &Filter, lead: Order) -> Vec<Group> {
        let conjuncts = filter.conjuncts();
        let mut on_lead = conjuncts.iter().filter(|(field, _)| *field == lead.field);
        let allowed = |value: &str| {
            let value = Value::Text(value.into());
            on_lead.clone().all(|(_, op)| op.passes(&value))
        };
        let mut values: Vec<&'static str> = self
            .tags
            .groups(kind, lead.field)
            .map(|(value, _)| value)
            .filter(|value| allowed(value))
            .collect();
        values.sort_by(|a, b| fold_cmp(a, b));
        if lead.descending {
            values.reverse();
        }
        let with = |condition: Filter| Filter::All(vec![filter.clone(), condition]);
        let mut groups: Vec<Group> = values
            .into_iter()
            .map(|value| Group {
                value: Some(Value::Text(value.into())),
                filter: with(Filter::Test(lead.field, Op::Eq(Value::Text(value.into())))),
            })
            .collect();
        let total = self.by_kind.get(&kind).map_or(0, |list| list.len());
        let tagged = self.tags.tagged(kind, lead.field);
        // A node without a value passes no condition on it.
        if tagged < total && on_lead.next().is_none() {
            let filter = match tagged {
                0 => filter.clone(),
                _ => with(Filter::Not(Box::new(Filter::Test(lead.field, Op::Exists)))),
            };
            groups.push(Group {
                value: None,
                filter,
            });
        }
        groups
    }
}

/// True when a list of `kind` in `sort` is read in order from an index: by id or by
/// name, by date for a dated kind, by amount for commitments and by rate for tariff
/// measures as they are now, each perhaps after a kind, a period, a status or a
/// currency (as it is now).
pub(super) fn read_in_order(kind: NodeKind, sort: &Sort, as_of: Option<&PartialDate>) -> bool {
    match sort.lead() {
        Some(lead) if tags::answers(lead.field, as_of) => read_in_order(kind, &sort.rest(), as_of),
        _ => super::page::read_from_lane(kind, sort, as_of),
    }
}

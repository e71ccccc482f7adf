//! Generic typed filters and ordering over the nodes of one kind: the
//! engine behind every filtered list. Filters combine with and/or/not;
//! conditions on related entities start from the graph's edges instead of
//! scanning the kind. A [`Sort`] both orders a list and compares the keys
//! cursors carry, so a cursor finds its place by the very rule that sorted
//! the list.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashSet;
use std::fmt;

use petgraph::stable_graph::NodeIndex;
use rust_decimal::Decimal;

use super::amounts::Span;
use super::dates::{self, DaySpan};
use super::lanes::{dated, fold_cmp};
use super::rates::RateSpan;
use super::tags;
use super::{KnowledgeGraph, interrupt};
use crate::model::{
    Amount, ClaimSet, EntityId, Node, NodeData, NodeKind, PartialDate, RelationKind, When,
};

/// A field of a node that a filter can test or a list can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The id.
    Id,
    /// The name.
    Name,
    /// Name, aliases and description together (for `contains`).
    Text,
    /// A commitment's pledger.
    Pledger,
    /// A commitment's beneficiaries.
    Beneficiary,
    /// A commitment's suppliers.
    Supplier,
    /// The deal a commitment, tariff or event belongs to.
    Deal,
    /// A deal's parties.
    Party,
    /// A tariff's imposer.
    Imposer,
    /// A tariff's target.
    Target,
    /// A statement's speaker.
    Speaker,
    /// What a statement or event is about.
    Subject,
    /// The body hosting an event or statement.
    Venue,
    /// An event's participants.
    Participant,
    /// An organization's country.
    Country,
    /// The kind within the node kind (commitment kind, event kind, ...), as its wire name.
    Kind,
    /// The current status (commitment, deal, tariff), as its wire name.
    Status,
    /// A commitment's period.
    Period,
    /// The currency of the current money amount (commitment, project).
    Currency,
    /// The current money amount (commitment) or value (project).
    Amount,
    /// A tariff's current total rate, in percentage points.
    RatePercent,
    /// The date of an event or statement, a deal's announcement, a source's publication.
    Date,
    /// A country's ISO code.
    Code,
    /// The commitment a commitment is part of.
    PartOf,
    /// Who makes a demand.
    Demander,
    /// Of whom a demand is made.
    DemandedOf,
    /// The demand a commitment answers.
    Answers,
}

/// A value a field holds or a filter compares with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// An entity id.
    Id(EntityId),
    /// Text, including enum wire names and currency codes.
    Text(String),
    /// An exact number.
    Decimal(Decimal),
    /// A date to its precision.
    Date(PartialDate),
}

/// A comparison of a field's values with a filter's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Equal.
    Eq(Value),
    /// Equal to one of.
    In(Vec<Value>),
    /// Greater than.
    Gt(Value),
    /// Greater than or equal.
    Gte(Value),
    /// Less than.
    Lt(Value),
    /// Less than or equal.
    Lte(Value),
    /// Text containing this, ignoring case.
    Contains(String),
    /// Any value at all: the field is set.
    Exists,
}

/// A filter: conditions combined with and, or and not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// Every filter holds (true when empty).
    All(Vec<Filter>),
    /// At least one filter holds (false when empty).
    Any(Vec<Filter>),
    /// The filter does not hold.
    Not(Box<Filter>),
    /// A field's value passes a comparison; a field with several values
    /// passes when one does, and a field with none never passes.
    Test(Field, Op),
}

impl Default for Filter {
    fn default() -> Self {
        Filter::All(Vec::new())
    }
}

/// One key of an ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order {
    /// The field; only single-valued fields order (id, name, amount, rate, date, kind, status).
    pub field: Field,
    /// Largest first.
    pub descending: bool,
}

/// The ordering of a node list: each order field in turn (an amount right after its
/// currency, since amounts in different currencies do not compare), a node without the
/// value after every node with it whichever the direction, then the id. It sorts every
/// list ([`KnowledgeGraph::list`]) and compares the keys cursors carry, one comparator
/// for both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    /// The orders as asked.
    orders: Vec<Order>,
    /// The fields a key holds, in order: the asked ones, each amount after its currency.
    fields: Vec<Order>,
}

/// Where a node sits under a [`Sort`]: its value of each of the sort's fields (none where
/// it has none), then its id, which makes every key of a list unique.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey<'a> {
    /// The node's value of each of [`Sort::fields`], in that order.
    pub values: Vec<Option<Value>>,
    /// The node's id.
    pub id: Cow<'a, EntityId>,
}

impl Sort {
    /// The sort for `order`; empty orders by id alone. Ids are unique, so orders after
    /// one by id never decide anything and are dropped, as is an ascending order by id
    /// itself (the final tie-break already): orderings that sort alike make one sort.
    pub fn new(order: &[Order]) -> Self {
        let mut orders = Vec::new();
        for o in order {
            if o.field == Field::Id {
                if o.descending {
                    orders.push(*o);
                }
                break;
            }
            orders.push(*o);
        }
        let fields = orders
            .iter()
            .flat_map(|o| match o.field {
                Field::Amount => vec![
                    Order {
                        field: Field::Currency,
                        descending: false,
                    },
                    *o,
                ],
                _ => vec![*o],
            })
            .collect();
        Sort { orders, fields }
    }

    /// The fields a key holds a value of, in order.
    pub fn fields(&self) -> &[Order] {
        &self.fields
    }

    /// The first order asked.
    pub(super) fn lead(&self) -> Option<Order> {
        self.orders.first().copied()
    }

    /// The sort of what follows the first order asked, which orders the items that tie
    /// on it.
    pub(super) fn rest(&self) -> Sort {
        Sort::new(self.orders.get(1..).unwrap_or_default())
    }

    /// True when `key` could be a key of this sort: one value (or none) per field, each
    /// of the type its field holds. Keys read back from outside (cursors) are checked so.
    pub fn admits(&self, key: &SortKey<'_>) -> bool {
        key.values.len() == self.fields.len()
            && self
                .fields
                .iter()
                .zip(&key.values)
                .all(|(o, v)| v.as_ref().is_none_or(|v| o.field.holds(v)))
    }

    /// The key of `node`, its values taken as of `as_of` where given.
    pub fn key<'a>(&self, node: &'a Node, as_of: Option<&PartialDate>) -> SortKey<'a> {
        SortKey {
            values: self
                .fields
                .iter()
                .map(|o| values(node, o.field, as_of).into_iter().next())
                .collect(),
            id: Cow::Borrowed(&node.id),
        }
    }

    /// Which of two keys comes first: field by field (numbers and dates by value, text
    /// ignoring case; a missing value last in either direction), then by id.
    pub fn compare(&self, a: &SortKey<'_>, b: &SortKey<'_>) -> Ordering {
        self.compare_first(self.fields.len(), a, b)
            .then_with(|| a.id.cmp(&b.id))
    }

    /// Which of two keys comes first by their first `n` fields alone, as [`Sort::compare`]
    /// orders them; equal where they tie on those.
    pub fn compare_first(&self, n: usize, a: &SortKey<'_>, b: &SortKey<'_>) -> Ordering {
        let fields = self.fields.iter().take(n);
        for (o, (x, y)) in fields.zip(a.values.iter().zip(&b.values)) {
            let ord = match (x, y) {
                (Some(x), Some(y)) => {
                    let ord = compare(x, y).unwrap_or(Ordering::Equal);
                    if o.descending { ord.reverse() } else { ord }
                }
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }
}

/// The order in words, as `amount desc, name`; `id` for the id alone.
impl fmt::Display for Sort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.orders.is_empty() {
            return f.write_str("id");
        }
        for (i, o) in self.orders.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(o.field.name())?;
            if o.descending {
                f.write_str(" desc")?;
            }
        }
        Ok(())
    }
}

fn claim_value<'a, T>(set: &'a ClaimSet<T>, as_of: Option<&PartialDate>) -> Option<&'a T> {
    set.at(as_of).map(|c| &c.value)
}

fn currency_of(set: &ClaimSet<Amount>, as_of: Option<&PartialDate>) -> Option<&'static str> {
    claim_value(set, as_of)
        .and_then(Amount::money)
        .map(|m| m.currency.as_str())
}

fn money_of(set: &ClaimSet<Amount>, as_of: Option<&PartialDate>) -> Option<(String, Decimal)> {
    claim_value(set, as_of)
        .and_then(Amount::money)
        .map(|m| (m.currency.to_string(), m.amount))
}

/// The values `field` holds on `node` (as of a date, for values that change).
pub fn values(node: &Node, field: Field, as_of: Option<&PartialDate>) -> Vec<Value> {
    let id = |i: &EntityId| Value::Id(i.clone());
    let text = |s: &str| Value::Text(s.to_string());
    let one = |v: Option<Value>| v.into_iter().collect::<Vec<_>>();
    match (field, &node.data) {
        (Field::Id, _) => vec![id(&node.id)],
        (Field::Name, _) => vec![text(&node.name)],
        (Field::Text, _) => {
            let mut out = vec![text(&node.name), text(&node.description)];
            out.extend(node.aliases.iter().map(|a| text(a)));
            out
        }
        (Field::Pledger, NodeData::Commitment(c)) => vec![id(&c.pledger)],
        (Field::Beneficiary, NodeData::Commitment(c)) => c.beneficiaries.iter().map(id).collect(),
        (Field::Supplier, NodeData::Commitment(c)) => c.suppliers.iter().map(id).collect(),
        (Field::Deal, NodeData::Commitment(c)) => one(c.deal.as_ref().map(id)),
        (Field::Deal, NodeData::TariffMeasure(t)) => one(t.deal.as_ref().map(id)),
        (Field::Deal, NodeData::Event(e)) => one(e.deal.as_ref().map(id)),
        (Field::Deal, NodeData::Demand(x)) => one(x.deal.as_ref().map(id)),
        (Field::Demander, NodeData::Demand(x)) => vec![id(&x.demander)],
        (Field::DemandedOf, NodeData::Demand(x)) => x.demanded_of.iter().map(id).collect(),
        (Field::Answers, NodeData::Commitment(c)) => one(c.answers.as_ref().map(id)),
        (Field::Party, NodeData::Deal(d)) => d.parties.iter().map(id).collect(),
        (Field::Imposer, NodeData::TariffMeasure(t)) => vec![id(&t.imposer)],
        (Field::Target, NodeData::TariffMeasure(t)) => vec![id(&t.target)],
        (Field::Speaker, NodeData::Statement(s)) => one(s.speaker.as_ref().map(id)),
        (Field::Subject, NodeData::Statement(s)) => s.about.iter().map(id).collect(),
        (Field::Venue, NodeData::Statement(s)) => one(s.venue.as_ref().map(id)),
        (Field::Venue, NodeData::Event(e)) => one(e.venue.as_ref().map(id)),
        (Field::Participant, NodeData::Event(e)) => e.participants.iter().map(id).collect(),
        (Field::Country, NodeData::Organization(o)) => one(o.country.as_ref().map(id)),
        (Field::Kind | Field::Period | Field::Status | Field::Currency, _) => {
            one(tag(node, field, as_of).map(text))
        }
        (Field::Amount, NodeData::Commitment(c)) => {
            one(money_of(&c.amount, as_of).map(|(_, a)| Value::Decimal(a)))
        }
        (Field::Amount, NodeData::Project(p)) => {
            one(money_of(&p.value, as_of).map(|(_, a)| Value::Decimal(a)))
        }
        (Field::RatePercent, NodeData::TariffMeasure(t)) => {
            one(claim_value(&t.rate, as_of).map(|r| Value::Decimal(r.total.points())))
        }
        // The date, or the earliest it can be when known only as a range.
        (Field::Date, _) => one(dated(node).and_then(When::sort_date).map(Value::Date)),
        (Field::Code, NodeData::Country(c)) => one(c.code.as_deref().map(text)),
        (Field::PartOf, NodeData::Commitment(c)) => one(c.part_of.as_ref().map(id)),
        _ => Vec::new(),
    }
}

/// The name a node's kind within its kind, its period, or its status or the currency of
/// its money amount (as of a date) holds, as on the wire; none for another field or
/// where the node has none.
pub(super) fn tag(node: &Node, field: Field, as_of: Option<&PartialDate>) -> Option<&'static str> {
    match (field, &node.data) {
        (Field::Kind, NodeData::Commitment(c)) => Some(c.kind.as_str()),
        (Field::Kind, NodeData::Event(e)) => Some(e.kind.as_str()),
        (Field::Kind, NodeData::Statement(s)) => Some(s.kind.as_str()),
        (Field::Kind, NodeData::Organization(o)) => Some(o.kind.as_str()),
        (Field::Kind, NodeData::Source(s)) => Some(s.kind.as_str()),
        (Field::Period, NodeData::Commitment(c)) => Some(c.period.as_str()),
        (Field::Status, NodeData::Commitment(c)) => {
            claim_value(&c.status, as_of).map(|s| s.as_str())
        }
        (Field::Status, NodeData::Deal(d)) => claim_value(&d.status, as_of).map(|s| s.as_str()),
        (Field::Status, NodeData::TariffMeasure(t)) => {
            claim_value(&t.status, as_of).map(|s| s.as_str())
        }
        (Field::Status, NodeData::Demand(x)) => claim_value(&x.status, as_of).map(|s| s.as_str()),
        (Field::Currency, NodeData::Commitment(c)) => currency_of(&c.amount, as_of),
        (Field::Currency, NodeData::Project(p)) => currency_of(&p.value, as_of),
        _ => None,
    }
}

/// Orders two values of one field: numbers and dates by value, text ignoring case (as
/// [`fold_cmp`] folds it, one letter at a time).
fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Decimal(x), Value::Decimal(y)) => Some(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Some(x.start().cmp(&y.start())),
        (Value::Text(x), Value::Text(y)) => Some(fold_cmp(x, y)),
        (Value::Id(x), Value::Id(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Text(x), Value::Text(y)) => x.eq_ignore_ascii_case(y),
        // Ids of other lengths differ at once: an `in` list of ids is asked of every
        // candidate.
        (Value::Id(x), Value::Id(y)) => x == y,
        _ => compare(a, b) == Some(Ordering::Equal),
    }
}

impl Op {
    /// [`Op::passes`] for an entity's own id, without a copy of it.
    fn passes_id(&self, id: &EntityId) -> bool {
        let named = |w: &Value| matches!(w, Value::Id(w) if w == id);
        match self {
            Op::Eq(w) => named(w),
            Op::In(ws) => ws.iter().any(named),
            _ => self.passes(&Value::Id(id.clone())),
        }
    }

    /// True when `v` passes the comparison.
    pub(super) fn passes(&self, v: &Value) -> bool {
        let cmp = |w: &Value| compare(v, w);
        match self {
            Op::Eq(w) => same(v, w),
            Op::In(ws) => ws.iter().any(|w| same(v, w)),
            Op::Gt(w) => cmp(w) == Some(Ordering::Greater),
            Op::Gte(w) => matches!(cmp(w), Some(Ordering::Greater | Ordering::Equal)),
            Op::Lt(w) => cmp(w) == Some(Ordering::Less),
            Op::Lte(w) => matches!(cmp(w), Some(Ordering::Less | Ordering::Equal)),
            Op::Exists => true,
            Op::Contains(t) => match v {
                Value::Text(s) => s.to_lowercase().contains(&t.to_lowercase()),
                Value::Id(i) => i.as_str().contains(&t.to_lowercase()),
                _ => false,
            },
        }
    }
}

impl Filter {
    /// True when `node` passes.
    pub fn matches(&self, node: &Node, as_of: Option<&PartialDate>) -> bool {
        match self {
            Filter::All(fs) => fs.iter().all(|f| f.matches(node, as_of)),
            Filter::Any(fs) => fs.iter().any(|f| f.matches(node, as_of)),
            Filter::Not(f) => !f.matches(node, as_of),
            // The id is tested where it is: a page asked for by a list of ids tests each
            // candidate against the whole list.
            Filter::Test(Field::Id, op) => op.passes_id(&node.id),
            Filter::Test(field, op) => values(node, *field, as_of).iter().any(|v| op.passes(v)),
        }
    }

    /// [`Filter::matches`], taking `implied`, when given, one of the conditions every
    /// match must meet ([`Filter::conjuncts`]), as met.
    pub(super) fn matches_besides(
        &self,
        node: &Node,
        as_of: Option<&PartialDate>,
        implied: Option<&Op>,
    ) -> bool {
        match self {
            Filter::All(fs) => fs.iter().all(|f| f.matches_besides(node, as_of, implied)),
            Filter::Test(_, op) if implied.is_some_and(|i| std::ptr::eq(op, i)) => true,
            _ => self.matches(node, as_of),
        }
    }

    /// The branches of each `or` every match must pass: the filter itself, or among the
    /// conditions of an `and`.
    pub(super) fn alternatives(&self) -> Vec<&[Filter]> {
        match self {
            Filter::All(fs) => fs.iter().flat_map(Filter::alternatives).collect(),
            Filter::Any(fs) => vec![fs.as_slice()],
            _ => Vec::new(),
        }
    }

    /// The conditions every match must meet, for choosing where to start.
    pub(super) fn conjuncts(&self) -> Vec<(Field, &Op)> {
        match self {
            Filter::All(fs) => fs.iter().flat_map(Filter::conjuncts).collect(),
            Filter::Test(field, op) => vec![(*field, op)],
            _ => Vec::new(),
        }
    }
}

impl Field {
    /// True when `value` is of the type the field holds: an id, text, a number or a date.
    pub fn holds(self, value: &Value) -> bool {
        use Field as F;
        match value {
            Value::Id(_) => matches!(
                self,
                F::Id
                    | F::Pledger
                    | F::Beneficiary
                    | F::Supplier
                    | F::Deal
                    | F::Party
                    | F::Imposer
                    | F::Target
                    | F::Speaker
                    | F::Subject
                    | F::Venue
                    | F::Participant
                    | F::Country
                    | F::PartOf
                    | F::Demander
                    | F::DemandedOf
                    | F::Answers
            ),
            Value::Text(_) => matches!(
                self,
                F::Name | F::Text | F::Kind | F::Status | F::Period | F::Currency | F::Code
            ),
            Value::Decimal(_) => matches!(self, F::Amount | F::RatePercent),
            Value::Date(_) => self == F::Date,
        }
    }

    /// The field's name in words, as orderings are described.
    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Name => "name",
            Field::Text => "text",
            Field::Pledger => "pledger",
            Field::Beneficiary => "beneficiary",
            Field::Supplier => "supplier",
            Field::Deal => "deal",
            Field::Party => "party",
            Field::Imposer => "imposer",
            Field::Target => "target",
            Field::Speaker => "speaker",
            Field::Subject => "subject",
            Field::Venue => "venue",
            Field::Participant => "participant",
            Field::Country => "country",
            Field::Kind => "kind",
            Field::Status => "status",
            Field::Period => "period",
            Field::Currency => "currency",
            Field::Amount => "amount",
            Field::RatePercent => "ratePercent",
            Field::Date => "date",
            Field::Code => "code",
            Field::PartOf => "partOf",
            Field::Demander => "demander",
            Field::DemandedOf => "demandedOf",
            Field::Answers => "answers",
        }
    }

    /// The edges that carry a reference field, and whether the filtered
    /// node is the edge's target, so a condition on it can start from the
    /// referenced node's edges. A pledger's edge is `pledged`, or `plans`
    /// while the commitment is only planned. The edges may carry more than the
    /// field (a deal's `about` edges come from statements about it too): every
    /// candidate they give is tested by the filter still.
    pub(super) fn edge(self) -> Option<(&'static [RelationKind], bool)> {
        use RelationKind as R;
        Some(match self {
            Field::Pledger => (&[R::Pledged, R::Plans], true),
            Field::Beneficiary => (&[R::Benefits], false),
            Field::Supplier => (&[R::Supplies], true),
            // A commitment or tariff is part of its deal; an event or demand is about it.
            Field::Deal => (&[R::PartOf, R::About], false),
            Field::Party => (&[R::PartyTo], true),
            Field::Imposer => (&[R::Imposes], true),
            Field::Target => (&[R::Targets], false),
            Field::Speaker => (&[R::Said], true),
            Field::Subject => (&[R::About], false),
            Field::Participant => (&[R::Attended], true),
            Field::Country => (&[R::BasedIn], false),
            Field::Demander => (&[R::Demands], true),
            Field::DemandedOf => (&[R::DemandedOf], false),
            Field::Answers => (&[R::Answers], false),
            _ => return None,
        })
    }
}

impl KnowledgeGraph {
    /// The nodes of `kind` that pass `filter` (values taken as of `as_of`
    /// where given), in `order` and then by id: [`KnowledgeGraph::list_by`]
    /// with `Sort::new(order)`.
    pub fn list(
        &self,
        kind: NodeKind,
        filter: &Filter,
        order: &[Order],
        as_of: Option<&PartialDate>,
    ) -> Vec<&Node> {
        self.list_by(kind, filter, &Sort::new(order), as_of)
    }

    /// The nodes of `kind` that pass `filter` (values taken as of `as_of`
    /// where given), in the order of `sort`. A condition `eq`/`in` on an id
    /// or a reference field starts from those entities' edges; otherwise the
    /// kind's own list is read.
    pub fn list_by(
        &self,
        kind: NodeKind,
        filter: &Filter,
        sort: &Sort,
        as_of: Option<&PartialDate>,
    ) -> Vec<&Node> {
        let out = self.matching(kind, filter, as_of);
        let mut keyed: Vec<(SortKey<'_>, &Node)> =
            out.into_iter().map(|n| (sort.key(n, as_of), n)).collect();
        keyed.sort_by(|(a, _), (b, _)| sort.compare(a, b));
        keyed.into_iter().map(|(_, n)| n).collect()
    }

    /// The nodes of `kind` that pass `filter`, in no particular order. A condition
    /// `eq`/`in` on an id or a reference field starts from those entities' edges, one on
    /// a kind, a period, a status or a currency as it is now from its groups, a
    /// `contains` on names or texts from the texts holding its rarest piece, and an `or`
    /// whose every branch starts so from the union of their starts; otherwise the kind's
    /// own list is read.
    pub(super) fn matching(
        &self,
        kind: NodeKind,
        filter: &Filter,
        as_of: Option<&PartialDate>,
    ) -> Vec<&Node> {
        let Some((candidates, implied)) = self.start(kind, filter, as_of) else {
            return interrupt::checked(self.scan_of_kind(kind))
                .filter(|n| filter.matches(n, as_of))
                .collect();
        };
        // Candidates most often all pass: room for them is made once, where a filtered
        // iterator would grow the list by doubling.
        let mut nodes = Vec::with_capacity(candidates.len());
        nodes.extend(
            interrupt::checked(candidates.into_iter())
                .map(|ix| &*self.graph[ix])
                .filter(|n| n.kind() == kind && filter.matches_besides(n, as_of, implied)),
        );
        nodes
    }

    /// The smallest candidate set an indexed conjunct (an id, a related entity, a kind,
    /// period, status or currency as it is now; or a span of amounts, days or rates as
    /// they are now, a `contains` on names or texts, or an `or` of such) allows, if any,
    /// with the conjunct
    /// every candidate meets by the way it was found, where there is one: an `eq` or `in`
    /// on the id names each candidate, so that fifty candidates are not each tested
    /// against a list of fifty ids.
    pub(super) fn start<'f>(
        &self,
        kind: NodeKind,
        filter: &'f Filter,
        as_of: Option<&PartialDate>,
    ) -> Option<(Vec<NodeIndex>, Option<&'f Op>)> {
        let mut best: Option<(Vec<NodeIndex>, Option<&Op>)> =
            if kind == NodeKind::Commitment && as_of.is_none() {
                self.money_start(filter).map(|set| (set, None))
            } else {
                None
            };
        let conjuncts = filter.conjuncts();
        for &(field, op) in &conjuncts {
            if tags::answers(field, as_of) {
                continue;
            }
            let ids: Vec<&EntityId> = match op {
                Op::Eq(Value::Id(i)) => vec![i],
                Op::In(vs) => ids_among(vs),
                _ => continue,
            };
            let (set, implied): (Vec<NodeIndex>, Option<&Op>) = if field == Field::Id {
                // An id named twice is one candidate: the list holds each entity once.
                let mut set = Vec::with_capacity(ids.len());
                set.extend(ids.iter().filter_map(|i| self.index_of(i)));
                set.sort_unstable();
                set.dedup();
                (set, Some(op))
            } else if let Some((relations, node_is_target)) = field.edge() {
                // Walk the referenced nodes' own edges of that kind, in the compact
                // structure: no relation or node is read that is not kept.
                let outgoing = node_is_target;
                let mut seen = HashSet::new();
                let mut set = Vec::new();
                for ix in ids.iter().filter_map(|i| self.index_of(i)) {
                    for h in self.topology.halves(ix) {
                        if h.outgoing() == outgoing
                            && relations.contains(&h.kind)
                            && self.topology.kind(h.other) == Some(kind)
                            && seen.insert(h.other)
                        {
                            set.push(h.other);
                        }
                    }
                }
                // The edges may carry more than the field: each candidate is tested.
                (set, None)
            } else {
                continue;
            };
            if best.as_ref().is_none_or(|(b, _)| set.len() < b.len()) {
                best = Some((set, implied));
            }
        }
        // The groups of a kind, a period, a status or a currency, once the other starts
        // are known: one condition's, where it holds fewer than the best start so far;
        // several merged, where their groups are few enough node indexes to read against
        // testing that start's candidates (`tags::worth_reading`), and kept where the
        // nodes in all of them are fewer.
        let answered = self.tags.answering(kind, &conjuncts, as_of);
        let fewer = best.as_ref().map_or(usize::MAX, |(b, _)| b.len());
        if tags::worth_reading(&answered, fewer)
            && let Some(passing) = self.tags.passing(kind, &answered)
            && passing.0.len() < fewer
        {
            best = Some(passing);
        }
        // A span of days is one run of the kind's list by date, counted before it is read.
        if dates::KINDS.contains(&kind)
            && let Some((span, _)) = DaySpan::of(filter)
        {
            let node = |x: u32| self.node_at(x);
            let within = self.dates.count(kind, &span, node);
            if best.as_ref().is_none_or(|(b, _)| within < b.len()) {
                best = Some((self.dates.within(kind, &span, node), None));
            }
        }
        // So is a span of rates, as they are now, of the list by rate.
        if kind == NodeKind::TariffMeasure
            && as_of.is_none()
            && let Some((span, _)) = RateSpan::of(filter)
        {
            let node = |x: u32| self.node_at(x);
            let within = self.rates.count(&span, node);
            if best.as_ref().is_none_or(|(b, _)| within < b.len()) {
                best = Some((self.rates.within(&span, node), None));
            }
        }
        let fewer = best
            .as_ref()
            .map_or(usize::MAX, |(b, _)| b.len().saturating_sub(1));
        if let Some(set) = self.contains_start(kind, filter, fewer) {
            best = Some((set, None));
        }
        let fewer = best
            .as_ref()
            .map_or(usize::MAX, |(b, _)| b.len().saturating_sub(1));
        if let Some(set) = self.start_of_either(kind, filter, as_of, fewer) {
            best = Some((set, None));
        }
        best
    }

    /// The candidates of the `or` among `filter`'s conjuncts whose every branch has a
    /// start ([`KnowledgeGraph::start`]), the union of those starts, where one holds at
    /// most `cap` candidates: the smallest such union. A union is given up once its
    /// branches' starts hold more than the cap between them.
    pub(super) fn start_of_either(
        &self,
        kind: NodeKind,
        filter: &Filter,
        as_of: Option<&PartialDate>,
        cap: usize,
    ) -> Option<Vec<NodeIndex>> {
        let mut best: Option<Vec<NodeIndex>> = None;
        for branches in filter.alternatives() {
            let cap = best
                .as_ref()
                .map_or(cap, |b| cap.min(b.len().saturating_sub(1)));
            let mut union = Vec::new();
            let whole = branches.iter().all(|b| match self.start(kind, b, as_of) {
                Some((set, _)) if union.len() + set.len() <= cap => {
                    union.extend(set);
                    true
                }
                _ => false,
            });
            if whole {
                union.sort_unstable();
                union.dedup();
                best = Some(union);
            }
        }
        best
    }
}

/// A `contains` starts from the texts holding its rarest piece where they are at most
/// this many times the kind's nodes: a text is one look (and a longer one, for a name,
/// none), a node of a read of the kind is read whole and tested.
const CONTAINS_TEXTS_PER_NODE: usize = 2;

impl KnowledgeGraph {
    /// The candidates of the `contains` on names or texts among `filter`'s conjuncts that
    /// leaves the fewest, where one leaves at most `cap`: the nodes of `kind` with a text
    /// holding the condition's rarest piece of a word, as the search index's terms tell.
    /// Each is still tested. None where no such condition has a piece to look for, or
    /// its piece is in more texts than `cap` or than [`CONTAINS_TEXTS_PER_NODE`] times
    /// the kind's nodes, which a read of the kind then passes sooner.
    pub(super) fn contains_start(
        &self,
        kind: NodeKind,
        filter: &Filter,
        cap: usize,
    ) -> Option<Vec<NodeIndex>> {
        let mut conditions = contains_conditions(filter).peekable();
        if self.feed.is_on() || conditions.peek().is_none() {
            return None;
        }
        let total = self.by_kind.get(&kind).map_or(0, |list| list.len());
        let cap = cap.min(total.saturating_mul(CONTAINS_TEXTS_PER_NODE));
        let mut best: Option<Vec<NodeIndex>> = None;
        for (needle, names_only) in conditions {
            let cap = best.as_ref().map_or(cap, |b| b.len());
            let Some(docs) = self.search.containing(needle, names_only, cap) else {
                continue;
            };
            let mut set = Vec::with_capacity(docs.len());
            set.extend(
                docs.into_iter()
                    .map(|doc| NodeIndex::new(doc as usize))
                    .filter(|&ix| self.topology.kind(ix) == Some(kind)),
            );
            set.sort_unstable();
            set.dedup();
            if best.as_ref().is_none_or(|b| set.len() < b.len()) {
                best = Some(set);
            }
        }
        best
    }

    /// At most how many candidates [`KnowledgeGraph::contains_start`] gives, where at
    /// most `cap`, counted without reading them (texts of every kind count).
    pub(super) fn contains_estimate(&self, filter: &Filter, cap: usize) -> Option<usize> {
        if self.feed.is_on() {
            return None;
        }
        contains_conditions(filter)
            .filter_map(|(needle, names_only)| {
                self.search.containing_estimate(needle, names_only, cap)
            })
            .min()
    }
}

/// The `contains` conditions on names or texts among `filter`'s conjuncts: each needle,
/// and whether it asks of names alone.
fn contains_conditions(filter: &Filter) -> impl Iterator<Item = (&str, bool)> {
    filter
        .conjuncts()
        .into_iter()
        .filter_map(|(field, op)| match (field, op) {
            (Field::Name | Field::Text, Op::Contains(needle)) => {
                Some((needle.as_str(), field == Field::Name))
            }
            _ => None,
        })
}

/// The ids among `values`, in their order; the room for them made once.
pub(super) fn ids_among(values: &[Value]) -> Vec<&EntityId> {
    let mut ids = Vec::with_capacity(values.len());
    ids.extend(values.iter().filter_map(|v| match v {
        Value::Id(i) => Some(i),
        _ => None,
    }));
    ids
}

impl KnowledgeGraph {
    /// Candidates from the amounts index when the filter bounds the current
    /// amount or names currencies (values as of another date are not indexed).
    fn money_start(&self, filter: &Filter) -> Option<Vec<NodeIndex>> {
        let span = Span::of(filter).filter(Span::narrows)?;
        Some(self.money.range(&span))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::{CommitmentKind as K, Period};

    fn graph() -> KnowledgeGraph {
        let p = |id, by, to, kind, amount| Pledge {
            id,
            by,
            to,
            kind,
            amount,
            period: Period::OneOff,
            part_of: None,
        };
        pledge_graph(vec![
            p(
                "commitment:a",
                "country:jp",
                "country:us",
                K::Investment,
                Some(money("550", "USD")),
            ),
            p(
                "commitment:b",
                "country:jp",
                "country:us",
                K::Purchase,
                Some(money("8", "USD")),
            ),
            p(
                "commitment:c",
                "country:kr",
                "country:us",
                K::Purchase,
                None,
            ),
            p(
                "commitment:d",
                "country:kr",
                "country:jp",
                K::Investment,
                Some(money("90", "JPY")),
            ),
        ])
    }

    fn ids(nodes: Vec<&Node>) -> Vec<&str> {
        nodes.into_iter().map(|n| n.id.as_str()).collect()
    }

    fn test(field: Field, op: Op) -> Filter {
        Filter::Test(field, op)
    }

    fn text(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn a_read_past_the_deadline_of_its_work_is_cut_and_says_so() {
        let countries: Vec<Node> = (0..200)
            .map(|i| country(&format!("c{i}"), &format!("Country {i}")))
            .collect();
        let g = KnowledgeGraph::build(countries, vec![]).unwrap();
        let named = test(Field::Name, Op::Contains("country".into()));
        let count = || g.count(NodeKind::Country, &named, None);
        assert_eq!(count(), 200);
        let later = std::time::Instant::now() + std::time::Duration::from_secs(3600);
        assert_eq!(interrupt::within(later, count), (200, false));
        let (n, cut) = interrupt::within(std::time::Instant::now(), count);
        assert!(cut && n < 200, "{n} counted, cut: {cut}");
    }

    #[test]
    fn and_or_not_combine() {
        let g = graph();
        let by_jp = test(Field::Pledger, Op::Eq(Value::Id(id("country:jp"))));
        let purchase = test(Field::Kind, Op::Eq(text("purchase")));
        let list = |f: &Filter| ids(g.list(NodeKind::Commitment, f, &[], None));
        assert_eq!(
            list(&Filter::All(vec![by_jp.clone(), purchase.clone()])),
            ["commitment:b"]
        );
        assert_eq!(
            list(&Filter::Any(vec![by_jp.clone(), purchase.clone()])),
            ["commitment:a", "commitment:b", "commitment:c"]
        );
        assert_eq!(
            list(&Filter::Not(Box::new(by_jp))),
            ["commitment:c", "commitment:d"]
        );
        assert_eq!(list(&Filter::Any(vec![])), Vec::<&str>::new());
        assert_eq!(list(&Filter::default()).len(), 4);
    }

    #[test]
    fn a_list_of_ids_is_met_by_its_candidates_and_the_other_conditions_still_tested() {
        let g = graph();
        let list = |f: Filter| ids(g.list(NodeKind::Commitment, &f, &[], None));
        let named = |names: &[&str]| {
            let ids = names.iter().map(|n| Value::Id(id(n))).collect();
            test(Field::Id, Op::In(ids))
        };
        let three = || named(&["commitment:a", "commitment:c", "commitment:d", "country:jp"]);
        assert_eq!(
            list(three()),
            ["commitment:a", "commitment:c", "commitment:d"]
        );
        // Beside it, a condition of its own, an `or` naming ids again and a `not`.
        let by_kr = test(Field::Pledger, Op::Eq(Value::Id(id("country:kr"))));
        assert_eq!(
            list(Filter::All(vec![three(), by_kr.clone()])),
            ["commitment:c", "commitment:d"]
        );
        assert_eq!(
            list(Filter::All(vec![
                three(),
                Filter::Any(vec![named(&["commitment:d"]), named(&["commitment:b"])]),
            ])),
            ["commitment:d"]
        );
        assert_eq!(
            list(Filter::All(vec![three(), Filter::Not(Box::new(by_kr))])),
            ["commitment:a"]
        );
        // Within an `or`, the list is tested as any other condition.
        assert_eq!(
            list(Filter::Any(vec![three(), named(&["commitment:b"])])).len(),
            4
        );
    }

    #[test]
    fn comparisons_on_decimals_text_and_missing_values() {
        let g = graph();
        let list = |f: Filter| ids(g.list(NodeKind::Commitment, &f, &[], None));
        let dec = |s| Value::Decimal(Decimal::from_str_exact(s).unwrap());
        assert_eq!(
            list(test(Field::Amount, Op::Gte(dec("90")))),
            ["commitment:a", "commitment:d"]
        );
        assert_eq!(
            list(test(Field::Amount, Op::Lt(dec("90")))),
            ["commitment:b"]
        );
        assert_eq!(
            list(test(Field::Currency, Op::In(vec![text("jpy")]))),
            ["commitment:d"]
        );
        assert_eq!(
            list(test(Field::Name, Op::Contains("MITMENT:C".into()))),
            ["commitment:c"]
        );
        // A pledge with no amount never passes a test on it, and passes its negation.
        assert_eq!(
            list(Filter::Not(Box::new(test(
                Field::Amount,
                Op::Gte(dec("0"))
            )))),
            ["commitment:c"]
        );
    }

    #[test]
    fn ordering_groups_amounts_by_currency_puts_missing_values_last_and_breaks_ties_by_id() {
        let g = graph();
        let order = |descending| {
            [Order {
                field: Field::Amount,
                descending,
            }]
        };
        let all = Filter::default();
        assert_eq!(
            ids(g.list(NodeKind::Commitment, &all, &order(true), None)),
            [
                "commitment:d",
                "commitment:a",
                "commitment:b",
                "commitment:c"
            ]
        );
        assert_eq!(
            ids(g.list(NodeKind::Commitment, &all, &order(false), None)),
            [
                "commitment:d",
                "commitment:b",
                "commitment:a",
                "commitment:c"
            ]
        );
        let by_kind = [Order {
            field: Field::Kind,
            descending: false,
        }];
        assert_eq!(
            ids(g.list(NodeKind::Commitment, &all, &by_kind, None)),
            [
                "commitment:a",
                "commitment:d",
                "commitment:b",
                "commitment:c"
            ]
        );
    }

    #[test]
    fn reference_conditions_start_from_edges() {
        let g = graph();
        let f = test(
            Field::Beneficiary,
            Op::In(vec![
                Value::Id(id("country:jp")),
                Value::Id(id("country:xx")),
            ]),
        );
        assert_eq!(
            g.start(NodeKind::Commitment, &f, None)
                .map(|(s, _)| s.len()),
            Some(1)
        );
        assert_eq!(
            ids(g.list(NodeKind::Commitment, &f, &[], None)),
            ["commitment:d"]
        );
        let by_id = test(Field::Id, Op::Eq(Value::Id(id("commitment:b"))));
        assert_eq!(
            ids(g.list(NodeKind::Commitment, &by_id, &[], None)),
            ["commitment:b"]
        );
        assert!(
            g.list(NodeKind::Country, &by_id, &[], None).is_empty(),
            "an id of another kind matches nothing"
        );
        let twice = test(
            Field::Id,
            Op::In(vec![
                Value::Id(id("commitment:b")),
                Value::Id(id("commitment:b")),
            ]),
        );
        assert_eq!(
            ids(g.list(NodeKind::Commitment, &twice, &[], None)),
            ["commitment:b"],
            "an id named twice is listed once"
        );
        // Where no id starts the list, each node's own id is tested.
        let all = ids(g.list(NodeKind::Commitment, &Filter::default(), &[], None));
        let not = Filter::Not(Box::new(twice));
        let others: Vec<_> = all
            .iter()
            .copied()
            .filter(|i| *i != "commitment:b")
            .collect();
        assert_eq!(ids(g.list(NodeKind::Commitment, &not, &[], None)), others);
        let after = test(Field::Id, Op::Gt(Value::Id(id("commitment:b"))));
        let later: Vec<_> = all
            .iter()
            .copied()
            .filter(|i| *i > "commitment:b")
            .collect();
        assert_eq!(ids(g.list(NodeKind::Commitment, &after, &[], None)), later);
        let as_text = test(Field::Id, Op::Eq(Value::Text("commitment:b".into())));
        assert!(
            g.list(NodeKind::Commitment, &as_text, &[], None).is_empty(),
            "an id equals no text"
        );
    }

    fn by(field: Field, descending: bool) -> Order {
        Order { field, descending }
    }

    fn key(values: Vec<Option<Value>>, of: &str) -> SortKey<'static> {
        SortKey {
            values,
            id: Cow::Owned(id(of)),
        }
    }

    fn date(s: &str) -> Option<Value> {
        Some(Value::Date(s.parse().unwrap()))
    }

    #[test]
    fn the_sort_that_orders_a_list_ranks_its_keys_strictly_in_that_order() {
        let g = graph();
        let all = Filter::default();
        for order in [
            vec![],
            vec![by(Field::Amount, false)],
            vec![by(Field::Amount, true)],
            vec![by(Field::Kind, false), by(Field::Amount, true)],
            vec![by(Field::Name, true)],
            vec![by(Field::Status, false)],
        ] {
            let sort = Sort::new(&order);
            let list = g.list(NodeKind::Commitment, &all, &order, None);
            assert_eq!(list, g.list_by(NodeKind::Commitment, &all, &sort, None));
            let keys: Vec<SortKey<'_>> = list.iter().map(|n| sort.key(n, None)).collect();
            for w in keys.windows(2) {
                assert_eq!(
                    sort.compare(&w[0], &w[1]),
                    Ordering::Less,
                    "{order:?}: {w:?}"
                );
                assert_eq!(sort.compare(&w[1], &w[0]), Ordering::Greater, "{order:?}");
            }
        }
    }

    #[test]
    fn keys_compare_by_value_in_either_direction_with_missing_values_last_and_ties_by_id() {
        let asc = Sort::new(&[by(Field::Date, false)]);
        let desc = Sort::new(&[by(Field::Date, true)]);
        let july = key(vec![date("2025-07-22")], "event:b");
        let august = key(vec![date("2025-08")], "event:a");
        let undated = key(vec![None], "event:0");
        let undated_too = key(vec![None], "event:1");
        assert_eq!(asc.compare(&july, &august), Ordering::Less);
        assert_eq!(desc.compare(&july, &august), Ordering::Greater);
        for sort in [&asc, &desc] {
            assert_eq!(
                sort.compare(&july, &undated),
                Ordering::Less,
                "missing last"
            );
            assert_eq!(
                sort.compare(&undated, &august),
                Ordering::Greater,
                "missing last"
            );
            assert_eq!(
                sort.compare(&undated, &undated_too),
                Ordering::Less,
                "then by id"
            );
            assert_eq!(sort.compare(&july, &july.clone()), Ordering::Equal);
        }
        // Equal values, text ignoring case: the id decides, in either direction.
        let names = |descending| Sort::new(&[by(Field::Name, descending)]);
        let upper = key(vec![Some(text("JAPAN"))], "country:b");
        let lower = key(vec![Some(text("japan"))], "country:a");
        assert_eq!(names(false).compare(&lower, &upper), Ordering::Less);
        assert_eq!(names(true).compare(&lower, &upper), Ordering::Less);
        // A date compares by its first day: a month ties with its first day.
        let month = key(vec![date("2025-07")], "event:z");
        let first_day = key(vec![date("2025-07-01")], "event:y");
        assert_eq!(asc.compare(&first_day, &month), Ordering::Less);
    }

    #[test]
    fn a_key_finds_its_place_in_a_list_that_no_longer_holds_its_node() {
        let g = graph();
        let order = [by(Field::Amount, true)];
        let sort = Sort::new(&order);
        assert_eq!(sort.fields().len(), 2, "an amount sorts after its currency");
        let list = g.list_by(NodeKind::Commitment, &Filter::default(), &sort, None);
        let place = |k: &SortKey<'_>| {
            list.partition_point(|n| sort.compare(&sort.key(n, None), k) != Ordering::Greater)
        };
        // USD 100 from a node the list lacks sits between USD 550 and USD 8.
        let gone = key(
            vec![Some(text("USD")), Some(Value::Decimal(100.into()))],
            "commitment:x",
        );
        assert_eq!(
            ids(list[..place(&gone)].to_vec()),
            ["commitment:d", "commitment:a"]
        );
        // A key without an amount sits among the other missing ones by id.
        let none = key(vec![None, None], "commitment:bb");
        assert_eq!(place(&none), 3);
        let last = key(vec![None, None], "commitment:z");
        assert_eq!(place(&last), 4);
    }

    #[test]
    fn a_sort_admits_only_keys_of_its_fields_types() {
        let sort = Sort::new(&[by(Field::Amount, false)]);
        let usd = |v: Option<Value>| key(vec![Some(text("USD")), v], "commitment:a");
        assert!(sort.admits(&usd(Some(Value::Decimal(5.into())))));
        assert!(sort.admits(&key(vec![None, None], "commitment:a")));
        assert!(!sort.admits(&usd(Some(text("5")))), "text for an amount");
        assert!(!sort.admits(&usd(date("2025"))), "a date for an amount");
        assert!(
            !sort.admits(&key(vec![None], "commitment:a")),
            "a value short"
        );
        // Every value `values` gives is of its field's type.
        let g = graph();
        for node in g.list(NodeKind::Commitment, &Filter::default(), &[], None) {
            for field in [
                Field::Id,
                Field::Pledger,
                Field::Kind,
                Field::Amount,
                Field::Currency,
            ] {
                assert!(values(node, field, None).iter().all(|v| field.holds(v)));
            }
        }
    }

    #[test]
    fn a_sort_names_its_order_in_words() {
        assert_eq!(Sort::new(&[]).to_string(), "id");
        let id_then_name = [by(Field::Id, false), by(Field::Name, false)];
        assert_eq!(
            Sort::new(&id_then_name),
            Sort::new(&[]),
            "nothing after the id decides"
        );
        assert_eq!(
            Sort::new(&[
                by(Field::Name, false),
                by(Field::Id, true),
                by(Field::Kind, false)
            ])
            .to_string(),
            "name, id desc"
        );
        assert_eq!(
            Sort::new(&[by(Field::Amount, true), by(Field::Name, false)]).to_string(),
            "amount desc, name"
        );
        assert_ne!(
            Sort::new(&[by(Field::Name, false)]).to_string(),
            Sort::new(&[by(Field::Name, true)]).to_string()
        );
    }
}

//! Value objects: money, quantities, percents, rates, dates with their precision.

use async_graphql::resolver_utils::enum_value;
use async_graphql::{Object, ScalarType, SimpleObject, Value};

use super::answer_json;
use super::enums::{DatePrecision, RateComponentKind, Unit};
use super::flat::{Flat, Leaves, Left, Link, Linker, Linking};
use super::scalars::{Date, Decimal};
use crate::model;

/// A date as recorded: the date to its precision, and whether it was inferred; or, where
/// the source gives no date, the range it lies in (`notBefore`, `notAfter`), each end with
/// its reason.
#[derive(SimpleObject, Debug, Clone)]
pub struct When {
    /// The date, written to its precision (`2025`, `2025-07`, `2025-07-22`); null when it
    /// is known only as a range, or not at all.
    pub date: Option<Date>,
    /// How much of the date is known; null when there is no date.
    pub precision: Option<DatePrecision>,
    /// True where the source does not state this date (or its range) and it was inferred
    /// from context.
    pub inferred: bool,
    /// How it was inferred, or what is uncertain about it.
    pub note: Option<String>,
    /// The earliest the date can be, and why, where it is known only as a range.
    pub not_before: Option<DateBound>,
    /// The latest the date can be, and why, where it is known only as a range.
    pub not_after: Option<DateBound>,
    /// The date in words: the date, "between A and B", "not before A" or "unknown", with
    /// "(inferred)" where it was inferred.
    pub display: String,
}

/// One end of the range a date lies in.
#[derive(SimpleObject, Debug, Clone)]
pub struct DateBound {
    /// The bound, written to its precision.
    pub date: Date,
    /// Why the date cannot lie beyond it.
    pub reason: String,
}

impl From<&model::When> for When {
    fn from(w: &model::When) -> Self {
        let bound = |b: &model::DateBound| DateBound {
            date: Date(b.date),
            reason: b.reason.clone(),
        };
        When {
            date: w.date.map(Date),
            precision: w.date.map(|d| d.precision().into()),
            inferred: w.inferred,
            note: w.note.clone(),
            not_before: w.not_before.as_deref().map(bound),
            not_after: w.not_after.as_deref().map(bound),
            display: w.to_string(),
        }
    }
}

/// An amount of money, exact. Its words are written only when asked for.
#[derive(Debug, Clone, Copy)]
pub struct Money(model::Money);

/// An amount of money, exact.
#[Object]
impl Money {
    /// The exact amount in units of the currency (not minor units).
    async fn amount(&self) -> Decimal {
        Decimal(self.0.amount)
    }

    /// The ISO 4217 currency code.
    async fn currency(&self) -> String {
        self.0.currency.to_string()
    }

    /// The amount as a headline writes it: "USD 550 billion".
    async fn display(&self) -> String {
        self.0.display()
    }
}

impl Leaves for Money {
    const LEAVES: &'static [&'static str] = &["amount", "currency", "display"];

    fn leaf(&self, index: usize) -> Value {
        match index {
            0 => Decimal(self.0.amount).to_value(),
            1 => Value::String(self.0.currency.to_string()),
            _ => Value::String(self.0.display()),
        }
    }

    fn write_leaf(&self, index: usize, out: &mut Vec<u8>) {
        match index {
            0 => answer_json::plain_with(out, |t| Decimal(self.0.amount).push_text(t)),
            1 => answer_json::plain(out, self.0.currency.as_str()),
            _ => answer_json::string_with(out, |t| self.0.push_display(t)),
        }
    }
}

impl From<&model::Money> for Money {
    fn from(m: &model::Money) -> Self {
        Money(*m)
    }
}

/// A counted or measured quantity. Its words are written only when asked for.
#[derive(Debug, Clone, Copy)]
pub struct Quantity(model::Quantity);

/// A counted or measured quantity.
#[Object]
impl Quantity {
    /// The exact value.
    async fn value(&self) -> Decimal {
        Decimal(self.0.value)
    }

    /// The unit.
    async fn unit(&self) -> Unit {
        self.0.unit.into()
    }

    /// Value and unit in words: "770000 metric tons".
    async fn display(&self) -> String {
        self.0.to_string()
    }
}

impl Leaves for Quantity {
    const LEAVES: &'static [&'static str] = &["value", "unit", "display"];

    fn leaf(&self, index: usize) -> Value {
        match index {
            0 => Decimal(self.0.value).to_value(),
            1 => enum_value(Unit::from(self.0.unit)),
            _ => Value::String(self.0.to_string()),
        }
    }

    fn write_leaf(&self, index: usize, out: &mut Vec<u8>) {
        match index {
            0 => answer_json::plain_with(out, |t| Decimal(self.0.value).push_text(t)),
            1 => answer_json::enum_name(out, Unit::from(self.0.unit)),
            _ => answer_json::string_with(out, |t| self.0.push_display(t)),
        }
    }
}

impl From<&model::Quantity> for Quantity {
    fn from(q: &model::Quantity) -> Self {
        Quantity(*q)
    }
}

/// What a pledge or project amounts to. Its words are written only when asked for.
#[derive(Debug, Clone, Copy)]
pub struct AmountValue(model::Amount);

/// What a pledge or project amounts to: exactly one of `money`, `quantity`
/// or `percent` is set.
#[Object]
impl AmountValue {
    /// The amount in words: "USD 550 billion", "100 aircraft", "75%".
    async fn display(&self) -> String {
        self.0.display()
    }

    /// A sum of money.
    async fn money(&self) -> Option<Flat<Money>> {
        self.money_now()
    }

    /// A counted or measured quantity.
    async fn quantity(&self) -> Option<Flat<Quantity>> {
        self.quantity_now()
    }

    /// A relative change in percentage points ("75" is 75%).
    async fn percent(&self) -> Option<Decimal> {
        match &self.0 {
            model::Amount::Percent(p) => Some(Decimal(p.points())),
            _ => None,
        }
    }
}

/// The answers of the fields an amount leads on by, shared by their resolvers and by
/// [`Leaves::link`], which writes them at once.
impl AmountValue {
    fn money_now(&self) -> Option<Flat<Money>> {
        match &self.0 {
            model::Amount::Money(m) => Some(Flat(m.into())),
            _ => None,
        }
    }

    fn quantity_now(&self) -> Option<Flat<Quantity>> {
        match &self.0 {
            model::Amount::Quantity(q) => Some(Flat(q.into())),
            _ => None,
        }
    }
}

impl Leaves for AmountValue {
    const LEAVES: &'static [&'static str] = &["display", "percent"];

    const LINKS: &'static [&'static str] = &["money", "quantity"];

    fn link(&self, index: usize, to: &mut Linker<'_, '_>) -> Linking {
        match index {
            0 => self.money_now().link(to),
            _ => self.quantity_now().link(to),
        }
    }

    fn leaf(&self, index: usize) -> Value {
        match (index, &self.0) {
            (0, _) => Value::String(self.0.display()),
            (_, model::Amount::Percent(p)) => Decimal(p.points()).to_value(),
            _ => Value::Null,
        }
    }

    fn write_leaf(&self, index: usize, out: &mut Vec<u8>) {
        match (index, &self.0) {
            (0, _) => answer_json::string_with(out, |t| self.0.push_display(t)),
            (_, model::Amount::Percent(p)) => {
                answer_json::plain_with(out, |t| Decimal(p.points()).push_text(t));
            }
            _ => out.extend_from_slice(b"null"),
        }
    }
}

impl Link for Quantity {
    fn link(&self, to: &mut Linker<'_, '_>) -> Linking {
        to.object(self)
    }
}

/// Rates and volume limits are answered by the executor: their objects have lists and
/// objects of their own.
macro_rules! left_to_the_executor {
    ($($value:ty),*) => {$(
        impl Link for $value {
            const AT_ONCE: bool = false;

            fn link(&self, _to: &mut Linker<'_, '_>) -> Linking {
                Err(Left)
            }
        }
    )*};
}
left_to_the_executor!(Rate, VolumeLimit);

impl From<&model::Amount> for AmountValue {
    fn from(a: &model::Amount) -> Self {
        AmountValue(*a)
    }
}

/// One part of a tariff rate.
#[derive(SimpleObject, Debug, Clone)]
pub struct RateComponent {
    /// The part it plays.
    pub kind: RateComponentKind,
    /// In words.
    pub label: Option<String>,
    /// Its rate in percentage points ("2.5" is 2.5%).
    pub percent: Decimal,
}

/// A tariff rate and the components that make it up.
#[derive(SimpleObject, Debug, Clone)]
pub struct Rate {
    /// The total rate in percentage points ("27.5" is 27.5%).
    pub total_percent: Decimal,
    /// The components; when given, they sum to the total.
    pub components: Vec<RateComponent>,
    /// The rate in words: "27.5% (2.5% base + 25% item-specific)".
    pub display: String,
}

impl From<&model::Rate> for Rate {
    fn from(r: &model::Rate) -> Self {
        let parts: Vec<String> = r
            .components
            .iter()
            .map(|c| format!("{} {}", c.percent, c.kind))
            .collect();
        let display = if r.components.len() > 1 {
            format!("{} ({})", r.total, parts.join(" + "))
        } else {
            r.total.to_string()
        };
        Rate {
            total_percent: Decimal(r.total.points()),
            components: r
                .components
                .iter()
                .map(|c| RateComponent {
                    kind: c.kind.into(),
                    label: c.label.clone(),
                    percent: Decimal(c.percent.points()),
                })
                .collect(),
            display,
        }
    }
}

/// A limit on the volume a tariff rate applies to.
#[derive(SimpleObject, Debug, Clone)]
pub struct VolumeLimit {
    /// True when the rate applies without any volume limit.
    pub unlimited: bool,
    /// The cap, where there is one.
    pub quantity: Option<Quantity>,
}

impl From<&model::VolumeLimit> for VolumeLimit {
    fn from(v: &model::VolumeLimit) -> Self {
        match v {
            model::VolumeLimit::Unlimited => VolumeLimit {
                unlimited: true,
                quantity: None,
            },
            model::VolumeLimit::Capped(q) => VolumeLimit {
                unlimited: false,
                quantity: Some(q.into()),
            },
        }
    }
}

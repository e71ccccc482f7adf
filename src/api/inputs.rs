//! The typed inputs of writes: citations, dates, amounts, rates, claims and relations.
//! Each becomes the model's value, checked by the model's own rules; a refused one names
//! the field it came from.

use std::fmt::Display;

use async_graphql::{ID, InputObject, InputType, OneofObject};

use super::enums::{Rank, RateComponentKind, RelationKind, Unit};
use super::error::ApiError;
use super::scalars::{Date, Decimal};
use crate::model::{
    self, Amount, Attribution, Claim, DateBound, EntityId, FieldClaim, Money, Percent, Quantity,
    Relation, RelationDetails, SourceRef, When,
};

/// What turning an input into the model's value answers.
pub(super) type Checked<T> = Result<T, ApiError>;

/// The error for a refused field.
pub(super) fn bad(field: &str, why: impl Display) -> ApiError {
    ApiError::BadUserInput(format!("`{field}`: {why}"))
}

/// An entity id from a field.
pub(super) fn entity_id(field: &str, id: &ID) -> Checked<EntityId> {
    EntityId::parse(id).map_err(|e| bad(field, e))
}

/// Entity ids from a list field.
pub(super) fn entity_ids(field: &str, ids: &[ID]) -> Checked<Vec<EntityId>> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| entity_id(&format!("{field}[{i}]"), id))
        .collect()
}

/// An optional entity id from a field.
pub(super) fn optional_id(field: &str, id: &Option<ID>) -> Checked<Option<EntityId>> {
    id.as_ref().map(|id| entity_id(field, id)).transpose()
}

/// A paragraph of a source that reports what a write asserts.
#[derive(InputObject, Clone, Debug)]
pub struct CitationInput {
    /// The `source:` entity.
    pub source: ID,
    /// The paragraph: the 1-based line of a document source; none for a curator's note.
    pub line: Option<u32>,
    /// Who the source attributes the fact to ("according to the White House").
    pub attribution: Option<String>,
    /// Where the source is unclear or contradicts itself.
    pub note: Option<String>,
}

/// The citations of a field; a write needs at least one for what it asserts.
pub(super) fn citations(field: &str, list: &[CitationInput]) -> Checked<Vec<SourceRef>> {
    if list.is_empty() {
        return Err(bad(
            field,
            "give at least one source for what the write asserts",
        ));
    }
    list.iter()
        .enumerate()
        .map(|(i, c)| {
            let at = format!("{field}[{i}]");
            if c.line == Some(0) {
                return Err(bad(&format!("{at}.line"), "lines are counted from 1"));
            }
            Ok(SourceRef {
                source: entity_id(&format!("{at}.source"), &c.source)?,
                line: c.line,
                attribution: c.attribution.as_deref().map(Into::into),
                note: c.note.as_deref().map(Into::into),
            })
        })
        .collect()
}

/// One end of the range an unknown date lies in.
#[derive(InputObject, Clone, Debug)]
pub struct DateBoundInput {
    /// The bound.
    pub date: Date,
    /// Why the date cannot lie beyond it.
    pub reason: String,
}

/// A date as recorded: the date where known, or the range it lies in.
#[derive(InputObject, Clone, Debug)]
pub struct WhenInput {
    /// The date, to its precision.
    pub date: Option<Date>,
    /// True where the source does not state the date and it was inferred.
    #[graphql(default)]
    pub inferred: bool,
    /// How it was inferred, or what is uncertain about it.
    pub note: Option<String>,
    /// The earliest it can be, where the date is unknown.
    pub not_before: Option<DateBoundInput>,
    /// The latest it can be, where the date is unknown.
    pub not_after: Option<DateBoundInput>,
}

impl WhenInput {
    pub(super) fn model(&self, field: &str) -> Checked<When> {
        let bound = |b: &Option<DateBoundInput>| {
            b.as_ref().map(|b| {
                Box::new(DateBound {
                    date: b.date.0,
                    reason: b.reason.clone(),
                })
            })
        };
        When {
            date: self.date.map(|d| d.0),
            inferred: self.inferred,
            note: self.note.clone(),
            not_before: bound(&self.not_before),
            not_after: bound(&self.not_after),
        }
        .checked()
        .map_err(|e| bad(field, e))
    }
}

/// An optional date from a field.
pub(super) fn optional_when(field: &str, when: &Option<WhenInput>) -> Checked<Option<When>> {
    when.as_ref().map(|w| w.model(field)).transpose()
}

fn boxed_when(field: &str, when: &Option<WhenInput>) -> Checked<Option<Box<When>>> {
    Ok(optional_when(field, when)?.map(Box::new))
}

/// A sum of money in one currency.
#[derive(InputObject, Clone, Debug)]
pub struct MoneyInput {
    /// The exact amount in units of the currency (not minor units), never negative.
    pub amount: Decimal,
    /// The ISO 4217 code (`USD`).
    pub currency: String,
}

/// A counted or measured quantity.
#[derive(InputObject, Clone, Debug)]
pub struct QuantityInput {
    /// The exact value, never negative.
    pub value: Decimal,
    /// The unit.
    pub unit: Unit,
}

/// What a commitment or project is worth or amounts to: exactly one of these.
#[derive(OneofObject, Clone, Debug)]
pub enum AmountInput {
    /// A sum of money.
    Money(MoneyInput),
    /// A counted or measured quantity.
    Quantity(QuantityInput),
    /// A relative change, in percentage points.
    Percent(Decimal),
}

/// One part of a tariff rate.
#[derive(InputObject, Clone, Debug)]
pub struct RateComponentInput {
    /// The part it plays.
    pub kind: RateComponentKind,
    /// In words.
    pub label: Option<String>,
    /// Its rate in percentage points.
    pub percent: Decimal,
}

/// A tariff rate: its total and, where known, the parts that sum to it.
#[derive(InputObject, Clone, Debug)]
pub struct RateInput {
    /// The total in percentage points.
    pub total_percent: Decimal,
    /// The parts; when given, they sum to the total.
    #[graphql(default)]
    pub components: Vec<RateComponentInput>,
}

/// A limit on the volume a tariff rate applies to: exactly one of these.
#[derive(OneofObject, Clone, Debug)]
pub enum VolumeLimitInput {
    /// `true`: the rate applies without a limit.
    Unlimited(bool),
    /// The rate applies up to this quantity.
    Capped(QuantityInput),
}

/// A role a person holds.
#[derive(InputObject, Clone, Debug)]
pub struct RoleInput {
    /// The title ("Commerce Secretary").
    pub title: String,
    /// The body or country the role is in.
    pub organization: Option<ID>,
}

/// Who a claim or relation is attributed to.
#[derive(InputObject, Clone, Debug)]
pub struct AttributionInput {
    /// The entity.
    pub by: Option<ID>,
    /// In words ("according to the White House").
    pub text: Option<String>,
}

fn attribution(field: &str, a: &Option<AttributionInput>) -> Checked<Option<Box<Attribution>>> {
    let Some(a) = a else { return Ok(None) };
    if a.by.is_none() && a.text.is_none() {
        return Err(bad(field, "give `by`, `text` or both"));
    }
    Ok(Some(Box::new(Attribution {
        by: optional_id(&format!("{field}.by"), &a.by)?,
        text: a.text.clone(),
    })))
}

/// A value input that becomes a model value.
pub(super) trait ValueInput {
    /// The model's value.
    type Value;
    /// Checks and converts it; `field` names it in an error.
    fn model(&self, field: &str) -> Checked<Self::Value>;
}

fn decimal_percent(field: &str, d: &Decimal) -> Checked<Percent> {
    Percent::new(d.0).map_err(|e| bad(field, e))
}

impl ValueInput for MoneyInput {
    type Value = Money;
    fn model(&self, field: &str) -> Checked<Money> {
        let currency = self
            .currency
            .parse()
            .map_err(|e| bad(&format!("{field}.currency"), e))?;
        Money::new(self.amount.0, currency).map_err(|e| bad(&format!("{field}.amount"), e))
    }
}

impl ValueInput for QuantityInput {
    type Value = Quantity;
    fn model(&self, field: &str) -> Checked<Quantity> {
        Quantity::new(self.value.0, self.unit.into()).map_err(|e| bad(field, e))
    }
}

impl ValueInput for AmountInput {
    type Value = Amount;
    fn model(&self, field: &str) -> Checked<Amount> {
        Ok(match self {
            AmountInput::Money(m) => Amount::Money(m.model(&format!("{field}.money"))?),
            AmountInput::Quantity(q) => Amount::Quantity(q.model(&format!("{field}.quantity"))?),
            AmountInput::Percent(p) => {
                Amount::Percent(decimal_percent(&format!("{field}.percent"), p)?)
            }
        })
    }
}

impl ValueInput for RateInput {
    type Value = model::Rate;
    fn model(&self, field: &str) -> Checked<model::Rate> {
        let total = decimal_percent(&format!("{field}.totalPercent"), &self.total_percent)?;
        let components = self
            .components
            .iter()
            .enumerate()
            .map(|(i, c)| {
                Ok(model::RateComponent {
                    kind: c.kind.into(),
                    label: c.label.clone(),
                    percent: decimal_percent(
                        &format!("{field}.components[{i}].percent"),
                        &c.percent,
                    )?,
                })
            })
            .collect::<Checked<Vec<_>>>()?;
        let rate = model::Rate { total, components };
        match rate.inconsistency() {
            Some(why) => Err(bad(&format!("{field}.components"), why)),
            None => Ok(rate),
        }
    }
}

impl ValueInput for VolumeLimitInput {
    type Value = model::VolumeLimit;
    fn model(&self, field: &str) -> Checked<model::VolumeLimit> {
        match self {
            VolumeLimitInput::Unlimited(true) => Ok(model::VolumeLimit::Unlimited),
            VolumeLimitInput::Unlimited(false) => Err(bad(
                &format!("{field}.unlimited"),
                "give `capped` for a limit; `unlimited` is only ever true",
            )),
            VolumeLimitInput::Capped(q) => Ok(model::VolumeLimit::Capped(
                q.model(&format!("{field}.capped"))?,
            )),
        }
    }
}

impl ValueInput for RoleInput {
    type Value = model::Role;
    fn model(&self, field: &str) -> Checked<model::Role> {
        if self.title.trim().is_empty() {
            return Err(bad(&format!("{field}.title"), "a role needs a title"));
        }
        Ok(model::Role {
            title: self.title.clone(),
            org: optional_id(&format!("{field}.organization"), &self.organization)?,
        })
    }
}

impl ValueInput for String {
    type Value = String;
    fn model(&self, field: &str) -> Checked<String> {
        match self.trim().is_empty() {
            true => Err(bad(field, "must not be empty")),
            false => Ok(self.clone()),
        }
    }
}

macro_rules! enum_values {
    ($($api:ident => $model:ty),+) => {$(
        impl ValueInput for super::enums::$api {
            type Value = $model;
            fn model(&self, _: &str) -> Checked<$model> {
                Ok((*self).into())
            }
        }
    )+};
}

enum_values!(
    DealStatus => model::DealStatus,
    CommitmentStatus => model::CommitmentStatus,
    DemandStatus => model::DemandStatus,
    TariffStatus => model::TariffStatus
);

/// A claimed value, with when it holds, how firmly, and where it comes from.
#[derive(InputObject, Clone, Debug)]
#[graphql(
    concrete(name = "AmountClaimInput", params(AmountInput)),
    concrete(name = "RateClaimInput", params(RateInput)),
    concrete(name = "VolumeLimitClaimInput", params(VolumeLimitInput)),
    concrete(name = "QuantityClaimInput", params(QuantityInput)),
    concrete(name = "RoleClaimInput", params(RoleInput)),
    concrete(name = "TextClaimInput", params(String)),
    concrete(name = "DealStatusClaimInput", params(super::enums::DealStatus)),
    concrete(
        name = "CommitmentStatusClaimInput",
        params(super::enums::CommitmentStatus)
    ),
    concrete(name = "DemandStatusClaimInput", params(super::enums::DemandStatus)),
    concrete(name = "TariffStatusClaimInput", params(super::enums::TariffStatus))
)]
pub struct ClaimInput<V: InputType> {
    /// A key unique among the claims of this value (`2025-07-revised`): how a later
    /// claim names the one it replaces.
    pub key: String,
    /// The value.
    pub value: V,
    /// When it was announced or agreed, where that differs from when it takes effect.
    pub announced: Option<WhenInput>,
    /// The first day it holds.
    pub valid_from: Option<WhenInput>,
    /// The day from which it no longer holds (exclusive).
    pub valid_until: Option<WhenInput>,
    /// How it stands among the claims of this value; preferred unless said.
    pub rank: Option<Rank>,
    /// True where the source gives the value as approximate.
    #[graphql(default)]
    pub approximate: bool,
    /// Who the source attributes the value to.
    pub attribution: Option<AttributionInput>,
    /// Who set or changed the value.
    pub made_by: Option<ID>,
    /// Where the value comes from; at least one.
    pub sources: Vec<CitationInput>,
    /// Why the value is doubtful, where it is.
    pub caveat: Option<String>,
    /// Anything else worth knowing about it.
    pub note: Option<String>,
}

impl<V: InputType + ValueInput> ClaimInput<V> {
    fn model(&self, field: &str) -> Checked<Claim<V::Value>> {
        if self.key.trim().is_empty() {
            return Err(bad(&format!("{field}.key"), "a claim needs a key"));
        }
        Ok(Claim {
            key: self.key.clone(),
            value: self.value.model(&format!("{field}.value"))?,
            announced: boxed_when(&format!("{field}.announced"), &self.announced)?,
            valid_from: boxed_when(&format!("{field}.validFrom"), &self.valid_from)?,
            valid_until: boxed_when(&format!("{field}.validUntil"), &self.valid_until)?,
            rank: self.rank.map_or(model::Rank::Preferred, Into::into),
            approximate: self.approximate,
            attribution: attribution(&format!("{field}.attribution"), &self.attribution)?,
            made_by: optional_id(&format!("{field}.madeBy"), &self.made_by)?,
            supersedes: None,
            sources: citations(&format!("{field}.sources"), &self.sources)?,
            caveat: self.caveat.as_deref().map(Into::into),
            note: self.note.as_deref().map(Into::into),
        })
    }
}

/// A claim about one of an entity's values: exactly one of these, named for the value.
#[derive(OneofObject, Clone, Debug)]
pub enum ClaimValueInput {
    /// A person's role.
    Role(ClaimInput<RoleInput>),
    /// A deal's status.
    DealStatus(ClaimInput<super::enums::DealStatus>),
    /// A commitment's amount.
    Amount(ClaimInput<AmountInput>),
    /// A commitment's baseline: the level before a pledge to raise it.
    Baseline(ClaimInput<AmountInput>),
    /// A commitment's limit.
    Limit(ClaimInput<AmountInput>),
    /// A commitment's status.
    CommitmentStatus(ClaimInput<super::enums::CommitmentStatus>),
    /// A demand's status.
    DemandStatus(ClaimInput<super::enums::DemandStatus>),
    /// A tariff's status.
    TariffStatus(ClaimInput<super::enums::TariffStatus>),
    /// A tariff's rate.
    Rate(ClaimInput<RateInput>),
    /// A tariff's volume limit.
    VolumeLimit(ClaimInput<VolumeLimitInput>),
    /// An event's duration.
    Duration(ClaimInput<QuantityInput>),
    /// Who a statement is attributed to, in the source's words.
    AttributedTo(ClaimInput<String>),
    /// A project's value.
    Value(ClaimInput<AmountInput>),
}

impl ClaimValueInput {
    pub(super) fn model(&self, field: &str) -> Checked<FieldClaim> {
        let at = |name: &str| format!("{field}.{name}");
        Ok(match self {
            Self::Role(c) => FieldClaim::Roles(c.model(&at("role"))?),
            Self::DealStatus(c) => FieldClaim::DealStatus(c.model(&at("dealStatus"))?),
            Self::Amount(c) => FieldClaim::Amount(c.model(&at("amount"))?),
            Self::Baseline(c) => FieldClaim::Baseline(c.model(&at("baseline"))?),
            Self::Limit(c) => FieldClaim::Limit(c.model(&at("limit"))?),
            Self::CommitmentStatus(c) => {
                FieldClaim::CommitmentStatus(c.model(&at("commitmentStatus"))?)
            }
            Self::DemandStatus(c) => FieldClaim::DemandStatus(c.model(&at("demandStatus"))?),
            Self::TariffStatus(c) => FieldClaim::TariffStatus(c.model(&at("tariffStatus"))?),
            Self::Rate(c) => FieldClaim::Rate(c.model(&at("rate"))?),
            Self::VolumeLimit(c) => FieldClaim::VolumeLimit(c.model(&at("volumeLimit"))?),
            Self::Duration(c) => FieldClaim::Duration(c.model(&at("duration"))?),
            Self::AttributedTo(c) => FieldClaim::AttributedTo(c.model(&at("attributedTo"))?),
            Self::Value(c) => FieldClaim::Value(c.model(&at("value"))?),
        })
    }
}

/// A relation no entity field implies.
#[derive(InputObject, Clone, Debug)]
pub struct RelationInput {
    /// The kind.
    pub kind: RelationKind,
    /// Where it starts.
    pub from: ID,
    /// Where it ends.
    pub to: ID,
    /// A discriminator, where two relations of one kind join the same pair.
    pub key: Option<String>,
    /// A short label.
    pub label: Option<String>,
    /// When it began to hold.
    pub valid_from: Option<WhenInput>,
    /// When it stopped holding.
    pub valid_until: Option<WhenInput>,
    /// By whose account it holds.
    pub attribution: Option<AttributionInput>,
    /// Where it comes from; at least one.
    pub sources: Vec<CitationInput>,
    /// Anything doubtful about it.
    pub note: Option<String>,
}

impl RelationInput {
    pub(super) fn model(&self, field: &str) -> Checked<Relation> {
        let at = |name: &str| format!("{field}.{name}");
        let relation = Relation::new(
            self.kind.into(),
            entity_id(&at("from"), &self.from)?,
            entity_id(&at("to"), &self.to)?,
            citations(&at("sources"), &self.sources)?.into(),
        );
        Ok(relation.with_details(RelationDetails {
            key: self.key.as_deref().map(Into::into),
            label: self.label.as_deref().map(Into::into),
            valid_from: boxed_when(&at("validFrom"), &self.valid_from)?,
            valid_until: boxed_when(&at("validUntil"), &self.valid_until)?,
            attribution: attribution(&at("attribution"), &self.attribution)?,
            note: self.note.as_deref().map(Into::into),
        }))
    }
}

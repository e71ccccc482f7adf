//! Typed filter and ordering inputs in the style of Neo4j GraphQL and
//! Hasura (`eq`, `in`, `gt`, `gte`, `lt`, `lte`, `contains`, combined with
//! `and`/`or`/`not`), translated into the graph layer's filters.

use async_graphql::{Enum, ID, InputObject, InputType};

use super::enums::{
    CommitmentKind, CommitmentStatus, DealStatus, DemandStatus, EventKind, OrderDirection, OrgKind,
    Period, SourceKind, StatementKind, TariffStatus,
};
use super::error::ApiError;
use super::scalars::{Date, Decimal};
use crate::graph::{Filter, FilterField as F, Op, Order, Value};
use crate::model::{self, EntityId};

/// Turns one field's comparisons into graph operations.
pub trait Ops {
    /// The operations the input asks for.
    fn ops(&self) -> Result<Vec<Op>, ApiError>;
}

/// Compares an entity id.
#[derive(InputObject, Debug, Clone, Default)]
pub struct IdFilter {
    /// Equal to this id.
    pub eq: Option<ID>,
    /// Equal to one of these ids.
    #[graphql(name = "in")]
    pub in_: Option<Vec<ID>>,
}

fn entity_id(id: &ID) -> Result<Value, ApiError> {
    EntityId::parse(id)
        .map(Value::Id)
        .map_err(|e| ApiError::BadUserInput(e.to_string()))
}

impl Ops for IdFilter {
    fn ops(&self) -> Result<Vec<Op>, ApiError> {
        let mut ops = Vec::new();
        if let Some(eq) = &self.eq {
            ops.push(Op::Eq(entity_id(eq)?));
        }
        if let Some(list) = &self.in_ {
            ops.push(Op::In(
                list.iter().map(entity_id).collect::<Result<_, _>>()?,
            ));
        }
        Ok(ops)
    }
}

/// Compares text, ignoring case.
#[derive(InputObject, Debug, Clone, Default)]
pub struct StringFilter {
    /// Equal to this.
    pub eq: Option<String>,
    /// Equal to one of these.
    #[graphql(name = "in")]
    pub in_: Option<Vec<String>>,
    /// Containing this.
    pub contains: Option<String>,
}

impl Ops for StringFilter {
    fn ops(&self) -> Result<Vec<Op>, ApiError> {
        let mut ops = Vec::new();
        if let Some(eq) = &self.eq {
            ops.push(Op::Eq(Value::Text(eq.clone())));
        }
        if let Some(list) = &self.in_ {
            ops.push(Op::In(list.iter().cloned().map(Value::Text).collect()));
        }
        if let Some(c) = &self.contains {
            ops.push(Op::Contains(c.clone()));
        }
        Ok(ops)
    }
}

/// One bound of a range filter and the operation it asks for.
type Bound<'a, T> = (&'a Option<T>, fn(Value) -> Op);

/// A value a range filter compares.
pub trait RangeValue {
    /// The graph value.
    fn value(&self) -> Value;
}

impl RangeValue for Decimal {
    fn value(&self) -> Value {
        Value::Decimal(self.0)
    }
}

impl RangeValue for Date {
    fn value(&self) -> Value {
        Value::Date(self.0)
    }
}

/// Compares an exact decimal, or a date (a date known only to the month or
/// year compares by its first day).
#[derive(InputObject, Debug, Clone)]
#[graphql(
    concrete(name = "DecimalFilter", params(Decimal)),
    concrete(name = "DateFilter", params(Date))
)]
pub struct RangeFilter<T: InputType + RangeValue> {
    /// Equal to this.
    pub eq: Option<T>,
    /// Greater (later) than this.
    pub gt: Option<T>,
    /// Greater (later) than or equal to this.
    pub gte: Option<T>,
    /// Less (earlier) than this.
    pub lt: Option<T>,
    /// Less (earlier) than or equal to this.
    pub lte: Option<T>,
}

impl<T: InputType + RangeValue> Ops for RangeFilter<T> {
    fn ops(&self) -> Result<Vec<Op>, ApiError> {
        let bounds: [Bound<'_, T>; 5] = [
            (&self.eq, Op::Eq),
            (&self.gt, Op::Gt),
            (&self.gte, Op::Gte),
            (&self.lt, Op::Lt),
            (&self.lte, Op::Lte),
        ];
        Ok(bounds
            .into_iter()
            .filter_map(|(x, op)| x.as_ref().map(|v| op(v.value())))
            .collect())
    }
}

/// Compares an exact decimal.
pub type DecimalFilter = RangeFilter<Decimal>;
/// Compares a date.
pub type DateFilter = RangeFilter<Date>;

/// The name an enum value has in the graph layer.
pub trait WireName {
    /// The name.
    fn wire(&self) -> &'static str;
}

macro_rules! wire_names {
    ($($gql:ident => $model:ty),* $(,)?) => {
        $(impl WireName for $gql {
            fn wire(&self) -> &'static str {
                <$model>::from(*self).as_str()
            }
        })*
    };
}

wire_names!(
    CommitmentKind => model::CommitmentKind,
    CommitmentStatus => model::CommitmentStatus,
    DealStatus => model::DealStatus,
    DemandStatus => model::DemandStatus,
    EventKind => model::EventKind,
    OrgKind => model::OrgKind,
    Period => model::Period,
    SourceKind => model::SourceKind,
    StatementKind => model::StatementKind,
    TariffStatus => model::TariffStatus,
);

/// Compares a value of a closed set.
#[derive(InputObject, Debug, Clone)]
#[graphql(
    concrete(name = "CommitmentKindFilter", params(CommitmentKind)),
    concrete(name = "CommitmentStatusFilter", params(CommitmentStatus)),
    concrete(name = "DealStatusFilter", params(DealStatus)),
    concrete(name = "DemandStatusFilter", params(DemandStatus)),
    concrete(name = "EventKindFilter", params(EventKind)),
    concrete(name = "OrgKindFilter", params(OrgKind)),
    concrete(name = "PeriodFilter", params(Period)),
    concrete(name = "SourceKindFilter", params(SourceKind)),
    concrete(name = "StatementKindFilter", params(StatementKind)),
    concrete(name = "TariffStatusFilter", params(TariffStatus))
)]
pub struct EnumFilter<T: InputType + WireName> {
    /// Equal to this.
    pub eq: Option<T>,
    /// Equal to one of these.
    #[graphql(name = "in")]
    pub in_: Option<Vec<T>>,
}

impl<T: InputType + WireName> Ops for EnumFilter<T> {
    fn ops(&self) -> Result<Vec<Op>, ApiError> {
        let v = |t: &T| Value::Text(t.wire().to_string());
        let mut ops = Vec::new();
        if let Some(eq) = &self.eq {
            ops.push(Op::Eq(v(eq)));
        }
        if let Some(list) = &self.in_ {
            ops.push(Op::In(list.iter().map(v).collect()));
        }
        Ok(ops)
    }
}

/// Declares the filter input of one list.
macro_rules! entity_filter {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident : $fty:ty => $gfield:expr),* $(,)? }) => {
        $(#[$doc])*
        #[derive(InputObject, Debug, Clone, Default)]
        pub struct $name {
            /// Every filter in the list holds.
            pub and: Option<Vec<$name>>,
            /// At least one filter in the list holds.
            pub or: Option<Vec<$name>>,
            /// The filter does not hold.
            pub not: Option<Box<$name>>,
            /// The entity's id.
            pub id: Option<IdFilter>,
            /// The entity's name.
            pub name: Option<StringFilter>,
            /// Name, aliases or description (use `contains`).
            pub text: Option<StringFilter>,
            $($(#[$fdoc])* pub $field: Option<$fty>,)*
        }

        impl $name {
            /// The graph filter this input asks for.
            pub fn to_graph(&self) -> Result<Filter, ApiError> {
                let mut all = Vec::new();
                let mut add = |ops: Option<Vec<Op>>, field: F| {
                    all.extend(ops.into_iter().flatten().map(|op| Filter::Test(field, op)));
                };
                add(self.id.as_ref().map(Ops::ops).transpose()?, F::Id);
                add(self.name.as_ref().map(Ops::ops).transpose()?, F::Name);
                add(self.text.as_ref().map(Ops::ops).transpose()?, F::Text);
                $(add(self.$field.as_ref().map(Ops::ops).transpose()?, $gfield);)*
                if let Some(list) = &self.and {
                    all.push(Filter::All(list.iter().map($name::to_graph).collect::<Result<_, _>>()?));
                }
                if let Some(list) = &self.or {
                    all.push(Filter::Any(list.iter().map($name::to_graph).collect::<Result<_, _>>()?));
                }
                if let Some(f) = &self.not {
                    all.push(Filter::Not(Box::new(f.to_graph()?)));
                }
                Ok(Filter::All(all))
            }
        }
    };
}

entity_filter!(
    /// Which countries to list.
    CountryFilter {
        /// The ISO code.
        code: StringFilter => F::Code,
    }
);
entity_filter!(
    /// Which people to list.
    PersonFilter {}
);
entity_filter!(
    /// Which organizations to list.
    OrganizationFilter {
        /// The kind of body.
        organization_kind: EnumFilter<OrgKind> => F::Kind,
        /// The country it belongs to.
        country: IdFilter => F::Country,
    }
);
entity_filter!(
    /// Which deals to list.
    DealFilter {
        /// A party to the deal.
        party: IdFilter => F::Party,
        /// Where it stands.
        status: EnumFilter<DealStatus> => F::Status,
        /// When it was announced.
        date: DateFilter => F::Date,
    }
);
entity_filter!(
    /// Which commitments to list.
    CommitmentFilter {
        /// Who made it.
        pledger: IdFilter => F::Pledger,
        /// Who gains by it.
        beneficiary: IdFilter => F::Beneficiary,
        /// Who supplies what it buys.
        supplier: IdFilter => F::Supplier,
        /// The deal it belongs to.
        deal: IdFilter => F::Deal,
        /// What it promises.
        commitment_kind: EnumFilter<CommitmentKind> => F::Kind,
        /// Where it stands.
        status: EnumFilter<CommitmentStatus> => F::Status,
        /// How often its amount recurs.
        period: EnumFilter<Period> => F::Period,
        /// The demand it answers.
        answers: IdFilter => F::Answers,
        /// The currency of its amount (ISO 4217).
        currency: StringFilter => F::Currency,
        /// Its money amount, in units of its currency.
        amount: DecimalFilter => F::Amount,
    }
);
entity_filter!(
    /// Which demands to list.
    DemandFilter {
        /// Who makes it.
        demander: IdFilter => F::Demander,
        /// Of whom it is made.
        demanded_of: IdFilter => F::DemandedOf,
        /// The deal it concerns.
        deal: IdFilter => F::Deal,
        /// Where it stands.
        status: EnumFilter<DemandStatus> => F::Status,
    }
);
entity_filter!(
    /// Which tariff measures to list.
    TariffMeasureFilter {
        /// Who imposes it.
        imposer: IdFilter => F::Imposer,
        /// Whose goods it falls on.
        target: IdFilter => F::Target,
        /// The deal that set it.
        deal: IdFilter => F::Deal,
        /// Where it stands.
        status: EnumFilter<TariffStatus> => F::Status,
        /// Its total rate in percentage points.
        rate_percent: DecimalFilter => F::RatePercent,
    }
);
entity_filter!(
    /// Which events to list.
    EventFilter {
        /// What kind of happening.
        event_kind: EnumFilter<EventKind> => F::Kind,
        /// When it happened (a timeline's date range: `{ gte, lte }`).
        date: DateFilter => F::Date,
        /// Who took part.
        participant: IdFilter => F::Participant,
        /// The deal it concerns.
        deal: IdFilter => F::Deal,
        /// The body that hosted it.
        venue: IdFilter => F::Venue,
    }
);
entity_filter!(
    /// Which statements to list.
    StatementFilter {
        /// Who said it.
        speaker: IdFilter => F::Speaker,
        /// What it is about.
        subject: IdFilter => F::Subject,
        /// The body whose site it was said at.
        venue: IdFilter => F::Venue,
        /// What kind of utterance.
        statement_kind: EnumFilter<StatementKind> => F::Kind,
        /// When it was said.
        date: DateFilter => F::Date,
    }
);
entity_filter!(
    /// Which projects to list.
    ProjectFilter {
        /// The currency of its value.
        currency: StringFilter => F::Currency,
        /// Its money value.
        amount: DecimalFilter => F::Amount,
    }
);
entity_filter!(
    /// Which sources to list.
    SourceFilter {
        /// A document or a curator note.
        source_kind: EnumFilter<SourceKind> => F::Kind,
        /// When it was published.
        date: DateFilter => F::Date,
    }
);

/// Declares the ordering input of one list.
macro_rules! order_input {
    ($(#[$doc:meta])* $name:ident, $(#[$fdoc:meta])* $field_enum:ident { $($(#[$vdoc:meta])* $variant:ident => $gfield:expr),* $(,)? }) => {
        $(#[$fdoc])*
        #[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $field_enum {
            /// The id.
            Id,
            /// The name.
            Name,
            $($(#[$vdoc])* $variant,)*
        }

        $(#[$doc])*
        #[derive(InputObject, Debug, Clone, Copy)]
        pub struct $name {
            /// The field to order by.
            pub field: $field_enum,
            /// Smallest first (the default) or largest first.
            #[graphql(default)]
            pub direction: OrderDirection,
        }

        impl $name {
            /// The graph ordering this input asks for.
            pub fn to_graph(self) -> Order {
                let field = match self.field {
                    $field_enum::Id => F::Id,
                    $field_enum::Name => F::Name,
                    $($field_enum::$variant => $gfield,)*
                };
                Order { field, descending: self.direction == OrderDirection::Desc }
            }
        }
    };
}

order_input!(
    /// An ordering of countries; ties break by id.
    CountryOrder,
    /// A field countries can be ordered by.
    CountryOrderField { /// The ISO code.
    Code => F::Code }
);
order_input!(
    /// An ordering of people; ties break by id.
    PersonOrder,
    /// A field people can be ordered by.
    PersonOrderField {}
);
order_input!(
    /// An ordering of organizations; ties break by id.
    OrganizationOrder,
    /// A field organizations can be ordered by.
    OrganizationOrderField { /// The kind of body.
    Kind => F::Kind }
);
order_input!(
    /// An ordering of deals; ties break by id.
    DealOrder,
    /// A field deals can be ordered by.
    DealOrderField { /// The announcement date.
    Date => F::Date, /// The status.
    Status => F::Status }
);
order_input!(
    /// An ordering of commitments; ties break by id.
    CommitmentOrder,
    /// A field commitments can be ordered by.
    CommitmentOrderField {
        /// The money amount (commitments without one come last).
        Amount => F::Amount,
        /// The kind of commitment.
        Kind => F::Kind,
        /// The status.
        Status => F::Status,
        /// The currency.
        Currency => F::Currency,
    }
);
order_input!(
    /// An ordering of demands; ties break by id.
    DemandOrder,
    /// A field demands can be ordered by.
    DemandOrderField { /// The status.
    Status => F::Status }
);
order_input!(
    /// An ordering of tariff measures; ties break by id.
    TariffMeasureOrder,
    /// A field tariff measures can be ordered by.
    TariffMeasureOrderField { /// The total rate.
    RatePercent => F::RatePercent, /// The status.
    Status => F::Status }
);
order_input!(
    /// An ordering of events; ties break by id.
    EventOrder,
    /// A field events can be ordered by.
    EventOrderField { /// The date (undated events come last).
    Date => F::Date, /// The kind of event.
    Kind => F::Kind }
);
order_input!(
    /// An ordering of statements; ties break by id.
    StatementOrder,
    /// A field statements can be ordered by.
    StatementOrderField { /// The date (undated statements come last).
    Date => F::Date, /// The kind of statement.
    Kind => F::Kind }
);
order_input!(
    /// An ordering of projects; ties break by id.
    ProjectOrder,
    /// A field projects can be ordered by.
    ProjectOrderField { /// The money value.
    Amount => F::Amount }
);
order_input!(
    /// An ordering of sources; ties break by id.
    SourceOrder,
    /// A field sources can be ordered by.
    SourceOrderField { /// The publication date.
    Date => F::Date }
);

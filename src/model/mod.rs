//! The domain model: ids, node and relation kinds, claims, money, percents,
//! quantities, partial dates and provenance. Pure data: no I/O, no GraphQL.

mod change;
mod claim;
mod date;
mod document;
mod edit;
mod error;
mod id;
mod kinds;
mod node;
mod provenance;
mod relation;
mod value;
pub(crate) mod wire;

pub use change::{
    CHANGE_FORMAT, Change, ChangeBatch, ChangeFormatError, ClaimField, FieldClaim, Retraction,
};
pub use claim::{Attribution, Claim, ClaimSet, Rank};
pub use date::{
    DateBasis, DateBound, DatePrecision, Day, PartialDate, Position, When, day_number, holds_on,
    numbered_day,
};
pub use document::{DocumentText, check_file_name};
pub use edit::{ClaimSetEdit, ClaimShape};
pub use error::ModelError;
pub use id::{EntityId, IdInterner, NodeKind};
pub use kinds::{
    CommitmentKind, CommitmentStatus, DealStatus, DemandStatus, EventKind, OrgKind, Period,
    RateComponentKind, SourceKind, StatementKind, TariffStatus,
};
pub use node::{
    Commitment, Country, Deal, Demand, Event, Node, NodeData, Organization, Person, Project, Rate,
    RateComponent, Role, Source, Statement, TariffMeasure, VolumeLimit,
};
pub use provenance::SourceRef;
pub use relation::{
    ImpliedBy, ImpliedRelation, Relation, RelationDetails, RelationKind, SharedSources,
};
pub use value::{Amount, Currency, Money, Percent, Quantity, Unit, parse_decimal, push_decimal};

/// Declares a closed set of string-named values with `as_str`, `ALL`, `FromStr`
/// and `Display`, so seed files and the API name them the same way.
macro_rules! string_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The name used in seed files and on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::model::ModelError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::model::ModelError::UnknownValue {
                        what: stringify!($name),
                        value: s.to_string(),
                        expected: [$($text,)+].join(", "),
                    }),
                }
            }
        }

        $crate::model::wire::serde_as_text!($name);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use string_enum;

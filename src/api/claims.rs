//! Claims on the wire: a value with its validity, rank, attribution, who
//! made it, what it superseded and its sources, one type per kind of value.

use async_graphql::resolver_utils::enum_value;
use async_graphql::{Object, Value};

use super::answer_json;
use super::entity::{Attribution, Citation, Entity, citations, lookup};
use super::enums::{CommitmentStatus, DateBasis, DealStatus, DemandStatus, Rank, TariffStatus};
use super::flat::{Flat, FlatList, Leaves, Left, Link, Linker, Linking};
use super::values::{AmountValue, Quantity, Rate, VolumeLimit, When};
use crate::graph::KnowledgeGraph;
use crate::model::{self, Claim, ClaimSet, PartialDate};

/// Declares the claim type for one kind of value.
macro_rules! claim_object {
    ($(#[$doc:meta])* $name:ident, $model:ty, $value:ty, |$g:ident, $v:ident| $convert:expr) => {
        $(#[$doc])*
        pub struct $name<'a> {
            pub(crate) g: &'a KnowledgeGraph,
            pub(crate) c: &'a Claim<$model>,
            /// How firmly the dates that chose it for `asOf` are known; none without `asOf`.
            pub(crate) basis: Option<model::DateBasis>,
        }

        $(#[$doc])*
        #[Object]
        impl<'a> $name<'a> {
            /// The value.
            async fn value(&self) -> $value {
                self.value_now()
            }

            /// A key unique among the claims of this value, named by `supersedes`.
            async fn key(&self) -> &str {
                &self.c.key
            }

            /// When the value was announced or agreed, where that is recorded apart from when
            /// it takes effect (`validFrom`).
            async fn announced(&self) -> Option<When> {
                self.c.announced.as_deref().map(Into::into)
            }

            /// For an answer `asOf` a day: how firmly the dates that decide it are known.
            /// `UNKNOWN` when the day falls inside a range a date is known only as (the value
            /// before the change is given); null when no `asOf` was asked.
            async fn as_of_basis(&self) -> Option<DateBasis> {
                self.basis.map(Into::into)
            }

            /// The first day the value holds, where known; a range where the source gives
            /// only bounds, or nothing where it gives no date at all.
            async fn valid_from(&self) -> Option<When> {
                self.c.valid_from.as_deref().map(Into::into)
            }

            /// The day from which the value no longer holds (exclusive), where known.
            async fn valid_until(&self) -> Option<When> {
                self.c.valid_until.as_deref().map(Into::into)
            }

            /// Preferred, normal (such as a superseded value) or deprecated (stated wrongly by the source).
            async fn rank(&self) -> Rank {
                self.c.rank.into()
            }

            /// True where the source gives the value as approximate.
            async fn approximate(&self) -> bool {
                self.c.approximate
            }

            /// Who the source attributes the value to.
            async fn attribution(&self) -> Option<Attribution<'a>> {
                self.c.attribution.as_ref().map(|a| Attribution { g: self.g, a })
            }

            /// Who set or changed the value.
            async fn made_by(&self) -> Option<Entity<'a>> {
                self.c.made_by.as_ref().and_then(|m| lookup(self.g, m))
            }

            /// The key of the claim this one replaced.
            async fn supersedes(&self) -> Option<&str> {
                self.c.supersedes.as_deref()
            }

            /// The paragraphs that report the value.
            async fn sources(&self) -> Vec<Citation<'a>> {
                citations(self.g, &self.c.sources)
            }

            /// Why the value is doubtful or wrong, where it is.
            async fn caveat(&self) -> Option<&str> {
                self.c.caveat.as_deref()
            }

            /// Anything else worth knowing about the value.
            async fn note(&self) -> Option<&str> {
                self.c.note.as_deref()
            }
        }

        impl<'a> Leaves for $name<'a> {
            const LEAVES: &'static [&'static str] = CLAIM_LEAVES;

            fn leaf(&self, index: usize) -> Value {
                claim_leaf(self.c, self.basis, index)
            }

            fn write_leaf(&self, index: usize, out: &mut Vec<u8>) {
                write_claim_leaf(self.c, self.basis, index, out);
            }

            const LINKS: &'static [&'static str] =
                if <$value as Link>::AT_ONCE { &["value"] } else { &[] };

            fn link(&self, _index: usize, to: &mut Linker<'_, '_>) -> Linking {
                Link::link(&self.value_now(), to)
            }
        }

        impl<'a> $name<'a> {
            /// The value, as its field answers it.
            fn value_now(&self) -> $value {
                let ($g, $v) = (self.g, &self.c.value);
                let _ = $g;
                $convert
            }

            /// The claim that holds now, or on `as_of` (with how firmly that is known), to be
            /// answered in one pass.
            // Not every kind of claim is asked for "as of" a day (who said a statement is not).
            #[allow(dead_code)]
            pub fn current(g: &'a KnowledgeGraph, set: &'a ClaimSet<$model>, as_of: Option<PartialDate>) -> Option<Flat<Self>> {
                match as_of {
                    Some(day) => set
                        .as_of_with_basis(&day)
                        .map(|(c, basis)| Flat($name { g, c, basis: Some(basis) })),
                    None => set.current().map(|c| Flat($name { g, c, basis: None })),
                }
            }

            /// Every claim in history order, deprecated ones only when asked, to be answered
            /// in one pass each.
            pub fn history(g: &'a KnowledgeGraph, set: &'a ClaimSet<$model>, include_deprecated: bool) -> FlatList<Self> {
                FlatList(set.history(include_deprecated).map(|c| $name { g, c, basis: None }).collect())
            }
        }
    };
}

/// The fields every claim has at hand, for [`Leaves`].
const CLAIM_LEAVES: &[&str] = &[
    "key",
    "asOfBasis",
    "rank",
    "approximate",
    "supersedes",
    "caveat",
    "note",
];

/// Writes the value of `CLAIM_LEAVES[index]` for `claim` as JSON, as [`claim_leaf`]'s.
fn write_claim_leaf<T>(
    claim: &Claim<T>,
    basis: Option<model::DateBasis>,
    index: usize,
    out: &mut Vec<u8>,
) {
    let text = |out: &mut Vec<u8>, t: &Option<Box<str>>| match t.as_deref() {
        Some(t) => answer_json::string(out, t),
        None => out.extend_from_slice(b"null"),
    };
    match index {
        0 => answer_json::string(out, &claim.key),
        1 => match basis {
            Some(b) => answer_json::enum_name(out, DateBasis::from(b)),
            None => out.extend_from_slice(b"null"),
        },
        2 => answer_json::enum_name(out, Rank::from(claim.rank)),
        3 => out.extend_from_slice(if claim.approximate { b"true" } else { b"false" }),
        4 => text(out, &claim.supersedes),
        5 => text(out, &claim.caveat),
        _ => text(out, &claim.note),
    }
}

/// The value of `CLAIM_LEAVES[index]` for `claim`, as its resolver answers it.
fn claim_leaf<T>(claim: &Claim<T>, basis: Option<model::DateBasis>, index: usize) -> Value {
    let text = |t: &Option<Box<str>>| {
        t.as_deref()
            .map_or(Value::Null, |t| Value::String(t.into()))
    };
    match index {
        0 => Value::String(claim.key.clone()),
        1 => basis.map_or(Value::Null, |b| enum_value(DateBasis::from(b))),
        2 => enum_value(Rank::from(claim.rank)),
        3 => Value::Boolean(claim.approximate),
        4 => text(&claim.supersedes),
        5 => text(&claim.caveat),
        _ => text(&claim.note),
    }
}

claim_object!(
    /// A claimed amount: money, a quantity or a percentage.
    AmountClaim, model::Amount, Flat<AmountValue>, |g, v| Flat(v.into())
);
claim_object!(
    /// A claimed tariff rate.
    RateClaim, model::Rate, Rate, |g, v| v.into()
);
claim_object!(
    /// A claimed volume limit of a tariff.
    VolumeLimitClaim, model::VolumeLimit, VolumeLimit, |g, v| v.into()
);
claim_object!(
    /// A claimed quantity, such as how long an event lasted.
    QuantityClaim, model::Quantity, Quantity, |g, v| v.into()
);
claim_object!(
    /// A claim in words, such as who the source says made a statement.
    TextClaim, String, String, |g, v| v.clone()
);
claim_object!(
    /// A claimed role of a person.
    RoleClaim, model::Role, Role<'a>, |g, v| Role { g, r: v }
);
claim_object!(
    /// A claimed status of a commitment.
    CommitmentStatusClaim, model::CommitmentStatus, CommitmentStatus, |g, v| (*v).into()
);
claim_object!(
    /// A claimed status of a demand.
    DemandStatusClaim, model::DemandStatus, DemandStatus, |g, v| (*v).into()
);
claim_object!(
    /// A claimed status of a deal.
    DealStatusClaim, model::DealStatus, DealStatus, |g, v| (*v).into()
);
claim_object!(
    /// A claimed status of a tariff measure.
    TariffStatusClaim, model::TariffStatus, TariffStatus, |g, v| (*v).into()
);

/// A status is written at once where a claim's `value` is followed.
macro_rules! link_enum {
    ($($status:ty),*) => {$(
        impl Link for $status {
            fn link(&self, to: &mut Linker<'_, '_>) -> Linking {
                to.enum_name(*self)
            }
        }
    )*};
}
link_enum!(CommitmentStatus, DemandStatus, DealStatus, TariffStatus);

/// A role has a field that leads on (`organization`): left to the executor.
impl Link for Role<'_> {
    const AT_ONCE: bool = false;

    fn link(&self, _to: &mut Linker<'_, '_>) -> Linking {
        Err(Left)
    }
}

/// A role: a title in a body or a country.
pub struct Role<'a> {
    g: &'a KnowledgeGraph,
    r: &'a model::Role,
}

/// A role: a title in a body or a country.
#[Object]
impl<'a> Role<'a> {
    /// The title, such as "Commerce Secretary".
    async fn title(&self) -> &str {
        &self.r.title
    }

    /// The body or country the role is in.
    async fn organization(&self) -> Option<Entity<'a>> {
        self.r.org.as_ref().and_then(|o| lookup(self.g, o))
    }
}

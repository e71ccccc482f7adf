//! Changes: every way the graph can change, as data. A seed is the changes that build
//! it; curated writes, stored logs and replicas speak the same language. Stored changes
//! carry a format number so they stay readable after the code moves on.

use serde::{Deserialize, Serialize};

use super::{
    Amount, Claim, CommitmentStatus, DealStatus, DemandStatus, EntityId, Node, Quantity, Rate,
    Relation, Role, SourceRef, TariffStatus, VolumeLimit, When,
};

/// The format changes are written in; raised whenever a stored change would read
/// differently, with a reader kept for every older format.
pub const CHANGE_FORMAT: u32 = 1;

/// A batch of changes as stored: applied whole or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeBatch {
    /// The format the batch was written in ([`CHANGE_FORMAT`] when written by this code).
    pub format: u32,
    /// The changes, in order.
    pub changes: Vec<Change>,
}

impl ChangeBatch {
    /// A batch in the current format.
    pub fn new(changes: Vec<Change>) -> Self {
        ChangeBatch {
            format: CHANGE_FORMAT,
            changes,
        }
    }

    /// Reads a stored batch, refusing a format this code cannot read.
    pub fn from_json(text: &str) -> Result<Self, ChangeFormatError> {
        #[derive(Deserialize)]
        struct Head {
            format: u32,
        }
        let head: Head =
            serde_json::from_str(text).map_err(|e| ChangeFormatError::Malformed(e.to_string()))?;
        if head.format != CHANGE_FORMAT {
            return Err(ChangeFormatError::UnknownFormat(head.format));
        }
        serde_json::from_str(text).map_err(|e| ChangeFormatError::Malformed(e.to_string()))
    }

    /// The batch as JSON, in the current format.
    pub fn to_json(&self) -> String {
        // Every model value serializes to a string, number, list or map: cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Why a stored batch cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeFormatError {
    /// Written in a format this code does not know.
    #[error(
        "change batch format {0} is not known to this version (it reads format {CHANGE_FORMAT}); upgrade pledgegraph to read it"
    )]
    UnknownFormat(u32),
    /// Not a batch at all, or a value fails its checks.
    #[error("malformed change batch: {0}")]
    Malformed(String),
}

/// One change to the graph. Nothing is ever erased: ending, deprecating, retracting and
/// merging keep what was there, marked, with a reason and sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// Adds a new entity; the relations its fields imply come with it.
    CreateEntity {
        /// The entity, with its sources.
        entity: Node,
    },
    /// Replaces an entity's plain fields (names, description); each one given replaces
    /// the old value.
    UpdateEntity {
        /// The entity.
        id: EntityId,
        /// The new name.
        name: Option<String>,
        /// The new aliases, all of them.
        aliases: Option<Vec<String>>,
        /// The new description.
        description: Option<String>,
        /// Where the new values come from; added to the entity's sources.
        sources: Vec<SourceRef>,
    },
    /// Adds a claim to one of an entity's values.
    AddClaim {
        /// The entity.
        id: EntityId,
        /// The value and the claim, with its sources.
        claim: FieldClaim,
    },
    /// Adds a claim that replaces an earlier one of the same value; the earlier claim is
    /// kept, no longer preferred.
    SupersedeClaim {
        /// The entity.
        id: EntityId,
        /// The key of the claim replaced.
        supersedes: String,
        /// The new claim, with its sources.
        claim: FieldClaim,
    },
    /// Marks a claim wrong by the curator's account: kept, hidden unless asked for.
    DeprecateClaim {
        /// The entity.
        id: EntityId,
        /// The value the claim is about.
        field: ClaimField,
        /// The claim's key.
        key: String,
        /// Why it is wrong.
        reason: String,
        /// Where that is shown.
        sources: Vec<SourceRef>,
    },
    /// Adds a relation no entity field implies.
    AddRelation {
        /// The relation, with its sources.
        relation: Relation,
    },
    /// Records that an explicit relation stopped holding.
    EndRelation {
        /// The relation's id.
        id: String,
        /// From when it no longer holds.
        until: When,
        /// Where that is reported.
        sources: Vec<SourceRef>,
    },
    /// Withdraws an entity the sources do not support: kept, marked, with the reason;
    /// its explicit relations are retracted with it.
    RetractEntity {
        /// The entity.
        id: EntityId,
        /// Why.
        reason: String,
        /// Where that is shown.
        sources: Vec<SourceRef>,
    },
    /// Withdraws an explicit relation: kept, marked, with the reason.
    RetractRelation {
        /// The relation's id.
        id: String,
        /// Why.
        reason: String,
        /// Where that is shown.
        sources: Vec<SourceRef>,
    },
    /// Folds a duplicate into the entity it duplicates: what referred to the duplicate
    /// refers to the survivor, which takes its names as aliases; the duplicate's id keeps
    /// resolving to the survivor.
    MergeEntity {
        /// The duplicate.
        duplicate: EntityId,
        /// The entity that remains.
        survivor: EntityId,
        /// Where the two are shown to be one.
        sources: Vec<SourceRef>,
    },
}

impl Change {
    /// The entity the change is about, where it is about one: the created, changed,
    /// retracted or surviving entity, or a new relation's start.
    pub fn entity(&self) -> Option<&EntityId> {
        match self {
            Change::CreateEntity { entity } => Some(&entity.id),
            Change::UpdateEntity { id, .. }
            | Change::AddClaim { id, .. }
            | Change::SupersedeClaim { id, .. }
            | Change::DeprecateClaim { id, .. }
            | Change::RetractEntity { id, .. } => Some(id),
            Change::MergeEntity { survivor, .. } => Some(survivor),
            Change::AddRelation { relation } => Some(&relation.from),
            Change::EndRelation { .. } | Change::RetractRelation { .. } => None,
        }
    }

    /// Every entity the change names as its subject: [`Change::entity`], a merged
    /// duplicate, and both ends of a relation it adds, ends or withdraws.
    pub fn entities(&self) -> Vec<EntityId> {
        match self {
            Change::MergeEntity {
                duplicate,
                survivor,
                ..
            } => vec![duplicate.clone(), survivor.clone()],
            Change::AddRelation { relation } => vec![relation.from.clone(), relation.to.clone()],
            Change::EndRelation { id, .. } | Change::RetractRelation { id, .. } => {
                // `from|kind|to`, then `#key` where there is one.
                let mut parts = id.split('#').next().unwrap_or_default().split('|');
                let (from, to) = (parts.next(), parts.nth(1));
                [from, to]
                    .into_iter()
                    .flatten()
                    .filter_map(|t| EntityId::parse(t).ok())
                    .collect()
            }
            other => other.entity().into_iter().cloned().collect(),
        }
    }

    /// Every citation the change carries: a new entity's (its own and its claims'), a
    /// claim's, a relation's, and the sources of an update, an end, a retraction or a
    /// merge.
    pub fn citations(&self) -> Vec<&SourceRef> {
        match self {
            Change::CreateEntity { entity } => entity.citations(),
            Change::AddClaim { claim, .. } | Change::SupersedeClaim { claim, .. } => {
                claim.sources().iter().collect()
            }
            Change::AddRelation { relation } => relation.sources.iter().collect(),
            Change::UpdateEntity { sources, .. }
            | Change::DeprecateClaim { sources, .. }
            | Change::EndRelation { sources, .. }
            | Change::RetractEntity { sources, .. }
            | Change::RetractRelation { sources, .. }
            | Change::MergeEntity { sources, .. } => sources.iter().collect(),
        }
    }

    /// A short name of the operation, for errors and logs.
    pub fn op(&self) -> &'static str {
        match self {
            Change::CreateEntity { .. } => "create_entity",
            Change::UpdateEntity { .. } => "update_entity",
            Change::AddClaim { .. } => "add_claim",
            Change::SupersedeClaim { .. } => "supersede_claim",
            Change::DeprecateClaim { .. } => "deprecate_claim",
            Change::AddRelation { .. } => "add_relation",
            Change::EndRelation { .. } => "end_relation",
            Change::RetractEntity { .. } => "retract_entity",
            Change::RetractRelation { .. } => "retract_relation",
            Change::MergeEntity { .. } => "merge_entity",
        }
    }
}

/// A value that holds claims, named as in the seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimField {
    /// A person's roles.
    Roles,
    /// A deal's status.
    DealStatus,
    /// A commitment's amount.
    Amount,
    /// A commitment's baseline.
    Baseline,
    /// A commitment's limit.
    Limit,
    /// A commitment's status.
    CommitmentStatus,
    /// A demand's status.
    DemandStatus,
    /// A tariff's status.
    TariffStatus,
    /// A tariff's rate.
    Rate,
    /// A tariff's volume limit.
    VolumeLimit,
    /// An event's duration.
    Duration,
    /// Who a statement is attributed to, in words.
    AttributedTo,
    /// A project's value.
    Value,
}

/// A claim and the value it is about, typed by that value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "field", content = "claim", rename_all = "snake_case")]
pub enum FieldClaim {
    /// A person's role.
    Roles(Claim<Role>),
    /// A deal's status.
    DealStatus(Claim<DealStatus>),
    /// A commitment's amount.
    Amount(Claim<Amount>),
    /// A commitment's baseline.
    Baseline(Claim<Amount>),
    /// A commitment's limit.
    Limit(Claim<Amount>),
    /// A commitment's status.
    CommitmentStatus(Claim<CommitmentStatus>),
    /// A demand's status.
    DemandStatus(Claim<DemandStatus>),
    /// A tariff's status.
    TariffStatus(Claim<TariffStatus>),
    /// A tariff's rate.
    Rate(Claim<Rate>),
    /// A tariff's volume limit.
    VolumeLimit(Claim<VolumeLimit>),
    /// An event's duration.
    Duration(Claim<Quantity>),
    /// Who a statement is attributed to, in words.
    AttributedTo(Claim<String>),
    /// A project's value.
    Value(Claim<Amount>),
}

/// Runs `$body` with `$c` bound to the claim, whatever its value's type.
macro_rules! on_claim {
    ($claim:expr, $c:ident => $body:expr) => {
        match $claim {
            FieldClaim::Roles($c) => $body,
            FieldClaim::DealStatus($c) => $body,
            FieldClaim::Amount($c) => $body,
            FieldClaim::Baseline($c) => $body,
            FieldClaim::Limit($c) => $body,
            FieldClaim::CommitmentStatus($c) => $body,
            FieldClaim::DemandStatus($c) => $body,
            FieldClaim::TariffStatus($c) => $body,
            FieldClaim::Rate($c) => $body,
            FieldClaim::VolumeLimit($c) => $body,
            FieldClaim::Duration($c) => $body,
            FieldClaim::AttributedTo($c) => $body,
            FieldClaim::Value($c) => $body,
        }
    };
}

impl FieldClaim {
    /// Records the claim this one replaces.
    pub fn set_supersedes(&mut self, key: &str) {
        on_claim!(self, c => c.supersedes = Some(key.into()))
    }

    /// The claim's citations.
    pub fn sources(&self) -> &[SourceRef] {
        on_claim!(self, c => &c.sources)
    }

    /// The claim's key.
    pub fn key(&self) -> &str {
        on_claim!(self, c => &c.key)
    }

    /// The value the claim is about.
    pub fn field(&self) -> ClaimField {
        match self {
            FieldClaim::Roles(_) => ClaimField::Roles,
            FieldClaim::DealStatus(_) => ClaimField::DealStatus,
            FieldClaim::Amount(_) => ClaimField::Amount,
            FieldClaim::Baseline(_) => ClaimField::Baseline,
            FieldClaim::Limit(_) => ClaimField::Limit,
            FieldClaim::CommitmentStatus(_) => ClaimField::CommitmentStatus,
            FieldClaim::DemandStatus(_) => ClaimField::DemandStatus,
            FieldClaim::TariffStatus(_) => ClaimField::TariffStatus,
            FieldClaim::Rate(_) => ClaimField::Rate,
            FieldClaim::VolumeLimit(_) => ClaimField::VolumeLimit,
            FieldClaim::Duration(_) => ClaimField::Duration,
            FieldClaim::AttributedTo(_) => ClaimField::AttributedTo,
            FieldClaim::Value(_) => ClaimField::Value,
        }
    }
}

/// Why and on what grounds something was withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retraction {
    /// Why.
    pub reason: String,
    /// Where that is shown.
    pub sources: Vec<SourceRef>,
    /// The graph version that withdrew it.
    pub version: u64,
}

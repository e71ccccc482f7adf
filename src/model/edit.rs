//! How a change edits one node: its claims by field, and the ids it refers to. The graph
//! decides whether a change may apply; this only says how the node's data moves.

use super::{
    Claim, ClaimField, ClaimSet, EntityId, FieldClaim, ModelError, Node, NodeData, NodeKind, Rank,
    SourceRef, When,
};

/// The edits every claim set allows, whatever its value type.
pub trait ClaimSetEdit {
    /// True when a claim has this key.
    fn has(&self, key: &str) -> bool;
    /// Marks the claim no longer preferred (a later claim replaces it).
    fn demote(&mut self, key: &str);
    /// Marks the claim wrong, with why and the sources that show it.
    fn deprecate(&mut self, key: &str, reason: &str, sources: &[SourceRef]);
}

impl<T> ClaimSetEdit for ClaimSet<T> {
    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn demote(&mut self, key: &str) {
        for c in self.all_mut().iter_mut().filter(|c| c.key == key) {
            if c.rank == Rank::Preferred {
                c.rank = Rank::Normal;
            }
        }
    }

    fn deprecate(&mut self, key: &str, reason: &str, sources: &[SourceRef]) {
        for c in self.all_mut().iter_mut().filter(|c| c.key == key) {
            c.rank = Rank::Deprecated;
            c.caveat = Some(reason.into());
            c.sources.extend(sources.iter().cloned());
        }
    }
}

/// The ids a node's data refers to, as shared or as mutable references: one list of
/// fields for [`Node::references`] and [`Node::references_mut`].
macro_rules! references {
    ($node:expr, $as:ident, $iter:ident, $all:ident, $($r:tt)+) => {{
        let mut out = Vec::new();
        macro_rules! claims {
            ($set:expr) => {
                for c in $set.$all() {
                    out.extend(c.made_by.$as());
                    out.extend(c.attribution.$as().and_then(|a| a.by.$as()));
                }
            };
        }
        match $($r)+ $node.data {
            NodeData::Country(_) => {}
            NodeData::Person(p) => {
                for c in p.roles.$all() {
                    out.extend(c.value.org.$as());
                    out.extend(c.made_by.$as());
                    out.extend(c.attribution.$as().and_then(|a| a.by.$as()));
                }
            }
            NodeData::Organization(o) => {
                out.extend(o.country.$as());
                out.extend(o.parent.$as());
            }
            NodeData::Deal(d) => {
                out.extend(d.parties.$iter());
                claims!(d.status);
            }
            NodeData::Commitment(c) => {
                let c = $($r)+ **c;
                out.push($($r)+ c.pledger);
                out.extend(c.beneficiaries.$iter());
                out.extend(c.suppliers.$iter());
                out.extend(c.deal.$as());
                out.extend(c.part_of.$as());
                out.extend(c.in_exchange_for.$iter());
                out.extend(c.answers.$as());
                claims!(c.amount);
                claims!(c.baseline);
                claims!(c.limit);
                claims!(c.status);
            }
            NodeData::Demand(d) => {
                let d = $($r)+ **d;
                out.push($($r)+ d.demander);
                out.extend(d.demanded_of.$iter());
                out.extend(d.deal.$as());
                out.extend(d.in_exchange_for.$iter());
                out.extend(d.attribution.$as().and_then(|a| a.by.$as()));
                claims!(d.status);
            }
            NodeData::TariffMeasure(t) => {
                let t = $($r)+ **t;
                out.push($($r)+ t.imposer);
                out.push($($r)+ t.target);
                out.extend(t.deal.$as());
                claims!(t.status);
                claims!(t.rate);
                claims!(t.volume_limit);
            }
            NodeData::Event(e) => {
                out.extend(e.participants.$iter());
                out.extend(e.venue.$as());
                out.extend(e.deal.$as());
                out.extend(e.part_of.$as());
                claims!(e.duration);
            }
            NodeData::Statement(s) => {
                out.extend(s.speaker.$as());
                out.extend(s.event.$as());
                out.extend(s.venue.$as());
                out.extend(s.about.$iter());
                out.extend(s.reported_by.$iter());
                claims!(s.attributed_to);
            }
            NodeData::Project(p) => claims!(p.value),
            NodeData::Source(s) => out.extend(s.publisher.$as()),
        }
        out
    }};
}

impl Node {
    /// The seed's rules for one entity on its own: a name, a source, data of the kind its
    /// id names, and claims that each have a unique key, a source, an end after their
    /// start and a `supersedes` naming a claim of the same value.
    pub fn check(&self) -> Result<(), ModelError> {
        if self.name.trim().is_empty() {
            return Err(ModelError::Empty("an entity's name"));
        }
        if self.sources.is_empty() {
            return Err(ModelError::Empty("an entity's sources"));
        }
        let data_kind = match &self.data {
            NodeData::Country(_) => NodeKind::Country,
            NodeData::Person(_) => NodeKind::Person,
            NodeData::Organization(_) => NodeKind::Organization,
            NodeData::Deal(_) => NodeKind::Deal,
            NodeData::Commitment(_) => NodeKind::Commitment,
            NodeData::Demand(_) => NodeKind::Demand,
            NodeData::TariffMeasure(_) => NodeKind::TariffMeasure,
            NodeData::Event(_) => NodeKind::Event,
            NodeData::Statement(_) => NodeKind::Statement,
            NodeData::Project(_) => NodeKind::Project,
            NodeData::Source(_) => NodeKind::Source,
        };
        if data_kind != self.kind() {
            return Err(ModelError::WrongKind {
                id: self.id.to_string(),
                found: self.kind().type_name(),
                expected: format!("{} (the kind of its data)", data_kind.type_name()),
            });
        }
        for (_, claims) in self.claim_sets() {
            for (i, claim) in claims.iter().enumerate() {
                check_claim(&claims[..i], claim, false)?;
            }
            for claim in &claims {
                check_supersedes(&claims, claim)?;
            }
        }
        Ok(())
    }

    /// Each value of the node that holds claims, by its name in the seed, with what its
    /// claims say apart from their values: the one list of a kind's claim sets that
    /// counting, citing and checking read.
    pub fn claim_sets(&self) -> Vec<(&'static str, Vec<ClaimShape<'_>>)> {
        fn shapes<T>(set: &ClaimSet<T>) -> Vec<ClaimShape<'_>> {
            set.all().iter().map(ClaimShape::of).collect()
        }
        match &self.data {
            NodeData::Person(p) => vec![("roles", shapes(&p.roles))],
            NodeData::Deal(d) => vec![("status", shapes(&d.status))],
            NodeData::Commitment(c) => vec![
                ("amount", shapes(&c.amount)),
                ("baseline", shapes(&c.baseline)),
                ("limit", shapes(&c.limit)),
                ("status", shapes(&c.status)),
            ],
            NodeData::Demand(d) => vec![("status", shapes(&d.status))],
            NodeData::TariffMeasure(t) => vec![
                ("status", shapes(&t.status)),
                ("rate", shapes(&t.rate)),
                ("volume_limit", shapes(&t.volume_limit)),
            ],
            NodeData::Event(e) => vec![("duration", shapes(&e.duration))],
            NodeData::Statement(s) => vec![("attributed_to", shapes(&s.attributed_to))],
            NodeData::Project(p) => vec![("value", shapes(&p.value))],
            NodeData::Country(_) | NodeData::Organization(_) | NodeData::Source(_) => Vec::new(),
        }
    }

    /// The claim set of `field`, where this kind of node has one.
    pub fn claims_mut(&mut self, field: ClaimField) -> Option<&mut dyn ClaimSetEdit> {
        use ClaimField as F;
        Some(match (&mut self.data, field) {
            (NodeData::Person(p), F::Roles) => &mut p.roles,
            (NodeData::Deal(d), F::DealStatus) => &mut d.status,
            (NodeData::Commitment(c), F::Amount) => &mut c.amount,
            (NodeData::Commitment(c), F::Baseline) => &mut c.baseline,
            (NodeData::Commitment(c), F::Limit) => &mut c.limit,
            (NodeData::Commitment(c), F::CommitmentStatus) => &mut c.status,
            (NodeData::Demand(d), F::DemandStatus) => &mut d.status,
            (NodeData::TariffMeasure(t), F::TariffStatus) => &mut t.status,
            (NodeData::TariffMeasure(t), F::Rate) => &mut t.rate,
            (NodeData::TariffMeasure(t), F::VolumeLimit) => &mut t.volume_limit,
            (NodeData::Event(e), F::Duration) => &mut e.duration,
            (NodeData::Statement(s), F::AttributedTo) => &mut s.attributed_to,
            (NodeData::Project(p), F::Value) => &mut p.value,
            _ => return None,
        })
    }

    /// Adds a claim to the value it is about, checked as the seed checks one: a key,
    /// unique in its set; a source; an end after its start; a `supersedes` that names a
    /// claim of the same value.
    pub fn add_claim(&mut self, claim: FieldClaim) -> Result<(), ModelError> {
        let field = claim.field();
        let kind = self.kind();
        let misfit = || ModelError::UnknownValue {
            what: "claim field",
            value: format!("{field:?} on a {}", kind.type_name()),
            expected: "a value this kind of entity has".into(),
        };
        fn put<T>(set: &mut ClaimSet<T>, claim: Claim<T>) -> Result<(), ModelError> {
            let claims: Vec<ClaimShape<'_>> = set.all().iter().map(ClaimShape::of).collect();
            check_claim(&claims, &ClaimShape::of(&claim), true)?;
            set.insert(claim);
            Ok(())
        }
        use FieldClaim as C;
        match (&mut self.data, claim) {
            (NodeData::Person(p), C::Roles(c)) => put(&mut p.roles, c),
            (NodeData::Deal(d), C::DealStatus(c)) => put(&mut d.status, c),
            (NodeData::Commitment(x), C::Amount(c)) => put(&mut x.amount, c),
            (NodeData::Commitment(x), C::Baseline(c)) => put(&mut x.baseline, c),
            (NodeData::Commitment(x), C::Limit(c)) => put(&mut x.limit, c),
            (NodeData::Commitment(x), C::CommitmentStatus(c)) => put(&mut x.status, c),
            (NodeData::Demand(d), C::DemandStatus(c)) => put(&mut d.status, c),
            (NodeData::TariffMeasure(t), C::TariffStatus(c)) => put(&mut t.status, c),
            (NodeData::TariffMeasure(t), C::Rate(c)) => put(&mut t.rate, c),
            (NodeData::TariffMeasure(t), C::VolumeLimit(c)) => put(&mut t.volume_limit, c),
            (NodeData::Event(e), C::Duration(c)) => put(&mut e.duration, c),
            (NodeData::Statement(s), C::AttributedTo(c)) => put(&mut s.attributed_to, c),
            (NodeData::Project(p), C::Value(c)) => put(&mut p.value, c),
            _ => Err(misfit()),
        }
    }

    /// Every id this node refers to (not its own).
    pub fn references(&self) -> Vec<&EntityId> {
        references!(self, as_ref, iter, all, &)
    }

    /// Every citation the node carries: its own and its claims'.
    pub fn citations(&self) -> Vec<&SourceRef> {
        let claims = self.claim_sets().into_iter().flat_map(|(_, claims)| claims);
        self.sources
            .iter()
            .chain(claims.flat_map(|c| c.sources))
            .collect()
    }

    /// Every id this node refers to (not its own), to re-point when one entity is merged
    /// into another.
    pub fn references_mut(&mut self) -> Vec<&mut EntityId> {
        references!(self, as_mut, iter_mut, all_mut, &mut)
    }

    /// Makes every reference to `from` a reference to `to`, and drops the repeats that
    /// leaves in a list (a deal whose parties named both).
    pub fn repoint(&mut self, from: &EntityId, to: &EntityId) {
        for id in self.references_mut() {
            if id == from {
                *id = to.clone();
            }
        }
        let dedup = |list: &mut Vec<EntityId>| {
            let mut seen = std::collections::HashSet::new();
            list.retain(|id| seen.insert(id.clone()));
        };
        match &mut self.data {
            NodeData::Deal(d) => dedup(&mut d.parties),
            NodeData::Commitment(c) => {
                dedup(&mut c.beneficiaries);
                dedup(&mut c.suppliers);
                dedup(&mut c.in_exchange_for);
            }
            NodeData::Demand(d) => {
                dedup(&mut d.demanded_of);
                dedup(&mut d.in_exchange_for);
            }
            NodeData::Event(e) => dedup(&mut e.participants),
            NodeData::Statement(s) => {
                dedup(&mut s.about);
                dedup(&mut s.reported_by);
            }
            _ => {}
        }
    }
}

/// What a claim says apart from its value: enough to count, cite and check it.
#[derive(Debug, Clone, Copy)]
pub struct ClaimShape<'a> {
    /// Its key.
    pub key: &'a str,
    /// Its sources.
    pub sources: &'a [SourceRef],
    /// When it starts to hold.
    pub valid_from: Option<&'a When>,
    /// When it stops holding.
    pub valid_until: Option<&'a When>,
    /// The key of the claim it replaces.
    pub supersedes: Option<&'a str>,
    /// True when it carries a caveat.
    pub caveat: bool,
    /// True when it is ranked deprecated.
    pub deprecated: bool,
}

impl<'a> ClaimShape<'a> {
    fn of<T>(claim: &'a Claim<T>) -> Self {
        ClaimShape {
            key: &claim.key,
            sources: &claim.sources,
            valid_from: claim.valid_from.as_deref(),
            valid_until: claim.valid_until.as_deref(),
            supersedes: claim.supersedes.as_deref(),
            caveat: claim.caveat.is_some(),
            deprecated: claim.is_deprecated(),
        }
    }
}

/// The seed's rules for one claim joining the claims `before` it: a key no other claim
/// of the value has, a source, an end after its start, and (when `supersedes` is to be
/// checked here) a replaced claim among them.
fn check_claim(
    before: &[ClaimShape<'_>],
    claim: &ClaimShape<'_>,
    supersedes: bool,
) -> Result<(), ModelError> {
    if claim.key.trim().is_empty() {
        return Err(ModelError::Empty("a claim's key"));
    }
    if claim.sources.is_empty() {
        return Err(ModelError::Empty("a claim's sources"));
    }
    if before.iter().any(|c| c.key == claim.key) {
        return Err(ModelError::UnknownValue {
            what: "claim key",
            value: claim.key.to_string(),
            expected: "a key no other claim of this value has".into(),
        });
    }
    if supersedes {
        check_supersedes(before, claim)?;
    }
    if let (Some(from), Some(until)) = (claim.valid_from, claim.valid_until)
        && let (Some(start), Some(end)) = (from.earliest(), until.latest())
        && end <= start
    {
        return Err(ModelError::OutOfRange {
            what: "valid_until",
            value: until.to_string(),
            range: "a claim must end after it starts",
        });
    }
    Ok(())
}

/// A claim's `supersedes`, where it has one, names one of `claims`.
fn check_supersedes(claims: &[ClaimShape<'_>], claim: &ClaimShape<'_>) -> Result<(), ModelError> {
    match claim.supersedes {
        Some(target) if !claims.iter().any(|c| c.key == target) => Err(ModelError::UnknownValue {
            what: "superseded claim",
            value: target.to_string(),
            expected: "the key of a claim of the same value".into(),
        }),
        _ => Ok(()),
    }
}

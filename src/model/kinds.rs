//! The closed sets of values that classify nodes and claims.

use super::string_enum;

string_enum! {
    /// What kind of body an organization is.
    pub enum OrgKind {
        /// A ministry, department, office or agency of a government.
        GovernmentBody = "government-body",
        /// A company.
        Company = "company",
        /// A newspaper, broadcaster or news service.
        MediaOutlet = "media-outlet",
        /// A body whose members are states.
        InternationalOrganization = "international-organization",
        /// A political party.
        Party = "party",
        /// A group sent to negotiate on a government's behalf.
        Delegation = "delegation",
    }
}

string_enum! {
    /// Where a deal stands.
    pub enum DealStatus {
        /// Talks are under way; nothing is agreed.
        UnderNegotiation = "under-negotiation",
        /// The parties have agreed and announced terms.
        Agreed = "agreed",
        /// Signed into a formal text.
        Signed = "signed",
        /// In force.
        InForce = "in-force",
        /// Talks broke down.
        Collapsed = "collapsed",
    }
}

string_enum! {
    /// What a commitment promises.
    pub enum CommitmentKind {
        /// Capital to be invested.
        Investment = "investment",
        /// Goods to be bought.
        Purchase = "purchase",
        /// Procurement by a government, such as defense equipment.
        Procurement = "procurement",
        /// More imports of a product.
        ImportIncrease = "import-increase",
        /// Taking part in a project or venture.
        Participation = "participation",
        /// Opening a market.
        MarketAccess = "market-access",
        /// Concessions not yet itemised.
        Concessions = "concessions",
    }
}

string_enum! {
    /// Where a commitment stands.
    pub enum CommitmentStatus {
        /// Asked for by the other side, not promised. Not used: what one side asks of
        /// another is a demand, its own kind of node; the seed refuses this status.
        Demanded = "demanded",
        /// Put on the table, not yet agreed.
        Offered = "offered",
        /// Promised as part of an agreement.
        Pledged = "pledged",
        /// Announced as intended, with terms not yet disclosed.
        Planned = "planned",
        /// Carried out.
        Fulfilled = "fulfilled",
        /// Taken back.
        Withdrawn = "withdrawn",
    }
}

string_enum! {
    /// Where a demand stands.
    pub enum DemandStatus {
        /// Made, and neither met nor dropped.
        Open = "open",
        /// Met by a pledge of the party asked.
        Met = "met",
        /// Refused by the party asked.
        Refused = "refused",
        /// Dropped by the side that made it.
        Withdrawn = "withdrawn",
    }
}

string_enum! {
    /// How often an amount recurs.
    pub enum Period {
        /// Once, in total.
        OneOff = "one-off",
        /// Every year.
        Annual = "annual",
        /// In total, fulfilled over a span of time the source does not give: neither a
        /// lump sum nor a yearly figure.
        OverTime = "over-time",
        /// The source does not say.
        Unspecified = "unspecified",
    }
}

string_enum! {
    /// Where a tariff measure stands.
    pub enum TariffStatus {
        /// Threatened if a condition is not met.
        Threatened = "threatened",
        /// Announced, not yet applied.
        Announced = "announced",
        /// Applied.
        InForce = "in-force",
        /// Suspended.
        Suspended = "suspended",
    }
}

string_enum! {
    /// The part a component plays in a tariff rate.
    pub enum RateComponentKind {
        /// The ordinary (most-favoured-nation) rate.
        Base = "base",
        /// An extra rate on a particular item, such as cars.
        ItemSpecific = "item-specific",
        /// A reciprocal rate set against a country.
        Reciprocal = "reciprocal",
        /// A single all-inclusive rate that replaces the others.
        Flat = "flat",
    }
}

string_enum! {
    /// What kind of happening an event is.
    pub enum EventKind {
        /// Negotiating rounds.
        Talks = "talks",
        /// A meeting between named people.
        Meeting = "meeting",
        /// Interviews given to the media.
        Interview = "interview",
        /// A post on social media.
        Post = "post",
        /// A formal announcement.
        Announcement = "announcement",
        /// A date by which something must happen.
        Deadline = "deadline",
        /// Public remarks at a site or occasion.
        Remarks = "remarks",
        /// A party or campaign gathering.
        PoliticalEvent = "political-event",
    }
}

string_enum! {
    /// What kind of utterance a statement is.
    pub enum StatementKind {
        /// Something said in an interview or in passing.
        Remark = "remark",
        /// An assertion of fact by the speaker.
        Claim = "claim",
        /// A formal announcement.
        Announcement = "announcement",
        /// The source's own analysis or interpretation.
        Analysis = "analysis",
        /// A warning.
        Warning = "warning",
    }
}

string_enum! {
    /// What a source is.
    pub enum SourceKind {
        /// A document such as a news article.
        Document = "document",
        /// A curator's note recording a correction the document does not make.
        Curator = "curator",
    }
}

impl SourceKind {
    /// Why a citation of a source of this kind, with a line or without, does not fit it:
    /// a document is cited by line, a curator note (a single statement) without one.
    pub fn citation_misfit(self, has_line: bool) -> Option<&'static str> {
        match (self, has_line) {
            (SourceKind::Document, false) => Some("is a document: cite a line"),
            (SourceKind::Curator, true) => Some("is a curator note: it has no lines"),
            _ => None,
        }
    }
}

//! The change log as history: every committed batch with who made it, when and why, the
//! whole log or the batches that named one entity, oldest first, a page at a time.

use async_graphql::{Context, ID, Object};

use super::entity::{Entity, lookup_all};
use super::error::ApiError;
use super::pagination::PageSizes;
use crate::app::{Entry, Snapshot};
use crate::model::{Change, EntityId};

/// One committed batch of the change log, and the version of the graph to show its
/// entities from (the request's when none).
pub struct CommittedBatch(Entry, Option<Snapshot>);

impl CommittedBatch {
    /// A batch whose entities are shown as `graph` has them.
    pub(super) fn at(entry: Entry, graph: Snapshot) -> Self {
        CommittedBatch(entry, Some(graph))
    }
}

/// One committed batch of the change log: applied whole, in commit order.
#[Object]
impl CommittedBatch {
    /// Its number: the graph version it made.
    async fn version(&self) -> u64 {
        self.0.seq
    }

    /// When it was committed, in UTC (ISO 8601).
    async fn committed_at(&self) -> &str {
        &self.0.committed_at
    }

    /// The editor who made it.
    async fn actor(&self) -> &str {
        &self.0.actor
    }

    /// Why, in the editor's words.
    async fn reason(&self) -> &str {
        &self.0.reason
    }

    /// The key the client gave the write.
    async fn idempotency_key(&self) -> Option<&str> {
        self.0.idempotency_key.as_deref()
    }

    /// Its changes, in order.
    async fn changes(&self) -> Vec<ChangeRecord<'_>> {
        self.0.batch.changes.iter().map(ChangeRecord).collect()
    }

    /// The entities its changes name, as this request's version of the graph has them (for
    /// a subscription, the latest as the batch is sent).
    async fn entities<'a>(&'a self, ctx: &Context<'a>) -> async_graphql::Result<Vec<Entity<'a>>> {
        let mut ids: Vec<EntityId> = Vec::new();
        for id in self.0.batch.changes.iter().flat_map(Change::entities) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let graph = match &self.1 {
            Some(graph) => graph,
            None => super::graph(ctx)?,
        };
        Ok(lookup_all(graph, &ids))
    }
}

/// One change of a committed batch.
pub struct ChangeRecord<'a>(&'a Change);

/// One change of a committed batch.
#[Object]
impl ChangeRecord<'_> {
    /// The operation: `create_entity`, `update_entity`, `add_claim`, `supersede_claim`,
    /// `deprecate_claim`, `add_relation`, `end_relation`, `retract_entity`,
    /// `retract_relation` or `merge_entity`.
    async fn op(&self) -> &'static str {
        self.0.op()
    }

    /// The entities it names: the one it is about, a merged duplicate, a relation's ends.
    async fn entity_ids(&self) -> Vec<ID> {
        self.0
            .entities()
            .into_iter()
            .map(|id| ID(id.to_string()))
            .collect()
    }

    /// The change as the log keeps it (JSON, decimals as exact strings), for review and
    /// audit.
    async fn detail(&self) -> String {
        serde_json::to_string(self.0).unwrap_or_default()
    }
}

/// A page of the change log, oldest first.
pub struct ChangeLogPage {
    nodes: Vec<Entry>,
    has_next_page: bool,
}

/// A page of the change log, oldest first.
#[Object]
impl ChangeLogPage {
    /// The batches on this page.
    async fn nodes(&self) -> Vec<CommittedBatch> {
        self.nodes
            .iter()
            .cloned()
            .map(|e| CommittedBatch(e, None))
            .collect()
    }

    /// True when later batches follow: ask again with `after: endCursor`.
    async fn has_next_page(&self) -> bool {
        self.has_next_page
    }

    /// The cursor of the last batch on the page (its version); null on an empty page.
    async fn end_cursor(&self) -> Option<String> {
        self.nodes.last().map(|e| e.seq.to_string())
    }
}

/// Where a page of history starts and how long it is, from `since`, `after` and `first`.
pub(super) fn window(
    ctx: &Context<'_>,
    since: Option<u64>,
    after: Option<&str>,
    first: Option<i32>,
) -> async_graphql::Result<(u64, usize)> {
    let sizes = PageSizes::of(ctx)?;
    let first = sizes
        .check(first, "first")
        .map_err(ApiError::into_graphql)?
        .unwrap_or(sizes.default);
    let after = match after {
        None => 0,
        Some(cursor) => cursor.parse::<u64>().map_err(|_| {
            ApiError::BadUserInput(format!(
                "`after` must be an `endCursor` of the change log, not `{cursor}`"
            ))
            .into_graphql()
        })?,
    };
    Ok((after.max(since.unwrap_or(0)), first))
}

/// A page of `first` from `entries`, which were read with one more to tell whether more follow.
pub(super) fn page(mut entries: Vec<Entry>, first: usize) -> ChangeLogPage {
    let has_next_page = entries.len() > first;
    entries.truncate(first);
    ChangeLogPage {
        nodes: entries,
        has_next_page,
    }
}

/// The `changes` query field.
#[derive(Default)]
pub struct HistoryQuery;

#[Object]
impl HistoryQuery {
    /// The change log: every committed batch, oldest first, with who made it, when and
    /// why. Empty on a server without a data directory.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only batches after this graph version.")] since: Option<u64>,
        #[graphql(desc = "Only batches after this cursor (an `endCursor`).")] after: Option<String>,
        #[graphql(desc = "At most this many batches; the default page size when omitted.")]
        first: Option<i32>,
    ) -> async_graphql::Result<ChangeLogPage> {
        let (after, first) = window(ctx, since, after.as_deref(), first)?;
        let entries = super::app(ctx)?
            .history(after, first.saturating_add(1))
            .await
            .map_err(|e| super::internal(&e.to_string()))?;
        Ok(page(entries, first))
    }
}

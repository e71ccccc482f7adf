//! The subscription root: each committed batch pushed to subscribers in commit order,
//! over graphql-ws at `/graphql/ws`; `since` first replays what a client missed.

use async_graphql::{Context, ID, Subscription};
use futures_util::stream::{Stream, StreamExt};

use super::enums::NodeKind;
use super::history::CommittedBatch;
use super::inputs::entity_ids;
use crate::model::{self, EntityId};

/// Live changes.
#[derive(Default)]
pub struct SubscriptionRoot;

/// Live changes, over graphql-ws at `/graphql/ws`.
#[Subscription]
impl SubscriptionRoot {
    /// Each batch committed from now on (after `since`, when given: the batches a client
    /// missed come first), in commit order, with the entities it named as the graph has
    /// them when it is sent. Only batches naming one of `entities`, or an entity of one
    /// of `kinds`, when given. Nothing on a server without a data directory.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only batches that name an entity of one of these kinds: all when omitted, none for an empty list."
        )]
        kinds: Option<Vec<NodeKind>>,
        #[graphql(
            desc = "Only batches that name one of these entities: all when omitted, none for an empty list."
        )]
        entities: Option<Vec<ID>>,
        #[graphql(desc = "Replay the batches after this graph version first.")] since: Option<u64>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<CommittedBatch>>> {
        let app = super::app(ctx)?.clone();
        let entities: Option<Vec<EntityId>> = entities
            .map(|ids| entity_ids("entities", &ids))
            .transpose()
            .map_err(super::ApiError::into_graphql)?;
        let kinds: Option<Vec<model::NodeKind>> = super::enums::kinds(kinds);
        let feed = app.follow(since);
        Ok(feed.filter_map(move |item| {
            let keep = match &item {
                Ok(entry) => entry
                    .batch
                    .changes
                    .iter()
                    .flat_map(|c| c.entities())
                    .any(|id| {
                        entities.as_ref().is_none_or(|e| e.contains(&id))
                            && kinds.as_ref().is_none_or(|k| k.contains(&id.kind()))
                    }),
                Err(_) => true,
            };
            let graph = app.graph();
            async move {
                match item {
                    Ok(entry) if keep => Some(Ok(CommittedBatch::at(entry, graph))),
                    Ok(_) => None,
                    Err(e) => Some(Err(super::internal(&e.to_string()))),
                }
            }
        }))
    }
}

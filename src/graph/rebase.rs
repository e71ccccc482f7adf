//! Applying a change log to another seed than the one it was written on (the usual case:
//! its edits were exported and folded into the seed): each batch is applied without the
//! changes the graph already holds, and without those that no longer apply, each of which
//! is reported.

use super::{ChangeError, GraphError, KnowledgeGraph};
use crate::model::{Change, ClaimField};

/// What became of one change of a batch applied by [`KnowledgeGraph::apply_rebased`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dropped {
    /// The graph already holds what it makes (the seed took the edit in).
    Contained {
        /// Its place in the batch, from 0.
        index: usize,
    },
    /// It no longer applies, for the reason given.
    Refused {
        /// Its place in the batch, from 0.
        index: usize,
        /// Why.
        error: GraphError,
    },
}

impl KnowledgeGraph {
    /// Applies the changes of `batch` that still apply and are not already in the graph,
    /// as one batch, and answers the changes kept and what became of the others. The
    /// graph gets a new version even when nothing is kept, so versions keep counting
    /// batches.
    pub fn apply_rebased(&mut self, batch: &[Change]) -> (Vec<Change>, Vec<Dropped>) {
        let mut kept: Vec<(usize, Change)> = batch.iter().cloned().enumerate().collect();
        let mut dropped = Vec::new();
        loop {
            let changes: Vec<Change> = kept.iter().map(|(_, c)| c.clone()).collect();
            match self.apply(changes) {
                Ok(_) => {
                    dropped.sort_by_key(|d| match d {
                        Dropped::Contained { index } | Dropped::Refused { index, .. } => *index,
                    });
                    return (kept.into_iter().map(|(_, c)| c).collect(), dropped);
                }
                Err(ChangeError { index, error, .. }) => {
                    // A failure found at the batch's end names no single change: give up
                    // on the whole remainder rather than guess.
                    let at = index.min(kept.len().saturating_sub(1));
                    let (original, change) = kept.remove(at);
                    dropped.push(match self.holds(&change, &error) {
                        true => Dropped::Contained { index: original },
                        false => Dropped::Refused {
                            index: original,
                            error,
                        },
                    });
                }
            }
        }
    }

    /// True when a change that failed with `error` failed because the graph already holds
    /// what it makes: the entity (as it would be), the claim's key, the relation, or the
    /// absence of what it withdraws.
    fn holds(&self, change: &Change, error: &GraphError) -> bool {
        match (change, error) {
            (Change::CreateEntity { entity }, GraphError::DuplicateId(_)) => {
                self.get(&entity.id) == Some(entity)
            }
            (Change::AddClaim { id, claim }, _) | (Change::SupersedeClaim { id, claim, .. }, _) => {
                self.has_claim(id, claim.field(), claim.key())
            }
            (Change::AddRelation { .. }, GraphError::DuplicateRelation(_)) => true,
            // What it withdraws is not there: the seed took the withdrawal in. (A relation
            // to end that is not there is another matter: the seed may have dropped it.)
            (
                Change::RetractEntity { .. }
                | Change::RetractRelation { .. }
                | Change::MergeEntity { .. },
                GraphError::UnknownEntity(_)
                | GraphError::UnknownRelation(_)
                | GraphError::Withdrawn(_),
            ) => true,
            _ => false,
        }
    }

    fn has_claim(&self, id: &crate::model::EntityId, field: ClaimField, key: &str) -> bool {
        let Some(node) = self.get(id) else {
            return false;
        };
        let mut node = node.clone();
        node.claims_mut(field).is_some_and(|set| set.has(key))
    }
}

//! The mutation root: typed writes, each one batch of changes committed to the change log
//! before it is answered. Thin: the inputs become the model's changes and `app` checks,
//! commits and publishes them.

use async_graphql::{Context, ErrorExtensions, ID, InputObject, Object, OneofObject};

use super::create::EntityInput;
use super::entity::{Entity, lookup_all};
use super::enums::ClaimField;
use super::error::{ApiError, code, internal};
use super::inputs::{
    Checked, CitationInput, ClaimValueInput, RelationInput, WhenInput, bad, citations, entity_id,
};
use crate::app::{App, AuthError, Committed, DocumentError, Snapshot, Write, WriteError};
use crate::model::{Change, EntityId};

/// The bearer token a request came with, from its `Authorization` header (or, over the
/// websocket, its `connection_init` payload).
#[derive(Debug, Clone, Default)]
pub struct Credentials(pub Option<String>);

/// New values for an entity's plain fields; each one given replaces the old.
#[derive(InputObject, Clone, Debug)]
pub struct UpdateEntityInput {
    /// The entity.
    pub id: ID,
    /// The new name.
    pub name: Option<String>,
    /// The new aliases, all of them.
    pub aliases: Option<Vec<String>>,
    /// The new description.
    pub description: Option<String>,
    /// Where the new values come from; at least one.
    pub sources: Vec<CitationInput>,
}

/// A claim to add to one of an entity's values.
#[derive(InputObject, Clone, Debug)]
pub struct AddClaimInput {
    /// The entity.
    pub id: ID,
    /// The claim, named for its value.
    pub claim: ClaimValueInput,
}

/// A claim that replaces an earlier one of the same value, which stays in its history.
#[derive(InputObject, Clone, Debug)]
pub struct ReviseClaimInput {
    /// The entity.
    pub id: ID,
    /// The key of the claim it replaces.
    pub supersedes: String,
    /// The new claim, named for its value.
    pub claim: ClaimValueInput,
}

/// A claim to mark wrong: it stays, deprecated, with why.
#[derive(InputObject, Clone, Debug)]
pub struct DeprecateClaimInput {
    /// The entity.
    pub id: ID,
    /// The value the claim is about.
    pub field: ClaimField,
    /// The claim's key.
    pub key: String,
    /// Why it is wrong.
    pub reason: String,
    /// Where that is shown; at least one.
    pub sources: Vec<CitationInput>,
}

/// An explicit relation that stopped holding: it gets a `validUntil`, so answers as of
/// an earlier day still see it.
#[derive(InputObject, Clone, Debug)]
pub struct EndRelationInput {
    /// The relation's id (`from|kind|to`).
    pub id: String,
    /// From when it no longer holds.
    pub until: WhenInput,
    /// Where that is reported; at least one.
    pub sources: Vec<CitationInput>,
}

/// An entity or explicit relation to withdraw: it stays in history, marked, with why.
#[derive(InputObject, Clone, Debug)]
pub struct RetractInput {
    /// An entity's id, or an explicit relation's (`from|kind|to`).
    pub id: ID,
    /// Why.
    pub reason: String,
    /// Where that is shown; at least one.
    pub sources: Vec<CitationInput>,
}

/// A duplicate to fold into the entity it duplicates.
#[derive(InputObject, Clone, Debug)]
pub struct MergeInput {
    /// The duplicate: its id keeps resolving to `into`.
    pub from: ID,
    /// The entity that remains.
    pub into: ID,
    /// Where the two are shown to be one; at least one.
    pub sources: Vec<CitationInput>,
}

/// One change of an `applyChanges` batch: exactly one of these.
#[derive(OneofObject, Clone, Debug)]
pub enum ChangeInput {
    /// Creates an entity.
    Create(EntityInput),
    /// Replaces an entity's name, aliases or description.
    Update(UpdateEntityInput),
    /// Adds a claim to one of an entity's values.
    AddClaim(AddClaimInput),
    /// Adds a claim replacing an earlier one.
    ReviseClaim(ReviseClaimInput),
    /// Marks a claim wrong.
    DeprecateClaim(DeprecateClaimInput),
    /// Adds a relation.
    AddRelation(RelationInput),
    /// Ends a relation.
    EndRelation(EndRelationInput),
    /// Withdraws an entity or a relation.
    Retract(RetractInput),
    /// Folds a duplicate into another entity.
    Merge(MergeInput),
}

impl ChangeInput {
    /// Its field in a `ChangeInput`.
    fn variant(&self) -> &'static str {
        match self {
            Self::Create(_) => "create",
            Self::Update(_) => "update",
            Self::AddClaim(_) => "addClaim",
            Self::ReviseClaim(_) => "reviseClaim",
            Self::DeprecateClaim(_) => "deprecateClaim",
            Self::AddRelation(_) => "addRelation",
            Self::EndRelation(_) => "endRelation",
            Self::Retract(_) => "retract",
            Self::Merge(_) => "merge",
        }
    }

    /// The model's change; `base` is the path of its fields in the request (empty when
    /// they are arguments of the mutation), for errors.
    fn model(&self, base: &str) -> Checked<Change> {
        let at = |name: &str| match base {
            "" => name.to_string(),
            _ => format!("{base}.{name}"),
        };
        Ok(match self {
            Self::Create(e) => Change::CreateEntity {
                entity: e.model(base)?,
            },
            Self::Update(u) => Change::UpdateEntity {
                id: entity_id(&at("id"), &u.id)?,
                name: u.name.clone(),
                aliases: u.aliases.clone(),
                description: u.description.clone(),
                sources: citations(&at("sources"), &u.sources)?,
            },
            Self::AddClaim(a) => Change::AddClaim {
                id: entity_id(&at("id"), &a.id)?,
                claim: a.claim.model(&at("claim"))?,
            },
            Self::ReviseClaim(r) => {
                let mut claim = r.claim.model(&at("claim"))?;
                claim.set_supersedes(&r.supersedes);
                Change::SupersedeClaim {
                    id: entity_id(&at("id"), &r.id)?,
                    supersedes: r.supersedes.clone(),
                    claim,
                }
            }
            Self::DeprecateClaim(d) => Change::DeprecateClaim {
                id: entity_id(&at("id"), &d.id)?,
                field: d.field.into(),
                key: d.key.clone(),
                reason: reason(&at("reason"), &d.reason)?,
                sources: citations(&at("sources"), &d.sources)?,
            },
            Self::AddRelation(r) => Change::AddRelation {
                relation: r.model(base)?,
            },
            Self::EndRelation(e) => Change::EndRelation {
                id: e.id.clone(),
                until: e.until.model(&at("until"))?,
                sources: citations(&at("sources"), &e.sources)?,
            },
            Self::Retract(r) => {
                let why = reason(&at("reason"), &r.reason)?;
                let sources = citations(&at("sources"), &r.sources)?;
                // A relation's id joins its ends and kind with `|`; an entity's never does.
                if r.id.contains('|') {
                    Change::RetractRelation {
                        id: r.id.to_string(),
                        reason: why,
                        sources,
                    }
                } else {
                    Change::RetractEntity {
                        id: entity_id(&at("id"), &r.id)?,
                        reason: why,
                        sources,
                    }
                }
            }
            Self::Merge(m) => Change::MergeEntity {
                duplicate: entity_id(&at("from"), &m.from)?,
                survivor: entity_id(&at("into"), &m.into)?,
                sources: citations(&at("sources"), &m.sources)?,
            },
        })
    }
}

fn reason(field: &str, text: &str) -> Checked<String> {
    match text.trim().is_empty() {
        true => Err(bad(field, "say why")),
        false => Ok(text.to_string()),
    }
}

/// The version an entity must still be at for a batch to apply.
#[derive(InputObject, Clone, Debug)]
pub struct ExpectedVersionInput {
    /// The entity.
    pub id: ID,
    /// Its `version` as last read.
    pub version: u64,
}

/// A committed write, and the entities it changed as they are now.
pub struct WritePayload {
    graph: Snapshot,
    committed: Committed,
}

/// A committed write, and the entities it changed as they are now.
#[Object]
impl WritePayload {
    /// The graph version the write made: its number in the change log.
    async fn version(&self) -> u64 {
        self.committed.entry.seq
    }

    /// When it was committed, in UTC (ISO 8601).
    async fn committed_at(&self) -> &str {
        &self.committed.entry.committed_at
    }

    /// The editor who made it.
    async fn actor(&self) -> &str {
        &self.committed.entry.actor
    }

    /// Why, in the editor's words.
    async fn reason(&self) -> &str {
        &self.committed.entry.reason
    }

    /// The key the client gave the write.
    async fn idempotency_key(&self) -> Option<&str> {
        self.committed.entry.idempotency_key.as_deref()
    }

    /// True when an earlier request with the same idempotency key committed it: this
    /// answer is that write's, and nothing was applied again.
    async fn replayed(&self) -> bool {
        self.committed.replayed
    }

    /// How many changes the batch held.
    async fn change_count(&self) -> usize {
        self.committed.entry.batch.changes.len()
    }

    /// The entities the changes name, as the latest version of the graph has them (a
    /// merged id answers its survivor; a retracted entity is left out).
    async fn entities(&self) -> Vec<Entity<'_>> {
        let mut ids: Vec<EntityId> = Vec::new();
        for change in &self.committed.entry.batch.changes {
            if let Some(id) = change.entity()
                && !ids.contains(id)
            {
                ids.push(id.clone());
            }
        }
        lookup_all(&self.graph, &ids)
    }
}

/// Runs one batch for the editor the request's token names.
async fn write(
    ctx: &Context<'_>,
    changes: &[ChangeInput],
    reason: String,
    idempotency_key: Option<String>,
    expected: Vec<(ID, u64)>,
    single: &str,
) -> async_graphql::Result<WritePayload> {
    let app: &App = super::app(ctx)?;
    let token = ctx.data_opt::<Credentials>().and_then(|c| c.0.as_deref());
    let actor = app.editor(token).map_err(auth_error)?.to_string();
    let batch = changes.len() > 1 || single == "changes";
    // Where each change's fields are in the request, for errors.
    let paths: Vec<String> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| match batch {
            true => format!("changes[{i}].{}", c.variant()),
            false => single.to_string(),
        })
        .collect();
    let mut documents = Vec::new();
    for (c, path) in changes.iter().zip(&paths) {
        if let ChangeInput::Create(e) = c
            && let Some(document) = e.document(path).map_err(ApiError::into_graphql)?
        {
            documents.push(document);
        }
    }
    let changes = changes
        .iter()
        .zip(&paths)
        .map(|(c, path)| c.model(path))
        .collect::<Checked<Vec<_>>>()
        .map_err(ApiError::into_graphql)?;
    let expected = expected
        .iter()
        .map(|(id, v)| Ok((entity_id("expectedVersion.id", id)?, *v)))
        .collect::<Checked<Vec<_>>>()
        .map_err(ApiError::into_graphql)?;
    let write = Write {
        actor,
        reason,
        idempotency_key,
        expected,
        changes,
    };
    let committed = app
        .write_with(write, documents)
        .await
        .map_err(|e| match e {
            WriteError::Document(e) => document_error(&e, &paths),
            e => write_error(e),
        })?;
    Ok(WritePayload {
        graph: app.graph(),
        committed,
    })
}

fn coded(code: &'static str, message: String) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, e| e.set("code", code))
}

fn auth_error(e: AuthError) -> async_graphql::Error {
    let code = match e {
        AuthError::Missing => code::UNAUTHENTICATED,
        AuthError::Wrong | AuthError::WritesOff => code::FORBIDDEN,
    };
    coded(code, e.to_string())
}

fn write_error(e: WriteError) -> async_graphql::Error {
    match e {
        WriteError::Invalid(ref refused) => coded(code::BAD_USER_INPUT, e.to_string())
            .extend_with(|_, x| x.set("changeIndex", refused.index)),
        WriteError::Empty | WriteError::NoReason => coded(code::BAD_USER_INPUT, e.to_string()),
        WriteError::Conflict { .. } | WriteError::KeyReused { .. } => {
            coded(code::CONFLICT, e.to_string())
        }
        WriteError::ReadOnly => coded(code::FORBIDDEN, e.to_string()),
        other => internal(&other.to_string()),
    }
}

/// A refused document, or citation of one, as `BAD_USER_INPUT` naming the field: the new
/// source's `text`, or the change whose citation names a line past the document's end.
fn document_error(e: &DocumentError, paths: &[String]) -> async_graphql::Error {
    let Some(change) = e.change() else {
        return match e {
            DocumentError::Unreadable(_) => internal(&e.to_string()),
            _ => coded(code::BAD_USER_INPUT, e.to_string()),
        };
    };
    let path = paths.get(change).map(String::as_str).unwrap_or_default();
    let field = match (e.field(), path) {
        (Some(field), "") => field.to_string(),
        (Some(field), path) => format!("{path}.{field}"),
        (None, "") => "sources".to_string(),
        (None, path) => path.to_string(),
    };
    coded(code::BAD_USER_INPUT, format!("`{field}`: {e}"))
        .extend_with(|_, x| x.set("changeIndex", change))
}

fn expected_one(id: &ID, version: Option<u64>) -> Vec<(ID, u64)> {
    version.map(|v| vec![(id.clone(), v)]).unwrap_or_default()
}

/// Writes: each mutation is one batch, applied whole or not at all, committed to the
/// change log before it answers. Writes need an editor's token
/// (`Authorization: Bearer …`); every one takes a `reason`, kept in the log, and an
/// optional `idempotencyKey`: a retry with the same key is applied once and answers as
/// the first time did.
#[derive(Default)]
pub struct Mutation;

/// Writes: each mutation is one batch, applied whole or not at all, committed to the
/// change log before it answers. Writes need an editor's token
/// (`Authorization: Bearer …`); every one takes a `reason`, kept in the log, and an
/// optional `idempotencyKey`: a retry with the same key is applied once and answers as
/// the first time did.
#[Object]
impl Mutation {
    /// Creates an entity of one kind, with the relations its fields imply.
    async fn create_entity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new entity: exactly one kind.")] input: EntityInput,
        #[graphql(desc = "Why the change is made, kept in the change log with the editor's name.")]
        reason: String,
        #[graphql(
            desc = "The client's key for this write: a retry with the same key is applied once and answers as the first time did."
        )]
        idempotency_key: Option<String>,
    ) -> async_graphql::Result<WritePayload> {
        write(
            ctx,
            &[ChangeInput::Create(input)],
            reason,
            idempotency_key,
            Vec::new(),
            "input",
        )
        .await
    }

    /// Replaces an entity's name, aliases or description.
    async fn update_entity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The entity and its new values.")] input: UpdateEntityInput,
        #[graphql(desc = "Why the change is made, kept in the change log with the editor's name.")]
        reason: String,
        #[graphql(
            desc = "The client's key for this write: a retry with the same key is applied once and answers as the first time did."
        )]
        idempotency_key: Option<String>,
        #[graphql(
            desc = "The entity's `version` as last read: the write is refused with `CONFLICT` if it has moved on."
        )]
        expected_version: Option<u64>,
    ) -> async_graphql::Result<WritePayload> {
        let expected = expected_one(&input.id, expected_version);
        write(
            ctx,
            &[ChangeInput::Update(input)],
            reason,
            idempotency_key,
            expected,
            "input",
        )
        .await
    }

    /// Adds a claim to one of an entity's values (an amount, a rate, a status, a role).
    async fn add_claim(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The entity and the claim.")] input: AddClaimInput,
        #[graphql(desc = "Why the change is made, kept in the change log with the editor's name.")]
        reason: String,
        #[graphql(
            desc = "The client's key for this write: a retry with the same key is applied once and answers as the first time did."
        )]
        idempotency_key: Option<String>,
        #[graphql(
            desc = "The entity's `version` as last read: the write is refused with `CONFLICT` if it has moved on."
        )]
        expected_version: Option<u64>,
    ) -> async_graphql::Result<WritePayload> {
        let expected = expected_one(&input.id, expected_version);
        write(
            ctx,
            &[ChangeInput::AddClaim(input)],
            reason,
            idempotency_key,
            expected,
            "input",
        )
        .await
    }

    /// Revises a value: the new claim supersedes the old, which stays in its history.
    async fn revise_claim(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The entity, the claim replaced and the new claim.")]
        input: ReviseClaimInput,
        #[graphql(desc = "Why the change is made, kept in the change log with the editor's name.")]
        reason: String,
        #[graphql(
            desc = "The client's key for this write: a retry with the same key is applied once and answers as the first time did."
        )]
        idempotency_key: Option<String>,
        #[graphql(
            desc = "The entity's `version` as last read: the write is refused with `CONFLICT` if it has moved on."
        )]
        expected_version: Option<u64>,
    ) -> async_graphql::Result<WritePayload> {
        let expected = expected_one(&input.id, expected_version);
        write(
            ctx,
            &[ChangeInput::ReviseClaim(input)],
            reason,
            idempotency_key,
            expected,
            "input",
        )
        .await
    }

    /// Marks a claim wrong: it stays, deprecated, with the reason and its sources.
    async fn deprecate_claim(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The claim and why it is wrong (kept as the write's reason).")]
        input: DeprecateClaimInput,
        #[graphql(
            desc = "The client's key for this write: a retry with the same key is applied once and answers as the first time did."
        )]
        idempotency_key: Option<String>,
        #[graphql(
            desc = "The entity's `version` as last read: the write is refused with `CONFLICT` if it has moved on."
        )]
        expected_version: Option<u64>,
    ) -> async_graphql::Result<WritePayload> {
        let expected = expected_one(&input.id, expected_version);
        let reason = input.reason.clone();
        let change = ChangeInput::DeprecateClaim(input);
        write(ctx, &[change], reason, idempotency_key, expected, "input").await
    }

    /// Adds a relation no entity field implies.
    async fn add_relation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The relation.")] input: RelationInput,
        #[graphql(desc = "Why the change is made, kept in the change log with the editor's name.")]
        reason: String,
        #[graphql(
            desc = "The client's key for this write: a retry with the same key is applied once and answers as the first time did."
        )]
        idempotency_key: Option<String>,
    ) -> async_graphql::Result<WritePayload> {
        let change = ChangeInput::AddRelation(input);
        write(ctx, &[change], reason, idempotency_key, Vec::new(), "input").await
    }

    /// Ends an explicit relation: it gets a `validUntil`, so `asOf` an earlier day still
    /// sees it.
    async fn end_relation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The relation and when it ended.")] input: EndRelationInput,
        #[graphql(desc = "Why the change is made, kept in the change log with the editor's name.")]
        reason: String,
        #[graphql(
            desc = "The client's key for this write: a retry with the same key is applied once and answers as the first time did."
        )]
        idempotency_key: Option<String>,
    ) -> async_graphql::Result<WritePayload> {
        let change = ChangeInput::EndRelation(input);
        write(ctx, &[change], reason, idempotency_key, Vec::new(), "input").await
    }

    /// Withdraws an entity (with its explicit relations) or an explicit relation: it
    /// stays visible in history, marked, with the reason.
    async fn retract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "An entity's id, or an explicit relation's (`from|kind|to`).")] id: ID,
        #[graphql(desc = "Why it is withdrawn, kept with it and in the change log.")]
        reason: String,
        #[graphql(desc = "Where that is shown; at least one.")] sources: Vec<CitationInput>,
        #[graphql(
            desc = "The client's key for this write: a retry with the same key is applied once and answers as the first time did."
        )]
        idempotency_key: Option<String>,
        #[graphql(
            desc = "The entity's `version` as last read: the write is refused with `CONFLICT` if it has moved on."
        )]
        expected_version: Option<u64>,
    ) -> async_graphql::Result<WritePayload> {
        let expected = match id.contains('|') {
            true => Vec::new(),
            false => expected_one(&id, expected_version),
        };
        let change = ChangeInput::Retract(RetractInput {
            id,
            reason: reason.clone(),
            sources,
        });
        write(ctx, &[change], reason, idempotency_key, expected, "").await
    }

    /// Folds a duplicate into the entity it duplicates: what named the duplicate names
    /// the survivor, which takes its names as aliases, and the duplicate's id keeps
    /// resolving to the survivor.
    async fn merge(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The duplicate: its id keeps resolving to `into`.")] from: ID,
        #[graphql(desc = "The entity that remains.")] into: ID,
        #[graphql(desc = "Where the two are shown to be one; at least one.")] sources: Vec<
            CitationInput,
        >,
        #[graphql(desc = "Why the change is made, kept in the change log with the editor's name.")]
        reason: String,
        #[graphql(
            desc = "The client's key for this write: a retry with the same key is applied once and answers as the first time did."
        )]
        idempotency_key: Option<String>,
    ) -> async_graphql::Result<WritePayload> {
        let change = ChangeInput::Merge(MergeInput {
            from,
            into,
            sources,
        });
        write(ctx, &[change], reason, idempotency_key, Vec::new(), "").await
    }

    /// Applies several changes as one batch, in order: all of them or none.
    async fn apply_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes, applied in order, all or none.")] changes: Vec<ChangeInput>,
        #[graphql(desc = "Why the change is made, kept in the change log with the editor's name.")]
        reason: String,
        #[graphql(
            desc = "The client's key for this write: a retry with the same key is applied once and answers as the first time did."
        )]
        idempotency_key: Option<String>,
        #[graphql(
            default,
            desc = "The versions entities must still be at: the batch is refused with `CONFLICT` if one has moved on."
        )]
        expected_versions: Vec<ExpectedVersionInput>,
    ) -> async_graphql::Result<WritePayload> {
        if changes.is_empty() {
            return Err(bad("changes", "give at least one change").into_graphql());
        }
        let expected = expected_versions
            .into_iter()
            .map(|e| (e.id, e.version))
            .collect();
        write(ctx, &changes, reason, idempotency_key, expected, "changes").await
    }
}

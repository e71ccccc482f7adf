//! The plan of an object answered in one pass: the steps of its selection on its type,
//! worked out once for each selection set of a document and kept with the document, so
//! that a page of fifty commitments, each with its pledger, amount and money, and every
//! later request that sends the same document, read the plan instead of making it again.
//! Kept with them: which selection sets' answers async-graphql may merge with another's,
//! whose objects must stay values rather than be written as JSON at once.

use std::collections::HashSet;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use async_graphql::parser::types::{Field, FragmentDefinition, Selection, SelectionSet};
use async_graphql::{
    ContextSelectionSet, Name, Pos, Positioned, Request, ServerError, ServerResult,
};
use hashbrown::{Equivalent, HashMap};

use super::link::LinkStep;
use super::{KEYS, Leaves, executor_only};

/// One entry of an object's answer, in the order of its selection.
pub(super) struct Step {
    /// The response key.
    pub(super) key: Name,
    /// The key's hash in [`KEYS`].
    pub(super) hash: u64,
    /// The key as the answer writes it: quoted, escaped, with its colon.
    pub(super) json: Box<[u8]>,
    /// What the entry holds.
    pub(super) what: What,
}

/// What an entry of an object's answer holds.
pub(super) enum What {
    /// A field at hand, by its index in `LEAVES`.
    Leaf(usize),
    /// `__typename`.
    Typename,
    /// A field without arguments that leads on, by its index in `LINKS`: followed at once
    /// where what it leads to is written at once, else left to the executor.
    Link(LinkStep),
    /// Anything else, for the executor: the field at this [`FieldAt`] of the selection.
    Nested(FieldAt),
}

/// A selection set's steps on a type.
pub(super) struct Plan {
    /// The entries of the answer, in order.
    pub(super) steps: Box<[Step]>,
    /// Whether no response key is asked twice, so that each entry can be written as it
    /// is answered, with nothing to merge.
    pub(super) distinct: bool,
    /// Whether every step is answered without the executor (fields at hand,
    /// `__typename`, fields followed at once), so that an object can be written in a call
    /// that does not wait.
    pub(super) at_once: bool,
    /// How many bytes the last object written by this plan took: room to make for the
    /// next, so that its answer is not moved as it grows.
    pub(super) last_size: AtomicUsize,
}

/// The most room made at once for objects written by a plan; a larger answer grows.
/// (One large object must not make room for a long list of small ones after it.)
const MOST_ROOM: usize = 1 << 20;

impl Plan {
    /// The room to make for `n` objects written by this plan.
    pub(super) fn room(&self, n: usize) -> usize {
        let each = match self.last_size.load(Ordering::Relaxed) {
            0 => 16 * self.steps.len() + 2,
            bytes => bytes + bytes / 8,
        };
        each.saturating_mul(n).saturating_add(2).min(MOST_ROOM)
    }

    /// Notes that `n` objects written by this plan took `bytes`.
    pub(super) fn wrote(&self, n: usize, bytes: usize) {
        if let Some(each) = bytes.checked_div(n) {
            self.last_size.store(each, Ordering::Relaxed);
        }
    }
}

/// Where a field is in a selection set: the index of an item at each level, through the
/// fragments (spread or inline) on the way.
pub(super) struct FieldAt(Box<[u32]>);

impl FieldAt {
    /// The field at this place of `set`; none when the document has no such place (it
    /// always has: the plan was made from the same document).
    pub(super) fn find<'a>(
        &self,
        ctx: &ContextSelectionSet<'a>,
        set: &'a SelectionSet,
    ) -> Option<&'a Positioned<Field>> {
        let mut set = set;
        let (last, through) = self.0.split_last()?;
        for &index in through {
            set = match &set.items.get(index as usize)?.node {
                Selection::FragmentSpread(spread) => {
                    &ctx.query_env
                        .fragments
                        .get(&spread.node.fragment_name.node)?
                        .node
                        .selection_set
                        .node
                }
                Selection::InlineFragment(fragment) => &fragment.node.selection_set.node,
                Selection::Field(_) => return None,
            };
        }
        match &set.items.get(*last as usize)?.node {
            Selection::Field(field) => Some(field),
            _ => None,
        }
    }
}

/// A selection set's plan on a type; `None` when a field carries a directive (which only
/// the executor applies): the object is then left to it whole.
pub(super) type Planned = Option<Arc<Plan>>;

/// The plans of one document, by the place of their selection set and the type they are
/// of. Kept beside the parsed document ([`crate::api::parse_cache`]) and put in each
/// request's data, so that each request that sends the document shares them (but for a
/// document with directives, whose selections depend on the variables: each of its
/// requests has plans of its own); bounded by the document, which has so many selection
/// sets, each asked of so few types.
#[derive(Clone, Default)]
pub(crate) struct Plans {
    kept: Arc<Kept>,
    /// Whether the request's answer is written by [`crate::api::answer_json::to_vec`], so
    /// that objects may be written as JSON as they are answered.
    written: bool,
}

#[derive(Default)]
struct Kept {
    /// Each plan, and whether the answer of the field its selection set is of may be
    /// merged with another's.
    plans: Mutex<HashMap<PlanKey, (Planned, bool), foldhash::fast::RandomState>>,
    /// The places of the selection sets whose answers may be merged with another's.
    merged: OnceLock<HashSet<(usize, usize), foldhash::fast::RandomState>>,
}

impl std::fmt::Debug for Plans {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = lock(&self.kept.plans).len();
        write!(f, "Plans({kept} kept, written: {})", self.written)
    }
}

/// Marks `request`, checked already, as one whose answer is written by
/// [`crate::api::answer_json::to_vec`]: its objects answered in one pass are written as
/// JSON as they are answered, where no other answer is merged into theirs, rather than
/// built as values first.
pub(crate) fn written_as_json(request: &mut Request) {
    let plans = request
        .data
        .get(&std::any::TypeId::of::<Plans>())
        .and_then(|plans| plans.downcast_ref::<Plans>())
        .cloned();
    if let Some(plans) = plans {
        request.data.insert(Plans {
            written: true,
            ..plans
        });
    }
}

/// What a plan is of: a selection set's place in its document, and the type's name and
/// the address of its list of fields at hand (two types of one name would differ there).
#[derive(PartialEq, Eq, Hash)]
struct PlanKey {
    line: usize,
    column: usize,
    type_name: Box<str>,
    leaves: usize,
}

/// A [`PlanKey`] to look up, without a copy of the type's name.
#[derive(Hash)]
struct Lookup<'a> {
    line: usize,
    column: usize,
    type_name: &'a str,
    leaves: usize,
}

impl Equivalent<PlanKey> for Lookup<'_> {
    fn equivalent(&self, key: &PlanKey) -> bool {
        self.line == key.line
            && self.column == key.column
            && *self.type_name == *key.type_name
            && self.leaves == key.leaves
    }
}

/// The plan of the selection in `ctx` on `T`, named `type_name`: the one kept in the
/// request's [`Plans`], or made now (and kept there, when the request has them). With it,
/// whether the object may be written as JSON at once: the request's answer is written so,
/// no key of the selection is asked twice, and the answer of the field the selection is
/// of is not merged with another's.
pub(super) fn plan_of<T: Leaves>(
    ctx: &ContextSelectionSet<'_>,
    type_name: &str,
) -> ServerResult<(Planned, bool)> {
    if executor_only() {
        return Ok((None, false));
    }
    let Some(Plans { kept, written }) = ctx.data_opt::<Plans>() else {
        return Ok((make::<T>(ctx, type_name, ctx.item)?, false));
    };
    let Pos { line, column } = ctx.item.pos;
    let lookup = Lookup {
        line,
        column,
        type_name,
        leaves: T::LEAVES.as_ptr() as usize,
    };
    let found = lock(&kept.plans).get(&lookup).cloned();
    let (plan, merged) = match found {
        Some(found) => found,
        None => {
            let plan = make::<T>(ctx, type_name, ctx.item)?;
            let merged = kept
                .merged
                .get_or_init(|| merged_sets(ctx))
                .contains(&(line, column));
            let key = PlanKey {
                line,
                column,
                type_name: type_name.into(),
                leaves: T::LEAVES.as_ptr() as usize,
            };
            lock(&kept.plans).insert(key, (plan.clone(), merged));
            (plan, merged)
        }
    };
    let write = *written && !merged && plan.as_ref().is_some_and(|plan| plan.distinct);
    Ok((plan, write))
}

/// The map, whole even if a thread panicked holding it: each change is one call.
fn lock<T>(plans: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    plans.lock().unwrap_or_else(|e| e.into_inner())
}

/// Makes the plan of `set` on `T`.
fn make<T: Leaves>(
    ctx: &ContextSelectionSet<'_>,
    type_name: &str,
    set: &Positioned<SelectionSet>,
) -> ServerResult<Planned> {
    let mut steps = Vec::with_capacity(set.node.items.len());
    let mut at = Vec::new();
    if !collect::<T>(ctx, type_name, &set.node, &mut at, &mut steps)? {
        return Ok(None);
    }
    let keys: HashSet<&Name> = steps.iter().map(|step| &step.key).collect();
    let distinct = keys.len() == steps.len();
    let at_once = !steps
        .iter()
        .any(|step| matches!(step.what, What::Nested(_)));
    Ok(Some(Arc::new(Plan {
        steps: steps.into(),
        distinct,
        at_once,
        last_size: AtomicUsize::new(0),
    })))
}

/// The steps of a selection set on `T`, its fragments spread, as async-graphql's
/// `Fields::add_set` collects them (the same type conditions, the same order); `at` is the
/// place of `set` in the selection the plan is of. False when a field carries a
/// directive.
fn collect<T: Leaves>(
    ctx: &ContextSelectionSet<'_>,
    type_name: &str,
    set: &SelectionSet,
    at: &mut Vec<u32>,
    steps: &mut Vec<Step>,
) -> ServerResult<bool> {
    for (index, selection) in set.items.iter().enumerate() {
        at.push(u32::try_from(index).unwrap_or(u32::MAX));
        let (condition, inner) = match &selection.node {
            Selection::Field(field) => {
                if !field.node.directives.is_empty() {
                    return Ok(false);
                }
                let key = field.node.response_key().node.clone();
                let name = field.node.name.node.as_str();
                let plain = field.node.arguments.is_empty();
                let leaf = T::LEAVES.iter().position(|leaf| *leaf == name);
                let link = T::LINKS.iter().position(|link| *link == name);
                let what = match (leaf, link) {
                    _ if name == "__typename" => What::Typename,
                    (Some(index), _) if plain => What::Leaf(index),
                    (_, Some(index)) if plain => {
                        What::Link(LinkStep::new(index, FieldAt(at.as_slice().into())))
                    }
                    _ => What::Nested(FieldAt(at.as_slice().into())),
                };
                let mut json = Vec::with_capacity(key.len() + 3);
                crate::api::answer_json::string(&mut json, &key);
                json.push(b':');
                steps.push(Step {
                    hash: KEYS.hash_one(&key),
                    key,
                    json: json.into(),
                    what,
                });
                at.pop();
                continue;
            }
            Selection::FragmentSpread(spread) => {
                let name = &spread.node.fragment_name.node;
                let Some(fragment) = ctx.query_env.fragments.get(name) else {
                    return Err(ServerError::new(
                        format!(r#"Unknown fragment "{name}"."#),
                        Some(spread.pos),
                    ));
                };
                (
                    Some(&fragment.node.type_condition),
                    &fragment.node.selection_set,
                )
            }
            Selection::InlineFragment(fragment) => (
                fragment.node.type_condition.as_ref(),
                &fragment.node.selection_set,
            ),
        };
        let applies = condition.is_none_or(|condition| {
            let on = condition.node.on.node.as_str();
            on == type_name
                || ctx
                    .schema_env
                    .registry
                    .implements
                    .get(type_name)
                    .is_some_and(|interfaces| interfaces.contains(on))
        });
        if applies && !collect::<T>(ctx, type_name, &inner.node, at, steps)? {
            return Ok(false);
        }
        at.pop();
    }
    Ok(true)
}

/// The places of the selection sets of the request's operation whose answers async-graphql
/// may merge with another's: those of a field whose response key is asked twice in one
/// selection set (through its fragments, whatever their type conditions), and every set
/// under one. Each field is looked at once for each of the two ways it can be reached.
fn merged_sets(
    ctx: &ContextSelectionSet<'_>,
) -> HashSet<(usize, usize), foldhash::fast::RandomState> {
    let env = &ctx.query_env;
    let mut walk = MergeWalk {
        fragments: &env.fragments,
        merged: HashSet::default(),
        seen: HashSet::default(),
    };
    walk.set(&env.operation.node.selection_set.node, false);
    walk.merged
}

/// The state of [`merged_sets`].
struct MergeWalk<'a> {
    fragments: &'a std::collections::HashMap<Name, Positioned<FragmentDefinition>>,
    /// The places of the sets found merged.
    merged: HashSet<(usize, usize), foldhash::fast::RandomState>,
    /// The sets looked at, by place and whether they were reached merged.
    seen: HashSet<(usize, usize, bool), foldhash::fast::RandomState>,
}

impl<'a> MergeWalk<'a> {
    /// Walks a selection set reached through fields of which one is merged or not.
    fn set(&mut self, set: &'a SelectionSet, merged: bool) {
        let mut fields = Vec::new();
        let mut spread = HashSet::new();
        // A fragment spread twice into one set asks each of its keys twice.
        let twice = !self.fields(set, &mut fields, &mut spread);
        let mut counts: HashMap<&Name, usize> = HashMap::new();
        for field in &fields {
            *counts.entry(&field.node.response_key().node).or_default() += 1;
        }
        for field in fields {
            let key = &field.node.response_key().node;
            let merged = merged || twice || counts.get(key).is_some_and(|n| *n > 1);
            let set = &field.node.selection_set;
            if set.node.items.is_empty() {
                continue;
            }
            let place = (set.pos.line, set.pos.column);
            if !self.seen.insert((place.0, place.1, merged)) {
                continue;
            }
            if merged {
                self.merged.insert(place);
            }
            self.set(&set.node, merged);
        }
    }

    /// Gathers the fields of `set`, its fragments spread; false when a fragment is spread
    /// twice (it is gathered once).
    fn fields(
        &self,
        set: &'a SelectionSet,
        fields: &mut Vec<&'a Positioned<Field>>,
        spread: &mut HashSet<&'a Name>,
    ) -> bool {
        let mut once = true;
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => fields.push(field),
                Selection::InlineFragment(fragment) => {
                    once &= self.fields(&fragment.node.selection_set.node, fields, spread);
                }
                Selection::FragmentSpread(named) => {
                    let name = &named.node.fragment_name.node;
                    if !spread.insert(name) {
                        once = false;
                        continue;
                    }
                    if let Some(fragment) = self.fragments.get(name) {
                        once &= self.fields(&fragment.node.selection_set.node, fields, spread);
                    }
                }
            }
        }
        once
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_follows_the_last_size_written_and_is_bounded() {
        let plan = Plan {
            steps: Box::new([]),
            distinct: true,
            at_once: true,
            last_size: AtomicUsize::new(0),
        };
        assert_eq!(plan.room(3), 3 * 2 + 2);
        plan.wrote(4, 400);
        assert_eq!(plan.room(10), 10 * 112 + 2);
        // One large object makes no huge room for a long list after it.
        plan.wrote(1, 50 << 20);
        assert_eq!(plan.room(10_000), MOST_ROOM);
        plan.wrote(0, 0);
        assert_eq!(plan.room(1), MOST_ROOM);
    }
}

//! The plan of an object answered in one pass: the steps of its selection on its type,
//! worked out once for each selection set of a document and kept with the document, so
//! that a page of fifty commitments, each with its pledger, amount and money, and every
//! later request that sends the same document, read the plan instead of making it again.

use std::hash::BuildHasher;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::{Field, Selection, SelectionSet};
use async_graphql::{ContextSelectionSet, Name, Pos, Positioned, ServerError, ServerResult};
use hashbrown::{Equivalent, HashMap};

use super::{KEYS, Leaves, executor_only};

/// One entry of an object's answer, in the order of its selection. Each carries its
/// response key and the key's hash in [`KEYS`].
pub(super) enum Step {
    /// A field at hand, by its index in `LEAVES`.
    Leaf(Name, u64, usize),
    /// `__typename`.
    Typename(Name, u64),
    /// Anything else, for the executor: the field at this [`FieldAt`] of the selection.
    Nested(Name, u64, FieldAt),
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

/// A selection set's steps on a type; `None` when a field carries a directive (which only
/// the executor applies): the object is then left to it whole.
pub(super) type Plan = Option<Arc<[Step]>>;

/// The plans of one document, by the place of their selection set and the type they are
/// of. Kept beside the parsed document ([`crate::api::parse_cache`]) and put in each
/// request's data, so that each request that sends the document shares them (but for a
/// document with directives, whose selections depend on the variables: each of its
/// requests has plans of its own); bounded by the document, which has so many selection
/// sets, each asked of so few types.
#[derive(Clone, Default)]
pub(crate) struct Plans(Arc<Mutex<HashMap<PlanKey, Plan, foldhash::fast::RandomState>>>);

impl std::fmt::Debug for Plans {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Plans({} kept)", lock(&self.0).len())
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
/// request's [`Plans`], or made now (and kept there, when the request has them).
pub(super) fn plan_of<T: Leaves>(
    ctx: &ContextSelectionSet<'_>,
    type_name: &str,
) -> ServerResult<Plan> {
    if executor_only() {
        return Ok(None);
    }
    let Some(Plans(plans)) = ctx.data_opt::<Plans>() else {
        return make::<T>(ctx, type_name, ctx.item);
    };
    let Pos { line, column } = ctx.item.pos;
    let lookup = Lookup {
        line,
        column,
        type_name,
        leaves: T::LEAVES.as_ptr() as usize,
    };
    if let Some(plan) = lock(plans).get(&lookup) {
        return Ok(plan.clone());
    }
    let plan = make::<T>(ctx, type_name, ctx.item)?;
    let key = PlanKey {
        line,
        column,
        type_name: type_name.into(),
        leaves: T::LEAVES.as_ptr() as usize,
    };
    lock(plans).insert(key, plan.clone());
    Ok(plan)
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
) -> ServerResult<Plan> {
    let mut steps = Vec::with_capacity(set.node.items.len());
    let mut at = Vec::new();
    Ok(collect::<T>(ctx, type_name, &set.node, &mut at, &mut steps)?.then(|| steps.into()))
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
                let hash = KEYS.hash_one(&key);
                let name = field.node.name.node.as_str();
                steps.push(match T::LEAVES.iter().position(|leaf| *leaf == name) {
                    _ if name == "__typename" => Step::Typename(key, hash),
                    Some(index) if field.node.arguments.is_empty() => Step::Leaf(key, hash, index),
                    _ => Step::Nested(key, hash, FieldAt(at.as_slice().into())),
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

//! Fields that lead from one object answered in one pass to others, followed at once: a
//! commitment's pledger, its amount, the amount's value and money, a page edge's node.
//! Where the objects they lead to are written in one pass too, each is written into its
//! parent's answer directly, with no future, no field matched by name and no plan looked
//! up in the document's map; anything else is left to the executor, as before.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use async_graphql::{ContainerType, ContextSelectionSet, OutputType};

use super::plan::{FieldAt, Planned, plan_of};
use super::{Answered, Flat, Item, Leaves, write_now};
use crate::api::answer_json;

/// A field left to the executor: it cannot be written at once (its object's selection
/// has a field the executor must answer, may be merged with another answer, or was not
/// planned). Whatever was written of it is taken back.
#[derive(Debug)]
pub struct Left;

/// How a field was followed: written at once, or [`Left`] to the executor.
pub type Linking = Result<(), Left>;

/// What a field that leads on answers, when it can be written at once: the same JSON as
/// its resolver's answer.
pub trait Link {
    /// False for a type the executor always answers (such as an object with fields of
    /// its own that lead on): a field of this type is never followed at once.
    const AT_ONCE: bool = true;

    /// Writes the answer to the selection in `to`.
    fn link(&self, to: &mut Linker<'_, '_>) -> Linking;
}

/// Where a followed field's answer is written: the field's selection and the answer so
/// far, with the plans of the field's selection on the types it led to before.
pub struct Linker<'c, 'a> {
    ctx: &'c ContextSelectionSet<'a>,
    out: &'c mut Vec<u8>,
    plans: &'c LinkPlans,
}

impl Linker<'_, '_> {
    /// Writes `null`.
    pub fn null(&mut self) -> Linking {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    /// Writes a string.
    pub fn string(&mut self, text: &str) -> Linking {
        answer_json::string(self.out, text);
        Ok(())
    }

    /// Writes an enum's value by its name.
    pub fn enum_name<E: async_graphql::resolver_utils::EnumType>(&mut self, value: E) -> Linking {
        answer_json::enum_name(self.out, value);
        Ok(())
    }

    /// Writes `object` in one pass, when its plan is written at once throughout. Where a
    /// field under it is left to the executor, objects of its type under this field are
    /// left to it from then on, rather than written in part each time first.
    pub fn object<T: Leaves + ContainerType + OutputType>(&mut self, object: &T) -> Linking {
        let kept = self
            .plans
            .get::<T>(self.ctx, &object.introspection_type_name())?;
        let plan = kept.plan.as_ref().ok_or(Left)?;
        if kept.left.load(Ordering::Relaxed) {
            return Err(Left);
        }
        let written = write_now(self.out, object, self.ctx, plan);
        if written.is_err() {
            kept.left.store(true, Ordering::Relaxed);
        }
        written
    }

    /// Writes a list, each item as `link` writes it.
    pub fn list<I>(
        &mut self,
        items: impl IntoIterator<Item = I>,
        mut link: impl FnMut(&mut Self, I) -> Linking,
    ) -> Linking {
        self.out.push(b'[');
        for (index, item) in items.into_iter().enumerate() {
            if index > 0 {
                self.out.push(b',');
            }
            link(self, item)?;
        }
        self.out.push(b']');
        Ok(())
    }
}

impl<T: Leaves + ContainerType + OutputType> Link for Flat<T> {
    fn link(&self, to: &mut Linker<'_, '_>) -> Linking {
        to.object(&self.0)
    }
}

impl<T: Item> Link for Answered<T> {
    fn link(&self, to: &mut Linker<'_, '_>) -> Linking {
        self.0.link(to)
    }
}

impl<T: Link> Link for Option<T> {
    const AT_ONCE: bool = T::AT_ONCE;

    fn link(&self, to: &mut Linker<'_, '_>) -> Linking {
        match self {
            Some(value) => value.link(to),
            None => to.null(),
        }
    }
}

impl<T: Link> Link for Vec<T> {
    const AT_ONCE: bool = T::AT_ONCE;

    fn link(&self, to: &mut Linker<'_, '_>) -> Linking {
        to.list(self, |to, item| item.link(to))
    }
}

impl Link for String {
    fn link(&self, to: &mut Linker<'_, '_>) -> Linking {
        to.string(self)
    }
}

#[cfg(test)]
thread_local! {
    /// How many fields were followed at once on this thread, for the tests.
    pub(in crate::api::flat) static FOLLOWED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A step of a plan that follows the field at `at`, `LINKS[index]` of its object's type.
pub(in crate::api::flat) struct LinkStep {
    /// The field's index in `LINKS`.
    pub(super) index: usize,
    /// Where the field is in the selection.
    pub(super) at: FieldAt,
    /// The plans of the field's selection on the types it led to.
    plans: Box<LinkPlans>,
}

impl LinkStep {
    /// The step following `LINKS[index]`, found at `at`.
    pub(super) fn new(index: usize, at: FieldAt) -> Self {
        LinkStep {
            index,
            at,
            plans: Box::default(),
        }
    }

    /// Writes the field's answer for `root`, whose selection is in `ctx`; on [`Left`],
    /// `out` is as it was.
    pub(super) fn follow<T: Leaves>(
        &self,
        root: &T,
        ctx: &ContextSelectionSet<'_>,
        out: &mut Vec<u8>,
    ) -> Linking {
        let field = self.at.find(ctx, &ctx.item.node).ok_or(Left)?;
        let ctx_field = ctx.with_field(field);
        let ctx = ctx_field.with_selection_set(&field.node.selection_set);
        let mark = out.len();
        let mut to = Linker {
            ctx: &ctx,
            out,
            plans: &self.plans,
        };
        let linked = root.link(self.index, &mut to);
        match linked {
            Ok(()) => {
                #[cfg(test)]
                FOLLOWED.set(FOLLOWED.get() + 1);
            }
            Err(Left) => out.truncate(mark),
        }
        linked
    }
}

/// How many types' plans a followed field keeps: one for each kind of entity, and one
/// over. Objects of any further type under the field are left to the executor.
const KEPT_TYPES: usize = 12;

/// The plans of a followed field's selection on the types it led to, each kept once made,
/// without a lock. Only plans written at once are used here, so a request never reads
/// one made for an answer written otherwise.
#[derive(Default)]
struct LinkPlans([OnceLock<LinkPlan>; KEPT_TYPES]);

/// The plan of a followed field's selection on one type, or none where objects of that
/// type are left to the executor.
struct LinkPlan {
    /// The address of the type's list of fields at hand, and its name.
    leaves: usize,
    type_name: Box<str>,
    plan: Planned,
    /// Whether an object of the type under this field was left to the executor.
    left: AtomicBool,
}

impl LinkPlans {
    /// The plan kept for objects of `T`, named `type_name`, made now if it is new.
    fn get<T: Leaves>(
        &self,
        ctx: &ContextSelectionSet<'_>,
        type_name: &str,
    ) -> Result<&LinkPlan, Left> {
        let leaves = T::LEAVES.as_ptr() as usize;
        for slot in &self.0 {
            let kept = match slot.get() {
                Some(kept) => kept,
                None => slot.get_or_init(|| LinkPlan {
                    leaves,
                    type_name: type_name.into(),
                    plan: written_plan::<T>(ctx, type_name),
                    left: AtomicBool::new(false),
                }),
            };
            if kept.leaves == leaves && *kept.type_name == *type_name {
                return Ok(kept);
            }
        }
        Err(Left)
    }
}

/// The plan of the selection in `ctx` on `T`, when its objects are written at once with
/// nothing left to the executor. Only asked where the request's answer is written as
/// JSON (a followed field's parent was), so that this depends on the document alone.
fn written_plan<T: Leaves>(ctx: &ContextSelectionSet<'_>, type_name: &str) -> Planned {
    match plan_of::<T>(ctx, type_name) {
        Ok((Some(plan), true)) if plan.at_once => Some(plan),
        _ => None,
    }
}

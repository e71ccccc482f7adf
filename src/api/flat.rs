//! Objects answered in one pass over their selection: the fields at hand (ids, names,
//! enums, numbers) go straight into the answer, without the executor's future for each;
//! the fields that lead to other objects answered so are followed at once where they can
//! be ([`Link`]); the others, and those given arguments, go through the executor.
//!
//! async-graphql answers every field of every object through a boxed future polled by
//! a `FuturesUnordered`; for a list of a thousand edges of five fields that machinery is
//! most of the request. A type that lists its fields at hand ([`Leaves`]) and is returned
//! as a [`FlatList`], or wrapped as [`Answered`] with an [`Item`] that calls
//! [`answer_object`] (as every kind of entity does), keeps its schema type and gives the
//! same answer, key for key and in the same order.

mod link;
mod plan;

use std::borrow::Cow;
use std::hash::RandomState;
use std::pin::Pin;
use std::sync::LazyLock;

use async_graphql::indexmap::IndexMap;
use async_graphql::indexmap::map::raw_entry_v1::{RawEntryApiV1, RawEntryMut};
use async_graphql::parser::types::Field;
use async_graphql::resolver_utils::resolve_container;
use async_graphql::{
    ContainerType, ContextSelectionSet, Name, OutputType, Positioned, ServerResult, Value, registry,
};

use super::answer_json;
use link::LinkStep;
pub use link::{Left, Link, Linker, Linking};
use plan::{Plan, Step, What, plan_of};
pub(crate) use plan::{Plans, written_as_json};

/// An object whose fields without arguments and without a selection of their own can be
/// read at once. `LEAVES` names them; `leaf(i)` is the value of `LEAVES[i]`, exactly what
/// the field's resolver answers.
pub trait Leaves {
    /// The fields at hand, by their GraphQL names.
    const LEAVES: &'static [&'static str];

    /// The value of the field `LEAVES[index]`.
    fn leaf(&self, index: usize) -> Value;

    /// Writes the value of the field `LEAVES[index]` as JSON.
    fn write_leaf(&self, index: usize, out: &mut Vec<u8>) {
        answer_json::value(out, &self.leaf(index));
    }

    /// The fields without arguments that lead on, by their GraphQL names, which
    /// [`Leaves::link`] can follow at once (see [`Link`]).
    const LINKS: &'static [&'static str] = &[];

    /// Writes the answer of the field `LINKS[index]` to the selection in `to`, exactly as
    /// its resolver's answer (arguments left at their defaults), or leaves it to the
    /// executor.
    fn link(&self, _index: usize, _to: &mut Linker<'_, '_>) -> Linking {
        Err(Left)
    }
}

impl<T: Leaves> Leaves for &T {
    const LEAVES: &'static [&'static str] = T::LEAVES;

    fn leaf(&self, index: usize) -> Value {
        (**self).leaf(index)
    }

    fn write_leaf(&self, index: usize, out: &mut Vec<u8>) {
        (**self).write_leaf(index, out);
    }

    const LINKS: &'static [&'static str] = T::LINKS;

    fn link(&self, index: usize, to: &mut Linker<'_, '_>) -> Linking {
        (**self).link(index, to)
    }
}

/// A list of objects answered in one pass each: the selection is read once for all.
pub struct FlatList<T>(pub Vec<T>);

#[cfg(test)]
thread_local! {
    /// Set by the tests to answer through the executor alone, for the two to compare.
    static EXECUTOR_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether objects are left to the executor whole: only ever in the tests.
pub(crate) fn executor_only() -> bool {
    #[cfg(test)]
    return EXECUTOR_ONLY.get();
    #[cfg(not(test))]
    false
}

/// The hasher of every object these answer, one for the process, so that a key's hash
/// is worked out once for a whole list rather than once for each of its objects. (An
/// object's map is async-graphql's `IndexMap` with the standard `RandomState`; the keys
/// are the query's own field names.)
static KEYS: LazyLock<RandomState> = LazyLock::new(RandomState::new);

/// Merges a field's value into an object's answer as async-graphql does: a key seen
/// before keeps its first value, objects under it merged key by key, lists item by item.
fn merge(target: &mut IndexMap<Name, Value>, key: Name, value: Value) {
    match target.get_mut(&key) {
        Some(previous) => merge_into(previous, value),
        None => {
            target.insert(key, value);
        }
    }
}

/// Merges `value` into the value a key already has.
fn merge_into(previous: &mut Value, value: Value) {
    match (previous, value) {
        (Value::Object(into), Value::Object(from)) => {
            for (key, value) in from {
                merge(into, key, value);
            }
        }
        (Value::List(into), Value::List(from)) => {
            for (into, from) in into.iter_mut().zip(from) {
                if let (Value::Object(into), Value::Object(from)) = (into, from) {
                    for (key, value) in from {
                        merge(into, key, value);
                    }
                }
            }
        }
        _ => {}
    }
}

/// One object's answer as a value, following `plan`, the plan of the selection in `ctx`.
async fn answer<'a, T: Leaves + ContainerType + OutputType>(
    root: &'a T,
    ctx: &ContextSelectionSet<'a>,
    plan: &Plan,
) -> Value {
    let mut map = IndexMap::with_capacity_and_hasher(plan.steps.len(), KEYS.clone());
    for step in &plan.steps {
        let (key, hash) = (&step.key, step.hash);
        match &step.what {
            What::Leaf(index) => {
                // A key asked for twice keeps its first value, as in `merge`.
                if let RawEntryMut::Vacant(entry) =
                    map.raw_entry_mut_v1().from_key_hashed_nocheck(hash, key)
                {
                    entry.insert_hashed_nocheck(hash, key.clone(), root.leaf(*index));
                }
            }
            What::Typename => {
                let name = root.introspection_type_name().into_owned();
                merge_hashed(&mut map, key, hash, Value::String(name));
            }
            What::Nested(at) | What::Link(LinkStep { at, .. }) => {
                if let Some(value) = nested(root, ctx, at).await {
                    merge_hashed(&mut map, key, hash, value);
                }
            }
        }
    }
    if map.is_empty() {
        Value::Null
    } else {
        Value::Object(map)
    }
}

/// One object's answer written as JSON to `out`, following `plan`, the plan of the
/// selection in `ctx`, whose keys are distinct: the same bytes as [`answer`]'s value.
async fn write<'a, T: Leaves + ContainerType + OutputType>(
    out: &mut Vec<u8>,
    root: &'a T,
    ctx: &ContextSelectionSet<'a>,
    plan: &Plan,
) {
    let start = out.len();
    out.push(b'{');
    for step in &plan.steps {
        let before = out.len();
        open(out, start, step);
        if write_step(out, root, ctx, step).is_ok() {
            continue;
        }
        if let What::Nested(at) | What::Link(LinkStep { at, .. }) = &step.what {
            match nested(root, ctx, at).await {
                Some(value) => answer_json::value(out, &value),
                None => out.truncate(before),
            }
        }
    }
    close(out, start);
}

/// One object's answer written as JSON to `out` at once, following `plan`, whose keys are
/// distinct and whose steps all are [`Plan::at_once`]; [`Left`] to the executor, with
/// `out` as it was, where a field it follows cannot be written at once.
fn write_now<T: Leaves + OutputType>(
    out: &mut Vec<u8>,
    root: &T,
    ctx: &ContextSelectionSet<'_>,
    plan: &Plan,
) -> Linking {
    let start = out.len();
    out.push(b'{');
    for step in &plan.steps {
        open(out, start, step);
        if let Err(left) = write_step(out, root, ctx, step) {
            out.truncate(start);
            return Err(left);
        }
    }
    close(out, start);
    Ok(())
}

/// Writes the value of one step, after its key, where it needs no executor: a field at
/// hand, `__typename`, or a field followed at once; [`Left`], with `out` as it was, for
/// the others.
fn write_step<T: Leaves + OutputType>(
    out: &mut Vec<u8>,
    root: &T,
    ctx: &ContextSelectionSet<'_>,
    step: &Step,
) -> Linking {
    match &step.what {
        What::Leaf(index) => root.write_leaf(*index, out),
        What::Typename => answer_json::string(out, &root.introspection_type_name()),
        What::Link(link) => return link.follow(root, ctx, out),
        What::Nested(_) => return Err(Left),
    }
    Ok(())
}

/// Begins the entry of `step` in an object begun at `start`: a comma after an entry
/// before it, then its key.
fn open(out: &mut Vec<u8>, start: usize, step: &Step) {
    if out.len() > start + 1 {
        out.push(b',');
    }
    out.extend_from_slice(&step.json);
}

/// Ends an object begun at `start`: `null` for one with no entry, as the executor
/// answers it.
fn close(out: &mut Vec<u8>, start: usize) {
    if out.len() == start + 1 {
        out.truncate(start);
        out.extend_from_slice(b"null");
    } else {
        out.push(b'}');
    }
}

/// The answer of the field at `at` of `root`, by the executor; none when it failed (the
/// error is added to the request's).
async fn nested<'a, T: ContainerType>(
    root: &'a T,
    ctx: &ContextSelectionSet<'a>,
    at: &plan::FieldAt,
) -> Option<Value> {
    let field = at.find(ctx, &ctx.item.node)?;
    let ctx_field = ctx.with_field(field);
    // Boxed, as the executor boxes every field: an object can lead back to its own type,
    // and a future cannot hold itself.
    let nested: Pin<Box<dyn Future<Output = _> + Send + '_>> =
        Box::pin(root.resolve_field(&ctx_field));
    match nested.await {
        Ok(value) => Some(value.unwrap_or_default()),
        Err(error) => {
            ctx.add_error(error);
            None
        }
    }
}

/// [`merge`], for a key whose hash in [`KEYS`] is known.
fn merge_hashed(map: &mut IndexMap<Name, Value>, key: &Name, hash: u64, value: Value) {
    match map.raw_entry_mut_v1().from_key_hashed_nocheck(hash, key) {
        RawEntryMut::Vacant(entry) => {
            entry.insert_hashed_nocheck(hash, key.clone(), value);
        }
        RawEntryMut::Occupied(entry) => merge_into(entry.into_mut(), value),
    }
}

/// The answer of one object of a concrete type, in one pass where its selection allows:
/// written as JSON at once where nothing is merged into it.
pub(crate) async fn answer_object<T: Leaves + ContainerType + OutputType>(
    root: &T,
    ctx: &ContextSelectionSet<'_>,
) -> ServerResult<Value> {
    match plan_of::<T>(ctx, &root.introspection_type_name())? {
        (Some(plan), true) => {
            let mut out = Vec::with_capacity(plan.room(1));
            write(&mut out, root, ctx, &plan).await;
            plan.wrote(1, out.len());
            Ok(Value::Binary(out.into()))
        }
        (Some(plan), false) => Ok(answer(root, ctx, &plan).await),
        (None, _) => resolve_container(ctx, root).await,
    }
}

/// How an item of a page is answered: in one pass by an entity object (each implements
/// this with [`answer_object`]), by the executor for anything else (the default).
pub trait Item: OutputType {
    /// The item's answer to the selection in `ctx`.
    fn answer(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> impl Future<Output = ServerResult<Value>> + Send {
        self.resolve(ctx, field)
    }

    /// Writes the item's answer to the selection in `to` at once, where it is answered in
    /// one pass (each entity, with [`Linker::object`]); left to the executor by default.
    fn link(&self, _to: &mut Linker<'_, '_>) -> Linking {
        Err(Left)
    }
}

impl<T: Item> Item for &T {
    fn answer(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> impl Future<Output = ServerResult<Value>> + Send {
        (**self).answer(ctx, field)
    }

    fn link(&self, to: &mut Linker<'_, '_>) -> Linking {
        (**self).link(to)
    }
}

/// The schema type of a wrapper `W(T)` that is `T`'s own: its names and type info.
macro_rules! type_of_inner {
    () => {
        fn type_name() -> Cow<'static, str> {
            T::type_name()
        }

        fn qualified_type_name() -> String {
            T::qualified_type_name()
        }

        fn introspection_type_name(&self) -> Cow<'static, str> {
            self.0.introspection_type_name()
        }

        fn create_type_info(registry: &mut registry::Registry) -> String {
            T::create_type_info(registry)
        }
    };
}

/// An item as its [`Item::answer`] answers it: the item's own type in the schema.
pub struct Answered<T>(pub T);

impl<T: Item> OutputType for Answered<T> {
    type_of_inner!();

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        if executor_only() {
            return self.0.resolve(ctx, field).await;
        }
        self.0.answer(ctx, field).await
    }
}

/// An object answered in one pass where its selection allows: the object's own type in
/// the schema.
pub struct Flat<T>(pub T);

impl<T: Leaves + ContainerType + OutputType> OutputType for Flat<T> {
    type_of_inner!();

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        _field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        answer_object(&self.0, ctx).await
    }
}

impl<T: Leaves + ContainerType + OutputType> OutputType for FlatList<T> {
    fn type_name() -> Cow<'static, str> {
        Vec::<T>::type_name()
    }

    fn qualified_type_name() -> String {
        Vec::<T>::qualified_type_name()
    }

    fn create_type_info(registry: &mut registry::Registry) -> String {
        Vec::<T>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        _field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        match plan_of::<T>(ctx, &T::type_name())? {
            (Some(plan), true) => {
                let mut out = Vec::with_capacity(plan.room(self.0.len()));
                out.push(b'[');
                for (index, item) in self.0.iter().enumerate() {
                    if index > 0 {
                        out.push(b',');
                    }
                    write(&mut out, item, &ctx.with_index(index), &plan).await;
                }
                out.push(b']');
                plan.wrote(self.0.len(), out.len());
                Ok(Value::Binary(out.into()))
            }
            (plan, _) => {
                let mut items = Vec::with_capacity(self.0.len());
                for (index, item) in self.0.iter().enumerate() {
                    let ctx = ctx.with_index(index);
                    items.push(match &plan {
                        Some(plan) => answer(item, &ctx, plan).await,
                        None => resolve_container(&ctx, item).await?,
                    });
                }
                Ok(Value::List(items))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{Request, Value, Variables};
    use serde_json::json;

    use super::EXECUTOR_ONLY;
    use super::link::FOLLOWED;
    use crate::api::{Credentials, answer_json, execute, schema, snapshot};
    use crate::app::{App, Config};

    /// How the tests have a query answered.
    #[derive(Clone, Copy, PartialEq)]
    enum How {
        /// By the executor alone.
        Executor,
        /// Objects in one pass, as values.
        Values,
        /// Objects in one pass, written as JSON at once where nothing merges into them,
        /// as HTTP answers a single request.
        Written,
    }

    /// The parts of `value` written as JSON at once, outermost only.
    fn written(value: &Value) -> usize {
        match value {
            Value::Binary(_) => 1,
            Value::List(items) => items.iter().map(written).sum(),
            Value::Object(map) => map.values().map(written).sum(),
            _ => 0,
        }
    }

    /// The answer to `query`, as JSON, answered as `how` says, and how many of its parts
    /// were written at once.
    fn answer(query: &str, variables: serde_json::Value, how: How) -> (String, usize) {
        let app = match App::load(Config::default()) {
            Ok(app) => app,
            Err(error) => panic!("the built-in seed loads: {error}"),
        };
        let schema = schema(app.clone());
        let mut request = Request::new(query)
            .variables(Variables::from_json(variables))
            .data(snapshot::Pinned::default())
            .data(Credentials::default());
        if how == How::Written {
            crate::api::cost(&mut request, app.config());
            crate::api::written_as_json(&mut request);
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap_or_else(|error| panic!("a runtime: {error}"));
        EXECUTOR_ONLY.set(how == How::Executor);
        let response = runtime.block_on(execute(&schema, request, app.config()));
        EXECUTOR_ONLY.set(false);
        let json = match how {
            How::Written => answer_json::to_vec(&response),
            How::Values | How::Executor => serde_json::to_vec(&response),
        };
        let json = json.unwrap_or_else(|error| panic!("{error}"));
        let json = String::from_utf8(json).unwrap_or_else(|error| panic!("{error}"));
        (json, written(&response.data))
    }

    /// Asserts the one-pass answer is the executor's, byte for byte, as values and written
    /// at once, the first time the document is planned and again from the plans kept with
    /// it, and returns it with how many of its parts were written at once.
    fn same(query: &str, variables: serde_json::Value) -> (String, usize) {
        let (executor, none) = answer(query, variables.clone(), How::Executor);
        assert_eq!(none, 0, "{query}");
        let mut parts = 0;
        for how in [How::Values, How::Written] {
            let (flat, written) = answer(query, variables.clone(), how);
            let (again, written_again) = answer(query, variables.clone(), how);
            assert_eq!(flat, executor, "{query}");
            assert_eq!(again, executor, "{query}, planned before");
            assert_eq!(written, written_again, "{query}");
            if how == How::Values {
                assert_eq!(written, 0, "{query}");
            }
            parts = written;
        }
        assert!(!executor.contains(r#""errors""#), "{executor}");
        (executor, parts)
    }

    /// The answer to `query`, written as HTTP writes it, and how many fields were
    /// followed at once (see [`super::link`]).
    fn followed(query: &str) -> (String, usize) {
        FOLLOWED.set(0);
        let (json, _) = answer(query, json!({}), How::Written);
        (json, FOLLOWED.get())
    }

    #[test]
    fn fields_that_lead_on_are_followed_at_once_where_they_can_be() {
        // A page's nodes, each commitment's pledger, beneficiaries and amount, and the
        // amount's value and its money or quantity: every one followed at once.
        let query = r#"{ commitments(first: 30, orderBy: [{field: ID}]) { edges { node {
            id pledger { id name } beneficiaries { id __typename }
            amount { key value { display money { amount currency } quantity { value unit } } }
            status { value } increase { display } deal { id name } partOf { id }
            baseline { value { display } } limit { rank } suppliers { id } inExchangeFor { name }
        } } } }"#;
        let (page, _) = same(query, json!({}));
        let (written, links) = followed(query);
        assert_eq!(written, page);
        let nodes = page.matches(r#"{"node":"#).count();
        let values = page.matches(r#""value":{"display""#).count();
        assert!(nodes > 5, "{page}");
        assert!(values > 5, "{page}");
        // Per node: the node, the eleven fields of the commitment and its status's value;
        // then each amount's value and its money and quantity, and each baseline's value.
        let amounts = page.matches(r#""money":"#).count();
        assert_eq!(links, nodes * 13 + values + 2 * amounts, "{page}");
        // Fields left to the executor, with what they lead to: a pledger with a page of
        // its own, an amount asked as of a day, a merged selection; the same answers, and
        // the fields followed at once under them counted by a key of the answer.
        for (query, counted) in [
            (
                // The first pledger is left to the executor, so each node from then on;
                // each node's amount is followed at once from it.
                r#"{ commitments(first: 5) { edges { node {
                    pledger { id relations(first: 1) { totalCount } } amount { rank } } } } }"#,
                r#""amount":"#,
            ),
            (
                // Each amount as of a day is left to the executor; its value is followed.
                r#"{ commitments(first: 5) { edges { node { id
                    amount(asOf: "2025-07-01") { value { display } } } } } }"#,
                r#""value":"#,
            ),
            (
                // Nothing merged is written at once.
                r#"{ commitments(first: 5) { edges { node { id pledger { id } ...P } } } }
                fragment P on Commitment { pledger { name } }"#,
                "no key",
            ),
        ] {
            let (page, _) = same(query, json!({}));
            let (written, links) = followed(query);
            assert_eq!(written, page);
            assert_eq!(links, page.matches(counted).count(), "{query}");
        }
        let (_, links) =
            followed(r#"{ commitments(first: 5) { edges { node { id amount { rank } } } } }"#);
        assert_eq!(links, 10);
    }

    #[test]
    fn drawn_nodes_and_edges_answer_as_the_executor_does() {
        let (plain, plain_written) = same(
            r#"{ neighborhood(ids: ["country:jp"], depth: 2, limit: 200) {
                truncated nodes { id kind label depth } edges { id kind source target label } } }"#,
            json!({}),
        );
        assert!(plain.contains(r#""kind":"COUNTRY""#), "{plain}");
        assert!(plain.matches(r#""source":"#).count() > 20, "{plain}");
        // The lists of nodes and of edges, each written whole at once.
        assert_eq!(plain_written, 2);
        // Aliases, a field asked twice, `__typename`, fragments of both kinds, and fields
        // that lead to other objects (merged where asked twice), beside those at hand.
        let (mixed, mixed_written) = same(
            r#"{ neighborhood(ids: ["country:kr"], depth: 1, asOf: "2025-08-01") {
                nodes { key: id id __typename ...N ... on GraphNode { label entity { id } }
                        entity { __typename ... on Country { name } } id }
                edges { ...E label kind: source relation { kind } relation { outgoing: kind } }
            } }
            fragment N on GraphNode { kind depth id t: __typename }
            fragment E on GraphEdge { id target __typename }"#,
            json!({}),
        );
        assert!(mixed.contains(r#""key":"country:kr""#), "{mixed}");
        assert!(mixed.contains(r#""__typename":"GraphEdge""#), "{mixed}");
        // Keys asked twice in each list: none is written at once.
        assert_eq!(mixed_written, 0);
        // Fields left out or kept by the directives, by a variable's value.
        for skip in [true, false] {
            same(
                r#"query ($skip: Boolean!) { neighborhood(ids: ["deal:us-jp-2025"]) {
                    nodes { id @skip(if: $skip) label @include(if: $skip) depth }
                    edges { label @skip(if: $skip) ... on GraphEdge @include(if: $skip) { id } }
                } }"#,
                json!({ "skip": skip }),
            );
        }
        // Answers merged by the executor: a list asked twice, a fragment spread twice, and
        // lists under an object asked twice; beside them, lists written at once.
        let (merged, merged_written) = same(
            r#"{ neighborhood(ids: ["country:jp"], depth: 1) {
                nodes { id } nodes { label kind } ...S ...S
                edges { id } edges { kind source } }
              again: neighborhood(ids: ["country:kr"], depth: 1) { nodes { id } }
              two: neighborhood(ids: ["country:us"], depth: 1) { nodes { id } }
              two: neighborhood(ids: ["country:us"], depth: 1) { nodes { depth } } }
            fragment S on Subgraph { truncated edges { target } }"#,
            json!({}),
        );
        assert!(
            merged.contains(r#"{"id":"country:jp","label":"#),
            "{merged}"
        );
        assert!(merged.contains(r#""depth":0}"#), "{merged}");
        // Only `again`'s nodes merge with nothing.
        assert_eq!(merged_written, 1);
        let (paths, paths_written) = same(
            r#"{ paths(from: "country:jp", to: "country:kr", limit: 3) {
                length nodes { id depth label } edges { id source target label kind } } }"#,
            json!({}),
        );
        assert!(paths.contains(r#""length":"#), "{paths}");
        assert!(paths_written >= 2, "{paths_written}");
    }

    #[test]
    fn entities_a_commitment_leads_to_answer_as_the_executor_does() {
        // Every field each entity has at hand, fields of its own kind and of the
        // interface through fragments, a field with arguments, and fields that lead on.
        let (page, page_written) = same(
            r#"{ commitments(first: 50, orderBy: [{field: ID}]) { edges { node {
                id name
                pledger { id kind name aliases description version __typename
                          ... on Country { code bloc officials { id name } }
                          ...Named relations(first: 2) { totalCount } sources { line } }
                beneficiaries { who: id name ...Named ... on Entity { kind } }
                amount { value { display money { amount currency } } }
            } } } }
            fragment Named on Entity { name id }"#,
            json!({}),
        );
        assert!(page.contains(r#""pledger":{"id":"country:"#), "{page}");
        // A selection whose fragments all are of another type, and fields of one name
        // under fragments of two types.
        let (others, others_written) = same(
            r#"{ commitments(first: 10) { nodes { id pledger { ... on Deal { id } }
                who: pledger { id kind name aliases description version __typename }
                beneficiaries { ... on Country { name } ... on Organization { name } } } } }"#,
            json!({}),
        );
        assert!(others.contains(r#""pledger":"#), "{others}");
        // Each node, written whole at once.
        let nodes = others.matches(r#"{"id":"commitment:"#).count();
        assert!(nodes > 1, "{others}");
        assert_eq!(others_written, nodes);
        assert!(page.contains(r#""code":"#), "{page}");
        assert_eq!(page_written, 1);
        assert!(page.contains(r#""who":"#), "{page}");
        // Pages of entities inside entities, with cursors and without, a page of
        // relations, and the bench's Q1.
        let (nested, nested_written) = same(
            r#"{ deals(first: 3) { nodes { id name __typename
                commitments(first: 5) { edges { cursor node { id kind pledger { name } } }
                                        nodes { name ... on Commitment { id } }
                                        pageInfo { hasNextPage } totalCount }
                relations(first: 3) { edges { node { kind } } } } }
              country(code: "JP") { name pledgesMade { edges { node {
                kind amount { value { display } } } } } } }"#,
            json!({}),
        );
        assert!(nested.contains(r#""cursor":"#), "{nested}");
        assert!(
            nested.contains(r#""pledgesMade":{"edges":[{"node":{"kind":"#),
            "{nested}"
        );
        // Each of the three deals, and the country.
        assert_eq!(nested_written, 4);
        // Claims and the values under them: every field a claim has, as of a day and
        // not, histories with deprecated values, money, quantities and percents.
        let (claims, claims_written) = same(
            r#"{ commitments(first: 50, orderBy: [{field: ID}]) { edges { cursor node { id
                amount { key asOfBasis rank approximate supersedes caveat note __typename
                         value { __typename display percent money { amount currency display }
                                 quantity { value unit display } }
                         validFrom { date } madeBy { id } sources { line } }
                then: amount(asOf: "2025-07-01") { asOfBasis key value { display } }
                amountHistory(includeDeprecated: true) { key rank note caveat supersedes
                    value { display money { amount } } ...K }
                baseline { value { money { amount currency } } }
                increase { display percent money { currency amount } }
                status { key rank value asOfBasis }
            } } } }
            fragment K on AmountClaim { key approximate k: key }"#,
            json!({}),
        );
        for expected in [
            r#""money":{"amount":"#,
            r#""quantity":{"value":"#,
            r#""percent":""#,
            r#""asOfBasis":""#,
            r#""supersedes":""#,
            r#""cursor":""#,
        ] {
            assert!(claims.contains(expected), "{expected} in {claims}");
        }
        assert_eq!(claims_written, 1);
        same(
            r#"{ tariffMeasures(first: 20) { nodes { id
                rate { key rank value { totalPercent display } }
                rateHistory(includeDeprecated: true) { key supersedes asOfBasis value { totalPercent components { percent } } }
                volumeLimit { key value { unlimited quantity { value unit display } } } status { key value } } } }"#,
            json!({}),
        );
        for include in [true, false] {
            same(
                r#"query ($include: Boolean!) { commitments(first: 20) { edges { node {
                    pledger { id name @include(if: $include) ... on Country @skip(if: $include) { code } }
                    beneficiaries { id @skip(if: $include) }
                } } } }"#,
                json!({ "include": include }),
            );
        }
    }
}

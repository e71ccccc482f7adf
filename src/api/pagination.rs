//! Relay cursor connections over any list: `first`/`after`, `last`/`before`,
//! `pageInfo`, `totalCount`, a default page and a hard cap. Cursors are keyset
//! cursors: each names its item's place in the list's order (the item's sort key,
//! which ends in something unique), so a page asked after or before one starts
//! where that key sits in the list as it is now, whatever was added or removed
//! since. Lists of nodes hand the keys to the graph, which finds the page without
//! sorting the list; other lists are cut here, by binary search over the sorted list.

use std::borrow::Cow;
use std::sync::Arc;

use async_graphql::{Context, Object, OutputType, TypeName};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::flat::{Answered, FlatList, Item, Leaves, Linker, Linking};
use crate::graph::{Filter, Value};
use crate::model::{EntityId, NodeKind, PartialDate, parse_decimal};

/// What a cursor's text starts with, before the base64 encoding: the version of its
/// encoding (`k1:` then JSON; the offset cursors before it were `at:` then a number).
const VERSION: &str = "k1:";

/// One part of a key written in a cursor, typed so it reads back exactly: decimals and
/// dates as their text, never as floats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Atom {
    /// Text: a name, a kind's wire name, a relation id.
    #[serde(rename = "s")]
    Text(String),
    /// An exact number, as written by `rust_decimal`.
    #[serde(rename = "d")]
    Decimal(String),
    /// A date to its precision (`2025`, `2025-07`, `2025-07-22`).
    #[serde(rename = "t")]
    Date(String),
    /// An entity id.
    #[serde(rename = "i")]
    Id(String),
    /// A flag.
    #[serde(rename = "b")]
    Bool(bool),
}

impl From<&Value> for Atom {
    fn from(v: &Value) -> Self {
        match v {
            Value::Id(i) => Atom::Id(i.to_string()),
            Value::Text(t) => Atom::Text(t.clone()),
            Value::Decimal(d) => Atom::Decimal(d.to_string()),
            Value::Date(d) => Atom::Date(d.to_string()),
        }
    }
}

impl Atom {
    /// The graph value the atom writes; none for a flag, or for an id, number or date
    /// that does not parse.
    pub fn value(&self) -> Option<Value> {
        Some(match self {
            Atom::Id(i) => Value::Id(EntityId::parse(i).ok()?),
            Atom::Text(t) => Value::Text(t.clone()),
            Atom::Decimal(d) => Value::Decimal(parse_decimal(d).ok()?),
            Atom::Date(d) => Value::Date(d.parse().ok()?),
            Atom::Bool(_) => return None,
        })
    }

    /// The entity id the atom writes, if it writes one.
    pub fn id(&self) -> Option<EntityId> {
        match self {
            Atom::Id(i) => EntityId::parse(i).ok(),
            _ => None,
        }
    }
}

/// How a list is ordered, as its cursors see it. An implementation must write keys that
/// order exactly as the list is sorted, and give every item of a list a distinct key.
pub trait Keyset<I> {
    /// A key read back from a cursor.
    type Key;
    /// Names the list and its order, as `Commitment list ordered by amount desc`; a
    /// cursor made under another name is refused.
    fn ordering(&self) -> String;
    /// The item's key, to write in its cursor.
    fn write(&self, item: &I) -> Vec<Option<Atom>>;
    /// The key [`Keyset::write`] wrote; none when the atoms are not a key of this order.
    fn read(&self, atoms: &[Option<Atom>]) -> Option<Self::Key>;
}

/// Why a cursor is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CursorError {
    /// Not a cursor this server writes.
    #[error(
        "`{arg}` is not a valid cursor: pass a `cursor`, `startCursor` or `endCursor` from a page of this same list, unchanged"
    )]
    Garbled {
        /// `after` or `before`.
        arg: &'static str,
    },
    /// An offset cursor of an older server, which named a position rather than a key.
    #[error(
        "`{arg}` is an offset cursor from an older version of this server, which cursors no longer take: ask for the first page again and page on from its cursors"
    )]
    Outdated {
        /// `after` or `before`.
        arg: &'static str,
    },
    /// A cursor made for another list or another order.
    #[error(
        "`{arg}` was made for another list or ordering ({made_for}) than this one ({used_for}): ask with the arguments the cursor was made with (the same `orderBy`), or start again from the first page"
    )]
    Mismatched {
        /// `after` or `before`.
        arg: &'static str,
        /// The list and order the cursor was made for.
        made_for: String,
        /// The list and order of this request.
        used_for: String,
    },
}

impl From<CursorError> for ApiError {
    fn from(e: CursorError) -> Self {
        ApiError::BadUserInput(e.to_string())
    }
}

/// A cursor as read, before its checks: the order it belongs to, and the key.
#[derive(Deserialize)]
struct Wire {
    /// [`Keyset::ordering`].
    o: String,
    /// [`Keyset::write`].
    k: Vec<Option<Atom>>,
}

/// A cursor as written: [`Wire`], borrowed.
#[derive(Serialize)]
struct WireOut<'a> {
    o: &'a str,
    k: &'a [Option<Atom>],
}

/// The cursor of a key in the list `ordering` names.
fn encode(ordering: &str, key: &[Option<Atom>]) -> String {
    let wire = WireOut {
        o: ordering,
        k: key,
    };
    // A struct of strings, booleans and options always serializes.
    let json = serde_json::to_string(&wire).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(format!("{VERSION}{json}"))
}

/// The key a cursor (the argument `arg`) names, when it was made for `keyset`'s order.
fn decode<I, K: Keyset<I>>(
    keyset: &K,
    arg: &'static str,
    cursor: &str,
) -> Result<K::Key, CursorError> {
    let garbled = || CursorError::Garbled { arg };
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| garbled())?;
    let text = String::from_utf8(bytes).map_err(|_| garbled())?;
    let Some(json) = text.strip_prefix(VERSION) else {
        return Err(if text.starts_with("at:") {
            CursorError::Outdated { arg }
        } else {
            garbled()
        });
    };
    let wire: Wire = serde_json::from_str(json).map_err(|_| garbled())?;
    let ordering = keyset.ordering();
    if wire.o != ordering {
        return Err(CursorError::Mismatched {
            arg,
            // Named as the cursor says, which a forged one may make long.
            made_for: wire.o.chars().take(120).collect(),
            used_for: ordering,
        });
    }
    keyset.read(&wire.k).ok_or_else(garbled)
}

/// Where a page sits in its list: read from the page, its cursors written only when asked
/// for.
pub struct PageInfo<'a> {
    ordering: &'a str,
    previous: bool,
    next: bool,
    start: Option<&'a [Option<Atom>]>,
    end: Option<&'a [Option<Atom>]>,
}

/// Where a page sits in its list.
#[Object]
impl PageInfo<'_> {
    /// True when items come before this page.
    async fn has_previous_page(&self) -> bool {
        self.previous
    }

    /// True when items come after this page.
    async fn has_next_page(&self) -> bool {
        self.next
    }

    /// The cursor of the page's first item.
    async fn start_cursor(&self) -> Option<String> {
        self.start.map(|key| encode(self.ordering, key))
    }

    /// The cursor of the page's last item.
    async fn end_cursor(&self) -> Option<String> {
        self.end.map(|key| encode(self.ordering, key))
    }
}

/// One item of a page and its key, written as a cursor only when asked for. The key is
/// kept only where a cursor can be asked for: on every edge when the query selects
/// `edges { cursor }`, and on the first and the last for `pageInfo`.
pub struct PageEdge<T> {
    ordering: Arc<str>,
    key: Option<Vec<Option<Atom>>>,
    node: T,
}

/// An item of a list and its cursor, to page from.
#[Object(name_type)]
impl<T: Item> PageEdge<T> {
    /// The item's place in the list's order (its sort key, opaque), for `after` and
    /// `before`: a page asked from it starts where that key sits in the list now, even
    /// after items were added or removed. Valid only with the same list and ordering.
    async fn cursor(&self) -> async_graphql::Result<String> {
        let key = self.key.as_deref().ok_or(
            "internal error: the page was made without its cursors, which the query selects",
        )?;
        Ok(encode(&self.ordering, key))
    }

    /// The item.
    async fn node(&self) -> Answered<&T> {
        Answered(&self.node)
    }
}

/// An edge has nothing at hand: its `cursor` is written, and its `node` answered, only
/// when asked for; but a list of edges is still answered without the executor's future
/// for each, and its `node` followed at once where the item is written in one pass.
impl<T: Item> Leaves for PageEdge<T> {
    const LEAVES: &'static [&'static str] = &[];

    fn leaf(&self, _index: usize) -> async_graphql::Value {
        async_graphql::Value::Null
    }

    const LINKS: &'static [&'static str] = &["node"];

    fn link(&self, _index: usize, to: &mut Linker<'_, '_>) -> Linking {
        self.node.link(to)
    }
}

impl<T: OutputType> TypeName for PageEdge<T> {
    fn type_name() -> Cow<'static, str> {
        format!("{}Edge", T::type_name()).into()
    }
}

/// How many items a whole list holds: known already, or counted only when `totalCount`
/// is asked for.
pub enum Total {
    /// Counted while the page was found.
    Known(usize),
    /// The nodes of `kind` that pass `filter` (values as of `as_of`), counted from the
    /// request's graph.
    Matching {
        /// The kind listed.
        kind: NodeKind,
        /// Which nodes the list holds.
        filter: Filter,
        /// The date values are taken as of.
        as_of: Option<PartialDate>,
    },
    /// The entries of the timeline of `entities` (the whole graph's when none) from
    /// `from` to `to`, counted from the request's graph.
    Timeline {
        /// The earliest date.
        from: Option<PartialDate>,
        /// The latest date.
        to: Option<PartialDate>,
        /// Only entries involving these.
        entities: Vec<EntityId>,
    },
}

/// A page of a list, as a Relay cursor connection.
pub struct Page<T> {
    ordering: Arc<str>,
    edges: Vec<PageEdge<T>>,
    previous: bool,
    next: bool,
    total: Total,
}

impl<T> Page<T> {
    /// Where the page sits in its list.
    fn info(&self) -> PageInfo<'_> {
        PageInfo {
            ordering: &self.ordering,
            previous: self.previous,
            next: self.next,
            start: self.edges.first().and_then(|e| e.key.as_deref()),
            end: self.edges.last().and_then(|e| e.key.as_deref()),
        }
    }
}

/// One page of a list (a Relay cursor connection): its items with their
/// cursors, where the page sits, and how many items the whole list holds.
#[Object(name_type)]
impl<T: Item> Page<T> {
    /// The items of the page with their cursors.
    async fn edges(&self) -> FlatList<&PageEdge<T>> {
        FlatList(self.edges.iter().collect())
    }

    /// The items of the page, without cursors.
    async fn nodes(&self) -> Vec<Answered<&T>> {
        self.edges.iter().map(|e| Answered(&e.node)).collect()
    }

    /// Where the page sits in the list.
    async fn page_info(&self) -> PageInfo<'_> {
        self.info()
    }

    /// How many items match, across all pages.
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<usize> {
        Ok(match &self.total {
            Total::Known(n) => *n,
            Total::Matching {
                kind,
                filter,
                as_of,
            } => super::graph(ctx)?.count(*kind, filter, as_of.as_ref()),
            Total::Timeline { from, to, entities } => {
                super::graph(ctx)?.timeline_count(from.as_ref(), to.as_ref(), entities)
            }
        })
    }
}

impl Item for String {}

impl<T: OutputType> TypeName for Page<T> {
    fn type_name() -> Cow<'static, str> {
        format!("{}Connection", T::type_name()).into()
    }
}

/// How large pages are: the configuration's `default_page_size` and `max_page_size`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSizes {
    /// Items on a page when neither `first` nor `last` is given.
    pub default: usize,
    /// The most items one page may hold.
    pub max: usize,
}

impl PageSizes {
    /// The page sizes in force for this request.
    pub fn of(ctx: &Context<'_>) -> async_graphql::Result<Self> {
        let config = super::app(ctx)?.config();
        Ok(PageSizes {
            default: config.default_page_size,
            max: config.max_page_size,
        })
    }

    /// `n` items, when `n` is neither negative nor past the largest page.
    pub fn check(&self, n: Option<i32>, which: &str) -> Result<Option<usize>, ApiError> {
        match n {
            None => Ok(None),
            Some(n) if n < 0 => Err(ApiError::BadUserInput(format!(
                "`{which}` must not be negative, got {n}"
            ))),
            Some(n) if n as usize > self.max => Err(ApiError::PageSizeExceeded {
                requested: n.into(),
                max: self.max,
            }),
            Some(n) => Ok(Some(n as usize)),
        }
    }
}

/// The paging arguments of a connection field, with the page sizes in force.
#[derive(Debug, Clone)]
pub struct PageArgs {
    /// Items after this cursor.
    pub after: Option<String>,
    /// Items before this cursor.
    pub before: Option<String>,
    /// At most this many from the start.
    pub first: Option<i32>,
    /// At most this many from the end.
    pub last: Option<i32>,
    /// The default and largest page.
    pub sizes: PageSizes,
    /// Whether the query selects `edges { cursor }`: a page keeps every edge's key only
    /// then.
    pub cursors: bool,
    /// Whether the query selects the page itself (`edges`, `nodes` or `pageInfo`): with
    /// `totalCount` alone, the list is counted and no page is read.
    pub items: bool,
}

impl PageArgs {
    /// A connection field's arguments, with the page sizes in force for the request.
    pub fn new(
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Self> {
        // One pass over the connection's selection (through its fragments), as every
        // connection field of every request reads it.
        let (mut items, mut cursors) = (false, false);
        for field in ctx.field().selection_set() {
            match field.name() {
                "edges" => {
                    items = true;
                    cursors = cursors || field.selection_set().any(|f| f.name() == "cursor");
                }
                "nodes" | "pageInfo" => items = true,
                _ => {}
            }
        }
        Ok(PageArgs {
            after,
            before,
            first,
            last,
            sizes: PageSizes::of(ctx)?,
            cursors,
            items,
        })
    }
}

/// What a connection's arguments ask for, read: the keys its cursors name, and how many
/// items from the start or the end (the default page from the start when neither).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked<Key> {
    /// The `after` cursor's key.
    pub after: Option<Key>,
    /// The `before` cursor's key.
    pub before: Option<Key>,
    /// At most this many from the start.
    pub first: Option<usize>,
    /// At most this many from the end.
    pub last: Option<usize>,
}

impl PageArgs {
    /// The arguments read for a list ordered as `keyset` orders it: each cursor's key,
    /// checked to be of that list and order, and the page sizes, checked against the
    /// largest page.
    pub fn read<I, K: Keyset<I>>(&self, keyset: &K) -> Result<Asked<K::Key>, ApiError> {
        let mut first = self.sizes.check(self.first, "first")?;
        let last = self.sizes.check(self.last, "last")?;
        if first.is_none() && last.is_none() {
            first = Some(self.sizes.default);
        }
        let key = |arg, cursor: &Option<String>| {
            cursor
                .as_deref()
                .map(|c| decode(keyset, arg, c))
                .transpose()
        };
        Ok(Asked {
            after: key("after", &self.after)?,
            before: key("before", &self.before)?,
            first,
            last,
        })
    }
}

/// Where a page sits in its list: whether the list holds items before and after it, and
/// how many in all.
pub struct Around {
    /// Items come before the page.
    pub previous: bool,
    /// Items come after the page.
    pub next: bool,
    /// How many items the list holds.
    pub total: Total,
}

impl Around {
    /// No page read: only the list's size, for a query that asks for `totalCount` alone.
    pub fn none(total: Total) -> Self {
        Around {
            previous: false,
            next: false,
            total,
        }
    }
}

/// The page of `items`, already cut from their list, each wrapped for the API and given
/// its key: every item when `cursors` (the query selects `edges { cursor }`), else the
/// first and the last, for `pageInfo`.
pub fn page<I, T: OutputType, K: Keyset<I>>(
    items: Vec<I>,
    keyset: &K,
    around: Around,
    cursors: bool,
    wrap: impl Fn(I) -> T,
) -> Page<T> {
    let ordering: Arc<str> = keyset.ordering().into();
    let last = items.len().saturating_sub(1);
    let edges: Vec<PageEdge<T>> = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| PageEdge {
            ordering: ordering.clone(),
            key: (cursors || i == 0 || i == last).then(|| keyset.write(&item)),
            node: wrap(item),
        })
        .collect();
    Page {
        ordering,
        edges,
        previous: around.previous,
        next: around.next,
        total: around.total,
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use super::*;
    use crate::api::objects::NodeOrder;
    use crate::graph::testing::{Pledge, money, pledge_graph};
    use crate::graph::{Filter, FilterField, KnowledgeGraph, Order, Sort};
    use crate::model::{CommitmentKind, NodeKind, Period};

    /// The window `[start, end)` of `items`, sorted as `compare` places an item against a
    /// key, that the arguments select: the reference every list's page is checked
    /// against. The items after the `after` cursor's key and before the `before` cursor's,
    /// each bound found by binary search, then cut to `first` or `last` items, or to the
    /// default page when neither is given.
    pub(crate) fn reference_window<I, K: Keyset<I>>(
        items: &[I],
        keyset: &K,
        args: &PageArgs,
        compare: impl Fn(&I, &K::Key) -> Ordering,
    ) -> Result<(usize, usize), ApiError> {
        let asked = args.read(keyset)?;
        let mut start = 0;
        let mut end = items.len();
        if let Some(key) = &asked.after {
            start = items.partition_point(|i| compare(i, key) != Ordering::Greater);
        }
        if let Some(key) = &asked.before {
            end = items.partition_point(|i| compare(i, key) == Ordering::Less);
        }
        end = end.max(start);
        if let Some(first) = asked.first {
            end = end.min(start + first);
        }
        if let Some(last) = asked.last {
            start = start.max(end.saturating_sub(last));
        }
        Ok((start, end))
    }

    /// The reference page of `items` ([`reference_window`]), each wrapped for the API and
    /// given the cursor of its key.
    fn paginate<I, T: OutputType, K: Keyset<I>>(
        items: Vec<I>,
        keyset: &K,
        args: &PageArgs,
        compare: impl Fn(&I, &K::Key) -> Ordering,
        wrap: impl Fn(I) -> T,
    ) -> Result<Page<T>, ApiError> {
        let total = items.len();
        let (start, end) = reference_window(&items, keyset, args, compare)?;
        let items = items.into_iter().skip(start).take(end - start).collect();
        let (previous, next) = (start > 0, end < total);
        Ok(super::page(
            items,
            keyset,
            Around {
                previous,
                next,
                total: Total::Known(total),
            },
            args.cursors,
            wrap,
        ))
    }

    /// The numbers `0..n` in order, each its own key.
    struct Numbers;

    impl Keyset<usize> for Numbers {
        type Key = usize;

        fn ordering(&self) -> String {
            "numbers".into()
        }

        fn write(&self, n: &usize) -> Vec<Option<Atom>> {
            vec![Some(Atom::Decimal(n.to_string()))]
        }

        fn read(&self, atoms: &[Option<Atom>]) -> Option<usize> {
            match atoms {
                [Some(Atom::Decimal(n))] => n.parse().ok(),
                _ => None,
            }
        }
    }

    /// The cursor of number `n`.
    fn cursor(n: usize) -> String {
        encode("numbers", &Numbers.write(&n))
    }

    /// The window the arguments select of the numbers `0..total`.
    fn window(total: usize, args: &PageArgs) -> Result<(usize, usize), ApiError> {
        let numbers: Vec<usize> = (0..total).collect();
        reference_window(&numbers, &Numbers, args, |n, key| n.cmp(key))
    }

    fn args(
        first: Option<i32>,
        after: Option<usize>,
        last: Option<i32>,
        before: Option<usize>,
    ) -> PageArgs {
        let c = |n: Option<usize>| n.map(cursor);
        PageArgs {
            first,
            after: c(after),
            last,
            before: c(before),
            sizes: SIZES,
            cursors: true,
            items: true,
        }
    }

    const SIZES: PageSizes = PageSizes {
        default: 20,
        max: 100,
    };

    #[test]
    fn pages_forward_and_backward() {
        assert_eq!(window(50, &args(None, None, None, None)), Ok((0, 20)));
        assert_eq!(
            window(50, &args(Some(10), Some(9), None, None)),
            Ok((10, 20))
        );
        assert_eq!(window(50, &args(None, None, Some(5), None)), Ok((45, 50)));
        assert_eq!(
            window(50, &args(None, None, Some(5), Some(45))),
            Ok((40, 45))
        );
        assert_eq!(
            window(50, &args(Some(3), Some(48), None, None)),
            Ok((49, 50))
        );
        assert_eq!(window(5, &args(Some(3), Some(10), None, None)), Ok((5, 5)));
        assert_eq!(window(0, &args(None, None, None, None)), Ok((0, 0)));
    }

    #[test]
    fn a_page_keeps_every_key_only_when_its_cursors_are_asked_for() {
        let around = || Around {
            previous: false,
            next: true,
            total: Total::Known(9),
        };
        let lean = super::page((0..5usize).collect(), &Numbers, around(), false, |n| {
            n as i32
        });
        let kept: Vec<bool> = lean.edges.iter().map(|e| e.key.is_some()).collect();
        assert_eq!(kept, [true, false, false, false, true]);
        let info = lean.info();
        assert_eq!(info.start, Some(Numbers.write(&0).as_slice()));
        assert_eq!(info.end, Some(Numbers.write(&4).as_slice()));
        let full = super::page((0..5usize).collect(), &Numbers, around(), true, |n| {
            n as i32
        });
        assert!(full.edges.iter().all(|e| e.key.is_some()));
        let one = super::page(vec![7usize], &Numbers, around(), false, |n| n as i32);
        assert_eq!(
            one.edges[0].key.as_deref(),
            Some(Numbers.write(&7).as_slice())
        );
    }

    #[test]
    fn the_sizes_in_force_decide_the_default_and_the_cap() {
        let small = PageArgs {
            sizes: PageSizes { default: 3, max: 5 },
            ..args(None, None, None, None)
        };
        assert_eq!(window(50, &small), Ok((0, 3)));
        let over = PageArgs {
            first: Some(6),
            ..small
        };
        assert_eq!(
            window(50, &over),
            Err(ApiError::PageSizeExceeded {
                requested: 6,
                max: 5
            })
        );
    }

    #[test]
    fn refuses_oversized_negative_and_forged_pages() {
        assert_eq!(
            window(5, &args(Some(101), None, None, None)),
            Err(ApiError::PageSizeExceeded {
                requested: 101,
                max: 100
            })
        );
        assert!(matches!(
            window(5, &args(None, None, Some(-1), None)),
            Err(ApiError::BadUserInput(_))
        ));
        let forged = PageArgs {
            after: Some("not-a-cursor".into()),
            ..args(None, None, None, None)
        };
        assert!(matches!(window(5, &forged), Err(ApiError::BadUserInput(_))));
        assert_eq!(decode(&Numbers, "after", &cursor(7)), Ok(7));
    }

    /// Commitments `commitment:<name>` from Japan to the US, each with its amount in USD
    /// (or none).
    fn pledges(list: &[(&str, Option<&str>)]) -> KnowledgeGraph {
        let ids: Vec<String> = list
            .iter()
            .map(|(n, _)| format!("commitment:{n}"))
            .collect();
        pledge_graph(
            list.iter()
                .zip(&ids)
                .map(|((_, amount), id)| Pledge {
                    id,
                    by: "country:jp",
                    to: "country:us",
                    kind: CommitmentKind::Investment,
                    amount: amount.map(|a| money(a, "USD")),
                    period: Period::OneOff,
                    part_of: None,
                })
                .collect(),
        )
    }

    fn amount(descending: bool) -> Vec<Order> {
        vec![Order {
            field: FilterField::Amount,
            descending,
        }]
    }

    /// A page of a graph's commitments in `order`: the names on it, its start and end
    /// cursors, and whether more come before and after.
    struct Seen {
        names: Vec<String>,
        start: Option<String>,
        end: Option<String>,
        previous: bool,
        next: bool,
    }

    impl From<Page<String>> for Seen {
        fn from(page: Page<String>) -> Self {
            let info = page.info();
            let cursor = |key: Option<&[Option<Atom>]>| key.map(|k| encode(info.ordering, k));
            let (start, end) = (cursor(info.start), cursor(info.end));
            let (previous, next) = (info.previous, info.next);
            Seen {
                names: page.edges.into_iter().map(|e| e.node).collect(),
                start,
                end,
                previous,
                next,
            }
        }
    }

    fn page(g: &KnowledgeGraph, order: &[Order], args: &PageArgs) -> Result<Seen, ApiError> {
        let sort = Sort::new(order);
        let items: Vec<(&crate::model::Node, ())> = g
            .list_by(NodeKind::Commitment, &Filter::default(), &sort, None)
            .into_iter()
            .map(|n| (n, ()))
            .collect();
        let keyset = NodeOrder {
            kind: NodeKind::Commitment,
            sort: &sort,
            as_of: None,
        };
        let compare = |(n, _): &(&crate::model::Node, ()), key: &crate::graph::SortKey<'static>| {
            sort.compare(&sort.key(n, None), key)
        };
        let page = paginate(items, &keyset, args, compare, |(n, _)| {
            short(g, n).unwrap_or_default()
        })?;
        Ok(Seen::from(page))
    }

    /// The name of a commitment, as the pages above show it.
    fn short(_: &KnowledgeGraph, n: &crate::model::Node) -> Option<String> {
        Some(n.id.as_str().trim_start_matches("commitment:").to_string())
    }

    /// [`page`], the page found by the graph as the API's lists find theirs: every
    /// commitment, or (the same ones) Japan's, which its book holds.
    fn found(
        g: &KnowledgeGraph,
        by_japan: bool,
        order: &[Order],
        args: &PageArgs,
    ) -> Result<Seen, ApiError> {
        let filter = if by_japan {
            let japan = Value::Id(EntityId::parse("country:jp").unwrap());
            Filter::Test(FilterField::Pledger, crate::graph::Op::Eq(japan))
        } else {
            Filter::default()
        };
        let page = crate::api::objects::page_of(
            g,
            NodeKind::Commitment,
            &filter,
            order,
            None,
            short,
            args.clone(),
        )
        .map_err(|e| ApiError::BadUserInput(e.message))?;
        Ok(Seen::from(page))
    }

    #[test]
    fn a_page_the_graph_finds_is_the_page_cut_from_the_whole_list_with_the_same_cursors() {
        let g = pledges(&FIVE);
        let mut more = FIVE.to_vec();
        more.extend([("f", Some("1000")), ("ba", Some("500")), ("h", None)]);
        let grown = pledges(&more);
        for order in [amount(true), amount(false), Vec::new()] {
            let mut cursors = vec![None];
            for n in 1..=5 {
                let p = page(&g, &order, &args(Some(n), None, None, None)).unwrap();
                cursors.push(p.end);
            }
            for after_cursor in &cursors {
                for before_cursor in &cursors {
                    for (first, last) in [
                        (None, None),
                        (Some(0), None),
                        (Some(2), None),
                        (None, Some(2)),
                        (Some(3), Some(1)),
                        (None, Some(0)),
                    ] {
                        let asked = PageArgs {
                            after: after_cursor.clone(),
                            before: before_cursor.clone(),
                            first,
                            last,
                            sizes: SIZES,
                            cursors: true,
                            items: true,
                        };
                        for (graph, by_japan) in [(&g, false), (&g, true), (&grown, true)] {
                            let cut = page(graph, &order, &asked).unwrap();
                            let got = found(graph, by_japan, &order, &asked).unwrap();
                            let same = (&got.names, &got.start, &got.end, got.previous, got.next)
                                == (&cut.names, &cut.start, &cut.end, cut.previous, cut.next);
                            assert!(
                                same,
                                "{order:?} {asked:?}: {:?} != {:?}",
                                got.names, cut.names
                            );
                        }
                    }
                }
            }
        }
        let refused = found(&g, true, &[], &after(&Some("not a cursor".into()), 1));
        assert!(
            matches!(refused, Err(ApiError::BadUserInput(m)) if m.contains("not a valid cursor"))
        );
    }

    fn after(cursor: &Option<String>, first: i32) -> PageArgs {
        PageArgs {
            after: cursor.clone(),
            first: Some(first),
            ..args(None, None, None, None)
        }
    }

    fn before(cursor: &Option<String>, last: i32) -> PageArgs {
        PageArgs {
            before: cursor.clone(),
            last: Some(last),
            ..args(None, None, None, None)
        }
    }

    /// Five pledges; by amount descending: e 900, b 500, c 500, a 100, d none.
    const FIVE: [(&str, Option<&str>); 5] = [
        ("a", Some("100")),
        ("b", Some("500")),
        ("c", Some("500")),
        ("d", None),
        ("e", Some("900")),
    ];

    #[test]
    fn a_cursor_keeps_its_place_when_items_are_added_before_and_after_it() {
        let a = pledges(&FIVE);
        let desc = amount(true);
        let one = page(&a, &desc, &after(&None, 2)).unwrap();
        assert_eq!(one.names, ["e", "b"]);
        // Added: one before the cursor (a larger amount), one tying with it and before it
        // by id, one tying and after it by id, one after it, one with no amount.
        let mut more = FIVE.to_vec();
        more.extend([
            ("f", Some("1000")),
            ("ba", Some("500")),
            ("bb", Some("500")),
            ("g", Some("200")),
            ("h", None),
        ]);
        let b = pledges(&more);
        assert_eq!(
            page(&b, &desc, &args(Some(100), None, None, None))
                .unwrap()
                .names,
            ["f", "e", "b", "ba", "bb", "c", "g", "a", "d", "h"]
        );
        let two = page(&b, &desc, &after(&one.end, 100)).unwrap();
        assert_eq!(two.names, ["ba", "bb", "c", "g", "a", "d", "h"]);
        assert!(two.previous && !two.next);
        // And backwards from the second page's first item, on the grown list.
        let back = page(&b, &desc, &before(&two.start, 100)).unwrap();
        assert_eq!(back.names, ["f", "e", "b"]);
        assert!(!back.previous && back.next);
    }

    #[test]
    fn a_cursor_whose_item_is_gone_or_has_moved_resumes_where_its_key_was() {
        let desc = amount(true);
        let one = page(&pledges(&FIVE), &desc, &after(&None, 2)).unwrap();
        assert_eq!(one.names, ["e", "b"]);
        // `b` removed: the next page starts right after where it was.
        let without_b: Vec<_> = FIVE.iter().copied().filter(|(n, _)| *n != "b").collect();
        let two = page(&pledges(&without_b), &desc, &after(&one.end, 100)).unwrap();
        assert_eq!(two.names, ["c", "a", "d"]);
        let back = page(&pledges(&without_b), &desc, &before(&one.end, 100)).unwrap();
        assert_eq!(back.names, ["e"]);
        // `b` revised down to 50: it moves behind `a`, and nothing else is skipped or repeated.
        let moved: Vec<_> = FIVE
            .iter()
            .map(|&(n, a)| if n == "b" { (n, Some("50")) } else { (n, a) })
            .collect();
        let two = page(&pledges(&moved), &desc, &after(&one.end, 100)).unwrap();
        assert_eq!(two.names, ["c", "a", "b", "d"]);
    }

    #[test]
    fn missing_values_stay_last_and_ties_break_by_id_in_both_directions() {
        let g = pledges(&FIVE);
        for (descending, all) in [
            (false, ["a", "b", "c", "e", "d"]),
            (true, ["e", "b", "c", "a", "d"]),
        ] {
            let order = amount(descending);
            let mut seen = Vec::new();
            let mut cursor = None;
            loop {
                let p = page(&g, &order, &after(&cursor, 1)).unwrap();
                seen.extend(p.names);
                if !p.next {
                    break;
                }
                cursor = p.end;
            }
            assert_eq!(seen, all, "descending: {descending}");
        }
        // A cursor on the item with no amount: nothing after it, everything before it.
        let asc = amount(false);
        let last = page(&g, &asc, &before(&None, 1)).unwrap();
        assert_eq!(last.names, ["d"]);
        assert!(
            page(&g, &asc, &after(&last.end, 5))
                .unwrap()
                .names
                .is_empty()
        );
        assert_eq!(
            page(&g, &asc, &before(&last.end, 5)).unwrap().names,
            ["a", "b", "c", "e"]
        );
    }

    #[test]
    fn a_cursor_of_another_ordering_or_list_is_refused() {
        let g = pledges(&FIVE);
        let by_amount = page(&g, &amount(true), &after(&None, 1)).unwrap();
        let by_id = page(&g, &[], &after(&by_amount.end, 1));
        let Err(ApiError::BadUserInput(message)) = by_id else {
            panic!("a cursor of another ordering must be refused");
        };
        assert!(
            message.contains("Commitment list ordered by amount desc")
                && message.contains("Commitment list ordered by id"),
            "{message}"
        );
        assert!(message.contains("orderBy"), "says what to do: {message}");
        assert!(matches!(
            page(&g, &amount(false), &before(&by_amount.end, 1)),
            Err(ApiError::BadUserInput(_))
        ));
        let numbers = PageArgs {
            after: Some(cursor(1)),
            ..args(None, None, None, None)
        };
        assert!(matches!(
            page(&g, &[], &numbers),
            Err(ApiError::BadUserInput(_))
        ));
        // An ordering by id asked explicitly is the default one.
        let by_id = [Order {
            field: FilterField::Id,
            descending: false,
        }];
        let first = page(&g, &[], &after(&None, 1)).unwrap();
        assert_eq!(
            page(&g, &by_id, &after(&first.end, 1)).unwrap().names,
            ["b"]
        );
    }

    #[test]
    fn garbled_forged_and_old_cursors_are_refused_with_a_reason() {
        let g = pledges(&FIVE);
        let b64 = |s: &str| Some(URL_SAFE_NO_PAD.encode(s));
        let refused = |cursor: Option<String>| -> String {
            match page(&g, &amount(true), &after(&cursor, 1)) {
                Err(ApiError::BadUserInput(m)) => m,
                other => panic!(
                    "{cursor:?} must be refused, got {:?}",
                    other.map(|p| p.names)
                ),
            }
        };
        let ordering = "Commitment list ordered by amount desc";
        let ok = format!(
            r#"k1:{{"o":"{ordering}","k":[{{"s":"USD"}},{{"d":"500"}},{{"i":"commitment:b"}}]}}"#
        );
        assert_eq!(
            page(&g, &amount(true), &after(&b64(&ok), 5)).unwrap().names,
            ["c", "a", "d"]
        );
        for bad in [
            Some("not a cursor!".to_string()),
            b64("k1:{"),
            b64("k2:{}"),
            Some(URL_SAFE_NO_PAD.encode([0xff, 0xfe])),
            b64(&format!(
                r#"k1:{{"o":"{ordering}","k":[{{"i":"commitment:b"}}]}}"#
            )),
            b64(&format!(
                r#"k1:{{"o":"{ordering}","k":[{{"s":"USD"}},{{"d":500.5}},{{"i":"commitment:b"}}]}}"#
            )),
            b64(&format!(
                r#"k1:{{"o":"{ordering}","k":[{{"s":"USD"}},{{"d":"5e2"}},{{"i":"commitment:b"}}]}}"#
            )),
            b64(&format!(
                r#"k1:{{"o":"{ordering}","k":[{{"s":"USD"}},{{"d":"500"}},{{"i":"not an id"}}]}}"#
            )),
            b64(&format!(
                r#"k1:{{"o":"{ordering}","k":[{{"s":"USD"}},{{"d":"500"}},null]}}"#
            )),
            b64(&format!(
                r#"k1:{{"o":"{ordering}","k":[{{"s":"USD"}},{{"s":"500"}},{{"i":"commitment:b"}}]}}"#
            )),
        ] {
            assert!(refused(bad).contains("not a valid cursor"));
        }
        let old = refused(b64("at:3"));
        assert!(
            old.contains("older version") && old.contains("first page"),
            "{old}"
        );
    }

    #[test]
    fn a_cursor_writes_decimals_and_ids_as_exact_text() {
        let g = pledges(&[("a", Some("0.1")), ("b", Some("12345678901234567890.25"))]);
        let p = page(&g, &amount(false), &args(Some(2), None, None, None)).unwrap();
        let text = |c: Option<String>| {
            String::from_utf8(URL_SAFE_NO_PAD.decode(c.unwrap_or_default()).unwrap()).unwrap()
        };
        assert_eq!(
            text(p.start),
            r#"k1:{"o":"Commitment list ordered by amount","k":[{"s":"USD"},{"d":"0.1"},{"i":"commitment:a"}]}"#
        );
        assert!(text(p.end).contains(r#"{"d":"12345678901234567890.25"}"#));
    }
}

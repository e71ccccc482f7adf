//! Relay cursor connections over any list: `first`/`after`, `last`/`before`,
//! `pageInfo`, `totalCount`, a default page and a hard cap.

use std::borrow::Cow;

use async_graphql::connection::CursorType;
use async_graphql::{Context, Object, OutputType, SimpleObject, TypeName};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::error::ApiError;

/// A position in a list. Cursors stay valid while the graph does not change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor(usize);

impl CursorType for Cursor {
    type Error = ApiError;

    fn decode_cursor(s: &str) -> Result<Self, ApiError> {
        let bad = || {
            ApiError::BadUserInput(format!(
                "invalid cursor `{s}`: use a cursor from a previous page"
            ))
        };
        let bytes = URL_SAFE_NO_PAD.decode(s).map_err(|_| bad())?;
        let text = String::from_utf8(bytes).map_err(|_| bad())?;
        let n = text
            .strip_prefix("at:")
            .and_then(|n| n.parse().ok())
            .ok_or_else(bad)?;
        Ok(Cursor(n))
    }

    fn encode_cursor(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("at:{}", self.0))
    }
}

/// Where a page sits in its list.
#[derive(SimpleObject, Debug, Clone)]
pub struct PageInfo {
    /// True when items come before this page.
    pub has_previous_page: bool,
    /// True when items come after this page.
    pub has_next_page: bool,
    /// The cursor of the page's first item.
    pub start_cursor: Option<String>,
    /// The cursor of the page's last item.
    pub end_cursor: Option<String>,
}

/// One item of a page and its cursor.
pub struct PageEdge<T> {
    cursor: Cursor,
    node: T,
}

/// An item of a list and its cursor, to page from.
#[Object(name_type)]
impl<T: OutputType> PageEdge<T> {
    /// The item's position, for `after` and `before`.
    async fn cursor(&self) -> String {
        self.cursor.encode_cursor()
    }

    /// The item.
    async fn node(&self) -> &T {
        &self.node
    }
}

impl<T: OutputType> TypeName for PageEdge<T> {
    fn type_name() -> Cow<'static, str> {
        format!("{}Edge", T::type_name()).into()
    }
}

/// A page of a list, as a Relay cursor connection.
pub struct Page<T> {
    edges: Vec<PageEdge<T>>,
    info: PageInfo,
    total: usize,
}

/// One page of a list (a Relay cursor connection): its items with their
/// cursors, where the page sits, and how many items the whole list holds.
#[Object(name_type)]
impl<T: OutputType> Page<T> {
    /// The items of the page with their cursors.
    async fn edges(&self) -> &[PageEdge<T>] {
        &self.edges
    }

    /// The items of the page, without cursors.
    async fn nodes(&self) -> Vec<&T> {
        self.edges.iter().map(|e| &e.node).collect()
    }

    /// Where the page sits in the list.
    async fn page_info(&self) -> &PageInfo {
        &self.info
    }

    /// How many items match, across all pages.
    async fn total_count(&self) -> usize {
        self.total
    }
}

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
        Ok(PageArgs {
            after,
            before,
            first,
            last,
            sizes: PageSizes::of(ctx)?,
        })
    }
}

/// The window `[start, end)` of a list of `total` items that the arguments select.
pub fn window(total: usize, args: &PageArgs) -> Result<(usize, usize), ApiError> {
    let first = args.sizes.check(args.first, "first")?;
    let last = args.sizes.check(args.last, "last")?;
    let mut start = 0;
    let mut end = total;
    if let Some(after) = &args.after {
        start = (Cursor::decode_cursor(after)?.0 + 1).min(total);
    }
    if let Some(before) = &args.before {
        end = Cursor::decode_cursor(before)?.0.min(total);
    }
    end = end.max(start);
    if let Some(first) = first {
        end = end.min(start + first);
    }
    if let Some(last) = last {
        start = start.max(end.saturating_sub(last));
    }
    if first.is_none() && last.is_none() {
        end = end.min(start + args.sizes.default);
    }
    Ok((start, end))
}

/// One page of `items`, each wrapped for the API.
pub fn paginate<I, T: OutputType>(
    items: Vec<I>,
    args: &PageArgs,
    wrap: impl Fn(I) -> T,
) -> Result<Page<T>, ApiError> {
    let total = items.len();
    let (start, end) = window(total, args)?;
    let edges: Vec<PageEdge<T>> = items
        .into_iter()
        .enumerate()
        .skip(start)
        .take(end - start)
        .map(|(i, item)| PageEdge {
            cursor: Cursor(i),
            node: wrap(item),
        })
        .collect();
    let info = PageInfo {
        has_previous_page: start > 0,
        has_next_page: end < total,
        start_cursor: edges.first().map(|e| e.cursor.encode_cursor()),
        end_cursor: edges.last().map(|e| e.cursor.encode_cursor()),
    };
    Ok(Page { edges, info, total })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(
        first: Option<i32>,
        after: Option<usize>,
        last: Option<i32>,
        before: Option<usize>,
    ) -> PageArgs {
        let c = |n: Option<usize>| n.map(|n| Cursor(n).encode_cursor());
        PageArgs {
            first,
            after: c(after),
            last,
            before: c(before),
            sizes: SIZES,
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
        assert_eq!(
            Cursor::decode_cursor(&Cursor(7).encode_cursor()),
            Ok(Cursor(7))
        );
    }
}

//! The `limits` root field: the limits in force on this server, as configured, so a
//! client can read what the schema's descriptions name by their setting.

use async_graphql::{Context, Object};

use crate::app::Config;

/// The `limits` root field.
#[derive(Default)]
pub struct LimitsQuery;

#[Object]
impl LimitsQuery {
    /// The limits in force on this server. Argument descriptions name them by their
    /// setting (`max_page_size`) and give the default; these are the values configured.
    async fn limits<'a>(&self, ctx: &Context<'a>) -> async_graphql::Result<Limits<'a>> {
        Ok(Limits(super::app(ctx)?.config()))
    }
}

/// The limits in force, each named after its setting (`maxPageSize` is `max_page_size`,
/// set by `--max-page-size` or `PLEDGEGRAPH_MAX_PAGE_SIZE`).
pub struct Limits<'a>(&'a Config);

/// A configured number as a GraphQL `Int` (the configuration keeps them in range).
fn int(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The limits in force, each named after its setting (`maxPageSize` is `max_page_size`,
/// set by `--max-page-size` or `PLEDGEGRAPH_MAX_PAGE_SIZE`).
#[Object]
impl Limits<'_> {
    /// The largest request body, in bytes (`max_body_bytes`); larger is refused with
    /// HTTP 413 and `DOCUMENT_TOO_LARGE`.
    async fn max_body_bytes(&self) -> i32 {
        int(self.0.max_body_bytes)
    }

    /// Items on a page of a connection when neither `first` nor `last` is given
    /// (`default_page_size`).
    async fn default_page_size(&self) -> i32 {
        int(self.0.default_page_size)
    }

    /// The most items one page, or one `search`, may hold (`max_page_size`); more is
    /// `PAGE_SIZE_EXCEEDED`.
    async fn max_page_size(&self) -> i32 {
        int(self.0.max_page_size)
    }

    /// The longest document, in characters (`max_document_chars`); longer is
    /// `DOCUMENT_TOO_LARGE`.
    async fn max_document_chars(&self) -> i32 {
        int(self.0.max_document_chars)
    }

    /// The deepest a query may nest data fields, introspection not counted
    /// (`max_query_depth`); deeper is `MAX_DEPTH_EXCEEDED`.
    async fn max_query_depth(&self) -> i32 {
        int(self.0.max_query_depth)
    }

    /// The most aliased fields one operation may have (`max_aliases`); more is
    /// `TOO_MANY_ALIASES`.
    async fn max_aliases(&self) -> i32 {
        int(self.0.max_aliases)
    }

    /// The most fields an operation may select at its root (`max_root_fields`); more is
    /// `TOO_MANY_ROOT_FIELDS`.
    async fn max_root_fields(&self) -> i32 {
        int(self.0.max_root_fields)
    }

    /// The most directives one field may carry (`max_directives_per_field`); more is
    /// `TOO_MANY_DIRECTIVES`.
    async fn max_directives_per_field(&self) -> i32 {
        int(self.0.max_directives_per_field)
    }

    /// The most directives one document may carry (`max_directives`); more is
    /// `TOO_MANY_DIRECTIVES`.
    async fn max_directives(&self) -> i32 {
        int(self.0.max_directives)
    }

    /// The most operations one batched request may hold (`max_batch`; 0: batching is off);
    /// more is `BATCH_TOO_LARGE`.
    async fn max_batch(&self) -> i32 {
        int(self.0.max_batch)
    }

    /// The most work one operation may ask for, counted before it runs (`max_complexity`):
    /// each field costs 1, times the items of every list it is in (a page its `first` or
    /// `last`, or `defaultPageSize`; a `limit` its value; another list 20). More is
    /// `COMPLEXITY_EXCEEDED`.
    async fn max_complexity(&self) -> i32 {
        int(self.0.max_complexity)
    }

    /// The configured `field_budget`, which no longer has any effect: the work of a request
    /// is limited before it runs, by `maxComplexity`.
    #[graphql(
        deprecation = "no effect: the work of a request is limited before it runs by `maxComplexity`"
    )]
    async fn field_budget(&self) -> i32 {
        int(self.0.field_budget)
    }

    /// The most steps out `neighborhood(depth:)` may go (`max_neighborhood_depth`).
    async fn max_neighborhood_depth(&self) -> i32 {
        int(self.0.max_neighborhood_depth)
    }

    /// The most nodes one `neighborhood` may hold (`max_neighborhood_nodes`).
    async fn max_neighborhood_nodes(&self) -> i32 {
        int(self.0.max_neighborhood_nodes)
    }

    /// The most edges a path of `paths` may have (`max_path_length`).
    async fn max_path_length(&self) -> i32 {
        int(self.0.max_path_length)
    }

    /// The most paths one `paths` request may ask for (`max_paths`).
    async fn max_paths(&self) -> i32 {
        int(self.0.max_paths)
    }

    /// The most nodes one `paths` request may visit (`path_work_budget`); more is
    /// `WORK_BUDGET_EXCEEDED`.
    async fn path_work_budget(&self) -> i32 {
        int(self.0.path_work_budget)
    }

    /// Only this many characters of a `search` text are read (`max_search_chars`).
    async fn max_search_chars(&self) -> i32 {
        int(self.0.max_search_chars)
    }

    /// Only this many words of a `search` text are read (`max_search_words`).
    async fn max_search_words(&self) -> i32 {
        int(self.0.max_search_words)
    }
}

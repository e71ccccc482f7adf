//! The one configuration: every setting and limit the server has, with documented
//! defaults, set by an optional TOML file, `PLEDGEGRAPH_*` environment variables and
//! command-line flags (each later one wins), and where each value came from.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use super::networks::Networks;
use crate::graph::Bounds;

/// The prefix of the environment variables that set a key (`max_page_size` is
/// `PLEDGEGRAPH_MAX_PAGE_SIZE`).
pub const ENV_PREFIX: &str = "PLEDGEGRAPH_";
/// The environment variable that names the configuration file, like `--config`.
pub const ENV_CONFIG_FILE: &str = "PLEDGEGRAPH_CONFIG";

/// Declares the settings once: the struct, and the table of keys with their docs that the
/// loader, the command line, `pledgegraph config` and the README are built from. A numeric
/// setting names the range it must lie in.
macro_rules! settings {
    ($($(#[doc = $doc:literal])+ $key:ident: $ty:ty $([$lo:expr, $hi:expr])?,)+) => {
        /// Every setting and limit of the server. [`Config::default`] says why each default.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct Config {
            $($(#[doc = $doc])+ pub $key: $ty,)+
        }

        /// The keys, in the order they are documented.
        pub const KEYS: &[Key] = &[$(Key {
            name: stringify!($key),
            doc: concat!($($doc, "\n"),+),
            range: settings!(@range $($lo, $hi)?),
            value: <$ty as Setting>::VALUE,
        },)+];

        impl Config {
            /// Sets `key` from its text (an environment variable or a flag).
            fn set_text(&mut self, key: &str, text: &str) -> Result<(), String> {
                match key {
                    $(stringify!($key) => self.$key = Setting::from_text(text)?,)+
                    _ => return Err(format!("`{key}` is not a setting")),
                }
                Ok(())
            }

            /// Sets `key` from a value of the configuration file.
            fn set_toml(&mut self, key: &str, value: &DeValue<'_>) -> Result<(), String> {
                match key {
                    $(stringify!($key) => self.$key = Setting::from_toml(value)?,)+
                    _ => return Err(format!("`{key}` is not a setting")),
                }
                Ok(())
            }

            /// The value of `key` as text, as `pledgegraph config` prints it.
            pub fn value_text(&self, key: &str) -> Option<String> {
                match key {
                    $(stringify!($key) => Some(self.$key.to_text()),)+
                    _ => None,
                }
            }

            /// The number `key` holds, for range checks (`None` for non-numbers).
            fn number(&self, key: &str) -> Option<usize> {
                match key {
                    $(stringify!($key) => self.$key.as_number(),)+
                    _ => None,
                }
            }
        }
    };
    (@range $lo:expr, $hi:expr) => { Some(($lo, $hi)) };
    (@range) => { None };
}

settings! {
    /// Where the server listens (`HOST:PORT`); port 0 picks a free port.
    addr: SocketAddr,
    /// The seed directory: the TOML files of the curated graph.
    seed: PathBuf,
    /// The data directory, created on first start: the durable change log (SQLite) that
    /// is applied to the seed's graph at start. Empty: none, and the graph is the seed's.
    data_dir: Option<PathBuf>,
    /// The shared store instead of a data directory: a PostgreSQL URL
    /// (`postgres://USER@HOST:PORT/DATABASE`, `?sslmode=require` for TLS; the password
    /// best in `PGPASSWORD` or `~/.pgpass`, as `pledgegraph config` hides one in the URL).
    /// Every server given the same database is a replica: it replays the change log at
    /// start, then follows it, and its writes reach every other. Not with `data_dir`.
    /// Empty: none.
    store: Option<StoreUrl>,
    /// The sources directory: the text files of the document sources (a source's `file`),
    /// read at start so `Source.text` and `Citation.text` can answer, and where a write's
    /// new document is put; a document is at most `max_body_bytes` long. Empty:
    /// `DATA_DIR/sources` with a `data_dir`, else none.
    sources_dir: Option<PathBuf>,
    /// The editors' tokens file (TOML: `[[editor]] name = "…", token_sha256 = "…"`, made
    /// with `pledgegraph token new`); writes are taken only with one of its tokens, and
    /// only with a `data_dir` or a `store`. Empty: none, and the server takes no writes.
    tokens_file: Option<PathBuf>,
    /// The largest request body, in bytes; a larger one is refused with HTTP 413 and
    /// `DOCUMENT_TOO_LARGE` before it is read.
    max_body_bytes: usize [1024, 1 << 30],
    /// Items on a page of a connection when neither `first` nor `last` is given; at most
    /// `max_page_size` (lowered to it when not set).
    default_page_size: usize [1, 10_000],
    /// The most items one page of a connection (or one `search`) may hold; `first` or `last`
    /// above it fails with `PAGE_SIZE_EXCEEDED`.
    max_page_size: usize [1, 10_000],
    /// The longest GraphQL document, in characters; a longer one is refused with
    /// `DOCUMENT_TOO_LARGE` before it is parsed.
    max_document_chars: usize [100, 1_000_000],
    /// The deepest a query may nest data fields (introspection is not counted); deeper is
    /// refused with `MAX_DEPTH_EXCEEDED` before it runs.
    max_query_depth: usize [1, 1_000],
    /// The most aliased fields one operation may have; more is refused with
    /// `TOO_MANY_ALIASES` before it runs.
    max_aliases: usize [0, 10_000],
    /// The most fields an operation may select at its root; more is refused with
    /// `TOO_MANY_ROOT_FIELDS` before it runs.
    max_root_fields: usize [1, 1_000],
    /// The most directives one field may carry; more is refused with `TOO_MANY_DIRECTIVES`.
    max_directives_per_field: usize [0, 100],
    /// The most directives one document may carry; more is refused with
    /// `TOO_MANY_DIRECTIVES`.
    max_directives: usize [0, 10_000],
    /// The most operations one batched request (a JSON array) may hold; more is refused with
    /// `BATCH_TOO_LARGE`. 0: batching is off.
    max_batch: usize [0, 1_000],
    /// The most work one operation may ask for, counted before it runs: each field costs 1,
    /// times the items of every list it is in (a page costs its `first` or `last`, or
    /// `default_page_size`; a `limit` its value; another list 20). More is refused with
    /// `COMPLEXITY_EXCEEDED`.
    max_complexity: usize [1, 1_000_000_000],
    /// Deprecated, no effect: the work of a request is limited before it runs by
    /// `max_complexity`. Still accepted, so that a configuration setting it keeps loading.
    field_budget: usize [1, 100_000_000],
    /// The most steps out `neighborhood(depth:)` may go.
    max_neighborhood_depth: usize [1, 16],
    /// The most nodes one `neighborhood` may hold (`limit`); at least 200, the argument's
    /// default.
    max_neighborhood_nodes: usize [200, 1_000_000],
    /// The most edges a path of `paths(maxLength:)` may have; at least 4, the argument's
    /// default.
    max_path_length: usize [4, 32],
    /// The most paths one `paths` request may ask for (`limit`); at least 5, the argument's
    /// default.
    max_paths: usize [5, 1_000],
    /// The most nodes one `paths` request may visit; past it the request fails with
    /// `WORK_BUDGET_EXCEEDED`.
    path_work_budget: usize [1, 100_000_000],
    /// Only the first this many characters of a `search` text are read.
    max_search_chars: usize [16, 65_536],
    /// Only the first this many words of a `search` text are read.
    max_search_words: usize [1, 256],
    /// The origins (`https://app.example.org`, comma-separated) whose pages may call the
    /// API from a browser, and open the websocket. Empty: any origin may read, without
    /// credentials.
    cors_origins: Vec<String>,
    /// How long, in seconds, a client or a cache may reuse a `GET /graphql` answer
    /// (`Cache-Control: max-age`); 0: `no-cache`, it must ask again (a matching `ETag`
    /// costs a 304).
    http_cache_max_age: usize [0, 31_536_000],
    /// Bytes of memory for whole answers to repeated queries: a query sent again with the
    /// same bytes, to the same graph version on the same day, is answered without being run
    /// (a request with `Cache-Control: no-cache` is always run). 0: off.
    answer_cache_bytes: usize [0, 1 << 40],
    /// The most light requests (complexity up to `heavy_complexity`) served at once; past
    /// it a request is refused with HTTP 503, `SERVER_BUSY` and `Retry-After`.
    max_light_requests: usize [1, 100_000],
    /// The most heavy requests (complexity above `heavy_complexity`) admitted at once,
    /// running or waiting for a heavy worker; past it a heavy request is refused with HTTP
    /// 503, `SERVER_BUSY` and `Retry-After`. Light requests never wait for these.
    max_heavy_requests: usize [1, 100_000],
    /// The threads heavy requests run on, apart from the workers that serve light ones;
    /// 0: one per core.
    heavy_workers: usize [0, 1_024],
    /// The complexity (as `COMPLEXITY_EXCEEDED` counts it) above which a request is heavy.
    heavy_complexity: usize [1, 100_000_000],
    /// The longest a request may take, in milliseconds (a heavy one waiting and running);
    /// past it the client gets HTTP 504 and `TIMEOUT`. A query's reads of many entities
    /// (filters no index answers, counts, totals, timelines) stop there, whichever its
    /// lane; a heavy request keeps its slot until its work has stopped.
    request_timeout_ms: usize [10, 86_400_000],
    /// Requests each client (an IPv4 address, or an IPv6 /64) may make per second, on
    /// average; past it, HTTP 429 with `RATE_LIMITED` and `Retry-After`. 0: no limit.
    rate_limit_per_second: usize [0, 1_000_000],
    /// Requests a client may make at once above its rate before it is limited.
    rate_limit_burst: usize [1, 1_000_000],
    /// The proxies (addresses or networks, `10.0.0.0/8`, comma-separated) whose
    /// `X-Forwarded-For` names the client; from any other peer it is ignored. Empty: none.
    trusted_proxies: Networks,
    /// Whether the schema may be introspected (`__schema`, `__type`, and the federation
    /// SDL `_service`), as GraphiQL, code generators and routers do; `false` refuses it
    /// with `INTROSPECTION_DISABLED`.
    introspection: bool,
    /// Whether an unknown field's error suggests similar names ("Did you mean …"), which
    /// tells a stranger the schema's names even with introspection off.
    field_suggestions: bool,
    /// How the log is written to standard error: `text`, for people, or `json`, one
    /// object per line, for a log collector.
    log_format: LogFormat,
    /// On SIGTERM or SIGINT the server stops taking connections and lets the requests in
    /// flight finish for at most this many seconds before it exits.
    shutdown_timeout: usize [0, 3_600],
}

/// How the log is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Lines for people.
    Text,
    /// One JSON object per line.
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            // Loopback: a server is put on a network on purpose, not by default.
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            // The curated seed of the repository, run from its root.
            seed: PathBuf::from("seed"),
            // Read-only unless a data directory is chosen: nothing is written by surprise.
            data_dir: None,
            store: None,
            // Beside the change log when there is one: the documents writes add are kept
            // with the rest of the data.
            sources_dir: None,
            // No editors until they are named: a server takes no writes by surprise.
            tokens_file: None,
            // The explorer's largest request is a few KiB; a batch of dozens of queries fits
            // many times over, while a client cannot make the server buffer much.
            max_body_bytes: 1024 * 1024,
            // A screenful of list items, the size Relay clients usually ask for.
            default_page_size: 20,
            // Enough for a table or a picker; past it, page.
            max_page_size: 100,
            // The explorer's largest request is about 2,000 characters and GraphiQL's
            // introspection query about 1,700; a page of hand-written GraphQL is a few
            // thousand.
            max_document_chars: 15_000,
            // The explorer's and the playground's deepest queries nest about 10 data fields.
            max_query_depth: 12,
            // A table of a few dozen columns under other names; hundreds are an attack.
            max_aliases: 30,
            // A dashboard asks for a dozen lists at once.
            max_root_fields: 20,
            // `@include` and `@skip` together, with room to spare.
            max_directives_per_field: 5,
            max_directives: 50,
            // A client batching the queries of one screen sends a handful.
            max_batch: 5,
            // The largest neighbourhood (2,000 nodes and their edges, drawn with a dozen
            // fields) costs under 100,000, and a page of 100 with a nested page of 100
            // each under 250,000 with a dozen fields; a page of 100 with three nested
            // lists of 100 (100,000,000 items) is refused.
            max_complexity: 1_000_000,
            // No effect (see `max_complexity`); the value it had.
            field_budget: 250_000,
            // Four steps from one country reach most of a trade graph; past it, the answer
            // is the node cap, not a picture.
            max_neighborhood_depth: 4,
            // The explorer stays readable, and lays out in about a second, to 1,000 nodes.
            max_neighborhood_nodes: 2000,
            // Six steps link almost any two entities; longer paths explain nothing.
            max_path_length: 6,
            // A handful of paths answers "how are these linked"; twenty is a list to read.
            max_paths: 20,
            // 100,000 visits answer any path question on a graph of a million entities in
            // well under a second, and no more.
            path_work_budget: 100_000,
            // A name, a title or a sentence; a longer text is not a search.
            max_search_chars: 512,
            // Names run to a few words; every word costs index lookups.
            max_search_words: 16,
            // Frontends are built on dev servers of their own origin; the reads are public
            // and no browser sends the bearer token on its own, so any origin may read.
            cors_origins: Vec::new(),
            // The graph changes with every write: ask again each time, and let the ETag
            // make the repeat cheap.
            http_cache_max_age: 0,
            answer_cache_bytes: 64 << 20,
            // Light requests take microseconds: a thousand at once is a flood, not a load.
            max_light_requests: 1_000,
            // Fifty heavy answers in memory at once, a few megabytes each, while they
            // share the heavy workers' cores.
            max_heavy_requests: 50,
            // Heavy work uses every core; the light workers keep their share of each.
            heavy_workers: 0,
            // A page of a hundred with a dozen fields (about 1,200), or a neighbourhood of
            // 200 nodes as the explorer draws it (about 3,600): what a screen shows is
            // light; the largest neighbourhood (about 36,000) is heavy.
            heavy_complexity: 10_000,
            // Heavy queries answer in milliseconds to a second; ten seconds is a stuck one.
            request_timeout_ms: 10_000,
            // A browser page makes tens of requests at once and a few a second after; a
            // client at fifty a second for long is a script.
            rate_limit_per_second: 50,
            rate_limit_burst: 500,
            // Nobody's X-Forwarded-For is believed until its proxy is named.
            trusted_proxies: Networks::default(),
            // The playground, the explorer and client code generators introspect: a public
            // read API has no schema to hide.
            introspection: true,
            // Suggestions help a developer once and help a prober every time; the error
            // still names the unknown field.
            field_suggestions: false,
            // A terminal is read by a person; `json` is one switch away for a collector.
            log_format: LogFormat::Text,
            // A request finishes within its timeout; the explorer's largest well under it.
            shutdown_timeout: 30,
        }
    }
}

/// One key of the configuration.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    /// The key as the file spells it (`max_page_size`).
    pub name: &'static str,
    /// What it sets, in one or more lines.
    pub doc: &'static str,
    /// The range a number must lie in, inclusive.
    pub range: Option<(usize, usize)>,
    /// What its value looks like, as the command line names it (`N`, `true|false`).
    pub value: &'static str,
}

impl Key {
    /// The command-line flag (`--max-page-size`), without its dashes.
    pub fn flag(&self) -> String {
        self.name.replace('_', "-")
    }

    /// Whether it is a switch (`true` or `false`), which a flag alone turns on.
    pub fn is_switch(&self) -> bool {
        self.value == <bool as Setting>::VALUE
    }

    /// The environment variable (`PLEDGEGRAPH_MAX_PAGE_SIZE`).
    pub fn env(&self) -> String {
        format!("{ENV_PREFIX}{}", self.name.to_ascii_uppercase())
    }

    /// The doc as one line.
    pub fn summary(&self) -> String {
        self.doc.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The documented default.
    Default,
    /// The configuration file, at a line.
    File {
        /// The file.
        path: PathBuf,
        /// The 1-based line of the key.
        line: usize,
    },
    /// An environment variable.
    Env(String),
    /// A command-line flag.
    Flag(String),
    /// The default, lowered to the value of another key it may not exceed.
    LoweredTo(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File { path, line } => write!(f, "{}:{line}", path.display()),
            Origin::Env(var) => write!(f, "environment {var}"),
            Origin::Flag(flag) => write!(f, "flag --{flag}"),
            Origin::LoweredTo(key) => write!(f, "default, lowered to {key}"),
        }
    }
}

/// Why the configuration could not be loaded. Each names the key and where it was set.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The configuration file could not be read.
    #[error("cannot read the configuration file {}: {message}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The configuration file is not TOML.
    #[error("the configuration file {} is not valid TOML: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The parser's message, with the line.
        message: String,
    },
    /// A key that is not a setting.
    #[error(
        "unknown setting `{key}` ({origin}); the settings are: {}",
        known_keys()
    )]
    UnknownKey {
        /// The key as given.
        key: String,
        /// Where it was given.
        origin: Origin,
    },
    /// A value that is not of the key's type, or outside its range.
    #[error("bad value for `{key}` ({origin}): {message}")]
    BadValue {
        /// The key.
        key: String,
        /// Where the value was set.
        origin: Origin,
        /// What is wrong and what would do.
        message: String,
    },
}

fn known_keys() -> String {
    KEYS.iter().map(|k| k.name).collect::<Vec<_>>().join(", ")
}

/// What the configuration is loaded from besides the defaults.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The configuration file (`--config`, or `PLEDGEGRAPH_CONFIG`), if any.
    pub file: Option<PathBuf>,
    /// Environment variables (all of them; those starting with `PLEDGEGRAPH_` are read).
    pub env: Vec<(String, String)>,
    /// Flags, as (key, text), in the order given.
    pub flags: Vec<(String, String)>,
}

impl Sources {
    /// The process's environment, the given file and flags.
    pub fn from_process(file: Option<PathBuf>, flags: Vec<(String, String)>) -> Self {
        Sources {
            file,
            env: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
            flags,
        }
    }
}

/// The effective configuration and the origin of each of its values.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The configuration.
    pub config: Config,
    /// Where each key's value came from.
    pub origins: BTreeMap<&'static str, Origin>,
}

impl Loaded {
    /// Where `key`'s value came from.
    pub fn origin(&self, key: &str) -> &Origin {
        self.origins.get(key).unwrap_or(&Origin::Default)
    }

    /// The effective configuration as TOML, each value with its origin in a comment:
    /// what `pledgegraph config` prints, and a valid configuration file.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        for key in KEYS {
            for line in key.doc.lines() {
                out.push_str(&format!("#{}\n", if line.is_empty() { "" } else { line }));
            }
            let value = self.config.value_text(key.name).unwrap_or_default();
            out.push_str(&format!(
                "{} = {value}  # {}\n\n",
                key.name,
                self.origin(key.name)
            ));
        }
        out
    }
}

/// The settings as a Markdown table (key, flag, environment variable, default, meaning):
/// the README's, which a test holds to this.
pub fn markdown_table() -> String {
    let defaults = Config::default();
    let mut out = String::from(
        "| key | flag | environment | default | meaning |\n| --- | --- | --- | --- | --- |\n",
    );
    for key in KEYS {
        let default = defaults.value_text(key.name).unwrap_or_default();
        let default = match default.trim_matches('"') {
            "" | "[]" => "none".to_string(),
            text => format!("`{text}`"),
        };
        let range = key
            .range
            .map(|(lo, hi)| format!(" ({lo} to {hi})"))
            .unwrap_or_default();
        out.push_str(&format!(
            "| `{}` | `--{}` | `{}` | {default} | {}{range} |\n",
            key.name,
            key.flag(),
            key.env(),
            key.summary().replace('|', "\\|"),
        ));
    }
    out
}

impl Config {
    /// Loads the configuration: defaults, then the file, then the environment, then the
    /// flags. Stops at the first unknown key or bad value, naming it and where it was set.
    pub fn load(sources: &Sources) -> Result<Loaded, ConfigError> {
        let mut loaded = Loaded {
            config: Config::default(),
            origins: BTreeMap::new(),
        };
        let file = sources.file.clone().or_else(|| {
            sources
                .env
                .iter()
                .find(|(k, _)| k == ENV_CONFIG_FILE)
                .map(|(_, v)| PathBuf::from(v))
        });
        if let Some(path) = file {
            loaded.read_file(&path)?;
        }
        for (var, text) in &sources.env {
            let Some(rest) = var.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            if var == ENV_CONFIG_FILE {
                continue;
            }
            let key = rest.to_ascii_lowercase();
            loaded.set(&key, Origin::Env(var.clone()), |c, k| c.set_text(k, text))?;
        }
        for (key, text) in &sources.flags {
            let origin = Origin::Flag(key.replace('_', "-"));
            loaded.set(key, origin, |c, k| c.set_text(k, text))?;
        }
        loaded.settle()?;
        Ok(loaded)
    }

    /// The bounds the graph enforces on one question, from this configuration.
    pub fn bounds(&self) -> Bounds {
        Bounds {
            neighborhood_depth: self.max_neighborhood_depth,
            neighborhood_nodes: self.max_neighborhood_nodes,
            path_length: self.max_path_length,
            paths: self.max_paths,
            path_visits: self.path_work_budget,
            search_chars: self.max_search_chars,
            search_words: self.max_search_words,
        }
    }
}

impl Loaded {
    fn read_file(&mut self, path: &Path) -> Result<(), ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let table = DeTable::parse(&text).map_err(|e| ConfigError::Syntax {
            path: path.to_path_buf(),
            message: e.to_string().trim_end().to_string(),
        })?;
        for (key, value) in table.get_ref() {
            let line = text[..key.span().start].matches('\n').count() + 1;
            let origin = Origin::File {
                path: path.to_path_buf(),
                line,
            };
            self.set(key.get_ref(), origin, |c, k| c.set_toml(k, value.get_ref()))?;
        }
        Ok(())
    }

    /// Sets one key through `apply`, recording where it came from.
    fn set(
        &mut self,
        key: &str,
        origin: Origin,
        apply: impl FnOnce(&mut Config, &str) -> Result<(), String>,
    ) -> Result<(), ConfigError> {
        let Some(known) = KEYS.iter().find(|k| k.name == key) else {
            return Err(ConfigError::UnknownKey {
                key: match &origin {
                    Origin::Env(var) => var.clone(),
                    _ => key.to_string(),
                },
                origin,
            });
        };
        apply(&mut self.config, key).map_err(|message| ConfigError::BadValue {
            key: key.to_string(),
            origin: origin.clone(),
            message,
        })?;
        self.origins.insert(known.name, origin);
        Ok(())
    }

    /// Checks every range and the keys that depend on each other.
    fn settle(&mut self) -> Result<(), ConfigError> {
        let c = &mut self.config;
        // A default page left at its default follows a smaller largest page.
        if c.default_page_size > c.max_page_size && !self.origins.contains_key("default_page_size")
        {
            c.default_page_size = c.max_page_size;
            self.origins
                .insert("default_page_size", Origin::LoweredTo("max_page_size"));
        }
        for key in KEYS {
            let (Some((lo, hi)), Some(n)) = (key.range, self.config.number(key.name)) else {
                continue;
            };
            if n < lo || n > hi {
                return Err(ConfigError::BadValue {
                    key: key.name.to_string(),
                    origin: self.origin(key.name).clone(),
                    message: format!("{n} is out of range: use a whole number from {lo} to {hi}"),
                });
            }
        }
        let c = &self.config;
        if c.data_dir.is_some() && c.store.is_some() {
            return Err(ConfigError::BadValue {
                key: "store".into(),
                origin: self.origin("store").clone(),
                message: format!(
                    "a data directory is given too (`data_dir`, {}): the change log is kept in one place, give one of the two",
                    self.origin("data_dir")
                ),
            });
        }
        if c.default_page_size > c.max_page_size {
            return Err(ConfigError::BadValue {
                key: "default_page_size".into(),
                origin: self.origin("default_page_size").clone(),
                message: format!(
                    "{} is above max_page_size ({}): the default page cannot be larger than the largest",
                    c.default_page_size, c.max_page_size
                ),
            });
        }
        Ok(())
    }
}

/// A type a setting can hold: read from text (environment, flags) or TOML, shown as TOML.
trait Setting: Sized {
    /// What a value looks like, for the command line's help.
    const VALUE: &'static str;
    fn from_text(text: &str) -> Result<Self, String>;
    fn from_toml(value: &DeValue<'_>) -> Result<Self, String>;
    fn to_text(&self) -> String;
    fn as_number(&self) -> Option<usize> {
        None
    }
}

impl Setting for usize {
    const VALUE: &'static str = "N";
    fn from_text(text: &str) -> Result<Self, String> {
        let digits = text.trim().replace('_', "");
        digits
            .parse()
            .map_err(|_| format!("`{text}` is not a whole number of zero or more"))
    }

    fn from_toml(value: &DeValue<'_>) -> Result<Self, String> {
        match value {
            DeValue::Integer(i) => Self::from_text(i.as_str()),
            other => Err(format!(
                "expected a whole number, found {}",
                toml_type(other)
            )),
        }
    }

    fn to_text(&self) -> String {
        self.to_string()
    }

    fn as_number(&self) -> Option<usize> {
        Some(*self)
    }
}

impl Setting for PathBuf {
    const VALUE: &'static str = "DIR";
    fn from_text(text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Err("expected a path, found nothing".into());
        }
        Ok(PathBuf::from(text))
    }

    fn from_toml(value: &DeValue<'_>) -> Result<Self, String> {
        match value {
            DeValue::String(s) => Self::from_text(s),
            other => Err(format!(
                "expected a path as a string, found {}",
                toml_type(other)
            )),
        }
    }

    fn to_text(&self) -> String {
        toml_string(&self.to_string_lossy())
    }
}

/// An optional path: the empty text is none.
impl Setting for Option<PathBuf> {
    const VALUE: &'static str = "PATH";
    fn from_text(text: &str) -> Result<Self, String> {
        Ok((!text.is_empty()).then(|| PathBuf::from(text)))
    }

    fn from_toml(value: &DeValue<'_>) -> Result<Self, String> {
        match value {
            DeValue::String(s) => Self::from_text(s),
            other => Err(format!(
                "expected a path as a string (\"\" for none), found {}",
                toml_type(other)
            )),
        }
    }

    fn to_text(&self) -> String {
        toml_string(
            &self
                .as_deref()
                .map(Path::to_string_lossy)
                .unwrap_or_default(),
        )
    }
}

/// A PostgreSQL URL, as given: `postgres://` or `postgresql://`.
#[derive(Clone, PartialEq, Eq)]
pub struct StoreUrl(String);

impl StoreUrl {
    /// The URL as given, password and all, to connect with.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The URL with its password, if any, hidden: for messages and `pledgegraph config`.
    pub fn redacted(&self) -> String {
        let Some((scheme, rest)) = self.0.split_once("://") else {
            return self.0.clone();
        };
        let (authority, tail) = match rest.find(['/', '?']) {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        match authority.rsplit_once('@') {
            Some((user, host)) => match user.split_once(':') {
                Some((name, _)) => format!("{scheme}://{name}:REDACTED@{host}{tail}"),
                None => self.0.clone(),
            },
            None => self.0.clone(),
        }
    }
}

impl fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Display for StoreUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// An optional PostgreSQL URL: the empty text is none.
impl Setting for Option<StoreUrl> {
    const VALUE: &'static str = "URL";
    fn from_text(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if !(text.starts_with("postgres://") || text.starts_with("postgresql://")) {
            return Err(format!(
                "`{}` is not a PostgreSQL URL: give `postgres://USER@HOST:PORT/DATABASE`",
                StoreUrl(text.to_string()).redacted()
            ));
        }
        Ok(Some(StoreUrl(text.to_string())))
    }

    fn from_toml(value: &DeValue<'_>) -> Result<Self, String> {
        match value {
            DeValue::String(s) => Self::from_text(s),
            other => Err(format!(
                "expected a URL as a string (\"\" for none), found {}",
                toml_type(other)
            )),
        }
    }

    fn to_text(&self) -> String {
        toml_string(&self.as_ref().map(StoreUrl::redacted).unwrap_or_default())
    }
}

/// A list of origins: comma-separated as text, an array of strings in the file; each
/// `scheme://host[:port]`, without a path.
impl Setting for Vec<String> {
    const VALUE: &'static str = "ORIGINS";
    fn from_text(text: &str) -> Result<Self, String> {
        text.split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(origin)
            .collect()
    }

    fn from_toml(value: &DeValue<'_>) -> Result<Self, String> {
        match value {
            DeValue::Array(items) => items
                .iter()
                .map(|item| match item.get_ref() {
                    DeValue::String(s) => origin(s),
                    other => Err(format!(
                        "expected origins as strings, found {}",
                        toml_type(other)
                    )),
                })
                .collect(),
            DeValue::String(s) => Self::from_text(s),
            other => Err(format!(
                "expected an array of origins ([\"https://app.example.org\"]), found {}",
                toml_type(other)
            )),
        }
    }

    fn to_text(&self) -> String {
        let items: Vec<String> = self.iter().map(|o| toml_string(o)).collect();
        format!("[{}]", items.join(", "))
    }
}

/// An origin as a browser sends it: `http://` or `https://`, a host, maybe a port, no path.
fn origin(text: &str) -> Result<String, String> {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ']) => {
            Ok(text.to_string())
        }
        _ => Err(format!(
            "`{text}` is not an origin: use scheme://host[:port], as in https://app.example.org"
        )),
    }
}

/// Networks: comma-separated as text, an array of strings in the file.
impl Setting for Networks {
    const VALUE: &'static str = "NETWORKS";
    fn from_text(text: &str) -> Result<Self, String> {
        text.parse()
    }

    fn from_toml(value: &DeValue<'_>) -> Result<Self, String> {
        match value {
            DeValue::Array(items) => items
                .iter()
                .map(|item| match item.get_ref() {
                    DeValue::String(s) => s.parse(),
                    other => Err(format!(
                        "expected networks as strings, found {}",
                        toml_type(other)
                    )),
                })
                .collect(),
            DeValue::String(s) => Self::from_text(s),
            other => Err(format!(
                "expected an array of networks ([\"10.0.0.0/8\"]), found {}",
                toml_type(other)
            )),
        }
    }

    fn to_text(&self) -> String {
        let items: Vec<String> = self.iter().map(|n| toml_string(&n.to_string())).collect();
        format!("[{}]", items.join(", "))
    }
}

impl Setting for SocketAddr {
    const VALUE: &'static str = "HOST:PORT";
    fn from_text(text: &str) -> Result<Self, String> {
        text.trim()
            .parse()
            .map_err(|_| format!("`{text}` is not an address: use HOST:PORT, as in 127.0.0.1:8080"))
    }

    fn from_toml(value: &DeValue<'_>) -> Result<Self, String> {
        match value {
            DeValue::String(s) => Self::from_text(s),
            other => Err(format!(
                "expected an address as a string (\"127.0.0.1:8080\"), found {}",
                toml_type(other)
            )),
        }
    }

    fn to_text(&self) -> String {
        toml_string(&self.to_string())
    }
}

/// A switch: `true` or `false` (as text, also `1`/`0`, `yes`/`no`, `on`/`off`).
impl Setting for bool {
    const VALUE: &'static str = "true|false";

    fn from_text(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(true),
            "false" | "0" | "no" | "off" => Ok(false),
            _ => Err(format!("`{text}` is not a switch: use true or false")),
        }
    }

    fn from_toml(value: &DeValue<'_>) -> Result<Self, String> {
        match value {
            DeValue::Boolean(b) => Ok(*b),
            other => Err(format!(
                "expected true or false, found {}",
                toml_type(other)
            )),
        }
    }

    fn to_text(&self) -> String {
        self.to_string()
    }
}

impl Setting for LogFormat {
    const VALUE: &'static str = "text|json";

    fn from_text(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            _ => Err(format!("`{text}` is not a log format: use text or json")),
        }
    }

    fn from_toml(value: &DeValue<'_>) -> Result<Self, String> {
        match value {
            DeValue::String(s) => Self::from_text(s),
            other => Err(format!(
                "expected \"text\" or \"json\", found {}",
                toml_type(other)
            )),
        }
    }

    fn to_text(&self) -> String {
        toml_string(match self {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        })
    }
}

fn toml_type(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn load_env(pairs: &[(&str, &str)]) -> Result<Loaded, ConfigError> {
        Config::load(&Sources {
            env: env(pairs),
            ..Sources::default()
        })
    }

    fn file(text: &str) -> (tempfile_path::TempFile, Sources) {
        let f = tempfile_path::TempFile::new(text);
        let sources = Sources {
            file: Some(f.path.clone()),
            ..Sources::default()
        };
        (f, sources)
    }

    /// A file removed when dropped, without a crate for it.
    mod tempfile_path {
        use std::path::PathBuf;
        use std::sync::atomic::{AtomicUsize, Ordering};

        pub struct TempFile {
            pub path: PathBuf,
        }

        impl TempFile {
            pub fn new(text: &str) -> Self {
                static N: AtomicUsize = AtomicUsize::new(0);
                let path = std::env::temp_dir().join(format!(
                    "pledgegraph-config-{}-{}.toml",
                    std::process::id(),
                    N.fetch_add(1, Ordering::SeqCst)
                ));
                std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
                TempFile { path }
            }
        }

        impl Drop for TempFile {
            fn drop(&mut self) {
                let _ = std::fs::remove_file(&self.path);
            }
        }
    }

    #[test]
    fn the_defaults_are_valid_and_every_key_is_documented() {
        let loaded = load_env(&[("HOME", "/root")]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded.config, Config::default());
        for key in KEYS {
            assert!(!key.doc.trim().is_empty(), "{} has a doc", key.name);
            assert_eq!(loaded.origin(key.name), &Origin::Default);
            assert!(loaded.config.value_text(key.name).is_some());
        }
    }

    #[test]
    fn later_sources_win_and_each_value_says_where_it_came_from() {
        let (_f, mut sources) = file("max_page_size = 50\nmax_paths = 7\n");
        sources.env = env(&[
            ("PLEDGEGRAPH_MAX_PAGE_SIZE", "40"),
            ("PLEDGEGRAPH_SEED", "data"),
        ]);
        sources.flags = vec![("max_page_size".into(), "30".into())];
        let loaded = Config::load(&sources).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded.config.max_page_size, 30);
        assert_eq!(loaded.config.max_paths, 7);
        assert_eq!(loaded.config.seed, PathBuf::from("data"));
        assert_eq!(
            loaded.origin("max_page_size"),
            &Origin::Flag("max-page-size".into())
        );
        assert!(matches!(
            loaded.origin("max_paths"),
            Origin::File { line: 2, .. }
        ));
        assert_eq!(
            loaded.origin("seed"),
            &Origin::Env("PLEDGEGRAPH_SEED".into())
        );
        // The default page follows the smaller largest page it was not set apart from.
        assert_eq!(loaded.config.default_page_size, 20);
        let small =
            load_env(&[("PLEDGEGRAPH_MAX_PAGE_SIZE", "5")]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(small.config.default_page_size, 5);
        assert_eq!(
            small.origin("default_page_size"),
            &Origin::LoweredTo("max_page_size")
        );
    }

    #[test]
    fn an_unknown_key_names_itself_and_where_it_was() {
        let (f, sources) = file("max_page_size = 50\n\nmax_pages = 7\n");
        match Config::load(&sources) {
            Err(ConfigError::UnknownKey { key, origin }) => {
                assert_eq!(key, "max_pages");
                assert_eq!(
                    origin,
                    Origin::File {
                        path: f.path.clone(),
                        line: 3
                    }
                );
            }
            other => panic!("expected an unknown key, got {other:?}"),
        }
        let e = load_env(&[("PLEDGEGRAPH_MAX_PAGES", "1")]).err();
        assert!(
            e.as_ref()
                .is_some_and(|e| e.to_string().contains("PLEDGEGRAPH_MAX_PAGES")),
            "{e:?}"
        );
    }

    #[test]
    fn wrong_types_and_nonsense_values_are_refused_with_their_key() {
        let cases: &[(&str, &str)] = &[
            ("max_query_depth = 0\n", "max_query_depth"),
            ("max_page_size = \"ten\"\n", "max_page_size"),
            ("max_page_size = -1\n", "max_page_size"),
            ("max_page_size = 2.5\n", "max_page_size"),
            ("addr = 8080\n", "addr"),
            (
                "default_page_size = 50\nmax_page_size = 40\n",
                "default_page_size",
            ),
        ];
        for (text, key) in cases {
            let (_f, sources) = file(text);
            match Config::load(&sources) {
                Err(ConfigError::BadValue { key: k, .. }) => assert_eq!(&k, key, "{text}"),
                other => panic!("{text}: expected a bad value, got {other:?}"),
            }
        }
        let e = load_env(&[("PLEDGEGRAPH_MAX_NEIGHBORHOOD_DEPTH", "0")])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("max_neighborhood_depth"), "{e}");
        assert!(e.contains("PLEDGEGRAPH_MAX_NEIGHBORHOOD_DEPTH"), "{e}");
        assert!(e.contains("from 1 to 16"), "{e}");
    }

    #[test]
    fn switches_and_the_log_format_read_from_every_source() {
        let (_f, mut sources) = file("introspection = false\nlog_format = \"json\"\n");
        sources.flags = vec![("field_suggestions".into(), "yes".into())];
        let loaded = Config::load(&sources).unwrap_or_else(|e| panic!("{e}"));
        assert!(!loaded.config.introspection);
        assert!(loaded.config.field_suggestions);
        assert_eq!(loaded.config.log_format, LogFormat::Json);
        let text = loaded.to_toml();
        assert!(text.contains("introspection = false"), "{text}");
        assert!(text.contains("log_format = \"json\""), "{text}");
        for (text, key) in [
            ("introspection = \"no\"\n", "introspection"),
            ("log_format = \"xml\"\n", "log_format"),
        ] {
            let (_f, sources) = file(text);
            match Config::load(&sources) {
                Err(ConfigError::BadValue { key: k, .. }) => assert_eq!(k, key, "{text}"),
                other => panic!("{text}: expected a bad value, got {other:?}"),
            }
        }
        let e = load_env(&[("PLEDGEGRAPH_FIELD_SUGGESTIONS", "maybe")])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("use true or false"), "{e}");
        assert!(
            KEYS.iter()
                .any(|k| k.name == "introspection" && k.is_switch())
        );
        assert!(!KEYS.iter().any(|k| k.name == "log_format" && k.is_switch()));
    }

    #[test]
    fn a_broken_file_is_a_clear_error() {
        let (_f, sources) = file("max_page_size = \n");
        assert!(matches!(
            Config::load(&sources),
            Err(ConfigError::Syntax { .. })
        ));
        let missing = Sources {
            file: Some(PathBuf::from("/nonexistent/pledgegraph.toml")),
            ..Sources::default()
        };
        assert!(matches!(
            Config::load(&missing),
            Err(ConfigError::Read { .. })
        ));
    }

    #[test]
    fn the_printed_configuration_reads_back_as_the_same() {
        let loaded = load_env(&[
            ("PLEDGEGRAPH_MAX_PATHS", "9"),
            ("PLEDGEGRAPH_SEED", "a \"b\"\\c"),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let text = loaded.to_toml();
        assert!(
            text.contains("max_paths = 9  # environment PLEDGEGRAPH_MAX_PATHS"),
            "{text}"
        );
        let (_f, sources) = file(&text);
        let again = Config::load(&sources).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(again.config, loaded.config);
    }
}

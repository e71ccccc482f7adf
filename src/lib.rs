//! pledgegraph: a knowledge graph of trade diplomacy — who pledged what to
//! whom, and what they got in exchange — with every fact traced to its source.
//!
//! - [`model`]: domain types (ids, kinds, claims, money, dates, provenance).
//! - [`seed`]: reads and validates a seed directory of TOML files into the model.
//! - [`store`]: the durable change log (SQLite in a data directory).
//! - [`graph`]: the [`graph::KnowledgeGraph`]: petgraph plus indexes, search,
//!   filters and traversal.
//! - [`app`]: the running state: the configuration and the loaded graph.
//! - [`api`]: the GraphQL schema over `app`'s state.
//! - [`http`]: the actix-web server, and the schema it builds from the state.

mod allocator;
pub mod api;
pub mod app;
pub mod graph;
pub mod http;
pub mod model;
pub mod seed;
pub mod store;

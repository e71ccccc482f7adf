//! pledgegraph: a knowledge graph of trade diplomacy — who pledged what to
//! whom, and what they got in exchange — with every fact traced to its source.
//!
//! - [`model`]: domain types (ids, kinds, claims, money, dates, provenance).
//! - [`seed`]: reads and validates a seed directory of TOML files into the model.
//! - [`graph`]: the [`graph::KnowledgeGraph`]: petgraph plus indexes, search,
//!   filters and traversal.

pub mod graph;
pub mod model;
pub mod seed;

//! The integration tests, linked once: the CLI as a process, the GraphQL API and the
//! playground over HTTP on the real server, the configuration, the layering of the code,
//! relation ids, changes and versions, the seed's fidelity to its source, and generated
//! graphs.

mod helpers;

mod admission;
mod answer_cache;
mod changes;
mod cli;
mod config;
mod crash;
mod cursors;
mod data_dir;
mod documents;
mod exploration;
mod export;
mod fidelity;
mod generate;
mod hostile;
mod http_api;
mod http_spec;
mod ids;
mod layers;
mod limits;
mod operations;
mod persisted;
mod playground;
mod postgres;
mod provenance;
mod questions;
mod replicas;
mod schema;
mod seed_errors;
mod seed_jsonl;
mod subscriptions;
mod validation;
mod writes;

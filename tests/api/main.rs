//! The integration tests, linked once: the CLI as a process, the GraphQL API and the
//! playground over HTTP on the real server, and the seed's fidelity to its source.

mod helpers;

mod cli;
mod exploration;
mod http_api;
mod playground;
mod provenance;
mod questions;
mod schema;
mod seed_errors;

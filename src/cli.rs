//! The command line: declarations only; the library does the work.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// pledgegraph: a knowledge graph of trade diplomacy — who pledged what to
/// whom, and what they got in exchange — with every fact traced to its
/// source, served over GraphQL.
#[derive(Debug, Parser)]
#[command(name = "pledgegraph", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the GraphQL API, the playground (/) and the schema (/schema.graphql).
    Serve {
        /// The address to listen on; port 0 picks a free port.
        #[arg(long, env = "PLEDGEGRAPH_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The seed directory.
        #[arg(long, env = "PLEDGEGRAPH_SEED", default_value = "seed")]
        seed: PathBuf,
    },
    /// Validate a seed directory and print a summary of its graph.
    ///
    /// Exits 0 when the seed is valid; otherwise lists every error (file,
    /// line, entry, field) and exits 1.
    Check {
        /// The seed directory.
        #[arg(long, env = "PLEDGEGRAPH_SEED", default_value = "seed")]
        seed: PathBuf,
    },
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Run one GraphQL query against the seed, without a server, and print the JSON response.
    ///
    /// Exits 1 when the response carries errors.
    Query {
        /// The GraphQL document.
        query: String,
        /// Variables, as a JSON object.
        #[arg(long)]
        variables: Option<String>,
        /// The seed directory.
        #[arg(long, env = "PLEDGEGRAPH_SEED", default_value = "seed")]
        seed: PathBuf,
    },
}

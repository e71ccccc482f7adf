//! The command line: declarations only; the library does the work.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// pledgegraph: a knowledge graph of trade diplomacy — who pledged what to
/// whom, and what they got in exchange — with every fact traced to its source.
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
    /// Validate a seed directory and print a summary of its graph.
    ///
    /// Exits 0 when the seed is valid; otherwise lists every error (file,
    /// line, entry, field) and exits 1.
    Check {
        /// The seed directory.
        #[arg(long, env = "PLEDGEGRAPH_SEED", default_value = "seed")]
        seed: PathBuf,
    },
}

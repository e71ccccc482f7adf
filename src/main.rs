//! The `pledgegraph` binary: parses the command line and calls the library.

mod cli;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use pledgegraph::graph::KnowledgeGraph;

fn main() -> anyhow::Result<ExitCode> {
    match Cli::parse().command {
        Command::Check { seed } => {
            let loaded = match pledgegraph::seed::load_dir(&seed) {
                Ok(loaded) => loaded,
                Err(errors) => {
                    eprint!("{errors}");
                    return Ok(ExitCode::FAILURE);
                }
            };
            let graph = KnowledgeGraph::from_seed(loaded)?;
            println!("seed {} is valid", seed.display());
            print!("{}", graph.summary());
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}

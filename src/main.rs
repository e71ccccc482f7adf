//! The `pledgegraph` binary: parses the command line and calls the library.

mod cli;

use std::io::Write;
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
            let report = format!(
                "seed directory {} is valid\n{}",
                seed.display(),
                graph.summary()
            );
            write_stdout(&report)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Writes to stdout; a reader that went away early (`| head`) is not an error.
fn write_stdout(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
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

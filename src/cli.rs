//! The command line: declarations only; the library does the work.

use std::path::PathBuf;

use clap::{Arg, ArgAction, ArgMatches, Args, FromArgMatches, Parser, Subcommand};
use pledgegraph::app::{ENV_CONFIG_FILE, KEYS};

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
        /// Carry the data directory's change log over to a new seed: replay it on this
        /// seed, skip the changes the seed already holds (edits exported and folded into
        /// it) and report every change that no longer applies. The old log is kept beside
        /// the new one.
        #[arg(long)]
        rebase: bool,
        /// The configuration.
        #[command(flatten)]
        settings: Settings,
    },
    /// Validate the seed directory and print a summary of its graph.
    ///
    /// Exits 0 when the seed is valid; otherwise lists every error (file,
    /// line, entry, field) and exits 1.
    Check {
        /// The configuration.
        #[command(flatten)]
        settings: Settings,
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
        /// The configuration.
        #[command(flatten)]
        settings: Settings,
    },
    /// Write a synthetic graph of any size as a JSON Lines seed directory, for benchmarks
    /// and load tests.
    ///
    /// Every kind of entity with its claims, a skewed degree distribution (a few hubs,
    /// many leaves) and names that share words, nearly repeat and carry accents. The same
    /// options always write the same files. `--seed DIR` serves or checks the result.
    Generate {
        /// How many entities.
        #[arg(long, default_value_t = 10_000)]
        entities: usize,
        /// About how many relations per entity, counting those entity fields imply.
        #[arg(long, default_value_t = 5)]
        relations_per_entity: usize,
        /// The seed of the random choices: the same seed writes the same graph.
        #[arg(long, default_value_t = 1)]
        rng_seed: u64,
        /// The directory to write `entities.jsonl` and `relations.jsonl` to (created if
        /// needed; files of those names are replaced).
        #[arg(long)]
        out: PathBuf,
    },
    /// Write the current graph — the seed with the data directory's change log applied —
    /// as a JSON Lines seed directory, to review the edits and fold them into `seed/`.
    ///
    /// Writes `entities.jsonl` (every live entity with all its claims, superseded and
    /// deprecated ones included) and `relations.jsonl` (every explicit relation), in id
    /// order; `pledgegraph check --seed DIR` accepts the result and it loads to an equal
    /// graph. What a seed cannot say is left out and counted: retracted entities and
    /// relations, and the ids of merged duplicates (their names stay as aliases of the
    /// survivor). The texts of the source documents the server knows (from the change log
    /// and the sources directory) are written to DIR/sources/. The files are
    /// written beside DIR and moved into place when complete; DIR must be new or empty.
    /// Safe while a server uses the data directory.
    Export {
        /// The directory to write to: new, or empty.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The configuration: `--seed` and `--data-dir` name what to export.
        #[command(flatten)]
        settings: Settings,
    },
    /// Copy the change log of the data directory, or of the shared store, to a file,
    /// consistently, while servers may be writing to it.
    ///
    /// The copy holds every batch committed before it began (SQLite's `VACUUM INTO`; for
    /// PostgreSQL, one repeatable-read transaction), as a SQLite store. FILE must not exist
    /// (a backup never writes over one). To restore, copy FILE to `pledgegraph.db` in a
    /// fresh data directory and start with `--data-dir` on it and the same seed.
    Backup {
        /// The file to write: must not exist yet.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The configuration: `--data-dir` or `--store` names the log to back up.
        #[command(flatten)]
        settings: Settings,
    },
    /// Prepare a PostgreSQL database as the store replicas share: make its tables, or
    /// bring an older schema up to date, and say how many batches its log holds.
    ///
    /// `serve --store` does the same at start; this lets a deployment do it once, before
    /// the replicas start, and check that the database can be reached.
    Migrate {
        /// The configuration: `--store URL` names the database.
        #[command(flatten)]
        settings: Settings,
    },
    /// Editors' tokens, which writes need.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Print the effective configuration as TOML, with where each value came from.
    ///
    /// The output is itself a valid configuration file. Exits 2 when the configuration is
    /// invalid, naming the key and where it was set.
    Config {
        /// Print the table of every setting (key, flag, environment variable, default,
        /// meaning) as Markdown instead, as the README has it.
        #[arg(long)]
        markdown: bool,
        /// The configuration.
        #[command(flatten)]
        settings: Settings,
    },
}

/// What `pledgegraph token` does.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make a fresh random token for an editor: prints the token once (give it to the
    /// editor; it is not kept anywhere) and the `[[editor]]` lines to add to the tokens
    /// file (`--tokens-file`), which hold only the token's SHA-256.
    New {
        /// The editor's name, recorded as the actor of every change they make.
        #[arg(long)]
        name: String,
    },
}

/// The configuration a command runs with: a file, and one flag per setting
/// (`max_page_size` is `--max-page-size`), from the library's table of settings.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The configuration file, if given.
    pub file: Option<PathBuf>,
    /// The settings given as flags, as (key, text).
    pub flags: Vec<(String, String)>,
}

const CONFIG_ARG: &str = "config";

impl FromArgMatches for Settings {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let flags = KEYS
            .iter()
            .filter_map(|k| {
                let text = matches.get_one::<String>(k.name)?;
                Some((k.name.to_string(), text.clone()))
            })
            .collect();
        Ok(Settings {
            file: matches.get_one::<PathBuf>(CONFIG_ARG).cloned(),
            flags,
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Args for Settings {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        let file = Arg::new(CONFIG_ARG)
            .long(CONFIG_ARG)
            .value_name("FILE")
            .value_parser(clap::value_parser!(PathBuf))
            .help(format!(
                "A TOML configuration file (also {ENV_CONFIG_FILE}); `pledgegraph config` prints one"
            ));
        KEYS.iter().fold(cmd.arg(file), |cmd, key| {
            let value_name = match key.name {
                "seed" | "data_dir" | "sources_dir" => "DIR",
                "tokens_file" => "FILE",
                _ => key.value,
            };
            let arg = Arg::new(key.name)
                .long(key.flag())
                .value_name(value_name)
                .action(ArgAction::Set)
                .help(format!("{} [env: {}]", key.summary(), key.env()));
            // A switch alone (`--introspection`) turns it on; `--introspection false` off.
            let arg = match key.is_switch() {
                true => arg.num_args(0..=1).default_missing_value("true"),
                false => arg,
            };
            cmd.arg(arg)
        })
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

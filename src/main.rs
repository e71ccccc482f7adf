//! The `pledgegraph` binary: parses the command line and calls the library.

mod cli;

use std::io::{IsTerminal, Write};
use std::net::TcpListener;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use cli::{Cli, Command, Settings, TokenCommand};
use pledgegraph::app::log_writer::{LogGuard, LogWriter};
use pledgegraph::app::{self, App, AppError, Config, Loaded, LogFormat, Sources, log_line};
use pledgegraph::http;

fn main() -> anyhow::Result<ExitCode> {
    match Cli::parse().command {
        Command::Serve { rebase, settings } => {
            let Some(config) = configure(settings) else {
                return Ok(ExitCode::from(2));
            };
            // Held to the end of `serve`: dropping it writes out what the log still holds.
            let _log = init_logging(config.log_format)?;
            let addr = config.addr;
            let seed = config.seed.clone();
            let listener =
                TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}"))?;
            let local = listener.local_addr()?;
            let early = listener
                .try_clone()
                .context("cannot answer while the graph loads")?;
            tracing::info!(
                "bound http://{local}; loading the graph (/readyz answers 503 until it is loaded)"
            );
            actix_web::rt::System::new().block_on(async move {
                let mut signals = http::Signals::new()?;
                let load = move || load(config, rebase);
                let loaded = http::while_loading(&mut signals, early, load).await?;
                let app = match loaded {
                    http::Loaded::Stopped => return Ok(ExitCode::SUCCESS),
                    http::Loaded::Done(loaded) => match loaded? {
                        Some(app) => app,
                        None => return Ok(ExitCode::FAILURE),
                    },
                };
                tracing::info!(
                    "loaded {} entities and {} relations from {}",
                    app.graph().node_count(),
                    app.graph().edge_count(),
                    seed.display()
                );
                let server = http::serve_until_signalled(listener, app.clone(), signals)?;
                tracing::info!(
                    "listening on http://{local} (playground at /, GraphQL at /graphql)"
                );
                server.await?;
                tracing::info!("stopped");
                leave_to_exit(app);
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::Check { settings } => {
            let Some(config) = configure(settings) else {
                return Ok(ExitCode::from(2));
            };
            let seed = config.seed.clone();
            match App::load(config) {
                Ok(app) => {
                    let summary = app.graph().summary();
                    write_stdout(&format!(
                        "seed directory {} is valid\n{summary}",
                        seed.display()
                    ))?;
                    leave_to_exit(app);
                    Ok(ExitCode::SUCCESS)
                }
                Err(AppError::Seed(errors)) => {
                    eprint!("{errors}");
                    Ok(ExitCode::FAILURE)
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::Generate {
            entities,
            relations_per_entity,
            rng_seed,
            out,
        } => {
            let options = app::GenerateOptions {
                entities,
                relations_per_entity,
                rng_seed,
            };
            let written = app::generate(&options, &out)
                .with_context(|| format!("cannot write the graph to {}", out.display()))?;
            write_stdout(&format!(
                "wrote {} entities and {} relations to {}\n",
                written.entities,
                written.relations,
                out.display()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { out, settings } => {
            let Some(config) = configure(settings) else {
                return Ok(ExitCode::from(2));
            };
            let exported = match app::export(config, &out) {
                Ok(exported) => exported,
                Err(app::ExportError::Load(AppError::Seed(errors))) => {
                    eprint!("{errors}");
                    return Ok(ExitCode::FAILURE);
                }
                Err(e) => return Err(e.into()),
            };
            write_stdout(&export_report(&exported, &out))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { out, settings } => {
            let Some(config) = configure(settings) else {
                return Ok(ExitCode::from(2));
            };
            let backed_up = app::backup(&config, &out)?;
            write_stdout(&format!(
                "backed up {} (graph version {}) to {}\nto restore it, copy it to {} in a fresh data directory\n",
                backed_up.store,
                backed_up.version,
                out.display(),
                app::DB_FILE,
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate { settings } => {
            let Some(config) = configure(settings) else {
                return Ok(ExitCode::from(2));
            };
            let migrated = app::migrate(&config)?;
            write_stdout(&format!(
                "the store at {} is ready: its schema is up to date and its change log holds {} batch{}\n",
                migrated.store,
                migrated.batches,
                if migrated.batches == 1 { "" } else { "es" }
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Token(TokenCommand::New { name }) => {
            let made = app::new_token(&name).context("cannot make a token")?;
            write_stdout(&format!(
                "token for {name} (shown once; the editor sends it as `Authorization: Bearer <token>`):\n\n    {}\n\nadd these lines to the tokens file (`--tokens-file`):\n\n{}",
                made.token, made.entry
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema => {
            write_stdout(&pledgegraph::http::sdl())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Config { markdown: true, .. } => {
            write_stdout(&app::markdown_table())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Config { settings, .. } => {
            let Some(loaded) = load_config(settings) else {
                return Ok(ExitCode::from(2));
            };
            write_stdout(&loaded.to_toml())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Query {
            query,
            variables,
            settings,
        } => {
            let Some(config) = configure(settings) else {
                return Ok(ExitCode::from(2));
            };
            let Some(app) = load(config, false)? else {
                return Ok(ExitCode::FAILURE);
            };
            let mut request = async_graphql::Request::new(query);
            if let Some(vars) = variables {
                let json: serde_json::Value =
                    serde_json::from_str(&vars).context("--variables is not JSON")?;
                request = request.variables(async_graphql::Variables::from_json(json));
            }
            let response = actix_web::rt::System::new()
                .block_on(pledgegraph::http::execute(app.clone(), request));
            leave_to_exit(app);
            let failed = !response.is_ok();
            write_stdout(&format!("{}\n", serde_json::to_string_pretty(&response)?))?;
            Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

/// The effective configuration from the file, the environment and the flags; on an
/// error, prints it (naming the key and where it was set) and answers `None`.
fn load_config(settings: Settings) -> Option<Loaded> {
    match Config::load(&Sources::from_process(settings.file, settings.flags)) {
        Ok(loaded) => Some(loaded),
        Err(e) => {
            eprintln!("pledgegraph: invalid configuration: {e}");
            None
        }
    }
}

fn configure(settings: Settings) -> Option<Config> {
    load_config(settings).map(|l| l.config)
}

/// Leaves the graph to the operating system, which takes a process's memory back at
/// once: freeing a graph of a million entities piece by piece takes seconds.
fn leave_to_exit(app: App) {
    std::mem::forget(app);
}

/// What `export` wrote and what it left out.
fn export_report(exported: &app::Exported, out: &std::path::Path) -> String {
    let mut text = format!(
        "wrote {} entities and {} relations (graph version {}) to {}\n",
        exported.written.entities,
        exported.written.relations,
        exported.version,
        out.display()
    );
    let left = exported.left_out;
    if left.is_empty() {
        text.push_str("left out nothing: no entity or relation was retracted or merged\n");
    } else {
        text.push_str(&format!(
            "left out what a seed cannot say: {} retracted entities, {} merged duplicates (their names are aliases of the survivors; their ids no longer resolve), {} withdrawn relations\n",
            left.retracted_entities, left.merged_entities, left.withdrawn_relations
        ));
    }
    match exported.documents {
        0 => text.push_str("no source document's text is known: none written\n"),
        n => text.push_str(&format!(
            "wrote the text of {n} source documents to {}\n",
            out.join(app::DOCUMENTS_DIR).display()
        )),
    }
    text
}

/// Loads the seed, printing every error when it is invalid.
fn load(config: Config, rebase: bool) -> anyhow::Result<Option<App>> {
    let loaded = match rebase {
        true => App::load_rebasing(config),
        false => App::load(config).map(|app| (app, None)),
    };
    match loaded {
        Ok((app, report)) => {
            if let Some(report) = report {
                report_rebase(&report);
            }
            Ok(Some(app))
        }
        Err(AppError::Seed(errors)) => {
            eprint!("{errors}");
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// Logs what a rebase kept, skipped and could not apply.
fn report_rebase(report: &app::Rebased) {
    tracing::warn!(
        "rebased the change log on this seed: {} batches, {} changes kept, {} already in the seed, {} no longer apply; the log as it was is kept in {}",
        report.batches,
        report.kept,
        report.contained.len(),
        report.refused.len(),
        report.previous.display()
    );
    for (seq, index, op) in &report.contained {
        tracing::info!(
            "change {} of batch {seq} ({op}) is already in the seed",
            index + 1
        );
    }
    for (seq, index, op, why) in &report.refused {
        tracing::warn!(
            "change {} of batch {seq} ({op}) no longer applies: {why}",
            index + 1
        );
    }
}

/// The log on standard error, as text or one JSON object per line; `RUST_LOG` filters it.
/// The lines are written out in batches by a thread of their own ([`LogWriter`]), so a
/// request never waits for a write to standard error (a line per request cost the fastest
/// queries a quarter of their time at half their peak rate, and waking that thread for
/// every line or two took a quarter of the core at 60,000 requests a second); none is
/// dropped. The guard writes out the rest.
fn init_logging(format: LogFormat) -> anyhow::Result<LogGuard> {
    let (writer, guard) = LogWriter::start(
        std::io::stderr(),
        "pledgegraph-log",
        LogWriter::DEFAULT_CAPACITY,
        LogWriter::BATCH_WINDOW,
    )
    .context("cannot start the log's thread")?;
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let ansi = std::io::stderr().is_terminal();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(ansi)
        .with_timer(log_line::UtcMicros);
    match format {
        // In colour for a terminal; plain, and quicker to write, for a file or a pipe.
        LogFormat::Text if ansi => builder.init(),
        LogFormat::Text => builder.fmt_fields(log_line::PlainFields).init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
    Ok(guard)
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

//! Command-line interface: arguments (clap) and one short function per subcommand.
//! Each returns the process exit status: 0 success, 1 invalid or undecided session,
//! 2 usage error or unreadable input.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

mod check;
mod run;

/// Decide a certification jury session from the jurors' score grids.
#[derive(Debug, Parser)]
#[command(name = "jury", version, about, long_about = None)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a session folder: report every missing or invalid value with its file, sheet and cell.
    ///
    /// Exit status: 0 when the session has no error (warnings allowed), 1 when it has
    /// errors, 2 when an input cannot be read.
    ///
    /// Example: jury check samples/session-demo --format json
    Check {
        /// The session folder (holding session.toml, candidats.xlsx, grilles/).
        session: PathBuf,
        /// Report format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Decide every candidate and write the results: synthese.xlsx and manifest.json.
    ///
    /// Runs the full check first: on any error, or any decision still pending, nothing is
    /// written and the exit status is 1. Results are written into a staging folder and
    /// renamed into place, so a crash never leaves half a result.
    ///
    /// Example: jury run samples/session-demo
    Run {
        /// The session folder.
        session: PathBuf,
        /// Results folder [default: <session>/resultats].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Replace an existing results folder written by jury.
        #[arg(long)]
        force: bool,
        /// Write provisional results (marked PROVISOIRE, no certificate) while decisions are pending.
        #[arg(long)]
        provisional: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Findings grouped by file, for people.
    Text,
    /// One JSON object: {"ok", "errors", "warnings", "summary"}.
    Json,
}

/// Runs a parsed command and returns the exit status.
pub fn run(args: Args) -> u8 {
    match args.command {
        Command::Check { session, format } => check::run(&session, format),
        Command::Run {
            session,
            out,
            force,
            provisional,
        } => run::run(
            &session,
            &run::RunOptions {
                out,
                force,
                provisional,
            },
        ),
    }
}

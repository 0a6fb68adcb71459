//! Command-line interface: arguments (clap) and one short function per subcommand.
//! Each returns the process exit status: 0 success, 1 invalid or undecided session,
//! 2 usage error or unreadable input.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use error::{CliError, Done};
use jury_fs::session::session_folder;

mod audit;
mod check;
mod cpf;
mod documents;
mod error;
mod grids;
mod init;
mod progress;
mod run;
mod verify;

/// Decide a certification jury session from the jurors' score grids.
#[derive(Debug, Parser)]
#[command(name = "jury", version, about, long_about = None)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
    /// Worker threads for reading, deciding and rendering [default: one per CPU core].
    /// The output never depends on it.
    #[arg(long, global = true, value_name = "N")]
    pub jobs: Option<usize>,
    /// No progress display on stderr (it only shows when stderr is a terminal anyway).
    #[arg(long, short, global = true)]
    pub quiet: bool,
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
        /// Write only synthese.xlsx and manifest.json, no PDF (a first look at a large
        /// session; certificate numbers are still given and recorded).
        #[arg(long)]
        no_documents: bool,
    },
    /// Start a session: create a folder holding session.toml, candidats.xlsx, grilles/ and
    /// LISEZMOI.txt, ready to fill in.
    ///
    /// session.toml explains every key in French and holds « À compléter » wherever a value
    /// must be given (`jury check` points at each); candidats.xlsx has the accepted headers,
    /// a note on each, drop-downs for closed lists and one example row to delete;
    /// LISEZMOI.txt lists the next steps with their commands. The folder must be new or
    /// empty (exit 2 otherwise, nothing written). Same inputs, same bytes.
    ///
    /// Example: jury init session-2027-03 --id CM-2027-03 --date 2027-03-18
    Init {
        /// The folder to create (or an existing empty folder).
        dir: PathBuf,
        /// A referential shipped with jury (by name), or a referential file (copied into
        /// the folder as referentiel.toml) [default: community-management].
        #[arg(long, value_name = "NAME|PATH")]
        referential: Option<String>,
        /// The session id (letters, digits, - and _), part of every certificate number.
        #[arg(long, value_name = "ID")]
        id: Option<String>,
        /// The jury's date.
        #[arg(long, value_name = "AAAA-MM-JJ")]
        date: Option<String>,
    },
    /// Write one blank score grid per juror, ready to fill in Excel or LibreOffice.
    ///
    /// Each juror of session.toml gets `grille-<name>.xlsx` listing the recevable candidates
    /// assigned to them (by the `Jury` or `Commission` column of the candidates file and the
    /// members' `groups`; every candidate when the cell is empty), one drop-down per
    /// criterion (the scale's levels and ABS), an Observations column and an Instructions
    /// sheet. `jury check` reads the filled grids back as they are.
    ///
    /// An existing grid file is never replaced without --force: if any file to write
    /// exists, nothing is written (exit 2).
    ///
    /// With --missing (candidates added after the grids were sent), the grids already in
    /// the session's grilles/ are read as `jury check` reads them, and each juror gets
    /// `grille-<name>-complement.xlsx` (then -complement-2…, never an existing name)
    /// listing only the candidates assigned to them that none of their grids lists (a
    /// juror with no grid at all gets `grille-<name>.xlsx` when that name is free); a
    /// juror who lacks nobody gets no file. Filled grids are never touched. Put the filled
    /// complement beside the first grid: `jury check` reads a juror's files together.
    ///
    /// Example: jury grids samples/session-demo --out /tmp/grilles-vierges
    ///
    /// Example, after adding late candidates to the candidates file:
    /// jury grids samples/session-demo --missing
    Grids {
        /// The session folder (holding session.toml and the candidates file).
        session: PathBuf,
        /// Folder to write the grids into [default: <session>/grilles].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Replace existing grid files of the same names (a filled grid would be lost).
        #[arg(long)]
        force: bool,
        /// Write only complementary grids, for the candidates that no grid of their
        /// jurors lists yet (never replaces a file).
        #[arg(long, conflicts_with = "force")]
        missing: bool,
    },
    /// Prove that a results folder is untouched: re-hash every input and output of its
    /// manifest, list files that changed, vanished or appeared, and decide the session
    /// again to compare every decision.
    ///
    /// Exit status: 0 when everything matches, 1 when anything differs, 2 when the
    /// manifest or the session cannot be read.
    ///
    /// Example: jury audit samples/session-demo/resultats
    Audit {
        /// The results folder (holding manifest.json).
        results: PathBuf,
        /// The session folder [default: the one recorded in the manifest, relative to it].
        #[arg(long, value_name = "DIR")]
        session: Option<PathBuf>,
        /// Report format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Say whether a certificate is genuine: it exists in these results with that
    /// verification code, and for whom.
    ///
    /// Exit status: 0 genuine, 1 unknown number or wrong code, 2 unreadable results.
    ///
    /// Example: jury verify samples/session-demo/resultats CM-2026-11-2026001 MDU9A-CQMDJ
    Verify {
        /// The results folder (holding manifest.json).
        results: PathBuf,
        /// The certificate number, as printed.
        number: String,
        /// The verification code, as printed (case, spaces and dashes are ignored).
        code: String,
    },
    /// Declare the certified holders to the Caisse des Dépôts (SI CPF, « accrochage »):
    /// write the XML file to deposit on the certifiers' portal, and keep a ledger of what
    /// was sent and of what the Caisse des Dépôts answered.
    ///
    /// Needs a `[cpf]` section in session.toml (id_client, id_contrat) and the candidates'
    /// CPF columns (Sexe, Code INSEE de naissance or Pays de naissance…), which `jury check`
    /// checks. The session must be unchanged since `jury run`. Each certified holder is
    /// declared once: passages already exported or accepted are skipped unless --again;
    /// rejected ones are exported again once corrected. Same session, same bytes (the
    /// timestamp is the jury date at noon unless --now). The ledger is
    /// `<results>/cpf/registre.json`.
    ///
    /// Exit status: 0 file written (or nothing left to declare), 1 the session has findings
    /// or changed since `jury run` (nothing written), 2 unreadable input.
    ///
    /// Example: jury cpf samples/session-demo/resultats
    ///
    /// Then, with the CDC's report: jury cpf samples/session-demo/resultats --report accuse.xml
    Cpf {
        /// The results folder of `jury run` (holding manifest.json).
        results: PathBuf,
        /// The XML file to write [default: <results>/cpf/<idFlux>.xml].
        #[arg(long, value_name = "FILE", conflicts_with = "report")]
        out: Option<PathBuf>,
        /// Export again the passages already exported or accepted.
        #[arg(long, conflicts_with = "report")]
        again: bool,
        /// Read the CDC's processing report (XML or idTechnique;statut;message text) and
        /// record each passage as accepted (OK) or rejected (KO).
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// The session folder [default: the one recorded in the manifest, relative to it].
        #[arg(long, value_name = "DIR", conflicts_with = "report")]
        session: Option<PathBuf>,
        /// Timestamp the file with the current time instead of the jury date at noon.
        #[arg(long, conflicts_with = "report")]
        now: bool,
    },
    /// Internal: reads one workbook from the standard input and writes its sheets to the
    /// standard output, within the given limits (see `jury_fs::guard`). Not for people.
    #[command(name = "__read-workbook", hide = true)]
    ReadWorkbook {
        /// Read what the grid audit needs too (formulas, hidden rows and columns).
        #[arg(long)]
        grid: bool,
        /// Address space allowed, in bytes.
        #[arg(long)]
        memory: u64,
        /// Wall time allowed, in seconds (the CPU time limit is one more).
        #[arg(long)]
        seconds: u64,
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
    if let Command::ReadWorkbook {
        grid,
        memory,
        seconds,
    } = args.command
    {
        return jury_fs::guard::child_main(grid, memory, seconds);
    }
    // Every workbook is read in a child process of this binary (see `jury_fs::guard`).
    jury_fs::guard::enable();
    let quiet = args.quiet;
    error::finish(set_jobs(args.jobs).and_then(|()| {
        let progress = progress::Progress::new(quiet);
        dispatch(args.command, &progress)
    }))
}

/// Sizes the worker pool when `--jobs` is given: at least one thread.
fn set_jobs(jobs: Option<usize>) -> Result<(), CliError> {
    let Some(jobs) = jobs else {
        return Ok(());
    };
    let built = jobs != 0
        && rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global()
            .is_ok();
    match built {
        true => Ok(()),
        false => Err(CliError::fatal(
            "--jobs attend le nombre de tâches à mener en parallèle, un nombre entier d'au moins 1 (par exemple --jobs 4)",
        )),
    }
}

/// Runs one subcommand with the options it was given.
fn dispatch(command: Command, progress: &progress::Progress) -> Result<Done, CliError> {
    match command {
        Command::Check { session, format } => {
            check::run(&session_folder(session), format, progress)
        }
        Command::Run {
            session,
            out,
            force,
            provisional,
            no_documents,
        } => {
            let options = run::RunOptions {
                out,
                force,
                provisional,
                documents: !no_documents,
            };
            run::run(&session_folder(session), &options, progress)
        }
        Command::Grids {
            session,
            out,
            force,
            missing,
        } => grids::run(&session_folder(session), out, force, missing),
        Command::Init {
            dir,
            referential,
            id,
            date,
        } => init::run(
            &dir,
            &init::InitOptions {
                referential,
                id,
                date,
            },
        ),
        Command::Audit {
            results,
            session,
            format,
        } => audit::run(&results, session.as_deref(), format),
        Command::Verify {
            results,
            number,
            code,
        } => verify::run(&results, &number, &code),
        Command::Cpf {
            results,
            out,
            again,
            report,
            session,
            now,
        } => {
            let options = cpf::CpfOptions {
                out,
                again,
                report,
                session,
                now,
            };
            cpf::run(&results, &options)
        }
        // Answered by `run` before anything else.
        Command::ReadWorkbook { .. } => Ok(Done::Unreadable),
    }
}

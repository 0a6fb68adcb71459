//! How a command ends: one type for every subcommand, one exit status for each kind, one
//! printer. A subcommand is `fn run(...) -> Result<Done, CliError>`: [`Done`] when it did
//! its job (its report may still flag errors, differences, a certificate not genuine),
//! [`CliError`] when it stopped; `cli::run` prints the error on stderr once and exits with
//! [`CliError::exit_code`] or [`Done::exit_code`].

use crate::core::finding::{exit_code, Finding};

/// A command that did its job, and what its printed report says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    /// Nothing to flag: exit 0.
    Clean,
    /// The report says something is wrong: errors in the session (`check`), differences
    /// (`audit`), a certificate not genuine (`verify`): exit 1.
    Flagged,
    /// `check`'s report names an input that cannot be read at all: exit 2.
    Unreadable,
}

impl Done {
    /// What a report of `findings` says: clean, errors, or an input unreadable.
    pub fn of(findings: &[Finding]) -> Done {
        match exit_code(findings) {
            0 => Done::Clean,
            1 => Done::Flagged,
            _ => Done::Unreadable,
        }
    }

    /// [`Done::Flagged`] when `flagged`, else [`Done::Clean`].
    pub fn flagged_if(flagged: bool) -> Done {
        if flagged {
            Done::Flagged
        } else {
            Done::Clean
        }
    }

    pub fn exit_code(self) -> u8 {
        match self {
            Done::Clean => 0,
            Done::Flagged => 1,
            Done::Unreadable => 2,
        }
    }
}
use jury_formats::render::report::{self, Summary};

/// Why a command stopped.
#[derive(Debug)]
pub enum CliError {
    /// Findings that block the command, printed as a report, then `footer` (what was not
    /// written). Exit 1 for errors, 2 when an input could not be read.
    Blocked {
        findings: Vec<Finding>,
        summary: Summary,
        footer: String,
    },
    /// Lines that say why the session is not ready and what to do (decisions wait for the
    /// jury, results are provisional, the session changed): exit 1.
    NotReady { lines: Vec<String> },
    /// Lines that say why the command cannot run and what to do (a manifest or a ledger
    /// unreadable, a folder taken): exit 2.
    Refused { lines: Vec<String> },
    /// A usage error, an unreadable input or a folder that may not be replaced: exit 2.
    /// Printed « Erreur : <reason>. » then `footer`.
    Fatal {
        reason: String,
        footer: &'static str,
    },
}

impl CliError {
    /// [`CliError::Fatal`] with nothing more to say after the reason.
    pub fn fatal(reason: impl Into<String>) -> CliError {
        CliError::Fatal {
            reason: reason.into(),
            footer: "",
        }
    }

    /// « Erreur : <message> » (exit 1): the session is not ready for this command.
    pub fn not_ready(message: impl Into<String>) -> CliError {
        CliError::NotReady {
            lines: vec![format!("Erreur : {}", message.into())],
        }
    }

    /// « Erreur : <message> » (exit 2): the command cannot run.
    pub fn refused(message: impl Into<String>) -> CliError {
        CliError::Refused {
            lines: vec![format!("Erreur : {}", message.into())],
        }
    }

    /// The process exit status: 1 the session is not ready, 2 the command could not run.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Blocked { findings, .. } => exit_code(findings).max(1),
            CliError::NotReady { .. } => 1,
            CliError::Refused { .. } => 2,
            CliError::Fatal { .. } => 2,
        }
    }

    /// The text printed on stderr.
    pub fn text(&self) -> String {
        match self {
            CliError::Blocked {
                findings,
                summary,
                footer,
            } => {
                let report = report::text(None, findings, summary);
                match footer.is_empty() {
                    true => report,
                    false => format!("{report}{footer}\n"),
                }
            }
            CliError::NotReady { lines } | CliError::Refused { lines } => {
                lines.iter().map(|l| format!("{l}\n")).collect()
            }
            CliError::Fatal { reason, footer } => {
                let reason = reason.trim_end_matches('.');
                match footer.is_empty() {
                    true => format!("Erreur : {reason}.\n"),
                    false => format!("Erreur : {reason}. {footer}\n"),
                }
            }
        }
    }
}

/// Prints `result`'s error, if any, and gives the exit status.
pub fn finish(result: Result<Done, CliError>) -> u8 {
    match result {
        Ok(done) => done.exit_code(),
        Err(error) => {
            eprint!("{}", error.text());
            error.exit_code()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_exit_status_and_one_sentence() {
        let fatal = CliError::Fatal {
            reason: "le dossier « x » est celui de la session.".into(),
            footer: "Aucun résultat n'a été écrit.",
        };
        assert_eq!(fatal.exit_code(), 2);
        assert_eq!(
            fatal.text(),
            "Erreur : le dossier « x » est celui de la session. Aucun résultat n'a été écrit.\n"
        );
        let not_ready = CliError::NotReady {
            lines: vec!["a".into(), "b".into()],
        };
        assert_eq!(
            (not_ready.exit_code(), not_ready.text()),
            (1, "a\nb\n".into())
        );
        let refused = CliError::refused("illisible");
        assert_eq!(
            (refused.exit_code(), refused.text()),
            (2, "Erreur : illisible\n".into())
        );
        assert_eq!(CliError::fatal("x").text(), "Erreur : x.\n");
    }
}

//! What stops a command: one type for every subcommand, one exit status for each kind, one
//! printer. A subcommand returns `Ok(status)` when it did its job (a report may still say
//! 1: errors found, a certificate not genuine) and `Err(CliError)` when it stopped; `cli::run`
//! prints the error on stderr once and exits with [`CliError::exit_code`].

use crate::core::finding::{exit_code, Finding};
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
    /// Lines that say why and what to do, with their exit status: 1 when the session is
    /// not ready (decisions wait for the jury, results are provisional, the session
    /// changed), 2 when the command cannot run.
    Refused { status: u8, lines: Vec<String> },
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

    /// The process exit status: 1 the session is not ready, 2 the command could not run.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Blocked { findings, .. } => exit_code(findings).max(1),
            CliError::Refused { status, .. } => *status,
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
            CliError::Refused { lines, .. } => lines.iter().map(|l| format!("{l}\n")).collect(),
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
pub fn finish(result: Result<u8, CliError>) -> u8 {
    match result {
        Ok(status) => status,
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
        let refused = CliError::Refused {
            status: 1,
            lines: vec!["a".into(), "b".into()],
        };
        assert_eq!((refused.exit_code(), refused.text()), (1, "a\nb\n".into()));
        assert_eq!(CliError::fatal("x").text(), "Erreur : x.\n");
    }
}

//! `jury check <session>`: load, analyse, report.

use std::path::Path;

use crate::cli::documents::{preflight, template_files};
use crate::cli::error::{CliError, Done};
use crate::cli::progress::Progress;
use crate::cli::Format;
use crate::core::finding::Finding;
use crate::core::validate::{analyse_with, Analysis, SessionData, Traces};
use jury_formats::render::report::{self, Summary};
use jury_formats::render::Results;
use jury_fs::session::load;

/// A report command: its status says what it found (0 clean, 1 errors, 2 unreadable).
pub fn run(session: &Path, format: Format, progress: &Progress) -> Result<Done, CliError> {
    let reading = progress.phase("read", "Lecture des classeurs", None);
    let loaded = load(session);
    drop(reading);
    let report = match &loaded.data {
        Some(data) => session_report(session, data, progress),
        None => Report {
            findings: loaded.findings.clone(),
            summary: Summary::default(),
            title: None,
        },
    };
    Ok(report.print(format))
}

/// What `check` prints: the findings, the session's counts and its title (when the
/// configuration could be read).
struct Report {
    findings: Vec<Finding>,
    summary: Summary,
    title: Option<String>,
}

impl Report {
    /// Prints the report in `format` and says what its findings call for.
    fn print(mut self, format: Format) -> Done {
        let counts = Summary::of(&self.findings);
        self.summary.errors = counts.errors;
        self.summary.warnings = counts.warnings;
        match format {
            Format::Json => println!("{}", report::json(&self.findings, &self.summary)),
            Format::Text => print!(
                "{}",
                report::text(self.title.as_deref(), &self.findings, &self.summary)
            ),
        }
        Done::of(&self.findings)
    }
}

/// Checks and decides a session that could be loaded, with the documents' preflight.
fn session_report(session: &Path, data: &SessionData, progress: &Progress) -> Report {
    let checking = progress.phase("check", "Vérification et décisions", None);
    let mut analysis = analyse_with(data, Traces::Drop);
    analysis
        .findings
        .extend(document_findings(session, data, &analysis));
    drop(checking);
    let mut summary = Summary {
        candidates: data.candidates.candidates.len(),
        grids: data.grid_count(),
        ..Summary::default()
    };
    summary.count_outcomes(analysis.decisions.iter().map(|d| d.outcome));
    let title = format!(
        "Session {} — {}",
        data.config.id,
        data.config.certification_label(&data.referential)
    );
    Report {
        findings: analysis.findings,
        summary,
        title: Some(title),
    }
}

/// What `run` would refuse to print: the same preflight, on the same decisions.
fn document_findings(session: &Path, data: &SessionData, analysis: &Analysis) -> Vec<Finding> {
    let files = match template_files(session, data.config.templates.as_deref()) {
        Ok(files) => files,
        Err(findings) => return findings,
    };
    let results = Results {
        data,
        analysis,
        inputs: &[],
        provisional: false,
    };
    match preflight(&results, &files) {
        Ok(_) => Vec::new(),
        Err(findings) => findings,
    }
}

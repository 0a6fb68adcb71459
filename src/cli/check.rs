//! `jury check <session>`: load, analyse, report.

use std::path::Path;

use crate::cli::documents::{preflight, template_files};
use crate::cli::error::CliError;
use crate::cli::progress::Progress;
use crate::cli::Format;
use crate::core::finding::{exit_code, Finding};
use crate::core::validate::{analyse_with, Analysis, SessionData, Traces};
use jury_formats::render::report::{self, Summary};
use jury_formats::render::Results;
use jury_fs::session::load;

/// A report command: its status says what it found (0 clean, 1 errors, 2 unreadable).
pub fn run(session: &Path, format: Format, progress: &Progress) -> Result<u8, CliError> {
    let reading = progress.phase("read", "Lecture des classeurs", None);
    let loaded = load(session);
    drop(reading);
    let mut summary = Summary::default();
    let (findings, title) = match &loaded.data {
        Some(data) => {
            let checking = progress.phase("check", "Vérification et décisions", None);
            let mut analysis = analyse_with(data, Traces::Drop);
            analysis
                .findings
                .extend(document_findings(session, data, &analysis));
            drop(checking);
            summary.candidates = data.candidates.candidates.len();
            summary.grids = data.grid_count();
            summary.count_outcomes(analysis.decisions.iter().map(|d| d.outcome));
            let title = format!(
                "Session {} — {}",
                data.config.id,
                data.config.certification_label(&data.referential)
            );
            (analysis.findings, Some(title))
        }
        None => (loaded.findings.clone(), None),
    };
    let counts = Summary::of(&findings);
    summary.errors = counts.errors;
    summary.warnings = counts.warnings;
    match format {
        Format::Json => println!("{}", report::json(&findings, &summary)),
        Format::Text => print!("{}", report::text(title.as_deref(), &findings, &summary)),
    }
    Ok(exit_code(&findings))
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
    preflight(&results, &files).err().unwrap_or_default()
}

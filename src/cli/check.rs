//! `jury check <session>`: load, analyse, report.

use std::path::Path;

use crate::cli::progress::Progress;
use crate::cli::Format;
use crate::core::finding::exit_code;
use crate::core::validate::{analyse_with, Traces};
use crate::io::session::load;
use crate::render::report::{self, Summary};

pub fn run(session: &Path, format: Format, progress: &Progress) -> u8 {
    let reading = progress.phase("read", "Lecture des classeurs", None);
    let loaded = load(session);
    drop(reading);
    let mut summary = Summary::default();
    let (findings, title) = match &loaded.data {
        Some(data) => {
            let checking = progress.phase("check", "Vérification et décisions", None);
            let analysis = analyse_with(data, Traces::Drop);
            drop(checking);
            summary.candidates = data.candidates.candidates.len();
            summary.grids = data.grid_count();
            summary.count_outcomes(analysis.decisions.iter().map(|d| d.outcome));
            let title = format!(
                "Session {} — {} ({})",
                data.config.id, data.referential.title, data.referential.code
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
    exit_code(&findings)
}

//! `jury audit <results-dir>`: prove that a results folder still matches its inputs.
//!
//! Re-hashes every input and output named in `manifest.json`, lists files that changed,
//! vanished or appeared, then decides the session again and compares every decision.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::cli::error::{CliError, Done};
use crate::cli::Format;
use crate::core::audit::{compare_decisions, compare_files, DecisionDifference, FileDifference};
use crate::core::finding::Severity;
use crate::core::manifest::{self, Manifest, TOOL_VERSION};
use crate::core::results::Results;
use crate::core::validate::{analyse, Input, SessionData};
use crate::core::wording::count;
use jury_formats::render::audit_text::difference_line;
use jury_fs::results::{read_manifest, result_files};
use jury_fs::session::{is_session, load};

#[derive(Serialize, Default)]
struct Report {
    ok: bool,
    recorded_version: String,
    current_version: &'static str,
    session: String,
    inputs: Vec<FileDifference>,
    outputs: Vec<FileDifference>,
    decisions: Vec<DecisionDifference>,
    notes: Vec<String>,
}

pub fn run(results: &Path, session: Option<&Path>, format: Format) -> Result<Done, CliError> {
    let recorded = read_manifest(results).map_err(said)?;
    let session_dir: PathBuf = session
        .map(Path::to_path_buf)
        .unwrap_or_else(|| results.join(&recorded.session.path));
    if !is_session(&session_dir) {
        return Err(said(format!(
            "le dossier de session « {} » est introuvable ; indiquez-le avec --session.",
            session_dir.display()
        )));
    }
    let mut report = Report {
        recorded_version: recorded.tool.version.to_string(),
        current_version: TOOL_VERSION,
        session: session_dir.display().to_string(),
        ..Report::default()
    };
    if recorded.tool.version != report.current_version {
        report.notes.push(format!(
            "Résultats produits par jury {}, audit avec jury {} : une différence de décision peut venir d'un changement de version.",
            recorded.tool.version, report.current_version
        ));
    }
    let loaded = load(&session_dir);
    report.inputs = compare_files(&recorded.inputs, &loaded.inputs);
    let current_outputs = result_files(results).map_err(|e| {
        said(format!(
            "le dossier de résultats ne peut pas être lu ({}).",
            jury_fs::session::io_reason(&e)
        ))
    })?;
    report.outputs = compare_files(&recorded.outputs, &current_outputs);
    match &loaded.data {
        None => report.notes.push(
            "La session ne peut plus être chargée : les décisions ne peuvent pas être recalculées."
                .into(),
        ),
        Some(data) => recompute(data, &loaded.inputs, &recorded, &mut report)?,
    }
    report.ok = report.inputs.is_empty()
        && report.outputs.is_empty()
        && report.decisions.is_empty()
        && loaded.data.is_some();
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|_| internal())?
        ),
        Format::Text => print!("{}", text(&report, &recorded, results)),
    }
    Ok(Done::flagged_if(!report.ok))
}

/// Decides the session again and records in `report` every decision that differs from the
/// manifest, and why the comparison may not be like for like.
fn recompute(
    data: &SessionData,
    inputs: &[Input],
    recorded: &Manifest,
    report: &mut Report,
) -> Result<(), CliError> {
    let mut analysis = analyse(data);
    let errors = analysis
        .findings
        .iter()
        .filter(|f| f.severity() > Severity::Warning)
        .count();
    if errors > 0 {
        report.notes.push(format!(
            "La session compte aujourd'hui {} (voir `jury check`) : les décisions recalculées peuvent en dépendre.",
            count(errors, "erreur", "erreurs")
        ));
    }
    if recorded.provisional {
        analysis
            .decisions
            .iter_mut()
            .for_each(|d| d.certificate = None);
    }
    let results_now = Results {
        data,
        analysis: &analysis,
        inputs,
        provisional: recorded.provisional,
    };
    let now = manifest::build(&results_now, String::new(), Vec::new()).map_err(|_| internal())?;
    if recorded
        .session
        .referential
        .rules_sha256
        .as_ref()
        .is_some_and(|h| Some(h) != now.session.referential.rules_sha256.as_ref())
    {
        report.notes.push("Les règles de décision (référentiel, agrégation, seuils) ne sont plus celles du manifeste.".into());
    }
    report.decisions = compare_decisions(&recorded.candidates, &now.candidates);
    Ok(())
}

/// A report or a decision that cannot be put in JSON: a fault of `jury`, never of the data.
fn internal() -> CliError {
    CliError::fatal("erreur interne : une décision recalculée ne peut pas être mise en forme ; signalez-le avec ce dossier de résultats")
}

fn text(report: &Report, recorded: &Manifest, results: &Path) -> String {
    let mut out = format!(
        "Audit de {} — session {} du {}, {} ({})\n",
        results.display(),
        recorded.session.id,
        recorded
            .session
            .date
            .split('-')
            .rev()
            .collect::<Vec<_>>()
            .join("/"),
        recorded.session.referential.title,
        recorded
            .session
            .referential
            .code
            .as_deref()
            .unwrap_or("sans code")
    );
    let mut section = |title: &str, n: usize, diffs: &[FileDifference]| {
        out.push_str(&format!(
            "\n{title} : {}, {}\n",
            count(n, "fichier enregistré", "fichiers enregistrés"),
            count(diffs.len(), "écart", "écarts")
        ));
        for d in diffs {
            out.push_str(&format!("  {} : {}\n", d.change.label(), d.path));
        }
    };
    section("Entrées", recorded.inputs.len(), &report.inputs);
    section("Sorties", recorded.outputs.len(), &report.outputs);
    out.push_str(&format!(
        "\nDécisions : {}, {}\n",
        count(
            recorded.candidates.len(),
            "candidat enregistré",
            "candidats enregistrés"
        ),
        count(report.decisions.len(), "écart", "écarts")
    ));
    for d in &report.decisions {
        out.push_str(&difference_line(d));
    }
    for note in &report.notes {
        out.push_str(&format!("\nNote : {note}\n"));
    }
    let total = report.inputs.len() + report.outputs.len() + report.decisions.len();
    out.push_str(&if report.ok {
        "\nBilan : tout concorde ; les résultats correspondent aux entrées.\n".to_string()
    } else {
        format!(
            "\nBilan : {} ; les résultats ne correspondent plus à ce qui a été enregistré.\n",
            count(total, "écart", "écarts")
        )
    });
    out
}

/// « Erreur : <message> » as written (exit 2): the manifest or the session cannot be read.
fn said(message: String) -> CliError {
    CliError::refused(message)
}

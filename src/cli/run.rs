//! `jury run <session>`: check, decide, and write the results atomically.

use std::path::{Path, PathBuf};

use crate::cli::documents::{preflight, template_files};
use crate::cli::error::{CliError, Done};
use crate::cli::progress::Progress;
use crate::core::decide::Outcome;
use crate::core::finding::Finding;
use crate::core::validate::{analyse, Analysis, Input, SessionData};
use crate::core::wording::count;
use jury_formats::render::manifest::Counts;
use jury_formats::render::pdf::Templates;
use jury_formats::render::report::Summary;
use jury_formats::render::{manifest, pdf, summary, Results};
use jury_fs::output::{check_target, failure_reason, relative_path, OutputError, Staging};
use jury_fs::session::load;
use jury_fs::templates::TemplateFiles;

pub struct RunOptions {
    pub out: Option<PathBuf>,
    pub force: bool,
    pub provisional: bool,
    /// Write the PDF documents (`--no-documents` turns them off).
    pub documents: bool,
}

const NOTHING_WRITTEN: &str = "Aucun résultat n'a été écrit.";

/// Reads, checks and decides the session, then writes its results: nothing is written
/// unless every step before the writing succeeded.
pub fn run(session: &Path, options: &RunOptions, progress: &Progress) -> Result<Done, CliError> {
    let (data, session_inputs) = read(session, progress)?;
    let analysis = decide(&data, options.provisional, progress)?;
    let target = checked_target(session, &data, options)?;
    let template_files = template_files(session, data.config.templates.as_deref())
        .map_err(|findings| refused(findings, &data))?;
    let inputs = all_inputs(session_inputs, &template_files);
    let results = Results {
        data: &data,
        analysis: &analysis,
        inputs: &inputs,
        provisional: options.provisional,
    };
    let templates = compiled_templates(&results, &template_files, options.documents, progress)?;
    let counts = write(&results, templates.as_ref(), &target, session, progress)?;
    println!(
        "{}Résultats écrits dans {} : {}.",
        if options.provisional {
            "PROVISOIRE — "
        } else {
            ""
        },
        target.display(),
        outcomes(&counts),
    );
    Ok(Done::Clean)
}

/// Loads the session: its data and the inputs read, or the report of why it cannot be.
fn read(session: &Path, progress: &Progress) -> Result<(SessionData, Vec<Input>), CliError> {
    let reading = progress.phase("read", "Lecture des classeurs", None);
    let loaded = load(session);
    drop(reading);
    match loaded.data {
        Some(data) => Ok((data, loaded.inputs)),
        None => Err(CliError::Blocked {
            summary: Summary::of(&loaded.findings),
            findings: loaded.findings,
            footer: String::new(),
        }),
    }
}

/// Checks and decides every candidate: refused on any error, or while a decision waits
/// for the jury (unless provisional, then without certificates).
fn decide(
    data: &SessionData,
    provisional: bool,
    progress: &Progress,
) -> Result<Analysis, CliError> {
    let checking = progress.phase("check", "Vérification et décisions", None);
    let mut analysis = analyse(data);
    drop(checking);
    let errors: Vec<Finding> = analysis.errors().cloned().collect();
    if !errors.is_empty() {
        return Err(refused(errors, data));
    }
    ready(&analysis, provisional)?;
    if provisional {
        for d in &mut analysis.decisions {
            d.certificate = None;
        }
    }
    Ok(analysis)
}

/// The results folder (`--out`, else `<session>/resultats`), once it may be written: new or
/// empty, or with `--force` results of jury; never the session or its grids folder.
fn checked_target(
    session: &Path,
    data: &SessionData,
    options: &RunOptions,
) -> Result<PathBuf, CliError> {
    let target = options
        .out
        .clone()
        .unwrap_or_else(|| session.join("resultats"));
    let protected = [session.to_path_buf(), session.join(&data.config.grids)];
    check_target(&target, options.force, &protected).map_err(|e| CliError::fatal(e.to_string()))?;
    Ok(target)
}

/// The manifest's inputs: the session's files and the templates read, sorted.
fn all_inputs(mut inputs: Vec<Input>, template_files: &TemplateFiles) -> Vec<Input> {
    inputs.extend(template_files.inputs.iter().cloned());
    inputs.sort();
    inputs
}

/// The documents' templates, compiled (none with `--no-documents`), or the findings that
/// stop the documents from being printed.
fn compiled_templates(
    results: &Results,
    template_files: &TemplateFiles,
    documents: bool,
    progress: &Progress,
) -> Result<Option<Templates>, CliError> {
    let _preparing = progress.phase("templates", "Modèles de documents", None);
    if !documents {
        return Ok(None);
    }
    let templates =
        preflight(results, template_files).map_err(|findings| refused(findings, results.data))?;
    Ok(Some(templates))
}

/// `NotReady` while any decision waits for the jury, unless the run is provisional.
fn ready(analysis: &Analysis, provisional: bool) -> Result<(), CliError> {
    let pending: Vec<&str> = analysis
        .decisions
        .iter()
        .filter(|d| d.outcome == Outcome::Pending)
        .map(|d| d.candidate.as_str())
        .collect();
    if pending.is_empty() || provisional {
        return Ok(());
    }
    Err(CliError::NotReady {
        lines: vec![
        format!(
            "{} (candidat{} {}).",
            count(
                pending.len(),
                "décision attend la délibération du jury",
                "décisions attendent la délibération du jury"
            ),
            if pending.len() > 1 { "s" } else { "" },
            pending.join(", ")
        ),
        "Ajoutez les décisions du jury au fichier de délibération, ou relancez avec --provisional pour un document provisoire.".into(),
            NOTHING_WRITTEN.into(),
        ],
    })
}

/// Writes every result into a staging folder beside `target` and renames it into place;
/// any error drops the folder and leaves the target untouched. Gives the manifest's counts.
fn write(
    results: &Results,
    templates: Option<&Templates>,
    target: &Path,
    session: &Path,
    progress: &Progress,
) -> Result<Counts, CliError> {
    let fatal = |reason: String| CliError::Fatal {
        reason,
        footer: NOTHING_WRITTEN,
    };
    let staging = Staging::begin(target).map_err(|e| fatal(e.to_string()))?;
    let summarising = progress.phase("summary", "Synthèse (synthese.xlsx)", None);
    staging
        .write_with("synthese.xlsx", |out| {
            summary::render_into(results, out, staging.dir())
        })
        .map_err(|e| fatal(format!("la synthèse ne peut pas être produite ({e})")))?;
    drop(summarising);
    if let Some(templates) = templates {
        let rendering = progress.phase("documents", "Documents PDF", Some(document_count(results)));
        pdf::render_into(results, templates, &staging, &|| rendering.tick()).map_err(|e| {
            fatal(format!(
                "les documents PDF ne peuvent pas être produits ({e})"
            ))
        })?;
    }
    let writing = progress.phase("write", "Écriture des résultats", None);
    let manifest = manifest::build(results, relative_path(target, session), staging.outputs())
        .map_err(|e| fatal(format!("le manifeste ne peut pas être produit ({e})")))?;
    let written = staging.create("manifest.json").and_then(|mut file| {
        manifest::write_to(&manifest, &mut file).map_err(|e| OutputError::Io {
            path: target.join("manifest.json"),
            reason: failure_reason(&e),
        })?;
        file.finish()
    });
    written
        .and_then(|()| staging.commit())
        .map_err(|e| fatal(e.to_string()))?;
    drop(writing);
    Ok(manifest.counts)
}

/// The run's last line: each outcome counted.
fn outcomes(c: &Counts) -> String {
    let mut outcomes = vec![
        count(
            c.certified,
            "certification délivrée",
            "certifications délivrées",
        ),
        count(c.not_certified, "non délivrée", "non délivrées"),
        count(
            c.absent,
            "absence à l'évaluation",
            "absences à l'évaluation",
        ),
        count(
            c.non_recevable,
            "candidature non recevable",
            "candidatures non recevables",
        ),
    ];
    if c.pending > 0 {
        outcomes.push(count(
            c.pending,
            "décision en attente",
            "décisions en attente",
        ));
    }
    outcomes.join(", ")
}

/// What stops the run before anything is written, as a report.
fn refused(blocking: Vec<Finding>, data: &SessionData) -> CliError {
    let mut summary = Summary::of(&blocking);
    summary.candidates = data.candidates.candidates.len();
    summary.grids = data.grid_count();
    CliError::Blocked {
        findings: blocking,
        summary,
        footer: NOTHING_WRITTEN.into(),
    }
}

/// Documents `render_into` writes: minutes, the certificates file and one per certificate,
/// one statement per candidate (for the progress bar only).
fn document_count(results: &Results) -> u64 {
    let certified = results
        .analysis
        .decisions
        .iter()
        .filter(|d| d.certificate.is_some())
        .count();
    let all = results.analysis.decisions.len();
    (1 + usize::from(certified > 0) + certified + all) as u64
}

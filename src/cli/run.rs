//! `jury run <session>`: check, decide, and write the results atomically.

use std::path::{Path, PathBuf};

use crate::cli::documents::{preflight, template_files};
use crate::cli::progress::Progress;
use crate::core::decide::Outcome;
use crate::core::finding::{exit_code, Finding, Severity};
use crate::core::validate::{analyse, SessionData};
use crate::core::wording::count;
use crate::io::output::{check_target, relative_path, OutputError, Staging};
use crate::io::session::load;
use crate::render::report::{self, Summary};
use crate::render::{manifest, pdf, summary, Results};

pub struct RunOptions {
    pub out: Option<PathBuf>,
    pub force: bool,
    pub provisional: bool,
    /// Write the PDF documents (`--no-documents` turns them off).
    pub documents: bool,
}

pub fn run(session: &Path, options: &RunOptions, progress: &Progress) -> u8 {
    let reading = progress.phase("read", "Lecture des classeurs", None);
    let loaded = load(session);
    drop(reading);
    let Some(data) = &loaded.data else {
        eprint!(
            "{}",
            report::text(None, &loaded.findings, &Summary::of(&loaded.findings))
        );
        return exit_code(&loaded.findings);
    };
    let checking = progress.phase("check", "Vérification et décisions", None);
    let mut analysis = analyse(data);
    drop(checking);
    let status = exit_code(&analysis.findings);
    if status != 0 {
        let mut s = Summary::of(&analysis.findings);
        s.candidates = data.candidates.candidates.len();
        s.grids = data.grids.len();
        let blocking: Vec<_> = analysis
            .findings
            .iter()
            .filter(|f| f.severity() > Severity::Warning)
            .cloned()
            .collect();
        eprint!("{}", report::text(None, &blocking, &s));
        eprintln!("Aucun résultat n'a été écrit.");
        return status;
    }
    let pending: Vec<&str> = analysis
        .decisions
        .iter()
        .filter(|d| d.outcome == Outcome::Pending)
        .map(|d| d.candidate.as_str())
        .collect();
    if !pending.is_empty() && !options.provisional {
        eprintln!(
            "{} (candidat{} {}).",
            count(
                pending.len(),
                "décision attend la délibération du jury",
                "décisions attendent la délibération du jury"
            ),
            if pending.len() > 1 { "s" } else { "" },
            pending.join(", ")
        );
        eprintln!("Ajoutez les décisions du jury au fichier de délibération, ou relancez avec --provisional pour un document provisoire.");
        eprintln!("Aucun résultat n'a été écrit.");
        return 1;
    }
    if options.provisional {
        for d in &mut analysis.decisions {
            d.certificate = None;
        }
    }
    let target = options
        .out
        .clone()
        .unwrap_or_else(|| session.join("resultats"));
    let protected = [session.to_path_buf(), session.join(&data.config.grids)];
    if let Err(e) = check_target(&target, options.force, &protected) {
        eprintln!("Erreur : {e}.");
        return 2;
    }
    let template_files = match template_files(session, data.config.templates.as_deref()) {
        Ok(t) => t,
        Err(findings) => return refused(&findings, data),
    };
    let mut inputs = loaded.inputs.clone();
    inputs.extend(template_files.inputs.iter().cloned());
    inputs.sort();
    let results = Results {
        data,
        analysis: &analysis,
        inputs: &inputs,
        provisional: options.provisional,
    };
    let preparing = progress.phase("templates", "Modèles de documents", None);
    let templates = if options.documents {
        match preflight(&results, &template_files) {
            Ok(templates) => Some(templates),
            Err(blocking) => return refused(&blocking, data),
        }
    } else {
        None
    };
    drop(preparing);
    // From here on every file goes into a staging folder beside the target, renamed
    // into place at the end; any error drops the folder and leaves the target untouched.
    let staging = match Staging::begin(&target) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("Erreur : {e}. Aucun résultat n'a été écrit.");
            return 2;
        }
    };
    let summarising = progress.phase("summary", "Synthèse (synthese.xlsx)", None);
    let written = staging
        .write_with("synthese.xlsx", |out| {
            summary::render_into(&results, out, staging.dir())
        })
        .map_err(|e| format!("la synthèse ne peut pas être produite ({e})"));
    if let Err(e) = written {
        eprintln!("Erreur : {e}. Aucun résultat n'a été écrit.");
        return 2;
    }
    drop(summarising);
    if let Some(templates) = &templates {
        let count = document_count(&results);
        let rendering = progress.phase("documents", "Documents PDF", Some(count));
        if let Err(e) = pdf::render_into(&results, templates, &staging, &|| rendering.tick()) {
            eprintln!("Erreur : les documents PDF ne peuvent pas être produits ({e}). Aucun résultat n'a été écrit.");
            return 2;
        }
    }
    let writing = progress.phase("write", "Écriture des résultats", None);
    let manifest = manifest::build(&results, relative_path(&target, session), staging.outputs());
    let written = staging.create("manifest.json").and_then(|mut file| {
        manifest::write_to(&manifest, &mut file).map_err(|e| OutputError::Io {
            path: target.join("manifest.json"),
            reason: e.to_string(),
        })?;
        file.finish()
    });
    let committed = written.and_then(|()| staging.commit());
    if let Err(e) = committed {
        eprintln!("Erreur : {e}. Aucun résultat n'a été écrit.");
        return 2;
    }
    drop(writing);
    let c = &manifest.counts;
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
    println!(
        "{}Résultats écrits dans {} : {}.",
        if options.provisional {
            "PROVISOIRE — "
        } else {
            ""
        },
        target.display(),
        outcomes.join(", "),
    );
    0
}

/// Prints what stops the documents (nothing was written) and gives the exit status.
fn refused(blocking: &[Finding], data: &SessionData) -> u8 {
    let mut s = Summary::of(blocking);
    s.candidates = data.candidates.candidates.len();
    s.grids = data.grids.len();
    eprint!("{}", report::text(None, blocking, &s));
    eprintln!("Aucun résultat n'a été écrit.");
    exit_code(blocking)
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

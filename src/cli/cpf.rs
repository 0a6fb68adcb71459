//! `jury cpf <results-dir>`: declare the certified holders to the Caisse des Dépôts.
//!
//! Export: the session must be the one `jury run` decided (same input hashes); it is
//! analysed again, and any finding (a CPF value missing or malformed) stops the command
//! with nothing written. The XML of the passages not yet sent is written, then the ledger.
//! `--report FILE`: records the verdicts of the CDC's processing report in the ledger.

use std::path::{Path, PathBuf};

use crate::cli::error::{CliError, Done};
use crate::core::audit::compare_files;
use crate::core::cpf::{self, ledger::Ledger};
use crate::core::session::CpfConfig;
use crate::core::validate::{analyse, Analysis, SessionData};
use crate::core::wording::count;
use jury_formats::cdc_report;
use jury_formats::render::cpf_xml;
use jury_formats::render::report::Summary;
use jury_fs::ledger;
use jury_fs::output::relative_path;
use jury_fs::results::read_manifest;
use jury_fs::session::load;
use jury_fs::templates::read_templates;

pub struct CpfOptions {
    pub out: Option<PathBuf>,
    pub again: bool,
    pub report: Option<PathBuf>,
    pub session: Option<PathBuf>,
    pub now: bool,
}

pub fn run(results: &Path, options: &CpfOptions) -> Result<Done, CliError> {
    match &options.report {
        Some(file) => read_report(results, file),
        None => export(results, options),
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

/// The session decided in `results`, loaded again and unchanged since `jury run`, and its
/// `[cpf]` section.
fn decided_session(results: &Path, o: &CpfOptions) -> Result<(SessionData, CpfConfig), CliError> {
    let recorded = read_manifest(results).map_err(CliError::refused)?;
    if recorded.provisional {
        return Err(CliError::not_ready("ces résultats sont provisoires (jury run --provisional) : ils ne se déclarent pas. Relancez `jury run` une fois toutes les décisions prises."));
    }
    let session = o
        .session
        .clone()
        .unwrap_or_else(|| results.join(&recorded.session.path));
    let loaded = load(&session);
    let Some(data) = loaded.data else {
        return Err(CliError::Blocked {
            findings: loaded.findings,
            summary: Summary::default(),
            footer: format!(
                "Erreur : la session « {} » ne peut pas être lue.",
                session.display()
            ),
        });
    };
    let Some(config) = data.config.cpf.clone() else {
        return Err(CliError::refused("session.toml n'a pas de section [cpf] : ajoutez-y les identifiants que la Caisse des Dépôts vous a donnés, par exemple\n[cpf]\nid_client = \"ABCD1234\"\nid_contrat = \"MCFCER000123\"\npuis relancez `jury run --force` et `jury cpf`."));
    };
    let mut inputs = loaded.inputs.clone();
    inputs.extend(
        read_templates(&session, data.config.templates.as_deref())
            .map_err(CliError::refused)?
            .inputs,
    );
    let changed: Vec<String> = compare_files(&recorded.inputs, &inputs)
        .iter()
        .map(|d| format!("{} ({})", d.path, d.change.label()))
        .collect();
    if !changed.is_empty() {
        return Err(CliError::not_ready(format!("la session a changé depuis `jury run` ({}) : relancez `jury run --force` avant de déclarer.", changed.join(", "))));
    }
    Ok((data, config))
}

fn export(results: &Path, o: &CpfOptions) -> Result<Done, CliError> {
    let (data, config) = decided_session(results, o)?;
    let data = &data;
    let analysis = analyse(data);
    refuse_findings(data, &analysis)?;
    let passages = cpf::passages(data, &analysis.decisions).map_err(undeclarable)?;
    let mut ledger = open_ledger(results, &data.config.id)?;
    let selection = ledger.select(&passages, o.again);
    for e in &selection.unchanged {
        println!("Non renvoyé : {} — {} (candidat {}), rejeté par la Caisse des Dépôts et inchangé depuis ({}). Corrigez-le, relancez `jury run --force`, ou forcez l'envoi avec --again.", e.id_technique, e.holder, e.candidate, e.message.as_deref().unwrap_or("sans message"));
    }
    let done = selection.done.len();
    if selection.send.is_empty() {
        println!(
            "Rien à déclarer : {} (voir {}). `--again` {} de nouveau.",
            already_declared(done),
            ledger::ledger_path(results).display(),
            if done > 1 { "les exporte" } else { "l'exporte" }
        );
        return Ok(Done::Clean);
    }
    let timestamp = if o.now {
        cpf::french_time(now())
    } else {
        cpf::noon_in_france(data.config.date)
    };
    // `check_candidates` refuses a session without a usable code before this point.
    let code = data
        .config
        .certification_code(&data.referential)
        .ok_or_else(|| CliError::not_ready("la session n'a pas de code de certification (RS ou RNCP) : indiquez-le dans session.toml ([session] code)."))?;
    let send = selection.send.into_iter().cloned().collect();
    let declaration = cpf::declaration(&config, &data.config.id, code, send, timestamp);
    let out = write_declaration(results, o, &declaration, &mut ledger)?;
    print_exported(results, &out, &declaration, done);
    Ok(Done::Clean)
}

/// Any error finding stops the export: « Aucun fichier CPF n'a été écrit. »
fn refuse_findings(data: &SessionData, analysis: &Analysis) -> Result<(), CliError> {
    let blocking: Vec<_> = analysis.errors().cloned().collect();
    if blocking.is_empty() {
        return Ok(());
    }
    let summary = Summary {
        errors: blocking.len(),
        candidates: data.candidates.candidates.len(),
        ..Summary::default()
    };
    Err(CliError::Blocked {
        findings: blocking,
        summary,
        footer: "Aucun fichier CPF n'a été écrit.".into(),
    })
}

/// The candidatures that cannot be declared, named (exit 1).
fn undeclarable(ids: Vec<String>) -> CliError {
    CliError::not_ready(if ids.len() > 1 {
        format!(
            "les candidatures {} ne peuvent pas être déclarées (voir `jury check`).",
            ids.join(", ")
        )
    } else {
        format!(
            "la candidature {} ne peut pas être déclarée (voir `jury check`).",
            ids.join(", ")
        )
    })
}

/// The results folder's CPF ledger, or a new one for `session`; refused when it is another
/// session's.
fn open_ledger(results: &Path, session: &str) -> Result<Ledger, CliError> {
    let ledger = ledger::read(results)
        .map_err(CliError::refused)?
        .unwrap_or_else(|| Ledger {
            session: session.to_string(),
            passages: Vec::new(),
        });
    if ledger.session != session {
        return Err(CliError::refused(format!("le registre {} est celui de la session {}, pas de {} : vérifiez le dossier de résultats.", ledger::ledger_path(results).display(), ledger.session, session)));
    }
    Ok(ledger)
}

/// Writes the declaration's XML, then records it in the ledger. Gives where it was written.
fn write_declaration(
    results: &Path,
    o: &CpfOptions,
    declaration: &cpf::Declaration,
    ledger: &mut Ledger,
) -> Result<PathBuf, CliError> {
    let bytes = cpf_xml::render(declaration)
        .map_err(|e| CliError::refused(format!("le fichier XML ne peut pas être produit ({e})")))?;
    let out = o
        .out
        .clone()
        .unwrap_or_else(|| ledger::folder(results).join(format!("{}.xml", declaration.id_flux)));
    ledger::write_file(&out, &bytes).map_err(CliError::refused)?;
    let file = relative_path(results, &out);
    ledger.record_export(
        &declaration.passages,
        &declaration.id_flux,
        &file,
        &cpf::utc_time(now()),
    );
    ledger::write(results, ledger).map_err(|e| {
        CliError::refused(format!(
            "{e} ; le fichier {} est écrit mais n'est pas inscrit au registre",
            out.display()
        ))
    })?;
    Ok(out)
}

/// « n déclarations déjà exportées ou acceptées ».
fn already_declared(done: usize) -> String {
    count(
        done,
        "déclaration déjà exportée ou acceptée",
        "déclarations déjà exportées ou acceptées",
    )
}

/// What was written, what was left out, and what to do next.
fn print_exported(results: &Path, out: &Path, declaration: &cpf::Declaration, done: usize) {
    println!(
        "Déclaration CPF écrite dans {} : flux {}, {} de la certification {}.",
        out.display(),
        declaration.id_flux,
        count(declaration.passages.len(), "titulaire", "titulaires"),
        declaration.code
    );
    if done > 0 {
        println!(
            "{} non {} (`--again` pour {}).",
            already_declared(done),
            if done > 1 { "reprises" } else { "reprise" },
            if done > 1 {
                "les renvoyer"
            } else {
                "la renvoyer"
            }
        );
    }
    println!("Déposez ce fichier tel quel sur le portail des certificateurs de la Caisse des Dépôts, puis enregistrez son accusé de traitement : jury cpf {} --report <fichier>.", results.display());
}

fn read_report(results: &Path, file: &Path) -> Result<Done, CliError> {
    let mut ledger = ledger::read(results)
        .map_err(CliError::refused)?
        .ok_or_else(|| {
            CliError::refused(format!(
                "aucun registre CPF dans « {} » : rien n'a encore été exporté (jury cpf {}).",
                ledger::folder(results).display(),
                results.display()
            ))
        })?;
    let lines = ledger::read_report(file)
        .and_then(|bytes| cdc_report::parse(&bytes))
        .map_err(|e| {
            CliError::refused(format!(
                "le rapport « {} » ne peut pas être lu : {e}.",
                file.display()
            ))
        })?;
    let outcome = ledger.apply_report(&lines, &cpf::utc_time(now()));
    ledger::write(results, &ledger).map_err(CliError::refused)?;
    print!(
        "{}",
        ledger.report_text(&outcome, &file.display().to_string())
    );
    Ok(Done::Clean)
}

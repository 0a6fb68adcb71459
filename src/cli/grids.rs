//! `jury grids <session>`: one blank grid per juror, never over a grid that exists; with
//! `--missing`, one complementary grid per juror listing only the candidates that none of
//! that juror's grids lists yet (late candidates), the filled grids left untouched.
//!
//! Without `--missing`, only `session.toml`, the referential and the candidates file
//! matter: whatever is in `grilles/` (nothing yet, or grids being filled) is neither
//! required nor read for use. With it, the grids of `grilles/` are read as `jury check`
//! reads them, to know who each juror already has.

use std::path::{Path, PathBuf};

use crate::cli::error::{CliError, Done};
use crate::core::finding::{exit_code, Code, Finding, Severity};
use crate::core::validate::SessionData;
use crate::core::wording::of_name;
use jury_formats::render::blank_grid::{
    candidate_count, complements, plan, render, JurorGrid, Plan,
};
use jury_formats::render::report::Summary;
use jury_fs::atomic::{is_taken, write_files, Replace};
use jury_fs::session::io_reason;
use jury_fs::session::load;

const NOTHING_WRITTEN: &str = "Aucune grille n'a été écrite.";

/// Plans every juror's grid from the session, then writes the blank grids (or, with
/// `--missing`, the complements) all at once.
pub fn run(
    session: &Path,
    out: Option<PathBuf>,
    force: bool,
    missing: bool,
) -> Result<Done, CliError> {
    let loaded = load(session);
    let Some(data) = &loaded.data else {
        return Err(CliError::Blocked {
            summary: Summary::of(&loaded.findings),
            findings: loaded.findings,
            footer: String::new(),
        });
    };
    check_candidates(data)?;
    let plan = checked_plan(data)?;
    let target = out.unwrap_or_else(|| session.join(&data.config.grids));
    if missing {
        return write_missing(data, plan, &target);
    }
    if !force {
        refuse_existing(&plan.grids, &target)?;
    }
    render_and_write(data, &plan.grids, &target, force)?;
    print_written("Grilles écrites dans", &target, &plan.grids);
    Ok(Done::Clean)
}

/// Refuses to write over any grid file that exists: a filled grid must not be lost.
fn refuse_existing(grids: &[JurorGrid], target: &Path) -> Result<(), CliError> {
    let existing: Vec<&str> = grids
        .iter()
        .map(|g| g.file_name.as_str())
        .filter(|name| is_taken(target, name))
        .collect();
    if existing.is_empty() {
        return Ok(());
    }
    let (verb, these) = if existing.len() == 1 {
        ("existe", "ce fichier")
    } else {
        ("existent", "ces fichiers")
    };
    Err(refused(vec![format!(
        "Erreur : {} {verb} déjà dans « {} » : une grille remplie ne doit pas être perdue. Relancez avec --force pour remplacer {these}, ou avec --missing pour n'écrire que des grilles complémentaires, pour les candidats qui n'y figurent pas encore. {NOTHING_WRITTEN}",
        existing.join(", "),
        target.display()
    )]))
}

/// Lines that stop `jury grids` (exit 2).
fn refused(lines: Vec<String>) -> CliError {
    CliError::Refused { lines }
}

/// A report of blocking findings, then that nothing was written.
fn blocked(findings: Vec<Finding>) -> CliError {
    CliError::Blocked {
        summary: Summary::of(&findings),
        findings,
        footer: NOTHING_WRITTEN.into(),
    }
}

/// Reports the candidates file's findings (grids and deliberation findings do not concern
/// blank grids): `Err(2)` when it cannot be read, its warnings printed otherwise.
fn check_candidates(data: &SessionData) -> Result<(), CliError> {
    let candidates_file = data.config.candidates.as_str();
    let findings: Vec<Finding> = data
        .findings
        .iter()
        .filter(|f| f.file.as_deref() == Some(candidates_file))
        .chain(&data.candidates.findings)
        .cloned()
        .collect();
    // A prerequisites column not read would list every candidate as recevable (exit 1).
    if findings.iter().any(|f| f.code == Code::UnrecognisedColumn) || exit_code(&findings) == 2 {
        return Err(blocked(findings));
    }
    for f in &findings {
        let place = match (&f.sheet, &f.cell) {
            (Some(sheet), Some(cell)) => format!("{sheet}!{cell} "),
            _ => String::new(),
        };
        let kind = if f.severity() > Severity::Warning {
            "erreur"
        } else {
            "avertissement"
        };
        eprintln!(
            "{kind} [{}] {candidates_file} {place}: {}",
            f.code.as_str(),
            f.message
        );
    }
    Ok(())
}

/// Every juror's planned grid, or `Err(2)` when a recevable candidate would be in none.
fn checked_plan(data: &SessionData) -> Result<Plan<'_>, CliError> {
    let plan = plan(&data.config, &data.candidates.candidates).map_err(|e| CliError::Fatal {
        reason: e.to_string(),
        footer: NOTHING_WRITTEN,
    })?;
    for (name, ids) in &plan.unknown_names {
        eprintln!(
            "avertissement : « {name} » (colonne Jury ou Commission des candidats {}) ne désigne aucun membre du jury ni aucun groupe.",
            ids.join(", ")
        );
    }
    if !plan.unassigned.is_empty() {
        let n = plan.unassigned.len();
        let (who, verb) = if n == 1 {
            ("1 candidat recevable".to_string(), "ne figurerait")
        } else {
            (format!("{n} candidats recevables"), "ne figureraient")
        };
        return Err(refused(vec![
            format!("Erreur : {who} {verb} dans aucune grille : {}.", plan.unassigned.join(", ")),
            format!("      → Dans session.toml, donnez aux membres du jury les groupes de la colonne Jury (`groups = [\"A\"]`), ou corrigez cette colonne. {NOTHING_WRITTEN}"),
        ]));
    }
    Ok(plan)
}

/// `--missing`: a complement for each juror who lacks candidates, under a new name.
fn write_missing(data: &SessionData, plan: Plan, target: &Path) -> Result<Done, CliError> {
    check_existing_grids(data)?;
    let folder = data.config.grids.trim_end_matches('/');
    if data.grids.is_empty() {
        println!("Aucune grille n'existe encore dans « {folder} » : chaque membre du jury reçoit sa grille complète.");
    }
    let grids = complements(plan, &data.grids, |name| is_taken(target, name));
    let (to_write, complete): (Vec<JurorGrid>, Vec<JurorGrid>) =
        grids.into_iter().partition(|g| !g.candidates.is_empty());
    for grid in &complete {
        println!("{} : aucun candidat manquant", grid.juror.name);
    }
    if to_write.is_empty() {
        println!("Aucune grille à écrire : chaque candidat figure déjà dans les grilles qui lui sont destinées.");
        return Ok(Done::Clean);
    }
    render_and_write(data, &to_write, target, false)?;
    print_written("Grilles complémentaires écrites dans", target, &to_write);
    Ok(Done::Clean)
}

/// `--missing` must know whom every existing grid lists: `Err(2)` when a workbook of the
/// grids folder cannot be read, or a grid's juror is not a jury member (its candidates
/// would be listed again).
fn check_existing_grids(data: &SessionData) -> Result<(), CliError> {
    let folder = format!("{}/", data.config.grids.trim_end_matches('/'));
    let unreadable: Vec<&Finding> = data
        .findings
        .iter()
        .filter(|f| f.code == Code::UnreadableWorkbook)
        .filter(|f| f.file.as_deref().is_some_and(|p| p.starts_with(&folder)))
        .collect();
    if !unreadable.is_empty() {
        let mut lines: Vec<String> = unreadable
            .iter()
            .map(|f| format!("Erreur : {}", lower_first(&f.message)))
            .collect();
        lines.push(format!("      → Sans ce classeur, impossible de savoir quels candidats il liste déjà : enregistrez-le de nouveau depuis Excel ou LibreOffice, puis relancez. {NOTHING_WRITTEN}"));
        return Err(refused(lines));
    }
    let unknown: Vec<&Finding> = data
        .grids
        .iter()
        .flat_map(|sheet| &sheet.findings)
        .filter(|f| f.code == Code::UnknownJuror)
        .collect();
    if !unknown.is_empty() {
        let mut lines: Vec<String> = unknown
            .iter()
            .map(|f| {
                let file = f.file.as_deref().unwrap_or_default();
                format!("Erreur : {file} : {}", f.full_message())
            })
            .collect();
        lines.push(format!("      → Corrigez d'abord le nom écrit à côté de « Évaluateur : » dans cette grille : sinon ses candidats seraient listés de nouveau. {NOTHING_WRITTEN}"));
        return Err(refused(lines));
    }
    Ok(())
}

/// « Le classeur… » → « le classeur… », after « Erreur : ».
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Renders every grid, then writes them all (see [`write_files`]); `Err(2)` when any fails.
fn render_and_write(
    data: &SessionData,
    grids: &[JurorGrid],
    target: &Path,
    force: bool,
) -> Result<(), CliError> {
    let files = render_all(data, grids)?;
    let replace = if force {
        Replace::Allowed
    } else {
        Replace::Never
    };
    write_files(target, &files, replace).map_err(|(path, e)| {
        CliError::fatal(format!(
            "impossible d'écrire « {} » : {}",
            path.display(),
            io_reason(&e)
        ))
    })
}

/// Every grid's file name and bytes, or `Err(2)` naming the first juror whose grid cannot
/// be produced.
fn render_all<'a>(
    data: &SessionData,
    grids: &'a [JurorGrid],
) -> Result<Vec<(&'a str, Vec<u8>)>, CliError> {
    grids
        .iter()
        .map(|grid| match render(&data.config, &data.referential, grid) {
            Ok(bytes) => Ok((grid.file_name.as_str(), bytes)),
            Err(_) => Err(CliError::Fatal {
                reason: format!(
                    "la grille {} ne peut pas être produite (le générateur de classeurs a refusé son contenu)",
                    of_name(&grid.juror.name)
                ),
                footer: NOTHING_WRITTEN,
            }),
        })
        .collect()
}

/// The files written, one line per grid with its juror and how many candidates it lists.
fn print_written(title: &str, target: &Path, grids: &[JurorGrid]) {
    println!("{title} {} :", target.display());
    for grid in grids {
        println!(
            "  {} — {} ({})",
            grid.file_name,
            grid.juror.name,
            candidate_count(grid.candidates.len())
        );
    }
}

//! `jury grids <session>`: one blank grid per juror, never over a grid that exists.
//!
//! Only `session.toml`, the referential and the candidates file matter here: whatever is
//! in `grilles/` (nothing yet, or grids being filled) is neither required nor read for use.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::core::finding::{exit_code, Code, Finding};
use crate::io::session::load;
use crate::render::blank_grid::{plan, render};
use crate::render::report::{self, Summary};

pub fn run(session: &Path, out: Option<PathBuf>, force: bool) -> u8 {
    let loaded = load(session);
    let Some(data) = &loaded.data else {
        eprint!(
            "{}",
            report::text(None, &loaded.findings, &Summary::of(&loaded.findings))
        );
        return exit_code(&loaded.findings);
    };
    // Grid and deliberation findings (no grid yet, a grid being filled) do not concern us.
    let candidates_file = data.config.candidates.as_str();
    let findings: Vec<Finding> = data
        .findings
        .iter()
        .filter(|f| f.file.as_deref() == Some(candidates_file))
        .chain(&data.candidates.findings)
        .cloned()
        .collect();
    if findings.iter().any(|f| f.code == Code::UnrecognisedColumn) {
        // A prerequisites column not read would list every candidate as recevable.
        eprint!("{}", report::text(None, &findings, &Summary::of(&findings)));
        eprintln!("Aucune grille n'a été écrite.");
        return 1;
    }
    if exit_code(&findings) == 2 {
        eprint!("{}", report::text(None, &findings, &Summary::of(&findings)));
        eprintln!("Aucune grille n'a été écrite.");
        return 2;
    }
    for f in &findings {
        let place = match (&f.sheet, &f.cell) {
            (Some(sheet), Some(cell)) => format!("{sheet}!{cell} "),
            _ => String::new(),
        };
        eprintln!(
            "avertissement [{}] {candidates_file} {place}: {}",
            f.code.as_str(),
            f.message
        );
    }
    let plan = match plan(&data.config, &data.candidates.candidates) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("Erreur : {e}. Aucune grille n'a été écrite.");
            return 2;
        }
    };
    for (name, ids) in &plan.unknown_names {
        eprintln!(
            "avertissement : « {name} » (colonne Jury ou Commission des candidats {}) ne désigne aucun membre du jury ni aucun groupe.",
            ids.join(", ")
        );
    }
    if !plan.unassigned.is_empty() {
        eprintln!(
            "Erreur : {} candidat(s) recevable(s) ne figureraient dans aucune grille : {}.",
            plan.unassigned.len(),
            plan.unassigned.join(", ")
        );
        eprintln!("      → Dans session.toml, donnez aux membres du jury les groupes de la colonne Jury (`groups = [\"A\"]`), ou corrigez cette colonne. Aucune grille n'a été écrite.");
        return 2;
    }
    let target = out.unwrap_or_else(|| session.join(&data.config.grids));
    let existing: Vec<&str> = plan
        .grids
        .iter()
        .filter(|g| target.join(&g.file_name).symlink_metadata().is_ok())
        .map(|g| g.file_name.as_str())
        .collect();
    if !existing.is_empty() && !force {
        eprintln!(
            "Erreur : {} existe(nt) déjà dans « {} » : une grille remplie ne doit pas être perdue. Relancez avec --force pour remplacer ces fichiers. Aucune grille n'a été écrite.",
            existing.join(", "),
            target.display()
        );
        return 2;
    }
    let mut files = Vec::new();
    for grid in &plan.grids {
        match render(&data.config, &data.referential, grid) {
            Ok(bytes) => files.push((grid.file_name.as_str(), bytes)),
            Err(e) => {
                eprintln!("Erreur : la grille de {} ne peut pas être produite ({e}). Aucune grille n'a été écrite.", grid.juror.name);
                return 2;
            }
        }
    }
    if let Err(e) = write_files(&target, &files, force) {
        eprintln!(
            "Erreur : écriture impossible dans « {} » : {e}.",
            target.display()
        );
        return 2;
    }
    println!("Grilles écrites dans {} :", target.display());
    for grid in &plan.grids {
        println!(
            "  {} — {} ({} candidat(s))",
            grid.file_name,
            grid.juror.name,
            grid.candidates.len()
        );
    }
    0
}

/// Writes every file to a hidden temporary file in `target`, then renames each into place;
/// without `force` a file that appeared meanwhile is never replaced.
fn write_files(target: &Path, files: &[(&str, Vec<u8>)], force: bool) -> std::io::Result<()> {
    if target.exists() && !target.is_dir() {
        return Err(std::io::Error::other("ce n'est pas un dossier"));
    }
    std::fs::create_dir_all(target)?;
    let mut staged = Vec::new();
    for (name, bytes) in files {
        let mut tmp = temp_file_in(target)?;
        tmp.write_all(bytes)?;
        tmp.as_file().sync_all()?;
        staged.push((tmp, target.join(name)));
    }
    for (tmp, path) in staged {
        let persisted = if force {
            tmp.persist(&path)
        } else {
            tmp.persist_noclobber(&path)
        };
        persisted.map_err(|e| {
            std::io::Error::new(e.error.kind(), format!("{} ({})", path.display(), e.error))
        })?;
    }
    Ok(())
}

/// A hidden temporary file (skipped by `jury check`), readable like any file the user
/// would save (the umask applies), not only by its owner.
fn temp_file_in(target: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".jury-grid-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(target)
}

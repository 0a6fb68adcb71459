//! `jury init <dir>`: a new session folder to fill in — `session.toml` (every key explained,
//! every value to give « À compléter »), `candidats.xlsx` (headers, notes, drop-downs, one
//! example row), an empty `grilles/` and `LISEZMOI.txt` (the next steps).
//!
//! Nothing is written when anything is wrong: the folder must be new or empty, the id and
//! date valid, the referential readable. Everything is written into a hidden folder beside
//! `<dir>`, then renamed into place (`io::output::Staging`).

use std::path::Path;

use crate::core::referential::{Referential, BUILT_IN};
use crate::core::session::is_valid_session_id;
use crate::core::sheet::Date;
use crate::io::limits::MAX_TOML_BYTES;
use crate::io::output::Staging;
use crate::io::session::{io_reason, read_limited};
use crate::render::blank_candidates;
use crate::render::report::{self, Summary};
use crate::render::starter::{readme, session_toml, Starter};

/// What `jury init` was asked, as typed.
#[derive(Debug)]
pub struct InitOptions {
    pub referential: Option<String>,
    pub id: Option<String>,
    pub date: Option<String>,
}

/// The name a referential given as a file gets in the new folder.
const COPIED_REFERENTIAL: &str = "referentiel.toml";

/// The grids folder, empty (the default `grids` of `session.toml`).
const GRIDS: &str = "grilles";

/// The creation date of `candidats.xlsx` when no `--date` is given (same bytes every time).
const NO_DATE: Date = Date {
    year: 2000,
    month: 1,
    day: 1,
};

/// A referential chosen for the session: the `referential` value of `session.toml`, the
/// file it was copied from (with its text) when it is not built in, and its contents.
struct Chosen {
    value: String,
    copied: Option<(String, Vec<u8>)>,
    referential: Referential,
}

pub fn run(dir: &Path, options: &InitOptions) -> u8 {
    match prepare(dir, options).and_then(|files| write(dir, &files)) {
        Ok(()) => {
            println!("Session préparée dans « {} » :", dir.display());
            println!("  session.toml, candidats.xlsx, grilles/, LISEZMOI.txt");
            println!("Complétez session.toml (chaque « À compléter »), remplissez candidats.xlsx, puis lisez LISEZMOI.txt pour la suite.");
            0
        }
        Err(message) => {
            eprintln!("{message}");
            eprintln!("Rien n'a été écrit.");
            2
        }
    }
}

/// Every file of the new folder (path and bytes), or why there is none (in French).
fn prepare(dir: &Path, options: &InitOptions) -> Result<Vec<(String, Vec<u8>)>, String> {
    refuse_unless_new_or_empty(dir)?;
    let id = match &options.id {
        Some(id) if !is_valid_session_id(id) => return Err(format!(
            "Erreur : l'identifiant de session « {id} » (--id) doit comporter de 1 à 40 caractères parmi A–Z, a–z, 0–9, - et _ (il fait partie des numéros de certificat)."
        )),
        other => other.clone(),
    };
    let date = match &options.date {
        Some(text) => Some(Date::parse(text).ok_or_else(|| {
            format!("Erreur : la date « {text} » (--date) n'est pas une date : écrivez-la AAAA-MM-JJ, par exemple --date 2027-03-18.")
        })?),
        None => None,
    };
    let chosen = choose_referential(options.referential.as_deref())?;
    let starter = Starter {
        id,
        date,
        referential: chosen.value.clone(),
        referential_source: chosen.copied.as_ref().map(|(source, _)| source.clone()),
        folder: dir.display().to_string(),
    };
    let candidates = blank_candidates::render(&chosen.referential, date.unwrap_or(NO_DATE))
        .map_err(|e| {
            format!("Erreur : le fichier des candidats ne peut pas être produit ({e}).")
        })?;
    let mut files = vec![
        (
            "session.toml".to_string(),
            session_toml(&starter).into_bytes(),
        ),
        ("candidats.xlsx".to_string(), candidates),
        ("LISEZMOI.txt".to_string(), readme(&starter).into_bytes()),
    ];
    if let Some((_, bytes)) = chosen.copied {
        files.push((COPIED_REFERENTIAL.to_string(), bytes));
    }
    Ok(files)
}

/// Files that a system puts in any folder it shows: they do not make it « not empty ».
fn is_system_litter(name: &str) -> bool {
    name.starts_with('.') || name.eq_ignore_ascii_case("desktop.ini") || name == "Thumbs.db"
}

fn refuse_unless_new_or_empty(dir: &Path) -> Result<(), String> {
    if dir.symlink_metadata().is_err() {
        return Ok(());
    }
    let shown = dir.display();
    if !dir.is_dir() {
        return Err(format!(
            "Erreur : « {shown} » existe et n'est pas un dossier."
        ));
    }
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "Erreur : le dossier « {shown} » ne peut pas être lu ({}).",
            io_reason(&e)
        )
    })?;
    let taken = entries
        .filter_map(Result::ok)
        .any(|e| !is_system_litter(&e.file_name().to_string_lossy()));
    if taken {
        return Err(format!(
            "Erreur : le dossier « {shown} » existe déjà et n'est pas vide : jury init prépare une session dans un dossier nouveau ou vide, pour ne rien écraser.\n      → Choisissez un autre nom de dossier, par exemple « {shown}-2 »."
        ));
    }
    Ok(())
}

/// The built-in referential named, or the file at that path (read and checked).
fn choose_referential(asked: Option<&str>) -> Result<Chosen, String> {
    let name = asked.unwrap_or(BUILT_IN[0].0);
    if let Some((builtin, text)) = BUILT_IN.iter().find(|(n, _)| *n == name) {
        let referential = Referential::parse(text, builtin)
            .map_err(|findings| report::text(None, &findings, &Summary::of(&findings)))?;
        return Ok(Chosen {
            value: (*builtin).to_string(),
            copied: None,
            referential,
        });
    }
    let path = Path::new(name);
    if !path.is_file() {
        let known: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
        return Err(format!(
            "Erreur : le référentiel « {name} » (--referential) n'est ni un référentiel intégré ({}) ni un fichier.",
            known.join(", ")
        ));
    }
    let bytes = read_limited(path, MAX_TOML_BYTES).map_err(|e| {
        format!(
            "Erreur : le référentiel « {name} » ne peut pas être lu : {}.",
            io_reason(&e)
        )
    })?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| format!("Erreur : le référentiel « {name} » n'est pas encodé en UTF-8."))?;
    let referential = Referential::parse(text, name).map_err(|findings| {
        format!(
            "{}Erreur : le référentiel « {name} » n'est pas valide.",
            report::text(None, &findings, &Summary::of(&findings))
        )
    })?;
    // The comment of session.toml names the file copied, not where it was on this machine.
    let file_name = path
        .file_name()
        .map_or_else(|| name.to_string(), |n| n.to_string_lossy().into_owned());
    Ok(Chosen {
        value: COPIED_REFERENTIAL.to_string(),
        copied: Some((file_name, bytes)),
        referential,
    })
}

/// Writes the files and an empty grids folder beside `dir`, then renames them into place.
fn write(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), String> {
    let fail = |e: crate::io::output::OutputError| format!("Erreur : {e}.");
    let staging = Staging::begin(dir).map_err(fail)?;
    for (rel, bytes) in files {
        staging.write(rel, bytes).map_err(fail)?;
    }
    let grids = staging.dir().join(GRIDS);
    std::fs::create_dir(&grids).map_err(|e| {
        format!(
            "Erreur : écriture impossible dans « {} » : {}.",
            dir.display(),
            io_reason(&e)
        )
    })?;
    staging.commit_without_replacing().map_err(fail)
}

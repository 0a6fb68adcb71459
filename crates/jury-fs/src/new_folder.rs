//! The file-system side of `jury init`: whether the folder may receive a new session, which
//! referential it gets (a built-in one, or a file read and checked, to copy), and writing
//! the folder all at once (`output::Staging`). Messages are French, for the secretary.

use std::path::Path;

use crate::output::{OutputError, Staging};
use crate::session::{folder_reason, io_reason, read_limited};
use jury_core::referential::{Referential, BUILT_IN};
use jury_formats::limits::MAX_TOML_BYTES;
use jury_formats::render::report::{self, Summary};

/// The name a referential given as a file gets in the new folder.
pub const COPIED_REFERENTIAL: &str = "referentiel.toml";

/// A referential chosen for the session: the `referential` value of `session.toml`, the
/// file it was copied from (its name, and its bytes) when it is not built in, and its
/// contents.
pub struct Chosen {
    pub value: String,
    pub copied: Option<(String, Vec<u8>)>,
    pub referential: Referential,
}

/// Files that a system puts in any folder it shows: they do not make it "not empty".
fn is_system_litter(name: &str) -> bool {
    name.starts_with('.') || name.eq_ignore_ascii_case("desktop.ini") || name == "Thumbs.db"
}

/// Refuses a folder that exists and holds anything (or is a file): nothing is overwritten.
pub fn refuse_unless_new_or_empty(dir: &Path) -> Result<(), String> {
    if dir.symlink_metadata().is_err() {
        return Ok(());
    }
    let shown = dir.display();
    if !dir.is_dir() {
        return Err(format!(
            "Erreur : « {shown} » existe et n'est pas un dossier.\n      → Choisissez un autre nom de dossier pour la session."
        ));
    }
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "Erreur : le dossier « {shown} » ne peut pas être lu ({}).",
            folder_reason(&e)
        )
    })?;
    // An entry that cannot be read counts as taken: nothing is written beside it.
    let taken = entries.into_iter().any(|e| {
        e.map_or(true, |e| {
            !is_system_litter(&e.file_name().to_string_lossy())
        })
    });
    if taken {
        return Err(format!(
            "Erreur : le dossier « {shown} » existe déjà et n'est pas vide : jury init prépare une session dans un dossier nouveau ou vide, pour ne rien écraser.\n      → Choisissez un autre nom de dossier, par exemple « {shown}-2 »."
        ));
    }
    Ok(())
}

/// The built-in referential named, or the file at that path (read and checked).
pub fn choose_referential(asked: Option<&str>) -> Result<Chosen, String> {
    let name = asked.unwrap_or(BUILT_IN[0].0);
    match BUILT_IN.iter().find(|(n, _)| *n == name) {
        Some((builtin, text)) => {
            let referential = Referential::parse(text, builtin)
                .map_err(|findings| report::text(None, &findings, &Summary::of(&findings)))?;
            Ok(Chosen {
                value: (*builtin).to_string(),
                copied: None,
                referential,
            })
        }
        None => referential_file(name),
    }
}

/// A referential file given by its path, read and checked, to copy into the new folder.
fn referential_file(name: &str) -> Result<Chosen, String> {
    let path = Path::new(name);
    if !path.is_file() {
        let known: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
        return Err(format!(
            "Erreur : le référentiel « {name} » (--referential) n'est ni un référentiel intégré ({}) ni un fichier.\n      → Donnez le nom d'un référentiel intégré, ou le chemin d'un fichier .toml qui existe.",
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
        .map_err(|_| format!("Erreur : le référentiel « {name} » n'est pas encodé en UTF-8.\n      → Enregistrez-le en UTF-8 depuis votre éditeur de texte."))?;
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

/// Writes the files and the empty folders `dirs` beside `dir`, then renames them into place.
pub fn write_new_folder(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    dirs: &[&str],
) -> Result<(), String> {
    let fail = |e: OutputError| format!("Erreur : {e}.");
    let staging = Staging::begin(dir).map_err(fail)?;
    for (rel, bytes) in files {
        staging.write(rel, bytes).map_err(fail)?;
    }
    for rel in dirs {
        std::fs::create_dir(staging.dir().join(rel)).map_err(|e| {
            format!(
                "Erreur : écriture impossible dans « {} » : {}.",
                dir.display(),
                io_reason(&e)
            )
        })?;
    }
    staging.commit_without_replacing().map_err(fail)
}

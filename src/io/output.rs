//! Writing results: never half a result, never a user's folder lost.
//!
//! Files are written into a staging folder beside the destination, then renamed into
//! place in one step; an existing results folder is replaced only with `--force` and only
//! if `jury` wrote it (its `manifest.json` says so). A crash leaves either the previous
//! complete results or none, plus at most a hidden staging folder.

use std::fs;
use std::path::{Path, PathBuf};

use crate::core::digest::sha256_hex;
use crate::core::validate::Input;
use crate::render::manifest::written_by_jury;

/// Why results cannot be written where asked (exit 2, nothing touched).
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("le dossier de résultats « {0} » existe déjà et n'est pas vide ; relancez avec --force pour le remplacer")]
    Exists(PathBuf),
    #[error("« {0} » n'a pas été créé par jury (pas de manifest.json de jury) : il n'est pas remplacé, même avec --force")]
    NotOurs(PathBuf),
    #[error("« {0} » est le dossier de la session ou de ses grilles : choisissez un autre dossier de résultats")]
    SessionFolder(PathBuf),
    #[error("« {0} » existe et n'est pas un dossier")]
    NotADirectory(PathBuf),
    #[error("écriture impossible dans « {path} » : {reason}")]
    Io { path: PathBuf, reason: String },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |e| OutputError::Io {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

/// Checks that results may be written to `target` before any work is done.
pub fn check_target(target: &Path, force: bool, protected: &[PathBuf]) -> Result<(), OutputError> {
    let resolved = absolute(target);
    if protected.iter().any(|p| absolute(p) == resolved) {
        return Err(OutputError::SessionFolder(target.to_path_buf()));
    }
    if !target.exists() {
        return Ok(());
    }
    if !target.is_dir() {
        return Err(OutputError::NotADirectory(target.to_path_buf()));
    }
    let empty = fs::read_dir(target)
        .map_err(io_error(target))?
        .next()
        .is_none();
    if empty {
        return Ok(());
    }
    let ours = fs::read(target.join("manifest.json")).is_ok_and(|bytes| written_by_jury(&bytes));
    match (force, ours) {
        (false, _) => Err(OutputError::Exists(target.to_path_buf())),
        (true, false) => Err(OutputError::NotOurs(target.to_path_buf())),
        (true, true) => Ok(()),
    }
}

/// An absolute, cleaned path (symbolic links resolved when the path exists).
pub fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = fs::canonicalize(path) {
        return p;
    }
    let base = std::env::current_dir().unwrap_or_default();
    let joined = base.join(path);
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Hashes files to be written, in the order given.
pub fn hashes(files: &[(String, Vec<u8>)]) -> Vec<Input> {
    files
        .iter()
        .map(|(path, bytes)| Input {
            path: path.clone(),
            sha256: sha256_hex(bytes),
        })
        .collect()
}

/// Folders of a results folder that a new run keeps: `cpf/` holds the ledger of what was
/// declared to the Caisse des Dépôts (`jury cpf`), a journal that must never be lost.
pub const KEPT_ACROSS_RUNS: &[&str] = &["cpf"];

/// Copies a folder and everything in it.
fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Writes `files` (paths relative to `target`, `/`-separated) into a staging folder and
/// renames it to `target`, replacing what `check_target` allowed. The folders of
/// [`KEPT_ACROSS_RUNS`] are copied from the previous results into the new ones first.
pub fn write_atomically(target: &Path, files: &[(String, Vec<u8>)]) -> Result<(), OutputError> {
    let target = absolute(target);
    let parent = target
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    fs::create_dir_all(&parent).map_err(io_error(&parent))?;
    let staging = tempfile::Builder::new()
        .prefix(".jury-staging-")
        .tempdir_in(&parent)
        .map_err(io_error(&parent))?;
    for (rel, bytes) in files {
        let path = staging.path().join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io_error(dir))?;
        }
        fs::write(&path, bytes).map_err(io_error(&path))?;
        fs::File::open(&path)
            .and_then(|f| f.sync_all())
            .map_err(io_error(&path))?;
    }
    for kept in KEPT_ACROSS_RUNS {
        let from = target.join(kept);
        let to = staging.path().join(kept);
        if from.is_dir() && !to.exists() {
            copy_dir(&from, &to).map_err(io_error(&from))?;
        }
    }
    let old = if target.exists() {
        let old = tempfile::Builder::new()
            .prefix(".jury-previous-")
            .tempdir_in(&parent)
            .map_err(io_error(&parent))?;
        let old_path = old.keep();
        fs::rename(&target, &old_path).map_err(io_error(&target))?;
        Some(old_path)
    } else {
        None
    };
    let staged = staging.keep();
    if let Err(e) = fs::rename(&staged, &target) {
        if let Some(old) = &old {
            let _ = fs::rename(old, &target);
        }
        let _ = fs::remove_dir_all(&staged);
        return Err(OutputError::Io {
            path: target,
            reason: e.to_string(),
        });
    }
    if let Some(old) = old {
        let _ = fs::remove_dir_all(old);
    }
    Ok(())
}

/// `to` relative to `from` when one is inside the other's tree, else `to` absolute.
pub fn relative_path(from: &Path, to: &Path) -> String {
    let (from, to) = (absolute(from), absolute(to));
    let common = from
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return to.display().to_string();
    }
    let ups = from.components().count() - common;
    let mut parts: Vec<String> = vec!["..".to_string(); ups];
    parts.extend(
        to.components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path(Path::new("/a/s/resultats"), Path::new("/a/s")),
            ".."
        );
        assert_eq!(
            relative_path(Path::new("/a/out"), Path::new("/a/s")),
            "../s"
        );
    }

    #[test]
    fn replaces_only_what_jury_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("resultats");
        write_atomically(&target, &[("a.txt".into(), b"1".to_vec())]).unwrap();
        assert!(matches!(
            check_target(&target, false, &[]),
            Err(OutputError::Exists(_))
        ));
        assert!(matches!(
            check_target(&target, true, &[]),
            Err(OutputError::NotOurs(_))
        ));
        let manifest = br#"{"tool": {"name": "jury", "version": "0"}}"#.to_vec();
        write_atomically(&target, &[("manifest.json".into(), manifest)]).unwrap();
        assert!(check_target(&target, true, &[]).is_ok());
        assert!(
            !target.join("a.txt").exists(),
            "the previous results are replaced whole"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(
            leftovers.len(),
            1,
            "no staging folder is left: {leftovers:?}"
        );
    }

    #[test]
    fn the_cpf_ledger_outlives_a_new_run() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("resultats");
        write_atomically(&target, &[("a.txt".into(), b"1".to_vec())]).unwrap();
        fs::create_dir_all(target.join("cpf/envois")).unwrap();
        fs::write(target.join("cpf/registre.json"), b"{}").unwrap();
        fs::write(target.join("cpf/envois/f.xml"), b"<x/>").unwrap();
        write_atomically(&target, &[("b.txt".into(), b"2".to_vec())]).unwrap();
        assert!(!target.join("a.txt").exists());
        assert_eq!(fs::read(target.join("cpf/registre.json")).unwrap(), b"{}");
        assert_eq!(fs::read(target.join("cpf/envois/f.xml")).unwrap(), b"<x/>");
    }
}

//! Reading a results folder back: its manifest, and its files with their SHA-256.

use std::fs;
use std::path::Path;

use jury_core::digest::sha256_hex;
use jury_core::manifest::Manifest;
use jury_core::validate::Input;
use jury_formats::render::manifest;

use crate::session::io_reason;

/// Reads and parses `manifest.json`, or says why not (in French, for the secretary).
pub fn read_manifest(results: &Path) -> Result<Manifest<'static>, String> {
    let path = results.join("manifest.json");
    let bytes = fs::read(&path).map_err(|e| {
        format!(
            "« {} » ne peut pas être lu ({}) : est-ce bien un dossier de résultats de jury ?",
            path.display(),
            io_reason(&e)
        )
    })?;
    manifest::read(&bytes).map_err(|e| {
        format!(
            "« {} » n'est pas un manifeste de jury lisible (ligne {}, colonne {}) : a-t-il été modifié à la main ?",
            path.display(),
            e.line(),
            e.column()
        )
    })
}

/// Every file of the results folder except the manifest and the CPF ledger folder, with
/// its SHA-256, sorted by path.
pub fn result_files(results: &Path) -> std::io::Result<Vec<Input>> {
    let mut files = Vec::new();
    list(results, "", &mut files)?;
    Ok(files)
}

fn list(dir: &Path, rel: &str, out: &mut Vec<Input>) -> std::io::Result<()> {
    let mut entries = fs::read_dir(dir)?.collect::<Result<Vec<_>, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if path == "manifest.json" || path == "cpf" {
            continue;
        }
        if entry.path().is_dir() {
            list(&entry.path(), &path, out)?;
        } else {
            out.push(Input {
                sha256: sha256_hex(&fs::read(entry.path())?),
                path,
            });
        }
    }
    Ok(())
}

//! Reading a session's own document templates: the files directly inside the folder that
//! `[session] templates` names (relative to `session.toml`), with their SHA-256 for the
//! manifest. What they mean is decided by `render::pdf::template`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use jury_core::digest::sha256_hex;
use jury_core::validate::Input;

/// Largest template or logo file read.
const MAX_BYTES: u64 = 10 * 1024 * 1024;

/// The files of a session's templates folder.
#[derive(Debug, Default)]
pub struct TemplateFiles {
    /// The folder as `session.toml` names it (empty: built-in templates only).
    pub folder: String,
    /// File name → content.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Each file read, with its path relative to the session, for the manifest.
    pub inputs: Vec<Input>,
}

/// Reads every regular, visible file directly inside the templates folder, if any.
pub fn read_templates(session: &Path, folder: Option<&str>) -> Result<TemplateFiles, String> {
    let Some(folder) = folder else {
        return Ok(TemplateFiles::default());
    };
    let dir = session.join(folder);
    let mut out = TemplateFiles {
        folder: folder.trim_end_matches('/').to_string(),
        ..TemplateFiles::default()
    };
    for name in template_names(&dir, folder)? {
        let bytes = read_template(&dir.join(&name), &format!("{folder}/{name}"))?;
        out.inputs.push(Input {
            path: format!("{}/{name}", out.folder),
            sha256: sha256_hex(&bytes),
        });
        out.files.insert(name, bytes);
    }
    Ok(out)
}

/// The names of the regular, visible files directly inside `dir` (hidden and lock files
/// left out), sorted.
fn template_names(dir: &Path, folder: &str) -> Result<Vec<String>, String> {
    let entries = fs::read_dir(dir).map_err(|e| {
        format!("le dossier de modèles « {folder} » (clé `templates` de session.toml) ne peut pas être lu : {}", crate::session::folder_reason(&e))
    })?;
    let entries = entries.collect::<Result<Vec<_>, _>>().map_err(|e| {
        format!("le dossier de modèles « {folder} » (clé `templates` de session.toml) ne peut pas être lu : {}", crate::session::folder_reason(&e))
    })?;
    let mut names: Vec<String> = entries
        .into_iter()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && !n.starts_with("~$"))
        .collect();
    names.sort();
    Ok(names)
}

/// One template file's bytes, refused past [`MAX_BYTES`]; `shown` is its path as the
/// messages name it.
fn read_template(path: &Path, shown: &str) -> Result<Vec<u8>, String> {
    let unreadable = |e: std::io::Error| {
        format!(
            "le fichier de modèles « {shown} » ne peut pas être lu : {}",
            crate::session::io_reason(&e)
        )
    };
    let size = fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_BYTES {
        return Err(format!(
            "le fichier de modèles « {shown} » dépasse la limite de {} (il fait {}) : allégez-le (une image plus petite) ou retirez-le du dossier",
            jury_formats::limits::human_bytes(MAX_BYTES),
            jury_formats::limits::human_bytes(size)
        ));
    }
    fs::read(path).map_err(unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_templates_folder_is_a_folder_not_found() {
        let dir = tempfile::tempdir().unwrap();
        let error = read_templates(dir.path(), Some("modeles")).unwrap_err();
        assert_eq!(
            error,
            "le dossier de modèles « modeles » (clé `templates` de session.toml) ne peut pas être lu : dossier introuvable"
        );
    }

    #[test]
    fn a_template_too_large_says_both_sizes() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("modeles")).unwrap();
        let big = fs::File::create(dir.path().join("modeles/logo.png")).unwrap();
        big.set_len(MAX_BYTES + 1).unwrap();
        let error = read_templates(dir.path(), Some("modeles")).unwrap_err();
        assert!(
            error.starts_with("le fichier de modèles « modeles/logo.png » dépasse la limite de 10 Mio (il fait 11 Mio)"),
            "{error}"
        );
    }
}

//! Writing grid workbooks into a folder of grids (`jury grids`): every file first to a
//! hidden temporary file beside its place (skipped by `jury check`), flushed, then renamed
//! into place, so that a crash never leaves half a grid under a grid's name. Without
//! `force`, a file that exists is never replaced, even one that appeared meanwhile. It
//! decides nothing about which files to write.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Writes every file to a hidden temporary file in `target`, then renames each into place;
/// without `force` a file that appeared meanwhile is never replaced. The error names the
/// path it concerns.
pub fn write_files(
    target: &Path,
    files: &[(&str, Vec<u8>)],
    force: bool,
) -> Result<(), (PathBuf, std::io::Error)> {
    let at = |path: &Path| {
        let path = path.to_path_buf();
        move |e| (path, e)
    };
    if target.exists() && !target.is_dir() {
        return Err((
            target.to_path_buf(),
            std::io::Error::from(std::io::ErrorKind::NotADirectory),
        ));
    }
    std::fs::create_dir_all(target).map_err(at(target))?;
    let mut staged = Vec::new();
    for (name, bytes) in files {
        let mut tmp = temp_file_in(target).map_err(at(target))?;
        tmp.write_all(bytes).map_err(at(target))?;
        tmp.as_file().sync_all().map_err(at(target))?;
        staged.push((tmp, target.join(name)));
    }
    for (tmp, path) in staged {
        let persisted = if force {
            tmp.persist(&path)
        } else {
            tmp.persist_noclobber(&path)
        };
        persisted.map_err(|e| (path.clone(), e.error))?;
    }
    Ok(())
}

/// Why a file could not be written, in French (never the system's English text).
pub fn write_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::PermissionDenied => "accès refusé".into(),
        ErrorKind::AlreadyExists => "un fichier de ce nom vient d'apparaître".into(),
        ErrorKind::NotADirectory => "ce n'est pas un dossier".into(),
        ErrorKind::StorageFull => "le disque est plein".into(),
        ErrorKind::ReadOnlyFilesystem => "le disque est en lecture seule".into(),
        _ => match e.raw_os_error() {
            Some(code) => format!("erreur du système (code {code})"),
            None => "erreur du système".into(),
        },
    }
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

//! The one way `jury` puts a finished file in place: written whole to a hidden temporary
//! file beside its destination, flushed to disk, renamed over (or, when replacing is not
//! allowed, next to nothing: a file that exists, even one that appeared meanwhile, is left
//! alone), then the folder's entry flushed. A crash leaves the old file or the new one,
//! never half of one. Results folders go through [`crate::output::Staging`], the same
//! steps for a whole folder, with the flushing helpers of this module ([`sync_staged_file`],
//! [`sync_tree`], [`sync_dir`]).

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Whether a file that exists at the destination may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    Allowed,
    /// The write fails with `AlreadyExists` and the existing file is untouched.
    Never,
}

/// Writes every file into `folder` (created if missing): all of them to temporary files
/// first, then each renamed into place. The error names the path it concerns.
pub fn write_files<N: AsRef<str>, B: AsRef<[u8]>>(
    folder: &Path,
    files: &[(N, B)],
    replace: Replace,
) -> Result<(), (PathBuf, std::io::Error)> {
    let at = |path: &Path| {
        let path = path.to_path_buf();
        move |e| (path, e)
    };
    if folder.exists() && !folder.is_dir() {
        return Err((
            folder.to_path_buf(),
            std::io::Error::from(std::io::ErrorKind::NotADirectory),
        ));
    }
    fs::create_dir_all(folder).map_err(at(folder))?;
    let mut staged = Vec::new();
    for (name, bytes) in files {
        let mut tmp = temp_file_in(folder).map_err(at(folder))?;
        tmp.write_all(bytes.as_ref()).map_err(at(folder))?;
        tmp.as_file().sync_all().map_err(at(folder))?;
        staged.push((tmp, folder.join(name.as_ref())));
    }
    for (tmp, path) in staged {
        let persisted = match replace {
            Replace::Allowed => tmp.persist(&path),
            Replace::Never => tmp.persist_noclobber(&path),
        };
        persisted.map_err(|e| (path.clone(), e.error))?;
    }
    sync_dir(folder);
    Ok(())
}

/// [`write_files`] for one file, given by its path.
pub fn write_file(path: &Path, bytes: &[u8], replace: Replace) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Err(std::io::Error::from(std::io::ErrorKind::InvalidInput));
    };
    write_files(&folder, &[(name, bytes)], replace).map_err(|(_, e)| e)
}

/// Whether `name` is taken in `folder` by anything (a file, a folder, even a dangling
/// symbolic link): what a [`Replace::Never`] write would refuse to replace.
pub fn is_taken(folder: &Path, name: &str) -> bool {
    folder.join(name).symlink_metadata().is_ok()
}

/// Flushes a folder's entries (a rename) to disk, where the system allows it.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// A file of a folder that [`sync_tree`] flushes whole before the folder is renamed into
/// place (the staging folder of [`crate::output::Staging`]). On Linux one `syncfs` of that
/// folder's file system does it at the end: one call instead of one `fsync` per document
/// (thousands), each file's writeback started here as soon as it is written. Elsewhere the
/// file is flushed here.
#[cfg(target_os = "linux")]
pub fn sync_staged_file(file: &fs::File) -> std::io::Result<()> {
    // Starts the file's writeback now, without waiting: the disk works while the next
    // documents are rendered, and the final `syncfs` has little left to wait for. A hint
    // only: its failure changes nothing.
    let _ = rustix::fs::fadvise(file, 0, None, rustix::fs::Advice::DontNeed);
    Ok(())
}

/// See the Linux version: elsewhere each file is flushed as it is written.
#[cfg(not(target_os = "linux"))]
pub fn sync_staged_file(file: &fs::File) -> std::io::Result<()> {
    file.sync_all()
}

/// Flushes to disk every file of `dir` given to [`sync_staged_file`]: on Linux one
/// `syncfs` of its file system; elsewhere they already are.
#[cfg(target_os = "linux")]
pub fn sync_tree(dir: &Path) -> std::io::Result<()> {
    let dir = fs::File::open(dir)?;
    rustix::fs::syncfs(&dir).map_err(std::io::Error::from)
}

/// See the Linux version: elsewhere each file was flushed by [`sync_staged_file`].
#[cfg(not(target_os = "linux"))]
pub fn sync_tree(_: &Path) -> std::io::Result<()> {
    Ok(())
}

/// A hidden temporary file (skipped by every command that reads a folder), readable like
/// any file the user would save (the umask applies), not only by its owner.
fn temp_file_in(folder: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".jury-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_only_when_allowed_and_nothing_is_left_beside() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("sub/registre.json");
        write_file(&path, b"1", Replace::Never).unwrap_or_else(|e| panic!("{e}"));
        let refused = write_file(&path, b"2", Replace::Never);
        assert_eq!(
            refused.map_err(|e| e.kind()),
            Err(std::io::ErrorKind::AlreadyExists)
        );
        assert_eq!(fs::read(&path).ok().as_deref(), Some(&b"1"[..]));
        write_file(&path, b"3", Replace::Allowed).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fs::read(&path).ok().as_deref(), Some(&b"3"[..]));
        let names: Vec<_> = fs::read_dir(dir.path().join("sub"))
            .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(names, ["registre.json"], "no temporary file left");
    }
}

//! Writing results: never half a result, never a user's folder lost.
//!
//! Files are written into a staging folder beside the destination, then renamed into
//! place in one step; an existing results folder is replaced only with `--force` and only
//! if `jury` wrote it (its `manifest.json` says so). A crash leaves either the previous
//! complete results or none, plus hidden `.jury-*` folders that the next write beside them
//! puts right ([`recover`]).

use std::collections::HashSet;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::atomic::{sync_dir, sync_staged_file, sync_tree};

use sha2::{Digest, Sha256};

use unicode_normalization::UnicodeNormalization;

use jury_core::digest::{hex, sha256_hex};
use rayon::prelude::*;

use crate::session::io_reason;
use jury_core::validate::Input;
use jury_formats::render::manifest::written_by_jury;

/// Why results cannot be written where asked (exit 2, nothing touched).
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("le dossier de résultats « {0} » existe déjà et n'est pas vide ; relancez avec --force pour le remplacer")]
    Exists(PathBuf),
    #[error("« {0} » n'a pas été créé par jury (pas de manifest.json de jury) : il n'est pas remplacé, même avec --force ; choisissez un autre dossier de résultats avec --out")]
    NotOurs(PathBuf),
    #[error("« {0} » est le dossier de la session ou de ses grilles : choisissez un autre dossier de résultats")]
    SessionFolder(PathBuf),
    #[error("« {0} » existe et n'est pas un dossier ; choisissez un autre dossier de résultats avec --out")]
    NotADirectory(PathBuf),
    #[error("écriture impossible dans « {path} » : {reason}")]
    Io { path: PathBuf, reason: String },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |e| OutputError::Io {
        path: path.to_path_buf(),
        reason: io_reason(&e),
    }
}

/// Why a writer (the workbook writer, an I/O call) failed, in French: the reason of the
/// I/O error behind it when there is one (a full disk…), never the writer's English text.
pub fn failure_reason(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = Some(e);
    while let Some(error) = cause {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            return io_reason(io);
        }
        if let Some(rust_xlsxwriter::XlsxError::IoError(io)) =
            error.downcast_ref::<rust_xlsxwriter::XlsxError>()
        {
            return io_reason(io);
        }
        cause = error.source();
    }
    "erreur interne lors de la production du fichier".to_string()
}

/// Checks that results may be written to `target` before any work is done. What an
/// interrupted write left beside it is put right first ([`recover`]), so that previous
/// results moved aside by a crash count as the results they are.
pub fn check_target(target: &Path, force: bool, protected: &[PathBuf]) -> Result<(), OutputError> {
    let resolved = absolute(target);
    if protected.iter().any(|p| absolute(p) == resolved) {
        return Err(OutputError::SessionFolder(target.to_path_buf()));
    }
    if let Some(parent) = resolved.parent() {
        recover(&resolved).map_err(io_error(parent))?;
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
    let ours = fs::File::open(target.join("manifest.json")).is_ok_and(written_by_jury);
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
    // Without a readable working folder, the path is cleaned as it was given.
    let joined = match std::env::current_dir() {
        Ok(base) => base.join(path),
        Err(_) => path.to_path_buf(),
    };
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
/// renames it to `target` (see [`Staging`]); every path is checked before anything is
/// written.
pub fn write_atomically(target: &Path, files: &[(String, Vec<u8>)]) -> Result<(), OutputError> {
    check_paths(&absolute(target), files.iter().map(|(rel, _)| rel.as_str()))?;
    let staging = Staging::begin(target)?;
    // Written and flushed to disk in parallel: thousands of small documents are bound by
    // the disk's latency, not by the processor.
    files
        .par_iter()
        .try_for_each(|(rel, bytes)| staging.write(rel, bytes))?;
    staging.commit()
}

/// Results being written: a hidden folder beside the destination that files go into as
/// they are made (each hashed as it is written), renamed to the destination in one step
/// by [`Staging::commit`], replacing what `check_target` allowed. Dropped without a
/// commit (an error), it is removed and the destination is untouched. The folders of
/// [`KEPT_ACROSS_RUNS`] are copied from the previous results into the new ones at commit.
///
/// The staging folder is `.jury-staging-<pid>-<random>-<name>` beside the target; the
/// previous results, while they are being replaced, `.jury-previous-<pid>-<random>-<name>`.
/// Every file is flushed to disk before the swap, and the parent folder after it. What a
/// crash (even `kill -9`) leaves behind is put right by the next write beside it
/// ([`recover`]): previous results restored if the target is missing, leftovers removed.
/// No command ever reads a hidden `.jury-*` folder as results.
///
/// Test hooks (read here only, with the `test-hooks` feature only, never set by `jury` itself): `JURY_FAIL_AFTER_FILES=K`
/// makes the write fail after K files, as a full disk would; `JURY_CRASH_AT=files:K`,
/// `swap` (previous results moved aside, new ones not yet in place) or `cleanup` (new
/// results in place, previous ones not yet removed) aborts the process there, as a crash
/// would.
pub struct Staging {
    target: PathBuf,
    parent: PathBuf,
    name: String,
    dir: tempfile::TempDir,
    hooks: Hooks,
    /// Every file written so far (path and SHA-256), and the paths taken, folded.
    written: Mutex<Vec<Input>>,
    taken: Mutex<HashSet<String>>,
}

impl Staging {
    /// Creates the staging folder beside `target` (after putting right what an
    /// interrupted write left there).
    pub fn begin(target: &Path) -> Result<Staging, OutputError> {
        let target = absolute(target);
        let parent = target
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        fs::create_dir_all(&parent).map_err(io_error(&parent))?;
        recover(&target).map_err(io_error(&parent))?;
        let hooks = Hooks::from_env();
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = tempfile::Builder::new()
            .prefix(&format!("{STAGING}{}-", std::process::id()))
            .suffix(&format!("-{name}"))
            .tempdir_in(&parent)
            .map_err(io_error(&parent))?;
        if hooks.crash_after == Some(0) {
            std::process::abort();
        }
        Ok(Staging {
            target,
            parent,
            name,
            dir,
            hooks,
            written: Mutex::new(Vec::new()),
            taken: Mutex::new(HashSet::new()),
        })
    }

    /// Checks `rel` (never outside the folder, never a name already taken) and makes
    /// its folder.
    fn claim(&self, rel: &str) -> Result<PathBuf, OutputError> {
        let path = self.dir.path().join(rel);
        check_path(&self.target, rel)?;
        if !lock(&self.taken).insert(fold_path(rel)) {
            return Err(collision(&self.target, rel));
        }
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io_error(dir))?;
        }
        self.hooks.before_file(&path)?;
        Ok(path)
    }

    /// Writes one whole file (flushed to disk by [`Staging::commit`] at the latest).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.claim(rel)?;
        let mut file = fs::File::create(&path).map_err(io_error(&path))?;
        file.write_all(bytes)
            .and_then(|()| sync_staged_file(&file))
            .map_err(io_error(&path))?;
        self.done(rel, sha256_hex(bytes));
        Ok(())
    }

    /// The staging folder itself (for a writer's own temporary files).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Writes one file through `write`, which may seek in it (a zip archive); the file is
    /// hashed once written.
    pub fn write_with<E: std::error::Error + 'static>(
        &self,
        rel: &str,
        write: impl FnOnce(&mut std::io::BufWriter<fs::File>) -> Result<(), E>,
    ) -> Result<(), OutputError> {
        let path = self.claim(rel)?;
        let file = fs::File::create(&path).map_err(io_error(&path))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        write(&mut out).map_err(|e| OutputError::Io {
            path: path.clone(),
            reason: failure_reason(&e),
        })?;
        let file = out
            .into_inner()
            .map_err(|e| io_error(&path)(e.into_error()))?;
        sync_staged_file(&file).map_err(io_error(&path))?;
        drop(file);
        let mut hasher = Sha256::new();
        let mut reader = fs::File::open(&path).map_err(io_error(&path))?;
        std::io::copy(&mut reader, &mut hasher).map_err(io_error(&path))?;
        self.done(rel, hex(&hasher.finalize()));
        Ok(())
    }

    /// Opens a file to be written piece by piece (hashed as it goes); it counts once
    /// [`StagedFile::finish`] has flushed it.
    pub fn create(&self, rel: &str) -> Result<StagedFile<'_>, OutputError> {
        let path = self.claim(rel)?;
        let file = fs::File::create(&path).map_err(io_error(&path))?;
        Ok(StagedFile {
            staging: self,
            rel: rel.to_string(),
            path,
            file: std::io::BufWriter::with_capacity(1 << 20, file),
            hasher: Sha256::new(),
        })
    }

    fn done(&self, rel: &str, sha256: String) {
        lock(&self.written).push(Input {
            path: rel.to_string(),
            sha256,
        });
        self.hooks.after_file();
    }

    /// Every file written so far, by path.
    pub fn outputs(&self) -> Vec<Input> {
        let mut all = lock(&self.written).clone();
        all.sort_by(|a, b| a.path.cmp(&b.path));
        all
    }

    /// Flushes every file to disk and puts the results in place of `target`, in one
    /// rename.
    pub fn commit(self) -> Result<(), OutputError> {
        let (target, parent, name, hooks) = (&self.target, &self.parent, &self.name, &self.hooks);
        sync_tree(self.dir.path()).map_err(io_error(self.dir.path()))?;
        for kept in KEPT_ACROSS_RUNS {
            let from = target.join(kept);
            let to = self.dir.path().join(kept);
            if from.is_dir() && !to.exists() {
                copy_dir(&from, &to).map_err(io_error(&from))?;
            }
        }
        let old = if target.exists() {
            let old = tempfile::Builder::new()
                .prefix(&format!("{PREVIOUS}{}-", std::process::id()))
                .suffix(&format!("-{name}"))
                .tempdir_in(parent)
                .map_err(io_error(parent))?;
            let old_path = old.keep();
            fs::rename(target, &old_path).map_err(io_error(target))?;
            Some(old_path)
        } else {
            None
        };
        hooks.crash_at("swap");
        let staged = self.dir.keep();
        if let Err(e) = fs::rename(&staged, &self.target) {
            if let Some(old) = &old {
                let _ = fs::rename(old, &self.target);
            }
            let _ = fs::remove_dir_all(&staged);
            return Err(OutputError::Io {
                path: self.target.clone(),
                reason: io_reason(&e),
            });
        }
        sync_dir(&self.parent);
        self.hooks.crash_at("cleanup");
        if let Some(old) = old {
            let _ = fs::remove_dir_all(old);
        }
        Ok(())
    }
}

impl Staging {
    /// Puts the staged files in place without replacing anything (`jury init`): a missing
    /// target becomes the staging folder in one rename; an existing empty folder is kept as
    /// it is (it may be a terminal's current folder, or open in a file manager) and receives
    /// the staged entries one rename each, in name order, those already moved taken back if
    /// one fails. A target holding an entry of the same name is never overwritten.
    pub fn commit_without_replacing(self) -> Result<(), OutputError> {
        sync_tree(self.dir.path()).map_err(io_error(self.dir.path()))?;
        if !self.target.exists() {
            let staged = self.dir.keep();
            return match fs::rename(&staged, &self.target) {
                Ok(()) => {
                    sync_dir(&self.parent);
                    Ok(())
                }
                Err(e) => {
                    let _ = fs::remove_dir_all(&staged);
                    Err(io_error(&self.target)(e))
                }
            };
        }
        let mut names: Vec<std::ffi::OsString> = fs::read_dir(self.dir.path())
            .and_then(|entries| entries.map(|e| e.map(|e| e.file_name())).collect())
            .map_err(io_error(self.dir.path()))?;
        names.sort();
        let mut moved: Vec<&std::ffi::OsString> = Vec::new();
        for name in &names {
            let to = self.target.join(name);
            let result = if to.symlink_metadata().is_ok() {
                Err(OutputError::Io {
                    path: to.clone(),
                    reason: "un fichier de ce nom est apparu entre-temps : rien n'est écrasé"
                        .into(),
                })
            } else {
                fs::rename(self.dir.path().join(name), &to).map_err(io_error(&to))
            };
            if let Err(e) = result {
                for back in moved {
                    let _ = fs::rename(self.target.join(back), self.dir.path().join(back));
                }
                return Err(e);
            }
            moved.push(name);
        }
        sync_dir(&self.target);
        Ok(())
    }
}

/// A file of the staging folder being written piece by piece.
pub struct StagedFile<'a> {
    staging: &'a Staging,
    rel: String,
    path: PathBuf,
    file: std::io::BufWriter<fs::File>,
    hasher: Sha256,
}

impl std::io::Write for StagedFile<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl StagedFile<'_> {
    /// Flushes the file to disk and records it with its hash.
    pub fn finish(self) -> Result<(), OutputError> {
        let file = self
            .file
            .into_inner()
            .map_err(|e| io_error(&self.path)(e.into_error()))?;
        sync_staged_file(&file).map_err(io_error(&self.path))?;
        self.staging.done(&self.rel, hex(&self.hasher.finalize()));
        Ok(())
    }
}

/// Documents go straight into the staging folder as they are rendered.
impl jury_formats::render::pdf::Sink for Staging {
    type File<'a> = StagedFile<'a>;

    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), String> {
        self.write(path, bytes).map_err(|e| e.to_string())
    }

    fn open(&self, path: &str) -> Result<StagedFile<'_>, String> {
        self.create(path).map_err(|e| e.to_string())
    }

    fn close(&self, file: StagedFile<'_>) -> Result<(), String> {
        file.finish().map_err(|e| e.to_string())
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The prefixes of the hidden folders a write leaves while it runs.
const STAGING: &str = ".jury-staging-";
const PREVIOUS: &str = ".jury-previous-";

/// Refuses paths that would leave the target (`..`, absolute, a drive, a backslash) and two
/// files that one file system could take for one (same path ignoring case and Unicode
/// normalisation): a collision is never an overwrite. The names come from
/// `text::safe_file_name`; this is the last line.
fn check_paths<'a>(target: &Path, files: impl Iterator<Item = &'a str>) -> Result<(), OutputError> {
    let mut seen = HashSet::new();
    for rel in files {
        check_path(target, rel)?;
        if !seen.insert(fold_path(rel)) {
            return Err(collision(target, rel));
        }
    }
    Ok(())
}

fn check_path(target: &Path, rel: &str) -> Result<(), OutputError> {
    let escapes = rel.is_empty()
        || rel.contains('\\')
        || rel.contains(':')
        || rel
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..");
    if escapes {
        return Err(OutputError::Io {
            path: target.join(rel),
            reason: "chemin de fichier refusé (il sortirait du dossier de résultats)".into(),
        });
    }
    Ok(())
}

fn fold_path(rel: &str) -> String {
    rel.nfc().collect::<String>().to_lowercase()
}

fn collision(target: &Path, rel: &str) -> OutputError {
    OutputError::Io {
        path: target.join(rel),
        reason: "deux fichiers porteraient ce nom (à la casse près) : rien n'est écrasé".into(),
    }
}

/// Puts right what an interrupted write left beside `target`: the previous results are
/// restored when the target is missing (a crash between the two renames), and hidden
/// staging and previous folders of processes that no longer run are removed. Folders of a
/// `jury` still running (another write beside this one) are left alone. Returns what it
/// did, for tests.
pub fn recover(target: &Path) -> std::io::Result<Vec<String>> {
    let target = absolute(target);
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return Ok(Vec::new());
    };
    let name = name.to_string_lossy().into_owned();
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(Vec::new());
    };
    let mut leftovers: Vec<(String, PathBuf)> = entries
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| n.starts_with(STAGING) || n.starts_with(PREVIOUS))
        .collect();
    leftovers.sort();
    let mut done = Vec::new();
    for (folder, path) in leftovers {
        let previous = folder.starts_with(PREVIOUS);
        let rest = folder
            .strip_prefix(if previous { PREVIOUS } else { STAGING })
            .unwrap_or_default();
        // <pid>-<random>-<name>
        let mut parts = rest.splitn(3, '-');
        let (Some(pid), Some(_), Some(of)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if of != name || pid == std::process::id() || process_alive(pid) {
            continue;
        }
        if previous && !target.exists() {
            fs::rename(&path, &target)?;
            sync_dir(parent);
            done.push(format!("restored {folder}"));
        } else {
            fs::remove_dir_all(&path)?;
            done.push(format!("removed {folder}"));
        }
    }
    Ok(done)
}

/// Is process `pid` running? Where this cannot be told (no `/proc`), it is taken as
/// running, so nothing of it is touched.
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// The test hooks of [`write_atomically`], read once from the environment.
struct Hooks {
    fail_after: Option<usize>,
    crash_after: Option<usize>,
    crash_at: Option<String>,
    started: AtomicUsize,
    written: AtomicUsize,
}

impl Hooks {
    /// Read only with the `test-hooks` feature (which `cargo test` turns on): `cargo build`
    /// and release binaries never look at these variables, so no environment can make a
    /// real run fail or abort.
    fn from_env() -> Hooks {
        let var = |name: &str| {
            if cfg!(feature = "test-hooks") {
                std::env::var(name).ok()
            } else {
                None
            }
        };
        let crash = var("JURY_CRASH_AT");
        Hooks {
            fail_after: var("JURY_FAIL_AFTER_FILES").and_then(|v| v.parse().ok()),
            crash_after: crash
                .as_deref()
                .and_then(|c| c.strip_prefix("files:"))
                .and_then(|k| k.parse().ok()),
            crash_at: crash,
            started: AtomicUsize::new(0),
            written: AtomicUsize::new(0),
        }
    }

    /// `JURY_FAIL_AFTER_FILES`: the file after the K-th fails.
    fn before_file(&self, path: &Path) -> Result<(), OutputError> {
        let n = self.started.fetch_add(1, Ordering::SeqCst);
        match self.fail_after {
            Some(k) if n >= k => Err(OutputError::Io {
                path: path.to_path_buf(),
                reason: "échec d'écriture simulé (JURY_FAIL_AFTER_FILES)".into(),
            }),
            _ => Ok(()),
        }
    }

    /// `JURY_CRASH_AT=files:K`: the process dies once K files are written.
    fn after_file(&self) {
        let n = self.written.fetch_add(1, Ordering::SeqCst) + 1;
        if self.crash_after == Some(n) {
            std::process::abort();
        }
    }

    fn crash_at(&self, point: &str) {
        if self.crash_at.as_deref() == Some(point) {
            std::process::abort();
        }
    }
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
    fn writers_failures_are_told_in_french() {
        let full = std::io::Error::from_raw_os_error(28);
        assert_eq!(failure_reason(&full), "le disque est plein");
        let xlsx = rust_xlsxwriter::XlsxError::IoError(std::io::Error::from_raw_os_error(28));
        assert_eq!(failure_reason(&xlsx), "le disque est plein");
        let other = rust_xlsxwriter::XlsxError::RowColumnLimitError;
        assert_eq!(
            failure_reason(&other),
            "erreur interne lors de la production du fichier"
        );
        let error = io_error(Path::new("/r/a.pdf"))(std::io::Error::from_raw_os_error(30));
        assert_eq!(
            error.to_string(),
            "écriture impossible dans « /r/a.pdf » : le disque ou la clé est en lecture seule"
        );
    }

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
    fn commit_without_replacing_never_overwrites_and_takes_back_what_it_moved() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("session");
        let stage = |target: &Path| {
            let staging = Staging::begin(target).unwrap();
            staging.write("a.txt", b"new").unwrap();
            staging.write("b.txt", b"new").unwrap();
            staging
        };
        stage(&target).commit_without_replacing().unwrap();
        assert_eq!(fs::read(target.join("b.txt")).unwrap(), b"new");

        // An existing folder is kept; a name taken in it meanwhile stops everything.
        fs::remove_file(target.join("a.txt")).unwrap();
        fs::write(target.join("b.txt"), b"mine").unwrap();
        let err = stage(&target).commit_without_replacing().unwrap_err();
        assert!(err.to_string().contains("b.txt"), "{err}");
        assert_eq!(fs::read(target.join("b.txt")).unwrap(), b"mine");
        assert!(!target.join("a.txt").exists(), "a.txt was taken back");
        let beside: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(beside.len(), 1, "no staging folder left");
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
    fn paths_that_escape_or_collide_are_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("resultats");
        for rel in ["../x.pdf", "/etc/x", "a/../../b", "C:\\x", "a\\..\\b", ""] {
            assert!(
                write_atomically(&target, &[(rel.into(), b"1".to_vec())]).is_err(),
                "{rel:?}"
            );
        }
        let twins = [
            ("releves/Abc.pdf".to_string(), b"1".to_vec()),
            ("releves/aBC.pdf".to_string(), b"2".to_vec()),
        ];
        assert!(write_atomically(&target, &twins).is_err());
        let normalised = [
            ("releves/e\u{301}.pdf".to_string(), b"1".to_vec()),
            ("releves/\u{e9}.pdf".to_string(), b"2".to_vec()),
        ];
        assert!(write_atomically(&target, &normalised).is_err());
        assert!(!target.exists());
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            0,
            "nothing written"
        );
    }

    #[test]
    fn leftovers_of_a_dead_process_are_put_right() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("resultats");
        // A process that no longer runs (pid 0 is never a user process) was between the
        // two renames: its previous results are restored, its staging folder removed.
        fs::create_dir_all(dir.path().join(".jury-previous-0-abc123-resultats")).unwrap();
        fs::write(
            dir.path()
                .join(".jury-previous-0-abc123-resultats/manifest.json"),
            b"{}",
        )
        .unwrap();
        fs::create_dir_all(dir.path().join(".jury-staging-0-def456-resultats")).unwrap();
        fs::create_dir_all(dir.path().join(".jury-staging-0-ghi789-autre")).unwrap();
        let done = recover(&target).unwrap();
        assert_eq!(done.len(), 2, "{done:?}");
        assert!(target.join("manifest.json").exists());
        assert!(
            dir.path().join(".jury-staging-0-ghi789-autre").exists(),
            "another target's"
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

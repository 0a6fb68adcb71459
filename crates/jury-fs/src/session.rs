//! Loading a session folder: `session.toml`, the referential, the candidates workbook, every
//! grid workbook of `grilles/` and the optional deliberation workbook, each file read once
//! and hashed for the manifest. Problems become findings; nothing here decides anything.

use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::guard::Answer;
use jury_core::candidates::{pick_sheet, read_candidates, CandidateList};
use jury_core::deliberation::{read_deliberations, DeliberationList};
use jury_core::digest::sha256_hex;
use jury_core::finding::{Code, Finding};
use jury_core::grids::{read_grid_sheet, GridSheet};
use jury_core::referential::{Referential, BUILT_IN};
use jury_core::session::SessionConfig;
use jury_core::sheet::Sheet;
use jury_core::text::fold_header;
use jury_core::validate::{Input, SessionData};
use jury_formats::limits::{human_bytes, MAX_FILE_BYTES, MAX_TOML_BYTES};
use jury_formats::workbook::WORKBOOK_EXTENSIONS;

/// A loaded session: the data when the configuration could be read, every finding of
/// loading, and the inputs read.
#[derive(Debug)]
pub struct Loaded {
    pub data: Option<SessionData>,
    pub findings: Vec<Finding>,
    pub inputs: Vec<Input>,
}

struct Loader {
    dir: PathBuf,
    inputs: Vec<Input>,
    findings: Vec<Finding>,
    /// Workbooks already read (in parallel, each in its own child process), by path and
    /// whether they were read as grids.
    prefetched: HashMap<(String, bool), Fetched>,
}

/// A workbook read: its input record when its bytes could be read, and its sheets (not
/// decoded yet, see `guard::Answer`) or why its bytes could not be read (in French).
type Fetched = (Option<Input>, Result<Answer, String>);

/// What to do about a workbook whose bytes cannot be read (missing, refused, too large).
const UNREADABLE_FILE_HINT: &str = "Vérifiez que le fichier existe, qu'il n'est pas ouvert dans un autre programme et que vous avez le droit de le lire ; un fichier trop volumineux doit être allégé.";

/// Loads the session folder `dir`.
pub fn load(dir: &Path) -> Loaded {
    let mut loader = Loader {
        dir: dir.to_path_buf(),
        inputs: Vec::new(),
        findings: Vec::new(),
        prefetched: HashMap::new(),
    };
    let data = loader.load();
    loader.inputs.sort();
    Loaded {
        data,
        findings: loader.findings,
        inputs: loader.inputs,
    }
}

impl Loader {
    /// Reads a file of the session (at most `limit` bytes), records it as an input, and
    /// returns its bytes.
    fn read(&mut self, rel: &str, limit: u64) -> Result<Vec<u8>, std::io::Error> {
        let bytes = read_limited(&self.dir.join(rel), limit)?;
        self.inputs.push(Input {
            path: rel.to_string(),
            sha256: sha256_hex(&bytes),
        });
        Ok(bytes)
    }

    fn load(&mut self) -> Option<SessionData> {
        if !self.dir.is_dir() {
            self.findings.push(Finding::new(
                Code::InvalidConfig,
                format!(
                    "Le dossier de session « {} » n'existe pas ou n'est pas un dossier.",
                    self.dir.display()
                ),
            ).hint("Vérifiez le chemin donné à la commande : c'est le dossier qui contient session.toml."));
            return None;
        }
        let config = self.load_config()?;
        let referential = self.load_referential(&config)?;
        self.prefetch(&config);
        let candidates = self.load_candidates(&config);
        let (grids, unreadable_grid) = self.load_grids(&config, &referential);
        let deliberations = self.load_deliberations(&config, &referential);
        Some(SessionData {
            config,
            referential,
            candidates,
            grids,
            deliberations,
            findings: std::mem::take(&mut self.findings),
            unreadable_grid,
        })
    }

    fn load_config(&mut self) -> Option<SessionConfig> {
        let file = "session.toml";
        let bytes = match self.read(file, MAX_TOML_BYTES) {
            Ok(b) => b,
            Err(e) => {
                self.findings.push(
                    Finding::new(
                        Code::InvalidConfig,
                        format!(
                            "Le fichier session.toml ne peut pas être lu : {}.",
                            io_reason(&e)
                        ),
                    )
                    .in_file(file)
                    .hint("Vérifiez le dossier indiqué : chaque dossier de session contient un fichier session.toml (« jury init » en prépare un)."),
                );
                return None;
            }
        };
        let Ok(text) = String::from_utf8(bytes) else {
            self.findings.push(
                Finding::new(
                    Code::InvalidConfig,
                    "Le fichier session.toml n'est pas encodé en UTF-8.",
                )
                .in_file(file)
                .hint("Enregistrez-le en UTF-8 depuis votre éditeur de texte."),
            );
            return None;
        };
        SessionConfig::parse(&text, file)
            .map_err(|f| self.findings.extend(f))
            .ok()
    }

    /// The referential `session.toml` names: a file of the session (a path, or a name
    /// ending in `.toml`), else a built-in one.
    fn load_referential(&mut self, config: &SessionConfig) -> Option<Referential> {
        let name = config.referential.as_str();
        if name.contains('/') || name.ends_with(".toml") {
            self.referential_file(name)
        } else {
            self.built_in_referential(name, config)
        }
    }

    /// A referential file of the session, read (as an input) and parsed.
    fn referential_file(&mut self, name: &str) -> Option<Referential> {
        let bytes = match self.read(name, MAX_TOML_BYTES) {
            Ok(b) => b,
            Err(e) => {
                self.findings.push(
                    Finding::new(
                        Code::InvalidReferential,
                        format!(
                            "Le référentiel « {name} » ne peut pas être lu : {}.",
                            io_reason(&e)
                        ),
                    )
                    .in_file(name)
                    .hint("Vérifiez la valeur de `referential` dans session.toml : le chemin du fichier part du dossier de la session."),
                );
                return None;
            }
        };
        let Ok(text) = String::from_utf8(bytes) else {
            self.findings.push(
                Finding::new(
                    Code::InvalidReferential,
                    format!("Le référentiel « {name} » n'est pas encodé en UTF-8."),
                )
                .in_file(name)
                .hint("Enregistrez-le en UTF-8 depuis votre éditeur de texte."),
            );
            return None;
        };
        Referential::parse(&text, name)
            .map_err(|f| self.findings.extend(f))
            .ok()
    }

    /// A referential shipped with jury, by name (recorded as the input
    /// `referential:<name>`), or an `invalid-config` finding suggesting the nearest name.
    fn built_in_referential(&mut self, name: &str, config: &SessionConfig) -> Option<Referential> {
        let Some((_, text)) = BUILT_IN.iter().find(|(n, _)| *n == name) else {
            let known: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
            let suggestion = jury_core::text::nearest(name, known.iter().copied())
                .map(|n| format!("Vouliez-vous dire « {n} » ? "))
                .unwrap_or_default();
            let mut f = Finding::new(
                Code::InvalidConfig,
                format!("Le référentiel « {name} » est inconnu. Référentiels intégrés : {}.", known.join(", ")),
            )
            .in_file("session.toml")
            .hint(format!("{suggestion}Donnez le nom d'un référentiel intégré, ou le chemin d'un fichier .toml relatif à session.toml."));
            if let Some((line, column)) = config.places.value("session.referential") {
                f = f.at_line(line, column);
            }
            self.findings.push(f);
            return None;
        };
        self.inputs.push(Input {
            path: format!("referential:{name}"),
            sha256: sha256_hex(text.as_bytes()),
        });
        Referential::parse(text, &format!("templates/referentials/{name}.toml"))
            .map_err(|f| self.findings.extend(f))
            .ok()
    }

    /// Reads a workbook of the session, or records an `unreadable-workbook` finding.
    fn workbook(&mut self, rel: &str) -> Option<Vec<Sheet>> {
        self.workbook_with(rel, false)
    }

    /// The same; `grid`: with what the grid audit needs. The workbook is parsed contained
    /// (`io::guard`): whatever it holds, the worst outcome is this finding.
    fn workbook_with(&mut self, rel: &str, grid: bool) -> Option<Vec<Sheet>> {
        let (input, result) = self
            .prefetched
            .remove(&(rel.to_string(), grid))
            .unwrap_or_else(|| fetch(&self.dir, rel, grid));
        self.inputs.extend(input);
        result
            .map_err(|reason| (reason, UNREADABLE_FILE_HINT))
            .and_then(|answer| answer.sheets().map_err(|e| (e.to_string(), e.hint())))
            .map_err(|(reason, hint)| {
                self.findings.push(
                    Finding::new(
                        Code::UnreadableWorkbook,
                        format!("Le classeur « {rel} » ne peut pas être lu : {reason}."),
                    )
                    .in_file(rel)
                    .hint(hint),
                );
            })
            .ok()
    }

    fn load_candidates(&mut self, config: &SessionConfig) -> CandidateList {
        let rel = config.candidates.clone();
        let Some(sheets) = self.workbook(&rel) else {
            return CandidateList::default();
        };
        let Some(sheet) = pick_sheet(&sheets) else {
            return CandidateList::default();
        };
        read_candidates(sheet, &rel)
    }

    /// Every grid sheet of the grids folder's workbooks, and whether any workbook could
    /// not be read; a folder that cannot be read, or holds no grid, is a `no-grid` finding.
    fn load_grids(
        &mut self,
        config: &SessionConfig,
        referential: &Referential,
    ) -> (Vec<GridSheet>, bool) {
        let folder = config.grids.trim_end_matches('/').to_string();
        let names = match grid_entries(&self.dir, &folder) {
            Ok(names) => names,
            Err(e) => {
                self.findings.push(
                    Finding::new(
                        Code::NoGrid,
                        format!(
                            "Le dossier des grilles « {folder} » ne peut pas être lu : {}.",
                            folder_reason(&e)
                        ),
                    )
                    .in_file(&folder)
                    .hint("Créez ce dossier et déposez-y les grilles remplies par les membres du jury (« jury grids » prépare les grilles vierges)."),
                );
                return (Vec::new(), false);
            }
        };
        let mut sheets = Vec::new();
        let mut unreadable = false;
        for (name, _) in names.iter().filter(|(_, is_file)| *is_file) {
            match self.grid_file(&folder, name, referential, config) {
                Some(grids) => sheets.extend(grids),
                None => unreadable = true,
            }
        }
        if sheets.is_empty() && !unreadable {
            self.findings.push(
                Finding::new(Code::NoGrid, format!("Aucune grille d'évaluation trouvée dans « {folder} »."))
                    .in_file(&folder)
                    .hint("Une grille a une ligne d'en-têtes avec « N° candidat » et une colonne par critère (Cr1.1…), ou les colonnes Critère et Niveau."),
            );
        }
        (sheets, unreadable)
    }

    /// The grid sheets of one file of the grids folder: none for a file that is not a
    /// workbook (an `ignored-file` finding), `None` when the workbook cannot be read.
    fn grid_file(
        &mut self,
        folder: &str,
        name: &str,
        referential: &Referential,
        config: &SessionConfig,
    ) -> Option<Vec<GridSheet>> {
        let rel = format!("{folder}/{name}");
        if !is_workbook_name(name) {
            self.findings.push(
                Finding::new(
                    Code::IgnoredFile,
                    format!("« {rel} » n'est pas un classeur : fichier ignoré."),
                )
                .in_file(&rel)
                .hint("Retirez ce fichier du dossier des grilles, ou enregistrez-le dans l'un des formats lus : .xlsx, .xlsm, .xls, .xlsb, .ods."),
            );
            return Some(Vec::new());
        }
        let workbook = self.workbook_with(&rel, true)?;
        let stem = Path::new(name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Some(
            workbook
                .iter()
                .filter_map(|sheet| read_grid_sheet(sheet, &rel, &stem, referential, config))
                .collect(),
        )
    }

    fn load_deliberations(
        &mut self,
        config: &SessionConfig,
        referential: &Referential,
    ) -> DeliberationList {
        let Some(rel) = deliberation_file(&self.dir, config) else {
            return DeliberationList::default();
        };
        match self.workbook(&rel) {
            Some(sheets) => read_deliberations(&sheets, &rel, referential),
            None => DeliberationList::default(),
        }
    }
}

impl Loader {
    /// Reads every workbook of the session at once, in parallel (each in a child process,
    /// see `io::guard`), for `workbook_with` to take in the usual order.
    fn prefetch(&mut self, config: &SessionConfig) {
        let mut jobs: Vec<(String, bool)> = vec![(config.candidates.clone(), false)];
        let folder = config.grids.trim_end_matches('/');
        if let Ok(names) = grid_entries(&self.dir, folder) {
            jobs.extend(
                names
                    .into_iter()
                    .filter(|(name, is_file)| *is_file && is_workbook_name(name))
                    .map(|(name, _)| (format!("{folder}/{name}"), true)),
            );
        }
        jobs.extend(deliberation_file(&self.dir, config).map(|rel| (rel, false)));
        jobs.sort();
        jobs.dedup();
        let dir = &self.dir;
        self.prefetched = jobs
            .par_iter()
            .map(|(rel, grid)| ((rel.clone(), *grid), fetch(dir, rel, *grid)))
            .collect();
    }
}

/// Reads one workbook of the session: its bytes (hashed), then its sheets, contained.
fn fetch(dir: &Path, rel: &str, grid: bool) -> Fetched {
    match read_limited(&dir.join(rel), MAX_FILE_BYTES) {
        Ok(bytes) => {
            let input = Input {
                path: rel.to_string(),
                sha256: sha256_hex(&bytes),
            };
            (Some(input), Ok(crate::guard::read_later(&bytes, grid)))
        }
        Err(e) => (None, Err(io_reason(&e))),
    }
}

/// A regular file's bytes, refused past `limit` bytes before anything is read (a device,
/// a pipe or a huge file never fills the memory).
pub fn read_limited(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let metadata = std::fs::metadata(path)?;
    if metadata.is_dir() {
        return Err(std::io::Error::from(std::io::ErrorKind::IsADirectory));
    }
    if !metadata.is_file() {
        return Err(french_error(
            std::io::ErrorKind::InvalidInput,
            "ce n'est pas un fichier ordinaire".into(),
        ));
    }
    let too_large = |size: u64| {
        french_error(
            std::io::ErrorKind::FileTooLarge,
            format!(
                "le fichier dépasse la limite de {} (il fait {})",
                human_bytes(limit),
                human_bytes(size)
            ),
        )
    };
    if metadata.len() > limit {
        return Err(too_large(metadata.len()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The entries of the grids folder: name and whether it is a file, sorted; hidden and lock
/// files left out.
fn grid_entries(dir: &Path, folder: &str) -> std::io::Result<Vec<(String, bool)>> {
    let mut names: Vec<(String, bool)> = std::fs::read_dir(dir.join(folder))?
        .filter_map(Result::ok)
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                e.path().is_file(),
            )
        })
        .filter(|(name, _)| !is_hidden_or_lock(name))
        .collect();
    names.sort();
    Ok(names)
}

/// The deliberation workbook: the one `session.toml` names, else the first workbook of the
/// session folder named « délibération » (any case and accents).
fn deliberation_file(dir: &Path, config: &SessionConfig) -> Option<String> {
    if let Some(rel) = &config.deliberation {
        return Some(rel.clone());
    }
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            !is_hidden_or_lock(n)
                && is_workbook_name(n)
                && Path::new(n)
                    .file_stem()
                    .is_some_and(|s| fold_header(&s.to_string_lossy()) == "deliberation")
        })
        .collect();
    found.sort();
    found.into_iter().next()
}

/// Office lock files (`~$x.xlsx`, `.~lock.x.ods#`) and hidden files are skipped silently.
pub fn is_hidden_or_lock(name: &str) -> bool {
    name.starts_with('.') || name.starts_with("~$")
}

pub fn is_workbook_name(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| WORKBOOK_EXTENSIONS.contains(&e.to_string_lossy().to_lowercase().as_str()))
}

/// A reason written in French by `jury` itself, carried inside an `io::Error` (the size
/// limit, a file that is not a regular file): [`io_reason`] shows it as it is.
#[derive(Debug)]
pub struct FrenchReason(pub String);

impl std::fmt::Display for FrenchReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FrenchReason {}

/// An `io::Error` of `kind` whose message is `reason`, in French.
pub fn french_error(kind: std::io::ErrorKind, reason: String) -> std::io::Error {
    std::io::Error::new(kind, FrenchReason(reason))
}

/// The session folder a user meant: the folder itself, or the folder of a file of it
/// (`session.toml`, `candidats.xlsx`…) when that folder holds a `session.toml`.
pub fn session_folder(path: PathBuf) -> PathBuf {
    if !path.is_file() {
        return path;
    }
    let folder = match path.parent() {
        Some(parent) if parent.as_os_str().is_empty() => PathBuf::from("."),
        Some(parent) => parent.to_path_buf(),
        None => return path,
    };
    if folder.join("session.toml").is_file() {
        folder
    } else {
        path
    }
}

/// Does `dir` look like a session folder (it holds a `session.toml`)?
pub fn is_session(dir: &Path) -> bool {
    dir.join("session.toml").is_file()
}

/// A French reason for an I/O error on a file, never Rust's own English text (« No such
/// file or directory (os error 2) »): what happened, in the words a secretary uses.
pub fn io_reason(e: &std::io::Error) -> String {
    reason(e, "fichier introuvable")
}

/// The same for a folder (« dossier introuvable »).
pub fn folder_reason(e: &std::io::Error) -> String {
    reason(e, "dossier introuvable")
}

fn reason(e: &std::io::Error, not_found: &str) -> String {
    use std::io::ErrorKind as K;
    if let Some(ours) = e.get_ref().and_then(|r| r.downcast_ref::<FrenchReason>()) {
        return ours.0.clone();
    }
    let known = match e.kind() {
        K::NotFound => not_found,
        K::PermissionDenied => "accès refusé (vérifiez vos droits sur ce fichier ou ce dossier)",
        K::IsADirectory => "c'est un dossier, pas un fichier",
        K::NotADirectory => "un élément du chemin n'est pas un dossier",
        K::AlreadyExists => "un fichier ou un dossier de ce nom existe déjà",
        K::StorageFull | K::QuotaExceeded => "le disque est plein",
        K::ReadOnlyFilesystem => "le disque ou la clé est en lecture seule",
        K::FileTooLarge => "le fichier est trop volumineux",
        K::DirectoryNotEmpty => "le dossier n'est pas vide",
        K::ResourceBusy | K::ExecutableFileBusy => {
            "le fichier est occupé par un autre programme (fermez-le puis relancez)"
        }
        K::InvalidFilename => "nom de fichier refusé par le système",
        K::TooManyLinks => "le chemin boucle sur lui-même (liens symboliques)",
        K::CrossesDevices => "le déplacement entre deux disques est impossible",
        K::TimedOut | K::StaleNetworkFileHandle | K::NetworkDown | K::NetworkUnreachable => {
            "le partage réseau ne répond pas"
        }
        K::UnexpectedEof => "le fichier s'arrête avant la fin attendue",
        K::OutOfMemory => "mémoire insuffisante",
        K::Interrupted => "opération interrompue",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    match e.raw_os_error() {
        Some(code) => format!("erreur du système (code {code})"),
        None => "erreur d'entrée-sortie inattendue".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Error, ErrorKind};

    /// No reason carries Rust's English text, whatever the error.
    #[test]
    fn io_reasons_are_french_and_never_rusts_own_text() {
        let cases = [
            (Error::from(ErrorKind::NotFound), "fichier introuvable"),
            (Error::from_raw_os_error(2), "fichier introuvable"),
            (Error::from_raw_os_error(13), "accès refusé"),
            (Error::from_raw_os_error(28), "le disque est plein"),
            (Error::from_raw_os_error(30), "lecture seule"),
            (Error::from_raw_os_error(71), "erreur du système (code 71)"),
            (
                Error::other("Something went wrong"),
                "erreur d'entrée-sortie inattendue",
            ),
            (
                Error::new(ErrorKind::InvalidInput, "file name contained a NUL byte"),
                "erreur d'entrée-sortie inattendue",
            ),
        ];
        for (error, expected) in cases {
            let reason = io_reason(&error);
            assert!(reason.contains(expected), "{error:?} → {reason}");
            for english in ["No such", "os error", "denied", "Something", "NUL"] {
                assert!(!reason.contains(english), "{error:?} → {reason}");
            }
        }
        assert_eq!(
            folder_reason(&Error::from(ErrorKind::NotFound)),
            "dossier introuvable"
        );
    }

    #[test]
    fn our_own_reasons_are_shown_as_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("grand.xlsx");
        std::fs::write(&big, vec![0u8; 2048]).unwrap();
        let reason = io_reason(&read_limited(&big, 1024).unwrap_err());
        assert_eq!(
            reason,
            "le fichier dépasse la limite de 1 Kio (il fait 2 Kio)"
        );
        let reason = io_reason(&read_limited(dir.path(), 1024).unwrap_err());
        assert_eq!(reason, "c'est un dossier, pas un fichier");
    }
}

//! Loading a session folder: `session.toml`, the referential, the candidates workbook, every
//! grid workbook of `grilles/` and the optional deliberation workbook, each file read once
//! and hashed for the manifest. Problems become findings; nothing here decides anything.

use std::path::{Path, PathBuf};

use crate::core::candidates::{pick_sheet, read_candidates, CandidateList};
use crate::core::deliberation::{read_deliberations, DeliberationList};
use crate::core::digest::sha256_hex;
use crate::core::finding::{line_column, Code, Finding};
use crate::core::grids::{read_grid_sheet, GridSheet};
use crate::core::referential::{Referential, BUILT_IN};
use crate::core::session::SessionConfig;
use crate::core::sheet::Sheet;
use crate::core::text::fold_header;
use crate::core::validate::{Input, SessionData};
use crate::io::workbook::{read_grid_workbook, read_workbook, WorkbookError, WORKBOOK_EXTENSIONS};

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
}

/// Loads the session folder `dir`.
pub fn load(dir: &Path) -> Loaded {
    let mut loader = Loader {
        dir: dir.to_path_buf(),
        inputs: Vec::new(),
        findings: Vec::new(),
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
    /// Reads a file of the session, records it as an input, and returns its bytes.
    fn read(&mut self, rel: &str) -> Result<Vec<u8>, std::io::Error> {
        let bytes = std::fs::read(self.dir.join(rel))?;
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
            ));
            return None;
        }
        let config = self.load_config()?;
        let referential = self.load_referential(&config)?;
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
        let bytes = match self.read(file) {
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
                    .hint("Chaque dossier de session contient un session.toml (voir le README)."),
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

    fn load_referential(&mut self, config: &SessionConfig) -> Option<Referential> {
        let name = config.referential.as_str();
        if name.contains('/') || name.ends_with(".toml") {
            let bytes = match self.read(name) {
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
                        .in_file(name),
                    );
                    return None;
                }
            };
            let Ok(text) = String::from_utf8(bytes) else {
                self.findings.push(
                    Finding::new(
                        Code::InvalidReferential,
                        "Le référentiel n'est pas encodé en UTF-8.",
                    )
                    .in_file(name),
                );
                return None;
            };
            return Referential::parse(&text, name)
                .map_err(|f| self.findings.extend(f))
                .ok();
        }
        let Some((_, text)) = BUILT_IN.iter().find(|(n, _)| *n == name) else {
            let known: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
            let mut f = Finding::new(
                Code::InvalidConfig,
                format!("Référentiel « {name} » inconnu. Référentiels intégrés : {}.", known.join(", ")),
            )
            .in_file("session.toml")
            .hint("Donnez le nom d'un référentiel intégré, ou le chemin d'un fichier .toml relatif à session.toml.");
            if let Ok(text) = std::fs::read_to_string(self.dir.join("session.toml")) {
                if let Some(offset) = text.find("referential") {
                    let (line, column) = line_column(&text, offset);
                    f = f.at_line(line, column);
                }
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
        self.workbook_with(rel, read_workbook)
    }

    /// The same, with the given reader (grids are read with what their audit needs).
    fn workbook_with(
        &mut self,
        rel: &str,
        reader: fn(&[u8]) -> Result<Vec<Sheet>, WorkbookError>,
    ) -> Option<Vec<Sheet>> {
        let result = match self.read(rel) {
            Ok(bytes) => reader(&bytes).map_err(|e| e.to_string()),
            Err(e) => Err(io_reason(&e)),
        };
        result
            .map_err(|reason| {
                self.findings.push(
                    Finding::new(
                        Code::UnreadableWorkbook,
                        format!("Le classeur « {rel} » ne peut pas être lu : {reason}."),
                    )
                    .in_file(rel),
                );
            })
            .ok()
    }

    fn load_candidates(&mut self, config: &SessionConfig) -> CandidateList {
        let rel = config.candidates.clone();
        let Some(sheets) = self.workbook(&rel) else {
            return CandidateList::default();
        };
        match pick_sheet(&sheets) {
            Some(sheet) => read_candidates(sheet, &rel),
            None => CandidateList::default(),
        }
    }

    fn load_grids(
        &mut self,
        config: &SessionConfig,
        referential: &Referential,
    ) -> (Vec<GridSheet>, bool) {
        let folder = config.grids.trim_end_matches('/').to_string();
        let entries = match std::fs::read_dir(self.dir.join(&folder)) {
            Ok(entries) => entries,
            Err(e) => {
                self.findings.push(
                    Finding::new(
                        Code::NoGrid,
                        format!(
                            "Le dossier des grilles « {folder} » ne peut pas être lu : {}.",
                            io_reason(&e)
                        ),
                    )
                    .in_file(&folder)
                    .hint("Créez le dossier grilles/ et déposez-y les grilles des évaluateurs."),
                );
                return (Vec::new(), false);
            }
        };
        let mut names: Vec<(String, bool)> = entries
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
        let mut sheets = Vec::new();
        let mut unreadable = false;
        for (name, is_file) in names {
            let rel = format!("{folder}/{name}");
            if !is_file {
                continue;
            }
            if !is_workbook_name(&name) {
                self.findings.push(
                    Finding::new(
                        Code::IgnoredFile,
                        format!("« {rel} » n'est pas un classeur : fichier ignoré."),
                    )
                    .in_file(&rel)
                    .hint("Formats lus : .xlsx, .xlsm, .xls, .xlsb, .ods."),
                );
                continue;
            }
            let Some(workbook) = self.workbook_with(&rel, read_grid_workbook) else {
                unreadable = true;
                continue;
            };
            let stem = Path::new(&name)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            sheets.extend(
                workbook
                    .iter()
                    .filter_map(|sheet| read_grid_sheet(sheet, &rel, &stem, referential, config)),
            );
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

    fn load_deliberations(
        &mut self,
        config: &SessionConfig,
        referential: &Referential,
    ) -> DeliberationList {
        let rel = match &config.deliberation {
            Some(rel) => Some(rel.clone()),
            None => std::fs::read_dir(&self.dir).ok().and_then(|entries| {
                let mut found: Vec<String> = entries
                    .filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| {
                        !is_hidden_or_lock(n)
                            && is_workbook_name(n)
                            && Path::new(n).file_stem().is_some_and(|s| {
                                fold_header(&s.to_string_lossy()) == "deliberation"
                            })
                    })
                    .collect();
                found.sort();
                found.into_iter().next()
            }),
        };
        let Some(rel) = rel else {
            return DeliberationList::default();
        };
        match self.workbook(&rel) {
            Some(sheets) => read_deliberations(&sheets, &rel, referential),
            None => DeliberationList::default(),
        }
    }
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

/// A French reason for an I/O error, without Rust's debug text.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "fichier introuvable".into(),
        std::io::ErrorKind::PermissionDenied => "accès refusé".into(),
        std::io::ErrorKind::IsADirectory => "c'est un dossier".into(),
        _ => format!("erreur de lecture ({e})"),
    }
}

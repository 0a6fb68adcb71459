//! A work folder for the tests that start from the committed sample session
//! (`samples/session-demo`, 25 candidates, three jurors, a deliberation): a temporary folder
//! holding a copy of it at `session/`, with room for results beside it. Commands run from
//! that folder through [`jury_in`], so a failed assertion shows the command, its folder,
//! status, stdout and stderr.
//!
//! Tests that need a session made to measure use the bench of `common.rs` instead.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use tempfile::TempDir;

use crate::common::{json_file, jury_in, sheet_rows, write_text_rows, Report};

pub const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/session-demo");

/// The registration mention [`Work::with_registration`] adds when the sample has none.
pub const REGISTRATION: &str = "Certification enregistrée au Répertoire spécifique par décision du directeur général de France Compétences du 27/11/2025";

/// A temporary folder holding one session (`session/`), with room for results beside it.
pub struct Work {
    dir: TempDir,
}

impl Work {
    /// A copy of the sample session, without its results.
    pub fn new() -> Work {
        let w = Work::empty();
        copy_dir(Path::new(SAMPLE), &w.session());
        let _ = fs::remove_dir_all(w.results());
        w
    }

    /// An empty folder: the test writes its own `session/`.
    pub fn empty() -> Work {
        Work {
            dir: TempDir::new().expect("a temporary folder"),
        }
    }

    /// Without `session/<rel>` (a file or a folder).
    pub fn without(self, rel: &str) -> Work {
        let path = self.session().join(rel);
        if path.is_dir() {
            fs::remove_dir_all(&path).expect("folder removed");
        } else {
            fs::remove_file(&path).expect("file removed");
        }
        self
    }

    /// With a registration mention in `session.toml` (certificates print it), if it has none.
    pub fn with_registration(self) -> Work {
        let path = self.session().join("session.toml");
        let text = fs::read_to_string(&path).expect("session.toml");
        if !text
            .lines()
            .any(|l| l.trim_start().starts_with("registration"))
        {
            let text = text.replacen(
                "place = \"Lyon\"\n",
                &format!("place = \"Lyon\"\nregistration = \"{REGISTRATION}\"\n"),
                1,
            );
            fs::write(&path, text).expect("session.toml written");
        }
        self
    }

    /// Decided by `jury run session` (results in `session/resultats`).
    pub fn decided(self) -> Work {
        self.ok(&["run", "session"]);
        self
    }

    /// The temporary folder, where commands run.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path under the temporary folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn session(&self) -> PathBuf {
        self.path("session")
    }

    /// Where `jury run session` writes: `session/resultats`.
    pub fn results(&self) -> PathBuf {
        self.path("session/resultats")
    }

    /// Runs `jury` from the temporary folder; never accepts a panic.
    pub fn jury(&self, args: &[&str]) -> Report {
        self.jury_env(args, &[])
    }

    /// Same, with these environment variables.
    pub fn jury_env(&self, args: &[&str], env: &[(&str, &str)]) -> Report {
        jury_in(self.root(), args, env)
    }

    /// Runs a command that prints JSON: its status and the parsed report (a failed
    /// assertion shows the run when stdout is not JSON).
    pub fn jury_json(&self, args: &[&str]) -> (Option<i32>, Json) {
        let out = self.jury(args);
        (out.status, out.json().clone())
    }

    /// Runs a command that must succeed.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> Report {
        let out = self.jury(args);
        assert_eq!(out.status, Some(0), "{out}");
        out
    }

    /// Rewrites the candidates workbook with `(candidate id, header, value)` changes, every
    /// cell as text; a header that does not exist yet becomes a new column.
    pub fn edit_candidates(&self, edits: &[(&str, &str, &str)]) {
        let path = self.session().join("candidats.xlsx");
        let mut rows = sheet_rows(&path, "Candidats");
        let header = rows
            .iter()
            .position(|r| r.first().is_some_and(|c| c == "N° candidat"))
            .expect("a header row");
        for (id, column, value) in edits {
            let col = match rows[header].iter().position(|h| h == column) {
                Some(c) => c,
                None => {
                    rows[header].push((*column).to_string());
                    rows[header].len() - 1
                }
            };
            let row = rows
                .iter_mut()
                .find(|r| r[0] == *id)
                .unwrap_or_else(|| panic!("no candidate {id}"));
            if row.len() <= col {
                row.resize(col + 1, String::new());
            }
            row[col] = (*value).to_string();
        }
        write_text_rows(&path, "Candidats", &rows);
    }

    /// Rewrites the candidates workbook without the column headed `header`.
    pub fn drop_candidate_column(&self, header: &str) {
        let path = self.session().join("candidats.xlsx");
        let mut rows = sheet_rows(&path, "Candidats");
        let col = rows
            .iter()
            .find_map(|r| r.iter().position(|h| h == header))
            .unwrap_or_else(|| panic!("no column {header}"));
        for row in &mut rows {
            if row.len() > col {
                row.remove(col);
            }
        }
        write_text_rows(&path, "Candidats", &rows);
    }
}

/// Copies a folder and everything in it.
fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("folder");
    for entry in fs::read_dir(from).expect("a folder") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("file copied");
        }
    }
}

/// The `manifest.json` of a results folder.
pub fn manifest(results: &Path) -> Json {
    json_file(&results.join("manifest.json"))
}

/// The entry of candidate `id` in a manifest.
#[track_caller]
pub fn candidate<'a>(manifest: &'a Json, id: &str) -> &'a Json {
    manifest["candidates"]
        .as_array()
        .expect("a candidates array")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no candidate {id} in the manifest"))
}

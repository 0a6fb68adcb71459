//! `jury audit` and `jury verify` on copies of the sample session's results.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/session-demo");

struct Work {
    dir: tempfile::TempDir,
}

impl Work {
    /// A copy of the sample session, decided into `session/resultats`.
    fn decided() -> Work {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(Path::new(SAMPLE), &dir.path().join("session"));
        let _ = fs::remove_dir_all(dir.path().join("session/resultats"));
        let session = dir.path().join("session/session.toml");
        let text = fs::read_to_string(&session).unwrap();
        if !text.contains("registration") {
            let text = text.replacen(
                "place = ",
                "registration = \"Enregistré au Répertoire spécifique par décision du directeur général de France Compétences du 27/11/2025\"\nplace = ",
                1,
            );
            fs::write(&session, text).unwrap();
        }
        let w = Work { dir };
        let out = w.jury(&["run", "session"]);
        assert_eq!(out.status.code(), Some(0), "{}", show(&out));
        w
    }

    fn results(&self) -> PathBuf {
        self.dir.path().join("session/resultats")
    }

    fn jury(&self, args: &[&str]) -> Output {
        let out = Command::cargo_bin("jury")
            .unwrap()
            .current_dir(self.dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("panicked"),
            "{}",
            show(&out)
        );
        out
    }

    fn audit_json(&self) -> (Option<i32>, Value) {
        let out = self.jury(&["audit", "session/resultats", "--format", "json"]);
        let report =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", show(&out)));
        (out.status.code(), report)
    }

    fn manifest(&self) -> Value {
        serde_json::from_slice(&fs::read(self.results().join("manifest.json")).unwrap()).unwrap()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn show(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn audit_is_clean_right_after_run() {
    let w = Work::decided();
    let out = w.jury(&["audit", "session/resultats"]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert!(stdout(&out).contains("tout concorde"), "{}", show(&out));
    let (status, report) = w.audit_json();
    assert_eq!(status, Some(0));
    assert_eq!(report["ok"], true);
    assert_eq!(report["decisions"], serde_json::json!([]));
}

/// Rewrites Paul Durand's grid with one level changed: candidate 2026004, criterion Cr1.2
/// becomes « Acquis » (it was « Non acquis » from both jurors, so C1 was not acquired).
fn change_one_level(session: &Path) {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    for file in [
        "grilles/grille-paul-durand.xlsx",
        "grilles/grille-claire-martin.xlsx",
    ] {
        let path = session.join(file);
        let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
        let range = wb.worksheet_range("Grille").unwrap();
        let (row0, col0) = range.start().unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        let header = rows
            .iter()
            .position(|r| r.iter().any(|c| *c == Data::String("Cr1.2".into())))
            .unwrap();
        let col = rows[header]
            .iter()
            .position(|c| *c == Data::String("Cr1.2".into()))
            .unwrap();
        let mut out = rust_xlsxwriter::Workbook::new();
        let sheet = out.add_worksheet();
        sheet.set_name("Grille").unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (rr, cc) = (row0 + r as u32, (col0 as usize + c) as u16);
                let is_target =
                    c == col && row.first().is_some_and(|id| *id == Data::Float(2026004.0));
                match cell {
                    Data::Empty => {}
                    Data::Float(f) => {
                        sheet.write_number(rr, cc, *f).unwrap();
                    }
                    _ if is_target => {
                        sheet.write_string(rr, cc, "Acquis").unwrap();
                    }
                    other => {
                        sheet.write_string(rr, cc, other.to_string()).unwrap();
                    }
                }
            }
        }
        out.save(&path).unwrap();
    }
}

#[test]
fn a_changed_level_names_the_file_and_the_decision() {
    let w = Work::decided();
    change_one_level(&w.dir.path().join("session"));
    let (status, report) = w.audit_json();
    assert_eq!(status, Some(1), "{report}");
    let inputs: Vec<(&str, &str)> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["change"].as_str().unwrap()))
        .collect();
    assert!(
        inputs.contains(&("grilles/grille-paul-durand.xlsx", "changed")),
        "{inputs:?}"
    );
    let decisions = report["decisions"].as_array().unwrap();
    assert!(
        decisions.iter().any(|d| d["candidate"] == "2026004"
            && d["what"] == "décision"
            && d["recorded"] == "not-certified"
            && d["recomputed"] == "certified"),
        "{decisions:?}"
    );
    let text = stdout(&w.jury(&["audit", "session/resultats"]));
    assert!(
        text.contains("modifié : grilles/grille-paul-durand.xlsx"),
        "{text}"
    );
    assert!(text.contains("candidat 2026004 — décision"), "{text}");
}

#[test]
fn changed_vanished_and_appeared_outputs_are_reported() {
    let w = Work::decided();
    let outputs: Vec<String> = w.manifest()["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["path"].as_str().unwrap().to_string())
        .collect();
    let changed = outputs
        .iter()
        .find(|p| p.starts_with("certificats/"))
        .unwrap_or(&outputs[0])
        .clone();
    let mut bytes = fs::read(w.results().join(&changed)).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    fs::write(w.results().join(&changed), bytes).unwrap();
    // A vanished output: one the run wrote, or the summary if it wrote nothing else.
    let vanished = outputs.iter().find(|p| **p != changed).cloned();
    if let Some(vanished) = &vanished {
        fs::remove_file(w.results().join(vanished)).unwrap();
    }
    fs::write(w.results().join("ajout.txt"), "ajouté à la main").unwrap();
    let (status, report) = w.audit_json();
    assert_eq!(status, Some(1));
    let got: Vec<(String, String)> = report["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["change"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        got.contains(&(changed.clone(), "changed".into())),
        "{got:?}"
    );
    if let Some(vanished) = vanished {
        assert!(got.contains(&(vanished, "missing".into())), "{got:?}");
    }
    assert!(
        got.contains(&("ajout.txt".into(), "added".into())),
        "{got:?}"
    );
    assert_eq!(
        report["decisions"],
        serde_json::json!([]),
        "decisions still match"
    );
}

#[test]
fn audit_without_a_manifest_or_session_is_unreadable_input() {
    let w = Work::decided();
    let out = w.jury(&["audit", "session"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let out = w.jury(&["audit", "session/resultats", "--session", "nulle-part"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--session"));
}

#[test]
fn verify_accepts_the_right_code_and_refuses_a_wrong_one() {
    let w = Work::decided();
    let m = w.manifest();
    let holder = m["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "2026001")
        .unwrap();
    let number = holder["certificate"].as_str().unwrap();
    let code = holder["verification_code"].as_str().unwrap();
    let out = w.jury(&[
        "verify",
        "session/resultats",
        number,
        &code.to_lowercase().replace('-', " "),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert!(stdout(&out).contains("AUTHENTIQUE"));
    assert!(
        stdout(&out).contains("Zoé Lefèvre-N'Diaye"),
        "{}",
        stdout(&out)
    );
    let out = w.jury(&["verify", "session/resultats", number, "AAAAA-BBBBB"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("NON VÉRIFIÉ"));
    let out = w.jury(&["verify", "session/resultats", "CM-2026-11-9999999", code]);
    assert_eq!(out.status.code(), Some(1));
    // A manifest edited to vouch for someone else no longer verifies.
    let text = fs::read_to_string(w.results().join("manifest.json")).unwrap();
    fs::write(
        w.results().join("manifest.json"),
        text.replace("\"first_name\":\"Zoé\"", "\"first_name\":\"Zoë\""),
    )
    .unwrap();
    let out = w.jury(&["verify", "session/resultats", number, code]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
}

//! `jury run` end to end: the real binary on copies of the sample session.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::Value;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/session-demo");

/// A copy of the sample session in a temporary folder, with room for results beside it.
struct Work {
    dir: tempfile::TempDir,
}

impl Work {
    fn new() -> Work {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(Path::new(SAMPLE), &dir.path().join("session"));
        let _ = fs::remove_dir_all(dir.path().join("session/resultats"));
        Work { dir }
    }

    fn session(&self) -> PathBuf {
        self.dir.path().join("session")
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn jury(&self, args: &[&str]) -> Output {
        self.jury_env(args, &[])
    }

    fn jury_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::cargo_bin("jury").unwrap();
        cmd.current_dir(self.dir.path()).args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "jury panicked: {stderr}");
        out
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

fn manifest(dir: &Path) -> Value {
    serde_json::from_slice(&fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

fn candidate<'a>(manifest: &'a Value, id: &str) -> &'a Value {
    manifest["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
}

/// The sheet's cells as text, row by row.
fn sheet_rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::DateTime(d) => {
                        let (y, m, day, ..) = d.to_ymd_hms_milli();
                        format!("{day:02}/{m:02}/{y}")
                    }
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_sample_session_is_decided_with_its_trace() {
    let w = Work::new();
    let out = w.jury(&["run", "session"]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let results = w.session().join("resultats");
    let m = manifest(&results);
    assert_eq!(m["tool"]["name"], "jury");
    assert_eq!(m["provisional"], false);
    assert_eq!(m["counts"]["certified"], 18);
    assert_eq!(m["counts"]["not_certified"], 5);
    assert_eq!(m["candidates"].as_array().unwrap().len(), 25);

    let settled = candidate(&m, "2026011");
    assert_eq!(settled["decision"], "certified");
    assert_eq!(settled["competencies"]["C3"], "acquired");
    assert_eq!(settled["certificate"], "CM-2026-11-2026011");
    let c3 = &settled["trace"]["competencies"][2];
    assert_eq!(c3["computed"], "pending", "C3 waited for the jury: {c3}");
    assert_eq!(c3["deliberation"]["file"], "deliberation.xlsx");
    assert!(c3["deliberation"]["motive"]
        .as_str()
        .unwrap()
        .contains("bonnes pratiques"));
    let cr32 = &c3["criteria"][1];
    assert_eq!(cr32["code"], "Cr3.2");
    assert_eq!(cr32["given"].as_array().unwrap().len(), 2);
    assert_eq!(cr32["given"][0]["juror"], "Claire Martin");
    assert_eq!(
        cr32["given"][0]["file"],
        "grilles/grille-claire-martin.xlsx"
    );

    let partial = candidate(&m, "2026004");
    assert_eq!(partial["decision"], "not-certified");
    assert_eq!(partial["competencies"]["C1"], "not-acquired");
    assert_eq!(partial["competencies"]["C2"], "acquired");
    assert_eq!(partial["certificate"], Value::Null);

    let absent = candidate(&m, "2026007");
    assert_eq!(absent["decision"], "absent");
    assert_eq!(absent["competencies"], serde_json::json!({}));
    assert_eq!(candidate(&m, "2026024")["decision"], "non-recevable");

    let inputs: Vec<&str> = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert!(
        inputs.contains(&"grilles/grille-sophie-bernard.ods"),
        "{inputs:?}"
    );
    assert!(inputs.contains(&"session.toml"));
    let outputs = m["outputs"].as_array().unwrap();
    assert_eq!(outputs[0]["path"], "synthese.xlsx");
    let bytes = fs::read(results.join("synthese.xlsx")).unwrap();
    use sha2::Digest;
    let hex: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(outputs[0]["sha256"], hex.as_str());
}

#[test]
fn the_summary_workbook_reads_back_with_every_sheet_and_decision() {
    let w = Work::new();
    let out = w.jury(&["run", "session", "--out", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let path = w.path("out/synthese.xlsx");
    let wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "Synthèse",
            "Détail",
            "Statistiques",
            "Anomalies",
            "Traçabilité"
        ]
    );
    let rows = sheet_rows(&path, "Synthèse");
    assert!(rows[0][0].starts_with("Développer son activité avec le community management"));
    let header = &rows[4];
    assert_eq!(&header[..4], ["N° candidat", "Nom", "Prénom", "C1"]);
    let decision_col = header.iter().position(|h| h == "Décision").unwrap();
    let row = rows.iter().find(|r| r[0] == "2026004").unwrap();
    assert_eq!(row[decision_col], "Non certifié");
    assert_eq!(row[3], "Non acquis");
    let row = rows.iter().find(|r| r[0] == "2026011").unwrap();
    assert_eq!(row[decision_col], "Certifié");
    assert!(row[decision_col + 1].contains("Jury (C3)"), "{row:?}");
    let detail = sheet_rows(&path, "Détail");
    let levels = detail
        .iter()
        .filter(|r| r.first().is_some_and(|id| id == "2026011"))
        .count();
    assert_eq!(levels, 24, "12 criteria × 2 jurors");
    let anomalies = sheet_rows(&path, "Anomalies");
    assert!(anomalies
        .iter()
        .any(|r| r.get(1).is_some_and(|c| c == "disputed")));
    let trace = sheet_rows(&path, "Traçabilité");
    assert!(trace
        .iter()
        .any(|r| r[0] == "candidats.xlsx" && r[1].len() == 64));
}

#[test]
fn reruns_give_identical_bytes_whatever_the_thread_count() {
    let w = Work::new();
    let a = w.jury_env(
        &["run", "session", "--out", "a"],
        &[("RAYON_NUM_THREADS", "1")],
    );
    let b = w.jury_env(
        &["run", "session", "--out", "b"],
        &[("RAYON_NUM_THREADS", "4")],
    );
    assert_eq!(a.status.code(), Some(0), "{}", show(&a));
    assert_eq!(b.status.code(), Some(0), "{}", show(&b));
    for file in ["synthese.xlsx", "manifest.json"] {
        assert!(
            fs::read(w.path("a").join(file)).unwrap() == fs::read(w.path("b").join(file)).unwrap(),
            "{file} differs"
        );
    }
}

#[test]
fn an_invalid_session_writes_nothing() {
    let w = Work::new();
    fs::write(
        w.session().join("grilles/grille-paul-durand.xlsx"),
        b"not a workbook",
    )
    .unwrap();
    let out = w.jury(&["run", "session"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("grilles/grille-paul-durand.xlsx"));
    assert!(!w.session().join("resultats").exists());

    let w = Work::new();
    fs::remove_file(w.session().join("grilles/grille-paul-durand.xlsx")).unwrap();
    let out = w.jury(&["run", "session", "--provisional"]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("insufficient-grids"),
        "{}",
        show(&out)
    );
    assert!(!w.session().join("resultats").exists());
}

#[test]
fn pending_decisions_block_the_run_unless_provisional() {
    let w = Work::new();
    fs::remove_file(w.session().join("deliberation.xlsx")).unwrap();
    let out = w.jury(&["run", "session"]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("2026011"),
        "{}",
        show(&out)
    );
    assert!(!w.session().join("resultats").exists());

    let out = w.jury(&["run", "session", "--provisional"]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let results = w.session().join("resultats");
    let m = manifest(&results);
    assert_eq!(m["provisional"], true);
    assert_eq!(candidate(&m, "2026011")["decision"], "pending");
    assert_eq!(candidate(&m, "2026011")["competencies"]["C3"], "pending");
    assert!(m["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["certificate"].is_null()));
    let rows = sheet_rows(&results.join("synthese.xlsx"), "Synthèse");
    assert!(rows[2][0].starts_with("PROVISOIRE"), "{:?}", rows[2]);
}

#[test]
fn existing_results_are_kept_without_force_and_foreign_folders_always() {
    let w = Work::new();
    fs::create_dir_all(w.path("mine")).unwrap();
    fs::write(w.path("mine/notes.txt"), "à garder").unwrap();
    for args in [
        &["run", "session", "--out", "mine"][..],
        &["run", "session", "--out", "mine", "--force"],
    ] {
        let out = w.jury(args);
        assert_eq!(out.status.code(), Some(2), "{}", show(&out));
        assert_eq!(
            fs::read_to_string(w.path("mine/notes.txt")).unwrap(),
            "à garder"
        );
        assert!(!w.path("mine/manifest.json").exists());
    }
    // An empty folder is used as it is.
    fs::create_dir_all(w.path("empty")).unwrap();
    assert_eq!(
        w.jury(&["run", "session", "--out", "empty"]).status.code(),
        Some(0)
    );
    // Results jury wrote are replaced only with --force.
    let again = w.jury(&["run", "session", "--out", "empty"]);
    assert_eq!(again.status.code(), Some(2), "{}", show(&again));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert_eq!(
        w.jury(&["run", "session", "--out", "empty", "--force"])
            .status
            .code(),
        Some(0)
    );
    let leftovers: Vec<String> = fs::read_dir(w.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".jury"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
    // Never into the session folder itself or its grids.
    for target in ["session", "session/grilles"] {
        let out = w.jury(&["run", "session", "--out", target, "--force"]);
        assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    }
    assert!(w.session().join("session.toml").exists());
}

/// Rewrites the sample's candidates workbook with one last name changed.
fn rename_candidate(session: &Path, id: &str, last_name: &str) {
    let path = session.join("candidats.xlsx");
    let rows = sheet_rows(&path, "Candidats");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("Candidats").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            let value = if c == 1 && row[0] == id {
                last_name
            } else {
                text
            };
            sheet.write_string(r as u32, c as u16, value).unwrap();
        }
    }
    wb.save(&path).unwrap();
}

#[test]
fn candidate_text_never_becomes_a_formula() {
    let w = Work::new();
    let evil = "=HYPERLINK(\"http://example.org\",\"x\")";
    rename_candidate(&w.session(), "2026001", evil);
    let out = w.jury(&["run", "session", "--out", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let path = w.path("out/synthese.xlsx");
    let rows = sheet_rows(&path, "Synthèse");
    assert!(
        rows.iter().any(|r| r[0] == "2026001" && r[1] == evil),
        "the name stays text"
    );
    let mut archive = zip::ZipArchive::new(fs::File::open(&path).unwrap()).unwrap();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        if name.starts_with("xl/worksheets/") {
            let mut xml = String::new();
            entry.read_to_string(&mut xml).unwrap();
            assert!(!xml.contains("<f>"), "{name} holds a formula");
        }
    }
}

//! `jury run` end to end: the real binary on copies of the sample session.

use std::fs;

use calamine::{Reader, Xlsx};

use serde_json::Value;

use crate::common::{sheet_rows, zip_parts};
use crate::sample::{candidate, manifest, Work};

#[test]
fn the_sample_session_is_decided_with_its_trace() {
    let w = Work::new();
    let out = w.jury(&["run", "session"]);
    assert_eq!(out.status, Some(0), "{out}");
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
    let paths: Vec<&str> = outputs
        .iter()
        .map(|o| o["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "outputs are listed by path");
    let summary = &outputs[paths.iter().position(|p| *p == "synthese.xlsx").unwrap()];
    let bytes = fs::read(results.join("synthese.xlsx")).unwrap();
    use sha2::Digest;
    let hex: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(summary["sha256"], hex.as_str());
}

#[test]
fn the_summary_workbook_reads_back_with_every_sheet_and_decision() {
    let w = Work::new();
    let out = w.jury(&["run", "session", "--out", "out"]);
    assert_eq!(out.status, Some(0), "{out}");
    let path = w.path("out/synthese.xlsx");
    let wb: Xlsx<_> = calamine::open_workbook(&path).unwrap();
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
    assert_eq!(row[decision_col], "Certification non délivrée");
    assert_eq!(row[3], "Non acquise", "a competency is feminine");
    let row = rows.iter().find(|r| r[0] == "2026011").unwrap();
    assert_eq!(row[decision_col], "Certification délivrée");
    assert!(
        row[decision_col + 1].contains("Délibération (C3)"),
        "{row:?}"
    );
    let detail = sheet_rows(&path, "Détail");
    let levels = detail
        .iter()
        .filter(|r| r.first().is_some_and(|id| id == "2026011"))
        .count();
    assert_eq!(levels, 24, "12 criteria × 2 jurors");
    let anomalies = sheet_rows(&path, "Anomalies");
    assert!(
        anomalies
            .iter()
            .any(|r| r.len() > 2 && r[1] == "Désaccord entre évaluateurs" && r[2] == "disputed"),
        "a French label beside the code: {anomalies:?}"
    );
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
    assert_eq!(a.status, Some(0), "{a}");
    assert_eq!(b.status, Some(0), "{b}");
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
    assert_eq!(out.status, Some(2), "{out}");
    assert!(out.stderr.contains("grilles/grille-paul-durand.xlsx"));
    assert!(!w.session().join("resultats").exists());

    let w = Work::new();
    fs::remove_file(w.session().join("grilles/grille-paul-durand.xlsx")).unwrap();
    let out = w.jury(&["run", "session", "--provisional"]);
    assert_eq!(out.status, Some(1), "{out}");
    assert!(out.stderr.contains("insufficient-grids"), "{out}");
    assert!(!w.session().join("resultats").exists());
}

#[test]
fn pending_decisions_block_the_run_unless_provisional() {
    let w = Work::new();
    fs::remove_file(w.session().join("deliberation.xlsx")).unwrap();
    let out = w.jury(&["run", "session"]);
    assert_eq!(out.status, Some(1), "{out}");
    assert!(out.stderr.contains("2026011"), "{out}");
    assert!(!w.session().join("resultats").exists());

    let out = w.jury(&["run", "session", "--provisional"]);
    assert_eq!(out.status, Some(0), "{out}");
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
        assert_eq!(out.status, Some(2), "{out}");
        assert_eq!(
            fs::read_to_string(w.path("mine/notes.txt")).unwrap(),
            "à garder"
        );
        assert!(!w.path("mine/manifest.json").exists());
    }
    // An empty folder is used as it is.
    fs::create_dir_all(w.path("empty")).unwrap();
    assert_eq!(
        w.jury(&["run", "session", "--out", "empty"]).status,
        Some(0)
    );
    // Results jury wrote are replaced only with --force.
    let again = w.jury(&["run", "session", "--out", "empty"]);
    assert_eq!(again.status, Some(2), "{again}");
    assert!(again.stderr.contains("--force"));
    assert_eq!(
        w.jury(&["run", "session", "--out", "empty", "--force"])
            .status,
        Some(0)
    );
    let leftovers: Vec<String> = fs::read_dir(w.root())
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
        assert_eq!(out.status, Some(2), "{out}");
    }
    assert!(w.session().join("session.toml").exists());
}

#[test]
fn candidate_text_never_becomes_a_formula() {
    let w = Work::new();
    let evil = "=HYPERLINK(\"http://example.org\",\"x\")";
    w.edit_candidates(&[("2026001", "Nom", evil)]);
    let out = w.jury(&["run", "session", "--out", "out"]);
    assert_eq!(out.status, Some(0), "{out}");
    let path = w.path("out/synthese.xlsx");
    let rows = sheet_rows(&path, "Synthèse");
    assert!(
        rows.iter().any(|r| r[0] == "2026001" && r[1] == evil),
        "the name stays text"
    );
    for (name, xml) in zip_parts(fs::read(&path).unwrap(), "xl/worksheets/") {
        assert!(!xml.contains("<f>"), "{name} holds a formula");
    }
}

#[test]
fn a_results_folder_that_cannot_be_made_is_told_in_french() {
    let w = Work::new();
    fs::write(w.path("notes.txt"), "à garder").unwrap();
    let out = w.jury(&["run", "session", "--out", "notes.txt/resultats"]);
    assert_eq!(out.status, Some(2), "{out}");
    assert!(
        out.stderr
            .contains("notes.txt » : un fichier ou un dossier de ce nom existe déjà"),
        "{out}"
    );
    assert!(!out.stderr.contains("os error"), "{out}");
    assert!(!out.stderr.contains("exists"), "{out}");
    let out = w.jury(&["run", "session", "--out", "notes.txt"]);
    assert_eq!(out.status, Some(2), "{out}");
    assert!(
        out.stderr.contains(
            "existe et n'est pas un dossier ; choisissez un autre dossier de résultats avec --out"
        ),
        "{out}"
    );
    assert_eq!(fs::read_to_string(w.path("notes.txt")).unwrap(), "à garder");
}

//! `jury audit` and `jury verify` on copies of the sample session's results.

use std::fs;
use std::path::Path;

use crate::sample::{candidate, manifest, Work};

/// A copy of the sample session with a registration mention, decided into
/// `session/resultats`.
fn decided() -> Work {
    Work::new().with_registration().decided()
}

const AUDIT_JSON: [&str; 4] = ["audit", "session/resultats", "--format", "json"];

#[test]
fn audit_is_clean_right_after_run() {
    let w = decided();
    let out = w.jury(&["audit", "session/resultats"]);
    assert_eq!(out.status, Some(0), "{out}");
    assert!(out.stdout.contains("tout concorde"), "{out}");
    let (status, report) = w.jury_json(&AUDIT_JSON);
    assert_eq!(status, Some(0));
    assert_eq!(report["ok"], true);
    assert_eq!(report["decisions"], serde_json::json!([]));
}

/// Rewrites Paul Durand's grid with one level changed: candidate 2026004, criterion Cr1.2
/// becomes « Acquis » (it was « Non acquis » from both jurors, so C1 was not acquired).
pub fn change_one_level(session: &Path) {
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
    let w = decided();
    change_one_level(&w.session());
    let (status, report) = w.jury_json(&AUDIT_JSON);
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
    let text = w.jury(&["audit", "session/resultats"]).stdout;
    assert!(
        text.contains("modifié : grilles/grille-paul-durand.xlsx"),
        "{text}"
    );
    assert!(
        text.contains("candidat 2026004, décision : « certification non délivrée » dans le manifeste, « certification délivrée » au nouveau calcul"),
        "{text}"
    );
}

#[test]
fn changed_vanished_and_appeared_outputs_are_reported() {
    let w = decided();
    let outputs: Vec<String> = manifest(&w.results())["outputs"]
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
    let (status, report) = w.jury_json(&AUDIT_JSON);
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
    let w = decided();
    let out = w.jury(&["audit", "session"]);
    assert_eq!(out.status, Some(2), "{out}");
    let out = w.jury(&["audit", "session/resultats", "--session", "nulle-part"]);
    assert_eq!(out.status, Some(2), "{out}");
    assert!(out.stderr.contains("--session"));
}

#[test]
fn verify_accepts_the_right_code_and_refuses_a_wrong_one() {
    let w = decided();
    let m = manifest(&w.results());
    let holder = candidate(&m, "2026001");
    let number = holder["certificate"].as_str().unwrap();
    let code = holder["verification_code"].as_str().unwrap();
    let out = w.jury(&[
        "verify",
        "session/resultats",
        number,
        &code.to_lowercase().replace('-', " "),
    ]);
    assert_eq!(out.status, Some(0), "{out}");
    assert!(out.stdout.contains("AUTHENTIQUE"));
    assert!(out.stdout.contains("Zoé Lefèvre-N'Diaye"), "{out}");
    let out = w.jury(&["verify", "session/resultats", number, "AAAAA-BBBBB"]);
    assert_eq!(out.status, Some(1));
    assert!(out.stdout.contains("NON VÉRIFIÉ"));
    let out = w.jury(&["verify", "session/resultats", "CM-2026-11-9999999", code]);
    assert_eq!(out.status, Some(1));
    // A manifest edited to vouch for someone else no longer verifies.
    let text = fs::read_to_string(w.results().join("manifest.json")).unwrap();
    fs::write(
        w.results().join("manifest.json"),
        text.replace("\"first_name\":\"Zoé\"", "\"first_name\":\"Zoë\""),
    )
    .unwrap();
    let out = w.jury(&["verify", "session/resultats", number, code]);
    assert_eq!(out.status, Some(1), "{out}");
}

//! Guarantee 3: untrusted text. Formula-like values stay text in `synthese.xlsx`; control
//! and bidirectional characters in identity fields are findings; hostile ids never leave
//! the results folder, and two ids one file system would confuse are a finding, never an
//! overwrite.

use std::io::Read;
use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};

use crate::support::*;

/// Every text cell of a sheet of `synthese.xlsx`.
fn texts(path: &Path, sheet: &str) -> Vec<String> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    range
        .cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn formula_like_values_stay_text_in_the_summary() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let evil = [
        (
            "2026001",
            "=HYPERLINK(\"http://example.org\",\"x\")",
            "Alice",
        ),
        ("2026002", "+33 6 12 34 56 78", "=1+1"),
        ("2026003", "-2+3", "@SUM(A1:A9)"),
        ("2026004", "=cmd|' /C calc'!A0", "Dé\u{301}bora"),
    ];
    Small::new(&evil).write(&tmp.path().join("session"), false);
    let run = jury(&["run", "session", "--out", "out"], tmp.path(), &[]);
    assert_no_crash(&run);
    assert_eq!(run.status, Some(0), "{run}");
    let summary = tmp.path().join("out/synthese.xlsx");
    let cells = texts(&summary, "Synthèse");
    for (_, last, first) in evil {
        assert!(cells.iter().any(|c| c == last), "{last:?} is a text cell");
        assert!(cells.iter().any(|c| c == first), "{first:?} is a text cell");
    }
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&summary).unwrap()).unwrap();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        if name.starts_with("xl/worksheets/") {
            let mut xml = String::new();
            part.read_to_string(&mut xml).unwrap();
            assert!(
                !xml.contains("<f>") && !xml.contains("<f "),
                "{name} holds a formula"
            );
        }
    }
}

#[test]
fn control_and_bidirectional_characters_block_the_run() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    Small::new(&[
        ("2026001", "Durand\u{202E}fdp.exe", "Alice"),
        ("2026002", "Petit", "Bru\u{0007}no"),
    ])
    .write(&tmp.path().join("session"), false);
    let check = jury(&["check", "session", "--format", "json"], tmp.path(), &[]);
    assert_eq!(check.status, Some(1), "{check}");
    let json: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let found: Vec<(String, String)> = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["cell"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("unsafe-character".to_string(), "B2".to_string()),
            ("unsafe-character".to_string(), "C3".to_string())
        ],
        "{check}"
    );
    assert!(check.stdout.contains("U+202E") && check.stdout.contains("U+0007"));
    let run = jury(&["run", "session"], tmp.path(), &[]);
    assert_eq!(run.status, Some(1), "{run}");
    assert!(!tmp.path().join("session/resultats").exists());
}

#[test]
fn hostile_ids_never_leave_the_results_folder() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let ids = [
        "../../x", "CON", "a/b", "..", ".cache", "nul.txt", "C:\\x", "é",
    ];
    let people: Vec<(&str, &str, &str)> = ids.iter().map(|id| (*id, "Martin", "Zoé")).collect();
    Small::new(&people).write(&tmp.path().join("session"), false);
    let before: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let run = jury(&["run", "session", "--out", "out"], tmp.path(), &[]);
    assert_no_crash(&run);
    assert_eq!(run.status, Some(0), "{run}");
    let mut after: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    after.retain(|n| n != "out");
    assert_eq!(before, after, "nothing written beside the results");
    let files = tree(&tmp.path().join("out"));
    let statements: Vec<&String> = files.keys().filter(|f| f.starts_with("releves/")).collect();
    assert_eq!(statements.len(), ids.len(), "{files:?}");
    for name in [
        "releves/___.._x.pdf",
        "releves/CON_.pdf",
        "releves/a_b.pdf",
        "releves/__.pdf",
        "releves/_cache.pdf",
        "releves/nul.txt_.pdf",
        "releves/C__x.pdf",
    ] {
        assert!(files.contains_key(name), "{name} in {files:?}");
    }
    assert!(complete_results(&tmp.path().join("out")).is_ok());
}

#[test]
fn ids_a_file_system_would_confuse_are_a_finding_not_an_overwrite() {
    let _serial = serial();
    for pair in [
        ["abc", "ABC"],
        ["a/b", "a_b"],
        ["A:b", "a_B"],
        ["e\u{301}", "é"],
    ] {
        let tmp = tempfile::tempdir().unwrap();
        Small::new(&[(pair[0], "Martin", "Zoé"), (pair[1], "Petit", "Léa")])
            .write(&tmp.path().join("session"), false);
        let run = jury(&["run", "session", "--out", "out"], tmp.path(), &[]);
        assert_eq!(run.status, Some(1), "{pair:?}\n{run}");
        assert!(run.stderr.contains("ambiguous-id"), "{pair:?}\n{run}");
        assert!(!tmp.path().join("out").exists());
    }
}

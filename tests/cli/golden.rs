//! Golden files: the exact French text users read, compared with `tests/golden/<name>.txt`.
//!
//! [`assert_golden`] is generic: give it a name and any text (a `jury check` report, a TOML
//! error, a message) and it fails with the lines that differ. `JURY_BLESS=1 cargo test`
//! rewrites the files instead of comparing (see `tests/golden/README.md`); review the diff
//! of `tests/golden/` before committing it. Keep machine-dependent text (temporary paths,
//! versions) out of what you compare, or replace it first.

use std::path::PathBuf;

use crate::common::*;

/// Where golden files live.
fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Compares `actual` with `tests/golden/<name>.txt` (line endings ignored), or rewrites
/// that file when `JURY_BLESS=1`. `name` is a plain file name: letters, digits, `-`, `_`.
#[track_caller]
pub fn assert_golden(name: &str, actual: &str) {
    assert!(
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "golden name {name:?}: use letters, digits, - and _"
    );
    let path = golden_dir().join(format!("{name}.txt"));
    let actual = actual.replace("\r\n", "\n");
    if std::env::var("JURY_BLESS").as_deref() == Ok("1") {
        std::fs::create_dir_all(golden_dir()).expect("tests/golden");
        std::fs::write(&path, &actual).expect("golden file written");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "no golden file {} ({e}); run `JURY_BLESS=1 cargo test --test cli golden` and review it",
            path.display()
        )
    });
    let expected = expected.replace("\r\n", "\n");
    if expected == actual {
        return;
    }
    let (want, got): (Vec<&str>, Vec<&str>) =
        (expected.lines().collect(), actual.lines().collect());
    let mut diff = String::new();
    for i in 0..want.len().max(got.len()) {
        let (w, g) = (want.get(i), got.get(i));
        if w != g {
            diff.push_str(&format!(
                "line {}:\n  - {}\n  + {}\n",
                i + 1,
                w.unwrap_or(&"(none)"),
                g.unwrap_or(&"(none)")
            ));
        }
    }
    panic!(
        "{} differs (JURY_BLESS=1 rewrites it, then review the diff):\n{diff}\n--- actual ---\n{actual}",
        path.display()
    );
}

/// The text report of a session holding the most common findings of grids and candidates.
#[test]
fn check_text_of_the_common_findings() {
    let mut candidates = candidate_rows();
    candidates[0].push(Cell::from("Financeur"));
    candidates[2][3] = Cell::from("31/02/1988");
    candidates.push(row!["2026003", "Roux", "Chloé", "01/02/1991", "Oui"]);
    candidates.push(row!["2026004", "Moreau", "", "14/09/1985", "peut-être"]);
    candidates.push(row!["2026001", "Durand", "Alice", "12/05/1990", "Oui"]);
    let four = [PEOPLE[0], PEOPLE[1], ("2026004", "Moreau", "")];
    let mut claire = wide_grid("Claire Martin", &four, "Acquis");
    claire.push(row!["2026003", "Roux", "Chloé"]);
    let claire_3 = claire.len() - 1;
    claire[claire_3].extend(CRITERIA.map(|_| Cell::from("Acquis")));
    let mut paul = wide_grid("Paul Durand", &four, "Acquis");
    paul.push(row!["2026099", "Inconnu", "Jean"]);
    let last = paul.len() - 1;
    paul[last].extend(CRITERIA.map(|_| Cell::from("Acquis")));
    let report = Session::new()
        .book(CANDIDATES, "Candidats", candidates)
        .book(CLAIRE, GRID, claire)
        .book(PAUL, GRID, paul)
        .set(CLAIRE, GRID, "D4", "")
        .set(CLAIRE, GRID, "E4", "Aquis")
        .set(PAUL, GRID, "B5", "Petitt")
        .set(PAUL, GRID, "I4", "Non acquis")
        .check_text();
    assert_eq!(report.status, Some(1), "{report}");
    assert_golden("check-common-findings", &report.stdout);
}

/// The text report of headers that are not read: in the candidates file (one that looks
/// like the prerequisites, ordinary extras, a near miss), a grid and the deliberation.
#[test]
fn check_text_of_the_header_findings() {
    let mut candidates = candidate_rows();
    candidates[0][2] = Cell::from("Prénom usuel");
    candidates[0][4] = Cell::from("Prérequis (oui/non) à vérifier");
    candidates[0].extend(["Lieu de naisance", "Code postal", "Jury"].map(Cell::from));
    let mut claire = wide_grid("Claire Martin", &PEOPLE, "Acquis");
    claire[2].extend(["Total", "Observatons"].map(Cell::from));
    let deliberation = vec![
        row!["N° candidat", "Compétence", "Décision", "Motif", "Date"],
        row!["2026001", "C1", "Validé", "Oral convaincant", "27/11/2026"],
    ];
    let report = Session::new()
        .book(CANDIDATES, "Candidats", candidates)
        .book(CLAIRE, GRID, claire)
        .book(DELIBERATION, "Délibération", deliberation)
        .check_text();
    assert_eq!(report.status, Some(1), "{report}");
    assert_golden("check-header-findings", &report.stdout);
}

#[test]
fn a_missing_golden_file_says_how_to_bless() {
    if std::env::var("JURY_BLESS").as_deref() == Ok("1") {
        return;
    }
    let outcome = std::panic::catch_unwind(|| assert_golden("no-such-golden-file", "x"));
    let message = outcome
        .err()
        .and_then(|e| e.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    assert!(message.contains("JURY_BLESS=1"), "{message}");
}

//! The same small session in every workbook format `jury` reads: `.xlsx` written at test
//! time, `.xls` and `.ods` converted by LibreOffice and committed under
//! `tests/fixtures/formats/` (regenerate them with `tests/fixtures/make-fixtures.sh`, which
//! runs the ignored test below to write the `.xlsx` originals). Each must give the same
//! findings at the same cells and the same outcomes.
//!
//! `.xlsb` is not covered: LibreOffice cannot write it, and no tool on this machine can.

use std::path::{Path, PathBuf};

use crate::common::*;

/// The format session: title rows, numeric ids, a date cell and a text date, a formula
/// level, an instructions sheet, a dispute settled in deliberation, a name that differs,
/// an absent candidate, a non-recevable one and a not-certified one.
pub fn format_session() -> Session {
    let candidates = vec![
        row!["Session CM-2026-11"],
        row![],
        row![
            "N° candidat",
            "Nom",
            "Prénom",
            "Date de naissance",
            "Prérequis validés"
        ],
        row![2026001, "Durand", "Alice", date(1990, 5, 12), "Oui"],
        row![2026002, "Petit", "Bruno", "03/07/1988", "Oui"],
        row![2026003, "Roux", "Chloé", date(1991, 1, 8), "Oui"],
        row![2026004, "Blanc", "Denis", date(1985, 6, 21), "Non"],
    ];
    let people = [
        ("2026001", "Durand", "Alice"),
        ("2026002", "Petit", "Bruno"),
        ("2026003", "Roux", "Chloé"),
    ];
    Session::new()
        .book(CANDIDATES, "Candidats", candidates)
        .book(CLAIRE, GRID, wide_grid("Claire Martin", &people, "Acquis"))
        .book(PAUL, GRID, wide_grid("Paul Durand", &people, "Acquis"))
        .sheet(
            CLAIRE,
            "Instructions",
            rows(&[&["Saisissez Acquis, Non acquis ou ABS."]]),
        )
        .set(
            CLAIRE,
            GRID,
            "D4",
            formula("IF(1=1,\"Acquis\",\"Non acquis\")", "Acquis"),
        )
        .set(CLAIRE, GRID, "E5", "Non acquis")
        .set(PAUL, GRID, "E5", "Non acquis")
        .levels(CLAIRE, 6, "ABS")
        .levels(PAUL, 6, "ABS")
        .set(PAUL, GRID, "K4", "Non acquis")
        .set(PAUL, GRID, "C5", "Brunot")
        .book(
            DELIBERATION,
            "Délibération",
            deliberation_rows(&[["2026001", "C3", "Validé", "Soutenance convaincante"]]),
        )
}

/// Writes the `.xlsx` originals of the format fixtures into `$JURY_FIXTURE_DIR`.
#[test]
#[ignore = "writes fixtures; run by tests/fixtures/make-fixtures.sh"]
fn write_the_format_session() {
    let dir = std::env::var_os("JURY_FIXTURE_DIR").expect("JURY_FIXTURE_DIR is set");
    format_session().write_to(Path::new(&dir));
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name)
}

fn assert_format_session(r: &Report, extension: &str) {
    let paul = format!("grilles/grille-paul-durand.{extension}");
    r.assert(
        0,
        &[
            (
                "disputed",
                &format!("candidats.{extension}"),
                "Candidats",
                "A4",
            ),
            ("name-mismatch", &paul, GRID, "C5"),
            (
                "formula-level",
                &format!("grilles/grille-claire-martin.{extension}"),
                GRID,
                "D4",
            ),
        ],
    );
    assert!(
        r.one("disputed").message.contains(&format!(
            "Tranché par la délibération (deliberation.{extension}, A2)"
        )),
        "{r}"
    );
    r.assert_outcomes([1, 1, 1, 1, 0]);
    assert_eq!(r.summary("candidates"), 4, "{r}");
    assert_eq!(r.summary("grids"), 2, "{r}");
}

#[test]
fn xlsx_session() {
    assert_format_session(&format_session().check(), "xlsx");
}

#[test]
fn xls_session_made_with_libreoffice() {
    let dir = fixture("xls-session");
    assert!(dir.join("grilles/grille-claire-martin.xls").is_file());
    assert_format_session(&check_json(&dir), "xls");
}

#[test]
fn ods_session_made_with_libreoffice() {
    let dir = fixture("ods-session");
    assert!(dir.join("grilles/grille-claire-martin.ods").is_file());
    assert_format_session(&check_json(&dir), "ods");
}

#[test]
fn formats_can_be_mixed_in_one_session() {
    // xlsx candidates, an .ods grid, an .xls grid and an .ods deliberation.
    let ods = fixture("ods-session");
    let xls = fixture("xls-session");
    let s = format_session()
        .remove(PAUL)
        .remove(CLAIRE)
        .remove(DELIBERATION)
        .file(
            "grilles/grille-paul-durand.ods",
            std::fs::read(ods.join("grilles/grille-paul-durand.ods")).unwrap(),
        )
        .file(
            "grilles/grille-claire-martin.xls",
            std::fs::read(xls.join("grilles/grille-claire-martin.xls")).unwrap(),
        )
        .file(
            "deliberation.ods",
            std::fs::read(ods.join("deliberation.ods")).unwrap(),
        );
    let r = s.check();
    r.assert(
        0,
        &[
            ("disputed", CANDIDATES, "Candidats", "A4"),
            (
                "name-mismatch",
                "grilles/grille-paul-durand.ods",
                GRID,
                "C5",
            ),
            (
                "formula-level",
                "grilles/grille-claire-martin.xls",
                GRID,
                "D4",
            ),
        ],
    );
    r.assert_outcomes([1, 1, 1, 1, 0]);
}

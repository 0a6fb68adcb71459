//! One juror's grid over several files: the files are read together (the complement of
//! `jury grids --missing` beside the first grid), and a copy of a grid file is one
//! `duplicate-grid` warning, not an error per candidate.
//!
//! The default grids of `common.rs`: 2026001 on row 4, 2026002 on row 5, criteria Cr1.1 to
//! Cr6.2 in columns D to O. Files are read in name order: `…-complement.xlsx` comes before
//! `grille-claire-martin.xlsx`, so the first grid file is the second one read.

use crate::common::*;

const COMPLEMENT: &str = "grilles/grille-claire-martin-complement.xlsx";

/// Claire's second file: a wide grid listing `people`, every level `level` (`""`: empty).
fn second_file(session: Session, people: &[(&str, &str, &str)], level: &str) -> Session {
    session.book(COMPLEMENT, GRID, wide_grid("Claire Martin", people, level))
}

#[test]
fn two_files_of_one_juror_are_one_grid_when_each_row_is_graded_in_one_file() {
    // Claire graded 2026001 in her first file and 2026002 in the second; each file keeps
    // an empty row for the other candidate.
    let r = second_file(Session::new(), &PEOPLE, "")
        .levels(CLAIRE, 5, "")
        .levels(COMPLEMENT, 5, "Acquis")
        .check();
    r.assert(0, &[]).assert_outcomes([2, 0, 0, 0, 0]);
    assert_eq!(
        r.summary("grids"),
        2,
        "Claire's two files are one grid\n{r}"
    );
}

#[test]
fn a_row_split_over_two_files_counts_once_for_min_jurors() {
    // 2026002: Cr1.1 to Cr1.5 in Claire's first file, the other criteria in the second.
    // Paul's grid has no row for 2026002: with `min_jurors = 2`, Claire counts once.
    let r = second_file(Session::new(), &PEOPLE[1..], "")
        .levels_in(CLAIRE, 5, 5..12, "")
        .levels_in(COMPLEMENT, 4, 5..12, "Acquis")
        .delete_row(PAUL, GRID, 5)
        .check();
    r.assert(1, &[("insufficient-grids", CANDIDATES, "Candidats", "A3")]);
    let f = r.one("insufficient-grids");
    assert!(
        f.message.contains("n'a qu'une grille (Claire Martin)"),
        "Claire is counted once\n{r}"
    );
}

#[test]
fn a_criterion_graded_in_both_files_is_one_duplicate_level_per_cell() {
    // The second file (read first) grades 2026002 on Cr1.1 (D4) and Cr2 (I4) only; the
    // first file grades everything: two duplicate levels, at the first file's cells.
    let r = second_file(Session::new(), &PEOPLE[1..], "")
        .set(COMPLEMENT, GRID, "D4", "Acquis")
        .set(COMPLEMENT, GRID, "I4", "Acquis")
        .check();
    r.assert(
        1,
        &[
            ("duplicate-level", CLAIRE, GRID, "D5"),
            ("duplicate-level", CLAIRE, GRID, "I5"),
        ],
    );
    let mut found: Vec<Found> = r.findings();
    found.sort_by(|a, b| a.cell.cmp(&b.cell));
    for (f, (criterion, other)) in found.iter().zip([("Cr1.1", "D4"), ("Cr2", "I4")]) {
        assert_eq!(
            (f.candidate.as_str(), f.criterion.as_str(), f.juror.as_str()),
            ("2026002", criterion, "Claire Martin"),
            "{r}"
        );
        let names = format!("« {COMPLEMENT} » (feuille « Grille », {other})");
        assert!(f.message.contains(&names), "{}\n{r}", f.message);
    }
}

#[test]
fn a_copy_of_a_grid_file_is_one_warning_naming_both_files() {
    let reference = Session::new().check();
    for copy in [
        "grilles/grille-claire-martin (1).xlsx",
        "grilles/Copie de grille-claire-martin.xlsx",
        "grilles/grille-claire-martin - Copie.xlsx",
    ] {
        let session = Session::new();
        let bytes = session.xlsx_bytes(CLAIRE);
        let r = session.file(copy, bytes).check();
        r.assert(0, &[("duplicate-grid", copy, GRID, "")]);
        let f = r.one("duplicate-grid");
        assert_eq!(f.juror, "Claire Martin");
        assert!(
            f.message
                .contains(&format!("« {copy} » est une copie de « {CLAIRE} »")),
            "{}\n{r}",
            f.message
        );
        assert!(f.message.contains("ignorée"), "{}", f.message);
        for outcome in ["certified", "not_certified", "absent", "pending", "grids"] {
            assert_eq!(
                r.summary(outcome),
                reference.summary(outcome),
                "{outcome}\n{r}"
            );
        }
    }
}

#[test]
fn a_copy_saved_again_is_still_a_copy_and_one_that_differs_is_a_second_file() {
    // The same levels in another workbook (other bytes: saved on another day).
    let same = Session::new()
        .book(
            "grilles/grille-claire-martin (1).xlsx",
            GRID,
            wide_grid("Claire Martin", &PEOPLE, "Acquis"),
        )
        .saved("grilles/grille-claire-martin (1).xlsx", (2026, 11, 26, 9))
        .check();
    same.assert(
        0,
        &[(
            "duplicate-grid",
            "grilles/grille-claire-martin (1).xlsx",
            GRID,
            "",
        )],
    );

    // One level changed: not a copy, every criterion graded twice is reported, in the file
    // that looks like the copy (the other one's levels count).
    let differs = Session::new()
        .book(
            "grilles/grille-claire-martin (1).xlsx",
            GRID,
            wide_grid("Claire Martin", &PEOPLE, "Acquis"),
        )
        .set(
            "grilles/grille-claire-martin (1).xlsx",
            GRID,
            "D4",
            "Non acquis",
        )
        .check();
    let found = differs.findings();
    assert_eq!(found.len(), 24, "{differs}");
    assert!(
        found
            .iter()
            .all(|f| f.code == "duplicate-level"
                && f.file == "grilles/grille-claire-martin (1).xlsx"),
        "{differs}"
    );
}

#[test]
fn absent_in_one_file_and_graded_in_the_other_is_one_duplicate_candidate() {
    // The second file (read first) marks 2026001 ABS; the first file grades them. The
    // levels count: Claire still grades 2026001, so nothing else is reported.
    let r = second_file(Session::new(), &PEOPLE[..1], "ABS").check();
    r.assert(1, &[("duplicate-candidate", CLAIRE, GRID, "A4")]);
    let f = r.one("duplicate-candidate");
    assert!(
        f.message.contains(&format!(
            "a mis ABS au candidat 2026001 dans « {COMPLEMENT} »"
        )),
        "{}\n{r}",
        f.message
    );
}

#[test]
fn a_split_row_is_decided_and_traced_to_the_cell_of_each_file() {
    let session = second_file(Session::new(), &PEOPLE[1..], "")
        .levels_in(CLAIRE, 5, 5..12, "")
        .levels_in(COMPLEMENT, 4, 5..12, "Acquis");
    session.check().assert(0, &[]);
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("session");
    session.write_to(&dir);
    let out = run(&["run".as_ref(), dir.as_os_str(), "--no-documents".as_ref()]);
    assert_eq!(out.status, Some(0), "{out}");
    let manifest = json_file(&dir.join("resultats/manifest.json"));
    let bruno = manifest["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "2026002")
        .unwrap();
    assert_eq!(bruno["decision"], "certified");
    let claire_cell = |criterion: &str| -> (String, String) {
        let given = bruno["trace"]["competencies"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["criteria"].as_array().unwrap())
            .find(|c| c["code"] == criterion)
            .unwrap()["given"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["juror"] == "Claire Martin")
            .unwrap()
            .clone();
        (
            given["file"].as_str().unwrap().to_string(),
            given["cell"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(claire_cell("Cr1.1"), (CLAIRE.to_string(), "D5".to_string()));
    assert_eq!(
        claire_cell("Cr2"),
        (COMPLEMENT.to_string(), "I4".to_string())
    );
}

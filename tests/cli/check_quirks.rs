//! What people really type into workbooks, and how `check` copes (section 4, 5 and 10 of the
//! contract): title rows above the header, headers without accents, in another case or with
//! trailing spaces, extra columns, blank rows, numeric ids, dates as date cells or text,
//! formula cells (their cached value counts) and error cells (`#N/A`: an invalid level).
//!
//! Each test changes the clean default session (see `common.rs`) and asserts every finding.

use crate::common::*;

/// The clean default session of `common.rs`.
fn clean() -> Session {
    Session::new()
}

#[test]
fn title_rows_above_the_header_in_both_files() {
    let candidates = vec![
        row!["Session CM-2026-11 : liste des candidats"],
        row!["Jury du 27/11/2026, Lyon"],
        row![],
        row![
            "N° candidat",
            "Nom",
            "Prénom",
            "Date de naissance",
            "Prérequis validés"
        ],
        row!["2026001", "Durand", "Alice", "12/05/1990", "Oui"],
        row!["2026002", "Petit", "Bruno", "03/07/1988", "Oui"],
    ];
    // Claire's grid: titles, the juror's name two cells right of its label, the header on
    // row 5.
    let mut claire = rows(&[
        &["Grille d'évaluation : community management"],
        &["Évaluateur :", "", "Claire Martin"],
        &[],
        &["Session CM-2026-11"],
    ]);
    claire.extend(wide_grid("", &PEOPLE, "Acquis").split_off(2));
    clean()
        .book(CANDIDATES, "Candidats", candidates)
        .book(CLAIRE, GRID, claire)
        .set(CLAIRE, GRID, "K7", "Aquis")
        .set(CANDIDATES, "Candidats", "D6", "hier")
        .check()
        .assert(
            1,
            &[
                ("invalid-date", CANDIDATES, "Candidats", "D6"),
                ("invalid-level", CLAIRE, GRID, "K7"),
            ],
        );
}

#[test]
fn the_juror_label_below_a_jury_title_and_in_one_cell() {
    // « Jury : … » is a label too; the labelled name that is a jury member wins.
    let grid = |title: &str, label: &str| {
        let mut g = rows(&[&[title], &[label], &[]]);
        g.extend(wide_grid("", &PEOPLE, "Acquis").split_off(2));
        g
    };
    clean()
        .book(
            CLAIRE,
            GRID,
            grid("Jury : CM-2026-11", "Évaluatrice\u{202f}: Claire Martin"),
        )
        .book(
            PAUL,
            GRID,
            grid("Jury du 27/11/2026", "EXAMINATEUR:PAUL DURAND"),
        )
        .check()
        .assert(0, &[])
        .assert_outcomes([2, 0, 0, 0, 0]);
}

#[test]
fn a_sheet_that_does_not_start_in_a1_keeps_its_true_cells() {
    // Paul's grid starts in column C, row 3: the first used cell is not A1.
    let shifted: Rows = wide_grid("Paul Durand", &PEOPLE, "Acquis")
        .into_iter()
        .map(|r| {
            if r.is_empty() {
                r
            } else {
                [vec![Cell::Empty, Cell::Empty], r].concat()
            }
        })
        .collect();
    let shifted = [vec![Vec::new(), Vec::new()], shifted].concat();
    // Header on row 5, 2026001 on row 6; Cr1.2 moves from E to G.
    clean()
        .book(PAUL, GRID, shifted)
        .set(PAUL, GRID, "G6", "Aquis")
        .check()
        .assert(1, &[("invalid-level", PAUL, GRID, "G6")]);
}

#[test]
fn headers_without_accents_in_another_case_with_spaces_and_punctuation() {
    let candidates = vec![
        row![
            "NUMERO CANDIDAT ",
            "nom",
            "  PRENOM",
            "DATE DE NAISSANCE",
            "Prerequis valides :"
        ],
        row!["2026001", "Durand", "Alice", "12/05/1990", "oui"],
        row!["2026002", "Petit", "Bruno", "03/07/1988", "OUI"],
    ];
    let mut grid = rows(&[&["EVALUATEUR", "claire martin"], &[]]);
    grid.push(row![
        "n° candidat",
        "NOM ",
        "prenom",
        "CR 1.1",
        "cr1.2 – Le budget défini est cohérent",
        "Cr1.3 : objectifs SMART",
        "CR1.4.",
        "Cr1.5 - réseaux",
        " cr2 ",
        "Cr 3.1",
        "CR3.2",
        "cr4",
        "Cr5",
        "Cr6.1",
        "C6.2",
    ]);
    grid.extend(wide_grid("", &PEOPLE, "Acquis").split_off(3));
    clean()
        .book(CANDIDATES, "Candidats", candidates)
        .book(CLAIRE, "Feuil1", grid)
        .check()
        .assert(0, &[])
        .assert_outcomes([2, 0, 0, 0, 0]);
}

#[test]
fn levels_in_any_case_with_spaces_aliases_and_numbers() {
    let acquired: [Cell; 12] = [
        " acquis ".into(),
        "ACQUIS".into(),
        "A".into(),
        "oui".into(),
        1.into(),
        "x".into(),
        "✓".into(),
        "Acquis.".into(),
        "O".into(),
        "1".into(),
        "Acquis".into(),
        "  Oui".into(),
    ];
    let not_acquired: [Cell; 12] = [
        "NON ACQUIS".into(),
        "non  acquis".into(),
        "na".into(),
        "Non".into(),
        0.into(),
        "✗".into(),
        "n".into(),
        "0".into(),
        "Non Acquis.".into(),
        "NA ".into(),
        "non acquis".into(),
        "N".into(),
    ];
    let mut s = clean();
    for (i, (yes, no)) in acquired.iter().zip(&not_acquired).enumerate() {
        let column = char::from(b'D' + i as u8);
        s = s
            .set(CLAIRE, GRID, &format!("{column}4"), yes.clone())
            .set(PAUL, GRID, &format!("{column}4"), yes.clone())
            .set(CLAIRE, GRID, &format!("{column}5"), no.clone())
            .set(PAUL, GRID, &format!("{column}5"), no.clone());
    }
    s.check().assert(0, &[]).assert_outcomes([1, 1, 0, 0, 0]);
}

#[test]
fn absence_in_any_case_with_spaces() {
    let words = ["ABS", "abs", " Abs ", "Absent", "ABSENTE", "absent.", "ABS"];
    let mut s = clean();
    for i in 0..12 {
        let column = char::from(b'D' + i as u8);
        let word = words[i % words.len()];
        s = s.set(CLAIRE, GRID, &format!("{column}5"), word).set(
            PAUL,
            GRID,
            &format!("{column}5"),
            words[(i + 3) % words.len()],
        );
    }
    s.check().assert(0, &[]).assert_outcomes([1, 0, 1, 0, 0]);
}

/// Extra sheets are ignored; extra columns are not decisions' business but never silent
/// (v1.2): one `extra-column` warning each, at its header cell. `Jury` is a known column.
#[test]
fn extra_columns_warn_and_extra_sheets_are_ignored() {
    let candidates = vec![
        row![
            "Jury",
            "N° candidat",
            "Nom d'usage",
            "Nom",
            "Prénom",
            "Courriel",
            "Remarques",
            "Prérequis validés"
        ],
        row![
            "A",
            "2026001",
            "",
            "Durand",
            "Alice",
            "alice@example.org",
            "RAS",
            "Oui"
        ],
        row!["A", "2026002", "Martin", "Petit", "Bruno", "", "", "Oui"],
    ];
    let mut claire = wide_grid("Claire Martin", &PEOPLE, "Acquis");
    for (r, extra) in [
        (2, ["Total", "Observations", "Signature"]),
        (3, ["12", "Très bien", "CM"]),
    ] {
        claire[r].extend(extra.map(Cell::from));
    }
    clean()
        .book(CANDIDATES, "Candidats", candidates)
        .book(CLAIRE, GRID, claire)
        .sheet(
            CLAIRE,
            "Instructions",
            rows(&[
                &["Mode d'emploi"],
                &["Saisissez Acquis ou Non acquis, ou ABS pour un absent."],
            ]),
        )
        .sheet(
            CANDIDATES,
            "Listes",
            rows(&[&["Niveaux"], &["Acquis"], &["Non acquis"]]),
        )
        .check()
        // No birth date column: the certificates could not print it.
        .assert(
            1,
            &[
                ("missing-mention", CANDIDATES, "Candidats", "B2"),
                ("missing-mention", CANDIDATES, "Candidats", "B3"),
                ("extra-column", CANDIDATES, "Candidats", "G1"),
                ("extra-column", CLAIRE, GRID, "P3"),
                ("extra-column", CLAIRE, GRID, "R3"),
            ],
        )
        .assert_outcomes([2, 0, 0, 0, 0]);
}

#[test]
fn the_candidates_sheet_is_found_by_name_in_any_case() {
    let candidates = candidate_rows();
    clean()
        .book(
            CANDIDATES,
            "Lisez-moi",
            rows(&[&["Liste des candidats : voir l'onglet suivant"]]),
        )
        .sheet(CANDIDATES, "CANDIDATS", candidates)
        .check()
        .assert(0, &[])
        .assert_outcomes([2, 0, 0, 0, 0]);
}

#[test]
fn blank_rows_are_skipped() {
    let mut candidates = candidate_rows();
    candidates.insert(2, row![]);
    candidates.insert(3, row!["", "   ", ""]);
    candidates.push(row![]);
    candidates.push(row!["  "]);
    let mut claire = wide_grid("Claire Martin", &PEOPLE, "Acquis");
    claire.insert(4, row![]);
    claire.insert(5, row!["", " "]);
    claire.push(row![]);
    clean()
        .book(CANDIDATES, "Candidats", candidates)
        .book(CLAIRE, GRID, claire)
        .check()
        .assert(0, &[])
        .assert_outcomes([2, 0, 0, 0, 0]);
}

#[test]
fn numeric_ids_stored_as_numbers_match_text_ids() {
    // The candidates file and Claire's grid store ids as numbers (2026001.0); Paul's grid
    // as text.
    clean()
        .set(CANDIDATES, "Candidats", "A2", 2026001)
        .set(CANDIDATES, "Candidats", "A3", 2026002.0)
        .set(CLAIRE, GRID, "A4", 2026001)
        .set(CLAIRE, GRID, "A5", 2026002)
        .check()
        .assert(0, &[])
        .assert_outcomes([2, 0, 0, 0, 0]);
}

#[test]
fn ids_are_compared_as_text_leading_zeros_count() {
    let r = clean()
        .set(CANDIDATES, "Candidats", "A2", "000123")
        .set(CLAIRE, GRID, "A4", "000123")
        .set(PAUL, GRID, "A4", 123)
        .check();
    r.assert(
        1,
        &[
            ("insufficient-grids", CANDIDATES, "Candidats", "A2"),
            ("unknown-candidate", PAUL, GRID, "A4"),
        ],
    );
    assert!(
        r.one("unknown-candidate").message.contains("« 000123 »"),
        "{r}"
    );
}

#[test]
fn dates_as_date_cells_french_text_or_iso_text() {
    let candidates = vec![
        row!["N° candidat", "Nom", "Prénom", "Né(e) le", "Prérequis"],
        row!["2026001", "Durand", "Alice", date(1990, 5, 12), true],
        row!["2026002", "Petit", "Bruno", "03/07/1988", "x"],
        row!["2026003", "Roux", "Chloé", "1991-01-08", 1],
        row!["2026004", "Blanc", "Denis", " 29/02/1996 ", "VRAI"],
        row!["2026005", "Noir", "Emma", "", "Oui"],
    ];
    let people = [
        ("2026001", "Durand", "Alice"),
        ("2026002", "Petit", "Bruno"),
        ("2026003", "Roux", "Chloé"),
        ("2026004", "Blanc", "Denis"),
        ("2026005", "Noir", "Emma"),
    ];
    clean()
        .book(CANDIDATES, "Candidats", candidates)
        .book(CLAIRE, GRID, wide_grid("Claire Martin", &people, "Acquis"))
        .book(PAUL, GRID, wide_grid("Paul Durand", &people, "Acquis"))
        .check()
        // Every date is read; the empty one is what a certificate could not print.
        .assert(1, &[("missing-mention", CANDIDATES, "Candidats", "D6")])
        .assert_outcomes([5, 0, 0, 0, 0]);
}

#[test]
fn formula_cells_count_by_their_cached_value() {
    clean()
        // Levels computed by formulas, whatever the formula says: the cached value counts.
        .set(
            CLAIRE,
            GRID,
            "D4",
            formula("IF(1=1,\"Acquis\",\"Non acquis\")", "Acquis"),
        )
        .set(CLAIRE, GRID, "E4", formula("1*1", "1"))
        .set(
            CLAIRE,
            GRID,
            "D5",
            formula("\"Non \"&\"acquis\"", "Non acquis"),
        )
        .set(
            PAUL,
            GRID,
            "D5",
            formula("LOWER(\"NON ACQUIS\")", "non acquis"),
        )
        // Ids and names from formulas.
        .set(
            CANDIDATES,
            "Candidats",
            "A2",
            formula("\"2026\"&\"001\"", "2026001"),
        )
        .set(
            CANDIDATES,
            "Candidats",
            "B2",
            formula("UPPER(\"durand\")", "DURAND"),
        )
        .set(PAUL, GRID, "A4", formula("2026000+1", "2026001"))
        .check()
        // Counted, and reported as formula levels for the secretary to review.
        .assert(
            0,
            &[
                ("formula-level", CLAIRE, GRID, "D4"),
                ("formula-level", CLAIRE, GRID, "D5"),
                ("formula-level", PAUL, GRID, "D5"),
            ],
        )
        .assert_outcomes([1, 1, 0, 0, 0]);
}

#[test]
fn a_formula_without_a_cached_value_is_a_missing_level() {
    clean()
        .set(
            CLAIRE,
            GRID,
            "F4",
            formula("IF(B4=\"\",\"\",\"Acquis\")", ""),
        )
        .check()
        .assert(1, &[("missing-level", CLAIRE, GRID, "F4")]);
}

#[test]
fn error_cells_are_invalid_levels() {
    let r = clean()
        .set(CLAIRE, GRID, "D4", formula("NA()", "#N/A"))
        .set(PAUL, GRID, "L5", formula("1/0", "#DIV/0!"))
        .check();
    r.assert(
        1,
        &[
            ("invalid-level", CLAIRE, GRID, "D4"),
            ("invalid-level", PAUL, GRID, "L5"),
        ],
    );
    let messages: Vec<String> = r.findings().into_iter().map(|f| f.message).collect();
    assert!(messages.iter().any(|m| m.contains("#N/A")), "{r}");
    assert!(messages.iter().any(|m| m.contains("#DIV/0!")), "{r}");
}

#[test]
fn booleans_in_a_prerequisite_column() {
    clean()
        .set(CANDIDATES, "Candidats", "E2", true)
        .set(CANDIDATES, "Candidats", "E3", false)
        .delete_row(CLAIRE, GRID, 5)
        .delete_row(PAUL, GRID, 5)
        .check()
        .assert(0, &[])
        .assert_outcomes([1, 0, 0, 1, 0]);
}

#[test]
fn long_grids_fold_criterion_codes_and_accept_aliases() {
    let mut lines = Vec::new();
    for id in ["2026001", "2026002"] {
        for (i, code) in CRITERIA.iter().enumerate() {
            let written = match i {
                0 => "cr 1.1",
                1 => "CR1.2 – Le budget",
                11 => "C6.2",
                _ => code,
            };
            lines.push([id, "claire  martin", written, "acquis"]);
        }
    }
    let mut grid = rows(&[&[
        "N° CANDIDAT",
        "Juré",
        "Code critère",
        "Résultat",
        "Commentaire",
    ]]);
    grid.extend(
        lines
            .iter()
            .map(|l| l.iter().map(|s| Cell::from(*s)).collect()),
    );
    clean()
        .book(CLAIRE, "Saisie", grid)
        .check()
        .assert(0, &[])
        .assert_outcomes([2, 0, 0, 0, 0]);
}

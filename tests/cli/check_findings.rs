//! One test per finding code `check` can give (section 8 of the contract), each asserting
//! the code, the exact place (file, sheet, cell; line and column for TOML) and the exit
//! status; then the fine points of section 10; then the demo sample and the text report.
//!
//! Default grid cells (see `common.rs`): 2026001 on row 4 and 2026002 on row 5, criteria
//! Cr1.1 to Cr6.2 in columns D to O (Cr3.2 is K). In the candidates file 2026001 is on
//! row 2 and 2026002 on row 3.

use crate::common::*;

const REFERENTIAL: &str = include_str!("../../templates/referentials/community-management.toml");

/// The clean default session of `common.rs`.
fn clean() -> Session {
    Session::new()
}

/// The 1-based line of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> u64 {
    let offset = text.find(needle).expect("the needle");
    text[..offset].matches('\n').count() as u64 + 1
}

#[test]
fn the_default_session_is_clean() {
    clean()
        .check()
        .assert(0, &[])
        .assert_outcomes([2, 0, 0, 0, 0]);
}

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

#[test]
fn invalid_config_an_unknown_key_names_its_line_and_column() {
    let r = clean().toml_edit("min_jurors = 2", "min_juror = 2").check();
    r.assert(2, &[("invalid-config", "session.toml", "", "")]);
    let f = r.one("invalid-config");
    assert_eq!((f.line, f.column), (Some(22), Some(1)), "{r}");
    assert!(f.message.contains("min_juror"), "{r}");
    assert!(
        f.message.contains("Vouliez-vous dire `min_jurors` ?"),
        "{r}"
    );
}

#[test]
fn invalid_config_an_unknown_referential_name() {
    let r = clean()
        .toml_edit("\"community-management\"", "\"community-managment\"")
        .check();
    r.assert(2, &[("invalid-config", "session.toml", "", "")]);
    let f = r.one("invalid-config");
    assert_eq!((f.line, f.column), (Some(3), Some(15)), "{r}");
    assert!(f.message.contains("community-managment"), "{r}");
    assert!(
        f.message
            .contains("Vouliez-vous dire « community-management » ?"),
        "{r}"
    );
}

#[test]
fn invalid_referential_a_rule_that_cannot_be_met() {
    let text = REFERENTIAL.replacen("pass = \"A\"", "pass = \"B\"", 1);
    let r = clean()
        .toml_edit("\"community-management\"", "\"mon-referentiel.toml\"")
        .file("mon-referentiel.toml", text.clone())
        .check();
    r.assert(
        2,
        &[("invalid-referential", "mon-referentiel.toml", "", "")],
    );
    let f = r.one("invalid-referential");
    assert_eq!(f.line, Some(line_of(&text, "pass = \"B\"")), "{r}");
    assert_eq!(f.column, Some(1), "{r}");
    assert!(f.message.contains("pass = \"B\""), "{r}");
}

#[test]
fn jury_composition_fewer_than_half_external() {
    let r = clean()
        .toml_edit("external = true", "external = false")
        .check();
    r.assert(0, &[("jury-composition", "session.toml", "", "")]);
}

#[test]
fn jury_composition_points_at_the_jury_members() {
    let r = clean()
        .toml_edit("external = true", "external = false")
        .check();
    let f = r.one("jury-composition");
    assert_eq!((f.line, f.column), (Some(10), Some(1)), "{r}");
}

#[test]
fn jury_composition_a_single_member() {
    let single = SESSION_TOML.replace(
        "[[jury]]\nname = \"Paul Durand\"\nrole = \"Professionnel du secteur\"\nexternal = true\n",
        "",
    );
    let r = clean()
        .toml(Some(&single))
        .toml_edit("min_jurors = 2", "min_jurors = 1")
        .remove(PAUL)
        .check();
    r.assert(0, &[("jury-composition", "session.toml", "", "")]);
    assert!(
        r.one("jury-composition").message.contains("1 membre"),
        "{r}"
    );
}

// ---------------------------------------------------------------------------------------------
// Candidates file
// ---------------------------------------------------------------------------------------------

/// The default session with grids that have no Nom and Prénom columns (criteria then start
/// in column B).
fn grids_without_names() -> Session {
    clean()
        .delete_column(CLAIRE, GRID, "B")
        .delete_column(CLAIRE, GRID, "B")
        .delete_column(PAUL, GRID, "B")
        .delete_column(PAUL, GRID, "B")
        .set(CLAIRE, GRID, "B1", "Claire Martin")
        .set(PAUL, GRID, "B1", "Paul Durand")
}

#[test]
fn missing_field_points_at_the_empty_required_cell() {
    let r = grids_without_names()
        .set(CANDIDATES, "Candidats", "C2", "")
        .set(CANDIDATES, "Candidats", "E3", "")
        .check();
    r.assert(
        1,
        &[
            ("missing-field", CANDIDATES, "Candidats", "C2"),
            ("missing-field", CANDIDATES, "Candidats", "E3"),
        ],
    );
}

#[test]
fn missing_field_a_required_column_is_missing() {
    let r = grids_without_names()
        .delete_column(CANDIDATES, "Candidats", "C")
        .check();
    r.assert(1, &[("missing-field", CANDIDATES, "Candidats", "A1")]);
    assert!(r.one("missing-field").message.contains("Prénom"), "{r}");
}

#[test]
fn a_missing_name_gives_no_name_mismatch() {
    clean()
        .set(CANDIDATES, "Candidats", "C2", "")
        .check()
        .assert(1, &[("missing-field", CANDIDATES, "Candidats", "C2")]);
}

#[test]
fn invalid_date() {
    let r = clean()
        .set(CANDIDATES, "Candidats", "D2", "31/02/1990")
        .check();
    r.assert(1, &[("invalid-date", CANDIDATES, "Candidats", "D2")]);
    assert_eq!(r.one("invalid-date").candidate, "2026001");
}

#[test]
fn invalid_prerequisite() {
    let r = clean()
        .set(CANDIDATES, "Candidats", "E3", "peut-être")
        .check();
    r.assert(
        1,
        &[("invalid-prerequisite", CANDIDATES, "Candidats", "E3")],
    );
}

#[test]
fn duplicate_candidate_in_the_candidates_file_points_at_the_repeated_row() {
    let r = clean()
        .set(CANDIDATES, "Candidats", "A4", "2026001")
        .set(CANDIDATES, "Candidats", "B4", "Durand")
        .set(CANDIDATES, "Candidats", "C4", "Alice")
        .set(CANDIDATES, "Candidats", "E4", "Oui")
        .set(CANDIDATES, "Candidats", "A5", "2026001")
        .set(CANDIDATES, "Candidats", "B5", "Durand")
        .set(CANDIDATES, "Candidats", "C5", "Alice")
        .set(CANDIDATES, "Candidats", "E5", "Oui")
        .check();
    // One finding per repeated row after the first.
    r.assert(
        1,
        &[
            ("duplicate-candidate", CANDIDATES, "Candidats", "A4"),
            ("duplicate-candidate", CANDIDATES, "Candidats", "A5"),
        ],
    );
}

#[test]
fn ambiguous_id_differing_only_in_case() {
    let r = clean()
        .set(CANDIDATES, "Candidats", "A2", "ab1")
        .set(CANDIDATES, "Candidats", "A3", "AB1")
        .set(CLAIRE, GRID, "A4", "ab1")
        .set(CLAIRE, GRID, "A5", "AB1")
        .set(PAUL, GRID, "A4", "ab1")
        .set(PAUL, GRID, "A5", "AB1")
        .check();
    r.assert(1, &[("ambiguous-id", CANDIDATES, "Candidats", "A3")]);
    assert_eq!(r.one("ambiguous-id").candidate, "AB1");
}

#[test]
fn ambiguous_id_giving_the_same_file_name() {
    let r = clean()
        .set(CANDIDATES, "Candidats", "A2", "2026/1")
        .set(CANDIDATES, "Candidats", "A3", "2026_1")
        .set(CLAIRE, GRID, "A4", "2026/1")
        .set(CLAIRE, GRID, "A5", "2026_1")
        .set(PAUL, GRID, "A4", "2026/1")
        .set(PAUL, GRID, "A5", "2026_1")
        .check();
    r.assert(1, &[("ambiguous-id", CANDIDATES, "Candidats", "A3")]);
}

// ---------------------------------------------------------------------------------------------
// Grids: cells
// ---------------------------------------------------------------------------------------------

#[test]
fn invalid_level_suggests_the_nearest_level() {
    let r = clean()
        .set(CLAIRE, GRID, "D4", "Aquis")
        .set(PAUL, GRID, "E5", "Non aqcuis")
        .check();
    r.assert(
        1,
        &[
            ("invalid-level", CLAIRE, GRID, "D4"),
            ("invalid-level", PAUL, GRID, "E5"),
        ],
    );
    let found = r.findings();
    let claire = found.iter().find(|f| f.file == CLAIRE).unwrap();
    assert!(claire.message.contains("« Aquis »"), "{r}");
    assert!(
        claire.message.contains("Vouliez-vous dire « Acquis » ?"),
        "{r}"
    );
    assert_eq!(
        (
            claire.candidate.as_str(),
            claire.criterion.as_str(),
            claire.juror.as_str()
        ),
        ("2026001", "Cr1.1", "Claire Martin")
    );
    let paul = found.iter().find(|f| f.file == PAUL).unwrap();
    assert!(
        paul.message.contains("Vouliez-vous dire « Non acquis » ?"),
        "{r}"
    );
}

#[test]
fn invalid_level_without_a_near_level_lists_the_accepted_ones() {
    let r = clean().set(CLAIRE, GRID, "D4", "Excellent").check();
    r.assert(1, &[("invalid-level", CLAIRE, GRID, "D4")]);
    let message = r.one("invalid-level").message;
    assert!(message.contains("Non acquis, Acquis"), "{r}");
    assert!(!message.contains("Vouliez-vous dire"), "{r}");
}

#[test]
fn missing_level() {
    let r = clean().set(CLAIRE, GRID, "E4", "").check();
    r.assert(1, &[("missing-level", CLAIRE, GRID, "E4")]);
    let f = r.one("missing-level");
    assert_eq!(
        (f.candidate.as_str(), f.criterion.as_str(), f.juror.as_str()),
        ("2026001", "Cr1.2", "Claire Martin")
    );
}

#[test]
fn partial_absence_points_at_the_id_cell_and_hides_the_empty_cells() {
    let r = clean()
        .set(CLAIRE, GRID, "D4", "ABS")
        .set(CLAIRE, GRID, "E4", "")
        .check();
    // The row still counts for min_jurors: no insufficient-grids.
    r.assert(1, &[("partial-absence", CLAIRE, GRID, "A4")]);
}

#[test]
fn ungraded_row_is_a_warning_and_gives_no_grid() {
    let one_juror = clean()
        .toml_edit("min_jurors = 2", "min_jurors = 1")
        .levels(PAUL, 5, "");
    one_juror
        .check()
        .assert(0, &[("ungraded-row", PAUL, GRID, "A5")])
        .assert_outcomes([2, 0, 0, 0, 0]);
    // With two jurors required, the ungraded row leaves 2026002 one grid short.
    let two_jurors = clean().levels(PAUL, 5, "");
    two_jurors.check().assert(
        1,
        &[
            ("insufficient-grids", CANDIDATES, "Candidats", "A3"),
            ("ungraded-row", PAUL, GRID, "A5"),
        ],
    );
}

#[test]
fn mixed_absence_is_a_warning_on_the_candidate() {
    let r = clean()
        .toml_edit("min_jurors = 2", "min_jurors = 1")
        .levels(CLAIRE, 4, "ABS")
        .check();
    r.assert(0, &[("mixed-absence", CANDIDATES, "Candidats", "A2")]);
    assert_eq!(r.one("mixed-absence").candidate, "2026001");
    r.assert_outcomes([2, 0, 0, 0, 0]);
}

#[test]
fn mixed_absence_the_absent_grid_does_not_count() {
    clean().levels(CLAIRE, 4, "ABS").check().assert(
        1,
        &[
            ("insufficient-grids", CANDIDATES, "Candidats", "A2"),
            ("mixed-absence", CANDIDATES, "Candidats", "A2"),
        ],
    );
}

#[test]
fn absent_for_every_juror_is_absent_without_finding() {
    clean()
        .levels(CLAIRE, 5, "ABS")
        .levels(PAUL, 5, "abs")
        .check()
        .assert(0, &[])
        .assert_outcomes([1, 0, 1, 0, 0]);
}

// ---------------------------------------------------------------------------------------------
// Grids: rows and sheets
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_candidate_points_at_the_row_and_hints_at_the_near_id() {
    let r = clean()
        .grid_line(CLAIRE, 6, ("02026001", "Durand", "Alice"), "Acquis")
        .grid_line(CLAIRE, 7, ("2026999", "Inconnu", "Zoé"), "Acquis")
        .check();
    r.assert(
        1,
        &[
            ("unknown-candidate", CLAIRE, GRID, "A6"),
            ("unknown-candidate", CLAIRE, GRID, "A7"),
        ],
    );
    let near = r.findings().into_iter().find(|f| f.cell == "A6").unwrap();
    assert_eq!(near.candidate, "02026001");
    assert!(near.message.contains("« 2026001 »"), "{r}");
}

#[test]
fn duplicate_candidate_in_a_grid_points_at_the_second_row() {
    let r = clean()
        .grid_line(PAUL, 6, ("2026001", "Durand", "Alice"), "Non acquis")
        .check();
    r.assert(1, &[("duplicate-candidate", PAUL, GRID, "A6")]);
    assert_eq!(r.one("duplicate-candidate").juror, "Paul Durand");
}

#[test]
fn duplicate_level_in_a_long_grid_points_at_the_row() {
    let r = long_paul(&[["2026001", "Paul Durand", "Cr1.1", "Non acquis"]]).check();
    r.assert(1, &[("duplicate-level", PAUL, "Niveaux", "A26")]);
    let f = r.one("duplicate-level");
    assert_eq!(
        (f.candidate.as_str(), f.criterion.as_str(), f.juror.as_str()),
        ("2026001", "Cr1.1", "Paul Durand")
    );
}

/// Paul's grid as a long sheet « Niveaux »: header on row 1, 2026001's twelve lines on rows
/// 2 to 13, then 2026002's on rows 14 to 25, then `extra`.
fn long_paul(extra: &[[&'static str; 4]]) -> Session {
    let mut lines = long_lines("2026001", "Paul Durand", "Acquis");
    lines.extend(long_lines("2026002", "Paul Durand", "Acquis"));
    lines.extend_from_slice(extra);
    clean().book(PAUL, "Niveaux", long_grid(&lines))
}

#[test]
fn missing_field_an_empty_criterion_cell_in_a_long_grid() {
    // A level without its criterion is reported at the empty cell; a line holding only a
    // juror's name is blank for our purpose.
    let r = long_paul(&[
        ["2026002", "Paul Durand", "", "Acquis"],
        ["", "Paul Durand", "", ""],
    ])
    .check();
    r.assert(1, &[("missing-field", PAUL, "Niveaux", "C26")]);
    assert_eq!(r.one("missing-field").candidate, "2026002");
}

#[test]
fn missing_field_a_level_without_an_id_in_a_long_grid() {
    let r = long_paul(&[["", "Paul Durand", "Cr1.1", "Acquis"]]).check();
    r.assert(1, &[("missing-field", PAUL, "Niveaux", "A26")]);
}

#[test]
fn missing_level_a_criterion_without_a_line_in_a_long_grid() {
    let mut lines = long_lines("2026001", "Paul Durand", "Acquis");
    lines.remove(5); // Cr2
    lines.extend(long_lines("2026002", "Paul Durand", "Acquis"));
    let r = clean().book(PAUL, "Niveaux", long_grid(&lines)).check();
    // No cell holds the missing level: the finding points at the group's first id cell.
    r.assert(1, &[("missing-level", PAUL, "Niveaux", "A2")]);
    assert_eq!(r.one("missing-level").criterion, "Cr2");
}

#[test]
fn partial_absence_a_long_grid_marked_abs_with_a_line_missing() {
    let mut lines = long_lines("2026001", "Paul Durand", "ABS");
    lines.remove(5); // Cr2
    lines.extend(long_lines("2026002", "Paul Durand", "Acquis"));
    let r = clean().book(PAUL, "Niveaux", long_grid(&lines)).check();
    r.assert(1, &[("partial-absence", PAUL, "Niveaux", "A2")]);
}

#[test]
fn missing_criterion_column_is_one_finding_per_sheet_not_per_row() {
    let r = clean().delete_column(CLAIRE, GRID, "O").check();
    // The sheet still counts for min_jurors: no insufficient-grids.
    r.assert(1, &[("missing-criterion-column", CLAIRE, GRID, "A3")]);
    let f = r.one("missing-criterion-column");
    assert_eq!(
        (f.criterion.as_str(), f.juror.as_str()),
        ("Cr6.2", "Claire Martin")
    );
}

#[test]
fn unknown_criterion_in_a_wide_header() {
    let r = clean()
        .set(CLAIRE, GRID, "P3", "Cr7.1")
        .set(CLAIRE, GRID, "P4", "Acquis")
        .set(CLAIRE, GRID, "P5", "Acquis")
        .check();
    r.assert(1, &[("unknown-criterion", CLAIRE, GRID, "P3")]);
}

#[test]
fn unknown_criterion_in_a_long_grid_points_at_the_criterion_cell() {
    let r = long_paul(&[["2026002", "Paul Durand", "Cr1.10", "Acquis"]]).check();
    r.assert(1, &[("unknown-criterion", PAUL, "Niveaux", "C26")]);
}

#[test]
fn unknown_juror_names_the_labelled_name_and_suggests_a_member() {
    let r = clean().set(PAUL, GRID, "B1", "Paul Durant").check();
    // The grid still counts for its candidates: no insufficient-grids.
    r.assert(1, &[("unknown-juror", PAUL, GRID, "")]);
    let f = r.one("unknown-juror");
    assert_eq!(f.juror, "Paul Durant");
    assert!(
        f.message.contains("Vouliez-vous dire « Paul Durand » ?"),
        "{r}"
    );
}

#[test]
fn unknown_juror_without_a_label_is_named_after_the_sheet() {
    let r = clean()
        .set(PAUL, GRID, "A1", "")
        .set(PAUL, GRID, "B1", "")
        .check();
    r.assert(1, &[("unknown-juror", PAUL, GRID, "")]);
    assert_eq!(r.one("unknown-juror").juror, GRID);
}

#[test]
fn unknown_juror_in_a_long_grid_column_points_at_the_cell() {
    let mut lines = long_lines("2026001", "Paul Durand", "Acquis");
    lines.extend(long_lines("2026002", "Pierre Dupont", "Acquis"));
    // Reported once, at its first cell; the unknown juror's rows still count for 2026002.
    let r = clean().book(PAUL, "Niveaux", long_grid(&lines)).check();
    r.assert(1, &[("unknown-juror", PAUL, "Niveaux", "B14")]);
    assert_eq!(r.one("unknown-juror").juror, "Pierre Dupont");
}

#[test]
fn insufficient_grids_points_at_the_candidate() {
    let r = clean().delete_row(PAUL, GRID, 5).check();
    r.assert(1, &[("insufficient-grids", CANDIDATES, "Candidats", "A3")]);
    assert_eq!(r.one("insufficient-grids").candidate, "2026002");
}

#[test]
fn a_non_recevable_candidate_needs_no_grid() {
    clean()
        .set(CANDIDATES, "Candidats", "E3", "Non")
        .delete_row(PAUL, GRID, 5)
        .delete_row(CLAIRE, GRID, 5)
        .check()
        .assert(0, &[])
        .assert_outcomes([1, 0, 0, 1, 0]);
}

#[test]
fn name_mismatch_is_a_warning_at_the_name_cell() {
    let r = clean().set(PAUL, GRID, "B4", "Durant").check();
    r.assert(0, &[("name-mismatch", PAUL, GRID, "B4")]);
    assert_eq!(r.one("name-mismatch").candidate, "2026001");
}

#[test]
fn name_mismatch_ignores_case_accents_spaces_hyphens_and_apostrophes() {
    clean()
        .set(CANDIDATES, "Candidats", "B2", "Lefèvre-N'Diaye")
        .set(CANDIDATES, "Candidats", "C2", "Zoé")
        .set(CLAIRE, GRID, "B4", "LEFEVRE N DIAYE")
        .set(CLAIRE, GRID, "C4", "zoe")
        .set(PAUL, GRID, "B4", "Lefèvre N’Diaye ")
        .set(PAUL, GRID, "C4", "ZOÉ")
        .check()
        .assert(0, &[]);
}

#[test]
fn disputed_is_a_warning_on_the_candidate_and_leaves_the_decision_pending() {
    let r = clean().set(PAUL, GRID, "K4", "Non acquis").check();
    r.assert(0, &[("disputed", CANDIDATES, "Candidats", "A2")]);
    let f = r.one("disputed");
    assert_eq!(
        (f.candidate.as_str(), f.criterion.as_str()),
        ("2026001", "Cr3.2")
    );
    assert!(
        f.message
            .contains("Claire Martin « Acquis », Paul Durand « Non acquis »"),
        "{r}"
    );
    assert!(f.message.contains("en attente"), "{r}");
    r.assert_outcomes([1, 0, 0, 0, 1]);
}

#[test]
fn disputed_settled_by_deliberation_says_so() {
    let r = clean()
        .set(PAUL, GRID, "K4", "Non acquis")
        .book(
            DELIBERATION,
            "Délibération",
            deliberation_rows(&[["2026001", "C3", "Validé", "Soutenance convaincante"]]),
        )
        .check();
    r.assert(0, &[("disputed", CANDIDATES, "Candidats", "A2")]);
    let message = r.one("disputed").message;
    assert!(
        message.contains("Tranché par la délibération (deliberation.xlsx, A2)"),
        "{r}"
    );
    r.assert_outcomes([2, 0, 0, 0, 0]);
}

#[test]
fn disputed_without_effect_on_the_outcome_is_not_pending() {
    // C1 is lost on Cr1.2 by both jurors, so the dispute on Cr1.1 changes nothing.
    let r = clean()
        .set(CLAIRE, GRID, "E4", "Non acquis")
        .set(PAUL, GRID, "E4", "Non acquis")
        .set(PAUL, GRID, "D4", "Non acquis")
        .check();
    r.assert(0, &[("disputed", CANDIDATES, "Candidats", "A2")]);
    assert!(r.one("disputed").message.contains("Sans effet"), "{r}");
    r.assert_outcomes([1, 1, 0, 0, 0]);
}

// ---------------------------------------------------------------------------------------------
// Deliberation
// ---------------------------------------------------------------------------------------------

#[test]
fn invalid_deliberation_points_at_the_offending_cell() {
    let r = clean()
        .book(
            DELIBERATION,
            "Délibération",
            deliberation_rows(&[
                ["2026001", "C3", "Validé", "   "],
                ["2026001", "C1", "Peut-être", "Oral"],
                ["2026002", "C9", "Validée", "Oral"],
            ]),
        )
        .check();
    r.assert(
        1,
        &[
            ("invalid-deliberation", DELIBERATION, "Délibération", "B4"),
            ("invalid-deliberation", DELIBERATION, "Délibération", "C3"),
            ("invalid-deliberation", DELIBERATION, "Délibération", "D2"),
        ],
    );
}

#[test]
fn invalid_deliberation_a_missing_motif_column() {
    let r = clean()
        .book(
            DELIBERATION,
            "Délibération",
            rows(&[
                &["N° candidat", "Compétence", "Décision"],
                &["2026001", "C3", "Validé"],
            ]),
        )
        .check();
    r.assert(
        1,
        &[("invalid-deliberation", DELIBERATION, "Délibération", "A1")],
    );
    assert!(
        r.one("invalid-deliberation").message.contains("Motif"),
        "{r}"
    );
}

#[test]
fn invalid_deliberation_cannot_change_an_absent_or_non_recevable_candidate() {
    let r = clean()
        .levels(CLAIRE, 4, "ABS")
        .levels(PAUL, 4, "ABS")
        .set(CANDIDATES, "Candidats", "E3", "Non")
        .delete_row(PAUL, GRID, 5)
        .delete_row(CLAIRE, GRID, 5)
        .book(
            DELIBERATION,
            "Délibération",
            deliberation_rows(&[
                ["2026001", "Certification", "Certifiée", "Rattrapage"],
                ["2026002", "C1", "Validé", "Rattrapage"],
            ]),
        )
        .check();
    r.assert(
        1,
        &[
            ("invalid-deliberation", DELIBERATION, "Délibération", "A2"),
            ("invalid-deliberation", DELIBERATION, "Délibération", "A3"),
        ],
    );
    r.assert_outcomes([0, 0, 1, 1, 0]);
}

#[test]
fn unknown_candidate_in_the_deliberation_file() {
    let r = clean()
        .book(
            DELIBERATION,
            "Délibération",
            deliberation_rows(&[["2026003", "C1", "Validé", "Oral"]]),
        )
        .check();
    r.assert(
        1,
        &[("unknown-candidate", DELIBERATION, "Délibération", "A2")],
    );
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

#[test]
fn ignored_file_a_file_that_is_not_a_workbook() {
    let r = clean().file("grilles/notes.txt", "à relire").check();
    r.assert(0, &[("ignored-file", "grilles/notes.txt", "", "")]);
}

#[test]
fn unreadable_workbook_exits_2_and_no_insufficient_grids_is_reported() {
    let mut truncated = clean().xlsx_bytes(PAUL);
    truncated.truncate(truncated.len() / 2);
    let r = clean()
        .file(PAUL, truncated)
        .set(CLAIRE, GRID, "D5", "Aquis")
        .check();
    // Every other file is still checked.
    r.assert(
        2,
        &[
            ("invalid-level", CLAIRE, GRID, "D5"),
            ("unreadable-workbook", PAUL, "", ""),
        ],
    );
    assert!(r.one("unreadable-workbook").message.contains(PAUL), "{r}");
}

#[test]
fn no_grid_when_no_workbook_of_the_folder_holds_a_grid() {
    let r = clean()
        .remove(CLAIRE)
        .remove(PAUL)
        .book(
            "grilles/instructions.xlsx",
            "Lisez-moi",
            rows(&[
                &["Saisissez un niveau par critère."],
                &["Candidat", "Niveau"],
            ]),
        )
        .check();
    // The contract does not say whether every candidate also gets insufficient-grids then:
    // not asserted.
    assert_eq!(r.status, Some(1), "{r}");
    let f = r.one("no-grid");
    assert_eq!(
        (f.file.as_str(), f.sheet.as_str(), f.cell.as_str()),
        ("grilles", "", "")
    );
}

#[test]
fn no_grid_when_the_grids_folder_is_missing() {
    let r = clean().remove(CLAIRE).remove(PAUL).check();
    assert!(r.codes().contains(&"no-grid".to_string()), "{r}");
    assert_eq!(r.one("no-grid").file, "grilles");
    assert_eq!(r.status, Some(1), "{r}");
}

#[test]
fn no_grid_when_the_grids_folder_is_empty() {
    let r = clean().remove(CLAIRE).remove(PAUL).dir("grilles").check();
    assert_eq!(r.status, Some(1), "{r}");
    let f = r.one("no-grid");
    assert_eq!(
        (f.file.as_str(), f.sheet.as_str(), f.cell.as_str()),
        ("grilles", "", "")
    );
}

// ---------------------------------------------------------------------------------------------
// Fine points (section 10)
// ---------------------------------------------------------------------------------------------

#[test]
fn a_row_with_a_bad_level_still_counts_for_min_jurors() {
    clean().levels(PAUL, 5, "Aquis").check().assert(
        1,
        &[
            ("invalid-level", PAUL, GRID, "D5"),
            ("invalid-level", PAUL, GRID, "E5"),
            ("invalid-level", PAUL, GRID, "F5"),
            ("invalid-level", PAUL, GRID, "G5"),
            ("invalid-level", PAUL, GRID, "H5"),
            ("invalid-level", PAUL, GRID, "I5"),
            ("invalid-level", PAUL, GRID, "J5"),
            ("invalid-level", PAUL, GRID, "K5"),
            ("invalid-level", PAUL, GRID, "L5"),
            ("invalid-level", PAUL, GRID, "M5"),
            ("invalid-level", PAUL, GRID, "N5"),
            ("invalid-level", PAUL, GRID, "O5"),
        ],
    );
}

#[test]
fn cr1_1_never_matches_cr1_10() {
    let r = clean().set(CLAIRE, GRID, "D3", "Cr1.10").check();
    r.assert(
        1,
        &[
            ("missing-criterion-column", CLAIRE, GRID, "A3"),
            ("unknown-criterion", CLAIRE, GRID, "D3"),
        ],
    );
    assert_eq!(r.one("missing-criterion-column").criterion, "Cr1.1");
}

#[test]
fn a_long_grid_naming_two_jurors_gives_two_grids() {
    let mut lines = Vec::new();
    for id in ["2026001", "2026002"] {
        lines.extend(long_lines(id, "Claire Martin", "Acquis"));
        lines.extend(long_lines(id, "PAUL DURAND", "Acquis"));
    }
    // 2026002's Cr3.2: Paul disagrees.
    let last = lines.len() - 5;
    assert_eq!(lines[last][..3], ["2026002", "PAUL DURAND", "Cr3.2"]);
    lines[last][3] = "Non acquis";
    let r = clean()
        .remove(CLAIRE)
        .remove(PAUL)
        .book("grilles/grilles.xlsx", "Niveaux", long_grid(&lines))
        .check();
    // min_jurors = 2 is met by the two jurors of the one sheet.
    r.assert(0, &[("disputed", CANDIDATES, "Candidats", "A3")]);
    assert!(
        r.one("disputed")
            .message
            .contains("Claire Martin « Acquis », Paul Durand « Non acquis »"),
        "{r}"
    );
    r.assert_outcomes([1, 0, 0, 0, 1]);
}

#[test]
fn the_juror_is_found_from_the_sheet_name_then_the_file_name() {
    // No label above the headers: Claire's sheet is named after her; Paul's sheet is
    // « Feuil1 », in a file named after him.
    let unlabelled = || wide_grid("", &PEOPLE, "Acquis").split_off(2);
    clean()
        .remove(CLAIRE)
        .remove(PAUL)
        .book("grilles/jury-a.xlsx", "Claire Martin", unlabelled())
        .book("grilles/paul-durand.xlsx", "Feuil1", unlabelled())
        .check()
        .assert(0, &[])
        .assert_outcomes([2, 0, 0, 0, 0]);
}

#[test]
fn the_sheet_name_comes_before_the_file_name() {
    // A sheet named after Paul in a file named after Claire is Paul's.
    let mut grid = wide_grid("", &PEOPLE, "Acquis").split_off(2);
    grid[1][10] = Cell::from("Non acquis"); // 2026001, Cr3.2
    let r = clean()
        .remove(PAUL)
        .book("grilles/claire-martin.xlsx", "Paul Durand", grid)
        .check();
    r.assert(0, &[("disputed", CANDIDATES, "Candidats", "A2")]);
    assert!(
        r.one("disputed")
            .message
            .contains("Paul Durand « Non acquis »"),
        "{r}"
    );
}

#[test]
fn lock_files_and_hidden_files_are_skipped_silently() {
    clean()
        .file("grilles/~$grille-claire-martin.xlsx", "owner")
        .file("grilles/.~lock.grille-paul-durand.xlsx#", "owner")
        .file("grilles/.grille-cachee.xlsx", "not a workbook")
        .file("grilles/.DS_Store", [0u8, 1, 2])
        .file("~$candidats.xlsx", "owner")
        .check()
        .assert(0, &[]);
}

#[test]
fn upper_case_and_macro_extensions_are_read() {
    clean()
        .rename(CLAIRE, "grilles/GRILLE-CLAIRE.XLSX")
        .rename(PAUL, "grilles/grille-paul.xlsm")
        .check()
        .assert(0, &[])
        .assert_outcomes([2, 0, 0, 0, 0]);
}

// ---------------------------------------------------------------------------------------------
// The demo sample and the text report
// ---------------------------------------------------------------------------------------------

#[test]
fn the_demo_sample_has_one_settled_dispute() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/session-demo");
    let r = check_json(&dir);
    r.assert(0, &[("disputed", CANDIDATES, "Candidats", "A14")]);
    let f = r.one("disputed");
    assert_eq!(
        (f.candidate.as_str(), f.criterion.as_str()),
        ("2026011", "Cr3.2")
    );
    assert!(f.message.contains("Tranché par la délibération"), "{r}");
    r.assert_outcomes([18, 5, 1, 1, 0]);
    assert_eq!(r.summary("candidates"), 25, "{r}");
}

#[test]
fn the_text_report_groups_by_file_with_cells_hints_and_a_summary_line() {
    let r = clean()
        .set(CLAIRE, GRID, "D4", "Aquis")
        .set(CANDIDATES, "Candidats", "D3", "hier")
        .file("grilles/notes.txt", "x")
        .check_text();
    assert_eq!(r.status, Some(1), "{r}");
    let out = &r.stdout;
    let candidates_at = out
        .find("\ncandidats.xlsx\n")
        .expect("a candidats.xlsx block");
    let claire_at = out.find(&format!("\n{CLAIRE}\n")).expect("a grid block");
    let notes_at = out.find("\ngrilles/notes.txt\n").expect("a notes block");
    assert!(candidates_at < claire_at && claire_at < notes_at, "{r}");
    assert!(out.contains("erreur [invalid-date] Candidats!D3 "), "{r}");
    assert!(out.contains("erreur [invalid-level] Grille!D4 "), "{r}");
    assert!(out.contains("avertissement [ignored-file]"), "{r}");
    assert!(
        out.lines()
            .any(|l| l.trim_start() == "→ Vouliez-vous dire « Acquis » ?"),
        "the hint stands on its own line\n{r}"
    );
    let last = out.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("Bilan : 2 erreurs, 1 avertissement ; 2 grilles lues pour 2 candidats ;"),
        "{r}"
    );
}

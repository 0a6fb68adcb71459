//! Reading grid sheets built in memory (sections 4, 5 and 10 of the contract): where the
//! header and the juror are found, how headers and levels match, and which finding each
//! problem gives, at which cell.

use super::*;
use crate::referential::BUILT_IN;
use crate::sheet::{sheet_from_text, Date};

const FILE: &str = "grilles/grille.xlsx";
const CLAIRE: &str = "Claire Martin";
const PAUL: &str = "Paul Durand";

use crate::session::TEST_SESSION as SESSION;

/// The criteria of the seed referential, in order.
const CODES: [&str; 12] = [
    "Cr1.1", "Cr1.2", "Cr1.3", "Cr1.4", "Cr1.5", "Cr2", "Cr3.1", "Cr3.2", "Cr4", "Cr5", "Cr6.1",
    "Cr6.2",
];

const ALL_A: [&str; 12] = ["A"; 12];

fn session() -> SessionConfig {
    SessionConfig::parse(SESSION, "session.toml").unwrap()
}

fn seed() -> Referential {
    Referential::parse(BUILT_IN[0].1, "community-management.toml").unwrap()
}

/// Three levels with accented labels (Non validé 0, En cours 1, Validé 2) and the criteria
/// Cr1.1, Cr1.2 and Cr1.10.
fn small() -> Referential {
    let text = r#"
code = "RS9999"
title = "Référentiel d'essai"

[scale]
levels = [
  { code = "NV", label = "Non validé", value = 0 },
  { code = "EC", label = "En cours", value = 1 },
  { code = "V", label = "Validé", value = 2, aliases = ["ok"] },
]
pass = "V"

[certification]
rule = "all"

[[competencies]]
code = "C1"
title = "Un"
rule = "all"
  [[competencies.criteria]]
  code = "Cr1.1"
  title = "a"
  [[competencies.criteria]]
  code = "Cr1.2"
  title = "b"
  [[competencies.criteria]]
  code = "Cr1.10"
  title = "c"
"#;
    Referential::parse(text, "essai.toml").unwrap()
}

fn sheet(name: &str, rows: &[Vec<&str>]) -> Sheet {
    let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    sheet_from_text(name, &rows)
}

fn read_with(sheet: &Sheet, stem: &str, referential: &Referential) -> GridSheet {
    read_grid_sheet(sheet, FILE, stem, referential, &session()).unwrap()
}

fn read(sheet: &Sheet) -> GridSheet {
    read_with(sheet, "grille", &seed())
}

/// The wide header: A id, B Nom, C Prénom, D…O Cr1.1…Cr6.2, P Observations.
fn header() -> Vec<&'static str> {
    let mut h = vec!["N° candidat", "Nom", "Prénom"];
    h.extend(CODES);
    h.push("Observations");
    h
}

/// A candidate line of the wide layout.
fn line<'a>(id: &'a str, levels: &[&'a str]) -> Vec<&'a str> {
    let mut l = vec![id, "Dupont", "Marie"];
    l.extend(levels);
    l
}

/// A wide grid: title (row 1), label row (row 3), header (row 5), candidates from row 6.
fn wide<'a>(name: &str, label: &[&'a str], lines: &[Vec<&'a str>]) -> Sheet {
    wide_with(name, label, header(), lines)
}

fn wide_with<'a>(
    name: &str,
    label: &[&'a str],
    header: Vec<&'a str>,
    lines: &[Vec<&'a str>],
) -> Sheet {
    let mut rows: Vec<Vec<&str>> = vec![
        vec!["Grille d'évaluation – Community management"],
        vec![],
        label.to_vec(),
        vec![],
        header,
    ];
    rows.extend(lines.iter().cloned());
    sheet(name, &rows)
}

/// (code, cell) of every finding, to compare whole.
fn found(grid: &GridSheet) -> Vec<(Code, Option<&str>)> {
    grid.findings
        .iter()
        .map(|f| (f.code, f.cell.as_deref()))
        .collect()
}

fn levels(row: &GridRow) -> Vec<Option<usize>> {
    row.levels
        .iter()
        .map(|l| l.as_ref().map(|g| g.level))
        .collect()
}

fn level_cells(row: &GridRow) -> Vec<Option<String>> {
    row.levels
        .iter()
        .map(|l| l.as_ref().map(|g| g.a1()))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Finding the grid and its juror

#[test]
fn a_wide_grid_is_found_under_title_rows_with_the_juror_next_to_the_label() {
    let s = wide(
        "Grille",
        &["Évaluateur :", "", CLAIRE],
        &[
            {
                let mut l = line("2026001", &ALL_A);
                l.push("Très bon dossier");
                l
            },
            line("2026002", &["NA"; 12]),
        ],
    );
    let grid = read(&s);
    assert_eq!(found(&grid), []);
    assert_eq!(grid.rows.len(), 2);
    let first = &grid.rows[0];
    assert_eq!(first.juror, CLAIRE);
    assert!(first.known_juror);
    assert_eq!(first.candidate, "2026001");
    assert_eq!(first.id_cell, CellRef::new(FILE, "Grille", 5, 0));
    assert_eq!(first.kind, RowKind::Graded);
    assert_eq!(levels(first), vec![Some(1); 12]);
    assert_eq!(first.levels[0].as_ref().unwrap().a1(), "D6");
    assert_eq!(first.levels[11].as_ref().unwrap().a1(), "O6");
    assert_eq!(first.comment.as_deref(), Some("Très bon dossier"));
    let names: Vec<(bool, &str, String)> = first
        .names
        .iter()
        .map(|(last, name, cell)| (*last, name.as_str(), cell.a1()))
        .collect();
    assert_eq!(
        names,
        [
            (true, "Dupont", "B6".to_string()),
            (false, "Marie", "C6".into())
        ]
    );
    let second = &grid.rows[1];
    assert_eq!(second.candidate, "2026002");
    assert_eq!(levels(second), vec![Some(0); 12]);
    assert_eq!(second.comment, None);
}

#[test]
fn the_juror_may_stand_in_the_label_cell_itself() {
    let s = wide(
        "Feuil1",
        &["Évaluateur : claire MARTIN"],
        &[line("2026001", &ALL_A)],
    );
    let grid = read(&s);
    assert_eq!(found(&grid), []);
    assert_eq!(grid.rows[0].juror, CLAIRE, "the jury member's own spelling");
    let s = wide(
        "Feuil1",
        &["Évaluateur\u{a0}: Paul\u{a0}Durand"],
        &[line("2026001", &ALL_A)],
    );
    assert_eq!(
        read(&s).rows[0].juror,
        PAUL,
        "no-break spaces, as French typing puts them"
    );
    for label in [
        "Juré",
        "Jury :",
        "Examinatrice",
        "ÉVALUATRICE:",
        "Évaluateur\u{a0}:",
    ] {
        let s = wide("Feuil1", &[label, PAUL], &[line("2026001", &ALL_A)]);
        assert_eq!(read(&s).rows[0].juror, PAUL, "{label}");
    }
}

#[test]
fn without_a_label_the_juror_comes_from_the_sheet_name_then_the_file_stem() {
    let s = wide("Paul Durand", &[], &[line("2026001", &ALL_A)]);
    let grid = read_with(&s, "grille", &seed());
    assert_eq!(found(&grid), []);
    assert_eq!(grid.rows[0].juror, PAUL);

    let s = wide("Feuil1", &[], &[line("2026001", &ALL_A)]);
    let grid = read_with(&s, "claire-martin", &seed());
    assert_eq!(found(&grid), []);
    assert_eq!(grid.rows[0].juror, CLAIRE);
    assert!(grid.rows[0].known_juror);

    // The label comes first, then the sheet name.
    let s = wide("Paul Durand", &["Évaluateur", CLAIRE], &[line("1", &ALL_A)]);
    assert_eq!(read_with(&s, "paul-durand", &seed()).rows[0].juror, CLAIRE);
}

#[test]
fn an_unknown_labelled_juror_is_reported_with_the_near_member() {
    let s = wide(
        "Feuil1",
        &["Évaluateur :", "Claire Martine"],
        &[line("2026001", &ALL_A)],
    );
    let grid = read(&s);
    assert_eq!(found(&grid), [(Code::UnknownJuror, None)]);
    let f = &grid.findings[0];
    assert_eq!(f.juror.as_deref(), Some("Claire Martine"));
    assert_eq!(f.file.as_deref(), Some(FILE));
    assert_eq!(f.sheet.as_deref(), Some("Feuil1"));
    assert_eq!(
        f.message,
        "Aucun membre du jury déclaré dans session.toml ne s'appelle « Claire Martine » (évaluateur de cette grille)."
    );
    assert_eq!(
        f.hint.as_deref(),
        Some("Vouliez-vous dire « Claire Martin » ?")
    );
    assert_eq!(grid.rows[0].juror, "Claire Martine");
    assert!(!grid.rows[0].known_juror);
}

#[test]
fn an_unknown_juror_without_a_label_is_named_after_the_sheet() {
    let s = wide("Feuil1", &[], &[line("2026001", &ALL_A)]);
    let grid = read_with(&s, "grille", &seed());
    assert_eq!(found(&grid), [(Code::UnknownJuror, None)]);
    let f = &grid.findings[0];
    assert_eq!(f.juror.as_deref(), Some("Feuil1"));
    assert_eq!(
        f.hint.as_deref(),
        Some("Écrivez le nom de l'évaluateur à droite de la cellule « Évaluateur : » ; membres du jury : Claire Martin, Paul Durand.")
    );
    assert_eq!(grid.rows[0].juror, "Feuil1");
}

#[test]
fn a_sheet_without_a_grid_header_is_not_a_grid() {
    let r = seed();
    let s = session();
    let instructions = sheet(
        "Consignes",
        &[
            vec!["Saisissez un niveau par critère : A ou NA, ABS pour un absent."],
            vec!["Cr1.1 : la cible marketing."],
        ],
    );
    assert!(read_grid_sheet(&instructions, FILE, "grille", &r, &s).is_none());
    let candidates = sheet(
        "Candidats",
        &[
            vec!["N° candidat", "Nom", "Prénom"],
            vec!["2026001", "Dupont", "Marie"],
        ],
    );
    assert!(read_grid_sheet(&candidates, FILE, "grille", &r, &s).is_none());
    assert!(read_grid_sheet(&Sheet::new("Vide", vec![]), FILE, "grille", &r, &s).is_none());
    // Headers are searched in the first 20 rows only.
    let mut rows: Vec<Vec<&str>> = vec![vec![]; 20];
    rows.push(header());
    rows.push(line("2026001", &ALL_A));
    assert!(read_grid_sheet(&sheet("Grille", &rows), FILE, "grille", &r, &s).is_none());
    rows.remove(0);
    assert!(read_grid_sheet(&sheet("Grille", &rows), FILE, "grille", &r, &s).is_some());
}

// ---------------------------------------------------------------------------------------
// Headers

#[test]
fn criterion_headers_match_spaced_codes_titles_and_aliases() {
    let mut h = vec![
        "N° de candidat",
        "CR 1.1",
        "Cr1.2 – Le budget défini est cohérent",
    ];
    h.extend(&CODES[2..11]);
    h.push("C6.2. Le candidat démontre les liens");
    let mut l = vec!["2026001"];
    l.extend(ALL_A);
    let s = wide_with("Grille", &["Évaluateur", PAUL], h, &[l]);
    let grid = read(&s);
    assert_eq!(found(&grid), []);
    let row = &grid.rows[0];
    assert_eq!(levels(row), vec![Some(1); 12]);
    assert_eq!(row.levels[0].as_ref().unwrap().a1(), "B6");
    assert_eq!(row.levels[11].as_ref().unwrap().a1(), "M6");
}

#[test]
fn cr1_10_is_never_taken_for_cr1_1() {
    // In the seed, Cr1.10 is no criterion: an unknown header, and Cr1.1 is missing.
    let mut h = header();
    h[3] = "Cr1.10";
    let s = wide_with(
        "Grille",
        &["Évaluateur", PAUL],
        h,
        &[line("2026001", &ALL_A)],
    );
    let grid = read(&s);
    assert_eq!(
        found(&grid),
        [
            (Code::UnknownCriterion, Some("D5")),
            (Code::MissingCriterionColumn, Some("A5")),
        ]
    );
    assert_eq!(grid.findings[1].criterion.as_deref(), Some("Cr1.1"));
    assert_eq!(grid.rows[0].levels[0], None);

    // Where both exist, each header finds its own criterion, in any column order.
    let s = sheet(
        "Paul Durand",
        &[
            vec!["N° candidat", "Cr1.10", "Cr1.2", "Cr1.1"],
            vec!["2026001", "NV", "EC", "V"],
        ],
    );
    let grid = read_with(&s, "grille", &small());
    assert_eq!(found(&grid), []);
    assert_eq!(levels(&grid.rows[0]), [Some(2), Some(1), Some(0)]);
    assert_eq!(
        level_cells(&grid.rows[0]),
        [Some("D2".into()), Some("C2".into()), Some("B2".into())]
    );
}

#[test]
fn an_unknown_criterion_header_is_reported_at_its_cell() {
    let mut h = header();
    h.push("Cr7.1");
    h.push("Total");
    let mut l = line("2026001", &ALL_A);
    l.extend(["", "A", "12"]);
    let s = wide_with("Grille", &["Évaluateur", PAUL], h, &[l]);
    let grid = read(&s);
    // « Total » is no criterion code: a column that is not read, said so (v1.2).
    assert_eq!(
        found(&grid),
        [
            (Code::UnknownCriterion, Some("Q5")),
            (Code::ExtraColumn, Some("R5"))
        ]
    );
    let f = &grid.findings[0];
    assert_eq!(
        f.message,
        "L'en-tête « Cr7.1 » ne correspond à aucun critère du référentiel."
    );
    assert_eq!(f.sheet.as_deref(), Some("Grille"));
    assert_eq!(levels(&grid.rows[0]), vec![Some(1); 12]);
}

#[test]
fn a_missing_criterion_column_is_one_finding_per_column_not_per_row() {
    let h: Vec<&str> = header()
        .into_iter()
        .filter(|c| *c != "Cr2" && *c != "Cr4")
        .collect();
    let ten = ["A"; 10];
    let s = wide_with(
        "Grille",
        &["Évaluateur", PAUL],
        h,
        &[
            line("2026001", &ten),
            line("2026002", &ten),
            line("2026003", &ten),
        ],
    );
    let grid = read(&s);
    assert_eq!(
        found(&grid),
        [
            (Code::MissingCriterionColumn, Some("A5")),
            (Code::MissingCriterionColumn, Some("A5")),
        ]
    );
    let criteria: Vec<Option<&str>> = grid
        .findings
        .iter()
        .map(|f| f.criterion.as_deref())
        .collect();
    assert_eq!(criteria, [Some("Cr2"), Some("Cr4")]);
    assert_eq!(grid.findings[0].juror.as_deref(), Some(PAUL));
    assert_eq!(
        grid.findings[0].message,
        "La colonne du critère Cr2 est absente de cette grille."
    );
    assert_eq!(grid.rows.len(), 3);
    for row in &grid.rows {
        assert_eq!(row.kind, RowKind::Graded);
        assert_eq!(row.levels[5], None);
        assert_eq!(row.levels[8], None);
        assert_eq!(row.levels.iter().flatten().count(), 10);
    }
}

// ---------------------------------------------------------------------------------------
// Levels

#[test]
fn levels_match_codes_labels_aliases_case_spaces_numbers_and_ticks() {
    let cells = [
        "A",
        "na",
        " Acquis ",
        "NON ACQUIS",
        "acquis\u{a0} ",
        "oui",
        "✓",
        "X",
        "✗",
        "1",
        "0",
        "Acquis.",
    ];
    let mut s = wide("Grille", &["Évaluateur", PAUL], &[line("2026001", &cells)]);
    assert_eq!(s.get(5, 12), &Value::Number(1.0));
    s.set(5, 13, Value::Text("0".into()));
    let grid = read(&s);
    assert_eq!(found(&grid), []);
    assert_eq!(
        levels(&grid.rows[0]),
        [1, 0, 1, 0, 1, 1, 1, 1, 0, 1, 0, 1].map(Some)
    );
}

#[test]
fn levels_match_accented_labels_and_numbers_on_a_longer_scale() {
    let s = sheet(
        "Paul Durand",
        &[
            vec!["N° candidat", "Cr1.1", "Cr1.2", "Cr1.10"],
            vec!["2026001", "VALIDE", "non valide", "En Cours"],
            vec!["2026002", "2", "1", "0"],
            vec!["2026003", "Validé ", "ok", "1,0"],
        ],
    );
    let grid = read_with(&s, "grille", &small());
    assert_eq!(found(&grid), []);
    let all: Vec<Vec<Option<usize>>> = grid.rows.iter().map(levels).collect();
    assert_eq!(
        all,
        [
            [Some(2), Some(0), Some(1)],
            [Some(2), Some(1), Some(0)],
            [Some(2), Some(2), Some(1)],
        ]
    );
}

#[test]
fn a_misspelt_level_is_invalid_with_a_suggestion() {
    let mut cells = ALL_A;
    cells[1] = "Aquis";
    let s = wide("Grille", &["Évaluateur", PAUL], &[line("2026001", &cells)]);
    let grid = read(&s);
    assert_eq!(found(&grid), [(Code::InvalidLevel, Some("E6"))]);
    let f = &grid.findings[0];
    assert_eq!(
        f.message,
        "Niveau « Aquis » non reconnu pour le candidat 2026001, critère Cr1.2."
    );
    assert_eq!(f.hint.as_deref(), Some("Vouliez-vous dire « Acquis » ?"));
    assert_eq!(f.candidate.as_deref(), Some("2026001"));
    assert_eq!(f.criterion.as_deref(), Some("Cr1.2"));
    assert_eq!(f.juror.as_deref(), Some(PAUL));
    assert_eq!(f.file.as_deref(), Some(FILE));
    assert_eq!(f.sheet.as_deref(), Some("Grille"));
    let row = &grid.rows[0];
    assert_eq!(row.kind, RowKind::Graded);
    assert_eq!(row.levels[1], None);
    assert_eq!(row.levels.iter().flatten().count(), 11);
}

#[test]
fn a_number_that_is_no_level_value_is_invalid() {
    let mut cells = ALL_A;
    cells[0] = "2";
    cells[1] = "0.5";
    let s = wide("Grille", &["Évaluateur", PAUL], &[line("2026001", &cells)]);
    let grid = read(&s);
    assert_eq!(
        found(&grid),
        [
            (Code::InvalidLevel, Some("D6")),
            (Code::InvalidLevel, Some("E6"))
        ]
    );
    assert_eq!(
        grid.findings[0].message,
        "Niveau « 2 » non reconnu pour le candidat 2026001, critère Cr1.1."
    );
    assert_eq!(
        grid.findings[1].message,
        "Niveau « 0.5 » non reconnu pour le candidat 2026001, critère Cr1.2."
    );
    assert_eq!(
        grid.findings[0].hint.as_deref(),
        Some("Niveaux acceptés : Non acquis, Acquis, ou ABS en cas d'absence.")
    );
}

#[test]
fn error_and_date_cells_are_invalid_levels() {
    let mut s = wide(
        "Grille",
        &["Évaluateur", PAUL],
        &[line("2026001", &ALL_A), line("2026002", &ALL_A)],
    );
    s.set(5, 6, Value::Error("#N/A".into()));
    s.set(6, 4, Value::Date(Date::new(2026, 7, 3).unwrap()));
    let grid = read(&s);
    assert_eq!(
        found(&grid),
        [
            (Code::InvalidLevel, Some("G6")),
            (Code::InvalidLevel, Some("E7"))
        ]
    );
    assert_eq!(
        grid.findings[0].message,
        "Niveau « #N/A » non reconnu pour le candidat 2026001, critère Cr1.4."
    );
    assert_eq!(grid.findings[0].criterion.as_deref(), Some("Cr1.4"));
    assert_eq!(
        grid.findings[1].message,
        "Niveau « 03/07/2026 » non reconnu pour le candidat 2026002, critère Cr1.2."
    );
    assert_eq!(grid.findings[1].candidate.as_deref(), Some("2026002"));
    assert_eq!(grid.rows[0].levels[3], None);
    assert_eq!(grid.rows[1].levels[1], None);
}

#[test]
fn an_empty_cell_is_a_missing_level_at_that_cell() {
    let mut cells = ALL_A;
    cells[1] = "";
    let mut s = wide(
        "Grille",
        &["Évaluateur", PAUL],
        &[line("2026001", &ALL_A), line("2026002", &cells)],
    );
    s.set(5, 14, Value::Text("   ".into()));
    let grid = read(&s);
    assert_eq!(
        found(&grid),
        [
            (Code::MissingLevel, Some("O6")),
            (Code::MissingLevel, Some("E7"))
        ]
    );
    let f = &grid.findings[1];
    assert_eq!(f.candidate.as_deref(), Some("2026002"));
    assert_eq!(f.criterion.as_deref(), Some("Cr1.2"));
    assert_eq!(f.juror.as_deref(), Some(PAUL));
    assert_eq!(
        f.message,
        "Niveau manquant pour le candidat 2026002, critère Cr1.2."
    );
    assert_eq!(grid.rows[1].kind, RowKind::Graded);
    assert_eq!(grid.rows[1].levels[1], None);
}

#[test]
fn a_row_with_every_level_empty_is_ungraded() {
    let s = wide(
        "Grille",
        &["Évaluateur", PAUL],
        &[line("2026001", &ALL_A), line("2026002", &[])],
    );
    let grid = read(&s);
    assert_eq!(found(&grid), [(Code::UngradedRow, Some("A7"))]);
    let f = &grid.findings[0];
    assert_eq!(f.severity(), crate::finding::Severity::Warning);
    assert_eq!(f.candidate.as_deref(), Some("2026002"));
    assert_eq!(f.juror.as_deref(), Some(PAUL));
    assert_eq!(grid.rows[1].kind, RowKind::Ungraded);
    assert!(grid.rows[1].levels.iter().all(Option::is_none));
}

#[test]
fn a_row_marked_abs_everywhere_is_absent() {
    let mut cells = ["ABS"; 12];
    cells[3] = "absent";
    cells[7] = " Abs ";
    let s = wide("Grille", &["Évaluateur", PAUL], &[line("2026001", &cells)]);
    let grid = read(&s);
    assert_eq!(found(&grid), []);
    assert_eq!(grid.rows[0].kind, RowKind::Absent);
    assert!(grid.rows[0].levels.iter().all(Option::is_none));
}

#[test]
fn a_partial_absence_is_one_finding_at_the_id_cell_without_missing_levels() {
    let cells = [
        "ABS", "ABS", "ABS", "", "", "A", "A", "NA", "ABS", "", "A", "A",
    ];
    let s = wide(
        "Grille",
        &["Évaluateur", PAUL],
        &[line("2026001", &ALL_A), line("2026002", &cells)],
    );
    let grid = read(&s);
    assert_eq!(found(&grid), [(Code::PartialAbsence, Some("A7"))]);
    let f = &grid.findings[0];
    assert_eq!(f.candidate.as_deref(), Some("2026002"));
    assert_eq!(
        f.message,
        "Le candidat 2026002 est marqué ABS sur 4 critères seulement dans la grille de Paul Durand."
    );
    let row = &grid.rows[1];
    assert_eq!(row.kind, RowKind::Graded);
    assert_eq!(
        levels(row),
        [
            None,
            None,
            None,
            None,
            None,
            Some(1),
            Some(1),
            Some(0),
            None,
            None,
            Some(1),
            Some(1)
        ]
    );
}

#[test]
fn levels_without_a_candidate_id_are_a_missing_field() {
    let s = wide(
        "Grille",
        &["Évaluateur", PAUL],
        &[line("2026001", &ALL_A), vec![], line("", &ALL_A)],
    );
    let grid = read(&s);
    assert_eq!(found(&grid), [(Code::MissingField, Some("A8"))]);
    assert_eq!(grid.rows.len(), 1);
}

// ---------------------------------------------------------------------------------------
// Long layout

/// A long grid for one candidate: one row per criterion, with the given level.
fn long_rows<'a>(id: &'a str, juror: Option<&'a str>, levels: &[&'a str]) -> Vec<Vec<&'a str>> {
    CODES
        .iter()
        .zip(levels)
        .map(|(code, level)| {
            let mut row = vec![id];
            row.extend(juror);
            row.extend([*code, *level]);
            row
        })
        .collect()
}

#[test]
fn a_long_grid_takes_its_juror_from_the_label_and_accepts_aliases() {
    let mut rows: Vec<Vec<&str>> = vec![
        vec!["Évaluateur : Paul Durand"],
        vec!["N° candidat", "Critère", "Niveau", "Commentaire"],
    ];
    let mut body = long_rows("2026001", None, &ALL_A);
    body[11][1] = "C6.2";
    body[0].push("Bonne soutenance");
    rows.extend(body);
    let grid = read(&sheet("Feuil1", &rows));
    assert_eq!(found(&grid), []);
    assert_eq!(grid.rows.len(), 1);
    let row = &grid.rows[0];
    assert_eq!(row.juror, PAUL);
    assert_eq!(row.candidate, "2026001");
    assert_eq!(row.id_cell.a1(), "A3");
    assert_eq!(row.kind, RowKind::Graded);
    assert_eq!(levels(row), vec![Some(1); 12]);
    assert_eq!(row.levels[0].as_ref().unwrap().a1(), "C3");
    assert_eq!(row.levels[11].as_ref().unwrap().a1(), "C14");
    assert_eq!(row.comment.as_deref(), Some("Bonne soutenance"));
}

#[test]
fn a_long_grid_with_an_evaluateur_column_gives_one_grid_per_juror() {
    let mut rows: Vec<Vec<&str>> = vec![vec!["N° candidat", "Évaluateur", "Critère", "Résultat"]];
    rows.extend(long_rows("2026001", Some("claire martin"), &ALL_A));
    rows.extend(long_rows("2026001", Some("PAUL DURAND"), &["NA"; 12]));
    let grid = read(&sheet("Feuil1", &rows));
    assert_eq!(found(&grid), []);
    let jurors: Vec<(&str, &str, bool)> = grid
        .rows
        .iter()
        .map(|r| (r.juror.as_str(), r.candidate.as_str(), r.known_juror))
        .collect();
    assert_eq!(jurors, [(CLAIRE, "2026001", true), (PAUL, "2026001", true)]);
    assert_eq!(levels(&grid.rows[0]), vec![Some(1); 12]);
    assert_eq!(levels(&grid.rows[1]), vec![Some(0); 12]);
    assert_eq!(grid.rows[1].levels[0].as_ref().unwrap().a1(), "D14");
}

#[test]
fn an_unknown_juror_in_the_evaluateur_column_is_reported_once_at_its_cell() {
    let mut rows: Vec<Vec<&str>> = vec![vec!["N° candidat", "Juré", "Critère", "Niveau"]];
    rows.extend(long_rows("2026001", Some("Paul Durant"), &ALL_A));
    let grid = read(&sheet("Feuil1", &rows));
    assert_eq!(found(&grid), [(Code::UnknownJuror, Some("B2"))]);
    assert_eq!(grid.findings[0].juror.as_deref(), Some("Paul Durant"));
    assert_eq!(
        grid.findings[0].hint.as_deref(),
        Some("Vouliez-vous dire « Paul Durand » ?")
    );
    assert_eq!(grid.rows[0].juror, "Paul Durant");
    assert!(!grid.rows[0].known_juror);
}

#[test]
fn a_criterion_graded_twice_in_a_long_grid_is_a_duplicate_level() {
    let mut rows: Vec<Vec<&str>> = vec![vec!["N° candidat", "Critère", "Niveau"]];
    rows.extend(long_rows("2026001", None, &ALL_A));
    rows.push(vec!["2026001", "Cr1.3", "NA"]);
    let grid = read(&sheet("Paul Durand", &rows));
    assert_eq!(found(&grid), [(Code::DuplicateLevel, Some("A14"))]);
    let f = &grid.findings[0];
    assert_eq!(f.criterion.as_deref(), Some("Cr1.3"));
    assert_eq!(f.candidate.as_deref(), Some("2026001"));
    assert_eq!(f.juror.as_deref(), Some(PAUL));
    assert_eq!(
        grid.rows[0].levels[2].as_ref().map(|g| (g.level, g.a1())),
        Some((1, "C4".to_string())),
        "the first level stands"
    );
}

#[test]
fn an_unknown_criterion_in_a_long_grid_suggests_the_near_code() {
    let mut rows: Vec<Vec<&str>> = vec![vec!["N° candidat", "Critère", "Niveau"]];
    rows.extend(long_rows("2026001", None, &ALL_A));
    rows.push(vec!["2026001", "Cr6.22", "A"]);
    let grid = read(&sheet("Paul Durand", &rows));
    assert_eq!(found(&grid), [(Code::UnknownCriterion, Some("B14"))]);
    let f = &grid.findings[0];
    assert_eq!(
        f.message,
        "Le critère « Cr6.22 » n'existe pas dans le référentiel."
    );
    assert_eq!(f.hint.as_deref(), Some("Vouliez-vous dire « Cr6.2 » ?"));
    assert_eq!(levels(&grid.rows[0]), vec![Some(1); 12]);
}

#[test]
fn a_criterion_without_a_row_in_a_long_grid_is_a_missing_level() {
    let mut rows: Vec<Vec<&str>> = vec![vec!["N° candidat", "Critère", "Niveau"]];
    let mut body = long_rows("2026001", None, &ALL_A);
    body.remove(5);
    rows.extend(body);
    let grid = read(&sheet("Paul Durand", &rows));
    assert_eq!(found(&grid), [(Code::MissingLevel, Some("A2"))]);
    assert_eq!(grid.findings[0].criterion.as_deref(), Some("Cr2"));
    assert_eq!(grid.rows[0].levels[5], None);
}

#[test]
fn long_grid_levels_are_read_like_wide_ones() {
    let mut rows: Vec<Vec<&str>> = vec![vec!["N° candidat", "Critère", "Niveau"]];
    let mut cells = ["ABS"; 12];
    cells[1] = "";
    rows.extend(long_rows("2026001", None, &cells));
    let mut cells = ALL_A;
    cells[4] = "Aquis";
    cells[6] = "";
    rows.extend(long_rows("2026002", None, &cells));
    let grid = read(&sheet("Paul Durand", &rows));
    assert_eq!(
        found(&grid),
        [
            (Code::PartialAbsence, Some("A2")),
            (Code::InvalidLevel, Some("C18")),
            (Code::MissingLevel, Some("C20")),
        ]
    );
    assert_eq!(
        grid.findings[1].hint.as_deref(),
        Some("Vouliez-vous dire « Acquis » ?")
    );
}

#[test]
fn a_long_grid_with_abs_rows_and_a_criterion_without_a_row_is_a_partial_absence() {
    // Wide layout: ABS in 11 cells and one empty cell is one partial-absence at the id
    // cell, without missing-level (section 4: ABS "must then fill every criterion cell of
    // that row, or the row is a partial-absence error"; section 10: root causes only).
    let mut cells = ["ABS"; 12];
    cells[5] = "";
    let wide_grid = read(&wide(
        "Grille",
        &["Évaluateur", PAUL],
        &[line("2026001", &cells)],
    ));
    assert_eq!(found(&wide_grid), [(Code::PartialAbsence, Some("A6"))]);
    assert_eq!(wide_grid.rows[0].kind, RowKind::Graded);

    // Long layout, the same grid with the Cr2 row left out.
    let mut rows: Vec<Vec<&str>> = vec![vec!["N° candidat", "Critère", "Niveau"]];
    let mut body = long_rows("2026001", None, &["ABS"; 12]);
    body.remove(5);
    rows.extend(body);
    let grid = read(&sheet("Paul Durand", &rows));
    assert_eq!(found(&grid), [(Code::PartialAbsence, Some("A2"))]);
    assert_eq!(grid.rows[0].kind, RowKind::Graded);
}

#[test]
fn an_empty_criterion_cell_in_a_long_grid_is_a_missing_field() {
    // Section 10, "Which cell": missing-field points at the empty required cell; the
    // criterion is required in a long grid (section 5).
    let mut rows: Vec<Vec<&str>> = vec![vec!["N° candidat", "Critère", "Niveau"]];
    rows.extend(long_rows("2026001", None, &ALL_A));
    rows.push(vec!["2026001", "", "A"]);
    let grid = read(&sheet("Paul Durand", &rows));
    assert_eq!(found(&grid), [(Code::MissingField, Some("B14"))]);
}

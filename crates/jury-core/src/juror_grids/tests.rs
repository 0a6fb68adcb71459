//! Uniting a juror's sheets, on grids read from sheets built in memory: a small referential
//! of three criteria (columns B, C, D), the id in column A, the header on row 2.

use super::*;
use crate::grids::read_grid_sheet;
use crate::session::SessionConfig;
use crate::sheet::sheet_from_text;

use crate::session::TEST_SESSION as SESSION;

const REFERENTIAL: &str = r#"
code = "RS9999"
title = "Essai"

[scale]
levels = [
  { code = "NA", label = "Non acquis", value = 0 },
  { code = "A", label = "Acquis", value = 1 },
]
pass = "A"

[certification]
rule = "all"

[[competencies]]
code = "C1"
title = "Un"
rule = "all"
  [[competencies.criteria]]
  code = "Cr1"
  title = "a"
  [[competencies.criteria]]
  code = "Cr2"
  title = "b"
  [[competencies.criteria]]
  code = "Cr3"
  title = "c"
"#;

fn referential() -> Referential {
    Referential::parse(REFERENTIAL, "r.toml").unwrap()
}

/// Claire's grid in `file`: the label on row 1, the header on row 2, then `lines`.
fn grid(file: &str, lines: &[[&str; 4]]) -> GridSheet {
    let mut rows: Vec<Vec<&str>> = vec![
        vec!["Évaluateur :", "Claire Martin"],
        vec!["N° candidat", "Cr1", "Cr2", "Cr3"],
    ];
    rows.extend(lines.iter().map(|l| l.to_vec()));
    let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    let sheet = sheet_from_text("Grille", &rows);
    let session = SessionConfig::parse(SESSION, "session.toml").unwrap();
    read_grid_sheet(&sheet, file, "grille", &referential(), &session).unwrap()
}

/// A long grid in `file`: header on row 1, then (id, juror, criterion, level) lines.
fn long(file: &str, lines: &[[&str; 4]]) -> GridSheet {
    let mut rows: Vec<Vec<&str>> = vec![vec!["N° candidat", "Évaluateur", "Critère", "Niveau"]];
    rows.extend(lines.iter().map(|l| l.to_vec()));
    let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    let sheet = sheet_from_text("Niveaux", &rows);
    let session = SessionConfig::parse(SESSION, "session.toml").unwrap();
    read_grid_sheet(&sheet, file, "niveaux", &referential(), &session).unwrap()
}

fn codes(united: &JurorGrids) -> Vec<(Code, String, String)> {
    let mut found: Vec<_> = united
        .findings
        .iter()
        .map(|f| {
            (
                f.code,
                f.file.clone().unwrap_or_default(),
                f.cell.clone().unwrap_or_default(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn levels_of_one_row_in_two_files_are_one_row_with_each_cell_where_it_was_read() {
    let grids = [
        grid("a.xlsx", &[["1", "A", "", ""]]),
        grid("b.xlsx", &[["1", "", "NA", "A"]]),
    ];
    let united = unite(&grids, &referential());
    assert_eq!(codes(&united), []);
    let rows: Vec<&GridRow> = united.rows().collect();
    assert_eq!(rows.len(), 1);
    let row = rows[0];
    let cells: Vec<String> = row
        .levels
        .iter()
        .map(|g| {
            let cell = row.cell_of(g.as_ref().unwrap());
            format!("{}!{}", cell.file, cell.a1())
        })
        .collect();
    assert_eq!(cells, ["a.xlsx!B3", "b.xlsx!C3", "b.xlsx!D3"]);
    assert!(matches!(united.places[0], Place::United(0)));
}

#[test]
fn a_criterion_in_both_is_a_duplicate_level_and_absent_against_graded_a_duplicate_row() {
    let grids = [
        grid("a.xlsx", &[["1", "A", "", ""], ["2", "ABS", "ABS", "ABS"]]),
        grid("b.xlsx", &[["1", "NA", "A", "A"], ["2", "A", "A", "A"]]),
    ];
    let united = unite(&grids, &referential());
    assert_eq!(
        codes(&united),
        [
            (Code::DuplicateCandidate, "b.xlsx".into(), "A4".into()),
            (Code::DuplicateLevel, "b.xlsx".into(), "B3".into()),
        ]
    );
    let rows: Vec<&GridRow> = united.rows().collect();
    let first = rows[0];
    assert_eq!(
        first.levels[0].as_ref().map(|g| g.level),
        Some(1),
        "the first level counts"
    );
    assert_eq!(rows[1].kind, RowKind::Graded, "the levels count over ABS");
}

#[test]
fn a_copy_is_ignored_with_its_findings_and_rows_of_one_file_are_only_borrowed() {
    let lines = [["1", "A", "A", ""], ["2", "A", "A", "A"]];
    let grids = [grid("g.xlsx", &lines), grid("g (1).xlsx", &lines)];
    let united = unite(&grids, &referential());
    assert_eq!(
        codes(&united),
        [
            (Code::MissingLevel, "g.xlsx".into(), "D3".into()),
            (Code::DuplicateGrid, "g (1).xlsx".into(), String::new()),
        ]
    );
    assert_eq!(united.rows().count(), 2);
    assert!(united.places.iter().all(|p| matches!(p, Place::Read(_))));
    assert!(united.rows().all(|r| r.id_cell.file.as_ref() == "g.xlsx"));
}

#[test]
fn copies_are_recognised_by_their_names() {
    for copy in [
        "grilles/grille (1).xlsx",
        "grilles/grille(2).ods",
        "grilles/Copie de grille.xlsx",
        "grilles/grille - Copie.xlsx",
        "grilles/grille - Copie (2).xlsx",
        "grilles/Copy of grille.xlsx",
    ] {
        assert!(looks_like_a_copy(copy), "{copy}");
    }
    for original in [
        "grilles/grille.xlsx",
        "grilles/grille-complement.xlsx",
        "grilles/()",
    ] {
        assert!(!looks_like_a_copy(original), "{original}");
    }
}

#[test]
fn a_copied_long_sheet_of_two_jurors_is_one_finding_naming_both() {
    let mut lines = Vec::new();
    for juror in ["Claire Martin", "Paul Durand"] {
        for criterion in ["Cr1", "Cr2", "Cr3"] {
            lines.push(["1", juror, criterion, "A"]);
        }
    }
    let grids = [long("n.xlsx", &lines), long("Copie de n.xlsx", &lines)];
    let united = unite(&grids, &referential());
    assert_eq!(
        codes(&united),
        [(Code::DuplicateGrid, "Copie de n.xlsx".into(), String::new())]
    );
    let finding = &united.findings[0];
    assert!(
        finding.message.contains("« Copie de n.xlsx » est une copie de « n.xlsx » (grilles de Claire Martin, Paul Durand"),
        "{}",
        finding.message
    );
    assert_eq!(finding.juror, None);
    assert_eq!(united.rows().count(), 2);
    assert!(united.rows().all(|r| r.id_cell.file.as_ref() == "n.xlsx"));
}

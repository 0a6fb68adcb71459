//! Grid audit, end to end: the real binary on sessions written at test time. Each test
//! starts from a clean two-juror session (`Session::with`: Claire Martin and Paul Durand,
//! every level « Acquis », built-in referential, session date 27/11/2026), changes one thing,
//! and checks the warnings of `jury check --format json` (`uniform-grid`, `juror-bias`,
//! `formula-level`, `hidden-level`, `modified-after-session`) or the `Statistiques` sheet of
//! `jury run`.

use std::path::{Path, PathBuf};

use calamine::Data;
use tempfile::TempDir;

use crate::common::*;

const NA: &str = "Non acquis";

/// `(file, sheet, cell, juror)` of a warning, as [`Report::warnings_at`] gives them.
fn loc(file: &str, sheet: &str, cell: &str, juror: &str) -> (String, String, String, String) {
    (file.into(), sheet.into(), cell.into(), juror.into())
}

// ---------------------------------------------------------------------------------------------
// uniform-grid
// ---------------------------------------------------------------------------------------------

#[test]
fn one_level_everywhere_over_ten_candidates_is_a_uniform_grid() {
    // Paul gives « Non acquis » to every criterion of 2026003: his grid is not uniform;
    // Claire's « Acquis » everywhere over 10 candidates is.
    let r = Session::with(10).levels_in(PAUL, 6, 0..12, NA).check();
    assert_eq!(r.status, Some(0), "{r}");
    assert_eq!(
        r.warnings_at("uniform-grid"),
        [loc(CLAIRE, GRID, "", "Claire Martin")]
    );
    let f = r.one_warning("uniform-grid");
    assert!(
        f.message.contains(
            "Claire Martin a donné le niveau « Acquis » à tous les critères de ses 10 candidats"
        ),
        "{}",
        f.message
    );
}

#[test]
fn nine_candidates_are_too_few_for_a_uniform_grid() {
    let r = Session::with(9).check();
    assert_eq!(r.status, Some(0), "{r}");
    assert_eq!(r.warning_codes(), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// juror-bias
// ---------------------------------------------------------------------------------------------

#[test]
fn a_much_stricter_juror_is_reported_and_so_is_the_other() {
    // 3 candidates × 12 criteria shared; Paul gives « Non acquis » to 6 criteria of each:
    // 18/36 = 50 % acquired for him, 100 % for Claire: a 50-point gap over 36 items.
    let mut s = Session::with(3);
    for row in 4..=6 {
        s = s.levels_in(PAUL, row, 0..6, NA);
    }
    let r = s.check();
    assert_eq!(r.status, Some(0), "{r}");
    assert_eq!(
        r.warnings_at("juror-bias"),
        [
            loc(CLAIRE, GRID, "", "Claire Martin"),
            loc(PAUL, GRID, "", "Paul Durand")
        ]
    );
    let paul = r
        .warnings()
        .into_iter()
        .find(|f| f.code == "juror-bias" && f.juror == "Paul Durand")
        .unwrap();
    assert!(
        paul.message
            .contains("Les niveaux de Paul Durand sont nettement plus sévères")
            && paul
                .message
                .contains("50 % de niveaux acquis contre 100 % pour les autres")
            && paul
                .message
                .contains("sur 36 critères notés en commun (3 candidats)"),
        "{}",
        paul.message
    );
    let claire = r
        .warnings()
        .into_iter()
        .find(|f| f.code == "juror-bias" && f.juror == "Claire Martin")
        .unwrap();
    assert!(
        claire
            .message
            .contains("Les niveaux de Claire Martin sont nettement plus indulgents"),
        "{}",
        claire.message
    );
}

#[test]
fn a_small_gap_or_few_shared_items_is_no_bias() {
    // 2 of 12 criteria per candidate: 17 points, under 25.
    let mut s = Session::with(3);
    for row in 4..=6 {
        s = s.levels_in(PAUL, row, 0..2, NA);
    }
    assert!(!s
        .check()
        .warning_codes()
        .contains(&"juror-bias".to_string()));
    // One candidate: 12 shared items only, however large the gap.
    let r = Session::with(1).levels_in(PAUL, 4, 0..12, NA).check();
    assert!(
        !r.warning_codes().contains(&"juror-bias".to_string()),
        "{}",
        r
    );
}

// ---------------------------------------------------------------------------------------------
// formula-level
// ---------------------------------------------------------------------------------------------

#[test]
fn a_formula_in_a_level_cell_is_reported_at_the_cell_and_its_level_counts() {
    // D4: a formula whose cached value is « Acquis »; D5: one whose cached value is
    // « Non acquis », which Paul gives too: 2026002 is then not certified.
    let r = Session::with(2)
        .set(CLAIRE, GRID, "D4", formula("=\"Acquis\"", "Acquis"))
        .set(CLAIRE, GRID, "D5", formula("=\"Non \"&\"acquis\"", NA))
        .set(PAUL, GRID, "D5", NA)
        .check();
    assert_eq!(r.status, Some(0), "{r}");
    assert_eq!(
        r.warnings_at("formula-level"),
        [
            loc(CLAIRE, GRID, "D4", "Claire Martin"),
            loc(CLAIRE, GRID, "D5", "Claire Martin")
        ]
    );
    assert_eq!(r.warning_codes(), ["formula-level"]);
    let d4 = r.warnings().into_iter().find(|f| f.cell == "D4").unwrap();
    assert_eq!(
        (d4.candidate.as_str(), d4.criterion.as_str()),
        ("2026001", "Cr1.1")
    );
    assert!(
        d4.message.contains("« Acquis », est retenue"),
        "{}",
        d4.message
    );
    assert_eq!(
        (r.summary("certified"), r.summary("not_certified")),
        (1, 1),
        "the cached levels count"
    );
}

#[test]
fn formulas_in_one_row_are_one_finding_listing_the_cells() {
    let acquis = || formula("=\"Acquis\"", "Acquis");
    let r = Session::with(2)
        .set(PAUL, GRID, "E5", acquis())
        .set(PAUL, GRID, "G5", acquis())
        .check();
    let f = r.one_warning("formula-level");
    assert_eq!((f.cell.as_str(), f.candidate.as_str()), ("E5", "2026002"));
    assert!(
        f.message
            .contains("2 niveaux du candidat 2026002 sont calculés par une formule (E5, G5)"),
        "{}",
        f.message
    );
}

// ---------------------------------------------------------------------------------------------
// hidden-level
// ---------------------------------------------------------------------------------------------

#[test]
fn a_level_in_a_hidden_row_is_reported_at_its_first_level_cell() {
    let r = Session::with(2).hide_row(CLAIRE, GRID, 5).check();
    assert_eq!(r.status, Some(0), "{r}");
    assert_eq!(
        r.warnings_at("hidden-level"),
        [loc(CLAIRE, GRID, "D5", "Claire Martin")]
    );
    let f = r.one_warning("hidden-level");
    assert_eq!(f.candidate, "2026002");
    assert!(
        f.message.contains(
            "La ligne 5 (candidat 2026002) est masquée : 12 niveaux y sont lus et comptent"
        ),
        "{}",
        f.message
    );
    assert_eq!(r.summary("certified"), 2, "hidden levels still count");
}

#[test]
fn a_hidden_column_and_a_hidden_sheet_are_one_finding_each() {
    // Column E (Cr1.2) of Paul's grid; Claire's whole grid sheet.
    let r = Session::with(2)
        .hide_column(PAUL, GRID, "E")
        .hide_sheet(CLAIRE, GRID)
        .check();
    assert_eq!(r.status, Some(0), "{r}");
    assert_eq!(
        r.warnings_at("hidden-level"),
        [
            loc(CLAIRE, GRID, "D4", "Claire Martin"),
            loc(PAUL, GRID, "E4", "Paul Durand")
        ]
    );
    let messages: Vec<String> = r
        .warnings()
        .into_iter()
        .filter(|f| f.code == "hidden-level")
        .map(|f| f.message)
        .collect();
    for expected in [
        "La feuille « Grille » est masquée : 24 niveaux y sont lus et comptent.",
        "La colonne E est masquée : 2 niveaux y sont lus et comptent.",
    ] {
        assert!(
            messages.iter().any(|m| m.starts_with(expected)),
            "{messages:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// modified-after-session
// ---------------------------------------------------------------------------------------------

#[test]
fn a_grid_saved_after_the_session_date_is_reported_with_the_date() {
    let s = Session::with(2).saved(PAUL, (2026, 11, 30, 9));
    // rust_xlsxwriter writes the creation date as dcterms:modified too: check it did.
    let core = zip_part(s.xlsx_bytes(PAUL), "docProps/core.xml");
    assert!(
        core.contains(">2026-11-30T09:00:00Z</dcterms:modified>"),
        "{core}"
    );
    let r = s.check();
    assert_eq!(r.status, Some(0), "{r}");
    assert_eq!(
        r.warnings_at("modified-after-session"),
        [loc(PAUL, "", "", "")]
    );
    let f = r.one_warning("modified-after-session");
    assert!(
        f.message
            .contains("enregistrée le 30/11/2026, après la date du jury (27/11/2026)"),
        "{}",
        f.message
    );
}

#[test]
fn a_grid_saved_on_the_session_day_or_before_is_fine() {
    let r = Session::with(2)
        .saved(PAUL, (2026, 11, 27, 23))
        .saved(CLAIRE, (2026, 10, 2, 8))
        .check();
    assert_eq!(r.status, Some(0), "{r}");
    assert_eq!(r.warning_codes(), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// The same marks in an .ods grid made by LibreOffice
// ---------------------------------------------------------------------------------------------

/// The session of the ODS fixture. Claire's grid: a formula in D4, row 5 (2026002) and
/// column F (Cr1.3) hidden, saved on 30/11/2026.
fn ods_fixture_session() -> Session {
    Session::with(2)
        .set(CLAIRE, GRID, "D4", formula("=\"Acquis\"", "Acquis"))
        .hide_row(CLAIRE, GRID, 5)
        .hide_column(CLAIRE, GRID, "F")
        .saved(CLAIRE, (2026, 11, 30, 9))
}

/// Writes the `.xlsx` original of `tests/fixtures/grid-audit/grille-claire-martin.ods` into
/// `$JURY_FIXTURE_DIR` (run by that folder's `make.sh`).
#[test]
#[ignore = "writes a fixture original; run by tests/fixtures/grid-audit/make.sh"]
fn write_the_ods_fixture_original() {
    let dir = std::env::var_os("JURY_FIXTURE_DIR").expect("JURY_FIXTURE_DIR is set");
    let bytes = ods_fixture_session().xlsx_bytes(CLAIRE);
    std::fs::write(Path::new(&dir).join("grille-claire-martin.xlsx"), bytes).unwrap();
}

#[test]
fn xlsx_and_ods_grids_give_the_same_audit_findings() {
    // Column F hides F4 and F5 (the column comes first); row 5 hides the 11 others.
    let expected = |file: &str| {
        vec![
            (
                "formula-level".to_string(),
                loc(file, GRID, "D4", "Claire Martin"),
            ),
            (
                "hidden-level".to_string(),
                loc(file, GRID, "D5", "Claire Martin"),
            ),
            (
                "hidden-level".to_string(),
                loc(file, GRID, "F4", "Claire Martin"),
            ),
            ("modified-after-session".to_string(), loc(file, "", "", "")),
        ]
    };
    let found = |r: &Report| {
        let mut all: Vec<_> = r
            .warnings()
            .into_iter()
            .map(|f| (f.code, (f.file, f.sheet, f.cell, f.juror)))
            .collect();
        all.sort();
        all
    };
    let xlsx = ods_fixture_session().check();
    assert_eq!(found(&xlsx), expected(CLAIRE), "{xlsx}");

    let ods = "grilles/grille-claire-martin.ods";
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/grid-audit/grille-claire-martin.ods");
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("session");
    ods_fixture_session().write_to(&dir);
    std::fs::remove_file(dir.join(CLAIRE)).unwrap();
    std::fs::copy(&fixture, dir.join(ods)).unwrap();
    let r = check_json(&dir);
    assert_eq!(found(&r), expected(ods), "{r}");
    let messages: Vec<String> = r.warnings().into_iter().map(|f| f.message).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("La ligne 5 (candidat 2026002) est masquée : 11 niveaux")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("enregistrée le 30/11/2026")),
        "{messages:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Statistiques
// ---------------------------------------------------------------------------------------------

/// The rows of a sheet as text; numbers rounded to 3 decimals.
fn rounded_rows(path: &Path, name: &str) -> Vec<Vec<String>> {
    sheet_cells(path, name)
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => format!("{f:.3}"),
                    other => cell_text(other),
                })
                .collect()
        })
        .collect()
}

/// `jury run <dir> --out <tmp>/out`, returning the Statistiques rows.
fn statistics_of(dir: &Path, tmp: &TempDir) -> Vec<Vec<String>> {
    let out_dir: PathBuf = tmp.path().join("out");
    let out = run(&[
        "run".as_ref(),
        dir.as_os_str(),
        "--out".as_ref(),
        out_dir.as_os_str(),
    ]);
    assert_eq!(out.status, Some(0), "{out}");
    rounded_rows(&out_dir.join("synthese.xlsx"), "Statistiques")
}

/// The row whose first cell is `first`, from its second cell on.
fn row_of<'a>(rows: &'a [Vec<String>], first: &str) -> &'a [String] {
    rows.iter()
        .rev()
        .find(|r| r.first().is_some_and(|c| c == first))
        .map(|r| &r[1..])
        .unwrap_or_else(|| panic!("no row {first:?} in {rows:?}"))
}

#[test]
fn statistics_show_pair_and_criterion_kappas_computed_by_hand() {
    // 4 candidates × 12 criteria, Claire (C) and Paul (P); « strictest » settles every
    // disagreement, so `run` decides without deliberation.
    //   2026001, 2026002: A/A everywhere                      → 24 A/A
    //   2026003: Cr1.1–Cr2 A/A (6), Cr3.1–Cr5 C A / P NA (4), Cr6.1–Cr6.2 C NA / P A (2)
    //   2026004: NA/NA everywhere                             → 12 NA/NA
    // Pair: A/A 30, A/NA 4, NA/A 2, NA/NA 12 (48 items)
    //   p_o = 42/48 = 0.875; C: A 34/48, NA 14/48; P: A 32/48, NA 16/48
    //   p_e = (34×32 + 14×16) / 48² = 1312/2304 = 0.569444
    //   κ = (0.875 − 0.569444) / (1 − 0.569444) = 0.305556 / 0.430556 = 0.709677
    // Cr1.1: A/A, A/A, A/A, NA/NA: p_o = 1; p_e = 0.75² + 0.25² = 0.625; κ = 1
    // Cr3.1: A/A, A/A, A/NA, NA/NA: p_o = 0.75; C A 3/4, P A 2/4
    //   p_e = 0.75×0.5 + 0.25×0.5 = 0.5; κ = (0.75 − 0.5) / 0.5 = 0.5
    // Cr6.2: A/A, A/A, NA/A, NA/NA: p_o = 0.75; C A 2/4, P A 3/4; p_e = 0.5; κ = 0.5
    let s = Session::with(4)
        .toml_edit("aggregation = \"consensus\"", "aggregation = \"strictest\"")
        .levels_in(PAUL, 6, 6..10, NA)
        .levels_in(CLAIRE, 6, 10..12, NA)
        .levels_in(CLAIRE, 7, 0..12, NA)
        .levels_in(PAUL, 7, 0..12, NA);
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("session");
    s.write_to(&dir);
    let rows = statistics_of(&dir, &tmp);
    assert!(rows.iter().any(|r| r[0] == "Accord entre évaluateurs"));
    assert!(rows
        .iter()
        .any(|r| r[0].starts_with("Lecture du kappa (Landis et Koch, 1977)")));
    assert_eq!(
        row_of(&rows, "Claire Martin / Paul Durand")[..4],
        ["48.000", "0.875", "0.710", "fort"]
    );
    assert_eq!(
        row_of(&rows, "Cr1.1")[..5],
        [
            "4.000",
            "1.000",
            "1.000",
            "presque parfait",
            "Cohen (deux évaluateurs)"
        ]
    );
    assert_eq!(
        row_of(&rows, "Cr3.1")[..5],
        [
            "4.000",
            "0.750",
            "0.500",
            "modéré",
            "Cohen (deux évaluateurs)"
        ]
    );
    assert_eq!(row_of(&rows, "Cr6.2")[1..3], ["0.750", "0.500"]);
}

#[test]
fn statistics_of_the_demo_session() {
    // samples/session-demo: sub-jury A (Claire, Paul) on 12 present candidates, sub-jury B
    // (Claire, Sophie) on 11.
    // Claire / Paul: 144 items; NA/NA 3 (2026004 Cr1.2, 2026009 Cr4 and Cr5), one dispute
    //   (2026011 Cr3.2: Claire A, Paul NA), A/A 140.
    //   p_o = 143/144; p_e = (141×140 + 3×4) / 144² = 19752/20736
    //   κ = (20592 − 19752) / (20736 − 19752) = 840/984 = 0.853659
    // Claire / Sophie: 132 items, all agreed (7 NA/NA): κ = 1.
    // Cr3.2: 23 candidates, two jurors each but not always the same two: Fleiss.
    //   22 items [0 NA, 2 A], one [1, 1]: P̄ = 22/23; p_NA = 1/46, p_A = 45/46
    //   P̄e = (1 + 2025) / 2116 = 2026/2116; κ = (2024 − 2026) / (2116 − 2026) = −2/90 = −0.0222
    // Cr1.1: « Acquis » from everyone: no kappa.
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/session-demo");
    let tmp = TempDir::new().unwrap();
    let rows = statistics_of(&sample, &tmp);
    assert_eq!(
        row_of(&rows, "Claire Martin / Paul Durand")[..4],
        ["144.000", "0.993", "0.854", "presque parfait"]
    );
    assert_eq!(
        row_of(&rows, "Claire Martin / Sophie Bernard")[..4],
        ["132.000", "1.000", "1.000", "presque parfait"]
    );
    assert_eq!(
        row_of(&rows, "Cr3.2")[..5],
        [
            "23.000",
            "0.957",
            "-0.022",
            "accord élevé, kappa peu significatif",
            "Fleiss (2 évaluateurs par candidat)"
        ]
    );
    assert!(
        rows.iter().flatten().all(|c| c != "désaccord"),
        "96 % of identical levels is never read as disagreement (kappa paradox)"
    );
    assert!(rows
        .iter()
        .any(|r| r[0].contains("paradoxe du kappa") && r[0].contains("90 %")));
    assert_eq!(row_of(&rows, "Cr1.1")[..3], ["23.000", "1.000", "—"]);
}

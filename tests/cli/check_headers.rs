//! « No column is silently lost » (section 4 of the contract, v1.2): headers typed the way
//! secretaries type them are read; a header that is read by no field is always a finding,
//! an error when it looks like the prerequisites or the birth date.
//!
//! The regression behind it: a candidates file with a column « Prérequis OK ? » that `jury`
//! did not recognise; every candidate stayed recevable by default, and one whose cell said
//! « non » received a certificate.

use std::path::Path;

use tempfile::TempDir;

use crate::common::*;

/// The default candidates with these five headers (id, last name, first name, birth date,
/// prerequisites) and Bruno's prerequisites cell saying « non ».
fn candidates_headed(headers: [&str; 5]) -> Rows {
    let mut out = candidate_rows();
    out[0] = headers.iter().map(|h| Cell::from(*h)).collect();
    out[2][4] = Cell::from("non");
    out
}

/// Writes `session` into a temporary folder as `session/` and runs `jury` there.
fn jury_on(session: &Session, args: &[&str]) -> (TempDir, Report) {
    let tmp = TempDir::new().expect("a temporary folder");
    session.write_to(&tmp.path().join("session"));
    let report = jury_in(tmp.path(), args, &[]);
    (tmp, report)
}

fn results(tmp: &TempDir) -> std::path::PathBuf {
    tmp.path().join("session").join("resultats")
}

#[test]
fn candidate_header_variants_are_read() {
    for headers in [
        ["N°", "NOM", "Prénom(s)", "Date de naiss.", "Prérequis OK ?"],
        [
            "No",
            "Nom de famille",
            "Prénoms",
            "Né(e) le",
            "Prérequis validés ?",
        ],
        [
            "Num.",
            "Nom du candidat",
            "Prénom du candidat",
            "Date naissance",
            "Pré-requis",
        ],
        [
            "N° de candidat",
            "Nom",
            "Prénom",
            "Née le",
            "Prérequis (oui/non)",
        ],
        ["Numéro du candidat", "Nom", "Prénom", "Né le", "Recevable"],
    ] {
        let mut rows = candidates_headed(headers);
        rows[0].push(Cell::from("Né(e) à"));
        rows[1].push(Cell::from("Lyon"));
        // Bruno is non-recevable: his grid rows are not needed, nothing else is reported
        // (an unread birth date would be a missing mention of Alice's certificate).
        Session::new()
            .book(CANDIDATES, "Candidats", rows)
            .check()
            .assert(0, &[])
            .assert_outcomes([1, 0, 0, 1, 0]);
    }
}

#[test]
fn birth_place_variants_are_read_and_a_lookalike_is_not_an_error() {
    for header in [
        "Né(e) à",
        "Née à",
        "Né à",
        "Lieu naissance",
        "Ville de naissance",
    ] {
        let mut rows = candidate_rows();
        rows[0].push(Cell::from(header));
        Session::new()
            .book(CANDIDATES, "Candidats", rows)
            .check()
            .assert(0, &[]);
    }
}

/// The regression itself: with the variant read, the candidate whose cell says « non » is
/// non-recevable in the manifest and gets no certificate.
#[test]
fn prerequisites_ok_non_is_non_recevable_and_never_certified() {
    let session = Session::new().book(
        CANDIDATES,
        "Candidats",
        candidates_headed([
            "N° candidat",
            "Nom",
            "Prénom",
            "Date de naissance",
            "Prérequis OK ?",
        ]),
    );
    let (tmp, run) = jury_on(&session, &["run", "session"]);
    assert_eq!(run.status, Some(0), "{run}");
    let manifest = json_file(&results(&tmp).join("manifest.json"));
    let bruno = manifest["candidates"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["id"] == "2026002"))
        .unwrap_or_else(|| panic!("2026002 in the manifest: {manifest}"));
    assert_eq!(bruno["decision"], "non-recevable", "{bruno}");
    assert!(bruno["certificate"].is_null(), "{bruno}");
    let certificates = results(&tmp).join("certificats");
    assert!(certificates.join("CM-2026-11-2026001.pdf").is_file());
    assert!(!certificates.join("CM-2026-11-2026002.pdf").exists());
}

/// Headers that look like the prerequisites (or the birth date) without being read:
/// an error at the header cell naming the field and its headers; no run, no grid.
#[test]
fn a_prerequisites_lookalike_blocks_check_run_and_grids() {
    for header in [
        "Prérequis (oui/non) à vérifier",
        "Prérequis non validés",
        "Pré-requis manquants",
        "Non recevable",
    ] {
        let mut rows = candidates_headed(["N° candidat", "Nom", "Prénom", "Date de naissance", ""]);
        rows[0][4] = Cell::from(header);
        let session = Session::new().book(CANDIDATES, "Candidats", rows);
        let report = session.check();
        report.assert(1, &[("unrecognised-column", CANDIDATES, "Candidats", "E1")]);
        let found = report.one("unrecognised-column");
        assert!(
            found.message.contains(&format!("« {header} »"))
                && found.message.contains("« Prérequis »")
                && found.message.contains("« Prérequis validés »")
                && found.message.contains("recevables"),
            "{report}"
        );

        let (tmp, run) = jury_on(&session, &["run", "session"]);
        assert_eq!(run.status, Some(1), "{run}");
        assert!(run.stderr.contains("unrecognised-column"), "{run}");
        assert!(!results(&tmp).exists(), "nothing written\n{run}");

        let (tmp, grids) = jury_on(&session, &["grids", "session", "--out", "blank"]);
        assert_eq!(grids.status, Some(1), "{grids}");
        assert!(grids.stderr.contains("unrecognised-column"), "{grids}");
        assert!(
            !tmp.path().join("blank").exists(),
            "no grid written\n{grids}"
        );
    }
}

#[test]
fn a_birth_date_lookalike_is_an_error_at_its_cell() {
    for header in ["Date et lieu de naissance", "Naissance", "Né(e) le / à"] {
        let mut rows = candidate_rows();
        rows[0][3] = Cell::from(header);
        let report = Session::new().book(CANDIDATES, "Candidats", rows).check();
        report.assert(1, &[("unrecognised-column", CANDIDATES, "Candidats", "D1")]);
        let found = report.one("unrecognised-column");
        assert!(
            found.message.contains("« Date de naissance »")
                && found.message.contains("« Né(e) le »"),
            "{report}"
        );
    }
}

/// A lookalike beside the column that is read is only a warning: nothing is lost.
#[test]
fn a_lookalike_beside_the_read_column_warns() {
    let mut rows = candidate_rows();
    rows[0].push(Cell::from("Commentaire prérequis"));
    let report = Session::new().book(CANDIDATES, "Candidats", rows).check();
    report.assert(0, &[("extra-column", CANDIDATES, "Candidats", "F1")]);
    let found = report.one("extra-column");
    assert!(found.message.contains("colonne E"), "{report}");
}

#[test]
fn an_extra_column_warns_at_its_cell_with_the_near_field() {
    let mut rows = candidate_rows();
    rows[0].push(Cell::from("Lieu de naisance"));
    let report = Session::new().book(CANDIDATES, "Candidats", rows).check();
    report.assert(0, &[("extra-column", CANDIDATES, "Candidats", "F1")]);
    let found = report.one("extra-column");
    assert!(
        found
            .message
            .contains("Vouliez-vous dire « Lieu de naissance » ?"),
        "{report}"
    );
}

#[test]
fn ordinary_extra_columns_warn_once_each_and_jury_is_known() {
    let extras = [
        "Financeur",
        "Date d'inscription",
        "Code postal",
        "Groupe",
        "Total acquis",
        "Jury",
    ];
    let mut rows = candidate_rows();
    rows[0].extend(extras.map(Cell::from));
    let report = Session::new().book(CANDIDATES, "Candidats", rows).check();
    report.assert(
        0,
        &[
            ("extra-column", CANDIDATES, "Candidats", "F1"),
            ("extra-column", CANDIDATES, "Candidats", "G1"),
            ("extra-column", CANDIDATES, "Candidats", "H1"),
            ("extra-column", CANDIDATES, "Candidats", "I1"),
            ("extra-column", CANDIDATES, "Candidats", "J1"),
        ],
    );
    for found in report.findings() {
        assert!(!found.message.contains("Vouliez-vous dire"), "{report}");
    }
}

#[test]
fn a_second_column_for_one_field_warns() {
    let mut rows = candidate_rows();
    rows[0].push(Cell::from("Prénom"));
    let report = Session::new().book(CANDIDATES, "Candidats", rows).check();
    report.assert(0, &[("extra-column", CANDIDATES, "Candidats", "F1")]);
    assert!(report.one("extra-column").message.contains("colonne C"));
}

#[test]
fn a_missing_required_header_lists_the_accepted_ones() {
    let mut rows = candidate_rows();
    rows[0][2] = Cell::from("Petit nom");
    let report = Session::new().book(CANDIDATES, "Candidats", rows).check();
    let missing = report
        .findings()
        .into_iter()
        .find(|f| f.code == "missing-field" && f.cell == "A1")
        .unwrap_or_else(|| panic!("missing-field at A1\n{report}"));
    assert!(
        missing.message.contains("« Prénom »") && missing.message.contains("« Prénom(s) »"),
        "{report}"
    );
}

#[test]
fn grid_header_variants_are_read() {
    let mut claire = wide_grid("Claire Martin", &PEOPLE, "Acquis");
    claire[2][0] = Cell::from("N°");
    claire[2][1] = Cell::from("NOM");
    claire[2][2] = Cell::from("Prénom(s)");
    claire[2].push(Cell::from("Remarques"));
    claire[3].push(Cell::from("Très bon dossier"));
    let mut long = vec![row![
        "Numéro du candidat",
        "Nom",
        "Juré",
        "Code du critère",
        "Niveau obtenu",
        "Commentaire du jury"
    ]];
    for (id, last, _) in PEOPLE {
        for criterion in CRITERIA {
            long.push(row![id, last, "Paul Durand", criterion, "Acquis", ""]);
        }
    }
    Session::new()
        .book(CLAIRE, GRID, claire)
        .book(PAUL, GRID, long)
        .check()
        .assert(0, &[])
        .assert_outcomes([2, 0, 0, 0, 0]);
}

#[test]
fn grid_columns_that_are_not_read_warn() {
    let mut claire = wide_grid("Claire Martin", &PEOPLE, "Acquis");
    claire[2].extend(["Total", "Observatons", "Cr1.1"].map(Cell::from));
    let mut long = long_grid(&long_lines("2026001", "Paul Durand", "Acquis"));
    long.extend(
        long_lines("2026002", "Paul Durand", "Acquis")
            .iter()
            .map(|l| l.map(Cell::from).to_vec()),
    );
    long[0].push(Cell::from("Date"));
    let report = Session::new()
        .book(CLAIRE, GRID, claire)
        .book(PAUL, GRID, long)
        .check();
    report.assert(
        0,
        &[
            ("extra-column", CLAIRE, GRID, "P3"),
            ("extra-column", CLAIRE, GRID, "Q3"),
            ("extra-column", CLAIRE, GRID, "R3"),
            ("extra-column", PAUL, GRID, "E1"),
        ],
    );
    let by_cell = |cell: &str| {
        report
            .findings()
            .into_iter()
            .find(|f| f.cell == cell && f.file == CLAIRE)
            .unwrap_or_else(|| panic!("a finding at {cell}\n{report}"))
    };
    assert!(by_cell("Q3")
        .message
        .contains("Vouliez-vous dire « Observations » ?"));
    assert!(by_cell("R3").message.contains("colonne D"));
    assert_eq!(by_cell("P3").juror, "Claire Martin");
}

#[test]
fn deliberation_header_variants_are_read_and_others_warn() {
    let deliberation = vec![
        row![
            "N° du candidat",
            "Nom",
            "Compétence ou certification",
            "Décision du jury",
            "Motif de la décision",
            "Signature"
        ],
        row![
            "2026001",
            "Durand",
            "Certification",
            "Non certifiée",
            "Fraude constatée",
            "CM"
        ],
    ];
    Session::new()
        .book(DELIBERATION, "Délibération", deliberation)
        .check()
        .assert(0, &[("extra-column", DELIBERATION, "Délibération", "F1")])
        .assert_outcomes([1, 1, 0, 0, 0]);
}

#[test]
fn missing_deliberation_columns_list_the_accepted_headers() {
    let deliberation = vec![
        row!["N° candidat", "Compétence", "Avis"],
        row!["2026001", "C1", "Validé"],
    ];
    let report = Session::new()
        .book(DELIBERATION, "Délibération", deliberation)
        .check();
    let missing = report.one("invalid-deliberation");
    assert!(
        missing
            .message
            .starts_with("Les colonnes « Décision », « Motif » sont absentes")
            && missing.message.contains("« Décision du jury »")
            && missing.message.contains("« Motivation »"),
        "{report}"
    );
}

#[test]
fn insufficient_grids_names_the_juror_and_the_grid_file() {
    let report = Session::new().delete_row(PAUL, GRID, 5).check();
    report.assert(1, &[("insufficient-grids", CANDIDATES, "Candidats", "A3")]);
    let found = report.one("insufficient-grids");
    assert_eq!(found.juror, "Paul Durand", "{report}");
    assert_eq!(
        found.message.split(" Ajoutez").next(),
        Some(
            "Le candidat 2026002 n'a qu'une grille (Claire Martin) ; il en faut 2 (min_jurors) : \
             sa ligne manque dans la grille de Paul Durand (grilles/grille-paul-durand.xlsx)."
        ),
        "{report}"
    );
}

#[test]
fn insufficient_grids_points_at_an_empty_row() {
    let report = Session::new().levels(PAUL, 5, "").check();
    let found = report.one("insufficient-grids");
    assert!(
        found.message.contains(
            "sa ligne est vide dans la grille de Paul Durand (grilles/grille-paul-durand.xlsx, A5)"
        ),
        "{report}"
    );
}

/// A header fixture saved by LibreOffice (see tests/fixtures/headers/make.sh): the same
/// variants read from `.ods`.
#[test]
fn header_variants_read_from_an_ods_candidates_file() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/headers/candidats-variantes.ods");
    if !fixture.is_file() {
        panic!("missing fixture {}", fixture.display());
    }
    let bytes = std::fs::read(&fixture).expect("the fixture");
    Session::new()
        .remove(CANDIDATES)
        .file("candidats.ods", bytes)
        .toml_edit("[session]", "[session]\ncandidates = \"candidats.ods\"")
        .check()
        .assert(0, &[])
        .assert_outcomes([1, 0, 0, 1, 0]);
}

/// A grid whose id column has a header `jury` does not know is not skipped as « no grid »:
/// one `missing-field` at its header row lists the accepted headers, and nobody is said to
/// lack a grid because of it.
#[test]
fn a_grid_without_a_known_id_header_is_reported_not_skipped() {
    let report = Session::new().set(PAUL, GRID, "A3", "Réf.").check();
    report.assert(1, &[("missing-field", PAUL, GRID, "A3")]);
    let found = report.one("missing-field");
    assert_eq!(found.juror, "Paul Durand", "{report}");
    assert!(
        found.message.contains("« N° candidat »") && found.message.contains("aucun de ses niveaux"),
        "{report}"
    );
}

#[test]
fn a_long_grid_without_a_known_level_header_is_reported_not_skipped() {
    let mut long = long_grid(&long_lines("2026001", "Paul Durand", "Acquis"));
    long.extend(
        long_lines("2026002", "Paul Durand", "Acquis")
            .iter()
            .map(|l| l.map(Cell::from).to_vec()),
    );
    long[0][3] = Cell::from("Niv. atteint");
    let report = Session::new().book(PAUL, GRID, long).check();
    report.assert(1, &[("missing-field", PAUL, GRID, "A1")]);
    let found = report.one("missing-field");
    assert!(
        found.message.contains("pas de colonne de niveau")
            && found.message.contains("« Niveau obtenu »"),
        "{report}"
    );
}

/// With sub-juries, only the jurors the candidate is assigned to (`Jury` column) are said
/// to miss a row.
#[test]
fn insufficient_grids_names_only_the_assigned_jurors() {
    let mut rows = candidate_rows();
    rows[0].push(Cell::from("Jury"));
    rows[1].push(Cell::from(""));
    rows[2].push(Cell::from("Paul Durand"));
    let report = Session::new()
        .book(CANDIDATES, "Candidats", rows)
        .delete_row(CLAIRE, GRID, 5)
        .delete_row(PAUL, GRID, 5)
        .check();
    let found = report.one("insufficient-grids");
    assert_eq!(found.candidate, "2026002", "{report}");
    assert!(
        found
            .message
            .contains("sa ligne manque dans la grille de Paul Durand")
            && !found.message.contains("Claire Martin"),
        "{report}"
    );
}

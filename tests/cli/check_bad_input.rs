//! Inputs that cannot be read: corrupt, encrypted, empty or mislabelled workbooks, a missing
//! session folder or file, broken TOML. Each gives a clear message naming the file (and the
//! line and column when known), exit status 2, the JSON report still printed, and never a
//! panic (the runner in `common.rs` fails any run whose stderr mentions one).

use std::path::Path;

use crate::common::*;

/// The clean default session of `common.rs`.
fn clean() -> Session {
    Session::new()
}

/// The one `unreadable-workbook` finding, at `file`, with exit status 2; its message.
#[track_caller]
fn unreadable(r: &Report, file: &str) -> String {
    r.assert(2, &[("unreadable-workbook", file, "", "")]);
    let message = r.one("unreadable-workbook").message;
    assert!(
        message.contains(&format!("« {file} »")),
        "names the file\n{r}"
    );
    message
}

fn bad_fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/bad")
            .join(name),
    )
    .expect("a committed fixture")
}

// ---------------------------------------------------------------------------------------------
// Workbooks
// ---------------------------------------------------------------------------------------------

#[test]
fn random_bytes() {
    // Deterministic noise that starts like nothing known.
    let noise: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let r = clean().file(PAUL, noise).check();
    let message = unreadable(&r, PAUL);
    assert!(message.contains("n'est pas un classeur"), "{r}");
}

#[test]
fn a_truncated_zip() {
    let mut bytes = clean().xlsx_bytes(PAUL);
    bytes.truncate(bytes.len() / 2);
    let r = clean().file(PAUL, bytes).check();
    let message = unreadable(&r, PAUL);
    assert!(message.contains("endommagé"), "{r}");
}

#[test]
fn a_zip_whose_sheet_is_garbled() {
    // A valid zip directory, but the sheet's compressed bytes are flipped.
    let mut bytes = clean().xlsx_bytes(PAUL);
    let marker = b"xl/worksheets/sheet1.xml";
    let at = bytes
        .windows(marker.len())
        .position(|w| w == marker)
        .expect("a sheet entry");
    let data = at + marker.len();
    for b in &mut bytes[data..data + 40] {
        *b ^= 0x5A;
    }
    let r = clean().file(PAUL, bytes).check();
    unreadable(&r, PAUL);
}

#[test]
fn a_zip_that_is_not_a_workbook() {
    // A zip's local header naming a text file, and nothing of a workbook.
    let mut zip = b"PK\x03\x04".to_vec();
    zip.extend_from_slice(&[0; 26]);
    zip.extend_from_slice(b"notes.txt");
    let r = clean().file(PAUL, zip).check();
    let message = unreadable(&r, PAUL);
    assert!(message.contains("archive zip sans classeur"), "{r}");
}

#[test]
fn an_encrypted_workbook_says_it_is_password_protected() {
    // Made by tests/fixtures/make-fixtures.sh, password « jury »: the .xlsx encrypted as
    // Excel does (msoffcrypto-tool), the .ods and .xls saved with a password by LibreOffice.
    for extension in ["xlsx", "ods", "xls"] {
        let file = format!("grilles/grille-paul-durand.{extension}");
        let bytes = bad_fixture(&format!("grille-chiffree.{extension}"));
        let r = clean().remove(PAUL).file(&file, bytes).check();
        let message = unreadable(&r, &file);
        assert!(message.contains("protégé par un mot de passe"), "{r}");
    }
}

#[test]
fn an_encrypted_workbook_is_recognised_whatever_its_extension() {
    let r = clean()
        .file(PAUL, bad_fixture("grille-chiffree.ods"))
        .check();
    assert!(
        unreadable(&r, PAUL).contains("protégé par un mot de passe"),
        "{r}"
    );
}

#[test]
fn an_empty_file() {
    let r = clean().file(PAUL, Vec::new()).check();
    let message = unreadable(&r, PAUL);
    assert!(message.contains("vide (0 octet)"), "{r}");
}

#[test]
fn an_html_page_saved_as_xlsx() {
    let page =
        "<!DOCTYPE html>\n<html><body><table><tr><td>N° candidat</td></tr></table></body></html>\n";
    let r = clean().file(PAUL, page).check();
    let message = unreadable(&r, PAUL);
    assert!(message.contains("page HTML"), "{r}");
}

#[test]
fn a_csv_text_saved_as_xls() {
    let text = "N° candidat;Nom;Prénom\n2026001;Durand;Alice\n";
    let r = clean()
        .remove(PAUL)
        .file("grilles/grille-paul-durand.xls", text)
        .check();
    let message = unreadable(&r, "grilles/grille-paul-durand.xls");
    assert!(message.contains("fichier texte"), "{r}");
}

#[test]
fn a_pdf_saved_as_xlsx() {
    let r = clean().file(PAUL, "%PDF-1.7\n%âãÏÓ\n1 0 obj\n").check();
    let message = unreadable(&r, PAUL);
    assert!(message.contains("document PDF"), "{r}");
}

#[test]
fn a_word_document_saved_as_xlsx() {
    let r = clean().file(PAUL, bad_fixture("lettre.docx")).check();
    let message = unreadable(&r, PAUL);
    assert!(message.contains("document Word"), "{r}");
}

#[test]
fn an_opendocument_text_saved_as_ods() {
    let file = "grilles/grille-paul-durand.ods";
    let r = clean()
        .remove(PAUL)
        .file(file, bad_fixture("texte.odt"))
        .check();
    let message = unreadable(&r, file);
    assert!(message.contains("document texte OpenDocument"), "{r}");
}

#[test]
fn an_xlsx_named_xls_is_read_from_its_bytes() {
    clean()
        .rename(PAUL, "grilles/grille-paul-durand.xls")
        .rename(CLAIRE, "grilles/grille-claire-martin.ods")
        .check()
        .assert(0, &[])
        .assert_outcomes([2, 0, 0, 0, 0]);
}

#[test]
fn an_ods_named_xlsx_is_read_from_its_bytes() {
    let ods = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/formats/ods-session/grilles/grille-paul-durand.ods"),
    )
    .unwrap();
    // The fixture grid grades 2026001 to 2026003 (2026003 absent, a name that differs for
    // 2026002); only 2026001 and 2026002 are candidates here.
    let r = clean().file(PAUL, ods).check();
    assert!(r.codes().contains(&"unknown-candidate".to_string()), "{r}");
    assert!(
        !r.codes().contains(&"unreadable-workbook".to_string()),
        "{r}"
    );
}

#[test]
fn an_unreadable_candidates_file() {
    let r = clean().file(CANDIDATES, "not a workbook").check();
    assert_eq!(r.status, Some(2), "{r}");
    let f = r.one("unreadable-workbook");
    assert_eq!(f.file, CANDIDATES, "{r}");
    assert!(f.message.contains("« candidats.xlsx »"), "{r}");
}

#[test]
fn an_unreadable_candidates_file_is_the_only_finding() {
    let r = clean().file(CANDIDATES, "not a workbook").check();
    unreadable(&r, CANDIDATES);
}

#[test]
fn a_missing_candidates_file() {
    let r = clean().remove(CANDIDATES).check();
    assert_eq!(r.status, Some(2), "{r}");
    let f = r.one("unreadable-workbook");
    assert_eq!(f.file, CANDIDATES, "{r}");
    assert!(f.message.contains("fichier introuvable"), "{r}");
}

#[test]
fn an_unreadable_workbook_says_what_to_do() {
    let r = clean().file(CANDIDATES, "not a workbook").check();
    let message = unreadable(&r, CANDIDATES);
    assert!(
        message.ends_with(" (fichier texte). Ouvrez le fichier dans Excel ou LibreOffice et enregistrez-le au format .xlsx ou .ods, ou retirez-le du dossier."),
        "{r}"
    );
    let r = clean().remove(CANDIDATES).check();
    assert!(
        r.one("unreadable-workbook")
            .message
            .contains("fichier introuvable. Vérifiez que le fichier existe"),
        "{r}"
    );
}

#[test]
fn a_missing_grids_folder_is_a_folder_not_found_in_french() {
    let r = clean()
        .toml_edit("[session]", "[session]\ngrids = \"notes\"")
        .check();
    assert_eq!(r.status, Some(1), "{r}");
    let f = r.one("no-grid");
    assert!(
        f.message
            .starts_with("Le dossier des grilles « notes » ne peut pas être lu : dossier introuvable. Créez ce dossier"),
        "{r}"
    );
    for english in ["No such", "os error", "fichier introuvable"] {
        assert!(!r.stdout.contains(english), "{english}\n{r}");
    }
}

#[test]
fn an_unreadable_deliberation_file() {
    let r = clean().file(DELIBERATION, Vec::new()).check();
    unreadable(&r, DELIBERATION);
}

#[test]
fn one_unreadable_grid_among_several_keeps_the_others_checked() {
    let r = clean()
        .file("grilles/grille-sophie-bernard.xlsx", Vec::new())
        .set(CLAIRE, GRID, "E5", "")
        .delete_row(PAUL, GRID, 5)
        .check();
    // 2026002 has one grid only, but an unreadable grid may hold its second: no
    // insufficient-grids.
    r.assert(
        2,
        &[
            ("missing-level", CLAIRE, GRID, "E5"),
            (
                "unreadable-workbook",
                "grilles/grille-sophie-bernard.xlsx",
                "",
                "",
            ),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// The session folder and its TOML files
// ---------------------------------------------------------------------------------------------

#[test]
fn a_missing_session_folder() {
    let tmp = tempfile::TempDir::new().unwrap();
    let missing = tmp.path().join("session-absente");
    let r = check_json(&missing);
    assert_eq!(r.status, Some(2), "{r}");
    let f = r.one("invalid-config");
    assert!(
        f.message.contains("session-absente"),
        "names the folder\n{r}"
    );
    assert_eq!(r.json.as_ref().unwrap()["ok"], false, "{r}");
}

#[test]
fn the_path_of_session_toml_is_understood_as_its_folder() {
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("session");
    clean().write_to(&dir);
    let r = check_json(&dir.join("session.toml"));
    r.assert(0, &[]);
    assert_eq!(r.summary("candidates"), 2, "{r}");
}

#[test]
fn a_file_outside_any_session_folder_is_not_a_session() {
    let tmp = tempfile::TempDir::new().unwrap();
    let file = tmp.path().join("notes.txt");
    std::fs::write(&file, "texte").unwrap();
    let r = check_json(&file);
    assert_eq!(r.status, Some(2), "{r}");
    assert!(r.one("invalid-config").message.contains("notes.txt"), "{r}");
}

#[test]
fn a_missing_session_toml() {
    let r = clean().toml(None).check();
    r.assert(2, &[("invalid-config", "session.toml", "", "")]);
    assert!(
        r.one("invalid-config")
            .message
            .contains("fichier introuvable"),
        "{r}"
    );
}

#[test]
fn a_broken_session_toml_names_line_and_column() {
    // Line 4: a date with a typo.
    let r = clean()
        .toml_edit("date = 2026-11-27", "date = 2026-11-27x")
        .check();
    r.assert(2, &[("invalid-config", "session.toml", "", "")]);
    let f = r.one("invalid-config");
    assert_eq!(f.line, Some(4), "{r}");
    assert!(f.column.is_some_and(|c| c >= 1), "{r}");
}

#[test]
fn an_unclosed_string_in_session_toml() {
    let r = clean()
        .toml_edit("place = \"Lyon\"", "place = \"Lyon")
        .check();
    r.assert(2, &[("invalid-config", "session.toml", "", "")]);
    assert_eq!(r.one("invalid-config").line, Some(5), "{r}");
}

#[test]
fn a_session_toml_that_is_not_utf8() {
    let latin1: Vec<u8> = SESSION_TOML
        .replace("Présidente", "Pr\u{0}sidente")
        .bytes()
        .map(|b| if b == 0 { 0xE9 } else { b })
        .collect();
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("session");
    clean().write_to(&dir);
    std::fs::write(dir.join("session.toml"), latin1).unwrap();
    let r = check_json(&dir);
    r.assert(2, &[("invalid-config", "session.toml", "", "")]);
    assert!(r.one("invalid-config").message.contains("UTF-8"), "{r}");
}

#[test]
fn a_broken_toml_prints_line_and_column_in_the_text_report() {
    let r = clean()
        .toml_edit("min_jurors = 2", "min_jurors = deux")
        .check_text();
    assert_eq!(r.status, Some(2), "{r}");
    assert!(r.stdout.contains("session.toml\n"), "{r}");
    assert!(
        r.stdout
            .contains("[invalid-config] ligne 22, colonne 14 : "),
        "{r}"
    );
    assert!(
        r.stdout
            .contains("→ Écrivez un nombre entier, sans guillemets : min_jurors = 2"),
        "{r}"
    );
}

#[test]
fn a_broken_referential_file_names_line_and_column() {
    let text = "code = \"RS9999\"\ntitle = \"Test\"\n[scale\nlevels = []\n";
    let r = clean()
        .toml_edit("\"community-management\"", "\"my-ref.toml\"")
        .file("my-ref.toml", text)
        .check();
    r.assert(2, &[("invalid-referential", "my-ref.toml", "", "")]);
    let f = r.one("invalid-referential");
    assert_eq!(f.line, Some(3), "{r}");
    assert!(f.column.is_some(), "{r}");
}

#[test]
fn a_referential_in_a_sub_folder() {
    let text = include_str!("../../templates/referentials/community-management.toml");
    clean()
        .toml_edit("\"community-management\"", "\"referentiels/cm.toml\"")
        .file("referentiels/cm.toml", text)
        .check()
        .assert(0, &[])
        .assert_outcomes([2, 0, 0, 0, 0]);
}

#[test]
fn a_missing_referential_file() {
    let r = clean()
        .toml_edit("\"community-management\"", "\"my-ref.toml\"")
        .check();
    r.assert(2, &[("invalid-referential", "my-ref.toml", "", "")]);
    assert!(
        r.one("invalid-referential").message.contains("introuvable"),
        "{r}"
    );
}

#[test]
fn the_json_report_is_printed_even_for_an_unreadable_input() {
    let r = clean().file(PAUL, "x").check();
    let json = r.json.as_ref().expect("JSON on stdout");
    assert_eq!(json["ok"], false, "{r}");
    assert!(json["summary"]["errors"].as_u64() >= Some(1), "{r}");
}

//! The exact French text of `session.toml` mistakes as secretaries make them: each report
//! must lead to the line to write (`tests/golden/toml-*.txt`; bless with `JURY_BLESS=1`).

use tempfile::TempDir;

use crate::common::*;
use crate::golden::assert_golden;

/// The text report of `jury check` on the default session with one edit of `session.toml`.
fn report_with(from: &str, to: &str) -> String {
    let r = Session::new().toml_edit(from, to).check_text();
    assert_eq!(r.status, Some(2), "{r}");
    r.stdout
}

#[test]
fn a_date_written_the_french_way_leads_to_the_iso_line() {
    let out = report_with("date = 2026-11-27", "date = 27/11/2026");
    assert!(out.contains("date = 2026-11-27"), "{out}");
    assert_golden("toml-date-french", &out);
}

#[test]
fn a_date_between_quotes_leads_to_the_line_without_quotes() {
    let out = report_with("date = 2026-11-27", "date = \"2026-11-27\"");
    assert!(out.contains("date = 2026-11-27"), "{out}");
    assert_golden("toml-date-quoted", &out);
}

#[test]
fn an_unknown_key_names_the_key_meant() {
    let out = report_with("place = \"Lyon\"", "plce = \"Lyon\"");
    assert!(out.contains("Vouliez-vous dire `place` ?"), "{out}");
    assert_golden("toml-unknown-key", &out);
}

#[test]
fn yes_no_words_and_bare_texts_are_all_reported_at_once() {
    let out = Session::new()
        .toml_edit("external = true", "external = oui")
        .toml_edit("place = \"Lyon\"", "place = Lyon")
        .toml_edit("min_jurors = 2", "min_jurors = deux")
        .check_text()
        .stdout;
    assert!(out.contains("external = true"), "{out}");
    assert!(out.contains("place = \"Lyon\""), "{out}");
    assert!(out.contains("min_jurors = 2"), "{out}");
    assert_golden("toml-several-mistakes", &out);
}

#[test]
fn a_fresh_init_folder_lists_every_value_still_to_fill_in() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("CM-2027-03");
    let init = run(&[
        "init".as_ref(),
        dir.as_os_str(),
        "--id".as_ref(),
        "CM-2027-03".as_ref(),
    ]);
    assert_eq!(init.status, Some(0), "{init}");
    let r = run(&["check".as_ref(), dir.as_os_str()]);
    assert_eq!(r.status, Some(2), "{r}");
    assert_golden("toml-init-placeholders", &r.stdout);
}

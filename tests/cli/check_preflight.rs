//! `check` tells everything `run` would refuse (contract, section 10): the documents'
//! preflight (mandatory mentions, characters the font cannot print, templates) runs in both,
//! with the same codes at the same places; a session `check` passes is decided and printed.
//! The shipped referential carries no registration code or mention, so nothing fictitious
//! is ever printed as real.

use std::fs;

use tempfile::TempDir;

use crate::common::*;

/// A clean session whose `session.toml` has no `code` and no `registration`.
fn without_mentions() -> Session {
    let toml: String = SESSION_TOML
        .lines()
        .filter(|l| !l.starts_with("code =") && !l.starts_with("registration ="))
        .map(|l| format!("{l}\n"))
        .collect();
    Session::new().toml(Some(&toml))
}

/// `jury run <dir> --out <dir>/out` plus extra arguments.
fn run_into(dir: &std::path::Path, extra: &[&str]) -> Report {
    let out = dir.join("out");
    let mut args = vec![
        "run".to_string(),
        dir.display().to_string(),
        "--out".into(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    run(&args)
}

#[test]
fn check_reports_the_mentions_run_would_refuse_and_run_agrees() {
    let session = without_mentions();
    let r = session.check();
    r.assert(
        1,
        &[
            ("missing-mention", "session.toml", "", ""),
            ("missing-mention", "session.toml", "", ""),
        ],
    );
    let lines: Vec<Option<u64>> = r.findings().into_iter().map(|f| f.line).collect();
    assert_eq!(lines, [Some(1), Some(1)], "at the [session] line\n{r}");
    let messages: Vec<String> = r.findings().into_iter().map(|f| f.message).collect();
    assert!(
        messages.iter().any(|m| m.contains("code d'enregistrement")),
        "{r}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("registration = \"Enregistrée au Répertoire spécifique")),
        "the suggested mention reads correctly once printed (the certification is feminine)\n{r}"
    );
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("session");
    session.write_to(&dir);
    let refused = run_into(&dir, &[]);
    assert_eq!(refused.status, Some(1), "{refused}");
    assert_eq!(
        refused.stderr.matches("[missing-mention]").count(),
        2,
        "{refused}"
    );
    assert!(!dir.join("out").exists(), "{refused}");
}

#[test]
fn without_a_code_nothing_fictitious_is_printed_and_no_documents_still_runs() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("session");
    without_mentions().write_to(&dir);
    let out = run_into(&dir, &["--no-documents"]);
    assert_eq!(out.status, Some(0), "{out}");
    let manifest = json_file(&dir.join("out/manifest.json"));
    assert!(
        manifest["session"]["referential"]["code"].is_null(),
        "no code is invented: {}",
        manifest["session"]["referential"]
    );
    let shipped = include_str!("../../templates/referentials/community-management.toml");
    let table: toml::Table = shipped.parse().unwrap();
    assert!(
        table.get("code").is_none(),
        "the shipped referential sets a code"
    );
    assert!(
        table.get("registration").is_none(),
        "the shipped referential sets a registration mention"
    );
}

#[test]
fn a_session_check_passes_is_decided_and_printed() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("session");
    Session::new().write_to(&dir);
    check_json(&dir).assert(0, &[]);
    let out = run_into(&dir, &[]);
    assert_eq!(out.status, Some(0), "{out}");
    assert!(dir.join("out/certificats.pdf").is_file(), "{out}");
}

#[test]
fn an_unprintable_character_in_session_toml_is_reported_at_its_line() {
    let r = Session::new()
        .toml_edit(
            "certifier = \"Institut de test\"",
            "certifier = \"Institut ☃ de test\"",
        )
        .check();
    r.assert(1, &[("unsupported-character", "session.toml", "", "")]);
    let f = r.one("unsupported-character");
    assert_eq!((f.line, f.column), (Some(6), Some(13)), "{r}");
    assert!(f.message.contains("« ☃ » (U+2603)"), "{r}");
}

#[test]
fn an_unprintable_motive_is_reported_at_its_cell() {
    let r = Session::new()
        .levels_in(PAUL, 4, 5..6, "Non acquis")
        .book(
            DELIBERATION,
            "Délibération",
            deliberation_rows(&[["2026001", "C2", "Validé", "Vu l'oral ☃"]]),
        )
        .check();
    let f = r.one("unsupported-character");
    assert_eq!(
        (f.file.as_str(), f.cell.as_str()),
        (DELIBERATION, "D2"),
        "{r}"
    );
}

#[test]
fn an_invalid_template_is_found_by_check_as_by_run() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("session");
    Session::new()
        .toml_edit(
            "certifier = \"Institut de test\"",
            "certifier = \"Institut de test\"\ntemplates = \"modeles\"",
        )
        .write_to(&dir);
    fs::create_dir_all(dir.join("modeles")).unwrap();
    fs::write(
        dir.join("modeles/certificat.toml"),
        "[texts]\ntitel = \"X\"\n",
    )
    .unwrap();
    let r = check_json(&dir);
    r.assert(2, &[("invalid-template", "modeles", "", "")]);
    assert!(r.one("invalid-template").message.contains("titel"), "{r}");
    let refused = run_into(&dir, &[]);
    assert_eq!(refused.status, Some(2), "{refused}");
    assert!(refused.stderr.contains("[invalid-template]"), "{refused}");
    assert!(!dir.join("out").exists(), "{refused}");
}

//! What secretaries and candidates read, as a French proof-reader would check it: the text
//! of `jury audit` and `jury check` compared whole with the expected text in
//! `tests/cli/wording/` (counts that agree with their number, French labels instead of the
//! manifest's codes), and the statements' recourse paragraph and gender-free wording when
//! the candidates file does not give the sex.
//!
//! To bless a new expected text after a deliberate change of wording, run
//! `JURY_BLESS=1 cargo test --test cli wording::` and review the diff of `tests/cli/wording/`.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::tool;
use crate::sample::Work;

/// Compares `actual` with `tests/cli/wording/<name>`, line by line; `JURY_BLESS=1`
/// rewrites the file instead.
#[track_caller]
fn assert_expected(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cli/wording")
        .join(name);
    if std::env::var_os("JURY_BLESS").is_some() {
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (bless it with JURY_BLESS=1)", path.display()));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from line {}:\n--- expected\n{}\n--- actual\n{}",
            path.display(),
            first + 1,
            expected.lines().nth(first).unwrap_or("(end)"),
            actual.lines().nth(first).unwrap_or("(end)"),
        );
    }
}

/// The text of a PDF by `pdftotext`, its white space (line breaks, non-breaking spaces)
/// made single spaces.
fn flat_text(file: &Path) -> String {
    let text = tool("pdftotext", &[file.as_os_str(), OsStr::new("-")]).stdout;
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn decided_sample() -> Work {
    Work::new().with_registration().decided()
}

#[test]
fn audit_text_of_the_sample_is_the_expected_french() {
    let w = decided_sample();
    let out = w.ok(&["audit", "session/resultats"]);
    assert_expected("audit-clean.txt", &out.stdout);
}

#[test]
fn audit_text_names_differences_with_french_labels() {
    let w = decided_sample();
    crate::audit::change_one_level(&w.session());
    let out = w.jury(&["audit", "session/resultats"]);
    assert_eq!(out.status, Some(1), "{out}");
    for code in ["certified", "not-certified", "acquired", "(s)"] {
        assert!(!out.stdout.contains(code), "« {code} » in:\n{}", out.stdout);
    }
    assert_expected("audit-changed.txt", &out.stdout);
}

#[test]
fn check_text_of_the_sample_is_the_expected_french() {
    let w = Work::new().with_registration();
    let out = w.ok(&["check", "session"]);
    assert_expected("check-sample.txt", &out.stdout);
}

/// The statements of a run of `w`, by candidate id.
fn statement(results: &Path, id: &str) -> String {
    flat_text(&results.join(format!("releves/{id}.pdf")))
}

const RECOURSE: &str = "Voies de recours Vous pouvez contester cette décision auprès de l’organisme certificateur, selon sa procédure de recours.";

#[test]
fn every_statement_says_how_to_contest_the_decision() {
    let w = decided_sample();
    let results = w.results();
    let mut ids: Vec<PathBuf> = fs::read_dir(results.join("releves"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    ids.sort();
    assert_eq!(ids.len(), 25);
    for file in ids {
        let text = flat_text(&file);
        assert!(
            text.contains(RECOURSE),
            "{}: no recourse paragraph:\n{text}",
            file.display()
        );
    }
}

#[test]
fn a_certifier_words_the_recourse_paragraph_in_their_template() {
    let w = Work::new().with_registration();
    let session = w.session();
    fs::create_dir_all(session.join("modeles")).unwrap();
    fs::write(
        session.join("modeles/releve.toml"),
        "[texts]\nrecourse = \"Toute contestation est adressée par écrit au service des certifications de {{ certificateur.nom }}, dans un délai de deux mois.\"\n",
    )
    .unwrap();
    let toml = fs::read_to_string(session.join("session.toml")).unwrap();
    let toml = toml.replacen(
        "place = \"Lyon\"\n",
        "place = \"Lyon\"\ntemplates = \"modeles\"\n",
        1,
    );
    fs::write(session.join("session.toml"), toml).unwrap();
    w.ok(&["run", "session"]);
    let text = statement(&w.results(), "2026004");
    assert!(
        text.contains("Voies de recours Toute contestation est adressée par écrit au service des certifications de Institut Lumière des Métiers du Numérique, dans un délai de deux mois."),
        "{text}"
    );
    assert!(!text.contains(RECOURSE), "{text}");
}

#[test]
fn a_candidate_of_unknown_sex_is_written_about_without_gender() {
    let w = Work::new().with_registration();
    // Noémie Côté (absent) and Zoé Lefèvre-N'Diaye (certified) without a sex; no CPF
    // declaration (which needs the sex of holders).
    w.edit_candidates(&[("2026007", "Sexe", ""), ("2026001", "Sexe", "")]);
    let path = w.session().join("session.toml");
    let toml = fs::read_to_string(&path).unwrap();
    let cut = toml.find("[cpf]").expect("a [cpf] section");
    fs::write(&path, &toml[..cut]).unwrap();
    w.ok(&["run", "session"]);
    let results = w.results();

    let absent = statement(&results, "2026007");
    assert!(
        absent.contains("Décision du jury : Absence à l’évaluation"),
        "{absent}"
    );
    assert!(
        absent.contains("Le jury constate l’absence de Noémie CÔTÉ aux épreuves d’évaluation"),
        "{absent}"
    );
    assert!(absent.contains("Date de naissance 17/04/1996"), "{absent}");
    let certified = statement(&results, "2026001");
    assert!(
        certified.contains("Décision du jury : Certification délivrée"),
        "{certified}"
    );
    let certificate = flat_text(&results.join("certificats/CM-2026-11-2026001.pdf"));
    assert!(
        certificate.contains(
            "Zoé LEFÈVRE-N'DIAYE date de naissance : 12 mars 1994, lieu de naissance : Dakar (Sénégal)"
        ),
        "{certificate}"
    );
    for (what, text) in [
        ("statement", &absent),
        ("statement", &certified),
        ("certificate", &certificate),
    ] {
        for gendered in ["né(e)", "Né(e)", "(e)", "Absent", "absent", "née", "Née"] {
            assert!(
                !text.contains(gendered),
                "« {gendered} » in the {what} of a candidate of unknown sex:\n{text}"
            );
        }
    }
    let minutes = flat_text(&results.join("pv-jury.pdf"));
    assert!(!minutes.contains("Né(e)"), "{minutes}");

    // Where the sex is known, the words agree with it.
    let known = statement(&results, "2026004");
    assert!(
        known.contains("Décision du jury : Non certifiée"),
        "{known}"
    );
}

//! `jury cpf` end to end: the declaration of holders to the Caisse des Dépôts, on copies of
//! the sample session and on hand-made variants of it. Every file written is validated
//! against the CDC's schema with `xmllint` (installed by `.ci/run`).

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{execute, json_file};
use crate::sample::Work;

const SCHEMA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schemas/cpf-1.1.2.xsd");

/// A copy of the sample session with these candidate cells changed, decided by `jury run`.
fn decided(edits: &[(&str, &str, &str)]) -> Work {
    let w = Work::new();
    w.edit_candidates(edits);
    w.decided()
}

/// The XML files of `resultats/cpf/`, sorted.
fn declarations(w: &Work) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(w.results().join("cpf")) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    files
}

/// The CPF ledger of the results.
fn ledger_now(w: &Work) -> Value {
    json_file(&w.results().join("cpf/registre.json"))
}

/// Validates `file` against the CDC's schema with xmllint; skips (saying so) only when
/// xmllint is not installed.
fn validate(file: &Path) {
    assert!(
        Path::new(SCHEMA).is_file(),
        "the CDC's schema is expected at {SCHEMA}"
    );
    let args = [
        OsStr::new("--noout"),
        OsStr::new("--schema"),
        OsStr::new(SCHEMA),
        file.as_os_str(),
    ];
    let Ok(out) = execute("xmllint", &args, &std::env::temp_dir(), &[]) else {
        eprintln!("SKIPPED: xmllint is not installed (apt-get install libxml2-utils); {} was not validated against the schema", file.display());
        return;
    };
    assert_eq!(
        out.status,
        Some(0),
        "{} does not validate:\n{out}\n{}",
        file.display(),
        fs::read_to_string(file).unwrap()
    );
}

/// The `passageCertification` of a candidate, as text.
fn passage_of(xml: &str, id: &str) -> String {
    let start = xml
        .find(&format!("<idTechnique>CM-2026-11-{id}</idTechnique>"))
        .unwrap_or_else(|| panic!("no passage for {id}"));
    let end = start + xml[start..].find("</passageCertification>").unwrap();
    xml[start..end].to_string()
}

#[test]
fn the_sample_declaration_validates_and_a_reexport_gives_the_same_bytes() {
    let w = decided(&[]);
    let stdout = w.ok(&["cpf", "session/resultats"]).stdout;
    assert!(
        stdout.contains("18 titulaires de la certification"),
        "{stdout}"
    );
    let files = declarations(&w);
    assert_eq!(files.len(), 1);
    validate(&files[0]);
    let first = fs::read(&files[0]).unwrap();
    let xml = String::from_utf8(first.clone()).unwrap();
    assert_eq!(xml.matches("<passageCertification>").count(), 18);
    assert!(xml.contains("<horodatage>2026-11-27T12:00:00+01:00</horodatage>"));
    assert!(xml.contains("<idClient>09LMN426</idClient>"));
    let name = files[0].file_stem().unwrap().to_string_lossy().into_owned();
    assert!(xml.contains(&format!("<idFlux>{name}</idFlux>")), "{name}");
    // Born abroad: the country's INSEE code, as 99xxx for the commune too.
    let lukasz = passage_of(&xml, "2026002");
    assert!(lukasz.contains("<codeInsee>99122</codeInsee>"), "{lukasz}");
    assert!(lukasz.contains("<codePaysNaissance>122</codePaysNaissance>"));
    assert!(lukasz.contains("<libellePaysNaissance>Pologne</libellePaysNaissance>"));
    assert!(lukasz.contains("<prenom1>Łukasz</prenom1>"));
    let zoe = passage_of(&xml, "2026001");
    assert!(
        zoe.contains("<codePaysNaissance>341</codePaysNaissance>"),
        "{zoe}"
    );
    assert!(zoe.contains("<nomNaissance>Lefèvre-N&apos;Diaye</nomNaissance>"));
    let helene = passage_of(&xml, "2026010");
    assert!(helene.contains("<nomUsage>Roux</nomUsage>"), "{helene}");
    assert!(helene.contains("<codeInsee>38185</codeInsee>"));
    assert!(passage_of(&xml, "2026017").contains("<modaliteAcces xsi:nil=\"true\"/>"));
    assert!(passage_of(&xml, "2026025").contains("<codePostal>69170</codePostal>"));
    assert!(
        !xml.contains("CM-2026-11-2026004"),
        "not certified, not declared"
    );

    // The ledger: one entry per passage, exported.
    let ledger = ledger_now(&w);
    let entries = ledger["passages"].as_array().unwrap();
    assert_eq!(entries.len(), 18);
    assert!(entries.iter().all(|e| e["status"] == "exported"));
    assert_eq!(entries[1]["holder"], "Łukasz Wiśniewski");

    // A second export sends nothing; --again gives the same bytes, here or elsewhere.
    let stdout = w.ok(&["cpf", "session/resultats"]).stdout;
    assert!(stdout.contains("Rien à déclarer"), "{stdout}");
    assert_eq!(declarations(&w).len(), 1);
    w.ok(&["cpf", "session/resultats", "--again"]);
    assert_eq!(declarations(&w), files);
    assert_eq!(fs::read(&files[0]).unwrap(), first);
    w.ok(&["cpf", "session/resultats", "--again", "--out", "copie.xml"]);
    assert_eq!(fs::read(w.path("copie.xml")).unwrap(), first);
    assert_eq!(ledger_now(&w)["passages"][0]["file"], "../../copie.xml");
}

#[test]
fn hand_made_holders_validate_usage_names_abroad_postcodes_and_several_first_names() {
    let w = decided(&[
        ("2026003", "Prénom", "Thị Hương, Lan"),
        ("2026003", "Nom d'usage", "Martin & Fils <SARL>"),
        ("2026005", "Pays de naissance", "Pologne"),
        ("2026005", "Code INSEE de naissance", ""),
        ("2026006", "Code INSEE de naissance", ""),
        ("2026006", "Code postal de naissance", "42000"),
        ("2026008", "Sexe", "Homme"),
        (
            "2026008",
            "Modalité d'accès",
            "FORMATION_INITIALE_APPRENTISSAGE",
        ),
        ("2026012", "Code INSEE de naissance", "2A004"),
        ("2026013", "Pays de naissance", "99139"),
        ("2026013", "Code INSEE de naissance", ""),
        (
            "2026014",
            "Modalité d'accès",
            "Équivalence / diplôme étranger",
        ),
    ]);
    w.ok(&["cpf", "session/resultats"]);
    let file = &declarations(&w)[0];
    validate(file);
    let xml = fs::read_to_string(file).unwrap();
    let huong = passage_of(&xml, "2026003");
    assert!(huong.contains("<prenom1>Thị Hương</prenom1>"), "{huong}");
    assert!(huong.contains("<prenom2>Lan</prenom2>"));
    assert!(huong.contains("<nomUsage>Martin &amp; Fils &lt;SARL&gt;</nomUsage>"));
    let gaelle = passage_of(&xml, "2026005");
    assert!(
        gaelle.contains("<codePostal xsi:nil=\"true\"/>"),
        "{gaelle}"
    );
    assert!(gaelle.contains("<libellePaysNaissance>Pologne</libellePaysNaissance>"));
    assert!(!gaelle.contains("codePaysNaissance"));
    assert!(passage_of(&xml, "2026006").contains("<codePostal>42000</codePostal>"));
    let jerome = passage_of(&xml, "2026008");
    assert!(jerome.contains("<sexe>M</sexe>"));
    assert!(jerome.contains("<modaliteAcces>FORMATION_INITIALE_APPRENTISSAGE</modaliteAcces>"));
    assert!(passage_of(&xml, "2026012").contains("<codeInsee>2A004</codeInsee>"));
    let mathis = passage_of(&xml, "2026013");
    assert!(mathis.contains("<codeInsee>99139</codeInsee>"), "{mathis}");
    assert!(mathis.contains("<codePaysNaissance>139</codePaysNaissance>"));
    assert!(!mathis.contains("libellePaysNaissance"));
    assert!(passage_of(&xml, "2026014").contains("EQUIVALENCE_DIPLOME_ETRANGER"));
}

/// `jury run` refuses a certified candidate without a full birth date today (its
/// certificate prints the date: `missing-mention`). The declaration itself accepts a year
/// and month, or a year: the results are decided with the full date, then the candidates
/// file is changed and the manifest's hash of it updated, as if `jury run` had accepted it.
#[test]
fn holders_without_birth_day_or_month_are_declared_with_nil_values() {
    let w = decided(&[]);
    w.edit_candidates(&[
        ("2026001", "Date de naissance", "03/1994"),
        ("2026002", "Date de naissance", "1987"),
    ]);
    let bytes = fs::read(w.session().join("candidats.xlsx")).unwrap();
    let hex: String = {
        use sha2::Digest;
        sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let manifest_path = w.results().join("manifest.json");
    let mut manifest = json_file(&manifest_path);
    for input in manifest["inputs"].as_array_mut().unwrap() {
        if input["path"] == "candidats.xlsx" {
            input["sha256"] = Value::from(hex.clone());
        }
    }
    fs::write(&manifest_path, serde_json::to_vec(&manifest).unwrap()).unwrap();
    w.ok(&["cpf", "session/resultats"]);
    let file = &declarations(&w)[0];
    validate(file);
    let xml = fs::read_to_string(file).unwrap();
    let zoe = passage_of(&xml, "2026001");
    assert!(
        zoe.contains("<anneeNaissance>1994</anneeNaissance>"),
        "{zoe}"
    );
    assert!(zoe.contains("<moisNaissance>3</moisNaissance>"));
    assert!(zoe.contains("<jourNaissance xsi:nil=\"true\"/>"));
    let lukasz = passage_of(&xml, "2026002");
    assert!(
        lukasz.contains("<anneeNaissance>1987</anneeNaissance>"),
        "{lukasz}"
    );
    assert!(lukasz.contains("<moisNaissance xsi:nil=\"true\"/>"));
    assert!(lukasz.contains("<jourNaissance xsi:nil=\"true\"/>"));
}

/// `(code, cell, candidate)` of every error of `jury check --format json`.
fn errors(w: &Work) -> Vec<(String, String, String)> {
    let out = w.jury(&["check", "session", "--format", "json"]);
    assert_eq!(out.status, Some(1), "{out}");
    out.findings()
        .into_iter()
        .filter(|f| f.error)
        .map(|f| (f.code, f.cell, f.candidate))
        .collect()
}

#[test]
fn each_missing_or_invalid_field_is_a_finding_at_its_cell() {
    let w = Work::new();
    // Columns (header row 3): J Sexe, K Nom d'usage, L Code INSEE, M Code postal,
    // N Pays de naissance, O Modalité d'accès; row 3 + n for candidate 202600n.
    w.edit_candidates(&[
        ("2026001", "Sexe", ""),
        ("2026002", "Sexe", "X"),
        ("2026003", "Modalité d'accès", "Alternance"),
        ("2026005", "Code INSEE de naissance", "6912"), // 4 digits: not guessed
        ("2026006", "Code INSEE de naissance", ""),
        ("2026008", "Pays de naissance", "12 34"),
        ("2026010", "Nom d'usage", &"R".repeat(61)),
        ("2026011", "Prénom", "A, B, C, D"),
        ("2026012", "Date de naissance", "1850"),
        ("2026013", "Code INSEE de naissance", ""),
        ("2026013", "Code postal de naissance", "ABCDE"),
        // Not certified: not declared, not checked.
        ("2026004", "Sexe", ""),
    ]);
    let found = errors(&w);
    let expected = [
        ("missing-field", "J4", "2026001"),
        ("invalid-field", "J5", "2026002"),
        ("invalid-field", "O6", "2026003"),
        ("invalid-field", "L8", "2026005"),
        ("missing-field", "L9", "2026006"),
        ("invalid-field", "N11", "2026008"),
        ("invalid-field", "K13", "2026010"),
        ("invalid-field", "C14", "2026011"),
        ("invalid-field", "D15", "2026012"),
        ("invalid-field", "M16", "2026013"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(found, expected);
    // `jury run` writes nothing.
    assert_eq!(w.jury(&["run", "session"]).status, Some(1));
    assert!(!w.results().exists());
}

#[test]
fn a_missing_column_is_one_finding_at_the_header_row() {
    let w = Work::new();
    w.drop_candidate_column("Sexe");
    let found = errors(&w);
    assert_eq!(
        found,
        [("missing-field".to_string(), "A3".to_string(), String::new())]
    );
}

#[test]
fn a_processing_report_marks_ok_and_ko_passages_and_corrected_ones_are_sent_again() {
    let w = decided(&[]);
    w.ok(&["cpf", "session/resultats"]);
    let report = w.path("accuse.xml");
    fs::write(
        &report,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<cpf:accuseTraitement xmlns:cpf="urn:cdc:cpf:pc5:schema:1.0.0">
  <cpf:passage><cpf:idTechnique>CM-2026-11-2026001</cpf:idTechnique><cpf:statut>OK</cpf:statut></cpf:passage>
  <cpf:passage>
    <cpf:idTechnique>CM-2026-11-2026002</cpf:idTechnique>
    <cpf:statut>KO</cpf:statut>
    <cpf:message>Aucun titulaire ne correspond aux critères obligatoires</cpf:message>
  </cpf:passage>
  <cpf:passage><cpf:idTechnique>AUTRE-1</cpf:idTechnique><cpf:statut>OK</cpf:statut></cpf:passage>
</cpf:accuseTraitement>"#,
    )
    .unwrap();
    let stdout = w
        .ok(&["cpf", "session/resultats", "--report", "accuse.xml"])
        .stdout;
    assert!(
        stdout.contains("Rapport accuse.xml : 1 passage accepté, 1 rejeté."),
        "{stdout}"
    );
    assert!(
        stdout.contains("KO CM-2026-11-2026002 — Łukasz Wiśniewski (candidat 2026002) : Aucun titulaire ne correspond aux critères obligatoires"),
        "{stdout}"
    );
    assert!(stdout.contains("AUTRE-1"), "{stdout}");
    assert_eq!(status_now(&w, "2026001"), "accepted");
    assert_eq!(status_now(&w, "2026002"), "rejected");
    assert_eq!(status_now(&w, "2026003"), "exported");

    // Unchanged, the rejected passage is not sent again.
    let stdout = w.ok(&["cpf", "session/resultats"]).stdout;
    assert!(
        stdout.contains("Non renvoyé : CM-2026-11-2026002"),
        "{stdout}"
    );
    assert!(stdout.contains("Rien à déclarer"), "{stdout}");
    // Corrected and decided again (the ledger survives `jury run --force`), it is.
    w.edit_candidates(&[("2026002", "Date de naissance", "01/10/1987")]);
    w.ok(&["run", "session", "--force"]);
    w.ok(&["cpf", "session/resultats"]);
    let files = declarations(&w);
    assert_eq!(files.len(), 2, "{files:?}");
    let newest = files
        .iter()
        .find(|f| {
            fs::read_to_string(f)
                .unwrap()
                .matches("<passageCertification>")
                .count()
                == 1
        })
        .unwrap();
    validate(newest);
    assert!(fs::read_to_string(newest)
        .unwrap()
        .contains("<jourNaissance>1</jourNaissance>"));
    assert_eq!(status_now(&w, "2026002"), "exported");
    assert_eq!(status_now(&w, "2026001"), "accepted");

    // A text report, the other accepted shape.
    fs::write(
        w.path("accuse.csv"),
        "idTechnique;statut;message\nCM-2026-11-2026002;OK;\n",
    )
    .unwrap();
    w.ok(&["cpf", "session/resultats", "--report", "accuse.csv"]);
    assert_eq!(status_now(&w, "2026002"), "accepted");
}

/// The ledger status of candidate `id`'s passage, as the ledger is now.
fn status_now(w: &Work, id: &str) -> Value {
    ledger_now(w)["passages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["candidate"] == id)
        .unwrap()["status"]
        .clone()
}

#[test]
fn refusals_write_nothing() {
    let w = Work::new();
    // No results yet.
    assert_eq!(w.jury(&["cpf", "session/resultats"]).status, Some(2));
    w.ok(&["run", "session"]);
    // No ledger yet: a report cannot be recorded.
    fs::write(w.path("r.csv"), "X;OK\n").unwrap();
    let out = w.jury(&["cpf", "session/resultats", "--report", "r.csv"]);
    assert_eq!(out.status, Some(2), "{out}");
    // The session changed since `jury run`.
    w.edit_candidates(&[("2026001", "Sexe", "M")]);
    let out = w.jury(&["cpf", "session/resultats"]);
    assert_eq!(out.status, Some(1), "{out}");
    let stderr = &out.stderr;
    assert!(
        stderr.contains("la session a changé depuis `jury run`"),
        "{stderr}"
    );
    assert!(stderr.contains("candidats.xlsx"), "{stderr}");
    assert!(!w.results().join("cpf").exists());
    // No [cpf] section.
    let toml = w.session().join("session.toml");
    let text = fs::read_to_string(&toml).unwrap();
    let cut = text.find("[cpf]").unwrap();
    fs::write(&toml, &text[..cut]).unwrap();
    w.ok(&["run", "session", "--force"]);
    let out = w.jury(&["cpf", "session/resultats"]);
    assert_eq!(out.status, Some(2), "{out}");
    assert!(out.stderr.contains("[cpf]"));
    assert!(!w.results().join("cpf").exists());
}

#[test]
fn provisional_results_are_not_declared() {
    let w = Work::new();
    fs::remove_file(w.session().join("deliberation.xlsx")).unwrap();
    w.ok(&["run", "session", "--provisional"]);
    let out = w.jury(&["cpf", "session/resultats"]);
    assert_eq!(out.status, Some(1), "{out}");
    assert!(out.stderr.contains("provisoires"));
    assert!(!w.results().join("cpf").exists());
}

#[test]
fn now_stamps_the_clock_and_still_validates() {
    let w = decided(&[]);
    w.ok(&[
        "cpf",
        "session/resultats",
        "--now",
        "--out",
        "maintenant.xml",
    ]);
    let file = w.path("maintenant.xml");
    validate(&file);
    let xml = fs::read_to_string(&file).unwrap();
    assert!(!xml.contains("<horodatage>2026-11-27T12:00:00"), "{xml}");
}

#[test]
fn an_unreadable_report_or_ledger_is_told_in_french_with_what_to_do() {
    let w = decided(&[]);
    w.ok(&["cpf", "session/resultats"]);
    let missing = w.jury(&["cpf", "session/resultats", "--report", "absent.xml"]);
    assert_eq!(missing.status, Some(2), "{missing}");
    assert!(
        missing
            .stderr
            .contains("« absent.xml » ne peut pas être lu : fichier introuvable."),
        "{missing}"
    );
    fs::write(w.path("accuse.xml"), "<accuse><passage></accuse>").unwrap();
    let malformed = w.jury(&["cpf", "session/resultats", "--report", "accuse.xml"]);
    assert_eq!(malformed.status, Some(2), "{malformed}");
    assert!(
        malformed.stderr.contains(
            "« accuse.xml » ne peut pas être lu : son XML est mal formé (balise invalide ou mal fermée, vers l'octet 17) ; donnez le fichier tel que la Caisse des Dépôts l'a envoyé"
        ),
        "{malformed}"
    );
    let ledger = w.results().join("cpf/registre.json");
    fs::write(&ledger, "{\"session\": ").unwrap();
    let broken = w.jury(&["cpf", "session/resultats", "--again"]);
    assert_eq!(broken.status, Some(2), "{broken}");
    assert!(
        broken.stderr.contains(
            "n'est pas lisible (contenu invalide à la ligne 1, colonne 12) ; il n'a pas été modifié. Remettez la dernière copie intacte"
        ),
        "{broken}"
    );
    for out in [&missing, &malformed, &broken] {
        for english in ["No such", "os error", "expected", "EOF", "mismatch"] {
            assert!(!out.stderr.contains(english), "{english}\n{out}");
        }
    }
    assert_eq!(fs::read_to_string(&ledger).unwrap(), "{\"session\": ");
}

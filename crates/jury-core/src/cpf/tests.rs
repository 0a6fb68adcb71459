use super::fields::{access, birthplace, first_names, sex, Birthplace};
use super::ledger::{content_hash, Ledger, ReportLine, Status};
use super::time::{civil_from_days, days_from_civil};
use super::*;
use crate::candidates::{read_candidates, PartialDate};
use crate::deliberation::DeliberationList;
use crate::referential::{Referential, BUILT_IN};
use crate::session::SessionConfig;
use crate::sheet::sheet_from_text;

fn candidate() -> Candidate {
    Candidate {
        id: "2026001".into(),
        last_name: "Lefèvre-N'Diaye".into(),
        first_name: "Zoé".into(),
        birth_date: Date::new(1994, 3, 12),
        sex: Some("F".into()),
        birth_insee: Some("69123".into()),
        prerequisites_met: true,
        ..Candidate::default()
    }
}

#[test]
fn a_holder_born_in_france() {
    let h = holder(&candidate()).unwrap();
    assert_eq!(h.birth_name, "Lefèvre-N'Diaye");
    assert_eq!(h.usage_name, None);
    assert_eq!(h.first_names, ["Zoé"]);
    assert_eq!(
        (h.birth_year, h.birth_month, h.birth_day),
        (1994, Some(3), Some(12))
    );
    assert_eq!(h.sex, "F");
    assert_eq!(h.commune, Commune::Insee("69123".into()));
    assert_eq!((h.country_code, h.country_name), (None, None));
}

#[test]
fn a_holder_with_a_usage_name_and_no_birth_day() {
    let c = Candidate {
        usage_name: Some("  Martin ".into()),
        birth_date: None,
        birth_partial: Some(PartialDate {
            year: 1990,
            month: Some(7),
        }),
        ..candidate()
    };
    let h = holder(&c).unwrap();
    assert_eq!(h.usage_name.as_deref(), Some("Martin"));
    assert_eq!(
        (h.birth_year, h.birth_month, h.birth_day),
        (1990, Some(7), None)
    );
    let year_only = Candidate {
        birth_partial: Some(PartialDate {
            year: 1990,
            month: None,
        }),
        ..c
    };
    let h = holder(&year_only).unwrap();
    assert_eq!((h.birth_month, h.birth_day), (None, None));
}

#[test]
fn first_names_split_on_commas_only() {
    assert_eq!(first_names("1", "Thị Hương").unwrap(), ["Thị Hương"]);
    assert_eq!(
        first_names("1", " Marie ,Anne,  Lucie").unwrap(),
        ["Marie", "Anne", "Lucie"]
    );
    assert!(first_names("1", "A, B, C, D")
        .unwrap_err()
        .message
        .contains("4 prénoms"));
    assert!(first_names("1", "A,,B")
        .unwrap_err()
        .message
        .contains("vide"));
    assert!(
        first_names("1", " ").unwrap_err().missing,
        "the reader reports it"
    );
    let long = "x".repeat(61);
    assert!(first_names("1", &long)
        .unwrap_err()
        .message
        .contains("61 caractères"));
}

#[test]
fn sexes_and_access_modes_are_mapped() {
    for (text, expected) in [
        ("M", "M"),
        ("h", "M"),
        ("Homme", "M"),
        ("Masculin", "M"),
        ("F", "F"),
        ("femme", "F"),
        ("Féminin", "F"),
    ] {
        assert_eq!(sex("1", text).unwrap(), expected, "{text}");
    }
    assert_eq!(sex("1", "X").unwrap_err().field, Field::Sex);
    for (text, expected) in [
        (
            "Formation initiale",
            "FORMATION_INITIALE_HORS_APPRENTISSAGE",
        ),
        ("Apprentissage", "FORMATION_INITIALE_APPRENTISSAGE"),
        (
            "Formation continue",
            "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
        ),
        (
            "Contrat de professionnalisation",
            "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION",
        ),
        ("vae", "VAE"),
        (
            "Équivalence / diplôme étranger",
            "EQUIVALENCE_DIPLOME_ETRANGER",
        ),
        ("Candidat libre", "CANDIDAT_LIBRE"),
        (
            "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION",
            "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION",
        ),
        ("CANDIDAT_LIBRE", "CANDIDAT_LIBRE"),
    ] {
        assert_eq!(access("1", text).unwrap(), expected, "{text}");
    }
    assert_eq!(access("1", "Alternance").unwrap_err().field, Field::Access);
}

fn place(insee: Option<&str>, postcode: Option<&str>, country: Option<&str>) -> Birthplace {
    birthplace("1", insee, postcode, country).unwrap()
}

fn place_error(insee: Option<&str>, postcode: Option<&str>, country: Option<&str>) -> Problem {
    birthplace("1", insee, postcode, country)
        .unwrap_err()
        .remove(0)
}

#[test]
fn birthplaces_in_france() {
    assert_eq!(
        place(Some("2A004"), None, None).commune,
        Commune::Insee("2A004".into())
    );
    assert_eq!(
        place(Some("2b033"), None, None).commune,
        Commune::Insee("2B033".into())
    );
    assert_eq!(
        place(Some("01053"), None, None).commune,
        Commune::Insee("01053".into())
    );
    // Four digits: a lost leading zero or a missing digit; never guessed.
    assert!(place_error(Some("1053"), None, None)
        .hint
        .contains("zéro initial"));
    assert!(place_error(None, Some("1000"), None)
        .hint
        .contains("zéro initial"));
    assert_eq!(
        place(None, Some("69 001"), Some("France")).commune,
        Commune::Postcode(Some("69001".into()))
    );
    assert_eq!(
        place(Some("69123"), Some("69001"), None).commune,
        Commune::Insee("69123".into())
    );
    let p = place_error(Some("6912"), None, None);
    assert_eq!((p.field, p.missing), (Field::BirthInsee, false));
    let p = place_error(Some("Lyon"), None, None);
    assert!(p.hint.contains("5 caractères"), "{}", p.hint);
    let p = place_error(None, Some("Lyon"), None);
    assert_eq!((p.field, p.missing), (Field::BirthPostcode, false));
    let p = place_error(None, None, Some("France"));
    assert_eq!((p.field, p.missing), (Field::BirthInsee, true));
    let p = place_error(Some("99100"), None, None);
    assert!(p.message.contains("désigne la France"), "{}", p.message);
}

#[test]
fn birthplaces_abroad() {
    // A name alone: the name is declared, the commune code is nil.
    let p = place(None, None, Some("Pologne"));
    assert_eq!(p.commune, Commune::Postcode(None));
    assert_eq!(
        (p.country_code, p.country_name.as_deref()),
        (None, Some("Pologne"))
    );
    // A code, with or without 99, with or without the name: 99xxx is the commune code.
    for text in ["122", "99122", "Pologne (99122)", "99122 - Pologne"] {
        let p = place(None, None, Some(text));
        assert_eq!(p.commune, Commune::Insee("99122".into()), "{text}");
        assert_eq!(p.country_code.as_deref(), Some("122"), "{text}");
    }
    assert_eq!(
        place(None, None, Some("99122 - Pologne"))
            .country_name
            .as_deref(),
        Some("Pologne")
    );
    // The INSEE column may hold the country's code.
    let p = place(Some("99341"), None, Some("Sénégal"));
    assert_eq!(p.commune, Commune::Insee("99341".into()));
    assert_eq!(
        (p.country_code.as_deref(), p.country_name.as_deref()),
        (Some("341"), Some("Sénégal"))
    );
    // A foreign postal code is kept when no code of the country is known.
    assert_eq!(
        place(None, Some("00-950"), Some("Pologne")).commune,
        Commune::Postcode(Some("00-950".into()))
    );
    assert_eq!(
        place_error(Some("99341"), None, Some("Pologne (122)")).field,
        Field::BirthCountry
    );
    assert_eq!(
        place_error(Some("99341"), None, Some("France")).field,
        Field::BirthInsee
    );
    assert_eq!(
        place_error(None, None, Some("12 34")).field,
        Field::BirthCountry
    );
    assert_eq!(
        place_error(None, None, Some(&"P".repeat(61))).field,
        Field::BirthCountry
    );
    assert_eq!(
        place_error(None, Some("1234567890"), Some("Pologne")).field,
        Field::BirthPostcode
    );
    // « France (99100) » is France: the commune code is then required.
    let p = place(Some("69123"), None, Some("France (99100)"));
    assert_eq!(
        (p.commune, p.country_code),
        (Commune::Insee("69123".into()), None)
    );
    assert!(place_error(None, None, Some("France (99100)")).missing);
}

#[test]
fn birth_years_outside_the_schema_are_refused() {
    let c = Candidate {
        birth_date: Date::new(1899, 12, 31),
        ..candidate()
    };
    let problems = holder(&c).unwrap_err();
    assert_eq!(problems[0].field, Field::BirthDate);
    assert!(!problems[0].missing);
    let c = Candidate {
        birth_date: None,
        ..candidate()
    };
    let problems = holder(&c).unwrap_err();
    assert_eq!(
        (problems[0].field, problems[0].missing),
        (Field::BirthDate, true)
    );
}

#[test]
fn control_characters_are_refused_and_white_space_collapsed() {
    let c = Candidate {
        last_name: "Le\tBihan\n".into(),
        ..candidate()
    };
    assert_eq!(holder(&c).unwrap().birth_name, "Le Bihan");
    let c = Candidate {
        last_name: "Le\u{7}Bihan".into(),
        ..candidate()
    };
    assert!(holder(&c).unwrap_err()[0].message.contains("U+0007"));
}

const SESSION: &str = r#"
[session]
id = "CM-2026-11"
referential = "community-management"
date = 2026-11-27
place = "Lyon"
certifier = "Organisme"
code = "RS0000"

[cpf]
id_client = "ABCD1234"
id_contrat = "MCFCER000123"
"#;

fn data(rows: &[&[&str]]) -> SessionData {
    let referential = Referential::parse(BUILT_IN[0].1, "r.toml").unwrap();
    SessionData {
        config: SessionConfig::parse(SESSION, "session.toml").unwrap(),
        referential,
        candidates: read_candidates(&sheet_from_text("Candidats", rows), "candidats.xlsx"),
        grids: Vec::new(),
        deliberations: DeliberationList::default(),
        findings: Vec::new(),
        unreadable_grid: false,
    }
}

fn decided(data: &SessionData, outcome: Outcome) -> Vec<Decision> {
    data.candidates
        .candidates
        .iter()
        .map(|c| Decision {
            candidate: c.id.clone(),
            outcome,
            computed: outcome,
            competencies: Vec::new(),
            deliberation: None,
            certificate: (outcome == Outcome::Certified)
                .then(|| certificate_number(&data.config.id, &c.id)),
            jurors: Vec::new(),
        })
        .collect()
}

fn found(findings: &[Finding]) -> Vec<(Code, String)> {
    findings
        .iter()
        .map(|f| (f.code, f.cell.clone().unwrap_or_default()))
        .collect()
}

#[test]
fn a_missing_column_is_reported_once_and_bad_cells_where_they_are() {
    let d = data(&[
        &[
            "N° candidat",
            "Nom",
            "Prénom",
            "Date de naissance",
            "Code INSEE de naissance",
            "Modalité d'accès",
        ],
        &["1", "A", "a", "01/01/1990", "69123", ""],
        &["2", "B", "b", "", "Lyon", "Alternance"],
        &["3", "C", "c", "31/02/1990", "69123", ""],
    ]);
    let findings = check_candidates(&d, &decided(&d, Outcome::Certified));
    assert_eq!(
        found(&findings),
        vec![
            (Code::MissingField, "A1".into()),
            (Code::InvalidField, "F3".into()),
            (Code::MissingField, "D3".into()),
            (Code::InvalidField, "E3".into()),
        ]
    );
    assert!(
        findings[0].message.contains("« Sexe »"),
        "{}",
        findings[0].message
    );
    assert_eq!(findings[1].candidate.as_deref(), Some("2"));
    // The invalid date of candidate 3 is the reader's finding (invalid-date), not repeated.
    assert_eq!(d.candidates.findings.len(), 1);
}

#[test]
fn only_certified_and_pending_candidates_are_checked() {
    let d = data(&[&["N° candidat", "Nom", "Prénom"], &["1", "A", "a"]]);
    assert!(check_candidates(&d, &decided(&d, Outcome::NotCertified)).is_empty());
    assert_eq!(
        check_candidates(&d, &decided(&d, Outcome::Pending)).len(),
        3
    );
}

#[test]
fn without_commune_columns_the_finding_names_both() {
    let d = data(&[
        &[
            "N° candidat",
            "Nom",
            "Prénom",
            "Sexe",
            "Date de naissance",
            "Pays de naissance",
        ],
        &["1", "A", "a", "M", "1990", "Pologne"],
        &["2", "B", "b", "F", "1991", ""],
    ]);
    let findings = check_candidates(&d, &decided(&d, Outcome::Certified));
    assert_eq!(found(&findings), vec![(Code::MissingField, "A1".into())]);
    assert!(findings[0].message.contains("Code postal de naissance"));
}

#[test]
fn passages_carry_the_certificate_number_and_validity() {
    let rows: &[&[&str]] = &[
        &[
            "N° candidat",
            "Nom",
            "Prénom",
            "Sexe",
            "Date de naissance",
            "Code INSEE de naissance",
            "Modalité d'accès",
        ],
        &["1", "A", "a", "M", "29/02/1992", "69123", "VAE"],
    ];
    let mut d = data(rows);
    let decisions = decided(&d, Outcome::Certified);
    assert!(check_candidates(&d, &decisions).is_empty());
    let p = passages(&d, &decisions).unwrap();
    assert_eq!(p[0].id_technique, "CM-2026-11-1");
    assert_eq!(
        (p[0].valid_from.as_str(), p[0].valid_until.as_deref()),
        ("2026-11-27", None)
    );
    assert_eq!(p[0].access, Some("VAE"));
    d.referential.validity_years = Some(3);
    assert_eq!(
        passages(&d, &decisions).unwrap()[0].valid_until.as_deref(),
        Some("2029-11-27")
    );
    assert_eq!(
        add_years(Date::new(2024, 2, 29).unwrap(), 1),
        Date::new(2025, 2, 28).unwrap()
    );
    d.referential.validity_years = Some(100);
    let findings = check_candidates(&d, &decisions);
    assert_eq!(findings.len(), 1);
    assert!(
        findings[0].message.contains("2099"),
        "{}",
        findings[0].message
    );
    d.referential.validity_years = Some(3);
    let config = d.config.cpf.clone().unwrap();
    let decl = declaration(
        &config,
        "CM-2026-11",
        d.config
            .certification_code(&d.referential)
            .unwrap_or_default(),
        p.clone(),
        noon_in_france(d.config.date),
    );
    assert_eq!(
        (decl.kind, decl.code.as_str(), decl.nature.as_str()),
        ("RS", "RS0000", "CERTIFICATEUR")
    );
    assert_eq!(decl.certifier, "ABCD1234");
    assert_eq!(decl.id_flux, id_flux("CM-2026-11", &p), "reproducible");
    let mut changed = p.clone();
    changed[0].holder.sex = "F";
    assert_ne!(
        id_flux("CM-2026-11", &changed),
        decl.id_flux,
        "a corrected passage is a new flux"
    );
    assert!(id_flux(&"S".repeat(40), &p).chars().count() <= 50);
}

#[test]
fn certification_kinds() {
    assert_eq!(certification_kind("RS5286"), Some("RS"));
    assert_eq!(certification_kind("rncp34829"), Some("RNCP"));
    assert_eq!(certification_kind("RS"), None);
    assert_eq!(certification_kind("CQP12"), None);
}

#[test]
fn timestamps_follow_french_legal_time() {
    let noon = |y, m, d| noon_in_france(Date::new(y, m, d).unwrap());
    assert_eq!(noon(2026, 11, 27), "2026-11-27T12:00:00+01:00");
    assert_eq!(noon(2026, 3, 28), "2026-03-28T12:00:00+01:00");
    assert_eq!(
        noon(2026, 3, 29),
        "2026-03-29T12:00:00+02:00",
        "last Sunday of March"
    );
    assert_eq!(noon(2026, 10, 24), "2026-10-24T12:00:00+02:00");
    assert_eq!(
        noon(2026, 10, 25),
        "2026-10-25T12:00:00+01:00",
        "last Sunday of October"
    );
    assert_eq!(french_time(0), "1970-01-01T01:00:00+01:00");
    // 2026-07-14T10:30:00Z
    let summer = days_from_civil(2026, 7, 14) * 86_400 + 10 * 3_600 + 30 * 60;
    assert_eq!(french_time(summer), "2026-07-14T12:30:00+02:00");
    assert_eq!(utc_time(summer), "2026-07-14T10:30:00Z");
    assert_eq!(civil_from_days(days_from_civil(2000, 2, 29)), (2000, 2, 29));
}

fn passage(id: &str) -> Passage {
    Passage {
        id_technique: id.into(),
        candidate: id.into(),
        valid_from: "2026-11-27".into(),
        valid_until: None,
        access: None,
        holder: holder(&candidate()).unwrap(),
    }
}

#[test]
fn the_ledger_sends_each_passage_once_and_rejected_ones_once_corrected() {
    let all = [passage("a"), passage("b"), passage("c")];
    let mut ledger = Ledger::default();
    assert_eq!(ledger.select(&all, false).send.len(), 3);
    ledger.record_export(&all, "F-1", "cpf/F-1.xml", "t0");
    let s = ledger.select(&all, false);
    assert_eq!((s.send.len(), s.done.len()), (0, 3));
    assert_eq!(ledger.select(&all, true).send.len(), 3);
    let outcome = ledger.apply_report(
        &[
            ReportLine {
                id_technique: "a".into(),
                ok: true,
                message: None,
            },
            ReportLine {
                id_technique: "b".into(),
                ok: false,
                message: Some("Date".into()),
            },
            ReportLine {
                id_technique: "z".into(),
                ok: true,
                message: None,
            },
        ],
        "t1",
    );
    assert_eq!((outcome.accepted.len(), outcome.rejected.len()), (1, 1));
    assert_eq!(outcome.unknown, ["z"]);
    assert_eq!(ledger.get("b").unwrap().status, Status::Rejected);
    assert_eq!(ledger.get("b").unwrap().message.as_deref(), Some("Date"));
    assert_eq!(ledger.counts(), (1, 1, 1));
    let text = ledger.report_text(&outcome, "accuse.xml");
    assert!(
        text.starts_with("Rapport accuse.xml : 1 passage accepté, 1 rejeté.\n"),
        "{text}"
    );
    assert!(text.contains("\nRejeté — corrigez le fichier des candidats, relancez `jury run --force`, puis `jury cpf` le renvoie :\n"), "{text}");
    assert!(
        text.contains("\nPassage inconnu du registre (ignoré) : z.\n"),
        "{text}"
    );
    assert!(
        text.ends_with("\nRegistre : 1 passage accepté, 1 rejeté, 1 exporté sans réponse.\n"),
        "{text}"
    );
    assert!(!text.contains("(s)"), "{text}");
    // Unchanged, the rejected passage is not sent again; corrected, it is.
    let s = ledger.select(&all, false);
    assert_eq!((s.send.len(), s.unchanged.len()), (0, 1));
    let mut corrected = all.clone();
    corrected[1].holder.birth_day = Some(13);
    assert_ne!(content_hash(&corrected[1]), content_hash(&all[1]));
    let s = ledger.select(&corrected, false);
    assert_eq!(
        s.send
            .iter()
            .map(|p| p.id_technique.as_str())
            .collect::<Vec<_>>(),
        ["b"]
    );
}

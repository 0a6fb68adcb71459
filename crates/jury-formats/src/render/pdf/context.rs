//! What templates can print: the session, the certification and each candidate, under
//! French placeholder names (`{{ candidat.prenom }}`, `{{ certification.intitule }}`…),
//! every value already cleaned and formatted as a string (never « none »).
//!
//! The names are documented in `docs/templates.md`; renaming one breaks certifiers'
//! templates.

use minijinja::{context, Value};
use serde::Serialize;

use crate::render::Results;
use jury_core::candidates::Candidate;
use jury_core::certificate::code_for;
use jury_core::decide::{Decision, Outcome, Status};
use jury_core::referential::{Aggregation, CountRule};
use jury_core::sheet::Date;
use jury_core::text::{clean, fold};
use jury_core::wording::{count, outcome_for, Sex};
// The tests compare `clean` with a plain composition.
#[cfg(test)]
use unicode_normalization::UnicodeNormalization;

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `27 novembre 2026` (`1er` for the first day of a month).
pub fn long_date(date: Date) -> String {
    let day = if date.day == 1 {
        "1er".to_string()
    } else {
        date.day.to_string()
    };
    let month = MONTHS
        .get(date.month.saturating_sub(1) as usize)
        .unwrap_or(&"");
    format!("{day} {month} {}", date.year)
}

#[derive(Serialize)]
struct Session {
    id: String,
    lieu: String,
    date: String,
    date_longue: String,
}

#[derive(Serialize)]
struct Certification {
    code: String,
    intitule: String,
    repertoire: String,
    enregistrement: String,
    nsf: String,
    niveau: String,
}

#[derive(Serialize)]
struct Person {
    nom: String,
    qualite: String,
}

#[derive(Serialize)]
struct Member {
    nom: String,
    qualite: String,
    exterieur: bool,
}

#[derive(Serialize)]
struct Rules {
    agregation: String,
    min_jures: u32,
    certification: String,
    validation_partielle: String,
}

#[derive(Serialize, Default)]
struct Counts {
    certifies: usize,
    non_certifies: usize,
    absents: usize,
    non_recevables: usize,
    en_attente: usize,
    total: usize,
}

#[derive(Serialize)]
struct CandidateCtx {
    id: String,
    nom: String,
    nom_majuscules: String,
    prenom: String,
    nom_complet: String,
    nom_usage: String,
    date_naissance: String,
    date_naissance_longue: String,
    naissance: String,
    lieu_naissance: String,
    ne: &'static str,
    accord: &'static str,
    sexe: &'static str,
    amenagement: String,
}

#[derive(Serialize)]
struct DecisionCtx {
    code: &'static str,
    libelle: &'static str,
    competences_acquises: String,
    competences_non_acquises: String,
    deliberation: bool,
}

#[derive(Serialize)]
struct CertificateCtx {
    numero: String,
    code_verification: String,
}

/// The registration mention: the session's, else the referential's.
pub fn registration(results: &Results) -> String {
    let data = results.data;
    clean(
        data.config
            .registration
            .as_deref()
            .or(data.referential.registration.as_deref())
            .unwrap_or_default(),
    )
}

/// Who presides the jury (signs statements and minutes first): the member whose role
/// starts with « Président », else the certificates' signatory.
pub fn president(results: &Results) -> Option<(String, String)> {
    let config = &results.data.config;
    config
        .jury
        .iter()
        .find(|m| fold(&m.role).starts_with("president"))
        .map(|m| (clean(&m.name), clean(&m.role)))
        .or_else(|| config.signer().map(|p| (clean(&p.name), clean(&p.role))))
}

/// Everything that is the same for every document of the session.
pub fn base(results: &Results) -> Value {
    let config = &results.data.config;
    let signer = config.signer();
    let president = president(results);
    context! {
        provisoire => results.provisional,
        certificateur => context! { nom => clean(&config.certifier) },
        certification => certification(results),
        session => Session {
            id: config.id.clone(),
            lieu: clean(&config.place),
            date: config.date.to_string(),
            date_longue: long_date(config.date),
        },
        signataire => Person {
            nom: signer.as_ref().map(|p| clean(&p.name)).unwrap_or_default(),
            qualite: signer.as_ref().map(|p| clean(&p.role)).unwrap_or_default(),
        },
        president => Person {
            nom: president.as_ref().map(|p| p.0.clone()).unwrap_or_default(),
            qualite: president.as_ref().map(|p| p.1.clone()).unwrap_or_default(),
        },
        jury => config.jury.iter().map(|m| Member {
            nom: clean(&m.name),
            qualite: clean(&m.role),
            exterieur: m.external,
        }).collect::<Vec<_>>(),
        regles => rules(results),
        compte => counts(results),
    }
}

/// The certification: title, register and code, registration, NSF codes, level.
fn certification(results: &Results) -> Certification {
    let referential = &results.data.referential;
    let code = clean(
        results
            .data
            .config
            .certification_code(referential)
            .unwrap_or_default(),
    );
    let repertoire = if code.to_uppercase().starts_with("RNCP") {
        "Répertoire national des certifications professionnelles"
    } else {
        "Répertoire spécifique"
    };
    Certification {
        intitule: clean(&referential.title),
        repertoire: repertoire.to_string(),
        enregistrement: registration(results),
        nsf: referential
            .nsf
            .iter()
            .map(|s| clean(s))
            .collect::<Vec<_>>()
            .join(", "),
        niveau: clean(referential.level.as_deref().unwrap_or_default()),
        code,
    }
}

/// The rules applied, in sentences.
fn rules(results: &Results) -> Rules {
    let referential = &results.data.referential;
    let n = referential.competencies.len();
    Rules {
        agregation: aggregation_text(results.analysis.rules.aggregation).to_string(),
        min_jures: results.analysis.rules.min_jurors,
        certification: match referential.certification.rule {
            CountRule::All(_) if n > 1 => {
                format!("les {n} compétences du référentiel doivent être acquises")
            }
            CountRule::All(_) => "la compétence du référentiel doit être acquise".to_string(),
            CountRule::AtLeast { at_least } if at_least > 1 => {
                format!("au moins {at_least} compétences sur {n} doivent être acquises")
            }
            CountRule::AtLeast { at_least } => format!(
                "au moins {} sur {n} doit être acquise",
                count(at_least as usize, "compétence", "compétences")
            ),
        },
        validation_partielle: if referential.certification.partial {
            "les compétences acquises par un candidat non certifié lui restent acquises".into()
        } else {
            "pas de validation partielle : une certification non obtenue ne laisse aucune compétence acquise".into()
        },
    }
}

/// The candidates per outcome.
fn counts(results: &Results) -> Counts {
    let mut counts = Counts::default();
    for d in &results.analysis.decisions {
        counts.total += 1;
        match d.outcome {
            Outcome::Certified => counts.certifies += 1,
            Outcome::NotCertified => counts.non_certifies += 1,
            Outcome::Absent => counts.absents += 1,
            Outcome::NonRecevable => counts.non_recevables += 1,
            Outcome::Pending => counts.en_attente += 1,
        }
    }
    counts
}

fn aggregation_text(aggregation: Aggregation) -> &'static str {
    match aggregation {
        Aggregation::Consensus => "consensus — un critère est acquis lorsque tous les jurés le jugent acquis ; un désaccord qui change une décision est tranché par le jury en délibération",
        Aggregation::Majority => "majorité — un critère est acquis lorsque plus de la moitié des jurés le jugent acquis ; une égalité qui change une décision est tranchée par le jury en délibération",
        Aggregation::Mean => "moyenne — un critère est acquis lorsque la moyenne des niveaux donnés par les jurés atteint le niveau de réussite",
        Aggregation::Strictest => "niveau le plus bas — un critère est acquis lorsque le niveau le plus bas donné par les jurés atteint le niveau de réussite",
    }
}

/// The feminine ending for words about the candidate: « e », « », or « (e) » when the
/// candidates file does not say (the built-in templates then use wording without gender).
fn agreement(sex: Sex) -> &'static str {
    match sex {
        Sex::Female => "e",
        Sex::Male => "",
        Sex::Unknown => "(e)",
    }
}

/// « née », « né », or « né(e) ».
fn born(sex: Sex) -> &'static str {
    match sex {
        Sex::Female => "née",
        Sex::Male => "né",
        Sex::Unknown => "né(e)",
    }
}

/// `F`, `M`, or empty when the candidates file does not say (`{% if candidat.sexe %}`).
fn sex_letter(sex: Sex) -> &'static str {
    match sex {
        Sex::Female => "F",
        Sex::Male => "M",
        Sex::Unknown => "",
    }
}

/// The birth date as written in tables: `12/03/1994`, `04/1980` or `1980` when only
/// the month or the year is known, empty when unknown.
pub fn birth_date(candidate: &Candidate) -> String {
    match (candidate.birth_date, candidate.birth_partial) {
        (Some(d), _) => d.to_string(),
        (None, Some(p)) => match p.month {
            Some(m) => format!("{m:02}/{}", p.year),
            None => p.year.to_string(),
        },
        (None, None) => String::new(),
    }
}

/// The birth date written out: `12 mars 1994`, `avril 1980`, `1980`, empty when unknown.
pub fn long_birth_date(candidate: &Candidate) -> String {
    match (candidate.birth_date, candidate.birth_partial) {
        (Some(d), _) => long_date(d),
        (None, Some(p)) => match p
            .month
            .and_then(|m| MONTHS.get(m.saturating_sub(1) as usize))
        {
            Some(month) => format!("{month} {}", p.year),
            None => p.year.to_string(),
        },
        (None, None) => String::new(),
    }
}

/// The birth date in a sentence: `le 12 mars 1994`, `en avril 1980`, `en 1980`.
pub fn birth_phrase(candidate: &Candidate) -> String {
    match (candidate.birth_date, candidate.birth_partial) {
        (Some(d), _) => format!("le {}", long_date(d)),
        (None, Some(_)) => format!("en {}", long_birth_date(candidate)),
        (None, None) => String::new(),
    }
}

/// The candidate's identity as printed: names cleaned, last name also in capitals.
pub fn full_name(candidate: &Candidate) -> String {
    format!(
        "{} {}",
        clean(&candidate.first_name),
        clean(&candidate.last_name).to_uppercase()
    )
}

/// The competency codes with `status`, comma-separated.
pub fn codes_with(decision: &Decision, status: Status) -> String {
    decision
        .competencies
        .iter()
        .filter(|c| c.status == status)
        .map(|c| c.code.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The base context plus one candidate and their decision.
pub fn candidate(
    base: &Value,
    results: &Results,
    candidate: &Candidate,
    decision: &Decision,
) -> Value {
    let data = results.data;
    let certificate = decision.certificate.as_ref().map(|number| CertificateCtx {
        numero: number.clone(),
        code_verification: code_for(&data.config, &data.referential, candidate, decision),
    });
    let deliberation = decision.deliberation.is_some()
        || decision
            .competencies
            .iter()
            .any(|c| c.deliberation.is_some());
    let sex = Sex::of(candidate.sex.as_deref());
    context! {
        candidat => CandidateCtx {
            id: clean(&candidate.id),
            nom: clean(&candidate.last_name),
            nom_majuscules: clean(&candidate.last_name).to_uppercase(),
            prenom: clean(&candidate.first_name),
            nom_complet: full_name(candidate),
            nom_usage: clean(candidate.usage_name.as_deref().unwrap_or_default()),
            date_naissance: birth_date(candidate),
            date_naissance_longue: long_birth_date(candidate),
            naissance: birth_phrase(candidate),
            lieu_naissance: clean(candidate.birth_place.as_deref().unwrap_or_default()),
            ne: born(sex),
            accord: agreement(sex),
            sexe: sex_letter(sex),
            amenagement: clean(candidate.accommodation.as_deref().unwrap_or_default()),
        },
        decision => DecisionCtx {
            code: decision.outcome.as_str(),
            libelle: outcome_for(decision.outcome, sex),
            competences_acquises: codes_with(decision, Status::Acquired),
            competences_non_acquises: codes_with(decision, Status::NotAcquired),
            deliberation,
        },
        certificat => certificate.unwrap_or(CertificateCtx { numero: String::new(), code_verification: String::new() }),
        ..base.clone()
    }
}

/// A context for checking templates: the session as it is, with an invented candidate.
pub fn sample(base: &Value, results: &Results) -> Value {
    let mut candidate = Candidate {
        id: "0001".into(),
        last_name: "Exemple".into(),
        first_name: "Camille".into(),
        birth_date: Date::new(1990, 1, 2),
        birth_place: Some("Lyon".into()),
        accommodation: Some("Tiers temps".into()),
        ..Candidate::default()
    };
    candidate.prerequisites_met = true;
    let decision = Decision {
        candidate: candidate.id.clone(),
        outcome: Outcome::Certified,
        computed: Outcome::Certified,
        competencies: Vec::new(),
        deliberation: None,
        certificate: Some(format!("{}-0001", results.data.config.id)),
        jurors: Vec::new(),
    };
    let ctx = self::candidate(base, results, &candidate, &decision);
    context! {
        competence => context! { code => "C1", intitule => "Compétence", resultat => "Acquis" },
        motif => context! { objet => "C1", decision => "Validé", texte => "Motif" },
        resultat => "Acquis",
        page => context! { numero => 1, total => 2 },
        ..ctx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_composed_and_single_spaced() {
        assert_eq!(clean(" Nguye\u{302}\u{303}n\tThi\u{323}  "), "Nguyễn Thị");
        for text in [
            "Zoé Lefèvre",
            "Zoe\u{301}",
            "a\tb",
            "a  b",
            "a ",
            " a",
            "a\u{85}b",
        ] {
            let slow: String = text
                .nfc()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect::<String>()
                .split(' ')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(clean(text), slow, "{text:?}");
        }
        assert_eq!(
            long_date(Date::new(2026, 11, 27).unwrap()),
            "27 novembre 2026"
        );
        assert_eq!(long_date(Date::new(2026, 8, 1).unwrap()), "1er août 2026");
    }

    #[test]
    fn birth_dates_are_written_out_in_sentences() {
        let mut c = Candidate {
            birth_date: Date::new(1994, 3, 12),
            ..Candidate::default()
        };
        assert_eq!(birth_phrase(&c), "le 12 mars 1994");
        assert_eq!(birth_date(&c), "12/03/1994");
        c.birth_date = None;
        c.birth_partial = Some(jury_core::candidates::PartialDate {
            year: 1980,
            month: Some(4),
        });
        assert_eq!(birth_phrase(&c), "en avril 1980");
        assert_eq!(long_birth_date(&c), "avril 1980");
    }

    #[test]
    fn birth_agrees_with_the_sex_when_known() {
        assert_eq!(born(Sex::of(Some("F"))), "née");
        assert_eq!(born(Sex::of(Some(" Masculin "))), "né");
        assert_eq!(sex_letter(Sex::of(None)), "");
    }
}

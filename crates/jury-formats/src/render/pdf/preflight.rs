//! Checks made before any document is drawn, as findings: a certificate without one of
//! the mentions France Compétences requires is never printed (`missing-mention`), and a
//! character the documents' font cannot print is never drawn as an empty box
//! (`unsupported-character`, naming the candidate, the character and where it was typed).

use crate::render::Results;
use jury_core::candidates::{Candidate, CandidateList, Field};
use jury_core::decide::Outcome;
use jury_core::deliberation::DeliberationList;
use jury_core::finding::{Code, Finding};
use jury_core::session::SessionConfig;
use jury_core::text::clean;

use super::context::registration;
use super::font::missing_chars;

/// Every finding that stops `jury run` from printing the documents.
pub fn preflight(results: &Results) -> Vec<Finding> {
    let mut findings = Vec::new();
    let certificates = !results.provisional
        && results
            .analysis
            .decisions
            .iter()
            .any(|d| d.outcome == Outcome::Certified);
    if certificates {
        findings.extend(missing_mentions(results));
    }
    findings.extend(unsupported_characters(results));
    findings
}

/// The referential's file as findings name it.
fn referential_file(results: &Results) -> String {
    let name = &results.data.config.referential;
    if name.contains('/') || name.ends_with(".toml") {
        name.clone()
    } else {
        format!("{name} (référentiel intégré)")
    }
}

/// `missing-mention`: what every certificate must print, then each certified candidate's
/// birth date.
fn missing_mentions(results: &Results) -> Vec<Finding> {
    let mut out = session_mentions(results);
    out.extend(birth_date_mentions(results));
    out
}

/// The mentions `session.toml` or the referential give (findings about `session.toml`
/// point at its `[session]` line).
fn session_mentions(results: &Results) -> Vec<Finding> {
    let data = results.data;
    let config = &data.config;
    let referential = &data.referential;
    let mut out = Vec::new();
    let session_line = config.places.key("session");
    let mention = |what: &str, file: &str, hint: &str| {
        let finding = Finding::new(
            Code::MissingMention,
            format!("Mention obligatoire des certificats absente : {what}. Aucun certificat n'est imprimé sans elle."),
        )
        .in_file(file)
        .hint(hint);
        match session_line.filter(|_| file == "session.toml") {
            Some((line, _)) => finding.at_line(line, 1),
            None => finding,
        }
    };
    if registration(results).is_empty() {
        out.push(mention(
            "la mention d'enregistrement (référence et date de la décision de France Compétences)",
            "session.toml",
            "Ajoutez dans [session] : registration = \"Enregistrée au Répertoire spécifique par décision du directeur général de France Compétences du JJ/MM/AAAA\" (ou `registration` dans le référentiel).",
        ));
    }
    if referential.nsf.iter().all(|n| clean(n).is_empty()) {
        out.push(mention(
            "le code NSF",
            &referential_file(results),
            "Ajoutez au référentiel : nsf = [\"320\"] (le ou les codes de la fiche France Compétences).",
        ));
    }
    let code = config.certification_code(referential);
    if code.is_none() {
        out.push(mention(
            "le code d'enregistrement de la certification (RS… ou RNCP…)",
            "session.toml",
            "Ajoutez dans [session] : code = \"RS1234\" (le numéro de la fiche de la certification sur le site de France Compétences).",
        ));
    }
    if clean(code.unwrap_or_default())
        .to_uppercase()
        .starts_with("RNCP")
        && clean(referential.level.as_deref().unwrap_or_default()).is_empty()
    {
        out.push(mention(
            "le niveau de la certification RNCP",
            &referential_file(results),
            "Ajoutez au référentiel : level = \"5\" (le niveau de qualification de la fiche RNCP).",
        ));
    }
    if clean(&config.certifier).is_empty() {
        out.push(mention(
            "le nom légal du certificateur",
            "session.toml",
            "Renseignez `certifier` dans [session].",
        ));
    }
    let signer = config.signer();
    if signer
        .as_ref()
        .is_none_or(|p| clean(&p.name).is_empty() || clean(&p.role).is_empty())
    {
        out.push(mention(
            "le nom et la qualité du signataire",
            "session.toml",
            "Ajoutez dans [session] : signatory = { name = \"…\", role = \"…\" }, ou un membre du jury dont la qualité commence par « Président ».",
        ));
    }
    out
}

/// A certified candidate's birth date, at its empty cell; none where the date is already an
/// `invalid-date`, or its column an `unrecognised-column`.
fn birth_date_mentions(results: &Results) -> Vec<Finding> {
    let data = results.data;
    let mut out = Vec::new();
    // A birth date column whose header was not recognised is already an error at its header.
    let unrecognised = data.candidates.column(Field::BirthDate).is_none()
        && data
            .candidates
            .findings
            .iter()
            .any(|f| f.code == Code::UnrecognisedColumn);
    for decision in &results.analysis.decisions {
        if decision.outcome != Outcome::Certified {
            continue;
        }
        if let Some(c) = data.candidates.get(&decision.candidate) {
            // A date that could not be read is already an `invalid-date` at its cell.
            let unreadable = data
                .candidates
                .findings
                .iter()
                .any(|f| f.code == Code::InvalidDate && f.candidate.as_deref() == Some(&c.id));
            if c.birth_date.is_none() && c.birth_partial.is_none() && !unreadable && !unrecognised {
                let (cell, hint) = match data.candidates.column(Field::BirthDate) {
                    Some(col) => (
                        c.cell.moved_to(c.cell.row, col),
                        "Écrivez la date de naissance dans cette cellule (JJ/MM/AAAA).",
                    ),
                    None => (
                        c.cell.clone(),
                        "Ajoutez une colonne « Date de naissance » au fichier des candidats et remplissez-la.",
                    ),
                };
                out.push(
                    Finding::new(
                        Code::MissingMention,
                        format!(
                            "Mention obligatoire du certificat absente : la date de naissance de {} {} (candidat {}).",
                            c.first_name, c.last_name, c.id
                        ),
                    )
                    .at(&cell)
                    .candidate(&c.id)
                    .hint(hint),
                );
            }
        }
    }
    out
}

fn unsupported(text: &str, what: &str) -> Vec<(char, String)> {
    missing_chars(&clean(text))
        .into_iter()
        .chain(missing_chars(&clean(text).to_uppercase()))
        .map(|c| (c, what.to_string()))
        .collect()
}

fn message(c: char, what: &str) -> String {
    format!(
        "Le caractère « {c} » (U+{:04X}) dans {what} n'existe pas dans la police des documents (DejaVu Serif) : il ne peut pas être imprimé.",
        u32::from(c)
    )
}

const HINT: &str = "Corrigez la saisie (caractère mal converti ou collé par erreur ?), ou transcrivez ce texte en caractères latins.";

fn unsupported_characters(results: &Results) -> Vec<Finding> {
    let data = results.data;
    let mut out = session_characters(&data.config);
    out.extend(referential_characters(results));
    for decision in &results.analysis.decisions {
        if let Some(candidate) = data.candidates.get(&decision.candidate) {
            out.extend(candidate_characters(&data.candidates, candidate));
        }
    }
    out.extend(motive_characters(&data.deliberations));
    out
}

/// Each character once per text it is found in.
fn first_seen(found: Vec<(char, String)>, seen: &mut Vec<(char, String)>) -> Vec<(char, String)> {
    found
        .into_iter()
        .filter(|f| {
            let new = !seen.contains(f);
            if new {
                seen.push(f.clone());
            }
            new
        })
        .collect()
}

/// The texts of `session.toml` that documents print, each at its line.
fn session_characters(config: &SessionConfig) -> Vec<Finding> {
    // Text printed, what to call it, and its place in session.toml.
    let optional = |value: &Option<String>| value.clone().unwrap_or_default();
    let mut texts = vec![
        (
            config.certifier.clone(),
            "`certifier`".to_string(),
            "session.certifier".to_string(),
        ),
        (
            config.place.clone(),
            "`place`".into(),
            "session.place".into(),
        ),
        (
            optional(&config.registration),
            "`registration`".into(),
            "session.registration".into(),
        ),
        (
            optional(&config.code),
            "`code`".into(),
            "session.code".into(),
        ),
    ];
    if let Some(s) = &config.signatory {
        texts.push((
            format!("{} {}", s.name, s.role),
            "`signatory`".into(),
            "session.signatory".into(),
        ));
    }
    for (i, m) in config.jury.iter().enumerate() {
        texts.push((
            format!("{} {}", m.name, m.role),
            format!("le nom ou la qualité du membre du jury « {} »", m.name),
            format!("jury.{i}"),
        ));
    }
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for (text, what, path) in texts {
        let place = config.places.value(&path);
        for (c, what) in first_seen(unsupported(&text, &what), &mut seen) {
            let finding = Finding::new(
                Code::UnsupportedCharacter,
                message(c, &format!("{what} de session.toml")),
            )
            .in_file("session.toml")
            .hint(HINT);
            out.push(match place {
                Some((line, column)) => finding.at_line(line, column),
                None => finding,
            });
        }
    }
    out
}

/// The referential's texts that documents print (title, codes, levels, competencies and
/// criteria), each character once.
fn referential_characters(results: &Results) -> Vec<Finding> {
    let referential = &results.data.referential;
    let file = referential_file(results);
    let mut texts = vec![referential.title.clone()];
    texts.extend(referential.code.clone());
    texts.extend(referential.registration.clone());
    texts.extend(referential.level.clone());
    texts.extend(referential.nsf.iter().cloned());
    texts.extend(referential.scale.levels.iter().map(|l| l.label.clone()));
    for c in &referential.competencies {
        texts.push(format!("{} {}", c.code, c.title));
        texts.extend(
            c.criteria
                .iter()
                .map(|cr| format!("{} {}", cr.code, cr.title)),
        );
    }
    let mut seen = Vec::new();
    texts
        .iter()
        .flat_map(|text| first_seen(unsupported(text, "l'intitulé du référentiel"), &mut seen))
        .map(|(c, what)| {
            Finding::new(Code::UnsupportedCharacter, message(c, &what))
                .in_file(&file)
                .hint(HINT)
        })
        .collect()
}

/// Every motive of the deliberation workbook (not only the decisions' traces, which
/// `check` does not keep), at the motive's cell.
fn motive_characters(deliberations: &DeliberationList) -> Vec<Finding> {
    let mut out = Vec::new();
    for row in &deliberations.rows {
        for ch in missing_chars(&clean(&row.motive)) {
            out.push(
                Finding::new(
                    Code::UnsupportedCharacter,
                    message(
                        ch,
                        &format!("un motif de délibération du candidat {}", row.candidate),
                    ),
                )
                .at(&row.motive_cell)
                .candidate(&row.candidate)
                .hint(HINT),
            );
        }
    }
    out
}

/// The characters the documents cannot print in what is printed about one candidate, each
/// at the cell of the candidates file that holds it.
fn candidate_characters(list: &CandidateList, c: &Candidate) -> Vec<Finding> {
    let optional = |value: &Option<String>| value.clone().unwrap_or_default();
    let fields = [
        (Field::Id, c.id.clone(), "l'identifiant"),
        (Field::LastName, c.last_name.clone(), "le nom"),
        (Field::FirstName, c.first_name.clone(), "le prénom"),
        (Field::UsageName, optional(&c.usage_name), "le nom d'usage"),
        (
            Field::BirthPlace,
            optional(&c.birth_place),
            "le lieu de naissance",
        ),
        (
            Field::Accommodation,
            optional(&c.accommodation),
            "l'aménagement",
        ),
    ];
    let mut out = Vec::new();
    for (field, text, what) in fields {
        let cell = match list.column(field) {
            Some(col) => c.cell.moved_to(c.cell.row, col),
            None => c.cell.clone(),
        };
        let mut found: Vec<char> = Vec::new();
        for (ch, _) in unsupported(&text, what) {
            if !found.contains(&ch) {
                found.push(ch);
                out.push(
                    Finding::new(
                        Code::UnsupportedCharacter,
                        message(ch, &format!("{what} du candidat {}", c.id)),
                    )
                    .at(&cell)
                    .candidate(&c.id)
                    .hint(HINT),
                );
            }
        }
    }
    out
}

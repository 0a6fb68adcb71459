//! Checks made before any document is drawn, as findings: a certificate without one of
//! the mentions France Compétences requires is never printed (`missing-mention`), and a
//! character the documents' font cannot print is never drawn as an empty box
//! (`unsupported-character`, naming the candidate, the character and where it was typed).

use crate::core::candidates::Candidate;
use crate::core::decide::{Decision, Outcome};
use crate::core::finding::{Code, Finding};
use crate::render::Results;

use super::context::{clean, registration};
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

fn missing_mentions(results: &Results) -> Vec<Finding> {
    let data = results.data;
    let config = &data.config;
    let referential = &data.referential;
    let mut out = Vec::new();
    let mention = |what: &str, file: &str, hint: &str| {
        Finding::new(
            Code::MissingMention,
            format!("Mention obligatoire des certificats absente : {what}. Aucun certificat n'est imprimé sans elle."),
        )
        .in_file(file)
        .hint(hint)
    };
    if registration(results).is_empty() {
        out.push(mention(
            "la mention d'enregistrement (référence et date de la décision de France Compétences)",
            "session.toml",
            "Ajoutez dans [session] : registration = \"Certification enregistrée au Répertoire spécifique par décision du directeur général de France Compétences du JJ/MM/AAAA\" (ou `registration` dans le référentiel).",
        ));
    }
    if referential.nsf.iter().all(|n| clean(n).is_empty()) {
        out.push(mention(
            "le code NSF",
            &referential_file(results),
            "Ajoutez au référentiel : nsf = [\"320\"] (le ou les codes de la fiche France Compétences).",
        ));
    }
    if clean(&referential.code).to_uppercase().starts_with("RNCP")
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
    for decision in &results.analysis.decisions {
        if decision.outcome != Outcome::Certified {
            continue;
        }
        if let Some(c) = data.candidates.get(&decision.candidate) {
            if c.birth_date.is_none() && c.birth_partial.is_none() {
                out.push(
                    Finding::new(
                        Code::MissingMention,
                        format!(
                            "Mention obligatoire du certificat absente : la date de naissance de {} {} (candidat {}).",
                            c.first_name, c.last_name, c.id
                        ),
                    )
                    .at(&c.cell)
                    .candidate(&c.id)
                    .hint("Ajoutez une colonne « Date de naissance » au fichier des candidats et remplissez-la."),
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
    let mut out = Vec::new();
    let mut seen: Vec<(char, String)> = Vec::new();
    let mut push = |found: Vec<(char, String)>, make: &dyn Fn(char, &str) -> Finding| {
        for (c, what) in found {
            if !seen.contains(&(c, what.clone())) {
                out.push(make(c, &what));
                seen.push((c, what));
            }
        }
    };
    let config = &data.config;
    let mut session_texts = vec![
        (config.certifier.clone(), "certifier".to_string()),
        (config.place.clone(), "place".to_string()),
        (
            config.registration.clone().unwrap_or_default(),
            "registration".to_string(),
        ),
    ];
    if let Some(s) = &config.signatory {
        session_texts.push((format!("{} {}", s.name, s.role), "signatory".into()));
    }
    for m in &config.jury {
        session_texts.push((
            format!("{} {}", m.name, m.role),
            format!("[[jury]] {}", m.name),
        ));
    }
    for (text, key) in session_texts {
        push(unsupported(&text, &format!("`{key}`")), &|c, what| {
            Finding::new(
                Code::UnsupportedCharacter,
                message(c, &format!("{what} de session.toml")),
            )
            .in_file("session.toml")
            .hint(HINT)
        });
    }
    let referential = &data.referential;
    let file = referential_file(results);
    let mut texts = vec![referential.code.clone(), referential.title.clone()];
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
    for text in texts {
        push(
            unsupported(&text, "l'intitulé du référentiel"),
            &|c, what| {
                Finding::new(Code::UnsupportedCharacter, message(c, what))
                    .in_file(&file)
                    .hint(HINT)
            },
        );
    }
    for decision in &results.analysis.decisions {
        if let Some(candidate) = data.candidates.get(&decision.candidate) {
            out.extend(candidate_characters(candidate, decision));
        }
    }
    out
}

/// The characters the documents cannot print in what is printed about one candidate.
fn candidate_characters(c: &Candidate, decision: &Decision) -> Vec<Finding> {
    let fields = [
        (c.id.as_str(), "l'identifiant"),
        (c.last_name.as_str(), "le nom"),
        (c.first_name.as_str(), "le prénom"),
        (
            c.usage_name.as_deref().unwrap_or_default(),
            "le nom d'usage",
        ),
        (
            c.birth_place.as_deref().unwrap_or_default(),
            "le lieu de naissance",
        ),
        (
            c.accommodation.as_deref().unwrap_or_default(),
            "l'aménagement",
        ),
    ];
    let mut out = Vec::new();
    for (text, field) in fields {
        let mut found: Vec<char> = Vec::new();
        for (ch, _) in unsupported(text, field) {
            if !found.contains(&ch) {
                found.push(ch);
                out.push(
                    Finding::new(
                        Code::UnsupportedCharacter,
                        message(ch, &format!("{field} du candidat {}", c.id)),
                    )
                    .at(&c.cell)
                    .candidate(&c.id)
                    .hint(HINT),
                );
            }
        }
    }
    let motives = decision
        .competencies
        .iter()
        .filter_map(|r| r.deliberation.as_ref())
        .chain(decision.deliberation.as_ref());
    for o in motives {
        for ch in missing_chars(&clean(&o.motive)) {
            out.push(
                Finding::new(
                    Code::UnsupportedCharacter,
                    message(ch, &format!("un motif de délibération de {}", c.id)),
                )
                .at(&o.cell)
                .candidate(&c.id)
                .hint(HINT),
            );
        }
    }
    out
}

//! French wording shared by every output: counts that agree with their number, the labels
//! of decisions for people of known or unknown sex, the names of aggregations.
//!
//! Pure text; nothing here reads a file. French puts the singular for 0 and 1
//! (« 0 grille lue », « 1 grille lue », « 2 grilles lues »), and a text about one person
//! whose sex the candidates file does not give needs no gender at all (« absence à
//! l’évaluation », never « absent(e) »).

use crate::decide::{Outcome, Status};
use crate::finding::Code;
use crate::referential::Aggregation;

/// `n` followed by `one` for 0 and 1, by `many` above: `count(0, "grille lue", "grilles lues")`
/// is « 0 grille lue ».
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n as u64), if n > 1 { many } else { one })
}

/// `4 000 000`: a count with its thousands set apart by spaces, as French writes it.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(digit);
    }
    out
}

/// « de » before a name, elided before a vowel or a mute h: « de Claire Martin »,
/// « d'Inès Moreau », « d'Hélène Roux ».
pub fn of_name(name: &str) -> String {
    let first = crate::text::fold(name).chars().next();
    if first.is_some_and(|c| "aeiouyh".contains(c)) {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

/// What the candidates file says of a person's sex, for the words that agree with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Female,
    Male,
    Unknown,
}

impl Sex {
    /// From the `Sexe` column (F, M, H, femme, masculin…), folded; anything else is unknown.
    pub fn of(value: Option<&str>) -> Sex {
        match value.map(crate::text::fold).as_deref() {
            Some("f" | "femme" | "feminin" | "madame" | "mme") => Sex::Female,
            Some("m" | "h" | "homme" | "masculin" | "monsieur") => Sex::Male,
            _ => Sex::Unknown,
        }
    }
}

/// The decision as a category, without gender: the labels of tables and workbooks that
/// list many candidates (one filter value per decision).
pub fn outcome_category(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Certified => "Certification délivrée",
        Outcome::NotCertified => "Certification non délivrée",
        Outcome::Absent => "Absence à l’évaluation",
        Outcome::NonRecevable => "Candidature non recevable",
        Outcome::Pending => "En attente de délibération",
    }
}

/// The decision about one person: agreeing with their sex when it is known
/// (« Certifiée », « Absent »), the gender-free category otherwise.
pub fn outcome_for(outcome: Outcome, sex: Sex) -> &'static str {
    match (outcome, sex) {
        (_, Sex::Unknown) | (Outcome::Pending, _) => outcome_category(outcome),
        (Outcome::Certified, Sex::Female) => "Certifiée",
        (Outcome::Certified, Sex::Male) => "Certifié",
        (Outcome::NotCertified, Sex::Female) => "Non certifiée",
        (Outcome::NotCertified, Sex::Male) => "Non certifié",
        (Outcome::Absent, Sex::Female) => "Absente",
        (Outcome::Absent, Sex::Male) => "Absent",
        (Outcome::NonRecevable, _) => "Candidature non recevable",
    }
}

/// A competency's status inside a sentence (a competency is feminine: « acquise »).
pub fn competency_in_sentence(status: Status) -> &'static str {
    match status {
        Status::Acquired => "acquise",
        Status::NotAcquired => "non acquise",
        Status::Pending => "en attente de délibération",
    }
}

/// A competency's status (« compétence » is feminine: « Acquise »); criteria keep the
/// levels' own words (`Status::label`, « Acquis »).
pub fn competency_status(status: Status) -> &'static str {
    match status {
        Status::Acquired => "Acquise",
        Status::NotAcquired => "Non acquise",
        Status::Pending => "En attente",
    }
}

/// What a finding is about, in a few French words: the label shown beside its code in the
/// summary's `Anomalies` sheet.
pub fn code_label(code: Code) -> &'static str {
    match code {
        Code::InvalidConfig => "Fichier session.toml invalide",
        Code::InvalidReferential => "Référentiel invalide",
        Code::UnreadableWorkbook => "Classeur illisible",
        Code::NoGrid => "Aucune grille",
        Code::AmbiguousId => "Numéros de candidat ambigus",
        Code::MissingLevel => "Niveau manquant",
        Code::InvalidLevel => "Niveau non reconnu",
        Code::PartialAbsence => "Absence partielle",
        Code::UnknownCandidate => "Numéro de candidat inconnu",
        Code::DuplicateCandidate => "Numéro de candidat en double",
        Code::DuplicateLevel => "Niveau en double",
        Code::DuplicateGrid => "Copie d’une grille",
        Code::MissingCriterionColumn => "Colonne de critère manquante",
        Code::UnknownCriterion => "Critère inconnu",
        Code::UnknownJuror => "Évaluateur inconnu",
        Code::InsufficientGrids => "Grilles insuffisantes",
        Code::MissingField => "Information manquante",
        Code::InvalidField => "Valeur inutilisable pour le CPF",
        Code::InvalidDate => "Date invalide",
        Code::InvalidPrerequisite => "Prérequis illisible",
        Code::InvalidDeliberation => "Délibération invalide",
        Code::UnrecognisedColumn => "Colonne non reconnue",
        Code::MissingMention => "Mention obligatoire manquante",
        Code::InvalidTemplate => "Modèle de document invalide",
        Code::UnsupportedCharacter => "Caractère absent de la police",
        Code::UnsafeCharacter => "Caractère invisible ou de contrôle",
        Code::ExampleRow => "Ligne d’exemple à supprimer",
        Code::Disputed => "Désaccord entre évaluateurs",
        Code::UngradedRow => "Ligne non évaluée",
        Code::MixedAbsence => "Absence selon une partie des évaluateurs",
        Code::IgnoredFile => "Fichier ignoré",
        Code::JuryComposition => "Composition du jury",
        Code::NameMismatch => "Nom différent d’un fichier à l’autre",
        Code::ExtraColumn => "Colonne non lue",
        Code::UniformGrid => "Grille uniforme",
        Code::JurorBias => "Écart de sévérité entre évaluateurs",
        Code::FormulaLevel => "Niveau calculé par une formule",
        Code::HiddenLevel => "Niveau masqué",
        Code::ModifiedAfterSession => "Grille modifiée après le jury",
    }
}

/// How jurors' levels combine, in a few French words.
pub fn aggregation_label(aggregation: Aggregation) -> &'static str {
    match aggregation {
        Aggregation::Consensus => "consensus",
        Aggregation::Majority => "majorité",
        Aggregation::Mean => "moyenne des niveaux",
        Aggregation::Strictest => "niveau le plus bas",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_counts_set_their_thousands_apart() {
        assert_eq!(
            count(8866, "certification délivrée", "certifications délivrées"),
            "8 866 certifications délivrées"
        );
        assert_eq!(count(1, "grille", "grilles"), "1 grille");
    }

    #[test]
    fn de_elides_before_a_vowel_or_a_mute_h() {
        assert_eq!(of_name("Claire Martin"), "de Claire Martin");
        assert_eq!(of_name("Inès Moreau"), "d'Inès Moreau");
        assert_eq!(of_name("Éloïse Roux"), "d'Éloïse Roux");
        assert_eq!(of_name("Hélène Roux"), "d'Hélène Roux");
    }

    #[test]
    fn counts_take_the_singular_for_zero_and_one() {
        assert_eq!(count(0, "grille lue", "grilles lues"), "0 grille lue");
        assert_eq!(count(1, "grille lue", "grilles lues"), "1 grille lue");
        assert_eq!(count(2, "grille lue", "grilles lues"), "2 grilles lues");
    }

    #[test]
    fn a_decision_agrees_only_with_a_known_sex() {
        assert_eq!(outcome_for(Outcome::Absent, Sex::of(Some("F"))), "Absente");
        assert_eq!(
            outcome_for(Outcome::Absent, Sex::of(Some(" Homme "))),
            "Absent"
        );
        assert_eq!(
            outcome_for(Outcome::Absent, Sex::of(None)),
            "Absence à l’évaluation"
        );
        assert_eq!(
            outcome_for(Outcome::Certified, Sex::of(Some("x"))),
            "Certification délivrée"
        );
    }
}

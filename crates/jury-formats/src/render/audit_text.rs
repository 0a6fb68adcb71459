//! The lines of `jury audit`'s text report that name a decision differing from the
//! manifest, in French: the manifest's codes (`certified`, `acquired`…) become the labels a
//! secretary reads (« certification délivrée », « acquise »). The JSON report keeps the codes.

use jury_core::audit::{DecisionDifference, Difference};
use jury_core::decide::{Outcome, Status};
use jury_core::wording::{competency_in_sentence, outcome_category};

/// One decision that differs, as the secretary reads it.
pub fn difference_line(d: &DecisionDifference) -> String {
    let id = &d.candidate;
    let what = d.difference.what();
    match &d.difference {
        Difference::Appeared(now) => format!(
            "  candidat {id} : absent du manifeste, « {} » au nouveau calcul\n",
            outcome(*now)
        ),
        Difference::Vanished(before) => format!(
            "  candidat {id} : « {} » dans le manifeste, absent aujourd'hui du fichier des candidats\n",
            outcome(*before)
        ),
        Difference::Decision(before, now) => format!(
            "  candidat {id}, {what} : « {} » dans le manifeste, « {} » au nouveau calcul\n",
            outcome(*before),
            outcome(*now)
        ),
        Difference::Competency {
            recorded,
            recomputed,
            ..
        } => format!(
            "  candidat {id}, {what} : {}, {}\n",
            competency(*recorded, "du manifeste", "dans le manifeste"),
            competency(*recomputed, "au nouveau calcul", "au nouveau calcul")
        ),
        Difference::Certificate(before, now) | Difference::VerificationCode(before, now) => {
            format!(
                "  candidat {id}, {what} : {}, {}\n",
                text(before.as_deref(), "dans le manifeste"),
                text(now.as_deref(), "au nouveau calcul")
            )
        }
    }
}

/// A decision in lower case, as inside a sentence (« certification délivrée »).
fn outcome(outcome: Outcome) -> String {
    let label = outcome_category(outcome);
    let mut chars = label.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A competency's status between guillemets and where it stands (`side`), or « absente »
/// and `absent_side` (« du manifeste », « au nouveau calcul ») when that side has none.
fn competency(status: Option<Status>, absent_side: &str, side: &str) -> String {
    match status {
        Some(status) => format!("« {} » {side}", competency_in_sentence(status)),
        None => format!("absente {absent_side}"),
    }
}

/// A certificate number or code between guillemets, or « aucun » when there is none.
fn text(value: Option<&str>, side: &str) -> String {
    match value {
        Some(value) => format!("« {value} » {side}"),
        None => format!("aucun {side}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(difference: Difference) -> String {
        difference_line(&DecisionDifference {
            candidate: "2026004".into(),
            difference,
        })
    }

    #[test]
    fn codes_read_as_french_labels() {
        assert_eq!(
            line(Difference::Decision(Outcome::NotCertified, Outcome::Certified)),
            "  candidat 2026004, décision : « certification non délivrée » dans le manifeste, « certification délivrée » au nouveau calcul\n"
        );
        assert_eq!(
            line(Difference::Competency {
                code: "C1".into(),
                recorded: None,
                recomputed: Some(Status::Acquired)
            }),
            "  candidat 2026004, compétence C1 : absente du manifeste, « acquise » au nouveau calcul\n"
        );
        assert_eq!(
            line(Difference::Appeared(Outcome::Pending)),
            "  candidat 2026004 : absent du manifeste, « en attente de délibération » au nouveau calcul\n"
        );
        assert_eq!(
            line(Difference::Certificate(Some("RS-1".into()), None)),
            "  candidat 2026004, certificat : « RS-1 » dans le manifeste, aucun au nouveau calcul\n"
        );
    }
}

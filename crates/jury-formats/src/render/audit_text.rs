//! The lines of `jury audit`'s text report that name a decision differing from the
//! manifest, in French: the manifest's codes (`certified`, `acquired`…) become the labels a
//! secretary reads (« certification délivrée », « acquise »). The JSON report keeps the codes.

use jury_core::audit::DecisionDifference;
use jury_core::wording::{competency_code_label, outcome_code_label};

/// One decision that differs, as the secretary reads it: the manifest's codes
/// (`certified`, `acquired`…) in French.
pub fn difference_line(d: &DecisionDifference) -> String {
    let id = &d.candidate;
    if d.what == "candidat" {
        return if d.recorded == "absent du manifeste" {
            format!(
                "  candidat {id} : absent du manifeste, « {} » au nouveau calcul\n",
                shown(&d.what, &d.recomputed)
            )
        } else {
            format!(
                "  candidat {id} : « {} » dans le manifeste, absent aujourd'hui du fichier des candidats\n",
                shown(&d.what, &d.recorded)
            )
        };
    }
    format!(
        "  candidat {id}, {} : {}, {}\n",
        d.what,
        quoted(&d.what, &d.recorded, "du manifeste", "dans le manifeste"),
        quoted(
            &d.what,
            &d.recomputed,
            "au nouveau calcul",
            "au nouveau calcul"
        )
    )
}

/// A value between guillemets and where it stands (`side`), or the words saying there is
/// none (« — » in the core's comparison): a competency « absente du manifeste », « aucun »
/// certificate. `absent_side` follows « absente » (« du manifeste », « au nouveau calcul »).
fn quoted(what: &str, value: &str, absent_side: &str, side: &str) -> String {
    match value {
        "—" if what.starts_with("compétence ") => format!("absente {absent_side}"),
        "—" => format!("aucun {side}"),
        _ => format!("« {} » {side}", shown(what, value)),
    }
}

/// A decision or competency status code in French (lower case, as inside a sentence);
/// any other value as it is.
fn shown(what: &str, value: &str) -> String {
    let label = if what == "décision" || what == "candidat" {
        outcome_code_label(value)
    } else if what.starts_with("compétence ") {
        competency_code_label(value)
    } else {
        return value.to_string();
    };
    let mut chars = label.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn differs(what: &str, recorded: &str, recomputed: &str) -> String {
        difference_line(&DecisionDifference {
            candidate: "2026004".into(),
            what: what.into(),
            recorded: recorded.into(),
            recomputed: recomputed.into(),
        })
    }

    #[test]
    fn codes_read_as_french_labels() {
        assert_eq!(
            differs("décision", "not-certified", "certified"),
            "  candidat 2026004, décision : « certification non délivrée » dans le manifeste, « certification délivrée » au nouveau calcul\n"
        );
        assert_eq!(
            differs("compétence C1", "—", "acquired"),
            "  candidat 2026004, compétence C1 : absente du manifeste, « acquise » au nouveau calcul\n"
        );
        assert_eq!(
            differs("candidat", "absent du manifeste", "pending"),
            "  candidat 2026004 : absent du manifeste, « en attente de délibération » au nouveau calcul\n"
        );
    }
}

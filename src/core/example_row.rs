//! The example row of the candidates file that `jury init` writes: a made-up candidate
//! whose id is [`EXAMPLE_ID`], shown to the secretary as a model and meant to be deleted.
//! Left in place, it would be graded, decided and declared like a real person, so it is an
//! `example-row` error at its id cell until it is removed.

use crate::core::candidates::CandidateList;
use crate::core::finding::{Code, Finding};
use crate::core::text::fold;

/// The id of the example row (compared after folding case and accents).
pub const EXAMPLE_ID: &str = "EXEMPLE";

/// One `example-row` error per candidate whose id is [`EXAMPLE_ID`].
pub fn example_rows(list: &CandidateList) -> Vec<Finding> {
    list.candidates
        .iter()
        .filter(|c| fold(&c.id) == fold(EXAMPLE_ID))
        .map(|c| {
            Finding::new(
                Code::ExampleRow,
                format!(
                    "La ligne {} est la ligne d'exemple écrite par jury init (candidat « {} » : {} {}) ; ce n'est pas un vrai candidat.",
                    c.cell.row + 1,
                    c.id,
                    c.first_name,
                    c.last_name
                ),
            )
            .at(&c.cell)
            .candidate(&c.id)
            .hint("Supprimez cette ligne (clic droit sur son numéro de ligne, « Supprimer ») une fois vos candidats saisis.")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::candidates::read_candidates;
    use crate::core::sheet::sheet_from_text;

    #[test]
    fn only_the_example_id_is_flagged_at_its_cell() {
        let sheet = sheet_from_text(
            "Candidats",
            &[
                &["N° candidat", "Nom", "Prénom"],
                &["exemple", "DUPONT", "Camille"],
                &["2027001", "Exemplaire", "Ana"],
            ],
        );
        let findings = example_rows(&read_candidates(&sheet, "candidats.xlsx"));
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, Code::ExampleRow);
        assert_eq!(findings[0].cell.as_deref(), Some("A2"));
        assert!(
            findings[0].message.contains("ligne 2"),
            "{}",
            findings[0].message
        );
    }
}

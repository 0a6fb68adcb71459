//! The example row of the candidates file that `jury init` writes: a made-up candidate
//! whose id is [`EXAMPLE_ID`], shown to the secretary as a model and meant to be deleted.
//! Left in place, it would be graded, decided and declared like a real person, so it is an
//! `example-row` error at its id cell until it is removed.

use crate::candidates::Candidate;
use crate::finding::{Code, Finding};
use crate::text::fold;

/// The id of the example row (compared after folding case and accents).
pub const EXAMPLE_ID: &str = "EXEMPLE";

/// The `example-row` error for a candidate whose id is [`EXAMPLE_ID`]: such a row is not
/// a candidate (no grid lists it, nothing is decided for it) until it is deleted.
pub fn example_row(c: &Candidate) -> Option<Finding> {
    if fold(&c.id) != fold(EXAMPLE_ID) {
        return None;
    }
    Some(
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
        .hint("Supprimez cette ligne (clic droit sur son numéro de ligne, « Supprimer ») une fois vos candidats saisis."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidates::read_candidates;
    use crate::sheet::sheet_from_text;

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
        let list = read_candidates(&sheet, "candidats.xlsx");
        let findings: Vec<&Finding> = list
            .findings
            .iter()
            .filter(|f| f.code == Code::ExampleRow)
            .collect();
        assert_eq!(findings.len(), 1);
        let ids: Vec<&str> = list.candidates.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["2027001"], "the example is not a candidate");
        assert_eq!(findings[0].code, Code::ExampleRow);
        assert_eq!(findings[0].cell.as_deref(), Some("A2"));
        assert!(
            findings[0].message.contains("ligne 2"),
            "{}",
            findings[0].message
        );
    }
}

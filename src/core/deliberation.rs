//! The deliberation workbook: decisions the jury took in deliberation, each overriding the
//! computed outcome of one competency (or of the whole certification), with its motive.

use crate::core::finding::{CellRef, Code, Finding};
use crate::core::header::{find_id_header_row, leftmost};
use crate::core::referential::Referential;
use crate::core::sheet::Sheet;
use crate::core::text::{fold, nearest};

/// What a deliberation row decides about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Index of a competency in the referential.
    Competency(usize),
    Certification,
}

/// One decision of the jury, with the cells it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Deliberation {
    pub candidate: String,
    pub target: Target,
    /// True for validé / acquis / certifié.
    pub granted: bool,
    pub motive: String,
    pub id_cell: CellRef,
    /// The cell of the motive, where findings about its text point.
    pub motive_cell: CellRef,
}

#[derive(Debug, Default)]
pub struct DeliberationList {
    pub rows: Vec<Deliberation>,
    pub findings: Vec<Finding>,
}

const COMPETENCY_HEADERS: &[&str] = &["Compétence", "Compétences", "Code compétence"];
const DECISION_HEADERS: &[&str] = &["Décision", "Décision du jury"];
const MOTIVE_HEADERS: &[&str] = &["Motif", "Motifs", "Motivation"];

/// Reads the first sheet that has a deliberation header.
pub fn read_deliberations(
    sheets: &[Sheet],
    file: &str,
    referential: &Referential,
) -> DeliberationList {
    let mut list = DeliberationList::default();
    let found = sheets.iter().find_map(|sheet| {
        let row = find_id_header_row(sheet)?;
        Some((sheet, row))
    });
    let Some((sheet, header_row)) = found else {
        list.findings.push(
            Finding::new(
                Code::InvalidDeliberation,
                "Aucune ligne d'en-tête « N° candidat » dans le fichier de délibération.",
            )
            .in_file(file)
            .hint("En-têtes attendus : N° candidat, Compétence, Décision, Motif."),
        );
        return list;
    };
    let origin = CellRef::new(file, &sheet.name, 0, 0);
    let cell = |row: u32, col: u32| origin.moved_to(row, col);
    let id_col = leftmost(sheet, header_row, crate::core::header::ID_HEADERS).unwrap_or_default();
    let columns = [
        (
            "Compétence",
            leftmost(sheet, header_row, COMPETENCY_HEADERS),
        ),
        ("Décision", leftmost(sheet, header_row, DECISION_HEADERS)),
        ("Motif", leftmost(sheet, header_row, MOTIVE_HEADERS)),
    ];
    let missing: Vec<&str> = columns
        .iter()
        .filter(|(_, c)| c.is_none())
        .map(|(n, _)| *n)
        .collect();
    let [(_, Some(comp_col)), (_, Some(dec_col)), (_, Some(motive_col))] = columns else {
        list.findings.push(
            Finding::new(
                Code::InvalidDeliberation,
                format!(
                    "Colonne(s) absente(s) du fichier de délibération : {}.",
                    missing.join(", ")
                ),
            )
            .at(&cell(header_row, id_col)),
        );
        return list;
    };
    for row in header_row + 1..sheet.row_count() {
        if sheet.is_blank_row(row) {
            continue;
        }
        let text = |c: u32| sheet.get(row, c).text();
        let Some(id) = text(id_col) else {
            list.findings.push(
                Finding::new(
                    Code::InvalidDeliberation,
                    format!("Ligne {} : le numéro de candidat est vide.", row + 1),
                )
                .at(&cell(row, id_col)),
            );
            continue;
        };
        let bad = |col: u32, message: String| {
            Finding::new(Code::InvalidDeliberation, message)
                .at(&cell(row, col))
                .candidate(&id)
        };
        let comp_text = text(comp_col).unwrap_or_default();
        let target = if fold(&comp_text) == "certification" {
            Some(Target::Certification)
        } else {
            referential
                .competencies
                .iter()
                .position(|c| fold(&c.code) == fold(&comp_text))
                .map(Target::Competency)
        };
        let Some(target) = target else {
            let codes: Vec<&str> = referential
                .competencies
                .iter()
                .map(|c| c.code.as_str())
                .chain(std::iter::once("Certification"))
                .collect();
            let mut f = bad(
                comp_col,
                format!(
                    "« {comp_text} » n'est ni une compétence du référentiel ni « Certification »."
                ),
            );
            if let Some(near) = nearest(&comp_text, codes.iter().copied()) {
                f = f.hint(format!("Vouliez-vous dire « {near} » ?"));
            } else {
                f = f.hint(format!("Valeurs acceptées : {}.", codes.join(", ")));
            }
            list.findings.push(f);
            continue;
        };
        let decision_text = text(dec_col).unwrap_or_default();
        let Some(granted) = decision_word(&decision_text, &target) else {
            let expected = match target {
                Target::Certification => "Certifié / Non certifié",
                Target::Competency(_) => "Validé / Non validé, Acquis / Non acquis",
            };
            list.findings.push(
                bad(
                    dec_col,
                    format!("Décision « {decision_text} » non reconnue."),
                )
                .hint(format!("Valeurs acceptées : {expected}.")),
            );
            continue;
        };
        let Some(motive) = text(motive_col) else {
            list.findings.push(
                bad(
                    motive_col,
                    format!("Le motif de la décision du jury pour le candidat {id} est vide."),
                )
                .hint("Chaque décision prise en délibération doit être motivée."),
            );
            continue;
        };
        if let Some(first) = list
            .rows
            .iter()
            .find(|d| d.candidate == id && d.target == target)
        {
            list.findings.push(bad(
                comp_col,
                format!(
                    "Deuxième décision pour le candidat {id} sur « {comp_text} » (déjà en {}).",
                    first.id_cell.a1()
                ),
            ));
            continue;
        }
        list.rows.push(Deliberation {
            candidate: id,
            target,
            granted,
            motive,
            id_cell: cell(row, id_col),
            motive_cell: cell(row, motive_col),
        });
    }
    list
}

/// Validé / Non validé (and acquis, certifié, in feminine forms too), as allowed for the target.
fn decision_word(text: &str, target: &Target) -> Option<bool> {
    let folded = fold(text);
    let (negative, word) = match folded.strip_prefix("non ") {
        Some(rest) => (true, rest.trim()),
        None => (false, folded.as_str()),
    };
    let allowed: &[&str] = match target {
        Target::Certification => &["certifie", "certifiee", "valide", "validee"],
        Target::Competency(_) => &["valide", "validee", "acquis", "acquise"],
    };
    allowed.contains(&word).then_some(!negative)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::referential::BUILT_IN;
    use crate::core::sheet::sheet_from_text;

    fn referential() -> Referential {
        Referential::parse(BUILT_IN[0].1, "r").unwrap()
    }

    #[test]
    fn reads_rows_and_accepts_feminine_forms() {
        let sheet = sheet_from_text(
            "Délibération",
            &[
                &["N° candidat", "Compétence", "Décision", "Motif"],
                &["11", "C3", "Validée", "Soutenance convaincante"],
                &["12", "certification", "Non certifiée", "Fraude constatée"],
                &["13", "C1", "Acquise", "Rattrapage oral"],
            ],
        );
        let list = read_deliberations(&[sheet], "deliberation.xlsx", &referential());
        assert!(list.findings.is_empty(), "{:?}", list.findings);
        assert_eq!(list.rows.len(), 3);
        assert_eq!(list.rows[0].target, Target::Competency(2));
        assert!(list.rows[0].granted);
        assert_eq!(list.rows[1].target, Target::Certification);
        assert!(!list.rows[1].granted);
    }

    #[test]
    fn points_at_the_offending_cell() {
        let sheet = sheet_from_text(
            "D",
            &[
                &["N° candidat", "Compétence", "Décision", "Motif"],
                &["11", "C9", "Validé", "x"],
                &["11", "C3", "Peut-être", "x"],
                &["11", "C3", "Validé", "   "],
                &["11", "C1", "Certifié", "x"],
            ],
        );
        let list = read_deliberations(&[sheet], "deliberation.xlsx", &referential());
        let cells: Vec<_> = list
            .findings
            .iter()
            .map(|f| f.cell.clone().unwrap_or_default())
            .collect();
        assert_eq!(cells, ["B2", "C3", "D4", "C5"]);
        assert!(list
            .findings
            .iter()
            .all(|f| f.code == Code::InvalidDeliberation));
    }
}

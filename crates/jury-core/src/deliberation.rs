//! The deliberation workbook: decisions the jury took in deliberation, each overriding the
//! computed outcome of one competency (or of the whole certification), with its motive.

use crate::candidates::is_name_header;
use crate::finding::{CellRef, Code, Finding};
use crate::header::{
    did_you_mean, extra_column, find_id_header_row, is_header, leftmost, nearest_header,
    other_headers, quoted_list, ID_HEADERS,
};
use crate::referential::Referential;
use crate::sheet::Sheet;
use crate::text::{fold, nearest};

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

const COMPETENCY_HEADERS: &[&str] = &[
    "Compétence",
    "Compétences",
    "Code compétence",
    "Compétence ou certification",
    "Bloc de compétences",
    "Bloc",
];
const DECISION_HEADERS: &[&str] = &["Décision", "Décision du jury", "Décision prise"];
const MOTIVE_HEADERS: &[&str] = &[
    "Motif",
    "Motifs",
    "Motivation",
    "Motif de la décision",
    "Justification",
];

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
                "Aucune ligne d'en-têtes avec une colonne de numéro de candidat dans le fichier de délibération.",
            )
            .in_file(file)
            .hint(format!(
                "En-têtes attendus : N° candidat, Compétence, Décision, Motif (en-têtes acceptés pour le numéro : {}).",
                quoted_list(ID_HEADERS)
            )),
        );
        return list;
    };
    let origin = CellRef::new(file, &sheet.name, 0, 0);
    let cell = |row: u32, col: u32| origin.moved_to(row, col);
    let id_col = leftmost(sheet, header_row, ID_HEADERS).unwrap_or_default();
    let columns = [
        (
            COMPETENCY_HEADERS,
            leftmost(sheet, header_row, COMPETENCY_HEADERS),
        ),
        (
            DECISION_HEADERS,
            leftmost(sheet, header_row, DECISION_HEADERS),
        ),
        (MOTIVE_HEADERS, leftmost(sheet, header_row, MOTIVE_HEADERS)),
    ];
    let mut known = vec![id_col];
    known.extend(columns.iter().filter_map(|(_, c)| *c));
    list.findings
        .extend(unread_headers(sheet, header_row, &known, &origin));
    let [(_, Some(comp_col)), (_, Some(dec_col)), (_, Some(motive_col))] = columns else {
        list.findings
            .push(missing_columns(&columns).at(&cell(header_row, id_col)));
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

/// `invalid-deliberation` for the columns of `columns` that the header row lacks, with the
/// headers accepted for each.
fn missing_columns(columns: &[(&[&str], Option<u32>); 3]) -> Finding {
    let missing: Vec<&[&str]> = columns
        .iter()
        .filter(|(_, c)| c.is_none())
        .map(|(accepted, _)| *accepted)
        .collect();
    let names: Vec<String> = missing
        .iter()
        .map(|accepted| format!("« {} »", accepted.first().copied().unwrap_or_default()))
        .collect();
    let message = match names.as_slice() {
        [one] => format!("La colonne {one} est absente du fichier de délibération."),
        _ => format!(
            "Les colonnes {} sont absentes du fichier de délibération.",
            names.join(", ")
        ),
    };
    let accepted: Vec<String> = missing
        .iter()
        .map(|accepted| {
            format!(
                "pour « {} » : {}",
                accepted.first().copied().unwrap_or_default(),
                quoted_list(accepted)
            )
        })
        .collect();
    let pronoun = if missing.len() > 1 { "les" } else { "la" };
    Finding::new(Code::InvalidDeliberation, message).hint(format!(
        "Ajoutez-{pronoun} sur la ligne d'en-têtes ; en-têtes acceptés {}.",
        accepted.join(" ; ")
    ))
}

/// `extra-column` for every header of the deliberation's header row that is not read
/// (the names beside the id are there for people, and are not reported).
fn unread_headers(sheet: &Sheet, header_row: u32, known: &[u32], origin: &CellRef) -> Vec<Finding> {
    let every = ID_HEADERS
        .iter()
        .chain(COMPETENCY_HEADERS)
        .chain(DECISION_HEADERS)
        .chain(MOTIVE_HEADERS)
        .copied();
    let every: Vec<&str> = every.collect();
    other_headers(sheet, header_row, known)
        .into_iter()
        .filter(|(_, text)| is_name_header(text).is_none() && !is_header(text, &["Nom d'usage"]))
        .map(|(c, text)| {
            let finding = extra_column(
                &text,
                &origin.moved_to(header_row, c),
                "n'est pas lue : le fichier de délibération ne lit que N° candidat, Compétence, Décision et Motif.",
            );
            match nearest_header(&text, every.iter().copied()) {
                Some(near) => finding.hint(did_you_mean(near)),
                None => finding.hint("Si elle sert à votre propre suivi, il n'y a rien à faire."),
            }
        })
        .collect()
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
    use crate::referential::BUILT_IN;
    use crate::sheet::sheet_from_text;

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
    fn header_variants_are_read_and_a_missing_column_is_named_with_its_headers() {
        let sheet = sheet_from_text(
            "D",
            &[
                &["N° du candidat", "Bloc", "Décision prise", "Justification"],
                &["11", "C3", "Validée", "Oral convaincant"],
            ],
        );
        let list = read_deliberations(&[sheet], "deliberation.xlsx", &referential());
        assert!(list.findings.is_empty(), "{:?}", list.findings);
        assert_eq!(list.rows[0].target, Target::Competency(2));

        let sheet = sheet_from_text("D", &[&["N°", "Compétence", "Décision", "Remarque"]]);
        let list = read_deliberations(&[sheet], "deliberation.xlsx", &referential());
        let messages: Vec<String> = list.findings.iter().map(Finding::full_message).collect();
        assert_eq!(
            messages.last().map(String::as_str),
            Some(
                "La colonne « Motif » est absente du fichier de délibération. Ajoutez-la sur la \
                 ligne d'en-têtes ; en-têtes acceptés pour « Motif » : « Motif », « Motifs », \
                 « Motivation », « Motif de la décision », « Justification »."
            )
        );
        assert_eq!(
            list.findings[0].code,
            Code::ExtraColumn,
            "« Remarque » is not read"
        );
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

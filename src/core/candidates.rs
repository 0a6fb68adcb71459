//! The candidates workbook: one row per candidate, read from the sheet `Candidats` (or the
//! first sheet) under a header row found among the first rows.

use crate::core::finding::{CellRef, Code, Finding};
use crate::core::header::{find_id_header_row, is_header, leftmost, ID_HEADERS};
use crate::core::sheet::{Date, Sheet, Value};
use crate::core::text::{fold, fold_header, nearest, safe_file_name};

/// One candidate, as the candidates file describes them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Candidate {
    pub id: String,
    pub last_name: String,
    pub first_name: String,
    pub birth_date: Option<Date>,
    pub birth_place: Option<String>,
    pub email: Option<String>,
    /// False only when the file says so: the candidate is then non-recevable.
    pub prerequisites_met: bool,
    pub accommodation: Option<String>,
    pub usage_name: Option<String>,
    pub sex: Option<String>,
    pub birth_insee: Option<String>,
    pub birth_postcode: Option<String>,
    pub birth_country: Option<String>,
    pub access: Option<String>,
    /// Other columns, header and value, in column order.
    pub extra: Vec<(String, String)>,
    /// The candidate's id cell, where candidate-level findings point.
    pub cell: CellRef,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
    LastName,
    FirstName,
    BirthDate,
    BirthPlace,
    Email,
    Prerequisites,
    Accommodation,
    UsageName,
    Sex,
    BirthInsee,
    BirthPostcode,
    BirthCountry,
    Access,
}

const FIELDS: &[(Field, &[&str])] = &[
    (Field::Id, ID_HEADERS),
    (Field::LastName, &["Nom", "Nom de naissance", "Last name"]),
    (Field::FirstName, &["Prénom", "Prénoms", "First name"]),
    (
        Field::BirthDate,
        &[
            "Date de naissance",
            "Né(e) le",
            "Né le",
            "Née le",
            "Birth date",
        ],
    ),
    (Field::BirthPlace, &["Lieu de naissance"]),
    (Field::Email, &["Email", "E-mail", "Courriel", "Mail"]),
    (
        Field::Prerequisites,
        &["Prérequis", "Prérequis validés", "Pré-requis"],
    ),
    (
        Field::Accommodation,
        &["Aménagement", "Aménagements", "Handicap"],
    ),
    (Field::UsageName, &["Nom d'usage"]),
    (Field::Sex, &["Sexe", "Genre"]),
    (
        Field::BirthInsee,
        &["Code INSEE de naissance", "Commune de naissance (code)"],
    ),
    (Field::BirthPostcode, &["Code postal de naissance"]),
    (Field::BirthCountry, &["Pays de naissance"]),
    (Field::Access, &["Modalité d'accès", "Voie d'accès"]),
];

/// The candidates and the findings of the candidates file.
#[derive(Debug, Default)]
pub struct CandidateList {
    pub candidates: Vec<Candidate>,
    pub findings: Vec<Finding>,
}

impl CandidateList {
    pub fn get(&self, id: &str) -> Option<&Candidate> {
        self.candidates.iter().find(|c| c.id == id)
    }

    /// The known id nearest to `id`, for hints: same digits without leading zeros, or a typo.
    pub fn near_id(&self, id: &str) -> Option<&str> {
        let trimmed = id.trim_start_matches('0');
        self.candidates
            .iter()
            .map(|c| c.id.as_str())
            .find(|c| c.trim_start_matches('0') == trimmed || fold(c) == fold(id))
            .or_else(|| nearest(id, self.candidates.iter().map(|c| c.id.as_str())))
    }
}

/// Chooses the sheet named `Candidats` (any case), else the first sheet.
pub fn pick_sheet(sheets: &[Sheet]) -> Option<&Sheet> {
    sheets
        .iter()
        .find(|s| fold_header(&s.name) == "candidats")
        .or_else(|| sheets.first())
}

/// Reads the candidates sheet; `file` is its path relative to the session.
pub fn read_candidates(sheet: &Sheet, file: &str) -> CandidateList {
    let mut list = CandidateList::default();
    let Some(header_row) = find_id_header_row(sheet) else {
        list.findings.push(
            Finding::new(
                Code::MissingField,
                format!(
                    "Aucune ligne d'en-tête avec une colonne « N° candidat » dans les 20 premières lignes de la feuille « {} ».",
                    sheet.name
                ),
            )
            .in_sheet(file, &sheet.name)
            .hint("Ajoutez une ligne d'en-têtes : N° candidat, Nom, Prénom…"),
        );
        return list;
    };
    let columns: Vec<(Field, Option<u32>)> = FIELDS
        .iter()
        .map(|(f, headers)| (*f, leftmost(sheet, header_row, headers)))
        .collect();
    let col = |field: Field| {
        columns
            .iter()
            .find(|(f, _)| *f == field)
            .and_then(|(_, c)| *c)
    };
    let known: Vec<u32> = columns.iter().filter_map(|(_, c)| *c).collect();
    let extra: Vec<(u32, String)> = sheet
        .row(header_row)
        .iter()
        .enumerate()
        .filter_map(|(c, v)| Some((u32::try_from(c).ok()?, v.text()?)))
        .filter(|(c, _)| !known.contains(c))
        .collect();
    let header_cell = |c: u32| CellRef::new(file, &sheet.name, header_row, c);
    let id_col = col(Field::Id).unwrap_or_default();
    for (field, label) in [(Field::LastName, "Nom"), (Field::FirstName, "Prénom")] {
        if col(field).is_none() {
            list.findings.push(
                Finding::new(
                    Code::MissingField,
                    format!("La colonne obligatoire « {label} » est absente des en-têtes."),
                )
                .at(&header_cell(id_col)),
            );
        }
    }
    for row in header_row + 1..sheet.row_count() {
        if sheet.is_blank_row(row) {
            continue;
        }
        let cell = |c: u32| CellRef::new(file, &sheet.name, row, c);
        let text = |field: Field| col(field).and_then(|c| sheet.get(row, c).text());
        let id_cell = cell(id_col);
        let Some(id) = text(Field::Id) else {
            list.findings.push(
                Finding::new(
                    Code::MissingField,
                    format!("Ligne {} : le numéro de candidat est vide.", row + 1),
                )
                .at(&id_cell),
            );
            continue;
        };
        let mut candidate = Candidate {
            id: id.clone(),
            cell: id_cell.clone(),
            prerequisites_met: true,
            ..Candidate::default()
        };
        for (field, label) in [(Field::LastName, "Nom"), (Field::FirstName, "Prénom")] {
            match (col(field), text(field)) {
                (Some(_), Some(v)) if field == Field::LastName => candidate.last_name = v,
                (Some(_), Some(v)) => candidate.first_name = v,
                (Some(c), None) => list.findings.push(
                    Finding::new(
                        Code::MissingField,
                        format!("Le champ « {label} » du candidat {id} est vide."),
                    )
                    .at(&cell(c))
                    .candidate(&id),
                ),
                (None, _) => {}
            }
        }
        if let Some(c) = col(Field::BirthDate) {
            match read_date(sheet.get(row, c)) {
                Ok(date) => candidate.birth_date = date,
                Err(shown) => list.findings.push(
                    Finding::new(
                        Code::InvalidDate,
                        format!("La date de naissance « {shown} » du candidat {id} n'est pas une date."),
                    )
                    .at(&cell(c))
                    .candidate(&id)
                    .hint("Écrivez-la JJ/MM/AAAA, par exemple 03/07/1988, ou utilisez une cellule de type date."),
                ),
            }
        }
        if let Some(c) = col(Field::Prerequisites) {
            match read_yes_no(sheet.get(row, c)) {
                Some(met) => candidate.prerequisites_met = met,
                None => {
                    let finding = match sheet.get(row, c).text() {
                        None => Finding::new(
                            Code::MissingField,
                            format!("Le champ « Prérequis » du candidat {id} est vide."),
                        )
                        .hint("Indiquez Oui ou Non : un candidat n'est jamais déclaré non recevable par une case oubliée."),
                        Some(v) => Finding::new(
                            Code::InvalidPrerequisite,
                            format!("Valeur de prérequis « {v} » non reconnue pour le candidat {id}."),
                        )
                        .hint("Valeurs acceptées : Oui / Non (ou oui, non, x, 1, 0, vrai, faux)."),
                    };
                    list.findings.push(finding.at(&cell(c)).candidate(&id));
                }
            }
        }
        candidate.birth_place = text(Field::BirthPlace);
        candidate.email = text(Field::Email);
        candidate.accommodation = text(Field::Accommodation);
        candidate.usage_name = text(Field::UsageName);
        candidate.sex = text(Field::Sex);
        candidate.birth_insee = text(Field::BirthInsee);
        candidate.birth_postcode = text(Field::BirthPostcode);
        candidate.birth_country = text(Field::BirthCountry);
        candidate.access = text(Field::Access);
        candidate.extra = extra
            .iter()
            .filter_map(|(c, h)| Some((h.clone(), sheet.get(row, *c).text()?)))
            .collect();
        check_identity(&mut list, &candidate);
        list.candidates.push(candidate);
    }
    list
}

/// `duplicate-candidate` and `ambiguous-id` against the candidates already read.
fn check_identity(list: &mut CandidateList, candidate: &Candidate) {
    let id = &candidate.id;
    if let Some(first) = list.candidates.iter().find(|c| &c.id == id) {
        list.findings.push(
            Finding::new(
                Code::DuplicateCandidate,
                format!(
                    "Le candidat {id} figure deux fois (déjà en {}).",
                    first.cell.a1()
                ),
            )
            .at(&candidate.cell)
            .candidate(id)
            .hint("Supprimez la ligne en double ou corrigez le numéro."),
        );
    } else if let Some(other) = list
        .candidates
        .iter()
        .find(|c| fold(&c.id) == fold(id) || safe_file_name(&c.id) == safe_file_name(id))
    {
        list.findings.push(
            Finding::new(
                Code::AmbiguousId,
                format!(
                    "Les numéros « {} » ({}) et « {id} » se confondent (même nom de fichier ou différence de casse seulement).",
                    other.id,
                    other.cell.a1()
                ),
            )
            .at(&candidate.cell)
            .candidate(id)
            .hint("Donnez à chaque candidat un numéro vraiment distinct."),
        );
    }
}

/// A date cell, `JJ/MM/AAAA` or ISO text; `Ok(None)` when empty, `Err(shown)` otherwise.
fn read_date(value: &Value) -> Result<Option<Date>, String> {
    match value {
        Value::Date(d) => Ok(Some(*d)),
        v => match v.text() {
            None => Ok(None),
            Some(t) => Date::parse(&t).map(Some).ok_or(t),
        },
    }
}

/// Oui/non, yes/no, x, 1/0, vrai/faux, true/false, validé/non validé, or a boolean cell.
pub fn read_yes_no(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) if *n == 1.0 => Some(true),
        Value::Number(n) if *n == 0.0 => Some(false),
        v => {
            let text = fold(&v.text()?);
            const YES: &[&str] = &[
                "oui", "o", "yes", "y", "x", "1", "vrai", "true", "valide", "validee", "valides",
                "ok",
            ];
            const NO: &[&str] = &[
                "non",
                "n",
                "no",
                "0",
                "faux",
                "false",
                "non valide",
                "non validee",
            ];
            if YES.contains(&text.as_str()) {
                Some(true)
            } else if NO.contains(&text.as_str()) {
                Some(false)
            } else {
                None
            }
        }
    }
}

/// Is this the header of a candidate's last or first name column (for grids' name checks)?
pub fn is_name_header(text: &str) -> Option<bool> {
    if is_header(text, FIELDS[1].1) {
        Some(true)
    } else if is_header(text, FIELDS[2].1) {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::sheet::sheet_from_text;

    fn codes(list: &CandidateList) -> Vec<(Code, String)> {
        list.findings
            .iter()
            .map(|f| (f.code, f.cell.clone().unwrap_or_default()))
            .collect()
    }

    #[test]
    fn reads_candidates_under_a_title_with_numeric_ids_and_text_dates() {
        let sheet = sheet_from_text(
            "Candidats",
            &[
                &["Liste des candidats"],
                &[],
                &[
                    "N° candidat",
                    "NOM",
                    "prénom ",
                    "Né(e) le",
                    "Prérequis validés",
                    "Nom d'usage",
                    "Jury",
                ],
                &[
                    "2026001",
                    "Lefèvre-N'Diaye",
                    "Zoé",
                    "03/07/1988",
                    "oui",
                    "",
                    "A",
                ],
                &[],
                &[
                    "2026002",
                    "Nguyễn",
                    "Thị Hương",
                    "1990-01-31",
                    "Non",
                    "Martin",
                    "B",
                ],
            ],
        );
        let list = read_candidates(&sheet, "candidats.xlsx");
        assert!(list.findings.is_empty(), "{:?}", list.findings);
        assert_eq!(list.candidates.len(), 2);
        let zoe = &list.candidates[0];
        assert_eq!(
            (zoe.id.as_str(), zoe.last_name.as_str()),
            ("2026001", "Lefèvre-N'Diaye")
        );
        assert_eq!(zoe.birth_date, Date::new(1988, 7, 3));
        assert_eq!(zoe.cell.a1(), "A4");
        assert_eq!(zoe.extra, vec![("Jury".to_string(), "A".to_string())]);
        assert!(!list.candidates[1].prerequisites_met);
        assert_eq!(list.candidates[1].usage_name.as_deref(), Some("Martin"));
        assert_eq!(list.candidates[1].last_name, "Nguyễn");
    }

    #[test]
    fn reports_bad_cells_where_they_are() {
        let sheet = sheet_from_text(
            "Feuil1",
            &[
                &["Numéro", "Nom", "Prénom", "Date de naissance", "Prérequis"],
                &["1", "A", "", "31/02/1990", ""],
                &["2", "B", "b", "", "peut-être"],
                &["1", "C", "c", "", "oui"],
                &["abc", "D", "d", "", "oui"],
                &["ABC", "E", "e", "", "oui"],
            ],
        );
        let list = read_candidates(&sheet, "candidats.xlsx");
        assert_eq!(
            codes(&list),
            vec![
                (Code::MissingField, "C2".into()),
                (Code::InvalidDate, "D2".into()),
                (Code::MissingField, "E2".into()),
                (Code::InvalidPrerequisite, "E3".into()),
                (Code::DuplicateCandidate, "A4".into()),
                (Code::AmbiguousId, "A6".into()),
            ]
        );
    }

    #[test]
    fn near_ids_are_suggested() {
        let sheet = sheet_from_text("C", &[&["ID", "Nom", "Prénom"], &["000123", "A", "a"]]);
        let list = read_candidates(&sheet, "c.xlsx");
        assert_eq!(list.near_id("123"), Some("000123"));
    }

    #[test]
    fn yes_no_words() {
        assert_eq!(read_yes_no(&Value::Text("Oui".into())), Some(true));
        assert_eq!(read_yes_no(&Value::Text("X".into())), Some(true));
        assert_eq!(read_yes_no(&Value::Bool(false)), Some(false));
        assert_eq!(read_yes_no(&Value::Text("Vrai".into())), Some(true));
        assert_eq!(read_yes_no(&Value::Text("peut-être".into())), None);
    }
}

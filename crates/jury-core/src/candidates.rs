//! The candidates workbook: one row per candidate, read from the sheet `Candidats` (or the
//! first sheet) under a header row found among the first rows.

use std::collections::HashMap;

use crate::example_row::example_row;
use crate::finding::{CellRef, Code, Finding};
use crate::header::{
    did_you_mean, extra_column, find_id_header_row, header_key, is_header, leftmost,
    nearest_header, other_headers, quoted_list, ASSIGNMENT_HEADERS, ID_HEADERS,
};
use crate::sheet::{Date, Sheet, Value};
use crate::text::{column_letters, file_key, fold, fold_header, nearest, unsafe_char, visible};

/// One candidate, as the candidates file describes them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Candidate {
    pub id: String,
    pub last_name: String,
    pub first_name: String,
    /// A full birth date (date cell, `JJ/MM/AAAA` or ISO text).
    pub birth_date: Option<Date>,
    /// A birth date known only by its year, or year and month (`AAAA`, `MM/AAAA` text), as
    /// for some people born abroad; `None` when `birth_date` is set.
    pub birth_partial: Option<PartialDate>,
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

/// A field of the candidates file (one column each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
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

/// The headers accepted for each field, the usual one first (see [`header_key`] for the
/// words allowed around them: « du candidat », « ok », « validés », « (oui/non) »…).
const FIELDS: &[(Field, &[&str])] = &[
    (Field::Id, ID_HEADERS),
    (
        Field::LastName,
        &[
            "Nom",
            "Nom de naissance",
            "Nom de famille",
            "Nom patronymique",
            "Last name",
        ],
    ),
    (
        Field::FirstName,
        &["Prénom", "Prénoms", "Prénom(s)", "First name"],
    ),
    (
        Field::BirthDate,
        &[
            "Date de naissance",
            "Date de naiss.",
            "Né(e) le",
            "Né le",
            "Née le",
            "DDN",
            "Birth date",
            "Date of birth",
        ],
    ),
    (
        Field::BirthPlace,
        &[
            "Lieu de naissance",
            "Né(e) à",
            "Né à",
            "Née à",
            "Ville de naissance",
            "Commune de naissance",
        ],
    ),
    (
        Field::Email,
        &[
            "Email",
            "E-mail",
            "Courriel",
            "Mail",
            "Mél",
            "Adresse e-mail",
            "Adresse email",
            "Adresse mail",
            "Adresse électronique",
        ],
    ),
    (
        Field::Prerequisites,
        &[
            "Prérequis",
            "Prérequis validés",
            "Prérequis OK",
            "Pré-requis",
            "Prérequis remplis",
            "Validation des prérequis",
            "Recevable",
            "Recevabilité",
        ],
    ),
    (
        Field::Accommodation,
        &[
            "Aménagement",
            "Aménagements",
            "Aménagement d'épreuve",
            "Aménagements d'épreuves",
            "Handicap",
            "Situation de handicap",
        ],
    ),
    (
        Field::UsageName,
        &["Nom d'usage", "Nom marital", "Nom d'épouse"],
    ),
    (Field::Sex, &["Sexe", "Genre"]),
    (
        Field::BirthInsee,
        &[
            "Code INSEE de naissance",
            "Commune de naissance (code)",
            "Code commune de naissance",
        ],
    ),
    (
        Field::BirthPostcode,
        &["Code postal de naissance", "CP de naissance"],
    ),
    (Field::BirthCountry, &["Pays de naissance"]),
    (
        Field::Access,
        &["Modalité d'accès", "Modalités d'accès", "Voie d'accès"],
    ),
];

impl Field {
    /// The usual header of this field's column, as findings name it.
    pub fn header(self) -> &'static str {
        self.accepted().first().copied().unwrap_or_default()
    }

    /// Every header accepted for this field, the usual one first.
    pub fn accepted(self) -> &'static [&'static str] {
        FIELDS
            .iter()
            .find(|(f, _)| *f == self)
            .map(|(_, headers)| *headers)
            .unwrap_or_default()
    }
}

impl Candidate {
    /// The names in the candidate's `Jury` / `Commission` cell (split on `,` `;` `/` `+`),
    /// none when the cell is empty or there is no such column.
    pub fn assignment(&self) -> Vec<String> {
        let accepted: Vec<String> = ASSIGNMENT_HEADERS.iter().map(|h| fold_header(h)).collect();
        self.extra
            .iter()
            .find(|(h, _)| accepted.contains(&fold_header(h)))
            .map(|(_, v)| {
                v.split([',', ';', '/', '+'])
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A birth date without its day (`MM/AAAA`) or without day and month (`AAAA`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
}

impl PartialDate {
    /// Parses `AAAA`, `MM/AAAA` (also with `-` or `.`), ISO `AAAA-MM`, and the civil-registry
    /// forms `00/MM/AAAA` and `00/00/AAAA` (zeros for what is unknown).
    pub fn parse(text: &str) -> Option<PartialDate> {
        let parts: Vec<&str> = text.trim().split(['/', '-', '.']).collect();
        if parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let year = |p: &str| {
            if p.len() == 4 {
                p.parse::<i32>().ok()
            } else {
                None
            }
        };
        let month = |p: &str| -> Option<Option<u32>> {
            match (p.len(), p.parse::<u32>().ok()?) {
                (1 | 2, 0) => Some(None),
                (1 | 2, m @ 1..=12) => Some(Some(m)),
                _ => None,
            }
        };
        let (year, month) = match parts.as_slice() {
            [y] => (year(y)?, None),
            [m, y] if y.len() == 4 => (year(y)?, month(m)?),
            [y, m] if y.len() == 4 => (year(y)?, month(m)?),
            [d, m, y] if d.len() <= 2 && d.bytes().all(|b| b == b'0') => (year(y)?, month(m)?),
            _ => return None,
        };
        Some(PartialDate { year, month })
    }
}

/// The candidates and the findings of the candidates file.
#[derive(Debug, Default)]
pub struct CandidateList {
    pub candidates: Vec<Candidate>,
    pub findings: Vec<Finding>,
    /// The header row's id cell, where a missing column is reported; `None` without header.
    pub header: Option<CellRef>,
    /// The column of each field found in the header row.
    pub columns: Vec<(Field, u32)>,
    /// Position of each id, of each case-folded id and of each file name (as a file system
    /// compares them, [`file_key`]), first seen.
    by_id: HashMap<String, usize>,
    by_folded: HashMap<String, usize>,
    by_safe_name: HashMap<String, usize>,
}

impl CandidateList {
    /// The column of `field`, when the header row has one.
    pub fn column(&self, field: Field) -> Option<u32> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| *c)
    }

    pub fn get(&self, id: &str) -> Option<&Candidate> {
        self.by_id.get(id).map(|&i| &self.candidates[i])
    }

    /// Adds a candidate, reporting `duplicate-candidate` and `ambiguous-id` against the
    /// candidates already there.
    pub fn push(&mut self, candidate: Candidate) {
        check_identity(self, &candidate);
        let position = self.candidates.len();
        self.by_id.entry(candidate.id.clone()).or_insert(position);
        self.by_folded
            .entry(fold(&candidate.id))
            .or_insert(position);
        self.by_safe_name
            .entry(file_key(&candidate.id))
            .or_insert(position);
        self.candidates.push(candidate);
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
                    "Aucune ligne d'en-têtes avec une colonne de numéro de candidat dans les 20 premières lignes de la feuille « {} ».",
                    sheet.name
                ),
            )
            .in_sheet(file, &sheet.name)
            .hint(format!(
                "Ajoutez une ligne d'en-têtes : N° candidat, Nom, Prénom… (en-têtes acceptés pour le numéro : {}).",
                quoted_list(ID_HEADERS)
            )),
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
        .filter_map(|(c, v)| Some((c, v.text()?)))
        .filter(|(c, _)| !known.contains(c))
        .collect();
    // Every cell reference shares these file and sheet names.
    let origin = CellRef::new(file, &sheet.name, 0, 0);
    let header_cell = |c: u32| origin.moved_to(header_row, c);
    let id_col = col(Field::Id).unwrap_or_default();
    list.header = Some(header_cell(id_col));
    list.columns = columns
        .iter()
        .filter_map(|(f, c)| Some((*f, (*c)?)))
        .collect();
    for field in [Field::LastName, Field::FirstName] {
        if col(field).is_none() {
            list.findings.push(
                Finding::new(
                    Code::MissingField,
                    format!(
                        "La colonne obligatoire « {} » est absente de la ligne d'en-têtes.",
                        field.header()
                    ),
                )
                .at(&header_cell(id_col))
                .hint(format!(
                    "Ajoutez-la, ou renommez l'en-tête qui la contient ; en-têtes acceptés : {}.",
                    quoted_list(field.accepted())
                )),
            );
        }
    }
    let header_row_findings = unread_headers(sheet, header_row, &list.columns, &origin);
    list.findings.extend(header_row_findings);
    for row in header_row + 1..sheet.row_count() {
        if sheet.is_blank_row(row) {
            continue;
        }
        let cell = |c: u32| origin.moved_to(row, c);
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
        for field in [Field::LastName, Field::FirstName] {
            let label = field.header();
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
                Ok((date, partial)) => {
                    candidate.birth_date = date;
                    candidate.birth_partial = partial;
                }
                Err(shown) => list.findings.push(
                    Finding::new(
                        Code::InvalidDate,
                        format!("La date de naissance « {shown} » du candidat {id} n'est pas une date valide."),
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
        for (field, value) in identity(&candidate) {
            if let (Some(c), Some(bad)) = (col(field), unsafe_char(value)) {
                list.findings
                    .push(unsafe_character(&candidate.id, field, value, bad).at(&cell(c)));
            }
        }
        match example_row(&candidate) {
            Some(example) => list.findings.push(example),
            None => list.push(candidate),
        }
    }
    list
}

/// A finding for every header of the header row that no field reads: `unrecognised-column`
/// when it looks like the prerequisites or the birth date and that field has no column,
/// `extra-column` otherwise. The `Jury` / `Commission` column (`jury grids`) is known.
fn unread_headers(
    sheet: &Sheet,
    header_row: u32,
    columns: &[(Field, u32)],
    origin: &CellRef,
) -> Vec<Finding> {
    let known: Vec<u32> = columns.iter().map(|(_, c)| *c).collect();
    let column_of = |field: Field| columns.iter().find(|(f, _)| *f == field).map(|(_, c)| *c);
    let assignment: Vec<String> = ASSIGNMENT_HEADERS.iter().map(|h| fold_header(h)).collect();
    let every_header = FIELDS
        .iter()
        .flat_map(|(_, headers)| headers.iter().copied());
    let every_header: Vec<&str> = every_header.collect();
    let mut findings = Vec::new();
    for (c, text) in other_headers(sheet, header_row, &known) {
        if assignment.contains(&fold_header(&text)) {
            continue;
        }
        let cell = origin.moved_to(header_row, c);
        let repeated = FIELDS.iter().find(|(_, headers)| is_header(&text, headers));
        let resembled = resembled_field(&text);
        let finding = match (repeated, resembled) {
            (Some((field, _)), _) => {
                let first = column_of(*field).map_or_else(String::new, column_letters);
                extra_column(
                    &text,
                    &cell,
                    &format!(
                        "répète le champ « {} » de la colonne {first}, qui seule est lue : elle est conservée sans servir à aucune décision.",
                        field.header()
                    ),
                )
                .hint("Supprimez la colonne en double, ou recopiez ses valeurs dans la première.")
            }
            (None, Some(field)) => match column_of(field) {
                None => unrecognised_column(&text, &cell, field),
                Some(first) => extra_column(
                    &text,
                    &cell,
                    &format!(
                        "ressemble au champ « {} », lu dans la colonne {} : elle est conservée sans servir à aucune décision.",
                        field.header(),
                        column_letters(first)
                    ),
                )
                .hint("Vérifiez que la colonne lue est bien celle qui fait foi."),
            },
            (None, None) => {
                let finding = extra_column(
                    &text,
                    &cell,
                    "n'est pas une colonne connue : elle est conservée avec les données des candidats, sans servir à aucune décision.",
                );
                let near = nearest_header(&text, every_header.iter().copied())
                    .or_else(|| widened_header(&text, columns));
                match near {
                    Some(near) => finding.hint(did_you_mean(near)),
                    None if looks_like_assignment(&text) => finding.hint(
                        "Si elle répartit les candidats entre les jurés, intitulez-la « Jury » ou « Commission » : c'est cette colonne que lit `jury grids`.",
                    ),
                    None => finding.hint("Si elle sert à votre propre suivi, il n'y a rien à faire."),
                }
            }
        };
        findings.push(finding);
    }
    findings
}

/// The header of a field without a column that `text` starts with, word for word
/// (« Prénom usuel » → « Prénom »), the longest when several do.
fn widened_header(text: &str, columns: &[(Field, u32)]) -> Option<&'static str> {
    let key = header_key(text);
    FIELDS
        .iter()
        .filter(|(field, _)| !columns.iter().any(|(f, _)| f == field))
        .flat_map(|(_, headers)| headers.iter().copied())
        .filter(|h| key.starts_with(&format!("{} ", header_key(h))))
        .min_by_key(|h| std::cmp::Reverse(header_key(h).len()))
}

/// Does this header look like a sub-jury column without being `Jury` or `Commission`
/// (« Jury du candidat », « Sous-jury », « Groupe », « Commission n° »)?
fn looks_like_assignment(text: &str) -> bool {
    let key = header_key(text);
    key.split(' ')
        .any(|w| matches!(w, "jury" | "commission" | "groupe" | "sous"))
}

/// `unrecognised-column`: a header that looks like `field` without being one of its
/// headers, while no other column gives `field`.
fn unrecognised_column(text: &str, cell: &CellRef, field: Field) -> Finding {
    let consequence = match field {
        Field::Prerequisites => {
            "les prérequis ne sont donc pas lus, et tous les candidats seraient déclarés recevables"
        }
        _ => {
            "les dates de naissance ne sont donc pas lues, alors que le certificat doit les porter"
        }
    };
    Finding::new(
        Code::UnrecognisedColumn,
        format!(
            "L'en-tête « {text} » ressemble au champ « {} » sans être reconnu : {consequence}.",
            field.header()
        ),
    )
    .at(cell)
    .hint(format!(
        "Renommez l'en-tête avec l'un des en-têtes acceptés : {}.",
        quoted_list(field.accepted())
    ))
}

/// The field that decides something and that this unmatched header looks like:
/// prerequisites (« Prérequis… », « Pré-requis… », « Recevable… ») or birth date
/// (« …naissance » with « date » or no place word, « Né(e) le… », « Birth… »).
fn resembled_field(text: &str) -> Option<Field> {
    const PLACE_WORDS: &[&str] = &[
        "lieu",
        "ville",
        "commune",
        "pays",
        "code",
        "insee",
        "postal",
        "cp",
        "departement",
        "region",
        "nom",
        "nationalite",
    ];
    let key = header_key(text);
    let words: Vec<&str> = key.split(' ').collect();
    let has = |w: &str| words.contains(&w);
    let compact = key.replace(' ', "");
    if compact.contains("prerequi") || compact.contains("recevab") {
        return Some(Field::Prerequisites);
    }
    let born = matches!(words.first(), Some(&"ne" | &"nee")) && !has("pas");
    let birth_date = (has("naissance")
        && (has("date") || !words.iter().any(|w| PLACE_WORDS.contains(w))))
        || (born && (has("le") || (words.len() <= 2 && !has("a"))))
        || has("birth")
        || has("ddn");
    birth_date.then_some(Field::BirthDate)
}

/// The identity fields of a candidate, with the text read.
fn identity(candidate: &Candidate) -> Vec<(Field, &str)> {
    let mut fields = vec![
        (Field::Id, candidate.id.as_str()),
        (Field::LastName, candidate.last_name.as_str()),
        (Field::FirstName, candidate.first_name.as_str()),
    ];
    for (field, value) in [
        (Field::UsageName, &candidate.usage_name),
        (Field::BirthPlace, &candidate.birth_place),
        (Field::Email, &candidate.email),
        (Field::Sex, &candidate.sex),
        (Field::BirthInsee, &candidate.birth_insee),
        (Field::BirthPostcode, &candidate.birth_postcode),
        (Field::BirthCountry, &candidate.birth_country),
    ] {
        if let Some(value) = value {
            fields.push((field, value.as_str()));
        }
    }
    fields
}

/// `unsafe-character`: a control, bidirectional or invisible character in an identity field.
fn unsafe_character(id: &str, field: Field, value: &str, bad: char) -> Finding {
    let kind = if bad.is_control() {
        "un caractère de contrôle"
    } else if matches!(bad, '\u{200B}' | '\u{2060}' | '\u{FEFF}') {
        "un caractère invisible"
    } else {
        "une commande de sens d'écriture, qui change l'ordre d'affichage"
    };
    Finding::new(
        Code::UnsafeCharacter,
        format!(
            "Le champ « {} » du candidat {} contient {kind} (U+{:04X}) : « {} ».",
            field.header(),
            visible(id),
            u32::from(bad),
            visible(value)
        ),
    )
    .candidate(id)
    .hint("Retapez la valeur dans la cellule (un copier-coller depuis un courriel ou une page web peut apporter ces caractères).")
}

/// `duplicate-candidate` and `ambiguous-id` against the candidates already read.
fn check_identity(list: &mut CandidateList, candidate: &Candidate) {
    let id = &candidate.id;
    if let Some(first) = list.get(id) {
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
        .by_folded
        .get(&fold(id))
        .or_else(|| list.by_safe_name.get(&file_key(id)))
        .map(|&i| &list.candidates[i])
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

/// What a birth date cell holds, full or partial.
type BirthCell = (Option<Date>, Option<PartialDate>);

/// A date cell, `JJ/MM/AAAA` or ISO text, or a partial date (`AAAA`, `MM/AAAA`);
/// `Ok((None, None))` when empty, `Err(shown)` otherwise.
fn read_date(value: &Value) -> Result<BirthCell, String> {
    match value {
        Value::Date(d) => Ok((Some(*d), None)),
        v => match v.text() {
            None => Ok((None, None)),
            Some(t) => match Date::parse(&t) {
                Some(d) => Ok((Some(d), None)),
                None => PartialDate::parse(&t).map(|p| (None, Some(p))).ok_or(t),
            },
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
    if is_header(text, Field::LastName.accepted()) {
        Some(true)
    } else if is_header(text, Field::FirstName.accepted()) {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::sheet::sheet_from_text;
    use crate::text::safe_file_name;

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
    fn control_and_bidirectional_characters_in_identity_fields_are_findings() {
        let sheet = sheet_from_text(
            "Candidats",
            &[
                &["N° candidat", "Nom", "Prénom", "Lieu de naissance"],
                &["2026001", "Durand\u{202E}siocnarF", "Alice", "Lyon"],
                &["2026002", "Petit", "Bru\tno", "Paris\u{200B}"],
                &["2026\u{2066}003", "Martin", "Zoé", ""],
                &["2026004", "Nguyễn", "Thị\u{200C}Hương", "Hà Nội"],
            ],
        );
        let list = read_candidates(&sheet, "candidats.xlsx");
        assert_eq!(
            codes(&list),
            vec![
                (Code::UnsafeCharacter, "B2".into()),
                (Code::UnsafeCharacter, "C3".into()),
                (Code::UnsafeCharacter, "D3".into()),
                (Code::UnsafeCharacter, "A4".into()),
            ]
        );
        assert!(list.findings[0].message.contains("U+202E"));
        assert!(list.findings[3].message.contains("2026[U+2066]003"));
        assert_eq!(list.candidates.len(), 4, "the candidates are still read");
    }

    #[test]
    fn lookalikes_of_deciding_fields() {
        for (header, field) in [
            ("Prérequis (oui/non) à vérifier", Some(Field::Prerequisites)),
            ("Prérequis non validés", Some(Field::Prerequisites)),
            ("Non recevable", Some(Field::Prerequisites)),
            ("Date et lieu de naissance", Some(Field::BirthDate)),
            ("Naissance", Some(Field::BirthDate)),
            ("Né(e) le / à", Some(Field::BirthDate)),
            ("Département de naissance", None),
            ("Date d'inscription", None),
            ("Ne pas remplir", None),
            ("Financeur", None),
        ] {
            assert_eq!(resembled_field(header), field, "{header}");
        }
        for header in ["Jury du candidat", "Sous-jury", "Groupe", "Commission n°"] {
            assert!(looks_like_assignment(header), "{header}");
        }
        assert!(!looks_like_assignment("Financeur"));
    }

    #[test]
    fn the_usual_variants_name_their_field() {
        let sheet = sheet_from_text(
            "Candidats",
            &[
                &[
                    "N°",
                    "NOM",
                    "Prénom(s)",
                    "Date de naiss.",
                    "Prérequis OK ?",
                    "Née à",
                    "Nom d'usage",
                    "Adresse mail",
                ],
                &["1", "A", "a", "03/07/1988", "non", "Lyon", "B", "a@b.fr"],
            ],
        );
        let list = read_candidates(&sheet, "candidats.xlsx");
        assert!(list.findings.is_empty(), "{:?}", list.findings);
        let c = &list.candidates[0];
        assert!(!c.prerequisites_met);
        assert_eq!(c.birth_date, Date::new(1988, 7, 3));
        assert_eq!(c.birth_place.as_deref(), Some("Lyon"));
        assert_eq!(c.usage_name.as_deref(), Some("B"));
        assert_eq!((c.last_name.as_str(), c.first_name.as_str()), ("A", "a"));
        assert_eq!(c.email.as_deref(), Some("a@b.fr"));
        assert!(c.extra.is_empty());
    }

    #[test]
    fn near_ids_are_suggested() {
        let sheet = sheet_from_text("C", &[&["ID", "Nom", "Prénom"], &["000123", "A", "a"]]);
        let list = read_candidates(&sheet, "c.xlsx");
        assert_eq!(list.near_id("123"), Some("000123"));
    }

    /// Ids as people and attackers type them: digits, letters of both cases, accents in both
    /// Unicode forms, separators, dots, spaces, device names, any character at all.
    fn id() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("2026001".to_string()),
            Just("CON".to_string()),
            Just("con.txt".to_string()),
            Just("..".to_string()),
            Just(".".to_string()),
            Just("/".to_string()),
            Just("\\".to_string()),
            Just(" ".to_string()),
            Just("e\u{301}".to_string()),
            Just("é".to_string()),
            Just("ǅ".to_string()),
            "[a-cA-C0-2._:<>|?*\"-]{1,3}",
            any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 1..5).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::with_cases(2000)
        })]

        /// A safe name is one plain file name: no separator, no `.` or `..`, nothing that
        /// Windows refuses, so it can never leave the folder it is written in.
        #[test]
        fn safe_names_never_escape(id in id()) {
            let name = safe_file_name(&id);
            prop_assert!(!name.is_empty());
            prop_assert!(name != "." && name != "..");
            prop_assert!(!name.starts_with('.'));
            prop_assert!(!name.ends_with('.') && !name.ends_with(' '));
            prop_assert!(!name.chars().any(|c| c.is_control()
                || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')));
            let path = std::path::Path::new("resultats/releves").join(&name);
            prop_assert_eq!(path.parent(), Some(std::path::Path::new("resultats/releves")));
            prop_assert_eq!(
                std::path::Path::new(&name).components().count(), 1,
                "{:?} is one component", name
            );
        }

        /// Two different ids whose files a file system would take for one (same safe name
        /// ignoring case and normalisation), or that differ only by case, are a finding:
        /// never an overwrite.
        #[test]
        fn ids_that_collide_are_ambiguous(a in id(), b in id()) {
            let (ta, tb) = (a.trim().to_string(), b.trim().to_string());
            prop_assume!(!ta.is_empty() && !tb.is_empty() && ta != tb);
            let mut list = CandidateList::default();
            for (i, id) in [&ta, &tb].into_iter().enumerate() {
                list.push(Candidate {
                    id: id.clone(),
                    cell: CellRef::new("c.xlsx", "C", u32::try_from(i).unwrap_or(0), 0),
                    ..Candidate::default()
                });
            }
            let collide = file_key(&ta) == file_key(&tb) || fold(&ta) == fold(&tb);
            let ambiguous = list.findings.iter().any(|f| f.code == Code::AmbiguousId);
            prop_assert_eq!(collide, ambiguous, "{:?} / {:?}", ta, tb);
        }
    }

    #[test]
    fn yes_no_words() {
        assert_eq!(read_yes_no(&Value::Text("Oui".into())), Some(true));
        assert_eq!(read_yes_no(&Value::Text("X".into())), Some(true));
        assert_eq!(read_yes_no(&Value::Bool(false)), Some(false));
        assert_eq!(read_yes_no(&Value::Text("Vrai".into())), Some(true));
        assert_eq!(read_yes_no(&Value::Text("peut-être".into())), None);
    }

    #[test]
    fn partial_birth_dates_are_kept_and_full_dates_unchanged() {
        let partial = |y, m| Some(PartialDate { year: y, month: m });
        for (text, expected) in [
            ("1990", partial(1990, None)),
            ("07/1990", partial(1990, Some(7))),
            ("7-1990", partial(1990, Some(7))),
            ("1990-07", partial(1990, Some(7))),
            ("00/07/1990", partial(1990, Some(7))),
            ("00/00/1990", partial(1990, None)),
            ("13/1990", None),
            ("07/90", None),
            ("31/02/1990", None),
            ("1990/1990", None),
            ("vers 1990", None),
        ] {
            assert_eq!(PartialDate::parse(text), expected, "{text}");
        }
        let sheet = sheet_from_text(
            "Candidats",
            &[
                &["N° candidat", "Nom", "Prénom", "Date de naissance"],
                &["1", "A", "a", "07/1990"],
                &["2", "B", "b", "1985"],
                &["3", "C", "c", "03/07/1988"],
                &["4", "D", "d", "31/02/1990"],
            ],
        );
        let list = read_candidates(&sheet, "candidats.xlsx");
        assert_eq!(codes(&list), vec![(Code::InvalidDate, "D5".into())]);
        let c = &list.candidates;
        assert_eq!(
            (c[0].birth_date, c[0].birth_partial),
            (None, partial(1990, Some(7)))
        );
        assert_eq!(
            (c[1].birth_date, c[1].birth_partial),
            (None, partial(1985, None))
        );
        assert_eq!(
            (c[2].birth_date, c[2].birth_partial),
            (Date::new(1988, 7, 3), None)
        );
        assert_eq!(list.column(Field::BirthDate), Some(3));
        assert_eq!(list.column(Field::Sex), None);
        assert_eq!(
            list.header.as_ref().map(CellRef::a1),
            Some("A1".to_string())
        );
    }
}

//! Finding a header row in a sheet and matching its cells to the fields we know.
//!
//! People type headers their own way (« N° », « NOM », « Prénom(s) », « Prérequis OK ? »,
//! « Date de naiss. »). A header is compared with the accepted ones through [`header_key`],
//! which keeps the words that name the field and drops the ones around them that say
//! nothing more (« du candidat », « ok », « validés », « (oui/non) », a trailing « ? »).
//! Headers still match whole: `Nom d'usage` is the usage name, never the last name. When
//! two columns name the same field, the leftmost wins.
//!
//! A header that matches nothing is never dropped silently: each reader reports it with
//! [`extra_column`] (or, for the candidates file, as an `unrecognised-column` error when it
//! looks like a field that changes a decision).

use crate::finding::{CellRef, Code, Finding};
use crate::sheet::Sheet;
use crate::text::{fold_header, nearest};

/// How many rows from the top are searched for a header row.
pub const HEADER_SEARCH_ROWS: u32 = 20;

/// Headers accepted for a candidate id, in every workbook. `N° candidat`, `Numéro de
/// candidat`, `No`, `Num` and `N° du candidat` all give the key of `N°` (see [`header_key`]).
pub const ID_HEADERS: &[&str] = &[
    "N° candidat",
    "N°",
    "Numéro",
    "Identifiant",
    "ID",
    "Candidat",
    "N° d'inscription",
    "Code candidat",
    "Matricule",
];

/// Headers of the candidates file's column that names each candidate's sub-jury (read by
/// `jury grids`, from the candidate's extra fields, as they are: case and accents ignored).
pub const ASSIGNMENT_HEADERS: &[&str] = &["Jury", "Commission"];

/// Words that say nothing about which field a header names, when they end it: « Prérequis
/// OK », « Prérequis validés (oui/non) », « N° du candidat » (`de`/`du` are dropped first),
/// the expected format « Date de naissance (JJ/MM/AAAA) », « Sexe (F/M) ».
const TRAILING_FILLERS: &[&[&str]] = &[
    &["la", "candidate"],
    &["ok"],
    &["valide"],
    &["validee"],
    &["valides"],
    &["validees"],
    &["oui", "non"],
    &["o", "n"],
    &["jj", "mm", "aaaa"],
    &["jj", "mm", "aa"],
    &["aaaa", "mm", "jj"],
    &["f", "m"],
    &["m", "f"],
    &["f", "h"],
    &["h", "f"],
    &["candidat"],
    &["candidate"],
];

/// The words of a header that name its field, for comparing headers.
///
/// After [`fold_header`] (case, accents, punctuation): the inclusive endings of `Né(e)`,
/// `Prénom(s)` are dropped, and so are `de`, `du`, `des`, `d'`, `l'`; `N°`, `No`, `Num`
/// become `numero`, `naiss.` becomes `naissance`, `pré-requis` becomes `prerequis`; then
/// [`TRAILING_FILLERS`] are removed from the end, as long as a word remains.
///
/// `"Prérequis OK ?"` and `"Pré-requis"` give `"prerequis"`, `"Date de naiss."` gives
/// `"date naissance"`, `"N° du candidat"` gives `"numero"`, `"Nom d'usage"` gives
/// `"nom usage"`.
pub fn header_key(text: &str) -> String {
    let spaced = text.replace('№', "N ").replace('º', " ");
    let folded = fold_header(&spaced);
    let mut words: Vec<&str> = Vec::new();
    for word in folded.split(' ').filter(|w| !w.is_empty()) {
        match word {
            "e" | "s" | "es" if !words.is_empty() => {}
            "de" | "du" | "des" | "d" | "l" => {}
            "n" | "no" | "num" | "nr" | "nro" | "numero" => words.push("numero"),
            "naiss" | "nais" | "naissance" => words.push("naissance"),
            "requis" if words.last() == Some(&"pre") => {
                words.pop();
                words.push("prerequis");
            }
            other => words.push(other),
        }
    }
    while let Some(filler) = TRAILING_FILLERS
        .iter()
        .find(|f| words.len() > f.len() && words.ends_with(f))
    {
        words.truncate(words.len() - filler.len());
    }
    words.join(" ")
}

/// Does this cell text name one of the headers (after [`header_key`])?
pub fn is_header(text: &str, accepted: &[&str]) -> bool {
    let key = header_key(text);
    !key.is_empty() && accepted.iter().any(|h| header_key(h) == key)
}

/// The accepted headers as a message lists them: « N° candidat », « N° », « Numéro ».
pub fn quoted_list(accepted: &[&str]) -> String {
    accepted
        .iter()
        .map(|h| format!("« {h} »"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The first row among the first [`HEADER_SEARCH_ROWS`] that holds an id header.
pub fn find_id_header_row(sheet: &Sheet) -> Option<u32> {
    (0..sheet.row_count().min(HEADER_SEARCH_ROWS))
        .find(|&r| leftmost(sheet, r, ID_HEADERS).is_some())
}

/// The leftmost column of row `row` whose header is one of `accepted`.
pub fn leftmost(sheet: &Sheet, row: u32, accepted: &[&str]) -> Option<u32> {
    sheet
        .row(row)
        .find(|(_, v)| v.text().is_some_and(|t| is_header(&t, accepted)))
        .map(|(c, _)| c)
}

/// The header cells of row `row` that are in none of the columns `known`, with their text.
pub fn other_headers(sheet: &Sheet, row: u32, known: &[u32]) -> Vec<(u32, String)> {
    sheet
        .row(row)
        .filter(|(c, _)| !known.contains(c))
        .filter_map(|(c, v)| Some((c, v.text()?.trim().to_string())))
        .filter(|(_, t)| !t.is_empty())
        .collect()
}

/// The accepted header nearest to `text`, when it is a plausible typo of one (compared
/// by key, so that « Lieu de naisance » suggests « Lieu de naissance »).
pub fn nearest_header<'a>(
    text: &str,
    accepted: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let accepted: Vec<&str> = accepted.into_iter().collect();
    let keys: Vec<String> = accepted.iter().map(|h| header_key(h)).collect();
    let near = nearest(&header_key(text), keys.iter().map(String::as_str))?;
    keys.iter()
        .position(|k| k == near)
        .and_then(|i| accepted.get(i).copied())
}

/// `extra-column`: the header `text` at `cell` names no column that this reader reads;
/// `what` says what becomes of it (a sentence ending with a full stop).
pub fn extra_column(text: &str, cell: &CellRef, what: &str) -> Finding {
    Finding::new(Code::ExtraColumn, format!("La colonne « {text} » {what}")).at(cell)
}

/// The hint of a header that is a near miss of an accepted one.
pub fn did_you_mean(near: &str) -> String {
    format!("Vouliez-vous dire « {near} » ? Renommez l'en-tête pour que la colonne soit lue.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::sheet_from_text;

    #[test]
    fn header_row_is_found_below_title_rows() {
        let sheet = sheet_from_text(
            "Candidats",
            &[
                &["Session de novembre"],
                &[],
                &["  n° CANDIDAT ", "Nom", "Prénom"],
            ],
        );
        assert_eq!(find_id_header_row(&sheet), Some(2));
        assert_eq!(leftmost(&sheet, 2, &["Prénom", "Prénoms"]), Some(2));
    }

    #[test]
    fn headers_match_whole() {
        assert!(is_header("Nom", &["Nom"]));
        assert!(!is_header("Nom d'usage", &["Nom"]));
        assert!(!is_header("Nom de naissance", &["Nom"]));
        assert!(is_header("NUMERO CANDIDAT", ID_HEADERS));
        assert!(is_header("Identifiant :", ID_HEADERS));
        assert!(!is_header("Prérequis non validés", &["Prérequis"]));
        assert!(!is_header("", &["Prérequis"]));
    }

    #[test]
    fn keys_drop_the_words_around_a_field() {
        for (typed, key) in [
            ("Prérequis OK ?", "prerequis"),
            ("Prérequis validés ?", "prerequis"),
            ("Pré-requis", "prerequis"),
            ("PRE REQUIS (oui/non)", "prerequis"),
            ("Date de naiss.", "date naissance"),
            ("Date naissance", "date naissance"),
            ("Né(e) le", "ne le"),
            ("Né·e à", "ne a"),
            ("Prénom(s)", "prenom"),
            ("N°", "numero"),
            ("No", "numero"),
            ("Num.", "numero"),
            ("№", "numero"),
            ("Nº candidat", "numero"),
            ("N° de la candidate", "numero"),
            ("Numéro du candidat", "numero"),
            ("Candidat", "candidat"),
            ("Nom du candidat", "nom"),
            ("Nom d'usage", "nom usage"),
            ("E-mail", "e mail"),
            ("Prérequis non validés", "prerequis non"),
            ("Date de naissance (JJ/MM/AAAA)", "date naissance"),
            ("Sexe (F/M)", "sexe"),
        ] {
            assert_eq!(header_key(typed), key, "{typed}");
        }
    }

    #[test]
    fn near_headers_are_suggested_by_key() {
        let accepted = ["Lieu de naissance", "Pays de naissance", "Email"];
        assert_eq!(
            nearest_header("Lieu de naisance", accepted),
            Some("Lieu de naissance")
        );
        assert_eq!(nearest_header("Financeur", accepted), None);
    }
}

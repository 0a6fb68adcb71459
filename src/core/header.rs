//! Finding a header row in a sheet and matching its cells to the fields we know.
//!
//! Headers are compared whole after [`fold_header`]: `Nom d'usage` is the usage name, never
//! the last name. When two columns name the same field, the leftmost wins.

use crate::core::sheet::Sheet;
use crate::core::text::fold_header;

/// How many rows from the top are searched for a header row.
pub const HEADER_SEARCH_ROWS: u32 = 20;

/// Headers accepted for a candidate id, in every workbook.
pub const ID_HEADERS: &[&str] = &[
    "N° candidat",
    "Numéro candidat",
    "Numéro de candidat",
    "N° de candidat",
    "Numéro",
    "Identifiant",
    "ID",
    "Candidat",
];

/// Does this cell text name one of the headers (after folding)?
pub fn is_header(text: &str, accepted: &[&str]) -> bool {
    let folded = fold_header(text);
    !folded.is_empty() && accepted.iter().any(|h| fold_header(h) == folded)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::sheet::sheet_from_text;

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
        assert!(is_header("NUMERO CANDIDAT", ID_HEADERS));
        assert!(is_header("Identifiant :", ID_HEADERS));
    }
}

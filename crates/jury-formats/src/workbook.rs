//! Reading a workbook file into our [`Sheet`]s: the only place that sees calamine.
//!
//! The format is recognised from the file's first bytes, not its extension (a `.XLSX`, or
//! an `.xls` that is really an `.xlsx`, still opens), and an encrypted workbook is named as
//! such. Every failure is a [`WorkbookError`] with a message for the jury secretary.

use std::io::Cursor;

use calamine::{
    Data, DataRef, Ods, Range, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx, XlsxError,
};

pub use crate::limits::MAX_SHEET_CELLS;
use crate::limits::{grouped, human_bytes, MAX_FILE_BYTES};
use crate::sheet_marks::{ods_marks, xlsx_marks, SheetMarks};
use jury_core::sheet::{Date, Sheet, SheetBuilder, Value};

/// Why a workbook could not be read. Messages never carry a parser's own text (English,
/// sometimes Rust debug output): only what the secretary can act on.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum WorkbookError {
    #[error("le classeur est protégé par un mot de passe")]
    Encrypted,
    #[error("le fichier est vide (0 octet)")]
    Empty,
    #[error("ce n'est pas un classeur Excel ou LibreOffice ({0})")]
    NotAWorkbook(String),
    #[error("le classeur est endommagé et ne peut pas être lu ({0})")]
    Corrupt(String),
    #[error("le classeur ne contient aucune feuille")]
    NoSheet,
    #[error("le classeur dépasse la limite de {limit} ({found})")]
    TooLarge { limit: String, found: String },
    /// The reading child process crashed, aborted or was killed (see `io::guard`).
    #[error("le classeur a fait échouer le lecteur ({0}) ; il est sans doute endommagé ou piégé")]
    Crashed(String),
    /// The reading child process ran past its time limit and was stopped.
    #[error(
        "lecture trop longue (plus de {seconds} s) : le classeur est sans doute endommagé ou piégé"
    )]
    TimedOut { seconds: u64 },
    /// The reading child process ran out of the memory it is allowed.
    #[error(
        "mémoire de lecture dépassée (limite de {limit}) : le classeur est trop grand ou piégé"
    )]
    OutOfMemory { limit: String },
}

impl WorkbookError {
    /// What the secretary can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            WorkbookError::Encrypted => "Ouvrez le classeur avec son mot de passe, enregistrez-le sans mot de passe, puis remplacez le fichier du dossier de session.",
            WorkbookError::Empty => "Le fichier a sans doute été mal copié : remplacez-le par le classeur d'origine.",
            WorkbookError::NotAWorkbook(_) => "Ouvrez le fichier dans Excel ou LibreOffice et enregistrez-le au format .xlsx ou .ods, ou retirez-le du dossier.",
            WorkbookError::NoSheet => "Remplacez le fichier par le bon classeur, qui contient au moins une feuille de calcul.",
            WorkbookError::TooLarge { .. } => "Enregistrez le classeur sans les lignes, colonnes ou feuilles inutiles (effacez ce qui est écrit loin des données), puis relancez.",
            WorkbookError::Corrupt(_)
            | WorkbookError::Crashed(_)
            | WorkbookError::TimedOut { .. }
            | WorkbookError::OutOfMemory { .. } => "Ouvrez le classeur dans Excel ou LibreOffice : s'il s'ouvre, enregistrez-le de nouveau au format .xlsx ou .ods ; sinon, demandez une nouvelle copie à la personne qui l'a envoyé.",
        }
    }
}

/// The formats calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

/// File name extensions taken as workbooks (compared in lower case).
pub const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// Recognises the format from the first bytes (and the zip's entry names).
pub fn detect(bytes: &[u8]) -> Result<Format, WorkbookError> {
    const ZIP: &[u8] = b"PK\x03\x04";
    const CFB: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.is_empty() {
        return Err(WorkbookError::Empty);
    }
    if bytes.starts_with(CFB) {
        // An OOXML workbook saved with a password is a compound file holding an
        // "EncryptedPackage" stream (its directory names are UTF-16).
        let marker: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        if bytes.windows(marker.len()).any(|w| w == marker.as_slice()) {
            return Err(WorkbookError::Encrypted);
        }
        return Ok(Format::Xls);
    }
    if bytes.starts_with(ZIP) {
        return detect_zip(bytes);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_lowercase();
    let what = if head.contains("<html") || head.contains("<!doctype") {
        "page HTML"
    } else if head.contains("%pdf") {
        "document PDF"
    } else if std::str::from_utf8(&bytes[..bytes.len().min(512)]).is_ok() {
        "fichier texte"
    } else {
        "format inconnu"
    };
    Err(WorkbookError::NotAWorkbook(what.into()))
}

/// Which zip is it: an OpenDocument spreadsheet, an Office workbook, or another document
/// (a Word file or an OpenDocument text saved under a workbook's name)? Entry names and the
/// OpenDocument `mimetype` entry are stored uncompressed, so they can be searched as bytes.
fn detect_zip(bytes: &[u8]) -> Result<Format, WorkbookError> {
    const ODF: &[u8] = b"mimetypeapplication/vnd.oasis.opendocument.";
    let has = |name: &[u8]| bytes.windows(name.len()).any(|w| w == name);
    let other = |what: &str| Err(WorkbookError::NotAWorkbook(what.into()));
    if let Some(at) = bytes.windows(ODF.len()).position(|w| w == ODF) {
        return match bytes.get(at + ODF.len()..) {
            Some(kind) if kind.starts_with(b"spreadsheet") => Ok(Format::Ods),
            Some(kind) if kind.starts_with(b"text") => other("document texte OpenDocument"),
            _ => other("document OpenDocument qui n'est pas un classeur"),
        };
    }
    if has(b"xl/workbook.bin") {
        Ok(Format::Xlsb)
    } else if has(b"xl/") {
        Ok(Format::Xlsx)
    } else if has(b"word/") {
        other("document Word")
    } else if has(b"ppt/") {
        other("présentation PowerPoint")
    } else if has(b"content.xml") {
        Ok(Format::Ods)
    } else {
        other("archive zip sans classeur")
    }
}

/// Reads every sheet of a workbook held in memory.
pub fn read_workbook(bytes: &[u8]) -> Result<Vec<Sheet>, WorkbookError> {
    read(bytes, false)
}

/// Reads every sheet of a grid workbook, with what the grid audit needs besides the cells:
/// the formula cells (every format), the hidden rows and columns (xlsx and ods only; xls
/// and xlsb tell hidden sheets only) and the workbook's recorded modification date.
pub fn read_grid_workbook(bytes: &[u8]) -> Result<Vec<Sheet>, WorkbookError> {
    read(bytes, true)
}

/// What the grid audit reads about a workbook, before its sheets.
struct Audit {
    modified: Option<Date>,
    /// Per sheet, in `sheets_metadata` order; `None` when the format has none or it could
    /// not be read.
    marks: Option<Vec<SheetMarks>>,
    /// Formula cells from calamine (xls, xlsb, ods) rather than from `marks` (xlsx).
    calamine_formulas: bool,
}

/// The modification date a workbook records, if any (calamine's `WorkbookProperties`).
fn modified(properties: Option<calamine::WorkbookProperties>) -> Option<Date> {
    properties?.modified.as_deref().and_then(Date::parse)
}

fn open_from<'a, R: Reader<Cursor<&'a [u8]>>>(cursor: Cursor<&'a [u8]>) -> Result<R, WorkbookError>
where
    R::Error: std::fmt::Display,
{
    calamine::open_workbook_from_rs::<R, _>(cursor).map_err(|e| classify(e.to_string()))
}

fn read(bytes: &[u8], audit: bool) -> Result<Vec<Sheet>, WorkbookError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(WorkbookError::TooLarge {
            limit: human_bytes(MAX_FILE_BYTES),
            found: format!("le fichier fait {}", human_bytes(bytes.len() as u64)),
        });
    }
    let format = detect(bytes)?;
    crate::prescan::prescan(bytes, format)?;
    let cursor = Cursor::new(bytes);
    let result = std::panic::catch_unwind(|| match format {
        Format::Xlsx => {
            let mut book = open_from::<Xlsx<_>>(cursor)?;
            let audit = audit.then(|| Audit {
                modified: modified(book.workbook_properties().ok()),
                marks: xlsx_marks(bytes),
                calamine_formulas: false,
            });
            read_all(book, audit, |book, name| {
                // Streamed: calamine's own dense `Range` of a large grid would cost far more
                // than our sheet. A part that is not a worksheet reads as empty, as in
                // calamine's `worksheet_range`.
                match book.worksheet_cells_reader(name) {
                    Ok(mut cells) => stream(name, || cells.next_cell()),
                    Err(XlsxError::NotAWorksheet(_)) => Ok(SheetBuilder::default()),
                    Err(e) => Err(classify(e.to_string())),
                }
            })
        }
        Format::Xlsb => {
            let mut book = open_from::<Xlsb<_>>(cursor)?;
            let audit = audit.then(|| Audit {
                modified: modified(book.workbook_properties().ok()),
                marks: None,
                calamine_formulas: true,
            });
            read_all(book, audit, |book, name| {
                let mut cells = book
                    .worksheet_cells_reader(name)
                    .map_err(|e| classify(e.to_string()))?;
                stream(name, || cells.next_cell())
            })
        }
        Format::Xls => {
            let mut book = open_from::<Xls<_>>(cursor)?;
            let audit = audit.then(|| Audit {
                modified: modified(book.workbook_properties().ok()),
                marks: None,
                calamine_formulas: true,
            });
            read_all(book, audit, read_range)
        }
        Format::Ods => {
            let book = open_from::<Ods<_>>(cursor)?;
            let audit = audit.then(|| Audit {
                modified: modified(book.workbook_properties().ok()),
                marks: ods_marks(bytes),
                calamine_formulas: true,
            });
            read_all(book, audit, read_range)
        }
    });
    let sheets =
        result.map_err(|_| WorkbookError::Corrupt("erreur interne du lecteur".into()))??;
    if sheets.is_empty() {
        return Err(WorkbookError::NoSheet);
    }
    Ok(sheets)
}

/// Reads every worksheet of `workbook`, its cells with `cells` (the workbook, the sheet's
/// name).
fn read_all<RS, R>(
    mut workbook: R,
    mut audit: Option<Audit>,
    mut cells: impl FnMut(&mut R, &str) -> Result<SheetBuilder, WorkbookError>,
) -> Result<Vec<Sheet>, WorkbookError>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let metadata: Vec<calamine::Sheet> = workbook.sheets_metadata().to_vec();
    let mut sheets = Vec::with_capacity(metadata.len());
    for (i, meta) in metadata.into_iter().enumerate() {
        if meta.typ != SheetType::WorkSheet {
            continue;
        }
        let mut sheet = Sheet {
            hidden: meta.visible != SheetVisible::Visible,
            ..cells(&mut workbook, &meta.name)?.finish(meta.name.clone(), 0)
        };
        if let Some(audit) = audit.as_mut() {
            let marks = audit
                .marks
                .as_mut()
                .and_then(|m| m.get_mut(i))
                .map(std::mem::take)
                .unwrap_or_default();
            sheet.hidden_rows = marks.hidden_rows;
            sheet.hidden_cols = marks.hidden_cols;
            // Like the marks, formula cells are best effort: a sheet whose formulas
            // calamine cannot give is audited without them.
            sheet.formulas = if audit.calamine_formulas {
                workbook
                    .worksheet_formula(&meta.name)
                    .map(|f| formula_cells(&f))
                    .unwrap_or_default()
            } else {
                marks.formulas
            };
            sheet.modified = audit.modified;
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

/// The absolute positions of the non-empty cells of calamine's formula range, sorted.
fn formula_cells(formulas: &Range<String>) -> Vec<(u32, u32)> {
    let Some((row0, col0)) = formulas.start() else {
        return Vec::new();
    };
    let mut cells: Vec<(u32, u32)> = formulas
        .cells()
        .filter(|(_, _, f)| !f.is_empty())
        .filter_map(|(r, c, _)| {
            Some((
                row0.checked_add(u32::try_from(r).ok()?)?,
                col0.checked_add(u32::try_from(c).ok()?)?,
            ))
        })
        .collect();
    cells.sort_unstable();
    cells
}

/// A parser's error as the secretary reads it: its own text (English, sometimes Rust debug
/// output) is never shown, only the kind of damage.
fn classify(message: String) -> WorkbookError {
    let lower = message.to_lowercase();
    let what = if lower.contains("password") || lower.contains("encrypt") {
        return WorkbookError::Encrypted;
    } else if lower.contains("zip") {
        "archive zip endommagée"
    } else if lower.contains("xml") {
        "XML invalide"
    } else if lower.contains("cfb") || lower.contains("sector") {
        "structure de fichier Excel 97-2003 invalide"
    } else if lower.contains("not found") || lower.contains("cannot find") {
        "une partie annoncée est introuvable"
    } else {
        "contenu invalide"
    };
    WorkbookError::Corrupt(what.into())
}

/// The cells of a calamine range (xls, ods: their readers have no streaming form).
fn read_range<RS, R>(workbook: &mut R, name: &str) -> Result<SheetBuilder, WorkbookError>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let range = workbook
        .worksheet_range(name)
        .map_err(|e| classify(e.to_string()))?;
    let mut sheet = SheetBuilder::default();
    let Some((row0, col0)) = range.start() else {
        return Ok(sheet);
    };
    let (height, width) = range.get_size();
    check_extent(
        name,
        u64::from(row0) + height as u64,
        u64::from(col0) + width as u64,
    )?;
    for (r, c, data) in range.used_cells() {
        // Within the extent just checked, so these fit in u32.
        let (Ok(r), Ok(c)) = (u32::try_from(r), u32::try_from(c)) else {
            continue;
        };
        let value = convert(data, &mut sheet);
        sheet.push(row0 + r, col0 + c, value);
    }
    Ok(sheet)
}

/// The cells a streaming reader gives (`next` is its `next_cell`), in the file's order.
/// Past the size limit nothing more is kept, but the reading goes on to the end so that the
/// message gives the sheet's whole extent, as the `Range` path does.
fn stream<'a, E: std::fmt::Display>(
    name: &str,
    mut next: impl FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, E>,
) -> Result<SheetBuilder, WorkbookError> {
    let mut sheet = SheetBuilder::default();
    let mut extent: Option<(u64, u64)> = None;
    let mut within = true;
    while let Some(cell) = next().map_err(|e| classify(e.to_string()))? {
        let value = cell.get_value();
        if matches!(value, DataRef::Empty) {
            continue;
        }
        let (row, col) = cell.get_position();
        let (rows, cols) = extent.get_or_insert((0, 0));
        *rows = (*rows).max(u64::from(row) + 1);
        *cols = (*cols).max(u64::from(col) + 1);
        within = within && *rows * *cols <= MAX_SHEET_CELLS;
        if within {
            let value = convert_ref(value, &mut sheet);
            sheet.push(row, col, value);
        }
    }
    if let Some((rows, cols)) = extent {
        check_extent(name, rows, cols)?;
    }
    Ok(sheet)
}

/// Refuses a sheet whose used area, from A1 to its last row and column, is too large.
fn check_extent(name: &str, rows: u64, cols: u64) -> Result<(), WorkbookError> {
    if rows * cols > MAX_SHEET_CELLS {
        return Err(WorkbookError::TooLarge {
            limit: format!("{} cellules par feuille", grouped(MAX_SHEET_CELLS)),
            found: format!(
                "la feuille « {name} » s'étend jusqu'à la ligne {} et à la colonne {}",
                grouped(rows),
                grouped(cols)
            ),
        });
    }
    Ok(())
}

/// calamine's value → ours. Integral floats stay numbers; [`Value::text`] prints them
/// without `.0`. Texts are shared through `sheet`.
fn convert(data: &Data, sheet: &mut SheetBuilder) -> Value {
    match data {
        Data::Empty => Value::Empty,
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::String(s) => Value::Text(sheet.text(s)),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) => date_time(dt),
        Data::DateTimeIso(s) => {
            Date::parse(s).map_or_else(|| Value::Text(sheet.text(s)), Value::Date)
        }
        Data::DurationIso(s) => Value::Text(sheet.text(s)),
        Data::Error(e) => Value::Error(sheet.text(&e.to_string())),
    }
}

/// The same for the streaming readers' values.
fn convert_ref(data: &DataRef<'_>, sheet: &mut SheetBuilder) -> Value {
    match data {
        DataRef::Empty => Value::Empty,
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::String(s) => Value::Text(sheet.text(s)),
        DataRef::SharedString(s) => Value::Text(sheet.text(s)),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(dt) => date_time(dt),
        DataRef::DateTimeIso(s) => {
            Date::parse(s).map_or_else(|| Value::Text(sheet.text(s)), Value::Date)
        }
        DataRef::DurationIso(s) => Value::Text(sheet.text(s)),
        DataRef::Error(e) => Value::Error(sheet.text(&e.to_string())),
    }
}

/// A date-formatted number: its date, or the number when it is a duration or no valid date.
fn date_time(dt: &calamine::ExcelDateTime) -> Value {
    if dt.is_datetime() {
        let (y, m, d, ..) = dt.to_ymd_hms_milli();
        Date::new(i32::from(y), u32::from(m), u32::from(d))
            .map_or(Value::Number(dt.as_f64()), Value::Date)
    } else {
        Value::Number(dt.as_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip's first bytes followed by entry names, as `detect` sees them.
    fn zip(entries: &[&str]) -> Vec<u8> {
        let mut bytes = b"PK\x03\x04".to_vec();
        for entry in entries {
            bytes.extend_from_slice(entry.as_bytes());
            bytes.extend_from_slice(&[0; 8]);
        }
        bytes
    }

    /// An xlsx with a formula in C8, rows 5–6 and column D hidden, a hidden third sheet, saved
    /// on 30/11/2026.
    fn marked_xlsx() -> Vec<u8> {
        use rust_xlsxwriter::{DocProperties, ExcelDateTime, Formula, Workbook};
        let mut book = Workbook::new();
        if let Ok(when) = ExcelDateTime::from_ymd(2026, 11, 30) {
            book.set_properties(&DocProperties::new().set_creation_datetime(&when));
        }
        let sheet = book.add_worksheet();
        for r in 0..10 {
            for c in 0..5 {
                let _ = sheet.write_string(r, c, "Acquis");
            }
        }
        let _ = sheet.write_formula(7, 2, Formula::new("=\"Acquis\"").set_result("Acquis"));
        let _ = sheet.set_row_hidden(4);
        let _ = sheet.set_row_hidden(5);
        let _ = sheet.set_column_hidden(3);
        book.add_worksheet();
        book.add_worksheet().set_hidden(true);
        book.save_to_buffer().unwrap_or_default()
    }

    #[test]
    fn grid_workbooks_carry_their_marks_and_others_do_not() {
        let bytes = marked_xlsx();
        let grid = read_grid_workbook(&bytes).unwrap_or_default();
        assert_eq!(grid.len(), 3);
        assert_eq!(grid[0].formulas, [(7, 2)]);
        assert_eq!(grid[0].hidden_rows, [(4, 5)]);
        assert_eq!(grid[0].hidden_cols, [(3, 3)]);
        assert_eq!(grid[0].get(7, 2), &Value::Text("Acquis".into()));
        assert_eq!(grid[0].modified, Date::new(2026, 11, 30));
        assert!(!grid[1].hidden && grid[2].hidden);
        let plain = read_workbook(&bytes).unwrap_or_default();
        assert_eq!(plain[0].cells, grid[0].cells);
        assert!(plain[0].formulas.is_empty() && plain[0].hidden_rows.is_empty());
        assert_eq!(plain[0].modified, None);
    }

    #[test]
    fn streamed_cells_far_right_and_down_keep_their_place() {
        use rust_xlsxwriter::Workbook;
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        let _ = sheet.write_string(0, 0, "N° candidat");
        let _ = sheet.write_string(40_000, 90, "Acquis");
        let _ = sheet.write_number(40_000, 2, 12.0);
        let _ = sheet.write_string(5, 1, "");
        let bytes = book.save_to_buffer().unwrap_or_default();
        let sheets = read_workbook(&bytes).unwrap_or_default();
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].row_count(), 40_001);
        assert_eq!(sheets[0].get(40_000, 90), &Value::Text("Acquis".into()));
        assert_eq!(sheets[0].get(40_000, 2), &Value::Number(12.0));
        assert_eq!(sheets[0].get(0, 0), &Value::Text("N° candidat".into()));
        assert!(sheets[0].is_blank_row(5));
    }

    #[test]
    fn zips_are_told_apart_by_their_entries() {
        let ods = zip(&[
            "mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
            "content.xml",
        ]);
        assert_eq!(detect(&ods), Ok(Format::Ods));
        let xlsx = zip(&["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"]);
        assert_eq!(detect(&xlsx), Ok(Format::Xlsx));
        let xlsb = zip(&["[Content_Types].xml", "xl/workbook.bin"]);
        assert_eq!(detect(&xlsb), Ok(Format::Xlsb));
        let word = zip(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"]);
        assert_eq!(
            detect(&word),
            Err(WorkbookError::NotAWorkbook("document Word".into()))
        );
        let odt = zip(&[
            "mimetypeapplication/vnd.oasis.opendocument.text",
            "content.xml",
        ]);
        assert_eq!(
            detect(&odt),
            Err(WorkbookError::NotAWorkbook(
                "document texte OpenDocument".into()
            ))
        );
        assert_eq!(
            detect(&zip(&["notes.txt"])),
            Err(WorkbookError::NotAWorkbook(
                "archive zip sans classeur".into()
            ))
        );
    }
}

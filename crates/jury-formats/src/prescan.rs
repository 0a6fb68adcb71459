//! Cheap checks made on a workbook's bytes before the spreadsheet parser sees them: they
//! refuse what no grid needs, with a message that says which limit (see
//! [`crate::limits`]).
//!
//! calamine trusts what a file declares: a used cell at `XFD1048576` next to `A1` makes it
//! allocate seventeen billion cells, a `sharedStrings.xml` declaring a trillion strings makes
//! it reserve them, and an `.ods` whose `content.xml` is cut short makes it loop for ever.
//! So, for the zip formats (`.xlsx`, `.xlsm`, `.xlsb`, `.ods`), this module reads the zip's
//! end record (entry count), then inflates every entry once, in chunks, counting bytes
//! (total and ratio: decompression bombs) and scanning each XML part with a small tag
//! scanner: nesting depth, parts cut short, the strings a shared-strings table declares,
//! and the extent of every sheet's used cells (positions computed as calamine does).
//! Nothing is kept but counters, so the memory used stays a few chunks whatever the file.
//!
//! `.xls` (a compound file) is not pre-scanned: its reader runs contained like every other
//! (see `jury_fs::guard`).

use std::io::{Cursor, Read};

use zip::ZipArchive;

use crate::limits::{
    grouped, human_bytes, MAX_COLUMNS, MAX_INFLATED_BYTES, MAX_RATIO, MAX_SHARED_STRINGS,
    MAX_SHEET_CELLS, MAX_TAG_BYTES, MAX_XML_DEPTH, MAX_ZIP_ENTRIES, RATIO_FLOOR_BYTES,
};
use crate::sheet_marks::{number, tags, Tag};
use crate::workbook::{Format, WorkbookError};

/// Checks a workbook of the given format against the limits; `Ok` when the parser may read it.
pub fn prescan(bytes: &[u8], format: Format) -> Result<(), WorkbookError> {
    match format {
        Format::Xls => Ok(()),
        Format::Xlsx | Format::Xlsb | Format::Ods => scan_zip(bytes, format),
    }
}

fn too_large(limit: impl Into<String>, found: impl Into<String>) -> WorkbookError {
    WorkbookError::TooLarge {
        limit: limit.into(),
        found: found.into(),
    }
}

/// The entry count a zip's end-of-central-directory record declares (the zip64 one when
/// present), read without trusting anything else; `None` when there is no such record.
pub fn declared_entries(bytes: &[u8]) -> Option<u64> {
    const EOCD: &[u8] = b"PK\x05\x06";
    const EOCD64: &[u8] = b"PK\x06\x06";
    let tail_from = bytes.len().saturating_sub(22 + 65_535);
    let at = tail_from + memchr::memmem::rfind(&bytes[tail_from..], EOCD)?;
    let u16_at = |i: usize| {
        bytes
            .get(i..i + 2)
            .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let entries = u16_at(at + 10)?;
    if entries != 0xFFFF {
        return Some(entries);
    }
    // Zip64: the end record's locator (20 bytes before) gives where the zip64 record is.
    let locator = at.checked_sub(20)?;
    let offset = bytes.get(locator + 8..locator + 16)?;
    let offset = usize::try_from(u64::from_le_bytes(offset.try_into().ok()?)).ok()?;
    let record = bytes.get(offset..offset + 56)?;
    if !record.starts_with(EOCD64) {
        return Some(entries);
    }
    Some(u64::from_le_bytes(record[32..40].try_into().ok()?))
}

fn scan_zip(bytes: &[u8], format: Format) -> Result<(), WorkbookError> {
    if let Some(entries) = declared_entries(bytes) {
        if entries > MAX_ZIP_ENTRIES {
            return Err(too_large(
                format!("{} éléments dans l'archive", grouped(MAX_ZIP_ENTRIES)),
                format!("l'archive en annonce {}", grouped(entries)),
            ));
        }
    }
    let mut zip = ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| WorkbookError::Corrupt("archive zip illisible ou tronquée".into()))?;
    if format == Format::Ods && ods_encrypted(&mut zip) {
        return Err(WorkbookError::Encrypted);
    }
    let mut total: u64 = 0;
    let mut chunk = vec![0u8; 64 * 1024];
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index).map_err(|e| entry_error(&e))?;
        if entry.is_dir() {
            continue;
        }
        // A name that cannot be decoded is a damaged archive, never an entry left unscanned.
        let name = entry.name().map_err(|e| entry_error(&e))?.to_string();
        let compressed = entry.compressed_size().max(1);
        let lower = name.to_ascii_lowercase();
        let mut xml =
            (lower.ends_with(".xml") || lower.ends_with(".rels")).then(|| XmlScan::new(format));
        let mut inflated: u64 = 0;
        loop {
            let n = match entry.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => {
                    return Err(WorkbookError::Corrupt(format!(
                        "l'élément « {} » de l'archive est endommagé",
                        shown(&name)
                    )))
                }
            };
            inflated += n as u64;
            total += n as u64;
            if total > MAX_INFLATED_BYTES {
                return Err(too_large(
                    format!("{} une fois décompressé", human_bytes(MAX_INFLATED_BYTES)),
                    "bombe de décompression : l'archive se décompresse au-delà",
                ));
            }
            if inflated > RATIO_FLOOR_BYTES && inflated / compressed > MAX_RATIO {
                return Err(too_large(
                    format!("{MAX_RATIO} fois la taille compressée d'un élément"),
                    format!(
                        "bombe de décompression : « {} » se décompresse plus de {MAX_RATIO} fois",
                        shown(&name)
                    ),
                ));
            }
            if let Some(scan) = xml.as_mut() {
                scan.feed(&chunk[..n], &name)?;
            }
        }
        if let Some(scan) = xml {
            scan.finish(&name)?;
        }
    }
    Ok(())
}

/// Does the OpenDocument manifest say that parts are encrypted (saved with a password)?
/// Their bytes are then no XML at all.
fn ods_encrypted(zip: &mut ZipArchive<Cursor<&[u8]>>) -> bool {
    let Ok(manifest) = zip.by_name("META-INF/manifest.xml") else {
        return false;
    };
    let mut text = Vec::new();
    manifest
        .take(MAX_TAG_BYTES as u64)
        .read_to_end(&mut text)
        .is_ok()
        && memchr::memmem::find(&text, b"encryption-data").is_some()
}

/// An entry that cannot even be opened: encrypted inside the zip, or an unknown method.
fn entry_error(e: &zip::result::ZipError) -> WorkbookError {
    match e {
        zip::result::ZipError::UnsupportedArchive(what) if what.contains("assword") => {
            WorkbookError::Encrypted
        }
        zip::result::ZipError::UnsupportedArchive(_) => {
            WorkbookError::Corrupt("méthode de compression non prise en charge".into())
        }
        _ => WorkbookError::Corrupt("archive zip endommagée".into()),
    }
}

/// An entry name as shown in a message: at most 60 characters, controls replaced.
fn shown(name: &str) -> String {
    let mut out: String = name
        .chars()
        .take(60)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if name.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// What the scan of one XML part has seen so far; fed chunk by chunk.
struct XmlScan {
    format: Format,
    /// Bytes of a tag cut by the end of the previous chunk.
    carry: Vec<u8>,
    depth: u64,
    sheet: SheetExtent,
}

/// The used extent of the sheet being scanned (xlsx `sheetData`, ods top-level table).
#[derive(Default)]
struct SheetExtent {
    /// Inside `<sheetData>` (xlsx) or the depth of `table:table` elements (ods).
    inside: u64,
    row: u64,
    next_row: u64,
    next_col: u64,
    /// ods: how many times the current row repeats.
    row_repeat: u64,
    /// Last used row and column (0-based), if any cell is used.
    used: Option<(u64, u64)>,
    name: Option<String>,
}

/// `XFD1048576` → (1048575, 16383), 0-based, with no overflow whatever the letters; `None`
/// when it is not a cell reference.
fn position(value: &[u8]) -> Option<(u64, u64)> {
    let letters = value.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &value[letters..];
    if letters == 0 || digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let col = value[..letters].iter().fold(0u64, |acc, b| {
        acc.saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A') + 1)
    });
    let row = digits.iter().fold(0u64, |acc, b| {
        acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    });
    (row >= 1).then(|| (row - 1, col - 1))
}

impl XmlScan {
    fn new(format: Format) -> XmlScan {
        XmlScan {
            format,
            carry: Vec::new(),
            depth: 0,
            sheet: SheetExtent::default(),
        }
    }

    fn feed(&mut self, chunk: &[u8], part: &str) -> Result<(), WorkbookError> {
        let mut buffer = std::mem::take(&mut self.carry);
        buffer.extend_from_slice(chunk);
        let mut iter = tags(&buffer);
        for tag in iter.by_ref() {
            self.tag(&tag, part)?;
        }
        let at = iter.position();
        if let Some(open) = memchr::memchr(b'<', &buffer[at..]) {
            self.carry = buffer[at + open..].to_vec();
            if self.carry.len() > MAX_TAG_BYTES {
                return Err(WorkbookError::Corrupt(format!(
                    "une balise de « {} » dépasse {}",
                    shown(part),
                    human_bytes(MAX_TAG_BYTES as u64)
                )));
            }
        }
        Ok(())
    }

    fn finish(self, part: &str) -> Result<(), WorkbookError> {
        if self.depth > 0 || !self.carry.is_empty() {
            return Err(WorkbookError::Corrupt(format!(
                "la partie « {} » est tronquée",
                shown(part)
            )));
        }
        Ok(())
    }

    fn tag(&mut self, tag: &Tag, part: &str) -> Result<(), WorkbookError> {
        if tag.end {
            self.depth = self.depth.saturating_sub(1);
        } else if !tag.empty {
            self.depth += 1;
            if self.depth > MAX_XML_DEPTH {
                return Err(too_large(
                    format!("{MAX_XML_DEPTH} niveaux d'imbrication XML"),
                    format!("« {} » est imbriqué plus profondément", shown(part)),
                ));
            }
        }
        match self.format {
            Format::Ods => self.ods_tag(tag),
            _ => self.xlsx_tag(tag),
        }
    }

    /// `<sst count uniqueCount>`, and the cells of `<sheetData>`, positioned as calamine
    /// does: a row's `r` or the row after the previous one, a cell's `r` or the column after
    /// the previous cell; a cell is used when it has content (it is not `<c …/>`).
    fn xlsx_tag(&mut self, tag: &Tag) -> Result<(), WorkbookError> {
        let s = &mut self.sheet;
        match (tag.name, tag.end) {
            (b"sst", false) => {
                for attr in [&b"count"[..], b"uniqueCount"] {
                    let declared = tag.attr(attr).map(|v| {
                        v.iter()
                            .filter(|b| b.is_ascii_digit())
                            .fold(0u64, |acc, b| {
                                acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
                            })
                    });
                    if let Some(n) = declared.filter(|n| *n > MAX_SHARED_STRINGS) {
                        return Err(too_large(
                            format!("{} chaînes partagées", grouped(MAX_SHARED_STRINGS)),
                            format!("le classeur en annonce {}", grouped(n)),
                        ));
                    }
                }
            }
            (b"sheetData", false) if !tag.empty => {
                *s = SheetExtent {
                    inside: 1,
                    ..SheetExtent::default()
                };
            }
            (b"sheetData", true) => s.inside = 0,
            (b"row", false) if s.inside > 0 => {
                s.row = tag
                    .attr(b"r")
                    .and_then(number)
                    .filter(|r| *r >= 1)
                    .map_or(s.next_row, |r| r - 1);
                s.next_col = 0;
                s.next_row = s.row.saturating_add(1);
            }
            (b"c", false) if s.inside > 0 => {
                let (row, col) = tag
                    .attr(b"r")
                    .and_then(position)
                    .unwrap_or((s.row, s.next_col));
                s.next_col = col.saturating_add(1);
                if !tag.empty {
                    s.use_cell(row, col, 1, 1)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Top-level `table:table` elements, their rows and cells with their repeats; a cell is
    /// used when it has a value type or content.
    fn ods_tag(&mut self, tag: &Tag) -> Result<(), WorkbookError> {
        let s = &mut self.sheet;
        match (tag.name, tag.end) {
            (b"table", false) if !tag.empty => {
                if s.inside == 0 {
                    let name = tag
                        .attr(b"name")
                        .map(|n| shown(&String::from_utf8_lossy(n)));
                    *s = SheetExtent {
                        name,
                        ..SheetExtent::default()
                    };
                }
                s.inside += 1;
            }
            (b"table", true) => s.inside = s.inside.saturating_sub(1),
            (b"table-row", false) if s.inside == 1 => {
                s.row = s.next_row;
                s.row_repeat = repeat(tag, b"number-rows-repeated");
                s.next_row = s.row.saturating_add(s.row_repeat);
                s.next_col = 0;
            }
            (b"table-cell" | b"covered-table-cell", false) if s.inside == 1 => {
                let columns = repeat(tag, b"number-columns-repeated");
                let col = s.next_col;
                s.next_col = col.saturating_add(columns);
                if !tag.empty || tag.attr(b"value-type").is_some() {
                    let (row, rows) = (s.row, s.row_repeat);
                    s.use_cell(row, col, rows, columns)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}

fn repeat(tag: &Tag, name: &[u8]) -> u64 {
    tag.attr(name).and_then(number).unwrap_or(1).max(1)
}

impl SheetExtent {
    /// A used block of `rows` × `cols` cells from (`row`, `col`): refused when the sheet's
    /// used area (from A1) goes past the limits.
    fn use_cell(&mut self, row: u64, col: u64, rows: u64, cols: u64) -> Result<(), WorkbookError> {
        let last = (row.saturating_add(rows - 1), col.saturating_add(cols - 1));
        let (max_row, max_col) = match self.used {
            Some((r, c)) => (r.max(last.0), c.max(last.1)),
            None => last,
        };
        self.used = Some((max_row, max_col));
        let sheet = match &self.name {
            Some(name) => format!("la feuille « {name} »"),
            None => "une feuille".to_string(),
        };
        if max_col >= MAX_COLUMNS {
            return Err(too_large(
                format!("{} colonnes par feuille", grouped(MAX_COLUMNS)),
                format!(
                    "{sheet} a une valeur en colonne {}",
                    grouped(max_col.saturating_add(1))
                ),
            ));
        }
        let cells = (max_row + 1).saturating_mul(max_col + 1);
        if cells > MAX_SHEET_CELLS {
            return Err(too_large(
                format!("{} cellules par feuille", grouped(MAX_SHEET_CELLS)),
                format!(
                    "{sheet} est utilisée jusqu'à la cellule {}, soit {} cellules depuis A1",
                    jury_core::text::a1(
                        u32::try_from(max_row).unwrap_or(u32::MAX),
                        u32::try_from(max_col).unwrap_or(u32::MAX)
                    ),
                    grouped(cells)
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A zip holding the given entries, deflated.
    fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            out.start_file(*name, options).unwrap_or_default();
            out.write_all(bytes).unwrap_or_default();
        }
        out.finish().map(Cursor::into_inner).unwrap_or_default()
    }

    fn xlsx_sheet(cells: &str) -> Vec<u8> {
        zip(&[(
            "xl/worksheets/sheet1.xml",
            format!("<worksheet><sheetData>{cells}</sheetData></worksheet>").as_bytes(),
        )])
    }

    fn message(result: Result<(), WorkbookError>) -> String {
        result.err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn a_far_cell_next_to_a1_is_refused_before_calamine() {
        let ok = xlsx_sheet(r#"<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"/></row>"#);
        assert_eq!(
            prescan(&ok, Format::Xlsx),
            Ok(()),
            "an empty styled cell is not used"
        );
        let far = xlsx_sheet(
            r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>"#,
        );
        let m = message(prescan(&far, Format::Xlsx));
        assert!(m.contains("XFD1048576"), "{m}");
        let wide = xlsx_sheet(r#"<row><c r="ZZZZZZZZZZZZZZZZ1"><v>1</v></c></row>"#);
        assert!(message(prescan(&wide, Format::Xlsx)).contains("colonnes"));
    }

    #[test]
    fn declared_strings_and_depth_are_bounded() {
        let bomb = zip(&[(
            "xl/sharedStrings.xml",
            br#"<sst count="1000000000000" uniqueCount="1000000000000"><si><t>a</t></si></sst>"#,
        )]);
        assert!(message(prescan(&bomb, Format::Xlsx)).contains("1 000 000 000 000"));
        let deep = "<a>".repeat(500) + &"</a>".repeat(500);
        let nested = zip(&[("xl/workbook.xml", deep.as_bytes())]);
        assert!(message(prescan(&nested, Format::Xlsx)).contains("imbrication"));
    }

    #[test]
    fn a_part_cut_short_is_corrupt() {
        let cut = zip(&[(
            "content.xml",
            b"<office:document-content><office:body><table:table table:name=\"G\"><table:table-row>",
        )]);
        assert!(message(prescan(&cut, Format::Ods)).contains("tronquée"));
    }

    #[test]
    fn ods_repeats_count_towards_the_extent() {
        let row = |repeat: u64| {
            format!(
                r#"<office:document-content><table:table table:name="Grille"><table:table-row><table:table-cell table:number-columns-repeated="{repeat}" office:value-type="string"><text:p>x</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table></office:document-content>"#
            )
        };
        assert_eq!(
            prescan(&zip(&[("content.xml", row(30).as_bytes())]), Format::Ods),
            Ok(())
        );
        let m = message(prescan(
            &zip(&[("content.xml", row(20_000).as_bytes())]),
            Format::Ods,
        ));
        assert!(m.contains("« Grille »") && m.contains("20 000"), "{m}");
    }

    #[test]
    fn a_decompression_bomb_is_refused_by_its_ratio() {
        let zeros = vec![b' '; 8 * 1024 * 1024];
        let bomb = zip(&[("xl/media/image1.png", &zeros)]);
        assert!(message(prescan(&bomb, Format::Xlsx)).contains("bombe"));
    }

    #[test]
    fn the_entry_count_is_read_from_the_end_record() {
        let two = zip(&[("a.xml", b"<a/>"), ("b.xml", b"<b/>")]);
        assert_eq!(declared_entries(&two), Some(2));
        assert_eq!(declared_entries(b"PK\x03\x04"), None);
    }

    #[test]
    fn positions_never_overflow() {
        assert_eq!(position(b"A1"), Some((0, 0)));
        assert_eq!(position(b"XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(position(b"A0"), None);
        assert!(position(b"ZZZZZZZZZZZZZZZZ99999999999999999999999").is_some());
    }
}

//! What calamine does not tell about a sheet, read from the workbook's own XML: hidden rows
//! and columns (xlsx and ods), and formula cells (xlsx; calamine gives them for the other
//! formats). Read for grid workbooks only, by `io::workbook::read_grid_workbook`.
//!
//! Each sheet's XML is decompressed once. A byte search first tells whether it can hold a
//! mark at all (most grids hold none: a few milliseconds for a 10,000-row grid); only then
//! is it scanned, tag by tag, with a small scanner that reads just the attributes it needs
//! (`hidden`, `r`, `min`, `max`, `table:visibility`, `table:number-*-repeated`) and the
//! position of each `<f>` element. Any trouble (a missing part, a tag left open) gives `None`:
//! the audit then knows nothing about that workbook, and the cells still read.

use std::io::{Cursor, Read};

use memchr::{memchr, memchr3, memmem};
use zip::ZipArchive;

/// Hidden rows and columns (inclusive 0-based spans, sorted, merged) and formula cells
/// (`(row, col)`, sorted) of one sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetMarks {
    pub hidden_rows: Vec<(u32, u32)>,
    pub hidden_cols: Vec<(u32, u32)>,
    pub formulas: Vec<(u32, u32)>,
}

impl SheetMarks {
    fn finish(mut self) -> SheetMarks {
        self.hidden_rows = merge(self.hidden_rows);
        self.hidden_cols = merge(self.hidden_cols);
        self.formulas.sort_unstable();
        self.formulas.dedup();
        self
    }
}

/// Largest XML part decompressed (a sheet of the largest workbook read is far below).
const MAX_PART_BYTES: u64 = 1 << 30;

type Zip<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// One part of the zip, decompressed; its name compared without case when not found as is.
fn part(zip: &mut Zip, name: &str) -> Option<Vec<u8>> {
    let index = zip.index_for_name(name).or_else(|| {
        zip.file_names_raw()
            .position(|n| n.eq_ignore_ascii_case(name.as_bytes()))
    })?;
    let file = zip.by_index(index).ok()?;
    let mut bytes = Vec::new();
    file.take(MAX_PART_BYTES).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// Sorted, merged inclusive spans.
fn merge(mut spans: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    spans.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(spans.len());
    for (first, last) in spans {
        match out.last_mut() {
            Some(prev) if first <= prev.1.saturating_add(1) => prev.1 = prev.1.max(last),
            _ => out.push((first, last)),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// A minimal tag scanner
// ---------------------------------------------------------------------------------------------

/// One tag: its local name (after any `prefix:`), whether it is an end tag (`</x>`) or an
/// empty element (`<x/>`), and the raw text of its attributes.
pub(crate) struct Tag<'a> {
    pub(crate) name: &'a [u8],
    pub(crate) end: bool,
    pub(crate) empty: bool,
    attrs: &'a [u8],
}

impl<'a> Tag<'a> {
    /// The raw value of the attribute whose local name is `name` (no entity is decoded:
    /// the values read here are numbers, cell references and keywords).
    pub(crate) fn attr(&self, name: &[u8]) -> Option<&'a [u8]> {
        let a = self.attrs;
        let mut i = 0;
        loop {
            while a.get(i)?.is_ascii_whitespace() {
                i += 1;
            }
            let eq = i + memchr(b'=', &a[i..])?;
            let key = a[i..eq].trim_ascii();
            let mut j = eq + 1;
            while a.get(j)?.is_ascii_whitespace() {
                j += 1;
            }
            let quote = a[j];
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            let close = j + 1 + memchr(quote, &a[j + 1..])?;
            if local(key) == name {
                return Some(&a[j + 1..close]);
            }
            i = close + 1;
        }
    }
}

fn local(name: &[u8]) -> &[u8] {
    name.rsplit(|b| *b == b':').next().unwrap_or(name)
}

/// The tags of an XML text, in order; comments, CDATA, processing instructions and
/// declarations are skipped. Stops (`None`) at a tag left open.
pub(crate) struct Tags<'a> {
    xml: &'a [u8],
    at: usize,
}

pub(crate) fn tags(xml: &[u8]) -> Tags<'_> {
    Tags { xml, at: 0 }
}

impl Tags<'_> {
    /// Where the next tag is looked for: after the last tag (or comment) read.
    pub(crate) fn position(&self) -> usize {
        self.at
    }
}

impl<'a> Iterator for Tags<'a> {
    type Item = Tag<'a>;

    fn next(&mut self) -> Option<Tag<'a>> {
        let xml = self.xml;
        loop {
            let open = self.at + memchr(b'<', xml.get(self.at..)?)?;
            let rest = &xml[open + 1..];
            let skip_to = |from: usize, marker: &[u8]| {
                memmem::find(&xml[from..], marker).map(|i| from + i + marker.len())
            };
            if rest.starts_with(b"!--") {
                self.at = skip_to(open + 4, b"-->")?;
                continue;
            }
            if rest.starts_with(b"![CDATA[") {
                self.at = skip_to(open + 9, b"]]>")?;
                continue;
            }
            if rest.starts_with(b"?") || rest.starts_with(b"!") {
                self.at = skip_to(open + 1, b">")?;
                continue;
            }
            let end = rest.first() == Some(&b'/');
            let name_at = open + 1 + usize::from(end);
            let name_len = xml[name_at..]
                .iter()
                .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')?;
            // The closing `>`, outside quoted attribute values.
            let mut i = name_at + name_len;
            let close = loop {
                let found = i + memchr3(b'>', b'"', b'\'', &xml[i..])?;
                match xml[found] {
                    b'>' => break found,
                    quote => i = found + 1 + memchr(quote, &xml[found + 1..])? + 1,
                }
            };
            let empty = xml[close - 1] == b'/' && close > name_at + name_len;
            let attrs_end = if empty { close - 1 } else { close };
            self.at = close + 1;
            return Some(Tag {
                name: local(&xml[name_at..name_at + name_len]),
                end,
                empty,
                attrs: &xml[(name_at + name_len).min(attrs_end)..attrs_end],
            });
        }
    }
}

pub(crate) fn number(value: &[u8]) -> Option<u64> {
    std::str::from_utf8(value).ok()?.trim().parse().ok()
}

fn is_true(value: &[u8]) -> bool {
    value == b"1" || value == b"true"
}

/// `D4` → (3, 3), 0-based; `None` if it is not a cell reference.
fn cell_ref(value: &[u8]) -> Option<(u32, u32)> {
    let letters = value.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = value[..letters].iter().fold(0u32, |acc, b| {
        acc * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
    });
    let row = u32::try_from(number(&value[letters..])?).ok()?;
    (row >= 1).then(|| (row - 1, col - 1))
}

fn to_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

// ---------------------------------------------------------------------------------------------
// xlsx
// ---------------------------------------------------------------------------------------------

/// The marks of every sheet of an xlsx (or xlsm) workbook, in the order of its
/// `workbook.xml` (the order of calamine's `sheets_metadata`).
pub fn xlsx_marks(bytes: &[u8]) -> Option<Vec<SheetMarks>> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let root = part(&mut zip, "_rels/.rels")
        .map(|xml| relationships(&xml))
        .unwrap_or_default();
    let workbook = root
        .iter()
        .find(|(_, _, kind)| kind.ends_with("/officeDocument"))
        .map_or_else(|| "xl/workbook.xml".to_string(), |(_, t, _)| resolve("", t));
    let (dir, name) = workbook.rsplit_once('/').unwrap_or(("", &workbook));
    let dir = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let rels = relationships(&part(&mut zip, &format!("{dir}_rels/{name}.rels"))?);
    let ids = sheet_ids(&part(&mut zip, &workbook)?)?;
    ids.iter()
        .map(|id| {
            let target = rels.iter().find(|(i, _, _)| i == id).map(|(_, t, _)| t);
            match target.and_then(|t| part(&mut zip, &resolve(&dir, t))) {
                Some(xml) => xlsx_sheet(&xml),
                None => Some(SheetMarks::default()),
            }
        })
        .collect()
}

/// A relationship target, relative to `dir` (ending with `/`) unless absolute.
fn resolve(dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{dir}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for piece in joined.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// `(Id, Target, Type)` of each `<Relationship>`.
fn relationships(xml: &[u8]) -> Vec<(String, String, String)> {
    tags(xml)
        .filter(|t| !t.end && t.name == b"Relationship")
        .map(|t| {
            let text = |name: &[u8]| {
                t.attr(name)
                    .map(|v| String::from_utf8_lossy(v).replace("&amp;", "&"))
                    .unwrap_or_default()
            };
            (text(b"Id"), text(b"Target"), text(b"Type"))
        })
        .collect()
}

/// The relationship id (`r:id`) of each `<sheet>` of `workbook.xml`, in order.
fn sheet_ids(xml: &[u8]) -> Option<Vec<String>> {
    tags(xml)
        .filter(|t| !t.end && t.name == b"sheet")
        .map(|t| Some(String::from_utf8_lossy(t.attr(b"id")?).into_owned()))
        .collect()
}

/// Could this XML hold a formula (`<f>` or `<x:f>`)? A byte search costs a fraction of a
/// scan; a false positive (the letters in a text) only costs the scan.
fn may_have_formulas(xml: &[u8]) -> bool {
    let tag = |needle: &[u8]| {
        memmem::find_iter(xml, needle).any(|i| {
            matches!(
                xml.get(i + needle.len()),
                Some(b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n')
            )
        })
    };
    tag(b"<f") || tag(b":f")
}

/// Scans one worksheet's XML: `<col hidden>`, `<row hidden>` and the cells holding `<f>`.
/// Positions follow calamine's rules: a row's `r` (1-based) or the row after the previous
/// one; a cell's `r`, or the column after the previous cell of the row.
fn xlsx_sheet(xml: &[u8]) -> Option<SheetMarks> {
    // Most grids have neither: the scan is skipped, or made without looking at cells.
    let formulas = may_have_formulas(xml);
    if !formulas && memmem::find(xml, b"hidden").is_none() {
        return Some(SheetMarks::default());
    }
    let mut marks = SheetMarks::default();
    let (mut row, mut next_row, mut next_col) = (0u32, 0u32, 0u32);
    let mut cell: Option<(u32, u32)> = None;
    for tag in tags(xml) {
        if tag.end {
            match tag.name {
                b"row" => next_row = row.saturating_add(1),
                b"c" => cell = None,
                b"sheetData" => break,
                _ => {}
            }
            continue;
        }
        match tag.name {
            b"row" => {
                row = tag
                    .attr(b"r")
                    .and_then(number)
                    .filter(|r| *r >= 1)
                    .map_or(next_row, |r| to_u32(r - 1));
                next_col = 0;
                if tag.attr(b"hidden").is_some_and(is_true) {
                    marks.hidden_rows.push((row, row));
                }
                if tag.empty {
                    next_row = row.saturating_add(1);
                }
            }
            b"c" if formulas => {
                let at = tag.attr(b"r").and_then(cell_ref).unwrap_or((row, next_col));
                next_col = at.1.saturating_add(1);
                cell = (!tag.empty).then_some(at);
            }
            b"f" => marks.formulas.extend(cell),
            b"col" if tag.attr(b"hidden").is_some_and(is_true) => {
                let bound = |name: &[u8]| tag.attr(name).and_then(number);
                if let (Some(min), Some(max)) = (bound(b"min"), bound(b"max")) {
                    if min >= 1 && max >= min {
                        marks.hidden_cols.push((to_u32(min - 1), to_u32(max - 1)));
                    }
                }
            }
            _ => {}
        }
    }
    Some(marks.finish())
}

// ---------------------------------------------------------------------------------------------
// ods
// ---------------------------------------------------------------------------------------------

/// The hidden rows and columns (`table:visibility="collapse"` or `"filter"`) of every sheet
/// of an ods workbook, in the order of its `content.xml` (calamine's order). Formula cells
/// are left empty: calamine gives them.
pub fn ods_marks(bytes: &[u8]) -> Option<Vec<SheetMarks>> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let xml = part(&mut zip, "content.xml")?;
    if memmem::find(&xml, b"visibility").is_none() {
        // Nothing hidden (a sheet missing from the list has no mark).
        return Some(Vec::new());
    }
    Some(ods_content(&xml))
}

/// Scans `content.xml`: rows and columns counted with their repeats, per top-level table.
fn ods_content(xml: &[u8]) -> Vec<SheetMarks> {
    let mut sheets = Vec::new();
    let mut current = SheetMarks::default();
    // Tables nested in a cell are not sheets: only depth 1 counts.
    let (mut depth, mut row, mut col) = (0usize, 0u64, 0u64);
    for tag in tags(xml) {
        match (tag.name, tag.end) {
            (b"table", true) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    sheets.push(std::mem::take(&mut current).finish());
                }
            }
            (b"table", false) if !tag.empty => {
                depth += 1;
                if depth == 1 {
                    (row, col) = (0, 0);
                }
            }
            (b"table-row" | b"table-column", false) if depth == 1 => {
                let is_row = tag.name == b"table-row";
                let repeat_name: &[u8] = if is_row {
                    b"number-rows-repeated"
                } else {
                    b"number-columns-repeated"
                };
                let repeat = tag.attr(repeat_name).and_then(number).unwrap_or(1).max(1);
                let hidden = tag
                    .attr(b"visibility")
                    .is_some_and(|v| v == b"collapse" || v == b"filter");
                let at = if is_row { &mut row } else { &mut col };
                if hidden {
                    let span = (to_u32(*at), to_u32(at.saturating_add(repeat - 1)));
                    if is_row {
                        current.hidden_rows.push(span);
                    } else {
                        current.hidden_cols.push(span);
                    }
                }
                *at = at.saturating_add(repeat);
            }
            _ => {}
        }
    }
    sheets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xlsx_sheet_positions_follow_calamine() {
        let xml = br#"<?xml version="1.0"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<cols><col min="2" max="3" width="9" hidden="1"/><col min="5" max="5"/></cols>
<sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c></row>
<row r="3" hidden="1"><c r="A3"><v>1</v></c><c t="str"><f>"A"&amp;"cquis"</f><v>Acquis</v></c></row>
<row hidden="true"><c r="D4"><f t="shared" si="0"/><v>2</v></c><c/><c><f>1&gt;0</f><v>1</v></c></row>
<row r="9" hidden="1"/>
</sheetData>
<extLst><ext><x14:dataValidations><x14:dataValidation><x14:formula1><xm:f>L!$A$1</xm:f></x14:formula1></x14:dataValidation></x14:dataValidations></ext></extLst>
</worksheet>"#;
        let marks = xlsx_sheet(xml).unwrap_or_default();
        assert_eq!(marks.hidden_cols, [(1, 2)]);
        assert_eq!(marks.hidden_rows, [(2, 3), (8, 8)]);
        assert_eq!(marks.formulas, [(2, 1), (3, 3), (3, 5)]);
    }

    #[test]
    fn prefixed_xml_is_read_too() {
        let xml = br#"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<x:sheetData><x:row r="2" hidden="1"><x:c r="B2"><x:f>1+1</x:f><x:v>2</x:v></x:c></x:row></x:sheetData>
</x:worksheet>"#;
        let marks = xlsx_sheet(xml).unwrap_or_default();
        assert_eq!(marks.hidden_rows, [(1, 1)]);
        assert_eq!(marks.formulas, [(1, 1)]);
    }

    #[test]
    fn comments_cdata_and_quoted_brackets_are_not_tags() {
        let xml = br#"<sheetData><!-- <row r="1" hidden="1"> --><row r="2" spans="a>b" hidden='1'><c r="A2"><is><t><![CDATA[<f>]]></t></is></c></row></sheetData>"#;
        let marks = xlsx_sheet(xml).unwrap_or_default();
        assert_eq!(marks.hidden_rows, [(1, 1)]);
        assert_eq!(marks.formulas, []);
    }

    #[test]
    fn ods_rows_and_columns_count_their_repeats() {
        let xml = br#"<office:document-content><office:body><office:spreadsheet>
<table:table table:name="Instructions"><table:table-column/><table:table-row><table:table-cell/></table:table-row></table:table>
<table:table table:name="Grille"><table:table-column table:number-columns-repeated="3"/><table:table-column table:visibility="collapse"/><table:table-column table:number-columns-repeated="1020"/>
<table:table-header-rows><table:table-row><table:table-cell/></table:table-row></table:table-header-rows>
<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
<table:table-row table:visibility="collapse" table:number-rows-repeated="2"><table:table-cell><table:table><table:table-row table:visibility="collapse"/></table:table></table:table-cell></table:table-row>
<table:table-row table:visibility="filter"><table:table-cell/></table:table-row>
<table:table-row table:number-rows-repeated="1048570"><table:table-cell/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
        let sheets = ods_content(xml);
        assert_eq!(sheets.len(), 2);
        assert_eq!(sheets[0], SheetMarks::default());
        assert_eq!(sheets[1].hidden_cols, [(3, 3)]);
        // Header row 0, rows 1–2, hidden rows 3–4 (collapse) and 5 (filter); the table
        // nested in a cell does not count.
        assert_eq!(sheets[1].hidden_rows, [(3, 5)]);
    }

    #[test]
    fn paths_resolve_like_calamine() {
        assert_eq!(
            resolve("xl/", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/", "/xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/sub/", "../worksheets/s.xml"),
            "xl/worksheets/s.xml"
        );
    }

    #[test]
    fn spans_merge() {
        assert_eq!(
            merge(vec![(5, 5), (1, 2), (3, 3), (9, 12), (10, 11)]),
            [(1, 3), (5, 5), (9, 12)]
        );
    }

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref(b"A1"), Some((0, 0)));
        assert_eq!(cell_ref(b"AB12"), Some((11, 27)));
        assert_eq!(cell_ref(b"12"), None);
        assert_eq!(cell_ref(b"A0"), None);
    }
}

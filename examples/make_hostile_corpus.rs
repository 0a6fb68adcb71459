//! Writes the corpus of broken and hostile inputs of `tests/reliability.rs`.
//!
//! ```text
//! cargo run --example make_hostile_corpus -- tests/hostile
//! ```
//!
//! (`tests/hostile/make-corpus.sh` runs exactly this.) It writes `base/`, a clean session
//! (two candidates, the grids of Claire Martin and Paul Durand; Claire's grid misspells one
//! first name, so that every run shows a `name-mismatch` warning about a file other than
//! the hostile one: the proof that the other files were still checked), and `corpus/`, one
//! file or folder per hostile input. What each must give is written by hand in
//! `tests/hostile/expected.tsv`, never generated: a change of behaviour fails the test.
//!
//! `found/` holds inputs that fuzzing found (see `fuzz/README.md`), copied into `corpus/` as
//! they are.
//!
//! Deterministic: same program, same bytes. Bombs are small compressed files: the whole
//! corpus stays well under 1 MB. Three seeds are copied from committed fixtures: the
//! encrypted `.xlsx`, and the `.xls` and `.ods` grids of `tests/fixtures/formats/`, which are
//! then damaged here.

use std::error::Error;
use std::fs;
use std::io::{Cursor, Write};
use std::path::Path;
use std::process::ExitCode;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

type Res<T> = Result<T, Box<dyn Error>>;

const CRITERIA: [&str; 12] = [
    "Cr1.1", "Cr1.2", "Cr1.3", "Cr1.4", "Cr1.5", "Cr2", "Cr3.1", "Cr3.2", "Cr4", "Cr5", "Cr6.1",
    "Cr6.2",
];

include!("../tests/support/session_toml.rs");

fn main() -> ExitCode {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: make_hostile_corpus OUT (tests/hostile)");
        return ExitCode::from(2);
    };
    match write_all(Path::new(&out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("make_hostile_corpus: {e}");
            ExitCode::FAILURE
        }
    }
}

fn write_all(out: &Path) -> Res<()> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = out.join("base");
    let corpus = out.join("corpus");
    for dir in [&base, &corpus] {
        if dir.exists() {
            fs::remove_dir_all(dir)?;
        }
    }
    write(&base.join("session.toml"), SESSION_TOML.as_bytes())?;
    write(&base.join("candidats.xlsx"), &candidates()?)?;
    write(
        &base.join("grilles/grille-claire-martin.xlsx"),
        &grid("Claire Martin", "Bruna")?,
    )?;
    let paul = grid("Paul Durand", "Bruno")?;
    write(&base.join("grilles/grille-paul-durand.xlsx"), &paul)?;

    let fixture = |rel: &str| fs::read(manifest.join("tests/fixtures").join(rel));
    let xls = fixture("formats/xls-session/grilles/grille-paul-durand.xls")?;
    let ods = fixture("formats/ods-session/grilles/grille-paul-durand.ods")?;

    let mut files: Vec<(&str, Vec<u8>)> = vec![
        ("zero-byte.xlsx", Vec::new()),
        ("random-bytes.xlsx", noise(4096, 7)),
        (
            "text-as.xls",
            "N° candidat;Nom;Prénom\n2026001;Durand;Alice\n".into(),
        ),
        (
            "html-as.xlsx",
            "<!DOCTYPE html>\n<html><body><table><tr><td>N° candidat</td></tr></table></body></html>\n"
                .into(),
        ),
        ("truncated-zip.xlsx", paul[..paul.len() / 2].to_vec()),
        ("truncated-bytes.ods", ods[..ods.len() * 2 / 3].to_vec()),
        ("truncated-content.ods", truncated_content(&ods)?),
        ("mismatched-end-tag.ods", mismatched_end_tag(&ods)?),
        ("encrypted.xlsx", fixture("bad/grille-chiffree.xlsx")?),
        ("no-sheet.xlsx", xlsx(&[], None)?),
        ("far-cell.xlsx", far_cell()?),
        ("string-count-bomb.xlsx", string_count_bomb()?),
        ("decompression-bomb.xlsx", decompression_bomb()?),
        ("deep-xml.xlsx", deep_xml()?),
        ("corrupt-compound.xls", damaged(&xls, 0x51)),
        ("Grille-Paul-Durand.XLSX", paul.clone()),
        ("wide-grid.ods", wide_ods(20_000)?),
        ("session-wrong-type.toml", session_edit("min_jurors = 2", "min_jurors = \"deux\"")),
        ("session-unknown-key.toml", session_edit("place = \"Lyon\"", "place = \"Lyon\"\nsalle = \"B12\"")),
        ("session-missing-key.toml", session_edit("date = 2026-11-27\n", "")),
        ("session-not-utf8.toml", latin1(&session_edit("", ""))),
    ];
    // A referential file next to a session.toml that names it: folders are laid over the
    // base session as they are.
    let builtin =
        fs::read_to_string(manifest.join("templates/referentials/community-management.toml"))?;
    let uses_file = session_edit("\"community-management\"", "\"referentiel.toml\"");
    let duplicate = builtin.replacen("code = \"Cr1.2\"", "code = \"Cr1.1\"", 1);
    let unmeetable = builtin.replacen(
        "rule = \"all\"\n\n  [[competencies.criteria]]\n  code = \"Cr1.1\"",
        "rule = { at_least = 9 }\n\n  [[competencies.criteria]]\n  code = \"Cr1.1\"",
        1,
    );
    if duplicate == builtin || unmeetable == builtin {
        return Err("the built-in referential changed: update make_hostile_corpus".into());
    }
    for (name, referential) in [
        ("referential-duplicate-codes", duplicate),
        ("referential-unmeetable-rule", unmeetable),
    ] {
        write(&corpus.join(name).join("session.toml"), &uses_file)?;
        write(
            &corpus.join(name).join("referentiel.toml"),
            referential.as_bytes(),
        )?;
    }
    for (name, bytes) in files.drain(..) {
        write(&corpus.join(name), &bytes)?;
    }
    // Inputs found by fuzzing (`fuzz/`, `examples/mutate.rs`), kept as they were found.
    for entry in fs::read_dir(out.join("found"))? {
        let path = entry?.path();
        if let Some(name) = path.file_name() {
            fs::copy(&path, corpus.join(name))?;
        }
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Res<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, bytes)?;
    Ok(())
}

fn session_edit(from: &str, to: &str) -> Vec<u8> {
    SESSION_TOML.replacen(from, to, 1).into_bytes()
}

/// `session.toml` saved in Latin-1 by an old editor.
fn latin1(utf8: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(utf8)
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect()
}

/// xorshift noise that starts like no known format.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8 | 0x80
        })
        .collect()
}

/// Every 97th byte of the second half XOR-ed with `mask`: a compound file whose header is
/// intact and whose streams are garbage.
fn damaged(bytes: &[u8], mask: u8) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let half = out.len() / 2;
    for (i, b) in out.iter_mut().enumerate().skip(half) {
        if i % 97 == 0 {
            *b ^= mask;
        }
    }
    out
}

fn when() -> Res<ExcelDateTime> {
    Ok(ExcelDateTime::from_ymd(2026, 11, 27)?)
}

fn candidates() -> Res<Vec<u8>> {
    let mut book = Workbook::new();
    book.set_properties(&DocProperties::new().set_creation_datetime(&when()?));
    let sheet = book.add_worksheet();
    sheet.set_name("Candidats")?;
    let rows = [
        [
            "N° candidat",
            "Nom",
            "Prénom",
            "Date de naissance",
            "Prérequis validés",
        ],
        ["2026001", "Durand", "Alice", "12/05/1990", "Oui"],
        ["2026002", "Petit", "Bruno", "03/07/1988", "Oui"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            sheet.write_string(u32::try_from(r)?, u16::try_from(c)?, *text)?;
        }
    }
    Ok(book.save_to_buffer()?)
}

/// A wide grid labelled with `juror`, every level « Acquis »; 2026002's first name as given.
fn grid(juror: &str, bruno: &str) -> Res<Vec<u8>> {
    let mut book = Workbook::new();
    book.set_properties(&DocProperties::new().set_creation_datetime(&when()?));
    let sheet = book.add_worksheet();
    sheet.set_name("Grille")?;
    sheet.write_string(0, 0, "Évaluateur :")?;
    sheet.write_string(0, 1, juror)?;
    let header = ["N° candidat", "Nom", "Prénom"].into_iter().chain(CRITERIA);
    for (c, text) in header.enumerate() {
        sheet.write_string(2, u16::try_from(c)?, text)?;
    }
    for (r, (id, last, first)) in [("2026001", "Durand", "Alice"), ("2026002", "Petit", bruno)]
        .into_iter()
        .enumerate()
    {
        let r = u32::try_from(r + 3)?;
        sheet.write_string(r, 0, id)?;
        sheet.write_string(r, 1, last)?;
        sheet.write_string(r, 2, first)?;
        for c in 0..CRITERIA.len() {
            sheet.write_string(r, u16::try_from(c + 3)?, "Acquis")?;
        }
    }
    Ok(book.save_to_buffer()?)
}

/// A hand-made xlsx: the parts every reader needs, one sheet per `sheets` entry (its
/// `sheetData` content), and the shared strings given.
fn xlsx(sheets: &[&str], shared_strings: Option<&str>) -> Res<Vec<u8>> {
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    let mut content_types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    );
    let mut workbook = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, data) in sheets.iter().enumerate() {
        let n = i + 1;
        content_types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        workbook.push_str(&format!(
            r#"<sheet name="Grille{n}" sheetId="{n}" r:id="rId{n}"/>"#
        ));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
        parts.push((
            format!("xl/worksheets/sheet{n}.xml"),
            format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#).into_bytes(),
        ));
    }
    if let Some(sst) = shared_strings {
        content_types.push_str(r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#);
        rels.push_str(r#"<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
        parts.push(("xl/sharedStrings.xml".into(), sst.as_bytes().to_vec()));
    }
    content_types.push_str("</Types>");
    workbook.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    let root = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let mut all: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), content_types.into_bytes()),
        ("_rels/.rels".into(), root.as_bytes().to_vec()),
        ("xl/workbook.xml".into(), workbook.into_bytes()),
        ("xl/_rels/workbook.xml.rels".into(), rels.into_bytes()),
    ];
    all.extend(parts);
    zip_of(&all)
}

/// A zip of the given parts, deflated, with a fixed date.
fn zip_of(parts: &[(String, Vec<u8>)]) -> Res<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(zip::DateTime::from_date_and_time(2026, 11, 27, 12, 0, 0)?);
    for (name, bytes) in parts {
        zip.start_file(name.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// A used cell in A1 and another in XFD1048576: calamine would allocate 17 billion cells.
fn far_cell() -> Res<Vec<u8>> {
    xlsx(
        &[
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>N° candidat</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#,
        ],
        None,
    )
}

/// A shared-strings table declaring a trillion strings: calamine would reserve them all.
fn string_count_bomb() -> Res<Vec<u8>> {
    xlsx(
        &[r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#],
        Some(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1000000000000" uniqueCount="1000000000000"><si><t>N° candidat</t></si></sst>"#,
        ),
    )
}

/// A worksheet that inflates from about 200 Kio to 200 Mio of white space.
fn decompression_bomb() -> Res<Vec<u8>> {
    let mut sheet = String::with_capacity(200 * 1024 * 1024 + 200);
    sheet.push_str(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#);
    sheet.extend(std::iter::repeat_n(' ', 200 * 1024 * 1024));
    sheet.push_str("</sheetData></worksheet>");
    let mut parts = unzip(&xlsx(&[""], None)?)?;
    for (name, bytes) in &mut parts {
        if name == "xl/worksheets/sheet1.xml" {
            *bytes = sheet.clone().into_bytes();
        }
    }
    zip_of(&parts)
}

/// A cell whose inline string nests 20,000 elements.
fn deep_xml() -> Res<Vec<u8>> {
    let open = "<r>".repeat(20_000);
    let close = "</r>".repeat(20_000);
    xlsx(
        &[&format!(
            r#"<row r="1"><c r="A1" t="inlineStr"><is>{open}<t>x</t>{close}</is></c></row>"#
        )],
        None,
    )
}

/// Every part of a zip, in order.
fn unzip(bytes: &[u8]) -> Res<Vec<(String, Vec<u8>)>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i)?;
        let mut data = Vec::new();
        std::io::copy(&mut entry, &mut data)?;
        parts.push((entry.name()?.to_string(), data));
    }
    Ok(parts)
}

/// The `.ods` grid with its `content.xml` cut in the middle of the table, the zip intact.
fn truncated_content(ods: &[u8]) -> Res<Vec<u8>> {
    let mut parts = unzip(ods)?;
    for (name, bytes) in &mut parts {
        if name == "content.xml" {
            let marker = b"</table:table-row>";
            let at = bytes
                .windows(marker.len())
                .position(|w| w == marker)
                .ok_or("no row in content.xml")?;
            bytes.truncate(at + marker.len());
        }
    }
    ods_zip(&parts)
}

/// The `.ods` grid whose table ends with `</x:table>` instead of `</table:table>`: the XML
/// is balanced (the pre-scan counts depth, not names), but calamine waits for
/// `</table:table>` until the end of the file and then for ever: only the reader's CPU time
/// limit stops it.
fn mismatched_end_tag(ods: &[u8]) -> Res<Vec<u8>> {
    let mut parts = unzip(ods)?;
    for (name, bytes) in &mut parts {
        if name == "content.xml" {
            let text = String::from_utf8(std::mem::take(bytes))?;
            let at = text
                .rfind("</table:table>")
                .ok_or("no table in content.xml")?;
            *bytes = format!(
                "{}</x:table>{}",
                &text[..at],
                &text[at + "</table:table>".len()..]
            )
            .into_bytes();
        }
    }
    ods_zip(&parts)
}

/// An OpenDocument zip: `mimetype` first and stored, the rest deflated.
fn ods_zip(parts: &[(String, Vec<u8>)]) -> Res<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let date = zip::DateTime::from_date_and_time(2026, 11, 27, 12, 0, 0)?;
    for (name, bytes) in parts {
        let method = if name == "mimetype" {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(date);
        zip.start_file(name.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// A grid sheet whose header row has `columns` columns (more than any spreadsheet allows).
fn wide_ods(columns: usize) -> Res<Vec<u8>> {
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Grille"><table:table-row>"#,
    );
    content.push_str(r#"<table:table-cell office:value-type="string"><text:p>N° candidat</text:p></table:table-cell>"#);
    for c in 1..columns {
        content.push_str(&format!(
            r#"<table:table-cell office:value-type="string"><text:p>Cr{c}</text:p></table:table-cell>"#
        ));
    }
    content.push_str("</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>");
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    ods_zip(&[
        (
            "mimetype".into(),
            b"application/vnd.oasis.opendocument.spreadsheet".to_vec(),
        ),
        ("content.xml".into(), content.into_bytes()),
        ("META-INF/manifest.xml".into(), manifest.as_bytes().to_vec()),
    ])
}

//! Fonts: the DejaVu Serif family shipped in `templates/fonts/` (licence beside it),
//! measured for layout, checked for coverage, and embedded in each document subset to
//! what it prints.
//!
//! Pages name glyphs by their number in the full font ([`glyph`]) and every subset keeps
//! those numbers (`sfnt`), so a page is written once, whatever font it is later paired
//! with. A document's font for a face holds a fixed repertoire ([`BASE`]: what French
//! text needs) plus the other characters the document prints: one candidate's name never
//! changes another candidate's document, and most documents share one subset, made once
//! ([`FontCache`]). Resource names (`F1`…`F3`) are fixed and a subset's tag is derived
//! from its bytes, so the output is identical from run to run.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use printpdf::ParsedFont;
use sha2::{Digest, Sha256};

use super::sfnt;
use super::writer::deflate;
use super::PdfError;

/// One face of the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Face {
    Regular,
    Bold,
    Italic,
}

impl Face {
    pub const ALL: [Face; 3] = [Face::Regular, Face::Bold, Face::Italic];

    pub fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Bold => 1,
            Face::Italic => 2,
        }
    }

    fn postscript_name(self) -> &'static str {
        match self {
            Face::Regular => "DejaVuSerif",
            Face::Bold => "DejaVuSerif-Bold",
            Face::Italic => "DejaVuSerif-Italic",
        }
    }

    fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => include_bytes!("../../../../../templates/fonts/DejaVuSerif.ttf"),
            Face::Bold => include_bytes!("../../../../../templates/fonts/DejaVuSerif-Bold.ttf"),
            Face::Italic => include_bytes!("../../../../../templates/fonts/DejaVuSerif-Italic.ttf"),
        }
    }
}

/// A face parsed once per process, with its advance widths by character for layout.
struct Loaded {
    font: ParsedFont,
    /// Advance width (font units) of each character of the Basic Multilingual Plane;
    /// `u16::MAX` when the face has no glyph for it.
    widths: Vec<u16>,
    /// Glyph number of each character of the Basic Multilingual Plane (0: none).
    glyphs: Vec<u16>,
}

fn family() -> &'static [Option<Loaded>; 3] {
    static FAMILY: OnceLock<[Option<Loaded>; 3]> = OnceLock::new();
    FAMILY.get_or_init(|| {
        Face::ALL.map(|f| {
            let font = ParsedFont::from_bytes(f.bytes(), 0, &mut Vec::new())?;
            let mut widths = vec![u16::MAX; 0x1_0000];
            let mut glyphs = vec![0; 0x1_0000];
            for (&c, &g) in &font.codepoint_to_glyph {
                if let Some(slot) = widths.get_mut(c as usize) {
                    *slot = font.get_glyph_width(g).unwrap_or(0).min(u16::MAX - 1);
                    glyphs[c as usize] = g;
                }
            }
            Some(Loaded {
                font,
                widths,
                glyphs,
            })
        })
    })
}

fn parsed(face: Face) -> Option<&'static ParsedFont> {
    family()[face.index()].as_ref().map(|l| &l.font)
}

/// Characters that print nothing and need no glyph (they are never drawn as such).
fn needs_no_glyph(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}')
}

/// Does every face of the family have a glyph for `c`?
pub fn covers(c: char) -> bool {
    needs_no_glyph(c)
        || Face::ALL
            .into_iter()
            .all(|face| parsed(face).is_some_and(|f| f.lookup_glyph_index(u32::from(c)).is_some()))
}

/// The characters of `text` that the family cannot print, in order of appearance.
pub fn missing_chars(text: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        if !covers(c) && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// The glyph that prints `c` in `face` (its number in the full font), or `None` for a
/// character that prints nothing or that the face lacks (preflight refuses those first).
pub fn glyph(face: Face, c: char) -> Option<u16> {
    if needs_no_glyph(c) {
        return None;
    }
    let loaded = family()[face.index()].as_ref()?;
    match loaded.glyphs.get(c as usize) {
        Some(0) => None,
        Some(&g) => Some(g),
        None => loaded.font.lookup_glyph_index(u32::from(c)),
    }
}

/// Width of `text` in points at `size`, from the face's advance widths (no kerning, as
/// the documents are drawn without shaping).
pub fn width(face: Face, size: f32, text: &str) -> f32 {
    scaled(face, size, units(face, text))
}

/// Width of `text` in font units: widths add up exactly, so a line can be measured
/// word by word.
pub fn units(face: Face, text: &str) -> u32 {
    let Some(loaded) = family()[face.index()].as_ref() else {
        return 0;
    };
    text.chars()
        .map(|c| match loaded.widths.get(c as usize) {
            Some(&w) if w != u16::MAX => u32::from(w),
            Some(_) => 0,
            None => loaded
                .font
                .lookup_glyph_index(u32::from(c))
                .and_then(|g| loaded.font.get_glyph_width(g))
                .map_or(0, u32::from),
        })
        .sum()
}

/// Font units to points at `size`.
pub fn scaled(face: Face, size: f32, units: u32) -> f32 {
    let em = family()[face.index()]
        .as_ref()
        .map_or(1, |l| l.font.units_per_em.max(1));
    units as f32 * size / f32::from(em)
}

/// Ascent of the family, as a fraction of the font size (for placing text in boxes).
pub fn ascent() -> f32 {
    parsed(Face::Regular).map_or(0.76, |f| {
        f32::from(f.font_metrics.ascent) / f32::from(f.units_per_em.max(1))
    })
}

/// Characters every embedded font carries, printed or not: what names, dates and
/// French sentences are made of. A document's font is this plus the other characters it
/// prints, so it depends on nothing but the document; the characters of the templates
/// are the same in every document, so most documents still share one subset.
pub const BASE: &str = concat!(
    " !'(),-./0123456789:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "\u{A0}«»’",
    "àâäçéèêëîïôöœùûüÿÀÂÄÇÉÈÊËÎÏÔÖŒÙÛÜŸ",
);

fn base() -> &'static BTreeSet<char> {
    static BASE_SET: OnceLock<BTreeSet<char>> = OnceLock::new();
    BASE_SET.get_or_init(|| BASE.chars().collect())
}

/// One face subset to a set of characters, ready to be written into documents.
#[derive(Debug)]
pub struct Embedded {
    pub face: Face,
    /// `ABCDEF+DejaVuSerif`: the tag is derived from the subset's bytes.
    pub base_font: String,
    /// The font program (TrueType), zlib-compressed, and its size uncompressed.
    pub program: Vec<u8>,
    pub program_length: usize,
    /// The `/W` array of the descendant font (glyph widths in thousandths of an em).
    pub widths: String,
    /// The `ToUnicode` CMap, zlib-compressed (text can be searched and copied).
    pub to_unicode: Vec<u8>,
    /// The font descriptor's entries other than `/FontName` and `/FontFile2`.
    pub descriptor: String,
}

/// Subsets `face` to `chars` (plus [`BASE`]) and prepares what a PDF embeds of it.
pub fn embed(face: Face, chars: &BTreeSet<char>) -> Result<Embedded, PdfError> {
    let font = parsed(face).ok_or_else(|| PdfError::Font(format!("{face:?} illisible")))?;
    let error = |e: &dyn std::fmt::Display| PdfError::Font(format!("{face:?} : {e}"));
    // Glyph -> the character it stands for (the smallest one when several share it).
    let mut by_glyph: std::collections::BTreeMap<u16, char> = Default::default();
    let mut missing = Vec::new();
    for &c in chars.iter().chain(base()) {
        if needs_no_glyph(c) {
            continue;
        }
        match glyph(face, c) {
            Some(g) => {
                by_glyph.entry(g).or_insert(c);
            }
            None if chars.contains(&c) => missing.push(c),
            None => {}
        }
    }
    if !missing.is_empty() {
        return Err(PdfError::Glyphs(missing));
    }
    let glyphs: BTreeSet<u16> = by_glyph.keys().copied().collect();
    let program = sfnt::subset(face.bytes(), &glyphs).map_err(|e| error(&e))?;
    let m = sfnt::metrics(face.bytes()).map_err(|e| error(&e))?;
    let em = |v: i32| (v * 1000).div_euclid(i32::from(m.units_per_em));
    let mut widths = String::from("[");
    for g in by_glyph.keys() {
        let w = font.get_glyph_width(*g).unwrap_or(0);
        widths.push_str(&format!("{g} [{}] ", em(i32::from(w))));
    }
    widths.push(']');
    let bold = face == Face::Bold;
    let flags = 2 | 4 | if face == Face::Italic { 64 } else { 0 }; // serif, symbolic, italic
    let [x0, y0, x1, y1] = m.bbox.map(|v| em(i32::from(v)));
    let descriptor = format!(
        "/Flags {flags} /FontBBox [{x0} {y0} {x1} {y1}] /ItalicAngle {} /Ascent {} /Descent {} /CapHeight {} /StemV {}",
        m.italic_angle.round(),
        em(i32::from(m.ascender)),
        em(i32::from(m.descender)),
        em(i32::from(m.ascender)) * 7 / 10,
        if bold { 140 } else { 80 },
    );
    Ok(Embedded {
        face,
        base_font: format!("{}+{}", tag(&program), face.postscript_name()),
        program_length: program.len(),
        program: deflate(&program)?,
        widths,
        to_unicode: deflate(to_unicode(&by_glyph).as_bytes())?,
        descriptor,
    })
}

/// The CMap that tells readers which character each glyph stands for.
fn to_unicode(by_glyph: &std::collections::BTreeMap<u16, char>) -> String {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(&u16, &char)> = by_glyph.iter().collect();
    for block in entries.chunks(100) {
        out.push_str(&format!("{} beginbfchar\n", block.len()));
        for (g, c) in block {
            let mut units = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            out.push_str(&format!("<{g:04X}> <{hex}>\n"));
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

/// The subsets made so far, by face and the characters a document prints beyond
/// [`BASE`]: each is made once, whichever thread asks first.
#[derive(Default)]
pub struct FontCache {
    made: Mutex<Subsets>,
}

/// Subsets by face and characters beyond [`BASE`].
type Subsets = HashMap<(Face, Vec<char>), Arc<Embedded>>;

impl FontCache {
    /// The font of `face` for a document printing `chars` with it.
    pub fn get(&self, face: Face, chars: &BTreeSet<char>) -> Result<Arc<Embedded>, PdfError> {
        let extra: Vec<char> = chars
            .iter()
            .filter(|c| !base().contains(c) && !needs_no_glyph(**c))
            .copied()
            .collect();
        let key = (face, extra);
        if let Some(found) = self.lock().get(&key) {
            return Ok(Arc::clone(found));
        }
        // Made outside the lock: two threads may both make it; either result is the same.
        let made = Arc::new(embed(face, &key.1.iter().copied().collect())?);
        Ok(Arc::clone(self.lock().entry(key).or_insert(made)))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Subsets> {
        self.made.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The six capital letters that mark a subset font (`ABCDEF+DejaVuSerif`), derived
/// from the subset itself: the same subset always gets the same tag.
fn tag(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_family_covers_french_and_the_names_of_the_sample() {
        for text in [
            "é è ê à ç ô œ « » ’ – … Œ É À Ç",
            "Zoé Lefèvre-N'Diaye",
            "Łukasz Wiśniewski",
            "Nguyễn Thị Hương",
            "Dubœuf Éloïse",
        ] {
            assert_eq!(missing_chars(text), Vec::<char>::new(), "{text}");
        }
    }

    #[test]
    fn characters_outside_the_family_are_reported_once_in_order() {
        assert_eq!(missing_chars("王 Li 王 😀"), vec!['王', '😀']);
        assert!(covers('\n'), "control characters need no glyph");
    }

    #[test]
    fn widths_grow_with_text_and_size() {
        let a = width(Face::Regular, 10.0, "Zoé");
        assert!(a > 10.0 && a < 25.0, "{a}");
        assert!((width(Face::Regular, 20.0, "Zoé") - 2.0 * a).abs() < 0.01);
        assert!(width(Face::Bold, 10.0, "Zoé") > a);
    }

    #[test]
    fn fonts_are_small_identical_for_the_same_characters_and_cover_the_base() {
        let chars: BTreeSet<char> = "Zoé Lefèvre-N'Diaye".chars().collect();
        let a = embed(Face::Regular, &chars).unwrap();
        let b = embed(Face::Regular, &chars).unwrap();
        assert_eq!(a.program, b.program);
        assert_eq!(a.base_font, b.base_font);
        assert!(a.program.len() < 20_000, "{}", a.program.len());
        assert!(a.base_font.ends_with("+DejaVuSerif") && a.base_font.len() == 18);
        let all_base: BTreeSet<char> = BASE.chars().collect();
        let c = embed(Face::Regular, &all_base).unwrap();
        assert_eq!(a.program, c.program, "French text adds nothing to the base");
        let d = embed(Face::Regular, &BTreeSet::from(['Ł'])).unwrap();
        assert_ne!(a.program, d.program);
        assert!(d
            .widths
            .contains(&format!("{} [", glyph(Face::Regular, 'Ł').unwrap())));
    }

    #[test]
    fn the_cache_shares_one_font_between_documents_of_french_text() {
        let cache = FontCache::default();
        let one = cache.get(Face::Bold, &"Zoé".chars().collect()).unwrap();
        let two = cache.get(Face::Bold, &"Éloïse".chars().collect()).unwrap();
        assert!(Arc::ptr_eq(&one, &two));
        let three = cache.get(Face::Bold, &"Łukasz".chars().collect()).unwrap();
        assert!(!Arc::ptr_eq(&one, &three));
    }

    #[test]
    fn a_character_missing_from_the_font_refuses_the_subset() {
        assert!(matches!(
            embed(Face::Bold, &BTreeSet::from(['a', '王'])),
            Err(PdfError::Glyphs(chars)) if chars == vec!['王']
        ));
    }

    #[test]
    fn the_text_map_names_each_glyph_s_character() {
        let map = to_unicode(&std::collections::BTreeMap::from([(36, 'A'), (2000, '😀')]));
        assert!(map.contains("2 beginbfchar\n<0024> <0041>\n<07D0> <D83DDE00>\n"));
    }
}

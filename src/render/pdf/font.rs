//! Fonts: the DejaVu Serif family shipped in `templates/fonts/` (licence beside it),
//! measured for layout, checked for coverage, subset once per session and embedded in
//! every document.
//!
//! printpdf without its `text_layout` feature embeds whole font files; instead, after all
//! documents are laid out, [`SessionFonts::build`] subsets each face once to exactly the
//! characters printed, and [`SessionFonts::splice`] puts the same pre-compressed font
//! program in every document. Fixed resource names (`F1`…`F3`) and a subset tag derived
//! from the subset's bytes keep the output identical from run to run.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use printpdf::{FontId, ParsedFont, PdfDocument, PdfFont};
use sha2::{Digest, Sha256};

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

    fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Bold => 1,
            Face::Italic => 2,
        }
    }

    /// The resource name in every document (never printpdf's random ids).
    pub fn id(self) -> FontId {
        FontId(format!("F{}", self.index() + 1))
    }

    fn from_id(id: &FontId) -> Option<Face> {
        Face::ALL.into_iter().find(|f| f.id() == *id)
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
            Face::Regular => include_bytes!("../../../templates/fonts/DejaVuSerif.ttf"),
            Face::Bold => include_bytes!("../../../templates/fonts/DejaVuSerif-Bold.ttf"),
            Face::Italic => include_bytes!("../../../templates/fonts/DejaVuSerif-Italic.ttf"),
        }
    }
}

/// A face parsed once per process, with its advance widths by character for layout.
struct Loaded {
    font: ParsedFont,
    /// Advance width (font units) of each character of the Basic Multilingual Plane;
    /// `u16::MAX` when the face has no glyph for it.
    widths: Vec<u16>,
}

fn family() -> &'static [Option<Loaded>; 3] {
    static FAMILY: OnceLock<[Option<Loaded>; 3]> = OnceLock::new();
    FAMILY.get_or_init(|| {
        Face::ALL.map(|f| {
            let font = ParsedFont::from_bytes(f.bytes(), 0, &mut Vec::new())?;
            let mut widths = vec![u16::MAX; 0x1_0000];
            for (&c, &g) in &font.codepoint_to_glyph {
                if let Some(slot) = widths.get_mut(c as usize) {
                    *slot = font.get_glyph_width(g).unwrap_or(0).min(u16::MAX - 1);
                }
            }
            Some(Loaded { font, widths })
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

/// Width of `text` in points at `size`, from the face's advance widths (no kerning, as
/// printpdf draws without shaping).
pub fn width(face: Face, size: f32, text: &str) -> f32 {
    let Some(loaded) = family()[face.index()].as_ref() else {
        return 0.0;
    };
    let units: u32 = text
        .chars()
        .map(|c| match loaded.widths.get(c as usize) {
            Some(&w) if w != u16::MAX => u32::from(w),
            Some(_) => 0,
            None => loaded
                .font
                .lookup_glyph_index(u32::from(c))
                .and_then(|g| loaded.font.get_glyph_width(g))
                .map_or(0, u32::from),
        })
        .sum();
    units as f32 * size / f32::from(loaded.font.units_per_em.max(1))
}

/// Ascent of the family, as a fraction of the font size (for placing text in boxes).
pub fn ascent() -> f32 {
    parsed(Face::Regular).map_or(0.76, |f| {
        f32::from(f.font_metrics.ascent) / f32::from(f.units_per_em.max(1))
    })
}

/// One face subset to the characters of a session.
struct Subset {
    font: ParsedFont,
    /// The font program, zlib-compressed once (level 9, as lopdf would).
    zlib: Vec<u8>,
}

/// The session's fonts: each face used, subset once, ready to go into every document.
pub struct SessionFonts {
    subsets: [Option<Subset>; 3],
}

impl SessionFonts {
    /// Subsets each face to the characters printed with it. Every character must be
    /// covered (preflight and template checks guarantee it; this is the last guard).
    pub fn build(used: &BTreeMap<Face, BTreeSet<char>>) -> Result<SessionFonts, PdfError> {
        let mut subsets: [Option<Subset>; 3] = [None, None, None];
        for (face, chars) in used {
            subsets[face.index()] = Some(subset(*face, chars)?);
        }
        Ok(SessionFonts { subsets })
    }

    /// Puts the session's fonts into a document under their fixed resource names.
    pub fn install(&self, doc: &mut PdfDocument) {
        for face in Face::ALL {
            if let Some(s) = &self.subsets[face.index()] {
                doc.resources
                    .fonts
                    .map
                    .insert(face.id(), PdfFont::new(s.font.clone()));
            }
        }
    }

    /// Replaces each embedded font program (the stream with `/Length1`) by the
    /// pre-compressed copy, so that no document compresses a font again.
    pub fn splice(&self, doc: &mut lopdf::Document) {
        for object in doc.objects.values_mut() {
            let lopdf::Object::Stream(stream) = object else {
                continue;
            };
            if stream.dict.get(b"Length1").is_err() || stream.dict.get(b"Filter").is_ok() {
                continue;
            }
            let program = self
                .subsets
                .iter()
                .flatten()
                .find(|s| s.font.original_bytes == stream.content);
            if let Some(s) = program {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(s.zlib.clone());
            }
        }
    }
}

/// The face a `SetFont` resource name stands for.
pub fn face_of(id: &FontId) -> Option<Face> {
    Face::from_id(id)
}

fn subset(face: Face, chars: &BTreeSet<char>) -> Result<Subset, PdfError> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile};

    let font = parsed(face).ok_or_else(|| PdfError::Font(format!("{face:?} illisible")))?;
    let mut gids: BTreeSet<u16> = BTreeSet::new();
    let mut missing = Vec::new();
    for c in chars.iter().filter(|c| !needs_no_glyph(**c)) {
        match font.lookup_glyph_index(u32::from(*c)) {
            Some(g) => {
                gids.insert(g);
            }
            None => missing.push(*c),
        }
    }
    if !missing.is_empty() {
        return Err(PdfError::Glyphs(missing));
    }
    gids.remove(&0);
    let list: Vec<u16> = std::iter::once(0).chain(gids).collect();
    let error = |e: &dyn std::fmt::Display| PdfError::Font(format!("{face:?} : {e}"));
    let data = ReadScope::new(face.bytes())
        .read::<FontData<'_>>()
        .map_err(|e| error(&e))?;
    let provider = data.table_provider(0).map_err(|e| error(&e))?;
    let bytes =
        allsorts::subset::subset(&provider, &list, &SubsetProfile::Pdf, CmapTarget::Unicode)
            .map_err(|e| error(&e))?;
    let mut sub = ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())
        .ok_or_else(|| PdfError::Font(format!("{face:?} : sous-ensemble illisible")))?;
    sub.font_name = Some(format!("{}+{}", tag(&bytes), face.postscript_name()));
    let mut stream = lopdf::Stream::new(lopdf::Dictionary::new(), sub.original_bytes.clone());
    stream.compress().map_err(|e| error(&e))?;
    Ok(Subset {
        font: sub,
        zlib: stream.content,
    })
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
    fn subsets_are_small_and_identical_for_the_same_characters() {
        let chars: BTreeSet<char> = "Zoé Lefèvre-N'Diaye Łukasz".chars().collect();
        let used = BTreeMap::from([(Face::Regular, chars)]);
        let a = SessionFonts::build(&used).unwrap();
        let b = SessionFonts::build(&used).unwrap();
        let (sa, sb) = (
            a.subsets[0].as_ref().unwrap(),
            b.subsets[0].as_ref().unwrap(),
        );
        assert_eq!(sa.zlib, sb.zlib);
        assert!(sa.zlib.len() < 20_000, "{}", sa.zlib.len());
        let name = sa.font.font_name.clone().unwrap();
        assert!(name.ends_with("+DejaVuSerif") && name.len() == 18, "{name}");
        assert!(sa.font.lookup_glyph_index(u32::from('Ł')).is_some());
    }

    #[test]
    fn a_character_missing_from_the_font_refuses_the_subset() {
        let used = BTreeMap::from([(Face::Bold, BTreeSet::from(['a', '王']))]);
        assert!(matches!(
            SessionFonts::build(&used),
            Err(PdfError::Glyphs(chars)) if chars == vec!['王']
        ));
    }
}

//! A TrueType subsetter that keeps every glyph at its number.
//!
//! Usual subsetters renumber the glyphs they keep, so the bytes of a page depend on which
//! other characters happen to be in the same subset. Here every glyph keeps its number
//! and the glyphs not kept are emptied: a page's content stream depends only on its own
//! text, a document's font only on its own characters, and one page can be written once
//! and reused in another document (each certificate and `certificats.pdf`). The empty
//! slots cost a few hundred bytes once compressed (`loca` and `hmtx` become long runs).
//!
//! Only what a PDF viewer needs of a font embedded as `CIDFontType2` with an identity
//! `CIDToGIDMap` is written: `head`, `hhea`, `maxp`, `hmtx`, `loca`, `glyf` and the hinting
//! tables `cvt `, `fpgm`, `prep` (ISO 32000-1, 9.9). The character map travels in the
//! PDF's own `ToUnicode` and widths.

use std::collections::BTreeSet;

/// Why a font cannot be subset (the fonts are jury's own, so this means a broken build).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("police TrueType illisible : {0}")]
pub struct SfntError(&'static str);

/// Tables copied unchanged.
const COPIED: [&[u8; 4]; 3] = [b"cvt ", b"fpgm", b"prep"];

/// The font `font` with only the outlines of `glyphs` (and of the glyphs they are made
/// of), every glyph at its original number. Glyph 0 (`.notdef`) is always kept.
pub fn subset(font: &[u8], glyphs: &BTreeSet<u16>) -> Result<Vec<u8>, SfntError> {
    let tables = Tables::read(font)?;
    let head = tables.get(b"head")?;
    let maxp = tables.get(b"maxp")?;
    let hhea = tables.get(b"hhea")?;
    let outlines = Outlines::read(&tables, head, maxp)?;
    let kept = outlines.kept(glyphs)?;

    // Glyphs past the last one kept are dropped: numbers stay, the tables get shorter.
    let count = kept.last().map_or(1, |g| usize::from(*g) + 1);
    let (new_glyf, new_loca) = outlines.subset(&kept, count)?;
    let hmtx = kept_metrics(&kept, count, hhea, tables.get(b"hmtx")?)?;
    let new_hhea = with_u16(hhea, 34, count as u16, "hhea")?;
    let new_maxp = with_u16(maxp, 4, count as u16, "maxp")?;
    let mut new_head = with_u16(head, 50, 1, "head")?; // long loca offsets
    if let Some(adjust) = new_head.get_mut(8..12) {
        adjust.fill(0);
    }

    let mut out: Vec<(&[u8; 4], Vec<u8>)> = vec![
        (b"glyf", new_glyf),
        (b"head", new_head),
        (b"hhea", new_hhea),
        (b"hmtx", hmtx),
        (b"loca", new_loca),
        (b"maxp", new_maxp),
    ];
    for tag in COPIED {
        if let Ok(table) = tables.get(tag) {
            out.push((tag, table.to_vec()));
        }
    }
    out.sort_by_key(|(tag, _)| **tag);
    Ok(assemble(&out))
}

/// The glyph outlines of a font: `glyf`, found through `loca`.
struct Outlines<'a> {
    /// Glyphs in the font (`maxp`).
    count: usize,
    /// `loca` holds 32-bit offsets (else 16-bit halves).
    long_loca: bool,
    loca: &'a [u8],
    glyf: &'a [u8],
}

impl<'a> Outlines<'a> {
    fn read(tables: &Tables<'a>, head: &[u8], maxp: &[u8]) -> Result<Outlines<'a>, SfntError> {
        Ok(Outlines {
            count: usize::from(be16(maxp, 4)?),
            long_loca: be16(head, 50)? == 1,
            loca: tables.get(b"loca")?,
            glyf: tables.get(b"glyf")?,
        })
    }

    /// Where glyph `g`'s outline starts in `glyf`.
    fn offset(&self, g: usize) -> Result<usize, SfntError> {
        if self.long_loca {
            Ok(be32(self.loca, 4 * g)? as usize)
        } else {
            Ok(usize::from(be16(self.loca, 2 * g)?) * 2)
        }
    }

    fn outline(&self, g: usize) -> Result<&'a [u8], SfntError> {
        let (start, end) = (self.offset(g)?, self.offset(g + 1)?);
        self.glyf.get(start..end).ok_or(SfntError("glyf"))
    }

    /// The glyphs kept: those asked that the font has, glyph 0, and every component of a
    /// composite glyph kept.
    fn kept(&self, glyphs: &BTreeSet<u16>) -> Result<BTreeSet<u16>, SfntError> {
        let mut kept: BTreeSet<u16> = glyphs
            .iter()
            .copied()
            .filter(|g| usize::from(*g) < self.count)
            .collect();
        kept.insert(0);
        let mut todo: Vec<u16> = kept.iter().copied().collect();
        while let Some(g) = todo.pop() {
            for component in components(self.outline(usize::from(g))?)? {
                if usize::from(component) < self.count && kept.insert(component) {
                    todo.push(component);
                }
            }
        }
        Ok(kept)
    }

    /// New `glyf` and `loca` (long offsets) for the first `count` glyphs: the outlines of
    /// those `kept`, the others empty.
    fn subset(&self, kept: &BTreeSet<u16>, count: usize) -> Result<(Vec<u8>, Vec<u8>), SfntError> {
        let mut glyf = Vec::new();
        let mut loca = Vec::with_capacity(4 * (count + 1));
        for g in 0..count {
            loca.extend_from_slice(&(glyf.len() as u32).to_be_bytes());
            if kept.contains(&(g as u16)) {
                glyf.extend_from_slice(self.outline(g)?);
                while glyf.len() % 4 != 0 {
                    glyf.push(0);
                }
            }
        }
        loca.extend_from_slice(&(glyf.len() as u32).to_be_bytes());
        Ok((glyf, loca))
    }
}

/// A new `hmtx` for the first `count` glyphs, a full metric each: those of glyphs not
/// `kept` are zeroed (the PDF gives widths itself).
fn kept_metrics(
    kept: &BTreeSet<u16>,
    count: usize,
    hhea: &[u8],
    old_hmtx: &[u8],
) -> Result<Vec<u8>, SfntError> {
    let metrics = usize::from(be16(hhea, 34)?);
    let mut hmtx = Vec::with_capacity(4 * count);
    for g in 0..count {
        if !kept.contains(&(g as u16)) {
            hmtx.extend_from_slice(&[0; 4]);
            continue;
        }
        let last = metrics.saturating_sub(1);
        let advance = be16(old_hmtx, 4 * g.min(last))?;
        let bearing = if g < metrics {
            be16(old_hmtx, 4 * g + 2)?
        } else {
            be16(old_hmtx, 4 * metrics + 2 * (g - metrics))?
        };
        hmtx.extend_from_slice(&advance.to_be_bytes());
        hmtx.extend_from_slice(&bearing.to_be_bytes());
    }
    Ok(hmtx)
}

/// A copy of `table` (named `name` in errors) with the 16-bit `value` at `at`.
fn with_u16(table: &[u8], at: usize, value: u16, name: &'static str) -> Result<Vec<u8>, SfntError> {
    let mut out = table.to_vec();
    let slot = out.get_mut(at..at + 2).ok_or(SfntError(name))?;
    slot.copy_from_slice(&value.to_be_bytes());
    Ok(out)
}

/// What a PDF font descriptor says of a font, in font units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    pub units_per_em: u16,
    /// xMin, yMin, xMax, yMax of every glyph.
    pub bbox: [i16; 4],
    pub ascender: i16,
    pub descender: i16,
    /// Degrees, counter-clockwise from vertical (negative for italics).
    pub italic_angle: f32,
}

pub fn metrics(font: &[u8]) -> Result<Metrics, SfntError> {
    let tables = Tables::read(font)?;
    let head = tables.get(b"head")?;
    let hhea = tables.get(b"hhea")?;
    let signed = |table: &[u8], at: usize| be16(table, at).map(|v| v as i16);
    let italic_angle = match tables.get(b"post") {
        Ok(post) => be32(post, 4)? as i32 as f32 / 65536.0,
        Err(_) => 0.0,
    };
    Ok(Metrics {
        units_per_em: be16(head, 18)?.max(1),
        bbox: [
            signed(head, 36)?,
            signed(head, 38)?,
            signed(head, 40)?,
            signed(head, 42)?,
        ],
        ascender: signed(hhea, 4)?,
        descender: signed(hhea, 6)?,
        italic_angle,
    })
}

/// The glyphs a composite glyph is made of (none for a simple or empty glyph).
fn components(outline: &[u8]) -> Result<Vec<u16>, SfntError> {
    const ARGS_ARE_WORDS: u16 = 0x0001;
    const HAS_SCALE: u16 = 0x0008;
    const MORE: u16 = 0x0020;
    const HAS_XY_SCALE: u16 = 0x0040;
    const HAS_2X2: u16 = 0x0080;
    if outline.len() < 10 || (be16(outline, 0)? as i16) >= 0 {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    let mut at = 10;
    loop {
        let flags = be16(outline, at)?;
        found.push(be16(outline, at + 2)?);
        at += 4 + if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
        at += if flags & HAS_SCALE != 0 {
            2
        } else if flags & HAS_XY_SCALE != 0 {
            4
        } else if flags & HAS_2X2 != 0 {
            8
        } else {
            0
        };
        if flags & MORE == 0 {
            return Ok(found);
        }
    }
}

/// The table directory of a font.
struct Tables<'a> {
    font: &'a [u8],
    entries: Vec<([u8; 4], usize, usize)>,
}

impl<'a> Tables<'a> {
    fn read(font: &'a [u8]) -> Result<Tables<'a>, SfntError> {
        let count = usize::from(be16(font, 4)?);
        let mut entries = Vec::with_capacity(count);
        for i in 0..count {
            let at = 12 + 16 * i;
            let tag = font.get(at..at + 4).ok_or(SfntError("table directory"))?;
            let tag: [u8; 4] = [tag[0], tag[1], tag[2], tag[3]];
            entries.push((
                tag,
                be32(font, at + 8)? as usize,
                be32(font, at + 12)? as usize,
            ));
        }
        Ok(Tables { font, entries })
    }

    fn get(&self, tag: &[u8; 4]) -> Result<&'a [u8], SfntError> {
        let (_, offset, length) = self
            .entries
            .iter()
            .find(|(t, _, _)| t == tag)
            .ok_or(SfntError("table manquante"))?;
        self.font
            .get(*offset..offset.saturating_add(*length))
            .ok_or(SfntError("table tronquée"))
    }
}

/// A font file from its tables (sorted by tag), with checksums and the `head` adjustment.
fn assemble(tables: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let count = tables.len() as u16;
    let mut power = 1u16;
    let mut log = 0u16;
    while power * 2 <= count {
        power *= 2;
        log += 1;
    }
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&(power * 16).to_be_bytes());
    out.extend_from_slice(&log.to_be_bytes());
    out.extend_from_slice(&(count * 16 - power * 16).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    for (tag, data) in tables {
        out.extend_from_slice(*tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    let mut head_at = None;
    for (tag, data) in tables {
        if *tag == b"head" {
            head_at = Some(out.len());
        }
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    if let Some(at) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        if let Some(slot) = out.get_mut(at + 8..at + 12) {
            slot.copy_from_slice(&adjust.to_be_bytes());
        }
    }
    out
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

fn be16(data: &[u8], at: usize) -> Result<u16, SfntError> {
    data.get(at..at + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or(SfntError("données tronquées"))
}

fn be32(data: &[u8], at: usize) -> Result<u32, SfntError> {
    data.get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or(SfntError("données tronquées"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERIF: &[u8] = include_bytes!("../../../../../templates/fonts/DejaVuSerif.ttf");

    fn glyph(c: char) -> u16 {
        printpdf::ParsedFont::from_bytes(SERIF, 0, &mut Vec::new())
            .unwrap()
            .lookup_glyph_index(u32::from(c))
            .unwrap()
    }

    #[test]
    fn glyphs_keep_their_numbers_and_others_are_emptied() {
        let (a, e) = (glyph('a'), glyph('é'));
        let small = subset(SERIF, &BTreeSet::from([a])).unwrap();
        assert!(small.len() < SERIF.len() / 5, "{}", small.len());
        let tables = Tables::read(&small).unwrap();
        let loca = tables.get(b"loca").unwrap();
        let at = |g: u16| be32(loca, 4 * usize::from(g)).unwrap();
        assert!(at(a + 1) > at(a), "'a' keeps its outline at its number");
        if usize::from(e) + 1 < loca.len() / 4 {
            assert_eq!(at(e + 1), at(e), "'é' was not asked for");
        }
        let last = loca.len() / 4 - 2;
        assert_eq!(usize::from(a), last, "no glyph after the last one kept");
    }

    #[test]
    fn a_composite_glyph_brings_its_components() {
        // In DejaVu, « é » is built from « e » and the acute accent.
        let (e, eacute) = (glyph('e'), glyph('é'));
        let font = subset(SERIF, &BTreeSet::from([eacute])).unwrap();
        let tables = Tables::read(&font).unwrap();
        let loca = tables.get(b"loca").unwrap();
        let len = |g: u16| {
            be32(loca, 4 * usize::from(g) + 4).unwrap() - be32(loca, 4 * usize::from(g)).unwrap()
        };
        assert!(len(eacute) > 0);
        assert!(len(e) > 0, "the base letter of the composite is kept");
    }

    #[test]
    fn the_same_glyphs_give_the_same_bytes_and_a_valid_checksum() {
        let set = BTreeSet::from([glyph('Z'), glyph('o'), glyph('é')]);
        let a = subset(SERIF, &set).unwrap();
        assert_eq!(a, subset(SERIF, &set).unwrap());
        assert_eq!(
            checksum(&a),
            0xB1B0_AFBA,
            "whole-file checksum as TrueType wants"
        );
    }

    #[test]
    fn broken_fonts_are_errors_not_panics() {
        for bytes in [&b""[..], b"\0\x01\0\0\0\x20", &SERIF[..300]] {
            assert!(subset(bytes, &BTreeSet::from([1])).is_err());
        }
    }
}

//! Layout: measuring, wrapping and shrinking text, drawing on a page, and flowing
//! paragraphs and tables over as many pages as needed (table header repeated, footer
//! with « page N / M »).
//!
//! Coordinates are PDF points from the bottom-left corner of the page. Nothing here
//! knows about certificates or candidates: documents say what to draw, this says where.

use std::collections::BTreeSet;

use super::font::{self, Face};
use super::writer::{deflate_fast, number};

/// Points per millimetre.
pub const MM: f32 = 72.0 / 25.4;

/// A colour, each channel from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Colour(pub f32, pub f32, pub f32);

impl Colour {
    pub const BLACK: Colour = Colour(0.0, 0.0, 0.0);
}

/// A face, a size and a colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Font {
    pub face: Face,
    pub size: f32,
    pub colour: Colour,
}

impl Font {
    pub fn new(face: Face, size: f32, colour: Colour) -> Font {
        Font { face, size, colour }
    }

    pub fn sized(self, size: f32) -> Font {
        Font { size, ..self }
    }

    pub fn face(self, face: Face) -> Font {
        Font { face, ..self }
    }

    pub fn coloured(self, colour: Colour) -> Font {
        Font { colour, ..self }
    }

    /// Distance between two baselines.
    pub fn leading(self) -> f32 {
        self.size * 1.3
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// Breaks `text` into lines no wider than `width`: at spaces, at explicit line breaks,
/// and inside a word only when the word alone is too wide. Each word is measured once.
pub fn wrap(text: &str, face: Face, size: f32, width: f32) -> Vec<String> {
    let fits = |units: u32| font::scaled(face, size, units) <= width;
    let space = font::units(face, " ");
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let (mut line, mut line_units) = (String::new(), 0u32);
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let units = font::units(face, word);
            if line.is_empty() && fits(units) {
                (line, line_units) = (word.to_string(), units);
                continue;
            }
            if !line.is_empty() && fits(line_units + space + units) {
                line.push(' ');
                line.push_str(word);
                line_units += space + units;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if fits(units) {
                (line, line_units) = (word.to_string(), units);
            } else {
                let (pieces, last) = break_word(word, face, size, width);
                line = last;
                line_units = font::units(face, &line);
                lines.extend(pieces);
            }
        }
        lines.push(line);
    }
    lines
}

/// Cuts a word too wide for a line into pieces that fit: after its hyphens when they
/// allow it (`LEFÈVRE-` / `N'DIAYE`), else between characters (at least one per piece).
/// Gives the full pieces, then the last one, which the line goes on with.
fn break_word(word: &str, face: Face, size: f32, width: f32) -> (Vec<String>, String) {
    let mut pieces: Vec<String> = Vec::new();
    let mut piece = String::new();
    for part in word.split_inclusive('-') {
        let joined = format!("{piece}{part}");
        if font::width(face, size, &joined) <= width {
            piece = joined;
            continue;
        }
        if !piece.is_empty() {
            pieces.push(std::mem::take(&mut piece));
        }
        if font::width(face, size, part) <= width {
            piece = part.to_string();
            continue;
        }
        for c in part.chars() {
            piece.push(c);
            if font::width(face, size, &piece) > width && piece.chars().count() > 1 {
                piece.pop();
                pieces.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
    }
    (pieces, piece)
}

/// Text set at the largest size (from `max` down to `min`, by quarter points) where it
/// takes at most `max_lines` lines of `width`; at `min` it takes as many lines as it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub size: f32,
    pub lines: Vec<String>,
}

pub fn fit(text: &str, face: Face, max: f32, min: f32, width: f32, max_lines: usize) -> Fitted {
    let mut size = max;
    loop {
        let lines = wrap(text, face, size, width);
        if lines.len() <= max_lines.max(1) || size <= min {
            return Fitted { size, lines };
        }
        size = (size - 0.25).max(min);
    }
}

/// One page being drawn: its content stream, written as it is drawn, and the
/// characters it prints with each face (its fonts are subset to them).
pub struct Page {
    pub width: f32,
    pub height: f32,
    content: Vec<u8>,
    faces: [bool; 3],
    chars: [BTreeSet<char>; 3],
    logo: bool,
    /// The graphics state in force, so that it is set only when it changes (font, fill
    /// and stroke persist between text objects in a PDF content stream).
    font: Option<(Face, f32)>,
    fill: Option<Colour>,
    stroke: Option<(Colour, f32)>,
}

/// A finished page: its compressed content stream and what it needs from the document.
#[derive(Debug, Clone)]
pub struct PageContent {
    pub width: f32,
    pub height: f32,
    /// The content stream, zlib-compressed.
    pub stream: Vec<u8>,
    /// Faces selected and characters printed with each (index of [`Face::ALL`]).
    pub faces: [bool; 3],
    pub chars: [BTreeSet<char>; 3],
    /// Draws the template's logo (`/Logo`).
    pub logo: bool,
}

impl Page {
    pub fn new(width: f32, height: f32) -> Page {
        Page {
            width,
            height,
            content: Vec::with_capacity(4096),
            faces: [false; 3],
            chars: Default::default(),
            logo: false,
            font: None,
            fill: None,
            stroke: None,
        }
    }

    fn num(&mut self, value: f32) {
        number(&mut self.content, value);
        self.content.push(b' ');
    }

    fn op(&mut self, operator: &str) {
        self.content.extend_from_slice(operator.as_bytes());
        self.content.push(b'\n');
    }

    fn set_font(&mut self, font: Font) {
        if self.font != Some((font.face, font.size)) {
            self.content
                .extend_from_slice(&[b'/', b'F', b'1' + font.face.index() as u8, b' ']);
            self.num(font.size);
            self.op("Tf");
            self.font = Some((font.face, font.size));
            self.faces[font.face.index()] = true;
        }
        self.set_fill(font.colour);
    }

    fn set_fill(&mut self, colour: Colour) {
        if self.fill != Some(colour) {
            self.colour(colour);
            self.op("rg");
            self.fill = Some(colour);
        }
    }

    fn set_stroke(&mut self, colour: Colour, thickness: f32) {
        if self.stroke != Some((colour, thickness)) {
            self.colour(colour);
            self.op("RG");
            self.num(thickness);
            self.op("w");
            self.stroke = Some((colour, thickness));
        }
    }

    fn colour(&mut self, Colour(r, g, b): Colour) {
        for channel in [r, g, b] {
            self.num(channel);
        }
    }

    /// Shows `text` with the text matrix `[a b c d e f]`.
    fn show(&mut self, matrix: [f32; 6], font: Font, text: &str) {
        self.op("BT");
        self.set_font(font);
        for value in matrix {
            self.num(value);
        }
        self.op("Tm");
        self.content.push(b'<');
        let used = &mut self.chars[font.face.index()];
        for c in text.chars() {
            if let Some(glyph) = font::glyph(font.face, c) {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                self.content
                    .extend([12, 8, 4, 0].map(|shift| HEX[usize::from((glyph >> shift) & 0xF)]));
                used.insert(c);
            }
        }
        self.content.extend_from_slice(b"> Tj\nET\n");
    }

    /// One line of text with its baseline at `y`.
    pub fn text(&mut self, x: f32, y: f32, font: Font, text: &str) {
        if text.is_empty() {
            return;
        }
        self.show([1.0, 0.0, 0.0, 1.0, x, y], font, text);
    }

    /// One line of text placed in the band from `x` to `x + width`.
    pub fn text_in(&mut self, x: f32, width: f32, y: f32, font: Font, align: Align, text: &str) {
        let w = font::width(font.face, font.size, text);
        let left = match align {
            Align::Left => x,
            Align::Center => x + (width - w) / 2.0,
            Align::Right => x + width - w,
        };
        self.text(left, y, font, text);
    }

    /// Lines whose first baseline sits one ascent below `top`; returns the y under the
    /// last line.
    pub fn lines(
        &mut self,
        x: f32,
        width: f32,
        top: f32,
        font: Font,
        align: Align,
        lines: &[String],
    ) -> f32 {
        let mut y = top;
        for line in lines {
            self.text_in(x, width, y - font.size * font::ascent(), font, align, line);
            y -= font.leading();
        }
        y
    }

    /// Text rotated by `degrees` (counter-clockwise) around its start point.
    pub fn rotated_text(&mut self, x: f32, y: f32, degrees: f32, font: Font, text: &str) {
        let (sin, cos) = degrees.to_radians().sin_cos();
        self.show([cos, sin, -sin, cos, x, y], font, text);
    }

    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), thickness: f32, colour: Colour) {
        self.set_stroke(colour, thickness);
        self.num(from.0);
        self.num(from.1);
        self.op("m");
        self.num(to.0);
        self.num(to.1);
        self.op("l S");
    }

    /// A rectangle from its bottom-left corner, filled and/or outlined.
    pub fn rect(
        &mut self,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Colour>,
        stroke: Option<(Colour, f32)>,
    ) {
        let paint = match (fill, stroke) {
            (Some(_), Some(_)) => "re B",
            (Some(_), None) => "re f",
            (None, Some(_)) => "re S",
            (None, None) => return,
        };
        if let Some(c) = fill {
            self.set_fill(c);
        }
        if let Some((c, t)) = stroke {
            self.set_stroke(c, t);
        }
        for v in [x, y, w, h] {
            self.num(v);
        }
        self.op(paint);
    }

    /// Many filled squares as one path (a QR code): `(x, y, w, h)` from bottom-left.
    pub fn fill_rects(&mut self, rects: &[(f32, f32, f32, f32)], colour: Colour) {
        if rects.is_empty() {
            return;
        }
        self.set_fill(colour);
        for &(x, y, w, h) in rects {
            for v in [x, y, w, h] {
                self.num(v);
            }
            self.op("re");
        }
        self.op("f");
    }

    /// The template's logo, drawn `w` × `h` points from `(x, y)`.
    pub fn logo(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.logo = true;
        self.op("q");
        for v in [w, 0.0, 0.0, h, x, y] {
            self.num(v);
        }
        self.op("cm /Logo Do Q");
    }

    /// The finished page, its content compressed.
    pub fn finish(self) -> std::io::Result<PageContent> {
        Ok(PageContent {
            width: self.width,
            height: self.height,
            stream: deflate_fast(&self.content)?,
            faces: self.faces,
            chars: self.chars,
            logo: self.logo,
        })
    }

    /// The content stream as written so far (for tests).
    #[cfg(test)]
    pub fn content(&self) -> &str {
        std::str::from_utf8(&self.content).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widest(lines: &[String], size: f32) -> f32 {
        lines
            .iter()
            .map(|l| font::width(Face::Regular, size, l))
            .fold(0.0, f32::max)
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_keeps_every_word() {
        let text = "Développer son activité avec le community management";
        let lines = wrap(text, Face::Regular, 10.0, 120.0);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(widest(&lines, 10.0) <= 120.0, "{lines:?}");
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap("a\nb", Face::Regular, 10.0, 500.0), ["a", "b"]);
    }

    #[test]
    fn a_word_too_wide_breaks_after_its_hyphens_then_anywhere() {
        let lines = wrap("LEFÈVRE-N'DIAYE", Face::Bold, 10.0, 60.0);
        assert_eq!(lines, ["LEFÈVRE-", "N'DIAYE"]);
        let lines = wrap("2026000083", Face::Regular, 10.0, 30.0);
        assert!(lines.len() > 1 && widest(&lines, 10.0) <= 30.0, "{lines:?}");
        assert_eq!(lines.concat(), "2026000083");
    }

    #[test]
    fn fitting_shrinks_before_it_wraps() {
        let name = "Marie-Christine Lefèvre-N'Diaye de la Tour d'Auvergne";
        let natural = font::width(Face::Regular, 20.0, name);
        let fitted = fit(name, Face::Regular, 20.0, 10.0, natural * 0.8, 1);
        assert_eq!(fitted.lines.len(), 1);
        assert!(fitted.size < 20.0 && fitted.size >= 10.0, "{}", fitted.size);
        assert!(widest(&fitted.lines, fitted.size) <= natural * 0.8);
        let fitted = fit(name, Face::Regular, 20.0, 10.0, natural * 0.3, 1);
        assert_eq!(fitted.size, 10.0, "at the smallest size it wraps");
        assert!(fitted.lines.len() > 1);
        assert!(widest(&fitted.lines, 10.0) <= natural * 0.3);
    }

    #[test]
    fn pages_write_text_as_glyph_numbers_and_set_fonts_once() {
        let mut page = Page::new(100.0, 100.0);
        let font = Font::new(Face::Regular, 12.0, Colour::BLACK);
        page.text(10.0, 20.5, font, "AA");
        page.text(10.0, 40.0, font, "\u{200B}");
        let content = page.content().to_string();
        assert!(
            content.starts_with("BT\n/F1 12 Tf\n0 0 0 rg\n1 0 0 1 10 20.5 Tm\n<00240024> Tj\nET\n"),
            "{content}"
        );
        assert_eq!(content.matches("Tf").count(), 1, "{content}");
        let done = page.finish().unwrap();
        assert_eq!(done.faces, [true, false, false]);
        assert_eq!(done.chars[0], BTreeSet::from(['A']));
    }

    #[test]
    fn short_text_keeps_its_size() {
        let fitted = fit("Zoé", Face::Bold, 26.0, 12.0, 300.0, 1);
        assert_eq!((fitted.size, fitted.lines.len()), (26.0, 1));
    }
}

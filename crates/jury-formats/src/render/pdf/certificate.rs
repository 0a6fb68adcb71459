//! The certificate (parchemin) of a certified candidate: one page carrying every mention
//! France Compétences requires, the competencies certified, the certificate number, its
//! verification code and a QR code holding both.
//!
//! The page is built from the bottom (signature, QR code) and the top (certifier, title),
//! then the middle blocks are set at their template sizes, shrunk when names or titles
//! are long, and spread over the height left.

use minijinja::{context, Value};
use qrcode::{Color as QrColor, EcLevel, QrCode};

use super::font::Face;
use super::layout::{fit, wrap, Align, Colour, Fitted, Font, Page, MM};
use super::template::{CertificateTemplate, Doc, Templates};
use super::PdfError;
use jury_core::decide::{Decision, Status};
use jury_core::referential::Referential;
use jury_core::text::clean;

/// Lays out the certificate of one candidate (`ctx` from `context::candidate`).
pub fn lay_out(
    templates: &Templates,
    referential: &Referential,
    decision: &Decision,
    ctx: &Value,
) -> Result<Page, PdfError> {
    let t = &templates.certificate;
    let text = |key: &str| templates.text(Doc::Certificate, key, ctx);
    let mut page = Page::new(t.width, t.height);
    if t.frame {
        frame(&mut page, t);
    }
    let left = t.margins.left;
    let width = t.width - t.margins.left - t.margins.right;
    let mut y = header(&mut page, t, &text, left, width)?;
    let footer_top = footer(&mut page, t, &text, left, width, t.margins.bottom)?;
    let blocks = middle_blocks(t, &text, width)?;

    let gap = 2.5 * MM;
    let fixed: f32 = blocks.iter().map(|b| b.height).sum();
    let available = y - footer_top - fixed - gap * 4.0;
    let items = competencies(templates, referential, decision, ctx)?;
    let heading = Font::new(Face::Bold, t.sizes.competencies_heading, t.colors.accent);
    let list = competency_list(t, &items, width, available - heading.leading() - 1.5 * MM);
    let list_height = list
        .as_ref()
        .map_or(0.0, |l| l.height + heading.leading() + 1.5 * MM);

    // Spread what is left over the gaps, by their weights.
    let weights: f32 = blocks.iter().map(|b| b.weight).sum::<f32>() + 1.5;
    let slack = (available - list_height).max(0.0);
    let unit = (slack / weights).min(9.0 * MM);
    y -= gap;
    for block in &blocks {
        y -= block.weight * unit;
        y = page.lines(left, width, y, block.font, Align::Center, &block.lines);
    }
    if let Some(list) = list {
        y -= 1.5 * unit + gap;
        let caption = text("competencies_heading")?;
        y = caption_between_rules(&mut page, &caption, heading, left, width, y) - 1.5 * MM;
        list.draw(&mut page, left, y);
    }
    Ok(page)
}

/// The header: logo on the left, the certifier and the note under it centred on the page;
/// returns the bottom of the header (and of the logo).
fn header(
    page: &mut Page,
    t: &CertificateTemplate,
    text: &dyn Fn(&str) -> Result<String, PdfError>,
    left: f32,
    width: f32,
) -> Result<f32, PdfError> {
    let top = t.height - t.margins.top;
    let logo_room = t.logo.as_ref().map_or(0.0, |l| l.width + 4.0 * MM);
    if let Some(logo) = &t.logo {
        page.logo(left, top - logo.height, logo.width, logo.height);
    }
    let band = width - 2.0 * logo_room;
    let header = Font::new(Face::Bold, t.sizes.header, t.colors.accent);
    let fitted = fit(&text("header")?, Face::Bold, header.size, 8.0, band, 2);
    let mut y = page.lines(
        left + logo_room,
        band,
        top,
        header.sized(fitted.size),
        Align::Center,
        &fitted.lines,
    );
    let note = Font::new(Face::Regular, t.sizes.header_note, t.colors.muted);
    y = page.lines(
        left + logo_room,
        band,
        y,
        note,
        Align::Center,
        &wrap(&text("header_note")?, note.face, note.size, band),
    );
    if let Some(logo) = &t.logo {
        y = y.min(top - logo.height);
    }
    Ok(y)
}

/// The middle blocks, top to bottom: title, subtitle, the holder and their birth, what
/// they obtain, the certification and its mentions.
fn middle_blocks(
    t: &CertificateTemplate,
    text: &dyn Fn(&str) -> Result<String, PdfError>,
    width: f32,
) -> Result<Vec<Block>, PdfError> {
    let (sizes, colours) = (&t.sizes, &t.colors);
    let body = Font::new(Face::Regular, sizes.body, colours.text);
    let title = Font::new(Face::Bold, sizes.title, colours.accent);
    let subtitle = Font::new(Face::Italic, sizes.subtitle, colours.muted);
    let holder = Font::new(Face::Bold, sizes.holder, colours.text);
    let certification = Font::new(Face::Bold, sizes.certification, colours.accent);
    let mentions = Font::new(Face::Regular, sizes.mentions, colours.muted);
    let registration = Font::new(Face::Italic, sizes.registration, colours.muted);
    // Each block: its text, font, share of the width, most lines, share of spare height.
    let blocks = [
        ("title", title, 1.0, 1, 0.0),
        ("subtitle", subtitle, 1.0, 2, 0.2),
        ("intro", body, 1.0, 2, 1.0),
        ("holder", holder, 0.9, 1, 0.4),
        ("birth", body, 1.0, 2, 0.2),
        ("achievement", body, 1.0, 2, 0.6),
        ("certification", certification, 0.9, 2, 0.3),
        ("mentions", mentions, 1.0, 2, 0.6),
        ("registration", registration, 0.9, 2, 0.1),
    ];
    blocks
        .into_iter()
        .map(|(key, font, share, lines, weight)| {
            Ok(Block::fitted(
                &text(key)?,
                font,
                width * share,
                lines,
                weight,
            ))
        })
        .collect()
}

/// The caption of the competencies, centred between two rules of its colour; returns
/// the line under it.
fn caption_between_rules(
    page: &mut Page,
    caption: &str,
    font: Font,
    left: f32,
    width: f32,
    y: f32,
) -> f32 {
    let caption_width = super::font::width(font.face, font.size, caption);
    let rule_y = y - font.size * 0.4;
    let side = (width - caption_width) / 2.0 - 3.0 * MM;
    page.line(
        (left + width * 0.1, rule_y),
        (left + side, rule_y),
        0.5,
        font.colour,
    );
    page.line(
        (left + width - side, rule_y),
        (left + width * 0.9, rule_y),
        0.5,
        font.colour,
    );
    page.lines(left, width, y, font, Align::Center, &[caption.to_string()])
}

/// A block of centred lines, with the share of spare height to put above it.
struct Block {
    lines: Vec<String>,
    font: Font,
    height: f32,
    weight: f32,
}

impl Block {
    fn fitted(text: &str, font: Font, width: f32, max_lines: usize, weight: f32) -> Block {
        let min = (font.size * 0.55).max(6.0).min(font.size);
        let Fitted { size, lines } = fit(text, font.face, font.size, min, width, max_lines);
        let font = font.sized(size);
        let height = if text.is_empty() {
            0.0
        } else {
            lines.len() as f32 * font.leading()
        };
        Block {
            lines,
            font,
            height,
            weight,
        }
    }
}

fn frame(page: &mut Page, t: &CertificateTemplate) {
    let (outer, inner) = (7.0 * MM, 9.0 * MM);
    let colour = t.colors.frame;
    page.rect(
        outer,
        outer,
        t.width - 2.0 * outer,
        t.height - 2.0 * outer,
        None,
        Some((colour, 2.2)),
    );
    page.rect(
        inner,
        inner,
        t.width - 2.0 * inner,
        t.height - 2.0 * inner,
        None,
        Some((colour, 0.6)),
    );
}

/// Draws the footer; returns its top.
fn footer(
    page: &mut Page,
    t: &CertificateTemplate,
    text: &dyn Fn(&str) -> Result<String, PdfError>,
    left: f32,
    width: f32,
    bottom: f32,
) -> Result<f32, PdfError> {
    let column = width / 3.0;
    let small = Font::new(Face::Regular, t.sizes.footer, t.colors.text);
    let muted = Font::new(Face::Regular, t.sizes.verification, t.colors.muted);
    let qr_size = 22.0 * MM;
    let signature_space = 15.0 * MM;

    // Right: the signer's role, room to sign, a line, the signer's name.
    let role = wrap(&text("signer_role")?, Face::Regular, small.size, column);
    let name = wrap(&text("signer_name")?, Face::Bold, small.size, column);
    let signer_height = (role.len() + name.len()) as f32 * small.leading() + signature_space;
    let height = signer_height.max(qr_size);
    let top = bottom + height;
    let x = left + 2.0 * column;
    let mut y = page.lines(x, column, top, small, Align::Center, &role);
    y -= signature_space;
    page.line(
        (x + column * 0.2, y + 2.0),
        (x + column * 0.8, y + 2.0),
        0.4,
        t.colors.muted,
    );
    page.lines(x, column, y, small.face(Face::Bold), Align::Center, &name);

    // Middle: the QR code.
    qr(
        page,
        &text("qr")?,
        left + column + (column - qr_size) / 2.0,
        bottom,
        qr_size,
        t.colors.text,
    );

    // Left: place and date of delivery, certificate number, verification code.
    let mut y = page.lines(
        left,
        column,
        top,
        small,
        Align::Left,
        &wrap(&text("delivery")?, small.face, small.size, column),
    );
    y -= 2.0 * MM;
    y = page.lines(
        left,
        column,
        y,
        muted,
        Align::Left,
        &wrap(&text("number")?, muted.face, muted.size, column),
    );
    page.lines(
        left,
        column,
        y,
        muted.face(Face::Bold),
        Align::Left,
        &wrap(&text("verification")?, Face::Bold, muted.size, column),
    );
    Ok(top)
}

/// A QR code as filled squares (no image), one rectangle per run of dark modules.
fn qr(page: &mut Page, content: &str, x: f32, y: f32, size: f32, colour: Colour) {
    let Ok(code) = QrCode::with_error_correction_level(content.as_bytes(), EcLevel::M) else {
        return;
    };
    let n = code.width();
    let module = size / n as f32;
    let colors = code.to_colors();
    let mut rects = Vec::new();
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] == QrColor::Dark {
                let start = col;
                while col < n && colors[row * n + col] == QrColor::Dark {
                    col += 1;
                }
                let top = y + size - row as f32 * module;
                rects.push((
                    x + start as f32 * module,
                    top - module,
                    (col - start) as f32 * module,
                    module,
                ));
            } else {
                col += 1;
            }
        }
    }
    page.fill_rects(&rects, colour);
}

/// The competencies printed (those acquired): code and `competency` text.
fn competencies(
    templates: &Templates,
    referential: &Referential,
    decision: &Decision,
    ctx: &Value,
) -> Result<Vec<(String, String)>, PdfError> {
    let mut items = Vec::new();
    for (result, competency) in decision.competencies.iter().zip(&referential.competencies) {
        if result.status != Status::Acquired {
            continue;
        }
        let item = context! {
            competence => context! {
                code => clean(&competency.code),
                intitule => clean(&competency.title),
                resultat => jury_core::wording::competency_status(result.status),
            },
            ..ctx.clone()
        };
        let code = clean(&competency.code);
        items.push((code, templates.text(Doc::Certificate, "competency", &item)?));
    }
    Ok(items)
}

/// The competencies set in one or two columns at the largest size that fits `room`.
struct List {
    /// Each column: its offset from the left margin and its items' lines.
    columns: Vec<(f32, Vec<Vec<String>>)>,
    font: Font,
    width: f32,
    height: f32,
}

impl List {
    fn draw(&self, page: &mut Page, left: f32, top: f32) {
        for (dx, items) in &self.columns {
            let mut y = top;
            for item in items {
                y = page.lines(left + dx, self.width, y, self.font, Align::Left, item)
                    - self.font.size * 0.35;
            }
        }
    }
}

/// The list at the largest size that fits; when even the smallest size does not, the
/// competency codes alone on one line.
fn competency_list(
    t: &CertificateTemplate,
    items: &[(String, String)],
    width: f32,
    room: f32,
) -> Option<List> {
    let texts: Vec<String> = items.iter().map(|(_, text)| text.clone()).collect();
    set_list(t, &texts, width, room).or_else(|| {
        let codes: Vec<&str> = items.iter().map(|(code, _)| code.as_str()).collect();
        set_list(t, &[codes.join(" · ")], width, room)
    })
}

fn set_list(t: &CertificateTemplate, items: &[String], width: f32, room: f32) -> Option<List> {
    if items.is_empty() || room <= 0.0 {
        return None;
    }
    let base = Font::new(Face::Regular, t.sizes.competency, t.colors.text);
    let min = t.sizes.competency_min.min(base.size);
    let two = items.len() >= 4;
    let gutter = 8.0 * MM;
    let col_width = if two {
        (width - gutter) / 2.0
    } else {
        width * 0.9
    };
    let mut size = base.size;
    loop {
        let font = base.sized(size);
        let wrapped: Vec<Vec<String>> = items
            .iter()
            .map(|i| wrap(i, font.face, size, col_width))
            .collect();
        let heights: Vec<f32> = wrapped
            .iter()
            .map(|l| l.len() as f32 * font.leading() + size * 0.35)
            .collect();
        let split = if two {
            balanced_split(&heights)
        } else {
            items.len()
        };
        let height = heights[..split]
            .iter()
            .sum::<f32>()
            .max(heights[split..].iter().sum());
        if height <= room {
            let columns = if two {
                vec![
                    (0.0, wrapped[..split].to_vec()),
                    (col_width + gutter, wrapped[split..].to_vec()),
                ]
            } else {
                vec![(width * 0.05, wrapped)]
            };
            return Some(List {
                columns,
                font,
                width: col_width,
                height,
            });
        }
        if size <= min {
            return None;
        }
        size = (size - 0.25).max(min);
    }
}

/// Where to cut items into two columns so that the taller one is as short as possible.
fn balanced_split(heights: &[f32]) -> usize {
    let total: f32 = heights.iter().sum();
    let mut best = (f32::INFINITY, heights.len());
    let mut acc = 0.0;
    for (i, h) in heights.iter().enumerate() {
        acc += h;
        let taller = acc.max(total - acc);
        if taller < best.0 {
            best = (taller, i + 1);
        }
    }
    best.1
}

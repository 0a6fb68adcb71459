//! Parts shared by the statements and the minutes: the flowing frame, the page header
//! (logo, certifier, title), the footer with « page N / M » and the PROVISOIRE mark.

use minijinja::{context, Value};

use super::flow::{Flow, Frame};
use super::font::{self, Face};
use super::layout::{fit, wrap, Align, Font, Page, MM};
use super::template::{Doc, Parts, Template, Templates};
use super::PdfError;

/// Room kept under the frame for the footer.
const FOOTER: f32 = 9.0 * MM;

/// A flow over the template's pages, with the PROVISOIRE mark under every page when
/// `provisional` holds the mark's text.
pub fn flow<S, C>(t: &Template<S, C>, provisional: Option<String>) -> Flow
where
    Template<S, C>: Parts,
{
    let m = t.margins;
    let mut flow = Flow::new(
        t.width,
        t.height,
        Frame {
            left: m.left,
            right: t.width - m.right,
            top: t.height - m.top,
            bottom: m.bottom + FOOTER,
        },
    );
    if let Some(mark) = provisional {
        let p = t.parts();
        let font = Font::new(Face::Bold, p.sizes.provisional, p.colors.provisional);
        let label = Font::new(Face::Bold, p.sizes.footer * 1.6, p.colors.pending);
        let (w, h) = (t.width, t.height);
        let (right, top) = (t.width - m.right, t.height - m.top / 2.0);
        flow.set_background(move |page| {
            watermark(page, w, h, font, &mark);
            page.text_in(
                0.0,
                right,
                top - label.size * 0.35,
                label,
                Align::Right,
                &mark,
            );
        });
    }
    flow
}

/// Large light text across the page, along its diagonal, shrunk to stay on the page.
fn watermark(page: &mut Page, w: f32, h: f32, font: Font, text: &str) {
    let angle = h.atan2(w);
    let diagonal = (w * w + h * h).sqrt();
    let natural = font::width(font.face, font.size, text);
    let font = if natural > diagonal * 0.7 {
        font.sized(font.size * diagonal * 0.7 / natural)
    } else {
        font
    };
    let width = font::width(font.face, font.size, text);
    let (sin, cos) = angle.sin_cos();
    // Centre the text's middle (half its width along, a third of its size across).
    let along = width / 2.0;
    let across = font.size * 0.35;
    let x = w / 2.0 - along * cos + across * sin;
    let y = h / 2.0 - along * sin - across * cos;
    page.rotated_text(x, y, angle.to_degrees(), font, text);
}

/// The top of the first page: logo on the left, the certifier beside it, then the title
/// and the lines under it (each fitted to the width).
pub fn header<S, C>(
    flow: &mut Flow,
    t: &Template<S, C>,
    header: &str,
    title: &str,
    lines: &[(String, Font)],
) where
    Template<S, C>: Parts,
{
    let p = t.parts();
    let (left, width, top) = (flow.left(), flow.width(), flow.y);
    let logo_room = t.logo.as_ref().map_or(0.0, |l| l.width + 4.0 * MM);
    if let Some(logo) = &t.logo {
        flow.page()
            .logo(left, top - logo.height, logo.width, logo.height);
    }
    let head = Font::new(Face::Bold, p.sizes.header, p.colors.accent);
    let fitted = fit(header, head.face, head.size, 7.0, width - logo_room, 2);
    let mut y = flow.page().lines(
        left + logo_room,
        width - logo_room,
        top,
        head.sized(fitted.size),
        Align::Left,
        &fitted.lines,
    );
    if let Some(logo) = &t.logo {
        y = y.min(top - logo.height);
    }
    y -= 4.0 * MM;
    let title_font = Font::new(Face::Bold, p.sizes.title, p.colors.accent);
    let fitted = fit(title, title_font.face, title_font.size, 10.0, width, 2);
    y = flow.page().lines(
        left,
        width,
        y,
        title_font.sized(fitted.size),
        Align::Left,
        &fitted.lines,
    );
    for (text, font) in lines {
        y -= 1.0;
        let wrapped = wrap(text, font.face, font.size, width);
        y = flow
            .page()
            .lines(left, width, y, *font, Align::Left, &wrapped);
    }
    y -= 2.0 * MM;
    flow.page()
        .line((left, y), (left + width, y), 0.8, p.colors.accent);
    flow.y = y - 4.0 * MM;
}

/// Finishes the flow: on every page a thin rule, `footer` on the left and the document's
/// `page` text (« page N / M ») on the right.
pub fn finish<S, C>(
    flow: Flow,
    t: &Template<S, C>,
    templates: &Templates,
    doc: Doc,
    ctx: &Value,
    footer: &str,
) -> Result<Vec<Page>, PdfError>
where
    Template<S, C>: Parts,
{
    let p = t.parts();
    let font = Font::new(Face::Regular, p.sizes.footer, p.colors.muted);
    let (left, right, y) = (t.margins.left, t.width - t.margins.right, t.margins.bottom);
    flow.finish(|page, n, total| {
        let numbered = context! { page => context! { numero => n, total => total }, ..ctx.clone() };
        let number = templates.text(doc, "page", &numbered)?;
        let number_width = font::width(font.face, font.size, &number) + 6.0 * MM;
        let fitted = fit(
            footer,
            font.face,
            font.size,
            5.0,
            right - left - number_width,
            1,
        );
        // `fit` gives at least one line (an empty one for an empty footer).
        let line = fitted.lines.first().map_or("", String::as_str);
        page.line(
            (left, y + font.size + 3.0),
            (right, y + font.size + 3.0),
            0.4,
            p.colors.rule,
        );
        page.text(left, y + 1.0, font.sized(fitted.size), line);
        page.text_in(left, right - left, y + 1.0, font, Align::Right, &number);
        Ok(())
    })
}

/// A signature block on the right half: place and date, role, room to sign, name.
pub fn signature<S, C>(
    flow: &mut Flow,
    t: &Template<S, C>,
    place_date: &str,
    role: &str,
    name: &str,
) where
    Template<S, C>: Parts,
{
    let p = t.parts();
    let body = Font::new(Face::Regular, p.sizes.body, p.colors.text);
    let width = flow.width() / 2.0;
    let x = flow.left() + width;
    let room = 16.0 * MM;
    let role_lines = wrap(role, body.face, body.size, width);
    let name_lines = wrap(name, Face::Bold, body.size, width);
    let height = (2 + role_lines.len() + name_lines.len()) as f32 * body.leading() + room;
    flow.space(4.0 * MM);
    flow.ensure(height);
    let mut y = flow.y;
    let date_lines = wrap(place_date, body.face, body.size, width);
    y = flow
        .page()
        .lines(x, width, y, body, Align::Left, &date_lines)
        - body.size * 0.5;
    y = flow
        .page()
        .lines(x, width, y, body, Align::Left, &role_lines)
        - room;
    y = flow
        .page()
        .lines(x, width, y, body.face(Face::Bold), Align::Left, &name_lines);
    flow.y = y;
}

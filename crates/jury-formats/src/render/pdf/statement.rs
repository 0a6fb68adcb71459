//! The decision statement (relevé de décision) a candidate keeps: identity, the jury's
//! decision, every competency with its criteria and combined level, the motives of
//! decisions taken in deliberation, the competencies kept by a non-certified candidate,
//! and the jury president's signature. As many pages as needed.

use minijinja::{context, Value};

use super::flow::{Cell, Column, Flow, Row, TableStyle};
use super::font::Face;
use super::layout::{wrap, Align, Colour, Font, Page, MM};
use super::parts;
use super::template::{french_spacing, Doc, StatementTemplate, Templates};
use super::PdfError;
use crate::render::Results;
use jury_core::candidates::Candidate;
use jury_core::decide::{CriterionResult, Decision, Outcome, Status};
use jury_core::referential::{Competency, Criterion};
use jury_core::sheet::format_number;
use jury_core::text::clean;
use jury_core::wording::competency_status;

const DOC: Doc = Doc::Statement;

/// Lays out the decision statement of one candidate (`ctx` from `context::candidate`).
pub fn lay_out(
    templates: &Templates,
    results: &Results,
    candidate: &Candidate,
    decision: &Decision,
    ctx: &Value,
) -> Result<Vec<Page>, PdfError> {
    let t = &templates.statement;
    let text = |key: &str| templates.text(DOC, key, ctx);
    let body = Font::new(Face::Regular, t.sizes.body, t.colors.text);
    let mark = results
        .provisional
        .then(|| text("provisional"))
        .transpose()?;
    let mut flow = parts::flow(t, mark);
    parts::header(
        &mut flow,
        t,
        &text("header")?,
        &text("title")?,
        &[
            (
                text("subtitle")?,
                Font::new(Face::Regular, t.sizes.subtitle, t.colors.text),
            ),
            (
                text("session")?,
                Font::new(Face::Regular, t.sizes.subtitle, t.colors.muted),
            ),
        ],
    );
    identity(&mut flow, t, &text, candidate)?;
    decision_box(&mut flow, t, &text("decision")?, decision.outcome);
    outcome(&mut flow, &text, results, decision, body)?;
    recourse(&mut flow, t, &text("recourse_heading")?, &text("recourse")?);
    if !decision.competencies.is_empty() {
        let heading = Font::new(Face::Bold, t.sizes.heading, t.colors.accent);
        flow.heading(&text("table_heading")?, heading, t.colors.rule, 30.0 * MM);
        table(&mut flow, t, templates, ctx, results, decision)?;
    }
    motives(&mut flow, t, templates, ctx, results, decision)?;
    parts::signature(
        &mut flow,
        t,
        &text("place_date")?,
        &text("signer_role")?,
        &text("signer_name")?,
    );
    parts::finish(flow, t, templates, DOC, ctx, &text("footer")?)
}

/// What the decision means: the outcome's sentence, the competencies a non-certified
/// candidate keeps (when the referential allows partial validation), and the provisional
/// note.
fn outcome(
    flow: &mut Flow,
    text: &dyn Fn(&str) -> Result<String, PdfError>,
    results: &Results,
    decision: &Decision,
    body: Font,
) -> Result<(), PdfError> {
    let key = match decision.outcome {
        Outcome::Certified => "outcome_certified",
        Outcome::NotCertified => "outcome_not_certified",
        Outcome::Absent => "outcome_absent",
        Outcome::NonRecevable => "outcome_non_recevable",
        Outcome::Pending => "outcome_pending",
    };
    flow.paragraph(&text(key)?, body, Align::Left, 0.0);
    if decision.outcome == Outcome::NotCertified && results.data.referential.certification.partial {
        flow.space(body.size * 0.4);
        let any = decision
            .competencies
            .iter()
            .any(|c| c.status == Status::Acquired);
        let key = if any { "acquired" } else { "none_acquired" };
        flow.paragraph(&text(key)?, body.face(Face::Bold), Align::Left, 0.0);
    }
    if results.provisional {
        flow.space(body.size * 0.4);
        flow.paragraph(
            &text("provisional_note")?,
            body.face(Face::Italic),
            Align::Left,
            0.0,
        );
    }
    Ok(())
}

/// How to contest the decision (« voies de recours »), on every statement: a heading and
/// the template's paragraph (never empty: refused on load), kept together, right under the
/// decision, on the first page (never alone on a page of its own).
fn recourse(flow: &mut Flow, t: &StatementTemplate, heading: &str, text: &str) {
    let font = Font::new(Face::Regular, t.sizes.recourse, t.colors.muted);
    let lines = wrap(text, font.face, font.size, flow.width());
    flow.space(font.size * 0.8);
    flow.ensure((lines.len() + 1) as f32 * font.leading());
    if !heading.is_empty() {
        flow.paragraph(heading, font.face(Face::Bold), Align::Left, 0.0);
    }
    flow.paragraph(text, font, Align::Left, 0.0);
}

/// Labels and values: name, birth date and place, id, accommodation.
fn identity(
    flow: &mut Flow,
    t: &StatementTemplate,
    text: &dyn Fn(&str) -> Result<String, PdfError>,
    c: &Candidate,
) -> Result<(), PdfError> {
    let label = Font::new(Face::Regular, t.sizes.label, t.colors.muted);
    let value = Font::new(Face::Regular, t.sizes.body, t.colors.text);
    let date = super::context::birth_date(c);
    let birth = if date.is_empty() {
        "—".to_string()
    } else {
        date
    };
    let mut rows = vec![
        (
            text("label_name")?,
            super::context::full_name(c),
            Face::Bold,
        ),
        (text("label_birth")?, birth, Face::Regular),
    ];
    let place = clean(c.birth_place.as_deref().unwrap_or_default());
    if !place.is_empty() {
        rows.push((text("label_birth_place")?, place, Face::Regular));
    }
    rows.push((text("label_id")?, clean(&c.id), Face::Regular));
    if let Some(a) = c
        .accommodation
        .as_deref()
        .map(clean)
        .filter(|a| !a.is_empty())
    {
        rows.push((text("label_accommodation")?, a, Face::Regular));
    }
    let label_width = 38.0 * MM;
    let width = flow.width() - label_width;
    for (l, v, face) in rows {
        let lines = wrap(&v, face, value.size, width);
        flow.ensure(lines.len() as f32 * value.leading());
        let (x, y) = (flow.left(), flow.y);
        let baseline_shift = (value.size - label.size) * 0.75;
        flow.page()
            .lines(x, label_width, y - baseline_shift, label, Align::Left, &[l]);
        flow.y = flow.page().lines(
            x + label_width,
            width,
            y,
            value.face(face),
            Align::Left,
            &lines,
        );
        flow.space(value.size * 0.25);
    }
    Ok(())
}

fn outcome_colour(t: &StatementTemplate, outcome: Outcome) -> Colour {
    match outcome {
        Outcome::Certified => t.colors.acquired,
        Outcome::NotCertified => t.colors.not_acquired,
        Outcome::Pending => t.colors.pending,
        Outcome::Absent | Outcome::NonRecevable => t.colors.text,
    }
}

/// The decision in a framed band.
fn decision_box(flow: &mut Flow, t: &StatementTemplate, text: &str, outcome: Outcome) {
    let font = Font::new(Face::Bold, t.sizes.decision, outcome_colour(t, outcome));
    let pad = 2.5 * MM;
    let lines = wrap(text, font.face, font.size, flow.width() - 2.0 * pad);
    let height = lines.len() as f32 * font.leading() + 2.0 * pad;
    flow.space(2.0 * MM);
    flow.ensure(height);
    let (x, w, y) = (flow.left(), flow.width(), flow.y);
    flow.page().rect(
        x,
        y - height,
        w,
        height,
        Some(t.colors.group_fill),
        Some((t.colors.accent, 0.8)),
    );
    flow.page()
        .lines(x + pad, w - 2.0 * pad, y - pad, font, Align::Left, &lines);
    flow.y = y - height - 3.0 * MM;
}

fn status_colour(t: &StatementTemplate, status: Status) -> Colour {
    match status {
        Status::Acquired => t.colors.acquired,
        Status::NotAcquired => t.colors.not_acquired,
        Status::Pending => t.colors.pending,
    }
}

/// One row per competency (shaded) followed by its criteria.
fn table(
    flow: &mut Flow,
    t: &StatementTemplate,
    templates: &Templates,
    ctx: &Value,
    results: &Results,
    decision: &Decision,
) -> Result<(), PdfError> {
    let text = |key: &str| templates.text(DOC, key, ctx);
    let cell = Font::new(Face::Regular, t.sizes.table, t.colors.text);
    let columns = [
        Column::left(text("col_code")?, 10.0),
        Column::left(text("col_title")?, 100.0),
        Column::left(text("col_level")?, 18.0),
        Column::left(text("col_result")?, 22.0),
    ];
    let style = TableStyle {
        header: cell.face(Face::Bold),
        header_fill: t.colors.header_fill,
        rule: t.colors.rule,
        padding: 1.6 * MM,
    };
    let referential = &results.data.referential;
    let mut rows = Vec::new();
    for (result, competency) in decision.competencies.iter().zip(&referential.competencies) {
        let mut label = competency_status(result.status).to_string();
        if result.deliberation.is_some() {
            let by = context! { resultat => label.clone(), ..ctx.clone() };
            label = templates.text(DOC, "by_deliberation", &by)?;
        }
        rows.push(competency_row(t, competency, result.status, label, cell));
        for (criterion, spec) in result.criteria.iter().zip(&competency.criteria) {
            let status = if criterion.status == Status::Pending {
                text("criterion_disputed")?
            } else {
                criterion.status.label().to_string()
            };
            rows.push(criterion_row(t, spec, criterion, status, cell));
        }
    }
    flow.table(&columns, &style, &rows);
    Ok(())
}

/// A competency's shaded row, in bold, kept with its first criterion: code, title and
/// its result `label` in the colour of its `status`.
fn competency_row(
    t: &StatementTemplate,
    competency: &Competency,
    status: Status,
    label: String,
    cell: Font,
) -> Row {
    let bold = cell.face(Face::Bold);
    Row {
        cells: vec![
            Cell::new(clean(&competency.code), bold),
            Cell::new(french_spacing(&clean(&competency.title)), bold),
            Cell::new(String::new(), bold),
            Cell::new(
                label,
                bold.face(Face::Bold).coloured(status_colour(t, status)),
            ),
        ],
        fill: Some(t.colors.group_fill),
        keep_with_next: true,
    }
}

/// A criterion's row: code, title, the level retained, and `status` in its colour.
fn criterion_row(
    t: &StatementTemplate,
    spec: &Criterion,
    criterion: &CriterionResult,
    status: String,
    cell: Font,
) -> Row {
    let level = match (&criterion.level, criterion.value) {
        (Some(label), _) => clean(label),
        (None, Some(v)) => format_number(v).replace('.', ","),
        (None, None) => "—".to_string(),
    };
    Row::plain(vec![
        Cell::new(clean(&spec.code), cell),
        Cell::new(french_spacing(&clean(&spec.title)), cell),
        Cell::new(level, cell),
        Cell::new(status, cell.coloured(status_colour(t, criterion.status))),
    ])
}

/// The decisions taken in deliberation, each with its motive.
fn motives(
    flow: &mut Flow,
    t: &StatementTemplate,
    templates: &Templates,
    ctx: &Value,
    results: &Results,
    decision: &Decision,
) -> Result<(), PdfError> {
    let mut lines = Vec::new();
    for (result, competency) in decision
        .competencies
        .iter()
        .zip(&results.data.referential.competencies)
    {
        if let Some(d) = &result.deliberation {
            let word = if d.granted {
                "Validée"
            } else {
                "Non validée"
            };
            lines.push(motive_line(
                templates,
                ctx,
                &format!("Compétence {}", clean(&competency.code)),
                word,
                &d.motive,
            )?);
        }
    }
    if let Some(d) = &decision.deliberation {
        let word = if d.granted {
            "Délivrée"
        } else {
            "Non délivrée"
        };
        lines.push(motive_line(
            templates,
            ctx,
            "Certification",
            word,
            &d.motive,
        )?);
    }
    if lines.is_empty() {
        return Ok(());
    }
    let heading = Font::new(Face::Bold, t.sizes.heading, t.colors.accent);
    flow.heading(
        &templates.text(DOC, "deliberation_heading", ctx)?,
        heading,
        t.colors.rule,
        12.0 * MM,
    );
    let body = Font::new(Face::Regular, t.sizes.body, t.colors.text);
    for line in lines {
        flow.paragraph(&line, body, Align::Left, 0.0);
        flow.space(body.size * 0.3);
    }
    Ok(())
}

pub fn motive_line(
    templates: &Templates,
    ctx: &Value,
    subject: &str,
    decision: &str,
    motive: &str,
) -> Result<String, PdfError> {
    let line = context! {
        motif => context! { objet => subject, decision => decision, texte => clean(motive) },
        ..ctx.clone()
    };
    templates.text(DOC, "deliberation_line", &line)
}

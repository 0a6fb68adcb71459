//! The jury's minutes (procès-verbal): the certification and the session, the jury
//! members, the rules applied, every candidate with their decision in a table that flows
//! over as many pages as needed, the counts per outcome, the decisions taken in
//! deliberation with their motives, and a signature block for every member.

use minijinja::{context, Value};

use super::context::{candidate as candidate_ctx, clean, codes_with};
use super::flow::{Cell, Column, Flow, Row, TableStyle};
use super::font::Face;
use super::layout::{wrap, Align, Font, Page, MM};
use super::parts;
use super::template::{Doc, MinutesTemplate, Templates};
use super::PdfError;
use crate::render::Results;
use jury_core::candidates::Candidate;
use jury_core::decide::{Decision, Outcome, Status};
use jury_core::wording::outcome_category;

const DOC: Doc = Doc::Minutes;

pub fn lay_out(
    templates: &Templates,
    results: &Results,
    base: &Value,
    people: &[(&Candidate, &Decision)],
) -> Result<Vec<Page>, PdfError> {
    let t = &templates.minutes;
    let text = |key: &str| templates.text(DOC, key, base);
    let body = Font::new(Face::Regular, t.sizes.body, t.colors.text);
    let heading = Font::new(Face::Bold, t.sizes.heading, t.colors.accent);
    let mark = results
        .provisional
        .then(|| text("provisional"))
        .transpose()?;
    let mut flow = parts::flow(t, mark);
    let mut lines = vec![(
        text("certification")?,
        Font::new(Face::Regular, t.sizes.subtitle, t.colors.text),
    )];
    let registration = text("registration")?;
    if !registration.is_empty() {
        lines.push((
            registration,
            Font::new(Face::Italic, t.sizes.subtitle, t.colors.muted),
        ));
    }
    lines.push((
        text("session")?,
        Font::new(Face::Regular, t.sizes.subtitle, t.colors.muted),
    ));
    parts::header(&mut flow, t, &text("header")?, &text("title")?, &lines);
    if results.provisional {
        flow.paragraph(
            &text("provisional_note")?,
            body.face(Face::Bold),
            Align::Left,
            0.0,
        );
    }

    flow.heading(&text("jury_heading")?, heading, t.colors.rule, 20.0 * MM);
    jury(&mut flow, t, &text, results)?;

    flow.heading(&text("rules_heading")?, heading, t.colors.rule, 15.0 * MM);
    for line in text("rules")?.lines().filter(|l| !l.trim().is_empty()) {
        flow.bullet(line.trim(), body);
    }

    flow.heading(
        &text("decisions_heading")?,
        heading,
        t.colors.rule,
        20.0 * MM,
    );
    decisions(&mut flow, t, templates, base, results, people)?;

    flow.heading(&text("counts_heading")?, heading, t.colors.rule, 20.0 * MM);
    for line in text("counts")?.lines().filter(|l| !l.trim().is_empty()) {
        flow.paragraph(line.trim(), body, Align::Left, 0.0);
    }

    flow.heading(
        &text("deliberations_heading")?,
        heading,
        t.colors.rule,
        12.0 * MM,
    );
    let motives = deliberations(templates, base, results, people)?;
    if motives.is_empty() {
        flow.paragraph(
            &text("no_deliberation")?,
            body.face(Face::Italic),
            Align::Left,
            0.0,
        );
    }
    for line in motives {
        flow.paragraph(&line, body, Align::Left, 0.0);
        flow.space(body.size * 0.3);
    }

    flow.heading(
        &text("signatures_heading")?,
        heading,
        t.colors.rule,
        40.0 * MM,
    );
    flow.paragraph(&text("signatures_intro")?, body, Align::Left, 0.0);
    signatures(&mut flow, t, &text("signature")?, results);
    parts::finish(flow, t, templates, DOC, base, &text("footer")?)
}

fn table_style(t: &MinutesTemplate) -> (Font, TableStyle) {
    let cell = Font::new(Face::Regular, t.sizes.table, t.colors.text);
    let style = TableStyle {
        header: cell.face(Face::Bold),
        header_fill: t.colors.header_fill,
        rule: t.colors.rule,
        padding: 1.4 * MM,
    };
    (cell, style)
}

fn jury(
    flow: &mut Flow,
    t: &MinutesTemplate,
    text: &dyn Fn(&str) -> Result<String, PdfError>,
    results: &Results,
) -> Result<(), PdfError> {
    let (cell, style) = table_style(t);
    let columns = [
        Column {
            title: text("col_member")?,
            weight: 40.0,
            align: Align::Left,
        },
        Column {
            title: text("col_role")?,
            weight: 40.0,
            align: Align::Left,
        },
        Column {
            title: text("col_external")?,
            weight: 20.0,
            align: Align::Left,
        },
    ];
    let (yes, no) = (text("yes")?, text("no")?);
    let rows: Vec<Row> = results
        .data
        .config
        .jury
        .iter()
        .map(|m| Row {
            cells: vec![
                Cell {
                    text: clean(&m.name),
                    font: cell.face(Face::Bold),
                },
                Cell {
                    text: clean(&m.role),
                    font: cell,
                },
                Cell {
                    text: if m.external { yes.clone() } else { no.clone() },
                    font: cell,
                },
            ],
            fill: None,
            keep_with_next: false,
        })
        .collect();
    flow.table(&columns, &style, &rows);
    Ok(())
}

fn decisions(
    flow: &mut Flow,
    t: &MinutesTemplate,
    templates: &Templates,
    base: &Value,
    results: &Results,
    people: &[(&Candidate, &Decision)],
) -> Result<(), PdfError> {
    let text = |key: &str| templates.text(DOC, key, base);
    let (cell, style) = table_style(t);
    let columns = [
        Column {
            title: text("col_id")?,
            weight: 17.0,
            align: Align::Left,
        },
        Column {
            title: text("col_last_name")?,
            weight: 30.0,
            align: Align::Left,
        },
        Column {
            title: text("col_first_name")?,
            weight: 25.0,
            align: Align::Left,
        },
        Column {
            title: text("col_birth")?,
            weight: 21.0,
            align: Align::Left,
        },
        Column {
            title: text("col_competencies")?,
            weight: 27.0,
            align: Align::Left,
        },
        Column {
            title: text("col_decision")?,
            weight: 20.0,
            align: Align::Left,
        },
        Column {
            title: text("col_notes")?,
            weight: 38.0,
            align: Align::Left,
        },
    ];
    let (all, none) = (text("all_competencies")?, text("no_competency")?);
    let mut rows = Vec::new();
    for (candidate, decision) in people {
        let ctx = candidate_ctx(base, results, candidate, decision);
        let acquired = codes_with(decision, Status::Acquired);
        let competencies = match decision.outcome {
            Outcome::Absent | Outcome::NonRecevable => "—".to_string(),
            _ if decision
                .competencies
                .iter()
                .all(|c| c.status == Status::Acquired) =>
            {
                all.clone()
            }
            _ if acquired.is_empty() => none.clone(),
            _ => acquired,
        };
        let mut notes = Vec::new();
        if candidate
            .accommodation
            .as_deref()
            .is_some_and(|a| !clean(a).is_empty())
        {
            notes.push(templates.text(DOC, "note_accommodation", &ctx)?);
        }
        let deliberated = decision.deliberation.is_some()
            || decision
                .competencies
                .iter()
                .any(|c| c.deliberation.is_some());
        if deliberated {
            notes.push(templates.text(DOC, "note_deliberation", &ctx)?);
        }
        if decision.certificate.is_some() && !results.provisional {
            notes.push(templates.text(DOC, "note_certificate", &ctx)?);
        }
        let colour = match decision.outcome {
            Outcome::Certified => t.colors.certified,
            Outcome::NotCertified => t.colors.not_certified,
            Outcome::Pending => t.colors.pending,
            Outcome::Absent | Outcome::NonRecevable => t.colors.other,
        };
        rows.push(Row {
            cells: vec![
                Cell {
                    text: clean(&candidate.id),
                    font: cell,
                },
                Cell {
                    text: clean(&candidate.last_name).to_uppercase(),
                    font: cell,
                },
                Cell {
                    text: clean(&candidate.first_name),
                    font: cell,
                },
                Cell {
                    text: super::context::birth_date(candidate),
                    font: cell,
                },
                Cell {
                    text: competencies,
                    font: cell,
                },
                Cell {
                    text: outcome_category(decision.outcome).to_string(),
                    font: cell.face(Face::Bold).coloured(colour),
                },
                Cell {
                    text: notes.join("\n"),
                    font: cell,
                },
            ],
            fill: None,
            keep_with_next: false,
        });
    }
    flow.table(&columns, &style, &rows);
    Ok(())
}

/// « id — name — subject : decision. Motif : … » for every deliberation row applied.
fn deliberations(
    templates: &Templates,
    base: &Value,
    results: &Results,
    people: &[(&Candidate, &Decision)],
) -> Result<Vec<String>, PdfError> {
    let mut lines = Vec::new();
    let referential = &results.data.referential;
    for (candidate, decision) in people {
        let ctx = candidate_ctx(base, results, candidate, decision);
        let mut add = |subject: String, word: &str, motive: &str| -> Result<(), PdfError> {
            let line = context! {
                motif => context! { objet => subject, decision => word, texte => clean(motive) },
                ..ctx.clone()
            };
            lines.push(templates.text(DOC, "deliberation_line", &line)?);
            Ok(())
        };
        for (result, competency) in decision.competencies.iter().zip(&referential.competencies) {
            if let Some(d) = &result.deliberation {
                add(
                    format!("compétence {}", clean(&competency.code)),
                    if d.granted {
                        "validée"
                    } else {
                        "non validée"
                    },
                    &d.motive,
                )?;
            }
        }
        if let Some(d) = &decision.deliberation {
            add(
                "certification".into(),
                if d.granted {
                    "délivrée"
                } else {
                    "non délivrée"
                },
                &d.motive,
            )?;
        }
    }
    Ok(lines)
}

/// A box per jury member, two per row: name, role, room to sign.
fn signatures(flow: &mut Flow, t: &MinutesTemplate, label: &str, results: &Results) {
    let body = Font::new(Face::Regular, t.sizes.body, t.colors.text);
    let small = Font::new(Face::Regular, t.sizes.table, t.colors.muted);
    let gap = 6.0 * MM;
    let width = (flow.width() - gap) / 2.0;
    let members = &results.data.config.jury;
    for pair in members.chunks(2) {
        let laid: Vec<(Vec<String>, Vec<String>)> = pair
            .iter()
            .map(|m| {
                (
                    wrap(&clean(&m.name), Face::Bold, body.size, width - 4.0 * MM),
                    wrap(&clean(&m.role), Face::Regular, body.size, width - 4.0 * MM),
                )
            })
            .collect();
        let lines = laid
            .iter()
            .map(|(n, r)| n.len() + r.len())
            .max()
            .unwrap_or(0);
        let height = lines as f32 * body.leading() + small.leading() + 24.0 * MM;
        flow.space(3.0 * MM);
        flow.ensure(height);
        let (left, top) = (flow.left(), flow.y);
        for (i, (name, role)) in laid.iter().enumerate() {
            let x = left + i as f32 * (width + gap);
            let page = flow.page();
            page.rect(
                x,
                top - height,
                width,
                height,
                None,
                Some((t.colors.rule, 0.6)),
            );
            let inner = width - 4.0 * MM;
            let mut y = page.lines(
                x + 2.0 * MM,
                inner,
                top - 2.0 * MM,
                body.face(Face::Bold),
                Align::Left,
                name,
            );
            y = page.lines(x + 2.0 * MM, inner, y, body, Align::Left, role);
            page.lines(
                x + 2.0 * MM,
                inner,
                y - 1.0 * MM,
                small,
                Align::Left,
                &[label.to_string()],
            );
        }
        flow.y = top - height;
    }
}

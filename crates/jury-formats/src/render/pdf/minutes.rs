//! The jury's minutes (procès-verbal): the certification and the session, the jury
//! members, the rules applied, every candidate with their decision in a table that flows
//! over as many pages as needed, the counts per outcome, the decisions taken in
//! deliberation with their motives, and a signature block for every member.

use minijinja::{context, Value};

use super::context::{candidate as candidate_ctx, codes_with};
use super::flow::{Cell, Column, Flow, Row, TableStyle};
use super::font::Face;
use super::layout::{wrap, Align, Font, Page, MM};
use super::parts;
use super::template::{Doc, MinutesTemplate, Templates};
use super::PdfError;
use crate::render::Results;
use jury_core::candidates::Candidate;
use jury_core::decide::{Decision, Outcome, Status};
use jury_core::text::clean;
use jury_core::wording::outcome_category;

const DOC: Doc = Doc::Minutes;

/// Lays out the minutes of the session: `people` are the candidates with their
/// decisions, in decision order; `base` is the session's context (`context::base`).
pub fn lay_out(
    templates: &Templates,
    results: &Results,
    base: &Value,
    people: &[(&Candidate, &Decision)],
) -> Result<Vec<Page>, PdfError> {
    let t = &templates.minutes;
    let m = Minutes {
        templates,
        t,
        results,
        base,
        people,
        body: Font::new(Face::Regular, t.sizes.body, t.colors.text),
        heading: Font::new(Face::Bold, t.sizes.heading, t.colors.accent),
    };
    let mut flow = m.first_page()?;
    m.heading(&mut flow, "jury_heading", 20.0 * MM)?;
    m.jury(&mut flow)?;
    m.heading(&mut flow, "rules_heading", 15.0 * MM)?;
    for line in m.lines("rules")? {
        flow.bullet(&line, m.body);
    }
    m.heading(&mut flow, "decisions_heading", 20.0 * MM)?;
    m.decisions(&mut flow)?;
    m.heading(&mut flow, "counts_heading", 20.0 * MM)?;
    for line in m.lines("counts")? {
        flow.paragraph(&line, m.body, Align::Left, 0.0);
    }
    m.heading(&mut flow, "deliberations_heading", 12.0 * MM)?;
    m.deliberations(&mut flow)?;
    m.heading(&mut flow, "signatures_heading", 40.0 * MM)?;
    flow.paragraph(&m.text("signatures_intro")?, m.body, Align::Left, 0.0);
    signatures(&mut flow, t, &m.text("signature")?, results);
    parts::finish(flow, t, templates, DOC, base, &m.text("footer")?)
}

/// The minutes being laid out: the session, its template, and the fonts of the sections.
struct Minutes<'a> {
    templates: &'a Templates,
    t: &'a MinutesTemplate,
    results: &'a Results<'a>,
    base: &'a Value,
    people: &'a [(&'a Candidate, &'a Decision)],
    body: Font,
    heading: Font,
}

impl Minutes<'_> {
    /// The text `key` of the template, with the session's context.
    fn text(&self, key: &str) -> Result<String, PdfError> {
        self.templates.text(DOC, key, self.base)
    }

    /// The non-empty lines of the text `key`, trimmed.
    fn lines(&self, key: &str) -> Result<Vec<String>, PdfError> {
        Ok(self
            .text(key)?
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.trim().to_string())
            .collect())
    }

    /// A section's heading (the text `key`), kept with at least `room` below it.
    fn heading(&self, flow: &mut Flow, key: &str, room: f32) -> Result<(), PdfError> {
        flow.heading(&self.text(key)?, self.heading, self.t.colors.rule, room);
        Ok(())
    }

    /// The flow, with the PROVISOIRE mark when provisional, started by the page header
    /// (certifier, title, certification, registration, session) and, when provisional,
    /// the note saying so.
    fn first_page(&self) -> Result<Flow, PdfError> {
        let t = self.t;
        let mark = self
            .results
            .provisional
            .then(|| self.text("provisional"))
            .transpose()?;
        let mut flow = parts::flow(t, mark);
        let mut lines = vec![(
            self.text("certification")?,
            Font::new(Face::Regular, t.sizes.subtitle, t.colors.text),
        )];
        let registration = self.text("registration")?;
        if !registration.is_empty() {
            lines.push((
                registration,
                Font::new(Face::Italic, t.sizes.subtitle, t.colors.muted),
            ));
        }
        lines.push((
            self.text("session")?,
            Font::new(Face::Regular, t.sizes.subtitle, t.colors.muted),
        ));
        parts::header(
            &mut flow,
            t,
            &self.text("header")?,
            &self.text("title")?,
            &lines,
        );
        if self.results.provisional {
            flow.paragraph(
                &self.text("provisional_note")?,
                self.body.face(Face::Bold),
                Align::Left,
                0.0,
            );
        }
        Ok(flow)
    }

    /// The jury members: name, role, external or not.
    fn jury(&self, flow: &mut Flow) -> Result<(), PdfError> {
        let (cell, style) = table_style(self.t);
        let columns = [
            Column::left(self.text("col_member")?, 40.0),
            Column::left(self.text("col_role")?, 40.0),
            Column::left(self.text("col_external")?, 20.0),
        ];
        let (yes, no) = (self.text("yes")?, self.text("no")?);
        let rows: Vec<Row> = self
            .results
            .data
            .config
            .jury
            .iter()
            .map(|m| {
                Row::plain(vec![
                    Cell::new(clean(&m.name), cell.face(Face::Bold)),
                    Cell::new(clean(&m.role), cell),
                    Cell::new(if m.external { yes.clone() } else { no.clone() }, cell),
                ])
            })
            .collect();
        flow.table(&columns, &style, &rows);
        Ok(())
    }

    /// Every candidate with their decision, one row each.
    fn decisions(&self, flow: &mut Flow) -> Result<(), PdfError> {
        let (cell, style) = table_style(self.t);
        let columns = [
            Column::left(self.text("col_id")?, 17.0),
            Column::left(self.text("col_last_name")?, 30.0),
            Column::left(self.text("col_first_name")?, 25.0),
            Column::left(self.text("col_birth")?, 21.0),
            Column::left(self.text("col_competencies")?, 27.0),
            Column::left(self.text("col_decision")?, 20.0),
            Column::left(self.text("col_notes")?, 38.0),
        ];
        let (all, none) = (self.text("all_competencies")?, self.text("no_competency")?);
        let mut rows = Vec::new();
        for (candidate, decision) in self.people {
            let acquired = match decision.outcome {
                Outcome::Absent | Outcome::NonRecevable => "—".to_string(),
                _ if decision
                    .competencies
                    .iter()
                    .all(|c| c.status == Status::Acquired) =>
                {
                    all.clone()
                }
                _ => {
                    let codes = codes_with(decision, Status::Acquired);
                    if codes.is_empty() {
                        none.clone()
                    } else {
                        codes
                    }
                }
            };
            rows.push(self.decision_row(candidate, decision, acquired, cell)?);
        }
        flow.table(&columns, &style, &rows);
        Ok(())
    }

    /// A candidate's row: id, names, birth date, the competencies `acquired`, the
    /// decision in its colour, and the notes.
    fn decision_row(
        &self,
        candidate: &Candidate,
        decision: &Decision,
        acquired: String,
        cell: Font,
    ) -> Result<Row, PdfError> {
        let colours = &self.t.colors;
        let colour = match decision.outcome {
            Outcome::Certified => colours.certified,
            Outcome::NotCertified => colours.not_certified,
            Outcome::Pending => colours.pending,
            Outcome::Absent | Outcome::NonRecevable => colours.other,
        };
        Ok(Row::plain(vec![
            Cell::new(clean(&candidate.id), cell),
            Cell::new(clean(&candidate.last_name).to_uppercase(), cell),
            Cell::new(clean(&candidate.first_name), cell),
            Cell::new(super::context::birth_date(candidate), cell),
            Cell::new(acquired, cell),
            Cell::new(
                outcome_category(decision.outcome),
                cell.face(Face::Bold).coloured(colour),
            ),
            Cell::new(self.notes(candidate, decision)?.join("\n"), cell),
        ]))
    }

    /// The notes of a candidate's row: accommodation, decided in deliberation,
    /// certificate delivered.
    fn notes(&self, candidate: &Candidate, decision: &Decision) -> Result<Vec<String>, PdfError> {
        let ctx = candidate_ctx(self.base, self.results, candidate, decision);
        let note = |key: &str| self.templates.text(DOC, key, &ctx);
        let mut notes = Vec::new();
        if candidate
            .accommodation
            .as_deref()
            .is_some_and(|a| !clean(a).is_empty())
        {
            notes.push(note("note_accommodation")?);
        }
        let deliberated = decision.deliberation.is_some()
            || decision
                .competencies
                .iter()
                .any(|c| c.deliberation.is_some());
        if deliberated {
            notes.push(note("note_deliberation")?);
        }
        if decision.certificate.is_some() && !self.results.provisional {
            notes.push(note("note_certificate")?);
        }
        Ok(notes)
    }

    /// The decisions taken in deliberation, one paragraph each, or the sentence saying
    /// there were none.
    fn deliberations(&self, flow: &mut Flow) -> Result<(), PdfError> {
        let motives = deliberations(self.templates, self.base, self.results, self.people)?;
        if motives.is_empty() {
            flow.paragraph(
                &self.text("no_deliberation")?,
                self.body.face(Face::Italic),
                Align::Left,
                0.0,
            );
        }
        for line in motives {
            flow.paragraph(&line, self.body, Align::Left, 0.0);
            flow.space(self.body.size * 0.3);
        }
        Ok(())
    }
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

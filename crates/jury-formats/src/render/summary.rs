//! `synthese.xlsx`: the session's summary workbook, made for people (French labels, frozen
//! headers, filters, colours) and for auditors (every level with its source cell, every
//! input with its SHA-256).
//!
//! Every text from the inputs is written with `write_string`: a name such as
//! `=HYPERLINK(…)` stays text, never a formula.

use std::borrow::Cow;

use rust_xlsxwriter::{Color, DocProperties, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::render::Results;
use crate::xlsx::{col, creation_date};
use jury_core::agreement::{reading, CriterionAgreement, Method};
use jury_core::decide::{CompetencyResult, CriterionResult, Decision, JurorLevel, Outcome, Status};
use jury_core::finding::Severity;
use jury_core::referential::{CompetencyRule, CountRule};
use jury_core::sheet::format_number;
use jury_core::wording::{
    aggregation_label, code_label, competency_status, count, outcome_category,
};

/// Excel's last row index; longer tables continue on a new sheet.
const MAX_ROWS: u32 = 1_048_575;

/// Renders the summary workbook into `out` (a file of the staging folder: a national
/// session's summary is never whole in memory). The large sheets spill rows into
/// temporary files in `scratch` (the staging folder: candidate data goes nowhere else).
pub fn render_into<W>(results: &Results, out: W, scratch: &std::path::Path) -> Result<(), XlsxError>
where
    W: std::io::Write + std::io::Seek + Send,
{
    let mut workbook = Workbook::new();
    workbook.set_tempdir(scratch)?;
    let created = creation_date(results.data.config.date)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("Synthèse de la session {}", results.data.config.id))
            .set_author("jury")
            .set_creation_datetime(&created),
    );
    let styles = Styles::new();
    synthesis(workbook.add_worksheet(), results, &styles)?;
    detail(&mut workbook, results, &styles)?;
    statistics(workbook.add_worksheet(), results, &styles)?;
    anomalies(workbook.add_worksheet(), results, &styles)?;
    traceability(workbook.add_worksheet(), results, &styles)?;
    // Level 3 halves the time spent compressing a large summary for ~20 % more bytes.
    workbook.set_zip_compression_level(3);
    workbook.save_to_writer(out)
}

struct Styles {
    title: Format,
    subtitle: Format,
    warning: Format,
    header: Format,
    text: Format,
    acquired: Format,
    not_acquired: Format,
    pending: Format,
    neutral: Format,
    percent: Format,
    kappa: Format,
}

impl Styles {
    fn new() -> Styles {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xBFBFBF));
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            subtitle: Format::new().set_italic(),
            warning: Format::new()
                .set_bold()
                .set_font_size(12)
                .set_font_color(Color::RGB(0xC00000)),
            header: cell
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_text_wrap(),
            text: cell.clone(),
            acquired: cell
                .clone()
                .set_background_color(Color::RGB(0xC6EFCE))
                .set_font_color(Color::RGB(0x006100)),
            not_acquired: cell
                .clone()
                .set_background_color(Color::RGB(0xFFC7CE))
                .set_font_color(Color::RGB(0x9C0006)),
            pending: cell
                .clone()
                .set_background_color(Color::RGB(0xFFEB9C))
                .set_font_color(Color::RGB(0x9C5700)),
            neutral: cell.clone().set_font_color(Color::RGB(0x595959)),
            kappa: cell.clone().set_num_format("0.000"),
            percent: cell.set_num_format("0.0 %"),
        }
    }

    fn status(&self, status: Status) -> &Format {
        match status {
            Status::Acquired => &self.acquired,
            Status::NotAcquired => &self.not_acquired,
            Status::Pending => &self.pending,
        }
    }

    fn outcome(&self, outcome: Outcome) -> &Format {
        match outcome {
            Outcome::Certified => &self.acquired,
            Outcome::NotCertified => &self.not_acquired,
            Outcome::Pending => &self.pending,
            Outcome::Absent | Outcome::NonRecevable => &self.neutral,
        }
    }
}

/// Writes a table and remembers the widest text of each column, to size columns.
struct Table<'a> {
    sheet: &'a mut Worksheet,
    widths: Vec<usize>,
}

impl<'a> Table<'a> {
    fn new(sheet: &'a mut Worksheet) -> Table<'a> {
        Table {
            sheet,
            widths: Vec::new(),
        }
    }

    /// Text without a format: cheaper, for the millions of cells of the detail sheet.
    fn plain(&mut self, row: u32, col: u16, text: &str) -> Result<(), XlsxError> {
        self.widen(col, text);
        self.sheet.write_string(row, col, text)?;
        Ok(())
    }

    /// Remembers that column `col` holds `text` (its longest line counts).
    fn widen(&mut self, col: u16, text: &str) {
        let width = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        self.widen_to(col, width);
    }

    fn widen_to(&mut self, col: u16, width: usize) {
        let slot = usize::from(col);
        if self.widths.len() <= slot {
            self.widths.resize(slot + 1, 0);
        }
        self.widths[slot] = self.widths[slot].max(width);
    }

    fn text(&mut self, row: u32, col: u16, text: &str, format: &Format) -> Result<(), XlsxError> {
        self.widen(col, text);
        self.sheet
            .write_string_with_format(row, col, text, format)?;
        Ok(())
    }

    fn number(&mut self, row: u32, col: u16, n: f64, format: &Format) -> Result<(), XlsxError> {
        self.sheet.write_number_with_format(row, col, n, format)?;
        self.widen_to(col, 8);
        Ok(())
    }

    fn header(&mut self, row: u32, labels: &[&str], format: &Format) -> Result<(), XlsxError> {
        for (c, label) in labels.iter().enumerate() {
            self.text(row, col(c), label, format)?;
        }
        Ok(())
    }

    /// Sizes columns to their content (between 6 and 60 characters wide).
    fn fit(self) -> Result<(), XlsxError> {
        for (c, w) in self.widths.iter().enumerate() {
            self.sheet
                .set_column_width(col(c), (*w).clamp(6, 60) as f64 + 2.0)?;
        }
        Ok(())
    }
}

/// Title lines on top of a sheet; returns the first free row.
fn heading(
    table: &mut Table,
    results: &Results,
    styles: &Styles,
    what: &str,
) -> Result<u32, XlsxError> {
    let r = &results.data.referential;
    let s = &results.data.config;
    table
        .sheet
        .write_string_with_format(0, 0, s.certification_label(r), &styles.title)?;
    table.sheet.write_string_with_format(
        1,
        0,
        format!(
            "{what} — session {} — jury du {} à {} — {}",
            s.id, s.date, s.place, s.certifier
        ),
        &styles.subtitle,
    )?;
    if results.provisional {
        table.sheet.write_string_with_format(
            2,
            0,
            "PROVISOIRE — des décisions attendent la délibération du jury ; ce document ne vaut pas décision.",
            &styles.warning,
        )?;
    }
    Ok(4)
}

/// The candidate's last and first names. Core decides each candidate of the list, so a
/// decision's candidate is always found; names would be empty only for a decision made
/// without one.
fn candidate_names(results: &Results, decision: &Decision) -> (String, String) {
    results
        .data
        .candidates
        .get(&decision.candidate)
        .map(|c| (c.last_name.clone(), c.first_name.clone()))
        .unwrap_or_default()
}

/// Why the candidate got this decision, in words.
pub fn reason(decision: &Decision) -> String {
    let mut parts = Vec::new();
    let not: Vec<&str> = decision
        .competencies
        .iter()
        .filter(|c| c.status == Status::NotAcquired)
        .map(|c| c.code.as_str())
        .collect();
    let pending: Vec<&str> = decision
        .competencies
        .iter()
        .filter(|c| c.status == Status::Pending)
        .map(|c| c.code.as_str())
        .collect();
    match decision.outcome {
        Outcome::NonRecevable => parts.push("Prérequis non validés".to_string()),
        Outcome::Absent => parts.push("Absence à l’évaluation".to_string()),
        _ => {}
    }
    if !not.is_empty() {
        let label = if not.len() > 1 {
            "Compétences non acquises"
        } else {
            "Compétence non acquise"
        };
        parts.push(format!("{label} : {}", not.join(", ")));
    }
    if !pending.is_empty() {
        parts.push(format!(
            "En attente de délibération : {}",
            pending.join(", ")
        ));
    }
    for c in &decision.competencies {
        if let Some(d) = &c.deliberation {
            parts.push(format!("Délibération ({}) : {}", c.code, d.motive));
        }
    }
    if let Some(d) = &decision.deliberation {
        parts.push(format!("Délibération (certification) : {}", d.motive));
    }
    parts.join(" ; ")
}

fn synthesis(sheet: &mut Worksheet, results: &Results, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name("Synthèse")?;
    let mut t = Table::new(sheet);
    let top = heading(&mut t, results, styles, "Synthèse des décisions")?;
    let competencies = &results.data.referential.competencies;
    let mut labels = vec!["N° candidat", "Nom", "Prénom"];
    labels.extend(competencies.iter().map(|c| c.code.as_str()));
    labels.extend(["Décision", "Motifs", "N° de certificat", "Aménagement"]);
    t.header(top, &labels, &styles.header)?;
    let first_comp = 3;
    let mut row = top;
    for decision in &results.analysis.decisions {
        row += 1;
        let (last, first) = candidate_names(results, decision);
        t.text(row, 0, &decision.candidate, &styles.text)?;
        t.text(row, 1, &last, &styles.text)?;
        t.text(row, 2, &first, &styles.text)?;
        for (i, _) in competencies.iter().enumerate() {
            let c = col(first_comp + i);
            match decision.competencies.get(i) {
                Some(result) => t.text(
                    row,
                    c,
                    competency_status(result.status),
                    styles.status(result.status),
                )?,
                None => t.text(row, c, "—", &styles.neutral)?,
            }
        }
        let after = first_comp + competencies.len();
        t.text(
            row,
            col(after),
            outcome_category(decision.outcome),
            styles.outcome(decision.outcome),
        )?;
        t.text(row, col(after + 1), &reason(decision), &styles.text)?;
        t.text(
            row,
            col(after + 2),
            decision.certificate.as_deref().unwrap_or(""),
            &styles.text,
        )?;
        let accommodation = results
            .data
            .candidates
            .get(&decision.candidate)
            .and_then(|c| c.accommodation.as_deref());
        t.text(
            row,
            col(after + 3),
            accommodation.unwrap_or(""),
            &styles.text,
        )?;
    }
    t.sheet.set_freeze_panes(top + 1, 3)?;
    t.sheet
        .autofilter(top, 0, row.max(top + 1), col(labels.len() - 1))?;
    t.sheet
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_repeat_rows(top, top)?;
    t.fit()
}

/// Headers of the `Détail` sheets.
const DETAIL_LABELS: [&str; 11] = [
    "N° candidat",
    "Nom",
    "Prénom",
    "Compétence",
    "Critère",
    "Évaluateur",
    "Niveau donné",
    "Source (fichier, feuille, cellule)",
    "Niveau retenu",
    "Critère",
    "Compétence",
];

/// The `Détail` sheets: one row per level given, continued on a new sheet past Excel's
/// last row.
fn detail(workbook: &mut Workbook, results: &Results, styles: &Styles) -> Result<(), XlsxError> {
    let mut part = 1;
    let mut t = new_detail_sheet(workbook, results, styles, part, &DETAIL_LABELS)?;
    let mut row = 4;
    for decision in &results.analysis.decisions {
        let (last, first) = candidate_names(results, decision);
        let identity = [decision.candidate.as_str(), &last, &first];
        for competency in &decision.competencies {
            for criterion in &competency.criteria {
                for given in &criterion.given {
                    if row >= MAX_ROWS {
                        finish_detail(t, row)?;
                        part += 1;
                        t = new_detail_sheet(workbook, results, styles, part, &DETAIL_LABELS)?;
                        row = 4;
                    }
                    row += 1;
                    detail_row(&mut t, row, identity, competency, criterion, given, styles)?;
                }
            }
        }
    }
    finish_detail(t, row)
}

/// One level given to a candidate (`identity`: id, last and first names): the criterion,
/// the juror, the level and where it was read, then what was retained for the criterion
/// and its competency.
fn detail_row(
    t: &mut Table,
    row: u32,
    identity: [&str; 3],
    competency: &CompetencyResult,
    criterion: &CriterionResult,
    given: &JurorLevel,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let combined: Cow<str> = match (&criterion.level, criterion.value) {
        (Some(level), _) => Cow::Borrowed(level),
        (None, Some(v)) => Cow::Owned(format!("{v:.2}")),
        (None, None) => Cow::Borrowed("—"),
    };
    let source = format!(
        "{} › {} › {}",
        given.cell.file,
        given.cell.sheet,
        given.cell.a1()
    );
    let [id, last, first] = identity;
    let cells: [&str; 8] = [
        id,
        last,
        first,
        &competency.code,
        &criterion.code,
        &given.juror,
        &given.level,
        &source,
    ];
    for (c, text) in cells.iter().enumerate() {
        t.plain(row, col(c), text)?;
    }
    t.plain(row, 8, &combined)?;
    t.text(
        row,
        9,
        criterion.status.label(),
        styles.status(criterion.status),
    )?;
    t.text(
        row,
        10,
        competency_status(competency.status),
        styles.status(competency.status),
    )
}

fn new_detail_sheet<'a>(
    workbook: &'a mut Workbook,
    results: &Results,
    styles: &Styles,
    part: u32,
    labels: &[&str],
) -> Result<Table<'a>, XlsxError> {
    // Rows are written in order and flushed to a temporary file as they go: the detail
    // of a national session holds millions of cells.
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(if part == 1 {
        "Détail".to_string()
    } else {
        format!("Détail {part}")
    })?;
    let mut t = Table::new(sheet);
    let top = heading(
        &mut t,
        results,
        styles,
        "Détail des niveaux par critère et par évaluateur",
    )?;
    t.header(top, labels, &styles.header)?;
    Ok(t)
}

fn finish_detail(t: Table, last_row: u32) -> Result<(), XlsxError> {
    t.sheet.set_freeze_panes(5, 3)?;
    t.sheet.autofilter(4, 0, last_row.max(5), 10)?;
    t.fit()
}

fn rate(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn statistics(sheet: &mut Worksheet, results: &Results, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name("Statistiques")?;
    let mut t = Table::new(sheet);
    let row = heading(&mut t, results, styles, "Statistiques")?;
    let row = outcome_counts(&mut t, row, results, styles)?;
    let graded: Vec<&Decision> = results
        .analysis
        .decisions
        .iter()
        .filter(|d| !d.competencies.is_empty())
        .collect();
    let row = competency_rates(&mut t, row + 2, results, &graded, styles)?;
    let row = criterion_rates(&mut t, row + 2, results, &graded, styles)?;
    let row = juror_levels(&mut t, row + 2, results, styles)?;
    agreement(&mut t, row + 2, results, styles)?;
    t.fit()
}

/// The candidates per outcome, and the share of the evaluated ones (certified or not)
/// for those two outcomes, from `row`; returns the last row written.
fn outcome_counts(
    t: &mut Table,
    mut row: u32,
    results: &Results,
    styles: &Styles,
) -> Result<u32, XlsxError> {
    let a = results.analysis;
    let decided = a.count(Outcome::Certified) + a.count(Outcome::NotCertified);
    t.header(
        row,
        &["Décision", "Candidats", "Part des candidats évalués"],
        &styles.header,
    )?;
    for outcome in [
        Outcome::Certified,
        Outcome::NotCertified,
        Outcome::Pending,
        Outcome::Absent,
        Outcome::NonRecevable,
    ] {
        row += 1;
        t.text(row, 0, outcome_category(outcome), styles.outcome(outcome))?;
        t.number(row, 1, a.count(outcome) as f64, &styles.text)?;
        if matches!(outcome, Outcome::Certified | Outcome::NotCertified) {
            if let Some(r) = rate(a.count(outcome), decided) {
                t.number(row, 2, r, &styles.percent)?;
            }
        }
    }
    Ok(row)
}

/// Per competency of the referential: how many `graded` candidates acquired it, did not,
/// or wait for the deliberation, and the acquisition rate; returns the last row written.
fn competency_rates(
    t: &mut Table,
    mut row: u32,
    results: &Results,
    graded: &[&Decision],
    styles: &Styles,
) -> Result<u32, XlsxError> {
    t.header(
        row,
        &[
            "Compétence",
            "Intitulé",
            "Acquise",
            "Non acquise",
            "En attente",
            "Taux d’acquisition",
        ],
        &styles.header,
    )?;
    for (i, competency) in results.data.referential.competencies.iter().enumerate() {
        row += 1;
        let count = |s: Status| {
            graded
                .iter()
                .filter(|d| d.competencies.get(i).is_some_and(|c| c.status == s))
                .count()
        };
        let (yes, no, wait) = (
            count(Status::Acquired),
            count(Status::NotAcquired),
            count(Status::Pending),
        );
        t.text(row, 0, &competency.code, &styles.text)?;
        t.text(row, 1, &competency.title, &styles.text)?;
        t.number(row, 2, yes as f64, &styles.text)?;
        t.number(row, 3, no as f64, &styles.text)?;
        t.number(row, 4, wait as f64, &styles.text)?;
        if let Some(r) = rate(yes, yes + no + wait) {
            t.number(row, 5, r, &styles.percent)?;
        }
    }
    Ok(row)
}

/// Per criterion: acquired, not acquired, disputed, the acquisition rate, and how often
/// the jurors of a candidate graded by several agreed on acquired or not; returns the last
/// row written.
fn criterion_rates(
    t: &mut Table,
    mut row: u32,
    results: &Results,
    graded: &[&Decision],
    styles: &Styles,
) -> Result<u32, XlsxError> {
    t.header(
        row,
        &[
            "Critère",
            "Intitulé",
            "Acquis",
            "Non acquis",
            "Désaccords",
            "Taux d’acquisition",
            "Accord entre évaluateurs",
        ],
        &styles.header,
    )?;
    let referential = &results.data.referential;
    let pass = referential.pass_value();
    let criteria = referential
        .competencies
        .iter()
        .enumerate()
        .flat_map(|(ci, c)| {
            c.criteria
                .iter()
                .enumerate()
                .map(move |(position, criterion)| (ci, position, criterion))
        });
    for (ci, position, criterion) in criteria {
        row += 1;
        let results_of: Vec<_> = graded
            .iter()
            .filter_map(|d| d.competencies.get(ci)?.criteria.get(position))
            .collect();
        let count = |s: Status| results_of.iter().filter(|c| c.status == s).count();
        let (yes, no, disputed) = (
            count(Status::Acquired),
            count(Status::NotAcquired),
            count(Status::Pending),
        );
        let several: Vec<_> = results_of.iter().filter(|c| c.given.len() > 1).collect();
        let agree = several
            .iter()
            .filter(|c| {
                c.given.iter().all(|g| g.value >= pass) || c.given.iter().all(|g| g.value < pass)
            })
            .count();
        t.text(row, 0, &criterion.code, &styles.text)?;
        t.text(row, 1, &criterion.title, &styles.text)?;
        t.number(row, 2, yes as f64, &styles.text)?;
        t.number(row, 3, no as f64, &styles.text)?;
        t.number(row, 4, disputed as f64, &styles.text)?;
        if let Some(r) = rate(yes, yes + no + disputed) {
            t.number(row, 5, r, &styles.percent)?;
        }
        if let Some(r) = rate(agree, several.len()) {
            t.number(row, 6, r, &styles.percent)?;
        }
    }
    Ok(row)
}

/// Per juror (by name): candidates graded, how many times each level of the scale was
/// given, and the share of acquired levels; returns the last row written.
fn juror_levels(
    t: &mut Table,
    mut row: u32,
    results: &Results,
    styles: &Styles,
) -> Result<u32, XlsxError> {
    let a = results.analysis;
    let levels = &results.data.referential.scale.levels;
    let mut labels: Vec<String> = vec!["Évaluateur".into(), "Candidats évalués".into()];
    labels.extend(levels.iter().map(|l| format!("Niveaux « {} »", l.label)));
    labels.push("Part de niveaux acquis".into());
    let label_refs: Vec<&str> = labels.iter().map(String::as_str).collect();
    t.header(row, &label_refs, &styles.header)?;
    let mut jurors: Vec<&str> = a
        .decisions
        .iter()
        .flat_map(|d| d.jurors.iter().map(String::as_str))
        .collect();
    jurors.sort_unstable();
    jurors.dedup();
    let pass = results.data.referential.pass_value();
    for juror in jurors {
        row += 1;
        let candidates = a
            .decisions
            .iter()
            .filter(|d| d.jurors.iter().any(|j| j == juror))
            .count();
        let given: Vec<f64> = a
            .decisions
            .iter()
            .flat_map(|d| {
                d.competencies
                    .iter()
                    .flat_map(|c| c.criteria.iter().flat_map(|cr| cr.given.iter()))
            })
            .filter(|g| &*g.juror == juror)
            .map(|g| g.value)
            .collect();
        t.text(row, 0, juror, &styles.text)?;
        t.number(row, 1, candidates as f64, &styles.text)?;
        for (i, level) in levels.iter().enumerate() {
            let n = given.iter().filter(|v| **v == level.value).count();
            t.number(row, col(2 + i), n as f64, &styles.text)?;
        }
        if let Some(r) = rate(given.iter().filter(|v| **v >= pass).count(), given.len()) {
            t.number(row, col(2 + levels.len()), r, &styles.percent)?;
        }
    }
    Ok(row)
}

/// The « Accord entre évaluateurs » section of `Statistiques`: per pair of jurors and per
/// criterion, percent agreement and kappa (see `core::agreement`), with how to read kappa.
fn agreement(
    t: &mut Table,
    row: u32,
    results: &Results,
    styles: &Styles,
) -> Result<u32, XlsxError> {
    let row = agreement_legend(t, row, styles)?;
    let row = agreement_by_pair(t, row + 2, results, styles)?;
    agreement_by_criterion(t, row + 2, results, styles)
}

/// The section's title and how to read its figures; returns the last row written.
fn agreement_legend(t: &mut Table, mut row: u32, styles: &Styles) -> Result<u32, XlsxError> {
    t.sheet
        .write_string_with_format(row, 0, "Accord entre évaluateurs", &styles.title)?;
    let legend = [
        "Accord : part des critères × candidats où les évaluateurs ont donné le même niveau. Kappa : accord corrigé du hasard (1 = accord parfait, 0 = pas mieux que le hasard, négatif = moins bien que le hasard).",
        "Lecture du kappa (Landis et Koch, 1977) : moins de 0, inférieur au hasard ; 0 à 0,20, très faible ; 0,21 à 0,40, faible ; 0,41 à 0,60, modéré ; 0,61 à 0,80, fort ; 0,81 à 1, presque parfait. « — » : non calculable (un seul niveau donné, ou aucun critère noté en commun).",
        "Quand les évaluateurs ont donné le même niveau presque partout (accord d’au moins 90 %), un seul niveau différent fait chuter le kappa : la lecture est alors « accord élevé, kappa peu significatif » si le kappa ne dépasse pas 0,60 (paradoxe du kappa). Lisez toujours le kappa avec la part d’accord.",
    ];
    for line in legend {
        row += 1;
        t.sheet
            .write_string_with_format(row, 0, line, &styles.subtitle)?;
    }
    Ok(row)
}

/// One row per pair of jurors who graded the same candidates; returns the last row written.
fn agreement_by_pair(
    t: &mut Table,
    mut row: u32,
    results: &Results,
    styles: &Styles,
) -> Result<u32, XlsxError> {
    let a = &results.analysis.agreement;
    t.header(
        row,
        &[
            "Évaluateurs",
            "Critères × candidats notés par les deux",
            "Accord (même niveau)",
            "Kappa de Cohen",
            "Lecture",
        ],
        &styles.header,
    )?;
    let name = |j: usize| a.jurors.get(j).map_or("", String::as_str);
    for pair in &a.pairs {
        row += 1;
        let label = format!("{} / {}", name(pair.first), name(pair.second));
        t.text(row, 0, &label, &styles.text)?;
        t.number(row, 1, pair.items as f64, &styles.text)?;
        measure_cells(t, row, 2, pair.agreement, pair.kappa, styles)?;
    }
    if a.pairs.is_empty() {
        row += 1;
        t.text(
            row,
            0,
            "Aucun candidat évalué par deux évaluateurs.",
            &styles.neutral,
        )?;
    }
    Ok(row)
}

/// One row per criterion, with the kappa's method; returns the last row written.
fn agreement_by_criterion(
    t: &mut Table,
    mut row: u32,
    results: &Results,
    styles: &Styles,
) -> Result<u32, XlsxError> {
    t.header(
        row,
        &[
            "Critère",
            "Candidats notés par plusieurs évaluateurs",
            "Accord (même niveau)",
            "Kappa",
            "Lecture",
            "Méthode",
        ],
        &styles.header,
    )?;
    let a = &results.analysis.agreement;
    for (c, (_, criterion)) in a.criteria.iter().zip(results.data.referential.criteria()) {
        row += 1;
        t.text(row, 0, &criterion.code, &styles.text)?;
        t.number(row, 1, c.items as f64, &styles.text)?;
        measure_cells(t, row, 2, c.agreement, c.kappa, styles)?;
        t.text(row, 5, &kappa_method(c), &styles.text)?;
    }
    Ok(row)
}

/// Which kappa a criterion's row gives, in words (empty when none could be computed).
fn kappa_method(c: &CriterionAgreement) -> String {
    match c.method {
        None => String::new(),
        Some(Method::Cohen) => "Cohen (deux évaluateurs)".to_string(),
        Some(Method::Fleiss { raters }) if c.kappa_items < c.items => format!(
            "Fleiss ({raters} évaluateurs par candidat, sur {})",
            count(c.kappa_items, "candidat", "candidats")
        ),
        Some(Method::Fleiss { raters }) => {
            format!("Fleiss ({raters} évaluateurs par candidat)")
        }
    }
}

/// Agreement (percent), kappa and its reading at columns `first`, `first + 1`, `first + 2`.
fn measure_cells(
    t: &mut Table,
    row: u32,
    first: u16,
    agreement: Option<f64>,
    kappa: Option<f64>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    match agreement {
        Some(r) => t.number(row, first, r, &styles.percent)?,
        None => t.text(row, first, "—", &styles.neutral)?,
    }
    match kappa {
        Some(k) => {
            t.number(row, first + 1, k, &styles.kappa)?;
            t.text(row, first + 2, reading(agreement, k), &styles.text)?;
        }
        None => {
            t.text(row, first + 1, "—", &styles.neutral)?;
            t.text(row, first + 2, "", &styles.text)?;
        }
    }
    Ok(())
}

fn anomalies(sheet: &mut Worksheet, results: &Results, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name("Anomalies")?;
    let mut t = Table::new(sheet);
    let top = heading(&mut t, results, styles, "Anomalies signalées")?;
    let labels = [
        "Gravité",
        "Anomalie",
        "Code",
        "Message",
        "Fichier",
        "Feuille",
        "Cellule",
        "Candidat",
        "Critère",
        "Évaluateur",
    ];
    t.header(top, &labels, &styles.header)?;
    let mut row = top;
    for f in crate::render::report::sorted(&results.analysis.findings) {
        row += 1;
        let severity = if f.severity() > Severity::Warning {
            "Erreur"
        } else {
            "Avertissement"
        };
        let cells = [
            severity,
            code_label(f.code),
            f.code.as_str(),
            &f.full_message(),
            f.file.as_deref().unwrap_or(""),
            f.sheet.as_deref().unwrap_or(""),
            f.cell.as_deref().unwrap_or(""),
            f.candidate.as_deref().unwrap_or(""),
            f.criterion.as_deref().unwrap_or(""),
            f.juror.as_deref().unwrap_or(""),
        ]
        .map(str::to_string);
        for (c, text) in cells.iter().enumerate() {
            t.text(row, col(c), text, &styles.text)?;
        }
    }
    if row == top {
        t.text(top + 1, 0, "Aucune anomalie.", &styles.neutral)?;
    }
    t.sheet.set_freeze_panes(top + 1, 0)?;
    t.sheet
        .autofilter(top, 0, row.max(top + 1), col(labels.len() - 1))?;
    t.fit()
}

fn traceability(
    sheet: &mut Worksheet,
    results: &Results,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Traçabilité")?;
    let mut t = Table::new(sheet);
    let mut row = heading(&mut t, results, styles, "Traçabilité")?;
    t.header(row, &["Élément", "Valeur"], &styles.header)?;
    for (label, value) in facts(results) {
        row += 1;
        t.text(row, 0, label, &styles.text)?;
        t.text(row, 1, &value, &styles.text)?;
    }
    row += 2;
    t.header(row, &["Compétence", "Règle"], &styles.header)?;
    for c in &results.data.referential.competencies {
        row += 1;
        t.text(row, 0, &c.code, &styles.text)?;
        t.text(row, 1, &competency_rule(c.rule), &styles.text)?;
    }
    row += 2;
    t.header(row, &["Fichier d’entrée", "SHA-256"], &styles.header)?;
    for input in results.inputs {
        row += 1;
        t.text(row, 0, &input.path, &styles.text)?;
        t.text(row, 1, &input.sha256, &styles.text)?;
    }
    t.fit()
}

/// What the session was decided with: the tool, the session, the rules, the status.
fn facts(results: &Results) -> [(&'static str, String); 9] {
    let r = &results.data.referential;
    let rules = results.analysis.rules;
    let certification_rule = match r.certification.rule {
        CountRule::All(_) => "toutes les compétences".to_string(),
        CountRule::AtLeast { at_least } => format!(
            "au moins {}",
            count(at_least as usize, "compétence", "compétences")
        ),
    };
    [
        ("Outil", format!("jury {}", env!("CARGO_PKG_VERSION"))),
        ("Session", results.data.config.id.clone()),
        ("Date du jury", results.data.config.date.to_string()),
        ("Certification", results.data.config.certification_label(r)),
        (
            "Agrégation des niveaux",
            aggregation_label(rules.aggregation).to_string(),
        ),
        (
            "Grilles requises par candidat",
            rules.min_jurors.to_string(),
        ),
        ("Règle de certification", certification_rule),
        (
            "Validation partielle",
            if r.certification.partial {
                "oui"
            } else {
                "non"
            }
            .to_string(),
        ),
        (
            "Statut",
            if results.provisional {
                "PROVISOIRE"
            } else {
                "définitif"
            }
            .to_string(),
        ),
    ]
}

/// A competency's rule, in words.
fn competency_rule(rule: CompetencyRule) -> String {
    match rule {
        CompetencyRule::All(_) => "tous les critères acquis".to_string(),
        CompetencyRule::AtLeast { at_least } => format!(
            "au moins {}",
            count(at_least as usize, "critère acquis", "critères acquis")
        ),
        CompetencyRule::MeanAtLeast { mean_at_least } => format!(
            "moyenne pondérée d’au moins {}",
            format_number(mean_at_least).replace('.', ",")
        ),
    }
}

//! Blank score grids (`jury grids`): which candidates each juror grades, and the workbook a
//! juror fills in Excel or LibreOffice.
//!
//! The workbook is the *wide* layout that `core::grids` reads back as it is: a few label
//! rows on top (certification, session, `Évaluateur :` and the juror's name), a competency
//! band, then the header row (`N° candidat`, `Nom`, `Prénom`, one column per criterion code,
//! `Observations`) and one row per candidate. Level cells offer a drop-down of the scale's
//! labels plus `ABS`; everything else is locked by a sheet protection without password.
//! A second sheet, `Instructions`, says how to fill the grid and lists every criterion.
//!
//! Pure: data in, bytes out. Nothing here reads or writes a file; the workbook's creation
//! date is the session date, so the same inputs give the same bytes.

use rust_xlsxwriter::{
    Color, DataValidation, DocProperties, Format, FormatAlign, FormatBorder, Formula, Note,
    ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use std::collections::HashSet;

use crate::xlsx::{col, creation_date};
use jury_core::candidates::Candidate;
use jury_core::grids::GridSheet;
use jury_core::referential::{Criterion, Referential};
use jury_core::session::{JuryMember, SessionConfig};
use jury_core::text::{fold, fold_header, fold_name, safe_file_name, strip_accents};

/// Headers of the candidates file's column that names each candidate's sub-jury.
pub use jury_core::header::ASSIGNMENT_HEADERS;

/// What `Jury` / `Commission` cells are split on: `A, B`, `A; B`, `A/B`, `A+B`.
const ASSIGNMENT_SEPARATORS: &[char] = &[',', ';', '/', '+'];

/// The word a juror selects for an absent candidate (read back as absence by `core`).
pub const ABSENT: &str = "ABS";

/// Name of the sheet holding the grid, and of the sheet explaining it.
pub const GRID_SHEET: &str = "Grille";
pub const INSTRUCTIONS_SHEET: &str = "Instructions";

// Layout of the grid sheet (0-based rows and columns).
const JUROR_ROW: u32 = 3;
const NOTICE_ROW: u32 = 5;
const BAND_ROW: u32 = 6;
const HEADER_ROW: u32 = 7;
const FIRST_ROW: u32 = HEADER_ROW + 1;
const FIRST_CRITERION_COL: u16 = 3;

/// One juror's blank grid: the file to write and the candidates it lists, in file order.
#[derive(Debug)]
pub struct JurorGrid<'a> {
    pub juror: &'a JuryMember,
    pub file_name: String,
    pub candidates: Vec<&'a Candidate>,
    /// A complement (`jury grids --missing`): the candidates the juror's grids lack.
    pub complement: bool,
}

/// Every juror's grid, and what in the candidates' `Jury` cells names nobody.
#[derive(Debug)]
pub struct Plan<'a> {
    pub grids: Vec<JurorGrid<'a>>,
    /// Names in `Jury` / `Commission` cells that are neither a member nor a group, each
    /// with the ids of the candidates whose cell holds it.
    pub unknown_names: Vec<(String, Vec<String>)>,
    /// Recevable candidates that no grid lists (their cell names nobody).
    pub unassigned: Vec<String>,
}

/// The file name of a juror's grid: `grille-<name>.xlsx`, the name lower-cased, accents
/// stripped, every run of other characters than letters and digits turned into one `-`.
/// `Hélène O'Brien` gives `grille-helene-o-brien.xlsx`. Never a path.
pub fn file_name(juror: &str) -> String {
    let mut stem = String::new();
    for c in strip_accents(juror).to_lowercase().chars() {
        if c.is_alphanumeric() {
            stem.push(c);
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let stem = stem.trim_end_matches('-');
    let stem = if stem.is_empty() { "membre" } else { stem };
    safe_file_name(&format!("grille-{stem}.xlsx"))
}

/// Chooses each juror's candidates (see the README, « Blank grids »): non-recevable
/// candidates are left out; a candidate whose `Jury` / `Commission` cell is empty, or who
/// has no such column, goes to every juror; otherwise to the jurors that cell names, by name
/// or by one of their `groups`. Fails when two jurors would get the same file name.
pub fn plan<'a>(
    config: &'a SessionConfig,
    candidates: &'a [Candidate],
) -> Result<Plan<'a>, String> {
    let mut grids: Vec<JurorGrid> = Vec::new();
    for juror in &config.jury {
        let name = file_name(&juror.name);
        if let Some(other) = grids.iter().find(|g| g.file_name == name) {
            return Err(format!(
                "les membres du jury « {} » et « {} » donneraient le même fichier « {name} » ; distinguez leurs noms dans session.toml",
                other.juror.name, juror.name
            ));
        }
        grids.push(JurorGrid {
            juror,
            file_name: name,
            candidates: Vec::new(),
            complement: false,
        });
    }
    let mut unknown_names: Vec<(String, Vec<String>)> = Vec::new();
    let mut unassigned = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for candidate in candidates {
        if !candidate.prerequisites_met || seen.contains(&candidate.id.as_str()) {
            continue;
        }
        seen.push(&candidate.id);
        let tokens = assignment(candidate);
        for token in &tokens {
            if config.jury.iter().any(|j| names(j, token)) {
                continue;
            }
            match unknown_names
                .iter_mut()
                .find(|(t, _)| fold(t) == fold(token))
            {
                Some((_, ids)) => ids.push(candidate.id.clone()),
                None => unknown_names.push((token.clone(), vec![candidate.id.clone()])),
            }
        }
        let mut placed = false;
        for grid in &mut grids {
            if tokens.is_empty() || tokens.iter().any(|t| names(grid.juror, t)) {
                grid.candidates.push(candidate);
                placed = true;
            }
        }
        if !placed {
            unassigned.push(candidate.id.clone());
        }
    }
    Ok(Plan {
        grids,
        unknown_names,
        unassigned,
    })
}

/// The complement of each juror's grids (`jury grids --missing`): the candidates of the
/// juror's planned grid that no row of that juror in `existing` lists (graded or not),
/// in plan order. A juror whose grids list nobody yet gets the plain file name when
/// `taken` (a file already there) does not hold it; any other juror's complement is named
/// `grille-<name>-complement.xlsx`, then `-complement-2.xlsx`…, the first name neither
/// taken nor given to another juror here. Every juror is returned, with no candidate when
/// nothing is missing.
pub fn complements<'a>(
    plan: Plan<'a>,
    existing: &[GridSheet],
    taken: impl Fn(&str) -> bool,
) -> Vec<JurorGrid<'a>> {
    let mut given: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for mut grid in plan.grids {
        let listed: HashSet<&str> = existing
            .iter()
            .flat_map(|sheet| &sheet.rows)
            .filter(|row| row.known_juror && row.juror == grid.juror.name)
            .map(|row| row.candidate.as_str())
            .collect();
        grid.candidates.retain(|c| !listed.contains(c.id.as_str()));
        let free = |name: &str| !taken(name) && !given.iter().any(|g| g == name);
        if listed.is_empty() && free(&grid.file_name) {
            given.push(grid.file_name.clone());
        } else {
            let stem = grid.file_name.trim_end_matches(".xlsx").to_string();
            let mut n = 1;
            let name = loop {
                let name = match n {
                    1 => format!("{stem}-complement.xlsx"),
                    n => format!("{stem}-complement-{n}.xlsx"),
                };
                if free(&name) {
                    break name;
                }
                n += 1;
            };
            grid.file_name = name.clone();
            grid.complement = true;
            given.push(name);
        }
        out.push(grid);
    }
    out
}

/// « 1 candidat », « 13 candidats », « aucun candidat ».
pub fn candidate_count(n: usize) -> String {
    match n {
        0 => "aucun candidat".to_string(),
        1 => "1 candidat".to_string(),
        n => format!("{n} candidats"),
    }
}

/// The names in a candidate's `Jury` / `Commission` cell (none when empty or no column).
fn assignment(candidate: &Candidate) -> Vec<String> {
    let accepted: Vec<String> = ASSIGNMENT_HEADERS.iter().map(|h| fold_header(h)).collect();
    candidate
        .extra
        .iter()
        .find(|(h, _)| accepted.contains(&fold_header(h)))
        .map(|(_, v)| {
            v.split(ASSIGNMENT_SEPARATORS)
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Does `token` name this juror, or one of the juror's groups?
fn names(juror: &JuryMember, token: &str) -> bool {
    let by_name = !fold_name(token).is_empty() && fold_name(token) == fold_name(&juror.name);
    by_name || juror.groups.iter().any(|g| fold(g) == fold(token))
}

/// Renders one juror's blank grid to the bytes of an `.xlsx` workbook.
pub fn render(
    config: &SessionConfig,
    referential: &Referential,
    grid: &JurorGrid,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let created = creation_date(config.date)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "{} — session {} — {}",
                grid_title(grid),
                config.id,
                grid.juror.name
            ))
            .set_author("jury")
            .set_creation_datetime(&created),
    );
    let styles = Styles::new();
    let labels = level_labels(referential);
    grid_sheet(
        workbook.add_worksheet(),
        config,
        referential,
        grid,
        &labels,
        &styles,
    )?;
    instructions(
        workbook.add_worksheet(),
        config,
        referential,
        &labels,
        &styles,
    )?;
    workbook.save_to_buffer()
}

/// « Grille d'évaluation », or « Grille d'évaluation complémentaire ».
fn grid_title(grid: &JurorGrid) -> &'static str {
    if grid.complement {
        "Grille d'évaluation complémentaire"
    } else {
        "Grille d'évaluation"
    }
}

/// The scale's labels, lowest first, then `ABS`: exactly what the drop-down offers.
fn level_labels(referential: &Referential) -> Vec<String> {
    referential
        .scale
        .levels
        .iter()
        .map(|l| l.label.clone())
        .chain(std::iter::once(ABSENT.to_string()))
        .collect()
}

struct Styles {
    title: Format,
    label: Format,
    juror: Format,
    notice: Format,
    band: Format,
    header: Format,
    id: Format,
    identity: Format,
    level: Format,
    observations: Format,
    step: Format,
    step_number: Format,
    wrap: Format,
    bold_wrap: Format,
}

impl Styles {
    fn new() -> Styles {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0x808080));
        let input = cell
            .clone()
            .set_unlocked()
            .set_background_color(Color::RGB(0xFFF8DC));
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            label: Format::new().set_bold(),
            juror: Format::new()
                .set_bold()
                .set_font_size(12)
                .set_font_color(Color::RGB(0x1F3864)),
            notice: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x404040)),
            band: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xB4C6E7)),
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap()
                .set_background_color(Color::RGB(0xD9E1F2)),
            id: cell
                .clone()
                .set_num_format("@")
                .set_background_color(Color::RGB(0xF2F2F2)),
            identity: cell.clone().set_background_color(Color::RGB(0xF2F2F2)),
            level: input.clone().set_align(FormatAlign::Center),
            observations: input.set_text_wrap(),
            step: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            step_number: Format::new().set_bold().set_align(FormatAlign::Top),
            wrap: cell.clone().set_text_wrap().set_align(FormatAlign::Top),
            bold_wrap: cell
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xD9E1F2)),
        }
    }
}

/// Excel counts validation texts in UTF-16 units.
fn fits(text: &str, limit: usize) -> bool {
    text.encode_utf16().count() <= limit
}

/// A note wide and tall enough for its text.
fn note(text: &str) -> Note {
    let lines = u32::try_from(text.chars().count() / 55 + 1).unwrap_or(20);
    Note::new(text)
        .add_author_prefix(false)
        .set_width(380)
        .set_height(20 + 16 * lines)
}

/// The grid sheet: what the grid is for, the competency band, the header row, one row
/// per candidate with the level drop-down, the layout, the protection.
fn grid_sheet(
    ws: &mut Worksheet,
    config: &SessionConfig,
    referential: &Referential,
    grid: &JurorGrid,
    labels: &[String],
    s: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(GRID_SHEET)?;
    let criteria: Vec<_> = referential.criteria().collect();
    let obs_col = FIRST_CRITERION_COL + col(criteria.len());
    grid_heading(ws, config, referential, grid, labels, s)?;
    competency_band(ws, referential, s)?;
    header_row(ws, &criteria, obs_col, s)?;
    let end = candidate_rows(ws, grid, obs_col, s)?;
    if end > FIRST_ROW && !criteria.is_empty() {
        let validation = level_validation(labels)?;
        ws.add_data_validation(
            FIRST_ROW,
            FIRST_CRITERION_COL,
            end - 1,
            obs_col - 1,
            &validation,
        )?;
    }
    grid_layout(ws, obs_col, end)?;
    print_setup(ws, config, &grid.juror.name)?;
    ws.set_repeat_rows(BAND_ROW, HEADER_ROW)?;
    ws.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::new()
    });
    Ok(())
}

/// The rows above the band: title, certification, session, the juror, how to fill the
/// grid and whom it lists.
fn grid_heading(
    ws: &mut Worksheet,
    config: &SessionConfig,
    referential: &Referential,
    grid: &JurorGrid,
    labels: &[String],
    s: &Styles,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, grid_title(grid), &s.title)?;
    ws.write_string_with_format(1, 0, "Certification :", &s.label)?;
    ws.write_string(1, 1, config.certification_label(referential))?;
    ws.write_string_with_format(2, 0, "Session :", &s.label)?;
    ws.write_string(
        2,
        1,
        format!(
            "{} — jury du {} à {} — {}",
            config.id, config.date, config.place, config.certifier
        ),
    )?;
    ws.write_string_with_format(JUROR_ROW, 0, "Évaluateur :", &s.label)?;
    ws.write_string_with_format(JUROR_ROW, 1, &grid.juror.name, &s.juror)?;
    ws.write_string_with_format(JUROR_ROW, 3, &grid.juror.role, &s.notice)?;
    ws.write_string_with_format(
        4,
        0,
        format!(
            "Pour chaque critère, choisissez un niveau dans la liste ({}) ; en cas d'absence, choisissez ABS sur tous les critères du candidat ; laissez vide la ligne d'un candidat que vous n'avez pas évalué.",
            labels[..labels.len().saturating_sub(1)].join(", ")
        ),
        &s.notice,
    )?;
    ws.write_string_with_format(NOTICE_ROW, 0, candidates_notice(grid), &s.notice)?;
    Ok(())
}

/// How many candidates the grid lists (and, for a complement, that the first grid stays
/// valid), and where to read the criteria.
fn candidates_notice(grid: &JurorGrid) -> String {
    if grid.candidates.is_empty() {
        return "Aucun candidat ne vous est attribué pour cette session.".to_string();
    }
    let count = candidate_count(grid.candidates.len());
    let what = if grid.complement {
        let added = if grid.candidates.len() == 1 {
            "ajouté"
        } else {
            "ajoutés"
        };
        format!("Grille complémentaire : {count} {added} depuis votre première grille, qui reste valable.")
    } else {
        format!("{count}.")
    };
    format!(
        "{what} Survolez un code de critère pour lire son intitulé ; la feuille « {INSTRUCTIONS_SHEET} » explique comment remplir la grille."
    )
}

/// The competency band: each competency's code over its criteria, its title in a note.
/// No id header here, so the reader never takes it for the header row.
fn competency_band(
    ws: &mut Worksheet,
    referential: &Referential,
    s: &Styles,
) -> Result<(), XlsxError> {
    let mut first = FIRST_CRITERION_COL;
    for competency in &referential.competencies {
        let n = col(competency.criteria.len());
        if n == 0 {
            continue;
        }
        let last = first + n - 1;
        if n == 1 {
            ws.write_string_with_format(BAND_ROW, first, &competency.code, &s.band)?;
        } else {
            ws.merge_range(BAND_ROW, first, BAND_ROW, last, &competency.code, &s.band)?;
        }
        ws.insert_note(
            BAND_ROW,
            first,
            &note(&format!("{} — {}", competency.code, competency.title)),
        )?;
        first = last + 1;
    }
    Ok(())
}

/// The header row: identity columns, one criterion code per column (its title in a
/// note), `Observations`.
fn header_row(
    ws: &mut Worksheet,
    criteria: &[(usize, &Criterion)],
    obs_col: u16,
    s: &Styles,
) -> Result<(), XlsxError> {
    for (c, label) in ["N° candidat", "Nom", "Prénom"].iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, col(c), *label, &s.header)?;
    }
    for (i, (_, criterion)) in criteria.iter().enumerate() {
        let c = FIRST_CRITERION_COL + col(i);
        ws.write_string_with_format(HEADER_ROW, c, &criterion.code, &s.header)?;
        ws.insert_note(
            HEADER_ROW,
            c,
            &note(&format!("{} — {}", criterion.code, criterion.title)),
        )?;
    }
    ws.write_string_with_format(HEADER_ROW, obs_col, "Observations", &s.header)?;
    Ok(())
}

/// One row per candidate: id (as text), names, blank level and observation cells;
/// returns the row after the last one.
fn candidate_rows(
    ws: &mut Worksheet,
    grid: &JurorGrid,
    obs_col: u16,
    s: &Styles,
) -> Result<u32, XlsxError> {
    let mut row = FIRST_ROW;
    for candidate in &grid.candidates {
        // Ids are text: « 000123 » keeps its zeros.
        ws.write_string_with_format(row, 0, &candidate.id, &s.id)?;
        ws.write_string_with_format(row, 1, &candidate.last_name, &s.identity)?;
        ws.write_string_with_format(row, 2, &candidate.first_name, &s.identity)?;
        for c in FIRST_CRITERION_COL..obs_col {
            ws.write_blank(row, c, &s.level)?;
        }
        ws.write_blank(row, obs_col, &s.observations)?;
        row += 1;
    }
    Ok(row)
}

/// Column widths, row heights (candidate rows up to `end`) and frozen panes.
fn grid_layout(ws: &mut Worksheet, obs_col: u16, end: u32) -> Result<(), XlsxError> {
    ws.set_column_width(0, 12)?;
    ws.set_column_width(1, 18)?;
    ws.set_column_width(2, 14)?;
    for c in FIRST_CRITERION_COL..obs_col {
        ws.set_column_width(c, 10.5)?;
    }
    ws.set_column_width(obs_col, 32)?;
    ws.set_row_height(HEADER_ROW, 22)?;
    for r in FIRST_ROW..end {
        // Room to read, and to write by hand on a printed copy.
        ws.set_row_height(r, 20)?;
    }
    ws.set_freeze_panes(FIRST_ROW, FIRST_CRITERION_COL)?;
    Ok(())
}

/// The drop-down of every level cell: the scale's labels and ABS, nothing else.
fn level_validation(labels: &[String]) -> Result<DataValidation, XlsxError> {
    let listed = labels.join(", ");
    let as_strings =
        labels.iter().all(|l| !l.contains(',') && !l.contains('"')) && fits(&labels.join(","), 255);
    let validation = if as_strings {
        DataValidation::new().allow_list_strings(labels)?
    } else {
        // Too long for an inline list: point at the scale table of the Instructions sheet.
        let (first, last) = scale_rows(labels.len());
        DataValidation::new().allow_list_formula(Formula::new(format!(
            "={INSTRUCTIONS_SHEET}!$A${}:$A${}",
            first + 1,
            last + 1
        )))
    };
    let input = format!(
        "Choisissez dans la liste : {listed}.\nABS : absence à l'évaluation (ABS sur tous les critères du candidat).\nLigne vide : candidat non évalué."
    );
    let error = format!("Ce niveau n'est pas dans la liste. Choisissez : {listed}.");
    let short = "Choisissez un niveau dans la liste déroulante.";
    validation
        .set_input_title("Niveau du critère")?
        .set_input_message(if fits(&input, 255) { &input } else { short })?
        .set_error_title("Niveau non reconnu")?
        .set_error_message(if fits(&error, 255) { &error } else { short })
}

fn print_setup(ws: &mut Worksheet, config: &SessionConfig, juror: &str) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    let escape = |t: &str| t.replace('&', "&&");
    ws.set_footer(format!(
        "&L{} — {}&RPage &P / &N",
        escape(&config.id),
        escape(juror)
    ));
    Ok(())
}

/// The height (points) of a row whose wrapped text sits in the 100-wide column: LibreOffice
/// does not grow such rows by itself.
fn text_height(text: &str) -> f64 {
    let lines = text.chars().count().div_ceil(110).max(1);
    15.0 * f64::from(u32::try_from(lines).unwrap_or(10)) + 2.0
}

// Layout of the Instructions sheet.
const SCALE_TITLE_ROW: u32 = 11;

/// First and last row of the scale table's labels in the Instructions sheet.
fn scale_rows(count: usize) -> (u32, u32) {
    let first = SCALE_TITLE_ROW + 2;
    let n = u32::try_from(count).unwrap_or(1).max(1);
    (first, first + n - 1)
}

/// The Instructions sheet: the steps to fill the grid, the scale, every criterion.
fn instructions(
    ws: &mut Worksheet,
    config: &SessionConfig,
    referential: &Referential,
    labels: &[String],
    s: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(INSTRUCTIONS_SHEET)?;
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 100)?;
    ws.write_string_with_format(0, 0, "Comment remplir votre grille", &s.title)?;
    let levels = labels[..labels.len().saturating_sub(1)].join(", ");
    let steps = [
        format!("Votre grille est la feuille « {GRID_SHEET} » : une ligne par candidat qui vous est attribué, une colonne par critère (code Cr…), regroupées par compétence."),
        format!("Pour chaque critère, choisissez un niveau dans la liste déroulante de la cellule : {levels}. Les intitulés des critères figurent ci-dessous ; ils s'affichent aussi au survol de leur code."),
        "Candidat absent : choisissez ABS dans chaque cellule de critère de sa ligne.".to_string(),
        "Candidat que vous n'avez pas évalué : laissez toute sa ligne vide.".to_string(),
        "La colonne « Observations » est libre et facultative.".to_string(),
        "Ne modifiez pas les en-têtes, les numéros, noms et prénoms (ils sont protégés) ; n'ajoutez ni ne supprimez de ligne ou de colonne.".to_string(),
        format!("Enregistrez le fichier au format .xlsx ou .ods, sans mot de passe, et renvoyez-le au secrétariat du jury ({}).", config.certifier),
    ];
    for (i, step) in steps.iter().enumerate() {
        let row = 2 + u32::try_from(i).unwrap_or(0);
        ws.write_string_with_format(row, 0, format!("{}.", i + 1), &s.step_number)?;
        ws.write_string_with_format(row, 1, step, &s.step)?;
        ws.set_row_height(row, text_height(step))?;
    }
    let row = scale_table(ws, referential, labels, s)?;
    criteria_list(ws, row + 2, referential, s)?;
    ws.set_print_fit_to_pages(1, 0);
    ws.set_paper_size(9);
    ws.protect();
    Ok(())
}

/// The scale's table: its title and headers, the levels with their meaning, then ABS, at
/// [`scale_rows`] (where the drop-down may point); returns the row of ABS.
fn scale_table(
    ws: &mut Worksheet,
    referential: &Referential,
    labels: &[String],
    s: &Styles,
) -> Result<u32, XlsxError> {
    ws.write_string_with_format(SCALE_TITLE_ROW, 0, "Niveaux", &s.title)?;
    ws.write_string_with_format(SCALE_TITLE_ROW + 1, 0, "Niveau", &s.bold_wrap)?;
    ws.write_string_with_format(SCALE_TITLE_ROW + 1, 1, "Signification", &s.bold_wrap)?;
    let pass = referential.pass_value();
    let (first, _) = scale_rows(labels.len());
    let mut row = first;
    for level in &referential.scale.levels {
        let meaning = if level.value >= pass {
            "le critère est acquis"
        } else {
            "le critère n'est pas acquis"
        };
        ws.write_string_with_format(row, 0, &level.label, &s.wrap)?;
        ws.write_string_with_format(row, 1, meaning, &s.wrap)?;
        row += 1;
    }
    ws.write_string_with_format(row, 0, ABSENT, &s.wrap)?;
    ws.write_string_with_format(
        row,
        1,
        "le candidat était absent (à choisir pour tous ses critères)",
        &s.wrap,
    )?;
    Ok(row)
}

/// Every competency (code and title) followed by its criteria, from `row`.
fn criteria_list(
    ws: &mut Worksheet,
    mut row: u32,
    referential: &Referential,
    s: &Styles,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, 0, "Critères", &s.title)?;
    row += 1;
    for competency in &referential.competencies {
        ws.write_string_with_format(row, 0, &competency.code, &s.bold_wrap)?;
        ws.write_string_with_format(row, 1, &competency.title, &s.bold_wrap)?;
        ws.set_row_height(row, text_height(&competency.title))?;
        row += 1;
        for criterion in &competency.criteria {
            ws.write_string_with_format(row, 0, &criterion.code, &s.wrap)?;
            ws.write_string_with_format(row, 1, &criterion.title, &s.wrap)?;
            ws.set_row_height(row, text_height(&criterion.title))?;
            row += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SESSION: &str = r#"
[session]
id = "S1"
referential = "community-management"
date = 2026-11-27
place = "Lyon"
certifier = "Organisme"

[[jury]]
name = "Claire Martin"
role = "Présidente"
groups = ["A", "B"]
[[jury]]
name = "Paul Durand"
role = "Professionnel"
groups = ["a"]
[[jury]]
name = "Sophie Bernard"
role = "Professionnelle"
"#;

    fn candidate(id: &str, jury: Option<&str>, recevable: bool) -> Candidate {
        Candidate {
            id: id.into(),
            last_name: "N".into(),
            first_name: "P".into(),
            prerequisites_met: recevable,
            extra: jury
                .map(|j| vec![("Commission ".to_string(), j.to_string())])
                .unwrap_or_default(),
            ..Candidate::default()
        }
    }

    fn ids(plan: &Plan, juror: usize) -> Vec<String> {
        plan.grids[juror]
            .candidates
            .iter()
            .map(|c| c.id.clone())
            .collect()
    }

    #[test]
    fn candidates_go_to_the_jurors_their_cell_names() {
        let config = SessionConfig::parse(SESSION, "session.toml").unwrap();
        let candidates = vec![
            candidate("1", Some("A"), true),
            candidate("2", Some("b"), true),
            candidate("3", None, true),
            candidate("4", Some("sophie  BERNARD ; A"), true),
            candidate("5", Some("A"), false),
            candidate("6", Some("Z"), true),
            candidate("1", Some("B"), true),
        ];
        let plan = plan(&config, &candidates).unwrap();
        assert_eq!(ids(&plan, 0), ["1", "2", "3", "4"]);
        assert_eq!(ids(&plan, 1), ["1", "3", "4"]);
        assert_eq!(ids(&plan, 2), ["3", "4"]);
        assert_eq!(
            plan.unknown_names,
            [("Z".to_string(), vec!["6".to_string()])]
        );
        assert_eq!(plan.unassigned, ["6"]);
    }

    /// Claire Martin's grid listing `ids` (levels left empty).
    fn claire_lists(ids: &[&str], config: &SessionConfig, referential: &Referential) -> GridSheet {
        let mut rows: Vec<Vec<&str>> = vec![
            vec!["Évaluateur :", "Claire Martin"],
            vec!["N° candidat", "Cr1.1"],
        ];
        rows.extend(ids.iter().map(|id| vec![*id]));
        let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
        let sheet = jury_core::sheet::sheet_from_text("Grille", &rows);
        jury_core::grids::read_grid_sheet(&sheet, "grilles/g.xlsx", "g", referential, config)
            .unwrap()
    }

    #[test]
    fn complements_list_what_each_juror_lacks_under_a_free_name() {
        let config = SessionConfig::parse(SESSION, "session.toml").unwrap();
        let referential = Referential::parse(jury_core::referential::BUILT_IN[0].1, "r").unwrap();
        let candidates = vec![
            candidate("1", Some("A"), true),
            candidate("2", Some("A"), true),
            candidate("3", None, true),
        ];
        let existing = [claire_lists(&["1", "2"], &config, &referential)];
        let taken = |name: &str| name == "grille-claire-martin-complement.xlsx";
        let grids = complements(plan(&config, &candidates).unwrap(), &existing, taken);
        let summary: Vec<(&str, Vec<&str>, bool)> = grids
            .iter()
            .map(|g| {
                let ids = g.candidates.iter().map(|c| c.id.as_str()).collect();
                (g.file_name.as_str(), ids, g.complement)
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("grille-claire-martin-complement-2.xlsx", vec!["3"], true),
                ("grille-paul-durand.xlsx", vec!["1", "2", "3"], false),
                ("grille-sophie-bernard.xlsx", vec!["3"], false),
            ]
        );
        assert_eq!(candidate_count(0), "aucun candidat");
        assert_eq!(candidate_count(1), "1 candidat");
        assert_eq!(candidate_count(2), "2 candidats");
    }

    #[test]
    fn file_names_are_safe_and_distinct() {
        assert_eq!(file_name("Claire Martin"), "grille-claire-martin.xlsx");
        assert_eq!(file_name("Hélène O'Brien"), "grille-helene-o-brien.xlsx");
        assert_eq!(file_name("../../etc/passwd"), "grille-etc-passwd.xlsx");
        assert_eq!(file_name("  ?? "), "grille-membre.xlsx");
        let text = SESSION.replace("Sophie Bernard", "claire.martin");
        let config = SessionConfig::parse(&text, "session.toml").unwrap();
        let err = plan(&config, &[]).unwrap_err();
        assert!(err.contains("grille-claire-martin.xlsx"), "{err}");
    }

    #[test]
    fn the_same_inputs_give_the_same_bytes() {
        let config = SessionConfig::parse(SESSION, "session.toml").unwrap();
        let referential = Referential::parse(jury_core::referential::BUILT_IN[0].1, "r").unwrap();
        let candidates = vec![candidate("000123", Some("A"), true)];
        let plan = plan(&config, &candidates).unwrap();
        let a = render(&config, &referential, &plan.grids[0]).unwrap();
        let b = render(&config, &referential, &plan.grids[0]).unwrap();
        assert_eq!(a, b);
    }
}

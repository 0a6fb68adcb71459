//! Grid sheets (grilles): the levels each juror gave, read from a wide sheet (one row per
//! candidate, one column per criterion) or a long one (one row per level).
//!
//! A sheet with no grid header is not a grid and is skipped. Every problem of a cell
//! becomes a finding at that cell; the reading goes on.

use crate::candidates::is_name_header;
use crate::finding::{CellRef, Code, Finding};
use crate::header::{
    did_you_mean, extra_column, is_header, leftmost, nearest_header, other_headers, quoted_list,
    HEADER_SEARCH_ROWS, ID_HEADERS,
};
use crate::referential::{Mark, Referential};
use crate::session::SessionConfig;
use crate::sheet::{Date, Hidden, Sheet, Value};
use crate::text::{looks_like_code, nearest};
use crate::wording::of_name;

const JUROR_LABELS: &[&str] = &[
    "Évaluateur",
    "Évaluatrice",
    "Juré",
    "Jurée",
    "Jury",
    "Examinateur",
    "Examinatrice",
];
const CRITERION_HEADERS: &[&str] = &["Critère", "Code critère", "Critères"];
const LEVEL_HEADERS: &[&str] = &[
    "Niveau",
    "Résultat",
    "Évaluation",
    "Niveau atteint",
    "Niveau obtenu",
    "Note",
];
const COMMENT_HEADERS: &[&str] = &[
    "Observations",
    "Observation",
    "Commentaire",
    "Commentaires",
    "Remarques",
    "Observations du jury",
    "Commentaire du jury",
];

/// What a grid reads besides the criteria, as `extra-column` hints list it.
const WIDE_COLUMNS: &str =
    "N° candidat, Nom, Prénom, Observations, et une colonne par code de critère (Cr1.1…)";
const LONG_COLUMNS: &str = "N° candidat, Critère, Niveau, Évaluateur, Commentaire (et Nom, Prénom)";

/// A level given by a juror, with the cell that holds it (in the sheet of its row, see
/// [`GridRow::cell_of`]: a session holds millions of levels, so they keep no names).
#[derive(Debug, Clone, PartialEq)]
pub struct GivenLevel {
    /// Index into the referential's scale.
    pub level: usize,
    /// The cell's 0-based row and column.
    pub row: u32,
    pub col: u32,
    /// The cell holds a formula: the level is the value the spreadsheet cached (it counts).
    pub formula: bool,
    /// The cell was out of sight in the spreadsheet (hidden sheet, column or row); it counts.
    pub hidden: Option<Hidden>,
    /// The sheet holding the cell: 0 for the sheet of the row's id cell, `k` for the row's
    /// `sources[k - 1]` (a juror's row united from several sheets, see `core::juror_grids`).
    pub source: u16,
}

/// What a juror's row says about a candidate as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// Levels were given (some cells may have errors).
    Graded,
    /// Every criterion cell says ABS.
    Absent,
    /// Every criterion cell is empty: this juror did not grade the candidate.
    Ungraded,
}

/// One juror's grading of one candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct GridRow {
    /// The jury member's name as written in `session.toml`, or the name found when unknown.
    pub juror: String,
    pub known_juror: bool,
    pub candidate: String,
    pub id_cell: CellRef,
    pub kind: RowKind,
    /// One entry per criterion, in referential order: the valid level given, if any.
    pub levels: Vec<Option<GivenLevel>>,
    pub comment: Option<String>,
    /// Last and first names written in the grid, with their cells, for `name-mismatch`.
    pub names: Vec<(bool, String, CellRef)>,
    /// The other sheets this row took levels from, when a juror's rows for the candidate in
    /// several sheets or files were united (`core::juror_grids`); usually empty.
    pub sources: Vec<CellRef>,
}

impl GivenLevel {
    /// The cell as people name it (`D6`).
    pub fn a1(&self) -> String {
        crate::text::a1(self.row, self.col)
    }
}

impl GridRow {
    /// Where a level of this row was read (the sheet of the row's id cell, or the other
    /// sheet it came from).
    pub fn cell_of(&self, given: &GivenLevel) -> CellRef {
        let sheet = usize::from(given.source)
            .checked_sub(1)
            .and_then(|k| self.sources.get(k))
            .unwrap_or(&self.id_cell);
        sheet.moved_to(given.row, given.col)
    }
}

/// What one sheet gave.
#[derive(Debug, Default)]
pub struct GridSheet {
    pub rows: Vec<GridRow>,
    pub findings: Vec<Finding>,
    /// The workbook (relative to the session) and its recorded modification date.
    pub file: String,
    pub modified: Option<Date>,
    /// The sheet looks like a grid that lacks a column to read its levels (criterion
    /// headers without an id column, a `Critère` column without a level column): a
    /// `missing-field` says so, none of its levels is read, and nobody is said to lack a grid.
    pub unread: bool,
}

/// Reads a sheet as a grid, or `None` when it holds no grid header.
/// `stem` is the file name without extension (a fallback to name the juror).
pub fn read_grid_sheet(
    sheet: &Sheet,
    file: &str,
    stem: &str,
    referential: &Referential,
    session: &SessionConfig,
) -> Option<GridSheet> {
    let ctx = Ctx {
        sheet,
        file,
        origin: CellRef::new(file, &sheet.name, 0, 0),
        referential,
        session,
    };
    for row in 0..sheet.row_count().min(HEADER_SEARCH_ROWS) {
        let Some(id_col) = leftmost(sheet, row, ID_HEADERS) else {
            continue;
        };
        let mut grid = if let (Some(crit_col), Some(level_col)) = (
            leftmost(sheet, row, CRITERION_HEADERS),
            leftmost(sheet, row, LEVEL_HEADERS),
        ) {
            ctx.read_long(row, id_col, crit_col, level_col, stem)
        } else if sheet.row(row).any(|(_, v)| {
            v.text()
                .is_some_and(|t| referential.match_criterion(&t).is_some())
        }) {
            ctx.read_wide(row, id_col, stem)
        } else {
            continue;
        };
        grid.file = file.to_string();
        grid.modified = sheet.modified;
        return Some(grid);
    }
    ctx.unread_grid(stem)
}

struct Ctx<'a> {
    sheet: &'a Sheet,
    file: &'a str,
    /// A1 of this sheet: every cell reference shares its file and sheet names.
    origin: CellRef,
    referential: &'a Referential,
    session: &'a SessionConfig,
}

/// The juror a sheet belongs to: known (canonical name) or not (the name to report).
struct Juror {
    name: String,
    known: bool,
}

impl Ctx<'_> {
    fn cell(&self, row: u32, col: u32) -> CellRef {
        self.origin.moved_to(row, col)
    }

    /// A sheet that is a grid but for one column `jury` cannot find: a row of at least two
    /// criterion headers without an id header, or an id and a `Critère` header without a
    /// level header. Reported instead of skipped as « not a grid ».
    fn unread_grid(&self, stem: &str) -> Option<GridSheet> {
        let is_criterion = |v: &Value| {
            v.text()
                .is_some_and(|t| self.referential.match_criterion(&t).is_some())
        };
        let (row, col, (missing, column), accepted) =
            (0..self.sheet.row_count().min(HEADER_SEARCH_ROWS)).find_map(|r| {
                let id = leftmost(self.sheet, r, ID_HEADERS);
                let criterion = leftmost(self.sheet, r, CRITERION_HEADERS);
                let level = leftmost(self.sheet, r, LEVEL_HEADERS);
                let first = self.sheet.row(r).map(|(c, _)| c).next().unwrap_or_default();
                if id.is_none() && self.sheet.row(r).filter(|(_, v)| is_criterion(v)).count() >= 2 {
                    Some((
                        r,
                        first,
                        ("de numéro de candidat", "des numéros"),
                        ID_HEADERS,
                    ))
                } else if let (Some(_), Some(_), None) = (id, criterion, level) {
                    Some((r, first, ("de niveau", "des niveaux"), LEVEL_HEADERS))
                } else {
                    None
                }
            })?;
        let mut out = GridSheet {
            file: self.file.to_string(),
            modified: self.sheet.modified,
            unread: true,
            ..GridSheet::default()
        };
        // A long grid may name its jurors in a column: then no one juror is the sheet's.
        let juror = match leftmost(self.sheet, row, JUROR_LABELS) {
            Some(_) => None,
            None => {
                let (juror, unknown) = self.sheet_juror(row, stem);
                out.findings.extend(unknown);
                Some(juror.name)
            }
        };
        let missing_field = Finding::new(
                Code::MissingField,
                format!(
                    "La ligne d'en-têtes de cette grille (ligne {}) n'a pas de colonne {missing} : aucun de ses niveaux n'est lu.",
                    row + 1
                ),
            )
            .at(&self.cell(row, col))
            .hint(format!(
                "Intitulez la colonne {column} avec l'un des en-têtes acceptés : {}.",
                quoted_list(accepted)
            ));
        out.findings.push(match &juror {
            Some(name) => missing_field.juror(name),
            None => missing_field,
        });
        Some(out)
    }

    /// `extra-column` for a header that is neither a criterion nor a column of the grid.
    fn unread_column(&self, text: &str, cell: &CellRef, read: &str) -> Finding {
        let known = ID_HEADERS
            .iter()
            .chain(COMMENT_HEADERS)
            .chain(CRITERION_HEADERS)
            .chain(LEVEL_HEADERS)
            .chain(JUROR_LABELS)
            .copied();
        let finding = extra_column(
            text,
            cell,
            "n'est pas lue : ce n'est ni un critère du référentiel ni une colonne connue de la grille.",
        );
        match nearest_header(text, known) {
            Some(near) => finding.hint(did_you_mean(near)),
            None => finding.hint(format!(
                "Colonnes lues : {read}. Si elle sert à votre propre suivi, il n'y a rien à faire."
            )),
        }
    }

    /// `extra-column` for a second column of a criterion, a name or the observations.
    fn repeated_column(&self, text: &str, cell: &CellRef, first: u32, juror: &str) -> Finding {
        extra_column(
            text,
            cell,
            &format!(
                "n'est pas lue : elle répète la colonne {}, qui seule est lue.",
                crate::text::column_letters(first)
            ),
        )
        .juror(juror)
        .hint("Supprimez la colonne en double, ou recopiez ses valeurs dans la première.")
    }

    /// The names next to `Évaluateur :` labels above the header (or after the colon in the
    /// label's own cell), in reading order. A sheet may have several labelled cells, such
    /// as a title `Jury : CM-2026-11` above `Évaluateur : Claire Martin`.
    fn labelled_jurors(&self, header_row: u32) -> Vec<String> {
        let mut names = Vec::new();
        for row in 0..header_row {
            let mut cells = self.sheet.row(row);
            while let Some((_, value)) = cells.next() {
                let Some(text) = value.text() else { continue };
                if is_header(&text, JUROR_LABELS) {
                    // The first cell with text to the right (the loop goes on after it).
                    names.extend(cells.clone().find_map(|(_, v)| v.text()));
                } else if let Some((label, name)) = text.split_once(':') {
                    if is_header(label, JUROR_LABELS) && !name.trim().is_empty() {
                        names.push(name.trim().to_string());
                    }
                }
            }
        }
        names
    }

    /// The labelled names, the sheet name, the file stem: the first that is a jury member.
    /// When none is, the juror reported is the labelled name nearest the header, else the
    /// sheet name.
    fn sheet_juror(&self, header_row: u32, stem: &str) -> (Juror, Option<Finding>) {
        let labelled = self.labelled_jurors(header_row);
        let tries = labelled
            .iter()
            .map(String::as_str)
            .chain([self.sheet.name.as_str(), stem]);
        if let Some(member) = tries.into_iter().find_map(|name| self.session.juror(name)) {
            return (
                Juror {
                    name: member.name.clone(),
                    known: true,
                },
                None,
            );
        }
        let name = labelled
            .last()
            .cloned()
            .unwrap_or_else(|| self.sheet.name.clone());
        let finding = self.unknown_juror(&name);
        (Juror { name, known: false }, Some(finding))
    }

    fn unknown_juror(&self, name: &str) -> Finding {
        let members: Vec<&str> = self.session.jury.iter().map(|m| m.name.as_str()).collect();
        let mut finding = Finding::new(
            Code::UnknownJuror,
            format!(
                "Aucun membre du jury déclaré dans session.toml ne s'appelle « {name} » (évaluateur de cette grille)."
            ),
        )
        .in_sheet(self.file, &self.sheet.name)
        .juror(name);
        finding = match nearest(name, members.iter().copied()) {
            Some(near) => finding.hint(format!("Vouliez-vous dire « {near} » ?")),
            None => finding.hint(format!(
                "Écrivez le nom de l'évaluateur à droite de la cellule « Évaluateur : » ; membres du jury : {}.",
                members.join(", ")
            )),
        };
        finding
    }

    /// Reads one level cell: `Ok(None)` when empty, the mark, or an `invalid-level` finding
    /// (`whose`: « pour le candidat …, critère … »).
    fn read_mark(
        &self,
        value: &Value,
        cell: &CellRef,
        whose: &str,
    ) -> Result<Option<Mark>, Box<Finding>> {
        let text = match value {
            Value::Empty => return Ok(None),
            Value::Number(n) => match self.referential.match_level_value(*n) {
                Some(level) => return Ok(Some(Mark::Level(level))),
                None => value.text().unwrap_or_default(),
            },
            Value::Text(t) if t.trim().is_empty() => return Ok(None),
            Value::Text(t) => match self.referential.match_level_text(t) {
                Some(mark) => return Ok(Some(mark)),
                None => t.trim().to_string(),
            },
            other => other.text().unwrap_or_default(),
        };
        let labels: Vec<&str> = self
            .referential
            .scale
            .levels
            .iter()
            .map(|l| l.label.as_str())
            .collect();
        let mut finding = Finding::new(
            Code::InvalidLevel,
            format!("Niveau « {text} » non reconnu {whose}."),
        )
        .at(cell)
        .hint(format!(
            "Niveaux acceptés : {}, ou ABS en cas d'absence.",
            labels.join(", ")
        ));
        if let Some(near) = nearest(&text, self.referential.level_words()) {
            let label = self
                .referential
                .match_level_text(near)
                .and_then(|m| match m {
                    Mark::Level(i) => self
                        .referential
                        .scale
                        .levels
                        .get(i)
                        .map(|l| l.label.as_str()),
                    Mark::Absent => None,
                })
                .unwrap_or(near);
            finding = finding.hint(format!("Vouliez-vous dire « {label} » ?"));
        }
        Err(Box::new(finding))
    }

    fn read_wide(&self, header_row: u32, id_col: u32, stem: &str) -> GridSheet {
        let mut out = GridSheet::default();
        let (juror, unknown) = self.sheet_juror(header_row, stem);
        out.findings.extend(unknown);
        let n = self.referential.criterion_count();
        let mut columns: Vec<Option<u32>> = vec![None; n];
        let mut comment_col = None;
        let mut name_cols: Vec<(bool, u32)> = Vec::new();
        for (c, value) in self.sheet.row(header_row) {
            let Some(text) = value.text() else {
                continue;
            };
            if c == id_col {
                continue;
            }
            let cell = self.cell(header_row, c);
            if let Some(i) = self.referential.match_criterion(&text) {
                match columns[i] {
                    None => columns[i] = Some(c),
                    Some(first) => {
                        out.findings
                            .push(self.repeated_column(&text, &cell, first, &juror.name))
                    }
                }
            } else if let Some(last) = is_name_header(&text) {
                match name_cols.iter().find(|(l, _)| *l == last) {
                    None => name_cols.push((last, c)),
                    Some((_, first)) => {
                        out.findings
                            .push(self.repeated_column(&text, &cell, *first, &juror.name))
                    }
                }
            } else if is_header(&text, COMMENT_HEADERS) {
                match comment_col {
                    None => comment_col = Some(c),
                    Some(first) => {
                        out.findings
                            .push(self.repeated_column(&text, &cell, first, &juror.name))
                    }
                }
            } else if !looks_like_code(&text) {
                out.findings.push(
                    self.unread_column(&text, &cell, WIDE_COLUMNS)
                        .juror(&juror.name),
                );
            } else {
                out.findings.push(
                    Finding::new(
                        Code::UnknownCriterion,
                        format!(
                            "L'en-tête « {text} » ne correspond à aucun critère du référentiel."
                        ),
                    )
                    .at(&self.cell(header_row, c))
                    .hint(
                        "Corrigez le code du critère (par exemple Cr1.1) ou supprimez la colonne.",
                    ),
                );
            }
        }
        for (i, (_, criterion)) in self.referential.criteria().enumerate() {
            if columns[i].is_none() {
                out.findings.push(
                    Finding::new(
                        Code::MissingCriterionColumn,
                        format!(
                            "La colonne du critère {} est absente de cette grille.",
                            criterion.code
                        ),
                    )
                    .at(&self.cell(header_row, id_col))
                    .criterion(&criterion.code)
                    .juror(&juror.name)
                    .hint(format!(
                        "Ajoutez une colonne intitulée « {} » sur la ligne d'en-têtes.",
                        criterion.code
                    )),
                );
            }
        }
        for row in header_row + 1..self.sheet.row_count() {
            if self.sheet.is_blank_row(row) {
                continue;
            }
            let cells: Vec<(usize, CellRef, &Value)> = columns
                .iter()
                .enumerate()
                .filter_map(|(i, c)| c.map(|c| (i, self.cell(row, c), self.sheet.get(row, c))))
                .collect();
            let id_cell = self.cell(row, id_col);
            let Some(id) = self.sheet.get(row, id_col).text() else {
                if cells.iter().any(|(_, _, v)| !v.is_blank()) {
                    out.findings.push(
                        Finding::new(
                            Code::MissingField,
                            format!(
                                "Ligne {} : des niveaux sont saisis sans numéro de candidat.",
                                row + 1
                            ),
                        )
                        .at(&id_cell)
                        .juror(&juror.name),
                    );
                }
                continue;
            };
            let marks: Vec<(usize, CellRef, &Value)> = cells;
            let expected = marks.len();
            let grid_row = self.grade_row(&juror, &id, id_cell, marks, expected, &mut out.findings);
            let mut grid_row = grid_row;
            grid_row.comment = comment_col.and_then(|c| self.sheet.get(row, c).text());
            grid_row.names = name_cols
                .iter()
                .filter_map(|(last, c)| {
                    Some((*last, self.sheet.get(row, *c).text()?, self.cell(row, *c)))
                })
                .collect();
            out.rows.push(grid_row);
        }
        out
    }

    /// Turns the level cells of one juror × candidate into a row, with its findings.
    /// `expected` is how many criterion cells the row should have: ABS in fewer is a
    /// partial absence.
    fn grade_row(
        &self,
        juror: &Juror,
        id: &str,
        id_cell: CellRef,
        cells: Vec<(usize, CellRef, &Value)>,
        expected: usize,
        findings: &mut Vec<Finding>,
    ) -> GridRow {
        let mut row = GridRow {
            juror: juror.name.clone(),
            known_juror: juror.known,
            candidate: id.to_string(),
            id_cell,
            kind: RowKind::Graded,
            levels: vec![None; self.referential.criterion_count()],
            comment: None,
            names: Vec::new(),
            sources: Vec::new(),
        };
        if cells.iter().all(|(_, _, v)| v.is_blank()) {
            row.kind = RowKind::Ungraded;
            findings.push(
                Finding::new(
                    Code::UngradedRow,
                    format!("Le candidat {id} n'a aucun niveau dans la grille {} : ligne non prise en compte.", of_name(&juror.name)),
                )
                .at(&row.id_cell)
                .candidate(id)
                .juror(&juror.name),
            );
            return row;
        }
        let mut absent = 0;
        let mut problems = Vec::new();
        for (i, cell, value) in &cells {
            let code = self.criterion_code(*i);
            let whose = format!("pour le candidat {id}, critère {code}");
            let problem = match self.read_mark(value, cell, &whose) {
                Ok(Some(Mark::Level(level))) => {
                    row.levels[*i] = Some(GivenLevel {
                        level,
                        row: cell.row,
                        col: cell.col,
                        formula: self.sheet.is_formula(cell.row, cell.col),
                        hidden: self.sheet.hidden_at(cell.row, cell.col),
                        source: 0,
                    });
                    None
                }
                Ok(Some(Mark::Absent)) => {
                    absent += 1;
                    None
                }
                Ok(None) => Some(
                    Finding::new(
                        Code::MissingLevel,
                        format!("Niveau manquant pour le candidat {id}, critère {code}."),
                    )
                    .at(cell)
                    .hint("Saisissez un niveau, ou ABS en cas d'absence."),
                ),
                Err(finding) => Some(*finding),
            };
            if let Some(problem) = problem {
                problems.push(problem.candidate(id).criterion(code).juror(&juror.name));
            }
        }
        if absent > 0 && absent == expected {
            row.kind = RowKind::Absent;
        } else if absent > 0 {
            findings.push(
                Finding::new(
                    Code::PartialAbsence,
                    format!(
                        "Le candidat {id} est marqué ABS sur {absent} {} seulement dans la grille {}.",
                        if absent > 1 { "critères" } else { "critère" },
                        of_name(&juror.name)
                    ),
                )
                .at(&row.id_cell)
                .candidate(id)
                .juror(&juror.name)
                .hint("En cas d'absence, saisissez ABS sur tous les critères ; sinon, saisissez un niveau partout."),
            );
        }
        if absent > 0 {
            // The partial absence is the root cause; its empty cells are not reported again.
            problems.retain(|f| f.code != Code::MissingLevel);
        }
        findings.extend(problems);
        row
    }

    fn criterion_code(&self, index: usize) -> &str {
        self.referential
            .criteria()
            .nth(index)
            .map_or("", |(_, c)| c.code.as_str())
    }

    fn read_long(
        &self,
        header_row: u32,
        id_col: u32,
        crit_col: u32,
        level_col: u32,
        stem: &str,
    ) -> GridSheet {
        let mut out = GridSheet::default();
        let juror_col = leftmost(self.sheet, header_row, JUROR_LABELS);
        let comment_col = leftmost(self.sheet, header_row, COMMENT_HEADERS);
        let mut known = vec![id_col, crit_col, level_col];
        known.extend(juror_col.into_iter().chain(comment_col));
        for (c, text) in other_headers(self.sheet, header_row, &known) {
            if is_name_header(&text).is_none() {
                let cell = self.cell(header_row, c);
                out.findings
                    .push(self.unread_column(&text, &cell, LONG_COLUMNS));
            }
        }
        let sheet_juror = match juror_col {
            Some(_) => None,
            None => {
                let (juror, unknown) = self.sheet_juror(header_row, stem);
                out.findings.extend(unknown);
                Some(juror)
            }
        };
        // (juror, candidate) → cells per criterion, in order of first appearance.
        struct Group<'v> {
            juror: Juror,
            id: String,
            id_cell: CellRef,
            cells: Vec<(usize, CellRef, &'v Value)>,
            comment: Option<String>,
        }
        let mut groups: Vec<Group> = Vec::new();
        let mut unknown_reported: Vec<String> = Vec::new();
        let n = self.referential.criterion_count();
        for row in header_row + 1..self.sheet.row_count() {
            if self.sheet.is_blank_row(row) {
                continue;
            }
            let id_cell = self.cell(row, id_col);
            let level_given = !self.sheet.get(row, level_col).is_blank();
            let Some(id) = self.sheet.get(row, id_col).text() else {
                if level_given {
                    out.findings.push(
                        Finding::new(
                            Code::MissingField,
                            format!(
                                "Ligne {} : un niveau est saisi sans numéro de candidat.",
                                row + 1
                            ),
                        )
                        .at(&id_cell),
                    );
                }
                continue;
            };
            let juror = match (&sheet_juror, juror_col) {
                (Some(j), _) => Juror {
                    name: j.name.clone(),
                    known: j.known,
                },
                (None, Some(c)) => {
                    let written = self.sheet.get(row, c).text().unwrap_or_default();
                    match self.session.juror(&written) {
                        Some(m) => Juror {
                            name: m.name.clone(),
                            known: true,
                        },
                        None => {
                            if !unknown_reported.contains(&written) {
                                out.findings
                                    .push(self.unknown_juror(&written).at(&self.cell(row, c)));
                                unknown_reported.push(written.clone());
                            }
                            Juror {
                                name: written,
                                known: false,
                            }
                        }
                    }
                }
                (None, None) => continue,
            };
            let crit_cell = self.cell(row, crit_col);
            let Some(crit_text) = self.sheet.get(row, crit_col).text() else {
                if level_given {
                    out.findings.push(
                        Finding::new(
                            Code::MissingField,
                            format!(
                                "Ligne {} : un niveau est saisi sans code de critère.",
                                row + 1
                            ),
                        )
                        .at(&crit_cell)
                        .candidate(&id)
                        .juror(&juror.name)
                        .hint("Écrivez le code du critère (par exemple Cr1.1) dans la colonne Critère."),
                    );
                }
                continue;
            };
            let Some(criterion) = self.referential.match_criterion(&crit_text) else {
                let codes: Vec<&str> = self
                    .referential
                    .criteria()
                    .map(|(_, c)| c.code.as_str())
                    .collect();
                let mut f = Finding::new(
                    Code::UnknownCriterion,
                    format!("Le critère « {crit_text} » n'existe pas dans le référentiel."),
                )
                .at(&crit_cell)
                .candidate(&id)
                .juror(&juror.name);
                if let Some(near) = nearest(&crit_text, codes.iter().copied()) {
                    f = f.hint(format!("Vouliez-vous dire « {near} » ?"));
                }
                out.findings.push(f);
                continue;
            };
            let index = groups
                .iter()
                .position(|g| g.id == id && g.juror.name == juror.name);
            let group = match index {
                Some(i) => &mut groups[i],
                None => {
                    groups.push(Group {
                        juror,
                        id: id.clone(),
                        id_cell: id_cell.clone(),
                        cells: Vec::new(),
                        comment: None,
                    });
                    let last = groups.len() - 1;
                    &mut groups[last]
                }
            };
            if group.cells.iter().any(|(i, _, _)| *i == criterion) {
                out.findings.push(
                    Finding::new(
                        Code::DuplicateLevel,
                        format!(
                            "Le critère {} du candidat {id} est noté deux fois par {}.",
                            self.criterion_code(criterion),
                            group.juror.name
                        ),
                    )
                    .at(&id_cell)
                    .candidate(&id)
                    .criterion(self.criterion_code(criterion))
                    .juror(&group.juror.name),
                );
                continue;
            }
            group.cells.push((
                criterion,
                self.cell(row, level_col),
                self.sheet.get(row, level_col),
            ));
            if group.comment.is_none() {
                group.comment = comment_col.and_then(|c| self.sheet.get(row, c).text());
            }
        }
        for group in groups {
            let mut missing_rows = Vec::new();
            for (i, (_, criterion)) in self.referential.criteria().enumerate() {
                if !group.cells.iter().any(|(c, _, _)| *c == i)
                    && group.cells.iter().any(|(_, _, v)| !v.is_blank())
                {
                    missing_rows.push(
                        Finding::new(
                            Code::MissingLevel,
                            format!(
                                "Aucune ligne pour le critère {} du candidat {} dans la grille {}.",
                                criterion.code,
                                group.id,
                                of_name(&group.juror.name)
                            ),
                        )
                        .at(&group.id_cell)
                        .candidate(&group.id)
                        .criterion(&criterion.code)
                        .juror(&group.juror.name),
                    );
                }
            }
            // A missing row is a criterion left empty: ABS on every row there is, with a
            // row missing, is a partial absence, which then stands for the missing rows.
            let mut graded = Vec::new();
            let mut row = self.grade_row(
                &group.juror,
                &group.id,
                group.id_cell.clone(),
                group.cells,
                n,
                &mut graded,
            );
            if !graded.iter().any(|f| f.code == Code::PartialAbsence) {
                out.findings.extend(missing_rows);
            }
            out.findings.extend(graded);
            row.comment = group.comment;
            out.rows.push(row);
        }
        out
    }
}

#[cfg(test)]
mod tests;

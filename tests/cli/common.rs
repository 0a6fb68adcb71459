//! The test bench: a session folder described in memory, written into a temporary folder at
//! test time; a runner that calls the real `jury` binary (or another program) and keeps what
//! it printed; and readers of what it wrote (sheets, zip parts, JSON).
//!
//! [`Session::new`] is a clean session (no finding at all): the default `session.toml`
//! (jurors Claire Martin, présidente, and Paul Durand, external; consensus; `min_jurors = 2`;
//! the built-in `community-management` referential), two candidates and one wide grid per
//! juror, every level « Acquis ». [`Session::with`] is the same with `n` candidates. A test
//! changes one thing (a cell, a sheet, a file, a line of TOML, a hidden row, the date a
//! workbook was saved), runs `check`, and asserts the findings as `(code, file, sheet, cell)`
//! tuples and the exit status. When an assertion fails, the command, its folder, status,
//! stdout and stderr are printed. Nothing here knows how `jury` works inside.
//!
//! The default grids (`CLAIRE`, `PAUL`, sheet `Grille`):
//!
//! ```text
//!    A              B        C       D      E      F      G      H      I    J      K      L    M    N      O
//! 1  Évaluateur :   <juror>
//! 3  N° candidat    Nom      Prénom  Cr1.1  Cr1.2  Cr1.3  Cr1.4  Cr1.5  Cr2  Cr3.1  Cr3.2  Cr4  Cr5  Cr6.1  Cr6.2
//! 4  2026001        Durand   Alice   Acquis …
//! 5  2026002        Petit    Bruno   Acquis …
//! ```
//!
//! The candidates (`CANDIDATES`, sheet `Candidats`): header on row 1, 2026001 on row 2,
//! 2026002 on row 3.
//!
//! Tests that start from the committed sample session instead use `sample.rs`, which runs
//! the binary through [`jury_in`] here.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{open_workbook_auto, Data, Reader};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Formula, Workbook};
use serde_json::Value as Json;
use tempfile::TempDir;

pub const CANDIDATES: &str = "candidats.xlsx";
pub const CLAIRE: &str = "grilles/grille-claire-martin.xlsx";
pub const PAUL: &str = "grilles/grille-paul-durand.xlsx";
pub const DELIBERATION: &str = "deliberation.xlsx";
pub const GRID: &str = "Grille";

/// The 12 criteria of the built-in referential, in order (columns D to O of a default grid).
pub const CRITERIA: [&str; 12] = [
    "Cr1.1", "Cr1.2", "Cr1.3", "Cr1.4", "Cr1.5", "Cr2", "Cr3.1", "Cr3.2", "Cr4", "Cr5", "Cr6.1",
    "Cr6.2",
];

/// The two default candidates: id, last name, first name.
pub const PEOPLE: [(&str, &str, &str); 2] = [
    ("2026001", "Durand", "Alice"),
    ("2026002", "Petit", "Bruno"),
];

// The session of most tests, also the hostile corpus's (examples/make_hostile_corpus.rs).
include!("../support/session_toml.rs");

// ---------------------------------------------------------------------------------------------
// Cells and sheets
// ---------------------------------------------------------------------------------------------

/// One cell as a spreadsheet stores it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A real date cell (a number with a `dd/mm/yyyy` format).
    Date(u16, u8, u8),
    /// A formula and the value the spreadsheet cached for it (`#N/A` makes an error cell,
    /// `""` an empty cached value).
    Formula(String, String),
}

impl From<&str> for Cell {
    /// `""` is an empty cell; anything else is text, as typed (spaces kept).
    fn from(text: &str) -> Cell {
        if text.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text.to_string())
        }
    }
}

impl From<f64> for Cell {
    fn from(n: f64) -> Cell {
        Cell::Number(n)
    }
}

impl From<i32> for Cell {
    fn from(n: i32) -> Cell {
        Cell::Number(f64::from(n))
    }
}

impl From<bool> for Cell {
    fn from(b: bool) -> Cell {
        Cell::Bool(b)
    }
}

pub fn date(year: u16, month: u8, day: u8) -> Cell {
    Cell::Date(year, month, day)
}

pub fn formula(formula: &str, cached: &str) -> Cell {
    Cell::Formula(formula.to_string(), cached.to_string())
}

pub type Rows = Vec<Vec<Cell>>;

/// A row of cells from values of mixed kinds: `row!["2026001", 12, date(1990, 5, 12)]`.
macro_rules! row {
    ($($cell:expr),* $(,)?) => { vec![$($crate::common::Cell::from($cell)),*] };
}

/// Rows of text cells (`""` is empty); use [`Session::set`] for numbers, dates and formulas.
pub fn rows(text: &[&[&str]]) -> Rows {
    text.iter()
        .map(|r| r.iter().map(|s| Cell::from(*s)).collect())
        .collect()
}

/// The header of a default wide grid: id, names, then every criterion.
pub fn wide_header() -> Vec<Cell> {
    ["N° candidat", "Nom", "Prénom"]
        .into_iter()
        .chain(CRITERIA)
        .map(Cell::from)
        .collect()
}

/// A wide grid labelled with `juror`, one row per person, every level `level`.
pub fn wide_grid(juror: &str, people: &[(&str, &str, &str)], level: &str) -> Rows {
    let mut out = rows(&[&["Évaluateur :", juror], &[]]);
    out.push(wide_header());
    for (id, last, first) in people {
        let mut row = rows(&[&[id, last, first]]).remove(0);
        row.extend(CRITERIA.iter().map(|_| Cell::from(level)));
        out.push(row);
    }
    out
}

/// A long grid: header `N° candidat | Évaluateur | Critère | Niveau`, then the given rows.
pub fn long_grid(lines: &[[&str; 4]]) -> Rows {
    table(["N° candidat", "Évaluateur", "Critère", "Niveau"], lines)
}

/// A header row, then one text row per line.
fn table(header: [&str; 4], lines: &[[&str; 4]]) -> Rows {
    let mut out = rows(&[&header]);
    out.extend(
        lines
            .iter()
            .map(|l| l.iter().map(|s| Cell::from(*s)).collect()),
    );
    out
}

/// The 12 long-grid lines of one juror for one candidate, every level `level`.
pub fn long_lines(
    id: &'static str,
    juror: &'static str,
    level: &'static str,
) -> Vec<[&'static str; 4]> {
    CRITERIA.iter().map(|c| [id, juror, *c, level]).collect()
}

/// The default candidates sheet: header row, then the two people.
pub fn candidate_rows() -> Rows {
    let mut out = rows(&[&[
        "N° candidat",
        "Nom",
        "Prénom",
        "Date de naissance",
        "Prérequis validés",
    ]]);
    out.push(vec![
        "2026001".into(),
        "Durand".into(),
        "Alice".into(),
        date(1990, 5, 12),
        "Oui".into(),
    ]);
    out.push(vec![
        "2026002".into(),
        "Petit".into(),
        "Bruno".into(),
        "03/07/1988".into(),
        "Oui".into(),
    ]);
    out
}

/// A deliberation sheet with the given rows under `N° candidat | Compétence | Décision | Motif`.
pub fn deliberation_rows(lines: &[[&str; 4]]) -> Rows {
    table(["N° candidat", "Compétence", "Décision", "Motif"], lines)
}

/// `n` people for [`Session::with`]: ids 2026001…, last names `Nom1`…, first names
/// `Prénom1`….
fn numbered_people(n: usize) -> Vec<(String, String, String)> {
    (1..=n)
        .map(|i| {
            (
                format!("{}", 2_026_000 + i),
                format!("Nom{i}"),
                format!("Prénom{i}"),
            )
        })
        .collect()
}

/// `"D4"` → (3, 3), 0-based.
fn parse_a1(a1: &str) -> (usize, usize) {
    let letters: String = a1.chars().take_while(char::is_ascii_alphabetic).collect();
    let row: usize = a1[letters.len()..].parse().expect("an A1 reference");
    let col = letters
        .to_ascii_uppercase()
        .bytes()
        .fold(0, |acc, b| acc * 26 + usize::from(b - b'A') + 1);
    (row - 1, col - 1)
}

#[derive(Debug, Clone)]
struct SheetSpec {
    name: String,
    rows: Rows,
    hidden: bool,
    /// 0-based.
    hidden_rows: Vec<u32>,
    /// 0-based.
    hidden_cols: Vec<u16>,
}

impl SheetSpec {
    fn new(name: &str, rows: Rows) -> SheetSpec {
        SheetSpec {
            name: name.to_string(),
            rows,
            hidden: false,
            hidden_rows: Vec::new(),
            hidden_cols: Vec::new(),
        }
    }
}

/// A workbook described in memory.
#[derive(Debug, Clone)]
struct Book {
    sheets: Vec<SheetSpec>,
    /// Date and hour it was saved, written by rust_xlsxwriter as `dcterms:created` and
    /// `dcterms:modified`.
    saved: (u16, u8, u8, u16),
}

impl Default for Book {
    fn default() -> Self {
        Book {
            sheets: Vec::new(),
            saved: (2026, 11, 27, 0),
        }
    }
}

impl Book {
    fn bytes(&self) -> Vec<u8> {
        let mut book = Workbook::new();
        let (y, m, d, h) = self.saved;
        let when = ExcelDateTime::from_ymd(y, m, d)
            .and_then(|day| day.and_hms(h, 0, 0))
            .expect("a date");
        book.set_properties(&DocProperties::new().set_creation_datetime(&when));
        let date_format = Format::new().set_num_format("dd/mm/yyyy");
        for spec in &self.sheets {
            let sheet = book.add_worksheet();
            sheet.set_name(&spec.name).expect("a valid sheet name");
            sheet.set_hidden(spec.hidden);
            for (r, row) in spec.rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    let (r, c) = (r as u32, c as u16);
                    match cell {
                        Cell::Empty => Ok(&mut *sheet),
                        Cell::Text(t) => sheet.write_string(r, c, t),
                        Cell::Number(n) => sheet.write_number(r, c, *n),
                        Cell::Bool(b) => sheet.write_boolean(r, c, *b),
                        Cell::Date(y, m, d) => {
                            let when = ExcelDateTime::from_ymd(*y, *m, *d).expect("a date");
                            sheet.write_datetime_with_format(r, c, &when, &date_format)
                        }
                        Cell::Formula(f, cached) => {
                            if cached.is_empty() {
                                // Otherwise rust_xlsxwriter caches 0, which would be a level.
                                sheet.set_formula_result_default("");
                            }
                            sheet.write_formula(r, c, Formula::new(f).set_result(cached))
                        }
                    }
                    .expect("a cell written");
                }
            }
            for r in &spec.hidden_rows {
                sheet.set_row_hidden(*r).expect("a row hidden");
            }
            for c in &spec.hidden_cols {
                sheet.set_column_hidden(*c).expect("a column hidden");
            }
        }
        book.save_to_buffer().expect("a workbook saved")
    }
}

// ---------------------------------------------------------------------------------------------
// The session
// ---------------------------------------------------------------------------------------------

/// A session folder, described in memory until [`Session::check`] writes and checks it.
#[derive(Debug, Clone)]
pub struct Session {
    toml: Option<String>,
    books: BTreeMap<String, Book>,
    files: BTreeMap<String, Vec<u8>>,
    dirs: Vec<String>,
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

impl Session {
    /// The clean default session (see the module docs).
    pub fn new() -> Session {
        Session {
            toml: Some(SESSION_TOML.to_string()),
            books: BTreeMap::new(),
            files: BTreeMap::new(),
            dirs: Vec::new(),
        }
        .book(CANDIDATES, "Candidats", candidate_rows())
        .book(CLAIRE, GRID, wide_grid("Claire Martin", &PEOPLE, "Acquis"))
        .book(PAUL, GRID, wide_grid("Paul Durand", &PEOPLE, "Acquis"))
    }

    /// The default session with `n` candidates (ids 2026001…, names `Nom1`, `Prénom1`…,
    /// born « 12/05/1990 » as text), graded « Acquis » everywhere by Claire and Paul: their
    /// grids list them from row 4.
    pub fn with(n: usize) -> Session {
        let owned = numbered_people(n);
        let people: Vec<(&str, &str, &str)> = owned
            .iter()
            .map(|(id, last, first)| (id.as_str(), last.as_str(), first.as_str()))
            .collect();
        let mut candidates = rows(&[&[
            "N° candidat",
            "Nom",
            "Prénom",
            "Date de naissance",
            "Prérequis validés",
        ]]);
        candidates.extend(
            people
                .iter()
                .map(|(id, last, first)| row![*id, *last, *first, "12/05/1990", "Oui"]),
        );
        Session::new()
            .book(CANDIDATES, "Candidats", candidates)
            .book(CLAIRE, GRID, wide_grid("Claire Martin", &people, "Acquis"))
            .book(PAUL, GRID, wide_grid("Paul Durand", &people, "Acquis"))
    }

    /// Replaces `session.toml` (`None`: no such file).
    pub fn toml(mut self, text: Option<&str>) -> Session {
        self.toml = text.map(str::to_string);
        self
    }

    /// Replaces the first `from` by `to` in `session.toml`.
    pub fn toml_edit(mut self, from: &str, to: &str) -> Session {
        let text = self.toml.take().expect("a session.toml");
        assert!(text.contains(from), "session.toml has no {from:?}");
        self.toml = Some(text.replacen(from, to, 1));
        self
    }

    /// A workbook with one sheet (replacing any workbook at `rel`).
    pub fn book(mut self, rel: &str, sheet: &str, rows: Rows) -> Session {
        self.files.remove(rel);
        self.books.insert(
            rel.to_string(),
            Book {
                sheets: vec![SheetSpec::new(sheet, rows)],
                ..Book::default()
            },
        );
        self
    }

    /// Adds (or replaces) a sheet of the workbook at `rel`, creating the workbook if needed.
    pub fn sheet(mut self, rel: &str, sheet: &str, rows: Rows) -> Session {
        let book = self.books.entry(rel.to_string()).or_default();
        let spec = SheetSpec::new(sheet, rows);
        match book.sheets.iter_mut().find(|s| s.name == sheet) {
            Some(existing) => *existing = spec,
            None => book.sheets.push(spec),
        }
        self
    }

    /// The sheet `sheet` of the workbook at `rel`, which must be described already.
    fn sheet_mut(&mut self, rel: &str, sheet: &str) -> &mut SheetSpec {
        self.books
            .get_mut(rel)
            .and_then(|b| b.sheets.iter_mut().find(|s| s.name == sheet))
            .unwrap_or_else(|| panic!("no sheet {sheet} in {rel}"))
    }

    /// Sets one cell (A1 reference) of a sheet already described.
    pub fn set(mut self, rel: &str, sheet: &str, a1: &str, cell: impl Into<Cell>) -> Session {
        let (r, c) = parse_a1(a1);
        let spec = self.sheet_mut(rel, sheet);
        if spec.rows.len() <= r {
            spec.rows.resize(r + 1, Vec::new());
        }
        let row = &mut spec.rows[r];
        if row.len() <= c {
            row.resize(c + 1, Cell::Empty);
        }
        row[c] = cell.into();
        self
    }

    /// Sets the 12 criterion cells (D to O) of row `row` (1-based) of a default grid.
    pub fn levels(self, rel: &str, row: usize, level: impl Into<Cell>) -> Session {
        self.levels_in(rel, row, 0..CRITERIA.len(), level)
    }

    /// Sets the criterion cells `criteria` (0-based, end excluded: `0..2` is D and E) of row
    /// `row` (1-based) of a default grid.
    pub fn levels_in(
        self,
        rel: &str,
        row: usize,
        criteria: Range<usize>,
        level: impl Into<Cell>,
    ) -> Session {
        let level = level.into();
        criteria.fold(self, |s, i| {
            let column = char::from(b'D' + i as u8);
            s.set(rel, GRID, &format!("{column}{row}"), level.clone())
        })
    }

    /// Writes a whole line of a default grid: id, names, and every level `level`.
    pub fn grid_line(
        self,
        rel: &str,
        row: usize,
        (id, last, first): (&str, &str, &str),
        level: &str,
    ) -> Session {
        self.set(rel, GRID, &format!("A{row}"), id)
            .set(rel, GRID, &format!("B{row}"), last)
            .set(rel, GRID, &format!("C{row}"), first)
            .levels(rel, row, level)
    }

    /// Removes a row (1-based, as shown in a spreadsheet) of a sheet; the rows below move up.
    pub fn delete_row(mut self, rel: &str, sheet: &str, row: usize) -> Session {
        self.sheet_mut(rel, sheet).rows.remove(row - 1);
        self
    }

    /// Removes a column (letter) of a sheet; the columns to its right move left.
    pub fn delete_column(mut self, rel: &str, sheet: &str, column: &str) -> Session {
        let (_, c) = parse_a1(&format!("{column}1"));
        for row in &mut self.sheet_mut(rel, sheet).rows {
            if row.len() > c {
                row.remove(c);
            }
        }
        self
    }

    /// Hides a row (1-based) of a sheet; its cells stay as they are.
    pub fn hide_row(mut self, rel: &str, sheet: &str, row: u32) -> Session {
        self.sheet_mut(rel, sheet).hidden_rows.push(row - 1);
        self
    }

    /// Hides a column (letter) of a sheet; its cells stay as they are.
    pub fn hide_column(mut self, rel: &str, sheet: &str, column: &str) -> Session {
        let (_, c) = parse_a1(&format!("{column}1"));
        let c = u16::try_from(c).expect("a column");
        self.sheet_mut(rel, sheet).hidden_cols.push(c);
        self
    }

    /// Hides a sheet, behind a visible first sheet « Instructions » (a workbook keeps one
    /// sheet visible).
    pub fn hide_sheet(mut self, rel: &str, sheet: &str) -> Session {
        self.sheet_mut(rel, sheet).hidden = true;
        let instructions = SheetSpec::new(
            "Instructions",
            rows(&[&["Saisissez Acquis ou Non acquis."]]),
        );
        let book = self.books.get_mut(rel).expect("a workbook");
        book.sheets.insert(0, instructions);
        self
    }

    /// The date and hour (`(year, month, day, hour)`) the workbook at `rel` was saved, as its
    /// properties tell (27/11/2026 at midnight unless changed).
    pub fn saved(mut self, rel: &str, when: (u16, u8, u8, u16)) -> Session {
        self.books.get_mut(rel).expect("a workbook").saved = when;
        self
    }

    /// A file with exactly these bytes (replacing any workbook at `rel`).
    pub fn file(mut self, rel: &str, bytes: impl Into<Vec<u8>>) -> Session {
        self.books.remove(rel);
        self.files.insert(rel.to_string(), bytes.into());
        self
    }

    /// Moves a workbook or file to another name (to change only its extension, say).
    pub fn rename(mut self, from: &str, to: &str) -> Session {
        if let Some(book) = self.books.remove(from) {
            self.books.insert(to.to_string(), book);
        } else {
            let bytes = self.files.remove(from).expect("a file to rename");
            self.files.insert(to.to_string(), bytes);
        }
        self
    }

    pub fn remove(mut self, rel: &str) -> Session {
        assert!(
            self.books.remove(rel).is_some() || self.files.remove(rel).is_some(),
            "nothing at {rel}"
        );
        self
    }

    /// An (empty) folder of the session.
    pub fn dir(mut self, rel: &str) -> Session {
        self.dirs.push(rel.to_string());
        self
    }

    /// The bytes of a workbook as it will be written (to corrupt or convert it).
    pub fn xlsx_bytes(&self, rel: &str) -> Vec<u8> {
        self.books.get(rel).expect("a workbook").bytes()
    }

    /// Writes the session into `dir` (created if needed).
    pub fn write_to(&self, dir: &Path) {
        std::fs::create_dir_all(dir).expect("session folder");
        let mut files: Vec<(&String, Vec<u8>)> = self
            .books
            .iter()
            .map(|(rel, book)| (rel, book.bytes()))
            .collect();
        files.extend(self.files.iter().map(|(rel, b)| (rel, b.clone())));
        if let Some(toml) = &self.toml {
            std::fs::write(dir.join("session.toml"), toml).expect("session.toml written");
        }
        for rel in &self.dirs {
            std::fs::create_dir_all(dir.join(rel)).expect("folder");
        }
        for (rel, bytes) in files {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("folder");
            std::fs::write(path, bytes).expect("file written");
        }
    }

    /// Writes the session into a new temporary folder and runs `jury check --format json`.
    pub fn check(&self) -> Report {
        let tmp = TempDir::new().expect("a temporary folder");
        let dir = tmp.path().join("session");
        self.write_to(&dir);
        check_json(&dir)
    }

    /// Same, with the text report.
    pub fn check_text(&self) -> Report {
        let tmp = TempDir::new().expect("a temporary folder");
        let dir = tmp.path().join("session");
        self.write_to(&dir);
        run(&[
            "check".as_ref(),
            dir.as_os_str(),
            "--format".as_ref(),
            "text".as_ref(),
        ])
    }
}

// ---------------------------------------------------------------------------------------------
// Running the binary and other programs
// ---------------------------------------------------------------------------------------------

/// What one run of the binary (or of another program) gave. Its `Display` shows the command,
/// its folder, status, stdout and stderr: put it in every assertion message.
pub struct Report {
    pub command: String,
    pub cwd: PathBuf,
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// The parsed stdout, when it is JSON.
    pub json: Option<Json>,
}

/// One finding of a JSON report, every field as text (`""` when null).
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub error: bool,
    pub code: String,
    pub message: String,
    pub file: String,
    pub sheet: String,
    pub cell: String,
    pub candidate: String,
    pub criterion: String,
    pub juror: String,
    pub line: Option<u64>,
    pub column: Option<u64>,
}

/// `jury check <dir> --format json`.
pub fn check_json(dir: &Path) -> Report {
    run(&[
        "check".as_ref(),
        dir.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ])
}

/// Runs the real binary from the temporary folder; never accepts a panic.
pub fn run<A: AsRef<OsStr>>(args: &[A]) -> Report {
    jury_in(&std::env::temp_dir(), args, &[])
}

/// Runs the real binary from `cwd`, with these environment variables besides the test's;
/// never accepts a panic.
pub fn jury_in<A: AsRef<OsStr>>(cwd: &Path, args: &[A], env: &[(&str, &str)]) -> Report {
    let report = execute(env!("CARGO_BIN_EXE_jury"), args, cwd, env).expect("the binary runs");
    assert!(
        !report.stderr.contains("panicked") && report.status.is_some(),
        "the binary crashed\n{report}"
    );
    report
}

/// Runs a program the tests need (qpdf, poppler's tools: see `.ci/run`) from the temporary
/// folder, and asserts it succeeded.
pub fn tool<A: AsRef<OsStr>>(program: &str, args: &[A]) -> Report {
    let report = execute(program, args, &std::env::temp_dir(), &[]).unwrap_or_else(|e| {
        panic!("{program} is needed for these tests (qpdf, poppler-utils: see .ci/run): {e}")
    });
    assert_eq!(report.status, Some(0), "{program} failed\n{report}");
    report
}

/// Runs `program` from `cwd`; an error only when it cannot be started (not installed).
pub fn execute<A: AsRef<OsStr>>(
    program: &str,
    args: &[A],
    cwd: &Path,
    env: &[(&str, &str)],
) -> std::io::Result<Report> {
    let output = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .envs(env.iter().copied())
        .output()?;
    let words = env
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .chain(std::iter::once(program.to_string()))
        .chain(args.iter().map(|a| {
            let a = a.as_ref().to_string_lossy();
            if a.is_empty() || a.contains(char::is_whitespace) {
                format!("{a:?}")
            } else {
                a.into_owned()
            }
        }));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    Ok(Report {
        command: words.collect::<Vec<_>>().join(" "),
        cwd: cwd.to_path_buf(),
        status: output.status.code(),
        json: serde_json::from_str(&stdout).ok(),
        stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "command: {}", self.command)?;
        writeln!(f, "cwd:     {}", self.cwd.display())?;
        writeln!(f, "status:  {:?}", self.status)?;
        writeln!(f, "--- stdout ---\n{}", self.stdout)?;
        writeln!(f, "--- stderr ---\n{}", self.stderr)
    }
}

fn text(value: &Json, key: &str) -> String {
    value
        .get(key)
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_string()
}

impl Report {
    /// The parsed stdout; panics (showing the run) when it is not JSON.
    #[track_caller]
    pub fn json(&self) -> &Json {
        self.json
            .as_ref()
            .unwrap_or_else(|| panic!("stdout is not JSON\n{self}"))
    }

    /// Every finding, errors first, in the report's order.
    pub fn findings(&self) -> Vec<Found> {
        let mut out = Vec::new();
        for (key, error) in [("errors", true), ("warnings", false)] {
            let list = self.json()[key]
                .as_array()
                .unwrap_or_else(|| panic!("no {key} array\n{self}"));
            out.extend(list.iter().map(|v| Found {
                error,
                code: text(v, "code"),
                message: text(v, "message"),
                file: text(v, "file"),
                sheet: text(v, "sheet"),
                cell: text(v, "cell"),
                candidate: text(v, "candidate"),
                criterion: text(v, "criterion"),
                juror: text(v, "juror"),
                line: v.get("line").and_then(Json::as_u64),
                column: v.get("column").and_then(Json::as_u64),
            }));
        }
        out
    }

    /// Every finding as `(code, file, sheet, cell)`, sorted.
    pub fn located(&self) -> Vec<(String, String, String, String)> {
        let mut out: Vec<_> = self
            .findings()
            .into_iter()
            .map(|f| (f.code, f.file, f.sheet, f.cell))
            .collect();
        out.sort();
        out
    }

    /// Asserts the exit status and the complete set of findings, as
    /// `(code, file, sheet, cell)` with `""` for a null field, in any order.
    #[track_caller]
    pub fn assert(&self, status: i32, expected: &[(&str, &str, &str, &str)]) -> &Report {
        let mut expected: Vec<(String, String, String, String)> = expected
            .iter()
            .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
            .collect();
        expected.sort();
        assert_eq!(self.located(), expected, "findings differ\n{self}");
        assert_eq!(self.status, Some(status), "exit status differs\n{self}");
        let ok = self.json()["ok"].as_bool();
        assert_eq!(
            ok,
            Some(status == 0),
            "`ok` does not match the status\n{self}"
        );
        self
    }

    /// The one finding with this code.
    #[track_caller]
    pub fn one(&self, code: &str) -> Found {
        self.only(self.findings(), code)
    }

    #[track_caller]
    fn only(&self, findings: Vec<Found>, code: &str) -> Found {
        let mut all: Vec<Found> = findings.into_iter().filter(|f| f.code == code).collect();
        assert_eq!(all.len(), 1, "expected exactly one {code}\n{self}");
        all.remove(0)
    }

    pub fn codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = self.findings().into_iter().map(|f| f.code).collect();
        codes.sort();
        codes
    }

    /// Every warning, in the report's order, for a session expected to have no error (this
    /// asserts it has none).
    #[track_caller]
    pub fn warnings(&self) -> Vec<Found> {
        let all = self.findings();
        assert!(all.iter().all(|f| !f.error), "errors found\n{self}");
        all
    }

    /// The warnings with this code, as `(file, sheet, cell, juror)`, sorted (no error).
    #[track_caller]
    pub fn warnings_at(&self, code: &str) -> Vec<(String, String, String, String)> {
        let mut out: Vec<_> = self
            .warnings()
            .into_iter()
            .filter(|f| f.code == code)
            .map(|f| (f.file, f.sheet, f.cell, f.juror))
            .collect();
        out.sort();
        out
    }

    /// The one warning with this code (no error).
    #[track_caller]
    pub fn one_warning(&self, code: &str) -> Found {
        self.only(self.warnings(), code)
    }

    /// The codes of the warnings, sorted, each once (no error).
    #[track_caller]
    pub fn warning_codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = self.warnings().into_iter().map(|f| f.code).collect();
        codes.sort();
        codes.dedup();
        codes
    }

    /// A number of the JSON `summary`.
    #[track_caller]
    pub fn summary(&self, key: &str) -> u64 {
        self.json()["summary"][key]
            .as_u64()
            .unwrap_or_else(|| panic!("no summary.{key}\n{self}"))
    }

    /// Asserts the outcome counts: certified, not certified, absent, non-recevable, pending.
    #[track_caller]
    pub fn assert_outcomes(&self, expected: [u64; 5]) -> &Report {
        let found = [
            "certified",
            "not_certified",
            "absent",
            "non_recevable",
            "pending",
        ]
        .map(|k| self.summary(k));
        assert_eq!(found, expected, "outcome counts differ\n{self}");
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Reading back what the binary wrote
// ---------------------------------------------------------------------------------------------

/// A sheet of an `.xlsx`, `.xls` or `.ods` as a dense table from A1: every cell at its place
/// in the spreadsheet (calamine's range may start further down or right), `Data::Empty`
/// where nothing is written.
pub fn sheet_cells(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut workbook = open_workbook_auto(path)
        .unwrap_or_else(|e| panic!("{} does not open: {e}", path.display()));
    let range = workbook
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("no sheet {sheet} in {}: {e}", path.display()));
    let Some((end_row, end_col)) = range.end() else {
        return Vec::new();
    };
    (0..=end_row)
        .map(|r| {
            (0..=end_col)
                .map(|c| range.get_value((r, c)).cloned().unwrap_or(Data::Empty))
                .collect()
        })
        .collect()
}

/// A cell as a person reads it: `""` when empty, a date as `JJ/MM/AAAA`, anything else as
/// calamine shows it.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{day:02}/{m:02}/{y}")
        }
        other => other.to_string(),
    }
}

/// A sheet as text, from A1 (see [`sheet_cells`] and [`cell_text`]).
pub fn sheet_rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    sheet_cells(path, sheet)
        .iter()
        .map(|r| r.iter().map(cell_text).collect())
        .collect()
}

/// Writes a workbook of one sheet, every non-empty cell as text, at its place.
pub fn write_text_rows(path: &Path, sheet: &str, rows: &[Vec<String>]) {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).expect("a valid sheet name");
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                ws.write_string(r as u32, c as u16, text)
                    .expect("a cell written");
            }
        }
    }
    book.save(path).expect("a workbook saved");
}

/// The text of one part of a zip: a sheet of an `.xlsx` (`xl/worksheets/sheet1.xml`), the
/// `content.xml` of an `.ods`, `docProps/core.xml`….
pub fn zip_part(bytes: impl AsRef<[u8]>, part: &str) -> String {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes.as_ref())).expect("a zip archive");
    let mut text = String::new();
    archive
        .by_name(part)
        .unwrap_or_else(|e| panic!("no {part} in the archive: {e}"))
        .read_to_string(&mut text)
        .expect("a text part");
    text
}

/// The parts of a zip whose name starts with `prefix`, as `(name, text)`, in archive order.
pub fn zip_parts(bytes: impl AsRef<[u8]>, prefix: &str) -> Vec<(String, String)> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes.as_ref())).expect("a zip archive");
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("a zip entry");
        let name = entry.name().expect("a part name").to_string();
        if name.starts_with(prefix) {
            let mut text = String::new();
            entry.read_to_string(&mut text).expect("a text part");
            out.push((name, text));
        }
    }
    out
}

/// A JSON file (a manifest, a ledger).
pub fn json_file(path: &Path) -> Json {
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("{} is not read: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

//! Our own picture of a worksheet: the cells people typed, with their true positions.
//!
//! The workbook reader (`io::workbook`) turns whatever calamine returns into a [`Sheet`];
//! nothing in `core` sees a calamine type. Positions are 0-based and absolute (row 0 is
//! the sheet's first row, whatever the first used cell), shown as A1 only in messages.

use std::fmt;
use std::sync::Arc;

/// A calendar date, as printed on documents (`27/11/2026`) and in the manifest (ISO).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// A valid date of the Gregorian calendar, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// Parses `JJ/MM/AAAA` (also with `-` or `.`), or ISO `AAAA-MM-JJ` optionally followed
    /// by a time (`1988-07-03T00:00:00`), as people and spreadsheets write dates.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let date_part = text.split(['T', ' ']).next().unwrap_or_default();
        let parts: Vec<&str> = date_part.split(['/', '-', '.']).collect();
        if parts.len() != 3
            || parts
                .iter()
                .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let (y, m, d) = if parts[0].len() == 4 {
            (parts[0], parts[1], parts[2])
        } else if parts[2].len() == 4 {
            (parts[2], parts[1], parts[0])
        } else {
            return None;
        };
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for Date {
    /// French form: `27/11/2026`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }
}

/// One cell's value, as typed or as cached by the spreadsheet for a formula.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Empty,
    /// Shared: equal texts of a sheet are one allocation (see [`SheetBuilder::text`]).
    Text(Arc<str>),
    Number(f64),
    Bool(bool),
    Date(Date),
    /// A spreadsheet error such as `#N/A` or `#DIV/0!`.
    Error(Arc<str>),
}

impl Value {
    /// The cell as a person reads it, trimmed; `None` when empty or only white space.
    /// Integral numbers print without a decimal part: an id typed as `2026001` stored as
    /// `2026001.0` reads `2026001`.
    pub fn text(&self) -> Option<String> {
        let text = match self {
            Value::Empty => return None,
            Value::Text(s) => s.trim().to_string(),
            Value::Number(n) => format_number(*n),
            Value::Bool(true) => "VRAI".to_string(),
            Value::Bool(false) => "FAUX".to_string(),
            Value::Date(d) => d.to_string(),
            Value::Error(e) => e.to_string(),
        };
        (!text.is_empty()).then_some(text)
    }

    pub fn is_blank(&self) -> bool {
        self.text().is_none()
    }
}

/// `12.0` → `"12"`, `0.5` → `"0.5"`.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A worksheet: its name, whether it is hidden, and its cells by absolute position.
///
/// The audit fields (`hidden_rows`, `hidden_cols`, `formulas`, `modified`) are filled for
/// grid workbooks only (see `io::workbook::read_grid_workbook`); elsewhere they are empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub hidden: bool,
    /// Read through [`Sheet::get`], [`Sheet::row`] and [`Sheet::cells`] (public so that a
    /// sheet can be written `Sheet { hidden: true, ..sheet }`).
    pub cells: Cells,
    /// Hidden rows as inclusive spans `(first, last)`, sorted and disjoint (xlsx and ods).
    pub hidden_rows: Vec<(u32, u32)>,
    /// Hidden columns as inclusive spans `(first, last)`, sorted and disjoint (xlsx and ods).
    pub hidden_cols: Vec<(u32, u32)>,
    /// Cells that hold a formula, `(row, col)`, sorted.
    pub formulas: Vec<(u32, u32)>,
    /// The workbook's recorded last modification date (the same on each of its sheets).
    pub modified: Option<Date>,
}

/// The non-empty cells of a sheet, row by row (compressed sparse rows): a grid of 100,000
/// candidates is about two million cells, so a cell costs its column and its value only,
/// and empty cells or rows (a sheet's blank margins, a cell far down or to the right) cost
/// nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cells {
    /// Rows from 0 to the last one that matters (see [`Sheet::row_count`]).
    row_count: u32,
    /// The rows holding at least one cell, increasing.
    rows: Vec<u32>,
    /// The cells of `rows[i]` are `cols[starts[i]..starts[i + 1]]` (and the same `values`);
    /// one entry more than `rows`.
    starts: Vec<u32>,
    /// Columns, increasing within a row.
    cols: Vec<u32>,
    values: Vec<Value>,
}

impl Cells {
    /// The range of row `row`'s cells in `cols` and `values` (empty when it has none).
    fn span(&self, row: u32) -> std::ops::Range<usize> {
        // Most sheets have a cell on every row, or miss only a few rows above their table:
        // row r is then at index r, or r less the rows missing. Else, a search.
        let missing = (self.row_count as usize).saturating_sub(self.rows.len());
        let guess = |i: usize| (self.rows.get(i) == Some(&row)).then_some(i);
        let index = match guess(row as usize)
            .or_else(|| guess((row as usize).checked_sub(missing)?))
            .or_else(|| self.rows.binary_search(&row).ok())
        {
            Some(i) => i,
            None => return 0..0,
        };
        match (self.starts.get(index), self.starts.get(index + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        }
    }
}

/// Why a cell was out of sight in the spreadsheet (the first that applies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hidden {
    Sheet,
    Column,
    Row,
}

/// Is `x` in one of the sorted, disjoint inclusive `spans`?
fn in_spans(spans: &[(u32, u32)], x: u32) -> bool {
    let after = spans.partition_point(|(first, _)| *first <= x);
    after > 0 && spans[after - 1].1 >= x
}

impl Sheet {
    /// A sheet from dense rows (`rows[r][c]`); empty values are not stored. The sheet has
    /// `rows.len()` rows, even when the last ones are empty.
    pub fn new(name: impl Into<String>, rows: Vec<Vec<Value>>) -> Sheet {
        let mut builder = SheetBuilder::default();
        let row_count = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        for (r, row) in (0..row_count).zip(rows) {
            for (c, value) in (0u32..).zip(row) {
                builder.push(r, c, value);
            }
        }
        builder.finish(name, row_count)
    }

    /// Does the cell hold a formula (its value being the one the spreadsheet cached)?
    pub fn is_formula(&self, row: u32, col: u32) -> bool {
        self.formulas.binary_search(&(row, col)).is_ok()
    }

    /// Whether the cell was hidden: its sheet, else its column, else its row.
    pub fn hidden_at(&self, row: u32, col: u32) -> Option<Hidden> {
        if self.hidden {
            Some(Hidden::Sheet)
        } else if in_spans(&self.hidden_cols, col) {
            Some(Hidden::Column)
        } else if in_spans(&self.hidden_rows, row) {
            Some(Hidden::Row)
        } else {
            None
        }
    }

    /// The value at an absolute position; `Empty` outside the used area.
    pub fn get(&self, row: u32, col: u32) -> &Value {
        static EMPTY: Value = Value::Empty;
        let span = self.cells.span(row);
        match self.cells.cols[span.clone()].binary_search(&col) {
            Ok(i) => &self.cells.values[span.start + i],
            Err(_) => &EMPTY,
        }
    }

    /// Rows from 0 to the last one holding a cell.
    pub fn row_count(&self) -> u32 {
        self.cells.row_count
    }

    /// The non-empty cells of a row, `(column, value)`, left to right.
    pub fn row(&self, row: u32) -> impl Iterator<Item = (u32, &Value)> + Clone + '_ {
        let span = self.cells.span(row);
        self.cells.cols[span.clone()]
            .iter()
            .copied()
            .zip(&self.cells.values[span])
    }

    pub fn is_blank_row(&self, row: u32) -> bool {
        self.row(row).all(|(_, v)| v.is_blank())
    }

    /// Every non-empty cell, `(row, column, value)`, row by row.
    pub fn cells(&self) -> impl Iterator<Item = (u32, u32, &Value)> + '_ {
        self.cells.rows.iter().enumerate().flat_map(move |(i, &r)| {
            let span = match (self.cells.starts.get(i), self.cells.starts.get(i + 1)) {
                (Some(&a), Some(&b)) => a as usize..b as usize,
                _ => 0..0,
            };
            self.cells.cols[span.clone()]
                .iter()
                .zip(&self.cells.values[span])
                .map(move |(&c, v)| (r, c, v))
        })
    }

    /// The same sheet with one cell changed (for tests that damage a sheet).
    #[cfg(test)]
    pub fn set(&mut self, row: u32, col: u32, value: Value) {
        let mut builder = SheetBuilder::default();
        for (r, c, v) in self.cells().filter(|(r, c, _)| (*r, *c) != (row, col)) {
            builder.push(r, c, v.clone());
        }
        builder.push(row, col, value);
        let rows = self.row_count().max(row.saturating_add(1));
        let name = std::mem::take(&mut self.name);
        self.cells = builder.finish(name, rows).cells;
    }
}

/// Builds a [`Sheet`] cell by cell, in any order (a later cell at the same position
/// replaces an earlier one, as in calamine). Equal texts share one allocation: a grid
/// repeats a few level words a million times.
#[derive(Debug, Default)]
pub struct SheetBuilder {
    rows: Vec<u32>,
    cols: Vec<u32>,
    values: Vec<Value>,
    /// Whether a cell came out of reading order (rows, then columns, strictly increasing):
    /// the cells are then sorted at the end.
    unordered: bool,
    texts: std::collections::HashSet<Arc<str>>,
    /// The last texts seen, by a cheap key of their bytes: a grid's level words are found
    /// here with one comparison, without hashing (the set's SipHash was a tenth of a grid's
    /// reading time). The set stays the fallback, so crafted texts cost no more than before.
    recent: Vec<Option<Arc<str>>>,
}

/// Slots of [`SheetBuilder::recent`].
const RECENT: usize = 64;

/// The slot of a text in [`SheetBuilder::recent`].
fn recent_slot(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (first, last) = (bytes.first().copied(), bytes.last().copied());
    let key = bytes.len()
        ^ (usize::from(first.unwrap_or(0)) << 3)
        ^ (usize::from(last.unwrap_or(0)) << 1);
    key % RECENT
}

impl SheetBuilder {
    /// Adds a cell; an empty value is not kept.
    pub fn push(&mut self, row: u32, col: u32, value: Value) {
        if matches!(value, Value::Empty) {
            return;
        }
        if let (Some(&r), Some(&c)) = (self.rows.last(), self.cols.last()) {
            self.unordered |= (r, c) >= (row, col);
        }
        self.rows.push(row);
        self.cols.push(col);
        self.values.push(value);
    }

    /// A text, shared with the equal texts already given to this builder.
    pub fn text(&mut self, text: &str) -> Arc<str> {
        if self.recent.is_empty() {
            self.recent = vec![None; RECENT];
        }
        let slot = recent_slot(text);
        if let Some(Some(seen)) = self.recent.get(slot) {
            if **seen == *text {
                return Arc::clone(seen);
            }
        }
        let shared = match self.texts.get(text) {
            Some(shared) => Arc::clone(shared),
            None => {
                let shared: Arc<str> = Arc::from(text);
                self.texts.insert(Arc::clone(&shared));
                shared
            }
        };
        if let Some(entry) = self.recent.get_mut(slot) {
            *entry = Some(Arc::clone(&shared));
        }
        shared
    }

    /// The sheet, with as many rows as its last cell needs, and at least `min_rows`.
    pub fn finish(mut self, name: impl Into<String>, min_rows: u32) -> Sheet {
        if self.unordered {
            let mut cells: Vec<(u32, u32, Value)> = self
                .rows
                .drain(..)
                .zip(self.cols.drain(..))
                .zip(self.values.drain(..))
                .map(|((r, c), v)| (r, c, v))
                .collect();
            // Stable, so that of two cells at one position the later one is kept below.
            cells.sort_by_key(|(r, c, _)| (*r, *c));
            let mut kept: Vec<(u32, u32, Value)> = Vec::with_capacity(cells.len());
            for cell in cells {
                match kept.last_mut() {
                    Some(last) if (last.0, last.1) == (cell.0, cell.1) => *last = cell,
                    _ => kept.push(cell),
                }
            }
            for (r, c, v) in kept {
                self.rows.push(r);
                self.cols.push(c);
                self.values.push(v);
            }
        }
        let row_count = self
            .rows
            .last()
            .map_or(0, |r| r.saturating_add(1))
            .max(min_rows);
        let mut rows: Vec<u32> = Vec::new();
        let mut starts: Vec<u32> = Vec::new();
        for (i, &r) in self.rows.iter().enumerate() {
            if rows.last() != Some(&r) {
                rows.push(r);
                starts.push(u32::try_from(i).unwrap_or(u32::MAX));
            }
        }
        starts.push(u32::try_from(self.rows.len()).unwrap_or(u32::MAX));
        self.cols.shrink_to_fit();
        self.values.shrink_to_fit();
        Sheet {
            name: name.into(),
            cells: Cells {
                row_count,
                rows,
                starts,
                cols: self.cols,
                values: self.values,
            },
            ..Sheet::default()
        }
    }
}

/// Builds a [`Sheet`] from rows of text for tests and examples: `""` is empty, text that
/// parses as a number (without a leading zero) becomes a number, as a spreadsheet would
/// store it.
pub fn sheet_from_text(name: &str, rows: &[&[&str]]) -> Sheet {
    let rows = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|s| {
                    if s.is_empty() {
                        Value::Empty
                    } else if let (false, Ok(n)) =
                        (s.len() > 1 && s.starts_with('0'), s.parse::<f64>())
                    {
                        Value::Number(n)
                    } else {
                        Value::Text(Arc::from(*s))
                    }
                })
                .collect()
        })
        .collect();
    Sheet::new(name, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_french_and_iso() {
        assert_eq!(Date::parse("03/07/1988"), Date::new(1988, 7, 3));
        assert_eq!(Date::parse("1988-07-03"), Date::new(1988, 7, 3));
        assert_eq!(Date::parse("1988-07-03T00:00:00"), Date::new(1988, 7, 3));
        assert_eq!(Date::parse("31/02/1988"), None);
        assert_eq!(Date::parse("hier"), None);
        assert_eq!(Date::parse("3/7/88"), None);
    }

    #[test]
    fn hidden_cells_and_formulas_are_looked_up() {
        let sheet = Sheet {
            hidden_rows: vec![(2, 2), (5, 7)],
            hidden_cols: vec![(3, 3)],
            formulas: vec![(1, 4), (6, 0)],
            ..Sheet::new("Grille", Vec::new())
        };
        assert_eq!(sheet.hidden_at(2, 0), Some(Hidden::Row));
        assert_eq!(sheet.hidden_at(6, 3), Some(Hidden::Column));
        assert_eq!(sheet.hidden_at(7, 1), Some(Hidden::Row));
        assert_eq!(sheet.hidden_at(8, 1), None);
        assert_eq!(sheet.hidden_at(4, 2), None);
        assert!(sheet.is_formula(6, 0));
        assert!(!sheet.is_formula(6, 1));
        let hidden_sheet = Sheet {
            hidden: true,
            ..sheet
        };
        assert_eq!(hidden_sheet.hidden_at(0, 0), Some(Hidden::Sheet));
    }

    #[test]
    fn cells_in_any_order_are_found_at_their_place() {
        let mut builder = SheetBuilder::default();
        builder.push(7, 2, Value::Number(1.0));
        builder.push(0, 0, Value::Text("N° candidat".into()));
        builder.push(7, 2, Value::Number(2.0));
        builder.push(3, 16_000, Value::Bool(true));
        builder.push(2, 1, Value::Empty);
        builder.push(1_000_000, 0, Value::Number(3.0));
        let sheet = builder.finish("Grille", 0);
        assert_eq!(sheet.row_count(), 1_000_001);
        assert_eq!(sheet.get(7, 2), &Value::Number(2.0), "the later cell wins");
        assert_eq!(sheet.get(3, 16_000), &Value::Bool(true));
        assert_eq!(sheet.get(1_000_000, 0), &Value::Number(3.0));
        assert_eq!(sheet.get(2, 1), &Value::Empty);
        assert_eq!(sheet.get(4, 0), &Value::Empty);
        assert_eq!(sheet.get(2_000_000, 0), &Value::Empty);
        assert!(sheet.is_blank_row(2) && !sheet.is_blank_row(3));
        assert_eq!(
            sheet.cells().map(|(r, c, _)| (r, c)).collect::<Vec<_>>(),
            [(0, 0), (3, 16_000), (7, 2), (1_000_000, 0)]
        );
    }

    #[test]
    fn dense_rows_keep_their_count_and_columns() {
        let sheet = sheet_from_text("G", &[&["", "a", "", "b"], &[], &[]]);
        assert_eq!(sheet.row_count(), 3);
        assert_eq!(
            sheet.row(0).map(|(c, v)| (c, v.text())).collect::<Vec<_>>(),
            [(1, Some("a".to_string())), (3, Some("b".to_string()))]
        );
        assert_eq!(sheet.row(1).count(), 0);
    }

    #[test]
    fn rows_missing_above_a_table_do_not_shift_it() {
        let sheet = sheet_from_text("G", &[&["Grille"], &[], &[], &["N°", "Cr1.1"], &["7", "A"]]);
        assert_eq!(sheet.get(0, 0).text().as_deref(), Some("Grille"));
        assert_eq!(sheet.get(2, 0), &Value::Empty);
        assert_eq!(sheet.get(3, 1).text().as_deref(), Some("Cr1.1"));
        assert_eq!(sheet.get(4, 0), &Value::Number(7.0));
        assert_eq!(sheet.get(4, 1).text().as_deref(), Some("A"));
        assert_eq!(sheet.get(5, 0), &Value::Empty);
    }

    #[test]
    fn equal_texts_share_one_allocation() {
        let mut builder = SheetBuilder::default();
        let a = builder.text("Acquis");
        let b = builder.text("Acquis");
        assert!(Arc::ptr_eq(&a, &b));
        // Same length, first and last bytes: one slot of the recent texts, told apart.
        let x = builder.text("axb");
        assert_eq!(&*builder.text("ayb"), "ayb");
        let again = builder.text("axb");
        assert!(&*again == "axb" && Arc::ptr_eq(&x, &again));
    }

    #[test]
    fn numbers_read_as_people_typed_them() {
        assert_eq!(Value::Number(2026001.0).text().as_deref(), Some("2026001"));
        assert_eq!(Value::Number(0.5).text().as_deref(), Some("0.5"));
        assert_eq!(Value::Text("  ".into()).text(), None);
    }
}

//! Our own picture of a worksheet: the cells people typed, with their true positions.
//!
//! The workbook reader (`io::workbook`) turns whatever calamine returns into a [`Sheet`];
//! nothing in `core` sees a calamine type. Positions are 0-based and absolute (row 0 is
//! the sheet's first row, whatever the first used cell), shown as A1 only in messages.

use std::fmt;

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
    Text(String),
    Number(f64),
    Bool(bool),
    Date(Date),
    /// A spreadsheet error such as `#N/A` or `#DIV/0!`.
    Error(String),
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
            Value::Error(e) => e.clone(),
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
    /// Row `r` of the sheet is `rows[r]`; a row may be shorter than others.
    pub rows: Vec<Vec<Value>>,
    /// Hidden rows as inclusive spans `(first, last)`, sorted and disjoint (xlsx and ods).
    pub hidden_rows: Vec<(u32, u32)>,
    /// Hidden columns as inclusive spans `(first, last)`, sorted and disjoint (xlsx and ods).
    pub hidden_cols: Vec<(u32, u32)>,
    /// Cells that hold a formula, `(row, col)`, sorted.
    pub formulas: Vec<(u32, u32)>,
    /// The workbook's recorded last modification date (the same on each of its sheets).
    pub modified: Option<Date>,
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
    pub fn new(name: impl Into<String>, rows: Vec<Vec<Value>>) -> Sheet {
        Sheet {
            name: name.into(),
            rows,
            ..Sheet::default()
        }
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
        self.rows
            .get(row as usize)
            .and_then(|r| r.get(col as usize))
            .unwrap_or(&EMPTY)
    }

    pub fn row_count(&self) -> u32 {
        u32::try_from(self.rows.len()).unwrap_or(u32::MAX)
    }

    pub fn row(&self, row: u32) -> &[Value] {
        self.rows
            .get(row as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn is_blank_row(&self, row: u32) -> bool {
        self.row(row).iter().all(Value::is_blank)
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
                        Value::Text((*s).to_string())
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
    fn numbers_read_as_people_typed_them() {
        assert_eq!(Value::Number(2026001.0).text().as_deref(), Some("2026001"));
        assert_eq!(Value::Number(0.5).text().as_deref(), Some("0.5"));
        assert_eq!(Value::Text("  ".into()).text(), None);
    }
}

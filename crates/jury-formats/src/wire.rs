//! The bytes a reading child process sends back to `jury` (see `jury_fs::guard`): the
//! sheets it read, or why it could not, in a small binary form of our own.
//!
//! Layout: the magic `JURYWB2\n`, then a tag byte: `0` and the sheets, or `1` and a
//! [`WorkbookError`]. Integers are little-endian `u32`/`i32`, texts a `u32` length and UTF-8
//! bytes, floats their IEEE bits (any NaN survives). A sheet's cells are sent as a list of
//! non-empty cells in reading order, each as its row (the difference from the previous
//! cell's, LEB128), its column (LEB128) and its value; a text already sent in the same sheet
//! is sent as its index, so a grid's level words cost a byte or two each and arrive shared.
//! Decoding checks every length and index against what is left, so a truncated or garbled
//! message is an error, never a panic or a huge allocation.

use std::collections::HashMap;
use std::sync::Arc;

use crate::limits::MAX_SHEET_CELLS;
use crate::workbook::WorkbookError;
use jury_core::sheet::{Date, Sheet, SheetBuilder, Value};

const MAGIC: &[u8] = b"JURYWB2\n";

/// Value tags.
const EMPTY: u8 = 0;
const NEW_TEXT: u8 = 1;
const NUMBER: u8 = 2;
const BOOL: u8 = 3;
const DATE: u8 = 4;
const ERROR: u8 = 5;
/// A text sent before in the same sheet, by its index in the order sent.
const SAME_TEXT: u8 = 6;

/// What a child read.
pub type ReadResult = Result<Vec<Sheet>, WorkbookError>;

/// Encodes a read's result.
pub fn encode(result: &ReadResult) -> Vec<u8> {
    let mut out = Writer(MAGIC.to_vec());
    match result {
        Ok(sheets) => {
            out.u8(0);
            out.len(sheets.len());
            for sheet in sheets {
                out.sheet(sheet);
            }
        }
        Err(error) => {
            out.u8(1);
            out.error(error);
        }
    }
    out.0
}

/// Decodes a child's message; `None` when it is not one (truncated, garbled).
pub fn decode(bytes: &[u8]) -> Option<ReadResult> {
    let mut r = Reader(bytes.strip_prefix(MAGIC)?);
    let result = match r.u8()? {
        0 => {
            let count = r.len(1)?;
            let mut sheets = Vec::with_capacity(count);
            for _ in 0..count {
                sheets.push(r.sheet()?);
            }
            Ok(sheets)
        }
        1 => Err(r.error()?),
        _ => return None,
    };
    r.0.is_empty().then_some(result)
}

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }

    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).unwrap_or(u32::MAX));
    }

    /// LEB128: seven bits a byte, low bits first.
    fn varint(&mut self, mut v: u32) {
        while v >= 0x80 {
            self.0.push((v & 0x7F) as u8 | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn text(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn date(&mut self, d: &Date) {
        self.0.extend_from_slice(&d.year.to_le_bytes());
        self.u32(d.month);
        self.u32(d.day);
    }

    fn spans(&mut self, spans: &[(u32, u32)]) {
        self.len(spans.len());
        for (a, b) in spans {
            self.u32(*a);
            self.u32(*b);
        }
    }

    fn sheet(&mut self, sheet: &Sheet) {
        self.text(&sheet.name);
        self.u8(u8::from(sheet.hidden));
        self.len(sheet.cells().count());
        let mut texts: HashMap<&str, u32> = HashMap::new();
        let mut previous_row = 0;
        for (row, col, value) in sheet.cells() {
            self.varint(row - previous_row);
            previous_row = row;
            self.varint(col);
            self.value(value, &mut texts);
        }
        self.spans(&sheet.hidden_rows);
        self.spans(&sheet.hidden_cols);
        self.spans(&sheet.formulas);
        match &sheet.modified {
            Some(d) => {
                self.u8(1);
                self.date(d);
            }
            None => self.u8(0),
        }
    }

    /// One value; `texts` are the texts already sent in this sheet, with their index.
    fn value<'a>(&mut self, value: &'a Value, texts: &mut HashMap<&'a str, u32>) {
        match value {
            Value::Empty => self.u8(EMPTY),
            Value::Text(s) => match texts.get(&**s) {
                Some(&index) => {
                    self.u8(SAME_TEXT);
                    self.varint(index);
                }
                None => {
                    self.u8(NEW_TEXT);
                    self.text(s);
                    let index = u32::try_from(texts.len()).unwrap_or(u32::MAX);
                    texts.insert(s, index);
                }
            },
            Value::Number(n) => {
                self.u8(NUMBER);
                self.0.extend_from_slice(&n.to_bits().to_le_bytes());
            }
            Value::Bool(b) => {
                self.u8(BOOL);
                self.u8(u8::from(*b));
            }
            Value::Date(d) => {
                self.u8(DATE);
                self.date(d);
            }
            Value::Error(e) => {
                self.u8(ERROR);
                self.text(e);
            }
        }
    }

    fn error(&mut self, error: &WorkbookError) {
        match error {
            WorkbookError::Encrypted => self.u8(0),
            WorkbookError::Empty => self.u8(1),
            WorkbookError::NotAWorkbook(what) => {
                self.u8(2);
                self.text(what);
            }
            WorkbookError::Corrupt(what) => {
                self.u8(3);
                self.text(what);
            }
            WorkbookError::NoSheet => self.u8(4),
            WorkbookError::TooLarge { limit, found } => {
                self.u8(5);
                self.text(limit);
                self.text(found);
            }
            WorkbookError::Crashed(what) => {
                self.u8(6);
                self.text(what);
            }
            WorkbookError::TimedOut { seconds } => {
                self.u8(7);
                self.0.extend_from_slice(&seconds.to_le_bytes());
            }
            WorkbookError::OutOfMemory { limit } => {
                self.u8(8);
                self.text(limit);
            }
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    /// LEB128, at most five bytes and no bit past the 32nd.
    fn varint(&mut self) -> Option<u32> {
        let mut v: u32 = 0;
        for shift in (0..35).step_by(7) {
            let byte = self.u8()?;
            let bits = u32::from(byte & 0x7F);
            if shift == 28 && bits > 0x0F {
                return None;
            }
            v |= bits << shift;
            if byte & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    /// A count of items taking at least `min_bytes` each: never more than the bytes left.
    fn len(&mut self, min_bytes: usize) -> Option<usize> {
        let n = usize::try_from(self.u32()?).ok()?;
        (n.saturating_mul(min_bytes.max(1)) <= self.0.len()).then_some(n)
    }

    fn text(&mut self) -> Option<String> {
        self.str().map(str::to_string)
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = self.len(1)?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    fn date(&mut self) -> Option<Date> {
        let year = i32::from_le_bytes(self.take(4)?.try_into().ok()?);
        let (month, day) = (self.u32()?, self.u32()?);
        Some(Date { year, month, day })
    }

    fn spans(&mut self) -> Option<Vec<(u32, u32)>> {
        let n = self.len(8)?;
        (0..n).map(|_| Some((self.u32()?, self.u32()?))).collect()
    }

    fn sheet(&mut self) -> Option<Sheet> {
        let name = self.text()?;
        let hidden = self.u8()? != 0;
        // A cell takes at least four bytes: row, column, tag, and a byte of value.
        let cell_count = self.len(4)?;
        let mut builder = SheetBuilder::default();
        let mut texts: Vec<Arc<str>> = Vec::new();
        let mut row = 0u32;
        for _ in 0..cell_count {
            row = row.checked_add(self.varint()?)?;
            let col = self.varint()?;
            // The child refuses larger sheets (`io::workbook`): such a cell is garbage, and
            // would make the sheet's readers walk billions of rows.
            if (u64::from(row) + 1) * (u64::from(col) + 1) > MAX_SHEET_CELLS {
                return None;
            }
            let value = self.value(&mut texts)?;
            builder.push(row, col, value);
        }
        let hidden_rows = self.spans()?;
        let hidden_cols = self.spans()?;
        let formulas = self.spans()?;
        let modified = match self.u8()? {
            0 => None,
            _ => Some(self.date()?),
        };
        Some(Sheet {
            hidden,
            hidden_rows,
            hidden_cols,
            formulas,
            modified,
            ..builder.finish(name, 0)
        })
    }

    /// One value; `texts` are the texts of this sheet decoded so far.
    fn value(&mut self, texts: &mut Vec<Arc<str>>) -> Option<Value> {
        Some(match self.u8()? {
            EMPTY => Value::Empty,
            NEW_TEXT => {
                let text: Arc<str> = Arc::from(self.str()?);
                texts.push(Arc::clone(&text));
                Value::Text(text)
            }
            SAME_TEXT => Value::Text(Arc::clone(texts.get(self.varint()? as usize)?)),
            NUMBER => Value::Number(f64::from_bits(self.u64()?)),
            BOOL => Value::Bool(self.u8()? != 0),
            DATE => Value::Date(self.date()?),
            ERROR => Value::Error(Arc::from(self.str()?)),
            _ => return None,
        })
    }

    fn error(&mut self) -> Option<WorkbookError> {
        Some(match self.u8()? {
            0 => WorkbookError::Encrypted,
            1 => WorkbookError::Empty,
            2 => WorkbookError::NotAWorkbook(self.text()?),
            3 => WorkbookError::Corrupt(self.text()?),
            4 => WorkbookError::NoSheet,
            5 => WorkbookError::TooLarge {
                limit: self.text()?,
                found: self.text()?,
            },
            6 => WorkbookError::Crashed(self.text()?),
            7 => WorkbookError::TimedOut {
                seconds: self.u64()?,
            },
            8 => WorkbookError::OutOfMemory {
                limit: self.text()?,
            },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_and_errors_survive_the_trip() {
        let sheet = Sheet {
            hidden: true,
            hidden_rows: vec![(1, 2)],
            hidden_cols: vec![(3, 3)],
            formulas: vec![(0, 1)],
            modified: Date::new(2026, 11, 30),
            ..Sheet::new(
                "Grille é",
                vec![
                    vec![],
                    vec![
                        Value::Empty,
                        Value::Text("Acquis".into()),
                        Value::Number(f64::NAN),
                        Value::Number(-0.5),
                        Value::Bool(true),
                        Value::Date(Date {
                            year: 1990,
                            month: 5,
                            day: 12,
                        }),
                        Value::Error("#N/A".into()),
                    ],
                ],
            )
        };
        let back = decode(&encode(&Ok(vec![sheet.clone(), Sheet::default()])));
        let Some(Ok(sheets)) = back else {
            panic!("decoded: {back:?}");
        };
        assert_eq!(sheets.len(), 2);
        assert_eq!(sheets[0].name, sheet.name);
        assert_eq!(sheets[0].get(1, 1), sheet.get(1, 1));
        assert!(matches!(sheets[0].get(1, 2), Value::Number(n) if n.is_nan()));
        for col in 3..7 {
            assert_eq!(sheets[0].get(1, col), sheet.get(1, col));
        }
        assert_eq!(
            (
                &sheets[0].hidden_rows,
                &sheets[0].formulas,
                sheets[0].modified
            ),
            (&sheet.hidden_rows, &sheet.formulas, sheet.modified)
        );
        for error in [
            WorkbookError::Encrypted,
            WorkbookError::TooLarge {
                limit: "a".into(),
                found: "b".into(),
            },
            WorkbookError::TimedOut { seconds: 3 },
        ] {
            assert_eq!(decode(&encode(&Err(error.clone()))), Some(Err(error)));
        }
    }

    #[test]
    fn repeated_texts_arrive_shared_and_far_cells_in_place() {
        let mut rows = vec![vec![Value::Text("Acquis".into()); 3]; 2];
        rows.extend(vec![Vec::new(); 997]);
        let mut far = vec![Value::Empty; 300];
        far.push(Value::Text("Acquis".into()));
        rows.push(far);
        let sheet = Sheet::new("G", rows);
        let Some(Ok(back)) = decode(&encode(&Ok(vec![sheet.clone()]))) else {
            panic!("not decoded");
        };
        assert_eq!(back[0].cells().count(), 7);
        assert_eq!(
            back[0].cells().collect::<Vec<_>>(),
            sheet.cells().collect::<Vec<_>>()
        );
        assert_eq!(back[0].row_count(), 1000);
        let (Value::Text(a), Value::Text(b)) = (back[0].get(0, 0), back[0].get(999, 300)) else {
            panic!("texts expected");
        };
        assert!(Arc::ptr_eq(a, b));
    }

    #[test]
    fn cells_past_the_sheet_limit_are_refused() {
        let mut out = Writer(MAGIC.to_vec());
        out.u8(0);
        out.len(1);
        out.text("G");
        out.u8(0);
        out.len(1);
        out.varint(2_000_000);
        out.varint(16_000);
        out.u8(BOOL);
        out.u8(1);
        out.spans(&[]);
        out.spans(&[]);
        out.spans(&[]);
        out.u8(0);
        assert_eq!(decode(&out.0), None);
    }

    #[test]
    fn garbled_messages_are_refused() {
        let good = encode(&Ok(vec![Sheet::new(
            "G",
            vec![vec![Value::Text("x".into())]],
        )]));
        for cut in 0..good.len() {
            assert_eq!(decode(&good[..cut]), None, "cut at {cut}");
        }
        let mut huge = MAGIC.to_vec();
        huge.extend_from_slice(&[0, 0xFF, 0xFF, 0xFF, 0xFF]);
        assert_eq!(decode(&huge), None);
    }
}

//! The bytes a reading child process sends back to `jury` (see [`crate::io::guard`]): the
//! sheets it read, or why it could not, in a small binary form of our own.
//!
//! Layout: the magic `JURYWB1\n`, then a tag byte: `0` and the sheets, or `1` and a
//! [`WorkbookError`]. Integers are little-endian `u32`/`i32`, texts a `u32` length and UTF-8
//! bytes, floats their IEEE bits (any NaN survives). Decoding checks every length against
//! what is left, so a truncated or garbled message is an error, never a panic or a huge
//! allocation.

use crate::core::sheet::{Date, Sheet, Value};
use crate::io::workbook::WorkbookError;

const MAGIC: &[u8] = b"JURYWB1\n";

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
        self.len(sheet.rows.len());
        for row in &sheet.rows {
            self.len(row.len());
            for value in row {
                self.value(value);
            }
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

    fn value(&mut self, value: &Value) {
        match value {
            Value::Empty => self.u8(0),
            Value::Text(s) => {
                self.u8(1);
                self.text(s);
            }
            Value::Number(n) => {
                self.u8(2);
                self.0.extend_from_slice(&n.to_bits().to_le_bytes());
            }
            Value::Bool(b) => {
                self.u8(3);
                self.u8(u8::from(*b));
            }
            Value::Date(d) => {
                self.u8(4);
                self.date(d);
            }
            Value::Error(e) => {
                self.u8(5);
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

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
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

    /// A count of items taking at least `min_bytes` each: never more than the bytes left.
    fn len(&mut self, min_bytes: usize) -> Option<usize> {
        let n = usize::try_from(self.u32()?).ok()?;
        (n.saturating_mul(min_bytes.max(1)) <= self.0.len()).then_some(n)
    }

    fn text(&mut self) -> Option<String> {
        let n = self.len(1)?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
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
        let row_count = self.len(4)?;
        let mut rows = Vec::with_capacity(row_count);
        for _ in 0..row_count {
            let n = self.len(1)?;
            let mut row = Vec::with_capacity(n);
            for _ in 0..n {
                row.push(self.value()?);
            }
            rows.push(row);
        }
        let hidden_rows = self.spans()?;
        let hidden_cols = self.spans()?;
        let formulas = self.spans()?;
        let modified = match self.u8()? {
            0 => None,
            _ => Some(self.date()?),
        };
        Some(Sheet {
            name,
            hidden,
            rows,
            hidden_rows,
            hidden_cols,
            formulas,
            modified,
        })
    }

    fn value(&mut self) -> Option<Value> {
        Some(match self.u8()? {
            0 => Value::Empty,
            1 => Value::Text(self.text()?),
            2 => Value::Number(f64::from_bits(self.u64()?)),
            3 => Value::Bool(self.u8()? != 0),
            4 => Value::Date(self.date()?),
            5 => Value::Error(self.text()?),
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
        assert_eq!(sheets[0].rows[1][1..2], sheet.rows[1][1..2]);
        assert!(matches!(sheets[0].rows[1][2], Value::Number(n) if n.is_nan()));
        assert_eq!(sheets[0].rows[1][3..], sheet.rows[1][3..]);
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

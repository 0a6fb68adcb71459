//! What the workbooks `jury` writes (`synthese.xlsx`, blank grids, the blank candidates
//! file) share: column numbers and the creation date.

use jury_core::sheet::Date;
use rust_xlsxwriter::{ExcelDateTime, XlsxError};

/// A column index as rust_xlsxwriter takes it. An index past `u16` becomes `u16::MAX`,
/// which is past Excel's last column (16,384): writing there is rust_xlsxwriter's
/// `RowColumnLimitError`, never a cell in a wrong place.
pub fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// `date` as a workbook's creation date (a date of the session, never the clock, so the
/// same inputs give the same bytes). A date Excel cannot hold (before 1900) is an error.
pub fn creation_date(date: Date) -> Result<ExcelDateTime, XlsxError> {
    let out_of_range =
        || XlsxError::DateTimeRangeError(format!("date {} out of range", date.iso()));
    ExcelDateTime::from_ymd(
        u16::try_from(date.year).map_err(|_| out_of_range())?,
        u8::try_from(date.month).map_err(|_| out_of_range())?,
        u8::try_from(date.day).map_err(|_| out_of_range())?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_past_u16_are_refused_by_the_writer() {
        assert_eq!(col(3), 3);
        assert_eq!(col(70_000), u16::MAX);
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        assert!(sheet.write_string(0, col(70_000), "x").is_err());
    }

    #[test]
    fn creation_dates_are_the_session_date_or_an_error() {
        assert!(creation_date(Date::new(2026, 11, 27).unwrap()).is_ok());
        assert!(creation_date(Date::new(999, 11, 27).unwrap()).is_err());
        assert!(creation_date(Date::new(-4, 1, 1).unwrap()).is_err());
        assert!(creation_date(Date::new(70_000, 1, 1).unwrap()).is_err());
    }
}

//! The edges that touch the file system: reading workbooks and session folders, writing
//! results atomically.

pub mod atomic;
pub mod cdc_report;
pub mod guard;
pub mod ledger;
pub mod limits;
pub mod new_folder;
pub mod output;
pub mod prescan;
pub mod session;
pub mod sheet_marks;
pub mod templates;
pub mod wire;
pub mod workbook;

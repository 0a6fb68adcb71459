//! The edges that touch the file system: reading workbooks and session folders, writing
//! results atomically.

pub mod output;
pub mod session;
pub mod workbook;

//! Bytes in and bytes out, with no file system: every workbook format `jury` reads (the
//! pre-scans that refuse hostile files, calamine's decoding, the hidden-row and formula
//! marks, the reading child's wire format), the CDC's processing reports, and every file
//! `jury` writes (reports, `synthese.xlsx`, blank grids and candidates files, PDF
//! documents, the CPF declaration, the manifest).
//!
//! Files are opened and put in place by `jury-fs`; what the data means is `jury-core`'s.

pub mod cdc_report;
pub mod limits;
pub mod prescan;
pub mod render;
pub mod sheet_marks;
pub mod wire;
pub mod workbook;
mod xlsx;

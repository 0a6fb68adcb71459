//! Renderers: turn findings and decisions into what people read (reports, workbooks,
//! documents) as bytes. They write no file; `jury_fs` does.

pub mod audit_text;
pub mod blank_candidates;
pub mod blank_grid;
pub mod cpf_xml;
pub mod manifest;
pub mod pdf;
pub mod report;
pub mod starter;
pub mod summary;

pub use jury_core::results::Results;

//! Renderers: turn findings and decisions into what people read (reports, workbooks,
//! documents) as bytes. They write no file; `io::output` does.

pub mod audit_text;
pub mod blank_candidates;
pub mod blank_grid;
pub mod cpf_xml;
pub mod manifest;
pub mod pdf;
pub mod report;
pub mod starter;
pub mod summary;

use jury_core::validate::{Analysis, Input, SessionData};

/// Everything a renderer of `jury run` may need.
pub struct Results<'a> {
    pub data: &'a SessionData,
    pub analysis: &'a Analysis,
    /// Inputs read, with their SHA-256, sorted by path.
    pub inputs: &'a [Input],
    /// Pending decisions allowed: documents say PROVISOIRE, no certificate.
    pub provisional: bool,
}

//! Renderers: turn findings and decisions into what people read (reports, workbooks,
//! documents) as text or bytes. They write no file.

pub mod report;

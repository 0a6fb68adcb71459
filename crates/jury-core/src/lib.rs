//! The pure core: plain data and functions, no file system, no clock, no environment.
//! It receives sheets and text, and returns findings and decisions.

pub mod agreement;
pub mod audit;
pub mod candidates;
pub mod certificate;
pub mod cpf;
pub mod decide;
pub mod deliberation;
pub mod digest;
pub mod example_row;
pub mod finding;
pub mod grid_audit;
pub mod grids;
pub mod header;
pub mod juror_grids;
pub mod manifest;
pub mod referential;
pub mod results;
pub mod session;
pub mod sheet;
pub mod text;
pub mod toml_text;
pub mod validate;
pub mod wording;

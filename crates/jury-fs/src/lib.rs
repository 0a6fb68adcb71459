//! The file system and processes of `jury`: the session loader and the reading children
//! that contain every workbook parser, the one atomic writer, results folders (staging,
//! manifest, ledger), document templates, new session folders.
//!
//! Bytes are decoded and encoded by `jury-formats`; what they mean is decided by
//! `jury-core`. Nothing here decides anything about a candidate.

pub mod atomic;
pub mod guard;
pub mod ledger;
pub mod new_folder;
pub mod output;
pub mod results;
pub mod session;
pub mod templates;

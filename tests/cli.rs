//! Integration tests of the `jury` binary, one test crate with modules by theme.
//!
//! Each test describes a session folder (see `cli/common.rs`), writes it into a temporary
//! folder, runs the real binary and asserts the findings (code, file, sheet, cell) and the
//! exit status. Committed fixtures made with LibreOffice live in `tests/fixtures/` (see its
//! README and `make-fixtures.sh`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
#[path = "cli/common.rs"]
mod common;

#[path = "cli/check_bad_input.rs"]
mod check_bad_input;
#[path = "cli/check_findings.rs"]
mod check_findings;
#[path = "cli/check_formats.rs"]
mod check_formats;
#[path = "cli/check_quirks.rs"]
mod check_quirks;

//! Integration tests of the `jury` binary: one test crate, with modules by theme.
//!
//! Two benches run the real binary in a temporary folder and print the command, its folder,
//! status, stdout and stderr when an assertion fails:
//!
//! - `cli/common.rs` describes a session folder in memory and writes it at test time (the
//!   `check_*`, `grid_audit` and `grid_files` modules); it also holds the runner and the
//!   readers of what the binary wrote (sheets, zip parts, JSON) that every module uses;
//! - `cli/sample.rs` copies the committed sample session (`samples/session-demo`) and runs
//!   commands on the copy (`run`, `audit`, `grids`, `documents`, `cpf`).
//!
//! `cli/golden.rs` holds `assert_golden`, which compares a text users read with
//! `tests/golden/<name>.txt` (`JURY_BLESS=1` rewrites the files).
//!
//! Committed fixtures made with LibreOffice live in `tests/fixtures/` (see its README and
//! scripts). Run one theme with `cargo test --test cli <module>::`, e.g.
//! `cargo test --test cli grids::`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
#[path = "cli/common.rs"]
mod common;
#[path = "cli/sample.rs"]
mod sample;

#[path = "cli/audit.rs"]
mod audit;
#[path = "cli/check_bad_input.rs"]
mod check_bad_input;
#[path = "cli/check_findings.rs"]
mod check_findings;
#[path = "cli/check_formats.rs"]
mod check_formats;
#[path = "cli/check_headers.rs"]
mod check_headers;
#[path = "cli/check_preflight.rs"]
mod check_preflight;
#[path = "cli/check_quirks.rs"]
mod check_quirks;
#[path = "cli/cpf.rs"]
mod cpf;
#[path = "cli/documents.rs"]
mod documents;
#[path = "cli/golden.rs"]
mod golden;
#[path = "cli/golden_toml.rs"]
mod golden_toml;
#[path = "cli/grid_audit.rs"]
mod grid_audit;
#[path = "cli/grid_files.rs"]
mod grid_files;
#[path = "cli/grids.rs"]
mod grids;
#[path = "cli/init.rs"]
mod init;
#[path = "cli/run.rs"]
mod run;
#[path = "cli/wording.rs"]
mod wording;

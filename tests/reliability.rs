//! Reliability and security: hostile workbooks, crashes mid-run, untrusted text, nothing
//! lost, reproducible outputs. Each module proves one guarantee of the README's
//! « Reliability » section by running the real binary:
//!
//! - `corpus`: every input of `tests/hostile/corpus/` gives exactly the finding, file and
//!   exit status of `tests/hostile/expected.tsv`, with no panic or abort, in under 5 s and
//!   512 MB; the readers' own limits (memory, CPU time) hold;
//! - `untrusted`: formula-like text stays text, control and bidirectional characters are
//!   findings, hostile ids never leave or collide in the results folder;
//! - `no_loss`: a failure after K of M files, an abort at each step of the swap and
//!   `kill -9` at several moments leave the previous complete results or none;
//! - `reproducible`: other clock, thread count and file order give the same bytes; one grid
//!   changed changes only that candidate's documents, the summary, the minutes and the
//!   manifest;
//! - `privacy`: no temporary file outside the staging folder, nothing on stderr;
//! - `grid_matrices`: any matrix of cells goes through the grid interpretation (property
//!   test; the stable half of the `grid` fuzz target of `fuzz/`).
//!
//! The tests of this binary run one at a time ([`support::serial`]): they measure wall time
//! and memory, and kill processes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "reliability/support.rs"]
mod support;

#[path = "reliability/corpus.rs"]
mod corpus;
#[path = "reliability/grid_matrices.rs"]
mod grid_matrices;
#[path = "reliability/no_loss.rs"]
mod no_loss;
#[path = "reliability/privacy.rs"]
mod privacy;
#[path = "reliability/reproducible.rs"]
mod reproducible;
#[path = "reliability/untrusted.rs"]
mod untrusted;

//! What the grid fuzzers feed `core::grids::read_grid_sheet`: a session with two jurors,
//! the built-in referential, and a vocabulary of headers, ids, levels and odd values from
//! which plausible grids are built quickly. Shared by the `grid` fuzz target
//! (`fuzz/fuzz_targets/grid.rs`), the mutation pass (`examples/mutate.rs`) and the property
//! test (`tests/reliability/grid_matrices.rs`), each including this file with `#[path]`.
#![allow(dead_code)]

use jury::core::referential::{Referential, BUILT_IN};
use jury::core::session::SessionConfig;

pub const SESSION: &str = r#"[session]
id = "FUZZ"
referential = "community-management"
date = 2026-11-27
place = "Lyon"
certifier = "Institut de test"

[[jury]]
name = "Claire Martin"
role = "Présidente du jury"

[[jury]]
name = "Paul Durand"
role = "Professionnel du secteur"
"#;

pub const WORDS: &[&str] = &[
    "N° candidat",
    "Nom",
    "Prénom",
    "Évaluateur :",
    "Évaluateur",
    "Critère",
    "Niveau",
    "Compétence",
    "Claire Martin",
    "Paul Durand",
    "Sophie",
    "2026001",
    "2026002",
    "Cr1.1",
    "Cr1.2",
    "Cr2",
    "Cr6.2",
    "C1",
    "Acquis",
    "Non acquis",
    "ABS",
    "abs",
    "NA",
    "A",
    "Observations",
    "",
    " ",
    "✓",
    "#N/A",
    "Cr1.1 – La cible",
    "cr 1.1",
    "Cr1.10",
    "N°",
    "\u{202E}",
    "=1+1",
];

/// The built-in referential and the session above (`None` only if either stopped parsing).
pub fn context() -> Option<(Referential, SessionConfig)> {
    let referential = Referential::parse(BUILT_IN.first()?.1, "built-in").ok()?;
    let session = SessionConfig::parse(SESSION, "session.toml").ok()?;
    Some((referential, session))
}

//! `jury` decides a French certification jury session from the jurors' score grids.
//!
//! The pipeline:
//!
//! ```text
//! cli ─► io::session::load ─► core::validate::analyse ─► render::* ─► io::output
//!        (workbooks → Sheet)   (findings + decisions)    (xlsx, json)   (staged, atomic)
//! ```
//!
//! `core` is pure: plain data and functions, no file system, clock or environment; it is its
//! own crate (`crates/jury-core`), so that Cargo refuses it any such dependency.
//! `io` reads and writes files; `render` turns results into bytes; `cli` wires commands.
//!
//! Glossary (the users' French words and the names used in the code):
//!
//! | French | code |
//! |---|---|
//! | référentiel | referential |
//! | compétence (C1…) | competency |
//! | critère (Cr1.1…) | criterion |
//! | grille | grid |
//! | évaluateur, juré | juror |
//! | délibération | deliberation |
//! | relevé de décision | statement |
//! | procès-verbal (PV) | minutes |
//! | certifié / non certifié | certified / not-certified |
//! | non recevable | non-recevable |
//! | constat | finding |
//! | titulaire | holder |
//! | accrochage (déclaration à la Caisse des Dépôts, SI CPF) | CPF declaration (`jury cpf`) |
//! | passage de certification | passage |
//! | accusé de traitement | processing report |
//! | registre | ledger |

pub mod cli;
/// The pure core, its own crate (`crates/jury-core`), so that Cargo refuses any file system,
/// workbook or PDF dependency there; re-exported so that `jury::core::…` paths stay.
pub use jury_core as core;
pub mod io;
pub mod render;

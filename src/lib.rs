//! `jury` decides a French certification jury session from the jurors' score grids.
//!
//! The pipeline:
//!
//! ```text
//! cli ─► fs::session::load ─► core::validate::analyse ─► formats::render::* ─► fs::output
//!        (workbooks → Sheet)   (findings + decisions)    (xlsx, pdf, json)      (staged, atomic)
//! ```
//!
//! Four crates, and Cargo refuses a dependency the wrong way: `jury-core` is pure (plain data
//! and functions, no file system, clock or environment); `jury-formats` turns bytes into
//! sheets and results into bytes, with no file system; `jury-fs` reads and writes files and
//! runs the reading children; this package (`cli`) wires the commands.
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
/// The pure core (`crates/jury-core`).
pub use jury_core as core;
/// Bytes in and out, no file system (`crates/jury-formats`).
pub use jury_formats as formats;
/// The file system and processes (`crates/jury-fs`).
pub use jury_fs as fs;

//! What a `jury run` produced, as every renderer and the manifest see it.

use crate::validate::{Analysis, Input, SessionData};

/// A session, its analysis, the inputs read and whether the run is provisional.
pub struct Results<'a> {
    pub data: &'a SessionData,
    pub analysis: &'a Analysis,
    /// Inputs read, with their SHA-256, sorted by path.
    pub inputs: &'a [Input],
    /// Pending decisions allowed: documents say PROVISOIRE, no certificate.
    pub provisional: bool,
}

//! `jury verify <results-dir> <number> <code>`: is this certificate genuine?
//!
//! Answers a certifier on the phone with an employer: the certificate exists, with that
//! verification code, for whom. The code is also recomputed from the manifest's record, so
//! an edited manifest does not vouch for a forged certificate.

use std::path::Path;

use crate::cli::error::{CliError, Done};
use crate::core::certificate::{normalise_code, Record};
use jury_fs::results::read_manifest;

pub fn run(results: &Path, number: &str, code: &str) -> Result<Done, CliError> {
    let manifest = read_manifest(results).map_err(CliError::refused)?;
    let Some(holder) = manifest
        .candidates
        .iter()
        .find(|c| c.certificate.as_deref() == Some(number.trim()))
    else {
        println!(
            "NON VÉRIFIÉ : aucun certificat n° {} dans ces résultats (session {}).",
            number.trim(),
            manifest.session.id
        );
        return Ok(Done::Flagged);
    };
    let acquired = holder.acquired();
    let recomputed = Record {
        session_id: &manifest.session.id,
        date_iso: &manifest.session.date,
        candidate_id: &holder.id,
        last_name: &holder.last_name,
        first_name: &holder.first_name,
        birth_date_iso: holder.birth_date.as_deref().unwrap_or(""),
        certification_code: manifest
            .session
            .referential
            .code
            .as_deref()
            .unwrap_or_default(),
        competencies: &acquired,
    }
    .verification_code();
    let stored = holder.verification_code.as_deref().unwrap_or("");
    let consistent = recomputed == stored;
    if normalise_code(code) != normalise_code(stored) || !consistent {
        println!(
            "NON VÉRIFIÉ : le code de vérification ne correspond pas au certificat n° {}.",
            number.trim()
        );
        return Ok(Done::Flagged);
    }
    let date = manifest
        .session
        .date
        .split('-')
        .rev()
        .collect::<Vec<_>>()
        .join("/");
    println!(
        "AUTHENTIQUE : certificat n° {} délivré à {} {} — « {} » ({}), jury du {}.",
        number.trim(),
        holder.first_name,
        holder.last_name,
        manifest.session.referential.title,
        manifest
            .session
            .referential
            .code
            .as_deref()
            .unwrap_or("sans code"),
        date
    );
    Ok(Done::Clean)
}

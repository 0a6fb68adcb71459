//! Certificate identity: the number printed on a certificate and its verification code.
//!
//! The code is derived by SHA-256 from the decision record, so an auditor can recompute it
//! from the manifest: `jury|<session id>|<jury date>|<candidate id>|<last name>|<first name>|
//! <birth date or empty>|<certification code>|<competency codes acquired, comma-separated>`.
//! Its alphabet has no 0, O, 1 or I, so it can be read over the phone.

use sha2::{Digest, Sha256};

use crate::text::safe_file_name;

/// 32 symbols without 0, O, 1, I.
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// The certificate number: `<session id>-<candidate id made safe>`, stable across reruns.
pub fn certificate_number(session_id: &str, candidate_id: &str) -> String {
    format!("{session_id}-{}", safe_file_name(candidate_id))
}

/// What the verification code is computed from.
pub struct Record<'a> {
    pub session_id: &'a str,
    pub date_iso: &'a str,
    pub candidate_id: &'a str,
    pub last_name: &'a str,
    pub first_name: &'a str,
    pub birth_date_iso: &'a str,
    pub certification_code: &'a str,
    pub competencies: &'a [&'a str],
}

impl Record<'_> {
    /// The exact text hashed, documented above.
    pub fn canonical(&self) -> String {
        [
            "jury",
            self.session_id,
            self.date_iso,
            self.candidate_id,
            self.last_name,
            self.first_name,
            self.birth_date_iso,
            self.certification_code,
            &self.competencies.join(","),
        ]
        .join("|")
    }

    /// Ten symbols in two groups: `K7M3Q-XW9PA`.
    pub fn verification_code(&self) -> String {
        let digest = Sha256::digest(self.canonical().as_bytes());
        let mut bits: u64 = 0;
        for byte in &digest[..8] {
            bits = (bits << 8) | u64::from(*byte);
        }
        let symbols: String = (0..10)
            .map(|i| ALPHABET[((bits >> (59 - 5 * i)) & 31) as usize] as char)
            .collect();
        format!("{}-{}", &symbols[..5], &symbols[5..])
    }
}

/// Normalises a code typed by a person (case, spaces, dashes) for comparison.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The verification code of a decided candidate's certificate.
pub fn code_for(
    session: &crate::session::SessionConfig,
    referential: &crate::referential::Referential,
    candidate: &crate::candidates::Candidate,
    decision: &crate::decide::Decision,
) -> String {
    let acquired: Vec<&str> = decision
        .competencies
        .iter()
        .filter(|c| c.status == crate::decide::Status::Acquired)
        .map(|c| c.code.as_str())
        .collect();
    let date = session.date.iso();
    let birth = candidate.birth_date.map(|d| d.iso()).unwrap_or_default();
    Record {
        session_id: &session.id,
        date_iso: &date,
        candidate_id: &candidate.id,
        last_name: &candidate.last_name,
        first_name: &candidate.first_name,
        birth_date_iso: &birth,
        // Without a code (a `--no-documents` or provisional run) the record holds it empty.
        certification_code: session.certification_code(referential).unwrap_or_default(),
        competencies: &acquired,
    }
    .verification_code()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record<'static> {
        Record {
            session_id: "CM-2026-11",
            date_iso: "2026-11-27",
            candidate_id: "2026001",
            last_name: "Lefèvre-N'Diaye",
            first_name: "Zoé",
            birth_date_iso: "1988-07-03",
            certification_code: "RS0000",
            competencies: &["C1", "C2"],
        }
    }

    #[test]
    fn codes_use_an_unambiguous_alphabet_and_are_stable() {
        let code = record().verification_code();
        assert_eq!(code.len(), 11);
        assert!(!code.contains(['0', 'O', '1', 'I']), "{code}");
        assert_eq!(code, record().verification_code());
    }

    #[test]
    fn any_change_in_the_record_changes_the_code() {
        let mut other = record();
        other.first_name = "Zoe";
        assert_ne!(other.verification_code(), record().verification_code());
    }

    #[test]
    fn typed_codes_are_normalised() {
        assert_eq!(normalise_code(" k7m3q - xw9pa "), "K7M3QXW9PA");
        assert_eq!(certificate_number("S", "a/b"), "S-a_b");
    }
}

//! The ledger of declarations (`<results>/cpf/registre.json`): one entry per passage, what
//! was exported, in which file, and what the Caisse des Dépôts answered.
//!
//! The rules only: which passages an export sends, and how a processing report changes
//! their status. `io::ledger` reads and writes the file; times come from the caller.

use serde::{Deserialize, Serialize};

use crate::cpf::Passage;
use crate::digest::sha256_hex;
use crate::text::fold;
use crate::wording::count;

/// Where a passage stands with the Caisse des Dépôts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// In a file written by `jury cpf`, no report read yet.
    Exported,
    /// The report says OK: the certification is in the holder's account.
    Accepted,
    /// The report says KO: correct the candidate's data and export again.
    Rejected,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Exported => "exporté",
            Status::Accepted => "accepté",
            Status::Rejected => "rejeté",
        }
    }
}

/// One passage's line in the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub id_technique: String,
    pub candidate: String,
    /// « Prénom Nom », for people.
    pub holder: String,
    /// SHA-256 of the passage's content as last exported: a rejected passage is sent again
    /// once corrected, not as it was.
    #[serde(default)]
    pub sha256: String,
    /// The `idFlux` of the last file that carried it.
    pub id_flux: String,
    /// That file, relative to the results folder when inside it.
    pub file: String,
    /// When it was last exported (UTC, wall clock: this is a journal).
    pub exported_at: String,
    pub status: Status,
    /// The CDC's message for this passage, from the last report read.
    #[serde(default)]
    pub message: Option<String>,
    /// When the last report about it was read.
    #[serde(default)]
    pub reported_at: Option<String>,
}

/// The whole ledger of a results folder.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub session: String,
    pub passages: Vec<Entry>,
}

/// One line of a CDC processing report: a passage and its verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportLine {
    pub id_technique: String,
    pub ok: bool,
    pub message: Option<String>,
}

/// What a report changed.
#[derive(Debug, Default)]
pub struct ReportOutcome {
    pub accepted: Vec<Entry>,
    pub rejected: Vec<Entry>,
    /// Ids of the report that the ledger does not know.
    pub unknown: Vec<String>,
}

/// Which passages an export sends, and why the others are not sent.
#[derive(Debug, Default)]
pub struct Selection<'a> {
    pub send: Vec<&'a Passage>,
    /// Already exported (no report yet) or accepted.
    pub done: Vec<&'a Passage>,
    /// Rejected, and unchanged since: sending them again would be rejected again.
    pub unchanged: Vec<&'a Entry>,
}

/// SHA-256 of a passage's content.
pub fn content_hash(passage: &Passage) -> String {
    sha256_hex(
        serde_json::to_string(passage)
            .unwrap_or_default()
            .as_bytes(),
    )
}

/// OK or KO (and their French synonyms) from a report's status cell; `None` otherwise.
pub fn verdict(text: &str) -> Option<bool> {
    match fold(text).as_str() {
        "ok" | "accepte" | "acceptee" | "valide" | "validee" | "integre" | "succes" | "success" => {
            Some(true)
        }
        "ko" | "rejete" | "rejetee" | "refuse" | "refusee" | "erreur" | "error" | "echec"
        | "anomalie" => Some(false),
        _ => None,
    }
}

impl Ledger {
    pub fn get(&self, id_technique: &str) -> Option<&Entry> {
        self.passages
            .iter()
            .find(|e| e.id_technique == id_technique)
    }

    /// Chooses the passages to send: new ones, and rejected ones whose content changed
    /// since (corrected). With `again`, every passage.
    pub fn select<'a>(&'a self, passages: &'a [Passage], again: bool) -> Selection<'a> {
        let mut out = Selection::default();
        for p in passages {
            match self.get(&p.id_technique) {
                _ if again => out.send.push(p),
                None => out.send.push(p),
                Some(e) if e.status != Status::Rejected => out.done.push(p),
                Some(e) if e.sha256 == content_hash(p) => out.unchanged.push(e),
                Some(_) => out.send.push(p),
            }
        }
        out
    }

    /// Records that `passages` were written to `file` as flux `id_flux` at `at`.
    pub fn record_export(&mut self, passages: &[Passage], id_flux: &str, file: &str, at: &str) {
        for p in passages {
            let entry = Entry {
                id_technique: p.id_technique.clone(),
                candidate: p.candidate.clone(),
                holder: p.holder_name(),
                sha256: content_hash(p),
                id_flux: id_flux.to_string(),
                file: file.to_string(),
                exported_at: at.to_string(),
                status: Status::Exported,
                message: None,
                reported_at: None,
            };
            match self
                .passages
                .iter_mut()
                .find(|e| e.id_technique == p.id_technique)
            {
                Some(e) => *e = entry,
                None => self.passages.push(entry),
            }
        }
    }

    /// Records a processing report read at `at`: OK → accepted, KO → rejected, with the
    /// message. Lines about passages the ledger does not know are returned, not recorded.
    pub fn apply_report(&mut self, lines: &[ReportLine], at: &str) -> ReportOutcome {
        let mut outcome = ReportOutcome::default();
        for line in lines {
            let Some(entry) = self
                .passages
                .iter_mut()
                .find(|e| e.id_technique == line.id_technique)
            else {
                outcome.unknown.push(line.id_technique.clone());
                continue;
            };
            entry.status = if line.ok {
                Status::Accepted
            } else {
                Status::Rejected
            };
            entry.message.clone_from(&line.message);
            entry.reported_at = Some(at.to_string());
            if line.ok {
                outcome.accepted.push(entry.clone());
            } else {
                outcome.rejected.push(entry.clone());
            }
        }
        outcome
    }

    /// What a report changed, for people: counts, every rejected passage with its holder
    /// and message, the ids the ledger does not know, and where the ledger stands.
    pub fn report_text(&self, outcome: &ReportOutcome, report: &str) -> String {
        let (accepted, rejected) = (outcome.accepted.len(), outcome.rejected.len());
        let mut out = format!(
            "Rapport {report} : {}, {}.\n",
            count(accepted, "passage accepté", "passages acceptés"),
            count(rejected, "rejeté", "rejetés")
        );
        if rejected > 0 {
            let (title, them) = if rejected > 1 {
                ("Rejetés", "les renvoie")
            } else {
                ("Rejeté", "le renvoie")
            };
            out.push_str(&format!("\n{title} — corrigez le fichier des candidats, relancez `jury run --force`, puis `jury cpf` {them} :\n"));
        }
        for e in &outcome.rejected {
            out.push_str(&format!(
                "  KO {} — {} (candidat {}) : {}\n",
                e.id_technique,
                e.holder,
                e.candidate,
                e.message.as_deref().unwrap_or("(sans message)")
            ));
        }
        if !outcome.unknown.is_empty() {
            let what = if outcome.unknown.len() > 1 {
                "Passages inconnus du registre (ignorés)"
            } else {
                "Passage inconnu du registre (ignoré)"
            };
            out.push_str(&format!("\n{what} : {}.\n", outcome.unknown.join(", ")));
        }
        let (exported, accepted, rejected) = self.counts();
        out.push_str(&format!(
            "\nRegistre : {}, {}, {} sans réponse.\n",
            count(accepted, "passage accepté", "passages acceptés"),
            count(rejected, "rejeté", "rejetés"),
            count(exported, "exporté", "exportés")
        ));
        out
    }

    /// How many passages stand at each status: exported, accepted, rejected.
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |s: Status| self.passages.iter().filter(|e| e.status == s).count();
        (
            n(Status::Exported),
            n(Status::Accepted),
            n(Status::Rejected),
        )
    }
}

//! The `check` report: text for a jury secretary, grouped by file, or one JSON object as
//! the contract describes.

use std::fmt::Write as _;

use serde::Serialize;

use jury_core::decide::Outcome;
use jury_core::finding::{Code, Finding, Severity};
use jury_core::wording::count;

/// What the summary line counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub candidates: usize,
    pub grids: usize,
    pub certified: usize,
    pub not_certified: usize,
    pub absent: usize,
    pub non_recevable: usize,
    pub pending: usize,
}

impl Summary {
    /// A summary counting the errors and warnings of `findings` (other counts at zero).
    pub fn of(findings: &[Finding]) -> Summary {
        let errors = findings
            .iter()
            .filter(|f| f.severity() > Severity::Warning)
            .count();
        Summary {
            errors,
            warnings: findings.len() - errors,
            ..Summary::default()
        }
    }

    pub fn count_outcomes(&mut self, outcomes: impl IntoIterator<Item = Outcome>) {
        for outcome in outcomes {
            match outcome {
                Outcome::Certified => self.certified += 1,
                Outcome::NotCertified => self.not_certified += 1,
                Outcome::Absent => self.absent += 1,
                Outcome::NonRecevable => self.non_recevable += 1,
                Outcome::Pending => self.pending += 1,
            }
        }
    }
}

/// A finding as printed in JSON: the contract's fields, message and hint joined.
#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    message: String,
    file: Option<&'a str>,
    sheet: Option<&'a str>,
    cell: Option<&'a str>,
    candidate: Option<&'a str>,
    criterion: Option<&'a str>,
    juror: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
}

impl<'a> From<&'a Finding> for JsonFinding<'a> {
    fn from(f: &'a Finding) -> Self {
        JsonFinding {
            code: f.code.as_str(),
            message: f.full_message(),
            file: f.file.as_deref(),
            sheet: f.sheet.as_deref(),
            cell: f.cell.as_deref(),
            candidate: f.candidate.as_deref(),
            criterion: f.criterion.as_deref(),
            juror: f.juror.as_deref(),
            line: f.line,
            column: f.column,
        }
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    ok: bool,
    errors: Vec<JsonFinding<'a>>,
    warnings: Vec<JsonFinding<'a>>,
    summary: &'a Summary,
}

/// Findings in reading order: by file (session files first), sheet, row, column.
pub fn sorted(findings: &[Finding]) -> Vec<&Finding> {
    let mut out: Vec<&Finding> = findings.iter().collect();
    out.sort_by_key(|f| {
        let file_rank = match f.file.as_deref() {
            None => 0,
            Some("session.toml") => 1,
            Some(_) => 2,
        };
        let (row, col) = f.cell.as_deref().map_or((0, 0), parse_a1);
        (file_rank, f.file.clone(), f.sheet.clone(), f.line, row, col)
    });
    out
}

/// `"AB5"` → (4, 27); anything else → (0, 0).
fn parse_a1(cell: &str) -> (u32, u32) {
    let letters: String = cell.chars().take_while(char::is_ascii_uppercase).collect();
    let row: u32 = cell[letters.len()..].parse().unwrap_or(1);
    let col = letters.bytes().fold(0u32, |acc, b| {
        acc.saturating_mul(26)
            .saturating_add(u32::from(b - b'A') + 1)
    });
    (row.saturating_sub(1), col.saturating_sub(1))
}

pub fn json(findings: &[Finding], summary: &Summary) -> String {
    let order = sorted(findings);
    let (errors, warnings): (Vec<&Finding>, Vec<&Finding>) = order
        .into_iter()
        .partition(|f| f.severity() > Severity::Warning);
    let report = JsonReport {
        ok: errors.is_empty(),
        errors: errors.into_iter().map(JsonFinding::from).collect(),
        warnings: warnings.into_iter().map(JsonFinding::from).collect(),
        summary,
    };
    // Infallible: the report holds only strings, numbers, booleans, options and lists,
    // which serde_json always serialises (it fails only on a map with non-string keys or
    // a failing writer, and a String never fails).
    serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".into())
}

/// The text report: one block per file, one entry per finding, a summary line last.
pub fn text(title: Option<&str>, findings: &[Finding], summary: &Summary) -> String {
    let mut out = String::new();
    if let Some(title) = title {
        let _ = writeln!(out, "{title}\n");
    }
    let mut current: Option<Option<&str>> = None;
    for f in sorted(findings) {
        if current != Some(f.file.as_deref()) {
            if current.is_some() {
                out.push('\n');
            }
            let _ = writeln!(out, "{}", f.file.as_deref().unwrap_or("Session"));
            current = Some(f.file.as_deref());
        }
        let severity = if f.severity() > Severity::Warning {
            "erreur"
        } else {
            "avertissement"
        };
        let place = match (&f.sheet, &f.cell, f.line) {
            (Some(sheet), Some(cell), _) => format!("{sheet}!{cell} "),
            (Some(sheet), None, _) => format!("feuille « {sheet} » "),
            (_, _, Some(line)) => format!("ligne {line}, colonne {} ", f.column.unwrap_or(1)),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "  {severity} [{}] {place}: {}",
            f.code.as_str(),
            f.message
        );
        if let Some(hint) = &f.hint {
            let _ = writeln!(out, "      → {hint}");
        }
    }
    if !findings.is_empty() {
        out.push('\n');
    }
    let unread = findings
        .iter()
        .any(|f| matches!(f.code, Code::InvalidConfig | Code::InvalidReferential));
    let line = if unread {
        unread_line(summary)
    } else {
        summary_line(summary)
    };
    let _ = writeln!(out, "{line}");
    out
}

pub fn summary_line(s: &Summary) -> String {
    let verdict = if s.errors > 0 {
        "corrigez les erreurs puis relancez `jury check`"
    } else if s.pending > 0 {
        "des décisions attendent la délibération du jury"
    } else {
        "la session peut être décidée avec `jury run`"
    };
    format!(
        "Bilan : {}, {} ; {} pour {} ; {verdict}.",
        count(s.errors, "erreur", "erreurs"),
        count(s.warnings, "avertissement", "avertissements"),
        count(s.grids, "grille lue", "grilles lues"),
        count(s.candidates, "candidat", "candidats"),
    )
}

/// The summary when `session.toml` or the referential could not be used: no workbook was
/// read, so there is nothing to count but the findings.
fn unread_line(s: &Summary) -> String {
    format!(
        "Bilan : {}, {} ; aucun classeur n'a encore été lu : corrigez d'abord le fichier nommé ci-dessus, puis relancez `jury check`.",
        count(s.errors, "erreur", "erreurs"),
        count(s.warnings, "avertissement", "avertissements"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_parses_back() {
        assert_eq!(parse_a1("A1"), (0, 0));
        assert_eq!(parse_a1("AB5"), (4, 27));
    }

    #[test]
    fn the_summary_line_agrees_with_its_numbers() {
        let none = Summary::default();
        assert_eq!(
            summary_line(&none),
            "Bilan : 0 erreur, 0 avertissement ; 0 grille lue pour 0 candidat ; la session peut être décidée avec `jury run`."
        );
        let some = Summary {
            errors: 2,
            warnings: 1,
            grids: 3,
            candidates: 25,
            ..Summary::default()
        };
        assert!(summary_line(&some).starts_with(
            "Bilan : 2 erreurs, 1 avertissement ; 3 grilles lues pour 25 candidats ;"
        ));
    }
}

//! Audit: comparing what a results folder recorded with what its files and inputs say now.
//!
//! Pure comparisons over recorded and recomputed values; `cli::audit` gathers them.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::decide::Status;
use crate::manifest::Candidate;
use crate::validate::Input;

/// What happened to a file since the manifest was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileChange {
    Changed,
    Missing,
    Added,
}

impl FileChange {
    pub fn label(self) -> &'static str {
        match self {
            FileChange::Changed => "modifié",
            FileChange::Missing => "disparu",
            FileChange::Added => "apparu",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileDifference {
    pub path: String,
    pub change: FileChange,
}

/// Files recorded vs files found now (same relative paths), sorted by path.
pub fn compare_files(recorded: &[Input], current: &[Input]) -> Vec<FileDifference> {
    let before: BTreeMap<&str, &str> = recorded
        .iter()
        .map(|i| (i.path.as_str(), i.sha256.as_str()))
        .collect();
    let now: BTreeMap<&str, &str> = current
        .iter()
        .map(|i| (i.path.as_str(), i.sha256.as_str()))
        .collect();
    let paths: BTreeSet<&str> = before.keys().chain(now.keys()).copied().collect();
    paths
        .into_iter()
        .filter_map(|path| {
            let change = match (before.get(path), now.get(path)) {
                (Some(a), Some(b)) if a == b => return None,
                (Some(_), Some(_)) => FileChange::Changed,
                (Some(_), None) => FileChange::Missing,
                (None, _) => FileChange::Added,
            };
            Some(FileDifference {
                path: path.to_string(),
                change,
            })
        })
        .collect()
}

/// A candidate whose recorded decision differs from the recomputed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionDifference {
    pub candidate: String,
    /// What differs, in French: « décision », « compétence C3 », « certificat »…
    pub what: String,
    pub recorded: String,
    pub recomputed: String,
}

fn shown(value: Option<&str>) -> String {
    value.unwrap_or("—").to_string()
}

/// Recorded decisions vs recomputed ones, candidate by candidate.
pub fn compare_decisions(
    recorded: &[Candidate],
    recomputed: &[Candidate],
) -> Vec<DecisionDifference> {
    let now: BTreeMap<&str, &Candidate> = recomputed.iter().map(|c| (c.id.as_ref(), c)).collect();
    let before: BTreeMap<&str, &Candidate> = recorded.iter().map(|c| (c.id.as_ref(), c)).collect();
    let mut out = Vec::new();
    let diff = |out: &mut Vec<DecisionDifference>, id: &str, what: String, a: String, b: String| {
        if a != b {
            out.push(DecisionDifference {
                candidate: id.to_string(),
                what,
                recorded: a,
                recomputed: b,
            });
        }
    };
    for (id, old) in &before {
        let Some(new) = now.get(id) else {
            diff(
                &mut out,
                id,
                "candidat".into(),
                old.decision.as_str().into(),
                "absent du fichier des candidats".into(),
            );
            continue;
        };
        diff(
            &mut out,
            id,
            "décision".into(),
            old.decision.as_str().into(),
            new.decision.as_str().into(),
        );
        let codes: BTreeSet<&str> = old
            .competencies
            .0
            .iter()
            .chain(&new.competencies.0)
            .map(|(c, _)| c.as_ref())
            .collect();
        for code in codes {
            diff(
                &mut out,
                id,
                format!("compétence {code}"),
                shown(old.status(code).map(Status::as_str)),
                shown(new.status(code).map(Status::as_str)),
            );
        }
        diff(
            &mut out,
            id,
            "certificat".into(),
            shown(old.certificate.as_deref()),
            shown(new.certificate.as_deref()),
        );
        diff(
            &mut out,
            id,
            "code de vérification".into(),
            shown(old.verification_code.as_deref()),
            shown(new.verification_code.as_deref()),
        );
    }
    for (id, new) in &now {
        if !before.contains_key(id) {
            diff(
                &mut out,
                id,
                "candidat".into(),
                "absent du manifeste".into(),
                new.decision.as_str().into(),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::Outcome;
    use crate::manifest::{Competencies, Trace};

    fn input(path: &str, sha: &str) -> Input {
        Input {
            path: path.into(),
            sha256: sha.into(),
        }
    }

    #[test]
    fn files_changed_missing_and_added() {
        let before = [input("a", "1"), input("b", "2"), input("c", "3")];
        let now = [input("a", "1"), input("b", "9"), input("d", "4")];
        let diffs = compare_files(&before, &now);
        let got: Vec<(&str, FileChange)> =
            diffs.iter().map(|d| (d.path.as_str(), d.change)).collect();
        assert_eq!(
            got,
            [
                ("b", FileChange::Changed),
                ("c", FileChange::Missing),
                ("d", FileChange::Added)
            ]
        );
    }

    fn candidate(id: &str, decision: Outcome, c1: Status) -> Candidate<'_> {
        Candidate {
            id: id.into(),
            last_name: "".into(),
            first_name: "".into(),
            birth_date: None,
            decision,
            competencies: Competencies(vec![("C1".into(), c1)]),
            certificate: None,
            verification_code: None,
            trace: Trace::NotRead,
        }
    }

    #[test]
    fn decisions_that_differ_are_named() {
        let before = [
            candidate("1", Outcome::Certified, Status::Acquired),
            candidate("2", Outcome::Certified, Status::Acquired),
        ];
        let now = [
            candidate("1", Outcome::Certified, Status::Acquired),
            candidate("2", Outcome::NotCertified, Status::NotAcquired),
        ];
        let diffs = compare_decisions(&before, &now);
        assert_eq!(diffs.len(), 2);
        assert_eq!(
            (diffs[0].candidate.as_str(), diffs[0].what.as_str()),
            ("2", "décision")
        );
        assert_eq!(diffs[1].what, "compétence C1");
        assert!(compare_decisions(&now, &now).is_empty());
    }
}

//! Audit: comparing what a results folder recorded with what its files and inputs say now.
//!
//! Pure comparisons over recorded and recomputed values; `cli::audit` gathers them.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::validate::Input;

/// The parts of `manifest.json` an audit needs.
#[derive(Debug, Clone, Deserialize)]
pub struct Recorded {
    pub tool: RecordedTool,
    #[serde(default)]
    pub provisional: bool,
    pub session: RecordedSession,
    pub inputs: Vec<Input>,
    pub outputs: Vec<Input>,
    pub candidates: Vec<RecordedCandidate>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RecordedTool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RecordedSession {
    pub id: String,
    pub date: String,
    #[serde(default)]
    pub path: String,
    pub referential: RecordedReferential,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RecordedReferential {
    /// `null` when the session gave no registration code (a run without certificates).
    #[serde(default)]
    pub code: Option<String>,
    pub title: String,
    pub sha256: Option<String>,
    pub rules_sha256: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct RecordedCandidate {
    pub id: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub first_name: String,
    pub birth_date: Option<String>,
    pub decision: String,
    /// Competency code → status, in the manifest's (referential) order.
    #[serde(deserialize_with = "ordered_pairs")]
    pub competencies: Vec<(String, String)>,
    pub certificate: Option<String>,
    pub verification_code: Option<String>,
}

/// Reads a JSON object into its (key, value) pairs, keeping the document's order.
fn ordered_pairs<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<(String, String)>, D::Error> {
    struct Pairs;
    impl<'de> serde::de::Visitor<'de> for Pairs {
        type Value = Vec<(String, String)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of competency statuses")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(pair) = map.next_entry::<String, String>()? {
                out.push(pair);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(Pairs)
}

impl RecordedCandidate {
    fn status(&self, code: &str) -> Option<&str> {
        self.competencies
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, s)| s.as_str())
    }
}

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
    recorded: &[RecordedCandidate],
    recomputed: &[RecordedCandidate],
) -> Vec<DecisionDifference> {
    let now: BTreeMap<&str, &RecordedCandidate> =
        recomputed.iter().map(|c| (c.id.as_str(), c)).collect();
    let before: BTreeMap<&str, &RecordedCandidate> =
        recorded.iter().map(|c| (c.id.as_str(), c)).collect();
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
                old.decision.clone(),
                "absent du fichier des candidats".into(),
            );
            continue;
        };
        diff(
            &mut out,
            id,
            "décision".into(),
            old.decision.clone(),
            new.decision.clone(),
        );
        let codes: BTreeSet<&String> = old
            .competencies
            .iter()
            .chain(&new.competencies)
            .map(|(c, _)| c)
            .collect();
        for code in codes {
            diff(
                &mut out,
                id,
                format!("compétence {code}"),
                shown(old.status(code)),
                shown(new.status(code)),
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
                new.decision.clone(),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn candidate(id: &str, decision: &str, c1: &str) -> RecordedCandidate {
        RecordedCandidate {
            id: id.into(),
            last_name: String::new(),
            first_name: String::new(),
            birth_date: None,
            decision: decision.into(),
            competencies: vec![("C1".to_string(), c1.to_string())],
            certificate: None,
            verification_code: None,
        }
    }

    #[test]
    fn decisions_that_differ_are_named() {
        let before = [
            candidate("1", "certified", "acquired"),
            candidate("2", "certified", "acquired"),
        ];
        let now = [
            candidate("1", "certified", "acquired"),
            candidate("2", "not-certified", "not-acquired"),
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

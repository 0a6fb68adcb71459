//! Audit: comparing what a results folder recorded with what its files and inputs say now.
//!
//! Pure comparisons over recorded and recomputed values; `jury audit` (`src/cli/audit.rs`) gathers them.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::decide::{Outcome, Status};
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionDifference {
    pub candidate: String,
    pub difference: Difference,
}

/// What differs about one candidate: the recorded value first, the recomputed one second;
/// `None` where one side has nothing (no such competency, no certificate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// Recorded in the manifest, no longer in the candidates file.
    Vanished(Outcome),
    /// In the candidates file, not in the manifest.
    Appeared(Outcome),
    Decision(Outcome, Outcome),
    Competency {
        code: String,
        recorded: Option<Status>,
        recomputed: Option<Status>,
    },
    Certificate(Option<String>, Option<String>),
    VerificationCode(Option<String>, Option<String>),
}

impl Difference {
    /// What differs, in French: « décision », « compétence C3 », « certificat »…
    pub fn what(&self) -> String {
        match self {
            Difference::Vanished(_) | Difference::Appeared(_) => "candidat".into(),
            Difference::Decision(..) => "décision".into(),
            Difference::Competency { code, .. } => format!("compétence {code}"),
            Difference::Certificate(..) => "certificat".into(),
            Difference::VerificationCode(..) => "code de vérification".into(),
        }
    }

    /// The two sides as `jury audit --format json` writes them: the manifest's codes, the
    /// words « absent du manifeste » or « absent du fichier des candidats », « — » for none.
    pub fn sides(&self) -> (String, String) {
        fn shown(value: Option<&str>) -> String {
            value.unwrap_or("—").to_string()
        }
        match self {
            Difference::Vanished(o) => {
                (o.as_str().into(), "absent du fichier des candidats".into())
            }
            Difference::Appeared(o) => ("absent du manifeste".into(), o.as_str().into()),
            Difference::Decision(a, b) => (a.as_str().into(), b.as_str().into()),
            Difference::Competency {
                recorded,
                recomputed,
                ..
            } => (
                shown(recorded.map(Status::as_str)),
                shown(recomputed.map(Status::as_str)),
            ),
            Difference::Certificate(a, b) | Difference::VerificationCode(a, b) => {
                (shown(a.as_deref()), shown(b.as_deref()))
            }
        }
    }
}

/// Serialised as `{"candidate", "what", "recorded", "recomputed"}`, all text.
impl Serialize for DecisionDifference {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (recorded, recomputed) = self.difference.sides();
        let mut s = serializer.serialize_struct("DecisionDifference", 4)?;
        s.serialize_field("candidate", &self.candidate)?;
        s.serialize_field("what", &self.difference.what())?;
        s.serialize_field("recorded", &recorded)?;
        s.serialize_field("recomputed", &recomputed)?;
        s.end()
    }
}

/// Recorded decisions vs recomputed ones, candidate by candidate (by id), then the
/// candidates decided now that the manifest does not hold.
pub fn compare_decisions(
    recorded: &[Candidate],
    recomputed: &[Candidate],
) -> Vec<DecisionDifference> {
    let now: BTreeMap<&str, &Candidate> = recomputed.iter().map(|c| (c.id.as_ref(), c)).collect();
    let before: BTreeMap<&str, &Candidate> = recorded.iter().map(|c| (c.id.as_ref(), c)).collect();
    let mut out = Vec::new();
    for (id, old) in &before {
        let differences = match now.get(id) {
            None => vec![Difference::Vanished(old.decision)],
            Some(new) => candidate_differences(old, new),
        };
        out.extend(
            differences
                .into_iter()
                .map(|difference| DecisionDifference {
                    candidate: id.to_string(),
                    difference,
                }),
        );
    }
    for (id, new) in &now {
        if !before.contains_key(id) {
            out.push(DecisionDifference {
                candidate: id.to_string(),
                difference: Difference::Appeared(new.decision),
            });
        }
    }
    out
}

/// What differs between one candidate's recorded and recomputed decisions: decision,
/// each competency (in code order), certificate, verification code.
fn candidate_differences(old: &Candidate, new: &Candidate) -> Vec<Difference> {
    let mut out = Vec::new();
    if old.decision != new.decision {
        out.push(Difference::Decision(old.decision, new.decision));
    }
    let codes: BTreeSet<&str> = old
        .competencies
        .0
        .iter()
        .chain(&new.competencies.0)
        .map(|(c, _)| c.as_ref())
        .collect();
    for code in codes {
        let (recorded, recomputed) = (old.status(code), new.status(code));
        if recorded != recomputed {
            out.push(Difference::Competency {
                code: code.to_string(),
                recorded,
                recomputed,
            });
        }
    }
    let text = |value: &Option<std::borrow::Cow<str>>| value.as_deref().map(str::to_string);
    if old.certificate != new.certificate {
        out.push(Difference::Certificate(
            text(&old.certificate),
            text(&new.certificate),
        ));
    }
    if old.verification_code != new.verification_code {
        out.push(Difference::VerificationCode(
            old.verification_code.clone(),
            new.verification_code.clone(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
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
            (
                diffs[0].candidate.as_str(),
                diffs[0].difference.what().as_str()
            ),
            ("2", "décision")
        );
        assert_eq!(diffs[1].difference.what(), "compétence C1");
        assert_eq!(
            serde_json::to_string(&diffs[1]).unwrap(),
            r#"{"candidate":"2","what":"compétence C1","recorded":"acquired","recomputed":"not-acquired"}"#
        );
        assert!(compare_decisions(&now, &now).is_empty());
    }
}

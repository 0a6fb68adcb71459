//! `manifest.json`'s schema: the one type that `jury run` writes and that `jury audit`,
//! `jury verify`, `jury cpf` and `--force` read back.
//!
//! What was decided, from which inputs, under which rules and by which version of `jury`,
//! with the SHA-256 of every input and output, so that anyone can prove later that nothing
//! changed. No wall-clock time: the same inputs give the same bytes.
//!
//! The writer borrows what the session holds (`Cow::Borrowed`); a manifest read back owns
//! its text (`Manifest<'static>`). Reading is as tolerant as `jury` has always been of a
//! manifest written by an earlier version: `provisional`, the session's `path`, a
//! candidate's names and the referential's code and hashes may be missing. A candidate's
//! `trace` is written for people and is not read back (see [`Trace`]).

use std::borrow::Cow;

use serde::ser::{Error as _, SerializeMap};
use serde::{Deserialize, Serialize, Serializer};

use crate::decide::{CompetencyResult, Decision, Outcome, Override, Status};
use crate::digest::sha256_hex;
use crate::referential::Referential;
use crate::results::Results;
use crate::session::EffectiveRules;
use crate::validate::Input;

/// The name `--force` looks for before replacing a results folder.
pub const TOOL_NAME: &str = "jury";

/// The version of `jury` that writes manifests (every crate of the workspace shares it).
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest<'a> {
    pub tool: Tool<'a>,
    #[serde(default)]
    pub provisional: bool,
    pub session: Session<'a>,
    pub inputs: Cow<'a, [Input]>,
    pub outputs: Vec<Input>,
    pub counts: Counts,
    pub candidates: Vec<Candidate<'a>>,
}

/// Which program wrote the manifest: `--force` replaces only folders that `jury` wrote.
#[derive(Debug, Serialize, Deserialize)]
pub struct Tool<'a> {
    pub name: Cow<'a, str>,
    pub version: Cow<'a, str>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Session<'a> {
    pub id: Cow<'a, str>,
    /// ISO 8601 (`2026-06-12`).
    pub date: String,
    pub place: Cow<'a, str>,
    pub certifier: Cow<'a, str>,
    /// The session folder, relative to the results folder when possible.
    #[serde(default)]
    pub path: String,
    pub referential: ReferentialInfo<'a>,
    pub rules: EffectiveRules,
    pub jury: Vec<Member<'a>>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ReferentialInfo<'a> {
    pub name: Cow<'a, str>,
    /// The certification's registration code (`[session] code`, else the referential's);
    /// `null` when neither gives one (possible only without certificates).
    pub code: Option<Cow<'a, str>>,
    pub title: Cow<'a, str>,
    /// SHA-256 of the referential as parsed (see [`referential_hash`]).
    pub sha256: Option<String>,
    /// SHA-256 of what decides (see [`rules_hash`]): an audit under another version of
    /// `jury` or referential says so instead of silently deciding differently.
    pub rules_sha256: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Member<'a> {
    pub name: Cow<'a, str>,
    pub role: Cow<'a, str>,
    pub external: bool,
}

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub candidates: usize,
    pub certified: usize,
    pub not_certified: usize,
    pub absent: usize,
    pub non_recevable: usize,
    pub pending: usize,
}

impl Counts {
    /// How many candidates have each outcome.
    pub fn of(decisions: &[Decision]) -> Counts {
        let mut counts = Counts {
            candidates: decisions.len(),
            ..Counts::default()
        };
        for d in decisions {
            match d.outcome {
                Outcome::Certified => counts.certified += 1,
                Outcome::NotCertified => counts.not_certified += 1,
                Outcome::Absent => counts.absent += 1,
                Outcome::NonRecevable => counts.non_recevable += 1,
                Outcome::Pending => counts.pending += 1,
            }
        }
        counts
    }
}

/// One candidate's decision: one line of the manifest.
#[derive(Debug, Serialize, Deserialize)]
pub struct Candidate<'a> {
    pub id: Cow<'a, str>,
    #[serde(default)]
    pub last_name: Cow<'a, str>,
    #[serde(default)]
    pub first_name: Cow<'a, str>,
    /// ISO 8601, when the candidates file gives it.
    pub birth_date: Option<String>,
    pub decision: Outcome,
    pub competencies: Competencies<'a>,
    pub certificate: Option<Cow<'a, str>>,
    /// The certificate's verification code (see `certificate`), when certified.
    pub verification_code: Option<String>,
    #[serde(skip_deserializing)]
    pub trace: Trace<'a>,
}

impl Candidate<'_> {
    /// The recorded status of competency `code`.
    pub fn status(&self, code: &str) -> Option<Status> {
        self.competencies
            .0
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, s)| *s)
    }

    /// The codes of the competencies acquired, in the manifest's order.
    pub fn acquired(&self) -> Vec<&str> {
        self.competencies
            .0
            .iter()
            .filter(|(_, s)| *s == Status::Acquired)
            .map(|(c, _)| c.as_ref())
            .collect()
    }
}

/// Competency code → status, in referential order: a JSON object whose order is kept.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Competencies<'a>(pub Vec<(Cow<'a, str>, Status)>);

impl Serialize for Competencies<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (code, status) in &self.0 {
            map.serialize_entry(code, status)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Competencies<'_> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> serde::de::Visitor<'de> for Pairs {
            type Value = Vec<(Cow<'static, str>, Status)>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of competency statuses")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut pairs = Vec::new();
                while let Some((code, status)) = map.next_entry::<String, Status>()? {
                    pairs.push((Cow::Owned(code), status));
                }
                Ok(pairs)
            }
        }
        deserializer.deserialize_map(Pairs).map(Competencies)
    }
}

/// How the decision was reached: the outcome computed from the grids, the jurors whose
/// grids counted, every level with its cell, and the deliberation rows applied.
///
/// Written for auditors to read; `jury audit` recomputes it rather than reading it, so a
/// manifest read back holds [`Trace::NotRead`].
#[derive(Debug, Default)]
pub enum Trace<'a> {
    Decided {
        computed: Outcome,
        jurors: &'a [String],
        deliberation: Option<&'a Override>,
        competencies: &'a [CompetencyResult],
    },
    #[default]
    NotRead,
}

impl Serialize for Trace<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let Trace::Decided {
            computed,
            jurors,
            deliberation,
            competencies,
        } = self
        else {
            return Err(S::Error::custom(
                "a manifest read back has no trace to write",
            ));
        };
        let mut s = serializer.serialize_struct("Trace", 4)?;
        s.serialize_field("computed", computed)?;
        s.serialize_field("jurors", jurors)?;
        s.serialize_field("deliberation", deliberation)?;
        s.serialize_field("competencies", competencies)?;
        s.end()
    }
}

/// SHA-256 of the parsed referential, serialised as JSON.
pub fn referential_hash(referential: &Referential) -> Result<String, serde_json::Error> {
    Ok(sha256_hex(serde_json::to_string(referential)?.as_bytes()))
}

/// SHA-256 of the rules in force: aggregation, min_jurors, scale, certification rule, and
/// each competency's rule, criteria codes and weights.
pub fn rules_hash(
    referential: &Referential,
    rules: &EffectiveRules,
) -> Result<String, serde_json::Error> {
    let competencies: Vec<_> = referential
        .competencies
        .iter()
        .map(|c| {
            let weights: Vec<_> = c.criteria.iter().map(|cr| (&cr.code, cr.weight)).collect();
            (&c.code, c.rule, weights)
        })
        .collect();
    let what = (
        rules,
        &referential.scale,
        &referential.certification,
        competencies,
    );
    Ok(sha256_hex(serde_json::to_string(&what)?.as_bytes()))
}

/// The manifest of `results`. `outputs` are the other files written, with their hashes.
pub fn build<'a>(
    results: &'a Results,
    session_path: String,
    outputs: Vec<Input>,
) -> Result<Manifest<'a>, serde_json::Error> {
    let data = results.data;
    let config = &data.config;
    let rules = results.analysis.rules;
    Ok(Manifest {
        tool: Tool {
            name: Cow::Borrowed(TOOL_NAME),
            version: Cow::Borrowed(TOOL_VERSION),
        },
        provisional: results.provisional,
        session: Session {
            id: Cow::Borrowed(&config.id),
            date: config.date.iso(),
            place: Cow::Borrowed(&config.place),
            certifier: Cow::Borrowed(&config.certifier),
            path: session_path,
            referential: ReferentialInfo {
                name: Cow::Borrowed(&config.referential),
                code: config
                    .certification_code(&data.referential)
                    .map(Cow::Borrowed),
                title: Cow::Borrowed(&data.referential.title),
                sha256: Some(referential_hash(&data.referential)?),
                rules_sha256: Some(rules_hash(&data.referential, &rules)?),
            },
            rules,
            jury: config
                .jury
                .iter()
                .map(|m| Member {
                    name: Cow::Borrowed(&m.name),
                    role: Cow::Borrowed(&m.role),
                    external: m.external,
                })
                .collect(),
        },
        inputs: Cow::Borrowed(results.inputs),
        outputs,
        counts: Counts::of(&results.analysis.decisions),
        candidates: results
            .analysis
            .decisions
            .iter()
            .map(|d| candidate(results, d))
            .collect(),
    })
}

fn candidate<'a>(results: &'a Results, d: &'a Decision) -> Candidate<'a> {
    let candidate = results.data.candidates.get(&d.candidate);
    let name = |field: fn(&crate::candidates::Candidate) -> &str| {
        Cow::Borrowed(candidate.map_or("", field))
    };
    Candidate {
        id: Cow::Borrowed(&d.candidate),
        last_name: name(|c| &c.last_name),
        first_name: name(|c| &c.first_name),
        birth_date: candidate.and_then(|c| c.birth_date).map(|date| date.iso()),
        decision: d.outcome,
        competencies: Competencies(
            d.competencies
                .iter()
                .map(|c| (Cow::Borrowed(c.code.as_str()), c.status))
                .collect(),
        ),
        certificate: d.certificate.as_deref().map(Cow::Borrowed),
        verification_code: match (candidate, &d.certificate) {
            (Some(c), Some(_)) => Some(crate::certificate::code_for(
                &results.data.config,
                &results.data.referential,
                c,
                d,
            )),
            _ => None,
        },
        trace: Trace::Decided {
            computed: d.computed,
            jurors: &d.jurors,
            deliberation: d.deliberation.as_ref(),
            competencies: &d.competencies,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_candidate_line_reads_back_with_its_statuses_in_order() {
        let line = r#"{"id":"7","last_name":"Lefèvre","first_name":"Zoé","birth_date":"1990-02-03",
            "decision":"not-certified","competencies":{"C2":"acquired","C1":"not-acquired"},
            "certificate":null,"verification_code":null,"trace":{"computed":"certified"}}"#;
        let read: Candidate = serde_json::from_str(line).unwrap();
        assert_eq!(read.decision, Outcome::NotCertified);
        assert_eq!(
            read.competencies.0,
            [
                (Cow::from("C2"), Status::Acquired),
                (Cow::from("C1"), Status::NotAcquired)
            ]
        );
        assert_eq!(read.acquired(), ["C2"]);
        assert_eq!(read.status("C1"), Some(Status::NotAcquired));
        assert!(matches!(read.trace, Trace::NotRead));
    }

    #[test]
    fn a_status_jury_never_writes_is_refused() {
        let line = r#"{"id":"7","birth_date":null,"decision":"admis","competencies":{},
            "certificate":null,"verification_code":null}"#;
        assert!(serde_json::from_str::<Candidate>(line).is_err());
    }

    #[test]
    fn a_manifest_read_back_cannot_be_written_as_if_it_held_its_traces() {
        let line = r#"{"id":"7","birth_date":null,"decision":"absent","competencies":{},
            "certificate":null,"verification_code":null}"#;
        let read: Candidate = serde_json::from_str(line).unwrap();
        assert!(serde_json::to_string(&read).is_err());
    }
}

//! `manifest.json`: what was decided, from which inputs, under which rules and by which
//! version of `jury`, with the SHA-256 of every input and output, so that anyone can prove
//! later that nothing changed. No wall-clock time: the same inputs give the same bytes.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::render::Results;
use jury_core::decide::{CompetencyResult, Decision, Override, Status};
use jury_core::digest::sha256_hex;
use jury_core::referential::Referential;
use jury_core::session::EffectiveRules;
use jury_core::validate::Input;

/// The name `--force` looks for before replacing a results folder.
pub const TOOL_NAME: &str = "jury";

#[derive(Serialize)]
pub struct Manifest<'a> {
    pub tool: Tool,
    pub provisional: bool,
    pub session: Session<'a>,
    pub inputs: &'a [Input],
    pub outputs: Vec<Input>,
    pub counts: Counts,
    pub candidates: Vec<CandidateEntry<'a>>,
}

#[derive(Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Serialize)]
pub struct Session<'a> {
    pub id: &'a str,
    pub date: String,
    pub place: &'a str,
    pub certifier: &'a str,
    /// The session folder, relative to the results folder when possible.
    pub path: String,
    pub referential: ReferentialInfo<'a>,
    pub rules: EffectiveRules,
    pub jury: Vec<Member<'a>>,
}

#[derive(Serialize)]
pub struct ReferentialInfo<'a> {
    pub name: &'a str,
    /// The certification's registration code (`[session] code`, else the referential's);
    /// `null` when neither gives one (possible only without certificates).
    pub code: Option<&'a str>,
    pub title: &'a str,
    /// SHA-256 of the referential as parsed (see [`referential_hash`]).
    pub sha256: String,
    /// SHA-256 of what decides (see [`rules_hash`]): an audit under another version of
    /// `jury` or referential says so instead of silently deciding differently.
    pub rules_sha256: String,
}

/// SHA-256 of the parsed referential, serialised as JSON.
pub fn referential_hash(referential: &Referential) -> String {
    sha256_hex(
        serde_json::to_string(referential)
            .unwrap_or_default()
            .as_bytes(),
    )
}

/// SHA-256 of the rules in force: aggregation, min_jurors, scale, certification rule, and
/// each competency's rule, criteria codes and weights.
pub fn rules_hash(referential: &Referential, rules: &EffectiveRules) -> String {
    let competencies: Vec<_> = referential
        .competencies
        .iter()
        .map(|c| {
            (
                &c.code,
                c.rule,
                c.criteria
                    .iter()
                    .map(|cr| (&cr.code, cr.weight))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let what = (
        rules,
        &referential.scale,
        &referential.certification,
        competencies,
    );
    sha256_hex(serde_json::to_string(&what).unwrap_or_default().as_bytes())
}

#[derive(Serialize)]
pub struct Member<'a> {
    pub name: &'a str,
    pub role: &'a str,
    pub external: bool,
}

#[derive(Serialize, Default)]
pub struct Counts {
    pub candidates: usize,
    pub certified: usize,
    pub not_certified: usize,
    pub absent: usize,
    pub non_recevable: usize,
    pub pending: usize,
}

#[derive(Serialize)]
pub struct CandidateEntry<'a> {
    pub id: &'a str,
    pub last_name: &'a str,
    pub first_name: &'a str,
    pub birth_date: Option<String>,
    pub decision: &'static str,
    pub competencies: Competencies<'a>,
    pub certificate: Option<&'a str>,
    /// The certificate's verification code (see `core::certificate`), when certified.
    pub verification_code: Option<String>,
    pub trace: Trace<'a>,
}

/// Competency code → status, in referential order.
pub struct Competencies<'a>(&'a [CompetencyResult]);

impl Serialize for Competencies<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for c in self.0 {
            let status = match c.status {
                Status::Acquired => "acquired",
                Status::NotAcquired => "not-acquired",
                Status::Pending => "pending",
            };
            map.serialize_entry(&c.code, status)?;
        }
        map.end()
    }
}

/// How the decision was reached: the outcome computed from the grids, the jurors whose
/// grids counted, every level with its cell, and the deliberation rows applied.
#[derive(Serialize)]
pub struct Trace<'a> {
    pub computed: &'static str,
    pub jurors: &'a [String],
    pub deliberation: Option<&'a Override>,
    pub competencies: &'a [CompetencyResult],
}

/// Builds the manifest. `outputs` are the other files written, with their hashes.
pub fn build<'a>(results: &'a Results, session_path: String, outputs: Vec<Input>) -> Manifest<'a> {
    let data = results.data;
    let a = results.analysis;
    let mut counts = Counts {
        candidates: a.decisions.len(),
        ..Counts::default()
    };
    for d in &a.decisions {
        use jury_core::decide::Outcome::*;
        match d.outcome {
            Certified => counts.certified += 1,
            NotCertified => counts.not_certified += 1,
            Absent => counts.absent += 1,
            NonRecevable => counts.non_recevable += 1,
            Pending => counts.pending += 1,
        }
    }
    Manifest {
        tool: Tool {
            name: TOOL_NAME,
            version: env!("CARGO_PKG_VERSION"),
        },
        provisional: results.provisional,
        session: Session {
            id: &data.config.id,
            date: data.config.date.iso(),
            place: &data.config.place,
            certifier: &data.config.certifier,
            path: session_path,
            referential: ReferentialInfo {
                name: &data.config.referential,
                code: data.config.certification_code(&data.referential),
                title: &data.referential.title,
                sha256: referential_hash(&data.referential),
                rules_sha256: rules_hash(&data.referential, &a.rules),
            },
            rules: a.rules,
            jury: data
                .config
                .jury
                .iter()
                .map(|m| Member {
                    name: &m.name,
                    role: &m.role,
                    external: m.external,
                })
                .collect(),
        },
        inputs: results.inputs,
        outputs,
        counts,
        candidates: a.decisions.iter().map(|d| entry(results, d)).collect(),
    }
}

fn entry<'a>(results: &'a Results, d: &'a Decision) -> CandidateEntry<'a> {
    let candidate = results.data.candidates.get(&d.candidate);
    CandidateEntry {
        id: &d.candidate,
        last_name: candidate.map_or("", |c| c.last_name.as_str()),
        first_name: candidate.map_or("", |c| c.first_name.as_str()),
        birth_date: candidate.and_then(|c| c.birth_date).map(|date| date.iso()),
        decision: d.outcome.as_str(),
        competencies: Competencies(&d.competencies),
        certificate: d.certificate.as_deref(),
        verification_code: match (candidate, &d.certificate) {
            (Some(c), Some(_)) => Some(jury_core::certificate::code_for(
                &results.data.config,
                &results.data.referential,
                c,
                d,
            )),
            _ => None,
        },
        trace: Trace {
            computed: d.computed.as_str(),
            jurors: &d.jurors,
            deliberation: d.deliberation.as_ref(),
            competencies: &d.competencies,
        },
    }
}

/// Writes the manifest as JSON, one line per top-level field and one line per
/// candidate, so that a candidate's whole decision is one line to find, read or compare.
/// Written line by line: a national session's manifest is never whole in memory.
pub fn write_to(manifest: &Manifest, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let line = |value: &dyn erased::Json| value.json();
    out.write_all(b"{\n")?;
    let fields: [(&str, &dyn erased::Json); 6] = [
        ("tool", &manifest.tool),
        ("provisional", &manifest.provisional),
        ("session", &manifest.session),
        ("inputs", &manifest.inputs),
        ("outputs", &manifest.outputs),
        ("counts", &manifest.counts),
    ];
    for (key, value) in fields {
        out.write_all(format!("  \"{key}\": {},\n", line(value)).as_bytes())?;
    }
    out.write_all(b"  \"candidates\": [")?;
    for (i, candidate) in manifest.candidates.iter().enumerate() {
        out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        out.write_all(line(candidate).as_bytes())?;
    }
    out.write_all(if manifest.candidates.is_empty() {
        b"]\n}\n"
    } else {
        b"\n  ]\n}\n"
    })
}

/// The manifest as bytes (see [`write_to`]).
pub fn to_bytes(manifest: &Manifest) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_to(manifest, &mut out);
    out
}

mod erased {
    /// Compact JSON of any serialisable value (serialising our own types cannot fail).
    pub trait Json {
        fn json(&self) -> String;
    }

    impl<T: serde::Serialize + ?Sized> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_else(|_| "null".into())
        }
    }
}

#[derive(serde::Deserialize)]
struct Head {
    tool: HeadTool,
}

#[derive(serde::Deserialize)]
struct HeadTool {
    name: String,
}

/// Was this manifest written by `jury`? (`--force` only replaces such folders.) A
/// national session's manifest is hundreds of megabytes: `jury` writes the `tool` field
/// on the second line, which is read first; any other layout is read as a stream, only
/// the `tool` field kept.
pub fn written_by_jury(mut manifest: impl std::io::Read) -> bool {
    let mut head = [0u8; 4096];
    let mut filled = 0;
    while filled < head.len() {
        match manifest.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(_) => return false,
        }
    }
    let head = &head[..filled];
    let second_line = head.split(|b| *b == b'\n').nth(1).unwrap_or_default();
    if let Some(tool) = second_line
        .trim_ascii()
        .strip_suffix(b",")
        .filter(|l| l.starts_with(b"\"tool\""))
    {
        let object = [b"{", tool, b"}"].concat();
        if let Ok(h) = serde_json::from_slice::<Head>(&object) {
            return h.tool.name == TOOL_NAME;
        }
    }
    serde_json::from_reader::<_, Head>(std::io::BufReader::new(std::io::Read::chain(
        head, manifest,
    )))
    .is_ok_and(|h| h.tool.name == TOOL_NAME)
}

#[cfg(test)]
mod tests {
    use super::written_by_jury;

    #[test]
    fn jury_s_manifests_are_recognised_from_their_head_or_as_a_stream() {
        let ours = "{\n  \"tool\": {\"name\":\"jury\",\"version\":\"0.1.0\"},\n  \"provisional\": false\n}\n";
        assert!(written_by_jury(ours.as_bytes()));
        let other_layout = format!(
            "{{\"candidates\": [{}], \"tool\": {{\"name\": \"jury\"}}}}",
            "1,".repeat(5000) + "1"
        );
        assert!(
            written_by_jury(other_layout.as_bytes()),
            "read past the first 4 KB"
        );
        for not_ours in [
            "{\n  \"tool\": {\"name\":\"autre\",\"version\":\"1\"},\n  \"x\": 1\n}",
            "{\"tool\": {\"name\": \"excel\"}}",
            "not json",
            "",
        ] {
            assert!(!written_by_jury(not_ours.as_bytes()), "{not_ours}");
        }
    }
}

//! Decisions: jurors' levels → one combined level per criterion → competency → candidate.
//!
//! Pure functions over loaded data. A competency is *pending* only when its status depends
//! on a disputed criterion (taken at the lowest and at the highest level a juror gave);
//! a deliberation row settles it. Every decision keeps its trace: which juror gave which
//! level in which cell, and which deliberation row changed what.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::candidates::Candidate;
use crate::certificate::certificate_number;
use crate::deliberation::{Deliberation, Target};
use crate::finding::CellRef;
use crate::grids::GridRow;
use crate::referential::{Aggregation, CompetencyRule, CountRule, Referential};

/// The final outcome for a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Certified,
    NotCertified,
    Absent,
    NonRecevable,
    Pending,
}

impl Outcome {
    /// The manifest's code; what people read is `wording`'s (it agrees with the sex).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Certified => "certified",
            Outcome::NotCertified => "not-certified",
            Outcome::Absent => "absent",
            Outcome::NonRecevable => "non-recevable",
            Outcome::Pending => "pending",
        }
    }
}

/// A competency's (or a criterion's) status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Acquired,
    NotAcquired,
    /// Competency: undecided, waiting for the jury. Criterion: jurors disagree.
    Pending,
}

impl Status {
    /// As the manifest writes it (`acquired`, `not-acquired`, `pending`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Acquired => "acquired",
            Status::NotAcquired => "not-acquired",
            Status::Pending => "pending",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Acquired => "Acquis",
            Status::NotAcquired => "Non acquis",
            Status::Pending => "En attente",
        }
    }

    fn of(acquired: bool) -> Status {
        if acquired {
            Status::Acquired
        } else {
            Status::NotAcquired
        }
    }
}

/// One juror's level on one criterion, where it was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JurorLevel {
    /// Shared by every level of the juror's row, and the label by every level given with
    /// it: a national session holds millions of these.
    pub juror: Arc<str>,
    pub level: Arc<str>,
    pub value: f64,
    #[serde(flatten)]
    pub cell: CellRef,
}

/// A jury decision taken in deliberation, as applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Override {
    pub granted: bool,
    pub motive: String,
    #[serde(flatten)]
    pub cell: CellRef,
}

impl Override {
    fn from(row: &Deliberation) -> Override {
        Override {
            granted: row.granted,
            motive: row.motive.clone(),
            cell: row.id_cell.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionResult {
    pub code: String,
    /// `pending` when the jurors disagree and the aggregation cannot settle it.
    pub status: Status,
    /// The combined value (a level's value, or a mean); `None` while disputed.
    pub value: Option<f64>,
    /// The combined level's label, when it is one level of the scale.
    pub level: Option<String>,
    pub given: Vec<JurorLevel>,
    /// Lowest and highest value given, for disputed criteria.
    #[serde(skip)]
    pub range: (f64, f64),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompetencyResult {
    pub code: String,
    /// The status after deliberation.
    pub status: Status,
    /// The status computed from the grids alone.
    pub computed: Status,
    pub deliberation: Option<Override>,
    pub criteria: Vec<CriterionResult>,
}

/// Everything decided about one candidate, with its trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub candidate: String,
    pub outcome: Outcome,
    /// The outcome computed before a deliberation row on the certification.
    pub computed: Outcome,
    pub competencies: Vec<CompetencyResult>,
    pub deliberation: Option<Override>,
    pub certificate: Option<String>,
    /// Jurors whose grids counted, sorted.
    pub jurors: Vec<String>,
}

/// A criterion's combined level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Combined {
    pub status: Status,
    /// Combined value when settled.
    pub value: Option<f64>,
    pub low: f64,
    pub high: f64,
}

/// Combines the values the jurors gave on one criterion. `values` must not be empty.
pub fn combine(aggregation: Aggregation, values: &[f64], pass: f64) -> Combined {
    let mut sorted: Vec<f64> = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let low = sorted.first().copied().unwrap_or(f64::NAN);
    let high = sorted.last().copied().unwrap_or(f64::NAN);
    let n = sorted.len();
    let above = sorted.iter().filter(|v| **v >= pass).count();
    let settled = |value: f64| Combined {
        status: Status::of(value >= pass),
        value: Some(value),
        low,
        high,
    };
    let disputed = Combined {
        status: Status::Pending,
        value: None,
        low,
        high,
    };
    match aggregation {
        Aggregation::Consensus if above == 0 || above == n => settled(low),
        Aggregation::Consensus => disputed,
        Aggregation::Majority => {
            let median = sorted[(n.max(1) - 1) / 2];
            if 2 * above > n {
                Combined {
                    status: Status::Acquired,
                    value: Some(median),
                    low,
                    high,
                }
            } else if 2 * (n - above) > n {
                Combined {
                    status: Status::NotAcquired,
                    value: Some(median),
                    low,
                    high,
                }
            } else {
                disputed
            }
        }
        Aggregation::Mean => settled(sorted.iter().sum::<f64>() / n as f64),
        Aggregation::Strictest => settled(low),
    }
}

/// Does a competency's rule hold over (acquired, value, weight) of its criteria?
pub fn competency_holds(rule: CompetencyRule, criteria: &[(bool, f64, f64)]) -> bool {
    match rule {
        CompetencyRule::All(_) => criteria.iter().all(|(a, _, _)| *a),
        CompetencyRule::AtLeast { at_least } => {
            criteria.iter().filter(|(a, _, _)| *a).count() >= at_least as usize
        }
        CompetencyRule::MeanAtLeast { mean_at_least } => {
            let weight: f64 = criteria.iter().map(|(_, _, w)| w).sum();
            let total: f64 = criteria.iter().map(|(_, v, w)| v * w).sum();
            weight > 0.0 && total / weight >= mean_at_least
        }
    }
}

/// Does the certification rule hold over the competencies acquired?
pub fn certification_holds(rule: CountRule, acquired: &[bool]) -> bool {
    match rule {
        CountRule::All(_) => acquired.iter().all(|a| *a),
        CountRule::AtLeast { at_least } => {
            acquired.iter().filter(|a| **a).count() >= at_least as usize
        }
    }
}

/// What decisions need to know about the session.
pub struct Context<'a> {
    pub referential: &'a Referential,
    pub aggregation: Aggregation,
    pub session_id: &'a str,
}

/// Decides one candidate from the grid rows that count for them (any order) and the
/// deliberation rows about them.
pub fn decide(
    ctx: &Context,
    candidate: &Candidate,
    rows: &[&GridRow],
    deliberations: &[&Deliberation],
) -> Decision {
    let referential = ctx.referential;
    let mut decision = Decision {
        candidate: candidate.id.clone(),
        outcome: Outcome::Pending,
        computed: Outcome::Pending,
        competencies: Vec::new(),
        deliberation: None,
        certificate: None,
        jurors: Vec::new(),
    };
    let mut graded: Vec<&GridRow> = rows
        .iter()
        .copied()
        .filter(|r| r.kind == crate::grids::RowKind::Graded)
        .collect();
    graded.sort_by(|a, b| a.juror.cmp(&b.juror));
    let any_absent = rows.iter().any(|r| r.kind == crate::grids::RowKind::Absent);
    if !candidate.prerequisites_met {
        decision.outcome = Outcome::NonRecevable;
        decision.computed = Outcome::NonRecevable;
        return decision;
    }
    if graded.is_empty() {
        let outcome = if any_absent {
            Outcome::Absent
        } else {
            Outcome::Pending
        };
        decision.outcome = outcome;
        decision.computed = outcome;
        return decision;
    }
    decision.jurors = graded.iter().map(|r| r.juror.clone()).collect();
    let pass = referential.pass_value();
    let jurors: Vec<Arc<str>> = graded.iter().map(|r| Arc::from(r.juror.as_str())).collect();
    let labels: Vec<Arc<str>> = referential
        .scale
        .levels
        .iter()
        .map(|l| Arc::from(l.label.as_str()))
        .collect();
    let mut index = 0;
    for (ci, competency) in referential.competencies.iter().enumerate() {
        let mut criteria = Vec::new();
        for criterion in &competency.criteria {
            let given: Vec<JurorLevel> = graded
                .iter()
                .zip(&jurors)
                .filter_map(|(r, juror)| {
                    let g = r.levels.get(index)?.as_ref()?;
                    let level = referential.scale.levels.get(g.level)?;
                    Some(JurorLevel {
                        juror: Arc::clone(juror),
                        level: Arc::clone(labels.get(g.level)?),
                        value: level.value,
                        cell: r.cell_of(g),
                    })
                })
                .collect();
            index += 1;
            let values: Vec<f64> = given.iter().map(|g| g.value).collect();
            let (status, value, range) = if values.is_empty() {
                let lowest = referential.scale.levels.first().map_or(0.0, |l| l.value);
                let highest = referential.scale.levels.last().map_or(0.0, |l| l.value);
                (Status::Pending, None, (lowest, highest))
            } else {
                let c = combine(ctx.aggregation, &values, pass);
                (c.status, c.value, (c.low, c.high))
            };
            let level = value
                .and_then(|v| referential.scale.levels.iter().find(|l| l.value == v))
                .map(|l| l.label.clone());
            criteria.push(CriterionResult {
                code: criterion.code.clone(),
                status,
                value,
                level,
                given,
                range,
            });
        }
        let scenario = |optimistic: bool| -> bool {
            let facts: Vec<(bool, f64, f64)> = criteria
                .iter()
                .zip(&competency.criteria)
                .map(|(r, c)| match (r.status, r.value) {
                    (Status::Pending, _) | (_, None) => {
                        if optimistic {
                            (true, r.range.1, c.weight)
                        } else {
                            (false, r.range.0, c.weight)
                        }
                    }
                    (status, Some(v)) => (status == Status::Acquired, v, c.weight),
                })
                .collect();
            competency_holds(competency.rule, &facts)
        };
        let (low, high) = (scenario(false), scenario(true));
        let computed = if low == high {
            Status::of(low)
        } else {
            Status::Pending
        };
        let row = deliberations
            .iter()
            .find(|d| d.target == Target::Competency(ci));
        let status = row.map_or(computed, |d| Status::of(d.granted));
        decision.competencies.push(CompetencyResult {
            code: competency.code.clone(),
            status,
            computed,
            deliberation: row.map(|d| Override::from(d)),
            criteria,
        });
    }
    let holds = |optimistic: bool| {
        let acquired: Vec<bool> = decision
            .competencies
            .iter()
            .map(|c| match c.status {
                Status::Pending => optimistic,
                s => s == Status::Acquired,
            })
            .collect();
        certification_holds(referential.certification.rule, &acquired)
    };
    let (low, high) = (holds(false), holds(true));
    decision.computed = match (low, high) {
        (true, true) => Outcome::Certified,
        (false, false) => Outcome::NotCertified,
        _ => Outcome::Pending,
    };
    decision.outcome = decision.computed;
    if let Some(row) = deliberations
        .iter()
        .find(|d| d.target == Target::Certification)
    {
        decision.outcome = if row.granted {
            Outcome::Certified
        } else {
            Outcome::NotCertified
        };
        decision.deliberation = Some(Override::from(row));
    }
    if decision.outcome == Outcome::Certified {
        decision.certificate = Some(certificate_number(ctx.session_id, &candidate.id));
    }
    decision
}

#[cfg(test)]
mod tests;

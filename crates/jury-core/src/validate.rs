//! Cross-file rules and the whole-session analysis: which grid rows count for whom, the
//! findings that need several files at once (unknown candidates, missing grids, names that
//! differ, mixed absences, disputes), and every candidate's decision.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::agreement::Agreement;
use crate::candidates::{Candidate, CandidateList};
use crate::decide::{decide, Context, Decision, Outcome, Status};
use crate::deliberation::{Deliberation, DeliberationList};
use crate::finding::{Code, Finding};
use crate::grids::{GridRow, GridSheet, RowKind};
use crate::juror_grids::{unite, JurorGrids};
use crate::referential::Referential;
use crate::session::{EffectiveRules, JuryMember, SessionConfig};
use crate::text::fold_name;
use crate::wording::of_name;

/// A file read (or written) and its SHA-256, for the manifest. `path` is relative to the
/// session (inputs) or to the results folder (outputs).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Input {
    pub path: String,
    pub sha256: String,
}

/// Everything read from a session folder, before any cross-file rule.
#[derive(Debug)]
pub struct SessionData {
    pub config: SessionConfig,
    pub referential: Referential,
    pub candidates: CandidateList,
    pub grids: Vec<GridSheet>,
    pub deliberations: DeliberationList,
    /// Findings of loading: unreadable workbooks, ignored files, no grid…
    pub findings: Vec<Finding>,
    /// True when a grid workbook could not be read: nobody is then said to lack grids.
    pub unreadable_grid: bool,
}

impl SessionData {
    /// Grids read: one per jury member, however many sheets or files hold their rows (see
    /// `core::juror_grids`), and one per unknown juror of each sheet (a long sheet may hold
    /// several); a grid sheet without rows counts as one.
    pub fn grid_count(&self) -> usize {
        let mut members: Vec<&str> = Vec::new();
        let mut others = 0;
        for sheet in &self.grids {
            let mut unknown: Vec<&str> = Vec::new();
            for row in &sheet.rows {
                let seen = if row.known_juror {
                    &mut members
                } else {
                    &mut unknown
                };
                if !seen.contains(&row.juror.as_str()) {
                    seen.push(&row.juror);
                }
            }
            others += if sheet.rows.is_empty() {
                1
            } else {
                unknown.len()
            };
        }
        members.len() + others
    }
}

/// The result of analysing a session: every finding, and a decision per candidate.
#[derive(Debug)]
pub struct Analysis {
    pub findings: Vec<Finding>,
    pub decisions: Vec<Decision>,
    pub rules: EffectiveRules,
    /// Agreement between jurors, for the summary's statistics (`core::grid_audit`).
    pub agreement: Agreement,
}

impl Analysis {
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity() > crate::finding::Severity::Warning)
    }

    pub fn count(&self, outcome: Outcome) -> usize {
        self.decisions
            .iter()
            .filter(|d| d.outcome == outcome)
            .count()
    }
}

/// Whether decisions keep their detail: each competency and criterion, and which juror
/// gave which level in which cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Traces {
    /// For `run` and `audit`: the summary, the documents and the manifest show them.
    Keep,
    /// For `check`, which only reports: dropped as soon as each candidate's findings are
    /// made (most of the memory of a national session); the outcome stays.
    Drop,
}

/// Runs every cross-file rule and decides every candidate (in parallel, in candidate
/// order), keeping every decision's trace.
pub fn analyse(data: &SessionData) -> Analysis {
    analyse_with(data, Traces::Keep)
}

/// [`analyse`], with or without the decisions' traces.
pub fn analyse_with(data: &SessionData, traces: Traces) -> Analysis {
    let rules = data.config.effective_rules(&data.referential);
    let mut findings: Vec<Finding> = data.findings.clone();
    findings.extend(data.candidates.findings.iter().cloned());
    findings.extend(data.config.composition_warning("session.toml"));
    let mut juror_grids = unite(&data.grids, &data.referential);
    findings.append(&mut juror_grids.findings);
    findings.extend(data.deliberations.findings.iter().cloned());

    let by_id: HashMap<&str, &Candidate> = data
        .candidates
        .candidates
        .iter()
        .map(|c| (c.id.as_str(), c))
        .collect();
    if data.candidates.candidates.is_empty()
        && data.candidates.findings.is_empty()
        && !data
            .findings
            .iter()
            .any(|f| f.file.as_deref() == Some(data.config.candidates.as_str()))
    {
        findings.push(
            Finding::new(
                Code::MissingField,
                "Le fichier des candidats ne contient aucun candidat.",
            )
            .in_file(&data.config.candidates)
            .hint("Ajoutez une ligne par candidat sous la ligne d'en-têtes."),
        );
    }
    let rows = counted_rows(data, &juror_grids, &by_id, &mut findings);
    let deliberations = usable_deliberations(data, &by_id, &rows, &mut findings);

    let places = GridPlaces::of(data);
    // A grid that could not be read (unreadable, or lacking a column) is the root
    // cause: nobody is then said to lack a grid.
    // No grid read at all is one `no-grid`, not a missing grid per candidate.
    let grid_unread = data.unreadable_grid
        || data.grids.is_empty()
        || data.grids.iter().any(|sheet| sheet.unread);
    for candidate in &data.candidates.candidates {
        let mine = rows
            .get(candidate.id.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        candidate_findings(candidate, mine, rules, grid_unread, &places, &mut findings);
    }

    let ctx = Context {
        referential: &data.referential,
        aggregation: rules.aggregation,
        session_id: &data.config.id,
    };
    let decided: Vec<(Decision, Vec<Finding>)> = data
        .candidates
        .candidates
        .par_iter()
        .map(|c| {
            let mine = rows
                .get(c.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default();
            let delib = deliberations
                .get(c.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default();
            let mut decision = decide(&ctx, c, mine, delib);
            let mut disputes = Vec::new();
            dispute_findings(&decision, c, &mut disputes);
            if traces == Traces::Drop {
                decision.competencies = Vec::new();
            }
            (decision, disputes)
        })
        .collect();
    let mut decisions = Vec::with_capacity(decided.len());
    for (decision, disputes) in decided {
        findings.extend(disputes);
        decisions.push(decision);
    }
    if data.config.cpf.is_some() {
        findings.extend(crate::cpf::check_candidates(data, &decisions));
    }
    let agreement = crate::grid_audit::audit(data, &rows, &mut findings);
    Analysis {
        findings,
        decisions,
        rules,
        agreement,
    }
}

/// Grid rows by candidate (`grid_rows`: each juror's rows united across sheets, see
/// `core::juror_grids`), keeping the first row of each juror × candidate; reports unknown
/// candidates, duplicates and names that differ.
fn counted_rows<'a>(
    data: &'a SessionData,
    grid_rows: &'a JurorGrids<'a>,
    by_id: &HashMap<&'a str, &'a Candidate>,
    findings: &mut Vec<Finding>,
) -> BTreeMap<&'a str, Vec<&'a GridRow>> {
    let mut rows: BTreeMap<&str, Vec<&GridRow>> = BTreeMap::new();
    for row in grid_rows.rows() {
        let Some(candidate) = by_id.get(row.candidate.as_str()) else {
            if by_id.is_empty() {
                // No candidate could be read: that is the root cause, reported with the file.
                continue;
            }
            let mut f = Finding::new(
                Code::UnknownCandidate,
                format!(
                    "Le candidat {} de la grille {} ne figure pas dans le fichier des candidats.",
                    row.candidate,
                    of_name(&row.juror)
                ),
            )
            .at(&row.id_cell)
            .candidate(&row.candidate)
            .juror(&row.juror);
            if let Some(near) = data.candidates.near_id(&row.candidate) {
                f = f.hint(format!(
                    "Vouliez-vous dire « {near} » ? Les numéros sont comparés comme du texte."
                ));
            }
            findings.push(f);
            continue;
        };
        let list = rows.entry(candidate.id.as_str()).or_default();
        // Rows of unknown jurors named after their sheet are told apart by file and sheet.
        let same_juror = |r: &&&GridRow| {
            r.juror == row.juror
                && (row.known_juror
                    || (r.id_cell.file == row.id_cell.file && r.id_cell.sheet == row.id_cell.sheet))
        };
        if let Some(first) = list.iter().find(same_juror) {
            findings.push(
                Finding::new(
                    Code::DuplicateCandidate,
                    format!(
                        "Le candidat {} est noté deux fois par {} (déjà dans {}, feuille « {} », {}).",
                        row.candidate,
                        row.juror,
                        first.id_cell.file,
                        first.id_cell.sheet,
                        first.id_cell.a1()
                    ),
                )
                .at(&row.id_cell)
                .candidate(&row.candidate)
                .juror(&row.juror)
                .hint("Gardez une seule ligne par candidat et par évaluateur."),
            );
            continue;
        }
        for (is_last, written, cell) in &row.names {
            let expected = if *is_last {
                &candidate.last_name
            } else {
                &candidate.first_name
            };
            let also = if *is_last {
                candidate.usage_name.as_deref()
            } else {
                None
            };
            if !expected.trim().is_empty()
                && fold_name(written) != fold_name(expected)
                && also.is_none_or(|u| fold_name(u) != fold_name(written))
            {
                findings.push(
                    Finding::new(
                        Code::NameMismatch,
                        format!(
                            "Le {} « {written} » de la grille diffère de celui du fichier des candidats (« {expected} ») pour le candidat {}.",
                            if *is_last { "nom" } else { "prénom" },
                            row.candidate
                        ),
                    )
                    .at(cell)
                    .candidate(&row.candidate)
                    .juror(&row.juror)
                    .hint("Vérifiez que le numéro de candidat de cette ligne est le bon."),
                );
            }
        }
        list.push(row);
    }
    rows
}

/// Deliberation rows by candidate, without those that cannot apply.
fn usable_deliberations<'a>(
    data: &'a SessionData,
    by_id: &HashMap<&'a str, &'a Candidate>,
    rows: &BTreeMap<&str, Vec<&GridRow>>,
    findings: &mut Vec<Finding>,
) -> HashMap<&'a str, Vec<&'a Deliberation>> {
    let mut out: HashMap<&str, Vec<&Deliberation>> = HashMap::new();
    for d in &data.deliberations.rows {
        let Some(candidate) = by_id.get(d.candidate.as_str()) else {
            let mut f = Finding::new(
                Code::UnknownCandidate,
                format!("Le candidat {} du fichier de délibération ne figure pas dans le fichier des candidats.", d.candidate),
            )
            .at(&d.id_cell)
            .candidate(&d.candidate);
            if let Some(near) = data.candidates.near_id(&d.candidate) {
                f = f.hint(format!("Vouliez-vous dire « {near} » ?"));
            }
            findings.push(f);
            continue;
        };
        let mine = rows
            .get(candidate.id.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        let absent = !mine.is_empty()
            && mine.iter().all(|r| r.kind != RowKind::Graded)
            && mine.iter().any(|r| r.kind == RowKind::Absent);
        let why = if !candidate.prerequisites_met {
            Some("n'est pas recevable (prérequis non validés)")
        } else if absent {
            Some("est marqué ABS dans toutes ses grilles")
        } else {
            None
        };
        if let Some(why) = why {
            findings.push(
                Finding::new(
                    Code::InvalidDeliberation,
                    format!("Le candidat {} {why} : une délibération ne peut pas changer cette décision.", d.candidate),
                )
                .at(&d.id_cell)
                .candidate(&d.candidate),
            );
            continue;
        }
        out.entry(candidate.id.as_str()).or_default().push(d);
    }
    out
}

/// `insufficient-grids` and `mixed-absence` for one candidate.
fn candidate_findings(
    candidate: &Candidate,
    rows: &[&GridRow],
    rules: EffectiveRules,
    unreadable_grid: bool,
    places: &GridPlaces,
    findings: &mut Vec<Finding>,
) {
    if !candidate.prerequisites_met {
        return;
    }
    let graded: Vec<&str> = rows
        .iter()
        .filter(|r| r.kind == RowKind::Graded)
        .map(|r| r.juror.as_str())
        .collect();
    let absent: Vec<&str> = rows
        .iter()
        .filter(|r| r.kind == RowKind::Absent)
        .map(|r| r.juror.as_str())
        .collect();
    let id = &candidate.id;
    if graded.is_empty() && !absent.is_empty() {
        return;
    }
    if !absent.is_empty() {
        findings.push(
            Finding::new(
                Code::MixedAbsence,
                format!(
                    "Le candidat {id} est marqué ABS par {} mais évalué par {} : seules les grilles remplies comptent.",
                    absent.join(", "),
                    graded.join(", ")
                ),
            )
            .at(&candidate.cell)
            .candidate(id),
        );
    }
    if (graded.len() as u32) < rules.min_jurors && !unreadable_grid {
        findings.push(insufficient_grids(
            candidate,
            rows,
            &graded,
            rules.min_jurors,
            places,
        ));
    }
}

/// Which files hold each juror's grid rows (in the order the grids were read), to say
/// where a missing row belongs.
struct GridPlaces<'a> {
    members: &'a [JuryMember],
    files: BTreeMap<&'a str, Vec<&'a str>>,
}

impl<'a> GridPlaces<'a> {
    fn of(data: &'a SessionData) -> GridPlaces<'a> {
        let mut files: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for sheet in &data.grids {
            for row in sheet.rows.iter().filter(|r| r.known_juror) {
                let list = files.entry(row.juror.as_str()).or_default();
                if !list.contains(&sheet.file.as_str()) {
                    list.push(sheet.file.as_str());
                }
            }
        }
        GridPlaces {
            members: &data.config.jury,
            files,
        }
    }
}

/// `insufficient-grids`: how many grids count, how many are needed, and for each jury
/// member expected to grade the candidate (named in their `Jury` / `Commission` cell, or
/// every member) without a counted grid, where the row is missing or empty.
fn insufficient_grids(
    candidate: &Candidate,
    rows: &[&GridRow],
    graded: &[&str],
    min_jurors: u32,
    places: &GridPlaces,
) -> Finding {
    let id = &candidate.id;
    let have = match graded {
        [] => "n'a aucune grille".to_string(),
        [one] => format!("n'a qu'une grille ({one})"),
        many => format!("n'a que {} grilles ({})", many.len(), many.join(", ")),
    };
    let assignment = candidate.assignment();
    let mut missing: Vec<&str> = Vec::new();
    let mut clauses: Vec<String> = Vec::new();
    for member in places.members {
        let name = member.name.as_str();
        let expected = assignment.is_empty() || assignment.iter().any(|t| member.is_named_by(t));
        if !expected
            || rows
                .iter()
                .any(|r| r.juror == name && r.kind != RowKind::Ungraded)
        {
            continue;
        }
        missing.push(name);
        let files = places
            .files
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let clause = match rows.iter().find(|r| r.juror == name) {
            Some(empty) => format!(
                "sa ligne est vide dans la grille {} ({}, {})",
                of_name(name),
                empty.id_cell.file,
                empty.id_cell.a1()
            ),
            None if files.is_empty() => format!("aucune grille {} n'a été lue", of_name(name)),
            None => format!(
                "sa ligne manque dans la grille {} ({})",
                of_name(name),
                files.join(", ")
            ),
        };
        clauses.push(clause);
    }
    let wher = match clauses.split_last() {
        None => String::new(),
        Some((last, [])) => format!(" : {last}"),
        Some((last, others)) => format!(" : {} et {last}", others.join(", ")),
    };
    let mut finding = Finding::new(
        Code::InsufficientGrids,
        format!("Le candidat {id} {have} ; il en faut {min_jurors} (min_jurors){wher}."),
    )
    .at(&candidate.cell)
    .candidate(id)
    .hint("Ajoutez la ligne du candidat dans la grille indiquée, ou la grille manquante dans grilles/ ; en cas d'absence, saisissez ABS sur toute la ligne.");
    if let [one] = missing.as_slice() {
        finding = finding.juror(one);
    }
    finding
}

/// A `disputed` warning for every criterion the jurors disagree on.
fn dispute_findings(decision: &Decision, candidate: &Candidate, findings: &mut Vec<Finding>) {
    for competency in &decision.competencies {
        for criterion in competency
            .criteria
            .iter()
            .filter(|c| c.status == Status::Pending && c.given.len() > 1)
        {
            let levels: Vec<String> = criterion
                .given
                .iter()
                .map(|g| format!("{} « {} »", g.juror, g.level))
                .collect();
            let settled_by = competency
                .deliberation
                .as_ref()
                .or(decision.deliberation.as_ref());
            let (tail, hint) = match (settled_by, competency.computed) {
                (Some(d), _) => (format!(" Tranché par la délibération ({}, {}).", d.cell.file, d.cell.a1()), None),
                (None, Status::Pending) => (
                    format!(" La compétence {} est en attente d'une décision du jury.", competency.code),
                    Some(format!(
                        "Ajoutez une ligne au fichier de délibération : N° candidat {}, Compétence {}, Décision, Motif.",
                        candidate.id, competency.code
                    )),
                ),
                (None, _) => (format!(" Sans effet sur la compétence {}.", competency.code), None),
            };
            let mut f = Finding::new(
                Code::Disputed,
                format!(
                    "Désaccord sur le critère {} du candidat {} : {}.{tail}",
                    criterion.code,
                    candidate.id,
                    levels.join(", ")
                ),
            )
            .at(&candidate.cell)
            .candidate(&candidate.id)
            .criterion(&criterion.code);
            if let Some(h) = hint {
                f = f.hint(h);
            }
            findings.push(f);
        }
    }
}

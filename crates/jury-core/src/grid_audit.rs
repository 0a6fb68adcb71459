//! Grid audit: what the grids say about how they were filled, beyond the levels themselves.
//! Every rule here gives warnings only; the levels still count as read.
//!
//! Over the grid rows that count for a decision (graded rows of recevable candidates, the
//! first row of each juror × candidate):
//!
//! - `uniform-grid`: a juror gave one and the same level to every criterion of every
//!   candidate they graded, over at least [`UNIFORM_MIN_CANDIDATES`] candidates (below that,
//!   a sub-jury of good candidates is legitimately all « Acquis »);
//! - `juror-bias`: on the criteria of the candidates a juror graded together with other
//!   jurors, the share of levels at or above the pass level given by this juror differs from
//!   the share given by the others on the same criteria and candidates by at least
//!   [`BIAS_MIN_GAP`] (25 points), over at least [`BIAS_MIN_ITEMS`] such criteria × candidates.
//!   With two jurors both are reported, one stricter, the other more lenient;
//! - `formula-level`: level cells holding a formula (their cached value counts): one finding
//!   per juror × candidate row, at its first such cell;
//! - `hidden-level`: levels read from a hidden sheet (one finding per sheet), hidden column
//!   (one per column) or hidden row (one per row), at the first such cell;
//! - `modified-after-session`: a grid workbook whose recorded modification date (xlsx/xlsb
//!   `dcterms:modified`, ods `dc:date`, xls summary information) is a later day than the
//!   session date; one finding per file.
//!
//! It also measures the agreement between jurors (`core::agreement`) for `synthese.xlsx`.
//! No warning is given on a low kappa: with most criteria acquired by most candidates the
//! kappa is unstable (one disagreement among 23 candidates gives κ ≈ −0.02), and every
//! disagreement is already a `disputed` warning.

use std::collections::BTreeMap;

use crate::agreement::{Agreement, Tally};
use crate::finding::{CellRef, Code, Finding};
use crate::grids::{GivenLevel, GridRow, RowKind};
use crate::sheet::Hidden;
use crate::text::column_letters;
use crate::validate::SessionData;
use crate::wording::count;
use crate::wording::of_name;

/// Fewest candidates graded by a juror before one level everywhere is reported.
pub const UNIFORM_MIN_CANDIDATES: usize = 10;
/// Fewest criteria × candidates shared with other jurors before a bias is reported.
pub const BIAS_MIN_ITEMS: usize = 20;
/// Smallest gap between acquired rates (juror vs the others) reported as a bias.
pub const BIAS_MIN_GAP: f64 = 0.25;

/// The graded rows of one candidate, each with its juror's index, in juror order.
type Group<'a> = Vec<(usize, &'a GridRow)>;

/// Adds the grid-audit warnings to `findings` and measures agreement. `rows` are the grid
/// rows by candidate as `core::validate::analyse` counted them.
pub fn audit(
    data: &SessionData,
    rows: &BTreeMap<&str, Vec<&GridRow>>,
    findings: &mut Vec<Finding>,
) -> Agreement {
    let (jurors, groups) = group_rows(data, rows);
    // Where each juror's grid is: the file and sheet of their first row.
    let mut first: Vec<Option<&GridRow>> = vec![None; jurors.len()];
    for (j, row) in groups.iter().flatten() {
        first[*j].get_or_insert(row);
    }
    uniform_grids(data, &jurors, &first, &groups, findings);
    let (agreement, shared) = tally_items(data, &jurors, &groups);
    juror_bias(&jurors, &first, shared, findings);
    let counted: Vec<&GridRow> = groups.iter().flatten().map(|(_, r)| *r).collect();
    formula_levels(data, &counted, findings);
    hidden_levels(&counted, findings);
    modified_grids(data, findings);
    agreement
}

/// The jurors (sorted names) and the graded rows of each recevable candidate.
fn group_rows<'a>(
    data: &SessionData,
    rows: &BTreeMap<&str, Vec<&'a GridRow>>,
) -> (Vec<&'a str>, Vec<Group<'a>>) {
    // Jurors are few: found by a linear search in order of appearance, then sorted.
    let mut jurors: Vec<&str> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    for (id, rows) in rows {
        if !data.candidates.get(id).is_some_and(|c| c.prerequisites_met) {
            continue;
        }
        let group: Group = rows
            .iter()
            .filter(|r| r.kind == RowKind::Graded)
            .map(|r| {
                let juror = r.juror.as_str();
                let j = jurors.iter().position(|n| *n == juror).unwrap_or_else(|| {
                    jurors.push(juror);
                    jurors.len() - 1
                });
                (j, *r)
            })
            .collect();
        if !group.is_empty() {
            groups.push(group);
        }
    }
    let mut order: Vec<usize> = (0..jurors.len()).collect();
    order.sort_by_key(|j| jurors[*j]);
    let mut rank = vec![0; jurors.len()];
    for (new, old) in order.iter().enumerate() {
        rank[*old] = new;
    }
    for group in &mut groups {
        for (j, _) in group.iter_mut() {
            *j = rank[*j];
        }
        group.sort_by_key(|(j, _)| *j);
    }
    (order.iter().map(|j| jurors[*j]).collect(), groups)
}

/// A juror's levels on the criteria they graded along with other jurors.
#[derive(Debug, Clone, Default)]
struct Shared {
    /// Criteria × candidates, and how many of the juror's levels are acquired.
    items: usize,
    mine: usize,
    /// The other jurors' levels on the same items, and how many are acquired.
    others: usize,
    theirs: usize,
    candidates: usize,
}

/// One pass over every candidate × criterion: the agreement between jurors, and each
/// juror's levels shared with others (for `juror-bias`).
fn tally_items(data: &SessionData, jurors: &[&str], groups: &[Group]) -> (Agreement, Vec<Shared>) {
    let pass = data.referential.pass_value();
    let acquired: Vec<bool> = data
        .referential
        .scale
        .levels
        .iter()
        .map(|l| l.value >= pass)
        .collect();
    let is_acquired = |level: usize| usize::from(acquired.get(level).copied().unwrap_or(false));
    let criteria = data.referential.criterion_count();
    let mut tally = Tally::new(criteria);
    let mut shared = vec![Shared::default(); jurors.len()];
    let mut ratings: Vec<(usize, usize)> = Vec::new();
    let mut in_common = vec![false; jurors.len()];
    for group in groups {
        in_common.fill(false);
        for criterion in 0..criteria {
            ratings.clear();
            ratings.extend(
                group
                    .iter()
                    .filter_map(|(j, r)| Some((*j, r.levels.get(criterion)?.as_ref()?.level))),
            );
            if ratings.len() >= 2 {
                let yes: usize = ratings.iter().map(|(_, l)| is_acquired(*l)).sum();
                for (j, level) in &ratings {
                    let own = is_acquired(*level);
                    let s = &mut shared[*j];
                    s.items += 1;
                    s.mine += own;
                    s.others += ratings.len() - 1;
                    s.theirs += yes - own;
                    in_common[*j] = true;
                }
            }
            tally.add(criterion, &mut ratings);
        }
        for (s, common) in shared.iter_mut().zip(&in_common) {
            s.candidates += usize::from(*common);
        }
    }
    let names: Vec<String> = jurors.iter().map(|j| j.to_string()).collect();
    (tally.finish(&names), shared)
}

fn level_label(data: &SessionData, level: usize) -> &str {
    data.referential
        .scale
        .levels
        .get(level)
        .map_or("", |l| l.label.as_str())
}

fn criterion_code(data: &SessionData, index: usize) -> &str {
    data.referential
        .criteria()
        .nth(index)
        .map_or("", |(_, c)| c.code.as_str())
}

fn uniform_grids(
    data: &SessionData,
    jurors: &[&str],
    first: &[Option<&GridRow>],
    groups: &[Group],
    findings: &mut Vec<Finding>,
) {
    // Per juror: candidates graded, and the distinct levels given (two are enough).
    let mut seen: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); jurors.len()];
    for (j, row) in groups.iter().flatten() {
        let (candidates, levels) = &mut seen[*j];
        *candidates += 1;
        for given in row.levels.iter().flatten() {
            if levels.len() < 2 && !levels.contains(&given.level) {
                levels.push(given.level);
            }
        }
    }
    for ((juror, row), (candidates, levels)) in jurors.iter().zip(first).zip(seen) {
        let (Some(row), [level]) = (row, levels.as_slice()) else {
            continue;
        };
        if candidates < UNIFORM_MIN_CANDIDATES {
            continue;
        }
        findings.push(
            Finding::new(
                Code::UniformGrid,
                format!(
                    "{juror} a donné le niveau « {} » à tous les critères de ses {candidates} candidats.",
                    level_label(data, *level),
                ),
            )
            .in_sheet(&row.id_cell.file, &row.id_cell.sheet)
            .juror(juror)
            .hint("Vérifiez que la grille a été remplie candidat par candidat, et non recopiée ou remplie d'avance."),
        );
    }
}

fn juror_bias(
    jurors: &[&str],
    first: &[Option<&GridRow>],
    shared: Vec<Shared>,
    findings: &mut Vec<Finding>,
) {
    for ((juror, row), t) in jurors.iter().zip(first).zip(shared) {
        let Some(row) = row else { continue };
        if t.items < BIAS_MIN_ITEMS || t.others == 0 {
            continue;
        }
        let rate = t.mine as f64 / t.items as f64;
        let rate_others = t.theirs as f64 / t.others as f64;
        if (rate - rate_others).abs() < BIAS_MIN_GAP {
            continue;
        }
        let how = if rate < rate_others {
            "plus sévères"
        } else {
            "plus indulgents"
        };
        findings.push(
            Finding::new(
                Code::JurorBias,
                format!(
                    "Les niveaux {} sont nettement {how} que ceux des autres évaluateurs sur les mêmes candidats : {} de niveaux acquis contre {} pour les autres, sur {} notés en commun ({}).",
                    of_name(juror),
                    percent(rate),
                    percent(rate_others),
                    count(t.items, "critère", "critères"),
                    count(t.candidates, "candidat", "candidats")
                ),
            )
            .in_sheet(&row.id_cell.file, &row.id_cell.sheet)
            .juror(juror)
            .hint("Comparez les grilles de ces candidats et harmonisez les attentes entre évaluateurs avant la délibération."),
        );
    }
}

/// `0.4` → `40 %`, as French writes it.
fn percent(rate: f64) -> String {
    format!("{:.0} %", rate * 100.0)
}

fn formula_levels(data: &SessionData, counted: &[&GridRow], findings: &mut Vec<Finding>) {
    for row in counted {
        let cells: Vec<(usize, &GivenLevel)> = row
            .levels
            .iter()
            .enumerate()
            .filter_map(|(i, g)| g.as_ref().filter(|g| g.formula).map(|g| (i, g)))
            .collect();
        let Some((first_criterion, first)) = cells.first() else {
            continue;
        };
        let message = if cells.len() == 1 {
            format!(
                "Le niveau du candidat {}, critère {}, est calculé par une formule : la valeur enregistrée par le tableur, « {} », est retenue.",
                row.candidate,
                criterion_code(data, *first_criterion),
                level_label(data, first.level)
            )
        } else {
            let list: Vec<String> = cells.iter().map(|(_, g)| g.a1()).collect();
            format!(
                "{} niveaux du candidat {} sont calculés par une formule ({}) : les valeurs enregistrées par le tableur sont retenues.",
                cells.len(),
                row.candidate,
                list.join(", ")
            )
        };
        let mut f = Finding::new(Code::FormulaLevel, message)
            .at(&row.cell_of(first))
            .candidate(&row.candidate)
            .juror(&row.juror)
            .hint("Saisissez le niveau lui-même plutôt qu'une formule : une formule peut changer de valeur à la prochaine ouverture du fichier.");
        if cells.len() == 1 {
            f = f.criterion(criterion_code(data, *first_criterion));
        }
        findings.push(f);
    }
}

/// Hidden levels of one hidden sheet, column or row: (file, sheet, why, column or row).
type HiddenGroup = (std::sync::Arc<str>, std::sync::Arc<str>, Hidden, u32);

/// Levels read out of sight, grouped by hidden sheet, column or row.
fn hidden_levels(counted: &[&GridRow], findings: &mut Vec<Finding>) {
    // Each group's cells, with the row (candidate, juror) of each.
    let mut groups: BTreeMap<HiddenGroup, Vec<(CellRef, &GridRow)>> = BTreeMap::new();
    for row in counted {
        for g in row.levels.iter().flatten() {
            let Some(why) = g.hidden else { continue };
            let index = match why {
                Hidden::Sheet => 0,
                Hidden::Column => g.col,
                Hidden::Row => g.row,
            };
            // A united row's levels may come from several sheets (`core::juror_grids`).
            let cell = row.cell_of(g);
            groups
                .entry((cell.file.clone(), cell.sheet.clone(), why, index))
                .or_default()
                .push((cell, row));
        }
    }
    for ((_, sheet, why, index), mut cells) in groups {
        cells.sort_by_key(|(cell, _)| (cell.row, cell.col));
        let (first, row) = &cells[0];
        let n = cells.len();
        let levels = if n == 1 {
            "1 niveau y est lu et compte".to_string()
        } else {
            format!("{n} niveaux y sont lus et comptent")
        };
        let (message, hint) = match why {
            Hidden::Sheet => (
                format!("La feuille « {sheet} » est masquée : {levels}."),
                "Affichez la feuille (clic droit sur les onglets, « Afficher ») et vérifiez ses niveaux.",
            ),
            Hidden::Column => (
                format!(
                    "La colonne {} est masquée : {levels}.",
                    column_letters(index)
                ),
                "Affichez la colonne et vérifiez ses niveaux : un niveau masqué échappe à la relecture.",
            ),
            Hidden::Row => (
                format!(
                    "La ligne {} (candidat {}) est masquée : {levels}.",
                    index + 1,
                    row.candidate
                ),
                "Affichez la ligne et vérifiez ses niveaux : un niveau masqué échappe à la relecture.",
            ),
        };
        let mut f = Finding::new(Code::HiddenLevel, message)
            .at(first)
            .juror(&row.juror)
            .hint(hint);
        if why == Hidden::Row || n == 1 {
            f = f.candidate(&row.candidate);
        }
        findings.push(f);
    }
}

fn modified_grids(data: &SessionData, findings: &mut Vec<Finding>) {
    let session = data.config.date;
    let mut late: BTreeMap<&str, crate::sheet::Date> = BTreeMap::new();
    for grid in &data.grids {
        if let Some(date) = grid.modified.filter(|d| *d > session) {
            late.entry(&grid.file).or_insert(date);
        }
    }
    for (file, date) in late {
        findings.push(
            Finding::new(
                Code::ModifiedAfterSession,
                format!(
                    "La grille a été enregistrée le {date}, après la date du jury ({session}), d'après la date de modification inscrite dans le classeur."
                ),
            )
            .in_file(file)
            .hint("Vérifiez qu'aucun niveau n'a été changé après le jury ; gardez la grille signée le jour du jury."),
        );
    }
}

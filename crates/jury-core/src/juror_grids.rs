//! One juror's grid over several sheets and files: a copy of a grid is ignored, and the
//! rows a juror gave one candidate in different sheets are united into one row.
//!
//! A secretary may receive a juror's grid in two parts (the first grid, then the
//! complement `jury grids --missing` wrote for late candidates), or the same file twice
//! (« grille-claire-martin (1).xlsx »). Sheet by sheet, `core::grids` cannot tell; here,
//! with every sheet at hand:
//!
//! - a sheet whose rows of a juror give exactly the levels of an earlier sheet of that
//!   juror, for the same candidates, is a copy: one `duplicate-grid` warning, and the copy
//!   (its rows and findings) is ignored;
//! - otherwise the juror's first row for a candidate in each sheet are one row: a level
//!   given in one sheet only counts as given (the other sheet's `missing-level` and
//!   `ungraded-row` for it are dropped), a criterion given in two is `duplicate-level` at
//!   the later cell, ABS in one and levels in the other is `duplicate-candidate` (the
//!   levels count, so the juror still counts for `min_jurors`). Sheets
//!   are taken in reading order (file names sorted), but a file named like a copy comes
//!   last: the other file's levels count, and the findings point at the copy.
//!
//! Only rows of jury members are united: an unknown juror's sheet stays apart (its
//! `unknown-juror` is the root cause). Pure: sheets in, rows and findings out; rows that
//! need no uniting are borrowed, not copied.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::finding::{Code, Finding};
use crate::grids::{GridRow, GridSheet, RowKind};
use crate::referential::Referential;
use crate::wording::of_name;

/// The grid rows that count, once per juror and candidate, and the findings of the grid
/// sheets that still stand with those of uniting them.
#[derive(Debug)]
pub struct JurorGrids<'a> {
    /// In sheet order; a united row stands where the juror's first row for the candidate
    /// was. A place is small: a national session has hundreds of thousands of rows.
    places: Vec<Place<'a>>,
    united: Vec<GridRow>,
    pub findings: Vec<Finding>,
}

/// A row as read, or one of the united rows.
#[derive(Debug, Clone, Copy)]
enum Place<'a> {
    Read(&'a GridRow),
    United(usize),
}

impl JurorGrids<'_> {
    /// The rows that count, in sheet order.
    pub fn rows(&self) -> impl Iterator<Item = &GridRow> {
        self.places.iter().filter_map(|place| match place {
            Place::Read(row) => Some(*row),
            Place::United(i) => self.united.get(*i),
        })
    }
}

/// The rows of one jury member in one sheet.
struct Unit<'a> {
    sheet: usize,
    juror: &'a str,
    rows: Vec<usize>,
}

/// What a sheet finding is about, to drop it once another sheet answers it:
/// (code, file, sheet, candidate, juror, criterion).
type FindingKey = (Code, String, String, String, String, Option<String>);

/// Ignores copies and unites each jury member's rows across sheets (see the module docs).
pub fn unite<'a>(grids: &'a [GridSheet], referential: &Referential) -> JurorGrids<'a> {
    let units = member_units(grids);
    let mut findings = Vec::new();
    let ignored = copies(grids, &units, &mut findings);
    let kept: Vec<&Unit> = units
        .iter()
        .enumerate()
        .filter(|(i, _)| !ignored.contains(i))
        .map(|(_, u)| u)
        .collect();
    let mut union = Union::default();
    for juror in jurors_in_several_sheets(&kept) {
        union.unite_juror(grids, referential, &kept, juror, &mut findings);
    }
    let skipped: HashSet<(usize, &str)> = ignored
        .iter()
        .map(|i| (units[*i].sheet, units[*i].juror))
        .collect();
    if skipped.is_empty() && union.united.is_empty() {
        // The usual case, one sheet per juror: every row and finding as read.
        return JurorGrids {
            places: grids
                .iter()
                .flat_map(|s| &s.rows)
                .map(Place::Read)
                .collect(),
            united: Vec::new(),
            findings: grids
                .iter()
                .flat_map(|s| s.findings.iter().cloned())
                .chain(findings)
                .collect(),
        };
    }
    let mut kept_findings = union.sheet_findings(grids, &skipped);
    kept_findings.extend(findings);
    let (places, united) = union.places(grids, &skipped);
    JurorGrids {
        places,
        united,
        findings: kept_findings,
    }
}

/// Each jury member's rows, sheet by sheet, in order of appearance.
fn member_units(grids: &[GridSheet]) -> Vec<Unit<'_>> {
    let mut units: Vec<Unit> = Vec::new();
    for (s, sheet) in grids.iter().enumerate() {
        let first = units.len();
        for (r, row) in sheet.rows.iter().enumerate() {
            if !row.known_juror {
                continue;
            }
            match units[first..].iter_mut().find(|u| u.juror == row.juror) {
                Some(unit) => unit.rows.push(r),
                None => units.push(Unit {
                    sheet: s,
                    juror: &row.juror,
                    rows: vec![r],
                }),
            }
        }
    }
    units
}

/// Jurors with rows in more than one sheet, in order of appearance.
fn jurors_in_several_sheets<'a>(units: &[&Unit<'a>]) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    let mut several: Vec<&str> = Vec::new();
    for unit in units {
        if seen.contains(&unit.juror) {
            if !several.contains(&unit.juror) {
                several.push(unit.juror);
            }
        } else {
            seen.push(unit.juror);
        }
    }
    several
}

/// What a unit says: its graded and absent rows, by candidate (the rows a copy repeats).
fn content<'a>(grids: &'a [GridSheet], unit: &Unit) -> Vec<&'a GridRow> {
    let mut rows: Vec<&GridRow> = unit
        .rows
        .iter()
        .map(|r| &grids[unit.sheet].rows[*r])
        .filter(|r| r.kind != RowKind::Ungraded)
        .collect();
    rows.sort_by(|a, b| a.candidate.cmp(&b.candidate));
    rows
}

fn same_levels(a: &[&GridRow], b: &[&GridRow]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.candidate == y.candidate
                && x.kind == y.kind
                && x.levels.len() == y.levels.len()
                && x.levels
                    .iter()
                    .zip(&y.levels)
                    .all(|(l, m)| l.as_ref().map(|g| g.level) == m.as_ref().map(|g| g.level))
        })
}

/// The units that copy an earlier unit of the same juror (indices into `units`), reported
/// as `duplicate-grid`: one finding per copied sheet (a long sheet may copy several jurors'
/// grids at once). Of identical units, the one kept is the first whose file name does not
/// look like a copy (« … (1).xlsx », « Copie de … »), else the first.
fn copies(grids: &[GridSheet], units: &[Unit], findings: &mut Vec<Finding>) -> HashSet<usize> {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for juror in jurors_in_several_sheets(&units.iter().collect::<Vec<_>>()) {
        let mine: Vec<usize> = (0..units.len())
            .filter(|i| units[*i].juror == juror)
            .collect();
        let contents: Vec<Vec<&GridRow>> =
            mine.iter().map(|i| content(grids, &units[*i])).collect();
        let mut grouped = vec![false; mine.len()];
        for a in 0..mine.len() {
            if grouped[a] || contents[a].is_empty() {
                continue;
            }
            let group: Vec<usize> = (a..mine.len())
                .filter(|b| !grouped[*b] && same_levels(&contents[a], &contents[*b]))
                .map(|b| mine[b])
                .collect();
            if group.len() < 2 {
                continue;
            }
            for b in a..mine.len() {
                grouped[b] = grouped[b] || group.contains(&mine[b]);
            }
            let file = |u: usize| grids[units[u].sheet].file.as_str();
            let original = group
                .iter()
                .copied()
                .find(|u| !looks_like_a_copy(file(*u)))
                .unwrap_or(group[0]);
            pairs.extend(
                group
                    .into_iter()
                    .filter(|u| *u != original)
                    .map(|u| (u, original)),
            );
        }
    }
    // One finding per copied sheet and original sheet, naming every juror concerned.
    let mut reported: Vec<(usize, usize, Vec<&str>)> = Vec::new();
    for (copy, original) in &pairs {
        let sheets = (units[*copy].sheet, units[*original].sheet);
        match reported.iter_mut().find(|(c, o, _)| (*c, *o) == sheets) {
            Some((_, _, jurors)) => jurors.push(units[*copy].juror),
            None => reported.push((sheets.0, sheets.1, vec![units[*copy].juror])),
        }
    }
    for (copy, original, jurors) in reported {
        let first_row = |s: usize| grids[s].rows.first();
        if let (Some(copy), Some(original)) = (first_row(copy), first_row(original)) {
            findings.push(duplicate_grid(copy, original, &jurors));
        }
    }
    pairs.into_iter().map(|(copy, _)| copy).collect()
}

/// « grille (1).xlsx », « grille (2).ods », « Copie de grille.xlsx », « grille - Copie.xlsx »,
/// « Copy of grille.xlsx », « grille - Copy.xlsx ».
fn looks_like_a_copy(file: &str) -> bool {
    let stem = Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let numbered = stem.strip_suffix(')').is_some_and(|s| {
        let before = s.trim_end_matches(|c: char| c.is_ascii_digit());
        before.len() < s.len() && before.ends_with('(')
    });
    numbered
        || stem.starts_with("copie de ")
        || stem.starts_with("copy of ")
        || stem.contains(" - copie")
        || stem.contains(" - copy")
}

/// `copy` and `original`: a row of each sheet, for its file and sheet.
fn duplicate_grid(copy: &GridRow, original: &GridRow, jurors: &[&str]) -> Finding {
    let whose = match jurors {
        [juror] => format!("grille {}", of_name(juror)),
        _ => format!("grilles {}", of_name(&jurors.join(", "))),
    };
    let (copy_file, copy_sheet) = (&copy.id_cell.file, &copy.id_cell.sheet);
    let (original_file, original_sheet) = (&original.id_cell.file, &original.id_cell.sheet);
    let (message, hint) = if copy_file == original_file {
        (
            format!(
                "La feuille « {copy_sheet} » de « {copy_file} » est une copie de la feuille « {original_sheet} » ({whose} : mêmes candidats, mêmes niveaux). La copie est ignorée."
            ),
            "Vous pouvez supprimer cette feuille.".to_string(),
        )
    } else {
        (
            format!(
                "Le fichier « {copy_file} » est une copie de « {original_file} » ({whose} : mêmes candidats, mêmes niveaux). La copie est ignorée."
            ),
            format!("Vous pouvez supprimer « {copy_file} » du dossier des grilles."),
        )
    };
    let finding = Finding::new(Code::DuplicateGrid, message)
        .in_sheet(copy_file, copy_sheet)
        .hint(hint);
    match jurors {
        [juror] => finding.juror(juror),
        _ => finding,
    }
}

fn key(f: &Finding) -> FindingKey {
    (
        f.code,
        f.file.clone().unwrap_or_default(),
        f.sheet.clone().unwrap_or_default(),
        f.candidate.clone().unwrap_or_default(),
        f.juror.clone().unwrap_or_default(),
        f.criterion.clone(),
    )
}

/// The rows united so far: each united row by the place of the juror's first row for the
/// candidate, the other rows it took in, and the sheet findings it answers.
#[derive(Default)]
struct Union {
    united: HashMap<(usize, usize), GridRow>,
    absorbed: HashSet<(usize, usize)>,
    answered: HashSet<FindingKey>,
}

impl Union {
    /// Every row that counts, in sheet order: united rows where their first part was, the
    /// other parts and the copies' rows left out.
    fn places<'a>(
        &mut self,
        grids: &'a [GridSheet],
        skipped: &HashSet<(usize, &str)>,
    ) -> (Vec<Place<'a>>, Vec<GridRow>) {
        let mut places = Vec::new();
        let mut united_rows = Vec::new();
        for (s, sheet) in grids.iter().enumerate() {
            for (r, row) in sheet.rows.iter().enumerate() {
                if row.known_juror && skipped.contains(&(s, row.juror.as_str())) {
                    continue;
                }
                match self.united.remove(&(s, r)) {
                    Some(united) => {
                        places.push(Place::United(united_rows.len()));
                        united_rows.push(united);
                    }
                    None if self.absorbed.contains(&(s, r)) => {}
                    None => places.push(Place::Read(row)),
                }
            }
        }
        (places, united_rows)
    }

    /// The sheets' findings but those of copies and those another sheet answers.
    fn sheet_findings(
        &self,
        grids: &[GridSheet],
        skipped: &HashSet<(usize, &str)>,
    ) -> Vec<Finding> {
        let mut kept = Vec::new();
        for (s, sheet) in grids.iter().enumerate() {
            let whole_sheet_ignored = !sheet.rows.is_empty()
                && sheet
                    .rows
                    .iter()
                    .all(|r| r.known_juror && skipped.contains(&(s, r.juror.as_str())));
            let stands = |f: &&Finding| {
                let of_copy = match &f.juror {
                    Some(juror) => skipped.contains(&(s, juror.as_str())),
                    None => whole_sheet_ignored,
                };
                let answered = matches!(f.code, Code::MissingLevel | Code::UngradedRow)
                    && self.answered.contains(&key(f));
                !of_copy && !answered
            };
            kept.extend(sheet.findings.iter().filter(stands).cloned());
        }
        kept
    }

    /// Unites the rows of `juror` across the sheets of `units`.
    fn unite_juror(
        &mut self,
        grids: &[GridSheet],
        referential: &Referential,
        units: &[&Unit],
        juror: &str,
        findings: &mut Vec<Finding>,
    ) {
        // The juror's first row for each candidate in each sheet, in sheet order but for
        // files named like copies, read last: the other file's levels count.
        let mut mine: Vec<&&Unit> = units.iter().filter(|u| u.juror == juror).collect();
        mine.sort_by_key(|u| looks_like_a_copy(&grids[u.sheet].file));
        let mut by_candidate: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
        let mut order: Vec<&str> = Vec::new();
        for unit in mine {
            let mut seen: HashSet<&str> = HashSet::new();
            for r in &unit.rows {
                let candidate = grids[unit.sheet].rows[*r].candidate.as_str();
                if !seen.insert(candidate) {
                    continue;
                }
                let places = by_candidate.entry(candidate).or_insert_with(|| {
                    order.push(candidate);
                    Vec::new()
                });
                places.push((unit.sheet, *r));
            }
        }
        for candidate in order {
            let places = &by_candidate[candidate];
            if places.len() > 1 {
                let united = self.unite_rows(grids, referential, places, findings);
                self.united.insert(places[0], united);
                self.absorbed.extend(places[1..].iter().copied());
            }
        }
    }

    /// One row from the juror's rows for one candidate in several sheets (`places`).
    fn unite_rows(
        &mut self,
        grids: &[GridSheet],
        referential: &Referential,
        places: &[(usize, usize)],
        findings: &mut Vec<Finding>,
    ) -> GridRow {
        let parts: Vec<&GridRow> = places.iter().map(|(s, r)| &grids[*s].rows[*r]).collect();
        let marked: Vec<&GridRow> = parts
            .iter()
            .copied()
            .filter(|r| r.kind != RowKind::Ungraded)
            .collect();
        if marked.is_empty() {
            // Nobody graded: one row stands for them all, each empty row keeps its warning.
            return parts[0].clone();
        }
        // The first graded row is the base (levels count over ABS), else the first ABS row.
        let base = marked
            .iter()
            .position(|r| r.kind == RowKind::Graded)
            .unwrap_or(0);
        let mut united = marked[base].clone();
        for (i, other) in marked.iter().enumerate().filter(|(i, _)| *i != base) {
            match (united.kind, other.kind) {
                (RowKind::Absent, RowKind::Absent) => {}
                (RowKind::Graded, RowKind::Graded) => {
                    take_levels(&mut united, other, referential, findings);
                }
                // Reported at the row read second, naming the other.
                _ if i < base => findings.push(absent_and_graded(other, marked[base])),
                _ => findings.push(absent_and_graded(marked[base], other)),
            }
            if united.comment.is_none() {
                united.comment.clone_from(&other.comment);
            }
            united.names.extend(other.names.iter().cloned());
        }
        // What one sheet gave answers what another lacked.
        for part in &parts {
            if part.kind == RowKind::Ungraded {
                self.answered.insert(row_key(Code::UngradedRow, part, None));
            }
            for (i, (_, criterion)) in referential.criteria().enumerate() {
                if united.levels.get(i).is_some_and(Option::is_some) {
                    self.answered.insert(row_key(
                        Code::MissingLevel,
                        part,
                        Some(criterion.code.clone()),
                    ));
                }
            }
        }
        united
    }
}

fn row_key(code: Code, row: &GridRow, criterion: Option<String>) -> FindingKey {
    (
        code,
        row.id_cell.file.to_string(),
        row.id_cell.sheet.to_string(),
        row.candidate.clone(),
        row.juror.clone(),
        criterion,
    )
}

/// Takes into `united` the levels `other` gives where `united` has none; a criterion both
/// give is `duplicate-level` at `other`'s cell (the first level counts).
fn take_levels(
    united: &mut GridRow,
    other: &GridRow,
    referential: &Referential,
    findings: &mut Vec<Finding>,
) {
    let codes: Vec<&str> = referential
        .criteria()
        .map(|(_, c)| c.code.as_str())
        .collect();
    let mut source = None;
    for (i, given) in other.levels.iter().enumerate() {
        let Some(given) = given else { continue };
        let code = codes.get(i).copied().unwrap_or_default();
        let cell = other.cell_of(given);
        if let Some(first) = united.levels.get(i).and_then(Option::as_ref) {
            let before = united.cell_of(first);
            findings.push(
                Finding::new(
                    Code::DuplicateLevel,
                    format!(
                        "Le critère {code} du candidat {} est noté deux fois par {} : dans cette cellule et dans « {} » (feuille « {} », {}). Le niveau retenu est celui de « {} ».",
                        other.candidate, other.juror, before.file, before.sheet, before.a1(), before.file
                    ),
                )
                .at(&cell)
                .candidate(&other.candidate)
                .criterion(code)
                .juror(&other.juror)
                .hint("Gardez un seul niveau par critère et par évaluateur : effacez l'une des deux cellules."),
            );
            continue;
        }
        let index = match source {
            Some(index) => index,
            None => {
                united.sources.push(other.id_cell.clone());
                let Ok(index) = u16::try_from(united.sources.len()) else {
                    united.sources.pop();
                    findings.push(too_many_sheets(other));
                    return;
                };
                source = Some(index);
                index
            }
        };
        if let Some(slot) = united.levels.get_mut(i) {
            let mut taken = given.clone();
            taken.source = index;
            *slot = Some(taken);
        }
    }
}

/// Past 65,535 sheets for one juror and candidate, a row is a plain duplicate.
fn too_many_sheets(row: &GridRow) -> Finding {
    Finding::new(
        Code::DuplicateCandidate,
        format!(
            "{} note le candidat {} dans plus de 65535 feuilles : cette ligne n'est pas prise en compte.",
            row.juror, row.candidate
        ),
    )
    .at(&row.id_cell)
    .candidate(&row.candidate)
    .juror(&row.juror)
}

/// ABS in one sheet, levels in another (`first` read before `other`): the levels count.
fn absent_and_graded(first: &GridRow, other: &GridRow) -> Finding {
    let (then, now) = if first.kind == RowKind::Absent {
        ("a mis ABS", "des niveaux")
    } else {
        ("a donné des niveaux", "ABS")
    };
    Finding::new(
        Code::DuplicateCandidate,
        format!(
            "{} {then} au candidat {} dans « {} » (feuille « {} », {}) mais {now} sur cette ligne : les niveaux sont retenus.",
            other.juror,
            other.candidate,
            first.id_cell.file,
            first.id_cell.sheet,
            first.id_cell.a1(),
        ),
    )
    .at(&other.id_cell)
    .candidate(&other.candidate)
    .juror(&other.juror)
    .hint("Gardez ABS ou les niveaux, pas les deux : corrigez l'une des deux lignes.")
}

#[cfg(test)]
mod tests;

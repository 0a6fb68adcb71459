//! Agreement between jurors (accord entre évaluateurs): percent agreement and Cohen's kappa
//! for each pair of jurors, and per criterion the share of unanimous candidates with Cohen's
//! or Fleiss' kappa.
//!
//! Pure arithmetic over *items*: one candidate × criterion, with the level each juror gave.
//! The categories are the levels of the scale, unweighted: two jurors agree on an item when
//! they gave the same level. With the built-in two-level scale (Non acquis, Acquis) this is
//! agreement on acquired vs not acquired.
//!
//! - **Pair of jurors**: over the items both graded, percent agreement `p_o` and Cohen's
//!   kappa `(p_o − p_e) / (1 − p_e)`, where `p_e = Σ_k a_k · b_k` from each juror's share of
//!   level `k` on those items.
//! - **Criterion**: over its items graded by at least two jurors, the share on which every
//!   juror gave the same level. Its kappa is Cohen's when the same two jurors graded every one
//!   of those items; otherwise (sub-juries, three jurors or more) Fleiss' kappa, which needs
//!   the same number of jurors per item but not the same jurors: it is computed on the items
//!   that have the most common number of jurors (the larger number on a tie).
//!
//! A kappa that cannot be computed (no item, or chance agreement equal to 1 because every
//! level given is the same) is `None`, never NaN. Nothing here panics on any input.

use std::collections::BTreeMap;

/// One candidate × criterion and the levels given: `(juror index, level index)`, one per juror.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub criterion: usize,
    pub ratings: Vec<(usize, usize)>,
}

/// Agreement of two jurors over the items both graded.
#[derive(Debug, Clone, PartialEq)]
pub struct PairAgreement {
    /// Indices into [`Agreement::jurors`], `first < second`.
    pub first: usize,
    pub second: usize,
    pub items: usize,
    pub agreement: Option<f64>,
    pub kappa: Option<f64>,
}

/// Which kappa a criterion's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The same two jurors graded every item.
    Cohen,
    /// Items with `raters` jurors each, whoever they are.
    Fleiss { raters: usize },
}

/// Agreement on one criterion, over its items graded by at least two jurors.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionAgreement {
    /// Index of the criterion in referential order.
    pub criterion: usize,
    /// Items (candidates) graded by at least two jurors.
    pub items: usize,
    /// Share of those items on which every juror gave the same level.
    pub agreement: Option<f64>,
    pub kappa: Option<f64>,
    /// `None` when no item was graded twice.
    pub method: Option<Method>,
    /// Items the kappa was computed on (fewer than `items` when Fleiss' kappa left out the
    /// items with an unusual number of jurors).
    pub kappa_items: usize,
}

/// Everything measured on a session.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Agreement {
    /// Juror names, sorted; the indices of [`Item::ratings`] and [`PairAgreement`].
    pub jurors: Vec<String>,
    /// Every pair of jurors that graded at least one item in common, in juror order.
    pub pairs: Vec<PairAgreement>,
    /// One entry per criterion, in referential order.
    pub criteria: Vec<CriterionAgreement>,
}

/// Below this, `1 − p_e` is taken as zero: the kappa is undefined.
const EPSILON: f64 = 1e-12;

/// Share of pairs `(a, b)` with `a == b`; `None` when empty.
pub fn percent_agreement(pairs: &[(usize, usize)]) -> Option<f64> {
    if pairs.is_empty() {
        return None;
    }
    let same = pairs.iter().filter(|(a, b)| a == b).count();
    Some(same as f64 / pairs.len() as f64)
}

/// Cohen's kappa of two raters, from the categories each gave to the same items.
pub fn cohen_kappa(pairs: &[(usize, usize)]) -> Option<f64> {
    let mut table = Table::default();
    for (a, b) in pairs {
        table.add(*a, *b);
    }
    table.cohen()
}

/// Fleiss' kappa: `counts[i][k]` is how many raters put item `i` in category `k`. Every item
/// must have the same number of raters, at least two; otherwise `None`.
pub fn fleiss_kappa(counts: &[Vec<usize>]) -> Option<f64> {
    let mut fleiss = Fleiss::default();
    for item in counts {
        fleiss.add(item)?;
    }
    fleiss.kappa()
}

/// Two raters' contingency table, sparse: `((a, b), n)`, `n` items put in `a` by the first
/// and in `b` by the second.
#[derive(Debug, Clone, Default)]
struct Table {
    cells: Vec<((usize, usize), usize)>,
    total: usize,
}

impl Table {
    fn add(&mut self, a: usize, b: usize) {
        match self.cells.iter_mut().find(|(key, _)| *key == (a, b)) {
            Some((_, n)) => *n += 1,
            None => self.cells.push(((a, b), 1)),
        }
        self.total += 1;
    }

    fn agreement(&self) -> Option<f64> {
        let same: usize = self
            .cells
            .iter()
            .filter(|((a, b), _)| a == b)
            .map(|(_, n)| n)
            .sum();
        (self.total > 0).then(|| same as f64 / self.total as f64)
    }

    fn cohen(&self) -> Option<f64> {
        let observed = self.agreement()?;
        let n = self.total as f64;
        let categories = self.cells.iter().map(|((a, b), _)| a.max(b) + 1).max()?;
        let mut first = vec![0usize; categories];
        let mut second = vec![0usize; categories];
        for ((a, b), count) in &self.cells {
            first[*a] += count;
            second[*b] += count;
        }
        let expected: f64 = first
            .iter()
            .zip(&second)
            .map(|(a, b)| (*a as f64 / n) * (*b as f64 / n))
            .sum();
        kappa(observed, expected)
    }
}

/// Fleiss' kappa, item by item: the sum of each item's agreement `P_i` and the totals per
/// category.
#[derive(Debug, Clone, Default)]
struct Fleiss {
    items: usize,
    raters: usize,
    observed: f64,
    totals: Vec<usize>,
}

impl Fleiss {
    /// Adds one item's counts per category; `None` when its number of raters is under two
    /// or differs from the items before.
    fn add(&mut self, counts: &[usize]) -> Option<()> {
        let raters: usize = counts.iter().sum();
        if raters < 2 || (self.items > 0 && raters != self.raters) {
            return None;
        }
        self.raters = raters;
        self.items += 1;
        let n = raters as f64;
        let squares: usize = counts.iter().map(|c| c * c).sum();
        self.observed += (squares as f64 - n) / (n * (n - 1.0));
        if self.totals.len() < counts.len() {
            self.totals.resize(counts.len(), 0);
        }
        for (total, c) in self.totals.iter_mut().zip(counts) {
            *total += c;
        }
        Some(())
    }

    fn kappa(&self) -> Option<f64> {
        if self.items == 0 {
            return None;
        }
        let all = (self.items * self.raters) as f64;
        let expected: f64 = self
            .totals
            .iter()
            .map(|t| {
                let p = *t as f64 / all;
                p * p
            })
            .sum();
        kappa(self.observed / self.items as f64, expected)
    }
}

fn kappa(observed: f64, expected: f64) -> Option<f64> {
    (1.0 - expected > EPSILON).then(|| (observed - expected) / (1.0 - expected))
}

/// How to read a kappa, after Landis & Koch (1977), in French.
pub fn landis_koch(kappa: f64) -> &'static str {
    if kappa < 0.0 {
        "inférieur au hasard"
    } else if kappa <= 0.20 {
        "très faible"
    } else if kappa <= 0.40 {
        "faible"
    } else if kappa <= 0.60 {
        "modéré"
    } else if kappa <= 0.80 {
        "fort"
    } else {
        "presque parfait"
    }
}

/// Share of identical levels from which a low kappa says nothing of disagreement.
pub const HIGH_AGREEMENT: f64 = 0.90;

/// How to read a kappa next to its percent agreement: the Landis & Koch band, except when
/// the jurors gave the same level almost everywhere (at least [`HIGH_AGREEMENT`]) and the
/// kappa is below « fort ». Then the levels are nearly all the same, chance agreement is
/// close to 1 and one differing level sinks the kappa (the kappa paradox): the agreement
/// is high, and the kappa tells little.
pub fn reading(agreement: Option<f64>, kappa: f64) -> &'static str {
    match agreement {
        Some(a) if a >= HIGH_AGREEMENT && kappa <= 0.60 => "accord élevé, kappa peu significatif",
        _ => landis_koch(kappa),
    }
}

/// Measures agreement over `items` (see the module docs). `jurors` names the juror indices;
/// `criteria` is the number of criteria of the referential.
pub fn measure(jurors: &[String], criteria: usize, items: &[Item]) -> Agreement {
    let mut tally = Tally::new(criteria);
    let mut ratings = Vec::new();
    for item in items {
        ratings.clone_from(&item.ratings);
        tally.add(item.criterion, &mut ratings);
    }
    tally.finish(jurors)
}

/// Agreement measured item by item, keeping nothing per item: counts per pair of jurors
/// and per criterion.
#[derive(Debug, Clone)]
pub struct Tally {
    pairs: BTreeMap<(usize, usize), Table>,
    criteria: Vec<CriterionTally>,
    counts: Vec<usize>,
}

impl Tally {
    pub fn new(criteria: usize) -> Tally {
        Tally {
            pairs: BTreeMap::new(),
            criteria: vec![CriterionTally::default(); criteria],
            counts: Vec::new(),
        }
    }

    /// Adds one item: a criterion and its `(juror, level)` ratings (sorted here by juror).
    pub fn add(&mut self, criterion: usize, ratings: &mut [(usize, usize)]) {
        if !ratings.is_sorted() {
            ratings.sort_unstable();
        }
        for (i, (a, level_a)) in ratings.iter().enumerate() {
            for (b, level_b) in &ratings[i + 1..] {
                self.pairs
                    .entry((*a, *b))
                    .or_default()
                    .add(*level_a, *level_b);
            }
        }
        if let Some(tally) = self.criteria.get_mut(criterion) {
            tally.add(ratings, &mut self.counts);
        }
    }

    /// The measures; `jurors` names the juror indices.
    pub fn finish(self, jurors: &[String]) -> Agreement {
        Agreement {
            jurors: jurors.to_vec(),
            pairs: self
                .pairs
                .into_iter()
                .map(|((first, second), table)| PairAgreement {
                    first,
                    second,
                    items: table.total,
                    agreement: table.agreement(),
                    kappa: table.cohen(),
                })
                .collect(),
            criteria: self
                .criteria
                .iter()
                .enumerate()
                .map(|(criterion, tally)| tally.finish(criterion))
                .collect(),
        }
    }
}

/// What one criterion's items graded by at least two jurors add up to.
#[derive(Debug, Clone, Default)]
struct CriterionTally {
    items: usize,
    unanimous: usize,
    /// The two jurors of the first item, and whether every item had exactly them.
    pair: Option<(usize, usize)>,
    one_pair: bool,
    table: Table,
    /// Fleiss' sums by number of jurors per item.
    by_raters: BTreeMap<usize, Fleiss>,
}

impl CriterionTally {
    /// Adds one item (`ratings` sorted by juror); `counts` is a scratch buffer.
    fn add(&mut self, ratings: &[(usize, usize)], counts: &mut Vec<usize>) {
        if ratings.len() < 2 {
            return;
        }
        if self.items == 0 {
            self.one_pair = true;
        }
        self.items += 1;
        self.unanimous += usize::from(ratings.windows(2).all(|w| w[0].1 == w[1].1));
        match ratings {
            [(a, level_a), (b, level_b)] => {
                let pair = *self.pair.get_or_insert((*a, *b));
                self.one_pair &= pair == (*a, *b);
                self.table.add(*level_a, *level_b);
            }
            _ => self.one_pair = false,
        }
        counts.clear();
        for (_, level) in ratings {
            if counts.len() <= *level {
                counts.resize(level + 1, 0);
            }
            counts[*level] += 1;
        }
        // Every item of this entry has `ratings.len()` jurors: `add` cannot refuse it.
        let _ = self.by_raters.entry(ratings.len()).or_default().add(counts);
    }

    fn finish(&self, criterion: usize) -> CriterionAgreement {
        let mut out = CriterionAgreement {
            criterion,
            items: self.items,
            agreement: (self.items > 0).then(|| self.unanimous as f64 / self.items as f64),
            kappa: None,
            method: None,
            kappa_items: 0,
        };
        if self.items == 0 {
            return out;
        }
        if self.one_pair {
            out.method = Some(Method::Cohen);
            out.kappa = self.table.cohen();
            out.kappa_items = self.table.total;
            return out;
        }
        // The most common number of jurors; on a tie, the larger (`max_by_key` keeps the
        // last maximum, and the map is in increasing order).
        if let Some((raters, fleiss)) = self.by_raters.iter().max_by_key(|(_, f)| f.items) {
            out.method = Some(Method::Fleiss { raters: *raters });
            out.kappa = fleiss.kappa();
            out.kappa_items = fleiss.items;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` copies of the pair `(a, b)`.
    fn times(n: usize, a: usize, b: usize) -> Vec<(usize, usize)> {
        vec![(a, b); n]
    }

    fn round3(x: Option<f64>) -> Option<f64> {
        x.map(|v| (v * 1000.0).round() / 1000.0)
    }

    #[test]
    fn cohen_textbook_two_by_two() {
        // Wikipedia « Cohen's kappa », 50 proposals read by A and B (1 = yes, 0 = no):
        // yes/yes 20, A yes B no 5, A no B yes 10, no/no 15.
        // p_o = (20 + 15) / 50 = 0.70
        // A yes 25/50 = 0.5, B yes 30/50 = 0.6
        // p_e = 0.5 × 0.6 + 0.5 × 0.4 = 0.30 + 0.20 = 0.50
        // κ = (0.70 − 0.50) / (1 − 0.50) = 0.40
        let pairs = [
            times(20, 1, 1),
            times(5, 1, 0),
            times(10, 0, 1),
            times(15, 0, 0),
        ]
        .concat();
        assert_eq!(round3(percent_agreement(&pairs)), Some(0.7));
        assert_eq!(round3(cohen_kappa(&pairs)), Some(0.4));
    }

    #[test]
    fn cohen_three_levels() {
        // 10 items, levels 0, 1, 2: (0,0)×3, (1,1)×3, (2,2)×1, (0,1), (1,2), (2,0).
        // p_o = 7/10 = 0.70
        // A: level 0 = 3+1 = 4, level 1 = 3+1 = 4, level 2 = 1+1 = 2
        // B: level 0 = 3+1 = 4, level 1 = 3+1 = 4, level 2 = 1+1 = 2
        // p_e = 0.4×0.4 + 0.4×0.4 + 0.2×0.2 = 0.36
        // κ = (0.70 − 0.36) / 0.64 = 0.53125
        let pairs = [
            times(3, 0, 0),
            times(3, 1, 1),
            times(1, 2, 2),
            vec![(0, 1), (1, 2), (2, 0)],
        ]
        .concat();
        assert_eq!(round3(cohen_kappa(&pairs)), Some(0.531));
    }

    #[test]
    fn cohen_perfect_disagreement_is_minus_one() {
        // p_o = 0; each rater half and half: p_e = 0.5; κ = (0 − 0.5) / 0.5 = −1.
        let pairs = [times(5, 0, 1), times(5, 1, 0)].concat();
        assert_eq!(round3(cohen_kappa(&pairs)), Some(-1.0));
    }

    #[test]
    fn degenerate_cases_are_none() {
        assert_eq!(percent_agreement(&[]), None);
        assert_eq!(cohen_kappa(&[]), None);
        // Both always « Acquis »: p_e = 1, κ undefined (yet 100 % agreement).
        assert_eq!(cohen_kappa(&times(12, 1, 1)), None);
        assert_eq!(percent_agreement(&times(12, 1, 1)), Some(1.0));
        assert_eq!(fleiss_kappa(&[]), None);
        assert_eq!(fleiss_kappa(&[vec![0, 3], vec![0, 3]]), None);
        // One rater per item, or unequal numbers of raters.
        assert_eq!(fleiss_kappa(&[vec![1, 0]]), None);
        assert_eq!(fleiss_kappa(&[vec![1, 1], vec![2, 1]]), None);
    }

    #[test]
    fn fleiss_1971_table() {
        // The classic example (Fleiss 1971, as on Wikipedia « Fleiss' kappa »): 10 subjects,
        // 14 raters, 5 categories.
        // P_i = (Σ_k n_ik² − 14) / (14 × 13): Σ n² per row = 196, 60, 70, 94, 74, 98, 58, 46,
        // 66, 66 → P_i × 182 = 182, 46, 56, 80, 60, 84, 44, 32, 52, 52 (sum 688)
        // P̄ = 688 / 1820 = 0.378022
        // column totals 20, 28, 39, 21, 32 (of 140): P̄e = (400 + 784 + 1521 + 441 + 1024)
        // / 19600 = 4170 / 19600 = 0.212755
        // κ = (0.378022 − 0.212755) / (1 − 0.212755) = 0.165267 / 0.787245 = 0.209931
        let table = vec![
            vec![0, 0, 0, 0, 14],
            vec![0, 2, 6, 4, 2],
            vec![0, 0, 3, 5, 6],
            vec![0, 3, 9, 2, 0],
            vec![2, 2, 8, 1, 1],
            vec![7, 7, 0, 0, 0],
            vec![3, 2, 6, 3, 0],
            vec![2, 5, 3, 2, 2],
            vec![6, 5, 2, 1, 0],
            vec![0, 2, 2, 3, 7],
        ];
        assert_eq!(round3(fleiss_kappa(&table)), Some(0.21));
        let precise = fleiss_kappa(&table).unwrap_or_default();
        assert!((precise - 0.209931).abs() < 1e-6, "{precise}");
    }

    /// Three jurors (0, 1, 2) on four candidates of criterion 0, levels 0 (NA) and 1 (A):
    /// A A A | A A NA | NA NA NA | A NA NA.
    fn three_jurors() -> Vec<Item> {
        [[1, 1, 1], [1, 1, 0], [0, 0, 0], [1, 0, 0]]
            .iter()
            .map(|levels| Item {
                criterion: 0,
                ratings: levels.iter().copied().enumerate().collect(),
            })
            .collect()
    }

    #[test]
    fn fleiss_on_three_jurors_by_hand() {
        // counts (NA, A): [0,3] [1,2] [3,0] [2,1]
        // P_i = (Σ n² − 3) / 6: (9−3)/6 = 1, (1+4−3)/6 = 1/3, 1, 1/3 → P̄ = (8/3)/4 = 2/3
        // p_NA = (0+1+3+2)/12 = 0.5, p_A = 0.5 → P̄e = 0.5
        // κ = (2/3 − 1/2) / (1/2) = 1/3
        // unanimous: items 1 and 3 → 2/4 = 0.5
        let jurors: Vec<String> = ["A", "B", "C"].map(String::from).to_vec();
        let a = measure(&jurors, 2, &three_jurors());
        let c = &a.criteria[0];
        assert_eq!(c.method, Some(Method::Fleiss { raters: 3 }));
        assert_eq!((c.items, c.kappa_items), (4, 4));
        assert_eq!(round3(c.kappa), Some(0.333));
        assert_eq!(c.agreement, Some(0.5));
        // The second criterion has no item.
        assert_eq!(
            a.criteria[1],
            CriterionAgreement {
                criterion: 1,
                items: 0,
                agreement: None,
                kappa: None,
                method: None,
                kappa_items: 0,
            }
        );
    }

    #[test]
    fn pairs_by_hand() {
        // Jurors 0 and 1: (A,A) (A,A) (NA,NA) (A,NA): p_o = 3/4;
        // juror 0: A 3/4, NA 1/4; juror 1: A 2/4, NA 2/4
        // p_e = 0.75 × 0.5 + 0.25 × 0.5 = 0.5 → κ = (0.75 − 0.5) / 0.5 = 0.5
        // Jurors 0 and 2: (A,A) (A,NA) (NA,NA) (A,NA): p_o = 2/4;
        // juror 2: A 1/4, NA 3/4; p_e = 0.75 × 0.25 + 0.25 × 0.75 = 0.375
        // κ = (0.5 − 0.375) / 0.625 = 0.2
        // Jurors 1 and 2: (A,A) (A,NA) (NA,NA) (NA,NA): p_o = 3/4;
        // p_e = 0.5 × 0.25 + 0.5 × 0.75 = 0.5 → κ = 0.5
        let jurors: Vec<String> = ["A", "B", "C"].map(String::from).to_vec();
        let a = measure(&jurors, 1, &three_jurors());
        type Row = (usize, usize, usize, Option<f64>, Option<f64>);
        let got: Vec<Row> = a
            .pairs
            .iter()
            .map(|p| {
                (
                    p.first,
                    p.second,
                    p.items,
                    round3(p.agreement),
                    round3(p.kappa),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (0, 1, 4, Some(0.75), Some(0.5)),
                (0, 2, 4, Some(0.5), Some(0.2)),
                (1, 2, 4, Some(0.75), Some(0.5)),
            ]
        );
    }

    #[test]
    fn one_fixed_pair_gives_cohen_and_sub_juries_give_fleiss() {
        let jurors: Vec<String> = ["A", "B", "C"].map(String::from).to_vec();
        let item = |a: (usize, usize), b: (usize, usize)| Item {
            criterion: 0,
            ratings: vec![a, b],
        };
        // Same pair (0, 1) everywhere: Cohen, as for the pair itself (textbook: κ = 0.4).
        let fixed: Vec<Item> = [
            times(20, 1, 1),
            times(5, 1, 0),
            times(10, 0, 1),
            times(15, 0, 0),
        ]
        .concat()
        .into_iter()
        .map(|(x, y)| item((1, y), (0, x)))
        .collect();
        let a = measure(&jurors, 1, &fixed);
        assert_eq!(a.criteria[0].method, Some(Method::Cohen));
        assert_eq!(round3(a.criteria[0].kappa), Some(0.4));
        assert_eq!(round3(a.pairs[0].kappa), Some(0.4));
        // Sub-juries: (0, 1) on two items, (0, 2) on two: Fleiss with 2 raters.
        // items (A,A) (A,NA) | (NA,NA) (A,A): counts (NA, A) [0,2] [1,1] [2,0] [0,2]
        // P_i = (Σ n² − 2) / 2: 1, 0, 1, 1 → P̄ = 0.75
        // p_NA = 3/8, p_A = 5/8 → P̄e = 9/64 + 25/64 = 34/64 = 0.53125
        // κ = (0.75 − 0.53125) / 0.46875 = 0.466667
        let subs = vec![
            item((0, 1), (1, 1)),
            item((0, 1), (1, 0)),
            item((0, 0), (2, 0)),
            item((0, 1), (2, 1)),
        ];
        let a = measure(&jurors, 1, &subs);
        assert_eq!(a.criteria[0].method, Some(Method::Fleiss { raters: 2 }));
        assert_eq!(round3(a.criteria[0].kappa), Some(0.467));
        assert_eq!(a.criteria[0].agreement, Some(0.75));
    }

    #[test]
    fn fleiss_uses_the_most_common_number_of_jurors() {
        // Two items with 3 jurors, one with 2: the kappa is over the two 3-juror items,
        // the agreement over all three.
        // counts [0,3] [1,2]: P_i = 1, 1/3 → P̄ = 2/3; p_NA = 1/6, p_A = 5/6
        // P̄e = 1/36 + 25/36 = 26/36 = 0.722222; κ = (0.666667 − 0.722222) / 0.277778 = −0.2
        let mut items = three_jurors();
        items.truncate(2);
        items.push(Item {
            criterion: 0,
            ratings: vec![(0, 1), (1, 1)],
        });
        let jurors: Vec<String> = ["A", "B", "C"].map(String::from).to_vec();
        let a = measure(&jurors, 1, &items);
        let c = &a.criteria[0];
        assert_eq!(c.method, Some(Method::Fleiss { raters: 3 }));
        assert_eq!((c.items, c.kappa_items), (3, 2));
        assert_eq!(round3(c.kappa), Some(-0.2));
        assert_eq!(round3(c.agreement), Some(0.667));
    }

    #[test]
    fn landis_koch_bands() {
        let bands: Vec<&str> = [-0.1, 0.0, 0.2, 0.21, 0.4, 0.5, 0.7, 0.81, 1.0]
            .into_iter()
            .map(landis_koch)
            .collect();
        assert_eq!(
            bands,
            [
                "inférieur au hasard",
                "très faible",
                "très faible",
                "faible",
                "faible",
                "modéré",
                "fort",
                "presque parfait",
                "presque parfait"
            ]
        );
    }

    #[test]
    fn a_low_kappa_under_high_agreement_is_not_read_as_disagreement() {
        // 96 % of identical levels, one differing level among almost only « Acquis ».
        assert_eq!(
            reading(Some(0.96), -0.02),
            "accord élevé, kappa peu significatif"
        );
        assert_eq!(
            reading(Some(0.90), 0.35),
            "accord élevé, kappa peu significatif"
        );
        assert_eq!(reading(Some(0.96), 0.85), "presque parfait");
        assert_eq!(reading(Some(0.89), -0.02), "inférieur au hasard");
        assert_eq!(reading(None, 0.5), "modéré");
    }
}

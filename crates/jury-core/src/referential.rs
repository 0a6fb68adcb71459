//! The referential (référentiel): competencies, criteria, the scale of levels and the rules
//! of a certification, read from TOML text and checked so that every rule can be met.
//!
//! Parsing takes text, never a path: `io::session` reads the file.

use serde::{Deserialize, Serialize};

use crate::finding::{line_column, Code, Finding};
use crate::text::{fold, starts_with_code};
use crate::toml_text::{explain, syntax_errors, Explained, Places};
use crate::wording::count;

/// Referentials shipped inside the binary, by the name `session.toml` uses.
pub const BUILT_IN: &[(&str, &str)] = &[(
    "community-management",
    include_str!("../../../templates/referentials/community-management.toml"),
)];

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Referential {
    /// Registration code at France Compétences (`RS…` or `RNCP…`); absent from a shipped
    /// referential, where each certifier's `[session] code` gives it.
    pub code: Option<String>,
    pub title: String,
    /// The registration mention printed on certificates.
    pub registration: Option<String>,
    #[serde(default)]
    pub nsf: Vec<String>,
    /// RNCP level (printed on certificates of RNCP certifications).
    pub level: Option<String>,
    pub evaluation: Option<String>,
    pub prerequisites: Option<String>,
    /// Years a certificate stays valid, when the certification expires (CPF `dateFinValidite`).
    pub validity_years: Option<u32>,
    pub scale: Scale,
    pub certification: CertificationSpec,
    pub competencies: Vec<Competency>,
    pub rules: Option<Rules>,
    /// Every word accepted as a level, folded, with its level's index (built by `parse`).
    #[serde(skip)]
    level_words: Vec<(String, usize)>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// Ordered from lowest to highest.
    pub levels: Vec<Level>,
    /// Code of the lowest level that counts as acquired.
    pub pass: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub code: String,
    pub label: String,
    pub value: f64,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CertificationSpec {
    pub rule: CountRule,
    #[serde(default = "yes")]
    pub partial: bool,
}

fn yes() -> bool {
    true
}

/// `"all"` or `{ at_least = N }`: the certification's rule over competencies.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum CountRule {
    All(AllWord),
    AtLeast { at_least: u32 },
}

/// The word `"all"` (any other word is a parse error naming the line).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum AllWord {
    All,
}

/// A competency's rule over its criteria.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum CompetencyRule {
    All(AllWord),
    AtLeast { at_least: u32 },
    MeanAtLeast { mean_at_least: f64 },
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Competency {
    pub code: String,
    pub title: String,
    pub rule: CompetencyRule,
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub code: String,
    pub title: String,
    #[serde(default = "one")]
    pub weight: f64,
    #[serde(default)]
    pub aliases: Vec<String>,
}

fn one() -> f64 {
    1.0
}

/// How jurors' levels combine into one level per criterion.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Aggregation {
    #[default]
    Consensus,
    Majority,
    Mean,
    Strictest,
}

impl Aggregation {
    pub fn as_str(self) -> &'static str {
        match self {
            Aggregation::Consensus => "consensus",
            Aggregation::Majority => "majority",
            Aggregation::Mean => "mean",
            Aggregation::Strictest => "strictest",
        }
    }
}

/// Session rules; each may be set by the referential and overridden by `session.toml`.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub aggregation: Option<Aggregation>,
    pub min_jurors: Option<u32>,
}

/// What a cell of a grid says once matched against the scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Index into `scale.levels`.
    Level(usize),
    Absent,
}

/// Why a referential is unusable: the message, what to do, and the string value of the
/// file it is about (its `nth` occurrence, 0-based: a code repeated points at the repeat).
struct Problem {
    message: String,
    hint: String,
    needle: Option<String>,
    nth: usize,
}

impl Problem {
    fn new(message: impl Into<String>, hint: impl Into<String>, needle: Option<String>) -> Problem {
        Problem {
            message: message.into(),
            hint: hint.into(),
            needle,
            nth: 0,
        }
    }

    /// Where the problem is in the file, from the parser's places (never a text search,
    /// which could land in a comment or inside another word): a string value equal to the
    /// needle, else a key of that name.
    fn place(&self, places: &Places) -> Option<(usize, usize)> {
        let raw = self.needle.as_deref()?;
        let needle = fold(raw);
        let found: Vec<(usize, usize)> = places
            .strings()
            .filter(|(_, value, _)| fold(value) == needle)
            .map(|(_, _, place)| place)
            .collect();
        found
            .get(self.nth)
            .or(found.first())
            .copied()
            .or_else(|| places.first_key_named(raw))
    }
}

/// Why an `at_least` rule is refused: 0 asks nothing (`one`: « un » critère, « une »
/// compétence), more than there are cannot be met.
fn unmet(at_least: u32, one: &str) -> String {
    if at_least == 0 {
        format!("une règle doit en demander au moins {one}")
    } else {
        "elle ne peut pas être remplie".to_string()
    }
}

/// `2,5`: a decimal number as French writes it.
fn decimal(value: f64) -> String {
    value.to_string().replace('.', ",")
}

impl Referential {
    /// Parses and checks a referential. `file` names it in findings.
    pub fn parse(text: &str, file: &str) -> Result<Referential, Vec<Finding>> {
        let toml_finding = |e: Explained| {
            let mut finding = Finding::new(Code::InvalidReferential, e.message).in_file(file);
            if let Some(hint) = e.hint {
                finding = finding.hint(hint);
            }
            if let Some(offset) = e.offset {
                let (line, column) = line_column(text, offset);
                finding = finding.at_line(line, column);
            }
            finding
        };
        if let Some(errors) = syntax_errors(text) {
            return Err(errors.into_iter().map(toml_finding).collect());
        }
        let referential: Referential = toml::from_str(text)
            .map_err(|e| vec![toml_finding(explain(text, e.message(), e.span()))])?;
        let problems = referential.problems();
        if problems.is_empty() {
            let mut referential = referential;
            referential.level_words = referential
                .scale
                .levels
                .iter()
                .enumerate()
                .flat_map(|(i, l)| {
                    std::iter::once(&l.code)
                        .chain(std::iter::once(&l.label))
                        .chain(l.aliases.iter())
                        .map(move |w| (fold(w), i))
                })
                .collect();
            Ok(referential)
        } else {
            let places = Places::of(text);
            Err(problems
                .into_iter()
                .map(|problem| {
                    let place = problem.place(&places);
                    let finding = Finding::new(Code::InvalidReferential, problem.message)
                        .in_file(file)
                        .hint(problem.hint);
                    match place {
                        Some((line, column)) => finding.at_line(line, column),
                        None => finding,
                    }
                })
                .collect())
        }
    }

    /// Everything that makes the referential unusable, with what to do and a text to
    /// locate it by.
    fn problems(&self) -> Vec<Problem> {
        let mut out: Vec<Problem> = Vec::new();
        let quoted = |s: &str| Some(s.to_string());
        let level_codes = || {
            self.scale
                .levels
                .iter()
                .map(|l| l.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if self.code.as_deref().is_some_and(|c| c.trim().is_empty()) {
            out.push(Problem::new(
                "Le code de la certification (`code`) est vide.",
                "Écrivez le code d'enregistrement de France Compétences (RS… ou RNCP…), ou retirez la ligne.",
                None,
            ));
        }
        if self.title.trim().is_empty() {
            out.push(Problem::new(
                "L'intitulé de la certification (`title`) est vide.",
                "Écrivez l'intitulé tel qu'il figure sur la fiche de France Compétences.",
                None,
            ));
        }
        // Scale.
        if self.scale.levels.is_empty() {
            out.push(Problem::new(
                "L'échelle (`[scale] levels`) ne contient aucun niveau.",
                "Ajoutez au moins deux niveaux, du plus bas au plus haut (par exemple Non acquis puis Acquis).",
                None,
            ));
        }
        let mut words: Vec<(String, String)> = Vec::new();
        for level in &self.scale.levels {
            for word in std::iter::once(&level.code)
                .chain(std::iter::once(&level.label))
                .chain(level.aliases.iter())
            {
                let folded = fold(word);
                if folded == "abs" || folded == "absent" {
                    out.push(Problem::new(
                        format!(
                            "Le mot « {word} » du niveau {} est réservé aux absences (ABS).",
                            level.code
                        ),
                        "Choisissez un autre mot pour ce niveau : ABS et Absent marquent toujours une absence.",
                        quoted(word),
                    ));
                }
                if let Some((_, other)) =
                    words.iter().find(|(w, c)| *w == folded && *c != level.code)
                {
                    out.push(Problem::new(
                        format!("Le mot « {word} » désigne à la fois le niveau {other} et le niveau {}.", level.code),
                        "Gardez ce mot pour un seul des deux niveaux.",
                        quoted(word),
                    ));
                }
                words.push((folded, level.code.clone()));
            }
        }
        for pair in self.scale.levels.windows(2) {
            if pair[1].value <= pair[0].value {
                out.push(Problem::new(
                    format!(
                        "Les niveaux de l'échelle doivent aller du plus bas au plus haut : {} ({}) puis {} ({}).",
                        pair[0].code,
                        decimal(pair[0].value),
                        pair[1].code,
                        decimal(pair[1].value)
                    ),
                    "Rangez les niveaux par valeur croissante, chacun avec une valeur différente.",
                    quoted(&pair[1].code),
                ));
            }
        }
        if self.pass_index().is_none() {
            out.push(Problem::new(
                format!(
                    "Le niveau de réussite `pass = \"{}\"` n'est pas un niveau de l'échelle.",
                    self.scale.pass
                ),
                format!(
                    "Donnez le code d'un niveau de l'échelle : {}.",
                    level_codes()
                ),
                Some("pass".into()),
            ));
        }
        self.competency_problems(&mut out);
        if let CountRule::AtLeast { at_least } = self.certification.rule {
            let n = self.competencies.len();
            if at_least == 0 || at_least as usize > n {
                out.push(Problem::new(
                    format!(
                        "La règle de certification demande {} sur {n} : {}.",
                        count(at_least as usize, "compétence validée", "compétences validées"),
                        unmet(at_least, "une")
                    ),
                    format!("Écrivez un nombre de 1 à {n}, ou rule = \"all\" pour toutes les compétences."),
                    Some("at_least".into()),
                ));
            }
        }
        if let Some(Rules {
            min_jurors: Some(0),
            ..
        }) = self.rules
        {
            out.push(Problem::new(
                "`min_jurors` doit valoir au moins 1.",
                "Écrivez le nombre de grilles exigé pour chaque candidat présent, par exemple min_jurors = 2.",
                Some("min_jurors".into()),
            ));
        }
        out
    }

    /// The problems of the competencies and their criteria.
    fn competency_problems(&self, out: &mut Vec<Problem>) {
        let quoted = |s: &str| Some(s.to_string());
        if self.competencies.is_empty() {
            out.push(Problem::new(
                "Le référentiel ne contient aucune compétence.",
                "Ajoutez un bloc [[competencies]] par compétence, avec ses critères.",
                None,
            ));
        }
        let mut codes: Vec<String> = Vec::new();
        let mut seen = |code: &str, out: &mut Vec<Problem>| {
            let folded = fold(code);
            let before = codes.iter().filter(|c| **c == folded).count();
            if before > 0 {
                let mut problem = Problem::new(
                    format!("Le code « {code} » est utilisé deux fois."),
                    "Donnez à chaque compétence, critère et alias un code qui lui est propre.",
                    quoted(code),
                );
                problem.nth = before;
                out.push(problem);
            }
            codes.push(folded);
        };
        for competency in &self.competencies {
            seen(&competency.code, out);
            if fold(&competency.code) == "certification" {
                out.push(Problem::new(
                    "« Certification » ne peut pas être le code d'une compétence.",
                    "Ce mot désigne la certification entière dans le classeur de délibération : choisissez un autre code (C1, C2…).",
                    quoted(&competency.code),
                ));
            }
            let n = competency.criteria.len();
            if n == 0 {
                out.push(Problem::new(
                    format!("La compétence {} n'a aucun critère.", competency.code),
                    "Ajoutez au moins un critère ([[competencies.criteria]]) à cette compétence.",
                    quoted(&competency.code),
                ));
            }
            match competency.rule {
                CompetencyRule::AtLeast { at_least } if at_least == 0 || at_least as usize > n => {
                    out.push(Problem::new(
                        format!(
                            "La règle de la compétence {} demande {} sur {n} : {}.",
                            competency.code,
                            count(at_least as usize, "critère acquis", "critères acquis"),
                            unmet(at_least, "un")
                        ),
                        format!("Écrivez un nombre de 1 à {n}, ou rule = \"all\" pour tous les critères."),
                        quoted(&competency.code),
                    ));
                }
                CompetencyRule::MeanAtLeast { mean_at_least } => {
                    let max = self.scale.levels.last().map_or(0.0, |l| l.value);
                    if !mean_at_least.is_finite() || mean_at_least > max {
                        out.push(Problem::new(
                            if mean_at_least.is_finite() {
                                format!(
                                    "La règle de la compétence {} demande une moyenne d'au moins {}, au-dessus du niveau le plus haut ({}).",
                                    competency.code,
                                    decimal(mean_at_least),
                                    decimal(max)
                                )
                            } else {
                                format!(
                                    "La règle de la compétence {} demande une moyenne qui n'est pas un nombre (mean_at_least).",
                                    competency.code
                                )
                            },
                            format!("Écrivez une moyenne d'au plus {} (mean_at_least).", decimal(max)),
                            quoted(&competency.code),
                        ));
                    }
                }
                _ => {}
            }
            for criterion in &competency.criteria {
                seen(&criterion.code, out);
                for alias in &criterion.aliases {
                    seen(alias, out);
                }
                if !(criterion.weight.is_finite() && criterion.weight > 0.0) {
                    out.push(Problem::new(
                        format!(
                            "Le poids du critère {} doit être un nombre supérieur à 0.",
                            criterion.code
                        ),
                        "Écrivez par exemple weight = 1 (le poids par défaut), ou retirez la ligne.",
                        quoted(&criterion.code),
                    ));
                }
            }
        }
    }

    pub fn pass_index(&self) -> Option<usize> {
        self.scale
            .levels
            .iter()
            .position(|l| l.code == self.scale.pass)
    }

    /// The value from which a level counts as acquired.
    pub fn pass_value(&self) -> f64 {
        self.pass_index()
            .map_or(f64::INFINITY, |i| self.scale.levels[i].value)
    }

    /// All criteria in referential order, with the index of their competency.
    pub fn criteria(&self) -> impl Iterator<Item = (usize, &Criterion)> {
        self.competencies
            .iter()
            .enumerate()
            .flat_map(|(i, c)| c.criteria.iter().map(move |cr| (i, cr)))
    }

    pub fn criterion_count(&self) -> usize {
        self.competencies.iter().map(|c| c.criteria.len()).sum()
    }

    /// The criterion (index in referential order) whose code or alias starts `header`;
    /// the longest code wins.
    pub fn match_criterion(&self, header: &str) -> Option<usize> {
        self.criteria()
            .enumerate()
            .filter_map(|(i, (_, cr))| {
                std::iter::once(&cr.code)
                    .chain(cr.aliases.iter())
                    .filter_map(|code| starts_with_code(header, code))
                    .max()
                    .map(|len| (len, i))
            })
            .max()
            .map(|(_, i)| i)
    }

    /// Matches a level cell's text against the scale by code, label or alias (folded), a
    /// number against a level's value, and `ABS` / `Absent` as absence.
    pub fn match_level_text(&self, text: &str) -> Option<Mark> {
        let folded = fold(text);
        if folded == "abs" || folded == "absent" || folded == "absente" {
            return Some(Mark::Absent);
        }
        let by_word = self
            .level_words
            .iter()
            .find(|(w, _)| *w == folded)
            .map(|(_, i)| *i);
        by_word
            .or_else(|| {
                folded
                    .replace(',', ".")
                    .parse::<f64>()
                    .ok()
                    .and_then(|n| self.match_level_value(n))
            })
            .map(Mark::Level)
    }

    pub fn match_level_value(&self, n: f64) -> Option<usize> {
        self.scale.levels.iter().position(|l| l.value == n)
    }

    /// Every word accepted as a level, for suggesting the nearest one.
    pub fn level_words(&self) -> impl Iterator<Item = &str> {
        self.scale.levels.iter().flat_map(|l| {
            std::iter::once(l.label.as_str())
                .chain(std::iter::once(l.code.as_str()))
                .chain(l.aliases.iter().map(String::as_str))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> Referential {
        Referential::parse(BUILT_IN[0].1, "community-management.toml").unwrap()
    }

    #[test]
    fn a_repeated_code_is_reported_at_its_repeat_not_in_a_comment() {
        let text = BUILT_IN[0]
            .1
            .replacen("code = \"Cr1.2\"", "code = \"Cr1.1\"", 1)
            .replacen(
                "title = ",
                "# \"Cr1.1\" est le premier critère\ntitle = ",
                1,
            );
        let errors = Referential::parse(&text, "r.toml").unwrap_err();
        let repeat = text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.trim() == "code = \"Cr1.1\"")
            .nth(1)
            .map(|(i, _)| i + 1);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, repeat, "{errors:?}");
    }

    #[test]
    fn the_seed_referential_has_six_competencies_and_twelve_criteria() {
        let r = seed();
        assert_eq!(r.competencies.len(), 6);
        assert_eq!(r.criterion_count(), 12);
        assert_eq!(r.scale.pass, "A");
        assert!(r.title.starts_with("Développer son activité"));
    }

    #[test]
    fn levels_match_by_code_label_alias_and_value() {
        let r = seed();
        assert_eq!(r.match_level_text(" acquis "), Some(Mark::Level(1)));
        assert_eq!(r.match_level_text("NON ACQUIS"), Some(Mark::Level(0)));
        assert_eq!(r.match_level_text("na"), Some(Mark::Level(0)));
        assert_eq!(r.match_level_text("✓"), Some(Mark::Level(1)));
        assert_eq!(r.match_level_text("1"), Some(Mark::Level(1)));
        assert_eq!(r.match_level_text("Abs"), Some(Mark::Absent));
        assert_eq!(r.match_level_text("Aquis"), None);
        assert_eq!(r.match_level_value(0.0), Some(0));
    }

    #[test]
    fn criterion_headers_match_codes_and_aliases() {
        let r = seed();
        assert_eq!(r.match_criterion("Cr1.1 – La cible marketing"), Some(0));
        assert_eq!(r.match_criterion("CR 6.2"), Some(11));
        assert_eq!(r.match_criterion("C6.2"), Some(11));
        assert_eq!(r.match_criterion("Cr1.10"), None);
        assert_eq!(r.match_criterion("Nom"), None);
    }

    #[test]
    fn toml_errors_carry_line_and_column() {
        let err = Referential::parse("code = \"RS1\"\ntitle = 3\n", "r.toml").unwrap_err();
        assert_eq!(err[0].code, Code::InvalidReferential);
        assert_eq!(err[0].line, Some(2));
    }

    #[test]
    fn rules_that_cannot_be_met_are_refused() {
        let text = BUILT_IN[0].1.replacen(
            "rule = \"all\"\n\n[[competencies]]",
            "rule = { at_least = 9 }\n\n[[competencies]]",
            1,
        );
        let text = text.replacen(
            "[certification]\nrule = \"all\"",
            "[certification]\nrule = { at_least = 7 }",
            1,
        );
        let err = Referential::parse(&text, "r.toml").unwrap_err();
        assert!(
            err.iter()
                .any(|f| f.message.contains("demande 7 compétences validées sur 6")),
            "{err:?}"
        );
    }

    #[test]
    fn counts_of_zero_and_one_are_singular() {
        let text = BUILT_IN[0].1.replacen(
            "[certification]\nrule = \"all\"",
            "[certification]\nrule = { at_least = 0 }",
            1,
        );
        let err = Referential::parse(&text, "r.toml").unwrap_err();
        let message = &err[0].message;
        assert_eq!(
            message,
            "La règle de certification demande 0 compétence validée sur 6 : une règle doit en demander au moins une."
        );
        assert!(
            err[0]
                .hint
                .as_deref()
                .is_some_and(|h| h.contains("de 1 à 6")),
            "{err:?}"
        );
        assert_eq!(
            count(1, "critère acquis", "critères acquis"),
            "1 critère acquis"
        );
        assert_eq!(
            count(2, "critère acquis", "critères acquis"),
            "2 critères acquis"
        );
        assert_eq!(decimal(2.5), "2,5");
    }

    #[test]
    fn every_problem_says_what_to_do() {
        let text = BUILT_IN[0]
            .1
            .replacen("code = \"Cr1.2\"", "code = \"Cr1.1\"", 1)
            .replacen("pass = \"A\"", "pass = \"Z\"", 1);
        let err = Referential::parse(&text, "r.toml").unwrap_err();
        assert!(err.len() >= 2, "{err:?}");
        assert!(err.iter().all(|f| f.hint.is_some()), "{err:?}");
        let pass = err.iter().find(|f| f.message.contains("pass")).unwrap();
        assert_eq!(
            pass.hint.as_deref(),
            Some("Donnez le code d'un niveau de l'échelle : NA, A.")
        );
    }

    #[test]
    fn duplicate_codes_are_refused() {
        let text = BUILT_IN[0]
            .1
            .replacen("code = \"Cr1.2\"", "code = \"Cr1.1\"", 1);
        let err = Referential::parse(&text, "r.toml").unwrap_err();
        assert!(
            err.iter()
                .any(|f| f.message.contains("« Cr1.1 » est utilisé deux fois") && f.line.is_some()),
            "{err:?}"
        );
    }
}

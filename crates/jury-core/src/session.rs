//! `session.toml`: the session's identity, its jury members and its rules, parsed from text
//! and checked. Unknown keys are refused so that a typo never silently changes a rule.

use serde::Deserialize;

use crate::finding::{line_column, Code, Finding};
use crate::referential::{Aggregation, Referential, Rules};
use crate::sheet::Date;
use crate::text::{fold, fold_name};
use crate::toml_text::{explain, syntax_errors, Explained, Places, PLACEHOLDER};
use crate::wording::count;

/// The parsed `session.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionConfig {
    pub id: String,
    pub referential: String,
    pub date: Date,
    pub place: String,
    pub certifier: String,
    pub signatory: Option<Person>,
    pub candidates: String,
    pub grids: String,
    pub deliberation: Option<String>,
    /// A folder of document templates (relative to `session.toml`) replacing the built-in ones.
    pub templates: Option<String>,
    /// The registration mention printed on certificates, when the referential has none
    /// (or to replace it): the reference and date of France Compétences' decision.
    pub registration: Option<String>,
    /// The certification's registration code at France Compétences (`RS…`, `RNCP…`), when
    /// the referential has none (or to replace it).
    pub code: Option<String>,
    pub jury: Vec<JuryMember>,
    pub rules: Rules,
    /// Present when the session's holders are declared to the Caisse des Dépôts.
    pub cpf: Option<CpfConfig>,
    /// Line and column of the jury's declaration in `session.toml` (the first `[[jury]]`,
    /// else `[session]`), where `jury-composition` points.
    pub jury_position: (usize, usize),
    /// Where each key of `session.toml` stands, for findings about its values.
    pub places: Places,
}

/// `[cpf]`: the ids of the declaration of holders to the Caisse des Dépôts (SI CPF).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CpfConfig {
    /// The issuer's client id at the CDC (8 characters).
    pub id_client: String,
    /// The certifier's contract id (1 to 20 characters).
    pub id_contrat: String,
    /// The certifier's client id, when the issuer is a third party (default: `id_client`).
    pub certifier_id_client: Option<String>,
    /// `CERTIFICATEUR` (default) or `TIERS_CONFIANCE`.
    pub nature_deposant: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JuryMember {
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub external: bool,
    /// Sub-juries (commissions) this member sits in, as written in the candidates file's
    /// `Jury` / `Commission` column; used by `jury grids` to choose each juror's candidates.
    #[serde(default)]
    pub groups: Vec<String>,
}

impl JuryMember {
    /// Does `token` (a part of a candidate's `Jury` / `Commission` cell) name this member,
    /// by name (case, accents, spaces and hyphens ignored) or by one of their groups?
    pub fn is_named_by(&self, token: &str) -> bool {
        let by_name = !fold_name(token).is_empty() && fold_name(token) == fold_name(&self.name);
        by_name
            || self
                .groups
                .iter()
                .any(|g| crate::text::fold(g) == crate::text::fold(token))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionFile {
    session: SessionTable,
    #[serde(default)]
    jury: Vec<JuryMember>,
    #[serde(default)]
    rules: Rules,
    cpf: Option<CpfConfig>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionTable {
    id: String,
    referential: String,
    date: toml::value::Datetime,
    place: String,
    certifier: String,
    signatory: Option<Person>,
    #[serde(default = "default_candidates")]
    candidates: String,
    #[serde(default = "default_grids")]
    grids: String,
    deliberation: Option<String>,
    templates: Option<String>,
    registration: Option<String>,
    code: Option<String>,
}

fn default_candidates() -> String {
    "candidats.xlsx".into()
}

fn default_grids() -> String {
    "grilles".into()
}

/// A session id is 1 to 40 characters among `A–Z a–z 0–9 - _`: it is part of every
/// certificate number and of file names.
pub fn is_valid_session_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 40
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The rules in force: the session's, else the referential's, else the defaults.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EffectiveRules {
    pub aggregation: Aggregation,
    pub min_jurors: u32,
}

impl SessionConfig {
    /// Parses `session.toml`'s text; `file` names it in findings. Every syntax error is
    /// reported at once, each at its line with the line to write instead.
    pub fn parse(text: &str, file: &str) -> Result<SessionConfig, Vec<Finding>> {
        let toml_finding = |e: Explained| {
            let finding = Finding::new(Code::InvalidConfig, e.message).in_file(file);
            let finding = match e.hint {
                Some(hint) => finding.hint(hint),
                None => finding,
            };
            match e.offset {
                Some(o) => {
                    let (line, column) = line_column(text, o);
                    finding.at_line(line, column)
                }
                None => finding,
            }
        };
        if let Some(errors) = syntax_errors(text) {
            return Err(errors.into_iter().map(toml_finding).collect());
        }
        let places = Places::of(text);
        let raw: SessionFile = toml::from_str(text).map_err(|e| {
            // serde stops at its first error: the placeholders left are reported with it.
            let first = toml_finding(explain(text, e.message(), e.span()));
            let mut all = vec![first.clone()];
            all.extend(
                placeholders(&places, file)
                    .into_iter()
                    .filter(|p| p.line != first.line),
            );
            all
        })?;
        let at = |message: String, hint: &str, path: &str| {
            let finding = Finding::new(Code::InvalidConfig, message).in_file(file);
            let finding = if hint.is_empty() {
                finding
            } else {
                finding.hint(hint)
            };
            match places.value(path).or_else(|| places.key(path)) {
                Some((line, column)) => finding.at_line(line, column),
                None => finding,
            }
        };
        let mut problems = placeholders(&places, file);
        problems.extend(session_problems(&raw, &at));
        let s = raw.session;
        let date = match (s.date.date, s.date.time) {
            (Some(d), None) => Date::new(i32::from(d.year), u32::from(d.month), u32::from(d.day)),
            _ => None,
        };
        if date.is_none() {
            problems.push(at(
                "La date de la session doit être une date seule, sans heure.".into(),
                "Écrivez-la année-mois-jour, sans guillemets : date = 2027-03-18",
                "session.date",
            ));
        }
        // The line of the first `[[jury]]`, else of `[session]`.
        let jury_position = places
            .key("jury")
            .or_else(|| places.key("session"))
            .map_or((1, 1), |(line, _)| (line, 1));
        match date {
            Some(date) if problems.is_empty() => Ok(SessionConfig {
                id: s.id,
                referential: s.referential,
                date,
                place: s.place,
                certifier: s.certifier,
                signatory: s.signatory,
                candidates: s.candidates,
                grids: s.grids,
                deliberation: s.deliberation,
                templates: s.templates,
                registration: s.registration,
                code: s.code,
                jury: raw.jury,
                rules: raw.rules,
                cpf: raw.cpf,
                jury_position,
                places,
            }),
            _ => Err(problems),
        }
    }

    /// Session rules first, then the referential's, then the defaults (consensus, 1 juror).
    pub fn effective_rules(&self, referential: &Referential) -> EffectiveRules {
        let from_ref = referential.rules.unwrap_or_default();
        EffectiveRules {
            aggregation: self
                .rules
                .aggregation
                .or(from_ref.aggregation)
                .unwrap_or_default(),
            min_jurors: self.rules.min_jurors.or(from_ref.min_jurors).unwrap_or(1),
        }
    }

    /// The certification's registration code: the session's, else the referential's;
    /// `None` when neither gives one.
    pub fn certification_code<'a>(&'a self, referential: &'a Referential) -> Option<&'a str> {
        [self.code.as_deref(), referential.code.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .find(|c| !c.is_empty())
    }

    /// The certification as headings name it: « title (code) », or the title alone.
    pub fn certification_label(&self, referential: &Referential) -> String {
        match self.certification_code(referential) {
            Some(code) => format!("{} ({code})", referential.title),
            None => referential.title.clone(),
        }
    }

    /// The jury member with this name (ignoring case, accents, spaces, hyphens).
    pub fn juror(&self, name: &str) -> Option<&JuryMember> {
        let folded = fold_name(name);
        if folded.is_empty() {
            return None;
        }
        self.jury.iter().find(|m| fold_name(&m.name) == folded)
    }

    /// Who signs certificates: the signatory, else the member whose role starts with
    /// « Président », else nobody.
    pub fn signer(&self) -> Option<Person> {
        self.signatory.clone().or_else(|| {
            self.jury
                .iter()
                .find(|m| crate::text::fold(&m.role).starts_with("president"))
                .map(|m| Person {
                    name: m.name.clone(),
                    role: m.role.clone(),
                })
        })
    }

    /// The `jury-composition` warning, if the jury is too small or not external enough.
    pub fn composition_warning(&self, file: &str) -> Option<Finding> {
        let n = self.jury.len();
        let external = self.jury.iter().filter(|m| m.external).count();
        let message = if n < 2 {
            format!(
                "Le jury compte {} : il en faut au moins deux.",
                count(n, "membre", "membres")
            )
        } else if external * 2 < n {
            let outside = match external {
                0 => "Aucun membre n'est extérieur".to_string(),
                1 => format!("Un seul membre sur {n} est extérieur"),
                _ => format!("Seuls {external} membres sur {n} sont extérieurs"),
            };
            format!("{outside} à l'organisme : il en faut au moins la moitié.")
        } else {
            return None;
        };
        Some(
            Finding::new(Code::JuryComposition, message)
                .in_file(file)
                .at_line(self.jury_position.0, self.jury_position.1)
                .hint("Complétez les [[jury]] de session.toml (`external = true` pour un membre extérieur)."),
        )
    }
}

/// `invalid-config` for every value still « À compléter », at its line.
fn placeholders(places: &Places, file: &str) -> Vec<Finding> {
    places
        .strings()
        .filter(|(_, value, _)| fold(value) == fold(PLACEHOLDER))
        .map(|(path, _, (line, column))| {
            let mut parts = path.split('.');
            let table = parts.next().unwrap_or_default();
            let rest: Vec<&str> = parts.collect();
            let (key, within) = match rest.as_slice() {
                [n, key] if table == "jury" => {
                    let n = n.parse::<usize>().map_or(0, |n| n + 1);
                    (*key, format!("le bloc [[jury]] n° {n}"))
                }
                [.., key] => (*key, format!("[{table}]")),
                [] => (table, "session.toml".to_string()),
            };
            Finding::new(
                Code::InvalidConfig,
                format!("`{key}` est encore « {PLACEHOLDER} » dans {within}."),
            )
            .in_file(file)
            .at_line(line, column)
            .hint("Remplacez « À compléter » par la vraie valeur, entre les guillemets : le commentaire au-dessus de la ligne dit quoi écrire.")
        })
        .collect()
}

/// What TOML accepts but a session cannot be: an unsafe id, empty values, a member twice,
/// malformed CPF ids, `min_jurors = 0`.
fn session_problems(raw: &SessionFile, at: &dyn Fn(String, &str, &str) -> Finding) -> Vec<Finding> {
    let s = &raw.session;
    let mut problems = Vec::new();
    if !is_valid_session_id(&s.id) && fold(&s.id) != fold(PLACEHOLDER) {
        problems.push(at(
            format!(
                "L'identifiant de session « {} » doit compter de 1 à 40 caractères parmi A–Z, a–z, 0–9, - et _ (il fait partie des numéros de certificat).",
                s.id
            ),
            "Par exemple : id = \"CM-2027-03\"",
            "session.id",
        ));
    }
    for (key, value) in [
        ("place", &s.place),
        ("certifier", &s.certifier),
        ("referential", &s.referential),
    ] {
        if value.trim().is_empty() {
            problems.push(at(
                format!("`{key}` est vide dans [session]."),
                "Écrivez la valeur entre les guillemets.",
                &format!("session.{key}"),
            ));
        }
    }
    problems.extend(jury_problems(&raw.jury, at));
    if let Some(cpf) = &raw.cpf {
        problems.extend(cpf_problems(cpf, at));
    }
    if raw.rules.min_jurors == Some(0) {
        problems.push(at(
            "`min_jurors` doit valoir au moins 1.".into(),
            "Par exemple : min_jurors = 2 (deux grilles complètes par candidat).",
            "rules.min_jurors",
        ));
    }
    problems
}

/// Members without a name, or declared twice.
fn jury_problems(jury: &[JuryMember], at: &dyn Fn(String, &str, &str) -> Finding) -> Vec<Finding> {
    let mut problems = Vec::new();
    for (i, member) in jury.iter().enumerate() {
        if member.name.trim().is_empty() {
            problems.push(at(
                format!("Le membre du jury n° {} n'a pas de nom.", i + 1),
                "Écrivez son prénom et son nom : name = \"Claire Martin\"",
                &format!("jury.{i}.name"),
            ));
        }
        let named = !member.name.trim().is_empty() && fold(&member.name) != fold(PLACEHOLDER);
        if named
            && jury[..i]
                .iter()
                .any(|m| fold_name(&m.name) == fold_name(&member.name))
        {
            problems.push(at(
                format!(
                    "Le membre du jury « {} » est déclaré deux fois.",
                    member.name
                ),
                "Supprimez l'un des deux blocs [[jury]].",
                &format!("jury.{i}.name"),
            ));
        }
    }
    problems
}

/// The lengths and words the CDC's schema allows for `[cpf]`.
fn cpf_problems(cpf: &CpfConfig, at: &dyn Fn(String, &str, &str) -> Finding) -> Vec<Finding> {
    let mut problems = Vec::new();
    let certifier = cpf.certifier_id_client.as_deref().unwrap_or(&cpf.id_client);
    for (key, value) in [
        ("id_client", cpf.id_client.as_str()),
        ("certifier_id_client", certifier),
    ] {
        let count = value.chars().count();
        if count != 8 && fold(value) != fold(PLACEHOLDER) {
            problems.push(at(
                format!("`{key}` de [cpf] doit compter exactement 8 caractères (« {value} » en compte {count})."),
                "Recopiez l'identifiant donné par la Caisse des Dépôts.",
                &format!("cpf.{key}"),
            ));
        }
    }
    if !(1..=20).contains(&cpf.id_contrat.chars().count()) {
        problems.push(at(
            "`id_contrat` de [cpf] doit compter de 1 à 20 caractères.".into(),
            "Recopiez l'identifiant de contrat donné par la Caisse des Dépôts.",
            "cpf.id_contrat",
        ));
    }
    if let Some(nature) = &cpf.nature_deposant {
        if nature != "CERTIFICATEUR" && nature != "TIERS_CONFIANCE" {
            problems.push(at(
                format!(
                    "`nature_deposant` vaut CERTIFICATEUR ou TIERS_CONFIANCE, pas « {nature} »."
                ),
                "",
                "cpf.nature_deposant",
            ));
        }
    }
    problems
}

/// The two-member session of the core's unit tests (consensus, the built-in referential).
#[cfg(test)]
pub(crate) const TEST_SESSION: &str = r#"
[session]
id = "CM-2026-11"
referential = "community-management"
date = 2026-11-27
place = "Lyon"
certifier = "Organisme"

[[jury]]
name = "Claire Martin"
role = "Présidente du jury"

[[jury]]
name = "Paul Durand"
role = "Professionnel"
external = true
"#;

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[session]
id = "CM-2026-11"
referential = "community-management"
date = 2026-11-27
place = "Lyon"
certifier = "Organisme"

[[jury]]
name = "Claire Martin"
role = "Présidente du jury"
[[jury]]
name = "Paul Durand"
role = "Professionnel"
external = true

[rules]
min_jurors = 2
"#;

    #[test]
    fn parses_a_session_with_defaults() {
        let s = SessionConfig::parse(GOOD, "session.toml").unwrap();
        assert_eq!(s.date, Date::new(2026, 11, 27).unwrap());
        assert_eq!(s.candidates, "candidats.xlsx");
        assert_eq!(s.grids, "grilles");
        assert_eq!(
            s.juror("CLAIRE  martin").map(|m| m.name.as_str()),
            Some("Claire Martin")
        );
        assert_eq!(
            s.signer().map(|p| p.name),
            Some("Claire Martin".to_string())
        );
        assert!(s.composition_warning("session.toml").is_none());
    }

    #[test]
    fn unknown_keys_are_errors_with_line() {
        let text = GOOD.replace("min_jurors = 2", "min_juror = 2");
        let err = SessionConfig::parse(&text, "session.toml").unwrap_err();
        assert_eq!(err[0].code, Code::InvalidConfig);
        assert_eq!(err[0].line, Some(18));
        assert!(err[0].message.contains("min_juror"), "{}", err[0].message);
    }

    #[test]
    fn wrong_types_and_unsafe_ids_are_errors() {
        let err = SessionConfig::parse(&GOOD.replace("date = 2026-11-27", "date = \"hier\""), "s")
            .unwrap_err();
        assert_eq!(err[0].line, Some(5));
        let err = SessionConfig::parse(&GOOD.replace("CM-2026-11", "../x"), "s").unwrap_err();
        assert!(err[0].message.contains("../x"));
    }

    #[test]
    fn cpf_ids_are_checked_against_the_schema_lengths() {
        let text = format!("{GOOD}\n[cpf]\nid_client = \"ABC\"\nid_contrat = \"MCFCER000123\"\n");
        let err = SessionConfig::parse(&text, "session.toml").unwrap_err();
        assert!(
            err[0].message.contains("8 caractères"),
            "{}",
            err[0].message
        );
        let text = text.replace("\"ABC\"", "\"ABCD1234\"");
        let s = SessionConfig::parse(&text, "session.toml").unwrap();
        assert_eq!(
            s.cpf.map(|c| c.id_contrat),
            Some("MCFCER000123".to_string())
        );
    }

    #[test]
    fn a_jury_without_enough_external_members_warns() {
        let text = GOOD.replace("external = true", "external = false");
        let s = SessionConfig::parse(&text, "session.toml").unwrap();
        assert_eq!(
            s.composition_warning("session.toml").map(|f| f.code),
            Some(Code::JuryComposition)
        );
    }
}

//! `session.toml`: the session's identity, its jury members and its rules, parsed from text
//! and checked. Unknown keys are refused so that a typo never silently changes a rule.

use serde::Deserialize;

use crate::core::finding::{line_column, Code, Finding};
use crate::core::referential::{Aggregation, Referential, Rules};
use crate::core::sheet::Date;
use crate::core::text::fold_name;

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
    pub jury: Vec<JuryMember>,
    pub rules: Rules,
    /// Present when the session's holders are declared to the Caisse des Dépôts.
    pub cpf: Option<CpfConfig>,
    /// Line and column of the jury's declaration in `session.toml` (the first `[[jury]]`,
    /// else `[session]`), where `jury-composition` points.
    pub jury_position: (usize, usize),
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
                .any(|g| crate::core::text::fold(g) == crate::core::text::fold(token))
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
}

fn default_candidates() -> String {
    "candidats.xlsx".into()
}

fn default_grids() -> String {
    "grilles".into()
}

/// The rules in force: the session's, else the referential's, else the defaults.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct EffectiveRules {
    pub aggregation: Aggregation,
    pub min_jurors: u32,
}

impl SessionConfig {
    /// Parses `session.toml`'s text; `file` names it in findings.
    pub fn parse(text: &str, file: &str) -> Result<SessionConfig, Vec<Finding>> {
        let at = |message: String, offset: Option<usize>| {
            let finding = Finding::new(Code::InvalidConfig, message).in_file(file);
            match offset {
                Some(o) => {
                    let (line, column) = line_column(text, o);
                    finding.at_line(line, column)
                }
                None => finding,
            }
        };
        let raw: SessionFile = toml::from_str(text).map_err(|e| {
            vec![at(
                format!(
                    "Le fichier de session ne peut pas être lu : {}.",
                    crate::core::text::toml_reason(e.message())
                ),
                e.span().map(|s| s.start),
            )]
        })?;
        let s = raw.session;
        let mut problems = Vec::new();
        let find = |key: &str| text.find(key);
        let date = match (s.date.date, s.date.time) {
            (Some(d), None) => Date::new(i32::from(d.year), u32::from(d.month), u32::from(d.day)),
            _ => None,
        };
        if date.is_none() {
            problems.push(at(
                "La date de la session doit être une date seule, par exemple `date = 2026-11-27`."
                    .into(),
                find("date"),
            ));
        }
        let id_ok = !s.id.is_empty()
            && s.id.len() <= 40
            && s.id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !id_ok {
            problems.push(at(
                format!(
                    "L'identifiant de session « {} » doit comporter de 1 à 40 caractères parmi A–Z, a–z, 0–9, - et _ (il fait partie des numéros de certificat).",
                    s.id
                ),
                find("id"),
            ));
        }
        for (key, value) in [
            ("place", &s.place),
            ("certifier", &s.certifier),
            ("referential", &s.referential),
        ] {
            if value.trim().is_empty() {
                problems.push(at(format!("`{key}` est vide dans [session]."), find(key)));
            }
        }
        for (i, member) in raw.jury.iter().enumerate() {
            if member.name.trim().is_empty() {
                problems.push(at(
                    format!("Le membre du jury n° {} n'a pas de nom.", i + 1),
                    find("[[jury]]"),
                ));
            }
            if raw.jury[..i]
                .iter()
                .any(|m| fold_name(&m.name) == fold_name(&member.name))
            {
                problems.push(at(
                    format!(
                        "Le membre du jury « {} » est déclaré deux fois.",
                        member.name
                    ),
                    find(&member.name),
                ));
            }
        }
        if let Some(cpf) = &raw.cpf {
            let certifier = cpf.certifier_id_client.as_deref().unwrap_or(&cpf.id_client);
            for (key, value) in [
                ("id_client", cpf.id_client.as_str()),
                ("certifier_id_client", certifier),
            ] {
                if value.chars().count() != 8 {
                    problems.push(at(
                        format!("`{key}` de [cpf] doit compter exactement 8 caractères (« {value} » en compte {}).", value.chars().count()),
                        find(key),
                    ));
                }
            }
            if !(1..=20).contains(&cpf.id_contrat.chars().count()) {
                problems.push(at(
                    "`id_contrat` de [cpf] doit compter de 1 à 20 caractères.".into(),
                    find("id_contrat"),
                ));
            }
            if let Some(nature) = &cpf.nature_deposant {
                if nature != "CERTIFICATEUR" && nature != "TIERS_CONFIANCE" {
                    problems.push(at(
                        format!("`nature_deposant` vaut CERTIFICATEUR ou TIERS_CONFIANCE, pas « {nature} »."),
                        find("nature_deposant"),
                    ));
                }
            }
        }
        if raw.rules.min_jurors == Some(0) {
            problems.push(at(
                "`min_jurors` doit valoir au moins 1.".into(),
                find("min_jurors"),
            ));
        }
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
                jury: raw.jury,
                rules: raw.rules,
                cpf: raw.cpf,
                jury_position: line_column(
                    text,
                    text.find("[[jury]]")
                        .or_else(|| text.find("[session]"))
                        .unwrap_or(0),
                ),
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
                .find(|m| crate::core::text::fold(&m.role).starts_with("president"))
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
            format!("Le jury compte {n} membre(s) : il en faut au moins deux.")
        } else if external * 2 < n {
            format!("Seuls {external} membre(s) sur {n} sont extérieurs à l'organisme : il en faut au moins la moitié.")
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

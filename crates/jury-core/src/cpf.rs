//! The declaration of certified holders to the Caisse des Dépôts (SI CPF, « accrochage
//! certificateur »): who is declared, what each element of the CDC's schema (v1.1.2) holds,
//! and the checks that make every value fit that schema before any XML is written.
//!
//! Pure: session data in, findings and a [`Declaration`] out. `render::cpf_xml` turns the
//! declaration into XML, `io::ledger` keeps the ledger of what was sent, `cli::cpf` reads
//! the clock (only for `--now`).
//!
//! ```
//! use jury_core::cpf::{noon_in_france, id_flux};
//! use jury_core::sheet::Date;
//! let date = Date::new(2026, 11, 27).unwrap();
//! assert_eq!(noon_in_france(date), "2026-11-27T12:00:00+01:00");
//! assert_eq!(noon_in_france(Date::new(2026, 7, 1).unwrap()), "2026-07-01T12:00:00+02:00");
//! assert!(id_flux("CM-2026-11", &[]).starts_with("CM-2026-11-"));
//! ```

use serde::Serialize;

use crate::candidates::{Candidate, CandidateList, Field};
use crate::certificate::certificate_number;
use crate::decide::{Decision, Outcome};
use crate::digest::sha256_hex;
use crate::finding::{CellRef, Code, Finding};
use crate::session::CpfConfig;
use crate::sheet::Date;
use crate::validate::SessionData;

mod fields;
pub mod ledger;
#[cfg(test)]
mod tests;
mod time;

pub use fields::Problem;
pub use time::{french_time, noon_in_france, utc_time};

/// The commune element of a holder's birthplace (`codeCommuneNaissance`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Commune {
    /// `codeInseeNaissance/codeInsee`: 5 characters (`99xxx` for a country).
    Insee(String),
    /// `codePostalNaissance/codePostal`; `None` is written nil (born abroad, no code known).
    Postcode(Option<String>),
}

/// The `titulaire` block: who holds the certification.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Holder {
    pub birth_name: String,
    pub usage_name: Option<String>,
    /// One to three first names.
    pub first_names: Vec<String>,
    pub birth_year: i32,
    pub birth_month: Option<u32>,
    pub birth_day: Option<u32>,
    /// `M` or `F`.
    pub sex: &'static str,
    pub commune: Commune,
    /// `libelleCommuneNaissance`, from `Lieu de naissance`.
    pub commune_name: Option<String>,
    pub country_code: Option<String>,
    pub country_name: Option<String>,
}

/// One `passageCertification`: a holder's certification, declared once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Passage {
    /// The certificate number: stable for a candidate and session.
    pub id_technique: String,
    pub candidate: String,
    /// `dateDebutValidite`: the jury date, ISO.
    pub valid_from: String,
    /// `dateFinValidite`: the jury date plus the referential's `validity_years`; nil without.
    pub valid_until: Option<String>,
    /// `modaliteAcces`; nil when the candidates file leaves it empty.
    pub access: Option<&'static str>,
    pub holder: Holder,
}

impl Passage {
    /// « Prénom Nom », for people reading the ledger.
    pub fn holder_name(&self) -> String {
        format!(
            "{} {}",
            self.holder.first_names.join(" "),
            self.holder
                .usage_name
                .as_ref()
                .unwrap_or(&self.holder.birth_name)
        )
    }
}

/// One `flux`: the file deposited on the CDC's portal.
#[derive(Debug, Clone, PartialEq)]
pub struct Declaration {
    pub id_flux: String,
    /// `horodatage`, `AAAA-MM-JJThh:mm:ss+01:00`.
    pub timestamp: String,
    /// `emetteur/idClient`: who deposits the file.
    pub issuer: String,
    /// `certificateur/idClient`.
    pub certifier: String,
    /// `certificateur/idContrat`.
    pub contract: String,
    /// `RS` or `RNCP`.
    pub kind: &'static str,
    /// The registration code, `RS0000` or `RNCP12345`.
    pub code: String,
    /// `natureDeposant`: `CERTIFICATEUR` unless `[cpf]` says `TIERS_CONFIANCE`.
    pub nature: String,
    pub passages: Vec<Passage>,
}

/// `RS` or `RNCP` from a registration code (`RS5286`, `RNCP34829`), or `None`.
pub fn certification_kind(code: &str) -> Option<&'static str> {
    let digits = |rest: &str| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit());
    let upper = code.trim().to_uppercase();
    if upper.len() > 100 {
        None
    } else if upper.strip_prefix("RNCP").is_some_and(digits) {
        Some("RNCP")
    } else if upper.strip_prefix("RS").is_some_and(digits) {
        Some("RS")
    } else {
        None
    }
}

/// The holder block of a candidate, or every reason it cannot be declared.
pub fn holder(c: &Candidate) -> Result<Holder, Vec<Problem>> {
    read(c).map(|(holder, _)| holder)
}

/// The holder block and the access mode of a candidate, or every reason they cannot be
/// declared.
fn read(c: &Candidate) -> Result<(Holder, Option<&'static str>), Vec<Problem>> {
    let id = c.id.as_str();
    let mut problems = Vec::new();
    let birth_name = keep(
        &mut problems,
        fields::name(Field::LastName, "Le nom de naissance", id, &c.last_name),
    )
    .filter(|n| !n.is_empty());
    let usage_name = c
        .usage_name
        .as_deref()
        .and_then(|u| {
            keep(
                &mut problems,
                fields::name(Field::UsageName, "Le nom d'usage", id, u),
            )
        })
        .filter(|u| !u.is_empty());
    let first_names = keep(&mut problems, fields::first_names(id, &c.first_name));
    let commune_name = c
        .birth_place
        .as_deref()
        .and_then(|p| {
            keep(
                &mut problems,
                fields::name(Field::BirthPlace, "Le lieu de naissance", id, p),
            )
        })
        .filter(|p| !p.is_empty());
    let sex = match &c.sex {
        Some(s) => keep(&mut problems, fields::sex(id, s)),
        None => keep(
            &mut problems,
            Err(Problem::missing(
                Field::Sex,
                format!("Le champ « Sexe » du candidat {id} est vide."),
                "Indiquez M ou F.",
            )),
        ),
    };
    let access = match &c.access {
        Some(a) => keep(&mut problems, fields::access(id, a)),
        None => None,
    };
    let birth = keep(&mut problems, birth(c));
    let place = fields::birthplace(
        id,
        c.birth_insee.as_deref(),
        c.birth_postcode.as_deref(),
        c.birth_country.as_deref(),
    )
    .map_err(|p| problems.extend(p))
    .ok();
    match (birth_name, first_names, sex, birth, place) {
        (Some(birth_name), Some(first_names), Some(sex), Some((y, m, d)), Some(place))
            if problems.is_empty() =>
        {
            let holder = Holder {
                birth_name,
                usage_name,
                first_names,
                birth_year: y,
                birth_month: m,
                birth_day: d,
                sex,
                commune: place.commune,
                commune_name,
                country_code: place.country_code,
                country_name: place.country_name,
            };
            Ok((holder, access))
        }
        _ => Err(problems),
    }
}

/// The value, or `None` with its problem recorded.
fn keep<T>(problems: &mut Vec<Problem>, result: Result<T, Problem>) -> Option<T> {
    result.map_err(|p| problems.push(p)).ok()
}

/// Year, month, day of birth: a full date, or a year and month, or a year (1900–2099).
fn birth(c: &Candidate) -> Result<(i32, Option<u32>, Option<u32>), Problem> {
    let (y, m, d) = match (c.birth_date, c.birth_partial) {
        (Some(date), _) => (date.year, Some(date.month), Some(date.day)),
        (None, Some(p)) => (p.year, p.month, None),
        (None, None) => {
            return Err(Problem::missing(
                Field::BirthDate,
                format!("La date de naissance du candidat {} est vide.", c.id),
                "Écrivez JJ/MM/AAAA ; si le jour ou le mois sont inconnus, MM/AAAA ou AAAA.",
            ))
        }
    };
    if (1900..=2099).contains(&y) {
        Ok((y, m, d))
    } else {
        Err(Problem::invalid(
            Field::BirthDate,
            format!(
                "L'année de naissance {y} du candidat {} est hors de la plage 1900–2099 que la Caisse des Dépôts accepte.",
                c.id
            ),
            "Vérifiez l'année.",
        ))
    }
}

/// Is this candidate declared: certified, or pending (so that `jury check` reports what the
/// declaration will need before the jury decides)?
fn declared(d: &Decision) -> bool {
    matches!(d.outcome, Outcome::Certified | Outcome::Pending)
}

/// The findings of the CPF declaration, for a session whose `session.toml` has `[cpf]`:
/// every missing or malformed value of a candidate to declare, at its cell (a missing
/// column once, at the header row), and a registration code that is not RS… or RNCP….
pub fn check_candidates(data: &SessionData, decisions: &[Decision]) -> Vec<Finding> {
    let mut out = Vec::new();
    let code = data.config.certification_code(&data.referential);
    if code.and_then(certification_kind).is_none() {
        let message = match code {
            Some(code) => format!("Le code de la certification « {code} » n'est ni un code RS… ni un code RNCP… : la Caisse des Dépôts ne peut pas le recevoir."),
            None => "Le code d'enregistrement de la certification (RS… ou RNCP…) n'est donné ni par session.toml ni par le référentiel : la Caisse des Dépôts ne peut pas recevoir la déclaration.".into(),
        };
        out.push(
            Finding::new(Code::InvalidField, message)
                .in_file("session.toml")
                .hint("Écrivez dans [session] de session.toml le code d'enregistrement de France Compétences, par exemple code = \"RS5286\" ou code = \"RNCP34829\"."),
        );
    }
    out.extend(date_findings(data));
    let list = &data.candidates;
    let Some(header) = &list.header else {
        return out;
    };
    let mut missing_columns: Vec<Field> = Vec::new();
    for decision in decisions.iter().filter(|d| declared(d)) {
        let Some(c) = list.get(&decision.candidate) else {
            continue;
        };
        let number = certificate_number(&data.config.id, &c.id);
        if number.chars().count() > 255 {
            out.push(
                Finding::new(
                    Code::InvalidField,
                    format!("Le numéro de certificat du candidat {} dépasse les 255 caractères que la Caisse des Dépôts accepte.", c.id),
                )
                .at(&c.cell)
                .candidate(&c.id)
                .hint("Raccourcissez le numéro du candidat."),
            );
        }
        let Err(problems) = holder(c) else {
            continue;
        };
        for p in problems {
            if reported_by_reader(list, c, &p) {
                continue;
            }
            match column(list, p.field) {
                Some(col) => {
                    let cell = CellRef {
                        col,
                        ..c.cell.clone()
                    };
                    let code = if p.missing {
                        Code::MissingField
                    } else {
                        Code::InvalidField
                    };
                    out.push(
                        Finding::new(code, format!("CPF — {}", p.message))
                            .at(&cell)
                            .candidate(&c.id)
                            .hint(p.hint),
                    );
                }
                None if missing_columns.contains(&p.field) => {}
                None => {
                    missing_columns.push(p.field);
                    out.push(missing_column(p.field, header));
                }
            }
        }
    }
    out
}

/// The schema takes dates of the years 1900 to 2099: the jury date, and the end of validity.
fn date_findings(data: &SessionData) -> Vec<Finding> {
    let date = data.config.date;
    let mut out = Vec::new();
    if !(1900..=2099).contains(&date.year) {
        out.push(
            Finding::new(
                Code::InvalidField,
                format!("La date du jury {date} est hors des années 1900 à 2099 que la Caisse des Dépôts accepte."),
            )
            .in_file("session.toml")
            .hint("Vérifiez la valeur de `date` dans la section [session] de session.toml."),
        );
    } else if let Some(n) = data.referential.validity_years {
        let end = add_years(date, n);
        if end.year > 2099 {
            out.push(
                Finding::new(
                    Code::InvalidField,
                    format!(
                        "La fin de validité ({end}, {} après le jury) dépasse l'année 2099 que la Caisse des Dépôts accepte.",
                        if n > 1 { format!("{n} ans") } else { format!("{n} an") }
                    ),
                )
                .in_file(&data.config.referential)
                .hint("Vérifiez `validity_years` dans le référentiel."),
            );
        }
    }
    out
}

/// The column holding `field`; the commune code may be in either of its two columns.
fn column(list: &CandidateList, field: Field) -> Option<u32> {
    list.column(field).or_else(|| match field {
        Field::BirthInsee => list.column(Field::BirthPostcode),
        _ => None,
    })
}

/// Problems the candidates reader already reported: an empty name or first name, a birth
/// date that is not a date.
fn reported_by_reader(list: &CandidateList, c: &Candidate, p: &Problem) -> bool {
    match p.field {
        Field::LastName | Field::FirstName => p.missing,
        Field::BirthDate => list
            .findings
            .iter()
            .any(|f| f.code == Code::InvalidDate && f.candidate.as_deref() == Some(&c.id)),
        _ => false,
    }
}

fn missing_column(field: Field, header: &CellRef) -> Finding {
    let (message, hint) = match field {
        Field::BirthInsee => (
            "Les colonnes « Code INSEE de naissance » et « Code postal de naissance » sont absentes : la déclaration CPF exige l'une des deux pour les personnes nées en France.".to_string(),
            "Ajoutez une colonne « Code INSEE de naissance » (69123 pour Lyon).".to_string(),
        ),
        other => (
            format!(
                "La colonne « {} » est absente : elle est obligatoire pour la déclaration CPF (section [cpf] de session.toml).",
                other.header()
            ),
            format!("Ajoutez une colonne « {} » au fichier des candidats.", other.header()),
        ),
    };
    Finding::new(Code::MissingField, message)
        .at(header)
        .hint(hint)
}

/// The passages of every certified candidate, in candidate order; `Err` lists the
/// candidates that cannot be declared (`jury check` names each cell).
pub fn passages(data: &SessionData, decisions: &[Decision]) -> Result<Vec<Passage>, Vec<String>> {
    let valid_from = data.config.date;
    let valid_until = data
        .referential
        .validity_years
        .map(|n| add_years(valid_from, n).iso());
    let mut out = Vec::new();
    let mut refused = Vec::new();
    for d in decisions.iter().filter(|d| d.outcome == Outcome::Certified) {
        let (Some(c), Some(number)) = (data.candidates.get(&d.candidate), &d.certificate) else {
            refused.push(d.candidate.clone());
            continue;
        };
        match read(c) {
            Ok((holder, access)) => out.push(Passage {
                id_technique: number.clone(),
                candidate: c.id.clone(),
                valid_from: valid_from.iso(),
                valid_until: valid_until.clone(),
                access,
                holder,
            }),
            Err(_) => refused.push(c.id.clone()),
        }
    }
    if refused.is_empty() {
        Ok(out)
    } else {
        Err(refused)
    }
}

/// The same day `years` later (28 February for a 29 February).
fn add_years(date: Date, years: u32) -> Date {
    let year = date.year + i32::try_from(years).unwrap_or(0);
    Date::new(year, date.month, date.day)
        .or_else(|| Date::new(year, date.month, 28))
        .unwrap_or(date)
}

/// The declaration of `passages`, stamped `timestamp`.
pub fn declaration(
    config: &CpfConfig,
    session_id: &str,
    certification_code: &str,
    passages: Vec<Passage>,
    timestamp: String,
) -> Declaration {
    let mut d = Declaration {
        id_flux: String::new(),
        timestamp,
        issuer: config.id_client.clone(),
        certifier: config
            .certifier_id_client
            .clone()
            .unwrap_or_else(|| config.id_client.clone()),
        contract: config.id_contrat.clone(),
        kind: certification_kind(certification_code).unwrap_or("RS"),
        code: certification_code.trim().to_string(),
        nature: config
            .nature_deposant
            .clone()
            .unwrap_or_else(|| "CERTIFICATEUR".into()),
        passages,
    };
    d.id_flux = id_flux(session_id, &d.passages);
    d
}

/// `<session id>-<8 hex digits>`: the session and a hash of every passage's content, so the
/// same passages give the same id and a corrected passage a new one (50 characters at most).
pub fn id_flux(session_id: &str, passages: &[Passage]) -> String {
    let content = serde_json::to_string(passages).unwrap_or_default();
    let hash = sha256_hex(content.as_bytes());
    format!("{session_id}-{}", &hash[..8])
}

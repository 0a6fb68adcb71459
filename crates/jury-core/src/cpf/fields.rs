//! One value of the candidates file → one value of the CDC's schema (v1.1.2), or the
//! reason it cannot be declared. Each reader takes the cell's text and returns a
//! location-free [`Problem`]; `core::cpf` attaches the cell.

use crate::candidates::Field;
use crate::text::{clean_xml, fold, fold_header};

/// Longest name (birth name, usage name, each first name, place names) the schema accepts.
pub const NAME_MAX: usize = 60;

/// Why a value cannot be declared.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The column that holds (or should hold) the value.
    pub field: Field,
    /// True when the value is missing, false when it is malformed.
    pub missing: bool,
    pub message: String,
    pub hint: String,
}

impl Problem {
    pub fn missing(field: Field, message: String, hint: &str) -> Problem {
        Problem {
            field,
            missing: true,
            message,
            hint: hint.to_string(),
        }
    }

    pub fn invalid(field: Field, message: String, hint: &str) -> Problem {
        Problem {
            field,
            missing: false,
            message,
            hint: hint.to_string(),
        }
    }
}

/// A name of at most [`NAME_MAX`] characters; `what` names it in messages.
pub fn name(field: Field, what: &str, id: &str, text: &str) -> Result<String, Problem> {
    let cleaned = clean_xml(text).map_err(|c| {
        Problem::invalid(
            field,
            format!(
                "{what} du candidat {id} contient un caractère invisible (U+{:04X}) que le fichier de déclaration (XML) ne peut pas contenir.",
                u32::from(c)
            ),
            "Retapez la valeur dans la cellule, sans copier-coller.",
        )
    })?;
    let n = cleaned.chars().count();
    if n > NAME_MAX {
        return Err(Problem::invalid(
            field,
            format!("{what} du candidat {id} compte {n} caractères ; la Caisse des Dépôts en accepte {NAME_MAX} au plus."),
            "Abrégez-le comme sur la pièce d'identité.",
        ));
    }
    Ok(cleaned)
}

/// First names, separated by commas (never by spaces: « Thị Hương » is one first name);
/// one to three of them.
pub fn first_names(id: &str, text: &str) -> Result<Vec<String>, Problem> {
    let hint = "Séparez les prénoms par des virgules, trois au plus : « Marie, Anne, Lucie ».";
    if text.trim().is_empty() {
        return Err(Problem::missing(
            Field::FirstName,
            format!("Le prénom du candidat {id} est vide."),
            hint,
        ));
    }
    let parts: Vec<&str> = text.split(',').collect();
    let mut out = Vec::new();
    for part in &parts {
        let one = name(Field::FirstName, "Un prénom", id, part)?;
        if one.is_empty() {
            return Err(Problem::invalid(
                Field::FirstName,
                format!("Les prénoms « {} » du candidat {id} contiennent un prénom vide entre deux virgules.", text.trim()),
                hint,
            ));
        }
        out.push(one);
    }
    if out.len() > 3 {
        return Err(Problem::invalid(
            Field::FirstName,
            format!(
                "{} prénoms sont donnés pour le candidat {id} ; la Caisse des Dépôts en reçoit trois au plus.",
                out.len()
            ),
            hint,
        ));
    }
    Ok(out)
}

/// `M` or `F`: also Homme/Femme, H, Masculin/Féminin.
pub fn sex(id: &str, text: &str) -> Result<&'static str, Problem> {
    match fold(text).as_str() {
        "m" | "h" | "homme" | "masculin" => Ok("M"),
        "f" | "femme" | "feminin" => Ok("F"),
        _ => Err(Problem::invalid(
            Field::Sex,
            format!(
                "Sexe « {} » non reconnu pour le candidat {id}.",
                text.trim()
            ),
            "Écrivez M ou F (H, Homme, Femme, Masculin et Féminin sont aussi acceptés).",
        )),
    }
}

/// The schema's `modaliteAcces` for a French word or the enumeration value itself.
pub fn access(id: &str, text: &str) -> Result<&'static str, Problem> {
    const WORDS: &[(&str, &[&str])] = &[
        (
            "FORMATION_INITIALE_HORS_APPRENTISSAGE",
            &[
                "formation initiale",
                "formation initiale hors apprentissage",
            ],
        ),
        (
            "FORMATION_INITIALE_APPRENTISSAGE",
            &[
                "apprentissage",
                "formation initiale apprentissage",
                "formation initiale en apprentissage",
                "contrat d apprentissage",
            ],
        ),
        (
            "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
            &[
                "formation continue",
                "formation continue hors contrat de professionnalisation",
            ],
        ),
        (
            "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION",
            &[
                "contrat de professionnalisation",
                "formation continue contrat de professionnalisation",
                "formation continue en contrat de professionnalisation",
            ],
        ),
        ("VAE", &["vae", "validation des acquis de l experience"]),
        (
            "EQUIVALENCE_DIPLOME_ETRANGER",
            &[
                "equivalence",
                "diplome etranger",
                "equivalence diplome etranger",
            ],
        ),
        ("CANDIDAT_LIBRE", &["candidat libre", "libre"]),
    ];
    let folded = fold_header(text);
    WORDS
        .iter()
        .find(|(_, words)| words.contains(&folded.as_str()))
        .map(|(value, _)| *value)
        .ok_or_else(|| {
            Problem::invalid(
                Field::Access,
                format!("Modalité d'accès « {} » non reconnue pour le candidat {id}.", text.trim()),
                "Écrivez Formation initiale, Apprentissage, Formation continue, Contrat de professionnalisation, VAE, Équivalence ou Candidat libre (ou laissez vide).",
            )
        })
}

/// Where a holder was born, as the schema's commune and country elements hold it.
#[derive(Debug, Clone, PartialEq)]
pub struct Birthplace {
    pub commune: super::Commune,
    /// The INSEE country code, three digits (`122` for Poland), for those born abroad.
    pub country_code: Option<String>,
    pub country_name: Option<String>,
}

/// What the `Pays de naissance` cell says.
#[derive(Debug, Clone, PartialEq)]
enum Country {
    France,
    Abroad {
        code: Option<String>,
        name: Option<String>,
    },
}

/// `France` (or empty, `FR`, `100`, `99100`), else a country: an INSEE code (`122` or
/// `99122`), a name (`Pologne`), or both (`Pologne (99122)`).
fn country(id: &str, text: &str) -> Result<Country, Problem> {
    let folded = fold_header(text);
    if matches!(
        folded.as_str(),
        "" | "france" | "fr" | "fra" | "france metropolitaine" | "100" | "99100"
    ) {
        return Ok(Country::France);
    }
    let invalid = || {
        Problem::invalid(
            Field::BirthCountry,
            format!("Pays de naissance « {} » illisible pour le candidat {id}.", text.trim()),
            "Écrivez le nom du pays (60 caractères au plus), son code INSEE (122 ou 99122 pour la Pologne), ou les deux : « Pologne (99122) ».",
        )
    };
    let runs: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|r| !r.is_empty())
        .collect();
    let code = match runs.as_slice() {
        [] => None,
        [r] if r.len() == 3 => Some((*r).to_string()),
        [r] if r.len() == 5 && r.starts_with("99") => Some(r[2..].to_string()),
        _ => return Err(invalid()),
    };
    if code.as_deref() == Some("100") {
        return Ok(Country::France);
    }
    let rest: String = text.chars().filter(|c| !c.is_ascii_digit()).collect();
    let rest = rest.trim_matches(|c: char| c.is_whitespace() || "()[]-–—,;:/".contains(c));
    let name = if rest.is_empty() {
        None
    } else {
        Some(self::name(
            Field::BirthCountry,
            "Le pays de naissance",
            id,
            rest,
        )?)
    };
    Ok(Country::Abroad { code, name })
}

/// The hint for a code of four digits: a spreadsheet dropped its leading zero, or a digit
/// is missing; `jury` does not guess which.
const LOST_ZERO: &str = "Un code de 4 chiffres a perdu son zéro initial dans le tableur (01053 enregistré comme le nombre 1053), ou il lui manque un chiffre : saisissez le code en texte (précédé d'une apostrophe, '01053, ou dans une colonne au format Texte).";

fn four_digits(text: &str) -> bool {
    text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit())
}

/// A French commune's INSEE code: five digits, or 2A/2B and three digits (Corsica); `99`
/// and a country's code for a birth abroad.
fn insee(id: &str, text: &str) -> Result<String, Problem> {
    let code: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let b = code.as_bytes();
    let ok = b.len() == 5
        && (b.iter().all(u8::is_ascii_digit)
            || (b[0] == b'2'
                && matches!(b[1], b'A' | b'B')
                && b[2..].iter().all(u8::is_ascii_digit)));
    if ok {
        return Ok(code);
    }
    Err(Problem::invalid(
        Field::BirthInsee,
        format!(
            "Code INSEE de naissance « {} » invalide pour le candidat {id}.",
            text.trim()
        ),
        if four_digits(&code) {
            LOST_ZERO
        } else {
            "Le code INSEE d'une commune compte 5 caractères : 5 chiffres (69123), ou 2A/2B et 3 chiffres en Corse (2A004) ; 99 et le code du pays pour une personne née à l'étranger (99122)."
        },
    ))
}

/// A postal code: five digits in France, nine characters at most abroad.
fn postcode(id: &str, text: &str, france: bool) -> Result<String, Problem> {
    let trimmed = clean_xml(text).unwrap_or_default();
    let digits: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    if france && digits.len() == 5 && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(digits);
    }
    if !france && !trimmed.is_empty() && trimmed.chars().count() <= 9 {
        return Ok(trimmed);
    }
    Err(Problem::invalid(
        Field::BirthPostcode,
        format!(
            "Code postal de naissance « {} » invalide pour le candidat {id}.",
            text.trim()
        ),
        if france && four_digits(&digits) {
            LOST_ZERO
        } else if france {
            "Un code postal français compte 5 chiffres (69001)."
        } else {
            "Un code postal étranger compte 9 caractères au plus ; il peut rester vide."
        },
    ))
}

/// The birthplace from the INSEE code, postal code and country cells.
///
/// Born in France (country empty or France): the INSEE code, else the postal code, is
/// required. Born abroad (a country other than France, or an INSEE code `99xxx`): the
/// country's INSEE code when known goes to `codePaysNaissance` and, when no commune code is
/// given, to the commune code as `99xxx` (the INSEE convention for people born abroad); the
/// country's name goes to `libellePaysNaissance`; the commune code may be empty.
pub fn birthplace(
    id: &str,
    insee_cell: Option<&str>,
    postcode_cell: Option<&str>,
    country_cell: Option<&str>,
) -> Result<Birthplace, Vec<Problem>> {
    use super::Commune;
    let mut problems = Vec::new();
    let country = match country(id, country_cell.unwrap_or_default()) {
        Ok(c) => Some(c),
        Err(p) => {
            problems.push(p);
            None
        }
    };
    let insee = match insee_cell.map(|t| insee(id, t)) {
        Some(Ok(code)) => Some(code),
        Some(Err(p)) => {
            problems.push(p);
            None
        }
        None => None,
    };
    // An INSEE code 99xxx names the country of birth, not a commune.
    let insee_country = insee
        .as_deref()
        .and_then(|c| c.strip_prefix("99"))
        .map(str::to_string);
    let (code, name) = match &country {
        Some(Country::Abroad { code, name }) => (code.clone(), name.clone()),
        _ => (None, None),
    };
    match (&insee_country, &code, &country) {
        (Some(c), _, _) if c == "100" => problems.push(Problem::invalid(
            Field::BirthInsee,
            format!("Le code INSEE de naissance du candidat {id} (99100) désigne la France, pas une commune."),
            "Écrivez le code INSEE de la commune de naissance (69123 pour Lyon).",
        )),
        (Some(_), _, Some(Country::France)) if country_cell.is_some() => {
            problems.push(Problem::invalid(
                Field::BirthInsee,
                format!("Le code INSEE de naissance du candidat {id} désigne un pays étranger, mais le pays de naissance est la France."),
                "Pour une commune française, écrivez son code INSEE ; pour une naissance à l'étranger, le pays.",
            ));
        }
        (Some(a), Some(b), _) if a != b => problems.push(Problem::invalid(
            Field::BirthCountry,
            format!("Le pays de naissance du candidat {id} (code {b}) ne correspond pas au code INSEE de naissance (99{a})."),
            "Corrigez l'un des deux.",
        )),
        _ => {}
    }
    let abroad = matches!(country, Some(Country::Abroad { .. })) || insee_country.is_some();
    let code = code.or(insee_country);
    let postcode = match postcode_cell.map(|t| postcode(id, t, !abroad)) {
        Some(Ok(p)) => Some(p),
        Some(Err(p)) => {
            problems.push(p);
            None
        }
        None => None,
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let commune = match (insee, &code, postcode) {
        (Some(insee), _, _) => Commune::Insee(insee),
        (None, Some(code), _) if abroad => Commune::Insee(format!("99{code}")),
        (None, _, Some(postcode)) => Commune::Postcode(Some(postcode)),
        (None, _, None) if abroad => Commune::Postcode(None),
        (None, _, None) => {
            return Err(vec![Problem::missing(
                Field::BirthInsee,
                format!("Le code INSEE (ou le code postal) de la commune de naissance du candidat {id} est vide."),
                "Indiquez le code INSEE de la commune (69123 pour Lyon), ou son code postal ; pour une naissance à l'étranger, remplissez « Pays de naissance ».",
            )])
        }
    };
    Ok(Birthplace {
        commune,
        country_code: if abroad { code } else { None },
        country_name: if abroad { name } else { None },
    })
}

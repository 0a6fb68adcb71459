//! `jury init <dir>`: a new session folder to fill in — `session.toml` (every key explained,
//! every value to give « À compléter »), `candidats.xlsx` (headers, notes, drop-downs, one
//! example row), an empty `grilles/` and `LISEZMOI.txt` (the next steps).
//!
//! Nothing is written when anything is wrong: the folder must be new or empty, the id and
//! date valid, the referential readable. Everything is written into a hidden folder beside
//! `<dir>`, then renamed into place (`jury_fs::output::Staging`).

use std::path::Path;

use crate::cli::error::{CliError, Done};
use crate::core::session::is_valid_session_id;
use crate::core::sheet::Date;
use jury_formats::render::blank_candidates;
use jury_formats::render::starter::{readme, session_toml, Starter};
use jury_fs::new_folder::{
    choose_referential, refuse_unless_new_or_empty, write_new_folder, COPIED_REFERENTIAL,
};
use jury_fs::output::absolute;

/// What `jury init` was asked, as typed.
#[derive(Debug)]
pub struct InitOptions {
    pub referential: Option<String>,
    pub id: Option<String>,
    pub date: Option<String>,
}

/// The grids folder, empty (the default `grids` of `session.toml`).
const GRIDS: &str = "grilles";

/// The creation date of `candidats.xlsx` when no `--date` is given (same bytes every time).
const NO_DATE: Date = Date {
    year: 2000,
    month: 1,
    day: 1,
};

pub fn run(dir: &Path, options: &InitOptions) -> Result<Done, CliError> {
    prepare(dir, options)
        .and_then(|files| write_new_folder(dir, &files, &[GRIDS]))
        .map_err(|message| CliError::Refused {
            lines: vec![message, "Rien n'a été écrit.".into()],
        })?;
    println!("Session préparée dans « {} » :", absolute(dir).display());
    println!("  session.toml, candidats.xlsx, grilles/, LISEZMOI.txt");
    println!("Complétez session.toml (chaque « À compléter »), remplissez candidats.xlsx, puis lisez LISEZMOI.txt pour la suite.");
    Ok(Done::Clean)
}

/// Every file of the new folder (path and bytes), or why there is none (in French).
fn prepare(dir: &Path, options: &InitOptions) -> Result<Vec<(String, Vec<u8>)>, String> {
    refuse_unless_new_or_empty(dir)?;
    let id = checked_id(options.id.as_deref())?;
    let date = parsed_date(options.date.as_deref())?;
    let chosen = choose_referential(options.referential.as_deref())?;
    let starter = Starter {
        id,
        date,
        referential: chosen.value.clone(),
        referential_source: chosen.copied.as_ref().map(|(source, _)| source.clone()),
        folder: dir.display().to_string(),
    };
    let candidates = blank_candidates::render(&chosen.referential, date.unwrap_or(NO_DATE))
        .map_err(|e| {
            format!(
                "Erreur : le fichier des candidats ne peut pas être produit ({}).",
                jury_fs::output::failure_reason(&e)
            )
        })?;
    let mut files = vec![
        (
            "session.toml".to_string(),
            session_toml(&starter).into_bytes(),
        ),
        ("candidats.xlsx".to_string(), candidates),
        ("LISEZMOI.txt".to_string(), readme(&starter).into_bytes()),
    ];
    if let Some((_, bytes)) = chosen.copied {
        files.push((COPIED_REFERENTIAL.to_string(), bytes));
    }
    Ok(files)
}

/// `--id`, when given, if it is a valid session id.
fn checked_id(id: Option<&str>) -> Result<Option<String>, String> {
    match id {
        Some(id) if !is_valid_session_id(id) => Err(format!(
            "Erreur : l'identifiant de session « {id} » (--id) doit comporter de 1 à 40 caractères parmi A–Z, a–z, 0–9, - et _ (il fait partie des numéros de certificat).\n      → Par exemple --id CM-2027-03."
        )),
        other => Ok(other.map(str::to_string)),
    }
}

/// `--date`, when given, read as AAAA-MM-JJ.
fn parsed_date(date: Option<&str>) -> Result<Option<Date>, String> {
    date.map(|text| {
        Date::parse(text).ok_or_else(|| {
            format!("Erreur : la date « {text} » (--date) n'est pas une date : écrivez-la AAAA-MM-JJ, par exemple --date 2027-03-18.")
        })
    })
    .transpose()
}

//! Writes the demo jury session used in the docs and tests (`samples/session-demo/`).
//!
//! ```text
//! cargo run --example make_demo_session -- samples/session-demo [--force] [--no-ods]
//! ```
//!
//! Everything is deterministic (fixed data, fixed workbook creation date), except the one
//! `.ods` grid, which is converted by LibreOffice (`soffice`) and is not byte-reproducible.
//! `--no-ods` skips that conversion and keeps the third grid as `.xlsx`.
//!
//! The session: 25 candidates, two sub-juries (A: Claire Martin + Paul Durand for
//! 2026001–2026013, B: Claire Martin + Sophie Bernard for 2026014–2026025), one absent
//! candidate (2026007), one non-recevable candidate (2026024, no grid row), five candidates
//! with criteria "Non acquis" agreed by both jurors, and one disputed criterion (2026011,
//! Cr3.2) settled in `deliberation.xlsx`.

use std::error::Error;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use rust_xlsxwriter::{
    Color, DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Workbook, Worksheet,
};

type Res<T> = Result<T, Box<dyn Error>>;

// ---------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------

const SESSION_ID: &str = "CM-2026-11";
const SESSION_DATE: (u16, u8, u8) = (2026, 11, 27);
const TITLE: &str = "Développer son activité avec le community management";
const CODE: &str = "RS0000";

/// A birth date as the secretary typed it: a real date cell, or text.
#[derive(Clone, Copy)]
enum Birth {
    Date(u16, u8, u8),
    Text(&'static str),
}
use Birth::{Date as D, Text as T};

/// One row of the candidates file: id, last name, first name, birth date, birth place, e-mail.
type CandidateRow = (
    u32,
    &'static str,
    &'static str,
    Birth,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
const CANDIDATES: &[CandidateRow] = &[
    (2026001, "Lefèvre-N'Diaye", "Zoé",       D(1994, 3, 12),  "Dakar (Sénégal)",    "zoe.lefevre-ndiaye@example.org"),
    (2026002, "Wiśniewski",      "Łukasz",    D(1987, 9, 30),  "Cracovie (Pologne)", "lukasz.wisniewski@example.org"),
    (2026003, "Nguyễn",          "Thị Hương", D(1991, 1, 8),   "Hanoï (Viêt Nam)",   "huong.nguyen@example.org"),
    (2026004, "Dubœuf",          "Éloïse",    D(1985, 6, 21),  "Mâcon",              "eloise.duboeuf@example.org"),
    (2026005, "Le Bihan",        "Gaëlle",    T("03/07/1988"), "Quimper",            "gaelle.lebihan@example.org"),
    (2026006, "Mézières",        "François",  D(1979, 11, 2),  "Saint-Étienne",      "francois.mezieres@example.org"),
    (2026007, "Côté",            "Noémie",    D(1996, 4, 17),  "Montréal (Canada)",  "noemie.cote@example.org"),
    (2026008, "Bréchet",         "Jérôme",    D(1982, 12, 5),  "Villeurbanne",       "jerome.brechet@example.org"),
    (2026009, "Garnier",         "Camille",   D(1990, 2, 28),  "Lyon",               "camille.garnier@example.org"),
    (2026010, "Fontaine",        "Hélène",    D(1975, 8, 14),  "Grenoble",           "helene.fontaine@example.org"),
    (2026011, "Moreau",          "Théo",      D(1998, 10, 1),  "Bourg-en-Bresse",    "theo.moreau@example.org"),
    (2026012, "Girard",          "Inès",      D(1993, 5, 9),   "Annecy",             "ines.girard@example.org"),
    (2026013, "Lambert",         "Mathis",    D(1999, 7, 23),  "Vienne",             "mathis.lambert@example.org"),
    (2026014, "Rousseau",        "Léa",       D(1992, 3, 3),   "Chambéry",           "lea.rousseau@example.org"),
    (2026015, "Faure",           "Maël",      D(1986, 1, 19),  "Clermont-Ferrand",   "mael.faure@example.org"),
    (2026016, "Mercier",         "Anaïs",     D(1989, 9, 11),  "Valence",            "anais.mercier@example.org"),
    (2026017, "Chevalier",       "Raphaël",   D(1984, 6, 6),   "Roanne",             "raphael.chevalier@example.org"),
    (2026018, "Benali",          "Yasmine",   T("21/11/1995"), "Vénissieux",         "yasmine.benali@example.org"),
    (2026019, "Perrin",          "Loïc",      T("04/1980"),    "Besançon",           "loic.perrin@example.org"),
    (2026020, "Da Silva",        "Joana",     D(1997, 12, 24), "Porto (Portugal)",   "joana.dasilva@example.org"),
    (2026021, "Marchand",        "Cécile",    D(1977, 2, 15),  "Dijon",              "cecile.marchand@example.org"),
    (2026022, "Roussel",         "Adrien",    D(1994, 8, 31),  "Oyonnax",            "adrien.roussel@example.org"),
    (2026023, "Boucher",         "Maëlys",    D(2000, 1, 1),   "Givors",             "maelys.boucher@example.org"),
    (2026024, "Lemaire",         "Baptiste",  D(1983, 10, 10), "Mâcon",              "baptiste.lemaire@example.org"),
    (2026025, "Aubert",          "Amélie",    D(1991, 7, 4),   "Tarare",             "amelie.aubert@example.org"),
];

/// The CPF columns of a candidate (declaration to the Caisse des Dépôts, `jury cpf`):
/// sex, usage name, INSEE code of the birth commune, postal code of the birth commune,
/// birth country (name and INSEE code, for those born abroad), access mode.
type CpfRow = (
    u32,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
const CPF: &[CpfRow] = &[
    (2026001, "F", "",              "",      "",      "Sénégal (99341)",  "Formation continue"),
    (2026002, "M", "",              "",      "",      "Pologne (99122)",  "VAE"),
    (2026003, "F", "",              "",      "",      "Viêt Nam (99243)", "Formation continue"),
    (2026004, "F", "",              "71270", "",      "",                 "Formation continue"),
    (2026005, "F", "",              "29232", "",      "",                 "Contrat de professionnalisation"),
    (2026006, "M", "",              "42218", "",      "",                 "Formation continue"),
    (2026007, "F", "",              "",      "",      "Canada (99401)",   "Candidat libre"),
    (2026008, "M", "",              "69266", "",      "",                 "Formation continue"),
    (2026009, "F", "",              "69123", "",      "",                 "Apprentissage"),
    (2026010, "F", "Roux",          "38185", "",      "",                 "VAE"),
    (2026011, "M", "",              "01053", "",      "",                 "Apprentissage"),
    (2026012, "F", "",              "74010", "",      "",                 "Formation continue"),
    (2026013, "M", "",              "38544", "",      "",                 "Formation initiale"),
    (2026014, "F", "",              "73065", "",      "",                 "Formation continue"),
    (2026015, "M", "",              "63113", "",      "",                 "Formation continue"),
    (2026016, "F", "",              "26362", "",      "",                 "Formation continue"),
    (2026017, "M", "",              "42187", "",      "",                 ""),
    (2026018, "F", "",              "69259", "",      "",                 "Contrat de professionnalisation"),
    (2026019, "M", "",              "25056", "",      "",                 "Formation continue"),
    (2026020, "F", "",              "",      "",      "Portugal (99139)", "Formation continue"),
    (2026021, "F", "Girod",         "21231", "",      "",                 "VAE"),
    (2026022, "M", "",              "01283", "",      "",                 "Formation continue"),
    (2026023, "F", "",              "69091", "",      "",                 "Apprentissage"),
    (2026024, "M", "",              "71270", "",      "",                 "Formation continue"),
    (2026025, "F", "",              "",      "69170", "",                 "Candidat libre"),
];

/// Prerequisites not met: non-recevable, listed in no grid.
const NON_RECEVABLE: u32 = 2026024;
/// Absent on the day: "ABS" in every criterion cell of both of their jurors' grids.
const ABSENT: u32 = 2026007;
/// Accommodations (Aménagement column); empty for everyone else.
const ACCOMMODATIONS: &[(u32, &str)] =
    &[(2026010, "Tiers temps"), (2026016, "Assistance d'un tiers")];

/// Criteria graded "Non acquis" by both jurors of the candidate (so not certified).
const NOT_ACQUIRED: &[(u32, &[&str])] = &[
    (2026004, &["Cr1.2"]),
    (2026009, &["Cr4", "Cr5"]),
    (2026015, &["Cr6.1", "Cr6.2"]),
    (2026019, &["Cr2", "Cr3.1"]),
    (2026022, &["Cr1.3", "Cr1.5", "Cr6.2"]),
];

/// The one disagreement: (candidate, criterion, juror who gives "Non acquis").
/// The other juror of the candidate gives "Acquis"; deliberation.xlsx settles it.
const DISPUTE: (u32, &str, &str) = (2026011, "Cr3.2", "Paul Durand");
const DELIBERATION: (u32, &str, &str, &str) = (
    2026011,
    "C3",
    "Validé",
    "Après échange, le jury retient que les contenus respectent les bonnes pratiques des \
     réseaux choisis (soutenance orale convaincante).",
);

const CRITERIA: [&str; 12] = [
    "Cr1.1", "Cr1.2", "Cr1.3", "Cr1.4", "Cr1.5", "Cr2", "Cr3.1", "Cr3.2", "Cr4", "Cr5", "Cr6.1",
    "Cr6.2",
];

/// Jurors: name, grid file stem, sub-juries they sit in.
const JURORS: &[(&str, &str, &[&str])] = &[
    ("Claire Martin", "grille-claire-martin", &["A", "B"]),
    ("Paul Durand", "grille-paul-durand", &["A"]),
    ("Sophie Bernard", "grille-sophie-bernard", &["B"]),
];
/// The grid converted to OpenDocument (to exercise the .ods reader).
const ODS_GRID: &str = "grille-sophie-bernard";

/// Free-text observations: (juror, candidate, text).
const OBSERVATIONS: &[(&str, u32, &str)] = &[
    (
        "Claire Martin",
        2026003,
        "Très bonne maîtrise des statistiques Instagram.",
    ),
    (
        "Claire Martin",
        2026004,
        "Budget incomplet : aucun poste pour la publicité sociale.",
    ),
    (
        "Claire Martin",
        2026007,
        "Candidate absente à la convocation.",
    ),
    (
        "Claire Martin",
        2026011,
        "Contenus conformes aux formats des réseaux choisis.",
    ),
    (
        "Claire Martin",
        2026022,
        "Objectifs non mesurables ; choix des réseaux non justifié.",
    ),
    (
        "Paul Durand",
        2026007,
        "Absente, aucun justificatif reçu le jour de la session.",
    ),
    (
        "Paul Durand",
        2026009,
        "Pas de ciblage publicitaire ; prestataires non identifiés.",
    ),
    ("Paul Durand", 2026010, "Tiers temps accordé et appliqué."),
    (
        "Paul Durand",
        2026011,
        "Visuels LinkedIn mal dimensionnés, texte tronqué sur mobile.",
    ),
    (
        "Sophie Bernard",
        2026015,
        "Aucun tableau de bord de suivi présenté.",
    ),
    (
        "Sophie Bernard",
        2026016,
        "Assistance d'un tiers pour la manipulation du support.",
    ),
    (
        "Sophie Bernard",
        2026019,
        "Pages entreprise incomplètes ; pas de textes alternatifs.",
    ),
];

const SESSION_TOML: &str = r#"# Session de démonstration de jury (générée par examples/make_demo_session.rs).
# Format : voir le contrat, section 2.

[session]
id = "CM-2026-11"                         # entre dans le numéro de chaque certificat
referential = "community-management"      # référentiel livré avec jury (templates/referentials/)
date = 2026-11-27                         # date du jury (date TOML, sans guillemets)
place = "Lyon"
certifier = "Institut Lumière des Métiers du Numérique"   # raison sociale imprimée sur les certificats
signatory = { name = "Anne Roux", role = "Directrice de la certification" }
# Code et mention d'enregistrement imprimés sur les certificats : FICTIFS (session de
# démonstration). Un certificateur écrit ici ceux de la fiche France Compétences de sa
# certification.
code = "RS0000"
registration = "Certification enregistrée au Répertoire spécifique de France Compétences par décision du directeur général du 27/11/2025 (démonstration)"
# candidates = "candidats.xlsx"           # valeur par défaut
# grids = "grilles"                       # valeur par défaut

# Membres du jury : chaque grille doit venir de l'un d'eux.
# Sous-jury A (candidats 2026001 à 2026013) : Claire Martin et Paul Durand.
# Sous-jury B (candidats 2026014 à 2026025) : Claire Martin et Sophie Bernard.
# `groups` : les sous-jurys (colonne « Jury » de candidats.xlsx) dont le membre évalue les
# candidats ; `jury grids` s'en sert pour lister les candidats de chaque grille vierge.
[[jury]]
name = "Claire Martin"
role = "Présidente du jury"
external = false
groups = ["A", "B"]

[[jury]]
name = "Paul Durand"
role = "Professionnel du secteur"
external = true
groups = ["A"]

[[jury]]
name = "Sophie Bernard"
role = "Professionnelle du secteur"
external = true
groups = ["B"]

[rules]
aggregation = "consensus"   # un critère est acquis si tous les jurés du candidat sont d'accord
min_jurors = 2              # deux grilles complètes par candidat présent

# Déclaration des titulaires à la Caisse des Dépôts (`jury cpf`, voir docs/cpf.md).
# Identifiants fictifs : ceux d'un vrai certificateur sont donnés par la Caisse des Dépôts.
[cpf]
id_client = "09LMN426"      # identifiant client : 8 caractères
id_contrat = "MCFCER000999" # identifiant du contrat de certificateur
"#;

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

struct Args {
    out: PathBuf,
    force: bool,
    ods: bool,
}

const USAGE: &str =
    "usage: cargo run --example make_demo_session -- <output-folder> [--force] [--no-ods]";

fn main() -> ExitCode {
    let args = match parse_args(std::env::args_os().skip(1)) {
        Ok(args) => args,
        Err(msg) => {
            eprintln!("{msg}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args(args: impl Iterator<Item = OsString>) -> Result<Args, String> {
    let (mut out, mut force, mut ods) = (None, false, true);
    for arg in args {
        match arg.to_str() {
            Some("--force") => force = true,
            Some("--no-ods") => ods = false,
            Some("-h" | "--help") => return Err("Writes the demo jury session.".into()),
            Some(s) if s.starts_with('-') => return Err(format!("unknown option {s}")),
            _ if out.is_none() => out = Some(PathBuf::from(arg)),
            _ => return Err("only one output folder may be given".into()),
        }
    }
    let out = out.ok_or("missing output folder")?;
    Ok(Args { out, force, ods })
}

fn run(args: &Args) -> Res<()> {
    // Fail before writing anything when LibreOffice is needed and missing.
    let soffice = if args.ods {
        Some(find_on_path("soffice").ok_or(
            "LibreOffice (soffice) is not on PATH; it is needed to write the .ods grid.\n\
             Install it with `apt-get install libreoffice-calc` (Debian/Ubuntu), \
             or rerun with --no-ods to keep that grid as .xlsx.",
        )?)
    } else {
        None
    };
    prepare_output(&args.out, args.force)?;
    let grids = args.out.join("grilles");
    fs::create_dir_all(&grids)?;

    fs::write(args.out.join("session.toml"), SESSION_TOML)?;
    write_candidates(&args.out.join("candidats.xlsx"))?;
    for &(juror, stem, _) in JURORS {
        write_grid(&grids.join(format!("{stem}.xlsx")), juror)?;
    }
    write_deliberation(&args.out.join("deliberation.xlsx"))?;
    fs::write(args.out.join("README.md"), readme())?;
    if let Some(soffice) = soffice {
        convert_to_ods(&soffice, &grids, ODS_GRID)?;
    }
    println!("demo session written to {}", args.out.display());
    Ok(())
}

/// The files this generator writes, relative to the output folder.
fn owned_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = [
        "session.toml",
        "candidats.xlsx",
        "deliberation.xlsx",
        "README.md",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    for &(_, stem, _) in JURORS {
        for ext in ["xlsx", "ods"] {
            files.push(Path::new("grilles").join(format!("{stem}.{ext}")));
        }
    }
    files
}

/// Refuses a non-empty folder unless `force`; with `force`, removes only the files this
/// generator writes (anything else is left alone and reported).
fn prepare_output(out: &Path, force: bool) -> Res<()> {
    if !out.exists() {
        fs::create_dir_all(out)?;
        return Ok(());
    }
    if !out.is_dir() {
        return Err(format!("{} exists and is not a folder", out.display()).into());
    }
    if fs::read_dir(out)?.next().is_none() {
        return Ok(());
    }
    if !force {
        return Err(format!(
            "{} is not empty; use --force to overwrite it",
            out.display()
        )
        .into());
    }
    let owned = owned_files();
    for file in &owned {
        let path = out.join(file);
        if path.is_file() {
            fs::remove_file(path)?;
        }
    }
    report_foreign_files(out, &owned)?;
    Ok(())
}

/// Warns about files left in the output folder that this generator did not write.
fn report_foreign_files(out: &Path, owned: &[PathBuf]) -> Res<()> {
    for dir in [out.to_path_buf(), out.join("grilles")] {
        if !dir.is_dir() {
            continue;
        }
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            let rel = path.strip_prefix(out)?.to_path_buf();
            if path.is_file() && !owned.contains(&rel) {
                eprintln!(
                    "warning: leaving unrelated file {} in place",
                    path.display()
                );
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Outcomes
// ---------------------------------------------------------------------------------------------

fn prerequisites_met(id: u32) -> bool {
    id != NON_RECEVABLE
}

fn sub_jury(id: u32) -> &'static str {
    if id <= 2026013 {
        "A"
    } else {
        "B"
    }
}

/// The level `juror` gives `id` on `criterion`.
fn level(juror: &str, id: u32, criterion: &str) -> &'static str {
    if id == ABSENT {
        return "ABS";
    }
    let (d_id, d_criterion, d_juror) = DISPUTE;
    if id == d_id && criterion == d_criterion {
        return if juror == d_juror {
            "Non acquis"
        } else {
            "Acquis"
        };
    }
    let failed = NOT_ACQUIRED
        .iter()
        .any(|(c, crits)| *c == id && crits.contains(&criterion));
    if failed {
        "Non acquis"
    } else {
        "Acquis"
    }
}

fn observation(juror: &str, id: u32) -> Option<&'static str> {
    OBSERVATIONS
        .iter()
        .find(|(j, c, _)| *j == juror && *c == id)
        .map(|(_, _, text)| *text)
}

/// The candidates a juror grades: their sub-juries, prerequisites met.
fn graded_by(juror: &str) -> impl Iterator<Item = &'static CandidateRow> + '_ {
    let juries: &[&str] = JURORS
        .iter()
        .find(|(name, _, _)| *name == juror)
        .map_or(&[], |(_, _, juries)| *juries);
    CANDIDATES
        .iter()
        .filter(move |c| prerequisites_met(c.0) && juries.contains(&sub_jury(c.0)))
}

// ---------------------------------------------------------------------------------------------
// Workbooks
// ---------------------------------------------------------------------------------------------

fn new_workbook() -> Res<Workbook> {
    let mut wb = Workbook::new();
    let (y, m, d) = SESSION_DATE;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&ExcelDateTime::from_ymd(y, m, d)?)
            .set_author("Institut Lumière des Métiers du Numérique"),
    );
    Ok(wb)
}

fn title_format() -> Format {
    Format::new().set_bold().set_font_size(14)
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
}

fn write_header(ws: &mut Worksheet, row: u32, headers: &[&str]) -> Res<()> {
    let fmt = header_format();
    for (col, h) in (0u16..).zip(headers) {
        ws.write_string_with_format(row, col, *h, &fmt)?;
    }
    Ok(())
}

fn set_widths(ws: &mut Worksheet, widths: &[f64]) -> Res<()> {
    for (col, w) in (0u16..).zip(widths) {
        ws.set_column_width(col, *w)?;
    }
    Ok(())
}

fn write_candidates(path: &Path) -> Res<()> {
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("Candidats")?;
    ws.write_string_with_format(
        0,
        0,
        format!("Session {SESSION_ID} — Liste des candidats"),
        &title_format(),
    )?;
    let header_row = 2;
    write_header(
        ws,
        header_row,
        &[
            "N° candidat",
            "Nom",
            "Prénom",
            "Date de naissance",
            "Lieu de naissance",
            "Courriel",
            "Prérequis validés",
            "Aménagement",
            "Jury",
            "Sexe",
            "Nom d'usage",
            "Code INSEE de naissance",
            "Code postal de naissance",
            "Pays de naissance",
            "Modalité d'accès",
        ],
    )?;
    let date_fmt = Format::new()
        .set_num_format("dd/mm/yyyy")
        .set_align(FormatAlign::Left);
    for (row, &(id, last, first, birth, place, email)) in (header_row + 1..).zip(CANDIDATES) {
        ws.write_number(row, 0, id)?;
        ws.write_string(row, 1, last)?;
        ws.write_string(row, 2, first)?;
        match birth {
            Birth::Date(y, m, d) => {
                ws.write_datetime_with_format(
                    row,
                    3,
                    &ExcelDateTime::from_ymd(y, m, d)?,
                    &date_fmt,
                )?;
            }
            Birth::Text(text) => {
                ws.write_string(row, 3, text)?;
            }
        }
        ws.write_string(row, 4, place)?;
        ws.write_string(row, 5, email)?;
        ws.write_string(row, 6, if prerequisites_met(id) { "Oui" } else { "Non" })?;
        if let Some((_, accommodation)) = ACCOMMODATIONS.iter().find(|(c, _)| *c == id) {
            ws.write_string(row, 7, *accommodation)?;
        }
        ws.write_string(row, 8, sub_jury(id))?;
        if let Some(&(_, sex, usage, insee, postcode, country, access)) =
            CPF.iter().find(|c| c.0 == id)
        {
            // Codes are text cells: a number cell would lose the leading zero of 01053.
            for (col, text) in (9u16..).zip([sex, usage, insee, postcode, country, access]) {
                if !text.is_empty() {
                    ws.write_string(row, col, text)?;
                }
            }
        }
    }
    ws.set_freeze_panes(header_row + 1, 0)?;
    set_widths(
        ws,
        &[
            13.0, 20.0, 14.0, 17.0, 22.0, 34.0, 17.0, 22.0, 7.0, 7.0, 14.0, 14.0, 14.0, 20.0, 30.0,
        ],
    )?;
    wb.save(path)?;
    Ok(())
}

fn write_grid(path: &Path, juror: &str) -> Res<()> {
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("Grille")?;
    let bold = Format::new().set_bold();
    ws.write_string_with_format(
        0,
        0,
        format!("Grille d'évaluation — {TITLE} ({CODE})"),
        &title_format(),
    )?;
    let (y, m, d) = SESSION_DATE;
    ws.write_string(1, 0, format!("Session : {SESSION_ID} — {d:02}/{m:02}/{y}"))?;
    ws.write_string_with_format(2, 0, "Évaluateur :", &bold)?;
    ws.write_string_with_format(2, 1, juror, &bold)?;

    let header_row = 4;
    let mut headers = vec!["N° candidat", "Nom", "Prénom"];
    headers.extend(CRITERIA);
    headers.push("Observations");
    write_header(ws, header_row, &headers)?;
    let obs_col = 3 + CRITERIA.len() as u16;

    let mut last_row = header_row;
    for (row, &(id, last, first, ..)) in (header_row + 1..).zip(graded_by(juror)) {
        ws.write_number(row, 0, id)?;
        ws.write_string(row, 1, last)?;
        ws.write_string(row, 2, first)?;
        for (col, criterion) in (3u16..).zip(CRITERIA) {
            ws.write_string(row, col, level(juror, id, criterion))?;
        }
        if let Some(text) = observation(juror, id) {
            ws.write_string(row, obs_col, text)?;
        }
        last_row = row;
    }

    let levels = DataValidation::new()
        .allow_list_strings(&["Acquis", "Non acquis", "ABS"])?
        .set_input_title("Niveau")?
        .set_input_message("Acquis, Non acquis, ou ABS si le candidat est absent.")?;
    ws.add_data_validation(
        header_row + 1,
        3,
        last_row.max(header_row + 1),
        obs_col - 1,
        &levels,
    )?;
    ws.set_freeze_panes(header_row + 1, 3)?;
    let mut widths = vec![13.0, 18.0, 12.0];
    widths.extend([11.0; CRITERIA.len()]);
    widths.push(55.0);
    set_widths(ws, &widths)?;

    write_instructions(wb.add_worksheet())?;
    wb.save(path)?;
    Ok(())
}

/// A plain-text sheet with no grid header: the reader ignores it.
fn write_instructions(ws: &mut Worksheet) -> Res<()> {
    ws.set_name("Instructions")?;
    let lines = [
        "Comment remplir cette grille",
        "",
        "1. Une ligne par candidat évalué ; ne modifiez ni les numéros ni l'ordre des colonnes.",
        "2. Pour chaque critère, saisissez « Acquis » ou « Non acquis » (liste déroulante).",
        "3. Si le candidat est absent, saisissez « ABS » dans toutes les cellules de critères de sa ligne.",
        "4. La colonne Observations est libre ; elle est reprise dans les relevés de décision.",
        "5. Vérifiez votre nom en cellule B3 de la feuille « Grille » avant d'envoyer le fichier.",
        "",
        "Les désaccords entre jurés sont tranchés en délibération (fichier deliberation.xlsx).",
    ];
    ws.write_string_with_format(0, 0, lines[0], &title_format())?;
    for (row, line) in (1u32..).zip(&lines[1..]) {
        if !line.is_empty() {
            ws.write_string(row, 0, *line)?;
        }
    }
    ws.set_column_width(0, 100)?;
    Ok(())
}

fn write_deliberation(path: &Path) -> Res<()> {
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("Délibération")?;
    write_header(ws, 0, &["N° candidat", "Compétence", "Décision", "Motif"])?;
    let (id, competency, decision, motive) = DELIBERATION;
    ws.write_number(1, 0, id)?;
    ws.write_string(1, 1, competency)?;
    ws.write_string(1, 2, decision)?;
    ws.write_string(1, 3, motive)?;
    ws.set_freeze_panes(1, 0)?;
    set_widths(ws, &[13.0, 13.0, 12.0, 110.0])?;
    wb.save(path)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// LibreOffice conversion
// ---------------------------------------------------------------------------------------------

fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// Converts `<grids>/<stem>.xlsx` to `.ods` with a throw-away LibreOffice profile (so it works
/// as root and alongside a running LibreOffice), then removes the `.xlsx`.
fn convert_to_ods(soffice: &Path, grids: &Path, stem: &str) -> Res<()> {
    let xlsx = grids.join(format!("{stem}.xlsx"));
    let ods = grids.join(format!("{stem}.ods"));
    let profile = std::env::temp_dir().join(format!("jury-demo-lo-profile-{}", std::process::id()));
    let profile_url = format!("file://{}", profile.display());
    let output = Command::new(soffice)
        .arg(format!("-env:UserInstallation={profile_url}"))
        .args(["--headless", "--convert-to", "ods", "--outdir"])
        .arg(grids)
        .arg(&xlsx)
        .output();
    // Best effort: the profile is a scratch folder.
    let _ = fs::remove_dir_all(&profile);
    let output = output.map_err(|e| format!("cannot run {}: {e}", soffice.display()))?;
    if !output.status.success() || !ods.is_file() {
        return Err(format!(
            "LibreOffice failed to convert {} to .ods ({}):\n{}{}",
            xlsx.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    fs::remove_file(&xlsx)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// README
// ---------------------------------------------------------------------------------------------

fn readme() -> String {
    let (d_id, d_crit, d_juror) = DISPUTE;
    let (del_id, del_comp, del_decision, del_motive) = DELIBERATION;
    let mut table = String::new();
    for &(id, last, first, ..) in CANDIDATES {
        table.push_str(&format!(
            "| {id} | {first} {last} | {} | {} |\n",
            sub_jury(id),
            expected_outcome(id)
        ));
    }
    format!(
        r#"# Session de démonstration `{SESSION_ID}`

Session fictive de la certification « {TITLE} » ({CODE}, code factice), jury du
27/11/2026 à Lyon, certificateur « Institut Lumière des Métiers du Numérique ».
Tout ce dossier est **généré** par `examples/make_demo_session.rs` : ne le modifiez pas à la
main, modifiez le générateur.

## Contenu

| fichier | contenu |
|---|---|
| `session.toml` | métadonnées, 3 membres du jury (dont 2 externes) avec leurs sous-jurys (`groups`), `consensus`, `min_jurors = 2`, identifiants fictifs de la Caisse des Dépôts (`[cpf]`) |
| `candidats.xlsx` | 25 candidats (ligne de titre, ligne vide, puis en-têtes en ligne 3) ; n° numériques ; 2 dates de naissance saisies en texte (2026005, 2026018) et une connue seulement au mois (2026019, « 04/1980 ») ; noms accentués ou non latins (Łukasz Wiśniewski, Thị Hương Nguyễn, Éloïse Dubœuf…) ; colonnes de la déclaration CPF : Sexe, Nom d'usage (2026010, 2026021), Code INSEE de naissance (nés en France), Code postal de naissance (2026025), Pays de naissance (nés à l'étranger, avec le code INSEE du pays), Modalité d'accès |
| `grilles/grille-claire-martin.xlsx` | grille large de Claire Martin (sous-jurys A et B, 24 candidats) + feuille « Instructions » |
| `grilles/grille-paul-durand.xlsx` | grille large de Paul Durand (sous-jury A, 13 candidats) |
| `grilles/grille-sophie-bernard.ods` | grille large de Sophie Bernard (sous-jury B, 11 candidats), au format OpenDocument |
| `deliberation.xlsx` | une décision de délibération |

Sous-jurys : **A** = Claire Martin + Paul Durand (2026001 à 2026013) ;
**B** = Claire Martin + Sophie Bernard (2026014 à 2026025).

Cas particuliers :

- **{ABSENT}** est **absent(e)** : « ABS » dans toutes les cellules de critères de ses deux grilles.
- **{NON_RECEVABLE}** est **non recevable** (« Prérequis validés » = Non) : il ne figure dans aucune grille.
- **{d_id}** : **critère contesté** {d_crit} — Claire Martin met « Acquis », {d_juror} « Non acquis ».
  Sous `consensus`, la compétence C3 (et donc la certification) est en attente ; `deliberation.xlsx`
  la tranche : {del_id} / {del_comp} / {del_decision} / « {del_motive} »
- Cinq candidats ont des critères « Non acquis » donnés par leurs deux jurés : non certifiés,
  avec validation partielle des autres compétences.
- Quelques observations en français dans la colonne « Observations » ; aménagements : tiers
  temps (2026010), assistance d'un tiers (2026016).

## Résultat attendu (`consensus` + délibération)

| n° | candidat | sous-jury | décision attendue |
|---|---|---|---|
{table}
Sans `deliberation.xlsx`, {d_id} est `pending` et `jury run` sort avec le code 1.

Après `jury run`, `jury cpf resultats` écrit la déclaration des 18 titulaires à la Caisse des
Dépôts (`resultats/cpf/<idFlux>.xml`, voir docs/cpf.md).

## Régénérer

Depuis la racine du dépôt (LibreOffice requis pour le `.ods` : `apt-get install libreoffice-calc`) :

```sh
cargo run --example make_demo_session -- samples/session-demo --force
```

Les fichiers `.xlsx`, `session.toml` et ce README sont identiques octet pour octet à chaque
exécution (date de création des classeurs fixée au 27/11/2026). Le `.ods` est produit par
LibreOffice (`soffice --headless --convert-to ods`) et **n'est pas reproductible** octet pour
octet (horodatages, version de LibreOffice), son contenu l'est. `--no-ods` garde la troisième
grille en `.xlsx` (session entièrement reproductible, sans LibreOffice).
"#
    )
}

/// The decision `jury run` should reach for `id` (consensus + the deliberation row).
fn expected_outcome(id: u32) -> String {
    if !prerequisites_met(id) {
        return "non recevable".into();
    }
    if id == ABSENT {
        return "absent".into();
    }
    let mut failed: Vec<String> = NOT_ACQUIRED
        .iter()
        .filter(|(c, _)| *c == id)
        .flat_map(|(_, crits)| crits.iter().map(|c| competency_of(c)))
        .collect();
    failed.dedup();
    let mut outcome = if failed.is_empty() {
        "certifié".to_string()
    } else {
        format!(
            "non certifié — non acquise(s) : {} ; les autres compétences sont validées",
            failed.join(", ")
        )
    };
    if id == DISPUTE.0 {
        outcome.push_str(&format!(" après délibération ({} validée)", DELIBERATION.1));
    }
    outcome
}

/// "Cr1.2" → "C1", "Cr4" → "C4".
fn competency_of(criterion: &str) -> String {
    let digits = criterion.trim_start_matches("Cr");
    let major = digits.split('.').next().unwrap_or(digits);
    format!("C{major}")
}

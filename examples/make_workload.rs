//! Writes a synthetic jury session of any size, for benchmarks and scale tests.
//!
//! ```text
//! cargo run --release --example make_workload -- OUT --candidates 10000 [--jurors 3] [--seed 42]
//! ```
//!
//! Deterministic from the seed: same arguments, same bytes. The session uses the built-in
//! `community-management` referential (12 criteria), `consensus` with every juror grading
//! every candidate (one grid workbook per juror), and about 2 % of candidates with one
//! disputed criterion settled by a row of `deliberation.xlsx`, 2 % absent (ABS in every
//! grid), 1 % non-recevable (prerequisites not met, no grid row), 8 % with a criterion
//! « Non acquis » for every juror.

use std::error::Error;
use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

type Res<T> = Result<T, Box<dyn Error>>;

const CRITERIA: [&str; 12] = [
    "Cr1.1", "Cr1.2", "Cr1.3", "Cr1.4", "Cr1.5", "Cr2", "Cr3.1", "Cr3.2", "Cr4", "Cr5", "Cr6.1",
    "Cr6.2",
];
/// The competency of each criterion above.
const COMPETENCY: [&str; 12] = [
    "C1", "C1", "C1", "C1", "C1", "C2", "C3", "C3", "C4", "C5", "C6", "C6",
];
const LAST: [&str; 16] = [
    "Martin",
    "Lefèvre",
    "Nguyễn",
    "Dubœuf",
    "Côté",
    "Mézières",
    "Wiśniewski",
    "Le Bihan",
    "N'Diaye",
    "Garçon",
    "Éluard",
    "Brûlé",
    "Ørsted",
    "Fontaine",
    "Bréchet",
    "Zoëga",
];
const FIRST: [&str; 16] = [
    "Zoé",
    "Łukasz",
    "Thị Hương",
    "Éloïse",
    "Gaëlle",
    "François",
    "Noémie",
    "Jérôme",
    "Anaïs",
    "Maël",
    "Hélène",
    "Björn",
    "Inès",
    "Loïc",
    "Chloé",
    "Raphaël",
];
const JURORS: [&str; 6] = [
    "Claire Martin",
    "Paul Durand",
    "Sophie Bernard",
    "Karim Benali",
    "Léa Rousseau",
    "Marc Petit",
];

/// xorshift64*: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Profile {
    Certified,
    Failed(usize),
    Disputed(usize),
    Absent,
    NonRecevable,
}

struct Args {
    out: PathBuf,
    candidates: u32,
    jurors: usize,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let mut parsed = Args {
        out: PathBuf::new(),
        candidates: 30,
        jurors: 3,
        seed: 42,
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--candidates" => {
                parsed.candidates = value("--candidates")?
                    .parse()
                    .map_err(|e| format!("--candidates: {e}"))?
            }
            "--jurors" => {
                parsed.jurors = value("--jurors")?
                    .parse()
                    .map_err(|e| format!("--jurors: {e}"))?
            }
            "--seed" => {
                parsed.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            other if parsed.out.as_os_str().is_empty() => parsed.out = PathBuf::from(other),
            other => return Err(format!("unexpected argument {other}")),
        }
    }
    if parsed.out.as_os_str().is_empty() || !(1..=JURORS.len()).contains(&parsed.jurors) {
        return Err("usage: make_workload OUT --candidates N [--jurors 1..6] [--seed S]".into());
    }
    Ok(parsed)
}

fn workbook() -> Res<Workbook> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2026, 11, 27)?),
    );
    Ok(wb)
}

fn main() -> ExitCode {
    match parse_args().map_err(Into::into).and_then(|a| write(&a)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("make_workload: {e}");
            ExitCode::from(2)
        }
    }
}

fn write(args: &Args) -> Res<()> {
    let grids = args.out.join("grilles");
    fs::create_dir_all(&grids)?;
    let mut rng = Rng(args.seed.max(1));
    let profiles: Vec<Profile> = (0..args.candidates)
        .map(|_| match rng.below(100) {
            0 => Profile::NonRecevable,
            1 | 2 => Profile::Absent,
            3 | 4 => Profile::Disputed(rng.below(12) as usize),
            5..=12 => Profile::Failed(rng.below(12) as usize),
            _ => Profile::Certified,
        })
        .collect();
    let id = |i: usize| format!("{}", 2_026_000_000 + i);
    let jurors = &JURORS[..args.jurors];

    let mut toml = String::from(
        "[session]\nid = \"BENCH\"\nreferential = \"community-management\"\ndate = 2026-11-27\nplace = \"Lyon\"\n\
         certifier = \"Organisme de démonstration\"\ncode = \"RS0000\"\n\
         registration = \"Enregistrée par décision du directeur général de France Compétences du 27/11/2025 (démonstration)\"\n\n",
    );
    for (j, name) in jurors.iter().enumerate() {
        let role = if j == 0 {
            "Présidente du jury"
        } else {
            "Professionnel du secteur"
        };
        toml.push_str(&format!(
            "[[jury]]\nname = \"{name}\"\nrole = \"{role}\"\nexternal = {}\n\n",
            j > 0
        ));
    }
    toml.push_str(&format!(
        "[rules]\naggregation = \"consensus\"\nmin_jurors = {}\n",
        args.jurors
    ));
    fs::write(args.out.join("session.toml"), toml)?;

    let mut wb = workbook()?;
    let sheet = wb.add_worksheet();
    sheet.set_name("Candidats")?;
    for (c, h) in [
        "N° candidat",
        "Nom",
        "Prénom",
        "Date de naissance",
        "Prérequis validés",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h)?;
    }
    for (i, profile) in profiles.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, id(i))?;
        sheet.write_string(row, 1, LAST[rng.below(16) as usize])?;
        sheet.write_string(row, 2, FIRST[rng.below(16) as usize])?;
        sheet.write_string(
            row,
            3,
            format!(
                "{:02}/{:02}/{}",
                1 + rng.below(28),
                1 + rng.below(12),
                1960 + rng.below(45)
            ),
        )?;
        sheet.write_string(
            row,
            4,
            if *profile == Profile::NonRecevable {
                "Non"
            } else {
                "Oui"
            },
        )?;
    }
    wb.save(args.out.join("candidats.xlsx"))?;

    for (j, juror) in jurors.iter().enumerate() {
        let mut wb = workbook()?;
        let sheet = wb.add_worksheet();
        sheet.set_name("Grille")?;
        sheet.write_string(0, 0, "Évaluateur :")?;
        sheet.write_string(0, 1, *juror)?;
        sheet.write_string(2, 0, "N° candidat")?;
        for (c, code) in CRITERIA.iter().enumerate() {
            sheet.write_string(2, c as u16 + 1, *code)?;
        }
        let mut row = 3;
        for (i, profile) in profiles.iter().enumerate() {
            if *profile == Profile::NonRecevable {
                continue;
            }
            sheet.write_string(row, 0, id(i))?;
            for c in 0..CRITERIA.len() {
                let level = match profile {
                    Profile::Absent => "ABS",
                    Profile::Failed(k) if *k == c => "Non acquis",
                    Profile::Disputed(k) if *k == c && j == 0 => "Non acquis",
                    _ => "Acquis",
                };
                sheet.write_string(row, c as u16 + 1, level)?;
            }
            row += 1;
        }
        let file = juror.to_lowercase().replace(' ', "-");
        wb.save(grids.join(format!("grille-{file}.xlsx")))?;
    }

    let mut wb = workbook()?;
    let sheet = wb.add_worksheet();
    sheet.set_name("Délibération")?;
    for (c, h) in ["N° candidat", "Compétence", "Décision", "Motif"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h)?;
    }
    let mut row = 1;
    for (i, profile) in profiles.iter().enumerate() {
        if let (Profile::Disputed(k), true) = (profile, args.jurors > 1) {
            sheet.write_string(row, 0, id(i))?;
            sheet.write_string(row, 1, COMPETENCY[*k])?;
            sheet.write_string(row, 2, "Validé")?;
            sheet.write_string(row, 3, "Le jury retient la compétence après échange.")?;
            row += 1;
        }
    }
    wb.save(args.out.join("deliberation.xlsx"))?;
    Ok(())
}

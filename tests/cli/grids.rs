//! `jury grids` end to end: blank grids written from a copy of the sample session, filled as
//! a juror would, and read back by `jury check` and `jury run`.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use calamine::Data;

use crate::common::{cell_text as text, sheet_cells, sheet_rows, write_text_rows, zip_part};
use crate::sample::{candidate, manifest, Work};

const ODS_FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/grids/grille-paul-durand.ods"
);
const JURORS: [(&str, &str); 3] = [
    ("Claire Martin", "grille-claire-martin.xlsx"),
    ("Paul Durand", "grille-paul-durand.xlsx"),
    ("Sophie Bernard", "grille-sophie-bernard.xlsx"),
];
const NON_RECEVABLE: u32 = 2026024;
const CHECK_JSON: [&str; 4] = ["check", "session", "--format", "json"];

/// A copy of the sample session without its grids and results.
fn without_grids() -> Work {
    Work::new().without("grilles")
}

/// A grid of the copy: `session/grilles/<file>`.
fn grid(work: &Work, file: &str) -> PathBuf {
    work.session().join("grilles").join(file)
}

/// Runs `jury grids session` and expects success.
fn grids(work: &Work) {
    work.ok(&["grids", "session"]);
}

/// The `Grille` sheet as a dense table from A1, every cell with its calamine value.
fn grid_cells(path: &Path) -> Vec<Vec<Data>> {
    sheet_cells(path, "Grille")
}

/// The header row's index: the row whose first cell is « N° candidat ».
fn header_row(cells: &[Vec<Data>]) -> usize {
    cells
        .iter()
        .position(|r| r.first().map(text).as_deref() == Some("N° candidat"))
        .expect("a header row")
}

/// The candidate ids listed in a grid, in order.
fn ids(path: &Path) -> Vec<String> {
    let cells = grid_cells(path);
    cells[header_row(&cells) + 1..]
        .iter()
        .map(|r| {
            assert!(
                matches!(r[0], Data::String(_)),
                "ids are text cells: {:?}",
                r[0]
            );
            text(&r[0])
        })
        .collect()
}

fn range_ids(from: u32, to: u32) -> Vec<String> {
    (from..=to)
        .filter(|&id| id != NON_RECEVABLE)
        .map(|id| id.to_string())
        .collect()
}

/// Fills a grid as a juror would in Excel: every criterion cell of every candidate row
/// gets `level`, and everything else of the file (protection, drop-downs, notes, styles)
/// stays as `jury grids` wrote it.
fn fill(path: &Path, level: &str) {
    let cells = grid_cells(path);
    let header = header_row(&cells);
    let columns: Vec<char> = cells[header]
        .iter()
        .enumerate()
        .filter(|(_, v)| text(v).starts_with("Cr"))
        .map(|(c, _)| char::from(b'A' + u8::try_from(c).unwrap()))
        .collect();
    let mut archive = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let mut xml = String::from_utf8(bytes).unwrap();
            for row in header + 2..=cells.len() {
                for col in &columns {
                    let start = xml
                        .find(&format!("<c r=\"{col}{row}\" "))
                        .unwrap_or_else(|| panic!("cell {col}{row} written blank"));
                    let end = start + xml[start..].find("/>").unwrap();
                    let attrs = xml[start..end].to_string();
                    xml.replace_range(
                        start..end + 2,
                        &format!(r#"{attrs} t="inlineStr"><is><t>{level}</t></is></c>"#),
                    );
                }
            }
            bytes = xml.into_bytes();
        }
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(&bytes).unwrap();
    }
    fs::write(path, writer.finish().unwrap().into_inner()).unwrap();
}

#[test]
fn each_juror_gets_the_candidates_of_their_sub_jury() {
    let work = without_grids();
    let out = work.jury(&["grids", "session"]);
    assert_eq!(out.status, Some(0), "{out}");
    let stdout = &out.stdout;
    assert!(
        stdout.contains("grille-paul-durand.xlsx — Paul Durand (13 candidats)"),
        "{stdout}"
    );
    let mut files: Vec<String> = fs::read_dir(work.session().join("grilles"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, JURORS.map(|(_, f)| f.to_string()));
    assert_eq!(ids(&grid(&work, JURORS[1].1)), range_ids(2026001, 2026013));
    assert_eq!(ids(&grid(&work, JURORS[2].1)), range_ids(2026014, 2026025));
    assert_eq!(ids(&grid(&work, JURORS[0].1)), range_ids(2026001, 2026025));
    for (name, file) in JURORS {
        let cells = grid_cells(&grid(&work, file));
        let label = cells
            .iter()
            .position(|r| text(&r[0]) == "Évaluateur :")
            .expect("an Évaluateur label");
        assert!(label < header_row(&cells));
        assert_eq!(text(&cells[label][1]), name);
        let header: Vec<String> = cells[header_row(&cells)].iter().map(text).collect();
        assert_eq!(header[..4], ["N° candidat", "Nom", "Prénom", "Cr1.1"]);
        assert_eq!(header.last().map(String::as_str), Some("Observations"));
    }
    let paul = grid_cells(&grid(&work, JURORS[1].1));
    let first = &paul[header_row(&paul) + 1];
    assert_eq!(
        (text(&first[1]), text(&first[2])),
        ("Lefèvre-N'Diaye".into(), "Zoé".into())
    );
}

#[test]
fn filled_grids_pass_check_and_run_certifies_everyone_present() {
    let work = without_grids();
    grids(&work);
    let (status, report) = work.jury_json(&CHECK_JSON);
    assert_eq!(
        status,
        Some(1),
        "blank grids are not a decidable session: {report}"
    );
    let codes: Vec<&str> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.iter().all(|c| *c == "insufficient-grids"),
        "{codes:?}"
    );

    for (_, file) in JURORS {
        fill(&grid(&work, file), "Acquis");
    }
    let (status, report) = work.jury_json(&CHECK_JSON);
    assert_eq!(status, Some(0), "{report:#}");
    assert_eq!(report["ok"], true);
    assert_eq!(report["summary"]["grids"], 3);

    let out = work.jury(&["run", "session", "--out", "resultats"]);
    assert_eq!(out.status, Some(0), "{out}");
    let manifest = manifest(&work.path("resultats"));
    assert_eq!(
        manifest["counts"]["certified"], 24,
        "{:#}",
        manifest["counts"]
    );
    assert_eq!(manifest["counts"]["non_recevable"], 1);
}

#[test]
fn level_cells_have_a_drop_down_and_everything_else_is_protected() {
    let work = without_grids();
    grids(&work);
    let path = grid(&work, "grille-paul-durand.xlsx");
    let sheet = zip_part(fs::read(&path).unwrap(), "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<sheetProtection"), "{sheet}");
    assert!(!sheet.contains("password"), "no password");
    let validation = sheet
        .split("<dataValidation ")
        .nth(1)
        .expect("a data validation");
    assert!(validation.contains(r#"type="list""#), "{validation}");
    // 13 candidates from row 9, criteria Cr1.1 (D) to Cr6.2 (O).
    assert!(validation.contains(r#"sqref="D9:O21""#), "{validation}");
    assert!(
        validation.contains("<formula1>&quot;Non acquis,Acquis,ABS&quot;</formula1>")
            || validation.contains(r#"<formula1>"Non acquis,Acquis,ABS"</formula1>"#),
        "{validation}"
    );
    assert!(validation.contains("promptTitle=") && validation.contains("errorTitle="));

    let styles = zip_part(fs::read(&path).unwrap(), "xl/styles.xml");
    let xfs: Vec<&str> = styles
        .split("<cellXfs")
        .nth(1)
        .unwrap()
        .split("</cellXfs>")
        .next()
        .unwrap()
        .split("<xf ")
        .skip(1)
        .collect();
    let locked = |cell: &str| {
        let at = sheet
            .find(&format!(r#"<c r="{cell}""#))
            .unwrap_or_else(|| panic!("cell {cell} written"));
        let attrs = &sheet[at..at + sheet[at..].find('>').unwrap()];
        let style: usize = attrs
            .split(r#"s=""#)
            .nth(1)
            .map_or(0, |s| s.split('"').next().unwrap().parse().unwrap());
        !xfs[style].contains(r#"locked="0""#)
    };
    assert!(!locked("D9"), "a level cell is unlocked");
    assert!(!locked("O21"), "the last level cell is unlocked");
    assert!(!locked("P9"), "the Observations cell is unlocked");
    assert!(locked("A9"), "the id is locked");
    assert!(locked("B9"), "the name is locked");
    assert!(locked("D8"), "the header is locked");
}

#[test]
fn an_existing_grid_is_never_replaced_without_force() {
    let work = without_grids();
    grids(&work);
    let paul = grid(&work, "grille-paul-durand.xlsx");
    let sophie = grid(&work, "grille-sophie-bernard.xlsx");
    fill(&paul, "Acquis");
    let filled = fs::read(&paul).unwrap();
    fs::remove_file(&sophie).unwrap();

    let out = work.jury(&["grids", "session"]);
    assert_eq!(out.status, Some(2), "{out}");
    let stderr = &out.stderr;
    assert!(stderr.contains("grille-paul-durand.xlsx"), "{stderr}");
    assert!(stderr.contains("grille-claire-martin.xlsx"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(
        fs::read(&paul).unwrap(),
        filled,
        "the filled grid is untouched"
    );
    assert!(!sophie.exists(), "nothing is written when one file exists");

    let out = work.jury(&["grids", "session", "--force"]);
    assert_eq!(out.status, Some(0), "{out}");
    assert_ne!(fs::read(&paul).unwrap(), filled, "--force replaces it");
    assert!(ids(&paul).len() == 13 && sophie.exists());
    let leftovers: Vec<_> = fs::read_dir(work.session().join("grilles"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn out_folder_is_created_and_bytes_are_reproducible() {
    let work = without_grids();
    for out in ["a/b", "c"] {
        let res = work.jury(&["grids", "session", "--out", out]);
        assert_eq!(res.status, Some(0), "{res}");
    }
    for (_, file) in JURORS {
        let a = fs::read(work.path("a/b").join(file)).unwrap();
        let b = fs::read(work.path("c").join(file)).unwrap();
        assert_eq!(a, b, "{file}");
    }
    assert!(!work.session().join("grilles").exists());
}

#[test]
fn two_jurors_with_the_same_file_name_are_refused() {
    let work = without_grids();
    let toml = work.session().join("session.toml");
    let text = fs::read_to_string(&toml).unwrap();
    fs::write(&toml, text.replace("Sophie Bernard", "Paul.Durand")).unwrap();
    let out = work.jury(&["grids", "session"]);
    assert_eq!(out.status, Some(2), "{out}");
    let stderr = &out.stderr;
    assert!(
        stderr.contains("« Paul Durand » et « Paul.Durand »"),
        "{stderr}"
    );
    assert!(!work.session().join("grilles").exists());
}

#[test]
fn a_candidate_in_no_grid_or_an_unreadable_candidates_file_writes_nothing() {
    let work = without_grids();
    let toml = work.session().join("session.toml");
    let text = fs::read_to_string(&toml).unwrap();
    fs::write(
        &toml,
        text.replace("groups = [\"B\"]", "")
            .replace("\"A\", \"B\"", "\"A\""),
    )
    .unwrap();
    let out = work.jury(&["grids", "session"]);
    assert_eq!(out.status, Some(2), "{out}");
    let stderr = &out.stderr;
    assert!(
        stderr.contains("« B »") && stderr.contains("2026025"),
        "{stderr}"
    );
    assert!(!work.session().join("grilles").exists());

    fs::write(&toml, text).unwrap();
    fs::remove_file(work.session().join("candidats.xlsx")).unwrap();
    let out = work.jury(&["grids", "session"]);
    assert_eq!(out.status, Some(2), "{out}");
    assert!(out.stderr.contains("unreadable-workbook"));
    assert!(!work.session().join("grilles").exists());
}

/// The late candidate of the `--missing` tests: sub-jury A (Claire Martin, Paul Durand).
const LATE: &str = "2026026";

/// Adds [`LATE`] to the candidates file: a copy of 2026001's row (sub-jury A, every CPF
/// field filled) under another id and name, every cell as text.
fn add_late_candidate(work: &Work) {
    let path = work.session().join("candidats.xlsx");
    let mut rows = sheet_rows(&path, "Candidats");
    let header = rows
        .iter()
        .position(|r| r.first().is_some_and(|c| c == "N° candidat"))
        .expect("a header row");
    let column = |name: &str| {
        rows[header]
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let (last, first) = (column("Nom"), column("Prénom"));
    let mut late = rows
        .iter()
        .find(|r| r[0] == "2026001")
        .expect("candidate 2026001")
        .clone();
    late[0] = LATE.to_string();
    late[last] = "Retardataire".to_string();
    late[first] = "Camille".to_string();
    rows.push(late);
    write_text_rows(&path, "Candidats", &rows);
}

/// The names of the files of `grilles/`, sorted.
fn grid_files(work: &Work) -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir(work.session().join("grilles"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

#[test]
fn missing_writes_a_complement_listing_only_the_late_candidate_and_run_decides_them() {
    let work = without_grids();
    grids(&work);
    for (_, file) in JURORS {
        fill(&grid(&work, file), "Acquis");
    }
    let filled: Vec<Vec<u8>> = JURORS
        .iter()
        .map(|(_, f)| fs::read(grid(&work, f)).unwrap())
        .collect();
    add_late_candidate(&work);

    let out = work.ok(&["grids", "session", "--missing"]);
    for line in [
        "Sophie Bernard : aucun candidat manquant",
        "grille-claire-martin-complement.xlsx — Claire Martin (1 candidat)",
        "grille-paul-durand-complement.xlsx — Paul Durand (1 candidat)",
    ] {
        assert!(out.stdout.contains(line), "{line}\n{out}");
    }
    for ((_, file), bytes) in JURORS.iter().zip(&filled) {
        assert_eq!(
            &fs::read(grid(&work, file)).unwrap(),
            bytes,
            "{file} is untouched"
        );
    }
    let mut expected: Vec<String> = JURORS.map(|(_, f)| f.to_string()).to_vec();
    expected.extend([
        "grille-claire-martin-complement.xlsx".to_string(),
        "grille-paul-durand-complement.xlsx".to_string(),
    ]);
    expected.sort();
    assert_eq!(grid_files(&work), expected);
    let complements = [
        "grille-claire-martin-complement.xlsx",
        "grille-paul-durand-complement.xlsx",
    ];
    for file in complements {
        assert_eq!(ids(&grid(&work, file)), [LATE], "{file}");
        let cells = grid_cells(&grid(&work, file));
        assert_eq!(text(&cells[0][0]), "Grille d'évaluation complémentaire");
    }

    // Until the complements are filled, the late candidate is the only gap.
    let (status, report) = work.jury_json(&CHECK_JSON);
    assert_eq!(status, Some(1), "{report:#}");
    let errors: Vec<(&str, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap(),
                f["candidate"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(errors, [("insufficient-grids", LATE)], "{report:#}");

    for file in complements {
        fill(&grid(&work, file), "Acquis");
    }
    let (status, report) = work.jury_json(&CHECK_JSON);
    assert_eq!(status, Some(0), "{report:#}");
    assert_eq!(
        report["summary"]["grids"], 3,
        "one grid per juror, in two files"
    );
    let out = work.jury(&["run", "session", "--out", "resultats"]);
    assert_eq!(out.status, Some(0), "{out}");
    let manifest = manifest(&work.path("resultats"));
    assert_eq!(candidate(&manifest, LATE)["decision"], "certified");
    assert_eq!(
        manifest["counts"]["certified"], 25,
        "{:#}",
        manifest["counts"]
    );

    // Nobody lacks anyone now: nothing more is written.
    let out = work.ok(&["grids", "session", "--missing"]);
    assert!(out.stdout.contains("Aucune grille à écrire"), "{out}");
    assert_eq!(grid_files(&work), expected);
}

#[test]
fn missing_never_reuses_a_name_and_refuses_force() {
    let work = without_grids();
    grids(&work);
    add_late_candidate(&work);
    // A workbook of notes that holds no grid takes the first complement's name.
    let taken = grid(&work, "grille-paul-durand-complement.xlsx");
    write_text_rows(&taken, "Notes", &[vec!["Notes du secrétariat".to_string()]]);
    let notes = fs::read(&taken).unwrap();
    let out = work.ok(&["grids", "session", "--missing"]);
    assert!(
        out.stdout
            .contains("grille-paul-durand-complement-2.xlsx — Paul Durand (1 candidat)"),
        "{out}"
    );
    assert_eq!(fs::read(&taken).unwrap(), notes);
    assert_eq!(
        ids(&grid(&work, "grille-paul-durand-complement-2.xlsx")),
        [LATE]
    );

    let out = work.jury(&["grids", "session", "--missing", "--force"]);
    assert_eq!(out.status, Some(2), "{out}");
}

#[test]
fn missing_without_any_grid_writes_the_full_grids_and_an_unreadable_grid_stops_it() {
    let work = without_grids();
    let out = work.ok(&["grids", "session", "--missing"]);
    assert!(
        out.stdout.contains("Aucune grille n'existe encore"),
        "{out}"
    );
    assert_eq!(grid_files(&work), JURORS.map(|(_, f)| f.to_string()));
    assert_eq!(ids(&grid(&work, JURORS[1].1)), range_ids(2026001, 2026013));

    add_late_candidate(&work);
    let broken = grid(&work, "grille-sophie-bernard.xlsx");
    fs::write(&broken, b"PK\x03\x04 cut short").unwrap();
    let out = work.jury(&["grids", "session", "--missing"]);
    assert_eq!(out.status, Some(2), "{out}");
    assert!(out.stderr.contains("grille-sophie-bernard.xlsx"), "{out}");
    assert!(
        out.stderr.contains("Aucune grille n'a été écrite."),
        "{out}"
    );
    assert_eq!(grid_files(&work).len(), 3, "nothing written");
}

#[test]
fn missing_refuses_a_grid_whose_juror_is_not_a_member() {
    let work = without_grids();
    grids(&work);
    add_late_candidate(&work);
    let stray = grid(&work, "grille-claire.xlsx");
    let line = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    write_text_rows(
        &stray,
        "Grille",
        &[
            line(&["Évaluateur :", "Claire Martine"]),
            line(&["N° candidat", "Cr1.1"]),
            line(&["2026001", "Acquis"]),
        ],
    );
    let out = work.jury(&["grids", "session", "--missing"]);
    assert_eq!(out.status, Some(2), "{out}");
    assert!(out.stderr.contains("« Claire Martine »"), "{out}");
    assert!(
        out.stderr.contains("Vouliez-vous dire « Claire Martin » ?"),
        "{out}"
    );
    assert_eq!(grid_files(&work).len(), 4, "nothing written\n{out}");
}

/// A grid saved by LibreOffice as `.ods` still reads back. The fixture is made by
/// `tests/fixtures/grids/make.sh` (LibreOffice is not available in CI).
#[test]
fn a_grid_converted_to_ods_by_libreoffice_passes_check() {
    let work = without_grids();
    grids(&work);
    for (_, file) in JURORS {
        fill(&grid(&work, file), "Acquis");
    }
    fs::remove_file(grid(&work, "grille-paul-durand.xlsx")).unwrap();
    fs::copy(ODS_FIXTURE, grid(&work, "grille-paul-durand.ods")).unwrap();
    let (status, report) = work.jury_json(&CHECK_JSON);
    assert_eq!(status, Some(0), "{report:#}");
    assert_eq!(report["summary"]["grids"], 3);
    assert_eq!(
        ids(&grid(&work, "grille-paul-durand.ods")),
        range_ids(2026001, 2026013)
    );

    let content = zip_part(fs::read(ODS_FIXTURE).unwrap(), "content.xml");
    assert!(
        content.contains("<table:content-validation "),
        "the drop-down survives"
    );
    assert!(
        content.contains(r#"table:protected="true""#),
        "the protection survives"
    );
}

/// Writes Paul Durand's grid filled with « Acquis » into `$GRIDS_FIXTURE_DIR`, for
/// `tests/fixtures/grids/make.sh` to convert to `.ods` with LibreOffice.
#[test]
#[ignore = "run by tests/fixtures/grids/make.sh"]
fn make_filled_grid_fixture() {
    let dir = PathBuf::from(std::env::var("GRIDS_FIXTURE_DIR").unwrap());
    let work = without_grids();
    grids(&work);
    let paul = grid(&work, "grille-paul-durand.xlsx");
    fill(&paul, "Acquis");
    fs::create_dir_all(&dir).unwrap();
    fs::copy(&paul, dir.join("grille-paul-durand.xlsx")).unwrap();
}

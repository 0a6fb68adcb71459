//! `jury init` end to end: a new session folder filled in as a secretary would (session.toml
//! edited as text, candidats.xlsx filled under the headers jury wrote, the grids of
//! `jury grids` filled by the jurors), then checked, decided and declared; the folder as
//! `jury check` sees it before anything is filled in; and what `jury init` refuses.

use std::fs;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use tempfile::TempDir;

use crate::common::{check_json, jury_in, sheet_rows, write_text_rows, zip_part, Report};

const PLACEHOLDER: &str = "À compléter";

/// A temporary folder where `jury` runs; the session is `session/` inside it.
struct Desk {
    dir: TempDir,
}

impl Desk {
    fn new() -> Desk {
        Desk {
            dir: TempDir::new().expect("a temporary folder"),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn session(&self) -> PathBuf {
        self.root().join("session")
    }

    fn jury(&self, args: &[&str]) -> Report {
        jury_in(self.root(), args, &[])
    }

    #[track_caller]
    fn ok(&self, args: &[&str]) -> Report {
        let out = self.jury(args);
        assert_eq!(out.status, Some(0), "{out}");
        out
    }

    /// `jury init session <args…>`, which must succeed.
    #[track_caller]
    fn init(&self, args: &[&str]) -> Report {
        let mut all = vec!["init", "session"];
        all.extend_from_slice(args);
        self.ok(&all)
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.session().join(rel)).expect("a text file")
    }

    fn write(&self, rel: &str, text: &str) {
        fs::write(self.session().join(rel), text).expect("file written");
    }
}

/// Replaces the first line equal to `from` (after an optional `# `) with `to`.
fn set_line(text: &str, from: &str, to: &str) -> String {
    let mut done = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            if !done && line.trim_start_matches("# ") == from {
                done = true;
                to.to_string()
            } else {
                line.to_string()
            }
        })
        .collect();
    assert!(done, "no line « {from} » in\n{text}");
    lines.join("\n") + "\n"
}

/// session.toml as a secretary completes it: every placeholder replaced, `[cpf]` turned on.
fn complete(text: &str) -> String {
    let q = |v: &str| format!("\"{v}\"");
    let p = q(PLACEHOLDER);
    let mut text = text.to_string();
    if text.contains(&format!("\ndate = {p}\n")) {
        text = set_line(&text, &format!("date = {p}"), "date = 2027-03-18");
    }
    for (key, value) in [
        ("place", q("Lyon")),
        ("certifier", q("Institut de test")),
        ("code", q("RS5286")),
        ("registration", q("Enregistrée au Répertoire spécifique par décision de France Compétences du 27/11/2025")),
        ("name", q("Claire Martin")),
        ("role", q("Présidente du jury")),
        ("name", q("Paul Durand")),
        ("role", q("Professionnel du secteur")),
    ] {
        text = set_line(&text, &format!("{key} = {p}"), &format!("{key} = {value}"));
    }
    text = set_line(&text, "[cpf]", "[cpf]");
    text = set_line(
        &text,
        &format!("id_client = {p}"),
        "id_client = \"09LMN426\"",
    );
    set_line(
        &text,
        &format!("id_contrat = {p}"),
        "id_contrat = \"MCFCER000999\"",
    )
}

/// The candidates: by header, as a secretary types them.
const PEOPLE: [&[(&str, &str)]; 3] = [
    &[
        ("N° candidat", "2027001"),
        ("Nom", "Durand"),
        ("Prénom", "Alice"),
        ("Lieu de naissance", "Lyon"),
        ("Code INSEE de naissance", "69123"),
        ("Pays de naissance", "France"),
        ("Sexe", "F"),
        ("Prérequis", "Oui"),
        ("Modalité d'accès", "Formation continue"),
        ("Email", "alice.durand@exemple.fr"),
    ],
    &[
        ("N° candidat", "2027002"),
        ("Nom", "Nguyen"),
        ("Prénom", "Thị Hương"),
        ("Nom d'usage", "Petit"),
        ("Date de naissance", "03/07/1988"),
        ("Lieu de naissance", "Varsovie"),
        ("Pays de naissance", "Pologne (99122)"),
        ("Sexe", "F"),
        ("Prérequis", "Oui"),
        ("Aménagement", "Temps majoré"),
        ("Modalité d'accès", "VAE"),
    ],
    &[
        ("N° candidat", "2027003"),
        ("Nom", "Bernard"),
        ("Prénom", "Louis"),
        ("Date de naissance", "21/01/1979"),
        ("Sexe", "M"),
        ("Prérequis", "Non"),
    ],
];

/// Rewrites candidats.xlsx with the header row jury wrote and one row per person (the
/// example row gone); 2027001's birth date is a real date cell.
fn fill_candidates(path: &Path) {
    let header = sheet_rows(path, "Candidats").remove(0);
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Candidats").unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (r, person) in PEOPLE.iter().enumerate() {
        let row = r as u32 + 1;
        for (h, value) in *person {
            let c = header
                .iter()
                .position(|x| x == h)
                .unwrap_or_else(|| panic!("jury init wrote no « {h} » column: {header:?}"));
            ws.write_string(row, c as u16, *value).unwrap();
        }
    }
    let c = header
        .iter()
        .position(|x| x == "Date de naissance")
        .unwrap();
    let date = ExcelDateTime::from_ymd(1990, 5, 12).unwrap();
    ws.write_datetime_with_format(
        1,
        c as u16,
        date,
        &Format::new().set_num_format("dd/mm/yyyy"),
    )
    .unwrap();
    book.save(path).unwrap();
}

/// A grid of `jury grids` as its juror returns it: every criterion cell « Acquis ».
fn fill_grid(path: &Path) {
    let mut rows = sheet_rows(path, "Grille");
    let header = rows
        .iter()
        .position(|r| r.first().is_some_and(|c| c == "N° candidat"))
        .expect("a header row");
    let criteria: Vec<usize> = (0..rows[header].len())
        .filter(|&c| rows[header][c].starts_with("Cr"))
        .collect();
    assert_eq!(criteria.len(), 12, "{:?}", rows[header]);
    for row in &mut rows[header + 1..] {
        for &c in &criteria {
            row[c] = "Acquis".into();
        }
    }
    write_text_rows(path, "Grille", &rows);
}

#[test]
fn a_secretary_goes_from_init_to_certificates_and_the_cpf_declaration() {
    let desk = Desk::new();
    desk.init(&["--id", "CM-2027-03"]);
    desk.write("session.toml", &complete(&desk.read("session.toml")));
    fill_candidates(&desk.session().join("candidats.xlsx"));
    let out = desk.ok(&["grids", "session"]);
    assert!(out.stdout.contains("(2 candidats)"), "{out}");
    for juror in ["claire-martin", "paul-durand"] {
        fill_grid(&desk.session().join(format!("grilles/grille-{juror}.xlsx")));
    }

    let check = check_json(&desk.session());
    assert_eq!(check.status, Some(0), "{check}");
    // Every header jury wrote is read as its field: no warning at all, so none about a column.
    assert_eq!(check.warnings(), [], "{check}");
    check.assert_outcomes([2, 0, 0, 1, 0]);

    desk.ok(&["run", "session"]);
    let results = desk.session().join("resultats");
    for id in ["2027001", "2027002"] {
        let pdf = results.join(format!("certificats/CM-2027-03-{id}.pdf"));
        assert!(pdf.is_file(), "no certificate {}", pdf.display());
    }
    assert!(!results.join("certificats/CM-2027-03-2027003.pdf").exists());
    desk.ok(&["audit", "session/resultats"]);

    desk.ok(&["cpf", "session/resultats"]);
    let xml: String = fs::read_dir(results.join("cpf"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .map(|p| fs::read_to_string(p).unwrap())
        .collect();
    for expected in [
        "<code>RS5286</code>",
        "<nomUsage>Petit</nomUsage>",
        "<codeInsee>69123</codeInsee>",
        "<codePaysNaissance>122</codePaysNaissance>",
        "<modaliteAcces>VAE</modaliteAcces>",
        "<modaliteAcces>FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION</modaliteAcces>",
        "<sexe>F</sexe>",
    ] {
        assert!(xml.contains(expected), "no {expected} in\n{xml}");
    }
}

#[test]
fn check_on_the_untouched_folder_points_at_the_lines_still_to_fill_in() {
    let desk = Desk::new();
    desk.init(&[]);
    let text = desk.read("session.toml");
    let lines: Vec<&str> = text.lines().collect();
    let check = check_json(&desk.session());
    assert!(matches!(check.status, Some(1 | 2)), "{check}");
    let errors: Vec<_> = check.findings().into_iter().filter(|f| f.error).collect();
    let in_toml: Vec<_> = errors.iter().filter(|f| f.file == "session.toml").collect();
    assert!(!in_toml.is_empty(), "{check}");
    for f in &in_toml {
        let line = f.line.unwrap_or_else(|| panic!("no line: {f:?}\n{check}")) as usize;
        let shown = lines[line - 1];
        assert!(
            !shown.trim_start().starts_with('#') && shown.contains(PLACEHOLDER),
            "line {line} « {shown} » is not a placeholder: {f:?}\n{check}"
        );
    }
    for f in &errors {
        for english in ["expected", "invalid", "found", "missing", "unknown"] {
            assert!(!f.message.contains(english), "{f:?}");
        }
    }
    let text_report = desk.jury(&["check", "session"]);
    assert_eq!(text_report.status, check.status, "{text_report}");
    assert!(text_report.stdout.contains("erreur"), "{text_report}");
}

#[test]
fn the_example_row_left_in_the_candidates_is_an_error_at_its_cell() {
    let desk = Desk::new();
    desk.init(&["--id", "CM-2027-03", "--date", "2027-03-18"]);
    desk.write("session.toml", &complete(&desk.read("session.toml")));
    let check = check_json(&desk.session());
    check.assert(
        1,
        &[
            // The made-up candidate is no candidate: one finding, no grid asked for it.
            ("example-row", "candidats.xlsx", "Candidats", "A2"),
            ("no-grid", "grilles", "", ""),
        ],
    );
    let example = check.one("example-row");
    assert!(example.message.contains("ligne 2"), "{check}");
    assert_eq!(example.candidate, "EXEMPLE");
}

#[test]
fn the_candidates_workbook_has_notes_lists_text_ids_and_french_dates() {
    let desk = Desk::new();
    desk.init(&[]);
    let path = desk.session().join("candidats.xlsx");
    let rows = sheet_rows(&path, "Candidats");
    assert_eq!(
        rows[0],
        [
            "N° candidat",
            "Nom",
            "Prénom",
            "Nom d'usage",
            "Date de naissance",
            "Lieu de naissance",
            "Code INSEE de naissance",
            "Code postal de naissance",
            "Pays de naissance",
            "Sexe",
            "Prérequis",
            "Aménagement",
            "Modalité d'accès",
            "Email",
            "Jury",
        ]
    );
    assert_eq!(rows[1][0], "EXEMPLE");
    assert_eq!(rows[1][4], "14/05/1990", "a real date cell");
    let bytes = fs::read(&path).unwrap();
    let sheet = zip_part(&bytes, "xl/worksheets/sheet1.xml");
    for list in ["\"F,M\"", "\"Oui,Non\"", "Formation continue"] {
        assert!(sheet.contains(list), "no drop-down {list}:\n{sheet}");
    }
    assert!(sheet.contains("state=\"frozen\""), "{sheet}");
    let notes = zip_part(&bytes, "xl/comments1.xml");
    assert_eq!(
        notes.matches("<comment ").count(),
        rows[0].len() + 1,
        "{notes}"
    );
    assert!(notes.contains("JJ/MM/AAAA"), "{notes}");
    let styles = zip_part(&bytes, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"dd/mm/yyyy\""), "{styles}");
    assert!(sheet.contains("<col min=\"1\" max=\"1\""), "{sheet}");
    assert!(
        sheet_rows(&path, "Aide")
            .iter()
            .flatten()
            .any(|c| c.contains("supprimez-la")),
        "no help sheet"
    );
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let (a, b) = (Desk::new(), Desk::new());
    for desk in [&a, &b] {
        desk.init(&["--id", "CM-2027-03", "--date", "2027-03-18"]);
    }
    for rel in ["session.toml", "candidats.xlsx", "LISEZMOI.txt"] {
        let read = |d: &Desk| fs::read(d.session().join(rel)).unwrap();
        assert_eq!(read(&a), read(&b), "{rel} differs");
    }
    assert!(a.session().join("grilles").is_dir());
    assert_eq!(
        fs::read_dir(a.session().join("grilles")).unwrap().count(),
        0
    );
    let readme = a.read("LISEZMOI.txt");
    for command in [
        "jury check session\n",
        "jury grids session\n",
        "jury run session\n",
        "jury cpf session/resultats\n",
        "jury audit session/resultats\n",
    ] {
        assert!(readme.contains(command), "no « {command} » in\n{readme}");
    }
}

#[test]
fn a_folder_that_is_not_empty_is_refused_and_left_as_it_was() {
    let desk = Desk::new();
    fs::create_dir(desk.session()).unwrap();
    fs::write(desk.session().join("notes.txt"), "à garder").unwrap();
    let out = desk.jury(&["init", "session"]);
    assert_eq!(out.status, Some(2), "{out}");
    assert!(out.stderr.contains("n'est pas vide"), "{out}");
    assert!(out.stderr.contains("Rien n'a été écrit"), "{out}");
    let names: Vec<_> = fs::read_dir(desk.session())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["notes.txt"]);
    assert_eq!(desk.read("notes.txt"), "à garder");
    // Nothing was left beside it either.
    let beside: Vec<_> = fs::read_dir(desk.root()).unwrap().collect();
    assert_eq!(beside.len(), 1, "{out}");

    // An existing folder holding only what a file manager puts there is used as it is.
    fs::remove_file(desk.session().join("notes.txt")).unwrap();
    fs::write(desk.session().join(".DS_Store"), "").unwrap();
    desk.init(&[]);
    let mut names: Vec<_> = fs::read_dir(desk.session())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".DS_Store",
            "LISEZMOI.txt",
            "candidats.xlsx",
            "grilles",
            "session.toml"
        ]
    );
}

#[test]
fn bad_options_are_refused_in_french_and_nothing_is_written() {
    let desk = Desk::new();
    let bad = desk.root().join("bad.toml");
    fs::write(&bad, "code = \"RS1\"\ntitle = 3\n").unwrap();
    let bad = bad.display().to_string();
    for (args, says) in [
        (vec!["--id", "../x"], "identifiant de session « ../x »"),
        (vec!["--date", "2027-02-30"], "AAAA-MM-JJ"),
        (
            vec!["--referential", "inconnu"],
            "ni un fichier.\n      → Donnez le nom d'un référentiel intégré, ou le chemin d'un fichier .toml qui existe.",
        ),
        (vec!["--referential", &bad], "ligne 2"),
    ] {
        let mut all = vec!["init", "session"];
        all.extend(args);
        let out = desk.jury(&all);
        assert_eq!(out.status, Some(2), "{out}");
        assert!(out.stderr.contains(says), "{out}");
        assert!(!desk.session().exists(), "{out}");
    }
}

#[test]
fn a_file_in_the_way_and_a_zero_jobs_say_what_to_do_in_french() {
    let desk = Desk::new();
    fs::write(desk.session(), "notes").unwrap();
    let out = desk.jury(&["init", "session"]);
    assert_eq!(out.status, Some(2), "{out}");
    assert!(
        out.stderr.contains("existe et n'est pas un dossier.\n      → Choisissez un autre nom de dossier pour la session."),
        "{out}"
    );
    assert_eq!(fs::read_to_string(desk.session()).unwrap(), "notes");
    let out = desk.jury(&["--jobs", "0", "init", "autre"]);
    assert_eq!(out.status, Some(2), "{out}");
    assert_eq!(
        out.stderr,
        "Erreur : --jobs attend le nombre de tâches à mener en parallèle, un nombre entier d'au moins 1 (par exemple --jobs 4).\n"
    );
}

#[test]
fn a_referential_file_is_copied_into_the_folder_and_named_in_session_toml() {
    let desk = Desk::new();
    let source = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/templates/referentials/community-management.toml"
    );
    desk.init(&["--referential", source, "--id", "CM-2027-03"]);
    assert_eq!(
        fs::read(desk.session().join("referentiel.toml")).unwrap(),
        fs::read(source).unwrap()
    );
    let text = desk.read("session.toml");
    assert!(
        text.contains("\nreferential = \"referentiel.toml\"\n"),
        "{text}"
    );
    desk.write("session.toml", &complete(&text));
    let check = check_json(&desk.session());
    // The referential is read from the copy: the session is checked down to its files.
    assert!(
        check.codes().contains(&"example-row".to_string()),
        "{check}"
    );
}

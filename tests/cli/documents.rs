//! The PDF documents of `jury run`, read back with qpdf and poppler (`pdffonts`,
//! `pdftotext`, `pdfinfo`, `pdfimages`): certificates, statements and minutes.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rust_xlsxwriter::Workbook;

use crate::common::tool;
use crate::sample::{candidate, manifest, Work, REGISTRATION};

/// A copy of the sample session, with a registration mention.
fn sample() -> Work {
    Work::new().with_registration()
}

/// A generated session of `n` candidates graded by two jurors.
fn generated(n: usize, name: impl Fn(usize) -> (String, String)) -> Work {
    let w = Work::empty();
    write_session(&w.session(), n, name);
    w
}

/// Runs `jury run …`, which must succeed; the results folder (`--out`, or
/// `session/resultats`).
fn run_ok(w: &Work, args: &[&str]) -> PathBuf {
    w.ok(args);
    match args.iter().position(|a| *a == "--out") {
        Some(i) => w.path(args[i + 1]),
        None => w.results(),
    }
}

/// Runs a PDF tool on `file`, after `args`; its stdout.
fn pdf_tool(program: &str, args: &[&str], file: &Path) -> String {
    let mut all: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    all.push(file.as_os_str());
    tool(program, &all).stdout
}

/// The text of a PDF, by `pdftotext`.
fn text_of(file: &Path) -> String {
    tool("pdftotext", &[file.as_os_str(), OsStr::new("-")]).stdout
}

fn pages(file: &Path) -> usize {
    pdf_tool("pdfinfo", &[], file)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(pdfs(&path));
        } else if path.extension().is_some_and(|e| e == "pdf") {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn every_document_passes_qpdf_and_embeds_only_subset_fonts() {
    let w = sample();
    let results = run_ok(&w, &["run", "session"]);
    let files = pdfs(&results);
    assert_eq!(
        files.len(),
        1 + 1 + 18 + 25,
        "minutes, all certificates, 18 certificates, 25 statements"
    );
    let outputs = manifest(&results)["outputs"].as_array().unwrap().clone();
    for file in &files {
        pdf_tool("qpdf", &["--check"], file);
        let fonts = pdf_tool("pdffonts", &[], file);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{}: no font", file.display());
        for row in rows {
            let name = row.split_whitespace().next().unwrap();
            let plus = name.find('+').unwrap_or(0);
            assert!(
                plus == 6
                    && name[..6].chars().all(|c| c.is_ascii_uppercase())
                    && name.contains("DejaVuSerif"),
                "{}: not a subset font: {row}",
                file.display()
            );
            assert!(
                row.contains(" yes yes yes "),
                "{}: not embedded subset with ToUnicode: {row}",
                file.display()
            );
        }
        let rel = file
            .strip_prefix(&results)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        assert!(
            outputs.iter().any(|o| o["path"] == rel.as_str()),
            "{rel} is not in the manifest"
        );
    }
    for certificate in pdfs(&results.join("certificats")) {
        let size = fs::metadata(&certificate).unwrap().len();
        assert!(size < 60_000, "{} is {size} bytes", certificate.display());
    }
}

#[test]
fn a_certificate_carries_the_holder_title_number_and_every_mention() {
    let w = sample();
    let results = run_ok(&w, &["run", "session"]);
    let m = manifest(&results);
    let code = candidate(&m, "2026001")["verification_code"]
        .as_str()
        .unwrap()
        .to_string();
    let text = text_of(&results.join("certificats/CM-2026-11-2026001.pdf"));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "CERTIFICAT",
        "Zoé LEFÈVRE-N'DIAYE",
        "née le 12 mars 1994 à Dakar (Sénégal)",
        "« Développer son activité avec le community management »",
        "Institut Lumière des Métiers du Numérique",
        "RS0000",
        "NSF : 320",
        "décision du directeur général",
        "27/11/2025",
        "Délivré à Lyon, le 27 novembre 2026",
        "Directrice de la certification",
        "Anne Roux",
        "Certificat n° CM-2026-11-2026001",
        &format!("Code de vérification : {code}"),
        "Compétences certifiées",
        "C6 — Analyser les résultats",
    ] {
        assert!(
            flat.contains(expected),
            "« {expected} » missing from:\n{text}"
        );
    }
    assert!(!code.contains(['0', 'O', '1', 'I']), "{code}");
    let text = text_of(&results.join("certificats/CM-2026-11-2026003.pdf"));
    assert!(text.contains("Thị Hương NGUYỄN"), "{text}");
    let text = text_of(&results.join("certificats/CM-2026-11-2026002.pdf"));
    assert!(text.contains("Łukasz WIŚNIEWSKI"), "{text}");
    let text = text_of(&results.join("certificats.pdf"));
    assert_eq!(pages(&results.join("certificats.pdf")), 18);
    let first = text.find("CM-2026-11-2026001").unwrap();
    let last = text.find("CM-2026-11-2026025").unwrap();
    assert!(first < last, "certificates in candidate order");
}

#[test]
fn statements_and_minutes_read_back() {
    let w = sample();
    let results = run_ok(&w, &["run", "session"]);
    let statement = text_of(&results.join("releves/2026011.pdf"));
    let flat = statement.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Relevé de décision du jury",
        "Théo MOREAU",
        "Décision du jury : Certifié",
        "Cr3.2",
        "Désaccord des jurés",
        "Acquise (délibération)",
        "bonnes pratiques",
        "Claire Martin",
    ] {
        assert!(
            flat.contains(expected),
            "« {expected} » missing from:\n{statement}"
        );
    }
    let partial = text_of(&results.join("releves/2026004.pdf"));
    let flat = partial.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Décision du jury : Non certifiée"),
        "{partial}"
    );
    assert!(
        flat.contains("validation partielle : C2, C3, C4, C5, C6"),
        "{partial}"
    );
    let absent = text_of(&results.join("releves/2026007.pdf"));
    let absent = absent.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(absent.contains("Décision du jury : Absente"), "{absent}");

    let minutes = results.join("pv-jury.pdf");
    let text = text_of(&minutes);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Procès-verbal du jury de certification",
        "Claire Martin",
        "Paul Durand",
        "Sophie Bernard",
        "Présidente du jury",
        "Agrégation des évaluations",
        "Aménagement : Tiers temps",
        "Certification délivrée : 18",
        "Certification non délivrée : 5",
        "Absence à l’évaluation : 1",
        "Candidature non recevable : 1",
        "2026011 — Théo MOREAU — compétence C3",
    ] {
        assert!(
            flat.contains(expected),
            "« {expected} » missing from:\n{text}"
        );
    }
    for i in 1..=25 {
        assert!(
            text.contains(&format!("20260{i:02}")),
            "candidate {i} missing from the minutes"
        );
    }
    let n = pages(&minutes);
    assert!(text.contains(&format!("page {n} / {n}")), "{text}");
}

#[test]
fn a_missing_mention_refuses_the_run() {
    let w = sample();
    let path = w.session().join("session.toml");
    let text = fs::read_to_string(&path).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("registration"))
        .collect();
    fs::write(&path, kept.join("\n")).unwrap();
    let out = w.jury(&["run", "session"]);
    assert_eq!(out.status, Some(1), "{out}");
    let stderr = &out.stderr;
    assert!(stderr.contains("missing-mention"), "{stderr}");
    assert!(
        stderr.contains("registration"),
        "the hint names the key: {stderr}"
    );
    assert!(!w.session().join("resultats").exists());

    // A provisional run prints no certificate, so it needs no mention.
    fs::remove_file(w.session().join("deliberation.xlsx")).unwrap();
    let results = run_ok(&w, &["run", "session", "--provisional"]);
    assert!(!results.join("certificats").exists());
    assert!(!results.join("certificats.pdf").exists());
    for file in ["releves/2026011.pdf", "pv-jury.pdf"] {
        assert!(
            text_of(&results.join(file)).contains("PROVISOIRE"),
            "{file}"
        );
    }
    // No certificate yet: a certified statement does not print an empty number.
    let mut certified = 0;
    for entry in fs::read_dir(results.join("releves")).unwrap() {
        let text = text_of(&entry.unwrap().path());
        assert!(!text.contains("Certificat n° ,"), "{text}");
        certified += usize::from(text.contains(" certifi") && !text.contains("non certifi"));
    }
    assert!(certified > 0, "some statement declares a certification");
}

#[test]
fn a_character_missing_from_the_font_is_a_finding() {
    let w = generated(3, |i| match i {
        2 => ("王".to_string(), "Wei".to_string()),
        _ => (format!("Nom{i}"), "Zoé".to_string()),
    });
    let out = w.jury(&["run", "session"]);
    assert_eq!(out.status, Some(1), "{out}");
    let stderr = &out.stderr;
    assert!(stderr.contains("unsupported-character"), "{stderr}");
    assert!(stderr.contains("« 王 » (U+738B)"), "{stderr}");
    assert!(stderr.contains("le nom du candidat 2027002"), "{stderr}");
    assert!(stderr.contains("candidats.xlsx"), "{stderr}");
    assert!(
        stderr.contains("Candidats!B3"),
        "the cell of the name: {stderr}"
    );
    assert!(!w.session().join("resultats").exists());
    // `check` says the same, at the same cell, before anything is run.
    let checked = w.jury(&["check", "session", "--format", "json"]);
    assert_eq!(checked.status, Some(1), "{checked}");
    let json: serde_json::Value = serde_json::from_str(&checked.stdout).unwrap();
    let found: Vec<(&str, &str)> = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap(),
                f["cell"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(found, [("unsupported-character", "B3")], "{checked}");
}

#[test]
fn reruns_give_identical_documents_whatever_the_thread_count() {
    let w = sample();
    let a = w.path("a");
    let b = w.path("b");
    let out = w.jury_env(
        &["run", "session", "--out", "a"],
        &[("RAYON_NUM_THREADS", "1")],
    );
    assert_eq!(out.status, Some(0), "{out}");
    let out = w.jury_env(
        &["run", "session", "--out", "b"],
        &[("RAYON_NUM_THREADS", "4")],
    );
    assert_eq!(out.status, Some(0), "{out}");
    let files = pdfs(&a);
    assert!(files.len() > 40);
    for file in files {
        let rel = file.strip_prefix(&a).unwrap();
        assert!(
            fs::read(&file).unwrap() == fs::read(b.join(rel)).unwrap(),
            "{} differs",
            rel.display()
        );
    }
    assert_eq!(
        fs::read(a.join("manifest.json")).unwrap(),
        fs::read(b.join("manifest.json")).unwrap()
    );
}

#[test]
fn a_300_candidate_session_lists_everyone_over_more_pages() {
    let small = generated(20, |i| (format!("Martin-{i}"), "Léa".to_string()));
    let results = run_ok(&small, &["run", "session"]);
    let small_pages = pages(&results.join("pv-jury.pdf"));

    let w = generated(300, |i| {
        let last = [
            "Lefèvre-N'Diaye",
            "Wiśniewski",
            "Nguyễn",
            "Dubœuf",
            "Côté",
            "O'Brien",
        ][i % 6];
        (
            format!("{last} {i}"),
            ["Zoé", "Łukasz", "Thị Hương", "Éloïse", "Noémie", "Seán"][i % 6].to_string(),
        )
    });
    let started = Instant::now();
    let results = run_ok(&w, &["run", "session"]);
    eprintln!("300 candidates: jury run took {:?}", started.elapsed());
    let minutes = results.join("pv-jury.pdf");
    pdf_tool("qpdf", &["--check"], &minutes);
    let n = pages(&minutes);
    assert!(
        n > small_pages,
        "{n} pages for 300 candidates, {small_pages} for 20"
    );
    let text = text_of(&minutes);
    for i in 1..=300 {
        assert!(
            text.contains(&format!("{}", 2_027_000 + i)),
            "candidate {i} missing from the minutes"
        );
    }
    assert!(text.contains(&format!("page {n} / {n}")));
    let header_repeats = text.matches("Observations").count();
    assert!(
        header_repeats >= n - 2,
        "the table header is repeated on each page ({header_repeats} for {n} pages)"
    );
    let certificates = pdfs(&results.join("certificats"));
    assert!(certificates.len() > 200);
    let largest = certificates
        .iter()
        .map(|c| fs::metadata(c).unwrap().len())
        .max()
        .unwrap();
    eprintln!("300 candidates: largest certificate {largest} bytes");
    assert!(largest < 60_000, "{largest} bytes");
}

#[test]
fn session_templates_reword_documents_and_add_a_logo() {
    let w = sample();
    let folder = w.session().join("modeles");
    fs::create_dir_all(&folder).unwrap();
    fs::write(
        folder.join("certificat.toml"),
        "[texts]\ntitle = \"ATTESTATION DE RÉUSSITE\"\n\n[logo]\nfile = \"logo.png\"\nheight_mm = 15\n",
    )
    .unwrap();
    fs::write(folder.join("logo.png"), png(40, 20)).unwrap();
    let path = w.session().join("session.toml");
    let text = fs::read_to_string(&path).unwrap().replacen(
        "place = \"Lyon\"\n",
        "place = \"Lyon\"\ntemplates = \"modeles\"\n",
        1,
    );
    fs::write(&path, text).unwrap();
    let results = run_ok(&w, &["run", "session"]);
    let certificate = results.join("certificats/CM-2026-11-2026001.pdf");
    pdf_tool("qpdf", &["--check"], &certificate);
    assert!(text_of(&certificate).contains("ATTESTATION DE RÉUSSITE"));
    let images = pdf_tool("pdfimages", &["-list"], &certificate);
    assert!(
        images.lines().count() >= 3,
        "the logo is an image: {images}"
    );
    assert!(
        images.contains("smask"),
        "its transparency is a soft mask: {images}"
    );
    let inputs = manifest(&results)["inputs"].to_string();
    assert!(
        inputs.contains("modeles/certificat.toml") && inputs.contains("modeles/logo.png"),
        "{inputs}"
    );
    // Statements keep the built-in wording.
    assert!(text_of(&results.join("releves/2026001.pdf")).contains("Relevé de décision du jury"));
}

#[test]
fn an_invalid_template_is_an_error_naming_the_file() {
    for (content, expected) in [
        ("[texts]\ntitel = \"x\"\n", "titel"),
        ("[texts]\ntitle = \"{{ candidat.prenon }}\"\n", "title"),
        ("[texts]\ntitle = \"{% if %}\"\n", "title"),
        ("[page]\nsize = \"B7\"\n", "B7"),
        ("[logo]\nfile = \"absent.png\"\n", "absent.png"),
        ("[texts\n", "ligne 1"),
    ] {
        let w = sample();
        let folder = w.session().join("modeles");
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join("certificat.toml"), content).unwrap();
        let path = w.session().join("session.toml");
        let text = fs::read_to_string(&path).unwrap().replacen(
            "place = \"Lyon\"\n",
            "place = \"Lyon\"\ntemplates = \"modeles\"\n",
            1,
        );
        fs::write(&path, text).unwrap();
        let out = w.jury(&["run", "session"]);
        assert_eq!(out.status, Some(2), "{content}: {out}");
        let stderr = &out.stderr;
        assert!(
            stderr.contains("modeles/certificat.toml"),
            "{content}: {stderr}"
        );
        assert!(stderr.contains(expected), "{content}: {stderr}");
        assert!(!w.session().join("resultats").exists());
    }
}

#[test]
fn long_names_and_titles_stay_on_the_page() {
    let w = generated(2, |i| match i {
        1 => (
            "de La Rochefoucauld-Montmorency-Lefèvre-N'Diaye-Wiśniewski".to_string(),
            "Marie-Christine Anne-Sophie Éléonore Thị Hương".to_string(),
        ),
        _ => ("Roux".to_string(), "Zoé".to_string()),
    });
    let built_in = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/templates/referentials/community-management.toml"
    ))
    .unwrap();
    let long_title = "Concevoir, piloter et évaluer une stratégie de communication numérique responsable et accessible sur les réseaux sociaux professionnels et grand public dans les très petites entreprises";
    let referential = built_in.replacen(
        "title = \"Développer son activité avec le community management\"",
        &format!("title = \"{long_title}\""),
        1,
    );
    assert_ne!(referential, built_in);
    fs::write(w.session().join("ref.toml"), referential).unwrap();
    let path = w.session().join("session.toml");
    let text = fs::read_to_string(&path).unwrap().replacen(
        "referential = \"community-management\"",
        "referential = \"ref.toml\"",
        1,
    );
    fs::write(&path, text).unwrap();
    let results = run_ok(&w, &["run", "session"]);
    for file in pdfs(&results) {
        let bbox = [OsStr::new("-bbox"), file.as_os_str(), OsStr::new("-")];
        let boxes = tool("pdftotext", &bbox).stdout;
        assert!(boxes.contains("<word "), "{}: no word", file.display());
        let mut page = (0.0, 0.0);
        let number = |line: &str, key: &str| -> f32 {
            let start = line.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
            line[start..].split('"').next().unwrap().parse().unwrap()
        };
        for line in boxes.lines() {
            if line.contains("<page ") {
                page = (number(line, "width"), number(line, "height"));
            } else if line.contains("<word ") {
                let (x0, x1) = (number(line, "xMin"), number(line, "xMax"));
                let (y0, y1) = (number(line, "yMin"), number(line, "yMax"));
                let inside = x0 >= 20.0 && x1 <= page.0 - 20.0 && y0 >= 15.0 && y1 <= page.1 - 15.0;
                assert!(
                    inside,
                    "{}: a word leaves the page ({page:?}): {line}",
                    file.display()
                );
            }
        }
    }
    let text = text_of(&results.join("certificats/GEN-2027-2027001.pdf"));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("dans les très petites entreprises »"),
        "{text}"
    );
    assert!(flat.contains("Éléonore"), "{text}");
}

/// Writes a session of `n` candidates (ids 2027001…), graded by two jurors in wide grids
/// laid out like the sample's; every seventh candidate fails C4.
fn write_session(dir: &Path, n: usize, name: impl Fn(usize) -> (String, String)) {
    fs::create_dir_all(dir.join("grilles")).unwrap();
    fs::write(
        dir.join("session.toml"),
        format!(
            r#"[session]
id = "GEN-2027"
referential = "community-management"
date = 2027-03-15
place = "Lyon"
code = "RS0000"
registration = "{REGISTRATION}"
certifier = "Institut Lumière des Métiers du Numérique"
signatory = {{ name = "Anne Roux", role = "Directrice de la certification" }}

[[jury]]
name = "Claire Martin"
role = "Présidente du jury"

[[jury]]
name = "Paul Durand"
role = "Professionnel du secteur"
external = true

[rules]
min_jurors = 2
"#
        ),
    )
    .unwrap();
    let people: Vec<(String, String, String)> = (1..=n)
        .map(|i| {
            let (last, first) = name(i);
            ((2_027_000 + i).to_string(), last, first)
        })
        .collect();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Candidats").unwrap();
    for (c, h) in [
        "N° candidat",
        "Nom",
        "Prénom",
        "Date de naissance",
        "Lieu de naissance",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (id, last, first)) in people.iter().enumerate() {
        let row = r as u32 + 1;
        ws.write_string(row, 0, id).unwrap();
        ws.write_string(row, 1, last).unwrap();
        ws.write_string(row, 2, first).unwrap();
        ws.write_string(
            row,
            3,
            format!("{:02}/{:02}/19{}", r % 28 + 1, r % 12 + 1, 70 + r % 30),
        )
        .unwrap();
        ws.write_string(row, 4, "Saint-Étienne").unwrap();
    }
    wb.save(dir.join("candidats.xlsx")).unwrap();
    let criteria = [
        "Cr1.1", "Cr1.2", "Cr1.3", "Cr1.4", "Cr1.5", "Cr2", "Cr3.1", "Cr3.2", "Cr4", "Cr5",
        "Cr6.1", "Cr6.2",
    ];
    for juror in ["Claire Martin", "Paul Durand"] {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Grille").unwrap();
        ws.write_string(0, 0, "Évaluateur :").unwrap();
        ws.write_string(0, 1, juror).unwrap();
        let mut headers = vec!["N° candidat", "Nom", "Prénom"];
        headers.extend(criteria);
        for (c, h) in headers.iter().enumerate() {
            ws.write_string(2, c as u16, *h).unwrap();
        }
        for (r, (id, last, first)) in people.iter().enumerate() {
            let row = r as u32 + 3;
            ws.write_string(row, 0, id).unwrap();
            ws.write_string(row, 1, last).unwrap();
            ws.write_string(row, 2, first).unwrap();
            for (c, code) in criteria.iter().enumerate() {
                let failed = *code == "Cr4" && (r + 1) % 7 == 0;
                ws.write_string(
                    row,
                    3 + c as u16,
                    if failed { "Non acquis" } else { "Acquis" },
                )
                .unwrap();
            }
        }
        let file = format!("grille-{}.xlsx", juror.to_lowercase().replace(' ', "-"));
        wb.save(dir.join("grilles").join(file)).unwrap();
    }
}

/// A small RGBA PNG (a gradient with a transparent border), stored without compression.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut raw = Vec::new();
    for y in 0..height {
        raw.push(0);
        for x in 0..width {
            let border = x == 0 || y == 0 || x == width - 1 || y == height - 1;
            raw.extend([
                (x * 6) as u8,
                40,
                (y * 12) as u8,
                if border { 0 } else { 255 },
            ]);
        }
    }
    let mut zlib = vec![0x78, 0x01];
    let chunks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in chunks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == chunks.len()));
        let len = block.len() as u16;
        zlib.extend(len.to_le_bytes());
        zlib.extend((!len).to_le_bytes());
        zlib.extend(*block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for byte in &raw {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    zlib.extend(((b << 16) | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]);
    for (kind, data) in [(&b"IHDR"[..], ihdr), (b"IDAT", zlib), (b"IEND", Vec::new())] {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(&data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    }
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

//! The bench of `tests/reliability.rs`: running the binary (with its wall time and peak
//! memory), small sessions written with rust_xlsxwriter, copies and hashes of folders.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
use sha2::Digest;

pub const JURY: &str = env!("CARGO_BIN_EXE_jury");
pub const HOSTILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile");
pub const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/session-demo");

static SERIAL: Mutex<()> = Mutex::new(());

/// Held by every test of this binary: one at a time, so that times and memory are the
/// command's own.
pub fn serial() -> MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One run of the binary.
pub struct Run {
    pub command: String,
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub wall: Duration,
    /// Peak resident memory of the command and its children, in KiB (`/usr/bin/time`).
    pub peak_kib: Option<u64>,
    /// CPU time (user + system) of the command and its children (`/usr/bin/time`).
    pub cpu: Option<Duration>,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "command: {}", self.command)?;
        writeln!(
            f,
            "status: {:?}, wall {:?}, cpu {:?}, peak {:?} KiB",
            self.status, self.wall, self.cpu, self.peak_kib
        )?;
        writeln!(f, "--- stdout ---\n{}", self.stdout)?;
        writeln!(f, "--- stderr ---\n{}", self.stderr)
    }
}

/// `/usr/bin/time` when it can measure peak memory (`-f %M`).
fn gnu_time() -> Option<&'static str> {
    let path = "/usr/bin/time";
    Path::new(path).exists().then_some(path)
}

/// Runs `jury ARGS` in `cwd` with `env`, measuring wall time and peak memory.
pub fn jury(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Run {
    let mut memory_file = None;
    let mut command = match gnu_time() {
        Some(time) => {
            let file = tempfile::NamedTempFile::new().unwrap();
            let mut c = Command::new(time);
            c.arg("-f")
                .arg("%M %U %S")
                .arg("-o")
                .arg(file.path())
                .arg(JURY);
            memory_file = Some(file);
            c
        }
        None => Command::new(JURY),
    };
    command.args(args).current_dir(cwd);
    for (k, v) in env {
        command.env(k, v);
    }
    let start = Instant::now();
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("jury runs");
    let wall = start.elapsed();
    // GNU time writes, in its output file, « peak-KiB user-s system-s » on the last line,
    // after « Command terminated by signal N » when the command was killed.
    let report = memory_file
        .and_then(|f| std::fs::read_to_string(f.path()).ok())
        .unwrap_or_default();
    let last: Vec<&str> = report
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let peak_kib = last.first().and_then(|v| v.parse().ok());
    let cpu = match (
        last.get(1).and_then(|v| v.parse::<f64>().ok()),
        last.get(2).and_then(|v| v.parse::<f64>().ok()),
    ) {
        (Some(user), Some(system)) => Some(Duration::from_secs_f64(user + system)),
        _ => None,
    };
    let signalled = report.contains("Command terminated by signal");
    let stderr = String::from_utf8_lossy(&stderr).into_owned();
    let code = status.code().filter(|_| !signalled);
    Run {
        command: format!("jury {}", args.join(" ")),
        status: code,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr,
        wall,
        peak_kib,
        cpu,
    }
}

/// Asserts that a run did not crash: an exit status, no panic message.
#[track_caller]
pub fn assert_no_crash(run: &Run) {
    assert!(
        run.status.is_some() && !run.stderr.contains("panicked"),
        "jury crashed\n{run}"
    );
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A copy of the sample session at `<dir>/session`, without its results.
pub fn sample_session(dir: &Path) -> PathBuf {
    let session = dir.join("session");
    copy_dir(Path::new(SAMPLE), &session);
    let _ = std::fs::remove_dir_all(session.join("resultats"));
    session
}

/// Every file under `dir` (relative, `/`-separated) and its SHA-256.
pub fn tree(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy();
                let bytes = std::fs::read(&path).unwrap();
                out.insert(rel.replace('\\', "/"), sha256(&bytes));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

pub fn sha256(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Is `dir` a complete results folder: a manifest whose every output is there with its
/// hash, and no file that the manifest does not list (but the manifest itself and `cpf/`)?
pub fn complete_results(dir: &Path) -> Result<(), String> {
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("manifest.json")).map_err(|e| format!("no manifest: {e}"))?,
    )
    .map_err(|e| format!("manifest is not JSON: {e}"))?;
    let files = tree(dir);
    let mut listed = BTreeMap::new();
    for output in manifest["outputs"].as_array().ok_or("no outputs")? {
        let path = output["path"].as_str().ok_or("no path")?.to_string();
        let hash = output["sha256"].as_str().ok_or("no hash")?.to_string();
        listed.insert(path, hash);
    }
    for (path, hash) in &listed {
        match files.get(path) {
            Some(h) if h == hash => {}
            Some(_) => return Err(format!("{path} differs from its manifest hash")),
            None => return Err(format!("{path} is missing")),
        }
    }
    for path in files.keys() {
        if path != "manifest.json" && !path.starts_with("cpf/") && !listed.contains_key(path) {
            return Err(format!("{path} is not in the manifest"));
        }
    }
    Ok(())
}

/// The hidden folders a write leaves beside its target while it runs.
pub fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".jury"))
        .collect()
}

/// A workbook with one sheet of text cells (`""` is an empty cell).
pub fn xlsx(sheet: &str, rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let when = ExcelDateTime::from_ymd(2026, 11, 27).unwrap();
    book.set_properties(&DocProperties::new().set_creation_datetime(&when));
    let ws = book.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                ws.write_string(r as u32, c as u16, text).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

pub const CRITERIA: [&str; 12] = [
    "Cr1.1", "Cr1.2", "Cr1.3", "Cr1.4", "Cr1.5", "Cr2", "Cr3.1", "Cr3.2", "Cr4", "Cr5", "Cr6.1",
    "Cr6.2",
];

/// A session that `jury run` decides and prints: the built-in referential, `strictest`,
/// the mentions certificates need, two jurors who grade every candidate « Acquis ».
pub struct Small {
    /// Candidates: id, last name, first name.
    pub people: Vec<(String, String, String)>,
    /// Levels changed from « Acquis »: (juror index, candidate index, criterion index, level).
    pub changes: Vec<(usize, usize, usize, String)>,
}

pub const JURORS: [&str; 2] = ["Claire Martin", "Paul Durand"];

impl Small {
    pub fn new(people: &[(&str, &str, &str)]) -> Small {
        Small {
            people: people
                .iter()
                .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
                .collect(),
            changes: Vec::new(),
        }
    }

    pub fn toml() -> String {
        r#"[session]
id = "CM-2026-11"
referential = "community-management"
date = 2026-11-27
place = "Lyon"
certifier = "Institut de test"
signatory = { name = "Anne Roux", role = "Directrice" }
code = "RS0000"
registration = "Certification enregistrée au Répertoire spécifique (test)"

[[jury]]
name = "Claire Martin"
role = "Présidente du jury"
external = false

[[jury]]
name = "Paul Durand"
role = "Professionnel du secteur"
external = true

[rules]
aggregation = "strictest"
min_jurors = 2
"#
        .to_string()
    }

    pub fn candidates(&self) -> Vec<u8> {
        let mut rows = vec![[
            "N° candidat",
            "Nom",
            "Prénom",
            "Date de naissance",
            "Lieu de naissance",
        ]
        .map(String::from)
        .to_vec()];
        for (id, last, first) in &self.people {
            rows.push(vec![
                id.clone(),
                last.clone(),
                first.clone(),
                "12/05/1990".into(),
                "Lyon".into(),
            ]);
        }
        xlsx("Candidats", &rows)
    }

    pub fn grid(&self, juror: usize) -> Vec<u8> {
        let mut rows = vec![
            vec!["Évaluateur :".to_string(), JURORS[juror].to_string()],
            vec![],
        ];
        rows.push(
            ["N° candidat", "Nom", "Prénom"]
                .into_iter()
                .chain(CRITERIA)
                .map(String::from)
                .collect(),
        );
        for (p, (id, last, first)) in self.people.iter().enumerate() {
            let mut row = vec![id.clone(), last.clone(), first.clone()];
            for c in 0..CRITERIA.len() {
                let level = self
                    .changes
                    .iter()
                    .find(|(j, pp, cc, _)| *j == juror && *pp == p && *cc == c)
                    .map_or("Acquis", |(.., l)| l.as_str());
                row.push(level.to_string());
            }
            rows.push(row);
        }
        xlsx("Grille", &rows)
    }

    /// Writes the session into `dir`; `reverse`: files created in the reverse order.
    pub fn write(&self, dir: &Path, reverse: bool) {
        let mut files = vec![
            ("session.toml".to_string(), Small::toml().into_bytes()),
            ("candidats.xlsx".to_string(), self.candidates()),
            (
                "grilles/grille-claire-martin.xlsx".to_string(),
                self.grid(0),
            ),
            ("grilles/grille-paul-durand.xlsx".to_string(), self.grid(1)),
        ];
        if reverse {
            files.reverse();
        }
        for (rel, bytes) in files {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
    }
}

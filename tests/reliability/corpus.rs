//! Guarantees 1, 2 and 7: every hostile input becomes its exact finding naming its file,
//! the other files of the session are still checked, no run panics, aborts, takes 5 s (of
//! CPU time, children included; wall time on an idle machine) or 512 MB, and no message
//! shows Rust's own words. The readers' limits hold on their own.

use std::path::Path;
use std::time::Duration;

use jury::formats::limits::ReadLimits;
use jury::formats::workbook::WorkbookError;
use jury::fs::guard::read_in_child;

use crate::support::*;

/// One line of `tests/hostile/expected.tsv`.
#[derive(Debug)]
struct Expected {
    entry: String,
    place: String,
    exit: i32,
    code: String,
    file: String,
    message: String,
}

fn table() -> Vec<Expected> {
    let text = std::fs::read_to_string(Path::new(HOSTILE).join("expected.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 6, "six columns: {line:?}");
            Expected {
                entry: f[0].into(),
                place: f[1].into(),
                exit: f[2].parse().unwrap(),
                code: f[3].into(),
                file: f[4].into(),
                message: f[5].into(),
            }
        })
        .collect()
}

/// A copy of `base/` with the entry put in.
fn session_with(entry: &Expected, dir: &Path) -> std::path::PathBuf {
    let session = dir.join("session");
    copy_dir(&Path::new(HOSTILE).join("base"), &session);
    let source = Path::new(HOSTILE).join("corpus").join(&entry.entry);
    if source.is_dir() {
        copy_dir(&source, &session);
    } else {
        if entry.place.starts_with("grilles/") {
            std::fs::remove_file(session.join("grilles/grille-paul-durand.xlsx")).unwrap();
        }
        std::fs::copy(&source, session.join(&entry.place)).unwrap();
    }
    session
}

/// Words that only Rust's debug output or a crash would print.
const DEBUG_MARKS: &[&str] = &[
    "{",
    "}",
    "Some(",
    "None",
    "Err(",
    "Ok(",
    "panicked",
    "RUST_BACKTRACE",
    "thread '",
    "os error",
    "InvalidArchive",
    "Error:",
];

/// The witness: Claire Martin's grid misspells one first name (see `base/`).
const WITNESS: (&str, &str, &str) = ("name-mismatch", "grilles/grille-claire-martin.xlsx", "C5");

#[test]
fn every_hostile_input_gives_its_exact_finding_within_the_limits() {
    let _serial = serial();
    let mut failures = Vec::new();
    let mut figures = Vec::new();
    for entry in table() {
        let tmp = tempfile::tempdir().unwrap();
        let session = session_with(&entry, tmp.path());
        let run = jury(
            &["check", session.to_str().unwrap(), "--format", "json"],
            tmp.path(),
            &[],
        );
        figures.push(format!(
            "{:<30} exit {:?}  wall {:>5} ms  cpu {:>5} ms  peak {:>6} KiB",
            entry.entry,
            run.status,
            run.wall.as_millis(),
            run.cpu.unwrap_or_default().as_millis(),
            run.peak_kib.unwrap_or(0)
        ));
        if let Err(why) = judge(&entry, &run) {
            failures.push(format!("{}: {why}\n{run}", entry.entry));
        }
    }
    eprintln!("{}", figures.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn judge(entry: &Expected, run: &Run) -> Result<(), String> {
    if run.status.is_none() || run.stderr.contains("panicked") {
        return Err("crashed".into());
    }
    // 5 s of CPU time, the command and its children together: on an idle machine that is
    // its wall time too; a busy one (other builds) may stretch the wall time, so that has
    // a looser bound.
    let cpu = run.cpu.unwrap_or(run.wall);
    if cpu >= Duration::from_secs(5) || run.wall >= Duration::from_secs(15) {
        return Err(format!(
            "took {:?} of CPU, {:?} of wall time",
            cpu, run.wall
        ));
    }
    if let Some(kib) = run.peak_kib {
        if kib >= 512 * 1024 {
            return Err(format!("peak memory {kib} KiB (limit 512 MB)"));
        }
    }
    if !run.stderr.trim().is_empty() {
        return Err("something on stderr".into());
    }
    if run.status != Some(entry.exit) {
        return Err(format!("exit {:?}, expected {}", run.status, entry.exit));
    }
    let json: serde_json::Value =
        serde_json::from_str(&run.stdout).map_err(|e| format!("stdout is not JSON: {e}"))?;
    let mut found: Vec<(String, String, String, String)> = ["errors", "warnings"]
        .iter()
        .flat_map(|k| json[k].as_array().cloned().unwrap_or_default())
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (text("code"), text("file"), text("cell"), text("message"))
        })
        .collect();
    for (.., message) in &found {
        if let Some(mark) = DEBUG_MARKS.iter().find(|m| message.contains(*m)) {
            return Err(format!("message shows {mark:?}: {message}"));
        }
    }
    let config_read = !matches!(
        entry.code.as_str(),
        "invalid-config" | "invalid-referential"
    );
    if config_read {
        let witness = found
            .iter()
            .position(|(c, f, cell, _)| (c.as_str(), f.as_str(), cell.as_str()) == WITNESS);
        match witness {
            Some(i) => {
                found.remove(i);
            }
            None => return Err("the other grid was not checked (no name-mismatch)".into()),
        }
    }
    match (entry.code.as_str(), found.as_slice()) {
        ("-", []) => Ok(()),
        ("-", other) => Err(format!("unexpected findings {other:?}")),
        (code, [(c, file, _, message)]) => {
            if c != code || *file != entry.file {
                Err(format!(
                    "found {c} about {file}, expected {code} about {}",
                    entry.file
                ))
            } else if !message.contains(&entry.message) {
                Err(format!("message {message:?} lacks {:?}", entry.message))
            } else if code == "unreadable-workbook" && !message.contains(&format!("« {file} »")) {
                Err("the message does not name the file".into())
            } else {
                Ok(())
            }
        }
        (_, other) => Err(format!("expected one finding, found {other:?}")),
    }
}

#[test]
fn the_table_lists_every_input_of_the_corpus() {
    let listed: Vec<String> = table().into_iter().map(|e| e.entry).collect();
    let mut present: Vec<String> = std::fs::read_dir(Path::new(HOSTILE).join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    present.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, present, "expected.tsv and corpus/ differ");
}

/// The readers' limits themselves, with the real reader: a child allowed 16 MiB runs out of
/// memory, one allowed 1 s of CPU on a workbook that makes calamine loop is stopped.
#[test]
fn the_reading_child_is_held_to_its_memory_and_cpu_time() {
    let _serial = serial();
    let grid =
        std::fs::read(Path::new(HOSTILE).join("base/grilles/grille-paul-durand.xlsx")).unwrap();
    let program = Path::new(JURY);
    let fine = read_in_child(program, &grid, true, &ReadLimits::default()).unwrap();
    assert!(matches!(&fine, Ok(sheets) if sheets.len() == 1), "{fine:?}");
    let small = ReadLimits {
        memory: 16 * 1024 * 1024,
        ..ReadLimits::default()
    };
    assert_eq!(
        read_in_child(program, &grid, true, &small).unwrap(),
        Err(WorkbookError::OutOfMemory {
            limit: "16 Mio".into()
        })
    );
    let looping = std::fs::read(Path::new(HOSTILE).join("corpus/mismatched-end-tag.ods")).unwrap();
    let brief = ReadLimits {
        seconds: Some(1),
        ..ReadLimits::default()
    };
    let start = std::time::Instant::now();
    assert_eq!(
        read_in_child(program, &looping, true, &brief).unwrap(),
        Err(WorkbookError::TimedOut { seconds: 1 })
    );
    assert!(start.elapsed() < Duration::from_secs(5));
}

/// `jury run` on a session with a hostile grid: the same finding, nothing written, exit 2.
#[test]
fn run_refuses_a_hostile_grid_and_writes_nothing() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let entry = table()
        .into_iter()
        .find(|e| e.entry == "far-cell.xlsx")
        .unwrap();
    let session = session_with(&entry, tmp.path());
    let run = jury(&["run", session.to_str().unwrap()], tmp.path(), &[]);
    assert_no_crash(&run);
    assert_eq!(run.status, Some(2), "{run}");
    assert!(
        run.stderr.contains("grilles/grille-paul-durand.xlsx"),
        "{run}"
    );
    assert!(run.stderr.contains("XFD1048576"), "{run}");
    assert!(!session.join("resultats").exists());
}

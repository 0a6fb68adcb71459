//! A bounded, seeded mutation pass over the workbook readers, on stable Rust: what CI runs
//! in place of `cargo fuzz` (see `fuzz/`).
//!
//! ```text
//! cargo run --example mutate -- [--count 3000] [--seed 1] [--jury target/debug/jury]
//!                                [--save target/mutate-found] [SEED FILES…]
//! ```
//!
//! Seeds: the workbooks of `tests/hostile/base` and `tests/hostile/corpus` (the hostile
//! ones too), `tests/fixtures` and `samples/session-demo` (or the files given). Each input is a seed changed by 1 to 4 deterministic mutations:
//! raw ones (bit flips, interesting bytes, truncations, splices with another seed, repeated
//! or deleted chunks) and, for zip workbooks, structural ones that keep the zip valid so the
//! parser goes deep (an XML part truncated, a tag deleted or repeated, a number made huge, a
//! cell reference moved to `XFD1048576`, a part replaced). Every input goes through the
//! guarded read exactly as `jury check` reads a grid (format detection, pre-scans, parse in
//! a child process with the default limits), two at a time, and the sheets read go through
//! the grid interpretation of `core` in this process.
//!
//! The pass fails (exit 1) on any input that: takes 5 s or more, gets an answer the parent
//! cannot decode, makes `jury`'s own code panic (a pre-scan, the grid interpretation: a
//! reader panic located outside the registry's crates), or makes this process panic.
//! Failures of the third-party parser that the containment turns into findings (aborts,
//! the CPU or memory limit) are counted, not failures: that is what containment is for.
//! Every failing input, and the first input of each contained kind, is saved under
//! `--save` for triage; a crash worth keeping becomes an entry of `tests/hostile/corpus`.
//! The whole run's peak memory (children included) is what `/usr/bin/time -f %M` reports;
//! each child is held to 512 Mio of address space by construction.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use jury::core::grids::read_grid_sheet;
use jury::formats::limits::ReadLimits;
use jury::formats::workbook::WorkbookError;
use jury::fs::guard::read_in_child_traced;
use rayon::prelude::*;

#[path = "../tests/support/grid_inputs.rs"]
mod grid_inputs;

/// xorshift64*: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

struct Options {
    count: usize,
    seed: u64,
    jury: PathBuf,
    save: PathBuf,
    seeds: Vec<PathBuf>,
}

fn options() -> Result<Options, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let here = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut o = Options {
        count: 3000,
        seed: 1,
        // target/<profile>/examples/mutate → target/<profile>/jury
        jury: here
            .parent()
            .and_then(Path::parent)
            .map(|p| p.join("jury"))
            .unwrap_or_default(),
        save: root.join("target/mutate-found"),
        seeds: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--count" => o.count = value()?.parse().map_err(|e| format!("--count: {e}"))?,
            "--seed" => o.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--jury" => o.jury = PathBuf::from(value()?),
            "--save" => o.save = PathBuf::from(value()?),
            _ => o.seeds.push(PathBuf::from(arg)),
        }
    }
    if o.seeds.is_empty() {
        for dir in [
            "tests/hostile/base",
            "tests/hostile/corpus",
            "tests/fixtures",
            "samples/session-demo",
        ] {
            collect(&root.join(dir), &mut o.seeds);
        }
    }
    o.seeds.sort();
    if !o.jury.is_file() {
        return Err(format!(
            "no jury binary at {} (cargo build, or --jury PATH)",
            o.jury.display()
        ));
    }
    Ok(o)
}

/// Workbooks under `dir`, results folders left out.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_lowercase();
        if path.is_dir() && name != "resultats" {
            collect(&path, out);
        } else if [".xlsx", ".xls", ".ods", ".xlsb", ".docx", ".odt"]
            .iter()
            .any(|e| name.ends_with(e))
        {
            out.push(path);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

const INTERESTING: &[u8] = &[0x00, 0x01, 0x7F, 0x80, 0xFF, b'<', b'>', b'"', b'9'];

fn raw(rng: &mut Rng, bytes: &mut Vec<u8>, other: &[u8]) {
    if bytes.is_empty() {
        bytes.push(0);
    }
    let at = rng.below(bytes.len());
    match rng.below(7) {
        0 => bytes[at] ^= 1 << rng.below(8),
        1 => bytes[at] = INTERESTING[rng.below(INTERESTING.len())],
        2 => bytes.truncate(at),
        3 => {
            let len = rng.below(64).min(bytes.len() - at);
            let chunk = bytes[at..at + len].to_vec();
            for _ in 0..1 + rng.below(8) {
                bytes.splice(at..at, chunk.iter().copied());
            }
        }
        4 => {
            let len = rng.below(256).min(bytes.len() - at);
            bytes.drain(at..at + len);
        }
        5 if !other.is_empty() => {
            let from = rng.below(other.len());
            let len = rng.below(512).min(other.len() - from);
            let end = (at + len).min(bytes.len());
            bytes.splice(at..end, other[from..from + len].iter().copied());
        }
        _ => {
            // A little-endian length or count made huge (compound files, records).
            let value = [0xFFu8, 0xFF, 0xFF, 0x7F];
            for (i, b) in value.iter().enumerate() {
                if let Some(slot) = bytes.get_mut(at + i) {
                    *slot = *b;
                }
            }
        }
    }
}

/// Text mutations of one XML part that keep it text.
fn xml(rng: &mut Rng, part: &mut Vec<u8>) {
    if part.is_empty() {
        return;
    }
    let tags: Vec<usize> = part
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'<')
        .map(|(i, _)| i)
        .collect();
    let pick = |rng: &mut Rng| tags.get(rng.below(tags.len())).copied().unwrap_or(0);
    match rng.below(8) {
        0 => {
            let at = pick(rng);
            part.truncate(at.max(1));
        }
        1 => {
            // Delete one tag.
            let at = pick(rng);
            if let Some(end) = part[at..].iter().position(|b| *b == b'>') {
                part.drain(at..=at + end);
            }
        }
        2 => {
            // Repeat one element many times.
            let at = pick(rng);
            let end = part[at..]
                .windows(2)
                .position(|w| w == b"</")
                .map_or(part.len(), |e| at + e);
            let chunk = part[at..end.min(at + 4096)].to_vec();
            for _ in 0..1 + rng.below(200) {
                part.splice(at..at, chunk.iter().copied());
            }
        }
        3 => {
            // A number made huge.
            let digits: Vec<usize> = part
                .iter()
                .enumerate()
                .filter(|(_, b)| b.is_ascii_digit())
                .map(|(i, _)| i)
                .collect();
            if let Some(&at) = digits.get(rng.below(digits.len())) {
                let huge: &[u8] =
                    [&b"4294967296"[..], b"99999999999999999999", b"-1", b"0"][rng.below(4)];
                part.splice(at..=at, huge.iter().copied());
            }
        }
        4 => {
            // A cell moved far away.
            if let Some(at) = part.windows(3).position(|w| w == b"r=\"") {
                let end = part[at + 3..]
                    .iter()
                    .position(|b| *b == b'"')
                    .map_or(at + 3, |e| at + 3 + e);
                let far: &[u8] = [&b"XFD1048576"[..], b"A1048576", b"ZZZZZ1", b"A0"][rng.below(4)];
                part.splice(at + 3..end, far.iter().copied());
            }
        }
        5 => {
            // Nesting.
            let at = pick(rng);
            let depth = 1 + rng.below(300);
            let open = b"<x>".repeat(depth);
            part.splice(at..at, open);
        }
        6 => {
            let at = rng.below(part.len());
            part[at] = INTERESTING[rng.below(INTERESTING.len())];
        }
        _ => {
            // An end tag renamed.
            if let Some(at) = part.windows(2).position(|w| w == b"</") {
                part.insert(at + 2, b'q');
            }
        }
    }
}

/// Largest input made, in bytes (and largest zip unpacked for structural mutations, so
/// that a bomb among the seeds is only mutated raw).
const MAX_INPUT: usize = 2 * 1024 * 1024;

/// The parts of a zip, or `None` (also when they would inflate past [`MAX_INPUT`]).
fn unzip(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut parts = Vec::new();
    let mut total = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).ok()?;
        let name = entry.name().ok()?.to_string();
        let mut data = Vec::new();
        entry
            .take((MAX_INPUT + 1) as u64)
            .read_to_end(&mut data)
            .ok()?;
        total += data.len();
        if total > MAX_INPUT {
            return None;
        }
        parts.push((name, data));
    }
    Some(parts)
}

fn rezip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in parts {
        let method = if name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        if zip.start_file(name.as_str(), options).is_err() || zip.write_all(data).is_err() {
            return Vec::new();
        }
    }
    zip.finish().map(Cursor::into_inner).unwrap_or_default()
}

/// One input: seed `index` of the run, from its own generator (so that any input can be
/// made again alone).
fn input(seeds: &[Vec<u8>], run_seed: u64, index: usize) -> (usize, Vec<u8>) {
    let mut rng = Rng((run_seed << 32) ^ (index as u64).wrapping_mul(0x9E37_79B9) ^ 0x5DEE_CE66D);
    for _ in 0..4 {
        rng.next();
    }
    let which = rng.below(seeds.len());
    let mut bytes = seeds[which].clone();
    let other = &seeds[rng.below(seeds.len())];
    let structural = rng.below(2) == 0;
    let rounds = 1 + rng.below(4);
    if structural {
        if let Some(mut parts) = unzip(&bytes) {
            for _ in 0..rounds {
                let xmlish: Vec<usize> = parts
                    .iter()
                    .enumerate()
                    .filter(|(_, (n, _))| n.ends_with(".xml") || n.ends_with(".rels"))
                    .map(|(i, _)| i)
                    .collect();
                if let Some(&i) = xmlish.get(rng.below(xmlish.len())) {
                    xml(&mut rng, &mut parts[i].1);
                    parts[i].1.truncate(MAX_INPUT);
                }
            }
            return (which, rezip(&parts));
        }
    }
    for _ in 0..rounds {
        raw(&mut rng, &mut bytes, other);
        bytes.truncate(MAX_INPUT.max(seeds[which].len()));
    }
    (which, bytes)
}

// ---------------------------------------------------------------------------------------------
// The pass
// ---------------------------------------------------------------------------------------------

/// What one input gave.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Read,
    Refused(&'static str),
    /// Contained: the third-party parser crashed, hung or ran out of memory.
    Contained(&'static str),
    /// A failure of the pass.
    Failure(String),
}

fn kind(error: &WorkbookError) -> Outcome {
    match error {
        WorkbookError::Encrypted => Outcome::Refused("encrypted"),
        WorkbookError::Empty => Outcome::Refused("empty"),
        WorkbookError::NotAWorkbook(_) => Outcome::Refused("not a workbook"),
        WorkbookError::Corrupt(_) => Outcome::Refused("corrupt"),
        WorkbookError::NoSheet => Outcome::Refused("no sheet"),
        WorkbookError::TooLarge { .. } => Outcome::Refused("over a limit"),
        WorkbookError::Crashed(what) if what.contains("illisible") => {
            Outcome::Failure("undecodable answer".into())
        }
        WorkbookError::Crashed(_) => Outcome::Contained("reader crashed"),
        WorkbookError::TimedOut { .. } => Outcome::Contained("reader CPU limit (hang)"),
        WorkbookError::OutOfMemory { .. } => Outcome::Contained("reader memory limit"),
    }
}

fn main() -> ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("mutate: {e}");
            return ExitCode::from(2);
        }
    };
    let seeds: Vec<Vec<u8>> = o
        .seeds
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .collect();
    if seeds.is_empty() {
        eprintln!("mutate: no seed");
        return ExitCode::from(2);
    }
    let Some((referential, config)) = grid_inputs::context() else {
        eprintln!("mutate: the built-in referential or the test session does not parse");
        return ExitCode::from(2);
    };
    let _ = std::fs::create_dir_all(&o.save);
    let start = Instant::now();
    let saved = Mutex::new(BTreeMap::<String, usize>::new());
    let limits = ReadLimits::default();
    let results: Vec<(Outcome, Duration)> = (0..o.count)
        .into_par_iter()
        .map(|index| {
            let (seed, bytes) = input(&seeds, o.seed, index);
            let began = Instant::now();
            let outcome = match read_in_child_traced(&o.jury, &bytes, true, &limits) {
                Err(e) => Outcome::Failure(format!("cannot start the reader: {e}")),
                // Our own code's panics are located under src/; the registry's crates have
                // absolute paths.
                Ok((_, trace)) if trace.contains("reader panic at src/") => {
                    let place = trace
                        .lines()
                        .find(|l| l.contains("reader panic at src/"))
                        .unwrap_or_default()
                        .to_string();
                    Outcome::Failure(format!("jury panicked: {place}"))
                }
                Ok((Ok(sheets), _)) => {
                    let interpreted = std::panic::catch_unwind(|| {
                        for sheet in &sheets {
                            let _ = read_grid_sheet(
                                sheet,
                                "grilles/x.xlsx",
                                "x",
                                &referential,
                                &config,
                            );
                        }
                    });
                    if interpreted.is_err() {
                        Outcome::Failure("grid interpretation panicked".into())
                    } else {
                        Outcome::Read
                    }
                }
                Ok((Err(error), _)) => kind(&error),
            };
            let wall = began.elapsed();
            let outcome = if wall >= Duration::from_secs(5) {
                Outcome::Failure(format!("took {wall:?}"))
            } else {
                outcome
            };
            let slug = |text: &str| -> String {
                text.chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .take(60)
                    .collect()
            };
            let label = match &outcome {
                Outcome::Failure(why) => Some(format!("failure-{}", slug(why))),
                Outcome::Contained(what) => Some(slug(what)),
                _ => None,
            };
            if let Some(label) = label {
                let mut seen = saved
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let n = seen.entry(label.clone()).or_default();
                *n += 1;
                if *n == 1 || label.starts_with("failure") {
                    let ext = o.seeds[seed]
                        .extension()
                        .map(|e| e.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let _ = std::fs::write(o.save.join(format!("{label}-{index}.{ext}")), &bytes);
                }
            }
            (outcome, wall)
        })
        .collect();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for (outcome, _) in &results {
        let key = match outcome {
            Outcome::Read => "read".to_string(),
            Outcome::Refused(why) => format!("refused: {why}"),
            Outcome::Contained(what) => format!("contained: {what}"),
            Outcome::Failure(why) => {
                failures.push(why.clone());
                format!("FAILURE: {why}")
            }
        };
        *counts.entry(key).or_default() += 1;
    }
    let slowest = results.iter().map(|(_, w)| *w).max().unwrap_or_default();
    println!(
        "mutation pass: {} inputs from {} seeds (run seed {}) in {:.1} s; slowest input {:.2} s",
        o.count,
        seeds.len(),
        o.seed,
        start.elapsed().as_secs_f64(),
        slowest.as_secs_f64()
    );
    for (key, n) in &counts {
        println!("  {n:>6}  {key}");
    }
    println!(
        "inputs of each contained kind and failures saved in {}",
        o.save.display()
    );
    println!(
        "mutation: {} passed, {} failed",
        o.count - failures.len(),
        failures.len()
    );
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

//! Containment: each workbook is parsed in a child process of `jury`, so that a workbook
//! that would crash, abort, hang or eat memory becomes a finding naming that file, and every
//! other file of the session is still read in the same run.
//!
//! A panic can be caught in-process, but an abort (calamine asking for terabytes), an
//! endless loop (a truncated `.ods`) or a slow exhaustion of memory cannot. So `jury` runs
//! itself again as `jury __read-workbook` (a hidden subcommand), writes the workbook's bytes
//! to its standard input and reads the sheets back from its standard output
//! ([`jury_formats::wire`]). The child first limits itself (`setrlimit`): its address space to
//! [`ReadLimits::memory`], its CPU time to [`ReadLimits::cpu_seconds`] (the kernel stops it
//! there with `SIGXCPU`; CPU time, not wall time, so that a busy machine never makes a
//! large grid fail, and so that a child left behind by a killed `jury` stops by itself), and
//! its core dumps to none (no candidate data on disk). The parent also kills it past a
//! wall-clock backstop ([`jury_formats::limits::wall_seconds`]), for a child that would block
//! without computing. The outcome maps to [`WorkbookError`]: stopped for time →
//! [`WorkbookError::TimedOut`], an allocation refused → [`WorkbookError::OutOfMemory`], any
//! other signal or exit status → [`WorkbookError::Crashed`].
//!
//! Only the `jury` binary turns this on ([`enable`], called by `cli::run`); library users
//! and unit tests read in-process. When the child cannot be started at all (the binary
//! was removed while running, say), the read falls back to the in-process reader and says
//! so once on the standard error.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use jury_formats::limits::{human_bytes, ReadLimits, MAX_FILE_BYTES};
use jury_formats::wire::{self, ReadResult};
use jury_formats::workbook::{read_grid_workbook, read_workbook, WorkbookError};

/// The name of the hidden subcommand that reads one workbook.
pub const SUBCOMMAND: &str = "__read-workbook";

static PROGRAM: OnceLock<PathBuf> = OnceLock::new();
static WARNED: AtomicBool = AtomicBool::new(false);

/// Makes every later [`read`] run in a child process of this program (the `jury` binary).
pub fn enable() {
    if let Ok(program) = std::env::current_exe() {
        let _ = PROGRAM.set(program);
    }
}

/// Reads a workbook held in memory (`grid`: with what the grid audit needs), contained
/// when [`enable`] was called, in-process otherwise.
pub fn read(bytes: &[u8], grid: bool) -> ReadResult {
    read_later(bytes, grid).sheets()
}

/// A workbook read, its sheets still in the child's compact answer until
/// [`Answer::sheets`]: a session's workbooks are read in parallel, but their sheets are
/// then taken one workbook at a time, so they need not all be in memory at once.
#[derive(Debug)]
pub struct Answer(Kept);

#[derive(Debug)]
enum Kept {
    /// A child's answer (see [`jury_formats::wire`]), not decoded yet.
    Wire(Vec<u8>),
    /// Read in-process, or what ended the child.
    Read(ReadResult),
}

impl Answer {
    /// The sheets, or why the workbook could not be read.
    pub fn sheets(self) -> ReadResult {
        match self.0 {
            Kept::Wire(answer) => wire::decode(&answer)
                .unwrap_or_else(|| Err(WorkbookError::Crashed("réponse illisible".into()))),
            Kept::Read(result) => result,
        }
    }
}

/// The same as [`read`], the sheets decoded later (see [`Answer`]).
pub fn read_later(bytes: &[u8], grid: bool) -> Answer {
    if let Some(program) = PROGRAM.get() {
        match child_answer(program, bytes, grid, &ReadLimits::default()) {
            Ok((answer, _)) => return answer,
            Err(e) => {
                if !WARNED.swap(true, Ordering::Relaxed) {
                    eprintln!("{}", unstarted_reader(&e));
                }
            }
        }
    }
    Answer(Kept::Read(in_process(bytes, grid)))
}

/// The warning when the contained reader cannot be started, in French.
fn unstarted_reader(e: &std::io::Error) -> String {
    format!(
        "Avertissement : le lecteur isolé des classeurs ne peut pas être lancé ({}) ; les classeurs sont lus sans isolation, et un classeur piégé pourrait arrêter jury. Réinstallez jury si cela se reproduit.",
        crate::session::io_reason(e)
    )
}

/// The reader itself, in this process.
pub fn in_process(bytes: &[u8], grid: bool) -> ReadResult {
    if grid {
        read_grid_workbook(bytes)
    } else {
        read_workbook(bytes)
    }
}

/// Largest answer read from a child (the sheets of a workbook within the limits are far
/// smaller).
const MAX_ANSWER_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// Most of a child's standard error kept, to tell an allocation failure.
const MAX_STDERR_BYTES: u64 = 64 * 1024;

/// Reads a workbook in a child process `program __read-workbook`, within `limits`.
/// `Err` only when the child cannot be started; every way the child may end is a
/// [`ReadResult`].
pub fn read_in_child(
    program: &Path,
    bytes: &[u8],
    grid: bool,
    limits: &ReadLimits,
) -> std::io::Result<ReadResult> {
    read_in_child_traced(program, bytes, grid, limits).map(|(result, _)| result)
}

/// The same, with what the child wrote on its standard error (never shown to users: the
/// mutation pass reads it to tell a panic of `jury`'s own code, `reader panic at src/…`,
/// from one of a third-party parser).
pub fn read_in_child_traced(
    program: &Path,
    bytes: &[u8],
    grid: bool,
    limits: &ReadLimits,
) -> std::io::Result<(ReadResult, String)> {
    child_answer(program, bytes, grid, limits).map(|(answer, errors)| (answer.sheets(), errors))
}

/// The child's answer, not decoded yet, and its standard error.
fn child_answer(
    program: &Path,
    bytes: &[u8],
    grid: bool,
    limits: &ReadLimits,
) -> std::io::Result<(Answer, String)> {
    let cpu = limits.cpu_seconds(bytes.len() as u64);
    let wall = limits.wall(bytes.len() as u64);
    let mut command = reader_command(program, grid, limits.memory, cpu);
    let mut child = command.spawn()?;
    let stdin = child.stdin.take();
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let (status, answer, errors, timed_out) = std::thread::scope(|scope| {
        scope.spawn(move || {
            if let Some(mut stdin) = stdin {
                // A child that stops early closes the pipe: nothing to do about it here.
                let _ = stdin.write_all(bytes);
            }
        });
        let answer = scope.spawn(move || read_all(stdout, MAX_ANSWER_BYTES));
        let errors = scope.spawn(move || read_all(stderr, MAX_STDERR_BYTES));
        let (status, timed_out) = wait(&mut child, wall);
        (
            status,
            answer.join().unwrap_or_default(),
            errors.join().unwrap_or_default(),
            timed_out,
        )
    });
    let result = outcome(
        status,
        answer,
        &errors,
        timed_out.then_some(wall.as_secs()),
        cpu,
        limits,
    );
    Ok((result, String::from_utf8_lossy(&errors).into_owned()))
}

/// `program __read-workbook` with its limits, its three standard streams piped.
fn reader_command(program: &Path, grid: bool, memory: u64, cpu_seconds: u64) -> Command {
    let mut command = Command::new(program);
    command
        .arg(SUBCOMMAND)
        .arg("--memory")
        .arg(memory.to_string())
        .arg("--seconds")
        .arg(cpu_seconds.to_string())
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if grid {
        command.arg("--grid");
    }
    command
}

/// Everything a pipe gives, up to `limit` bytes (the rest is read and dropped, so the
/// child never blocks on a full pipe).
fn read_all(pipe: Option<impl Read>, limit: u64) -> Vec<u8> {
    let mut kept = Vec::new();
    if let Some(mut pipe) = pipe {
        let _ = pipe.by_ref().take(limit).read_to_end(&mut kept);
        let _ = std::io::copy(&mut pipe, &mut std::io::sink());
    }
    kept
}

/// Waits for the child, killing it past `timeout`; returns its status and whether it was
/// killed for time.
fn wait(child: &mut std::process::Child, timeout: Duration) -> (Option<ExitStatus>, bool) {
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return (Some(status), false),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                return (child.wait().ok(), true);
            }
            Ok(None) => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            Err(_) => {
                let _ = child.kill();
                return (child.wait().ok(), false);
            }
        }
    }
}

/// What a child prints when memory ran out: Rust's allocation failure (then an abort), an
/// allocator that asserts instead (zlib-rs: `MemError`), or a size no memory can hold. The
/// first is printed by the Rust runtime, the others by the child's panic hook, also for
/// panics its reader caught.
const MEMORY_MARKS: &[&str] = &["memory allocation of", "MemError", "capacity overflow"];

/// The signal the kernel sends at the CPU time limit (the same on Linux and the BSDs).
const SIGXCPU: i32 = 24;

/// What a child's end means: `killed_after` is the wall time after which the parent killed
/// it, `cpu` the CPU time it was allowed.
fn outcome(
    status: Option<ExitStatus>,
    mut answer: Vec<u8>,
    errors: &[u8],
    killed_after: Option<u64>,
    cpu: u64,
    limits: &ReadLimits,
) -> Answer {
    let failed = |error| Answer(Kept::Read(Err(error)));
    if let Some(seconds) = killed_after {
        return failed(WorkbookError::TimedOut { seconds });
    }
    if status.and_then(signal) == Some(SIGXCPU) {
        return failed(WorkbookError::TimedOut { seconds: cpu });
    }
    let errors = String::from_utf8_lossy(errors);
    if MEMORY_MARKS.iter().any(|m| errors.contains(m)) {
        return failed(WorkbookError::OutOfMemory {
            limit: human_bytes(limits.memory),
        });
    }
    match status {
        Some(status) if status.success() => {
            // Kept until decoded: without the spare capacity the pipe's reading left.
            answer.shrink_to_fit();
            Answer(Kept::Wire(answer))
        }
        Some(status) => failed(WorkbookError::Crashed(describe(status))),
        None => failed(WorkbookError::Crashed("fin inconnue".into())),
    }
}

/// The signal that ended a process, if one did.
fn signal(status: ExitStatus) -> Option<i32> {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        status.signal()
    }
    #[cfg(not(unix))]
    {
        let _ = status;
        None
    }
}

/// `arrêt brutal, signal 6`, `code de sortie 101`.
fn describe(status: ExitStatus) -> String {
    if let Some(signal) = signal(status) {
        return format!("arrêt brutal, signal {signal}");
    }
    match status.code() {
        Some(code) => format!("code de sortie {code}"),
        None => "fin inconnue".into(),
    }
}

/// The child's side (`jury __read-workbook`): limits itself, reads the workbook from its
/// standard input, writes the result to its standard output. Returns the exit status: 0
/// whenever an answer was written (a workbook that cannot be read is an answer too).
pub fn child_main(grid: bool, memory: u64, seconds: u64) -> u8 {
    limit_self(memory, seconds);
    // Panics inside the parser are caught and reported by the reader; their message goes
    // to the child's standard error, which the parent reads but never shows (it is kept
    // for triage by `examples/mutate.rs`).
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let message: String = message.chars().take(300).collect();
        eprintln!("reader panic at {place}: {message}");
    }));
    let mut bytes = Vec::new();
    if std::io::stdin()
        .lock()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .is_err()
    {
        return 3;
    }
    let answer = wire::encode(&in_process(&bytes, grid));
    drop(bytes);
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(&answer)
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return 3;
    }
    0
}

/// Limits the child itself: no core dump (no candidate data on disk), `memory` bytes of
/// address space, `seconds` of CPU time. Each limit is best effort: a system that refuses
/// one still has the parent's wall-clock limit.
fn limit_self(memory: u64, seconds: u64) {
    #[cfg(unix)]
    {
        use rlimit::Resource;
        let _ = Resource::CORE.set(0, 0);
        let _ = Resource::AS.set(memory, memory);
        // SIGXCPU at the soft limit (it ends the process); SIGKILL one second later.
        let _ = Resource::CPU.set(seconds, seconds.saturating_add(1));
    }
    #[cfg(not(unix))]
    let _ = (memory, seconds);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `sh -c SCRIPT` standing in for the child: the parent's side is tested alone.
    fn shell(script: &str, seconds: u64) -> ReadResult {
        shell_within(script, seconds, None)
    }

    fn shell_within(script: &str, seconds: u64, wall: Option<u64>) -> ReadResult {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let program = dir.path().join("fake-reader");
        std::fs::write(&program, format!("#!/bin/sh\n{script}\n")).unwrap_or_default();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755));
        }
        let limits = ReadLimits {
            memory: 1 << 30,
            seconds: Some(seconds),
            wall,
        };
        // Another test's child, forked while this script was being written, may hold it open
        // for an instant (ETXTBSY): start again, as a shell would.
        for _ in 0..50 {
            match read_in_child(&program, b"bytes", false, &limits) {
                Err(e) if e.raw_os_error() == Some(26) => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                other => return other.unwrap_or_else(|e| panic!("spawn: {e}")),
            }
        }
        panic!("spawn: the fake reader stayed busy")
    }

    #[test]
    fn a_blocked_reader_is_killed_at_the_wall_clock_backstop() {
        let start = Instant::now();
        let result = shell_within("exec sleep 30", 1, Some(1));
        assert_eq!(result, Err(WorkbookError::TimedOut { seconds: 1 }));
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_reader_past_its_cpu_time_is_a_timeout() {
        assert_eq!(
            shell("cat >/dev/null; kill -XCPU $$", 10),
            Err(WorkbookError::TimedOut { seconds: 10 })
        );
    }

    #[test]
    fn crashes_and_allocation_failures_are_told_apart() {
        assert_eq!(
            shell("cat >/dev/null; kill -ABRT $$", 10),
            Err(WorkbookError::Crashed("arrêt brutal, signal 6".into()))
        );
        assert_eq!(
            shell(
                "echo 'memory allocation of 99999 bytes failed' >&2; kill -ABRT $$",
                10
            ),
            Err(WorkbookError::OutOfMemory {
                limit: "1024 Mio".into()
            })
        );
        assert_eq!(
            shell("exit 101", 10),
            Err(WorkbookError::Crashed("code de sortie 101".into()))
        );
        assert_eq!(
            shell("echo garbage", 10),
            Err(WorkbookError::Crashed("réponse illisible".into()))
        );
    }

    #[test]
    fn a_reader_that_cannot_start_is_told_in_french() {
        let missing = Path::new("/nonexistent/jury-reader");
        let Err(e) = read_in_child(missing, b"bytes", false, &ReadLimits::default()) else {
            panic!("a missing program cannot start");
        };
        let warning = unstarted_reader(&e);
        assert!(
            warning.starts_with("Avertissement : le lecteur isolé des classeurs ne peut pas être lancé (fichier introuvable) ;"),
            "{warning}"
        );
        assert!(!warning.contains("os error"), "{warning}");
    }

    #[test]
    fn an_answer_is_decoded() {
        // The magic, tag 1 (error), error 4 (no sheet).
        assert_eq!(
            shell(r"cat >/dev/null; printf 'JURYWB2\n\001\004'", 10),
            Err(WorkbookError::NoSheet)
        );
    }
}

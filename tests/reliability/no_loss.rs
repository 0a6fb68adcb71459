//! Guarantee 4: no data lost. Results are staged beside the destination and renamed into
//! place: a failure after K of M files, an abort at each step of the swap and `kill -9` at
//! eleven moments of a run leave the previous complete results or none, and the next run puts
//! right what was left. `--force` never replaces a folder `jury` did not write, nor the
//! session or its grids; `jury grids` never replaces a filled grid.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::support::*;

/// A session with results already written by `jury run` at `<tmp>/out`; their tree.
fn with_results(tmp: &Path) -> std::collections::BTreeMap<String, String> {
    let session = sample_session(tmp);
    let run = jury(
        &["run", session.to_str().unwrap(), "--out", "out"],
        tmp,
        &[],
    );
    assert_eq!(run.status, Some(0), "{run}");
    assert!(complete_results(&tmp.join("out")).is_ok());
    tree(&tmp.join("out"))
}

/// Changes the session so that a new run gives other results (one more juror note).
fn change_session(tmp: &Path) {
    let toml = tmp.join("session/session.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("place = \"Lyon\"", "place = \"Lyon 7e\""),
    )
    .unwrap();
}

#[test]
fn a_failure_after_k_of_m_files_leaves_the_previous_results() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let previous = with_results(tmp.path());
    change_session(tmp.path());
    let m = previous.len();
    for k in [0, 1, m / 2, m - 1] {
        let run = jury(
            &["run", "session", "--out", "out", "--force"],
            tmp.path(),
            &[("JURY_FAIL_AFTER_FILES", &k.to_string())],
        );
        assert_no_crash(&run);
        assert_eq!(run.status, Some(2), "K = {k}\n{run}");
        assert!(run.stderr.contains("échec d'écriture simulé"), "{run}");
        assert_eq!(
            tree(&tmp.path().join("out")),
            previous,
            "K = {k}: results changed"
        );
        assert_eq!(leftovers(tmp.path()), Vec::<String>::new(), "K = {k}");
    }
    // Where there were no results, there are still none.
    let run = jury(
        &["run", "session", "--out", "fresh"],
        tmp.path(),
        &[("JURY_FAIL_AFTER_FILES", "3")],
    );
    assert_eq!(run.status, Some(2), "{run}");
    assert!(!tmp.path().join("fresh").exists());
}

#[test]
fn an_abort_at_each_step_leaves_previous_results_or_none_and_is_put_right() {
    let _serial = serial();
    for point in ["files:0", "files:5", "swap", "cleanup"] {
        let tmp = tempfile::tempdir().unwrap();
        let previous = with_results(tmp.path());
        change_session(tmp.path());
        let run = jury(
            &["run", "session", "--out", "out", "--force"],
            tmp.path(),
            &[("JURY_CRASH_AT", point)],
        );
        assert_eq!(run.status, None, "{point}: the process aborts\n{run}");
        let out = tmp.path().join("out");
        match point {
            "swap" => assert!(!out.exists(), "{point}: moved aside"),
            "cleanup" => {
                assert!(complete_results(&out).is_ok(), "{point}");
                assert_ne!(
                    tree(&out),
                    previous,
                    "{point}: the new results are in place"
                );
            }
            _ => assert_eq!(tree(&out), previous, "{point}: untouched"),
        }
        assert!(
            !leftovers(tmp.path()).is_empty(),
            "{point}: hidden folders left"
        );
        // The next run without --force finds the previous results where they were, or
        // the new ones, and refuses to replace them; with --force it writes.
        let again = jury(&["run", "session", "--out", "out"], tmp.path(), &[]);
        assert_eq!(again.status, Some(2), "{point}\n{again}");
        assert!(again.stderr.contains("--force"), "{point}\n{again}");
        if point == "swap" {
            assert_eq!(tree(&out), previous, "{point}: restored");
        }
        let forced = jury(
            &["run", "session", "--out", "out", "--force"],
            tmp.path(),
            &[],
        );
        assert_eq!(forced.status, Some(0), "{point}\n{forced}");
        assert!(complete_results(&out).is_ok(), "{point}");
        assert_eq!(leftovers(tmp.path()), Vec::<String>::new(), "{point}");
    }
}

#[test]
fn kill_9_at_any_moment_leaves_previous_results_or_none() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let previous = with_results(tmp.path());
    change_session(tmp.path());
    // How long a whole run takes here, to spread the kills over it.
    let start = Instant::now();
    let full = jury(
        &["run", "session", "--out", "timed", "--force"],
        tmp.path(),
        &[],
    );
    assert_eq!(full.status, Some(0), "{full}");
    let span = start.elapsed();
    let out = tmp.path().join("out");
    let mut outcomes = Vec::new();
    for percent in [10u32, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98] {
        let mut child = Command::new(JURY)
            .args(["run", "session", "--out", "out", "--force"])
            .current_dir(tmp.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(span * percent / 100);
        let _ = child.kill();
        let status = child.wait().unwrap();
        let state = if !out.exists() {
            "none"
        } else if tree(&out) == previous {
            "previous"
        } else {
            match complete_results(&out) {
                Ok(()) => "new",
                Err(why) => panic!("kill at {percent} %: half-written results: {why}"),
            }
        };
        outcomes.push(format!("{percent} %: {state} ({status})"));
        // Put the previous results back for the next kill.
        if state != "previous" {
            let _ = jury(&["run", "session", "--out", "out"], tmp.path(), &[]);
            if tree(&out) != previous {
                let _ = std::fs::remove_dir_all(&out);
                copy_back(tmp.path(), &previous);
            }
        }
    }
    eprintln!("kill -9 outcomes: {outcomes:?}");
    let forced = jury(
        &["run", "session", "--out", "out", "--force"],
        tmp.path(),
        &[],
    );
    assert_eq!(forced.status, Some(0), "{forced}");
    assert!(complete_results(&out).is_ok());
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

/// Restores the previous results by running the original session again.
fn copy_back(tmp: &Path, previous: &std::collections::BTreeMap<String, String>) {
    let toml = tmp.join("session/session.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("place = \"Lyon 7e\"", "place = \"Lyon\""),
    )
    .unwrap();
    let run = jury(&["run", "session", "--out", "out", "--force"], tmp, &[]);
    assert_eq!(run.status, Some(0), "{run}");
    assert_eq!(&tree(&tmp.join("out")), previous);
    change_session(tmp);
}

#[test]
fn force_never_replaces_a_foreign_folder_the_session_or_its_grids() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let session = sample_session(tmp.path());
    std::fs::create_dir_all(tmp.path().join("mine")).unwrap();
    std::fs::write(tmp.path().join("mine/notes.txt"), "à garder").unwrap();
    let inputs = tree(&session);
    for out in ["mine", "session", "session/grilles", "."] {
        let run = jury(
            &["run", "session", "--out", out, "--force"],
            tmp.path(),
            &[],
        );
        assert_no_crash(&run);
        assert_eq!(run.status, Some(2), "--out {out}\n{run}");
    }
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("mine/notes.txt")).unwrap(),
        "à garder"
    );
    assert_eq!(tree(&session), inputs, "the session is untouched");
}

#[test]
fn grids_never_replace_a_filled_grid() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let session = sample_session(tmp.path());
    let grids = tree(&session.join("grilles"));
    let run = jury(&["grids", "session"], tmp.path(), &[]);
    assert_no_crash(&run);
    assert_eq!(run.status, Some(2), "{run}");
    assert!(run.stderr.contains("--force"), "{run}");
    assert_eq!(tree(&session.join("grilles")), grids, "no grid touched");
}

//! Guarantee 5: reproducible. Another wall clock (`faketime` when installed, else two runs
//! at different times), another `SOURCE_DATE_EPOCH`, another thread count and another file
//! creation order give byte-identical outputs and manifest. Changing one grid changes only
//! that candidate's documents, the summary, the minutes and the manifest.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::support::*;

/// `faketime` when the machine has it (Debian package `faketime`, which `.ci/run` installs).
fn faketime() -> Option<&'static str> {
    ["/usr/bin/faketime", "/usr/local/bin/faketime"]
        .into_iter()
        .find(|p| Path::new(p).exists())
}

/// `jury run session --out out` in `dir`, at wall-clock time `when` if faketime is there.
fn run_at(dir: &Path, when: &str, env: &[(&str, &str)]) {
    let mut command = match faketime() {
        Some(ft) => {
            let mut c = Command::new(ft);
            c.arg(when).arg(JURY);
            c
        }
        None => Command::new(JURY),
    };
    command
        .args(["run", "session", "--out", "out"])
        .current_dir(dir)
        .envs(env.iter().copied());
    let out = command.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Copies `from` into `to` creating the files in reverse name order, so that the folder
/// lists them in another order and with other times.
fn copy_reversed(from: &Path, to: &Path) {
    let mut files: Vec<(String, Vec<u8>)> = tree(from)
        .keys()
        .map(|rel| (rel.clone(), std::fs::read(from.join(rel)).unwrap()))
        .collect();
    files.reverse();
    for (rel, bytes) in files {
        let path = to.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

#[test]
fn other_clock_threads_and_file_order_give_the_same_bytes() {
    let _serial = serial();
    if faketime().is_none() {
        eprintln!("faketime absent: the two runs differ by their real time only");
    }
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    sample_session(&a);
    let b = tmp.path().join("b");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    copy_reversed(&a.join("session"), &b.join("session"));
    run_at(
        &a,
        "2020-01-01 08:00:00",
        &[("RAYON_NUM_THREADS", "1"), ("SOURCE_DATE_EPOCH", "0")],
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    run_at(
        &b,
        "2035-06-30 23:59:59",
        &[
            ("RAYON_NUM_THREADS", "4"),
            ("SOURCE_DATE_EPOCH", "2000000000"),
        ],
    );
    let (ta, tb) = (tree(&a.join("out")), tree(&b.join("out")));
    assert!(ta.len() > 40, "{ta:?}");
    let differ: Vec<&String> = ta
        .keys()
        .filter(|k| ta.get(*k) != tb.get(*k))
        .chain(tb.keys().filter(|k| !ta.contains_key(*k)))
        .collect();
    assert!(differ.is_empty(), "files differ: {differ:?}");
}

/// The two results of one session, before and after 2026003's level in Cr2 went down in
/// Paul Durand's grid (`strictest`: C2 not acquired, so not certified any more).
fn one_grid_changed(tmp: &Path) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let people = [
        ("2026001", "Durand", "Alice"),
        ("2026002", "Petit", "Bruno"),
        ("2026003", "Martin", "Zoé"),
        ("2026004", "Nguyễn", "Thị Hương"),
        ("2026005", "Lefèvre", "Éloïse"),
    ];
    let before = Small::new(&people);
    let mut after = Small::new(&people);
    after.changes.push((1, 2, 5, "Non acquis".into()));
    before.write(&tmp.join("a/session"), false);
    after.write(&tmp.join("b/session"), false);
    run_at(&tmp.join("a"), "2026-11-27 18:00:00", &[]);
    run_at(&tmp.join("b"), "2026-11-27 18:00:00", &[]);
    (tree(&tmp.join("a/out")), tree(&tmp.join("b/out")))
}

/// What the change may touch: that candidate's statement and certificate (gone), the
/// file of all certificates (one page less), the summary, the minutes and the manifest.
const MAY_CHANGE: [&str; 6] = [
    "certificats.pdf",
    "certificats/CM-2026-11-2026003.pdf",
    "manifest.json",
    "pv-jury.pdf",
    "releves/2026003.pdf",
    "synthese.xlsx",
];

fn changed<'a>(a: &'a BTreeMap<String, String>, b: &'a BTreeMap<String, String>) -> Vec<&'a str> {
    let mut changed: Vec<&str> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .map(String::as_str)
        .collect();
    changed.sort_unstable();
    changed.dedup();
    changed
}

/// The text of a PDF (`pdftotext`), or `None` without poppler-utils.
fn pdf_text(path: &Path) -> Option<String> {
    let out = Command::new("pdftotext").arg(path).arg("-").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Every other candidate's documents stay byte for byte the same: each document's fonts
/// are subset to its own characters (plus a fixed repertoire), glyphs keep their numbers
/// (crates/jury-formats/src/render/pdf/font.rs, sfnt.rs). One of the others (Nguyễn Thị Hương) prints
/// characters outside that repertoire.
#[test]
fn one_grid_changed_changes_only_that_candidates_documents() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let (ta, tb) = one_grid_changed(tmp.path());
    assert_eq!(changed(&ta, &tb), MAY_CHANGE);
    if let (Some(a), Some(b)) = (
        pdf_text(&tmp.path().join("a/out/releves/2026003.pdf")),
        pdf_text(&tmp.path().join("b/out/releves/2026003.pdf")),
    ) {
        assert_ne!(a, b, "the changed candidate's statement says so");
    }
    let manifest = |dir: &str| -> serde_json::Value {
        serde_json::from_slice(
            &std::fs::read(tmp.path().join(dir).join("out/manifest.json")).unwrap(),
        )
        .unwrap()
    };
    let (ma, mb) = (manifest("a"), manifest("b"));
    let (ca, cb) = (
        ma["candidates"].as_array().unwrap(),
        mb["candidates"].as_array().unwrap(),
    );
    assert_eq!(ca.len(), cb.len());
    for (x, y) in ca.iter().zip(cb) {
        if x["id"] == "2026003" {
            assert_eq!(y["decision"], "not-certified");
            assert_eq!(y["certificate"], serde_json::Value::Null);
        } else {
            assert_eq!(
                x, y,
                "every other candidate keeps decision, number and code"
            );
        }
    }
}

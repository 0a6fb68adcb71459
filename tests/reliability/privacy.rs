//! Guarantee 7: candidate data never lands in temporary files outside the staging folder,
//! in core dumps or in logs; reports print findings only.

use std::path::Path;

use crate::support::*;

/// Files and folders under `dir`, recursively.
fn everything(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries {
            let path = entry.unwrap().path();
            out.push(path.display().to_string());
            if path.is_dir() {
                out.extend(everything(&path));
            }
        }
    }
    out
}

#[test]
fn no_temporary_file_no_core_dump_nothing_on_stderr() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let session = sample_session(tmp.path());
    // A grid that makes the reader abort (it asks for too much memory): no core file.
    std::fs::copy(
        Path::new(HOSTILE).join("corpus/corrupt-compound.xls"),
        session.join("grilles/grille-piege.xls"),
    )
    .unwrap();
    let scratch = tmp.path().join("tmpdir");
    std::fs::create_dir_all(&scratch).unwrap();
    let scratch_str = scratch.to_str().unwrap().to_string();
    let env = [
        ("TMPDIR", scratch_str.as_str()),
        ("TMP", scratch_str.as_str()),
        ("TEMP", scratch_str.as_str()),
    ];
    let check = jury(&["check", "session", "--format", "json"], tmp.path(), &env);
    assert_eq!(check.status, Some(2), "{check}");
    assert_eq!(check.stderr.trim(), "", "nothing but the report\n{check}");
    std::fs::remove_file(session.join("grilles/grille-piege.xls")).unwrap();
    let run = jury(&["run", "session", "--out", "out"], tmp.path(), &env);
    assert_eq!(run.status, Some(0), "{run}");
    assert_eq!(run.stderr.trim(), "", "{run}");
    for name in ["Durand", "Lefèvre", "Alice"] {
        assert!(
            !run.stdout.contains(name),
            "no candidate data in the log\n{run}"
        );
    }
    // Not even anonymous temporary files: with a temporary folder that does not exist,
    // a run still works (the summary's large sheets spill into the staging folder).
    let missing = tmp.path().join("no-such-tmpdir");
    let missing = missing.to_str().unwrap();
    let nowhere = [("TMPDIR", missing), ("TMP", missing), ("TEMP", missing)];
    let rerun = jury(&["run", "session", "--out", "out2"], tmp.path(), &nowhere);
    assert_eq!(rerun.status, Some(0), "{rerun}");
    let grids = jury(&["grids", "session", "--out", "vierges"], tmp.path(), &env);
    assert_eq!(grids.status, Some(0), "{grids}");
    assert_eq!(
        everything(&scratch),
        Vec::<String>::new(),
        "temporary files left"
    );
    let cores: Vec<String> = everything(tmp.path())
        .into_iter()
        .filter(|p| {
            Path::new(p)
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("core"))
        })
        .collect();
    assert!(cores.is_empty(), "core dumps: {cores:?}");
}

//! The CPF folder of a results folder (`<results>/cpf/`): the ledger `registre.json` and the
//! declaration files. Every file is written whole to a temporary file beside it and renamed
//! into place, so a crash leaves the previous version or the new one, never half of either.

use std::fs;
use std::path::{Path, PathBuf};

use crate::atomic::{write_file as write_file_atomically, Replace};
use jury_core::cpf::ledger::Ledger;

/// The CPF folder of a results folder.
pub fn folder(results: &Path) -> PathBuf {
    results.join("cpf")
}

/// The ledger's path.
pub fn ledger_path(results: &Path) -> PathBuf {
    folder(results).join("registre.json")
}

/// The ledger of a results folder: empty when there is none yet; `Err` when it cannot be
/// read or is not a ledger (it is then left untouched).
pub fn read(results: &Path) -> Result<Option<Ledger>, String> {
    let path = ledger_path(results);
    match fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            format!(
                "le registre « {} » n'est pas lisible (contenu invalide à la ligne {}, colonne {}) ; il n'a pas été modifié. Remettez la dernière copie intacte de ce fichier, qui garde la trace des déclarations envoyées.",
                path.display(),
                e.line(),
                e.column()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!(
            "le registre « {} » ne peut pas être lu : {}.",
            path.display(),
            crate::session::io_reason(&e)
        )),
    }
}

/// Writes the ledger, pretty-printed, atomically.
pub fn write(results: &Path, ledger: &Ledger) -> Result<(), String> {
    let mut bytes = serde_json::to_vec_pretty(ledger)
        .map_err(|_| "le registre ne peut pas être mis en forme (erreur interne)".to_string())?;
    bytes.push(b'\n');
    write_file(&ledger_path(results), &bytes)
}

/// Writes `bytes` to `path` atomically (see [`crate::atomic`]), its folder created if
/// missing.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    write_file_atomically(path, bytes, Replace::Allowed).map_err(|e| {
        format!(
            "écriture impossible dans « {} » : {}",
            path.display(),
            crate::session::io_reason(&e)
        )
    })
}

/// The bytes of a CDC processing report (`jury cpf --report FILE`), or why not (French).
pub fn read_report(file: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(file).map_err(|e| crate::session::io_reason(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_ledger_is_empty_and_a_written_one_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()).unwrap(), None);
        let ledger = Ledger {
            session: "S".into(),
            passages: Vec::new(),
        };
        write(dir.path(), &ledger).unwrap();
        assert_eq!(read(dir.path()).unwrap(), Some(ledger));
        fs::write(ledger_path(dir.path()), b"{").unwrap();
        let error = read(dir.path()).unwrap_err();
        assert!(
            error.contains("pas lisible (contenu invalide à la ligne 1, colonne 1)"),
            "{error}"
        );
        assert!(!error.contains("EOF"), "no serde text: {error}");
    }
}

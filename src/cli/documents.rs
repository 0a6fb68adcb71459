//! The documents' preflight, one function for `check` and `run`, so that a session `check`
//! passes is one that `run` decides and prints: the session's templates read and compiled
//! (`invalid-template`), the mentions a certificate needs (`missing-mention`) and the
//! characters the font cannot print (`unsupported-character`).

use std::path::Path;

use crate::core::finding::{Code, Finding};
use jury_formats::render::pdf::{self, template::Templates};
use jury_formats::render::Results;
use jury_fs::templates::{read_templates, TemplateFiles};

/// The session's template files (for the documents and the manifest's inputs); a folder
/// that cannot be read is an `invalid-template` finding.
pub fn template_files(session: &Path, folder: Option<&str>) -> Result<TemplateFiles, Vec<Finding>> {
    read_templates(session, folder).map_err(|reason| {
        vec![
            Finding::new(Code::InvalidTemplate, format!("Modèles de documents : {reason}."))
                .in_file(folder.unwrap_or_default())
                .hint("Corrigez le dossier de modèles (clé `templates` de session.toml), ou retirez la clé pour les modèles intégrés."),
        ]
    })
}

/// Every finding that stops the documents from being printed, or the compiled templates.
pub fn preflight(results: &Results, files: &TemplateFiles) -> Result<Templates, Vec<Finding>> {
    let mut findings = pdf::preflight(results);
    // The templates are tried on the session's texts: a character already reported would be
    // reported again as a template error.
    if findings
        .iter()
        .any(|f| f.code == Code::UnsupportedCharacter)
    {
        return Err(findings);
    }
    let templates = pdf::load_templates(results, &files.files, &files.folder).map_err(|e| {
        let finding =
            Finding::new(Code::InvalidTemplate, sentence(&e.to_string()))
                .hint("Corrigez le modèle nommé (voir docs/templates.md), ou retirez-le du dossier pour le modèle intégré.");
        if files.folder.is_empty() {
            finding
        } else {
            finding.in_file(&files.folder)
        }
    });
    match templates {
        Ok(templates) if findings.is_empty() => Ok(templates),
        Ok(_) => Err(findings),
        Err(finding) => {
            findings.push(finding);
            Err(findings)
        }
    }
}

/// A reason as a sentence: capital first letter, a full stop unless it ends with one.
fn sentence(reason: &str) -> String {
    let mut chars = reason.trim().chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    out.push_str(chars.as_str());
    if !out.ends_with(['.', '?', '!']) {
        out.push('.');
    }
    out
}

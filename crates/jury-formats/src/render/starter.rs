//! The text files of a new session folder (`jury init`): `session.toml`, every key
//! explained in French and every value still to give written `« À compléter »`, and
//! `LISEZMOI.txt`, the next steps with the exact commands.
//!
//! Pure: the templates live in `templates/init/` (built into the binary) and are filled by
//! replacing whole lines and `{…}` marks; nothing here touches a file.

use jury_core::sheet::Date;

const SESSION_TEMPLATE: &str = include_str!("../../../../templates/init/session.toml");
const README_TEMPLATE: &str = include_str!("../../../../templates/init/LISEZMOI.txt");

/// The value every string of the template holds until the secretary gives it.
pub const PLACEHOLDER: &str = "À compléter";

/// What `jury init` was told.
#[derive(Debug, Clone)]
pub struct Starter {
    /// The session id (already checked), if given.
    pub id: Option<String>,
    /// The jury's date, if given.
    pub date: Option<Date>,
    /// The `referential` value of `session.toml`: a built-in name or a file of the folder.
    pub referential: String,
    /// Where the referential file was copied from, for a comment (`None` when built in).
    pub referential_source: Option<String>,
    /// The session folder, as the user typed it, for the commands of `LISEZMOI.txt`.
    pub folder: String,
}

/// A TOML basic string: `"…"` with `\` and `"` escaped, control characters as `\u`.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Replaces the one line `from` of `text` with `to`.
fn replace_line(text: &str, from: &str, to: &str) -> String {
    text.lines()
        .map(|line| if line == from { to } else { line })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// `session.toml`, with the id, the date and the referential given.
pub fn session_toml(starter: &Starter) -> String {
    let placeholder = toml_string(PLACEHOLDER);
    let mut text = SESSION_TEMPLATE.to_string();
    if let Some(id) = &starter.id {
        text = replace_line(
            &text,
            &format!("id = {placeholder}"),
            &format!("id = {}", toml_string(id)),
        );
    }
    if let Some(date) = starter.date {
        text = replace_line(
            &text,
            &format!("date = {placeholder}"),
            &format!("date = {}", date.iso()),
        );
    }
    let mut referential = format!("referential = {}", toml_string(&starter.referential));
    if let Some(source) = &starter.referential_source {
        referential = format!(
            "# (copie du fichier « {} », faite par jury init)\n{referential}",
            source.replace(['\n', '\r'], " ")
        );
    }
    replace_line(
        &text,
        "referential = \"community-management\"",
        &referential,
    )
}

/// A folder as a command-line argument: as it is when it holds only plain characters,
/// else between double quotes (which the Windows and Unix shells both understand).
fn argument(folder: &str) -> String {
    let plain = !folder.is_empty()
        && folder
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./\\:~".contains(c));
    if plain {
        folder.to_string()
    } else {
        format!("\"{}\"", folder.replace('"', ""))
    }
}

/// `LISEZMOI.txt`, its commands naming the session folder as the user typed it.
pub fn readme(starter: &Starter) -> String {
    let folder = starter.folder.trim_end_matches(['/', '\\']);
    let folder = if folder.is_empty() { "/" } else { folder };
    let results = if folder == "." {
        "resultats".to_string()
    } else {
        format!("{folder}/resultats")
    };
    README_TEMPLATE
        .replace("{dossier}", &argument(folder))
        .replace("{resultats}", &argument(&results))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jury_core::session::SessionConfig;

    fn starter() -> Starter {
        Starter {
            id: None,
            date: None,
            referential: "community-management".into(),
            referential_source: None,
            folder: "session mars".into(),
        }
    }

    #[test]
    fn the_lines_filled_in_are_in_the_template_once() {
        for line in [
            "id = \"À compléter\"",
            "date = \"À compléter\"",
            "referential = \"community-management\"",
        ] {
            assert_eq!(
                SESSION_TEMPLATE.lines().filter(|l| *l == line).count(),
                1,
                "{line}"
            );
        }
    }

    #[test]
    fn id_date_and_referential_are_written_as_toml() {
        let text = session_toml(&Starter {
            id: Some("CM-2027-03".into()),
            date: Date::new(2027, 3, 18),
            referential: "referentiel.toml".into(),
            referential_source: Some("../refs/mon \"ref\".toml".into()),
            ..starter()
        });
        assert!(text.contains("\nid = \"CM-2027-03\"\n"), "{text}");
        assert!(text.contains("\ndate = 2027-03-18\n"), "{text}");
        assert!(
            text.contains("\nreferential = \"referentiel.toml\"\n"),
            "{text}"
        );
        // Once every placeholder is replaced, the current parser reads it.
        let filled = text.replace(PLACEHOLDER, "Valeur");
        let filled = filled.replacen("name = \"Valeur\"", "name = \"Claire Martin\"", 1);
        let config = SessionConfig::parse(&filled, "session.toml").unwrap();
        assert_eq!(config.id, "CM-2027-03");
        assert_eq!(config.jury.len(), 2);
        assert_eq!(config.code.as_deref(), Some("Valeur"));
    }

    #[test]
    fn the_commands_name_the_folder_as_typed() {
        let text = readme(&starter());
        assert!(text.contains("jury check \"session mars\"\n"), "{text}");
        assert!(
            text.contains("jury cpf \"session mars/resultats\"\n"),
            "{text}"
        );
        let text = readme(&Starter {
            folder: "./".into(),
            ..starter()
        });
        assert!(text.contains("jury grids .\n"), "{text}");
        assert!(text.contains("jury audit resultats\n"), "{text}");
        assert!(!text.contains('{'), "{text}");
    }
}

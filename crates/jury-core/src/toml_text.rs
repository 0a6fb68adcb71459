//! TOML files as a secretary writes them: where each key stands (from the parser's spans,
//! never from searching the text again), and the reader's errors explained in French, each
//! with the line to write instead (`date = 18/03/2027` leads to `date = 2027-03-18`).
//!
//! Pure: it takes text and gives positions and sentences. `session` and `referential` turn
//! them into findings.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::finding::line_column;
use crate::text::{fold, nearest};

/// A 1-based line and column of a TOML text.
pub type LineColumn = (usize, usize);

/// Where every key and value of a TOML text stands, by dotted path: `session.date`,
/// `jury.1.name` (arrays by 0-based index), and the text of every string value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Places {
    entries: Vec<Place>,
}

#[derive(Debug, Clone, PartialEq)]
struct Place {
    path: String,
    key: LineColumn,
    value: LineColumn,
    text: Option<String>,
}

impl Places {
    /// The places of a text; empty when it is not valid TOML.
    pub fn of(text: &str) -> Places {
        let mut places = Places::default();
        if let Ok(root) = DeTable::parse(text) {
            places.walk_table(text, "", root.get_ref());
        }
        // The parser's tables are sorted by key: put them back in the order written.
        places.entries.sort_by_key(|p| p.key);
        places
    }

    fn walk_table(&mut self, text: &str, prefix: &str, table: &DeTable<'_>) {
        for (key, value) in table {
            let path = format!("{prefix}{}", key.get_ref());
            self.push(text, &path, key.span(), value);
        }
    }

    fn push(&mut self, text: &str, path: &str, key: Range<usize>, value: &Spanned<DeValue<'_>>) {
        self.entries.push(Place {
            path: path.to_string(),
            key: line_column(text, key.start),
            value: line_column(text, value.span().start),
            text: match value.get_ref() {
                DeValue::String(s) => Some(s.to_string()),
                _ => None,
            },
        });
        match value.get_ref() {
            DeValue::Table(table) => self.walk_table(text, &format!("{path}."), table),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.push(text, &format!("{path}.{i}"), item.span(), item);
                }
            }
            _ => {}
        }
    }

    fn find(&self, path: &str) -> Option<&Place> {
        self.entries.iter().find(|p| p.path == path)
    }

    /// Where the key at `path` is written (for an array of tables: its first header).
    pub fn key(&self, path: &str) -> Option<LineColumn> {
        self.find(path).map(|p| p.key)
    }

    /// Where the value at `path` is written.
    pub fn value(&self, path: &str) -> Option<LineColumn> {
        self.find(path).map(|p| p.value)
    }

    /// Where the first key of this name is written, at any depth (`pass`, `at_least`).
    pub fn first_key_named(&self, name: &str) -> Option<LineColumn> {
        self.entries
            .iter()
            .find(|p| p.path.rsplit('.').next() == Some(name))
            .map(|p| p.key)
    }

    /// Every string value, with its path and where it stands, in the order written.
    pub fn strings(&self) -> impl Iterator<Item = (&str, &str, LineColumn)> {
        self.entries
            .iter()
            .filter_map(|p| Some((p.path.as_str(), p.text.as_deref()?, p.value)))
    }
}

/// The value `jury init` writes wherever the secretary must give one; `session` reports
/// every value still equal to it.
pub const PLACEHOLDER: &str = "À compléter";

/// A TOML error in French: what is wrong, what to write instead, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Explained {
    pub message: String,
    pub hint: Option<String>,
    /// Byte offset the error points at, when the reader gave one.
    pub offset: Option<usize>,
}

/// Every syntax error of the text (the parser recovers and goes on), or, when the syntax is
/// right, `None`: the caller then reads it with serde and explains that error alone.
pub fn syntax_errors(text: &str) -> Option<Vec<Explained>> {
    let (_, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return None;
    }
    let mut out: Vec<Explained> = Vec::new();
    for e in &errors {
        let explained = explain(text, e.message(), e.span());
        // One error per line: the recovery may report a broken line twice.
        let line = |x: &Explained| {
            x.offset
                .map(|o| text[..o.min(text.len())].matches('\n').count())
        };
        if !out.iter().any(|o| line(o) == line(&explained)) {
            out.push(explained);
        }
    }
    Some(out)
}

/// Explains one error of the TOML reader (`message`, in English, at `span` of `text`).
pub fn explain(text: &str, message: &str, span: Option<Range<usize>>) -> Explained {
    let offset = span.as_ref().map(|s| s.start);
    let found = span
        .as_ref()
        .and_then(|s| text.get(s.clone()))
        .unwrap_or_default()
        .trim();
    let (key, table) = offset.map(|o| line_key(text, o)).unwrap_or_default();
    let (message, hint) = sentences(message.trim(), found, &key, &table);
    Explained {
        message,
        hint,
        offset,
    }
}

/// The message and hint for an error, given the text found at its place, the key of its
/// line and the table it stands in.
fn sentences(message: &str, found: &str, key: &str, table: &str) -> (String, Option<String>) {
    let key = if key.is_empty() { "clé" } else { key };
    let within = if table.is_empty() {
        String::new()
    } else {
        format!(" dans [{table}]")
    };
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return unknown_key(&backticked(rest), &within);
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let name = backticked(rest).into_iter().next().unwrap_or_default();
        return (
            format!("La clé obligatoire « {name} » manque{within}."),
            Some(format!("Ajoutez une ligne {}", example(&name))),
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let names = backticked(rest);
        let Some((value, allowed)) = names.split_first() else {
            return (format!("Valeur inconnue pour `{key}`."), None);
        };
        let suggestion = nearest(value, allowed.iter().map(String::as_str))
            .map(|n| format!("Vouliez-vous dire « {n} » ? "))
            .unwrap_or_default();
        return (
            format!("Valeur inconnue « {value} » pour `{key}`."),
            Some(format!(
                "{suggestion}Valeurs possibles : {}.",
                allowed.join(", ")
            )),
        );
    }
    if message.starts_with("duplicate key") {
        return (
            format!("La clé « {found} » est écrite deux fois{within}."),
            Some("Gardez une seule de ces lignes.".into()),
        );
    }
    if message.starts_with("invalid date") || message.starts_with("invalid time") {
        return date_sentences(found, key);
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return type_sentences(rest, found, key);
    }
    if message.starts_with("string values must be quoted") {
        return unquoted(found, key);
    }
    if message.starts_with("invalid basic string") || message.contains("unterminated") {
        return (
            format!("Le texte de `{key}` n'a pas de guillemet fermant."),
            Some(
                "Un texte s'écrit entre guillemets droits sur une seule ligne : clé = \"texte\"."
                    .into(),
            ),
        );
    }
    (
        "Cette ligne n'est pas écrite comme le format TOML l'attend.".into(),
        Some("Chaque ligne s'écrit clé = valeur : un texte entre guillemets droits (\"Lyon\"), un nombre (2), true ou false, une date AAAA-MM-JJ (2027-03-18) ; une ligne qui commence par # est un commentaire.".into()),
    )
}

/// `unknown field `plce`, expected one of `id`, `place`…`.
fn unknown_key(names: &[String], within: &str) -> (String, Option<String>) {
    let Some((name, allowed)) = names.split_first() else {
        return (format!("Clé inconnue{within}."), None);
    };
    let message = format!("Clé inconnue « {name} »{within}.");
    if allowed.is_empty() {
        return (message, Some("Cette table n'accepte aucune clé.".into()));
    }
    let suggestion = nearest(name, allowed.iter().map(String::as_str))
        .map(|n| format!("Vouliez-vous dire `{n}` ? "))
        .unwrap_or_default();
    (
        message,
        Some(format!(
            "{suggestion}Clés possibles : {}.",
            allowed
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    )
}

/// Keys of `session.toml` and of referentials whose value is a number.
const NUMBER_KEYS: &[&str] = &[
    "min_jurors",
    "at_least",
    "mean_at_least",
    "weight",
    "value",
    "validity_years",
];

/// A value written without quotes: a date, a yes/no word, a number in words, or a text.
fn unquoted(found: &str, key: &str) -> (String, Option<String>) {
    if key == "date" || looks_like_date(found) {
        return date_sentences(found, key);
    }
    if let Some(yes) = yes_no(found) {
        return boolean(found, key, yes);
    }
    if NUMBER_KEYS.contains(&key) {
        return (
            format!("`{key}` attend un nombre, pas « {found} »."),
            Some(format!(
                "Écrivez un nombre entier, sans guillemets : {key} = {}",
                number_hint(found)
            )),
        );
    }
    let bare = found.trim_matches([
        '«', '»', '“', '”', '‘', '’', '\'', ' ', '\u{a0}', '\u{202f}',
    ]);
    (
        format!("Le texte « {bare} » de `{key}` doit être écrit entre guillemets droits."),
        Some(format!("Écrivez : {key} = \"{bare}\"")),
    )
}

/// `invalid type: string "oui", expected a boolean`, and the other type mistakes.
fn type_sentences(rest: &str, found: &str, key: &str) -> (String, Option<String>) {
    let (what, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
    let inner = found.trim_matches(['"', '\'']);
    if fold(inner) == fold(PLACEHOLDER) {
        let example = match expected_kind(expected) {
            "une date AAAA-MM-JJ" => {
                format!("{key} = 2027-03-18 (année-mois-jour, sans guillemets)")
            }
            "true ou false" => format!("{key} = true (oui) ou {key} = false (non)"),
            "un nombre entier" => format!("{key} = 2"),
            _ => format!("{key} = \"…\""),
        };
        return (
            format!("`{key}` est encore « {PLACEHOLDER} »."),
            Some(format!("Remplacez-le par la vraie valeur : {example}")),
        );
    }
    if expected.contains("datetime") || expected.contains("date") {
        if what.starts_with("string") {
            let written = iso_date(inner).unwrap_or_else(|| "2027-03-18".into());
            return (
                format!(
                    "La date{} est écrite entre guillemets : TOML y voit un texte.",
                    of_key(key)
                ),
                Some(format!(
                    "Écrivez-la sans guillemets, sous la forme AAAA-MM-JJ : {key} = {written}"
                )),
            );
        }
        return date_sentences(found, key);
    }
    if expected.contains("bool") {
        let yes = yes_no(inner).unwrap_or(true);
        return boolean(found, key, yes);
    }
    let expected_text = if expected.starts_with("a string") || expected.contains("str") {
        Some(format!(
            "Écrivez le texte entre guillemets droits : {key} = \"{inner}\""
        ))
    } else if expected.starts_with("u") || expected.starts_with("i") || expected.contains("integer")
    {
        Some(format!(
            "Écrivez un nombre entier, sans guillemets : {key} = {}",
            number_hint(inner)
        ))
    } else if expected.contains("sequence") {
        Some(format!(
            "Écrivez une liste entre crochets : {key} = [\"{inner}\"]"
        ))
    } else {
        None
    };
    (
        format!(
            "La valeur {} de `{key}` n'est pas du type attendu ({}).",
            kind_of(what),
            expected_kind(expected)
        ),
        expected_text,
    )
}

/// A date in the wrong form: the message and the ISO line to write.
fn date_sentences(found: &str, key: &str) -> (String, Option<String>) {
    let key = if key == "clé" { "date" } else { key };
    let shown = found.trim_matches(['"', '\'']);
    let written = iso_date(shown).unwrap_or_else(|| "2027-03-18".into());
    (
        format!(
            "La date « {shown} »{} n'est pas écrite comme TOML l'attend (AAAA-MM-JJ).",
            of_key(key)
        ),
        Some(format!(
            "Écrivez-la année-mois-jour, sans guillemets : {key} = {written}"
        )),
    )
}

/// « de `key` » after « La date », unless the key is `date` itself.
fn of_key(key: &str) -> String {
    if key == "date" {
        String::new()
    } else {
        format!(" de `{key}`")
    }
}

/// `external = oui`: TOML's booleans are `true` and `false`.
fn boolean(found: &str, key: &str, yes: bool) -> (String, Option<String>) {
    let shown = found.trim_matches(['"', '\'']);
    let (word, other) = if yes {
        ("true", "false")
    } else {
        ("false", "true")
    };
    (
        format!("`{key}` attend true (oui) ou false (non), pas « {shown} »."),
        Some(format!(
            "Écrivez : {key} = {word} (ou {key} = {other} pour l'inverse)"
        )),
    )
}

/// `JJ/MM/AAAA`, `JJ-MM-AAAA`, `JJ.MM.AAAA`, `AAAA-M-J`, `AAAA/MM/JJ` as ISO `AAAA-MM-JJ`.
fn iso_date(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.trim().split(['/', '-', '.']).collect();
    let numbers: Vec<u32> = parts
        .iter()
        .map(|p| p.parse::<u32>().ok())
        .collect::<Option<_>>()?;
    let (year, month, day) = match (parts.as_slice(), numbers.as_slice()) {
        ([y, _, _], [year, month, day]) if y.len() == 4 => (*year, *month, *day),
        ([_, _, y], [day, month, year]) if y.len() == 4 => (*year, *month, *day),
        _ => return None,
    };
    let valid = (1..=12).contains(&month) && (1..=31).contains(&day);
    valid.then(|| format!("{year:04}-{month:02}-{day:02}"))
}

fn looks_like_date(text: &str) -> bool {
    iso_date(text.trim_matches(['"', '\''])).is_some()
}

/// Oui / non and their usual spellings.
fn yes_no(text: &str) -> Option<bool> {
    match fold(text.trim_matches(['"', '\''])).as_str() {
        "oui" | "o" | "vrai" | "yes" | "y" | "true" | "x" => Some(true),
        "non" | "n" | "faux" | "no" | "false" => Some(false),
        _ => None,
    }
}

/// A number written in words or with a unit, as an example of what to write.
fn number_hint(text: &str) -> String {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        return digits;
    }
    match fold(text).as_str() {
        "un" | "une" => "1".into(),
        "deux" => "2".into(),
        "trois" => "3".into(),
        "quatre" => "4".into(),
        _ => "2".into(),
    }
}

/// `string "deux"` → `le texte « deux »`.
fn kind_of(what: &str) -> String {
    let value = what
        .split_once(' ')
        .map(|(_, v)| v.trim_matches(['"', '`']))
        .unwrap_or_default();
    if what.starts_with("string") {
        format!("« {value} » (un texte)")
    } else if what.starts_with("integer") || what.starts_with("floating point") {
        format!("{value} (un nombre)")
    } else if what.starts_with("boolean") {
        format!("{value} (true ou false)")
    } else if what.starts_with("sequence") {
        "écrite comme une liste".into()
    } else if what.starts_with("map") {
        "écrite comme une table".into()
    } else {
        "écrite".into()
    }
}

fn expected_kind(expected: &str) -> &'static str {
    let e = expected.trim_start_matches("a ").trim_start_matches("an ");
    let digit_after = |prefix: char| {
        e.strip_prefix(prefix)
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    };
    if digit_after('u') || digit_after('i') || e.contains("integer") {
        "un nombre entier"
    } else if digit_after('f') {
        "un nombre"
    } else if e.contains("bool") {
        "true ou false"
    } else if e.contains("str") {
        "un texte entre guillemets"
    } else if e.contains("sequence") {
        "une liste [ … ]"
    } else if e.contains("date") {
        "une date AAAA-MM-JJ"
    } else {
        "une table"
    }
}

/// An example line for a key that is missing.
fn example(key: &str) -> String {
    match key {
        "date" => "date = 2027-03-18 (la date du jury, année-mois-jour, sans guillemets).".into(),
        "id" => "id = \"CM-2027-03\" (l'identifiant de la session).".into(),
        "referential" => {
            "referential = \"community-management\" (le référentiel de la certification).".into()
        }
        "place" => "place = \"Lyon\" (le lieu du jury).".into(),
        "certifier" => "certifier = \"Nom légal de l'organisme certificateur\".".into(),
        "name" => "name = \"Prénom Nom\".".into(),
        "role" => "role = \"Présidente du jury\" (sa qualité).".into(),
        "session" => {
            "[session] suivie de ses clés (id, referential, date, place, certifier).".into()
        }
        other => format!("{other} = …"),
    }
}

/// The key written on the line of `offset`, and the table it stands in (`session`,
/// `jury`…), for messages.
fn line_key(text: &str, offset: usize) -> (String, String) {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[start..end];
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_string())
        .unwrap_or_default();
    let table = text[..end]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(['[', ']']).trim().to_string())
        .unwrap_or_default();
    (key, table)
}

/// The names between backticks: ``unknown field `plce`, expected `id`…`` → `plce`, `id`….
fn backticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(e: &Explained) -> &str {
        e.hint.as_deref().unwrap_or_default()
    }

    #[test]
    fn places_come_from_the_parser() {
        let text = "[session]\nid = \"X\"\nplace = \"L\"\n\n[[jury]]\nname = \"A\"\n[[jury]]\nname = \"B\"\n";
        let places = Places::of(text);
        assert_eq!(places.key("session.place"), Some((3, 1)));
        assert_eq!(places.value("session.id"), Some((2, 6)));
        assert_eq!(places.key("jury.1.name"), Some((8, 1)));
        assert_eq!(places.key("session.date"), None);
        let strings: Vec<_> = places.strings().map(|(p, t, _)| (p, t)).collect();
        assert_eq!(strings[0], ("session.id", "X"));
        assert_eq!(strings[3], ("jury.1.name", "B"));
    }

    #[test]
    fn dates_lead_to_the_iso_line() {
        for text in [
            "date = 18/03/2027\n",
            "date = 18-03-2027\n",
            "date = 2027-3-18\n",
        ] {
            let errors = syntax_errors(&format!("[session]\n{text}")).unwrap();
            assert_eq!(
                hint(&errors[0]),
                "Écrivez-la année-mois-jour, sans guillemets : date = 2027-03-18",
                "{text}"
            );
        }
        let quoted = explain(
            "date = \"2027-03-18\"",
            "invalid type: string \"2027-03-18\", expected a TOML datetime",
            Some(7..19),
        );
        assert!(hint(&quoted).ends_with("date = 2027-03-18"), "{quoted:?}");
    }

    #[test]
    fn yes_no_words_lead_to_booleans() {
        let errors = syntax_errors("[[jury]]\nexternal = oui\n").unwrap();
        assert_eq!(
            errors[0].message,
            "`external` attend true (oui) ou false (non), pas « oui »."
        );
        assert!(hint(&errors[0]).starts_with("Écrivez : external = true"));
    }

    #[test]
    fn unknown_keys_suggest_the_nearest() {
        let e = explain(
            "[session]\nplce = \"L\"\n",
            "unknown field `plce`, expected one of `id`, `date`, `place`",
            Some(10..14),
        );
        assert_eq!(e.message, "Clé inconnue « plce » dans [session].");
        assert!(hint(&e).starts_with("Vouliez-vous dire `place` ?"), "{e:?}");
    }

    #[test]
    fn serde_errors_read_in_french() {
        let missing = explain(
            "[session]\nid = \"X\"\n",
            "missing field `date`\n",
            Some(0..9),
        );
        assert_eq!(
            missing.message,
            "La clé obligatoire « date » manque dans [session]."
        );
        assert!(hint(&missing).starts_with("Ajoutez une ligne date = 2027-03-18"));
        let text = "[rules]\naggregation = \"moyenne\"\nmin_jurors = \"deux\"\n";
        let variant = explain(
            text,
            "unknown variant `moyenne`, expected one of `consensus`, `mean`",
            Some(22..31),
        );
        assert_eq!(
            variant.message,
            "Valeur inconnue « moyenne » pour `aggregation`."
        );
        assert_eq!(hint(&variant), "Valeurs possibles : consensus, mean.");
        let number = explain(
            text,
            "invalid type: string \"deux\", expected u32",
            Some(45..51),
        );
        assert_eq!(
            number.message,
            "La valeur « deux » (un texte) de `min_jurors` n'est pas du type attendu (un nombre entier)."
        );
        assert_eq!(
            hint(&number),
            "Écrivez un nombre entier, sans guillemets : min_jurors = 2"
        );
    }

    #[test]
    fn every_syntax_error_is_reported_once() {
        let errors = syntax_errors("[session]\nid = X\nplace = Lyon\n").unwrap();
        assert_eq!(errors.len(), 2);
        assert_eq!(hint(&errors[1]), "Écrivez : place = \"Lyon\"");
        assert!(syntax_errors("[session]\nid = \"X\"\n").is_none());
    }
}

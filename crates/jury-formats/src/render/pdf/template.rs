//! Document templates: page, margins, sizes, colours, optional logo and every French text
//! of the three documents, from `templates/documents/*.toml` (built in) overridden key by
//! key by the session's own templates folder. Texts are minijinja templates
//! (`{{ candidat.prenom }}`); an unknown placeholder, key or value is an error that names
//! the file, found once when the session is loaded, never halfway through printing.
//! Sizes and colours are typed, one field per style a document uses ([`CertificateSizes`]
//! …): a style missing or unknown is such an error too, never a default.

use std::collections::BTreeMap;

use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use serde::de::value::MapDeserializer;
use serde::de::{DeserializeOwned, IntoDeserializer};
use serde::Deserialize;

use super::font::missing_chars;
use super::layout::{Colour, MM};
use super::{logo, PdfError};

/// The three documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Doc {
    Certificate,
    Statement,
    Minutes,
}

impl Doc {
    /// The template's file name, built in and in a session's templates folder.
    pub fn file(self) -> &'static str {
        match self {
            Doc::Certificate => "certificat.toml",
            Doc::Statement => "releve.toml",
            Doc::Minutes => "pv.toml",
        }
    }

    fn built_in(self) -> &'static str {
        match self {
            Doc::Certificate => include_str!("../../../../../templates/documents/certificat.toml"),
            Doc::Statement => include_str!("../../../../../templates/documents/releve.toml"),
            Doc::Minutes => include_str!("../../../../../templates/documents/pv.toml"),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    page: RawPage,
    logo: Option<RawLogo>,
    sizes: BTreeMap<String, f32>,
    colors: BTreeMap<String, String>,
    texts: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    size: String,
    orientation: String,
    margins_mm: Margins,
    #[serde(default)]
    frame: bool,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct Margins {
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
    pub left: f32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLogo {
    file: String,
    #[serde(default = "logo_height")]
    height_mm: f32,
}

fn logo_height() -> f32 {
    18.0
}

/// A logo ready to place: its image and its size on the page, in points.
#[derive(Clone)]
pub struct Logo {
    pub image: logo::Image,
    pub width: f32,
    pub height: f32,
}

/// One document's layout, in points, with its font sizes `S` and colours `C` (one field
/// per style the document uses: [`CertificateSizes`], [`StatementColors`]…).
pub struct Template<S, C> {
    pub doc: Doc,
    pub width: f32,
    pub height: f32,
    /// Margins in points.
    pub margins: Margins,
    /// Draw a double frame around the page (certificates).
    pub frame: bool,
    pub logo: Option<Logo>,
    pub sizes: S,
    pub colors: C,
}

pub type CertificateTemplate = Template<CertificateSizes, CertificateColors>;
pub type StatementTemplate = Template<StatementSizes, StatementColors>;
pub type MinutesTemplate = Template<MinutesSizes, MinutesColors>;

/// Font sizes of the certificate, in points (`[sizes]` of `certificat.toml`).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateSizes {
    pub header: f32,
    pub header_note: f32,
    pub title: f32,
    pub subtitle: f32,
    pub body: f32,
    pub holder: f32,
    pub certification: f32,
    pub mentions: f32,
    pub registration: f32,
    pub competencies_heading: f32,
    /// The competencies' largest size; smaller when the list is long.
    pub competency: f32,
    pub competency_min: f32,
    pub footer: f32,
    pub verification: f32,
}

/// Colours of the certificate (`[colors]` of `certificat.toml`).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateColors {
    pub accent: Colour,
    pub text: Colour,
    pub muted: Colour,
    pub frame: Colour,
}

/// Font sizes of the decision statement, in points (`[sizes]` of `releve.toml`).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementSizes {
    pub header: f32,
    pub title: f32,
    pub subtitle: f32,
    pub body: f32,
    pub label: f32,
    pub decision: f32,
    pub heading: f32,
    pub table: f32,
    pub footer: f32,
    pub recourse: f32,
    pub provisional: f32,
}

/// Colours of the decision statement (`[colors]` of `releve.toml`).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementColors {
    pub accent: Colour,
    pub text: Colour,
    pub muted: Colour,
    pub rule: Colour,
    pub header_fill: Colour,
    pub group_fill: Colour,
    pub acquired: Colour,
    pub not_acquired: Colour,
    pub pending: Colour,
    pub provisional: Colour,
}

/// Font sizes of the minutes, in points (`[sizes]` of `pv.toml`).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinutesSizes {
    pub header: f32,
    pub title: f32,
    pub subtitle: f32,
    pub body: f32,
    pub heading: f32,
    pub table: f32,
    pub footer: f32,
    pub provisional: f32,
}

/// Colours of the minutes (`[colors]` of `pv.toml`).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinutesColors {
    pub accent: Colour,
    pub text: Colour,
    pub muted: Colour,
    pub rule: Colour,
    pub header_fill: Colour,
    pub certified: Colour,
    pub not_certified: Colour,
    pub other: Colour,
    pub pending: Colour,
    pub provisional: Colour,
}

/// The styles of the parts the statements and the minutes share (`parts`): page header
/// and title, body, footer, PROVISOIRE mark.
#[derive(Debug, Clone, Copy)]
pub struct PartStyles {
    pub sizes: PartSizes,
    pub colors: PartColors,
}

#[derive(Debug, Clone, Copy)]
pub struct PartSizes {
    pub header: f32,
    pub title: f32,
    pub body: f32,
    pub footer: f32,
    pub provisional: f32,
}

#[derive(Debug, Clone, Copy)]
pub struct PartColors {
    pub accent: Colour,
    pub text: Colour,
    pub muted: Colour,
    pub rule: Colour,
    pub pending: Colour,
    pub provisional: Colour,
}

/// A document laid out with the shared parts (`parts`): its styles for them.
pub trait Parts {
    fn parts(&self) -> PartStyles;
}

impl Parts for StatementTemplate {
    fn parts(&self) -> PartStyles {
        let (s, c) = (&self.sizes, &self.colors);
        PartStyles {
            sizes: PartSizes {
                header: s.header,
                title: s.title,
                body: s.body,
                footer: s.footer,
                provisional: s.provisional,
            },
            colors: PartColors {
                accent: c.accent,
                text: c.text,
                muted: c.muted,
                rule: c.rule,
                pending: c.pending,
                provisional: c.provisional,
            },
        }
    }
}

impl Parts for MinutesTemplate {
    fn parts(&self) -> PartStyles {
        let (s, c) = (&self.sizes, &self.colors);
        PartStyles {
            sizes: PartSizes {
                header: s.header,
                title: s.title,
                body: s.body,
                footer: s.footer,
                provisional: s.provisional,
            },
            colors: PartColors {
                accent: c.accent,
                text: c.text,
                muted: c.muted,
                rule: c.rule,
                pending: c.pending,
                provisional: c.provisional,
            },
        }
    }
}

/// A colour of `[colors]`: `#RRGGBB` (or `RRGGBB`), as [`parse_colour`] reads it.
impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Colour, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_colour(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "« {text} » : écrivez « #RRVVBB », par exemple « #1F3864 »"
            ))
        })
    }
}

/// The session's templates, checked, with their texts compiled.
pub struct Templates {
    env: Environment<'static>,
    pub certificate: CertificateTemplate,
    pub statement: StatementTemplate,
    pub minutes: MinutesTemplate,
}

impl Templates {
    /// Loads the built-in templates, each overridden by the file of the same name in
    /// `files` (the session's templates folder, shown as `folder` in errors), and checks
    /// every text against `sample` (a context with every placeholder).
    pub fn load(
        files: &BTreeMap<String, Vec<u8>>,
        folder: &str,
        sample: &Value,
    ) -> Result<Templates, PdfError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| AutoEscape::None);
        env.set_keep_trailing_newline(false);
        let mut loader = Loader {
            env: &mut env,
            files,
            folder,
            sample,
        };
        let certificate = loader.load(Doc::Certificate)?;
        let statement = loader.load(Doc::Statement)?;
        let minutes = loader.load(Doc::Minutes)?;
        Ok(Templates {
            env,
            certificate,
            statement,
            minutes,
        })
    }

    /// The built-in templates alone.
    pub fn built_in(sample: &Value) -> Result<Templates, PdfError> {
        Templates::load(&BTreeMap::new(), "", sample)
    }

    /// Renders the text `key` of a document with `ctx`, with French spacing (see
    /// [`french_spacing`]) except in what the QR code holds.
    pub fn text(&self, doc: Doc, key: &str, ctx: &Value) -> Result<String, PdfError> {
        self.env
            .get_template(&name(doc, key))
            .and_then(|t| t.render(ctx))
            .map(|s| match key {
                "qr" => s.trim().to_string(),
                _ => french_spacing(s.trim()),
            })
            .map_err(|e| PdfError::Template {
                file: doc.file().to_string(),
                message: format!("texte `{key}` : {}", describe(&e)),
            })
    }
}

/// French typography for print: the space after « and « n° », and before » : ; ! ? and a
/// percent sign after a digit, become non-breaking (U+00A0), so a line never starts with
/// « : » or ends with « « ». Other spaces are left as they are.
pub fn french_spacing(text: &str) -> String {
    const NBSP: char = '\u{a0}';
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let glued = c == ' '
            && (matches!(before, Some('«' | '°'))
                || matches!(after, Some('»' | ':' | ';' | '!' | '?'))
                || (after == Some('%') && before.is_some_and(|b| b.is_ascii_digit())));
        out.push(if glued { NBSP } else { c });
    }
    out
}

/// What loading each document's template needs: the texts' environment, the session's
/// template files and the sample context the texts are tried on.
struct Loader<'a, 'e> {
    env: &'a mut Environment<'e>,
    files: &'a BTreeMap<String, Vec<u8>>,
    folder: &'a str,
    sample: &'a Value,
}

impl Loader<'_, '_> {
    /// One document's template: merged over the built-in one, its keys checked, its
    /// texts compiled into the environment and tried on the sample, its page and styles
    /// read. Errors name the file the user wrote, or the built-in one.
    fn load<S: DeserializeOwned, C: DeserializeOwned>(
        &mut self,
        doc: Doc,
    ) -> Result<Template<S, C>, PdfError> {
        let shown = match self.files.get(doc.file()) {
            Some(_) => format!("{}/{}", self.folder, doc.file()),
            None => format!("templates/documents/{}", doc.file()),
        };
        let error = |message: String| PdfError::Template {
            file: shown.clone(),
            message,
        };
        let raw = merged(doc, self.files.get(doc.file()), &shown)?;
        check_keys(doc, &raw).map_err(error)?;
        self.compile_texts(doc, &raw).map_err(error)?;
        template(doc, raw, self.files, self.folder).map_err(error)
    }

    /// Adds every text of `raw` to the environment, then renders each with the sample:
    /// a syntax error, an unknown placeholder, an empty recourse paragraph or a character
    /// the font lacks is refused here, before anything is printed.
    fn compile_texts(&mut self, doc: Doc, raw: &Raw) -> Result<(), String> {
        for (key, source) in &raw.texts {
            self.env
                .add_template_owned(name(doc, key), source.clone())
                .map_err(|e| format!("texte `{key}` : {}", describe(&e)))?;
        }
        for key in raw.texts.keys() {
            let out = self
                .env
                .get_template(&name(doc, key))
                .and_then(|t| t.render(self.sample))
                .map_err(|e| format!("texte `{key}` : {}", describe(&e)))?;
            if doc == Doc::Statement && key == "recourse" && out.trim().is_empty() {
                return Err(
                    "texte `recourse` : les voies de recours sont imprimées sur chaque relevé et ne peuvent pas être vides ; écrivez la procédure de recours de votre organisme".into(),
                );
            }
            if let Some(c) = missing_chars(&out).first() {
                return Err(format!(
                    "texte `{key}` : le caractère « {c} » (U+{:04X}) n'existe pas dans la police des documents",
                    u32::from(*c)
                ));
            }
        }
        Ok(())
    }
}

fn name(doc: Doc, key: &str) -> String {
    format!("{}:{key}", doc.file())
}

fn describe(e: &minijinja::Error) -> String {
    let mut text = e.to_string();
    if let Some(detail) = e.detail() {
        if !text.contains(detail) {
            text = format!("{text} ({detail})");
        }
    }
    text
}

/// The built-in template with the override's keys laid over it.
fn merged(doc: Doc, over: Option<&Vec<u8>>, shown: &str) -> Result<Raw, PdfError> {
    let built_in = || PdfError::Template {
        file: format!("templates/documents/{}", doc.file()),
        message: "modèle intégré illisible".into(),
    };
    let mut base: toml::Table = toml::from_str(doc.built_in()).map_err(|_| built_in())?;
    if let Some(bytes) = over {
        let file = shown.to_string();
        let text = std::str::from_utf8(bytes).map_err(|_| PdfError::Template {
            file: file.clone(),
            message: "le fichier n'est pas en UTF-8".into(),
        })?;
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| {
                let (line, column) = jury_core::finding::line_column(text, s.start);
                format!("ligne {line}, colonne {column} : ")
            });
            PdfError::Template {
                file: file.clone(),
                message: format!("{}{}", at.unwrap_or_default(), e.message().trim()),
            }
        })?;
        merge(&mut base, table);
    }
    toml::Value::Table(base)
        .try_into::<Raw>()
        .map_err(|e| PdfError::Template {
            file: shown.to_string(),
            message: e.message().trim().to_string(),
        })
}

fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// Every key of `[texts]`, `[sizes]` and `[colors]` must be one the built-in template has.
fn check_keys(doc: Doc, raw: &Raw) -> Result<(), String> {
    let Ok(base) = toml::from_str::<Raw>(doc.built_in()) else {
        return Err("modèle intégré illisible".into());
    };
    let tables: [(&str, Vec<&String>, Vec<&String>); 3] = [
        (
            "texts",
            raw.texts.keys().collect(),
            base.texts.keys().collect(),
        ),
        (
            "sizes",
            raw.sizes.keys().collect(),
            base.sizes.keys().collect(),
        ),
        (
            "colors",
            raw.colors.keys().collect(),
            base.colors.keys().collect(),
        ),
    ];
    for (table, keys, known) in tables {
        if let Some(unknown) = keys.iter().find(|k| !known.contains(k)) {
            let hint = jury_core::text::nearest(unknown, known.iter().map(|k| k.as_str()))
                .map(|k| format!(" ; vouliez-vous dire `{k}` ?"))
                .unwrap_or_default();
            return Err(format!("clé inconnue `{unknown}` dans [{table}]{hint}"));
        }
    }
    Ok(())
}

fn template<S: DeserializeOwned, C: DeserializeOwned>(
    doc: Doc,
    raw: Raw,
    files: &BTreeMap<String, Vec<u8>>,
    folder: &str,
) -> Result<Template<S, C>, String> {
    let (w, h) = page_size(&raw.page)?;
    let m = raw.page.margins_mm;
    let sides = [m.top, m.right, m.bottom, m.left];
    if sides.iter().any(|s| !(0.0..=80.0).contains(s))
        || w - m.left - m.right < 100.0
        || h - m.top - m.bottom < 100.0
    {
        return Err("marges impossibles : chacune de 0 à 80 mm, et au moins 100 mm de large et de haut pour le contenu".into());
    }
    if let Some((key, size)) = raw.sizes.iter().find(|(_, s)| !(4.0..=96.0).contains(*s)) {
        return Err(format!(
            "taille `{key}` = {size} : une taille de police va de 4 à 96 points"
        ));
    }
    if let Some((key, text)) = raw.colors.iter().find(|(_, t)| parse_colour(t).is_none()) {
        return Err(format!(
            "couleur `{key}` = « {text} » : écrivez « #RRVVBB », par exemple « #1F3864 »"
        ));
    }
    let sizes = styles("sizes", raw.sizes.iter().map(|(k, v)| (k.as_str(), *v)))?;
    let colors = styles(
        "colors",
        raw.colors.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    )?;
    let logo = match raw.logo {
        None => None,
        Some(l) => Some(load_logo(&l, files, folder)?),
    };
    Ok(Template {
        doc,
        width: w * MM,
        height: h * MM,
        margins: Margins {
            top: m.top * MM,
            right: m.right * MM,
            bottom: m.bottom * MM,
            left: m.left * MM,
        },
        frame: raw.page.frame,
        logo,
        sizes,
        colors,
    })
}

/// The page's width and height in millimetres, from its size and orientation.
fn page_size(page: &RawPage) -> Result<(f32, f32), String> {
    let (w, h) = match page.size.to_uppercase().as_str() {
        "A3" => (297.0, 420.0),
        "A4" => (210.0, 297.0),
        "A5" => (148.0, 210.0),
        "LETTER" => (215.9, 279.4),
        "LEGAL" => (215.9, 355.6),
        other => {
            return Err(format!(
                "format de page inconnu « {other} » (A3, A4, A5, Letter ou Legal)"
            ))
        }
    };
    match page.orientation.as_str() {
        "portrait" => Ok((w, h)),
        "landscape" | "paysage" => Ok((h, w)),
        other => Err(format!(
            "orientation inconnue « {other} » (portrait ou landscape)"
        )),
    }
}

/// A table of styles (`[sizes]` or `[colors]`, named `table` in errors) as the document's
/// typed styles: a style the document does not use, or one it uses that the table lacks,
/// is an error naming it, never a default.
fn styles<'a, T, V>(table: &str, entries: impl Iterator<Item = (&'a str, V)>) -> Result<T, String>
where
    T: DeserializeOwned,
    V: IntoDeserializer<'a, StyleError>,
{
    T::deserialize(MapDeserializer::new(entries)).map_err(|e| match e {
        StyleError::Unknown(name) => format!("style inconnu `{name}` dans [{table}]"),
        StyleError::Missing(name) => format!("style `{name}` absent de [{table}]"),
        StyleError::Value(message) => format!("[{table}] : {message}"),
    })
}

/// Why a table of styles does not give a document's styles.
#[derive(Debug)]
enum StyleError {
    /// A style the document does not use.
    Unknown(String),
    /// A style the document uses that the table lacks.
    Missing(&'static str),
    /// A value of the wrong kind, or a colour that is not `#RRVVBB`.
    Value(String),
}

impl std::fmt::Display for StyleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StyleError::Unknown(name) => write!(f, "unknown style `{name}`"),
            StyleError::Missing(name) => write!(f, "missing style `{name}`"),
            StyleError::Value(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for StyleError {}

impl serde::de::Error for StyleError {
    fn custom<T: std::fmt::Display>(message: T) -> StyleError {
        StyleError::Value(message.to_string())
    }

    fn unknown_field(field: &str, _expected: &'static [&'static str]) -> StyleError {
        StyleError::Unknown(field.to_string())
    }

    fn missing_field(field: &'static str) -> StyleError {
        StyleError::Missing(field)
    }
}

fn load_logo(
    spec: &RawLogo,
    files: &BTreeMap<String, Vec<u8>>,
    folder: &str,
) -> Result<Logo, String> {
    if !(3.0..=80.0).contains(&spec.height_mm) {
        return Err(format!(
            "logo : height_mm = {} ; la hauteur va de 3 à 80 mm",
            spec.height_mm
        ));
    }
    let bytes = files.get(&spec.file).ok_or_else(|| {
        format!("le logo « {} » est introuvable dans le dossier de modèles « {folder} » (donnez le nom d'un fichier PNG de ce dossier)", spec.file)
    })?;
    let image = logo::from_png(bytes).map_err(|e| format!("logo « {} » : {e}", spec.file))?;
    let height = spec.height_mm * MM;
    let width = height * image.width as f32 / image.height.max(1) as f32;
    Ok(Logo {
        image,
        width,
        height,
    })
}

/// `#RRGGBB` (or `RRGGBB`) to a colour.
pub fn parse_colour(text: &str) -> Option<Colour> {
    let hex = text.trim().trim_start_matches('#');
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| {
        u8::from_str_radix(&hex[i..i + 2], 16)
            .ok()
            .map(|v| f32::from(v) / 255.0)
    };
    Some(Colour(channel(0)?, channel(2)?, channel(4)?))
}

#[cfg(test)]
mod tests;

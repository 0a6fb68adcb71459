//! The blank candidates workbook of `jury init`: the sheet `Candidats` with one column per
//! field that `core::candidates` reads (its accepted headers only, plus `Jury`, which
//! `jury grids` reads), a note on every header saying what to write, drop-downs where the
//! values are a closed list, dates shown `JJ/MM/AAAA`, ids and codes kept as text, and one
//! example row to delete (its id is [`EXAMPLE_ID`], an `example-row` error while it stays).
//! A second sheet, `Aide`, lists the same explanations as a table.
//!
//! Pure: data in, bytes out. The creation date written in the workbook is the one given,
//! so the same inputs give the same bytes.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Note, Workbook, Worksheet, XlsxError,
};

use crate::xlsx::{col, creation_date};
use jury_core::example_row::EXAMPLE_ID;
use jury_core::referential::Referential;
use jury_core::sheet::Date;

/// The sheets of the workbook.
pub const CANDIDATES_SHEET: &str = "Candidats";
pub const HELP_SHEET: &str = "Aide";

/// Rows (below the header) that carry the drop-downs.
const INPUT_ROWS: u32 = 2000;

/// The values of the `Modalité d'accès` drop-down: the French words `jury cpf` declares.
pub const ACCESS_MODES: &[&str] = &[
    "Formation initiale",
    "Apprentissage",
    "Formation continue",
    "Contrat de professionnalisation",
    "VAE",
    "Équivalence / diplôme étranger",
    "Candidat libre",
];

/// What a column's cells hold.
#[derive(Clone, Copy)]
enum Kind {
    /// Anything typed, as it is.
    Free,
    /// Text even when it looks like a number (ids, codes with leading zeros).
    Text,
    /// A date, shown `JJ/MM/AAAA`.
    Date,
    /// One of a closed list; `strict` refuses anything else.
    List(&'static [&'static str], bool),
}

/// One column: its header, width, whether it must be filled, and what to write.
struct Column {
    header: &'static str,
    width: f64,
    required: &'static str,
    help: String,
    kind: Kind,
    /// The example row's cell.
    example: Example,
}

enum Example {
    Text(&'static str),
    Date(u16, u8, u8),
    Empty,
}

fn columns(referential: &Referential) -> Vec<Column> {
    let prerequisites = referential
        .prerequisites
        .as_deref()
        .map(|p| {
            format!(
                " Prérequis de la certification : {}.",
                p.trim_end_matches('.')
            )
        })
        .unwrap_or_default();
    let column = |header, width, required, help: &str, kind, example| Column {
        header,
        width,
        required,
        help: help.to_string(),
        kind,
        example,
    };
    vec![
        column("N° candidat", 14.0, "Oui", "Le numéro du candidat, différent pour chaque candidat de la session. Il fait partie du numéro de son certificat. La colonne est au format Texte : les zéros en tête sont gardés (000123 n'est pas 123).", Kind::Text, Example::Text(EXAMPLE_ID)),
        column("Nom", 18.0, "Oui", "Le nom de naissance, tel qu'il figure sur la pièce d'identité : il est imprimé sur le certificat.", Kind::Free, Example::Text("DUPONT")),
        column("Prénom", 18.0, "Oui", "Le ou les prénoms de l'état civil. Plusieurs prénoms se séparent par des virgules (« Marie, Louise »), jamais par des espaces : « Thị Hương » est un seul prénom. Trois prénoms au plus pour la déclaration CPF.", Kind::Free, Example::Text("Camille")),
        column("Nom d'usage", 16.0, "Non", "Facultatif : le nom d'usage (nom d'époux ou d'épouse…), s'il diffère du nom de naissance.", Kind::Free, Example::Empty),
        column("Date de naissance", 14.0, "Certificat, CPF", "La date de naissance, JJ/MM/AAAA (par exemple 03/07/1988) : elle est imprimée sur le certificat. Si le jour ou le mois est inconnu : MM/AAAA ou AAAA.", Kind::Date, Example::Date(1990, 5, 14)),
        column("Lieu de naissance", 18.0, "Non", "La commune de naissance en toutes lettres (ou la ville, pour une naissance à l'étranger).", Kind::Free, Example::Text("Lyon")),
        column("Code INSEE de naissance", 14.0, "CPF", "Le code officiel (INSEE) de la commune de naissance, 5 caractères : 69123 pour Lyon, 2A004 pour Ajaccio. Ce n'est pas le code postal. Pour une naissance à l'étranger : vide, ou 99 suivi du code du pays (99122 pour la Pologne). Requis pour la déclaration CPF d'une naissance en France (à défaut, le code postal).", Kind::Text, Example::Text("69123")),
        column("Code postal de naissance", 13.0, "CPF", "À défaut du code INSEE : le code postal de la commune de naissance (5 chiffres).", Kind::Text, Example::Empty),
        column("Pays de naissance", 16.0, "CPF", "Vide ou France pour une naissance en France. À l'étranger : le code INSEE du pays (122 ou 99122), son nom (Pologne), ou les deux : Pologne (99122). Le code est préférable.", Kind::Free, Example::Text("France")),
        column("Sexe", 8.0, "CPF", "F ou M, comme à l'état civil : choisissez dans la liste. Requis pour la déclaration CPF.", Kind::List(&["F", "M"], true), Example::Text("F")),
        column("Prérequis", 11.0, "Oui", &format!("Oui si le candidat remplit les prérequis de la certification, Non sinon : il est alors non recevable et n'a pas de grille. Une case vide est une erreur, pour que personne ne soit déclaré non recevable par un oubli.{prerequisites}"), Kind::List(&["Oui", "Non"], true), Example::Text("Oui")),
        column("Aménagement", 20.0, "Non", "Facultatif : l'aménagement des épreuves accordé (situation de handicap : temps majoré…). Il est noté au procès-verbal.", Kind::Free, Example::Empty),
        column("Modalité d'accès", 24.0, "CPF", "La voie d'accès à la certification, déclarée au CPF : choisissez dans la liste (vide si elle n'est pas connue).", Kind::List(ACCESS_MODES, false), Example::Text("Formation continue")),
        column("Email", 26.0, "Non", "Facultatif : l'adresse électronique du candidat.", Kind::Free, Example::Text("camille.dupont@exemple.fr")),
        column("Jury", 10.0, "Non", "Facultatif : le sous-jury (la commission) du candidat, pour « jury grids » : le nom d'un membre du jury ou un groupe (groups dans session.toml), plusieurs séparés par des virgules. Vide : tous les membres du jury évaluent le candidat.", Kind::Free, Example::Empty),
    ]
}

/// The headers of the candidates sheet, in column order.
pub fn headers(referential: &Referential) -> Vec<&'static str> {
    columns(referential).iter().map(|c| c.header).collect()
}

struct Styles {
    title: Format,
    header: Format,
    text: Format,
    date: Format,
    example: Format,
    example_text: Format,
    example_date: Format,
    wrap: Format,
    bold_wrap: Format,
    step: Format,
    step_number: Format,
}

impl Styles {
    fn new() -> Styles {
        let border = Format::new()
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0x808080));
        let example = Format::new()
            .set_italic()
            .set_font_color(Color::RGB(0x7F7F7F))
            .set_background_color(Color::RGB(0xFFF2CC));
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            header: border
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xD9E1F2)),
            text: Format::new().set_num_format("@"),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            example_text: example.clone().set_num_format("@"),
            example_date: example.clone().set_num_format("dd/mm/yyyy"),
            example,
            wrap: border.clone().set_text_wrap().set_align(FormatAlign::Top),
            bold_wrap: border
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xD9E1F2)),
            step: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            step_number: Format::new().set_bold().set_align(FormatAlign::Top),
        }
    }
}

/// A note wide and tall enough for its text.
fn note(text: &str) -> Note {
    let lines = u32::try_from(text.chars().count() / 50 + 1).unwrap_or(20);
    Note::new(text)
        .add_author_prefix(false)
        .set_width(360)
        .set_height(24 + 16 * lines)
}

/// Renders the blank candidates workbook; `created` is written as its creation date.
pub fn render(referential: &Referential, created: Date) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let created = creation_date(created)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("Candidats — {}", referential.title))
            .set_author("jury")
            .set_creation_datetime(&created),
    );
    let styles = Styles::new();
    let columns = columns(referential);
    candidates_sheet(workbook.add_worksheet(), &columns, &styles)?;
    help_sheet(workbook.add_worksheet(), &columns, &styles)?;
    workbook.save_to_buffer()
}

fn candidates_sheet(ws: &mut Worksheet, columns: &[Column], s: &Styles) -> Result<(), XlsxError> {
    ws.set_name(CANDIDATES_SHEET)?;
    for (i, column) in columns.iter().enumerate() {
        let c = col(i);
        ws.set_column_width(c, column.width)?;
        match column.kind {
            Kind::Text => {
                ws.set_column_format(c, &s.text)?;
            }
            Kind::Date => {
                ws.set_column_format(c, &s.date)?;
            }
            Kind::List(values, strict) => {
                ws.add_data_validation(1, c, INPUT_ROWS, c, &list(column, values, strict)?)?;
            }
            Kind::Free => {}
        }
        ws.write_string_with_format(0, c, column.header, &s.header)?;
        ws.insert_note(0, c, &note(&column.help))?;
        match column.example {
            Example::Text(text) if matches!(column.kind, Kind::Text) => {
                ws.write_string_with_format(1, c, text, &s.example_text)?;
            }
            Example::Text(text) => {
                ws.write_string_with_format(1, c, text, &s.example)?;
            }
            Example::Date(y, m, d) => {
                ws.write_datetime_with_format(
                    1,
                    c,
                    ExcelDateTime::from_ymd(y, m, d)?,
                    &s.example_date,
                )?;
            }
            Example::Empty => {
                ws.write_blank(1, c, &s.example)?;
            }
        }
    }
    ws.insert_note(
        1,
        0,
        &note("Ligne d'exemple, à supprimer : clic droit sur le numéro de la ligne (2), puis « Supprimer ». Tant qu'elle reste, « jury check » la signale comme une erreur."),
    )?;
    ws.set_row_height(0, 32)?;
    ws.set_freeze_panes(1, 3)?;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

/// The drop-down of a closed-list column, with French help and error messages.
fn list(column: &Column, values: &[&str], strict: bool) -> Result<DataValidation, XlsxError> {
    let listed = values.join(", ");
    let validation = DataValidation::new()
        .allow_list_strings(values)?
        .set_input_title(column.header)?
        .set_input_message(format!("Choisissez dans la liste : {listed}."))?;
    if strict {
        validation
            .set_error_title("Valeur non reconnue")?
            .set_error_message(format!("Choisissez dans la liste : {listed}."))
    } else {
        Ok(validation
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_title("Valeur hors de la liste")?
            .set_error_message(format!("Cette valeur n'est pas dans la liste ({listed}) : « jury check » dira si elle est comprise."))?)
    }
}

fn text_height(text: &str, width_chars: usize) -> f64 {
    let lines = text.chars().count().div_ceil(width_chars).max(1);
    15.0 * f64::from(u32::try_from(lines).unwrap_or(10)) + 3.0
}

fn help_sheet(ws: &mut Worksheet, columns: &[Column], s: &Styles) -> Result<(), XlsxError> {
    ws.set_name(HELP_SHEET)?;
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 16)?;
    ws.set_column_width(2, 90)?;
    ws.write_string_with_format(0, 0, "Comment remplir la liste des candidats", &s.title)?;
    let steps = [
        format!("Une ligne par candidat dans la feuille « {CANDIDATES_SHEET} », à partir de la ligne 2, sans ligne de titre au-dessus des en-têtes."),
        format!("La ligne 2 est un exemple (candidat « {EXAMPLE_ID} ») : supprimez-la une fois vos candidats saisis."),
        "Survolez un en-tête pour lire ce qu'il faut écrire ; le tableau ci-dessous reprend les mêmes explications. Ne renommez pas les en-têtes.".to_string(),
        "Les colonnes Sexe, Prérequis et Modalité d'accès proposent une liste : cliquez sur la cellule, puis sur la flèche.".to_string(),
        "Une colonne inutile peut rester vide ; une colonne ajoutée est gardée pour les documents, et « jury check » la signale.".to_string(),
        "Enregistrez au format .xlsx (ou .ods, en l'indiquant dans session.toml : candidates = \"candidats.ods\"), puis lancez « jury check » : chaque oubli y est signalé avec sa cellule.".to_string(),
    ];
    for (i, step) in steps.iter().enumerate() {
        let row = 2 + u32::try_from(i).unwrap_or(0);
        ws.write_string_with_format(row, 0, format!("{}.", i + 1), &s.step_number)?;
        ws.merge_range(row, 1, row, 2, step, &s.step)?;
        ws.set_row_height(row, text_height(step, 110))?;
    }
    let mut row = 3 + u32::try_from(steps.len()).unwrap_or(0);
    for (c, label) in ["Colonne", "À remplir", "Ce qu'il faut écrire"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(row, col(c), *label, &s.bold_wrap)?;
    }
    for column in columns {
        row += 1;
        ws.write_string_with_format(row, 0, column.header, &s.wrap)?;
        ws.write_string_with_format(row, 1, column.required, &s.wrap)?;
        ws.write_string_with_format(row, 2, &column.help, &s.wrap)?;
        ws.set_row_height(row, text_height(&column.help, 80))?;
    }
    row += 2;
    let legend = "« À remplir » : Oui, pour tout candidat ; Certificat, pour tout candidat certifié (mention obligatoire du certificat) ; CPF, quand la session déclare ses titulaires à la Caisse des Dépôts (section [cpf] de session.toml).";
    ws.merge_range(row, 0, row, 2, legend, &s.step)?;
    ws.set_row_height(row, text_height(legend, 110))?;
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jury_core::candidates::read_candidates;
    use jury_core::referential::BUILT_IN;
    use jury_core::sheet::sheet_from_text;

    fn referential() -> Referential {
        Referential::parse(BUILT_IN[0].1, "r").unwrap()
    }

    #[test]
    fn every_header_is_a_field_the_reader_knows_but_jury() {
        let headers = headers(&referential());
        let example: Vec<&str> = headers
            .iter()
            .map(|h| match *h {
                "N° candidat" => "2027001",
                "Prérequis" => "Oui",
                "Date de naissance" => "03/07/1988",
                _ => "x",
            })
            .collect();
        let sheet = sheet_from_text(CANDIDATES_SHEET, &[&headers, &example]);
        let list = read_candidates(&sheet, "candidats.xlsx");
        assert_eq!(list.columns.len(), headers.len() - 1, "{:?}", list.columns);
        assert!(list.findings.is_empty(), "{:?}", list.findings);
        let extra: Vec<&str> = list.candidates[0]
            .extra
            .iter()
            .map(|(h, _)| h.as_str())
            .collect();
        assert_eq!(extra, ["Jury"]);
    }

    #[test]
    fn the_same_inputs_give_the_same_bytes() {
        let date = Date::new(2027, 3, 18).unwrap();
        let a = render(&referential(), date).unwrap();
        let b = render(&referential(), date).unwrap();
        assert_eq!(a, b);
    }
}

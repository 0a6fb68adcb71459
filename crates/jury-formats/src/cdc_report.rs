//! Reading a processing report of the Caisse des Dépôts (accusé de traitement) into one
//! line per passage: its `idTechnique`, OK or KO, and the CDC's message.
//!
//! The real report format was not available when this was written; two documented shapes
//! are accepted (see `docs/cpf.md`), to be checked against a real report:
//!
//! - XML: any element that has an `idTechnique` child and a `statut`, `status` or `etat`
//!   child (OK/KO), with an optional `message`, `libelle`, `motif` or `commentaire` child;
//!   elements are matched by local name, whatever their namespace or nesting.
//! - Text: one passage per line, `idTechnique;statut;message` (`;`, tab or `,`), an optional
//!   header line, the message optional and allowed to contain the separator.

use quick_xml::events::Event;
use quick_xml::Reader;

use jury_core::cpf::ledger::{verdict, ReportLine};
use jury_core::text::fold_header;

/// What to do about a report that cannot be read.
const AS_SENT: &str =
    "donnez le fichier tel que la Caisse des Dépôts l'a envoyé, sans l'ouvrir ni le modifier";

/// A report's lines, or why it cannot be read (after « le rapport … ne peut pas être
/// lu : »).
pub fn parse(bytes: &[u8]) -> Result<Vec<ReportLine>, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| format!("il n'est pas encodé en UTF-8 ; {AS_SENT}"))?;
    let text = text.trim_start_matches('\u{feff}');
    let lines = if text.trim_start().starts_with('<') {
        parse_xml(text)?
    } else {
        parse_text(text)?
    };
    if lines.is_empty() {
        return Err("aucun passage (idTechnique et statut OK ou KO) n'y a été trouvé".into());
    }
    Ok(lines)
}

/// Children (local name folded, text) of an element being read.
#[derive(Default)]
struct Frame {
    children: Vec<(String, String)>,
    text: String,
}

fn parse_xml(text: &str) -> Result<Vec<ReportLine>, String> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<(String, Frame)> = Vec::new();
    let mut out = Vec::new();
    // quick-xml's own text is English: the place is what the secretary can use.
    let error = |what: &str, at: u64| {
        format!("son XML est mal formé ({what}, vers l'octet {at}) ; {AS_SENT}")
    };
    loop {
        let at = reader.buffer_position();
        match reader
            .read_event()
            .map_err(|_| error("balise invalide ou mal fermée", at))?
        {
            Event::Start(e) => {
                let name = fold_header(e.local_name().as_ref());
                stack.push((name, Frame::default()));
            }
            Event::Empty(e) => {
                if let Some((_, parent)) = stack.last_mut() {
                    parent
                        .children
                        .push((fold_header(e.local_name().as_ref()), String::new()));
                }
            }
            Event::Text(t) => {
                if let Some((_, frame)) = stack.last_mut() {
                    frame.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some((_, frame)) = stack.last_mut() {
                    frame.text.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                let c = match r
                    .resolve_char_ref()
                    .map_err(|_| error("référence de caractère invalide", at))?
                {
                    Some(c) => c,
                    None => match &*r {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        other => return Err(error(&format!("entité inconnue « &{other}; »"), at)),
                    },
                };
                if let Some((_, frame)) = stack.last_mut() {
                    frame.text.push(c);
                }
            }
            Event::End(_) => {
                let Some((name, frame)) = stack.pop() else {
                    continue;
                };
                if let Some(line) = report_line(&frame.children) {
                    out.push(line);
                }
                if let Some((_, parent)) = stack.last_mut() {
                    parent.children.push((name, frame.text.trim().to_string()));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// A passage line from an element's children, when it has an id and a verdict.
fn report_line(children: &[(String, String)]) -> Option<ReportLine> {
    let child = |names: &[&str]| {
        children
            .iter()
            .find(|(n, v)| names.contains(&n.as_str()) && !v.is_empty())
            .map(|(_, v)| v.clone())
    };
    let id = child(&["idtechnique"])?;
    let ok = verdict(&child(&["statut", "status", "etat"])?)?;
    Some(ReportLine {
        id_technique: id,
        ok,
        message: child(&["message", "libelle", "motif", "commentaire"]),
    })
}

fn parse_text(text: &str) -> Result<Vec<ReportLine>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let separator = [';', '\t', ',']
            .into_iter()
            .find(|s| line.contains(*s))
            .unwrap_or(';');
        let mut parts = line.splitn(3, separator).map(unquote);
        let (id, status) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        let message = parts.next().filter(|m| !m.is_empty());
        match verdict(&status) {
            Some(ok) if !id.is_empty() => out.push(ReportLine {
                id_technique: id,
                ok,
                message,
            }),
            _ if n == 0 || fold_header(&id) == "idtechnique" => {}
            _ => {
                return Err(format!(
                    "sa ligne {} n'est pas de la forme idTechnique;OK ou KO;message (« {} »)",
                    n + 1,
                    line.trim()
                ))
            }
        }
    }
    Ok(out)
}

/// A field without its surrounding spaces and double quotes (`""` inside stands for `"`).
fn unquote(field: &str) -> String {
    let t = field.trim();
    let inner = t
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .map_or_else(|| t.to_string(), |s| s.replace("\"\"", "\""));
    inner.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: &str, ok: bool, message: Option<&str>) -> ReportLine {
        ReportLine {
            id_technique: id.into(),
            ok,
            message: message.map(str::to_string),
        }
    }

    #[test]
    fn xml_reports_are_read_by_local_name() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<cpf:accuseTraitement xmlns:cpf="urn:cdc:cpf:pc5:schema:1.0.0">
  <cpf:idFlux>S-1</cpf:idFlux>
  <cpf:passages>
    <cpf:passage><cpf:idTechnique>S-1</cpf:idTechnique><cpf:statut>OK</cpf:statut></cpf:passage>
    <cpf:passage>
      <cpf:idTechnique>S-2</cpf:idTechnique>
      <cpf:statut>KO</cpf:statut>
      <cpf:message>Aucun titulaire ne correspond aux critères &amp; &#233;tat</cpf:message>
    </cpf:passage>
  </cpf:passages>
</cpf:accuseTraitement>"#;
        assert_eq!(
            parse(xml.as_bytes()).unwrap(),
            vec![
                line("S-1", true, None),
                line(
                    "S-2",
                    false,
                    Some("Aucun titulaire ne correspond aux critères & état")
                ),
            ]
        );
    }

    #[test]
    fn text_reports_have_an_optional_header_and_free_messages() {
        let text =
            "idTechnique;statut;message\nS-1;OK;\n\"S-2\";KO;Date de naissance; jour inconnu\n";
        assert_eq!(
            parse(text.as_bytes()).unwrap(),
            vec![
                line("S-1", true, None),
                line("S-2", false, Some("Date de naissance; jour inconnu")),
            ]
        );
        assert!(
            parse(b"S-1;PEUT-ETRE\nS-2;OK").is_ok(),
            "a first line may be a header"
        );
        assert!(parse(b"S-1;OK\nS-2;PEUT-ETRE")
            .unwrap_err()
            .contains("ligne 2"));
        assert!(parse(b"<a><b>x</b></a>")
            .unwrap_err()
            .contains("aucun passage"));
        assert!(parse(b"S-1;OK\nS-2;PEUT-ETRE").unwrap_err().starts_with(
            "sa ligne 2 n'est pas de la forme idTechnique;OK ou KO;message (« S-2;PEUT-ETRE »)"
        ));
        let malformed = parse(b"<a><b>x</a>").unwrap_err();
        assert!(malformed.contains("mal formé"), "{malformed}");
        assert!(
            !malformed.to_lowercase().contains("expected"),
            "no quick-xml text: {malformed}"
        );
    }
}

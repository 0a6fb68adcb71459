//! The XML file of a CPF declaration (`flux`), valid against the Caisse des Dépôts' schema
//! v1.1.2 (namespace `urn:cdc:cpf:pc5:schema:1.0.0`): UTF-8, two-space indentation,
//! elements in schema order, `xsi:nil="true"` for the nillable elements left empty.
//!
//! Pure: a [`Declaration`] in, bytes out. The values were checked by `core::cpf`; this
//! module only escapes and arranges them. It is the only code that writes XML.

use std::io;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use jury_core::cpf::{Commune, Declaration, Holder, Passage};

/// The schema's namespace (the same for every 1.x version of the schema).
pub const NAMESPACE: &str = "urn:cdc:cpf:pc5:schema:1.0.0";
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

struct Xml(Writer<Vec<u8>>);

impl Xml {
    fn open(&mut self, name: &str) -> io::Result<()> {
        self.0.write_event(Event::Start(BytesStart::new(name)))
    }

    fn close(&mut self, name: &str) -> io::Result<()> {
        self.0.write_event(Event::End(BytesEnd::new(name)))
    }

    /// `<name>value</name>`, the value escaped.
    fn text(&mut self, name: &str, value: &str) -> io::Result<()> {
        self.0
            .create_element(name)
            .write_text_content(BytesText::new(value))
            .map(|_| ())
    }

    /// `<name xsi:nil="true"/>`.
    fn nil(&mut self, name: &str) -> io::Result<()> {
        self.0
            .create_element(name)
            .with_attribute(("xsi:nil", "true"))
            .write_empty()
            .map(|_| ())
    }

    /// The value, or nil when there is none.
    fn text_or_nil(&mut self, name: &str, value: Option<&str>) -> io::Result<()> {
        match value {
            Some(v) => self.text(name, v),
            None => self.nil(name),
        }
    }

    /// The value, or nothing when there is none (`minOccurs="0"`).
    fn optional(&mut self, name: &str, value: Option<&str>) -> io::Result<()> {
        value.map_or(Ok(()), |v| self.text(name, v))
    }
}

/// The whole file, as bytes.
pub fn render(d: &Declaration) -> io::Result<Vec<u8>> {
    let mut x = Xml(Writer::new_with_indent(Vec::new(), b' ', 2));
    x.0.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let root = BytesStart::new("flux").with_attributes([("xmlns", NAMESPACE), ("xmlns:xsi", XSI)]);
    x.0.write_event(Event::Start(root))?;
    x.text("idFlux", &d.id_flux)?;
    x.text("horodatage", &d.timestamp)?;
    x.open("emetteur")?;
    x.text("idClient", &d.issuer)?;
    x.open("certificateurs")?;
    x.open("certificateur")?;
    x.text("idClient", &d.certifier)?;
    x.text("idContrat", &d.contract)?;
    x.open("certifications")?;
    x.open("certification")?;
    x.text("type", d.kind)?;
    x.text("code", &d.code)?;
    x.text("natureDeposant", &d.nature)?;
    x.open("passageCertifications")?;
    for p in &d.passages {
        passage(&mut x, p)?;
    }
    for name in [
        "passageCertifications",
        "certification",
        "certifications",
        "certificateur",
        "certificateurs",
        "emetteur",
        "flux",
    ] {
        x.close(name)?;
    }
    let mut bytes = x.0.into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

fn passage(x: &mut Xml, p: &Passage) -> io::Result<()> {
    x.open("passageCertification")?;
    x.text("idTechnique", &p.id_technique)?;
    x.text("obtentionCertification", "PAR_ADMISSION")?;
    x.text("donneeCertifiee", "true")?;
    x.text("dateDebutValidite", &p.valid_from)?;
    x.text_or_nil("dateFinValidite", p.valid_until.as_deref())?;
    x.text("presenceNiveauLangueEuro", "false")?;
    x.text("presenceNiveauNumeriqueEuro", "false")?;
    x.nil("scoring")?;
    x.nil("mentionValidee")?;
    x.open("modalitesInscription")?;
    x.text_or_nil("modaliteAcces", p.access)?;
    x.close("modalitesInscription")?;
    x.open("identificationTitulaire")?;
    holder(x, &p.holder)?;
    x.close("identificationTitulaire")?;
    x.close("passageCertification")
}

fn holder(x: &mut Xml, h: &Holder) -> io::Result<()> {
    x.open("titulaire")?;
    x.text("nomNaissance", &h.birth_name)?;
    x.text_or_nil("nomUsage", h.usage_name.as_deref())?;
    for (name, value) in ["prenom1", "prenom2", "prenom3"].iter().zip(&h.first_names) {
        x.text(name, value)?;
    }
    x.text("anneeNaissance", &h.birth_year.to_string())?;
    x.text_or_nil(
        "moisNaissance",
        h.birth_month.map(|m| m.to_string()).as_deref(),
    )?;
    x.text_or_nil(
        "jourNaissance",
        h.birth_day.map(|d| d.to_string()).as_deref(),
    )?;
    x.text("sexe", h.sex)?;
    x.open("codeCommuneNaissance")?;
    match &h.commune {
        Commune::Insee(code) => {
            x.open("codeInseeNaissance")?;
            x.text("codeInsee", code)?;
            x.close("codeInseeNaissance")?;
        }
        Commune::Postcode(code) => {
            x.open("codePostalNaissance")?;
            x.text_or_nil("codePostal", code.as_deref())?;
            x.close("codePostalNaissance")?;
        }
    }
    x.close("codeCommuneNaissance")?;
    x.optional("libelleCommuneNaissance", h.commune_name.as_deref())?;
    x.optional("codePaysNaissance", h.country_code.as_deref())?;
    x.optional("libellePaysNaissance", h.country_name.as_deref())?;
    x.close("titulaire")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declaration(holder: Holder) -> Declaration {
        Declaration {
            id_flux: "S-1".into(),
            timestamp: "2026-11-27T12:00:00+01:00".into(),
            issuer: "ABCD1234".into(),
            certifier: "ABCD1234".into(),
            contract: "MCFCER000123".into(),
            kind: "RS",
            code: "RS0000".into(),
            nature: "CERTIFICATEUR".into(),
            passages: vec![Passage {
                id_technique: "S-1".into(),
                candidate: "1".into(),
                valid_from: "2026-11-27".into(),
                valid_until: None,
                access: Some("VAE"),
                holder,
            }],
        }
    }

    fn holder() -> Holder {
        Holder {
            birth_name: "Lefèvre-N'Diaye & <Fils>".into(),
            usage_name: None,
            first_names: vec!["Zoé".into(), "Awa".into()],
            birth_year: 1994,
            birth_month: Some(3),
            birth_day: None,
            sex: "F",
            commune: Commune::Postcode(None),
            commune_name: None,
            country_code: Some("341".into()),
            country_name: Some("Sénégal".into()),
        }
    }

    #[test]
    fn values_are_escaped_and_empty_ones_are_nil() {
        let xml = String::from_utf8(render(&declaration(holder())).unwrap()).unwrap();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flux xmlns=\"urn:cdc:cpf:pc5:schema:1.0.0\""), "{xml}");
        assert!(
            xml.contains("<nomNaissance>Lefèvre-N&apos;Diaye &amp; &lt;Fils&gt;</nomNaissance>"),
            "{xml}"
        );
        assert!(xml.contains("<nomUsage xsi:nil=\"true\"/>"), "{xml}");
        assert!(xml.contains("<prenom1>Zoé</prenom1>"));
        assert!(xml.contains("<prenom2>Awa</prenom2>"));
        assert!(!xml.contains("prenom3"));
        assert!(xml.contains("<moisNaissance>3</moisNaissance>"));
        assert!(xml.contains("<jourNaissance xsi:nil=\"true\"/>"));
        assert!(xml.contains("<codePostal xsi:nil=\"true\"/>"));
        assert!(xml.contains("<codePaysNaissance>341</codePaysNaissance>"));
        assert!(xml.contains("<dateFinValidite xsi:nil=\"true\"/>"));
        assert!(xml.contains("<modaliteAcces>VAE</modaliteAcces>"));
        assert!(xml.ends_with("</flux>\n"));
    }

    #[test]
    fn schema_order_is_kept() {
        let xml = String::from_utf8(render(&declaration(holder())).unwrap()).unwrap();
        let order = [
            "<idTechnique>",
            "<obtentionCertification>",
            "<donneeCertifiee>",
            "<dateDebutValidite>",
            "<dateFinValidite",
            "<presenceNiveauLangueEuro>",
            "<presenceNiveauNumeriqueEuro>",
            "<scoring",
            "<mentionValidee",
            "<modalitesInscription>",
            "<identificationTitulaire>",
            "<nomNaissance>",
            "<nomUsage",
            "<prenom1>",
            "<anneeNaissance>",
            "<moisNaissance",
            "<jourNaissance",
            "<sexe>",
            "<codeCommuneNaissance>",
            "<codePaysNaissance>",
            "<libellePaysNaissance>",
        ];
        let positions: Vec<usize> = order.iter().map(|t| xml.find(t).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{xml}");
    }
}

use super::*;
use minijinja::context;

fn sample() -> Value {
    context! {
        certificateur => context! { nom => "Institut" },
        certification => context! { code => "RS0000", intitule => "Titre", repertoire => "Répertoire spécifique", enregistrement => "Décision du 27/11/2025", nsf => "320", niveau => "" },
        session => context! { id => "S", lieu => "Lyon", date => "27/11/2026", date_longue => "27 novembre 2026" },
        signataire => context! { nom => "Anne Roux", qualite => "Directrice" },
        president => context! { nom => "Claire Martin", qualite => "Présidente du jury" },
        jury => Vec::<Value>::new(),
        regles => context! { agregation => "consensus", min_jures => 2, certification => "toutes", validation_partielle => "oui" },
        compte => context! { certifies => 1, non_certifies => 0, absents => 0, non_recevables => 0, en_attente => 0, total => 1 },
        provisoire => false,
        candidat => context! { id => "1", nom => "Roux", nom_majuscules => "ROUX", prenom => "Zoé", nom_complet => "Zoé ROUX", nom_usage => "", date_naissance => "01/02/1990", date_naissance_longue => "1er février 1990", naissance => "le 1er février 1990", lieu_naissance => "", ne => "née", accord => "e", sexe => "F", amenagement => "" },
        decision => context! { code => "certified", libelle => "Certifié", competences_acquises => "C1", competences_non_acquises => "", deliberation => false },
        certificat => context! { numero => "S-1", code_verification => "ABCDE-FGHJK" },
        competence => context! { code => "C1", intitule => "Compétence", resultat => "Acquis" },
        motif => context! { objet => "C1", decision => "Validé", texte => "Motif" },
        resultat => "Acquis",
        page => context! { numero => 1, total => 2 },
    }
}

fn with(file: &str, text: &str) -> Result<Templates, PdfError> {
    let files = BTreeMap::from([(file.to_string(), text.as_bytes().to_vec())]);
    Templates::load(&files, "modeles", &sample())
}

#[test]
fn the_built_in_templates_load_and_render() {
    let t = Templates::built_in(&sample()).unwrap();
    assert_eq!(
        t.text(Doc::Certificate, "holder", &sample()).unwrap(),
        "Zoé ROUX"
    );
    assert_eq!(
        t.text(Doc::Certificate, "birth", &sample()).unwrap(),
        "née le 1er février 1990"
    );
    assert!(t.certificate.width > t.certificate.height, "landscape");
    assert!(t.statement.height > t.statement.width, "portrait");
    assert!(t.certificate.frame && !t.minutes.frame);
}

#[test]
fn an_override_changes_only_its_keys() {
    let t = with(
        "certificat.toml",
        "[texts]\ntitle = \"ATTESTATION\"\n[colors]\naccent = \"#00FF00\"\n",
    )
    .unwrap();
    assert_eq!(
        t.text(Doc::Certificate, "title", &sample()).unwrap(),
        "ATTESTATION"
    );
    assert_eq!(t.certificate.colors.accent, Colour(0.0, 1.0, 0.0));
    assert_eq!(
        t.text(Doc::Certificate, "holder", &sample()).unwrap(),
        "Zoé ROUX"
    );
    assert_eq!(t.certificate.sizes.title, 34.0);
}

#[test]
fn mistakes_are_refused_with_the_file_and_the_key() {
    let cases = [
        ("[texts]\ntitel = \"x\"\n", "vouliez-vous dire `title`"),
        (
            "[texts]\ntitle = \"{{ candidat.prenon }}\"\n",
            "texte `title`",
        ),
        ("[colors]\naccent = \"vert\"\n", "#RRVVBB"),
        ("[page]\norientation = \"oblique\"\n", "oblique"),
        (
            "[page]\nmargins_mm = { top = 90, right = 1, bottom = 1, left = 1 }\n",
            "marges",
        ),
        ("[sizes]\ntitle = 200\n", "de 4 à 96"),
        ("[logo]\nfile = \"logo.png\"\n", "introuvable"),
        ("[texts]\ntitle = \"王\"\n", "U+738B"),
        ("title = \n", "ligne 1"),
    ];
    for (text, expected) in cases {
        match with("certificat.toml", text) {
            Err(PdfError::Template { file, message }) => {
                assert_eq!(file, "modeles/certificat.toml", "{text}");
                assert!(message.contains(expected), "{text}: {message}");
            }
            Err(other) => panic!("{text}: {other}"),
            Ok(_) => panic!("{text}: accepted"),
        }
    }
}

#[test]
fn colours_are_hex() {
    assert_eq!(parse_colour("#FF0000"), Some(Colour(1.0, 0.0, 0.0)));
    assert_eq!(parse_colour("bleu"), None);
}

#[test]
fn french_spacing_glues_punctuation_and_guillemets() {
    assert_eq!(
        french_spacing("Décision du jury : « Certifiée » ; n° 12, 90 % ? oui ! a - b"),
        "Décision du jury\u{a0}: «\u{a0}Certifiée\u{a0}»\u{a0}; n°\u{a0}12, 90\u{a0}%\u{a0}? oui\u{a0}! a - b"
    );
    assert_eq!(french_spacing("page 1 / 2"), "page 1 / 2");
}

#[test]
fn a_statement_without_recourse_is_refused() {
    match with("releve.toml", "[texts]\nrecourse = \" \"\n") {
        Err(PdfError::Template { file, message }) => {
            assert_eq!(file, "modeles/releve.toml");
            assert!(message.contains("voies de recours"), "{message}");
        }
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("an empty recourse paragraph was accepted"),
    }
}

#[test]
fn an_unknown_style_is_refused_with_its_name() {
    for (text, named) in [
        ("[sizes]\ntitel = 30\n", "`titel` dans [sizes]"),
        ("[colors]\nacent = \"#000000\"\n", "`acent` dans [colors]"),
    ] {
        match with("certificat.toml", text) {
            Err(PdfError::Template { file, message }) => {
                assert_eq!(file, "modeles/certificat.toml", "{text}");
                assert!(message.contains(named), "{text}: {message}");
            }
            Err(other) => panic!("{text}: {other}"),
            Ok(_) => panic!("{text}: accepted"),
        }
    }
}

#[test]
fn styles_are_typed_with_no_default() {
    let built_in: Raw = toml::from_str(Doc::Certificate.built_in()).unwrap();
    let sizes = |extra: Option<(&'static str, f32)>, without: Option<&str>| {
        let entries = built_in
            .sizes
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .filter(|(k, _)| Some(*k) != without)
            .chain(extra);
        styles::<CertificateSizes, _>("sizes", entries)
    };
    assert_eq!(sizes(None, None).unwrap().competency_min, 5.5);
    let unknown = sizes(Some(("shadow", 9.0)), None).err().unwrap();
    assert_eq!(unknown, "style inconnu `shadow` dans [sizes]");
    let missing = sizes(None, Some("holder")).err().unwrap();
    assert_eq!(missing, "style `holder` absent de [sizes]");
    let colours = [
        ("accent", "#1F3864"),
        ("text", "#1A1A1A"),
        ("muted", "vert"),
        ("frame", "#000000"),
    ];
    let bad = styles::<CertificateColors, _>("colors", colours.into_iter())
        .err()
        .unwrap();
    assert!(bad.contains("vert"), "{bad}");
}

#[test]
fn every_built_in_template_gives_every_style_its_documents_use() {
    let t = Templates::built_in(&sample()).unwrap();
    assert_eq!(t.certificate.sizes.competency, 8.0);
    assert_eq!(t.statement.sizes.recourse, 8.5);
    assert_eq!(t.minutes.sizes.provisional, 90.0);
    assert_eq!(t.minutes.colors.other, parse_colour("#555555").unwrap());
    assert_eq!(
        t.statement.colors.group_fill,
        parse_colour("#EEF1F6").unwrap()
    );
}

//! Hand-made variants of the model order (namespaces, CDATA, entities, defaults, whitespace…):
//! TOM's schema-level verdict equals xmllint's on each.

mod common;

use std::fs;

use shared::order::errors::codes;
use shared::order::validate;

fn model() -> String {
    fs::read_to_string(common::examples().join("modele-commande-cpe.xml")).unwrap()
}

fn with(old: &str, new: &str) -> String {
    let m = model();
    assert!(m.contains(old), "{old}");
    m.replacen(old, new, 1)
}

/// Every element of the model written with the prefix `t:`.
fn prefixed() -> String {
    let m = model()
        .replace("<commande xmlns=", "<commande xmlns:t=")
        .replace("</", "\u{1}");
    let mut out = String::new();
    let mut chars = m.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' if chars.peek().is_some_and(|n| n.is_ascii_alphabetic()) => out.push_str("<t:"),
            '\u{1}' => out.push_str("</t:"),
            _ => out.push(c),
        }
    }
    out
}

fn variants() -> Vec<(&'static str, String, bool)> {
    let m = model();
    vec![
        ("préfixe d'espace de noms", prefixed(), true),
        (
            "xsi:schemaLocation",
            with(
                "<commande xmlns=\"urn:tom:commande:v1\">",
                "<commande xmlns=\"urn:tom:commande:v1\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"urn:tom:commande:v1 tom-commande-v1.xsd\">",
            ),
            true,
        ),
        ("attribut inconnu", with("<porteur>", "<porteur id=\"1\">"), false),
        ("xml:lang", with("<porteur>", "<porteur xml:lang=\"fr\">"), false),
        ("CDATA", with("<nomNaissance>LOUIN<", "<nomNaissance><![CDATA[LOUIN]]><"), true),
        ("entité prédéfinie", with("RUE JEANNE D'ARC", "RUE JEANNE D&apos;ARC"), true),
        ("référence de caractère", with(">LOUIN<", ">&#76;OU&#x49;N<"), true),
        ("commentaire dans une valeur", with(">LOUIN<", ">LOU<!-- x -->IN<"), true),
        ("BOM UTF-8", format!("\u{FEFF}{m}"), true),
        ("pays vide (défaut FR)", with("<commune>ROUEN</commune>", "<commune>ROUEN</commune>\n        <pays/>"), true),
        ("nominative vide (défaut true)", with("<nominative>true</nominative>", "<nominative/>"), true),
        ("nominative 1", with("<nominative>true</nominative>", "<nominative>1</nominative>"), true),
        ("booléen entouré d'espaces", with("<nominative>true</nominative>", "<nominative> true </nominative>"), true),
        ("date entourée d'espaces", with(">1995-06-21<", ">\n 1995-06-21 <"), true),
        ("nom précédé d'une espace", with(">LOUIN<", "> LOUIN<"), false),
        ("texte dans un élément composé", with("<porteur>", "<porteur>texte"), false),
        ("élément dans une valeur", with(">LOUIN<", "><b>LOUIN</b><"), false),
        ("racine inconnue", m.replace("<commande ", "<order ").replace("</commande>", "</order>"), false),
        ("sans espace de noms", m.replace(" xmlns=\"urn:tom:commande:v1\"", ""), false),
        (
            "élément d'un autre espace de noms",
            with("<matricule>000000018</matricule>", "<matricule>000000018</matricule><x:a xmlns:x=\"urn:autre\"/>"),
            false,
        ),
        ("heure 24:00:00", with("2026-11-24T08:00:00Z", "2026-11-24T24:00:00Z"), false),
        ("fuseau +14:00", with("2026-11-24T08:00:00Z", "2026-11-24T08:00:00+14:00"), true),
        ("élément répété", with("<typeCarte>CPE</typeCarte>", "<typeCarte>CPE</typeCarte><typeCarte>CPE</typeCarte>"), false),
        ("destinataire vide", with("<destinataire>PHARMACIE CRISTOL - LOUIN</destinataire>", "<destinataire/>"), false),
        ("fins de ligne CRLF", m.replace('\n', "\r\n"), true),
        ("tabulation par référence dans un nom", with(">LOUIN<", ">LOU&#9;IN<"), false),
        ("fichier tronqué", m[..m.len() / 2].to_owned(), false),
        ("deux racines", format!("{m}<commande xmlns=\"urn:tom:commande:v1\"/>"), false),
        ("espace de noms redéclaré", with("<porteur>", "<porteur xmlns=\"urn:tom:commande:v1\">"), true),
        ("entité inconnue", with(">LOUIN<", ">&nom;<"), false),
        ("caractère de contrôle", with(">LOUIN<", ">LOU\u{1}IN<"), false),
        ("contrôle C1 dans une commune", with("<commune>ROUEN</commune>", "<commune>ROU\u{8A}EN</commune>"), false),
        ("DEL dans un destinataire", with("<destinataire>PHARMACIE CRISTOL - LOUIN</destinataire>", "<destinataire>PHARMACIE\u{7F}</destinataire>"), false),
        ("contrôle C1 par référence", with("<commune>ROUEN</commune>", "<commune>ROU&#133;EN</commune>"), false),
        ("nom avec Ÿ", with(">LOUIN<", ">L'HAŸ<"), true),
        ("commune Šibenik", with("<commune>ROUEN</commune>", "<commune>ŠIBENIK</commune>"), true),
        ("adresse sans destinataire", with("<destinataire>PHARMACIE CRISTOL - LOUIN</destinataire>\n        <numeroVoie>", "<numeroVoie>"), false),
        ("fonction et profession", with("<fonction>FON-33</fonction>", "<fonction>FON-33</fonction><profession>60</profession>"), false),
        ("profession seule", with("<fonction>FON-33</fonction>", "<profession>60</profession>"), true),
        ("MLLE", with("<civilite>MME</civilite>", "<civilite>MLLE</civilite>"), false),
        ("nom à 80 lettres accentuées", with(">LOUIN<", &format!(">{}<", "É".repeat(80))), true),
        ("nom à 81 lettres", with(">LOUIN<", &format!(">{}<", "É".repeat(81))), false),
    ]
}

#[test]
fn variants_get_the_verdict_xmllint_gives() {
    let dir =
        std::env::temp_dir().join(format!("tom-order-codec-{}-variantes", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let lint = common::xmllint_available();
    if !lint {
        eprintln!("NOTE : xmllint absent, seules les attentes écrites sont vérifiées");
    }
    for (i, (name, xml, valid)) in variants().into_iter().enumerate() {
        let report = validate(xml.as_bytes(), common::today());
        let ours = !report.errors.iter().any(|e| codes::is_schema_level(e.code));
        assert_eq!(ours, valid, "{name}: {:#?}", report.errors);
        if lint {
            let path = dir.join(format!("variante-{i}.xml"));
            fs::write(&path, &xml).unwrap();
            assert_eq!(
                common::xmllint_accepts(&path),
                Some(valid),
                "{name} selon xmllint"
            );
        }
    }
    fs::remove_dir_all(dir).ok();
}

#[test]
fn prefixed_order_reads_to_the_same_model() {
    let plain = validate(model().as_bytes(), common::today()).order.unwrap();
    let prefixed = validate(prefixed().as_bytes(), common::today())
        .order
        .unwrap();
    assert_eq!(plain, prefixed);
}

#[test]
fn a_control_character_is_refused_with_its_code_point_and_position() {
    let report = validate(
        with("<commune>ROUEN</commune>", "<commune>RO\u{85}UEN</commune>").as_bytes(),
        common::today(),
    );
    let e = report
        .errors
        .iter()
        .find(|e| e.code == codes::CARACTERE_CONTROLE)
        .expect("refused");
    assert!(e.path.ends_with("/commune"), "{}", e.path);
    assert!(
        e.message.contains("U+0085") && e.message.contains("position 3"),
        "{}",
        e.message
    );
}

/// An accent typed on a Mac (NFD) is the accent typed on Windows: same verdict, same model.
/// A strict XSD validator refuses the NFD spelling (the schema's documentation says so).
#[test]
fn names_in_nfd_read_as_their_nfc_spelling() {
    let nfc =
        with(">LOUIN<", ">LOUÏN<").replace("<commune>ROUEN</commune>", "<commune>ÉVREUX</commune>");
    let nfd = with(">LOUIN<", ">LOUI\u{308}N<").replace(
        "<commune>ROUEN</commune>",
        "<commune>E\u{301}VREUX</commune>",
    );
    let a = validate(nfc.as_bytes(), common::today());
    let b = validate(nfd.as_bytes(), common::today());
    assert!(a.is_valid(), "{:#?}", a.errors);
    assert!(b.is_valid(), "{:#?}", b.errors);
    assert_eq!(a.order, b.order);
}

/// The differential test in every accepted encoding: each variant written in ISO-8859-1,
/// ISO-8859-15, windows-1252 and UTF-16 (with its byte-order mark), where the encoding can hold
/// its characters, gets the verdict of its UTF-8 original, from TOM and from xmllint alike.
#[test]
fn variants_in_each_encoding_get_the_verdict_xmllint_gives() {
    const UTF8_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    let dir = std::env::temp_dir().join(format!(
        "tom-order-codec-{}-variantes-encodages",
        std::process::id()
    ));
    fs::create_dir_all(&dir).unwrap();
    let lint = common::xmllint_available();
    let mut written = 0;
    for (i, (name, xml, valid)) in variants().into_iter().enumerate() {
        if !xml.starts_with(UTF8_DECLARATION) {
            continue;
        }
        for label in [
            "ISO-8859-1",
            "ISO-8859-15",
            "windows-1252",
            "UTF-16LE",
            "UTF-16BE",
        ] {
            let declared = if label.starts_with("UTF-16") {
                "UTF-16"
            } else {
                label
            };
            let text = xml.replacen(
                UTF8_DECLARATION,
                &format!("<?xml version=\"1.0\" encoding=\"{declared}\"?>"),
                1,
            );
            let bytes: Vec<u8> = match label {
                "ISO-8859-1" => {
                    if text.chars().any(|c| u32::from(c) > 0xFF) {
                        continue;
                    }
                    text.chars().map(|c| c as u8).collect()
                }
                "UTF-16LE" => common::utf16(&text, true),
                "UTF-16BE" => common::utf16(&text, false),
                _ => {
                    let codec = encoding_rs::Encoding::for_label(label.as_bytes()).unwrap();
                    let (bytes, _, unmappable) = codec.encode(&text);
                    if unmappable {
                        continue;
                    }
                    bytes.into_owned()
                }
            };
            let report = validate(&bytes, common::today());
            let ours = !report.errors.iter().any(|e| codes::is_schema_level(e.code));
            assert_eq!(ours, valid, "{name} en {label}: {:#?}", report.errors);
            if lint {
                let path = dir.join(format!("variante-{i}-{label}.xml"));
                fs::write(&path, &bytes).unwrap();
                assert_eq!(
                    common::xmllint_accepts(&path),
                    Some(valid),
                    "{name} en {label} selon xmllint"
                );
            }
            written += 1;
        }
    }
    assert!(written > 100, "{written} variantes écrites seulement");
    fs::remove_dir_all(dir).ok();
}

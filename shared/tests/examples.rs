//! Every file in `schemas/examples` gives the verdict its name promises.

mod common;

use std::fs;

use shared::order::errors::codes;
use shared::order::validate;

/// Each invalid example and the code the reader must report for it.
const INVALID: &[(&str, &str)] = &[
    (
        "invalide-element-obligatoire-manquant.xml",
        codes::ELEMENT_MANQUANT,
    ),
    ("invalide-enumeration-secteur.xml", codes::CODE_INCONNU),
    ("invalide-enumeration-type-carte.xml", codes::CODE_INCONNU),
    ("invalide-motif-code-postal.xml", codes::FORMAT_INVALIDE),
    ("invalide-motif-finess.xml", codes::FORMAT_INVALIDE),
    ("invalide-motif-telephone.xml", codes::FORMAT_INVALIDE),
    ("invalide-ordre-elements.xml", codes::ELEMENT_MAL_PLACE),
    ("invalide-date-inexistante.xml", codes::DATE_INVALIDE),
    (
        "invalide-longueur-destinataire.xml",
        codes::LONGUEUR_INVALIDE,
    ),
    ("invalide-element-inconnu.xml", codes::ELEMENT_INCONNU),
    ("invalide-espace-de-noms.xml", codes::RACINE_INVALIDE),
    ("invalide-sans-operation.xml", codes::ELEMENT_MANQUANT),
    ("invalide-modification-vide.xml", codes::MODIFICATION_VIDE),
    ("invalide-booleen.xml", codes::BOOLEEN_INVALIDE),
    ("invalide-utf8.xml", codes::UTF8_INVALIDE),
    ("invalide-doctype.xml", codes::DOCTYPE_INTERDIT),
    ("invalide-cle-finess.xml", codes::FINESS_CLE_INVALIDE),
    ("invalide-cle-siret.xml", codes::SIRET_CLE_INVALIDE),
    ("invalide-cle-rpps.xml", codes::RPPS_CLE_INVALIDE),
    (
        "invalide-date-naissance-invraisemblable.xml",
        codes::DATE_NAISSANCE_INVRAISEMBLABLE,
    ),
    (
        "invalide-cps-profession-rpps.xml",
        codes::CPS_PROFESSION_RPPS,
    ),
    ("invalide-porteur-en-double.xml", codes::PORTEUR_EN_DOUBLE),
    ("invalide-adresse-incomplete.xml", codes::ADRESSE_INCOMPLETE),
    (
        "invalide-profession-obsolete.xml",
        codes::PROFESSION_OBSOLETE,
    ),
];

#[test]
fn valid_examples_have_no_finding_and_give_an_order() {
    for name in ["commande-complete.xml", "modele-commande-cpe.xml"] {
        let bytes = fs::read(common::examples().join(name)).unwrap();
        let report = validate(&bytes, common::today());
        assert!(report.errors.is_empty(), "{name}: {:#?}", report.errors);
        assert!(report.order.is_some(), "{name}");
    }
    let bytes = fs::read(common::examples().join("commande-complete.xml")).unwrap();
    assert_eq!(validate(&bytes, common::today()).operations, 6);
}

#[test]
fn each_invalid_example_reports_its_code() {
    for (name, code) in INVALID {
        let bytes = fs::read(common::examples().join(name)).unwrap();
        let report = validate(&bytes, common::today());
        assert!(
            report.errors.iter().any(|e| e.code == *code),
            "{name}: attendu {code}, obtenu {:#?}",
            report.errors
        );
        assert!(report.order.is_none(), "{name}");
        assert!(!report.is_valid(), "{name}");
    }
}

#[test]
fn every_example_file_is_listed() {
    for entry in fs::read_dir(common::examples()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.starts_with("invalide-") {
            assert!(
                INVALID.iter().any(|(n, _)| *n == name),
                "{name} sans code attendu"
            );
        }
    }
}

#[test]
fn readme_lists_every_invalid_example() {
    let readme = fs::read_to_string(common::examples().join("README.md")).unwrap();
    for (name, code) in INVALID {
        assert!(readme.contains(name), "{name} absent du README");
        assert!(readme.contains(code), "{code} absent du README");
    }
}

#[test]
fn schema_level_examples_agree_with_xmllint() {
    if !common::xmllint_available() {
        eprintln!("NOTE : xmllint absent, vérification croisée des exemples ignorée");
        return;
    }
    for entry in fs::read_dir(common::examples()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("xml") {
            continue;
        }
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let report = validate(&fs::read(&path).unwrap(), common::today());
        let ours = !report.errors.iter().any(|e| codes::is_schema_level(e.code));
        let tom_only = name == "invalide-doctype.xml";
        let theirs = common::xmllint_accepts(&path).unwrap();
        if !tom_only {
            assert_eq!(ours, theirs, "{name}: TOM {ours}, xmllint {theirs}");
        } else {
            assert!(theirs, "{name} doit passer xmllint");
        }
    }
}

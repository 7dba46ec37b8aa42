//! The XSD file itself: its enumerations are the nomenclature data, and every element and type
//! is documented in French.

mod common;

use std::fs;

use shared::nomenclature::{
    Nomenclature, CIVILITE, FONCTION, GENRE_ACTIVITE, MODE_EXERCICE, PROFESSION, SECTEUR_ACTIVITE,
};

fn schema_text() -> String {
    fs::read_to_string(common::schema()).unwrap()
}

/// The enumeration values of the named simple type, in file order.
fn enumeration(xsd: &str, type_name: &str) -> Vec<String> {
    let start = xsd
        .find(&format!("<xs:simpleType name=\"{type_name}\">"))
        .unwrap_or_else(|| panic!("type {type_name} absent"));
    let end = start + xsd[start..].find("</xs:simpleType>").unwrap();
    xsd[start..end]
        .split("<xs:enumeration value=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .collect()
}

#[test]
fn schema_enumerations_are_the_nomenclature_data() {
    let xsd = schema_text();
    let tables: &[(&str, &Nomenclature)] = &[
        ("Civilite", &CIVILITE),
        ("Profession", &PROFESSION),
        ("Fonction", &FONCTION),
        ("SecteurActivite", &SECTEUR_ACTIVITE),
        ("GenreActivite", &GENRE_ACTIVITE),
        ("ModeExercice", &MODE_EXERCICE),
    ];
    for (type_name, table) in tables {
        let from_data: Vec<String> = table.schema_codes().map(str::to_owned).collect();
        assert_eq!(enumeration(&xsd, type_name), from_data, "{type_name}");
    }
    // Deprecated professions are in the schema on purpose (refused by a business rule).
    assert!(enumeration(&xsd, "Profession").contains(&"38".to_owned()));
    assert!(!enumeration(&xsd, "Civilite").contains(&"MLLE".to_owned()));
}

#[test]
fn every_declaration_is_documented_in_french() {
    let xsd = schema_text();
    let mut checked = 0;
    for tag in [
        "<xs:element ",
        "<xs:complexType ",
        "<xs:simpleType ",
        "<xs:group name",
        "<xs:enumeration ",
    ] {
        for (at, _) in xsd.match_indices(tag) {
            let rest = &xsd[at..];
            let open_end = rest.find('>').unwrap();
            assert!(
                !rest[..open_end].ends_with('/'),
                "déclaration sans documentation : {}",
                &rest[..open_end]
            );
            let after = rest[open_end + 1..].trim_start();
            assert!(
                after.starts_with("<xs:annotation><xs:documentation>"),
                "déclaration sans documentation : {}",
                &rest[..open_end + 1]
            );
            checked += 1;
        }
    }
    assert!(checked > 150, "{checked}");
    assert!(xsd.contains("targetNamespace=\"urn:tom:commande:v1\""));
    assert!(xsd.contains("elementFormDefault=\"qualified\""));
}

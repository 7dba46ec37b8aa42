//! Project choices about certificates and demo data (domain.md marks them as ours): kept here, in
//! one place, so they can be changed.

/// Policy of card authentication certificates: a test arc under 2.25 (UUID-based OIDs, which
/// anyone may mint), followed by `.1`.
pub const CARD_POLICY_OID: &str = "2.25.168375029741129541186637421473190224361.1";
/// Policy of the issuing service's operator cards.
pub const OPERATOR_POLICY_OID: &str = "2.25.168375029741129541186637421473190224361.2";
/// The issuing service's own structure (a FINESS with a valid key).
pub const SERVICE_FINESS: &str = "750000093";

/// A structure of the demo data.
pub struct DemoStructure {
    pub letter: char,
    pub finess: &'static str,
    pub siret: &'static str,
    pub name: &'static str,
}

impl DemoStructure {
    pub fn id(&self) -> String {
        format!("1{}", self.finess)
    }
}

pub fn demo_structures() -> [DemoStructure; 2] {
    [
        DemoStructure {
            letter: 'A',
            finess: "940000011",
            siret: "26940000800018",
            name: "CENTRE HOSPITALIER DE DEMONSTRATION A",
        },
        DemoStructure {
            letter: 'B',
            finess: "940000029",
            siret: "26940001600011",
            name: "CLINIQUE DE DEMONSTRATION B",
        },
    ]
}

pub(super) struct TestCard {
    pub name: &'static str,
    pub card_type: &'static str,
    pub national_id: String,
    pub family_name: &'static str,
    pub given_name: &'static str,
    pub structure_id: String,
    pub structure_name: String,
    pub title: &'static str,
    pub expired: bool,
    pub unknown_ca: bool,
    pub not_cpx: bool,
    /// Carries an extension TOM does not know, marked critical (RFC 5280 §4.2: refused).
    pub critical_extension: bool,
}

pub(super) fn test_cards() -> Vec<TestCard> {
    let [a, b] = demo_structures();
    let staff = |s: &DemoStructure, internal: &str| format!("3{}/{}", s.finess, internal);
    let card =
        |name, card_type, s: &DemoStructure, internal: &str, family, given, title| TestCard {
            name,
            card_type,
            national_id: staff(s, internal),
            family_name: family,
            given_name: given,
            structure_id: s.id(),
            structure_name: s.name.to_string(),
            title,
            expired: false,
            unknown_ca: false,
            not_cpx: false,
            critical_extension: false,
        };
    let employee = "Carte de service santé ou social";
    let mut cards = vec![
        card(
            "representant-legal-a",
            "CDE",
            &a,
            "DIR0001",
            "DURAND",
            "CLAIRE",
            "Directeur d'établissement",
        ),
        card(
            "mandataire-a",
            "CPE",
            &a,
            "000101",
            "MARTIN",
            "SOPHIE",
            employee,
        ),
        card(
            "mandataire-b",
            "CPE",
            &b,
            "000201",
            "BERNARD",
            "LUC",
            employee,
        ),
        card(
            "carte-expiree",
            "CPE",
            &a,
            "000102",
            "LEROY",
            "THOMAS",
            employee,
        ),
        card(
            "carte-revoquee",
            "CPE",
            &a,
            "000103",
            "MOREAU",
            "JULIE",
            employee,
        ),
        card(
            "carte-ac-inconnue",
            "CPE",
            &a,
            "000104",
            "GIRARD",
            "HUGO",
            employee,
        ),
        card(
            "carte-non-cpx",
            "CPE",
            &a,
            "000105",
            "ROUX",
            "EMMA",
            employee,
        ),
        card(
            "carte-extension-critique",
            "CPE",
            &a,
            "000106",
            "FAURE",
            "LEA",
            employee,
        ),
    ];
    cards.push(TestCard {
        name: "operateur",
        card_type: "OPERATEUR",
        national_id: format!("3{SERVICE_FINESS}/OPE0001"),
        family_name: "PETIT",
        given_name: "NADIA",
        structure_id: format!("1{SERVICE_FINESS}"),
        structure_name: "SERVICE D'EMISSION TOM".to_string(),
        title: "Opérateur du service d'émission",
        expired: false,
        unknown_ca: false,
        not_cpx: false,
        critical_extension: false,
    });
    for c in &mut cards {
        match c.name {
            "carte-expiree" => c.expired = true,
            "carte-ac-inconnue" => c.unknown_ca = true,
            "carte-extension-critique" => c.critical_extension = true,
            "carte-non-cpx" => {
                c.not_cpx = true;
                c.national_id = "Certificat de messagerie TEST".to_string();
            }
            _ => {}
        }
    }
    cards
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::ids::{Finess, PersonId, Siret};

    #[test]
    fn demo_identifiers_have_valid_check_keys() {
        for s in demo_structures() {
            assert!(Finess::parse(s.finess).is_ok(), "{}", s.finess);
            assert!(Siret::parse(s.siret).is_ok(), "{}", s.siret);
        }
        assert!(Finess::parse(SERVICE_FINESS).is_ok());
        for c in test_cards().iter().filter(|c| !c.not_cpx) {
            let id = PersonId::parse(&c.national_id).unwrap();
            assert_eq!(id.structure_id().unwrap(), c.structure_id);
        }
    }
}

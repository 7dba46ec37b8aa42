//! ANS "NOS" code tables used by orders (domain.md §5), shipped as data with their OID and the
//! version TOM retained, plus the list of professions whose CPS comes through the RPPS.
//!
//! The XML schema's enumerations are generated from the same lists; a test keeps them in sync.

/// One code of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub code: &'static str,
    pub label: &'static str,
    /// Refused for new orders, still valid in the history of existing cards.
    pub deprecated: bool,
}

/// A code table.
#[derive(Debug)]
pub struct Nomenclature {
    /// ANS identifier, e.g. `TRE_G15`.
    pub id: &'static str,
    pub name: &'static str,
    /// OID of the table, when TOM knows it.
    pub oid: Option<&'static str>,
    /// Version of the table TOM's data reflects.
    pub version: &'static str,
    /// Whether the order schema accepts the deprecated codes (then a business rule refuses
    /// them with its reason) or leaves them out of its enumeration.
    pub schema_accepts_deprecated: bool,
    pub entries: &'static [Entry],
}

impl Nomenclature {
    pub fn get(&self, code: &str) -> Option<&'static Entry> {
        // Codes of a table mostly differ by their last character ("SA01", "SA02"…): compare
        // it and the length before the whole code (the order-file validator looks codes up
        // millions of times).
        let c = code.as_bytes();
        let last = *c.last()?;
        self.entries.iter().find(|e| {
            let b = e.code.as_bytes();
            b.len() == c.len() && b.last() == Some(&last) && b == c
        })
    }

    pub fn label(&self, code: &str) -> Option<&'static str> {
        self.get(code).map(|e| e.label)
    }

    /// Whether the order schema (XSD enumeration) accepts this code.
    pub fn accepted_by_schema(&self, code: &str) -> bool {
        self.get(code)
            .is_some_and(|e| !e.deprecated || self.schema_accepts_deprecated)
    }

    pub fn is_deprecated(&self, code: &str) -> bool {
        self.get(code).is_some_and(|e| e.deprecated)
    }

    /// The codes the schema enumerates, in table order.
    pub fn schema_codes(&self) -> impl Iterator<Item = &'static str> + '_ {
        let accepts = self.schema_accepts_deprecated;
        self.entries
            .iter()
            .filter(move |e| !e.deprecated || accepts)
            .map(|e| e.code)
    }
}

const fn e(code: &'static str, label: &'static str) -> Entry {
    Entry {
        code,
        label,
        deprecated: false,
    }
}

const fn old(code: &'static str, label: &'static str) -> Entry {
    Entry {
        code,
        label,
        deprecated: true,
    }
}

/// Version label of the tables as TOM transcribed them (from domain.md, November 2026).
const TOM_EXTRACT: &str = "TOM-2026-11";

/// TRE_R81 Civilité.
pub static CIVILITE: Nomenclature = Nomenclature {
    id: "TRE_R81",
    name: "Civilité",
    oid: None,
    version: TOM_EXTRACT,
    schema_accepts_deprecated: false,
    entries: &[
        e("M", "Monsieur"),
        e("MME", "Madame"),
        old("MLLE", "Mademoiselle"),
    ],
};

/// TRE_R87 Type de carte. Only CPE, CPA and CPS are ordered through the file.
pub static TYPE_CARTE: Nomenclature = Nomenclature {
    id: "TRE_R87",
    name: "Type de carte",
    oid: None,
    version: TOM_EXTRACT,
    schema_accepts_deprecated: false,
    entries: &[
        e("CPS", "Carte de professionnel de santé"),
        e("CPF", "Carte de professionnel de santé en formation"),
        e("CPE", "Carte de personnel d'établissement"),
        e("CPA", "Carte de personnel autorisé"),
    ],
};

/// TRE_G15 Profession.
pub static PROFESSION: Nomenclature = Nomenclature {
    id: "TRE_G15",
    name: "Profession",
    oid: Some("1.2.250.1.71.1.2.7"),
    version: TOM_EXTRACT,
    schema_accepts_deprecated: true,
    entries: &[
        e("10", "Médecin"),
        e("21", "Pharmacien"),
        e("26", "Audioprothésiste"),
        e("28", "Opticien-Lunetier"),
        e("31", "Assistant dentaire"),
        e("32", "Physicien médical"),
        old("35", "Aide-soignant"),
        old("36", "Ambulancier"),
        old("37", "Auxiliaire de puériculture"),
        old("38", "Préparateur en pharmacie"),
        old("39", "Préparateur en pharmacie hospitalière"),
        e("40", "Chirurgien-Dentiste"),
        e("50", "Sage-Femme"),
        e("60", "Infirmier"),
        e("69", "Infirmier psychiatrique"),
        e("70", "Masseur-Kinésithérapeute"),
        e("80", "Pédicure-Podologue"),
        e("81", "Orthoprothésiste"),
        e("82", "Podo-Orthésiste"),
        e("83", "Orthopédiste-Orthésiste"),
        e("84", "Oculariste"),
        e("85", "Epithésiste"),
        e("86", "Technicien de laboratoire médical"),
        e("91", "Orthophoniste"),
        e("92", "Orthoptiste"),
        old("93", "Psychologue"),
        e("94", "Ergothérapeute"),
        e("95", "Diététicien"),
        e("96", "Psychomotricien"),
        e("98", "Manipulateur ERM"),
    ],
};

/// TRE_R21 Fonction (extract retained by TOM).
pub static FONCTION: Nomenclature = Nomenclature {
    id: "TRE_R21",
    name: "Fonction",
    oid: Some("1.2.250.1.213.1.6.1.17"),
    version: TOM_EXTRACT,
    schema_accepts_deprecated: false,
    entries: &[
        e("FON-05", "Adjoint"),
        e("FON-09", "Responsable d'établissement"),
        e("FON-17", "Collaborateur"),
        e("FON-18", "Assistant"),
        e("FON-22", "Remplaçant, intérimaire, intermittent"),
        e("FON-23", "Gérant"),
        e("FON-33", "Salarié en poste fixe"),
        e("FON-36", "Délégué"),
        e("FON-43", "Cadre de santé"),
        e("FON-45", "Directeur des soins"),
        e("FON-48", "Interne"),
        e("FON-57", "Docteur junior"),
        e("FON-63", "Coordonnateur en EHPAD"),
    ],
};

/// TRE_R02 Secteur d'activité (extract retained by TOM).
pub static SECTEUR_ACTIVITE: Nomenclature = Nomenclature {
    id: "TRE_R02",
    name: "Secteur d'activité",
    oid: Some("1.2.250.1.71.4.2.4"),
    version: TOM_EXTRACT,
    schema_accepts_deprecated: false,
    entries: &[
        e("SA01", "Etablissement public de santé"),
        e("SA03", "Etablissement privé PSPH"),
        e("SA04", "Etablissement privé non PSPH"),
        e("SA05", "Centre de santé"),
        e("SA16", "Etablissement pour personnes handicapées"),
        e("SA17", "Etablissement pour personnes âgées"),
        e("SA24", "Organisme de sécurité sociale"),
        e("SA25", "Laboratoire de biologie médicale"),
        e("SA33", "Pharmacie d'officine"),
        e("SA34", "Centre de dialyse"),
        e("SA36", "Centre anti-cancer"),
        e("SA37", "Centre de transfusion sanguine"),
        e("SA43", "Secteur non défini"),
        e("SA52", "Maison de santé ou Pôle de santé"),
        e("SA53", "Siège administratif d'un établissement de santé"),
    ],
};

/// TRE_R22 Genre d'activité.
pub static GENRE_ACTIVITE: Nomenclature = Nomenclature {
    id: "TRE_R22",
    name: "Genre d'activité",
    oid: None,
    version: TOM_EXTRACT,
    schema_accepts_deprecated: false,
    entries: &[
        e("GENR01", "Activité de soin et de pharmacie"),
        e("GENR04", "Activité non soignante"),
        e(
            "GENR06",
            "Délégation de responsabilité pour continuité de service",
        ),
        e("GENR13", "Activité médico-administrative"),
        e("GENR99", "Autre activité"),
    ],
};

/// TRE_R23 Mode d'exercice.
pub static MODE_EXERCICE: Nomenclature = Nomenclature {
    id: "TRE_R23",
    name: "Mode d'exercice",
    oid: None,
    version: TOM_EXTRACT,
    schema_accepts_deprecated: false,
    entries: &[e("S", "Salarié"), e("L", "Libéral"), e("B", "Bénévole")],
};

/// Every table, for listing and documentation.
pub static ALL: &[&Nomenclature] = &[
    &CIVILITE,
    &TYPE_CARTE,
    &PROFESSION,
    &FONCTION,
    &SECTEUR_ACTIVITE,
    &GENRE_ACTIVITE,
    &MODE_EXERCICE,
];

/// Professions whose CPS is issued automatically by their professional order through the RPPS:
/// TOM refuses CPS orders for them. Configuration, not law: more professions move to the RPPS
/// since ADELI was decommissioned; extend this list (one place) when they do.
pub const RPPS_SIMPLIFIED_PROFESSIONS: &[&str] = &["10", "21", "40", "50"];

/// Whether the CPS of this profession comes from the professional order through the RPPS.
pub fn is_rpps_simplified(profession: &str) -> bool {
    RPPS_SIMPLIFIED_PROFESSIONS.contains(&profession)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_finds_labels_and_deprecations() {
        assert_eq!(PROFESSION.label("60"), Some("Infirmier"));
        assert!(PROFESSION.is_deprecated("38"));
        assert!(PROFESSION.accepted_by_schema("38"));
        assert!(!PROFESSION.is_deprecated("60"));
        assert!(PROFESSION.get("99").is_none());
        assert!(!CIVILITE.accepted_by_schema("MLLE"));
        assert!(CIVILITE.accepted_by_schema("MME"));
        assert_eq!(FONCTION.oid, Some("1.2.250.1.213.1.6.1.17"));
    }

    #[test]
    fn rpps_simplified_professions_are_doctors_pharmacists_dentists_midwives() {
        for p in ["10", "21", "40", "50"] {
            assert!(is_rpps_simplified(p));
            assert!(PROFESSION.get(p).is_some());
        }
        assert!(!is_rpps_simplified("60"));
    }

    #[test]
    fn codes_are_unique_within_each_table() {
        for t in ALL {
            let mut seen = std::collections::HashSet::new();
            for e in t.entries {
                assert!(seen.insert(e.code), "{} {}", t.id, e.code);
            }
        }
    }
}

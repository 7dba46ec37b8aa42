//! Validation errors of an order file: where (line, column, path), what (a stable code the SPA and
//! tests match on) and a French message that says what to fix. Same values in browser and server.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize};

use crate::message::Message;

/// Whether a finding blocks the order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The order is refused.
    Error,
    /// Reported, the order is still accepted.
    Warning,
}

/// One finding about an order file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ValidationError {
    /// 1-based line of the element (or byte) concerned; 0 when not tied to a place.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Path of the element, e.g. `/commande/operations/demandeCarte[3]/porteur/nomNaissance`.
    pub path: String,
    /// Stable code, one of [`codes::ALL`].
    pub code: &'static str,
    /// French message for the user: [`Self::to_message`] rendered with the French catalogue.
    pub message: String,
    pub severity: Severity,
    /// The catalogue entry of `message` when it is not `code` (a code with several sentences).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_code: Option<Cow<'static, str>>,
    /// The message's arguments, so that a client can render it in another language.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(Cow<'static, str>, String)>,
}

impl ValidationError {
    /// A finding at a place; its French text comes from the catalogue.
    pub fn new(
        (line, column): (u32, u32),
        path: String,
        code: &'static str,
        message: Message,
        severity: Severity,
    ) -> Self {
        let text = message.to_french();
        let Message {
            code: message_code,
            args,
        } = message;
        ValidationError {
            line,
            column,
            path,
            code,
            message: text,
            severity,
            message_code: (message_code != code).then_some(message_code),
            args,
        }
    }

    /// The message as data (code and arguments), to render in any language.
    pub fn to_message(&self) -> Message {
        Message {
            code: self
                .message_code
                .clone()
                .unwrap_or(Cow::Borrowed(self.code)),
            args: self.args.clone(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl<'de> Deserialize<'de> for ValidationError {
    /// The code is looked up among [`codes::ALL`], so that it stays a `&'static str`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            line: u32,
            column: u32,
            path: String,
            code: String,
            message: String,
            severity: Severity,
            #[serde(default)]
            message_code: Option<String>,
            #[serde(default)]
            args: Vec<(String, String)>,
        }
        let raw = Raw::deserialize(d)?;
        let code = codes::ALL
            .iter()
            .find(|c| **c == raw.code)
            .copied()
            .ok_or_else(|| {
                serde::de::Error::custom(format!("code d'erreur inconnu : {}", raw.code))
            })?;
        Ok(ValidationError {
            line: raw.line,
            column: raw.column,
            path: raw.path,
            code,
            message: raw.message,
            severity: raw.severity,
            message_code: raw.message_code.map(Cow::Owned),
            args: raw
                .args
                .into_iter()
                .map(|(n, v)| (Cow::Owned(n), v))
                .collect(),
        })
    }
}

/// The stable error codes. Never rename one: the SPA and the tests match on them.
pub mod codes {
    // --- XML and safety (the file cannot be read further) ---
    /// Bytes that are not UTF-8.
    pub const UTF8_INVALIDE: &str = "utf8_invalide";
    /// Not well-formed XML.
    pub const XML_MAL_FORME: &str = "xml_mal_forme";
    /// A DOCTYPE (and with it any ENTITY declaration) is refused.
    pub const DOCTYPE_INTERDIT: &str = "doctype_interdit";
    /// Entity reference other than the five predefined ones.
    pub const ENTITE_INCONNUE: &str = "entite_inconnue";
    /// Character not allowed in XML 1.0 (control character…).
    pub const CARACTERE_INTERDIT: &str = "caractere_interdit";
    /// A value with a control character XML allows but no value may hold (DEL, C1: U+0080–U+009F),
    /// refused with its position: the `Libelle` patterns of the XSD refuse it too.
    pub const CARACTERE_CONTROLE: &str = "caractere_controle";
    /// Declared encoding other than UTF-8.
    pub const ENCODAGE_NON_SUPPORTE: &str = "encodage_non_supporte";
    /// Nesting deeper than the reader's bound.
    pub const PROFONDEUR_EXCESSIVE: &str = "profondeur_excessive";
    /// More elements than the reader's bound.
    pub const TROP_D_ELEMENTS: &str = "trop_d_elements";
    /// A text value longer than the reader's bound.
    pub const TEXTE_TROP_LONG: &str = "texte_trop_long";
    /// The error limit was reached; the rest of the file was not checked.
    pub const LIMITE_ERREURS_ATTEINTE: &str = "limite_erreurs_atteinte";

    // --- Schema level (what `xmllint --schema` also refuses) ---
    /// Root element is not `commande` in namespace `urn:tom:commande:v1`.
    pub const RACINE_INVALIDE: &str = "racine_invalide";
    /// Element that the format does not define at this place (or in another namespace).
    pub const ELEMENT_INCONNU: &str = "element_inconnu";
    /// Element of the format out of order or repeated.
    pub const ELEMENT_MAL_PLACE: &str = "element_mal_place";
    /// Required element missing.
    pub const ELEMENT_MANQUANT: &str = "element_manquant";
    /// `modificationPorteur` changing nothing.
    pub const MODIFICATION_VIDE: &str = "modification_vide";
    /// Text where only elements are allowed, or an element inside a text value.
    pub const CONTENU_INATTENDU: &str = "contenu_inattendu";
    /// Attribute not defined by the format.
    pub const ATTRIBUT_INTERDIT: &str = "attribut_interdit";
    /// Value not matching the type's pattern.
    pub const FORMAT_INVALIDE: &str = "format_invalide";
    /// Value too long.
    pub const LONGUEUR_INVALIDE: &str = "longueur_invalide";
    /// Code not in the nomenclature (enumeration).
    pub const CODE_INCONNU: &str = "code_inconnu";
    /// Date or date-time that does not exist or is badly written.
    pub const DATE_INVALIDE: &str = "date_invalide";
    /// Boolean other than true/false/1/0.
    pub const BOOLEEN_INVALIDE: &str = "booleen_invalide";

    // --- Business rules (the schema accepts the file) ---
    pub const FINESS_CLE_INVALIDE: &str = "finess_cle_invalide";
    /// Warning: Corsican FINESS (2A/2B), key computed with 2A→21, 2B→22 (unconfirmed rule).
    pub const FINESS_CORSE_NON_VERIFIE: &str = "finess_corse_non_verifie";
    pub const SIRET_CLE_INVALIDE: &str = "siret_cle_invalide";
    /// The first 9 digits of the SIRET are not a valid SIREN.
    pub const SIRET_SIREN_INVALIDE: &str = "siret_siren_invalide";
    pub const RPPS_CLE_INVALIDE: &str = "rpps_cle_invalide";
    /// Birth date before 1900 or less than 14 years before today.
    pub const DATE_NAISSANCE_INVRAISEMBLABLE: &str = "date_naissance_invraisemblable";
    /// Date after today where the past is expected (creation, incident).
    pub const DATE_FUTURE: &str = "date_future";
    /// Date more than a year ahead (end of exercise).
    pub const DATE_TROP_LOINTAINE: &str = "date_trop_lointaine";
    /// Date before 1900.
    pub const DATE_INVRAISEMBLABLE: &str = "date_invraisemblable";
    /// CPS for a profession whose order issues it through the RPPS (10, 21, 40, 50).
    pub const CPS_PROFESSION_RPPS: &str = "cps_profession_rpps";
    /// CPS requested with a fonction instead of a profession.
    pub const CPS_SANS_PROFESSION: &str = "cps_sans_profession";
    /// Deprecated profession in a new order or change.
    pub const PROFESSION_OBSOLETE: &str = "profession_obsolete";
    /// Same holder twice in one file.
    pub const PORTEUR_EN_DOUBLE: &str = "porteur_en_double";
    /// Postal address without street nor locality, or a number without street.
    pub const ADRESSE_INCOMPLETE: &str = "adresse_incomplete";

    /// Every code, for lookups and documentation.
    pub const ALL: &[&str] = &[
        UTF8_INVALIDE,
        XML_MAL_FORME,
        DOCTYPE_INTERDIT,
        ENTITE_INCONNUE,
        CARACTERE_INTERDIT,
        CARACTERE_CONTROLE,
        ENCODAGE_NON_SUPPORTE,
        PROFONDEUR_EXCESSIVE,
        TROP_D_ELEMENTS,
        TEXTE_TROP_LONG,
        LIMITE_ERREURS_ATTEINTE,
        RACINE_INVALIDE,
        ELEMENT_INCONNU,
        ELEMENT_MAL_PLACE,
        ELEMENT_MANQUANT,
        MODIFICATION_VIDE,
        CONTENU_INATTENDU,
        ATTRIBUT_INTERDIT,
        FORMAT_INVALIDE,
        LONGUEUR_INVALIDE,
        CODE_INCONNU,
        DATE_INVALIDE,
        BOOLEEN_INVALIDE,
        FINESS_CLE_INVALIDE,
        FINESS_CORSE_NON_VERIFIE,
        SIRET_CLE_INVALIDE,
        SIRET_SIREN_INVALIDE,
        RPPS_CLE_INVALIDE,
        DATE_NAISSANCE_INVRAISEMBLABLE,
        DATE_FUTURE,
        DATE_TROP_LOINTAINE,
        DATE_INVRAISEMBLABLE,
        CPS_PROFESSION_RPPS,
        CPS_SANS_PROFESSION,
        PROFESSION_OBSOLETE,
        PORTEUR_EN_DOUBLE,
        ADRESSE_INCOMPLETE,
    ];

    /// Codes that `xmllint --schema` would also report (well-formedness or schema validity).
    pub fn is_schema_level(code: &str) -> bool {
        matches!(
            code,
            UTF8_INVALIDE
                | XML_MAL_FORME
                | ENTITE_INCONNUE
                | CARACTERE_INTERDIT
                | CARACTERE_CONTROLE
                | RACINE_INVALIDE
                | ELEMENT_INCONNU
                | ELEMENT_MAL_PLACE
                | ELEMENT_MANQUANT
                | MODIFICATION_VIDE
                | CONTENU_INATTENDU
                | ATTRIBUT_INTERDIT
                | FORMAT_INVALIDE
                | LONGUEUR_INVALIDE
                | CODE_INCONNU
                | DATE_INVALIDE
                | BOOLEEN_INVALIDE
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for c in codes::ALL {
            assert!(seen.insert(*c), "{c} en double");
            assert!(c
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit()));
        }
    }

    #[test]
    fn error_round_trips_through_json() {
        let e = ValidationError {
            line: 3,
            column: 7,
            path: "/commande/entete".into(),
            code: codes::FINESS_CLE_INVALIDE,
            message: "clé".into(),
            severity: Severity::Error,
            message_code: None,
            args: Vec::new(),
        };
        let json = serde_json::to_string(&e).unwrap();
        let back: ValidationError = serde_json::from_str(&json).unwrap();
        assert_eq!(back, e);
        let bad = json.replace("finess_cle_invalide", "pas_un_code");
        assert!(serde_json::from_str::<ValidationError>(&bad).is_err());
    }

    #[test]
    fn arguments_travel_and_old_reports_without_them_still_read() {
        let e = ValidationError::new(
            (2, 5),
            "/commande/entete".into(),
            codes::DATE_FUTURE,
            Message::new("date_future_creation")
                .arg("date", "2030-01-01")
                .arg("today", "2026-11-24"),
            Severity::Error,
        );
        assert_eq!(
            e.message,
            "date de création 2030-01-01 dans le futur (aujourd'hui : 2026-11-24)"
        );
        let json = serde_json::to_string(&e).unwrap();
        assert!(
            json.contains(r#""message_code":"date_future_creation""#),
            "{json}"
        );
        let back: ValidationError = serde_json::from_str(&json).unwrap();
        assert_eq!(back, e);
        assert_eq!(back.to_message().to_french(), e.message);

        // Its own code as message: no message_code; no argument: no args.
        let plain = ValidationError::new(
            (1, 1),
            String::new(),
            codes::MODIFICATION_VIDE,
            Message::new(codes::MODIFICATION_VIDE),
            Severity::Error,
        );
        let json = serde_json::to_string(&plain).unwrap();
        assert!(
            !json.contains("message_code") && !json.contains("args"),
            "{json}"
        );
        let old = r#"{"line":1,"column":1,"path":"","code":"modification_vide","message":"m","severity":"error"}"#;
        let back: ValidationError = serde_json::from_str(old).unwrap();
        assert!(back.args.is_empty() && back.message_code.is_none());
    }
}

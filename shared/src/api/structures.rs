//! Structures and the people who act for them.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use utoipa::ToSchema;

/// The role a person holds in a structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    RepresentantLegal,
    Mandataire,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::RepresentantLegal => "representant_legal",
            Role::Mandataire => "mandataire",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "representant_legal" => Some(Role::RepresentantLegal),
            "mandataire" => Some(Role::Mandataire),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Role::RepresentantLegal => "Représentant légal",
            Role::Mandataire => "Mandataire",
        }
    }
}

/// A structure the holder may act for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct StructureSummary {
    /// Identifiant national of the structure (TRE_G07), e.g. `1620100842`.
    pub id: String,
    pub finess: Option<String>,
    pub siret: Option<String>,
    pub name: String,
    pub role: Role,
    /// The legal entity whose mandate gives this role, for an establishment of a legal entity
    /// the holder has a mandate in.
    #[serde(default)]
    pub legal_entity_id: Option<String>,
}

/// `GET /api/structures/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct StructureDetail {
    pub id: String,
    pub finess: Option<String>,
    pub siret: Option<String>,
    pub name: String,
    pub kind: StructureKind,
    pub coordinates: Coordinates,
    /// Register-only data: category label, geolocation, date of the register's last change.
    pub category: String,
    pub register_updated_on: String,
    /// The legal entity an establishment belongs to.
    pub legal_entity: Option<StructureLink>,
    /// A legal entity's establishments.
    pub establishments: Vec<StructureLink>,
    pub people: Vec<StructurePerson>,
}

/// An establishment (FINESS géographique) or a legal entity (FINESS juridique).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StructureKind {
    Etablissement,
    EntiteJuridique,
}

impl StructureKind {
    pub fn code(self) -> &'static str {
        match self {
            StructureKind::Etablissement => "etablissement",
            StructureKind::EntiteJuridique => "entite_juridique",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "etablissement" => Some(StructureKind::Etablissement),
            "entite_juridique" => Some(StructureKind::EntiteJuridique),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            StructureKind::Etablissement => "Établissement (FINESS géographique)",
            StructureKind::EntiteJuridique => "Entité juridique (FINESS juridique)",
        }
    }
}

/// Another structure named on a structure's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct StructureLink {
    pub id: String,
    pub finess: Option<String>,
    pub name: String,
}

/// A structure's coordinates: what its mandataires edit (`PUT /api/structures/{id}`) and the
/// register overrides on import (except the e-mail, which the register does not carry).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct Coordinates {
    pub name: String,
    /// Number and street, e.g. `900 RTE DE PARIS`.
    pub address_line: String,
    /// Building, locality, PO box.
    pub address_complement: String,
    /// Postcode and town, e.g. `01440 VIRIAT`.
    pub postal_line: String,
    pub phone: String,
    pub email: String,
}

impl Coordinates {
    /// The fields, named as in the history, in a fixed order.
    pub fn fields(&self) -> [(&'static str, &str); 6] {
        [
            ("name", &self.name),
            ("address_line", &self.address_line),
            ("address_complement", &self.address_complement),
            ("postal_line", &self.postal_line),
            ("phone", &self.phone),
            ("email", &self.email),
        ]
    }

    /// What is wrong with an edit, as message codes of the catalogue (empty when it is right).
    pub fn problems(&self) -> Vec<&'static str> {
        let mut problems = Vec::new();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 60 {
            problems.push("structure_name_invalid");
        }
        if [
            &self.address_line,
            &self.address_complement,
            &self.postal_line,
        ]
        .iter()
        .any(|l| l.chars().count() > 120)
        {
            problems.push("structure_address_too_long");
        }
        let phone_ok = self.phone.is_empty()
            || (self.phone.len() <= 20
                && self
                    .phone
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '.' | '-'))
                && self.phone.chars().filter(|c| c.is_ascii_digit()).count() >= 4);
        if !phone_ok {
            problems.push("structure_phone_invalid");
        }
        let email_ok = self.email.is_empty()
            || (self.email.len() <= 254
                && !self.email.contains(char::is_whitespace)
                && self
                    .email
                    .split_once('@')
                    .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.')));
        if !email_ok {
            problems.push("structure_email_invalid");
        }
        problems
    }
}

/// Where a change of a structure's field came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeSource {
    /// The FINESS register, on import (it wins over local edits).
    Registre,
    /// A mandataire's edit.
    Modification,
}

/// `GET /api/structures/{id}/history`: one changed field, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct StructureChange {
    /// Unix seconds.
    pub at: i64,
    pub source: ChangeSource,
    /// The register extract's date (`YYYY-MM-DD`), for a change from the register.
    pub register_date: Option<String>,
    /// Who edited, for a local change.
    pub actor_national_id: Option<String>,
    /// `name`, `address_line`, …, `siret`, `legal_entity`, `category`, `geolocation`.
    pub field: String,
    pub before: String,
    pub after: String,
}

/// French label of a structure field, for the history.
pub fn structure_field_label(field: &str) -> &'static str {
    match field {
        "name" => "Raison sociale",
        "address_line" => "Adresse",
        "address_complement" => "Complément d'adresse",
        "postal_line" => "Code postal et commune",
        "phone" => "Téléphone",
        "email" => "Adresse électronique",
        "siret" => "SIRET",
        "legal_entity" => "Entité juridique",
        "category" => "Catégorie",
        "geolocation" => "Géolocalisation",
        "register_updated_on" => "Mise à jour au registre",
        _ => "Autre",
    }
}

/// Someone with a role in a structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct StructurePerson {
    pub national_id: String,
    pub family_name: String,
    pub given_name: String,
    pub role: Role,
}

/// `POST /api/structures/{id}/mandataires/fin`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct EndMandateRequest {
    /// Identifiant national of the mandataire.
    pub national_id: String,
}

/// A mandate ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct MandateEnded {
    pub national_id: String,
    /// Unix seconds.
    pub ended_at: i64,
}

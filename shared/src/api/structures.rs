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
}

/// `GET /api/structures/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct StructureDetail {
    pub id: String,
    pub finess: Option<String>,
    pub siret: Option<String>,
    pub name: String,
    pub people: Vec<StructurePerson>,
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

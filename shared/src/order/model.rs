//! Typed model of an order file (one order for one structure). Field names are English; the
//! XML element each maps to is given in its doc (the file's words are French).
//!
//! Glossary: holder = porteur, issuer = émetteur, matricule = the structure's internal number
//! of the holder, card address = adresseCarte, PIN address = adressePin.

use serde::{Deserialize, Serialize};

use crate::date::{Date, DateTime};

/// `commande`: one order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub header: Header,
    pub operations: Vec<Operation>,
}

/// `entete`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// `structure`.
    pub structure: StructureId,
    /// `emetteur`.
    pub issuer: Issuer,
    /// `referenceEmetteur`: the issuer's own reference for the file.
    pub issuer_reference: String,
    /// `dateCreation`.
    pub created_at: DateTime,
}

/// Kind of structure identifier: the element name under `structure`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StructureKind {
    /// `finess`
    Finess,
    /// `siret`
    Siret,
}

/// The structure the order is for.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StructureId {
    pub kind: StructureKind,
    pub value: String,
}

/// `emetteur`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issuer {
    /// `identifiantNational`, e.g. `3620100842/01417`.
    pub national_id: Option<String>,
    /// `nom`.
    pub last_name: String,
    /// `prenom`.
    pub first_name: String,
    /// `email`.
    pub email: String,
}

/// One element of `operations`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Operation {
    /// `demandeCarte`
    CardRequest(CardRequest),
    /// `modificationPorteur`
    HolderChange(HolderChange),
    /// `finExercice`
    EndOfExercise(EndOfExercise),
    /// `declarationIncident`
    IncidentDeclaration(IncidentDeclaration),
}

/// `typeCarte`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CardType {
    #[serde(rename = "CPE")]
    Cpe,
    #[serde(rename = "CPA")]
    Cpa,
    #[serde(rename = "CPS")]
    Cps,
}

impl CardType {
    pub fn code(self) -> &'static str {
        match self {
            CardType::Cpe => "CPE",
            CardType::Cpa => "CPA",
            CardType::Cps => "CPS",
        }
    }
    pub fn from_code(s: &str) -> Option<CardType> {
        match s {
            "CPE" => Some(CardType::Cpe),
            "CPA" => Some(CardType::Cpa),
            "CPS" => Some(CardType::Cps),
            _ => None,
        }
    }
}

/// `civilite` (TRE_R81).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Civility {
    #[serde(rename = "M")]
    M,
    #[serde(rename = "MME")]
    Mme,
}

impl Civility {
    pub fn code(self) -> &'static str {
        match self {
            Civility::M => "M",
            Civility::Mme => "MME",
        }
    }
    pub fn from_code(s: &str) -> Option<Civility> {
        match s {
            "M" => Some(Civility::M),
            "MME" => Some(Civility::Mme),
            _ => None,
        }
    }
}

/// `sexe`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    M,
    F,
}

impl Sex {
    pub fn code(self) -> &'static str {
        match self {
            Sex::M => "M",
            Sex::F => "F",
        }
    }
    pub fn from_code(s: &str) -> Option<Sex> {
        match s {
            "M" => Some(Sex::M),
            "F" => Some(Sex::F),
            _ => None,
        }
    }
}

/// `porteur`: identity and contact of the future holder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub civility: Civility,
    /// `nomNaissance`
    pub birth_name: String,
    /// `nomUsage`
    pub usual_name: Option<String>,
    /// `prenoms`
    pub first_names: String,
    /// `dateNaissance`
    pub birth_date: Date,
    /// `lieuNaissance`
    pub birth_place: String,
    pub sex: Sex,
    pub email: String,
    /// `telephone`
    pub phone: String,
    /// `matricule`
    pub matricule: String,
}

/// Profession (TRE_G15) or fonction (TRE_R21).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "code", rename_all = "snake_case")]
pub enum Role {
    /// `profession`
    Profession(String),
    /// `fonction`
    Function(String),
}

/// `modeExercice` (TRE_R23).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PracticeMode {
    /// `S` salarié
    S,
    /// `L` libéral
    L,
    /// `B` bénévole
    B,
}

impl PracticeMode {
    pub fn code(self) -> &'static str {
        match self {
            PracticeMode::S => "S",
            PracticeMode::L => "L",
            PracticeMode::B => "B",
        }
    }
    pub fn from_code(s: &str) -> Option<PracticeMode> {
        match s {
            "S" => Some(PracticeMode::S),
            "L" => Some(PracticeMode::L),
            "B" => Some(PracticeMode::B),
            _ => None,
        }
    }
}

/// `activite`: professional data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub role: Role,
    /// `numeroRpps`
    pub rpps: Option<String>,
    /// `secteurActivite` (TRE_R02)
    pub sector: String,
    /// `genreActivite` (TRE_R22)
    pub activity_kind: Option<String>,
    /// `modeExercice`
    pub practice_mode: Option<PracticeMode>,
}

/// `adresseCarte` / `adressePin`: a postal address in France.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PostalAddress {
    /// `destinataire`
    pub recipient: String,
    pub complement: Option<String>,
    /// `numeroVoie`
    pub street_number: Option<String>,
    /// `voie`
    pub street: Option<String>,
    /// `lieuDit`
    pub locality: Option<String>,
    /// `codePostal`
    pub postal_code: String,
    /// `commune`
    pub city: String,
    /// `pays`, `FR` when absent.
    pub country: String,
}

/// `demandeCarte`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardRequest {
    pub card_type: CardType,
    pub holder: Holder,
    pub activity: Activity,
    /// `nominative`, true when absent.
    pub nominative: bool,
    pub card_address: PostalAddress,
    pub pin_address: PostalAddress,
}

/// `modificationPorteur`: only the fields to change are set (at least one).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderChange {
    pub matricule: String,
    pub civility: Option<Civility>,
    pub birth_name: Option<String>,
    pub usual_name: Option<String>,
    pub first_names: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub activity: Option<Activity>,
    pub card_address: Option<PostalAddress>,
    pub pin_address: Option<PostalAddress>,
}

impl HolderChange {
    /// Whether at least one field changes (the schema requires it).
    pub fn changes_something(&self) -> bool {
        self.civility.is_some()
            || self.birth_name.is_some()
            || self.usual_name.is_some()
            || self.first_names.is_some()
            || self.email.is_some()
            || self.phone.is_some()
            || self.activity.is_some()
            || self.card_address.is_some()
            || self.pin_address.is_some()
    }
}

/// `finExercice`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndOfExercise {
    pub matricule: String,
    /// `dateFin`
    pub date: Date,
}

/// The card an incident is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum CardRef {
    /// `matricule` of the holder
    Matricule(String),
    /// `numeroSerieCarte`
    SerialNumber(String),
}

/// `nature`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentNature {
    /// `perte`
    Loss,
    /// `vol`
    Theft,
    /// `dysfonctionnement`
    Malfunction,
}

impl IncidentNature {
    pub fn code(self) -> &'static str {
        match self {
            IncidentNature::Loss => "perte",
            IncidentNature::Theft => "vol",
            IncidentNature::Malfunction => "dysfonctionnement",
        }
    }
    pub fn from_code(s: &str) -> Option<IncidentNature> {
        match s {
            "perte" => Some(IncidentNature::Loss),
            "vol" => Some(IncidentNature::Theft),
            "dysfonctionnement" => Some(IncidentNature::Malfunction),
            _ => None,
        }
    }
}

/// `declarationIncident`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentDeclaration {
    pub card: CardRef,
    pub nature: IncidentNature,
    /// `dateIncident`
    pub date: Date,
    /// `remplacement`: a replacement card is wanted.
    pub replacement: bool,
}

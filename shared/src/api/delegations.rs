//! Delegations (formerly paper form 502): the legal representative designates or changes a
//! mandataire with a copy of the person's identity document; an operator validates or rejects.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use utoipa::ToSchema;

pub use crate::delegation::DelegationStatus;

/// The « demande » part of `POST /api/structures/{id}/delegations` (multipart/form-data, with the
/// identity document as the « piece » part).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct DesignationRequest {
    /// A change of mandataire: the identifiant national of the current mandataire whose mandate
    /// ends when this designation is validated. Absent for a new mandataire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
    /// The designated person's card: one they have, or one ordered in the same step.
    pub card: DesignatedCard,
}

/// The designated person's card (seed rule: a person who already has a card gets no new one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DesignatedCard {
    /// A card TOM knows, in force, found by its identifiant national; the names must be the
    /// card's (accents and case aside).
    Existing {
        national_id: String,
        family_name: String,
        given_name: String,
    },
    /// A card ordered with the designation: an order file (schema `tom-commande-v1.xsd`) holding
    /// one `demandeCarte` for this structure, checked as any order is.
    New { order_xml: String },
}

/// A delegation as the legal representative and the operator see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct Delegation {
    pub id: String,
    pub structure_id: String,
    pub structure_name: String,
    /// The designated person.
    pub national_id: String,
    pub family_name: String,
    pub given_name: String,
    /// A change: the mandataire replaced at validation.
    pub replaces: Option<String>,
    /// The replaced mandataire's name (« Prénom NOM »).
    pub replaces_name: Option<String>,
    /// The card order made with the designation, if any.
    pub order_id: Option<String>,
    pub status: DelegationStatus,
    /// Unix seconds.
    pub requested_at: i64,
    /// Identifiant national of the legal representative who sent it.
    pub requested_by: String,
    /// Unix seconds of the operator's decision or of the withdrawal.
    pub decided_at: Option<i64>,
    pub decided_by: Option<String>,
    /// Why the operator rejected it.
    pub reason: Option<String>,
    /// The identity document while it is kept: its media type and size.
    pub document: Option<DocumentInfo>,
    /// Unix seconds: when the document is (or was) deleted, its retention over.
    pub document_deleted_after: Option<i64>,
    /// A validated delegation whose mandate has ended since: when (Unix seconds).
    pub mandate_ended_at: Option<i64>,
}

/// An identity document kept with a delegation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct DocumentInfo {
    /// `application/pdf`, `image/jpeg` or `image/png`, from the file's bytes.
    pub media_type: String,
    pub bytes: i64,
}

/// The delegations of a structure, or the operator's list of those waiting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct DelegationList {
    pub delegations: Vec<Delegation>,
    /// Days an identity document is kept after the decision (or the withdrawal).
    pub retention_days: i64,
}

/// `POST /api/backoffice/delegations/{id}/rejet`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct RejectDelegation {
    /// 3 to 500 characters, shown to the legal representative.
    pub reason: String,
}

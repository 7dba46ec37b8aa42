//! What the service says about itself: whom to contact.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use utoipa::ToSchema;

/// `GET /api/contact`: the issuing service's contact, as configured (`contact_*` keys).
/// Shown wherever a page tells the user to contact the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct Contact {
    /// The service's name, e.g. "Service d'émission des cartes CPx".
    pub name: String,
    pub email: String,
    /// As it is dialled in France, e.g. "01 23 45 67 89".
    pub phone: String,
    /// Opening hours in words, e.g. "du lundi au vendredi, de 9 h à 17 h".
    pub hours: String,
}

//! The cards of a structure (its fleet): the list and its filters, the expiry chart, a card's
//! page, and the actions on a card (holder change, end of exercise, incident, renewal).

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use utoipa::{IntoParams, ToSchema};

use super::AuditEntry;

/// A card of the structure's fleet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct FleetCard {
    /// Lower-case hex of the certificate's serial number: the card's key in the fleet.
    pub serial: String,
    pub national_id: String,
    pub family_name: String,
    pub given_name: String,
    /// TRE_R87 code or CDE/CDA, e.g. `CPE`.
    pub card_type: String,
    /// Profession code (TRE_G15), when the holder has one.
    pub profession: Option<String>,
    /// The holder's matricule in the structure (what file orders name the holder by).
    pub matricule: Option<String>,
    /// A `shared::fleet::CardState` code: `active`, `expiree`, `opposee`, `fin_exercice`,
    /// `remplacee`.
    pub state: String,
    /// Unix seconds.
    pub issued_at: Option<i64>,
    pub not_after: Option<i64>,
    /// A future end of exercise, when one is scheduled (Unix seconds of that day's start).
    pub end_at: Option<i64>,
    pub revoked_at: Option<i64>,
    /// The order replacing or renewing this card, when one is under way (not rejected).
    #[serde(default)]
    pub replacement_order: Option<String>,
}

/// The filters of the fleet list, its chart and its downloads. Empty strings mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct FleetFilter {
    /// Name (beginning of the family or given name, accents and case ignored), identifiant
    /// national, matricule or serial number.
    #[serde(default)]
    pub recherche: String,
    /// Card type code (`CPE`, `CPA`, `CPS`, `CDE`…).
    #[serde(default, rename = "type")]
    pub card_type: String,
    /// A card state code (see `FleetCard::state`).
    #[serde(default)]
    pub statut: String,
    /// Profession code (TRE_G15).
    #[serde(default)]
    pub profession: String,
    /// Cards whose end of validity falls in this month, `AAAA-MM` (a bar of the chart).
    #[serde(default)]
    pub mois: String,
    /// Live cards whose end of validity falls within this many days from today.
    #[serde(default)]
    pub expire_sous_jours: Option<u32>,
}

impl FleetFilter {
    /// The filter as a query string (without `?`), percent-encoded; empty fields left out.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        for (name, value) in [
            ("recherche", self.recherche.as_str()),
            ("type", self.card_type.as_str()),
            ("statut", self.statut.as_str()),
            ("profession", self.profession.as_str()),
            ("mois", self.mois.as_str()),
        ] {
            if !value.trim().is_empty() {
                parts.push(format!("{name}={}", percent_encode(value.trim())));
            }
        }
        if let Some(days) = self.expire_sous_jours {
            parts.push(format!("expire_sous_jours={days}"));
        }
        parts.join("&")
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `GET /api/structures/{id}/fleet`: one page of the fleet, by holder name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct FleetPage {
    pub cards: Vec<FleetCard>,
    /// The cursor of the next page (`apres=`), when there is one.
    pub next: Option<String>,
    /// How many cards match the filters.
    pub total: i64,
}

/// Cards whose end of validity falls in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct MonthCount {
    /// `AAAA-MM`.
    pub month: String,
    pub count: i64,
}

/// Cards in one state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct StateCount {
    pub state: String,
    pub count: i64,
}

/// `GET /api/structures/{id}/fleet/summary`: live cards expiring per month over the next 36
/// months (this month first), and every card by state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct FleetSummary {
    pub expiries: Vec<MonthCount>,
    pub states: Vec<StateCount>,
    pub total: i64,
}

/// `GET /api/structures/{id}/cards/{serial}`: a card, its holder and its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct CardDetail {
    pub card: FleetCard,
    /// The holder as TOM knows them (JSON of `shared::fleet::HolderRecord`), when the card came
    /// with an order.
    #[cfg_attr(feature = "server", schema(value_type = Option<Object>))]
    pub holder: Option<crate::fleet::HolderRecord>,
    /// Identity fields come from the RPPS and cannot be changed here (professions 10, 21, 40, 50).
    pub identity_locked: bool,
    /// Audit entries about this card, oldest first.
    pub history: Vec<AuditEntry>,
}

/// `POST …/cards/{serial}/fin-exercice`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct EndOfExerciseRequest {
    /// `AAAA-MM-JJ`: today (applied at once) or a later day (applied that day).
    pub date: String,
}

/// `POST …/cards/{serial}/incident`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct IncidentRequest {
    /// `perte`, `vol` or `dysfonctionnement`.
    pub nature: String,
    /// `AAAA-MM-JJ`, not in the future.
    pub date: String,
    /// A replacement card is wanted (always for a malfunction).
    pub replacement: bool,
}

/// What an action on a card did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct CardActionDone {
    /// What happened, in French, to show as it is.
    pub message: String,
    /// The card as it now stands.
    pub card: FleetCard,
    /// The order created in the same step (replacement), when there is one.
    pub order_id: Option<String>,
}

/// `POST /api/structures/{id}/fleet/renewals`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct RenewalRequest {
    /// The serial numbers of the cards to renew.
    pub serials: Vec<String>,
}

/// The renewal order created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct RenewalCreated {
    pub order_id: String,
    pub lines: usize,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_becomes_a_query_string_without_its_empty_fields() {
        let f = FleetFilter {
            recherche: " Lefèvre & co ".into(),
            card_type: "CPE".into(),
            expire_sous_jours: Some(90),
            ..FleetFilter::default()
        };
        assert_eq!(
            f.to_query(),
            "recherche=Lef%C3%A8vre%20%26%20co&type=CPE&expire_sous_jours=90"
        );
        assert_eq!(FleetFilter::default().to_query(), "");
    }
}

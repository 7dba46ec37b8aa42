//! The operators' back-office: the queue of order lines and the decisions on them.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use utoipa::ToSchema;

use super::orders::OrderLine;

/// `GET /api/operator/lines`: the queue across structures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct Queue {
    pub lines: Vec<OrderLine>,
    pub target_delivery_seconds: i64,
}

/// `POST /api/operator/lines/{order}/{line}/{action}`: a reason is required to reject.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct LineDecision {
    pub reason: Option<String>,
}

/// `GET /api/operator/crls`: the revocation lists this server applies, and what it refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct CrlReport {
    pub crls: Vec<CrlState>,
    /// Files or CRLs that could not be read or verified at the last reading, with why.
    pub problems: Vec<String>,
    /// Hours after `nextUpdate` before the authority's cards are refused; `None`: never
    /// (policy « accepter »).
    pub grace_hours: Option<i64>,
}

/// One authority's CRL as applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct CrlState {
    /// The issuing authority, as its name reads.
    pub issuer: String,
    pub number: u64,
    /// Unix seconds; `None` when the CRL gives none.
    pub next_update: Option<i64>,
    pub revoked: usize,
    /// `a_jour`, `bientot_perimee` (less than a day left), `perimee` (past `nextUpdate`, within
    /// the grace period) or `cartes_refusees` (beyond it: the authority's cards are refused).
    pub state: String,
}

//! The operators' back-office: the queue of order lines and the decisions on them.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use utoipa::ToSchema;

use super::orders::OrderLine;

/// `GET /api/operator/lines`: one page of the queue across structures, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct Queue {
    pub lines: Vec<OrderLine>,
    /// The `apres` parameter of the next page; `None` on the last page.
    pub suivant: Option<String>,
    /// The lines matching the search and filter, on all pages.
    pub total: i64,
    pub target_delivery_seconds: i64,
}

/// Lines per page of the queue when `limite` is not given, and the most one page may hold.
pub const QUEUE_PAGE: u32 = 50;
pub const QUEUE_PAGE_MAX: u32 = 200;

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

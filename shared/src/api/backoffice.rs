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

//! The FINESS register import's report (`tom register import`, `POST /api/backoffice/register`).

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use utoipa::ToSchema;

/// What an import did, counted per record (a `structureet` or `geolocalisation` line).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct RegisterImportReport {
    /// The extract's date, from its first line (`YYYY-MM-DD`).
    pub extract_date: String,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub refused: u64,
    /// Legal entities (FINESS juridique) first met in this extract.
    pub legal_entities_created: u64,
    /// The first refusals (at most [`MAX_LISTED_REFUSALS`]), each with its line number.
    pub refusals: Vec<RegisterRefusal>,
}

/// At most this many refusals are listed; all are counted.
pub const MAX_LISTED_REFUSALS: usize = 1000;

/// A line skipped by the import, and why (in French).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct RegisterRefusal {
    pub line: u64,
    pub reason: String,
}

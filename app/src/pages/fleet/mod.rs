//! The card fleet: the list with its charts, filters, downloads and renewals, and each card's
//! page with its actions.

pub mod card;
mod chart;
pub mod list;

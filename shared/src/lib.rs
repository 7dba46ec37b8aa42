//! TOM's domain: identifiers, cards, diagnostics and the API types shared by the server and the SPA.
//! No I/O here: this crate compiles for the browser (wasm) and the server alike.

pub mod api;
pub mod card;
pub mod date;
pub mod delegation;
pub mod diagnostic;
pub mod errors;
pub mod fleet;
pub mod ids;
pub mod message;
pub mod nomenclature;
pub mod order;
pub mod text;
pub mod tracking;

//! The XML order file ("la commande par fichier", `schemas/tom-commande-v1.xsd`): typed model, a
//! streaming validating reader (schema and business rules), a writer and a test-file generator.

pub mod errors;
pub mod generate;
pub mod model;
pub mod rules;
pub mod sheet;
pub mod table;
#[cfg(feature = "xlsx")]
pub mod xlsx;
pub mod xml;

pub use crate::date::{Date, DateTime};
pub use errors::{Severity, ValidationError};
pub use model::Order;
pub use xml::validator::{
    find_cut, merge, needs_transcoding, transcode, validate, FastCheck, Part, Report, Transcoded,
    Validation, Validator,
};
pub use xml::write::write_order;

/// Namespace of version 1 of the order file format.
pub const NAMESPACE_V1: &str = "urn:tom:commande:v1";

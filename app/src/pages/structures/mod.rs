//! The holder's space and the structures they act for.

pub mod designate;
pub mod space;
pub mod structure;

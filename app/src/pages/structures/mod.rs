//! The holder's space and the structures they act for (with each structure's card fleet).

mod fleet;
pub mod space;
pub mod structure;

//! The audit trail: a structure's, for its legal representative; the whole service's, for
//! operators.

pub mod journal;

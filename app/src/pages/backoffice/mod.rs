//! The issuing service's back-office.

pub mod queue;

//! The issuing service's back-office.

pub mod crls;
pub mod queue;
pub mod register;

//! The issuing service's back-office.

pub mod contracts;
pub mod crls;
pub mod delegations;
pub mod queue;
pub mod register;

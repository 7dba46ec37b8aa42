//! Logging in with a card, and the workstation check that says why a card is refused.

pub mod diagnostic;
pub mod home;

//! Who is calling: the card (from the TLS layer), the session bound to it, and what it may do.

pub mod access;
pub mod attempts;
pub mod identity;
pub mod session;
pub mod store;

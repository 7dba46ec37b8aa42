//! Who is calling: the card (from the TLS layer), the session bound to it, and what it may do.

pub mod access;
pub mod csrf;
pub mod identity;
pub mod session;

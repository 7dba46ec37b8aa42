//! One module per page.

pub mod check_file;
pub mod diagnostic;
pub mod faq;
pub mod home;
pub mod not_found;
pub mod space;
pub mod structure;

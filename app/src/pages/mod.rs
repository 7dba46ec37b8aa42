//! One module per page.

pub mod check_file;
pub mod deposit;
pub mod diagnostic;
pub mod faq;
pub mod home;
pub mod not_found;
pub mod operator;
pub mod order_form;
pub mod orders;
pub mod space;
pub mod structure;

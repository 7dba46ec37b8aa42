//! Pieces shared by several pages (a page never imports another page).

pub mod alert;
pub mod confirmation;
pub mod contact;
pub mod error_table;
pub mod file_checker;
pub mod header;
pub mod line_status;
pub mod loaded;
pub mod order_form;
pub mod page;

//! Pieces shared by several pages.

pub mod alert;
pub mod error_table;
pub mod header;

//! Ordering cards (form, file, spreadsheet), checking a file, and following orders.

pub mod check_file;
pub mod deposit;
pub mod detail;
pub mod list;
pub mod order_form;

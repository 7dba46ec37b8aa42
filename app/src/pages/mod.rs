//! The pages, one folder per feature (the server's names): a page never imports another page;
//! what two pages share lives in `components/`.

pub mod audit;
pub mod backoffice;
pub mod fleet;
pub mod help;
pub mod not_found;
pub mod orders;
pub mod session;
pub mod structures;

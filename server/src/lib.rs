//! TOM's server: TLS with card login, authorization, persistence, files and the API. Business
//! rules live in the `shared` crate.

pub mod assets;
pub mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod issuing;
pub mod order_cli;
pub mod pin_letter;
pub mod pki;
pub mod routes;
pub mod startup;
pub mod state;
pub mod template;
pub mod tls;

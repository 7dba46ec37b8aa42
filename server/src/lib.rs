//! TOM's server: TLS with card login, authorization, persistence, files and the API. One folder
//! per feature (`session`, `structures`, `orders`, `fleet`, `backoffice`, `issuing`, `audit`),
//! each with its routes, one use case per verb and its SQL; business rules live in `shared`.

pub mod audit;
pub mod auth;
pub mod backoffice;
pub mod cli;
pub mod config;
pub mod contracts;
pub mod db;
pub mod delegations;
pub mod demo;
pub mod error;
pub mod fleet;
pub mod http;
pub mod issuing;
pub mod jobs;
pub mod orders;
pub mod pki;
pub mod register;
pub mod session;
pub mod startup;
pub mod state;
pub mod structures;
pub mod tls;

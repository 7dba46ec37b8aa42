//! TOM's integration tests: the real server over real TLS, a fresh test PKI and a fresh database
//! (SQLite, or PostgreSQL when TOM_TEST_DATABASE_URL names a server) for each test.

mod architecture;
mod assets;
mod audit;
mod backoffice;
mod delegations;
mod diagnostic;
mod fleet;
mod fleet_export;
mod helpers;
mod limits;
mod me;
mod openapi;
mod orders;
mod proxy;
mod register;
mod session;
mod smoke;
mod structures;
mod tls;

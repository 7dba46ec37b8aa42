//! Request and response types of TOM's HTTP API, shared by the server and the SPA: one module
//! per feature, with the same names as the server's feature folders and the SPA's page folders.

pub mod audit;
pub mod backoffice;
pub mod contracts;
pub mod delegations;
pub mod fleet;
pub mod orders;
pub mod register;
pub mod service;
pub mod session;
pub mod structures;

pub use audit::*;
pub use backoffice::*;
pub use contracts::*;
pub use delegations::*;
pub use fleet::*;
pub use orders::*;
pub use register::*;
pub use service::*;
pub use session::*;
pub use structures::*;

//! Issuing cards: the certificate from the service's issuing CA, the PKCS#12 protected by the
//! PIN, the PIN letter, and the fabrication use case the back-office calls.

pub mod certificate;
pub mod crl;
pub mod fabricate;
pub mod pin_letter;
pub mod store;

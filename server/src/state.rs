//! What every handler can reach: database, configuration, trust store, CRLs, the clock and the
//! random generator.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use crate::config::Config;
use crate::db::Db;
use crate::tls::crl::CrlStore;
use crate::tls::verifier::TrustStore;

/// Time comes from the state, so that tests can move it.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Unix seconds.
    fn now(&self) -> i64;
}

#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        time::OffsetDateTime::now_utc().unix_timestamp()
    }
}

/// The system clock plus an offset tests can move forward.
#[derive(Debug, Default)]
pub struct OffsetClock {
    offset: AtomicI64,
}

impl OffsetClock {
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> i64 {
        SystemClock.now() + self.offset.load(Ordering::SeqCst)
    }
}

/// Randomness comes from the state too (session tokens, order numbers, PIN codes).
pub trait Random: Send + Sync + std::fmt::Debug {
    fn fill(&self, buf: &mut [u8]);
}

/// The operating system's generator, through ring.
#[derive(Debug)]
pub struct SystemRandom(ring::rand::SystemRandom);

impl Default for SystemRandom {
    fn default() -> Self {
        Self(ring::rand::SystemRandom::new())
    }
}

impl Random for SystemRandom {
    fn fill(&self, buf: &mut [u8]) {
        ring::rand::SecureRandom::fill(&self.0, buf)
            .expect("le générateur aléatoire du système répond");
    }
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub trust: Arc<TrustStore>,
    pub crls: CrlStore,
    pub clock: Arc<dyn Clock>,
    pub random: Arc<dyn Random>,
    /// `Origin` values accepted on state-changing requests: the public URL (and, in direct TLS,
    /// https://localhost:PORT).
    pub allowed_origins: Arc<Vec<String>>,
}

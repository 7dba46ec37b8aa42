//! Certificate revocation lists: verified against the trust store, swapped in whole when a newer
//! one arrives (from a file that changed, or from the database another instance wrote it to).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use x509_parser::prelude::*;

use super::verifier::TrustStore;

/// The revoked serials known now, by issuer (the name's key by meaning, `names::name_key`: the
/// same issuer however its name is encoded in the card and in the CRL).
#[derive(Debug, Clone)]
pub struct CrlSnapshot {
    revoked: HashMap<String, HashSet<Vec<u8>>>,
    numbers: HashMap<String, u64>,
    /// Each issuer's name as it reads (for the operators' page).
    issuers: HashMap<String, String>,
    /// `nextUpdate` of each issuer's CRL (Unix seconds), when it has one.
    next_updates: HashMap<String, i64>,
    /// Seconds after `nextUpdate` beyond which the issuer's cards are refused
    /// (`revocation_unknown`); `None`: a stale CRL is only warned about.
    grace: Option<i64>,
}

impl CrlSnapshot {
    /// Whether the CRL of the issuer of key `issuer_key` is past its `nextUpdate` beyond the
    /// grace period, under a policy that refuses then.
    pub fn is_stale(&self, issuer_key: &str, now: i64) -> bool {
        match (self.grace, self.next_updates.get(issuer_key)) {
            (Some(grace), Some(next)) => now > next + grace,
            _ => false,
        }
    }

    /// Each issuer's CRL `nextUpdate`, with the issuer's key.
    pub fn next_updates(&self) -> impl Iterator<Item = (&String, &i64)> {
        self.next_updates.iter()
    }

    /// Each applied CRL: (issuer name, number, `nextUpdate`, revoked serials), by issuer name.
    pub fn applied(&self) -> Vec<(String, u64, Option<i64>, usize)> {
        let mut list: Vec<_> = self
            .numbers
            .iter()
            .map(|(key, number)| {
                (
                    self.issuers
                        .get(key)
                        .cloned()
                        .unwrap_or_else(|| key.clone()),
                    *number,
                    self.next_updates.get(key).copied(),
                    self.revoked.get(key).map_or(0, HashSet::len),
                )
            })
            .collect();
        list.sort();
        list
    }

    /// Seconds after `nextUpdate` before an issuer's cards are refused (`None`: never).
    pub fn grace(&self) -> Option<i64> {
        self.grace
    }

    pub fn is_revoked(&self, issuer_key: &str, serial: &[u8]) -> bool {
        self.revoked
            .get(issuer_key)
            .is_some_and(|s| s.contains(serial))
    }
}

/// A CRL that passed verification.
#[derive(Debug, Clone)]
pub struct VerifiedCrl {
    pub issuer_raw: Vec<u8>,
    /// The issuer's name by meaning (`names::name_key`).
    pub issuer_key: String,
    pub issuer: String,
    pub number: u64,
    pub serials: HashSet<Vec<u8>>,
    /// `nextUpdate`, Unix seconds (RFC 5280 §5.1.2.5).
    pub next_update: Option<i64>,
    pub der: Vec<u8>,
}

/// Every CRL of a file, each verified on its own: the `X509 CRL` blocks of a PEM bundle (the
/// usual way to give a server several CRLs), or the DER CRLs one after the other. A block that
/// cannot be read or verified is an `Err` in its place; the others are still given, so that one
/// bad CRL never hides the revocations of another.
pub fn read_crls(bytes: &[u8], trust: &TrustStore) -> Vec<anyhow::Result<VerifiedCrl>> {
    let ders: Vec<anyhow::Result<Vec<u8>>> = if bytes.trim_ascii_start().starts_with(b"-----BEGIN")
    {
        let mut reader = bytes;
        let blocks: Vec<_> = rustls_pemfile::crls(&mut reader)
            .map(|b| {
                b.map(|der| der.to_vec())
                    .map_err(|e| anyhow::anyhow!("bloc PEM illisible : {e}"))
            })
            .collect();
        if blocks.is_empty() {
            vec![Err(anyhow::anyhow!("aucune CRL dans le fichier PEM"))]
        } else {
            blocks
        }
    } else {
        let mut rest = bytes;
        let mut ders = Vec::new();
        loop {
            match parse_x509_crl(rest) {
                Ok((after, _)) => {
                    ders.push(Ok(rest[..rest.len() - after.len()].to_vec()));
                    rest = after;
                    if rest.is_empty() {
                        break;
                    }
                }
                Err(e) => {
                    ders.push(Err(anyhow::anyhow!("CRL illisible : {e}")));
                    break;
                }
            }
        }
        ders
    };
    ders.into_iter()
        .map(|der| der.and_then(|der| verify_der(der, trust)))
        .collect()
}

/// Reads one CRL (DER, or the first of a PEM file) and checks its signature against a trusted
/// CA: the CRLs TOM keeps in its database, one per issuer.
pub fn verify_crl(bytes: &[u8], trust: &TrustStore) -> anyhow::Result<VerifiedCrl> {
    read_crls(bytes, trust)
        .into_iter()
        .next()
        .unwrap_or_else(|| Err(anyhow::anyhow!("aucune CRL")))
}

fn verify_der(der: Vec<u8>, trust: &TrustStore) -> anyhow::Result<VerifiedCrl> {
    let (_, crl) = parse_x509_crl(&der).map_err(|e| anyhow::anyhow!("CRL illisible : {e}"))?;
    let issuer_raw = crl.issuer().as_raw().to_vec();
    let signed = trust.parsed().any(|ca| {
        super::names::same_name(ca.subject(), crl.issuer())
            && crl.verify_signature(ca.public_key()).is_ok()
    });
    if !signed {
        anyhow::bail!(
            "la CRL de {} n'est signée par aucune autorité de confiance",
            crl.issuer()
        );
    }
    let number = crl
        .crl_number()
        .and_then(|n| u64::try_from(n.clone()).ok())
        .unwrap_or(0);
    let serials = crl
        .iter_revoked_certificates()
        .map(|r| r.raw_serial().to_vec())
        .collect();
    let issuer = crl.issuer().to_string();
    let issuer_key = super::names::name_key(crl.issuer());
    let next_update = crl.next_update().map(|t| t.timestamp());
    Ok(VerifiedCrl {
        next_update,
        issuer,
        issuer_key,
        issuer_raw,
        number,
        serials,
        der,
    })
}

/// Until a store says otherwise (`CrlStore::with_grace`): fail closed a day after `nextUpdate`.
pub const DEFAULT_GRACE: i64 = 24 * 3600;

impl Default for CrlSnapshot {
    fn default() -> Self {
        CrlSnapshot {
            revoked: HashMap::new(),
            numbers: HashMap::new(),
            issuers: HashMap::new(),
            next_updates: HashMap::new(),
            grace: Some(DEFAULT_GRACE),
        }
    }
}

/// The shared, swappable CRL state of one server.
#[derive(Debug, Clone, Default)]
pub struct CrlStore {
    inner: Arc<RwLock<Arc<CrlSnapshot>>>,
    /// What the last reading of each CRL file refused, by file.
    problems: Arc<RwLock<HashMap<std::path::PathBuf, Vec<String>>>>,
}

impl CrlStore {
    /// A store whose stale CRLs refuse their issuer's cards `grace` seconds after their
    /// `nextUpdate` (`None`: never, only warned about).
    pub fn with_grace(grace: Option<i64>) -> Self {
        let snapshot = CrlSnapshot {
            grace,
            ..CrlSnapshot::default()
        };
        Self {
            inner: Arc::new(RwLock::new(Arc::new(snapshot))),
            problems: Arc::default(),
        }
    }

    /// Records what the last reading of `file` refused (nothing: it was read whole).
    pub fn set_problems(&self, file: &std::path::Path, problems: Vec<String>) {
        self.problems
            .write()
            .expect("CRL problems lock")
            .insert(file.to_path_buf(), problems);
    }

    /// Every problem of the last readings, file by file.
    pub fn problems(&self) -> Vec<String> {
        let map = self.problems.read().expect("CRL problems lock");
        let mut files: Vec<_> = map.keys().collect();
        files.sort();
        files.into_iter().flat_map(|f| map[f].clone()).collect()
    }

    /// The current CRLs; cheap (an `Arc`), taken once per connection.
    pub fn snapshot(&self) -> Arc<CrlSnapshot> {
        self.inner.read().expect("CRL lock").clone()
    }

    /// Installs `crl` unless a CRL with a higher number from the same issuer is already there.
    /// Returns whether it was installed.
    pub fn install(&self, crl: &VerifiedCrl) -> bool {
        let key = &crl.issuer_key;
        let mut guard = self.inner.write().expect("CRL lock");
        if guard.numbers.get(key).is_some_and(|n| *n > crl.number) {
            return false;
        }
        if guard.numbers.get(key) == Some(&crl.number)
            && guard.revoked.get(key) == Some(&crl.serials)
        {
            return false;
        }
        let mut next = CrlSnapshot::clone(&guard);
        next.numbers.insert(key.clone(), crl.number);
        next.issuers.insert(key.clone(), crl.issuer.clone());
        match crl.next_update {
            Some(t) => next.next_updates.insert(key.clone(), t),
            None => next.next_updates.remove(key),
        };
        next.revoked.insert(key.clone(), crl.serials.clone());
        *guard = Arc::new(next);
        true
    }

    /// The number of the CRL applied for the issuer of key `issuer_key`.
    pub fn number_for(&self, issuer_key: &str) -> Option<u64> {
        self.inner
            .read()
            .expect("CRL lock")
            .numbers
            .get(issuer_key)
            .copied()
    }
}

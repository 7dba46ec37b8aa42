//! TOM's own CRL, the issuing CA's (`issuing_crl`), kept in the database (table `crls`, shared
//! by every instance) and in its file (served at `/crl/personnes.crl`). It is signed again:
//! - at once in the transaction of each revocation (end of exercise, loss, theft, replacement),
//!   with the new entries added, so that the card is refused as soon as the use case commits
//!   (this instance installs it at once, the others at their next CRL poll);
//! - on a schedule, well before its `nextUpdate` (RFC 5280 §5.1.2.5: a CRL is to be replaced by
//!   its `nextUpdate`), when less than [`RESIGN_WHEN_LEFT`] is left.
//!
//! Each new CRL starts from the newest one known (database or file, by CRL number), keeps its
//! entries, takes the next number and is valid for [`VALIDITY`]. On PostgreSQL the CRL's row is
//! locked while the next one is made, so that two instances never sign the same number twice;
//! SQLite's `BEGIN IMMEDIATE` does the same.

use std::path::{Path, PathBuf};

use ::time::{Duration, OffsetDateTime};
use anyhow::Context;
use rcgen::{
    CertificateRevocationListParams, KeyIdMethod, RevocationReason, RevokedCertParams, SerialNumber,
};
use x509_parser::prelude::*;

use crate::config::Config;
use crate::db::{Db, Tx};
use crate::pki::PersonnesCa;
use crate::tls::crl::CrlStore;
use crate::tls::store as crl_store;
use crate::tls::verifier::TrustStore;

/// How long each CRL TOM signs is valid (`nextUpdate - thisUpdate`), in seconds.
pub const VALIDITY: i64 = 7 * 24 * 3600;
/// A CRL with less than this left before its `nextUpdate` is signed again: half its validity.
pub const RESIGN_WHEN_LEFT: i64 = VALIDITY / 2;

/// Where TOM's CRL is and what signs it.
pub struct CrlSigner {
    pub crl: PathBuf,
    pub ca_cert: PathBuf,
    pub ca_key: PathBuf,
    /// The CA's name, read from its certificate once per signer (a file order revoking many
    /// cards asks for it once per card; the CA does not change while TOM runs).
    issuer: std::sync::OnceLock<(String, String)>,
}

/// A card to add to the CRL: its serial (DER content bytes), why and when (Unix seconds).
pub struct Revoked {
    pub serial: Vec<u8>,
    pub reason: shared::fleet::RevocationReason,
    pub at: i64,
}

fn reason(code: u8) -> Option<RevocationReason> {
    Some(match code {
        0 => RevocationReason::Unspecified,
        1 => RevocationReason::KeyCompromise,
        2 => RevocationReason::CaCompromise,
        3 => RevocationReason::AffiliationChanged,
        4 => RevocationReason::Superseded,
        5 => RevocationReason::CessationOfOperation,
        6 => RevocationReason::CertificateHold,
        8 => RevocationReason::RemoveFromCrl,
        9 => RevocationReason::PrivilegeWithdrawn,
        10 => RevocationReason::AaCompromise,
        _ => return None,
    })
}

fn to_der(bytes: Vec<u8>) -> anyhow::Result<Vec<u8>> {
    if bytes.starts_with(b"-----BEGIN") {
        crate::pki::pem_to_der(&String::from_utf8_lossy(&bytes))
    } else {
        Ok(bytes)
    }
}

/// A CRL's number (0 when it has none).
fn number_of(der: &[u8]) -> u64 {
    parse_x509_crl(der)
        .ok()
        .and_then(|(_, crl)| crl.crl_number().and_then(|n| u64::try_from(n.clone()).ok()))
        .unwrap_or(0)
}

impl CrlSigner {
    pub fn from_config(config: &Config) -> Self {
        Self {
            crl: config.issuing_crl.clone(),
            ca_cert: config.issuing_ca_cert.clone(),
            ca_key: config.issuing_ca_key.clone(),
            issuer: std::sync::OnceLock::new(),
        }
    }

    fn ca_der(&self) -> anyhow::Result<Vec<u8>> {
        let pem = std::fs::read_to_string(&self.ca_cert)
            .with_context(|| self.ca_cert.display().to_string())?;
        crate::pki::pem_to_der(&pem)
    }

    /// The issuing CA's name as the `crls` table keys it (hex of the name's DER) and as cards
    /// name their issuer (x509-parser's text).
    pub fn issuer(&self) -> anyhow::Result<(String, String)> {
        if let Some(known) = self.issuer.get() {
            return Ok(known.clone());
        }
        let der = self.ca_der()?;
        let (_, ca) = parse_x509_certificate(&der)
            .map_err(|e| anyhow::anyhow!("certificat de l'AC d'émission illisible : {e}"))?;
        let name = (hex::encode(ca.subject().as_raw()), ca.subject().to_string());
        Ok(self.issuer.get_or_init(|| name).clone())
    }

    /// The CRL file's DER, when there is one.
    fn read_file(&self) -> anyhow::Result<Option<Vec<u8>>> {
        match std::fs::read(&self.crl) {
            Ok(bytes) => Ok(Some(to_der(bytes).unwrap_or_default())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| self.crl.display().to_string()),
        }
    }

    /// The newest of the database's CRL and the file's, by CRL number.
    fn newest(&self, stored: Option<Vec<u8>>) -> anyhow::Result<Option<Vec<u8>>> {
        let file = self.read_file()?.filter(|f| parse_x509_crl(f).is_ok());
        Ok(match (stored, file) {
            (Some(db), Some(file)) if number_of(&file) > number_of(&db) => Some(file),
            (Some(db), _) => Some(db),
            (None, file) => file,
        })
    }

    /// The CRL after `base`: its entries plus `added`, the next number, valid from now for
    /// [`VALIDITY`]. A base of another issuer is an error.
    pub fn sign_next(
        &self,
        base: Option<&[u8]>,
        added: &[Revoked],
        now: i64,
    ) -> anyhow::Result<Vec<u8>> {
        let ca_der = self.ca_der()?;
        let (_, ca) = parse_x509_certificate(&ca_der)
            .map_err(|e| anyhow::anyhow!("certificat de l'AC d'émission illisible : {e}"))?;
        let mut revoked = Vec::new();
        let mut number = 0;
        if let Some(base) = base {
            let (_, crl) =
                parse_x509_crl(base).map_err(|e| anyhow::anyhow!("CRL illisible : {e}"))?;
            if !crate::tls::names::same_name(ca.subject(), crl.issuer()) {
                anyhow::bail!(
                    "{} : CRL de {}, pas de l'AC d'émission {}",
                    self.crl.display(),
                    crl.issuer(),
                    ca.subject()
                );
            }
            number = number_of(base);
            revoked.extend(crl.iter_revoked_certificates().map(|r| {
                RevokedCertParams {
                    serial_number: SerialNumber::from_slice(r.raw_serial()),
                    revocation_time: OffsetDateTime::from_unix_timestamp(
                        r.revocation_date.timestamp(),
                    )
                    .unwrap_or(OffsetDateTime::UNIX_EPOCH),
                    reason_code: r.reason_code().and_then(|(_, code)| reason(code.0)),
                    invalidity_date: None,
                }
            }));
        }
        for r in added {
            let serial = SerialNumber::from_slice(&r.serial);
            if revoked.iter().any(|e| e.serial_number == serial) {
                continue;
            }
            revoked.push(RevokedCertParams {
                serial_number: serial,
                revocation_time: OffsetDateTime::from_unix_timestamp(r.at)?,
                reason_code: reason(r.reason.crl_code()),
                invalidity_date: None,
            });
        }
        let now_t = OffsetDateTime::from_unix_timestamp(now)?;
        let params = CertificateRevocationListParams {
            this_update: now_t - Duration::minutes(5),
            next_update: now_t + Duration::seconds(VALIDITY),
            crl_number: SerialNumber::from(number + 1),
            issuing_distribution_point: None,
            revoked_certs: revoked,
            key_identifier_method: KeyIdMethod::Sha256,
        };
        let signed = PersonnesCa::from_files(&self.ca_cert, &self.ca_key)?.sign_crl(params)?;
        Ok(signed.der().to_vec())
    }

    /// In the use case's transaction: the next CRL with `added`, stored in the database (its row
    /// locked first). Publish it with [`CrlSigner::publish`] once the transaction commits.
    pub async fn revoke_in(
        &self,
        tx: &mut Tx,
        added: &[Revoked],
        now: i64,
    ) -> anyhow::Result<Vec<u8>> {
        let (issuer_hex, _) = self.issuer()?;
        let stored = crl_store::crl_for_update(tx, &issuer_hex).await?;
        let base = self.newest(stored)?;
        let der = self.sign_next(base.as_deref(), added, now)?;
        crl_store::upsert_crl(tx, &issuer_hex, number_of(&der) as i64, &der, now).await?;
        Ok(der)
    }

    /// After the commit: this instance applies the CRL at once and writes its file (served at
    /// `/crl/personnes.crl`); other instances read it from the database at their next poll.
    pub fn publish(&self, trust: &TrustStore, crls: &CrlStore, der: &[u8]) {
        match crate::tls::crl::verify_crl(der, trust) {
            Ok(crl) => {
                crls.install(&crl);
            }
            Err(e) => tracing::error!(error = format!("{e:#}"), "CRL signée mais refusée"),
        }
        if let Err(e) = self.write_file(der) {
            tracing::warn!(error = format!("{e:#}"), "écriture du fichier de la CRL");
        }
    }

    /// Writes the CRL file unless it already holds a CRL as new. A file that is not a CRL is
    /// left as it is: the CRL watcher reports it (and start-up refuses it), TOM never hides it.
    pub fn write_file(&self, der: &[u8]) -> anyhow::Result<()> {
        if let Some(file) = self.read_file()? {
            if parse_x509_crl(&file).is_err() || number_of(&file) >= number_of(der) {
                return Ok(());
            }
        }
        write_atomically(&self.crl, der)
    }

    /// Signs the CRL again when its `nextUpdate` is less than [`RESIGN_WHEN_LEFT`] away (or
    /// past). Returns the new CRL number when it did. Without any CRL (no file, nothing in the
    /// database) there is nothing to sign from: left to the operator.
    pub async fn resign_if_due(&self, db: &Db, now: i64) -> anyhow::Result<Option<u64>> {
        let (issuer_hex, _) = self.issuer()?;
        let due = |der: &[u8]| -> bool {
            parse_x509_crl(der)
                .ok()
                .and_then(|(_, crl)| crl.next_update().map(|t| t.timestamp()))
                .is_none_or(|next| next - now <= RESIGN_WHEN_LEFT)
        };
        // A look without the lock first: most polls have nothing to do.
        let stored = crl_store::find_crl(db, &issuer_hex).await?;
        match self.newest(stored)? {
            Some(base) if due(&base) => {}
            Some(base) => {
                // Not due, but another instance may have signed a newer one than the file.
                self.write_file(&base)?;
                return Ok(None);
            }
            None => return Ok(None),
        }
        let mut tx = db.begin().await?;
        let stored = crl_store::crl_for_update(&mut tx, &issuer_hex).await?;
        let Some(base) = self.newest(stored)? else {
            return Ok(None);
        };
        if !due(&base) {
            return Ok(None);
        }
        let der = self.sign_next(Some(&base), &[], now)?;
        let number = number_of(&der);
        crl_store::upsert_crl(&mut tx, &issuer_hex, number as i64, &der, now).await?;
        tx.commit().await?;
        write_atomically(&self.crl, &der)?;
        Ok(Some(number))
    }
}

/// Writes then renames, so that a reader never sees half a CRL.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("crl.tmp");
    std::fs::write(&tmp, bytes).with_context(|| tmp.display().to_string())?;
    std::fs::rename(&tmp, path).with_context(|| path.display().to_string())?;
    Ok(())
}

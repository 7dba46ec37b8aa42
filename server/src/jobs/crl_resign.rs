//! TOM's own CRL, the issuing CA's (`issuing_crl`): signed again well before its `nextUpdate`,
//! so that it never goes stale while TOM runs (RFC 5280 §5.1.2.5: a CRL is to be replaced by its
//! `nextUpdate`). Each new one keeps the revoked entries, takes the next CRL number and is valid
//! for [`VALIDITY`]; it is written whole then renamed, and the CRL watcher applies it on every
//! instance and publishes it at `/crl/personnes.crl`.

use std::path::{Path, PathBuf};

use ::time::{Duration, OffsetDateTime};
use anyhow::Context;
use rcgen::{
    CertificateRevocationListParams, KeyIdMethod, RevocationReason, RevokedCertParams, SerialNumber,
};
use x509_parser::prelude::*;

use crate::pki::PersonnesCa;

/// How long each CRL TOM signs is valid (`nextUpdate - thisUpdate`).
pub const VALIDITY: i64 = 7 * 24 * 3600;
/// A CRL with less than this left before its `nextUpdate` is signed again: half its validity.
pub const RESIGN_WHEN_LEFT: i64 = VALIDITY / 2;

/// Where TOM's CRL is and what signs it.
pub struct CrlSigner {
    pub crl: PathBuf,
    pub ca_cert: PathBuf,
    pub ca_key: PathBuf,
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

impl CrlSigner {
    /// Signs the CRL again when its `nextUpdate` is less than [`RESIGN_WHEN_LEFT`] away (or
    /// past). Returns the new CRL number when it did. A missing file is left to the operator
    /// (nothing to sign from); a CRL of another issuer is an error.
    pub fn resign_if_due(&self, now: i64) -> anyhow::Result<Option<u64>> {
        let bytes = match std::fs::read(&self.crl) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| self.crl.display().to_string()),
        };
        let der = if bytes.starts_with(b"-----BEGIN") {
            crate::pki::pem_to_der(&String::from_utf8_lossy(&bytes))?
        } else {
            bytes
        };
        let (_, crl) = parse_x509_crl(&der).map_err(|e| anyhow::anyhow!("CRL illisible : {e}"))?;
        let next = crl.next_update().map(|t| t.timestamp());
        if next.is_some_and(|n| n - now > RESIGN_WHEN_LEFT) {
            return Ok(None);
        }
        let ca_der = crate::pki::pem_to_der(&std::fs::read_to_string(&self.ca_cert)?)?;
        let (_, ca) = parse_x509_certificate(&ca_der)
            .map_err(|e| anyhow::anyhow!("certificat de l'AC d'émission illisible : {e}"))?;
        if !crate::tls::names::same_name(ca.subject(), crl.issuer()) {
            anyhow::bail!(
                "{} : CRL de {}, pas de l'AC d'émission {}",
                self.crl.display(),
                crl.issuer(),
                ca.subject()
            );
        }
        let revoked = crl
            .iter_revoked_certificates()
            .map(|r| RevokedCertParams {
                serial_number: SerialNumber::from_slice(r.raw_serial()),
                revocation_time: OffsetDateTime::from_unix_timestamp(r.revocation_date.timestamp())
                    .unwrap_or(OffsetDateTime::UNIX_EPOCH),
                reason_code: r.reason_code().and_then(|(_, code)| reason(code.0)),
                invalidity_date: None,
            })
            .collect();
        let number = crl
            .crl_number()
            .and_then(|n| u64::try_from(n.clone()).ok())
            .unwrap_or(0)
            + 1;
        let now_t = OffsetDateTime::from_unix_timestamp(now)?;
        let params = CertificateRevocationListParams {
            this_update: now_t - Duration::minutes(5),
            next_update: now_t + Duration::seconds(VALIDITY),
            crl_number: SerialNumber::from(number),
            issuing_distribution_point: None,
            revoked_certs: revoked,
            key_identifier_method: KeyIdMethod::Sha256,
        };
        let signed = PersonnesCa::from_files(&self.ca_cert, &self.ca_key)?.sign_crl(params)?;
        write_atomically(&self.crl, signed.der())?;
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

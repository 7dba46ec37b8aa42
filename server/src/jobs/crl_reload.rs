//! Reloads CRL files when they change and shares them through the database, so that every
//! instance applies the newest CRL whichever instance saw it first.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use anyhow::Context;

use crate::db::Db;
use crate::tls::crl::{verify_crl, CrlStore};
use crate::tls::store;
use crate::tls::verifier::TrustStore;

/// Reloads CRL files when they change and shares them through the database, so that every
/// instance applies the newest CRL whichever instance saw it first.
pub struct CrlWatcher {
    db: Db,
    trust: Arc<TrustStore>,
    crls: CrlStore,
    files: Vec<PathBuf>,
    seen: Vec<Option<SystemTime>>,
}

impl CrlWatcher {
    pub fn new(db: Db, trust: Arc<TrustStore>, crls: CrlStore, files: Vec<PathBuf>) -> Self {
        let n = files.len();
        Self {
            db,
            trust,
            crls,
            files,
            seen: vec![None; n],
        }
    }

    pub async fn poll(&mut self, now: i64) -> anyhow::Result<()> {
        for (i, path) in self.files.clone().iter().enumerate() {
            let modified = tokio::fs::metadata(path)
                .await
                .and_then(|m| m.modified())
                .ok();
            if modified.is_some() && modified == self.seen[i] {
                continue;
            }
            let bytes = tokio::fs::read(path)
                .await
                .with_context(|| format!("lecture de {}", path.display()))?;
            let crl =
                verify_crl(&bytes, &self.trust).with_context(|| path.display().to_string())?;
            self.seen[i] = modified;
            let mut tx = self.db.begin().await?;
            store::upsert_crl(
                &mut tx,
                &hex::encode(&crl.issuer_raw),
                crl.number as i64,
                &crl.der,
                now,
            )
            .await?;
            tx.commit().await?;
            if self.crls.install(&crl) {
                tracing::info!(issuer = %crl.issuer, number = crl.number, revoked = crl.serials.len(), "CRL chargée depuis un fichier");
            }
        }
        for row in store::list_crls(&self.db).await? {
            let known = self
                .crls
                .number_for(&hex::decode(&row.issuer).unwrap_or_default());
            if known.is_some_and(|n| n as i64 >= row.number) {
                continue;
            }
            match verify_crl(&row.der, &self.trust) {
                Ok(crl) => {
                    if self.crls.install(&crl) {
                        tracing::info!(issuer = %crl.issuer, number = crl.number, "CRL chargée depuis la base");
                    }
                }
                Err(e) => tracing::warn!(error = ?e, "CRL de la base refusée"),
            }
        }
        Ok(())
    }
}

//! Reloads CRL files when they change and shares them through the database, so that every
//! instance applies the newest CRL whichever instance saw it first.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use crate::db::Db;
use crate::tls::crl::{read_crls, verify_crl, CrlStore, VerifiedCrl};
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
    /// The `nextUpdate` already warned about, by issuer key (one warning per stale CRL).
    warned: std::collections::HashMap<String, i64>,
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
            warned: std::collections::HashMap::new(),
        }
    }

    /// Reads the CRL files that changed (every CRL of each), stores the verified ones in the
    /// database and applies them, then applies the newer ones other instances stored. A file
    /// or a CRL that cannot be read or verified is logged and returned, and stops neither the
    /// other files nor the database sync (start-up refuses to serve on such a file; a running
    /// server keeps what it had). `Err`: the database failed.
    pub async fn poll(&mut self, now: i64) -> anyhow::Result<Vec<String>> {
        let mut problems = Vec::new();
        for (i, path) in self.files.clone().iter().enumerate() {
            let modified = tokio::fs::metadata(path)
                .await
                .and_then(|m| m.modified())
                .ok();
            if modified.is_some() && modified == self.seen[i] {
                continue;
            }
            let bytes = match tokio::fs::read(path).await {
                Ok(bytes) => bytes,
                Err(e) => {
                    let problem = format!("{} : lecture impossible ({e})", path.display());
                    self.crls.set_problems(path, vec![problem.clone()]);
                    problems.push(problem);
                    continue;
                }
            };
            self.seen[i] = modified;
            let mut of_file = Vec::new();
            for (n, crl) in read_crls(&bytes, &self.trust).into_iter().enumerate() {
                match crl {
                    Ok(crl) => self.apply_file_crl(&crl, now).await?,
                    Err(e) => {
                        of_file.push(format!("{} (CRL n° {}) : {e:#}", path.display(), n + 1))
                    }
                }
            }
            self.crls.set_problems(path, of_file.clone());
            problems.extend(of_file);
        }
        for problem in &problems {
            tracing::warn!(problem = %problem, "CRL refusée, les autres restent appliquées");
        }
        for row in store::list_crls(&self.db).await? {
            let known = self.crls.number_for(
                &hex::decode(&row.issuer)
                    .ok()
                    .and_then(|der| crate::tls::names::name_key_of_der(&der))
                    .unwrap_or_default(),
            );
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
        // A CRL past its nextUpdate is said once (its issuer's cards are refused after the
        // grace period when the policy is to refuse).
        let snapshot = self.crls.snapshot();
        for (issuer, next_update) in snapshot.next_updates() {
            if now > *next_update && self.warned.get(issuer) != Some(next_update) {
                self.warned.insert(issuer.clone(), *next_update);
                tracing::warn!(issuer = %issuer, next_update, "CRL périmée : son nextUpdate est passé");
            }
        }
        Ok(problems)
    }

    async fn apply_file_crl(&self, crl: &VerifiedCrl, now: i64) -> anyhow::Result<()> {
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
        if self.crls.install(crl) {
            tracing::info!(issuer = %crl.issuer, number = crl.number, revoked = crl.serials.len(), "CRL chargée depuis un fichier");
        }
        Ok(())
    }
}

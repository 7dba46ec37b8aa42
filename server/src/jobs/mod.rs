//! Background work: CRL reload, session purge, audit anchor (and, once at start-up, the names'
//! search forms). Each job takes its parts (database, stores, files), not the whole state;
//! `spawn` runs them until shutdown.

pub mod audit_anchor;
pub mod crl_reload;
pub mod fill_search_keys;
pub mod session_purge;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::db::Db;
use crate::state::Clock;

/// What the jobs need and how often they run.
pub struct Jobs {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub crl_watcher: crl_reload::CrlWatcher,
    pub crl_signer: crate::issuing::crl::CrlSigner,
    pub crl_poll: Duration,
    /// What scheduled ends of exercise need to revoke and publish.
    pub trust: Arc<crate::tls::verifier::TrustStore>,
    pub crls: crate::tls::crl::CrlStore,
    pub session_limits: session_purge::SessionLimits,
    pub audit_anchor: PathBuf,
    pub audit_anchor_seconds: i64,
}

impl Jobs {
    /// Runs every job on its own schedule until `shutdown` changes.
    pub fn spawn(mut self, mut shutdown: watch::Receiver<bool>) -> JoinHandle<()> {
        tokio::spawn(async move {
            let mut last_purge = 0;
            let mut last_anchor = 0;
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(self.crl_poll) => {}
                    _ = shutdown.changed() => break,
                }
                let now = self.clock.now();
                match self.crl_signer.resign_if_due(&self.db, now).await {
                    Ok(Some(number)) => {
                        tracing::info!(number, "CRL de l'AC d'émission signée de nouveau")
                    }
                    Ok(None) => {}
                    Err(e) => tracing::warn!(
                        error = format!("{e:#}"),
                        "nouvelle signature de la CRL de l'AC d'émission"
                    ),
                }
                // Ends of exercise scheduled for a day that has come.
                match crate::fleet::end_exercise::apply_due(
                    &self.db,
                    &self.crl_signer,
                    &self.trust,
                    &self.crls,
                    now,
                )
                .await
                {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(n, "fins d'exercice programmées appliquées"),
                    Err(e) => {
                        tracing::warn!(error = format!("{e:#}"), "fins d'exercice programmées")
                    }
                }
                // Refused CRL files are logged by the watcher; only the database can fail here.
                if let Err(e) = self.crl_watcher.poll(now).await {
                    tracing::warn!(error = format!("{e:#}"), "rechargement des CRL");
                }
                if now - last_purge >= 60 {
                    last_purge = now;
                    if let Err(e) = session_purge::purge(&self.db, self.session_limits, now).await {
                        tracing::warn!(error = format!("{e:#}"), "purge des sessions expirées");
                    }
                    // Identity documents of delegations whose retention is over.
                    match crate::delegations::purge::purge_documents(&self.db, now).await {
                        Ok(0) => {}
                        Ok(n) => {
                            tracing::info!(n, "pièces d'identité supprimées (fin de conservation)")
                        }
                        Err(e) => tracing::warn!(
                            error = format!("{e:#}"),
                            "suppression des pièces d'identité"
                        ),
                    }
                }
                if now - last_anchor >= self.audit_anchor_seconds {
                    last_anchor = now;
                    if let Err(e) =
                        audit_anchor::write_anchor(&self.db, &self.audit_anchor, now).await
                    {
                        tracing::error!(error = format!("{e:#}"), "ancre du journal d'audit");
                    }
                }
            }
            // A last anchor on the way out, so that a clean stop leaves the chain anchored.
            let now = self.clock.now();
            if let Err(e) = audit_anchor::write_anchor(&self.db, &self.audit_anchor, now).await {
                tracing::warn!(error = format!("{e:#}"), "ancre du journal d'audit");
            }
        })
    }
}

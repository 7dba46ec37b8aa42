//! `Application::build(config)`: everything the binary and the tests start, the very same way.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::Config;
use crate::db::{self, Db};
use crate::state::{AppState, Clock, SystemClock};
use crate::tls::crl::{verify_crl, CrlStore};
use crate::tls::verifier::TrustStore;
use crate::tls::{self, acceptor};

pub struct Application {
    addr: SocketAddr,
    state: AppState,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_clock(config, Arc::new(SystemClock)).await
    }

    pub async fn build_with_clock(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        config.check_files()?;
        let mut cas = Vec::new();
        for path in &config.trust_anchors {
            cas.extend(tls::load_certs(path)?.into_iter().map(|c| c.to_vec()));
        }
        let trust = Arc::new(TrustStore::new(cas).context("trust_anchors (TOM_TRUST_ANCHORS)")?);
        let tls_config = tls::server_config(
            tls::load_certs(&config.tls_cert).context("tls_cert (TOM_TLS_CERT)")?,
            tls::load_key(&config.tls_key).context("tls_key (TOM_TLS_KEY)")?,
            trust.subjects(),
        )?;
        let db = Db::connect(&config.database_url).await?;
        let listener = TcpListener::bind(config.listen).await.with_context(|| {
            format!(
                "listen (TOM_LISTEN) : impossible d'écouter sur {}",
                config.listen
            )
        })?;
        let addr = listener.local_addr()?;
        let allowed_origins = vec![
            config.public_url.clone(),
            format!("https://localhost:{}", addr.port()),
        ];
        let state = AppState {
            db,
            config: Arc::new(config),
            trust,
            crls: CrlStore::default(),
            clock,
            allowed_origins: Arc::new(allowed_origins),
        };
        let mut watcher = CrlWatcher::new(state.clone());
        watcher.poll().await.context("crls (TOM_CRLS)")?;
        let (shutdown, rx) = watch::channel(false);
        let mut tasks = Vec::new();
        let poll_every = Duration::from_secs(state.config.crl_poll_seconds);
        let mut rx_watch = rx.clone();
        let housekeeping = state.clone();
        tasks.push(tokio::spawn(async move {
            let mut last_purge = 0;
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(poll_every) => {}
                    _ = rx_watch.changed() => break,
                }
                if let Err(e) = watcher.poll().await {
                    tracing::warn!(error = format!("{e:#}"), "rechargement des CRL");
                }
                let now = housekeeping.clock.now();
                if now - last_purge >= 60 {
                    last_purge = now;
                    if let Err(e) = purge_sessions(&housekeeping, now).await {
                        tracing::warn!(error = format!("{e:#}"), "purge des sessions expirées");
                    }
                }
            }
        }));
        tasks.push(tokio::spawn(acceptor::serve(
            listener,
            tls_config,
            crate::routes::router(state.clone()),
            state.clone(),
            rx,
        )));
        tracing::info!(%addr, backend = state.db.backend(), "TOM écoute");
        Ok(Self {
            addr,
            state,
            shutdown,
            tasks,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Runs until Ctrl-C or SIGTERM.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        ctrl_c.await?;
        tracing::info!("arrêt demandé");
        self.stop().await;
        Ok(())
    }

    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// Deletes the sessions past their idle or absolute limit (they would be refused anyway).
async fn purge_sessions(state: &AppState, now: i64) -> anyhow::Result<()> {
    let idle_before = now - state.config.session_idle_minutes * 60;
    let created_before = now - state.config.session_max_hours * 3600;
    let purged =
        db::sessions::delete_expired_sessions(&state.db, idle_before, created_before).await?;
    if purged > 0 {
        tracing::info!(purged, "sessions expirées supprimées");
    }
    Ok(())
}

/// Reloads CRL files when they change and shares them through the database, so that every
/// instance applies the newest CRL whichever instance saw it first.
struct CrlWatcher {
    state: AppState,
    seen: Vec<Option<SystemTime>>,
}

impl CrlWatcher {
    fn new(state: AppState) -> Self {
        let n = state.config.crls.len();
        Self {
            state,
            seen: vec![None; n],
        }
    }

    async fn poll(&mut self) -> anyhow::Result<()> {
        let now = self.state.clock.now();
        for (i, path) in self.state.config.crls.clone().iter().enumerate() {
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
            let crl = verify_crl(&bytes, &self.state.trust)
                .with_context(|| path.display().to_string())?;
            self.seen[i] = modified;
            db::crls::upsert_crl(
                &self.state.db,
                &hex::encode(&crl.issuer_raw),
                crl.number as i64,
                &crl.der,
                now,
            )
            .await?;
            if self.state.crls.install(&crl) {
                tracing::info!(issuer = %crl.issuer, number = crl.number, revoked = crl.serials.len(), "CRL chargée depuis un fichier");
            }
        }
        for row in db::crls::list_crls(&self.state.db).await? {
            let known = self
                .state
                .crls
                .number_for(&hex::decode(&row.issuer).unwrap_or_default());
            if known.is_some_and(|n| n as i64 >= row.number) {
                continue;
            }
            match verify_crl(&row.der, &self.state.trust) {
                Ok(crl) => {
                    if self.state.crls.install(&crl) {
                        tracing::info!(issuer = %crl.issuer, number = crl.number, "CRL chargée depuis la base");
                    }
                }
                Err(e) => tracing::warn!(error = ?e, "CRL de la base refusée"),
            }
        }
        Ok(())
    }
}

//! `Application::build(config)`: everything the binary and the tests start, the very same way.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::{Config, ListenMode};
use crate::db::Db;
use crate::jobs::crl_reload::CrlWatcher;
use crate::jobs::session_purge::SessionLimits;
use crate::jobs::Jobs;
use crate::state::{AppState, Clock, SystemClock, SystemRandom};
use crate::tls::crl::CrlStore;
use crate::tls::proxy::ProxyTrust;
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
        let front = match config.listen_mode {
            ListenMode::Tls => acceptor::Front::Tls(tls::server_config(
                tls::load_certs(&config.tls_cert).context("tls_cert (TOM_TLS_CERT)")?,
                tls::load_key(&config.tls_key).context("tls_key (TOM_TLS_KEY)")?,
                trust.subjects(),
            )?),
            ListenMode::Proxy => acceptor::Front::Proxy(
                ProxyTrust::from_config(&config).context("proxy_cert_header")?,
            ),
        };
        let db = Db::connect(&config.database_url).await?;
        crate::jobs::fill_search_keys::run(&db).await?;
        let listener = TcpListener::bind(config.listen).await.with_context(|| {
            format!(
                "listen (TOM_LISTEN) : impossible d'écouter sur {}",
                config.listen
            )
        })?;
        let addr = listener.local_addr()?;
        let mut allowed_origins = vec![config.public_url.clone()];
        // Direct TLS answers at its own port too; behind a proxy, only the public URL is TOM's.
        if config.listen_mode == ListenMode::Tls {
            allowed_origins.push(format!("https://localhost:{}", addr.port()));
        }
        // Fail closed on a stale CRL unless the operator chose to accept it (README).
        let crls = CrlStore::with_grace(
            (config.crl_stale_policy == "refuser").then_some(config.crl_grace_hours as i64 * 3600),
        );
        let state = AppState {
            db,
            config: Arc::new(config),
            trust,
            crls,
            clock,
            random: Arc::new(SystemRandom::default()),
            allowed_origins: Arc::new(allowed_origins),
        };
        let mut crl_watcher = CrlWatcher::new(
            state.db.clone(),
            state.trust.clone(),
            state.crls.clone(),
            state.config.crls.clone(),
        );
        let crl_signer = crate::issuing::crl::CrlSigner::from_config(&state.config);
        // TOM's own CRL is made fresh before it is first read.
        if let Err(e) = crl_signer.resign_if_due(&state.db, state.clock.now()).await {
            tracing::warn!(
                error = format!("{e:#}"),
                "nouvelle signature de la CRL de l'AC d'émission"
            );
        }
        let problems = crl_watcher
            .poll(state.clock.now())
            .await
            .context("crls (TOM_CRLS)")?;
        if !problems.is_empty() {
            anyhow::bail!("crls (TOM_CRLS) : {}", problems.join(" ; "));
        }
        let (shutdown, rx) = watch::channel(false);
        let jobs = Jobs {
            db: state.db.clone(),
            clock: state.clock.clone(),
            crl_watcher,
            crl_signer,
            crl_poll: Duration::from_secs(state.config.crl_poll_seconds),
            trust: state.trust.clone(),
            crls: state.crls.clone(),
            session_limits: SessionLimits {
                idle_seconds: state.config.session_idle_minutes * 60,
                max_seconds: state.config.session_max_hours * 3600,
            },
            audit_anchor: state.config.audit_anchor.clone(),
            audit_anchor_seconds: state.config.audit_anchor_seconds as i64,
        };
        let mut tasks = vec![jobs.spawn(rx.clone())];
        tasks.push(tokio::spawn(acceptor::serve(
            listener,
            front,
            crate::http::router(state.clone()),
            state.clone(),
            rx,
        )));
        tracing::info!(%addr, backend = state.db.backend(), mode = ?state.config.listen_mode, "TOM écoute");
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

//! TOM's own accept loop (axum's low-level-rustls example): after each handshake the card is
//! checked and the verdict travels with every request of that connection.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use rustls::ServerConfig;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use super::verifier::{self, CardCheck};
use crate::state::AppState;

/// What the TLS layer learnt about the connection a request came on.
#[derive(Debug, Clone)]
pub struct PeerCard {
    pub check: Arc<CardCheck>,
    pub tls_version: &'static str,
    /// The client's address (what the limits of `auth::attempts` count).
    pub remote: std::net::IpAddr,
}

fn version_name(v: Option<rustls::ProtocolVersion>) -> &'static str {
    match v {
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3",
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2",
        _ => "inconnue",
    }
}

/// Accepts connections until `shutdown` turns true.
pub async fn serve(
    listener: TcpListener,
    tls: Arc<ServerConfig>,
    router: Router,
    state: AppState,
    mut shutdown: watch::Receiver<bool>,
) {
    let acceptor = TlsAcceptor::from(tls);
    // A slow or greedy client cannot hold the server: connections are capped, and a connection
    // has `header_read_seconds` for its handshake and for each request's headers.
    let slots = Arc::new(Semaphore::new(state.config.max_connections as usize));
    let header_read = Duration::from_secs(state.config.header_read_seconds);
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_read);
    builder.http2().timer(TokioTimer::new());
    let builder = Arc::new(builder);
    loop {
        let (tcp, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    tracing::warn!(error = %e, "accept a échoué");
                    continue;
                }
            },
            _ = shutdown.changed() => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::warn!(%remote, "trop de connexions simultanées : connexion fermée");
            drop(tcp);
            continue;
        };
        let acceptor = acceptor.clone();
        let router = router.clone();
        let state = state.clone();
        let builder = builder.clone();
        tokio::spawn(async move {
            // Held for the connection's life.
            let _slot = slot;
            let stream = match tokio::time::timeout(header_read, acceptor.accept(tcp)).await {
                Ok(Ok(stream)) => stream,
                Ok(Err(e)) => {
                    tracing::info!(%remote, error = %e, "poignée de main TLS refusée");
                    return;
                }
                Err(_) => {
                    tracing::info!(%remote, "poignée de main TLS trop lente");
                    return;
                }
            };
            let (_, conn) = stream.get_ref();
            let tls_version = version_name(conn.protocol_version());
            // Checked on every connection, resumed or not: a resumed session's certificate is
            // re-judged against today's date and today's CRL.
            let chain: Vec<Vec<u8>> = conn
                .peer_certificates()
                .map(|c| c.iter().map(|d| d.as_ref().to_vec()).collect())
                .unwrap_or_default();
            let check = verifier::check(
                chain.first().map(Vec::as_slice),
                chain.get(1..).unwrap_or_default(),
                &state.trust,
                &state.crls.snapshot(),
                state.clock.now(),
            );
            tracing::info!(%remote, tls = tls_version, verdict = check.verdict.code(), "connexion TLS");
            let peer = PeerCard {
                check: Arc::new(check),
                tls_version,
                remote: remote.ip(),
            };
            let service = router.map_request(move |mut req: axum::http::Request<Incoming>| {
                req.extensions_mut().insert(peer.clone());
                req
            });
            let result = builder
                .serve_connection_with_upgrades(
                    TokioIo::new(stream),
                    TowerToHyperService::new(service),
                )
                .await;
            if let Err(e) = result {
                tracing::debug!(%remote, error = %e, "connexion terminée sur une erreur");
            }
        });
    }
}

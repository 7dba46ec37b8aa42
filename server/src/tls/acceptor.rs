//! TOM's own accept loop (axum's low-level-rustls example): after each handshake the card is
//! checked and the verdict travels with every request of that connection. Behind a reverse
//! proxy (`listen_mode = "proxy"`), the same loop serves plain HTTP and each request's card is
//! read from the proxy's headers (`super::proxy`).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use rustls::ServerConfig;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use super::proxy::ProxyTrust;
use super::verifier::{self, CardCheck};
use crate::state::AppState;

/// How requests reach TOM: TLS it terminates itself, or plain HTTP from a proxy that did.
#[derive(Clone)]
pub enum Front {
    Tls(Arc<ServerConfig>),
    Proxy(Arc<ProxyTrust>),
}

/// What the TLS layer (TOM's or the proxy's) learnt about the client a request came from.
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
    front: Front,
    router: Router,
    state: AppState,
    mut shutdown: watch::Receiver<bool>,
) {
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
        // Small writes go out at once: without this, Nagle's algorithm holds a response (or the
        // end of a handshake) until the client acknowledges the previous segment, which a
        // client delaying its acknowledgements makes tens of milliseconds per connection.
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(%remote, error = %e, "TCP_NODELAY refusé");
        }
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::warn!(%remote, "trop de connexions simultanées : connexion fermée");
            drop(tcp);
            continue;
        };
        let router = router.clone();
        let state = state.clone();
        let builder = builder.clone();
        let front = front.clone();
        tokio::spawn(async move {
            // Held for the connection's life.
            let _slot = slot;
            match front {
                Front::Proxy(proxy) => {
                    let source = CardSource::Proxy(proxy);
                    serve_connection(&builder, tcp, router, source, state, remote).await;
                }
                Front::Tls(tls) => {
                    let Some((stream, peer)) = handshake(tls, tcp, remote, &state).await else {
                        return;
                    };
                    let source = CardSource::Handshake(peer);
                    serve_connection(&builder, stream, router, source, state, remote).await;
                }
            }
        });
    }
}

/// TOM's own handshake, then its verdict on the card: once per connection, resumed or not (a
/// resumed session's certificate is judged again against today's date and today's CRL).
async fn handshake(
    tls: Arc<ServerConfig>,
    tcp: TcpStream,
    remote: SocketAddr,
    state: &AppState,
) -> Option<(TlsStream<TcpStream>, PeerCard)> {
    let header_read = Duration::from_secs(state.config.header_read_seconds);
    let stream = match tokio::time::timeout(header_read, TlsAcceptor::from(tls).accept(tcp)).await {
        Ok(Ok(stream)) => stream,
        Ok(Err(e)) => {
            tracing::info!(%remote, error = %e, "poignée de main TLS refusée");
            return None;
        }
        Err(_) => {
            tracing::info!(%remote, "poignée de main TLS trop lente");
            return None;
        }
    };
    let (_, conn) = stream.get_ref();
    let tls_version = version_name(conn.protocol_version());
    let chain: Vec<Vec<u8>> = conn
        .peer_certificates()
        .map(|c| c.iter().map(|d| d.as_ref().to_vec()).collect())
        .unwrap_or_default();
    let check = judge(&chain, state);
    tracing::info!(%remote, tls = tls_version, verdict = check.verdict.code(), "connexion TLS");
    let peer = PeerCard {
        check: Arc::new(check),
        tls_version,
        remote: remote.ip(),
    };
    Some((stream, peer))
}

/// TOM's verdict on a presented chain (the card first), however it reached TOM.
pub(super) fn judge(chain: &[Vec<u8>], state: &AppState) -> CardCheck {
    verifier::check(
        chain.first().map(Vec::as_slice),
        chain.get(1..).unwrap_or_default(),
        &state.trust,
        &state.crls.snapshot(),
        state.clock.now(),
    )
}

/// Where each request's card comes from: the connection's handshake, or the proxy's headers
/// (read per request: a proxy sends many clients' requests on one connection).
#[derive(Clone)]
enum CardSource {
    Handshake(PeerCard),
    Proxy(Arc<ProxyTrust>),
}

/// Serves HTTP/1.1 and HTTP/2 on one connection, each request carrying its [`PeerCard`].
async fn serve_connection<I>(
    builder: &Builder<TokioExecutor>,
    io: I,
    router: Router,
    source: CardSource,
    state: AppState,
    remote: SocketAddr,
) where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = router.map_request(move |mut req: axum::http::Request<Incoming>| {
        let peer = match &source {
            CardSource::Handshake(peer) => peer.clone(),
            CardSource::Proxy(proxy) => proxy.peer_card(remote.ip(), req.headers_mut(), &state),
        };
        req.extensions_mut().insert(peer);
        req
    });
    let result = builder
        .serve_connection_with_upgrades(TokioIo::new(io), TowerToHyperService::new(service))
        .await;
    if let Err(e) = result {
        tracing::debug!(%remote, error = %e, "connexion terminée sur une erreur");
    }
}

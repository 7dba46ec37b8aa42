//! Load client of `scripts/bench-tls.sh`: HTTPS over rustls presenting a card (PEM certificate
//! and key), against TOM or nginx alike.
//!
//! - latency (default): `--connections` keep-alive connections, each with one full handshake,
//!   then `GET --path` one after the other for `--seconds` (after `--warmup` seconds not
//!   counted). Without `--rate`, each connection sends its next request as soon as the previous
//!   answer is read (saturation); with `--rate N`, the connections together send N requests per
//!   second on a fixed schedule, and each latency counts from the request's scheduled time
//!   (a late server is not excused by the requests it delayed). `--login` first opens a session
//!   (`POST /api/session`, as TOM's SPA does) on its own connection; every request then carries
//!   its cookie (the session is bound to the card, which all connections present).
//! - `--handshakes`: `--connections` loops of a new connection each time (full handshake, no
//!   resumption), one `GET --path`, close; counts completed connections per second.
//!
//! Prints one line of `key=value` pairs for the script.
//!
//!   cargo bench -p server --bench tls_load -- --addr 127.0.0.1:8443 --ca racine.pem \
//!     --cert mandataire-a.pem --key mandataire-a.key --path /api/me --login --connections 256

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http1::SendRequest;
use hyper::Request;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use rustls::{ClientConfig, RootCertStore};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    // The last occurrence wins: a script may override its own defaults.
    args.iter()
        .rposition(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn flag(name: &str) -> bool {
    std::env::args().any(|a| a == name)
}

fn number(name: &str, default: f64) -> f64 {
    arg(name)
        .map(|v| {
            v.parse()
                .unwrap_or_else(|_| panic!("{name} : nombre attendu"))
        })
        .unwrap_or(default)
}

struct Target {
    addr: SocketAddr,
    config: Arc<ClientConfig>,
    host: String,
    path: String,
    cookie: Option<String>,
}

fn client_config(ca: &str, cert: &str, key: &str) -> anyhow::Result<Arc<ClientConfig>> {
    let mut roots = RootCertStore::empty();
    for c in server::tls::load_certs(std::path::Path::new(ca))? {
        roots.add(c)?;
    }
    let mut config =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_protocol_versions(rustls::DEFAULT_VERSIONS)?
            .with_root_certificates(roots)
            .with_client_auth_cert(
                server::tls::load_certs(std::path::Path::new(cert))?,
                server::tls::load_key(std::path::Path::new(key))?,
            )?;
    // Every handshake a full one: no session ticket or id is offered again.
    config.resumption = rustls::client::Resumption::disabled();
    Ok(Arc::new(config))
}

/// A new TLS connection (full handshake) speaking HTTP/1.1.
async fn connect(target: &Target) -> anyhow::Result<SendRequest<Empty<Bytes>>> {
    let tcp = TcpStream::connect(target.addr).await?;
    tcp.set_nodelay(true)?;
    let tls = TlsConnector::from(target.config.clone())
        .connect(ServerName::try_from("localhost")?.to_owned(), tcp)
        .await?;
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tls)).await?;
    tokio::spawn(conn);
    Ok(sender)
}

/// One request; Ok(status) once the whole body is read.
async fn get(
    sender: &mut SendRequest<Empty<Bytes>>,
    target: &Target,
    method: &str,
    extra: &[(&str, &str)],
) -> anyhow::Result<(u16, hyper::HeaderMap, Bytes)> {
    sender.ready().await?;
    let mut request = Request::builder()
        .method(method)
        .uri(&target.path)
        .header("host", &target.host);
    if let Some(cookie) = &target.cookie {
        request = request.header("cookie", cookie);
    }
    for (k, v) in extra {
        request = request.header(*k, *v);
    }
    let response = sender.send_request(request.body(Empty::new())?).await?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, headers, body))
}

/// `POST /api/session` as TOM's own page would: the session cookie.
async fn login(target: &Target) -> anyhow::Result<String> {
    let mut sender = connect(target).await?;
    // A browser sends its page's origin, which TOM compares with its public_url.
    let origin = arg("--origin");
    let mut headers = vec![("x-csrf-token", "banc")];
    if let Some(origin) = &origin {
        headers.push(("origin", origin));
    }
    let login = Target {
        addr: target.addr,
        config: target.config.clone(),
        host: target.host.clone(),
        path: "/api/session".into(),
        cookie: None,
    };
    let (status, headers, body) = get(&mut sender, &login, "POST", &headers).await?;
    if status != 201 {
        anyhow::bail!(
            "connexion refusée ({status}) : {}",
            String::from_utf8_lossy(&body)
        );
    }
    let set_cookie = headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| anyhow::anyhow!("pas de cookie de session"))?;
    Ok(set_cookie.split(';').next().unwrap_or_default().to_string())
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

async fn latency(target: Arc<Target>, connections: usize) -> anyhow::Result<()> {
    let seconds = number("--seconds", 10.0);
    let warmup = number("--warmup", 2.0);
    let rate = arg("--rate").map(|_| number("--rate", 0.0));
    // All connections are opened (a full handshake each) before the clock starts.
    let mut senders = Vec::with_capacity(connections);
    for chunk in (0..connections).collect::<Vec<_>>().chunks(32) {
        let opened = futures_util::future::join_all(chunk.iter().map(|_| connect(&target))).await;
        for sender in opened {
            senders.push(sender?);
        }
    }
    let start = Instant::now() + Duration::from_millis(100);
    let counted_from = start + Duration::from_secs_f64(warmup);
    let end = counted_from + Duration::from_secs_f64(seconds);
    let errors = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for (i, mut sender) in senders.into_iter().enumerate() {
        let target = target.clone();
        let errors = errors.clone();
        tasks.push(tokio::spawn(async move {
            let mut samples: Vec<u64> = Vec::new();
            // Paced: this connection's share of the rate, its first slot spread over one period.
            let period =
                rate.map(|r| Duration::from_secs_f64(connections as f64 / r.max(f64::EPSILON)));
            let mut next =
                start + period.map_or(Duration::ZERO, |p| p * i as u32 / connections as u32);
            tokio::time::sleep_until(start.into()).await;
            loop {
                if period.is_some() {
                    tokio::time::sleep_until(next.into()).await;
                } else {
                    next = Instant::now();
                }
                if next >= end {
                    break;
                }
                let result = get(&mut sender, &target, "GET", &[]).await;
                let done = Instant::now();
                match &result {
                    Ok((200, _, _)) => {
                        if next >= counted_from {
                            samples.push((done - next).as_micros() as u64);
                        }
                    }
                    Ok(_) | Err(_) => {
                        if next >= counted_from {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                        if result.is_err() {
                            // The connection is gone: a new one (its handshake counts in this
                            // request's time).
                            match connect(&target).await {
                                Ok(s) => sender = s,
                                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
                            }
                        }
                    }
                }
                if let Some(p) = period {
                    next += p;
                }
            }
            samples
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await?);
    }
    all.sort_unstable();
    let errors = errors.load(Ordering::Relaxed);
    println!(
        "mode=latence connexions={connections} requetes={} erreurs={errors} par_seconde={:.0} p50_ms={:.2} p90_ms={:.2} p99_ms={:.2} max_ms={:.2}",
        all.len(),
        all.len() as f64 / seconds,
        percentile(&all, 50.0),
        percentile(&all, 90.0),
        percentile(&all, 99.0),
        all.last().map_or(f64::NAN, |m| *m as f64 / 1000.0),
    );
    Ok(())
}

async fn handshakes(target: Arc<Target>, loops: usize) -> anyhow::Result<()> {
    let seconds = number("--seconds", 10.0);
    let warmup = number("--warmup", 1.0);
    let done = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let counting = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for _ in 0..loops {
        let (target, done, errors, counting, stop) = (
            target.clone(),
            done.clone(),
            errors.clone(),
            counting.clone(),
            stop.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let ok = match connect(&target).await {
                    Ok(mut sender) => {
                        matches!(get(&mut sender, &target, "GET", &[]).await, Ok((200, _, _)))
                    }
                    Err(_) => false,
                };
                if counting.load(Ordering::Relaxed) {
                    if ok { &done } else { &errors }.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs_f64(warmup)).await;
    counting.store(true, Ordering::Relaxed);
    let from = Instant::now();
    tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
    counting.store(false, Ordering::Relaxed);
    let elapsed = from.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await?;
    }
    let done = done.load(Ordering::Relaxed);
    println!(
        "mode=poignees boucles={loops} connexions={done} erreurs={} par_seconde={:.0}",
        errors.load(Ordering::Relaxed),
        done as f64 / elapsed
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let Some(addr) = arg("--addr") else {
        // `cargo bench` without arguments: nothing to measure.
        return Ok(());
    };
    let need = |name: &str| arg(name).ok_or_else(|| anyhow::anyhow!("{name} manquant"));
    let config = client_config(&need("--ca")?, &need("--cert")?, &need("--key")?)?;
    let addr: SocketAddr = addr.parse()?;
    let mut target = Target {
        addr,
        config,
        host: format!("localhost:{}", addr.port()),
        path: arg("--path").unwrap_or_else(|| "/".into()),
        cookie: None,
    };
    if flag("--login") {
        target.cookie = Some(login(&target).await?);
    }
    let target = Arc::new(target);
    let connections = number("--connections", 256.0) as usize;
    if flag("--handshakes") {
        handshakes(target, connections).await
    } else {
        latency(target, connections).await
    }
}

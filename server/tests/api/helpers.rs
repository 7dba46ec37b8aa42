//! `spawn_app()` and a TLS client presenting test cards, with one helper per endpoint.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use rustls::{ClientConfig, RootCertStore};
use serde_json::Value;
use server::config::Config;
use server::db::Db;
use server::pki::{Manifest, PkiLayout};
use server::startup::Application;
use server::state::OffsetClock;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// The generated test cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Card {
    RepresentantLegalA,
    MandataireA,
    MandataireB,
    Operateur,
    Expiree,
    Revoquee,
    AcInconnue,
    NonCpx,
}

impl Card {
    pub fn file_name(self) -> &'static str {
        match self {
            Card::RepresentantLegalA => "representant-legal-a",
            Card::MandataireA => "mandataire-a",
            Card::MandataireB => "mandataire-b",
            Card::Operateur => "operateur",
            Card::Expiree => "carte-expiree",
            Card::Revoquee => "carte-revoquee",
            Card::AcInconnue => "carte-ac-inconnue",
            Card::NonCpx => "carte-non-cpx",
        }
    }
}

pub const STRUCTURE_A: &str = "1940000011";
pub const STRUCTURE_B: &str = "1940000029";

pub struct TestResponse {
    pub status: u16,
    pub headers: hyper::HeaderMap,
    pub body: Bytes,
}

impl TestResponse {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| {
            panic!(
                "réponse non JSON ({}) : {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_string()
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

/// A logged-in session: the cookie to send back and the CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

impl Session {
    /// The session a successful login response opened.
    pub fn opened_by(response: &TestResponse) -> Session {
        assert_eq!(
            response.status,
            201,
            "connexion : {}",
            String::from_utf8_lossy(&response.body)
        );
        let set_cookie = response.header("set-cookie").expect("cookie de session");
        let cookie = set_cookie.split(';').next().unwrap().to_string();
        let csrf = response.json()["csrf_token"].as_str().unwrap().to_string();
        Session { cookie, csrf }
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub pki: PkiLayout,
    pub manifest: Manifest,
    pub clock: Arc<OffsetClock>,
    pub db: Db,
    /// The configuration it was started with (a second instance starts with the same).
    pub config: Config,
    /// Keeps the server running for the test's duration.
    _app: Application,
    _dir: tempfile::TempDir,
}

async fn fresh_database_url(dir: &std::path::Path) -> String {
    match std::env::var("TOM_TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            use sqlx::Connection;
            let name = format!("tom_test_{}", hex::encode(rand::random::<[u8; 8]>()));
            let mut conn = sqlx::PgConnection::connect(&base)
                .await
                .expect("PostgreSQL de test joignable");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("CREATE DATABASE");
            let (prefix, _) = base.rsplit_once('/').expect("URL PostgreSQL avec une base");
            format!("{prefix}/{name}")
        }
        _ => format!("sqlite://{}", dir.join("tom.db").display()),
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Starts TOM on port 0 with a fresh PKI and database, demo data loaded, extra `TOM_*` settings.
pub async fn spawn_app_with(settings: &[(&str, &str)]) -> TestApp {
    static LOGS: std::sync::Once = std::sync::Once::new();
    LOGS.call_once(|| {
        // TEST_LOG=1 shows the server's log while debugging a test.
        if std::env::var("TEST_LOG").is_ok() {
            tracing_subscriber::fmt()
                .with_env_filter("info")
                .with_test_writer()
                .init();
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let pki_dir = dir.path().join("pki");
    let now = time::OffsetDateTime::now_utc();
    let manifest = server::pki::init(&pki_dir, "https://localhost:8443", now).unwrap();
    let database_url = fresh_database_url(dir.path()).await;
    let mut env: HashMap<String, String> = HashMap::from([
        ("TOM_DATA_DIR".into(), dir.path().display().to_string()),
        ("TOM_LISTEN".into(), "127.0.0.1:0".into()),
        ("DATABASE_URL".into(), database_url.clone()),
        ("TOM_CRL_POLL_SECONDS".into(), "1".into()),
    ]);
    // `<pki>` in a setting stands for this app's generated PKI folder.
    for (k, v) in settings {
        env.insert(
            k.to_string(),
            v.replace("<pki>", &pki_dir.display().to_string()),
        );
    }
    let (config, _) = Config::load(None, &env).unwrap();
    let started_with = config.clone();
    let db = Db::connect(&database_url).await.unwrap();
    server::demo::load(&db, &manifest, now.unix_timestamp())
        .await
        .unwrap();
    let clock = Arc::new(OffsetClock::default());
    let app = Application::build_with_clock(config, clock.clone())
        .await
        .unwrap();
    TestApp {
        addr: app.addr(),
        pki: PkiLayout::new(pki_dir),
        manifest,
        clock,
        db,
        config: started_with,
        _app: app,
        _dir: dir,
    }
}

impl TestApp {
    /// A second `tom` instance on the same database, PKI and files, on its own port.
    pub async fn second_instance(&self) -> TestApp {
        self.second_instance_with(|_| {}).await
    }

    /// A second `tom` instance on the same database, with this one's configuration changed.
    pub async fn second_instance_with(&self, change: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = self.config.clone();
        change(&mut config);
        let app = Application::build_with_clock(config.clone(), self.clock.clone())
            .await
            .unwrap();
        TestApp {
            addr: app.addr(),
            pki: self.pki.clone(),
            manifest: self.manifest.clone(),
            clock: self.clock.clone(),
            db: self.db.clone(),
            config,
            _app: app,
            _dir: tempfile::tempdir().unwrap(),
        }
    }
}

/// A client presenting the given certificate chain and PKCS#8 key (e.g. a card TOM issued).
pub fn client_config_with(
    pki: &PkiLayout,
    chain: Vec<Vec<u8>>,
    key_pkcs8: Vec<u8>,
) -> Arc<ClientConfig> {
    let mut roots = RootCertStore::empty();
    for cert in server::tls::load_certs(&pki.root_cert()).unwrap() {
        roots.add(cert).unwrap();
    }
    let certs = chain
        .into_iter()
        .map(rustls::pki_types::CertificateDer::from)
        .collect();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(key_pkcs8.into());
    Arc::new(
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_protocol_versions(rustls::DEFAULT_VERSIONS)
            .unwrap()
            .with_root_certificates(roots)
            .with_client_auth_cert(certs, key)
            .unwrap(),
    )
}

/// A client that presents the certificate chain whatever it holds (rustls's own client refuses
/// to present some of the certificates real cards carry, e.g. with an unknown critical
/// extension): a resolver handing out the chain and key as they are.
pub fn client_config_presenting(
    pki: &PkiLayout,
    chain: Vec<Vec<u8>>,
    key_pkcs8: Vec<u8>,
) -> Arc<ClientConfig> {
    let key = rustls::crypto::ring::default_provider()
        .key_provider
        .load_private_key(rustls::pki_types::PrivateKeyDer::Pkcs8(key_pkcs8.into()))
        .unwrap();
    client_config_signing(pki, chain, key, rustls::DEFAULT_VERSIONS)
}

/// A client presenting `chain` as it is and proving it with `key`, any signing key (an RSA key
/// ring cannot use, say), in `versions`.
pub fn client_config_signing(
    pki: &PkiLayout,
    chain: Vec<Vec<u8>>,
    key: Arc<dyn rustls::sign::SigningKey>,
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> Arc<ClientConfig> {
    #[derive(Debug)]
    struct Always(Arc<rustls::sign::CertifiedKey>);
    impl rustls::client::ResolvesClientCert for Always {
        fn resolve(
            &self,
            _hints: &[&[u8]],
            _schemes: &[rustls::SignatureScheme],
        ) -> Option<Arc<rustls::sign::CertifiedKey>> {
            Some(self.0.clone())
        }
        fn has_certs(&self) -> bool {
            true
        }
    }
    let certs = chain
        .into_iter()
        .map(rustls::pki_types::CertificateDer::from)
        .collect();
    let mut roots = RootCertStore::empty();
    for cert in server::tls::load_certs(&pki.root_cert()).unwrap() {
        roots.add(cert).unwrap();
    }
    Arc::new(
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_protocol_versions(versions)
            .unwrap()
            .with_root_certificates(roots)
            .with_client_cert_resolver(Arc::new(Always(Arc::new(
                rustls::sign::CertifiedKey::new(certs, key),
            )))),
    )
}

pub fn client_config(
    pki: &PkiLayout,
    card: Option<Card>,
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> Arc<ClientConfig> {
    let mut roots = RootCertStore::empty();
    for cert in server::tls::load_certs(&pki.root_cert()).unwrap() {
        roots.add(cert).unwrap();
    }
    let builder =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_protocol_versions(versions)
            .unwrap()
            .with_root_certificates(roots);
    let config = match card {
        Some(card) => {
            let base = pki.cards_dir().join(card.file_name());
            builder
                .with_client_auth_cert(
                    server::tls::load_certs(&base.with_extension("pem")).unwrap(),
                    server::tls::load_key(&base.with_extension("key")).unwrap(),
                )
                .unwrap()
        }
        None => builder.with_no_client_auth(),
    };
    Arc::new(config)
}

/// One request on a new TLS connection made with `config`. Returns the response and whether
/// the TLS session was resumed.
pub async fn send(
    addr: SocketAddr,
    config: Arc<ClientConfig>,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (TestResponse, bool) {
    let tcp = TcpStream::connect(addr).await.unwrap();
    let tls = TlsConnector::from(config)
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .expect("poignée de main TLS");
    let resumed = tls.get_ref().1.handshake_kind() == Some(rustls::HandshakeKind::Resumed);
    (exchange(tls, method, path, headers, body).await, resumed)
}

/// One HTTP/1.1 request on an open connection, TLS or plain.
pub async fn exchange<I>(
    io: I,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> TestResponse
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .unwrap();
    tokio::spawn(conn);
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "localhost");
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = sender
        .send_request(request.body(Full::new(Bytes::from(body))).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    TestResponse {
        status,
        headers,
        body,
    }
}

/// `/api/diagnostic` on a new connection made with `config`: the JSON and whether the TLS
/// session was resumed.
pub async fn diagnostic_over(addr: SocketAddr, config: Arc<ClientConfig>) -> (Value, bool) {
    let (r, resumed) = send(addr, config, "GET", "/api/diagnostic", &[], Vec::new()).await;
    (r.json(), resumed)
}

impl TestApp {
    pub async fn request(
        &self,
        card: Option<Card>,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let config = client_config(&self.pki, card, rustls::DEFAULT_VERSIONS);
        send(self.addr, config, method, path, headers, Vec::new())
            .await
            .0
    }

    /// A request with a session (cookie, and the CSRF token on unsafe methods) and a body.
    pub async fn call(
        &self,
        card: Card,
        session: &Session,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> TestResponse {
        let config = client_config(&self.pki, Some(card), rustls::DEFAULT_VERSIONS);
        let origin = format!("https://localhost:{}", self.addr.port());
        let mut all = vec![
            ("cookie", session.cookie.as_str()),
            ("x-csrf-token", session.csrf.as_str()),
            ("origin", origin.as_str()),
        ];
        all.extend_from_slice(headers);
        send(self.addr, config, method, path, &all, body).await.0
    }

    pub async fn get_diagnostic(&self, card: Option<Card>) -> TestResponse {
        self.request(card, "GET", "/api/diagnostic", &[]).await
    }

    pub async fn get_me(&self, card: Option<Card>, session: Option<&Session>) -> TestResponse {
        let cookie = session.map(|s| s.cookie.clone()).unwrap_or_default();
        self.request(card, "GET", "/api/me", &[("cookie", &cookie)])
            .await
    }

    pub async fn post_login(&self, card: Option<Card>, headers: &[(&str, &str)]) -> TestResponse {
        self.request(card, "POST", "/api/session", headers).await
    }

    /// Logs in as a browser of TOM's own origin would.
    pub async fn login(&self, card: Card) -> Session {
        let origin = format!("https://localhost:{}", self.addr.port());
        let response = self
            .post_login(
                Some(card),
                &[("x-csrf-token", "connexion"), ("origin", &origin)],
            )
            .await;
        Session::opened_by(&response)
    }

    pub async fn logout(&self, card: Card, session: &Session, csrf: Option<&str>) -> TestResponse {
        let mut headers = vec![("cookie", session.cookie.as_str())];
        if let Some(token) = csrf {
            headers.push(("x-csrf-token", token));
        }
        self.request(Some(card), "DELETE", "/api/session", &headers)
            .await
    }

    pub async fn get_structure(&self, card: Card, session: &Session, id: &str) -> TestResponse {
        self.request(
            Some(card),
            "GET",
            &format!("/api/structures/{id}"),
            &[("cookie", &session.cookie)],
        )
        .await
    }

    pub fn card_serial(&self, card: Card) -> Vec<u8> {
        let entry = self
            .manifest
            .cards
            .iter()
            .find(|c| c.name == card.file_name())
            .unwrap();
        hex::decode(&entry.serial).unwrap()
    }

    /// Waits until `check` holds, polling; panics after a generous deadline.
    pub async fn eventually<F, Fut>(&self, what: &str, mut check: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if check().await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("délai dépassé : {what}");
    }
}

/// Every `.rs` file below `dir`, sub-folders included (for the tests of the code's shape).
pub fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out
}

//! Card login behind a reverse proxy: a real nginx, started with the example shipped in
//! `deploy/nginx/tom.conf`, terminates TLS with `ssl_verify_client optional_no_ca` and forwards
//! the card; TOM (`listen_mode = "proxy"`) believes the header from nginx only and judges the
//! card itself. Two instances on one database behind nginx's round robin share sessions,
//! revocations and logouts. nginx is required: `scripts/test.sh` installs it.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use server::pki::PkiLayout;

use crate::helpers::{
    client_config, exchange, send, spawn_app_with, Card, Session, TestApp, TestResponse,
};

/// The address nginx connects to TOM from (`proxy_bind`), the only one TOM trusts. The tests'
/// own requests come from 127.0.0.1, which TOM does not trust.
const PROXY_ADDRESS: [u8; 4] = [127, 0, 0, 3];
const CLIENT_ADDRESS: [u8; 4] = [127, 0, 0, 1];
/// TOM's public URL in these tests, and the `Origin` its pages send.
const PUBLIC_URL: &str = "https://localhost";

fn proxy_address() -> IpAddr {
    IpAddr::from(PROXY_ADDRESS)
}

fn client_address() -> IpAddr {
    IpAddr::from(CLIENT_ADDRESS)
}

/// TOM in proxy mode, trusting nginx's address only.
async fn spawn_behind_proxy() -> TestApp {
    spawn_app_with(&[
        ("TOM_LISTEN_MODE", "proxy"),
        ("TOM_TRUSTED_PROXIES", "127.0.0.3"),
        ("TOM_PUBLIC_URL", PUBLIC_URL),
    ])
    .await
}

/// nginx as a child process (one process, no daemon), in its own folder, stopped on drop.
struct Nginx {
    child: Child,
    addr: SocketAddr,
    pki: PkiLayout,
    dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn nginx_binary() -> PathBuf {
    let debian = PathBuf::from("/usr/sbin/nginx");
    if debian.exists() {
        return debian;
    }
    std::env::var_os("PATH")
        .and_then(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join("nginx"))
                .find(|p| p.exists())
        })
        .expect(
            "nginx est introuvable : bash scripts/test.sh l'installe (paquet Debian nginx-light)",
        )
}

/// The shipped example with this test's addresses and files, inside a minimal main file.
fn nginx_conf(
    dir: &std::path::Path,
    pki: &PkiLayout,
    port: u16,
    upstreams: &[SocketAddr],
) -> String {
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../deploy/nginx/tom.conf"
    ))
    .unwrap();
    let servers: String = upstreams
        .iter()
        .map(|a| format!("    server {a};\n"))
        .collect();
    let proxy = IpAddr::from(PROXY_ADDRESS);
    // The cards' authorities, root and issuing CA, as TOM's trust anchors.
    let card_cas = dir.join("ac-cartes.pem");
    let mut cas = std::fs::read_to_string(pki.root_cert()).unwrap();
    cas.push_str(&std::fs::read_to_string(pki.personnes_cert()).unwrap());
    std::fs::write(&card_cas, cas).unwrap();
    let mut conf = example;
    for (from, to) in [
        (
            "    server 10.0.0.11:8080;\n    server 10.0.0.12:8080;\n".to_string(),
            servers,
        ),
        (
            "listen 443 ssl http2;".to_string(),
            format!("listen 127.0.0.1:{port} ssl http2;"),
        ),
        (
            "/etc/tom/tls/server.pem".to_string(),
            pki.server_cert().display().to_string(),
        ),
        (
            "/etc/tom/tls/server.key".to_string(),
            pki.server_key().display().to_string(),
        ),
        (
            "/etc/tom/tls/ac-cartes.pem".to_string(),
            card_cas.display().to_string(),
        ),
        (
            "proxy_http_version 1.1;".to_string(),
            format!("proxy_http_version 1.1;\n    proxy_bind {proxy};"),
        ),
    ] {
        assert!(
            conf.contains(&from),
            "deploy/nginx/tom.conf ne contient plus « {from} »"
        );
        conf = conf.replace(&from, &to);
    }
    let d = dir.display();
    format!(
        "master_process off;\ndaemon off;\npid {d}/nginx.pid;\nerror_log {d}/error.log info;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n\
         access_log {d}/access.log;\n\
         client_body_temp_path {d}/body;\nproxy_temp_path {d}/proxy;\n\
         fastcgi_temp_path {d}/fastcgi;\nuwsgi_temp_path {d}/uwsgi;\nscgi_temp_path {d}/scgi;\n\
         {conf}\n}}\n"
    )
}

impl Nginx {
    /// Starts nginx in front of `upstreams`, with `pki`'s server certificate, on a free port.
    async fn start(pki: &PkiLayout, upstreams: &[SocketAddr]) -> Nginx {
        let binary = nginx_binary();
        let mut last_error = String::new();
        // The port is chosen free, then nginx binds it: another process may take it in
        // between, so a failed start is tried again on another port.
        for _ in 0..5 {
            let dir = tempfile::tempdir().unwrap();
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let conf = dir.path().join("nginx.conf");
            std::fs::write(&conf, nginx_conf(dir.path(), pki, port, upstreams)).unwrap();
            let error_log = dir.path().join("error.log");
            let mut child = Command::new(&binary)
                .arg("-p")
                .arg(dir.path())
                .arg("-e")
                .arg(&error_log)
                .arg("-c")
                .arg(&conf)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("lancement de {} : {e}", binary.display()));
            let addr = SocketAddr::from(([127, 0, 0, 1], port));
            let deadline = Instant::now() + Duration::from_secs(15);
            loop {
                if let Some(status) = child.try_wait().unwrap() {
                    last_error = format!(
                        "nginx s'est arrêté ({status}) : {}",
                        std::fs::read_to_string(&error_log).unwrap_or_default()
                    );
                    break;
                }
                if tokio::net::TcpStream::connect(addr).await.is_ok() {
                    let pki = pki.clone();
                    return Nginx {
                        child,
                        addr,
                        pki,
                        dir,
                    };
                }
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("nginx n'écoute pas après 15 s");
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        panic!("nginx n'a pas démarré : {last_error}");
    }

    fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

/// The card's certificate as nginx forwards it (`$ssl_client_escaped_cert`: URL-encoded PEM).
fn escaped_cert(pki: &PkiLayout, card: Card) -> String {
    let pem =
        std::fs::read_to_string(pki.cards_dir().join(format!("{}.pem", card.file_name()))).unwrap();
    percent_encoding::utf8_percent_encode(&pem, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// One plain-HTTP request straight to a TOM instance, from `from` (a loopback address).
async fn send_direct(
    from: IpAddr,
    to: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> TestResponse {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(from, 0)).unwrap();
    let tcp = socket.connect(to).await.unwrap();
    exchange(tcp, method, path, headers, Vec::new()).await
}

/// Where a test's request goes: through nginx over TLS, presenting the card, or straight to
/// one instance as nginx sends it (from the proxy's address, the card in its header).
#[derive(Clone, Copy)]
enum Via<'a> {
    Nginx(&'a Nginx),
    Instance(&'a TestApp),
}

impl Via<'_> {
    async fn request(
        self,
        card: Option<Card>,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        match self {
            Via::Nginx(nginx) => {
                let config = client_config(&nginx.pki, card, rustls::DEFAULT_VERSIONS);
                send(nginx.addr, config, method, path, headers, Vec::new())
                    .await
                    .0
            }
            Via::Instance(app) => {
                let cert = card.map(|card| escaped_cert(&app.pki, card));
                let mut all = vec![("x-ssl-protocol", "TLSv1.3")];
                if let Some(cert) = &cert {
                    all.push(("x-ssl-client-cert", cert));
                }
                all.extend_from_slice(headers);
                send_direct(proxy_address(), app.addr, method, path, &all).await
            }
        }
    }

    async fn diagnostic(self, card: Option<Card>) -> serde_json::Value {
        let r = self.request(card, "GET", "/api/diagnostic", &[]).await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        r.json()
    }

    /// "Se connecter avec ma carte", as TOM's own pages do it.
    async fn post_login(self, card: Option<Card>) -> TestResponse {
        let headers = [("x-csrf-token", "connexion"), ("origin", PUBLIC_URL)];
        self.request(card, "POST", "/api/session", &headers).await
    }

    async fn login(self, card: Card) -> Session {
        Session::opened_by(&self.post_login(Some(card)).await)
    }

    async fn get_me(self, card: Card, session: &Session) -> TestResponse {
        let cookie = [("cookie", session.cookie.as_str())];
        self.request(Some(card), "GET", "/api/me", &cookie).await
    }

    async fn logout(self, card: Card, session: &Session) -> TestResponse {
        let headers = [
            ("cookie", session.cookie.as_str()),
            ("x-csrf-token", session.csrf.as_str()),
            ("origin", PUBLIC_URL),
        ];
        self.request(Some(card), "DELETE", "/api/session", &headers)
            .await
    }
}

#[tokio::test]
async fn a_card_presented_to_nginx_logs_in_and_reaches_me() {
    let app = spawn_behind_proxy().await;
    let nginx = Nginx::start(&app.pki, &[app.addr]).await;
    let via = Via::Nginx(&nginx);
    let d = via.diagnostic(Some(Card::MandataireA)).await;
    assert_eq!(d["verdict"], "ok", "{d} {}", nginx.error_log());
    assert_eq!(d["tls_version"], "TLSv1.3");
    assert_eq!(d["card_type"], "CPE");
    let tls12 = client_config(
        &app.pki,
        Some(Card::MandataireA),
        &[&rustls::version::TLS12],
    );
    let (r, _) = send(nginx.addr, tls12, "GET", "/api/diagnostic", &[], Vec::new()).await;
    assert_eq!(r.json()["tls_version"], "TLSv1.2");

    let session = via.login(Card::MandataireA).await;
    let me = via.get_me(Card::MandataireA, &session).await;
    assert_eq!(me.status, 200, "{}", String::from_utf8_lossy(&me.body));
    assert_eq!(
        me.json()["structures"][0]["id"],
        crate::helpers::STRUCTURE_A
    );
    // The session is bound to the card: another card with the same cookie is not let in.
    let other = via.get_me(Card::MandataireB, &session).await;
    assert_eq!(other.status, 401);
    assert_eq!(via.logout(Card::MandataireA, &session).await.status, 204);
}

/// nginx keeps its connections to TOM open (`keepalive`) and sends one client after another on
/// them: each request gets the verdict of its own card. nginx itself answers 400 to an expired
/// card or one of an unknown CA, even with `optional_no_ca`: the example hands those requests
/// to TOM all the same (`error_page 495`), so that TOM explains.
#[tokio::test]
async fn refused_cards_get_their_own_verdict_through_nginx() {
    let app = spawn_behind_proxy().await;
    let nginx = Nginx::start(&app.pki, &[app.addr]).await;
    let via = Via::Nginx(&nginx);
    for (card, verdict) in [
        (Some(Card::Expiree), "expired"),
        (Some(Card::MandataireA), "ok"),
        (Some(Card::Revoquee), "revoked"),
        (Some(Card::AcInconnue), "unknown_ca"),
        (Some(Card::NonCpx), "not_cpx"),
        (None, "no_certificate"),
        (Some(Card::MandataireB), "ok"),
    ] {
        let d = via.diagnostic(card).await;
        assert_eq!(d["verdict"], verdict, "{card:?} : {d}");
        assert_eq!(d["certificate_presented"], card.is_some(), "{card:?}");
    }
    let d = via.diagnostic(Some(Card::Expiree)).await;
    assert!(d["not_after"].is_string() && d["advice"].is_string(), "{d}");
    for (card, code) in [
        (Some(Card::Expiree), "card_refused"),
        (Some(Card::AcInconnue), "card_refused"),
        (None, "no_certificate"),
    ] {
        let r = via.post_login(card).await;
        assert_eq!((r.status, r.code()), (401, code.to_string()), "{card:?}");
    }
}

/// The card header counts only from the proxy's address: sent by a client to nginx, nginx
/// replaces it; sent straight to TOM from elsewhere, TOM ignores it (as if no card).
#[tokio::test]
async fn a_forged_card_header_is_ignored_unless_it_comes_from_the_proxy() {
    let app = spawn_behind_proxy().await;
    let nginx = Nginx::start(&app.pki, &[app.addr]).await;
    let forged = escaped_cert(&app.pki, Card::MandataireA);
    let headers = [
        ("x-ssl-client-cert", forged.as_str()),
        ("x-ssl-protocol", "TLSv1.3"),
    ];
    let through_nginx = Via::Nginx(&nginx)
        .request(None, "GET", "/api/diagnostic", &headers)
        .await;
    assert_eq!(through_nginx.json()["verdict"], "no_certificate");

    let direct = send_direct(
        client_address(),
        app.addr,
        "GET",
        "/api/diagnostic",
        &headers,
    )
    .await;
    let d = direct.json();
    assert_eq!(d["verdict"], "no_certificate", "{d}");
    assert_eq!(d["certificate_presented"], false);
    assert_eq!(d["tls_version"], "inconnue");
    let login = send_direct(
        client_address(),
        app.addr,
        "POST",
        "/api/session",
        &[
            headers[0],
            ("x-csrf-token", "connexion"),
            ("origin", PUBLIC_URL),
        ],
    )
    .await;
    assert_eq!((login.status, login.code()), (401, "no_certificate".into()));

    // The very same request from the proxy's address is believed.
    let from_proxy = send_direct(
        proxy_address(),
        app.addr,
        "GET",
        "/api/diagnostic",
        &headers,
    )
    .await;
    assert_eq!(from_proxy.json()["verdict"], "ok");
    assert_eq!(from_proxy.json()["tls_version"], "TLSv1.3");
    // A header that holds no certificate is a malformed card, not a crash.
    let garbage = send_direct(
        proxy_address(),
        app.addr,
        "GET",
        "/api/diagnostic",
        &[("x-ssl-client-cert", "pas%20un%20certificat")],
    )
    .await;
    assert_eq!(garbage.json()["verdict"], "malformed");
    // An empty header is how proxies say there is no card.
    let empty = send_direct(
        proxy_address(),
        app.addr,
        "GET",
        "/api/diagnostic",
        &[("x-ssl-client-cert", "")],
    )
    .await;
    assert_eq!(empty.json()["verdict"], "no_certificate");
}

/// The limits count the client's address: the one nginx saw (its `X-Forwarded-For`), not
/// nginx's own; from anyone else, `X-Forwarded-For` is ignored.
#[tokio::test]
async fn limits_count_the_address_nginx_saw() {
    let app = spawn_behind_proxy().await;
    let nginx = Nginx::start(&app.pki, &[app.addr]).await;
    let count = |address: &'static str| {
        let db = app.db.clone();
        async move {
            server::auth::store::count_attempts(&db, &format!("connexion:adresse:{address}"), 0)
                .await
                .unwrap()
        }
    };
    let claimed = [
        ("x-csrf-token", "connexion"),
        ("origin", PUBLIC_URL),
        ("x-forwarded-for", "198.51.100.7"),
    ];
    let refused = Via::Nginx(&nginx)
        .request(None, "POST", "/api/session", &claimed)
        .await;
    assert_eq!(refused.status, 401);
    assert_eq!(count("127.0.0.1").await, 1, "l'adresse du client");
    assert_eq!(count("127.0.0.3").await, 0, "pas celle de nginx");
    assert_eq!(
        count("198.51.100.7").await,
        0,
        "pas celle que le client prétend"
    );
    let direct = send_direct(client_address(), app.addr, "POST", "/api/session", &claimed).await;
    assert_eq!(direct.status, 401);
    assert_eq!(count("127.0.0.1").await, 2);
    assert_eq!(count("198.51.100.7").await, 0);
}

/// Two instances on one database behind nginx's round robin: a session opened through either
/// is valid on both, a revocation one instance reads is applied by the other within the CRL
/// poll interval (the second reads another CRL file: it learns it from the database), and a
/// logout on one ends the session on both.
#[tokio::test]
async fn two_instances_behind_nginx_share_sessions_revocations_and_logouts() {
    let first = spawn_behind_proxy().await;
    let elsewhere = tempfile::tempdir().unwrap();
    let its_crl = elsewhere.path().join("personnes.crl");
    std::fs::copy(first.pki.crl(), &its_crl).unwrap();
    let second = first
        .second_instance_with(|c| {
            c.crls = vec![its_crl.clone()];
            c.issuing_crl = its_crl.clone();
        })
        .await;
    let nginx = Nginx::start(&first.pki, &[first.addr, second.addr]).await;
    let (via_nginx, one, two) = (
        Via::Nginx(&nginx),
        Via::Instance(&first),
        Via::Instance(&second),
    );

    // Opened through nginx, the session is valid on each instance and on every round.
    let session = via_nginx.login(Card::MandataireA).await;
    for via in [via_nginx, via_nginx, via_nginx, via_nginx, one, two] {
        let me = via.get_me(Card::MandataireA, &session).await;
        assert_eq!(me.status, 200, "{}", String::from_utf8_lossy(&me.body));
    }

    // Logged out on the first, the session is over on the second too.
    assert_eq!(one.logout(Card::MandataireA, &session).await.status, 204);
    for via in [two, one] {
        let me = via.get_me(Card::MandataireA, &session).await;
        assert_eq!((me.status, me.code()), (401, "session_required".into()));
    }

    // Revoked in the CRL only the first instance reads: the second refuses the card within
    // the poll interval (the first reads the file, then the second the database).
    let session = via_nginx.login(Card::MandataireA).await;
    let crl_before = std::fs::read(&its_crl).unwrap();
    let revoked = vec![first.card_serial(Card::MandataireA)];
    server::pki::write_crl(&first.pki, time::OffsetDateTime::now_utc(), 2, revoked).unwrap();
    let poll = Duration::from_secs(first.config.crl_poll_seconds);
    let deadline = Instant::now() + 2 * poll + Duration::from_secs(4);
    loop {
        let d = two.diagnostic(Some(Card::MandataireA)).await;
        if d["verdict"] == "revoked" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "la seconde instance accepte encore la carte révoquée : {d}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Only the database carried it there: the second instance's own file is brought up to date
    // from the database (it serves it at /crl/personnes.crl), never the other way round.
    second
        .eventually(
            "le fichier de la seconde instance mis à jour depuis la base",
            || async {
                std::fs::read(&its_crl).unwrap() == std::fs::read(first.pki.crl()).unwrap()
            },
        )
        .await;
    assert_ne!(std::fs::read(&its_crl).unwrap(), crl_before);
    let me = two.get_me(Card::MandataireA, &session).await;
    assert_eq!((me.status, me.code()), (401, "card_refused".into()));
    // And through nginx, whichever instance answers.
    for _ in 0..2 {
        let d = via_nginx.diagnostic(Some(Card::MandataireA)).await;
        assert_eq!(d["verdict"], "revoked", "{d}");
    }
}

use crate::helpers::{client_config, diagnostic_over, spawn_app, spawn_app_with, Card};

#[tokio::test]
async fn tls_1_2_is_offered_and_reported() {
    let app = spawn_app().await;
    let config = client_config(
        &app.pki,
        Some(Card::MandataireA),
        &[&rustls::version::TLS12],
    );
    let (d, _) = diagnostic_over(app.addr, config).await;
    assert_eq!(d["tls_version"], "TLSv1.2");
    assert_eq!(d["verdict"], "ok");
    let config = client_config(
        &app.pki,
        Some(Card::MandataireA),
        &[&rustls::version::TLS13],
    );
    let (d, _) = diagnostic_over(app.addr, config).await;
    assert_eq!(d["tls_version"], "TLSv1.3");
}

#[tokio::test]
async fn a_new_crl_is_applied_without_a_restart() {
    let app = spawn_app().await;
    assert_eq!(
        app.get_diagnostic(Some(Card::MandataireA)).await.json()["verdict"],
        "ok"
    );
    let serials = vec![
        app.card_serial(Card::Revoquee),
        app.card_serial(Card::MandataireA),
    ];
    server::pki::write_crl(&app.pki, time::OffsetDateTime::now_utc(), 2, serials).unwrap();
    app.eventually("la carte révoquée est refusée", || async {
        app.get_diagnostic(Some(Card::MandataireA)).await.json()["verdict"] == "revoked"
    })
    .await;
}

/// Two CRLs of the PERSONNES CA: number 2, empty, and number 3, revoking mandataire A's card.
fn older_and_revoking(
    app: &crate::helpers::TestApp,
    now: time::OffsetDateTime,
) -> (
    rcgen::CertificateRevocationList,
    rcgen::CertificateRevocationList,
) {
    let crl = |number, serials| server::pki::personnes_crl(&app.pki, now, number, serials).unwrap();
    (
        crl(2, vec![]),
        crl(3, vec![app.card_serial(Card::MandataireA)]),
    )
}

/// A PEM file holding several CRLs (the usual way to give a server several CRLs): every one is
/// applied, whatever its place; one that cannot be verified (an impostor reusing the CA's name)
/// is refused without hiding the others.
#[tokio::test]
async fn every_crl_of_a_pem_bundle_is_applied() {
    let app = spawn_app().await;
    let now = time::OffsetDateTime::now_utc();
    let (older, revoking) = older_and_revoking(&app, now);
    let impostor = {
        let key = rcgen::KeyPair::generate().unwrap();
        server::pki::crl_params(now, 9, vec![])
            .signed_by(&server::pki::personnes_issuer(key))
            .unwrap()
    };
    // The revoking CRL second, after an older one and an impostor's.
    let bundle = format!(
        "{}{}{}",
        impostor.pem().unwrap(),
        older.pem().unwrap(),
        revoking.pem().unwrap()
    );
    std::fs::write(app.pki.crl(), bundle).unwrap();
    app.eventually("la CRL placée en second est appliquée", || async {
        app.get_diagnostic(Some(Card::MandataireA)).await.json()["verdict"] == "revoked"
    })
    .await;
}

/// The same for CRLs in DER, one after the other in one file.
#[tokio::test]
async fn every_crl_of_a_der_file_is_applied() {
    let app = spawn_app().await;
    let now = time::OffsetDateTime::now_utc();
    let (older, revoking) = older_and_revoking(&app, now);
    let mut der = older.der().to_vec();
    der.extend_from_slice(revoking.der());
    std::fs::write(app.pki.crl(), der).unwrap();
    app.eventually("la seconde CRL DER est appliquée", || async {
        app.get_diagnostic(Some(Card::MandataireA)).await.json()["verdict"] == "revoked"
    })
    .await;
}

#[tokio::test]
async fn a_resumed_tls_session_is_checked_again() {
    for version in [&rustls::version::TLS13, &rustls::version::TLS12] {
        let app = spawn_app().await;
        // One client configuration, so its session cache lets the second connection resume.
        let config = client_config(&app.pki, Some(Card::MandataireA), &[version]);
        let (d, _) = diagnostic_over(app.addr, config.clone()).await;
        assert_eq!(d["verdict"], "ok");
        let serials = vec![app.card_serial(Card::MandataireA)];
        server::pki::write_crl(&app.pki, time::OffsetDateTime::now_utc(), 2, serials).unwrap();
        // Poll until the new CRL is loaded; the last connection must be a resumed one.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let resumed_and_refused = loop {
            let (d, resumed) = diagnostic_over(app.addr, config.clone()).await;
            if d["verdict"] == "revoked" {
                break resumed;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "délai dépassé : la CRL n'a pas été rechargée"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        };
        assert!(
            resumed_and_refused,
            "{version:?} : la dernière connexion devait être une reprise de session"
        );
    }
}

#[tokio::test]
async fn a_crl_signed_by_an_unknown_authority_stops_start_up() {
    let app = spawn_app().await;
    // A CRL file replaced by garbage: the running server keeps its CRLs and says so in its log,
    // and a new server refuses to start on it, naming the key.
    std::fs::write(app.pki.crl(), b"pas une CRL").unwrap();
    let env = std::collections::HashMap::from([
        (
            "TOM_DATA_DIR".to_string(),
            app.pki.dir.parent().unwrap().display().to_string(),
        ),
        ("TOM_LISTEN".to_string(), "127.0.0.1:0".to_string()),
    ]);
    let (config, _) = server::config::Config::load(None, &env).unwrap();
    let err = match server::startup::Application::build(config).await {
        Ok(_) => panic!("le serveur a démarré sur une CRL illisible"),
        Err(e) => format!("{e:#}"),
    };
    assert!(err.contains("TOM_CRLS"), "{err}");
    assert_eq!(
        app.get_diagnostic(Some(Card::Revoquee)).await.json()["verdict"],
        "revoked"
    );
}

/// A TLS connection to the app with mandataire A's card, handshake done.
async fn tls_connection(
    app: &crate::helpers::TestApp,
) -> std::io::Result<tokio_rustls::client::TlsStream<tokio::net::TcpStream>> {
    let config =
        crate::helpers::client_config(&app.pki, Some(Card::MandataireA), rustls::DEFAULT_VERSIONS);
    let tcp = tokio::net::TcpStream::connect(app.addr).await?;
    tokio_rustls::TlsConnector::from(config)
        .connect(
            rustls::pki_types::ServerName::try_from("localhost").unwrap(),
            tcp,
        )
        .await
}

/// Whether the server closes `stream` within `within` (reads end, or fail).
async fn closed_within<S: tokio::io::AsyncRead + Unpin>(stream: &mut S, within: u64) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 256];
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(within),
        stream.read(&mut buf),
    )
    .await;
    !matches!(read, Err(_) | Ok(Ok(1..)))
}

/// Beyond `max_connections`, a new connection is closed at once; a freed slot is taken again.
#[tokio::test]
async fn connections_are_capped() {
    let app = crate::helpers::spawn_app_with(&[("TOM_MAX_CONNECTIONS", "2")]).await;
    let first = tls_connection(&app).await.unwrap();
    let second = tls_connection(&app).await.unwrap();
    // The third: closed before or right after its handshake.
    match tls_connection(&app).await {
        Err(_) => {}
        Ok(mut third) => assert!(closed_within(&mut third, 5).await, "troisième connexion"),
    }
    drop(first);
    drop(second);
    app.eventually("une place libérée est reprise", || async {
        match tls_connection(&app).await {
            Ok(mut s) => !closed_within(&mut s, 1).await,
            Err(_) => false,
        }
    })
    .await;
}

/// A client that sends its headers too slowly (or never finishes its handshake) is cut off
/// after `header_read_seconds`.
#[tokio::test]
async fn a_slow_client_is_cut_off() {
    use tokio::io::AsyncWriteExt;
    let app = crate::helpers::spawn_app_with(&[("TOM_HEADER_READ_SECONDS", "1")]).await;
    let mut slow = tls_connection(&app).await.unwrap();
    slow.write_all(b"GET /api/me HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    assert!(closed_within(&mut slow, 6).await, "en-têtes jamais finis");
    let mut silent = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    assert!(
        closed_within(&mut silent, 6).await,
        "poignée de main jamais commencée"
    );
    // A normal request still gets its answer.
    assert_eq!(
        app.get_diagnostic(Some(Card::MandataireA)).await.json()["verdict"],
        "ok"
    );
}

/// The certificate parameters of a new card for mandataire A (valid a month), and their
/// national identifier.
fn mandataire_a_params(app: &crate::helpers::TestApp) -> (rcgen::CertificateParams, String) {
    let entry = app
        .manifest
        .cards
        .iter()
        .find(|c| c.name == Card::MandataireA.file_name())
        .unwrap();
    let now = time::OffsetDateTime::now_utc();
    let params = server::pki::card_params(
        &server::pki::CardSubject {
            national_id: &entry.national_id,
            family_name: &entry.family_name,
            given_name: &entry.given_name,
            structure_id: &entry.structure_id,
            structure_name: "CHU DE DEMO",
            title: "Mandataire",
        },
        server::pki::CARD_POLICY_OID,
        now - time::Duration::days(1),
        now + time::Duration::days(30),
        "https://localhost/crl/personnes.crl",
    );
    (params, entry.national_id.clone())
}

/// Mandataire A's card issued again by the PERSONNES CA (`issuer`: its own name, or the same
/// name written otherwise), with its subject's common name written by `cn`.
fn mandataire_a_card(
    app: &crate::helpers::TestApp,
    cn: impl Fn(&str) -> rcgen::DnValue,
    issuer: Option<rcgen::Issuer<'static, rcgen::KeyPair>>,
) -> (std::sync::Arc<rustls::ClientConfig>, Vec<u8>) {
    let (mut params, national_id) = mandataire_a_params(app);
    params.distinguished_name.remove(rcgen::DnType::CommonName);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, cn(&national_id));
    let key = rcgen::KeyPair::generate().unwrap();
    let issuer = issuer.unwrap_or_else(|| {
        let ca_key =
            rcgen::KeyPair::from_pem(&std::fs::read_to_string(app.pki.personnes_key()).unwrap())
                .unwrap();
        server::pki::personnes_issuer(ca_key)
    });
    let cert = params.signed_by(&key, &issuer).unwrap();
    let ca = server::pki::pem_to_der(&std::fs::read_to_string(app.pki.personnes_cert()).unwrap())
        .unwrap();
    let serial = params.serial_number.as_ref().unwrap().to_bytes();
    (
        crate::helpers::client_config_with(
            &app.pki,
            vec![cert.der().to_vec(), ca],
            key.serialize_der(),
        ),
        serial,
    )
}

/// A common name written as a BMPString or a TeletexString (older card middleware and CAs) is
/// read by meaning: the card is a CPx card and logs in as its holder.
#[tokio::test]
async fn a_common_name_in_bmp_or_teletex_string_is_read() {
    let app = spawn_app().await;
    let national_id = |app: &crate::helpers::TestApp| {
        app.manifest
            .cards
            .iter()
            .find(|c| c.name == Card::MandataireA.file_name())
            .unwrap()
            .national_id
            .clone()
    };
    type Writer = Box<dyn Fn(&str) -> rcgen::DnValue>;
    let writers: [(&str, Writer); 3] = [
        (
            "BMPString",
            Box::new(|s| rcgen::DnValue::BmpString(s.try_into().unwrap())),
        ),
        (
            "TeletexString",
            Box::new(|s| rcgen::DnValue::TeletexString(s.try_into().unwrap())),
        ),
        (
            "UniversalString",
            Box::new(|s| rcgen::DnValue::UniversalString(s.try_into().unwrap())),
        ),
    ];
    for (kind, writer) in writers {
        let (config, _) = mandataire_a_card(&app, writer, None);
        let (d, _) = diagnostic_over(app.addr, config.clone()).await;
        assert_eq!(d["verdict"], "ok", "{kind}: {d}");
        let origin = format!("https://localhost:{}", app.addr.port());
        let (r, _) = crate::helpers::send(
            app.addr,
            config,
            "POST",
            "/api/session",
            &[("x-csrf-token", "connexion"), ("origin", &origin)],
            Vec::new(),
        )
        .await;
        assert_eq!(
            r.status,
            201,
            "{kind}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(
            r.json()["holder"]["national_id"],
            national_id(&app),
            "{kind}"
        );
    }
}

/// The card's issuer name written with other string types and another case than the CA's own
/// subject: the chain is still built (names compared per RFC 5280 §7.1), and the CA's CRL still
/// revokes the card.
#[tokio::test]
async fn an_issuer_name_written_otherwise_still_chains_and_is_revoked() {
    let app = spawn_app().await;
    let now = time::OffsetDateTime::now_utc();
    let mut params = server::pki::personnes_params(now);
    let mut name = rcgen::DistinguishedName::new();
    for (ty, value) in params.distinguished_name.iter() {
        let text = match value {
            rcgen::DnValue::Utf8String(s) => s.clone(),
            rcgen::DnValue::PrintableString(s) => s.as_str().to_string(),
            other => panic!("{other:?}"),
        };
        // Lower case, as PrintableString: the same name by meaning, other bytes.
        let lower = text.to_lowercase();
        name.push(
            ty.clone(),
            rcgen::DnValue::PrintableString(lower.as_str().try_into().unwrap()),
        );
    }
    params.distinguished_name = name;
    let ca_key =
        rcgen::KeyPair::from_pem(&std::fs::read_to_string(app.pki.personnes_key()).unwrap())
            .unwrap();
    let issuer = rcgen::Issuer::new(params, ca_key);
    let (config, serial) = mandataire_a_card(
        &app,
        |s| rcgen::DnValue::Utf8String(s.to_string()),
        Some(issuer),
    );
    let (d, _) = diagnostic_over(app.addr, config.clone()).await;
    assert_eq!(d["verdict"], "ok", "{d}");
    server::pki::write_crl(&app.pki, now, 2, vec![serial]).unwrap();
    app.eventually(
        "la CRL de l'AC révoque la carte au nom d'émetteur réécrit",
        || async { diagnostic_over(app.addr, config.clone()).await.0["verdict"] == "revoked" },
    )
    .await;
}

/// A CRL of the PERSONNES CA whose `thisUpdate` was `age` ago (valid seven days from then),
/// revoking `serials`, written where TOM reads it.
fn write_crl_aged(
    app: &crate::helpers::TestApp,
    age: time::Duration,
    number: u64,
    serials: Vec<Vec<u8>>,
) {
    let then = time::OffsetDateTime::now_utc() - age;
    let key = rcgen::KeyPair::from_pem(&std::fs::read_to_string(app.pki.personnes_key()).unwrap())
        .unwrap();
    let crl = server::pki::crl_params(then, number, serials)
        .signed_by(&server::pki::personnes_issuer(key))
        .unwrap();
    std::fs::write(app.pki.crl(), crl.der()).unwrap();
}

/// A CRL past its nextUpdate beyond the grace period: the cards of its authority get
/// `revocation_unknown` (fail closed, the default), or are accepted when the policy says so.
/// (TOM signs another CRL here, so that the stale one is not made fresh by TOM itself.)
#[tokio::test]
async fn a_stale_crl_fails_closed_by_default_and_open_if_configured() {
    let other = tempfile::tempdir().unwrap();
    let elsewhere = other.path().join("autre.crl");
    let elsewhere = elsewhere.to_str().unwrap();
    let app = spawn_app_with(&[("TOM_ISSUING_CRL", elsewhere)]).await;
    // Valid from nine days ago to two days ago: a day beyond the default grace of 24 hours.
    write_crl_aged(&app, time::Duration::days(9), 2, vec![]);
    app.eventually(
        "la carte de l'autorité à la CRL périmée est refusée",
        || async {
            app.get_diagnostic(Some(Card::MandataireA)).await.json()["verdict"]
                == "revocation_unknown"
        },
    )
    .await;
    let d = app.get_diagnostic(Some(Card::MandataireA)).await.json();
    assert!(
        d["advice"]
            .as_str()
            .unwrap()
            .contains("ne sont pas en cause"),
        "{d}"
    );
    // Within the grace period: accepted.
    write_crl_aged(
        &app,
        time::Duration::days(7) + time::Duration::hours(2),
        3,
        vec![],
    );
    app.eventually("dans le délai de grâce, la carte est acceptée", || async {
        app.get_diagnostic(Some(Card::MandataireA)).await.json()["verdict"] == "ok"
    })
    .await;
    let open = spawn_app_with(&[
        ("TOM_ISSUING_CRL", elsewhere),
        ("TOM_CRL_STALE_POLICY", "accepter"),
    ])
    .await;
    write_crl_aged(&open, time::Duration::days(9), 2, vec![]);
    // The stale CRL is applied (a revoked card stays refused)…
    write_crl_aged(
        &open,
        time::Duration::days(9),
        3,
        vec![open.card_serial(Card::Revoquee)],
    );
    open.eventually("la CRL périmée est appliquée", || async {
        open.get_diagnostic(Some(Card::Revoquee)).await.json()["verdict"] == "revoked"
    })
    .await;
    // …and the others are accepted, as configured.
    assert_eq!(
        open.get_diagnostic(Some(Card::MandataireA)).await.json()["verdict"],
        "ok"
    );
}

/// TOM's own CRL is signed again well before its nextUpdate, keeping its revocations, and the
/// new one is what the distribution point serves, as application/pkix-crl.
#[tokio::test]
async fn toms_own_crl_is_signed_again_before_its_next_update() {
    let app = spawn_app().await;
    let revoked = app.card_serial(Card::Revoquee);
    // Six days old: one day left, less than half its validity.
    write_crl_aged(&app, time::Duration::days(6), 5, vec![revoked.clone()]);
    let read = || {
        let der = std::fs::read(app.pki.crl()).unwrap();
        let (_, crl) = x509_parser::prelude::parse_x509_crl(&der).unwrap();
        let number = crl
            .crl_number()
            .map(|n| u64::try_from(n.clone()).unwrap())
            .unwrap_or(0);
        let next = crl.next_update().unwrap().timestamp();
        let serials: Vec<Vec<u8>> = crl
            .iter_revoked_certificates()
            .map(|r| r.raw_serial().to_vec())
            .collect();
        (number, next, serials)
    };
    app.eventually("la CRL est signée de nouveau", || async { read().0 > 5 })
        .await;
    let (number, next, serials) = read();
    assert_eq!(number, 6);
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    assert!(
        next > now + 6 * 24 * 3600,
        "nextUpdate {next}, maintenant {now}"
    );
    assert_eq!(serials, vec![revoked]);
    assert_eq!(
        app.get_diagnostic(Some(Card::Revoquee)).await.json()["verdict"],
        "revoked"
    );
    let r = app.request(None, "GET", "/crl/personnes.crl", &[]).await;
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/pkix-crl")
    );
    assert_eq!(r.body, std::fs::read(app.pki.crl()).unwrap());
}

/// A second IGC-Santé-like range: its own root and PERSONNES intermediate (`cn`). Returns the
/// root's PEM, the intermediate's DER and the intermediate as an issuer.
fn second_range(cn: &str) -> (String, Vec<u8>, rcgen::Issuer<'static, rcgen::KeyPair>) {
    let now = time::OffsetDateTime::now_utc();
    let ca = |name: &str, depth: u8| {
        let mut p = rcgen::CertificateParams::default();
        let mut dn = rcgen::DistinguishedName::new();
        dn.push(rcgen::DnType::CountryName, "FR");
        dn.push(rcgen::DnType::OrganizationName, "ASIP-SANTE");
        dn.push(rcgen::DnType::CommonName, name);
        p.distinguished_name = dn;
        p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Constrained(depth));
        p.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
        ];
        p.not_before = now - time::Duration::days(1);
        p.not_after = now + time::Duration::days(365);
        p
    };
    let root_key = rcgen::KeyPair::generate().unwrap();
    let root_params = ca("TEST RACINE IGC-SANTE GAMME 2", 1);
    let root = root_params.self_signed(&root_key).unwrap();
    let root_issuer = rcgen::Issuer::new(root_params, root_key);
    let int_key = rcgen::KeyPair::generate().unwrap();
    let int_params = ca(cn, 0);
    let intermediate = int_params.signed_by(&int_key, &root_issuer).unwrap();
    (
        root.pem(),
        intermediate.der().to_vec(),
        rcgen::Issuer::new(int_params, int_key),
    )
}

/// A CPx card for mandataire A issued by `issuer`: (certificate DER, key PKCS#8).
fn card_from(
    app: &crate::helpers::TestApp,
    issuer: &rcgen::Issuer<'static, rcgen::KeyPair>,
) -> (Vec<u8>, Vec<u8>) {
    let (params, _) = mandataire_a_params(app);
    let key = rcgen::KeyPair::generate().unwrap();
    let card = params.signed_by(&key, issuer).unwrap();
    (card.der().to_vec(), key.serialize_der())
}

/// Several trust anchors at once, and a card's intermediate taken from what the workstation
/// sends or from TOM's own trust anchors; missing from both: `missing_intermediate`, explained.
#[tokio::test]
async fn chains_use_the_sent_intermediate_or_a_known_one_and_several_roots_work_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let name = "TEST AC IGC-SANTE GAMME 2 PERSONNES";
    let (root_pem, intermediate, issuer) = second_range(name);
    let root_file = dir.path().join("racine-2.pem");
    std::fs::write(&root_file, &root_pem).unwrap();
    let int_file = dir.path().join("intermediaire-2.pem");
    std::fs::write(&int_file, pem_of(&intermediate)).unwrap();
    let anchors = |extra: &[&std::path::Path]| {
        let mut list = vec![
            "<pki>/ca/racine.pem".to_string(),
            "<pki>/ca/personnes.pem".into(),
        ];
        list.extend(extra.iter().map(|p| p.display().to_string()));
        list.join(",")
    };
    let app = spawn_app_with(&[("TOM_TRUST_ANCHORS", &anchors(&[&root_file]))]).await;
    let (card, key) = card_from(&app, &issuer);
    let verdict = |chain: Vec<Vec<u8>>, key: Vec<u8>| {
        let config = crate::helpers::client_config_with(&app.pki, chain, key);
        async move { diagnostic_over(app.addr, config).await.0 }
    };
    let d = verdict(vec![card.clone(), intermediate.clone()], key.clone()).await;
    assert_eq!(d["verdict"], "ok", "{d}");
    let d = verdict(vec![card.clone()], key.clone()).await;
    assert_eq!(d["verdict"], "missing_intermediate", "{d}");
    assert!(
        d["advice"]
            .as_str()
            .unwrap()
            .contains("autorité intermédiaire"),
        "{d}"
    );
    // The first range still works beside the second.
    assert_eq!(
        app.get_diagnostic(Some(Card::MandataireA)).await.json()["verdict"],
        "ok"
    );
    // An impostor intermediate reusing the trusted intermediate's name, under a root TOM does
    // not trust: refused as an unknown authority.
    let (_, impostor, impostor_issuer) = second_range(name);
    let (impostor_card, impostor_key) = card_from(&app, &impostor_issuer);
    let d = verdict(vec![impostor_card, impostor], impostor_key).await;
    assert_eq!(d["verdict"], "unknown_ca", "{d}");
    // The intermediate among TOM's trust anchors: the card alone is enough.
    let knowing =
        spawn_app_with(&[("TOM_TRUST_ANCHORS", &anchors(&[&root_file, &int_file]))]).await;
    let (card, key) = card_from(&knowing, &issuer);
    let config = crate::helpers::client_config_with(&knowing.pki, vec![card], key);
    assert_eq!(
        diagnostic_over(knowing.addr, config).await.0["verdict"],
        "ok"
    );
}

fn pem_of(der: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

/// A card with an unknown extension marked critical reaches TOM (the handshake only proves the
/// key) and is refused with its own explanation; certificatePolicies marked critical (allowed by
/// RFC 5280, and processed by TOM) is accepted.
#[tokio::test]
async fn critical_extensions_are_judged_by_tom_not_by_the_handshake() {
    let app = spawn_app().await;
    let ca_key =
        rcgen::KeyPair::from_pem(&std::fs::read_to_string(app.pki.personnes_key()).unwrap())
            .unwrap();
    let issuer = server::pki::personnes_issuer(ca_key);
    let ca = server::pki::pem_to_der(&std::fs::read_to_string(app.pki.personnes_cert()).unwrap())
        .unwrap();
    let with = |edit: &dyn Fn(&mut rcgen::CertificateParams)| {
        let (mut params, _) = mandataire_a_params(&app);
        edit(&mut params);
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &issuer).unwrap();
        crate::helpers::client_config_presenting(
            &app.pki,
            vec![cert.der().to_vec(), ca.clone()],
            key.serialize_der(),
        )
    };
    let unknown = with(&|p| {
        let mut ext =
            rcgen::CustomExtension::from_oid_content(&[1, 2, 250, 1, 999, 1], vec![0x05, 0x00]);
        ext.set_criticality(true);
        p.custom_extensions.push(ext);
    });
    let (d, _) = diagnostic_over(app.addr, unknown.clone()).await;
    assert_eq!(d["verdict"], "unsupported_critical_extension", "{d}");
    assert!(d["advice"].as_str().unwrap().contains("RFC 5280"), "{d}");
    // No data for it.
    let origin = format!("https://localhost:{}", app.addr.port());
    let (r, _) = crate::helpers::send(
        app.addr,
        unknown,
        "POST",
        "/api/session",
        &[("x-csrf-token", "connexion"), ("origin", &origin)],
        Vec::new(),
    )
    .await;
    assert_eq!(r.status, 401);
    let critical_policies = with(&|p| {
        for ext in &mut p.custom_extensions {
            ext.set_criticality(true);
        }
    });
    let (d, _) = diagnostic_over(app.addr, critical_policies).await;
    assert_eq!(d["verdict"], "ok", "{d}");
}

/// The operators see the CRLs applied, their freshness, and the files or CRLs refused; a
/// mandataire cannot.
#[tokio::test]
async fn operators_see_the_crls_applied_and_those_refused() {
    let app = spawn_app().await;
    let op = app.login(Card::Operateur).await;
    let report = app
        .get(Card::Operateur, &op, "/api/operator/crls")
        .await
        .json();
    assert_eq!(report["crls"].as_array().unwrap().len(), 1, "{report}");
    assert!(report["crls"][0]["issuer"]
        .as_str()
        .unwrap()
        .contains("PERSONNES"));
    assert_eq!(report["crls"][0]["state"], "a_jour");
    assert_eq!(report["grace_hours"], 24);
    assert!(report["problems"].as_array().unwrap().is_empty());
    // A bundle with a CRL of an impostor and a good one: the good one applied, the other listed.
    let now = time::OffsetDateTime::now_utc();
    let (older, revoking) = older_and_revoking(&app, now);
    let impostor = server::pki::crl_params(now, 9, vec![])
        .signed_by(&server::pki::personnes_issuer(
            rcgen::KeyPair::generate().unwrap(),
        ))
        .unwrap();
    std::fs::write(
        app.pki.crl(),
        format!(
            "{}{}{}",
            older.pem().unwrap(),
            impostor.pem().unwrap(),
            revoking.pem().unwrap()
        ),
    )
    .unwrap();
    app.eventually("le refus est visible des opérateurs", || async {
        let r = app
            .get(Card::Operateur, &op, "/api/operator/crls")
            .await
            .json();
        r["crls"][0]["number"] == 3 && r["problems"].as_array().unwrap().len() == 1
    })
    .await;
    let r = app
        .get(Card::Operateur, &op, "/api/operator/crls")
        .await
        .json();
    assert!(
        r["problems"][0].as_str().unwrap().contains("CRL n° 2"),
        "{r}"
    );
    let a = app.login(Card::RepresentantLegalA).await;
    let r = app
        .get(Card::RepresentantLegalA, &a, "/api/operator/crls")
        .await;
    assert_eq!(r.status, 403);
}

/// Test cards with RSA keys, which ring neither makes nor signs with below 2048 bits.
mod rsa_cards {
    use rsa::pkcs1::EncodeRsaPublicKey;
    use rsa::signature::{SignatureEncoding, Signer as _};
    use std::sync::Arc;

    /// The card's public key for rcgen: the PKCS#1 RSAPublicKey under rsaEncryption.
    struct RsaPublic(Vec<u8>);
    impl rcgen::PublicKeyData for RsaPublic {
        fn der_bytes(&self) -> &[u8] {
            &self.0
        }
        fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
            &rcgen::PKCS_RSA_SHA256
        }
    }

    /// A card's RSA key: PKCS#1 v1.5 signatures (old middleware, TLS 1.2), or RSA-PSS (`true`:
    /// TLS 1.3, which requires it).
    #[derive(Debug)]
    struct RsaKey(rsa::RsaPrivateKey, bool);
    impl rustls::sign::SigningKey for RsaKey {
        fn choose_scheme(
            &self,
            offered: &[rustls::SignatureScheme],
        ) -> Option<Box<dyn rustls::sign::Signer>> {
            let scheme = if self.1 {
                rustls::SignatureScheme::RSA_PSS_SHA256
            } else {
                rustls::SignatureScheme::RSA_PKCS1_SHA256
            };
            Some(scheme).filter(|s| offered.contains(s)).map(|scheme| {
                Box::new(RsaSigner(self.0.clone(), scheme)) as Box<dyn rustls::sign::Signer>
            })
        }
        fn algorithm(&self) -> rustls::SignatureAlgorithm {
            rustls::SignatureAlgorithm::RSA
        }
    }

    #[derive(Debug)]
    struct RsaSigner(rsa::RsaPrivateKey, rustls::SignatureScheme);
    impl rustls::sign::Signer for RsaSigner {
        fn sign(&self, message: &[u8]) -> Result<Vec<u8>, rustls::Error> {
            if self.1 == rustls::SignatureScheme::RSA_PSS_SHA256 {
                use rsa::signature::RandomizedSigner as _;
                let key = rsa::pss::SigningKey::<rsa::sha2::Sha256>::new(self.0.clone());
                return Ok(key.sign_with_rng(&mut rand::thread_rng(), message).to_vec());
            }
            let key = rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::new(self.0.clone());
            Ok(key.sign(message).to_vec())
        }
        fn scheme(&self) -> rustls::SignatureScheme {
            self.1
        }
    }

    /// The old CPS2ter key OID in place of rsaEncryption in the certificate's key, the
    /// certificate signed again by the CA: what cards of that generation carry.
    fn with_cps2ter_key_oid(cert: &[u8], ca_key: &rcgen::KeyPair) -> Vec<u8> {
        use rcgen::SigningKey as _;
        use x509_parser::asn1_rs::{Any, FromDer};
        let tlv = server::pki::der::tlv;
        let (_, parsed) = x509_parser::parse_x509_certificate(cert).unwrap();
        let tbs = parsed.tbs_certificate.as_ref();
        let spki = parsed.tbs_certificate.subject_pki.raw;
        let old_alg = [
            0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05,
            0x00,
        ];
        let new_alg = [
            0x30, 0x0C, 0x06, 0x08, 0x2A, 0x81, 0x7A, 0x01, 0x47, 0x02, 0x06, 0x01, 0x05, 0x00,
        ];
        let (_, spki_any) = Any::from_der(spki).unwrap();
        let key_bits = &spki_any.data[old_alg.len()..];
        let new_spki = tlv(0x30, &[&new_alg[..], key_bits].concat());
        let (_, tbs_any) = Any::from_der(tbs).unwrap();
        let content = tbs_any.data;
        let at = content.windows(spki.len()).position(|w| w == spki).unwrap();
        let new_tbs = tlv(
            0x30,
            &[&content[..at], &new_spki[..], &content[at + spki.len()..]].concat(),
        );
        let signature = ca_key.sign(&new_tbs).unwrap();
        // ecdsa-with-SHA256, as the CA signs.
        let alg = [
            0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02,
        ];
        let bits = tlv(0x03, &[&[0u8][..], &signature].concat());
        tlv(0x30, &[&new_tbs[..], &alg[..], &bits[..]].concat())
    }

    /// A client presenting mandataire A's card with an RSA key of `bits` (TLS 1.2, PKCS#1),
    /// its key written under the CPS2ter OID when `cps2ter`.
    pub fn client(
        app: &crate::helpers::TestApp,
        bits: usize,
        cps2ter: bool,
    ) -> Arc<rustls::ClientConfig> {
        client_over(app, bits, cps2ter, &[&rustls::version::TLS12])
    }

    /// The same card over the given TLS versions.
    pub fn client_over(
        app: &crate::helpers::TestApp,
        bits: usize,
        cps2ter: bool,
        versions: &[&'static rustls::SupportedProtocolVersion],
    ) -> Arc<rustls::ClientConfig> {
        let private = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), bits).unwrap();
        let public = RsaPublic(
            private
                .to_public_key()
                .to_pkcs1_der()
                .unwrap()
                .as_bytes()
                .to_vec(),
        );
        let ca_key =
            rcgen::KeyPair::from_pem(&std::fs::read_to_string(app.pki.personnes_key()).unwrap())
                .unwrap();
        let (params, _) = super::mandataire_a_params(app);
        let cert = params
            .signed_by(&public, &server::pki::personnes_issuer(ca_key))
            .unwrap()
            .der()
            .to_vec();
        let cert = if cps2ter {
            let ca_key = rcgen::KeyPair::from_pem(
                &std::fs::read_to_string(app.pki.personnes_key()).unwrap(),
            )
            .unwrap();
            with_cps2ter_key_oid(&cert, &ca_key)
        } else {
            cert
        };
        let ca =
            server::pki::pem_to_der(&std::fs::read_to_string(app.pki.personnes_cert()).unwrap())
                .unwrap();
        crate::helpers::client_config_signing(
            &app.pki,
            vec![cert, ca],
            Arc::new(RsaKey(private, versions.contains(&&rustls::version::TLS13))),
            versions,
        )
    }
}

/// An RSA-1024 card (old middleware, TLS 1.2): the proof of possession is accepted, and TOM
/// refuses the card as `weak_key`, explained, instead of a bare handshake failure.
#[tokio::test]
async fn an_rsa_1024_card_is_refused_as_a_weak_key_with_its_explanation() {
    let app = spawn_app().await;
    let (d, _) = diagnostic_over(app.addr, rsa_cards::client(&app, 1024, false)).await;
    assert_eq!(d["verdict"], "weak_key", "{d}");
    assert!(d["advice"].as_str().unwrap().contains("2048 bits"), "{d}");
    // Over TLS 1.3 too (RSA-PSS, which ring verifies from 2048 bits only): explained, not cut off.
    let tls13 = rsa_cards::client_over(&app, 1024, false, &[&rustls::version::TLS13]);
    let (d, _) = diagnostic_over(app.addr, tls13).await;
    assert_eq!(d["verdict"], "weak_key", "{d}");
    assert_eq!(d["tls_version"], "TLSv1.3", "{d}");
    // A 2048-bit RSA card over TLS 1.3 proves possession with RSA-PSS as usual, and passes.
    let good = rsa_cards::client_over(&app, 2048, false, &[&rustls::version::TLS13]);
    let (d, _) = diagnostic_over(app.addr, good).await;
    assert_eq!(d["verdict"], "ok", "{d}");
}

/// A card of the old CPS2ter generation (its RSA key under the private OID
/// 1.2.250.1.71.2.6.1): read as RSA for the handshake, then explained as `old_generation`.
#[tokio::test]
async fn a_cps2ter_card_is_explained_as_old_generation() {
    let app = spawn_app().await;
    let (d, _) = diagnostic_over(app.addr, rsa_cards::client(&app, 2048, true)).await;
    assert_eq!(d["verdict"], "old_generation", "{d}");
}

/// An X.509 version 1 certificate (no version field, no extensions) signed by the PERSONNES CA:
/// the handshake lets it through (any version), and TOM explains it is no CPx card certificate.
#[tokio::test]
async fn an_x509_v1_certificate_is_explained_as_no_card_certificate() {
    use rcgen::SigningKey as _;
    use x509_parser::asn1_rs::{Any, FromDer};
    let app = spawn_app().await;
    let tlv = server::pki::der::tlv;
    let ca_key =
        rcgen::KeyPair::from_pem(&std::fs::read_to_string(app.pki.personnes_key()).unwrap())
            .unwrap();
    let (params, _) = mandataire_a_params(&app);
    let key = rcgen::KeyPair::generate().unwrap();
    let v3 = params
        .signed_by(&key, &server::pki::personnes_issuer(ca_key))
        .unwrap();
    // The TBS's elements: [0] version, serial, signature, issuer, validity, subject, key, [3]
    // extensions; version 1 keeps the six in the middle.
    let (_, parsed) = x509_parser::parse_x509_certificate(v3.der()).unwrap();
    let (_, tbs) = Any::from_der(parsed.tbs_certificate.as_ref()).unwrap();
    let mut rest = tbs.data;
    let mut elements = Vec::new();
    while !rest.is_empty() {
        let (after, _) = Any::from_der(rest).unwrap();
        elements.push(&rest[..rest.len() - after.len()]);
        rest = after;
    }
    assert_eq!(elements.len(), 8);
    let v1_tbs = tlv(0x30, &elements[1..7].concat());
    let ca_key =
        rcgen::KeyPair::from_pem(&std::fs::read_to_string(app.pki.personnes_key()).unwrap())
            .unwrap();
    let signature = ca_key.sign(&v1_tbs).unwrap();
    let ecdsa_sha256 = [
        0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02,
    ];
    let bits = tlv(0x03, &[&[0u8][..], &signature].concat());
    let v1 = tlv(0x30, &[&v1_tbs[..], &ecdsa_sha256[..], &bits[..]].concat());
    let (_, check) = x509_parser::parse_x509_certificate(&v1).unwrap();
    assert_eq!(check.version(), x509_parser::x509::X509Version::V1);
    let ca = server::pki::pem_to_der(&std::fs::read_to_string(app.pki.personnes_cert()).unwrap())
        .unwrap();
    let config =
        crate::helpers::client_config_presenting(&app.pki, vec![v1, ca], key.serialize_der());
    let (d, _) = diagnostic_over(app.addr, config).await;
    assert_eq!(d["verdict"], "not_cpx", "{d}");
    assert_eq!(d["certificate_presented"], true);
}

/// TOM's end of every connection sends small writes at once (TCP_NODELAY): under Nagle's
/// algorithm a response waited for the client's delayed acknowledgement of the handshake's last
/// flight, about 25 ms per new connection (scripts/bench-tls.sh: 40 full handshakes per second
/// and per client instead of 740). The server runs in this process: its end of the connection is
/// found among the process's descriptors and asked.
#[tokio::test]
async fn accepted_connections_send_small_writes_at_once() {
    use std::os::fd::FromRawFd;
    let app = spawn_app().await;
    let tcp = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let client = tcp.local_addr().unwrap();
    let config = client_config(&app.pki, Some(Card::MandataireA), rustls::DEFAULT_VERSIONS);
    // Once the handshake is through, the server has accepted and set up the connection.
    let _tls = tokio_rustls::TlsConnector::from(config)
        .connect(
            rustls::pki_types::ServerName::try_from("localhost").unwrap(),
            tcp,
        )
        .await
        .unwrap();
    let mut server_end = None;
    for entry in std::fs::read_dir("/proc/self/fd").unwrap() {
        let name = entry.unwrap().file_name();
        let Ok(fd) = name.to_string_lossy().parse::<i32>() else {
            continue;
        };
        // SAFETY: the descriptor is only looked at, never closed (ManuallyDrop); on one that is
        // not a socket, or closed meanwhile, the calls below fail harmlessly.
        let socket = std::mem::ManuallyDrop::new(unsafe { std::net::TcpStream::from_raw_fd(fd) });
        if socket.peer_addr().ok() == Some(client) && socket.local_addr().ok() == Some(app.addr) {
            server_end = Some(socket.nodelay().unwrap());
        }
    }
    assert_eq!(
        server_end,
        Some(true),
        "TCP_NODELAY sur la connexion acceptée"
    );
}

//! The embedded SPA. These tests need the SPA built first (scripts/build-spa.sh).

use crate::helpers::spawn_app;

fn require_spa() {
    assert!(
        server::http::assets::ASSETS
            .iter()
            .any(|a| a.path == "/index.html"),
        "SPA absente du binaire : lancez scripts/build-spa.sh avant les tests"
    );
}

#[tokio::test]
async fn the_home_page_is_the_spa_shell_with_a_strict_csp() {
    require_spa();
    let app = spawn_app().await;
    let r = app.request(None, "GET", "/", &[]).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(r.header("cache-control").unwrap(), "no-cache");
    let csp = r.header("content-security-policy").unwrap();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
        "{csp}"
    );
    let html = String::from_utf8_lossy(&r.body);
    assert!(html.contains("lang=\"fr\""));
    assert!(!html.contains("<script>"), "pas de script en ligne");
}

/// Every answer, page or API, an error included, carries the security headers.
#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/", "/api/me", "/api/nexiste-pas", "/crl/personnes.crl"] {
        let r = app.request(None, "GET", path, &[]).await;
        let header = |name: &str| r.header(name).unwrap_or_default();
        assert!(
            header("strict-transport-security").starts_with("max-age=31536000"),
            "{path}"
        );
        assert!(
            header("content-security-policy").contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert_eq!(header("referrer-policy"), "no-referrer", "{path}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
    }
}

#[tokio::test]
async fn client_side_routes_work_on_reload() {
    require_spa();
    let app = spawn_app().await;
    let home = app.request(None, "GET", "/", &[]).await.body;
    for route in [
        "/espace",
        "/controle-du-poste",
        "/faq",
        "/espace/structures/1940000011",
    ] {
        let r = app.request(None, "GET", route, &[]).await;
        assert_eq!(r.status, 200, "{route}");
        assert_eq!(r.body, home, "{route}");
    }
    assert_eq!(
        app.request(None, "GET", "/absent.js", &[]).await.status,
        404
    );
}

#[tokio::test]
async fn hashed_assets_are_immutable_typed_and_compressed() {
    require_spa();
    let app = spawn_app().await;
    let wasm = server::http::assets::ASSETS
        .iter()
        .find(|a| a.path.ends_with(".wasm"))
        .unwrap();
    let r = app
        .request(None, "GET", wasm.path, &[("accept-encoding", "gzip, br")])
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type").unwrap(), "application/wasm");
    assert_eq!(r.header("content-encoding").unwrap(), "gzip");
    assert!(r.header("cache-control").unwrap().contains("immutable"));
    assert!(r.body.len() < wasm.raw.len());
    let r = app.request(None, "GET", wasm.path, &[]).await;
    assert!(r.header("content-encoding").is_none());
    assert_eq!(r.body.len(), wasm.raw.len());
    let js = server::http::assets::ASSETS
        .iter()
        .find(|a| a.path.starts_with("/app-"))
        .unwrap();
    let r = app.request(None, "GET", js.path, &[]).await;
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
}

#[tokio::test]
async fn the_crl_is_published_at_its_distribution_point() {
    let app = spawn_app().await;
    let r = app.request(None, "GET", "/crl/personnes.crl", &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type").unwrap(), "application/pkix-crl");
    assert_eq!(
        r.body.as_ref(),
        std::fs::read(app.pki.crl()).unwrap().as_slice()
    );
}

#[tokio::test]
async fn the_order_schema_and_model_are_published() {
    let app = spawn_app().await;
    let r = app
        .request(None, "GET", "/schemas/tom-commande-v1.xsd", &[])
        .await;
    assert_eq!(r.status, 200);
    assert!(String::from_utf8_lossy(&r.body).contains("urn:tom:commande:v1"));
    assert_eq!(
        app.request(None, "GET", "/schemas/modele-commande-cpe.xml", &[])
            .await
            .status,
        200
    );
    assert_eq!(
        app.request(None, "GET", "/schemas/inconnu.xsd", &[])
            .await
            .status,
        404
    );
}

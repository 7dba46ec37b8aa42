//! The embedded SPA: hashed assets cached forever, the shell for every client-side route, gzip
//! when the browser accepts it, and the security headers of every response.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

pub struct Asset {
    pub path: &'static str,
    pub mime: &'static str,
    pub immutable: bool,
    pub raw: &'static [u8],
    pub gzip: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// No inline script, no eval; wasm compilation allowed (toolchain.md §4).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; font-src 'self'; \
    object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000; includeSubDomains"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

fn find(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.path == path)
}

fn accepts_gzip(request: &Request) -> bool {
    request
        .headers()
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            v.split(',')
                .any(|e| e.trim().split(';').next() == Some("gzip"))
        })
}

fn respond(asset: &Asset, gzip: bool) -> Response {
    let cache = if asset.immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut builder = Response::builder()
        .header(header::CONTENT_TYPE, asset.mime)
        .header(header::CACHE_CONTROL, cache)
        .header(header::VARY, "Accept-Encoding");
    let body = if gzip {
        builder = builder.header(header::CONTENT_ENCODING, "gzip");
        asset.gzip
    } else {
        asset.raw
    };
    builder.body(Body::from(body)).expect("static response")
}

/// Serves an embedded file, or the SPA shell for a client-side route (a path without extension).
pub async fn serve_asset(request: Request) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let path = request.uri().path();
    let gzip = accepts_gzip(&request);
    if let Some(asset) = find(path).filter(|a| a.path != "/index.html") {
        return respond(asset, gzip);
    }
    let last = path.rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        return (StatusCode::NOT_FOUND, "Fichier introuvable.").into_response();
    }
    match find("/index.html") {
        Some(shell) => respond(shell, gzip),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "L'interface de TOM n'a pas été construite dans ce binaire : lancez scripts/build-spa.sh puis recompilez le serveur.",
        )
            .into_response(),
    }
}

/// The published order-file schema and the model order, from `schemas/`.
pub async fn serve_schema(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    let body: &'static [u8] = match name.as_str() {
        "tom-commande-v1.xsd" => include_bytes!("../../../schemas/tom-commande-v1.xsd"),
        "modele-commande-cpe.xml" => {
            include_bytes!("../../../schemas/examples/modele-commande-cpe.xml")
        }
        "commande-complete.xml" => {
            include_bytes!("../../../schemas/examples/commande-complete.xml")
        }
        _ => return (StatusCode::NOT_FOUND, "Fichier introuvable.").into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// The spreadsheet template for card orders.
pub async fn serve_template() -> Response {
    match crate::orders::template::order_template() {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"modele-commande-tom.xlsx\"",
                ),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "modèle de tableur");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The issuing CA's current CRL (the distribution point written in card certificates), as
/// TOM keeps it signed (`issuing_crl`).
pub async fn serve_crl(State(state): State<AppState>) -> Response {
    match tokio::fs::read(&state.config.issuing_crl).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/pkix-crl"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

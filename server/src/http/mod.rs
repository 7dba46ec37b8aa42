//! HTTP: the router is the merge of each feature's router (every route declared with
//! `#[utoipa::path]` and registered through `routes!`, so `/api/openapi.json` lists each one),
//! plus the assets, the OpenAPI document, the same-origin check and the shared query parameters.

pub mod assets;
pub mod csrf;
pub mod extract;
pub mod openapi;
pub mod params;

use axum::middleware;
use axum::Router;
use shared::errors::ErrorCode;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "TOM",
        description = "API de TOM, le téléservice de gestion des cartes CPx des établissements."
    ),
    components(schemas(shared::errors::ErrorBody))
)]
struct ApiDoc;

/// The error codes, documented once from the table the server answers with: code, HTTP status
/// and French message (the catalogue's).
fn error_codes_markdown() -> String {
    let mut out = String::from(
        "\n\n## Erreurs\n\nToute erreur est un corps `{\"code\", \"message\"}` (`ErrorBody`) : `code` est stable \
         (les programmes s'y fient), `message` est en français et dit quoi faire.\n\n\
         | code | statut HTTP | message |\n|---|---|---|\n",
    );
    for code in ErrorCode::ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            code.code(),
            code.status(),
            code.message()
        ));
    }
    out
}

/// The API routes and their OpenAPI description, built together.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let mut doc = ApiDoc::openapi();
    let description = doc.info.description.take().unwrap_or_default();
    doc.info.description = Some(description + &error_codes_markdown());
    OpenApiRouter::with_openapi(doc)
        .merge(crate::session::router())
        .merge(crate::structures::router())
        .merge(crate::orders::router())
        .merge(crate::fleet::router())
        .merge(crate::backoffice::router())
        .merge(crate::register::router())
        .merge(crate::contracts::router())
        .merge(crate::delegations::router())
        .merge(crate::audit::router())
        .split_for_parts()
}

async fn unknown_api_route() -> ApiError {
    ErrorCode::UnknownRoute.into()
}

/// The whole application: API, OpenAPI document, CRL, and the SPA for everything else.
pub fn router(state: AppState) -> Router {
    let (api, doc) = api();
    let doc = std::sync::Arc::new(doc);
    Router::new()
        .merge(api)
        .route(
            "/api/openapi.json",
            axum::routing::get(move || openapi::serve(doc.clone())),
        )
        .route("/api/{*rest}", axum::routing::any(unknown_api_route))
        .route("/crl/personnes.crl", axum::routing::get(assets::serve_crl))
        .route("/schemas/{name}", axum::routing::get(assets::serve_schema))
        .route(
            "/modeles/modele-commande.xlsx",
            axum::routing::get(assets::serve_template),
        )
        .fallback(assets::serve_asset)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            csrf::same_origin,
        ))
        .layer(middleware::from_fn(assets::security_headers))
        .with_state(state)
}

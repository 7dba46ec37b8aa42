//! The HTTP API. Every route is declared with `#[utoipa::path]` and registered through
//! `routes!`, so `/api/openapi.json` lists each one (a test checks that nothing escapes it).

pub mod diagnostic;
pub mod me;
pub mod openapi;
pub mod operator;
pub mod orders;
pub mod session;
pub mod structures;

use axum::middleware;
use axum::Router;
use shared::errors::ErrorCode;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::assets;
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

/// The API routes and their OpenAPI description, built together.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(diagnostic::get_diagnostic))
        .routes(routes!(me::get_me))
        .routes(routes!(me::get_contact))
        .routes(routes!(session::login, session::logout))
        .routes(routes!(structures::get_structure))
        .routes(routes!(orders::submit_order, orders::list_orders))
        .routes(routes!(orders::get_fleet))
        .routes(routes!(orders::get_order))
        .routes(routes!(orders::put_document, orders::get_document))
        .routes(routes!(operator::get_queue))
        .routes(routes!(operator::post_action))
        .routes(routes!(operator::get_card_file))
        .routes(routes!(operator::get_pin_letter))
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
            crate::auth::csrf::same_origin,
        ))
        .layer(middleware::from_fn(assets::security_headers))
        .with_state(state)
}

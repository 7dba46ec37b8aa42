//! Same-origin check for every state-changing request: browsers send the card by themselves on
//! cross-site requests, so the card alone proves nothing about who asked.

use axum::extract::{Request, State};
use axum::http::header::ORIGIN;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use shared::errors::ErrorCode;

use crate::error::ApiError;
use crate::state::AppState;

/// Refuses a state-changing request whose `Origin` is not TOM's own, or that a browser marks as
/// cross-site (`Sec-Fetch-Site`).
pub async fn same_origin(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe {
        let headers = request.headers();
        if let Some(origin) = headers.get(ORIGIN) {
            if !state
                .allowed_origins
                .iter()
                .any(|o| o.as_bytes() == origin.as_bytes())
            {
                return Err(ErrorCode::CrossOrigin.into());
            }
        }
        if let Some(site) = headers.get("sec-fetch-site") {
            if !matches!(site.as_bytes(), b"same-origin" | b"none") {
                return Err(ErrorCode::CrossOrigin.into());
            }
        }
    }
    Ok(next.run(request).await)
}

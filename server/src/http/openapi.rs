//! `GET /api/openapi.json`: the API described from the code.

use std::sync::Arc;

use axum::response::IntoResponse;
use axum::Json;

pub async fn serve(doc: Arc<utoipa::openapi::OpenApi>) -> impl IntoResponse {
    Json(doc.as_ref().clone())
}

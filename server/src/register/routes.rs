//! `POST /api/backoffice/register`: the operator uploads a FINESS extract and reads the report.

use std::io::{BufReader, Seek, Write};

use axum::body::Body;
use axum::extract::State;
use axum::Json;
use futures_util::StreamExt;
use shared::api::RegisterImportReport;
use shared::errors::ErrorCode;
use shared::message::Message;

use super::extract::{ExtractError, FinessExtract};
use super::import;
use crate::auth::identity::Identity;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[utoipa::path(post, path = "/api/backoffice/register", tag = "back-office",
    request_body(content = String, content_type = "text/plain", description = "L'extrait FINESS des établissements (UTF-8 ou ISO-8859-1)"),
    responses(
        (status = 200, description = "Import fait : comptes et lignes refusées avec leur numéro", body = RegisterImportReport),
        (status = 400, description = "Ce n'est pas un extrait FINESS", body = shared::errors::ErrorBody),
        (status = 403, description = "Réservé aux opérateurs", body = shared::errors::ErrorBody),
        (status = 413, description = "Fichier trop volumineux", body = shared::errors::ErrorBody)))]
pub async fn post_register_import(
    State(state): State<AppState>,
    identity: Identity,
    body: Body,
) -> ApiResult<Json<RegisterImportReport>> {
    let operator = identity.require_operator()?;
    let limit = state.config.max_upload_mb as usize * 1024 * 1024;
    let file = spool(body, limit).await?;
    let extract = tokio::task::spawn_blocking(move || FinessExtract::open(BufReader::new(file)))
        .await
        .map_err(anyhow::Error::from)?
        .map_err(|e| match e {
            ExtractError::NotAnExtract => ApiError::message(
                ErrorCode::InvalidRequest,
                Message::new("register_not_an_extract"),
            ),
            ExtractError::Unreadable(e) => {
                ApiError::Unexpected(anyhow::Error::from(e).context("extrait FINESS"))
            }
        })?;
    let actor = identity.operator_actor(&operator);
    let report = import::import(&state.db, &actor, state.clock.now(), Box::new(extract)).await?;
    Ok(Json(report))
}

/// Copies the body into an unnamed temporary file, never holding more than one chunk in memory.
async fn spool(body: Body, limit: usize) -> ApiResult<std::fs::File> {
    let mut file = tempfile::tempfile().map_err(anyhow::Error::from)?;
    let mut size = 0usize;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| ErrorCode::InvalidRequest)?;
        size += chunk.len();
        if size > limit {
            return Err(ApiError::too_large(limit));
        }
        file.write_all(&chunk).map_err(anyhow::Error::from)?;
    }
    file.rewind().map_err(anyhow::Error::from)?;
    Ok(file)
}

//! The audit trail, read: a structure's by its legal representative (and operators), all of it
//! by operators; filtered by date and action; one page as JSON or everything as CSV for French
//! Excel.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use shared::api::{AuditAction, AuditPage};
use shared::errors::ErrorCode;
use shared::message::Message;

use super::export;
use super::store::{self, AuditFilter};
use crate::auth::access::StructureId;
use crate::auth::identity::Identity;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::{Path, Query};
use crate::http::params::date_range;
use crate::state::AppState;

/// Entries per page.
const PAGE: i64 = 200;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// From this date (AAAA-MM-JJ), inclusive.
    pub du: Option<String>,
    /// Until this date (AAAA-MM-JJ), inclusive.
    pub au: Option<String>,
    /// Only this action (`connexion`, `commande_soumise`, `ligne_acceptee`…).
    pub action: Option<String>,
    /// Entries older than this position (the `next_before` of the previous page).
    pub avant: Option<i64>,
    /// `json` (one page, default) or `csv` (every matching entry, for Excel).
    pub format: Option<String>,
    /// Operators only: one structure's entries.
    pub structure: Option<String>,
}

fn filter_of(q: &AuditQuery, structure: String) -> Result<AuditFilter, ApiError> {
    let action = match q.action.as_deref().filter(|a| !a.is_empty()) {
        None => String::new(),
        Some(a) => AuditAction::parse(a)
            .ok_or_else(|| {
                ApiError::message(
                    ErrorCode::InvalidRequest,
                    Message::new("unknown_audit_action").arg("action", a),
                )
            })?
            .code()
            .to_string(),
    };
    let (from, until) = date_range(q.du.as_deref(), q.au.as_deref())?;
    Ok(AuditFilter {
        structure,
        from,
        until,
        action,
        before_seq: q.avant,
    })
}

async fn answer(
    state: &AppState,
    filter: AuditFilter,
    csv: bool,
    file_stem: &str,
) -> ApiResult<Response> {
    if csv {
        let bytes = export::csv(&state.db, filter).await?;
        let date = crate::http::params::date_of(state.clock.now());
        let name = format!("{file_stem}-{}.csv", date);
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            bytes,
        )
            .into_response());
    }
    let rows = store::list_entries(&state.db, &filter, PAGE + 1).await?;
    let more = rows.len() as i64 > PAGE;
    let entries: Vec<_> = rows
        .into_iter()
        .take(PAGE as usize)
        .map(store::StoredEntry::into_api)
        .collect();
    let next_before = if more {
        entries.last().map(|e| e.seq)
    } else {
        None
    };
    Ok(Json(AuditPage {
        entries,
        next_before,
    })
    .into_response())
}

fn wants_csv(q: &AuditQuery) -> Result<bool, ApiError> {
    match q.format.as_deref() {
        None | Some("") | Some("json") => Ok(false),
        Some("csv") => Ok(true),
        Some(other) => Err(ApiError::message(
            ErrorCode::InvalidRequest,
            Message::new("unknown_format").arg("format", other),
        )),
    }
}

#[utoipa::path(get, path = "/api/structures/{id}/audit", tag = "journal",
    params(("id" = String, Path, description = "Identifiant national de la structure"), AuditQuery),
    responses(
        (status = 200, description = "Le journal de la structure, le plus récent d'abord (JSON) ou entier (CSV, `format=csv`)", body = AuditPage),
        (status = 403, description = "Réservé au représentant légal de la structure et aux opérateurs", body = shared::errors::ErrorBody)))]
pub async fn get_structure_audit(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<StructureId>,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Response> {
    let access = identity.require_legal_representative(&id)?;
    let csv = wants_csv(&q)?;
    let filter = filter_of(&q, access.structure_id().to_string())?;
    answer(
        &state,
        filter,
        csv,
        &format!("journal-{}", access.structure_id()),
    )
    .await
}

#[utoipa::path(get, path = "/api/audit", tag = "journal",
    params(AuditQuery),
    responses(
        (status = 200, description = "Tout le journal, le plus récent d'abord (JSON) ou entier (CSV, `format=csv`)", body = AuditPage),
        (status = 403, description = "Réservé aux opérateurs", body = shared::errors::ErrorBody)))]
pub async fn get_audit(
    State(state): State<AppState>,
    identity: Identity,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Response> {
    identity.require_operator()?;
    let csv = wants_csv(&q)?;
    let structure = q.structure.clone().unwrap_or_default();
    let filter = filter_of(&q, structure)?;
    answer(&state, filter, csv, "journal-tom").await
}

//! The issuing service's back-office: the queue across structures, decisions on lines,
//! fabrication and shipping, and the fabricated card and PIN letter (operators only).

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use shared::api::{LineDecision, OrderLine, Queue};
use shared::errors::ErrorCode;
use shared::order::model::Operation;
use shared::tracking::LineAction;

use super::orders::{status_filter, target_seconds};
use crate::auth::identity::Identity;
use crate::db;
use crate::db::orders::Fabricated;
use crate::error::{ApiError, ApiResult};
use crate::issuing::{self, IssuingError};
use crate::state::AppState;

/// A rejection reason is between these many characters.
const REASON_CHARS: std::ops::RangeInclusive<usize> = 3..=500;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// Only lines in this status; the open lines when absent.
    pub status: Option<String>,
}

#[utoipa::path(get, path = "/api/operator/lines", tag = "back-office",
    params(QueueQuery),
    responses(
        (status = 200, description = "Les lignes à traiter, toutes structures, les plus anciennes d'abord", body = Queue),
        (status = 403, description = "Réservé aux opérateurs", body = shared::errors::ErrorBody)))]
pub async fn get_queue(
    State(state): State<AppState>,
    identity: Identity,
    Query(q): Query<QueueQuery>,
) -> ApiResult<Json<Queue>> {
    identity.require_operator()?;
    let status = status_filter(q.status.as_deref())?;
    let now = state.clock.now();
    let target = target_seconds(&state);
    let lines = db::orders::queue(&state.db, status)
        .await?
        .iter()
        .map(|l| l.to_api(now, target))
        .collect();
    Ok(Json(Queue {
        lines,
        target_delivery_seconds: target,
    }))
}

#[utoipa::path(post, path = "/api/operator/lines/{order_id}/{line_no}/{action}", tag = "back-office",
    params(("order_id" = String, Path, description = "Numéro de la commande"),
        ("line_no" = i64, Path, description = "Numéro de la ligne"),
        ("action" = String, Path, description = "accepter, rejeter, fabriquer, expedier_carte, expedier_codes ou livrer")),
    request_body(content = LineDecision, description = "Le motif, obligatoire pour rejeter"),
    responses(
        (status = 200, description = "La ligne dans son nouvel état", body = OrderLine),
        (status = 409, description = "Action impossible dans l'état de la ligne ; le message dit pourquoi", body = shared::errors::ErrorBody),
        (status = 403, description = "Réservé aux opérateurs", body = shared::errors::ErrorBody),
        (status = 503, description = "AC d'émission indisponible", body = shared::errors::ErrorBody)))]
pub async fn post_action(
    State(state): State<AppState>,
    identity: Identity,
    Path((order_id, line_no, action)): Path<(String, i64, String)>,
    decision: Option<Json<LineDecision>>,
) -> ApiResult<Json<OrderLine>> {
    identity.require_operator()?;
    let action = LineAction::parse(&action)
        .filter(|a| LineAction::OPERATOR.contains(a))
        .ok_or(ErrorCode::UnknownRoute)?;
    let row = db::orders::find_line(&state.db, &order_id, line_no)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let mut progress = row.progress();
    progress
        .check(action)
        .map_err(|why| ApiError::Detailed(ErrorCode::ActionRefused, why))?;
    let reason = decision
        .and_then(|Json(d)| d.reason)
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    if action == LineAction::Rejeter
        && !reason
            .as_deref()
            .is_some_and(|r| REASON_CHARS.contains(&r.chars().count()))
    {
        return Err(ApiError::Detailed(
            ErrorCode::InvalidRequest,
            "Indiquez le motif du rejet (3 à 500 caractères) : il est montré au mandataire."
                .to_string(),
        ));
    }
    let now = state.clock.now();
    progress.apply(action, now);
    let done = if action == LineAction::Fabriquer {
        fabricate(&state, &row, &progress, now).await?
    } else {
        let reason = if action == LineAction::Rejeter {
            reason.as_deref()
        } else {
            row.reason.as_deref()
        };
        db::orders::update_line(&state.db, &row, &progress, reason).await?
    };
    if !done {
        return Err(ApiError::Detailed(
            ErrorCode::ActionRefused,
            "La ligne a été modifiée entre-temps : rechargez la page.".to_string(),
        ));
    }
    tracing::info!(order = %order_id, line = line_no, action = action.code(), "ligne traitée");
    let row = db::orders::find_line(&state.db, &order_id, line_no)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(Json(row.to_api(now, target_seconds(&state))))
}

async fn fabricate(
    state: &AppState,
    row: &db::orders::LineRow,
    progress: &shared::tracking::LineProgress,
    now: i64,
) -> ApiResult<bool> {
    let payload = db::orders::line_payload(&state.db, &row.order_id, row.line_no).await?;
    let Operation::CardRequest(request) =
        serde_json::from_str(&payload).map_err(anyhow::Error::from)?
    else {
        return Err(ErrorCode::ActionRefused.into());
    };
    let structure = db::structures::find_structure(&state.db, &row.structure_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let config = state.config.clone();
    let card =
        tokio::task::spawn_blocking(move || issuing::fabricate(&config, &structure, &request, now))
            .await
            .map_err(anyhow::Error::from)?
            .map_err(|e| match e {
                IssuingError::CaUnavailable(e) => {
                    tracing::error!(error = %e, "AC d'émission indisponible");
                    ApiError::Code(ErrorCode::IssuingUnavailable)
                }
                IssuingError::Other(e) => ApiError::Unexpected(e),
            })?;
    Ok(db::orders::record_fabrication(
        &state.db,
        row,
        progress,
        &Fabricated {
            issuer: &card.issuer,
            serial: &card.serial,
            national_id: &card.national_id,
            card_type: card.card_type,
            family_name: &card.family_name,
            given_name: &card.given_name,
            not_after: card.not_after,
            pkcs12: &card.pkcs12,
            pin_letter: &card.pin_letter,
        },
    )
    .await?)
}

async fn deliverable(
    state: &AppState,
    identity: &Identity,
    order_id: &str,
    line_no: i64,
    pin_letter: bool,
) -> ApiResult<Response> {
    identity.require_operator()?;
    let bytes = db::orders::find_deliverable(&state.db, order_id, line_no, pin_letter)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let (media_type, name) = if pin_letter {
        (
            "application/pdf",
            format!("courrier-codes-{order_id}-{line_no}.pdf"),
        )
    } else {
        (
            "application/x-pkcs12",
            format!("carte-{order_id}-{line_no}.p12"),
        )
    };
    Ok((
        [
            (header::CONTENT_TYPE, media_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/operator/lines/{order_id}/{line_no}/carte.p12", tag = "back-office",
    params(("order_id" = String, Path, description = "Numéro de la commande"),
        ("line_no" = i64, Path, description = "Numéro de la ligne")),
    responses(
        (status = 200, description = "La carte fabriquée (PKCS#12 protégé par le code porteur)", content_type = "application/x-pkcs12"),
        (status = 403, description = "Réservé aux opérateurs", body = shared::errors::ErrorBody),
        (status = 404, description = "Pas de carte fabriquée pour cette ligne", body = shared::errors::ErrorBody)))]
pub async fn get_card_file(
    State(state): State<AppState>,
    identity: Identity,
    Path((order_id, line_no)): Path<(String, i64)>,
) -> ApiResult<Response> {
    deliverable(&state, &identity, &order_id, line_no, false).await
}

#[utoipa::path(get, path = "/api/operator/lines/{order_id}/{line_no}/courrier-codes.pdf", tag = "back-office",
    params(("order_id" = String, Path, description = "Numéro de la commande"),
        ("line_no" = i64, Path, description = "Numéro de la ligne")),
    responses(
        (status = 200, description = "Le courrier des codes (PDF)", content_type = "application/pdf"),
        (status = 403, description = "Réservé aux opérateurs", body = shared::errors::ErrorBody),
        (status = 404, description = "Pas de carte fabriquée pour cette ligne", body = shared::errors::ErrorBody)))]
pub async fn get_pin_letter(
    State(state): State<AppState>,
    identity: Identity,
    Path((order_id, line_no)): Path<(String, i64)>,
) -> ApiResult<Response> {
    deliverable(&state, &identity, &order_id, line_no, true).await
}

//! The issuing service's back-office: the queue across structures, decisions on lines,
//! fabrication and shipping, and the fabricated card and PIN letter (operators only).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use shared::api::{LineDecision, OrderLine, Queue, QUEUE_PAGE, QUEUE_PAGE_MAX};
use shared::errors::ErrorCode;
use shared::tracking::LineAction;

use super::download_deliverable::{self, Deliverable};
use super::{decide, queue};
use crate::auth::access::OrderId;
use crate::auth::identity::Identity;
use crate::error::ApiResult;
use crate::http::extract::{Path, Query};
use crate::http::params::{page_limit, status_filter};
use crate::orders::store::QueueFilter;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// Only lines in this status; the open lines when absent.
    pub status: Option<String>,
    /// Part of the holder's or the structure's name (capitals and accents do not matter), the
    /// beginning of a structure identifier or of an order number, or the structure's own order
    /// reference.
    pub q: Option<String>,
    /// The page after this line: the `suivant` of the page before.
    pub apres: Option<String>,
    /// Lines per page, 1 to 200; 50 when absent.
    #[param(value_type = Option<u32>)]
    pub limite: Option<String>,
}

#[utoipa::path(get, path = "/api/operator/lines", tag = "back-office",
    params(QueueQuery),
    responses(
        (status = 200, description = "Une page des lignes à traiter, toutes structures, les plus anciennes d'abord", body = Queue),
        (status = 400, description = "Paramètre illisible (statut, page, nombre de lignes)", body = shared::errors::ErrorBody),
        (status = 403, description = "Réservé aux opérateurs", body = shared::errors::ErrorBody)))]
pub async fn get_queue(
    State(state): State<AppState>,
    identity: Identity,
    Query(q): Query<QueueQuery>,
) -> ApiResult<Json<Queue>> {
    let operator = identity.require_operator()?;
    let filter = QueueFilter {
        status: status_filter(q.status.as_deref())?,
        search: q.q.unwrap_or_default(),
    };
    let after = q
        .apres
        .as_deref()
        .filter(|a| !a.is_empty())
        .map(queue::parse_cursor)
        .transpose()?;
    let limit = page_limit(q.limite.as_deref(), QUEUE_PAGE, QUEUE_PAGE_MAX)?;
    Ok(Json(
        queue::page(&state, &operator, &filter, after.as_ref(), limit).await?,
    ))
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
    let operator = identity.require_operator()?;
    let action = LineAction::parse(&action)
        .filter(|a| LineAction::OPERATOR.contains(a))
        .ok_or(ErrorCode::UnknownRoute)?;
    let order_id = OrderId::parse(&order_id).ok_or(ErrorCode::NotFound)?;
    let reason = decision.and_then(|Json(d)| d.reason);
    let actor = identity.operator_actor(&operator);
    Ok(Json(
        decide::decide(
            &state, &operator, &actor, &order_id, line_no, action, reason,
        )
        .await?,
    ))
}

async fn deliverable(
    state: &AppState,
    identity: &Identity,
    order_id: &str,
    line_no: i64,
    pin_letter: bool,
) -> ApiResult<Response> {
    let operator = identity.require_operator()?;
    let order = OrderId::parse(order_id).ok_or(ErrorCode::NotFound)?;
    let actor = identity.operator_actor(&operator);
    let what = if pin_letter {
        Deliverable::PinLetter
    } else {
        Deliverable::Card
    };
    let bytes =
        download_deliverable::download(state, &operator, &actor, &order, line_no, what).await?;
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

/// The revocation lists this server applies, their freshness, and what it refused.
#[utoipa::path(get, path = "/api/operator/crls", tag = "back-office",
    responses(
        (status = 200, description = "Les CRL appliquées et les fichiers refusés", body = shared::api::CrlReport),
        (status = 403, description = "Réservé aux opérateurs", body = shared::errors::ErrorBody)))]
pub async fn get_crls(
    State(state): State<AppState>,
    identity: Identity,
) -> ApiResult<Json<shared::api::CrlReport>> {
    identity.require_operator()?;
    Ok(Json(super::crl_report::crl_report(&state)))
}

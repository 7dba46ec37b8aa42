//! Orders of a structure: submit (form or file, same XML, same validator), list, detail, and the
//! supporting document of a line.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use shared::api::{
    OrderDetail, OrderReceipt, OrderRefused, OrderSource, IDEMPOTENCY_HEADER, ORDER_SOURCE_HEADER,
};
use shared::errors::ErrorCode;

use super::store::{self, OrderFilter};
use super::submit::{self, Submission, Submitted};
use super::upload_document::{self, MAX_DOCUMENT_BYTES};
use super::{late_before, target_seconds};
use crate::auth::access::{Access, Grant, OrderId, StructureId};
use crate::auth::attempts::{self, Address};
use crate::auth::identity::Identity;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::{Path, Query};
use crate::http::params::{date_range, status_filter};
use crate::state::AppState;

fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    headers
        .get(IDEMPOTENCY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| (1..=128).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_string)
        .ok_or(ErrorCode::IdempotencyKeyMissing.into())
}

fn order_source(headers: &HeaderMap) -> Result<OrderSource, ApiError> {
    match headers.get(ORDER_SOURCE_HEADER).map(|v| v.to_str()) {
        None => Ok(OrderSource::Fichier),
        Some(Ok(v)) => OrderSource::parse(v).ok_or(ErrorCode::InvalidRequest.into()),
        Some(Err(_)) => Err(ErrorCode::InvalidRequest.into()),
    }
}

/// Reads a request body up to `limit` bytes.
pub async fn read_body(body: Body, limit: usize) -> Result<axum::body::Bytes, ApiError> {
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| ApiError::too_large(limit))
}

/// The order, if the identity may read it; an order of a structure one holds no mandate for is
/// "not found", so that order numbers reveal nothing.
async fn readable_order(
    state: &AppState,
    identity: &Identity,
    order_id: &OrderId,
) -> ApiResult<(Access, shared::api::OrderSummary)> {
    let structure = store::structure_of_order(&state.db, order_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let access = identity
        .require_mandate(&structure)
        .map_err(|_| ApiError::Code(ErrorCode::NotFound))?;
    let order = store::find_order(&state.db, &access, order_id.as_str(), late_before(state))
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok((access, order))
}

#[utoipa::path(post, path = "/api/structures/{id}/orders", tag = "commandes",
    params(
        ("id" = String, Path, description = "Identifiant national de la structure"),
        ("Idempotency-Key" = String, Header, description = "Clé choisie par le client, 1 à 128 caractères : un nouvel envoi avec la même clé ne crée pas de seconde commande"),
        ("X-Order-Source" = Option<String>, Header, description = "formulaire ou fichier (défaut)")),
    request_body(content = String, content_type = "application/xml", description = "Le fichier de commande (schemas/tom-commande-v1.xsd)"),
    responses(
        (status = 201, description = "Commande enregistrée", body = OrderReceipt),
        (status = 200, description = "Commande déjà reçue (même clé ou même fichier) : rien de nouveau n'est créé", body = OrderReceipt),
        (status = 422, description = "Fichier invalide : chaque erreur avec sa ligne et son champ", body = OrderRefused),
        (status = 403, description = "Pas de mandat pour cette structure", body = shared::errors::ErrorBody),
        (status = 413, description = "Fichier trop volumineux", body = shared::errors::ErrorBody),
        (status = 429, description = "Trop de dépôts pour cette carte ou cette adresse", body = shared::errors::ErrorBody)))]
pub async fn submit_order(
    State(state): State<AppState>,
    identity: Identity,
    Address(address): Address,
    Path(id): Path<StructureId>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<OrderReceipt>)> {
    let access = identity.require_own_mandate(&id)?;
    attempts::allow_upload(&state, &identity.counted(address)).await?;
    let submission = Submission {
        idempotency_key: idempotency_key(&headers)?,
        source: order_source(&headers)?,
        bytes: read_body(body, state.config.max_upload_mb as usize * 1024 * 1024).await?,
    };
    let actor = identity.actor(access.grant());
    let (order_id, status, already_received) =
        match submit::submit(&state, &access, &actor, submission).await? {
            Submitted::Created(id) => (id, StatusCode::CREATED, false),
            Submitted::AlreadyReceived(id) => (id, StatusCode::OK, true),
        };
    let order = store::find_order(&state.db, &access, &order_id, late_before(&state))
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok((
        status,
        Json(OrderReceipt {
            order,
            already_received,
        }),
    ))
}

/// Filters of the order list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderQuery {
    /// Only orders with a line in this status (`soumise`, `acceptee`, `livree`…).
    pub status: Option<String>,
    /// Submitted on or after this date (AAAA-MM-JJ).
    pub du: Option<String>,
    /// Submitted on or before this date (AAAA-MM-JJ).
    pub au: Option<String>,
}

#[utoipa::path(get, path = "/api/structures/{id}/orders", tag = "commandes",
    params(("id" = String, Path, description = "Identifiant national de la structure"), OrderQuery),
    responses(
        (status = 200, description = "Les commandes, les plus récentes d'abord", body = Vec<shared::api::OrderSummary>),
        (status = 403, description = "Pas de mandat pour cette structure", body = shared::errors::ErrorBody)))]
pub async fn list_orders(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<StructureId>,
    Query(q): Query<OrderQuery>,
) -> ApiResult<Json<Vec<shared::api::OrderSummary>>> {
    let access = identity.require_mandate(&id)?;
    let (from, until) = date_range(q.du.as_deref(), q.au.as_deref())?;
    let filter = OrderFilter {
        status: status_filter(q.status.as_deref())?,
        from,
        until,
    };
    Ok(Json(
        store::list_orders(&state.db, &access, &filter, late_before(&state)).await?,
    ))
}

#[utoipa::path(get, path = "/api/orders/{order_id}", tag = "commandes",
    params(("order_id" = String, Path, description = "Numéro de la commande")),
    responses(
        (status = 200, description = "La commande et l'état de chaque ligne", body = OrderDetail),
        (status = 404, description = "Commande inconnue ou d'une structure sans mandat", body = shared::errors::ErrorBody)))]
pub async fn get_order(
    State(state): State<AppState>,
    identity: Identity,
    Path(order_id): Path<OrderId>,
) -> ApiResult<Json<OrderDetail>> {
    let (access, order) = readable_order(&state, &identity, &order_id).await?;
    let now = state.clock.now();
    let target = target_seconds(&state);
    let lines = store::list_lines(&state.db, &access, &order.id)
        .await?
        .iter()
        .map(|l| l.to_api(now, target))
        .collect();
    Ok(Json(OrderDetail {
        order,
        lines,
        target_delivery_seconds: target,
    }))
}

#[utoipa::path(put, path = "/api/orders/{order_id}/lines/{line_no}/document", tag = "commandes",
    params(("order_id" = String, Path, description = "Numéro de la commande"),
        ("line_no" = i64, Path, description = "Numéro de la ligne")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "Le justificatif : PDF, JPEG ou PNG, 5 Mo au plus"),
    responses(
        (status = 200, description = "Justificatif enregistré ; la ligne passe au traitement", body = shared::api::OrderLine),
        (status = 409, description = "La ligne n'attend pas de justificatif", body = shared::errors::ErrorBody),
        (status = 413, description = "Fichier trop volumineux", body = shared::errors::ErrorBody),
        (status = 415, description = "Ni PDF, ni JPEG, ni PNG", body = shared::errors::ErrorBody),
        (status = 429, description = "Trop de dépôts pour cette carte ou cette adresse", body = shared::errors::ErrorBody)))]
pub async fn put_document(
    State(state): State<AppState>,
    identity: Identity,
    Address(address): Address,
    Path((order_id, line_no)): Path<(OrderId, i64)>,
    body: Body,
) -> ApiResult<Json<shared::api::OrderLine>> {
    let (access, _) = readable_order(&state, &identity, &order_id).await?;
    if access.grant() == Grant::Operator {
        identity.require_own_mandate(access.structure())?;
    }
    attempts::allow_upload(&state, &identity.counted(address)).await?;
    let bytes = read_body(body, MAX_DOCUMENT_BYTES).await?;
    let actor = identity.actor(access.grant());
    Ok(Json(
        upload_document::upload_document(&state, &access, &actor, &order_id, line_no, &bytes)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/orders/{order_id}/lines/{line_no}/document", tag = "commandes",
    params(("order_id" = String, Path, description = "Numéro de la commande"),
        ("line_no" = i64, Path, description = "Numéro de la ligne")),
    responses(
        (status = 200, description = "Le justificatif déposé", content_type = "application/octet-stream"),
        (status = 404, description = "Pas de justificatif", body = shared::errors::ErrorBody)))]
pub async fn get_document(
    State(state): State<AppState>,
    identity: Identity,
    Path((order_id, line_no)): Path<(OrderId, i64)>,
) -> ApiResult<Response> {
    let (access, _) = readable_order(&state, &identity, &order_id).await?;
    let (media_type, content) =
        store::find_document(&state.db, &access, order_id.as_str(), line_no)
            .await?
            .ok_or(ErrorCode::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, media_type),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        content,
    )
        .into_response())
}

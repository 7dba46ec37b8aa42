//! Orders of a structure: submit (form or file, same XML, same validator), list, detail, the
//! supporting document of a line, and the structure's fleet of cards.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use shared::api::{
    Fleet, OrderDetail, OrderReceipt, OrderRefused, OrderSource, IDEMPOTENCY_HEADER,
    ORDER_SOURCE_HEADER,
};
use shared::errors::ErrorCode;
use shared::order::model::{CardRef, Operation, StructureKind};
use shared::order::{Date, Order, Validator};
use shared::tracking::{needs_document, LineAction, LineKind, LineStatus};

use crate::auth::identity::Identity;
use crate::db;
use crate::db::orders::{NewLine, NewOrder, OrderFilter, Stored};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Supporting documents are at most this large.
pub const MAX_DOCUMENT_BYTES: usize = 5 * 1024 * 1024;

/// The calendar date (UTC) of a Unix time, for the order rules.
pub fn date_of(unix: i64) -> Date {
    Date::from_days(unix.div_euclid(86_400))
        .or_else(|| Date::new(1970, 1, 1))
        .expect("1970-01-01 est une date")
}

fn random_order_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let bytes: [u8; 10] = rand::random();
    let code: String = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    format!("C{code}")
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(ring::digest::digest(&ring::digest::SHA256, bytes))
}

fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    headers
        .get(IDEMPOTENCY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| (1..=128).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_string)
        .ok_or(ErrorCode::IdempotencyKeyMissing.into())
}

/// Reads a request body up to `limit` bytes.
pub async fn read_body(body: Body, limit: usize) -> Result<axum::body::Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|_| {
        ApiError::Detailed(
            ErrorCode::PayloadTooLarge,
            format!(
                "Le fichier est trop volumineux : {} Mo au plus.",
                limit / (1024 * 1024)
            ),
        )
    })
}

/// What a line shows of its holder, and the matricule it is about.
fn holder_and_matricule(op: &Operation) -> (String, String) {
    match op {
        Operation::CardRequest(r) => {
            let h = &r.holder;
            let name = h.usual_name.as_deref().unwrap_or(&h.birth_name);
            (format!("{name} {}", h.first_names), h.matricule.clone())
        }
        Operation::HolderChange(c) => {
            let name = match (&c.usual_name, &c.birth_name, &c.first_names) {
                (Some(n), _, Some(f)) | (None, Some(n), Some(f)) => format!("{n} {f}"),
                _ => format!("matricule {}", c.matricule),
            };
            (name, c.matricule.clone())
        }
        Operation::EndOfExercise(e) => (format!("matricule {}", e.matricule), e.matricule.clone()),
        Operation::IncidentDeclaration(i) => match &i.card {
            CardRef::Matricule(m) => (format!("matricule {m}"), m.clone()),
            CardRef::SerialNumber(s) => (format!("carte {s}"), String::new()),
        },
    }
}

/// The lines to store for a valid order.
pub fn lines_of(order: &Order) -> anyhow::Result<Vec<NewLine>> {
    order
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| {
            let (holder, matricule) = holder_and_matricule(op);
            let needs = needs_document(op);
            Ok(NewLine {
                line_no: i as i64 + 1,
                kind: LineKind::of(op),
                card_type: match op {
                    Operation::CardRequest(r) => Some(r.card_type.code()),
                    _ => None,
                },
                holder,
                matricule,
                payload: serde_json::to_string(op)?,
                status: if needs {
                    LineStatus::EnAttenteJustificatif
                } else {
                    LineStatus::Soumise
                },
                needs_document: needs,
            })
        })
        .collect()
}

async fn receipt(
    state: &AppState,
    order_id: &str,
    already_received: bool,
) -> ApiResult<(StatusCode, Json<OrderReceipt>)> {
    let order = db::orders::find_order(&state.db, order_id, late_before(state))
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let status = if already_received {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(OrderReceipt {
            order,
            already_received,
        }),
    ))
}

pub fn target_seconds(state: &AppState) -> i64 {
    state.config.target_delivery_days * 86_400
}

fn late_before(state: &AppState) -> i64 {
    state.clock.now() - target_seconds(state)
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
        (status = 413, description = "Fichier trop volumineux", body = shared::errors::ErrorBody)))]
pub async fn submit_order(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<OrderReceipt>)> {
    let access = identity.require_own_mandate(&id)?;
    let key = idempotency_key(&headers)?;
    let source = match headers.get(ORDER_SOURCE_HEADER).map(|v| v.to_str()) {
        None => OrderSource::Fichier,
        Some(Ok(v)) => OrderSource::parse(v).ok_or(ErrorCode::InvalidRequest)?,
        Some(Err(_)) => return Err(ErrorCode::InvalidRequest.into()),
    };
    let limit = state.config.max_upload_mb as usize * 1024 * 1024;
    let bytes = read_body(body, limit).await?;
    let sha = sha256_hex(&bytes);
    let structure_id = access.structure_id();
    if let Some(existing) = db::orders::find_existing(&state.db, structure_id, &key, &sha).await? {
        return receipt(&state, &existing, true).await;
    }
    // The server validates again: the browser's verdict is never trusted.
    let today = date_of(state.clock.now());
    let report = tokio::task::spawn_blocking(move || Validator::new(today).validate(&bytes))
        .await
        .map_err(anyhow::Error::from)?;
    if !report.is_valid() {
        let n = report.error_count();
        return Err(ApiError::OrderRefused(Box::new(OrderRefused {
            code: ErrorCode::InvalidOrder.code().to_string(),
            message: format!(
                "{} {n} erreur{} à corriger.",
                ErrorCode::InvalidOrder.message(),
                if n > 1 { "s" } else { "" }
            ),
            errors: report.errors,
        })));
    }
    let order = report
        .order
        .ok_or_else(|| anyhow::anyhow!("rapport valide sans modèle"))?;
    let structure = db::structures::find_structure(&state.db, structure_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let header = &order.header.structure;
    let expected = match header.kind {
        StructureKind::Finess => structure.finess.as_deref(),
        StructureKind::Siret => structure.siret.as_deref(),
    };
    if expected != Some(header.value.as_str()) {
        return Err(ErrorCode::StructureMismatch.into());
    }
    let lines = lines_of(&order)?;
    let order_id = random_order_id();
    let stored = db::orders::insert_order(
        &state.db,
        &NewOrder {
            id: &order_id,
            structure_id,
            source,
            issuer_reference: &order.header.issuer_reference,
            submitted_by: &identity.holder.national_id,
            submitted_at: state.clock.now(),
            idempotency_key: &key,
            content_sha256: &sha,
        },
        &lines,
    )
    .await?;
    match stored {
        Stored::Created(id) => {
            tracing::info!(order = %id, structure = %structure_id, lines = lines.len(), "commande enregistrée");
            receipt(&state, &id, false).await
        }
        Stored::AlreadyReceived(id) => receipt(&state, &id, true).await,
    }
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

/// A `status` query parameter: absent or empty means no filter.
pub fn status_filter(text: Option<&str>) -> Result<Option<LineStatus>, ApiError> {
    match text.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => LineStatus::parse(s).map(Some).ok_or_else(|| {
            ApiError::Detailed(
                ErrorCode::InvalidRequest,
                format!("Statut « {s} » inconnu."),
            )
        }),
    }
}

fn day_start(text: &str) -> Result<i64, ApiError> {
    let date = Date::parse_iso(text).ok_or_else(|| {
        ApiError::Detailed(
            ErrorCode::InvalidRequest,
            format!("Date « {text} » illisible : attendue sous la forme AAAA-MM-JJ."),
        )
    })?;
    Ok(date.to_days() * 86_400)
}

#[utoipa::path(get, path = "/api/structures/{id}/orders", tag = "commandes",
    params(("id" = String, Path, description = "Identifiant national de la structure"), OrderQuery),
    responses(
        (status = 200, description = "Les commandes, les plus récentes d'abord", body = Vec<shared::api::OrderSummary>),
        (status = 403, description = "Pas de mandat pour cette structure", body = shared::errors::ErrorBody)))]
pub async fn list_orders(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
    Query(q): Query<OrderQuery>,
) -> ApiResult<Json<Vec<shared::api::OrderSummary>>> {
    let access = identity.require_mandate(&id)?;
    let status = status_filter(q.status.as_deref())?;
    let filter = OrderFilter {
        status,
        from: q
            .du
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(day_start)
            .transpose()?,
        until: q
            .au
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(|d| day_start(d).map(|t| t + 86_400))
            .transpose()?,
    };
    Ok(Json(
        db::orders::list_orders(&state.db, &access, &filter, late_before(&state)).await?,
    ))
}

#[utoipa::path(get, path = "/api/structures/{id}/cards", tag = "structures",
    params(("id" = String, Path, description = "Identifiant national de la structure")),
    responses(
        (status = 200, description = "Les cartes émises par TOM pour la structure", body = Fleet),
        (status = 403, description = "Pas de mandat pour cette structure", body = shared::errors::ErrorBody)))]
pub async fn get_fleet(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<String>,
) -> ApiResult<Json<Fleet>> {
    let access = identity.require_mandate(&id)?;
    Ok(Json(Fleet {
        cards: db::orders::list_fleet(&state.db, &access).await?,
    }))
}

/// The order, if the identity may read it; an order of a structure one holds no mandate for is
/// "not found", so that order numbers reveal nothing.
async fn readable_order(
    state: &AppState,
    identity: &Identity,
    order_id: &str,
) -> ApiResult<shared::api::OrderSummary> {
    let order = db::orders::find_order(&state.db, order_id, late_before(state))
        .await?
        .ok_or(ErrorCode::NotFound)?;
    identity
        .require_mandate(&order.structure_id)
        .map_err(|_| ApiError::Code(ErrorCode::NotFound))?;
    Ok(order)
}

#[utoipa::path(get, path = "/api/orders/{order_id}", tag = "commandes",
    params(("order_id" = String, Path, description = "Numéro de la commande")),
    responses(
        (status = 200, description = "La commande et l'état de chaque ligne", body = OrderDetail),
        (status = 404, description = "Commande inconnue ou d'une structure sans mandat", body = shared::errors::ErrorBody)))]
pub async fn get_order(
    State(state): State<AppState>,
    identity: Identity,
    Path(order_id): Path<String>,
) -> ApiResult<Json<OrderDetail>> {
    let order = readable_order(&state, &identity, &order_id).await?;
    let now = state.clock.now();
    let target = target_seconds(&state);
    let lines = db::orders::list_lines(&state.db, &order.id)
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

/// The media type of a supporting document, from its first bytes.
pub fn sniff_document(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

#[utoipa::path(put, path = "/api/orders/{order_id}/lines/{line_no}/document", tag = "commandes",
    params(("order_id" = String, Path, description = "Numéro de la commande"),
        ("line_no" = i64, Path, description = "Numéro de la ligne")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "Le justificatif : PDF, JPEG ou PNG, 5 Mo au plus"),
    responses(
        (status = 200, description = "Justificatif enregistré ; la ligne passe au traitement", body = shared::api::OrderLine),
        (status = 409, description = "La ligne n'attend pas de justificatif", body = shared::errors::ErrorBody),
        (status = 413, description = "Fichier trop volumineux", body = shared::errors::ErrorBody),
        (status = 415, description = "Ni PDF, ni JPEG, ni PNG", body = shared::errors::ErrorBody)))]
pub async fn put_document(
    State(state): State<AppState>,
    identity: Identity,
    Path((order_id, line_no)): Path<(String, i64)>,
    body: Body,
) -> ApiResult<Json<shared::api::OrderLine>> {
    let order = readable_order(&state, &identity, &order_id).await?;
    identity.require_own_mandate(&order.structure_id)?;
    let bytes = read_body(body, MAX_DOCUMENT_BYTES).await?;
    let media_type = sniff_document(&bytes).ok_or(ErrorCode::DocumentInvalid)?;
    let row = db::orders::find_line(&state.db, &order_id, line_no)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let mut progress = row.progress();
    progress
        .check(LineAction::DeposerJustificatif)
        .map_err(|why| ApiError::Detailed(ErrorCode::ActionRefused, why))?;
    let now = state.clock.now();
    progress.apply(LineAction::DeposerJustificatif, now);
    if !db::orders::insert_document(
        &state.db,
        &row,
        &progress,
        media_type,
        &bytes,
        &identity.holder.national_id,
    )
    .await?
    {
        return Err(ErrorCode::ActionRefused.into());
    }
    let row = db::orders::find_line(&state.db, &order_id, line_no)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(Json(row.to_api(now, target_seconds(&state))))
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
    Path((order_id, line_no)): Path<(String, i64)>,
) -> ApiResult<Response> {
    readable_order(&state, &identity, &order_id).await?;
    let (media_type, content) = db::orders::find_document(&state.db, &order_id, line_no)
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

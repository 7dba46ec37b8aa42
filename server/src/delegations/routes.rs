//! Delegations' routes: the legal representative designates (multipart: « demande » JSON and
//! « piece », the identity document), lists, withdraws and ends mandates; the operator lists the
//! waiting ones, reads the document, validates or rejects.

use axum::extract::{Multipart, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use shared::api::{
    Delegation, DelegationList, DesignationRequest, EndMandateRequest, MandateEnded,
    RejectDelegation,
};
use shared::delegation::{document_extension, DelegationStatus, MAX_DOCUMENT_BYTES};
use shared::errors::ErrorCode;
use shared::message::Message;

use super::designate::{self, is_delegation_id, Designation};
use super::end_mandate::end_mandate;
use super::{read_document, reject, store, validate, withdraw};
use crate::auth::access::StructureId;
use crate::auth::attempts::{self, Address};
use crate::auth::identity::Identity;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::{Json, Path, Query};
use crate::state::AppState;

/// The « demande » part is at most this large (an order of one card is a few KB).
const MAX_REQUEST_BYTES: usize = 256 * 1024;

fn unreadable() -> ApiError {
    ApiError::message(
        ErrorCode::InvalidRequest,
        Message::new("delegation_unreadable"),
    )
}

fn delegation_id(id: &str) -> ApiResult<&str> {
    if is_delegation_id(id) {
        Ok(id)
    } else {
        Err(ErrorCode::NotFound.into())
    }
}

fn list(state: &AppState, rows: Vec<store::DelegationRow>) -> DelegationList {
    DelegationList {
        delegations: rows.iter().map(|r| r.to_api(state.clock.now())).collect(),
        retention_days: state.config.identity_document_days,
    }
}

/// Reads one multipart field whole, refusing it beyond `limit` bytes.
async fn field_bytes(
    field: &mut axum::extract::multipart::Field<'_>,
    limit: usize,
) -> ApiResult<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
        if out.len() + chunk.len() > limit {
            return Err(ApiError::too_large(limit));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::too_large(MAX_DOCUMENT_BYTES)
    } else {
        unreadable()
    }
}

/// The designation's two parts.
async fn read_designation(mut multipart: Multipart) -> ApiResult<Designation> {
    let (mut request, mut document) = (None, None);
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        match field.name() {
            Some("demande") => {
                let bytes = field_bytes(&mut field, MAX_REQUEST_BYTES).await?;
                let parsed: DesignationRequest =
                    serde_json::from_slice(&bytes).map_err(|_| unreadable())?;
                request = Some(parsed);
            }
            Some("piece") => document = Some(field_bytes(&mut field, MAX_DOCUMENT_BYTES).await?),
            _ => return Err(unreadable()),
        }
    }
    let request = request.ok_or_else(unreadable)?;
    let document = document.ok_or_else(|| {
        ApiError::message(
            ErrorCode::InvalidRequest,
            Message::new("delegation_document_missing")
                .arg("max", (MAX_DOCUMENT_BYTES / (1024 * 1024)).to_string()),
        )
    })?;
    Ok(Designation { request, document })
}

#[utoipa::path(post, path = "/api/structures/{id}/delegations", tag = "structures",
    params(("id" = String, Path, description = "Identifiant national de la structure")),
    request_body(content_type = "multipart/form-data", description = "Partie « demande » : DesignationRequest en JSON ; partie « piece » : la copie de la pièce d'identité (PDF, JPEG ou PNG, 5 Mo au plus)"),
    responses(
        (status = 201, description = "Désignation envoyée ; elle attend la validation du service d'émission", body = Delegation),
        (status = 400, description = "Demande illisible, personne ou carte introuvable, pièce manquante, commande refusée", body = shared::errors::ErrorBody),
        (status = 403, description = "Réservé au représentant légal de la structure", body = shared::errors::ErrorBody),
        (status = 409, description = "Déjà mandataire, désignation déjà en attente, carte déjà détenue", body = shared::errors::ErrorBody),
        (status = 413, description = "Pièce trop volumineuse", body = shared::errors::ErrorBody),
        (status = 415, description = "Pièce ni PDF, ni JPEG, ni PNG", body = shared::errors::ErrorBody),
        (status = 422, description = "La commande de carte jointe contient des erreurs", body = shared::api::OrderRefused)))]
pub async fn post_designation(
    State(state): State<AppState>,
    identity: Identity,
    Address(address): Address,
    Path(id): Path<StructureId>,
    multipart: Multipart,
) -> ApiResult<(StatusCode, axum::Json<Delegation>)> {
    let access = identity.require_own_legal_representative(&id)?;
    attempts::allow_upload(&state, &identity.counted(address)).await?;
    let designation = read_designation(multipart).await?;
    let actor = identity.actor(access.grant());
    let row = designate::designate(&state, &access, &actor, designation).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(row.to_api(state.clock.now())),
    ))
}

#[utoipa::path(get, path = "/api/structures/{id}/delegations", tag = "structures",
    params(("id" = String, Path, description = "Identifiant national de la structure")),
    responses(
        (status = 200, description = "Les délégations de la structure, les plus récentes d'abord", body = DelegationList),
        (status = 403, description = "Réservé au représentant légal de la structure et aux opérateurs", body = shared::errors::ErrorBody)))]
pub async fn get_delegations(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<StructureId>,
) -> ApiResult<axum::Json<DelegationList>> {
    let access = identity.require_legal_representative(&id)?;
    let rows = store::list_for_structure(&state.db, &access).await?;
    Ok(axum::Json(list(&state, rows)))
}

#[utoipa::path(post, path = "/api/structures/{id}/delegations/{delegation}/retrait", tag = "structures",
    params(("id" = String, Path, description = "Identifiant national de la structure"),
        ("delegation" = String, Path, description = "Numéro de la délégation")),
    responses(
        (status = 200, description = "Désignation retirée", body = Delegation),
        (status = 403, description = "Réservé au représentant légal de la structure", body = shared::errors::ErrorBody),
        (status = 409, description = "Déjà décidée", body = shared::errors::ErrorBody)))]
pub async fn post_withdraw(
    State(state): State<AppState>,
    identity: Identity,
    Path((id, delegation)): Path<(StructureId, String)>,
) -> ApiResult<axum::Json<Delegation>> {
    let access = identity.require_own_legal_representative(&id)?;
    let delegation = delegation_id(&delegation)?;
    let actor = identity.actor(access.grant());
    let row = withdraw::withdraw(&state, &access, &actor, delegation).await?;
    Ok(axum::Json(row.to_api(state.clock.now())))
}

#[utoipa::path(get, path = "/api/structures/{id}/delegations/{delegation}/piece", tag = "structures",
    params(("id" = String, Path, description = "Identifiant national de la structure"),
        ("delegation" = String, Path, description = "Numéro de la délégation")),
    responses(
        (status = 200, description = "La copie de la pièce d'identité (PDF, JPEG ou PNG)", content_type = "application/octet-stream"),
        (status = 403, description = "Réservé au représentant légal de la structure et aux opérateurs", body = shared::errors::ErrorBody),
        (status = 404, description = "Pas de telle délégation, ou pièce supprimée (fin de conservation)", body = shared::errors::ErrorBody)))]
pub async fn get_document(
    State(state): State<AppState>,
    identity: Identity,
    Path((id, delegation)): Path<(StructureId, String)>,
) -> ApiResult<Response> {
    let access = identity.require_legal_representative(&id)?;
    let delegation = delegation_id(&delegation)?;
    let actor = identity.actor(access.grant());
    let (media_type, content) =
        read_document::read_document(&state, &access, &actor, delegation).await?;
    let disposition = format!(
        "inline; filename=\"piece-identite-{delegation}.{}\"",
        document_extension(&media_type)
    );
    Ok((
        [
            (header::CONTENT_TYPE, media_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        content,
    )
        .into_response())
}

#[utoipa::path(post, path = "/api/structures/{id}/mandataires/fin", tag = "structures",
    params(("id" = String, Path, description = "Identifiant national de la structure")),
    request_body = EndMandateRequest,
    responses(
        (status = 200, description = "Mandat terminé : les droits du mandataire s'arrêtent aussitôt", body = MandateEnded),
        (status = 403, description = "Réservé au représentant légal de la structure", body = shared::errors::ErrorBody),
        (status = 404, description = "Pas de mandataire en cours de ce nom", body = shared::errors::ErrorBody)))]
pub async fn post_end_mandate(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<StructureId>,
    Json(request): Json<EndMandateRequest>,
) -> ApiResult<axum::Json<MandateEnded>> {
    let access = identity.require_own_legal_representative(&id)?;
    let actor = identity.actor(access.grant());
    Ok(axum::Json(
        end_mandate(&state, &access, &actor, request.national_id.trim()).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DelegationQuery {
    /// `en_attente` (when absent), `validee`, `rejetee` or `retiree`.
    pub statut: Option<String>,
}

#[utoipa::path(get, path = "/api/backoffice/delegations", tag = "back-office",
    params(DelegationQuery),
    responses(
        (status = 200, description = "Les délégations de ce statut, toutes structures, les plus anciennes d'abord (500 au plus)", body = DelegationList),
        (status = 400, description = "Statut inconnu", body = shared::errors::ErrorBody),
        (status = 403, description = "Réservé aux opérateurs", body = shared::errors::ErrorBody)))]
pub async fn get_backoffice_delegations(
    State(state): State<AppState>,
    identity: Identity,
    Query(q): Query<DelegationQuery>,
) -> ApiResult<axum::Json<DelegationList>> {
    identity.require_operator()?;
    let status = match q.statut.as_deref() {
        None | Some("") => DelegationStatus::EnAttente,
        Some(s) => DelegationStatus::parse(s).ok_or_else(|| {
            ApiError::message(
                ErrorCode::InvalidRequest,
                Message::new("unknown_status").arg("status", s),
            )
        })?,
    };
    let rows = store::list_by_status(&state.db, status).await?;
    Ok(axum::Json(list(&state, rows)))
}

#[utoipa::path(post, path = "/api/backoffice/delegations/{delegation}/validation", tag = "back-office",
    params(("delegation" = String, Path, description = "Numéro de la délégation")),
    responses(
        (status = 200, description = "Délégation validée : le mandat commence maintenant", body = Delegation),
        (status = 403, description = "Réservé aux opérateurs", body = shared::errors::ErrorBody),
        (status = 409, description = "Déjà décidée ou retirée", body = shared::errors::ErrorBody)))]
pub async fn post_validate(
    State(state): State<AppState>,
    identity: Identity,
    Path(delegation): Path<String>,
) -> ApiResult<axum::Json<Delegation>> {
    let operator = identity.require_operator()?;
    let delegation = delegation_id(&delegation)?;
    let actor = identity.operator_actor(&operator);
    let row = validate::validate(&state, &operator, &actor, delegation).await?;
    Ok(axum::Json(row.to_api(state.clock.now())))
}

#[utoipa::path(post, path = "/api/backoffice/delegations/{delegation}/rejet", tag = "back-office",
    params(("delegation" = String, Path, description = "Numéro de la délégation")),
    request_body = RejectDelegation,
    responses(
        (status = 200, description = "Délégation rejetée, avec son motif", body = Delegation),
        (status = 400, description = "Motif manquant", body = shared::errors::ErrorBody),
        (status = 403, description = "Réservé aux opérateurs", body = shared::errors::ErrorBody),
        (status = 409, description = "Déjà décidée ou retirée", body = shared::errors::ErrorBody)))]
pub async fn post_reject(
    State(state): State<AppState>,
    identity: Identity,
    Path(delegation): Path<String>,
    Json(request): Json<RejectDelegation>,
) -> ApiResult<axum::Json<Delegation>> {
    let operator = identity.require_operator()?;
    let delegation = delegation_id(&delegation)?;
    let actor = identity.operator_actor(&operator);
    let row = reject::reject(&state, &operator, &actor, delegation, &request.reason).await?;
    Ok(axum::Json(row.to_api(state.clock.now())))
}

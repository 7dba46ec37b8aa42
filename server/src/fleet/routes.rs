//! The fleet's routes: thin handlers (extract → authorize → use case → answer). Reading: any
//! current mandate or legal representation of the structure, and operators. Acting on cards:
//! a mandate or legal representation of that structure (operators read but do not act).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use shared::api::{
    CardActionDone, CardDetail, EndOfExerciseRequest, FleetFilter, FleetPage, FleetSummary,
    IncidentRequest, RenewalCreated, RenewalRequest,
};
use shared::date::Date;
use shared::errors::ErrorCode;
use shared::message::Message;
use shared::order::model::HolderChange;

use super::browse::{self, MAX_PAGE};
use super::export::{self, Format};
use super::store::Selection;
use super::{change_holder, declare_incident, end_exercise, renew};
use crate::auth::access::StructureId;
use crate::auth::identity::Identity;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::{Json as Body, Path, Query};
use crate::state::AppState;

/// Paging of the fleet list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The cursor `next` of the previous page.
    #[serde(default)]
    pub apres: Option<String>,
    /// Cards per page, 1 to 200 (50 when absent).
    #[serde(default)]
    pub limite: Option<i64>,
}

/// The format of a download.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `csv` (Excel en français : UTF-8 avec BOM, « ; »), `xlsx` ou `xml`
    /// (schemas/tom-parc-v1.xsd).
    #[serde(default)]
    pub format: String,
}

/// The selection of a filter, or the French 400 naming the unreadable parameter.
pub fn selection_of(filter: &FleetFilter, now: i64) -> ApiResult<Selection> {
    Selection::from_filter(filter, now).map_err(|param| {
        let message = match param {
            "statut" => Message::new("unknown_card_state").arg("state", filter.statut.clone()),
            "mois" => Message::new("unreadable_month").arg("month", filter.mois.clone()),
            _ => Message::new("unreadable_query"),
        };
        ApiError::message(ErrorCode::InvalidRequest, message)
    })
}

fn parse_date(text: &str) -> ApiResult<Date> {
    Date::parse_iso(text.trim()).ok_or_else(|| {
        ApiError::message(
            ErrorCode::InvalidRequest,
            Message::new("unreadable_date").arg("date", text.to_string()),
        )
    })
}

/// A serial number as the fleet writes it (lower-case hex), or 404.
fn serial_of(text: &str) -> ApiResult<String> {
    let serial = text.trim().to_ascii_lowercase();
    if serial.is_empty() || serial.len() > 64 || !serial.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ErrorCode::NotFound.into());
    }
    Ok(serial)
}

#[utoipa::path(get, path = "/api/structures/{id}/fleet", tag = "parc",
    params(("id" = String, Path, description = "Identifiant national de la structure"), FleetFilter, PageQuery),
    responses(
        (status = 200, description = "Une page du parc, par nom du porteur", body = FleetPage),
        (status = 400, description = "Paramètre illisible", body = shared::errors::ErrorBody),
        (status = 403, description = "Pas de mandat pour cette structure", body = shared::errors::ErrorBody)))]
pub async fn get_fleet(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<StructureId>,
    Query(filter): Query<FleetFilter>,
    Query(paging): Query<PageQuery>,
) -> ApiResult<Json<FleetPage>> {
    let access = identity.require_mandate(&id)?;
    let now = state.clock.now();
    let selection = selection_of(&filter, now)?;
    let limit = paging.limite.unwrap_or(50);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::message(
            ErrorCode::InvalidRequest,
            Message::new("unreadable_query"),
        ));
    }
    let after = match paging.apres.as_deref().filter(|a| !a.is_empty()) {
        Some(text) => Some(browse::parse_cursor(text).ok_or_else(|| {
            ApiError::message(ErrorCode::InvalidRequest, Message::new("unreadable_query"))
        })?),
        None => None,
    };
    Ok(Json(
        browse::page(&state.db, &access, &selection, after, limit, now).await?,
    ))
}

#[utoipa::path(get, path = "/api/structures/{id}/fleet/export", tag = "parc",
    params(("id" = String, Path, description = "Identifiant national de la structure"), ExportQuery, FleetFilter),
    responses(
        (status = 200, description = "Les cartes du parc retenues par les filtres, par nom du porteur, en pièce jointe \
            `parc-<structure>-<AAAA-MM-JJ>.<format>` : CSV pour Excel, XLSX, ou XML (schemas/tom-parc-v1.xsd)",
            content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("application/xml"))),
        (status = 400, description = "Format inconnu ou filtre illisible", body = shared::errors::ErrorBody),
        (status = 403, description = "Pas de mandat pour cette structure", body = shared::errors::ErrorBody)))]
pub async fn get_export(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<StructureId>,
    Query(filter): Query<FleetFilter>,
    Query(query): Query<ExportQuery>,
) -> ApiResult<Response> {
    let access = identity.require_mandate(&id)?;
    let format = Format::parse(&query.format).ok_or_else(|| {
        ApiError::message(
            ErrorCode::InvalidRequest,
            Message::new("unknown_export_format").arg("format", query.format.clone()),
        )
    })?;
    let now = state.clock.now();
    let selection = selection_of(&filter, now)?;
    let actor = identity.actor(access.grant());
    let download =
        export::start(&state.db, &access, &actor, &filter, selection, format, now).await?;
    let body = futures_util::stream::unfold(download.chunks, |mut chunks| async move {
        chunks.recv().await.map(|chunk| (chunk, chunks))
    });
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", download.file_name),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        axum::body::Body::from_stream(body),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/structures/{id}/fleet/summary", tag = "parc",
    params(("id" = String, Path, description = "Identifiant national de la structure")),
    responses(
        (status = 200, description = "Cartes actives arrivant à échéance par mois (36 mois) et cartes par statut", body = FleetSummary),
        (status = 403, description = "Pas de mandat pour cette structure", body = shared::errors::ErrorBody)))]
pub async fn get_summary(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<StructureId>,
) -> ApiResult<Json<FleetSummary>> {
    let access = identity.require_mandate(&id)?;
    Ok(Json(
        browse::summary(&state.db, &access, state.clock.now()).await?,
    ))
}

#[utoipa::path(get, path = "/api/structures/{id}/cards/{serial}", tag = "parc",
    params(("id" = String, Path, description = "Identifiant national de la structure"),
        ("serial" = String, Path, description = "Numéro de série de la carte (hexadécimal)")),
    responses(
        (status = 200, description = "La carte, son porteur et son historique", body = CardDetail),
        (status = 403, description = "Pas de mandat pour cette structure", body = shared::errors::ErrorBody),
        (status = 404, description = "Pas de carte de ce numéro dans la structure", body = shared::errors::ErrorBody)))]
pub async fn get_card(
    State(state): State<AppState>,
    identity: Identity,
    Path((id, serial)): Path<(StructureId, String)>,
) -> ApiResult<Json<CardDetail>> {
    let access = identity.require_mandate(&id)?;
    let serial = serial_of(&serial)?;
    browse::card(&state.db, &access, &serial, state.clock.now())
        .await?
        .map(Json)
        .ok_or(ErrorCode::NotFound.into())
}

#[utoipa::path(post, path = "/api/structures/{id}/cards/{serial}/porteur", tag = "parc",
    params(("id" = String, Path, description = "Identifiant national de la structure"),
        ("serial" = String, Path, description = "Numéro de série de la carte (hexadécimal)")),
    request_body(content = Object, description = "Les champs à modifier (modificationPorteur), dont adresseCarte et adressePin"),
    responses(
        (status = 200, description = "Modification enregistrée", body = CardActionDone),
        (status = 400, description = "Donnée refusée par les règles de commande", body = shared::errors::ErrorBody),
        (status = 403, description = "Pas de mandat pour cette structure", body = shared::errors::ErrorBody),
        (status = 404, description = "Pas de carte de ce numéro dans la structure", body = shared::errors::ErrorBody),
        (status = 409, description = "Carte plus active, ou identité tenue par le RPPS", body = shared::errors::ErrorBody)))]
pub async fn post_holder(
    State(state): State<AppState>,
    identity: Identity,
    Path((id, serial)): Path<(StructureId, String)>,
    Body(change): Body<HolderChange>,
) -> ApiResult<Json<CardActionDone>> {
    let access = identity.require_own_mandate(&id)?;
    let serial = serial_of(&serial)?;
    let actor = identity.actor(access.grant());
    Ok(Json(
        change_holder::change_holder(&state, &access, &actor, &serial, change).await?,
    ))
}

#[utoipa::path(post, path = "/api/structures/{id}/cards/{serial}/fin-exercice", tag = "parc",
    params(("id" = String, Path, description = "Identifiant national de la structure"),
        ("serial" = String, Path, description = "Numéro de série de la carte (hexadécimal)")),
    request_body(content = EndOfExerciseRequest),
    responses(
        (status = 200, description = "Fin d'exercice appliquée (carte révoquée) ou programmée", body = CardActionDone),
        (status = 400, description = "Date illisible ou passée", body = shared::errors::ErrorBody),
        (status = 403, description = "Pas de mandat pour cette structure", body = shared::errors::ErrorBody),
        (status = 404, description = "Pas de carte de ce numéro dans la structure", body = shared::errors::ErrorBody),
        (status = 409, description = "Carte plus active", body = shared::errors::ErrorBody)))]
pub async fn post_end(
    State(state): State<AppState>,
    identity: Identity,
    Path((id, serial)): Path<(StructureId, String)>,
    Body(request): Body<EndOfExerciseRequest>,
) -> ApiResult<Json<CardActionDone>> {
    let access = identity.require_own_mandate(&id)?;
    let serial = serial_of(&serial)?;
    let date = parse_date(&request.date)?;
    let actor = identity.actor(access.grant());
    Ok(Json(
        end_exercise::end_exercise(&state, &access, &actor, &serial, date).await?,
    ))
}

#[utoipa::path(post, path = "/api/structures/{id}/cards/{serial}/incident", tag = "parc",
    params(("id" = String, Path, description = "Identifiant national de la structure"),
        ("serial" = String, Path, description = "Numéro de série de la carte (hexadécimal)")),
    request_body(content = IncidentRequest),
    responses(
        (status = 200, description = "Incident enregistré : opposition faite (perte, vol) et remplacement commandé s'il est demandé", body = CardActionDone),
        (status = 400, description = "Nature ou date illisible", body = shared::errors::ErrorBody),
        (status = 403, description = "Pas de mandat pour cette structure", body = shared::errors::ErrorBody),
        (status = 404, description = "Pas de carte de ce numéro dans la structure", body = shared::errors::ErrorBody),
        (status = 409, description = "Carte plus active", body = shared::errors::ErrorBody)))]
pub async fn post_incident(
    State(state): State<AppState>,
    identity: Identity,
    Path((id, serial)): Path<(StructureId, String)>,
    Body(request): Body<IncidentRequest>,
) -> ApiResult<Json<CardActionDone>> {
    let access = identity.require_own_mandate(&id)?;
    let serial = serial_of(&serial)?;
    let nature = declare_incident::nature_of(request.nature.trim()).ok_or_else(|| {
        ApiError::message(
            ErrorCode::InvalidRequest,
            Message::new("unknown_incident_nature").arg("nature", request.nature.clone()),
        )
    })?;
    let date = parse_date(&request.date)?;
    let actor = identity.actor(access.grant());
    Ok(Json(
        declare_incident::declare(
            &state,
            &access,
            &actor,
            &serial,
            nature,
            date,
            request.replacement,
        )
        .await?,
    ))
}

#[utoipa::path(post, path = "/api/structures/{id}/fleet/renewals", tag = "parc",
    params(("id" = String, Path, description = "Identifiant national de la structure")),
    request_body(content = RenewalRequest),
    responses(
        (status = 201, description = "Une commande de renouvellement, une ligne par carte", body = RenewalCreated),
        (status = 400, description = "Aucune carte, ou trop de cartes", body = shared::errors::ErrorBody),
        (status = 403, description = "Pas de mandat pour cette structure", body = shared::errors::ErrorBody),
        (status = 404, description = "Une carte n'est pas dans la structure", body = shared::errors::ErrorBody),
        (status = 409, description = "Une carte n'est plus active ou n'a pas de porteur connu", body = shared::errors::ErrorBody)))]
pub async fn post_renewals(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<StructureId>,
    Body(request): Body<RenewalRequest>,
) -> ApiResult<(axum::http::StatusCode, Json<RenewalCreated>)> {
    let access = identity.require_own_mandate(&id)?;
    let serials = request
        .serials
        .iter()
        .map(|s| serial_of(s))
        .collect::<ApiResult<Vec<_>>>()?;
    let actor = identity.actor(access.grant());
    Ok((
        axum::http::StatusCode::CREATED,
        Json(renew::renew(&state, &access, &actor, &serials).await?),
    ))
}

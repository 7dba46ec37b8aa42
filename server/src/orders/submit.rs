//! Submitting an order (form or file, the same XML): validated again on the server, checked
//! against the structure, stored whole with its audit entry in one transaction, or not at all.
//! A second submission with the same idempotency key or content is refused by the database and
//! answered with the first order.

use serde_json::json;
use shared::api::{AuditAction, OrderRefused, OrderSource};
use shared::errors::ErrorCode;
use shared::order::model::StructureKind;
use shared::order::Validator;

use super::lines::lines_of;
use super::store::{self, NewOrder};
use crate::audit::{self, Actor, Entry};
use crate::auth::access::{Access, OrderId};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::http::params::date_of;
use crate::state::AppState;
use crate::structures::store::find_structure;

/// An order as it arrived.
pub struct Submission {
    pub idempotency_key: String,
    pub source: OrderSource,
    pub bytes: axum::body::Bytes,
}

/// The order TOM holds for the submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submitted {
    Created(String),
    AlreadyReceived(String),
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(ring::digest::digest(&ring::digest::SHA256, bytes))
}

/// An order the server checked itself: its model, its lines as stored, its SHA-256.
pub struct Checked {
    pub order: shared::order::model::Order,
    pub lines: Vec<super::store::NewLine>,
    pub sha: String,
    /// The structure it is for (its identifiers give the new cards' identifiants nationaux).
    pub structure: crate::structures::store::StructureRow,
}

/// Validates an order again on the server (the browser's verdict is never trusted) and checks
/// that it is for the structure of `access`.
pub async fn check(
    state: &AppState,
    access: &Access,
    bytes: axum::body::Bytes,
) -> ApiResult<Checked> {
    let sha = sha256_hex(&bytes);
    let today = date_of(state.clock.now());
    let report = tokio::task::spawn_blocking(move || Validator::new(today).validate(&bytes))
        .await
        .map_err(anyhow::Error::from)?;
    if !report.is_valid() {
        return Err(ApiError::OrderRefused(Box::new(OrderRefused {
            code: ErrorCode::InvalidOrder.code().to_string(),
            message: shared::message::order_refused(report.error_count()),
            errors: report.errors,
        })));
    }
    let order = report
        .order
        .ok_or_else(|| anyhow::anyhow!("rapport valide sans modèle"))?;
    let structure = find_structure(&state.db, access)
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
    Ok(Checked {
        order,
        lines,
        sha,
        structure,
    })
}

/// A new order number.
pub fn new_order_id(state: &AppState) -> OrderId {
    let mut random = [0u8; 10];
    state.random.fill(&mut random);
    OrderId::from_random(random)
}

/// An idempotency key for an order TOM makes itself (a replacement, a designation's card).
pub fn new_idempotency_key(state: &AppState) -> String {
    let mut key = [0u8; 16];
    state.random.fill(&mut key);
    hex::encode(key)
}

pub async fn submit(
    state: &AppState,
    access: &Access,
    actor: &Actor,
    submission: Submission,
) -> ApiResult<Submitted> {
    let Checked {
        order, lines, sha, ..
    } = check(state, access, submission.bytes).await?;
    let order_id = new_order_id(state);
    let now = state.clock.now();
    let new = NewOrder {
        id: order_id.as_str(),
        structure_id: access.structure_id(),
        source: submission.source,
        issuer_reference: &order.header.issuer_reference,
        submitted_by: &actor.national_id,
        submitted_at: now,
        idempotency_key: &submission.idempotency_key,
        content_sha256: &sha,
    };
    let mut tx = state.db.begin().await?;
    if let Err(e) = store::insert_order(&mut tx, &new, &lines).await {
        if db::constraint_of(&e).is_some() {
            drop(tx);
            let existing =
                store::find_existing(&state.db, access, &submission.idempotency_key, &sha)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("conflit d'unicité sans commande existante"))?;
            return Ok(Submitted::AlreadyReceived(existing));
        }
        return Err(anyhow::Error::from(e)
            .context("enregistrement de la commande")
            .into());
    }
    // Operations on existing cards are applied now, in the same transaction.
    let crl = crate::fleet::apply_order::apply_operations(
        &mut tx,
        state,
        access,
        actor,
        order_id.as_str(),
        &order.operations,
        now,
    )
    .await?;
    audit_submitted(
        &mut tx,
        now,
        actor,
        access,
        order_id.as_str(),
        json!({
            "commande": order_id.as_str(),
            "lignes": lines.len(),
            "source": submission.source.code(),
            "reference": order.header.issuer_reference,
            "sha256": sha,
        }),
    )
    .await
    .map_err(|e| e.context("journal d'audit"))?;
    tx.commit()
        .await
        .map_err(|e| anyhow::Error::from(e).context("validation de la transaction"))?;
    if let Some(der) = crl {
        crate::issuing::crl::CrlSigner::from_config(&state.config).publish(
            &state.trust,
            &state.crls,
            &der,
        );
    }
    tracing::info!(order = %order_id, structure = %access.structure_id(), lines = lines.len(), "commande enregistrée");
    Ok(Submitted::Created(order_id.as_str().to_string()))
}

/// The audit entry of an order received (`commande_soumise`), whatever sent it: the order form or
/// file, a renewal or replacement, a designation.
pub async fn audit_submitted(
    tx: &mut crate::db::Tx,
    at: i64,
    actor: &Actor,
    access: &Access,
    order_id: &str,
    details: serde_json::Value,
) -> anyhow::Result<()> {
    audit::append(
        tx,
        &Entry {
            at,
            actor,
            structure_id: Some(access.structure_id()),
            action: AuditAction::CommandeSoumise,
            object: format!("commande {order_id}"),
            before: None,
            after: Some(details),
        },
    )
    .await
    .map(|_| ())
    .map_err(anyhow::Error::from)
}

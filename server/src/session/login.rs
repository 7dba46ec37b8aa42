//! "Se connecter avec ma carte": a session bound to the presented card, opened with its audit
//! entry in one transaction.

use serde_json::json;
use shared::api::{AuditAction, Me};

use super::store;
use crate::audit::{self, Actor, Entry};
use crate::auth::identity::{holder_of, PresentedCard};
use crate::auth::session::NewSession;
use crate::error::ApiResult;
use crate::state::AppState;

pub async fn login(state: &AppState, card: &PresentedCard) -> ApiResult<(Me, NewSession)> {
    let (holder, is_operator) = holder_of(state, card).await?;
    let now = state.clock.now();
    let structures =
        crate::auth::store::find_structures_for_person(&state.db, &holder.national_id, now).await?;
    let session = NewSession::generate(state)?;
    let actor = Actor {
        fingerprint: card.info.fingerprint.clone(),
        national_id: holder.national_id.clone(),
        role: if is_operator {
            "operateur"
        } else {
            "titulaire"
        },
    };
    let mut tx = state.db.begin().await?;
    store::insert_session(
        &mut tx,
        &session.id_hash,
        &card.info.fingerprint,
        &session.csrf_token,
        now,
    )
    .await?;
    audit::append(
        &mut tx,
        &Entry {
            at: now,
            actor: &actor,
            structure_id: None,
            action: AuditAction::Connexion,
            object: format!("carte {}", card.info.serial),
            before: None,
            after: Some(json!({ "type_de_carte": holder.card_type.code() })),
        },
    )
    .await?;
    tx.commit().await?;
    let mut ended_in =
        crate::auth::store::find_ended_mandates(&state.db, &holder.national_id, now).await?;
    ended_in.retain(|id| !structures.iter().any(|s| &s.id == id));
    let me = Me {
        holder,
        is_operator,
        structures,
        ended_in,
        csrf_token: session.csrf_token.clone(),
        session_expires_at: now + state.config.session_max_hours * 3600,
    };
    Ok((me, session))
}

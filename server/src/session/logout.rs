//! "Se déconnecter": the session deleted, on every instance at once (it lives in the database),
//! with its audit entry.

use shared::api::AuditAction;

use super::store;
use crate::audit::{self, Entry};
use crate::auth::identity::Identity;
use crate::error::ApiResult;
use crate::state::AppState;

pub async fn logout(state: &AppState, identity: &Identity) -> ApiResult<()> {
    let actor = identity.holder_actor();
    let mut tx = state.db.begin().await?;
    store::delete_session_in(&mut tx, &identity.session.id_hash).await?;
    audit::append(
        &mut tx,
        &Entry {
            at: state.clock.now(),
            actor: &actor,
            structure_id: None,
            action: AuditAction::Deconnexion,
            object: "session".to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

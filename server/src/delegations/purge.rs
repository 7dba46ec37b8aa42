//! Deletes identity documents whose retention is over (`identity_document_days` after the
//! decision or the withdrawal). Called by the jobs at each poll; on several instances, the
//! first to delete a document writes its audit entry, the others find nothing to do.

use shared::api::AuditAction;

use super::store;
use crate::audit::{self, Actor, Entry};
use crate::db::Db;

/// Deletes the documents due at `now`; returns how many.
pub async fn purge_documents(db: &Db, now: i64) -> anyhow::Result<usize> {
    let actor = Actor {
        fingerprint: String::new(),
        national_id: "TOM".to_string(),
        role: "systeme",
    };
    let mut done = 0;
    for (id, structure) in store::documents_due(db, now).await? {
        let mut tx = db.begin().await?;
        if !store::delete_document(&mut tx, &id).await? {
            continue;
        }
        audit::append(
            &mut tx,
            &Entry {
                at: now,
                actor: &actor,
                structure_id: Some(&structure),
                action: AuditAction::PieceIdentiteSupprimee,
                object: format!("délégation {id}"),
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        done += 1;
    }
    Ok(done)
}

//! Deletes the sessions past their idle or absolute limit (they would be refused anyway).

use crate::db::Db;
use crate::session::store;

/// Session limits, in seconds.
#[derive(Debug, Clone, Copy)]
pub struct SessionLimits {
    pub idle_seconds: i64,
    pub max_seconds: i64,
}

pub async fn purge(db: &Db, limits: SessionLimits, now: i64) -> anyhow::Result<u64> {
    let mut tx = db.begin().await?;
    let purged = store::delete_expired_sessions(
        &mut tx,
        now - limits.idle_seconds,
        now - limits.max_seconds,
    )
    .await?;
    // Attempts counted by the limits live an hour at most; a day is kept for the record.
    crate::auth::store::delete_attempts_before(&mut tx, now - 86_400).await?;
    tx.commit().await?;
    if purged > 0 {
        tracing::info!(purged, "sessions expirées supprimées");
    }
    Ok(purged)
}

//! Sessions' SQL: shared by every instance through the database.

use crate::db::{on_pool, on_tx, Db, Tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub fingerprint: String,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

pub async fn insert_session(
    tx: &mut Tx,
    id_hash: &str,
    fingerprint: &str,
    csrf_token: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    const SQL: &str = "INSERT INTO sessions (id_hash, fingerprint, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)";
    on_tx!(tx, c => sqlx::query(SQL).bind(id_hash).bind(fingerprint).bind(csrf_token).bind(now).execute(c).await.map(|_| ())?);
    Ok(())
}

/// Deletes a session in the use case's transaction (logout).
pub async fn delete_session_in(tx: &mut Tx, id_hash: &str) -> Result<(), sqlx::Error> {
    const SQL: &str = "DELETE FROM sessions WHERE id_hash = $1";
    on_tx!(tx, c => sqlx::query(SQL).bind(id_hash).execute(c).await.map(|_| ())?);
    Ok(())
}

pub async fn find_session(db: &Db, id_hash: &str) -> anyhow::Result<Option<SessionRow>> {
    const SQL: &str =
        "SELECT fingerprint, csrf_token, created_at, last_seen_at FROM sessions WHERE id_hash = $1";
    Ok(on_pool!(db, p => sqlx::query_as(SQL).bind(id_hash).fetch_optional(p).await?))
}

pub async fn touch_session(tx: &mut Tx, id_hash: &str, now: i64) -> anyhow::Result<()> {
    const SQL: &str = "UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2";
    on_tx!(tx, c => sqlx::query(SQL).bind(now).bind(id_hash).execute(c).await.map(|_| ())?);
    Ok(())
}

pub async fn delete_session(tx: &mut Tx, id_hash: &str) -> anyhow::Result<()> {
    const SQL: &str = "DELETE FROM sessions WHERE id_hash = $1";
    on_tx!(tx, c => sqlx::query(SQL).bind(id_hash).execute(c).await.map(|_| ())?);
    Ok(())
}

/// Removes sessions idle since before `idle_before` or created before `created_before`.
pub async fn delete_expired_sessions(
    tx: &mut Tx,
    idle_before: i64,
    created_before: i64,
) -> anyhow::Result<u64> {
    const SQL: &str = "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2";
    let done = on_tx!(tx, c => sqlx::query(SQL).bind(idle_before).bind(created_before).execute(c).await?.rows_affected());
    Ok(done)
}

pub async fn count_sessions(db: &Db) -> anyhow::Result<i64> {
    Ok(on_pool!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(p).await?))
}

//! Appending an entry, inside the transaction of the change it records: both are written or
//! neither. The chain's end (`audit_head`) is locked by the append, so that instances writing at
//! once still make one chain.

use serde_json::Value;
use shared::api::AuditAction;

use super::chain::{self, Content};
use crate::db::{on_tx, Tx};

/// Who acted: the card (its certificate's fingerprint), the holder, and the role they acted in.
#[derive(Debug, Clone)]
pub struct Actor {
    pub fingerprint: String,
    pub national_id: String,
    /// `mandataire`, `representant_legal`, `operateur` or `titulaire`.
    pub role: &'static str,
}

/// An entry about to be appended. Never keys, PINs or PKCS#12 in `before`/`after`.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub at: i64,
    pub actor: &'a Actor,
    pub structure_id: Option<&'a str>,
    pub action: AuditAction,
    pub object: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

#[derive(sqlx::FromRow)]
struct Head {
    seq: i64,
    hash: String,
}

/// Appends the entry after the chain's end; returns its position.
pub async fn append(tx: &mut Tx, entry: &Entry<'_>) -> Result<i64, sqlx::Error> {
    const HEAD_SQLITE: &str = "SELECT seq, hash FROM audit_head WHERE id = 1";
    const HEAD_POSTGRES: &str = "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE";
    const INSERT: &str = "INSERT INTO audit_log (seq, at, actor_fingerprint, actor_national_id, \
        actor_role, structure_id, action, object, before_value, after_value, prev_hash, hash) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
    const MOVE_HEAD: &str = "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1";
    let head: Head = match tx {
        Tx::Sqlite(t) => sqlx::query_as(HEAD_SQLITE).fetch_one(&mut **t).await?,
        Tx::Postgres(t) => sqlx::query_as(HEAD_POSTGRES).fetch_one(&mut **t).await?,
    };
    let before = entry.before.as_ref().map(Value::to_string);
    let after = entry.after.as_ref().map(Value::to_string);
    let content = Content {
        at: entry.at,
        actor_fingerprint: &entry.actor.fingerprint,
        actor_national_id: &entry.actor.national_id,
        actor_role: entry.actor.role,
        structure_id: entry.structure_id,
        action: entry.action.code(),
        object: &entry.object,
        before: before.as_deref(),
        after: after.as_deref(),
    };
    let seq = head.seq + 1;
    let hash = chain::hash(&head.hash, &content);
    on_tx!(tx, c => {
        sqlx::query(INSERT)
            .bind(seq)
            .bind(content.at)
            .bind(content.actor_fingerprint)
            .bind(content.actor_national_id)
            .bind(content.actor_role)
            .bind(content.structure_id)
            .bind(content.action)
            .bind(content.object)
            .bind(content.before)
            .bind(content.after)
            .bind(&head.hash)
            .bind(&hash)
            .execute(&mut *c)
            .await?;
        sqlx::query(MOVE_HEAD).bind(seq).bind(&hash).execute(&mut *c).await?;
    });
    Ok(seq)
}

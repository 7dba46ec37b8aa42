//! The audit trail's SQL: pages for the API, batches in chain order for the verifier.

use shared::api::AuditEntry;

use crate::db::{on_pool, Db};

/// An entry as stored, hash fields included.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredEntry {
    pub seq: i64,
    pub at: i64,
    pub actor_fingerprint: String,
    pub actor_national_id: String,
    pub actor_role: String,
    pub structure_id: Option<String>,
    pub action: String,
    pub object: String,
    pub before_value: Option<String>,
    pub after_value: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl StoredEntry {
    pub fn content(&self) -> super::chain::Content<'_> {
        super::chain::Content {
            at: self.at,
            actor_fingerprint: &self.actor_fingerprint,
            actor_national_id: &self.actor_national_id,
            actor_role: &self.actor_role,
            structure_id: self.structure_id.as_deref(),
            action: &self.action,
            object: &self.object,
            before: self.before_value.as_deref(),
            after: self.after_value.as_deref(),
        }
    }

    pub fn into_api(self) -> AuditEntry {
        AuditEntry {
            seq: self.seq,
            at: self.at,
            actor_fingerprint: self.actor_fingerprint,
            actor_national_id: self.actor_national_id,
            actor_role: self.actor_role,
            structure_id: self.structure_id,
            action: self.action,
            object: self.object,
            before: self.before_value,
            after: self.after_value,
        }
    }
}

const COLUMNS: &str = "seq, at, actor_fingerprint, actor_national_id, actor_role, structure_id, \
    action, object, before_value, after_value, prev_hash, hash";

/// Filters of the audit views. `structure` empty means every structure (operators only: the
/// route decides).
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub structure: String,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, exclusive.
    pub until: Option<i64>,
    /// An action code, or empty.
    pub action: String,
    /// Entries before this position (keyset paging), newest first.
    pub before_seq: Option<i64>,
}

/// One page of entries, newest first.
pub async fn list_entries(
    db: &Db,
    filter: &AuditFilter,
    limit: i64,
) -> anyhow::Result<Vec<StoredEntry>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_log WHERE ($1 = '' OR structure_id = $1) \
        AND at >= $2 AND at < $3 AND ($4 = '' OR action = $4) AND seq < $5 \
        ORDER BY seq DESC LIMIT $6"
    );
    Ok(on_pool!(db, p => sqlx::query_as(&sql)
        .bind(&filter.structure)
        .bind(filter.from.unwrap_or(i64::MIN))
        .bind(filter.until.unwrap_or(i64::MAX))
        .bind(&filter.action)
        .bind(filter.before_seq.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(p)
        .await?))
}

/// Entries after `after_seq` in chain order, at most `limit`: the verifier's batches.
pub async fn batch_after(db: &Db, after_seq: i64, limit: i64) -> anyhow::Result<Vec<StoredEntry>> {
    let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2");
    Ok(on_pool!(db, p => sqlx::query_as(&sql).bind(after_seq).bind(limit).fetch_all(p).await?))
}

/// The chain's end as the database says: position and hash; none if its row was deleted.
pub async fn head(db: &Db) -> anyhow::Result<Option<(i64, String)>> {
    const SQL: &str = "SELECT seq, hash FROM audit_head WHERE id = 1";
    Ok(on_pool!(db, p => sqlx::query_as(SQL).fetch_optional(p).await?))
}

/// The hash of one entry, if it is there.
pub async fn hash_at(db: &Db, seq: i64) -> anyhow::Result<Option<String>> {
    const SQL: &str = "SELECT hash FROM audit_log WHERE seq = $1";
    Ok(on_pool!(db, p => sqlx::query_scalar(SQL).bind(seq).fetch_optional(p).await?))
}

/// The entries about any of `objects` (e.g. `carte 0a1b…` and the line that produced it), in
/// chain order: a card's history.
pub async fn entries_about(db: &Db, objects: &[String]) -> anyhow::Result<Vec<StoredEntry>> {
    if objects.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=objects.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_log WHERE object IN ({}) ORDER BY seq",
        placeholders.join(", ")
    );
    Ok(on_pool!(db, p => {
        let mut query = sqlx::query_as(&sql);
        for object in objects {
            query = query.bind(object);
        }
        query.fetch_all(p).await?
    }))
}

//! The newest CRL per issuer, shared by every instance.

use crate::db::{on_pool, on_tx, Db, Tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CrlRow {
    pub issuer: String,
    pub number: i64,
    pub der: Vec<u8>,
}

/// Stores `der` unless the database already holds a newer CRL of that issuer.
pub async fn upsert_crl(
    tx: &mut Tx,
    issuer: &str,
    number: i64,
    der: &[u8],
    now: i64,
) -> anyhow::Result<()> {
    const SQL: &str = "INSERT INTO crls (issuer, number, der, updated_at) VALUES ($1, $2, $3, $4) \
        ON CONFLICT (issuer) DO UPDATE SET number = excluded.number, der = excluded.der, updated_at = excluded.updated_at \
        WHERE crls.number <= excluded.number";
    on_tx!(tx, c => sqlx::query(SQL).bind(issuer).bind(number).bind(der).bind(now).execute(c).await.map(|_| ())?);
    Ok(())
}

pub async fn list_crls(db: &Db) -> anyhow::Result<Vec<CrlRow>> {
    const SQL: &str = "SELECT issuer, number, der FROM crls ORDER BY issuer";
    Ok(on_pool!(db, p => sqlx::query_as(SQL).fetch_all(p).await?))
}

/// The stored CRL of an issuer, read without a lock.
pub async fn find_crl(db: &Db, issuer: &str) -> anyhow::Result<Option<Vec<u8>>> {
    const SQL: &str = "SELECT der FROM crls WHERE issuer = $1";
    Ok(on_pool!(db, p => sqlx::query_scalar(SQL).bind(issuer).fetch_optional(p).await?))
}

/// The stored CRL of an issuer, its row locked until the transaction ends (PostgreSQL; SQLite's
/// `BEGIN IMMEDIATE` already holds the write lock): the base of the next CRL TOM signs.
pub async fn crl_for_update(tx: &mut Tx, issuer: &str) -> anyhow::Result<Option<Vec<u8>>> {
    Ok(match tx {
        Tx::Sqlite(t) => {
            sqlx::query_scalar("SELECT der FROM crls WHERE issuer = $1")
                .bind(issuer)
                .fetch_optional(&mut **t)
                .await?
        }
        Tx::Postgres(t) => {
            sqlx::query_scalar("SELECT der FROM crls WHERE issuer = $1 FOR UPDATE")
                .bind(issuer)
                .fetch_optional(&mut **t)
                .await?
        }
    })
}

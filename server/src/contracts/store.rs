//! Contracts' SQL.

use crate::db::{on_tx, Tx};

/// Records the contract; `false` when the structure already has one (the primary key decides).
pub async fn insert_contract(
    tx: &mut Tx,
    structure_id: &str,
    legal_representative_id: &str,
    at: i64,
    registered_by: &str,
) -> Result<bool, sqlx::Error> {
    const SQL: &str = "INSERT INTO contracts (structure_id, legal_representative_id, \
        registered_at, registered_by) VALUES ($1, $2, $3, $4) ON CONFLICT (structure_id) DO NOTHING";
    on_tx!(tx, c => Ok(sqlx::query(SQL)
        .bind(structure_id)
        .bind(legal_representative_id)
        .bind(at)
        .bind(registered_by)
        .execute(c)
        .await?
        .rows_affected() == 1))
}

/// Whether the structure is in TOM.
pub async fn structure_exists(tx: &mut Tx, structure_id: &str) -> Result<bool, sqlx::Error> {
    const SQL: &str = "SELECT COUNT(*) FROM structures WHERE id = $1";
    let n: i64 = on_tx!(tx, c => sqlx::query_scalar(SQL).bind(structure_id).fetch_one(c).await?);
    Ok(n == 1)
}

/// Records the person unless TOM knows them already (their recorded name is kept).
pub async fn insert_person_if_missing(
    tx: &mut Tx,
    national_id: &str,
    family_name: &str,
    given_name: &str,
) -> Result<(), sqlx::Error> {
    const SQL: &str = "INSERT INTO persons (national_id, family_name, given_name) \
        VALUES ($1, $2, $3) ON CONFLICT (national_id) DO NOTHING";
    on_tx!(tx, c => sqlx::query(SQL)
        .bind(national_id)
        .bind(family_name)
        .bind(given_name)
        .execute(c)
        .await
        .map(|_| ()))
}

/// Whether someone is the structure's legal representative at `at`.
pub async fn has_legal_representative(
    tx: &mut Tx,
    structure_id: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    const SQL: &str = "SELECT COUNT(*) FROM mandates WHERE structure_id = $1 \
        AND role = 'representant_legal' AND start_at <= $2 AND (end_at IS NULL OR end_at > $2)";
    let n: i64 =
        on_tx!(tx, c => sqlx::query_scalar(SQL).bind(structure_id).bind(at).fetch_one(c).await?);
    Ok(n > 0)
}

//! Delegations' SQL.

use crate::auth::access::Access;
use crate::db::{on_tx, Tx};

/// Ends the running mandataire mandate of a person in the structure; `false` when there was none.
pub async fn end_mandataire_mandate(
    tx: &mut Tx,
    access: &Access,
    person_id: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    const SQL: &str = "UPDATE mandates SET end_at = $1 WHERE person_id = $2 AND structure_id = $3 \
        AND role = 'mandataire' AND start_at <= $1 AND (end_at IS NULL OR end_at > $1)";
    on_tx!(tx, c => Ok(sqlx::query(SQL)
        .bind(at)
        .bind(person_id)
        .bind(access.structure_id())
        .execute(c)
        .await?
        .rows_affected() == 1))
}

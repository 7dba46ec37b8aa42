//! The fleet's SQL: the cards TOM issued for a structure.

use crate::auth::access::Access;
use crate::db::{on_pool, Db};

#[derive(sqlx::FromRow)]
struct FleetRow {
    national_id: String,
    family_name: Option<String>,
    given_name: Option<String>,
    card_type: String,
    serial: String,
    issued_at: Option<i64>,
    not_after: Option<i64>,
}

/// The cards TOM issued for a structure, newest first.
pub async fn list_fleet(db: &Db, access: &Access) -> anyhow::Result<Vec<shared::api::FleetCard>> {
    const SQL: &str = "SELECT c.national_id, COALESCE(c.family_name, p.family_name) AS family_name, \
        COALESCE(c.given_name, p.given_name) AS given_name, c.card_type, c.serial, c.issued_at, c.not_after \
        FROM cards c LEFT JOIN persons p ON p.national_id = c.national_id \
        WHERE c.structure_id = $1 ORDER BY c.issued_at DESC, c.national_id";
    let rows: Vec<FleetRow> =
        on_pool!(db, p => sqlx::query_as(SQL).bind(access.structure_id()).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|r| shared::api::FleetCard {
            national_id: r.national_id,
            family_name: r.family_name.unwrap_or_default(),
            given_name: r.given_name.unwrap_or_default(),
            card_type: r.card_type,
            serial: r.serial,
            issued_at: r.issued_at,
            not_after: r.not_after,
        })
        .collect())
}

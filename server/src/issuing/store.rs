//! Fabrication's SQL: the line fabricated, the card in the fleet, its holder, and the card and
//! PIN letter files that only operators download.

use shared::tracking::LineProgress;

use crate::auth::access::OperatorAccess;
use crate::db::{on_pool, on_tx, Db, Tx};
use crate::orders::store::LineRow;

/// A fabricated card, to record with the line's new state.
pub struct Fabricated<'a> {
    pub issuer: &'a str,
    pub serial: &'a str,
    pub national_id: &'a str,
    pub card_type: &'a str,
    pub family_name: &'a str,
    pub given_name: &'a str,
    pub not_after: i64,
    pub pkcs12: &'a [u8],
    pub pin_letter: &'a [u8],
    /// What the fleet keeps of the holder (`shared::fleet::HolderRecord`).
    pub holder: &'a shared::fleet::HolderRecord,
}

/// Records fabrication in the use case's transaction: the line's state, the card in the fleet, the holder,
/// and the card and PIN letter files.
pub async fn record_fabrication(
    tx: &mut Tx,
    row: &LineRow,
    progress: &LineProgress,
    card: &Fabricated<'_>,
) -> Result<bool, sqlx::Error> {
    const LINE: &str = "UPDATE order_lines SET status = $1, fabricated_at = $2, card_serial = $3, \
        card_national_id = $4 WHERE order_id = $5 AND line_no = $6 AND status = $7";
    const PERSON: &str = "INSERT INTO persons (national_id, family_name, given_name) \
        VALUES ($1, $2, $3) ON CONFLICT (national_id) DO NOTHING";
    const CARD: &str = "INSERT INTO cards (issuer, serial, national_id, card_type, structure_id, \
        family_name, given_name, not_after, issued_at, holder, matricule, profession, name_key) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
    let holder_json = serde_json::to_string(card.holder).unwrap_or_default();
    let name_key = shared::fleet::holder_key(card.family_name, card.given_name);
    const FILES: &str = "INSERT INTO line_deliverables (order_id, line_no, pkcs12, pin_letter) \
        VALUES ($1, $2, $3, $4)";
    let now = progress.times.fabricated_at.unwrap_or_default();
    let ok: bool = on_tx!(tx, c => {
        let n = sqlx::query(LINE)
            .bind(progress.status().code())
            .bind(progress.times.fabricated_at)
            .bind(card.serial)
            .bind(card.national_id)
            .bind(&row.order_id)
            .bind(row.line_no)
            .bind(&row.status)
            .execute(&mut *c)
            .await?
            .rows_affected();
        if n == 1 {
            sqlx::query(PERSON)
                .bind(card.national_id)
                .bind(card.family_name)
                .bind(card.given_name)
                .execute(&mut *c)
                .await?;
            sqlx::query(CARD)
                .bind(card.issuer)
                .bind(card.serial)
                .bind(card.national_id)
                .bind(card.card_type)
                .bind(&row.structure_id)
                .bind(card.family_name)
                .bind(card.given_name)
                .bind(card.not_after)
                .bind(now)
                .bind(&holder_json)
                .bind(&card.holder.holder.matricule)
                .bind(card.holder.profession())
                .bind(&name_key)
                .execute(&mut *c)
                .await?;
            sqlx::query(FILES)
                .bind(&row.order_id)
                .bind(row.line_no)
                .bind(card.pkcs12)
                .bind(card.pin_letter)
                .execute(&mut *c)
                .await?;
            true
        } else {
            false
        }
    });
    Ok(ok)
}

/// The PKCS#12 or the PIN letter of a fabricated line.
pub async fn find_deliverable(
    db: &Db,
    _operator: &OperatorAccess,
    order_id: &str,
    line_no: i64,
    pin_letter: bool,
) -> anyhow::Result<Option<Vec<u8>>> {
    let sql = if pin_letter {
        "SELECT pin_letter FROM line_deliverables WHERE order_id = $1 AND line_no = $2"
    } else {
        "SELECT pkcs12 FROM line_deliverables WHERE order_id = $1 AND line_no = $2"
    };
    Ok(
        on_pool!(db, p => sqlx::query_scalar(sql).bind(order_id).bind(line_no).fetch_optional(p).await?),
    )
}

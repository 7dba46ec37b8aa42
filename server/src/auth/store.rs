//! What identifies a caller: people, the cards TOM issued them, the issuing service's operators,
//! and the structures a person holds a current mandate for.

use shared::api::{Role, StructureSummary};

use crate::db::{on_pool, on_tx, Db, Tx};

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    finess: Option<String>,
    siret: Option<String>,
    name: String,
    role: String,
    legal_entity_id: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRow {
    pub family_name: String,
    pub given_name: String,
}

pub async fn insert_person(
    tx: &mut Tx,
    national_id: &str,
    family_name: &str,
    given_name: &str,
) -> anyhow::Result<()> {
    const SQL: &str =
        "INSERT INTO persons (national_id, family_name, given_name) VALUES ($1, $2, $3)";
    on_tx!(tx, c => sqlx::query(SQL).bind(national_id).bind(family_name).bind(given_name).execute(c).await.map(|_| ())?);
    Ok(())
}

pub async fn find_person(db: &Db, national_id: &str) -> anyhow::Result<Option<PersonRow>> {
    const SQL: &str = "SELECT family_name, given_name FROM persons WHERE national_id = $1";
    Ok(on_pool!(db, p => sqlx::query_as(SQL).bind(national_id).fetch_optional(p).await?))
}

/// A card TOM knows it issued (the demo's test cards; fabricated cards go through
/// `orders::record_fabrication`).
pub struct KnownCard<'a> {
    pub issuer: &'a str,
    pub serial: &'a str,
    pub national_id: &'a str,
    pub card_type: &'a str,
    pub structure_id: &'a str,
    pub family_name: &'a str,
    pub given_name: &'a str,
}

pub async fn insert_card(tx: &mut Tx, card: &KnownCard<'_>) -> anyhow::Result<()> {
    const SQL: &str = "INSERT INTO cards (issuer, serial, national_id, card_type, structure_id, \
        family_name, given_name, name_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    on_tx!(tx, c => sqlx::query(SQL)
        .bind(card.issuer)
        .bind(card.serial)
        .bind(card.national_id)
        .bind(card.card_type)
        .bind(card.structure_id)
        .bind(card.family_name)
        .bind(card.given_name)
        .bind(shared::fleet::holder_key(card.family_name, card.given_name))
        .execute(c)
        .await
        .map(|_| ())?);
    Ok(())
}

/// The type of a card TOM issued, by issuer and serial; `None` for a card it does not know.
pub async fn find_card_type(db: &Db, issuer: &str, serial: &str) -> anyhow::Result<Option<String>> {
    const SQL: &str = "SELECT card_type FROM cards WHERE issuer = $1 AND serial = $2";
    Ok(
        on_pool!(db, p => sqlx::query_scalar(SQL).bind(issuer).bind(serial).fetch_optional(p).await?),
    )
}

pub async fn insert_operator(tx: &mut Tx, national_id: &str) -> anyhow::Result<()> {
    const SQL: &str = "INSERT INTO operators (national_id) VALUES ($1)";
    on_tx!(tx, c => sqlx::query(SQL).bind(national_id).execute(c).await.map(|_| ())?);
    Ok(())
}

pub async fn is_operator(db: &Db, national_id: &str) -> anyhow::Result<bool> {
    const SQL: &str = "SELECT COUNT(*) FROM operators WHERE national_id = $1";
    let n: i64 = on_pool!(db, p => sqlx::query_scalar(SQL).bind(national_id).fetch_one(p).await?);
    Ok(n > 0)
}

/// The structures a person holds a current mandate for, with their role.
/// Structures where a mandate of the person has ended (whatever else they hold there).
pub async fn find_ended_mandates(
    db: &Db,
    person_id: &str,
    now: i64,
) -> anyhow::Result<Vec<String>> {
    // An ended mandate in a legal entity has ended in each of its establishments too.
    const SQL: &str = "SELECT structure_id FROM mandates \
        WHERE person_id = $1 AND end_at IS NOT NULL AND end_at <= $2 \
        UNION SELECT s.id FROM structures s JOIN mandates m ON m.structure_id = s.legal_entity_id \
        WHERE m.person_id = $1 AND m.end_at IS NOT NULL AND m.end_at <= $2";
    Ok(on_pool!(db, p => sqlx::query_scalar(SQL).bind(person_id).bind(now).fetch_all(p).await?))
}

pub async fn find_structures_for_person(
    db: &Db,
    person_id: &str,
    now: i64,
) -> anyhow::Result<Vec<StructureSummary>> {
    // A mandate in a legal entity is also one in each of its establishments (domain.md §1);
    // a mandate held in the establishment itself comes first.
    const SQL: &str = "SELECT s.id, s.finess, s.siret, s.name, m.role, \
        CAST(NULL AS TEXT) AS legal_entity_id, 0 AS inherited FROM mandates m \
        JOIN structures s ON s.id = m.structure_id \
        WHERE m.person_id = $1 AND m.start_at <= $2 AND (m.end_at IS NULL OR m.end_at > $2) \
        UNION ALL \
        SELECT s.id, s.finess, s.siret, s.name, m.role, m.structure_id AS legal_entity_id, 1 AS inherited \
        FROM mandates m JOIN structures s ON s.legal_entity_id = m.structure_id \
        AND s.id <> m.structure_id \
        WHERE m.person_id = $1 AND m.start_at <= $2 AND (m.end_at IS NULL OR m.end_at > $2) \
        ORDER BY 4, 7, 5 DESC";
    let rows: Vec<SummaryRow> =
        on_pool!(db, p => sqlx::query_as(SQL).bind(person_id).bind(now).fetch_all(p).await?);
    let mut out: Vec<StructureSummary> = Vec::new();
    for r in rows {
        let Some(role) = Role::parse(&r.role) else {
            continue;
        };
        // A legal representative who is also mandataire is listed once, as legal representative.
        if out.iter().any(|s| s.id == r.id) {
            continue;
        }
        out.push(StructureSummary {
            id: r.id,
            finess: r.finess,
            siret: r.siret,
            name: r.name,
            role,
            legal_entity_id: r.legal_entity_id,
        });
    }
    Ok(out)
}

/// Attempts recorded in `bucket` since `since` (Unix seconds).
pub async fn count_attempts(db: &Db, bucket: &str, since: i64) -> anyhow::Result<i64> {
    const SQL: &str = "SELECT COUNT(*) FROM attempts WHERE bucket = $1 AND at >= $2";
    Ok(on_pool!(db, p => sqlx::query_scalar(SQL).bind(bucket).bind(since).fetch_one(p).await?))
}

pub async fn insert_attempt(tx: &mut Tx, bucket: &str, at: i64) -> anyhow::Result<()> {
    const SQL: &str = "INSERT INTO attempts (bucket, at) VALUES ($1, $2)";
    on_tx!(tx, c => sqlx::query(SQL).bind(bucket).bind(at).execute(c).await.map(|_| ())?);
    Ok(())
}

/// Deletes the attempts recorded before `before`; returns how many.
pub async fn delete_attempts_before(tx: &mut Tx, before: i64) -> anyhow::Result<u64> {
    const SQL: &str = "DELETE FROM attempts WHERE at < $1";
    Ok(on_tx!(tx, c => sqlx::query(SQL).bind(before).execute(c).await?.rows_affected()))
}

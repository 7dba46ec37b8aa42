//! Structures and the mandates people hold in them.

use shared::api::{Role, StructureDetail, StructurePerson};

use crate::auth::access::Access;
use crate::db::{on_pool, on_tx, Db, Tx};

#[derive(sqlx::FromRow)]
pub struct StructureRow {
    pub id: String,
    pub finess: Option<String>,
    pub siret: Option<String>,
    pub name: String,
}

/// The structure the access was decided for.
pub async fn find_structure(db: &Db, access: &Access) -> anyhow::Result<Option<StructureRow>> {
    let id = access.structure_id();
    const SQL: &str = "SELECT id, finess, siret, name FROM structures WHERE id = $1";
    Ok(on_pool!(db, p => sqlx::query_as(SQL).bind(id).fetch_optional(p).await?))
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    national_id: String,
    family_name: String,
    given_name: String,
    role: String,
}

pub async fn is_empty(db: &Db) -> anyhow::Result<bool> {
    let n: i64 = on_pool!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM structures").fetch_one(p).await?);
    Ok(n == 0)
}

/// Structures stored before TOM kept their name's search form (migration 0005): id and name.
pub async fn structures_without_name_key(db: &Db) -> anyhow::Result<Vec<(String, String)>> {
    const SQL: &str = "SELECT id, name FROM structures WHERE name_key = ''";
    Ok(on_pool!(db, p => sqlx::query_as(SQL).fetch_all(p).await?))
}

/// Writes a structure's name in its search form.
pub async fn set_name_key(tx: &mut Tx, id: &str, name_key: &str) -> Result<(), sqlx::Error> {
    const SQL: &str = "UPDATE structures SET name_key = $1 WHERE id = $2";
    on_tx!(tx, c => sqlx::query(SQL).bind(name_key).bind(id).execute(c).await.map(|_| ())?);
    Ok(())
}

pub async fn insert_structure(
    tx: &mut Tx,
    id: &str,
    finess: Option<&str>,
    siret: Option<&str>,
    name: &str,
) -> anyhow::Result<()> {
    const SQL: &str =
        "INSERT INTO structures (id, finess, siret, name, name_key) VALUES ($1, $2, $3, $4, $5)";
    let key = shared::text::search_key(name);
    on_tx!(tx, c => sqlx::query(SQL).bind(id).bind(finess).bind(siret).bind(name).bind(key).execute(c).await.map(|_| ())?);
    Ok(())
}

pub async fn insert_mandate(
    tx: &mut Tx,
    person_id: &str,
    structure_id: &str,
    role: Role,
    start_at: i64,
) -> anyhow::Result<()> {
    const SQL: &str =
        "INSERT INTO mandates (person_id, structure_id, role, start_at) VALUES ($1, $2, $3, $4)";
    on_tx!(tx, c => sqlx::query(SQL).bind(person_id).bind(structure_id).bind(role.code()).bind(start_at).execute(c).await.map(|_| ())?);
    Ok(())
}

/// A structure's details and the people with a current role in it. Reachable only with an
/// `Access` decided for that structure.
pub async fn find_structure_detail(
    db: &Db,
    access: &Access,
    now: i64,
) -> anyhow::Result<Option<StructureDetail>> {
    const STRUCTURE: &str = "SELECT id, finess, siret, name FROM structures WHERE id = $1";
    const PEOPLE: &str =
        "SELECT p.national_id, p.family_name, p.given_name, m.role FROM mandates m \
        JOIN persons p ON p.national_id = m.person_id \
        WHERE m.structure_id = $1 AND m.start_at <= $2 AND (m.end_at IS NULL OR m.end_at > $2) \
        ORDER BY m.role DESC, p.family_name, p.given_name";
    let id = access.structure_id();
    let row: Option<StructureRow> =
        on_pool!(db, p => sqlx::query_as(STRUCTURE).bind(id).fetch_optional(p).await?);
    let Some(row) = row else { return Ok(None) };
    let people: Vec<PersonRow> =
        on_pool!(db, p => sqlx::query_as(PEOPLE).bind(id).bind(now).fetch_all(p).await?);
    Ok(Some(StructureDetail {
        id: row.id,
        finess: row.finess,
        siret: row.siret,
        name: row.name,
        people: people
            .into_iter()
            .filter_map(|p| {
                Some(StructurePerson {
                    role: Role::parse(&p.role)?,
                    national_id: p.national_id,
                    family_name: p.family_name,
                    given_name: p.given_name,
                })
            })
            .collect(),
    }))
}

/// Ends every running mandate of a person in a structure (their end of exercise); returns the
/// roles ended.
pub async fn end_mandates_of(
    tx: &mut Tx,
    person: &str,
    structure: &str,
    at: i64,
) -> anyhow::Result<Vec<String>> {
    const SQL: &str = "UPDATE mandates SET end_at = $1 WHERE person_id = $2 AND structure_id = $3 \
        AND end_at IS NULL RETURNING role";
    Ok(
        on_tx!(tx, c => sqlx::query_scalar(SQL).bind(at).bind(person).bind(structure).fetch_all(c).await?),
    )
}

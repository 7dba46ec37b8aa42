//! Structures and the mandates people hold in them.

use shared::api::{
    ChangeSource, Coordinates, Role, StructureChange, StructureDetail, StructureKind,
    StructureLink, StructurePerson,
};

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

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: String,
    finess: Option<String>,
    siret: Option<String>,
    name: String,
    kind: String,
    legal_entity_id: Option<String>,
    address_line: String,
    address_complement: String,
    postal_line: String,
    phone: String,
    email: String,
    category: String,
    register_updated_on: String,
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    id: String,
    finess: Option<String>,
    name: String,
}

impl From<LinkRow> for StructureLink {
    fn from(row: LinkRow) -> Self {
        StructureLink {
            id: row.id,
            finess: row.finess,
            name: row.name,
        }
    }
}

/// A structure's details, its legal entity or establishments, and the people with a current role
/// in it. Reachable only with an `Access` decided for that structure.
pub async fn find_structure_detail(
    db: &Db,
    access: &Access,
    now: i64,
) -> anyhow::Result<Option<StructureDetail>> {
    const STRUCTURE: &str = "SELECT id, finess, siret, name, kind, legal_entity_id, address_line, \
        address_complement, postal_line, phone, email, category, register_updated_on \
        FROM structures WHERE id = $1";
    const LINK: &str = "SELECT id, finess, name FROM structures WHERE id = $1";
    const ESTABLISHMENTS: &str =
        "SELECT id, finess, name FROM structures WHERE legal_entity_id = $1 AND id <> $1 \
        ORDER BY name, id LIMIT 500";
    const PEOPLE: &str =
        "SELECT p.national_id, p.family_name, p.given_name, m.role FROM mandates m \
        JOIN persons p ON p.national_id = m.person_id \
        WHERE m.structure_id = $1 AND m.start_at <= $2 AND (m.end_at IS NULL OR m.end_at > $2) \
        ORDER BY m.role DESC, p.family_name, p.given_name";
    let id = access.structure_id();
    let row: Option<DetailRow> =
        on_pool!(db, p => sqlx::query_as(STRUCTURE).bind(id).fetch_optional(p).await?);
    let Some(row) = row else { return Ok(None) };
    let legal_entity: Option<LinkRow> = match &row.legal_entity_id {
        Some(ej) if ej != id => {
            on_pool!(db, p => sqlx::query_as(LINK).bind(ej).fetch_optional(p).await?)
        }
        _ => None,
    };
    let establishments: Vec<LinkRow> =
        on_pool!(db, p => sqlx::query_as(ESTABLISHMENTS).bind(id).fetch_all(p).await?);
    let people: Vec<PersonRow> =
        on_pool!(db, p => sqlx::query_as(PEOPLE).bind(id).bind(now).fetch_all(p).await?);
    Ok(Some(StructureDetail {
        id: row.id,
        finess: row.finess,
        siret: row.siret,
        kind: StructureKind::parse(&row.kind).unwrap_or(StructureKind::Etablissement),
        coordinates: Coordinates {
            name: row.name.clone(),
            address_line: row.address_line,
            address_complement: row.address_complement,
            postal_line: row.postal_line,
            phone: row.phone,
            email: row.email,
        },
        name: row.name,
        category: row.category,
        register_updated_on: row.register_updated_on,
        legal_entity: legal_entity.map(Into::into),
        establishments: establishments.into_iter().map(Into::into).collect(),
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

#[derive(sqlx::FromRow)]
struct CoordinatesRow {
    name: String,
    address_line: String,
    address_complement: String,
    postal_line: String,
    phone: String,
    email: String,
}

/// The structure's coordinates, read in the transaction that changes them.
pub async fn find_coordinates(tx: &mut Tx, access: &Access) -> anyhow::Result<Option<Coordinates>> {
    const SQL: &str = "SELECT name, address_line, address_complement, postal_line, phone, email \
        FROM structures WHERE id = $1";
    let row: Option<CoordinatesRow> = on_tx!(tx, c => sqlx::query_as(SQL)
        .bind(access.structure_id())
        .fetch_optional(c)
        .await?);
    Ok(row.map(|r| Coordinates {
        name: r.name,
        address_line: r.address_line,
        address_complement: r.address_complement,
        postal_line: r.postal_line,
        phone: r.phone,
        email: r.email,
    }))
}

pub async fn update_coordinates(
    tx: &mut Tx,
    access: &Access,
    coordinates: &Coordinates,
) -> anyhow::Result<()> {
    const SQL: &str = "UPDATE structures SET name = $1, name_key = $2, address_line = $3, \
        address_complement = $4, postal_line = $5, phone = $6, email = $7 WHERE id = $8";
    let key = shared::text::search_key(&coordinates.name);
    on_tx!(tx, c => sqlx::query(SQL)
        .bind(&coordinates.name)
        .bind(key)
        .bind(&coordinates.address_line)
        .bind(&coordinates.address_complement)
        .bind(&coordinates.postal_line)
        .bind(&coordinates.phone)
        .bind(&coordinates.email)
        .bind(access.structure_id())
        .execute(c)
        .await
        .map(|_| ())?);
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    at: i64,
    source: String,
    register_date: Option<String>,
    actor_national_id: Option<String>,
    field: String,
    before_value: String,
    after_value: String,
}

/// The structure's history, newest first (at most `limit` changed fields).
pub async fn find_history(
    db: &Db,
    access: &Access,
    limit: i64,
) -> anyhow::Result<Vec<StructureChange>> {
    const SQL: &str = "SELECT at, source, register_date, actor_national_id, field, before_value, \
        after_value FROM structure_history WHERE structure_id = $1 ORDER BY id DESC LIMIT $2";
    let rows: Vec<ChangeRow> = on_pool!(db, p => sqlx::query_as(SQL)
        .bind(access.structure_id())
        .bind(limit)
        .fetch_all(p)
        .await?);
    Ok(rows
        .into_iter()
        .map(|r| StructureChange {
            at: r.at,
            source: if r.source == "registre" {
                ChangeSource::Registre
            } else {
                ChangeSource::Modification
            },
            register_date: r.register_date,
            actor_national_id: r.actor_national_id,
            field: r.field,
            before: r.before_value,
            after: r.after_value,
        })
        .collect())
}

/// One history row per changed field.
pub struct FieldChange<'a> {
    pub field: &'static str,
    pub before: &'a str,
    pub after: &'a str,
}

impl<'a> FieldChange<'a> {
    /// The fields whose value differs, from two lists of the same fields in the same order.
    pub fn between<const N: usize>(
        before: [(&'static str, &'a str); N],
        after: [(&'static str, &'a str); N],
    ) -> Vec<Self> {
        before
            .into_iter()
            .zip(after)
            .filter(|((_, old), (_, new))| old != new)
            .map(|((field, old), (_, new))| FieldChange {
                field,
                before: old,
                after: new,
            })
            .collect()
    }

    /// The audit entry's before and after: `{field: value}` objects.
    pub fn audit_values(changes: &[Self]) -> (serde_json::Value, serde_json::Value) {
        let mut old = serde_json::Map::new();
        let mut new = serde_json::Map::new();
        for change in changes {
            old.insert(change.field.into(), change.before.into());
            new.insert(change.field.into(), change.after.into());
        }
        (old.into(), new.into())
    }
}

/// Appends a structure's changed fields to its history.
pub async fn insert_history(
    tx: &mut Tx,
    structure_id: &str,
    at: i64,
    source: &str,
    register_date: Option<&str>,
    actor_national_id: Option<&str>,
    changes: &[FieldChange<'_>],
) -> Result<(), sqlx::Error> {
    const SQL: &str = "INSERT INTO structure_history (structure_id, at, source, register_date, \
        actor_national_id, field, before_value, after_value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    for change in changes {
        on_tx!(tx, c => sqlx::query(SQL)
            .bind(structure_id)
            .bind(at)
            .bind(source)
            .bind(register_date)
            .bind(actor_national_id)
            .bind(change.field)
            .bind(change.before)
            .bind(change.after)
            .execute(c)
            .await
            .map(|_| ())?);
    }
    Ok(())
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

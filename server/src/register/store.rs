//! The import's SQL: a batch of establishments read, created or updated at once, and the history
//! rows of what the register overrides.

use crate::db::{on_tx, Tx};

/// What the register may change of a stored structure, as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RegisterFields {
    pub id: String,
    pub name: String,
    pub address_line: String,
    pub address_complement: String,
    pub postal_line: String,
    pub phone: String,
    pub siret: Option<String>,
    pub legal_entity_id: Option<String>,
    pub category: String,
    pub register_updated_on: String,
    pub geolocation: String,
}

impl RegisterFields {
    /// `(field, value)` for the history, in a fixed order (the id excepted).
    pub fn values(&self) -> [(&'static str, &str); 10] {
        [
            ("name", &self.name),
            ("address_line", &self.address_line),
            ("address_complement", &self.address_complement),
            ("postal_line", &self.postal_line),
            ("phone", &self.phone),
            ("siret", self.siret.as_deref().unwrap_or("")),
            (
                "legal_entity",
                self.legal_entity_id.as_deref().unwrap_or(""),
            ),
            ("category", &self.category),
            ("register_updated_on", &self.register_updated_on),
            ("geolocation", &self.geolocation),
        ]
    }
}

/// The columns the register writes of a structure, in the order of [`register_values`].
const REGISTER_COLUMNS: [&str; 13] = [
    "id",
    "finess",
    "name",
    "name_key",
    "address_line",
    "address_complement",
    "postal_line",
    "phone",
    "siret",
    "legal_entity_id",
    "category",
    "register_updated_on",
    "geolocation",
];

/// A row's values of [`REGISTER_COLUMNS`]; `key` is the search key of its name.
fn register_values<'a>(row: &'a RegisterFields, key: &'a str) -> [Option<&'a str>; 13] {
    [
        Some(row.id.as_str()),
        row.id.get(1..),
        Some(row.name.as_str()),
        Some(key),
        Some(row.address_line.as_str()),
        Some(row.address_complement.as_str()),
        Some(row.postal_line.as_str()),
        Some(row.phone.as_str()),
        row.siret.as_deref(),
        row.legal_entity_id.as_deref(),
        Some(row.category.as_str()),
        Some(row.register_updated_on.as_str()),
        Some(row.geolocation.as_str()),
    ]
}

/// The search keys of the rows' names, which [`register_values`] borrows.
fn name_keys<'a>(rows: impl IntoIterator<Item = &'a RegisterFields>) -> Vec<String> {
    rows.into_iter()
        .map(|r| shared::text::search_key(&r.name))
        .collect()
}

// Multi-row statements are built by sqlx's `QueryBuilder`, which writes each database's
// placeholders: positional `?` on SQLite (its `$N` are bound by a name lookup, quadratic in a
// statement of thousands of values), `$N` on PostgreSQL.

/// The stored structures among `ids`.
pub async fn find_by_ids(tx: &mut Tx, ids: &[&str]) -> Result<Vec<RegisterFields>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    const SELECT: &str = "SELECT id, name, address_line, address_complement, postal_line, phone, \
        siret, legal_entity_id, category, register_updated_on, geolocation FROM structures \
        WHERE id IN (";
    on_tx!(tx, c => {
        let mut q = sqlx::QueryBuilder::new(SELECT);
        let mut list = q.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        q.push(")");
        q.build_query_as().fetch_all(c).await
    })
}

/// Creates the legal entities not stored yet (`(id, finess)`); returns how many were created.
/// The extract names a legal entity only by its number.
pub async fn insert_missing_legal_entities(
    tx: &mut Tx,
    entities: &[(String, String)],
) -> Result<u64, sqlx::Error> {
    if entities.is_empty() {
        return Ok(0);
    }
    let names: Vec<(String, String)> = entities
        .iter()
        .map(|(_, finess)| {
            let name = format!("Entité juridique {finess}");
            let key = shared::text::search_key(&name);
            (name, key)
        })
        .collect();
    on_tx!(tx, c => {
        let mut q = sqlx::QueryBuilder::new("INSERT INTO structures (id, finess, name, name_key, kind) ");
        q.push_values(entities.iter().zip(&names), |mut row, ((id, finess), (name, key))| {
            row.push_bind(id.as_str())
                .push_bind(finess.as_str())
                .push_bind(name.as_str())
                .push_bind(key.as_str())
                .push_bind("entite_juridique");
        });
        q.push(" ON CONFLICT (id) DO NOTHING");
        Ok(q.build().execute(c).await?.rows_affected())
    })
}

/// Creates establishments, all at once.
pub async fn insert_establishments(
    tx: &mut Tx,
    rows: &[RegisterFields],
) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let keys = name_keys(rows);
    let insert = format!("INSERT INTO structures ({}) ", REGISTER_COLUMNS.join(", "));
    on_tx!(tx, c => {
        let mut q = sqlx::QueryBuilder::new(&insert);
        q.push_values(rows.iter().zip(&keys), |mut row, (fields, key)| {
            for value in register_values(fields, key) {
                row.push_bind(value);
            }
        });
        q.build().execute(c).await.map(|_| ())
    })
}

/// Writes what the register says of stored structures, all at once (one statement: each
/// statement is a round trip to SQLite's worker thread). `rows` name each structure once.
pub async fn update_from_register(
    tx: &mut Tx,
    rows: &[&RegisterFields],
) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    // A VALUES list's columns are `column1`, `column2`… on both databases; id and finess are
    // not written.
    let sets: Vec<String> = REGISTER_COLUMNS
        .iter()
        .enumerate()
        .skip(2)
        .map(|(i, column)| format!("{column} = v.column{}", i + 1))
        .collect();
    let update = format!("UPDATE structures SET {} FROM (", sets.join(", "));
    let keys = name_keys(rows.iter().copied());
    on_tx!(tx, c => {
        let mut q = sqlx::QueryBuilder::new(&update);
        q.push_values(rows.iter().zip(&keys), |mut row, (fields, key)| {
            for value in register_values(fields, key) {
                row.push_bind(value);
            }
        });
        q.push(") AS v WHERE structures.id = v.column1");
        q.build().execute(c).await.map(|_| ())
    })
}

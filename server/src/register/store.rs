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

/// `rows` groups of `columns` placeholders, the values bound in order: `($1, $2), ($3, $4)` on
/// PostgreSQL, `(?, ?), (?, ?)` on SQLite. sqlx binds SQLite's `$N` by looking each name up
/// (`sqlite3_bind_parameter_name`, a linear search): quadratic in a statement of thousands of
/// values, two thirds of an import's time; anonymous `?` are bound by their position.
fn placeholders(tx: &Tx, rows: usize, columns: usize) -> String {
    let mark = |i: usize| match tx {
        Tx::Sqlite(_) => "?".to_string(),
        Tx::Postgres(_) => format!("${i}"),
    };
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (0..columns).map(|c| mark(r * columns + c + 1)).collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs a statement with text values bound in order; returns the rows it changed.
async fn execute(tx: &mut Tx, sql: &str, values: &[Option<&str>]) -> Result<u64, sqlx::Error> {
    on_tx!(tx, c => {
        let mut query = sqlx::query(sql);
        for value in values {
            query = query.bind(*value);
        }
        Ok(query.execute(c).await?.rows_affected())
    })
}

/// The stored structures among `ids`.
pub async fn find_by_ids(tx: &mut Tx, ids: &[&str]) -> Result<Vec<RegisterFields>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // One group of as many columns as there are ids: `($1, $2, …)`.
    let sql = format!(
        "SELECT id, name, address_line, address_complement, postal_line, phone, siret, \
        legal_entity_id, category, register_updated_on, geolocation FROM structures \
        WHERE id IN {}",
        placeholders(tx, 1, ids.len())
    );
    on_tx!(tx, c => {
        let mut query = sqlx::query_as(&sql);
        for id in ids {
            query = query.bind(*id);
        }
        query.fetch_all(c).await
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
    let sql = format!(
        "INSERT INTO structures (id, finess, name, name_key, kind) VALUES {} \
        ON CONFLICT (id) DO NOTHING",
        placeholders(tx, entities.len(), 5)
    );
    let names: Vec<(String, String)> = entities
        .iter()
        .map(|(_, finess)| {
            let name = format!("Entité juridique {finess}");
            let key = shared::text::search_key(&name);
            (name, key)
        })
        .collect();
    let mut values = Vec::with_capacity(entities.len() * 5);
    for ((id, finess), (name, key)) in entities.iter().zip(&names) {
        values.extend([
            Some(id.as_str()),
            Some(finess.as_str()),
            Some(name.as_str()),
            Some(key.as_str()),
            Some("entite_juridique"),
        ]);
    }
    execute(tx, &sql, &values).await
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

/// The search keys of the rows' names, which [`register_values`] borrows.
fn name_keys(rows: &[&RegisterFields]) -> Vec<String> {
    rows.iter()
        .map(|r| shared::text::search_key(&r.name))
        .collect()
}

/// Each row's values of [`REGISTER_COLUMNS`], one row after another; `keys` from [`name_keys`].
fn register_values<'a>(rows: &[&'a RegisterFields], keys: &'a [String]) -> Vec<Option<&'a str>> {
    let mut values = Vec::with_capacity(rows.len() * REGISTER_COLUMNS.len());
    for (row, key) in rows.iter().zip(keys) {
        values.extend([
            Some(row.id.as_str()),
            row.id.get(1..),
            Some(row.name.as_str()),
            Some(key.as_str()),
            Some(row.address_line.as_str()),
            Some(row.address_complement.as_str()),
            Some(row.postal_line.as_str()),
            Some(row.phone.as_str()),
            row.siret.as_deref(),
            row.legal_entity_id.as_deref(),
            Some(row.category.as_str()),
            Some(row.register_updated_on.as_str()),
            Some(row.geolocation.as_str()),
        ]);
    }
    values
}

/// Creates establishments, all at once.
pub async fn insert_establishments(
    tx: &mut Tx,
    rows: &[RegisterFields],
) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO structures ({}) VALUES {}",
        REGISTER_COLUMNS.join(", "),
        placeholders(tx, rows.len(), REGISTER_COLUMNS.len())
    );
    let rows: Vec<&RegisterFields> = rows.iter().collect();
    let keys = name_keys(&rows);
    execute(tx, &sql, &register_values(&rows, &keys))
        .await
        .map(|_| ())
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
    let sql = format!(
        "UPDATE structures SET {} FROM (VALUES {}) AS v WHERE structures.id = v.column1",
        sets.join(", "),
        placeholders(tx, rows.len(), REGISTER_COLUMNS.len())
    );
    let keys = name_keys(rows);
    execute(tx, &sql, &register_values(rows, &keys))
        .await
        .map(|_| ())
}

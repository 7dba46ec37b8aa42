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

/// `$start, $start+1, …` as `($a, $b, …), (…)`: `rows` groups of `columns`.
fn placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (0..columns)
                .map(|c| format!("${}", r * columns + c + 1))
                .collect();
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
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT id, name, address_line, address_complement, postal_line, phone, siret, \
        legal_entity_id, category, register_updated_on, geolocation FROM structures \
        WHERE id IN ({})",
        marks.join(", ")
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
        placeholders(entities.len(), 5)
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

/// Creates establishments, all at once.
pub async fn insert_establishments(
    tx: &mut Tx,
    rows: &[RegisterFields],
) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    const COLUMNS: usize = 13;
    let sql = format!(
        "INSERT INTO structures (id, finess, name, name_key, address_line, address_complement, \
        postal_line, phone, siret, legal_entity_id, category, register_updated_on, geolocation) \
        VALUES {}",
        placeholders(rows.len(), COLUMNS)
    );
    let keys: Vec<String> = rows
        .iter()
        .map(|r| shared::text::search_key(&r.name))
        .collect();
    let mut values = Vec::with_capacity(rows.len() * COLUMNS);
    for (row, key) in rows.iter().zip(&keys) {
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
    execute(tx, &sql, &values).await.map(|_| ())
}

/// Writes what the register says of a stored structure.
pub async fn update_from_register(tx: &mut Tx, row: &RegisterFields) -> Result<(), sqlx::Error> {
    const SQL: &str = "UPDATE structures SET name = $1, name_key = $2, address_line = $3, \
        address_complement = $4, postal_line = $5, phone = $6, siret = $7, legal_entity_id = $8, \
        category = $9, register_updated_on = $10, geolocation = $11 WHERE id = $12";
    let key = shared::text::search_key(&row.name);
    execute(
        tx,
        SQL,
        &[
            Some(&row.name),
            Some(&key),
            Some(&row.address_line),
            Some(&row.address_complement),
            Some(&row.postal_line),
            Some(&row.phone),
            row.siret.as_deref(),
            row.legal_entity_id.as_deref(),
            Some(&row.category),
            Some(&row.register_updated_on),
            Some(&row.geolocation),
            Some(&row.id),
        ],
    )
    .await
    .map(|_| ())
}

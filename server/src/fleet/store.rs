//! The fleet's SQL: the cards of a structure with their holders, filtered and paged by holder
//! name (keyset on `(name_key, serial)`, index `cards_fleet`), counted per state and per month,
//! and the writes of the fleet's use cases (holder record, state, scheduled end).

use futures_util::TryStreamExt;
use shared::api::{FleetCard, FleetFilter};
use shared::fleet::{name_key, CardState, HolderRecord};

use crate::auth::access::Access;
use crate::db::{on_pool, on_tx, Db, Tx};

/// A card row as the fleet reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CardRow {
    pub issuer: String,
    pub serial: String,
    pub structure_id: Option<String>,
    pub national_id: String,
    pub family_name: Option<String>,
    pub given_name: Option<String>,
    pub card_type: String,
    pub profession: Option<String>,
    pub matricule: Option<String>,
    pub state: String,
    pub issued_at: Option<i64>,
    pub not_after: Option<i64>,
    pub end_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub name_key: String,
    pub holder: Option<String>,
    /// The order replacing or renewing this card, when one is under way.
    pub replacement_order: Option<String>,
}

impl CardRow {
    pub fn state_at(&self, now: i64) -> CardState {
        CardState::at(&self.state, self.not_after, now)
    }

    pub fn holder_record(&self) -> Option<HolderRecord> {
        self.holder
            .as_deref()
            .and_then(|h| serde_json::from_str(h).ok())
    }

    pub fn to_api(&self, now: i64) -> FleetCard {
        FleetCard {
            serial: self.serial.clone(),
            national_id: self.national_id.clone(),
            family_name: self.family_name.clone().unwrap_or_default(),
            given_name: self.given_name.clone().unwrap_or_default(),
            card_type: self.card_type.clone(),
            profession: self.profession.clone(),
            matricule: self.matricule.clone(),
            state: self.state_at(now).code().to_string(),
            issued_at: self.issued_at,
            not_after: self.not_after,
            end_at: self.end_at,
            revoked_at: self.revoked_at,
            replacement_order: self.replacement_order.clone(),
        }
    }
}

const COLUMNS: &str =
    "issuer, serial, structure_id, national_id, family_name, given_name, card_type, profession, \
    matricule, state, issued_at, not_after, end_at, revoked_at, name_key, holder, \
    (SELECT MIN(l.order_id) FROM order_lines l WHERE l.replaces_serial = cards.serial \
    AND l.status <> 'rejetee') AS replacement_order";

/// A value bound to a placeholder of a query built from filters.
#[derive(Debug, Clone)]
pub enum Bind {
    Text(String),
    Int(i64),
}

/// A `WHERE` clause and its values, placeholders numbered in order (`$1`…).
#[derive(Debug, Default)]
pub struct Clause {
    pub sql: String,
    pub binds: Vec<Bind>,
}

impl Clause {
    fn push(&mut self, sql: &str, values: Vec<Bind>) {
        let mut sql = sql.to_string();
        for v in values {
            self.binds.push(v);
            sql = sql.replacen('?', &format!("${}", self.binds.len()), 1);
        }
        if !self.sql.is_empty() {
            self.sql.push_str(" AND ");
        }
        self.sql.push_str(&sql);
    }
}

/// Filters that passed the route's checks (state and month parsed).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub search: String,
    pub card_type: String,
    pub state: Option<CardState>,
    pub profession: String,
    /// `[start, end)` Unix seconds of `not_after`.
    pub expiry: Option<(i64, i64)>,
    /// Only live cards (the expiry window and renewals).
    pub live_only: bool,
}

impl Selection {
    /// Reads the API's filters; `Err` names the parameter that cannot be read.
    pub fn from_filter(f: &FleetFilter, now: i64) -> Result<Selection, &'static str> {
        let state = match f.statut.trim() {
            "" => None,
            code => Some(CardState::from_code(code).ok_or("statut")?),
        };
        let mut expiry = None;
        if !f.mois.trim().is_empty() {
            expiry = Some(shared::fleet::month_bounds(f.mois.trim()).ok_or("mois")?);
        }
        let mut live_only = false;
        if let Some(days) = f.expire_sous_jours {
            if days > 3660 {
                return Err("expire_sous_jours");
            }
            let window = (now, now + i64::from(days) * 86_400);
            expiry = Some(match expiry {
                Some((a, b)) => (a.max(window.0), b.min(window.1)),
                None => window,
            });
            live_only = true;
        }
        Ok(Selection {
            search: f.recherche.trim().to_string(),
            card_type: f.card_type.trim().to_uppercase(),
            state,
            profession: f.profession.trim().to_string(),
            expiry,
            live_only,
        })
    }

    /// The `WHERE` clause of these filters on `structure`, at `now`.
    pub fn clause(&self, structure: &str, now: i64) -> Clause {
        let mut c = Clause::default();
        c.push("structure_id = ?", vec![Bind::Text(structure.to_string())]);
        if !self.search.is_empty() {
            let key = name_key(&self.search);
            let id: String = self
                .search
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '/')
                .collect();
            let mut ors = Vec::new();
            let mut values = Vec::new();
            // Every word typed begins a word of the name, in any order (« anne andre » finds
            // ANDRE ANNE).
            let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
            if !words.is_empty() {
                ors.push(format!(
                    "({})",
                    vec!["(' ' || name_key) LIKE ?"; words.len()].join(" AND ")
                ));
                values.extend(words.iter().map(|w| Bind::Text(format!("% {w}%"))));
            }
            if !id.is_empty() {
                ors.push("national_id LIKE ?".into());
                values.push(Bind::Text(format!("{id}%")));
                ors.push("serial LIKE ?".into());
                values.push(Bind::Text(format!("{}%", id.to_ascii_lowercase())));
            }
            ors.push("UPPER(matricule) = ?".into());
            values.push(Bind::Text(self.search.to_uppercase()));
            c.push(&format!("({})", ors.join(" OR ")), values);
        }
        if !self.card_type.is_empty() {
            c.push("card_type = ?", vec![Bind::Text(self.card_type.clone())]);
        }
        match self.state {
            None => {}
            Some(CardState::Active) => c.push(
                "state = 'active' AND (not_after IS NULL OR not_after >= ?)",
                vec![Bind::Int(now)],
            ),
            Some(CardState::Expiree) => {
                c.push("state = 'active' AND not_after < ?", vec![Bind::Int(now)])
            }
            Some(other) => c.push("state = ?", vec![Bind::Text(other.code().to_string())]),
        }
        if !self.profession.is_empty() {
            c.push("profession = ?", vec![Bind::Text(self.profession.clone())]);
        }
        if let Some((a, b)) = self.expiry {
            c.push(
                "not_after >= ? AND not_after < ?",
                vec![Bind::Int(a), Bind::Int(b)],
            );
        }
        if self.live_only {
            c.push("state = 'active'", vec![]);
        }
        c
    }
}

macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut q = $query;
        for b in $binds {
            q = match b {
                Bind::Text(t) => q.bind(t.clone()),
                Bind::Int(i) => q.bind(*i),
            };
        }
        q
    }};
}

/// The `SELECT` of one page of cards after the cursor `(name_key, serial)`, at most `limit`,
/// and its values (what [`page`] runs and `tom fleet page --explain` explains).
pub fn page_query(clause: &Clause, after: Option<(&str, &str)>, limit: i64) -> (String, Vec<Bind>) {
    let mut binds = clause.binds.clone();
    let mut sql = format!("SELECT {COLUMNS} FROM cards WHERE {}", clause.sql);
    if let Some((key, serial)) = after {
        binds.push(Bind::Text(key.to_string()));
        binds.push(Bind::Text(serial.to_string()));
        let (k, s) = (binds.len() - 1, binds.len());
        sql.push_str(&format!(
            " AND (name_key > ${k} OR (name_key = ${k} AND serial > ${s}))"
        ));
    }
    binds.push(Bind::Int(limit));
    sql.push_str(&format!(
        " ORDER BY name_key, serial LIMIT ${}",
        binds.len()
    ));
    (sql, binds)
}

/// One page of cards after the cursor `(name_key, serial)`, at most `limit`.
pub async fn page(
    db: &Db,
    clause: &Clause,
    after: Option<(&str, &str)>,
    limit: i64,
) -> anyhow::Result<Vec<CardRow>> {
    let (sql, binds) = page_query(clause, after, limit);
    Ok(on_pool!(db, p => bind_all!(sqlx::query_as(&sql), &binds).fetch_all(p).await?))
}

/// The plan the database follows for `sql` with `binds`, as it ran: PostgreSQL's
/// `EXPLAIN (ANALYZE, BUFFERS)`, SQLite's `EXPLAIN QUERY PLAN` (for the benchmarks).
pub async fn explain(db: &Db, sql: &str, binds: &[Bind]) -> anyhow::Result<Vec<String>> {
    Ok(match db {
        Db::Postgres(p) => {
            let sql = format!("EXPLAIN (ANALYZE, BUFFERS) {sql}");
            bind_all!(sqlx::query_scalar::<_, String>(&sql), binds)
                .fetch_all(p)
                .await?
        }
        Db::Sqlite(p) => {
            let sql = format!("EXPLAIN QUERY PLAN {sql}");
            bind_all!(sqlx::query_as::<_, (i64, i64, i64, String)>(&sql), binds)
                .fetch_all(p)
                .await?
                .into_iter()
                .map(|(_, _, _, detail)| detail)
                .collect()
        }
    })
}

/// A card as the fleet's downloads write it: no holder record, which they do not need.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportRow {
    pub family_name: Option<String>,
    pub given_name: Option<String>,
    pub national_id: String,
    pub matricule: Option<String>,
    pub card_type: String,
    pub profession: Option<String>,
    pub state: String,
    pub serial: String,
    pub issued_at: Option<i64>,
    pub not_after: Option<i64>,
    pub end_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl ExportRow {
    pub fn borrowed(&self) -> ExportCard<'_> {
        ExportCard {
            family_name: self.family_name.as_deref(),
            given_name: self.given_name.as_deref(),
            national_id: &self.national_id,
            matricule: self.matricule.as_deref(),
            card_type: &self.card_type,
            profession: self.profession.as_deref(),
            state: &self.state,
            serial: &self.serial,
            issued_at: self.issued_at,
            not_after: self.not_after,
            end_at: self.end_at,
            revoked_at: self.revoked_at,
        }
    }
}

/// An [`ExportRow`] borrowed from where it was read (SQLite's statement, or an owned row).
#[derive(Debug, Clone, Copy)]
pub struct ExportCard<'a> {
    pub family_name: Option<&'a str>,
    pub given_name: Option<&'a str>,
    pub national_id: &'a str,
    pub matricule: Option<&'a str>,
    pub card_type: &'a str,
    pub profession: Option<&'a str>,
    pub state: &'a str,
    pub serial: &'a str,
    pub issued_at: Option<i64>,
    pub not_after: Option<i64>,
    pub end_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

const EXPORT_COLUMNS: &str = "family_name, given_name, national_id, matricule, card_type, \
    profession, state, serial, issued_at, not_after, end_at, revoked_at";

/// The `SELECT` of a download: every card the clause selects, in the list's order
/// (`name_key, serial`, read along the index `cards_fleet`). Public so that the benchmark runs
/// the very same query through `sqlite3`.
pub fn export_sql(clause: &Clause) -> String {
    format!(
        "SELECT {EXPORT_COLUMNS} FROM cards WHERE {} ORDER BY name_key, serial",
        clause.sql
    )
}

/// Streams every card the clause selects to `each`, `batch` rows at a time, as the database
/// returns them (one query, one pool connection for its duration, constant memory).
pub async fn export_batches<F, Fut>(
    db: &Db,
    clause: &Clause,
    batch: usize,
    mut each: F,
) -> anyhow::Result<()>
where
    F: FnMut(Vec<ExportRow>) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let sql = export_sql(clause);
    let mut rows_read = Vec::with_capacity(batch);
    on_pool!(db, p => {
        let mut rows = bind_all!(sqlx::query_as::<_, ExportRow>(&sql), &clause.binds).fetch(p);
        while let Some(row) = rows.try_next().await? {
            rows_read.push(row);
            if rows_read.len() == batch {
                each(std::mem::replace(&mut rows_read, Vec::with_capacity(batch))).await?;
            }
        }
    });
    if !rows_read.is_empty() {
        each(rows_read).await?;
    }
    Ok(())
}

/// Calls `each` on every card the clause selects, in the list's order, on this blocking thread,
/// read straight from a connection of the SQLite pool (`db::raw`: no hand-over between threads,
/// no allocation per row). The same query as [`export_batches`].
pub fn export_each_sqlite(
    runtime: &tokio::runtime::Handle,
    pool: &sqlx::SqlitePool,
    clause: &Clause,
    mut each: impl FnMut(&ExportCard<'_>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    use crate::db::raw::{self, Value};
    let sql = export_sql(clause);
    let values: Vec<Value<'_>> = clause
        .binds
        .iter()
        .map(|b| match b {
            Bind::Text(t) => Value::Text(t),
            Bind::Int(i) => Value::Int(*i),
        })
        .collect();
    raw::for_each_row(runtime, pool, &sql, &values, |row| {
        each(&ExportCard {
            family_name: row.text(0)?,
            given_name: row.text(1)?,
            national_id: required(2, row.text(2)?)?,
            matricule: row.text(3)?,
            card_type: required(4, row.text(4)?)?,
            profession: row.text(5)?,
            state: required(6, row.text(6)?)?,
            serial: required(7, row.text(7)?)?,
            issued_at: row.int(8),
            not_after: row.int(9),
            end_at: row.int(10),
            revoked_at: row.int(11),
        })
    })
}

/// A `NOT NULL` column's value.
fn required(column: i32, value: Option<&str>) -> anyhow::Result<&str> {
    value.ok_or_else(|| anyhow::anyhow!("colonne {column} vide dans une carte"))
}

/// The `SELECT` of [`count`].
pub fn count_sql(clause: &Clause) -> String {
    format!("SELECT COUNT(*) FROM cards WHERE {}", clause.sql)
}

/// How many cards the clause selects.
pub async fn count(db: &Db, clause: &Clause) -> anyhow::Result<i64> {
    let sql = count_sql(clause);
    Ok(on_pool!(db, p => bind_all!(sqlx::query_scalar(&sql), &clause.binds).fetch_one(p).await?))
}

/// Every card of the structure by state at `now` (`expiree` derived).
pub async fn count_by_state(
    db: &Db,
    access: &Access,
    now: i64,
) -> anyhow::Result<Vec<(String, i64)>> {
    const SQL: &str =
        "SELECT CASE WHEN state = 'active' AND not_after < $2 THEN 'expiree' ELSE state END AS s, \
        COUNT(*) FROM cards WHERE structure_id = $1 GROUP BY 1";
    Ok(
        on_pool!(db, p => sqlx::query_as(SQL).bind(access.structure_id()).bind(now).fetch_all(p).await?),
    )
}

/// Calls `each` with the end of validity of every live card of the structure ending in
/// `[from, until)`, streamed (a structure of any size in constant memory).
pub async fn each_expiry(
    db: &Db,
    access: &Access,
    from: i64,
    until: i64,
    mut each: impl FnMut(i64),
) -> anyhow::Result<()> {
    const SQL: &str = "SELECT not_after FROM cards WHERE structure_id = $1 AND state = 'active' \
        AND not_after >= $2 AND not_after < $3";
    on_pool!(db, p => {
        let mut rows = sqlx::query_scalar::<_, i64>(SQL)
            .bind(access.structure_id())
            .bind(from)
            .bind(until)
            .fetch(p);
        while let Some(t) = rows.try_next().await? {
            each(t);
        }
    });
    Ok(())
}

/// A card of the structure by its serial number.
pub async fn find_card(db: &Db, access: &Access, serial: &str) -> anyhow::Result<Option<CardRow>> {
    let sql = format!("SELECT {COLUMNS} FROM cards WHERE structure_id = $1 AND serial = $2");
    Ok(
        on_pool!(db, p => sqlx::query_as(&sql).bind(access.structure_id()).bind(serial).fetch_optional(p).await?),
    )
}

/// The same, read in the use case's transaction (what it is about to change).
pub async fn find_card_tx(
    tx: &mut Tx,
    structure_id: &str,
    serial: &str,
) -> anyhow::Result<Option<CardRow>> {
    let sql = format!("SELECT {COLUMNS} FROM cards WHERE structure_id = $1 AND serial = $2");
    Ok(
        on_tx!(tx, c => sqlx::query_as(&sql).bind(structure_id).bind(serial).fetch_optional(c).await?),
    )
}

/// The live cards of a holder in the structure, by matricule (what file orders name).
pub async fn live_cards_of_matricule(
    tx: &mut Tx,
    structure_id: &str,
    matricule: &str,
) -> anyhow::Result<Vec<CardRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM cards WHERE structure_id = $1 AND matricule = $2 AND state = 'active' \
        ORDER BY serial"
    );
    Ok(on_tx!(tx, c => sqlx::query_as(&sql).bind(structure_id).bind(matricule).fetch_all(c).await?))
}

/// The order line that produced a card, as the audit names it (`ligne ORDER/N`).
pub async fn producing_line(db: &Db, serial: &str) -> anyhow::Result<Option<(String, i64)>> {
    const SQL: &str = "SELECT order_id, line_no FROM order_lines WHERE card_serial = $1";
    Ok(on_pool!(db, p => sqlx::query_as(SQL).bind(serial).fetch_optional(p).await?))
}

/// Writes a card's holder record and the columns derived from it.
pub async fn update_holder(
    tx: &mut Tx,
    card: &CardRow,
    record: &HolderRecord,
) -> anyhow::Result<()> {
    const SQL: &str = "UPDATE cards SET holder = $1, family_name = $2, given_name = $3, \
        matricule = $4, profession = $5, name_key = $6 WHERE issuer = $7 AND serial = $8";
    let family = record.family_name().to_string();
    let given = record.given_name().to_string();
    on_tx!(tx, c => sqlx::query(SQL)
        .bind(serde_json::to_string(record)?)
        .bind(&family)
        .bind(&given)
        .bind(&record.holder.matricule)
        .bind(record.profession())
        .bind(shared::fleet::holder_key(&family, &given))
        .bind(&card.issuer)
        .bind(&card.serial)
        .execute(c)
        .await
        .map(|_| ())?);
    Ok(())
}

/// Schedules a card's end of exercise at `at` (Unix seconds).
pub async fn schedule_end(tx: &mut Tx, card: &CardRow, at: i64) -> anyhow::Result<()> {
    const SQL: &str = "UPDATE cards SET end_at = $1 WHERE issuer = $2 AND serial = $3";
    on_tx!(tx, c => sqlx::query(SQL).bind(at).bind(&card.issuer).bind(&card.serial).execute(c).await.map(|_| ())?);
    Ok(())
}

/// Marks a live card revoked; false when it was no longer live (someone acted first).
pub async fn mark_revoked(
    tx: &mut Tx,
    card: &CardRow,
    state: CardState,
    reason: &str,
    at: i64,
) -> anyhow::Result<bool> {
    const SQL: &str =
        "UPDATE cards SET state = $1, revocation_reason = $2, revoked_at = $3, end_at = NULL \
        WHERE issuer = $4 AND serial = $5 AND state = 'active'";
    let done = on_tx!(tx, c => sqlx::query(SQL)
        .bind(state.code())
        .bind(reason)
        .bind(at)
        .bind(&card.issuer)
        .bind(&card.serial)
        .execute(c)
        .await?
        .rows_affected());
    Ok(done == 1)
}

/// Cards whose scheduled end of exercise has come, with their structure (the daily job).
pub async fn ends_due(db: &Db, now: i64) -> anyhow::Result<Vec<(String, String)>> {
    const SQL: &str =
        "SELECT structure_id, serial FROM cards WHERE end_at IS NOT NULL AND end_at <= $1 \
        AND state = 'active' ORDER BY end_at";
    Ok(on_pool!(db, p => sqlx::query_as(SQL).bind(now).fetch_all(p).await?))
}

/// The card an order line replaces and why, when it replaces one.
pub async fn replaced_by_line(
    tx: &mut Tx,
    order_id: &str,
    line_no: i64,
) -> anyhow::Result<Option<(String, String)>> {
    const SQL: &str = "SELECT replaces_serial, replaces_reason FROM order_lines \
        WHERE order_id = $1 AND line_no = $2 AND replaces_serial IS NOT NULL";
    Ok(on_tx!(tx, c => sqlx::query_as(SQL).bind(order_id).bind(line_no).fetch_optional(c).await?))
}

/// A card to add to a fleet as it is (demo data, benchmarks): no certificate is made.
#[derive(Debug, Clone)]
pub struct SeedCard {
    pub issuer: String,
    pub serial: String,
    pub structure_id: String,
    pub national_id: String,
    pub card_type: String,
    pub record: HolderRecord,
    pub state: CardState,
    pub issued_at: i64,
    pub not_after: i64,
    pub revoked_at: Option<i64>,
    pub revocation_reason: Option<&'static str>,
}

/// Inserts cards as they are, in the transaction.
pub async fn insert_seed_cards(tx: &mut Tx, cards: &[SeedCard]) -> anyhow::Result<()> {
    const SQL: &str = "INSERT INTO cards (issuer, serial, national_id, card_type, structure_id, \
        family_name, given_name, not_after, issued_at, holder, matricule, profession, name_key, \
        state, revoked_at, revocation_reason) ";
    on_tx!(tx, c => {
        for chunk in cards.chunks(1000) {
            let mut q = sqlx::QueryBuilder::new(SQL);
            q.push_values(chunk, |mut row, card| {
                let family = card.record.family_name().to_string();
                let given = card.record.given_name().to_string();
                row.push_bind(card.issuer.clone())
                    .push_bind(card.serial.clone())
                    .push_bind(card.national_id.clone())
                    .push_bind(card.card_type.clone())
                    .push_bind(card.structure_id.clone())
                    .push_bind(family.clone())
                    .push_bind(given.clone())
                    .push_bind(card.not_after)
                    .push_bind(card.issued_at)
                    .push_bind(serde_json::to_string(&card.record).unwrap_or_default())
                    .push_bind(card.record.holder.matricule.clone())
                    .push_bind(card.record.profession().map(str::to_string))
                    .push_bind(shared::fleet::holder_key(&family, &given))
                    .push_bind(card.state.code())
                    .push_bind(card.revoked_at)
                    .push_bind(card.revocation_reason);
            });
            q.build().execute(&mut *c).await?;
        }
    });
    Ok(())
}

/// The order of a line replacing or renewing this card, unless that line was rejected.
pub async fn pending_replacement(tx: &mut Tx, serial: &str) -> anyhow::Result<Option<String>> {
    const SQL: &str = "SELECT MIN(order_id) FROM order_lines WHERE replaces_serial = $1 \
        AND status <> 'rejetee'";
    Ok(
        on_tx!(tx, c => sqlx::query_scalar::<_, Option<String>>(SQL).bind(serial).fetch_one(c).await?),
    )
}

/// A replacement or renewal takes over the scheduled end of exercise of the card it replaces.
pub async fn carry_end(tx: &mut Tx, old: &CardRow, new_serial: &str) -> anyhow::Result<()> {
    if old.end_at.is_none() {
        return Ok(());
    }
    const SQL: &str = "UPDATE cards SET end_at = $1 WHERE serial = $2 AND structure_id = $3";
    on_tx!(tx, c => sqlx::query(SQL).bind(old.end_at).bind(new_serial).bind(&old.structure_id).execute(c).await.map(|_| ())?);
    Ok(())
}

/// Records a known card's validity, and its opposition when a CRL already lists it (the demo's
/// test cards).
pub async fn set_validity(
    tx: &mut Tx,
    issuer: &str,
    serial: &str,
    validity: (Option<i64>, Option<i64>),
    revoked_at: Option<i64>,
) -> anyhow::Result<()> {
    const SQL: &str = "UPDATE cards SET issued_at = $1, not_after = $2, \
        state = CASE WHEN $3 IS NULL THEN state ELSE 'opposee' END, revoked_at = $3, \
        revocation_reason = CASE WHEN $3 IS NULL THEN revocation_reason ELSE 'keyCompromise' END \
        WHERE issuer = $4 AND serial = $5";
    on_tx!(tx, c => sqlx::query(SQL)
        .bind(validity.0)
        .bind(validity.1)
        .bind(revoked_at)
        .bind(issuer)
        .bind(serial)
        .execute(c)
        .await
        .map(|_| ())?);
    Ok(())
}

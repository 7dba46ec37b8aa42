//! Persistence through sqlx on SQLite (embedded default) or PostgreSQL (scale-out): the pool
//! (`Db`, read with `on_pool!`), the transaction a use case owns (`Tx`, written with `on_tx!`),
//! and unique constraints mapped by name to what they mean (`constraint_of`). Each feature keeps
//! its own SQL in its `store.rs`.

pub mod raw;

use std::str::FromStr;

use anyhow::Context;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

/// Rows SQLite's worker thread may read ahead of a streaming query (sqlx's default, 50, makes a
/// million-row download wait on the two threads' hand-over; 1,024 rows are a few hundred KB).
const SQLITE_ROW_BUFFER: usize = 1024;

#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same expression on whichever pool the database is.
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// One use case's transaction, on whichever database TOM runs. Store functions that write take
/// `&mut Tx`; the use case commits once, after its audit entry (STYLE.md: use cases own the
/// transaction). Dropped without `commit`, it rolls back.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Runs the same expression on the transaction's connection (the twin of `on_pool!`).
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::db::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}
pub(crate) use on_tx;

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }
}

/// A unique constraint, by the name PostgreSQL gives it, and the column list SQLite names in its
/// message ("UNIQUE constraint failed: orders.structure_id, orders.idempotency_key").
struct UniqueConstraint {
    name: &'static str,
    sqlite_columns: &'static str,
}

/// Every unique constraint a use case maps to a meaning.
const UNIQUE_CONSTRAINTS: &[UniqueConstraint] = &[
    UniqueConstraint {
        name: "orders_structure_id_idempotency_key_key",
        sqlite_columns: "orders.structure_id, orders.idempotency_key",
    },
    UniqueConstraint {
        name: "orders_structure_id_content_sha256_key",
        sqlite_columns: "orders.structure_id, orders.content_sha256",
    },
    // migrations/*/0009_delegations.sql: one designation of a person waiting per structure.
    UniqueConstraint {
        name: "delegations_one_waiting",
        sqlite_columns: "delegations.structure_id, delegations.person_id",
    },
    UniqueConstraint {
        name: "delegations_one_replacement_waiting",
        sqlite_columns: "delegations.structure_id, delegations.replaces_id",
    },
];

/// The name of the unique constraint an error violated, on either database: what
/// realworld-axum-sqlx's `on_constraint` matches on, so that the database arbitrates uniqueness
/// instead of a read before the write.
pub fn constraint_of(error: &sqlx::Error) -> Option<&'static str> {
    let sqlx::Error::Database(e) = error else {
        return None;
    };
    if !e.is_unique_violation() {
        return None;
    }
    match e.constraint() {
        Some(name) => UNIQUE_CONSTRAINTS
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.name),
        None => {
            let message = e.message();
            UNIQUE_CONSTRAINTS
                .iter()
                .find(|c| message.ends_with(c.sqlite_columns))
                .map(|c| c.name)
        }
    }
}

/// What a failed connection to PostgreSQL says: the key, and what to check (never the URL,
/// which may hold a password).
const PG_UNREACHABLE: &str = "database_url (DATABASE_URL) : connexion à PostgreSQL impossible \
    (serveur démarré ? hôte, port, base, utilisateur et mot de passe de l'URL ?)";

impl Db {
    /// Connects and brings the schema up to date.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let db = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .context("DATABASE_URL SQLite illisible")?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(std::time::Duration::from_secs(10))
                .row_buffer_size(SQLITE_ROW_BUFFER);
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await
                .context(
                    "database_url (DATABASE_URL) : la base SQLite ne s'ouvre pas \
                     (dossier existant et accessible en écriture ?)",
                )?;
            sqlx::migrate!("migrations/sqlite")
                .run(&pool)
                .await
                .context("migrations SQLite")?;
            Db::Sqlite(pool)
        } else {
            let pool = PgPoolOptions::new()
                .max_connections(10)
                .connect(url)
                .await
                .context(PG_UNREACHABLE)?;
            sqlx::migrate!("migrations/postgres")
                .run(&pool)
                .await
                .context("migrations PostgreSQL")?;
            Db::Postgres(pool)
        };
        Ok(db)
    }

    /// Opens the transaction of one use case. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so that a use case that reads then writes never fails on a snapshot
    /// another writer made stale; on PostgreSQL, rows are locked where the use case says so.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Opens an existing database as it is: no file created, no migration run (for
    /// `tom audit verify`, which must not mistake a wrong path for an empty journal).
    pub async fn open_existing(url: &str) -> anyhow::Result<Self> {
        let db = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .context("DATABASE_URL SQLite illisible")?
                .create_if_missing(false)
                .row_buffer_size(SQLITE_ROW_BUFFER);
            Db::Sqlite(
                SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(options)
                    .await
                    .with_context(|| {
                        format!(
                            "database_url (DATABASE_URL) : la base {url} n'existe pas ou ne s'ouvre pas"
                        )
                    })?,
            )
        } else {
            Db::Postgres(
                PgPoolOptions::new()
                    .max_connections(1)
                    .connect(url)
                    .await
                    .context(PG_UNREACHABLE)?,
            )
        };
        Ok(db)
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }
}

/// Runs one SQL statement as it is (maintenance, and the tests' sabotage of the schema).
pub async fn execute_statement(db: &Db, sql: &str) -> anyhow::Result<()> {
    on_pool!(db, p => sqlx::raw_sql(sql).execute(p).await.map(|_| ())?);
    Ok(())
}

//! Persistence through sqlx on SQLite (embedded default) or PostgreSQL (scale-out). One small
//! named function per query; the same SQL serves both backends where the dialects agree.

pub mod crls;
pub mod orders;
pub mod people;
pub mod sessions;
pub mod structures;

use std::str::FromStr;

use anyhow::Context;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

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

impl Db {
    /// Connects and brings the schema up to date.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let db = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .context("DATABASE_URL SQLite illisible")?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(std::time::Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await
                .context("ouverture de la base SQLite")?;
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
                .context("connexion à PostgreSQL")?;
            sqlx::migrate!("migrations/postgres")
                .run(&pool)
                .await
                .context("migrations PostgreSQL")?;
            Db::Postgres(pool)
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

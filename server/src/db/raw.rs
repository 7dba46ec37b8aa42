//! Reading a long query's rows straight from SQLite's C API, on the calling (blocking) thread:
//! what the fleet's downloads do with a million rows. Through sqlx, each row is decoded into
//! owned values on SQLite's worker thread and handed over a channel to the reader (a futex wake
//! and a few allocations per row: half the time of a download). Here the rows are borrowed from
//! the statement, one at a time, by the code that writes them, on one thread.
//!
//! The pool connection is taken with `SqliteConnection::lock_handle`, which parks sqlx's worker
//! thread for as long as the handle is held: nothing else touches the connection meanwhile.
//! This is the only `unsafe` code of TOM's database access; it reads, it never writes.

use std::ffi::{c_int, CStr};
use std::marker::PhantomData;
use std::ptr::NonNull;

use anyhow::Context;
use libsqlite3_sys as ffi;
use sqlx::SqlitePool;

/// A value bound to a placeholder (`$1`, `$2`… in order).
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Text(&'a str),
    Int(i64),
}

/// The row the statement stands on, valid until the next step.
pub struct Row<'s> {
    stmt: NonNull<ffi::sqlite3_stmt>,
    _step: PhantomData<&'s mut ()>,
}

impl Row<'_> {
    /// Column `i` as text, `None` when NULL; an error when it is not UTF-8 (as sqlx says).
    pub fn text(&self, i: c_int) -> anyhow::Result<Option<&str>> {
        // SAFETY: `stmt` is a live statement standing on a row (Row only exists between a
        // `sqlite3_step` that returned SQLITE_ROW and the next step, which needs `&mut` of the
        // `Statement` this row borrows). The text SQLite returns stays valid, unchanged, until
        // the next step or finalize, which the borrow of `self` rules out; its length is
        // `sqlite3_column_bytes`, called after `sqlite3_column_text` as SQLite requires.
        unsafe {
            if ffi::sqlite3_column_type(self.stmt.as_ptr(), i) == ffi::SQLITE_NULL {
                return Ok(None);
            }
            let data = ffi::sqlite3_column_text(self.stmt.as_ptr(), i);
            let len = ffi::sqlite3_column_bytes(self.stmt.as_ptr(), i);
            if data.is_null() {
                return Ok(Some(""));
            }
            let bytes = std::slice::from_raw_parts(data, len as usize);
            Ok(Some(std::str::from_utf8(bytes).with_context(|| {
                format!("colonne {i} : texte qui n'est pas de l'UTF-8")
            })?))
        }
    }

    /// Column `i` as an integer, `None` when NULL.
    pub fn int(&self, i: c_int) -> Option<i64> {
        // SAFETY: as in `text`; integers are copied out.
        unsafe {
            if ffi::sqlite3_column_type(self.stmt.as_ptr(), i) == ffi::SQLITE_NULL {
                None
            } else {
                Some(ffi::sqlite3_column_int64(self.stmt.as_ptr(), i))
            }
        }
    }
}

/// A prepared statement, finalized when dropped.
struct Statement {
    db: *mut ffi::sqlite3,
    stmt: NonNull<ffi::sqlite3_stmt>,
}

impl Drop for Statement {
    fn drop(&mut self) {
        // SAFETY: `stmt` came from a successful prepare and is finalized only here, once.
        unsafe {
            ffi::sqlite3_finalize(self.stmt.as_ptr());
        }
    }
}

/// SQLite's message for the last error on `db`.
///
/// # Safety
/// `db` must be a live connection held by this thread.
unsafe fn last_error(db: *mut ffi::sqlite3, code: c_int) -> anyhow::Error {
    let message = CStr::from_ptr(ffi::sqlite3_errmsg(db)).to_string_lossy();
    anyhow::anyhow!("SQLite ({code}) : {message}")
}

/// Runs `sql` with `values` on a connection of `pool` and calls `each` on every row, in order,
/// on this thread; `each`'s error stops the query. Blocks the thread: call it from
/// `spawn_blocking`, with the runtime's handle (taking the connection is async).
pub fn for_each_row(
    runtime: &tokio::runtime::Handle,
    pool: &SqlitePool,
    sql: &str,
    values: &[Value<'_>],
    mut each: impl FnMut(&Row<'_>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut conn = runtime.block_on(pool.acquire())?;
    let mut locked = runtime.block_on(conn.lock_handle())?;
    let db = locked.as_raw_handle().as_ptr();
    let sql_len = c_int::try_from(sql.len()).context("requête trop longue")?;
    // SAFETY: `db` is the connection sqlx opened, locked for this thread by `locked` (sqlx's
    // worker waits on that lock) and alive as long as `conn`, both held until the end of this
    // function, after the statement's finalize (`statement` is declared after them, so dropped
    // first). Texts bound with SQLITE_TRANSIENT are copied by SQLite at once. Steps happen
    // only here; each `Row` lent to `each` borrows the statement, so it cannot outlive a step.
    unsafe {
        let mut stmt = std::ptr::null_mut();
        let code = ffi::sqlite3_prepare_v2(
            db,
            sql.as_ptr().cast(),
            sql_len,
            &mut stmt,
            std::ptr::null_mut(),
        );
        if code != ffi::SQLITE_OK {
            return Err(last_error(db, code));
        }
        let Some(stmt) = NonNull::new(stmt) else {
            anyhow::bail!("requête vide");
        };
        let statement = Statement { db, stmt };
        for (i, value) in values.iter().enumerate() {
            let at = c_int::try_from(i + 1).context("trop de valeurs")?;
            let code = match *value {
                Value::Text(t) => ffi::sqlite3_bind_text64(
                    statement.stmt.as_ptr(),
                    at,
                    t.as_ptr().cast(),
                    t.len() as u64,
                    ffi::SQLITE_TRANSIENT(),
                    ffi::SQLITE_UTF8 as u8,
                ),
                Value::Int(n) => ffi::sqlite3_bind_int64(statement.stmt.as_ptr(), at, n),
            };
            if code != ffi::SQLITE_OK {
                return Err(last_error(statement.db, code));
            }
        }
        loop {
            match ffi::sqlite3_step(statement.stmt.as_ptr()) {
                ffi::SQLITE_ROW => each(&Row {
                    stmt: statement.stmt,
                    _step: PhantomData,
                })?,
                ffi::SQLITE_DONE => break,
                code => return Err(last_error(statement.db, code)),
            }
        }
        drop(statement);
    }
    drop(locked);
    drop(conn);
    Ok(())
}

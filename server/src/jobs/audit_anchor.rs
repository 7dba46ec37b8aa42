//! Writes the audit chain's end (position and hash) to the anchor file outside the database,
//! when it moved. With several instances, each writes what the database says: the same anchor.

use std::path::Path;

use crate::audit::anchor::{self, Anchor};
use crate::audit::store;
use crate::db::Db;

pub async fn write_anchor(db: &Db, path: &Path, now: i64) -> anyhow::Result<bool> {
    let (seq, hash) = store::head(db).await?;
    if seq == 0 {
        return Ok(false);
    }
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || {
        anchor::write(
            &path,
            &Anchor {
                seq,
                hash,
                written_at: now,
            },
        )
    })
    .await?
}

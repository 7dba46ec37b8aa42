//! Writes the audit chain's end (position and hash) to the anchor file outside the database,
//! when it moved. With several instances, each writes what the database says: the same anchor.
//! An anchor only moves forward along the chain it attests: if the entry it names is gone or
//! changed, the old anchor is kept and the break is logged, so that new entries never cover up a
//! truncated or rewritten journal.

use std::path::Path;

use crate::audit::anchor::{self, Anchor};
use crate::audit::store;
use crate::db::Db;

pub async fn write_anchor(db: &Db, path: &Path, now: i64) -> anyhow::Result<bool> {
    let Some((seq, hash)) = store::head(db).await? else {
        anyhow::bail!("la fin du journal d'audit (audit_head) a disparu de la base");
    };
    if seq == 0 {
        return Ok(false);
    }
    let old = {
        let path = path.to_path_buf();
        tokio::task::spawn_blocking(move || anchor::read(&path)).await??
    };
    if let Some(old) = old {
        let still_there = store::hash_at(db, old.seq).await?;
        if old.seq > seq || still_there.as_deref() != Some(old.hash.as_str()) {
            anyhow::bail!(
                "journal d'audit altéré : l'entrée n° {} attestée par l'ancre {} manque ou a changé ; \
                 l'ancre est conservée (lancez tom audit verify)",
                old.seq,
                path.display()
            );
        }
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

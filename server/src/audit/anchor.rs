//! The anchor: the chain's last position and hash, written to a file outside the database
//! (`audit_anchor`), so that cutting off the end of the chain in the database is detected too.

use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
    /// Unix seconds when it was written.
    pub written_at: i64,
}

/// Reads the anchor; none if the file does not exist yet.
pub fn read(path: &Path) -> anyhow::Result<Option<Anchor>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(serde_json::from_slice(&bytes).with_context(|| {
            format!("ancre du journal illisible : {}", path.display())
        })?)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("lecture de {}", path.display())),
    }
}

/// Writes the anchor atomically (a temporary file renamed over the old one). An anchor never
/// goes back: a smaller position than the file's is not written.
pub fn write(path: &Path, anchor: &Anchor) -> anyhow::Result<bool> {
    if let Some(old) = read(path).ok().flatten() {
        if old.seq >= anchor.seq {
            return Ok(false);
        }
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("création de {}", dir.display()))?;
    }
    // A name no other writer uses at the same time (instances, or the job and a test, in one
    // process): the rename then replaces the anchor whole.
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_extension(format!("tmp{}-{n}", std::process::id()));
    std::fs::write(&tmp, serde_json::to_vec_pretty(anchor)?)
        .with_context(|| format!("écriture de {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("écriture de {}", path.display()))?;
    Ok(true)
}

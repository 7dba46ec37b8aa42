//! `tom audit verify`: walks the whole chain in batches (constant memory at any size), then
//! checks its end against the database's head and the anchor file.

use super::anchor::Anchor;
use super::chain::{Break, Walker};
use super::store;
use crate::db::Db;

/// Entries read per query.
const BATCH: i64 = 10_000;

/// A chain that holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub entries: i64,
    pub last_hash: String,
}

/// Verifies the chain; `Ok(Err(_))` names the first entry that breaks it. Entries without an
/// anchor are a break too: the end of such a chain cannot be attested.
pub async fn verify(db: &Db, anchor: Option<&Anchor>) -> anyhow::Result<Result<Verified, Break>> {
    let mut walker = Walker::default();
    loop {
        let batch = store::batch_after(db, walker.last_seq(), BATCH).await?;
        if batch.is_empty() {
            break;
        }
        for e in &batch {
            if let Err(b) = walker.next(e.seq, &e.prev_hash, &e.hash, &e.content()) {
                return Ok(Err(b));
            }
        }
    }
    let last = walker.last_seq();
    let Some((head_seq, head_hash)) = store::head(db).await? else {
        return Ok(Err(Break::HeadMissing { last }));
    };
    if head_seq > last {
        return Ok(Err(Break::Truncated {
            last,
            anchored: head_seq,
        }));
    }
    if head_seq == last && head_hash != walker.last_hash() {
        return Ok(Err(Break::AnchorMismatch { seq: last }));
    }
    if anchor.is_none() && last > 0 {
        return Ok(Err(Break::NoAnchor { last }));
    }
    if let Some(anchor) = anchor {
        if anchor.seq > last {
            return Ok(Err(Break::Truncated {
                last,
                anchored: anchor.seq,
            }));
        }
        if anchor.seq > 0 && store::hash_at(db, anchor.seq).await?.as_deref() != Some(&anchor.hash)
        {
            return Ok(Err(Break::AnchorMismatch { seq: anchor.seq }));
        }
    }
    Ok(Ok(Verified {
        entries: last,
        last_hash: walker.last_hash().to_string(),
    }))
}

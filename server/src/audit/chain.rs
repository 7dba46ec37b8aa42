//! The hash chain of the audit trail, with no I/O: each entry's hash covers its content and the
//! hash of the entry before it, so that an edit, a deletion, an insertion or a reordering breaks
//! the chain at that entry (and a truncated end is caught by the anchor kept outside the base).

use serde::Serialize;

/// The hash the first entry follows: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hashed fields of an entry, as stored (JSON texts hashed as they are).
#[derive(Debug, Clone, Serialize)]
pub struct Content<'a> {
    pub at: i64,
    pub actor_fingerprint: &'a str,
    pub actor_national_id: &'a str,
    pub actor_role: &'a str,
    pub structure_id: Option<&'a str>,
    pub action: &'a str,
    pub object: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

/// `hex(SHA-256(prev_hash "\n" JSON array of the content))`: 64 lower-case hex digits.
pub fn hash(prev_hash: &str, content: &Content<'_>) -> String {
    let fields = (
        content.at,
        content.actor_fingerprint,
        content.actor_national_id,
        content.actor_role,
        content.structure_id,
        content.action,
        content.object,
        content.before,
        content.after,
    );
    let json =
        serde_json::to_string(&fields).expect("des chaînes et des nombres s'écrivent en JSON");
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    ctx.update(prev_hash.as_bytes());
    ctx.update(b"\n");
    ctx.update(json.as_bytes());
    hex::encode(ctx.finish())
}

/// What is wrong at one entry of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The entry's content no longer gives its hash: it was edited.
    Edited { seq: i64 },
    /// The entry does not follow the one before it: an entry was deleted, inserted or moved
    /// just before it.
    DoesNotFollow { seq: i64, previous: i64 },
    /// The chain ends before the anchor's entry: its end was cut off.
    Truncated { last: i64, anchored: i64 },
    /// The anchor's entry is there but is not the one anchored.
    AnchorMismatch { seq: i64 },
    /// The database's record of the chain's end was deleted.
    HeadMissing { last: i64 },
    /// Entries exist but no anchor attests their end (the anchor file was removed or never
    /// written): a cut-off end could not be seen.
    NoAnchor { last: i64 },
}

impl Break {
    /// The entry to look at.
    pub fn seq(&self) -> i64 {
        match self {
            Break::Edited { seq }
            | Break::DoesNotFollow { seq, .. }
            | Break::AnchorMismatch { seq } => *seq,
            Break::Truncated { last, .. }
            | Break::HeadMissing { last }
            | Break::NoAnchor { last } => last + 1,
        }
    }

    /// In French, for `tom audit verify`.
    pub fn describe(&self) -> String {
        match self {
            Break::Edited { seq } => format!(
                "entrée n° {seq} modifiée : son contenu ne donne plus son empreinte"
            ),
            Break::DoesNotFollow { seq, previous: 0 } => format!(
                "entrée n° {seq} : n'est pas le début du journal (entrée supprimée, insérée ou déplacée juste avant)"
            ),
            Break::DoesNotFollow { seq, previous } => format!(
                "entrée n° {seq} : ne suit pas l'entrée n° {previous} (entrée supprimée, insérée ou déplacée juste avant)"
            ),
            Break::Truncated { last, anchored } => format!(
                "entrée n° {} manquante : la chaîne s'arrête à l'entrée n° {last} alors que l'ancre en atteste {anchored} (fin supprimée)",
                last + 1
            ),
            Break::AnchorMismatch { seq } => format!(
                "entrée n° {seq} : ce n'est plus l'entrée attestée par l'ancre (chaîne réécrite)"
            ),
            Break::HeadMissing { last } => format!(
                "la fin du journal (table audit_head) a été supprimée de la base ; la chaîne va jusqu'à l'entrée n° {last}"
            ),
            Break::NoAnchor { last } => format!(
                "aucune ancre n'atteste la fin du journal ({last} entrées) : le fichier audit_anchor a-t-il été supprimé ou déplacé ? Une fin supprimée ne pourrait pas se voir"
            ),
        }
    }
}

/// Checks entries in order, one at a time, in constant memory.
#[derive(Debug, Clone)]
pub struct Walker {
    last_seq: i64,
    last_hash: String,
}

impl Default for Walker {
    fn default() -> Self {
        Self {
            last_seq: 0,
            last_hash: GENESIS.to_string(),
        }
    }
}

impl Walker {
    /// The next stored entry: its position, the hash it says it follows, its hash, its content.
    pub fn next(
        &mut self,
        seq: i64,
        prev_hash: &str,
        stored_hash: &str,
        content: &Content<'_>,
    ) -> Result<(), Break> {
        if hash(prev_hash, content) != stored_hash {
            return Err(Break::Edited { seq });
        }
        if seq != self.last_seq + 1 || prev_hash != self.last_hash {
            return Err(Break::DoesNotFollow {
                seq,
                previous: self.last_seq,
            });
        }
        self.last_seq = seq;
        self.last_hash = stored_hash.to_string();
        Ok(())
    }

    pub fn last_seq(&self) -> i64 {
        self.last_seq
    }

    pub fn last_hash(&self) -> &str {
        &self.last_hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(action: &str) -> Content<'_> {
        Content {
            at: 1,
            actor_fingerprint: "ab",
            actor_national_id: "3940000011/1",
            actor_role: "mandataire",
            structure_id: Some("1940000011"),
            action,
            object: "commande C1",
            before: None,
            after: Some("{\"lignes\":1}"),
        }
    }

    #[test]
    fn a_chain_walks_and_an_edit_or_a_gap_is_named() {
        let h1 = hash(GENESIS, &content("a"));
        let h2 = hash(&h1, &content("b"));
        let mut w = Walker::default();
        w.next(1, GENESIS, &h1, &content("a")).unwrap();
        w.next(2, &h1, &h2, &content("b")).unwrap();
        assert_eq!(w.last_seq(), 2);
        let mut w = Walker::default();
        assert_eq!(
            w.next(1, GENESIS, &h1, &content("x")),
            Err(Break::Edited { seq: 1 })
        );
        let mut w = Walker::default();
        w.next(1, GENESIS, &h1, &content("a")).unwrap();
        let h3 = hash(&h2, &content("c"));
        assert_eq!(
            w.next(3, &h2, &h3, &content("c")),
            Err(Break::DoesNotFollow {
                seq: 3,
                previous: 1
            })
        );
    }
}

//! `tom fleet generate` (a made-up fleet of any size, for the benchmarks) and `tom fleet export`
//! (the route's download, by the very same code, written to a file: what the benchmarks time).

use std::io::Write;

use shared::api::FleetFilter;

use super::export::{self, Format};
use super::seed;
use super::store::{insert_seed_cards, SeedCard, Selection};
use crate::audit::Actor;
use crate::auth::access::{Access, StructureId};
use crate::db::Db;

/// Cards inserted per transaction.
const CARDS_PER_TRANSACTION: usize = 5_000;
/// Cards generated at once for one structure (the generator holds them in memory).
const CARDS_PER_DRAW: usize = 10_000;
/// The issuer written on generated cards.
const ISSUER: &str = "CN=TOM GENERATEUR DE PARC";

/// The identifier and FINESS of the `i`-th generated structure: FINESS `95iiiiiiK` (K the Luhn
/// key), so `195iiiiiiK`.
pub fn structure_of(i: usize) -> (String, String) {
    let finess = shared::ids::with_luhn_key(&format!("95{:06}", i % 1_000_000));
    (format!("1{finess}"), finess)
}

/// Adds `structures` structures and `cards` cards spread evenly over them to the database,
/// `CARDS_PER_TRANSACTION` cards per transaction. Returns the structures' identifiers.
pub async fn generate(
    db: &Db,
    cards: usize,
    structures: usize,
    seed_value: u64,
    now: i64,
) -> anyhow::Result<Vec<String>> {
    let structures = structures.max(1);
    let mut ids = Vec::with_capacity(structures);
    let mut pending: Vec<SeedCard> = Vec::with_capacity(CARDS_PER_TRANSACTION + CARDS_PER_DRAW);
    let mut new_structures: Vec<(String, String)> = Vec::new();
    for s in 0..structures {
        let (id, finess) = structure_of(s);
        ids.push(id.clone());
        new_structures.push((id.clone(), finess.clone()));
        let mut n = cards / structures + usize::from(s < cards % structures);
        let mut rank = 0usize;
        while n > 0 {
            let draw = n.min(CARDS_PER_DRAW);
            let seed_of_draw = seed_value ^ ((s as u64) << 20) ^ (rank as u64);
            for mut card in seed::fleet(&id, &finess, ISSUER, draw, seed_of_draw, now) {
                rank += 1;
                // Unique in the structure over every draw.
                card.record.holder.matricule = format!("M{rank:07}");
                card.national_id = format!("3{finess}/M{rank:07}");
                pending.push(card);
            }
            n -= draw;
            if pending.len() >= CARDS_PER_TRANSACTION {
                flush(db, &mut new_structures, &mut pending).await?;
            }
        }
    }
    flush(db, &mut new_structures, &mut pending).await?;
    Ok(ids)
}

async fn flush(
    db: &Db,
    structures: &mut Vec<(String, String)>,
    cards: &mut Vec<SeedCard>,
) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    for (id, finess) in structures.drain(..) {
        crate::structures::store::insert_structure(
            &mut tx,
            &id,
            Some(&finess),
            None,
            &format!("ETABLISSEMENT GENERE {finess}"),
        )
        .await?;
    }
    insert_seed_cards(&mut tx, cards).await?;
    tx.commit().await?;
    cards.clear();
    Ok(())
}

/// Writes the download of `structure`'s fleet selected by `filter` to `out` (recorded in the
/// audit trail as TOM's own action, like the jobs'). Returns the bytes written.
pub async fn export(
    db: &Db,
    structure: StructureId,
    filter: &FleetFilter,
    format: Format,
    now: i64,
    out: &mut impl Write,
) -> anyhow::Result<u64> {
    let selection = Selection::from_filter(filter, now)
        .map_err(|param| anyhow::anyhow!("filtre illisible : {param}"))?;
    let access = Access::for_command_line(structure);
    let actor = Actor {
        fingerprint: String::new(),
        national_id: "TOM".to_string(),
        role: "systeme",
    };
    let mut download = export::start(db, &access, &actor, filter, selection, format, now).await?;
    let mut written = 0u64;
    while let Some(chunk) = download.chunks.recv().await {
        let chunk = chunk?;
        out.write_all(&chunk)?;
        written += chunk.len() as u64;
    }
    out.flush()?;
    Ok(written)
}

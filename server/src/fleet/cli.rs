//! `tom fleet generate` (a made-up fleet of any size, for the benchmarks), `tom fleet export`
//! (the route's download, by the very same code, written to a file) and `tom fleet page` (one
//! page of the list, by the route's code, timed): what the benchmarks time.

use std::io::Write;

use shared::api::FleetFilter;

use super::export::{self, Format};
use super::store::{self, insert_seed_cards, SeedCard, Selection};
use super::{browse, seed};
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

/// Which page of the list [`time_page`] times.
#[derive(Debug, Clone, Copy)]
pub enum Position {
    First,
    Middle,
    Last,
}

/// What [`time_page`] measured: the page chosen among the selection's pages, its rows, the
/// selection's count, each call's duration, and the plans of the page and count queries.
pub struct PageTimes {
    pub pages: usize,
    pub page: usize,
    pub rows: usize,
    pub total: i64,
    pub durations: Vec<std::time::Duration>,
    pub plans: Vec<(String, Vec<String>)>,
}

/// Times `repeat` calls of the fleet list's own code (`browse::page`, what
/// `GET /api/structures/{id}/fleet` runs) for one page of `structure`'s cards selected by
/// `filter`: the first, the middle or the last page, its cursor found by walking the pages
/// first. With `explain`, also the database's plans of that page's two queries.
#[allow(clippy::too_many_arguments)]
pub async fn time_page(
    db: &Db,
    structure: StructureId,
    filter: &FleetFilter,
    limit: i64,
    position: Position,
    repeat: usize,
    explain: bool,
    now: i64,
) -> anyhow::Result<PageTimes> {
    let selection = Selection::from_filter(filter, now)
        .map_err(|param| anyhow::anyhow!("filtre illisible : {param}"))?;
    let access = Access::for_command_line(structure);
    let mut cursors: Vec<Option<(String, String)>> = vec![None];
    loop {
        let after = cursors.last().cloned().flatten();
        let page = browse::page(db, &access, &selection, after, limit, now).await?;
        match page.next.as_deref().and_then(browse::parse_cursor) {
            Some(next) => cursors.push(Some(next)),
            None => break,
        }
    }
    let pages = cursors.len();
    let index = match position {
        Position::First => 0,
        Position::Middle => pages / 2,
        Position::Last => pages - 1,
    };
    let after = cursors[index].clone();
    let mut durations = Vec::with_capacity(repeat);
    let mut last = None;
    for _ in 0..repeat.max(1) {
        let started = std::time::Instant::now();
        let page = browse::page(db, &access, &selection, after.clone(), limit, now).await?;
        durations.push(started.elapsed());
        last = Some(page);
    }
    let last = last.expect("at least one call");
    let mut plans = Vec::new();
    if explain {
        let clause = selection.clause(access.structure_id(), now);
        let (sql, binds) = store::page_query(
            &clause,
            after.as_ref().map(|(k, s)| (k.as_str(), s.as_str())),
            limit + 1,
        );
        plans.push((sql.clone(), store::explain(db, &sql, &binds).await?));
        let sql = store::count_sql(&clause);
        plans.push((sql.clone(), store::explain(db, &sql, &clause.binds).await?));
    }
    Ok(PageTimes {
        pages,
        page: index + 1,
        rows: last.cards.len(),
        total: last.total,
        durations,
        plans,
    })
}

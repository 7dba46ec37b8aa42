//! Once, at start-up: the search form of the holders' and structures' names (and the holders'
//! civility) for what was stored before TOM kept them (migration 0005). Nothing to do afterwards.

use crate::db::Db;
use crate::orders::{lines::civility_of_payload, store as orders};
use crate::structures::store as structures;

pub async fn run(db: &Db) -> anyhow::Result<()> {
    let lines = orders::lines_without_search_key(db).await?;
    let names = structures::structures_without_name_key(db).await?;
    if lines.is_empty() && names.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    for (id, name) in &names {
        structures::set_name_key(&mut tx, id, &shared::text::search_key(name)).await?;
    }
    for (order_id, line_no, holder, payload) in &lines {
        let key = shared::text::search_key(holder);
        let civility = civility_of_payload(payload);
        orders::set_line_search_key(&mut tx, order_id, *line_no, &key, civility).await?;
    }
    tx.commit().await?;
    tracing::info!(
        lignes = lines.len(),
        structures = names.len(),
        "formes de recherche des noms renseignées"
    );
    Ok(())
}

//! Importing the FINESS register: establishments and legal entities created or updated in batches
//! (one transaction for the whole import, constant memory), the register winning over local edits
//! with each override in the structure's history and audit trail, and one audit entry for the
//! import with its counts. The same extract twice changes nothing.

use std::collections::{HashMap, HashSet};

use serde_json::json;
use shared::api::{AuditAction, RegisterImportReport, RegisterRefusal, MAX_LISTED_REFUSALS};

use super::source::{Establishment, Located, Refusal, RegisterRecord, RegisterSource};
use super::store::{self, RegisterFields};
use crate::audit::{self, Actor, Entry};
use crate::db::{Db, Tx};
use crate::structures::store::{insert_history, FieldChange};

/// Records read and written together: one query reads them, one creates the new ones.
const BATCH: usize = 250;
/// Batches per transaction: committing now and then lets SQLite checkpoint its write-ahead log,
/// which otherwise grows with the file and slows every page lookup. An import stopped half-way
/// leaves the batches committed; importing the same extract again completes it (idempotent).
const BATCHES_PER_TRANSACTION: usize = 40;

/// A structure's id in TOM from its FINESS (TRE_G07 prefix `1`).
pub fn structure_id_of(finess: &str) -> String {
    format!("1{finess}")
}

/// Imports a whole register. `Err` stops it: what was committed stays (see
/// `BATCHES_PER_TRANSACTION`), and no `registre_importe` entry is written.
pub async fn import(
    db: &Db,
    actor: &Actor,
    now: i64,
    source: Box<dyn RegisterSource>,
) -> anyhow::Result<RegisterImportReport> {
    let date = source.extract_date().to_string();
    let mut report = RegisterImportReport {
        extract_date: date.clone(),
        ..Default::default()
    };
    let mut tx = db.begin().await?;
    let mut source = Some(source);
    let mut batches = 0;
    loop {
        // The source reads files: off the async workers.
        let mut taken = source
            .take()
            .expect("the source comes back after each batch");
        let (taken, batch) = tokio::task::spawn_blocking(move || {
            let batch = read_batch(taken.as_mut());
            (taken, batch)
        })
        .await?;
        source = Some(taken);
        let batch = batch?;
        if batch.is_empty() {
            break;
        }
        apply_batch(&mut tx, actor, now, &date, batch, &mut report).await?;
        batches += 1;
        if batches % BATCHES_PER_TRANSACTION == 0 {
            tx.commit().await?;
            tx = db.begin().await?;
        }
    }
    audit::append(
        &mut tx,
        &Entry {
            at: now,
            actor,
            structure_id: None,
            action: AuditAction::RegistreImporte,
            object: format!("registre FINESS du {date}"),
            before: None,
            after: Some(json!({
                "date_extrait": date,
                "crees": report.created,
                "mis_a_jour": report.updated,
                "inchanges": report.unchanged,
                "refuses": report.refused,
                "entites_juridiques_creees": report.legal_entities_created,
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

type Batch = Vec<Result<Located, Refusal>>;

fn read_batch(source: &mut dyn RegisterSource) -> anyhow::Result<Batch> {
    let mut batch = Vec::with_capacity(BATCH);
    while batch.len() < BATCH {
        match source.next_record()? {
            Some(record) => batch.push(record),
            None => break,
        }
    }
    Ok(batch)
}

fn refuse(report: &mut RegisterImportReport, line: u64, reason: String) {
    report.refused += 1;
    if report.refusals.len() < MAX_LISTED_REFUSALS {
        report.refusals.push(RegisterRefusal { line, reason });
    }
}

async fn apply_batch(
    tx: &mut Tx,
    actor: &Actor,
    now: i64,
    date: &str,
    batch: Batch,
    report: &mut RegisterImportReport,
) -> anyhow::Result<()> {
    let mut establishments: Vec<(u64, Establishment)> = Vec::new();
    let mut geolocations: Vec<(u64, String, String)> = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for item in batch {
        match item {
            Err(Refusal { line, reason }) => refuse(report, line, reason),
            Ok(Located { line, record }) => match record {
                RegisterRecord::Establishment(e) => {
                    if let Some(first) = seen.insert(e.finess.clone(), line) {
                        refuse(
                            report,
                            line,
                            format!("établissement {} déjà lu à la ligne {first}", e.finess),
                        );
                        seen.insert(e.finess.clone(), first);
                    } else {
                        establishments.push((line, e));
                    }
                }
                RegisterRecord::Geolocation {
                    finess,
                    geolocation,
                } => geolocations.push((line, structure_id_of(&finess), geolocation)),
            },
        }
    }

    // Legal entities first: establishments refer to them.
    let mut entities: Vec<(String, String)> = establishments
        .iter()
        .filter_map(|(_, e)| e.legal_entity_finess.clone())
        .filter(|ej| !seen.contains_key(ej))
        .map(|ej| (structure_id_of(&ej), ej))
        .collect();
    entities.sort();
    entities.dedup();
    report.legal_entities_created += store::insert_missing_legal_entities(tx, &entities).await?;

    let ids: Vec<String> = establishments
        .iter()
        .map(|(_, e)| structure_id_of(&e.finess))
        .collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut stored: HashMap<String, RegisterFields> = store::find_by_ids(tx, &id_refs)
        .await?
        .into_iter()
        .map(|row| (row.id.clone(), row))
        .collect();
    let mut new_rows = Vec::new();
    let mut overrides = Vec::new();
    for ((_, establishment), id) in establishments.into_iter().zip(ids) {
        match stored.remove(&id) {
            None => {
                new_rows.push(merged(None, id, establishment));
                report.created += 1;
            }
            Some(before) => {
                let after = merged(Some(&before), id, establishment);
                if after == before {
                    report.unchanged += 1;
                } else {
                    overrides.push((before, after));
                    report.updated += 1;
                }
            }
        }
    }
    store::insert_establishments(tx, &new_rows).await?;
    // Written before the geolocations are read: they apply to what the batch made.
    override_structures(tx, actor, now, date, std::mem::take(&mut overrides)).await?;

    let geo_ids: Vec<&str> = geolocations.iter().map(|(_, id, _)| id.as_str()).collect();
    let mut stored: HashMap<String, RegisterFields> = store::find_by_ids(tx, &geo_ids)
        .await?
        .into_iter()
        .map(|row| (row.id.clone(), row))
        .collect();
    for (line, id, geolocation) in geolocations {
        let Some(before) = stored.get_mut(&id) else {
            refuse(
                report,
                line,
                format!("géolocalisation d'un établissement inconnu ({})", &id[1..]),
            );
            continue;
        };
        if before.geolocation == geolocation {
            report.unchanged += 1;
            continue;
        }
        let after = RegisterFields {
            geolocation,
            ..before.clone()
        };
        overrides.push((before.clone(), after.clone()));
        *before = after;
        report.updated += 1;
    }
    override_structures(tx, actor, now, date, overrides).await?;
    Ok(())
}

/// What the structure becomes: the register's values, except where it says nothing (an empty
/// field never erases a local value).
fn merged(before: Option<&RegisterFields>, id: String, e: Establishment) -> RegisterFields {
    let keep = |new: String, old: Option<&String>| match (new.is_empty(), old) {
        (true, Some(old)) => old.clone(),
        _ => new,
    };
    RegisterFields {
        id,
        name: keep(e.name, before.map(|b| &b.name)),
        address_line: keep(e.address_line, before.map(|b| &b.address_line)),
        address_complement: keep(e.address_complement, before.map(|b| &b.address_complement)),
        postal_line: keep(e.postal_line, before.map(|b| &b.postal_line)),
        phone: keep(e.phone, before.map(|b| &b.phone)),
        siret: e.siret.or_else(|| before.and_then(|b| b.siret.clone())),
        legal_entity_id: e
            .legal_entity_finess
            .map(|ej| structure_id_of(&ej))
            .or_else(|| before.and_then(|b| b.legal_entity_id.clone())),
        category: keep(e.category, before.map(|b| &b.category)),
        register_updated_on: keep(e.updated_on, before.map(|b| &b.register_updated_on)),
        geolocation: before.map(|b| b.geolocation.clone()).unwrap_or_default(),
    }
}

/// Writes the register's values over stored structures, `(before, after)` in the order read (a
/// structure changed twice in a batch keeps its last values): one statement for all, then each
/// change's history rows and audit entry.
async fn override_structures(
    tx: &mut Tx,
    actor: &Actor,
    now: i64,
    date: &str,
    changes: Vec<(RegisterFields, RegisterFields)>,
) -> anyhow::Result<()> {
    let mut written = HashSet::new();
    let mut last: Vec<&RegisterFields> = changes
        .iter()
        .rev()
        .map(|(_, after)| after)
        .filter(|after| written.insert(after.id.as_str()))
        .collect();
    last.reverse();
    store::update_from_register(tx, &last).await?;
    for (before, after) in &changes {
        record_override(tx, actor, now, date, before, after).await?;
    }
    Ok(())
}

/// The history rows of an override (each field that had a value and now has another) and its
/// audit entry.
async fn record_override(
    tx: &mut Tx,
    actor: &Actor,
    now: i64,
    date: &str,
    before: &RegisterFields,
    after: &RegisterFields,
) -> anyhow::Result<()> {
    let changes = FieldChange::between(before.values(), after.values());
    // Filling a field left empty overrides nothing: only what had a value goes to the history.
    let overrides: Vec<FieldChange> = changes
        .into_iter()
        .filter(|c| !c.before.is_empty())
        .collect();
    if overrides.is_empty() {
        return Ok(());
    }
    insert_history(tx, &after.id, now, "registre", Some(date), None, &overrides).await?;
    let (old, new) = FieldChange::audit_values(&overrides);
    audit::append(
        tx,
        &Entry {
            at: now,
            actor,
            structure_id: Some(&after.id),
            action: AuditAction::StructureMiseAJourParLeRegistre,
            object: format!("structure {} (registre FINESS du {date})", after.id),
            before: Some(old),
            after: Some(new),
        },
    )
    .await?;
    Ok(())
}

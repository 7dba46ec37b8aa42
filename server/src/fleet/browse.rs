//! Reading the fleet: one page of cards (keyset on holder name then serial), the expiry chart
//! and the count by state, and a card's page with its holder and history.

use shared::api::{CardDetail, FleetPage, FleetSummary, MonthCount, StateCount};
use shared::fleet::{month_of, months_from, CardState, CHART_MONTHS};

use super::store::{self, Selection};
use crate::audit::store as audit_store;
use crate::auth::access::Access;
use crate::db::Db;

/// The largest page a client may ask for.
pub const MAX_PAGE: i64 = 200;

/// The cursor after a card: its serial and its name key (hex), `SERIAL.HEX`.
pub fn cursor_of(name_key: &str, serial: &str) -> String {
    format!("{serial}.{}", hex::encode(name_key))
}

/// Reads a cursor; `None` when it is not one TOM wrote.
pub fn parse_cursor(text: &str) -> Option<(String, String)> {
    let (serial, key) = text.split_once('.')?;
    if serial.is_empty() || !serial.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let key = String::from_utf8(hex::decode(key).ok()?).ok()?;
    Some((key, serial.to_string()))
}

/// One page of the structure's cards matching `selection`, after `after`.
pub async fn page(
    db: &Db,
    access: &Access,
    selection: &Selection,
    after: Option<(String, String)>,
    limit: i64,
    now: i64,
) -> anyhow::Result<FleetPage> {
    let clause = selection.clause(access.structure_id(), now);
    let mut rows = store::page(
        db,
        &clause,
        after.as_ref().map(|(k, s)| (k.as_str(), s.as_str())),
        limit + 1,
    )
    .await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| cursor_of(&r.name_key, &r.serial))
    } else {
        None
    };
    Ok(FleetPage {
        cards: rows.iter().map(|r| r.to_api(now)).collect(),
        next,
        total: store::count(db, &clause).await?,
    })
}

/// Live cards expiring per month over the next [`CHART_MONTHS`] months, and cards by state.
pub async fn summary(db: &Db, access: &Access, now: i64) -> anyhow::Result<FleetSummary> {
    let months = months_from(now, CHART_MONTHS + 1);
    let from = shared::fleet::month_bounds(&months[0]).map_or(now, |(a, _)| a.max(now));
    let until = shared::fleet::month_bounds(&months[CHART_MONTHS]).map_or(now, |(a, _)| a);
    let mut counts = vec![0i64; CHART_MONTHS];
    store::each_expiry(db, access, from, until, |t| {
        let month = month_of(t);
        if let Some(i) = months[..CHART_MONTHS].iter().position(|m| *m == month) {
            counts[i] += 1;
        }
    })
    .await?;
    let by_state = store::count_by_state(db, access, now).await?;
    let states: Vec<StateCount> = CardState::ALL
        .iter()
        .map(|s| StateCount {
            state: s.code().to_string(),
            count: by_state
                .iter()
                .filter(|(code, _)| code == s.code())
                .map(|(_, n)| n)
                .sum(),
        })
        .collect();
    Ok(FleetSummary {
        expiries: months[..CHART_MONTHS]
            .iter()
            .zip(counts)
            .map(|(month, count)| MonthCount {
                month: month.clone(),
                count,
            })
            .collect(),
        total: states.iter().map(|s| s.count).sum(),
        states,
    })
}

/// A card of the structure with its holder and its history (the audit entries about the card
/// and about the order line that produced it), or `None`.
pub async fn card(
    db: &Db,
    access: &Access,
    serial: &str,
    now: i64,
) -> anyhow::Result<Option<CardDetail>> {
    let Some(row) = store::find_card(db, access, serial).await? else {
        return Ok(None);
    };
    let mut objects = vec![format!("carte {serial}")];
    if let Some((order, line)) = store::producing_line(db, serial).await? {
        objects.push(format!("ligne {order}/{line}"));
    }
    let history = audit_store::entries_about(db, &objects)
        .await?
        .into_iter()
        .filter(|e| e.structure_id.as_deref() == Some(access.structure_id()))
        .map(|e| e.into_api())
        .collect();
    let holder = row.holder_record();
    Ok(Some(CardDetail {
        card: row.to_api(now),
        // The profession column is the holder record's (store::update_holder keeps them in step).
        identity_locked: row
            .profession
            .as_deref()
            .is_some_and(shared::nomenclature::is_rpps_simplified),
        holder,
        history,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back() {
        let c = cursor_of("DUPONT ZOE", "0a1b");
        assert_eq!(parse_cursor(&c), Some(("DUPONT ZOE".into(), "0a1b".into())));
        assert_eq!(parse_cursor("zz.00"), None);
        assert_eq!(parse_cursor("0a1b"), None);
        assert_eq!(parse_cursor("0a.zz"), None);
    }
}

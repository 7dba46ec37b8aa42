//! The audit trail as a CSV file for French Excel: UTF-8 with a byte-order mark, `;`, CRLF,
//! French headers, dates `JJ/MM/AAAA HH:MM:SS` (Paris time), and cells that Excel would read as a
//! formula (`=`, `+`, `-`, `@`) neutralised with a leading apostrophe.

use shared::api::AuditAction;

use super::store::{self, AuditFilter};
use crate::db::Db;

/// Entries read per query while writing the file.
const BATCH: i64 = 5_000;

pub const HEADERS: [&str; 10] = [
    "N°",
    "Date (heure de Paris)",
    "Action",
    "Objet",
    "Structure",
    "Identifiant national",
    "Rôle",
    "Empreinte de la carte",
    "Avant",
    "Après",
];

/// A cell as Excel must show it: never a formula.
pub fn neutralise(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// `JJ/MM/AAAA HH:MM:SS` of a Unix time, in Paris time (as the pages show it).
pub fn french_datetime(unix: i64) -> String {
    let local = unix + shared::date::paris_offset_seconds(unix);
    match time::OffsetDateTime::from_unix_timestamp(local) {
        Ok(t) => format!(
            "{:02}/{:02}/{:04} {:02}:{:02}:{:02}",
            t.day(),
            u8::from(t.month()),
            t.year(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        Err(_) => unix.to_string(),
    }
}

/// A role as the page says it.
pub fn role_label(code: &str) -> &str {
    match code {
        "mandataire" => "Mandataire",
        "representant_legal" => "Représentant légal",
        "operateur" => "Opérateur",
        "titulaire" => "Titulaire de carte",
        other => other,
    }
}

/// Every entry matching the filter, newest first, as the file's bytes.
pub async fn csv(db: &Db, mut filter: AuditFilter) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::from("\u{FEFF}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(HEADERS)?;
        loop {
            let rows = store::list_entries(db, &filter, BATCH).await?;
            let Some(last) = rows.last() else { break };
            filter.before_seq = Some(last.seq);
            for e in rows {
                let action = AuditAction::parse(&e.action)
                    .map(|a| a.label().to_string())
                    .unwrap_or_else(|| e.action.clone());
                w.write_record([
                    e.seq.to_string(),
                    french_datetime(e.at),
                    neutralise(&action),
                    neutralise(&e.object),
                    neutralise(e.structure_id.as_deref().unwrap_or("")),
                    neutralise(&e.actor_national_id),
                    neutralise(role_label(&e.actor_role)),
                    neutralise(&e.actor_fingerprint),
                    neutralise(e.before_value.as_deref().unwrap_or("")),
                    neutralise(e.after_value.as_deref().unwrap_or("")),
                ])?;
            }
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_dates_are_french() {
        assert_eq!(neutralise("=SOMME(A1)"), "'=SOMME(A1)");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("@x"), "'@x");
        assert_eq!(neutralise("DURAND"), "DURAND");
        assert_eq!(french_datetime(0), "01/01/1970 01:00:00");
        // 2026-07-01 00:00 UTC is 02:00 in Paris.
        assert_eq!(french_datetime(1_782_864_000), "01/07/2026 02:00:00");
    }
}

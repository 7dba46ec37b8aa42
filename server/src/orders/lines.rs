//! The lines stored for a valid order: one per operation, with what the tracking shows of it.

use shared::order::model::{CardRef, Operation};
use shared::order::Order;
use shared::tracking::{needs_document, LineKind, LineStatus};

use super::store::NewLine;

/// What a line shows of its holder, and the matricule it is about.
fn holder_and_matricule(op: &Operation) -> (String, String) {
    match op {
        Operation::CardRequest(r) => {
            let h = &r.holder;
            let name = h.usual_name.as_deref().unwrap_or(&h.birth_name);
            (format!("{name} {}", h.first_names), h.matricule.clone())
        }
        Operation::HolderChange(c) => {
            let name = match (&c.usual_name, &c.birth_name, &c.first_names) {
                (Some(n), _, Some(f)) | (None, Some(n), Some(f)) => format!("{n} {f}"),
                _ => format!("matricule {}", c.matricule),
            };
            (name, c.matricule.clone())
        }
        Operation::EndOfExercise(e) => (format!("matricule {}", e.matricule), e.matricule.clone()),
        Operation::IncidentDeclaration(i) => match &i.card {
            CardRef::Matricule(m) => (format!("matricule {m}"), m.clone()),
            CardRef::SerialNumber(s) => (format!("carte {s}"), String::new()),
        },
    }
}

/// The holder's civility as the operation gives it (`M`, `MME`).
fn civility(op: &Operation) -> Option<&'static str> {
    match op {
        Operation::CardRequest(r) => Some(r.holder.civility.code()),
        Operation::HolderChange(c) => c.civility.map(|c| c.code()),
        Operation::EndOfExercise(_) | Operation::IncidentDeclaration(_) => None,
    }
}

/// The civility of a stored line's operation (its JSON payload), for lines stored before the
/// civility had its own column.
pub fn civility_of_payload(payload: &str) -> Option<&'static str> {
    serde_json::from_str::<Operation>(payload)
        .ok()
        .and_then(|op| civility(&op))
}

/// The lines to store for a valid order.
pub fn lines_of(order: &Order) -> anyhow::Result<Vec<NewLine>> {
    order
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| {
            let (holder, matricule) = holder_and_matricule(op);
            let needs = needs_document(op);
            Ok(NewLine {
                line_no: i as i64 + 1,
                kind: LineKind::of(op),
                card_type: match op {
                    Operation::CardRequest(r) => Some(r.card_type.code()),
                    _ => None,
                },
                civility: civility(op),
                holder_key: shared::text::search_key(&holder),
                holder,
                matricule,
                payload: serde_json::to_string(op)?,
                status: if needs {
                    LineStatus::EnAttenteJustificatif
                } else {
                    LineStatus::Soumise
                },
                needs_document: needs,
                replaces: None,
            })
        })
        .collect()
}

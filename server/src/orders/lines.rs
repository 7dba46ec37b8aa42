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

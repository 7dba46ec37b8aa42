//! Changing a holder's data, the card's address and the PIN-code address (`modificationPorteur`):
//! checked by the same rules as an order file (the change is written as a one-operation order and
//! validated), refused for identity fields the RPPS owns (professions 10, 21, 40, 50), applied to
//! the card's holder record with its audit entry (before/after) in one transaction.

use serde_json::json;
use shared::api::{AuditAction, CardActionDone};
use shared::date::DateTime;
use shared::errors::ErrorCode;
use shared::fleet::{paris_date, HolderRecord};
use shared::message::Message;
use shared::order::model::{Header, HolderChange, Issuer, Operation, StructureId, StructureKind};
use shared::order::{Order, Validator};

use super::reorder::record_of;
use super::revoke::require_live;
use super::store::{self, CardRow};
use crate::audit::{self, Actor, Entry};
use crate::auth::access::Access;
use crate::db::Tx;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::structures::store::find_structure;

const ACTION: &str = "Modification du porteur";

/// Checks a change with the order rules: `Err` is the French refusal listing each finding.
pub async fn check(state: &AppState, access: &Access, change: &HolderChange) -> ApiResult<()> {
    let structure = find_structure(&state.db, access)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let (kind, value) = match (&structure.finess, &structure.siret) {
        (Some(f), _) => (StructureKind::Finess, f.clone()),
        (None, Some(s)) => (StructureKind::Siret, s.clone()),
        (None, None) => return Err(ErrorCode::NotFound.into()),
    };
    let now = state.clock.now();
    let today = paris_date(now);
    let order = Order {
        header: Header {
            structure: StructureId { kind, value },
            issuer: Issuer {
                national_id: None,
                last_name: "TOM".into(),
                first_name: "TOM".into(),
                email: "parc@tom.invalid".into(),
            },
            issuer_reference: "MODIFICATION-PORTEUR".into(),
            created_at: DateTime {
                date: today,
                hour: 0,
                minute: 0,
                second: 0,
                offset_minutes: None,
            },
        },
        operations: vec![Operation::HolderChange(change.clone())],
    };
    let xml = shared::order::xml::write::write_order(&order);
    let report = Validator::new(today).validate(xml.as_bytes());
    if report.is_valid() {
        return Ok(());
    }
    let errors: Vec<String> = report
        .errors
        .iter()
        .map(|e| in_form_words(&e.path, &e.message))
        .collect();
    Err(ApiError::message(
        ErrorCode::InvalidRequest,
        Message::new("holder_change_invalid").arg("errors", errors.join(" ; ")),
    ))
}

/// The form's label of an order-file element.
fn label_of(element: &str) -> Option<&'static str> {
    Some(match element {
        "civilite" => "Civilité",
        "nomNaissance" => "Nom de naissance",
        "nomUsage" => "Nom d'usage",
        "prenoms" => "Prénoms",
        "email" => "Courriel",
        "telephone" => "Téléphone",
        "destinataire" => "Destinataire",
        "complement" => "Complément",
        "numeroVoie" => "Numéro",
        "voie" => "Voie",
        "lieuDit" => "Lieu-dit",
        "codePostal" => "Code postal",
        "commune" => "Commune",
        "pays" => "Pays",
        _ => return None,
    })
}

/// A finding of the order rules in the card page's words: the field's label instead of the
/// element's name, and which address it is about.
fn in_form_words(path: &str, message: &str) -> String {
    let mut parts = path.rsplit('/');
    let element = parts.next().unwrap_or("");
    let group = match parts.next() {
        Some("adresseCarte") => Some("Adresse d'envoi de la carte"),
        Some("adressePin") => Some("Adresse d'envoi des codes (PIN)"),
        _ => None,
    };
    let mut message = message.to_string();
    if let Some(label) = label_of(element) {
        message = message.replace(&format!("« {element} »"), &format!("« {label} »"));
    }
    match group {
        Some(group) => format!("{group} : {message}"),
        None => message,
    }
}

/// Applies a checked change to a card's holder record in the transaction, with its audit entry.
/// Returns the fields changed.
pub async fn apply(
    tx: &mut Tx,
    actor: &Actor,
    card: &CardRow,
    change: &HolderChange,
    now: i64,
) -> ApiResult<Vec<&'static str>> {
    require_live(card, ACTION, now)?;
    let (before, _) = record_of(card, ACTION)?;
    let mut after: HolderRecord = before.clone();
    let changed = after.apply(change).map_err(|fields| {
        let fields: Vec<&str> = fields
            .iter()
            .map(|f| shared::fleet::field_label(f))
            .collect();
        ApiError::refused(Message::new("identity_from_rpps").arg("fields", fields.join(", ")))
    })?;
    if changed.is_empty() {
        return Err(ApiError::message(
            ErrorCode::InvalidRequest,
            Message::new("holder_change_empty"),
        ));
    }
    store::update_holder(tx, card, &after).await?;
    audit::append(
        tx,
        &Entry {
            at: now,
            actor,
            structure_id: card.structure_id.as_deref(),
            action: AuditAction::PorteurModifie,
            object: format!("carte {}", card.serial),
            before: Some(json!({ "champs": changed, "porteur": before })),
            after: Some(json!({ "champs": changed, "porteur": after })),
        },
    )
    .await?;
    Ok(changed)
}

/// Changes the holder of card `serial` from the card's page.
pub async fn change_holder(
    state: &AppState,
    access: &Access,
    actor: &Actor,
    serial: &str,
    mut change: HolderChange,
) -> ApiResult<CardActionDone> {
    let now = state.clock.now();
    let card = store::find_card(&state.db, access, serial)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    change.matricule = card.matricule.clone().unwrap_or_default();
    if change.matricule.is_empty() {
        // The rules need a matricule; the card's own serial stands for it in the check.
        change.matricule = card.serial.chars().take(20).collect();
    }
    check(state, access, &change).await?;
    let mut tx = state.db.begin().await?;
    let card = store::find_card_tx(&mut tx, access.structure_id(), serial)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let changed = apply(&mut tx, actor, &card, &change, now).await?;
    tx.commit().await?;
    let card = store::find_card(&state.db, access, serial)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(CardActionDone {
        message: Message::new("done_holder_changed")
            .arg(
                "fields",
                changed
                    .iter()
                    .map(|f| shared::fleet::field_label(f))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
            .to_french(),
        card: card.to_api(now),
        order_id: None,
    })
}

//! The legal representative designates a mandataire (or changes one for another), with a copy
//! of the person's identity document: the person's card is one TOM knows, or a card ordered in
//! the same step (seed rule: a person who already has a card gets no new one). The delegation
//! waits for the operator; no right starts before the validation.

use serde_json::json;
use shared::api::{AuditAction, DesignatedCard, DesignationRequest};
use shared::delegation::{self, document_media_type};
use shared::errors::ErrorCode;
use shared::fleet::HolderRecord;
use shared::message::Message;
use shared::order::model::Operation;

use super::store::{self, DelegationRow, NewDelegation};
use crate::audit::{self, Actor, Entry};
use crate::auth::access::Access;
use crate::db::{self, Tx};
use crate::error::{ApiError, ApiResult};
use crate::orders::store::{self as order_store, NewOrder};
use crate::orders::submit;
use crate::state::AppState;

/// What the legal representative sent: the request and the identity document's bytes.
pub struct Designation {
    pub request: DesignationRequest,
    pub document: Vec<u8>,
}

fn invalid(code: &'static str) -> ApiError {
    ApiError::message(ErrorCode::InvalidRequest, Message::new(code))
}

/// The designated person's card as the use case works on it: the order of a new one is checked.
enum Card {
    Existing {
        national_id: String,
        family_name: String,
        given_name: String,
    },
    New(Box<submit::Checked>),
}

/// The person a designation names: identifiant national and names.
struct Person {
    national_id: String,
    family_name: String,
    given_name: String,
}

pub async fn designate(
    state: &AppState,
    access: &Access,
    actor: &Actor,
    designation: Designation,
) -> ApiResult<DelegationRow> {
    let Designation { request, document } = designation;
    if document.is_empty() {
        return Err(ApiError::message(
            ErrorCode::DocumentInvalid,
            Message::new("identity_document_empty"),
        ));
    }
    let media_type = document_media_type(&document).ok_or_else(|| {
        ApiError::message(
            ErrorCode::DocumentInvalid,
            Message::new("identity_document_invalid"),
        )
    })?;
    let now = state.clock.now();
    // A card ordered with the designation is checked as any order is, before the transaction.
    let card = match request.card {
        DesignatedCard::New { order_xml } => Card::New(Box::new(
            submit::check(
                state,
                access,
                axum::body::Bytes::from(order_xml.into_bytes()),
            )
            .await?,
        )),
        DesignatedCard::Existing {
            national_id,
            family_name,
            given_name,
        } => Card::Existing {
            national_id,
            family_name,
            given_name,
        },
    };
    let mut tx = state.db.begin().await?;
    let replaces = match request.replaces.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => {
            if !store::holds_mandate(&mut tx, access, id, "mandataire", now).await? {
                return Err(ApiError::message(
                    ErrorCode::NotFound,
                    Message::new("delegation_replaces_unknown"),
                ));
            }
            Some(id.to_string())
        }
        _ => None,
    };
    let (person, order_id) = match card {
        Card::Existing {
            national_id,
            family_name,
            given_name,
        } => (
            existing_card(&mut tx, &national_id, &family_name, &given_name, now).await?,
            None,
        ),
        Card::New(checked) => {
            let (person, order_id) =
                order_card(&mut tx, state, access, actor, *checked, now).await?;
            (person, Some(order_id))
        }
    };
    for (role, refusal) in [
        ("mandataire", "delegation_already_mandataire"),
        ("representant_legal", "delegation_is_legal_representative"),
    ] {
        if store::holds_mandate(&mut tx, access, &person.national_id, role, now).await? {
            return Err(ApiError::refused(Message::new(refusal)));
        }
    }
    let id = new_delegation_id(state);
    let new = NewDelegation {
        id: &id,
        person_id: &person.national_id,
        family_name: &person.family_name,
        given_name: &person.given_name,
        replaces_id: replaces.as_deref(),
        order_id: order_id.as_deref(),
        requested_at: now,
        requested_by: &actor.national_id,
        document_type: media_type,
        document: &document,
    };
    if let Err(e) = store::insert(&mut tx, access, &new).await {
        match db::constraint_of(&e) {
            Some("delegations_one_waiting") => {
                return Err(ApiError::refused(Message::new("delegation_pending")))
            }
            Some("delegations_one_replacement_waiting") => {
                return Err(ApiError::refused(Message::new(
                    "delegation_replacement_pending",
                )))
            }
            _ => {}
        }
        return Err(anyhow::Error::from(e)
            .context("enregistrement de la délégation")
            .into());
    }
    audit::append(
        &mut tx,
        &Entry {
            at: now,
            actor,
            structure_id: Some(access.structure_id()),
            action: AuditAction::DelegationDemandee,
            object: format!("délégation {id}"),
            before: None,
            // Identifiers only: names and the document are personal data the audit does not need.
            after: Some(json!({
                "personne": person.national_id,
                "remplace": replaces,
                "commande": order_id,
                "piece": { "type": media_type, "octets": document.len() },
            })),
        },
    )
    .await?;
    let row = store::find_tx(&mut tx, &id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("délégation {id} introuvable après insertion"))?;
    tx.commit().await?;
    tracing::info!(delegation = %id, structure = %access.structure_id(), "délégation envoyée");
    Ok(row)
}

/// A delegation number: `D` and 16 hexadecimal digits.
fn new_delegation_id(state: &AppState) -> String {
    let mut random = [0u8; 8];
    state.random.fill(&mut random);
    format!("D{}", hex::encode_upper(random))
}

/// Whether `text` can be a delegation number (path parameter).
pub fn is_delegation_id(text: &str) -> bool {
    text.len() == 17 && text.starts_with('D') && text[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// The person of an existing card: a card in force TOM knows, whose names are those typed.
async fn existing_card(
    tx: &mut Tx,
    national_id: &str,
    family_name: &str,
    given_name: &str,
    now: i64,
) -> ApiResult<Person> {
    let national_id = national_id.trim();
    if !delegation::is_national_id(national_id)
        || !delegation::is_person_name(family_name)
        || !delegation::is_person_name(given_name)
    {
        return Err(invalid("delegation_person_invalid"));
    }
    // One answer whether the identifier or the names are wrong: a legal representative learns
    // nothing of a card they do not already know.
    let Some(card) = store::live_card_named(tx, national_id, family_name, given_name, now).await?
    else {
        return Err(ApiError::message(
            ErrorCode::InvalidRequest,
            Message::new("delegation_card_unknown").arg("id", national_id),
        ));
    };
    let (card_family, card_given) = (
        card.family_name.unwrap_or_default(),
        card.given_name.unwrap_or_default(),
    );
    Ok(Person {
        national_id: national_id.to_string(),
        family_name: card_family,
        given_name: card_given,
    })
}

/// Records the card order made with the designation (one `demandeCarte`), unless the person
/// already has a card in force (by the identifiant national the new card would carry, or as
/// the same person among the structure's cards), is the structure's legal representative, or
/// has a card request on its way.
async fn order_card(
    tx: &mut Tx,
    state: &AppState,
    access: &Access,
    actor: &Actor,
    checked: submit::Checked,
    now: i64,
) -> ApiResult<(Person, String)> {
    let request = match checked.order.operations.as_slice() {
        [Operation::CardRequest(request)] => request,
        _ => return Err(invalid("delegation_one_card")),
    };
    let national_id = crate::issuing::certificate::holder_national_id(&checked.structure, request);
    let record = HolderRecord::from_request(request);
    let (family_name, given_name) = (record.family_name(), record.given_name());
    // Seed rule: a person who already has a card gets no new one — by the identifiant national
    // the new card would carry, or as the same person among the structure's cards in force and
    // card requests not fabricated yet (birth or usual name, first given name, birth date).
    let born = request.holder.birth_date.to_string();
    let same = |h: &str| {
        serde_json::from_str::<HolderRecord>(h)
            .is_ok_and(|r| shared::fleet::same_person(&r.holder, &request.holder))
    };
    let carded = store::live_cards_of(tx, &national_id, now)
        .await?
        .into_iter()
        .chain(
            store::live_cards_born_on(tx, access, &born, now)
                .await?
                .into_iter()
                .filter(|c| c.holder.as_deref().is_some_and(same)),
        )
        .next();
    if let Some(card) = carded {
        return Err(ApiError::refused(
            Message::new("delegation_has_card").arg("id", card.national_id),
        ));
    }
    // The legal representative has every right already, whatever card they would be given.
    let representatives = store::legal_representatives(tx, access, now).await?;
    if representatives
        .iter()
        .any(|(family, given)| shared::fleet::bears_names(&request.holder, family, given))
    {
        return Err(ApiError::refused(Message::new(
            "delegation_is_legal_representative",
        )));
    }
    let ordered = store::open_card_requests_born_on(tx, access, &born)
        .await?
        .into_iter()
        .find(|(_, payload)| {
            matches!(serde_json::from_str::<Operation>(payload),
                Ok(Operation::CardRequest(r)) if shared::fleet::same_person(&r.holder, &request.holder))
        });
    if let Some((order, _)) = ordered {
        return Err(ApiError::refused(
            Message::new("delegation_order_open").arg("order", order),
        ));
    }
    let order_id = submit::new_order_id(state);
    let idempotency_key = crate::orders::submit::new_idempotency_key(state);
    let reference = &checked.order.header.issuer_reference;
    let inserted = order_store::insert_order(
        tx,
        &NewOrder {
            id: order_id.as_str(),
            structure_id: access.structure_id(),
            source: shared::api::OrderSource::Formulaire,
            issuer_reference: reference,
            submitted_by: &actor.national_id,
            submitted_at: now,
            idempotency_key: &idempotency_key,
            content_sha256: &checked.sha,
        },
        &checked.lines,
    )
    .await;
    if let Err(e) = inserted {
        if db::constraint_of(&e).is_some() {
            return Err(ApiError::refused(Message::new(
                "delegation_order_duplicate",
            )));
        }
        return Err(anyhow::Error::from(e)
            .context("commande de la carte du mandataire")
            .into());
    }
    submit::audit_submitted(
        tx,
        now,
        actor,
        access,
        order_id.as_str(),
        json!({
            "commande": order_id.as_str(),
            "lignes": checked.lines.len(),
            "source": "designation",
            "reference": reference,
            "sha256": checked.sha,
        }),
    )
    .await?;
    let person = Person {
        national_id,
        family_name: family_name.to_string(),
        given_name: given_name.to_string(),
    };
    Ok((person, order_id.as_str().to_string()))
}

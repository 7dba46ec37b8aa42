//! Demo data matching the test cards: structures A and B, their legal representative and
//! mandataires, the operator, and a made-up fleet of cards for each structure. Loaded on an empty database by `tom serve --demo`.

use shared::api::Role;

use crate::db::Db;
use crate::pki::{demo_structures, Manifest, SERVICE_FINESS};

/// Loads everything in one transaction: all or nothing.
pub async fn load(db: &Db, manifest: &Manifest, now: i64) -> anyhow::Result<()> {
    let mut transaction = db.begin().await?;
    let tx = &mut transaction;
    for s in demo_structures() {
        crate::structures::store::insert_structure(
            tx,
            &s.id(),
            Some(s.finess),
            Some(s.siret),
            s.name,
        )
        .await?;
    }
    crate::structures::store::insert_structure(
        tx,
        &format!("1{SERVICE_FINESS}"),
        Some(SERVICE_FINESS),
        None,
        "SERVICE D'EMISSION TOM",
    )
    .await?;
    for card in manifest.cards.iter().filter(|c| c.issued_by_tom) {
        crate::auth::store::insert_person(
            tx,
            &card.national_id,
            &card.family_name,
            &card.given_name,
        )
        .await?;
        crate::auth::store::insert_card(
            tx,
            &crate::auth::store::KnownCard {
                issuer: &card.issuer,
                serial: &card.serial,
                national_id: &card.national_id,
                card_type: &card.card_type,
                structure_id: &card.structure_id,
                family_name: &card.family_name,
                given_name: &card.given_name,
            },
        )
        .await?;
        crate::fleet::store::set_validity(
            tx,
            &card.issuer,
            &card.serial,
            (card.not_before, card.not_after),
            card.revoked.then_some(now),
        )
        .await?;
        let role = match card.name.as_str() {
            "representant-legal-a" => Some(Role::RepresentantLegal),
            "mandataire-a" | "mandataire-b" => Some(Role::Mandataire),
            _ => None,
        };
        if let Some(role) = role {
            crate::structures::store::insert_mandate(
                tx,
                &card.national_id,
                &card.structure_id,
                role,
                now - 86_400,
            )
            .await?;
        }
        if card.card_type == "OPERATEUR" {
            crate::auth::store::insert_operator(tx, &card.national_id).await?;
        }
    }
    // A realistic fleet for each demo structure, so that every view has something to show.
    if let Some(issuer) = manifest
        .cards
        .iter()
        .find(|c| c.issued_by_tom && c.card_type != "OPERATEUR")
        .map(|c| c.issuer.clone())
    {
        for (s, n) in demo_structures().iter().zip([DEMO_FLEET_A, DEMO_FLEET_B]) {
            let cards =
                crate::fleet::seed::fleet(&s.id(), s.finess, &issuer, n, s.letter as u64, now);
            crate::fleet::store::insert_seed_cards(tx, &cards).await?;
        }
    }
    transaction.commit().await?;
    Ok(())
}

/// Cards of the demo fleets of structures A and B (besides the test cards).
pub const DEMO_FLEET_A: usize = 320;
pub const DEMO_FLEET_B: usize = 40;

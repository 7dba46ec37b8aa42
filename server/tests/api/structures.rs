use crate::helpers::{spawn_app, Card, STRUCTURE_A, STRUCTURE_B};

#[tokio::test]
async fn mandataire_of_b_cannot_read_the_data_of_a() {
    let app = spawn_app().await;
    let session = app.login(Card::MandataireB).await;
    let r = app
        .get_structure(Card::MandataireB, &session, STRUCTURE_A)
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(r.code(), "forbidden_structure");
    let r = app
        .get_structure(Card::MandataireB, &session, STRUCTURE_B)
        .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn mandataire_of_a_reads_structure_a_and_its_people() {
    let app = spawn_app().await;
    let session = app.login(Card::MandataireA).await;
    let r = app
        .get_structure(Card::MandataireA, &session, STRUCTURE_A)
        .await;
    assert_eq!(r.status, 200);
    let s = r.json();
    assert_eq!(s["finess"], "940000011");
    let people = s["people"].as_array().unwrap();
    assert!(people
        .iter()
        .any(|p| p["family_name"] == "DURAND" && p["role"] == "representant_legal"));
    assert!(people
        .iter()
        .any(|p| p["family_name"] == "MARTIN" && p["role"] == "mandataire"));
}

#[tokio::test]
async fn the_operator_reads_any_structure_and_gets_404_for_an_unknown_one() {
    let app = spawn_app().await;
    let session = app.login(Card::Operateur).await;
    assert_eq!(
        app.get_structure(Card::Operateur, &session, STRUCTURE_B)
            .await
            .status,
        200
    );
    let r = app
        .get_structure(Card::Operateur, &session, "1999999999")
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.code(), "not_found");
}

#[tokio::test]
async fn structure_data_needs_a_session() {
    let app = spawn_app().await;
    let r = app
        .request(
            Some(Card::MandataireA),
            "GET",
            &format!("/api/structures/{STRUCTURE_A}"),
            &[],
        )
        .await;
    assert_eq!(r.code(), "session_required");
    let r = app
        .request(None, "GET", &format!("/api/structures/{STRUCTURE_A}"), &[])
        .await;
    assert_eq!(r.code(), "no_certificate");
}

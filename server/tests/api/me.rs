use crate::helpers::{spawn_app, Card, STRUCTURE_A};

#[tokio::test]
async fn without_a_card_me_is_401_no_certificate() {
    let app = spawn_app().await;
    let r = app.get_me(None, None).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.code(), "no_certificate");
    assert!(!r.json()["message"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn refused_cards_never_reach_me() {
    let app = spawn_app().await;
    for card in [
        Card::Expiree,
        Card::Revoquee,
        Card::AcInconnue,
        Card::NonCpx,
    ] {
        let r = app.get_me(Some(card), None).await;
        assert_eq!(r.status, 401, "{card:?}");
        assert_eq!(r.code(), "card_refused", "{card:?}");
        // Nor can they open a session.
        let r = app
            .post_login(Some(card), &[("x-csrf-token", "connexion")])
            .await;
        assert_eq!(r.status, 401, "{card:?}");
        assert_eq!(r.code(), "card_refused");
    }
}

#[tokio::test]
async fn a_valid_card_without_a_session_must_log_in_first() {
    let app = spawn_app().await;
    let r = app.get_me(Some(Card::MandataireA), None).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.code(), "session_required");
}

#[tokio::test]
async fn mandataire_of_a_sees_identity_and_structure_a() {
    let app = spawn_app().await;
    let session = app.login(Card::MandataireA).await;
    let r = app.get_me(Some(Card::MandataireA), Some(&session)).await;
    assert_eq!(r.status, 200);
    let me = r.json();
    assert_eq!(me["holder"]["national_id"], "3940000011/000101");
    assert_eq!(me["holder"]["family_name"], "MARTIN");
    assert_eq!(me["holder"]["card_type"], "CPE");
    assert_eq!(me["is_operator"], false);
    let structures = me["structures"].as_array().unwrap();
    assert_eq!(structures.len(), 1);
    assert_eq!(structures[0]["id"], STRUCTURE_A);
    assert_eq!(structures[0]["role"], "mandataire");
}

#[tokio::test]
async fn the_legal_representative_is_listed_as_such() {
    let app = spawn_app().await;
    let session = app.login(Card::RepresentantLegalA).await;
    let me = app
        .get_me(Some(Card::RepresentantLegalA), Some(&session))
        .await
        .json();
    assert_eq!(me["holder"]["card_type"], "CDE");
    assert_eq!(me["structures"][0]["role"], "representant_legal");
}

#[tokio::test]
async fn the_operator_is_recognised() {
    let app = spawn_app().await;
    let session = app.login(Card::Operateur).await;
    let me = app
        .get_me(Some(Card::Operateur), Some(&session))
        .await
        .json();
    assert_eq!(me["is_operator"], true);
    assert_eq!(me["holder"]["card_type"], "OPERATEUR");
}

#[tokio::test]
async fn a_database_failure_is_a_clean_500() {
    let app = spawn_app().await;
    server::db::execute_statement(&app.db, "DROP TABLE sessions")
        .await
        .unwrap();
    let r = app
        .post_login(Some(Card::MandataireA), &[("x-csrf-token", "connexion")])
        .await;
    assert_eq!(r.status, 500);
    assert_eq!(r.code(), "internal");
}

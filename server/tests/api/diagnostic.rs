use crate::helpers::{spawn_app, Card};

#[tokio::test]
async fn without_a_card_the_diagnostic_says_no_certificate() {
    let app = spawn_app().await;
    let r = app.get_diagnostic(None).await;
    assert_eq!(r.status, 200);
    let d = r.json();
    assert_eq!(d["verdict"], "no_certificate");
    assert_eq!(d["certificate_presented"], false);
    assert!(!d["advice"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn each_test_card_gets_its_own_verdict() {
    let app = spawn_app().await;
    let expected = [
        (Card::MandataireA, "ok"),
        (Card::RepresentantLegalA, "ok"),
        (Card::Operateur, "ok"),
        (Card::Expiree, "expired"),
        (Card::Revoquee, "revoked"),
        (Card::AcInconnue, "unknown_ca"),
        (Card::NonCpx, "not_cpx"),
    ];
    for (card, verdict) in expected {
        let d = app.get_diagnostic(Some(card)).await.json();
        assert_eq!(d["verdict"], verdict, "{card:?}");
        assert_eq!(d["certificate_presented"], true);
        assert!(
            d["issuer"].as_str().unwrap().contains("PERSONNES"),
            "{card:?}"
        );
    }
}

#[tokio::test]
async fn the_diagnostic_reads_identity_and_card_type_from_tom_records() {
    let app = spawn_app().await;
    let d = app
        .get_diagnostic(Some(Card::RepresentantLegalA))
        .await
        .json();
    assert_eq!(d["card_type"], "CDE");
    assert_eq!(d["national_id"], "3940000011/DIR0001");
    assert!(d["subject"]
        .as_str()
        .unwrap()
        .contains("CN=3940000011/DIR0001"));
    assert!(d["not_after"].as_str().unwrap().len() >= 10);
}

#[tokio::test]
async fn a_card_tom_did_not_issue_gets_a_type_guessed_from_its_identifier() {
    let app = spawn_app().await;
    // The unknown-CA card is not in TOM's records; its CN starts with 3.
    let d = app.get_diagnostic(Some(Card::AcInconnue)).await.json();
    assert_eq!(d["card_type"], "CPE");
}

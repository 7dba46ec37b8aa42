//! Limits that keep one card or one machine from wearing the service down: failed logins and
//! uploads per card and per address (counted in the database, as every instance shares it).

use crate::helpers::{spawn_app_with, Card, STRUCTURE_A};
use crate::orders::cpe_order_for_a;

#[tokio::test]
async fn failed_logins_beyond_the_limit_get_429_for_that_card_only() {
    let app = spawn_app_with(&[("TOM_LOGIN_FAILURES_PER_CARD", "3")]).await;
    let origin = format!("https://localhost:{}", app.addr.port());
    let headers = [("x-csrf-token", "connexion"), ("origin", origin.as_str())];
    for _ in 0..3 {
        let r = app.post_login(Some(Card::Revoquee), &headers).await;
        assert_eq!(r.status, 401);
    }
    let r = app.post_login(Some(Card::Revoquee), &headers).await;
    assert_eq!(r.status, 429, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["code"], "too_many_attempts");
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("réessayez dans quelques minutes"));
    // Another card on the same workstation is not held back by that card's failures.
    app.login(Card::MandataireA).await;
    let r = app.post_login(Some(Card::Expiree), &headers).await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn failed_logins_from_one_address_are_limited_but_never_lock_out_a_good_card() {
    // Per card 1, so per address 5: five refused attempts, then the next refused card waits; a
    // good card from the same address (a hospital behind one NAT) still logs in.
    let app = spawn_app_with(&[("TOM_LOGIN_FAILURES_PER_CARD", "1")]).await;
    let origin = format!("https://localhost:{}", app.addr.port());
    let headers = [("x-csrf-token", "connexion"), ("origin", origin.as_str())];
    for card in [
        Some(Card::Revoquee),
        Some(Card::Expiree),
        Some(Card::AcInconnue),
        None,
        None,
    ] {
        assert_eq!(app.post_login(card, &headers).await.status, 401);
    }
    let r = app.post_login(Some(Card::NonCpx), &headers).await;
    assert_eq!(r.status, 429, "{}", String::from_utf8_lossy(&r.body));
    let r = app.post_login(None, &headers).await;
    assert_eq!(r.status, 429);
    let r = app.post_login(Some(Card::MandataireA), &headers).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
}

#[tokio::test]
async fn uploads_beyond_the_hourly_limit_get_429_and_nothing_is_stored() {
    let app = spawn_app_with(&[("TOM_UPLOADS_PER_CARD_HOUR", "2")]).await;
    let a = app.login(Card::MandataireA).await;
    for (key, matricule) in [("k1", "100001"), ("k2", "100002")] {
        let r = app
            .submit(
                Card::MandataireA,
                &a,
                STRUCTURE_A,
                key,
                cpe_order_for_a(key, matricule),
            )
            .await;
        assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    }
    let r = app
        .submit(
            Card::MandataireA,
            &a,
            STRUCTURE_A,
            "k3",
            cpe_order_for_a("k3", "100003"),
        )
        .await;
    assert_eq!(r.status, 429);
    assert_eq!(r.json()["code"], "too_many_attempts");
    let orders = app.orders_of_a(&a).await.json();
    let text = orders.to_string();
    assert!(!text.contains("k3"), "{text}");
    // Another mandataire is not held back.
    let b = app.login(Card::RepresentantLegalA).await;
    let r = app
        .submit(
            Card::RepresentantLegalA,
            &b,
            STRUCTURE_A,
            "k4",
            cpe_order_for_a("k4", "100004"),
        )
        .await;
    assert_ne!(r.status, 429, "{}", String::from_utf8_lossy(&r.body));
}

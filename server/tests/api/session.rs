use crate::helpers::{spawn_app, Card};

#[tokio::test]
async fn a_session_is_only_usable_with_the_card_that_opened_it() {
    let app = spawn_app().await;
    let session = app.login(Card::MandataireA).await;
    let r = app.get_me(Some(Card::MandataireB), Some(&session)).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.code(), "session_required");
    let r = app.get_me(None, Some(&session)).await;
    assert_eq!(r.code(), "no_certificate");
}

#[tokio::test]
async fn the_session_cookie_is_secure_http_only_and_strict() {
    let app = spawn_app().await;
    let origin = format!("https://localhost:{}", app.addr.port());
    let r = app
        .post_login(
            Some(Card::MandataireA),
            &[("x-csrf-token", "x"), ("origin", &origin)],
        )
        .await;
    let cookie = r.header("set-cookie").unwrap();
    for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
}

#[tokio::test]
async fn logout_needs_the_csrf_token_and_ends_the_session() {
    let app = spawn_app().await;
    let session = app.login(Card::MandataireA).await;
    let r = app.logout(Card::MandataireA, &session, None).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.code(), "csrf_missing");
    let r = app
        .logout(Card::MandataireA, &session, Some("faux-jeton"))
        .await;
    assert_eq!(r.code(), "csrf_missing");
    let r = app
        .logout(Card::MandataireA, &session, Some(&session.csrf))
        .await;
    assert_eq!(r.status, 204);
    assert!(r.header("set-cookie").unwrap().contains("Max-Age=0"));
    let r = app.get_me(Some(Card::MandataireA), Some(&session)).await;
    assert_eq!(r.code(), "session_required");
}

#[tokio::test]
async fn login_without_the_anti_csrf_header_is_refused() {
    let app = spawn_app().await;
    let r = app.post_login(Some(Card::MandataireA), &[]).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.code(), "csrf_missing");
}

#[tokio::test]
async fn a_cross_origin_post_is_refused() {
    let app = spawn_app().await;
    let r = app
        .post_login(
            Some(Card::MandataireA),
            &[("x-csrf-token", "x"), ("origin", "https://pirate.example")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(r.code(), "cross_origin");
    let r = app
        .post_login(
            Some(Card::MandataireA),
            &[("x-csrf-token", "x"), ("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(r.code(), "cross_origin");
    // Even with a live session and its token.
    let session = app.login(Card::MandataireA).await;
    let r = app
        .request(
            Some(Card::MandataireA),
            "DELETE",
            "/api/session",
            &[
                ("cookie", &session.cookie),
                ("x-csrf-token", &session.csrf),
                ("origin", "https://pirate.example"),
            ],
        )
        .await;
    assert_eq!(r.code(), "cross_origin");
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = spawn_app().await;
    let session = app.login(Card::MandataireA).await;
    app.clock.advance(29 * 60);
    assert_eq!(
        app.get_me(Some(Card::MandataireA), Some(&session))
            .await
            .status,
        200
    );
    app.clock.advance(31 * 60);
    let r = app.get_me(Some(Card::MandataireA), Some(&session)).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.code(), "session_expired");
}

/// The session's activity is written at most once a minute, not on every request; the idle
/// limit counts from the activity written, so it may come up to a minute early, never late.
#[tokio::test]
async fn activity_is_recorded_at_most_once_a_minute() {
    let app = spawn_app().await;
    let session = app.login(Card::MandataireA).await;
    let id = session.cookie.split_once('=').unwrap().1;
    let hash = server::tls::verifier::sha256_hex(id.as_bytes());
    let last_seen = || async {
        server::session::store::find_session(&app.db, &hash)
            .await
            .unwrap()
            .expect("session en base")
            .last_seen_at
    };
    let opened = last_seen().await;
    let me = || async {
        app.get_me(Some(Card::MandataireA), Some(&session))
            .await
            .status
    };
    // 30 s of margin either side for a slow machine (the clock is the system's plus an offset).
    app.clock.advance(30);
    assert_eq!(me().await, 200);
    assert_eq!(last_seen().await, opened, "pas d'écriture avant une minute");
    app.clock.advance(30);
    assert_eq!(me().await, 200);
    let recorded = last_seen().await;
    assert!(
        recorded >= opened + 60,
        "activité enregistrée après une minute"
    );
    // Active 30 s later, unrecorded: idle 30 minutes after the recorded activity all the same.
    app.clock.advance(30);
    assert_eq!(me().await, 200);
    assert_eq!(last_seen().await, recorded);
    app.clock.advance(30 * 60 - 30 + 1);
    let r = app.get_me(Some(Card::MandataireA), Some(&session)).await;
    assert_eq!(r.code(), "session_expired");
}

#[tokio::test]
async fn an_active_session_still_ends_at_its_absolute_limit() {
    let app = spawn_app().await;
    let session = app.login(Card::MandataireA).await;
    // Active every 25 minutes for 9 h 35, then once more 26 minutes later: never idle for
    // 30 minutes, but past the 10-hour limit.
    for _ in 0..23 {
        app.clock.advance(25 * 60);
        assert_eq!(
            app.get_me(Some(Card::MandataireA), Some(&session))
                .await
                .status,
            200
        );
    }
    app.clock.advance(26 * 60);
    assert_eq!(
        app.get_me(Some(Card::MandataireA), Some(&session))
            .await
            .code(),
        "session_expired"
    );
}

#[tokio::test]
async fn expired_sessions_are_purged_from_the_database() {
    let app = spawn_app().await;
    app.login(Card::MandataireA).await;
    app.login(Card::MandataireB).await;
    let count = || async {
        server::session::store::count_sessions(&app.db)
            .await
            .unwrap()
    };
    assert_eq!(count().await, 2);
    app.clock.advance(31 * 60);
    app.eventually("les sessions expirées sont supprimées", || async {
        count().await == 0
    })
    .await;
}

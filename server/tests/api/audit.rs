//! The audit trail: every state change leaves a chained entry in the same transaction; the chain
//! verifies after a day of activity, and `tom audit verify` names the entry after each kind of
//! tampering; the legal representative and operators read it, nobody else.

use std::process::Command;

use server::audit::anchor;
use server::audit::chain::Break;
use server::audit::verify::verify;

use crate::helpers::{spawn_app, Card, Session, TestApp, STRUCTURE_A, STRUCTURE_B};
use crate::orders::{cpe_order_for_a, order_id};

const TOM: &str = env!("CARGO_BIN_EXE_tom");
/// A day of activity: logins, two orders, the back-office takes one to delivery, rejects the
/// other, logouts. Returns the number of entries it must have left.
async fn a_day_of_activity(app: &TestApp) -> i64 {
    let a = app.login(Card::MandataireA).await;
    let first = order_id(
        &app.submit(
            Card::MandataireA,
            &a,
            STRUCTURE_A,
            "k1",
            cpe_order_for_a("R1", "000000018"),
        )
        .await,
    );
    let second = order_id(
        &app.submit(
            Card::MandataireA,
            &a,
            STRUCTURE_A,
            "k2",
            cpe_order_for_a("R2", "000000026"),
        )
        .await,
    );
    let op = app.login(Card::Operateur).await;
    for action in [
        "accepter",
        "fabriquer",
        "expedier_carte",
        "expedier_codes",
        "livrer",
    ] {
        let r = app.act(&op, &first, 1, action, None).await;
        assert_eq!(
            r.status,
            200,
            "{action} : {}",
            String::from_utf8_lossy(&r.body)
        );
    }
    for file in ["carte.p12", "courrier-codes.pdf"] {
        let path = format!("/api/operator/lines/{first}/1/{file}");
        assert_eq!(app.get(Card::Operateur, &op, &path).await.status, 200);
    }
    let r = app
        .act(&op, &second, 1, "rejeter", Some("Matricule inconnu"))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        app.logout(Card::Operateur, &op, Some(&op.csrf))
            .await
            .status,
        204
    );
    assert_eq!(
        app.logout(Card::MandataireA, &a, Some(&a.csrf))
            .await
            .status,
        204
    );
    // 2 logins + 2 orders + 5 actions + 2 downloads + 1 rejection + 2 logouts.
    14
}

async fn entries(app: &TestApp) -> i64 {
    server::audit::store::head(&app.db)
        .await
        .unwrap()
        .unwrap()
        .0
}

/// Anchors the chain's end now, as the job does, and returns the anchor.
async fn anchor_now(app: &TestApp) -> Option<anchor::Anchor> {
    let wrote = server::jobs::audit_anchor::write_anchor(&app.db, &app.config.audit_anchor, 0)
        .await
        .unwrap();
    let read = anchor::read(&app.config.audit_anchor).unwrap();
    assert!(
        read.is_some(),
        "ancre écrite ({wrote}) dans {}",
        app.config.audit_anchor.display()
    );
    read
}

async fn sql(app: &TestApp, statement: &str) {
    server::db::execute_statement(&app.db, statement)
        .await
        .unwrap();
}

fn tom_audit_verify(app: &TestApp) -> (i32, String) {
    let out = Command::new(TOM)
        .args(["audit", "verify"])
        .env("DATABASE_URL", &app.config.database_url)
        .env("TOM_DATA_DIR", &app.config.data_dir)
        .env("TOM_AUDIT_ANCHOR", &app.config.audit_anchor)
        .output()
        .expect("tom audit verify");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
    )
}

#[tokio::test]
async fn the_chain_verifies_after_a_day_and_each_tampering_is_named() {
    let app = spawn_app().await;
    let expected = a_day_of_activity(&app).await;
    assert_eq!(entries(&app).await, expected);
    // Without an anchor, the end of the chain is not attested: that is a finding too.
    assert_eq!(
        verify(&app.db, None).await.unwrap(),
        Err(Break::NoAnchor { last: expected })
    );
    assert_eq!(tom_audit_verify(&app).0, 1);
    let anchored = anchor_now(&app).await;
    let anchored = anchored.as_ref();
    assert!(verify(&app.db, anchored).await.unwrap().is_ok());
    let (code, out) = tom_audit_verify(&app);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(&format!("{expected} entrées")), "{out}");

    // An edited entry.
    sql(
        &app,
        "CREATE TABLE saved AS SELECT * FROM audit_log WHERE seq = 3",
    )
    .await;
    sql(
        &app,
        "UPDATE audit_log SET object = 'commande CXXXXXXXXXX' WHERE seq = 3",
    )
    .await;
    assert_eq!(
        verify(&app.db, anchored).await.unwrap(),
        Err(Break::Edited { seq: 3 })
    );
    let (code, out) = tom_audit_verify(&app);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("entrée n° 3 modifiée"), "{out}");
    sql(&app, "DELETE FROM audit_log WHERE seq = 3").await;
    sql(&app, "INSERT INTO audit_log SELECT * FROM saved").await;
    sql(&app, "DROP TABLE saved").await;
    assert!(verify(&app.db, anchored).await.unwrap().is_ok(), "restauré");

    // A deleted entry: the next one no longer follows.
    sql(
        &app,
        "CREATE TABLE saved AS SELECT * FROM audit_log WHERE seq = 5",
    )
    .await;
    sql(&app, "DELETE FROM audit_log WHERE seq = 5").await;
    assert_eq!(
        verify(&app.db, anchored).await.unwrap(),
        Err(Break::DoesNotFollow {
            seq: 6,
            previous: 4
        })
    );
    let (code, out) = tom_audit_verify(&app);
    assert_eq!(code, 1);
    assert!(out.contains("entrée n° 6"), "{out}");
    sql(&app, "INSERT INTO audit_log SELECT * FROM saved").await;
    sql(&app, "DROP TABLE saved").await;
    assert!(verify(&app.db, anchored).await.unwrap().is_ok());

    // A swapped pair.
    sql(&app, "UPDATE audit_log SET seq = -7 WHERE seq = 7").await;
    sql(&app, "UPDATE audit_log SET seq = 7 WHERE seq = 8").await;
    sql(&app, "UPDATE audit_log SET seq = 8 WHERE seq = -7").await;
    assert_eq!(
        verify(&app.db, anchored).await.unwrap(),
        Err(Break::DoesNotFollow {
            seq: 7,
            previous: 6
        })
    );
    assert_eq!(tom_audit_verify(&app).0, 1);
    sql(&app, "UPDATE audit_log SET seq = -7 WHERE seq = 7").await;
    sql(&app, "UPDATE audit_log SET seq = 7 WHERE seq = 8").await;
    sql(&app, "UPDATE audit_log SET seq = 8 WHERE seq = -7").await;
    assert!(verify(&app.db, anchored).await.unwrap().is_ok());

    // A truncated tail, head rewritten too: only the anchor outside the database sees it.
    sql(
        &app,
        &format!("DELETE FROM audit_log WHERE seq > {}", expected - 2),
    )
    .await;
    sql(
        &app,
        &format!(
            "UPDATE audit_head SET seq = {0}, hash = (SELECT hash FROM audit_log WHERE seq = {0})",
            expected - 2
        ),
    )
    .await;
    assert_eq!(
        verify(&app.db, None).await.unwrap(),
        Err(Break::NoAnchor { last: expected - 2 })
    );
    let anchored = anchor::read(&app.config.audit_anchor).unwrap();
    assert_eq!(
        verify(&app.db, anchored.as_ref()).await.unwrap(),
        Err(Break::Truncated {
            last: expected - 2,
            anchored: expected
        })
    );
    let (code, out) = tom_audit_verify(&app);
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!("entrée n° {} manquante", expected - 1)),
        "{out}"
    );

    // New entries after the cut do not cover it up: the anchor job keeps the old anchor.
    let s = app.login(Card::MandataireA).await;
    app.logout(Card::MandataireA, &s, Some(&s.csrf)).await;
    let job = server::jobs::audit_anchor::write_anchor(&app.db, &app.config.audit_anchor, 0).await;
    assert!(
        job.is_err(),
        "l'ancre ne doit pas suivre une chaîne tronquée"
    );
    let kept = anchor::read(&app.config.audit_anchor).unwrap();
    assert_eq!(kept.as_ref().map(|a| a.seq), Some(expected));
    assert_eq!(
        verify(&app.db, kept.as_ref()).await.unwrap(),
        Err(Break::AnchorMismatch { seq: expected })
    );
    assert_eq!(tom_audit_verify(&app).0, 1);

    // The chain's end deleted from the database.
    sql(&app, "DELETE FROM audit_head").await;
    let (code, out) = tom_audit_verify(&app);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("audit_head"), "{out}");
}

#[tokio::test]
async fn verify_never_mistakes_a_missing_database_for_an_empty_journal() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("absente.db");
    let out = Command::new(TOM)
        .args(["audit", "verify"])
        .env("DATABASE_URL", format!("sqlite://{}", missing.display()))
        .env("TOM_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!missing.exists(), "verify ne crée pas de base");
}

#[tokio::test]
async fn if_the_audit_entry_cannot_be_written_the_order_is_not_stored() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let sabotage: &[&str] = match app.db.backend() {
        "sqlite" => &["CREATE TRIGGER sabotage BEFORE INSERT ON audit_log \
            WHEN NEW.action = 'commande_soumise' BEGIN SELECT RAISE(ABORT, 'sabotage'); END"],
        _ => &[
            "CREATE FUNCTION sabotage() RETURNS trigger AS $$ BEGIN \
             IF NEW.action = 'commande_soumise' THEN RAISE EXCEPTION 'sabotage'; END IF; \
             RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER sabotage BEFORE INSERT ON audit_log FOR EACH ROW \
             EXECUTE FUNCTION sabotage()",
        ],
    };
    for statement in sabotage {
        sql(&app, statement).await;
    }
    let before = entries(&app).await;
    let r = app
        .submit(
            Card::MandataireA,
            &a,
            STRUCTURE_A,
            "k",
            cpe_order_for_a("R", "000000018"),
        )
        .await;
    assert_eq!(r.status, 500);
    assert_eq!(r.code(), "internal");
    let list = app
        .get(
            Card::MandataireA,
            &a,
            &format!("/api/structures/{STRUCTURE_A}/orders"),
        )
        .await;
    assert!(
        list.json().as_array().unwrap().is_empty(),
        "aucune commande"
    );
    assert_eq!(entries(&app).await, before);
    let anchored = anchor_now(&app).await;
    assert!(verify(&app.db, anchored.as_ref()).await.unwrap().is_ok());
}

#[tokio::test]
async fn two_instances_writing_at_once_make_one_chain() {
    let app = spawn_app().await;
    let other = app.second_instance().await;
    let mut tasks = Vec::new();
    for i in 0..6 {
        let target = if i % 2 == 0 { &app } else { &other };
        tasks.push(async move {
            for _ in 0..4 {
                let s = target.login(Card::MandataireA).await;
                assert_eq!(
                    target
                        .logout(Card::MandataireA, &s, Some(&s.csrf))
                        .await
                        .status,
                    204
                );
            }
        });
    }
    futures_join_all(tasks).await;
    assert_eq!(entries(&app).await, 6 * 4 * 2);
    let anchored = anchor_now(&app).await;
    assert_eq!(
        verify(&app.db, anchored.as_ref())
            .await
            .unwrap()
            .map(|v| v.entries),
        Ok(48)
    );
}

async fn futures_join_all<F: std::future::Future<Output = ()>>(tasks: Vec<F>) {
    let mut set = Vec::new();
    for t in tasks {
        set.push(Box::pin(t));
    }
    // Poll them together on this task: every request still runs on the servers' own tasks.
    let mut pending: Vec<_> = set.into_iter().map(Some).collect();
    std::future::poll_fn(|cx| {
        let mut all_done = true;
        for slot in pending.iter_mut() {
            if let Some(f) = slot {
                if f.as_mut().poll(cx).is_ready() {
                    *slot = None;
                } else {
                    all_done = false;
                }
            }
        }
        if all_done {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await
}

async fn audit_of(app: &TestApp, card: Card, s: &Session, path: &str) -> (u16, String) {
    let r = app.get(card, s, path).await;
    let body = if r.status == 200 {
        String::from_utf8_lossy(&r.body).to_string()
    } else {
        r.code()
    };
    (r.status, body)
}

#[tokio::test]
async fn the_legal_representative_and_operators_read_the_audit_and_nobody_else() {
    let app = spawn_app().await;
    a_day_of_activity(&app).await;
    let rl = app.login(Card::RepresentantLegalA).await;
    let a = app.login(Card::MandataireA).await;
    let b = app.login(Card::MandataireB).await;
    let op = app.login(Card::Operateur).await;
    let of_a = format!("/api/structures/{STRUCTURE_A}/audit");

    let (status, body) = audit_of(&app, Card::RepresentantLegalA, &rl, &of_a).await;
    assert_eq!(status, 200, "{body}");
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    let actions: Vec<&str> = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"commande_soumise"), "{actions:?}");
    assert!(actions.contains(&"carte_fabriquee"), "{actions:?}");
    assert!(actions.contains(&"carte_telechargee"), "{actions:?}");
    assert!(
        actions.contains(&"courrier_codes_telecharge"),
        "{actions:?}"
    );
    assert!(
        !actions.contains(&"connexion"),
        "les connexions n'appartiennent à aucune structure"
    );
    assert!(
        !body.contains("pkcs12") && !body.contains("\"pin\""),
        "{body}"
    );

    let (status, csv) = audit_of(
        &app,
        Card::RepresentantLegalA,
        &rl,
        &format!("{of_a}?format=csv&action=ligne_rejetee"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(csv.starts_with('\u{FEFF}'), "BOM");
    let mut lines = csv.trim_start_matches('\u{FEFF}').split("\r\n");
    assert!(lines
        .next()
        .unwrap()
        .starts_with("N°;Date (heure de Paris);Action;Objet"));
    let row = lines.next().unwrap();
    assert!(row.contains(";Ligne rejetée;"), "{row}");
    assert!(row.contains("Matricule inconnu"), "{row}");

    assert_eq!(
        audit_of(&app, Card::MandataireA, &a, &of_a).await,
        (403, "legal_representative_only".to_string())
    );
    assert_eq!(
        audit_of(&app, Card::MandataireB, &b, &of_a).await,
        (403, "forbidden_structure".to_string())
    );
    let (status, _) = audit_of(&app, Card::Operateur, &op, &of_a).await;
    assert_eq!(status, 200);
    let (status, all) = audit_of(&app, Card::Operateur, &op, "/api/audit?action=connexion").await;
    assert_eq!(status, 200);
    assert!(all.contains("\"connexion\""));
    assert_eq!(
        audit_of(&app, Card::MandataireA, &a, "/api/audit").await,
        (403, "operator_only".to_string())
    );
    let of_b = format!("/api/structures/{STRUCTURE_B}/audit");
    let (status, body) = audit_of(&app, Card::Operateur, &op, &of_b).await;
    assert_eq!(status, 200);
    assert!(!body.contains(STRUCTURE_A));
    let r = app.request(None, "GET", &of_a, &[]).await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn unreadable_parameters_get_a_french_answer_not_a_rejection_in_english() {
    let app = spawn_app().await;
    let rl = app.login(Card::RepresentantLegalA).await;
    let of_a = format!("/api/structures/{STRUCTURE_A}/audit");
    for query in [
        "?avant=abc",
        "?avant=99999999999999999999",
        "?du=2026-01-01&du=2026-01-02",
    ] {
        let r = app
            .get(Card::RepresentantLegalA, &rl, &format!("{of_a}{query}"))
            .await;
        assert_eq!(r.status, 400, "{query}");
        assert_eq!(r.code(), "invalid_request", "{query}");
        assert!(r.json()["message"].as_str().unwrap().contains("illisibles"));
    }
    let r = app
        .get(
            Card::RepresentantLegalA,
            &rl,
            &format!("{of_a}?du=2026-03-02&au=2026-03-01"),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.json()["message"].as_str().unwrap().contains("inversez"));
    let r = app
        .get(Card::RepresentantLegalA, &rl, "/api/orders/NEXISTEPAS")
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.code(), "not_found");
}

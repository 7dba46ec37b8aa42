//! Ordering cards: submission (idempotent, all or nothing), tracking, the operator's back-office,
//! fabrication of a card that really logs in, and who may do what.

use serde_json::Value;
use shared::order::generate::generate_order;
use shared::order::model::{StructureId, StructureKind};
use shared::order::write_order;

use crate::helpers::{
    client_config_with, diagnostic_over, spawn_app, Card, Session, TestApp, TestResponse,
    STRUCTURE_A, STRUCTURE_B,
};

const MODEL: &str = include_str!("../../../schemas/examples/modele-commande-cpe.xml");

/// The model CPE order, for structure A, with its own reference and matricule.
pub(crate) fn cpe_order_for_a(reference: &str, matricule: &str) -> Vec<u8> {
    MODEL
        .replace("760021832", "940000011")
        .replace("PHARMA-2026-001", reference)
        .replace("000000018", matricule)
        .into_bytes()
}

/// A generated valid order of `n` operations for structure A.
/// A generated order of `n` card requests for A (operations on existing cards are applied at
/// submission and tested with the fleet).
pub(crate) fn generated_order_for_a(n: usize, seed: u64) -> Vec<u8> {
    let mut order = generate_order(n * 4, seed);
    order
        .operations
        .retain(|op| matches!(op, shared::order::model::Operation::CardRequest(_)));
    assert!(order.operations.len() >= n);
    order.operations.truncate(n);
    order.header.structure = StructureId {
        kind: StructureKind::Finess,
        value: "940000011".into(),
    };
    write_order(&order).into_bytes()
}

impl TestApp {
    pub(crate) async fn submit(
        &self,
        card: Card,
        session: &Session,
        structure: &str,
        key: &str,
        body: Vec<u8>,
    ) -> TestResponse {
        self.call(
            card,
            session,
            "POST",
            &format!("/api/structures/{structure}/orders"),
            &[
                ("idempotency-key", key),
                ("content-type", "application/xml"),
            ],
            body,
        )
        .await
    }

    /// Mandataire A orders the model CPE for `matricule`; the order's id.
    pub(crate) async fn cpe_order_of_a(&self, a: &Session, matricule: &str) -> String {
        let file = cpe_order_for_a("R", matricule);
        order_id(
            &self
                .submit(Card::MandataireA, a, STRUCTURE_A, "k", file)
                .await,
        )
    }

    /// Mandataire A's list of A's orders.
    pub(crate) async fn orders_of_a(&self, session: &Session) -> TestResponse {
        let path = format!("/api/structures/{STRUCTURE_A}/orders");
        self.get(Card::MandataireA, session, &path).await
    }

    /// The cards of A's fleet found by `search`, as mandataire A sees them.
    async fn fleet_of_a(&self, session: &Session, search: &str) -> Vec<Value> {
        let path = format!("/api/structures/{STRUCTURE_A}/fleet?recherche={search}");
        let fleet = self.get(Card::MandataireA, session, &path).await.json();
        fleet["cards"].as_array().unwrap().clone()
    }

    pub(crate) async fn get(&self, card: Card, session: &Session, path: &str) -> TestResponse {
        self.call(card, session, "GET", path, &[], Vec::new()).await
    }

    pub(crate) async fn act(
        &self,
        session: &Session,
        order: &str,
        line: i64,
        action: &str,
        reason: Option<&str>,
    ) -> TestResponse {
        let body = match reason {
            Some(r) => serde_json::json!({ "reason": r }).to_string().into_bytes(),
            None => Vec::new(),
        };
        let headers: &[(&str, &str)] = if reason.is_some() {
            &[("content-type", "application/json")]
        } else {
            &[]
        };
        self.call(
            Card::Operateur,
            session,
            "POST",
            &format!("/api/operator/lines/{order}/{line}/{action}"),
            headers,
            body,
        )
        .await
    }
}

pub(crate) fn order_id(r: &TestResponse) -> String {
    r.json()["order"]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_mandataire_submits_a_file_and_follows_its_lines() {
    let app = spawn_app().await;
    let s = app.login(Card::MandataireA).await;
    let r = app
        .submit(
            Card::MandataireA,
            &s,
            STRUCTURE_A,
            "cle-1",
            generated_order_for_a(12, 7),
        )
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let receipt = r.json();
    assert_eq!(receipt["already_received"], false);
    assert_eq!(receipt["order"]["line_count"], 12);
    assert_eq!(receipt["order"]["open_lines"], 12);
    assert_eq!(receipt["order"]["source"], "fichier");
    let id = order_id(&r);

    let list = app.orders_of_a(&s).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.json().as_array().unwrap().len(), 1);

    let detail = app
        .get(Card::MandataireA, &s, &format!("/api/orders/{id}"))
        .await
        .json();
    let lines = detail["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 12);
    assert_eq!(lines[0]["line_no"], 1);
    for l in lines {
        let expected = if l["card_type"] == "CPS" {
            "en_attente_justificatif"
        } else {
            "soumise"
        };
        assert_eq!(l["status"], expected, "{l}");
        assert_eq!(l["late"], false);
    }
    assert_eq!(detail["target_delivery_seconds"], 10 * 86_400);
}

#[tokio::test]
async fn the_same_file_twice_or_a_retry_never_creates_a_second_order() {
    let app = spawn_app().await;
    let s = app.login(Card::MandataireA).await;
    let file = cpe_order_for_a("REF-1", "000900");
    let first = app
        .submit(Card::MandataireA, &s, STRUCTURE_A, "cle-a", file.clone())
        .await;
    assert_eq!(first.status, 201);
    // The same file under another key (sent again from another tab).
    let again = app
        .submit(Card::MandataireA, &s, STRUCTURE_A, "cle-b", file)
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["already_received"], true);
    assert_eq!(order_id(&again), order_id(&first));
    // A retry of the first request: same key (the body is not even read again).
    let retry = app
        .submit(
            Card::MandataireA,
            &s,
            STRUCTURE_A,
            "cle-a",
            cpe_order_for_a("REF-2", "000901"),
        )
        .await;
    assert_eq!(retry.status, 200);
    assert_eq!(order_id(&retry), order_id(&first));
    let list = app.orders_of_a(&s).await;
    assert_eq!(list.json().as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn concurrent_submissions_of_one_file_store_one_order() {
    let app = spawn_app().await;
    let s = app.login(Card::MandataireA).await;
    let file = generated_order_for_a(50, 3);
    let (a, b) = tokio::join!(
        app.submit(Card::MandataireA, &s, STRUCTURE_A, "k1", file.clone()),
        app.submit(Card::MandataireA, &s, STRUCTURE_A, "k2", file.clone()),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [200, 201]);
    assert_eq!(order_id(&a), order_id(&b));
}

#[tokio::test]
async fn an_invalid_file_is_refused_with_every_error_and_nothing_is_stored() {
    let app = spawn_app().await;
    let s = app.login(Card::MandataireA).await;
    let file = String::from_utf8(generated_order_for_a(5, 11)).unwrap();
    // Two errors: a postal code and a card type the schema does not know.
    let broken = file.replacen("<codePostal>", "<codePostal>X", 1).replacen(
        "<typeCarte>CP",
        "<typeCarte>ZZ",
        1,
    );
    let r = app
        .submit(Card::MandataireA, &s, STRUCTURE_A, "k", broken.into_bytes())
        .await;
    assert_eq!(r.status, 422);
    let body = r.json();
    assert_eq!(body["code"], "invalid_order");
    let errors = body["errors"].as_array().unwrap();
    assert!(errors.len() >= 2, "{body}");
    for e in errors {
        assert!(e["line"].as_u64().unwrap() > 0);
        assert!(!e["message"].as_str().unwrap().is_empty());
    }
    let list = app.orders_of_a(&s).await;
    assert!(list.json().as_array().unwrap().is_empty());
}

#[tokio::test]
async fn an_order_for_another_structure_or_without_key_is_refused() {
    let app = spawn_app().await;
    let s = app.login(Card::MandataireA).await;
    let r = app
        .submit(
            Card::MandataireA,
            &s,
            STRUCTURE_A,
            "k",
            MODEL.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.code(), "structure_mismatch");
    let r = app
        .call(
            Card::MandataireA,
            &s,
            "POST",
            &format!("/api/structures/{STRUCTURE_A}/orders"),
            &[],
            cpe_order_for_a("R", "1"),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.code(), "idempotency_key_missing");
}

#[tokio::test]
async fn an_oversized_upload_is_refused() {
    let app = crate::helpers::spawn_app_with(&[("TOM_MAX_UPLOAD_MB", "1")]).await;
    let s = app.login(Card::MandataireA).await;
    let r = app
        .submit(
            Card::MandataireA,
            &s,
            STRUCTURE_A,
            "k",
            generated_order_for_a(1500, 1),
        )
        .await;
    assert_eq!(r.status, 413);
    assert_eq!(r.code(), "payload_too_large");
}

/// Every order endpoint, for a mandataire of the structure, a mandataire of another one, the
/// operator, and without session.
#[tokio::test]
async fn who_may_do_what_on_every_order_endpoint() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let b = app.login(Card::MandataireB).await;
    let op = app.login(Card::Operateur).await;
    let r = app
        .submit(
            Card::MandataireA,
            &a,
            STRUCTURE_A,
            "k",
            cpe_order_for_a("R", "000777"),
        )
        .await;
    let id = order_id(&r);

    // Submitting: own structure only; the operator does not order for structures.
    let r = app
        .submit(
            Card::MandataireB,
            &b,
            STRUCTURE_A,
            "k",
            cpe_order_for_a("R2", "1"),
        )
        .await;
    assert_eq!((r.status, r.code()), (403, "forbidden_structure".into()));
    let r = app
        .submit(
            Card::Operateur,
            &op,
            STRUCTURE_A,
            "k",
            cpe_order_for_a("R3", "2"),
        )
        .await;
    assert_eq!((r.status, r.code()), (403, "forbidden_structure".into()));

    // Lists and fleet: own structure, and the operator everywhere.
    for path in [
        format!("/api/structures/{STRUCTURE_A}/orders"),
        format!("/api/structures/{STRUCTURE_A}/fleet"),
    ] {
        assert_eq!(
            app.get(Card::MandataireA, &a, &path).await.status,
            200,
            "{path}"
        );
        assert_eq!(
            app.get(Card::Operateur, &op, &path).await.status,
            200,
            "{path}"
        );
        let r = app.get(Card::MandataireB, &b, &path).await;
        assert_eq!(
            (r.status, r.code()),
            (403, "forbidden_structure".into()),
            "{path}"
        );
    }
    let r = app
        .get(
            Card::MandataireB,
            &b,
            &format!("/api/structures/{STRUCTURE_B}/orders"),
        )
        .await;
    assert_eq!(r.json().as_array().unwrap().len(), 0);

    // An order of A is "not found" for B.
    let detail = format!("/api/orders/{id}");
    assert_eq!(app.get(Card::MandataireA, &a, &detail).await.status, 200);
    assert_eq!(app.get(Card::Operateur, &op, &detail).await.status, 200);
    assert_eq!(app.get(Card::MandataireB, &b, &detail).await.status, 404);
    let doc = format!("/api/orders/{id}/lines/1/document");
    let r = app
        .call(
            Card::MandataireB,
            &b,
            "PUT",
            &doc,
            &[],
            b"%PDF-1.4".to_vec(),
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(app.get(Card::MandataireB, &b, &doc).await.status, 404);

    // The back-office is the operators'.
    for (card, session) in [(Card::MandataireA, &a), (Card::MandataireB, &b)] {
        let r = app.get(card, session, "/api/operator/lines").await;
        assert_eq!((r.status, r.code()), (403, "operator_only".into()));
        let r = app
            .call(
                card,
                session,
                "POST",
                &format!("/api/operator/lines/{id}/1/accepter"),
                &[],
                Vec::new(),
            )
            .await;
        assert_eq!((r.status, r.code()), (403, "operator_only".into()));
        for file in ["carte.p12", "courrier-codes.pdf"] {
            let r = app
                .get(card, session, &format!("/api/operator/lines/{id}/1/{file}"))
                .await;
            assert_eq!((r.status, r.code()), (403, "operator_only".into()));
        }
    }
    let queue = app.get(Card::Operateur, &op, "/api/operator/lines").await;
    assert_eq!(queue.status, 200);
    assert_eq!(queue.json()["lines"].as_array().unwrap().len(), 1);

    // Without a session, nothing.
    for path in [
        format!("/api/structures/{STRUCTURE_A}/orders"),
        detail,
        "/api/operator/lines".into(),
    ] {
        let r = app
            .request(Some(Card::MandataireA), "GET", &path, &[])
            .await;
        assert_eq!(r.status, 401, "{path}");
    }
}

fn find_pin(pdf: &[u8]) -> String {
    let needle = b"Code porteur \\(PIN\\) : ";
    let at = pdf
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("code porteur dans le courrier")
        + needle.len();
    String::from_utf8(pdf[at..at + 4].to_vec()).unwrap()
}

#[tokio::test]
async fn the_operator_fabricates_a_card_that_logs_in() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let op = app.login(Card::Operateur).await;
    let r = app
        .submit(
            Card::MandataireA,
            &a,
            STRUCTURE_A,
            "k",
            cpe_order_for_a("R", "000777"),
        )
        .await;
    let id = order_id(&r);

    // Out of order: refused with the reason.
    let r = app.act(&op, &id, 1, "fabriquer", None).await;
    assert_eq!(r.status, 409);
    assert!(r.json()["message"].as_str().unwrap().contains("acceptée"));

    let r = app.act(&op, &id, 1, "accepter", None).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["status"], "acceptee");
    let r = app.act(&op, &id, 1, "fabriquer", None).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let line = r.json();
    assert_eq!(line["status"], "fabriquee");
    assert_eq!(line["card"]["national_id"], "3940000011/000777");

    // The card and the PIN letter.
    let p12 = app
        .get(
            Card::Operateur,
            &op,
            &format!("/api/operator/lines/{id}/1/carte.p12"),
        )
        .await;
    assert_eq!(p12.status, 200);
    assert_eq!(p12.header("content-type").unwrap(), "application/x-pkcs12");
    let pdf = app
        .get(
            Card::Operateur,
            &op,
            &format!("/api/operator/lines/{id}/1/courrier-codes.pdf"),
        )
        .await;
    assert!(pdf.body.starts_with(b"%PDF-"));
    let pin = find_pin(&pdf.body);

    // The fleet shows it.
    let fleet = app.fleet_of_a(&a, "3940000011/000777").await;
    let card: &Value = fleet
        .iter()
        .find(|c| c["national_id"] == "3940000011/000777")
        .expect("la nouvelle carte dans le parc");
    assert_eq!(card["card_type"], "CPE");
    assert_eq!(card["family_name"], "LOUIN");
    let three_years = card["not_after"].as_i64().unwrap() - card["issued_at"].as_i64().unwrap();
    assert_eq!(three_years, 3 * 365 * 86_400);

    // The PKCS#12 opens with the PIN of the letter, and the card passes the TLS layer.
    let store =
        p12_keystore::KeyStore::from_pkcs12(&p12.body, &pin).expect("PKCS#12 ouvert avec le PIN");
    let (_, chain) = store.private_key_chain().unwrap();
    let certs: Vec<Vec<u8>> = chain.chain().iter().map(|c| c.as_der().to_vec()).collect();
    let config = client_config_with(&app.pki, certs, chain.key().to_vec());
    let (diag, _) = diagnostic_over(app.addr, config).await;
    assert_eq!(diag["verdict"], "ok", "{diag}");
    assert_eq!(diag["national_id"], "3940000011/000777");
    assert_eq!(diag["card_type"], "CPE");

    // Shipping, then delivery.
    assert_eq!(app.act(&op, &id, 1, "livrer", None).await.status, 409);
    assert_eq!(
        app.act(&op, &id, 1, "expedier_carte", None).await.json()["status"],
        "carte_expediee"
    );
    assert_eq!(
        app.act(&op, &id, 1, "expedier_codes", None).await.json()["status"],
        "expediee"
    );
    let done = app.act(&op, &id, 1, "livrer", None).await.json();
    assert_eq!(done["status"], "livree");
    assert!(done["times"]["delivered_at"].as_i64().is_some());
    let queue = app
        .get(Card::Operateur, &op, "/api/operator/lines")
        .await
        .json();
    assert!(queue["lines"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_rejection_needs_a_reason_which_the_mandataire_sees() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let op = app.login(Card::Operateur).await;
    let id = app.cpe_order_of_a(&a, "5").await;
    let r = app.act(&op, &id, 1, "rejeter", None).await;
    assert_eq!(r.status, 400);
    assert!(r.json()["message"].as_str().unwrap().contains("motif"));
    let r = app
        .act(
            &op,
            &id,
            1,
            "rejeter",
            Some("Matricule inconnu de la structure"),
        )
        .await;
    assert_eq!(r.json()["status"], "rejetee");
    let detail = app
        .get(Card::MandataireA, &a, &format!("/api/orders/{id}"))
        .await
        .json();
    assert_eq!(
        detail["lines"][0]["reason"],
        "Matricule inconnu de la structure"
    );
    assert_eq!(detail["order"]["open_lines"], 0);
    assert_eq!(app.act(&op, &id, 1, "accepter", None).await.status, 409);
}

#[tokio::test]
async fn an_open_line_turns_late_after_the_target_delivery_time_and_filters_apply() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let id = app.cpe_order_of_a(&a, "5").await;
    app.clock.advance(11 * 86_400);
    // Eleven days on, TOM's CRL (valid seven days) is signed again by its job at the new time;
    // until then cards are refused as their revocation cannot be checked (fail closed).
    app.eventually("la CRL de TOM est signée de nouveau", || async {
        app.get_diagnostic(Some(Card::MandataireA)).await.json()["verdict"] == "ok"
    })
    .await;
    // The session would have expired: log in again at the new time.
    let a = app.login(Card::MandataireA).await;
    let detail = app
        .get(Card::MandataireA, &a, &format!("/api/orders/{id}"))
        .await
        .json();
    assert_eq!(detail["lines"][0]["late"], true);
    assert!(detail["lines"][0]["age_seconds"].as_i64().unwrap() >= 11 * 86_400);
    assert_eq!(detail["order"]["late_lines"], 1);

    let base = format!("/api/structures/{STRUCTURE_A}/orders");
    let count = |r: TestResponse| r.json().as_array().unwrap().len();
    assert_eq!(
        count(
            app.get(Card::MandataireA, &a, &format!("{base}?status=soumise"))
                .await
        ),
        1
    );
    assert_eq!(
        count(
            app.get(Card::MandataireA, &a, &format!("{base}?status=livree"))
                .await
        ),
        0
    );
    assert_eq!(
        count(
            app.get(
                Card::MandataireA,
                &a,
                &format!("{base}?du=2000-01-01&au=2999-12-31")
            )
            .await
        ),
        1
    );
    assert_eq!(
        count(
            app.get(Card::MandataireA, &a, &format!("{base}?au=2000-01-01"))
                .await
        ),
        0
    );
    let r = app
        .get(Card::MandataireA, &a, &format!("{base}?du=hier"))
        .await;
    assert_eq!(r.status, 400);
    assert!(r.json()["message"].as_str().unwrap().contains("AAAA-MM-JJ"));
}

#[tokio::test]
async fn a_cps_waits_for_a_supporting_document_checked_by_its_bytes() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let op = app.login(Card::Operateur).await;
    // A CPS for a nurse (60): regulated, not under the RPPS simplification.
    let file = String::from_utf8(cpe_order_for_a("R", "000321"))
        .unwrap()
        .replace("<typeCarte>CPE</typeCarte>", "<typeCarte>CPS</typeCarte>")
        .replace("<fonction>FON-33</fonction>", "<profession>60</profession>");
    let r = app
        .submit(Card::MandataireA, &a, STRUCTURE_A, "k", file.into_bytes())
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let id = order_id(&r);
    let detail = app
        .get(Card::MandataireA, &a, &format!("/api/orders/{id}"))
        .await
        .json();
    assert_eq!(detail["lines"][0]["status"], "en_attente_justificatif");
    assert!(
        app.act(&op, &id, 1, "accepter", None).await.json()["message"]
            .as_str()
            .unwrap()
            .contains("justificatif")
    );

    let path = format!("/api/orders/{id}/lines/1/document");
    // A text file named .pdf is no PDF.
    let r = app
        .call(
            Card::MandataireA,
            &a,
            "PUT",
            &path,
            &[],
            b"pas un PDF".to_vec(),
        )
        .await;
    assert_eq!((r.status, r.code()), (415, "document_invalid".into()));
    let r = app
        .call(
            Card::MandataireA,
            &a,
            "PUT",
            &path,
            &[],
            vec![b'%'; 6 * 1024 * 1024],
        )
        .await;
    assert_eq!(r.status, 413);
    let png = b"\x89PNG\r\n\x1a\n0000".to_vec();
    let r = app
        .call(Card::MandataireA, &a, "PUT", &path, &[], png.clone())
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["status"], "soumise");
    let back = app.get(Card::Operateur, &op, &path).await;
    assert_eq!(back.header("content-type").unwrap(), "image/png");
    assert_eq!(back.body.to_vec(), png);
    // Once is enough.
    let r = app
        .call(
            Card::MandataireA,
            &a,
            "PUT",
            &path,
            &[],
            b"%PDF-1.7".to_vec(),
        )
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(
        app.act(&op, &id, 1, "accepter", None).await.json()["status"],
        "acceptee"
    );
}

#[tokio::test]
async fn a_failure_midway_stores_nothing_and_the_same_submission_then_goes_through() {
    let app = spawn_app().await;
    let s = app.login(Card::MandataireA).await;
    // Sabotage: the 1 500th line of any order cannot be inserted.
    let sabotage: &[&str] = match app.db.backend() {
        "sqlite" => &[
            "CREATE TRIGGER sabotage BEFORE INSERT ON order_lines WHEN NEW.line_no = 1500 \
             BEGIN SELECT RAISE(ABORT, 'sabotage'); END",
        ],
        _ => &[
            "CREATE FUNCTION sabotage() RETURNS trigger AS $$ BEGIN \
             IF NEW.line_no = 1500 THEN RAISE EXCEPTION 'sabotage'; END IF; RETURN NEW; END $$ \
             LANGUAGE plpgsql",
            "CREATE TRIGGER sabotage BEFORE INSERT ON order_lines FOR EACH ROW \
             EXECUTE FUNCTION sabotage()",
        ],
    };
    for sql in sabotage {
        server::db::execute_statement(&app.db, sql).await.unwrap();
    }
    let file = generated_order_for_a(2000, 5);
    let r = app
        .submit(Card::MandataireA, &s, STRUCTURE_A, "k", file.clone())
        .await;
    assert_eq!(r.status, 500);
    assert_eq!(r.code(), "internal");
    let list = app.orders_of_a(&s).await;
    assert!(
        list.json().as_array().unwrap().is_empty(),
        "rien d'enregistré"
    );

    let repair = match app.db.backend() {
        "sqlite" => "DROP TRIGGER sabotage",
        _ => "DROP TRIGGER sabotage ON order_lines",
    };
    server::db::execute_statement(&app.db, repair)
        .await
        .unwrap();
    // The retry with the same key is a new order, whole: the failed one left no trace.
    let r = app
        .submit(Card::MandataireA, &s, STRUCTURE_A, "k", file)
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["order"]["line_count"], 2000);
    let detail = app
        .get(
            Card::MandataireA,
            &s,
            &format!("/api/orders/{}", order_id(&r)),
        )
        .await;
    assert_eq!(detail.json()["lines"].as_array().unwrap().len(), 2000);
}

#[tokio::test]
async fn two_operators_acting_at_once_on_a_line_apply_it_once() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let op = app.login(Card::Operateur).await;
    let id = app.cpe_order_of_a(&a, "9").await;
    app.act(&op, &id, 1, "accepter", None).await;
    let (x, y) = tokio::join!(
        app.act(&op, &id, 1, "fabriquer", None),
        app.act(&op, &id, 1, "fabriquer", None),
    );
    let mut statuses = [x.status, y.status];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let issued = app
        .fleet_of_a(&a, "3940000011/9")
        .await
        .iter()
        .filter(|c| c["national_id"] == "3940000011/9")
        .count();
    assert_eq!(issued, 1, "une seule carte fabriquée");
}

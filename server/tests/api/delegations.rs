//! Delegations (formerly form 502): the legal representative designates a mandataire with a
//! copy of their identity document; rights start at the operator's validation and stop at once
//! when the mandate ends; a change ends the replaced mandate; rejection with a reason; the
//! document's retention; who may do what.

use std::sync::Arc;

use rustls::ClientConfig;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::orders::cpe_order_for_a;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const BOUNDARY: &str = "----tom-designation";

/// A multipart/form-data body: the « demande » JSON and, when given, the « piece » file.
fn designation_body(request: &Value, document: Option<&[u8]>) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"demande\"\r\n\
         Content-Type: application/json\r\n\r\n{request}\r\n"
    )
    .into_bytes();
    if let Some(document) = document {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"piece\"; \
                 filename=\"piece.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(document);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn existing(national_id: &str, family: &str, given: &str) -> Value {
    json!({ "card": { "kind": "existing", "national_id": national_id,
        "family_name": family, "given_name": given } })
}

/// The identifiant national of A's CPE for `matricule`.
fn id_of_a(matricule: &str) -> String {
    format!("3940000011/{matricule}")
}

/// A holder presenting their own card (not one of the test PKI's), logged in.
struct Holder {
    client: Arc<ClientConfig>,
    session: Session,
}

impl TestApp {
    async fn designate(
        &self,
        card: Card,
        session: &Session,
        request: &Value,
        document: Option<&[u8]>,
    ) -> TestResponse {
        let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
        self.call(
            card,
            session,
            "POST",
            &format!("/api/structures/{STRUCTURE_A}/delegations"),
            &[("content-type", &content_type)],
            designation_body(request, document),
        )
        .await
    }

    async fn decide(&self, op: &Session, id: &str, verb: &str, body: Value) -> TestResponse {
        self.post_json(
            Card::Operateur,
            op,
            &format!("/api/backoffice/delegations/{id}/{verb}"),
            body,
        )
        .await
    }

    async fn holder_login(&self, client: Arc<ClientConfig>) -> Holder {
        let origin = format!("https://localhost:{}", self.addr.port());
        let (r, _) = send(
            self.addr,
            client.clone(),
            "POST",
            "/api/session",
            &[("x-csrf-token", "connexion"), ("origin", &origin)],
            Vec::new(),
        )
        .await;
        Holder {
            client,
            session: Session::opened_by(&r),
        }
    }

    async fn holder_call(
        &self,
        h: &Holder,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> TestResponse {
        let origin = format!("https://localhost:{}", self.addr.port());
        let mut all = vec![
            ("cookie", h.session.cookie.as_str()),
            ("x-csrf-token", h.session.csrf.as_str()),
            ("origin", origin.as_str()),
        ];
        all.extend_from_slice(headers);
        send(self.addr, h.client.clone(), method, path, &all, body)
            .await
            .0
    }

    /// Sessions of mandataire A, the operator and A's legal representative.
    async fn three_sessions(&self) -> (Session, Session, Session) {
        (
            self.login(Card::MandataireA).await,
            self.login(Card::Operateur).await,
            self.login(Card::RepresentantLegalA).await,
        )
    }

    fn martin_id(&self) -> String {
        let card = self
            .manifest
            .cards
            .iter()
            .find(|c| c.name == "mandataire-a");
        card.unwrap().national_id.clone()
    }

    async fn audit_actions(&self, op: &Session) -> Vec<String> {
        let r = self
            .get(
                Card::Operateur,
                op,
                &format!("/api/structures/{STRUCTURE_A}/audit"),
            )
            .await;
        r.json()["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_string())
            .collect()
    }
}

#[tokio::test]
async fn a_designated_mandataire_acts_from_the_validation_until_the_mandate_ends() {
    let app = spawn_app().await;
    let (a, op, rl) = app.three_sessions().await;
    // Julie LOUIN has a card of A (ordered and fabricated as usual).
    let (_, client) = app.fabricated_card(&a, &op, "000901").await;
    let julie = app.holder_login(client).await;
    let structure = format!("/api/structures/{STRUCTURE_A}");
    let r = app
        .holder_call(&julie, "GET", &structure, &[], Vec::new())
        .await;
    assert_eq!((r.status, r.code().as_str()), (403, "forbidden_structure"));

    // The legal representative designates her, with her identity document (names in any case).
    let r = app
        .designate(
            Card::RepresentantLegalA,
            &rl,
            &existing(&id_of_a("000901"), "Louin", "julie"),
            Some(PDF),
        )
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let d = r.json();
    assert_eq!(d["status"], "en_attente");
    assert_eq!(d["family_name"], "LOUIN");
    assert_eq!(d["document"]["media_type"], "application/pdf");
    let id = d["id"].as_str().unwrap().to_string();

    // Nothing starts before the operator's validation.
    let r = app
        .holder_call(&julie, "GET", &structure, &[], Vec::new())
        .await;
    assert_eq!(r.status, 403);
    let waiting = app
        .get(Card::Operateur, &op, "/api/backoffice/delegations")
        .await
        .json();
    assert!(waiting["delegations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["id"] == id.as_str()));
    let piece = app
        .get(
            Card::Operateur,
            &op,
            &format!("{structure}/delegations/{id}/piece"),
        )
        .await;
    assert_eq!(piece.status, 200);
    assert_eq!(piece.body, PDF);
    assert_eq!(piece.header("content-type").unwrap(), "application/pdf");
    assert_eq!(piece.header("cache-control").unwrap(), "no-store");

    let r = app.decide(&op, &id, "validation", json!({})).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["status"], "validee");
    let r = app
        .decide(&op, &id, "rejet", json!({ "reason": "Trop tard" }))
        .await;
    assert_eq!((r.status, r.code().as_str()), (409, "action_refused"));

    // From now on she acts for A: she orders a card.
    let me = app
        .holder_call(&julie, "GET", "/api/me", &[], Vec::new())
        .await
        .json();
    assert!(
        me["structures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == STRUCTURE_A && s["role"] == "mandataire"),
        "{me}"
    );
    let r = app
        .holder_call(
            &julie,
            "POST",
            &format!("{structure}/orders"),
            &[
                ("idempotency-key", "julie-1"),
                ("content-type", "application/xml"),
            ],
            cpe_order_for_a("JULIE-1", "000902"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));

    // The legal representative ends her mandate: her next call is refused, saying why.
    let r = app
        .post_json(
            Card::RepresentantLegalA,
            &rl,
            &format!("{structure}/mandataires/fin"),
            json!({ "national_id": id_of_a("000901") }),
        )
        .await;
    assert_eq!(r.status, 200);
    let r = app
        .holder_call(
            &julie,
            "POST",
            &format!("{structure}/orders"),
            &[
                ("idempotency-key", "julie-2"),
                ("content-type", "application/xml"),
            ],
            cpe_order_for_a("JULIE-2", "000903"),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (403, "mandate_ended"));

    let actions = app.audit_actions(&op).await;
    for action in [
        "delegation_demandee",
        "piece_identite_consultee",
        "delegation_validee",
        "mandat_termine",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} : {actions:?}"
        );
    }
}

#[tokio::test]
async fn a_designation_is_refused_with_the_reason_when_form_502_would_be() {
    let app = spawn_app().await;
    let (a, op, rl) = app.three_sessions().await;
    app.fabricated_card(&a, &op, "000911").await;
    let julie = existing(&id_of_a("000911"), "LOUIN", "Julie");
    // (request, document, status, code, what the message says)
    type Case = (Value, Option<Vec<u8>>, u16, &'static str, &'static str);
    let cases: Vec<Case> = vec![
        (
            julie.clone(),
            None,
            400,
            "invalid_request",
            "pièce d'identité",
        ),
        (
            julie.clone(),
            Some(b"Bonjour".to_vec()),
            415,
            "document_invalid",
            "PDF, JPEG ou PNG",
        ),
        (
            julie.clone(),
            Some(b"GIF89a....".to_vec()),
            415,
            "document_invalid",
            "PDF",
        ),
        (
            julie.clone(),
            Some([PDF, &vec![b' '; 5 * 1024 * 1024]].concat()),
            413,
            "payload_too_large",
            "5 Mo",
        ),
        (
            existing(&id_of_a("999999"), "LOUIN", "Julie"),
            Some(PDF.to_vec()),
            400,
            "invalid_request",
            "Aucune carte en cours de validité ne porte l'identifiant national 3940000011/999999 avec ce nom",
        ),
        (
            existing(&id_of_a("000911"), "DUPONT", "Julie"),
            Some(PDF.to_vec()),
            400,
            "invalid_request",
            "avec ce nom et ce prénom",
        ),
        (
            existing("MARTIN", "LOUIN", "Julie"),
            Some(PDF.to_vec()),
            400,
            "invalid_request",
            "identifiant national",
        ),
        (
            json!({ "card": { "kind": "autre" } }),
            Some(PDF.to_vec()),
            400,
            "invalid_request",
            "illisible",
        ),
    ];
    for (request, document, status, code, says) in cases {
        let r = app
            .designate(Card::RepresentantLegalA, &rl, &request, document.as_deref())
            .await;
        let body = r.json();
        assert_eq!(
            (r.status, r.code().as_str()),
            (status, code),
            "{request} : {body}"
        );
        assert!(body["message"].as_str().unwrap().contains(says), "{body}");
    }
    // Sophie MARTIN is mandataire already.
    let martin = app.martin_id();
    let r = app
        .designate(
            Card::RepresentantLegalA,
            &rl,
            &existing(&martin, "MARTIN", "Sophie"),
            Some(PDF),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (409, "action_refused"));
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("déjà mandataire"));
    // One designation of a person waits at a time.
    let r = app
        .designate(Card::RepresentantLegalA, &rl, &julie, Some(PDF))
        .await;
    assert_eq!(r.status, 201);
    let r = app
        .designate(Card::RepresentantLegalA, &rl, &julie, Some(PDF))
        .await;
    assert_eq!((r.status, r.code().as_str()), (409, "action_refused"));
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("attend déjà"));
    // A change names a current mandataire.
    let mut change = existing(&id_of_a("000911"), "LOUIN", "Julie");
    change["replaces"] = json!(id_of_a("424242"));
    let r = app
        .designate(Card::RepresentantLegalA, &rl, &change, Some(PDF))
        .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn a_card_is_ordered_with_the_designation_unless_the_person_has_one() {
    let app = spawn_app().await;
    let (a, op, rl) = app.three_sessions().await;
    let order_xml = |reference: &str, matricule: &str| {
        String::from_utf8(cpe_order_for_a(reference, matricule)).unwrap()
    };
    let new = |xml: String| json!({ "card": { "kind": "new", "order_xml": xml } });
    let r = app
        .designate(
            Card::RepresentantLegalA,
            &rl,
            &new(order_xml("DESIGNATION-1", "000921")),
            Some(PDF),
        )
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let d = r.json();
    assert_eq!(d["national_id"], id_of_a("000921"));
    let order = d["order_id"].as_str().unwrap();
    let o = app
        .get(
            Card::RepresentantLegalA,
            &rl,
            &format!("/api/orders/{order}"),
        )
        .await
        .json();
    assert_eq!(o["lines"].as_array().unwrap().len(), 1, "{o}");

    // A person with a card in force gets no second one (seed rule), by identifiant or by name
    // and birth date among the structure's cards.
    app.fabricated_card(&a, &op, "000922").await;
    for (reference, matricule) in [("DESIGNATION-2", "000922"), ("DESIGNATION-3", "000923")] {
        let r = app
            .designate(
                Card::RepresentantLegalA,
                &rl,
                &new(order_xml(reference, matricule)),
                Some(PDF),
            )
            .await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (409, "action_refused"),
            "{matricule}"
        );
        let message = r.json()["message"].as_str().unwrap().to_string();
        assert!(message.contains(&id_of_a("000922")), "{message}");
    }
    // The order is checked as any order: one card request only, valid, for this structure.
    let two = String::from_utf8(crate::orders::generated_order_for_a(2, 7)).unwrap();
    let r = app
        .designate(Card::RepresentantLegalA, &rl, &new(two), Some(PDF))
        .await;
    assert_eq!(
        r.code(),
        "invalid_request",
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let broken = order_xml("DESIGNATION-5", "000926")
        .replace("<prenoms>Julie</prenoms>", "<prenoms></prenoms>");
    let r = app
        .designate(Card::RepresentantLegalA, &rl, &new(broken), Some(PDF))
        .await;
    assert_eq!((r.status, r.code().as_str()), (422, "invalid_order"));
    let other = order_xml("DESIGNATION-6", "000927").replace("940000011", "940000029");
    let r = app
        .designate(Card::RepresentantLegalA, &rl, &new(other), Some(PDF))
        .await;
    assert_eq!(r.status, 422);
}

#[tokio::test]
async fn a_change_of_mandataire_ends_the_replaced_mandate_at_the_validation() {
    let app = spawn_app().await;
    let (a, op, rl) = app.three_sessions().await;
    app.fabricated_card(&a, &op, "000931").await;
    let martin = app.martin_id();
    let mut change = existing(&id_of_a("000931"), "LOUIN", "Julie");
    change["replaces"] = json!(martin);
    let r = app
        .designate(Card::RepresentantLegalA, &rl, &change, Some(PDF))
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let id = r.json()["id"].as_str().unwrap().to_string();
    // Until the validation, Sophie MARTIN still acts.
    assert_eq!(
        app.get_structure(Card::MandataireA, &a, STRUCTURE_A)
            .await
            .status,
        200
    );
    assert_eq!(
        app.decide(&op, &id, "validation", json!({})).await.status,
        200
    );
    let r = app.get_structure(Card::MandataireA, &a, STRUCTURE_A).await;
    assert_eq!((r.status, r.code().as_str()), (403, "mandate_ended"));
    let people = app
        .get_structure(Card::RepresentantLegalA, &rl, STRUCTURE_A)
        .await
        .json()["people"]
        .clone();
    assert!(
        people
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["national_id"] == id_of_a("000931").as_str() && p["role"] == "mandataire"),
        "{people}"
    );
}

#[tokio::test]
async fn a_rejection_says_why_and_the_document_is_deleted_after_its_retention() {
    let app = spawn_app().await;
    let (a, op, rl) = app.three_sessions().await;
    app.fabricated_card(&a, &op, "000941").await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let r = app
        .designate(
            Card::RepresentantLegalA,
            &rl,
            &existing(&id_of_a("000941"), "LOUIN", "Julie"),
            Some(png),
        )
        .await;
    assert_eq!(r.status, 201);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let r = app
        .decide(&op, &id, "rejet", json!({ "reason": " " }))
        .await;
    assert_eq!((r.status, r.code().as_str()), (400, "invalid_request"));
    let r = app
        .decide(
            &op,
            &id,
            "rejet",
            json!({ "reason": "Pièce d'identité illisible" }),
        )
        .await;
    assert_eq!(r.status, 200);
    // The legal representative reads the reason; the document is still there for now.
    let path = format!("/api/structures/{STRUCTURE_A}/delegations");
    let list = app.get(Card::RepresentantLegalA, &rl, &path).await.json();
    let d = list["delegations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == id.as_str())
        .unwrap()
        .clone();
    assert_eq!(d["status"], "rejetee");
    assert_eq!(d["reason"], "Pièce d'identité illisible");
    assert_eq!(list["retention_days"], 30);
    let piece = app
        .get(Card::RepresentantLegalA, &rl, &format!("{path}/{id}/piece"))
        .await;
    assert_eq!(
        (piece.status, piece.header("content-type").unwrap().as_str()),
        (200, "image/png")
    );

    // Thirty days after the decision, the jobs delete it (the purge is given the day it runs).
    use server::state::Clock;
    let now = app.clock.now();
    let purge =
        |days: i64| server::delegations::purge::purge_documents(&app.db, now + days * 86_400);
    assert_eq!(purge(29).await.unwrap(), 0);
    assert_eq!(purge(31).await.unwrap(), 1);
    assert_eq!(purge(32).await.unwrap(), 0);
    let piece = app
        .get(Card::RepresentantLegalA, &rl, &format!("{path}/{id}/piece"))
        .await;
    assert_eq!(piece.status, 404);
    assert!(piece.json()["message"]
        .as_str()
        .unwrap()
        .contains("n'est plus conservée"));
    let list = app.get(Card::RepresentantLegalA, &rl, &path).await.json();
    assert!(list["delegations"][0]["document"].is_null(), "{list}");
    assert!(app
        .audit_actions(&op)
        .await
        .iter()
        .any(|a| a == "piece_identite_supprimee"));
}

#[tokio::test]
async fn who_may_designate_read_the_document_and_decide() {
    let app = spawn_app().await;
    let (a, op, rl, b) = (
        app.login(Card::MandataireA).await,
        app.login(Card::Operateur).await,
        app.login(Card::RepresentantLegalA).await,
        app.login(Card::MandataireB).await,
    );
    app.fabricated_card(&a, &op, "000951").await;
    let julie = existing(&id_of_a("000951"), "LOUIN", "Julie");
    // Designating: the structure's own legal representative only.
    for (card, session, status, code) in [
        (Card::MandataireA, &a, 403, "legal_representative_only"),
        (Card::MandataireB, &b, 403, "forbidden_structure"),
        (Card::Operateur, &op, 403, "forbidden_structure"),
    ] {
        let r = app.designate(card, session, &julie, Some(PDF)).await;
        assert_eq!((r.status, r.code().as_str()), (status, code), "{card:?}");
    }
    let r = app
        .designate(Card::RepresentantLegalA, &rl, &julie, Some(PDF))
        .await;
    assert_eq!(r.status, 201);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let list = format!("/api/structures/{STRUCTURE_A}/delegations");
    let piece = format!("{list}/{id}/piece");
    let withdraw = format!("{list}/{id}/retrait");
    // Reading the list and the document: the legal representative and operators.
    for (card, session, status) in [
        (Card::RepresentantLegalA, &rl, 200),
        (Card::Operateur, &op, 200),
        (Card::MandataireA, &a, 403),
        (Card::MandataireB, &b, 403),
    ] {
        assert_eq!(
            app.get(card, session, &list).await.status,
            status,
            "{card:?} liste"
        );
        assert_eq!(
            app.get(card, session, &piece).await.status,
            status,
            "{card:?} pièce"
        );
    }
    // No session, no card.
    for path in [&list, &piece, &"/api/backoffice/delegations".to_string()] {
        assert_eq!(
            app.request(Some(Card::MandataireA), "GET", path, &[])
                .await
                .status,
            401,
            "{path}"
        );
        assert_eq!(
            app.request(None, "GET", path, &[]).await.status,
            401,
            "{path}"
        );
    }
    // Deciding: operators only.
    for (card, session) in [
        (Card::RepresentantLegalA, &rl),
        (Card::MandataireA, &a),
        (Card::MandataireB, &b),
    ] {
        let r = app
            .post_json(
                card,
                session,
                &format!("/api/backoffice/delegations/{id}/validation"),
                json!({}),
            )
            .await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (403, "operator_only"),
            "{card:?}"
        );
        assert_eq!(
            app.get(card, session, "/api/backoffice/delegations")
                .await
                .status,
            403
        );
    }
    // Withdrawing: the structure's own legal representative.
    for (card, session, status) in [
        (Card::MandataireA, &a, 403),
        (Card::Operateur, &op, 403),
        (Card::MandataireB, &b, 403),
    ] {
        assert_eq!(
            app.post_json(card, session, &withdraw, json!({}))
                .await
                .status,
            status,
            "{card:?}"
        );
    }
    let r = app
        .post_json(Card::RepresentantLegalA, &rl, &withdraw, json!({}))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "retiree");
    let r = app.decide(&op, &id, "validation", json!({})).await;
    assert_eq!((r.status, r.code().as_str()), (409, "action_refused"));
    // An unknown or malformed number is not found.
    for bad in ["D0000000000000000", "../x", "D12"] {
        let r = app.decide(&op, bad, "validation", json!({})).await;
        assert_eq!(r.status, 404, "{bad}");
    }
    // An ended mandataire is told why on every delegation route.
    let martin = app.martin_id();
    let r = app
        .post_json(
            Card::RepresentantLegalA,
            &rl,
            &format!("/api/structures/{STRUCTURE_A}/mandataires/fin"),
            json!({ "national_id": martin }),
        )
        .await;
    assert_eq!(r.status, 200);
    for r in [
        app.get(Card::MandataireA, &a, &list).await,
        app.get(Card::MandataireA, &a, &piece).await,
        app.designate(Card::MandataireA, &a, &julie, Some(PDF))
            .await,
    ] {
        assert_eq!((r.status, r.code().as_str()), (403, "mandate_ended"));
    }
}

/// A call with a session and, when given, a body of `content_type`.
async fn call_as(
    app: &TestApp,
    card: Card,
    session: &Session,
    method: &str,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> TestResponse {
    let typed = [("content-type", content_type)];
    let headers: &[(&str, &str)] = if content_type.is_empty() { &[] } else { &typed };
    app.call(card, session, method, path, headers, body).await
}

/// Who may call each endpoint of structures, the register, contracts and delegations: the
/// structure's legal representative, its mandataire, a mandataire of another structure, an
/// operator, a mandataire whose mandate ended, and a card without a session. An allowed call
/// passes authorization (what it then answers is each feature's own test); a refused one gets
/// the status and code that say why.
#[tokio::test]
async fn the_authorization_matrix_of_structures_register_contracts_and_delegations() {
    use Who::*;
    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Who {
        Rl,
        Ma,
        Mb,
        Op,
    }
    let app = spawn_app().await;
    let (a, op, rl) = app.three_sessions().await;
    let b = app.login(Card::MandataireB).await;
    app.fabricated_card(&a, &op, "000961").await;
    let r = app
        .designate(
            Card::RepresentantLegalA,
            &rl,
            &existing(&id_of_a("000961"), "LOUIN", "Julie"),
            Some(PDF),
        )
        .await;
    let id = r.json()["id"].as_str().unwrap().to_string();
    let s = format!("/api/structures/{STRUCTURE_A}");
    let json = "application/json";
    let multipart = format!("multipart/form-data; boundary={BOUNDARY}");
    let designation = designation_body(&existing(&id_of_a("000961"), "LOUIN", "Julie"), Some(PDF));
    let coordinates = json!({ "name": "CH DEMO A", "address_line": "12 RUE DES LILAS",
        "address_complement": "", "postal_line": "94000 CRETEIL", "phone": "0145171234",
        "email": "contact@example.fr" })
    .to_string()
    .into_bytes();
    let contract = json!({ "structure_id": STRUCTURE_B, "national_id": "3940000029/77777",
        "family_name": "DUPONT", "given_name": "Anne" })
    .to_string()
    .into_bytes();
    let extract = b"finess;etalab;0;2024-06-30\n".to_vec();
    // (method, path, content type, body, who may call it, refusal for the others)
    let structure_readers: &[Who] = &[Rl, Ma, Op];
    let acting: &[Who] = &[Rl, Ma];
    let legal: &[Who] = &[Rl];
    let legal_or_op: &[Who] = &[Rl, Op];
    let operators: &[Who] = &[Op];
    type Route<'a> = (&'a str, String, &'a str, Vec<u8>, &'a [Who]);
    let routes: Vec<Route> = vec![
        ("GET", s.clone(), "", vec![], structure_readers),
        ("PUT", s.clone(), json, coordinates, acting),
        ("GET", format!("{s}/history"), "", vec![], structure_readers),
        ("GET", format!("{s}/delegations"), "", vec![], legal_or_op),
        (
            "GET",
            format!("{s}/delegations/{id}/piece"),
            "",
            vec![],
            legal_or_op,
        ),
        (
            "POST",
            format!("{s}/delegations"),
            &multipart,
            designation,
            legal,
        ),
        (
            "POST",
            format!("{s}/delegations/{id}/retrait"),
            json,
            b"{}".to_vec(),
            legal,
        ),
        (
            "POST",
            format!("{s}/mandataires/fin"),
            json,
            json!({ "national_id": "3940000011/424242" })
                .to_string()
                .into_bytes(),
            legal,
        ),
        (
            "GET",
            "/api/backoffice/delegations".into(),
            "",
            vec![],
            operators,
        ),
        (
            "POST",
            format!("/api/backoffice/delegations/{id}/validation"),
            json,
            b"{}".to_vec(),
            operators,
        ),
        (
            "POST",
            format!("/api/backoffice/delegations/{id}/rejet"),
            json,
            json!({ "reason": "?" }).to_string().into_bytes(),
            operators,
        ),
        (
            "POST",
            "/api/backoffice/register".into(),
            "text/plain",
            extract,
            operators,
        ),
        (
            "POST",
            "/api/backoffice/contracts".into(),
            json,
            contract,
            operators,
        ),
    ];
    let sessions = [
        (Rl, Card::RepresentantLegalA, &rl),
        (Ma, Card::MandataireA, &a),
        (Mb, Card::MandataireB, &b),
        (Op, Card::Operateur, &op),
    ];
    for (method, path, content_type, body, allowed) in &routes {
        for (who, card, session) in sessions {
            let r = call_as(
                &app,
                card,
                session,
                method,
                path,
                content_type,
                body.clone(),
            )
            .await;
            let what = format!(
                "{who:?} {method} {path} : {} {}",
                r.status,
                String::from_utf8_lossy(&r.body)
            );
            if allowed.contains(&who) {
                assert!(![401, 403].contains(&r.status), "autorisé : {what}");
                continue;
            }
            let expected = match (who, *allowed) {
                (_, a) if a == operators => "operator_only",
                (Ma, a) if a == legal || a == legal_or_op => "legal_representative_only",
                _ => "forbidden_structure",
            };
            assert_eq!(
                (r.status, r.code().as_str()),
                (403, expected),
                "refusé : {what}"
            );
        }
        // A card without a session is asked to log in.
        let headers: &[(&str, &str)] = &[];
        let r = app
            .request(Some(Card::MandataireA), method, path, headers)
            .await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (401, "session_required"),
            "{method} {path}"
        );
    }
    // Once the legal representative ends mandataire A's mandate, A's routes say so.
    let r = app
        .post_json(
            Card::RepresentantLegalA,
            &rl,
            &format!("{s}/mandataires/fin"),
            json!({ "national_id": app.martin_id() }),
        )
        .await;
    assert_eq!(r.status, 200);
    for (method, path, content_type, body, allowed) in &routes {
        let r = call_as(
            &app,
            Card::MandataireA,
            &a,
            method,
            path,
            content_type,
            body.clone(),
        )
        .await;
        let expected = if *allowed == operators {
            "operator_only"
        } else {
            "mandate_ended"
        };
        assert_eq!(
            (r.status, r.code().as_str()),
            (403, expected),
            "fin de mandat : {method} {path}"
        );
    }
}

#[tokio::test]
async fn no_second_card_for_the_same_person_under_another_name_or_an_order_on_its_way() {
    let app = spawn_app().await;
    let (a, op, rl) = app.three_sessions().await;
    let order_xml = |reference: &str, matricule: &str| {
        String::from_utf8(cpe_order_for_a(reference, matricule)).unwrap()
    };
    let new = |xml: String| json!({ "card": { "kind": "new", "order_xml": xml } });
    // Julie LOUIN has a card; married, she is Julie MARCHAND: the same person, no second card.
    app.fabricated_card(&a, &op, "000981").await;
    let married = order_xml("D-1", "000982").replace(
        "<nomNaissance>LOUIN</nomNaissance>",
        "<nomNaissance>LOUIN</nomNaissance><nomUsage>MARCHAND</nomUsage>",
    );
    let r = app
        .designate(Card::RepresentantLegalA, &rl, &new(married), Some(PDF))
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (409, "action_refused"),
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("3940000011/000981"));
    // Paul GEMEAU has no card: his first designation orders one; a second one, under another
    // matricule, finds that order on its way.
    let paul = |reference: &str, matricule: &str| {
        order_xml(reference, matricule)
            .replace(
                "<nomNaissance>LOUIN</nomNaissance>",
                "<nomNaissance>GEMEAU</nomNaissance>",
            )
            .replace("<prenoms>Julie</prenoms>", "<prenoms>Paul</prenoms>")
    };
    let r = app
        .designate(
            Card::RepresentantLegalA,
            &rl,
            &new(paul("D-2", "000983")),
            Some(PDF),
        )
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let first = r.json();
    let r = app
        .designate(
            Card::RepresentantLegalA,
            &rl,
            &new(paul("D-3", "000984")),
            Some(PDF),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (409, "action_refused"));
    let order = first["order_id"].as_str().unwrap();
    assert!(
        r.json()["message"].as_str().unwrap().contains(order),
        "{}",
        r.json()
    );
    // Rejected, the designation takes its card request with it (nobody had acted on it yet).
    let id = first["id"].as_str().unwrap();
    let r = app
        .decide(
            &op,
            id,
            "rejet",
            json!({ "reason": "Personne inconnue du service" }),
        )
        .await;
    assert_eq!(r.status, 200);
    let o = app
        .get(
            Card::RepresentantLegalA,
            &rl,
            &format!("/api/orders/{order}"),
        )
        .await
        .json();
    assert_eq!(o["lines"][0]["status"], "rejetee", "{o}");
    assert!(o["lines"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("Personne inconnue du service"));
}

#[tokio::test]
async fn the_legal_representative_is_not_designated_and_a_mandataire_is_replaced_once() {
    let app = spawn_app().await;
    let (a, op, rl) = app.three_sessions().await;
    let claire = app
        .manifest
        .cards
        .iter()
        .find(|c| c.name == "representant-legal-a")
        .unwrap();
    let r = app
        .designate(
            Card::RepresentantLegalA,
            &rl,
            &existing(&claire.national_id, "DURAND", "Claire"),
            Some(PDF),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (409, "action_refused"));
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("représentant légal"));
    // Nor with a new card ordered under her names (any birth date, any matricule).
    let xml = String::from_utf8(cpe_order_for_a("SOI", "C0001"))
        .unwrap()
        .replace(
            "<nomNaissance>LOUIN</nomNaissance>",
            "<nomNaissance>DURAND</nomNaissance>",
        )
        .replace(
            "<prenoms>Julie</prenoms>",
            "<prenoms>Claire Marie</prenoms>",
        );
    let r = app
        .designate(
            Card::RepresentantLegalA,
            &rl,
            &json!({ "card": { "kind": "new", "order_xml": xml } }),
            Some(PDF),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (409, "action_refused"),
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("représentant légal"));
    // Two replacements of Sophie MARTIN: the second waits for nothing.
    app.fabricated_card(&a, &op, "000991").await;
    app.fabricated_card(&a, &op, "000992").await;
    for (matricule, status) in [("000991", 201), ("000992", 409)] {
        let mut change = existing(&id_of_a(matricule), "LOUIN", "Julie");
        change["replaces"] = json!(app.martin_id());
        let r = app
            .designate(Card::RepresentantLegalA, &rl, &change, Some(PDF))
            .await;
        assert_eq!(
            r.status,
            status,
            "{matricule} : {}",
            String::from_utf8_lossy(&r.body)
        );
    }
    // A designated card lost before the validation: the operator cannot validate it.
    let r = app
        .designate(
            Card::RepresentantLegalA,
            &rl,
            &existing(&id_of_a("000992"), "LOUIN", "Julie"),
            Some(PDF),
        )
        .await;
    assert_eq!(r.status, 201);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let fleet = app
        .get(
            Card::MandataireA,
            &a,
            &format!("/api/structures/{STRUCTURE_A}/fleet?recherche=000992"),
        )
        .await
        .json();
    let serial = fleet["cards"][0]["serial"].as_str().unwrap().to_string();
    let today = shared::fleet::paris_date(app.clock_now()).to_string();
    let r = app
        .post_json(
            Card::MandataireA,
            &a,
            &format!("/api/structures/{STRUCTURE_A}/cards/{serial}/incident"),
            json!({ "nature": "perte", "date": today, "replacement": false }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let r = app.decide(&op, &id, "validation", json!({})).await;
    assert_eq!((r.status, r.code().as_str()), (409, "action_refused"));
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("n'est plus en cours de validité"));
}

#[tokio::test]
async fn an_ended_mandate_of_a_legal_entity_is_explained_in_its_establishments() {
    use crate::register::{extract, line_a};
    let app = spawn_app().await;
    let (a, op, _) = app.three_sessions().await;
    let a2 = "structureet;940000045;940000037;CH A2;CENTRE HOSPITALIER A SITE 2;;;1;RUE;DU PARC;;;081;94;VAL-DE-MARNE;94000 CRETEIL;0145170000;;355;Centre Hospitalier (C.H.);1102;Centres Hospitaliers;;8610Z;03;ARS;1;Etablissement public de santé;1979-02-13;1979-02-13;2024-05-01;";
    let r = app
        .import_register(
            Card::Operateur,
            &op,
            extract("2024-06-30", &[&line_a("0145171234"), a2]),
        )
        .await;
    assert_eq!(r.status, 200);
    // Luc BERNARD is the legal entity's legal representative; he designates Julie for it.
    let bernard = app
        .manifest
        .cards
        .iter()
        .find(|c| c.name == "mandataire-b")
        .unwrap();
    let contract = json!({ "structure_id": "1940000037", "national_id": bernard.national_id, "family_name": "BERNARD", "given_name": "Luc" });
    assert_eq!(
        app.post_contract(Card::Operateur, &op, &contract)
            .await
            .status,
        201
    );
    let (_, client) = app.fabricated_card(&a, &op, "000993").await;
    let b = app.login(Card::MandataireB).await;
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let r = app
        .call(
            Card::MandataireB,
            &b,
            "POST",
            "/api/structures/1940000037/delegations",
            &[("content-type", &content_type)],
            designation_body(&existing(&id_of_a("000993"), "LOUIN", "Julie"), Some(PDF)),
        )
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let id = r.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.decide(&op, &id, "validation", json!({})).await.status,
        200
    );
    let julie = app.holder_login(client).await;
    let a2_path = "/api/structures/1940000045";
    assert_eq!(
        app.holder_call(&julie, "GET", a2_path, &[], Vec::new())
            .await
            .status,
        200
    );
    // He ends it: in the establishments too, Julie is told her mandate ended.
    let r = app
        .post_json(
            Card::MandataireB,
            &b,
            "/api/structures/1940000037/mandataires/fin",
            json!({ "national_id": id_of_a("000993") }),
        )
        .await;
    assert_eq!(r.status, 200);
    for path in [a2_path, "/api/structures/1940000037"] {
        let r = app.holder_call(&julie, "GET", path, &[], Vec::new()).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (403, "mandate_ended"),
            "{path}"
        );
    }
}

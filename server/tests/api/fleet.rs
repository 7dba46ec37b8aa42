//! The fleet: list, filters and paging, chart, card page and history, holder change, end of
//! exercise (today: the card no longer logs in; scheduled: the job applies it), incidents with
//! opposition and replacement, renewals, and who may do what.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::orders::{cpe_order_for_a, order_id};

fn fleet_path(query: &str) -> String {
    format!("/api/structures/{STRUCTURE_A}/fleet?{query}")
}

impl TestApp {
    pub(crate) fn clock_now(&self) -> i64 {
        use server::state::Clock;
        self.clock.now()
    }

    pub(crate) async fn post_json(
        &self,
        card: Card,
        session: &Session,
        path: &str,
        body: Value,
    ) -> TestResponse {
        self.call(
            card,
            session,
            "POST",
            path,
            &[("content-type", "application/json")],
            body.to_string().into_bytes(),
        )
        .await
    }

    /// A card ordered by mandataire A and fabricated by the operator: its serial, and a client
    /// presenting it (its PKCS#12 opened with the PIN of its letter).
    pub(crate) async fn fabricated_card(
        &self,
        a: &Session,
        op: &Session,
        matricule: &str,
    ) -> (String, std::sync::Arc<rustls::ClientConfig>) {
        let r = self
            .submit(
                Card::MandataireA,
                a,
                STRUCTURE_A,
                matricule,
                cpe_order_for_a(matricule, matricule),
            )
            .await;
        let id = order_id(&r);
        assert_eq!(self.act(op, &id, 1, "accepter", None).await.status, 200);
        let r = self.act(op, &id, 1, "fabriquer", None).await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        let serial = r.json()["card"]["serial"].as_str().unwrap().to_string();
        (serial, self.client_of_line(op, &id, 1).await)
    }

    pub(crate) async fn client_of_line(
        &self,
        op: &Session,
        order: &str,
        line: i64,
    ) -> std::sync::Arc<rustls::ClientConfig> {
        let p12 = self
            .get(
                Card::Operateur,
                op,
                &format!("/api/operator/lines/{order}/{line}/carte.p12"),
            )
            .await;
        let pdf = self
            .get(
                Card::Operateur,
                op,
                &format!("/api/operator/lines/{order}/{line}/courrier-codes.pdf"),
            )
            .await;
        let needle = b"Code porteur \\(PIN\\) : ";
        let at = pdf
            .body
            .windows(needle.len())
            .position(|w| w == needle)
            .unwrap()
            + needle.len();
        let pin = String::from_utf8(pdf.body[at..at + 4].to_vec()).unwrap();
        let store = p12_keystore::KeyStore::from_pkcs12(&p12.body, &pin).unwrap();
        let (_, chain) = store.private_key_chain().unwrap();
        let certs: Vec<Vec<u8>> = chain.chain().iter().map(|c| c.as_der().to_vec()).collect();
        client_config_with(&self.pki, certs, chain.key().to_vec())
    }

    async fn card_of_a(&self, a: &Session, serial: &str) -> Value {
        let r = self
            .get(
                Card::MandataireA,
                a,
                &format!("/api/structures/{STRUCTURE_A}/cards/{serial}"),
            )
            .await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        r.json()
    }

    /// The first live demo card of A with a holder record matching `query`.
    async fn live_demo_card(&self, a: &Session, query: &str) -> Value {
        let page = self
            .get(
                Card::MandataireA,
                a,
                &fleet_path(&format!("statut=active&{query}")),
            )
            .await
            .json();
        page["cards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["matricule"].as_str().is_some_and(|m| m.starts_with('M')))
            .cloned()
            .expect("une carte active de démonstration")
    }
}

#[tokio::test]
async fn the_fleet_pages_through_every_card_once_and_filters() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let first = app
        .get(Card::MandataireA, &a, &fleet_path("limite=40"))
        .await
        .json();
    let total = first["total"].as_i64().unwrap();
    assert!(total >= 320, "{total}");
    let mut seen = Vec::new();
    let mut page = first;
    loop {
        for c in page["cards"].as_array().unwrap() {
            seen.push(c["serial"].as_str().unwrap().to_string());
        }
        let Some(next) = page["next"].as_str() else {
            break;
        };
        page = app
            .get(
                Card::MandataireA,
                &a,
                &fleet_path(&format!("limite=40&apres={next}")),
            )
            .await
            .json();
    }
    assert_eq!(seen.len() as i64, total);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "chaque carte une seule fois");

    // Search: a name typed without accents nor case finds the holder; the identifiant too.
    let some = app.live_demo_card(&a, "limite=1").await;
    let family = some["family_name"].as_str().unwrap();
    // Given name first, then the family name: found too.
    let typed = format!(
        "{} {}",
        some["given_name"].as_str().unwrap().to_lowercase(),
        family.to_lowercase()
    );
    let found = app
        .get(
            Card::MandataireA,
            &a,
            &fleet_path(&format!("recherche={}", urlencode(&typed))),
        )
        .await
        .json();
    assert!(
        found["cards"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["serial"] == some["serial"]),
        "{found}"
    );
    let found = app
        .get(
            Card::MandataireA,
            &a,
            &fleet_path(&format!(
                "recherche={}",
                urlencode(some["national_id"].as_str().unwrap())
            )),
        )
        .await
        .json();
    assert_eq!(found["total"], 1, "{found}");

    // Filters: each card returned matches.
    for (query, check) in [
        (
            "type=CDE",
            Box::new(|c: &Value| c["card_type"] == "CDE") as Box<dyn Fn(&Value) -> bool>,
        ),
        (
            "statut=opposee",
            Box::new(|c: &Value| c["state"] == "opposee"),
        ),
        (
            "statut=expiree",
            Box::new(|c: &Value| c["state"] == "expiree"),
        ),
        (
            "profession=10",
            Box::new(|c: &Value| c["profession"] == "10"),
        ),
    ] {
        let r = app
            .get(Card::MandataireA, &a, &fleet_path(query))
            .await
            .json();
        let cards = r["cards"].as_array().unwrap();
        assert!(!cards.is_empty(), "{query}");
        assert!(cards.iter().all(check), "{query}: {r}");
    }

    // The chart: 36 months; a bar's month filters the list to the same count.
    let summary = app
        .get(
            Card::MandataireA,
            &a,
            &format!("/api/structures/{STRUCTURE_A}/fleet/summary"),
        )
        .await
        .json();
    let months = summary["expiries"].as_array().unwrap();
    assert_eq!(months.len(), 36);
    let bar = months
        .iter()
        .find(|m| m["count"].as_i64().unwrap() > 0)
        .unwrap();
    let r = app
        .get(
            Card::MandataireA,
            &a,
            &fleet_path(&format!(
                "statut=active&mois={}",
                bar["month"].as_str().unwrap()
            )),
        )
        .await
        .json();
    assert_eq!(r["total"], bar["count"], "{bar} {r}");
    let states: i64 = summary["states"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["count"].as_i64().unwrap())
        .sum();
    assert_eq!(states, total);
    let soon = app
        .get(Card::MandataireA, &a, &fleet_path("expire_sous_jours=90"))
        .await
        .json();
    assert!(soon["total"].as_i64().unwrap() > 0);
    assert!(soon["cards"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["state"] == "active"));

    // Unreadable parameters: French 400.
    for query in [
        "statut=perdue",
        "mois=2027-13",
        "limite=0",
        "limite=abc",
        "apres=zz",
        "expire_sous_jours=-1",
    ] {
        let r = app.get(Card::MandataireA, &a, &fleet_path(query)).await;
        assert_eq!(
            (r.status, r.code()),
            (400, "invalid_request".to_string()),
            "{query}"
        );
        let message = r.json()["message"].as_str().unwrap().to_string();
        assert!(
            message.contains("illisible") || message.contains("inconnu"),
            "{query}: {message}"
        );
    }
}

fn urlencode(text: &str) -> String {
    shared::api::percent_encode(text)
}

#[tokio::test]
async fn a_holder_change_is_applied_audited_and_refused_for_rpps_identities() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let card = app.live_demo_card(&a, "type=CPE").await;
    let serial = card["serial"].as_str().unwrap();
    let path = format!("/api/structures/{STRUCTURE_A}/cards/{serial}/porteur");
    let pin_address = json!({
        "recipient": "SERVICE DU PERSONNEL", "complement": null, "street_number": "12",
        "street": "RUE DES LILAS", "locality": null, "postal_code": "94000", "city": "CRETEIL", "country": "FR"
    });
    let r = app
        .post_json(
            Card::MandataireA,
            &a,
            &path,
            json!({ "matricule": "", "usual_name": "NOUVEAU-NOM", "pin_address": pin_address }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["card"]["family_name"], "NOUVEAU-NOM");
    let detail = app.card_of_a(&a, serial).await;
    assert_eq!(detail["holder"]["pin_address"]["city"], "CRETEIL");
    let last = detail["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["action"], "porteur_modifie");
    let before: Value = serde_json::from_str(last["before"].as_str().unwrap()).unwrap();
    let after: Value = serde_json::from_str(last["after"].as_str().unwrap()).unwrap();
    assert_ne!(
        before["porteur"]["pin_address"],
        after["porteur"]["pin_address"]
    );
    assert_eq!(after["porteur"]["holder"]["usual_name"], "NOUVEAU-NOM");
    // Found by its new name.
    let found = app
        .get(Card::MandataireA, &a, &fleet_path("recherche=nouveau"))
        .await
        .json();
    assert!(found["cards"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["serial"] == serial));

    // The order rules apply: a postal code of four digits is refused, nothing changes.
    let r = app
        .post_json(Card::MandataireA, &a, &path, json!({ "matricule": "", "card_address": { "recipient": "X", "complement": null, "street_number": null, "street": "RUE A", "locality": null, "postal_code": "9400", "city": "CRETEIL", "country": "FR" } }))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (400, "invalid_request".to_string()),
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    // Nothing to change.
    let r = app
        .post_json(
            Card::MandataireA,
            &a,
            &path,
            json!({ "matricule": "", "usual_name": "NOUVEAU-NOM" }),
        )
        .await;
    assert_eq!(r.status, 400);

    // A doctor's identity comes from the RPPS: refused, the message says why; the e-mail can change.
    let doctor = app.live_demo_card(&a, "profession=10").await;
    let dpath = format!(
        "/api/structures/{STRUCTURE_A}/cards/{}/porteur",
        doctor["serial"].as_str().unwrap()
    );
    let detail = app.card_of_a(&a, doctor["serial"].as_str().unwrap()).await;
    assert_eq!(detail["identity_locked"], true);
    let r = app
        .post_json(
            Card::MandataireA,
            &a,
            &dpath,
            json!({ "matricule": "", "birth_name": "AUTRE" }),
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(r.json()["message"].as_str().unwrap().contains("RPPS"));
    // Nor through the profession, which would lift the lock.
    let r = app
        .post_json(
            Card::MandataireA,
            &a,
            &dpath,
            json!({ "matricule": "", "activity": { "role": { "kind": "profession", "code": "60" }, "rpps": null, "sector": "SA33", "activity_kind": null, "practice_mode": null } }),
        )
        .await;
    assert_eq!(r.status, 409, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        app.card_of_a(&a, doctor["serial"].as_str().unwrap()).await["identity_locked"],
        true
    );
    // Their CPS is not renewed by TOM either: it comes from their order.
    let r = app
        .post_json(
            Card::MandataireA,
            &a,
            &format!("/api/structures/{STRUCTURE_A}/fleet/renewals"),
            json!({ "serials": [doctor["serial"]] }),
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(
        r.json()["message"].as_str().unwrap().contains("RPPS"),
        "{}",
        r.json()
    );
    let r = app
        .post_json(
            Card::MandataireA,
            &a,
            &dpath,
            json!({ "matricule": "", "email": "dr.nouveau@hopital.example.fr" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
}

#[tokio::test]
async fn an_end_of_exercise_revokes_the_card_at_once_and_ends_the_mandates() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let op = app.login(Card::Operateur).await;
    let (serial, client) = app.fabricated_card(&a, &op, "000881").await;
    let (diag, _) = diagnostic_over(app.addr, client.clone()).await;
    assert_eq!(diag["verdict"], "ok", "{diag}");

    let path = format!("/api/structures/{STRUCTURE_A}/cards/{serial}/fin-exercice");
    let r = app
        .post_json(
            Card::MandataireA,
            &a,
            &path,
            json!({ "date": "2001-01-01" }),
        )
        .await;
    assert_eq!(r.status, 400);
    let today = shared::fleet::paris_date(app.clock_now()).to_string();
    let r = app
        .post_json(Card::MandataireA, &a, &path, json!({ "date": today }))
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["card"]["state"], "fin_exercice");
    // This instance applies its new CRL at once: the card is refused as revoked.
    let (diag, _) = diagnostic_over(app.addr, client.clone()).await;
    assert_eq!(diag["verdict"], "revoked", "{diag}");
    // The CRL served at its distribution point lists it, with its reason.
    let crl = app.request(None, "GET", "/crl/personnes.crl", &[]).await;
    assert_eq!(crl.header("content-type").unwrap(), "application/pkix-crl");
    let (_, parsed) = x509_parser::parse_x509_crl(&crl.body).unwrap();
    let entry = parsed
        .iter_revoked_certificates()
        .find(|r| hex::encode(r.raw_serial()) == serial)
        .expect("la carte dans la CRL publiée");
    assert_eq!(entry.reason_code().unwrap().1 .0, 5, "cessationOfOperation");
    // A second declaration is refused with the card's state.
    let r = app
        .post_json(Card::MandataireA, &a, &path, json!({ "date": today }))
        .await;
    assert_eq!(r.status, 409);
    // The history shows it.
    let detail = app.card_of_a(&a, &serial).await;
    let actions: Vec<&str> = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"carte_fabriquee") && actions.contains(&"fin_exercice"),
        "{actions:?}"
    );

    // Another instance on the same database refuses it within its CRL poll.
    let other = app.second_instance().await;
    other
        .eventually("la seconde instance applique la CRL", || {
            let client = client.clone();
            let addr = other.addr;
            async move { diagnostic_over(addr, client).await.0["verdict"] == "revoked" }
        })
        .await;
}

#[tokio::test]
async fn a_scheduled_end_of_exercise_is_applied_on_its_day() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let card = app.live_demo_card(&a, "type=CPA").await;
    let serial = card["serial"].as_str().unwrap().to_string();
    let tomorrow = shared::fleet::paris_date(app.clock_now())
        .add_days(1)
        .to_string();
    let r = app
        .post_json(
            Card::MandataireA,
            &a,
            &format!("/api/structures/{STRUCTURE_A}/cards/{serial}/fin-exercice"),
            json!({ "date": tomorrow }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["card"]["state"], "active");
    assert!(r.json()["card"]["end_at"].is_i64());
    app.clock.advance(2 * 86_400);
    app.eventually("la fin d'exercice programmée appliquée", || async {
        let a = app.login(Card::MandataireA).await;
        app.card_of_a(&a, &serial).await["card"]["state"] == "fin_exercice"
    })
    .await;
}

#[tokio::test]
async fn theft_opposes_at_once_and_orders_the_replacement_malfunction_waits_for_it() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let op = app.login(Card::Operateur).await;
    let today = shared::fleet::paris_date(app.clock_now()).to_string();

    let (stolen, client) = app.fabricated_card(&a, &op, "000882").await;
    let r = app
        .post_json(
            Card::MandataireA,
            &a,
            &format!("/api/structures/{STRUCTURE_A}/cards/{stolen}/incident"),
            json!({ "nature": "vol", "date": today, "replacement": true }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let done = r.json();
    assert_eq!(done["card"]["state"], "opposee");
    let order = done["order_id"].as_str().unwrap().to_string();
    assert!(done["message"].as_str().unwrap().contains(&order));
    assert_eq!(
        diagnostic_over(app.addr, client).await.0["verdict"],
        "revoked"
    );
    // The replacement line, pre-filled, is in the back-office's queue.
    let lines = app
        .get(Card::Operateur, &op, "/api/operator/lines")
        .await
        .json();
    assert!(lines.to_string().contains(&order), "{lines}");

    // A malfunction: the card stays valid until its replacement is fabricated.
    let (broken, client) = app.fabricated_card(&a, &op, "000883").await;
    let r = app
        .post_json(
            Card::MandataireA,
            &a,
            &format!("/api/structures/{STRUCTURE_A}/cards/{broken}/incident"),
            json!({ "nature": "dysfonctionnement", "date": today, "replacement": false }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let order = r.json()["order_id"].as_str().unwrap().to_string();
    assert_eq!(r.json()["card"]["state"], "active");
    assert_eq!(r.json()["card"]["replacement_order"], order.as_str());
    assert_eq!(
        diagnostic_over(app.addr, client.clone()).await.0["verdict"],
        "ok"
    );
    // Declared again: refused, the replacement is already ordered.
    let r = app
        .post_json(
            Card::MandataireA,
            &a,
            &format!("/api/structures/{STRUCTURE_A}/cards/{broken}/incident"),
            json!({ "nature": "dysfonctionnement", "date": today, "replacement": true }),
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(
        r.json()["message"].as_str().unwrap().contains(&order),
        "{}",
        r.json()
    );
    assert_eq!(app.act(&op, &order, 1, "accepter", None).await.status, 200);
    assert_eq!(app.act(&op, &order, 1, "fabriquer", None).await.status, 200);
    assert_eq!(
        app.card_of_a(&a, &broken).await["card"]["state"],
        "remplacee"
    );
    assert_eq!(
        diagnostic_over(app.addr, client).await.0["verdict"],
        "revoked"
    );

    // Unknown nature, future date: French 400.
    let some = app.live_demo_card(&a, "type=CPE").await;
    let path = format!(
        "/api/structures/{STRUCTURE_A}/cards/{}/incident",
        some["serial"].as_str().unwrap()
    );
    let r = app
        .post_json(
            Card::MandataireA,
            &a,
            &path,
            json!({ "nature": "casse", "date": today, "replacement": false }),
        )
        .await;
    assert_eq!(r.status, 400);
    let r = app
        .post_json(
            Card::MandataireA,
            &a,
            &path,
            json!({ "nature": "perte", "date": "2999-01-01", "replacement": false }),
        )
        .await;
    assert_eq!(r.status, 400);
    // Nor before the card was issued.
    let r = app
        .post_json(
            Card::MandataireA,
            &a,
            &path,
            json!({ "nature": "perte", "date": "1990-01-01", "replacement": false }),
        )
        .await;
    assert_eq!(r.status, 400);
    let message = r.json()["message"].as_str().unwrap().to_string();
    assert!(
        message.contains("précède la délivrance de la carte"),
        "{message}"
    );
    assert_eq!(
        app.card_of_a(&a, some["serial"].as_str().unwrap()).await["card"]["state"],
        "active"
    );
}

#[tokio::test]
async fn renewing_three_cards_makes_one_order_of_three_lines() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let op = app.login(Card::Operateur).await;
    let soon = app
        .get(
            Card::MandataireA,
            &a,
            &fleet_path("expire_sous_jours=120&limite=200"),
        )
        .await
        .json();
    let serials: Vec<String> = soon["cards"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["matricule"].as_str().is_some_and(|m| m.starts_with('M')) && c["profession"] != "10"
        })
        .take(3)
        .map(|c| c["serial"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(serials.len(), 3, "{soon}");
    let path = format!("/api/structures/{STRUCTURE_A}/fleet/renewals");
    let r = app
        .post_json(Card::MandataireA, &a, &path, json!({ "serials": serials }))
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let order = r.json()["order_id"].as_str().unwrap().to_string();
    let detail = app
        .get(Card::MandataireA, &a, &format!("/api/orders/{order}"))
        .await
        .json();
    let lines = detail["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 3, "{detail}");
    assert!(
        lines
            .iter()
            .all(|l| l["kind"] == "demande_carte" || l["kind"] == "demandeCarte"),
        "{detail}"
    );
    // Ordered again: nothing to renew, each card says why.
    let r = app
        .post_json(Card::MandataireA, &a, &path, json!({ "serials": serials }))
        .await;
    assert_eq!(r.status, 409, "{}", String::from_utf8_lossy(&r.body));
    assert!(
        r.json()["message"].as_str().unwrap().contains(&order),
        "{}",
        r.json()
    );
    let r = app
        .post_json(Card::MandataireA, &a, &path, json!({ "serials": [] }))
        .await;
    assert_eq!(r.status, 400);
    let r = app
        .post_json(Card::MandataireA, &a, &path, json!({ "serials": ["00ff"] }))
        .await;
    assert_eq!(r.status, 404);
    let _ = op;
}

#[tokio::test]
async fn who_may_read_and_act_on_a_fleet() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let b = app.login(Card::MandataireB).await;
    let op = app.login(Card::Operateur).await;
    let rl = app.login(Card::RepresentantLegalA).await;
    let card = app.live_demo_card(&a, "type=CPE").await;
    let serial = card["serial"].as_str().unwrap();
    let reads = [
        fleet_path(""),
        format!("/api/structures/{STRUCTURE_A}/fleet/summary"),
        format!("/api/structures/{STRUCTURE_A}/cards/{serial}"),
    ];
    for path in &reads {
        for (who, session) in [
            (Card::MandataireA, &a),
            (Card::RepresentantLegalA, &rl),
            (Card::Operateur, &op),
        ] {
            assert_eq!(
                app.get(who, session, path).await.status,
                200,
                "{who:?} {path}"
            );
        }
        let r = app.get(Card::MandataireB, &b, path).await;
        assert_eq!(
            (r.status, r.code()),
            (403, "forbidden_structure".to_string()),
            "{path}"
        );
        let r = app.request(Some(Card::MandataireA), "GET", path, &[]).await;
        assert_eq!(r.status, 401, "{path}");
    }
    let writes = [
        (
            format!("/api/structures/{STRUCTURE_A}/cards/{serial}/porteur"),
            json!({ "matricule": "", "email": "x@y.fr" }),
        ),
        (
            format!("/api/structures/{STRUCTURE_A}/cards/{serial}/fin-exercice"),
            json!({ "date": "2099-01-01" }),
        ),
        (
            format!("/api/structures/{STRUCTURE_A}/cards/{serial}/incident"),
            json!({ "nature": "perte", "date": "2020-01-01", "replacement": false }),
        ),
        (
            format!("/api/structures/{STRUCTURE_A}/fleet/renewals"),
            json!({ "serials": [serial] }),
        ),
    ];
    for (path, body) in &writes {
        for (who, session, code) in [
            (Card::MandataireB, &b, "forbidden_structure"),
            (Card::Operateur, &op, "forbidden_structure"),
        ] {
            let r = app.post_json(who, session, path, body.clone()).await;
            assert_eq!(
                (r.status, r.code()),
                (403, code.to_string()),
                "{who:?} {path}"
            );
        }
        let r = app
            .request(Some(Card::MandataireA), "POST", path, &[])
            .await;
        assert_eq!(r.status, 401, "{path}");
    }
    // The card is untouched by all of this.
    assert_eq!(app.card_of_a(&a, serial).await["card"]["state"], "active");
    // The legal representative acts for the structure too.
    let r = app
        .post_json(
            Card::RepresentantLegalA,
            &rl,
            &writes[0].0,
            json!({ "matricule": "", "email": "rl.change@hopital.example.fr" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
}

#[tokio::test]
async fn a_file_order_changes_holders_ends_exercises_and_declares_incidents() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let op = app.login(Card::Operateur).await;
    let (leaving, client) = app.fabricated_card(&a, &op, "000884").await;
    let changed = app.live_demo_card(&a, "type=CPE").await;
    let stolen = app.live_demo_card(&a, "type=CPA").await;
    let today = shared::fleet::paris_date(app.clock_now()).to_string();
    let model = String::from_utf8(cpe_order_for_a("OPS-1", "000885")).unwrap();
    let head = &model[..model.find("<operations>").unwrap()];
    let xml = format!(
        "{head}<operations>\
        <modificationPorteur><matricule>{m}</matricule><nomUsage>PARFICHIER</nomUsage></modificationPorteur>\
        <modificationPorteur><matricule>INCONNU1</matricule><email>x@hopital.example.fr</email></modificationPorteur>\
        <finExercice><matricule>000884</matricule><dateFin>{today}</dateFin></finExercice>\
        <declarationIncident><matricule>{s}</matricule><nature>vol</nature><dateIncident>{today}</dateIncident><remplacement>false</remplacement></declarationIncident>\
        <declarationIncident><numeroSerieCarte>1234567890</numeroSerieCarte><nature>perte</nature><dateIncident>{today}</dateIncident><remplacement>false</remplacement></declarationIncident>\
        </operations></commande>",
        m = changed["matricule"].as_str().unwrap(),
        s = stolen["matricule"].as_str().unwrap(),
    );
    let r = app
        .submit(Card::MandataireA, &a, STRUCTURE_A, "ops", xml.into_bytes())
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let order = order_id(&r);
    let detail = app
        .get(Card::MandataireA, &a, &format!("/api/orders/{order}"))
        .await
        .json();
    let lines = detail["lines"].as_array().unwrap();
    let statuses: Vec<&str> = lines
        .iter()
        .map(|l| l["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["traitee", "rejetee", "traitee", "traitee", "rejetee"],
        "{detail}"
    );
    assert!(
        lines[1]["reason"].as_str().unwrap().contains("INCONNU1"),
        "{detail}"
    );
    assert!(
        lines[4]["reason"].as_str().unwrap().contains("1234567890"),
        "{detail}"
    );

    assert_eq!(
        app.card_of_a(&a, changed["serial"].as_str().unwrap()).await["card"]["family_name"],
        "PARFICHIER"
    );
    assert_eq!(
        app.card_of_a(&a, &leaving).await["card"]["state"],
        "fin_exercice"
    );
    assert_eq!(
        app.card_of_a(&a, stolen["serial"].as_str().unwrap()).await["card"]["state"],
        "opposee"
    );
    assert_eq!(
        diagnostic_over(app.addr, client).await.0["verdict"],
        "revoked"
    );
    // The operator has nothing left to do on these lines.
    let queue = app
        .get(
            Card::Operateur,
            &op,
            &format!("/api/operator/lines?q={order}"),
        )
        .await
        .json();
    assert_eq!(queue["lines"].as_array().unwrap().len(), 0, "{queue}");
}

#[tokio::test]
async fn the_end_of_exercise_of_a_mandataire_ends_the_mandate_and_the_card_at_once() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let rl = app.login(Card::RepresentantLegalA).await;
    let serial = hex::encode(app.card_serial(Card::MandataireA));
    let today = shared::fleet::paris_date(app.clock_now()).to_string();
    let r = app
        .post_json(
            Card::RepresentantLegalA,
            &rl,
            &format!("/api/structures/{STRUCTURE_A}/cards/{serial}/fin-exercice"),
            json!({ "date": today }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert!(
        r.json()["message"].as_str().unwrap().contains("mandats"),
        "{}",
        r.json()
    );
    // The mandataire's next call is refused: the card is revoked.
    let r = app.get_me(Some(Card::MandataireA), Some(&a)).await;
    assert_eq!((r.status, r.code()), (401, "card_refused".to_string()));
    assert_eq!(
        app.get_diagnostic(Some(Card::MandataireA)).await.json()["verdict"],
        "revoked"
    );
    // The structure no longer lists them among the people who act for it.
    let people = app
        .get_structure(Card::RepresentantLegalA, &rl, STRUCTURE_A)
        .await
        .json();
    let national_id = app
        .manifest
        .cards
        .iter()
        .find(|c| c.name == "mandataire-a")
        .unwrap()
        .national_id
        .clone();
    assert!(
        !people["people"].to_string().contains(&national_id),
        "{people}"
    );
}

//! The FINESS register import (operator), structures' coordinates edited by their mandataires,
//! and the history showing each register override.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, Card, Session, TestApp, STRUCTURE_A, STRUCTURE_B};

/// Structure A (FINESS 940000011) as the register describes it, with its legal entity.
pub(crate) fn line_a(phone: &str) -> String {
    format!("structureet;940000011;940000037;CH A;CENTRE HOSPITALIER A;;;12;RUE;DES LILAS;;;081;94;VAL-DE-MARNE;94000 CRETEIL;{phone};;355;Centre Hospitalier (C.H.);1102;Centres Hospitaliers;;8610Z;03;ARS;1;Etablissement public de santé;1979-02-13;1979-02-13;2024-05-01;")
}

const FLEYRIAT: &str = "structureet;010000024;010780054;CH DE FLEYRIAT;CENTRE HOSPITALIER DE BOURG-EN-BRESSE FLEYRIAT;;;900;RTE;DE PARIS;;;451;01;AIN;01440 VIRIAT;0474454647;0474454114;355;Centre Hospitalier (C.H.);1102;Centres Hospitaliers;26010004500012;8610Z;03;ARS établissements Publics de santé dotation globale;1;Etablissement public de santé;1979-02-13;1979-02-13;2020-02-04;";

pub(crate) fn extract(date: &str, lines: &[&str]) -> Vec<u8> {
    let mut text = format!("finess;etalab;{};{date}\n", lines.len());
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    text.into_bytes()
}

impl TestApp {
    pub async fn import_register(
        &self,
        card: Card,
        session: &Session,
        file: Vec<u8>,
    ) -> crate::helpers::TestResponse {
        self.call(
            card,
            session,
            "POST",
            "/api/backoffice/register",
            &[("content-type", "text/plain")],
            file,
        )
        .await
    }

    pub async fn put_structure(
        &self,
        card: Card,
        session: &Session,
        id: &str,
        body: Value,
    ) -> crate::helpers::TestResponse {
        self.call(
            card,
            session,
            "PUT",
            &format!("/api/structures/{id}"),
            &[("content-type", "application/json")],
            body.to_string().into_bytes(),
        )
        .await
    }

    pub async fn post_contract(
        &self,
        card: Card,
        session: &Session,
        body: &Value,
    ) -> crate::helpers::TestResponse {
        self.call(
            card,
            session,
            "POST",
            "/api/backoffice/contracts",
            &[("content-type", "application/json")],
            body.to_string().into_bytes(),
        )
        .await
    }

    pub async fn get_history(
        &self,
        card: Card,
        session: &Session,
        id: &str,
    ) -> crate::helpers::TestResponse {
        self.request(
            Some(card),
            "GET",
            &format!("/api/structures/{id}/history"),
            &[("cookie", &session.cookie)],
        )
        .await
    }
}

fn coordinates(name: &str, phone: &str, email: &str) -> Value {
    json!({
        "name": name,
        "address_line": "12 RUE DES LILAS",
        "address_complement": "",
        "postal_line": "94000 CRETEIL",
        "phone": phone,
        "email": email,
    })
}

#[tokio::test]
async fn the_operator_imports_an_extract_and_a_malformed_line_is_reported_with_its_number() {
    let app = spawn_app().await;
    let op = app.login(Card::Operateur).await;
    let file = extract(
        "2024-06-30",
        &[
            FLEYRIAT,
            "structureet;999999999;trop court",
            "geolocalisation;010000024;870043.5;6571890.1;1,ATLASANTE;2024-06-30",
        ],
    );
    let r = app.import_register(Card::Operateur, &op, file).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let report = r.json();
    assert_eq!(report["extract_date"], "2024-06-30");
    assert_eq!(report["created"], 1);
    assert_eq!(
        report["updated"], 1,
        "the geolocation of the new establishment"
    );
    assert_eq!(report["refused"], 1);
    assert_eq!(report["legal_entities_created"], 1);
    assert_eq!(report["refusals"][0]["line"], 3);
    assert!(report["refusals"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("incomplet"));

    let r = app.get_structure(Card::Operateur, &op, "1010000024").await;
    assert_eq!(r.status, 200);
    let s = r.json();
    assert_eq!(s["name"], "CENTRE HOSPITALIER DE BOURG-EN-BRESSE FLEYRIAT");
    assert_eq!(s["coordinates"]["address_line"], "900 RTE DE PARIS");
    assert_eq!(s["coordinates"]["postal_line"], "01440 VIRIAT");
    assert_eq!(s["siret"], "26010004500012");
    assert_eq!(s["kind"], "etablissement");
    assert_eq!(s["legal_entity"]["id"], "1010780054");
    let ej = app
        .get_structure(Card::Operateur, &op, "1010780054")
        .await
        .json();
    assert_eq!(ej["kind"], "entite_juridique");
    assert_eq!(ej["establishments"][0]["id"], "1010000024");

    let audit = app
        .request(
            Some(Card::Operateur),
            "GET",
            "/api/audit?action=registre_importe",
            &[("cookie", &op.cookie)],
        )
        .await
        .json();
    assert_eq!(audit["entries"].as_array().unwrap().len(), 1, "{audit}");
}

#[tokio::test]
async fn the_same_extract_twice_changes_nothing() {
    let app = spawn_app().await;
    let op = app.login(Card::Operateur).await;
    let lines = [FLEYRIAT, "geolocalisation;010000024;1;2;IGN;2024-06-30"];
    let line_a = line_a("0145171234");
    let mut all = lines.to_vec();
    all.push(&line_a);
    let first = app
        .import_register(Card::Operateur, &op, extract("2024-06-30", &all))
        .await
        .json();
    assert_eq!(
        (first["created"].as_u64(), first["updated"].as_u64()),
        (Some(1), Some(2))
    );
    let second = app
        .import_register(Card::Operateur, &op, extract("2024-06-30", &all))
        .await
        .json();
    assert_eq!(second["created"], 0);
    assert_eq!(second["updated"], 0);
    assert_eq!(second["unchanged"], 3);
    assert_eq!(second["legal_entities_created"], 0);
    assert_eq!(second["refused"], 0);
}

#[tokio::test]
async fn register_data_wins_over_a_local_edit_and_the_history_shows_the_override() {
    let app = spawn_app().await;
    let op = app.login(Card::Operateur).await;
    let m = app.login(Card::MandataireA).await;
    app.import_register(
        Card::Operateur,
        &op,
        extract("2024-06-30", &[&line_a("0145171234")]),
    )
    .await;
    let r = app
        .put_structure(
            Card::MandataireA,
            &m,
            STRUCTURE_A,
            coordinates("CENTRE HOSPITALIER A", "01 99 99 99 99", "accueil@ch-a.fr"),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["coordinates"]["phone"], "01 99 99 99 99");

    let report = app
        .import_register(
            Card::Operateur,
            &op,
            extract("2024-07-31", &[&line_a("0145171234")]),
        )
        .await
        .json();
    assert_eq!(report["updated"], 1);
    let s = app
        .get_structure(Card::MandataireA, &m, STRUCTURE_A)
        .await
        .json();
    assert_eq!(s["coordinates"]["phone"], "0145171234", "the register wins");
    assert_eq!(
        s["coordinates"]["email"], "accueil@ch-a.fr",
        "the register has no e-mail"
    );
    assert_eq!(s["legal_entity"]["id"], "1940000037");

    let history = app
        .get_history(Card::MandataireA, &m, STRUCTURE_A)
        .await
        .json();
    let newest = &history[0];
    assert_eq!(newest["source"], "registre");
    assert_eq!(newest["register_date"], "2024-07-31");
    assert_eq!(newest["field"], "phone");
    assert_eq!(newest["before"], "01 99 99 99 99");
    assert_eq!(newest["after"], "0145171234");
    assert!(history
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["source"] == "modification"
            && c["field"] == "email"
            && c["after"] == "accueil@ch-a.fr"));
}

#[tokio::test]
async fn a_mandataire_edits_the_coordinates_of_their_own_structure_only() {
    let app = spawn_app().await;
    let m = app.login(Card::MandataireA).await;
    let r = app
        .put_structure(
            Card::MandataireA,
            &m,
            STRUCTURE_A,
            coordinates("CH A", "01 45 17 12 34", "pas-une-adresse"),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.code(), "invalid_request");
    let r = app
        .put_structure(
            Card::MandataireA,
            &m,
            STRUCTURE_A,
            coordinates("", "01 45 17 12 34", ""),
        )
        .await;
    assert_eq!(r.status, 400);

    let b = app.login(Card::MandataireB).await;
    let r = app
        .put_structure(
            Card::MandataireB,
            &b,
            STRUCTURE_A,
            coordinates("CH A", "", ""),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (403, "forbidden_structure"));
    assert_eq!(
        app.get_history(Card::MandataireB, &b, STRUCTURE_A)
            .await
            .status,
        403
    );
    let op = app.login(Card::Operateur).await;
    let r = app
        .put_structure(
            Card::Operateur,
            &op,
            STRUCTURE_B,
            coordinates("CH B", "", ""),
        )
        .await;
    assert_eq!(
        r.status, 403,
        "operators read structures but do not edit them"
    );

    let r = app
        .put_structure(
            Card::MandataireA,
            &m,
            STRUCTURE_A,
            coordinates("CH A", "01 45 17 12 34", "a@ch-a.fr"),
        )
        .await;
    assert_eq!(r.status, 200);
    let history = app
        .get_history(Card::MandataireA, &m, STRUCTURE_A)
        .await
        .json();
    assert!(history
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["source"] == "modification" && c["actor_national_id"].is_string()));
    let audit = app
        .request(
            Some(Card::Operateur),
            "GET",
            &format!("/api/structures/{STRUCTURE_A}/audit?action=structure_modifiee"),
            &[("cookie", &op.cookie)],
        )
        .await
        .json();
    assert_eq!(audit["entries"].as_array().unwrap().len(), 1, "{audit}");
}

#[tokio::test]
async fn only_operators_import_and_a_file_that_is_not_an_extract_is_refused() {
    let app = spawn_app().await;
    let m = app.login(Card::RepresentantLegalA).await;
    let r = app
        .import_register(
            Card::RepresentantLegalA,
            &m,
            extract("2024-06-30", &[FLEYRIAT]),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (403, "operator_only"));
    let op = app.login(Card::Operateur).await;
    let r = app
        .import_register(Card::Operateur, &op, FLEYRIAT.as_bytes().to_vec())
        .await;
    assert_eq!((r.status, r.code().as_str()), (400, "invalid_request"));
    let r = app
        .request(None, "POST", "/api/backoffice/register", &[])
        .await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn a_mandataire_of_a_legal_entity_acts_for_each_of_its_establishments() {
    let app = spawn_app().await;
    let op = app.login(Card::Operateur).await;
    let other = "structureet;940000045;940000037;CH A2;CENTRE HOSPITALIER A SITE 2;;;1;RUE;DU PARC;;;081;94;VAL-DE-MARNE;94000 CRETEIL;0145170000;;355;Centre Hospitalier (C.H.);1102;Centres Hospitaliers;;8610Z;03;ARS;1;Etablissement public de santé;1979-02-13;1979-02-13;2024-05-01;";
    let r = app
        .import_register(
            Card::Operateur,
            &op,
            extract("2024-06-30", &[&line_a("0145171234"), other]),
        )
        .await;
    assert_eq!(r.json()["created"], 1);
    // The operator registers the legal entity's contract, with Luc BERNARD (mandataire of B) as
    // its legal representative.
    let b = app
        .manifest
        .cards
        .iter()
        .find(|c| c.name == "mandataire-b")
        .unwrap();
    let contract = json!({
        "structure_id": "1940000037",
        "national_id": b.national_id,
        "family_name": "BERNARD",
        "given_name": "Luc",
    });
    let r = app.post_contract(Card::Operateur, &op, &contract).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let r = app.post_contract(Card::Operateur, &op, &contract).await;
    assert_eq!((r.status, r.code().as_str()), (409, "contract_exists"));
    let audit = app
        .request(
            Some(Card::Operateur),
            "GET",
            "/api/structures/1940000037/audit?action=contrat_enregistre",
            &[("cookie", &op.cookie)],
        )
        .await
        .json();
    assert_eq!(audit["entries"].as_array().unwrap().len(), 1, "{audit}");

    let session = app.login(Card::MandataireB).await;
    let me = app
        .get_me(Some(Card::MandataireB), Some(&session))
        .await
        .json();
    let ids: Vec<(&str, Option<&str>)> = me["structures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["legal_entity_id"].as_str()))
        .collect();
    assert!(ids.contains(&(STRUCTURE_A, Some("1940000037"))), "{ids:?}");
    assert!(ids.contains(&("1940000045", Some("1940000037"))), "{ids:?}");
    assert!(ids.contains(&(STRUCTURE_B, None)), "{ids:?}");
    // They switch from one establishment to the other: each is theirs to read and edit.
    for id in [STRUCTURE_A, "1940000045"] {
        assert_eq!(
            app.get_structure(Card::MandataireB, &session, id)
                .await
                .status,
            200
        );
        let r = app
            .put_structure(
                Card::MandataireB,
                &session,
                id,
                coordinates("CH A", "", "b@ch-a.fr"),
            )
            .await;
        assert_eq!(r.status, 200, "{id}");
    }
    let ej = app
        .get_structure(Card::MandataireB, &session, "1940000037")
        .await
        .json();
    assert_eq!(ej["establishments"].as_array().unwrap().len(), 2);
    // Mandataire A, of the establishment A only, does not reach A2.
    let a = app.login(Card::MandataireA).await;
    let r = app.get_structure(Card::MandataireA, &a, "1940000045").await;
    assert_eq!((r.status, r.code().as_str()), (403, "forbidden_structure"));
}

#[tokio::test]
async fn only_operators_register_a_contract_for_a_known_structure_and_a_real_card() {
    let app = spawn_app().await;
    // The future legal representative of B has a card in force (ordered by A, fabricated).
    let (a, op) = (
        app.login(Card::MandataireA).await,
        app.login(Card::Operateur).await,
    );
    app.fabricated_card(&a, &op, "000971").await;
    let director = "3940000011/000971";
    let body = json!({ "structure_id": STRUCTURE_B, "national_id": director, "family_name": "Louin", "given_name": "JULIE" });
    let rl = app.login(Card::RepresentantLegalA).await;
    let r = app
        .post_contract(Card::RepresentantLegalA, &rl, &body)
        .await;
    assert_eq!((r.status, r.code().as_str()), (403, "operator_only"));
    let refusals = [
        (
            json!({ "structure_id": "1999999999", "national_id": director, "family_name": "LOUIN", "given_name": "Julie" }),
            404,
            "importez d'abord le registre",
        ),
        (
            json!({ "structure_id": STRUCTURE_B, "national_id": director, "family_name": "", "given_name": "Julie" }),
            400,
            "Indiquez",
        ),
        (
            json!({ "structure_id": STRUCTURE_B, "national_id": "3940000029/99999", "family_name": "NOUVEAU", "given_name": "Directeur" }),
            400,
            "Aucune carte",
        ),
        (
            json!({ "structure_id": STRUCTURE_B, "national_id": director, "family_name": "DIRECTEUR", "given_name": "Julie" }),
            400,
            "Aucune carte",
        ),
        // A already has its legal representative (Claire DURAND).
        (
            json!({ "structure_id": STRUCTURE_A, "national_id": director, "family_name": "LOUIN", "given_name": "Julie" }),
            409,
            "déjà un représentant légal",
        ),
    ];
    for (request, status, says) in refusals {
        let r = app.post_contract(Card::Operateur, &op, &request).await;
        let body = r.json();
        assert_eq!(r.status, status, "{request} : {body}");
        assert!(body["message"].as_str().unwrap().contains(says), "{body}");
    }
    let r = app.post_contract(Card::Operateur, &op, &body).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let r = app.post_contract(Card::Operateur, &op, &body).await;
    assert_eq!(r.status, 409);
    let people = app
        .get_structure(Card::Operateur, &op, STRUCTURE_B)
        .await
        .json()["people"]
        .clone();
    assert!(people
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["national_id"] == director && p["role"] == "representant_legal"));
}

#[tokio::test]
async fn an_ended_mandataire_is_refused_at_once_and_told_why() {
    let app = spawn_app().await;
    let martin = app
        .manifest
        .cards
        .iter()
        .find(|c| c.name == "mandataire-a")
        .unwrap();
    let body = json!({ "national_id": martin.national_id })
        .to_string()
        .into_bytes();
    let path = format!("/api/structures/{STRUCTURE_A}/mandataires/fin");
    let json_type = [("content-type", "application/json")];
    let m = app.login(Card::MandataireA).await;
    assert_eq!(
        app.get_structure(Card::MandataireA, &m, STRUCTURE_A)
            .await
            .status,
        200
    );

    // Only the structure's own legal representative ends a mandate.
    let r = app
        .call(
            Card::MandataireA,
            &m,
            "POST",
            &path,
            &json_type,
            body.clone(),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (403, "legal_representative_only")
    );
    let op = app.login(Card::Operateur).await;
    let r = app
        .call(
            Card::Operateur,
            &op,
            "POST",
            &path,
            &json_type,
            body.clone(),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (403, "forbidden_structure"));
    let b = app.login(Card::MandataireB).await;
    let r = app
        .call(
            Card::MandataireB,
            &b,
            "POST",
            &path,
            &json_type,
            body.clone(),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (403, "forbidden_structure"));

    let rl = app.login(Card::RepresentantLegalA).await;
    let r = app
        .call(
            Card::RepresentantLegalA,
            &rl,
            "POST",
            &path,
            &json_type,
            body.clone(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    // Their very next call, in the same session, is refused and says why.
    let r = app.get_structure(Card::MandataireA, &m, STRUCTURE_A).await;
    assert_eq!((r.status, r.code().as_str()), (403, "mandate_ended"));
    let r = app
        .put_structure(
            Card::MandataireA,
            &m,
            STRUCTURE_A,
            coordinates("CH A", "", ""),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (403, "mandate_ended"));
    let me = app.get_me(Some(Card::MandataireA), Some(&m)).await.json();
    assert!(me["structures"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["id"] != STRUCTURE_A));
    // Ending it again: no running mandate any more.
    let r = app
        .call(
            Card::RepresentantLegalA,
            &rl,
            "POST",
            &path,
            &json_type,
            body,
        )
        .await;
    assert_eq!(r.status, 404);
    let audit = app
        .request(
            Some(Card::RepresentantLegalA),
            "GET",
            &format!("/api/structures/{STRUCTURE_A}/audit?action=mandat_termine"),
            &[("cookie", &rl.cookie)],
        )
        .await
        .json();
    assert_eq!(audit["entries"].as_array().unwrap().len(), 1, "{audit}");
}

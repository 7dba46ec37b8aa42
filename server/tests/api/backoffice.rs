//! The back-office queue: what each row shows, the search by holder, structure or order number,
//! the pages, and its parameters refused in French.

use std::collections::HashSet;

use serde_json::Value;

use crate::helpers::{spawn_app, Card, Session, TestApp, STRUCTURE_A, STRUCTURE_B};
use crate::orders::{cpe_order_for_a, generated_order_for_a, order_id};

/// The model CPE order for structure A or B, with its reference, holder and matricule.
fn cpe_order(
    structure: &str,
    reference: &str,
    family: &str,
    given: &str,
    matricule: &str,
) -> Vec<u8> {
    let xml = String::from_utf8(cpe_order_for_a(reference, matricule)).unwrap();
    let finess = &structure[1..];
    xml.replace("940000011", finess)
        .replace(
            "<nomNaissance>LOUIN</nomNaissance>",
            &format!("<nomNaissance>{family}</nomNaissance>"),
        )
        .replace(
            "<prenoms>Julie</prenoms>",
            &format!("<prenoms>{given}</prenoms>"),
        )
        .into_bytes()
}

impl TestApp {
    /// The queue as the operator reads it, with these query parameters.
    async fn queue(&self, op: &Session, query: &str) -> Value {
        let r = self
            .get(Card::Operateur, op, &format!("/api/operator/lines?{query}"))
            .await;
        assert_eq!(
            r.status,
            200,
            "{query}: {}",
            String::from_utf8_lossy(&r.body)
        );
        r.json()
    }

    /// `(order, line)` of each line the search finds, on its first page.
    async fn found(&self, op: &Session, q: &str) -> Vec<(String, i64)> {
        let q: String = q
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect();
        let page = self.queue(op, &format!("q={q}")).await;
        let lines = page["lines"].as_array().unwrap();
        assert_eq!(page["total"].as_u64().unwrap() as usize, lines.len());
        lines
            .iter()
            .map(|l| {
                (
                    l["order_id"].as_str().unwrap().to_string(),
                    l["line_no"].as_i64().unwrap(),
                )
            })
            .collect()
    }
}

#[tokio::test]
async fn the_operator_finds_lines_by_holder_structure_or_order_number() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let b = app.login(Card::MandataireB).await;
    let op = app.login(Card::Operateur).await;
    let mut ids = Vec::new();
    for (card, session, structure, reference, family, given, matricule) in [
        (
            Card::MandataireA,
            &a,
            STRUCTURE_A,
            "REF-ALPHA",
            "CHÂTELAIN",
            "Hélène",
            "101",
        ),
        (
            Card::MandataireA,
            &a,
            STRUCTURE_A,
            "REF-BETA",
            "LOUIN",
            "Julie",
            "102",
        ),
        (
            Card::MandataireB,
            &b,
            STRUCTURE_B,
            "REF-GAMMA",
            "LOUIN",
            "Julie",
            "103",
        ),
    ] {
        let body = cpe_order(structure, reference, family, given, matricule);
        let r = app.submit(card, session, structure, reference, body).await;
        ids.push(order_id(&r));
    }
    let [helene, julie_a, julie_b]: [String; 3] = ids.try_into().unwrap();
    let only = |id: &String| vec![(id.clone(), 1)];

    // Each row says who, what, for whom and where the order is.
    let page = app.queue(&op, "q=helene").await;
    let line = &page["lines"][0];
    assert_eq!(line["order_id"], helene.as_str());
    assert_eq!(line["issuer_reference"], "REF-ALPHA");
    assert_eq!(line["civility"], "MME");
    assert_eq!(line["holder"], "CHÂTELAIN Hélène");
    assert_eq!(line["card_type"], "CPE");
    assert_eq!(line["kind"], "demande_carte");
    assert_eq!(line["structure_id"], STRUCTURE_A);
    assert_eq!(
        line["structure_name"],
        "CENTRE HOSPITALIER DE DEMONSTRATION A"
    );
    assert_eq!(line["status"], "soumise");
    assert!(line["times"]["submitted_at"].as_i64().unwrap() > 0);

    // The holder's name, whatever the capitals and accents, in part.
    for q in ["Hélène", "HELENE", "chatelain", "Châtel", "telain hel"] {
        assert_eq!(app.found(&op, q).await, only(&helene), "{q}");
    }
    let mut louin = app.found(&op, "louin").await;
    louin.sort();
    let mut expected = vec![(julie_a.clone(), 1), (julie_b.clone(), 1)];
    expected.sort();
    assert_eq!(louin, expected);

    // The structure, by its name or identifier.
    assert_eq!(app.found(&op, "clinique de demo").await, only(&julie_b));
    assert_eq!(app.found(&op, STRUCTURE_B).await, only(&julie_b));
    assert_eq!(app.found(&op, "1940000").await.len(), 3);

    // The order, by its number (or its beginning, in any case) or the structure's reference.
    assert_eq!(app.found(&op, &julie_a).await, only(&julie_a));
    assert_eq!(
        app.found(&op, &julie_a[..8].to_lowercase()).await,
        only(&julie_a)
    );
    assert_eq!(app.found(&op, "ref-beta").await, only(&julie_a));

    // Nothing else, and LIKE's wildcards are plain characters.
    for q in ["dupont", "%", "_", "REF-"] {
        assert_eq!(app.found(&op, q).await, vec![], "{q}");
    }
    // An empty search is no search; the status filter still applies.
    assert_eq!(app.found(&op, "  ").await.len(), 3);
    let page = app.queue(&op, "q=louin&status=acceptee").await;
    assert_eq!(page["total"], 0);
}

#[tokio::test]
async fn the_pages_of_the_queue_go_through_every_line_once() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let op = app.login(Card::Operateur).await;
    let r = app
        .submit(
            Card::MandataireA,
            &a,
            STRUCTURE_A,
            "k1",
            generated_order_for_a(21, 3),
        )
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let r = app
        .submit(
            Card::MandataireA,
            &a,
            STRUCTURE_A,
            "k2",
            cpe_order_for_a("R2", "77"),
        )
        .await;
    assert_eq!(r.status, 201);

    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut after = String::new();
    loop {
        let page = app.queue(&op, &format!("limite=5&apres={after}")).await;
        assert_eq!(page["total"], 22);
        let lines = page["lines"].as_array().unwrap();
        sizes.push(lines.len());
        seen.extend(lines.iter().map(|l| {
            (
                l["times"]["submitted_at"].as_i64().unwrap(),
                l["order_id"].as_str().unwrap().to_string(),
                l["line_no"].as_i64().unwrap(),
            )
        }));
        match page["suivant"].as_str() {
            Some(next) => after = next.to_string(),
            None => break,
        }
    }
    assert_eq!(sizes, [5, 5, 5, 5, 2]);
    let distinct: HashSet<_> = seen.iter().cloned().collect();
    assert_eq!(distinct.len(), 22, "each line once");
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "oldest first, then by order and line");

    // 50 lines by default: one page, no next.
    let page = app.queue(&op, "").await;
    assert_eq!(page["lines"].as_array().unwrap().len(), 22);
    assert!(page["suivant"].is_null());
    // A line treated between two pages neither repeats nor hides another.
    let first = app.queue(&op, "limite=5").await;
    let next = first["suivant"].as_str().unwrap().to_string();
    let (order, line) = (seen[0].1.clone(), seen[0].2);
    let r = app
        .act(&op, &order, line, "rejeter", Some("Doublon de la ligne 2"))
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let second = app.queue(&op, &format!("limite=5&apres={next}")).await;
    assert_eq!(second["total"], 21);
    assert_eq!(second["lines"][0]["line_no"], seen[5].2);
}

#[tokio::test]
async fn unreadable_queue_parameters_are_refused_in_french() {
    let app = spawn_app().await;
    let op = app.login(Card::Operateur).await;
    for (query, words) in [
        ("limite=0", "entre 1 et 200"),
        ("limite=201", "entre 1 et 200"),
        ("limite=abc", "entre 1 et 200"),
        ("apres=n-importe-quoi", "première page"),
        ("apres=1.2.C0000000000", "première page"),
        ("status=perdue", "inconnu"),
        ("q=a&q=b", "illisibles"),
    ] {
        let r = app
            .get(
                Card::Operateur,
                &op,
                &format!("/api/operator/lines?{query}"),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (400, "invalid_request".into()),
            "{query}"
        );
        let message = r.json()["message"].as_str().unwrap().to_string();
        assert!(message.contains(words), "{query}: {message}");
    }
}

#[tokio::test]
async fn the_queue_is_the_operators_whatever_its_parameters() {
    let app = spawn_app().await;
    for card in [Card::MandataireA, Card::MandataireB] {
        let session = app.login(card).await;
        for query in ["q=louin&limite=5", "limite=abc", "apres=x"] {
            let r = app
                .get(card, &session, &format!("/api/operator/lines?{query}"))
                .await;
            assert_eq!(
                (r.status, r.code()),
                (403, "operator_only".into()),
                "{query}"
            );
        }
    }
}

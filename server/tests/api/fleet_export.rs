//! Downloading the fleet: CSV for French Excel (BOM, `;`, French headers and dates, identifiers
//! kept as text, formulas neutralised), XLSX read back, XML valid against the published schema,
//! the list's filters, the audit entry, and who may download.

use std::io::Read;

use serde_json::Value;
use server::fleet::store::{insert_seed_cards, SeedCard};

use crate::helpers::*;

fn export_path(query: &str) -> String {
    format!("/api/structures/{STRUCTURE_A}/fleet/export?{query}")
}

const INJECTED: [(&str, &str); 3] = [
    ("=HYPERLINK(\"http://x\")", "00412"),
    ("-2+3", "00413"),
    ("@SOMME(A1)", "0041/4"),
];

impl TestApp {
    /// Adds to A's fleet three holders whose names Excel would take for formulas, with
    /// matricules that start with a zero (what a mandataire may well type).
    async fn add_awkward_holders(&self) {
        use server::state::Clock;
        let now = self.clock.now();
        let mut cards: Vec<SeedCard> =
            server::fleet::seed::fleet(STRUCTURE_A, "940000011", "CN=TEST", 3, 99, now);
        for (card, (name, matricule)) in cards.iter_mut().zip(INJECTED) {
            card.record.holder.usual_name = Some(name.to_string());
            card.record.holder.matricule = matricule.to_string();
            card.national_id = format!("3940000011/{}", matricule.replace('/', ""));
        }
        let mut tx = self.db.begin().await.unwrap();
        insert_seed_cards(&mut tx, &cards).await.unwrap();
        tx.commit().await.unwrap();
    }

    /// Mandataire A downloads the fleet in `format`: 200, and a file named after the structure
    /// and today's date (in Paris).
    async fn download(&self, a: &Session, format: &str, query: &str) -> TestResponse {
        use server::state::Clock;
        let r = self
            .get(
                Card::MandataireA,
                a,
                &export_path(&format!("format={format}&{query}")),
            )
            .await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        let today = shared::fleet::paris_date(self.clock.now());
        assert_eq!(
            r.header("content-disposition").unwrap(),
            format!("attachment; filename=\"parc-{STRUCTURE_A}-{today}.{format}\"")
        );
        r
    }

    async fn fleet_total(&self, a: &Session, query: &str) -> i64 {
        let r = self
            .get(
                Card::MandataireA,
                a,
                &format!("/api/structures/{STRUCTURE_A}/fleet?limite=1&{query}"),
            )
            .await;
        assert_eq!(r.status, 200);
        r.json()["total"].as_i64().unwrap()
    }
}

fn csv_rows(body: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(&body[3..]).unwrap();
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[tokio::test]
async fn the_csv_opens_in_french_excel_with_identifiers_as_text_and_no_formula() {
    let app = spawn_app().await;
    app.add_awkward_holders().await;
    let a = app.login(Card::MandataireA).await;
    let r = app.download(&a, "csv", "").await;
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("text/csv; charset=utf-8")
    );
    assert!(r.body.starts_with("\u{FEFF}".as_bytes()), "BOM");
    let text = std::str::from_utf8(&r.body).unwrap();
    assert!(text[3..].starts_with(
        "Nom;Prénom;Identifiant national;Matricule;Type de carte;Profession;Statut;\
        Numéro de série;Date d'émission;Fin de validité;Fin d'exercice prévue;Date de révocation\r\n"
    ));
    let rows = csv_rows(&r.body);
    assert_eq!(rows.len() as i64, 1 + app.fleet_total(&a, "").await);
    // Every date JJ/MM/AAAA; every row ordered as the list is (same serials, same order).
    let date = |s: &str| {
        s.is_empty()
            || (s.len() == 10
                && s.as_bytes()[2] == b'/'
                && s.as_bytes()[5] == b'/'
                && s.bytes()
                    .enumerate()
                    .all(|(i, b)| i == 2 || i == 5 || b.is_ascii_digit()))
    };
    for row in &rows[1..] {
        assert_eq!(row.len(), 12);
        assert!(row[8..].iter().all(|d| date(d)), "{row:?}");
        if row[3].starts_with("=\"M") {
            assert!(!row[9].is_empty(), "fin de validité : {row:?}");
        }
        assert!(
            row[7].starts_with("=\"") && row[7].ends_with('"'),
            "{row:?}"
        );
        assert!(row[2].starts_with("=\"3940000011/"), "{row:?}");
    }
    let first_page = app
        .get(
            Card::MandataireA,
            &a,
            &format!("/api/structures/{STRUCTURE_A}/fleet?limite=20"),
        )
        .await
        .json();
    let serials: Vec<String> = first_page["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("=\"{}\"", c["serial"].as_str().unwrap()))
        .collect();
    let exported: Vec<String> = rows[1..21].iter().map(|r| r[7].clone()).collect();
    assert_eq!(exported, serials);
    // The awkward holders: names neutralised with an apostrophe, matricules kept as text
    // (leading zero) — "0041/4" too, which Excel would otherwise read as a date.
    for (name, matricule) in INJECTED {
        let row = rows
            .iter()
            .find(|r| r[0] == format!("'{name}"))
            .unwrap_or_else(|| panic!("{name} neutralisé"));
        assert_eq!(row[3], format!("=\"{matricule}\""));
    }
    assert!(
        !rows
            .iter()
            .flatten()
            .any(|cell| cell.starts_with(['+', '-', '@'])
                || (cell.starts_with('=') && !cell.starts_with("=\""))),
        "aucune formule"
    );
    // The raw bytes: the formula-text cell is quoted as Excel expects.
    assert!(text.contains(";\"=\"\"00412\"\"\";"));
}

#[tokio::test]
async fn a_download_keeps_the_lists_filters_and_is_audited_without_the_search_text() {
    let app = spawn_app().await;
    let a = app.login(Card::MandataireA).await;
    let r = app.download(&a, "csv", "type=CDE").await;
    let rows = csv_rows(&r.body);
    assert!(rows.len() > 1, "des CDE");
    assert!(rows[1..].iter().all(|r| r[4] == "CDE"), "{rows:?}");
    assert_eq!(rows.len() as i64, 1 + app.fleet_total(&a, "type=CDE").await);
    let r = app.download(&a, "csv", "statut=opposee&recherche=a").await;
    let rows = csv_rows(&r.body);
    assert!(rows[1..].iter().all(|r| r[6] == "Opposée (perte ou vol)"));
    assert_eq!(
        rows.len() as i64,
        1 + app.fleet_total(&a, "statut=opposee&recherche=a").await
    );

    let rl = app.login(Card::RepresentantLegalA).await;
    let audit = app
        .get(
            Card::RepresentantLegalA,
            &rl,
            &format!("/api/structures/{STRUCTURE_A}/audit?action=parc_telecharge"),
        )
        .await
        .json();
    let entries = audit["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{audit}");
    let after: Value = serde_json::from_str(entries[0]["after"].as_str().unwrap()).unwrap();
    assert_eq!(after["format"], "csv");
    assert_eq!(after["filtres"]["statut"], "opposee");
    assert_eq!(after["filtres"]["recherche"], true, "{after}");
}

#[tokio::test]
async fn the_xlsx_has_typed_cells_a_frozen_header_and_a_filter() {
    use calamine::{Data, Reader, Xlsx};
    let app = spawn_app().await;
    app.add_awkward_holders().await;
    let a = app.login(Card::MandataireA).await;
    let r = app.download(&a, "xlsx", "").await;
    let mut book = Xlsx::new(std::io::Cursor::new(r.body.to_vec())).unwrap();
    let sheet = book.worksheet_range("Parc").unwrap();
    let total = app.fleet_total(&a, "").await;
    assert_eq!(sheet.height() as i64, 1 + total);
    assert_eq!(sheet.get((0, 0)), Some(&Data::String("Nom".into())));
    assert_eq!(
        sheet.get((0, 11)),
        Some(&Data::String("Date de révocation".into()))
    );
    let mut dates = 0;
    for row in sheet.rows().skip(1) {
        assert!(matches!(&row[2], Data::String(s) if s.starts_with("3940000011/")));
        assert!(matches!(&row[7], Data::String(_)), "{:?}", row[7]);
        if matches!(&row[3], Data::String(m) if m.starts_with('M')) {
            assert!(matches!(&row[9], Data::DateTime(_)), "{:?}", row[9]);
            dates += 1;
        }
    }
    assert!(dates >= 320, "{dates}");
    for (name, matricule) in INJECTED {
        let row = sheet
            .rows()
            .find(|r| r[0] == Data::String(name.to_string()))
            .unwrap_or_else(|| panic!("{name} en texte"));
        assert_eq!(row[3], Data::String(matricule.to_string()));
    }
    // Frozen first row, autofilter over the table, quote prefix on the formula-like names.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(r.body.to_vec())).unwrap();
    let mut part = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let sheet_xml = part("xl/worksheets/sheet1.xml");
    assert!(sheet_xml.contains(r#"ySplit="1""#) && sheet_xml.contains(r#"state="frozen""#));
    assert!(
        sheet_xml.contains(&format!(r#"<autoFilter ref="A1:L{}"/>"#, total + 1)),
        "{}",
        &sheet_xml[sheet_xml.len().saturating_sub(400)..]
    );
    assert!(part("xl/styles.xml").contains(r#"quotePrefix="1""#));
}

#[tokio::test]
async fn the_xml_follows_the_published_schema() {
    let app = spawn_app().await;
    app.add_awkward_holders().await;
    let a = app.login(Card::MandataireA).await;
    let r = app.download(&a, "xml", "").await;
    let text = std::str::from_utf8(&r.body).unwrap();
    assert_eq!(
        text.matches("<carte>").count() as i64,
        app.fleet_total(&a, "").await
    );
    assert!(text.contains("<nom>=HYPERLINK(&quot;http://x&quot;)</nom>"));
    let filtered = app
        .download(&a, "xml", "type=CDE&expire_sous_jours=3000")
        .await;
    assert!(std::str::from_utf8(&filtered.body).unwrap().contains(
        "<filtres><typeCarte>CDE</typeCarte><expireSousJours>3000</expireSousJours></filtres>"
    ));

    let schemas = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let dir = tempfile::tempdir().unwrap();
    let all = dir.path().join("parc.xml");
    let cde = dir.path().join("parc-cde.xml");
    std::fs::write(&all, &r.body).unwrap();
    std::fs::write(&cde, &filtered.body).unwrap();
    for file in [schemas.join("tom-parc-v1-exemple.xml"), all, cde] {
        let out = std::process::Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(schemas.join("tom-parc-v1.xsd"))
            .arg(&file)
            .output()
            .expect("xmllint (paquet libxml2-utils) est installé");
        assert!(
            out.status.success(),
            "{}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[tokio::test]
async fn only_those_who_may_read_the_fleet_download_it() {
    let app = spawn_app().await;
    let b = app.login(Card::MandataireB).await;
    let r = app
        .get(Card::MandataireB, &b, &export_path("format=csv"))
        .await;
    assert_eq!((r.status, r.code()), (403, "forbidden_structure".into()));
    let r = app
        .request(
            Some(Card::MandataireA),
            "GET",
            &export_path("format=csv"),
            &[],
        )
        .await;
    assert_eq!(r.status, 401);
    let op = app.login(Card::Operateur).await;
    let r = app
        .get(Card::Operateur, &op, &export_path("format=xml"))
        .await;
    assert_eq!(r.status, 200);

    let a = app.login(Card::MandataireA).await;
    for query in ["format=pdf", "format=", "format=csv&statut=perdue"] {
        let r = app.get(Card::MandataireA, &a, &export_path(query)).await;
        assert_eq!(
            (r.status, r.code()),
            (400, "invalid_request".into()),
            "{query}"
        );
    }
    let r = app
        .get(Card::MandataireA, &a, &export_path("format=pdf"))
        .await;
    assert!(
        r.json()["message"].as_str().unwrap().contains("« pdf »"),
        "{}",
        r.json()
    );
}

//! Order files as Excel writes them (the cases of `shared/cases/files/`) convert to the order
//! XML with the values the user sees in Excel.

use shared::order::model::StructureKind;
use shared::order::sheet::{decode_text, order_xml, parse_csv, rows_from_table, SheetHeader};

fn case(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../shared/cases/files/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn header() -> SheetHeader {
    SheetHeader {
        structure_kind: Some(StructureKind::Finess),
        structure_value: "940000011".into(),
        issuer_national_id: None,
        issuer_last_name: "MARTIN".into(),
        issuer_first_name: "Sophie".into(),
        issuer_email: "sophie.martin@example.fr".into(),
        reference: "TABLEUR-1".into(),
        created_at: "2026-11-24T10:00:00Z".into(),
    }
}

fn xml_of(table: &[(usize, Vec<String>)]) -> String {
    let rows: Vec<Vec<String>> = rows_from_table(table)
        .unwrap()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    assert_eq!(rows.len(), 1);
    order_xml(&header(), &rows)
}

fn control_characters(xml: &str) -> Vec<char> {
    xml.chars()
        .filter(|&c| {
            (c < ' ' && c != '\t' && c != '\n' && c != '\r') || ('\u{80}'..='\u{9f}').contains(&c)
        })
        .collect()
}

#[test]
fn a_csv_saved_by_french_excel_in_windows_1252_keeps_sibenik() {
    let text = decode_text(&case("12-cp1252.csv"));
    let xml = xml_of(&parse_csv(&text).unwrap());
    assert!(
        xml.contains("<lieuNaissance>Šibenik</lieuNaissance>"),
        "{xml}"
    );
    assert!(xml.contains("LEFÈVRE"), "{xml}");
    assert_eq!(control_characters(&xml), Vec::<char>::new(), "{xml}");
}

#[cfg(feature = "xlsx")]
#[test]
fn a_workbook_in_the_1904_date_system_keeps_the_birth_date_excel_shows() {
    let table = shared::order::xlsx::read_table(&case("11-date1904.xlsx")).unwrap();
    let xml = xml_of(&table);
    assert!(
        xml.contains("<dateNaissance>1988-04-09</dateNaissance>"),
        "{xml}"
    );
    assert_eq!(control_characters(&xml), Vec::<char>::new(), "{xml}");
}

//! Order files as Excel writes them (the cases of `shared/cases/files/`, and workbooks and CSV
//! files made here) convert to the order XML with the values the user sees in Excel.
#![cfg(feature = "xlsx")]

mod common;

use shared::order::sheet::{columns, convert_file, example_row, template_header, SheetHeader};
use shared::order::validate;

fn case(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../shared/cases/files/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn header() -> SheetHeader {
    SheetHeader::example()
}

fn control_characters(xml: &str) -> Vec<char> {
    xml.chars()
        .filter(|&c| {
            (c < ' ' && c != '\t' && c != '\n' && c != '\r') || ('\u{7f}'..='\u{9f}').contains(&c)
        })
        .collect()
}

#[test]
fn a_csv_saved_by_french_excel_in_windows_1252_keeps_sibenik() {
    let converted = convert_file(&case("12-cp1252.csv"), &header()).unwrap();
    let xml = &converted.xml;
    assert!(
        xml.contains("<lieuNaissance>Šibenik</lieuNaissance>"),
        "{xml}"
    );
    assert!(xml.contains("LEFÈVRE"), "{xml}");
    assert_eq!(control_characters(xml), Vec::<char>::new(), "{xml}");
    assert!(converted.notes.is_empty(), "{:#?}", converted.notes);
}

#[test]
fn a_workbook_in_the_1904_date_system_keeps_the_birth_date_excel_shows() {
    let converted = convert_file(&case("11-date1904.xlsx"), &header()).unwrap();
    let xml = &converted.xml;
    assert!(
        xml.contains("<dateNaissance>1988-04-09</dateNaissance>"),
        "{xml}"
    );
    assert_eq!(control_characters(xml), Vec::<char>::new(), "{xml}");
}

/// Every French letter (and œ, Œ, €, Š, ž, ’, « ») in the names and address lines, the names
/// typed in NFD (as on a Mac): a CSV in UTF-8, a CSV in Windows-1252, a CSV in Mac Roman and a
/// workbook give one XML, valid, in NFC.
#[test]
fn french_letters_convert_alike_from_every_kind_of_file() {
    let columns = columns();
    let at = |key: &str| columns.iter().position(|c| c.key == key).unwrap();
    let mut row = example_row();
    let nfd = |s: &str| -> String {
        use unicode_normalization::UnicodeNormalization;
        s.nfd().collect()
    };
    row[at("nom_naissance")] = nfd("ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒ-Æàâäçéèêëîïôöùûüÿœæ");
    row[at("prenoms")] = nfd("Hélène Françoise");
    row[at("lieu_naissance")] = "Šibenik « Žužemberk » ’€".into();
    row[at("carte_destinataire")] = nfd("CŒUR DE L’ÉTÉ ÀÉÈÙ");
    row[at("carte_commune")] = "SAINT-ÉTIENNE".into();
    let titles: Vec<String> = columns.iter().map(template_header).collect();
    let line = |values: &[String]| {
        values
            .iter()
            .map(|v| format!("\"{}\"", v.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(";")
    };
    let csv = format!("{}\r\n{}\r\n", line(&titles), line(&row));
    // Mac Roman has no Š nor ž nor €-less gaps: its file keeps the letters it has.
    let mut mac_row = row.clone();
    mac_row[at("lieu_naissance")] = "Noël « Œuvre » ’€".into();
    let mac_csv = format!("{}\r\n{}\r\n", line(&titles), line(&mac_row));

    let encode = |codec: &'static encoding_rs::Encoding, text: &str| {
        use unicode_normalization::UnicodeNormalization;
        // Code pages hold composed letters only: Excel writes them so.
        let text: String = text.nfc().collect();
        let (bytes, _, unmappable) = codec.encode(&text);
        assert!(!unmappable, "{}", codec.name());
        bytes.into_owned()
    };
    let workbook = {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet().set_name("Commande").unwrap();
        for (c, (title, value)) in titles.iter().zip(&row).enumerate() {
            sheet.write_string(0, c as u16, title).unwrap();
            sheet.write_string(1, c as u16, value).unwrap();
        }
        book.save_to_buffer().unwrap()
    };
    let from = |bytes: &[u8]| convert_file(bytes, &header()).unwrap();
    let utf8 = from(format!("\u{feff}{csv}").as_bytes());
    let windows = from(&encode(encoding_rs::WINDOWS_1252, &csv));
    let xlsx = from(&workbook);
    assert!(utf8.notes.is_empty(), "{:#?}", utf8.notes);
    let report = validate(utf8.xml.as_bytes(), common::today());
    assert!(report.is_valid(), "{:#?}\n{}", report.errors, utf8.xml);
    assert!(
        utf8.xml.contains("<prenoms>Hélène Françoise</prenoms>"),
        "{}",
        utf8.xml
    );
    assert!(
        utf8.xml.contains("Šibenik « Žužemberk » ’€"),
        "{}",
        utf8.xml
    );
    assert_eq!(windows.xml, utf8.xml);
    assert_eq!(xlsx.xml, utf8.xml);
    let mac = from(&encode(encoding_rs::MACINTOSH, &mac_csv));
    let mac_utf8 = from(mac_csv.as_bytes());
    assert_eq!(mac.xml, mac_utf8.xml);
    assert!(mac.xml.contains("Noël « Œuvre » ’€"), "{}", mac.xml);
}

#[test]
fn a_workbook_with_numbers_and_dates_where_excel_puts_them_reads_as_shown() {
    let columns = columns();
    let at = |key: &str| columns.iter().position(|c| c.key == key).unwrap() as u16;
    let row = example_row();
    {
        let mut book = rust_xlsxwriter::Workbook::new();
        let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        let sheet = book.add_worksheet().set_name("Commande").unwrap();
        for (c, (column, value)) in columns.iter().zip(&row).enumerate() {
            sheet
                .write_string(0, c as u16, template_header(column))
                .unwrap();
            sheet.write_string(1, c as u16, value).unwrap();
        }
        let birth = rust_xlsxwriter::ExcelDateTime::from_ymd(1995, 6, 21).unwrap();
        sheet
            .write_datetime_with_format(1, at("date_naissance"), &birth, &date)
            .unwrap();
        sheet
            .write_number(1, at("telephone"), 235_000_000.0)
            .unwrap();
        sheet
            .write_number(1, at("carte_code_postal"), 76000.0)
            .unwrap();
        let converted = convert_file(&book.save_to_buffer().unwrap(), &header()).unwrap();
        assert!(
            converted
                .xml
                .contains("<dateNaissance>1995-06-21</dateNaissance>"),
            "{}",
            converted.xml
        );
        assert!(converted.xml.contains("<codePostal>76000</codePostal>"));
        assert_eq!(converted.notes.len(), 1, "{:#?}", converted.notes);
        assert_eq!(converted.notes[0].what.code, "tableur_zero_de_tete");
    }
}

#[test]
fn an_undecidable_csv_says_how_to_save_it() {
    let e = convert_file(b"Type de carte;Nom de naissance\nCPE;\xE9\n", &header()).unwrap_err();
    assert_eq!(e.line, 2);
    assert!(e.message.contains("CSV UTF-8"), "{}", e.message);
}

/// A workbook whose order sheet was renamed, behind another sheet: the sheet with the template's
/// titles is read.
#[test]
fn a_renamed_order_sheet_is_found_by_its_titles() {
    let columns = columns();
    let mut book = rust_xlsxwriter::Workbook::new();
    let other = book.add_worksheet().set_name("Listes").unwrap();
    other.write_string(0, 0, "Professions").unwrap();
    let sheet = book.add_worksheet().set_name("Feuil2").unwrap();
    for (c, (column, value)) in columns.iter().zip(example_row()).enumerate() {
        sheet
            .write_string(0, c as u16, template_header(column))
            .unwrap();
        sheet.write_string(1, c as u16, value).unwrap();
    }
    let converted = convert_file(&book.save_to_buffer().unwrap(), &header()).unwrap();
    assert_eq!(converted.lines, [2]);
}

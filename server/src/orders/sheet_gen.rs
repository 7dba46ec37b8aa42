//! `tom order generate --format xlsx|csv`: a filled spreadsheet template of N rows, for tests and
//! benchmarks of the conversion (`tom order convert`, the page « Déposer une commande »). The
//! columns and titles are the template's (`shared::order::sheet::columns`); each row is one card
//! request of the synthetic order generator (`shared::order::generate`), so every holder is a
//! different valid one, the same for the same seed.

use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};
use shared::order::generate::generate_order;
use shared::order::model::{CardRequest, Operation, PostalAddress, Role};
use shared::order::sheet::{columns, template_header, Column};

/// The rows of a filled template: `lines` card requests, one value per column of the template,
/// as a user types them (dates JJ/MM/AAAA, codes of the drop-down lists, oui/non).
pub fn sheet_rows(lines: usize, seed: u64) -> Vec<Vec<String>> {
    let columns = columns();
    // The generator mixes card requests with other operations the sheet does not carry; its
    // output for more operations starts with its output for fewer, so asking for more until
    // there are enough card requests keeps the rows the same for the same seed.
    let mut asked = lines + lines / 2 + 8;
    loop {
        let requests: Vec<CardRequest> = generate_order(asked, seed)
            .operations
            .into_iter()
            .filter_map(|op| match op {
                Operation::CardRequest(c) => Some(c),
                _ => None,
            })
            .take(lines)
            .collect();
        if requests.len() == lines {
            return requests.iter().map(|c| row(&columns, c)).collect();
        }
        asked *= 2;
    }
}

fn row(columns: &[Column], c: &CardRequest) -> Vec<String> {
    columns.iter().map(|col| value(col.key, c)).collect()
}

fn address_field(a: &PostalAddress, field: &str) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    match field {
        "destinataire" => a.recipient.clone(),
        "complement" => opt(&a.complement),
        "numero" => opt(&a.street_number),
        "voie" => opt(&a.street),
        "lieu_dit" => opt(&a.locality),
        "code_postal" => a.postal_code.clone(),
        "commune" => a.city.clone(),
        _ => String::new(),
    }
}

/// The cell of column `key` for one card request.
fn value(key: &str, c: &CardRequest) -> String {
    let h = &c.holder;
    let a = &c.activity;
    if let Some(field) = key.strip_prefix("carte_") {
        return address_field(&c.card_address, field);
    }
    if let Some(field) = key.strip_prefix("pin_") {
        return address_field(&c.pin_address, field);
    }
    match key {
        "type_carte" => c.card_type.code().into(),
        "nominative" => if c.nominative { "oui" } else { "non" }.into(),
        "civilite" => h.civility.code().into(),
        "nom_naissance" => h.birth_name.clone(),
        "nom_usage" => h.usual_name.clone().unwrap_or_default(),
        "prenoms" => h.first_names.clone(),
        "date_naissance" => {
            let d = h.birth_date;
            format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
        }
        "lieu_naissance" => h.birth_place.clone(),
        "sexe" => h.sex.code().into(),
        "email" => h.email.clone(),
        "telephone" => h.phone.clone(),
        "matricule" => h.matricule.clone(),
        "profession" => match &a.role {
            Role::Profession(p) => p.clone(),
            Role::Function(_) => String::new(),
        },
        "fonction" => match &a.role {
            Role::Function(f) => f.clone(),
            Role::Profession(_) => String::new(),
        },
        "rpps" => a.rpps.clone().unwrap_or_default(),
        "secteur" => a.sector.clone(),
        "genre" => a.activity_kind.clone().unwrap_or_default(),
        "mode" => a.practice_mode.map(|m| m.code().into()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// The rows as a workbook: the sheet « Commande » with the template's titles and text columns,
/// every value a text cell (as typed in the template's columns formatted as Texte).
pub fn xlsx(rows: &[Vec<String>]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color("E3E3FD")
        .set_border(FormatBorder::Thin);
    let text = Format::new().set_num_format("@");
    let sheet = workbook.add_worksheet().set_name("Commande")?;
    for (i, c) in columns().iter().enumerate() {
        let col = i as u16;
        sheet.set_column_format(col, &text)?;
        sheet.set_column_width(col, 18)?;
        sheet.write_string_with_format(0, col, template_header(c), &header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (i, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string_with_format(r as u32 + 1, i as u16, v, &text)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

/// The rows as CSV UTF-8 with a BOM and « ; » separators (Excel's « CSV UTF-8 » in French).
pub fn csv(rows: &[Vec<String>]) -> String {
    fn field(out: &mut String, v: &str) {
        if v.contains([';', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&v.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(v);
        }
    }
    let titles: Vec<String> = columns().iter().map(template_header).collect();
    let mut out = String::from("\u{feff}");
    for line in std::iter::once(&titles).chain(rows) {
        for (i, v) in line.iter().enumerate() {
            if i > 0 {
                out.push(';');
            }
            field(&mut out, v);
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::order::sheet::{convert_file, SheetHeader};
    use shared::order::{validate, Date};
    use std::collections::HashSet;

    fn header() -> SheetHeader {
        SheetHeader::example()
    }

    fn assert_converts_to_a_valid_order(bytes: &[u8], lines: usize) {
        let converted = convert_file(bytes, &header()).unwrap();
        assert_eq!(converted.lines.len(), lines);
        let report = validate(converted.xml.as_bytes(), Date::new(2026, 11, 24).unwrap());
        assert!(
            report.is_valid(),
            "{:?}",
            &report.errors[..report.errors.len().min(5)]
        );
        assert_eq!(report.operations, lines);
    }

    #[test]
    fn a_generated_workbook_of_100_lines_converts_to_a_valid_order_of_100_operations() {
        let rows = sheet_rows(100, 7);
        let bytes = xlsx(&rows).unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"));
        assert_converts_to_a_valid_order(&bytes, 100);
    }

    #[test]
    fn a_generated_csv_converts_to_the_same_valid_order() {
        let rows = sheet_rows(100, 7);
        assert_converts_to_a_valid_order(csv(&rows).as_bytes(), 100);
        let from_csv = convert_file(csv(&rows).as_bytes(), &header()).unwrap().xml;
        let from_xlsx = convert_file(&xlsx(&rows).unwrap(), &header()).unwrap().xml;
        assert_eq!(from_csv, from_xlsx);
    }

    #[test]
    fn rows_are_distinct_holders_of_every_card_type_the_same_for_the_same_seed() {
        let rows = sheet_rows(300, 42);
        assert_eq!(rows, sheet_rows(300, 42));
        assert_ne!(rows, sheet_rows(300, 43));
        // The first rows do not depend on how many are asked for.
        assert_eq!(rows[..10], sheet_rows(10, 42)[..]);
        let key = |name: &str| columns().iter().position(|c| c.key == name).unwrap();
        let (nom, prenoms, naissance, matricule, carte) = (
            key("nom_naissance"),
            key("prenoms"),
            key("date_naissance"),
            key("matricule"),
            key("type_carte"),
        );
        let holders: HashSet<_> = rows
            .iter()
            .map(|r| (&r[nom], &r[prenoms], &r[naissance]))
            .collect();
        assert_eq!(holders.len(), rows.len());
        let matricules: HashSet<_> = rows.iter().map(|r| &r[matricule]).collect();
        assert_eq!(matricules.len(), rows.len());
        let types: HashSet<_> = rows.iter().map(|r| r[carte].as_str()).collect();
        assert_eq!(types, HashSet::from(["CPE", "CPA", "CPS"]));
    }
}

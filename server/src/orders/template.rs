//! The spreadsheet template for card orders (XLSX): the columns of `shared::order::sheet`, French
//! headers, drop-down lists of the nomenclature codes, and a sheet of instructions. Built once
//! per request from the same column table the browser converts back to XML.

use rust_xlsxwriter::{DataValidation, Format, FormatBorder, Formula, Workbook, XlsxError};
use shared::order::sheet::{columns, template_header};

/// Rows prepared with drop-down lists.
pub const TEMPLATE_ROWS: u32 = 1000;

fn column_letter(mut index: u16) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

const INSTRUCTIONS: &[&str] = &[
    "Modèle de commande de cartes CPx — TOM",
    "",
    "1. Remplissez une ligne par carte à commander dans l'onglet « Commande », sans modifier la ligne des titres.",
    "2. Pour les colonnes à liste, choisissez une valeur dans la liste déroulante (le code suffit, par exemple « SA33 »).",
    "3. Dates au format JJ/MM/AAAA. Matricule, téléphone, code postal et numéro RPPS sont du texte : les colonnes sont au format Texte pour garder les zéros de tête.",
    "   Si vous collez des valeurs depuis un autre classeur, collez-les « valeurs seulement » : une colonne passée au format Nombre perd ses zéros et TOM le signale.",
    "   Adresse d'envoi des codes (courrier PIN) : laissez ses colonnes vides pour envoyer les codes à la même adresse que la carte.",
    "4. Profession pour une CPS (avec le numéro RPPS s'il existe), fonction pour une CPE ou une CPA.",
    "5. Enregistrez au format « CSV UTF-8 (délimité par des virgules) » ou « CSV (séparateur : point-virgule) », ou gardez le fichier XLSX.",
    "6. Dans TOM, page « Déposer une commande » de la structure : déposez le fichier. Il est converti en fichier XML et vérifié dans votre navigateur ;",
    "   chaque erreur est donnée avec sa ligne et sa colonne. Le fichier XML produit peut être téléchargé. Envoyez la commande une fois les erreurs corrigées.",
    "",
    "Les médecins, pharmaciens, chirurgiens-dentistes et sages-femmes reçoivent leur CPS de leur ordre via le RPPS : TOM refuse ces demandes.",
    "Pour les autres professions réglementées, la demande de CPS attend un justificatif à déposer dans le suivi de la commande.",
];

/// The template as XLSX bytes.
pub fn order_template() -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let columns = columns();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color("E3E3FD")
        .set_border(FormatBorder::Thin);
    let text = Format::new().set_num_format("@");

    // The code lists, one column each, referenced by the drop-downs.
    let mut lists = Vec::new();
    {
        let codes = workbook.add_worksheet().set_name("Codes")?;
        let mut list_col: u16 = 0;
        for c in &columns {
            let options = c.choices.options();
            if options.is_empty() {
                lists.push(None);
                continue;
            }
            codes.write_string_with_format(0, list_col, c.header, &header)?;
            for (i, (code, label)) in options.iter().enumerate() {
                let value = if code == label {
                    code.to_string()
                } else {
                    format!("{code} - {label}")
                };
                codes.write_string(i as u32 + 1, list_col, &value)?;
            }
            codes.set_column_width(list_col, 40)?;
            lists.push(Some(format!(
                "=Codes!${col}$2:${col}${last}",
                col = column_letter(list_col),
                last = options.len() + 1
            )));
            list_col += 1;
        }
    }

    let sheet = workbook.add_worksheet().set_name("Commande")?;
    for (i, c) in columns.iter().enumerate() {
        let col = i as u16;
        sheet.set_column_format(col, &text)?;
        sheet.set_column_width(col, 18)?;
        sheet.write_string_with_format(0, col, template_header(c), &header)?;
        let mut validation = match (&lists[i], c.choices) {
            (Some(range), _) => DataValidation::new().allow_list_formula(Formula::new(range)),
            _ => DataValidation::new().allow_any_value(),
        };
        let mut message = String::new();
        if c.required {
            message.push_str("Obligatoire. ");
        }
        message.push_str(c.hint);
        if !message.trim().is_empty() {
            validation = validation.set_input_message(message.trim())?;
        }
        sheet.add_data_validation(1, col, TEMPLATE_ROWS, col, &validation)?;
    }
    sheet.set_row_height(0, 45)?;
    sheet.set_freeze_panes(1, 0)?;

    let help = workbook.add_worksheet().set_name("Mode d'emploi")?;
    help.set_column_width(0, 140)?;
    for (i, line) in INSTRUCTIONS.iter().enumerate() {
        help.write_string(i as u32, 0, *line)?;
    }
    // Open on the order sheet.
    workbook.worksheet_from_name("Commande")?.set_active(true);
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_the_spreadsheet_alphabet() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    use shared::order::sheet::{convert, example_row, rows_from_table, SheetHeader};
    use shared::order::table::Cell;
    use shared::order::xlsx::read_xlsx;
    use shared::order::{validate, Date};

    #[test]
    fn the_template_reads_back_as_its_headers_and_no_order_line() {
        let bytes = order_template().unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"));
        let table = read_xlsx(&bytes).unwrap();
        assert_eq!(table.rows.len(), 1);
        let headers: Vec<Cell> = columns()
            .iter()
            .map(|c| Cell::Text(template_header(c)))
            .collect();
        assert_eq!(table.rows[0], (1, headers));
        let e = rows_from_table(&table).unwrap_err();
        assert!(e.message.contains("aucune ligne"), "{e:?}");
    }

    #[test]
    fn a_filled_workbook_converts_to_a_valid_order() {
        let mut row = example_row();
        row[0] = "CPE - Carte de personnel d'établissement".into();
        let destinataire = columns()
            .iter()
            .position(|c| c.key == "carte_destinataire")
            .unwrap();
        row[destinataire] = "CHU & CO".into();
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet().set_name("Commande").unwrap();
        for (i, c) in columns().iter().enumerate() {
            sheet.write_string(0, i as u16, template_header(c)).unwrap();
            // Row 3: an empty row 2 is skipped and the line number kept.
            sheet.write_string(2, i as u16, &row[i]).unwrap();
        }
        let bytes = workbook.save_to_buffer().unwrap();
        let rows = rows_from_table(&read_xlsx(&bytes).unwrap()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, 3);
        let header = SheetHeader::example();
        let xml = convert(&header, &rows, false).xml;
        let report = validate(xml.as_bytes(), Date::new(2026, 11, 24).unwrap());
        assert!(report.is_valid(), "{:?}", report.errors);
        assert!(xml.contains("CHU &amp; CO"));
    }

    /// Every column with a list of values gets its drop-down, the professions included; a
    /// renamed order sheet is still found.
    #[test]
    fn every_column_with_choices_has_its_drop_down_list() {
        let sheet = |bytes: &[u8]| {
            use std::io::Read;
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut text = String::new();
            zip.by_name("xl/worksheets/sheet2.xml")
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        };
        let xml = sheet(&order_template().unwrap());
        let with_choices = columns()
            .iter()
            .filter(|c| !c.choices.options().is_empty())
            .count();
        assert_eq!(xml.matches("type=\"list\"").count(), with_choices);
    }

    #[test]
    fn the_instructions_say_what_the_conversion_does() {
        let all = INSTRUCTIONS.join("\n");
        for promise in ["Texte", "JJ/MM/AAAA", "laissez", "même adresse"] {
            assert!(all.contains(promise), "{promise}");
        }
    }
}

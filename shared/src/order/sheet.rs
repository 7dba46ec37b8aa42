//! The card request as a flat row: the columns of the spreadsheet template, the fields of the
//! order form, and their conversion to the XML order file — which the one validator then checks.
//! Values are kept as typed by the user; nothing is judged here, so every mistake is reported
//! by the validator with the same French message as in a file, at the field it belongs to.

use std::fmt::Write as _;

use quick_xml::escape::escape;

use crate::message::Message;
use crate::nomenclature::{
    Nomenclature, CIVILITE, FONCTION, GENRE_ACTIVITE, MODE_EXERCICE, PROFESSION, SECTEUR_ACTIVITE,
};
use crate::order::model::StructureKind;
use crate::order::NAMESPACE_V1;

/// The part of the request a column belongs to (a fieldset of the form).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Card,
    Holder,
    Activity,
    CardAddress,
    PinAddress,
}

impl Group {
    pub const ALL: [Group; 5] = [
        Group::Card,
        Group::Holder,
        Group::Activity,
        Group::CardAddress,
        Group::PinAddress,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Group::Card => "Carte",
            Group::Holder => "Porteur",
            Group::Activity => "Activité",
            Group::CardAddress => "Adresse d'envoi de la carte",
            Group::PinAddress => "Adresse d'envoi des codes (courrier PIN)",
        }
    }
}

/// The closed list of values a column takes.
#[derive(Clone, Copy, Debug)]
pub enum Choices {
    Free,
    /// Fixed (code, label) pairs.
    Fixed(&'static [(&'static str, &'static str)]),
    /// The non-deprecated codes of a nomenclature.
    Table(&'static Nomenclature),
}

impl Choices {
    /// (code, label) pairs, in order.
    pub fn options(self) -> Vec<(&'static str, &'static str)> {
        match self {
            Choices::Free => Vec::new(),
            Choices::Fixed(list) => list.to_vec(),
            Choices::Table(t) => t
                .entries
                .iter()
                .filter(|e| !e.deprecated)
                .map(|e| (e.code, e.label))
                .collect(),
        }
    }
}

/// One column of the template / field of the form.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    /// Stable key, also the form field's id.
    pub key: &'static str,
    /// French header of the spreadsheet column and label of the field.
    pub header: &'static str,
    pub group: Group,
    pub required: bool,
    pub choices: Choices,
    /// A hint shown under the field and as the cell's input message.
    pub hint: &'static str,
    /// The XML element the value goes to (last step of the validator's error path).
    pub element: &'static str,
}

const CARD_TYPES: &[(&str, &str)] = &[
    ("CPE", "CPE — personnel d'établissement"),
    ("CPA", "CPA — personnel autorisé"),
    ("CPS", "CPS — professionnel de santé"),
];
const SEXES: &[(&str, &str)] = &[("F", "Féminin"), ("M", "Masculin")];
const YES_NO: &[(&str, &str)] = &[("oui", "Oui"), ("non", "Non")];

const fn col(
    key: &'static str,
    header: &'static str,
    group: Group,
    required: bool,
    choices: Choices,
    hint: &'static str,
    element: &'static str,
) -> Column {
    Column {
        key,
        header,
        group,
        required,
        choices,
        hint,
        element,
    }
}

const fn address(group: Group, prefix: [&'static str; 7]) -> [Column; 7] {
    [
        col(
            prefix[0],
            "Destinataire",
            group,
            true,
            Choices::Free,
            "Nom de la personne ou du service, 38 caractères au plus",
            "destinataire",
        ),
        col(
            prefix[1],
            "Complément d'adresse",
            group,
            false,
            Choices::Free,
            "Bâtiment, service, étage…",
            "complement",
        ),
        col(
            prefix[2],
            "Numéro dans la voie",
            group,
            false,
            Choices::Free,
            "",
            "numeroVoie",
        ),
        col(
            prefix[3],
            "Voie",
            group,
            false,
            Choices::Free,
            "Rue, avenue… (ou un lieu-dit)",
            "voie",
        ),
        col(
            prefix[4],
            "Lieu-dit",
            group,
            false,
            Choices::Free,
            "",
            "lieuDit",
        ),
        col(
            prefix[5],
            "Code postal",
            group,
            true,
            Choices::Free,
            "5 chiffres",
            "codePostal",
        ),
        col(
            prefix[6],
            "Commune",
            group,
            true,
            Choices::Free,
            "",
            "commune",
        ),
    ]
}

const CARD_ADDRESS: [Column; 7] = address(
    Group::CardAddress,
    [
        "carte_destinataire",
        "carte_complement",
        "carte_numero",
        "carte_voie",
        "carte_lieu_dit",
        "carte_code_postal",
        "carte_commune",
    ],
);
const PIN_ADDRESS: [Column; 7] = address(
    Group::PinAddress,
    [
        "pin_destinataire",
        "pin_complement",
        "pin_numero",
        "pin_voie",
        "pin_lieu_dit",
        "pin_code_postal",
        "pin_commune",
    ],
);

const BASE: [Column; 18] = [
    col(
        "type_carte",
        "Type de carte",
        Group::Card,
        true,
        Choices::Fixed(CARD_TYPES),
        "CPE, CPA ou CPS",
        "typeCarte",
    ),
    col(
        "nominative",
        "Carte nominative",
        Group::Card,
        false,
        Choices::Fixed(YES_NO),
        "oui (par défaut) ou non : une carte non nominative est détenue par l'employeur",
        "nominative",
    ),
    col(
        "civilite",
        "Civilité",
        Group::Holder,
        true,
        Choices::Table(&CIVILITE),
        "",
        "civilite",
    ),
    col(
        "nom_naissance",
        "Nom de naissance",
        Group::Holder,
        true,
        Choices::Free,
        "",
        "nomNaissance",
    ),
    col(
        "nom_usage",
        "Nom d'usage",
        Group::Holder,
        false,
        Choices::Free,
        "S'il diffère du nom de naissance",
        "nomUsage",
    ),
    col(
        "prenoms",
        "Prénoms",
        Group::Holder,
        true,
        Choices::Free,
        "",
        "prenoms",
    ),
    col(
        "date_naissance",
        "Date de naissance",
        Group::Holder,
        true,
        Choices::Free,
        "JJ/MM/AAAA",
        "dateNaissance",
    ),
    col(
        "lieu_naissance",
        "Lieu de naissance",
        Group::Holder,
        true,
        Choices::Free,
        "Commune (pays si né à l'étranger)",
        "lieuNaissance",
    ),
    col(
        "sexe",
        "Sexe",
        Group::Holder,
        true,
        Choices::Fixed(SEXES),
        "",
        "sexe",
    ),
    col(
        "email",
        "Courriel",
        Group::Holder,
        true,
        Choices::Free,
        "",
        "email",
    ),
    col(
        "telephone",
        "Téléphone",
        Group::Holder,
        true,
        Choices::Free,
        "10 chiffres, ou +33…",
        "telephone",
    ),
    col(
        "matricule",
        "Matricule",
        Group::Holder,
        true,
        Choices::Free,
        "Numéro du porteur dans le registre de la structure",
        "matricule",
    ),
    col(
        "profession",
        "Profession",
        Group::Activity,
        false,
        Choices::Table(&PROFESSION),
        "Pour une CPS",
        "profession",
    ),
    col(
        "fonction",
        "Fonction",
        Group::Activity,
        false,
        Choices::Table(&FONCTION),
        "Pour une CPE ou une CPA",
        "fonction",
    ),
    col(
        "rpps",
        "Numéro RPPS",
        Group::Activity,
        false,
        Choices::Free,
        "11 chiffres, pour une CPS",
        "numeroRpps",
    ),
    col(
        "secteur",
        "Secteur d'activité",
        Group::Activity,
        true,
        Choices::Table(&SECTEUR_ACTIVITE),
        "",
        "secteurActivite",
    ),
    col(
        "genre",
        "Genre d'activité",
        Group::Activity,
        false,
        Choices::Table(&GENRE_ACTIVITE),
        "",
        "genreActivite",
    ),
    col(
        "mode",
        "Mode d'exercice",
        Group::Activity,
        false,
        Choices::Table(&MODE_EXERCICE),
        "",
        "modeExercice",
    ),
];

/// Every column, in template order.
pub fn columns() -> Vec<Column> {
    BASE.iter()
        .chain(CARD_ADDRESS.iter())
        .chain(PIN_ADDRESS.iter())
        .copied()
        .collect()
}

/// The order's header, as the page knows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SheetHeader {
    pub structure_kind: Option<StructureKind>,
    pub structure_value: String,
    pub issuer_national_id: Option<String>,
    pub issuer_last_name: String,
    pub issuer_first_name: String,
    pub issuer_email: String,
    pub reference: String,
    /// `AAAA-MM-JJThh:mm:ssZ`.
    pub created_at: String,
}

/// A cell as the XML wants it: trimmed; a French date (JJ/MM/AAAA) in ISO form; a choice's code
/// when the label came with it ("10 - Médecin"); oui/non as true/false.
pub fn normalize(column: &Column, raw: &str) -> String {
    let v = raw.trim();
    if column.element == "dateNaissance" {
        // A date Excel stored as a number (days since 1899-12-30) in a cell not formatted as text.
        if let Ok(serial) = v.parse::<u32>() {
            if (1..=2_958_465).contains(&serial) {
                let days = i64::from(serial) - 25_569; // 1899-12-30 → 1970-01-01
                if let Some(d) = crate::date::Date::from_days(days) {
                    return d.to_string();
                }
            }
        }
        let parts: Vec<&str> = v.split('/').collect();
        if let [d, m, y] = parts[..] {
            if d.len() <= 2 && m.len() <= 2 && y.len() == 4 {
                return format!("{y}-{m:0>2}-{d:0>2}");
            }
        }
        return v.to_string();
    }
    if column.element == "nominative" {
        return match v.to_lowercase().as_str() {
            "" | "oui" | "o" | "true" | "vrai" | "1" => "true".into(),
            "non" | "n" | "false" | "faux" | "0" => "false".into(),
            _ => v.to_string(),
        };
    }
    if !matches!(column.choices, Choices::Free) {
        for sep in [" - ", " — ", " – "] {
            if let Some((code, _)) = v.split_once(sep) {
                return code.trim().to_string();
            }
        }
    }
    v.to_string()
}

fn leaf(out: &mut String, indent: usize, tag: &str, value: &str) {
    let _ = writeln!(
        out,
        "{:indent$}<{tag}>{}</{tag}>",
        "",
        escape(value),
        indent = indent
    );
}

/// Writes one card request from a row of values (by column, in [`columns`] order). Optional
/// empty values are left out; required ones are written empty, so that the validator names them.
pub fn write_card_request(out: &mut String, columns: &[Column], row: &[String]) {
    let value = |key: &str| -> String {
        columns
            .iter()
            .position(|c| c.key == key)
            .map(|i| normalize(&columns[i], row.get(i).map(String::as_str).unwrap_or("")))
            .unwrap_or_default()
    };
    let field = |out: &mut String, indent: usize, key: &str, element: &str, required: bool| {
        let v = value(key);
        if required || !v.is_empty() {
            leaf(out, indent, element, &v);
        }
    };
    out.push_str("    <demandeCarte>\n");
    field(out, 6, "type_carte", "typeCarte", true);
    out.push_str("      <porteur>\n");
    for (key, element, required) in [
        ("civilite", "civilite", true),
        ("nom_naissance", "nomNaissance", true),
        ("nom_usage", "nomUsage", false),
        ("prenoms", "prenoms", true),
        ("date_naissance", "dateNaissance", true),
        ("lieu_naissance", "lieuNaissance", true),
        ("sexe", "sexe", true),
        ("email", "email", true),
        ("telephone", "telephone", true),
        ("matricule", "matricule", true),
    ] {
        field(out, 8, key, element, required);
    }
    out.push_str("      </porteur>\n      <activite>\n");
    if value("profession").is_empty() {
        field(out, 8, "fonction", "fonction", true);
    } else {
        field(out, 8, "profession", "profession", true);
    }
    field(out, 8, "rpps", "numeroRpps", false);
    field(out, 8, "secteur", "secteurActivite", true);
    field(out, 8, "genre", "genreActivite", false);
    field(out, 8, "mode", "modeExercice", false);
    out.push_str("      </activite>\n");
    field(out, 6, "nominative", "nominative", true);
    for (tag, prefix) in [("adresseCarte", "carte"), ("adressePin", "pin")] {
        let _ = writeln!(out, "      <{tag}>");
        for (suffix, element, required) in [
            ("destinataire", "destinataire", true),
            ("complement", "complement", false),
            ("numero", "numeroVoie", false),
            ("voie", "voie", false),
            ("lieu_dit", "lieuDit", false),
            ("code_postal", "codePostal", true),
            ("commune", "commune", true),
        ] {
            field(out, 8, &format!("{prefix}_{suffix}"), element, required);
        }
        let _ = writeln!(out, "      </{tag}>");
    }
    out.push_str("    </demandeCarte>\n");
}

/// The whole order file for these rows.
pub fn order_xml(header: &SheetHeader, rows: &[Vec<String>]) -> String {
    let columns = columns();
    let mut out = String::with_capacity(1024 + rows.len() * 1600);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<commande xmlns=\"{NAMESPACE_V1}\">");
    out.push_str("  <entete>\n    <structure>\n");
    let tag = match header.structure_kind {
        Some(StructureKind::Siret) => "siret",
        _ => "finess",
    };
    leaf(&mut out, 6, tag, &header.structure_value);
    out.push_str("    </structure>\n    <emetteur>\n");
    if let Some(id) = &header.issuer_national_id {
        leaf(&mut out, 6, "identifiantNational", id);
    }
    leaf(&mut out, 6, "nom", &header.issuer_last_name);
    leaf(&mut out, 6, "prenom", &header.issuer_first_name);
    leaf(&mut out, 6, "email", &header.issuer_email);
    out.push_str("    </emetteur>\n");
    leaf(&mut out, 4, "referenceEmetteur", &header.reference);
    leaf(&mut out, 4, "dateCreation", &header.created_at);
    out.push_str("  </entete>\n  <operations>\n");
    for row in rows {
        write_card_request(&mut out, &columns, row);
    }
    out.push_str("  </operations>\n</commande>\n");
    out
}

/// A filled row (a CPE for a secretary, codes sent to her at another address), valid for a
/// FINESS structure: for documentation and tests.
pub fn example_row() -> Vec<String> {
    let values = [
        ("type_carte", "CPE"),
        ("civilite", "MME"),
        ("nom_naissance", "LOUIN"),
        ("prenoms", "Julie"),
        ("date_naissance", "21/06/1995"),
        ("lieu_naissance", "Rouen"),
        ("sexe", "F"),
        ("email", "julie.louin@example.fr"),
        ("telephone", "0235000000"),
        ("matricule", "000018"),
        ("fonction", "FON-33 - Secrétaire"),
        ("secteur", "SA33"),
        ("carte_destinataire", "CHU DE DEMO"),
        ("carte_numero", "14"),
        ("carte_voie", "RUE JEANNE D'ARC"),
        ("carte_code_postal", "76000"),
        ("carte_commune", "ROUEN"),
        ("pin_destinataire", "JULIE LOUIN"),
        ("pin_voie", "2 PLACE DU MARCHE"),
        ("pin_code_postal", "76000"),
        ("pin_commune", "ROUEN"),
    ];
    columns()
        .iter()
        .map(|c| {
            values
                .iter()
                .find(|(k, _)| *k == c.key)
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        })
        .collect()
}

/// Where a validator error of a generated file belongs: the row (0-based) and the column key,
/// from its path (`/commande/operations/demandeCarte[3]/adressePin/codePostal`). Errors of the
/// header give `None` for the row.
pub fn locate(path: &str) -> (Option<usize>, Option<&'static str>) {
    let mut steps = path.split('/').filter(|s| !s.is_empty());
    let mut row = None;
    let mut group = None;
    let mut last = None;
    for step in steps.by_ref() {
        let name = step.split('[').next().unwrap_or(step);
        if name == "demandeCarte" {
            row = step
                .split('[')
                .nth(1)
                .and_then(|n| n.trim_end_matches(']').parse::<usize>().ok())
                .map(|n| n.saturating_sub(1))
                .or(Some(0));
        }
        match name {
            "adresseCarte" => group = Some(Group::CardAddress),
            "adressePin" => group = Some(Group::PinAddress),
            _ => {}
        }
        last = Some(name);
    }
    let key = last.and_then(|element| {
        columns()
            .into_iter()
            .find(|c| {
                c.element == element
                    && match group {
                        Some(g) => c.group == g,
                        None => !matches!(c.group, Group::CardAddress | Group::PinAddress),
                    }
            })
            .map(|c| c.key)
    });
    (row, key)
}

/// A problem with the spreadsheet itself (not with a value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetError {
    /// 1-based line of the CSV (or row of the sheet).
    pub line: usize,
    /// French message: `what` rendered with the French catalogue.
    pub message: String,
    /// The message as data (code and arguments), to render in another language.
    pub what: Message,
}

impl SheetError {
    pub fn new(line: usize, what: Message) -> Self {
        SheetError {
            line,
            message: what.to_french(),
            what,
        }
    }
}

/// Splits CSV text as French Excel writes it: `;` separators, `"` quoting with `""` escapes,
/// CRLF or LF line ends, an optional UTF-8 BOM. Returns the records with their first line.
pub fn parse_csv(text: &str) -> Result<Vec<(usize, Vec<String>)>, SheetError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut start_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ';' => record.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push((start_line, std::mem::take(&mut record)));
                line += 1;
                start_line = line;
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(SheetError::new(
            start_line,
            Message::new("tableur_guillemet_ouvert"),
        ));
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push((start_line, record));
    }
    Ok(records
        .into_iter()
        .filter(|(_, r)| r.iter().any(|v| !v.trim().is_empty()))
        .collect())
}

/// A CSV file's text: UTF-8 (with or without BOM), or else Windows-1252 as French Excel's
/// « CSV (séparateur : point-virgule) » writes it, decoded by the Encoding Standard's table (every
/// byte of 0x80–0x9F that Windows-1252 defines, not only the French ones).
pub fn decode_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

fn simplify(header: &str) -> String {
    header
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            '’' => '\'',
            c => c,
        })
        .collect()
}

/// A filled table (the header row first, then one row per card request) as rows in
/// [`columns`] order, with the line each row came from. Headers are matched without regard to
/// case or accents, and the address columns by their group prefix.
pub fn rows_from_table(
    records: &[(usize, Vec<String>)],
) -> Result<Vec<(usize, Vec<String>)>, SheetError> {
    let columns = columns();
    let Some((header_line, headers)) = records.first() else {
        return Err(SheetError::new(1, Message::new("tableur_vide")));
    };
    let titles: Vec<String> = columns.iter().map(template_header).collect();
    let mut index = vec![None; columns.len()];
    for (i, h) in headers.iter().enumerate() {
        let h = simplify(h);
        if h.is_empty() {
            continue;
        }
        match titles.iter().position(|t| simplify(t) == h) {
            Some(c) => index[c] = Some(i),
            None => {
                return Err(SheetError::new(
                    *header_line,
                    Message::new("tableur_colonne_inconnue").arg("column", headers[i].trim()),
                ))
            }
        }
    }
    if let Some(c) = columns
        .iter()
        .zip(&index)
        .find(|(c, i)| c.required && i.is_none())
        .map(|(c, _)| c)
    {
        return Err(SheetError::new(
            *header_line,
            Message::new("tableur_colonne_absente").arg("column", template_header(c)),
        ));
    }
    if records.len() < 2 {
        return Err(SheetError::new(
            *header_line,
            Message::new("tableur_sans_ligne"),
        ));
    }
    Ok(records[1..]
        .iter()
        .map(|(line, r)| {
            let row = index
                .iter()
                .map(|i| i.and_then(|i| r.get(i)).cloned().unwrap_or_default())
                .collect();
            (*line, row)
        })
        .collect())
}

/// The column's title in the template: the address columns carry their group.
pub fn template_header(c: &Column) -> String {
    match c.group {
        Group::CardAddress => format!("Carte — {}", c.header),
        Group::PinAddress => format!("Codes — {}", c.header),
        _ => c.header.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::order::validate;

    fn today() -> Date {
        Date::new(2026, 11, 24).unwrap()
    }

    fn header() -> SheetHeader {
        SheetHeader {
            structure_kind: Some(StructureKind::Finess),
            structure_value: "940000011".into(),
            issuer_national_id: Some("3940000011/000101".into()),
            issuer_last_name: "MARTIN".into(),
            issuer_first_name: "Sophie".into(),
            issuer_email: "sophie.martin@example.fr".into(),
            reference: "FORM-1".into(),
            created_at: "2026-11-24T10:00:00Z".into(),
        }
    }

    fn good_row() -> Vec<String> {
        example_row()
    }

    #[test]
    fn a_filled_row_makes_a_valid_order() {
        let xml = order_xml(&header(), &[good_row()]);
        let report = validate(xml.as_bytes(), today());
        assert!(report.is_valid(), "{:#?}\n{xml}", report.errors);
        let order = report.order.unwrap();
        assert_eq!(order.operations.len(), 1);
    }

    #[test]
    fn each_mistake_is_located_at_its_row_and_column() {
        let mut bad = good_row();
        let cols = columns();
        let at = |k: &str| cols.iter().position(|c| c.key == k).unwrap();
        bad[at("pin_code_postal")] = "7600".into();
        bad[at("nom_naissance")] = String::new();
        let xml = order_xml(&header(), &[good_row(), bad]);
        let report = validate(xml.as_bytes(), today());
        let located: Vec<_> = report.errors.iter().map(|e| locate(&e.path)).collect();
        assert!(
            located.contains(&(Some(1), Some("pin_code_postal"))),
            "{located:?}"
        );
        assert!(
            located.contains(&(Some(1), Some("nom_naissance"))),
            "{located:?}"
        );
        assert!(
            located.iter().all(|(row, _)| *row == Some(1)),
            "{located:?}"
        );
    }

    #[test]
    fn csv_as_french_excel_writes_it_becomes_rows() {
        let cols = columns();
        let titles: Vec<String> = cols.iter().map(template_header).collect();
        let row = good_row();
        let quoted: Vec<String> = row
            .iter()
            .map(|v| format!("\"{}\"", v.replace('"', "\"\"")))
            .collect();
        let csv = format!(
            "\u{feff}{}\r\n{}\r\n;;\r\n",
            titles.join(";"),
            quoted.join(";")
        );
        let records = parse_csv(&csv).unwrap();
        let rows = rows_from_table(&records).unwrap();
        assert_eq!(rows, vec![(2, row)]);
    }

    #[test]
    fn csv_problems_say_where() {
        assert_eq!(parse_csv("a;\"b\n").unwrap_err().line, 1);
        let e =
            rows_from_table(&parse_csv("Type de carte;Couleur\nCPE;bleu\n").unwrap()).unwrap_err();
        assert!(e.message.contains("Couleur"), "{e:?}");
        let e = rows_from_table(&parse_csv("Type de carte\nCPE\n").unwrap()).unwrap_err();
        assert!(e.message.contains("obligatoire"), "{e:?}");
        // Headers match without regard to case or accents.
        let titles: Vec<String> = columns()
            .iter()
            .map(|c| simplify(&template_header(c)).to_uppercase())
            .collect();
        let rows = rows_from_table(
            &parse_csv(&format!(
                "{}\n{}\n",
                titles.join(";"),
                ";".repeat(titles.len() - 1) + "x"
            ))
            .unwrap(),
        );
        assert!(rows.is_ok(), "{rows:?}");
    }

    #[test]
    fn csv_text_is_utf8_or_windows_1252() {
        assert_eq!(decode_text("Prénoms".as_bytes()), "Prénoms");
        assert_eq!(decode_text(b"Pr\xe9noms \x92"), "Prénoms ’");
    }

    #[test]
    fn every_windows_1252_character_of_0x80_to_0x9f_is_decoded() {
        let bytes: Vec<u8> = (0x80..=0x9f).collect();
        let text = decode_text(&bytes);
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars.len(), 32);
        // The 27 characters Windows-1252 defines there; the 5 bytes it leaves undefined
        // (0x81, 0x8D, 0x8F, 0x90, 0x9D) stay as the Encoding Standard maps them.
        let defined: String = chars
            .iter()
            .zip(0x80u8..)
            .filter(|(_, b)| ![0x81, 0x8d, 0x8f, 0x90, 0x9d].contains(b))
            .map(|(c, _)| c)
            .collect();
        assert_eq!(defined, "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
        assert_eq!(text, encoding_rs::WINDOWS_1252.decode(&bytes).0);
        assert_eq!(decode_text(b"\x8aibenik"), "Šibenik");
    }

    #[test]
    fn values_are_normalized_for_the_xml() {
        let cols = columns();
        let find = |k: &str| *cols.iter().find(|c| c.key == k).unwrap();
        assert_eq!(
            normalize(&find("date_naissance"), " 1/2/1990 "),
            "1990-02-01"
        );
        assert_eq!(
            normalize(&find("date_naissance"), "1990-02-01"),
            "1990-02-01"
        );
        assert_eq!(normalize(&find("nominative"), "Non"), "false");
        assert_eq!(normalize(&find("nominative"), ""), "true");
        assert_eq!(normalize(&find("profession"), "60 - Infirmier"), "60");
        assert_eq!(
            normalize(&find("nom_naissance"), "DUPONT - MARTIN"),
            "DUPONT - MARTIN"
        );
    }
}

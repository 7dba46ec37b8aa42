//! The card request as a flat row: the columns of the spreadsheet template, the fields of the
//! order form, and their conversion to the XML order file — which the one validator then checks.
//! Values are kept as typed by the user; nothing is judged here, so every mistake is reported
//! by the validator with the same French message as in a file, at the field it belongs to.

use std::fmt::Write as _;

use quick_xml::escape::escape;

use crate::message::Message;
use crate::nomenclature::{
    Nomenclature, CIVILITE, FONCTION, GENRE_ACTIVITE, MODE_EXERCICE, PROFESSION,
    RPPS_SIMPLIFIED_PROFESSIONS, SECTEUR_ACTIVITE,
};
use crate::order::model::StructureKind;
use crate::order::table::{number_text, Cell, SheetError, Table};
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
    /// The non-deprecated codes of a nomenclature but these: the professions a structure may
    /// order a CPS for (not the ones whose order issues the card through the RPPS).
    TableWithout(&'static Nomenclature, &'static [&'static str]),
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
            Choices::TableWithout(t, left_out) => t
                .entries
                .iter()
                .filter(|e| !e.deprecated && !left_out.contains(&e.code))
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

/// The seven lines of a postal address. The PIN-code address may be left empty as a whole: the
/// codes then go to the card's address (as the form's « même adresse » box says).
const fn address(group: Group, prefix: [&'static str; 7]) -> [Column; 7] {
    let required = matches!(group, Group::CardAddress);
    [
        col(
            prefix[0],
            "Destinataire",
            group,
            required,
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
            required,
            Choices::Free,
            "5 chiffres",
            "codePostal",
        ),
        col(
            prefix[6],
            "Commune",
            group,
            required,
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
        Choices::TableWithout(&PROFESSION, RPPS_SIMPLIFIED_PROFESSIONS),
        "Pour une CPS. Médecins, pharmaciens, chirurgiens-dentistes et sages-femmes ne sont pas dans la liste : leur ordre leur délivre la carte via le RPPS",
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
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// A value as the XML wants it: trimmed, in NFC; a French date (JJ/MM/AAAA) in ISO form; a
/// choice's code when its label came with it, as the template's drop-down lists write it
/// (« 60 - Infirmier », « oui - Oui »); oui/non as true/false.
pub fn normalize(column: &Column, raw: &str) -> String {
    let v = raw.trim();
    if column.element == "dateNaissance" {
        return french_date(v).unwrap_or_else(|| v.to_string());
    }
    let mut v = v.to_string();
    if !matches!(column.choices, Choices::Free) {
        for sep in [" - ", " — ", " – "] {
            if let Some((code, _)) = v.split_once(sep) {
                v = code.trim().to_string();
                break;
            }
        }
        // A code typed in another case (« mme », « cpe ») is the code.
        if let Some((code, _)) = column
            .choices
            .options()
            .into_iter()
            .find(|(code, _)| code.eq_ignore_ascii_case(&v))
        {
            v = code.to_string();
        }
    }
    // A phone number written in groups (« 02 35 00 00 00 », « 02.35.00.00.00 »).
    if column.element == "telephone"
        && v.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+'))
    {
        v.retain(|c| !matches!(c, ' ' | '.' | '-'));
    }
    if column.element == "nominative" {
        return match v.to_lowercase().as_str() {
            "" | "oui" | "o" | "true" | "vrai" | "1" => "true".into(),
            "non" | "n" | "false" | "faux" | "0" => "false".into(),
            _ => v,
        };
    }
    v
}

/// A date as French Excel writes it (`JJ/MM/AAAA`, also with `-` or `.`, day and month on one
/// or two digits), already ISO (`AAAA-MM-JJ`), or a serial number of the 1900 date system (a
/// date cell saved as a number in a CSV file), in ISO form. `None` for anything else.
fn french_date(v: &str) -> Option<String> {
    if let Ok(serial) = v.parse::<u32>() {
        return serial_date(f64::from(serial), false);
    }
    let parts: Vec<&str> = v.split(['/', '-', '.']).collect();
    if let [d, m, y] = parts[..] {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if digits(d) && digits(m) && digits(y) && d.len() <= 2 && m.len() <= 2 && y.len() == 4 {
            return Some(format!("{y}-{m:0>2}-{d:0>2}"));
        }
    }
    crate::date::Date::parse_iso(v).map(|d| d.to_string())
}

/// The day of an Excel serial number: days since 1899-12-30 in the 1900 date system (whose
/// serials after 60 count Lotus' 29 February 1900), since 1904-01-01 in the 1904 one.
fn serial_date(serial: f64, date1904: bool) -> Option<String> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let since_1970 = if date1904 {
        days - 24_107 // 1904-01-01 → 1970-01-01
    } else {
        days - 25_569 // 1899-12-30 → 1970-01-01
    };
    crate::date::Date::from_days(since_1970).map(|d| d.to_string())
}

/// Text columns that hold a fixed number of digits, as the XSD types them: Excel turns such a
/// value into a number and drops its leading zero unless the column is formatted as text.
fn fixed_digits(element: &str) -> Option<usize> {
    match element {
        "telephone" => Some(10),
        "codePostal" => Some(5),
        "numeroRpps" => Some(11),
        "finess" => Some(9),
        "siret" => Some(14),
        _ => None,
    }
}

/// `1,00E+10`: a number Excel showed (and saved in a CSV file) in scientific notation.
fn is_scientific(v: &str) -> bool {
    let v = v.trim();
    let Some((mantissa, exponent)) = v.split_once(['E', 'e']) else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let mut parts = mantissa.splitn(2, [',', '.']);
    let int = parts.next().unwrap_or("");
    let frac = parts.next().unwrap_or("0");
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(int) && digits(frac) && digits(exponent)
}

/// Excel's error values, as a cell shows them (French and English Excel).
const EXCEL_ERRORS: &[&str] = &[
    "#N/A",
    "#VALEUR!",
    "#VALUE!",
    "#REF!",
    "#DIV/0!",
    "#NOM?",
    "#NAME?",
    "#NUM!",
    "#NUL!",
    "#NULL!",
    "#CALC!",
    "#PROPAGATION!",
    "#SPILL!",
];

/// The first character of `text` that looks like nothing on screen but is not an ordinary
/// space or letter — a line break typed with Alt+Entrée, a tab, a no-break space, a zero-width
/// character — with its 1-based position and its name.
fn invisible_character(text: &str) -> Option<(usize, &'static str)> {
    text.chars().enumerate().find_map(|(i, c)| {
        let what = match c {
            '\n' | '\r' => "un saut de ligne (Alt+Entrée)",
            '\t' => "une tabulation",
            '\u{A0}' | '\u{202F}' | '\u{2007}' => "une espace insécable",
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {
                "un caractère invisible de largeur nulle"
            }
            _ => return None,
        };
        Some((i + 1, what))
    })
}

/// What Excel probably did to a cell, when the value shows it (a number where the template
/// expects text, a lost leading zero, scientific notation, a two-digit year, an invisible
/// control character): a message that names the likely cause and the fix.
fn excel_habit(column: &Column, cell: &Cell, text: &str) -> Option<Message> {
    let title = template_header(column);
    let note = |code: &'static str| {
        Message::new(code)
            .arg("column", title.as_str())
            .arg("value", text)
    };
    if let Some((position, c)) = crate::text::control_character(text) {
        return Some(
            Message::new("tableur_caractere_controle")
                .arg("column", title.as_str())
                .arg("character", crate::text::code_point(c))
                .arg("position", position.to_string()),
        );
    }
    if let Some((position, what)) = invisible_character(text) {
        return Some(
            Message::new("tableur_caractere_invisible")
                .arg("column", title.as_str())
                .arg("what", what)
                .arg("position", position.to_string()),
        );
    }
    let v = text.trim();
    if EXCEL_ERRORS.contains(&v) {
        return Some(note("tableur_erreur_excel"));
    }
    if matches!(cell, Cell::Number(x) if x.abs() >= 1e15) {
        return Some(note("tableur_notation_scientifique"));
    }
    if column.element == "dateNaissance" {
        let parts: Vec<&str> = v.split(['/', '-', '.']).collect();
        if let [d, m, y] = parts[..] {
            let digits = |s: &str, n: usize| {
                (1..=n).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
            };
            if digits(d, 2) && digits(m, 2) && y.len() == 2 && digits(y, 2) {
                return Some(note("tableur_annee_deux_chiffres"));
            }
        }
        return None;
    }
    if matches!(column.choices, Choices::Free) && is_scientific(v) {
        return Some(note("tableur_notation_scientifique"));
    }
    let number = matches!(cell, Cell::Number(_));
    if let Some(n) = fixed_digits(column.element) {
        let all_digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
        if all_digits && v.len() < n && (number || v.len() == n - 1) {
            return Some(note("tableur_zero_de_tete").arg("digits", n.to_string()));
        }
        if number && column.element == "telephone" && all_digits && v.len() > n {
            return Some(note("tableur_nombre_pour_texte"));
        }
    }
    None
}

/// The value of one cell for the XML, and what Excel probably did to it. A number cell is
/// written without decimals, a date cell in ISO form; in a date column, a number is a serial of
/// the workbook's date system (`date1904`).
pub fn cell_value(column: &Column, cell: &Cell, date1904: bool) -> (String, Option<Message>) {
    let text = match cell {
        Cell::Number(n) if column.element == "dateNaissance" => {
            serial_date(*n, date1904).unwrap_or_else(|| number_text(*n))
        }
        // A date in another column, as Excel shows it.
        Cell::Date(iso) if column.element != "dateNaissance" => {
            match iso.split('-').collect::<Vec<_>>()[..] {
                [y, m, d] => format!("{d}/{m}/{y}"),
                _ => iso.clone(),
            }
        }
        // A decimal number as French Excel shows it.
        Cell::Number(n) if n.fract() != 0.0 => number_text(*n).replace('.', ","),
        other => other.text(),
    };
    let habit = excel_habit(column, cell, &text);
    // A character XML cannot carry is left out; its note says where it was.
    let text: String = if habit.is_some() {
        text.chars()
            .filter(|c| !crate::text::is_refused_control(*c))
            .collect()
    } else {
        text
    };
    (normalize(column, &text), habit)
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

/// Writes one card request from a row of normalised values (by column, in [`columns`] order).
/// Optional empty values are left out; required ones are written empty, so that the validator
/// names them. An empty PIN-code address is the card's address.
pub fn write_card_request(out: &mut String, columns: &[Column], row: &[String]) {
    let raw = |key: &str| -> &str {
        columns
            .iter()
            .position(|c| c.key == key)
            .and_then(|i| row.get(i))
            .map_or("", String::as_str)
    };
    let pin_empty = columns
        .iter()
        .zip(row)
        .all(|(c, v)| c.group != Group::PinAddress || v.is_empty());
    let value = |key: &str| -> String {
        match key.strip_prefix("pin_") {
            Some(rest) if pin_empty => raw(&format!("carte_{rest}")).to_string(),
            _ => raw(key).to_string(),
        }
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
    // Both when both are given (the validator says only one is allowed); a CPS with neither
    // is told its profession is missing, any other card its fonction.
    let (profession, fonction) = (value("profession"), value("fonction"));
    let cps = value("type_carte") == "CPS";
    if !fonction.is_empty() || (profession.is_empty() && !cps) {
        field(out, 8, "fonction", "fonction", true);
    }
    if !profession.is_empty() || (fonction.is_empty() && cps) {
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

/// What Excel probably did to one cell (see [`cell_value`]): reported at that cell in place of
/// the validator's finding there.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CellNote {
    /// 0-based row of the converted rows.
    pub row: usize,
    /// The column's key.
    pub key: String,
    pub what: Message,
}

/// A spreadsheet converted to the XML order: the XML, the line each row came from, and the
/// notes on cells Excel probably changed.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Converted {
    pub xml: String,
    pub lines: Vec<usize>,
    pub notes: Vec<CellNote>,
    /// The line of the XML where each row's card request starts.
    #[serde(default)]
    pub xml_lines: Vec<usize>,
    /// The rows whose PIN-code address was left empty (the card's was written for it).
    #[serde(default)]
    pub pin_copied: Vec<usize>,
    /// Cells whose value was rewritten for the XML (a French date, oui/non, a phone number in
    /// groups): (row, column key, the value as typed), so that a finding shows what the user
    /// typed.
    #[serde(default)]
    pub typed: Vec<(usize, String, String)>,
}

/// What the order's header comes from, for a finding there (it is not in the sheet).
fn header_field(path: &str) -> Option<&'static str> {
    let last = path.rsplit('/').next().unwrap_or("");
    Some(match last {
        "finess" => "En-tête : FINESS de la structure",
        "siret" => "En-tête : SIRET de la structure",
        "identifiantNational" => "En-tête : identifiant national de l'émetteur",
        "nom" => "En-tête : nom de l'émetteur",
        "prenom" => "En-tête : prénom de l'émetteur",
        "email" => "En-tête : adresse électronique de l'émetteur",
        "referenceEmetteur" => "En-tête : référence de la commande",
        "dateCreation" => "En-tête : date de la commande",
        _ => return None,
    })
}

/// `message` with the XML's words replaced by the sheet's: the element by the column title,
/// the value written in the XML by the value typed, XML formats by the template's.
fn in_sheet_words(message: &str, column: &Column, typed: Option<&str>, written: &str) -> String {
    let mut m = message.replace(
        &format!("« {} »", column.element),
        &format!("« {} »", template_header(column)),
    );
    if let Some(typed) = typed {
        m = m.replace(&format!("« {written} »"), &format!("« {typed} »"));
    }
    match column.element {
        "dateNaissance" => m.replace("AAAA-MM-JJ", "JJ/MM/AAAA"),
        "nominative" => m
            .replace("attendu true, false, 1 ou 0", "attendu oui ou non")
            .replace("true ou false", "oui ou non"),
        _ => m,
    }
}

/// A finding of the validator on the converted XML, as a client holds it.
#[derive(Clone, Copy, Debug)]
pub struct XmlFinding<'a> {
    pub line: usize,
    pub path: &'a str,
    pub code: &'a str,
    pub message: &'a str,
    pub error: bool,
}

impl<'a> From<&'a crate::order::ValidationError> for XmlFinding<'a> {
    fn from(e: &'a crate::order::ValidationError) -> Self {
        XmlFinding {
            line: e.line as usize,
            path: &e.path,
            code: e.code,
            message: &e.message,
            error: e.is_error(),
        }
    }
}

/// A finding placed in the user's spreadsheet: its line and column title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetFinding {
    /// 1-based line of the sheet; for the order's header (made by TOM, not in the sheet), the
    /// line of the generated XML.
    pub line: usize,
    /// The column's title in the template, or the XML path when the finding is not a cell's.
    pub column: String,
    pub code: String,
    pub message: String,
    pub error: bool,
}

impl Converted {
    /// The validator's findings on [`Self::xml`] placed at the sheet's lines and column titles,
    /// each cell's note replacing the findings of that cell (it names the cause); the notes of
    /// cells the validator found nothing wrong with are added, as errors.
    pub fn report<'a>(
        &self,
        findings: impl IntoIterator<Item = XmlFinding<'a>>,
    ) -> Vec<SheetFinding> {
        let columns = columns();
        let title = |key: &str| {
            columns
                .iter()
                .find(|c| c.key == key)
                .map(template_header)
                .unwrap_or_default()
        };
        let note_finding = |n: &CellNote| SheetFinding {
            line: self.lines.get(n.row).copied().unwrap_or(0),
            column: title(&n.key),
            code: n.what.code.to_string(),
            message: n.what.to_french(),
            error: true,
        };
        let mut used = vec![false; self.notes.len()];
        let mut out = Vec::new();
        for f in findings {
            let (row, key) = locate(f.path);
            let column = key.and_then(|k| columns.iter().find(|c| c.key == k));
            let line = row.and_then(|r| self.lines.get(r)).copied();
            if let (Some(r), Some(c)) = (row, column) {
                // An empty PIN-code address took the card's: its findings are the card's.
                if c.group == Group::PinAddress && self.pin_copied.contains(&r) {
                    continue;
                }
                if let Some(i) = self.notes.iter().position(|n| n.row == r && n.key == c.key) {
                    if !used[i] {
                        used[i] = true;
                        out.push(note_finding(&self.notes[i]));
                    }
                    continue;
                }
            }
            let mut message = f.message.to_string();
            if let (Some(r), Some(c)) = (row, column) {
                let typed = self
                    .typed
                    .iter()
                    .find(|(tr, k, _)| *tr == r && k == c.key)
                    .map(|(_, _, t)| t.as_str());
                let written = written_value(f.message);
                message = in_sheet_words(&message, c, typed, written.unwrap_or(""));
            }
            // « à l'opération n°3 (ligne 40) »: the line of the sheet, not of the XML.
            if let Some((op_at, xml_line)) = earlier_operation(&message) {
                if let Some(r) = self.xml_lines.iter().position(|l| *l == xml_line) {
                    if let Some(sheet_line) = self.lines.get(r) {
                        message = message.replace(
                            &message[op_at.0..op_at.1],
                            &format!("à la ligne {sheet_line} du tableur"),
                        );
                    }
                }
            }
            let (line, column) = match (line, column) {
                (Some(l), Some(c)) => (l, template_header(c)),
                (Some(l), None) => (l, String::new()),
                (None, _) => (
                    0,
                    header_field(f.path).map_or_else(|| f.path.to_string(), str::to_string),
                ),
            };
            out.push(SheetFinding {
                line,
                column,
                code: f.code.to_string(),
                message,
                error: f.error,
            });
        }
        for (n, _) in self.notes.iter().zip(&used).filter(|(_, u)| !**u) {
            out.push(note_finding(n));
        }
        // In the sheet's order (the header's findings first).
        out.sort_by_key(|f| f.line);
        out
    }
}

/// The value a validator message quotes first (`valeur « 1995-21-06 » invalide …`).
fn written_value(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("valeur « ")?;
    rest.split_once(" »").map(|(v, _)| v)
}

/// Where a duplicate-holder message names the earlier operation (`à l'opération n°3 (ligne
/// 40)`): the byte range of those words and the XML line.
fn earlier_operation(message: &str) -> Option<((usize, usize), usize)> {
    let start = message.find("à l'opération n°")?;
    let open = start + message[start..].find("(ligne ")?;
    let close = open + message[open..].find(')')?;
    let line = message[open + "(ligne ".len()..close].parse().ok()?;
    Some(((start, close + 1), line))
}

/// Converts rows (in [`columns`] order, with their sheet lines) to the XML order for `header`:
/// the conversion of the browser page, of `tom order convert` and of the order form.
pub fn convert(header: &SheetHeader, rows: &[(usize, Vec<Cell>)], date1904: bool) -> Converted {
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
    let mut notes = Vec::new();
    let mut typed = Vec::new();
    let mut pin_copied = Vec::new();
    let mut xml_lines = Vec::with_capacity(rows.len());
    let mut xml_line = 1 + out.matches('\n').count();
    let mut values = Vec::with_capacity(columns.len());
    let blank = Cell::Text(String::new());
    for (r, (_, cells)) in rows.iter().enumerate() {
        values.clear();
        for (c, column) in columns.iter().enumerate() {
            let cell = cells.get(c).unwrap_or(&blank);
            let (value, habit) = cell_value(column, cell, date1904);
            if let Some(what) = habit {
                notes.push(CellNote {
                    row: r,
                    key: column.key.to_string(),
                    what,
                });
            }
            if let Cell::Text(raw) = cell {
                if raw.trim() != value
                    && matches!(column.element, "dateNaissance" | "nominative" | "telephone")
                {
                    typed.push((r, column.key.to_string(), raw.trim().to_string()));
                }
            }
            values.push(value);
        }
        if columns
            .iter()
            .zip(&values)
            .all(|(c, v)| c.group != Group::PinAddress || v.is_empty())
        {
            pin_copied.push(r);
        }
        xml_lines.push(xml_line);
        let before = out.len();
        write_card_request(&mut out, &columns, &values);
        xml_line += out[before..].matches('\n').count();
    }
    out.push_str("  </operations>\n</commande>\n");
    Converted {
        xml: out,
        lines: rows.iter().map(|(line, _)| *line).collect(),
        notes,
        xml_lines,
        pin_copied,
        typed,
    }
}

/// The whole order file for rows of text values (the order form's fields, in [`columns`]
/// order).
pub fn order_xml(header: &SheetHeader, rows: &[Vec<String>]) -> String {
    let rows: Vec<(usize, Vec<Cell>)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (i + 1, r.iter().cloned().map(Cell::Text).collect()))
        .collect();
    convert(header, &rows, false).xml
}

impl SheetHeader {
    /// A spreadsheet order's header for the demo structure A (FINESS 940000011), issued by
    /// its mandataire: for documentation and tests, with [`example_row`].
    pub fn example() -> Self {
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

fn simplify(header: &str) -> String {
    crate::text::nfc(header.trim())
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
            '—' | '–' => '-',
            c => c,
        })
        .collect()
}

/// Whether a cell holds the template's first column title (« Type de carte », in any case):
/// how a renamed order sheet is found in a workbook.
pub fn is_first_title(text: &str) -> bool {
    columns()
        .first()
        .is_some_and(|c| simplify(text) == simplify(&template_header(c)))
}

/// A filled table (the header row first, then one row per card request) as rows in
/// [`columns`] order, with the line each row came from. Headers are matched without regard to
/// case or accents, and the address columns by their group prefix.
pub fn rows_from_table(table: &Table) -> Result<Vec<(usize, Vec<Cell>)>, SheetError> {
    let columns = columns();
    let records = &table.rows;
    let Some((header_line, headers)) = records.first() else {
        return Err(SheetError::new(1, Message::new("tableur_vide")));
    };
    let titles: Vec<String> = columns.iter().map(template_header).collect();
    let mut index = vec![None; columns.len()];
    for (i, h) in headers.iter().enumerate() {
        let h = simplify(&h.text());
        if h.is_empty() {
            continue;
        }
        match titles.iter().position(|t| simplify(t) == h) {
            Some(c) if index[c].is_some() => {
                return Err(SheetError::new(
                    *header_line,
                    Message::new("tableur_colonne_en_double")
                        .arg("column", headers[i].text().trim()),
                ))
            }
            Some(c) => index[c] = Some(i),
            None => {
                return Err(SheetError::new(
                    *header_line,
                    Message::new("tableur_colonne_inconnue")
                        .arg("column", headers[i].text().trim()),
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
    let blank = Cell::Text(String::new());
    Ok(records[1..]
        .iter()
        .map(|(line, r)| {
            let row = index
                .iter()
                .map(|i| i.and_then(|i| r.get(i)).unwrap_or(&blank).clone())
                .collect();
            (*line, row)
        })
        .collect())
}

/// The reference of an order made from a spreadsheet: `TABLEUR-` and a fingerprint of the
/// file's bytes (FNV-1a, 64 bits), so that the same file always makes the same order.
pub fn sheet_reference(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("TABLEUR-{hash:016X}")
}

/// Reads a filled template (XLSX when the bytes are a ZIP archive, CSV otherwise) and converts
/// it for `header` (an empty reference becomes [`sheet_reference`]): the one conversion of the
/// browser page and of `tom order convert`.
#[cfg(feature = "xlsx")]
pub fn convert_file(bytes: &[u8], header: &SheetHeader) -> Result<Converted, SheetError> {
    let mut header = header.clone();
    if header.reference.is_empty() {
        header.reference = sheet_reference(bytes);
    }
    let header = &header;
    let table = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        crate::order::xlsx::read_xlsx(bytes)?
    } else {
        crate::order::table::read_csv(bytes)?
    };
    let mut rows = rows_from_table(&table)?;
    // Text in NFC as it is read, so that the XML offered for download is. (The order form's XML
    // is put in NFC by the validator that checks it, as every file: that keeps the
    // normalisation tables out of the page's own code.)
    for (_, cells) in &mut rows {
        for cell in cells {
            if let Cell::Text(s) = cell {
                if let std::borrow::Cow::Owned(composed) = crate::text::nfc(s) {
                    *s = composed;
                }
            }
        }
    }
    Ok(convert(header, &rows, table.date1904))
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

    fn at(key: &str) -> usize {
        columns().iter().position(|c| c.key == key).unwrap()
    }

    fn column(key: &str) -> Column {
        columns()[at(key)]
    }

    fn cells(row: &[String]) -> Vec<Cell> {
        row.iter().cloned().map(Cell::Text).collect()
    }

    /// The report of a converted set of rows, as the page and the command line give it.
    fn report_of(rows: Vec<Vec<Cell>>, date1904: bool) -> (Converted, Vec<SheetFinding>) {
        let rows: Vec<(usize, Vec<Cell>)> = rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i + 2, r))
            .collect();
        let converted = convert(&header(), &rows, date1904);
        let report = validate(converted.xml.as_bytes(), today());
        let findings = converted.report(report.errors.iter().map(XmlFinding::from));
        (converted, findings)
    }

    #[test]
    fn a_filled_row_makes_a_valid_order() {
        let xml = order_xml(&header(), &[example_row()]);
        let report = validate(xml.as_bytes(), today());
        assert!(report.is_valid(), "{:#?}\n{xml}", report.errors);
        assert_eq!(report.order.unwrap().operations.len(), 1);
    }

    #[test]
    fn each_mistake_is_located_at_its_row_and_column() {
        let mut bad = example_row();
        bad[at("pin_code_postal")] = "7600".into();
        bad[at("nom_naissance")] = String::new();
        let (_, findings) = report_of(vec![cells(&example_row()), cells(&bad)], false);
        let placed: Vec<(usize, &str)> = findings
            .iter()
            .map(|f| (f.line, f.column.as_str()))
            .collect();
        assert!(placed.contains(&(3, "Codes — Code postal")), "{placed:?}");
        assert!(placed.contains(&(3, "Nom de naissance")), "{placed:?}");
        assert!(placed.iter().all(|(line, _)| *line == 3), "{placed:?}");
    }

    #[test]
    fn every_value_of_the_templates_lists_is_accepted() {
        for c in columns() {
            for (code, label) in c.choices.options() {
                // As the template's drop-down lists write it, and as the code alone.
                let written = if code == label {
                    code.to_string()
                } else {
                    format!("{code} - {label}")
                };
                for value in [written, code.to_string()] {
                    let mut row = example_row();
                    row[at(c.key)] = value.clone();
                    if c.key == "profession" {
                        row[at("type_carte")] = "CPS".into();
                        row[at("fonction")] = String::new();
                    }
                    if c.key == "type_carte" && code == "CPS" {
                        row[at("profession")] = "60".into();
                        row[at("fonction")] = String::new();
                    }
                    let (_, findings) = report_of(vec![cells(&row)], false);
                    let errors: Vec<_> = findings.iter().filter(|f| f.error).collect();
                    assert!(errors.is_empty(), "{} = « {value} » : {errors:#?}", c.key);
                }
            }
        }
    }

    #[test]
    fn an_empty_pin_code_address_is_the_card_address() {
        let mut row = example_row();
        for c in columns() {
            if c.group == Group::PinAddress {
                row[at(c.key)] = String::new();
            }
        }
        let xml = order_xml(&header(), &[row]);
        let report = validate(xml.as_bytes(), today());
        assert!(report.is_valid(), "{:#?}", report.errors);
        let xml = xml
            .replace("adresseCarte", "ADRESSE")
            .replace("adressePin", "ADRESSE");
        let blocks: Vec<&str> = xml.split("ADRESSE>").collect();
        assert_eq!(blocks[1], blocks[3], "{xml}");
        // A PIN-code address begun and left unfinished is reported at its columns.
        let mut row = example_row();
        row[at("pin_destinataire")] = String::new();
        let (_, findings) = report_of(vec![cells(&row)], false);
        assert!(
            findings.iter().any(|f| f.column == "Codes — Destinataire"),
            "{findings:#?}"
        );
    }

    #[test]
    fn values_are_normalized_for_the_xml() {
        let n = |key: &str, v: &str| normalize(&column(key), v);
        assert_eq!(n("date_naissance", " 1/2/1990 "), "1990-02-01");
        assert_eq!(n("date_naissance", "01-02-1990"), "1990-02-01");
        assert_eq!(n("date_naissance", "1990-02-01"), "1990-02-01");
        assert_eq!(n("date_naissance", "32242"), "1988-04-09");
        assert_eq!(n("nominative", "Non"), "false");
        assert_eq!(n("nominative", "oui - Oui"), "true");
        assert_eq!(n("nominative", "non - Non"), "false");
        assert_eq!(n("nominative", ""), "true");
        assert_eq!(n("profession", "60 - Infirmier"), "60");
        assert_eq!(n("nom_naissance", "DUPONT - MARTIN"), "DUPONT - MARTIN");
    }

    #[test]
    fn dates_are_never_shifted_whatever_the_date_system() {
        let date = column("date_naissance");
        let v = |cell: Cell, date1904: bool| cell_value(&date, &cell, date1904).0;
        assert_eq!(v(Cell::Number(32242.0), false), "1988-04-09");
        assert_eq!(v(Cell::Number(30780.0), true), "1988-04-09");
        assert_eq!(v(Cell::Number(32242.75), false), "1988-04-09");
        assert_eq!(v(Cell::Date("1988-04-09".into()), true), "1988-04-09");
        assert_eq!(v(Cell::Text("09/04/1988".into()), true), "1988-04-09");
        let (_, note) = cell_value(&date, &Cell::Text("09/04/88".into()), false);
        assert_eq!(note.unwrap().code, "tableur_annee_deux_chiffres");
    }

    #[test]
    fn numbers_excel_made_of_text_are_explained_at_their_cell() {
        let mut row = cells(&example_row());
        row[at("telephone")] = Cell::Number(235_000_000.0);
        row[at("carte_code_postal")] = Cell::Number(1000.0);
        row[at("rpps")] = Cell::Text("1,00E+10".into());
        row[at("type_carte")] = Cell::Text("CPS".into());
        row[at("profession")] = Cell::Text("60".into());
        row[at("fonction")] = Cell::Text(String::new());
        let (converted, findings) = report_of(vec![row], false);
        assert_eq!(converted.notes.len(), 3, "{:#?}", converted.notes);
        let of = |column: &str| {
            findings
                .iter()
                .filter(|f| f.column == column)
                .collect::<Vec<_>>()
        };
        let phone = of("Téléphone");
        assert_eq!(phone.len(), 1, "one finding per cell: {findings:#?}");
        assert_eq!(phone[0].code, "tableur_zero_de_tete");
        assert!(
            phone[0].message.contains("235000000") && phone[0].message.contains("format Texte")
        );
        assert_eq!(of("Carte — Code postal")[0].code, "tableur_zero_de_tete");
        assert_eq!(of("Numéro RPPS")[0].code, "tableur_notation_scientifique");
        // The same zero lost in a CSV file, where every cell is text.
        let mut row = cells(&example_row());
        row[at("telephone")] = Cell::Text("235000000".into());
        let (_, findings) = report_of(vec![row], false);
        assert_eq!(findings[0].code, "tableur_zero_de_tete", "{findings:#?}");
    }

    #[test]
    fn a_number_excel_kept_whole_is_the_value() {
        let mut row = cells(&example_row());
        row[at("type_carte")] = Cell::Text("CPS".into());
        row[at("profession")] = Cell::Number(60.0);
        row[at("fonction")] = Cell::Text(String::new());
        row[at("rpps")] = Cell::Number(10_012_345_673.0);
        row[at("matricule")] = Cell::Number(18.0);
        let (converted, findings) = report_of(vec![row], false);
        assert!(converted.notes.is_empty(), "{:#?}", converted.notes);
        assert!(converted
            .xml
            .contains("<numeroRpps>10012345673</numeroRpps>"));
        assert!(
            findings
                .iter()
                .all(|f| f.column != "Numéro RPPS" && f.column != "Matricule"),
            "{findings:#?}"
        );
    }

    #[test]
    fn a_control_character_is_reported_with_its_position_and_left_out_of_the_xml() {
        let mut row = example_row();
        row[at("carte_commune")] = "RO\u{1}UEN".into();
        row[at("lieu_naissance")] = "\u{8A}ibenik".into();
        let (converted, findings) = report_of(vec![cells(&row)], false);
        assert!(converted.xml.contains("<commune>ROUEN</commune>"));
        assert!(!converted.xml.contains('\u{8A}'));
        let control: Vec<_> = findings
            .iter()
            .filter(|f| f.code == "tableur_caractere_controle")
            .collect();
        assert_eq!(control.len(), 2, "{findings:#?}");
        assert!(control
            .iter()
            .any(|f| f.message.contains("U+0001") && f.message.contains("position 3")));
        assert!(control
            .iter()
            .any(|f| f.message.contains("U+008A") && f.message.contains("position 1")));
    }

    #[test]
    fn a_card_address_error_is_reported_once_when_the_pin_address_is_empty() {
        let mut row = example_row();
        for c in columns() {
            if c.group == Group::PinAddress {
                row[at(c.key)] = String::new();
            }
        }
        row[at("carte_code_postal")] = "7600".into();
        let (_, findings) = report_of(vec![cells(&row)], false);
        let columns: Vec<&str> = findings.iter().map(|f| f.column.as_str()).collect();
        assert_eq!(columns, ["Carte — Code postal"], "{findings:#?}");
        assert!(
            findings[0].message.contains("« Carte — Code postal »"),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn findings_speak_of_the_sheet_not_of_the_xml() {
        let mut first = example_row();
        first[at("date_naissance")] = "6/21/1995".into();
        first[at("nominative")] = "peut-être".into();
        let mut second = example_row();
        second[at("matricule")] = "000019".into();
        let third = example_row();
        let (_, findings) = report_of(vec![cells(&first), cells(&second), cells(&third)], false);
        let date = findings
            .iter()
            .find(|f| f.column == "Date de naissance")
            .unwrap();
        assert!(date.message.contains("« 6/21/1995 »"), "{}", date.message);
        assert!(date.message.contains("JJ/MM/AAAA"), "{}", date.message);
        let nominative = findings
            .iter()
            .find(|f| f.column == "Carte nominative")
            .unwrap();
        assert!(
            nominative.message.contains("oui ou non"),
            "{}",
            nominative.message
        );
        // The third row repeats the first's holder (the first has errors, the second's matricule
        // differs): the earlier one is named by its line in the sheet.
        let twice = findings
            .iter()
            .find(|f| f.code == "porteur_en_double")
            .unwrap();
        assert_eq!(twice.line, 4);
        assert!(
            twice.message.contains("à la ligne 2 du tableur"),
            "{}",
            twice.message
        );
        // Lines in order.
        assert!(
            findings.windows(2).all(|w| w[0].line <= w[1].line),
            "{findings:#?}"
        );
    }

    #[test]
    fn a_header_finding_names_what_the_header_comes_from() {
        let rows = vec![(2, cells(&example_row()))];
        let mut h = header();
        h.issuer_email = "pas-une-adresse".into();
        let converted = convert(&h, &rows, false);
        let report = validate(converted.xml.as_bytes(), today());
        let findings = converted.report(report.errors.iter().map(XmlFinding::from));
        assert_eq!(findings[0].line, 0);
        assert_eq!(
            findings[0].column,
            "En-tête : adresse électronique de l'émetteur"
        );
    }

    #[test]
    fn what_a_user_types_otherwise_is_understood_or_explained() {
        let mut row = cells(&example_row());
        row[at("civilite")] = Cell::Text("mme".into());
        row[at("type_carte")] = Cell::Text("cpe".into());
        row[at("telephone")] = Cell::Text("02 35 00 00 00".into());
        let (converted, findings) = report_of(vec![row], false);
        assert!(findings.iter().all(|f| !f.error), "{findings:#?}");
        assert!(converted.xml.contains("<telephone>0235000000</telephone>"));
        assert!(converted.xml.contains("<civilite>MME</civilite>"));
        // A line break, a no-break space, an Excel error value, a long number.
        let mut row = cells(&example_row());
        row[at("carte_voie")] = Cell::Text("RUE DE\nPARIS".into());
        row[at("prenoms")] = Cell::Text("Julie\u{A0}Marie".into());
        row[at("carte_commune")] = Cell::Text("#N/A".into());
        row[at("matricule")] = Cell::Number(123_456_789_012_345_680.0);
        let (converted, _) = report_of(vec![row], false);
        let codes: Vec<(&str, &str)> = converted
            .notes
            .iter()
            .map(|n| (n.key.as_str(), &*n.what.code))
            .collect();
        assert!(
            codes.contains(&("carte_voie", "tableur_caractere_invisible")),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("prenoms", "tableur_caractere_invisible")),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("carte_commune", "tableur_erreur_excel")),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("matricule", "tableur_notation_scientifique")),
            "{codes:?}"
        );
        let voie = converted
            .notes
            .iter()
            .find(|n| n.key == "carte_voie")
            .unwrap();
        assert!(voie
            .what
            .to_french()
            .contains("saut de ligne (Alt+Entrée) en position 7"));
    }

    #[test]
    fn fonction_and_profession_both_typed_are_both_judged() {
        let mut row = example_row();
        row[at("profession")] = "60 - Infirmier".into();
        let (converted, findings) = report_of(vec![cells(&row)], false);
        assert!(converted.xml.contains("<fonction>FON-33</fonction>"));
        assert!(findings.iter().any(|f| f.error), "{findings:#?}");
        // A CPS with neither: its profession is what is missing.
        let mut row = example_row();
        row[at("type_carte")] = "CPS".into();
        row[at("fonction")] = String::new();
        let (_, findings) = report_of(vec![cells(&row)], false);
        assert!(
            findings.iter().any(|f| f.column == "Profession"),
            "{findings:#?}"
        );
    }

    #[test]
    fn a_column_given_twice_is_refused() {
        let mut titles: Vec<Cell> = columns()
            .iter()
            .map(|c| Cell::Text(template_header(c)))
            .collect();
        titles.push(Cell::Text("Prénoms".into()));
        let table = Table {
            rows: vec![(1, titles), (2, cells(&example_row()))],
            date1904: false,
        };
        let e = rows_from_table(&table).unwrap_err();
        assert!(e.message.contains("deux fois"), "{}", e.message);
    }

    #[test]
    fn headers_match_without_regard_to_case_or_accents_and_problems_say_where() {
        let text = |rows: &[&[&str]]| Table {
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| (i + 1, r.iter().map(|v| Cell::Text(v.to_string())).collect()))
                .collect(),
            date1904: false,
        };
        let e =
            rows_from_table(&text(&[&["Type de carte", "Couleur"], &["CPE", "bleu"]])).unwrap_err();
        assert!(e.message.contains("Couleur"), "{e:?}");
        let e = rows_from_table(&text(&[&["Type de carte"], &["CPE"]])).unwrap_err();
        assert!(e.message.contains("obligatoire"), "{e:?}");
        let titles: Vec<String> = columns()
            .iter()
            .map(|c| simplify(&template_header(c)).to_uppercase())
            .collect();
        let titles: Vec<&str> = titles.iter().map(String::as_str).collect();
        let mut row = vec![""; titles.len()];
        row[0] = "x";
        assert!(rows_from_table(&text(&[&titles, &row])).is_ok());
    }
}

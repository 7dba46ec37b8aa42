//! Reads the cells of a filled spreadsheet template (XLSX: a zip of XML parts) as rows of text,
//! for [`crate::order::sheet::rows_from_table`]. Only what the template needs: the sheet named
//! « Commande » (or the first one), shared and inline strings, numbers as written. Sizes are
//! bounded so that a hostile file cannot exhaust the browser's memory.

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::message::Message;
use crate::order::sheet::SheetError;

/// Largest uncompressed part accepted.
const MAX_PART_BYTES: usize = 64 * 1024 * 1024;
/// Largest sheet accepted, in cells.
const MAX_CELLS: usize = 2_000_000;

/// A problem with the workbook as a whole (no row to point at).
fn fail(what: Message) -> SheetError {
    SheetError::new(0, what)
}

/// A problem with the workbook, with no argument.
fn fail_with(code: &'static str) -> SheetError {
    fail(Message::new(code))
}

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?) as usize)
}

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?) as usize)
}

/// The parts of a zip archive: (name, method, compressed range).
struct Zip<'a> {
    bytes: &'a [u8],
    entries: Vec<(String, usize, usize, usize)>,
}

impl<'a> Zip<'a> {
    fn open(bytes: &'a [u8]) -> Result<Self, SheetError> {
        const NOT_XLSX: &str = "classeur_illisible";
        // End of central directory: its signature in the last 64 KiB + 22 bytes.
        let start = bytes.len().saturating_sub(65_557);
        let eocd = (start..bytes.len().saturating_sub(21))
            .rev()
            .find(|&i| bytes[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
            .ok_or_else(|| fail_with(NOT_XLSX))?;
        let count = u16_at(bytes, eocd + 10).ok_or_else(|| fail_with(NOT_XLSX))?;
        let mut at = u32_at(bytes, eocd + 16).ok_or_else(|| fail_with(NOT_XLSX))?;
        let mut entries = Vec::with_capacity(count);
        for _ in 0..count {
            if bytes.get(at..at + 4) != Some(&[0x50, 0x4b, 0x01, 0x02]) {
                return Err(fail_with(NOT_XLSX));
            }
            let field = |o: usize| u16_at(bytes, at + o).ok_or_else(|| fail_with(NOT_XLSX));
            let method = field(10)?;
            let size = u32_at(bytes, at + 20).ok_or_else(|| fail_with(NOT_XLSX))?;
            let (name_len, extra_len, comment_len) = (field(28)?, field(30)?, field(32)?);
            let local = u32_at(bytes, at + 42).ok_or_else(|| fail_with(NOT_XLSX))?;
            let name = bytes
                .get(at + 46..at + 46 + name_len)
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .ok_or_else(|| fail_with(NOT_XLSX))?;
            // The data follows the local header, whose name and extra lengths may differ.
            let local_name = u16_at(bytes, local + 26).ok_or_else(|| fail_with(NOT_XLSX))?;
            let local_extra = u16_at(bytes, local + 28).ok_or_else(|| fail_with(NOT_XLSX))?;
            let data = local + 30 + local_name + local_extra;
            entries.push((name, method, data, size));
            at += 46 + name_len + extra_len + comment_len;
        }
        Ok(Zip { bytes, entries })
    }

    /// A part's text (XLSX parts are UTF-8 XML).
    fn text(&self, name: &str) -> Result<Option<String>, SheetError> {
        match self.part(name)? {
            None => Ok(None),
            Some(bytes) => String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| fail(Message::new("classeur_partie_non_utf8").arg("part", name))),
        }
    }

    fn part(&self, name: &str) -> Result<Option<Vec<u8>>, SheetError> {
        let Some((_, method, data, size)) = self.entries.iter().find(|e| e.0 == name) else {
            return Ok(None);
        };
        let raw = self
            .bytes
            .get(*data..data + size)
            .ok_or_else(|| fail(Message::new("classeur_partie_tronquee").arg("part", name)))?;
        match method {
            0 if raw.len() <= MAX_PART_BYTES => Ok(Some(raw.to_vec())),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(raw, MAX_PART_BYTES)
                .map(Some)
                .map_err(|_| fail(Message::new("classeur_partie_illisible").arg("part", name))),
            _ => Err(fail(
                Message::new("classeur_partie_compression").arg("part", name),
            )),
        }
    }
}

/// Attribute value of an element, unescaped.
fn attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name || a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Texts of every `<si>` (the `<t>` runs joined).
fn shared_strings(xml: &str) -> Result<Vec<String>, SheetError> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_t = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "t" => in_t = true,
            Ok(Event::End(e)) if e.local_name().as_ref() == "t" => in_t = false,
            Ok(Event::End(e)) if e.local_name().as_ref() == "si" => {
                out.push(std::mem::take(&mut current))
            }
            Ok(Event::Empty(e)) if e.local_name().as_ref() == "si" => out.push(String::new()),
            Ok(Event::Text(t)) if in_t => current.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) if in_t => {
                current.push_str(&resolve_entity(&r));
            }
            Ok(Event::Eof) => break,
            Err(_) => return Err(fail_with("classeur_textes_illisibles")),
            _ => {}
        }
    }
    Ok(out)
}

fn resolve_entity(name: &str) -> String {
    match name {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        n => n
            .strip_prefix("#x")
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .or_else(|| n.strip_prefix('#').and_then(|d| d.parse().ok()))
            .and_then(char::from_u32)
            .map(String::from)
            .unwrap_or_default(),
    }
}

/// The column index of a cell reference (`AB12` → 27).
fn column_of(reference: &str) -> Option<usize> {
    let mut n = 0usize;
    let mut any = false;
    for c in reference.chars().take_while(char::is_ascii_alphabetic) {
        n = n * 26 + (c.to_ascii_uppercase() as usize - 'A' as usize + 1);
        any = true;
    }
    (any && n <= 16_384).then(|| n - 1)
}

/// Days from the 1904 date system's day 0 (1904-01-01) to the 1900 system's (1899-12-30 as Excel
/// counts, its phantom 1900-02-29 included).
const DAYS_1904_TO_1900: f64 = 1462.0;

/// Whether the workbook counts dates from 1904 (`<workbookPr date1904="1"/>`, as Excel for Mac
/// once did by default) rather than from 1900.
fn uses_1904_dates(workbook: &str) -> Result<bool, SheetError> {
    let mut reader = Reader::from_str(workbook);
    loop {
        match reader.read_event() {
            Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().as_ref() == "workbookPr" => {
                return Ok(matches!(
                    attr(&e, "date1904").as_deref().map(str::trim),
                    Some("1" | "true")
                ));
            }
            Ok(Event::Eof) => return Ok(false),
            Err(_) => return Err(fail_with("classeur_feuilles_illisibles")),
            _ => {}
        }
    }
}

/// Whether a number format shows a date: the built-in date formats, or a custom code with a day,
/// month or year once quoted texts, `[…]` sections and escaped characters are left out.
fn is_date_format(id: u32, code: Option<&str>) -> bool {
    if let Some(code) = code {
        let (mut quoted, mut bracket, mut escaped) = (false, false, false);
        return code.chars().any(|c| {
            if escaped {
                escaped = false;
                return false;
            }
            match c {
                '"' => quoted = !quoted,
                _ if quoted => {}
                '\\' => escaped = true,
                '[' => bracket = true,
                ']' => bracket = false,
                _ if bracket => {}
                'd' | 'D' | 'm' | 'M' | 'y' | 'Y' => return true,
                _ => {}
            }
            false
        });
    }
    matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58)
}

/// For each cell style (`s` of a cell), whether it shows its number as a date.
fn date_styles(xml: &str) -> Result<Vec<bool>, SheetError> {
    let mut reader = Reader::from_str(xml);
    let mut codes: Vec<(u32, String)> = Vec::new();
    let mut styles = Vec::new();
    let mut in_cell_xfs = false;
    loop {
        match reader.read_event() {
            Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().as_ref() == "numFmt" => {
                if let (Some(id), Some(code)) = (
                    attr(&e, "numFmtId").and_then(|v| v.trim().parse().ok()),
                    attr(&e, "formatCode"),
                ) {
                    codes.push((id, code));
                }
            }
            Ok(Event::Start(e)) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = true,
            Ok(Event::End(e)) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = false,
            Ok(Event::Empty(e) | Event::Start(e))
                if in_cell_xfs && e.local_name().as_ref() == "xf" =>
            {
                let id = attr(&e, "numFmtId")
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                let code = codes
                    .iter()
                    .find(|(i, _)| *i == id)
                    .map(|(_, c)| c.as_str());
                styles.push(is_date_format(id, code));
            }
            Ok(Event::Eof) => break,
            Err(_) => return Err(fail_with("classeur_styles_illisibles")),
            _ => {}
        }
    }
    Ok(styles)
}

/// A date cell's serial number in the 1900 date system, which
/// [`crate::order::sheet::normalize`] reads: a 1904 serial moved by 1462 days.
fn serial_in_1900_system(value: &str) -> Option<String> {
    let serial: f64 = value.trim().parse().ok()?;
    let moved = serial + DAYS_1904_TO_1900;
    Some(if moved.fract() == 0.0 {
        format!("{moved:.0}")
    } else {
        moved.to_string()
    })
}

/// The path of the sheet to read: « Commande » if there is one, else the first sheet.
fn sheet_path(zip: &Zip<'_>, workbook: &str) -> Result<String, SheetError> {
    let rels = zip.text("xl/_rels/workbook.xml.rels")?.unwrap_or_default();
    let mut sheets = Vec::new();
    let mut reader = Reader::from_str(workbook);
    loop {
        match reader.read_event() {
            Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().as_ref() == "sheet" => {
                sheets.push((attr(&e, "name").unwrap_or_default(), attr(&e, "id")))
            }
            Ok(Event::Eof) => break,
            Err(_) => return Err(fail_with("classeur_feuilles_illisibles")),
            _ => {}
        }
    }
    let (_, rid) = sheets
        .iter()
        .find(|(n, _)| n == "Commande")
        .or_else(|| sheets.first())
        .cloned()
        .ok_or_else(|| fail_with("classeur_sans_feuille"))?;
    let mut reader = Reader::from_str(&rels);
    loop {
        match reader.read_event() {
            Ok(Event::Empty(e) | Event::Start(e))
                if e.local_name().as_ref() == "Relationship" && attr(&e, "Id") == rid =>
            {
                let target = attr(&e, "Target").unwrap_or_default();
                return Ok(match target.strip_prefix('/') {
                    Some(absolute) => absolute.to_string(),
                    None => format!("xl/{target}"),
                });
            }
            Ok(Event::Eof) => break,
            Err(_) => return Err(fail_with("classeur_relations_illisibles")),
            _ => {}
        }
    }
    Ok("xl/worksheets/sheet1.xml".into())
}

/// The rows of the order sheet, with their 1-based row numbers; empty rows left out.
pub fn read_table(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, SheetError> {
    let zip = Zip::open(bytes)?;
    let strings = match zip.text("xl/sharedStrings.xml")? {
        Some(xml) => shared_strings(&xml)?,
        None => Vec::new(),
    };
    let workbook = zip
        .text("xl/workbook.xml")?
        .ok_or_else(|| fail_with("classeur_sans_classeur"))?;
    // Only a 1904 workbook needs its date cells found; a 1900 one is read as written.
    let dates_from_1904 = uses_1904_dates(&workbook)?;
    let date_styles = match zip.text("xl/styles.xml")? {
        Some(xml) if dates_from_1904 => date_styles(&xml)?,
        _ => Vec::new(),
    };
    let path = sheet_path(&zip, &workbook)?;
    let xml = zip.text(&path)?.ok_or_else(|| {
        fail(Message::new("classeur_feuille_absente").arg("sheet", path.as_str()))
    })?;
    let mut reader = Reader::from_str(&xml);
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    let (mut row_no, mut col, mut kind, mut style) = (0usize, 0usize, String::new(), 0usize);
    let (mut in_value, mut value) = (false, String::new());
    let mut cells = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                "row" => {
                    row_no = attr(&e, "r")
                        .and_then(|r| r.parse().ok())
                        .unwrap_or(row_no + 1);
                    rows.push((row_no, Vec::new()));
                }
                "c" => {
                    let row_len = rows.last().map_or(0, |r| r.1.len());
                    col = attr(&e, "r").and_then(|r| column_of(&r)).unwrap_or(row_len);
                    kind = attr(&e, "t").unwrap_or_default();
                    style = attr(&e, "s")
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    value.clear();
                }
                "v" | "t" => in_value = true,
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "v" | "t" => in_value = false,
                "c" => {
                    cells += 1;
                    if cells > MAX_CELLS {
                        return Err(fail_with("classeur_feuille_trop_grande"));
                    }
                    let text = if kind == "s" {
                        value
                            .trim()
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| strings.get(i).cloned())
                            .unwrap_or_default()
                    } else if (kind.is_empty() || kind == "n")
                        && date_styles.get(style).copied().unwrap_or(false)
                    {
                        serial_in_1900_system(&value).unwrap_or_else(|| std::mem::take(&mut value))
                    } else {
                        std::mem::take(&mut value)
                    };
                    if let Some((_, row)) = rows.last_mut() {
                        if row.len() <= col {
                            row.resize(col + 1, String::new());
                        }
                        row[col] = text;
                    }
                }
                _ => {}
            },
            Ok(Event::Text(t)) if in_value => value.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) if in_value => {
                value.push_str(&resolve_entity(&r));
            }
            Ok(Event::Eof) => break,
            Err(e) => {
                return Err(SheetError::new(
                    row_no,
                    Message::new("classeur_feuille_illisible").arg("detail", e.to_string()),
                ))
            }
            _ => {}
        }
    }
    Ok(rows
        .into_iter()
        .filter(|(_, r)| r.iter().any(|v| !v.trim().is_empty()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_give_columns() {
        assert_eq!(column_of("A1"), Some(0));
        assert_eq!(column_of("Z9"), Some(25));
        assert_eq!(column_of("AA10"), Some(26));
        assert_eq!(column_of("12"), None);
    }

    #[test]
    fn what_is_not_a_zip_is_refused_with_a_message() {
        let e = read_table(b"Type de carte;Civilite\n").unwrap_err();
        assert!(e.message.contains("XLSX"), "{e:?}");
        // An empty archive.
        let e = read_table(&[
            0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ])
        .unwrap_err();
        assert!(e.message.contains("classeur"), "{e:?}");
    }

    #[test]
    fn the_workbook_says_which_date_system_it_counts_from() {
        let wb = |pr: &str| format!("<workbook>{pr}<sheets/></workbook>");
        assert!(uses_1904_dates(&wb(r#"<workbookPr date1904="1"/>"#)).unwrap());
        assert!(uses_1904_dates(&wb(r#"<workbookPr date1904="true"/>"#)).unwrap());
        assert!(!uses_1904_dates(&wb(r#"<workbookPr date1904="0"/>"#)).unwrap());
        assert!(!uses_1904_dates(&wb("<workbookPr/>")).unwrap());
        assert!(!uses_1904_dates(&wb("")).unwrap());
    }

    #[test]
    fn date_formats_are_told_from_other_number_formats() {
        let styles = r#"<styleSheet><numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>
            <numFmt numFmtId="165" formatCode="[Red]0.00&quot;days&quot;"/></numFmts>
            <cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>
            <cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>
            <xf numFmtId="165"/><xf numFmtId="49"/></cellXfs></styleSheet>"#;
        assert_eq!(
            date_styles(styles).unwrap(),
            [false, true, true, false, false]
        );
    }

    #[test]
    fn a_1904_serial_moves_by_1462_days_to_the_1900_system() {
        // 1988-04-09 is 30780 days after 1904-01-01 and 32242 in the 1900 system.
        assert_eq!(serial_in_1900_system("30780").as_deref(), Some("32242"));
        assert_eq!(serial_in_1900_system("30780.5").as_deref(), Some("32242.5"));
        assert_eq!(serial_in_1900_system("abc"), None);
    }

    #[test]
    fn entities_in_texts_are_resolved() {
        assert_eq!(resolve_entity("amp"), "&");
        assert_eq!(resolve_entity("#233"), "é");
        assert_eq!(resolve_entity("#xE9"), "é");
    }
}

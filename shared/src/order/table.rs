//! A filled spreadsheet as cells: what the CSV reader (here, with the `csv` crate and
//! encoding_rs) and the XLSX reader ([`super::xlsx`], with calamine) give, before the conversion
//! of [`super::sheet`] turns the rows into the XML order. Cells keep their type (text, number,
//! date) so that the conversion can tell a number Excel made out of a phone number from text.

use serde::{Deserialize, Serialize};

use crate::message::Message;

/// One cell, typed as the spreadsheet holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    /// Text, as typed (an empty cell is an empty text). Every CSV cell is text.
    Text(String),
    /// A number cell of a workbook (Excel's `General` or number formats).
    Number(f64),
    /// A date cell of a workbook, as `AAAA-MM-JJ`, already read in the workbook's date system.
    Date(String),
}

impl Cell {
    /// The cell as text: numbers without a useless `.0`, dates in ISO form.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) | Cell::Date(s) => s.clone(),
            Cell::Number(n) => number_text(*n),
        }
    }

    pub fn is_blank(&self) -> bool {
        matches!(self, Cell::Text(s) if s.trim().is_empty())
    }
}

/// `12` for 12.0 (below 10^15, where a double holds every integer), else Rust's shortest form.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// The rows of a sheet with their 1-based line (CSV record or sheet row); blank rows left out.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub rows: Vec<(usize, Vec<Cell>)>,
    /// The workbook counts its dates from 1904-01-01 (Excel for Mac until 2011): number cells in
    /// a date column are serials of that system.
    pub date1904: bool,
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

/// The code page a CSV file was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvEncoding {
    /// With or without byte-order mark (Excel's « CSV UTF-8 »).
    Utf8,
    /// French Excel for Windows' « CSV (séparateur : point-virgule) ».
    Windows1252,
    /// Excel for Mac's « CSV Macintosh ».
    MacRoman,
    /// Excel's « Texte Unicode », with its byte-order mark.
    Utf16Le,
    Utf16Be,
}

#[cfg(feature = "xlsx")]
/// How plausible a decoded text is for French (or European) data: letters in a likely case,
/// usual punctuation; symbols and control characters count against. Only non-ASCII characters
/// are looked at (ASCII reads the same in every candidate).
fn plausibility(text: &str) -> i64 {
    let mut score = 0;
    let mut prev = ' ';
    for c in text.chars() {
        if !c.is_ascii() {
            score += if c.is_control() || c == '\u{FFFD}' {
                -10
            } else if c.is_alphabetic() {
                // An uppercase letter right after a lowercase one (« PrŽnoms ») is a misreading.
                if c.is_uppercase() && prev.is_lowercase() {
                    -3
                } else {
                    2
                }
            } else if matches!(
                c,
                '’' | '‘'
                    | '«'
                    | '»'
                    | '“'
                    | '”'
                    | '–'
                    | '—'
                    | '€'
                    | '…'
                    | '°'
                    | '\u{A0}'
                    | '·'
            ) {
                1
            } else {
                -3
            };
        }
        prev = c;
    }
    score
}

#[cfg(feature = "xlsx")]
/// Decides the code page of a CSV file: UTF-8 when the bytes are UTF-8; otherwise Windows-1252
/// or Mac Roman, whichever reads as more plausible text; an undecidable file (both readings as
/// plausible) is refused with how to save it from Excel, never guessed.
pub fn csv_encoding(bytes: &[u8]) -> Result<CsvEncoding, SheetError> {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Ok(CsvEncoding::Utf16Le);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Ok(CsvEncoding::Utf16Be);
    }
    if std::str::from_utf8(bytes).is_ok() {
        return Ok(CsvEncoding::Utf8);
    }
    let windows = encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0;
    let mac = encoding_rs::MACINTOSH.decode_without_bom_handling(bytes).0;
    let (w, m) = (plausibility(&windows), plausibility(&mac));
    if w > m {
        Ok(CsvEncoding::Windows1252)
    } else if m > w {
        Ok(CsvEncoding::MacRoman)
    } else {
        let line = bytes.iter().position(|b| !b.is_ascii()).map_or(1, |at| {
            1 + bytes[..at].iter().filter(|&&b| b == b'\n').count()
        });
        Err(SheetError::new(
            line,
            Message::new("tableur_encodage_indecidable"),
        ))
    }
}

#[cfg(feature = "xlsx")]
/// A CSV file's text, decoded by the Encoding Standard's tables (encoding_rs) in the code page
/// [`csv_encoding`] finds. A UTF-8 byte-order mark is removed.
pub fn decode_csv(bytes: &[u8]) -> Result<String, SheetError> {
    Ok(match csv_encoding(bytes)? {
        CsvEncoding::Utf8 => {
            let text = std::str::from_utf8(bytes).unwrap_or_default();
            text.strip_prefix('\u{feff}').unwrap_or(text).to_string()
        }
        CsvEncoding::Windows1252 => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
        CsvEncoding::MacRoman => encoding_rs::MACINTOSH
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
        CsvEncoding::Utf16Le | CsvEncoding::Utf16Be => {
            let codec = if bytes[0] == 0xFF {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
            };
            codec
                .decode_without_bom_handling_and_without_replacement(&bytes[2..])
                .ok_or_else(|| SheetError::new(1, Message::new("tableur_illisible")))?
                .into_owned()
        }
    })
}

#[cfg(feature = "xlsx")]
/// The separator of the file: the one of `;`, `,` and tab found most often outside quotes on
/// its first line (French Excel writes `;`, other locales `,`); `;` when none is there.
fn separator(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ';' if !quoted => counts[0] += 1,
            ',' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    if counts[best] == 0 {
        b';'
    } else {
        [b';', b',', b'\t'][best]
    }
}

/// Line ends in `chunk` (CRLF, LF or a lone CR), `before` being the byte just before it.
#[cfg(feature = "xlsx")]
fn line_ends(chunk: &[u8], before: Option<u8>) -> usize {
    let mut n = 0;
    let mut prev = before;
    for &b in chunk {
        match b {
            b'\n' if prev == Some(b'\r') => {}
            b'\n' | b'\r' => n += 1,
            _ => {}
        }
        prev = Some(b);
    }
    n
}

#[cfg(feature = "xlsx")]
/// Reads a CSV file as Excel writes it (UTF-8, Windows-1252 or Mac Roman; `;`, `,` or tab
/// separated; `"` quoting with `""` escapes; CRLF or LF), with the `csv` crate. Errors: an
/// undecidable encoding, a quote opened and never closed (with the record's line).
pub fn read_csv(bytes: &[u8]) -> Result<Table, SheetError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(SheetError::new(1, Message::new("classeur_ancien_format")));
    }
    let text = decode_csv(bytes)?;
    // Excel's own hint line, `sep=;`, names the separator; its line still counts.
    let (separator, skipped) = match text.strip_prefix("sep=") {
        Some(rest) if rest.len() > 1 && matches!(rest.as_bytes()[1], b'\r' | b'\n') => {
            let end = rest
                .find('\n')
                .or_else(|| rest.find('\r'))
                .map_or(rest.len(), |i| i + 1);
            (rest.as_bytes()[0], 4 + end)
        }
        _ => (separator(&text), 0),
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(&text.as_bytes()[skipped..]);
    let mut rows = Vec::new();
    // Lines are counted here from the records' byte offsets (the csv crate's own line count
    // lags behind a CRLF), a line ending in CRLF, LF or CR alone (Excel for Mac's « CSV
    // Macintosh »): the line of a record is that of its first character.
    let bytes = &text.as_bytes()[skipped..];
    let (mut counted_to, mut line) = (0usize, 1 + usize::from(skipped > 0));
    let mut last_start = 0usize;
    for record in reader.records() {
        let record =
            record.map_err(|_| SheetError::new(line, Message::new("tableur_illisible")))?;
        let mut start = record.position().map_or(counted_to, |p| p.byte() as usize);
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let start = start.min(bytes.len()).max(counted_to);
        line += line_ends(
            &bytes[counted_to..start],
            counted_to.checked_sub(1).map(|i| bytes[i]),
        );
        counted_to = start;
        last_start = start;
        let cells: Vec<Cell> = record.iter().map(|v| Cell::Text(v.to_string())).collect();
        if cells.iter().any(|c| !c.is_blank()) {
            rows.push((line, cells));
        }
    }
    let last_line = line;
    // The csv crate reads an unclosed quote to the end of the file: the last record then holds
    // an odd number of quote characters.
    let tail = &bytes[last_start.min(bytes.len())..];
    if tail.iter().filter(|&&b| b == b'"').count() % 2 == 1 {
        return Err(SheetError::new(
            last_line,
            Message::new("tableur_guillemet_ouvert"),
        ));
    }
    Ok(Table {
        rows,
        date1904: false,
    })
}

#[cfg(all(test, feature = "xlsx"))]
mod tests {
    use super::*;

    fn texts(table: &Table) -> Vec<(usize, Vec<String>)> {
        table
            .rows
            .iter()
            .map(|(l, r)| (*l, r.iter().map(Cell::text).collect()))
            .collect()
    }

    #[test]
    fn french_excel_csv_is_split_with_quotes_and_line_numbers() {
        let t =
            read_csv("a;b\r\n\"x;y\";\"dit \"\"z\"\"\"\r\n\r\n\"deux\nlignes\";3\r\n".as_bytes())
                .unwrap();
        assert_eq!(
            texts(&t),
            vec![
                (1, vec!["a".into(), "b".into()]),
                (2, vec!["x;y".into(), "dit \"z\"".into()]),
                (4, vec!["deux\nlignes".into(), "3".into()]),
            ]
        );
    }

    #[test]
    fn the_separator_is_found_on_the_first_line() {
        let t = read_csv(b"a,b,c\n1,2,3\n").unwrap();
        assert_eq!(texts(&t)[1].1, ["1", "2", "3"]);
        let t = read_csv(b"a\tb\n1\t2\n").unwrap();
        assert_eq!(texts(&t)[1].1, ["1", "2"]);
        let t = read_csv(b"\"a,b\";c\n1;2\n").unwrap();
        assert_eq!(texts(&t)[0].1, ["a,b", "c"]);
    }

    #[test]
    fn lines_end_in_crlf_lf_or_a_lone_cr_and_excel_may_name_the_separator() {
        for end in ["\r\n", "\n", "\r"] {
            let csv = ["a;b", "1;2", "", "3;4", ""].join(end);
            let t = read_csv(csv.as_bytes()).unwrap();
            assert_eq!(texts(&t)[2], (4, vec!["3".into(), "4".into()]), "{end:?}");
        }
        let t = read_csv(b"sep=,\r\na,b\r\n1,2\r\n").unwrap();
        assert_eq!(
            texts(&t),
            vec![
                (2, vec!["a".into(), "b".into()]),
                (3, vec!["1".into(), "2".into()])
            ]
        );
    }

    #[test]
    fn a_csv_in_utf16_is_read_and_a_workbook_is_not_taken_for_a_csv() {
        let text = "Prénoms;Lieu\r\nHélène;Šibenik\r\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(texts(&read_csv(&le).unwrap())[1].1, ["Hélène", "Šibenik"]);
        let e = read_csv(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).unwrap_err();
        assert!(e.message.contains(".xlsx"), "{}", e.message);
    }

    #[test]
    fn an_unclosed_quote_is_reported_at_its_record() {
        let e = read_csv(b"a;b\n1;2\n\"ouvert;3\n4;5\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert_eq!(e.what.code, "tableur_guillemet_ouvert");
    }

    #[test]
    fn code_pages_are_told_apart_by_what_reads_as_french() {
        // « Prénom;Lieu » then « Hélène;Šibenik » in each code page.
        let text = "Prénoms;Lieu\r\nHélène;Šibenik\r\n";
        let windows = encoding_rs::WINDOWS_1252.encode(text).0.into_owned();
        assert_eq!(csv_encoding(&windows).unwrap(), CsvEncoding::Windows1252);
        assert_eq!(decode_csv(&windows).unwrap(), text);
        let text = "Prénoms;Lieu\r\nHélène;Noël\r\n";
        let mac = encoding_rs::MACINTOSH.encode(text).0.into_owned();
        assert_eq!(csv_encoding(&mac).unwrap(), CsvEncoding::MacRoman);
        assert_eq!(decode_csv(&mac).unwrap(), text);
        let utf8 = format!("\u{feff}{text}");
        assert_eq!(decode_csv(utf8.as_bytes()).unwrap(), text);
    }

    #[test]
    fn an_undecidable_code_page_is_refused_with_how_to_save_the_file() {
        // One byte that reads as a letter in both code pages, nothing else to go on.
        let e = csv_encoding(b"a;b\n1;\xE9\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("CSV UTF-8"), "{}", e.message);
    }

    #[test]
    fn numbers_read_as_text_without_a_useless_decimal() {
        assert_eq!(number_text(235000000.0), "235000000");
        assert_eq!(number_text(10012345678.0), "10012345678");
        assert_eq!(number_text(1.5), "1.5");
    }
}

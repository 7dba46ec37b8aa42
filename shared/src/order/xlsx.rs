//! Reading a filled order template (XLSX) with calamine: typed cells (text from shared or inline
//! strings, numbers, dates read in the workbook's own date system, 1900 or 1904), from the sheet
//! « Commande » or else the first one. Runs in the browser's worker (wasm) and on the server's
//! command line alike.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::message::Message;
use crate::order::table::{Cell, SheetError, Table};

/// Cells of the order sheet beyond which the file is refused (the template has 35 columns;
/// this is some 57,000 rows).
const MAX_CELLS: usize = 2_000_000;

fn fail(what: Message) -> SheetError {
    SheetError::new(1, what)
}

/// A date cell as `AAAA-MM-JJ` (its time of day dropped), read in the workbook's date system.
fn date_of(dt: &calamine::ExcelDateTime) -> Cell {
    if dt.is_duration() {
        return Cell::Number(dt.as_f64());
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    Cell::Date(format!("{y:04}-{m:02}-{d:02}"))
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Text(String::new()),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "VRAI" } else { "FAUX" }.into()),
        Data::DateTime(dt) => date_of(dt),
        Data::DateTimeIso(s) => match s.get(..10) {
            Some(day) if crate::date::Date::parse_iso(day).is_some() => Cell::Date(day.into()),
            _ => Cell::Text(s.clone()),
        },
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(e.to_string()),
    }
}

/// The rows of the order sheet with their 1-based row numbers; blank rows left out. Errors: not
/// an XLSX workbook (or a damaged one), no sheet, a sheet too large.
pub fn read_xlsx(bytes: &[u8]) -> Result<Table, SheetError> {
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|_: calamine::XlsxError| fail(Message::new("classeur_illisible")))?;
    let names = workbook.sheet_names();
    if names.is_empty() {
        return Err(fail(Message::new("classeur_sans_feuille")));
    }
    let date1904 = workbook.has_1904_epoch();
    // The sheet « Commande »; else (a renamed sheet) the first whose titles are the template's;
    // else the first sheet, whose missing columns are then reported.
    let preferred = names.iter().position(|n| n == "Commande");
    let mut chosen = None;
    for i in preferred.into_iter().chain(0..names.len()) {
        let Ok(range) = workbook.worksheet_range(&names[i]) else {
            continue;
        };
        let titled = range
            .rows()
            .find(|r| r.iter().any(|c| *c != Data::Empty))
            .is_some_and(|r| {
                r.iter()
                    .any(|c| matches!(c, Data::String(t) if crate::order::sheet::is_first_title(t)))
            });
        if Some(i) == preferred || titled {
            chosen = Some(range);
            break;
        }
    }
    let range = match chosen {
        Some(range) => range,
        None => workbook.worksheet_range(&names[0]).map_err(|_| {
            fail(Message::new("classeur_feuille_illisible").arg("sheet", names[0].as_str()))
        })?,
    };
    let (height, width) = range.get_size();
    if height.saturating_mul(width) > MAX_CELLS {
        return Err(fail(Message::new("classeur_feuille_trop_grande")));
    }
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        // Columns before the range's first one are empty: keep the columns where they are.
        let cells: Vec<Cell> = std::iter::repeat_n(Cell::Text(String::new()), first_col as usize)
            .chain(row.iter().map(cell_of))
            .collect();
        if cells.iter().any(|c| !c.is_blank()) {
            rows.push((first_row as usize + i + 1, cells));
        }
    }
    Ok(Table { rows, date1904 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_not_a_workbook_is_refused_with_a_message() {
        let e = read_xlsx(b"Type de carte;Civilite\n").unwrap_err();
        assert!(e.message.contains("XLSX"), "{e:?}");
        // An empty archive.
        let e = read_xlsx(&[
            0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ])
        .unwrap_err();
        assert!(e.message.contains("XLSX"), "{e:?}");
    }
}

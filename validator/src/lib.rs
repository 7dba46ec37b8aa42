//! The order-file validator for the browser: the very code the server and `tom order validate`
//! run, called from a Web Worker (`app/worker.js`) so the page stays responsive.

use serde::Serialize;
use shared::order::{Date, FastCheck, Part, ValidationError, Validator};
use wasm_bindgen::prelude::*;

/// Bytes between two progress reports.
const PROGRESS_STEP: usize = 1 << 20;

#[derive(Serialize)]
struct Outcome<'a> {
    valid: bool,
    operations: usize,
    errors: &'a [ValidationError],
}

fn parse_date(today: &str) -> Option<Date> {
    let mut parts = today.split('-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    Date::new(y, m, d)
}

/// Validates an order file with the full reader, which writes every finding; `today` is
/// `YYYY-MM-DD`; `progress(bytes_done)` is called as the file is read. Returns the outcome as
/// JSON: `{valid, operations, errors: [...]}`.
#[wasm_bindgen]
pub fn validate_order(
    bytes: &[u8],
    today: &str,
    progress: &js_sys::Function,
) -> Result<String, JsError> {
    let today = parse_date(today).ok_or_else(|| JsError::new("date du jour illisible"))?;
    // The worker calls this when the fast path (PieceCheck) could not conclude: the full
    // reader goes straight to work.
    let report = Validator::new(today)
        .build_model(false)
        .fast_path(false)
        .validate_with_progress(bytes, PROGRESS_STEP, |done| {
            let _ = progress.call1(&JsValue::NULL, &JsValue::from_f64(done as f64));
        });
    let outcome = Outcome {
        valid: report.is_valid(),
        operations: report.operations,
        errors: &report.errors,
    };
    serde_json::to_string(&outcome).map_err(|e| JsError::new(&e.to_string()))
}

/// The validator's fast path over a file (or a part of it) read in pieces by the worker: the
/// file never needs to be in memory whole. When it cannot conclude, the worker runs
/// [`validate_order`] on the whole file, which writes the report.
#[wasm_bindgen]
pub struct PieceCheck {
    max_elements: usize,
    check: Option<FastCheck>,
    part: Option<Part>,
}

#[wasm_bindgen]
impl PieceCheck {
    /// `first`: the part holds the file's beginning; `last`: its end.
    #[wasm_bindgen(constructor)]
    pub fn new(today: &str, first: bool, last: bool) -> Result<PieceCheck, JsError> {
        let today = parse_date(today).ok_or_else(|| JsError::new("date du jour illisible"))?;
        let validator = Validator::new(today).build_model(false);
        Ok(PieceCheck {
            max_elements: validator.element_limit(),
            check: Some(validator.fast_check(first, last)),
            part: None,
        })
    }

    /// The next piece; false: stop reading, the fast path cannot conclude.
    pub fn feed(&mut self, piece: &[u8]) -> bool {
        self.check.as_mut().is_some_and(|c| c.feed(piece))
    }

    /// After the last piece: whether the part was found valid.
    pub fn finish(&mut self) -> bool {
        self.part = self.check.take().and_then(FastCheck::finish);
        self.part.is_some()
    }

    pub fn operations(&self) -> f64 {
        self.part.as_ref().map_or(0.0, |p| p.operations as f64)
    }

    pub fn elements(&self) -> f64 {
        self.part.as_ref().map_or(0.0, |p| p.elements as f64)
    }

    /// The part's holder keys (little-endian 64-bit words), for the worker that merges.
    pub fn keys(&self) -> Vec<u8> {
        self.part.as_ref().map_or_else(Vec::new, |p| {
            p.keys.iter().flat_map(|k| k.to_le_bytes()).collect()
        })
    }

    /// Merges this part (the file's beginning) with the rest, read by another worker: the
    /// number of operations of a valid file, or -1 when the full reader must decide.
    pub fn merge_with(&mut self, operations: f64, elements: f64, keys: &[u8]) -> f64 {
        let Some(mine) = self.part.take() else {
            return -1.0;
        };
        let other = Part {
            operations: operations as usize,
            elements: elements as usize,
            keys: keys
                .chunks_exact(8)
                .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
                .collect(),
        };
        shared::order::merge(vec![mine, other], self.max_elements).map_or(-1.0, |n| n as f64)
    }
}

/// Where the file may be cut into two parts, in `window` (bytes read from some offset): the
/// offset of an operation's start tag in the window, or -1.
#[wasm_bindgen]
pub fn find_cut(window: &[u8]) -> f64 {
    shared::order::find_cut(window).map_or(-1.0, |n| n as f64)
}

/// The rows of a filled spreadsheet template: XLSX when `xlsx`, CSV (`;`, UTF-8 or
/// Windows-1252) otherwise. Returns JSON: `{"rows": [[line, [cells…]], …]}` or
/// `{"error": {"line": n, "message": "…"}}`.
#[wasm_bindgen]
pub fn read_sheet(bytes: &[u8], xlsx: bool) -> String {
    let table = if xlsx {
        shared::order::xlsx::read_table(bytes)
    } else {
        shared::order::sheet::parse_csv(&shared::order::sheet::decode_text(bytes))
    };
    let value = match table {
        Ok(rows) => serde_json::json!({ "rows": rows }),
        Err(e) => serde_json::json!({ "error": { "line": e.line, "message": e.message } }),
    };
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_in_two_parts_is_merged_and_a_holder_in_both_is_refused() {
        let (xml, _) = shared::order::generate::generate(200, 3, 0);
        let bytes = xml.as_bytes();
        let mid = bytes.len() / 2;
        let cut = mid + find_cut(&bytes[mid..]) as usize;
        let run = |first: bool, range: std::ops::Range<usize>| {
            let mut check = PieceCheck::new("2026-11-24", first, !first).unwrap();
            for piece in bytes[range].chunks(65536) {
                assert!(check.feed(piece));
            }
            assert!(check.finish());
            check
        };
        let mut head = run(true, 0..cut);
        let tail = run(false, cut..bytes.len());
        let total = head.merge_with(tail.operations(), tail.elements(), &tail.keys());
        assert_eq!(total, 200.0);
        // The same part twice: every holder is in both.
        let mut head = run(true, 0..cut);
        let keys = head.keys();
        assert!(!keys.is_empty());
        assert_eq!(head.merge_with(1.0, 1.0, &keys), -1.0);
    }

    #[test]
    fn dates_are_read_as_iso() {
        assert_eq!(parse_date("2026-11-24"), Date::new(2026, 11, 24));
        assert_eq!(parse_date("24/11/2026"), None);
    }

    #[test]
    fn sheets_come_back_as_rows_or_as_a_located_error() {
        let ok: serde_json::Value =
            serde_json::from_str(&read_sheet(b"a;b\r\n1;2\r\n", false)).unwrap();
        assert_eq!(ok["rows"][1][0], 2);
        assert_eq!(ok["rows"][1][1][1], "2");
        let bad: serde_json::Value = serde_json::from_str(&read_sheet(b"not a zip", true)).unwrap();
        assert!(bad["error"]["message"].as_str().unwrap().contains("XLSX"));
    }
}

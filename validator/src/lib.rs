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

/// Validates an order file and writes every finding; `today` is
/// `YYYY-MM-DD`; `progress(bytes_done)` is called as the file is read. Returns the outcome as
/// JSON: `{valid, operations, errors: [...]}`.
#[wasm_bindgen]
pub fn validate_order(
    bytes: &[u8],
    today: &str,
    progress: &js_sys::Function,
) -> Result<String, JsError> {
    let today = parse_date(today).ok_or_else(|| JsError::new("date du jour illisible"))?;
    // The worker calls this when the fast path (PieceCheck) could not conclude. The validator's
    // own conductor reads the file fast again and gives only the operations it could not
    // conclude on to the full reader: a file with a few errors is reported in a fraction of a
    // full read.
    let report = Validator::new(today)
        .build_model(false)
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

/// Converts a filled spreadsheet template (XLSX read by calamine, or CSV in UTF-8,
/// Windows-1252 or Mac Roman read by the csv crate) to the XML order for `header` (JSON of
/// `shared::order::sheet::SheetHeader`): the conversion of `tom order convert`. Returns JSON:
/// `{"converted": {"xml": "…", "lines": [n…], "notes": [{"row", "key", "what"}…]}}` or
/// `{"error": {"line": n, "message": "…"}}`.
#[wasm_bindgen]
pub fn convert_sheet(bytes: &[u8], header: &str) -> String {
    let value = match serde_json::from_str::<shared::order::sheet::SheetHeader>(header) {
        Err(_) => {
            serde_json::json!({ "error": { "line": 0, "message": "en-tête de commande illisible" } })
        }
        Ok(header) => match shared::order::sheet::convert_file(bytes, &header) {
            Ok(converted) => serde_json::json!({ "converted": converted }),
            Err(e) => serde_json::json!({ "error": { "line": e.line, "message": e.message } }),
        },
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
    fn sheets_come_back_converted_or_as_a_located_error() {
        let header = serde_json::to_string(&shared::order::sheet::SheetHeader::default()).unwrap();
        let columns = shared::order::sheet::columns();
        let titles: Vec<String> = columns
            .iter()
            .map(shared::order::sheet::template_header)
            .collect();
        let csv = format!(
            "{}\r\n{}\r\n",
            titles.join(";"),
            shared::order::sheet::example_row().join(";")
        );
        let ok: serde_json::Value =
            serde_json::from_str(&convert_sheet(csv.as_bytes(), &header)).unwrap();
        assert_eq!(ok["converted"]["lines"][0], 2);
        assert!(ok["converted"]["xml"]
            .as_str()
            .unwrap()
            .contains("<nomNaissance>LOUIN<"));
        let bad: serde_json::Value =
            serde_json::from_str(&convert_sheet(b"PK\x03\x04 not a zip", &header)).unwrap();
        assert!(bad["error"]["message"].as_str().unwrap().contains("XLSX"));
    }
}

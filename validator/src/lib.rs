//! The order-file validator for the browser: the very code the server and `tom order validate`
//! run, called from a Web Worker (`app/worker.js`) so the page stays responsive.

use serde::Serialize;
use shared::order::{Date, ValidationError, Validator};
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

/// Validates an order file; `today` is `YYYY-MM-DD`; `progress(bytes_done)` is called as the
/// file is read. Returns the outcome as JSON: `{valid, operations, errors: [...]}`.
#[wasm_bindgen]
pub fn validate_order(
    bytes: &[u8],
    today: &str,
    progress: &js_sys::Function,
) -> Result<String, JsError> {
    let today = parse_date(today).ok_or_else(|| JsError::new("date du jour illisible"))?;
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

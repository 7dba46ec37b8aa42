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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_iso() {
        assert_eq!(parse_date("2026-11-24"), Date::new(2026, 11, 24));
        assert_eq!(parse_date("24/11/2026"), None);
    }
}

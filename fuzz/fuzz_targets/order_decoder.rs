//! The order-file validator must never panic, whatever the bytes (xml/read.rs promises it).
#![no_main]

use libfuzzer_sys::fuzz_target;
use shared::order::{Date, Validator};

fuzz_target!(|data: &[u8]| {
    let today = Date::new(2026, 11, 24).unwrap();
    // Validation only (the browser and `tom order validate`) and with the typed model (upload).
    let report = Validator::new(today).build_model(false).validate(data);
    assert!(report.order.is_none());
    let report = Validator::new(today).build_model(true).validate(data);
    if report.order.is_some() {
        assert!(report.is_valid());
    }
});

//! The validator's fast path never decides alone: with it or without it, in one thread or in
//! parallel parts, whole, step by step or read in pieces, the verdict is the full reader's,
//! whatever the bytes (also where the full reader reads only the operations the fast path
//! left).
#![no_main]

use libfuzzer_sys::fuzz_target;
use shared::order::{find_cut, merge, Date, Validator};

fuzz_target!(|data: &[u8]| {
    let today = Date::new(2026, 11, 24).unwrap();
    let v = Validator::new(today).build_model(false);
    let full = v.clone().fast_path(false).validate(data);
    assert_eq!(v.validate(data), full);
    let parts = v
        .clone()
        .parallel_from(0)
        .holder_keys_in_memory(4)
        .validate_releasing(data, 3, |from, to| assert!(from < to));
    assert_eq!(parts, full);
    let mut run = v.start(data);
    while !run.step(1 + data.len() % 4093) {}
    assert_eq!(run.finish(), full);
    // In pieces (sizes from the input's length), in one part or two cut where find_cut says.
    let piece = 1 + data.len() % 977;
    let mid = data.len() / 2;
    let cuts = match find_cut(&data[mid..]) {
        Some(at) if data.len() % 2 == 0 => vec![0, mid + at, data.len()],
        _ => vec![0, data.len()],
    };
    let n = cuts.len() - 1;
    let mut found = Vec::new();
    for i in 0..n {
        let mut check = v.fast_check(i == 0, i + 1 == n);
        let fed = data[cuts[i]..cuts[i + 1]].chunks(piece).all(|p| check.feed(p));
        match check.finish() {
            Some(part) if fed => found.push(part),
            _ => return,
        }
    }
    if let Some(operations) = merge(found, v.element_limit()) {
        assert!(full.errors.is_empty(), "{:?}", full.errors);
        assert_eq!(full.operations, operations);
    }
});

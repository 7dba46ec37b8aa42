//! `Validator::validate_releasing` (for memory-mapped files) reports exactly what `validate`
//! does, and releases the input as it goes.

mod common;

use shared::order::generate::generate;
use shared::order::Validator;

fn same_report(bytes: &[u8]) -> Vec<usize> {
    let validator = Validator::new(common::today()).build_model(false);
    let mut released = Vec::new();
    let streamed = validator.validate_releasing(bytes, |n| released.push(n));
    assert_eq!(streamed, validator.validate(bytes));
    released
}

#[test]
fn every_example_gives_the_same_report() {
    for entry in std::fs::read_dir(common::examples()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "xml") {
            same_report(&std::fs::read(&path).unwrap());
        }
    }
}

#[test]
fn large_files_with_errors_and_accents_across_chunks_give_the_same_report() {
    for seed in [1, 2] {
        // About 3 MB: several 1 MiB chunks, accented names cut at chunk ends.
        let (xml, _) = generate(3000, seed, 7);
        let released = same_report(xml.as_bytes());
        assert!(released.iter().any(|n| *n > 2_000_000), "{released:?}");
    }
}

#[test]
fn invalid_utf8_far_in_the_file_is_reported_at_its_position() {
    let (xml, _) = generate(2000, 3, 0);
    let mut bytes = xml.into_bytes();
    let at = bytes.len() - 5000;
    bytes[at] = 0xFF;
    let released = same_report(&bytes);
    assert!(!released.is_empty());
    let report = Validator::new(common::today()).validate_releasing(&bytes, |_| {});
    assert_eq!(report.errors[0].code, "utf8_invalide");
    assert!(report.errors[0].message.contains(&format!("position {at}")));
}

//! `Validator::validate_releasing` (for memory-mapped files) reports exactly what `validate`
//! does, and releases the input as it goes.

mod common;

use shared::order::generate::generate;
use shared::order::Validator;
use std::sync::Mutex;

/// The report of `validate_releasing` in one and in several threads, compared with the full
/// reader's; returns the ends of the released ranges.
fn same_report(bytes: &[u8]) -> Vec<usize> {
    let validator = Validator::new(common::today())
        .build_model(false)
        .parallel_from(0);
    let full = validator.clone().fast_path(false).validate(bytes);
    let released = Mutex::new(Vec::new());
    // 1 000 holder keys in memory: longer files write them to temporary files.
    for (threads, keys) in [(1, usize::MAX), (1, 1000), (2, 1000), (3, usize::MAX)] {
        let validator = validator.clone().holder_keys_in_memory(keys);
        let streamed = validator.validate_releasing(bytes, threads, |from, to| {
            assert!(from < to);
            released.lock().unwrap().push(to);
        });
        assert_eq!(streamed, full, "{threads} thread(s), {keys} keys");
    }
    assert_eq!(validator.validate(bytes), full);
    released.into_inner().unwrap()
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
    let report = Validator::new(common::today()).validate_releasing(&bytes, 2, |_, _| {});
    assert_eq!(report.errors[0].code, "utf8_invalide");
    assert!(report.errors[0].message.contains(&format!("position {at}")));
}

#[test]
fn parts_read_in_parallel_meet_and_share_their_holders() {
    let (xml, _) = generate(3000, 4, 0);
    let report = Validator::new(common::today())
        .build_model(false)
        .parallel_from(0)
        .validate_releasing(xml.as_bytes(), 4, |_, _| {});
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.operations, 3000);
    // The first holder's matricule given again near the end: in another part.
    let dup = common::first_holder_again_last(&xml);
    same_report(dup.as_bytes());
    let report = Validator::new(common::today()).validate(dup.as_bytes());
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].code, "porteur_en_double");
    // An element out of place in the last part only, then a comment at a cut.
    let late = xml.len() - 2000 + xml[xml.len() - 2000..].find("<sexe>").unwrap();
    let misplaced = format!("{}<pays>FR</pays>{}", &xml[..late], &xml[late..]);
    same_report(misplaced.as_bytes());
    let middle = xml.len() / 2 + xml[xml.len() / 2..].find("<demandeCarte>").unwrap();
    let commented = format!(
        "{}<!-- <demandeCarte> -->{}",
        &xml[..middle],
        &xml[middle..]
    );
    same_report(commented.as_bytes());
}

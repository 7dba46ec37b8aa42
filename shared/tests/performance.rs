//! Throughput check on a large generated file: run with
//! `cargo test --release --test performance -- --ignored --nocapture` (not part of the quick suite).

mod common;

use std::time::Instant;

use shared::order::generate::generate;
use shared::order::Validator;

#[test]
#[ignore = "long: generates and validates a file of 100 000 operations"]
fn validates_100_000_operations_well_under_a_tenth_of_a_second_per_megabyte() {
    let (xml, _) = generate(100_000, 2026, 0);
    let mb = xml.len() as f64 / 1e6;
    for build_model in [false, true] {
        let validator = Validator::new(common::today()).build_model(build_model);
        let started = Instant::now();
        let report = validator.validate(xml.as_bytes());
        let seconds = started.elapsed().as_secs_f64();
        assert!(report.is_valid());
        assert_eq!(report.operations, 100_000);
        let per_mb = seconds / mb;
        println!(
            "{mb:.1} Mo, modèle {build_model} : {seconds:.3} s, {:.1} ms/Mo",
            per_mb * 1000.0
        );
        assert!(per_mb < 0.05, "{per_mb} s/Mo");
    }
}

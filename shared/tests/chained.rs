//! A file with errors is reported by the fast path carrying on past the operations it cannot
//! conclude on and the full reader reading only those: on every input here, whatever the way
//! the validator is run (whole, with progress, step by step, releasing in one or several
//! threads), the report equals the full reader's over the whole file — same errors, order,
//! lines, columns, paths, holder duplicates and limit. Generated files with errors scattered,
//! many seeds, and errors in the header, in the first and last operations, holders given
//! twice, more errors than the limit, malformed XML, comments, other encodings.

mod common;

use shared::order::generate::generate;
use shared::order::{Report, Validator};

fn validator() -> Validator {
    Validator::new(common::today()).build_model(false)
}

/// Every way of running `v` gives the full reader's report over the whole file; returns it.
#[track_caller]
fn same_everywhere(v: &Validator, bytes: &[u8]) -> Report {
    let full = v.clone().fast_path(false).validate(bytes);
    let show = || String::from_utf8_lossy(&bytes[..bytes.len().min(2000)]).into_owned();
    assert_eq!(v.validate(bytes), full, "validate\n{}", show());
    let mut last = 0;
    let progress = v.validate_with_progress(bytes, 4096, |done| {
        assert!(done >= last, "progress goes on");
        last = done;
    });
    assert_eq!(progress, full, "validate_with_progress");
    let mut run = v.start(bytes);
    while !run.step(4096) {}
    assert_eq!(run.finish(), full, "start, step, finish");
    for threads in [1, 2, 3] {
        let parallel = v.clone().parallel_from(0).holder_keys_in_memory(64);
        let released = parallel.validate_releasing(bytes, threads, |from, to| assert!(from < to));
        assert_eq!(released, full, "validate_releasing, {threads} thread(s)");
    }
    // The browser's pieces: the fast path alone concludes only on a file without finding.
    let mut pieces = v.fast_check(true, true);
    let mut going = true;
    for piece in bytes.chunks(65536) {
        going = pieces.feed(piece);
        if !going {
            break;
        }
    }
    let part = if going { pieces.finish() } else { None };
    if let Some(part) = part {
        assert!(
            full.errors.is_empty(),
            "pieces said clean: {:?}",
            full.errors
        );
        assert_eq!(part.operations, full.operations);
    }
    full
}

/// `xml` with `insert` put before the `n`-th (from the end when `from_end`) occurrence of
/// `before`.
fn insert_at(xml: &str, before: &str, from_end: bool, insert: &str) -> String {
    let at = if from_end {
        xml.rfind(before)
    } else {
        xml.find(before)
    }
    .unwrap_or_else(|| panic!("{before} not found"));
    format!("{}{insert}{}", &xml[..at], &xml[at..])
}

/// The offset of the end tag of the last operation.
fn last_operation_end(xml: &str) -> usize {
    let operations_end = xml.rfind("</operations>").unwrap();
    xml[..operations_end].rfind("</").unwrap()
}

#[test]
fn generated_files_with_scattered_errors_get_the_whole_file_report() {
    let v = validator();
    let mut with_duplicates = 0;
    for seed in 0..40 {
        let errors = [1, 3, 8, 20][seed as usize % 4];
        let (xml, expected) = generate(150, seed, errors);
        let report = same_everywhere(&v, xml.as_bytes());
        assert!(!report.errors.is_empty());
        if report.errors.iter().any(|e| e.code == "porteur_en_double") {
            with_duplicates += 1;
        }
        assert!(expected.len() <= report.errors.len() + 1);
    }
    assert!(with_duplicates > 0, "some seeds give holders twice");
}

#[test]
fn larger_files_in_parallel_parts_get_the_whole_file_report() {
    let v = validator();
    for seed in [3, 11] {
        let (xml, _) = generate(2500, seed, 40);
        same_everywhere(&v, xml.as_bytes());
        // The first holder again at the end: a holder in two parts, each concluded on.
        let (valid, _) = generate(2500, seed, 0);
        let twice = common::first_holder_again_last(&valid);
        let report = same_everywhere(&v, twice.as_bytes());
        assert_eq!(report.errors.len(), 1);
        assert_eq!(report.errors[0].code, "porteur_en_double");
        // And with errors elsewhere.
        let (xml, _) = generate(2500, seed, 10);
        same_everywhere(&v, common::first_holder_again_last(&xml).as_bytes());
    }
}

#[test]
fn errors_in_the_header_and_in_the_first_and_last_operations() {
    let v = validator();
    for seed in [1, 2, 5] {
        let (xml, _) = generate(60, seed, 4);
        let header = insert_at(&xml, "</entete>", false, "<inconnu>1</inconnu>");
        same_everywhere(&v, header.as_bytes());
        let first = insert_at(&xml, "<operations>", false, "");
        let at = first.find("<operations>").unwrap() + "<operations>".len();
        let first_op = first[at..].find('<').unwrap() + at;
        let tag_end = first[first_op..].find('>').unwrap() + first_op + 1;
        let first = format!(
            "{}<inconnu>1</inconnu>{}",
            &first[..tag_end],
            &first[tag_end..]
        );
        let report = same_everywhere(&v, first.as_bytes());
        assert!(report.errors.iter().any(|e| e.code == "element_inconnu"));
        let end = last_operation_end(&xml);
        let last = format!("{}<inconnu>1</inconnu>{}", &xml[..end], &xml[end..]);
        let report = same_everywhere(&v, last.as_bytes());
        assert!(report.errors.iter().any(|e| e.code == "element_inconnu"));
        // Both, with the last operation not closed properly.
        let both = format!("{}<inconnu>{}", &first[..], "");
        same_everywhere(&v, both.as_bytes());
        let end = last_operation_end(&first);
        let broken = format!("{}</inconnu>{}", &first[..end], &first[end..]);
        same_everywhere(&v, broken.as_bytes());
    }
}

#[test]
fn more_errors_than_the_limit_stop_where_the_whole_file_reader_stops() {
    for (seed, limit) in [(1, 1), (2, 3), (3, 7), (4, 19), (5, 20)] {
        let v = validator().max_errors(limit);
        let (xml, _) = generate(200, seed, 30);
        let report = same_everywhere(&v, xml.as_bytes());
        assert_eq!(
            report.errors.last().unwrap().code,
            "limite_erreurs_atteinte"
        );
    }
}

#[test]
fn malformed_operations_comments_and_character_references() {
    let v = validator();
    let (xml, _) = generate(120, 8, 6);
    let middle = xml.len() / 2;
    let edits = [
        // A mismatched end tag: the report ends there.
        ("</codePostal>", "</cdePostal>"),
        // A comment inside an operation, then one between operations.
        ("<sexe>", "<!-- sexe --><sexe>"),
        ("<demandeCarte>", "<!-- <demandeCarte> --><demandeCarte>"),
        // A character reference and a CDATA section in values.
        ("<commune>", "<commune>&#83;"),
        ("<voie>", "<voie><![CDATA[RUE]]>"),
        // An operation's start tag that the fast path does not take as a cut.
        ("<demandeCarte>", "<demandeCarte >"),
        // Text between operations.
        ("<demandeCarte>", "x<demandeCarte>"),
    ];
    for (from, to) in edits {
        let at = middle + xml[middle..].find(from).unwrap();
        let edited = format!("{}{to}{}", &xml[..at], &xml[at + from.len()..]);
        same_everywhere(&v, edited.as_bytes());
        // Far from the error the generator put first, and invalid UTF-8 after it.
        let mut bytes = edited.into_bytes();
        let late = bytes.len() - 300;
        bytes[late] = 0xFF;
        same_everywhere(&v, &bytes);
    }
}

#[test]
fn files_in_other_encodings() {
    let v = validator();
    let (xml, _) = generate(80, 4, 6);
    assert!(
        xml.contains(|c: char| !c.is_ascii()),
        "accents to transcode"
    );
    let body = xml.split_once("?>").map_or(xml.as_str(), |(_, b)| b);
    let latin1: Vec<u8> = format!("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>{body}")
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect();
    same_everywhere(&v, &latin1);
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(body.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    same_everywhere(&v, &utf16);
    let bom: Vec<u8> = [0xEF, 0xBB, 0xBF].into_iter().chain(xml.bytes()).collect();
    same_everywhere(&v, &bom);
}

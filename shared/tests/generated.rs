//! Generated files: valid ones read back to the same model and pass xmllint; broken ones give
//! the expected findings, and their schema-level verdict is xmllint's, file by file.

mod common;

use std::collections::HashMap;
use std::fs;
use std::process::Command;

use shared::order::errors::codes;
use shared::order::generate::{generate, generate_order, ExpectedError, SplitMix64};
use shared::order::{validate, write_order, ValidationError};

fn under(e: &ValidationError, path: &str) -> bool {
    e.path == path || e.path.starts_with(&format!("{path}/"))
}

#[test]
fn generated_files_without_errors_are_valid() {
    for seed in 0..60 {
        let (xml, expected) = generate(40, seed, 0);
        assert!(expected.is_empty());
        let report = validate(xml.as_bytes(), common::today());
        assert!(
            report.errors.is_empty(),
            "graine {seed}: {:#?}",
            report.errors
        );
        assert_eq!(report.operations, 40);
    }
}

#[test]
fn write_then_read_gives_the_same_order() {
    for seed in 0..200 {
        let order = generate_order(1 + (seed as usize % 25), seed);
        let xml = write_order(&order);
        let report = validate(xml.as_bytes(), common::today());
        assert!(
            report.errors.is_empty(),
            "graine {seed}: {:#?}",
            report.errors
        );
        assert_eq!(report.order.as_ref(), Some(&order), "graine {seed}");
        // And the model survives JSON (the worker posts it to the page).
        let json = serde_json::to_string(&order).unwrap();
        let back: shared::order::Order = serde_json::from_str(&json).unwrap();
        assert_eq!(back, order);
    }
}

#[test]
fn reading_the_generated_text_gives_the_generated_order() {
    for seed in 0..30 {
        let (xml, _) = generate(30, seed, 0);
        let order = validate(xml.as_bytes(), common::today()).order.unwrap();
        assert_eq!(order, generate_order(30, seed));
        assert_eq!(write_order(&order), xml);
    }
}

#[test]
fn injected_errors_are_all_found_and_nothing_else() {
    let mut seen_codes = HashMap::new();
    for seed in 0..150 {
        let (xml, expected) = generate(30, seed, 1 + (seed as usize % 6));
        assert!(!expected.is_empty());
        let report = validate(xml.as_bytes(), common::today());
        for e in &expected {
            assert!(
                report
                    .errors
                    .iter()
                    .any(|r| r.code == e.code && under(r, &e.path)),
                "graine {seed}: {e:?} non trouvé dans {:#?}",
                report.errors
            );
            *seen_codes.entry(e.code).or_insert(0) += 1;
        }
        for r in &report.errors {
            assert!(
                expected.iter().any(|e| under(r, &e.path)),
                "graine {seed}: erreur inattendue {r:#?}"
            );
        }
        assert!(report.order.is_none());
    }
    // Every kind of injection was exercised.
    assert!(seen_codes.len() >= 14, "{seen_codes:?}");
}

/// Runs xmllint once over many files; returns file name → valid.
fn xmllint_verdicts(files: &[std::path::PathBuf]) -> HashMap<String, bool> {
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--nonet")
        .arg("--schema")
        .arg(common::schema())
        .args(files)
        .output()
        .expect("xmllint runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut verdicts = HashMap::new();
    for line in stderr.lines() {
        if let Some(f) = line.strip_suffix(" fails to validate") {
            verdicts.insert(f.to_owned(), false);
        } else if let Some(f) = line.strip_suffix(" validates") {
            verdicts.insert(f.to_owned(), true);
        }
    }
    verdicts
}

fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tom-order-codec-{}-{name}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn generated_valid_files_pass_xmllint() {
    if !common::xmllint_available() {
        eprintln!("NOTE : xmllint absent, test ignoré");
        return;
    }
    let dir = scratch_dir("valides");
    let files: Vec<_> = (0..20)
        .map(|seed| {
            let path = dir.join(format!("valide-{seed}.xml"));
            fs::write(&path, generate(60, 1000 + seed, 0).0).unwrap();
            path
        })
        .collect();
    let verdicts = xmllint_verdicts(&files);
    for f in &files {
        assert_eq!(verdicts.get(f.to_str().unwrap()), Some(&true), "{f:?}");
    }
    fs::remove_dir_all(dir).ok();
}

#[test]
fn schema_level_verdicts_agree_with_xmllint_file_by_file() {
    if !common::xmllint_available() {
        eprintln!("NOTE : xmllint absent, test ignoré");
        return;
    }
    let dir = scratch_dir("casses");
    let mut files = Vec::new();
    let mut expectations: Vec<Vec<ExpectedError>> = Vec::new();
    let mut ours = Vec::new();
    for seed in 0..300u64 {
        let (xml, expected) = generate(8, 5000 + seed, 1 + (seed as usize % 3));
        let path = dir.join(format!("casse-{seed}.xml"));
        fs::write(&path, &xml).unwrap();
        let report = validate(xml.as_bytes(), common::today());
        ours.push(!report.errors.iter().any(|e| codes::is_schema_level(e.code)));
        files.push(path);
        expectations.push(expected);
    }
    let verdicts = xmllint_verdicts(&files);
    let mut schema_invalid = 0;
    for (i, f) in files.iter().enumerate() {
        let theirs = *verdicts.get(f.to_str().unwrap()).expect("verdict xmllint");
        assert_eq!(ours[i], theirs, "{f:?}: TOM {}, xmllint {theirs}", ours[i]);
        let by_generator = !expectations[i].iter().any(|e| e.schema_level);
        assert_eq!(by_generator, theirs, "{f:?}");
        schema_invalid += usize::from(!theirs);
    }
    // Both verdicts occur, so the comparison means something.
    assert!(
        schema_invalid > 50 && schema_invalid < 290,
        "{schema_invalid}"
    );
    fs::remove_dir_all(dir).ok();
}

/// Values tried in place of a leaf's text: edge cases of every simple type.
const VALUES: &[&str] = &[
    "",
    " ",
    "X",
    "0",
    "1",
    "true",
    "false",
    " true ",
    "10",
    "38",
    "60",
    "99",
    "SA01",
    "SA99",
    "FON-18",
    "GENR04",
    "S",
    "M",
    "MME",
    "F",
    "CPS",
    "CPF",
    "perte",
    "vol",
    "FR",
    "fr",
    "FRA",
    "2024-02-29",
    "2023-02-29",
    " 2024-01-01 ",
    "2024-1-01",
    "2024-01-01T10:00:00Z",
    "2024-01-01T24:00:00",
    "12 bis",
    "12  bis",
    "12345",
    "01440",
    "0144",
    "A&amp;B",
    "&#65;BC",
    "<![CDATA[DUPONT]]>",
    "ÉLODIE",
    "Ÿ",
    "O'NEILL",
    "D'-A",
    "a@b.fr",
    "a@b",
    "0612345678",
    "+33612345678",
    "06 12 34 56 78",
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "620100842",
    "2A0000001",
    "96000000",
    "26010004500012",
    "10001234565",
    "1234567890",
    "M0000001",
    "3620100842/01417",
    "GEN-1",
    "-GEN",
];

/// One random edit of whole lines: delete, duplicate, swap with the next, move, or change a
/// leaf's value. The file stays well-formed; the schema verdict is left to chance.
fn edit_lines(rng: &mut SplitMix64, xml: &str) -> String {
    let mut lines: Vec<String> = xml.lines().map(str::to_owned).collect();
    // Lines holding one leaf element `<x>…</x>`, or whole small elements like `<pays/>`.
    let leaves: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_start();
            t.starts_with('<') && !t.starts_with("</") && t.contains("</")
        })
        .map(|(i, _)| i)
        .collect();
    let i = *rng.pick(&leaves);
    match rng.below(5) {
        0 => {
            lines.remove(i);
        }
        1 => {
            let l = lines[i].clone();
            lines.insert(i, l);
        }
        2 => {
            let j = *rng.pick(&leaves);
            lines.swap(i, j);
        }
        3 => {
            let l = lines.remove(i);
            let j = *rng.pick(&leaves);
            lines.insert(j.min(lines.len()), l);
        }
        _ => {
            let l = &lines[i];
            let open_end = l.find('>').unwrap() + 1;
            let close_start = l.rfind("</").unwrap();
            lines[i] = format!(
                "{}{}{}",
                &l[..open_end],
                rng.pick(VALUES),
                &l[close_start..]
            );
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

#[test]
fn schema_verdicts_agree_with_xmllint_on_random_line_edits() {
    if !common::xmllint_available() {
        eprintln!("NOTE : xmllint absent, test ignoré");
        return;
    }
    let dir = scratch_dir("editions");
    let mut rng = SplitMix64::new(2026);
    let mut files = Vec::new();
    let mut ours = Vec::new();
    for n in 0..400u64 {
        let (mut xml, _) = generate(3, 9000 + n % 40, 0);
        for _ in 0..1 + rng.below(2) {
            xml = edit_lines(&mut rng, &xml);
        }
        let path = dir.join(format!("edition-{n}.xml"));
        fs::write(&path, &xml).unwrap();
        let report = validate(xml.as_bytes(), common::today());
        ours.push(!report.errors.iter().any(|e| codes::is_schema_level(e.code)));
        files.push(path);
    }
    let verdicts = xmllint_verdicts(&files);
    let mut disagreements = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let theirs = *verdicts.get(f.to_str().unwrap()).expect("verdict xmllint");
        if ours[i] != theirs {
            disagreements.push(format!("{f:?}: TOM {}, xmllint {theirs}", ours[i]));
        }
    }
    let invalid = ours.iter().filter(|v| !**v).count();
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    assert!(invalid > 100 && invalid < 390, "{invalid}");
    fs::remove_dir_all(dir).ok();
}

/// Fragments inserted at random places to break well-formedness in many ways.
const FRAGMENTS: &[&str] = &[
    "<",
    ">",
    "&",
    "\"",
    "'",
    "]]>",
    "<!--",
    "-->",
    "<?pi x?>",
    "&#0;",
    "&#x110000;",
    "&amp;",
    "<a:b>",
    "</",
    "\u{1}",
    "\u{FFFE}",
    " x=\"1\"",
    "xmlns:p=\"\"",
    "--",
    "é",
    "<!DOCTYPE",
    "<?xml version=\"1.0\"?>",
    "<![CDATA[",
    "=",
    "?>",
    "<?",
    " ",
    "\n",
    "#",
    ";",
    ":",
];

#[test]
fn well_formedness_verdicts_agree_with_xmllint_on_byte_edits() {
    if !common::xmllint_available() {
        eprintln!("NOTE : xmllint absent, test ignoré");
        return;
    }
    let dir = scratch_dir("octets");
    let mut rng = SplitMix64::new(31);
    let (base, _) = generate(2, 1, 0);
    let mut files = Vec::new();
    let mut reports = Vec::new();
    for n in 0..600 {
        let mut s = base.clone();
        for _ in 0..1 + rng.below(2) {
            let mut at = rng.below(s.len());
            while !s.is_char_boundary(at) {
                at -= 1;
            }
            if rng.chance(50) {
                let mut end = (at + 1 + rng.below(5)).min(s.len());
                while !s.is_char_boundary(end) {
                    end += 1;
                }
                s.replace_range(at..end, "");
            } else {
                let fragment: &&str = rng.pick(FRAGMENTS);
                s.insert_str(at, fragment);
            }
        }
        let path = dir.join(format!("octets-{n}.xml"));
        fs::write(&path, &s).unwrap();
        reports.push(validate(s.as_bytes(), common::today()));
        files.push(path);
    }
    // xmllint prints no verdict for a file it cannot parse: that is a refusal.
    let verdicts = xmllint_verdicts(&files);
    let mut disagreements = Vec::new();
    for (f, report) in files.iter().zip(&reports) {
        let theirs = verdicts.get(f.to_str().unwrap()).copied().unwrap_or(false);
        let schema_refused = report.errors.iter().any(|e| codes::is_schema_level(e.code));
        let tom_only = report
            .errors
            .iter()
            .any(|e| e.code == codes::DOCTYPE_INTERDIT || e.code == codes::ENCODAGE_NON_SUPPORTE);
        // TOM may be stricter (DOCTYPE, encodings), never more lenient.
        let agree = if theirs {
            !schema_refused
        } else {
            schema_refused || tom_only
        };
        if !agree {
            disagreements.push(format!(
                "{f:?}: xmllint {theirs}, TOM {:?}",
                report.errors.first()
            ));
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    fs::remove_dir_all(dir).ok();
}

//! Arbitrary and mutated input never panics, and the safety bounds hold.

mod common;

use shared::order::errors::codes;
use shared::order::generate::{generate, SplitMix64};
use shared::order::{validate, Validator};

const SPECIAL: &[&[u8]] = &[
    b"<",
    b">",
    b"&",
    b"\"",
    b"'",
    b"/",
    b"=",
    b"\0",
    b"\xFF",
    b"\xC3",
    b"\xE2\x82",
    b"]]>",
    b"<!--",
    b"<![CDATA[",
    b"<?xml version=\"1.0\"?>",
    b"<!DOCTYPE x>",
    b"&#0;",
    b"&#x110000;",
    b"&amp;",
    b"xmlns:a=\"\"",
    b"<a:b>",
    b"</",
    b"\r",
    b"\n",
    b"\t",
    b" ",
];

fn mutate(rng: &mut SplitMix64, input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        if v.is_empty() {
            let special: &&[u8] = rng.pick(SPECIAL);
            v.extend_from_slice(special);
            continue;
        }
        let at = rng.below(v.len() + 1).min(v.len());
        match rng.below(6) {
            0 => {
                let i = at.min(v.len() - 1);
                v[i] = rng.next_u64() as u8;
            }
            1 => v
                .splice(at..at, rng.pick(SPECIAL).iter().copied())
                .for_each(drop),
            2 => v.truncate(at),
            3 => {
                let end = (at + rng.below(64)).min(v.len());
                v.drain(at..end);
            }
            4 => {
                let end = (at + rng.below(200)).min(v.len());
                let copy = v[at..end].to_vec();
                let to = rng.below(v.len() + 1).min(v.len());
                v.splice(to..to, copy).for_each(drop);
            }
            _ => {
                let i = at.min(v.len() - 1);
                v[i] ^= 1 << rng.below(8);
            }
        }
    }
    v
}

#[test]
fn mutated_order_files_never_panic() {
    let mut rng = SplitMix64::new(99);
    let bases: Vec<Vec<u8>> = (0..8)
        .map(|s| generate(4, s, (s % 3) as usize).0.into_bytes())
        .chain([std::fs::read(common::examples().join("commande-complete.xml")).unwrap()])
        .collect();
    for _ in 0..20_000 {
        let base = rng.pick(&bases);
        let input = mutate(&mut rng, base);
        let report = validate(&input, common::today());
        if report.order.is_some() {
            assert!(report.is_valid());
        }
        for e in &report.errors {
            assert!(codes::ALL.contains(&e.code));
            assert!(e.line >= 1 || e.code == codes::LIMITE_ERREURS_ATTEINTE || e.line == 0);
        }
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = SplitMix64::new(7);
    for _ in 0..10_000 {
        let len = rng.below(300);
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                if rng.chance(50) {
                    *rng.pick(b"<>/=\"'&;#x:abc \n")
                } else {
                    rng.next_u64() as u8
                }
            })
            .collect();
        let report = validate(&bytes, common::today());
        assert!(!report.is_valid());
    }
}

#[test]
fn every_truncation_is_an_error_not_a_panic() {
    let (xml, _) = generate(2, 3, 0);
    let bytes = xml.as_bytes();
    let end_of_root = xml.trim_end().len();
    for cut in 0..end_of_root {
        let report = validate(&bytes[..cut], common::today());
        assert!(!report.is_valid(), "coupé à {cut}");
    }
}

#[test]
fn error_count_stops_at_the_limit_with_a_last_error_saying_so() {
    let (xml, expected) = generate(400, 11, 300);
    assert!(expected.len() > 50);
    let report = Validator::new(common::today())
        .max_errors(20)
        .validate(xml.as_bytes());
    assert_eq!(report.errors.len(), 21);
    assert_eq!(
        report.errors.last().unwrap().code,
        codes::LIMITE_ERREURS_ATTEINTE
    );
    assert!(report.operations < 400);
}

#[test]
fn deep_nesting_is_refused() {
    let mut xml = String::from("<commande xmlns=\"urn:tom:commande:v1\"><entete>");
    xml.push_str(&"<x>".repeat(100_000));
    let report = validate(xml.as_bytes(), common::today());
    assert!(report
        .errors
        .iter()
        .any(|e| e.code == codes::PROFONDEUR_EXCESSIVE));
    assert!(report.errors.len() < 10);
}

#[test]
fn element_count_is_bounded() {
    let (xml, _) = generate(50, 1, 0);
    let report = Validator::new(common::today())
        .max_elements(100)
        .validate(xml.as_bytes());
    assert_eq!(report.errors.last().unwrap().code, codes::TROP_D_ELEMENTS);
}

#[test]
fn huge_text_values_are_refused_once() {
    let (xml, _) = generate(1, 1, 0);
    let big = "A".repeat(1_000_000);
    let start = xml.find("<nomNaissance>").unwrap() + "<nomNaissance>".len();
    let end = xml.find("</nomNaissance>").unwrap();
    let xml = format!("{}{big}{}", &xml[..start], &xml[end..]);
    let report = validate(xml.as_bytes(), common::today());
    let too_long: Vec<_> = report
        .errors
        .iter()
        .filter(|e| e.code == codes::TEXTE_TROP_LONG)
        .collect();
    assert_eq!(too_long.len(), 1, "{:#?}", report.errors);
}

#[test]
fn entity_expansion_is_impossible() {
    let bomb = "<?xml version=\"1.0\"?><!DOCTYPE c [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><commande xmlns=\"urn:tom:commande:v1\">&b;</commande>";
    let report = validate(bomb.as_bytes(), common::today());
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].code, codes::DOCTYPE_INTERDIT);
}

#[test]
fn every_finding_is_a_catalogue_message_that_a_client_can_render_again() {
    let mut rng = SplitMix64::new(5);
    let bases: Vec<Vec<u8>> = (0..8)
        .map(|s| generate(6, s, 4).0.into_bytes())
        .chain([std::fs::read(common::examples().join("commande-complete.xml")).unwrap()])
        .collect();
    let mut codes_seen = std::collections::HashSet::new();
    for i in 0..5_000 {
        let input = if i < bases.len() {
            bases[i].clone()
        } else {
            let base = rng.pick(&bases).clone();
            mutate(&mut rng, &base)
        };
        for e in validate(&input, common::today()).errors {
            let message = e.to_message();
            assert!(
                shared::message::fr::template(&message.code).is_some(),
                "{} sans entrée au catalogue",
                message.code
            );
            assert_ne!(e.message, message.code, "{e:?}");
            assert_eq!(message.to_french(), e.message, "{e:?}");
            let json = serde_json::to_string(&e).unwrap();
            let back: shared::order::ValidationError = serde_json::from_str(&json).unwrap();
            assert_eq!(back.to_message().to_french(), e.message);
            codes_seen.insert(message.code.into_owned());
        }
    }
    assert!(codes_seen.len() > 20, "{codes_seen:?}");
}

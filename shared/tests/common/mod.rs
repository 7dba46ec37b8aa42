//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use shared::order::Date;

pub fn today() -> Date {
    Date::new(2026, 11, 24).unwrap()
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn schema() -> PathBuf {
    root().join("../schemas/tom-commande-v1.xsd")
}

pub fn examples() -> PathBuf {
    root().join("../schemas/examples")
}

/// `Some(valid)` from `xmllint --noout --schema`, `None` when xmllint is not installed.
pub fn xmllint_accepts(file: &Path) -> Option<bool> {
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--nonet")
        .arg("--schema")
        .arg(schema())
        .arg(file)
        .output()
        .ok()?;
    Some(out.status.success())
}

pub fn xmllint_available() -> bool {
    Command::new("xmllint").arg("--version").output().is_ok()
}

/// The order with its first card request's matricule given again to its last card request
/// (far apart: in different parts when the file is read in parts).
pub fn first_holder_again_last(xml: &str) -> String {
    let matricule_at = |request: usize| {
        let start = request + xml[request..].find("<matricule>").unwrap() + "<matricule>".len();
        start..start + xml[start..].find('<').unwrap()
    };
    let first = matricule_at(xml.find("<demandeCarte>").unwrap());
    let last = matricule_at(xml.rfind("<demandeCarte>").unwrap());
    format!("{}{}{}", &xml[..last.start], &xml[first], &xml[last.end..])
}

/// `text` in UTF-16 with its byte order mark: little-endian when `le`, big-endian otherwise.
pub fn utf16(text: &str, le: bool) -> Vec<u8> {
    let mark: [u8; 2] = if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] };
    mark.into_iter()
        .chain(text.encode_utf16().flat_map(
            move |u| {
                if le {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                }
            },
        ))
        .collect()
}

//! Distinguished names read by meaning, not by bytes.
//!
//! - Attribute values: a DirectoryString of every type (RFC 5280 §4.1.2.4: PrintableString,
//!   UTF8String, BMPString, TeletexString, UniversalString; and IA5String, NumericString) is
//!   decoded to text. TeletexString is read as ISO-8859-1, as OpenSSL and the CAs that still
//!   write it do.
//! - Comparison (RFC 5280 §7.1, which points to the LDAP string preparation of RFC 4518): two
//!   names are the same when they have the same RDNs in the same order, each with the same
//!   attributes whose values, prepared, are equal — prepared meaning normalised (NFKC), case
//!   folded, with leading and trailing spaces removed and inner runs of spaces made one. So the
//!   issuer name of a card, of a CA and of a CRL match whether each was written as
//!   PrintableString, UTF8String or BMPString, in capitals or not.

use unicode_normalization::UnicodeNormalization;
use x509_parser::prelude::*;
use x509_parser::x509::AttributeTypeAndValue;

/// The text of an attribute value of any DirectoryString type; `None` for a value that is not
/// a string (or a malformed one).
pub fn attribute_text(attr: &AttributeTypeAndValue<'_>) -> Option<String> {
    let value = attr.attr_value();
    let data = value.data;
    match value.tag().0 {
        // UTF8String, NumericString, PrintableString, IA5String (the last three are ASCII).
        12 | 18 | 19 | 22 => std::str::from_utf8(data).ok().map(str::to_string),
        // TeletexString: ISO-8859-1 in practice.
        20 => Some(data.iter().map(|&b| char::from(b)).collect()),
        // BMPString: UCS-2, big-endian.
        30 => {
            if data.len() % 2 != 0 {
                return None;
            }
            let units = data
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]));
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .ok()
        }
        // UniversalString: UCS-4, big-endian.
        28 => {
            if data.len() % 4 != 0 {
                return None;
            }
            data.chunks_exact(4)
                .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
                .collect()
        }
        _ => None,
    }
}

/// The first value of `oid` in `name`, decoded.
pub fn first_text(name: &X509Name<'_>, oid: &x509_parser::der_parser::Oid<'_>) -> Option<String> {
    name.iter_by_oid(oid).next().and_then(attribute_text)
}

/// A value prepared for comparison (RFC 4518 §2, simplified to what names hold): NFKC, case
/// folded, insignificant spaces removed.
fn prepared(text: &str) -> String {
    let folded: String = text.nfkc().flat_map(char::to_lowercase).collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The name as a key that equal names (by RFC 5280 §7.1) share: each RDN in order, its
/// attributes sorted, each `oid=prepared value` (a value that is not a string: its bytes in hex).
pub fn name_key(name: &X509Name<'_>) -> String {
    name.iter()
        .map(|rdn| {
            let mut attrs: Vec<String> = rdn
                .iter()
                .map(|attr| {
                    let value = attribute_text(attr).map_or_else(
                        || format!("#{}", hex::encode(attr.attr_value().data)),
                        |t| prepared(&t),
                    );
                    format!("{}={value}", attr.attr_type().to_id_string())
                })
                .collect();
            attrs.sort();
            attrs.join("+")
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// [`name_key`] of a name given as its DER (a CRL's stored issuer); `None` if unreadable.
pub fn name_key_of_der(der: &[u8]) -> Option<String> {
    X509Name::from_der(der)
        .ok()
        .map(|(_, name)| name_key(&name))
}

/// Whether two names are the same name (RFC 5280 §7.1): byte-equal, or equal once prepared.
pub fn same_name(a: &X509Name<'_>, b: &X509Name<'_>) -> bool {
    a.as_raw() == b.as_raw() || name_key(a) == name_key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-attribute name (CN) with the value written as `tag` and `bytes`.
    fn name(tag: u8, bytes: &[u8]) -> Vec<u8> {
        let cn = [0x06, 0x03, 0x55, 0x04, 0x03];
        let value = [&[tag, bytes.len() as u8][..], bytes].concat();
        let attr = [&[0x30, (cn.len() + value.len()) as u8][..], &cn, &value].concat();
        let set = [&[0x31, attr.len() as u8][..], &attr].concat();
        [&[0x30, set.len() as u8][..], &set].concat()
    }

    fn text_of(der: &[u8]) -> Option<String> {
        let (_, n) = X509Name::from_der(der).unwrap();
        first_text(&n, &x509_parser::oid_registry::OID_X509_COMMON_NAME)
    }

    #[test]
    fn every_directory_string_type_is_decoded() {
        let bmp: Vec<u8> = "Hélène".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let universal: Vec<u8> = "Hélène"
            .chars()
            .flat_map(|c| (c as u32).to_be_bytes())
            .collect();
        assert_eq!(
            text_of(&name(0x0C, "Hélène".as_bytes())).as_deref(),
            Some("Hélène")
        );
        assert_eq!(text_of(&name(0x1E, &bmp)).as_deref(), Some("Hélène"));
        assert_eq!(text_of(&name(0x1C, &universal)).as_deref(), Some("Hélène"));
        assert_eq!(
            text_of(&name(0x14, b"H\xe9l\xe8ne")).as_deref(),
            Some("Hélène")
        );
        assert_eq!(text_of(&name(0x13, b"HELENE")).as_deref(), Some("HELENE"));
        assert_eq!(text_of(&name(0x16, b"helene")).as_deref(), Some("helene"));
        assert_eq!(
            text_of(&name(0x1E, b"\xd8\x00")),
            None,
            "unpaired surrogate"
        );
    }

    #[test]
    fn names_are_compared_by_meaning() {
        let bmp: Vec<u8> = "TEST  AC"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let ders = [
            name(0x13, b"Test AC"),
            name(0x1E, &bmp),
            name(0x0C, b" test ac "),
            name(0x0C, b"TEST AD"),
        ];
        let parse = |der| X509Name::from_der(der).unwrap().1;
        let (a, b, c, d) = (
            parse(&ders[0]),
            parse(&ders[1]),
            parse(&ders[2]),
            parse(&ders[3]),
        );
        assert!(same_name(&a, &b));
        assert!(same_name(&a, &c));
        assert!(!same_name(&a, &d));
        assert_eq!(name_key(&a), "2.5.4.3=test ac");
    }
}

//! The few DER encodings rcgen does not offer.

use rcgen::CustomExtension;

fn encode_length(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    encode_length(content.len(), &mut out);
    out.extend_from_slice(content);
    out
}

/// DER of an OBJECT IDENTIFIER given in dotted form; arcs may exceed 64 bits (2.25 UUID arcs).
pub fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u128> = dotted
        .split('.')
        .map(|a| a.parse().expect("OID arc"))
        .collect();
    let mut content = Vec::new();
    let mut push_arc = |mut v: u128| {
        let mut tmp = vec![(v & 0x7f) as u8];
        v >>= 7;
        while v > 0 {
            tmp.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        tmp.reverse();
        content.extend(tmp);
    };
    push_arc(arcs[0] * 40 + arcs[1]);
    for a in &arcs[2..] {
        push_arc(*a);
    }
    tlv(0x06, &content)
}

/// certificatePolicies with one policy OID and no qualifiers.
pub fn certificate_policies(policy_oid: &str) -> CustomExtension {
    let policy_info = tlv(0x30, &oid(policy_oid));
    let content = tlv(0x30, &policy_info);
    CustomExtension::from_oid_content(&[2, 5, 29, 32], content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oid_encoding_matches_known_values() {
        // 1.2.840.113549 (RSADSI)
        assert_eq!(
            oid("1.2.840.113549"),
            vec![0x06, 0x06, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]
        );
        // 2.5.29.32
        assert_eq!(oid("2.5.29.32"), vec![0x06, 0x03, 0x55, 0x1d, 0x20]);
    }
}

//! TOM's own verdict on a presented card certificate: chain to a trusted CA, validity, CRL,
//! profile. The TLS handshake only proves possession of the key; this says *why* a card is refused.

use shared::card::CardType;
use shared::diagnostic::Verdict;
use shared::ids::PersonId;
use x509_parser::certificate::X509Certificate;
use x509_parser::oid_registry::{
    OID_X509_COMMON_NAME, OID_X509_GIVEN_NAME, OID_X509_ORGANIZATIONAL_UNIT,
    OID_X509_ORGANIZATION_NAME, OID_X509_SURNAME,
};
use x509_parser::prelude::*;

use super::crl::CrlSnapshot;
use super::names::{name_key, same_name};
use crate::pki::{CARD_POLICY_OID, OPERATOR_POLICY_OID};

/// SHA-256 in hex, through ring (already linked for TLS).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

/// Old CPS2ter cards' non-standard RSA key OID.
pub const OLD_GENERATION_KEY_OID: &str = "1.2.250.1.71.2.6.1";

/// The trusted CAs (root and issuing CAs), parsed once.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    cas: Vec<Vec<u8>>,
}

impl TrustStore {
    pub fn new(cas: Vec<Vec<u8>>) -> anyhow::Result<Self> {
        for der in &cas {
            let (_, cert) = parse_x509_certificate(der)
                .map_err(|e| anyhow::anyhow!("certificat d'AC illisible : {e}"))?;
            if !cert.is_ca() {
                anyhow::bail!("{} n'est pas un certificat d'autorité", cert.subject());
            }
        }
        Ok(Self { cas })
    }

    /// Subjects of the issuing CAs, sent as hints so browsers offer the right certificate.
    pub fn subjects(&self) -> Vec<Vec<u8>> {
        self.cas
            .iter()
            .filter_map(|der| {
                parse_x509_certificate(der)
                    .ok()
                    .map(|(_, c)| c.subject().as_raw().to_vec())
            })
            .collect()
    }

    pub fn parsed(&self) -> impl Iterator<Item = X509Certificate<'_>> {
        self.cas
            .iter()
            .filter_map(|der| parse_x509_certificate(der).ok().map(|(_, c)| c))
    }
}

/// What TOM read in a presented certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_before: i64,
    pub not_after: i64,
    /// SHA-256 of the certificate's DER: what sessions are bound to.
    pub fingerprint: String,
    pub common_name: Option<String>,
    pub family_name: Option<String>,
    pub given_name: Option<String>,
    pub organization: Option<String>,
    pub structure_id: Option<String>,
    pub operator_policy: bool,
    pub guessed_card_type: Option<CardType>,
}

/// The verdict with what could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardCheck {
    pub verdict: Verdict,
    pub info: Option<CertificateInfo>,
}

impl CardCheck {
    pub fn absent() -> Self {
        Self {
            verdict: Verdict::NoCertificate,
            info: None,
        }
    }
}

/// The certificate's policy OIDs, as DER content bytes (our arcs exceed 64 bits, which
/// x509-parser's dotted printing does not render).
fn policy_ids(cert: &X509Certificate<'_>) -> Vec<Vec<u8>> {
    cert.iter_extensions()
        .filter_map(|ext| match ext.parsed_extension() {
            ParsedExtension::CertificatePolicies(policies) => Some(policies),
            _ => None,
        })
        .flat_map(|policies| policies.iter().map(|p| p.policy_id.as_bytes().to_vec()))
        .collect()
}

fn is_policy(id: &[u8], dotted: &str) -> bool {
    crate::pki::der::oid(dotted).get(2..) == Some(id)
}

fn read_info(der: &[u8], cert: &X509Certificate<'_>) -> CertificateInfo {
    let subject = cert.subject();
    let common_name = super::names::first_text(subject, &OID_X509_COMMON_NAME);
    let policies = policy_ids(cert);
    CertificateInfo {
        subject: subject.to_string(),
        issuer: cert.issuer().to_string(),
        serial: hex::encode(cert.raw_serial()),
        not_before: cert.validity().not_before.timestamp(),
        not_after: cert.validity().not_after.timestamp(),
        fingerprint: sha256_hex(der),
        guessed_card_type: common_name
            .as_deref()
            .and_then(CardType::guess_from_national_id),
        common_name,
        family_name: super::names::first_text(subject, &OID_X509_SURNAME),
        given_name: super::names::first_text(subject, &OID_X509_GIVEN_NAME),
        organization: super::names::first_text(subject, &OID_X509_ORGANIZATION_NAME),
        structure_id: super::names::first_text(subject, &OID_X509_ORGANIZATIONAL_UNIT),
        operator_policy: policies.iter().any(|p| is_policy(p, OPERATOR_POLICY_OID)),
    }
}

/// The extensions TOM processes (RFC 5280 §4.2.1): marked critical, they are handled; any other
/// critical extension refuses the certificate (§4.2: « MUST reject »).
const HANDLED_EXTENSIONS: &[&str] = &[
    "2.5.29.14",         // subjectKeyIdentifier
    "2.5.29.15",         // keyUsage
    "2.5.29.17",         // subjectAltName
    "2.5.29.19",         // basicConstraints
    "2.5.29.31",         // cRLDistributionPoints
    "2.5.29.32",         // certificatePolicies (TOM reads the card's policy)
    "2.5.29.35",         // authorityKeyIdentifier
    "2.5.29.37",         // extKeyUsage
    "1.3.6.1.5.5.7.1.1", // authorityInfoAccess
];

/// An RSA key of fewer than 2048 bits.
fn is_weak(cert: &X509Certificate<'_>) -> bool {
    matches!(
        cert.public_key().parsed(),
        Ok(x509_parser::public_key::PublicKey::RSA(rsa)) if rsa.key_size() < 2048
    )
}

/// The first critical extension TOM does not process, by OID.
fn unsupported_critical_extension(cert: &X509Certificate<'_>) -> Option<String> {
    cert.extensions()
        .iter()
        .filter(|e| e.critical)
        .map(|e| e.oid.to_id_string())
        .find(|oid| !HANDLED_EXTENSIONS.contains(&oid.as_str()))
}

/// How a certificate's chain ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chain {
    /// Up to a trusted CA that is a self-signed root, every link signed and in its dates.
    Trusted,
    /// The card's issuer is neither a CA TOM trusts nor a certificate the browser sent: the
    /// intermediate CA is missing (on the workstation, or in TOM's trust anchors).
    MissingIntermediate,
    /// Any other break: an issuer whose signature does not match (a CA reusing a trusted name),
    /// a chain ending at a root TOM does not trust, an expired CA, a loop.
    Untrusted,
}

/// Walks from `cert` up to a self-signed trusted root: each issuer is taken from TOM's trusted
/// CAs first (names compared by meaning, signature verified), else from the intermediates the
/// client presented (RFC 5280 §6.1: the path may use any certificate the peer sends, the trust
/// anchor must be TOM's). So a card presented without its intermediate is accepted when TOM
/// knows that intermediate, and a card whose intermediate only the workstation has is accepted
/// when the workstation sends it.
fn chain_of(
    cert: &X509Certificate<'_>,
    presented: &[X509Certificate<'_>],
    trust: &TrustStore,
    now: i64,
) -> Chain {
    let in_dates = |c: &X509Certificate<'_>| {
        c.validity().not_before.timestamp() <= now && now <= c.validity().not_after.timestamp()
    };
    let mut current = cert.clone();
    for depth in 0..6 {
        let signed_by = |ca: &X509Certificate<'_>| {
            same_name(ca.subject(), current.issuer())
                && ca.is_ca()
                && current.verify_signature(Some(ca.public_key())).is_ok()
        };
        if let Some(ca) = trust.parsed().find(|ca| signed_by(ca)) {
            if !in_dates(&ca) {
                return Chain::Untrusted;
            }
            if same_name(ca.subject(), ca.issuer()) {
                return Chain::Trusted;
            }
            current = ca;
            continue;
        }
        if let Some(ca) = presented.iter().find(|ca| signed_by(ca)) {
            // A self-signed root the client sent is not a trust anchor.
            if !in_dates(ca) || same_name(ca.subject(), ca.issuer()) {
                return Chain::Untrusted;
            }
            current = ca.clone();
            continue;
        }
        let named = trust
            .parsed()
            .any(|ca| same_name(ca.subject(), current.issuer()))
            || presented
                .iter()
                .any(|ca| same_name(ca.subject(), current.issuer()));
        return if depth == 0 && !named {
            Chain::MissingIntermediate
        } else {
            Chain::Untrusted
        };
    }
    Chain::Untrusted
}

fn has_card_profile(cert: &X509Certificate<'_>, info: &CertificateInfo) -> bool {
    let client_auth = matches!(cert.extended_key_usage(), Ok(Some(eku)) if eku.value.client_auth);
    let signs = matches!(cert.key_usage(), Ok(Some(ku)) if ku.value.digital_signature());
    // Names by meaning: the issuer may be written in any case.
    let people_ca = info.issuer.to_uppercase().contains("PERSONNES");
    let id_parses = info
        .common_name
        .as_deref()
        .is_some_and(|cn| PersonId::parse(cn).is_ok());
    let policy = policy_ids(cert)
        .iter()
        .any(|id| is_policy(id, CARD_POLICY_OID) || is_policy(id, OPERATOR_POLICY_OID));
    client_auth && signs && people_ca && id_parses && policy
}

/// The verdict on the leaf certificate a client presented.
/// `presented`: the other certificates the client sent with it (intermediates), DER.
pub fn check(
    leaf: Option<&[u8]>,
    presented: &[Vec<u8>],
    trust: &TrustStore,
    crls: &CrlSnapshot,
    now: i64,
) -> CardCheck {
    let Some(der) = leaf else {
        return CardCheck::absent();
    };
    let cert = match parse_x509_certificate(der) {
        Ok((_, cert)) => cert,
        Err(_) => {
            return CardCheck {
                verdict: Verdict::Malformed,
                info: None,
            }
        }
    };
    let info = read_info(der, &cert);
    // The issuer by meaning, as the CRL store keys it.
    let issuer = name_key(cert.issuer());
    let verdict = if cert.public_key().algorithm.algorithm.to_id_string() == OLD_GENERATION_KEY_OID
    {
        Verdict::OldGeneration
    } else if is_weak(&cert) {
        Verdict::WeakKey
    } else if let chain @ (Chain::MissingIntermediate | Chain::Untrusted) = {
        let presented: Vec<X509Certificate<'_>> = presented
            .iter()
            .filter_map(|der| parse_x509_certificate(der).ok().map(|(_, c)| c))
            .collect();
        chain_of(&cert, &presented, trust, now)
    } {
        if chain == Chain::MissingIntermediate {
            Verdict::MissingIntermediate
        } else {
            Verdict::UnknownCa
        }
    } else if unsupported_critical_extension(&cert).is_some() {
        Verdict::UnsupportedCriticalExtension
    } else if now < info.not_before {
        Verdict::NotYetValid
    } else if now > info.not_after {
        Verdict::Expired
    } else if crls.is_revoked(&issuer, cert.raw_serial()) {
        Verdict::Revoked
    } else if crls.is_stale(&issuer, now) {
        Verdict::RevocationUnknown
    } else if !has_card_profile(&cert, &info) {
        Verdict::NotCpx
    } else {
        Verdict::Ok
    };
    CardCheck {
        verdict,
        info: Some(info),
    }
}

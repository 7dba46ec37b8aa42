//! TLS with optional client certificates. rustls proves the client holds the card's key; TOM's
//! verifier then decides on the certificate itself (`verifier`), with CRLs from `crl`. Behind a
//! reverse proxy, the proxy does the handshake and forwards the card (`proxy`).

pub mod acceptor;
pub mod crl;
pub mod names;
pub mod proxy;
pub mod store;
pub mod verifier;

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{ring as provider, WebPkiSupportedAlgorithms};
use rustls::pki_types::SignatureVerificationAlgorithm;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, SubjectPublicKeyInfoDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::CertificateError;
use rustls::{DigitallySignedStruct, DistinguishedName, ServerConfig, SignatureScheme};

/// Asks for a card, accepts any certificate whose key the client proves it holds, and leaves
/// the decision to TOM's verifier so that a refusal can be explained to the user.
#[derive(Debug)]
struct ProofOfPossessionOnly {
    hints: Vec<DistinguishedName>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for ProofOfPossessionOnly {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        false
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &self.hints
    }

    fn verify_client_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        Ok(ClientCertVerified::assertion())
    }

    /// The proof of possession only: the signature is checked with the certificate's public
    /// key, read leniently ([`presented_key`]), so that TOM's verifier judges and explains the
    /// certificate itself (an unknown critical extension, an old version…).
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let spki = presented_key(cert)?;
        let key = webpki::RawPublicKeyEntity::try_from(&spki)
            .map_err(|_| rustls::Error::InvalidCertificate(CertificateError::BadEncoding))?;
        let candidates = self
            .algorithms
            .mapping
            .iter()
            .find(|(scheme, _)| *scheme == dss.scheme)
            .map(|(_, algs)| *algs)
            .ok_or(rustls::Error::PeerMisbehaved(
                rustls::PeerMisbehaved::SignedHandshakeWithUnadvertisedSigScheme,
            ))?;
        // RSA keys under 2048 bits (old cards) too, so that TOM can say `weak_key`.
        let legacy: &[&dyn SignatureVerificationAlgorithm] = match dss.scheme {
            SignatureScheme::RSA_PKCS1_SHA256 => &[&LEGACY_RSA_SHA256],
            SignatureScheme::RSA_PKCS1_SHA512 => &[&LEGACY_RSA_SHA512],
            _ => &[],
        };
        if candidates
            .iter()
            .chain(legacy)
            .any(|alg| key.verify_signature(*alg, message, dss.signature()).is_ok())
            // RSA-PSS by a key under 2048 bits: see `verify_tls13_signature`.
            || rsa_bits(&spki).is_some_and(|bits| bits < 2048)
        {
            Ok(HandshakeSignatureValid::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::BadSignature,
            ))
        }
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let spki = presented_key(cert)?;
        match rustls::crypto::verify_tls13_signature_with_raw_key(
            message,
            &spki,
            dss,
            &self.algorithms,
        ) {
            Ok(valid) => Ok(valid),
            // TLS 1.3 signs with RSA-PSS, which ring verifies from 2048 bits only. A card with a
            // smaller RSA key is refused by TOM's verifier as `weak_key` whatever it proves, so
            // the handshake lets it through for that refusal to be explained: such a card never
            // logs in, and nothing but its own public certificate is shown.
            Err(_) if rsa_bits(&spki).is_some_and(|bits| bits < 2048) => {
                Ok(HandshakeSignatureValid::assertion())
            }
            Err(e) => Err(e),
        }
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// RSA PKCS#1 v1.5 signatures by keys of 1024 to 8192 bits (ring's legacy verification), for the
/// proof of possession of old cards in TLS 1.2 only: TOM's verifier then refuses them as
/// `weak_key`, with an explanation, instead of a bare handshake failure. (TLS 1.3 requires
/// RSA-PSS, which ring verifies from 2048 bits only.)
#[derive(Debug)]
struct LegacyRsa {
    params: &'static ring::signature::RsaParameters,
    signature: rustls::pki_types::AlgorithmIdentifier,
}

static LEGACY_RSA_SHA256: LegacyRsa = LegacyRsa {
    params: &ring::signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
    signature: rustls::pki_types::alg_id::RSA_PKCS1_SHA256,
};
static LEGACY_RSA_SHA512: LegacyRsa = LegacyRsa {
    params: &ring::signature::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
    signature: rustls::pki_types::alg_id::RSA_PKCS1_SHA512,
};

impl SignatureVerificationAlgorithm for LegacyRsa {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), rustls::pki_types::InvalidSignature> {
        ring::signature::UnparsedPublicKey::new(self.params, public_key)
            .verify(message, signature)
            .map_err(|_| rustls::pki_types::InvalidSignature)
    }

    fn public_key_alg_id(&self) -> rustls::pki_types::AlgorithmIdentifier {
        rustls::pki_types::alg_id::RSA_ENCRYPTION
    }

    fn signature_alg_id(&self) -> rustls::pki_types::AlgorithmIdentifier {
        self.signature
    }
}

/// The public key of a presented certificate, read leniently: any X.509 version, any extension
/// (critical or not: TOM's verifier judges them), and the old CPS2ter key OID
/// (`1.2.250.1.71.2.6.1`, RSA key material under a private OID) read as rsaEncryption.
fn presented_key(
    cert: &CertificateDer<'_>,
) -> Result<SubjectPublicKeyInfoDer<'static>, rustls::Error> {
    let bad = || rustls::Error::InvalidCertificate(CertificateError::BadEncoding);
    let (_, parsed) = x509_parser::parse_x509_certificate(cert).map_err(|_| bad())?;
    let spki = parsed.public_key();
    if spki.algorithm.algorithm.to_id_string() == verifier::OLD_GENERATION_KEY_OID {
        // SEQUENCE { SEQUENCE { rsaEncryption, NULL }, BIT STRING key }
        let algorithm = [
            0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05,
            0x00,
        ];
        let key = spki.subject_public_key.data.as_ref();
        let bits = crate::pki::der::tlv(0x03, &[&[0u8][..], key].concat());
        let body = [&algorithm[..], &bits].concat();
        return Ok(SubjectPublicKeyInfoDer::from(crate::pki::der::tlv(
            0x30, &body,
        )));
    }
    Ok(SubjectPublicKeyInfoDer::from(spki.raw.to_vec()))
}

pub fn load_certs(path: &Path) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    let bytes = std::fs::read(path).with_context(|| format!("lecture de {}", path.display()))?;
    let certs = rustls_pemfile::certs(&mut bytes.as_slice())
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("{} : PEM illisible", path.display()))?;
    if certs.is_empty() {
        anyhow::bail!("{} ne contient aucun certificat PEM", path.display());
    }
    Ok(certs)
}

pub fn load_key(path: &Path) -> anyhow::Result<PrivateKeyDer<'static>> {
    let bytes = std::fs::read(path).with_context(|| format!("lecture de {}", path.display()))?;
    rustls_pemfile::private_key(&mut bytes.as_slice())
        .with_context(|| format!("{} : PEM illisible", path.display()))?
        .with_context(|| format!("{} ne contient aucune clé privée", path.display()))
}

/// The server's TLS configuration: TLS 1.3 and 1.2 (card middleware that cannot sign RSA-PSS
/// fails under 1.3), HTTP/2 and HTTP/1.1, client certificates requested but optional.
pub fn server_config(
    cert_chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    hint_subjects: Vec<Vec<u8>>,
) -> anyhow::Result<Arc<ServerConfig>> {
    let provider = Arc::new(provider::default_provider());
    let verifier = ProofOfPossessionOnly {
        hints: hint_subjects
            .into_iter()
            .map(DistinguishedName::from)
            .collect(),
        algorithms: provider.signature_verification_algorithms,
    };
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .context("versions TLS")?
        .with_client_cert_verifier(Arc::new(verifier))
        .with_single_cert(cert_chain, key)
        .context("certificat ou clé du serveur refusés")?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The size in bits of an RSA key given as a SubjectPublicKeyInfo, `None` for any other key.
fn rsa_bits(spki: &SubjectPublicKeyInfoDer<'_>) -> Option<usize> {
    use x509_parser::prelude::FromDer;
    let (_, info) = x509_parser::x509::SubjectPublicKeyInfo::from_der(spki.as_ref()).ok()?;
    match info.parsed().ok()? {
        x509_parser::public_key::PublicKey::RSA(rsa) => Some(rsa.key_size()),
        _ => None,
    }
}

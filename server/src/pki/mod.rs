//! The test PKI, shaped like IGC-Santé (domain.md §3), and the certificate profiles TOM issues.
//! `tom pki init DIR` writes it; `tom serve --demo` generates it on an empty data directory.

pub mod der;
mod profile;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use p12_keystore::{Certificate as P12Certificate, KeyStore, KeyStoreEntry, PrivateKeyChain};
use rand::RngCore;
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CertifiedIssuer,
    CrlDistributionPoint, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, KeyIdMethod,
    KeyPair, KeyUsagePurpose, RevocationReason, RevokedCertParams, SerialNumber,
};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

pub use profile::{
    demo_structures, DemoStructure, CARD_POLICY_OID, OPERATOR_POLICY_OID, SERVICE_FINESS,
};

/// One generated test card, as listed in `cards/manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CardEntry {
    pub name: String,
    pub national_id: String,
    pub card_type: String,
    pub family_name: String,
    pub given_name: String,
    pub structure_id: String,
    /// Lower-case hex of the certificate's serial number.
    pub serial: String,
    /// The issuer's DN as TOM prints it (x509-parser's formatting).
    pub issuer: String,
    /// Whether TOM's records should know it as a card it issued.
    pub issued_by_tom: bool,
    /// Validity (Unix seconds), for the fleet.
    #[serde(default)]
    pub not_before: Option<i64>,
    #[serde(default)]
    pub not_after: Option<i64>,
    /// Listed in the PERSONNES CA's first CRL (`carte-revoquee`).
    #[serde(default)]
    pub revoked: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub passphrase: String,
    pub cards: Vec<CardEntry>,
}

/// Where the files of a generated PKI lie.
#[derive(Debug, Clone)]
pub struct PkiLayout {
    pub dir: PathBuf,
}

impl PkiLayout {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }
    pub fn root_cert(&self) -> PathBuf {
        self.dir.join("ca/racine.pem")
    }
    pub fn personnes_cert(&self) -> PathBuf {
        self.dir.join("ca/personnes.pem")
    }
    pub fn personnes_key(&self) -> PathBuf {
        self.dir.join("ca/personnes.key")
    }
    pub fn organisations_cert(&self) -> PathBuf {
        self.dir.join("ca/organisations.pem")
    }
    pub fn server_cert(&self) -> PathBuf {
        self.dir.join("server/server.pem")
    }
    pub fn server_key(&self) -> PathBuf {
        self.dir.join("server/server.key")
    }
    pub fn crl(&self) -> PathBuf {
        self.dir.join("crl/personnes.crl")
    }
    pub fn cards_dir(&self) -> PathBuf {
        self.dir.join("cards")
    }
    pub fn manifest(&self) -> PathBuf {
        self.dir.join("cards/manifest.json")
    }
    pub fn exists(&self) -> bool {
        self.manifest().exists()
    }
    pub fn read_manifest(&self) -> anyhow::Result<Manifest> {
        let text = fs::read_to_string(self.manifest())
            .with_context(|| format!("lecture de {}", self.manifest().display()))?;
        serde_json::from_str(&text).context("manifeste des cartes de test illisible")
    }
}

fn ca_name(cn: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "FR");
    dn.push(DnType::OrganizationName, "ASIP-SANTE");
    dn.push(DnType::OrganizationalUnitName, "0002 187512751");
    // rcgen keeps one value per attribute type; the second OU goes in under its raw OID.
    dn.push(DnType::CustomDnType(vec![2, 5, 4, 11]), "IGC-SANTE TEST");
    dn.push(DnType::CommonName, cn);
    dn
}

fn ca_params(cn: &str, now: OffsetDateTime, years: i64, path_len: Option<u8>) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = ca_name(cn);
    p.is_ca = IsCa::Ca(match path_len {
        Some(n) => BasicConstraints::Constrained(n),
        None => BasicConstraints::Unconstrained,
    });
    p.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    p.not_before = now - Duration::days(1);
    p.not_after = now + Duration::days(365 * years);
    p.serial_number = Some(random_serial());
    p.use_authority_key_identifier_extension = true;
    p.key_identifier_method = KeyIdMethod::Sha256;
    p
}

const PERSONNES_CN: &str = "TEST AC IGC-SANTE STANDARD PERSONNES";

/// The PERSONNES CA's certificate parameters (its name, as the test PKI writes it).
pub fn personnes_params(now: OffsetDateTime) -> CertificateParams {
    ca_params(PERSONNES_CN, now, 10, Some(0))
}

/// The PERSONNES CA as an rcgen issuer. Rebuilt from our own parameters rather than parsed from
/// its certificate: rcgen's parser keeps one OU, and the CA's name has two.
pub fn personnes_issuer(key: KeyPair) -> rcgen::Issuer<'static, KeyPair> {
    rcgen::Issuer::new(
        ca_params(PERSONNES_CN, OffsetDateTime::now_utc(), 10, Some(0)),
        key,
    )
}

pub fn random_serial() -> SerialNumber {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes[0] &= 0x7f; // positive
    bytes[0] |= 0x10; // no leading zero byte, so the hex form is stable
    SerialNumber::from_slice(&bytes)
}

/// What a card certificate says about its holder.
pub struct CardSubject<'a> {
    pub national_id: &'a str,
    pub family_name: &'a str,
    pub given_name: &'a str,
    pub structure_id: &'a str,
    pub structure_name: &'a str,
    pub title: &'a str,
}

/// The card authentication certificate profile (domain.md §3): digitalSignature, clientAuth,
/// TOM's policy OID, three years, CRL distribution point at TOM's own CRL.
pub fn card_params(
    subject: &CardSubject<'_>,
    policy_oid: &str,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    crl_url: &str,
) -> CertificateParams {
    let mut p = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "FR");
    dn.push(DnType::OrganizationName, subject.structure_name);
    dn.push(DnType::OrganizationalUnitName, subject.structure_id);
    dn.push(DnType::CustomDnType(vec![2, 5, 4, 12]), subject.title);
    dn.push(DnType::CommonName, subject.national_id);
    dn.push(DnType::CustomDnType(vec![2, 5, 4, 4]), subject.family_name);
    dn.push(DnType::CustomDnType(vec![2, 5, 4, 42]), subject.given_name);
    p.distinguished_name = dn;
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    p.custom_extensions = vec![der::certificate_policies(policy_oid)];
    p.crl_distribution_points = vec![CrlDistributionPoint {
        uris: vec![crl_url.to_string()],
    }];
    p.not_before = not_before;
    p.not_after = not_after;
    p.serial_number = Some(random_serial());
    p.use_authority_key_identifier_extension = true;
    p
}

/// The issuing CA for people's cards, loaded from a generated PKI.
pub struct PersonnesCa {
    issuer: rcgen::Issuer<'static, KeyPair>,
    cert_der: Vec<u8>,
    chain_pem: String,
}

impl PersonnesCa {
    pub fn load(layout: &PkiLayout) -> anyhow::Result<Self> {
        Self::from_files(&layout.personnes_cert(), &layout.personnes_key())
    }

    /// The CA from its certificate and key (PEM files).
    pub fn from_files(cert: &std::path::Path, key: &std::path::Path) -> anyhow::Result<Self> {
        let cert_pem = fs::read_to_string(cert)
            .with_context(|| format!("certificat de l'AC d'émission {}", cert.display()))?;
        let key_pem = fs::read_to_string(key)
            .with_context(|| format!("clé de l'AC d'émission {}", key.display()))?;
        let key = KeyPair::from_pem(&key_pem).context("clé de l'AC PERSONNES illisible")?;
        let der = pem_to_der(&cert_pem)?;
        Ok(Self {
            issuer: personnes_issuer(key),
            cert_der: der,
            chain_pem: cert_pem,
        })
    }

    /// Signs a CRL with the CA's key.
    pub fn sign_crl(
        &self,
        params: rcgen::CertificateRevocationListParams,
    ) -> anyhow::Result<rcgen::CertificateRevocationList> {
        Ok(params.signed_by(&self.issuer)?)
    }

    /// Issues a card certificate and returns (certificate PEM, certificate DER, key PKCS#8 DER).
    pub fn issue(&self, params: &CertificateParams) -> anyhow::Result<IssuedCard> {
        let key = KeyPair::generate()?;
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok(IssuedCard {
            cert_pem: cert.pem(),
            cert_der: cert.der().to_vec(),
            key_der: key.serialize_der(),
            key_pem: key.serialize_pem(),
            chain_der: vec![self.cert_der.clone()],
            chain_pem: self.chain_pem.clone(),
        })
    }
}

pub struct IssuedCard {
    pub cert_pem: String,
    pub cert_der: Vec<u8>,
    pub key_der: Vec<u8>,
    pub key_pem: String,
    pub chain_der: Vec<Vec<u8>>,
    pub chain_pem: String,
}

impl IssuedCard {
    /// The card as a PKCS#12 file (certificate, issuing CA, key), protected by `passphrase`.
    pub fn to_pkcs12(&self, alias: &str, passphrase: &str) -> anyhow::Result<Vec<u8>> {
        let mut chain =
            vec![P12Certificate::from_der(&self.cert_der).map_err(|e| anyhow::anyhow!("{e:?}"))?];
        for der in &self.chain_der {
            chain.push(P12Certificate::from_der(der).map_err(|e| anyhow::anyhow!("{e:?}"))?);
        }
        let mut local_key_id = [0u8; 20];
        rand::thread_rng().fill_bytes(&mut local_key_id);
        let mut store = KeyStore::new();
        store.add_entry(
            alias,
            KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(
                self.key_der.clone(),
                local_key_id,
                chain,
            )),
        );
        store
            .writer(passphrase)
            .write()
            .map_err(|e| anyhow::anyhow!("PKCS#12 : {e:?}"))
    }
}

pub fn pem_to_der(pem: &str) -> anyhow::Result<Vec<u8>> {
    let mut reader = pem.as_bytes();
    let cert = rustls_pemfile::certs(&mut reader)
        .next()
        .context("aucun certificat dans le fichier PEM")??;
    Ok(cert.to_vec())
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("création de {}", parent.display()))?;
    }
    fs::write(path, bytes).with_context(|| format!("écriture de {}", path.display()))
}

fn write_secret(path: &Path, bytes: impl AsRef<[u8]>) -> anyhow::Result<()> {
    write(path, bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

fn random_passphrase() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// The issuer DN of a DER certificate as TOM prints it.
pub fn issuer_of(der: &[u8]) -> anyhow::Result<(String, String)> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).context("certificat illisible")?;
    Ok((cert.issuer().to_string(), hex::encode(cert.raw_serial())))
}

/// Generates the whole test PKI into `dir` (part 3 of the skeleton issue). `public_url` is where
/// TOM answers (for the CRL distribution point).
pub fn init(dir: &Path, public_url: &str, now: OffsetDateTime) -> anyhow::Result<Manifest> {
    let layout = PkiLayout::new(dir);
    if layout.exists() {
        anyhow::bail!(
            "{} contient déjà une PKI de test : choisissez un dossier vide ou supprimez-la d'abord",
            dir.display()
        );
    }
    let crl_url = format!("{}/crl/personnes.crl", public_url.trim_end_matches('/'));

    let root = CertifiedIssuer::self_signed(
        ca_params("TEST AC RACINE IGC-SANTE STANDARD", now, 20, None),
        KeyPair::generate()?,
    )?;
    let personnes_key = KeyPair::generate()?;
    let personnes_key_pem = personnes_key.serialize_pem();
    let personnes = CertifiedIssuer::signed_by(
        ca_params(PERSONNES_CN, now, 10, Some(0)),
        personnes_key,
        &root,
    )?;
    let organisations = CertifiedIssuer::signed_by(
        ca_params("TEST AC IGC-SANTE STANDARD ORGANISATIONS", now, 10, Some(0)),
        KeyPair::generate()?,
        &root,
    )?;
    write(&layout.root_cert(), root.pem())?;
    write(&layout.personnes_cert(), personnes.pem())?;
    write_secret(&layout.personnes_key(), &personnes_key_pem)?;
    write(&layout.organisations_cert(), organisations.pem())?;

    // The server's certificate comes from the ORGANISATIONS CA, as a real service's would.
    let mut server =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "FR");
    dn.push(DnType::OrganizationName, "TOM (TEST)");
    dn.push(DnType::CommonName, "localhost");
    server.distinguished_name = dn;
    server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    server.not_before = now - Duration::days(1);
    server.not_after = now + Duration::days(825);
    server.serial_number = Some(random_serial());
    server.use_authority_key_identifier_extension = true;
    let server_key = KeyPair::generate()?;
    let server_cert = server.signed_by(&server_key, &organisations)?;
    write(
        &layout.server_cert(),
        format!("{}{}", server_cert.pem(), organisations.pem()),
    )?;
    write_secret(&layout.server_key(), server_key.serialize_pem())?;

    // A look-alike hierarchy: same names as the real one, other keys.
    let fake_root = CertifiedIssuer::self_signed(
        ca_params("TEST AC RACINE IGC-SANTE STANDARD", now, 20, None),
        KeyPair::generate()?,
    )?;
    let fake_personnes = CertifiedIssuer::signed_by(
        ca_params("TEST AC IGC-SANTE STANDARD PERSONNES", now, 10, Some(0)),
        KeyPair::generate()?,
        &fake_root,
    )?;

    let passphrase = random_passphrase();
    let mut cards = Vec::new();
    let three_years = Duration::days(3 * 365);
    for spec in profile::test_cards() {
        let subject = CardSubject {
            national_id: &spec.national_id,
            family_name: spec.family_name,
            given_name: spec.given_name,
            structure_id: &spec.structure_id,
            structure_name: &spec.structure_name,
            title: spec.title,
        };
        let (not_before, not_after) = if spec.expired {
            (now - Duration::days(4 * 365), now - Duration::days(365))
        } else {
            (
                now - Duration::days(1),
                now - Duration::days(1) + three_years,
            )
        };
        let policy = if spec.card_type == "OPERATEUR" {
            OPERATOR_POLICY_OID
        } else {
            CARD_POLICY_OID
        };
        let mut params = card_params(&subject, policy, not_before, not_after, &crl_url);
        if spec.not_cpx {
            // A messaging certificate: trusted chain, not a card authentication certificate.
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::EmailProtection];
            params.custom_extensions.clear();
        }
        if spec.critical_extension {
            // An extension of a private arc, marked critical: no verifier may ignore it.
            let mut ext = rcgen::CustomExtension::from_oid_content(
                &[1, 2, 250, 1, 213, 999, 1],
                vec![0x05, 0x00],
            );
            ext.set_criticality(true);
            params.custom_extensions.push(ext);
        }
        let key = KeyPair::generate()?;
        let issuer = if spec.unknown_ca {
            &fake_personnes
        } else {
            &personnes
        };
        let cert = params.signed_by(&key, issuer)?;
        let chain_der = vec![if spec.unknown_ca {
            fake_personnes.der().to_vec()
        } else {
            personnes.der().to_vec()
        }];
        let issued = IssuedCard {
            cert_pem: cert.pem(),
            cert_der: cert.der().to_vec(),
            key_der: key.serialize_der(),
            key_pem: key.serialize_pem(),
            chain_der,
            chain_pem: if spec.unknown_ca {
                fake_personnes.pem()
            } else {
                personnes.pem()
            },
        };
        let base = layout.cards_dir().join(spec.name);
        write(&base.with_extension("pem"), &issued.cert_pem)?;
        write_secret(&base.with_extension("key"), &issued.key_pem)?;
        write_secret(
            &base.with_extension("p12"),
            issued.to_pkcs12(spec.name, &passphrase)?,
        )?;
        let (issuer_dn, serial) = issuer_of(&issued.cert_der)?;
        cards.push(CardEntry {
            name: spec.name.to_string(),
            national_id: spec.national_id.clone(),
            card_type: spec.card_type.to_string(),
            family_name: spec.family_name.to_string(),
            given_name: spec.given_name.to_string(),
            structure_id: spec.structure_id.clone(),
            serial,
            issuer: issuer_dn,
            issued_by_tom: !spec.unknown_ca && !spec.not_cpx && !spec.critical_extension,
            not_before: Some(not_before.unix_timestamp()),
            not_after: Some(not_after.unix_timestamp()),
            revoked: spec.name == "carte-revoquee",
        });
    }

    let revoked: Vec<_> = cards
        .iter()
        .filter(|c| c.name == "carte-revoquee")
        .collect();
    let crl = crl_params(
        now,
        1,
        revoked
            .iter()
            .map(|c| hex::decode(&c.serial).expect("hex serial"))
            .collect(),
    )
    .signed_by(&personnes)?;
    write(&layout.crl(), crl.der())?;

    let manifest = Manifest {
        passphrase: passphrase.clone(),
        cards,
    };
    write(&layout.manifest(), serde_json::to_string_pretty(&manifest)?)?;
    write(
        &layout.cards_dir().join("README.txt"),
        readme_text(&manifest),
    )?;
    Ok(manifest)
}

/// A CRL of the PERSONNES CA listing `serials`.
pub fn crl_params(
    now: OffsetDateTime,
    number: u64,
    serials: Vec<Vec<u8>>,
) -> CertificateRevocationListParams {
    CertificateRevocationListParams {
        this_update: now - Duration::minutes(5),
        next_update: now + Duration::days(7),
        crl_number: SerialNumber::from(number),
        issuing_distribution_point: None,
        revoked_certs: serials
            .into_iter()
            .map(|s| RevokedCertParams {
                serial_number: SerialNumber::from_slice(&s),
                revocation_time: now - Duration::minutes(5),
                reason_code: Some(RevocationReason::KeyCompromise),
                invalidity_date: None,
            })
            .collect(),
        key_identifier_method: KeyIdMethod::Sha256,
    }
}

/// A CRL of the PERSONNES CA revoking `serials`, signed with its key.
pub fn personnes_crl(
    layout: &PkiLayout,
    now: OffsetDateTime,
    number: u64,
    serials: Vec<Vec<u8>>,
) -> anyhow::Result<rcgen::CertificateRevocationList> {
    let key = KeyPair::from_pem(&fs::read_to_string(layout.personnes_key())?)?;
    Ok(crl_params(now, number, serials).signed_by(&personnes_issuer(key))?)
}

/// Writes a new CRL of the PERSONNES CA revoking `serials` (used by tests and, later, by opposition).
pub fn write_crl(
    layout: &PkiLayout,
    now: OffsetDateTime,
    number: u64,
    serials: Vec<Vec<u8>>,
) -> anyhow::Result<()> {
    let crl = personnes_crl(layout, now, number, serials)?;
    // Write then rename, so a reader never sees half a CRL.
    let tmp = layout.crl().with_extension("crl.tmp");
    write(&tmp, crl.der())?;
    fs::rename(&tmp, layout.crl())?;
    Ok(())
}

fn readme_text(manifest: &Manifest) -> String {
    let mut text = String::from(
        "Cartes de test TOM\n==================\n\n\
         Chaque carte existe en trois fichiers : NOM.p12 (certificat + clé, à importer dans le navigateur),\n\
         NOM.pem (certificat) et NOM.key (clé privée).\n\n",
    );
    text.push_str(&format!(
        "Mot de passe des fichiers .p12 : {}\n\n",
        manifest.passphrase
    ));
    for card in &manifest.cards {
        text.push_str(&format!(
            "- {:<22} {:<10} {} {} ({})\n",
            card.name, card.card_type, card.given_name, card.family_name, card.national_id
        ));
    }
    text.push_str(
        "\nImport dans Chromium : Paramètres > Confidentialité et sécurité > Sécurité > Gérer les certificats >\n\
         Vos certificats > Importer. Dans Firefox : Paramètres > Vie privée et sécurité > Certificats >\n\
         Afficher les certificats > Vos certificats > Importer.\n",
    );
    text
}

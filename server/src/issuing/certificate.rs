//! Fabrication: the holder's card authentication certificate from the service's PERSONNES CA
//! (profile of domain.md §3, three years), the card as PKCS#12 protected by its PIN, and the PIN
//! letter.

use shared::nomenclature::{FONCTION, PROFESSION};
use shared::order::model::{CardRequest, CardType, PostalAddress, Role};
use time::{Duration, OffsetDateTime};

use super::pin_letter::{self, PinLetter};
use crate::config::Config;
use crate::pki::{self, CardSubject, PersonnesCa, CARD_POLICY_OID};
use crate::structures::store::StructureRow;

/// Card validity *(project choice: three years for every card type)*.
pub const CARD_VALIDITY_DAYS: i64 = 3 * 365;

/// What fabrication produced.
pub struct Fabrication {
    pub national_id: String,
    pub family_name: String,
    pub given_name: String,
    pub card_type: &'static str,
    pub issuer: String,
    pub serial: String,
    pub not_after: i64,
    pub pkcs12: Vec<u8>,
    pub pin_letter: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum IssuingError {
    /// The CA's certificate or key cannot be read.
    #[error("AC d'émission indisponible : {0:#}")]
    CaUnavailable(anyhow::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// The holder's identifiant national: `8` + RPPS for a CPS with an RPPS number, otherwise the
/// structure's registry form (`3` + FINESS or `5` + SIRET, `/`, matricule).
pub fn holder_national_id(structure: &StructureRow, request: &CardRequest) -> String {
    if let (CardType::Cps, Some(rpps)) = (request.card_type, &request.activity.rpps) {
        return format!("8{rpps}");
    }
    let matricule = &request.holder.matricule;
    match (&structure.finess, &structure.siret) {
        (Some(finess), _) => format!("3{finess}/{matricule}"),
        (None, Some(siret)) => format!("5{siret}/{matricule}"),
        (None, None) => format!("3{}/{matricule}", &structure.id[1..]),
    }
}

fn title(request: &CardRequest) -> String {
    let label = match &request.activity.role {
        Role::Profession(code) => PROFESSION.label(code),
        Role::Function(code) => FONCTION.label(code),
    };
    label
        .unwrap_or("Carte de service santé ou social")
        .to_string()
}

/// The address as the lines of an envelope window.
pub fn address_lines(a: &PostalAddress) -> Vec<String> {
    let mut lines = vec![a.recipient.clone()];
    lines.extend(a.complement.clone());
    let street = [a.street_number.as_deref(), a.street.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if !street.is_empty() {
        lines.push(street);
    }
    lines.extend(a.locality.clone());
    lines.push(format!("{} {}", a.postal_code, a.city));
    if a.country != "FR" {
        lines.push(a.country.clone());
    }
    lines
}

/// The card's codes: the PIN (4 digits) and the unblocking code (8 digits).
pub struct PinCodes {
    pub pin: String,
    pub puk: String,
}

impl PinCodes {
    /// Digits from random bytes (each byte below 250 gives one digit, without bias).
    pub fn from_random(mut fill: impl FnMut(&mut [u8])) -> Self {
        let mut digits = String::new();
        while digits.len() < 12 {
            let mut buf = [0u8; 16];
            fill(&mut buf);
            digits.extend(
                buf.iter()
                    .filter(|b| **b < 250)
                    .map(|b| char::from(b'0' + b % 10)),
            );
        }
        Self {
            pin: digits[..4].to_string(),
            puk: digits[4..12].to_string(),
        }
    }
}

/// Issues the card for `request` in `structure` at `now`.
pub fn fabricate(
    config: &Config,
    structure: &StructureRow,
    request: &CardRequest,
    now: i64,
    codes: &PinCodes,
) -> Result<Fabrication, IssuingError> {
    let ca = PersonnesCa::from_files(&config.issuing_ca_cert, &config.issuing_ca_key)
        .map_err(IssuingError::CaUnavailable)?;
    let national_id = holder_national_id(structure, request);
    let holder = &request.holder;
    let family_name = holder
        .usual_name
        .clone()
        .unwrap_or_else(|| holder.birth_name.clone());
    let given_name = holder.first_names.clone();
    let title = title(request);
    let not_before = OffsetDateTime::from_unix_timestamp(now).map_err(anyhow::Error::from)?;
    let not_after = not_before + Duration::days(CARD_VALIDITY_DAYS);
    let params = pki::card_params(
        &CardSubject {
            national_id: &national_id,
            family_name: &family_name,
            given_name: &given_name,
            structure_id: &structure.id,
            structure_name: &structure.name,
            title: &title,
        },
        CARD_POLICY_OID,
        not_before,
        not_after,
        &format!("{}/crl/personnes.crl", config.public_url),
    );
    let issued = ca.issue(&params)?;
    let (issuer, serial) = pki::issuer_of(&issued.cert_der)?;
    let (pin, puk) = (&codes.pin, &codes.puk);
    let pkcs12 = issued.to_pkcs12(&national_id, pin)?;
    let date = not_before.date();
    let letter = pin_letter::render(&PinLetter {
        address: &address_lines(&request.pin_address),
        holder: &format!("{given_name} {family_name}"),
        card_label: request.card_type.code(),
        national_id: &national_id,
        serial: &serial,
        pin,
        puk,
        date: &format!(
            "{:02}/{:02}/{}",
            date.day(),
            u8::from(date.month()),
            date.year()
        ),
    });
    Ok(Fabrication {
        national_id,
        family_name,
        given_name,
        card_type: request.card_type.code(),
        issuer,
        serial,
        not_after: not_after.unix_timestamp(),
        pkcs12,
        pin_letter: letter,
    })
}

//! National identifiers (FINESS, SIREN, SIRET, RPPS): parsing and check keys (domain.md §4).
//! Parsing returns a typed value or says which part is wrong.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why an identifier was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdError {
    /// Wrong number of characters.
    Length { expected: usize, found: usize },
    /// A character that is not allowed at this position (0-based, in characters).
    Character { position: usize },
    /// FINESS département not in 01–95, 2A, 2B, 97x.
    Department,
    /// The check key is wrong.
    Key,
    /// SIRET whose first nine digits are not a valid SIREN.
    SirenKey,
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdError::Length { expected, found } => {
                write!(f, "{found} caractères au lieu de {expected}")
            }
            IdError::Character { position } => {
                write!(f, "caractère non autorisé en position {}", position + 1)
            }
            IdError::Department => f.write_str("département inconnu"),
            IdError::Key => f.write_str("clé de contrôle incorrecte"),
            IdError::SirenKey => {
                f.write_str("les 9 premiers chiffres ne forment pas un SIREN valide")
            }
        }
    }
}

/// Luhn check over ASCII digits: from the right, double every second digit, subtract 9 from
/// results above 9, and the sum must be a multiple of 10. Non-digits make it fail.
pub fn luhn_valid(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &c) in digits.iter().rev().enumerate() {
        if !c.is_ascii_digit() {
            return false;
        }
        let mut v = u32::from(c - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

fn check_digits(s: &str, expected: usize) -> Result<(), IdError> {
    let b = s.as_bytes();
    if let Some(position) = b.iter().position(|c| !c.is_ascii_digit()) {
        // Report the character position even for multi-byte input.
        return Err(IdError::Character {
            position: s[..position].chars().count(),
        });
    }
    if b.len() != expected {
        return Err(IdError::Length {
            expected,
            found: b.len(),
        });
    }
    Ok(())
}

/// A FINESS number (établissement or entité juridique).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Finess(String);

impl Finess {
    /// Parses a 9-character FINESS and checks its Luhn key. Corsican numbers (`2A`, `2B`) are
    /// checked with `2A`→`21`, `2B`→`22`, a rule public sources do not confirm: see
    /// [`Finess::is_corsican`] to warn about them.
    pub fn parse(s: &str) -> Result<Finess, IdError> {
        let b = s.as_bytes();
        let count = s.chars().count();
        if count != 9 || b.len() != 9 {
            return Err(IdError::Length {
                expected: 9,
                found: count,
            });
        }
        let mut digits = [0u8; 9];
        digits.copy_from_slice(b);
        match (b[0], b[1]) {
            (b'2', b'A') => digits[1] = b'1',
            (b'2', b'B') => digits[1] = b'2',
            _ => {}
        }
        if let Some(position) = digits.iter().position(|c| !c.is_ascii_digit()) {
            return Err(IdError::Character { position });
        }
        let dept = (digits[0] - b'0') * 10 + (digits[1] - b'0');
        // 2A/2B were mapped to 21/22 above; the plain numbers 01–95 and 97 remain.
        if !(1..=95).contains(&dept) && dept != 97 {
            return Err(IdError::Department);
        }
        if !luhn_valid(&digits) {
            return Err(IdError::Key);
        }
        Ok(Finess(s.to_owned()))
    }

    /// Corsican FINESS, whose key rule is unconfirmed (accept with a warning).
    pub fn is_corsican(&self) -> bool {
        self.0.starts_with("2A") || self.0.starts_with("2B")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A SIREN number (9 digits, Luhn).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Siren(String);

impl Siren {
    pub fn parse(s: &str) -> Result<Siren, IdError> {
        check_digits(s, 9)?;
        if !luhn_valid(s.as_bytes()) {
            return Err(IdError::Key);
        }
        Ok(Siren(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// La Poste's SIREN, whose establishments follow another key rule.
const LA_POSTE_SIREN: &str = "356000000";
/// La Poste's head office, which follows the ordinary Luhn rule.
const LA_POSTE_HEAD_OFFICE: &str = "35600000000048";

/// A SIRET number (SIREN + 5 digits).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Siret(String);

impl Siret {
    /// Parses a SIRET: Luhn over the 14 digits and a valid SIREN; for La Poste (`356000000…`,
    /// other than its head office) the sum of the 14 digits must be a multiple of 5 instead.
    pub fn parse(s: &str) -> Result<Siret, IdError> {
        check_digits(s, 14)?;
        let b = s.as_bytes();
        if s.starts_with(LA_POSTE_SIREN) && s != LA_POSTE_HEAD_OFFICE {
            let sum: u32 = b.iter().map(|c| u32::from(c - b'0')).sum();
            return if sum.is_multiple_of(5) {
                Ok(Siret(s.to_owned()))
            } else {
                Err(IdError::Key)
            };
        }
        if !luhn_valid(&b[..9]) {
            return Err(IdError::SirenKey);
        }
        if !luhn_valid(b) {
            return Err(IdError::Key);
        }
        Ok(Siret(s.to_owned()))
    }

    pub fn siren(&self) -> &str {
        &self.0[..9]
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An RPPS number (11 digits, Luhn; real ones start with `10`, test cards with `997`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rpps(String);

impl Rpps {
    pub fn parse(s: &str) -> Result<Rpps, IdError> {
        check_digits(s, 11)?;
        if !luhn_valid(s.as_bytes()) {
            return Err(IdError::Key);
        }
        Ok(Rpps(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Appends the Luhn key digit that makes `body` + key valid (used by the test generator).
pub fn with_luhn_key(body: &str) -> String {
    for k in b'0'..=b'9' {
        let mut s = body.as_bytes().to_vec();
        s.push(k);
        if luhn_valid(&s) {
            let mut out = body.to_owned();
            out.push(char::from(k));
            return out;
        }
    }
    // Unreachable for a digit body: exactly one key digit fits.
    body.to_owned()
}

/// The register a person's identifiant national comes from (TRE_G08 prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonIdKind {
    Adeli,
    AdeliRegistry,
    FinessRegistry,
    SirenRegistry,
    SiretRegistry,
    RppsRegistry,
    Rpps,
}

/// A person's identifiant national as written in a card certificate's CN, e.g. `3620100842/01417`
/// (an employee in a FINESS structure's registry) or `899700075122` (prefix 8 + RPPS).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersonId {
    pub value: String,
    pub kind: PersonIdKind,
}

impl PersonId {
    /// Parses the registry form `<prefix><structure number>/<internal number>` or the direct forms
    /// (`8` + RPPS, `0` + ADELI). The structure number's key is checked.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let first = *s.as_bytes().first().ok_or(IdError::Length {
            expected: 2,
            found: 0,
        })?;
        let kind = match first {
            b'0' => PersonIdKind::Adeli,
            b'1' => PersonIdKind::AdeliRegistry,
            b'3' => PersonIdKind::FinessRegistry,
            b'4' => PersonIdKind::SirenRegistry,
            b'5' => PersonIdKind::SiretRegistry,
            b'6' => PersonIdKind::RppsRegistry,
            b'8' => PersonIdKind::Rpps,
            _ => return Err(IdError::Character { position: 0 }),
        };
        let rest = &s[1..];
        match kind {
            PersonIdKind::Rpps => {
                Rpps::parse(rest)?;
            }
            PersonIdKind::Adeli => check_digits(rest, 9)?,
            _ => {
                let (structure, internal) = rest
                    .split_once('/')
                    .ok_or(IdError::Character { position: s.len() })?;
                let internal_ok = !internal.is_empty()
                    && internal.len() <= 30
                    && internal.bytes().all(|b| b.is_ascii_alphanumeric());
                if !internal_ok {
                    return Err(IdError::Character {
                        position: structure.len() + 2,
                    });
                }
                match kind {
                    PersonIdKind::FinessRegistry => {
                        Finess::parse(structure)?;
                    }
                    PersonIdKind::SiretRegistry => {
                        Siret::parse(structure)?;
                    }
                    PersonIdKind::SirenRegistry => {
                        Siren::parse(structure)?;
                    }
                    _ => {
                        if structure.is_empty() || !structure.bytes().all(|b| b.is_ascii_digit()) {
                            return Err(IdError::Character { position: 1 });
                        }
                    }
                }
            }
        }
        Ok(Self {
            value: s.to_string(),
            kind,
        })
    }

    /// The structure's identifiant national (TRE_G07) for registry forms: `3620100842/01417`
    /// belongs to `1620100842`.
    pub fn structure_id(&self) -> Option<String> {
        let (structure, _) = self.value[1..].split_once('/')?;
        let prefix = match self.kind {
            PersonIdKind::FinessRegistry => '1',
            PersonIdKind::SirenRegistry => '2',
            PersonIdKind::SiretRegistry => '3',
            PersonIdKind::RppsRegistry => '4',
            PersonIdKind::AdeliRegistry => '0',
            _ => return None,
        };
        Some(format!("{prefix}{structure}"))
    }
}

#[cfg(test)]
mod person_id_tests {
    use super::*;

    #[test]
    fn employee_identifier_names_its_structure() {
        let id = PersonId::parse("3620100842/01417").unwrap();
        assert_eq!(id.kind, PersonIdKind::FinessRegistry);
        assert_eq!(id.structure_id().as_deref(), Some("1620100842"));
    }

    #[test]
    fn identifiers_that_do_not_parse_are_refused() {
        assert!(PersonId::parse("Jean Test").is_err());
        assert_eq!(PersonId::parse("3620100843/01417"), Err(IdError::Key));
        assert!(PersonId::parse("3620100842/").is_err());
        assert!(PersonId::parse("").is_err());
    }

    #[test]
    fn rpps_identifier_checks_its_key() {
        assert_eq!(
            PersonId::parse("899700075122").unwrap().kind,
            PersonIdKind::Rpps
        );
        assert_eq!(PersonId::parse("810003456789"), Err(IdError::Key));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_finess_numbers_have_valid_keys() {
        for n in ["620100842", "760021832", "010000024", "750712184"] {
            assert!(Finess::parse(n).is_ok(), "{n}");
        }
    }

    #[test]
    fn finess_with_a_wrong_key_is_refused() {
        assert_eq!(Finess::parse("620100843"), Err(IdError::Key));
        assert_eq!(Finess::parse("760021831"), Err(IdError::Key));
    }

    #[test]
    fn finess_shape_errors_are_told_apart() {
        assert!(matches!(
            Finess::parse("62010084"),
            Err(IdError::Length { .. })
        ));
        assert_eq!(
            Finess::parse("6201X0842"),
            Err(IdError::Character { position: 4 })
        );
        assert_eq!(Finess::parse("960000009"), Err(IdError::Department));
        assert_eq!(Finess::parse("000000000"), Err(IdError::Department));
    }

    #[test]
    fn corsican_finess_uses_21_22_and_is_flagged() {
        // 2A0000000 + key: compute with 21 in place of 2A.
        let key_body = with_luhn_key("21000000");
        let corsican = format!("2A{}", &key_body[2..]);
        let f = Finess::parse(&corsican).unwrap();
        assert!(f.is_corsican());
        assert!(!Finess::parse("620100842").unwrap().is_corsican());
        let body_b = with_luhn_key("22000001");
        assert!(Finess::parse(&format!("2B{}", &body_b[2..])).is_ok());
    }

    #[test]
    fn siren_and_siret_follow_luhn() {
        assert!(Siren::parse("260100045").is_ok());
        assert!(Siret::parse("26010004500012").is_ok());
        assert_eq!(Siret::parse("26010004500013"), Err(IdError::Key));
        assert_eq!(Siret::parse("26010004600012"), Err(IdError::SirenKey));
        assert!(matches!(
            Siret::parse("2601000450001"),
            Err(IdError::Length { .. })
        ));
    }

    #[test]
    fn la_poste_siret_uses_the_sum_rule() {
        // The head office follows the ordinary Luhn rule.
        assert!(Siret::parse("35600000000048").is_ok());
        // Other establishments: digit sum multiple of 5 (3+5+6+1 = 15), Luhn does not matter.
        assert!(Siret::parse("35600000000010").is_ok());
        assert!(!luhn_valid(b"35600000000010"));
        assert_eq!(Siret::parse("35600000000011"), Err(IdError::Key));
    }

    #[test]
    fn rpps_follows_luhn() {
        assert!(Rpps::parse("10001234565").is_ok());
        assert_eq!(Rpps::parse("10001234566"), Err(IdError::Key));
        assert!(Rpps::parse(&with_luhn_key("9970007512")).is_ok());
    }

    #[test]
    fn luhn_refuses_empty_and_non_digits() {
        assert!(!luhn_valid(b""));
        assert!(!luhn_valid(b"12a"));
        assert!(luhn_valid(b"0"));
    }
}

//! Identifiers of people and structures (domain.md §4): check keys and the national identifiers
//! carried in card certificates.

use serde::{Deserialize, Serialize};

/// Luhn check over ASCII digits; false on any non-digit or an empty string.
pub fn luhn_valid(digits: &str) -> bool {
    if digits.is_empty() {
        return false;
    }
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return false;
        }
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

/// Why an identifier is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("longueur incorrecte")]
    Length,
    #[error("caractère non autorisé")]
    Character,
    #[error("clé de contrôle incorrecte")]
    CheckKey,
}

/// A FINESS number (9 characters, Luhn key; Corsica `2A`/`2B` read as `21`/`22`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Finess(String);

impl Finess {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        if s.len() != 9 {
            return Err(IdError::Length);
        }
        let digits = match &s[..2] {
            "2A" | "2a" => format!("21{}", &s[2..]),
            "2B" | "2b" => format!("22{}", &s[2..]),
            _ => s.to_string(),
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Character);
        }
        if !luhn_valid(&digits) {
            return Err(IdError::CheckKey);
        }
        Ok(Self(s.to_ascii_uppercase()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A SIRET number (14 digits, Luhn; La Poste's `356000000…` numbers use a sum-of-digits rule).
pub fn siret_valid(s: &str) -> bool {
    if s.len() != 14 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if s.starts_with("356000000") && s != "35600000000048" {
        let sum: u32 = s.bytes().map(|b| u32::from(b - b'0')).sum();
        return sum.is_multiple_of(5);
    }
    luhn_valid(s) && luhn_valid(&s[..9])
}

/// An RPPS number (11 digits, Luhn).
pub fn rpps_valid(s: &str) -> bool {
    s.len() == 11 && luhn_valid(s)
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
/// (an employee in a FINESS structure's registry) or `810003456789` (an RPPS number behind prefix 8).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersonId {
    pub value: String,
    pub kind: PersonIdKind,
}

impl PersonId {
    /// Parses the structure-registry form `<prefix><structure number>/<internal number>` or the
    /// direct forms (`8` + RPPS, `0` + ADELI). The structure number's key is checked.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let first = s.as_bytes().first().ok_or(IdError::Length)?;
        let kind = match first {
            b'0' => PersonIdKind::Adeli,
            b'1' => PersonIdKind::AdeliRegistry,
            b'3' => PersonIdKind::FinessRegistry,
            b'4' => PersonIdKind::SirenRegistry,
            b'5' => PersonIdKind::SiretRegistry,
            b'6' => PersonIdKind::RppsRegistry,
            b'8' => PersonIdKind::Rpps,
            _ => return Err(IdError::Character),
        };
        let rest = &s[1..];
        match kind {
            PersonIdKind::Rpps => {
                if !rpps_valid(rest) {
                    return Err(if rest.len() == 11 {
                        IdError::CheckKey
                    } else {
                        IdError::Length
                    });
                }
            }
            PersonIdKind::Adeli => {
                if rest.len() != 9 {
                    return Err(IdError::Length);
                }
            }
            _ => {
                let (structure, internal) = rest.split_once('/').ok_or(IdError::Character)?;
                if internal.is_empty()
                    || internal.len() > 30
                    || !internal.bytes().all(|b| b.is_ascii_alphanumeric())
                {
                    return Err(IdError::Character);
                }
                match kind {
                    PersonIdKind::FinessRegistry => {
                        Finess::parse(structure)?;
                    }
                    PersonIdKind::SiretRegistry => {
                        if !siret_valid(structure) {
                            return Err(IdError::CheckKey);
                        }
                    }
                    _ => {
                        if structure.is_empty() || !structure.bytes().all(|b| b.is_ascii_digit()) {
                            return Err(IdError::Character);
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

/// The structure identifier of a FINESS establishment (TRE_G07 prefix `1`).
pub fn structure_id_for_finess(finess: &Finess) -> String {
    format!("1{}", finess.as_str())
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
    fn a_finess_with_a_wrong_key_is_refused() {
        assert_eq!(Finess::parse("620100843"), Err(IdError::CheckKey));
        assert_eq!(Finess::parse("62010084"), Err(IdError::Length));
        assert_eq!(Finess::parse("62010084X"), Err(IdError::Character));
    }

    #[test]
    fn siret_follows_luhn_and_la_poste_rule() {
        assert!(siret_valid("26010004500012"));
        assert!(!siret_valid("26010004500013"));
        assert!(siret_valid("35600000000048"));
        // La Poste: digit sum 3+5+6+1+2+3+4+5 = 29, not a multiple of 5; 35600000012346 sums to 30.
        assert!(!siret_valid("35600000012345"));
        assert!(siret_valid("35600000012346"));
    }

    #[test]
    fn employee_identifier_names_its_structure() {
        let id = PersonId::parse("3620100842/01417").unwrap();
        assert_eq!(id.kind, PersonIdKind::FinessRegistry);
        assert_eq!(id.structure_id().as_deref(), Some("1620100842"));
    }

    #[test]
    fn identifiers_that_do_not_parse_are_refused() {
        assert!(PersonId::parse("Jean Test").is_err());
        assert!(PersonId::parse("3620100843/01417").is_err());
        assert!(PersonId::parse("3620100842/").is_err());
        assert!(PersonId::parse("").is_err());
    }

    #[test]
    fn rpps_identifier_checks_its_key() {
        assert_eq!(
            PersonId::parse("899700075122").unwrap().kind,
            PersonIdKind::Rpps
        );
        assert_eq!(PersonId::parse("810003456789"), Err(IdError::CheckKey));
        assert!(luhn_valid("79927398713"));
        assert!(!luhn_valid("79927398710"));
    }
}

//! Business rules of an order that the XML schema cannot express: check keys, plausible dates,
//! CPS refused for RPPS professions, deprecated professions, complete postal addresses.
//! Each rule is a small pure function; the reader calls them with the value's location.

use crate::date::Date;
use crate::ids::{Finess, IdError, Rpps, Siret};
use crate::message::Message;
use crate::nomenclature::{is_rpps_simplified, PROFESSION};
use crate::order::errors::{codes, Severity};
use crate::order::model::CardType;

/// Earliest plausible year for any date in an order.
pub const EARLIEST_YEAR: u16 = 1900;
/// A holder must be at least this old on the day the file is checked.
pub const MIN_HOLDER_AGE_YEARS: u16 = 14;
/// How far ahead an end of exercise may be announced.
pub const END_OF_EXERCISE_HORIZON_DAYS: i64 = 366;
/// Creation dates may be one day ahead (time zones).
pub const CREATION_DATE_TOLERANCE_DAYS: i64 = 1;

/// The outcome of a rule that did not pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    /// What to tell the user, as data: its French text is in `message/fr_order.rs`.
    pub message: Message,
    pub severity: Severity,
}

fn error(code: &'static str, message: Message) -> Option<Finding> {
    Some(Finding {
        code,
        message,
        severity: Severity::Error,
    })
}

/// The message of the finding `code` when the code has one sentence.
fn message(code: &'static str) -> Message {
    Message::new(code)
}

/// FINESS key (Luhn); Corsican numbers pass with a warning.
pub fn check_finess(value: &str) -> Option<Finding> {
    match Finess::parse(value) {
        Ok(f) if f.is_corsican() => Some(Finding {
            code: codes::FINESS_CORSE_NON_VERIFIE,
            message: message(codes::FINESS_CORSE_NON_VERIFIE).arg("value", value),
            severity: Severity::Warning,
        }),
        Ok(_) => None,
        Err(e) => error(
            codes::FINESS_CLE_INVALIDE,
            message(codes::FINESS_CLE_INVALIDE)
                .arg("value", value)
                .arg("reason", e.to_string()),
        ),
    }
}

/// SIRET keys (Luhn on SIREN and SIRET, La Poste rule).
pub fn check_siret(value: &str) -> Option<Finding> {
    match Siret::parse(value) {
        Ok(_) => None,
        Err(IdError::SirenKey) => error(
            codes::SIRET_SIREN_INVALIDE,
            message(codes::SIRET_SIREN_INVALIDE).arg("value", value),
        ),
        Err(e) => error(
            codes::SIRET_CLE_INVALIDE,
            message(codes::SIRET_CLE_INVALIDE)
                .arg("value", value)
                .arg("reason", e.to_string()),
        ),
    }
}

/// RPPS key (Luhn).
pub fn check_rpps(value: &str) -> Option<Finding> {
    match Rpps::parse(value) {
        Ok(_) => None,
        Err(e) => error(
            codes::RPPS_CLE_INVALIDE,
            message(codes::RPPS_CLE_INVALIDE)
                .arg("value", value)
                .arg("reason", e.to_string()),
        ),
    }
}

/// Birth date between 1900 and today minus 14 years.
pub fn check_birth_date(date: Date, today: Date) -> Option<Finding> {
    let latest = today.minus_years(MIN_HOLDER_AGE_YEARS);
    if date.year() < EARLIEST_YEAR || date > latest {
        return error(
            codes::DATE_NAISSANCE_INVRAISEMBLABLE,
            message(codes::DATE_NAISSANCE_INVRAISEMBLABLE)
                .arg("date", date.to_string())
                .arg("earliest", EARLIEST_YEAR.to_string())
                .arg("latest", latest.to_string())
                .arg("min_age", MIN_HOLDER_AGE_YEARS.to_string()),
        );
    }
    None
}

fn check_not_before_1900(date: Date) -> Option<Finding> {
    if date.year() < EARLIEST_YEAR {
        return error(
            codes::DATE_INVRAISEMBLABLE,
            message(codes::DATE_INVRAISEMBLABLE)
                .arg("date", date.to_string())
                .arg("earliest", EARLIEST_YEAR.to_string()),
        );
    }
    None
}

/// File creation date: not before 1900, not after tomorrow.
pub fn check_creation_date(date: Date, today: Date) -> Option<Finding> {
    check_not_before_1900(date).or_else(|| {
        let latest = today.add_days(CREATION_DATE_TOLERANCE_DAYS);
        (date > latest).then(|| Finding {
            code: codes::DATE_FUTURE,
            message: Message::new("date_future_creation")
                .arg("date", date.to_string())
                .arg("today", today.to_string()),
            severity: Severity::Error,
        })
    })
}

/// End of exercise: not before 1900, at most a year ahead.
pub fn check_end_of_exercise_date(date: Date, today: Date) -> Option<Finding> {
    check_not_before_1900(date).or_else(|| {
        let latest = today.add_days(END_OF_EXERCISE_HORIZON_DAYS);
        (date > latest).then(|| Finding {
            code: codes::DATE_TROP_LOINTAINE,
            message: message(codes::DATE_TROP_LOINTAINE)
                .arg("date", date.to_string())
                .arg("latest", latest.to_string()),
            severity: Severity::Error,
        })
    })
}

/// Incident date: not before 1900, not after today.
pub fn check_incident_date(date: Date, today: Date) -> Option<Finding> {
    check_not_before_1900(date).or_else(|| {
        (date > today).then(|| Finding {
            code: codes::DATE_FUTURE,
            message: Message::new("date_future_incident")
                .arg("date", date.to_string())
                .arg("today", today.to_string()),
            severity: Severity::Error,
        })
    })
}

/// A profession given in a new card request (with its card type when known) or in a change.
pub fn check_profession(profession: &str, card_type: Option<CardType>) -> Option<Finding> {
    let with_label = |code: &'static str| {
        let label = PROFESSION.label(profession).unwrap_or("");
        message(code)
            .arg("profession", profession)
            .arg("label", label)
    };
    if PROFESSION.is_deprecated(profession) {
        return error(
            codes::PROFESSION_OBSOLETE,
            with_label(codes::PROFESSION_OBSOLETE),
        );
    }
    if card_type == Some(CardType::Cps) && is_rpps_simplified(profession) {
        return error(
            codes::CPS_PROFESSION_RPPS,
            with_label(codes::CPS_PROFESSION_RPPS),
        );
    }
    None
}

/// A CPS needs a profession, not a fonction.
pub fn check_function_for_card(card_type: Option<CardType>) -> Option<Finding> {
    if card_type == Some(CardType::Cps) {
        return error(
            codes::CPS_SANS_PROFESSION,
            message(codes::CPS_SANS_PROFESSION),
        );
    }
    None
}

/// Postal delivery needs a street or a locality; a street number needs a street.
pub fn check_address(
    has_street_number: bool,
    has_street: bool,
    has_locality: bool,
) -> Option<Finding> {
    if !has_street && !has_locality {
        return error(
            codes::ADRESSE_INCOMPLETE,
            Message::new("adresse_incomplete_sans_voie"),
        );
    }
    if has_street_number && !has_street {
        return error(
            codes::ADRESSE_INCOMPLETE,
            Message::new("adresse_incomplete_numero_sans_voie"),
        );
    }
    None
}

/// Key identifying a person by identity, for the "same holder twice" rule: birth name, first
/// names and birth date, compared without case.
pub fn identity_key(birth_name: &str, first_names: &str, birth_date: Date) -> String {
    let mut k = String::with_capacity(birth_name.len() + first_names.len() + 12);
    identity_key_into(&mut k, birth_name, first_names, birth_date);
    k
}

/// [`identity_key`] written into `k` (cleared first), without allocating when it is large
/// enough.
pub fn identity_key_into(k: &mut String, birth_name: &str, first_names: &str, birth_date: Date) {
    fn lower(k: &mut String, s: &str) {
        if s.is_ascii() {
            k.extend(s.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            k.extend(s.chars().flat_map(char::to_lowercase));
        }
    }
    k.clear();
    lower(k, birth_name);
    k.push('|');
    lower(k, first_names);
    k.push('|');
    let (y, m, d) = (birth_date.year(), birth_date.month(), birth_date.day());
    let digits = [
        y / 1000 % 10,
        y / 100 % 10,
        y / 10 % 10,
        y % 10,
        10,
        u16::from(m) / 10,
        u16::from(m) % 10,
        10,
        u16::from(d) / 10,
        u16::from(d) % 10,
    ];
    k.extend(digits.iter().map(|&x| {
        if x == 10 {
            '-'
        } else {
            char::from(b'0' + x as u8)
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }
    fn code(f: Option<Finding>) -> Option<&'static str> {
        f.map(|f| f.code)
    }

    #[test]
    fn finess_rule_reports_bad_key_and_warns_on_corsica() {
        assert_eq!(check_finess("620100842"), None);
        assert_eq!(
            code(check_finess("620100843")),
            Some(codes::FINESS_CLE_INVALIDE)
        );
        let body = crate::ids::with_luhn_key("21000000");
        let f = check_finess(&format!("2A{}", &body[2..])).unwrap();
        assert_eq!(f.severity, Severity::Warning);
    }

    #[test]
    fn siret_rule_tells_siren_from_siret_key() {
        assert_eq!(check_siret("26010004500012"), None);
        assert_eq!(
            code(check_siret("26010004500013")),
            Some(codes::SIRET_CLE_INVALIDE)
        );
        assert_eq!(
            code(check_siret("26010004600012")),
            Some(codes::SIRET_SIREN_INVALIDE)
        );
    }

    #[test]
    fn birth_date_must_make_a_holder_of_at_least_14() {
        let today = d("2026-11-24");
        assert_eq!(check_birth_date(d("1980-01-01"), today), None);
        assert_eq!(check_birth_date(d("2012-11-24"), today), None);
        assert_eq!(
            code(check_birth_date(d("2012-11-25"), today)),
            Some(codes::DATE_NAISSANCE_INVRAISEMBLABLE)
        );
        assert_eq!(
            code(check_birth_date(d("1899-12-31"), today)),
            Some(codes::DATE_NAISSANCE_INVRAISEMBLABLE)
        );
    }

    #[test]
    fn future_dates_are_refused_where_the_past_is_expected() {
        let today = d("2026-11-24");
        assert_eq!(check_creation_date(d("2026-11-25"), today), None);
        assert_eq!(
            code(check_creation_date(d("2026-11-26"), today)),
            Some(codes::DATE_FUTURE)
        );
        assert_eq!(
            code(check_incident_date(d("2026-11-25"), today)),
            Some(codes::DATE_FUTURE)
        );
        assert_eq!(check_end_of_exercise_date(d("2027-06-30"), today), None);
        assert_eq!(
            code(check_end_of_exercise_date(d("2028-01-01"), today)),
            Some(codes::DATE_TROP_LOINTAINE)
        );
        assert_eq!(
            code(check_incident_date(d("1850-01-01"), today)),
            Some(codes::DATE_INVRAISEMBLABLE)
        );
    }

    #[test]
    fn cps_for_rpps_professions_is_refused_with_the_reason() {
        for p in ["10", "21", "40", "50"] {
            let f = check_profession(p, Some(CardType::Cps)).unwrap();
            assert_eq!(f.code, codes::CPS_PROFESSION_RPPS);
            assert!(f
                .message
                .to_french()
                .contains("ces cartes sont délivrées par l'ordre professionnel via le RPPS"));
            assert_eq!(check_profession(p, Some(CardType::Cpe)), None);
        }
        assert_eq!(check_profession("60", Some(CardType::Cps)), None);
    }

    #[test]
    fn deprecated_professions_are_refused() {
        for p in ["35", "36", "37", "38", "39", "93"] {
            assert_eq!(
                code(check_profession(p, Some(CardType::Cpe))),
                Some(codes::PROFESSION_OBSOLETE)
            );
        }
    }

    #[test]
    fn cps_needs_a_profession() {
        assert_eq!(
            code(check_function_for_card(Some(CardType::Cps))),
            Some(codes::CPS_SANS_PROFESSION)
        );
        assert_eq!(check_function_for_card(Some(CardType::Cpa)), None);
    }

    #[test]
    fn address_needs_street_or_locality() {
        assert_eq!(check_address(true, true, false), None);
        assert_eq!(check_address(false, false, true), None);
        assert_eq!(
            code(check_address(false, false, false)),
            Some(codes::ADRESSE_INCOMPLETE)
        );
        assert_eq!(
            code(check_address(true, false, true)),
            Some(codes::ADRESSE_INCOMPLETE)
        );
    }

    #[test]
    fn every_finding_of_the_rules_is_a_sentence_of_the_catalogue() {
        let today = d("2026-11-24");
        let corsican = format!("2A{}", &crate::ids::with_luhn_key("21000000")[2..]);
        let findings = [
            check_finess("620100843"),
            check_finess(&corsican),
            check_siret("26010004500013"),
            check_siret("26010004600012"),
            check_rpps("10000000000"),
            check_birth_date(d("2020-01-01"), today),
            check_creation_date(d("2027-01-01"), today),
            check_creation_date(d("1850-01-01"), today),
            check_end_of_exercise_date(d("2030-01-01"), today),
            check_incident_date(d("2027-01-01"), today),
            check_profession("35", Some(CardType::Cpe)),
            check_profession("10", Some(CardType::Cps)),
            check_function_for_card(Some(CardType::Cps)),
            check_address(false, false, false),
            check_address(true, false, true),
        ];
        for f in findings {
            let f = f.expect("chaque cas produit un constat");
            let text = f.message.to_french();
            assert!(
                crate::message::fr::template(&f.message.code).is_some(),
                "{}",
                f.message.code
            );
            assert!(!text.contains('{') && text.len() > 20, "{text}");
        }
        assert_eq!(
            check_creation_date(d("2026-11-26"), today)
                .unwrap()
                .message
                .to_french(),
            "date de création 2026-11-26 dans le futur (aujourd'hui : 2026-11-24)"
        );
    }

    #[test]
    fn identity_key_ignores_case() {
        let a = identity_key("DURAND", "Marie", d("1984-03-12"));
        let b = identity_key("Durand", "MARIE", d("1984-03-12"));
        assert_eq!(a, b);
    }
}

//! Light calendar date and date-time types (no clock: "today" is always a parameter), with the
//! exact lexical forms the order schema accepts.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A proleptic Gregorian calendar date, year 1 to 9999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Number of days in `month` of `year`.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Gregorian leap year rule.
pub fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() {
        return None;
    }
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

impl Date {
    /// A valid date, or `None` (year 0 does not exist in XML Schema).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    pub fn year(self) -> u16 {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let y = digits(&b[0..4])?;
        let m = digits(&b[5..7])?;
        let d = digits(&b[8..10])?;
        Date::new(y as u16, m as u8, d as u8)
    }

    /// Days since 1970-01-01 (negative before), for date arithmetic.
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Inverse of [`Date::to_days`]; `None` outside years 1..=9999.
    pub fn from_days(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        if !(1..=9999).contains(&y) {
            return None;
        }
        Date::new(y as u16, m as u8, d as u8)
    }

    /// The date `n` days later (earlier if negative), saturating at the representable range.
    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.to_days() + n).unwrap_or(if n < 0 {
            Date {
                year: 1,
                month: 1,
                day: 1,
            }
        } else {
            Date {
                year: 9999,
                month: 12,
                day: 31,
            }
        })
    }

    /// The same day `n` years earlier (29 February becomes 28 February when needed).
    pub fn minus_years(self, n: u16) -> Date {
        let year = self.year.saturating_sub(n).max(1);
        let day = self.day.min(days_in_month(year, self.month));
        Date {
            year,
            month: self.month,
            day,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse_iso(s).ok_or_else(|| format!("date invalide : « {s} » (attendu AAAA-MM-JJ)"))
    }
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

/// A date and time of day with an optional UTC offset, as in `2026-11-24T09:30:00+01:00`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DateTime {
    pub date: Date,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// Offset from UTC in minutes; `None` when the file gave no time zone.
    pub offset_minutes: Option<i16>,
}

impl DateTime {
    /// Parses `YYYY-MM-DDThh:mm:ss` with an optional `Z` or `±hh:mm` (hours 00-23, offset at
    /// most ±14:00), the form allowed by the schema's `DateHeure` type.
    pub fn parse_iso(s: &str) -> Option<DateTime> {
        let b = s.as_bytes();
        if b.len() < 19 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let date = Date::parse_iso(&s[..10])?;
        let hour = digits(&b[11..13])? as u8;
        let minute = digits(&b[14..16])? as u8;
        let second = digits(&b[17..19])? as u8;
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let offset_minutes = match &b[19..] {
            [] => None,
            [b'Z'] => Some(0),
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let h = digits(&[*h1, *h2])? as i16;
                let m = digits(&[*m1, *m2])? as i16;
                if m > 59 || h > 14 || (h == 14 && m != 0) {
                    return None;
                }
                let total = h * 60 + m;
                Some(if *sign == b'-' { -total } else { total })
            }
            _ => return None,
        };
        Some(DateTime {
            date,
            hour,
            minute,
            second,
            offset_minutes,
        })
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}T{:02}:{:02}:{:02}",
            self.date, self.hour, self.minute, self.second
        )?;
        match self.offset_minutes {
            None => Ok(()),
            Some(0) => f.write_str("Z"),
            Some(o) => {
                let sign = if o < 0 { '-' } else { '+' };
                let a = o.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", a / 60, a % 60)
            }
        }
    }
}

impl FromStr for DateTime {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DateTime::parse_iso(s)
            .ok_or_else(|| format!("date-heure invalide : « {s} » (attendu AAAA-MM-JJThh:mm:ss)"))
    }
}

impl TryFrom<String> for DateTime {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<DateTime> for String {
    fn from(d: DateTime) -> String {
        d.to_string()
    }
}

/// Legal time in metropolitan France (Europe/Paris): UTC+1, and UTC+2 from the last Sunday of
/// March at 01:00 UTC to the last Sunday of October at 01:00 UTC (EU directive 2000/84/EC, in
/// force since 1996). Returns the offset in seconds at Unix time `unix`.
pub fn paris_offset_seconds(unix: i64) -> i64 {
    let Some(date) = Date::from_days(unix.div_euclid(86_400)) else {
        return 3600;
    };
    let last_sunday = |month: u8| {
        let last = Date::new(date.year(), month, 31).expect("mars et octobre ont 31 jours");
        let days = last.to_days();
        // 1970-01-01 was a Thursday: (days + 4) mod 7 is the weekday, 0 = Sunday.
        days - (days + 4).rem_euclid(7)
    };
    let summer_starts = last_sunday(3) * 86_400 + 3600;
    let summer_ends = last_sunday(10) * 86_400 + 3600;
    if (summer_starts..summer_ends).contains(&unix) {
        7200
    } else {
        3600
    }
}

/// The first Unix second of `date` in Paris.
pub fn paris_day_start(date: Date) -> i64 {
    let midnight_utc = date.to_days() * 86_400;
    // The offset in force at that midnight (changes happen at 01:00 UTC, never near midnight).
    midnight_utc - paris_offset_seconds(midnight_utc - 3600)
}

#[cfg(test)]
mod paris_tests {
    use super::*;

    #[test]
    fn paris_is_one_hour_ahead_in_winter_and_two_in_summer() {
        // 2026-03-29 is the last Sunday of March: 00:59 UTC still winter, 01:00 UTC summer.
        let change = Date::new(2026, 3, 29).unwrap().to_days() * 86_400 + 3600;
        assert_eq!(paris_offset_seconds(change - 1), 3600);
        assert_eq!(paris_offset_seconds(change), 7200);
        // 2026-10-25 is the last Sunday of October.
        let back = Date::new(2026, 10, 25).unwrap().to_days() * 86_400 + 3600;
        assert_eq!(paris_offset_seconds(back - 1), 7200);
        assert_eq!(paris_offset_seconds(back), 3600);
        // 1 December 2026 starts at 23:00 UTC the day before; 1 July at 22:00 UTC.
        let dec = Date::new(2026, 12, 1).unwrap();
        assert_eq!(paris_day_start(dec), dec.to_days() * 86_400 - 3600);
        let jul = Date::new(2026, 7, 1).unwrap();
        assert_eq!(paris_day_start(jul), jul.to_days() * 86_400 - 7200);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_dates_that_do_not_exist() {
        assert!(Date::parse_iso("2023-02-29").is_none());
        assert!(Date::parse_iso("2024-02-29").is_some());
        assert!(Date::parse_iso("1900-02-29").is_none());
        assert!(Date::parse_iso("2000-02-29").is_some());
        assert!(Date::parse_iso("0000-01-01").is_none());
        assert!(Date::parse_iso("2024-04-31").is_none());
        assert!(Date::parse_iso("2024-13-01").is_none());
        assert!(Date::parse_iso("2024-1-01").is_none());
    }

    #[test]
    fn day_arithmetic_round_trips() {
        let d = Date::new(2026, 11, 24).unwrap();
        assert_eq!(Date::from_days(d.to_days()), Some(d));
        assert_eq!(Date::new(1970, 1, 1).unwrap().to_days(), 0);
        assert_eq!(d.add_days(7).to_string(), "2026-12-01");
        assert_eq!(
            Date::new(2024, 2, 29).unwrap().minus_years(14).to_string(),
            "2010-02-28"
        );
    }

    #[test]
    fn date_time_accepts_schema_forms_only() {
        for ok in [
            "2026-11-24T09:30:00",
            "2026-11-24T09:30:00Z",
            "2026-11-24T09:30:00+01:00",
            "2026-11-24T09:30:00-14:00",
        ] {
            let dt = DateTime::parse_iso(ok).unwrap();
            assert_eq!(DateTime::parse_iso(&dt.to_string()), Some(dt));
        }
        for bad in [
            "2026-11-24T24:00:00",
            "2026-11-24T09:60:00",
            "2026-11-24T09:30:00+14:30",
            "2026-11-24T09:30:00+1:00",
            "2026-11-24 09:30:00",
            "2026-11-24T09:30:00.5",
        ] {
            assert!(DateTime::parse_iso(bad).is_none(), "{bad}");
        }
    }
}

//! Query parameters the features share: calendar dates (AAAA-MM-JJ), line statuses and page
//! sizes.

use shared::date::paris_day_start;
use shared::errors::ErrorCode;
use shared::order::Date;
use shared::tracking::LineStatus;

use crate::error::ApiError;

/// The calendar date (UTC) of a Unix time, for the order rules and file names.
pub fn date_of(unix: i64) -> Date {
    Date::from_days(unix.div_euclid(86_400))
        .or_else(|| Date::new(1970, 1, 1))
        .expect("1970-01-01 est une date")
}

fn parse_day(text: &str) -> Result<Option<Date>, ApiError> {
    if text.is_empty() {
        return Ok(None);
    }
    Date::parse_iso(text).map(Some).ok_or_else(|| {
        ApiError::message(
            ErrorCode::InvalidRequest,
            shared::message::Message::new("unreadable_date").arg("date", text),
        )
    })
}

/// The first second of the day, in Paris time (the users' days), or none for an empty parameter.
pub fn day_start(text: &str) -> Result<Option<i64>, ApiError> {
    Ok(parse_day(text)?.map(paris_day_start))
}

/// The first second after the day, in Paris time, or none for an empty parameter.
pub fn day_end(text: &str) -> Result<Option<i64>, ApiError> {
    Ok(parse_day(text)?.map(|d| paris_day_start(d.add_days(1))))
}

/// A `status` query parameter: absent or empty means no filter.
pub fn status_filter(text: Option<&str>) -> Result<Option<LineStatus>, ApiError> {
    match text.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => LineStatus::parse(s).map(Some).ok_or_else(|| {
            ApiError::message(
                ErrorCode::InvalidRequest,
                shared::message::Message::new("unknown_status").arg("status", s),
            )
        }),
    }
}

/// A `du`/`au` pair: the first second of `du` and the first second after `au` (Paris days), each
/// optional; refused when the start is after the end.
pub fn date_range(
    du: Option<&str>,
    au: Option<&str>,
) -> Result<(Option<i64>, Option<i64>), ApiError> {
    let from = du.map(day_start).transpose()?.flatten();
    let until = au.map(day_end).transpose()?.flatten();
    if let (Some(f), Some(u)) = (from, until) {
        if f >= u {
            return Err(ApiError::message(
                ErrorCode::InvalidRequest,
                shared::message::Message::new("dates_reversed"),
            ));
        }
    }
    Ok((from, until))
}

/// A `limite` parameter: `default` when absent or empty, refused unless a whole number from 1 to
/// `max`. Read by the handler (not the extractor) so that who may call is decided first.
pub fn page_limit(text: Option<&str>, default: u32, max: u32) -> Result<u32, ApiError> {
    match text.filter(|t| !t.is_empty()).map(str::parse::<u32>) {
        None => Ok(default),
        Some(Ok(n)) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::message(
            ErrorCode::InvalidRequest,
            shared::message::Message::new("limit_out_of_range").arg("max", max.to_string()),
        )),
    }
}

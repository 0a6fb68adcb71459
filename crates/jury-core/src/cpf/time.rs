//! Dates and times of a CPF declaration: the `horodatage` in French legal time (UTC+1, or
//! UTC+2 in summer by the EU rule) and the ledger's UTC times. Pure: instants come in as
//! seconds since 1970, never from the clock.

use crate::sheet::Date;

/// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
pub(super) fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
pub(super) fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        i32::try_from(y).unwrap_or(0),
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

/// The last Sunday of a month, as days since 1970-01-01.
fn last_sunday(year: i32, month: u32) -> i64 {
    let last = days_from_civil(year, month + 1, 1) - 1;
    let weekday = (last + 4).rem_euclid(7); // 0 = Sunday; 1970-01-01 was a Thursday.
    last - weekday
}

/// Is French summer time (UTC+2) in force at this instant? From the last Sunday of March
/// to the last Sunday of October, at 01:00 UTC (EU rule since 1996).
fn summer_time(unix_seconds: i64) -> bool {
    let (year, ..) = civil_from_days(unix_seconds.div_euclid(86_400));
    let start = last_sunday(year, 3) * 86_400 + 3_600;
    let end = last_sunday(year, 10) * 86_400 + 3_600;
    (start..end).contains(&unix_seconds)
}

/// `AAAA-MM-JJThh:mm:ss+01:00` (or `+02:00` in summer): French legal time of an instant.
pub fn french_time(unix_seconds: i64) -> String {
    let offset = if summer_time(unix_seconds) { 2 } else { 1 };
    let local = unix_seconds + offset * 3_600;
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    let s = local.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+{offset:02}:00",
        s / 3_600,
        s % 3_600 / 60,
        s % 60
    )
}

/// The jury date at noon, French legal time: the reproducible `horodatage`.
pub fn noon_in_france(date: Date) -> String {
    // Noon in France is 10:00 UTC in summer, 11:00 UTC in winter: both on the same side of
    // a change of time, which happens at 01:00 UTC.
    let days = days_from_civil(date.year, date.month, date.day);
    let offset = if summer_time(days * 86_400 + 10 * 3_600) {
        2
    } else {
        1
    };
    format!("{}T12:00:00+{offset:02}:00", date.iso())
}

/// `AAAA-MM-JJThh:mm:ssZ`: an instant in UTC, for the ledger.
pub fn utc_time(unix_seconds: i64) -> String {
    let (y, m, d) = civil_from_days(unix_seconds.div_euclid(86_400));
    let s = unix_seconds.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3_600,
        s % 3_600 / 60,
        s % 60
    )
}

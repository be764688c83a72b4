//! Short human durations for tables and progress lines ("3d 4h", "12m 05s", "42s"), and the
//! compact UTC stamp that names backups and journal entries, and the RFC 3339 stamp to the
//! second the CLI prints. Pure.

use time::{Duration, OffsetDateTime, UtcOffset};

/// `YYYYMMDDTHHMMSSZ` in UTC, whatever the offset of `t`: names built from it sort by time.
pub fn utc_stamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// RFC 3339 in UTC to the second, `2026-11-26T12:03:09Z`: what the CLI prints and emits in
/// JSON (no nanoseconds, whatever the clock gave).
pub fn utc_seconds(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Formats the two largest units of `d` (absolute value): `3d 4h`, `5h 02m`, `12m 05s`, `42s`.
pub fn short(d: Duration) -> String {
    let secs = d.whole_seconds().unsigned_abs();
    let (days, hours, mins, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    if days > 0 {
        format!("{days}d {hours}h")
    } else if hours > 0 {
        format!("{hours}h {mins:02}m")
    } else if mins > 0 {
        format!("{mins}m {s:02}s")
    } else {
        format!("{s}s")
    }
}

/// Formats a `std::time::Duration` the same way.
pub fn short_std(d: std::time::Duration) -> String {
    short(Duration::seconds(
        i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_largest_units() {
        assert_eq!(short(Duration::seconds(42)), "42s");
        assert_eq!(short(Duration::seconds(725)), "12m 05s");
        assert_eq!(short(Duration::seconds(5 * 3600 + 120)), "5h 02m");
        assert_eq!(short(Duration::days(3) + Duration::hours(4)), "3d 4h");
        assert_eq!(short(-Duration::seconds(42)), "42s");
        assert_eq!(short_std(std::time::Duration::from_secs(61)), "1m 01s");
    }

    #[test]
    fn stamps_are_utc() {
        use time::macros::datetime;
        assert_eq!(
            utc_stamp(datetime!(2026-11-26 12:03:09 UTC)),
            "20261126T120309Z"
        );
        assert_eq!(
            utc_stamp(datetime!(2026-11-26 13:00 +01:00)),
            "20261126T120000Z"
        );
        assert_eq!(
            utc_seconds(datetime!(2026-11-26 13:00:05.123456789 +01:00)),
            "2026-11-26T12:00:05Z"
        );
    }
}

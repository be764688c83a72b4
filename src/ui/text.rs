//! Small text helpers for screens: display width, truncation with an ellipsis, and the time
//! formats the tables use. Pure.

use ratatui::text::Span;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

use crate::domain::duration;

/// Columns a string takes on screen.
pub fn width(s: &str) -> usize {
    Span::raw(s).width()
}

/// `s` cut to at most `max` columns, ending in `…` when cut.
pub fn ellipsize(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = width(c.encode_utf8(&mut [0; 4]));
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Word-wraps `s` into lines of at most `max` columns. Paths break after a `/`; anything
/// still longer than a line is split.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let words = s.split(' ').flat_map(|w| path_pieces(w, max));
    for (glued, word) in words {
        let mut word = word;
        if glued && width(&line) + width(&word) <= max {
            line.push_str(&word);
            continue;
        }
        loop {
            let sep = usize::from(!line.is_empty());
            if width(&line) + sep + width(&word) <= max {
                if sep == 1 {
                    line.push(' ');
                }
                line.push_str(&word);
                break;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            let head: String = word.chars().take(max).collect();
            word = word.chars().skip(max).collect();
            lines.push(head);
            if word.is_empty() {
                break;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A word as pieces to place: a word that fits stays whole; a longer one is cut after each `/`
/// (pieces after the first are "glued": no space before them).
fn path_pieces(word: &str, max: usize) -> Vec<(bool, String)> {
    if width(word) <= max || !word.contains('/') {
        return vec![(false, word.to_owned())];
    }
    word.split_inclusive('/')
        .enumerate()
        .map(|(i, p)| (i > 0, p.to_owned()))
        .collect()
}

/// A text gauge of `cells` cells, `fraction` (0 to 1) of them full: `████░░░░`.
pub fn gauge(fraction: f64, cells: usize) -> String {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let full = ((fraction.clamp(0.0, 1.0) * cells as f64).round() as usize).min(cells);
    format!("{}{}", "█".repeat(full), "░".repeat(cells - full))
}

/// `12:00:05` (UTC).
pub fn clock(t: OffsetDateTime) -> String {
    t.to_offset(UtcOffset::UTC)
        .format(format_description!("[hour]:[minute]:[second]"))
        .unwrap_or_default()
}

/// `12:00` (UTC), the header clock while nothing counts seconds.
pub fn clock_minutes(t: OffsetDateTime) -> String {
    t.to_offset(UtcOffset::UTC)
        .format(format_description!("[hour]:[minute]"))
        .unwrap_or_default()
}

/// `11-26 06:00` (UTC), for table columns.
pub fn short_date(t: OffsetDateTime) -> String {
    t.to_offset(UtcOffset::UTC)
        .format(format_description!("[month]-[day] [hour]:[minute]"))
        .unwrap_or_default()
}

/// `2026-11-26 06:00 UTC`, for details lines.
pub fn full_date(t: OffsetDateTime) -> String {
    t.to_offset(UtcOffset::UTC)
        .format(format_description!(
            "[year]-[month]-[day] [hour]:[minute] UTC"
        ))
        .unwrap_or_default()
}

/// How long ago `t` was, short ("6h 00m").
pub fn age(t: Option<OffsetDateTime>, now: OffsetDateTime) -> String {
    t.map_or_else(|| "—".to_owned(), |t| duration::short(now - t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn ellipsis_only_when_cut() {
        assert_eq!(ellipsize("apim-contoso-weu", 16), "apim-contoso-weu");
        assert_eq!(ellipsize("apim-contoso-weu", 10), "apim-cont…");
        assert_eq!(ellipsize("abc", 0), "");
        assert_eq!(ellipsize("✔ ok", 3), "✔ …");
    }

    #[test]
    fn wrapping_keeps_words_and_splits_giants() {
        assert_eq!(
            wrap("the target keeps its old configuration", 16),
            ["the target keeps", "its old", "configuration"]
        );
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
        assert_eq!(
            wrap("st/apim-backups/apim-contoso-weu/x.apimbackup exists", 28),
            [
                "st/apim-backups/",
                "apim-contoso-weu/",
                "x.apimbackup exists"
            ]
        );
    }

    #[test]
    fn times_are_utc() {
        let t = datetime!(2026-11-26 07:00 +01:00);
        assert_eq!(short_date(t), "11-26 06:00");
        assert_eq!(full_date(t), "2026-11-26 06:00 UTC");
        assert_eq!(clock(t), "06:00:00");
    }
}

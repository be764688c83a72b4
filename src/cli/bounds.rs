//! The range of every numeric flag, checked while the command line is parsed: a value out of
//! range (or not a number, or `NaN`, or too large for its type) is a clear usage error (exit 2)
//! naming the flag and the range, never an overflow later. The ranges themselves live with
//! what they bound ([`crate::config::POLL_INTERVAL_SECS`], [`crate::emulator::SPEED`], …);
//! the README lists them.

use std::fmt::Display;
use std::ops::RangeInclusive;
use std::str::FromStr;

/// A clap value parser for a whole number in `range`, in `unit`s.
pub fn whole<T>(
    range: RangeInclusive<T>,
    unit: &'static str,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: FromStr + PartialOrd + Display + Copy + Send + Sync + 'static,
{
    move |text: &str| {
        text.trim()
            .parse::<T>()
            .ok()
            .filter(|v| range.contains(v))
            .ok_or_else(|| {
                format!(
                    "must be a whole number of {unit} from {} to {}",
                    range.start(),
                    range.end()
                )
            })
    }
}

/// A clap value parser for a finite decimal number in `range`.
pub fn decimal(
    range: RangeInclusive<f64>,
) -> impl Fn(&str) -> Result<f64, String> + Clone + Send + Sync + 'static {
    move |text: &str| {
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && range.contains(v))
            .ok_or_else(|| format!("must be a number from {} to {}", range.start(), range.end()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_in_range_pass_and_others_say_the_range() {
        let p = whole(1..=600_u64, "seconds");
        assert_eq!(p("1"), Ok(1));
        assert_eq!(p(" 600 "), Ok(600));
        let e = "must be a whole number of seconds from 1 to 600".to_owned();
        for bad in ["0", "601", "-1", "10000000000000000000", "1e3", "", "ten"] {
            assert_eq!(p(bad), Err(e.clone()), "{bad}");
        }
    }

    #[test]
    fn decimals_refuse_nan_infinity_and_out_of_range() {
        let p = decimal(0.001..=100_000.0);
        assert_eq!(p("90"), Ok(90.0));
        assert_eq!(p("0.001"), Ok(0.001));
        for bad in ["NaN", "inf", "-inf", "0", "1e309", "100000.5", "-5", "x"] {
            assert!(p(bad).is_err(), "{bad}");
        }
    }
}

//! Exact values from literal text: numbers with thousands separators, money,
//! percentages, dates, durations and month names.
//!
//! Nothing here goes through a float: numbers are parsed digit by digit into
//! `rust_decimal::Decimal`, which holds 28 significant digits exactly.

use std::str::FromStr;

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::ast::{Currency, Span};
use crate::diagnostics::{Code, Diagnostic, closest};

/// Parses `1,250,000.00` or `1250000.00`. Separators, when used, must group
/// the whole part by threes.
pub fn parse_number(text: &str, span: Span) -> Result<Decimal, Diagnostic> {
    match plain_number(text) {
        Some(value) => Ok(value),
        None => parse_number_as_written(text, span),
    }
}

/// `parse_number` for any text: reads it, or says what is wrong with it.
fn parse_number_as_written(text: &str, span: Span) -> Result<Decimal, Diagnostic> {
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    if whole.contains(',') {
        let groups: Vec<&str> = whole.split(',').collect();
        let first_ok = groups.first().is_some_and(|g| (1..=3).contains(&g.len()));
        let rest_ok = groups.iter().skip(1).all(|g| g.len() == 3);
        // `4,5` with one or two digits after a single comma is a decimal
        // comma, not a misplaced separator: suggest `4.5`, never `45`, a
        // figure ten times larger.
        if let [int, dec] = groups.as_slice()
            && fraction.is_none()
            && (1..=2).contains(&dec.len())
            && !int.is_empty()
        {
            return Err(Diagnostic::error(
                Code::MalformedNumber,
                format!("`{text}` has a decimal comma"),
                span,
                "decimals follow a point; commas only separate thousands",
            )
            .with_suggestion(format!("{int}.{dec}")));
        }
        if !first_ok || !rest_ok {
            let digits: String = whole.chars().filter(|c| *c != ',').collect();
            let fixed =
                group_thousands(&digits) + &fraction.map(|f| format!(".{f}")).unwrap_or_default();
            return Err(Diagnostic::error(
                Code::MalformedNumber,
                format!("thousands separators in `{text}` are misplaced"),
                span,
                "commas must separate groups of three digits",
            )
            .with_suggestion(fixed));
        }
    }
    // Most numbers have no separators: read those without a copy.
    let plain: std::borrow::Cow<'_, str> = if text.contains(',') {
        text.chars()
            .filter(|c| *c != ',')
            .collect::<String>()
            .into()
    } else {
        text.into()
    };
    let digits = plain.strip_prefix('-').unwrap_or(&plain);
    let mut parts = digits.splitn(2, '.');
    let well_formed = parts
        .next()
        .is_some_and(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()))
        && parts
            .next()
            .is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !well_formed {
        return Err(Diagnostic::error(
            Code::MalformedNumber,
            format!("`{text}` is not a number"),
            span,
            "expected digits, with an optional point and decimals",
        )
        .with_help("write a number such as `1,250,000.00` or `12.5`"));
    }
    Decimal::from_str_exact(&plain).map_err(|_| too_large(text, span))
}

/// The common case read in one pass, without a copy: digits, commas
/// between groups of three, an optional point and decimals, at most 28
/// digits in all (so that any of them fits). `None` for anything else,
/// which `parse_number` then reads — or explains — the long way; what this
/// accepts, it reads to the same value and scale as `Decimal::from_str_exact`.
fn plain_number(text: &str) -> Option<Decimal> {
    let mut mantissa: u128 = 0;
    let mut digits = 0u32;
    // Digits since the last comma, and whether one was seen.
    let mut group = 0u32;
    let mut grouped = false;
    let mut decimals: Option<u32> = None;
    for byte in text.bytes() {
        match (byte, decimals) {
            (b'0'..=b'9', _) => {
                mantissa = mantissa * 10 + u128::from(byte - b'0');
                digits += 1;
                group += 1;
                if digits > 28 {
                    return None;
                }
                if let Some(d) = decimals.as_mut() {
                    *d += 1;
                }
            }
            (b',', None) if group == 3 || (!grouped && (1..=3).contains(&group)) => {
                grouped = true;
                group = 0;
            }
            (b'.', None) if digits > 0 && (!grouped || group == 3) => decimals = Some(0),
            _ => return None,
        }
    }
    let whole_ok = digits > 0 && (!grouped || decimals.is_some() || group == 3);
    if !whole_ok || decimals == Some(0) {
        return None;
    }
    let mantissa = i128::try_from(mantissa).ok()?;
    Decimal::try_from_i128_with_scale(mantissa, decimals.unwrap_or(0)).ok()
}

fn too_large(text: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::NumberTooLarge,
        format!("the number `{text}` is too large to hold exactly"),
        span,
        "more than 28 significant digits",
    )
    .with_help("amounts up to 79,228,162,514,264,337,593,543,950,335 are exact; write a smaller number or fewer decimals")
}

/// `1234567` → `1,234,567`
pub fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The multiplier of a scale word such as `billion` (short scale).
pub fn scale_factor(word: &str) -> Decimal {
    match word {
        "thousand" => Decimal::from(1_000u64),
        "million" => Decimal::from(1_000_000u64),
        "billion" => Decimal::from(1_000_000_000u64),
        _ => Decimal::from(1_000_000_000_000u64),
    }
}

/// Applies a scale word to a number, reporting overflow.
pub fn scaled(value: Decimal, word: &str, text: &str, span: Span) -> Result<Decimal, Diagnostic> {
    value
        .checked_mul(scale_factor(word))
        .ok_or_else(|| too_large(text, span))
}

/// An ISO 4217 code such as `USD`.
pub fn parse_currency(code: &str, span: Span) -> Result<Currency, Diagnostic> {
    if iso_currency::Currency::from_code(code).is_some() {
        let bytes = code.as_bytes();
        if let [a, b, c] = bytes {
            return Ok(Currency([*a, *b, *c]));
        }
    }
    use iso_currency::IntoEnumIterator as _;
    let known: Vec<&'static str> = iso_currency::Currency::iter().map(|c| c.code()).collect();
    let mut diagnostic = Diagnostic::error(
        Code::UnknownCurrency,
        format!("`{code}` is not an ISO 4217 currency code"),
        span,
        "unknown currency",
    );
    if let Some(best) = closest(code, known.iter().copied()) {
        diagnostic = diagnostic.with_suggestion(best);
    } else {
        diagnostic = diagnostic
            .with_help("write a three-letter ISO 4217 code such as `USD`, `EUR` or `GBP`");
    }
    Err(diagnostic)
}

/// The code to suggest for a currency symbol.
pub fn symbol_currency(symbol: char) -> &'static str {
    match symbol {
        '€' => "EUR",
        '£' => "GBP",
        '¥' => "JPY",
        _ => "USD",
    }
}

/// A date written `YYYY-MM-DD` that must exist on the proleptic Gregorian
/// calendar.
pub fn parse_date(text: &str, span: Span) -> Result<Date, Diagnostic> {
    // The common case, `YYYY-MM-DD` in ASCII digits, read without allocating.
    if let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *text.as_bytes()
        && [y1, y2, y3, y4, m1, m2, d1, d2]
            .iter()
            .all(u8::is_ascii_digit)
    {
        let n = |digits: &[u8]| {
            digits
                .iter()
                .fold(0i16, |acc, d| acc * 10 + i16::from(d - b'0'))
        };
        let (year, month, day) = (n(&[y1, y2, y3, y4]), n(&[m1, m2]), n(&[d1, d2]));
        if year >= 1
            && let (Ok(month), Ok(day)) = (i8::try_from(month), i8::try_from(day))
            && let Ok(date) = Date::new(year, month, day)
        {
            return Ok(date);
        }
    }
    let parts: Vec<&str> = text.split('-').collect();
    let numbers: Option<Vec<i32>> = parts.iter().map(|p| p.parse::<i32>().ok()).collect();
    let invalid = |label: String, help: String| {
        Diagnostic::error(
            Code::InvalidDate,
            format!("`{text}` is not a date"),
            span,
            label,
        )
        .with_help(help)
    };
    let Some([year, month, day]) = numbers
        .as_deref()
        .and_then(|n| <[i32; 3]>::try_from(n).ok())
    else {
        return Err(invalid(
            "expected year-month-day".into(),
            "write dates as `YYYY-MM-DD`, such as `2032-12-31`".into(),
        ));
    };
    if !(1..=9999).contains(&year) {
        return Err(invalid(
            "the year is out of range".into(),
            "years run from 0001 to 9999".into(),
        ));
    }
    if !(1..=12).contains(&month) {
        return Err(invalid(
            format!("there is no month {month}"),
            "months run from 01 to 12".into(),
        ));
    }
    // Both are in range now, so the conversions cannot fail.
    let (y, m) = (year as i16, month as i8);
    let last = Date::new(y, m, 1).map(|d| d.days_in_month()).unwrap_or(31);
    if day < 1 || day > i32::from(last) {
        let month_name = MONTHS
            .get(month as usize - 1)
            .copied()
            .unwrap_or("that month");
        return Err(invalid(
            format!("{} {year} has {last} days", capitalise(month_name)),
            format!(
                "the last day of {} {year} is `{year:04}-{month:02}-{last:02}`",
                capitalise(month_name)
            ),
        ));
    }
    // A real date, but not written `YYYY-MM-DD` (`2026-2-10`, `+2026-02-10`,
    // `02026-02-10`): refused, as in a clause file, with the way to write it.
    let strict = matches!(parts.as_slice(), [y, m, d]
        if y.len() == 4 && m.len() == 2 && d.len() == 2
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())));
    if !strict {
        return Err(invalid(
            "expected year-month-day, as `YYYY-MM-DD`".into(),
            format!("write it `{year:04}-{month:02}-{day:02}`"),
        ));
    }
    Date::new(y, m, day as i8)
        .map_err(|e| invalid(e.to_string(), "write a real calendar date".into()))
}

pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A month name (`july`) as 1..=12.
pub fn parse_month(word: &str, span: Span) -> Result<u8, Diagnostic> {
    if let Some(index) = MONTHS.iter().position(|m| *m == word) {
        return Ok(index as u8 + 1);
    }
    let mut diagnostic = Diagnostic::error(
        Code::UnknownMonth,
        format!("`{word}` is not a month"),
        span,
        "expected a month name",
    );
    let lower = word.to_lowercase();
    let exact = MONTHS.iter().find(|m| **m == lower).copied();
    diagnostic = match exact.or_else(|| closest(word, MONTHS)) {
        Some(best) => diagnostic.with_suggestion(best),
        None => diagnostic.with_help("write the month in full and in lowercase, such as `july`"),
    };
    Err(diagnostic)
}

/// The day counts late interest may name.
const DAY_COUNTS: [&str; 3] = ["actual/365", "actual/360", "30/360"];

/// A day count (`actual/365`, `actual/360`, `30/360`).
pub fn parse_day_count(word: &str, span: Span) -> Result<crate::ast::DayCount, Diagnostic> {
    use crate::ast::DayCount;
    match word {
        "actual/365" => return Ok(DayCount::Actual365),
        "actual/360" => return Ok(DayCount::Actual360),
        "30/360" => return Ok(DayCount::Thirty360),
        _ => {}
    }
    let diagnostic = Diagnostic::error(
        Code::UnknownDayCount,
        format!("`{word}` is not a day count proviso knows"),
        span,
        "unknown day count",
    );
    Err(match closest(&word.to_lowercase(), DAY_COUNTS) {
        Some(best) => diagnostic.with_suggestion(best),
        None => diagnostic.with_help(
            "write `actual/365` (actual days over a year of 365), `actual/360`, or `30/360` (months of 30 days)",
        ),
    })
}

/// A whole count of days or months.
pub fn parse_whole(text: &str, span: Span, unit: &str) -> Result<i64, Diagnostic> {
    let value = parse_number(text, span)?;
    if !value.fract().is_zero() {
        return Err(Diagnostic::error(
            Code::InvalidDuration,
            format!("`{text} {unit}` is not a whole number of {unit}"),
            span,
            "fractions of a day, week, month or year are not defined",
        )
        .with_help("write a whole number; to mean hours, count days instead"));
    }
    i64::from_str(&value.trunc().to_string()).map_err(|_| too_large(text, span))
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Span = Span { start: 0, end: 1 };

    proptest::proptest! {
        /// The quick reading of plain numbers gives what the full reading
        /// gives, to the scale, or leaves the text to it.
        #[test]
        fn plain_numbers_read_as_written(text in "[0-9,.-]{0,34}") {
            if let Some(quick) = plain_number(&text) {
                let full = parse_number_as_written(&text, S);
                proptest::prop_assert!(full.is_ok(), "{text}: {full:?}");
                let full = full.unwrap_or_default();
                proptest::prop_assert_eq!(quick.to_string(), full.to_string());
                proptest::prop_assert_eq!(quick.scale(), full.scale());
            }
        }

        /// Every well-formed plain number is read the quick way.
        #[test]
        fn plain_numbers_are_read_quickly(whole in 0u64..10_000_000_000, decimals in "([.][0-9]{1,6})?", grouped: bool) {
            let whole = if grouped { group_thousands(&whole.to_string()) } else { whole.to_string() };
            let text = format!("{whole}{decimals}");
            proptest::prop_assert!(plain_number(&text).is_some(), "{text}");
        }
    }

    #[test]
    fn numbers_with_separators() {
        assert_eq!(
            parse_number("1,250,000.00", S).ok(),
            Decimal::from_str("1250000.00").ok()
        );
        assert_eq!(parse_number("250", S).ok(), Some(Decimal::from(250)));
        let bad = parse_number("1,25,000", S).err();
        assert_eq!(bad.as_ref().map(|d| d.code), Some(Code::MalformedNumber));
        assert_eq!(
            bad.and_then(|d| d.suggestion).map(|s| s.replacement),
            Some("125,000".to_string())
        );
    }

    #[test]
    fn absurd_numbers_are_diagnostics() {
        let d = parse_number("99999999999999999999999999999999999", S).err();
        assert_eq!(d.map(|d| d.code), Some(Code::NumberTooLarge));
        let d = scaled(Decimal::MAX, "trillion", "x", S).err();
        assert_eq!(d.map(|d| d.code), Some(Code::NumberTooLarge));
    }

    #[test]
    fn dates_must_exist() {
        assert!(parse_date("2028-02-29", S).is_ok());
        let d = parse_date("2026-02-30", S).err();
        assert_eq!(
            d.as_ref().map(|d| d.primary.message.as_str()),
            Some("February 2026 has 28 days")
        );
        assert!(parse_date("2026-13-01", S).is_err());
        assert!(parse_date("0000-01-01", S).is_err());
    }

    #[test]
    fn dates_are_written_year_month_day_in_full() {
        for text in [
            "2026-2-10",
            "+2026-02-10",
            "02026-02-10",
            "2026-02-010",
            "2026-+2-10",
        ] {
            let d = parse_date(text, S).err();
            assert_eq!(
                d.as_ref().and_then(|d| d.help.as_deref()),
                Some("write it `2026-02-10`"),
                "{text}"
            );
        }
        assert!(parse_date("2026-02-10", S).is_ok());
    }

    #[test]
    fn currencies_are_iso_codes() {
        assert!(parse_currency("USD", S).is_ok());
        let d = parse_currency("USX", S).err();
        assert_eq!(d.map(|d| d.code), Some(Code::UnknownCurrency));
    }

    #[test]
    fn months_and_whole_durations() {
        assert_eq!(parse_month("july", S).ok(), Some(7));
        assert!(
            parse_month("juli", S)
                .err()
                .and_then(|d| d.suggestion)
                .is_some()
        );
        assert_eq!(parse_whole("45", S, "days").ok(), Some(45));
        assert!(parse_whole("1.5", S, "days").is_err());
    }
}

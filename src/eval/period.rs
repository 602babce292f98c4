//! Calendar and fiscal periods: which days a period label such as `2026-Q1`
//! names, and which period a date falls in.
//!
//! A period declared `year starting july` runs from 1 July to 30 June and is
//! named by the calendar year in which it ends (fiscal 2026 runs from
//! 2025-07-01 through 2026-06-30). Quarters of such a year are counted from
//! its start: with `quarter starting april`, `2026-Q1` is 2025-04-01 through
//! 2025-06-30. With a January start, fiscal and calendar names agree.

use jiff::ToSpan;
use jiff::civil::Date;

use super::event::PeriodValue;
use crate::ast::PeriodBase;
use crate::model::PeriodInfo;

/// The first day of the fiscal year named `year`.
fn fiscal_year_start(year: i16, start_month: u8) -> Option<Date> {
    let first_year = if start_month <= 1 {
        year
    } else {
        year.checked_sub(1)?
    };
    Date::new(first_year, i8::try_from(start_month).ok()?, 1).ok()
}

/// `months` months of period starting on `first`.
fn span_of(first: Date, months: i64) -> Option<PeriodValue> {
    // The last day of the period's last month: computed within the period,
    // so that a period ending on 9999-12-31 (the last day a date can have)
    // needs no day after it.
    let last = first
        .checked_add((months - 1).months())
        .ok()?
        .last_of_month();
    Some(PeriodValue { first, last })
}

/// The period a label names: `2026` for a year, `2026-Q1` for a quarter,
/// `2026-03` for a month. A fiscal year may also be written `FY2026`.
pub fn from_label(info: &PeriodInfo, label: &str) -> Option<PeriodValue> {
    let label = label.trim();
    match info.base {
        PeriodBase::Year => {
            let year = label.strip_prefix("FY").unwrap_or(label);
            let year = parse_year(year)?;
            span_of(fiscal_year_start(year, info.start_month)?, 12)
        }
        PeriodBase::Quarter => {
            let (year, quarter) = label.split_once("-Q")?;
            let year = parse_year(year.strip_prefix("FY").unwrap_or(year))?;
            let quarter: i64 = match quarter {
                "1" => 0,
                "2" => 1,
                "3" => 2,
                "4" => 3,
                _ => return None,
            };
            let first = fiscal_year_start(year, info.start_month)?
                .checked_add((quarter * 3).months())
                .ok()?;
            span_of(first, 3)
        }
        PeriodBase::Month => {
            let (year, month) = label.split_once('-')?;
            if month.len() != 2 {
                return None;
            }
            let month: i8 = month.parse().ok()?;
            span_of(Date::new(parse_year(year)?, month, 1).ok()?, 1)
        }
    }
}

/// The label of a period, the inverse of [`from_label`].
pub fn label(info: &PeriodInfo, period: PeriodValue) -> String {
    match info.base {
        PeriodBase::Year => format!("{:04}", period.last.year()),
        PeriodBase::Quarter => {
            let fiscal_year = containing(
                &PeriodInfo {
                    base: PeriodBase::Year,
                    ..*info
                },
                period.first,
            );
            let months = (i32::from(period.first.year()) - i32::from(fiscal_year.first.year()))
                * 12
                + i32::from(period.first.month())
                - i32::from(fiscal_year.first.month());
            format!("{:04}-Q{}", fiscal_year.last.year(), months / 3 + 1)
        }
        PeriodBase::Month => format!("{:04}-{:02}", period.first.year(), period.first.month()),
    }
}

/// The period of this kind that contains `date`.
pub fn containing(info: &PeriodInfo, date: Date) -> PeriodValue {
    let start_month = i8::try_from(info.start_month.clamp(1, 12)).unwrap_or(1);
    let months_into_year = (i32::from(date.month()) - i32::from(start_month)).rem_euclid(12);
    let (length, offset) = match info.base {
        PeriodBase::Year => (12, months_into_year),
        PeriodBase::Quarter => (3, months_into_year % 3),
        PeriodBase::Month => (1, 0),
    };
    let first_of_month = date.first_of_month();
    let first = first_of_month
        .checked_sub(i64::from(offset).months())
        .unwrap_or(first_of_month);
    span_of(first, length).unwrap_or(PeriodValue { first, last: date })
}

fn parse_year(text: &str) -> Option<i16> {
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|y| *y >= 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn info(base: PeriodBase, start_month: u8) -> PeriodInfo {
        PeriodInfo {
            base,
            start_month,
            declared: None,
        }
    }

    fn p(first: Date, last: Date) -> Option<PeriodValue> {
        Some(PeriodValue { first, last })
    }

    #[test]
    fn calendar_labels() {
        let quarter = info(PeriodBase::Quarter, 1);
        assert_eq!(
            from_label(&quarter, "2026-Q1"),
            p(date(2026, 1, 1), date(2026, 3, 31))
        );
        assert_eq!(
            from_label(&quarter, "2026-Q4"),
            p(date(2026, 10, 1), date(2026, 12, 31))
        );
        assert_eq!(from_label(&quarter, "2026-Q5"), None);
        let month = info(PeriodBase::Month, 1);
        assert_eq!(
            from_label(&month, "2028-02"),
            p(date(2028, 2, 1), date(2028, 2, 29))
        );
        assert_eq!(from_label(&month, "2028-2"), None);
        let year = info(PeriodBase::Year, 1);
        assert_eq!(
            from_label(&year, "2032"),
            p(date(2032, 1, 1), date(2032, 12, 31))
        );
        assert_eq!(from_label(&year, "32"), None);
        // The last periods a date can name end on 9999-12-31.
        assert_eq!(
            from_label(&quarter, "9999-Q4"),
            p(date(9999, 10, 1), date(9999, 12, 31))
        );
        assert_eq!(
            from_label(&year, "9999"),
            p(date(9999, 1, 1), date(9999, 12, 31))
        );
    }

    #[test]
    fn fiscal_years_are_named_by_the_year_they_end_in() {
        let fiscal = info(PeriodBase::Year, 7);
        assert_eq!(
            from_label(&fiscal, "2026"),
            p(date(2025, 7, 1), date(2026, 6, 30))
        );
        assert_eq!(
            from_label(&fiscal, "FY2026"),
            p(date(2025, 7, 1), date(2026, 6, 30))
        );
        assert_eq!(
            containing(&fiscal, date(2025, 6, 30)),
            PeriodValue {
                first: date(2024, 7, 1),
                last: date(2025, 6, 30)
            }
        );
        assert_eq!(
            label(&fiscal, containing(&fiscal, date(2025, 7, 1))),
            "2026"
        );
    }

    #[test]
    fn fiscal_quarters_count_from_the_fiscal_year() {
        let quarter = info(PeriodBase::Quarter, 4);
        assert_eq!(
            from_label(&quarter, "2026-Q1"),
            p(date(2025, 4, 1), date(2025, 6, 30))
        );
        assert_eq!(
            from_label(&quarter, "2026-Q4"),
            p(date(2026, 1, 1), date(2026, 3, 31))
        );
        let q = containing(&quarter, date(2026, 2, 14));
        assert_eq!(
            q,
            PeriodValue {
                first: date(2026, 1, 1),
                last: date(2026, 3, 31)
            }
        );
        assert_eq!(label(&quarter, q), "2026-Q4");
    }

    #[test]
    fn every_day_falls_in_exactly_the_period_whose_label_it_gets() {
        for base in [PeriodBase::Month, PeriodBase::Quarter, PeriodBase::Year] {
            for start in 1..=12u8 {
                let info = info(base, if base == PeriodBase::Month { 1 } else { start });
                let mut day = date(2027, 1, 1);
                while day <= date(2028, 12, 31) {
                    let period = containing(&info, day);
                    assert!(
                        period.first <= day && day <= period.last,
                        "{base:?} {start} {day}"
                    );
                    assert_eq!(
                        from_label(&info, &label(&info, period)),
                        Some(period),
                        "{base:?} {start} {day}"
                    );
                    day = day.tomorrow().unwrap();
                }
            }
        }
    }
}

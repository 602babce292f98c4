//! Pictures of amounts: a cap table as a stacked bar, what was owed and
//! paid in each period, and how far a commitment has come. Each picture
//! has its figures in words beside it (a table, or the text of the bar),
//! so that nothing is said by the picture alone.
//!
//! Amounts are exact decimals everywhere; only the lengths drawn are
//! fractions of a pixel.

use maud::{Markup, html};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// A share of a whole as a fraction for drawing (0 to 1).
fn fraction(part: Decimal, whole: Decimal) -> f64 {
    if whole <= Decimal::ZERO || part <= Decimal::ZERO {
        return 0.0;
    }
    // A part too many times the whole to divide is all of it.
    part.checked_div(whole)
        .map_or(1.0, |f| f.min(Decimal::ONE).to_f64().unwrap_or(1.0))
}

/// The cap table of one entity as a stacked bar: one segment per stake,
/// labelled with the holder and the percentage, and what is undeclared
/// left blank.
pub fn cap_table_bar(entity: &str, stakes: &[(String, Decimal)]) -> Markup {
    const WIDTH: f64 = 720.0;
    let total: Decimal = stakes.iter().map(|(_, p)| *p).sum();
    let whole = total.max(Decimal::ONE_HUNDRED);
    let mut at = 0.0;
    let segments: Vec<(f64, f64, &str, Decimal)> = stakes
        .iter()
        .map(|(holder, percent)| {
            let width = fraction(*percent, whole) * WIDTH;
            let segment = (at, width, holder.as_str(), *percent);
            at += width;
            segment
        })
        .collect();
    let description = stakes
        .iter()
        .map(|(holder, percent)| format!("{holder} {}%", percent.normalize()))
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        svg class="chart cap-chart" role="img" viewBox=(format!("0 0 {WIDTH} 60")) xmlns="http://www.w3.org/2000/svg" {
            title { (format!("Holdings in {entity}: {description}")) }
            rect class="chart-ground" x="0" y="4" width=(format!("{WIDTH}")) height="34" {}
            @for (i, (x, width, holder, percent)) in segments.iter().enumerate() {
                rect class=(format!("segment segment-{}", i % 6)) x=(format!("{x:.1}")) y="4"
                    width=(format!("{width:.1}")) height="34" {
                    title { (format!("{holder}: {}%", percent.normalize())) }
                }
                @if *width > 60.0 {
                    text class="segment-label" x=(format!("{:.1}", x + 6.0)) y="26" {
                        (format!("{holder} {}%", percent.normalize()))
                    }
                }
            }
            text class="axis" x="0" y="54" { "0%" }
            text class="axis" x=(format!("{WIDTH}")) y="54" text-anchor="end" { (format!("{}%", whole.normalize())) }
        }
    }
}

/// One period's amounts: what was owed, and how much of it was paid.
pub struct PeriodAmounts {
    pub label: String,
    pub currency: String,
    pub owed: Decimal,
    pub paid: Decimal,
}

/// What was owed and paid per period, as pairs of bars.
pub fn owed_and_paid(periods: &[&PeriodAmounts]) -> Markup {
    const BAR: f64 = 22.0;
    const GAP: f64 = 28.0;
    const HEIGHT: f64 = 200.0;
    const LEFT: f64 = 10.0;
    let most = periods
        .iter()
        .map(|p| p.owed.max(p.paid))
        .max()
        .unwrap_or(Decimal::ZERO);
    let width = LEFT + periods.len() as f64 * (2.0 * BAR + GAP) + 10.0;
    html! {
        svg class="chart period-chart" role="img" viewBox=(format!("0 0 {width:.0} {:.0}", HEIGHT + 40.0))
            xmlns="http://www.w3.org/2000/svg" {
            title { "Owed and paid per period (the table beside it gives the figures)" }
            line class="grid" x1="0" y1=(format!("{HEIGHT:.0}")) x2=(format!("{width:.0}")) y2=(format!("{HEIGHT:.0}")) {}
            @for (i, p) in periods.iter().enumerate() {
                @let x = LEFT + i as f64 * (2.0 * BAR + GAP);
                @let owed = fraction(p.owed, most) * (HEIGHT - 10.0);
                @let paid = fraction(p.paid, most) * (HEIGHT - 10.0);
                rect class="bar-owed" x=(format!("{x:.1}")) y=(format!("{:.1}", HEIGHT - owed))
                    width=(format!("{BAR:.0}")) height=(format!("{owed:.1}")) {
                    title { (format!("{}: owed {} {}", p.label, p.currency, super::amount(p.owed))) }
                }
                rect class="bar-paid" x=(format!("{:.1}", x + BAR)) y=(format!("{:.1}", HEIGHT - paid))
                    width=(format!("{BAR:.0}")) height=(format!("{paid:.1}")) {
                    title { (format!("{}: paid {} {}", p.label, p.currency, super::amount(p.paid))) }
                }
                text class="axis" x=(format!("{:.1}", x + BAR)) y=(format!("{:.0}", HEIGHT + 16.0)) text-anchor="middle" {
                    (p.label)
                }
            }
        }
    }
}

/// How far a commitment has come: a bar with its figures written in it.
pub fn progress(fulfilled: Decimal, target: Decimal, text: &str) -> Markup {
    let share = fraction(fulfilled, target);
    let percent = if target > Decimal::ZERO {
        fulfilled
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|f| f.checked_div(target))
            .map_or(Decimal::ONE_HUNDRED, |p| p.min(Decimal::ONE_HUNDRED))
            .max(Decimal::ZERO)
            .round_dp(1)
    } else {
        Decimal::ZERO
    };
    html! {
        div class="progress" role="img" aria-label=(format!("{percent}% of the target: {text}")) {
            div class="progress-done" style=(format!("width: {:.1}%", share * 100.0)) {}
            span class="progress-text" { (format!("{percent}% — {text}")) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_never_draws_past_the_whole_or_below_nothing() {
        assert_eq!(fraction(Decimal::from(5), Decimal::from(10)), 0.5);
        assert_eq!(fraction(Decimal::from(15), Decimal::from(10)), 1.0);
        assert_eq!(fraction(Decimal::from(-5), Decimal::from(10)), 0.0);
        assert_eq!(fraction(Decimal::from(5), Decimal::ZERO), 0.0);
        // Far past the whole: no overflow, all of it.
        assert_eq!(fraction(Decimal::MAX, Decimal::new(1, 2)), 1.0);
        let bar = progress(Decimal::MAX, Decimal::new(1, 2), "x").into_string();
        assert!(bar.contains("100% — x"), "{bar}");
    }

    #[test]
    fn progress_says_its_share_in_words() {
        // USD 1 billion of USD 250 billion is 0.4%.
        let bar = progress(
            Decimal::from(1_000_000_000u64),
            Decimal::from(250_000_000_000u64),
            "x",
        )
        .into_string();
        assert!(bar.contains("0.4% — x"), "{bar}");
    }
}

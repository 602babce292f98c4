//! Properties of the flagship's evaluation over generated histories, each
//! worked out independently of the engine from the contract's wording:
//!
//! - money is exact: each quarter's revenue share is 20% of the revenue
//!   reported for that quarter while the share runs, rounded half-up to the
//!   cent (the contract's rounding), to the cent;
//! - nothing is owed outside the window: revenue earned in a quarter
//!   wholly before the contract takes effect, on or after the day AGI is
//!   verified, or after the term counts for nothing, whenever it is
//!   reported; a quarter partly in the window is shared for its days in it;
//! - nothing is granted outside the window: a release is covered by the
//!   licence only from the effective date through 2032-12-31, and never
//!   when it is consumer hardware.
//!
//! And of tier tables over generated bands and amounts: marginal tiers
//! come to the sum of their bands computed one by one with ordinary
//! arithmetic (`r of ((X capped at B) - A at least 0)`), and one-band tiers
//! give the rate of the band the amount falls in, by bounds counted by hand.
//!
//! And of accounts and caps over generated top-ups and usage: each movement
//! takes the balance from the one before by its amount, the closing
//! balance is the opening plus increases less decreases, and a monthly cap
//! leaves each month owing the lesser of the cap and what it would owe
//! without it.
//!
//! And of running totals over generated orders: the total an order sees
//! `in the same month` and `within the last 30 days` is the sum, counted
//! by hand, of itself and the orders before it in the record (by date, then
//! file order) in its month, or from the 29 days before its day to its day.
//!
//! And of groups of parties over generated joinings, leavings and acts:
//! the acts a group's prohibition forbids, and the day a `count ... by
//! GROUP` milestone is reached, are those a plain loop finds keeping the
//! set of members event by event (by date, then file order).
//!
//! And of ownership over generated makings and passings: each asset's
//! holder at the end, and the number of times its title passed, are those
//! a plain loop finds passing every asset made so far at each passing
//! event, and every later asset as it is made once the milestone is
//! reached.
//!
//! And of picks over generated offers: the `highest`, `lowest`, `latest`
//! and `previous` price an offer sees, over every offer so far, its month,
//! the last 30 days or the offers meeting a `where`, is the one found by a
//! plain loop over the offers up to it (before it, for `previous`), the
//! offers before the effective date counting for `latest` and `previous`
//! only.
//!
//! And of definitions `for each` period over generated sales: where an
//! event is in view one comes to what `total ... in the same PERIOD`
//! written in its place comes to, and in a payment for its period to the
//! period's `total`.
//!
//! And of `clause N paid in full` over generated payments against a fee and
//! a monthly support fee owed until the fee is paid: the day the fee is
//! paid, the months of support owed and what each has been paid are those
//! a plain loop finds settling payments oldest due first, assuming the fee
//! unpaid and then paid on the day found, until the two agree (and an
//! error when starting from the fee paid on the first day agrees on
//! another day).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::str::FromStr;

use jiff::civil::{Date, date};
use proptest::prelude::*;
use proviso::Contract;
use proviso::EventFormat;
use proviso::eval::outcome::{Coverage, Outcome};
use rust_decimal::{Decimal, RoundingStrategy};

fn flagship() -> Contract {
    let text = include_str!("../contracts/microsoft-openai-2025.proviso");
    Contract::parse("flagship", text).unwrap()
}

/// What the flagship makes of events (a JSON array) as of 2034-01-01.
fn evaluate(contract: &Contract, events: &str) -> Outcome {
    contract
        .evaluate(events, EventFormat::Json, Some(date(2034, 1, 1)))
        .unwrap()
        .outcome()
        .clone()
}

const EFFECTIVE: (i16, i8, i8) = (2025, 10, 28);
const TERM_END: (i16, i8, i8) = (2032, 12, 31);

fn day(offset: u16) -> Date {
    // From 2025-09-01 (before the contract) to past the term's end.
    date(2025, 9, 1)
        .checked_add(jiff::Span::new().days(i64::from(offset)))
        .unwrap()
}

fn quarter_of(d: Date) -> String {
    format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn the_revenue_share_is_exact_and_only_inside_its_window(
        reports in prop::collection::vec((0u16..2800, 0u64..5_000_000_000u64, 0u8..3), 0..25),
        agi in prop::option::of((0u16..2800, 0u16..400)),
    ) {
        let contract = flagship();
        let mut lines = Vec::new();
        let verified = agi.map(|(declared, after)| {
            let declared_on = day(declared);
            let verified_on = day(declared.saturating_add(after));
            lines.push(format!(r#"{{"type":"declare_agi","date":"{declared_on}","by":"openai"}}"#));
            lines.push(format!(r#"{{"type":"verify_agi","date":"{verified_on}","by":"panel"}}"#));
            verified_on
        });
        // Expected, from the wording: 20% of each quarter's revenue, for the
        // quarter it was earned in, whenever reported; the share runs from
        // the effective date through the day before AGI is verified, within
        // the term; a quarter only partly in that window is shared for its
        // days in it (prorated); rounded half-up to the cent.
        let effective = date(EFFECTIVE.0, EFFECTIVE.1, EFFECTIVE.2);
        let term_end = date(TERM_END.0, TERM_END.1, TERM_END.2);
        let window_end = verified.map_or(term_end, |v| v.yesterday().unwrap().min(term_end));
        let mut revenue: BTreeMap<String, (Date, Decimal)> = BTreeMap::new();
        for &(offset, cents, lag) in &reports {
            let reported = day(offset);
            // The quarter the revenue was earned in: the report's, or up to
            // two quarters before it.
            let earned = reported
                .checked_sub(jiff::Span::new().months(i64::from(lag) * 3))
                .unwrap();
            let quarter = quarter_of(earned);
            let amount = Decimal::new(i64::try_from(cents).unwrap(), 2);
            lines.push(format!(
                r#"{{"type":"report_revenue","date":"{reported}","by":"openai","quarter":"{quarter}","amount":"USD {amount}"}}"#
            ));
            let first = date(earned.year(), (earned.month() - 1) / 3 * 3 + 1, 1);
            revenue.entry(quarter).or_insert((first, Decimal::ZERO)).1 += amount;
        }
        let days = |a: Date, b: Date| i64::from(a.until(b).unwrap().get_days()) + 1;
        let expected: BTreeMap<String, Decimal> = revenue
            .into_iter()
            .filter_map(|(q, (first, total))| {
                let last = first.checked_add(jiff::Span::new().months(3)).unwrap().yesterday().unwrap();
                let (from, to) = (first.max(effective), last.min(window_end));
                if from > to {
                    return None;
                }
                let share = total * Decimal::from_str("0.20").unwrap();
                let share = if (from, to) == (first, last) {
                    share
                } else {
                    share * Decimal::from(days(from, to)) / Decimal::from(days(first, last))
                };
                Some((q, share.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)))
            })
            .collect();

        let text = format!("[{}]", lines.join(","));
        let outcome = evaluate(&contract, &text);
        let owed: BTreeMap<String, Decimal> = outcome
            .obligations
            .iter()
            .map(|o| {
                let p = o.period.unwrap();
                (quarter_of(p.first), o.amount.amount)
            })
            .collect();
        prop_assert_eq!(owed, expected);
    }

    #[test]
    fn nothing_is_granted_outside_the_licence(
        releases in prop::collection::vec((0u16..3000, 0u8..4), 0..30),
    ) {
        let contract = flagship();
        let kinds = ["model", "api_product", "non_api_product", "consumer_hardware"];
        let lines: Vec<String> = releases
            .iter()
            .map(|&(offset, kind)| {
                format!(
                    r#"{{"type":"release","date":"{}","by":"openai","product":"p","kind":"{}","open_weights":false,"meets_capability_criteria":false}}"#,
                    day(offset),
                    kinds[usize::from(kind)]
                )
            })
            .collect();
        let outcome = evaluate(&contract, &format!("[{}]", lines.join(",")));
        prop_assert_eq!(outcome.entitlements.len(), releases.len());
        let effective = date(EFFECTIVE.0, EFFECTIVE.1, EFFECTIVE.2);
        let term_end = date(TERM_END.0, TERM_END.1, TERM_END.2);
        for entitlement in &outcome.entitlements {
            let (offset, kind) = releases[entitlement.event];
            let released = day(offset);
            let inside = released >= effective && released <= term_end;
            let expected_covered = inside && kinds[usize::from(kind)] != "consumer_hardware";
            prop_assert_eq!(
                entitlement.coverage == Coverage::Covered,
                expected_covered,
                "release on {} of {}: {:?}", released, kinds[usize::from(kind)], entitlement.coverage
            );
            if !inside {
                prop_assert_eq!(&entitlement.coverage, &Coverage::OutsideWindow);
            }
        }
    }
}

/// A contract with one clause paying `amount` on each sale.
fn paying(amount: &str) -> Contract {
    let text = format!(
        r#"contract "Tiers" effective 2026-01-01 term through 2026-12-31
  currency USD
  settlement by payment
party seller "Seller"
party agent "Agent"
event sale by party {{ amount: money }}
event payment by party {{ to: party, amount: money }}
clause 1 "Commission"
  seller must pay agent {amount} on each sale due 30 days after the event
"#
    );
    Contract::parse("tiers", text).unwrap()
}

/// The amounts the clause owes for sales of the given amounts, in order.
fn owed_for(contract: &Contract, sales: &[Decimal]) -> Vec<Decimal> {
    let events: Vec<String> = sales
        .iter()
        .map(|a| {
            format!(
                r#"{{"type": "sale", "date": "2026-02-01", "by": "seller", "amount": "USD {a}"}}"#
            )
        })
        .collect();
    let outcome = evaluate_tiers(contract, &format!("[{}]", events.join(",")));
    outcome
        .obligations
        .iter()
        .map(|o| o.amount.amount.normalize())
        .collect()
}

fn evaluate_tiers(contract: &Contract, events: &str) -> Outcome {
    contract
        .evaluate(events, EventFormat::Json, Some(date(2026, 12, 31)))
        .unwrap()
        .outcome()
        .clone()
}

fn cents(n: u64) -> Decimal {
    Decimal::new(i64::try_from(n).unwrap(), 2)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    #[test]
    fn marginal_tiers_are_the_sum_of_their_bands(
        first in 1u64..100_000_000,
        widths in prop::collection::vec(1u64..100_000_000, 0..3),
        rates in prop::collection::vec(0u32..10_000, 4),
        sales in prop::collection::vec(0u64..400_000_000, 1..6),
        inclusive in prop::collection::vec(any::<bool>(), 4),
    ) {
        // Bounds in cents: first, first + w1, first + w1 + w2 ...
        let mut bounds = vec![first];
        for w in &widths {
            bounds.push(bounds.last().unwrap() + w);
        }
        let rate = |i: usize| Decimal::new(i64::from(rates[i]), 2);
        // Each band as written: `through B` or `below B`, then `above`.
        let mut bands: Vec<String> = bounds
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let word = if inclusive[i] { "through" } else { "below" };
                format!("{word} USD {}: {}%", cents(*b), rate(i))
            })
            .collect();
        bands.push(format!("above: {}%", rate(bounds.len())));
        let marginal = paying(&format!("marginal tiers of sale.amount ({})", bands.join(", ")));
        // The same bands, each worked out on its own: the part of the
        // amount between the band's lower and upper bounds.
        let mut parts = Vec::new();
        let mut lower = Decimal::ZERO;
        for (i, b) in bounds.iter().enumerate() {
            parts.push(format!(
                "({}% of (((sale.amount capped at USD {}) - USD {lower}) at least USD 0))",
                rate(i),
                cents(*b)
            ));
            lower = cents(*b);
        }
        parts.push(format!(
            "({}% of ((sale.amount - USD {lower}) at least USD 0))",
            rate(bounds.len())
        ));
        let by_hand = paying(&parts.join(" + "));
        let amounts: Vec<Decimal> = sales.iter().map(|s| cents(*s)).collect();
        let expected = owed_for(&by_hand, &amounts);
        prop_assert_eq!(expected.len(), amounts.len());
        prop_assert_eq!(owed_for(&marginal, &amounts), expected);
    }

    #[test]
    fn one_band_tiers_give_the_rate_of_the_band_the_amount_is_in(
        first in 1u64..1_000_000,
        widths in prop::collection::vec(1u64..1_000_000, 0..3),
        inclusive in prop::collection::vec(any::<bool>(), 4),
        picks in prop::collection::vec((0usize..4, -1i64..=1), 1..6),
    ) {
        let mut bounds = vec![first];
        for w in &widths {
            bounds.push(bounds.last().unwrap() + w);
        }
        // Band i pays (i + 1)%, so the rate names the band.
        let mut bands: Vec<String> = bounds
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let word = if inclusive[i] { "through" } else { "below" };
                format!("{word} USD {}: {}%", cents(*b), i + 1)
            })
            .collect();
        bands.push(format!("above: {}%", bounds.len() + 1));
        let tiers = paying(&format!("(tiers of sale.amount ({})) of USD 100", bands.join(", ")));
        // Amounts on, just under and just over each bound (a tenth of a cent).
        let amounts: Vec<Decimal> = picks
            .iter()
            .map(|(i, nudge)| {
                let b = cents(bounds[i % bounds.len()]);
                (b + Decimal::new(*nudge, 3)).max(Decimal::ZERO)
            })
            .collect();
        let expected: Vec<Decimal> = amounts
            .iter()
            .map(|a| {
                // The first band whose bound holds the amount: at or under
                // a `through` bound, strictly under a `below` bound.
                let band = bounds
                    .iter()
                    .enumerate()
                    .position(|(i, b)| {
                        let b = cents(*b);
                        if inclusive[i] { *a <= b } else { *a < b }
                    })
                    .unwrap_or(bounds.len());
                Decimal::from(band + 1)
            })
            .collect();
        prop_assert_eq!(owed_for(&tiers, &amounts), expected);
    }
}

/// A prepaid account topped up and drawn on, with monthly interest on a
/// positive balance, and every usage a payment capped at USD 300.00 a month.
fn prepaid() -> Contract {
    Contract::parse(
        "prepaid",
        r#"contract "Prepaid" effective 2026-01-01 term through 2026-12-31
  currency USD
  settlement by payment
party customer
party provider
event top_up by party { amount: money }
event usage by party { amount: money }
event payment by party { to: party, amount: money }
account credits "Prepaid credits"
  opening USD 100.00 on 2026-01-01
  increased by top_up.amount on each top_up by customer
  decreased by usage.amount on each usage by customer
  increased by 1% of (balance of credits at least USD 0) rounded half-up to 0.01
    at the end of each month
clause 1 "Usage fee"
  customer must pay provider 10% of usage.amount on each usage by customer
clause 2 "Cap"
  total owed by customer under clause 1 capped at USD 300.00 for each month
"#,
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    /// Every movement takes the balance from the one before it by its
    /// amount, the first from the opening amount; the closing balance is
    /// the opening plus the increases less the decreases; and the caps
    /// leave each month owing the lesser of the cap and what it would owe
    /// uncapped, each obligation no more than uncapped.
    #[test]
    fn an_account_closes_at_its_movements_and_a_cap_holds_each_month(
        events in prop::collection::vec((0u16..360, any::<bool>(), 1u64..500_000), 0..40)
    ) {
        let contract = prepaid();
        let mut sorted = events.clone();
        sorted.sort_by_key(|(offset, _, _)| *offset);
        let json: Vec<String> = sorted
            .iter()
            .map(|(offset, top_up, cents_amount)| {
                let kind = if *top_up { "top_up" } else { "usage" };
                format!(
                    r#"{{"type": "{kind}", "date": "{}", "by": "customer", "amount": "USD {}"}}"#,
                    date(2026, 1, 1).checked_add(jiff::Span::new().days(i64::from(*offset))).unwrap(),
                    cents(*cents_amount)
                )
            })
            .collect();
        let outcome = contract
            .evaluate(&format!("[{}]", json.join(",")), EventFormat::Json, Some(date(2026, 12, 31)))
            .unwrap()
            .outcome()
            .clone();
        let statement = &outcome.accounts[0];
        let mut balance = statement.opening.amount;
        let (mut up, mut down) = (Decimal::ZERO, Decimal::ZERO);
        for entry in &statement.entries {
            prop_assert_eq!(entry.before.amount, balance);
            balance = match entry.direction {
                proviso::ast::Direction::Increased => { up += entry.amount.amount; balance + entry.amount.amount }
                proviso::ast::Direction::Decreased => { down += entry.amount.amount; balance - entry.amount.amount }
            };
            prop_assert_eq!(entry.balance.amount, balance);
        }
        prop_assert_eq!(statement.balance.unwrap().amount, statement.opening.amount + up - down);
        // Each month's usage fees: 10% of each usage, capped at 300.00.
        let mut uncapped: BTreeMap<(i16, i8), Decimal> = BTreeMap::new();
        for (offset, top_up, cents_amount) in &sorted {
            if !*top_up {
                let d = date(2026, 1, 1).checked_add(jiff::Span::new().days(i64::from(*offset))).unwrap();
                *uncapped.entry((d.year(), d.month())).or_default() += cents(*cents_amount) * Decimal::new(1, 1);
            }
        }
        let mut owed: BTreeMap<(i16, i8), Decimal> = BTreeMap::new();
        for o in &outcome.obligations {
            *owed.entry((o.raised.year(), o.raised.month())).or_default() += o.amount.amount;
            let before = o.capped.first().map_or(o.amount.amount, |c| c.before.amount);
            prop_assert!(o.amount.amount <= before);
        }
        for (month, total) in &uncapped {
            let cap = Decimal::new(30_000, 2);
            prop_assert_eq!(owed.get(month).copied().unwrap_or_default(), (*total).min(cap), "{:?}", month);
        }
    }
}

fn volume_caps() -> Contract {
    Contract::parse(
        "caps.proviso",
        r#"contract "Volume caps"
  effective 2026-01-01
  term through 2026-12-31
  currency USD

party buyer "Buyer"

event order by party { units: number, urgent: bool }

clause 1 "Monthly cap"
  buyer must not order where total order.units in the same month > 1,000

clause 2 "Rolling cap on urgent orders"
  buyer must not order where (total order.units within the last 30 days where urgent) > 500
"#,
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Each order's running totals, counted by hand from the orders before
    /// it and itself, decide the violations of both caps.
    #[test]
    fn running_totals_count_the_orders_before_and_the_order_itself(
        orders in prop::collection::vec((0u16..150, 1u64..400, any::<bool>()), 0..40)
    ) {
        let contract = volume_caps();
        let mut sorted = orders.clone();
        // Same-day orders keep the order generated: a stable sort.
        sorted.sort_by_key(|(offset, _, _)| *offset);
        let start = date(2026, 1, 1);
        let on = |offset: u16| start.checked_add(jiff::Span::new().days(i64::from(offset))).unwrap();
        let json: Vec<String> = sorted
            .iter()
            .map(|(offset, units, urgent)| {
                format!(r#"{{"type": "order", "date": "{}", "by": "buyer", "units": {units}, "urgent": {urgent}}}"#, on(*offset))
            })
            .collect();
        let outcome = contract
            .evaluate(&format!("[{}]", json.join(",")), EventFormat::Json, Some(date(2026, 12, 31)))
            .unwrap()
            .outcome()
            .clone();
        let mut expected: Vec<(String, usize)> = Vec::new();
        for (i, (offset, _, _)) in sorted.iter().enumerate() {
            let day = on(*offset);
            let upto = &sorted[..=i];
            let month: u64 = upto
                .iter()
                .filter(|(o, _, _)| { let d = on(*o); (d.year(), d.month()) == (day.year(), day.month()) })
                .map(|(_, u, _)| *u)
                .sum();
            // Within the last 30 days: from 29 days before its day.
            let rolling: u64 = upto
                .iter()
                .filter(|(o, _, urgent)| *urgent && *o + 30 > *offset)
                .map(|(_, u, _)| *u)
                .sum();
            if month > 1_000 {
                expected.push(("1".to_string(), i));
            }
            if rolling > 500 {
                expected.push(("2".to_string(), i));
            }
        }
        expected.sort();
        let mut found: Vec<(String, usize)> = outcome
            .violations
            .iter()
            .map(|v| ((v.clause.index() + 1).to_string(), v.event))
            .collect();
        found.sort();
        prop_assert_eq!(found, expected);
    }
}

/// The picks under test, one clause each, in clause order: each pays its
/// pick's value on each offer, so that the obligation's amount is the value.
const PICKS: [&str; 10] = [
    "highest offer.price within the last 30 days",
    "lowest offer.price within the last 30 days",
    "latest offer.price within the last 30 days",
    "latest offer.price in the same month",
    "(previous offer.price otherwise USD 0.00)",
    "highest offer.price",
    "lowest offer.price in the same month",
    "(previous offer.price within the last 30 days otherwise USD 0.00)",
    "(latest offer.price where firm otherwise USD 0.00)",
    "(highest offer.price within the last 30 days where firm otherwise USD 0.00)",
];

fn price_picks() -> Contract {
    let clauses: Vec<String> = PICKS
        .iter()
        .enumerate()
        .map(|(i, pick)| {
            format!(
                "clause {} \"Pick {}\"\n  supplier must pay buyer {pick} on each offer due 30 days after the event\n",
                i + 1,
                i + 1
            )
        })
        .collect();
    let text = format!(
        r#"contract "Picks"
  effective 2026-01-01
  term through 2026-12-31
  currency USD
  settlement by payment

party buyer "Buyer"
party supplier "Supplier"

event offer by party {{ price: money, firm: bool }}
event payment by party {{ to: party, amount: money }}

{}"#,
        clauses.join("\n")
    );
    Contract::parse("picks.proviso", text).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Each offer's picks, worked out by hand from the offers before it (in
    /// date, then file order) and itself, are what each clause owes on it:
    /// `highest`/`lowest` from the effective date, `latest`/`previous` from
    /// any time; `within the last 30 days` from the 29 days before its day;
    /// `previous` never the offer itself.
    #[test]
    fn picks_take_the_value_of_one_offer_up_to_the_offer_in_view(
        offers in prop::collection::vec((0u16..150, 1u64..100_000, any::<bool>()), 1..40)
    ) {
        let contract = price_picks();
        let mut sorted = offers.clone();
        // Same-day offers keep the order generated: a stable sort.
        sorted.sort_by_key(|(offset, _, _)| *offset);
        // From 2025-11-15: some offers come before the contract.
        let start = date(2025, 11, 15);
        let effective = date(2026, 1, 1);
        let on = |offset: u16| start.checked_add(jiff::Span::new().days(i64::from(offset))).unwrap();
        let json: Vec<String> = sorted
            .iter()
            .map(|(offset, price, firm)| {
                format!(
                    r#"{{"type": "offer", "date": "{}", "by": "supplier", "price": "USD {}", "firm": {firm}}}"#,
                    on(*offset),
                    cents(*price)
                )
            })
            .collect();
        let outcome = contract
            .evaluate(&format!("[{}]", json.join(",")), EventFormat::Json, Some(date(2026, 12, 31)))
            .unwrap()
            .outcome()
            .clone();
        let mut found: BTreeMap<(usize, usize), Decimal> = BTreeMap::new();
        for o in &outcome.obligations {
            prop_assert_eq!(o.events.len(), 1);
            let previous = found.insert((o.clause.index(), o.events[0]), o.amount.amount);
            prop_assert!(previous.is_none(), "two obligations for one offer and clause");
        }
        // What `otherwise` gives when there is nothing to pick.
        let none = cents(0);
        let mut expected: BTreeMap<(usize, usize), Decimal> = BTreeMap::new();
        for (i, &(offset, _, _)) in sorted.iter().enumerate() {
            let day = on(offset);
            if day < effective {
                // Nothing is owed on an offer before the contract.
                continue;
            }
            let month = |o: u16| {
                let d = on(o);
                (d.year(), d.month()) == (day.year(), day.month())
            };
            // Within the last 30 days: from 29 days before its day.
            let recent = |o: u16| o + 30 > offset;
            let under = |o: u16| on(o) >= effective;
            // The offers up to and including this one, and those before it.
            let upto = &sorted[..=i];
            let before = &sorted[..i];
            let prices = |list: &[(u16, u64, bool)], keep: &dyn Fn(u16, bool) -> bool| -> Vec<u64> {
                list.iter().filter(|(o, _, f)| keep(*o, *f)).map(|(_, p, _)| *p).collect()
            };
            let max = |v: Vec<u64>| v.into_iter().max().map(cents);
            let min = |v: Vec<u64>| v.into_iter().min().map(cents);
            let last = |v: Vec<u64>| v.last().copied().map(cents);
            let values = [
                max(prices(upto, &|o, _| under(o) && recent(o))),
                min(prices(upto, &|o, _| under(o) && recent(o))),
                last(prices(upto, &|o, _| recent(o))),
                last(prices(upto, &|o, _| month(o))),
                last(prices(before, &|_, _| true)).or(Some(none)),
                max(prices(upto, &|o, _| under(o))),
                min(prices(upto, &|o, _| under(o) && month(o))),
                last(prices(before, &|o, _| recent(o))).or(Some(none)),
                last(prices(upto, &|_, f| f)).or(Some(none)),
                max(prices(upto, &|o, f| f && under(o) && recent(o))).or(Some(none)),
            ];
            for (clause, value) in values.into_iter().enumerate() {
                expected.insert((clause, i), value.unwrap());
            }
        }
        prop_assert_eq!(found, expected);
    }
}

fn group_contract() -> Contract {
    Contract::parse(
        "groups.proviso",
        r#"contract "Groups"
  effective 2026-01-01
  term through 2026-12-31

party p0 "P0"
party p1 "P1"
party p2 "P2"
party p3 "P3"

group g = p0
  joins on join.company
  leaves on leave.company

event join by party { company: party }
event leave by party { company: party }
event act by party { }

milestone third: count act by g reaches 3

clause 1 "No acts by the group"
  g must not act
"#,
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Who belongs, event by event, decides the breaches and the day the
    /// count reaches three.
    #[test]
    fn a_group_binds_exactly_the_parties_that_belong_as_each_event_comes(
        events in prop::collection::vec((0u16..60, 0u8..3, 0u8..4), 0..40)
    ) {
        let contract = group_contract();
        let mut sorted = events.clone();
        sorted.sort_by_key(|(offset, _, _)| *offset);
        let start = date(2026, 1, 1);
        let on = |offset: u16| start.checked_add(jiff::Span::new().days(i64::from(offset))).unwrap();
        let json: Vec<String> = sorted
            .iter()
            .map(|(offset, kind, party)| match kind {
                0 => format!(r#"{{"type": "join", "date": "{}", "by": "p0", "company": "p{party}"}}"#, on(*offset)),
                1 => format!(r#"{{"type": "leave", "date": "{}", "by": "p0", "company": "p{party}"}}"#, on(*offset)),
                _ => format!(r#"{{"type": "act", "date": "{}", "by": "p{party}"}}"#, on(*offset)),
            })
            .collect();
        let outcome = contract
            .evaluate(&format!("[{}]", json.join(",")), EventFormat::Json, Some(date(2026, 12, 31)))
            .unwrap()
            .outcome()
            .clone();
        let mut members = std::collections::BTreeSet::from([0u8]);
        let mut breaches = Vec::new();
        let mut acts = 0;
        let mut third = None;
        for (i, (offset, kind, party)) in sorted.iter().enumerate() {
            match kind {
                0 => { members.insert(*party); }
                1 => { members.remove(party); }
                _ => {
                    if members.contains(party) {
                        breaches.push(i);
                        acts += 1;
                        if acts == 3 && third.is_none() {
                            third = Some(on(*offset));
                        }
                    }
                }
            }
        }
        let found: Vec<usize> = outcome.violations.iter().map(|v| v.event).collect();
        prop_assert_eq!(found, breaches);
        let reached = outcome.milestones.first().and_then(|m| m.reached.as_ref()).map(|r| r.date);
        prop_assert_eq!(reached, third);
    }
}

fn ownership_contract() -> Contract {
    Contract::parse(
        "ownership.proviso",
        r#"contract "Ownership"
  effective 2026-01-01
  term through 2026-12-31

party maker "Maker"
party buyer "Buyer"
party bank "Bank"

event build by party { }
event settle by party { }
event pledge by party { }

milestone third_pledge: count pledge reaches 3

clause 1 "Title"
  maker owns assets made by build
    title passes to buyer on settle
    title passes to bank on pledge
    title passes to maker once third_pledge
"#,
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Each asset ends with the holder, and has passed as many times, as
    /// a plain loop over the events says.
    #[test]
    fn title_passes_as_a_plain_loop_over_the_events_says(
        events in prop::collection::vec((0u16..60, 0u8..3), 0..40)
    ) {
        let contract = ownership_contract();
        let mut sorted = events.clone();
        sorted.sort_by_key(|(offset, _)| *offset);
        let start = date(2026, 1, 1);
        let on = |offset: u16| start.checked_add(jiff::Span::new().days(i64::from(offset))).unwrap();
        let kinds = ["build", "settle", "pledge"];
        let json: Vec<String> = sorted
            .iter()
            .map(|(offset, kind)| format!(r#"{{"type": "{}", "date": "{}", "by": "maker"}}"#, kinds[usize::from(*kind)], on(*offset)))
            .collect();
        let outcome = contract
            .evaluate(&format!("[{}]", json.join(",")), EventFormat::Json, Some(date(2026, 12, 31)))
            .unwrap()
            .outcome()
            .clone();
        // (the event that made it, its holder, how many times it passed)
        let mut assets: Vec<(usize, &str, usize)> = Vec::new();
        let mut pledges = 0;
        // The milestone is reached by the third pledge: everything made up
        // to it passes back to the maker, and later assets are the maker's
        // as they are made (they are anyway: it passes nothing then).
        let pass = |assets: &mut Vec<(usize, &str, usize)>, to: &'static str| {
            for asset in assets.iter_mut() {
                if asset.1 != to {
                    asset.1 = to;
                    asset.2 += 1;
                }
            }
        };
        for (i, (_, kind)) in sorted.iter().enumerate() {
            match kind {
                0 => assets.push((i, "maker", 0)),
                1 => pass(&mut assets, "buyer"),
                _ => {
                    pass(&mut assets, "bank");
                    pledges += 1;
                    if pledges == 3 {
                        pass(&mut assets, "maker");
                    }
                }
            }
        }
        let names = ["maker", "buyer", "bank"];
        let found: Vec<(usize, &str, usize)> = outcome
            .assets
            .iter()
            .map(|a| (a.made_by, names[a.owner.index()], a.passed.len()))
            .collect();
        prop_assert_eq!(found, assets);
    }
}

const SUPPORT_UNTIL_PAID: &str = r#"
contract "Support until paid" effective 2026-01-01 term through 2026-12-31
  currency USD
  settlement by payment
party licensee "Harbour Retail plc"
party licensor "Forge Code Ltd"
event payment by party { to: party, amount: money }
milestone fee_paid: clause 1 paid in full
clause 1 "Licence fee"
  licensee must pay licensor USD 3,000.00
    due 2026-12-31
clause 2 "Support until the fee is paid"
  licensee must pay licensor USD 500.00
    for each month
    until fee_paid
    due 10 days after the end of the period
"#;

/// One obligation of the plain loop: (clause, raised, due, amount, paid,
/// the day and payment index that completed it).
type Owed = (u8, Date, Date, Decimal, Decimal, Option<(Date, usize)>);

/// The obligations of the support contract with the fee taken as paid on
/// `paid` (support owed for each month that starts before that day, as
/// `until` ends the window the day before), settled by the payments oldest
/// due first (the fee, of clause 1, before support due the same day).
fn settle_support(payments: &[(Date, Decimal)], paid: Option<Date>, as_of: Date) -> Vec<Owed> {
    let mut owed: Vec<Owed> = vec![(
        1,
        date(2026, 1, 1),
        date(2026, 12, 31),
        Decimal::from(3000),
        Decimal::ZERO,
        None,
    )];
    for month in 1..=12i8 {
        let start = date(2026, month, 1);
        if start > as_of || paid.is_some_and(|day| start >= day) {
            continue;
        }
        let due = if month == 12 {
            date(2027, 1, 10)
        } else {
            date(2026, month + 1, 10)
        };
        owed.push((2, start, due, Decimal::from(500), Decimal::ZERO, None));
    }
    let mut order: Vec<usize> = (0..owed.len()).collect();
    order.sort_by_key(|&i| (owed[i].2, owed[i].0));
    for (index, &(day, amount)) in payments.iter().enumerate() {
        let mut left = amount;
        for &i in &order {
            let o = &mut owed[i];
            if left.is_zero() || o.1 > day || o.4 >= o.3 {
                continue;
            }
            let applied = left.min(o.3 - o.4);
            o.4 += applied;
            left -= applied;
            if o.4 >= o.3 {
                o.5 = Some((day, index));
            }
        }
    }
    owed
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The fee is paid, and support owed, as a plain loop settling the
    /// payments says, the loop run again with the fee paid on the day it
    /// found until the day stops moving.
    #[test]
    fn a_clause_is_paid_in_full_when_a_plain_loop_settling_the_payments_says(
        payments in prop::collection::vec((0u16..365, 1u32..=2000), 0..12),
        as_of in 150u16..365,
    ) {
        let contract = Contract::parse("support.proviso", SUPPORT_UNTIL_PAID).unwrap();
        let start = date(2026, 1, 1);
        let on = |offset: u16| start.checked_add(jiff::Span::new().days(i64::from(offset))).unwrap();
        let as_of = on(as_of);
        let mut sorted: Vec<(Date, Decimal)> = payments
            .iter()
            .map(|&(day, amount)| (on(day), Decimal::from(amount)))
            .filter(|&(day, _)| day <= as_of)
            .collect();
        sorted.sort_by_key(|&(day, _)| day);
        let json: Vec<String> = sorted
            .iter()
            .map(|(day, amount)| format!(r#"{{"type": "payment", "date": "{day}", "by": "licensee", "to": "licensor", "amount": "USD {amount}.00"}}"#))
            .collect();
        // The fixed point, by hand: assume unpaid, settle, take the day the
        // fee was completed, settle again, until it stops moving; then the
        // same from the fee paid on the effective date. Two different
        // answers are two readings, and an error as much as none.
        let agree = |mut assumed: Option<Date>| {
            let mut tried: Vec<Option<Date>> = Vec::new();
            loop {
                let owed = settle_support(&sorted, assumed, as_of);
                let found = owed[0].5.map(|(day, _)| day);
                if found == assumed {
                    break Some(owed);
                }
                tried.push(assumed);
                assumed = found;
                if tried.contains(&assumed) {
                    break None;
                }
            }
        };
        let low = agree(None);
        let high = agree(Some(start));
        let expected = match (low, high) {
            (Some(low), Some(high)) if low[0].5.map(|p| p.0) != high[0].5.map(|p| p.0) => None,
            (low, _) => low,
        };
        let result = contract.evaluate(&format!("[{}]", json.join(",")), EventFormat::Json, Some(as_of));
        let Some(expected) = expected else {
            let Err(problems) = result else {
                panic!("no agreement is an error");
            };
            prop_assert!(problems.render().contains("E0411"));
            return Ok(());
        };
        let outcome = result.unwrap().outcome().clone();
        let reached = outcome.milestones[0].reached.as_ref().map(|r| (r.date, r.events.clone()));
        // `seq` counts events from 0 in the order given, which is by date.
        let expected_reached = expected[0].5.map(|(day, index)| (day, vec![index]));
        prop_assert_eq!(reached, expected_reached);
        let mut found: Vec<(u8, Date, Decimal)> = outcome
            .obligations
            .iter()
            .map(|o| (if o.clause.index() == 0 { 1 } else { 2 }, o.due.unwrap(), o.paid))
            .collect();
        found.sort();
        let mut wanted: Vec<(u8, Date, Decimal)> = expected.iter().map(|o| (o.0, o.2, o.4)).collect();
        wanted.sort();
        prop_assert_eq!(found, wanted);
    }
}

/// The allocation contract with its monthly and quarterly totals written
/// as `body` says (`{units}` and `{value}` stand for the two totals).
fn allocation_contract(units: &str, value: &str, defined: &str) -> Contract {
    let text = format!(
        r#"
contract "Allocation" effective 2026-01-01 term through 2026-12-31
  currency USD
  settlement by payment
party seller "Harbour Retail plc"
party maker "Forge Devices Ltd"
event sell by party {{ units: number, value: money }}
event payment by party {{ to: party, amount: money }}
{defined}
clause 1 "Monthly allocation"
  seller must not sell where {units} > 100
clause 2 "Royalty"
  seller must pay maker 2% of {value}
    for each quarter
    due 30 days after the end of the period
"#
    );
    Contract::parse("allocation.proviso", text).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A definition `for each month` about a sale is the month so far, as
    /// `in the same month` is; in a quarterly payment, `for each quarter`
    /// is the quarter's total.
    #[test]
    fn a_definition_for_each_period_means_the_total_written_in_its_place(
        sales in prop::collection::vec((0u16..365, 1u32..80), 0..30)
    ) {
        let by_definition = allocation_contract(
            "monthly_units",
            "quarterly_value",
            "define monthly_units = total sell.units for each month\ndefine quarterly_value = total sell.value for each quarter",
        );
        let written = allocation_contract("(total sell.units in the same month)", "total sell.value", "");
        let start = date(2026, 1, 1);
        let mut sorted = sales.clone();
        sorted.sort_by_key(|(day, _)| *day);
        let json: Vec<String> = sorted
            .iter()
            .map(|(day, units)| {
                let day = start.checked_add(jiff::Span::new().days(i64::from(*day))).unwrap();
                format!(r#"{{"type": "sell", "date": "{day}", "by": "seller", "units": {units}, "value": "USD {units}.00"}}"#)
            })
            .collect();
        let events = format!("[{}]", json.join(","));
        let as_of = Some(date(2026, 12, 31));
        let a = by_definition.evaluate(&events, EventFormat::Json, as_of).unwrap().outcome().clone();
        let b = written.evaluate(&events, EventFormat::Json, as_of).unwrap().outcome().clone();
        let violations = |o: &Outcome| o.violations.iter().map(|v| v.event).collect::<Vec<_>>();
        let owed = |o: &Outcome| o.obligations.iter().map(|o| (o.due, o.amount.amount)).collect::<Vec<_>>();
        prop_assert_eq!(violations(&a), violations(&b));
        prop_assert_eq!(owed(&a), owed(&b));
        // Not vacuous: a month past 100 units is a violation.
        let mut months: BTreeMap<i8, u32> = BTreeMap::new();
        let mut expected = 0;
        for (day, units) in &sorted {
            let month = start.checked_add(jiff::Span::new().days(i64::from(*day))).unwrap().month();
            let so_far = months.entry(month).or_default();
            *so_far += units;
            if *so_far > 100 {
                expected += 1;
            }
        }
        prop_assert_eq!(a.violations.len(), expected);
    }
}

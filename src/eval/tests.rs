//! Evaluation of the flagship and of small contracts, end to end through
//! the engine and the rules, with every amount and date worked out by hand
//! from the contract's wording.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::str::FromStr;

use jiff::civil::date;

use rust_decimal::Decimal;

use super::engine::Engine;
use super::outcome::*;
use super::{Decoder, Evaluation, Event};
use crate::ast::{Currency, Money};
use crate::model::{Checked, ClauseId};
use crate::{Limits, SourceFile};
use jiff::civil::Date;

/// What a contract makes of events in any order (same-date events keep
/// their order in the file), as of a date.
trait EvaluateAll {
    fn evaluate(
        &self,
        events: &[Event],
        as_of: jiff::civil::Date,
    ) -> Result<Outcome, crate::Diagnostic>;
}

impl EvaluateAll for Engine<'_> {
    fn evaluate(
        &self,
        events: &[Event],
        as_of: jiff::civil::Date,
    ) -> Result<Outcome, crate::Diagnostic> {
        let mut ordered: Vec<&Event> = events.iter().collect();
        ordered.sort_by_key(|e| (e.date, e.seq));
        let mut evaluation = Evaluation::new(self, Some(as_of));
        for event in ordered {
            evaluation.push(event.clone())?;
        }
        evaluation.finish(as_of)
    }
}

fn flagship() -> Checked {
    let text = include_str!("../../contracts/microsoft-openai-2025.proviso");
    crate::check_source(&SourceFile::new("flagship", text), &Limits::default())
        .checked
        .expect("the flagship checks")
}

fn clause(contract: &Checked, number: &str) -> ClauseId {
    contract
        .clauses()
        .find(|(_, c)| c.number.node.to_string() == number)
        .unwrap()
        .0
}

fn usd(amount: &str) -> Money {
    Money {
        currency: Currency(*b"USD"),
        amount: Decimal::from_str(amount).unwrap(),
    }
}

const EVENTS: &str = r#"[
  {"type": "report_revenue", "date": "2026-04-20", "by": "openai", "quarter": "2026-Q1", "amount": "USD 10,000,000.00"},
  {"type": "report_revenue", "date": "2026-07-15", "by": "openai", "quarter": "2026-Q2", "amount": "USD 12,500,000.00"},
  {"type": "payment", "date": "2026-05-10", "by": "openai", "to": "microsoft", "amount": "USD 2,000,000.00"},
  {"type": "serve", "date": "2026-08-01", "by": "openai", "product": "joint api", "kind": "api_product", "cloud": "aws", "customer": "commercial", "with_third_party": true},
  {"type": "serve", "date": "2026-08-02", "by": "openai", "product": "joint api", "kind": "api_product", "cloud": "aws", "customer": "us_national_security", "with_third_party": true},
  {"type": "serve", "date": "2026-08-03", "by": "openai", "product": "chat app", "kind": "non_api_product", "cloud": "gcp", "customer": "commercial", "with_third_party": true},
  {"type": "release", "date": "2026-09-01", "by": "openai", "product": "device", "kind": "consumer_hardware", "open_weights": false, "meets_capability_criteria": false},
  {"type": "release", "date": "2026-09-02", "by": "openai", "product": "model-7", "kind": "model", "open_weights": false, "meets_capability_criteria": false},
  {"type": "release", "date": "2033-01-01", "by": "openai", "product": "model-9", "kind": "model", "open_weights": false, "meets_capability_criteria": false},
  {"type": "release", "date": "2032-12-31", "by": "openai", "product": "model-8", "kind": "model", "open_weights": false, "meets_capability_criteria": false},
  {"type": "buy_compute", "date": "2026-10-01", "by": "openai", "provider": "azure", "amount": "USD 1,000,000,000.00"},
  {"type": "buy_compute", "date": "2026-10-02", "by": "openai", "provider": "aws", "amount": "USD 500,000,000.00"},
  {"type": "declare_agi", "date": "2030-01-10", "by": "openai"},
  {"type": "verify_agi", "date": "2030-05-20", "by": "panel"},
  {"type": "report_revenue", "date": "2030-04-15", "by": "openai", "quarter": "2030-Q1", "amount": "USD 40,000,000.00"},
  {"type": "report_revenue", "date": "2030-07-15", "by": "openai", "quarter": "2030-Q2", "amount": "USD 50,000,000.00"}
]"#;

fn evaluate(contract: &Checked, as_of: Date) -> Outcome {
    let (events, diagnostics) = Decoder::new(contract).json(EVENTS);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    Engine::new(contract).evaluate(&events, as_of).unwrap()
}

#[test]
fn revenue_share_per_quarter_until_agi_is_verified() {
    let c = flagship();
    let outcome = evaluate(&c, date(2030, 12, 31));
    let share = clause(&c, "1");
    let owed: Vec<(Money, Option<Date>, Status)> = outcome
        .obligations
        .iter()
        .filter(|o| o.clause == share)
        .map(|o| (o.amount, o.due, o.status))
        .collect();
    assert_eq!(
        owed,
        [
            // Q1 2026: 20% of 10,000,000.00, due 45 days after 2026-03-31; paid on 2026-05-10.
            (
                usd("2000000.00"),
                Some(date(2026, 5, 15)),
                Status::Discharged
            ),
            // Q2 2026: 20% of 12,500,000.00, due 45 days after 2026-06-30; never paid.
            (usd("2500000.00"), Some(date(2026, 8, 14)), Status::Overdue),
            // Q1 2030, reported after AGI was declared but before it was
            // verified on 2030-05-20: still shared. 20% of 40,000,000.00.
            (usd("8000000.00"), Some(date(2030, 5, 15)), Status::Overdue),
            // Q2 2030, reported after verification on 2030-05-20: earned
            // partly before it, so shared for its days in the window, 1 April
            // through 19 May = 49 of 91 days: 20% of 50,000,000.00 × 49/91 =
            // 5,384,615.3846..., rounded half-up to 5,384,615.38; due 45 days
            // after 2030-06-30.
            (usd("5384615.38"), Some(date(2030, 8, 14)), Status::Overdue),
        ]
    );
    let agi = &outcome.milestones[0];
    assert_eq!(
        agi.reached.as_ref().map(|r| r.date),
        Some(date(2030, 5, 20))
    );
}

#[test]
fn azure_exclusivity_and_its_carve_outs() {
    let c = flagship();
    let outcome = evaluate(&c, date(2030, 12, 31));
    // Only the commercial API product served with a third party on AWS
    // (event 3) breaches clause 4; the national-security one (event 4) is
    // lifted by clause 4.2; the non-API product (event 5) is not an API
    // product at all.
    let violations: Vec<(ClauseId, usize, Option<ClauseId>)> = outcome
        .violations
        .iter()
        .map(|v| (v.clause, v.event, v.conflicting))
        .collect();
    assert_eq!(violations, [(clause(&c, "4"), 3, None)]);
    assert_eq!(outcome.violations[0].exceptions, [clause(&c, "4.2")]);
}

#[test]
fn the_licence_covers_models_but_not_consumer_hardware_nor_after_the_term() {
    let c = flagship();
    let outcome = evaluate(&c, date(2033, 6, 30));
    let licence = clause(&c, "3");
    let coverage: Vec<(usize, Coverage)> = outcome
        .entitlements
        .iter()
        .filter(|e| e.clause == licence)
        .map(|e| (e.event, e.coverage.clone()))
        .collect();
    assert_eq!(
        coverage,
        [
            (
                6,
                Coverage::Excluded {
                    clause: clause(&c, "3.1")
                }
            ),
            (7, Coverage::Covered),
            // Released on the last day of the term: covered (the window
            // runs `through 2032-12-31`, that day included).
            (9, Coverage::Covered),
            // The day after: outside.
            (8, Coverage::OutsideWindow),
        ]
    );
}

#[test]
fn in_2019_compute_from_another_provider_was_a_breach() {
    let text = include_str!("../../contracts/microsoft-openai-2019.proviso");
    let c = crate::check_source(&SourceFile::new("2019", text), &Limits::default())
        .checked
        .expect("checks");
    let events = r#"[
      {"type": "buy_compute", "date": "2024-03-01", "by": "openai", "provider": "oracle", "amount": "USD 1,000.00"},
      {"type": "buy_compute", "date": "2024-03-02", "by": "openai", "provider": "azure", "amount": "USD 1,000.00"}
    ]"#;
    let (events, _) = Decoder::new(&c).json(events);
    let outcome = Engine::new(&c)
        .evaluate(&events, date(2024, 12, 31))
        .unwrap();
    let violations: Vec<(ClauseId, usize)> = outcome
        .violations
        .iter()
        .map(|v| (v.clause, v.event))
        .collect();
    assert_eq!(violations, [(clause(&c, "4"), 0)]);
    // Under 2025, the same purchase is permitted (clause 7) and breaches nothing.
    let c2025 = flagship();
    let (events, _) = Decoder::new(&c2025).json(
        r#"[{"type": "buy_compute", "date": "2026-03-01", "by": "openai", "provider": "oracle", "amount": "USD 1,000.00"}]"#,
    );
    assert!(
        Engine::new(&c2025)
            .evaluate(&events, date(2026, 12, 31))
            .unwrap()
            .violations
            .is_empty()
    );
}

#[test]
fn a_permission_without_priority_is_a_conflict_not_a_pick() {
    let text = r#"contract "T" effective 2026-01-01 term through 2026-12-31
        party a
        category cloud: azure | aws
        event serve by party { cloud: cloud }
        clause 1 "Azure only" a must not serve unless cloud is azure
        clause 2 "AWS allowed" a may serve where cloud is aws"#;
    let c = crate::check_source(&SourceFile::new("t", text), &Limits::default())
        .checked
        .expect("checks");
    let (events, _) = Decoder::new(&c)
        .json(r#"[{"type": "serve", "date": "2026-02-01", "by": "a", "cloud": "aws"}]"#);
    let outcome = Engine::new(&c)
        .evaluate(&events, date(2026, 12, 31))
        .unwrap();
    let found: Vec<(ClauseId, usize, Option<ClauseId>)> = outcome
        .violations
        .iter()
        .map(|v| (v.clause, v.event, v.conflicting))
        .collect();
    assert_eq!(
        found,
        [(ClauseId::from_index(0), 0, Some(ClauseId::from_index(1)))]
    );
}

#[test]
fn a_bare_name_is_a_field_before_it_is_a_party_or_a_member() {
    let c = crate::check_source(
        &SourceFile::new(
            "t",
            include_str!("../../tests/valid/fields-compared.proviso"),
        ),
        &Limits::default(),
    )
    .checked
    .expect("checks");
    let events = r#"[{"type": "tr", "date": "2026-02-01", "by": "a", "payer": "b", "payee": "b",
                      "primary": "aws", "backup": "azure", "seller": "b"}]"#;
    let (events, d) = Decoder::new(&c).json(events);
    assert!(d.is_empty(), "{d:?}");
    let outcome = Engine::new(&c)
        .evaluate(&events, date(2026, 12, 31))
        .unwrap();
    // Clause 1: payer = payee (both b). Clause 2: aws is not azure.
    // Clause 3: `seller` is the event's field (b), not the party `seller`.
    let breached: Vec<usize> = outcome
        .violations
        .iter()
        .map(|v| v.clause.index())
        .collect();
    assert_eq!(breached, [0, 2]);
}

#[test]
fn an_amount_rounded_as_a_whole_is_not_rounded_again_by_the_header() {
    let text = r#"contract "T" effective 2026-01-01 term through 2026-12-31
        rounding up to 100
        settlement by payment
        party a party b
        event payment by party { to: party, amount: money }
        clause 1 "Own rounding" a must pay b USD 1,234.56 rounded down to 1 due 2026-03-01
        clause 2 "Header rounding" a must pay b USD 1,234.56 due 2026-03-01"#;
    let c = crate::check_source(&SourceFile::new("t", text), &Limits::default())
        .checked
        .expect("checks");
    let outcome = Engine::new(&c).evaluate(&[], date(2026, 1, 31)).unwrap();
    let amounts: Vec<Money> = outcome.obligations.iter().map(|o| o.amount).collect();
    // Down to 1: 1,234. The header's `up to 100`: 1,300.
    assert_eq!(amounts, [usd("1234"), usd("1300")]);
}

#[test]
fn obligations_to_act_are_done_by_the_next_matching_event() {
    let text = r#"contract "T" effective 2026-01-01 term through 2026-12-31
        party seller party buyer
        event order by party { }
        event deliver by party { }
        clause 1 "Delivery" seller must deliver on each order by buyer due 30 days after the event"#;
    let c = crate::check_source(&SourceFile::new("t", text), &Limits::default())
        .checked
        .expect("checks");
    let events = r#"[
      {"type": "order", "date": "2026-01-10", "by": "buyer"},
      {"type": "deliver", "date": "2026-02-01", "by": "seller"},
      {"type": "order", "date": "2026-03-01", "by": "buyer"},
      {"type": "deliver", "date": "2026-04-05", "by": "seller"},
      {"type": "order", "date": "2026-05-01", "by": "buyer"}
    ]"#;
    let (events, d) = Decoder::new(&c).json(events);
    assert!(d.is_empty(), "{d:?}");
    let outcome = Engine::new(&c)
        .evaluate(&events, date(2026, 6, 30))
        .unwrap();
    let acts: Vec<(Option<Date>, Status, Option<usize>, bool)> = outcome
        .acts
        .iter()
        .map(|a| (a.due, a.status, a.done_by, a.late))
        .collect();
    assert_eq!(
        acts,
        [
            // Ordered 2026-01-10, due 30 days later (2026-02-09), delivered 2026-02-01.
            (Some(date(2026, 2, 9)), Status::Discharged, Some(1), false),
            // Ordered 2026-03-01, due 2026-03-31, delivered 2026-04-05: done, but late.
            (Some(date(2026, 3, 31)), Status::Discharged, Some(3), true),
            // Ordered 2026-05-01, due 2026-05-31, never delivered.
            (Some(date(2026, 5, 31)), Status::Overdue, None, false),
        ]
    );
}

#[test]
fn the_cap_table_adds_up_and_the_stake_implies_a_valuation() {
    let c = flagship();
    let outcome = evaluate(&c, date(2030, 12, 31));
    let openai = c.symbols.parties.get("openai").copied().unwrap();
    let table = outcome
        .cap_tables
        .iter()
        .find(|t| t.entity == openai)
        .unwrap();
    // 27% + 26% + 47% = 100%, and the table is declared complete.
    assert_eq!(table.total, Decimal::from(100));
    assert!(table.complete);
    // USD 135 billion for 27% implies USD 500 billion for the whole.
    assert_eq!(
        table.stakes[0].implied_entity_value,
        Some(usd("500000000000"))
    );
}

/// What an outcome says, without the positions of events in their file.
fn findings(outcome: &Outcome, events: &[Event]) -> Vec<String> {
    let id = |seq: usize| {
        events
            .iter()
            .find(|e| e.seq == seq)
            .and_then(|e| e.id.as_deref().map(String::from))
            .unwrap_or_default()
    };
    let mut lines: Vec<String> = outcome
        .obligations
        .iter()
        .map(|o| {
            let mut from: Vec<String> = o.events.iter().map(|&s| id(s)).collect();
            from.sort();
            format!(
                "owe {} {} {:?} {:?} {:?}",
                o.clause.index(),
                o.amount.amount,
                o.due,
                o.status,
                from
            )
        })
        .chain(
            outcome
                .violations
                .iter()
                .map(|v| format!("breach {} {}", v.clause.index(), id(v.event))),
        )
        .chain(outcome.entitlements.iter().map(|e| {
            format!(
                "grant {} {} {:?}",
                e.clause.index(),
                id(e.event),
                e.coverage
            )
        }))
        .chain(
            outcome
                .commitments
                .iter()
                .map(|c| format!("commit {} {}", c.clause.index(), c.fulfilled)),
        )
        .chain(
            outcome
                .milestones
                .iter()
                .map(|m| format!("milestone {:?}", m.reached.as_ref().map(|r| r.date))),
        )
        .collect();
    lines.sort();
    lines
}

#[test]
fn the_order_of_events_in_the_file_does_not_change_the_outcome() {
    // Every event of the flagship history has its own date, so any order
    // of the file must give the same findings. A fixed generator keeps
    // the test reproducible.
    let c = flagship();
    let text = include_str!("../../contracts/events/microsoft-openai-2025.json");
    let (events, d) = Decoder::new(&c).json(text);
    assert!(d.is_empty(), "{d:?}");
    let expected = findings(
        &Engine::new(&c)
            .evaluate(&events, date(2033, 6, 30))
            .unwrap(),
        &events,
    );
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..200 {
        let mut shuffled = events.clone();
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        for (seq, event) in shuffled.iter_mut().enumerate() {
            event.seq = seq;
        }
        let outcome = Engine::new(&c)
            .evaluate(&shuffled, date(2033, 6, 30))
            .unwrap();
        assert_eq!(findings(&outcome, &shuffled), expected);
    }
}

#[test]
fn a_payment_before_a_correction_still_counts_for_the_quarter() {
    let contract = flagship();
    let events = r#"[
      {"type": "report_revenue", "date": "2026-04-20", "by": "openai", "quarter": "2026-Q1", "amount": "USD 10,000,000.00"},
      {"type": "payment", "date": "2026-05-10", "by": "openai", "to": "microsoft", "amount": "USD 2,000,000.00"},
      {"type": "report_revenue", "date": "2026-06-01", "by": "openai", "quarter": "2026-Q1", "amount": "USD 1,000,000.00"}
    ]"#;
    let (events, d) = Decoder::new(&contract).json(events);
    assert!(d.is_empty(), "{d:?}");
    let outcome = Engine::new(&contract)
        .evaluate(&events, date(2026, 9, 30))
        .unwrap();
    let q1 = &outcome.obligations[0];
    // 20% of (10,000,000.00 + 1,000,000.00) = 2,200,000.00, due
    // 2026-03-31 + 45 days = 2026-05-15. The quarter's obligation arose
    // with its first report (2026-04-20), so the payment of 2026-05-10
    // counts; 200,000.00 remains, overdue at 2026-09-30.
    assert_eq!(q1.amount, usd("2200000.00"));
    assert_eq!(q1.paid, Decimal::from_str("2000000.00").unwrap());
    assert_eq!(q1.due, Some(date(2026, 5, 15)));
    assert_eq!(q1.status, Status::Overdue);
    assert_eq!(q1.payments, [1]);
}

#[test]
fn azure_commitment_counts_only_azure_purchases() {
    let c = flagship();
    let outcome = evaluate(&c, date(2030, 12, 31));
    let progress = &outcome.commitments[0];
    assert_eq!(progress.clause, clause(&c, "6"));
    assert_eq!(
        progress.fulfilled,
        Decimal::from_str("1000000000.00").unwrap()
    );
    // 250,000,000,000 − 1,000,000,000 = 249,000,000,000.
    assert_eq!(
        progress.remaining,
        Decimal::from_str("249000000000").unwrap()
    );
    assert_eq!(progress.events, [10]);
}

#[test]
fn each_payment_rule_is_settled_by_its_own_settlement_event() {
    // Two fees in one clause, one settled by `payment`, the other by
    // `credit`. A credit of USD 50.00 settles the second fee only: the
    // first (USD 100.00, due 2026-03-01) is overdue on 2026-03-31.
    let text = r#"contract "T" effective 2026-01-01 term through 2026-12-31
        party a "A"
        party b "B"
        event payment by party { to: party, amount: money }
        event credit by party { to: party, amount: money }
        clause 1 "Two fees"
          a must pay b USD 100 due 2026-03-01 settled by payment
          a must pay b USD 50 due 2026-03-01 settled by credit"#;
    let c = crate::check_source(&SourceFile::new("t", text), &Limits::default())
        .checked
        .unwrap();
    let (events, diagnostics) = Decoder::new(&c).json(
        r#"[{"type": "credit", "date": "2026-02-01", "by": "a", "to": "b", "amount": "USD 50.00"}]"#,
    );
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let outcome = Engine::new(&c)
        .evaluate(&events, date(2026, 3, 31))
        .unwrap();
    let owed: Vec<(Money, Status, Vec<usize>)> = outcome
        .obligations
        .iter()
        .map(|o| (o.amount, o.status, o.payments.clone()))
        .collect();
    assert_eq!(
        owed,
        [
            (usd("100"), Status::Overdue, vec![]),
            (usd("50"), Status::Discharged, vec![0]),
        ]
    );
}

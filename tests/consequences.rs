//! Consequences of breach worked by hand, end to end through the library:
//! cases that reviews of the evaluation found wrong once.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proviso::{Contract, EventFormat};

fn report(text: &str, events: &str, as_of: &str) -> serde_json::Value {
    let contract =
        Contract::parse("case.proviso", text).unwrap_or_else(|p| panic!("{}", p.render()));
    let as_of = proviso::syntax::parse_date_text(as_of, proviso::ast::Span::default()).unwrap();
    contract
        .evaluate(events, EventFormat::Json, Some(as_of))
        .unwrap_or_else(|p| panic!("{}", p.render()))
        .to_json(false)
}

const FEES: &str = r#"contract "Service" effective 2026-01-01 term through 2027-12-31
  currency USD
  settlement by payment
party provider "Cirrus Analytics Ltd"
party customer "Marlow Logistics plc"
event payment by party { to: party, amount: money }
event suspend by party { }
clause 3 "Fees"
  customer must pay provider USD 1,000.00 for each month
    due 15 days after the end of the period
    then provider may suspend
"#;

#[test]
fn an_act_while_two_defaults_last_exercises_both_rights() {
    // January's fee (due 2026-02-15) is in default from 2026-02-16,
    // February's (due 2026-03-15) from 2026-03-16; neither is paid. The
    // suspension of 2026-02-20 exercises January's right; that of
    // 2026-03-20 is the first act while February's lasts.
    let events = r#"[
      {"type": "suspend", "date": "2026-02-20", "id": "s1", "by": "provider"},
      {"type": "suspend", "date": "2026-03-20", "id": "s2", "by": "provider"}
    ]"#;
    let r = report(FEES, events, "2026-03-31");
    let rights: Vec<(String, String)> = r["rights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["arising"]["due"].as_str().unwrap().to_string(),
                x["arising"]["exercised_by"]["id"]
                    .as_str()
                    .unwrap_or("none")
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(
        rights,
        [
            ("2026-02-15".to_string(), "s1".to_string()),
            ("2026-03-15".to_string(), "s2".to_string())
        ]
    );
    assert_eq!(r["violations"].as_array().unwrap().len(), 0);
}

#[test]
fn a_payment_per_period_counts_suspended_days_from_the_end_of_its_period() {
    // A suspension from 2026-01-05 to 2026-01-15, inside January, does not
    // move January's fee (payable from 2026-02-01), whatever was sold when.
    let text = r#"contract "Supply" effective 2026-01-01 term through 2026-12-31
  currency USD
  settlement by payment
party supplier "Nordwerk Komponenten GmbH"
party buyer "Baltic Assembly AB"
event payment by party { to: party, amount: money }
event sale by party { amount: money }
event force_majeure by party { }
event force_majeure_end by party { }
clause 1 "Fee"
  buyer must pay supplier 10% of total sale.amount for each month
    due 15 days after the end of the period
clause 2 "Force majeure"
  suspends clause 1 from force_majeure by buyer until force_majeure_end by buyer
"#;
    for sale_day in ["2026-01-02", "2026-01-20"] {
        let events = format!(
            r#"[
          {{"type": "sale", "date": "{sale_day}", "by": "buyer", "amount": "USD 1,000.00"}},
          {{"type": "force_majeure", "date": "2026-01-05", "by": "buyer"}},
          {{"type": "force_majeure_end", "date": "2026-01-15", "by": "buyer"}}
        ]"#
        );
        let r = report(text, &events, "2026-03-31");
        assert_eq!(
            r["obligations"][0]["due"], "2026-02-15",
            "sale on {sale_day}"
        );
        assert_eq!(
            r["obligations"][0]["due_moved"].as_array().unwrap().len(),
            0
        );
    }
    // One from 2026-02-10 to 2026-02-20 moves it 10 days.
    let events = r#"[
      {"type": "sale", "date": "2026-01-02", "by": "buyer", "amount": "USD 1,000.00"},
      {"type": "force_majeure", "date": "2026-02-10", "by": "buyer"},
      {"type": "force_majeure_end", "date": "2026-02-20", "by": "buyer"}
    ]"#;
    let r = report(text, events, "2026-03-31");
    assert_eq!(r["obligations"][0]["due"], "2026-02-25");
}

#[test]
fn matching_on_an_act_is_never_swallowed_by_an_after_before_it() {
    // `where after deliver by supplier` followed by `matching serial` on
    // the next line: the act's matching, not fields `after` compares.
    let text = r#"contract "Pumps" effective 2026-01-01 term through 2028-12-31
party supplier "Acme Pumps GmbH"
party buyer "Northwind Utilities Ltd"
event deliver by party { serial: text }
event defect_report by party { serial: text }
event repair by party { serial: text }
clause 7 "Warranty"
  supplier must repair
    on each defect_report by buyer where after deliver by supplier
    matching serial
    due 10 days after the event
"#;
    let events = r#"[
      {"type": "deliver", "date": "2026-01-10", "by": "supplier", "serial": "P-100"},
      {"type": "defect_report", "date": "2026-05-04", "id": "r200", "by": "buyer", "serial": "P-200"},
      {"type": "defect_report", "date": "2026-05-06", "id": "r100", "by": "buyer", "serial": "P-100"},
      {"type": "repair", "date": "2026-05-08", "id": "fix100", "by": "supplier", "serial": "P-100"}
    ]"#;
    let r = report(text, events, "2026-12-31");
    let acts = r["acts"].as_array().unwrap();
    assert_eq!(acts[0]["raised_by"]["id"], "r200");
    assert_eq!(acts[0]["status"], "overdue");
    assert_eq!(acts[1]["raised_by"]["id"], "r100");
    assert_eq!(acts[1]["done_by"]["id"], "fix100");
}

#[test]
fn an_act_cannot_be_matched_on_its_date() {
    let text = r#"contract "Pumps" effective 2026-01-01 term through 2028-12-31
party supplier "Acme Pumps GmbH"
party buyer "Northwind Utilities Ltd"
event defect_report by party { serial: text }
event repair by party { serial: text }
clause 7 "Warranty"
  supplier must repair on each defect_report by buyer matching date due 10 days after the event
"#;
    let problems = Contract::parse("case.proviso", text)
        .err()
        .unwrap()
        .render();
    assert!(problems.contains("E0320"), "{problems}");
}

#[test]
fn an_act_on_the_day_an_obligation_arises_performs_it_whatever_their_order_in_the_file() {
    let text = r#"contract "Pumps" effective 2026-01-01 term through 2028-12-31
party supplier "Acme Pumps GmbH"
party buyer "Northwind Utilities Ltd"
event defect_report by party { serial: text }
event repair by party { serial: text }
clause 7 "Warranty"
  supplier must repair on each defect_report by buyer
    matching serial
    due 10 days after the event
"#;
    let report_first = r#"[
      {"type": "defect_report", "date": "2026-05-04", "id": "r", "by": "buyer", "serial": "P-100"},
      {"type": "repair", "date": "2026-05-04", "id": "fix", "by": "supplier", "serial": "P-100"}
    ]"#;
    let repair_first = r#"[
      {"type": "repair", "date": "2026-05-04", "id": "fix", "by": "supplier", "serial": "P-100"},
      {"type": "defect_report", "date": "2026-05-04", "id": "r", "by": "buyer", "serial": "P-100"}
    ]"#;
    for events in [report_first, repair_first] {
        let r = report(text, events, "2026-12-31");
        assert_eq!(r["acts"][0]["status"], "discharged", "{events}");
        assert_eq!(r["acts"][0]["done_by"]["id"], "fix", "{events}");
    }
    // A repair of another pump the same day performs nothing.
    let other = r#"[
      {"type": "repair", "date": "2026-05-04", "by": "supplier", "serial": "P-200"},
      {"type": "defect_report", "date": "2026-05-04", "by": "buyer", "serial": "P-100"}
    ]"#;
    let r = report(text, other, "2026-12-31");
    assert_eq!(r["acts"][0]["status"], "overdue");
}

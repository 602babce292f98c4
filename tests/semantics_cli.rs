//! What ordinary commercial clauses mean, through the real `proviso eval`:
//! named exceptions that replace payment rules, amounts for periods with no
//! events, totals over nothing, and payments made late. Every figure is
//! worked out by hand from the clause's wording, in the comment beside it.

// Test code: a failed expectation should stop the test loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::proviso;

/// Writes a contract and its events to a folder of their own and evaluates
/// them as of a date: the JSON report (or `Null` when there is none), the
/// exit code, and what was written to standard error.
fn evaluate(
    name: &str,
    contract: &str,
    events: &str,
    as_of: &str,
) -> (serde_json::Value, Option<i32>, String) {
    let dir = std::env::temp_dir().join(format!("proviso-semantics-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let contract_path = dir.join("contract.proviso");
    let events_path = dir.join("events.json");
    std::fs::write(&contract_path, contract).unwrap();
    std::fs::write(&events_path, events).unwrap();
    let output = proviso(&[
        "eval",
        contract_path.to_str().unwrap(),
        events_path.to_str().unwrap(),
        "--as-of",
        as_of,
        "--format",
        "json",
        "--color",
        "never",
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    let report = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    (
        report,
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Each obligation as (clause, amount, due, status).
fn obligations(report: &serde_json::Value) -> Vec<(String, String, String, String)> {
    report["obligations"]
        .as_array()
        .unwrap_or_else(|| panic!("no obligations in {report}"))
        .iter()
        .map(|o| {
            let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
            (
                s(&o["clause"]),
                s(&o["amount"]),
                s(&o["due"]),
                s(&o["status"]),
            )
        })
        .collect()
}

fn row(clause: &str, amount: &str, due: &str, status: &str) -> (String, String, String, String) {
    (clause.into(), amount.into(), due.into(), status.into())
}

const ROYALTY_HEADER: &str = r#"
contract "Distribution licence" effective 2026-01-01 term through 2026-12-31
  currency USD
  rounding half-up to 0.01
  settlement by payment
party licensor "Ledgerly Software Inc."
party licensee "Bluepeak Distribution LLC"
category channel: retail | online
event sell by party { channel: channel, net_sales: money }
event payment by party { to: party, amount: money }
"#;

#[test]
fn a_named_exception_replaces_the_payment_rule_it_names() {
    // The guide's own example (language.md, Named exceptions).
    let contract = format!(
        "{ROYALTY_HEADER}
clause 4 \"Royalty\"
  licensee must pay licensor 8% of sell.net_sales
    on each sell
    due 30 days after the event

clause 4.1 \"Online royalty\" exception to 4
  licensee must pay licensor 4% of sell.net_sales
    on each sell where channel is online
    due 30 days after the event
"
    );
    let events = r#"[
      {"type": "sell", "date": "2026-02-01", "by": "licensee", "channel": "retail", "net_sales": "USD 1,000.00"},
      {"type": "sell", "date": "2026-02-10", "by": "licensee", "channel": "online", "net_sales": "USD 500.00"}
    ]"#;
    let (report, exit, stderr) = evaluate("exception", &contract, events, "2026-02-15");
    assert_eq!(exit, Some(0), "{stderr}");
    assert_eq!(
        obligations(&report),
        [
            // The retail sale: clause 4 alone, 8% of 1,000.00 = 80.00, due
            // 30 days after 2026-02-01.
            row("4", "80.00", "2026-03-03", "open"),
            // The online sale: clause 4.1 replaces clause 4, 4% of 500.00 =
            // 20.00 (not 20.00 and 40.00), due 30 days after 2026-02-10.
            row("4.1", "20.00", "2026-03-12", "open"),
        ]
    );
}

#[test]
fn service_credits_in_an_exception_replace_the_general_credit() {
    // 2% of the fee below 99.8%; 11% below 98.0% as a named exception;
    // each capped at 10% of the fee.
    let contract = r#"
contract "Hosting" effective 2026-01-01 term through 2026-12-31
  currency GBP
  rounding half-up to 0.01
  settlement by credit_note
party provider "Cumulus Hosting Ltd"
party customer "Fjord Retail Ltd"
event report_uptime by party { fee: money, uptime: percent }
event credit_note by party { to: party, amount: money }

clause 9 "Service credits"
  provider must pay customer 2% of report_uptime.fee capped at 10% of report_uptime.fee
    on each report_uptime where uptime < 99.8%
    due 30 days after the event

clause 9.1 "Severe outage" exception to 9
  provider must pay customer 11% of report_uptime.fee capped at 10% of report_uptime.fee
    on each report_uptime where uptime < 98.0%
    due 30 days after the event
"#;
    let events = r#"[
      {"type": "report_uptime", "date": "2026-02-02", "by": "provider", "fee": "GBP 10.00", "uptime": "99.5%"},
      {"type": "report_uptime", "date": "2026-03-02", "by": "provider", "fee": "GBP 10.00", "uptime": "97.0%"}
    ]"#;
    let (report, exit, stderr) = evaluate("credits", contract, events, "2026-03-03");
    assert_eq!(exit, Some(0), "{stderr}");
    assert_eq!(
        obligations(&report),
        [
            // January at 99.5%: only clause 9, 2% of 10.00 = 0.20.
            row("9", "0.20", "2026-03-04", "open"),
            // February at 97.0%: clause 9.1 replaces clause 9: 11% of 10.00
            // = 1.10, capped at 10% of 10.00 = 1.00 (not 0.20 + 1.00).
            row("9.1", "1.00", "2026-04-01", "open"),
        ]
    );
}

#[test]
fn a_total_over_nothing_is_zero_and_a_minimum_still_applies() {
    let contract = format!(
        "{ROYALTY_HEADER}
clause 4 \"Royalty on retail sales\"
  licensee must pay licensor 8% of (total sell.net_sales where channel is retail) at least USD 5,000
    for each quarter
    due 30 days after the end of the period
"
    );
    // Only an online sale in the first quarter; nothing in the second.
    let events = r#"[
      {"type": "sell", "date": "2026-02-01", "by": "licensee", "channel": "online", "net_sales": "USD 10,000.00"}
    ]"#;
    let (report, exit, stderr) = evaluate("minimum", &contract, events, "2026-05-31");
    assert_eq!(exit, Some(1), "{stderr}");
    assert_eq!(
        obligations(&report),
        [
            // Q1: no retail sales, 8% of USD 0 = 0.00, at least 5,000.00;
            // due 30 days after 2026-03-31 = 2026-04-30, unpaid on 2026-05-31.
            row("4", "5000.00", "2026-04-30", "overdue"),
            // Q2 (from 2026-04-01) has begun by 2026-05-31 with no sales at
            // all: the minimum still arises, due 30 days after 2026-06-30.
            row("4", "5000.00", "2026-07-30", "open"),
        ]
    );
}

#[test]
fn a_fixed_fee_arises_for_every_period_of_its_window_events_or_not() {
    let contract = r#"
contract "Hosting" effective 2026-01-01 term through 2026-12-31
  currency USD
  settlement by payment
party provider "Cumulus Hosting Inc."
party customer "Fjord Retail Inc."
event payment by party { to: party, amount: money }

clause 3 "Monthly fee"
  customer must pay provider USD 2,500.00 for each month
    due 5 days after the end of the period
"#;
    let events = r#"[
      {"type": "payment", "date": "2026-02-03", "by": "customer", "to": "provider", "amount": "USD 2,500.00"}
    ]"#;
    let (report, exit, stderr) = evaluate("fee", contract, events, "2026-03-15");
    assert_eq!(exit, Some(1), "{stderr}");
    assert_eq!(
        obligations(&report),
        [
            // January: due 5 days after 2026-01-31; paid on 2026-02-03.
            row("3", "2500.00", "2026-02-05", "discharged"),
            // February: due 5 days after 2026-02-28; unpaid on 2026-03-15.
            row("3", "2500.00", "2026-03-05", "overdue"),
            // March has begun by 2026-03-15: due 5 days after 2026-03-31.
            row("3", "2500.00", "2026-04-05", "open"),
        ]
    );
}

#[test]
fn a_payment_made_after_its_due_date_is_a_late_payment() {
    let contract = format!(
        "{ROYALTY_HEADER}
clause 4 \"Royalty\"
  licensee must pay licensor 8% of total sell.net_sales
    for each quarter
    due 30 days after the end of the period
"
    );
    let events = r#"[
      {"type": "sell", "date": "2026-02-01", "by": "licensee", "channel": "retail", "net_sales": "USD 100,000.00"},
      {"type": "payment", "date": "2026-04-20", "by": "licensee", "to": "licensor", "amount": "USD 5,000.00"},
      {"type": "payment", "date": "2026-05-10", "by": "licensee", "to": "licensor", "amount": "USD 3,000.00"}
    ]"#;
    let (report, exit, stderr) = evaluate("late", &contract, events, "2026-05-31");
    // Q1: 8% of 100,000.00 = 8,000.00, due 30 days after 2026-03-31 =
    // 2026-04-30. 5,000.00 was paid on time and the last 3,000.00 on
    // 2026-05-10: discharged 10 days late, which is a finding (exit 1).
    // Q2 has begun with no sales: 8% of nothing is nothing, and no
    // obligation of zero is listed.
    assert_eq!(exit, Some(1), "{stderr}");
    assert_eq!(
        obligations(&report),
        [row("4", "8000.00", "2026-04-30", "discharged")]
    );
    let q1 = &report["obligations"][0];
    assert_eq!(q1["days_late"], 10);
    assert_eq!(q1["discharged_on"], "2026-05-10");
    assert_eq!(report["summary"]["discharged_late"], 1);
    // Paid on time, a payment is no finding.
    let on_time = events.replace("2026-05-10", "2026-04-30");
    let (report, exit, _) = evaluate("on-time", &contract, &on_time, "2026-05-31");
    assert_eq!(exit, Some(0));
    assert_eq!(
        report["obligations"][0]["days_late"],
        serde_json::Value::Null
    );
    assert_eq!(report["obligations"][0]["discharged_on"], "2026-04-30");
}

#[test]
fn a_prohibition_in_an_exception_limits_the_grant_and_the_permission_it_names() {
    // The guide's example (language.md, Named exceptions): OEM sales in
    // 2026 are outside the licence; from 2027 they are inside it.
    let contract = r#"
contract "Distribution licence" effective 2026-01-01 term through 2027-12-31
party licensor "Ledgerly Software Inc."
party licensee "Bluepeak Distribution LLC"
category channel: retail | online | oem
event sell by party { channel: channel, net_sales: money }

clause 2 "Licence"
  licensor grants licensee non_exclusive licence "distribution of Ledgerly"
    over sell
  licensee may sell

clause 2.1 "No OEM sales in the first year" exception to 2
  licensee must not sell where channel is oem
    until 2027-01-01
"#;
    let events = r#"[
      {"type": "sell", "date": "2026-06-01", "by": "licensee", "channel": "oem", "net_sales": "USD 100.00"},
      {"type": "sell", "date": "2026-06-02", "by": "licensee", "channel": "retail", "net_sales": "USD 100.00"},
      {"type": "sell", "date": "2027-02-01", "by": "licensee", "channel": "oem", "net_sales": "USD 100.00"}
    ]"#;
    let (report, exit, stderr) = evaluate("oem", contract, events, "2027-03-01");
    // The OEM sale of 2026 breaches clause 2.1: a violation, not a conflict
    // with the permission in clause 2, which clause 2.1 limits.
    assert_eq!(exit, Some(1), "{stderr}");
    let violations: Vec<(&str, &str, &str)> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["kind"].as_str().unwrap(),
                v["clause"].as_str().unwrap(),
                v["event"]["date"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(violations, [("violation", "2.1", "2026-06-01")]);
    let coverage: Vec<(&str, bool, &str)> = report["entitlements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["event"]["date"].as_str().unwrap(),
                e["covered"].as_bool().unwrap(),
                e["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        coverage,
        [
            (
                "2026-06-01",
                false,
                "excluded by clause 2.1 (No OEM sales in the first year)"
            ),
            ("2026-06-02", true, "covered"),
            // The prohibition ran until 2027-01-01 (through 2026-12-31).
            ("2027-02-01", true, "covered"),
        ]
    );
}

#[test]
fn a_filtered_total_that_matches_nothing_owes_nothing_and_stops_nothing() {
    let contract = r#"
contract "Referral agreement" effective 2026-01-01 term through 2026-12-31
  currency USD
  rounding half-up to 0.01
  settlement by payment
party agent "Northwind Referrals Ltd"
party merchant "Contoso Shops Ltd"
event sale by party { amount: money, referred: bool }
event payment by party { to: party, amount: money }

clause 3 "Referral fee"
  merchant must pay agent 15% of total sale.amount where referred
    for each quarter
    due 30 days after the end of the period
"#;
    // Two sales in the first quarter, neither referred.
    let events = r#"[
      {"type": "sale", "date": "2026-02-01", "by": "merchant", "amount": "USD 1,000.00", "referred": false},
      {"type": "sale", "date": "2026-02-15", "by": "merchant", "amount": "USD 2,000.00", "referred": false}
    ]"#;
    let (report, exit, stderr) = evaluate("referral", contract, events, "2026-05-31");
    // 15% of a total over no referred sale is 15% of USD 0 = USD 0.00:
    // nothing is owed, and nothing stops the evaluation.
    assert_eq!(exit, Some(0), "{stderr}");
    assert_eq!(obligations(&report), []);
}

#[test]
fn an_amount_owed_below_zero_is_a_diagnostic_not_a_settled_obligation() {
    // The reference's own example (diagnostics.md, E0703): 1.5% of
    // 10,000.00 = 150.00, less 2,500.00 = -2,350.00.
    let contract = r#"
contract "Test" effective 2026-01-01 term through 2026-12-31
  settlement by payment
party alpha "Alpha Ltd"
party beta  "Beta plc"
event payment by party { to: party, amount: money }
event report by party { quarter: quarter, amount: money }

clause 6 "Fee"
  alpha must pay beta 1.5% of report.amount - USD 2,500.00
    on each report
    due 10 days after the event
"#;
    let events = r#"[
      {"type": "report", "date": "2026-03-01", "by": "alpha", "quarter": "2026-Q1", "amount": "USD 10,000.00"}
    ]"#;
    let (report, exit, stderr) = evaluate("negative", contract, events, "2026-03-31");
    // No report: the diagnostic, pointing at the amount in the clause.
    assert_eq!(exit, Some(2), "{stderr}");
    let diagnostic = &report["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "E0703");
    assert_eq!(
        diagnostic["message"],
        "the amount clause 6 owes for event #1 report 2026-03-01 works out below zero: USD -2,350.00"
    );
    assert_eq!(diagnostic["primary"]["startPosition"]["line"], 10);
    // Bracketed, it is 1.5% of 7,500.00 = 112.50.
    let fixed = contract.replace(
        "1.5% of report.amount - USD 2,500.00",
        "1.5% of (report.amount - USD 2,500.00)",
    );
    let (report, exit, stderr) = evaluate("bracketed", &fixed, events, "2026-03-05");
    assert_eq!(exit, Some(0), "{stderr}");
    assert_eq!(
        obligations(&report),
        [row("6", "112.500", "2026-03-11", "open")]
    );
}

#[test]
fn money_below_zero_is_refused_unless_the_field_is_signed() {
    let contract = |ty: &str| {
        format!(
            r#"
contract "Revenue share" effective 2026-01-01 term through 2026-12-31
  currency USD
  rounding half-up to 0.01
  settlement by payment
party payer "Payer Inc."
party payee "Payee Inc."
event report_revenue by party {{ quarter: quarter, amount: {ty} }}
event payment by party {{ to: party, amount: money }}

clause 1 "Revenue share"
  payer must pay payee 20% of total report_revenue.amount
    for each report_revenue.quarter
    due 45 days after the end of the period
"#
        )
    };
    // A report and a correction of it.
    let events = r#"[
      {"type": "report_revenue", "date": "2026-04-10", "by": "payer", "quarter": "2026-Q1", "amount": "USD 10,000.00"},
      {"type": "report_revenue", "date": "2026-04-20", "by": "payer", "quarter": "2026-Q1", "amount": "USD -2,000.00"}
    ]"#;
    // Declared `money`, the correction is refused, pointing at it.
    let (report, exit, _) = evaluate("unsigned", &contract("money"), events, "2026-04-30");
    assert_eq!(exit, Some(2));
    let diagnostic = &report["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "E0606");
    assert_eq!(
        diagnostic["message"],
        "`amount` is below zero: `USD -2,000.00`"
    );
    assert_eq!(diagnostic["primary"]["startPosition"]["line"], 3);
    // Declared `signed money`, it corrects the quarter: 20% of (10,000.00 -
    // 2,000.00) = 1,600.00, due 45 days after 2026-03-31 = 2026-05-15.
    let (report, exit, stderr) =
        evaluate("signed", &contract("signed money"), events, "2026-04-30");
    assert_eq!(exit, Some(0), "{stderr}");
    assert_eq!(
        obligations(&report),
        [row("1", "1600.00", "2026-05-15", "open")]
    );
}

#[test]
fn an_act_an_exception_allowed_is_reported_as_permitted() {
    // The flagship: serving a U.S. national-security customer with a
    // third-party API product on AWS (2026-08-02) is what clause 4 forbids
    // and clause 4.2, an exception to it, allows.
    let output = proviso(&[
        "eval",
        "contracts/microsoft-openai-2025.proviso",
        "contracts/events/microsoft-openai-2025.json",
        "--as-of",
        "2030-12-31",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let permitted: Vec<(&str, &str, &str)> = report["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["clause"].as_str().unwrap(),
                p["prohibition_clause"].as_str().unwrap(),
                p["event"]["date"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(permitted, [("4.2", "4", "2026-08-02")]);
    assert_eq!(report["summary"]["permitted"], 1);
    let text = proviso(&[
        "eval",
        "contracts/microsoft-openai-2025.proviso",
        "contracts/events/microsoft-openai-2025.json",
        "--as-of",
        "2030-12-31",
    ]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains(
            "clause 4.2 \"U.S. national security customers\" permits #5 serve 2026-08-02"
        ),
        "{text}"
    );
}

#[test]
fn as_of_is_a_date_as_the_language_writes_them() {
    for (as_of, says) in [
        ("2019-02-30", "February 2019 has 28 days"),
        ("-009999-01-01", "write dates as `YYYY-MM-DD`"),
        ("10000-01-01", "years run from 0001 to 9999"),
    ] {
        let output = proviso(&[
            "eval",
            "contracts/microsoft-openai-2025.proviso",
            "contracts/events/microsoft-openai-2025.json",
            &format!("--as-of={as_of}"),
        ]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{as_of}: {stderr}");
        assert!(stderr.contains(says), "{as_of}: {stderr}");
    }
}

#[test]
fn a_decimal_comma_is_read_as_one() {
    let dir = std::env::temp_dir().join(format!("proviso-comma-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("rate.proviso");
    std::fs::write(
        &path,
        "contract \"T\" effective 2026-01-01 term through 2026-12-31 settlement by payment\n\
         party a \"A\"\nparty b \"B\"\n\
         event payment by party { to: party, amount: money }\n\
         clause 1 \"Fee\"\n  a must pay b 4,5% of payment.amount on each payment\n",
    )
    .unwrap();
    let output = proviso(&["check", "--color", "never", path.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    // 4.5%, never 45%: a rate ten times too high.
    assert!(stderr.contains("did you mean `4.5`?"), "{stderr}");
    assert!(!stderr.contains("`45`"), "{stderr}");
}

#[test]
fn each_finding_points_at_the_rule_that_produced_it() {
    // Two rules in one clause: each obligation names its own line, and
    // `--explain` quotes its own rule.
    let dir = std::env::temp_dir().join(format!("proviso-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let contract = dir.join("fees.proviso");
    let events = dir.join("events.json");
    std::fs::write(
        &contract,
        "contract \"T\" effective 2026-01-01 term through 2026-12-31 settlement by payment\n\
         party a \"A\"\n\
         party b \"B\"\n\
         event payment by party { to: party, amount: money }\n\
         clause 1 \"Two fees\"\n\
         \x20 a must pay b USD 100 due 2026-03-01\n\
         \x20 a must pay b USD 50 due 2026-04-01\n",
    )
    .unwrap();
    std::fs::write(&events, "[]").unwrap();
    let output = proviso(&[
        "eval",
        contract.to_str().unwrap(),
        events.to_str().unwrap(),
        "--as-of",
        "2026-02-01",
        "--explain",
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let located: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--> "))
        .map(|l| l.rsplit_once("fees.proviso:").map_or(l, |(_, at)| at))
        .collect();
    assert_eq!(located, ["6:3", "7:3"], "{text}");
    assert!(
        text.contains("why: rule: `a must pay b USD 50 due 2026-04-01` (clause 1)"),
        "{text}"
    );
}

#[test]
fn lint_does_not_flag_the_protected_party_nor_a_one_off_obligation_that_survives() {
    let dir = std::env::temp_dir().join(format!("proviso-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("nda.proviso");
    std::fs::write(
        &path,
        r#"contract "NDA" effective 2026-01-01 term through 2026-12-31
party discloser "Discloser Ltd"
party recipient "Recipient Ltd"
event disclose by party { confidential: bool }
event return_documents by party { }

clause 1 "Confidentiality" survives
  text "The Recipient shall not disclose Confidential Information."
  recipient must not disclose where confidential
    until 2031-12-31

clause 2 "Return of documents" survives
  text "The Recipient shall return all documents by 1 March 2027."
  recipient must return_documents due 2027-03-01
"#,
    )
    .unwrap();
    let output = proviso(&["lint", "--color", "never", path.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // `discloser` is who the prohibition protects (L0101 is not given);
    // returning the documents is owed once and ends when done (L0502 is
    // not given).
    assert!(
        !stderr.contains("L0101") && !stdout.contains("L0101"),
        "{stdout}{stderr}"
    );
    assert!(
        !stderr.contains("L0502") && !stdout.contains("L0502"),
        "{stdout}{stderr}"
    );
}

#[test]
fn an_overflow_names_the_event_that_caused_it() {
    // The reference's example (diagnostics.md, E0701).
    let contract = r#"
contract "Test" effective 2026-01-01 term through 2026-12-31
  settlement by payment
party a "A"
party b "B"
event payment by party { to: party, amount: money }

clause 1 "Huge"
  a must pay b payment.amount * 79,000,000,000,000,000,000,000,000,000 on each payment
"#;
    let events = r#"[
      {"type": "payment", "date": "2026-03-02", "id": "p-1", "by": "b", "to": "a", "amount": "USD 1,000"}
    ]"#;
    let (report, exit, stderr) = evaluate("overflow", contract, events, "2026-03-31");
    assert_eq!(exit, Some(2), "{stderr}");
    let diagnostic = &report["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "E0701");
    let message = diagnostic["message"].as_str().unwrap();
    assert!(
        message.ends_with(", for event #1 payment 2026-03-02 (id p-1)"),
        "{message}"
    );
}

#[test]
fn revenue_is_shared_for_the_quarter_it_was_earned_in_whenever_reported() {
    let flagship = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("contracts/microsoft-openai-2025.proviso"),
    )
    .unwrap();
    // AGI declared 2028-01-10 and verified 2028-05-05: the share's window
    // runs through 2028-05-04.
    let events = r#"[
      {"type": "declare_agi", "date": "2028-01-10", "by": "openai"},
      {"type": "verify_agi", "date": "2028-05-05", "by": "panel"},
      {"type": "report_revenue", "date": "2028-06-01", "by": "openai", "quarter": "2028-Q1", "amount": "USD 10,000,000.00"},
      {"type": "report_revenue", "date": "2028-07-15", "by": "openai", "quarter": "2028-Q2", "amount": "USD 9,100,000.00"}
    ]"#;
    let (report, exit, stderr) = evaluate("earned", &flagship, events, "2028-12-31");
    assert_eq!(exit, Some(1), "{stderr}");
    assert_eq!(
        obligations(&report),
        [
            // 2028-Q1, earned before verification though reported after it:
            // 20% of 10,000,000.00 = 2,000,000.00, due 45 days after
            // 2028-03-31 = 2028-05-15.
            row("1", "2000000.00", "2028-05-15", "overdue"),
            // 2028-Q2: 1 April to 4 May, 34 of its 91 days, are in the
            // window: 20% of 9,100,000.00 × 34/91 = 680,000.00, due 45 days
            // after 2028-06-30 = 2028-08-14.
            row("1", "680000.00", "2028-08-14", "overdue"),
        ]
    );
    assert_eq!(
        report["obligations"][1]["prorated"],
        serde_json::json!({"days_in_window": 34, "days_in_period": 91})
    );
    // Written `as reported`, the window tests the day of each report:
    // both come after verification, so nothing is owed.
    // (`partial periods` has nothing to weigh then, and goes.)
    let as_reported = flagship
        .replace(
            "for each report_revenue.quarter as earned",
            "for each report_revenue.quarter as reported",
        )
        .replace("    partial periods prorated\n", "");
    let (report, exit, stderr) = evaluate("reported", &as_reported, events, "2028-12-31");
    assert_eq!(exit, Some(0), "{stderr}");
    assert_eq!(obligations(&report), []);
    // `partial periods excluded`: the quarter of verification owes nothing.
    let excluded = flagship.replace("partial periods prorated", "partial periods excluded");
    let (report, _, _) = evaluate("excluded", &excluded, events, "2028-12-31");
    assert_eq!(
        obligations(&report),
        [row("1", "2000000.00", "2028-05-15", "overdue")]
    );
    // `partial periods whole`: the whole of its revenue is shared, 20% of
    // 9,100,000.00 = 1,820,000.00.
    let whole = flagship.replace("partial periods prorated", "partial periods whole");
    let (report, _, _) = evaluate("whole", &whole, events, "2028-12-31");
    assert_eq!(
        obligations(&report),
        [
            row("1", "2000000.00", "2028-05-15", "overdue"),
            row("1", "1820000.00", "2028-08-14", "overdue"),
        ]
    );
}

#[test]
fn explain_says_why_a_window_starts_and_ends_where_it_does() {
    let explain = |events: &str, as_of: &str| {
        let dir = std::env::temp_dir().join(format!("proviso-why-{}-{as_of}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("events.json");
        std::fs::write(&path, events).unwrap();
        let output = proviso(&[
            "eval",
            "contracts/microsoft-openai-2025.proviso",
            path.to_str().unwrap(),
            "--as-of",
            as_of,
            "--explain",
        ]);
        std::fs::remove_dir_all(&dir).unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    // AGI verified on 2030-05-20: the share ends the day before.
    let text = explain(
        r#"[{"type": "declare_agi", "date": "2030-01-10", "by": "openai"},
            {"type": "verify_agi", "date": "2030-05-20", "by": "panel"},
            {"type": "report_revenue", "date": "2030-04-15", "by": "openai", "quarter": "2030-Q1", "amount": "USD 40,000,000.00"}]"#,
        "2030-12-31",
    );
    assert!(
        text.contains(
            "why: window: from 2025-10-28 (the effective date) through 2030-05-19 (the day before `agi` was reached on 2030-05-20)"
        ),
        "{text}"
    );
    // AGI never verified: the term, not AGI, ends the share, and the
    // reasoning says so.
    let text = explain(
        r#"[{"type": "report_revenue", "date": "2033-01-20", "by": "openai", "quarter": "2032-Q4", "amount": "USD 10,000,000.00"}]"#,
        "2033-06-30",
    );
    assert!(
        text.contains("through 2032-12-31 (the end of the term: `agi` not reached by then)"),
        "{text}"
    );
}

#[test]
fn explain_shows_the_working_of_every_amount() {
    // The late-delivery example: a delivery of EUR 80,000.00 due on
    // 2026-03-02, made on 2026-03-07, 5 days late: 10.5% of 80,000.00 =
    // 8,400.00 for each full 2 days, 2 of them = 16,800.00, under the cap
    // of 55% of 80,000.00 = 44,000.00.
    let output = proviso(&[
        "eval",
        "examples/late-delivery.proviso",
        "examples/events/late-delivery.json",
        "--explain",
    ]);
    let text = String::from_utf8(output.stdout).unwrap();
    for step in [
        "why: working: deliver.price = EUR 80,000.00",
        "why: working: 10.5% of EUR 80,000.00 = EUR 8,400.00",
        "why: working: days from 2026-03-02 to 2026-03-07 = 5 days",
        "why: working: EUR 8,400.00 for each full 2 days in 5 days: 2 steps = EUR 16,800.00",
        "why: working: 55% of EUR 80,000.00 = EUR 44,000.00",
        "why: working: EUR 16,800.00 capped at EUR 44,000.00 = EUR 16,800.00",
    ] {
        assert!(text.contains(step), "missing `{step}` in\n{text}");
    }
}

#[test]
fn an_exception_replaces_an_obligation_to_act_a_grant_and_a_commitment_of_its_kind() {
    let contract = r#"
contract "Supply" effective 2026-01-01 term through 2026-12-31
party buyer "Buyer plc"
party seller "Seller Ltd"
category priority: normal | urgent
event order by party { priority: priority, value: money }
event deliver by party { }
event release by party { kind: priority }
event purchase by party { amount: money, priority: priority }

clause 1 "Delivery"
  seller must deliver on each order due 30 days after the event
clause 1.1 "Urgent orders" exception to 1
  seller must deliver on each order where priority is urgent due 5 days after the event

clause 2 "Licence"
  seller grants buyer non_exclusive licence "the software" over release
clause 2.1 "Urgent releases" exception to 2
  seller grants buyer exclusive licence "urgent fixes" over release where kind is urgent

clause 3 "Purchases"
  buyer commits to seller USD 1,000 measured by purchase.amount
clause 3.1 "Urgent purchases" exception to 3
  buyer commits to seller USD 500 measured by purchase.amount where priority is urgent
"#;
    let events = r#"[
      {"type": "order", "date": "2026-02-01", "by": "buyer", "priority": "normal", "value": "USD 100.00"},
      {"type": "order", "date": "2026-02-02", "by": "buyer", "priority": "urgent", "value": "USD 100.00"},
      {"type": "release", "date": "2026-02-03", "by": "seller", "kind": "normal"},
      {"type": "release", "date": "2026-02-04", "by": "seller", "kind": "urgent"},
      {"type": "purchase", "date": "2026-02-05", "by": "buyer", "amount": "USD 300.00", "priority": "normal"},
      {"type": "purchase", "date": "2026-02-06", "by": "buyer", "amount": "USD 200.00", "priority": "urgent"}
    ]"#;
    let (report, _, stderr) = evaluate("kinds", contract, events, "2026-02-10");
    assert!(stderr.is_empty() || report.is_object(), "{stderr}");
    // Obligations to act: the normal order under clause 1 (due 30 days
    // after 2026-02-01 = 2026-03-03), the urgent one under clause 1.1 only
    // (due 5 days after 2026-02-02 = 2026-02-07, overdue on 2026-02-10).
    let acts: Vec<(&str, &str, &str)> = report["acts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["clause"].as_str().unwrap(),
                a["due"].as_str().unwrap(),
                a["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        acts,
        [
            ("1", "2026-03-03", "open"),
            ("1.1", "2026-02-07", "overdue")
        ]
    );
    // Entitlements: the normal release under clause 2, the urgent one
    // under clause 2.1 only.
    let granted: Vec<(&str, &str)> = report["entitlements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["clause"].as_str().unwrap(),
                e["event"]["date"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(granted, [("2", "2026-02-03"), ("2.1", "2026-02-04")]);
    // Commitments: the urgent purchase counts towards clause 3.1 only:
    // clause 3 has 300.00 of 1,000.00, clause 3.1 200.00 of 500.00.
    let commitments: Vec<(&str, &str)> = report["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["clause"].as_str().unwrap(),
                c["fulfilled"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(commitments, [("3", "300.00"), ("3.1", "200.00")]);
}

#[test]
fn an_obligation_owed_once_arises_when_its_window_opens_not_before() {
    let contract = r#"
contract "Lease" effective 2026-01-01 term through 2026-12-31
  settlement by payment
party tenant "Tenant Ltd"
party landlord "Landlord plc"
event payment by party { to: party, amount: money }
event return_keys by party { }

clause 9 "At the end of the lease" survives
  tenant must pay landlord USD 500 from 2027-01-01 due 2027-01-31
  tenant must return_keys from 2027-01-01 due 2027-01-15
"#;
    // As of 2026-06-30 neither has arisen: nothing is listed.
    let (report, exit, stderr) = evaluate("once-before", contract, "[]", "2026-06-30");
    assert_eq!(exit, Some(0), "{stderr}");
    assert_eq!(obligations(&report), []);
    assert_eq!(report["acts"], serde_json::json!([]));
    // As of 2027-01-10 both have: the fee (due 2027-01-31) and the keys
    // (due 2027-01-15) are open.
    let (report, exit, stderr) = evaluate("once-after", contract, "[]", "2027-01-10");
    assert_eq!(exit, Some(0), "{stderr}");
    assert_eq!(
        obligations(&report),
        [row("9", "500", "2027-01-31", "open")]
    );
    assert_eq!(report["acts"][0]["due"], "2027-01-15");
    assert_eq!(report["acts"][0]["status"], "open");
}

/// A revenue share and an exception to it for some quarters (a reduced or
/// introductory share), per quarter earned.
fn share_with_exception(window: &str) -> String {
    format!(
        r#"
contract "Partnership" effective 2026-01-01 term through 2027-12-31
  currency USD
  settlement by payment
party openai "OpenAI"
party microsoft "Microsoft"
event report_revenue by party {{ quarter: quarter, amount: money }}
event payment by party {{ to: party, amount: money }}

clause 1 "Revenue share"
  openai must pay microsoft 20% of total report_revenue.amount
    for each report_revenue.quarter
    due 45 days after the end of the period

clause 1.1 "Another share" exception to 1
  openai must pay microsoft 10% of total report_revenue.amount
    for each report_revenue.quarter
    {window}
    due 45 days after the end of the period
"#
    )
}

#[test]
fn an_exception_counted_as_earned_replaces_by_the_quarter_earned_not_the_report_date() {
    // Revenue of 2026-Q2, reported on 2026-07-10.
    let events = r#"[{"type": "report_revenue", "date": "2026-07-10", "by": "openai", "quarter": "2026-Q2", "amount": "USD 1,000,000.00"}]"#;
    // The reduced share runs from 2026-07-01: Q2 is before it, so clause 1
    // applies: 20% of 1,000,000.00 = 200,000.00, due 2026-08-14.
    let (report, _, stderr) = evaluate(
        "from",
        &share_with_exception("from 2026-07-01"),
        events,
        "2026-09-30",
    );
    assert_eq!(
        obligations(&report),
        [row("1", "200000.00", "2026-08-14", "overdue")],
        "{stderr}"
    );
    // The introductory share runs until 2026-07-01: Q2 is in it, so clause
    // 1.1 alone applies: 10% = 100,000.00.
    let (report, _, stderr) = evaluate(
        "until",
        &share_with_exception("until 2026-07-01"),
        events,
        "2026-09-30",
    );
    assert_eq!(
        obligations(&report),
        [row("1.1", "100000.00", "2026-08-14", "overdue")],
        "{stderr}"
    );
}

#[test]
fn an_exception_with_a_fixed_fee_replaces_the_general_fee_for_its_periods() {
    let contract = r#"
contract "Services" effective 2026-01-01 term through 2026-12-31
  currency USD
  settlement by payment
party customer "Fjord Retail Inc."
party provider "Cumulus Hosting Inc."
event payment by party { to: party, amount: money }

clause 3 "Monthly fee"
  customer must pay provider USD 2,500.00 for each month
    due 5 days after the end of the period

clause 3.1 "Reduced fee from March" exception to 3
  customer must pay provider USD 1,000.00 for each month
    from 2026-03-01
    due 5 days after the end of the period
"#;
    let (report, _, stderr) = evaluate("fees", contract, "[]", "2026-04-15");
    assert_eq!(
        obligations(&report),
        [
            // January and February: clause 3, 2,500.00 each.
            row("3", "2500.00", "2026-02-05", "overdue"),
            row("3", "2500.00", "2026-03-05", "overdue"),
            // From March: clause 3.1 alone, 1,000.00 (not 2,500.00 + 1,000.00).
            row("3.1", "1000.00", "2026-04-05", "overdue"),
            row("3.1", "1000.00", "2026-05-05", "open"),
        ],
        "{stderr}"
    );
}

#[test]
fn a_contract_without_a_currency_still_owes_for_its_periods_with_sales() {
    let contract = r#"
contract "Distribution licence" effective 2026-01-01 term through 2026-12-31
  settlement by payment
party licensor "Ledgerly Software Inc."
party licensee "Bluepeak Distribution LLC"
event sell by party { net_sales: money }
event payment by party { to: party, amount: money }

clause 4 "Royalty"
  licensee must pay licensor 8% of total sell.net_sales
    for each quarter
    due 30 days after the end of the period
"#;
    // No sale in Q1 (its currency is unknown and nothing is owed); Q2: 8% of
    // USD 1,000.00 = 80.00, due 2026-07-30.
    let events = r#"[{"type": "sell", "date": "2026-05-01", "by": "licensee", "net_sales": "USD 1,000.00"}]"#;
    let (report, exit, stderr) = evaluate("nocurrency", contract, events, "2026-06-30");
    assert_eq!(exit, Some(0), "{stderr}");
    assert_eq!(
        obligations(&report),
        [row("4", "80.00", "2026-07-30", "open")]
    );
}

#[test]
fn a_prohibition_lifted_by_its_own_exception_does_not_limit_the_licence() {
    let contract = r#"
contract "Distribution licence" effective 2026-01-01 term through 2027-12-31
party licensor "Ledgerly Software Inc."
party licensee "Bluepeak Distribution LLC"
category channel: retail | oem
category region: eu | us
event sell by party { channel: channel, region: region }

clause 2 "Licence"
  licensor grants licensee non_exclusive licence "distribution of Ledgerly" over sell
clause 2.1 "No OEM sales in the first year" exception to 2
  licensee must not sell where channel is oem until 2027-01-01
clause 2.1.1 "EU OEM pilot" exception to 2.1
  licensee may sell where channel is oem and region is eu
"#;
    let events = r#"[
      {"type": "sell", "date": "2026-03-01", "by": "licensee", "channel": "oem", "region": "eu"},
      {"type": "sell", "date": "2026-03-02", "by": "licensee", "channel": "oem", "region": "us"}
    ]"#;
    let (report, _, stderr) = evaluate("lifted", contract, events, "2026-03-31");
    let coverage: Vec<(&str, bool)> = report["entitlements"]
        .as_array()
        .unwrap_or_else(|| panic!("{stderr}"))
        .iter()
        .map(|e| {
            (
                e["event"]["date"].as_str().unwrap(),
                e["covered"].as_bool().unwrap(),
            )
        })
        .collect();
    // The EU OEM sale is permitted by 2.1.1 and so inside the licence; the
    // US one is forbidden by 2.1, a violation, and outside it.
    assert_eq!(coverage, [("2026-03-01", true), ("2026-03-02", false)]);
    assert_eq!(report["violations"][0]["event"]["date"], "2026-03-02");
    assert_eq!(report["permissions"][0]["clause"], "2.1.1");
}

#[test]
fn partial_periods_is_refused_where_it_cannot_apply() {
    let check = |name: &str, option: &str, recurrence: &str, amount: &str| {
        let contract = format!(
            r#"contract "T" effective 2026-01-01 term through 2026-12-31 currency USD settlement by payment
party a "A"
party b "B"
event report by party {{ quarter: quarter, amount: money }}
event payment by party {{ to: party, amount: money }}
clause 1 "Fee"
  a must pay b {amount}
    {recurrence}
    until 2026-05-05
    {option}
    due 30 days after the end of the period
"#
        );
        let (report, exit, _) = evaluate(name, &contract, "[]", "2026-12-31");
        (exit, report["files"][0]["diagnostics"][0]["code"].clone())
    };
    let refused = (Some(2), serde_json::json!("E0310"));
    // Counted as reported, no period is weighed against the window.
    assert_eq!(
        check(
            "asreported",
            "partial periods excluded",
            "for each report.quarter as reported",
            "20% of total report.amount"
        ),
        refused
    );
    // Prorating a total per calendar period would cut it twice.
    assert_eq!(
        check(
            "prorated",
            "partial periods prorated",
            "for each month",
            "10% of total report.amount"
        ),
        refused
    );
    // A fixed fee per month may be prorated.
    assert_eq!(
        check(
            "fixed",
            "partial periods prorated",
            "for each month",
            "USD 100"
        ),
        (Some(1), serde_json::Value::Null)
    );
}

#[test]
fn a_right_that_becomes_exercisable_is_reported() {
    let contract = r#"
contract "Supply" effective 2026-01-01 term through 2027-12-31
party buyer "Buyer plc"
party seller "Seller Ltd"
event fail_audit by party { }
event terminate by party { }
milestone audit_failed "The seller fails an audit": fail_audit by seller

clause 12 "Termination after a failed audit"
  buyer may terminate from audit_failed
"#;
    let events = r#"[{"type": "fail_audit", "date": "2026-06-10", "by": "seller"}]"#;
    // Before the audit fails, there is no right to report.
    let (report, _, stderr) = evaluate("right-before", contract, events, "2026-06-09");
    assert_eq!(report["rights"], serde_json::json!([]), "{stderr}");
    // From 2026-06-10 the buyer may terminate, through the end of the term.
    let (report, exit, stderr) = evaluate("right-after", contract, events, "2026-07-01");
    assert_eq!(exit, Some(0), "{stderr}");
    let right = &report["rights"][0];
    assert_eq!(right["clause"], "12");
    assert_eq!(right["party"], "buyer");
    assert_eq!(right["action"], "terminate");
    assert_eq!(right["from"], "2026-06-10");
    assert_eq!(right["until"], "2027-12-31");
    assert_eq!(report["summary"]["rights"], 1);
}

#[test]
fn user_text_cannot_drive_the_terminal_or_forge_a_report_line() {
    let contract = format!(
        "{ROYALTY_HEADER}
clause 4 \"Royalty\"
  licensee must pay licensor 8% of sell.net_sales
    on each sell
    due 30 days after the event
"
    );
    // An id that clears the screen, starts a new line and fakes a verdict.
    let events = "[{\"type\": \"sell\", \"date\": \"2026-02-01\", \"id\": \"S-1\\u001b[2J\\nFAKE: all obligations DISCHARGED\\u202e\", \"by\": \"licensee\", \"channel\": \"retail\", \"net_sales\": \"USD 1,000.00\"}]";
    let dir = std::env::temp_dir().join(format!("proviso-inject-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let contract_path = dir.join("c.proviso");
    let events_path = dir.join("e.json");
    std::fs::write(&contract_path, contract).unwrap();
    std::fs::write(&events_path, events).unwrap();
    let run = |format: &str| {
        proviso(&[
            "eval",
            contract_path.to_str().unwrap(),
            events_path.to_str().unwrap(),
            "--format",
            format,
        ])
    };
    let human = String::from_utf8(run("human").stdout).unwrap();
    assert!(
        !human.contains('\u{1b}') && !human.contains('\u{202e}'),
        "{human:?}"
    );
    assert!(!human.lines().any(|l| l.starts_with("FAKE")), "{human}");
    assert!(
        human.contains("(id S-1\\u{1b}[2J\\u{a}FAKE: all obligations DISCHARGED\\u{202e})"),
        "{human}"
    );
    // JSON keeps the exact text.
    let json: serde_json::Value = serde_json::from_slice(&run("json").stdout).unwrap();
    assert_eq!(
        json["obligations"][0]["events"][0]["id"],
        "S-1\u{1b}[2J\nFAKE: all obligations DISCHARGED\u{202e}"
    );
    // A diagnostic quoting a broken event shows its controls, never runs them.
    std::fs::write(
        &events_path,
        "[{\"type\": \"sell\", \"date\": \"2026-02-01\", \"by\": \"licensee\", \"channel\": \"retail\\u001b[31m\", \"net_sales\": \"USD 1,000.00\"}]",
    )
    .unwrap();
    let output = run("human");
    std::fs::remove_dir_all(&dir).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(stderr.contains("E0606"), "{stderr}");
}

#[test]
fn a_report_that_cannot_be_written_is_an_error() {
    // `/dev/full` refuses every write with "no space left on device".
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    for args in [
        &[
            "lint",
            "contracts/microsoft-openai-2025.proviso",
            "--format",
            "sarif",
        ][..],
        &[
            "eval",
            "contracts/microsoft-openai-2025.proviso",
            "contracts/events/microsoft-openai-2025.json",
            "--format",
            "json",
        ][..],
        &["check", "contracts/microsoft-openai-2025.proviso"][..],
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_proviso"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("error: the output could not be written to standard output"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_yaml_tag_other_than_str_is_refused_not_read_as_text() {
    let dir = std::env::temp_dir().join(format!("proviso-yaml-tag-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("events.yaml");
    let run = |events: &str| {
        std::fs::write(&path, events).unwrap();
        proviso(&[
            "eval",
            "contracts/microsoft-openai-2025.proviso",
            path.to_str().unwrap(),
            "--color",
            "never",
        ])
    };
    let refused = run(
        "- {type: payment, date: 2026-03-01, by: !!binary b3BlbmFp, to: microsoft, amount: \"USD 1.00\"}\n",
    );
    let stderr = String::from_utf8_lossy(&refused.stderr).into_owned();
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the tag `!!binary` is not read in event files"),
        "{stderr}"
    );
    // `!!str` only says "text", and is read.
    let read = run(
        "- {type: payment, date: 2026-03-01, by: openai, to: microsoft, amount: !!str \"USD 1.00\"}\n",
    );
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        read.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
}

#[test]
fn an_amount_too_large_to_count_in_cents_is_still_owed_and_rounded() {
    // 79,000,000,000,000,000,000,000,000,000 is within what proviso holds
    // (79,228,162,514,264,337,593,543,950,335), but as a number of cents it
    // is not. The header rounds every amount owed to the cent; a whole
    // amount is left as it is, and 100% of the largest payment is that
    // payment, not an overflow.
    let huge = "79,000,000,000,000,000,000,000,000,000";
    let contract = format!(
        "{ROYALTY_HEADER}
clause 1 \"Fixed fee\"
  licensee must pay licensor USD {huge} due 2026-06-30

clause 2 \"Share\"
  licensee must pay licensor 100% of total sell.net_sales
    for each quarter
    due 30 days after the end of the period
"
    );
    let events = format!(
        r#"[{{"type": "sell", "date": "2026-02-01", "by": "licensee", "channel": "retail", "net_sales": "USD {huge}"}}]"#
    );
    let (report, exit, stderr) = evaluate("huge-amount", &contract, &events, "2026-03-31");
    assert_eq!(exit, Some(0), "{stderr}");
    let whole = "79000000000000000000000000000";
    assert_eq!(
        obligations(&report),
        [
            row("1", whole, "2026-06-30", "open"),
            // Q1 ends 2026-03-31; due 30 days later, 2026-04-30.
            row("2", whole, "2026-04-30", "open"),
        ]
    );
}

#[test]
fn a_commitment_not_met_by_its_deadline_is_breached_and_one_met_says_when() {
    let contract = format!(
        "{ROYALTY_HEADER}
clause 1 \"Minimum retail purchases\"
  licensee commits to licensor USD 10,000 measured by sell.net_sales where channel is retail
    through 2026-06-30

clause 2 \"Minimum online purchases\"
  licensee commits to licensor USD 10,000 measured by sell.net_sales where channel is online
    through 2026-06-30

clause 3 \"Second-half purchases\"
  licensee commits to licensor USD 10,000 measured by sell.net_sales
    from 2026-07-01
"
    );
    // Retail: 6,000.00 + 4,000.00 reaches 10,000.00 on 2026-05-02. Online:
    // 9,999.99 by 2026-06-30, a cent short. Clause 3 runs from 2026-07-01
    // to the end of the term, 2026-12-31, so on 2026-07-31 it is open.
    let events = r#"[
      {"type": "sell", "date": "2026-02-01", "by": "licensee", "channel": "retail", "net_sales": "USD 6,000.00"},
      {"type": "sell", "date": "2026-05-02", "by": "licensee", "channel": "retail", "net_sales": "USD 4,000.00"},
      {"type": "sell", "date": "2026-06-30", "by": "licensee", "channel": "online", "net_sales": "USD 9,999.99"}
    ]"#;
    let status = |report: &serde_json::Value| -> Vec<(String, String, String, String, String)> {
        report["commitments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let s = |k: &str| c[k].as_str().unwrap_or("-").to_string();
                (
                    s("clause"),
                    s("remaining"),
                    s("deadline"),
                    s("status"),
                    s("met_on"),
                )
            })
            .collect()
    };
    let row = |clause: &str, remaining: &str, deadline: &str, status: &str, met: &str| {
        (
            clause.to_string(),
            remaining.to_string(),
            deadline.to_string(),
            status.to_string(),
            met.to_string(),
        )
    };
    // On its last day the online commitment is not yet breached.
    let (report, exit, stderr) = evaluate("commitment-due", &contract, events, "2026-06-30");
    assert_eq!(exit, Some(0), "{stderr}");
    assert_eq!(report["commitments"][1]["status"], "open");
    // The day after, it is: 0.01 short. Exit 1.
    let (report, exit, stderr) = evaluate("commitment-breached", &contract, events, "2026-07-31");
    assert_eq!(exit, Some(1), "{stderr}");
    assert_eq!(
        status(&report),
        [
            row("1", "0.00", "2026-06-30", "met", "2026-05-02"),
            row("2", "0.01", "2026-06-30", "breached", "-"),
            row("3", "10000", "2026-12-31", "open", "-"),
        ]
    );
    assert_eq!(report["summary"]["commitments_breached"], 1);
}

#[test]
fn late_interest_runs_on_what_is_unpaid_from_the_due_date_until_paid() {
    let contract = |rate: &str| {
        format!(
            r#"contract "Invoice" effective 2026-01-01 term through 2028-12-31
  currency USD
  rounding half-up to 0.01
  settlement by payment
party supplier "Acme Ltd"
party customer "Beta plc"
event payment by party {{ to: party, amount: money }}
clause 1 "Invoice"
  customer must pay supplier USD 10,000.00 due 2028-01-31
    late interest at {rate}
clause 2 "Fee"
  customer must pay supplier USD 1,200.00 due 2026-01-31
    late interest at 10% per year, 30/360
"#
        )
    };
    let pay = |date: &str, amount: &str| {
        format!(
            r#"{{"type": "payment", "date": "{date}", "by": "customer", "to": "supplier", "amount": "USD {amount}"}}"#
        )
    };
    let interest =
        |report: &serde_json::Value, i: usize| -> (String, Vec<(String, String, String, i64)>) {
            let li = &report["obligations"][i]["late_interest"];
            let stretches = li["stretches"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|s| {
                            let t = |k: &str| s[k].as_str().unwrap_or("").to_string();
                            (
                                t("from"),
                                t("to"),
                                t("unpaid"),
                                s["days"].as_i64().unwrap_or(-1),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            (
                li["amount"].as_str().unwrap_or("none").to_string(),
                stretches,
            )
        };
    let stretch = |from: &str, to: &str, unpaid: &str, days: i64| {
        (from.to_string(), to.to_string(), unpaid.to_string(), days)
    };
    // 2,000.00 paid before the due date: interest runs on 8,000.00 from
    // 2028-01-31 to the payment of 3,000.00 on 2028-02-15 (15 days), then
    // on 5,000.00 to the as-of date 2028-03-15 (29 days: 2028 is a leap
    // year). 1.5% per month is 18% a year, over 365 days:
    // 8,000.00 × 18% × 15 ÷ 365 = 59.178082...;
    // 5,000.00 × 18% × 29 ÷ 365 = 71.506849...; together 130.684931...,
    // rounded half-up to the cent: 130.68.
    let events = format!(
        "[{}, {}]",
        pay("2026-01-10", "1,200.00"),
        [pay("2028-01-20", "2,000.00"), pay("2028-02-15", "3,000.00")].join(", ")
    );
    let (report, exit, stderr) = evaluate(
        "interest-open",
        &contract("1.5% per month, actual/365"),
        &events,
        "2028-03-15",
    );
    assert_eq!(exit, Some(1), "{stderr}");
    // Clause 2 was paid before it was due: no interest.
    assert!(
        report["obligations"][1]["late_interest"].is_null(),
        "{report}"
    );
    assert_eq!(
        interest(&report, 0),
        (
            "130.68".to_string(),
            vec![
                stretch("2028-01-31", "2028-02-15", "8000.00", 15),
                stretch("2028-02-15", "2028-03-15", "5000.00", 29),
            ]
        )
    );
    // Paid in full on 2028-03-20: the second stretch runs 34 days (14 to
    // the end of February, 20 in March): 5,000.00 × 18% × 34 ÷ 365 =
    // 83.835616...; with 59.178082... that is 143.013698..., 143.01. The
    // as-of date, later, does not add to it.
    let paid = format!(
        "[{}, {}]",
        pay("2026-01-10", "1,200.00"),
        [
            pay("2028-01-20", "2,000.00"),
            pay("2028-02-15", "3,000.00"),
            pay("2028-03-20", "5,000.00"),
        ]
        .join(", ")
    );
    let (report, _, stderr) = evaluate(
        "interest-paid",
        &contract("1.5% per month, actual/365"),
        &paid,
        "2028-06-30",
    );
    assert_eq!(interest(&report, 0).0, "143.01", "{stderr}");
    assert_eq!(report["obligations"][0]["status"], "discharged");
    // 30/360: clause 2 unpaid from 2026-01-31 to 2026-03-31 is two months of
    // 30 days (the 31sts count as 30ths): 1,200.00 × 10% × 60 ÷ 360 = 20.00.
    let (report, _, stderr) = evaluate(
        "interest-30-360",
        &contract("1.5% per month"),
        "[]",
        "2026-03-31",
    );
    assert_eq!(
        interest(&report, 1),
        (
            "20.00".to_string(),
            vec![stretch("2026-01-31", "2026-03-31", "1200.00", 60)]
        ),
        "{stderr}"
    );
}

#[test]
fn a_missed_payment_is_cured_in_its_cure_period_or_defaults() {
    let contract = r#"contract "Supply" effective 2026-01-01 term through 2026-12-31
  currency EUR
  settlement by payment
party buyer "Northwind Utilities Ltd"
party supplier "Acme Pumps GmbH"
event payment by party { to: party, amount: money }
event notice by party { }
clause 1 "Price"
  buyer must pay supplier EUR 10,000.00 for each quarter
    due 30 days after the end of the period
    cure within 15 days after notice by supplier
"#;
    // Q1 is due 30 days after 2026-03-31: 2026-04-30. Notice on 2026-05-05
    // opens 15 days, through 2026-05-20; paid on 2026-05-15: cured.
    // Q2 is due 2026-07-30; notice on 2026-08-03, cure through 2026-08-18;
    // paid only on 2026-08-25: defaulted.
    // Q3 is due 2026-10-30; notice on 2026-11-02, cure through 2026-11-17:
    // on 2026-11-10 it is in cure.
    let events = r#"[
      {"type": "notice", "date": "2026-05-05", "id": "n-q1", "by": "supplier"},
      {"type": "payment", "date": "2026-05-15", "id": "p-q1", "by": "buyer", "to": "supplier", "amount": "EUR 10,000.00"},
      {"type": "notice", "date": "2026-08-03", "id": "n-q2", "by": "supplier"},
      {"type": "payment", "date": "2026-08-25", "id": "p-q2", "by": "buyer", "to": "supplier", "amount": "EUR 10,000.00"},
      {"type": "notice", "date": "2026-11-02", "id": "n-q3", "by": "supplier"}
    ]"#;
    let cures = |report: &serde_json::Value| -> Vec<(String, String, String, String)> {
        report["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                let c = &o["cure"];
                let s = |k: &str| c[k].as_str().unwrap_or("-").to_string();
                let notice = c["notice"]["id"].as_str().unwrap_or("-").to_string();
                (s("state"), notice, s("until"), s("on"))
            })
            .collect()
    };
    let row = |state: &str, notice: &str, until: &str, on: &str| {
        (
            state.to_string(),
            notice.to_string(),
            until.to_string(),
            on.to_string(),
        )
    };
    let (report, exit, stderr) = evaluate("cure", contract, events, "2026-11-10");
    assert_eq!(exit, Some(1), "{stderr}");
    assert_eq!(
        cures(&report),
        [
            row("cured", "n-q1", "2026-05-20", "2026-05-15"),
            row("defaulted", "n-q2", "2026-08-18", "-"),
            row("in_cure", "n-q3", "2026-11-17", "-"),
            // Q4 is not yet due.
            row("-", "-", "-", "-"),
        ]
    );
    // Only the first quarter, cured: paid late, but no finding.
    let q1_only = r#"[
      {"type": "notice", "date": "2026-05-05", "id": "n-q1", "by": "supplier"},
      {"type": "payment", "date": "2026-05-15", "id": "p-q1", "by": "buyer", "to": "supplier", "amount": "EUR 10,000.00"}
    ]"#;
    let (report, exit, stderr) = evaluate("cured", contract, q1_only, "2026-06-30");
    assert_eq!(exit, Some(0), "{stderr}");
    assert_eq!(report["obligations"][0]["days_late"], 15);
    // Without a notice, the breach waits for one.
    let (report, _, _) = evaluate("no-notice", contract, "[]", "2026-06-30");
    assert_eq!(report["obligations"][0]["cure"]["state"], "awaiting_notice");
}

#[test]
fn a_missed_act_is_cured_within_days_of_its_due_date_or_defaults() {
    let contract = r#"contract "Supply" effective 2026-01-01 term through 2026-12-31
party buyer "Northwind Utilities Ltd"
party supplier "Acme Pumps GmbH"
event order by party { }
event deliver by party { }
clause 1 "Delivery"
  supplier must deliver on each order by buyer due 10 days after the event
    cure within 5 days
"#;
    // Order 1 (2026-03-01) is due 2026-03-11; with no notice named the cure
    // period runs 5 days from the due date, through 2026-03-16: delivered
    // on 2026-03-14, cured. Order 2 (2026-04-01) is due 2026-04-11, cure
    // through 2026-04-16; delivered only on 2026-04-20: defaulted.
    let events = r#"[
      {"type": "order", "date": "2026-03-01", "by": "buyer"},
      {"type": "deliver", "date": "2026-03-14", "by": "supplier"},
      {"type": "order", "date": "2026-04-01", "by": "buyer"},
      {"type": "deliver", "date": "2026-04-20", "by": "supplier"}
    ]"#;
    let (report, exit, stderr) = evaluate("act-cure", contract, events, "2026-05-01");
    assert_eq!(exit, Some(1), "{stderr}");
    let states: Vec<(String, String, String)> = report["acts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let s = |k: &str| a["cure"][k].as_str().unwrap_or("-").to_string();
            (s("state"), s("until"), s("on"))
        })
        .collect();
    let st = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        states,
        [
            st("cured", "2026-03-16", "2026-03-14"),
            st("defaulted", "2026-04-16", "-"),
        ]
    );
}

#[test]
fn a_term_renews_until_notice_comes_in_time_before_an_end() {
    let contract = r#"contract "Maintenance" effective 2026-01-01
  term through 2026-12-31
  renews for 1 year unless non_renewal by customer 90 days before the end
  currency USD
  settlement by payment
party provider "Acme Ltd"
party customer "Beta plc"
event payment by party { to: party, amount: money }
event non_renewal by party { }
clause 1 "Fee"
  customer must pay provider USD 1,000.00 for each quarter
    due 30 days after the end of the period
"#;
    // 90 days before 2026-12-31 is 2026-10-02 (29 days of December back to
    // 2026-12-02, 30 of November, 31 of October). No notice by then: the
    // term renews through 2027-12-31, whose deadline is 2027-10-02. Notice
    // on 2027-10-15 is too late for that end, so the term renews again,
    // through 2028-12-31, and the notice stops the renewal after it.
    let events =
        r#"[{"type": "non_renewal", "date": "2027-10-15", "id": "late-notice", "by": "customer"}]"#;
    let term = |as_of: &str| {
        let (report, _, stderr) = evaluate(&format!("renewal-{as_of}"), contract, events, as_of);
        let t = &report["contract"]["term"];
        let s = |k: &str| t[k].as_str().unwrap_or("-").to_string();
        (
            s("through"),
            t["renewals"].as_u64().unwrap_or(99),
            t["renewal_stopped_by"]["id"]
                .as_str()
                .unwrap_or("-")
                .to_string(),
            s("notice_by"),
            stderr,
        )
    };
    let (through, renewals, stopped, notice_by, stderr) = term("2026-06-30");
    assert_eq!(
        (
            through.as_str(),
            renewals,
            stopped.as_str(),
            notice_by.as_str()
        ),
        ("2026-12-31", 0, "-", "2026-10-02"),
        "{stderr}"
    );
    let (through, renewals, stopped, notice_by, _) = term("2027-06-30");
    assert_eq!(
        (
            through.as_str(),
            renewals,
            stopped.as_str(),
            notice_by.as_str()
        ),
        ("2027-12-31", 1, "-", "2027-10-02")
    );
    let (through, renewals, stopped, notice_by, _) = term("2029-03-31");
    assert_eq!(
        (
            through.as_str(),
            renewals,
            stopped.as_str(),
            notice_by.as_str()
        ),
        ("2028-12-31", 2, "late-notice", "-")
    );
    // Fees arise for the twelve quarters of 2026, 2027 and 2028 only.
    let (report, _, _) = evaluate("renewal-fees", contract, events, "2029-03-31");
    assert_eq!(report["obligations"].as_array().map(Vec::len), Some(12));
}

#[test]
fn a_commitment_taken_back_under_its_target_is_not_met_and_a_target_of_nothing_is() {
    let contract = r#"contract "Supply" effective 2026-01-01 term through 2026-12-31
  currency USD
party buyer "Northwind Utilities Ltd"
party seller "Acme Pumps GmbH"
event order by party { amount: signed money }
clause 1 "Minimum"
  buyer commits to seller USD 100 measured by order.amount
    from 2026-03-01
    through 2026-06-30
clause 2 "Nothing"
  buyer commits to seller USD 0 measured by order.amount
    from 2026-03-01
    through 2026-06-30
"#;
    // USD 100 on 2026-03-10 meets clause 1; a correction of USD -60 on
    // 2026-03-12 takes it back to 40, and the deadline passes 60 short.
    let events = r#"[
      {"type": "order", "date": "2026-03-10", "by": "buyer", "amount": "USD 100.00"},
      {"type": "order", "date": "2026-03-12", "by": "buyer", "amount": "USD -60.00"}
    ]"#;
    let (report, exit, stderr) = evaluate("commitment-taken-back", contract, events, "2026-08-01");
    assert_eq!(exit, Some(1), "{stderr}");
    let c = &report["commitments"];
    assert_eq!(c[0]["status"], "breached");
    assert_eq!(c[0]["remaining"], "60.00");
    // Clause 2 asks for nothing: met as its window opens, on 2026-03-01.
    let (report, _, _) = evaluate("commitment-nothing", contract, "[]", "2026-08-01");
    assert_eq!(report["commitments"][1]["status"], "met");
    assert_eq!(report["commitments"][1]["met_on"], "2026-03-01");
}

#[test]
fn a_renewing_term_may_end_on_a_date_written_as_a_delay_and_its_windows_are_not_past_it() {
    let dir = std::env::temp_dir().join(format!("proviso-renewal-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("c.proviso");
    std::fs::write(
        &path,
        r#"contract "Maintenance" effective 2026-01-01
  term through 12 months after 2025-12-31
  renews for 1 year unless non_renewal by customer 90 days before the end
party provider "Acme Ltd"
party customer "Beta plc"
event non_renewal by party "Notice of non-renewal" { }
event ping by party "Ping" { }
clause 1 "Pings" survives for 0 days
  text "The customer may ping."
  customer may ping through 2027-06-30
"#,
    )
    .unwrap();
    let output = proviso(&["check", path.to_str().unwrap(), "--color", "never"]);
    let text = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    // The term ends on one date (2026-12-31), written as a delay: no E0315.
    assert!(!text.contains("E0315"), "{text}");
    // `survives for 0 days` is refused, as every zero length is.
    assert!(text.contains("E0311"), "{text}");
    std::fs::write(
        &path,
        std::fs::read_to_string(&path)
            .unwrap()
            .replace(" survives for 0 days", ""),
    )
    .unwrap();
    let output = proviso(&["lint", path.to_str().unwrap(), "--color", "never"]);
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    std::fs::remove_dir_all(&dir).unwrap();
    // The term renews, so a window through 2027-06-30 is not past it.
    assert!(!text.contains("L0202"), "{text}");
}

const LOAN: &str = r#"contract "Loan" effective 2026-01-01 term through 2026-12-31
  settlement by payment
party lender
party borrower
event payment by party { to: party, amount: money }
event usage by party { amount: money }
account loan "Outstanding balance"
  opening EUR 1,000.00 on 2026-01-10
  decreased by payment.amount on each payment by borrower
  increased by 1% of balance of loan at the end of each month
"#;

/// The balance after each movement, as (date, direction, amount, balance).
fn movements(report: &serde_json::Value) -> Vec<(String, String, String, String)> {
    report["accounts"][0]["movements"]
        .as_array()
        .unwrap_or_else(|| panic!("no movements in {report}"))
        .iter()
        .map(|m| {
            let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
            (
                s(&m["date"]),
                s(&m["direction"]),
                s(&m["amount"]),
                s(&m["balance"]),
            )
        })
        .collect()
}

fn moved(
    date: &str,
    direction: &str,
    amount: &str,
    balance: &str,
) -> (String, String, String, String) {
    (date.into(), direction.into(), amount.into(), balance.into())
}

#[test]
fn an_account_opens_on_its_day_and_moves_in_date_order_unrounded() {
    // A payment before the account opens does not move it. Interest at
    // the end of January on 1,000.00 is 10.00 (1%, not prorated for the
    // days open); two payments on 2026-02-10 apply in the order they came;
    // February's interest is 1% of 790.00 = 7.90; March's 1% of 797.90 =
    // 7.979, kept unrounded because the movement does not say to round.
    let events = r#"[
      {"type": "payment", "date": "2026-01-05", "by": "borrower", "to": "lender", "amount": "EUR 50.00"},
      {"type": "payment", "date": "2026-02-10", "by": "borrower", "to": "lender", "amount": "EUR 120.00"},
      {"type": "payment", "date": "2026-02-10", "by": "borrower", "to": "lender", "amount": "EUR 100.00"}
    ]"#;
    let (report, code, stderr) = evaluate("account-order", LOAN, events, "2026-03-31");
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        movements(&report),
        [
            moved("2026-01-31", "increased", "10.00", "1010.00"),
            moved("2026-02-10", "decreased", "120.00", "890.00"),
            moved("2026-02-10", "decreased", "100.00", "790.00"),
            moved("2026-02-28", "increased", "7.90", "797.90"),
            moved("2026-03-31", "increased", "7.9790", "805.8790"),
        ]
    );
    assert_eq!(report["accounts"][0]["balance"], "805.8790");
    assert_eq!(report["accounts"][0]["opening"], "1000.00");
}

#[test]
fn a_payment_on_each_event_reads_the_balance_at_the_start_of_its_day() {
    // Both usages on 2026-02-10 read the balance at the start of that day,
    // 1,010.00 (the opening 1,000.00 plus January's 10.00): 10% of it is
    // 101.00 each, though a payment that day moved the balance since.
    let contract = format!(
        "{LOAN}clause 1 \"Fee\"\n  borrower must pay lender 10% of balance of loan on each usage from 2026-01-10\n"
    );
    let events = r#"[
      {"type": "payment", "date": "2026-02-10", "by": "borrower", "to": "lender", "amount": "EUR 500.00"},
      {"type": "usage", "date": "2026-02-10", "by": "borrower", "amount": "EUR 1.00"},
      {"type": "usage", "date": "2026-02-10", "by": "borrower", "amount": "EUR 1.00"}
    ]"#;
    let (report, code, stderr) = evaluate("account-start-of-day", &contract, events, "2026-02-15");
    assert_eq!(code, Some(0), "{stderr}");
    let amounts: Vec<&str> = report["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["amount"].as_str().unwrap())
        .collect();
    assert_eq!(amounts, ["101.00", "101.00"]);
}

#[test]
fn a_payment_for_each_period_reads_the_balance_at_its_end() {
    // January ends at 1,010.00 (1% interest on 1,000.00): 5% = 50.50.
    // February: 1,010.00 - 200.00 = 810.00, + 8.10 = 818.10: 5% = 40.905.
    // March is not over on 2026-03-15: the balance on that day, 818.10,
    // 5% = 40.905.
    let contract = format!(
        "{LOAN}clause 1 \"Fee\"\n  borrower must pay lender 5% of balance of loan for each month from 2026-01-10\n"
    );
    let events = r#"[
      {"type": "payment", "date": "2026-02-20", "by": "borrower", "to": "lender", "amount": "EUR 200.00"}
    ]"#;
    let (report, code, stderr) = evaluate("account-period-end", &contract, events, "2026-03-15");
    assert_eq!(code, Some(0), "{stderr}");
    let amounts: Vec<&str> = report["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["amount"].as_str().unwrap())
        .collect();
    assert_eq!(amounts, ["50.50", "40.9050", "40.9050"]);
}

#[test]
fn a_balance_not_known_yet_is_a_diagnostic_not_a_guess() {
    // A payment raised on 2026-03-01 cannot read the balance at the end
    // of 2026-12-31; nor can one raised before the account opens read it.
    let later = format!(
        "{LOAN}clause 1 \"Fee\"\n  borrower must pay lender 1% of balance of loan as of 2026-12-31 on each usage\n"
    );
    let events =
        r#"[{"type": "usage", "date": "2026-03-01", "by": "borrower", "amount": "EUR 1.00"}]"#;
    let (report, code, stderr) = evaluate("account-later", &later, events, "2026-06-30");
    assert_eq!(code, Some(2), "{stderr}");
    let diagnostic = &report["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "E0704", "{report}");
    assert_eq!(
        diagnostic["message"],
        "the balance of `loan` at the end of 2026-12-31 is not known yet: its movements are known up to 2026-02-28, for event #1 usage 2026-03-01"
    );
    // A payment whose window opens before the account does is refused
    // when the contract is read: it could arise with no balance to read.
    let before = format!(
        "{LOAN}clause 1 \"Fee\"\n  borrower must pay lender 1% of balance of loan on each usage\n"
    );
    let events =
        r#"[{"type": "usage", "date": "2026-01-09", "by": "borrower", "amount": "EUR 1.00"}]"#;
    let (_, code, stderr) = evaluate("account-before", &before, events, "2026-06-30");
    assert_eq!(code, Some(2), "{stderr}");
    let (report, _, _) = {
        let dir =
            std::env::temp_dir().join(format!("proviso-semantics-before-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("contract.proviso");
        std::fs::write(&path, &before).unwrap();
        let output = proviso(&["check", path.to_str().unwrap(), "--format", "json"]);
        std::fs::remove_dir_all(&dir).unwrap();
        (
            serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap(),
            output.status.code(),
            (),
        )
    };
    let diagnostic = &report["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "E0326", "{report}");
    assert_eq!(
        diagnostic["message"],
        "this payment reads the balance of `loan` from 2026-01-01, and `loan` opens on 2026-01-10"
    );
}

#[test]
fn an_account_is_kept_to_the_last_day_the_calendar_holds() {
    // EUR 10.00 at the end of each month from January 2026 through
    // December 9999: (9999 - 2026) x 12 + 12 = 95,688 months, EUR 956,880.00.
    // A fiscal year from April that would end in the year 10000 has no end
    // the calendar holds: opened in 9999, it moves once, on 9999-03-31.
    let contract = r#"contract "Far" effective 2026-01-01 term through 2026-12-31
  settlement by payment
party lender
party borrower
period fy: year starting april
event payment by party { to: party, amount: money }
account fees "Fees"
  opening EUR 0.00 on 2026-01-01
  increased by EUR 10.00 at the end of each month
account far "Far"
  opening EUR 0.00 on 9999-01-01
  increased by EUR 1.00 at the end of each fy
"#;
    let (report, code, stderr) = evaluate("account-far", contract, "[]", "9999-12-31");
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(report["accounts"][0]["balance"], "956880.00");
    assert_eq!(report["accounts"][1]["balance"], "1.00");
    assert_eq!(report["accounts"][1]["movements"][0]["date"], "9999-03-31");
}

const CAPPED: &str = r#"contract "Capped" effective 2026-01-01 term through 2027-12-31
  currency USD
  settlement by credit
party provider
party customer
event outage by party { hours: number }
event terminate by party { }
event credit by party { to: party, amount: money }
clause 9 "Monthly credit"
  provider must pay customer USD 100.00 * total outage.hours
    for each month
    due 10 days after the end of the period
clause 9.1 "Per outage"
  provider must pay customer USD 500.00
    on each outage by provider
    due 10 days after the event
    cure within 5 days
    then customer may terminate
"#;

#[test]
fn a_cap_counts_a_months_payment_at_its_end_and_the_order_of_caps_changes_nothing() {
    // March: the outage of 1 hour on 2 March owes 500.00 under 9.1 and
    // counts that day; the one of 8 hours on 30 March owes another 500.00
    // that day (1,000.00 of the monthly cap used); March's monthly credit,
    // 100.00 x 9 hours = 900.00, counts on 31 March with nothing left: 0.00.
    // The overall cap of 1,200.00 has 1,000.00 used in March, so April's
    // outage is owed 200.00 of its 500.00, whichever cap is written first.
    let caps = [
        "clause 9.2 \"Monthly cap\"\n  total owed by provider under clauses 9, 9.1 capped at USD 1,000.00 for each month\n",
        "clause 9.3 \"Overall cap\"\n  total owed by provider under clauses 9, 9.1 capped at USD 1,200.00\n",
    ];
    let events = r#"[
      {"type": "outage", "date": "2026-03-02", "by": "provider", "hours": 1},
      {"type": "outage", "date": "2026-03-30", "by": "provider", "hours": 8},
      {"type": "outage", "date": "2026-04-06", "by": "provider", "hours": 1}
    ]"#;
    // April's monthly credit, 100.00, counts on 30 April, after the
    // outage of 6 April took the last 200.00 of the overall cap: 0.00.
    // (Rows sorted as text.)
    let expected = [
        row("9", "0.00", "2026-04-10", "discharged"),
        row("9", "0.00", "2026-05-10", "discharged"),
        row("9.1", "200.00", "2026-04-16", "overdue"),
        row("9.1", "500.00", "2026-03-12", "overdue"),
        row("9.1", "500.00", "2026-04-09", "overdue"),
    ];
    for order in [[0, 1], [1, 0]] {
        let contract = format!("{CAPPED}{}{}", caps[order[0]], caps[order[1]]);
        let (report, code, stderr) = evaluate("caps-order", &contract, events, "2026-04-30");
        assert_eq!(code, Some(1), "{stderr}");
        let mut rows = obligations(&report);
        rows.sort();
        assert_eq!(rows, expected, "{order:?}");
    }
}

#[test]
fn a_payment_a_cap_takes_to_nothing_is_never_in_default() {
    // The cap of 500.00 is used by the outage of 2 March; the one of 5
    // March owes nothing, so no cure period runs and no right arises.
    let contract = format!(
        "{CAPPED}clause 9.2 \"Cap\"\n  total owed by provider under clause 9.1 capped at USD 500.00\n"
    );
    let events = r#"[
      {"type": "outage", "date": "2026-03-02", "by": "provider", "hours": 1},
      {"type": "credit", "date": "2026-03-03", "by": "provider", "to": "customer", "amount": "USD 500.00"},
      {"type": "outage", "date": "2026-03-05", "by": "provider", "hours": 1}
    ]"#;
    let (report, code, stderr) = evaluate("caps-zero", &contract, events, "2026-04-30");
    assert_eq!(code, Some(1), "{stderr}");
    let zero = report["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["clause"] == "9.1" && o["amount"] == "0.00")
        .unwrap();
    assert_eq!(zero["status"], "discharged");
    assert_eq!(zero["discharged_on"], "2026-03-05");
    assert_eq!(zero["cure"], serde_json::Value::Null);
    assert_eq!(report["rights"], serde_json::json!([]));
}

/// Running totals, worked by hand: a definition holding one, used in a
/// milestone's event and in an amount paid on each event of another kind;
/// same-day events seeing only those before them; a running total inside
/// another's condition; a stretch of months from the end of a month.
#[test]
fn running_totals_in_definitions_milestones_and_amounts() {
    let contract = r#"
contract "Distribution" effective 2026-01-01 term through 2027-12-31
  currency USD
  rounding half-up to 0.01
  settlement by payment
party vendor "Vendor"
party reseller "Reseller"
event sale by party { amount: money, large: bool }
event payment by party { to: party, amount: money }
event bonus_claim by party { }
define month_sales "Sales so far this month" = total sale.amount in the same month
milestone big_month "The first month past USD 100,000": sale where month_sales > USD 100,000.00
clause 1 "Bonus on claim"
  vendor must pay reseller 1% of month_sales
    on each bonus_claim by reseller
    due 10 days after the event
clause 2 "Large sales after a large quarter"
  vendor must pay reseller USD 10.00
    on each sale where (total sale.amount within the last 3 months where large and (total sale.amount in the same month) > USD 50,000.00) > USD 0
    due 10 days after the event
"#;
    // 2026-01-31: 60,000 (large), then the same day 50,000.
    // 2026-02-28: 45,000.01 (large); claim.
    // 2026-03-01: claim.
    // 2026-04-30: 1.00 (large).
    // (Every event is on or after the effective date, 2026-01-01.)
    let events = r#"[
      {"type": "sale", "date": "2026-01-31", "by": "reseller", "amount": "USD 60,000.00", "large": true},
      {"type": "sale", "date": "2026-01-31", "by": "reseller", "amount": "USD 50,000.00", "large": false},
      {"type": "sale", "date": "2026-02-28", "by": "reseller", "amount": "USD 45,000.01", "large": true},
      {"type": "bonus_claim", "date": "2026-02-28", "by": "reseller"},
      {"type": "bonus_claim", "date": "2026-03-01", "by": "reseller"},
      {"type": "sale", "date": "2026-04-30", "by": "reseller", "amount": "USD 1.00", "large": true}
    ]"#;
    let (report, code, stderr) = evaluate("running", contract, events, "2026-06-30");
    assert!(code.is_some(), "{stderr}");
    // The month's sales: 60,000.00, then 110,000.00 with the second sale of
    // the same day, which reaches the milestone (the first, alone, does not).
    assert_eq!(report["milestones"][0]["date"], "2026-01-31");
    assert_eq!(report["milestones"][0]["events"][0]["index"], 2);
    assert_eq!(
        obligations(&report),
        [
            // The claim of 28 February sees February's 45,000.01: 1% is
            // 450.0001, USD 450.00; that of 1 March sees March's nothing.
            row("1", "450.00", "2026-03-10", "overdue"),
            row("1", "0.00", "2026-03-11", "discharged"),
            // Clause 2 counts, over three months back, large sales made
            // when the month's sales stood above 50,000.00: the sale of 31
            // January (60,000.00 in its month, itself) counts. The three
            // months that end on 30 April start on 31 January (30 April
            // less 3 months is 30 January), so the sale of 30 April (whose
            // own month stands at 1.00) still sees it. The sale of 28
            // February (45,000.01 in February) does not count, but sees
            // January's.
            row("2", "10.00", "2026-02-10", "overdue"),
            row("2", "10.00", "2026-02-10", "overdue"),
            row("2", "10.00", "2026-03-10", "overdue"),
            row("2", "10.00", "2026-05-10", "overdue"),
        ]
    );
}

/// A running sum the 28 digits of a decimal cannot hold exactly stops the
/// evaluation (E0701) rather than reaching a milestone by a rounded sum.
#[test]
fn a_sum_that_would_be_rounded_is_refused_not_reached() {
    let contract = r#"
contract "T" effective 2026-01-01 term through 2026-12-31
party a "A"
event ping by party { n: number }
milestone big: total ping.n reaches 50,000,000,000,000,000,000,000,000,001
"#;
    let events = r#"[
      {"type": "ping", "date": "2026-02-01", "by": "a", "n": 50000000000000000000000000000},
      {"type": "ping", "date": "2026-02-02", "by": "a", "n": 0.6}
    ]"#;
    let (report, code, stderr) = evaluate("rounded-sum", contract, events, "2026-12-31");
    assert_eq!(code, Some(2), "{stderr}");
    // With `--format json`, the problem is reported as JSON.
    let problem = report.to_string();
    assert!(problem.contains("E0701"), "{problem}");
    assert!(
        problem.contains("for event #2 ping 2026-02-02"),
        "{problem}"
    );
}

/// Running totals count from the effective date, as a period's total does;
/// `within the last 1 month` counts back from the day of the event in
/// view, so at a month's end it reaches the same day of the month before.
#[test]
fn running_totals_start_at_the_effective_date_and_count_back_a_whole_month() {
    let contract = r#"
contract "Supply" effective 2026-01-15 term through 2026-12-31
  currency USD
party buyer "Buyer"
event order by party { units: number }
clause 1 "Monthly cap"
  buyer must not order where total order.units in the same month > 50
clause 2 "Rolling cap"
  buyer must not order where total order.units within the last 1 month > 4
"#;
    // 2 January is before the contract: not counted, so January's 20 and
    // then 25 units stay within clause 1's 50. Clause 2: 20 units on 20
    // January, 25 on the 29th; on 28 February the month back starts on 29
    // January (28 February less a month is 28 January), so 5; on 1 March
    // it starts on 2 February, and nothing is left.
    let events = r#"[
      {"type": "order", "date": "2026-01-02", "by": "buyer", "units": 40},
      {"type": "order", "date": "2026-01-20", "by": "buyer", "units": 20},
      {"type": "order", "date": "2026-01-29", "by": "buyer", "units": 5},
      {"type": "order", "date": "2026-02-28", "by": "buyer", "units": 0},
      {"type": "order", "date": "2026-03-01", "by": "buyer", "units": 0}
    ]"#;
    let (report, code, stderr) = evaluate("running-edges", contract, events, "2026-06-30");
    assert!(code.is_some(), "{stderr}");
    let violations: Vec<(String, String)> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["clause"].as_str().unwrap_or("").to_string(),
                v["event"]["date"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        violations,
        [
            ("2".to_string(), "2026-01-20".to_string()),
            ("2".to_string(), "2026-01-29".to_string()),
            ("2".to_string(), "2026-02-28".to_string()),
        ]
    );
}

const PICKS: &str = r#"contract "Picks"
  effective 2026-01-01
  term through 2026-12-31
  currency USD
  rounding half-up to 0.01
  settlement by payment

party alpha "Alpha Ltd"
party beta "Beta plc"

category level: green | amber | red

event price by party { amount: money }
event sale by party { units: number }
event status by party { level: level }
event deploy by party { }
event payment by party { to: party, amount: money }
"#;

#[test]
fn picks_take_the_value_in_effect_and_measure_from_the_effective_date() {
    // Prices: USD 5.00 on 2025-12-01 (before the contract), USD 4.00 on
    // 2026-01-10, USD 6.00 on 2026-01-20 (after that day's sale in the file).
    // Sales: 1 unit on 01-05, 2 on 01-10 (after that day's price), 1 on
    // 01-20, 1 on 01-21. By hand:
    //   latest:   5.00 x 1, 4.00 x 2, 4.00 x 1 (the later price of the day
    //             is not yet in), 6.00 x 1 = 5.00, 8.00, 4.00, 6.00
    //   highest:  none in force on 01-05 (5.00 is before the contract):
    //             otherwise 0.01; then 4.00 x 2, 4.00, 6.00
    //             = 0.01, 8.00, 4.00, 6.00
    //   lowest:   0.01, 8.00, 4.00, 4.00
    //   previous units, USD 1.00 each: none, 1, 2, 1 = 0.00, 1.00, 2.00, 1.00
    let contract = format!(
        "{PICKS}
clause 1 \"Latest\"
  alpha must pay beta latest price.amount * units on each sale due 30 days after the event

clause 2 \"Highest\"
  alpha must pay beta (highest price.amount otherwise USD 0.01) * units on each sale due 30 days after the event

clause 3 \"Lowest\"
  alpha must pay beta (lowest price.amount otherwise USD 0.01) * units on each sale due 30 days after the event

clause 4 \"Previous\"
  alpha must pay beta USD 1.00 * (previous sale.units otherwise 0) on each sale due 30 days after the event
"
    );
    let events = r#"[
      {"type": "price", "date": "2025-12-01", "by": "alpha", "amount": "USD 5.00"},
      {"type": "sale", "date": "2026-01-05", "by": "alpha", "units": 1},
      {"type": "price", "date": "2026-01-10", "by": "alpha", "amount": "USD 4.00"},
      {"type": "sale", "date": "2026-01-10", "by": "alpha", "units": 2},
      {"type": "sale", "date": "2026-01-20", "by": "alpha", "units": 1},
      {"type": "price", "date": "2026-01-20", "by": "alpha", "amount": "USD 6.00"},
      {"type": "sale", "date": "2026-01-21", "by": "alpha", "units": 1}
    ]"#;
    let (report, code, stderr) = evaluate("picks", &contract, events, "2026-01-31");
    assert_eq!(code, Some(0), "{stderr}");
    let owed: Vec<(String, String, String)> = obligations(&report)
        .into_iter()
        .map(|(clause, amount, due, _)| (clause, amount, due))
        .collect();
    let row = |c: &str, a: &str, d: &str| (c.to_string(), a.to_string(), d.to_string());
    assert_eq!(
        owed,
        [
            row("1", "5.00", "2026-02-04"),
            row("1", "8.00", "2026-02-09"),
            row("1", "4.00", "2026-02-19"),
            row("1", "6.00", "2026-02-20"),
            row("2", "0.01", "2026-02-04"),
            row("2", "8.00", "2026-02-09"),
            row("2", "4.00", "2026-02-19"),
            row("2", "6.00", "2026-02-20"),
            row("3", "0.01", "2026-02-04"),
            row("3", "8.00", "2026-02-09"),
            row("3", "4.00", "2026-02-19"),
            row("3", "4.00", "2026-02-20"),
            row("4", "0.00", "2026-02-04"),
            row("4", "1.00", "2026-02-09"),
            row("4", "2.00", "2026-02-19"),
            row("4", "1.00", "2026-02-20"),
        ]
    );
}

#[test]
fn the_latest_category_member_decides_a_condition() {
    // Red on 01-10: the deployment of 01-11 is a violation; green on
    // 01-12: the one of 01-13 is not; a deployment before any status
    // takes `otherwise green`.
    let contract = format!(
        "{PICKS}
clause 1 \"Change freeze\"
  beta must not deploy where (latest status.level otherwise green) is red
"
    );
    let events = r#"[
      {"type": "deploy", "date": "2026-01-02", "by": "beta"},
      {"type": "status", "date": "2026-01-10", "by": "alpha", "level": "red"},
      {"type": "deploy", "date": "2026-01-11", "by": "beta"},
      {"type": "status", "date": "2026-01-12", "by": "alpha", "level": "green"},
      {"type": "deploy", "date": "2026-01-13", "by": "beta"}
    ]"#;
    let (report, code, stderr) = evaluate("picks-member", &contract, events, "2026-01-31");
    // A violation found: exit 1.
    assert_eq!(code, Some(1), "{stderr}");
    let days: Vec<&str> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["event"]["date"].as_str().unwrap())
        .collect();
    assert_eq!(days, ["2026-01-11"]);
}

#[test]
fn a_pick_with_nothing_to_pick_from_stops_and_names_the_event() {
    // The reference's example (diagnostics.md, E0705), then its fix: 10
    // units at the USD 2.00 the contract gives until a rate is published.
    let contract = format!(
        "{PICKS}event rate by party {{ per_unit: money }}
event usage by party {{ units: number }}

clause 1 \"Usage charge\"
  beta must pay alpha latest rate.per_unit * usage.units on each usage
"
    );
    let events = r#"[{"type": "usage", "date": "2026-02-01", "by": "beta", "units": 10}]"#;
    let (report, code, stderr) = evaluate("picks-nothing", &contract, events, "2026-03-01");
    assert_eq!(code, Some(2), "{stderr}");
    let diagnostic = &report["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "E0705", "{report}");
    assert_eq!(
        diagnostic["message"],
        "`latest rate.per_unit` has nothing to pick from: no `rate` event has come yet, for event #1 usage 2026-02-01"
    );
    let fixed = contract.replace(
        "latest rate.per_unit * usage.units",
        "(latest rate.per_unit otherwise USD 2.00) * usage.units",
    );
    let (report, code, stderr) = evaluate("picks-fixed", &fixed, events, "2026-03-01");
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(report["obligations"][0]["amount"], "20.00", "{report}");
}

#[test]
fn a_pick_is_asked_for_only_where_its_value_is_needed() {
    // A sale before the contract, with no price yet: the rule does not
    // apply to it, so its missing `latest` stops nothing. The sale of
    // 01-20 (price 4.00, 3 units) owes 12.00.
    let contract = format!(
        "{PICKS}
clause 1 \"Latest\"
  alpha must pay beta latest price.amount * units on each sale due 30 days after the event

clause 2 \"Rises\"
  alpha must pay beta USD 1.00 * (highest sale.units where (units > previous sale.units)) on each deploy due 10 days after the event
"
    );
    let events = r#"[
      {"type": "sale", "date": "2025-12-20", "by": "alpha", "units": 1},
      {"type": "price", "date": "2026-01-10", "by": "alpha", "amount": "USD 4.00"},
      {"type": "sale", "date": "2026-01-20", "by": "alpha", "units": 3}
    ]"#;
    let (report, code, stderr) = evaluate("picks-needed", &contract, events, "2026-01-31");
    assert_eq!(code, Some(0), "{stderr}");
    let owed: Vec<(String, String, String, String)> = obligations(&report);
    assert_eq!(owed, [row("1", "12.00", "2026-02-19", "open")]);
    // Clause 2's pick looks at the sales (from the effective date) as they
    // come; for the first, on 01-02, `previous` has nothing to pick from,
    // so whether it counts cannot be told. Only a deployment, which needs
    // clause 2's amount, stops the evaluation, naming both events.
    let first = r#"[
      {"type": "price", "date": "2026-01-01", "by": "alpha", "amount": "USD 4.00"},
      {"type": "sale", "date": "2026-01-02", "by": "alpha", "units": 2}
    ]"#;
    let (_, code, stderr) = evaluate("picks-needed-2", &contract, first, "2026-01-31");
    assert_eq!(code, Some(0), "{stderr}");
    let deployed = first.replace(
        "\n    ]",
        ",\n      {\"type\": \"deploy\", \"date\": \"2026-01-25\", \"by\": \"alpha\"}\n    ]",
    );
    let (report, code, stderr) = evaluate("picks-needed-3", &contract, &deployed, "2026-01-31");
    assert_eq!(code, Some(2), "{stderr}");
    let diagnostic = &report["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "E0705", "{report}");
    assert_eq!(
        diagnostic["message"],
        "`previous sale.units` has nothing to pick from: no `sale` event came before this one, for event #2 sale 2026-01-02, which `highest sale.units where units > previous sale.units` looks at, for event #3 deploy 2026-01-25"
    );
}

#[test]
fn picks_serve_in_definitions_and_as_conditions() {
    // `define list = latest price.amount`, with no stretch, is used where
    // an event is in view; `latest status.frozen where ...` is a yes/no
    // condition of its own; `otherwise` takes text and yes/no as written.
    // A sale of 01-15 at 6.00 per unit with a list price of 5.00 breaks
    // clause 1; the deployment of 01-20 comes while the latest freeze
    // notice for production says frozen: a violation of clause 2; the
    // deployment of 01-05, before any notice, takes `otherwise false`.
    let contract = format!(
        "{PICKS}event freeze by party {{ frozen: bool, system: text }}
event quote by party {{ unit_price: money }}

define list = latest price.amount

clause 1 \"List price\"
  alpha must not quote where unit_price > list

clause 2 \"Freeze\"
  beta must not deploy where latest freeze.frozen where system is \"production\" otherwise false
"
    );
    let events = r#"[
      {"type": "deploy", "date": "2026-01-05", "by": "beta"},
      {"type": "price", "date": "2026-01-10", "by": "alpha", "amount": "USD 5.00"},
      {"type": "freeze", "date": "2026-01-12", "by": "alpha", "frozen": true, "system": "production"},
      {"type": "freeze", "date": "2026-01-13", "by": "alpha", "frozen": false, "system": "staging"},
      {"type": "quote", "date": "2026-01-15", "by": "alpha", "unit_price": "USD 6.00"},
      {"type": "deploy", "date": "2026-01-20", "by": "beta"}
    ]"#;
    let (report, code, stderr) = evaluate("picks-defined", &contract, events, "2026-01-31");
    assert_eq!(code, Some(1), "{stderr}");
    let found: Vec<(String, String)> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["clause"].as_str().unwrap().to_string(),
                v["event"]["date"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("1".to_string(), "2026-01-15".to_string()),
            ("2".to_string(), "2026-01-20".to_string()),
        ]
    );
}

#[test]
fn a_floor_is_rounded_labelled_by_its_own_period_and_looked_at_the_day_after() {
    // Clause 1 owes 5% of each quarter's sales; clause 2 holds a monthly
    // fee and a floor over clause 1 of USD 1,000.00 / 3 a year. By hand:
    // 2026's sales of USD 2,000.00 owe USD 100.00 under clause 1; the
    // floor is 333.333..., short by 233.333..., rounded half-up to
    // USD 233.33, labelled for the year 2026 (not a month), due 30
    // January 2027 (30 days after 31 December). As of 31 December 2026
    // the year is not yet looked at; as of 1 January 2027 it is.
    let contract = r#"contract "Floor"
  effective 2026-01-01
  term through 2026-12-31
  currency USD
  rounding half-up to 0.01
  settlement by payment

party alpha "Alpha Ltd"
party beta "Beta plc"

event sale by party { amount: money }
event payment by party { to: party, amount: money }

clause 1 "Royalty"
  alpha must pay beta 5% of total sale.amount for each quarter due 30 days after the end of the period

clause 2 "Minimum"
  alpha must pay beta USD 1.00 for each month due 5 days after the end of the period
  total owed by alpha to beta under clause 1 at least USD 1,000.00 / 3 for each year
    due 30 days after the end of the period
"#;
    let events =
        r#"[{"type": "sale", "date": "2026-05-10", "by": "alpha", "amount": "USD 2,000.00"}]"#;
    let floors = |report: &serde_json::Value| -> Vec<(String, String, String)> {
        report["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["source"] == "floor")
            .map(|o| {
                (
                    o["amount"].as_str().unwrap().to_string(),
                    o["period"]["label"].as_str().unwrap().to_string(),
                    o["due"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let (report, code, stderr) = evaluate("floor-before", contract, events, "2026-12-31");
    assert!(matches!(code, Some(0 | 1)), "{stderr}");
    assert_eq!(floors(&report), []);
    let (report, code, stderr) = evaluate("floor-after", contract, events, "2027-01-01");
    assert!(matches!(code, Some(0 | 1)), "{stderr}");
    assert_eq!(
        floors(&report),
        [(
            "233.33".to_string(),
            "2026".to_string(),
            "2027-01-30".to_string()
        )]
    );
}

#[test]
fn a_floor_prorated_for_a_partial_period_counts_the_days_of_a_leap_february() {
    // The term starts on 15 February 2028. The first quarter of 2028 has
    // 31 + 29 + 31 = 91 days, 15 + 31 = 46 of them in the term: the floor
    // of USD 9,100.00 prorated is 9,100.00 x 46 / 91 = USD 4,600.00, all
    // short (nothing is owed under clause 1), due 30 April (30 days after
    // 31 March). The second quarter is whole: USD 9,100.00, due 30 July.
    // Excluded, the first quarter asks nothing.
    let contract = |partial: &str| {
        format!(
            r#"contract "Floor"
  effective 2028-02-15
  term through 2028-12-31
  currency USD
  rounding half-up to 0.01
  settlement by payment

party alpha "Alpha Ltd"
party beta "Beta plc"

event sale by party {{ amount: money }}
event payment by party {{ to: party, amount: money }}

clause 1 "Royalty"
  alpha must pay beta 5% of total sale.amount for each quarter due 30 days after the end of the period

clause 2 "Minimum"
  total owed by alpha to beta under clause 1 at least USD 9,100.00 for each quarter
    partial periods {partial}
    due 30 days after the end of the period
"#
        )
    };
    let floors = |report: &serde_json::Value| -> Vec<(String, String)> {
        report["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["source"] == "floor")
            .map(|o| {
                (
                    o["amount"].as_str().unwrap().to_string(),
                    o["due"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let row = |a: &str, d: &str| (a.to_string(), d.to_string());
    let (report, code, stderr) =
        evaluate("floor-prorated", &contract("prorated"), "[]", "2028-07-01");
    assert!(matches!(code, Some(0 | 1)), "{stderr}");
    assert_eq!(
        floors(&report),
        [row("4600.00", "2028-04-30"), row("9100.00", "2028-07-30")]
    );
    let (report, code, stderr) =
        evaluate("floor-excluded", &contract("excluded"), "[]", "2028-07-01");
    assert!(matches!(code, Some(0 | 1)), "{stderr}");
    assert_eq!(floors(&report), [row("9100.00", "2028-07-30")]);
    let (report, code, stderr) = evaluate("floor-whole", &contract("whole"), "[]", "2028-07-01");
    assert!(matches!(code, Some(0 | 1)), "{stderr}");
    assert_eq!(
        floors(&report),
        [row("9100.00", "2028-04-30"), row("9100.00", "2028-07-30")]
    );
}

const FAMILY: &str = r#"
contract "Group test" effective 2026-01-01 term through 2026-12-31
party parent "Parent plc"
party sub_a "Sub A Ltd"
party sub_b "Sub B Ltd"
party other "Other Ltd"
group family "Parent and its subsidiaries" = parent, sub_a
  joins on acquire.company where acquire.by is parent
  leaves on dispose.company
event acquire by party { company: party }
event dispose by party { company: party }
event buy by party { }
event launch by party { }
event deliver by party { }
event order by party { }
milestone second_launch "Second launch by the family": count launch by family reaches 2
clause 1 "No buying elsewhere"
  family must not buy
clause 2 "Delivery"
  family must deliver on each order by other due 10 days after the event
"#;

/// A group's members act for it only while they belong: from the event
/// that adds them (that event's later neighbours on the same day
/// included, its earlier ones not) until the event that takes them out.
/// Worked by hand from the events below.
#[test]
fn a_group_binds_its_members_only_while_they_belong() {
    let events = r#"[
      {"type": "buy", "date": "2026-02-01", "id": "b-1", "by": "sub_b"},
      {"type": "buy", "date": "2026-03-01", "id": "b-2", "by": "sub_b"},
      {"type": "acquire", "date": "2026-03-01", "id": "m-1", "by": "parent", "company": "sub_b"},
      {"type": "buy", "date": "2026-03-01", "id": "b-3", "by": "sub_b"},
      {"type": "launch", "date": "2026-04-01", "id": "l-1", "by": "other"},
      {"type": "launch", "date": "2026-04-02", "id": "l-2", "by": "sub_b"},
      {"type": "acquire", "date": "2026-04-03", "id": "m-2", "by": "other", "company": "other"},
      {"type": "dispose", "date": "2026-05-01", "id": "m-3", "by": "parent", "company": "sub_a"},
      {"type": "launch", "date": "2026-05-02", "id": "l-3", "by": "sub_a"},
      {"type": "buy", "date": "2026-05-02", "id": "b-4", "by": "sub_a"},
      {"type": "buy", "date": "2026-05-03", "id": "b-5", "by": "other"},
      {"type": "acquire", "date": "2026-06-01", "id": "m-4", "by": "parent", "company": "sub_a"},
      {"type": "launch", "date": "2026-06-02", "id": "l-4", "by": "sub_a"},
      {"type": "acquire", "date": "2026-06-03", "id": "m-5", "by": "parent", "company": "sub_b"},
      {"type": "buy", "date": "2026-06-03", "id": "b-6", "by": "sub_b"},
      {"type": "dispose", "date": "2026-07-01", "id": "m-6", "by": "parent", "company": "sub_b"},
      {"type": "dispose", "date": "2026-07-01", "id": "m-7", "by": "parent", "company": "sub_b"},
      {"type": "buy", "date": "2026-07-01", "id": "b-7", "by": "sub_b"},
      {"type": "order", "date": "2026-08-01", "id": "o-1", "by": "other"},
      {"type": "deliver", "date": "2026-08-05", "id": "d-1", "by": "sub_b"},
      {"type": "deliver", "date": "2026-08-06", "id": "d-2", "by": "sub_a"},
      {"type": "order", "date": "2026-09-01", "id": "o-2", "by": "other"}
    ]"#;
    let (report, code, stderr) = evaluate("group-membership", FAMILY, events, "2026-12-31");
    assert_eq!(code, Some(1), "{stderr}");
    let ids = |list: &str| -> Vec<String> {
        report[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["event"]["id"].as_str().unwrap_or("").to_string())
            .collect()
    };
    // b-1: sub_b not yet a member. b-2 comes before m-1 on its day: not
    // yet; b-3 after it: a breach. b-4: sub_a left on 1 May. b-5: `other`
    // never joins (m-2 is not by `parent`). b-6: sub_b joined again (m-5)
    // on its day, before it. b-7: sub_b left (m-6; m-7 changes nothing).
    assert_eq!(ids("violations"), ["b-3", "b-6"]);
    // Launches by the family: l-2 (sub_b, a member since 1 March) is the
    // first; l-1 is by `other`, l-3 by sub_a while out; l-4 (sub_a, back
    // since 1 June) is the second, on 2 June.
    assert_eq!(report["milestones"][0]["name"], "second_launch");
    assert_eq!(report["milestones"][0]["date"], "2026-06-02", "{report}");
    // o-1 is delivered by d-2: sub_a is a member; d-1 is by sub_b, who
    // left on 1 July. o-2 is open, due 11 September: overdue by 31 December.
    let acts: Vec<(String, String)> = report["acts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["status"].as_str().unwrap_or("").to_string(),
                a["done_by"]["id"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    assert_eq!(
        acts,
        [
            ("discharged".to_string(), "d-2".to_string()),
            ("overdue".to_string(), "-".to_string())
        ]
    );
    assert!(report["acts"][0]["party"] == "family", "{report}");
}

const TITLE: &str = r#"
contract "Title test" effective 2026-01-01 term through 2026-12-31
party maker "Maker Ltd"
party buyer "Buyer plc"
party bank "Lender Bank"
party lab "Research Lab"
event build by party { kind: text }
event settle by party { }
event pledge by party { }
clause 1 "Title to units"
  maker owns assets made by build where kind is "unit"
    title passes to buyer on settle by buyer
    title passes to bank on pledge
clause 2 "Shared designs"
  maker owns 75% of assets made by build where kind is "design"
  lab owns 25% of assets made by build where kind is "design"
    title passes to maker on settle by buyer
"#;

/// Title passing on events, worked by hand: each payment passes title to
/// every unit built by then (earlier ones included), a unit built after it
/// stays the maker's until the next payment, a pledge takes whatever is
/// held then, and shares of a design pass on their own.
#[test]
fn title_passes_for_everything_made_up_to_the_event_and_no_further() {
    let events = r#"[
      {"type": "build", "date": "2026-02-01", "id": "U-1", "by": "maker", "kind": "unit"},
      {"type": "build", "date": "2026-02-02", "id": "D-1", "by": "maker", "kind": "design"},
      {"type": "build", "date": "2026-02-03", "id": "U-2", "by": "maker", "kind": "unit"},
      {"type": "settle", "date": "2026-03-01", "id": "P-1", "by": "buyer"},
      {"type": "build", "date": "2026-03-01", "id": "U-3", "by": "maker", "kind": "unit"},
      {"type": "settle", "date": "2026-03-02", "id": "P-2", "by": "maker"},
      {"type": "build", "date": "2026-04-01", "id": "U-4", "by": "maker", "kind": "unit"},
      {"type": "pledge", "date": "2026-05-01", "id": "L-1", "by": "buyer"},
      {"type": "build", "date": "2026-06-01", "id": "U-5", "by": "maker", "kind": "unit"}
    ]"#;
    let (report, code, stderr) = evaluate("title-passing", TITLE, events, "2026-12-31");
    assert_eq!(code, Some(0), "{stderr}");
    let shares: Vec<(String, String, String, Vec<String>)> = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["made_by"]["id"].as_str().unwrap_or("").to_string(),
                a["share"].as_str().unwrap_or("").to_string(),
                a["owner"].as_str().unwrap_or("").to_string(),
                a["title_passed"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| {
                        format!(
                            "{}>{}",
                            p["event"]["id"].as_str().unwrap_or(""),
                            p["to"].as_str().unwrap_or("")
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let share = |id: &str, pct: &str, owner: &str, passed: &[&str]| {
        (
            id.to_string(),
            pct.to_string(),
            owner.to_string(),
            passed.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        shares,
        [
            // U-1, U-2: built before P-1, so the buyer's by P-1; the bank's
            // by the pledge L-1.
            share("U-1", "100", "bank", &["P-1>buyer", "L-1>bank"]),
            // D-1: 75% the maker's, 25% the lab's, whose share passes to
            // the maker on the buyer's payment P-1 (P-2 is by the maker).
            share("D-1", "75", "maker", &[]),
            share("D-1", "25", "maker", &["P-1>maker"]),
            share("U-2", "100", "bank", &["P-1>buyer", "L-1>bank"]),
            // U-3: built the day of P-1 but after it: the maker's until
            // the pledge (P-2 is not by the buyer), then the bank's.
            share("U-3", "100", "bank", &["L-1>bank"]),
            share("U-4", "100", "bank", &["L-1>bank"]),
            // U-5: built after every passing: still the maker's.
            share("U-5", "100", "maker", &[]),
        ]
    );
}

/// An exception's grant replaces the general grant only for events it can
/// itself cover: a release by another member of the group is still the
/// general grant's (worked by hand: R1 and R2 by a2 under clause 1, R3 by
/// a1, model "m", under clause 1.1).
#[test]
fn an_exception_grant_replaces_the_general_one_only_for_its_own_grantors_events() {
    let contract = r#"
contract "T" effective 2026-01-01 term through 2027-12-31
party a1 "A1"
party a2 "A2"
party b "B"
group ag "A group" = a1, a2
event release by party { model: text }
clause 1 "Licence"
  ag grants b non_exclusive licence "models" over release
clause 1.1 "Exclusive for m" exception to 1
  a1 grants b exclusive licence "model m" over release where model is "m"
"#;
    let events = r#"[
 {"type":"release","date":"2026-03-02","by":"a2","model":"m","id":"R1"},
 {"type":"release","date":"2026-03-03","by":"a2","model":"n","id":"R2"},
 {"type":"release","date":"2026-03-04","by":"a1","model":"m","id":"R3"}
]"#;
    let (report, code, stderr) = evaluate("exception-grant-group", contract, events, "2026-12-31");
    assert_eq!(code, Some(0), "{stderr}");
    let got: Vec<(String, String, String)> = report["entitlements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["clause"].as_str().unwrap_or("").to_string(),
                e["grantor"].as_str().unwrap_or("").to_string(),
                e["event"]["id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let row = |c: &str, g: &str, e: &str| (c.to_string(), g.to_string(), e.to_string());
    assert_eq!(
        got,
        [
            row("1", "ag", "R1"),
            row("1", "ag", "R2"),
            row("1.1", "a1", "R3")
        ]
    );
}

/// Passings apply in the order of the events, whatever order the lines
/// are written in (worked by hand): `late` (1 May) is written before
/// `early` (1 March), so D-1 goes to atlas on 1 March and to client on 1
/// May; D-2, made after both, is client's as it is made. On 1 June an
/// `accept` by atlas (A-1) comes before the payment that reaches `paid`
/// (P-1): D-3 goes to atlas at A-1, then to the buyer at P-1.
#[test]
fn title_passings_apply_in_the_order_of_the_events_not_of_the_lines() {
    let contract = r#"
contract "T" effective 2026-01-01 term through 2026-12-31
party developer "D"
party client "C"
party atlas "A"
party buyer "B"
event deliver by party { }
event build by party { }
event accept by party { }
event payment by party { amount: money }
milestone early: 2026-03-01
milestone late: 2026-05-01
milestone paid: total payment.amount reaches USD 100.00
clause 1 "Title"
  developer owns assets made by deliver
    title passes to client once late
    title passes to atlas once early
clause 2 "Title to builds"
  developer owns assets made by build
    title passes to buyer once paid
    title passes to atlas on accept by atlas
"#;
    let events = r#"[
 {"type":"deliver","date":"2026-02-01","by":"developer","id":"D-1"},
 {"type":"build","date":"2026-05-20","by":"developer","id":"D-3"},
 {"type":"deliver","date":"2026-06-01","by":"developer","id":"D-2"},
 {"type":"accept","date":"2026-06-02","by":"atlas","id":"A-1"},
 {"type":"payment","date":"2026-06-02","by":"client","id":"P-1","amount":"USD 100.00"}
]"#;
    let (report, code, stderr) = evaluate("title-order", contract, events, "2026-12-31");
    assert_eq!(code, Some(0), "{stderr}");
    let got: Vec<(String, String, Vec<String>)> = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["made_by"]["id"].as_str().unwrap_or("").to_string(),
                a["owner"].as_str().unwrap_or("").to_string(),
                a["title_passed"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| {
                        format!(
                            "{} {}",
                            p["date"].as_str().unwrap_or(""),
                            p["to"].as_str().unwrap_or("")
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let row = |id: &str, owner: &str, passed: &[&str]| {
        (
            id.to_string(),
            owner.to_string(),
            passed.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        got,
        [
            row("D-1", "client", &["2026-03-01 atlas", "2026-05-01 client"]),
            row("D-3", "buyer", &["2026-06-02 atlas", "2026-06-02 buyer"]),
            row("D-2", "client", &["2026-06-01 client"]),
        ]
    );
}

const SUPPORT_UNTIL_PAID: &str = r#"
contract "Licence with support until the fee is paid" effective 2026-01-01 term through 2026-12-31
  currency USD
  settlement by payment
party licensee "Harbour Retail plc"
party licensor "Forge Code Ltd"
event payment by party { to: party, amount: money }
event deliver by party { }
milestone fee_paid "Licence fee paid in full": clause 1 paid in full
milestone delivered_then_paid: deliver by licensor, then clause 1 paid in full
clause 1 "Licence fee"
  licensee must pay licensor USD 3,000.00
    due 2026-12-31
clause 2 "Support until the fee is paid"
  licensee must pay licensor USD 500.00
    for each month
    until fee_paid
    due 10 days after the end of the period
"#;

fn payment(id: &str, date: &str, amount: &str) -> String {
    format!(
        r#"{{"type": "payment", "id": "{id}", "date": "{date}", "by": "licensee", "to": "licensor", "amount": "USD {amount}"}}"#
    )
}

/// Each milestone as (name, date reached or "", ids of the events).
fn milestones(report: &serde_json::Value) -> Vec<(String, String, Vec<String>)> {
    report["milestones"]
        .as_array()
        .unwrap_or_else(|| panic!("no milestones in {report}"))
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap_or("").to_string(),
                m["date"].as_str().unwrap_or("").to_string(),
                m["events"]
                    .as_array()
                    .map(|es| {
                        es.iter()
                            .map(|e| e["id"].as_str().unwrap_or("").to_string())
                            .collect()
                    })
                    .unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_clause_paid_in_full_is_reached_by_the_payment_settlement_says_completed_it() {
    // Payments go to what is due first. PAY-1 (1 March, 3,000.00): support
    // for January, February and March (due 10 Feb, 10 Mar, 10 Apr, all
    // arisen by 1 March) 1,500.00, then 1,500.00 of the fee (due 31 Dec).
    // PAY-2 (1 August, 4,000.00): support April-July 2,000.00, then the
    // 1,500.00 left of the fee: paid in full on 1 August, so support runs
    // through 31 July and August's is not owed; 500.00 is left over.
    let events = format!(
        "[{}, {}, {}]",
        payment("PAY-1", "2026-03-01", "3,000.00"),
        r#"{"type": "deliver", "id": "DEL-1", "date": "2026-08-01", "by": "licensor"}"#,
        payment("PAY-2", "2026-08-01", "4,000.00"),
    );
    let (report, code, stderr) =
        evaluate("paid-in-full", SUPPORT_UNTIL_PAID, &events, "2026-12-31");
    // Support for January, April, May and June was paid late: findings.
    assert_eq!(code, Some(1), "{stderr}");
    // Support for each month, January to July, by its due date.
    let support = |due: &str| row("2", "500.00", due, "discharged");
    assert_eq!(
        obligations(&report),
        [
            row("1", "3000.00", "2026-12-31", "discharged"),
            support("2026-02-10"),
            support("2026-03-10"),
            support("2026-04-10"),
            support("2026-05-10"),
            support("2026-06-10"),
            support("2026-07-10"),
            support("2026-08-10"),
        ]
    );
    assert_eq!(report["obligations"][0]["discharged_on"], "2026-08-01");
    // The delivery came before the payment on the same day: paid after it,
    // so `deliver, then clause 1 paid in full` is reached by both.
    assert_eq!(
        milestones(&report),
        [
            (
                "fee_paid".into(),
                "2026-08-01".into(),
                vec!["PAY-2".to_string()]
            ),
            (
                "delivered_then_paid".into(),
                "2026-08-01".into(),
                vec!["DEL-1".to_string(), "PAY-2".to_string()]
            ),
        ]
    );
}

#[test]
fn a_clause_short_of_paid_leaves_the_milestone_unreached_and_support_owed_to_the_end() {
    // PAY-1 pays support January-March (1,500.00) and 1,500.00 of the fee;
    // PAY-2 (1 August, 3,000.00) pays support April-August first (2,500.00:
    // August's has arisen on 1 August), then 500.00 of the fee, which
    // stays 1,000.00 short. Support is owed every month of the term.
    let events = format!(
        "[{}, {}]",
        payment("PAY-1", "2026-03-01", "3,000.00"),
        payment("PAY-2", "2026-08-01", "3,000.00"),
    );
    let (report, code, stderr) =
        evaluate("short-of-paid", SUPPORT_UNTIL_PAID, &events, "2026-12-31");
    assert_eq!(code, Some(1), "{stderr}");
    let owed = obligations(&report);
    assert_eq!(owed[0], row("1", "3000.00", "2026-12-31", "open"));
    assert_eq!(report["obligations"][0]["paid"], "2000.00");
    // Twelve months of support, the last due 10 January 2027.
    assert_eq!(owed.len(), 13);
    assert_eq!(owed[12], row("2", "500.00", "2027-01-10", "open"));
    assert_eq!(
        milestones(&report),
        [
            ("fee_paid".into(), String::new(), Vec::new()),
            ("delivered_then_paid".into(), String::new(), Vec::new()),
        ]
    );
}

#[test]
fn a_clause_is_paid_in_full_only_when_every_payment_it_owes_has_arisen_and_been_paid() {
    // Two instalments: 1,000.00 due 31 March, and 2,000.00 owed from
    // acceptance, due 30 days after it. PAY-1 (10 March) pays the first;
    // before acceptance the second has not arisen, so the clause is not
    // paid in full, though nothing is owed. Acceptance on 1 May raises it;
    // PAY-2 (20 May, 1,500.00) is short; PAY-3 (25 May, 500.00) completes it.
    let contract = r#"
contract "Instalments" effective 2026-01-01 term through 2026-12-31
  currency USD
  settlement by payment
party buyer "Harbour Retail plc"
party seller "Forge Code Ltd"
event payment by party { to: party, amount: money }
event accept by party { }
milestone accepted: accept by buyer
milestone price_paid "The price paid in full": clause 1 paid in full
clause 1 "Price"
  buyer must pay seller USD 1,000.00
    due 2026-03-31
  buyer must pay seller USD 2,000.00
    from accepted
    due 30 days after accepted
clause 2 "Warranty after payment"
  seller must repair
    on each fault from price_paid
    due 5 days after the event
"#;
    let contract = contract.replace(
        "event accept by party { }",
        "event accept by party { }\nevent fault by party { }\nevent repair by party { }",
    );
    let pay = |id: &str, date: &str, amount: &str| {
        format!(
            r#"{{"type": "payment", "id": "{id}", "date": "{date}", "by": "buyer", "to": "seller", "amount": "USD {amount}"}}"#
        )
    };
    let events = format!(
        "[{}, {}, {}, {}, {}, {}]",
        pay("PAY-1", "2026-03-10", "1,000.00"),
        r#"{"type": "fault", "id": "F-1", "date": "2026-04-01", "by": "buyer"}"#,
        r#"{"type": "accept", "id": "ACC-1", "date": "2026-05-01", "by": "buyer"}"#,
        pay("PAY-2", "2026-05-20", "1,500.00"),
        pay("PAY-3", "2026-05-25", "500.00"),
        r#"{"type": "fault", "id": "F-2", "date": "2026-06-01", "by": "buyer"}"#,
    );
    let (report, code, stderr) = evaluate("instalments-paid", &contract, &events, "2026-06-30");
    // The repair due 6 June is not done by 30 June: a finding.
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        milestones(&report)[1],
        (
            "price_paid".into(),
            "2026-05-25".into(),
            vec!["PAY-3".to_string()]
        )
    );
    // The fault of 1 April came before the price was paid: no repair owed;
    // the fault of 1 June is, due 6 June.
    let acts = report["acts"].as_array().unwrap();
    assert_eq!(acts.len(), 1, "{acts:?}");
    assert_eq!(acts[0]["due"], "2026-06-06");
}

#[test]
fn payments_and_a_milestone_that_decide_each_other_are_an_error_not_a_guess() {
    // Clause 2 owes 1,000.00 from fee_paid, due 1 February: earlier than
    // the fee. Taken as unpaid, PAY-1 pays the fee on 1 March; taken as
    // paid then, clause 2 arises on 1 March and, due first, takes 1,000.00
    // of PAY-1, so the fee is unpaid.
    let contract = SUPPORT_UNTIL_PAID.replace(
        "  licensee must pay licensor USD 500.00\n    for each month\n    until fee_paid\n    due 10 days after the end of the period",
        "  licensee must pay licensor USD 1,000.00\n    from fee_paid\n    due 2026-02-01",
    );
    let events = format!("[{}]", payment("PAY-1", "2026-03-01", "3,000.00"));
    let (report, code, stderr) = evaluate("paid-in-full-cycle", &contract, &events, "2026-12-31");
    assert_eq!(code, Some(2), "{stderr}");
    // No report: the problem, as JSON, pointing at the milestone.
    let problem = &report["files"][0]["diagnostics"][0];
    assert_eq!(problem["code"], "E0411", "{report}");
    assert_eq!(
        problem["message"],
        "whether clause 1 is paid in full turns on itself: taken as paid on 2026-03-01, the payments leave it unpaid"
    );
    assert_eq!(problem["primary"]["startPosition"]["line"], 9);
}

#[test]
fn events_from_standard_input_are_read_again_for_a_clause_paid_in_full() {
    let dir = std::env::temp_dir().join(format!("proviso-paid-stdin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let contract_path = dir.join("contract.proviso");
    std::fs::write(&contract_path, SUPPORT_UNTIL_PAID).unwrap();
    let ndjson = format!(
        "{}\n{}\n",
        payment("PAY-1", "2026-03-01", "3,000.00"),
        payment("PAY-2", "2026-08-01", "4,000.00")
    );
    let output = common::proviso_with_stdin(
        &[
            "eval",
            contract_path.to_str().unwrap(),
            "-",
            "--as-of",
            "2026-12-31",
            "--format",
            "json",
        ],
        ndjson.as_bytes(),
    );
    std::fs::remove_dir_all(&dir).unwrap();
    // Late support, as from a file.
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // As from a file: paid on 1 August, support January to July.
    assert_eq!(milestones(&report)[0].1, "2026-08-01");
    assert_eq!(obligations(&report).len(), 8);
}

#[test]
fn a_definition_for_each_period_adds_up_the_period_so_far_about_an_event() {
    // monthly_units: the units sold in the month, up to the sale in view.
    // Sales of 60 (5 Jan), 50 (20 Jan: 110 in January, over 100, a
    // violation), 90 (1 Feb: February starts afresh, 90), 20 (2 Feb: 110,
    // a violation). The milestone is reached by the first sale that brings
    // a month past 100: 20 January. The royalty is per quarter as earned,
    // a field of kind `quarter`, the definition's period: 2% of the
    // quarter's sales, USD 60 + 50 + 90 + 20 = 220 units at USD 10.00 =
    // USD 2,200.00, so USD 44.00, due 30 April.
    let contract = r#"
contract "Distribution" effective 2026-01-01 term through 2026-12-31
  currency USD
  rounding half-up to 0.01
  settlement by payment
party seller "Harbour Retail plc"
party maker "Forge Devices Ltd"
event sell by party { units: number, value: money, quarter: quarter }
event payment by party { to: party, amount: money }
define monthly_units "Units sold in the month" = total sell.units
  for each month
define quarterly_value = total sell.value
  for each quarter
milestone busy_month "A month past 100 units": sell where monthly_units > 100
clause 1 "Monthly allocation"
  seller must not sell where monthly_units > 100
clause 2 "Royalty"
  seller must pay maker 2% of quarterly_value
    for each sell.quarter as earned
    due 30 days after the end of the period
"#;
    let sell = |id: &str, date: &str, units: u32| {
        format!(
            r#"{{"type": "sell", "id": "{id}", "date": "{date}", "by": "seller", "units": {units}, "value": "USD {}.00", "quarter": "2026-Q1"}}"#,
            units * 10
        )
    };
    let events = format!(
        "[{}, {}, {}, {}]",
        sell("S-1", "2026-01-05", 60),
        sell("S-2", "2026-01-20", 50),
        sell("S-3", "2026-02-01", 90),
        sell("S-4", "2026-02-02", 20),
    );
    let (report, code, stderr) = evaluate("definition-for-each", contract, &events, "2026-06-30");
    assert_eq!(code, Some(1), "{stderr}");
    let violated: Vec<&str> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["event"]["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(violated, ["S-2", "S-4"]);
    assert_eq!(report["milestones"][0]["date"], "2026-01-20");
    assert_eq!(
        obligations(&report),
        [row("2", "44.00", "2026-04-30", "overdue")]
    );
}

#[test]
fn a_definition_for_a_declared_quarter_serves_a_payment_for_each_calendar_quarter() {
    // `period q: quarter starting april` covers the same days as
    // `quarter` (April-June, July-September ...): the definition may be
    // used in a quarterly payment. 10% of USD 500.00 + USD 700.00 in the
    // first quarter = USD 120.00.
    let contract = r#"
contract "Fees" effective 2026-01-01 term through 2026-12-31
  currency USD
  settlement by payment
party a "A Ltd"
party b "B plc"
period q "Quarter from April": quarter starting april
event sell by party { value: money }
event payment by party { to: party, amount: money }
define q_sales = total sell.value for each q
clause 1 "Fee"
  a must pay b 10% of q_sales
    for each quarter
    due 2026-12-31
"#;
    let events = r#"[
      {"type": "sell", "date": "2026-02-01", "by": "a", "value": "USD 500.00"},
      {"type": "sell", "date": "2026-03-31", "by": "a", "value": "USD 700.00"}
    ]"#;
    let (report, code, stderr) = evaluate(
        "definition-declared-quarter",
        contract,
        events,
        "2026-03-31",
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        obligations(&report),
        [row("1", "120.00", "2026-12-31", "open")]
    );
}

#[test]
fn a_clause_paid_in_full_is_ordered_by_date_whatever_order_a_file_lists_events() {
    // Deliveries on 1 April and 1 May, the fee paid on 1 August, listed
    // first. `clause 1 paid in full, then deliver` needs a delivery after
    // the payment: there is none, so it is not reached.
    let contract = SUPPORT_UNTIL_PAID.replace(
        "milestone delivered_then_paid: deliver by licensor, then clause 1 paid in full",
        "milestone delivered_then_paid: clause 1 paid in full, then deliver by licensor",
    );
    let events = format!(
        "[{}, {}, {}]",
        payment("PAY-1", "2026-08-01", "6,500.00"),
        r#"{"type": "deliver", "id": "D-1", "date": "2026-04-01", "by": "licensor"}"#,
        r#"{"type": "deliver", "id": "D-2", "date": "2026-05-01", "by": "licensor"}"#,
    );
    let (report, _, stderr) = evaluate("paid-in-full-order", &contract, &events, "2026-12-31");
    // Support January-August (4,000.00, August's arisen that day) is due
    // before the fee; 2,500.00 is left for the fee of 3,000.00 if August's
    // is owed, and the fee is paid if it is not (then 500.00 is left):
    // two readings, refused.
    assert_eq!(
        report["files"][0]["diagnostics"][0]["code"], "E0411",
        "{report}{stderr}"
    );
    let events = format!(
        "[{}, {}, {}]",
        payment("PAY-1", "2026-07-15", "6,500.00"),
        r#"{"type": "deliver", "id": "D-1", "date": "2026-04-01", "by": "licensor"}"#,
        r#"{"type": "deliver", "id": "D-2", "date": "2026-05-01", "by": "licensor"}"#,
    );
    // On 15 July support January-July (3,500.00) then the fee (3,000.00):
    // paid that day. No delivery after it.
    let (report, _, stderr) = evaluate("paid-in-full-order-2", &contract, &events, "2026-12-31");
    assert_eq!(
        milestones(&report),
        [
            (
                "fee_paid".into(),
                "2026-07-15".into(),
                vec!["PAY-1".to_string()]
            ),
            ("delivered_then_paid".into(), String::new(), Vec::new()),
        ],
        "{stderr}"
    );
}

/// A contract whose clause k owes USD 100.00 from the day clause k-1 is
/// paid in full, and a payment of USD 100.00 a week from 5 January 2026
/// for each clause.
fn chain(clauses: usize) -> (String, String) {
    let mut text = String::from(
        "contract \"Chain\" effective 2026-01-01 term through 2027-12-31\n  currency USD\n  settlement by payment\nparty a \"A Ltd\"\nparty b \"B plc\"\nevent payment by party { to: party, amount: money }\n",
    );
    for k in 1..=clauses {
        text.push_str(&format!("milestone paid_{k}: clause {k} paid in full\n"));
    }
    for k in 1..=clauses {
        text.push_str(&format!(
            "clause {k} \"Step {k}\"\n  a must pay b USD 100.00\n    due 2027-12-31\n"
        ));
        if k > 1 {
            text.push_str(&format!("    from paid_{}\n", k - 1));
        }
    }
    let start = jiff::civil::date(2026, 1, 5);
    let events: Vec<String> = (0..clauses)
        .map(|k| {
            let weeks = i64::try_from(k).unwrap();
            let day = start.checked_add(jiff::Span::new().weeks(weeks)).unwrap();
            format!(r#"{{"type": "payment", "date": "{day}", "by": "a", "to": "b", "amount": "USD 100.00"}}"#)
        })
        .collect();
    (text, format!("[{}]", events.join(",")))
}

#[test]
fn a_chain_of_clauses_each_owed_once_the_one_before_is_paid_settles_whole() {
    // 20 clauses: 20 readings, each settling one more; all paid.
    let (text, events) = chain(20);
    let (report, code, stderr) = evaluate("paid-in-full-chain", &text, &events, "2027-12-31");
    assert_eq!(code, Some(0), "{stderr}{report}");
    // The last is paid by the 20th payment, 19 weeks after 5 January:
    // 18 May 2026.
    assert_eq!(report["milestones"][19]["date"], "2026-05-18");
    assert!(obligations(&report).iter().all(|o| o.3 == "discharged"));
}

#[test]
fn a_chain_longer_than_the_readings_allowed_is_an_error_not_a_wait() {
    // 120 clauses would take 121 readings; proviso stops after 100, with
    // clause 101 still changing: paid by the 101st payment, 100 weeks
    // after 5 January 2026, on 6 December 2027.
    let (text, events) = chain(120);
    let (report, code, _) = evaluate("paid-in-full-long-chain", &text, &events, "2027-12-31");
    assert_eq!(code, Some(2));
    assert_eq!(
        report["files"][0]["diagnostics"][0]["message"],
        "after 100 readings of the events, whether clause 101 is paid in full was still changing: unpaid on one, paid on 2027-12-06 on the next"
    );
}

#[test]
fn a_field_named_like_a_milestone_is_not_a_circle() {
    // `notice.fee_paid` is a field; only the payment's window and due date
    // can wait for the milestone.
    let contract = r#"
contract "Fee" effective 2026-01-01 term through 2026-12-31
  currency USD
  settlement by payment
party licensee "Harbour Retail plc"
party licensor "Forge Code Ltd"
event payment by party { to: party, amount: money }
event notice by party { fee_paid: bool }
milestone fee_paid: clause 1 paid in full
clause 1 "Fee"
  licensee must pay licensor USD 1,000.00
    due 2026-03-31
    cure within 10 days after notice by licensor where notice.fee_paid
"#;
    let (_, code, stderr) = evaluate("paid-in-full-field", contract, "[]", "2026-12-31");
    assert_eq!(code, Some(1), "{stderr}");
}

#[cfg(unix)]
#[test]
fn events_from_a_pipe_are_read_once_and_kept_for_a_clause_paid_in_full() {
    let dir = std::env::temp_dir().join(format!("proviso-paid-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let contract_path = dir.join("contract.proviso");
    std::fs::write(&contract_path, SUPPORT_UNTIL_PAID).unwrap();
    let pipe = dir.join("events.ndjson");
    // Without `mkfifo` (not a Unix with coreutils) there is nothing to test.
    let made = std::process::Command::new("mkfifo").arg(&pipe).status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    let ndjson = format!(
        "{}\n{}\n",
        payment("PAY-1", "2026-03-01", "3,000.00"),
        payment("PAY-2", "2026-08-01", "4,000.00")
    );
    let writer = {
        let pipe = pipe.clone();
        std::thread::spawn(move || std::fs::write(pipe, ndjson))
    };
    let output = proviso(&[
        "eval",
        contract_path.to_str().unwrap(),
        pipe.to_str().unwrap(),
        "--as-of",
        "2026-12-31",
        "--format",
        "json",
    ]);
    writer.join().unwrap().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(milestones(&report)[0].1, "2026-08-01");
}

#[test]
fn explain_shows_a_definitions_running_totals_only_where_it_is_about_the_event() {
    // Clause 1 uses `qr` about the sale in view: its totals are shown as
    // the sale came. Clause 2 uses it only in the condition of a running
    // total, about the refunds added up: not shown. Refunds of 5.00 (5
    // Jan, quarter at -5.00: not counted) and 7.00 (11 Jan, quarter at
    // 30,000.00 - 12.00 = 29,988.00: counted), so clause 2 owes 7.00 for
    // the sale of 12 January.
    let contract = r#"
contract "T" effective 2026-01-01 term through 2026-12-31
  currency USD
  rounding half-up to 0.01
  settlement by payment
party reseller "R"
party vendor "V"
event sale by party { amount: money }
event refund by party { amount: money }
event payment by party { to: party, amount: money }
define qr "Quarterly revenue" = total sale.amount - total refund.amount
  for each quarter
clause 1 "Bonus"
  vendor must pay reseller USD 1.00
    on each sale where qr > USD 20,000.00
    due 1 day after the event
clause 2 "Refund credit"
  vendor must pay reseller (total refund.amount in the same year where qr > USD 20,000.00)
    on each sale where sale.amount < USD 10.00
    due 1 day after the event
"#;
    let events = r#"[
      {"type": "refund", "date": "2026-01-05", "by": "reseller", "amount": "USD 5.00"},
      {"type": "sale", "date": "2026-01-10", "by": "reseller", "amount": "USD 30,000.00"},
      {"type": "refund", "date": "2026-01-11", "by": "reseller", "amount": "USD 7.00"},
      {"type": "sale", "date": "2026-01-12", "by": "reseller", "amount": "USD 1.00"}
    ]"#;
    let dir = std::env::temp_dir().join(format!("proviso-explain-defs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("c.proviso"), contract).unwrap();
    std::fs::write(dir.join("e.json"), events).unwrap();
    let output = proviso(&[
        "eval",
        dir.join("c.proviso").to_str().unwrap(),
        dir.join("e.json").to_str().unwrap(),
        "--explain",
        "--as-of",
        "2026-01-31",
        "--color",
        "never",
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    let clause = |n: &str| -> Vec<&str> {
        text.split("\n  clause ")
            .filter(|part| part.starts_with(n))
            .flat_map(|part| part.lines().filter(|l| l.contains(" came, ")))
            .collect()
    };
    // Clause 1: the sale of 10 January (30,000.00 - 5.00 = 29,995.00) and
    // of 12 January (30,001.00 - 12.00 = 29,989.00).
    assert_eq!(
        clause("1 "),
        [
            "    why: as #2 sale 2026-01-10 came, `total sale.amount` in `qr` = USD 30,000.00",
            "    why: as #2 sale 2026-01-10 came, `total refund.amount` in `qr` = USD 5.00",
            "    why: as #4 sale 2026-01-12 came, `total sale.amount` in `qr` = USD 30,001.00",
            "    why: as #4 sale 2026-01-12 came, `total refund.amount` in `qr` = USD 12.00",
        ],
        "{text}"
    );
    assert_eq!(
        clause("2 "),
        [
            "    why: as #4 sale 2026-01-12 came, `total refund.amount in the same year where qr > USD 20,000.00` = USD 7.00"
        ],
        "{text}"
    );
}

#[test]
fn a_payment_due_no_days_after_the_event_is_due_that_day() {
    // diagnostics.md, E0311: `0 days after` is refused in a window only.
    let contract = format!(
        "{ROYALTY_HEADER}
clause 4 \"Royalty\"
  licensee must pay licensor 8% of sell.net_sales
    on each sell
    due 0 days after the event
"
    );
    let events = r#"[
      {"type": "sell", "date": "2026-02-01", "by": "licensee", "channel": "retail", "net_sales": "USD 1,000.00"}
    ]"#;
    // 8% of 1,000.00 = 80.00, due on the day of the sale; unpaid on the
    // next day, it is overdue.
    let (report, exit, stderr) = evaluate("due-same-day", &contract, events, "2026-02-01");
    assert_eq!(exit, Some(0), "{stderr}");
    assert_eq!(
        obligations(&report),
        [row("4", "80.00", "2026-02-01", "open")]
    );
    let (report, _, stderr) = evaluate("due-same-day-after", &contract, events, "2026-02-02");
    assert_eq!(
        obligations(&report),
        [row("4", "80.00", "2026-02-01", "overdue")],
        "{stderr}"
    );
}

#[test]
fn findings_are_listed_in_the_order_the_file_writes_the_clauses() {
    // report.md: "by clause" is the order of the file, not of the numbers
    // (3 before 1: neither their order as numbers nor as text).
    let contract = format!(
        "{ROYALTY_HEADER}
clause 3 \"Online royalty\"
  licensee must pay licensor 4% of sell.net_sales
    on each sell where channel is online
    due 30 days after the event

clause 1 \"Retail royalty\"
  licensee must pay licensor 8% of sell.net_sales
    on each sell where channel is retail
    due 30 days after the event
"
    );
    let events = r#"[
      {"type": "sell", "date": "2026-02-01", "by": "licensee", "channel": "retail", "net_sales": "USD 1,000.00"},
      {"type": "sell", "date": "2026-02-10", "by": "licensee", "channel": "online", "net_sales": "USD 500.00"}
    ]"#;
    let (report, exit, stderr) = evaluate("file-order", &contract, events, "2026-02-15");
    assert_eq!(exit, Some(0), "{stderr}");
    assert_eq!(
        obligations(&report),
        [
            // Written first: 4% of 500.00 = 20.00, due 30 days after 2026-02-10.
            row("3", "20.00", "2026-03-12", "open"),
            // 8% of 1,000.00 = 80.00, due 30 days after 2026-02-01.
            row("1", "80.00", "2026-03-03", "open"),
        ]
    );
}

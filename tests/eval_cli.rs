//! `proviso eval` through the real binary: the flagship's report as a
//! reviewed snapshot, exit codes, determinism, and a diagnostic for every
//! broken event file in `tests/events/`.

// Test code: a failed expectation should stop the test loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

mod common;
use common::proviso;

fn settings() -> insta::Settings {
    common::snapshots_in("eval")
}

const FLAGSHIP: &str = "contracts/microsoft-openai-2025.proviso";
const FLAGSHIP_EVENTS: &str = "contracts/events/microsoft-openai-2025.json";

#[test]
fn the_flagship_report_for_people() {
    let output = proviso(&["eval", FLAGSHIP, FLAGSHIP_EVENTS, "--as-of", "2030-12-31"]);
    // Overdue revenue shares and two violations: exit 1.
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    settings().bind(|| insta::assert_snapshot!("flagship-human", stdout));
}

#[test]
fn the_flagship_report_for_tools() {
    let output = proviso(&[
        "eval",
        FLAGSHIP,
        FLAGSHIP_EVENTS,
        "--as-of",
        "2030-12-31",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["schema"], "proviso.report/1");
    // Worked out from the contract's wording: 20% of each quarter's revenue.
    let amounts: Vec<(&str, &str, &str)> = report["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["amount"].as_str().unwrap(),
                o["due"].as_str().unwrap(),
                o["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        amounts,
        [
            ("2000000.00", "2026-05-15", "discharged"),
            ("2500000.00", "2026-08-14", "overdue"),
            ("8000000.00", "2030-05-15", "overdue"),
            // 2030-Q2, earned partly before AGI was verified on 2030-05-20:
            // 49 of its 91 days (1 April to 19 May) are in the window, so 20%
            // of 50,000,000.00 × 49/91 = 5,384,615.3846... → 5,384,615.38.
            ("5384615.38", "2030-08-14", "overdue"),
        ]
    );
    settings().bind(|| insta::assert_json_snapshot!("flagship-json", report));
}

#[test]
fn explain_gives_the_reasoning() {
    let output = proviso(&[
        "eval",
        FLAGSHIP,
        FLAGSHIP_EVENTS,
        "--as-of",
        "2030-12-31",
        "--explain",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    // The AGI milestone, reached 2030-05-20, ends the revenue share the day before.
    assert!(
        stdout.contains("why: window: from 2025-10-28 (the effective date) through 2030-05-19 (the day before `agi` was reached on 2030-05-20)"),
        "{stdout}"
    );
    settings().bind(|| insta::assert_snapshot!("flagship-explain", stdout));
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let args = ["eval", FLAGSHIP, FLAGSHIP_EVENTS, "--format", "json"];
    assert_eq!(proviso(&args).stdout, proviso(&args).stdout);
}

#[test]
fn before_the_first_quarter_is_due_nothing_is_owed_late() {
    // As of 2026-05-14, the first share is paid and nothing is overdue yet;
    // the later events are not considered.
    let output = proviso(&[
        "eval",
        FLAGSHIP,
        FLAGSHIP_EVENTS,
        "--as-of",
        "2026-05-14",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["obligations"], 1);
    assert_eq!(report["summary"]["discharged"], 1);
    assert_eq!(report["events"]["considered"], 2);
}

#[test]
fn late_delivery_with_and_without_force_majeure() {
    let output = proviso(&[
        "eval",
        "examples/late-delivery.proviso",
        "examples/events/late-delivery.json",
        "--as-of",
        "2026-06-30",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let obligations = report["obligations"].as_array().unwrap();
    // PO-1: delivered 2026-03-07, due 2026-03-02: 5 days late, 2 full periods
    // of 2 days, 2 × 10.5% = 21% of EUR 80,000.00 = EUR 16,800.00, due 30
    // days after delivery (2026-04-06). EUR 10,000.00 was credited on
    // 2026-04-01, so 6,800.00 is overdue at 2026-06-30.
    // PO-2 was late too, but by force majeure: no penalty.
    assert_eq!(obligations.len(), 1);
    assert_eq!(obligations[0]["amount"], "16800.00");
    assert_eq!(obligations[0]["due"], "2026-04-06");
    assert_eq!(obligations[0]["paid"], "10000.00");
    assert_eq!(obligations[0]["status"], "overdue");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn every_broken_event_file_gives_exit_2_and_a_reviewed_diagnostic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(root.join("tests/events"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for file in files {
        let relative = file.strip_prefix(root).unwrap().display().to_string();
        let output = proviso(&["eval", "--color", "never", FLAGSHIP, &relative]);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(2), "{relative}: {stderr}");
        assert!(
            output.stdout.is_empty(),
            "{relative}: nothing is evaluated from invalid events"
        );
        let name = file
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace('.', "-");
        settings().bind(|| insta::assert_snapshot!(name, stderr));
    }
}

/// The obligations of a contract and events given as text, written to a
/// temporary folder named after `name` for the command to read.
fn owed_written(name: &str, contract: &str, events: &str, as_of: &str) -> Vec<Row> {
    let dir = std::env::temp_dir().join(format!("proviso-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (contract_path, events_path) = (dir.join("contract.proviso"), dir.join("events.json"));
    std::fs::write(&contract_path, contract).unwrap();
    std::fs::write(&events_path, events).unwrap();
    let (rows, _) = owed(
        contract_path.to_str().unwrap(),
        events_path.to_str().unwrap(),
        as_of,
    );
    std::fs::remove_dir_all(&dir).unwrap();
    rows
}

/// One obligation of a JSON report: amount, due date, status, paid.
type Row = (String, String, String, String);

/// The obligations of a JSON report, and the exit code.
fn owed(contract: &str, events: &str, as_of: &str) -> (Vec<Row>, Option<i32>) {
    let output = proviso(&[
        "eval", contract, events, "--as-of", as_of, "--format", "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let rows = report["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let s = |k: &str| o[k].as_str().unwrap_or("").to_string();
            (s("amount"), s("due"), s("status"), s("paid"))
        })
        .collect();
    (rows, output.status.code())
}

fn row(amount: &str, due: &str, status: &str, paid: &str) -> Row {
    (amount.into(), due.into(), status.into(), paid.into())
}

#[test]
fn royalty_per_calendar_quarter() {
    let (rows, exit) = owed(
        "examples/royalty.proviso",
        "examples/events/royalty.json",
        "2026-08-31",
    );
    assert_eq!(
        rows,
        [
            // Q1: 8% of (100,000.00 + 50,000.00) = 12,000.00, due 30 days after
            // 2026-03-31; paid on 2026-04-28.
            row("12000.00", "2026-04-30", "discharged", "12000.00"),
            // Q2: 8% of 20,000.00 = 1,600.00, due 30 days after 2026-06-30; unpaid.
            row("1600.00", "2026-07-30", "overdue", "0"),
        ]
    );
    assert_eq!(exit, Some(1));
}

#[test]
fn instalments_with_interest_on_a_balance_proviso_keeps() {
    let (rows, _) = owed(
        "examples/instalment-interest.proviso",
        "examples/events/instalment-interest.json",
        "2026-04-30",
    );
    assert_eq!(
        rows,
        [
            row("2500.00", "2026-02-02", "discharged", "2500.00"),
            row("2500.00", "2026-03-02", "discharged", "2500.00"),
            row("2500.00", "2026-04-02", "discharged", "2500.00"),
            // 10,000.00 - 2,500.00 = 7,500.00 + 112.50 = 7,612.50;
            // - 2,500.00 = 5,112.50 + 76.6875 (76.69) = 5,189.19;
            // - 2,500.00 = 2,689.19 + 40.33785 (40.34) = 2,729.53 on
            // 2026-04-01; with the 500.00 fee, 3,229.53.
            row("3229.53", "2026-04-30", "discharged", "3229.53"),
        ]
    );
}

#[test]
fn service_credits_capped_per_month() {
    let (rows, _) = owed(
        "examples/service-credits.proviso",
        "examples/events/service-credits.json",
        "2026-06-30",
    );
    assert_eq!(
        rows,
        [
            // January at 99.75%: 0.15 points short, 2 started steps of 0.1,
            // 2 × 10% of 10,000.00 = 2,000.00, due 30 days after the report;
            // credited on 2026-02-20. February at 99.95%: no credit.
            row("2000.00", "2026-03-03", "discharged", "2000.00"),
            // March at 98%: 19 steps, 190%, capped at 50% = 5,000.00.
            row("5000.00", "2026-05-01", "overdue", "0"),
        ]
    );
}

#[test]
fn volume_discount_at_the_tier_boundaries() {
    let (rows, _) = owed(
        "examples/volume-discount.proviso",
        "examples/events/volume-discount.json",
        "2026-04-30",
    );
    assert_eq!(
        rows,
        [
            // 10,000 units: exactly the first bound (through 10,000: 0%),
            // so the full 100,000.00, due 30 days after 2026-03-10; paid.
            row("100000.00", "2026-04-09", "discharged", "100000.00"),
            // 10,001 units: 5% off, 95,000.00, due 2026-05-10; open on 2026-04-30.
            row("95000.00", "2026-05-10", "open", "0"),
        ]
    );
    // The order of 50,001 units on 2026-05-10 comes after the as-of date.
    let (rows, _) = owed(
        "examples/volume-discount.proviso",
        "examples/events/volume-discount.json",
        "2026-06-30",
    );
    assert_eq!(rows[2], row("90000.00", "2026-06-09", "overdue", "0"));
}

#[test]
fn a_broken_contract_is_not_evaluated() {
    let output = proviso(&[
        "eval",
        "--color",
        "never",
        "tests/check/misspelt-party.proviso",
        FLAGSHIP_EVENTS,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("E0204"));
}

#[test]
fn ndjson_from_standard_input() {
    use std::io::Write as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_proviso"))
        .args(["eval", FLAGSHIP, "-", "--format", "json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let lines = "{\"type\": \"declare_agi\", \"date\": \"2030-01-10\", \"by\": \"openai\"}\n\
                 {\"type\": \"verify_agi\", \"date\": \"2030-05-20\", \"by\": \"panel\"}\n";
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["milestones"][0]["date"], "2030-05-20");
    assert_eq!(report["events"]["file"], "standard input");
}

/// A folder of its own under the system's temporary folder.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("proviso-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The JSON report of an evaluation, without the name of the event file.
fn report_without_file(events: &str) -> serde_json::Value {
    let output = proviso(&[
        "eval",
        FLAGSHIP,
        events,
        "--as-of",
        "2031-06-30",
        "--format",
        "json",
        "--explain",
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{events}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    report["events"]["file"] = serde_json::Value::Null;
    report
}

#[test]
fn json_yaml_ndjson_and_csv_give_the_same_report() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(FLAGSHIP_EVENTS)).unwrap();
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    let events: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_value(document["events"].clone()).unwrap();
    let dir = scratch("formats");

    // NDJSON streams, so it is written in date order; same-date events keep
    // their order in the file, as the JSON reading does.
    let mut ordered: Vec<(usize, &serde_json::Map<String, serde_json::Value>)> =
        events.iter().enumerate().collect();
    ordered.sort_by_key(|(i, e)| (e["date"].as_str().unwrap().to_string(), *i));
    let ndjson: String = ordered
        .iter()
        .map(|(_, e)| serde_json::to_string(e).unwrap() + "\n")
        .collect();
    let ndjson_path = dir.join("events.ndjson");
    std::fs::write(&ndjson_path, ndjson).unwrap();

    // YAML written as a person would: plain dates and names, amounts as
    // plain text, quoted only where YAML needs it.
    let mut yaml = String::from("# The flagship's events, in YAML.\nevents:\n");
    for event in &events {
        for (i, (key, value)) in event.iter().enumerate() {
            let written = match value {
                serde_json::Value::String(s) if s.contains(": ") || s.contains('#') => {
                    format!("'{s}'")
                }
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let lead = if i == 0 { "  - " } else { "    " };
            yaml.push_str(&format!("{lead}{key}: {written}\n"));
        }
    }
    let yaml_path = dir.join("events.yaml");
    std::fs::write(&yaml_path, yaml).unwrap();

    let from_json = report_without_file(FLAGSHIP_EVENTS);
    assert_eq!(
        report_without_file(ndjson_path.to_str().unwrap()),
        from_json,
        "NDJSON"
    );
    assert_eq!(
        report_without_file(yaml_path.to_str().unwrap()),
        from_json,
        "YAML"
    );

    // CSV as a spreadsheet exports it: one column per member any event
    // has, in date order (it streams), a cell quoted where it holds a
    // comma, empty where an event has no such member.
    let mut columns: Vec<String> = Vec::new();
    for (_, event) in &ordered {
        for key in event.keys() {
            if !columns.contains(key) {
                columns.push(key.clone());
            }
        }
    }
    let mut csv = columns.join(",") + "\r\n";
    for (_, event) in &ordered {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| match event.get(c) {
                None => String::new(),
                Some(serde_json::Value::String(s)) if s.contains([',', '"']) => {
                    format!("\"{}\"", s.replace('"', "\"\""))
                }
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
            })
            .collect();
        csv.push_str(&(cells.join(",") + "\r\n"));
    }
    let csv_path = dir.join("events.csv");
    std::fs::write(&csv_path, csv).unwrap();
    assert_eq!(
        report_without_file(csv_path.to_str().unwrap()),
        from_json,
        "CSV"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_csv_file_named_after_its_event_type_with_amounts_in_the_contracts_currency() {
    // No `type` column: the file is named after its events. The flagship
    // declares `currency USD`, so a bare amount is in dollars. Revenue of
    // USD 10,000,000.00 earned in 2026-Q1 owes 20% of it, USD 2,000,000.00,
    // 45 days after the quarter ends (31 March + 45 days = 15 May), and
    // nothing is paid by 30 June; USD 1,250,000.50 in Q2 owes
    // USD 250,000.10, due 14 August, not yet due on 30 June.
    let dir = scratch("csv-named");
    let path = dir.join("report_revenue.csv");
    std::fs::write(
        &path,
        "\u{feff}date,id,by,quarter,amount\n\
         2026-04-20,rev-q1,openai,2026-Q1,10000000.00\n\
         \n\
         2026-06-30,rev-q2,openai,2026-Q2,\"1,250,000.50\"\n",
    )
    .unwrap();
    let (rows, code) = owed(FLAGSHIP, path.to_str().unwrap(), "2026-06-30");
    assert_eq!(
        rows,
        [
            row("2000000.00", "2026-05-15", "overdue", "0"),
            row("250000.10", "2026-08-14", "open", "0"),
        ]
    );
    assert_eq!(code, Some(1));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_overlong_ndjson_line_is_refused_and_reading_goes_on() {
    let dir = scratch("long-line");
    let path = dir.join("events.ndjson");
    // A line of 2 MiB (over the 1 MiB limit), then a line with an unknown type.
    let long = format!(
        "{{\"type\": \"declare_agi\", \"date\": \"2030-01-10\", \"by\": \"openai\", \"x\": \"{}\"}}\n",
        "a".repeat(2 * 1024 * 1024)
    );
    std::fs::write(
        &path,
        long + "{\"type\": \"verfiy_agi\", \"date\": \"2030-05-20\", \"by\": \"panel\"}\n",
    )
    .unwrap();
    let output = proviso(&["eval", FLAGSHIP, path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(2));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = &document["files"][0]["diagnostics"];
    assert_eq!(diagnostics.as_array().unwrap().len(), 2, "{document:#}");
    assert_eq!(diagnostics[0]["code"], "E0602");
    assert_eq!(diagnostics[0]["primary"]["startPosition"]["line"], 1);
    assert_eq!(diagnostics[1]["code"], "E0603");
    assert_eq!(diagnostics[1]["primary"]["startPosition"]["line"], 2);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn explain_says_when_an_obligation_to_act_arose_was_due_and_was_done() {
    // Hand-worked: PO-1 on 2026-01-10 is due 30 days later, 2026-02-09, and
    // D-1 (2026-02-01) performs it in time; PO-2 (2026-03-01) is due
    // 2026-03-31 and D-2 (2026-04-05) performs it late; PO-3 (2026-05-01) is
    // due 2026-05-31 and nothing performs it: overdue at 2026-06-30.
    let output = proviso(&[
        "eval",
        "tests/eval/delivery.proviso",
        "tests/eval/delivery.json",
        "--as-of",
        "2026-06-30",
        "--explain",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(report.contains("due 2026-02-09: DISCHARGED\n"), "{report}");
    assert!(
        report.contains("due 2026-03-31: DISCHARGED (LATE)"),
        "{report}"
    );
    assert!(report.contains("due 2026-05-31: OVERDUE"), "{report}");
    settings().bind(|| insta::assert_snapshot!("delivery-explain", report));
}

#[test]
fn a_bare_amount_in_csv_is_refused_when_the_contract_declares_no_currency() {
    let dir = scratch("csv-no-currency");
    let contract = dir.join("fee.proviso");
    std::fs::write(
        &contract,
        "contract \"Fee\" effective 2026-01-01 term through 2026-12-31\n\
         party alpha \"Alpha Ltd\"\n\
         party beta \"Beta plc\"\n\
         event payment by party { to: party, amount: money }\n\
         clause 1 \"Fee\"\n\
         \x20 text \"Beta pays Alpha EUR 100 by 1 March 2026.\"\n\
         \x20 beta must pay alpha EUR 100 due 2026-03-01 settled by payment\n",
    )
    .unwrap();
    let events = dir.join("payment.csv");
    std::fs::write(&events, "date,by,to,amount\n2026-02-01,beta,alpha,100.00\n").unwrap();
    let output = proviso(&[
        "eval",
        "--color",
        "never",
        contract.to_str().unwrap(),
        events.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("E0607"), "{stderr}");
    assert!(stderr.contains("payment.csv:2:23"), "{stderr}");
    // With its currency, the same row pays the fee on time.
    std::fs::write(
        &events,
        "date,by,to,amount\n2026-02-01,beta,alpha,EUR 100.00\n",
    )
    .unwrap();
    let (rows, code) = owed(
        contract.to_str().unwrap(),
        events.to_str().unwrap(),
        "2026-03-31",
    );
    // The contract writes the fee `EUR 100`, paid as EUR 100.00.
    assert_eq!(rows, [row("100", "2026-03-01", "discharged", "100.00")]);
    assert_eq!(code, Some(0));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_column_that_is_not_a_field_of_the_files_event_type_is_named_as_such() {
    let dir = scratch("csv-named-unknown-column");
    let contract = dir.join("fee.proviso");
    std::fs::write(
        &contract,
        "contract \"Fee\" effective 2026-01-01 term through 2026-12-31 currency USD\n\
         party alpha \"Alpha Ltd\"\n\
         party beta \"Beta plc\"\n\
         event payment by party { to: party, amount: money }\n\
         clause 1 \"Fee\"\n\
         \x20 beta must pay alpha USD 100 due 2026-03-01 settled by payment\n",
    )
    .unwrap();
    // No `type` column: the file's name, `payment`, is every row's type.
    let events = dir.join("payment.csv");
    std::fs::write(&events, "Date,by,to,amount\n2026-02-01,beta,alpha,100.00\n").unwrap();
    let output = proviso(&[
        "eval",
        "--color",
        "never",
        contract.to_str().unwrap(),
        events.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "the header names a column `Date`, but `payment` events have no field `Date`"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("`date`"), "{stderr}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_quotation_mark_inside_a_csv_cell_is_a_character_and_blank_rows_are_skipped() {
    // `Display 27"` is not the start of a quoted cell: every row is read
    // (four events), and the rows of empty cells a spreadsheet leaves are
    // skipped.
    let dir = scratch("csv-stray-quote");
    let path = dir.join("serve.csv");
    std::fs::write(
        &path,
        "date,id,by,product,kind,cloud,customer,with_third_party\n\
         2026-08-01,s1,openai,Display 27\",api_product,azure,commercial,false\n\
         2026-08-02,s2,openai,chat,api_product,aws,commercial,true\n\
         ,,,,,,,\n\
         2026-08-03,s3,openai,Display 32\",api_product,azure,commercial,false\n\
         2026-08-04,s4,openai,chat,api_product,azure,commercial,false\n",
    )
    .unwrap();
    let output = proviso(&["eval", FLAGSHIP, path.to_str().unwrap(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["events"]["read"], 4);
    // s2: an API product with a third party on AWS breaches clause 4.
    assert_eq!(report["violations"][0]["event"]["id"], "s2");
    assert_eq!(output.status.code(), Some(1));
    std::fs::remove_dir_all(dir).unwrap();
}

/// A field declared as money in another currency takes amounts in that
/// currency only, and says so.
#[test]
fn money_declared_in_another_currency_refuses_a_third() {
    let dir = std::env::temp_dir().join(format!("proviso-fx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let events = dir.join("gbp.json");
    std::fs::write(
        &events,
        r#"[{"type": "report_sales", "date": "2026-02-05", "by": "distributor", "month": "2026-01", "net_sales": "GBP 1,000.00", "eur_usd": 1.0843}]"#,
    )
    .unwrap();
    let output = proviso(&[
        "eval",
        "--color",
        "never",
        "examples/distribution-fx.proviso",
        events.to_str().unwrap(),
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("`net_sales` is in GBP, but it is declared as money in EUR"),
        "{stderr}"
    );
    assert!(
        stderr.contains("record the amount in EUR, as the event type declares"),
        "{stderr}"
    );
}

/// Definitions work wherever their body could be written: in a `total ...
/// where` (inside another definition), in a milestone, and holding a tier
/// table.
#[test]
fn definitions_in_totals_milestones_and_tiers() {
    let contract = r#"contract "Agency" effective 2026-01-01 term through 2026-12-31
  currency USD
  settlement by payment
party seller "Seller"
party agent "Agent"
category channel: direct | partner
event sale by party { amount: money, channel: channel }
event payment by party { to: party, amount: money }
define qualifying_sale = sale.amount >= USD 10,000 and sale.channel is direct
define qualifying_revenue = total sale.amount where qualifying_sale
define rate = tiers of sale.amount (below USD 15,000: 3%, above: 2%)
milestone first_big: sale where qualifying_sale
clause 1 "Override"
  seller must pay agent 10% of qualifying_revenue
    for each quarter
    due 10 days after the end of the period
clause 2 "Commission"
  seller must pay agent rate of sale.amount
    on each sale
    from first_big
    due 10 days after the event
"#;
    let events = r#"[
  {"type": "sale", "date": "2026-01-05", "by": "seller", "amount": "USD 2,000.00", "channel": "direct"},
  {"type": "sale", "date": "2026-02-05", "by": "seller", "amount": "USD 12,000.00", "channel": "direct"},
  {"type": "sale", "date": "2026-03-05", "by": "seller", "amount": "USD 20,000.00", "channel": "partner"}
]"#;
    let rows = owed_written("defs", contract, events, "2026-06-30");
    let amounts: Vec<(&str, &str)> = rows
        .iter()
        .map(|(amount, due, _, _)| (amount.as_str(), due.as_str()))
        .collect();
    assert_eq!(
        amounts,
        [
            // Q1: only the USD 12,000.00 direct sale qualifies: 10% = 1,200,
            // due 10 days after 2026-03-31.
            ("1200.00", "2026-04-10"),
            // From the first qualifying sale (2026-02-05) on: 3% of 12,000
            // (below 15,000), then 2% of 20,000. The January sale is before
            // the milestone.
            ("360.00", "2026-02-15"),
            ("400.00", "2026-03-15"),
        ]
    );
}

/// In a contract that declares no currency, a `money` field may hold any
/// currency: an amount already in the currency converted to is taken as it
/// is, whatever the rate, as the guide says.
#[test]
fn an_amount_already_in_the_target_currency_is_not_converted() {
    let contract = r#"contract "T" effective 2026-01-01 term through 2026-12-31
  settlement by payment
party seller "Seller"
party agent "Agent"
event sale by party { amount: money }
event payment by party { to: party, amount: money }
clause 1 "Commission"
  seller must pay agent 10% of sale.amount converted to USD at 2
    on each sale
    due 10 days after the event
"#;
    let events = r#"[
  {"type": "sale", "date": "2026-02-01", "by": "seller", "amount": "USD 1,000.00"},
  {"type": "sale", "date": "2026-02-02", "by": "seller", "amount": "EUR 1,000.00"}
]"#;
    let rows = owed_written("nocur", contract, events, "2026-03-31");
    let amounts: Vec<&str> = rows.iter().map(|(amount, ..)| amount.as_str()).collect();
    // 10% of USD 1,000.00 is USD 100.00, not converted; 10% of EUR 1,000.00
    // is EUR 100.00, at 2 USD 200.00.
    assert_eq!(amounts, ["100.00", "200.00"]);
}

/// `signed money in EUR` takes refunds below zero; `money in EUR` refuses
/// them and says how to declare the field.
#[test]
fn signed_money_in_another_currency_takes_refunds() {
    let dir = std::env::temp_dir().join(format!("proviso-signed-fx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let contract = |ty: &str| {
        format!(
            r#"contract "T" effective 2026-01-01 term through 2026-12-31
  currency USD
  settlement by payment
party seller "Seller"
party agent "Agent"
event sale by party {{ amount: {ty} }}
event payment by party {{ to: party, amount: money }}
clause 1 "Commission"
  seller must pay agent 10% of total sale.amount converted to USD at 1.1
    for each quarter
    due 10 days after the end of the period
"#
        )
    };
    let signed = dir.join("signed.proviso");
    let unsigned = dir.join("unsigned.proviso");
    std::fs::write(&signed, contract("signed money in EUR")).unwrap();
    std::fs::write(&unsigned, contract("money in EUR")).unwrap();
    let events = dir.join("sales.json");
    std::fs::write(
        &events,
        r#"[
  {"type": "sale", "date": "2026-02-01", "by": "seller", "amount": "EUR 1,000.00"},
  {"type": "sale", "date": "2026-02-02", "by": "seller", "amount": "EUR -250.00"}
]"#,
    )
    .unwrap();
    let (rows, _) = owed(
        signed.to_str().unwrap(),
        events.to_str().unwrap(),
        "2026-04-30",
    );
    let refused = proviso(&[
        "eval",
        "--color",
        "never",
        unsigned.to_str().unwrap(),
        events.to_str().unwrap(),
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    // 10% of (1,000.00 - 250.00) = EUR 75.00, at 1.1 USD 82.50.
    let amount: rust_decimal::Decimal = rows[0].0.parse().unwrap();
    assert_eq!(amount, rust_decimal::Decimal::new(8250, 2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    // The help names the declaration to write, with the currency.
    let help: String = stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains("declare the field `amount: signed money in EUR` if it may go below zero"),
        "{stderr}"
    );
}

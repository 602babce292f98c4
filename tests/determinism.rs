//! Evaluation is a function of the events, not of how they are delivered:
//! for generated histories of the flagship, the JSON report is byte for
//! byte the same across runs, whatever the order of events of different
//! dates in the file, and whether the events come as one JSON document or
//! streamed as NDJSON in date order.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use proviso::{Contract, EventFormat};

const FLAGSHIP: &str = include_str!("../contracts/microsoft-openai-2025.proviso");

fn flagship() -> Contract {
    Contract::parse("flagship", FLAGSHIP).unwrap()
}

/// One event of the flagship, from a few numbers: a kind, a day offset
/// from 2025-10-01 (before the term, through it, and after it), and a
/// choice inside the kind.
fn event_json(kind: u8, day: u16, choice: u32) -> String {
    let date = jiff::civil::date(2025, 10, 1)
        .checked_add(jiff::Span::new().days(i64::from(day)))
        .unwrap();
    let clouds = ["azure", "aws", "gcp", "oracle", "other_cloud"];
    let products = [
        "model",
        "api_product",
        "non_api_product",
        "consumer_hardware",
    ];
    let cloud = clouds[(choice % 5) as usize];
    let product = products[(choice / 5 % 4) as usize];
    let flag = choice.is_multiple_of(2);
    match kind % 8 {
        0 => {
            let quarter = (date.month() as u32 - 1) / 3 + 1;
            format!(
                r#"{{"type":"report_revenue","date":"{date}","by":"openai","quarter":"{}-Q{quarter}","amount":"USD {}.{:02}"}}"#,
                date.year(),
                choice % 50_000_000,
                choice % 100
            )
        }
        1 => format!(
            r#"{{"type":"payment","date":"{date}","by":"openai","to":"microsoft","amount":"USD {}.00"}}"#,
            choice % 10_000_000
        ),
        2 => format!(
            r#"{{"type":"serve","date":"{date}","by":"openai","product":"p","kind":"{product}","cloud":"{cloud}","customer":"{}","with_third_party":{flag}}}"#,
            if choice.is_multiple_of(3) {
                "us_national_security"
            } else {
                "commercial"
            }
        ),
        3 => format!(
            r#"{{"type":"release","date":"{date}","by":"openai","product":"m","kind":"{product}","open_weights":{flag},"meets_capability_criteria":{}}}"#,
            choice.is_multiple_of(3)
        ),
        4 => format!(
            r#"{{"type":"buy_compute","date":"{date}","by":"{}","provider":"{cloud}","amount":"USD {}.00"}}"#,
            if flag { "openai" } else { "microsoft" },
            choice % 1_000_000_000
        ),
        5 => format!(r#"{{"type":"declare_agi","date":"{date}","by":"openai"}}"#),
        6 => format!(r#"{{"type":"verify_agi","date":"{date}","by":"panel"}}"#),
        _ => format!(
            r#"{{"type":"research_agi","date":"{date}","by":"{}"}}"#,
            if flag { "openai" } else { "microsoft" }
        ),
    }
}

fn report(contract: &Contract, events: &str, format: EventFormat) -> String {
    let as_of = jiff::civil::date(2033, 6, 30);
    let report = contract.evaluate(events, format, Some(as_of)).unwrap();
    without_positions(&serde_json::to_string_pretty(&report.to_json(true)).unwrap())
}

/// The report without the events' positions in the file (`"index": 3`,
/// `#3`), which change when the file is reordered; ids name them instead.
fn without_positions(report: &str) -> String {
    let mut out = String::with_capacity(report.len());
    for line in report.lines() {
        if line.trim_start().starts_with("\"index\":") {
            continue;
        }
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            out.push(c);
            if c == '#' {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
            }
        }
        out.push('\n');
    }
    out
}

fn from_json(contract: &Contract, lines: &[String]) -> String {
    report(
        contract,
        &format!("[{}]", lines.join(",\n")),
        EventFormat::Json,
    )
}

fn from_ndjson(contract: &Contract, lines: &[String]) -> String {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    report(contract, &text, EventFormat::Ndjson)
}

/// The date of a generated line (all dates have the same width).
fn date_of(line: &str) -> &str {
    let at = line.find("\"date\":\"").unwrap() + 8;
    &line[at..at + 10]
}

/// Evaluates `lines` three ways — twice as given, with dates reordered,
/// and streamed as NDJSON in date order — and asserts one report.
fn same_report_however_delivered(
    contract: &Contract,
    lines: &[String],
    seed: u64,
) -> Result<(), TestCaseError> {
    let first = from_json(contract, lines);
    prop_assert_eq!(&first, &from_json(contract, lines), "two runs differ");

    // Reorder events of different dates; keep each date's own order.
    // Indices tie-break a key that depends on the date alone.
    let mut shuffled: Vec<(u64, usize, &String)> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let key = date_of(l).bytes().fold(seed, |h, b| {
                h.rotate_left(7) ^ u64::from(b).wrapping_mul(0x9E37_79B9)
            });
            (key, i, l)
        })
        .collect();
    shuffled.sort();
    let shuffled: Vec<String> = shuffled.into_iter().map(|(_, _, l)| l.clone()).collect();
    let reordered = from_json(contract, &shuffled);
    prop_assert_eq!(&first, &reordered, "reordering dates changed the report");

    // NDJSON, streamed in date order (a stable sort keeps each day's order).
    let mut by_date = lines.to_vec();
    by_date.sort_by(|a, b| date_of(a).cmp(date_of(b)));
    let streamed = from_ndjson(contract, &by_date);
    prop_assert_eq!(&first, &streamed, "streaming changed the report");
    Ok(())
}

/// An event of the examples that count time from milestones, charge late
/// interest and end their term by notice: a kind, a day offset from
/// 2025-10-01 and a choice inside the kind. Each line carries an id.
fn example_event_json(example: usize, kind: u8, day: u16, choice: u32, id: usize) -> String {
    let date = jiff::civil::date(2025, 10, 1)
        .checked_add(jiff::Span::new().days(i64::from(day)))
        .unwrap();
    let amount = format!("USD {}.{:02}", choice % 60_000, choice % 100);
    let body = if example == 0 {
        // examples/software-licence.proviso
        match kind % 6 {
            0 => r#""type":"deliver","by":"licensor""#.to_string(),
            1 => format!(r#""type":"payment","by":"licensee","to":"licensor","amount":"{amount}""#),
            2 => format!(r#""type":"support_request","by":"licensee","ticket":"T-{choice}""#),
            3 => format!(r#""type":"respond","by":"licensor","ticket":"T-{choice}""#),
            4 => r#""type":"notice","by":"licensee""#.to_string(),
            _ => r#""type":"use","by":"licensee""#.to_string(),
        }
    } else if example == 1 {
        // examples/saas-termination.proviso
        match kind % 4 {
            0 => format!(r#""type":"payment","by":"customer","to":"provider","amount":"{amount}""#),
            1 => r#""type":"terminate","by":"customer""#.to_string(),
            2 => r#""type":"onboard","by":"provider""#.to_string(),
            _ => r#""type":"disclose","by":"customer""#.to_string(),
        }
    } else if example == 6 {
        // examples/equipment-warranty.proviso: few serials, so that repairs
        // and reports often concern the same pump.
        let serial = ["P-1", "P-2", "P-3"][(choice % 3) as usize];
        match kind % 3 {
            0 => format!(r#""type":"deliver","by":"supplier","serial":"{serial}""#),
            1 => format!(r#""type":"defect_report","by":"buyer","serial":"{serial}""#),
            _ => format!(r#""type":"repair","by":"supplier","serial":"{serial}""#),
        }
    } else if example == 5 {
        // examples/shareholders-rofr.proviso: few blocks and assignees, so
        // that later events often match earlier ones.
        let block = ["A", "B", "C"][(choice % 3) as usize];
        match kind % 5 {
            0 => format!(r#""type":"offer","by":"founder","block":"{block}","shares":100"#),
            1 => format!(r#""type":"accept_offer","by":"investor","block":"{block}""#),
            2 => format!(r#""type":"transfer","by":"founder","block":"{block}","shares":100"#),
            3 => format!(r#""type":"consent","by":"investor","assignee":"{block}""#),
            _ => format!(r#""type":"assign","by":"company","assignee":"{block}""#),
        }
    } else if example == 4 {
        // examples/saas-breach.proviso
        match kind % 6 {
            0 => format!(r#""type":"payment","by":"customer","to":"provider","amount":"{amount}""#),
            1 => format!(
                r#""type":"outage","by":"provider","minutes":{}"#,
                choice % 120
            ),
            2 => r#""type":"breach_notice","by":"provider""#.to_string(),
            3 => r#""type":"terminate_for_breach","by":"provider""#.to_string(),
            4 => format!(r#""type":"payment","by":"provider","to":"customer","amount":"{amount}""#),
            _ => r#""type":"disclose","by":"customer""#.to_string(),
        }
    } else if example == 3 {
        // examples/distribution-minimum.proviso
        match kind % 2 {
            0 => format!(r#""type":"purchase","by":"distributor","amount":"{amount}""#),
            _ => format!(
                r#""type":"payment","by":"distributor","to":"supplier","amount":"{amount}""#
            ),
        }
    } else {
        // examples/supply-force-majeure.proviso
        let amount = amount.replace("USD", "EUR");
        match kind % 5 {
            0 => format!(r#""type":"order","by":"buyer","units":{}"#, choice % 1000),
            1 => format!(
                r#""type":"deliver","by":"supplier","units":{}"#,
                choice % 1000
            ),
            2 => format!(r#""type":"payment","by":"buyer","to":"supplier","amount":"{amount}""#),
            3 => r#""type":"force_majeure","by":"supplier","cause":"storm""#.to_string(),
            _ => r#""type":"force_majeure_end","by":"supplier""#.to_string(),
        }
    };
    format!(r#"{{"id":"e{id}","date":"{date}",{body}}}"#)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn the_report_depends_on_the_events_not_on_their_delivery(
        raw in prop::collection::vec((any::<u8>(), 0u16..3000, any::<u32>()), 0..60),
        seed in any::<u64>(),
    ) {
        let contract = flagship();
        // Each event carries an id, so that it is known by more than its
        // position in the file (which reordering changes).
        let lines: Vec<String> = raw
            .iter()
            .enumerate()
            .map(|(i, &(k, d, c))| event_json(k, d, c).replacen("{", &format!("{{\"id\":\"e{i}\","), 1))
            .collect();
        same_report_however_delivered(&contract, &lines, seed)?;
    }

    #[test]
    fn relative_windows_interest_termination_suspension_and_shortfalls_depend_on_the_events_alone(
        example in 0usize..7,
        raw in prop::collection::vec((any::<u8>(), 0u16..3000, any::<u32>()), 0..40),
        seed in any::<u64>(),
    ) {
        let text = [
            include_str!("../examples/software-licence.proviso"),
            include_str!("../examples/saas-termination.proviso"),
            include_str!("../examples/supply-force-majeure.proviso"),
            include_str!("../examples/distribution-minimum.proviso"),
            include_str!("../examples/saas-breach.proviso"),
            include_str!("../examples/shareholders-rofr.proviso"),
            include_str!("../examples/equipment-warranty.proviso"),
        ][example];
        let contract = Contract::parse("example", text).unwrap();
        let lines: Vec<String> = raw
            .iter()
            .enumerate()
            .map(|(i, &(k, d, c))| example_event_json(example, k, d, c, i))
            .collect();
        same_report_however_delivered(&contract, &lines, seed)?;
    }
}

//! Every limit of docs/reliability.md, tested just below and just above:
//! at the limit the input is accepted; one step past it, it is refused
//! with the documented diagnostic, never a crash. Limits too large to reach
//! in a test (file sizes) are tested with the limit lowered through
//! `Limits`, which is how they are enforced; their default values are
//! pinned separately.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use proviso::eval::engine::Engine;
use proviso::eval::{Decoder, Evaluation, input};
use proviso::{Limits, SourceFile};

const HEADER: &str = "contract \"T\"\n  effective 2026-01-01\n  term through 2028-12-31\n  currency USD\n  settlement by payment\n\
party a \"A\"\nparty b \"B\"\nevent payment by party { to: party, amount: money }\n";

/// The codes of the problems `check` finds in a contract.
fn codes(text: &str) -> Vec<&'static str> {
    proviso::check_source(&SourceFile::new("t.proviso", text), &Limits::default())
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code.as_str())
        .collect()
}

fn clause(body: &str) -> String {
    format!("{HEADER}clause 1 \"One\"\n  text \"...\"\n  {body}\n")
}

#[test]
fn the_default_limits_are_the_documented_values() {
    let limits = Limits::default();
    assert_eq!(limits.max_file_bytes, 8 * 1024 * 1024);
    assert_eq!(limits.max_nesting, 64);
    assert_eq!(limits.max_diagnostics, 100);
    assert_eq!(limits.max_event_file_bytes, 256 * 1024 * 1024);
    assert_eq!(limits.max_event_line_bytes, 1024 * 1024);
    assert_eq!(limits.max_events_per_day, 1_000_000);
}

#[test]
fn brackets_nest_64_deep_and_no_deeper() {
    let nested = |depth: usize| {
        clause(&format!(
            "a must pay b {}USD 1{} due 2026-06-30",
            "(".repeat(depth),
            ")".repeat(depth)
        ))
    };
    assert!(codes(&nested(64)).is_empty(), "{:?}", codes(&nested(64)));
    assert_eq!(codes(&nested(65)), ["E0502"]);
}

#[test]
fn a_value_takes_64_qualifications_and_no_more() {
    let chain = |n: usize| {
        clause(&format!(
            "a must pay b USD 1{} due 2026-06-30",
            " capped at USD 2".repeat(n)
        ))
    };
    assert!(codes(&chain(64)).is_empty(), "{:?}", codes(&chain(64)));
    assert_eq!(codes(&chain(65)), ["E0502"]);
}

#[test]
fn numbers_up_to_the_largest_exact_decimal() {
    let amount = |digits: &str| clause(&format!("a must pay b USD {digits} due 2026-06-30"));
    assert!(codes(&amount("79228162514264337593543950335")).is_empty());
    assert_eq!(codes(&amount("79228162514264337593543950336")), ["E0106"]);
}

#[test]
fn clause_number_parts_up_to_4_294_967_295() {
    let numbered = |n: &str| {
        format!("{HEADER}clause {n} \"One\"\n  text \"...\"\n  a must pay b USD 1 due 2026-06-30\n")
    };
    assert!(codes(&numbered("4294967295")).is_empty());
    assert_eq!(codes(&numbered("4294967296")), ["E0109"]);
}

#[test]
fn years_from_0001_to_9999() {
    let due = |date: &str| clause(&format!("a must pay b USD 1 due {date}"));
    assert!(codes(&due("0001-01-01")).is_empty());
    assert!(codes(&due("9999-12-31")).is_empty());
    assert_eq!(codes(&due("0000-12-31")), ["E0103"]);
}

#[test]
fn a_file_reports_100_problems_and_then_stops() {
    let wrong = |n: usize| {
        let mut text = String::from(HEADER);
        for i in 1..=n {
            text.push_str(&format!(
                "clause {i} \"C\"\n  text \"...\"\n  a must pay nobody{i} USD 1 due 2026-06-30\n"
            ));
        }
        text
    };
    let at = codes(&wrong(100));
    assert_eq!(at.len(), 100);
    assert!(at.iter().all(|c| *c == "E0204"), "{at:?}");
    let past = codes(&wrong(101));
    // The 101st is not reported; the last says that reading stopped.
    assert_eq!(past.len(), 101);
    assert_eq!(past.last(), Some(&"E0506"));
}

#[test]
fn a_clause_file_at_its_size_limit_is_read_and_one_byte_more_is_not() {
    let limits = Limits {
        max_file_bytes: 1000,
        ..Limits::default()
    };
    let text = |n: usize| {
        let mut t = clause("a must pay b USD 1 due 2026-06-30");
        t.push('#');
        while t.len() < n {
            t.push('x');
        }
        t.into_bytes()
    };
    assert!(proviso::load::from_bytes("t".into(), text(1000), &limits).is_ok());
    let refused = proviso::load::from_bytes("t".into(), text(1001), &limits).unwrap_err();
    assert_eq!(refused.diagnostic.code.as_str(), "E0501");
}

fn flagship() -> proviso::Checked {
    let text = include_str!("../contracts/microsoft-openai-2025.proviso");
    proviso::check_source(&SourceFile::new("f", text), &Limits::default())
        .checked
        .unwrap()
}

#[test]
fn an_event_file_at_its_size_limit_is_read_and_one_byte_more_is_not() {
    let contract = flagship();
    let decoder = Decoder::new(&contract);
    let engine = Engine::new(&contract);
    let limits = Limits {
        max_event_file_bytes: 400,
        ..Limits::default()
    };
    let dir = std::env::temp_dir().join(format!("proviso-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let event = r#"[{"type": "declare_agi", "date": "2030-01-10", "by": "openai"}]"#;
    for (size, accepted) in [(400, true), (401, false)] {
        let path = dir.join(format!("events-{size}.json"));
        let mut text = event.to_string();
        text.push_str(&" ".repeat(size - event.len()));
        std::fs::write(&path, &text).unwrap();
        let mut evaluation = Evaluation::new(&engine, None);
        let result = input::read_into(&path, &decoder, &mut evaluation, &limits);
        assert_eq!(result.is_ok(), accepted, "{size} bytes: {result:?}");
        if let Err(input::Stopped::Input(groups)) = result {
            assert_eq!(groups[0].1[0].code.as_str(), "E0501");
        }
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_ndjson_line_at_its_limit_is_read_and_one_byte_longer_is_not() {
    let contract = flagship();
    let decoder = Decoder::new(&contract);
    let engine = Engine::new(&contract);
    let limits = Limits {
        max_event_line_bytes: 100,
        ..Limits::default()
    };
    let event = r#"{"type": "declare_agi", "date": "2030-01-10", "by": "openai"}"#;
    for (size, accepted) in [(100, true), (101, false)] {
        // The line's length, its line break not counted.
        let line = format!("{event}{}\n", " ".repeat(size - event.len()));
        assert_eq!(line.len(), size + 1);
        let mut evaluation = Evaluation::new(&engine, None);
        let result = input::stream_ndjson("t", line.as_bytes(), &decoder, &mut evaluation, &limits);
        assert_eq!(result.is_ok(), accepted, "{size} bytes: {result:?}");
        if let Err(input::Stopped::Input(groups)) = result {
            assert_eq!(groups[0].1[0].code.as_str(), "E0602");
        }
    }
}

#[test]
fn a_stream_holds_at_most_the_limit_of_events_of_one_day() {
    let contract = flagship();
    let decoder = Decoder::new(&contract);
    let engine = Engine::new(&contract);
    let limits = Limits {
        max_events_per_day: 3,
        ..Limits::default()
    };
    let line = |date: &str| {
        format!(
            "{{\"type\": \"buy_compute\", \"date\": \"{date}\", \"by\": \"openai\", \"provider\": \"azure\", \"amount\": \"USD 1.00\"}}\n"
        )
    };
    let stream = |dates: &[&str]| dates.iter().map(|d| line(d)).collect::<String>();
    // Three on each of two days: the limit is per day, not per stream.
    let at = stream(&[
        "2026-03-01",
        "2026-03-01",
        "2026-03-01",
        "2026-03-02",
        "2026-03-02",
        "2026-03-02",
    ]);
    let mut evaluation = Evaluation::new(&engine, None);
    let result = input::stream_ndjson("t", at.as_bytes(), &decoder, &mut evaluation, &limits);
    assert!(result.is_ok(), "{result:?}");
    let past = stream(&[
        "2026-03-01",
        "2026-03-02",
        "2026-03-02",
        "2026-03-02",
        "2026-03-02",
    ]);
    let mut evaluation = Evaluation::new(&engine, None);
    let result = input::stream_ndjson("t", past.as_bytes(), &decoder, &mut evaluation, &limits);
    let Err(input::Stopped::Input(groups)) = result else {
        panic!("the fourth event of 2026-03-02 is refused: {result:?}");
    };
    assert_eq!(groups.len(), 1);
    let (line, diagnostics) = &groups[0];
    assert_eq!(line.position(0).line, 5, "the fifth line is named");
    assert_eq!(diagnostics[0].code.as_str(), "E0610");
    assert_eq!(
        diagnostics[0].message,
        "more than 3 events are dated 2026-03-02; reading stopped here"
    );
}

#[test]
fn reading_a_json_or_yaml_file_stops_at_the_problem_limit() {
    let contract = flagship();
    let decoder = Decoder::new(&contract);
    let engine = Engine::new(&contract);
    let limits = Limits {
        max_diagnostics: 3,
        ..Limits::default()
    };
    let dir = std::env::temp_dir().join(format!("proviso-problems-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Ten events with no type. In the JSON, text that is not JSON follows:
    // reading stops at the third problem, before it gets there.
    let json = format!("[{} nonsense", "{},".repeat(10));
    let yaml = "- {}\n".repeat(10);
    for (name, text) in [("e.json", json), ("e.yaml", yaml)] {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let mut evaluation = Evaluation::new(&engine, None);
        let result = input::read_into(&path, &decoder, &mut evaluation, &limits);
        let Err(input::Stopped::Input(groups)) = result else {
            panic!("{name} is refused: {result:?}");
        };
        let diagnostics = &groups[0].1;
        let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["E0602", "E0602", "E0602"], "{name}");
        let help = diagnostics[2].help.as_deref().unwrap_or_default();
        assert!(
            help.ends_with("reading stopped after 3 problems"),
            "{name}: {help}"
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

//! The documentation is a promise: every clause-file example in `docs/`
//! reads as the guide says, and every diagnostic the reference shows is
//! the one proviso gives for the example beside it.
//!
//! - `docs/language.md` and `docs/lints.md`: every ```proviso block parses
//!   (most are fragments: clauses, declarations); one that starts with
//!   `contract` is a whole file and must also check cleanly.
//! - `docs/diagnostics.md`: each **Bad** example, completed with the
//!   declarations the examples share (or as written, when it is a whole
//!   file, when it is marked `(a whole file)`), gives exactly the code,
//!   message, place, labels and help shown under **What proviso says**;
//!   each **Fix**, completed the same way, checks cleanly.
//! - Where the guide states what an example owes, the example's own text,
//!   completed with the declarations it is written against, owes exactly
//!   that.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use proviso::diagnostics::{ColorChoice, render_human};
use proviso::{Limits, SourceFile};

/// One fenced block of a Markdown file: its language, its text, the line
/// of its opening fence, and the last bold marker (`**Bad**`, `**Fix**`,
/// `**What proviso says**`) written before it.
struct Block {
    lang: String,
    text: String,
    line: usize,
    marker: String,
}

fn blocks(doc: &str) -> Vec<Block> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(doc))
        .unwrap_or_else(|e| panic!("{doc}: {e}"));
    let mut found = Vec::new();
    let mut open: Option<Block> = None;
    let mut marker = String::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        match open.take() {
            Some(mut block) => {
                if trimmed.starts_with("```") {
                    found.push(block);
                } else {
                    // Blocks inside list items are indented; keep the text
                    // as the reader would copy it.
                    let indent = line.len() - trimmed.len();
                    let keep = if indent >= 3 && block.text.is_empty() {
                        trimmed
                    } else {
                        line
                    };
                    block.text.push_str(keep);
                    block.text.push('\n');
                    open = Some(block);
                }
            }
            None => {
                if let Some(lang) = trimmed.strip_prefix("```") {
                    open = Some(Block {
                        lang: lang.trim().to_string(),
                        text: String::new(),
                        line: i + 1,
                        marker: marker.clone(),
                    });
                } else if trimmed.starts_with("**") {
                    marker = trimmed.to_string();
                }
            }
        }
    }
    found
}

/// The diagnostics proviso gives for a text, rendered without colours.
fn diagnostics_of(name: &str, text: &str) -> (Vec<proviso::Diagnostic>, String) {
    let source = SourceFile::new(name, text);
    let outcome = proviso::check_source(&source, &Limits::default());
    let rendered = render_human(&source, &outcome.diagnostics, ColorChoice::Never);
    (outcome.diagnostics, rendered)
}

fn syntax_errors(text: &str) -> Vec<String> {
    proviso::syntax::parse(text, &Limits::default())
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.code.as_str(), d.message))
        .collect()
}

/// The parts of an example that can be read on their own. A line `...`
/// marks an elision; a part that starts indented is a rule (read inside a
/// clause) or the options of a header (read after one).
fn pieces(text: &str) -> Vec<String> {
    const HEADER_OPTIONS: [&str; 5] = ["effective", "term", "currency", "rounding", "settlement"];
    let mut parts = vec![String::new()];
    for line in text.lines() {
        if line.trim() == "..." {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push_str(line);
            last.push('\n');
        }
    }
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .map(|part| {
            let first = part.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            if !first.starts_with(char::is_whitespace) {
                return part;
            }
            let word = first.split_whitespace().next().unwrap_or("");
            if HEADER_OPTIONS.contains(&word) {
                format!("contract \"Example\"\n{part}")
            } else {
                format!("clause 1 \"Example\"\n{part}")
            }
        })
        .collect()
}

/// Every clause-file example of a guide reads; whole files check cleanly.
fn every_example_reads(doc: &str) {
    let mut failures = Vec::new();
    let mut seen = 0;
    for block in blocks(doc).into_iter().filter(|b| b.lang == "proviso") {
        seen += 1;
        // An example written to show a mistake says so beside it.
        if block.marker.starts_with("**Bad") {
            continue;
        }
        let errors: Vec<String> = pieces(&block.text)
            .iter()
            .flat_map(|piece| syntax_errors(piece))
            .collect();
        if !errors.is_empty() {
            failures.push(format!("{doc}:{}: {}", block.line, errors.join("; ")));
            continue;
        }
        if block.text.trim_start().starts_with("contract") {
            let (diagnostics, rendered) = diagnostics_of("example.proviso", &block.text);
            if diagnostics.iter().any(proviso::Diagnostic::is_error) {
                failures.push(format!("{doc}:{}:\n{rendered}", block.line));
            }
        }
    }
    assert!(seen > 0, "{doc} has no examples");
    assert!(
        failures.is_empty(),
        "examples that do not read:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_example_in_the_language_guide_reads() {
    every_example_reads("docs/language.md");
}

#[test]
fn every_example_in_the_lint_reference_reads() {
    every_example_reads("docs/lints.md");
}

/// The declarations the reference's fragments are written against: the
/// first lines of each of its example files, so that positions agree.
const PRELUDE: &str = "contract \"Test\"
  effective 2026-01-01
  term through 2026-12-31
  settlement by payment

party alpha \"Alpha Ltd\"
party beta  \"Beta plc\"

category cloud: azure | aws | gcp

event payment by party { to: party, amount: money }
event report by party { quarter: quarter, amount: money }
event serve by party { cloud: cloud, api: bool }
event declare by party { }

";

/// The lines of a rendered diagnostic that say what it is: the code, the
/// message, the place, each label and the help (folded onto one line).
fn essentials(rendered: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut help: Option<String> = None;
    for line in rendered.lines() {
        let t = line.trim();
        if let Some(h) = &mut help {
            if t.is_empty() || t.starts_with("error:") || t.starts_with('E') && t.len() == 5 {
                lines.push(std::mem::take(h));
                help = None;
            } else {
                h.push(' ');
                h.push_str(t);
                continue;
            }
        }
        if t.len() == 5 && (t.starts_with('E') || t.starts_with('L')) {
            lines.push(t.to_string());
        } else if let Some(m) = t.strip_prefix("× ") {
            lines.push(format!("message: {m}"));
        } else if let Some(place) = t.split("╭─[").nth(1) {
            lines.push(format!("at: {}", place.trim_end_matches(']')));
        } else if let Some(label) = t.split("╰── ").nth(1) {
            lines.push(format!("label: {label}"));
        } else if let Some(h) = t.strip_prefix("help: ") {
            help = Some(format!("help: {h}"));
        }
    }
    if let Some(h) = help {
        lines.push(h);
    }
    lines
}

#[test]
fn every_bad_example_in_the_diagnostics_reference_gives_the_diagnostic_shown() {
    let doc = "docs/diagnostics.md";
    let all = blocks(doc);
    let mut checked = 0;
    let mut failures = Vec::new();
    for (bad, shown) in all.iter().zip(all.iter().skip(1)) {
        if bad.lang != "proviso"
            || !bad.marker.starts_with("**Bad")
            || shown.lang != "text"
            || !shown.marker.starts_with("**What proviso says")
        {
            continue;
        }
        let Some(name) = shown
            .text
            .split("╭─[")
            .nth(1)
            .and_then(|rest| rest.split(':').next())
        else {
            continue;
        };
        let text = if bad.marker.contains("a whole file") {
            bad.text.clone()
        } else {
            format!("{PRELUDE}{}", bad.text)
        };
        let (_, rendered) = diagnostics_of(name, &text);
        let expected = essentials(&shown.text);
        let actual = essentials(&rendered);
        checked += 1;
        if expected != actual {
            failures.push(format!(
                "{doc}:{}: the example gives\n  {}\nbut the reference shows\n  {}",
                bad.line,
                actual.join("\n  "),
                expected.join("\n  ")
            ));
        }
    }
    assert!(checked >= 40, "only {checked} examples were compared");
    assert!(
        failures.is_empty(),
        "{} of {checked} examples differ from the reference:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_fix_in_the_diagnostics_reference_reads() {
    let doc = "docs/diagnostics.md";
    let mut failures = Vec::new();
    for block in blocks(doc)
        .into_iter()
        .filter(|b| b.lang == "proviso" && b.marker.starts_with("**Fix"))
    {
        let text = if block.marker.contains("a whole file") {
            block.text.clone()
        } else {
            format!("{PRELUDE}{}", block.text)
        };
        let (diagnostics, rendered) = diagnostics_of("fix.proviso", &text);
        if diagnostics.iter().any(proviso::Diagnostic::is_error) {
            failures.push(format!("{doc}:{}:\n{rendered}", block.line));
        }
    }
    assert!(
        failures.is_empty(),
        "fixes that do not check:\n{}",
        failures.join("\n")
    );
}

/// The clause-file example of a guide that contains `marker`.
fn example_with(doc: &str, marker: &str) -> String {
    let found: Vec<Block> = blocks(doc)
        .into_iter()
        .filter(|b| b.lang == "proviso" && b.text.contains(marker))
        .collect();
    assert_eq!(found.len(), 1, "{doc}: one example must contain `{marker}`");
    found.into_iter().next().map(|b| b.text).unwrap_or_default()
}

/// The obligations of evaluating a guide's example, completed with the
/// declarations it is written against: (clause, amount, due).
fn owed(prelude: &str, example: &str, events: &str, as_of: &str) -> Vec<(String, String, String)> {
    let contract = proviso::Contract::parse("guide.proviso", format!("{prelude}\n{example}"))
        .unwrap_or_else(|p| panic!("{}", p.render()));
    let as_of = proviso::syntax::parse_date_text(as_of, proviso::ast::Span::default()).unwrap();
    let report = contract
        .evaluate(events, proviso::EventFormat::Json, Some(as_of))
        .unwrap_or_else(|p| panic!("{}", p.render()))
        .to_json(false);
    owed_in(&report)
}

/// A report's obligations: (clause, amount, due).
fn owed_in(report: &serde_json::Value) -> Vec<(String, String, String)> {
    report["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let s = |k: &str| o[k].as_str().unwrap_or("").to_string();
            (s("clause"), s("amount"), s("due"))
        })
        .collect()
}

/// A report's violations: (clause, the event's date).
fn violations_in(report: &serde_json::Value) -> Vec<(String, String)> {
    report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["clause"].as_str().unwrap_or("").to_string(),
                v["event"]["date"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The JSON report of evaluating a clause file written from a guide's
/// examples against JSON events, as of a date.
fn report_of(text: String, events: &str, as_of: &str) -> serde_json::Value {
    let contract = proviso::Contract::parse("guide.proviso", text)
        .unwrap_or_else(|p| panic!("{}", p.render()));
    let as_of = proviso::syntax::parse_date_text(as_of, proviso::ast::Span::default()).unwrap();
    contract
        .evaluate(events, proviso::EventFormat::Json, Some(as_of))
        .unwrap_or_else(|p| panic!("{}", p.render()))
        .to_json(false)
}

fn row(clause: &str, amount: &str, due: &str) -> (String, String, String) {
    (clause.into(), amount.into(), due.into())
}

const LICENCE: &str = r#"contract "Distribution licence" effective 2025-07-01 term through 2027-12-31
  currency USD
  rounding half-up to 0.01
  settlement by payment
party licensor "Ledgerly Software Inc."
party licensee "Bluepeak Distribution LLC"
category channel: retail | online | oem
period fiscal_year "Fiscal year": year starting july
event sell by party { channel: channel, net_sales: money }
event payment by party { to: party, amount: money }
"#;

#[test]
fn what_the_guide_says_an_example_owes_is_what_it_owes() {
    let doc = "docs/language.md";
    // "Fiscal 2026 ends on 30 June 2026, so its fee is due on 30 August 2026."
    let example = example_with(doc, "clause 5 \"Annual fee on fiscal-year sales\"");
    let sale = r#"[{"type": "sell", "date": "2026-03-10", "by": "licensee", "channel": "retail", "net_sales": "USD 1,000.00"}]"#;
    assert_eq!(
        owed(LICENCE, &example, sale, "2026-09-30"),
        [
            // 8% of 1,000.00 for 2026-Q1, due 30 days after 2026-03-31.
            row("4", "80.00", "2026-04-30"),
            // 1% of 1,000.00 for fiscal 2026, due 2 months after 2026-06-30.
            row("5", "10.00", "2026-08-30"),
        ]
    );

    // "For an online sale both clauses apply, and clause 4.1 replaces
    // clause 4: the royalty is 4%. For other sales only clause 4 applies: 8%."
    let example = example_with(doc, "clause 4.1 \"Online royalty\" exception to 4");
    let sales = r#"[
      {"type": "sell", "date": "2026-02-01", "by": "licensee", "channel": "online", "net_sales": "USD 1,000.00"},
      {"type": "sell", "date": "2026-02-02", "by": "licensee", "channel": "retail", "net_sales": "USD 1,000.00"}
    ]"#;
    assert_eq!(
        owed(LICENCE, &example, sales, "2026-02-28"),
        [
            row("4", "80.00", "2026-03-04"),
            row("4.1", "40.00", "2026-03-03"),
        ]
    );

    // "With the term from 1 January 2026, as of 15 March 2026 three fees
    // have arisen: January's (due 5 February), February's (due 5 March)
    // and March's (due 5 April), events or not."
    let hosting = r#"contract "Hosting" effective 2026-01-01 term through 2026-12-31
  currency USD
  settlement by payment
party customer "Fjord Retail Inc."
party provider "Cumulus Hosting Inc."
event payment by party { to: party, amount: money }
"#;
    let example = example_with(
        doc,
        "customer must pay provider USD 2,500.00 for each month",
    );
    assert_eq!(
        owed(hosting, &example, "[]", "2026-03-15"),
        [
            row("3", "2500.00", "2026-02-05"),
            row("3", "2500.00", "2026-03-05"),
            row("3", "2500.00", "2026-04-05"),
        ]
    );

    // "With AGI verified on 5 May 2028 ... revenue of USD 9,100,000.00
    // reported for 2028-Q2 owes 20% × 9,100,000.00 × 34/91 = USD 680,000.00."
    let partnership = r#"contract "Partnership" effective 2025-10-28 term through 2032-12-31
  currency USD
  rounding half-up to 0.01
  settlement by payment
party openai "OpenAI"
party microsoft "Microsoft"
party panel "Expert panel"
event report_revenue by party { quarter: quarter, amount: money }
event payment by party { to: party, amount: money }
event declare_agi by party { }
event verify_agi by party { }
milestone agi: declare_agi by openai, then verify_agi by panel
"#;
    let example = example_with(doc, "partial periods prorated\n    due 45 days");
    let events = r#"[
      {"type": "declare_agi", "date": "2028-01-10", "by": "openai"},
      {"type": "verify_agi", "date": "2028-05-05", "by": "panel"},
      {"type": "report_revenue", "date": "2028-07-15", "by": "openai", "quarter": "2028-Q2", "amount": "USD 9,100,000.00"}
    ]"#;
    assert_eq!(
        owed(partnership, &example, events, "2028-12-31"),
        [row("1", "680000.00", "2028-08-14")]
    );
}

#[test]
fn the_windows_the_guide_counts_from_milestones_are_the_windows_proviso_gives() {
    let doc = "docs/language.md";
    // "With delivery on 2026-03-31 and notice on 2027-01-15, clause 12 runs
    // from 2026-03-31 through 2027-03-30, and clause 13 from 2026-03-31
    // through 2027-04-14."
    let example = example_with(doc, "clause 13 \"Wind-down\"");
    let prelude = r#"contract "Licence" effective 2026-01-01 term for 3 years
party licensor "Ledgerly Software Inc."
party licensee "Bluepeak Distribution LLC"
event deliver by party { }
event notice by party { }
event request_support by party { }
event use by party { }
"#;
    let text = format!("{prelude}\n{example}");
    let events = r#"[
      {"type": "deliver", "date": "2026-03-31", "by": "licensor"},
      {"type": "notice", "date": "2027-01-15", "by": "licensee"}
    ]"#;
    let report = report_of(text, events, "2027-01-20");
    let rights: Vec<(String, String, String)> = report["rights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
            (s("clause"), s("from"), s("until"))
        })
        .collect();
    assert_eq!(
        rights,
        [
            row("12", "2026-03-31", "2027-03-30"),
            row("13", "2026-03-31", "2027-04-14"),
        ]
    );
}

#[test]
fn a_commitment_the_guide_calls_breached_is_breached() {
    let doc = "docs/language.md";
    // "If the buyer orders 60,000 units by 2027-02-28, the commitment is
    // open on that day and breached from 2027-03-01, 40,000 units short.
    // Had a further order of 40,000 units come on 2027-01-15, it would
    // have been met on that day."
    let example = example_with(doc, "clause 3.2 \"Minimum volume\"");
    let prelude = r#"contract "Supply" effective 2026-01-01 term through 2027-12-31
party buyer "Northwind Utilities Ltd"
party seller "Acme Pumps GmbH"
event order by party { units: number }
"#;
    let text = format!("{prelude}\n{example}");
    let commitment = |events: &str, as_of: &str| {
        let report = report_of(text.clone(), events, as_of);
        let c = &report["commitments"][0];
        let s = |k: &str| c[k].as_str().unwrap_or("-").to_string();
        (s("status"), s("remaining"), s("met_on"))
    };
    let short = r#"[{"type": "order", "date": "2026-06-01", "by": "buyer", "units": 60000}]"#;
    let st = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(commitment(short, "2027-02-28"), st("open", "40000", "-"));
    assert_eq!(
        commitment(short, "2027-03-01"),
        st("breached", "40000", "-")
    );
    let met = r#"[{"type": "order", "date": "2026-06-01", "by": "buyer", "units": 60000},
                  {"type": "order", "date": "2027-01-15", "by": "buyer", "units": 40000}]"#;
    assert_eq!(commitment(met, "2027-03-01"), st("met", "0", "2027-01-15"));
}

#[test]
fn the_late_interest_the_guide_works_out_is_what_proviso_charges() {
    let doc = "docs/language.md";
    // "With the header's `rounding half-up to 0.01`, USD 2,000.00 paid on
    // 2028-01-20 and USD 3,000.00 on 2028-02-15, on 2028-03-15 the interest
    // is USD 130.68"
    let example = example_with(doc, "clause 7 \"Invoice\"");
    let prelude = r#"contract "Invoice" effective 2026-01-01 term through 2028-12-31
  currency USD
  rounding half-up to 0.01
  settlement by payment
party supplier "Acme Ltd"
party customer "Beta plc"
event payment by party { to: party, amount: money }
"#;
    let text = format!("{prelude}\n{example}");
    let events = r#"[
      {"type": "payment", "date": "2028-01-20", "by": "customer", "to": "supplier", "amount": "USD 2,000.00"},
      {"type": "payment", "date": "2028-02-15", "by": "customer", "to": "supplier", "amount": "USD 3,000.00"}
    ]"#;
    let report = report_of(text, events, "2028-03-15");
    assert_eq!(
        report["obligations"][0]["late_interest"]["amount"],
        "130.68"
    );
}

#[test]
fn a_clause_that_survives_for_three_years_stops_when_the_guide_says() {
    let doc = "docs/language.md";
    // "With a term whose last day is 2026-03-15, clause 4 applies through
    // 2029-03-15", the term ending `until terminated` with notice on
    // 2026-03-16.
    let header = example_with(doc, "term through 2028-12-31 or until terminated");
    let clause = example_with(doc, "clause 4 \"Confidentiality\" survives for 3 years");
    let declarations = "event disclose by party { }\n";
    let text = format!("{header}\n{declarations}\n{clause}");
    let events = r#"[
      {"type": "terminate", "date": "2026-03-16", "by": "customer"},
      {"type": "disclose", "date": "2029-03-15", "id": "inside", "by": "customer"},
      {"type": "disclose", "date": "2029-03-16", "id": "after", "by": "customer"}
    ]"#;
    let report = report_of(text, events, "2029-06-30");
    let violated: Vec<&str> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["event"]["id"].as_str())
        .collect();
    assert_eq!(violated, ["inside"]);
}

#[test]
fn a_breach_the_guide_calls_cured_is_cured() {
    let doc = "docs/language.md";
    // "the first quarter's fee is due on 2026-04-30. Notice on 2026-05-05
    // opens a cure period through 2026-05-20: paid on 2026-05-15, the
    // breach is cured."
    let example = example_with(doc, "clause 8 \"Price\"");
    let prelude = r#"contract "Supply" effective 2026-01-01 term through 2026-12-31
  currency EUR
  settlement by payment
party buyer "Northwind Utilities Ltd"
party supplier "Acme Pumps GmbH"
event payment by party { to: party, amount: money }
event notice by party { }
"#;
    let events = r#"[
      {"type": "notice", "date": "2026-05-05", "by": "supplier"},
      {"type": "payment", "date": "2026-05-15", "by": "buyer", "to": "supplier", "amount": "EUR 10,000.00"}
    ]"#;
    let report = report_of(format!("{prelude}\n{example}"), events, "2026-06-30");
    let cure = &report["obligations"][0]["cure"];
    assert_eq!(report["obligations"][0]["due"], "2026-04-30");
    assert_eq!(cure["state"], "cured");
    assert_eq!(cure["until"], "2026-05-20");
    assert_eq!(cure["on"], "2026-05-15");
}

#[test]
fn a_term_renews_as_the_guide_says() {
    let doc = "docs/language.md";
    // "a notice on 2027-10-15 is too late for the end of 2027 (deadline
    // 2027-10-02), so the term renews to 2028-12-31, and the notice stops
    // the renewal after that."
    let header = example_with(doc, "renews for 1 year unless non_renewal by customer");
    let events = r#"[{"type": "non_renewal", "date": "2027-10-15", "id": "n", "by": "customer"}]"#;
    let report = report_of(header, events, "2029-03-31");
    let term = &report["contract"]["term"];
    assert_eq!(term["through"], "2028-12-31");
    assert_eq!(term["renewals"], 2);
    assert_eq!(term["renewal_stopped_by"]["id"], "n");
    // Before the first deadline, the term may still renew.
    let report = report_of(
        example_with(doc, "renews for 1 year unless non_renewal by customer"),
        "[]",
        "2026-06-30",
    );
    assert_eq!(report["contract"]["term"]["notice_by"], "2026-10-02");
}

#[test]
fn a_due_date_the_guide_moves_by_a_suspension_moves_as_it_says() {
    let doc = "docs/language.md";
    // "an order placed on 2026-03-02 is due under clause 3 on 2026-04-01
    // ... the due date, inside the suspension, moves 20 days to
    // 2026-04-21, and a delivery on 2026-04-17 is on time."
    let example = example_with(doc, "clause 12 \"Force majeure\"");
    let prelude = r#"contract "Supply" effective 2026-01-01 term through 2026-12-31
party buyer "Baltic Assembly AB"
party supplier "Nordwerk Komponenten GmbH"
event order by party { }
event deliver by party { }
event force_majeure by party { }
event force_majeure_end by party { }
clause 3 "Delivery"
  supplier must deliver on each order due 30 days after the event
"#;
    let events = r#"[
      {"type": "order", "date": "2026-03-02", "id": "po", "by": "buyer"},
      {"type": "force_majeure", "date": "2026-03-20", "by": "supplier"},
      {"type": "force_majeure_end", "date": "2026-04-09", "by": "supplier"},
      {"type": "deliver", "date": "2026-04-17", "by": "supplier"}
    ]"#;
    let report = report_of(format!("{prelude}\n{example}"), events, "2026-06-30");
    let act = &report["acts"][0];
    assert_eq!(act["due"], "2026-04-21");
    assert_eq!(act["late"], false);
    assert_eq!(act["status"], "discharged");
    assert_eq!(act["due_moved"][0]["days"], 20);
    assert_eq!(act["due_moved"][0]["clause"], "12");
    let suspension = &report["suspensions"][0];
    assert_eq!(suspension["from"], "2026-03-20");
    assert_eq!(suspension["until"], "2026-04-09");
    assert_eq!(suspension["days"], 20);
    // Without the suspension the delivery would be 16 days late.
    let unsuspended = report_of(prelude.to_string(), events, "2026-06-30");
    assert_eq!(unsuspended["acts"][0]["due"], "2026-04-01");
    assert_eq!(unsuspended["acts"][0]["late"], true);
}

#[test]
fn a_shortfall_the_guide_works_out_is_what_proviso_charges() {
    let doc = "docs/language.md";
    // "With purchases of USD 800,000.00 in 2026, the 2026 target is missed
    // by USD 200,000.00 at 2026-12-31, and USD 40,000.00 (20% of it) is
    // due on 2027-01-30."
    let example = example_with(doc, "clause 6 \"Take or pay\"");
    let prelude = r#"contract "Distribution" effective 2026-01-01 term through 2028-12-31
  currency USD
  rounding half-up to 0.01
  settlement by payment
party supplier "Halvorsen Marine Products AS"
party distributor "Gulf Coast Marine Supply Inc."
event purchase by party { amount: money }
event payment by party { to: party, amount: money }
"#;
    let events = r#"[
      {"type": "purchase", "date": "2026-03-10", "by": "distributor", "amount": "USD 500,000.00"},
      {"type": "purchase", "date": "2026-11-20", "by": "distributor", "amount": "USD 300,000.00"}
    ]"#;
    let report = report_of(format!("{prelude}\n{example}"), events, "2027-03-31");
    let commitment = &report["commitments"][0];
    assert_eq!(commitment["period"]["label"], "2026");
    assert_eq!(commitment["status"], "breached");
    assert_eq!(commitment["remaining"], "200000.00");
    let owed = &report["obligations"][0];
    assert_eq!(owed["clause"], "6");
    assert_eq!(owed["amount"], "40000.00");
    assert_eq!(owed["due"], "2027-01-30");
    assert_eq!(owed["period"]["label"], "2026");
    assert_eq!(owed["status"], "overdue");
    // 2027 has begun: its target is open, and owes nothing yet.
    assert_eq!(report["commitments"][1]["period"]["label"], "2027");
    assert_eq!(report["commitments"][1]["status"], "open");
    assert_eq!(report["obligations"].as_array().unwrap().len(), 1);
}

#[test]
fn a_right_the_guide_says_arises_on_a_default_arises_then() {
    let doc = "docs/language.md";
    // "March's fee is due on 2026-04-15; notice on 2026-04-20 opens a cure
    // period through 2026-04-30. Unpaid by then, the fee is in default from
    // 2026-05-01: a termination on 2026-05-08 exercises the provider's
    // right, and one on 2026-04-25 would have been a violation."
    let example = example_with(doc, "then provider may terminate_for_breach");
    let prelude = r#"contract "Service" effective 2026-01-01 term through 2027-12-31
  currency USD
  settlement by payment
party provider "Cirrus Analytics Ltd"
party customer "Marlow Logistics plc"
event payment by party { to: party, amount: money }
event breach_notice by party { }
event terminate_for_breach by party { }
"#;
    let paid = r#"
      {"type": "payment", "date": "2026-02-10", "by": "customer", "to": "provider", "amount": "USD 2,000.00"},
      {"type": "payment", "date": "2026-03-10", "by": "customer", "to": "provider", "amount": "USD 2,000.00"},
      {"type": "breach_notice", "date": "2026-04-20", "by": "provider"},"#;
    let text = format!("{prelude}\n{example}");
    let on_time = report_of(
        text.clone(),
        &format!(
            r#"[{paid} {{"type": "terminate_for_breach", "date": "2026-05-08", "id": "t", "by": "provider"}}]"#
        ),
        "2026-05-31",
    );
    let right = &on_time["rights"][0];
    assert_eq!(right["from"], "2026-05-01");
    assert_eq!(right["arising"]["due"], "2026-04-15");
    assert_eq!(right["arising"]["cure_until"], "2026-04-30");
    assert_eq!(right["arising"]["exercised_by"]["id"], "t");
    assert_eq!(on_time["violations"].as_array().unwrap().len(), 0);
    let early = report_of(
        text,
        &format!(
            r#"[{paid} {{"type": "terminate_for_breach", "date": "2026-04-25", "id": "t", "by": "provider"}}]"#
        ),
        "2026-05-31",
    );
    assert_eq!(early["violations"][0]["ground"], "no_right_arisen");
    assert_eq!(early["violations"][0]["clause"], "3");
    assert_eq!(early["violations"][0]["event"]["id"], "t");
}

#[test]
fn earlier_events_the_guide_looks_back_to_decide_as_it_says() {
    let doc = "docs/language.md";
    // "With block A offered on 2026-03-02, its sale on 2026-03-20 is a
    // violation and its sale on 2026-06-01 is not; a block the investor
    // accepted may not be sold at all."
    let example = example_with(
        doc,
        "unless after offer by founder with the same block at least 30 days before",
    );
    let prelude = r#"contract "Shareholders" effective 2026-01-01 term through 2030-12-31
party founder "Ada Lindqvist"
party investor "Northbridge Ventures LP"
event offer by party { block: text }
event accept_offer by party { block: text }
event transfer by party { block: text }
"#;
    let events = r#"[
      {"type": "offer", "date": "2026-03-02", "by": "founder", "block": "A"},
      {"type": "transfer", "date": "2026-03-20", "id": "early", "by": "founder", "block": "A"},
      {"type": "transfer", "date": "2026-04-01", "id": "on-the-day", "by": "founder", "block": "A"},
      {"type": "offer", "date": "2026-04-01", "by": "founder", "block": "B"},
      {"type": "accept_offer", "date": "2026-04-10", "by": "investor", "block": "B"},
      {"type": "transfer", "date": "2026-06-01", "id": "late", "by": "founder", "block": "A"},
      {"type": "transfer", "date": "2026-06-01", "id": "accepted", "by": "founder", "block": "B"}
    ]"#;
    let report = report_of(format!("{prelude}\n{example}"), events, "2026-12-31");
    let violated: Vec<&str> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["event"]["id"].as_str())
        .collect();
    assert_eq!(violated, ["early", "accepted"]);
    // "`within 12 months` of a delivery on 2026-01-15 is through 2027-01-14."
    let text = r#"contract "Warranty" effective 2026-01-01 term through 2030-12-31
party supplier "Acme Pumps GmbH"
party buyer "Northwind Utilities Ltd"
event deliver by party { serial: text }
event claim by party { serial: text }
clause 1 "Warranty"
  buyer must not claim unless after deliver by supplier with the same serial within 12 months
"#;
    let events = r#"[
      {"type": "deliver", "date": "2026-01-15", "by": "supplier", "serial": "P-1"},
      {"type": "claim", "date": "2027-01-14", "id": "last-day", "by": "buyer", "serial": "P-1"},
      {"type": "claim", "date": "2027-01-15", "id": "too-late", "by": "buyer", "serial": "P-1"},
      {"type": "claim", "date": "2027-01-15", "id": "other-unit", "by": "buyer", "serial": "P-2"}
    ]"#;
    let report = report_of(text.to_string(), events, "2027-12-31");
    let violated: Vec<&str> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["event"]["id"].as_str())
        .collect();
    assert_eq!(violated, ["too-late", "other-unit"]);
}

#[test]
fn a_repair_the_guide_matches_to_its_pump_performs_that_claim() {
    let doc = "docs/language.md";
    // "A repair of P-100 on 2026-05-08 performs the P-100 claim, on time;
    // without `matching` it would have performed the older P-200 claim."
    let example = example_with(doc, "    matching serial\n    due 10 days after the event");
    let prelude = r#"contract "Pumps" effective 2026-01-01 term through 2028-12-31
party supplier "Acme Pumps GmbH"
party buyer "Northwind Utilities Ltd"
event deliver by party { serial: text }
event defect_report by party { serial: text }
event repair by party { serial: text }
"#;
    let events = r#"[
      {"type": "deliver", "date": "2026-01-10", "by": "supplier", "serial": "P-100"},
      {"type": "deliver", "date": "2026-02-01", "by": "supplier", "serial": "P-200"},
      {"type": "defect_report", "date": "2026-05-04", "id": "r200", "by": "buyer", "serial": "P-200"},
      {"type": "defect_report", "date": "2026-05-06", "id": "r100", "by": "buyer", "serial": "P-100"},
      {"type": "repair", "date": "2026-05-08", "id": "fix100", "by": "supplier", "serial": "P-100"},
      {"type": "repair", "date": "2026-05-20", "id": "fix200", "by": "supplier", "serial": "P-200"}
    ]"#;
    let done = |report: &serde_json::Value| -> Vec<(String, String, bool)> {
        report["acts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["raised_by"]["id"].as_str().unwrap().to_string(),
                    a["done_by"]["id"].as_str().unwrap().to_string(),
                    a["late"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    let matched = report_of(format!("{prelude}\n{example}"), events, "2026-12-31");
    assert_eq!(
        done(&matched),
        [
            ("r200".to_string(), "fix200".to_string(), true),
            ("r100".to_string(), "fix100".to_string(), false)
        ]
    );
    let unmatched = report_of(
        format!(
            "{prelude}\n{}",
            example.replace("    matching serial\n", "")
        ),
        events,
        "2026-12-31",
    );
    assert_eq!(
        done(&unmatched),
        [
            ("r200".to_string(), "fix100".to_string(), false),
            ("r100".to_string(), "fix200".to_string(), true)
        ]
    );
}

#[test]
fn damages_the_guide_says_a_default_owes_are_owed() {
    let doc = "docs/language.md";
    // "With a report on 2026-05-04, the repair is due on 2026-05-14; not
    // made by then, ... USD 500.00 falls due on 2026-06-14, even if the
    // repair is made later."
    let example = example_with(doc, "clause 7 \"Late repair\"");
    let prelude = r#"contract "Pumps" effective 2026-01-01 term through 2028-12-31
  currency USD
  settlement by payment
party supplier "Acme Pumps GmbH"
party buyer "Northwind Utilities Ltd"
event defect_report by party { }
event repair by party { }
event payment by party { to: party, amount: money }
"#;
    let events = r#"[
      {"type": "defect_report", "date": "2026-05-04", "by": "buyer"},
      {"type": "repair", "date": "2026-05-20", "by": "supplier"}
    ]"#;
    let report = report_of(format!("{prelude}\n{example}"), events, "2026-12-31");
    let owed = &report["obligations"][0];
    assert_eq!(owed["source"], "default");
    assert_eq!(owed["amount"], "500.00");
    assert_eq!(owed["due"], "2026-06-14");
    assert_eq!(report["obligations"].as_array().unwrap().len(), 1);
    // Repaired in time, nothing is owed.
    let on_time = r#"[
      {"type": "defect_report", "date": "2026-05-04", "by": "buyer"},
      {"type": "repair", "date": "2026-05-14", "by": "supplier"}
    ]"#;
    let report = report_of(format!("{prelude}\n{example}"), on_time, "2026-12-31");
    assert_eq!(report["obligations"].as_array().unwrap().len(), 0);
}

#[test]
fn compounded_interest_the_guide_works_out_is_what_proviso_charges() {
    let doc = "docs/language.md";
    // "Unpaid on 2028-04-30, the USD 10,000.00 above has run up USD 450.43."
    let example = example_with(doc, "compounded monthly, actual/365");
    let prelude = r#"contract "Invoice" effective 2028-01-01 term through 2028-12-31
  currency USD
  rounding half-up to 0.01
  settlement by payment
party supplier "Acme Pumps GmbH"
party customer "Northwind Utilities Ltd"
event payment by party { to: party, amount: money }
"#;
    let report = report_of(format!("{prelude}\n{example}"), "[]", "2028-04-30");
    let interest = &report["obligations"][0]["late_interest"];
    assert_eq!(interest["amount"], "450.43");
    assert_eq!(interest["compounding"], "monthly");
    let days: Vec<i64> = interest["stretches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["days"].as_i64().unwrap())
        .collect();
    assert_eq!(days, [29, 31, 30]);
    // "Simple interest for the same 90 days would be USD 443.84."
    let simple = report_of(
        format!("{prelude}\n{}", example.replace(", compounded monthly", "")),
        "[]",
        "2028-04-30",
    );
    assert_eq!(
        simple["obligations"][0]["late_interest"]["amount"],
        "443.84"
    );
}

#[test]
fn a_termination_fee_the_guide_writes_is_owed_only_on_termination() {
    let doc = "docs/language.md";
    // "With notice on 2026-06-10, USD 10,000.00 falls due on 2026-07-10;
    // while the customer does not terminate, nothing is owed."
    let header = example_with(doc, "term through 2028-12-31 or until terminated");
    let clause = example_with(doc, "clause 12 \"Termination fee\" survives");
    let text = format!("{header}\n{clause}");
    let terminated = report_of(
        text.clone(),
        r#"[{"type": "terminate", "date": "2026-06-10", "by": "customer"}]"#,
        "2026-12-31",
    );
    assert_eq!(terminated["obligations"][0]["amount"], "10000.00");
    assert_eq!(terminated["obligations"][0]["due"], "2026-07-10");
    let running = report_of(text, "[]", "2026-12-31");
    assert_eq!(running["obligations"].as_array().unwrap().len(), 0);
}

/// `docs/render.md`: the readings the guide shows for its example are the
/// readings the page gives, rule by rule.
#[test]
fn the_readings_the_render_guide_shows_are_the_readings_proviso_gives() {
    let doc = "docs/render.md";
    let example = example_with(doc, "contract \"Hosting agreement\"");
    let shown: Vec<Block> = blocks(doc)
        .into_iter()
        .filter(|b| b.lang == "text" && b.marker.starts_with("**Reads**"))
        .collect();
    assert_eq!(shown.len(), 1, "{doc}: one **Reads** block");
    let contract = proviso::Contract::parse("render.proviso", example).unwrap();
    let checked = contract.checked();
    let mut reader = proviso::render::reading::Reader::new(checked);
    let mut readings = String::new();
    for (_, clause) in checked.clauses() {
        for statement in &clause.statements {
            let pieces = reader.statement(clause, statement);
            readings.push_str(&format!(
                "clause {}: {}\n",
                clause.number.node,
                proviso::render::reading::plain(&pieces)
            ));
        }
    }
    // The guide wraps nothing: one reading per line.
    assert_eq!(shown[0].text, readings);
}

/// `docs/fmt.md`: the **After** example is what `proviso fmt` makes of the
/// **Before** one, and is itself formatted.
#[test]
fn the_formatting_the_fmt_guide_shows_is_what_fmt_does() {
    let doc = "docs/fmt.md";
    let example = |marker: &str| -> String {
        let found: Vec<Block> = blocks(doc)
            .into_iter()
            .filter(|b| b.lang == "proviso" && b.marker.starts_with(marker))
            .collect();
        assert_eq!(found.len(), 1, "{doc}: one {marker} example");
        found.into_iter().next().map(|b| b.text).unwrap_or_default()
    };
    let (before, after) = (example("**Before**"), example("**After**"));
    let format = |text: &str| {
        proviso::fmt::format_source(&SourceFile::new("fmt.proviso", text), &Limits::default())
            .unwrap()
    };
    assert_eq!(format(&before), after);
    assert_eq!(format(&after), after);
}

#[test]
fn marginal_tiers_the_guide_works_out_are_what_proviso_charges() {
    let doc = "docs/language.md";
    let example = example_with(doc, "contract \"Sales agency\"");
    // "A sale of USD 6,500,000.00 owes ... USD 183,500.00 in all. A sale of
    // USD 2,500,000.00 owes USD 30,000.00 + USD 43,500.00 = USD 73,500.00,
    // and one of exactly USD 1,000,000.00 owes USD 30,000.00. An order of
    // 1,500 units owes 1,000 × USD 2.00 + 500 × USD 1.50 = USD 2,750.00."
    let events = r#"[
      {"type": "sale", "date": "2026-03-02", "by": "principal", "amount": "USD 6,500,000.00"},
      {"type": "sale", "date": "2026-03-03", "by": "principal", "amount": "USD 2,500,000.00"},
      {"type": "sale", "date": "2026-03-04", "by": "principal", "amount": "USD 1,000,000.00"},
      {"type": "order", "date": "2026-03-05", "by": "principal", "units": 1500}
    ]"#;
    let report = report_of(example, events, "2026-03-31");
    let owed: Vec<(String, String)> = report["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let amount: rust_decimal::Decimal = o["amount"].as_str().unwrap().parse().unwrap();
            (
                o["clause"].as_str().unwrap().to_string(),
                amount.normalize().to_string(),
            )
        })
        .collect();
    let row = |c: &str, a: &str| (c.to_string(), a.to_string());
    assert_eq!(
        owed,
        [
            row("1", "183500"),
            row("1", "73500"),
            row("1", "30000"),
            row("2", "2750"),
        ]
    );
}

#[test]
fn what_the_guide_says_a_definition_works_out_to_is_what_it_owes() {
    let doc = "docs/language.md";
    let example = example_with(doc, "contract \"Resale agreement\"");
    // "with sales of USD 1,000.00 and USD 12,000.00 and a refund of USD
    // 250.00 in the first quarter of 2026, Net Revenue is USD 13,000.00 −
    // USD 250.00 = USD 12,750.00, and the share is 20% of it, USD 2,550.00,
    // due on 30 April 2026 ... the sale of USD 12,000.00 through the direct
    // channel is a Qualifying Sale and earns the bonus; the sale of USD
    // 1,000.00 is not."
    let events = r#"[
      {"type": "sale", "date": "2026-01-10", "by": "reseller", "amount": "USD 1,000.00", "channel": "direct"},
      {"type": "sale", "date": "2026-02-10", "by": "reseller", "amount": "USD 12,000.00", "channel": "direct"},
      {"type": "refund", "date": "2026-03-01", "by": "reseller", "amount": "USD 250.00"}
    ]"#;
    assert_eq!(
        owed("", &example, events, "2026-06-30"),
        [
            row("1", "2550.00", "2026-04-30"),
            // The bonus for the 12,000.00 sale, 15 days after 2026-02-10.
            row("2", "500.00", "2026-02-25"),
        ]
    );
}

/// The guide's list of reserved words is the grammar's: its rule `keyword`,
/// written as first letters and endings (`| "c" ~ ("ategory" | ...)`).
#[test]
fn the_reserved_words_the_guide_lists_are_the_grammars() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let pest = std::fs::read_to_string(root.join("grammar/proviso.pest")).unwrap();
    let rule = pest
        .split("\nkeyword = @{")
        .nth(1)
        .and_then(|rest| rest.split("\n}").next())
        .unwrap();
    let mut grammar: Vec<String> = Vec::new();
    for line in rule.lines() {
        let line = line.trim().trim_start_matches('|').trim();
        let Some((first, endings)) = line.split_once("~ (") else {
            continue;
        };
        let first = first.trim().trim_matches('"');
        if first.len() != 1 {
            continue;
        }
        for ending in endings.trim_end_matches(')').split('|') {
            grammar.push(format!("{first}{}", ending.trim().trim_matches('"')));
        }
    }
    grammar.sort();
    let guide = std::fs::read_to_string(root.join("docs/language.md")).unwrap();
    let block = guide
        .split("cannot be used as names:\n\n```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    let mut listed: Vec<String> = block.split_whitespace().map(str::to_string).collect();
    listed.sort();
    assert!(
        grammar.len() > 50,
        "read {} words from the grammar",
        grammar.len()
    );
    assert_eq!(listed, grammar);
}

#[test]
fn a_conversion_the_guide_works_out_is_what_proviso_charges() {
    let doc = "docs/language.md";
    let example = example_with(doc, "contract \"European distribution agreement\"");
    // "A report of EUR 48,215.40 at 1.0843 owes 12% = EUR 5,785.848,
    // converted USD 6,273.5949864, which the contract's rounding makes USD
    // 6,273.59." The fee: EUR 2,500 at 1.0750 = USD 2,687.50 a quarter.
    let events = r#"[
      {"type": "report_sales", "date": "2026-02-05", "by": "distributor", "month": "2026-01", "net_sales": "EUR 48,215.40", "eur_usd": 1.0843}
    ]"#;
    assert_eq!(
        owed("", &example, events, "2026-03-31"),
        [
            row("3", "6273.59", "2026-02-25"),
            row("4", "2687.50", "2026-04-15")
        ]
    );
}

/// The guide's accounts: the balances its tables give, day by day, for
/// payment first and for interest first, and the final payment it states.
#[test]
fn the_balances_the_guide_works_out_are_the_balances_proviso_keeps() {
    let doc = "docs/language.md";
    let accounts: Vec<String> = blocks(doc)
        .into_iter()
        .filter(|b| b.lang == "proviso" && b.text.starts_with("account loan"))
        .map(|b| b.text)
        .collect();
    assert_eq!(
        accounts.len(),
        2,
        "the payment-first and interest-first accounts"
    );
    let final_payment = example_with(doc, "clause 5 \"Final payment\"");
    let prelude = r#"contract "Loan" effective 2026-01-01 term through 2026-04-30
  settlement by payment
party lender
party borrower
event payment by party { to: party, amount: money }
"#;
    let events = r#"[
      {"type": "payment", "date": "2026-01-31", "by": "borrower", "to": "lender", "amount": "EUR 2,500.00"},
      {"type": "payment", "date": "2026-02-28", "by": "borrower", "to": "lender", "amount": "EUR 2,500.00"},
      {"type": "payment", "date": "2026-03-31", "by": "borrower", "to": "lender", "amount": "EUR 2,500.00"}
    ]"#;
    // The balance at the end of each day the guide's tables show, then
    // the final payment (the balance on 2026-04-01 plus EUR 500.00).
    let expected = [
        (["7612.50", "5189.19", "2729.53"], "3229.53"),
        (["7650.00", "5264.75", "2843.72"], "3343.72"),
    ];
    for (account, (balances, owed)) in accounts.iter().zip(expected) {
        let report = report_of(
            format!("{prelude}{account}\n{final_payment}"),
            events,
            "2026-04-01",
        );
        let movements = report["accounts"][0]["movements"].as_array().unwrap();
        let at_end_of = |day: &str| {
            movements
                .iter()
                .rev()
                .find(|m| m["date"] == day)
                .map(|m| m["balance"].as_str().unwrap().to_string())
        };
        for (day, balance) in ["2026-01-31", "2026-02-28", "2026-03-31"]
            .iter()
            .zip(balances)
        {
            assert_eq!(at_end_of(day).as_deref(), Some(balance), "{account}\n{day}");
        }
        let obligations = report["obligations"].as_array().unwrap();
        assert_eq!(obligations.len(), 1);
        assert_eq!(obligations[0]["amount"], owed, "{account}");
        assert_eq!(obligations[0]["due"], "2026-04-30");
    }
}

/// The guide's aggregate cap: reached on 17 March, nothing left on the
/// 24th, April afresh.
#[test]
fn what_the_guide_says_a_cap_leaves_owed_is_what_is_owed() {
    let doc = "docs/language.md";
    let example = example_with(doc, "clause 9.2 \"Cap on credits\"");
    let prelude = r#"contract "Hosting" effective 2026-01-01 term through 2026-12-31
  settlement by credit
party provider
party customer
event outage by party { hours: number }
event late_response by party { tickets: count }
event credit by party { to: party, amount: money }
"#;
    let events = r#"[
      {"type": "outage", "date": "2026-03-03", "by": "provider", "hours": 2},
      {"type": "late_response", "date": "2026-03-10", "by": "provider", "tickets": 4},
      {"type": "outage", "date": "2026-03-17", "by": "provider", "hours": 1},
      {"type": "late_response", "date": "2026-03-24", "by": "provider", "tickets": 2},
      {"type": "outage", "date": "2026-04-02", "by": "provider", "hours": 1}
    ]"#;
    let report = report_of(format!("{prelude}{example}"), events, "2026-06-30");
    let mut owed: Vec<(String, String, String)> = report["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let s = |k: &str| o[k].as_str().unwrap_or_default().to_string();
            let raised = o["events"][0]["date"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            (raised, s("clause"), s("amount"))
        })
        .collect();
    owed.sort();
    let row = |d: &str, c: &str, a: &str| (d.to_string(), c.to_string(), a.to_string());
    assert_eq!(
        owed,
        [
            row("2026-03-03", "9", "3000.00"),
            row("2026-03-10", "9.1", "1000.00"),
            row("2026-03-17", "9", "1000.00"),
            row("2026-03-24", "9.1", "0.00"),
            row("2026-04-02", "9", "1500.00"),
        ]
    );
}

#[test]
fn a_milestone_the_guide_reaches_by_a_total_or_a_count_is_reached_then() {
    let doc = "docs/language.md";
    // "payments to the licensor of USD 40,000.00 on 10 February 2026 and
    // USD 59,999.99 on 10 April ... a payment of USD 0.01 on 10 May brings
    // it to USD 100,000.00, and the licence runs from that day. A payment
    // by the licensor to the licensee ... does not count. Late deliveries
    // by the licensor on 11 April, 14 April and 14 May (with one on time
    // on 12 April between them) make 14 May the day of the third; ... the
    // late delivery of 14 May earns USD 500.00, due 13 June, and the two
    // before it earn nothing."
    let text = example_with(doc, "milestone persistent_delay");
    let events = r#"[
      {"type": "payment", "date": "2026-02-10", "by": "licensee", "to": "licensor", "amount": "USD 40,000.00"},
      {"type": "payment", "date": "2026-03-10", "by": "licensor", "to": "licensee", "amount": "USD 700.00"},
      {"type": "payment", "date": "2026-04-10", "by": "licensee", "to": "licensor", "amount": "USD 59,999.99"},
      {"type": "deliver", "date": "2026-04-11", "by": "licensor", "late": true},
      {"type": "deliver", "date": "2026-04-12", "by": "licensor", "late": false},
      {"type": "deliver", "date": "2026-04-14", "by": "licensor", "late": true},
      {"type": "use", "date": "2026-05-09", "by": "licensee", "seats": 5},
      {"type": "payment", "date": "2026-05-10", "by": "licensee", "to": "licensor", "amount": "USD 0.01"},
      {"type": "use", "date": "2026-05-10", "by": "licensee", "seats": 5},
      {"type": "deliver", "date": "2026-05-14", "by": "licensor", "late": true}
    ]"#;
    let report = report_of(text, events, "2026-06-30");
    let reached: Vec<(String, String)> = report["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap_or("").to_string(),
                m["date"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        reached,
        [
            ("fee_paid".to_string(), "2026-05-10".to_string()),
            ("persistent_delay".to_string(), "2026-05-14".to_string()),
        ]
    );
    // The use of 9 May is before the licence; that of 10 May under it.
    let covered: Vec<(String, bool)> = report["entitlements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["event"]["date"].as_str().unwrap_or("").to_string(),
                e["covered"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(
        covered,
        [
            ("2026-05-09".to_string(), false),
            ("2026-05-10".to_string(), true)
        ]
    );
    let owed = owed_in(&report);
    assert_eq!(owed, [row("2", "500.00", "2026-06-13")]);
}

#[test]
fn running_totals_the_guide_works_out_are_what_proviso_finds() {
    let doc = "docs/language.md";
    // "Orders of 6,000 units on 5 January 2026, 4,000 on 20 January and 1
    // on 31 January come to 6,000, 10,000 and 10,001 in the month: the
    // third order is the violation of clause 1 ... 9,000 on 1 February,
    // then 2,000 on 2 February make 11,000, a violation. ... the order of
    // 2 February ... earns the rebate of clause 2, 2% of USD 20,000.00 =
    // USD 400.00, due 4 March. Claims of USD 30,000.00 on 1 March 2026 and
    // USD 20,000.00 on 1 September ... are both paid; one of USD 5,000.00
    // on 1 January 2027 ... is not; one of USD 5,000.00 on 1 March 2027
    // ... is paid."
    let text = example_with(doc, "clause 1 \"Monthly volume cap\"");
    let report_text = text.clone();
    let events = r#"[
      {"type": "order", "date": "2026-01-05", "by": "buyer", "units": 6000, "value": "USD 60,000.00"},
      {"type": "order", "date": "2026-01-20", "by": "buyer", "units": 4000, "value": "USD 40,000.00"},
      {"type": "order", "date": "2026-01-31", "by": "buyer", "units": 1, "value": "USD 10.00"},
      {"type": "order", "date": "2026-02-01", "by": "buyer", "units": 9000, "value": "USD 90,000.00"},
      {"type": "order", "date": "2026-02-02", "by": "buyer", "units": 2000, "value": "USD 20,000.00"},
      {"type": "claim", "date": "2026-03-01", "by": "buyer", "amount": "USD 30,000.00"},
      {"type": "claim", "date": "2026-09-01", "by": "buyer", "amount": "USD 20,000.00"},
      {"type": "claim", "date": "2027-01-01", "by": "buyer", "amount": "USD 5,000.00"},
      {"type": "claim", "date": "2027-03-01", "by": "buyer", "amount": "USD 5,000.00"}
    ]"#;
    let report = report_of(report_text, events, "2027-06-30");
    let violations = violations_in(&report);
    assert_eq!(
        violations,
        [
            ("1".to_string(), "2026-01-31".to_string()),
            ("1".to_string(), "2026-02-02".to_string()),
        ]
    );
    let owed = owed_in(&report);
    assert_eq!(
        owed,
        [
            row("2", "400.00", "2026-03-04"),
            row("3", "30000.00", "2026-03-31"),
            row("3", "20000.00", "2026-10-01"),
            row("3", "5000.00", "2027-03-31"),
        ]
    );
    // "`--explain` shows ... `as #3 order 2026-01-31 came, `total
    // order.units in the same month` = 10,001`"
    let contract = proviso::Contract::parse("guide.proviso", text).unwrap();
    let as_of =
        proviso::syntax::parse_date_text("2027-06-30", proviso::ast::Span::default()).unwrap();
    let explained = contract
        .evaluate(events, proviso::EventFormat::Json, Some(as_of))
        .unwrap()
        .to_text(true);
    assert!(
        explained.contains(
            "as #3 order 2026-01-31 came, `total order.units in the same month` = 10,001"
        ),
        "{explained}"
    );
}

#[test]
fn a_count_the_guide_works_out_is_what_proviso_counts() {
    let doc = "docs/language.md";
    // "Incidents by the provider of severity 3 on 5 January 2026 and of
    // severity 2 on 20 January, with one of severity 1 on 6 January and
    // one the customer caused on 7 January, count 2 for January: a credit
    // of USD 500.00, due 15 February. A month with no such incident counts
    // 0 and owes nothing."
    let example = example_with(doc, "clause 6 \"Incident credits\"");
    let prelude = r#"contract "Hosting" effective 2026-01-01 term through 2026-12-31
  currency USD
  rounding half-up to 0.01
  settlement by payment
party provider "Cloudline Hosting Ltd"
party customer "Fernhill Retail plc"
event incident by party { severity: number }
event payment by party { to: party, amount: money }
"#;
    let events = r#"[
      {"type": "incident", "date": "2026-01-05", "by": "provider", "severity": 3},
      {"type": "incident", "date": "2026-01-06", "by": "provider", "severity": 1},
      {"type": "incident", "date": "2026-01-07", "by": "customer", "severity": 3},
      {"type": "incident", "date": "2026-01-20", "by": "provider", "severity": 2}
    ]"#;
    // February, with no incident, owes nothing: no obligation at all.
    assert_eq!(
        owed(prelude, &example, events, "2026-02-28"),
        [row("6", "500.00", "2026-02-15")]
    );
}

#[test]
fn the_values_the_guide_picks_are_the_values_proviso_picks() {
    let doc = "docs/language.md";
    // "An invoice of 10 January 2026 at USD 10.00 for 1,000 units ...
    // breaks nothing ... The invoice of 5 March at USD 10.80 ... a
    // violation of clause 2; and it earns the credit of clause 3, (10.80 −
    // 9.50) × 2,000 = USD 2,600.00, due 4 April. The invoice of 1 April at
    // USD 11.20 for 500 units ... a violation of clause 1 ... its credit
    // is (11.20 − 9.50) × 500 = USD 850.00, due 1 May. A late delivery on
    // 20 March owes ... USD 2,160.00, due 19 April; one on 15 April ...
    // USD 560.00, due 15 May."
    let text = example_with(doc, "clause 3 \"Most-favoured customer\"");
    let events = |extra: &str| {
        format!(
            r#"[
      {{"type": "list_price", "date": "2025-12-15", "by": "supplier", "unit_price": "USD 10.00"}},
      {{"type": "invoice", "date": "2026-01-10", "by": "supplier", "unit_price": "USD 10.00", "units": 1000, "amount": "USD 10,000.00"}},
      {{"type": "other_sale", "date": "2026-02-01", "by": "supplier", "unit_price": "USD 9.50"}},
      {{"type": "list_price", "date": "2026-03-01", "by": "supplier", "unit_price": "USD 11.00"}},
      {{"type": "invoice", "date": "2026-03-05", "by": "supplier", "unit_price": "USD 10.80", "units": 2000, "amount": "USD 21,600.00"}},
      {{"type": "late_delivery", "date": "2026-03-20", "by": "supplier", "order": "PO-7"}},
      {{"type": "invoice", "date": "2026-04-01", "by": "supplier", "unit_price": "USD 11.20", "units": 500, "amount": "USD 5,600.00"}},
      {{"type": "late_delivery", "date": "2026-04-15", "by": "supplier", "order": "PO-9"}}{extra}
    ]"#
        )
    };
    let report = report_of(text.clone(), &events(""), "2026-06-30");
    assert_eq!(
        violations_in(&report),
        [
            ("1".to_string(), "2026-04-01".to_string()),
            ("2".to_string(), "2026-03-05".to_string()),
        ]
    );
    assert_eq!(
        owed_in(&report),
        [
            row("3", "2600.00", "2026-04-04"),
            row("3", "850.00", "2026-05-01"),
            row("4", "2160.00", "2026-04-19"),
            row("4", "560.00", "2026-05-15"),
        ]
    );
    // "`--explain` shows ... ``as #5 invoice 2026-03-05 came, `previous
    // invoice.unit_price otherwise unit_price` = USD 10.00``"
    let contract = proviso::Contract::parse("guide.proviso", text.clone()).unwrap();
    let as_of =
        proviso::syntax::parse_date_text("2026-06-30", proviso::ast::Span::default()).unwrap();
    let explained = contract
        .evaluate(&events(""), proviso::EventFormat::Json, Some(as_of))
        .unwrap()
        .to_text(true);
    assert!(
        explained.contains(
            "as #5 invoice 2026-03-05 came, `previous invoice.unit_price otherwise unit_price` = USD 10.00"
        ),
        "{explained}"
    );
    // "A late delivery on 1 July, when the third quarter has no invoice
    // yet, stops the evaluation with E0705."
    let late = r#",
      {"type": "late_delivery", "date": "2026-07-01", "by": "supplier", "order": "PO-12"}"#;
    let as_of =
        proviso::syntax::parse_date_text("2026-09-30", proviso::ast::Span::default()).unwrap();
    let stopped = contract
        .evaluate(&events(late), proviso::EventFormat::Json, Some(as_of))
        .expect_err("a late delivery with no invoice in its quarter stops the evaluation");
    assert!(stopped.render().contains("E0705"), "{}", stopped.render());
    // "Written `10% of (highest invoice.amount in the same quarter
    // otherwise USD 0.00)`, it owes USD 0.00 for that delivery, an
    // obligation discharged as it arises."
    let written = "10% of highest invoice.amount in the same quarter";
    assert!(text.contains(written));
    let otherwise = text.replace(
        written,
        "10% of (highest invoice.amount in the same quarter otherwise USD 0.00)",
    );
    let report = report_of(otherwise, &events(late), "2026-09-30");
    let last = report["obligations"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (
            last["amount"].as_str(),
            last["due"].as_str(),
            last["status"].as_str()
        ),
        (Some("0.00"), Some("2026-07-31"), Some("discharged")),
        "{report}"
    );
}

#[test]
fn a_floor_the_guide_works_out_owes_what_it_says() {
    let doc = "docs/language.md";
    // "clauses 4 and 5 come to 5% of 100,000.00 = 5,000.00 plus 2% of
    // 50,000.00 = 1,000.00 for the first quarter: USD 6,000.00, so clause 6
    // owes the USD 4,000.00 short, due 15 May ... The second quarter owes
    // 5% of 300,000.00 = 15,000.00 under clause 4 ... nothing more. The
    // third quarter ... owes the whole USD 10,000.00, due 14 November. As
    // of 15 October 2026 the fourth quarter is not over and owes no
    // shortfall yet."
    let text = example_with(doc, "clause 6 \"Minimum royalty\"");
    let events = r#"[
      {"type": "sale", "date": "2026-02-10", "by": "licensee", "amount": "USD 100,000.00"},
      {"type": "service", "date": "2026-03-05", "by": "licensee", "amount": "USD 50,000.00"},
      {"type": "sale", "date": "2026-05-10", "by": "licensee", "amount": "USD 300,000.00"}
    ]"#;
    let report = report_of(text, events, "2026-10-15");
    assert_eq!(
        owed_in(&report),
        [
            row("4", "5000.00", "2026-04-30"),
            row("4", "15000.00", "2026-07-30"),
            row("5", "1000.00", "2026-04-30"),
            row("6", "4000.00", "2026-05-15"),
            row("6", "10000.00", "2026-11-14"),
        ]
    );
    let sources: Vec<&str> = report["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["rule", "rule", "rule", "floor", "floor"]);
}

/// The guide's table of what a group's members did (section "Groups: a
/// party and its affiliates") and its worked ownership example are what
/// proviso reports for the example files they name.
#[test]
fn the_groups_and_ownership_the_guide_works_out_are_what_proviso_reports() {
    let guide = std::fs::read_to_string("docs/language.md").unwrap();
    assert!(guide.contains("With these events (`examples/affiliates.proviso` and its scenario)"));
    assert!(guide.contains("(`examples/software-title.proviso` and its scenario)"));
    let run = |contract: &str, events: &str| {
        report_of(
            std::fs::read_to_string(contract).unwrap(),
            &std::fs::read_to_string(events).unwrap(),
            "2026-12-31",
        )
    };
    let ids = |report: &serde_json::Value, list: &str| -> Vec<String> {
        report[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                let event = if list == "assets" {
                    &v["made_by"]
                } else {
                    &v["event"]
                };
                format!(
                    "{} {}",
                    event["date"].as_str().unwrap_or(""),
                    event["type"].as_str().unwrap_or("")
                )
            })
            .collect()
    };
    let groups = run(
        "examples/affiliates.proviso",
        "examples/events/affiliates.json",
    );
    // "15 February: `lumen_devices` buys compute ... breach of clause 2";
    // "1 May: `lumen_europe` buys compute ... breach of clause 2"; the
    // purchases of 1 March, 20 July and 2 August break nothing.
    assert_eq!(
        ids(&groups, "violations"),
        ["2026-02-15 buy_compute", "2026-05-01 buy_compute"]
    );
    // "1 April, after it: `lumen_europe` releases a model ... covered by
    // clause 1"; the release of 10 March is not the grant's.
    assert_eq!(
        ids(&groups, "entitlements"),
        ["2026-02-01 release", "2026-04-01 release"]
    );
    let title = run(
        "examples/software-title.proviso",
        "examples/events/software-title.json",
    );
    // "`paid_in_full` is reached on 20 June; the modules delivered on 1
    // February and 15 April are the developer's until then and the
    // client's from then, and the module delivered on 1 July is the
    // client's as it is delivered. The invention of 15 February is owned
    // 60% by the developer and 40% by the university."
    assert!(
        guide.contains("`paid_in_full` is\nreached on 20 June"),
        "the guide's wording moved"
    );
    let owners: Vec<(String, String, String, String)> = title["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let passed = a["title_passed"].as_array().unwrap();
            (
                a["made_by"]["date"].as_str().unwrap_or("").to_string(),
                a["share"].as_str().unwrap_or("").to_string(),
                a["owner"].as_str().unwrap_or("").to_string(),
                passed.last().map_or(String::new(), |p| {
                    p["date"].as_str().unwrap_or("").to_string()
                }),
            )
        })
        .collect();
    let row = |made: &str, share: &str, owner: &str, passed: &str| {
        (
            made.to_string(),
            share.to_string(),
            owner.to_string(),
            passed.to_string(),
        )
    };
    assert_eq!(
        owners,
        [
            row("2026-02-01", "100", "client", "2026-06-20"),
            row("2026-02-15", "60", "developer", ""),
            row("2026-02-15", "40", "university", ""),
            row("2026-04-15", "100", "client", "2026-06-20"),
            row("2026-07-01", "100", "client", "2026-07-01"),
        ]
    );
}

#[test]
fn a_clause_the_guide_says_is_paid_in_full_is_paid_then() {
    let doc = "docs/language.md";
    // "The licensee pays USD 3,000.00 on 1 March 2026 and USD 4,000.00 on
    // 1 August ... the fee is paid in full on 1 August, `fee_paid` is
    // reached that day, and support runs through 31 July. August's
    // support is not owed ... Had the licensee paid only USD 3,000.00 on
    // 1 August, USD 500.00 would go to the fee (after support for April to
    // August), which would stay unpaid, and support would run to the end
    // of the term."
    let text = example_with(
        doc,
        "milestone fee_paid \"Licence fee paid in full\": clause 1",
    );
    let pay = |date: &str, amount: &str| {
        format!(
            r#"{{"type": "payment", "date": "{date}", "by": "licensee", "to": "licensor", "amount": "USD {amount}"}}"#
        )
    };
    let events = format!(
        "[{}, {}]",
        pay("2026-03-01", "3,000.00"),
        pay("2026-08-01", "4,000.00")
    );
    let report = report_of(text.clone(), &events, "2026-12-31");
    assert_eq!(report["milestones"][0]["date"], "2026-08-01");
    let support = |due: &str| row("2", "500.00", due);
    assert_eq!(
        owed_in(&report),
        [
            row("1", "3000.00", "2026-12-31"),
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
    // "The payment of 1 March pays those USD 1,500.00 first and USD
    // 1,500.00 of the fee": as of 31 July, before the second payment.
    let before = report_of(text.clone(), &events, "2026-07-31");
    assert_eq!(before["obligations"][0]["paid"], "1500.00");

    let events = format!(
        "[{}, {}]",
        pay("2026-03-01", "3,000.00"),
        pay("2026-08-01", "3,000.00")
    );
    let report = report_of(text, &events, "2026-12-31");
    assert_eq!(report["milestones"][0]["reached"], false);
    assert_eq!(report["obligations"][0]["status"], "open");
    // "USD 500.00 would go to the fee": support for April to August first.
    assert_eq!(report["obligations"][0]["paid"], "2000.00");
    // Support for every month of 2026, the last due 10 January 2027.
    let owed = owed_in(&report);
    assert_eq!(owed.len(), 13);
    assert_eq!(owed[12], row("2", "500.00", "2027-01-10"));

    // "a single payment of USD 3,500.00 on 1 February pays January's
    // support and the whole fee if February's support is not owed ... and
    // only USD 2,500.00 of the fee if it is. Either way evaluation stops
    // with E0411".
    let contract = proviso::Contract::parse(
        "guide.proviso",
        example_with(
            doc,
            "milestone fee_paid \"Licence fee paid in full\": clause 1",
        ),
    )
    .unwrap();
    let events = format!("[{}]", pay("2026-02-01", "3,500.00"));
    let as_of =
        proviso::syntax::parse_date_text("2026-03-31", proviso::ast::Span::default()).unwrap();
    let problems = contract
        .evaluate(&events, proviso::EventFormat::Json, Some(as_of))
        .err()
        .unwrap();
    let codes: Vec<String> = problems.diagnostics().map(|d| d.code.to_string()).collect();
    assert_eq!(codes, ["E0411"]);
    assert!(
        problems
            .render()
            .contains("clause 1 may be read as paid on 2026-02-01 or as unpaid")
    );
}

#[test]
fn a_definition_the_guide_works_out_per_period_is_what_proviso_works_out() {
    let doc = "docs/language.md";
    // "with sales of USD 30,000.00 (10 January 2026), USD 25,000.00 (1
    // March) and USD 10,000.00 (20 March) and a refund of USD 5,000.00 (1
    // February), Quarterly Net Revenue for the first quarter is ... USD
    // 60,000.00, and the vendor's share USD 12,000.00, due 30 April. A sale
    // of USD 40,000.00 on 2 April makes ... a share of USD 8,000.00, due 30
    // July." "the sale of 20 March brings it to USD 60,000.00 and earns the
    // bonus of USD 1,000.00, due 4 April."
    let text = example_with(doc, "define vendor_share");
    let sale = |date: &str, amount: &str| {
        format!(
            r#"{{"type": "sale", "date": "{date}", "by": "reseller", "amount": "USD {amount}"}}"#
        )
    };
    let events = format!(
        "[{}, {}, {}, {}, {}]",
        sale("2026-01-10", "30,000.00"),
        r#"{"type": "refund", "date": "2026-02-01", "by": "reseller", "amount": "USD 5,000.00"}"#,
        sale("2026-03-01", "25,000.00"),
        sale("2026-03-20", "10,000.00"),
        sale("2026-04-02", "40,000.00"),
    );
    let report = report_of(text, &events, "2026-06-30");
    assert_eq!(
        owed_in(&report),
        [
            row("1", "12000.00", "2026-04-30"),
            row("1", "8000.00", "2026-07-30"),
            row("2", "1000.00", "2026-04-04"),
        ]
    );
}

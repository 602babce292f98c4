//! proviso for the browser: the library's front door behind a JSON
//! interface, compiled to WebAssembly for the playground.
//!
//! Every function takes text and returns one JSON document as a string,
//! built by the same library calls as the command, so that the browser
//! shows what the command prints: `check` and `lint` in their
//! `--format json` documents, `eval` in `proviso.report/1`, the page of
//! `render`, the change review of `lint --against`. Positions for the
//! editor are offsets in UTF-16 code units, as JavaScript strings count.
//! Nothing here reads a file, the clock or the network.

use proviso::diagnostics::{ColorChoice, Diagnostic, json_document, render_human};
use proviso::{Contract, EventFormat, Limits, SourceFile, lint};
use serde_json::{Value, json};
use wasm_bindgen::prelude::wasm_bindgen;

/// What the editor shows of a clause file as it is typed: the document of
/// `proviso check --format json`, the document of `proviso lint --format
/// json` (once the file checks), both as the command prints them for
/// people (no colours), and a mark for each diagnostic to underline.
#[wasm_bindgen]
pub fn diagnostics(name: &str, text: &str) -> String {
    let source = SourceFile::new(name, text);
    let outcome = proviso::check_source(&source, &Limits::default());
    let findings = outcome
        .checked
        .as_ref()
        .map(|checked| lint::lint(checked, text, &lint::Config::default()));
    let check = json_document(&[(&source, outcome.diagnostics.as_slice())]);
    let lint_entry = match &findings {
        Some(findings) => lint::json_entry(&source, Ok(findings)),
        None => lint::json_entry(&source, Err(&outcome.diagnostics)),
    };
    let mut all: Vec<Diagnostic> = outcome.diagnostics.clone();
    all.extend(findings.iter().flatten().map(|f| f.diagnostic.clone()));
    let rendered = render_human(&source, &all, ColorChoice::Never);
    let mut sorted = all;
    sorted.sort_by_key(|d| d.primary.span.start);
    let offsets = Utf16::new(text);
    let marks: Vec<Value> = sorted.iter().map(|d| mark(&offsets, d)).collect();
    json!({
        "check": check,
        "lint": { "schema": lint::JSON_SCHEMA, "files": [lint_entry] },
        "rendered": rendered,
        "marks": marks,
    })
    .to_string()
}

/// A diagnostic as the editor underlines it: where, how serious, what it
/// says, and the edit its suggestion makes.
fn mark(offsets: &Utf16<'_>, d: &Diagnostic) -> Value {
    let related: Vec<Value> = d
        .related
        .iter()
        .map(|l| json!({ "from": offsets.of(l.span.start), "to": offsets.of(l.span.end), "message": l.message }))
        .collect();
    json!({
        "from": offsets.of(d.primary.span.start),
        "to": offsets.of(d.primary.span.end),
        "severity": if d.is_error() { "error" } else { "warning" },
        "code": d.code.as_str(),
        "name": d.code.slug(),
        "message": d.message,
        "label": d.primary.message,
        "help": d.help,
        "related": related,
        "fix": d.suggestion.as_ref().map(|s| json!({
            "from": offsets.of(s.span.start),
            "to": offsets.of(s.span.end),
            "insert": s.replacement,
        })),
    })
}

/// What the name or value at UTF-16 offset `at` is, in Markdown, as
/// `proviso lsp` answers a hover: `null` where there is nothing to say.
#[wasm_bindgen]
pub fn hover(text: &str, at: usize) -> Option<String> {
    let offset = byte_offset(text, at);
    let nav = proviso::ide::Navigation::new(text);
    match nav.target_at(offset) {
        Some(target) => Some(nav.hover(target)),
        None => nav.value_hover(text, offset),
    }
}

/// What may be written at UTF-16 offset `at`, as `proviso lsp` offers it,
/// the likeliest first: `[{"label", "kind", "detail"}]`, and `from`, where
/// the word being typed starts (UTF-16).
#[wasm_bindgen]
pub fn completions(text: &str, at: usize) -> String {
    use proviso::ide::CompletionKind;
    let offset = byte_offset(text, at);
    let typed = text.get(..offset).map_or(0, |before| {
        before.len()
            - before
                .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_')
                .len()
    });
    let options: Vec<Value> = proviso::ide::completions(text, offset)
        .into_iter()
        .map(|c| {
            let kind = match c.kind {
                CompletionKind::Keyword => "keyword",
                CompletionKind::Party => "variable",
                CompletionKind::Event => "function",
                CompletionKind::Field => "property",
                CompletionKind::Member => "enum",
                CompletionKind::Milestone => "constant",
                CompletionKind::Period => "type",
                CompletionKind::Category => "class",
            };
            json!({ "label": c.label, "kind": kind, "detail": c.detail })
        })
        .collect();
    json!({ "from": Utf16::new(text).of(offset - typed), "options": options }).to_string()
}

/// The byte offset of a UTF-16 offset (clamped to the text; inside a
/// character, the character's start).
fn byte_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (byte, c) in text.char_indices() {
        units += c.len_utf16();
        if units > utf16 {
            return byte;
        }
    }
    text.len()
}

/// The file as `proviso fmt` lays it out, every comment kept; `null` when
/// it does not parse (its diagnostics say why).
#[wasm_bindgen]
pub fn format(name: &str, text: &str) -> Option<String> {
    proviso::fmt::format_source(&SourceFile::new(name, text), &Limits::default()).ok()
}

/// `proviso eval CONTRACT EVENTS [--as-of DATE] [--explain]`: `exit` is the
/// command's exit code (0 nothing to report, 1 findings, 2 invalid input);
/// `report` the JSON report and `text` the report for people when the
/// inputs are valid, else `problems` as the command prints them.
/// `events_name` names the events (its extension gives their format:
/// `.json`, `.yaml`/`.yml`, `.ndjson`; JSON otherwise); an empty `as_of`
/// means the date of the last event.
#[wasm_bindgen]
pub fn evaluate(
    contract_name: &str,
    contract: &str,
    events_name: &str,
    events: &str,
    as_of: &str,
    explain: bool,
) -> String {
    let outcome = (|| {
        let as_of = as_of_date(as_of)?;
        let contract = Contract::parse(contract_name, contract).map_err(|p| p.render())?;
        let report = evaluate_events(&contract, events_name, events, as_of)?;
        Ok::<Value, String>(json!({
            "exit": if report.has_findings() { 1 } else { 0 },
            "report": report.to_json(explain),
            "text": report.to_text(explain),
        }))
    })();
    outcome
        .unwrap_or_else(|problems| json!({ "exit": 2, "problems": problems }))
        .to_string()
}

/// `proviso render CONTRACT [EVENTS] [--as-of DATE] [--against OLD]`: the
/// page, or the problems that stop it. Empty events and an empty date
/// leave the status out; a date alone means nothing has happened yet.
#[wasm_bindgen]
pub fn render(
    contract_name: &str,
    contract: &str,
    events_name: &str,
    events: &str,
    as_of: &str,
    old_name: &str,
    old: &str,
) -> String {
    let outcome = (|| {
        let as_of = as_of_date(as_of)?;
        let contract = Contract::parse(contract_name, contract).map_err(|p| p.render())?;
        let old = if old.trim().is_empty() {
            None
        } else {
            Some(Contract::parse(old_name, old).map_err(|p| p.render())?)
        };
        let report = match (events.trim().is_empty(), as_of) {
            (true, None) => None,
            (true, Some(_)) | (false, _) => {
                Some(evaluate_events(&contract, events_name, events, as_of)?)
            }
        };
        Ok::<Value, String>(json!({ "html": contract.render(report.as_ref(), old.as_ref()) }))
    })();
    outcome
        .unwrap_or_else(|problems| json!({ "problems": problems }))
        .to_string()
}

/// `proviso lint NEW --against OLD`, the change review: for people
/// (`text`) and as JSON (`review`), without the scenario impact (the
/// playground has no scenario folders).
#[wasm_bindgen]
pub fn review(old_name: &str, old: &str, new_name: &str, new: &str) -> String {
    let outcome = (|| {
        let old = Contract::parse(old_name, old).map_err(|p| p.render())?;
        let new = Contract::parse(new_name, new).map_err(|p| p.render())?;
        let changes = new.review(&old);
        Ok::<Value, String>(json!({
            "text": proviso::diff::report::human(old.version(), new.version(), &changes, &[]),
            "review": proviso::diff::report::json(old.version(), new.version(), &changes, &[]),
        }))
    })();
    outcome
        .unwrap_or_else(|problems| json!({ "problems": problems }))
        .to_string()
}

/// The contract evaluated against the events, or the problems as the
/// command prints them. No events at all (nothing but spaces, in any
/// format) is an empty history, as `render --as-of` alone takes it.
fn evaluate_events<'c>(
    contract: &'c Contract,
    events_name: &str,
    events: &str,
    as_of: Option<jiff::civil::Date>,
) -> Result<proviso::Report<'c>, String> {
    let (events, format) = if events.trim().is_empty() {
        ("[]", EventFormat::Json)
    } else {
        (events, event_format(events_name))
    };
    contract
        .evaluate_named(events_name, events, format, as_of)
        .map_err(|p| p.render())
}

/// The format an events file's name gives, JSON when it names none.
fn event_format(name: &str) -> EventFormat {
    EventFormat::of_path(std::path::Path::new(name)).unwrap_or(EventFormat::Json)
}

/// `--as-of`, as the command reads it: empty for none.
fn as_of_date(text: &str) -> Result<Option<jiff::civil::Date>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    proviso::syntax::parse_date_text(text, proviso::ast::Span::default())
        .map(Some)
        .map_err(|d| {
            let mut problem = format!(
                "error: invalid value '{text}' for '--as-of <DATE>': {}",
                d.primary.message
            );
            if let Some(help) = d.help {
                problem.push_str(&format!("; {help}"));
            }
            problem
        })
}

/// Byte offsets of a text as UTF-16 offsets (each counted from the start:
/// a file has few diagnostics).
struct Utf16<'t> {
    text: &'t str,
}

impl<'t> Utf16<'t> {
    fn new(text: &'t str) -> Self {
        Utf16 { text }
    }

    /// The UTF-16 offset of a byte offset (clamped to the text, and back
    /// to a character boundary).
    fn of(&self, byte: usize) -> usize {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        self.text
            .get(..byte)
            .map_or(0, |before| before.encode_utf16().count())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    const FEE: &str = "contract \"Fee\" effective 2026-01-01 term through 2026-12-31\n\
        party alpha \"Alpha Ltd\"\n\
        party beta \"Beta plc\"\n\
        event payment by party { to: party, amount: money }\n\
        clause 1 \"Fee — €😀\" bteta must pay alpha EUR 100 due 2026-03-01 settled by payment\n";

    #[test]
    fn a_misspelt_party_is_marked_in_utf16_with_its_fix() {
        let out: Value = serde_json::from_str(&diagnostics("fee.proviso", FEE)).unwrap();
        let mark = &out["marks"][0];
        assert_eq!(mark["code"], "E0204");
        // Line 5 starts after 4 lines; `clause 1 "Fee — €😀" ` is 21 UTF-16
        // units (the emoji two), so `bteta` is 21 to 26 on that line.
        let line_start = FEE.lines().take(4).map(|l| l.len() + 1).sum::<usize>();
        assert_eq!(mark["from"], line_start + 21);
        assert_eq!(mark["to"], line_start + 26);
        assert_eq!(mark["fix"]["insert"], "beta");
        assert_eq!(out["check"]["schema"], "proviso.check/1");
        assert_eq!(out["check"]["files"][0]["valid"], false);
        assert_eq!(out["lint"]["files"][0]["valid"], false);
        assert!(out["rendered"].as_str().unwrap().contains("E0204"));
    }

    #[test]
    fn hover_and_completion_count_in_utf16() {
        let fixed = FEE.replace("bteta", "beta");
        // `alpha` after the emoji: its UTF-16 offset is 2 units past the
        // emoji's start, its byte offset 4.
        let line_start = fixed.lines().take(4).map(|l| l.len() + 1).sum::<usize>();
        let alpha = fixed[line_start..].find("alpha").unwrap();
        let utf16 = fixed[..line_start + alpha].encode_utf16().count();
        assert_eq!(byte_offset(&fixed, utf16), line_start + alpha);
        assert_eq!(
            hover(&fixed, utf16 + 1).as_deref(),
            Some("**party `alpha`**: Alpha Ltd\n\nUsed in clause 1.")
        );
        let typed = format!("{fixed}clause 2 \"More\"\n  beta must pay al");
        let out: Value =
            serde_json::from_str(&completions(&typed, typed.encode_utf16().count())).unwrap();
        assert_eq!(out["options"][0]["label"], "alpha");
        assert_eq!(out["from"], typed.encode_utf16().count() - 2);
        assert_eq!(byte_offset("a€b", 2), "a€".len());
        assert_eq!(byte_offset("a€b", 99), "a€b".len());
    }

    #[test]
    fn evaluation_reports_and_exit_codes() {
        let fixed = FEE.replace("bteta", "beta");
        let paid = r#"[{"type": "payment", "date": "2026-02-27", "by": "beta", "to": "alpha", "amount": "EUR 100.00"}]"#;
        let out: Value = serde_json::from_str(&evaluate(
            "fee.proviso",
            &fixed,
            "paid.json",
            paid,
            "",
            false,
        ))
        .unwrap();
        assert_eq!(out["exit"], 0);
        assert_eq!(out["report"]["obligations"][0]["status"], "discharged");
        let out: Value = serde_json::from_str(&evaluate(
            "fee.proviso",
            &fixed,
            "none.json",
            "[]",
            "2026-03-02",
            false,
        ))
        .unwrap();
        assert_eq!(out["exit"], 1);
        assert_eq!(out["report"]["obligations"][0]["status"], "overdue");
        // No events but spaces, in any format, with a date: nothing happened.
        let out: Value = serde_json::from_str(&evaluate(
            "fee.proviso",
            &fixed,
            "none.ndjson",
            " \n",
            "2026-03-02",
            false,
        ))
        .unwrap();
        assert_eq!(out["exit"], 1);
        let out: Value =
            serde_json::from_str(&evaluate("fee.proviso", FEE, "e.json", "[]", "", false)).unwrap();
        assert_eq!(out["exit"], 2);
        assert!(out["problems"].as_str().unwrap().contains("E0204"));
        let out: Value = serde_json::from_str(&evaluate(
            "fee.proviso",
            &fixed,
            "e.json",
            "[]",
            "2026-02-30",
            false,
        ))
        .unwrap();
        assert_eq!(out["exit"], 2);
    }
}

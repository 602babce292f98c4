//! Clause file text → AST, with syntax diagnostics.
//!
//! The file is parsed one top-level item (header, declaration, clause) at a
//! time. When an item does not parse, its error is reported and parsing
//! resumes at the next line that starts an item, so one run reports every
//! broken clause, not only the first.

pub mod comments;
mod errors;
mod literals;
mod lower;
mod prescan;
mod print;

use pest::Parser as _;

use crate::ast::{ContractFile, Money, Span};
use crate::diagnostics::{Code, Diagnostic};
use crate::limits::Limits;
use rust_decimal::Decimal;

pub use comments::{Comment, comments};
pub use errors::keywords;
pub use print::{format, one_line, print, without_spans};

pub use literals::{
    MONTHS, group_thousands, parse_currency as parse_currency_code, parse_date as parse_date_text,
    parse_number as parse_number_text,
};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/proviso.pest"]
pub(crate) struct ProvisoParser;

/// Whether `text` reads as a name: a lowercase letter, then lowercase
/// letters, digits and `_`, and not a word the language reserves.
pub fn is_name(text: &str) -> bool {
    use pest::Parser;
    ProvisoParser::parse(Rule::ident, text)
        .ok()
        .and_then(|mut pairs| pairs.next())
        .is_some_and(|pair| pair.as_str() == text)
}

/// A value written in a contract, read as the language reads it.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Money(Money),
    Percent(Decimal),
    Date(jiff::civil::Date),
}

/// A stretch of a clause file that is prose, not the language: a comment
/// or a quotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prose {
    /// `# ...` to the end of its line.
    Comment,
    /// `"..."` (on one line, `\"` escaping a quotation mark) or `"""..."""`.
    Quotation,
}

/// The comments and quotations of a text, in order, read from its start as
/// the grammar reads them (a `#` in a quotation starts no comment); one
/// left open runs to the end of its line (`"`) or of the text (`"""`).
pub fn prose(text: &str) -> impl Iterator<Item = (Span, Prose)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0usize;
    std::iter::from_fn(move || {
        while let Some(&byte) = bytes.get(at) {
            let rest = text.get(at..).unwrap_or_default();
            let start = at;
            if byte == b'#' {
                at = rest.find('\n').map_or(text.len(), |n| at + n);
                return Some((Span::new(start, at), Prose::Comment));
            } else if rest.starts_with("\"\"\"") {
                at = text
                    .get(at + 3..)
                    .and_then(|r| r.find("\"\"\""))
                    .map_or(text.len(), |n| at + 3 + n + 3);
                return Some((Span::new(start, at), Prose::Quotation));
            } else if byte == b'"' {
                at += 1;
                while let Some(&c) = bytes.get(at) {
                    at += 1;
                    match c {
                        b'\\' => at += 1,
                        b'"' => break,
                        b'\n' => {
                            at -= 1;
                            break;
                        }
                        _ => {}
                    }
                }
                at = at.min(text.len());
                return Some((Span::new(start, at), Prose::Quotation));
            }
            at += 1;
        }
        None
    })
}

/// The amount, percentage or date written at byte `offset` (in it or just
/// after it), and where it is written; none in a comment or a quotation.
pub fn literal_at(text: &str, offset: usize) -> Option<(Span, Literal)> {
    use pest::Parser;
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |n| n + 1);
    // Inside a quotation or a comment: text, not a value.
    let in_prose = prose(text)
        .take_while(|(span, _)| span.start < offset)
        .any(|(span, _)| offset < span.end);
    if in_prose {
        return None;
    }
    // The longest literal ends at most this far before the offset
    // (`USD 1,000,000,000,000.00 trillion` and the like).
    const REACH: usize = 64;
    let mut start = offset.saturating_sub(REACH).max(line_start);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let starts = text.get(start..)?.char_indices().map(|(at, _)| start + at);
    for at in starts.take_while(|&at| at <= offset) {
        let rest = text.get(at..)?;
        // A literal starts a token: not in the middle of a name or number.
        let previous = text.get(..at)?.chars().next_back();
        if previous.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | ',' | '.' | '-')) {
            continue;
        }
        for rule in [Rule::money, Rule::percent, Rule::date] {
            let Some(pair) = ProvisoParser::parse(rule, rest)
                .ok()
                .and_then(|mut p| p.next())
            else {
                continue;
            };
            let span = Span::new(at, at + pair.as_str().len());
            if span.end < offset {
                continue;
            }
            let value = literal_value(pair, span)?;
            return Some((span, value));
        }
    }
    None
}

fn literal_value(pair: pest::iterators::Pair<'_, Rule>, span: Span) -> Option<Literal> {
    let whole = pair.as_str();
    match pair.as_rule() {
        Rule::money => {
            let mut kids = pair.into_inner();
            let currency = literals::parse_currency(kids.next()?.as_str(), span).ok()?;
            let mut amount = literals::parse_number(kids.next()?.as_str(), span).ok()?;
            if let Some(scale) = kids.next() {
                amount = literals::scaled(amount, scale.as_str(), whole, span).ok()?;
            }
            Some(Literal::Money(Money { currency, amount }))
        }
        Rule::percent => {
            let number = pair.into_inner().next()?;
            literals::parse_number(number.as_str(), span)
                .ok()
                .map(Literal::Percent)
        }
        Rule::date => literals::parse_date(whole, span).ok().map(Literal::Date),
        _ => None,
    }
}

/// The result of reading a file: the tree of everything that parsed, and
/// the problems found on the way.
#[derive(Debug, Default)]
pub struct Parsed {
    pub file: ContractFile,
    pub diagnostics: Vec<Diagnostic>,
    /// Names of declarations and numbers of clauses that failed to parse.
    /// The checker treats references to them as known, so that one syntax
    /// error does not also show up as "unknown name" wherever it is used.
    pub unparsed: Unparsed,
}

#[derive(Debug, Default)]
pub struct Unparsed {
    pub names: std::collections::BTreeSet<String>,
    pub clauses: std::collections::BTreeSet<String>,
}

impl Unparsed {
    /// Records what the item starting at `start` declared, from its first words.
    fn record(&mut self, text: &str, start: usize) {
        let Some(rest) = text.get(start..) else {
            return;
        };
        let mut words = rest.split(|c: char| c.is_whitespace() || c == ':' || c == '{' || c == '"');
        let keyword = words.next().unwrap_or("");
        let Some(name) = words.find(|w| !w.is_empty()) else {
            return;
        };
        match keyword {
            "clause" => {
                self.clauses.insert(name.to_string());
            }
            "party" | "category" | "period" | "event" | "milestone" | "define" | "account" => {
                self.names.insert(name.to_string());
            }
            _ => {}
        }
    }
}

/// Words that start a top-level item; parsing resumes at a line starting
/// with one of them.
const ITEM_KEYWORDS: [&str; 9] = [
    "clause",
    "party",
    "category",
    "period",
    "event",
    "milestone",
    "define",
    "account",
    "contract",
];

pub fn parse(text: &str, limits: &Limits) -> Parsed {
    let mut parsed = Parsed {
        diagnostics: prescan::prescan(text, limits.max_nesting),
        ..Parsed::default()
    };
    if !parsed.diagnostics.is_empty() {
        // An open quotation or runaway nesting makes everything after it
        // meaningless to the grammar; report it alone.
        return parsed;
    }
    let mut offset = 0usize;
    // Worked out on the first syntax error only.
    let mut declared: Option<errors::Declared> = None;
    while let Some(rest) = text.get(offset..) {
        // A budget of parser steps for this item: ordinary clauses take about
        // four per byte, so this never binds on a real file, but it stops
        // pathological backtracking (nested conditions inside `total ...
        // where`) in seconds instead of hours.
        let budget = rest.len().saturating_mul(40).saturating_add(4_000_000);
        let attempt = {
            let _limit = CallLimit::enter(budget);
            ProvisoParser::parse(Rule::single_item, rest)
        };
        match attempt {
            Ok(mut pairs) => {
                let Some(single) = pairs.next() else { break };
                let Some(item) = single.into_inner().next() else {
                    break;
                };
                if item.as_rule() == Rule::EOI {
                    break;
                }
                let end = offset + item.as_span().end();
                // An account whose opening could not be read is left out
                // (the problem is reported): its uses are not reported again.
                let account_at = (item.as_rule() == Rule::account)
                    .then(|| (offset + item.as_span().start(), parsed.file.accounts.len()));
                let mut lowerer = lower::Lowerer::new(offset, limits.max_nesting);
                let outcome = lowerer.lower_item(item, &mut parsed.file);
                if let Some((start, before)) = account_at
                    && parsed.file.accounts.len() == before
                {
                    parsed.unparsed.record(text, start);
                }
                parsed.diagnostics.append(&mut lowerer.diagnostics);
                if let Err(lower::Malformed(span)) = outcome {
                    parsed.diagnostics.push(internal_error(span));
                }
                if end <= offset {
                    break;
                }
                if parsed.diagnostics.len() >= limits.max_diagnostics {
                    parsed.diagnostics.truncate(limits.max_diagnostics);
                    parsed.diagnostics.push(too_many(limits, end));
                    break;
                }
                offset = end;
            }
            Err(error) => {
                if parsed.diagnostics.len() >= limits.max_diagnostics {
                    parsed.diagnostics.push(too_many(limits, offset));
                    break;
                }
                parsed.diagnostics.push(errors::from_pest(
                    &error,
                    text,
                    offset,
                    declared.get_or_insert_with(|| errors::Declared::scan(text)),
                ));
                let error_at = offset + pest_position(&error);
                let current = item_start(text, offset);
                parsed.unparsed.record(text, current);
                match next_item_start(text, current, error_at) {
                    Some(next) => offset = next,
                    None => break,
                }
            }
        }
    }
    // Held until the file is checked: no room for clauses still to come.
    parsed.file.clauses.shrink_to_fit();
    parsed
}

/// Pest's limit on parser steps is one setting for the whole process, read
/// when a parse starts. Files are parsed on several threads at once, so
/// the setting is shared: while any item is being parsed it holds the
/// largest budget of the items begun since none was (never less than an
/// item's own, never none at all), and it is cleared when the last one
/// ends, so that another pest grammar in the same process, between two
/// files, runs without it.
struct CallLimit;

/// Items being parsed, and the largest budget among those begun since
/// none was.
static IN_FLIGHT: std::sync::Mutex<(usize, usize)> = std::sync::Mutex::new((0, 0));

impl CallLimit {
    fn enter(budget: usize) -> CallLimit {
        let mut state = IN_FLIGHT
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (active, largest) = &mut *state;
        *active += 1;
        *largest = (*largest).max(budget);
        pest::set_call_limit(std::num::NonZeroUsize::new(*largest));
        CallLimit
    }
}

impl Drop for CallLimit {
    fn drop(&mut self) {
        let mut state = IN_FLIGHT
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (active, largest) = &mut *state;
        *active = active.saturating_sub(1);
        if *active == 0 {
            *largest = 0;
            pest::set_call_limit(None);
        }
    }
}

/// The note that ends reading a file with too many problems.
pub fn too_many(limits: &Limits, at: usize) -> Diagnostic {
    Diagnostic::error(
        Code::TooManyProblems,
        format!(
            "more than {} problems; proviso stopped reading here",
            limits.max_diagnostics
        ),
        Span::new(at, at),
        "the rest of the file was not checked",
    )
    .with_help("fix the problems above and run the check again")
}

fn internal_error(span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::Syntax,
        "proviso could not read this part of the file",
        span,
        "the parser and the reader of its result disagree here",
    )
    .with_help("this is a bug in proviso; please report it with this file")
}

fn pest_position(error: &pest::error::Error<Rule>) -> usize {
    match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    }
}

/// Where the item that begins at or after `offset` starts: past blank
/// lines, indentation and comments.
fn item_start(text: &str, offset: usize) -> usize {
    let mut i = offset;
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(i) {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' => {
                i = text
                    .get(i..)
                    .and_then(|r| r.find('\n'))
                    .map_or(text.len(), |p| i + p);
            }
            _ => break,
        }
    }
    i
}

/// Where to resume after an error at `error_at` in the item starting at
/// `current`: the first line at or after the error's line that begins
/// (after indentation) with a top-level keyword and starts a later item.
fn next_item_start(text: &str, current: usize, error_at: usize) -> Option<usize> {
    let mut line_start = text
        .get(..error_at.min(text.len()))?
        .rfind('\n')
        .map_or(0, |p| p + 1);
    loop {
        let line_end = text
            .get(line_start..)?
            .find('\n')
            .map_or(text.len(), |p| line_start + p);
        let line = text.get(line_start..line_end)?;
        let trimmed = line.trim_start();
        let starts_item = ITEM_KEYWORDS.iter().any(|kw| {
            trimmed.strip_prefix(kw).is_some_and(|after| {
                after.is_empty() || after.starts_with(|c: char| c.is_whitespace())
            })
        });
        let start = line_start + (line.len() - trimmed.len());
        if starts_item && start > current {
            return Some(start);
        }
        if line_end >= text.len() {
            return None;
        }
        line_start = line_end + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_may_start_in_may() {
        let parsed = parse("period fy: year starting may\n", &Limits::default());
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        assert_eq!(parsed.file.periods[0].start_month.node, 5);
        let parsed = parse("period fy: year starting July\n", &Limits::default());
        assert_eq!(parsed.diagnostics[0].code, Code::UnknownMonth);
        assert_eq!(
            parsed.diagnostics[0].help.as_deref(),
            Some("did you mean `july`?")
        );
    }

    #[test]
    fn a_tab_may_part_a_number_from_its_unit_as_a_space_does() {
        let header = "contract \"T\" effective 2026-01-01 term for 2\tyears\n";
        let spaced = parse(&header.replace('\t', " "), &Limits::default());
        let tabbed = parse(header, &Limits::default());
        assert!(tabbed.diagnostics.is_empty(), "{:?}", tabbed.diagnostics);
        assert_eq!(without_spans(&tabbed.file), without_spans(&spaced.file));
        // A line break is not a space here: `2` and `years` are one word.
        let broken = parse(&header.replace('\t', "\n"), &Limits::default());
        assert!(!broken.diagnostics.is_empty());
    }

    #[test]
    fn resumes_at_the_next_item() {
        let text = "party a\nclause 1 x y z\n  more\nclause 2 \"ok\"\n";
        let clause_2 = text.find("clause 2").unwrap_or(0);
        // An error inside clause 1 resumes at clause 2.
        assert_eq!(next_item_start(text, 8, 17), Some(clause_2));
        // An error at the very start of the next item resumes there.
        assert_eq!(next_item_start(text, 8, clause_2), Some(clause_2));
        // Never at the item that failed.
        assert_eq!(next_item_start(text, clause_2, clause_2 + 3), None);
        assert_eq!(item_start("  # c\n  party", 0), 8);
    }

    /// Pest's steps per byte of a file: the smallest call limit
    /// (`pest::set_call_limit`, which counts every rule and combinator
    /// entered, backtracking included) with which the whole file parses,
    /// found by bisection, over its length. A measurement, not a check:
    ///
    /// ```text
    /// PROVISO_STEPS_FILE=/tmp/c10k.proviso cargo test --release --lib steps_per_byte -- --ignored --nocapture
    /// ```
    ///
    /// Without the variable, the flagship contract is measured.
    #[test]
    #[ignore = "a measurement; run it by name with --ignored --nocapture"]
    fn steps_per_byte() {
        use std::num::NonZeroUsize;
        let text = match std::env::var("PROVISO_STEPS_FILE") {
            Ok(path) => std::fs::read_to_string(path).expect("readable file"),
            Err(_) => include_str!("../../contracts/microsoft-openai-2025.proviso").to_string(),
        };
        let parses = |limit: usize| {
            pest::set_call_limit(NonZeroUsize::new(limit));
            let ok = ProvisoParser::parse(Rule::file, &text).is_ok();
            pest::set_call_limit(None);
            ok
        };
        assert!(parses(usize::MAX), "the file does not parse");
        let (mut fails, mut succeeds) = (0usize, text.len().max(1));
        while !parses(succeeds) {
            fails = succeeds;
            succeeds *= 2;
        }
        while succeeds - fails > 1 {
            let mid = fails + (succeeds - fails) / 2;
            if parses(mid) {
                succeeds = mid;
            } else {
                fails = mid;
            }
        }
        println!(
            "{} bytes, {succeeds} steps, {:.2} steps per byte",
            text.len(),
            succeeds as f64 / text.len() as f64
        );
    }
}

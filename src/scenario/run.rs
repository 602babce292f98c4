//! Applying a scenario to a contract, and checking what it expects.
//!
//! `interpret` is the one way to run a scenario against a version of a
//! contract; `proviso test` and change review (`lint --against`) both use
//! it, so that "what this scenario means under this contract" has a single
//! answer.

use std::collections::BTreeSet;
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value as Json;

use super::{Events, Expectation, Item, Scenario, Section};
use crate::contract::{Contract, Problems, push_all};
use crate::diagnostics::{ColorChoice, Diagnostic, render_human};
use crate::eval::{Decoder, input};
use crate::limits::Limits;
use crate::source::SourceFile;

/// What a scenario means under one contract.
#[derive(Debug)]
pub struct Interpretation {
    /// The report a person reads (no colours, no absolute paths, no clock),
    /// or the diagnostics when the input was refused: what snapshots keep.
    pub text: String,
    /// The JSON report, when there is one.
    pub report: Option<Json>,
    /// The diagnostic codes, when the input was refused.
    pub refused: Vec<String>,
    /// The contract's clauses: number, heading, whether it has rules, and
    /// whether this scenario exercised it.
    pub clauses: Vec<ClauseUse>,
    /// Whether the contract or the event file could not be read at all (a
    /// missing file), as opposed to being read and refused.
    pub unreadable: bool,
    /// The messages of the diagnostics, when the input was refused.
    pub messages: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClauseUse {
    pub number: String,
    pub heading: String,
    pub has_rules: bool,
    pub exercised: bool,
}

fn refused(groups: &[(SourceFile, Vec<Diagnostic>)]) -> Interpretation {
    let mut text = String::from("The input is refused:\n\n");
    let mut codes = Vec::new();
    let mut messages = Vec::new();
    for (file, diagnostics) in groups {
        text.push_str(&render_human(file, diagnostics, ColorChoice::Never));
        codes.extend(diagnostics.iter().map(|d| d.code.as_str().to_string()));
        messages.extend(diagnostics.iter().map(|d| d.message.clone()));
    }
    Interpretation {
        text,
        report: None,
        refused: codes,
        clauses: Vec::new(),
        unreadable: false,
        messages,
    }
}

/// Names a file's diagnostics by the path the scenario writes, not the
/// path proviso opened, so that interpretations do not depend on where
/// proviso runs.
fn named_as_written(
    groups: Vec<(SourceFile, Vec<Diagnostic>)>,
    opened: &Path,
    written: &str,
) -> Vec<(SourceFile, Vec<Diagnostic>)> {
    let opened = opened.display().to_string();
    groups
        .into_iter()
        .map(|(file, diagnostics)| {
            let diagnostics = diagnostics
                .into_iter()
                .map(|mut d| {
                    d.message = d.message.replace(&opened, written);
                    d
                })
                .collect();
            let file = if file.name() == opened {
                file.renamed(written)
            } else {
                file
            };
            (file, diagnostics)
        })
        .collect()
}

/// Runs a scenario against a contract file (its own, or another version
/// of it). Files are named in the interpretation as the scenario writes
/// them, so that it does not depend on where proviso runs.
pub fn interpret(scenario: &Scenario, contract: &Path) -> Interpretation {
    let limits = Limits::default();
    let source = match crate::load::read_regular_file(contract, &limits) {
        Ok(source) => source.renamed(scenario.contract_written.clone()),
        Err(error) => {
            let groups = named_as_written(
                vec![(error.file, vec![error.diagnostic])],
                contract,
                &scenario.contract_written,
            );
            let mut interpretation = refused(&groups);
            interpretation.unreadable = true;
            return interpretation;
        }
    };
    let contract = match Contract::from_source(source) {
        Ok(contract) => contract,
        Err(problems) => return refused(&problems.files),
    };
    let report = match &scenario.events {
        Events::None => contract.run(Some(scenario.as_of), "the scenario".to_string(), |_, _| {
            Ok(())
        }),
        Events::Inline { json, map } => {
            contract.run(
                Some(scenario.as_of),
                "the scenario".to_string(),
                |_, evaluation| {
                    // Written in the scenario's YAML, converted to JSON when read.
                    let (events, mut diagnostics) =
                        Decoder::for_yaml(contract.checked()).json(json);
                    for d in &mut diagnostics {
                        map.move_diagnostic(d);
                    }
                    // Named by the scenario's file name: it sits beside its snapshot.
                    let name = scenario
                        .path
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                    push_all((events, diagnostics), evaluation, || {
                        scenario.source.renamed(name)
                    })
                },
            )
        }
        Events::File { path, written } => contract
            .run(
                Some(scenario.as_of),
                written.clone(),
                |decoder, evaluation| {
                    // A pipe or a device could be read for ever, or never.
                    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
                        let error = crate::load::not_regular(path);
                        return Err(input::Stopped::Input(vec![(
                            error.file,
                            vec![error.diagnostic],
                        )]));
                    }
                    input::read_into(path, decoder, evaluation, &limits)
                },
            )
            .map_err(|problems| Problems {
                files: named_as_written(problems.files, path, written),
                ..problems
            }),
    };
    let report = match report {
        Ok(report) => report,
        Err(problems) => {
            let mut interpretation = refused(&problems.files);
            interpretation.unreadable = problems
                .diagnostics()
                .any(|d| d.code == crate::diagnostics::Code::UnreadableFile);
            return interpretation;
        }
    };
    let exercised = &report.outcome().exercised;
    let clauses = contract
        .checked()
        .clauses()
        .map(|(i, c)| ClauseUse {
            number: c.number.node.to_string(),
            heading: c
                .heading
                .as_ref()
                .map_or_else(String::new, |h| h.node.clone()),
            has_rules: !c.statements.is_empty(),
            exercised: exercised.contains(&i),
        })
        .collect();
    let (text, report) = report.for_snapshot();
    Interpretation {
        text,
        report,
        refused: Vec::new(),
        clauses,
        unreadable: false,
        messages: Vec::new(),
    }
}

/// Checks a scenario's expectations against its interpretation; each
/// unmet expectation is one message, in the contract's terms.
pub fn check(scenario: &Scenario, interpretation: &Interpretation) -> Vec<String> {
    let mut failures = Vec::new();
    if interpretation.unreadable && scenario.error.is_none() {
        failures.push(format!(
            "the scenario's files cannot be read: {}",
            interpretation.messages.join("; ")
        ));
        return failures;
    }
    match (&scenario.error, &interpretation.report) {
        (Some((code, _)), Some(_)) => failures.push(format!(
            "expected the input to be refused with {code}, but the contract and the events are valid: nothing was refused"
        )),
        (Some((code, _)), None) => {
            if !interpretation.refused.iter().any(|c| c == code) {
                failures.push(format!(
                    "expected the input to be refused with {code}, but it was refused with {}",
                    interpretation.refused.join(", ")
                ));
            }
        }
        (None, None) => failures.push(format!(
            "the input is refused ({}), so there are no findings to compare; the diagnostics are in the interpretation (add `error: CODE` to the scenario if refusing the input is right)",
            interpretation.refused.join(", ")
        )),
        (None, Some(report)) => {
            for expectation in &scenario.expectations {
                check_section(expectation, report, &mut failures);
            }
        }
    }
    failures
}

fn check_section(expectation: &Expectation, report: &Json, failures: &mut Vec<String>) {
    let section = expectation.section;
    let stakes: Vec<Json>;
    let movements: Vec<Json>;
    let reported: &[Json] = if section == Section::Movements {
        // Every account's movements, each with its account's name and
        // currency.
        movements = report["accounts"]
            .as_array()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .flat_map(|account| {
                account["movements"]
                    .as_array()
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .map(|movement| {
                        let mut movement = movement.clone();
                        if let Some(fields) = movement.as_object_mut() {
                            fields.insert("account".to_string(), account["name"].clone());
                            fields.insert("currency".to_string(), account["currency"].clone());
                        }
                        movement
                    })
            })
            .collect();
        &movements
    } else if section == Section::Stakes {
        // Every table's stakes, each with the entity it is a stake in.
        stakes = report["cap_tables"]
            .as_array()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .flat_map(|table| {
                table["stakes"]
                    .as_array()
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .map(|stake| {
                        let mut stake = stake.clone();
                        if let Some(fields) = stake.as_object_mut() {
                            fields.insert("entity".to_string(), table["entity"].clone());
                        }
                        stake
                    })
            })
            .collect();
        &stakes
    } else {
        report
            .get(section.key())
            .and_then(Json::as_array)
            .map_or(&[], Vec::as_slice)
    };
    let plural = section.key().replace('_', " ");
    if section == Section::Milestones {
        for item in &expectation.items {
            check_milestone(item, reported, failures);
        }
        return;
    }
    if expectation.items.is_empty() {
        if !reported.is_empty() {
            failures.push(format!(
                "expected no {plural}, but {} {} reported: {}",
                reported.len(),
                if reported.len() == 1 { "was" } else { "were" },
                reported
                    .iter()
                    .take(5)
                    .map(|r| describe_reported(section, r))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        return;
    }
    // Each expected item takes a reported finding of its own: the largest
    // such pairing (augmenting paths), so that a general item never takes
    // the finding a more specific one needs.
    let candidates: Vec<Vec<usize>> = expectation
        .items
        .iter()
        .map(|item| {
            reported
                .iter()
                .enumerate()
                .filter(|(_, r)| matches(item, r))
                .map(|(i, _)| i)
                .collect()
        })
        .collect();
    let owner = maximum_matching(&candidates, reported.len());
    let used: Vec<bool> = owner.iter().map(Option::is_some).collect();
    let mut all_found = true;
    for (index, item) in expectation.items.iter().enumerate() {
        if owner.contains(&Some(index)) {
            continue;
        }
        all_found = false;
        let taken = candidates.get(index).is_some_and(|c| !c.is_empty());
        failures.push(if taken {
            format!(
                "expected {} {{{}}}: every finding that matches it is already the match of another expected {}, so fewer were reported than the scenario expects",
                a(section.singular()),
                describe_item(item),
                section.singular()
            )
        } else {
            missing(section, item, reported)
        });
    }
    // Extra findings are worth a message of their own only once every
    // expected one was found: otherwise they are the "nearest" above.
    if expectation.exact && all_found {
        let extra: Vec<String> = reported
            .iter()
            .zip(&used)
            .filter(|(_, used)| !**used)
            .map(|(r, _)| describe_reported(section, r))
            .collect();
        if !extra.is_empty() {
            failures.push(format!(
                "expected exactly the {} {plural} listed, but {} more {} reported: {}",
                expectation.items.len(),
                extra.len(),
                if extra.len() == 1 { "was" } else { "were" },
                extra.into_iter().take(5).collect::<Vec<_>>().join("; ")
            ));
        }
    }
}

/// For each reported finding, the expected item it is paired with, in a
/// pairing of as many items as possible (Kuhn's augmenting paths; the lists
/// are short).
fn maximum_matching(candidates: &[Vec<usize>], reported: usize) -> Vec<Option<usize>> {
    fn augment(
        item: usize,
        candidates: &[Vec<usize>],
        owner: &mut [Option<usize>],
        seen: &mut [bool],
    ) -> bool {
        for &finding in candidates.get(item).map_or(&[][..], Vec::as_slice) {
            if seen.get(finding).copied().unwrap_or(true) {
                continue;
            }
            if let Some(s) = seen.get_mut(finding) {
                *s = true;
            }
            let free = match owner.get(finding).copied().flatten() {
                None => true,
                Some(other) => augment(other, candidates, owner, seen),
            };
            if free {
                if let Some(o) = owner.get_mut(finding) {
                    *o = Some(item);
                }
                return true;
            }
        }
        false
    }
    let mut owner = vec![None; reported];
    // Augmenting paths recurse as deep as there are items; a list longer
    // than a person writes is paired greedily instead, most specific first.
    if candidates.len() > 256 {
        let mut order: Vec<usize> = (0..candidates.len()).collect();
        order.sort_by_key(|&i| candidates.get(i).map_or(0, Vec::len));
        for item in order {
            let free = candidates.get(item).and_then(|c| {
                c.iter()
                    .find(|&&f| owner.get(f).is_some_and(Option::is_none))
            });
            if let Some(&finding) = free
                && let Some(o) = owner.get_mut(finding)
            {
                *o = Some(item);
            }
        }
        return owner;
    }
    for item in 0..candidates.len() {
        let mut seen = vec![false; reported];
        augment(item, candidates, &mut owner, &mut seen);
    }
    owner
}

fn check_milestone(item: &Item, reported: &[Json], failures: &mut Vec<String>) {
    let field = |key: &str| {
        item.fields
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    };
    let (name, expected) = (field("name"), field("date"));
    let Some(milestone) = reported.iter().find(|m| m["name"] == name) else {
        failures.push(format!(
            "expected milestone `{name}`, but the contract declares no such milestone"
        ));
        return;
    };
    let actual = milestone["date"].as_str().unwrap_or("not reached");
    if actual != expected {
        failures.push(match (expected, actual) {
            ("not reached", _) => format!("expected milestone `{name}` not to be reached, but it was reached on {actual}"),
            (_, "not reached") => format!("expected milestone `{name}` to be reached on {expected}, but it was not reached"),
            _ => format!("expected milestone `{name}` to be reached on {expected}, but it was reached on {actual}"),
        });
    }
}

/// The message for an expected finding that nothing reported matches,
/// naming the nearest reported one and how it differs.
fn missing(section: Section, item: &Item, reported: &[Json]) -> String {
    let wanted = describe_item(item);
    let nearest = reported
        .iter()
        .map(|r| {
            let agree = item
                .fields
                .iter()
                .filter(|(k, v)| field_matches(k, v, r))
                .count();
            (agree, r)
        })
        .filter(|(agree, _)| *agree > 0)
        .max_by_key(|(agree, _)| *agree);
    match nearest {
        Some((_, r)) => {
            let differences: Vec<String> = item
                .fields
                .iter()
                .filter(|(k, v)| !field_matches(k, v, r))
                .map(|(k, v)| format!("{k} is {} (expected {v})", reported_value(k, r)))
                .collect();
            format!(
                "expected {} {{{wanted}}}; none was reported. Nearest: {} — {}",
                a(section.singular()),
                describe_reported(section, r),
                differences.join(", ")
            )
        }
        None => format!(
            "expected {} {{{wanted}}}; none was reported{}",
            a(section.singular()),
            if reported.is_empty() {
                format!(" (no {} at all)", section.key())
            } else {
                String::new()
            }
        ),
    }
}

fn a(word: &str) -> String {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {word}")
    } else {
        format!("a {word}")
    }
}

fn describe_item(item: &Item) -> String {
    item.fields
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A reported finding in a few words: clause, and what identifies it.
fn describe_reported(section: Section, r: &Json) -> String {
    let keys: &[&str] = match section {
        Section::Obligations => &["clause", "period", "amount", "due", "status"],
        Section::Acts => &["clause", "raised_by", "due", "status"],
        Section::Violations => &["kind", "clause", "event"],
        Section::Permissions => &["clause", "event", "prohibition_clause"],
        Section::Rights => &["clause", "party", "action", "from"],
        Section::Entitlements => &["clause", "event", "covered"],
        Section::Commitments => &["clause", "fulfilled", "remaining", "status"],
        Section::Milestones => &["name", "date"],
        Section::CapTables => &["entity", "complete", "total_percent"],
        Section::Stakes => &["entity", "holder", "percent"],
        Section::Accounts => &["name", "balance"],
        Section::Movements => &["account", "date", "direction", "amount", "balance"],
        Section::Assets => &["clause", "made_by", "share", "owner"],
    };
    keys.iter()
        .map(|k| format!("{k}: {}", reported_value(k, r)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The fields that are amounts: compared as exact decimals (and in their
/// currency, when the scenario names one).
macro_rules! money_keys {
    () => {
        "amount"
            | "paid"
            | "fulfilled"
            | "remaining"
            | "target"
            | "valuation"
            | "implied_entity_value"
            | "opening"
            | "balance"
    };
}

/// A reported field in the words a scenario would use for it.
fn reported_value(key: &str, r: &Json) -> String {
    let value = &r[key];
    match key {
        money_keys!() if value.is_null() => "none".to_string(),
        money_keys!() => {
            let amount = value.as_str().unwrap_or("?");
            match r["currency"].as_str() {
                Some(currency) => format!(
                    "{currency} {}",
                    Decimal::from_str(amount).map_or_else(
                        |_| amount.to_string(),
                        |d| crate::eval::report::decimal_text(d, 2)
                    )
                ),
                None => amount.to_string(),
            }
        }
        "period" => value["label"].as_str().unwrap_or("none").to_string(),
        "late_interest" => match (value["amount"].as_str(), r["currency"].as_str()) {
            (Some(amount), Some(currency)) => format!(
                "{currency} {}",
                Decimal::from_str(amount).map_or_else(
                    |_| amount.to_string(),
                    |d| crate::eval::report::decimal_text(d, 2)
                )
            ),
            (Some(amount), None) => amount.to_string(),
            (None, _) => "none".to_string(),
        },
        // How many days suspensions moved the date, in all.
        "due_moved" => value
            .as_array()
            .map_or(0, |moved| {
                moved.iter().filter_map(|m| m["days"].as_i64()).sum::<i64>()
            })
            .to_string(),
        "event" | "raised_by" | "done_by" | "made_by" | "conflicting_clause" if value.is_null() => {
            "none".to_string()
        }
        "event" | "raised_by" | "done_by" | "made_by" => match value["id"].as_str() {
            Some(id) => id.to_string(),
            None => format!("#{}", value["index"]),
        },
        _ => match value {
            Json::String(s) => s.clone(),
            Json::Null => "none".to_string(),
            other => other.to_string(),
        },
    }
}

fn matches(item: &Item, r: &Json) -> bool {
    item.fields.iter().all(|(k, v)| field_matches(k, v, r))
}

/// Whether a reported finding's field has the value a scenario wrote:
/// amounts compare as exact decimals in their currency, periods by label,
/// events by id (or `#N`, their position in the event list).
fn field_matches(key: &str, expected: &str, r: &Json) -> bool {
    let value = &r[key];
    match key {
        // An account not open yet has no balance.
        money_keys!() if value.is_null() => expected == "none",
        money_keys!() => {
            let Some((currency, amount)) = parse_amount(expected) else {
                return false;
            };
            let same_amount = value
                .as_str()
                .and_then(|v| Decimal::from_str(v).ok())
                .is_some_and(|v| v == amount);
            let same_currency = currency.is_none_or(|c| r["currency"].as_str() == Some(c.as_str()));
            same_amount && same_currency
        }
        "period" => {
            value["label"].as_str() == Some(expected) || (value.is_null() && expected == "none")
        }
        // The interest's amount, in the obligation's currency.
        "late_interest" => {
            if value.is_null() {
                return expected == "none";
            }
            let Some((currency, amount)) = parse_amount(expected) else {
                return false;
            };
            let same_amount = value["amount"]
                .as_str()
                .and_then(|v| Decimal::from_str(v).ok())
                .is_some_and(|v| v == amount);
            same_amount && currency.is_none_or(|c| r["currency"].as_str() == Some(c.as_str()))
        }
        "event" | "raised_by" | "done_by" | "made_by" => {
            value["id"].as_str() == Some(expected)
                || expected
                    .strip_prefix('#')
                    .is_some_and(|n| n.parse::<u64>().ok() == value["index"].as_u64())
                || (value.is_null() && expected == "none")
        }
        "percent" | "total_percent" | "share" => {
            let reported = value.as_str().and_then(|v| Decimal::from_str(v).ok());
            let wanted = Decimal::from_str(expected.trim().trim_end_matches('%').trim()).ok();
            reported.is_some() && reported == wanted
        }
        _ => reported_value(key, r) == expected,
    }
}

/// `USD 2,000,000.00` → (USD, 2000000.00); `12` → (none, 12).
fn parse_amount(text: &str) -> Option<(Option<String>, Decimal)> {
    let text = text.trim();
    let (currency, number) = match text.split_once(char::is_whitespace) {
        Some((code, rest)) if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) => {
            (Some(code.to_string()), rest.trim())
        }
        _ => (None, text),
    };
    let digits: String = number.chars().filter(|c| *c != ',' && *c != '_').collect();
    Decimal::from_str_exact(&digits).ok().map(|d| (currency, d))
}

/// The clauses with rules that no scenario in the set exercised.
pub fn unexercised(runs: &[&Interpretation]) -> Vec<ClauseUse> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut all: Vec<ClauseUse> = Vec::new();
    for run in runs {
        for clause in &run.clauses {
            if clause.exercised {
                seen.insert(clause.number.clone());
            }
            if !all.iter().any(|c| c.number == clause.number) {
                all.push(clause.clone());
            }
        }
    }
    all.into_iter()
        .filter(|c| c.has_rules && !seen.contains(&c.number))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_general_expectation_does_not_take_the_finding_a_specific_one_needs() {
        // Reported: Q1 discharged (0), Q2 overdue (1). Expected: any clause-1
        // obligation (matches both), and a discharged one (matches only 0).
        let candidates = vec![vec![0, 1], vec![0]];
        let owner = maximum_matching(&candidates, 2);
        assert_eq!(owner, [Some(1), Some(0)]);
        // Two expected, one reported: one stays unmatched.
        let owner = maximum_matching(&[vec![0], vec![0]], 1);
        assert_eq!(owner, [Some(0)]);
    }

    #[test]
    fn amounts_are_read_as_exact_decimals_with_their_currency() {
        assert_eq!(
            parse_amount("USD 2,000,000.00"),
            Some((Some("USD".to_string()), Decimal::new(200_000_000, 2)))
        );
        assert_eq!(parse_amount("12"), Some((None, Decimal::new(12, 0))));
        assert_eq!(parse_amount("USD two"), None);
        let r = serde_json::json!({"amount": "2000000", "currency": "USD"});
        assert!(field_matches("amount", "USD 2,000,000.00", &r));
        assert!(!field_matches("amount", "EUR 2,000,000.00", &r));
        assert!(!field_matches("amount", "USD 2,000,000.01", &r));
    }
}

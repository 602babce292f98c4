//! The interpretation impact of a change: the scenarios written for the new
//! version, run on both versions, and the findings that differ.
//!
//! Findings are compared, not report text: each finding of the old and the
//! new reading is known by what it is about (an obligation by its clause,
//! parties and period or triggering event; a violation or an entitlement by
//! its clause and event; a commitment by its clause and party; a milestone
//! by name; a cap table by entity), and the review lists, per scenario, the
//! findings added, removed, and changed field by field. Headings and
//! explanations are not compared: a renamed clause is no change of meaning.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use super::ChangeKind;
use crate::limits::Limits;
use crate::scenario::{self, run};

/// What one scenario reads differently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Impact {
    pub name: String,
    pub file: String,
    pub outcome: Outcome,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Both versions read the scenario; these findings differ.
    Findings(Vec<FindingChange>),
    /// The scenario cannot run under the old version (it uses something the
    /// old version does not declare, say): why, in one line.
    OldRefuses(String),
    /// The scenario cannot run under the new version: why, in one line.
    NewRefuses(String),
}

/// One finding added, removed or changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingChange {
    pub kind: ChangeKind,
    /// The finding in words: "violation of clause 4 by serve s-2 (2026-08-02)".
    pub finding: String,
    /// For a changed finding, each field that differs: "status: overdue →
    /// discharged"; for one added or removed, its outcome in a few words.
    pub fields: Vec<String>,
}

impl FindingChange {
    /// The change on one line: `+ finding: ...`, `- ...`, `~ ...`.
    pub fn line(&self) -> String {
        let mark = match self.kind {
            ChangeKind::Added => "+",
            ChangeKind::Removed => "-",
            ChangeKind::Changed => "~",
        };
        let mut line = format!("{mark} {}", self.finding);
        if !self.fields.is_empty() {
            let _ = write!(line, ": {}", self.fields.join("; "));
        }
        line
    }
}

/// The scenarios under the new version's folder that test it, each run on
/// the old and the new version; those whose findings differ. Scenario files
/// that cannot be read are skipped (`proviso test` reports them).
pub fn impact(old: &Path, new: &Path) -> Vec<Impact> {
    let folder = new
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let folder = if folder.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        folder
    };
    let target = new.canonicalize().ok();
    let limits = Limits::default();
    let files = scenario::discover(&[folder]);
    // Each scenario on its own core; in the order of the files.
    let impacts = crate::parallel::map(&files, |file| {
        let scenario = scenario::load(file, &limits).ok()?;
        if target.is_none() || scenario.contract.canonicalize().ok() != target {
            return None;
        }
        let before = run::interpret(&scenario, old);
        let after = run::interpret(&scenario, new);
        let outcome = match (&before.report, &after.report) {
            (Some(a), Some(b)) => {
                let changes = compare_reports(a, b);
                if changes.is_empty() {
                    return None;
                }
                Outcome::Findings(changes)
            }
            (None, Some(_)) => Outcome::OldRefuses(why_refused(&before)),
            (Some(_), None) => Outcome::NewRefuses(why_refused(&after)),
            (None, None) => return None,
        };
        Some(Impact {
            name: scenario.name.clone(),
            file: file.display().to_string(),
            outcome,
        })
    });
    impacts.into_iter().flatten().collect()
}

/// The first diagnostic of a refused reading, on one line.
fn why_refused(reading: &run::Interpretation) -> String {
    match (reading.refused.first(), reading.messages.first()) {
        (Some(code), Some(message)) => {
            let more = reading.refused.len().saturating_sub(1);
            if more > 0 {
                format!("{code} {message} (and {more} more)")
            } else {
                format!("{code} {message}")
            }
        }
        _ => "the input is refused".to_string(),
    }
}

/// The sections of a report that hold findings, and how a finding of each
/// is known from one reading to the other.
const SECTIONS: [(&str, &[&str]); 12] = [
    ("milestones", &["name"]),
    (
        "obligations",
        &["clause", "debtor", "creditor", "period", "events"],
    ),
    ("acts", &["clause", "party", "action", "raised_by"]),
    ("violations", &["clause", "kind", "event"]),
    ("permissions", &["clause", "prohibition_clause", "event"]),
    ("rights", &["clause", "party", "action"]),
    ("entitlements", &["clause", "grantee", "event"]),
    ("commitments", &["clause", "party", "period"]),
    ("cap_tables", &["entity"]),
    ("suspensions", &["clause", "from"]),
    ("accounts", &["name"]),
    ("assets", &["clause", "made_by", "first_owner"]),
];

/// Members never compared: words for people, not outcomes.
const NOT_COMPARED: [&str; 2] = ["heading", "explain"];

/// The findings that differ between two JSON reports of one scenario.
pub fn compare_reports(old: &Json, new: &Json) -> Vec<FindingChange> {
    let mut changes = Vec::new();
    for (section, identity) in SECTIONS {
        let index = |report: &Json| -> BTreeMap<String, Vec<Json>> {
            let mut by_key: BTreeMap<String, Vec<Json>> = BTreeMap::new();
            for finding in report
                .get(section)
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
            {
                by_key
                    .entry(identity_of(section, identity, finding))
                    .or_default()
                    .push(finding.clone());
            }
            by_key
        };
        let (a, b) = (index(old), index(new));
        let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        for key in keys {
            let empty = Vec::new();
            let xs = a.get(key).unwrap_or(&empty);
            let ys = b.get(key).unwrap_or(&empty);
            let paired = xs.len().max(ys.len());
            for i in 0..paired {
                match (xs.get(i), ys.get(i)) {
                    (Some(x), Some(y)) => {
                        let fields = changed_fields(identity, x, y);
                        if !fields.is_empty() {
                            changes.push(FindingChange {
                                kind: ChangeKind::Changed,
                                finding: describe(section, y),
                                fields,
                            });
                        }
                    }
                    (None, Some(y)) => changes.push(FindingChange {
                        kind: ChangeKind::Added,
                        finding: describe(section, y),
                        fields: vec![outcome_words(section, y)],
                    }),
                    (Some(x), None) => changes.push(FindingChange {
                        kind: ChangeKind::Removed,
                        finding: describe(section, x),
                        fields: vec![outcome_words(section, x)],
                    }),
                    (None, None) => {}
                }
            }
        }
    }
    changes
}

/// What a finding is about, as a key: its identity members, compactly.
fn identity_of(section: &str, identity: &[&str], finding: &Json) -> String {
    let mut key = section.to_string();
    let per_period = finding.get("period").is_some_and(|p| !p.is_null());
    for member in identity {
        let value = finding.get(*member).unwrap_or(&Json::Null);
        // An obligation per period is known by its period alone; one
        // raised by an event by the first of its events.
        let value = match (*member, value) {
            ("events", _) if per_period => continue,
            ("events", Json::Array(list)) => list.first().unwrap_or(&Json::Null),
            _ => value,
        };
        let _ = write!(key, "|{}", compact(value));
    }
    key
}

fn compact(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Each member that differs, as `member: old → new`.
fn changed_fields(identity: &[&str], old: &Json, new: &Json) -> Vec<String> {
    let (Some(a), Some(b)) = (old.as_object(), new.as_object()) else {
        return Vec::new();
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    // Each amount in the currency of its own reading.
    let old_currency = old.get("currency").and_then(Json::as_str);
    let new_currency = new.get("currency").and_then(Json::as_str);
    let mut fields = Vec::new();
    for key in keys {
        let per_period = new.get("period").is_some_and(|p| !p.is_null());
        let identifying = identity.contains(&key.as_str()) && !(key == "events" && per_period);
        if NOT_COMPARED.contains(&key.as_str()) || identifying {
            continue;
        }
        let (x, y) = (
            a.get(key).unwrap_or(&Json::Null),
            b.get(key).unwrap_or(&Json::Null),
        );
        // A currency that comes or goes with its amounts says nothing the
        // amounts do not; one currency for another is a change.
        if x == y || (key == "currency" && (x.is_null() || y.is_null())) {
            continue;
        }
        if key == "stakes" {
            fields.extend(changed_stakes(x, y));
            continue;
        }
        fields.push(format!(
            "{}: {} → {}",
            key.replace('_', " "),
            value_words(key, x, old_currency),
            value_words(key, y, new_currency)
        ));
    }
    fields
}

/// A cap table's stakes, compared holder by holder.
fn changed_stakes(old: &Json, new: &Json) -> Vec<String> {
    let by_holder = |list: &Json| -> BTreeMap<String, Json> {
        list.as_array()
            .into_iter()
            .flatten()
            .map(|s| (compact(s.get("holder").unwrap_or(&Json::Null)), s.clone()))
            .collect()
    };
    let (a, b) = (by_holder(old), by_holder(new));
    let mut holders: Vec<&String> = a.keys().chain(b.keys()).collect();
    holders.sort();
    holders.dedup();
    let mut out = Vec::new();
    for holder in holders {
        match (a.get(holder), b.get(holder)) {
            (Some(x), Some(y)) => {
                for field in changed_fields(&["holder", "clause"], x, y) {
                    out.push(format!("{holder}'s {field}"));
                }
            }
            (None, Some(y)) => out.push(format!("{holder} added with {}", stake_words(y))),
            (Some(x), None) => out.push(format!("{holder} removed (was {})", stake_words(x))),
            (None, None) => {}
        }
    }
    out
}

fn stake_words(stake: &Json) -> String {
    format!("{}%", compact(stake.get("percent").unwrap_or(&Json::Null)))
}

/// Members that hold amounts of money, shown with their currency.
const MONEY: [&str; 7] = [
    "amount",
    "paid",
    "target",
    "fulfilled",
    "remaining",
    "valuation",
    "implied_entity_value",
];

/// A value for people: money with its currency and thousands grouped,
/// events by type, id and date, lists item by item.
fn value_words(key: &str, value: &Json, currency: Option<&str>) -> String {
    match value {
        Json::Null => "none".to_string(),
        Json::Bool(true) => "yes".to_string(),
        Json::Bool(false) => "no".to_string(),
        Json::String(s) if MONEY.contains(&key) => money(s, currency),
        Json::String(s) if key.ends_with("percent") => format!("{s}%"),
        Json::String(s) => s.clone(),
        Json::Array(items) if items.is_empty() => "none".to_string(),
        Json::Array(items) => items
            .iter()
            .map(|i| value_words(key, i, currency))
            .collect::<Vec<_>>()
            .join(", "),
        Json::Object(map) if map.contains_key("type") => event_words(value),
        // A due date moved by a suspension: by how much, and by which clause.
        Json::Object(map) if map.contains_key("days") => format!(
            "{} days by clause {}",
            compact(map.get("days").unwrap_or(&Json::Null)),
            compact(map.get("clause").unwrap_or(&Json::Null))
        ),
        Json::Object(map) if map.contains_key("label") => {
            compact(map.get("label").unwrap_or(&Json::Null))
        }
        Json::Number(_) | Json::Object(_) => value.to_string(),
    }
}

fn money(amount: &str, currency: Option<&str>) -> String {
    // As the report writes amounts, every decimal of the reading kept.
    let text = match amount.parse::<rust_decimal::Decimal>() {
        Ok(value) => crate::eval::report::decimal_text(value, value.scale()),
        Err(_) => amount.to_string(),
    };
    match currency {
        Some(c) => format!("{c} {text}"),
        None => text,
    }
}

/// An event as a report names it: `serve s-2 (2026-08-02)`, or
/// `serve #3 (2026-08-02)` when it has no id.
fn event_words(event: &Json) -> String {
    let field = |k: &str| event.get(k).map(compact).unwrap_or_default();
    let id = match event.get("id") {
        Some(Json::String(id)) => id.clone(),
        _ => format!("#{}", field("index")),
    };
    format!("{} {id} ({})", field("type"), field("date"))
}

fn text(finding: &Json, key: &str) -> String {
    finding.get(key).map(compact).unwrap_or_default()
}

fn first_event(finding: &Json, key: &str) -> Option<String> {
    match finding.get(key)? {
        Json::Array(list) => list.first().map(event_words),
        Json::Null => None,
        other => Some(event_words(other)),
    }
}

/// A finding in words, by what it is about.
fn describe(section: &str, f: &Json) -> String {
    let clause = text(f, "clause");
    match section {
        "milestones" => format!("milestone {}", text(f, "name")),
        "obligations" => {
            let when = match f.get("period") {
                Some(Json::Object(p)) => {
                    format!(" for {}", p.get("label").map(compact).unwrap_or_default())
                }
                _ => first_event(f, "events").map_or_else(String::new, |e| format!(" on {e}")),
            };
            format!(
                "payment under clause {clause} from {} to {}{when}",
                text(f, "debtor"),
                text(f, "creditor")
            )
        }
        "acts" => {
            let raised =
                first_event(f, "raised_by").map_or_else(String::new, |e| format!(" on {e}"));
            format!(
                "obligation under clause {clause} of {} to `{}`{raised}",
                text(f, "party"),
                text(f, "action")
            )
        }
        "violations" => {
            let what = if text(f, "kind") == "conflict" {
                "conflict"
            } else {
                "violation"
            };
            let event = first_event(f, "event").unwrap_or_default();
            format!("{what} of clause {clause} by {event}")
        }
        "permissions" => {
            let event = first_event(f, "event").unwrap_or_default();
            format!("permission under clause {clause} of {event}")
        }
        "rights" => format!(
            "right under clause {clause} of {} to `{}`",
            text(f, "party"),
            text(f, "action")
        ),
        "entitlements" => {
            let event = first_event(f, "event").unwrap_or_default();
            format!(
                "grant under clause {clause} to {} of {event}",
                text(f, "grantee")
            )
        }
        "commitments" => {
            let when = match f.get("period").and_then(|p| p.get("label")) {
                Some(label) => format!(" for {}", compact(label)),
                None => String::new(),
            };
            format!(
                "commitment under clause {clause} of {}{when}",
                text(f, "party")
            )
        }
        "cap_tables" => format!("cap table of {}", text(f, "entity")),
        "suspensions" => format!("suspension under clause {clause} from {}", text(f, "from")),
        other => other.to_string(),
    }
}

/// The outcome of a finding added or removed, in a few words.
fn outcome_words(section: &str, f: &Json) -> String {
    let currency = f.get("currency").and_then(Json::as_str);
    let amount = |key: &str| value_words(key, f.get(key).unwrap_or(&Json::Null), currency);
    match section {
        "milestones" => match f.get("date") {
            Some(Json::String(date)) => format!("reached {date}"),
            _ => "not reached".to_string(),
        },
        "obligations" => format!(
            "{} due {}, {}",
            amount("amount"),
            text(f, "due"),
            text(f, "status")
        ),
        "acts" => format!("due {}, {}", text(f, "due"), text(f, "status")),
        "violations" => {
            let carve_outs = value_words(
                "carve_outs_considered",
                f.get("carve_outs_considered").unwrap_or(&Json::Null),
                None,
            );
            format!("carve-outs considered: {carve_outs}")
        }
        "permissions" => format!("lifts clause {}", text(f, "prohibition_clause")),
        "rights" => format!("available from {}", text(f, "from")),
        "entitlements" => {
            if f.get("covered") == Some(&Json::Bool(true)) {
                "covered".to_string()
            } else {
                format!("not covered: {}", text(f, "reason"))
            }
        }
        "commitments" => format!(
            "fulfilled {} of {}, {}",
            amount("fulfilled"),
            amount("target"),
            text(f, "status")
        ),
        "cap_tables" => format!("stakes add up to {}%", text(f, "total_percent")),
        "suspensions" => match f.get("until") {
            Some(Json::String(until)) => format!("until {until}"),
            _ => "still in force".to_string(),
        },
        _ => String::new(),
    }
}

/// Impact lines shared by several scenarios, listed once: each line with
/// the names of the scenarios it occurs in (in their order), for lines
/// found in more than one; and for each scenario, its own lines.
pub struct Grouped<'a> {
    /// (line, scenarios it occurs in), in the order first met.
    pub shared: Vec<(String, Vec<&'a str>)>,
    /// Per scenario, the lines that are its alone.
    pub own: Vec<(&'a Impact, Vec<String>)>,
}

pub fn group(impacts: &[Impact]) -> Grouped<'_> {
    let mut seen: Vec<(String, Vec<&str>)> = Vec::new();
    let lines_of = |impact: &Impact| -> Vec<String> {
        match &impact.outcome {
            Outcome::Findings(changes) => changes.iter().map(FindingChange::line).collect(),
            Outcome::OldRefuses(_) | Outcome::NewRefuses(_) => Vec::new(),
        }
    };
    for impact in impacts {
        for line in lines_of(impact) {
            match seen.iter_mut().find(|(l, _)| *l == line) {
                Some((_, names)) => names.push(&impact.name),
                None => seen.push((line, vec![&impact.name])),
            }
        }
    }
    let shared: Vec<(String, Vec<&str>)> = seen
        .into_iter()
        .filter(|(_, names)| names.len() > 1)
        .collect();
    let own = impacts
        .iter()
        .map(|impact| {
            let lines = lines_of(impact)
                .into_iter()
                .filter(|l| !shared.iter().any(|(s, _)| s == l))
                .collect();
            (impact, lines)
        })
        .collect();
    Grouped { shared, own }
}

#[cfg(test)]
mod tests {
    use super::SECTIONS;
    use crate::{Contract, EventFormat};

    /// Every list of findings in the report is compared by change review,
    /// and every other member is one that holds no finding: a new kind of
    /// finding cannot be left out of the interpretation impact unnoticed.
    #[test]
    fn every_section_of_the_report_is_compared() {
        let contract = Contract::parse(
            "flagship",
            include_str!("../../contracts/microsoft-openai-2025.proviso"),
        )
        .unwrap();
        let events = include_str!("../../contracts/events/microsoft-openai-2025.json");
        let report = contract
            .evaluate(events, EventFormat::Json, None)
            .unwrap()
            .to_json(false);
        const NO_FINDINGS: [&str; 5] = ["as_of", "contract", "events", "schema", "summary"];
        for key in report.as_object().unwrap().keys() {
            assert!(
                SECTIONS.iter().any(|(name, _)| name == key) || NO_FINDINGS.contains(&key.as_str()),
                "the report's `{key}` is neither compared by change review nor known to hold no finding"
            );
        }
    }
}

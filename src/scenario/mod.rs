//! Scenario files: a contract, an as-of date, events, and what a lawyer
//! expects the contract to mean for them. Documented in `docs/testing.md`.
//!
//! ```yaml
//! name: Revenue share for the first quarter
//! contract: ../microsoft-openai-2025.proviso
//! as-of: 2026-06-30
//! events:
//!   - {type: report_revenue, date: 2026-04-20, by: openai, quarter: 2026-Q1, amount: "USD 10,000,000.00"}
//! expect:
//!   obligations:
//!     - {clause: 1, period: 2026-Q1, amount: "USD 2,000,000.00", due: 2026-05-15, status: open}
//!   violations: []
//! ```
//!
//! This module reads a scenario (every problem a diagnostic pointing into
//! the YAML); `run` applies it to a contract — the one function both
//! `proviso test` and change review use — and checks the expectations;
//! `snapshot` keeps the interpretation a person reviewed.

pub mod junit;
pub mod run;
pub mod snapshot;

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde_json::value::RawValue;

use crate::ast::Span;
use crate::diagnostics::{Code, Diagnostic, closest};
use crate::eval::decode::{object_members, raw_span, string_of};
use crate::eval::yaml::{self, SpanMap};
use crate::limits::Limits;
use crate::source::SourceFile;

/// The kinds of finding a scenario can expect, as the report names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Obligations,
    Acts,
    Violations,
    /// Acts a prohibition would have forbidden, allowed by an exception.
    Permissions,
    /// Permissions that became exercisable after the effective date.
    Rights,
    Entitlements,
    Commitments,
    Milestones,
    /// Cap tables: entity, whether declared complete, the sum of stakes.
    CapTables,
    /// The stakes of every cap table, each with its entity.
    Stakes,
    /// Accounts: name, opening amount, balance at the report date.
    Accounts,
    /// The movements of every account, each with its account's name.
    Movements,
    /// Each share of each asset an ownership rule gave.
    Assets,
}

impl Section {
    const ALL: [Section; 13] = [
        Section::Obligations,
        Section::Acts,
        Section::Violations,
        Section::Permissions,
        Section::Rights,
        Section::Entitlements,
        Section::Commitments,
        Section::Milestones,
        Section::CapTables,
        Section::Stakes,
        Section::Accounts,
        Section::Movements,
        Section::Assets,
    ];

    /// The key in a scenario's `expect` and in the JSON report.
    pub fn key(self) -> &'static str {
        match self {
            Section::Obligations => "obligations",
            Section::Acts => "acts",
            Section::Violations => "violations",
            Section::Permissions => "permissions",
            Section::Rights => "rights",
            Section::Entitlements => "entitlements",
            Section::Commitments => "commitments",
            Section::Milestones => "milestones",
            Section::CapTables => "cap_tables",
            Section::Stakes => "stakes",
            Section::Accounts => "accounts",
            Section::Movements => "movements",
            Section::Assets => "assets",
        }
    }

    /// The fields an expected item may name (those of the JSON report,
    /// `docs/report.md`, that identify or measure a finding).
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Section::Obligations => &[
                "clause",
                "heading",
                "debtor",
                "creditor",
                "amount",
                "paid",
                "period",
                "due",
                "status",
                "discharged_on",
                "days_late",
                "late_interest",
                "due_moved",
            ],
            Section::Acts => &[
                "clause",
                "heading",
                "party",
                "action",
                "due",
                "status",
                "late",
                "raised_by",
                "done_by",
                "due_moved",
            ],
            Section::Violations => &[
                "kind",
                "ground",
                "clause",
                "heading",
                "event",
                "conflicting_clause",
            ],
            Section::Permissions => &["clause", "heading", "event", "prohibition_clause"],
            Section::Rights => &["clause", "heading", "party", "action", "from", "until"],
            Section::Entitlements => &[
                "clause", "heading", "grantor", "grantee", "event", "covered", "reason",
            ],
            Section::Commitments => &[
                "clause",
                "heading",
                "party",
                "target",
                "period",
                "fulfilled",
                "remaining",
                "deadline",
                "status",
                "met_on",
            ],
            Section::Milestones => &["name", "date"],
            Section::CapTables => &["entity", "complete", "total_percent"],
            Section::Stakes => &[
                "entity",
                "holder",
                "clause",
                "percent",
                "basis",
                "valuation",
                "implied_entity_value",
            ],
            Section::Accounts => &["name", "opening", "opens", "balance"],
            Section::Movements => &["account", "date", "direction", "amount", "balance", "event"],
            Section::Assets => &[
                "clause",
                "heading",
                "made_by",
                "share",
                "first_owner",
                "owner",
            ],
        }
    }

    /// One finding of the section, in words.
    pub fn singular(self) -> &'static str {
        match self {
            Section::Obligations => "obligation",
            Section::Acts => "obligation to act",
            Section::Violations => "violation",
            Section::Permissions => "permitted act",
            Section::Rights => "right",
            Section::Entitlements => "entitlement",
            Section::Commitments => "commitment",
            Section::Milestones => "milestone",
            Section::CapTables => "cap table",
            Section::Stakes => "stake",
            Section::Accounts => "account",
            Section::Movements => "movement of an account",
            Section::Assets => "share of an asset",
        }
    }
}

/// One expected finding: field names and the values written for them.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub fields: Vec<(String, String)>,
    pub span: Span,
}

/// What a scenario expects of one kind of finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Expectation {
    pub section: Section,
    /// `{exact: [...]}`: the reported findings are exactly these, no more.
    /// An empty list (`violations: []`) always means none is reported.
    pub exact: bool,
    pub items: Vec<Item>,
    pub span: Span,
}

/// Where the events come from.
#[derive(Debug)]
pub enum Events {
    /// None: the contract alone, as of the date.
    None,
    /// Written in the scenario: the JSON the YAML stands for, and the map
    /// back to the YAML.
    Inline { json: String, map: SpanMap },
    /// An event file, relative to the scenario, and the path as written.
    File { path: PathBuf, written: String },
}

/// A scenario, read and validated.
#[derive(Debug)]
pub struct Scenario {
    pub path: PathBuf,
    pub source: SourceFile,
    pub name: String,
    /// The contract, relative to the scenario's folder, and as written.
    pub contract: PathBuf,
    pub contract_written: String,
    pub as_of: Date,
    pub events: Events,
    pub expectations: Vec<Expectation>,
    /// A diagnostic code the scenario expects instead of a report.
    pub error: Option<(String, Span)>,
}

const TOP_KEYS: [&str; 7] = [
    "name",
    "contract",
    "as-of",
    "events",
    "events-file",
    "expect",
    "error",
];

/// A scenario file that could not be read: the file and its diagnostics.
#[derive(Debug)]
pub struct Invalid {
    pub file: SourceFile,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads a scenario file.
pub fn load(path: &Path, limits: &Limits) -> Result<Scenario, Box<Invalid>> {
    let source = crate::load::read_regular_file(path, limits).map_err(|error| {
        Box::new(Invalid {
            file: error.file,
            diagnostics: vec![error.diagnostic],
        })
    })?;
    from_source(source, path)
}

/// Reads a scenario already read from `path` (the files it names are
/// relative to that path's folder).
pub fn from_source(source: SourceFile, path: &Path) -> Result<Scenario, Box<Invalid>> {
    let (json, map) = match yaml::to_json(source.text()) {
        Ok(converted) => converted,
        Err(mut diagnostic) => {
            diagnostic.code = Code::ScenarioSyntax;
            diagnostic.message = diagnostic.message.replace("event file", "scenario");
            diagnostic.help = Some(SHAPE_HELP.to_string());
            return Err(Box::new(Invalid {
                file: source,
                diagnostics: vec![diagnostic],
            }));
        }
    };
    let mut reader = Reader {
        json: &json,
        map: &map,
        diagnostics: Vec::new(),
    };
    let scenario = reader.scenario(path, &source);
    let Reader { diagnostics, .. } = reader;
    match scenario {
        Some(mut scenario) if diagnostics.is_empty() => {
            if let Events::Inline { .. } = scenario.events {
                scenario.events = Events::Inline { json, map };
            }
            Ok(scenario)
        }
        _ => Err(Box::new(Invalid {
            file: source,
            diagnostics,
        })),
    }
}

const SHAPE_HELP: &str = "a scenario is a YAML mapping with `contract`, `as-of`, `events` (or `events-file`) and `expect` (or `error`); see docs/testing.md";

/// Reads the JSON a scenario's YAML stands for, pointing into the YAML.
struct Reader<'a> {
    json: &'a str,
    map: &'a SpanMap,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    fn span(&self, raw: &RawValue) -> Span {
        self.map.to_yaml(raw_span(self.json, raw))
    }

    /// Where the key of a member is written: in the generated JSON it
    /// stands just before its value (`"key":value`, no blanks).
    fn key_span(&self, key: &str, value: &RawValue) -> Span {
        let value_at = raw_span(self.json, value).start;
        let key_len = serde_json::to_string(key).map_or(0, |k| k.len());
        let start = value_at.saturating_sub(1 + key_len);
        let found = self.map.to_yaml(Span::new(start, start + key_len));
        if found.end > found.start {
            found
        } else {
            self.span(value)
        }
    }

    fn error(&mut self, code: Code, message: impl Into<String>, span: Span, label: &str) {
        self.diagnostics
            .push(Diagnostic::error(code, message, span, label));
    }

    fn error_with_help(
        &mut self,
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: &str,
        help: impl Into<String>,
    ) {
        self.diagnostics
            .push(Diagnostic::error(code, message, span, label).with_help(help));
    }

    fn unknown_key(&mut self, key: &str, span: Span, known: &[&str], what: &str) {
        let mut diagnostic = Diagnostic::error(
            Code::UnknownScenarioKey,
            format!("{what} has no key `{key}`"),
            span,
            "unknown key",
        );
        diagnostic = match closest(key, known.iter().copied()) {
            Some(best) => diagnostic.with_suggestion(best.to_string()),
            None => diagnostic.with_help(format!("the keys are {}", quoted_list(known))),
        };
        self.diagnostics.push(diagnostic);
    }

    /// A scalar as text: strings as written, numbers and yes/no as JSON.
    fn scalar(&mut self, raw: &RawValue, what: &str) -> Option<String> {
        let text = raw.get();
        if text.starts_with('"') {
            return string_of(text).map(|s| s.into_owned());
        }
        if text.starts_with(['{', '[']) || text == "null" {
            let span = self.span(raw);
            self.error_with_help(
                Code::InvalidScenarioValue,
                format!("{what} must be a single value"),
                span,
                "not a single value",
                "write a text, a number, a date or true/false",
            );
            return None;
        }
        Some(text.to_string())
    }

    fn text(&mut self, raw: &RawValue, what: &str) -> Option<String> {
        match string_of(raw.get()) {
            Some(s) => Some(s.into_owned()),
            None => {
                let span = self.span(raw);
                self.error(
                    Code::InvalidScenarioValue,
                    format!("{what} must be text"),
                    span,
                    "not text",
                );
                None
            }
        }
    }

    fn date(&mut self, raw: &RawValue, what: &str) -> Option<Date> {
        let text = self.text(raw, what)?;
        let span = self.span(raw);
        match crate::syntax::parse_date_text(&text, span) {
            Ok(date) => Some(date),
            Err(mut diagnostic) => {
                diagnostic.code = Code::InvalidScenarioValue;
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    fn scenario(&mut self, path: &Path, source: &SourceFile) -> Option<Scenario> {
        let whole = Span::new(0, source.text().trim_end().len());
        let Some(members) = object_members(self.json) else {
            self.error_with_help(
                Code::ScenarioSyntax,
                "the scenario is not a mapping of keys to values",
                whole,
                "expected `contract: ...`, `as-of: ...` and so on",
                SHAPE_HELP,
            );
            return None;
        };
        let mut name = None;
        let mut contract = None;
        let mut as_of = None;
        let mut events = Events::None;
        let mut events_given: Option<Span> = None;
        let mut expectations = Vec::new();
        let mut expect_given = false;
        let mut error = None;
        let mut seen: Vec<&str> = Vec::new();
        for (key, raw) in &members {
            let key_ref: &str = key.as_ref();
            let span = self.span(raw);
            if seen.contains(&key_ref) {
                self.error(
                    Code::ScenarioSyntax,
                    format!("the scenario gives `{key_ref}` twice"),
                    span,
                    "given again here",
                );
                continue;
            }
            seen.push(key_ref);
            match key_ref {
                "name" => name = self.text(raw, "`name`"),
                "contract" => contract = self.text(raw, "`contract`").map(|c| (c, span)),
                "as-of" => as_of = self.date(raw, "`as-of`"),
                "events" | "events-file" => {
                    if let Some(first) = events_given {
                        self.diagnostics.push(
                            Diagnostic::error(
                                Code::ScenarioSyntax,
                                "the scenario gives both `events` and `events-file`",
                                span,
                                "the second source of events",
                            )
                            .with_related(first, "the first")
                            .with_help(
                                "write the events in the scenario, or name a file, not both",
                            ),
                        );
                        continue;
                    }
                    events_given = Some(span);
                    if key_ref == "events" {
                        if !raw.get().starts_with('[') {
                            self.error_with_help(
                                Code::InvalidScenarioValue,
                                "`events` must be a list of events",
                                span,
                                "not a list",
                                "write `events:` followed by one `- type: ...` entry per event, or use `events-file: FILE`",
                            );
                            continue;
                        }
                        // The JSON is kept whole and decoded when the scenario runs.
                        events = Events::Inline {
                            json: String::new(),
                            map: SpanMap::default(),
                        };
                    } else if let Some(written) = self.text(raw, "`events-file`") {
                        if written == "-" || written.trim().is_empty() {
                            self.error_with_help(
                                Code::InvalidScenarioValue,
                                "`events-file` must name a file",
                                span,
                                "not a file",
                                "name the event file relative to the scenario, such as `../events/history.json`",
                            );
                            continue;
                        }
                        let folder = path.parent().unwrap_or(Path::new(""));
                        events = Events::File {
                            path: folder.join(&written),
                            written,
                        };
                    }
                }
                "expect" => {
                    expect_given = true;
                    self.expect(raw, &mut expectations);
                }
                "error" => {
                    if let Some(code) = self.text(raw, "`error`") {
                        if Code::from_str_code(&code).is_some() {
                            error = Some((code, span));
                        } else {
                            self.error_with_help(
                                Code::InvalidScenarioValue,
                                format!("`{code}` is not a diagnostic code"),
                                span,
                                "unknown code",
                                "write a code such as `E0604`; every code is listed in docs/diagnostics.md",
                            );
                        }
                    }
                }
                _ => {
                    let key_span = self.key_span(key_ref, raw);
                    self.unknown_key(key_ref, key_span, &TOP_KEYS, "a scenario");
                }
            }
        }
        // A misspelt key (`as_of`) is reported once, as a misspelling, not
        // again as the key that is missing.
        let misspelt: Vec<&str> = seen
            .iter()
            .filter(|k| !TOP_KEYS.contains(k))
            .filter_map(|k| closest(k, TOP_KEYS.iter().copied()))
            .collect();
        for (key, missing) in [("contract", contract.is_none()), ("as-of", as_of.is_none())] {
            if missing && !seen.contains(&key) && !misspelt.contains(&key) {
                self.error_with_help(
                    Code::MissingScenarioKey,
                    format!("the scenario has no `{key}`"),
                    Span::new(0, 0),
                    "needed here",
                    match key {
                        "contract" => "add `contract: PATH`, the clause file, relative to this scenario",
                        _ => "add `as-of: YYYY-MM-DD`, the day the scenario's interpretation speaks for",
                    },
                );
            }
        }
        if let (Some((_, error_span)), true) = (&error, expect_given) {
            self.error_with_help(
                Code::ScenarioSyntax,
                "the scenario both expects findings and expects the input to be refused",
                *error_span,
                "expects a refusal",
                "keep `expect:` when the contract should give findings, or `error:` when the input should be refused, not both",
            );
        }
        if (!expect_given || expectations.is_empty()) && error.is_none() {
            self.error_with_help(
                Code::MissingScenarioKey,
                "the scenario expects nothing",
                Span::new(0, 0),
                "needed here",
                "add `expect:` with the findings the contract should give (or `error: CODE` when the input should be refused); the interpretation snapshot is checked either way, but a scenario states what its author expects",
            );
        }
        let (contract_written, _) = contract?;
        let folder = path.parent().unwrap_or(Path::new(""));
        // The path as the system resolves it (through any links); `tidy`
        // only for showing it.
        let contract = folder.join(&contract_written);
        Some(Scenario {
            path: path.to_path_buf(),
            source: source.clone(),
            name: name.unwrap_or_else(|| scenario_stem(path)),
            contract,
            contract_written,
            as_of: as_of?,
            events,
            expectations,
            error,
        })
    }

    fn expect(&mut self, raw: &'a RawValue, out: &mut Vec<Expectation>) {
        let span = self.span(raw);
        let Some(members) = object_members(raw.get()) else {
            self.error_with_help(
                Code::InvalidScenarioValue,
                "`expect` must be a mapping",
                span,
                "not a mapping",
                "write `expect:` followed by `obligations:`, `violations:` and so on",
            );
            return;
        };
        let keys: Vec<&str> = Section::ALL.iter().map(|s| s.key()).collect();
        for (key, value) in members {
            let key_ref: &str = key.as_ref();
            let value_span = self.span(value);
            let Some(section) = Section::ALL.into_iter().find(|s| s.key() == key_ref) else {
                let key_span = self.key_span(key_ref, value);
                self.unknown_key(key_ref, key_span, &keys, "`expect`");
                continue;
            };
            if section == Section::Milestones {
                self.milestones(value, out);
                continue;
            }
            let text = value.get();
            let (exact, list) = if text.starts_with('{') {
                match object_members(text).as_deref() {
                    Some([(mode, list)]) if mode == "exact" => (true, *list),
                    _ => {
                        self.error_with_help(
                            Code::InvalidScenarioValue,
                            format!("`{key_ref}` must be a list, or `exact:` and a list"),
                            value_span,
                            "expected a list",
                            format!("write `{key_ref}:` and the expected findings as a list; `{key_ref}: {{exact: [...]}}` when no other may be reported"),
                        );
                        continue;
                    }
                }
            } else {
                (false, value)
            };
            let Ok(raws) = serde_json::from_str::<Vec<&RawValue>>(list.get()) else {
                let span = self.span(list);
                self.error_with_help(
                    Code::InvalidScenarioValue,
                    format!("`{key_ref}` must be a list"),
                    span,
                    "not a list",
                    format!(
                        "write each expected {} as `- field: value, ...`; `[]` for none",
                        section.singular()
                    ),
                );
                continue;
            };
            let mut items = Vec::new();
            for raw in raws {
                if let Some(item) = self.item(section, raw) {
                    items.push(item);
                }
            }
            out.push(Expectation {
                section,
                exact,
                items,
                span: value_span,
            });
        }
    }

    fn item(&mut self, section: Section, raw: &RawValue) -> Option<Item> {
        let span = self.span(raw);
        let Some(members) = object_members(raw.get()) else {
            self.error_with_help(
                Code::InvalidScenarioValue,
                format!(
                    "an expected {} must be a mapping of fields",
                    section.singular()
                ),
                span,
                "not a mapping",
                format!("its fields are {}", quoted_list(section.fields())),
            );
            return None;
        };
        let mut fields = Vec::new();
        for (key, value) in members {
            let key_ref: &str = key.as_ref();
            if !section.fields().contains(&key_ref) {
                let key_span = self.key_span(key_ref, value);
                self.unknown_key(
                    key_ref,
                    key_span,
                    section.fields(),
                    &format!("an expected {}", section.singular()),
                );
                continue;
            }
            if let Some(text) = self.scalar(value, &format!("`{key_ref}`")) {
                fields.push((key_ref.to_string(), text));
            }
        }
        if fields.is_empty() {
            self.error_with_help(
                Code::InvalidScenarioValue,
                format!("an expected {} names no field", section.singular()),
                span,
                "empty",
                format!("name at least one of {}", quoted_list(section.fields())),
            );
            return None;
        }
        Some(Item { fields, span })
    }

    /// `milestones: {agi: 2030-05-20, launch: not reached}`
    fn milestones(&mut self, raw: &RawValue, out: &mut Vec<Expectation>) {
        let span = self.span(raw);
        let Some(members) = object_members(raw.get()) else {
            self.error_with_help(
                Code::InvalidScenarioValue,
                "`milestones` must map each milestone to the day it is reached",
                span,
                "not a mapping",
                "write `milestones: {agi: 2030-05-20}`, or `not reached`",
            );
            return;
        };
        let mut items = Vec::new();
        for (name, value) in members {
            let value_span = self.span(value);
            let Some(text) = self.scalar(value, "a milestone's day") else {
                continue;
            };
            if text != "not reached" && crate::syntax::parse_date_text(&text, value_span).is_err() {
                self.error_with_help(
                    Code::InvalidScenarioValue,
                    format!("`{text}` is neither a date nor `not reached`"),
                    value_span,
                    "expected the day the milestone is reached",
                    "write the date as YYYY-MM-DD, or `not reached`",
                );
                continue;
            }
            items.push(Item {
                fields: vec![
                    ("name".to_string(), name.into_owned()),
                    ("date".to_string(), text),
                ],
                span: value_span,
            });
        }
        out.push(Expectation {
            section: Section::Milestones,
            exact: false,
            items,
            span,
        });
    }
}

/// A path without `x/..` steps, for showing: `contracts/scenarios/../a`
/// is `contracts/a`. Only the words are changed; nothing is resolved, so
/// never open the result (a link in the path could lead elsewhere).
pub fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut parts: Vec<Component<'_>> = Vec::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir
                if parts
                    .last()
                    .is_some_and(|p| matches!(p, Component::Normal(_))) =>
            {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return PathBuf::from(".");
    }
    parts.iter().collect()
}

/// `revenue.scenario.yaml` → `revenue`.
pub fn scenario_stem(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.strip_suffix(".scenario.yaml")
        .or_else(|| name.strip_suffix(".scenario.yml"))
        .unwrap_or(&name)
        .to_string()
}

/// Whether a path names a scenario file.
pub fn is_scenario(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".scenario.yaml") || n.ends_with(".scenario.yml"))
}

/// The scenario files under the given paths (files are taken as they are;
/// folders are searched, skipping hidden folders and `target`), sorted.
pub fn discover(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut work: Vec<PathBuf> = paths.to_vec();
    while let Some(path) = work.pop() {
        if path.is_dir() {
            let Ok(entries) = std::fs::read_dir(&path) else {
                continue;
            };
            for entry in entries.flatten() {
                let child = entry.path();
                let hidden = child
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.') || n == "target");
                // Linked folders are not followed: a link to a parent would
                // make the search endless.
                let real_dir = entry.file_type().is_ok_and(|t| t.is_dir());
                if real_dir && !hidden {
                    work.push(child);
                } else if is_scenario(&child)
                    && std::fs::metadata(&child).is_ok_and(|m| m.is_file())
                {
                    // A pipe or a device named like a scenario is skipped:
                    // reading it could wait for ever.
                    found.push(child);
                }
            }
        } else {
            found.push(path);
        }
    }
    found.sort();
    found.dedup();
    found
}

fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

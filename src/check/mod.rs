//! Name resolution and type checking.
//!
//! The checker reads the AST and reports every name that does not resolve,
//! every value of the wrong kind and every broken carve-out. A file that
//! passes yields [`Checked`], whose [`Symbols`] give every later stage a way
//! to look names up: the invariant is that evaluation, lint and change
//! review never meet an unresolved name.

mod accounts;
mod carveouts;
mod declarations;
mod definitions;
mod rules;
mod types;

use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic, closest};
use crate::limits::Limits;
use crate::model::{Checked, PeriodInfo, Symbols};
use crate::syntax::Parsed;

pub use types::Ty;

/// The built-in calendar periods.
pub const BUILTIN_PERIODS: [(&str, PeriodBase); 3] = [
    ("month", PeriodBase::Month),
    ("quarter", PeriodBase::Quarter),
    ("year", PeriodBase::Year),
];

/// Attributes every event has besides its declared fields.
pub const RESERVED_FIELDS: [&str; 4] = ["type", "date", "id", "by"];

/// E0212: a rule or pattern needs to know who performed an event whose
/// type does not record it; `label` says why, at `span`.
pub(crate) fn event_without_actor(decl: &EventDecl, span: Span, label: String) -> Diagnostic {
    Diagnostic::error(
        Code::EventWithoutActor,
        format!(
            "event `{}` does not record who performed it",
            decl.name.node
        ),
        span,
        label,
    )
    .with_related(decl.name.span, "declared without `by party`")
    .with_help(format!(
        "declare it as `event {} by party {{ ... }}`",
        decl.name.node
    ))
}

/// The outcome of checking: the checked contract when there were no errors,
/// and every diagnostic found (syntax ones first, then in source order).
#[derive(Debug)]
pub struct Outcome {
    pub checked: Option<Checked>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every name the checker resolved, where it is written (declarations
    /// aside), in the order met, even in a file with errors (for editors).
    /// Kept here only: a copy beside the checked contract, which nothing
    /// read, was a tenth of the memory a large file took.
    pub references: Vec<crate::model::Reference>,
}

pub fn check(parsed: Parsed, limits: &Limits) -> Outcome {
    let Parsed {
        file,
        mut diagnostics,
        unparsed,
    } = parsed;
    let syntax_failed = diagnostics.iter().any(Diagnostic::is_error);
    let mut checker = Checker {
        file: &file,
        symbols: Symbols::default(),
        references: Vec::new(),
        diagnostics: Vec::new(),
        unparsed: &unparsed,
        limits,
        defined: std::collections::BTreeMap::new(),
        expanded: 0,
    };
    checker.run(syntax_failed);
    let Checker {
        symbols,
        mut references,
        diagnostics: mut found,
        ..
    } = checker;
    // One budget for the whole file: what the syntax stage used is gone.
    let room = limits.max_diagnostics.saturating_sub(diagnostics.len());
    // The checker collects one problem past the limit, so that a file with
    // exactly as many problems as the limit gets no note that some were cut.
    let stopped = found.len() > room;
    found.truncate(room);
    let already_stopped = diagnostics.iter().any(|d| d.code == Code::TooManyProblems);
    diagnostics.append(&mut found);
    if stopped && !already_stopped {
        let end = diagnostics
            .iter()
            .map(|d| d.primary.span.end)
            .max()
            .unwrap_or(0);
        diagnostics.push(crate::syntax::too_many(limits, end));
    }
    // In the order of the file, as a reader goes through it. The sort is
    // stable, so problems at one place keep the order they were found in.
    diagnostics.sort_by_key(|d| (d.primary.span.start, d.primary.span.end));
    references.shrink_to_fit();
    let checked = if diagnostics.iter().any(Diagnostic::is_error) {
        None
    } else {
        Some(Checked::new(file, symbols))
    };
    Outcome {
        checked,
        diagnostics,
        references,
    }
}

pub(crate) struct Checker<'a> {
    pub file: &'a ContractFile,
    pub symbols: Symbols,
    pub references: Vec<crate::model::Reference>,
    pub diagnostics: Vec<Diagnostic>,
    /// What failed to parse: references to these were reported already.
    pub unparsed: &'a crate::syntax::Unparsed,
    pub limits: &'a Limits,
    /// Each definition checked so far, by name: what its uses need.
    pub defined: std::collections::BTreeMap<String, definitions::Defined<'a>>,
    /// How many values the rule (or milestone) being checked comes to with
    /// the definitions it uses written out, bounded as a definition is.
    pub expanded: usize,
}

impl<'a> Checker<'a> {
    fn run(&mut self, syntax_failed: bool) {
        let f = self.file;
        let nothing = f.header.is_none()
            && f.parties.is_empty()
            && f.groups.is_empty()
            && f.categories.is_empty()
            && f.periods.is_empty()
            && f.events.is_empty()
            && f.milestones.is_empty()
            && f.definitions.is_empty()
            && f.accounts.is_empty()
            && f.clauses.is_empty();
        if nothing {
            if !syntax_failed {
                self.report(
                    Diagnostic::error(
                        Code::EmptyFile,
                        "the file holds no contract",
                        Span::new(0, 0),
                        "nothing here",
                    )
                    .with_help("start with a header: `contract \"Title\" effective 2026-01-01 term through 2026-12-31`"),
                );
            }
            return;
        }
        self.declare_all();
        self.check_header(syntax_failed);
        self.check_declarations();
        self.check_definitions();
        self.check_groups();
        self.check_accounts();
        self.check_milestones();
        self.check_clauses();
        self.check_exceptions();
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        if self.full() {
            return;
        }
        self.diagnostics.push(diagnostic);
    }

    /// Whether enough problems were found; further ones are not worked out.
    /// One past the limit is kept, to know that the limit was passed.
    pub fn full(&self) -> bool {
        self.diagnostics.len() > self.limits.max_diagnostics
    }

    /// Reports `name` as unknown, suggesting the closest of `candidates`.
    pub fn unknown(
        &mut self,
        code: Code,
        what: &str,
        name: &Name,
        candidates: Vec<String>,
        fallback_help: String,
    ) {
        if self.full() || self.unparsed.names.contains(&name.node) {
            return; // its declaration had a syntax error, reported already
        }
        let mut diagnostic = Diagnostic::error(
            code,
            format!("unknown {what} `{}`", name.node),
            name.span,
            if what == "name" {
                "nothing is declared with this name".to_string()
            } else {
                format!("no {what} is declared with this name")
            },
        );
        diagnostic = match closest(&name.node, candidates.iter().map(String::as_str)) {
            Some(best) => diagnostic.with_suggestion(best),
            None => diagnostic.with_help(fallback_help),
        };
        self.report(diagnostic);
    }

    fn check_header(&mut self, syntax_failed: bool) {
        let Some(header) = &self.file.header else {
            // A header that failed to parse was reported already.
            if !syntax_failed {
                self.report(
                    Diagnostic::error(
                        Code::MissingHeader,
                        "the file has no `contract` header",
                        Span::new(0, 0),
                        "the header belongs at the top",
                    )
                    .with_help("add `contract \"Title\" effective 2026-01-01 term through 2026-12-31` before the clauses"),
                );
            }
            return;
        };
        if header.effective.is_none() {
            self.report(
                Diagnostic::error(
                    Code::IncompleteHeader,
                    "the contract has no effective date",
                    header.title.span,
                    "this contract",
                )
                .with_help("add `effective YYYY-MM-DD` after the title"),
            );
        }
        match &header.term {
            None => self.report(
                Diagnostic::error(
                    Code::IncompleteHeader,
                    "the contract has no term",
                    header.title.span,
                    "this contract",
                )
                .with_help("add `term through YYYY-MM-DD` (the last day of the term) after the effective date"),
            ),
            Some(term) => self.check_window_end(term),
        }
        if let Some(renewal) = &header.renewal {
            self.check_renewal(renewal, header.term.as_ref());
        }
        if let Some(settlement) = &header.settlement {
            self.check_settlement_event(settlement);
        }
    }

    /// The names of every declaration of a kind, for suggestions.
    pub fn party_names(&self) -> Vec<String> {
        self.file
            .parties
            .iter()
            .map(|p| p.name.node.clone())
            .collect()
    }

    pub fn event_names(&self) -> Vec<String> {
        self.file
            .events
            .iter()
            .map(|e| e.name.node.clone())
            .collect()
    }

    pub fn milestone_names(&self) -> Vec<String> {
        self.file
            .milestones
            .iter()
            .map(|m| m.name.node.clone())
            .collect()
    }

    pub fn event_decl(&self, name: &str) -> Option<&'a EventDecl> {
        let file = self.file;
        self.symbols
            .events
            .get(name)
            .and_then(|&i| file.events.get(i.index()))
    }

    pub fn group_decl(&self, name: &str) -> Option<&'a Group> {
        let file = self.file;
        self.symbols
            .groups
            .get(name)
            .and_then(|&g| file.groups.get(g.index()))
    }

    /// Resolves the party a rule binds or benefits, which may also be a
    /// group of parties; reports it when neither is declared.
    pub fn resolve_actor(&mut self, name: &Name) -> bool {
        if self.group_decl(&name.node).is_some() {
            self.refer(
                name.span,
                crate::model::Target::Group(name.node.as_str().into()),
            );
            return true;
        }
        self.resolve_party(name)
    }

    /// Records what a name written at `span` refers to.
    pub fn refer(&mut self, span: Span, target: crate::model::Target) {
        self.references
            .push(crate::model::Reference { span, target });
    }

    /// Resolves a party name, reporting it when unknown or when it names
    /// a group, which cannot stand where one party must.
    pub fn resolve_party(&mut self, name: &Name) -> bool {
        if self.symbols.parties.contains_key(&name.node) {
            self.refer(
                name.span,
                crate::model::Target::Party(name.node.as_str().into()),
            );
            return true;
        }
        if self.full() {
            return false;
        }
        if let Some(group) = self.group_decl(&name.node) {
            self.refer(
                name.span,
                crate::model::Target::Group(name.node.as_str().into()),
            );
            let members: Vec<String> = group
                .members
                .iter()
                .map(|m| format!("`{}`", m.node))
                .collect();
            self.report(
                Diagnostic::error(
                    Code::GroupNotAParty,
                    format!("`{}` is a group of parties, and only one party can stand here", name.node),
                    name.span,
                    "a group, not a party",
                )
                .with_related(group.name.span, "the group is declared here")
                .with_help(format!(
                    "name one party, such as one of the group's members ({}); a group may be named only as the party bound to act (`must EVENT`), forbidden (`must not`) or permitted (`may`), as the grantor or grantee of a grant, and after `by` in an event pattern (a milestone, `on each`, `count`, a suspension, a notice)",
                    members.join(", ")
                )),
            );
            return false;
        }
        let candidates = self.party_names();
        let help = if candidates.is_empty() {
            format!("declare it: `party {} \"Legal name\"`", name.node)
        } else {
            format!(
                "declare it with `party {} \"Legal name\"`, or use one of: {}",
                name.node,
                candidates
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        self.unknown(Code::UnknownParty, "party", name, candidates, help);
        false
    }

    /// Resolves an event type name, reporting it when unknown.
    pub fn resolve_event(&mut self, name: &Name) -> Option<&'a EventDecl> {
        if let Some(decl) = self.event_decl(&name.node) {
            self.refer(
                name.span,
                crate::model::Target::Event(name.node.as_str().into()),
            );
            return Some(decl);
        }
        if self.full() {
            return None;
        }
        let candidates = self.event_names();
        let help = format!(
            "declare it: `event {} by party {{ field: type }}`",
            name.node
        );
        let mut help = help;
        if self.symbols.milestones.contains_key(&name.node) {
            help = format!(
                "`{}` is a milestone, not an event; rules act on events, and milestones are used in windows (`from`, `through`, `until`) and due dates",
                name.node
            );
        }
        self.unknown(Code::UnknownEvent, "event", name, candidates, help);
        None
    }

    /// Resolves a milestone name, reporting it when unknown.
    pub fn resolve_milestone(&mut self, name: &Name) -> bool {
        self.resolve_milestone_where(name, true)
    }

    /// Resolves a milestone where only a milestone may stand (`title
    /// passes to P once M`), not a date.
    pub fn resolve_milestone_only(&mut self, name: &Name) -> bool {
        self.resolve_milestone_where(name, false)
    }

    fn resolve_milestone_where(&mut self, name: &Name, dates_allowed: bool) -> bool {
        if self.symbols.milestones.contains_key(&name.node) {
            self.refer(
                name.span,
                crate::model::Target::Milestone(name.node.as_str().into()),
            );
            return true;
        }
        if self.full() {
            return false;
        }
        // An event type where a milestone belongs: the milestone to declare
        // is the first such event (and no milestone of a like name is it).
        let is_event = self.symbols.events.contains_key(&name.node);
        let candidates = if is_event {
            Vec::new()
        } else {
            self.milestone_names()
        };
        let help = if is_event {
            format!(
                "`{0}` is an event type; a point in time is a date or a milestone: declare `milestone {0}_given \"First {0}\": {0}` and name it here",
                name.node
            )
        } else if dates_allowed {
            format!(
                "declare it: `milestone {} \"Description\": some_event by some_party`, or write a date such as `2032-12-31`",
                name.node
            )
        } else {
            format!(
                "declare it: `milestone {} \"Description\": some_event by some_party` (for a fixed day, `milestone {} \"Description\": 2032-12-31`)",
                name.node, name.node
            )
        };
        self.unknown(Code::UnknownMilestone, "milestone", name, candidates, help);
        false
    }
}

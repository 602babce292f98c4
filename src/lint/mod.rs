//! The lint catalogue: drafting problems in a contract that checks — a
//! party never used, a licence that runs past the term, stakes adding up to
//! more than 100%, an exception that can never apply. Every rule has a
//! stable code (`L0101`), a name (`unused_party`), a default level, and an
//! entry in `docs/lints.md`.
//!
//! Levels are decided in this order: the rule's default; a clause's own
//! `allow NAME because "..."` (for findings about that clause); then the
//! command line (`--allow`, `--deny`, `--deny warnings`), which has the last
//! word.

pub mod facts;
pub mod rules;
pub mod sarif;

use crate::ast::Span;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::model::{Checked, ClauseId};

/// How a finding is treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported; does not fail the command.
    Warn,
    /// Reported; `proviso lint` exits 1.
    Deny,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warning",
            Level::Deny => "error",
        }
    }
}

/// One rule of the catalogue.
#[derive(Debug)]
pub struct Lint {
    pub code: Code,
    pub default: Level,
    /// What the rule finds, in a line (for `--help`-like listings and SARIF).
    pub summary: &'static str,
}

impl Lint {
    /// The name used in `allow` and on the command line: the code's slug
    /// with underscores (`unused_party`).
    pub fn name(&self) -> String {
        self.code.slug().replace('-', "_")
    }

    /// Whether `text` names this rule, by code or by name.
    pub fn is_named(&self, text: &str) -> bool {
        text == self.code.as_str() || text == self.name() || text == self.code.slug()
    }
}

macro_rules! catalogue {
    ($( $code:ident, $level:ident, $summary:literal; )*) => {
        /// Every lint rule, in code order.
        pub const LINTS: &[Lint] = &[
            $( Lint { code: Code::$code, default: Level::$level, summary: $summary }, )*
        ];
    };
}

catalogue! {
    UnknownLint, Warn, "an `allow` names no lint rule";
    UnusedParty, Warn, "a party or a group is declared but no rule, milestone or holding names it";
    UnusedMember, Allow, "a member of a category is declared but no condition names it";
    UnusedEvent, Warn, "an event type is declared but no rule or milestone names it";
    UnusedMilestone, Warn, "a milestone is declared but no window, due date or term names it";
    UnusedDefinition, Warn, "a definition is used by no rule, milestone or other definition";
    TermEndsBeforeStart, Deny, "the term ends before the contract takes effect";
    WindowBeyondTerm, Deny, "a rule's window runs past the end of the term, in a clause that does not survive it";
    FixedDueDateForRecurringPayment, Warn, "a payment that recurs has one fixed due date, before most of the periods it pays for end";
    NoticeBeforeRenewalBegins, Warn, "notice of non-renewal falls due before the renewal period it would end has begun";
    SuspensionEndsAsItBegins, Warn, "the same event begins and ends a suspension, so nothing is ever suspended";
    RightForThePartyInDefault, Warn, "a right that arises on a default is given to the party in default";
    StakesOverHundred, Deny, "the stakes held in one entity add up to more than 100%";
    CapTableNotHundred, Deny, "a cap table declared complete does not add up to 100%";
    ForeignCurrencyAmount, Warn, "an amount is written in another currency than the contract's";
    SubtractionAfterShare, Warn, "an amount subtracts from a share (`P of X - Y`), not from what the share is of, and can go below zero";
    UnroundedInterest, Warn, "late interest is charged with no rounding, so it is owed to many decimal places";
    TierBoundShortOfRoundFigure, Warn, "a tier band stops one cent (or one last decimal) short of a round figure with `through`, so values in between fall in the next band";
    UnroundedMovement, Warn, "an account's movement takes a share or multiplies with no rounding, in a contract that rounds its payments, so the balance carries fractions of a cent";
    FloorShorterThanPayments, Warn, "a floor is reckoned over a shorter period than the payments it counts, so the periods before those payments fall due owe the whole floor";
    AssetSharesBelowWhole, Warn, "the shares of the same assets add up to less than 100%, so part of each asset is owned by no one the contract names";
    ExceptionNeverApplies, Deny, "an exception's scope lies outside the rule it excepts, so it can never apply";
    ExceptionSwallowsRule, Warn, "an exception covers everything the rule it excepts covers, so the rule never applies";
    UnprioritisedConflict, Warn, "a permission and a prohibition can apply to the same act, and neither clause is an exception to the other";
    UnreachableMilestone, Deny, "a milestone's condition can never hold, so what waits for it never happens";
    ObligationWithoutEnd, Warn, "an obligation in a surviving clause has no end of its own, so it never ends";
    ObligationWithoutDueDate, Warn, "an obligation has no due date, so it can never be overdue";
    ClauseWithoutWording, Warn, "a clause with rules quotes none of the contract's wording";
    SkippedClauseNumber, Warn, "clause numbers skip a number";
    ClauseWithoutHeading, Allow, "a clause has no heading";
    TextDirectionControl, Deny, "the clause file holds an invisible character that changes the order text is shown in";
}

/// The catalogue entry of a code.
pub fn lint_of(code: Code) -> Option<&'static Lint> {
    LINTS.iter().find(|l| l.code == code)
}

/// The rule a name or code stands for.
pub fn find(text: &str) -> Option<&'static Lint> {
    LINTS.iter().find(|l| l.is_named(text))
}

/// One finding: a diagnostic (its severity is set from the level), and the
/// clause it is about, whose `allow` annotations apply to it.
#[derive(Clone, Debug)]
pub struct Finding {
    pub lint: &'static Lint,
    pub diagnostic: Diagnostic,
    pub clause: Option<ClauseId>,
    pub level: Level,
}

/// `--allow` and `--deny` from the command line.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Rules switched, by name or code, in the order given (the last wins).
    pub levels: Vec<(String, Level)>,
    /// `--deny warnings`: every warning is an error.
    pub deny_warnings: bool,
}

impl Config {
    /// The names on the command line that are no rule's (and not `warnings`).
    pub fn unknown_names(&self) -> Vec<&str> {
        self.levels
            .iter()
            .map(|(name, _)| name.as_str())
            .filter(|name| find(name).is_none() && *name != "warnings")
            .collect()
    }
}

/// Builds a finding at the rule's default level.
pub(crate) fn finding(
    code: Code,
    message: impl Into<String>,
    span: Span,
    label: impl Into<String>,
    clause: Option<ClauseId>,
) -> Option<Finding> {
    let lint = lint_of(code)?;
    Some(Finding {
        lint,
        diagnostic: Diagnostic::error(code, message, span, label),
        clause,
        level: lint.default,
    })
}

/// The schema name of `proviso lint --format json`.
pub const JSON_SCHEMA: &str = "proviso.lint/1";

/// One file's entry in `proviso lint --format json`: its findings when it
/// checks, else the diagnostics that stop it being linted.
pub fn json_entry(
    source: &crate::source::SourceFile,
    linted: Result<&[Finding], &[crate::diagnostics::Diagnostic]>,
) -> serde_json::Value {
    use crate::diagnostics::to_json;
    match linted {
        Err(diagnostics) => serde_json::json!({
            "file": source.name(),
            "valid": false,
            "diagnostics": diagnostics.iter().map(|d| to_json(source, d)).collect::<Vec<_>>(),
            "findings": [],
        }),
        Ok(findings) => serde_json::json!({
            "file": source.name(),
            "valid": true,
            "diagnostics": [],
            "findings": findings.iter().map(|f| {
                let mut json = to_json(source, &f.diagnostic);
                if let Some(fields) = json.as_object_mut() {
                    fields.insert("level".to_string(), f.level.as_str().into());
                    fields.insert("rule".to_string(), f.lint.name().into());
                }
                json
            }).collect::<Vec<_>>(),
        }),
    }
}

/// Every finding of the catalogue for a contract (`text` is the clause
/// file it was read from), with its level decided (allowed findings are
/// dropped), in source order.
pub fn lint(contract: &Checked, text: &str, config: &Config) -> Vec<Finding> {
    let mut findings = rules::run(contract);
    rules::direction_controls(contract, text, &mut findings);
    for finding in &mut findings {
        finding.level = level_of(finding, contract, config);
        finding.diagnostic.severity = match finding.level {
            Level::Deny => Severity::Error,
            _ => Severity::Warning,
        };
    }
    findings.retain(|f| f.level != Level::Allow);
    findings.sort_by_key(|f| (f.diagnostic.primary.span.start, f.lint.code));
    findings
}

fn level_of(finding: &Finding, contract: &Checked, config: &Config) -> Level {
    let mut level = finding.lint.default;
    let allowed_here = finding
        .clause
        .and_then(|c| contract.clause(c))
        .is_some_and(|clause| {
            clause
                .allows
                .iter()
                .flat_map(|a| a.codes.iter())
                .any(|name| finding.lint.is_named(&name.node))
        });
    if allowed_here {
        level = Level::Allow;
    }
    for (name, switched) in &config.levels {
        if finding.lint.is_named(name) {
            level = *switched;
        }
    }
    if config.deny_warnings && level == Level::Warn {
        level = Level::Deny;
    }
    level
}

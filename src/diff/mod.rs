//! Change review: what changed between two versions of a contract, item by
//! item and value by value, and which party each change favours where that
//! can be told.
//!
//! Nothing is left out: the header, every declaration (parties, categories
//! and their members, periods, event types and their fields, milestones
//! step by step), and every part of every clause (number, heading,
//! exception edges, survival, wording, `allow`s, and each field of each
//! rule). The comparisons destructure every tree node field by field, so a
//! field added to the tree does not compile until the review says how it
//! changes; `tests/review_mutants.rs` checks that each field of the tree,
//! edited once, is reported with its old and new value.
//!
//! Values are compared as proviso would print them on one line
//! ([`crate::syntax::one_line`]), so a change of layout is no change, and a
//! change of meaning always shows its old and new text.
//!
//! Clauses are paired by number; a clause whose number exists in one
//! version only is paired by heading, then by what its rules are about, so
//! that renumbering is seen as such. Inside a pair, rules are paired by what
//! they are about (the payment from A to B, B's stake in C, the licence over
//! releases), then the rules left over by kind, in order.

mod clauses;
mod declarations;
pub mod impact;
mod picks;
pub mod redline;
pub mod report;
mod tiers;

use crate::ast::*;
use crate::model::{Checked, ClauseId};
use crate::source::SourceFile;

pub use redline::{Edit, redline};

/// One version of a contract.
#[derive(Clone, Copy)]
pub struct Version<'a> {
    pub checked: &'a Checked,
    pub source: &'a SourceFile,
}

impl Version<'_> {
    fn clause(&self, index: ClauseId) -> Option<&Clause> {
        self.checked.clause(index)
    }
}

/// How much a change matters to what the contract means, most first: the
/// order a review is read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Materiality {
    /// Amounts, shares, stakes, currencies, rounding.
    Money,
    /// Dates, terms, windows, due dates, milestones, periods.
    Time,
    /// What a rule covers: conditions, carve-outs, exceptions, categories,
    /// event types and their fields.
    Scope,
    /// Who: parties, legal names, debtors and creditors, actors.
    Parties,
    /// Wording, headings, numbers, labels, lint `allow`s.
    Wording,
}

impl Materiality {
    /// The name used in the review's JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Materiality::Money => "money",
            Materiality::Time => "time",
            Materiality::Scope => "scope",
            Materiality::Parties => "parties",
            Materiality::Wording => "wording",
        }
    }
}

/// One difference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detail {
    /// What changed, in words: "the stake of microsoft in openai, percentage".
    pub what: String,
    /// As written in the old and the new version (`None`: absent).
    pub old: Option<String>,
    pub new: Option<String>,
    /// Which party the change favours, and why, when that can be told:
    /// "favours openai: the prohibition is narrower".
    pub favours: Option<String>,
    /// Where it is written in the new version (or the old, if removed).
    pub span: Span,
    pub in_old: bool,
    /// Whether a whole item (a rule, a party, a member, a field) was added
    /// or removed, rather than a part of one changed.
    pub whole: bool,
    pub materiality: Materiality,
    /// For wording: the change word by word.
    pub redline: Option<Vec<Edit>>,
}

/// What happened to one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// What a change is to: the header, a declaration, or a clause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    Header,
    Party(String),
    Group(String),
    Category(String),
    Period(String),
    EventType(String),
    Milestone(String),
    Definition(String),
    Account(String),
    /// The clause in the old and in the new version.
    Clause {
        old: Option<ClauseId>,
        new: Option<ClauseId>,
    },
}

impl Subject {
    /// The kind of item, for the review's JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Subject::Header => "header",
            Subject::Party(_) => "party",
            Subject::Group(_) => "group",
            Subject::Category(_) => "category",
            Subject::Period(_) => "period",
            Subject::EventType(_) => "event",
            Subject::Milestone(_) => "milestone",
            Subject::Definition(_) => "definition",
            Subject::Account(_) => "account",
            Subject::Clause { .. } => "clause",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub subject: Subject,
    pub kind: ChangeKind,
    /// Most material first.
    pub details: Vec<Detail>,
}

impl Change {
    /// The materiality of the change's most material detail.
    pub fn materiality(&self) -> Materiality {
        self.details
            .iter()
            .map(|d| d.materiality)
            .min()
            .unwrap_or(Materiality::Wording)
    }
}

/// The review of a new version against an old one: the header, then the
/// declarations, then the clauses in the new version's order (removed
/// clauses where they stood), sorted (stably) by materiality, the most
/// material first; each change's details are sorted the same way.
pub fn review(old: Version<'_>, new: Version<'_>) -> Vec<Change> {
    let mut changes = declarations::review(old, new);
    changes.extend(clauses::review(old, new));
    for change in &mut changes {
        change.details.sort_by_key(|d| d.materiality);
    }
    changes.sort_by_key(Change::materiality);
    changes
}

/// Collects the details of one change: each value compared as printed,
/// and recorded only when it differs.
struct Details<'a> {
    old: Version<'a>,
    new: Version<'a>,
    out: Vec<Detail>,
    /// Prefixed to what each detail names: "the payment from a to b, ".
    prefix: String,
    /// Where a detail that has no span of its own points.
    fallback: Span,
}

/// A value: as compared (printed by proviso, so that layout is no
/// change), as shown to the reader (as the drafter wrote it, where that
/// differs), and where it is written.
#[derive(Clone, Debug)]
struct Shown {
    key: String,
    text: String,
    span: Span,
}

type Written = Option<Shown>;

impl<'a> Details<'a> {
    fn new(old: Version<'a>, new: Version<'a>, fallback: Span) -> Self {
        Details {
            old,
            new,
            out: Vec::new(),
            prefix: String::new(),
            fallback,
        }
    }

    /// Records `what` changed from `a` to `b` unless both print the same.
    fn value(
        &mut self,
        materiality: Materiality,
        what: &str,
        a: Written,
        b: Written,
        favours: Option<String>,
    ) {
        if a.as_ref().map(|x| &x.key) == b.as_ref().map(|x| &x.key) {
            return;
        }
        let (span, in_old) = match (&b, &a) {
            (Some(x), _) => (x.span, false),
            (None, Some(x)) => (x.span, true),
            (None, None) => (self.fallback, false),
        };
        self.out.push(Detail {
            what: format!("{}{what}", self.prefix),
            old: a.map(|x| x.text),
            new: b.map(|x| x.text),
            favours,
            span,
            in_old,
            whole: false,
            materiality,
            redline: None,
        });
    }

    /// Records a whole item added (`b`) or removed (`a`).
    fn item(
        &mut self,
        materiality: Materiality,
        what: &str,
        a: Written,
        b: Written,
        favours: Option<String>,
    ) {
        let before = self.out.len();
        self.value(materiality, what, a, b, favours);
        if let Some(detail) = self.out.get_mut(before) {
            detail.whole = true;
        }
    }

    /// Compares two lists of items (carve-outs, members, `allow`s) by
    /// what they say, in any order: the items found in one list only are
    /// paired in order as changed, and those left over are added or removed.
    fn set(
        &mut self,
        materiality: Materiality,
        what: &str,
        a: Vec<Shown>,
        b: Vec<Shown>,
        added: Option<String>,
        removed: Option<String>,
    ) {
        let only_b: Vec<Shown> = b
            .iter()
            .filter(|x| !a.iter().any(|y| y.key == x.key))
            .cloned()
            .collect();
        let only_a: Vec<Shown> = a
            .iter()
            .filter(|x| !b.iter().any(|y| y.key == x.key))
            .cloned()
            .collect();
        let paired = only_a.len().min(only_b.len());
        for (x, y) in only_a.iter().zip(&only_b) {
            self.value(materiality, what, Some(x.clone()), Some(y.clone()), None);
        }
        for y in only_b.into_iter().skip(paired) {
            self.item(materiality, what, None, Some(y), added.clone());
        }
        for x in only_a.into_iter().skip(paired) {
            self.item(materiality, what, Some(x), None, removed.clone());
        }
    }

    /// Records a change of wording, with its redline.
    fn wording(&mut self, what: &str, a: Written, b: Written) {
        let before = self.out.len();
        let texts = (
            a.as_ref().map(|x| x.text.clone()),
            b.as_ref().map(|x| x.text.clone()),
        );
        self.value(Materiality::Wording, what, a, b, None);
        if let (Some(detail), (Some(a), Some(b))) = (self.out.get_mut(before), texts) {
            detail.redline = Some(redline(&a, &b));
        }
    }
}

/// A value compared and shown as `text`.
fn at(text: String, span: Span) -> Written {
    Some(Shown {
        key: text.clone(),
        text,
        span,
    })
}

/// A value compared as `key` (as proviso prints it) and shown as the
/// drafter wrote it: `USD 2.5 billion`, not `USD 2,500,000,000.0`.
fn as_written(key: String, version: Version<'_>, span: Span) -> Written {
    Some(Shown {
        key,
        text: version.source.one_line(span),
        span,
    })
}

/// A name as written.
fn name(name: &Name) -> Written {
    at(name.node.clone(), name.span)
}

/// Optional quoted text (a label, a legal name), as written.
fn quoted(text: Option<&Spanned<String>>) -> Written {
    text.and_then(|t| at(crate::syntax::one_line::string(&t.node), t.span))
}

/// Wording with its layout folded: runs of spaces and line breaks as one
/// space (the layout of a quotation carries no meaning).
fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Pairs items of two lists by name: (old, new) in the new list's order,
/// then the removed ones in the old list's order.
fn pair_by_name<'t, T>(
    old: &'t [T],
    new: &'t [T],
    key: impl Fn(&T) -> &str,
) -> Vec<(Option<&'t T>, Option<&'t T>)> {
    let index: std::collections::HashMap<&str, &T> = old.iter().map(|o| (key(o), o)).collect();
    let mut pairs: Vec<(Option<&T>, Option<&T>)> = new
        .iter()
        .map(|n| (index.get(key(n)).copied(), Some(n)))
        .collect();
    let kept: std::collections::HashSet<&str> = new.iter().map(&key).collect();
    pairs.extend(
        old.iter()
            .filter(|o| !kept.contains(key(o)))
            .map(|o| (Some(o), None)),
    );
    pairs
}

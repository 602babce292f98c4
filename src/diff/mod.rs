//! Change review: what changed between two versions of a contract, clause
//! by clause and value by value, and which party each change favours where
//! that can be told.
//!
//! Clauses are paired by number; a clause whose number exists in one
//! version only is paired by heading, then by what its rules are about, so
//! that renumbering is seen as such. Inside a pair, rules are paired by
//! what they are about (the payment from A to B, B's stake in C, the
//! licence over releases, A's prohibition on serving), and their parts
//! compared as written.

pub mod impact;
pub mod report;

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::ast::*;
use crate::check::Checked;
use crate::source::SourceFile;

/// One version of a contract.
#[derive(Clone, Copy)]
pub struct Version<'a> {
    pub checked: &'a Checked,
    pub source: &'a SourceFile,
}

impl Version<'_> {
    /// The text a span covers, on one line.
    fn text(&self, span: Span) -> String {
        self.source.one_line(span)
    }

    fn clause(&self, index: usize) -> Option<&Clause> {
        self.checked.file.clauses.get(index)
    }
}

/// One difference inside a changed clause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detail {
    /// What changed, in words: "microsoft's stake in openai".
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
    /// Whether a whole rule was added or removed (rather than a part of one
    /// changed).
    pub whole_rule: bool,
}

/// What happened to one clause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// Index of the clause in the old and in the new version.
    pub old: Option<usize>,
    pub new: Option<usize>,
    pub details: Vec<Detail>,
}

/// The review of a new version against an old one, in the new version's
/// clause order (removed clauses where they stood).
pub fn review(old: Version<'_>, new: Version<'_>) -> Vec<Change> {
    let pairs = pair_clauses(old, new);
    let mut changes = Vec::new();
    for (o, n) in pairs {
        match (o, n) {
            (Some(o), Some(n)) => {
                let details = compare_clauses(old, o, new, n);
                if !details.is_empty() {
                    changes.push(Change {
                        kind: ChangeKind::Changed,
                        old: Some(o),
                        new: Some(n),
                        details,
                    });
                }
            }
            (None, Some(n)) => {
                let details = new
                    .clause(n)
                    .map(|c| {
                        c.statements
                            .iter()
                            .map(|s| statement_added(new, c, s, false))
                            .collect()
                    })
                    .unwrap_or_default();
                changes.push(Change {
                    kind: ChangeKind::Added,
                    old: None,
                    new: Some(n),
                    details,
                });
            }
            (Some(o), None) => {
                let details = old
                    .clause(o)
                    .map(|c| {
                        c.statements
                            .iter()
                            .map(|s| statement_added(old, c, s, true))
                            .collect()
                    })
                    .unwrap_or_default();
                changes.push(Change {
                    kind: ChangeKind::Removed,
                    old: Some(o),
                    new: None,
                    details,
                });
            }
            (None, None) => {}
        }
    }
    changes
}

/// A key to pair clauses by.
type ClauseKey<'a> = dyn Fn(&Clause) -> Option<String> + 'a;

/// Pairs of (old, new) clause indices, in the new version's order with
/// removed clauses placed after the clause that preceded them.
fn pair_clauses(old: Version<'_>, new: Version<'_>) -> Vec<(Option<usize>, Option<usize>)> {
    let old_clauses = &old.checked.file.clauses;
    let new_clauses = &new.checked.file.clauses;
    let mut partner: Vec<Option<usize>> = vec![None; new_clauses.len()];
    let mut taken: BTreeSet<usize> = BTreeSet::new();
    // Three keys, tried in turn, each looked up in an index of the old
    // clauses not yet paired (so pairing stays linear): the number, the
    // heading, and what the rules are about.
    let number = |c: &Clause| Some(c.number.node.to_string());
    let heading = |c: &Clause| c.heading.as_ref().map(|h| h.node.to_lowercase());
    let subjects = |c: &Clause| {
        let keys: BTreeSet<String> = c.statements.iter().map(key).collect();
        (!keys.is_empty()).then(|| keys.into_iter().collect::<Vec<_>>().join("|"))
    };
    let keys: [&ClauseKey<'_>; 3] = [&number, &heading, &subjects];
    for key_of in keys {
        let mut index: std::collections::HashMap<String, Vec<usize>> =
            std::collections::HashMap::new();
        for (o, clause) in old_clauses.iter().enumerate().rev() {
            if !taken.contains(&o)
                && let Some(k) = key_of(clause)
            {
                index.entry(k).or_default().push(o);
            }
        }
        for (n, clause) in new_clauses.iter().enumerate() {
            if partner.get(n).copied().flatten().is_some() {
                continue;
            }
            let Some(k) = key_of(clause) else { continue };
            // The earliest old clause with this key (the lists were built in reverse).
            if let Some(o) = index.get_mut(&k).and_then(Vec::pop)
                && let Some(slot) = partner.get_mut(n)
            {
                *slot = Some(o);
                taken.insert(o);
            }
        }
    }
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    let mut removed: std::collections::VecDeque<usize> = (0..old_clauses.len())
        .filter(|o| !taken.contains(o))
        .collect();
    for (n, o) in partner.iter().enumerate() {
        // Removed clauses that stood before this one's partner come first.
        if let Some(o) = o {
            while let Some(&r) = removed.front()
                && r < *o
            {
                removed.pop_front();
                pairs.push((Some(r), None));
            }
        }
        pairs.push((*o, Some(n)));
    }
    pairs.extend(removed.into_iter().map(|r| (Some(r), None)));
    pairs
}

/// What a rule is about, to pair it with its counterpart in the other
/// version.
fn key(statement: &Statement) -> String {
    match statement {
        Statement::Pay(p) => format!(
            "pay {} {} {}",
            p.debtor.node,
            p.creditor.node,
            match &p.recurrence {
                None => "once".to_string(),
                Some(Recurrence::EachPeriod(n)) => format!("each {}", n.node),
                Some(Recurrence::EachPeriodField(f)) =>
                    format!("each {}.{}", f.event.node, f.field.node),
                Some(Recurrence::EachEvent(p)) => format!("on each {}", p.event.node),
            }
        ),
        Statement::Do(r) => format!("must {} {}", r.party.node, r.action.event.node),
        Statement::MustNot(r) => format!("must not {} {}", r.party.node, r.action.event.node),
        Statement::May(r) => format!("may {} {}", r.party.node, r.action.event.node),
        Statement::Grant(g) => format!(
            "grant {} {} {}",
            g.grantor.node, g.grantee.node, g.scope.event.node
        ),
        Statement::Exclusion(e) => format!("excludes {}", e.scope.event.node),
        Statement::Holding(h) => format!("holds {} {}", h.holder.node, h.entity.node),
        Statement::CapTable(c) => format!("cap table {}", c.entity.node),
        Statement::Commitment(c) => format!("commits {}", c.party.node),
    }
}

/// A rule in words: "the prohibition of `serve` by openai".
fn describe(statement: &Statement) -> String {
    match statement {
        Statement::Pay(p) => format!("the payment from {} to {}", p.debtor.node, p.creditor.node),
        Statement::Do(r) => format!(
            "the obligation of {} to `{}`",
            r.party.node, r.action.event.node
        ),
        Statement::MustNot(r) => format!(
            "the prohibition of `{}` by {}",
            r.action.event.node, r.party.node
        ),
        Statement::May(r) => format!(
            "the permission for {} to `{}`",
            r.party.node, r.action.event.node
        ),
        Statement::Grant(g) => format!(
            "the {} {} from {} to {} over `{}`",
            if g.exclusive.as_ref().is_some_and(|e| e.node) {
                "exclusive"
            } else {
                "non-exclusive"
            },
            match g.kind.node {
                GrantKind::Licence => "licence",
                GrantKind::Right => "right",
            },
            g.grantor.node,
            g.grantee.node,
            g.scope.event.node
        ),
        Statement::Exclusion(e) => format!("the exclusion of `{}`", e.scope.event.node),
        Statement::Holding(h) => format!("the stake of {} in {}", h.holder.node, h.entity.node),
        Statement::CapTable(c) => format!(
            "the declaration that the cap table of {} is complete",
            c.entity.node
        ),
        Statement::Commitment(c) => format!("the commitment of {}", c.party.node),
    }
}

/// Whom adding a rule (or, `removed`, taking it away) favours, and why.
fn whole_rule_favours(
    version: Version<'_>,
    clause: &Clause,
    statement: &Statement,
    removed: bool,
) -> Option<String> {
    // (the party the rule helps, why; the party it binds, why)
    let (helps, binds): (Role<'_>, Role<'_>) = match statement {
        Statement::Pay(p) => (
            Some((p.creditor.node.clone(), "is paid")),
            Some((p.debtor.node.clone(), "pays")),
        ),
        Statement::Do(r) => (None, Some((r.party.node.clone(), "must act"))),
        Statement::MustNot(r) => (None, Some((r.party.node.clone(), "is forbidden"))),
        Statement::May(r) => (Some((r.party.node.clone(), "is permitted")), None),
        Statement::Grant(g) => (
            Some((g.grantee.node.clone(), "is granted")),
            Some((g.grantor.node.clone(), "grants")),
        ),
        Statement::Commitment(c) => (
            c.beneficiary
                .as_ref()
                .map(|b| (b.node.clone(), "is committed to")),
            Some((c.party.node.clone(), "is committed")),
        ),
        Statement::Exclusion(_) => {
            // An exclusion helps whoever the excepted rule binds.
            let bound = clause
                .exception_to
                .iter()
                .filter_map(|t| {
                    version
                        .checked
                        .file
                        .clauses
                        .iter()
                        .find(|c| c.number.node == t.node)
                })
                .flat_map(|c| c.statements.iter())
                .find_map(|s| match s {
                    Statement::Grant(g) => Some(g.grantor.node.clone()),
                    Statement::Pay(p) => Some(p.debtor.node.clone()),
                    Statement::MustNot(r) | Statement::Do(r) => Some(r.party.node.clone()),
                    Statement::Commitment(c) => Some(c.party.node.clone()),
                    _ => None,
                })?;
            return Some(if removed {
                format!("against {bound}: the rule it excepted covers more again")
            } else {
                format!("favours {bound}: the rule it excepts covers less")
            });
        }
        Statement::Holding(_) | Statement::CapTable(_) => return None,
    };
    match (removed, helps, binds) {
        (false, Some((who, why)), _) => Some(format!("favours {who}, who {why}")),
        (false, None, Some((who, why))) => Some(format!("against {who}, who {why}")),
        (true, _, Some((who, why))) => Some(format!("favours {who}, who {}", no_longer(why))),
        (true, Some((who, why)), None) => Some(format!("against {who}, who {}", no_longer(why))),
        _ => None,
    }
}

/// "is paid" → "is no longer paid"; "pays" → "no longer pays".
fn no_longer(why: &str) -> String {
    match why.strip_prefix("is ") {
        Some(rest) => format!("is no longer {rest}"),
        None => match why.strip_prefix("must ") {
            Some(rest) => format!("need no longer {rest}"),
            None => format!("no longer {why}"),
        },
    }
}

/// A rule added (or, `removed`, taken away), as a detail.
fn statement_added(
    version: Version<'_>,
    clause: &Clause,
    statement: &Statement,
    removed: bool,
) -> Detail {
    let text = version.text(statement.span());
    Detail {
        what: describe(statement),
        old: removed.then(|| text.clone()),
        new: (!removed).then_some(text),
        favours: whole_rule_favours(version, clause, statement, removed),
        span: statement.span(),
        in_old: removed,
        whole_rule: true,
    }
}

fn compare_clauses(old: Version<'_>, o: usize, new: Version<'_>, n: usize) -> Vec<Detail> {
    let (Some(oc), Some(nc)) = (old.clause(o), new.clause(n)) else {
        return Vec::new();
    };
    let mut details = Vec::new();
    let mut clause_level = |what: &str, a: Option<String>, b: Option<String>, span: Span| {
        if a != b {
            details.push(Detail {
                what: what.to_string(),
                old: a,
                new: b,
                favours: None,
                span,
                in_old: false,
                whole_rule: false,
            });
        }
    };
    clause_level(
        "number",
        Some(oc.number.node.to_string()),
        Some(nc.number.node.to_string()),
        nc.number.span,
    );
    clause_level(
        "heading",
        oc.heading.as_ref().map(|h| h.node.clone()),
        nc.heading.as_ref().map(|h| h.node.clone()),
        nc.heading.as_ref().map_or(nc.number.span, |h| h.span),
    );
    let list = |items: &[Spanned<ClauseNumber>]| {
        (!items.is_empty()).then(|| {
            items
                .iter()
                .map(|t| t.node.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    clause_level(
        "exception to",
        list(&oc.exception_to),
        list(&nc.exception_to),
        nc.number.span,
    );
    clause_level(
        "survives the term",
        Some(oc.survives.to_string()),
        Some(nc.survives.to_string()),
        nc.number.span,
    );

    // Rules, paired by what they are about.
    let mut used = vec![false; oc.statements.len()];
    for statement in &nc.statements {
        let k = key(statement);
        let found = oc
            .statements
            .iter()
            .enumerate()
            .find(|(i, s)| !used.get(*i).copied().unwrap_or(true) && key(s) == k);
        match found {
            Some((i, before)) => {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                compare_statements(old, before, new, nc, statement, &mut details);
            }
            None => details.push(statement_added(new, nc, statement, false)),
        }
    }
    for (i, statement) in oc.statements.iter().enumerate() {
        if !used.get(i).copied().unwrap_or(true) {
            details.push(statement_added(old, oc, statement, true));
        }
    }
    // The quoted wording, last and in one line: it does not change what
    // the rules mean, but a reader should know it moved.
    let wording = |c: &Clause| {
        c.wording
            .iter()
            .map(|w| w.node.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
    };
    if wording(oc) != wording(nc) {
        details.push(Detail {
            what: "the quoted wording changed".to_string(),
            old: None,
            new: None,
            favours: None,
            span: nc.wording.first().map_or(nc.number.span, |w| w.span),
            in_old: false,
            whole_rule: false,
        });
    }
    details
}

/// Text as written, and where.
type Written = Option<(String, Span)>;

/// Receives one changed part: what, old, new, and whom it favours.
type PartSink<'a> = dyn FnMut(&str, Written, Written, Option<String>) + 'a;

/// The party a rule helps or binds, and the verb that says how.
type Role<'a> = Option<(String, &'a str)>;

/// One part of a rule, as written in each version.
struct Part {
    what: String,
    old: Option<(String, Span)>,
    new: Option<(String, Span)>,
    favours: Option<String>,
}

fn window_text(version: Version<'_>, window: &Window) -> Option<(String, Span)> {
    let start = window
        .from
        .as_ref()
        .map(|f| f.span)
        .or(window.end.as_ref().map(|e| e.span))?;
    let end = window.end.as_ref().map(|e| e.span).unwrap_or(start);
    let span = Span::new(start.start, end.end.max(start.end));
    Some((version.text(span), span))
}

fn due_text(version: Version<'_>, due: Option<&Due>) -> Option<(String, Span)> {
    let span = match due? {
        Due::On(d) => d.span,
        Due::After { delay, anchor } => Span::new(delay.span.start, anchor.span.end),
    };
    Some((version.text(span), span))
}

fn cond_text(version: Version<'_>, condition: Option<&Condition>) -> Option<(String, Span)> {
    condition.map(|c| (version.text(c.span), c.span))
}

/// The first percentage written in an amount.
fn first_percent(expr: &Expr) -> Option<Decimal> {
    let mut work = vec![expr];
    while let Some(e) = work.pop() {
        if let ExprKind::Percent(p) = e.kind {
            return Some(p);
        }
        let mut children = Vec::new();
        e.push_children(&mut children);
        work.extend(children.into_iter().rev());
    }
    None
}

/// Whether a window's ends, as written, let it run longer (`Some(true)`),
/// shorter (`Some(false)`), or neither can be told.
fn longer(old: &Window, new: &Window) -> Option<bool> {
    // Each end as (through?, what), spans aside.
    let ends = |w: &Window| -> Vec<(bool, Bound)> {
        w.end.as_ref().map_or_else(Vec::new, |e| {
            e.bounds
                .iter()
                .map(|b| match b {
                    EndBound::Through(s) => (true, s.node.clone()),
                    EndBound::Until(s) => (false, s.node.clone()),
                })
                .collect()
        })
    };
    let dates = |w: &Window| -> Option<jiff::civil::Date> {
        w.end
            .as_ref()?
            .bounds
            .iter()
            .filter_map(|b| match b {
                EndBound::Through(s) | EndBound::Until(s) => match &s.node {
                    Bound::Date(DateRef::Date(d)) => Some(*d),
                    _ => None,
                },
            })
            .min()
    };
    let (a, b) = (ends(old), ends(new));
    match (old.end.is_some(), new.end.is_some()) {
        (true, false) => return Some(true),
        (false, true) => return Some(false),
        _ => {}
    }
    if let (Some(x), Some(y)) = (dates(old), dates(new))
        && x != y
    {
        return Some(y > x);
    }
    // With `whichever is earlier`, fewer ends can only mean a later end.
    let contained =
        |small: &[(bool, Bound)], big: &[(bool, Bound)]| small.iter().all(|s| big.contains(s));
    if b.len() < a.len() && contained(&b, &a) {
        return Some(true);
    }
    if a.len() < b.len() && contained(&a, &b) {
        return Some(false);
    }
    None
}

/// Whom a changed window favours: one party if it runs longer, the other
/// if it ends sooner, no one if that cannot be told.
fn window_favours(
    old: &Window,
    new: &Window,
    if_longer: String,
    if_shorter: String,
) -> Option<String> {
    longer(old, new).map(|l| if l { if_longer } else { if_shorter })
}

fn compare_statements(
    old: Version<'_>,
    before: &Statement,
    new: Version<'_>,
    clause: &Clause,
    after: &Statement,
    details: &mut Vec<Detail>,
) {
    let mut parts: Vec<Part> = Vec::new();
    let name = describe(after);
    let mut part = |what: &str,
                    a: Option<(String, Span)>,
                    b: Option<(String, Span)>,
                    favours: Option<String>| {
        if a.as_ref().map(|x| &x.0) != b.as_ref().map(|x| &x.0) {
            parts.push(Part {
                what: format!("{name}, {what}"),
                old: a,
                new: b,
                favours,
            });
        }
    };
    // Carve-outs compared as sets of conditions, each added or removed.
    let carve_outs = |part: &mut PartSink<'_>,
                      a: &[CarveOut],
                      b: &[CarveOut],
                      narrower: String,
                      wider: String| {
        let texts_a: Vec<(String, Span)> = a.iter().map(|c| (old.text(c.span), c.span)).collect();
        let texts_b: Vec<(String, Span)> = b.iter().map(|c| (new.text(c.span), c.span)).collect();
        for t in &texts_b {
            if !texts_a.iter().any(|x| x.0 == t.0) {
                part("carve-out", None, Some(t.clone()), Some(narrower.clone()));
            }
        }
        for t in &texts_a {
            if !texts_b.iter().any(|x| x.0 == t.0) {
                part("carve-out", Some(t.clone()), None, Some(wider.clone()));
            }
        }
    };
    // A condition added narrows a rule; removed, widens it.
    let scope = |a: Option<&Condition>,
                 b: Option<&Condition>,
                 narrower: &str,
                 wider: &str|
     -> Option<String> {
        match (a.is_some(), b.is_some()) {
            (false, true) => Some(narrower.to_string()),
            (true, false) => Some(wider.to_string()),
            _ => None,
        }
    };
    match (before, after) {
        (Statement::Pay(a), Statement::Pay(b)) => {
            let favours = match (first_percent(&a.amount), first_percent(&b.amount)) {
                (Some(x), Some(y)) if y > x => {
                    Some(format!("favours {}: a higher share", b.creditor.node))
                }
                (Some(x), Some(y)) if y < x => {
                    Some(format!("favours {}: a lower share", b.debtor.node))
                }
                _ => None,
            };
            part(
                "amount",
                Some((old.text(a.amount.span), a.amount.span)),
                Some((new.text(b.amount.span), b.amount.span)),
                favours,
            );
            part(
                "window",
                window_text(old, &a.window),
                window_text(new, &b.window),
                window_favours(
                    &a.window,
                    &b.window,
                    format!("favours {}: paid for longer", b.creditor.node),
                    format!("favours {}: pays for less long", b.debtor.node),
                ),
            );
            part(
                "due",
                due_text(old, a.due.as_ref()),
                due_text(new, b.due.as_ref()),
                None,
            );
            carve_outs(
                &mut part,
                &a.carve_outs,
                &b.carve_outs,
                format!("favours {}: pays in fewer cases", b.debtor.node),
                format!("favours {}: paid in more cases", b.creditor.node),
            );
        }
        (Statement::Holding(a), Statement::Holding(b)) => {
            let favours = if b.stake.node < a.stake.node {
                Some(format!("against {}: a lower stake", b.holder.node))
            } else if b.stake.node > a.stake.node {
                Some(format!("favours {}: a higher stake", b.holder.node))
            } else {
                None
            };
            part(
                "percentage",
                Some((format!("{}%", a.stake.node.normalize()), a.stake.span)),
                Some((format!("{}%", b.stake.node.normalize()), b.stake.span)),
                favours,
            );
            part(
                "basis",
                a.basis.as_ref().map(|x| (x.node.clone(), x.span)),
                b.basis.as_ref().map(|x| (x.node.clone(), x.span)),
                None,
            );
            part(
                "valuation",
                a.valuation.as_ref().map(|x| (old.text(x.span), x.span)),
                b.valuation.as_ref().map(|x| (new.text(x.span), x.span)),
                None,
            );
        }
        (Statement::Grant(a), Statement::Grant(b)) => {
            let exclusive = |g: &Grant| {
                g.exclusive
                    .as_ref()
                    .map(|e| if e.node { "exclusive" } else { "non-exclusive" }.to_string())
            };
            let ex_favours = match (exclusive(a).as_deref(), exclusive(b).as_deref()) {
                (Some("exclusive"), Some("non-exclusive")) => {
                    Some(format!("favours {}: no longer exclusive", b.grantor.node))
                }
                (Some("non-exclusive"), Some("exclusive")) => {
                    Some(format!("favours {}: now exclusive", b.grantee.node))
                }
                _ => None,
            };
            let span_of = |g: &Grant| g.exclusive.as_ref().map_or(g.kind.span, |e| e.span);
            part(
                "exclusivity",
                exclusive(a).map(|t| (t, span_of(a))),
                exclusive(b).map(|t| (t, span_of(b))),
                ex_favours,
            );
            part(
                "scope",
                cond_text(old, a.scope.filter.as_ref()),
                cond_text(new, b.scope.filter.as_ref()),
                scope(
                    a.scope.filter.as_ref(),
                    b.scope.filter.as_ref(),
                    &format!("favours {}: covers less", b.grantor.node),
                    &format!("favours {}: covers more", b.grantee.node),
                ),
            );
            part(
                "window",
                window_text(old, &a.window),
                window_text(new, &b.window),
                window_favours(
                    &a.window,
                    &b.window,
                    format!("favours {}: runs longer", b.grantee.node),
                    format!("favours {}: ends sooner", b.grantor.node),
                ),
            );
            carve_outs(
                &mut part,
                &a.carve_outs,
                &b.carve_outs,
                format!("favours {}: covers less", b.grantor.node),
                format!("favours {}: covers more", b.grantee.node),
            );
        }
        (Statement::MustNot(a), Statement::MustNot(b)) => {
            let party = &b.party.node;
            part(
                "scope",
                cond_text(old, a.action.filter.as_ref()),
                cond_text(new, b.action.filter.as_ref()),
                scope(
                    a.action.filter.as_ref(),
                    b.action.filter.as_ref(),
                    &format!("favours {party}: forbids less"),
                    &format!("against {party}: forbids more"),
                ),
            );
            part(
                "window",
                window_text(old, &a.window),
                window_text(new, &b.window),
                None,
            );
            carve_outs(
                &mut part,
                &a.carve_outs,
                &b.carve_outs,
                format!("favours {party}: forbids less"),
                format!("against {party}: forbids more"),
            );
        }
        (Statement::May(a), Statement::May(b)) | (Statement::Do(a), Statement::Do(b)) => {
            let party = &b.party.node;
            let permission = matches!(after, Statement::May(_));
            let (narrower, wider) = if permission {
                (
                    format!("against {party}: permits less"),
                    format!("favours {party}: permits more"),
                )
            } else {
                (
                    format!("favours {party}: requires less"),
                    format!("against {party}: requires more"),
                )
            };
            part(
                "scope",
                cond_text(old, a.action.filter.as_ref()),
                cond_text(new, b.action.filter.as_ref()),
                scope(
                    a.action.filter.as_ref(),
                    b.action.filter.as_ref(),
                    &narrower,
                    &wider,
                ),
            );
            part(
                "window",
                window_text(old, &a.window),
                window_text(new, &b.window),
                None,
            );
            part(
                "due",
                due_text(old, a.due.as_ref()),
                due_text(new, b.due.as_ref()),
                None,
            );
            carve_outs(&mut part, &a.carve_outs, &b.carve_outs, narrower, wider);
        }
        (Statement::Exclusion(a), Statement::Exclusion(b)) => {
            part(
                "scope",
                cond_text(old, a.scope.filter.as_ref()),
                cond_text(new, b.scope.filter.as_ref()),
                None,
            );
        }
        (Statement::Commitment(a), Statement::Commitment(b)) => {
            part(
                "target",
                Some((old.text(a.target.span), a.target.span)),
                Some((new.text(b.target.span), b.target.span)),
                None,
            );
            part(
                "what counts",
                cond_text(old, a.filter.as_ref()),
                cond_text(new, b.filter.as_ref()),
                None,
            );
            part(
                "window",
                window_text(old, &a.window),
                window_text(new, &b.window),
                None,
            );
        }
        _ => {}
    }
    let _ = clause;
    details.extend(parts.into_iter().map(|p| {
        let span = p
            .new
            .as_ref()
            .or(p.old.as_ref())
            .map_or(after.span(), |x| x.1);
        let in_old = p.new.is_none();
        Detail {
            what: p.what,
            old: p.old.map(|x| x.0),
            new: p.new.map(|x| x.0),
            favours: p.favours,
            span,
            in_old,
            whole_rule: false,
        }
    }));
}

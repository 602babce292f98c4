//! Named exceptions: `clause 5.3 ... exception to 5.1`.
//!
//! Every target must exist; no clause may be (directly or through others)
//! an exception to itself; and an exception clause must hold at least one
//! rule that can override a rule of its target on the same kind of event —
//! otherwise it can never apply, which is a drafting error rather than a
//! matter for evaluation to discover.

use super::Checker;
use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic, closest};

/// Whether a rule of the exception clause can override a rule of its target.
fn can_override(exception: &Statement, target: &Statement) -> bool {
    use Statement::*;
    match (exception, target) {
        // An exclusion takes events out of any rule about events.
        (Exclusion(_), Pay(_) | Do(_) | MustNot(_) | May(_) | Grant(_) | Commitment(_)) => true,
        // A permission lifts a prohibition; a prohibition limits a permission or a grant.
        (May(_), MustNot(_)) | (MustNot(_), May(_) | Grant(_)) => true,
        // A more specific rule of the same kind replaces the general one.
        (Pay(_), Pay(_))
        | (Do(_), Do(_))
        | (Grant(_), Grant(_))
        | (Commitment(_), Commitment(_)) => true,
        _ => false,
    }
}

/// The event type a rule is about, if it is about one.
fn event_of(statement: &Statement) -> Option<&str> {
    match statement {
        Statement::Do(r) | Statement::MustNot(r) | Statement::May(r) => Some(&r.action.event.node),
        Statement::Grant(g) => Some(&g.scope.event.node),
        Statement::Exclusion(e) => Some(&e.scope.event.node),
        Statement::Commitment(c) => Some(&c.measure.event.node),
        Statement::Pay(p) => match &p.recurrence {
            Some(Recurrence::EachEvent(pattern)) => Some(&pattern.event.node),
            // Raised per period or once: no single event.
            Some(Recurrence::EachPeriod(_) | Recurrence::EachPeriodField(_)) | None => None,
        },
        // Who owns what is not a rule an exception narrows.
        Statement::Holding(_)
        | Statement::CapTable(_)
        | Statement::Suspension(_)
        | Statement::Cap(_)
        | Statement::Own(_) => None,
    }
}

fn overrides(exception: &Statement, target: &Statement) -> bool {
    if !can_override(exception, target) {
        return false;
    }
    match (event_of(exception), event_of(target)) {
        (Some(a), Some(b)) => a == b,
        // A payment raised per period has no single event; an exclusion of
        // one of its events (or a replacing payment) may still apply.
        _ => true,
    }
}

impl<'a> Checker<'a> {
    pub(super) fn check_exceptions(&mut self) {
        let file = self.file;
        let numbers: Vec<String> = file
            .clauses
            .iter()
            .map(|c| c.number.node.to_string())
            .collect();
        for clause in &file.clauses {
            let mut targets_seen = std::collections::BTreeSet::new();
            for target in &clause.exception_to {
                if self.symbols.clauses.contains_key(&target.node) {
                    self.refer(
                        target.span,
                        crate::model::Target::Clause(target.node.clone()),
                    );
                }
                if !targets_seen.insert(&target.node) {
                    continue; // named twice: one check is enough
                }
                let Some(&index) = self.symbols.clauses.get(&target.node) else {
                    if target.node.0.contains(&0) {
                        continue; // reported when read
                    }
                    let wanted = target.node.to_string();
                    if self.full() || self.unparsed.clauses.contains(&wanted) {
                        continue; // the clause had a syntax error, reported already
                    }
                    let mut diagnostic = Diagnostic::error(
                        Code::DanglingException,
                        format!(
                            "clause {} is an exception to clause {wanted}, which does not exist",
                            clause.number.node
                        ),
                        target.span,
                        "no clause has this number",
                    );
                    diagnostic = match closest(&wanted, numbers.iter().map(String::as_str)) {
                        Some(best) => diagnostic
                            .with_suggestion(best)
                            .with_help(format!("did you mean clause `{best}`? an exception must name an existing clause")),
                        None => diagnostic.with_help("name an existing clause, or remove `exception to`"),
                    };
                    self.report(diagnostic);
                    continue;
                };
                let Some(target_clause) = file.clauses.get(index.index()) else {
                    continue;
                };
                if target_clause.number.node == clause.number.node {
                    continue; // a self-exception is reported as a cycle below
                }
                self.check_exception_applies(clause, target_clause, target.span);
            }
        }
        self.check_exception_cycles();
    }

    fn check_exception_applies(&mut self, clause: &Clause, target: &Clause, at: Span) {
        if clause.statements.is_empty() || target.statements.is_empty() {
            return; // nothing to compare; an empty clause is a lint matter
        }
        // The target's rules, one of each kind and event: a clause of
        // thousands of rules is compared as a handful.
        let mut distinct: Vec<&Statement> = Vec::new();
        for t in &target.statements {
            let seen = distinct.iter().any(|d| {
                std::mem::discriminant(*d) == std::mem::discriminant(t)
                    && event_of(d) == event_of(t)
            });
            if !seen {
                distinct.push(t);
            }
        }
        let applies = clause
            .statements
            .iter()
            .any(|e| distinct.iter().any(|t| overrides(e, t)));
        if applies {
            return;
        }
        let first = clause
            .statements
            .first()
            .map_or(clause.span, Statement::span);
        let target_first = target
            .statements
            .first()
            .map_or(target.span, Statement::span);
        let kinds = |c: &Clause| {
            let mut words: Vec<&str> = c.statements.iter().map(Statement::kind_word).collect();
            words.dedup();
            words.join(", ")
        };
        self.report(
            Diagnostic::error(
                Code::IneffectiveException,
                format!(
                    "clause {} can never be an exception to clause {}",
                    clause.number.node, target.number.node
                ),
                at,
                "declared an exception here",
            )
            .with_related(first, format!("this clause holds a {}", kinds(clause)))
            .with_related(target_first, format!("clause {} holds a {}", target.number.node, kinds(target)))
            .with_help(
                "an exception needs a rule about the same event that can override the target: a `may` lifts a `must not`, a `must not` limits a `may` or a grant, `excludes` takes events out of any rule",
            ),
        );
    }

    /// Finds cycles in the exception graph with an iterative depth-first
    /// search (a chain of ten thousand clauses must not exhaust the stack).
    fn check_exception_cycles(&mut self) {
        let file = self.file;
        let n = file.clauses.len();
        let edges: Vec<Vec<usize>> = file
            .clauses
            .iter()
            .map(|c| {
                c.exception_to
                    .iter()
                    .filter_map(|t| self.symbols.clauses.get(&t.node).map(|id| id.index()))
                    .collect()
            })
            .collect();
        // 0 = unvisited, 1 = on the current path, 2 = done.
        let mut state = vec![0u8; n];
        let mut reported = vec![false; n];
        for root in 0..n {
            if state.get(root) != Some(&0) {
                continue;
            }
            let mut path: Vec<(usize, usize)> = vec![(root, 0)];
            if let Some(s) = state.get_mut(root) {
                *s = 1;
            }
            while let Some(&mut (node, ref mut next)) = path.last_mut() {
                let child = edges.get(node).and_then(|e| e.get(*next)).copied();
                *next += 1;
                match child {
                    None => {
                        if let Some(s) = state.get_mut(node) {
                            *s = 2;
                        }
                        path.pop();
                    }
                    Some(child) => match state.get(child) {
                        Some(0) => {
                            if let Some(s) = state.get_mut(child) {
                                *s = 1;
                            }
                            path.push((child, 0));
                        }
                        Some(1) => {
                            let start = path.iter().position(|(p, _)| *p == child).unwrap_or(0);
                            let cycle: Vec<usize> = path
                                .get(start..)
                                .unwrap_or(&[])
                                .iter()
                                .map(|(p, _)| *p)
                                .collect();
                            if !cycle.iter().any(|c| reported.get(*c) == Some(&true)) {
                                for c in &cycle {
                                    if let Some(r) = reported.get_mut(*c) {
                                        *r = true;
                                    }
                                }
                                self.report_cycle(&cycle);
                            }
                        }
                        _ => {}
                    },
                }
            }
        }
    }

    fn report_cycle(&mut self, cycle: &[usize]) {
        let file = self.file;
        let clauses: Vec<&Clause> = cycle.iter().filter_map(|&i| file.clauses.get(i)).collect();
        let Some(first) = clauses.first() else {
            return;
        };
        let mut names: Vec<String> = clauses.iter().map(|c| c.number.node.to_string()).collect();
        names.push(first.number.node.to_string());
        let chain = if names.len() > 8 {
            let head = names.get(..4).unwrap_or(&[]).join(" → ");
            format!(
                "{head} → … → {} (a circle of {} clauses)",
                first.number.node,
                clauses.len()
            )
        } else {
            names.join(" → ")
        };
        // The place where a clause names the next clause of the circle.
        let target_span = |clause: &Clause, next: &str| {
            clause
                .exception_to
                .iter()
                .find(|t| t.node.to_string() == next)
                .map_or(clause.number.span, |t| t.span)
        };
        let primary = target_span(first, names.get(1).map_or("", String::as_str));
        let mut diagnostic = Diagnostic::error(
            Code::ExceptionCycle,
            format!("exceptions go round in a circle: {chain}"),
            primary,
            format!(
                "clause {} is an exception to clause {}",
                first.number.node,
                names.get(1).map_or("?", String::as_str)
            ),
        );
        // A long circle is shown by its first links; the message names it whole.
        const SHOWN: usize = 12;
        for (i, clause) in clauses.iter().enumerate().skip(1).take(SHOWN) {
            let next = names.get(i + 1).map_or("?", String::as_str);
            let span = target_span(clause, next);
            diagnostic = diagnostic.with_related(
                span,
                format!(
                    "clause {} is an exception to clause {next}",
                    clause.number.node
                ),
            );
        }
        let hidden = clauses.len().saturating_sub(SHOWN + 1);
        let more = if hidden > 0 {
            format!(" ({hidden} more links of the circle are not shown)")
        } else {
            String::new()
        };
        diagnostic = diagnostic.with_help(format!(
            "with a circle no clause can take priority; decide which clause wins and remove `exception to` from the other{more}"
        ));
        self.report(diagnostic);
    }
}

//! The evaluation report: for people (plain text pointing at the clauses),
//! and for tools (JSON, schema `proviso.report/1`, documented in
//! `docs/report.md`). Both list findings in a fixed order, so the same
//! inputs always give the same bytes.

use std::fmt::Write as _;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value as Json, json};

use super::compute::Val;
use super::engine::{
    Act, CapTable, CommitmentProgress, Coverage, Entitlement, MilestoneState, Obligation, Outcome,
    Status, Violation,
};
use super::evaluation::EventNote;
use super::event::PeriodValue;
use super::windows::Days;
use crate::ast::{Clause, Money, Span};
use crate::model::{Checked, ClauseId, PartyId};
use crate::source::SourceFile;
use crate::syntax::group_thousands;

/// What the report is about.
pub struct Inputs<'a> {
    pub contract: &'a Checked,
    pub source: &'a SourceFile,
    pub events_file: &'a str,
    pub outcome: &'a Outcome,
    /// Whether to add the reasoning behind each finding.
    pub explain: bool,
    /// Whether to say where each finding's rule is written (`--> file:line`).
    /// Interpretation snapshots leave it out, so that adding a clause above
    /// does not change every finding below it.
    pub locations: bool,
}

/// An amount with thousands separators and at least two decimals:
/// `USD 1,250,000.00`.
pub fn money_text(money: &Money) -> String {
    format!("{} {}", money.currency, decimal_text(money.amount, 2))
}

/// A decimal with thousands separators, at least `min_dp` decimals, and
/// every decimal the computation produced: `USD 154.320875`.
pub fn decimal_text(value: Decimal, min_dp: u32) -> String {
    let mut v = value.normalize();
    if v.scale() < min_dp {
        v.rescale(min_dp);
    }
    let text = v.abs().to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let sign = if v.is_sign_negative() && !v.is_zero() {
        "-"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{}", group_thousands(whole))
    } else {
        format!("{sign}{}.{fraction}", group_thousands(whole))
    }
}

/// A decimal as written by the computation: `2000000.00` keeps its cents.
fn plain(value: Decimal) -> String {
    value.to_string()
}

impl Inputs<'_> {
    fn clause(&self, index: ClauseId) -> Option<&Clause> {
        self.contract.clause(index)
    }

    fn clause_number(&self, index: ClauseId) -> String {
        self.clause(index)
            .map_or_else(|| "?".to_string(), |c| c.number.node.to_string())
    }

    fn heading(&self, index: ClauseId) -> String {
        self.clause(index)
            .and_then(|c| c.heading.as_ref())
            .map_or_else(String::new, |h| h.node.clone())
    }

    fn party(&self, index: PartyId) -> String {
        self.contract
            .party(index)
            .map_or_else(|| "?".to_string(), |p| p.name.node.clone())
    }

    fn event(&self, seq: usize) -> Option<&EventNote> {
        self.outcome.events.get(&seq)
    }

    fn event_type(&self, event: &EventNote) -> String {
        self.contract
            .event_type(event.kind)
            .map_or_else(|| "?".to_string(), |e| e.name.node.clone())
    }

    /// `#3 serve 2026-08-01 (id s-1)`
    fn event_text(&self, seq: usize) -> String {
        match self.event(seq) {
            Some(e) => {
                let id =
                    e.id.as_ref()
                        .map_or_else(String::new, |id| format!(" (id {id})"));
                format!("#{} {} {}{id}", seq + 1, self.event_type(e), e.date)
            }
            None => format!("#{}", seq + 1),
        }
    }

    /// The first events of a list, and how many more there are: a quarter
    /// of a long history may count thousands (the JSON report lists all).
    fn event_list(&self, seqs: &[usize]) -> String {
        const SHOWN: usize = 10;
        let mut text = seqs
            .iter()
            .take(SHOWN)
            .map(|&s| self.event_text(s))
            .collect::<Vec<_>>()
            .join(", ");
        if seqs.len() > SHOWN {
            let more = group_thousands(&(seqs.len() - SHOWN).to_string());
            let _ = write!(text, " and {more} more");
        }
        text
    }

    fn event_json(&self, seq: usize) -> Json {
        match self.event(seq) {
            Some(e) => json!({
                "index": seq + 1,
                "id": e.id,
                "type": self.event_type(e),
                "date": e.date.to_string(),
            }),
            None => json!({ "index": seq + 1 }),
        }
    }

    /// `contracts/x.proviso:12:3`
    fn location(&self, span: Span) -> String {
        let p = self.source.position(span.start);
        format!("{}:{}:{}", self.source.name(), p.line, p.column)
    }

    fn statement_span(&self, clause: ClauseId) -> Span {
        self.clause(clause)
            .and_then(|c| c.statements.first().map(crate::ast::Statement::span))
            .unwrap_or_default()
    }

    fn source_text(&self, span: Span) -> String {
        self.source.one_line(span)
    }

    /// `2026-Q1` for a quarterly obligation, in the period's own terms.
    fn period_label(&self, clause: ClauseId, period: PeriodValue) -> String {
        let info = self.clause(clause).and_then(|c| {
            c.statements
                .iter()
                .find_map(|s| match &s.as_pay()?.recurrence {
                    Some(crate::ast::Recurrence::EachPeriod(name)) => {
                        self.contract.symbols.periods.get(&name.node)
                    }
                    Some(crate::ast::Recurrence::EachPeriodField(field)) => {
                        let decl = self
                            .contract
                            .event_type(self.contract.event_type_named(&field.event.node)?)?;
                        let ty = &decl
                            .fields
                            .iter()
                            .find(|f| f.name.node == field.field.node)?
                            .ty
                            .node;
                        match ty {
                            crate::ast::TypeName::Named(name) => {
                                self.contract.symbols.periods.get(name)
                            }
                            crate::ast::TypeName::Money
                            | crate::ast::TypeName::Percent
                            | crate::ast::TypeName::Number
                            | crate::ast::TypeName::Count
                            | crate::ast::TypeName::Days
                            | crate::ast::TypeName::Date
                            | crate::ast::TypeName::Text
                            | crate::ast::TypeName::Bool
                            | crate::ast::TypeName::Party => None,
                        }
                    }
                    Some(crate::ast::Recurrence::EachEvent(_)) | None => None,
                })
        });
        match info {
            Some(info) => super::period::label(info, period),
            None => format!("{} to {}", period.first, period.last),
        }
    }

    fn window_text(window: Option<Days>) -> String {
        match window {
            Some(Days {
                first,
                last: Some(last),
            }) => format!("{first} through {last}"),
            Some(Days { first, last: None }) => format!("from {first}, with no end yet"),
            None => "no window".to_string(),
        }
    }

    /// The rule of a clause of the given kind, for the reasoning lines.
    fn rule_line(&self, clause: ClauseId) -> String {
        format!(
            "rule: `{}` (clause {})",
            self.source_text(self.statement_span(clause)),
            self.clause_number(clause)
        )
    }

    /// The reasoning behind an entitlement: the window, then each carve-out
    /// and exception in the order they are weighed, down to the one that
    /// decided.
    fn explain_entitlement(&self, e: &Entitlement) -> Vec<String> {
        let event = self.event_text(e.event);
        let day = self.event(e.event).map(|n| n.date);
        let mut lines = vec![self.rule_line(e.clause)];
        lines.push(format!(
            "{event} produces an asset the grant's scope names; window: {}",
            Self::window_text(e.window)
        ));
        if e.coverage == Coverage::OutsideWindow {
            lines.push(match day {
                Some(day) => format!("{day} is outside the window: not granted"),
                None => "the event is outside the window: not granted".to_string(),
            });
            return lines;
        }
        lines.push("the event falls inside the window".to_string());
        let grant = self.clause(e.clause).and_then(|c| {
            c.statements
                .iter()
                .find_map(crate::ast::Statement::as_grant)
        });
        for carve_out in grant.map_or(&[][..], |g| g.carve_outs.as_slice()) {
            if e.coverage == Coverage::CarvedOut(carve_out.span) {
                lines.push(format!(
                    "carve-out `{}` holds for it: not granted",
                    self.source_text(carve_out.span)
                ));
                return lines;
            }
            lines.push(format!(
                "carve-out `{}` does not hold for it",
                self.source_text(carve_out.span)
            ));
        }
        for &exception in self.contract.exceptions_to(e.clause) {
            if e.coverage == (Coverage::Excluded { clause: exception }) {
                lines.push(format!(
                    "clause {} (\"{}\") is an exception to clause {} and excludes it: not granted",
                    self.clause_number(exception),
                    self.heading(exception),
                    self.clause_number(e.clause)
                ));
                return lines;
            }
            lines.push(format!(
                "clause {} (\"{}\") is an exception to clause {}, but does not exclude it",
                self.clause_number(exception),
                self.heading(exception),
                self.clause_number(e.clause)
            ));
        }
        lines.push("nothing takes it out: granted".to_string());
        lines
    }

    /// The reasoning behind an obligation to act: when it arose, when it
    /// is due, and what performed it.
    fn explain_act(&self, a: &Act) -> Vec<String> {
        let mut lines = vec![self.rule_line(a.clause)];
        lines.push(format!("window: {}", Self::window_text(a.window)));
        lines.push(match a.raised_by {
            Some(seq) => format!("arose on {}, raised by {}", a.raised, self.event_text(seq)),
            None => format!("arose on {}, when the window opened", a.raised),
        });
        let written = self
            .clause(a.clause)
            .and_then(|c| {
                c.statements
                    .iter()
                    .find_map(|s| s.as_duty().and_then(|duty| duty.due.as_ref()))
            })
            .map(|due| match due {
                crate::ast::Due::On(d) => self.source_text(d.span),
                crate::ast::Due::After { delay, anchor } => {
                    self.source_text(Span::new(delay.span.start, anchor.span.end))
                }
            });
        lines.push(match (a.due, written) {
            (Some(due), Some(written)) => format!("due {due}: {written}"),
            (Some(due), None) => format!("due {due}"),
            (None, _) => {
                "no due date (none written, or it counts from a milestone not yet reached)"
                    .to_string()
            }
        });
        let as_of = self.outcome.as_of;
        lines.push(match (a.done_by, a.due) {
            (Some(seq), Some(due)) if a.late => {
                format!("performed by {}, after {due}: late", self.event_text(seq))
            }
            (Some(seq), _) => format!(
                "performed by {}, the first such event of {} on or after the day it arose",
                self.event_text(seq),
                self.party(a.party)
            ),
            (None, Some(due)) if a.status == Status::Overdue => format!(
                "not performed, and {due} is before the as-of date{}: overdue",
                as_of.map_or_else(String::new, |d| format!(" {d}"))
            ),
            (None, _) => "not performed yet, and not yet overdue".to_string(),
        });
        lines
    }

    /// The reasoning behind a payment obligation, line by line.
    fn explain_obligation(&self, o: &Obligation) -> Vec<String> {
        let mut lines = vec![format!(
            "rule: `{}` (clause {})",
            self.source_text(self.statement_span(o.clause)),
            self.clause_number(o.clause)
        )];
        lines.push(format!("window: {}", Self::window_text(o.window)));
        if let Some(period) = o.period {
            lines.push(format!(
                "period: {} ({} to {})",
                self.period_label(o.clause, period),
                period.first,
                period.last
            ));
        }
        if !o.events.is_empty() {
            lines.push(format!("counted: {}", self.event_list(&o.events)));
        }
        match &o.rounding {
            Some(how) => lines.push(format!(
                "amount: {} before rounding; rounded {how}: {}",
                money_text(&o.unrounded),
                money_text(&o.amount)
            )),
            None => lines.push(format!("amount: {}, not rounded", money_text(&o.unrounded))),
        }
        match o.due {
            Some(due) => lines.push(format!("due: {due}")),
            None => lines.push("due: not yet, it counts from a milestone not reached".to_string()),
        }
        let paid = Money {
            currency: o.amount.currency,
            amount: o.paid,
        };
        lines.push(format!(
            "paid: {} of {}",
            money_text(&paid),
            money_text(&o.amount)
        ));
        let as_of = self
            .outcome
            .as_of
            .map_or_else(String::new, |d| d.to_string());
        lines.push(match o.status {
            Status::Discharged => "status: discharged, paid in full".to_string(),
            Status::Overdue => format!(
                "status: overdue, not paid in full and due {} before the as-of date {as_of}",
                o.due.map_or_else(String::new, |d| d.to_string())
            ),
            Status::Open => format!("status: open, not yet due on {as_of}"),
        });
        lines
    }

    /// The reasoning behind a violation or a conflict, line by line.
    fn explain_violation(&self, v: &Violation) -> Vec<String> {
        let mut lines = vec![format!(
            "rule: `{}` (clause {})",
            self.source_text(self.statement_span(v.clause)),
            self.clause_number(v.clause)
        )];
        lines.push(format!(
            "{} matches the rule and falls in its window, {}",
            self.event_text(v.event),
            Self::window_text(Some(v.window))
        ));
        for span in &v.carve_outs {
            lines.push(format!(
                "carve-out `{}` does not hold for it",
                self.source_text(*span)
            ));
        }
        for exception in &v.exceptions {
            lines.push(format!(
                "clause {} (\"{}\") is an exception to this clause, but none of its rules applies to this event",
                self.clause_number(*exception),
                self.heading(*exception)
            ));
        }
        lines.push(match v.conflicting {
            Some(other) => format!(
                "clause {} permits the same event and is not an exception to clause {} (nor the reverse): neither takes priority, so proviso reports the conflict instead of choosing",
                self.clause_number(other),
                self.clause_number(v.clause)
            ),
            None => "nothing permits it: a violation".to_string(),
        });
        lines
    }
}

fn period_json(inputs: &Inputs<'_>, clause: ClauseId, period: Option<PeriodValue>) -> Json {
    match period {
        Some(p) => json!({
            "label": inputs.period_label(clause, p),
            "first": p.first.to_string(),
            "last": p.last.to_string(),
        }),
        None => Json::Null,
    }
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Open => "open",
        Status::Discharged => "discharged",
        Status::Overdue => "overdue",
    }
}

fn date_json(date: Option<Date>) -> Json {
    date.map_or(Json::Null, |d| Json::String(d.to_string()))
}

/// The report as JSON.
/// The JSON report (`proviso.report/1`), written as it is produced: one
/// finding at a time, so that the report of a long history never sits in
/// memory as one tree. Keys come in alphabetical order, as everywhere in
/// proviso's JSON.
pub struct JsonReport<'a, 'i>(pub &'a Inputs<'i>);

/// A list serialized from an iterator made on demand.
struct Lazy<F>(F);

impl<F, I> Serialize for Lazy<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// A finding whose lists of events (which may run to millions) are
/// written one event at a time, merged in key order with its other fields.
struct WithEvents<'a> {
    inputs: &'a Inputs<'a>,
    /// Named lists of event `seq`s.
    lists: Vec<(&'static str, &'a [usize])>,
    rest: Json,
}

impl Serialize for WithEvents<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let empty = serde_json::Map::new();
        let fields = self.rest.as_object().unwrap_or(&empty);
        let lists = &self.lists;
        let mut keys: Vec<&str> = fields.keys().map(String::as_str).collect();
        keys.extend(lists.iter().map(|(name, _)| *name));
        keys.sort_unstable();
        keys.dedup();
        let mut map = serializer.serialize_map(Some(keys.len()))?;
        for key in keys {
            if let Some((_, seqs)) = lists.iter().find(|(name, _)| *name == key) {
                let inputs = self.inputs;
                map.serialize_entry(key, &Lazy(|| seqs.iter().map(|&s| inputs.event_json(s))))?;
            } else if let Some(value) = fields.get(key) {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

impl Serialize for JsonReport<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let inputs = self.0;
        let outcome = inputs.outcome;
        let title = inputs
            .contract
            .file
            .header
            .as_ref()
            .map(|h| h.title.node.clone());
        let mut map = serializer.serialize_map(Some(12))?;
        map.serialize_entry(
            "acts",
            &Lazy(|| outcome.acts.iter().map(|a| act_json(inputs, a))),
        )?;
        map.serialize_entry("as_of", &date_json(outcome.as_of))?;
        map.serialize_entry(
            "cap_tables",
            &Lazy(|| outcome.cap_tables.iter().map(|t| cap_table_json(inputs, t))),
        )?;
        map.serialize_entry(
            "commitments",
            &Lazy(|| {
                outcome
                    .commitments
                    .iter()
                    .map(|c| commitment_json(inputs, c))
            }),
        )?;
        map.serialize_entry(
            "contract",
            &json!({ "file": inputs.source.name(), "title": title }),
        )?;
        map.serialize_entry(
            "entitlements",
            &Lazy(|| {
                outcome
                    .entitlements
                    .iter()
                    .map(|e| entitlement_json(inputs, e))
            }),
        )?;
        map.serialize_entry(
            "events",
            &json!({ "file": inputs.events_file, "read": outcome.read, "considered": outcome.considered }),
        )?;
        map.serialize_entry(
            "milestones",
            &Lazy(|| outcome.milestones.iter().map(|m| milestone_json(inputs, m))),
        )?;
        map.serialize_entry(
            "obligations",
            &Lazy(|| {
                outcome
                    .obligations
                    .iter()
                    .map(|o| obligation_json(inputs, o))
            }),
        )?;
        map.serialize_entry("schema", "proviso.report/1")?;
        map.serialize_entry("summary", &summary_json(outcome))?;
        map.serialize_entry(
            "violations",
            &Lazy(|| outcome.violations.iter().map(|v| violation_json(inputs, v))),
        )?;
        map.end()
    }
}

fn milestone_json(inputs: &Inputs<'_>, m: &MilestoneState) -> Json {
    let decl = inputs.contract.milestone(m.milestone);
    json!({
        "name": decl.map(|d| d.name.node.clone()),
        "label": decl.and_then(|d| d.label.as_ref()).map(|l| l.node.clone()),
        "reached": m.reached.is_some(),
        "date": date_json(m.reached.as_ref().map(|r| r.date)),
        "events": m.reached.as_ref().map_or_else(Vec::new, |r| r.events.iter().map(|&s| inputs.event_json(s)).collect()),
    })
}

fn obligation_json<'a>(inputs: &'a Inputs<'a>, o: &'a Obligation) -> WithEvents<'a> {
    WithEvents {
        inputs,
        lists: vec![("events", &o.events), ("payments", &o.payments)],
        rest: obligation_fields(inputs, o),
    }
}

fn obligation_fields(inputs: &Inputs<'_>, o: &Obligation) -> Json {
    json!({
        "clause": inputs.clause_number(o.clause),
        "heading": inputs.heading(o.clause),
        "debtor": inputs.party(o.debtor),
        "creditor": inputs.party(o.creditor),
        "amount": plain(o.amount.amount),
        "currency": o.amount.currency.as_str(),
        "paid": plain(o.paid),
        "period": period_json(inputs, o.clause, o.period),
        "due": date_json(o.due),
        "status": status_word(o.status),
        "explain": if inputs.explain { Json::from(inputs.explain_obligation(o)) } else { Json::Null },
    })
}

fn act_json(inputs: &Inputs<'_>, a: &Act) -> Json {
    json!({
        "clause": inputs.clause_number(a.clause),
        "heading": inputs.heading(a.clause),
        "party": inputs.party(a.party),
        "action": inputs.contract.event_type(a.action).map(|e| e.name.node.clone()),
        "due": date_json(a.due),
        "status": status_word(a.status),
        "late": a.late,
        "raised_by": a.raised_by.map(|s| inputs.event_json(s)),
        "done_by": a.done_by.map(|s| inputs.event_json(s)),
        "explain": if inputs.explain { Json::from(inputs.explain_act(a)) } else { Json::Null },
    })
}

fn violation_json(inputs: &Inputs<'_>, v: &Violation) -> Json {
    json!({
        "kind": if v.conflicting.is_some() { "conflict" } else { "violation" },
        "clause": inputs.clause_number(v.clause),
        "heading": inputs.heading(v.clause),
        "event": inputs.event_json(v.event),
        "conflicting_clause": v.conflicting.map(|c| inputs.clause_number(c)),
        "carve_outs_considered": v.carve_outs.iter().map(|s| inputs.source_text(*s)).collect::<Vec<_>>(),
        "exceptions_considered": v.exceptions.iter().map(|c| inputs.clause_number(*c)).collect::<Vec<_>>(),
        "explain": if inputs.explain { Json::from(inputs.explain_violation(v)) } else { Json::Null },
    })
}

fn entitlement_json(inputs: &Inputs<'_>, e: &Entitlement) -> Json {
    let (covered, reason) = coverage_words(inputs, &e.coverage);
    json!({
        "clause": inputs.clause_number(e.clause),
        "heading": inputs.heading(e.clause),
        "grantee": inputs.party(e.grantee),
        "event": inputs.event_json(e.event),
        "covered": covered,
        "reason": reason,
        "explain": if inputs.explain { Json::from(inputs.explain_entitlement(e)) } else { Json::Null },
    })
}

fn commitment_json<'a>(inputs: &'a Inputs<'a>, c: &'a CommitmentProgress) -> WithEvents<'a> {
    WithEvents {
        inputs,
        lists: vec![("events", &c.events)],
        rest: commitment_fields(inputs, c),
    }
}

fn commitment_fields(inputs: &Inputs<'_>, c: &CommitmentProgress) -> Json {
    let (target, currency) = match &c.target {
        Val::Money(m) => (plain(m.amount), Some(m.currency.as_str().to_string())),
        Val::Number(n) => (plain(*n), None),
        _ => (String::new(), None),
    };
    json!({
        "clause": inputs.clause_number(c.clause),
        "heading": inputs.heading(c.clause),
        "party": inputs.party(c.party),
        "target": target,
        "currency": currency,
        "fulfilled": plain(c.fulfilled),
        "remaining": plain(c.remaining),
    })
}

fn cap_table_json(inputs: &Inputs<'_>, t: &CapTable) -> Json {
    json!({
        "entity": inputs.party(t.entity),
        "complete": t.complete,
        "total_percent": plain(t.total),
        "stakes": t.stakes.iter().map(|s| json!({
            "clause": inputs.clause_number(s.clause),
            "holder": inputs.party(s.holder),
            "percent": plain(s.percent),
            "basis": s.basis,
            "valuation": s.valuation.map(|v| plain(v.amount)),
            "currency": s.valuation.map(|v| v.currency.as_str().to_string()),
            "implied_entity_value": s.implied_entity_value.map(|v| plain(v.amount.round_dp(2))),
        })).collect::<Vec<_>>(),
    })
}

fn summary_json(outcome: &Outcome) -> Json {
    let count = |s: Status| outcome.obligations.iter().filter(|o| o.status == s).count();
    let acts = |s: Status| outcome.acts.iter().filter(|a| a.status == s).count();
    json!({
        "obligations": outcome.obligations.len(),
        "open": count(Status::Open),
        "discharged": count(Status::Discharged),
        "overdue": count(Status::Overdue),
        "acts": outcome.acts.len(),
        "acts_overdue": acts(Status::Overdue),
        "violations": outcome.violations.iter().filter(|v| v.conflicting.is_none()).count(),
        "conflicts": outcome.violations.iter().filter(|v| v.conflicting.is_some()).count(),
        "entitlements": outcome.entitlements.len(),
        "milestones_reached": outcome.milestones.iter().filter(|m| m.reached.is_some()).count(),
    })
}

fn coverage_words(inputs: &Inputs<'_>, coverage: &Coverage) -> (bool, String) {
    match coverage {
        Coverage::Covered => (true, "covered".to_string()),
        Coverage::OutsideWindow => (false, "outside the grant's window".to_string()),
        Coverage::CarvedOut(span) => (false, format!("carved out: {}", inputs.source_text(*span))),
        Coverage::Excluded { clause } => (
            false,
            format!(
                "excluded by clause {} ({})",
                inputs.clause_number(*clause),
                inputs.heading(*clause)
            ),
        ),
    }
}

/// The closing lines of a finding: its reasoning (with `--explain`) and
/// where its rule is written.
fn close_finding(
    out: &mut String,
    inputs: &Inputs<'_>,
    why: impl FnOnce() -> Vec<String>,
    clause: ClauseId,
) {
    if inputs.explain {
        for line in why() {
            let _ = writeln!(out, "    why: {line}");
        }
    }
    if inputs.locations {
        let _ = writeln!(
            out,
            "    --> {}",
            inputs.location(inputs.statement_span(clause))
        );
    }
}

/// The report for people.
pub fn human(inputs: &Inputs<'_>) -> String {
    let outcome = inputs.outcome;
    let mut out = String::new();
    let title = inputs
        .contract
        .file
        .header
        .as_ref()
        .map_or_else(String::new, |h| h.title.node.clone());
    let as_of = outcome
        .as_of
        .map_or_else(|| "?".to_string(), |d| d.to_string());
    let _ = writeln!(out, "{title}, as of {as_of}");
    let later = outcome.read.saturating_sub(outcome.considered);
    let _ = write!(
        out,
        "{} read from {}",
        count(outcome.read as u64, "event", "events"),
        inputs.events_file
    );
    if later > 0 {
        let _ = write!(out, "; {later} dated after {as_of} not considered");
    }
    out.push_str("\n\n");

    if !outcome.milestones.is_empty() {
        out.push_str("Milestones\n");
        for m in &outcome.milestones {
            let name = inputs
                .contract
                .milestone(m.milestone)
                .map_or("?", |d| d.name.node.as_str());
            match &m.reached {
                Some(r) => {
                    let events = inputs.event_list(&r.events);
                    let _ = writeln!(out, "  {name}: reached {} by {events}", r.date);
                }
                None => {
                    let _ = writeln!(out, "  {name}: not reached");
                }
            }
        }
        out.push('\n');
    }

    if !outcome.obligations.is_empty() {
        out.push_str("Obligations\n");
        for o in &outcome.obligations {
            let clause = o.clause;
            let _ = write!(
                out,
                "  clause {} \"{}\": {} owes {} {}",
                inputs.clause_number(clause),
                inputs.heading(clause),
                inputs.party(o.debtor),
                inputs.party(o.creditor),
                money_text(&o.amount)
            );
            if let Some(period) = o.period {
                let _ = write!(out, " for {}", inputs.period_label(clause, period));
            }
            match o.due {
                Some(due) => {
                    let _ = write!(out, ", due {due}");
                }
                None => out.push_str(", not yet due"),
            }
            let _ = writeln!(out, ": {}", status_word(o.status).to_uppercase());
            if !o.paid.is_zero() && o.status != Status::Discharged {
                let _ = writeln!(
                    out,
                    "    paid so far {}",
                    money_text(&Money {
                        currency: o.amount.currency,
                        amount: o.paid
                    })
                );
            }
            if !o.events.is_empty() {
                let _ = writeln!(out, "    from {}", inputs.event_list(&o.events));
            }
            if !o.payments.is_empty() {
                let _ = writeln!(out, "    paid by {}", inputs.event_list(&o.payments));
            }
            close_finding(&mut out, inputs, || inputs.explain_obligation(o), clause);
        }
        out.push('\n');
    }

    if !outcome.acts.is_empty() {
        out.push_str("Obligations to act\n");
        for a in &outcome.acts {
            let action = inputs
                .contract
                .event_type(a.action)
                .map_or("?", |e| e.name.node.as_str());
            let _ = write!(
                out,
                "  clause {} \"{}\": {} must {action}",
                inputs.clause_number(a.clause),
                inputs.heading(a.clause),
                inputs.party(a.party)
            );
            match a.due {
                Some(due) => {
                    let _ = write!(out, ", due {due}");
                }
                None => out.push_str(", no due date yet"),
            }
            let late = if a.late { " (LATE)" } else { "" };
            let _ = writeln!(out, ": {}{late}", status_word(a.status).to_uppercase());
            if let Some(seq) = a.raised_by {
                let _ = writeln!(out, "    from {}", inputs.event_text(seq));
            }
            if let Some(seq) = a.done_by {
                let _ = writeln!(out, "    done by {}", inputs.event_text(seq));
            }
            close_finding(&mut out, inputs, || inputs.explain_act(a), a.clause);
        }
        out.push('\n');
    }

    if !outcome.violations.is_empty() {
        out.push_str("Violations\n");
        for v in &outcome.violations {
            let clause = v.clause;
            let word = if v.conflicting.is_some() {
                "CONFLICT"
            } else {
                "VIOLATION"
            };
            let _ = writeln!(
                out,
                "  {word} of clause {} \"{}\" by {}",
                inputs.clause_number(clause),
                inputs.heading(clause),
                inputs.event_text(v.event)
            );
            for span in &v.carve_outs {
                let _ = writeln!(
                    out,
                    "    carve-out considered, did not apply: {}",
                    inputs.source_text(*span)
                );
            }
            for exception in &v.exceptions {
                let _ = writeln!(
                    out,
                    "    exception considered, did not apply: clause {} \"{}\"",
                    inputs.clause_number(*exception),
                    inputs.heading(*exception)
                );
            }
            if let Some(other) = v.conflicting {
                let _ = writeln!(
                    out,
                    "    clause {} \"{}\" permits it, and neither clause is an exception to the other",
                    inputs.clause_number(other),
                    inputs.heading(other)
                );
            }
            close_finding(&mut out, inputs, || inputs.explain_violation(v), clause);
        }
        out.push('\n');
    }

    if !outcome.entitlements.is_empty() {
        out.push_str("Entitlements\n");
        for e in &outcome.entitlements {
            let (covered, reason) = coverage_words(inputs, &e.coverage);
            let _ = writeln!(
                out,
                "  clause {} \"{}\": {} {} {}: {reason}",
                inputs.clause_number(e.clause),
                inputs.heading(e.clause),
                inputs.event_text(e.event),
                if covered {
                    "is granted to"
                } else {
                    "is not granted to"
                },
                inputs.party(e.grantee),
            );
            if inputs.explain {
                close_finding(&mut out, inputs, || inputs.explain_entitlement(e), e.clause);
            }
        }
        out.push('\n');
    }

    if !outcome.commitments.is_empty() {
        out.push_str("Commitments\n");
        for c in &outcome.commitments {
            let as_money = |amount: Decimal| match &c.target {
                Val::Money(m) => money_text(&Money {
                    currency: m.currency,
                    amount,
                }),
                _ => decimal_text(amount, 0),
            };
            let target = match &c.target {
                Val::Money(m) => money_text(m),
                Val::Number(n) => decimal_text(*n, 0),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "  clause {} \"{}\": {} has fulfilled {} of {}; {} remains",
                inputs.clause_number(c.clause),
                inputs.heading(c.clause),
                inputs.party(c.party),
                as_money(c.fulfilled),
                target,
                as_money(c.remaining),
            );
        }
        out.push('\n');
    }

    if !outcome.cap_tables.is_empty() {
        out.push_str("Cap tables\n");
        for t in &outcome.cap_tables {
            let complete = if t.complete {
                ", declared complete"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  {}: stakes add up to {}%{complete}",
                inputs.party(t.entity),
                decimal_text(t.total, 0)
            );
            for s in &t.stakes {
                let _ = write!(
                    out,
                    "    {} holds {}% (clause {})",
                    inputs.party(s.holder),
                    decimal_text(s.percent, 0),
                    inputs.clause_number(s.clause)
                );
                if let (Some(v), Some(implied)) = (s.valuation, s.implied_entity_value) {
                    let rounded = Money {
                        currency: implied.currency,
                        amount: implied.amount.round_dp(2),
                    };
                    let _ = write!(
                        out,
                        ", valued at {}, implying {} for the whole",
                        money_text(&v),
                        money_text(&rounded)
                    );
                }
                out.push('\n');
            }
        }
        out.push('\n');
    }

    let summary = summary_json(outcome);
    let n = |key: &str| summary.get(key).and_then(Json::as_u64).unwrap_or(0);
    let _ = write!(
        out,
        "{} ({} open, {} discharged, {} overdue), ",
        count(n("obligations"), "obligation", "obligations"),
        n("open"),
        n("discharged"),
        n("overdue"),
    );
    if n("acts") > 0 {
        let _ = write!(
            out,
            "{} ({} overdue), ",
            count(n("acts"), "obligation to act", "obligations to act"),
            n("acts_overdue")
        );
    }
    let _ = writeln!(
        out,
        "{}, {}",
        count(n("violations"), "violation", "violations"),
        count(n("conflicts"), "conflict", "conflicts")
    );
    out
}

/// `1 event`, `2 events`.
fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn amounts_are_written_with_separators_and_cents() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(decimal_text(d("2000000"), 2), "2,000,000.00");
        assert_eq!(decimal_text(d("154.320875"), 2), "154.320875");
        assert_eq!(decimal_text(d("-1234.5"), 2), "-1,234.50");
        assert_eq!(decimal_text(d("0"), 0), "0");
    }
}

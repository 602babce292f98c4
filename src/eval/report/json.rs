//! The JSON report (`proviso.report/1`, documented in `docs/report.md`).

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value as Json, json};

use super::*;
use crate::eval::compute::Val;
use crate::eval::event::PeriodValue;
use crate::eval::outcome::{
    AccountStatement, Act, AssetShare, CapTable, CommitmentProgress, CommitmentStatus, CureState,
    Entitlement, Ground, MilestoneState, Moved, Obligation, Outcome, Permitted, RightAvailable,
    RunningUnit, Status, Suspended, Violation,
};
use crate::model::ClauseId;

/// A decimal as written by the computation: `2000000.00` keeps its cents.
fn plain(value: Decimal) -> String {
    value.to_string()
}

fn period_json(inputs: &Inputs<'_>, clause: ClauseId, period: Option<PeriodValue>) -> Json {
    period_json_of(inputs, clause, None, period)
}

/// As [`period_json`], labelled in the terms of the rule written at `rule`.
fn period_json_of(
    inputs: &Inputs<'_>,
    clause: ClauseId,
    rule: Option<crate::ast::Span>,
    period: Option<PeriodValue>,
) -> Json {
    match period {
        Some(p) => json!({
            "label": match rule {
                Some(rule) => inputs.rule_period_label(clause, rule, p),
                None => inputs.period_label(clause, p),
            },
            "first": p.first.to_string(),
            "last": p.last.to_string(),
        }),
        None => Json::Null,
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
        // Every part of the outcome, so that a new kind of finding does not
        // compile until the report says how it is written.
        let Outcome {
            as_of,
            milestones,
            obligations,
            acts,
            violations,
            permissions,
            rights,
            entitlements,
            commitments,
            cap_tables,
            assets,
            accounts,
            term,
            suspensions,
            exercised: _,
            events: _,
            read,
            considered,
        } = outcome;
        let title = inputs
            .contract
            .file
            .header
            .as_ref()
            .map(|h| h.title.node.clone());
        let mut map = serializer.serialize_map(Some(17))?;
        map.serialize_entry(
            "accounts",
            &Lazy(|| accounts.iter().map(|s| account_json(inputs, s))),
        )?;
        map.serialize_entry("acts", &Lazy(|| acts.iter().map(|a| act_json(inputs, a))))?;
        map.serialize_entry("as_of", &date_json(*as_of))?;
        map.serialize_entry(
            "assets",
            &Lazy(|| assets.iter().map(|a| asset_json(inputs, a))),
        )?;
        map.serialize_entry(
            "cap_tables",
            &Lazy(|| cap_tables.iter().map(|t| cap_table_json(inputs, t))),
        )?;
        map.serialize_entry(
            "commitments",
            &Lazy(|| commitments.iter().map(|c| commitment_json(inputs, c))),
        )?;
        map.serialize_entry(
            "contract",
            &json!({
                "file": inputs.source.name(),
                "title": title,
                "term": term.as_ref().map(|t| json!({
                    "from": t.days.first.to_string(),
                    "through": date_json(t.days.last),
                    "renewals": t.renewals,
                    "renewal_stopped_by": t.stopped_by.map(|seq| inputs.event_json(seq)),
                    "notice_by": date_json(t.notice_by),
                })),
            }),
        )?;
        map.serialize_entry(
            "entitlements",
            &Lazy(|| entitlements.iter().map(|e| entitlement_json(inputs, e))),
        )?;
        map.serialize_entry(
            "events",
            &json!({ "file": inputs.events_file, "read": read, "considered": considered }),
        )?;
        map.serialize_entry(
            "milestones",
            &Lazy(|| milestones.iter().map(|m| milestone_json(inputs, m))),
        )?;
        map.serialize_entry(
            "obligations",
            &Lazy(|| obligations.iter().map(|o| obligation_json(inputs, o))),
        )?;
        map.serialize_entry(
            "permissions",
            &Lazy(|| permissions.iter().map(|p| permission_json(inputs, p))),
        )?;
        map.serialize_entry(
            "rights",
            &Lazy(|| rights.iter().map(|r| right_json(inputs, r))),
        )?;
        map.serialize_entry("schema", "proviso.report/1")?;
        map.serialize_entry("summary", &summary_json(outcome))?;
        map.serialize_entry(
            "suspensions",
            &Lazy(|| suspensions.iter().map(|s| suspension_json(inputs, s))),
        )?;
        map.serialize_entry(
            "violations",
            &Lazy(|| violations.iter().map(|v| violation_json(inputs, v))),
        )?;
        map.end()
    }
}

fn account_json(inputs: &Inputs<'_>, s: &AccountStatement) -> Json {
    let account = inputs.account(s);
    json!({
        "name": account.map(|a| a.name.node.clone()),
        "label": account.and_then(|a| a.label.as_ref()).map(|l| l.node.clone()),
        "currency": s.opening.currency.as_str(),
        "opening": plain(s.opening.amount),
        "opens": s.opens.to_string(),
        "balance": s.balance.map(|b| plain(b.amount)),
        "movements": s.entries.iter().map(|e| json!({
            "date": e.date.to_string(),
            "direction": e.direction.word(),
            "amount": plain(e.amount.amount),
            "balance": plain(e.balance.amount),
            "event": e.event.map(|seq| inputs.event_json(seq)),
            "when": account.map(|a| inputs.movement_when(a, e)),
            "explain": match account {
                Some(a) if inputs.explain => Json::from(inputs.explain_entry(a, e)),
                _ => Json::Null,
            },
        })).collect::<Vec<_>>(),
    })
}

fn running_unit(unit: RunningUnit) -> &'static str {
    match unit {
        RunningUnit::Money(_) => "money",
        RunningUnit::Number => "number",
        RunningUnit::Percent => "percent",
        RunningUnit::Days => "days",
        RunningUnit::Months => "months",
        RunningUnit::Events => "events",
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
        "running": m.running.iter().map(|r| json!({
            "measure": r.measure,
            "so_far": plain(r.so_far),
            "threshold": plain(r.threshold),
            "unit": running_unit(r.unit),
            "currency": match r.unit {
                RunningUnit::Money(c) => Some(c.as_str().to_string()),
                RunningUnit::Number | RunningUnit::Percent | RunningUnit::Days | RunningUnit::Months | RunningUnit::Events => None,
            },
            "reached": r.reached,
        })).collect::<Vec<_>>(),
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
        "period": period_json_of(inputs, o.clause, Some(o.rule), o.period),
        "due": date_json(o.due),
        "status": status_word(o.status),
        "discharged_on": date_json(o.discharged_on),
        "prorated": o.prorated.map(|(inside, days)| json!({"days_in_window": inside, "days_in_period": days})),
        "days_late": o.days_late(),
        "cure": o.cure.map(|c| cure_json(inputs, c)),
        "due_moved": moved_json(inputs, &o.moved),
        "capped": o.capped.iter().map(|c| json!({
            "clause": inputs.clause_number(c.clause),
            "before": plain(c.before.amount),
            "cap": plain(c.cap.amount),
            "period": c.period.map(|p| json!({
                "label": inputs.capped_period(c),
                "first": p.first.to_string(),
                "last": p.last.to_string(),
            })),
            "earlier": plain(c.earlier.amount),
        })).collect::<Vec<_>>(),
        "source": o.source.as_str(),
        "late_interest": o.interest.as_ref().map(|i| json!({
            "amount": plain(i.amount.amount),
            "yearly_percent": plain(i.yearly_percent.normalize()),
            "day_count": i.day_count.as_str(),
            "compounding": i.compounding.map(|c| match c {
                crate::ast::RatePeriod::Month => "monthly",
                crate::ast::RatePeriod::Year => "yearly",
            }),
            "stretches": i.stretches.iter().map(|(from, to, unpaid, days)| json!({
                "from": from.to_string(),
                "to": to.to_string(),
                "unpaid": plain(*unpaid),
                "days": days,
            })).collect::<Vec<_>>(),
        })),
        "explain": if inputs.explain { Json::from(inputs.explain_obligation(o)) } else { Json::Null },
    })
}

fn cure_json(inputs: &Inputs<'_>, cure: CureState) -> Json {
    let notice = |n: Option<usize>| n.map(|seq| inputs.event_json(seq));
    match cure {
        CureState::AwaitingNotice => {
            json!({"state": "awaiting_notice", "notice": null, "from": null, "until": null, "on": null})
        }
        CureState::InCure {
            notice: n,
            from,
            until,
        } => json!({
            "state": "in_cure", "notice": notice(n), "from": from.to_string(), "until": until.to_string(), "on": null,
        }),
        CureState::Cured {
            notice: n,
            on,
            until,
        } => json!({
            "state": "cured", "notice": notice(n), "from": null, "until": date_json(until), "on": on.to_string(),
        }),
        CureState::Defaulted { notice: n, until } => json!({
            "state": "defaulted", "notice": notice(n), "from": null, "until": until.to_string(), "on": null,
        }),
    }
}

/// A stretch of a suspension: the clause that suspends, its days and the
/// events that began and ended it.
fn suspension_json(inputs: &Inputs<'_>, s: &Suspended) -> Json {
    json!({
        "clause": inputs.clause_number(s.clause),
        "heading": inputs.heading(s.clause),
        "suspends": inputs.suspended_numbers(s.clause, s.rule),
        "from": s.from.to_string(),
        "until": date_json(s.until),
        "days": s.until.and_then(|until| s.from.until(until).ok()).map(|span| span.get_days()),
        "began_by": inputs.event_json(s.began_by),
        "ended_by": s.ended_by.map(|seq| inputs.event_json(seq)),
    })
}

/// How suspensions moved a due date or a deadline.
fn moved_json(inputs: &Inputs<'_>, moved: &[Moved]) -> Json {
    Json::from(
        moved
            .iter()
            .map(|m| {
                json!({
                    "clause": inputs.clause_number(m.by.clause),
                    "from": m.by.from.to_string(),
                    "until": date_json(m.by.until),
                    "days": m.days,
                })
            })
            .collect::<Vec<_>>(),
    )
}

fn act_json(inputs: &Inputs<'_>, a: &Act) -> Json {
    json!({
        "clause": inputs.clause_number(a.clause),
        "heading": inputs.heading(a.clause),
        "party": inputs.actor(a.party),
        "action": inputs.contract.event_type(a.action).map(|e| e.name.node.clone()),
        "due": date_json(a.due),
        "status": status_word(a.status),
        "late": a.late,
        "cure": a.cure.map(|c| cure_json(inputs, c)),
        "due_moved": moved_json(inputs, &a.moved),
        "raised_by": a.raised_by.map(|s| inputs.event_json(s)),
        "done_by": a.done_by.map(|s| inputs.event_json(s)),
        "explain": if inputs.explain { Json::from(inputs.explain_act(a)) } else { Json::Null },
    })
}

fn violation_json(inputs: &Inputs<'_>, v: &Violation) -> Json {
    json!({
        "kind": if v.conflicting.is_some() { "conflict" } else { "violation" },
        "ground": match v.ground {
            Ground::Prohibited => "prohibited",
            Ground::NoRightArisen => "no_right_arisen",
        },
        "clause": inputs.clause_number(v.clause),
        "heading": inputs.heading(v.clause),
        "event": inputs.event_json(v.event),
        "conflicting_clause": v.conflicting.map(|c| inputs.clause_number(c)),
        "carve_outs_considered": v.carve_outs.iter().map(|s| inputs.source_text(*s)).collect::<Vec<_>>(),
        "exceptions_considered": v.exceptions.iter().map(|c| inputs.clause_number(*c)).collect::<Vec<_>>(),
        "explain": if inputs.explain { Json::from(inputs.explain_violation(v)) } else { Json::Null },
    })
}

fn right_json(inputs: &Inputs<'_>, r: &RightAvailable) -> Json {
    json!({
        "clause": inputs.clause_number(r.clause),
        "heading": inputs.heading(r.clause),
        "party": inputs.actor(r.party),
        "action": inputs.contract.event_type(r.action).map(|e| e.name.node.clone()),
        "from": r.window.first.to_string(),
        "until": date_json(r.window.last),
        "arising": r.arising.map(|a| json!({
            "due": a.due.to_string(),
            "cure_until": date_json(a.cure_until),
            "performed": date_json(a.performed),
            "period": period_json(inputs, r.clause, a.period),
            "exercised_by": a.exercised_by.map(|seq| inputs.event_json(seq)),
        })),
        "explain": if inputs.explain {
            Json::from(vec![match &r.arising {
                Some(arising) => inputs.arising_text(r.clause, arising, r.window),
                None => inputs.window_text(r.clause, r.rule, Some(r.window)),
            }])
        } else {
            Json::Null
        },
    })
}

fn permission_json(inputs: &Inputs<'_>, p: &Permitted) -> Json {
    json!({
        "clause": inputs.clause_number(p.clause),
        "heading": inputs.heading(p.clause),
        "event": inputs.event_json(p.event),
        "prohibition_clause": inputs.clause_number(p.over),
        "prohibition_heading": inputs.heading(p.over),
    })
}

fn asset_json(inputs: &Inputs<'_>, a: &AssetShare) -> Json {
    json!({
        "clause": inputs.clause_number(a.clause),
        "heading": inputs.heading(a.clause),
        "made_by": inputs.event_json(a.made_by),
        "share": plain(a.share),
        "first_owner": inputs.party(a.first_owner),
        "owner": inputs.party(a.owner),
        "title_passed": a.passed.iter().map(|p| json!({
            "event": p.event.map(|seq| inputs.event_json(seq)),
            "date": p.date.to_string(),
            "to": inputs.party(p.to),
        })).collect::<Vec<_>>(),
        "explain": if inputs.explain { Json::from(inputs.explain_asset(a)) } else { Json::Null },
    })
}

fn entitlement_json(inputs: &Inputs<'_>, e: &Entitlement) -> Json {
    let (covered, reason) = coverage_words(inputs, &e.coverage);
    json!({
        "clause": inputs.clause_number(e.clause),
        "heading": inputs.heading(e.clause),
        "grantor": inputs.actor(e.grantor),
        "grantee": inputs.actor(e.grantee),
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
        "period": period_json(inputs, c.clause, c.period),
        "fulfilled": plain(c.fulfilled),
        "remaining": plain(c.remaining),
        "deadline": date_json(c.deadline),
        "status": match c.status {
            CommitmentStatus::Open => "open",
            CommitmentStatus::Met(_) => "met",
            CommitmentStatus::Breached(_) => "breached",
        },
        "met_on": date_json(match c.status {
            CommitmentStatus::Met(day) => Some(day),
            CommitmentStatus::Open | CommitmentStatus::Breached(_) => None,
        }),
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

pub(super) fn summary_json(outcome: &Outcome) -> Json {
    let count = |s: Status| outcome.obligations.iter().filter(|o| o.status == s).count();
    let acts = |s: Status| outcome.acts.iter().filter(|a| a.status == s).count();
    json!({
        "obligations": outcome.obligations.len(),
        "open": count(Status::Open),
        "discharged": count(Status::Discharged),
        "overdue": count(Status::Overdue),
        "discharged_late": outcome.obligations.iter().filter(|o| o.days_late().is_some()).count(),
        "acts": outcome.acts.len(),
        "acts_overdue": acts(Status::Overdue),
        "acts_late": outcome.acts.iter().filter(|a| a.late).count(),
        "violations": outcome.violations.iter().filter(|v| v.conflicting.is_none()).count(),
        "conflicts": outcome.violations.iter().filter(|v| v.conflicting.is_some()).count(),
        "permitted": outcome.permissions.len(),
        "rights": outcome.rights.len(),
        "entitlements": outcome.entitlements.len(),
        "milestones_reached": outcome.milestones.iter().filter(|m| m.reached.is_some()).count(),
        "commitments_breached": outcome.commitments.iter().filter(|c| matches!(c.status, CommitmentStatus::Breached(_))).count(),
    })
}

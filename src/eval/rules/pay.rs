//! Payment rules (`A must pay B ...`): one obligation per event (`on
//! each`), per period (`for each`), or once; each settled by payment events
//! at the end, oldest due first.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::cure::{Notices, cure_state};
use super::{Ending, Step};
use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::eval::accounts::{BalanceView, Moment};
use crate::eval::compute::{Context, Val, Working, round_to};
use crate::eval::engine::{Engine, Rule, overlap};
use crate::eval::evaluation::counts_as_earned;
use crate::eval::event::{Event, PeriodValue, Value};
use crate::eval::outcome::{EventNote, Obligation, Status};
use crate::eval::period;
use crate::eval::sums::{add, share, zero_of_aggregate};
use crate::eval::windows::Days;
use crate::model::{Checked, EventTypeId, PartyId, PeriodInfo, RoundingSource};

/// A payment obligation waiting for the end, when its due date and window
/// can be known.
struct Pending {
    rule: usize,
    amount: Amount,
    period: Option<PeriodValue>,
    /// The day of the event that raised it, for `due N days after the event`.
    event_date: Option<Date>,
    raised: Date,
    events: Vec<usize>,
}

/// A payment event, kept to settle obligations at the end.
struct Payment {
    seq: usize,
    /// Kept for the report if the payment settles something.
    note: EventNote,
    kind: EventTypeId,
    date: Date,
    payer: PartyId,
    payee: Option<PartyId>,
    money: Money,
}

/// What the payment rules have gathered so far.
pub(in crate::eval) struct Payments {
    /// Obligations raised by single events.
    per_event: Vec<Pending>,
    /// Per-period payments: the sums of each `total`, by rule and period.
    periods: BTreeMap<(usize, PeriodValue), PeriodSums>,
    payments: Vec<Payment>,
    /// The event types that settle a payment obligation.
    settlement_kinds: Vec<EventTypeId>,
    /// The parties that owe under some payment rule.
    debtors: Vec<PartyId>,
}

impl Payments {
    pub(in crate::eval) fn new(engine: &Engine<'_>, rules: &[Rule<'_>]) -> Self {
        let pays = || rules.iter().filter_map(|rule| rule.statement.as_pay());
        let mut settlement_kinds: Vec<EventTypeId> = pays()
            .filter_map(|pay| engine.contract().settlement(pay))
            .collect();
        settlement_kinds.sort_unstable();
        settlement_kinds.dedup();
        let mut debtors: Vec<PartyId> =
            pays().filter_map(|pay| engine.party(&pay.debtor)).collect();
        debtors.sort_unstable();
        debtors.dedup();
        Payments {
            per_event: Vec::new(),
            periods: BTreeMap::new(),
            payments: Vec::new(),
            settlement_kinds,
            debtors,
        }
    }

    /// What payment rule `index` makes of an event in its window.
    pub(in crate::eval) fn apply(
        &mut self,
        step: &mut Step<'_, '_>,
        index: usize,
        rule: &Rule<'_>,
        pay: &PayObligation,
        event: &Event,
    ) -> Result<(), Diagnostic> {
        let engine = step.engine;
        match &pay.recurrence {
            Some(Recurrence::EachEvent(pattern)) => {
                if !engine.pattern_matches(pattern, event)? {
                    return Ok(());
                }
                if let Some(decided) =
                    engine.taken_out(rule, &pay.carve_outs, event, step.term, step.milestones)?
                {
                    step.exercise(decided);
                    return Ok(());
                }
                // A balance is the one at the start of the event's day.
                let balances = BalanceView::Ledger {
                    ledger: step.ledger,
                    moment: Moment::StartOf(event.date),
                };
                let amount = amount(
                    engine,
                    rule,
                    pay,
                    &Context {
                        balances: Some(&balances),
                        ..engine.context(event)
                    },
                    Occasion::Event(event),
                    None,
                )?;
                self.per_event.push(Pending {
                    rule: index,
                    amount,
                    period: None,
                    event_date: Some(event.date),
                    raised: event.date,
                    events: vec![event.seq],
                });
                step.note(event);
            }
            Some(Recurrence::EachPeriod(_) | Recurrence::EachPeriodField(_)) => {
                let Some(key) = engine.period_key(pay, event) else {
                    return Ok(());
                };
                if let Some(decided) =
                    engine.taken_out(rule, &pay.carve_outs, event, step.term, step.milestones)?
                {
                    step.exercise(decided);
                    return Ok(());
                }
                let sums = self.periods.entry((index, key)).or_default();
                if add_to_totals(engine, &pay.amount, event, sums)? {
                    step.note(event);
                }
            }
            None => {}
        }
        Ok(())
    }

    /// Keeps a payment event for settlement at the end.
    pub(in crate::eval) fn record_payment(&mut self, engine: &Engine<'_>, event: &Event) {
        if !self.settlement_kinds.contains(&event.kind) {
            return;
        }
        // Only a party that owes under some rule can settle anything.
        let Some(payer) = event.by.filter(|p| self.debtors.contains(p)) else {
            return;
        };
        let decl = engine.contract().event_type(event.kind);
        let field = |name: &str| {
            let index = decl?.fields.iter().position(|f| f.name.node == name)?;
            event.fields.get(index)
        };
        let Some(Value::Money(money)) = field("amount") else {
            return;
        };
        let payee = match field("to") {
            Some(Value::Party(p)) => Some(*p),
            _ => None,
        };
        self.payments.push(Payment {
            seq: event.seq,
            note: EventNote::of(event),
            kind: event.kind,
            date: event.date,
            payer,
            payee,
            money: *money,
        });
    }

    /// The obligations as of the end, settled by the payments; the
    /// payments that settled something are noted for the report.
    pub(in crate::eval) fn finish(
        self,
        end: &Ending<'_, '_>,
        notices: &Notices,
        shortfalls: Vec<Obligation>,
        notes: &mut BTreeMap<usize, EventNote>,
    ) -> Result<Vec<Obligation>, Diagnostic> {
        let engine = end.engine;
        let contract = engine.contract();
        // Obligations raised by events and the one-off ones, rule by rule,
        // then those of each period.
        let mut pending = self.per_event;
        for (index, rule) in end.rules.iter().enumerate() {
            // A payment made once arises when its window opens: not at
            // all if that is after the report date.
            if let Statement::Pay(pay) = rule.statement
                && pay.recurrence.is_none()
                && let Ok(window) = end.window_of(rule)
                && window.first <= end.as_of
            {
                // A balance is the one at the start of the day it arises.
                let balances = BalanceView::Ledger {
                    ledger: end.ledger,
                    moment: Moment::StartOf(window.first),
                };
                pending.push(Pending {
                    rule: index,
                    amount: amount(
                        engine,
                        rule,
                        pay,
                        &Context {
                            balances: Some(&balances),
                            ..engine.blank_context()
                        },
                        Occasion::Once,
                        None,
                    )?,
                    period: None,
                    event_date: None,
                    raised: window.first,
                    events: Vec::new(),
                });
            }
        }
        pending.sort_by_key(|p| p.rule);
        let mut periods = self.periods;
        // Every period of a `for each PERIOD` rule that overlaps its window
        // and has begun by the report date owes its amount, whether or not
        // any event fell in it (a fixed fee, a minimum).
        for (index, rule) in end.rules.iter().enumerate() {
            if let Some(pay) = rule.statement.as_pay()
                && let Some(Recurrence::EachPeriod(name)) = &pay.recurrence
                && let Some(info) = contract.symbols.periods.get(&name.node)
                && let Ok(window) = end.window_of(rule)
            {
                for key in periods_of(info, window, end.as_of) {
                    periods.entry((index, key)).or_default();
                }
            }
        }
        for ((index, key), sums) in periods {
            let Some(rule) = end.rules.get(index) else {
                continue;
            };
            let Some(pay) = rule.statement.as_pay() else {
                continue;
            };
            let window = end.window_of(rule);
            // How much of the period lies in the window, and what that
            // makes it owe. Counted `as reported`, the window was tested on
            // each event's date instead, whatever period the event names.
            let as_reported = matches!(pay.recurrence, Some(Recurrence::EachPeriodField(_)))
                && !counts_as_earned(pay);
            let share = match window {
                _ if as_reported => None,
                Ok(window) => overlap(key, window),
                Err(_) if counts_as_earned(pay) => continue,
                Err(_) => None,
            };
            let prorated = match share {
                Some((0, _)) => continue,
                Some((inside, days)) if inside < days => {
                    match pay.partial.as_ref().map(|p| p.node) {
                        None | Some(PartialPeriods::Whole) => None,
                        Some(PartialPeriods::Prorated) => Some((inside, days)),
                        Some(PartialPeriods::Excluded) => continue,
                    }
                }
                Some(_) | None => None,
            };
            // An exception with a fixed amount for the same kind of period,
            // in force during it, replaces this rule for the whole period
            // (a different monthly fee from March). One whose amount adds
            // up events replaced this rule event by event instead.
            // (The exception's own obligation marks it exercised.)
            if fixed_replacement(end, rule, pay, key).is_some() {
                continue;
            }
            // The currency of a total over nothing: the rule's, else that of
            // the period's other totals; with none known and nothing counted,
            // nothing can be owed.
            let currency = rule_currency(contract, pay).or_else(|| sums.currency());
            if currency.is_none() && sums.events.is_empty() {
                continue;
            }
            let totals = |total: &Expr| -> Result<Val, Diagnostic> {
                match sums.total(total) {
                    Some(value) => Ok(value),
                    None => total
                        .aggregate()
                        .and_then(|(aggregate, _)| zero_of_aggregate(contract, aggregate, currency))
                        .ok_or_else(|| {
                            crate::eval::compute::unexpected(
                                total.span,
                                "a period's total of something that is not added up",
                            )
                        }),
                }
            };
            // A balance is the one at the end of the period, or of the
            // report date in a period not over yet (as its totals count
            // the events so far).
            let balances = BalanceView::Ledger {
                ledger: end.ledger,
                moment: Moment::EndOf(key.last.min(end.as_of)),
            };
            let context = Context {
                contract,
                event: None,
                totals: Some(&totals),
                balances: Some(&balances),
                working: None,
            };
            let owed = amount(engine, rule, pay, &context, Occasion::Period(key), prorated)?;
            // A period in which nothing was counted and nothing is owed
            // (a royalty with no sales) is no obligation.
            if sums.events.is_empty() && owed.money.amount.is_zero() {
                continue;
            }
            // With no event counted, the obligation arises when the period
            // (or the rule's window, if later) begins.
            let began = window.map_or(key.first, |window| key.first.max(window.first));
            pending.push(Pending {
                rule: index,
                amount: owed,
                period: Some(key),
                event_date: None,
                raised: sums.first_date.unwrap_or(began),
                events: sums.events,
            });
        }
        let mut obligations = Vec::with_capacity(pending.len());
        // The event type that settles each obligation: its own rule's.
        let mut settled_by = Vec::with_capacity(pending.len());
        // The late interest each charges, with the rounding of its amount.
        let mut charges = Vec::with_capacity(pending.len());
        // The cure period of each, with its rule's index.
        let mut cures = Vec::with_capacity(pending.len());
        for p in pending {
            let Some(rule) = end.rules.get(p.rule) else {
                continue;
            };
            let Statement::Pay(pay) = rule.statement else {
                continue;
            };
            let due = engine.due_date(
                pay.due.as_ref(),
                p.event_date,
                p.period.map(|k| k.last),
                end.milestones,
            );
            // Suspended days count from when the payment could be made: for
            // a payment per period, once its period has ended (or from its
            // due date, if that is earlier).
            let payable = p
                .period
                .and_then(|k| k.last.tomorrow().ok())
                .map_or(p.raised, |after| due.map_or(after, |due| after.min(due)));
            let (due, moved) = end.suspending.shift(rule.clause, payable, due, end.as_of);
            let mut obligation = obligation(
                engine,
                rule,
                pay,
                p.amount,
                (p.period, due, p.raised),
                p.events,
            )?;
            obligation.window = end.window_of(rule).ok();
            obligation.moved = moved;
            obligations.push(obligation);
            settled_by.push(contract.settlement(pay));
            // Interest is rounded as the amount is: by the rule's or the
            // header's rounding, or by a `rounded` written at the amount's end.
            let rounding = match (&pay.amount.kind, contract.rounding(pay)) {
                (_, Some((rounding, _))) => Some(rounding),
                (ExprKind::Rounded { rounding, .. }, None) => Some(rounding),
                (_, None) => None,
            };
            charges.push(pay.interest.as_ref().map(|i| (i, rounding)));
            cures.push(pay.cure.as_ref().map(|c| (p.rule, c)));
        }
        // Shortfall payments of commitments, and damages owed on a default,
        // are settled with the rest, by the contract's settlement event.
        let settlement = contract
            .file
            .header
            .as_ref()
            .and_then(|h| h.settlement.as_ref())
            .and_then(|name| contract.event_type_named(&name.node));
        for shortfall in shortfalls {
            obligations.push(shortfall);
            settled_by.push(settlement);
            charges.push(None);
            cures.push(None);
        }
        // Caps first: a payment is set against what is owed after them;
        // then floors, on what the caps left.
        super::cap::apply(end, &mut obligations)?;
        for shortfall in super::floor::shortfalls(end, &obligations)? {
            obligations.push(shortfall);
            settled_by.push(settlement);
            charges.push(None);
            cures.push(None);
        }
        settle(&settled_by, &mut obligations, &self.payments, end.as_of);
        for (o, cure) in obligations.iter_mut().zip(&cures) {
            if let Some((index, cure)) = cure {
                o.cure = cure_state(o.due, o.discharged_on, cure, notices.of(*index), end.as_of);
            }
        }
        for (o, charge) in obligations.iter_mut().zip(&charges) {
            if let Some((interest, rounding)) = charge {
                o.interest = crate::eval::interest::accrue(o, interest, *rounding, end.as_of)?;
            }
        }
        // Name the payments that settled something.
        let applied: BTreeSet<usize> = obligations
            .iter()
            .flat_map(|o| o.payments.iter().copied())
            .collect();
        for payment in self.payments {
            if applied.contains(&payment.seq) {
                notes.entry(payment.seq).or_insert(payment.note);
            }
        }
        obligations.sort_by(|a, b| {
            (a.clause, a.due, a.period, &a.events).cmp(&(b.clause, b.due, b.period, &b.events))
        });
        Ok(obligations)
    }
}

/// Applies the payments to the obligations they settle, oldest due first,
/// and sets each obligation's status as of the date. A payment counts only
/// towards obligations that had arisen by its day, of its payer (and payee,
/// when it names one), in its currency, with the obligation's settlement
/// event (`settled_by`, one per obligation).
fn settle(
    settled_by: &[Option<EventTypeId>],
    obligations: &mut [Obligation],
    payments: &[Payment],
    as_of: Date,
) {
    let mut order: Vec<usize> = (0..obligations.len()).collect();
    order.sort_by_key(|&i| {
        obligations
            .get(i)
            .map(|o| (o.due.is_none(), o.due, o.clause))
    });
    for payment in payments {
        let mut left = payment.money.amount;
        for &i in &order {
            if left <= Decimal::ZERO {
                break;
            }
            let Some(o) = obligations.get_mut(i) else {
                continue;
            };
            if settled_by.get(i).copied().flatten() != Some(payment.kind)
                || o.debtor != payment.payer
                || payment.payee.is_some_and(|p| p != o.creditor)
                || o.amount.currency != payment.money.currency
                || o.paid >= o.amount.amount
                || o.raised > payment.date
            {
                continue;
            }
            let applied = left.min(o.amount.amount - o.paid);
            o.paid += applied;
            left -= applied;
            o.payments.push(payment.seq);
            o.paid_on.push((payment.date, applied));
            if o.paid >= o.amount.amount {
                o.discharged_on = Some(payment.date);
            }
        }
    }
    for o in obligations.iter_mut() {
        // Nothing owed (a cap took it all) is owed in full the day it arose:
        // never late, never in default.
        if o.amount.amount <= Decimal::ZERO && o.discharged_on.is_none() {
            o.discharged_on = Some(o.raised);
        }
        o.status = if o.paid >= o.amount.amount {
            Status::Discharged
        } else if o.due.is_some_and(|due| due < as_of) {
            Status::Overdue
        } else {
            Status::Open
        };
    }
}

/// Adds an event's values to the sums of every `total` in an amount;
/// says whether it counted towards any.
fn add_to_totals(
    engine: &Engine<'_>,
    expr: &Expr,
    event: &Event,
    sums: &mut PeriodSums,
) -> Result<bool, Diagnostic> {
    let mut counted = false;
    // A total is kept by where it is written: one written in a definition
    // that the amount uses twice is still added up once.
    let mut added: Vec<usize> = Vec::new();
    for total in engine.contract().totals_in(expr) {
        let Some((aggregate, None)) = total.aggregate() else {
            continue;
        };
        let key = total.span.start;
        if added.contains(&key) {
            continue;
        }
        added.push(key);
        let Some(value) = share(engine.contract(), aggregate, event)? else {
            continue;
        };
        let sum = match sums.totals.remove(&key) {
            None => value,
            Some(previous) => add(previous, value, total.span)?,
        };
        sums.totals.insert(key, sum);
        counted = true;
    }
    if counted {
        sums.events.push(event.seq);
        sums.first_date = Some(sums.first_date.map_or(event.date, |d| d.min(event.date)));
    }
    Ok(counted)
}

/// The amount of a payment, rounded as the obligation or the contract says.
/// What an amount is owed for, to name it when it cannot be.
#[derive(Clone, Copy)]
enum Occasion<'e> {
    Event(&'e Event),
    Period(PeriodValue),
    Once,
}

fn amount(
    engine: &Engine<'_>,
    rule: &Rule<'_>,
    pay: &PayObligation,
    context: &Context<'_>,
    occasion: Occasion<'_>,
    prorated: Option<(i64, i64)>,
) -> Result<Amount, Diagnostic> {
    // The working is kept for `--explain`: a few lines per obligation.
    let working = Working::default();
    let value = Context {
        working: Some(&working),
        ..*context
    }
    .value(&pay.amount)?;
    let Val::Money(mut money) = value else {
        return Err(Diagnostic::error(
            Code::EvaluationError,
            "the amount owed is not money",
            pay.amount.span,
            "here",
        ));
    };
    // A partial period, prorated: its share of the amount, before rounding.
    if let Some((inside, days)) = prorated {
        money.amount = money
            .amount
            .checked_mul(Decimal::from(inside))
            .and_then(|m| m.checked_div(Decimal::from(days)))
            .ok_or_else(|| {
                Diagnostic::error(
                    Code::ArithmeticOverflow,
                    "the prorated amount is too large to hold exactly",
                    pay.amount.span,
                    "here",
                )
            })?;
    }
    if money.amount.is_sign_negative() && !money.amount.is_zero() {
        return Err(negative_amount(engine, rule, pay, money, occasion));
    }
    let unrounded = money;
    let note = match engine.contract().rounding(pay) {
        Some((rounding, source)) => {
            money.amount = round_to(
                money.amount,
                rounding.unit.node,
                rounding.mode.node,
                pay.amount.span,
            )?;
            let whose = match source {
                RoundingSource::Rule => "this obligation's",
                RoundingSource::Header => "the contract's default",
            };
            Some(format!(
                "{} to {} ({whose})",
                rounding.mode.node.as_str(),
                rounding.unit.node
            ))
        }
        // `X rounded ...` written as the whole amount is the
        // obligation's own rounding: the header's does not apply on top.
        None if matches!(pay.amount.kind, ExprKind::Rounded { .. }) => {
            Some("as written in the amount".to_string())
        }
        None => None,
    };
    Ok(Amount {
        money,
        unrounded,
        rounding: note,
        prorated,
        working: working.into_inner(),
    })
}

/// `when` is the period, the due date and the day the obligation arose.
fn obligation(
    engine: &Engine<'_>,
    rule: &Rule<'_>,
    pay: &PayObligation,
    amount: Amount,
    when: (Option<PeriodValue>, Option<Date>, Date),
    events: Vec<usize>,
) -> Result<Obligation, Diagnostic> {
    let (period, due, raised) = when;
    let (Some(debtor), Some(creditor)) = (engine.party(&pay.debtor), engine.party(&pay.creditor))
    else {
        return Err(Diagnostic::error(
            Code::EvaluationError,
            "unknown party",
            pay.span,
            "here",
        ));
    };
    Ok(Obligation {
        clause: rule.clause,
        rule: rule.statement.span(),
        debtor,
        creditor,
        amount: amount.money,
        unrounded: amount.unrounded,
        rounding: amount.rounding,
        prorated: amount.prorated,
        working: amount.working,
        window: None,
        paid: Decimal::ZERO,
        period,
        due,
        status: Status::Open,
        events,
        raised,
        payments: Vec::new(),
        discharged_on: None,
        paid_on: Vec::new(),
        interest: None,
        cure: None,
        moved: Vec::new(),
        capped: Vec::new(),
        source: crate::eval::outcome::Source::Rule,
    })
}

/// E0703: an amount owed that works out below zero, which no payment rule
/// can mean (a refund is a payment the other way).
fn negative_amount(
    engine: &Engine<'_>,
    rule: &Rule<'_>,
    pay: &PayObligation,
    money: Money,
    occasion: Occasion<'_>,
) -> Diagnostic {
    let contract = engine.contract();
    let clause = contract
        .clause(rule.clause)
        .map_or_else(String::new, |c| format!("clause {} ", c.number.node));
    let of = match occasion {
        Occasion::Event(event) => {
            let kind = contract
                .event_type(event.kind)
                .map_or("event", |d| d.name.node.as_str());
            format!(" for event #{} {kind} {}", event.seq + 1, event.date)
        }
        Occasion::Period(period) => format!(" for {} to {}", period.first, period.last),
        Occasion::Once => String::new(),
    };
    let shown = format!(
        "{} {}",
        money.currency,
        crate::eval::report::decimal_text(money.amount, 2)
    );
    Diagnostic::error(
        Code::NegativeAmount,
        format!("the amount {clause}owes{of} works out below zero: {shown}"),
        pay.amount.span,
        format!("works out to {shown}"),
    )
    .with_help(
        "an amount owed cannot be negative: check the brackets (`1.5% of (balance - EUR 2,500.00)` \
         is not `1.5% of balance - EUR 2,500.00`), add `at least` a floor, or write a refund as a \
         payment the other way",
    )
}

/// An amount owed, with how it was rounded.
struct Amount {
    money: Money,
    unrounded: Money,
    rounding: Option<String>,
    /// For a partial period, prorated: its days in the window, of its days.
    prorated: Option<(i64, i64)>,
    /// How the amount was worked out, step by step.
    working: Vec<String>,
}

/// The running sums of one per-period payment in one period.
#[derive(Default)]
struct PeriodSums {
    /// Each `total` and `count`, by where it is written.
    totals: BTreeMap<usize, Val>,
    events: Vec<usize>,
    /// The day of the first event counted: the obligation arises then, so
    /// a payment made after it counts even if a later report adds to it.
    first_date: Option<Date>,
}

impl PeriodSums {
    /// The currency of the money summed, if any was.
    fn currency(&self) -> Option<Currency> {
        self.totals.values().find_map(|v| match v {
            Val::Money(m) => Some(m.currency),
            _ => None,
        })
    }

    /// The sum of one `total` or `count`; `None` when no event added to it.
    fn total(&self, total: &Expr) -> Option<Val> {
        self.totals.get(&total.span.start).cloned()
    }
}

/// The exception clause, if any, holding a payment of the same kind of
/// period whose amount adds up no events (a fixed fee), in force during
/// some of `period`: it replaces the general rule for that period.
fn fixed_replacement(
    end: &Ending<'_, '_>,
    rule: &Rule<'_>,
    pay: &PayObligation,
    period: PeriodValue,
) -> Option<crate::model::ClauseId> {
    let contract = end.engine.contract();
    let same_kind = |other: &PayObligation| match (&pay.recurrence, &other.recurrence) {
        (Some(Recurrence::EachPeriod(a)), Some(Recurrence::EachPeriod(b))) => a.node == b.node,
        (Some(Recurrence::EachPeriodField(a)), Some(Recurrence::EachPeriodField(b))) => {
            a.event.node == b.event.node && a.field.node == b.field.node
        }
        (Some(_), _) | (None, _) => false,
    };
    contract
        .exceptions_to(rule.clause)
        .iter()
        .copied()
        .find(|&exception| {
            contract.clause(exception).is_some_and(|clause| {
                clause.statements.iter().any(|statement| {
                    let Some(other) = statement.as_pay() else {
                        return false;
                    };
                    let instead = Rule {
                        clause: exception,
                        statement,
                    };
                    same_kind(other)
                        && end.engine.contract().totals_in(&other.amount).is_empty()
                        && end
                            .window_of(&instead)
                            .ok()
                            .and_then(|window| overlap(period, window))
                            .is_some_and(|(inside, _)| inside > 0)
                })
            })
        })
}

/// The periods of a kind that overlap a window and have begun by `as_of`,
/// in order.
pub(in crate::eval) fn periods_of(
    info: &PeriodInfo,
    window: Days,
    as_of: Date,
) -> Vec<PeriodValue> {
    let last = window.last.map_or(as_of, |last| last.min(as_of));
    let mut found = Vec::new();
    let mut day = window.first;
    while day <= last {
        let period = period::containing(info, day);
        found.push(period);
        match period.last.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    found
}

/// The currency a payment rule's amount is in: that of the money written
/// in it, else the contract's.
fn rule_currency(contract: &Checked, pay: &PayObligation) -> Option<Currency> {
    // Written money, in the amount or in a definition it uses.
    let mut written = None;
    contract.walk_through_definitions(&pay.amount, |e| match &e.kind {
        ExprKind::Money(money) => {
            written.get_or_insert(money.currency);
            false
        }
        // What is converted is in another currency than the result.
        ExprKind::Converted { currency, .. } => {
            written.get_or_insert(currency.node);
            false
        }
        // A balance is in its account's currency.
        ExprKind::Balance { account, .. } => {
            if let Some((_, account)) = contract.account_named(&account.node) {
                written.get_or_insert(account.opening.node.currency);
            }
            false
        }
        _ => written.is_none(),
    });
    if written.is_some() {
        return written;
    }
    contract
        .file
        .header
        .as_ref()?
        .currency
        .as_ref()
        .map(|c| c.node)
}

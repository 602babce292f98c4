//! What evaluation finds: the findings of every kind of rule, each tied to
//! the clause that produced it and the events that caused it, and the
//! outcome that holds them all. Rules produce these (`rules/`), the fold
//! over time gathers them (`evaluation`), reports read them (`report/`).

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::compute::Val;
use super::event::{Event, PeriodValue};
use super::milestones::Reached;
use super::windows::Days;
use crate::ast::{Currency, Money, Span};
use crate::model::{Actor, ClauseId, EventTypeId, MilestoneId, PartyId};

/// Whether an obligation has been met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Open,
    Discharged,
    Overdue,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Obligation {
    pub clause: ClauseId,
    /// Where the rule that produced it is written (a clause may hold
    /// several rules).
    pub rule: Span,
    pub debtor: PartyId,
    pub creditor: PartyId,
    pub amount: Money,
    pub paid: Decimal,
    /// The period the amount is for, when the obligation recurs per period.
    pub period: Option<PeriodValue>,
    /// `None` while the milestone it counts from has not been reached.
    pub due: Option<Date>,
    pub status: Status,
    /// The events that raised it (`seq`s).
    pub events: Vec<usize>,
    /// The day it arose: the day of its (first) raising event, or the start
    /// of the term for a one-off payment. Payments made before it do not
    /// count towards it.
    pub raised: Date,
    /// The payment events that went towards it.
    pub payments: Vec<usize>,
    /// The day of the payment that completed it, once paid in full.
    pub discharged_on: Option<Date>,
    /// For a period only partly in the rule's window, prorated: the
    /// period's days in the window, and its days.
    pub prorated: Option<(i64, i64)>,
    /// How the amount was worked out, step by step, for `--explain`
    /// (`20% of USD 40,000,000.00 = USD 8,000,000.00`).
    pub working: Vec<String>,
    /// For `--explain`: the amount before the final rounding, the rounding
    /// applied (`half-up to 0.01 (the contract's default)`), and the window.
    pub unrounded: Money,
    pub rounding: Option<String>,
    pub window: Option<Days>,
    /// Each payment that went towards it: its day and the amount applied.
    pub paid_on: Vec<(Date, Decimal)>,
    /// Late interest, when the rule charges it and the amount was unpaid
    /// after its due date.
    pub interest: Option<InterestAccrued>,
    /// Where its cure period stands, when the rule gives one and the
    /// amount was not paid in full by its due date.
    pub cure: Option<CureState>,
    /// How suspensions moved its due date (already moved in `due`).
    pub moved: Vec<Moved>,
    /// Each aggregate cap that reduced it, in the order applied.
    pub capped: Vec<Capped>,
    /// What made it owed: a `must pay`, a commitment missed at its
    /// deadline, or a default under an obligation to act.
    pub source: Source,
}

/// An obligation reduced by an aggregate cap.
#[derive(Clone, Debug, PartialEq)]
pub struct Capped {
    /// The clause of the cap.
    pub clause: ClauseId,
    /// Where the cap is written.
    pub rule: crate::ast::Span,
    /// The amount before the cap reduced it.
    pub before: Money,
    /// The cap.
    pub cap: Money,
    /// The period the cap counted it in; `None` for a cap over the whole
    /// contract.
    pub period: Option<PeriodValue>,
    /// The kind of that period, as the cap names it (`month`).
    pub per: Option<String>,
    /// What the obligations that arose before it in that period came to,
    /// after the cap.
    pub earlier: Money,
}

/// What made a payment owed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A `must pay` rule.
    Rule,
    /// `shortfall payment ...`: a commitment missed at its deadline.
    Shortfall,
    /// `then PARTY must pay ...`: an obligation to act in default; the
    /// due date it missed.
    Default { missed: Date },
    /// `total owed ... at least AMOUNT for each PERIOD`: what the clauses
    /// named came to in the period, short of the floor.
    Floor { floor: Money, counted: Money },
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Rule => "rule",
            Source::Shortfall => "shortfall",
            Source::Default { .. } => "default",
            Source::Floor { .. } => "floor",
        }
    }
}

/// A payment missed on its due date, under a rule with a cure period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CureState {
    /// The cure period counts from a notice that has not been given.
    AwaitingNotice,
    /// The cure period runs from `from` through `until`; `notice` is the
    /// event that started it, if one did.
    InCure {
        notice: Option<usize>,
        from: Date,
        until: Date,
    },
    /// Paid in full on `on`, within the cure period that ran through
    /// `until` (`None`: paid before any notice started one).
    Cured {
        notice: Option<usize>,
        on: Date,
        until: Option<Date>,
    },
    /// The cure period ended on `until` without the payment: in default
    /// from the day after.
    Defaulted { notice: Option<usize>, until: Date },
}

/// A stretch of days a suspension clause held other clauses' due dates
/// and deadlines still: from the day of the event that began it to the
/// day of the event that ended it (not itself suspended).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Suspended {
    /// The clause that suspends, and where its rule is written.
    pub clause: ClauseId,
    pub rule: Span,
    pub from: Date,
    /// `None`: still in force at the as-of date.
    pub until: Option<Date>,
    pub began_by: usize,
    pub ended_by: Option<usize>,
}

/// How far a suspension moved a due date or deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moved {
    pub by: Suspended,
    /// The first suspended day counted, and how many were.
    pub counted_from: Date,
    pub days: i64,
}

/// Interest on what was unpaid after the due date.
#[derive(Clone, Debug, PartialEq)]
pub struct InterestAccrued {
    /// The interest, rounded as the obligation's amount is.
    pub amount: Money,
    /// Before that rounding.
    pub unrounded: Decimal,
    /// The rate per year, as a percentage (1.5% per month is 18).
    pub yearly_percent: Decimal,
    pub day_count: crate::ast::DayCount,
    /// `compounded monthly` or `yearly`; `None` for simple interest.
    pub compounding: Option<crate::ast::RatePeriod>,
    /// From the due date to the day the amount was paid in full, or to the
    /// as-of date: each stretch with the same unpaid amount, as (from, to,
    /// unpaid, days counted).
    pub stretches: Vec<(Date, Date, Decimal, i64)>,
}

impl Obligation {
    /// How many days after its due date it was paid in full: `None` when
    /// paid on time, not yet paid in full, or with no due date.
    pub fn days_late(&self) -> Option<i64> {
        let (due, paid) = (self.due?, self.discharged_on?);
        let days = i64::from(due.until(paid).ok()?.get_days());
        (days > 0).then_some(days)
    }
}

/// An obligation to act (`seller must deliver on each order due 30 days
/// after the event`): done by the first matching event of the party on or
/// after the day it arose.
#[derive(Clone, Debug, PartialEq)]
pub struct Act {
    pub clause: ClauseId,
    /// Where the rule that produced it is written (a clause may hold
    /// several rules).
    pub rule: Span,
    /// Who must act: a party, or a group any member of which may.
    pub party: Actor,
    /// The event type that performs it.
    pub action: EventTypeId,
    pub due: Option<Date>,
    pub status: Status,
    /// The event that raised it, for obligations raised `on each` event.
    pub raised_by: Option<usize>,
    /// The event that performed it, and its day.
    pub done_by: Option<usize>,
    pub done_on: Option<Date>,
    /// Whether it was performed after its due date.
    pub late: bool,
    /// The day it arose: its raising event's, or the day the rule's window
    /// opened.
    pub raised: Date,
    /// The rule's window, for `--explain`.
    pub window: Option<Days>,
    /// Where its cure period stands, when the rule gives one and it was
    /// not done by its due date.
    pub cure: Option<CureState>,
    /// How suspensions moved its due date (already moved in `due`).
    pub moved: Vec<Moved>,
}

/// A prohibition breached, or a prohibition and a permission that both apply
/// with no priority between them.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub clause: ClauseId,
    /// Where the rule that produced it is written (a clause may hold
    /// several rules).
    pub rule: Span,
    pub event: usize,
    /// The inline carve-outs that were considered (where they are written).
    pub carve_outs: Vec<Span>,
    /// The exception clauses that were considered.
    pub exceptions: Vec<ClauseId>,
    /// For a conflict: the clause of the permission that also applies.
    pub conflicting: Option<ClauseId>,
    /// The window the prohibition applied in.
    pub window: Days,
    pub ground: Ground,
}

/// An act a prohibition would have forbidden, allowed by an exception
/// clause: a permission that lifts the prohibition, or an exclusion that
/// takes the act out of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Permitted {
    /// The exception clause that allowed it.
    pub clause: ClauseId,
    /// The clause of the prohibition it was allowed over.
    pub over: ClauseId,
    pub event: usize,
}

/// A permission whose window opened after the contract took effect (at a
/// milestone or on a date), by the report date: a right that became
/// exercisable, such as a right to terminate once AGI is verified.
#[derive(Clone, Debug, PartialEq)]
pub struct RightAvailable {
    pub clause: ClauseId,
    /// Where the permission is written.
    pub rule: Span,
    pub party: Actor,
    /// The act it permits.
    pub action: EventTypeId,
    /// Its window, as it stands at the report date.
    pub window: Days,
    /// For a right that arises on a default (`then PARTY may ...`): the
    /// obligation in default, and the first act that exercised it.
    pub arising: Option<Arising>,
}

/// What gave a right that arises on a default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arising {
    /// The due date missed.
    pub due: Date,
    /// The end of the cure period that ran out, if the rule gives one.
    pub cure_until: Option<Date>,
    /// The day the obligation was performed in full, which ended the
    /// right; `None` while it is still in default.
    pub performed: Option<Date>,
    /// The period of the obligation in default, if it recurs per period.
    pub period: Option<PeriodValue>,
    /// The first event that exercised the right while it lasted.
    pub exercised_by: Option<usize>,
}

/// What makes an act a violation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ground {
    /// A prohibition forbids it (or, with `conflicting`, a permission and a
    /// prohibition both apply).
    Prohibited,
    /// It exercises a right that arises only on a default (`then PARTY may
    /// ...`), and no default had given it.
    NoRightArisen,
}

/// Why an asset is or is not covered by a grant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Coverage {
    Covered,
    /// Outside the grant's window.
    OutsideWindow,
    /// Taken out by an inline carve-out (where it is written).
    CarvedOut(Span),
    /// Taken out by an exclusion in an exception clause.
    Excluded {
        clause: ClauseId,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entitlement {
    pub clause: ClauseId,
    /// Where the rule that produced it is written (a clause may hold
    /// several rules).
    pub rule: Span,
    /// Who granted it, and to whom.
    pub grantor: Actor,
    /// The grantee when the event came: the one the grant names, or the
    /// party a `passes to` event passed it to (that event in `passed_by`).
    pub grantee: Actor,
    pub passed_by: Option<usize>,
    pub event: usize,
    pub coverage: Coverage,
    /// The grant's window as it stands at the end, for `--explain`.
    pub window: Option<Days>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CommitmentProgress {
    pub clause: ClauseId,
    /// Where the rule that produced it is written (a clause may hold
    /// several rules).
    pub rule: Span,
    pub party: PartyId,
    pub target: Val,
    /// For a target per period (`for each year`): the period.
    pub period: Option<PeriodValue>,
    pub fulfilled: Decimal,
    pub remaining: Decimal,
    pub events: Vec<usize>,
    /// The last day of the commitment's window, by which the target must
    /// be reached: `None` while the window has not opened, or has no end
    /// (a surviving clause).
    pub deadline: Option<Date>,
    pub status: CommitmentStatus,
}

/// Where a commitment stands at the as-of date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommitmentStatus {
    /// Not yet met, and its deadline not yet passed (or it has none).
    Open,
    /// The target was reached on this day, by the event that took the
    /// progress to it.
    Met(Date),
    /// The deadline (this day) passed with the target not reached: the
    /// shortfall is what remains.
    Breached(Date),
}

/// One holder's stake in an entity, from a `holds` rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Stake {
    pub clause: ClauseId,
    pub holder: PartyId,
    /// As written: 27 means 27%.
    pub percent: Decimal,
    pub basis: Option<String>,
    pub valuation: Option<Money>,
    /// What the stake's valuation implies for the whole entity
    /// (valuation ÷ stake), when both are given.
    pub implied_entity_value: Option<Money>,
}

impl Stake {
    /// What a stake's valuation implies for the whole entity: valuation ÷
    /// stake (USD 135 billion for 27% is USD 500 billion); `None` for a
    /// zero stake or an amount past what proviso can hold.
    pub fn implied_entity_value(valuation: Money, percent: Decimal) -> Option<Money> {
        if percent.is_zero() {
            return None;
        }
        let amount = valuation
            .amount
            .checked_mul(Decimal::ONE_HUNDRED)?
            .checked_div(percent)?;
        Some(Money {
            currency: valuation.currency,
            amount,
        })
    }
}

/// The declared holdings of one entity.
#[derive(Clone, Debug, PartialEq)]
pub struct CapTable {
    pub entity: PartyId,
    pub stakes: Vec<Stake>,
    /// The sum of the stakes, in percent.
    pub total: Decimal,
    /// Whether the contract says the table is complete (`cap table of X complete`).
    pub complete: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MilestoneState {
    pub milestone: MilestoneId,
    pub reached: Option<Reached>,
    /// Each running total or count in the milestone's condition, in the
    /// order written: how far it had come when the milestone was reached,
    /// or by the as-of date.
    pub running: Vec<RunningSum>,
}

/// How far a `total ... reaches` or `count ... reaches` has come.
#[derive(Clone, Debug, PartialEq)]
pub struct RunningSum {
    /// What is added up or counted, as written: `total instalment.amount
    /// where cleared`, `count release by licensor where late`.
    pub measure: String,
    pub so_far: Decimal,
    pub threshold: Decimal,
    pub unit: RunningUnit,
    pub reached: bool,
}

/// What a running total adds up, or that a count counts events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunningUnit {
    Money(Currency),
    Number,
    Percent,
    Days,
    Months,
    Events,
}

/// Everything evaluation found, in a deterministic order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub as_of: Option<Date>,
    pub milestones: Vec<MilestoneState>,
    pub obligations: Vec<Obligation>,
    pub acts: Vec<Act>,
    pub violations: Vec<Violation>,
    /// Acts a prohibition would have forbidden, allowed by an exception.
    pub permissions: Vec<Permitted>,
    /// Permissions that became exercisable after the effective date.
    pub rights: Vec<RightAvailable>,
    pub entitlements: Vec<Entitlement>,
    pub commitments: Vec<CommitmentProgress>,
    pub cap_tables: Vec<CapTable>,
    /// Each share of each asset an ownership rule gave, as it stands at
    /// the report date, in the order the assets were made.
    pub assets: Vec<AssetShare>,
    /// Each account's movements and balance, in the order declared.
    pub accounts: Vec<AccountStatement>,
    /// Every stretch of a suspension, by suspending clause and first day.
    pub suspensions: Vec<Suspended>,
    /// The term as it stands at the as-of date, with its renewals.
    pub term: Option<super::windows::TermState>,
    /// The clauses that decided something: produced a finding, or took an
    /// event out of another clause (a carve-out that held, an exception
    /// that excluded or permitted), or permitted an act. For scenario
    /// coverage: a clause never in this set was never exercised.
    pub exercised: BTreeSet<ClauseId>,
    /// The events the findings refer to, by `seq`.
    pub events: BTreeMap<usize, EventNote>,
    /// How many events were read, and how many of them (those dated on or
    /// before the as-of date) were considered.
    pub read: usize,
    pub considered: usize,
}

/// A share of one asset (`supplier owns assets made by deliver`): the
/// event that made it, the rule, and who holds the share now.
#[derive(Clone, Debug, PartialEq)]
pub struct AssetShare {
    pub clause: ClauseId,
    /// Where the ownership rule is written.
    pub rule: Span,
    /// The event that made the asset.
    pub made_by: usize,
    /// The share, in percent (100 for the whole asset).
    pub share: Decimal,
    /// The party the rule names as the first owner.
    pub first_owner: PartyId,
    /// Who holds the share at the report date.
    pub owner: PartyId,
    /// Each passing of its title, in order.
    pub passed: Vec<TitlePassed>,
}

/// A share of an asset passing to another party.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TitlePassed {
    /// The event that passed it (`None`: a milestone reached on a date).
    pub event: Option<usize>,
    pub date: Date,
    pub to: PartyId,
}

/// An account as of the report date: what it opened at and every movement
/// up to the report date, in the order applied.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountStatement {
    pub account: crate::model::AccountId,
    pub opens: Date,
    pub opening: Money,
    /// The balance at the end of the report date; `None` when the account
    /// opens after it.
    pub balance: Option<Money>,
    pub entries: Vec<AccountEntry>,
}

/// One movement of an account.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountEntry {
    pub date: Date,
    /// The movement's place in the account's list.
    pub movement: usize,
    pub direction: crate::ast::Direction,
    /// By how much (zero or more).
    pub amount: Money,
    /// The balance before it.
    pub before: Money,
    /// The balance after it.
    pub balance: Money,
    /// The event it was applied for (`on each EVENT`), by `seq`.
    pub event: Option<usize>,
    /// How its amount was worked out, for `--explain`.
    pub working: Vec<String>,
}

/// What a report needs to name an event: kept for the events that findings
/// refer to, once the event itself has been let go.
#[derive(Clone, Debug, PartialEq)]
pub struct EventNote {
    pub kind: EventTypeId,
    pub id: Option<smol_str::SmolStr>,
    pub date: Date,
    /// The party that performed it, and the groups it belonged to then.
    pub by: Option<PartyId>,
    pub groups: Vec<crate::model::GroupId>,
    /// The contract's running totals as the event came, in the order of
    /// `Symbols::running` (written out only when `--explain` asks).
    pub running: Vec<super::event::Looked>,
}

impl EventNote {
    pub(super) fn of(event: &Event) -> Self {
        EventNote {
            kind: event.kind,
            id: event.id.clone(),
            date: event.date,
            by: event.by,
            groups: event
                .looked_back
                .as_ref()
                .map_or_else(Vec::new, |l| l.groups.clone()),
            running: event
                .looked_back
                .as_ref()
                .map_or_else(Vec::new, |l| l.running.clone()),
        }
    }
}

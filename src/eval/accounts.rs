//! Accounts: balances carried from day to day.
//!
//! An account opens at its opening amount at the start of its opening day.
//! Nothing dated before that day moves it. From then on, day by day in date
//! order, its movements apply in the order the contract writes them: a
//! movement `on each EVENT` once for each such event of the day (in the
//! order the events came), a movement `at the end of each PERIOD` on the
//! last day of each period. So on a day that ends a month and has a
//! payment, an account that lists the payment first takes it before the
//! month's interest, and one that lists the interest first takes the
//! interest first. A movement's own `balance of` is the balance just before
//! it. Nothing is rounded unless the movement says so. The term does not
//! stop an account: a balance outstanding after the term still moves.
//!
//! Everywhere else a balance is read from the ledger at a moment: at the
//! start of a day (every movement dated before it) or at the end of one
//! (every movement dated on or before it). The fold over time keeps the
//! ledger up to date before each day's rules run, so the start of the day
//! being evaluated is always known; the end of a later day is not, and
//! asking for it is an error, never a guess.

use std::collections::BTreeSet;
use std::fmt;

use jiff::civil::Date;

use super::compute::{Context, Val, Working};
use super::engine::Engine;
use super::event::Event;
use super::outcome::{AccountEntry, AccountStatement};
use super::period;
use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{AccountId, Checked};

/// When a balance is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moment {
    /// Before anything dated that day: after every movement dated earlier.
    StartOf(Date),
    /// After every movement dated that day or earlier.
    EndOf(Date),
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Moment::StartOf(d) => write!(f, "at the start of {d}"),
            Moment::EndOf(d) => write!(f, "at the end of {d}"),
        }
    }
}

/// What `balance of ACCOUNT` reads where an amount is worked out.
pub enum BalanceView<'a> {
    /// The ledger, at the moment the place of use gives (`as of DATE`
    /// overrides it with the end of that day).
    Ledger { ledger: &'a Ledger, moment: Moment },
    /// Inside a movement: its own account's balance just before it.
    Running { account: AccountId, balance: Money },
}

/// One account as it stands.
struct Kept {
    opens: Date,
    opening: Money,
    balance: Money,
    entries: Vec<AccountEntry>,
}

/// Every account of the contract, with its movements so far.
pub struct Ledger {
    accounts: Vec<Kept>,
    /// Every movement dated on or before this day has been applied.
    through: Option<Date>,
}

/// A movement that could not be applied, with the position (in the day's
/// events) of the event it was applied for, if any.
pub struct Failed {
    pub diagnostic: Diagnostic,
    pub event: Option<usize>,
}

impl From<Diagnostic> for Failed {
    fn from(diagnostic: Diagnostic) -> Self {
        Failed {
            diagnostic,
            event: None,
        }
    }
}

impl Ledger {
    pub fn new(contract: &Checked) -> Self {
        let accounts = contract
            .file
            .accounts
            .iter()
            .map(|account| Kept {
                opens: account.opens.node,
                opening: account.opening.node,
                balance: account.opening.node,
                entries: Vec::new(),
            })
            .collect();
        Ledger {
            accounts,
            through: None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    /// Applies every period end dated before `day` not applied yet, so
    /// that the ledger stands at the start of `day`.
    pub fn advance_before(&mut self, engine: &Engine<'_>, day: Date) -> Result<(), Failed> {
        match day.yesterday() {
            Ok(last) => self.advance_through(engine, last),
            // Nothing comes before the first day there is.
            Err(_) => Ok(()),
        }
    }

    /// Applies every period end dated on or before `last` not applied yet,
    /// so that the ledger stands at the end of `last` (the report date).
    pub fn advance_through(&mut self, engine: &Engine<'_>, last: Date) -> Result<(), Failed> {
        if self.accounts.is_empty() {
            return Ok(());
        }
        if self.through.is_some_and(|through| through >= last) {
            return Ok(());
        }
        let contract = engine.contract();
        let mut ends = BTreeSet::new();
        for (account, kept) in contract.file.accounts.iter().zip(&self.accounts) {
            let mut from = kept.opens;
            if let Some(after) = self.through.and_then(|t| t.tomorrow().ok()) {
                from = from.max(after);
            }
            for movement in &account.movements {
                if let MovementTime::PeriodEnd(name) = &movement.when
                    && let Some(info) = contract.symbols.periods.get(&name.node)
                {
                    let mut day = from;
                    while day <= last {
                        let end = period::containing(info, day).last;
                        if end > last {
                            break;
                        }
                        if ends_period(info, end) {
                            ends.insert(end);
                        }
                        let Ok(next) = end.tomorrow() else { break };
                        day = next;
                    }
                }
            }
        }
        for end in ends {
            self.apply_day(engine, end, &[])?;
        }
        self.through = Some(self.through.map_or(last, |t| t.max(last)));
        Ok(())
    }

    /// Applies the movements of `date`, a day after every day applied so
    /// far: in the order each account writes them, each movement on each
    /// of the day's events it names, in their order. Returns the events
    /// that moved a balance, by their place in `events`.
    pub fn apply_day(
        &mut self,
        engine: &Engine<'_>,
        date: Date,
        events: &[Event],
    ) -> Result<Vec<usize>, Failed> {
        let mut moved = Vec::new();
        let contract = engine.contract();
        for (index, (account, kept)) in contract
            .file
            .accounts
            .iter()
            .zip(&mut self.accounts)
            .enumerate()
        {
            if date < kept.opens {
                continue;
            }
            let id = AccountId::from_index(index);
            for (m, movement) in account.movements.iter().enumerate() {
                match &movement.when {
                    MovementTime::EachEvent(pattern) => {
                        for (k, event) in events.iter().enumerate() {
                            let at = |diagnostic| Failed {
                                diagnostic,
                                event: Some(k),
                            };
                            if engine.pattern_matches(pattern, event).map_err(at)? {
                                kept.apply(contract, id, (m, movement), date, Some(event))
                                    .map_err(at)?;
                                moved.push(k);
                            }
                        }
                    }
                    MovementTime::PeriodEnd(name) => {
                        let ends_today = contract
                            .symbols
                            .periods
                            .get(&name.node)
                            .is_some_and(|info| ends_period(info, date));
                        if ends_today {
                            kept.apply(contract, id, (m, movement), date, None)?;
                        }
                    }
                }
            }
        }
        self.through = Some(date);
        Ok(moved)
    }

    /// An account's balance at a moment.
    pub fn balance(
        &self,
        contract: &Checked,
        account: AccountId,
        moment: Moment,
        span: Span,
    ) -> Result<Money, Diagnostic> {
        let name = contract
            .file
            .accounts
            .get(account.index())
            .map_or("account", |a| a.name.node.as_str());
        let Some(kept) = self.accounts.get(account.index()) else {
            return Err(Diagnostic::error(
                Code::EvaluationError,
                "cannot compute this: an account that is not kept",
                span,
                "here",
            ));
        };
        let (day, known) = match moment {
            Moment::StartOf(day) => (
                day,
                day == kept.opens
                    || day
                        .yesterday()
                        .is_ok_and(|before| self.through.is_some_and(|t| t >= before)),
            ),
            Moment::EndOf(day) => (day, self.through.is_some_and(|t| t >= day)),
        };
        if day < kept.opens {
            return Err(Diagnostic::error(
                Code::BalanceNotKnown,
                format!(
                    "`{name}` opens on {}, so it has no balance {moment}",
                    kept.opens
                ),
                span,
                "the balance is asked for here",
            )
            .with_help(format!(
                "use the balance only from {} on: open the rule's window then, or open the account earlier",
                kept.opens
            )));
        }
        if !known {
            let through = self
                .through
                .map_or_else(|| "nothing yet".to_string(), |t| format!("up to {t}"));
            return Err(Diagnostic::error(
                Code::BalanceNotKnown,
                format!("the balance of `{name}` {moment} is not known yet: its movements are known {through}"),
                span,
                "the balance is asked for here",
            )
            .with_help(format!(
                "an amount can use a balance as of a day that is over when the amount is worked out: the start of the event's day for a payment on each event (`balance of {name}`), a day before it, the end of a period for a payment for each period, or a day on or before the report date"
            )));
        }
        let entries = &kept.entries;
        let before = match moment {
            Moment::StartOf(day) => entries.partition_point(|e| e.date < day),
            Moment::EndOf(day) => entries.partition_point(|e| e.date <= day),
        };
        Ok(before
            .checked_sub(1)
            .and_then(|last| entries.get(last))
            .map_or(kept.opening, |e| e.balance))
    }

    /// Each account's statement as of the report date.
    pub fn statements(self, as_of: Date) -> Vec<AccountStatement> {
        self.accounts
            .into_iter()
            .enumerate()
            .map(|(index, kept)| AccountStatement {
                account: AccountId::from_index(index),
                opens: kept.opens,
                opening: kept.opening,
                balance: (as_of >= kept.opens).then_some(kept.balance),
                entries: kept.entries,
            })
            .collect()
    }
}

/// Whether `date` is the last day of a period of this kind. (A period that
/// would end after the last day the calendar holds has no last day: it is
/// cut short there, and that day is not taken for its end.)
fn ends_period(info: &crate::model::PeriodInfo, date: Date) -> bool {
    let p = period::containing(info, date);
    let months = (i32::from(p.last.year()) - i32::from(p.first.year())) * 12
        + i32::from(p.last.month())
        - i32::from(p.first.month())
        + 1;
    let length = match info.base {
        PeriodBase::Month => 1,
        PeriodBase::Quarter => 3,
        PeriodBase::Year => 12,
    };
    p.last == date && months == length && date.last_of_month() == date
}

impl Kept {
    /// Works out one movement and moves the balance by it.
    fn apply(
        &mut self,
        contract: &Checked,
        id: AccountId,
        (index, movement): (usize, &Movement),
        date: Date,
        event: Option<&Event>,
    ) -> Result<(), Diagnostic> {
        let working = Working::default();
        let view = BalanceView::Running {
            account: id,
            balance: self.balance,
        };
        let context = Context {
            contract,
            event,
            totals: None,
            balances: Some(&view),
            working: Some(&working),
        };
        let value = context.value(&movement.amount)?;
        let Val::Money(amount) = value else {
            return Err(Diagnostic::error(
                Code::EvaluationError,
                "cannot compute this: a movement that is not money",
                movement.amount.span,
                "here",
            ));
        };
        let shown = |m: Money| {
            format!(
                "{} {}",
                m.currency,
                crate::eval::report::decimal_text(m.amount, 2)
            )
        };
        if amount.currency != self.balance.currency {
            return Err(Diagnostic::error(
                Code::MixedCurrencies,
                format!(
                    "this movement is {}, and the account is kept in {}",
                    shown(amount),
                    self.balance.currency
                ),
                movement.amount.span,
                format!("in {}", amount.currency),
            )
            .with_help(format!(
                "convert it: `... converted to {} at RATE`",
                self.balance.currency
            )));
        }
        if amount.amount.is_sign_negative() && !amount.amount.is_zero() {
            return Err(Diagnostic::error(
                Code::NegativeAmount,
                format!(
                    "a movement works out below zero on {date}: {}",
                    shown(amount)
                ),
                movement.amount.span,
                format!("works out to {}", shown(amount)),
            )
            .with_help(format!(
                "a balance is {} by an amount of zero or more; to move it the other way, write a movement `{}` by the amount, or add `at least {} 0.00`",
                movement.direction.node.word(),
                match movement.direction.node {
                    Direction::Increased => Direction::Decreased.word(),
                    Direction::Decreased => Direction::Increased.word(),
                },
                amount.currency
            )));
        }
        let next = match movement.direction.node {
            Direction::Increased => self.balance.amount.checked_add(amount.amount),
            Direction::Decreased => self.balance.amount.checked_sub(amount.amount),
        }
        .ok_or_else(|| {
            Diagnostic::error(
                Code::ArithmeticOverflow,
                "the balance is too large to hold exactly",
                movement.amount.span,
                "this movement overflows it",
            )
        })?;
        let before = self.balance;
        self.balance = Money {
            currency: self.balance.currency,
            amount: next,
        };
        self.entries.push(AccountEntry {
            date,
            movement: index,
            direction: movement.direction.node,
            amount,
            before,
            balance: self.balance,
            event: event.map(|e| e.seq),
            working: working.into_inner(),
        });
        Ok(())
    }
}

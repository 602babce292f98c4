//! Accounts: `account NAME "Label" opening MONEY on DATE` and the
//! movements that increase and decrease its balance.
//!
//! Each movement's amount is checked in the scope its timing gives: the
//! fields of the event it happens on, or none at the end of a period. A
//! movement may use its own account's balance (as it stands just before
//! the movement), never another's, so that the order in which accounts are
//! worked out can never change a balance. Elsewhere a balance may be used
//! in the amount of a payment (directly or through a definition), at the
//! moment the payment gives or as of a day written in the contract.

use super::Checker;
use super::types::{Balances, Scope, Ty};
use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic};

/// The help of every diagnostic for a balance used where it cannot be.
pub(super) const WHERE_BALANCES_GO: &str = "an account's balance can be used in the amount of a payment (directly or through a definition) and, for its own account, in a movement";

impl<'a> Checker<'a> {
    pub(super) fn check_accounts(&mut self) {
        for account in &self.file.accounts {
            let Account {
                name,
                label: _,
                opening,
                opens: _,
                movements,
                span: _,
            } = account;
            for movement in movements {
                self.check_movement(name, opening.node.currency, movement);
            }
        }
    }

    fn check_movement(&mut self, account: &'a Name, currency: Currency, movement: &'a Movement) {
        let Movement {
            direction,
            amount,
            when,
            span: _,
        } = movement;
        let mut scope = Scope::none();
        match when {
            MovementTime::EachEvent(pattern) => {
                self.check_event_pattern(pattern);
                match self.event_decl(&pattern.event.node) {
                    Some(decl) => scope = Scope::event(decl),
                    // Unknown, and reported: its fields cannot be checked.
                    None => return,
                }
            }
            MovementTime::PeriodEnd(period) => self.resolve_period(period),
        }
        scope.balances = Balances::Own(&account.node);
        let ty = self.check_expr(amount, &scope);
        match ty {
            Ty::Money(Some(found)) if found != currency => self.report(
                Diagnostic::error(
                    Code::MixedCurrencies,
                    format!(
                        "this amount is in {found}, and `{}` is kept in {currency}",
                        account.node
                    ),
                    amount.span,
                    format!("in {found}"),
                )
                .with_related(account.span, format!("kept in {currency}"))
                .with_help(format!(
                    "convert it: `... converted to {currency} at RATE`, with the rate from the event or written in the contract"
                )),
            ),
            Ty::Money(_) | Ty::Unknown => {}
            other => {
                let help = match other {
                    Ty::Percent => Some(format!(
                        "say what the percentage is of: `1.5% of balance of {}`",
                        account.node
                    )),
                    Ty::Number => Some(format!("give the currency: `{currency} 100.00`")),
                    _ => None,
                };
                self.mismatch(
                    amount.span,
                    &format!(
                        "an amount of money by which the balance is {}",
                        direction.node.word()
                    ),
                    &other,
                    help,
                );
            }
        }
    }

    /// Every `balance of` a payment's amount reads, directly or through
    /// definitions (each definition looked into once).
    fn balances_read<'e>(&self, amount: &'e Expr) -> Vec<&'e Expr>
    where
        'a: 'e,
    {
        let mut found = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        let mut work = vec![amount];
        while let Some(e) = work.pop() {
            match &e.kind {
                ExprKind::Balance { .. } => found.push(e),
                ExprKind::Name(name) => {
                    if seen.insert(name.as_str())
                        && let Some(d) = self
                            .symbols
                            .definitions
                            .get(name)
                            .and_then(|id| self.file.definitions.get(id.index()))
                    {
                        match &d.body {
                            DefinitionBody::Value(v) => work.push(v),
                            DefinitionBody::Condition(c) => work.extend(c.values().0),
                        }
                    }
                }
                _ => e.push_children(&mut work),
            }
        }
        found
    }

    /// A payment that reads a balance must not arise before the balance is
    /// known: its window may not start before the account opens, and a
    /// payment made once may not read the balance as of its own first day
    /// or later. Told here when the dates are written; otherwise evaluation
    /// says so (E0704).
    pub(super) fn check_balance_timing(&mut self, pay: &'a PayObligation) {
        let effective = self
            .file
            .header
            .as_ref()
            .and_then(|h| h.effective.as_ref())
            .and_then(|e| Some((e.node.date()?, e.span)));
        let (start, start_span) = match &pay.window.from {
            Some(from) => match &from.node {
                Bound::Date(d) => (d.date(), from.span),
                Bound::Milestone(_) | Bound::After { .. } => return,
            },
            None => match effective {
                Some((date, span)) => (Some(date), span),
                None => return,
            },
        };
        let Some(start) = start else {
            return;
        };
        for read in self.balances_read(&pay.amount) {
            let ExprKind::Balance { account, as_of } = &read.kind else {
                continue;
            };
            let Some(opens) = self
                .symbols
                .accounts
                .get(&account.node)
                .and_then(|id| self.file.accounts.get(id.index()))
                .map(|a| a.opens.node)
            else {
                continue;
            };
            let once = pay.recurrence.is_none();
            let problem = match as_of {
                None if start < opens => Some((
                    format!(
                        "this payment reads the balance of `{}` from {start}, and `{}` opens on {opens}",
                        account.node, account.node
                    ),
                    format!(
                        "start the rule's window on or after {opens} (`from {opens}`), or open the account earlier"
                    ),
                )),
                // (A day before the account opens is reported already.)
                Some(date) if once && date.node >= start && date.node >= opens => Some((
                    format!(
                        "this payment arises on {start}, before the balance of `{}` as of {} is known",
                        account.node, date.node
                    ),
                    format!(
                        "read the balance as of a day before {start}, or start the window after {}",
                        date.node
                    ),
                )),
                None | Some(_) => None,
            };
            if let Some((message, help)) = problem {
                self.report(
                    Diagnostic::error(Code::BalanceMisuse, message, read.span, "read here")
                        .with_related(
                            start_span,
                            if pay.window.from.is_some() {
                                "the payment's window starts here"
                            } else {
                                "with no `from`, its window starts when the contract takes effect"
                            },
                        )
                        .with_help(help),
                );
            }
        }
    }

    /// `balance of ACCOUNT [as of DATE]`, used where `scope` holds.
    pub(super) fn check_balance(
        &mut self,
        name: &Name,
        as_of: Option<&Spanned<jiff::civil::Date>>,
        span: Span,
        scope: &Scope<'a>,
    ) -> Ty {
        let Some(account) = self
            .symbols
            .accounts
            .get(&name.node)
            .and_then(|id| self.file.accounts.get(id.index()))
        else {
            // Declared twice, or under a name taken already: reported there.
            if self.file.accounts.iter().any(|a| a.name.node == name.node) {
                return Ty::Unknown;
            }
            // A share named `balance` (a definition or a field) of a value:
            // `balance of x` reads an account, so the share needs brackets.
            let share_named_balance = self.symbols.definitions.contains_key("balance")
                || scope
                    .event
                    .is_some_and(|e| e.fields.iter().any(|f| f.name.node == "balance"));
            if share_named_balance && !self.full() {
                self.report(
                    Diagnostic::error(
                        Code::UnknownAccount,
                        format!("unknown account `{}`", name.node),
                        span,
                        "`balance of` reads an account's balance",
                    )
                    .with_help(format!(
                        "to take the share `balance` of `{}`, write `(balance) of {}`",
                        name.node, name.node
                    )),
                );
                return Ty::Unknown;
            }
            let candidates: Vec<String> = self.symbols.accounts.keys().cloned().collect();
            let currency = self
                .contract_currency()
                .map_or_else(|| "USD".to_string(), |c| c.to_string());
            let help = if candidates.is_empty() {
                format!(
                    "declare it: `account {} \"Label\" opening {currency} 0.00 on 2026-01-01`, then what increases and decreases it",
                    name.node
                )
            } else {
                format!(
                    "the accounts declared are {}",
                    candidates
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            self.unknown(Code::UnknownAccount, "account", name, candidates, help);
            return Ty::Unknown;
        };
        self.refer(
            name.span,
            crate::model::Target::Account(name.node.as_str().into()),
        );
        let ty = Ty::Money(Some(account.opening.node.currency));
        match scope.balances {
            Balances::Refused => self.report(
                Diagnostic::error(
                    Code::BalanceMisuse,
                    "an account's balance cannot be used here",
                    span,
                    "used here",
                )
                .with_help(WHERE_BALANCES_GO),
            ),
            Balances::Own(own) if own != name.node => self.report(
                Diagnostic::error(
                    Code::BalanceMisuse,
                    format!(
                        "a movement of `{own}` uses the balance of `{}`",
                        name.node
                    ),
                    span,
                    "another account's balance",
                )
                .with_help(format!(
                    "a movement may use only its own account's balance (`balance of {own}`), as it stands just before the movement; move `{}` by the same event instead",
                    name.node
                )),
            ),
            Balances::Own(_) => {
                if let Some(date) = as_of {
                    self.report(
                        Diagnostic::error(
                            Code::BalanceMisuse,
                            format!(
                                "a movement uses the balance as it stands just before it, not as of {}",
                                date.node
                            ),
                            date.span,
                            "a day given here",
                        )
                        .with_help(format!(
                            "write `balance of {}` without `as of`",
                            name.node
                        )),
                    );
                }
            }
            Balances::Any => {
                if let Some(date) = as_of
                    && date.node < account.opens.node
                {
                    self.report(
                        Diagnostic::error(
                            Code::BalanceMisuse,
                            format!(
                                "`{}` opens on {}, so it has no balance as of {}",
                                name.node, account.opens.node, date.node
                            ),
                            date.span,
                            "before the account opens",
                        )
                        .with_related(account.opens.span, "opens here")
                        .with_help(format!(
                            "give a day on or after {}, or open the account earlier",
                            account.opens.node
                        )),
                    );
                }
            }
        }
        ty
    }
}

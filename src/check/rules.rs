//! Clauses and their rules: parties, actions, amounts, windows, due dates.

use rust_decimal::Decimal;

use super::Checker;
use super::types::{Scope, Ty};
use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic};

impl<'a> Checker<'a> {
    pub(super) fn check_clauses(&mut self) {
        let file = self.file;
        for clause in &file.clauses {
            if let Some(length) = clause.survives.as_ref().and_then(|s| s.length.as_ref()) {
                self.check_length(
                    length,
                    "a survival",
                    "`survives for` gives how long the clause goes on after the term: give at least `1 day`, or leave out `survives`",
                );
            }
            for statement in &clause.statements {
                self.expanded = 0;
                self.check_statement(clause, statement);
                if let Statement::Exclusion(exclusion) = statement
                    && clause.exception_to.is_empty()
                {
                    self.report(
                        Diagnostic::error(
                            Code::ExclusionWithoutTarget,
                            format!(
                                "clause {} excludes events, but is not an exception to any clause",
                                clause.number.node
                            ),
                            exclusion.span,
                            "excluded from what?",
                        )
                        .with_related(clause.number.span, "this clause names no clause it is an exception to")
                        .with_help(format!(
                            "add `exception to CLAUSE` after the heading of clause {}, or write the carve-out on the rule itself with `except`",
                            clause.number.node
                        )),
                    );
                }
            }
        }
    }

    fn check_statement(&mut self, clause: &'a Clause, statement: &'a Statement) {
        match statement {
            Statement::Pay(pay) => self.check_pay(pay),
            Statement::Do(rule) | Statement::MustNot(rule) | Statement::May(rule) => {
                self.resolve_actor(&rule.party);
                let decl = self.check_action(&rule.action);
                self.check_actor(decl, &rule.party, &rule.action.event);
                self.check_window(&rule.window);
                self.check_carve_outs(&rule.carve_outs, decl);
                if let Some(trigger) = &rule.trigger {
                    self.check_event_pattern(trigger);
                }
                if let Some(due) = &rule.due {
                    self.check_due_anchor(due, false, rule.trigger.is_some());
                }
                if let Some(cure) = &rule.cure {
                    self.check_cure(cure, rule.due.is_some());
                }
                self.check_arising_rights(&rule.rights, rule.due.is_some());
                self.check_act_matching(rule, decl);
                self.check_damages(&rule.damages, rule.due.is_some());
            }
            Statement::Grant(grant) => {
                self.resolve_actor(&grant.grantor);
                self.resolve_actor(&grant.grantee);
                let decl = self.check_action(&grant.scope);
                self.check_window(&grant.window);
                self.check_carve_outs(&grant.carve_outs, decl);
                if let Some(passes) = &grant.passes {
                    self.check_grant_passes(passes);
                    if !clause.exception_to.is_empty() {
                        self.report(
                            Diagnostic::error(
                                Code::PassingGrantInException,
                                format!(
                                    "the grant in clause {} may pass to another party, but clause {} is an exception",
                                    clause.number.node, clause.number.node
                                ),
                                passes.span,
                                "passes to another party",
                            )
                            .with_related(clause.number.span, "an exception to another clause")
                            .with_help(
                                "an exception's grant replaces the general grant for the acts of its own grantee; once it has passed to another, whose acts it covers is no longer the grant as written, and proviso will not guess: put the assignable grant in a clause of its own, or write `passes to` on the general grant",
                            ),
                        );
                    }
                }
            }
            Statement::Own(ownership) => self.check_ownership(clause, ownership),
            Statement::Exclusion(exclusion) => {
                self.check_action(&exclusion.scope);
            }
            Statement::Holding(holding) => {
                self.resolve_party(&holding.holder);
                self.resolve_party(&holding.entity);
                let stake = holding.stake.node;
                if stake < Decimal::ZERO || stake > Decimal::ONE_HUNDRED {
                    self.report(
                        Diagnostic::error(
                            Code::InvalidStake,
                            format!("a stake of {stake}% is impossible"),
                            holding.stake.span,
                            "a stake is between 0% and 100%",
                        )
                        .with_help("write the holder's share of the entity, such as `27%`"),
                    );
                }
                if holding.holder.node == holding.entity.node {
                    self.report(
                        Diagnostic::error(
                            Code::InvalidStake,
                            format!("`{}` cannot hold a stake in itself", holding.holder.node),
                            holding.entity.span,
                            "the same party as the holder",
                        )
                        .with_help("name the entity whose shares are held"),
                    );
                }
            }
            Statement::CapTable(cap) => {
                self.resolve_party(&cap.entity);
            }
            Statement::Commitment(commitment) => self.check_commitment(commitment),
            Statement::Suspension(suspension) => self.check_suspension(suspension),
            Statement::Cap(cap) => self.check_cap(clause, cap),
        }
    }

    /// `passes to EVENT.FIELD`: a field that names a party.
    fn check_grant_passes(&mut self, passes: &'a GrantPasses) {
        let GrantPasses {
            field,
            filter,
            span: _,
        } = passes;
        let Some(decl) = self.resolve_event(&field.event) else {
            return;
        };
        if let Some(ty) = self.resolve_field(decl, &field.field)
            && ty != super::types::Ty::Party
        {
            self.report(
                Diagnostic::error(
                    Code::TypeMismatch,
                    format!(
                        "`passes to {}.{}` needs a field that names a party",
                        field.event.node, field.field.node
                    ),
                    field.span,
                    format!("{ty} here, not a party"),
                )
                .with_help(format!(
                    "name the field of `{}` that says to whom the grant passes, declared with the kind `party` (`assignee: party`)",
                    decl.name.node
                )),
            );
        }
        if let Some(filter) = filter {
            self.check_condition(filter, &super::types::Scope::event(decl));
        }
    }

    /// `PARTY owns [P% of] assets made by EVENT`: one party, a share above
    /// 0% and at most 100%, and shares of the same assets that add up to
    /// no more than the whole.
    fn check_ownership(&mut self, own: &'a Clause, ownership: &'a Ownership) {
        let Ownership {
            owner,
            share,
            made_by,
            passes,
            span: _,
        } = ownership;
        self.resolve_party(owner);
        if let Some(share) = share
            && (share.node <= Decimal::ZERO || share.node > Decimal::ONE_HUNDRED)
        {
            self.report(
                Diagnostic::error(
                    Code::InvalidStake,
                    format!("a share of {}% of an asset is impossible", share.node),
                    share.span,
                    "a share is above 0% and at most 100%",
                )
                .with_help("write the owner's share of each asset, such as `60%`, or leave it out for the whole"),
            );
        }
        self.check_action(made_by);
        for passing in passes {
            let TitlePassing { to, when, span: _ } = passing;
            self.resolve_party(to);
            match when {
                PassingWhen::On(on) => self.check_event_pattern(on),
                PassingWhen::Once(milestone) => {
                    self.resolve_milestone_only(milestone);
                }
            }
        }
        // The shares of the same assets (the same events, the same
        // condition), from this rule and those before it, in any clause.
        let same = crate::syntax::one_line::action(made_by);
        let mut total = Decimal::ZERO;
        let mut first = None;
        for clause in &self.file.clauses {
            for statement in &clause.statements {
                if let Statement::Own(other) = statement
                    && crate::syntax::one_line::action(&other.made_by) == same
                {
                    if std::ptr::eq(&**other, ownership) {
                        break;
                    }
                    total += other
                        .share
                        .as_ref()
                        .map_or(Decimal::ONE_HUNDRED, |s| s.node);
                    first.get_or_insert(other.span);
                }
            }
            if std::ptr::eq(clause, own) {
                break;
            }
        }
        // Reported once, on the share that takes the total above the whole.
        let before = total;
        total += share.as_ref().map_or(Decimal::ONE_HUNDRED, |s| s.node);
        if before <= Decimal::ONE_HUNDRED
            && total > Decimal::ONE_HUNDRED
            && let Some(first) = first
        {
            self.report(
                Diagnostic::error(
                    Code::InvalidStake,
                    format!(
                        "the owners' shares of the assets made by `{same}` come to {total}%"
                    ),
                    ownership.span,
                    "this share takes the total above 100%",
                )
                .with_related(first, "the first share of the same assets")
                .with_help("the shares of each asset add up to 100% at most; correct the percentages against the signed text"),
            );
        }
    }

    /// An aggregate cap: its party, its period, an amount of money, and
    /// clauses that exist and under which the party owes something.
    fn check_cap(&mut self, own: &Clause, cap: &AggregateCap) {
        let AggregateCap {
            kind,
            debtor,
            creditor,
            clauses,
            amount,
            per,
            partial,
            due,
            span,
        } = cap;
        self.resolve_party(debtor);
        if let Some(creditor) = creditor {
            self.resolve_party(creditor);
        }
        if let Some(period) = per {
            self.resolve_period(period);
        }
        self.check_limit_terms(
            kind,
            &debtor.node,
            creditor.as_ref(),
            per.as_ref(),
            (partial.as_ref(), due.as_ref()),
            *span,
        );
        let (limit, limits) = match kind.node {
            LimitKind::Cap => ("cap", "limits"),
            LimitKind::Floor => ("floor", "counts"),
        };
        if kind.node == LimitKind::Floor {
            // A shortfall is paid as the contract's payments are.
            self.require_settlement("nothing says how a floor's shortfall is paid", kind.span);
        }
        // `at least USD 100 capped at USD 200` reads as two limits on the
        // total, but bounds only the amount written (a fixed amount, which
        // needs no bound): refused rather than guessed at.
        if let ExprKind::CappedAt { .. } | ExprKind::AtLeast { .. } = &amount.kind {
            self.report(
                Diagnostic::error(
                    Code::LimitTerms,
                    format!("a {limit}'s amount is itself bounded here"),
                    amount.span,
                    "this bounds the amount written, not what is owed",
                )
                .with_help(format!(
                    "to limit what is owed both ways, write a cap and a floor as two rules; the {limit}'s own amount is fixed, so write it as it works out"
                )),
            );
        }
        let ty = self.check_expr(amount, &Scope::none());
        if let (Ty::Money(Some(found)), Some(pays)) = (&ty, self.contract_currency())
            && *found != pays
        {
            self.report(
                Diagnostic::error(
                    Code::MixedCurrencies,
                    format!("this {limit} is in {found}, and the contract pays in {pays}"),
                    amount.span,
                    format!("in {found}"),
                )
                .with_help(format!(
                    "state the {limit} in {pays}: it {limits} the payments in its own currency only"
                )),
            );
        }
        if !matches!(ty, Ty::Money(_) | Ty::Unknown) {
            let help = match ty {
                Ty::Percent => {
                    Some("say what the percentage is of: `10% of USD 50,000.00`".to_string())
                }
                Ty::Number => Some("give the currency: `USD 5,000.00`".to_string()),
                _ => None,
            };
            self.mismatch(amount.span, "an amount of money", &ty, help);
        }
        let (what, limit, verb) = match kind.node {
            LimitKind::Cap => ("capped", "cap", "limit"),
            LimitKind::Floor => ("counted towards the floor", "floor", "count"),
        };
        for (number, target) in
            self.resolve_clause_list(clauses, Code::DanglingCap, what, Some(&own.number.node))
        {
            let party = debtor.node.as_str();
            // A floor counts only what is owed to the party it names.
            let paid = |p: &Name| creditor.as_ref().is_none_or(|c| c.node == p.node);
            let owes = target.statements.iter().any(|s| match s {
                Statement::Pay(p) => p.debtor.node == party && paid(&p.creditor),
                // Damages are owed by whom they name, not by the party in
                // default.
                Statement::Do(r) => r
                    .damages
                    .iter()
                    .any(|d| d.debtor.node == party && paid(&d.creditor)),
                Statement::Commitment(c) => {
                    c.party.node == party
                        && c.shortfall.is_some()
                        && c.beneficiary.as_ref().map_or(creditor.is_none(), paid)
                }
                Statement::MustNot(_)
                | Statement::May(_)
                | Statement::Grant(_)
                | Statement::Exclusion(_)
                | Statement::Holding(_)
                | Statement::Own(_)
                | Statement::CapTable(_)
                | Statement::Suspension(_)
                | Statement::Cap(_) => false,
            });
            // A floor's shortfall is worked out after every cap and floor,
            // and none of them counts it.
            let floor_there = target
                .statements
                .iter()
                .any(|s| matches!(s, Statement::Cap(c) if c.kind.node == LimitKind::Floor));
            if !owes && floor_there {
                self.report(
                    Diagnostic::error(
                        Code::CapOverNothing,
                        format!(
                            "clause {} holds a floor, and what a floor makes owed is not counted by another {limit}",
                            number.node
                        ),
                        number.span,
                        "a floor's shortfall".to_string(),
                    )
                    .with_related(target.number.span, "this clause")
                    .with_help(
                        "a shortfall is worked out once every cap and floor has been, and none of them counts it: name the clauses of the payments themselves".to_string(),
                    ),
                );
            } else if !owes {
                let whom = match creditor {
                    Some(c) => format!(" {}", c.node),
                    None => String::new(),
                };
                self.report(
                    Diagnostic::error(
                        Code::CapOverNothing,
                        format!(
                            "under clause {}, {party} owes{whom} nothing for this {limit} to {verb}",
                            number.node
                        ),
                        number.span,
                        format!("no payment by {party} here"),
                    )
                    .with_related(target.number.span, "this clause")
                    .with_help(format!(
                        "name the clauses whose payments {party} owes (`{party} must pay ...`), or {} the party that pays under this one",
                        match kind.node {
                            LimitKind::Cap => "cap",
                            LimitKind::Floor => "hold to the floor",
                        }
                    )),
                );
            }
        }
    }

    /// What a cap or a floor must and must not say: a floor names the
    /// party its shortfall is owed to and the period it is reckoned over,
    /// and may say when the shortfall is due, counted from the end of the
    /// period; a cap says none of that (it only reduces what is owed).
    fn check_limit_terms(
        &mut self,
        kind: &Spanned<LimitKind>,
        debtor: &str,
        creditor: Option<&Name>,
        per: Option<&Name>,
        (partial, due): (Option<&Spanned<PartialPeriods>>, Option<&Spanned<Duration>>),
        span: Span,
    ) {
        let refuse = |this: &mut Self, message: &str, at: Span, label: &str, help: String| {
            this.report(
                Diagnostic::error(Code::LimitTerms, message.to_string(), at, label.to_string())
                    .with_help(help.to_string()),
            );
        };
        match kind.node {
            LimitKind::Floor => {
                if creditor.is_none() {
                    refuse(
                        self,
                        "a floor must say whom a shortfall is owed to",
                        kind.span,
                        "owed to whom?",
                        format!(
                            "name the party paid: `total owed by {debtor} to PARTY under ... at least ...`"
                        ),
                    );
                }
                if per.is_none() {
                    refuse(
                        self,
                        "a floor must say the period it is reckoned over",
                        span,
                        "over which period?",
                        "add `for each year` (or another period): a shortfall is owed once each period is over".to_string(),
                    );
                }
            }
            LimitKind::Cap => {
                if let Some(creditor) = creditor {
                    refuse(
                        self,
                        "a cap limits what is owed to anyone under the clauses it names",
                        creditor.span,
                        "not for a cap",
                        "drop `to ...`; to limit only the payments to one party, name the clauses that pay it".to_string(),
                    );
                }
                if let Some(partial) = partial {
                    refuse(
                        self,
                        "a cap says nothing of partial periods",
                        partial.span,
                        "not for a cap",
                        "drop `partial periods ...`: a cap applies to each of its periods as a whole".to_string(),
                    );
                }
                if let Some(due) = due {
                    let at = due.span;
                    refuse(
                        self,
                        "a cap owes nothing, so nothing under it falls due",
                        at,
                        "not for a cap",
                        "drop `due ...`: what a cap leaves owed is due when each obligation is"
                            .to_string(),
                    );
                }
            }
        }
    }

    /// The clauses a list names (`suspends clauses 4, 6`, `under clauses
    /// 9, 9.1`), each once, with its number as written; a number no clause
    /// has is reported (`code`: clause 7 is `what`, but does not exist),
    /// with the closest number other than `own` (the clause the list is in,
    /// when it cannot name itself).
    pub(super) fn resolve_clause_list<'n>(
        &mut self,
        numbers: &'n [Spanned<ClauseNumber>],
        code: Code,
        what: &str,
        own: Option<&ClauseNumber>,
    ) -> Vec<(&'n Spanned<ClauseNumber>, &'a Clause)> {
        let file = self.file;
        let mut found = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for number in numbers {
            if self.symbols.clauses.contains_key(&number.node) {
                self.refer(
                    number.span,
                    crate::model::Target::Clause(number.node.clone()),
                );
            }
            if !seen.insert(&number.node) {
                continue;
            }
            let Some(&id) = self.symbols.clauses.get(&number.node) else {
                let wanted = number.node.to_string();
                if number.node.0.contains(&0)
                    || self.full()
                    || self.unparsed.clauses.contains(&wanted)
                {
                    continue; // reported already
                }
                let all: Vec<String> = file
                    .clauses
                    .iter()
                    .filter(|c| Some(&c.number.node) != own)
                    .map(|c| c.number.node.to_string())
                    .collect();
                let diagnostic = Diagnostic::error(
                    code,
                    format!("clause {wanted} is {what}, but does not exist"),
                    number.span,
                    "no clause has this number",
                );
                self.report(
                    match crate::diagnostics::closest(&wanted, all.iter().map(String::as_str)) {
                        Some(best) => diagnostic
                            .with_suggestion(best)
                            .with_help(format!("did you mean clause `{best}`?")),
                        None => diagnostic
                            .with_help("name an existing clause, or remove it from the list"),
                    },
                );
                continue;
            };
            if let Some(target) = file.clauses.get(id.index()) {
                found.push((number, target));
            }
        }
        found
    }

    /// A suspension: events that begin and end it, and clauses that exist
    /// and hold something with a date to move.
    fn check_suspension(&mut self, suspension: &Suspension) {
        self.check_event_pattern(&suspension.from);
        self.check_event_pattern(&suspension.until);
        for (number, target) in self.resolve_clause_list(
            &suspension.clauses,
            Code::DanglingSuspension,
            "suspended",
            None,
        ) {
            let movable = target.statements.iter().any(|s| match s {
                Statement::Pay(p) => p.due.is_some(),
                Statement::Do(r) => r.due.is_some(),
                // A commitment's deadline does not move; its shortfall
                // payment's due date does.
                Statement::Commitment(c) => c.shortfall.is_some(),
                // A floor's shortfall is due after its period; a cap owes
                // nothing.
                Statement::Cap(c) => match c.kind.node {
                    LimitKind::Floor => true,
                    LimitKind::Cap => false,
                },
                Statement::MustNot(_)
                | Statement::May(_)
                | Statement::Grant(_)
                | Statement::Exclusion(_)
                | Statement::Holding(_)
                | Statement::Own(_)
                | Statement::CapTable(_)
                | Statement::Suspension(_) => false,
            });
            if !movable {
                self.report(
                    Diagnostic::error(
                        Code::NothingToSuspend,
                        format!(
                            "clause {} has nothing a suspension can move: no payment or act with a due date",
                            number.node
                        ),
                        number.span,
                        "nothing here falls due",
                    )
                    .with_related(target.number.span, "this clause has no due date")
                    .with_help(
                        "a suspension moves due dates; name the clauses whose obligations fall due, or give the obligation a due date",
                    ),
                );
            }
        }
    }

    /// Resolves the event an action rule is about and checks its filter.
    fn check_action(&mut self, action: &Action) -> Option<&'a EventDecl> {
        let decl = self.resolve_event(&action.event)?;
        if let Some(filter) = &action.filter {
            self.check_condition(filter, &Scope::event(decl));
        }
        Some(decl)
    }

    /// The party a rule binds must be able to perform its action.
    fn check_actor(&mut self, decl: Option<&'a EventDecl>, party: &Name, event: &Name) {
        if let Some(decl) = decl
            && !decl.has_actor
        {
            self.report(super::event_without_actor(
                decl,
                event.span,
                format!("so proviso cannot tell whether `{}` did it", party.node),
            ));
        }
    }

    fn check_carve_outs(&mut self, carve_outs: &[CarveOut], decl: Option<&'a EventDecl>) {
        let scope = match decl {
            Some(decl) => Scope::event(decl),
            None => return, // the unknown event was reported; its fields cannot be checked
        };
        for carve_out in carve_outs {
            self.check_condition(&carve_out.condition, &scope);
        }
    }

    /// A period named by `for each`: declared, or one of the calendar's.
    pub(super) fn resolve_period(&mut self, name: &Name) {
        if self
            .symbols
            .periods
            .get(&name.node)
            .is_some_and(|p| p.declared.is_some())
        {
            self.refer(
                name.span,
                crate::model::Target::Period(name.node.as_str().into()),
            );
        }
        if !self.symbols.periods.contains_key(&name.node) {
            let candidates: Vec<String> = self.symbols.periods.keys().cloned().collect();
            let help = format!(
                "the calendar periods are `month`, `quarter` and `year`; declare others with `period {}: year starting july`",
                name.node
            );
            self.unknown(Code::UnknownPeriod, "period", name, candidates, help);
        }
    }

    fn check_pay(&mut self, pay: &'a PayObligation) {
        self.resolve_party(&pay.debtor);
        self.resolve_party(&pay.creditor);
        let mut scope = Scope::none();
        let mut per_period = false;
        let mut per_event: Option<&'a EventDecl> = None;
        match &pay.recurrence {
            None => {}
            Some(Recurrence::EachPeriod(name)) => {
                per_period = true;
                self.resolve_period(name);
                scope.totals = true;
                if let Some(&info) = self.symbols.periods.get(&name.node) {
                    scope.period = super::types::PeriodView::Of(info);
                }
            }
            Some(Recurrence::EachPeriodField(field)) => {
                per_period = true;
                scope.totals = true;
                let ty = self
                    .resolve_event(&field.event)
                    .and_then(|decl| self.resolve_field(decl, &field.field));
                if let Some(Ty::Period(kind)) = &ty
                    && let Some(&info) = self.symbols.periods.get(kind)
                {
                    scope.period = super::types::PeriodView::Of(info);
                }
                if let Some(ty) = ty
                    && !matches!(ty, Ty::Period(_) | Ty::Unknown)
                {
                    self.report(
                                Diagnostic::error(
                                    Code::TypeMismatch,
                                    format!("expected a field that names a period, found {ty}"),
                                    field.span,
                                    "not a period",
                                )
                                .with_help(
                                    "`for each event.field` groups events by a field declared with a period type, such as `quarter: quarter`",
                                ),
                            );
                }
            }
            Some(Recurrence::EachEvent(pattern)) => {
                self.check_event_pattern(pattern);
                per_event = self.event_decl(&pattern.event.node);
                if let Some(decl) = per_event {
                    scope = Scope::event(decl);
                }
            }
        }
        // A balance may decide the amount, never whether the payment is
        // owed: the carve-outs below keep `scope`, which refuses one.
        let amount_scope = Scope {
            event: scope.event,
            any_event: scope.any_event,
            totals: scope.totals,
            period: scope.period,
            balances: super::types::Balances::Any,
        };
        let ty = self.check_expr(&pay.amount, &amount_scope);
        self.check_balance_timing(pay);
        if !matches!(ty, Ty::Money(_) | Ty::Unknown) {
            let help = match ty {
                Ty::Percent => Some(
                    "say what the percentage is of: `20% of event.amount`, or `20% of total event.amount` in a payment made `for each` period"
                        .to_string(),
                ),
                Ty::Number => Some("give the currency: `USD 1,000`".to_string()),
                _ => None,
            };
            self.mismatch(pay.amount.span, "an amount of money to pay", &ty, help);
        }
        // An amount worked out from money declared in another currency
        // must be converted before it is paid. (A written amount in another
        // currency is only a lint warning: it may be meant.)
        if let (Ty::Money(Some(found)), Some(contract)) = (&ty, self.contract_currency())
            && *found != contract
            && !matches!(pay.amount.kind, ExprKind::Money(_))
        {
            self.report(
                Diagnostic::error(
                    Code::MixedCurrencies,
                    format!("this amount is in {found}, and the contract pays in {contract}"),
                    pay.amount.span,
                    format!("in {found}"),
                )
                .with_help(format!(
                    "convert it where it is paid: `... converted to {contract} at RATE`, with the rate from the event or written in the contract"
                )),
            );
        }
        if let (Some(option), ExprKind::Rounded { rounding, .. }) =
            (&pay.rounding, &pay.amount.kind)
        {
            self.report(
                Diagnostic::error(
                    Code::InvalidRounding,
                    "this obligation says twice how to round its amount",
                    option.span,
                    "rounded again here",
                )
                .with_related(rounding.span, "first rounding")
                .with_help("keep one `rounded ...`; both apply to the whole amount"),
            );
        }
        self.check_window(&pay.window);
        for carve_out in &pay.carve_outs {
            if per_event.is_none() && (per_period || pay.recurrence.is_none()) {
                // A carve-out on a periodic payment can only test fixed facts.
                self.check_condition(&carve_out.condition, &Scope::none());
            } else {
                self.check_condition(&carve_out.condition, &scope);
            }
        }
        match &pay.settled_by {
            Some(name) => self.check_settlement_event(name),
            None => {
                let has_default = self
                    .file
                    .header
                    .as_ref()
                    .is_some_and(|h| h.settlement.is_some());
                if !has_default {
                    self.report(
                        Diagnostic::error(
                            Code::NoSettlement,
                            "nothing says how this payment is made",
                            pay.debtor.span.to(pay.creditor.span),
                            "a payment obligation with no settlement event",
                        )
                        .with_help(
                            "name the event that records payments: add `settled by payment` to the obligation, or `settlement by payment` to the contract header",
                        ),
                    );
                }
            }
        }
        if let Some(due) = &pay.due {
            let raised_by_event = matches!(pay.recurrence, Some(Recurrence::EachEvent(_)));
            self.check_due_anchor(due, per_period, raised_by_event);
        }
        if let Some(cure) = &pay.cure {
            self.check_cure(cure, pay.due.is_some());
        }
        self.check_arising_rights(&pay.rights, pay.due.is_some());
        if let Some(interest) = &pay.interest {
            if pay.due.is_none() {
                self.report(
                    Diagnostic::error(
                        Code::InterestWithoutDueDate,
                        "this obligation charges late interest, but it has no due date to be late after",
                        interest.span,
                        "interest from when?",
                    )
                    .with_help(
                        "add when it falls due (`due 30 days after the end of the period`, `due 2026-06-30`), or remove the interest",
                    ),
                );
            }
            if interest.rate.node <= Decimal::ZERO {
                self.report(
                    Diagnostic::error(
                        Code::ZeroInterestRate,
                        "late interest at a rate of 0% charges nothing",
                        interest.rate.span,
                        "no interest",
                    )
                    .with_help(
                        "give the rate the contract states, such as `1.5%`, or remove the interest",
                    ),
                );
            }
        }
        if let Some(partial) = &pay.partial {
            let refused = if !per_period {
                Some((
                    "this obligation says what a partial period owes, but it is not made for each period",
                    "which periods?",
                    "add `for each quarter` (or another period) to the payment, or remove this option",
                ))
            } else if pay
                .basis
                .as_ref()
                .is_some_and(|b| b.node == PeriodBasis::Reported)
            {
                Some((
                    "this obligation counts events `as reported`, so no period is weighed against its window",
                    "no partial period to weigh",
                    "count the events `as earned` (the period they name is weighed against the window), or remove this option",
                ))
            } else if partial.node == PartialPeriods::Prorated
                && matches!(pay.recurrence, Some(Recurrence::EachPeriod(_)))
                && self.adds_up_events(&pay.amount)
            {
                Some((
                    "a partial period's events are already only those in the window; prorating would cut the amount twice",
                    "prorated twice",
                    "remove `partial periods prorated`: the total already counts only the events dated in the window",
                ))
            } else {
                None
            };
            if let Some((message, label, help)) = refused {
                self.report(
                    Diagnostic::error(
                        Code::PartialPeriodsNotApplicable,
                        message,
                        partial.span,
                        label,
                    )
                    .with_help(help),
                );
            }
        }
    }

    /// A renewal: periods of some length, a notice that names a declared
    /// event, and a term that ends on a date (the date each renewal moves).
    pub(super) fn check_renewal(&mut self, renewal: &Renewal, term: Option<&WindowEnd>) {
        self.check_length(
            &renewal.period,
            "a renewal",
            "give the length of each renewal, such as `renews for 1 year`",
        );
        self.check_event_pattern(&renewal.notice);
        let dated = term.is_some_and(|t| {
            matches!(
                t.bounds.as_slice(),
                [EndBound::Through(b) | EndBound::Until(b)] if b.node.fixed_day().is_some()
            ) || matches!(t.bounds.as_slice(), [EndBound::For(_)])
        });
        if !dated {
            self.report(
                Diagnostic::error(
                    Code::RenewalWithoutDatedTerm,
                    "a renewing term must end on one date, which each renewal moves",
                    term.map_or(renewal.span, |t| t.span),
                    "not one date",
                )
                .with_help(
                    "write the term's first end as a date (`term through 2026-12-31`) or a length (`term for 1 year`); to end it early, end the rules at a milestone",
                ),
            );
        }
    }

    /// A payment that arises from something other than a `must pay` (a
    /// shortfall, damages) is settled by the header's settlement event.
    fn require_settlement(&mut self, message: &str, at: Span) {
        let has_settlement = self
            .file
            .header
            .as_ref()
            .is_some_and(|h| h.settlement.is_some());
        if !has_settlement {
            self.report(
                Diagnostic::error(Code::NoSettlement, message, at, "a payment with no settlement event")
                    .with_help(
                        "name the event that records payments in the contract header: `settlement by payment`",
                    ),
            );
        }
    }

    /// Damages on default: parties, an amount of money that needs no
    /// event, a due date whose miss is the default, and a settlement event.
    fn check_damages(&mut self, damages: &[ArisingPayment], has_due: bool) {
        for payment in damages {
            self.resolve_party(&payment.debtor);
            self.resolve_party(&payment.creditor);
            let ty = self.check_expr(&payment.amount, &Scope::none());
            if !matches!(ty, Ty::Money(_) | Ty::Unknown) {
                self.mismatch(
                    payment.amount.span,
                    "an amount of money",
                    &ty,
                    Some("damages are an amount such as `USD 5,000.00`".to_string()),
                );
            }
            if let Some(within) = &payment.within {
                self.check_length(
                    within,
                    "a payment period",
                    "leave out `within` for damages due on the first day in default",
                );
            }
        }
        let Some(first) = damages.first() else {
            return;
        };
        if !has_due {
            self.report(
                Diagnostic::error(
                    Code::RightWithoutDueDate,
                    "these damages are owed on a default, but the obligation has no due date to miss",
                    first.span,
                    "they can never be owed",
                )
                .with_help(
                    "add when the obligation falls due (`due 30 days after the event`, `due 2026-06-30`), or remove the damages",
                ),
            );
        }
        self.require_settlement("nothing says how damages are paid", first.span);
    }

    /// `matching FIELD` on an obligation to act: it is raised `on each`
    /// event, and both that event and the act declare the field alike.
    fn check_act_matching(&mut self, rule: &ActionRule, act: Option<&'a EventDecl>) {
        let Some(first) = rule.matching.first() else {
            return;
        };
        let Some(trigger) = &rule.trigger else {
            self.report(
                Diagnostic::error(
                    Code::MatchingWithoutTrigger,
                    "`matching` compares the act with the event that raised the obligation, but this obligation is not raised by events",
                    first.span,
                    "matched with what?",
                )
                .with_help(
                    "raise one obligation per event with `on each EVENT` (`supplier must repair on each defect_report matching serial`), or remove `matching`",
                ),
            );
            return;
        };
        let (Some(act), Some(raising)) = (
            act,
            self.symbols
                .events
                .get(&trigger.event.node)
                .and_then(|id| self.file.events.get(id.index())),
        ) else {
            return;
        };
        for field in &rule.matching {
            let here = self.resolve_field(act, field);
            let there = self.resolve_field(raising, field);
            let declared = |decl: &EventDecl| decl.fields.iter().any(|f| f.name.node == field.node);
            if here.is_some() && there.is_some() && !(declared(act) && declared(raising)) {
                self.report(
                    Diagnostic::error(
                        Code::MatchingFieldMismatch,
                        format!("`{}` is not a field both events declare", field.node),
                        field.span,
                        "matched here",
                    )
                    .with_help("match declared fields; the date and the party are not matched"),
                );
                continue;
            }
            if let (Some(a), Some(b)) = (here, there)
                && a != b
            {
                self.report(
                    Diagnostic::error(
                        Code::MatchingFieldMismatch,
                        format!(
                            "`{}` is {a} in `{}` but {b} in `{}`, so their values can never be the same",
                            field.node, act.name.node, raising.name.node
                        ),
                        field.span,
                        "matched here",
                    )
                    .with_help("match fields that hold the same kind of value in both events, such as a text reference or a serial number"),
                );
            }
        }
    }

    /// Rights that arise on a default: a party that can act, an act
    /// declared, and a due date whose miss is the default.
    fn check_arising_rights(&mut self, rights: &[ArisingRight], has_due: bool) {
        for right in rights {
            self.resolve_party(&right.party);
            let decl = self.check_action(&right.action);
            self.check_actor(decl, &right.party, &right.action.event);
        }
        if let (Some(first), false) = (rights.first(), has_due) {
            self.report(
                Diagnostic::error(
                    Code::RightWithoutDueDate,
                    "this right arises on a default, but the obligation has no due date to miss",
                    first.span,
                    "it can never arise",
                )
                .with_help(
                    "add when the obligation falls due (`due 30 days after the event`, `due 2026-06-30`), or remove the right",
                ),
            );
        }
    }

    /// A cure period: some length, a notice that names a declared event,
    /// and a due date to be missed.
    fn check_cure(&mut self, cure: &Cure, has_due: bool) {
        self.check_length(
            &cure.within,
            "a cure period",
            "give the period the contract states, such as `cure within 30 days`",
        );
        if let Some(notice) = &cure.notice {
            self.check_event_pattern(notice);
        }
        if !has_due {
            self.report(
                Diagnostic::error(
                    Code::CureWithoutDueDate,
                    "this obligation has a cure period, but no due date to be missed",
                    cure.span,
                    "cure what?",
                )
                .with_help(
                    "add when it falls due (`due 30 days after the end of the period`, `due 2026-06-30`), or remove the cure period",
                ),
            );
        }
    }

    /// A due date must count from something the obligation has: the end of
    /// its period, the event that raised it, a date or a milestone.
    fn check_due_anchor(&mut self, due: &Due, per_period: bool, per_event: bool) {
        let Due::After { anchor, .. } = due else {
            return;
        };
        match &anchor.node {
            DueAnchor::PeriodEnd if !per_period => self.report(
                Diagnostic::error(
                    Code::DueWithoutPeriod,
                    "the due date counts from the end of a period, but this obligation has none",
                    anchor.span,
                    "which period?",
                )
                .with_help("add `for each quarter` (or another period) to a payment, or count from a date or a milestone"),
            ),
            DueAnchor::Event if !per_event => self.report(
                Diagnostic::error(
                    Code::DueWithoutPeriod,
                    "the due date counts from an event, but this obligation is not raised by one",
                    anchor.span,
                    "which event?",
                )
                .with_help("add `on each EVENT` to raise the obligation per event, or count from a date or a milestone"),
            ),
            DueAnchor::Milestone(name) => {
                self.resolve_milestone(&Spanned::new(name.clone(), anchor.span));
            }
            // Each is checked where it is read (a date as it is lowered).
            DueAnchor::PeriodEnd | DueAnchor::Event | DueAnchor::Date(_) => {}
        }
    }

    fn check_commitment(&mut self, commitment: &'a Commitment) {
        self.resolve_party(&commitment.party);
        if let Some(beneficiary) = &commitment.beneficiary {
            self.resolve_party(beneficiary);
        }
        let target = self.check_expr(&commitment.target, &Scope::none());
        let decl = self.resolve_event(&commitment.measure.event);
        if let Some(decl) = decl {
            if let Some(measure) = self.resolve_field(decl, &commitment.measure.field) {
                let target_ok = matches!(
                    (&target, &measure),
                    (Ty::Money(_), Ty::Money(_))
                        | (Ty::Number, Ty::Number)
                        | (Ty::Unknown, _)
                        | (_, Ty::Unknown)
                );
                if !matches!(target, Ty::Money(_) | Ty::Number | Ty::Unknown) {
                    self.mismatch(
                        commitment.target.span,
                        "an amount or a number to reach",
                        &target,
                        Some("a commitment's target is an amount such as `USD 250 billion` or a count".to_string()),
                    );
                } else if !target_ok {
                    self.mismatch(
                        commitment.measure.span,
                        &format!("a field measured in the same way as the target ({target})"),
                        &measure,
                        None,
                    );
                }
            }
            let scope = Scope::event(decl);
            if let Some(filter) = &commitment.filter {
                self.check_condition(filter, &scope);
            }
            for carve_out in &commitment.carve_outs {
                self.check_condition(&carve_out.condition, &scope);
            }
        }
        self.check_window(&commitment.window);
        if let Some(period) = &commitment.per {
            self.resolve_period(period);
        }
        if let Some(shortfall) = &commitment.shortfall {
            self.check_shortfall(commitment, shortfall, &target);
        }
    }

    /// A shortfall payment: a rate that fits the target, a party to pay,
    /// and an event that records payments.
    fn check_shortfall(&mut self, commitment: &Commitment, shortfall: &Shortfall, target: &Ty) {
        match (&shortfall.rate, target) {
            (ShortfallRate::Share(_), Ty::Money(_) | Ty::Unknown)
            | (ShortfallRate::PerUnit(_), Ty::Number | Ty::Unknown) => {}
            (ShortfallRate::Share(share), _) => self.report(
                Diagnostic::error(
                    Code::ShortfallRateMismatch,
                    "a share of the shortfall needs a target in money",
                    share.span,
                    "a share of a count",
                )
                .with_related(commitment.target.span, format!("the target is {target}"))
                .with_help(
                    "for a count, give a price for each unit short: `shortfall payment USD 5.00 per unit`",
                ),
            ),
            (ShortfallRate::PerUnit(price), _) => self.report(
                Diagnostic::error(
                    Code::ShortfallRateMismatch,
                    "a price per unit needs a target that counts units",
                    price.span,
                    "a price per unit",
                )
                .with_related(commitment.target.span, format!("the target is {target}"))
                .with_help(
                    "for a target in money, give the share of the shortfall that is paid: `shortfall payment 100%`",
                ),
            ),
        }
        let (zero, at) = match &shortfall.rate {
            ShortfallRate::Share(share) => (share.node.is_zero(), share.span),
            ShortfallRate::PerUnit(price) => (price.node.amount.is_zero(), price.span),
        };
        if zero {
            self.report(
                Diagnostic::error(
                    Code::ZeroShortfallPayment,
                    "a shortfall payment of nothing",
                    at,
                    "nothing is paid",
                )
                .with_help(
                    "give the share of the shortfall (`100%` for all of it) or the price per unit the contract states, or remove `shortfall payment`",
                ),
            );
        }
        if let Some(within) = &shortfall.within {
            self.check_length(
                within,
                "a payment period",
                "leave out `within` for a payment due the day after the deadline",
            );
        }
        if commitment.beneficiary.is_none() {
            self.report(
                Diagnostic::error(
                    Code::ShortfallWithoutBeneficiary,
                    "a shortfall payment is owed to someone, but the commitment names no party it is made to",
                    shortfall.span,
                    "paid to whom?",
                )
                .with_related(commitment.party.span, "committed here")
                .with_help(format!(
                    "name the party the commitment is made to: `{} commits to PARTY ...`",
                    commitment.party.node
                )),
            );
        }
        self.require_settlement(
            "nothing says how a shortfall payment is made",
            shortfall.span,
        );
    }

    pub(super) fn check_window(&mut self, window: &Window) {
        if let Some(from) = &window.from {
            self.check_bound(from);
        }
        if let Some(end) = &window.end {
            self.check_window_end(end);
        }
    }

    /// A point in time: its milestone declared, its delay not nothing.
    fn check_bound(&mut self, bound: &Spanned<Bound>) {
        match &bound.node {
            Bound::Date(_) => {}
            Bound::Milestone(name) => {
                self.resolve_milestone(&Spanned::new(name.clone(), bound.span));
            }
            Bound::After { delay, anchor } => {
                self.check_length(delay, "a delay", "`0 days after X` is X itself: write X");
                self.check_bound(anchor);
            }
        }
    }

    /// A delay or a length must be some time: zero is refused, since it
    /// either says nothing (a delay) or leaves a window no day at all.
    pub(super) fn check_length(&mut self, length: &Spanned<Duration>, what: &str, help: &str) {
        let (Duration::Days(n) | Duration::Months(n)) = length.node;
        if n == 0 {
            self.report(
                Diagnostic::error(
                    Code::ZeroLength,
                    format!("{what} of no time at all"),
                    length.span,
                    "zero",
                )
                .with_help(help),
            );
        }
    }

    pub(super) fn check_window_end(&mut self, end: &WindowEnd) {
        for bound in &end.bounds {
            match bound {
                EndBound::Until(b) | EndBound::Through(b) => self.check_bound(b),
                EndBound::For(length) => self.check_length(
                    length,
                    "a window",
                    "a window `for` a length lasts that long from its start: give at least `1 day`",
                ),
            }
        }
        if end.bounds.len() > 1 && !end.whichever_earlier {
            self.report(
                Diagnostic::error(
                    Code::AmbiguousWindow,
                    "a window with several ends must say which one applies",
                    end.span,
                    "two or more ends",
                )
                .with_help("add `, whichever is earlier` after the last end"),
            );
        }
    }
}

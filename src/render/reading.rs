//! Each rule in plain words, generated from the checked contract: what a
//! client reads beside the clause's own wording ("OpenAI Group PBC must
//! pay Microsoft Corporation 20% of the total amount of “Revenue reported”
//! events, for each quarter those events name ...").
//!
//! A reading is a list of [`Piece`]s: words, and the defined terms and
//! clauses they mention, so that the page can link each term to its
//! definition. Every kind of rule and every option of each is read here,
//! destructured field by field, so that a construct added to the language
//! does not compile until it has a reading.

use rust_decimal::Decimal;

use crate::ast::*;
use crate::eval::report::money_text;
use crate::model::Checked;
use crate::syntax::one_line;

/// A part of a reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Words(String),
    /// A defined term: a party, an event type, a category or one of its
    /// members, a period or a milestone, linked to its definition.
    Term(Term),
    /// A clause, linked to its text.
    Clause(String),
}

/// A mention of something the contract defines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// The id of its definition on the page (`party-openai`).
    pub anchor: String,
    /// As the reading shows it: a party's legal name, a milestone's label,
    /// an event type's or a member's name in words.
    pub shown: String,
    /// Said on hovering: the name as the clause file writes it, and its
    /// label.
    pub title: String,
}

/// The anchors of definitions on the page: one namespace per kind, so a
/// party and an event type of the same name never collide.
pub fn party_anchor(name: &str) -> String {
    format!("party-{name}")
}
pub fn event_anchor(name: &str) -> String {
    format!("event-{name}")
}
pub fn category_anchor(name: &str) -> String {
    format!("category-{name}")
}
pub fn period_anchor(name: &str) -> String {
    format!("period-{name}")
}
pub fn milestone_anchor(name: &str) -> String {
    format!("milestone-{name}")
}
pub fn definition_anchor(name: &str) -> String {
    format!("define-{name}")
}
pub fn account_anchor(name: &str) -> String {
    format!("account-{name}")
}
pub fn clause_anchor(number: &str) -> String {
    format!("clause-{number}")
}

/// `3` as `3rd`, `11` as `11th`, `21` as `21st`: the event a count of
/// events is reached by. A threshold the checker refused is shown as written.
fn ordinal(threshold: &Expr) -> String {
    let Some(n) = threshold
        .literal_value()
        .filter(|n| n.fract().is_zero())
        .and_then(|n| u128::try_from(n).ok())
    else {
        return one_line::expr(threshold);
    };
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A name as words: `api_product` → `api product`.
pub fn words(name: &str) -> String {
    name.replace('_', " ")
}

/// The whole reading as text (for tests, and anything that cannot link).
pub fn plain(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Words(w) => w.as_str(),
            Piece::Term(t) => t.shown.as_str(),
            Piece::Clause(n) => n.as_str(),
        })
        .collect()
}

/// Builds readings of one contract.
pub struct Reader<'c> {
    contract: &'c Checked,
    out: Vec<Piece>,
    /// The event types whose fields a bare name may refer to, innermost
    /// last (a rule's event, then a `total ... where` filter's).
    scope: Vec<String>,
}

impl<'c> Reader<'c> {
    pub fn new(contract: &'c Checked) -> Self {
        Reader {
            contract,
            out: Vec::new(),
            scope: Vec::new(),
        }
    }

    fn take(&mut self) -> Vec<Piece> {
        std::mem::take(&mut self.out)
    }

    /// The pieces gathered since the last reading (a single term asked
    /// for on its own, such as [`Reader::party`]).
    pub fn take_pieces(&mut self) -> Vec<Piece> {
        self.take()
    }

    fn say(&mut self, text: &str) {
        match self.out.last_mut() {
            Some(Piece::Words(w)) => w.push_str(text),
            Some(Piece::Term(_) | Piece::Clause(_)) | None => {
                self.out.push(Piece::Words(text.to_string()));
            }
        }
    }

    fn clause_list(&mut self, numbers: &[Spanned<ClauseNumber>]) {
        self.say(if numbers.len() == 1 {
            "clause "
        } else {
            "clauses "
        });
        for (i, number) in numbers.iter().enumerate() {
            if i > 0 {
                self.say(if i + 1 == numbers.len() {
                    " and "
                } else {
                    ", "
                });
            }
            self.out.push(Piece::Clause(number.node.to_string()));
        }
    }

    /// A party by its legal name (or its name, when it has none).
    pub fn party(&mut self, name: &str) {
        let party = self
            .contract
            .party_named(name)
            .and_then(|id| self.contract.party(id));
        let group = self
            .contract
            .symbols
            .groups
            .get(name)
            .and_then(|&id| self.contract.group(id));
        let (shown, title) = match (party.and_then(|p| p.legal_name.as_ref()), group) {
            (Some(legal), _) => (legal.node.clone(), format!("party `{name}`")),
            // A group reads as its label ("OpenAI and its affiliates").
            (None, Some(group)) => (
                group
                    .label
                    .as_ref()
                    .map_or_else(|| words(name), |l| l.node.clone()),
                format!("group `{name}`: its members, while they belong"),
            ),
            (None, None) => (words(name), format!("party `{name}`")),
        };
        self.out.push(Piece::Term(Term {
            anchor: party_anchor(name),
            shown,
            title,
        }));
    }

    /// An event type as a verb or a noun: its name in words, its label on
    /// hovering.
    pub fn event(&mut self, name: &str) {
        let label = self
            .contract
            .event_type_named(name)
            .and_then(|id| self.contract.event_type(id))
            .and_then(|e| e.label.as_ref())
            .map(|l| l.node.clone());
        let title = match label {
            Some(label) => format!("event `{name}`: {label}"),
            None => format!("event `{name}`"),
        };
        self.out.push(Piece::Term(Term {
            anchor: event_anchor(name),
            shown: words(name),
            title,
        }));
    }

    /// Events of a type, as a noun phrase: `“Revenue reported” events`.
    fn events_of(&mut self, name: &str) {
        let label = self
            .contract
            .event_type_named(name)
            .and_then(|id| self.contract.event_type(id))
            .and_then(|e| e.label.as_ref())
            .map(|l| l.node.clone());
        let shown = match &label {
            Some(label) => format!("“{label}”"),
            None => format!("“{}”", words(name)),
        };
        self.out.push(Piece::Term(Term {
            anchor: event_anchor(name),
            shown,
            title: format!("event `{name}`"),
        }));
        self.say(" events");
    }

    /// A milestone by its label (or its name in words).
    pub fn milestone(&mut self, name: &str) {
        let label = self
            .contract
            .symbols
            .milestones
            .get(name)
            .and_then(|id| self.contract.milestone(*id))
            .and_then(|m| m.label.as_ref())
            .map(|l| l.node.clone());
        self.out.push(Piece::Term(Term {
            anchor: milestone_anchor(name),
            shown: label.map_or_else(|| words(name), |l| format!("“{l}”")),
            title: format!("milestone `{name}`"),
        }));
    }

    /// A period alone, worded as the period a rule recurs over.
    pub fn period_pieces(&mut self, name: &str) -> Vec<Piece> {
        self.period(name);
        self.take()
    }

    /// A period a rule recurs over: a calendar one in words, a declared
    /// one linked to its definition.
    fn period(&mut self, name: &str) {
        let declared = self
            .contract
            .file
            .periods
            .iter()
            .find(|p| p.name.node == name);
        match declared {
            Some(period) => {
                let shown = period
                    .label
                    .as_ref()
                    .map_or_else(|| words(name), |l| l.node.clone());
                self.out.push(Piece::Term(Term {
                    anchor: period_anchor(name),
                    shown,
                    title: format!("period `{name}`: {}", one_line::period_base(period)),
                }));
            }
            None => self.say(&words(name)),
        }
    }

    /// Whether `name` is a field of the event in scope.
    fn is_field(&self, name: &str) -> bool {
        let Some(event) = self.scope.last() else {
            return false;
        };
        self.contract
            .event_type_named(event)
            .and_then(|id| self.contract.event_type(id))
            .is_some_and(|e| e.fields.iter().any(|f| f.name.node == name))
    }

    /// Whether a value is a date: a date written, or a date field.
    fn is_date(&self, expr: &Expr) -> bool {
        let field_is_date = |event: &str, field: &str| {
            self.contract
                .event_type_named(event)
                .and_then(|id| self.contract.event_type(id))
                .and_then(|e| e.fields.iter().find(|f| f.name.node == field))
                .is_some_and(|f| f.ty.node == TypeName::Date)
        };
        match &expr.kind {
            ExprKind::Date(_) => true,
            ExprKind::Name(name) => self
                .scope
                .last()
                .is_some_and(|event| field_is_date(event, name)),
            ExprKind::Field(field) => field_is_date(&field.event.node, &field.field.node),
            ExprKind::Pick(pick) => field_is_date(&pick.field.event.node, &pick.field.field.node),
            ExprKind::Money(_)
            | ExprKind::Percent(_)
            | ExprKind::Number(_)
            | ExprKind::Duration(_)
            | ExprKind::Bool(_)
            | ExprKind::Text(_)
            | ExprKind::Total { .. }
            | ExprKind::Count { .. }
            | ExprKind::Chain { .. }
            | ExprKind::Negate(_)
            | ExprKind::Of { .. }
            | ExprKind::CappedAt { .. }
            | ExprKind::AtLeast { .. }
            | ExprKind::PerStep { .. }
            | ExprKind::DaysBetween { .. }
            | ExprKind::Tiers { .. }
            | ExprKind::Rounded { .. }
            | ExprKind::Converted { .. }
            | ExprKind::Balance { .. }
            | ExprKind::Invalid => false,
        }
    }

    /// A total's or count's own condition and stretch. Without a stretch,
    /// the condition follows its events as a rule's `where` does; with
    /// one, both go in one bracket, so that nothing after them reads as
    /// part of them: `(where urgent; in the same month as the event in
    /// question, up to and including it)`.
    fn condition_and_stretch(
        &mut self,
        event: &str,
        filter: Option<&Condition>,
        stretch: Option<&Spanned<Stretch>>,
    ) {
        let Some(stretch) = stretch else {
            self.filter(event, filter);
            return;
        };
        self.looking_back(event, filter, Some(stretch), true);
    }

    /// The condition and stretch of a value looked back for from the event
    /// in question, in one bracket: with no stretch, every event up to it;
    /// `including` says whether the event itself counts.
    fn looking_back(
        &mut self,
        event: &str,
        filter: Option<&Condition>,
        stretch: Option<&Spanned<Stretch>>,
        including: bool,
    ) {
        self.say(" (");
        if let Some(filter) = filter {
            self.say("where ");
            self.in_scope(event, |r| r.condition(filter, false));
            self.say("; ");
        }
        let ending = if including {
            "up to and including it"
        } else {
            "before it"
        };
        let Some(stretch) = stretch else {
            self.say(if including {
                "up to and including the event in question)"
            } else {
                "before the event in question)"
            });
            return;
        };
        match &stretch.node {
            Stretch::SamePeriod(period) => {
                self.say("in the same ");
                self.period(&period.node);
                self.say(&format!(" as the event in question, {ending})"));
            }
            Stretch::Last(length) => {
                let written = length.written();
                let verb = if written.starts_with("1 ") {
                    "ends"
                } else {
                    "end"
                };
                self.say(&format!(
                    "in the {written} that {verb} on the day of the event in question, {ending})"
                ));
            }
        }
    }

    /// Reads `read` with the fields of `event` in scope.
    fn in_scope(&mut self, event: &str, read: impl FnOnce(&mut Self)) {
        self.scope.push(event.to_string());
        read(self);
        self.scope.pop();
    }

    /// A bare name in a condition or an amount, resolved as the checker
    /// resolves it: a field of the event in scope, else a category member,
    /// else a party.
    fn name(&mut self, name: &str) {
        if self.is_field(name) {
            return self.say(&words(name));
        }
        let category = self
            .contract
            .file
            .categories
            .iter()
            .find(|c| c.members.iter().any(|m| m.node == name));
        if let Some(category) = category {
            return self.out.push(Piece::Term(Term {
                anchor: category_anchor(&category.name.node),
                shown: words(name),
                title: format!("`{name}`, one of `{}`", category.name.node),
            }));
        }
        if let Some(definition) = self.contract.definition_named(name) {
            let shown = definition
                .label
                .as_ref()
                .map_or_else(|| words(name), |l| format!("“{}”", l.node));
            return self.out.push(Piece::Term(Term {
                anchor: definition_anchor(name),
                shown,
                title: format!("defined term `{name}`"),
            }));
        }
        if self.contract.party_named(name).is_some() {
            return self.party(name);
        }
        self.say(&words(name));
    }

    // ---- Statements -------------------------------------------------

    /// The reading of one rule of `clause`, as one sentence.
    pub fn statement(&mut self, clause: &Clause, statement: &Statement) -> Vec<Piece> {
        match statement {
            Statement::Pay(pay) => self.pay(pay),
            Statement::Do(rule) => self.action_rule(rule, "must"),
            Statement::MustNot(rule) => self.action_rule(rule, "must not"),
            Statement::May(rule) => self.action_rule(rule, "may"),
            Statement::Grant(grant) => self.grant(grant),
            Statement::Exclusion(exclusion) => self.exclusion(clause, exclusion),
            Statement::Holding(holding) => self.holding(holding),
            Statement::CapTable(table) => {
                let CapTable { entity, span: _ } = &**table;
                self.say("The holdings in ");
                self.party(&entity.node);
                self.say(" stated in this contract are the whole of its shares.");
            }
            Statement::Commitment(commitment) => {
                self.commitment(commitment, clause.survives.is_some());
            }
            Statement::Suspension(suspension) => self.suspension(suspension),
            Statement::Cap(cap) => self.cap(cap),
            Statement::Own(ownership) => self.ownership(ownership),
        }
        self.take()
    }

    fn pay(&mut self, pay: &PayObligation) {
        let PayObligation {
            debtor,
            creditor,
            amount,
            recurrence,
            basis,
            partial,
            window,
            due,
            settled_by,
            rounding,
            interest,
            cure,
            rights,
            carve_outs,
            span: _,
        } = pay;
        // A payment raised on each event looks at that event's fields.
        let scope = match recurrence {
            Some(Recurrence::EachEvent(pattern)) => Some(pattern.event.node.clone()),
            Some(Recurrence::EachPeriod(_) | Recurrence::EachPeriodField(_)) | None => None,
        };
        self.party(&debtor.node);
        self.say(" must pay ");
        self.party(&creditor.node);
        self.say(" ");
        self.scoped(scope.as_deref(), |r| r.expr(amount, false));
        match recurrence {
            None => {}
            Some(Recurrence::EachPeriod(period)) => {
                self.say(", for each ");
                self.period(&period.node);
            }
            Some(Recurrence::EachPeriodField(field)) => {
                self.say(", for each ");
                let period = self.field_type(&field.event.node, &field.field.node);
                self.period(period.as_deref().unwrap_or(&field.field.node));
                if period.as_deref() != Some(field.field.node.as_str()) {
                    self.say(&format!(" named by the {} of", words(&field.field.node)));
                } else {
                    self.say(" named by");
                }
                self.say(" ");
                self.events_of(&field.event.node);
                match basis.as_ref().map(|b| b.node) {
                    None | Some(PeriodBasis::Earned) => self.say(
                        " (each event counts towards the period it names, whenever it is dated)",
                    ),
                    Some(PeriodBasis::Reported) => self.say(
                        " (each event counts towards the period it names, and only if it is itself dated within the time the rule applies)",
                    ),
                }
            }
            Some(Recurrence::EachEvent(pattern)) => {
                self.say(", on each ");
                self.pattern(pattern);
            }
        }
        if !matches!(recurrence, Some(Recurrence::EachPeriodField(_))) {
            // `as earned` / `as reported` are only written with a field's period.
            match basis.as_ref().map(|b| b.node) {
                None => {}
                Some(PeriodBasis::Earned) => self.say(" (as earned)"),
                Some(PeriodBasis::Reported) => self.say(" (as reported)"),
            }
        }
        self.window(window);
        match partial.as_ref().map(|p| p.node) {
            None => {}
            Some(PartialPeriods::Whole) => {
                self.say("; a period only partly within that time owes its whole amount");
            }
            Some(PartialPeriods::Prorated) => self.say(
                "; a period only partly within that time owes its amount in proportion to its days within it",
            ),
            Some(PartialPeriods::Excluded) => {
                self.say("; a period only partly within that time owes nothing");
            }
        }
        // The carve-outs take the obligation away, so they come before what
        // is said of the amount owed (due date, interest).
        self.scoped(scope.as_deref(), |r| r.carve_outs(carve_outs));
        if let Some(due) = due {
            self.due(due);
        }
        if let Some(event) = settled_by {
            self.say(", paid by ");
            self.events_of(&event.node);
        }
        if let Some(rounding) = rounding {
            self.say(&format!(", rounded {}", one_line::rounding(rounding)));
        }
        if let Some(interest) = interest {
            self.late_interest(interest);
        }
        self.say(".");
        if let Some(cure) = cure {
            self.cure(cure, "a payment");
        }
        self.rights(rights, ("paid in full", "unpaid"), cure.is_some());
    }

    /// The period type of an event's field, when it is one.
    fn field_type(&self, event: &str, field: &str) -> Option<String> {
        let decl = self
            .contract
            .event_type(self.contract.event_type_named(event)?)?;
        let field = decl.fields.iter().find(|f| f.name.node == field)?;
        field.ty.node.named().map(str::to_string)
    }

    /// Reads `read` with the fields of `event` (if any) in scope.
    fn scoped(&mut self, event: Option<&str>, read: impl FnOnce(&mut Self)) {
        match event {
            Some(event) => self.in_scope(event, read),
            None => read(self),
        }
    }

    fn action_rule(&mut self, rule: &ActionRule, modality: &str) {
        let ActionRule {
            party,
            action,
            trigger,
            window,
            due,
            cure,
            rights,
            damages,
            matching,
            carve_outs,
            span: _,
        } = rule;
        let event = action.event.node.clone();
        self.party(&party.node);
        self.say(&format!(" {modality} "));
        self.action(action);
        let duty = modality == "must";
        if duty && !carve_outs.is_empty() {
            // On an obligation to act, a carve-out says which acts do not
            // perform it (they look at the act's fields).
            self.say(" (an act ");
            self.in_scope(&event, |r| r.carve_out_conditions(carve_outs));
            self.say(" does not count)");
        }
        if let Some(trigger) = trigger {
            self.say(", on each ");
            self.pattern(trigger);
        }
        if !matching.is_empty() {
            let fields: Vec<String> = matching.iter().map(|f| words(&f.node)).collect();
            self.say(&format!(
                " (performed only by an act with the same {} as the event that called for it)",
                join_and(&fields)
            ));
        }
        self.window(window);
        if !duty {
            self.in_scope(&event, |r| r.carve_outs(carve_outs));
        }
        if let Some(due) = due {
            self.due(due);
        }
        self.say(".");
        if let Some(cure) = cure {
            self.cure(cure, "an act");
        }
        self.rights(rights, ("done", "undone"), cure.is_some());
        for payment in damages {
            let ArisingPayment {
                debtor,
                creditor,
                amount,
                within,
                span: _,
            } = payment;
            self.say(if cure.is_some() {
                " Each time it is not done by the end of its cure period, "
            } else {
                " Each time it is not done by its due date, "
            });
            self.party(&debtor.node);
            self.say(" must pay ");
            self.party(&creditor.node);
            self.say(" ");
            self.expr(amount, false);
            match within {
                Some(length) => self.say(&format!(
                    ", due {} after its first day in default.",
                    length.node.written()
                )),
                None => self.say(", due on its first day in default."),
            }
        }
    }

    /// `where A, or where B`: the conditions of carve-outs, joined.
    fn carve_out_conditions(&mut self, carve_outs: &[CarveOut]) {
        for (i, carve_out) in carve_outs.iter().enumerate() {
            let CarveOut {
                keyword: _,
                condition,
                span: _,
            } = carve_out;
            self.say(if i == 0 { "where " } else { ", or where " });
            self.condition(condition, false);
        }
    }

    /// `(done, undone)`: the words for the obligation met and not met.
    fn rights(&mut self, rights: &[ArisingRight], (missed, open): (&str, &str), cure: bool) {
        for right in rights {
            let ArisingRight {
                party,
                action,
                span: _,
            } = right;
            if cure {
                self.say(&format!(
                    " If it is still not {missed} when its cure period ends, "
                ));
            } else {
                self.say(&format!(" If it is not {missed} by its due date, "));
            }
            self.party(&party.node);
            self.say(" may ");
            self.action(action);
            self.say(&format!(
                " from the next day, for as long as it stays {open}."
            ));
        }
    }

    fn grant(&mut self, grant: &Grant) {
        let Grant {
            grantor,
            grantee,
            exclusive,
            kind,
            label,
            scope,
            window,
            carve_outs,
            passes,
            span: _,
        } = grant;
        self.party(&grantor.node);
        self.say(" grants ");
        self.party(&grantee.node);
        let what = match kind.node {
            GrantKind::Licence => "licence",
            GrantKind::Right => "right",
        };
        match exclusive.as_ref().map(|e| e.node) {
            Some(true) => self.say(&format!(" an exclusive {what}")),
            Some(false) => self.say(&format!(" a non-exclusive {what}")),
            // Exclusivity must be stated: with neither word, not exclusive.
            None => self.say(&format!(" a non-exclusive {what}")),
        }
        if let Some(label) = label {
            self.say(&format!(" (“{}”)", label.node));
        }
        self.say(" over what each ");
        self.action(scope);
        self.say(" produces");
        self.window(window);
        let event = scope.event.node.clone();
        self.in_scope(&event, |r| r.carve_outs(carve_outs));
        if let Some(passes) = passes {
            let GrantPasses {
                field,
                filter,
                span: _,
            } = passes;
            self.say(&format!(
                "; it passes to the {} of each ",
                words(&field.field.node)
            ));
            self.event(&field.event.node);
            if let Some(filter) = filter {
                self.say(" where ");
                let event = field.event.node.clone();
                self.in_scope(&event, |r| r.condition(filter, false));
            }
            self.say(", who holds it from then on");
        }
        self.say(".");
    }

    fn ownership(&mut self, ownership: &Ownership) {
        let Ownership {
            owner,
            share,
            made_by,
            passes,
            span: _,
        } = ownership;
        self.party(&owner.node);
        match share {
            Some(share) => self.say(&format!(" owns {}% of", one_line::number(share.node))),
            None => self.say(" owns"),
        }
        self.say(" what each ");
        self.action(made_by);
        self.say(" makes");
        for (i, passing) in passes.iter().enumerate() {
            let TitlePassing { to, when, span: _ } = passing;
            self.say(if i == 0 { "; " } else { ", and " });
            match when {
                PassingWhen::On(on) => {
                    self.say("title to everything made up to each ");
                    self.pattern(on);
                    self.say(" passes to ");
                    self.party(&to.node);
                }
                PassingWhen::Once(milestone) => {
                    self.say("once ");
                    self.milestone(&milestone.node);
                    self.say(", title to everything made by then, and to each asset made after as it is made, passes to ");
                    self.party(&to.node);
                }
            }
        }
        self.say(".");
    }

    fn exclusion(&mut self, clause: &Clause, exclusion: &Exclusion) {
        let Exclusion { scope, span: _ } = exclusion;
        self.say("Takes out of ");
        if clause.exception_to.is_empty() {
            self.say("the clauses it is an exception to");
        } else {
            self.clause_list(&clause.exception_to);
        }
        self.say(" every ");
        self.action(scope);
        self.say(".");
    }

    fn holding(&mut self, holding: &Holding) {
        let Holding {
            holder,
            stake,
            entity,
            basis,
            valuation,
            span: _,
        } = holding;
        self.party(&holder.node);
        self.say(&format!(" holds {}% of ", one_line::number(stake.node)));
        self.party(&entity.node);
        if let Some(basis) = basis {
            self.say(&format!(" ({} basis)", basis.node));
        }
        if let Some(valuation) = valuation {
            self.say(&format!(", valued at {}", one_line::money(&valuation.node)));
            if let Some(whole) = implied_value(valuation.node, stake.node) {
                self.say(" (which values the whole of ");
                self.party(&entity.node);
                self.say(&format!(" at {})", money_text(&whole)));
            }
        }
        self.say(".");
    }

    fn commitment(&mut self, commitment: &Commitment, survives: bool) {
        let Commitment {
            party,
            beneficiary,
            target,
            measure,
            filter,
            per,
            shortfall,
            window,
            carve_outs,
            span: _,
        } = commitment;
        self.party(&party.node);
        self.say(" commits");
        if let Some(beneficiary) = beneficiary {
            self.say(" to ");
            self.party(&beneficiary.node);
        }
        self.say(" ");
        self.expr(target, false);
        self.say(&format!(
            ", measured by the total {} of ",
            words(&measure.field.node)
        ));
        self.events_of(&measure.event.node);
        let event = measure.event.node.clone();
        self.filter(&event, filter.as_ref());
        if let Some(period) = per {
            self.say(", in each ");
            self.period(&period.node);
        }
        self.window(window);
        if per.is_none() && window.end.is_none() && !survives {
            // With no end of its own, the deadline is the end of the term.
            self.say(", by the end of the term");
        }
        self.in_scope(&event, |r| r.carve_outs(carve_outs));
        self.say(".");
        if let Some(shortfall) = shortfall {
            let Shortfall {
                rate,
                within,
                span: _,
            } = &**shortfall;
            self.say(" A target missed owes ");
            match beneficiary {
                Some(b) => self.party(&b.node),
                None => self.say("the other party"),
            }
            match rate {
                ShortfallRate::Share(share) => self.say(&format!(
                    " {}% of the amount short",
                    one_line::number(share.node)
                )),
                ShortfallRate::PerUnit(money) => self.say(&format!(
                    " {} for each unit short",
                    one_line::money(&money.node)
                )),
            }
            match within {
                Some(length) => self.say(&format!(
                    ", due {} after the deadline.",
                    length.node.written()
                )),
                None => self.say(", due the day after the deadline."),
            }
        }
    }

    fn suspension(&mut self, suspension: &Suspension) {
        let Suspension {
            clauses,
            from,
            until,
            span: _,
        } = suspension;
        self.say("From each ");
        self.pattern(from);
        self.say(" until the next ");
        self.pattern(until);
        self.say(", ");
        self.clause_list(clauses);
        self.say(if clauses.len() == 1 {
            " is suspended: its due dates move later by the days suspended."
        } else {
            " are suspended: their due dates move later by the days suspended."
        });
    }

    fn cap(&mut self, cap: &AggregateCap) {
        let AggregateCap {
            kind,
            debtor,
            creditor,
            clauses,
            amount,
            per,
            partial,
            due,
            span: _,
        } = cap;
        self.say("The total ");
        self.party(&debtor.node);
        self.say(" owes");
        if let Some(creditor) = creditor {
            self.say(" ");
            self.party(&creditor.node);
        }
        self.say(" under ");
        self.clause_list(clauses);
        match per {
            Some(period) => {
                self.say(" in each ");
                self.period(&period.node);
            }
            None => self.say(" over the whole contract"),
        }
        match kind.node {
            LimitKind::Cap => {
                self.say(" is at most ");
                self.expr(amount, false);
                self.say("; what passes it is taken off the obligations that arose last.");
            }
            LimitKind::Floor => {
                self.say(" is at least ");
                self.expr(amount, false);
                self.say("; what falls short of it is owed as well, once the period is over");
                match partial.as_ref().map(|p| p.node) {
                    None | Some(PartialPeriods::Whole) => {}
                    Some(PartialPeriods::Prorated) => self.say(
                        " (for a period only partly within the term, in proportion to its days within it)",
                    ),
                    Some(PartialPeriods::Excluded) => {
                        self.say(" (nothing for a period only partly within the term)");
                    }
                }
                match due {
                    Some(delay) => self.say(&format!(
                        ", due {} after the end of the period",
                        delay.node.written()
                    )),
                    None => self.say(", due at the end of the period"),
                }
                self.say(".");
            }
        }
    }

    // ---- Parts ------------------------------------------------------

    /// An act: the event type as a verb, and its filter.
    pub fn action(&mut self, action: &Action) {
        let Action {
            event,
            filter,
            span: _,
        } = action;
        self.event(&event.node);
        self.filter(&event.node, filter.as_ref());
    }

    /// ` where CONDITION`, read with the fields of `event` in scope.
    fn filter(&mut self, event: &str, filter: Option<&Condition>) {
        if let Some(filter) = filter {
            self.say(" where ");
            self.in_scope(event, |r| r.condition(filter, false));
        }
    }

    /// `release by openai where ...`
    pub fn pattern(&mut self, pattern: &EventPattern) {
        let EventPattern {
            event,
            by,
            filter,
            span: _,
        } = pattern;
        self.event(&event.node);
        if let Some(by) = by {
            self.say(" by ");
            self.party(&by.node);
        }
        self.filter(&event.node, filter.as_ref());
    }

    /// When a rule applies; nothing for a rule that applies for the term.
    pub fn window(&mut self, window: &Window) {
        let Window { from, end } = window;
        // Set off by a comma, so that it never reads as part of a condition.
        if let Some(from) = from {
            self.say(", from ");
            self.bound(&from.node);
        }
        if let Some(end) = end {
            self.say(if from.is_some() { " " } else { ", " });
            self.window_end(end);
        }
    }

    pub fn window_end(&mut self, end: &WindowEnd) {
        let WindowEnd {
            bounds,
            whichever_earlier,
            span: _,
        } = end;
        for (i, bound) in bounds.iter().enumerate() {
            if i > 0 {
                self.say(" or ");
            }
            match bound {
                EndBound::Through(b) => {
                    self.say("through ");
                    self.bound(&b.node);
                }
                EndBound::Until(b) => {
                    // `until` ends the day before: say so.
                    self.say("up to but not including ");
                    self.bound(&b.node);
                }
                EndBound::For(length) => self.say(&format!("for {}", length.node.written())),
            }
        }
        if *whichever_earlier {
            self.say(", whichever is earlier");
        }
    }

    fn bound(&mut self, bound: &Bound) {
        match bound {
            Bound::Date(d) => self.say(&one_line::date_ref(d)),
            Bound::Milestone(m) => {
                self.milestone_day(m);
            }
            Bound::After { delay, anchor } => {
                self.say(&format!("{} after ", delay.node.written()));
                self.bound(&anchor.node);
            }
        }
    }

    /// `the day “AGI declared ...” is reached`.
    fn milestone_day(&mut self, name: &str) {
        self.say("the day ");
        self.milestone(name);
        self.say(" is reached");
    }

    fn due(&mut self, due: &Due) {
        match due {
            Due::On(date) => self.say(&format!(", due {}", one_line::date_ref(&date.node))),
            Due::After { delay, anchor } => {
                self.say(&format!(", due {} after ", delay.node.written()));
                match &anchor.node {
                    DueAnchor::PeriodEnd => self.say("the end of the period"),
                    DueAnchor::Event => self.say("the event"),
                    DueAnchor::Date(d) => self.say(&one_line::date_ref(d)),
                    DueAnchor::Milestone(m) => {
                        self.milestone_day(m);
                    }
                }
            }
        }
    }

    fn late_interest(&mut self, interest: &LateInterest) {
        let LateInterest {
            rate,
            per,
            compounding,
            day_count,
            span: _,
        } = interest;
        self.say(&format!(
            ", with interest at {}% {} on what is unpaid after the due date",
            one_line::number(rate.node),
            per.node.as_str()
        ));
        match compounding.as_ref().map(|c| c.node) {
            None => {}
            Some(RatePeriod::Month) => self.say(", compounded monthly"),
            Some(RatePeriod::Year) => self.say(", compounded yearly"),
        }
        let count = day_count.as_ref().map_or(DayCount::Actual365, |d| d.node);
        self.say(&format!(" (days counted {})", count.as_str()));
    }

    fn cure(&mut self, cure: &Cure, what: &str) {
        let Cure {
            within,
            notice,
            span: _,
        } = cure;
        self.say(&format!(
            " {} missed on its due date may still be made good within {} after ",
            capitalised(what),
            within.node.written()
        ));
        match notice {
            Some(notice) => {
                self.say("notice (");
                self.pattern(notice);
                self.say(")");
            }
            None => self.say("the due date"),
        }
        self.say(".");
    }

    fn carve_outs(&mut self, carve_outs: &[CarveOut]) {
        for carve_out in carve_outs {
            let CarveOut {
                keyword,
                condition,
                span: _,
            } = carve_out;
            self.say(if keyword.node == "except" {
                ", except where "
            } else {
                ", unless "
            });
            self.condition(condition, false);
        }
    }

    /// A condition; `nested` brackets one that joins parts with `and` or
    /// `or`, so that it reads unambiguously inside another.
    pub fn condition(&mut self, condition: &Condition, nested: bool) {
        let Condition { kind, span: _ } = condition;
        match kind {
            ConditionKind::Any(parts) | ConditionKind::All(parts) => {
                let joiner = if matches!(kind, ConditionKind::Any(_)) {
                    " or "
                } else {
                    " and "
                };
                if nested {
                    self.say("(");
                }
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        self.say(joiner);
                    }
                    self.condition(part, true);
                }
                if nested {
                    self.say(")");
                }
            }
            ConditionKind::Not(inner) => {
                self.say("not ");
                self.condition(inner, true);
            }
            ConditionKind::Compare { left, op, right } => {
                // Dates compare as earlier and later.
                let dates = std::iter::once(left)
                    .chain(right.iter())
                    .any(|e| self.is_date(e));
                self.expr(left, true);
                let word = match (op.node, dates) {
                    (CompareOp::Is | CompareOp::Eq, _) => " is ",
                    (CompareOp::IsNot | CompareOp::Ne, _) => " is not ",
                    (CompareOp::In, _) => " is one of ",
                    (CompareOp::NotIn, _) => " is none of ",
                    (CompareOp::Lt, false) => " is less than ",
                    (CompareOp::Le, false) => " is at most ",
                    (CompareOp::Gt, false) => " is more than ",
                    (CompareOp::Ge, false) => " is at least ",
                    (CompareOp::Lt, true) => " is before ",
                    (CompareOp::Le, true) => " is on or before ",
                    (CompareOp::Gt, true) => " is after ",
                    (CompareOp::Ge, true) => " is on or after ",
                };
                self.say(word);
                for (i, value) in right.iter().enumerate() {
                    if i > 0 {
                        self.say(if i + 1 == right.len() { " or " } else { ", " });
                    }
                    self.expr(value, true);
                }
            }
            ConditionKind::Test(value) => {
                if let ExprKind::Bool(literal) = value.kind {
                    self.say(if literal { "always" } else { "never" });
                } else {
                    self.expr(value, true);
                }
            }
            ConditionKind::Earlier(earlier) => {
                let EarlierEvent {
                    event,
                    by,
                    matching,
                    when,
                } = &**earlier;
                self.say("there was an earlier ");
                self.event(&event.node);
                if let Some(by) = by {
                    self.say(" by ");
                    self.party(&by.node);
                }
                if !matching.is_empty() {
                    let fields: Vec<String> = matching.iter().map(|f| words(&f.node)).collect();
                    self.say(&format!(" with the same {}", join_and(&fields)));
                }
                match when.as_ref().map(|w| w.node) {
                    None => {}
                    Some(EarlierWhen::Within(length)) => {
                        self.say(&format!(" within the {} before", length.written()));
                    }
                    Some(EarlierWhen::AtLeastBefore(length)) => {
                        self.say(&format!(", at least {} before", length.written()));
                    }
                }
            }
        }
    }

    /// A value; `nested` brackets one made of several parts.
    pub fn expr(&mut self, expr: &Expr, nested: bool) {
        self.expr_in(expr, nested, false);
    }

    /// A value; `in_chain`: an operand of `plus`, `minus`, `times` or
    /// `divided by`, where even a simple share is bracketed (`(8% of the
    /// net) plus USD 100`, not a share of the sum).
    fn expr_in(&mut self, expr: &Expr, nested: bool, in_chain: bool) {
        // A share of a simple value reads unambiguously without brackets.
        let simple_share = if let ExprKind::Of { share, base } = &expr.kind {
            is_simple(share) && is_simple(base)
        } else {
            false
        };
        // A simple share stands bare, except as an operand of a sum.
        let bare_share = simple_share && !in_chain;
        let compound = !bare_share && !is_simple(expr);
        let bracket = nested && compound;
        if bracket {
            self.say("(");
        }
        self.expr_bare(expr);
        if bracket {
            self.say(")");
        }
    }

    fn expr_bare(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Money(money) => self.say(&one_line::money(money)),
            ExprKind::Percent(p) => self.say(&format!("{}%", one_line::number(*p))),
            ExprKind::Number(n) => self.say(&one_line::number(*n)),
            ExprKind::Duration(d) => self.say(&d.written()),
            ExprKind::Date(d) => self.say(&d.to_string()),
            ExprKind::Bool(b) => self.say(if *b { "yes" } else { "no" }),
            ExprKind::Text(t) => self.say(&format!("“{t}”")),
            ExprKind::Name(name) => self.name(name),
            // `EVENT.by` is the party that performed it.
            ExprKind::Field(field) if field.field.node == "by" => {
                self.say("the party that performed the ");
                self.event(&field.event.node);
            }
            ExprKind::Field(field) => {
                self.say(&format!("the {} of the ", words(&field.field.node)));
                self.event(&field.event.node);
            }
            ExprKind::Total {
                field,
                filter,
                stretch,
            } => {
                self.say(&format!("the total {} of ", words(&field.field.node)));
                self.events_of(&field.event.node);
                self.condition_and_stretch(
                    &field.event.node,
                    filter.as_deref(),
                    stretch.as_deref(),
                );
            }
            ExprKind::Pick(pick) => {
                let Pick {
                    which,
                    field,
                    stretch,
                    filter,
                    otherwise,
                } = &**pick;
                self.say(&format!(
                    "the {} {} of ",
                    which.node.word(),
                    words(&field.field.node)
                ));
                self.events_of(&field.event.node);
                self.looking_back(
                    &field.event.node,
                    filter.as_ref(),
                    stretch.as_ref(),
                    which.node.includes_event_in_view(),
                );
                if let Some(otherwise) = otherwise {
                    self.say(", or ");
                    self.expr_in(otherwise, true, true);
                    self.say(" when there is none");
                }
            }
            ExprKind::Count {
                event,
                by,
                filter,
                stretch,
            } => {
                self.say("the number of ");
                self.events_of(&event.node);
                if let Some(by) = by {
                    self.say(" by ");
                    self.party(&by.node);
                }
                self.condition_and_stretch(&event.node, filter.as_deref(), stretch.as_deref());
            }
            ExprKind::Chain { first, rest } => {
                self.expr_in(first, true, true);
                for (op, value) in rest {
                    self.say(match op.node {
                        ArithOp::Add => " plus ",
                        ArithOp::Sub => " minus ",
                        ArithOp::Mul => " times ",
                        ArithOp::Div => " divided by ",
                    });
                    self.expr_in(value, true, true);
                }
            }
            ExprKind::Negate(value) => {
                self.say("minus ");
                self.expr(value, true);
            }
            ExprKind::Of { share, base } => {
                self.expr(share, true);
                self.say(" of ");
                self.expr(base, true);
            }
            ExprKind::CappedAt { value, cap } => {
                self.expr(value, true);
                self.say(", but no more than ");
                self.expr(cap, true);
            }
            ExprKind::AtLeast { value, floor } => {
                self.expr(value, true);
                self.say(", but no less than ");
                self.expr(floor, true);
            }
            ExprKind::PerStep {
                value,
                kind,
                step,
                measure,
            } => {
                self.expr(value, true);
                self.say(match kind {
                    StepKind::Full => " for each full ",
                    StepKind::Started => " for each started ",
                });
                self.expr(step, true);
                self.say(" in ");
                self.expr(measure, true);
            }
            ExprKind::DaysBetween { start, end } => {
                self.say("the days from ");
                self.expr(start, true);
                self.say(" to ");
                self.expr(end, true);
            }
            ExprKind::Tiers {
                mode,
                subject,
                tiers,
            } => {
                match mode {
                    TierMode::Whole => {
                        self.say("by the band ");
                        self.expr(subject, true);
                        self.say(" falls in, for the whole of it: ");
                    }
                    TierMode::Marginal => {
                        self.say("band by band on ");
                        self.expr(subject, true);
                        self.say(
                            ", each band's rate on the part that lies in the band, added up: ",
                        );
                    }
                }
                for (i, tier) in tiers.iter().enumerate() {
                    let Tier {
                        lower,
                        upper,
                        value,
                        span: _,
                    } = tier;
                    if i > 0 {
                        self.say("; ");
                    }
                    if let Some(TierBound { kind, value }) = lower {
                        self.say(match kind {
                            LowerEnd::From => "from and including ",
                            LowerEnd::Over => "over ",
                        });
                        self.expr(value, true);
                    }
                    if let Some(TierBound { kind, value }) = upper {
                        if lower.is_some() {
                            self.say(" and ");
                        }
                        self.say(match kind {
                            UpperEnd::Below => "below ",
                            UpperEnd::Through | UpperEnd::UpTo => "up to and including ",
                        });
                        self.expr(value, true);
                    }
                    if lower.is_none() && upper.is_none() {
                        self.say("above that");
                    }
                    self.say(", ");
                    self.expr(value, true);
                }
            }
            ExprKind::Rounded { value, rounding } => {
                self.expr(value, true);
                self.say(&format!(", rounded {}", one_line::rounding(rounding)));
            }
            ExprKind::Converted {
                value,
                currency,
                rate,
            } => {
                self.expr(value, true);
                self.say(&format!(", converted into {} at a rate of ", currency.node));
                self.expr(rate, true);
            }
            ExprKind::Balance { account, as_of } => {
                self.say("the balance of ");
                self.account(&account.node);
                if let Some(date) = as_of {
                    self.say(&format!(" at the end of {}", date.node));
                }
            }
            ExprKind::Invalid => self.say("(a value that could not be read)"),
        }
    }

    /// An account, linked to its declaration.
    fn account(&mut self, name: &str) {
        let label = self
            .contract
            .account_named(name)
            .and_then(|(_, a)| a.label.as_ref())
            .map(|l| l.node.clone());
        self.out.push(Piece::Term(Term {
            anchor: account_anchor(name),
            shown: label.map_or_else(|| words(name), |l| format!("“{l}”")),
            title: format!("account `{name}`"),
        }));
    }

    /// What moves an account, in words: `Opens at EUR 10,000.00 on
    /// 2026-01-01; decreased by the amount of each “Payment made” ...`.
    pub fn account_movements(&mut self, account: &Account) -> Vec<Piece> {
        let Account {
            name: _,
            label: _,
            opening,
            opens,
            movements,
            span: _,
        } = account;
        self.say(&format!(
            "Opens at {} on {}",
            one_line::money(&opening.node),
            opens.node
        ));
        for movement in movements {
            let Movement {
                direction,
                amount,
                when,
                span: _,
            } = movement;
            self.say(&format!("; {} by ", direction.node.word()));
            match when {
                MovementTime::EachEvent(pattern) => {
                    self.in_scope(&pattern.event.node, |r| r.expr(amount, false));
                    self.say(" on each ");
                    self.pattern(pattern);
                }
                MovementTime::PeriodEnd(period) => {
                    self.expr(amount, false);
                    self.say(" at the end of each ");
                    self.period(&period.node);
                }
            }
        }
        self.say(". On one day, movements apply in this order.");
        self.take()
    }

    /// What a definition means, in words.
    pub fn definition_body(&mut self, body: &DefinitionBody) -> Vec<Piece> {
        match body {
            DefinitionBody::Value(value) => self.expr(value, false),
            DefinitionBody::Condition(condition) => self.condition(condition, false),
        }
        self.take()
    }

    /// A milestone's condition: `“AGI declared” by OpenAI Group PBC, and
    /// then “AGI declaration verified” by Independent expert panel`.
    pub fn milestone_condition(&mut self, condition: &MilestoneCond) -> Vec<Piece> {
        self.milestone_cond(condition, false);
        self.take()
    }

    /// `after_step`: the condition is a later step of `X, then Y`, whose
    /// totals and counts take only the events after the step before.
    fn milestone_cond(&mut self, condition: &MilestoneCond, after_step: bool) {
        match condition {
            MilestoneCond::Event(pattern) => self.pattern(pattern),
            MilestoneCond::Date(date) => {
                self.say(&format!("on {}", one_line::date_ref(&date.node)))
            }
            MilestoneCond::Total(total) => {
                let TotalReaches {
                    field,
                    filter,
                    threshold,
                    span: _,
                } = total.as_ref();
                self.say(&format!("the total {} of ", words(&field.field.node)));
                self.events_of(&field.event.node);
                // In brackets, so that the amount never reads as part of
                // the condition.
                if let Some(filter) = filter {
                    self.say(" (where ");
                    self.in_scope(&field.event.node, |r| r.condition(filter, false));
                    self.say(")");
                }
                if after_step {
                    self.say(" after that");
                }
                self.say(" comes to ");
                self.expr(threshold, false);
                self.say(" or more");
            }
            MilestoneCond::Count(count) => {
                let CountReaches {
                    pattern,
                    threshold,
                    span: _,
                } = count.as_ref();
                let EventPattern {
                    event,
                    by,
                    filter,
                    span: _,
                } = pattern;
                self.say("the ");
                self.say(&ordinal(threshold));
                self.say(" of the ");
                self.events_of(&event.node);
                if let Some(by) = by {
                    self.say(" by ");
                    self.party(&by.node);
                }
                if let Some(filter) = filter {
                    self.say(" (where ");
                    self.in_scope(&event.node, |r| r.condition(filter, false));
                    self.say(")");
                }
                if after_step {
                    self.say(" after that");
                }
            }
            MilestoneCond::PaidInFull(paid) => {
                let PaidInFull { clause, span: _ } = paid.as_ref();
                self.say("every payment owed under ");
                self.clause_list(std::slice::from_ref(clause));
                self.say(" is paid in full");
                // Once paid, a clause stays paid: as a later step it is
                // reached by then whenever it was paid.
                if after_step {
                    self.say(", if it was not already");
                }
            }
            MilestoneCond::Sequence(parts, _) => self.parts(parts, ", and then ", after_step, true),
            MilestoneCond::All(parts, _) => {
                self.parts(parts, " and ", after_step, false);
                self.say(" (in any order)");
            }
            MilestoneCond::Any(parts, _) => self.parts(parts, " or ", after_step, false),
        }
    }

    /// `after_step`: the whole is a later step of a sequence; `sequence`:
    /// the parts are steps, each after the first a later one.
    fn parts(&mut self, parts: &[MilestoneCond], joiner: &str, after_step: bool, sequence: bool) {
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                self.say(joiner);
            }
            let compound = match part {
                MilestoneCond::Event(pattern) => pattern.filter.is_some() && parts.len() > 1,
                // Their own condition is in brackets already.
                MilestoneCond::Date(_)
                | MilestoneCond::Total(_)
                | MilestoneCond::Count(_)
                | MilestoneCond::PaidInFull(_) => false,
                MilestoneCond::Sequence(..) | MilestoneCond::All(..) | MilestoneCond::Any(..) => {
                    true
                }
            };
            if compound {
                self.say("(");
            }
            self.milestone_cond(part, after_step || (sequence && i > 0));
            if compound {
                self.say(")");
            }
        }
    }

    /// The header in words: when the contract runs, and its defaults.
    pub fn header(&mut self, header: &Header) -> Vec<Piece> {
        let Header {
            title: _,
            effective,
            term,
            renewal,
            currency,
            rounding,
            settlement,
            span: _,
        } = header;
        if let Some(effective) = effective {
            self.say(&format!(
                "Effective {}",
                one_line::date_ref(&effective.node)
            ));
        }
        if let Some(term) = term {
            self.say(if effective.is_some() {
                "; runs "
            } else {
                "Runs "
            });
            self.window_end(term);
        }
        if let Some(renewal) = renewal {
            let Renewal {
                period,
                notice,
                before,
                span: _,
            } = renewal;
            self.say(&format!(
                "; renews for {} at a time unless notice (",
                period.node.written()
            ));
            self.pattern(notice);
            self.say(&format!(
                ") is given at least {} before the end",
                before.node.written()
            ));
        }
        if let Some(currency) = currency {
            self.say(&format!("; amounts in {}", currency.node));
        }
        if let Some(rounding) = rounding {
            self.say(&format!(
                "; amounts rounded {} unless a rule says otherwise",
                one_line::rounding(rounding)
            ));
        }
        if let Some(event) = settlement {
            self.say("; payments are recorded by ");
            self.events_of(&event.node);
        }
        self.say(".");
        self.take()
    }
}

/// What a stake's valuation implies for the whole entity, to the cent.
pub fn implied_value(valuation: Money, percent: Decimal) -> Option<Money> {
    let whole = crate::eval::outcome::Stake::implied_entity_value(valuation, percent)?;
    Some(Money {
        amount: whole.amount.round_dp(2),
        ..whole
    })
}

/// A value of one part: a literal, a name, a field or a total.
fn is_simple(expr: &Expr) -> bool {
    matches!(
        expr.kind,
        ExprKind::Money(_)
            | ExprKind::Percent(_)
            | ExprKind::Number(_)
            | ExprKind::Duration(_)
            | ExprKind::Date(_)
            | ExprKind::Bool(_)
            | ExprKind::Text(_)
            | ExprKind::Name(_)
            | ExprKind::Field(_)
            | ExprKind::Total { filter: None, .. }
            | ExprKind::Count { filter: None, .. }
            | ExprKind::Balance { .. }
            | ExprKind::Invalid
    )
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Limits, SourceFile};

    fn readings(text: &str) -> Vec<String> {
        let checked = crate::check_source(&SourceFile::new("t", text), &Limits::default())
            .checked
            .expect("checks");
        let mut reader = Reader::new(&checked);
        checked
            .clauses()
            .flat_map(|(_, clause)| {
                clause
                    .statements
                    .iter()
                    .map(|s| plain(&reader.statement(clause, s)))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn the_flagship_reads_in_plain_words() {
        let text = include_str!("../../contracts/microsoft-openai-2025.proviso");
        let read = readings(text);
        assert_eq!(
            read[0],
            "OpenAI Group PBC must pay Microsoft Corporation 20% of the total amount of \
             “Revenue reported” events, for each quarter named by “Revenue reported” events \
             (each event counts towards the period it names, whenever it is dated), up to but not \
             including the day “AGI declared by OpenAI and verified by the independent expert \
             panel” is reached; \
             a period only partly within that time owes its amount in proportion to its days \
             within it, due 45 days after the end of the period."
        );
        // 135 billion for 27%: 135 / 0.27 = 500 billion.
        assert_eq!(
            read[1],
            "Microsoft Corporation holds 27% of OpenAI Group PBC (as-converted diluted \
             basis), valued at USD 135 billion (which values the whole of OpenAI Group PBC at \
             USD 500,000,000,000.00)."
        );
        assert!(
            read.contains(
                &"OpenAI Group PBC must not serve where kind is api product and with third party, \
              unless cloud is azure."
                    .to_string()
            )
        );
        assert!(read.contains(
            &"Takes out of clause 3 every release where kind is consumer hardware.".to_string()
        ));
        assert!(read.contains(
            &"OpenAI Group PBC commits to Microsoft Corporation USD 250 billion, measured by the \
              total amount of “Compute purchased” events where provider is azure, by the end of \
              the term."
                .to_string()
        ));
    }

    #[test]
    fn every_construct_has_a_reading_that_names_its_parts() {
        let text = include_str!("../../tests/valid/every-construct.proviso");
        for reading in readings(text) {
            assert!(reading.ends_with('.'), "{reading}");
            assert!(!reading.contains("  "), "{reading}");
        }
    }

    const SMALL: &str = r#"contract "T" effective 2026-01-01 term through 2026-12-31
        currency USD settlement by payment
        party buyer "Buyer plc"
        party seller "Seller Ltd"
        period fiscal_quarter: quarter starting april
        event sell by party { bank: party, net: money, returns: money, units: number,
                              quarter: fiscal_quarter, partial: bool }
        event payment by party { to: party, amount: money }
        event notice by party { }
        event terminate by party { }
        clause 1 "A field named like a party"
          seller must not sell where bank is buyer
        clause 2 "Shares and sums"
          seller must pay buyer 8% of sell.net + USD 100 on each sell due 10 days after the event
          seller must pay buyer (total sell.net where units > 100) - total sell.returns
            for each sell.quarter as reported due 30 days after the end of the period
        clause 3 "An act that does not count"
          seller must sell on each notice by buyer due 5 days after the event except partial
        clause 4 "A right after a cure period"
          buyer must pay seller USD 10 due 2026-03-01
            cure within 10 days
            then seller may terminate
    "#;

    #[test]
    fn names_brackets_carve_outs_and_rights_read_as_they_apply() {
        let read = readings(SMALL);
        // `bank` is the event's field (fields come before parties).
        assert_eq!(read[0], "Seller Ltd must not sell where bank is Buyer plc.");
        // A share inside a sum is bracketed: 8% of the net, plus USD 100.
        assert!(
            read[1].starts_with(
                "Seller Ltd must pay Buyer plc (8% of the net of the sell) plus USD 100,"
            ),
            "{}",
            read[1]
        );
        // A filtered total inside a difference is bracketed; the field's
        // period is named; `as reported` says what it changes.
        assert!(
            read[2].contains(
                "(the total net of “sell” events where units is more than 100) minus the total returns"
            ),
            "{}",
            read[2]
        );
        assert!(
            read[2].contains(
                "for each fiscal quarter named by the quarter of “sell” events (each event counts \
                 towards the period it names, and only if it is itself dated within the time the \
                 rule applies)"
            ),
            "{}",
            read[2]
        );
        // On an obligation to act, a carve-out says which acts do not count.
        assert!(
            read[3].starts_with(
                "Seller Ltd must sell (an act where partial does not count), on each notice"
            ),
            "{}",
            read[3]
        );
        // A right on default arises once the cure period has run out.
        assert!(
            read[4].ends_with(
                "If it is still not paid in full when its cure period ends, Seller Ltd may \
                 terminate from the next day, for as long as it stays unpaid."
            ),
            "{}",
            read[4]
        );
    }

    #[test]
    fn a_zero_stake_implies_no_value() {
        let money = Money {
            currency: Currency(*b"USD"),
            amount: Decimal::from(10),
        };
        assert_eq!(implied_value(money, Decimal::ZERO), None);
        // USD 10 for 3%: 1000 / 3 = 333.333... → 333.33.
        assert_eq!(
            implied_value(money, Decimal::from(3)).map(|m| m.amount),
            Some(Decimal::new(33333, 2))
        );
    }
}

//! Definitions: `define NAME "Label" = BODY`.
//!
//! A definition means, wherever it is used, what its body would mean written
//! in its place. So its body is checked once, here, in the scope it needs —
//! the one kind of event whose fields it names, and period totals if it adds
//! up events — and each use is then checked against that need: a
//! definition that reads `sale.amount` can only be used where a sale is in
//! view, and one that adds up a period's events only in a payment made
//! `for each` period. Definitions may use one another, never in a circle,
//! and nest at most [`MAX_DEPTH`] deep (so that evaluating one can never
//! exhaust the stack).

use super::Checker;
use super::types::{Balances, PeriodView, Scope, Ty};
use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::PeriodInfo;

/// How deep definitions may be built on one another.
pub const MAX_DEPTH: usize = 32;

/// How many values and conditions a definition may come to once every
/// definition it uses is written out in full. Without a bound, thirty
/// definitions that each use the one before twice would come to a billion.
pub const MAX_EXPANDED: usize = 10_000;

/// What the checker knows of a definition, for checking its uses.
#[derive(Clone, Debug)]
pub(crate) struct Defined<'a> {
    pub ty: Ty,
    /// The kind of event whose fields the body reads, one at a time.
    pub event: Option<&'a EventDecl>,
    /// Whether the body adds up a period's events (`total ...`) with no
    /// period of its own: the period of the payment it is used in.
    pub totals: bool,
    /// `for each PERIOD`, its own or that of the definitions it uses: the
    /// period its totals add up, named as written.
    pub period: Option<(String, PeriodInfo)>,
    /// Whether the body counts back from the event in view (`total ...
    /// in the same month`), whatever its kind.
    pub running: bool,
    /// Whether the body uses an account's balance.
    pub balances: bool,
    /// 1 for a definition that uses no other, else one more than the
    /// deepest it uses.
    pub depth: usize,
    /// How many values and conditions it comes to, written out in full.
    pub size: usize,
}

/// What a body reads: the names written bare (`net_price`), and the events
/// of the fields it reads one event at a time (`sale.amount`, not inside a
/// `total`), each with where it is written, in the order written.
#[derive(Default)]
struct Reads<'e> {
    names: Vec<(&'e str, Span)>,
    /// Names written in a `total ... where` condition: definitions used
    /// there are about the events added up, not about the body's event.
    in_totals: Vec<(&'e str, Span)>,
    events: Vec<(&'e Name, Span)>,
    totals: bool,
    running: bool,
    balances: bool,
    /// How many values and conditions the body holds.
    nodes: usize,
}

fn reads(body: &DefinitionBody) -> Reads<'_> {
    let mut found = Reads::default();
    let mut exprs: Vec<&Expr> = match body {
        DefinitionBody::Value(e) => vec![e],
        DefinitionBody::Condition(c) => {
            let (values, conditions) = c.values();
            found.nodes = conditions;
            values
        }
    };
    // A total's own condition is about the events it adds up, whose fields
    // are read one at a time there but not by the definition.
    let mut inside_total: Vec<&Expr> = Vec::new();
    while let Some(e) = exprs.pop() {
        found.nodes = found.nodes.saturating_add(1);
        if let Some((aggregate, _)) = e.aggregate() {
            // A pick looks back from an event even with no stretch.
            if e.is_running() {
                found.running = true;
            } else {
                found.totals = true;
            }
            if let Some(filter) = aggregate.filter() {
                let (values, conditions) = filter.values();
                found.nodes = found.nodes.saturating_add(conditions);
                inside_total.extend(values);
            }
        }
        match &e.kind {
            ExprKind::Name(name) => found.names.push((name, e.span)),
            ExprKind::Field(field) => found.events.push((&field.event, field.span)),
            ExprKind::Balance { .. } => found.balances = true,
            _ => {}
        }
        e.push_children(&mut exprs);
    }
    // Inside a total's condition only names matter (a definition used
    // there); its fields belong to the events added up.
    while let Some(e) = inside_total.pop() {
        found.nodes = found.nodes.saturating_add(1);
        if let ExprKind::Name(name) = &e.kind {
            found.in_totals.push((name, e.span));
        }
        e.push_children(&mut inside_total);
    }
    found.names.sort_by_key(|(_, span)| span.start);
    found.events.sort_by_key(|(_, span)| span.start);
    found
}

impl<'a> Checker<'a> {
    /// Checks every definition, in the order they build on one another, and
    /// records what each needs where it is used.
    pub(super) fn check_definitions(&mut self) {
        let definitions = &self.file.definitions;
        // Where an event is in view a bare name is its field first, so a
        // definition named like a field would mean one thing in some rules
        // (and in some definitions) and another elsewhere.
        for definition in definitions {
            let name = &definition.name;
            let clash = self.file.events.iter().find_map(|event| {
                event
                    .fields
                    .iter()
                    .find(|f| f.name.node == name.node)
                    .map(|f| (event, f))
            });
            if let Some((event, field)) = clash {
                self.report(
                    Diagnostic::error(
                        Code::DuplicateName,
                        format!(
                            "`{}` is the name of a field of `{}` events",
                            name.node, event.name.node
                        ),
                        name.span,
                        "this definition has the field's name",
                    )
                    .with_related(field.name.span, "the field")
                    .with_help(format!(
                        "give the definition a name of its own, such as `{}_amount` or `defined_{}`: where a `{}` is in view, `{}` means its field",
                        name.node, name.node, event.name.node, name.node
                    )),
                );
            }
        }
        // 0: not seen, 1: being checked (on the path), 2: done.
        let mut state = vec![0u8; definitions.len()];
        for start in 0..definitions.len() {
            // Depth-first, without recursion: the path of definitions being
            // checked, each with the names it uses still to visit.
            let mut path: Vec<(usize, Vec<(String, Span)>)> = Vec::new();
            if state.get(start) != Some(&0) {
                continue;
            }
            let uses = self.uses(start);
            path.push((start, uses));
            if let Some(s) = state.get_mut(start) {
                *s = 1;
            }
            while let Some((current, pending)) = path.last_mut() {
                let current = *current;
                match pending.pop() {
                    Some((name, span)) => {
                        let Some(next) = self.symbols.definitions.get(&name).map(|id| id.index())
                        else {
                            continue;
                        };
                        match state.get(next) {
                            Some(0) => {
                                let uses = self.uses(next);
                                path.push((next, uses));
                                if let Some(s) = state.get_mut(next) {
                                    *s = 1;
                                }
                            }
                            Some(1) => {
                                let circle: Vec<usize> = path
                                    .iter()
                                    .map(|(i, _)| *i)
                                    .skip_while(|i| *i != next)
                                    .collect();
                                self.report_circle(&circle, span);
                            }
                            _ => {}
                        }
                    }
                    None => {
                        path.pop();
                        if let Some(s) = state.get_mut(current) {
                            *s = 2;
                        }
                        self.check_definition(current);
                    }
                }
            }
        }
    }

    /// The definitions a definition uses, last first (so that popping them
    /// visits them in the order written).
    fn uses(&self, index: usize) -> Vec<(String, Span)> {
        let Some(definition) = self.file.definitions.get(index) else {
            return Vec::new();
        };
        let read = reads(&definition.body);
        let mut uses: Vec<(String, Span)> = read
            .names
            .into_iter()
            .chain(read.in_totals)
            .filter(|(name, _)| self.symbols.definitions.contains_key(*name))
            .map(|(name, span)| (name.to_string(), span))
            .collect();
        uses.reverse();
        uses
    }

    /// `a` uses `b`, which uses `a`: reported once, at the use that closes
    /// the circle; each definition in it is then taken as unknown.
    fn report_circle(&mut self, circle: &[usize], closing: Span) {
        let names: Vec<&str> = circle
            .iter()
            .filter_map(|i| self.file.definitions.get(*i))
            .map(|d| d.name.node.as_str())
            .collect();
        let (Some(first), Some(last)) = (names.first(), names.last()) else {
            return;
        };
        let mut chain = names.join(" → ");
        chain.push_str(" → ");
        chain.push_str(first);
        let mut diagnostic = Diagnostic::error(
            Code::DefinitionCycle,
            if names.len() == 1 {
                format!("`{first}` is defined in terms of itself")
            } else {
                format!("`{first}` is defined in terms of itself, through {chain}")
            },
            closing,
            format!("`{last}` uses `{first}` here"),
        );
        for index in circle {
            if let Some(definition) = self.file.definitions.get(*index) {
                diagnostic = diagnostic.with_related(
                    definition.name.span,
                    format!("`{}` is defined here", definition.name.node),
                );
            }
        }
        self.report(diagnostic.with_help(
            "a definition must come down to values written in the contract or given by events; define one of these without the others",
        ));
        for index in circle {
            if let Some(definition) = self.file.definitions.get(*index) {
                self.defined.insert(
                    definition.name.node.clone(),
                    Defined {
                        ty: Ty::Unknown,
                        event: None,
                        totals: false,
                        period: None,
                        running: false,
                        balances: false,
                        depth: 0,
                        size: 0,
                    },
                );
            }
        }
    }

    /// Checks one definition whose uses were all checked before it.
    fn check_definition(&mut self, index: usize) {
        let Some(definition) = self.file.definitions.get(index) else {
            return;
        };
        if self.defined.contains_key(&definition.name.node) {
            return; // in a circle, reported
        }
        let Definition {
            name,
            label: _,
            body,
            period: own_period,
            span: _,
        } = definition;
        let read = reads(body);
        let own_period = own_period.as_ref().and_then(|p| {
            self.resolve_period(p);
            self.symbols.periods.get(&p.node).map(|&info| (p, info))
        });
        let mut period: Option<(String, PeriodInfo)> =
            own_period.map(|(p, info)| (p.node.clone(), info));
        let mut event: Option<(&'a EventDecl, Span)> = None;
        let mut two_events = false;
        // Its own totals are the period's when it names one.
        let mut totals = read.totals && own_period.is_none();
        let mut running = read.running;
        let mut balances = read.balances;
        let mut depth = 1;
        let mut size = read.nodes;
        let mut one_event = |checker: &mut Self, decl: &'a EventDecl, span: Span| match event {
            Some((first, first_span)) if first.name.node != decl.name.node => {
                two_events = true;
                checker.report(
                    Diagnostic::error(
                        Code::EventNotInScope,
                        format!(
                            "`{}` reads the fields of both `{}` and `{}` events",
                            name.node, first.name.node, decl.name.node
                        ),
                        span,
                        format!("a field of `{}`", decl.name.node),
                    )
                    .with_related(first_span, format!("a field of `{}`", first.name.node))
                    .with_help(
                        "a definition is worked out for one event at a time, so it reads the fields of one kind of event; to add up events over a period, write `total event.field`",
                    ),
                );
            }
            Some(_) => {}
            None => event = Some((decl, span)),
        };
        for (event_name, span) in &read.events {
            if let Some(decl) = self
                .symbols
                .events
                .get(&event_name.node)
                .and_then(|id| self.file.events.get(id.index()))
            {
                one_event(self, decl, *span);
            }
        }
        for (used, span) in &read.names {
            let Some(need) = self.defined.get(*used).cloned() else {
                continue;
            };
            if let Some(decl) = need.event {
                one_event(self, decl, *span);
            }
            if let (Some((own, _)), true) = (own_period, need.totals) {
                self.report(
                    Diagnostic::error(
                        Code::TotalMisuse,
                        format!(
                            "`{}` is worked out for each {}, and uses `{used}`, which adds up events with no period of its own",
                            name.node, own.node
                        ),
                        *span,
                        "used here",
                    )
                    .with_related(self.definition_span(used), "defined here")
                    .with_help(format!(
                        "give `{used}` the same period: `for each {}` at the end of its definition",
                        own.node
                    )),
                );
            } else {
                totals |= need.totals;
            }
            if let Some((used_period, used_info)) = &need.period {
                match &period {
                    Some((first, info)) if !same_periods(info, used_info) => {
                        self.report(
                            Diagnostic::error(
                                Code::TotalMisuse,
                                format!(
                                    "`{}` would add up the events of each {first} and of each {used_period} at once",
                                    name.node
                                ),
                                *span,
                                format!("`{used}` is worked out for each {used_period}"),
                            )
                            .with_related(self.definition_span(used), "defined here")
                            .with_help(
                                "a definition adds up the events of one kind of period; define one for each period, and use each in a payment made for that period",
                            ),
                        );
                    }
                    Some(_) => {}
                    None => period = Some((used_period.clone(), *used_info)),
                }
            }
            running |= need.running;
            balances |= need.balances;
            depth = depth.max(need.depth.saturating_add(1));
            size = size.saturating_add(need.size);
        }
        // Its period may be said again on a definition built on one worked
        // out for that period; it may not be said of one that adds up
        // nothing at all.
        if let Some((p, _)) = own_period
            && !read.totals
            && !read
                .names
                .iter()
                .any(|(used, _)| self.defined.get(*used).is_some_and(|d| d.period.is_some()))
        {
            self.report(
                Diagnostic::error(
                    Code::TotalMisuse,
                    format!(
                        "`{}` is worked out for each {}, but adds up no events",
                        name.node, p.node
                    ),
                    p.span,
                    "nothing here is added up over the period",
                )
                .with_help(format!(
                    "a definition `for each` period adds up events with `total` or `count`, itself or through a definition it uses; drop `for each {}`, or write what it adds up",
                    p.node
                )),
            );
        }
        // A definition in a total's condition is checked where it is used,
        // against the events added up; here it counts only for depth and
        // size.
        for (used, _) in &read.in_totals {
            if let Some(need) = self.defined.get(*used) {
                depth = depth.max(need.depth.saturating_add(1));
                size = size.saturating_add(need.size);
            }
        }
        // Reported once: what is built on it is not reported again.
        let mut too_big = false;
        if depth > MAX_DEPTH {
            too_big = true;
            self.report(
                Diagnostic::error(
                    Code::NestingTooDeep,
                    format!(
                        "`{}` is built on more than {MAX_DEPTH} definitions, one inside another",
                        name.node
                    ),
                    name.span,
                    "defined here",
                )
                .with_help("write some of the definitions it uses out in full"),
            );
        } else if size > MAX_EXPANDED {
            too_big = true;
            self.report(
                Diagnostic::error(
                    Code::NestingTooDeep,
                    format!(
                        "`{}` comes to more than {} values once the definitions it uses are written out",
                        name.node,
                        crate::eval::report::decimal_text(rust_decimal::Decimal::from(MAX_EXPANDED), 0)
                    ),
                    name.span,
                    "defined here",
                )
                .with_help("a definition that uses another several times repeats it each time; simplify the definitions it is built on"),
            );
        }
        let scope = Scope {
            event: event.map(|(decl, _)| decl),
            any_event: running,
            totals: totals || own_period.is_some(),
            // The definitions `for each` period it uses are checked where
            // it is used, against what is in view there.
            period: PeriodView::Any,
            balances: Balances::Any,
        };
        // A definition's own size is bounded above; uses inside its body
        // are not counted again against a rule's budget.
        self.expanded = usize::MAX;
        // With two kinds of event, every field of the second would be
        // reported again as out of view: the body is left unchecked.
        let ty = match body {
            _ if two_events => Ty::Unknown,
            DefinitionBody::Value(value) => self.check_expr(value, &scope),
            DefinitionBody::Condition(condition) => {
                self.check_condition(condition, &scope);
                Ty::Bool
            }
        };
        let (depth, size) = if too_big { (0, 0) } else { (depth, size) };
        self.defined.insert(
            name.node.clone(),
            Defined {
                ty,
                event: event.map(|(decl, _)| decl),
                totals,
                period,
                running,
                balances,
                depth,
                size,
            },
        );
    }

    /// A bare name that is a definition, used where `scope` holds: its kind
    /// of value, once what it needs is checked against what is in view.
    pub(super) fn use_definition(&mut self, name: &Name, scope: &Scope<'a>) -> Option<Ty> {
        let need = self.defined.get(&name.node)?.clone();
        self.refer(
            name.span,
            crate::model::Target::Definition(name.node.as_str().into()),
        );
        // Each use is worked out again where it is used: a rule that uses
        // a large definition many times is bounded as a definition is.
        let before = self.expanded;
        self.expanded = self.expanded.saturating_add(need.size);
        if before <= MAX_EXPANDED && self.expanded > MAX_EXPANDED {
            self.report(
                Diagnostic::error(
                    Code::NestingTooDeep,
                    format!(
                        "this comes to more than {} values once the definitions it uses are written out",
                        crate::eval::report::decimal_text(rust_decimal::Decimal::from(MAX_EXPANDED), 0)
                    ),
                    name.span,
                    "this use takes it past the limit",
                )
                .with_help("each use of a definition is worked out where it is used; use fewer, or simplify the definitions they are built on"),
            );
            return Some(Ty::Unknown);
        }
        if let Some(decl) = need.event {
            let in_view = scope.event.map(|e| e.name.node.as_str());
            if in_view != Some(decl.name.node.as_str()) {
                let (code, message, help) = match in_view {
                    Some(other) => (
                        Code::EventNotInScope,
                        format!(
                            "`{}` reads the fields of a `{}` event, but this rule is about `{other}` events",
                            name.node, decl.name.node
                        ),
                        format!(
                            "use `{}` in a rule about `{}` events (`on each {}`)",
                            name.node, decl.name.node, decl.name.node
                        ),
                    ),
                    None if scope.totals => (
                        Code::TotalMisuse,
                        format!(
                            "`{}` reads the fields of one `{}` event, and a period holds many",
                            name.node, decl.name.node
                        ),
                        "define a value that adds them up with `total`, and use that here"
                            .to_string(),
                    ),
                    None => (
                        Code::EventNotInScope,
                        format!(
                            "`{}` reads the fields of a `{}` event, and no event is in view here",
                            name.node, decl.name.node
                        ),
                        format!(
                            "use `{}` in a rule about `{}` events (`on each {}`)",
                            name.node, decl.name.node, decl.name.node
                        ),
                    ),
                };
                self.report(
                    Diagnostic::error(code, message, name.span, "used here")
                        .with_related(self.definition_span(&name.node), "defined here")
                        .with_help(help),
                );
                return Some(Ty::Unknown);
            }
        }
        if need.balances && scope.balances != Balances::Any {
            let (message, help) = match scope.balances {
                // Read through a definition, a balance would be read at a
                // moment, not as it stands just before the movement.
                Balances::Own(own) => (
                    format!(
                        "`{}` reads an account's balance, and a movement reads its own balance directly",
                        name.node
                    ),
                    format!(
                        "write `balance of {own}` in the movement itself, where it is the balance just before the movement"
                    ),
                ),
                Balances::Refused | Balances::Any => (
                    format!(
                        "`{}` uses an account's balance, which has no meaning here",
                        name.node
                    ),
                    super::accounts::WHERE_BALANCES_GO.to_string(),
                ),
            };
            self.report(
                Diagnostic::error(Code::BalanceMisuse, message, name.span, "used here")
                    .with_related(self.definition_span(&name.node), "defined here")
                    .with_help(help),
            );
            return Some(Ty::Unknown);
        }
        if let Some((period, info)) = &need.period {
            match scope.period {
                PeriodView::Any => {}
                PeriodView::Of(paid_for) if same_periods(&paid_for, info) => {}
                PeriodView::Of(paid_for) => {
                    let other = self
                        .symbols
                        .periods
                        .iter()
                        .find(|(_, info)| **info == paid_for)
                        .map_or_else(
                            || "another period".to_string(),
                            |(n, _)| format!("each {n}"),
                        );
                    self.report(
                        Diagnostic::error(
                            Code::TotalMisuse,
                            format!(
                                "`{}` adds up the events of each {period}, and this payment is made for {other}",
                                name.node
                            ),
                            name.span,
                            "used here",
                        )
                        .with_related(self.definition_span(&name.node), "defined here")
                        .with_help(format!(
                            "use it in a payment made `for each {period}`, or define what this payment adds up for its own period"
                        )),
                    );
                    return Some(Ty::Unknown);
                }
                PeriodView::None if scope.event.is_some() || scope.any_event => {
                    let money_in_no_currency = self.count_for_the_period_so_far(&name.node, *info)
                        && self.contract_currency().is_none();
                    if money_in_no_currency {
                        self.report(
                            Diagnostic::error(
                                Code::MixedCurrencies,
                                format!(
                                    "`{}` adds up money as each event comes, which needs the contract's currency",
                                    name.node
                                ),
                                name.span,
                                "used here",
                            )
                            .with_help("declare `currency USD` (or the contract's currency) in the contract header, so that every amount added up is in it"),
                        );
                        return Some(Ty::Unknown);
                    }
                }
                PeriodView::None => {
                    self.report(
                        Diagnostic::error(
                            Code::TotalMisuse,
                            format!(
                                "`{}` adds up the events of each {period}, and only a payment made for each {period}, or a rule about an event, can use it",
                                name.node
                            ),
                            name.span,
                            "used here",
                        )
                        .with_related(self.definition_span(&name.node), "defined here")
                        .with_help(format!(
                            "use it in a payment made `for each {period}`, or where an event is in view (an amount paid `on each` event, a `where` condition), where it adds up the {period} so far"
                        )),
                    );
                    return Some(Ty::Unknown);
                }
            }
        }
        if need.totals && !scope.totals {
            self.report(
                Diagnostic::error(
                    Code::TotalMisuse,
                    format!(
                        "`{}` adds up the events of a period, and this rule has no period",
                        name.node
                    ),
                    name.span,
                    "used here",
                )
                .with_related(self.definition_span(&name.node), "defined here")
                .with_help("use it in a payment made `for each` period (`for each quarter`)"),
            );
            return Some(Ty::Unknown);
        }
        if need.running && scope.event.is_none() && !scope.any_event {
            self.report(
                Diagnostic::error(
                    Code::TotalMisuse,
                    format!(
                        "`{}` counts back from an event, and no event is in view here",
                        name.node
                    ),
                    name.span,
                    "used here",
                )
                .with_related(self.definition_span(&name.node), "defined here")
                .with_help("use it where an event is in view: an amount paid `on each` event, or a `where` condition of a rule about events"),
            );
            return Some(Ty::Unknown);
        }
        Some(need.ty)
    }

    /// A definition `for each` period used where an event is in view: each
    /// `total` and `count` it adds up (in it, or in the definitions it
    /// uses) is worked out as the events come, over the period the event
    /// in view falls in, up to that event, as `in the same PERIOD` is.
    /// Says whether any adds up money of the contract's currency (which
    /// a sum kept as events come needs declared).
    fn count_for_the_period_so_far(&mut self, name: &str, info: PeriodInfo) -> bool {
        let mut money = false;
        let file = self.file;
        let mut bodies: Vec<&'a DefinitionBody> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        let mut names = vec![name];
        while let Some(name) = names.pop() {
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            let Some(definition) = self
                .symbols
                .definitions
                .get(name)
                .and_then(|id| file.definitions.get(id.index()))
            else {
                continue;
            };
            bodies.push(&definition.body);
            crate::visit::definition_names(definition, &mut |used| {
                if self.defined.get(used).is_some_and(|d| d.period.is_some()) {
                    names.push(file_name(file, used));
                }
            });
        }
        for body in bodies {
            let mut exprs: Vec<&'a Expr> = match body {
                DefinitionBody::Value(e) => vec![e],
                DefinitionBody::Condition(c) => c.values().0,
            };
            while let Some(e) = exprs.pop() {
                if !e.is_running()
                    && let Some((aggregate, _)) = e.aggregate()
                {
                    if let Aggregate::Total { field, .. } = aggregate {
                        money |= file
                            .events
                            .iter()
                            .find(|d| d.name.node == field.event.node)
                            .and_then(|d| d.fields.iter().find(|f| f.name.node == field.field.node))
                            .is_some_and(|f| {
                                matches!(f.ty.node, TypeName::Money | TypeName::SignedMoney)
                            });
                    }
                    self.register_running(
                        e,
                        aggregate,
                        crate::model::RunningStretch::SamePeriod(info),
                    );
                    continue;
                }
                e.push_children(&mut exprs);
            }
        }
        money
    }

    /// Whether an amount adds up a period's events: a `total` written in
    /// it, or in a definition it uses.
    pub(super) fn adds_up_events(&self, amount: &Expr) -> bool {
        let mut work = vec![amount];
        while let Some(e) = work.pop() {
            if e.is_period_aggregate() {
                return true;
            }
            match &e.kind {
                ExprKind::Name(name)
                    if self
                        .defined
                        .get(name)
                        .is_some_and(|d| d.totals || d.period.is_some()) =>
                {
                    return true;
                }
                _ => e.push_children(&mut work),
            }
        }
        false
    }

    /// The currency the contract's amounts are in, when the header says.
    pub(super) fn contract_currency(&self) -> Option<Currency> {
        self.file
            .header
            .as_ref()
            .and_then(|h| h.currency.as_ref())
            .map(|c| c.node)
    }

    fn definition_span(&self, name: &str) -> Span {
        self.symbols
            .definitions
            .get(name)
            .and_then(|id| self.file.definitions.get(id.index()))
            .map_or(Span::default(), |d| d.name.span)
    }
}

/// Whether two periods cover the same days: `quarter` and a declared
/// `quarter starting april` do.
fn same_periods(a: &PeriodInfo, b: &PeriodInfo) -> bool {
    // Quarters starting in January, April, July or October are the same
    // quarters of the calendar.
    let phase = |p: &PeriodInfo| match p.base {
        PeriodBase::Month => 0,
        PeriodBase::Quarter => p.start_month.saturating_sub(1) % 3,
        PeriodBase::Year => p.start_month,
    };
    a.base == b.base && phase(a) == phase(b)
}

/// The name of a definition as the file writes it, for as long as the file.
fn file_name<'f>(file: &'f ContractFile, name: &str) -> &'f str {
    file.definitions
        .iter()
        .find(|d| d.name.node == name)
        .map_or("", |d| d.name.node.as_str())
}

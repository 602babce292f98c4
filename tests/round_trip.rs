//! Printing a tree and reading it back gives the same tree, spans aside:
//!
//! - for every clause file shipped with proviso that reads without a problem
//!   (the contracts, the examples and the test files);
//! - for generated contracts that use every construct of the language, with
//!   values chosen to stress the printer: brackets that vanish when read
//!   (`(a + b) * c`, `not (not x)`), filters that could swallow what follows
//!   them, text with quotes, backslashes and line breaks, numbers whose
//!   decimals must survive (`1,250,000.00`), keywords used as field names,
//!   picks whose `where` could take their `otherwise`, and the words of a
//!   pick used as names (`latest`, `otherwise`).
//!
//! Printing the tree read back gives the same text again.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::str::FromStr;

use proptest::prelude::*;
use proviso::Limits;
use proviso::ast::*;
use proviso::syntax::{parse, print, without_spans};
use rust_decimal::Decimal;

/// Reads `text`, insisting that it reads without a problem.
fn read(text: &str, what: &str) -> ContractFile {
    let parsed = parse(text, &Limits::default());
    assert!(
        parsed.diagnostics.is_empty(),
        "{what}: the printed text does not read back:\n{text}\n{:#?}",
        parsed.diagnostics
    );
    parsed.file
}

fn clause_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            clause_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "proviso") {
            out.push(path);
        }
    }
}

#[test]
fn every_shipped_clause_file_survives_print_and_read() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["contracts", "examples", "tests"] {
        clause_files(&root.join(dir), &mut files);
    }
    files.sort();
    let mut round_tripped = Vec::new();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue; // A test of unreadable bytes.
        };
        let parsed = parse(&text, &Limits::default());
        if !parsed.diagnostics.is_empty() {
            continue; // A test of a syntax error: there is no whole tree.
        }
        let name = path.strip_prefix(root).unwrap().display().to_string();
        let printed = print(&parsed.file);
        let again = read(&printed, &name);
        assert_eq!(
            without_spans(&parsed.file),
            without_spans(&again),
            "{name}: printed as\n{printed}"
        );
        assert_eq!(printed, print(&again), "{name}: printing is not stable");
        round_tripped.push(name);
    }
    // The flagship, the examples and the valid test files at least.
    for must in [
        "contracts/microsoft-openai-2025.proviso",
        "examples/late-delivery.proviso",
        "tests/valid/every-construct.proviso",
    ] {
        assert!(
            round_tripped.iter().any(|n| n.replace('\\', "/") == must),
            "{must} was not round-tripped"
        );
    }
    assert!(
        round_tripped.len() >= 60,
        "only {} files",
        round_tripped.len()
    );
}

// ---------------------------------------------------------------- generated trees

const NO_SPAN: Span = Span { start: 0, end: 0 };

fn s<T>(node: T) -> Spanned<T> {
    Spanned::new(node, NO_SPAN)
}

fn name_of(text: &str) -> Name {
    s(text.to_string())
}

/// Names a drafter might choose; none is reserved, a scale word, a unit of
/// time or a step kind.
fn ident() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "openai",
        "microsoft",
        "alpha",
        "beta_2",
        "kind",
        "api_product",
        "q",
        "total_units",
        "price",
        "agi",
    ])
    .prop_map(str::to_string)
}

/// Field names may also be keywords (`payment.to`).
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        ident(),
        prop::sample::select(vec!["to", "from", "by", "end", "amount", "date", "in"])
            .prop_map(str::to_string),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 .,;:#'()€é-]{0,24}",
        // Quotes, backslashes, tabs and line breaks, which must be escaped
        // or written over several lines.
        "[a-z \"\\\\\t\n#]{0,16}",
        "[A-Z][a-z]{1,8}( [a-z]{1,8}){0,3}\n\n?[A-Z][a-z]{1,8}( [a-z]{1,8}){0,3}",
    ]
}

fn decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        8 => (0i64..1_000_000_000_000, 0u32..5).prop_map(|(m, scale)| Decimal::new(m, scale)),
        1 => Just(Decimal::from_str("79228162514264337593543950335").unwrap()),
        1 => Just(Decimal::from_str("0.0000000000000000000000000001").unwrap()),
    ]
}

fn positive_decimal() -> impl Strategy<Value = Decimal> {
    decimal().prop_filter("a rounding unit is not zero", |d| !d.is_zero())
}

fn date() -> impl Strategy<Value = jiff::civil::Date> {
    (1900i16..=2200, 1i8..=12, 1i8..=31).prop_filter_map("a real day", |(y, m, d)| {
        jiff::civil::Date::new(y, m, d).ok()
    })
}

fn currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(vec![*b"USD", *b"EUR", *b"GBP", *b"JPY", *b"CHF"]).prop_map(Currency)
}

fn money() -> impl Strategy<Value = Money> {
    // Whole millions and more are printed with a scale word (`135 billion`).
    let large = (1i64..100_000, prop::sample::select(vec![6u32, 9, 12]))
        .prop_map(|(m, zeros)| Decimal::from(m) * Decimal::from(10i64.pow(zeros)));
    (currency(), prop_oneof![decimal(), large])
        .prop_map(|(currency, amount)| Money { currency, amount })
}

fn duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        (0i64..100_000).prop_map(Duration::Days),
        (0i64..1_200).prop_map(Duration::Months),
    ]
}

fn late_interest() -> impl Strategy<Value = LateInterest> {
    (
        decimal(),
        prop::sample::select(vec![RatePeriod::Year, RatePeriod::Month]),
        prop::option::of(prop::sample::select(vec![
            DayCount::Actual365,
            DayCount::Actual360,
            DayCount::Thirty360,
        ])),
        prop::option::of(prop::sample::select(vec![
            RatePeriod::Year,
            RatePeriod::Month,
        ])),
    )
        .prop_map(|(rate, per, day_count, compounding)| LateInterest {
            rate: s(rate),
            per: s(per),
            compounding: compounding.map(s),
            day_count: day_count.map(s),
            span: NO_SPAN,
        })
}

fn rounding() -> impl Strategy<Value = Rounding> {
    (
        prop::sample::select(vec![
            RoundingMode::HalfUp,
            RoundingMode::HalfEven,
            RoundingMode::HalfDown,
            RoundingMode::Up,
            RoundingMode::Down,
            RoundingMode::Ceiling,
            RoundingMode::Floor,
        ]),
        positive_decimal(),
    )
        .prop_map(|(mode, unit)| Rounding {
            mode: s(mode),
            unit: s(unit),
            span: NO_SPAN,
        })
}

/// `in the same PERIOD` or `within the last LENGTH`.
fn stretch() -> impl Strategy<Value = Box<Spanned<Stretch>>> {
    prop_oneof![
        ident().prop_map(|period| Stretch::SamePeriod(s(period))),
        duration()
            .prop_filter("a stretch of some length", |d| !d.is_zero())
            .prop_map(Stretch::Last),
    ]
    .prop_map(|stretch| Box::new(s(stretch)))
}

fn field_ref() -> impl Strategy<Value = FieldRef> {
    (ident(), field_name()).prop_map(|(event, field)| FieldRef {
        event: s(event),
        field: s(field),
        span: NO_SPAN,
    })
}

/// `highest`, `lowest`, `latest` or `previous`.
fn which() -> impl Strategy<Value = Which> {
    prop::sample::select(vec![
        Which::Highest,
        Which::Lowest,
        Which::Latest,
        Which::Previous,
    ])
}

/// The words of a pick, and `otherwise`, are names everywhere else: a
/// field or a definition may be called `latest`.
fn pick_word_name() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["highest", "lowest", "latest", "previous", "otherwise"])
        .prop_map(str::to_string)
}

/// `latest EVENT.FIELD [STRETCH] [where CONDITION] [otherwise VALUE]`.
fn pick(
    which: Which,
    field: FieldRef,
    stretch: Option<Box<Spanned<Stretch>>>,
    filter: Option<Condition>,
    otherwise: Option<Expr>,
) -> ExprKind {
    ExprKind::Pick(Box::new(Pick {
        which: s(which),
        field,
        stretch: stretch.map(|stretch| *stretch),
        filter,
        otherwise,
    }))
}

fn expr_of(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: NO_SPAN,
    }
}

fn leaf_expr() -> BoxedStrategy<Expr> {
    prop_oneof![
        money().prop_map(ExprKind::Money),
        decimal().prop_map(ExprKind::Percent),
        decimal().prop_map(ExprKind::Number),
        duration().prop_map(ExprKind::Duration),
        date().prop_map(ExprKind::Date),
        any::<bool>().prop_map(ExprKind::Bool),
        text().prop_map(ExprKind::Text),
        ident().prop_map(ExprKind::Name),
        field_ref().prop_map(ExprKind::Field),
        (field_ref(), prop::option::of(stretch())).prop_map(|(field, stretch)| ExprKind::Total {
            field,
            filter: None,
            stretch,
        }),
        (
            ident(),
            prop::option::of(ident()),
            prop::option::of(stretch())
        )
            .prop_map(|(event, by, stretch)| ExprKind::Count {
                event: s(event),
                by: by.map(s),
                filter: None,
                stretch,
            }),
        (ident(), prop::option::of(date())).prop_map(|(account, as_of)| ExprKind::Balance {
            account: s(account),
            as_of: as_of.map(s),
        }),
        (which(), field_ref(), prop::option::of(stretch()))
            .prop_map(|(which, field, stretch)| pick(which, field, stretch, None, None)),
        pick_word_name().prop_map(ExprKind::Name),
        (
            prop_oneof![ident(), pick_word_name()],
            prop_oneof![field_name(), pick_word_name()]
        )
            .prop_map(|(event, field)| ExprKind::Field(FieldRef {
                event: s(event),
                field: s(field),
                span: NO_SPAN,
            })),
    ]
    .prop_map(expr_of)
    .boxed()
}

fn leaf_condition(value: BoxedStrategy<Expr>) -> BoxedStrategy<Condition> {
    let op = prop::sample::select(vec![
        CompareOp::Is,
        CompareOp::IsNot,
        CompareOp::In,
        CompareOp::NotIn,
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Lt,
        CompareOp::Le,
        CompareOp::Gt,
        CompareOp::Ge,
    ]);
    prop_oneof![
        (
            value.clone(),
            op,
            prop::collection::vec(value.clone(), 1..4)
        )
            .prop_map(|(left, op, right)| ConditionKind::Compare {
                left,
                op: s(op),
                right
            }),
        value.prop_map(ConditionKind::Test),
        (
            ident(),
            prop::option::of(ident()),
            prop::collection::vec(ident(), 0..3),
            prop::option::of((any::<bool>(), duration())),
        )
            .prop_map(|(event, by, matching, when)| {
                ConditionKind::Earlier(Box::new(EarlierEvent {
                    event: s(event),
                    by: by.map(s),
                    matching: matching.into_iter().map(s).collect(),
                    when: when.map(|(within, length)| {
                        s(if within {
                            EarlierWhen::Within(length)
                        } else {
                            EarlierWhen::AtLeastBefore(length)
                        })
                    }),
                }))
            }),
    ]
    .prop_map(|kind| Condition {
        kind,
        span: NO_SPAN,
    })
    .boxed()
}

/// Values and conditions nested up to `depth` levels, each able to hold
/// the other (a `total ... where` in a comparison in a `total ... where`).
fn values(depth: u32) -> (BoxedStrategy<Expr>, BoxedStrategy<Condition>) {
    if depth == 0 {
        let leaf = leaf_expr();
        return (leaf.clone(), leaf_condition(leaf));
    }
    let (sub, cond) = values(depth - 1);
    let box_ = |e: Expr| Box::new(e);
    let additive = prop::sample::select(vec![ArithOp::Add, ArithOp::Sub]);
    let multiplicative = prop::sample::select(vec![ArithOp::Mul, ArithOp::Div]);
    let chain = |ops: BoxedStrategy<ArithOp>, sub: BoxedStrategy<Expr>| {
        (sub.clone(), prop::collection::vec((ops, sub), 1..3)).prop_map(move |(first, rest)| {
            ExprKind::Chain {
                first: Box::new(first),
                rest: rest.into_iter().map(|(op, e)| (s(op), e)).collect(),
            }
        })
    };
    let lower =
        prop::option::of(
            (any::<bool>(), sub.clone()).prop_map(|(from, value)| TierBound {
                kind: if from { LowerEnd::From } else { LowerEnd::Over },
                value,
            }),
        );
    let upper = prop::option::of(
        (
            prop::sample::select(vec![UpperEnd::Below, UpperEnd::Through, UpperEnd::UpTo]),
            sub.clone(),
        )
            .prop_map(|(kind, value)| TierBound { kind, value }),
    );
    let tier = (lower, upper, sub.clone()).prop_map(|(lower, upper, value)| Tier {
        lower,
        upper,
        value,
        span: NO_SPAN,
    });
    let compound = prop_oneof![
        (field_ref(), cond.clone(), prop::option::of(stretch())).prop_map(
            |(field, filter, stretch)| ExprKind::Total {
                field,
                filter: Some(Box::new(filter)),
                stretch,
            }
        ),
        (ident(), cond.clone(), prop::option::of(stretch())).prop_map(
            |(event, filter, stretch)| ExprKind::Count {
                event: s(event),
                by: None,
                filter: Some(Box::new(filter)),
                stretch,
            }
        ),
        // A pick with a `where` and an `otherwise` of its own: what
        // `otherwise` takes is an atom (money, a name, a field), or
        // anything else in brackets.
        (
            which(),
            field_ref(),
            prop::option::of(stretch()),
            prop::option::of(cond.clone()),
            prop::option::of(prop_oneof![
                money().prop_map(|m| expr_of(ExprKind::Money(m))),
                ident().prop_map(|n| expr_of(ExprKind::Name(n))),
                pick_word_name().prop_map(|n| expr_of(ExprKind::Name(n))),
                field_ref().prop_map(|f| expr_of(ExprKind::Field(f))),
                sub.clone(),
            ]),
        )
            .prop_map(|(which, field, stretch, filter, otherwise)| {
                pick(which, field, stretch, filter, otherwise)
            }),
        chain(additive.boxed(), sub.clone()),
        chain(multiplicative.boxed(), sub.clone()),
        sub.clone().prop_map(move |e| ExprKind::Negate(box_(e))),
        (sub.clone(), sub.clone()).prop_map(|(share, base)| ExprKind::Of {
            share: Box::new(share),
            base: Box::new(base)
        }),
        (sub.clone(), sub.clone()).prop_map(|(value, cap)| ExprKind::CappedAt {
            value: Box::new(value),
            cap: Box::new(cap)
        }),
        (sub.clone(), sub.clone()).prop_map(|(value, floor)| ExprKind::AtLeast {
            value: Box::new(value),
            floor: Box::new(floor)
        }),
        (sub.clone(), any::<bool>(), sub.clone(), sub.clone()).prop_map(
            |(value, full, step, measure)| ExprKind::PerStep {
                value: Box::new(value),
                kind: if full {
                    StepKind::Full
                } else {
                    StepKind::Started
                },
                step: Box::new(step),
                measure: Box::new(measure),
            }
        ),
        (sub.clone(), sub.clone()).prop_map(|(start, end)| ExprKind::DaysBetween {
            start: Box::new(start),
            end: Box::new(end)
        }),
        (
            any::<bool>(),
            sub.clone(),
            prop::collection::vec(tier, 1..4)
        )
            .prop_map(|(marginal, subject, tiers)| {
                ExprKind::Tiers {
                    mode: if marginal {
                        TierMode::Marginal
                    } else {
                        TierMode::Whole
                    },
                    subject: Box::new(subject),
                    tiers,
                }
            }),
        (sub.clone(), rounding()).prop_map(|(value, rounding)| ExprKind::Rounded {
            value: Box::new(value),
            rounding
        }),
        (sub.clone(), currency(), sub.clone()).prop_map(|(value, currency, rate)| {
            ExprKind::Converted {
                value: Box::new(value),
                currency: s(currency),
                rate: Box::new(rate),
            }
        }),
    ]
    .prop_map(expr_of);
    let expr = prop_oneof![1 => sub.clone(), 2 => compound].boxed();

    let cond_of = |kind| Condition {
        kind,
        span: NO_SPAN,
    };
    let compound_cond = prop_oneof![
        prop::collection::vec(cond.clone(), 2..4).prop_map(ConditionKind::Any),
        prop::collection::vec(cond.clone(), 2..4).prop_map(ConditionKind::All),
        cond.clone().prop_map(|c| ConditionKind::Not(Box::new(c))),
    ]
    .prop_map(cond_of);
    let condition = prop_oneof![
        1 => cond,
        1 => leaf_condition(expr.clone()),
        2 => compound_cond,
    ]
    .boxed();
    (expr, condition)
}

fn expr() -> BoxedStrategy<Expr> {
    values(3).0
}

fn condition() -> BoxedStrategy<Condition> {
    values(2).1
}

fn event_pattern() -> impl Strategy<Value = EventPattern> {
    (
        ident(),
        prop::option::of(ident()),
        prop::option::of(condition()),
    )
        .prop_map(|(event, by, filter)| EventPattern {
            event: s(event),
            by: by.map(s),
            filter,
            span: NO_SPAN,
        })
}

fn milestone_cond() -> impl Strategy<Value = MilestoneCond> {
    let leaf = prop_oneof![
        event_pattern().prop_map(|p| MilestoneCond::Event(Box::new(p))),
        date().prop_map(|d| MilestoneCond::Date(s(DateRef::Date(d)))),
        (
            field_ref(),
            prop::option::of(condition()),
            prop_oneof![
                money().prop_map(ExprKind::Money),
                decimal().prop_map(ExprKind::Number),
                decimal().prop_map(ExprKind::Percent),
                duration().prop_map(ExprKind::Duration),
            ],
        )
            .prop_map(|(field, filter, threshold)| MilestoneCond::Total(Box::new(
                TotalReaches {
                    field,
                    filter,
                    threshold: expr_of(threshold),
                    span: NO_SPAN,
                }
            ))),
        (event_pattern(), 1u32..1000).prop_map(|(pattern, n)| MilestoneCond::Count(Box::new(
            CountReaches {
                pattern,
                threshold: expr_of(ExprKind::Number(Decimal::from(n))),
                span: NO_SPAN,
            }
        ))),
        clause_number().prop_map(|clause| MilestoneCond::PaidInFull(Box::new(PaidInFull {
            clause,
            span: NO_SPAN,
        }))),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| MilestoneCond::Any(v, NO_SPAN)),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| MilestoneCond::All(v, NO_SPAN)),
            prop::collection::vec(inner, 2..4).prop_map(|v| MilestoneCond::Sequence(v, NO_SPAN)),
        ]
    })
}

/// A date or a milestone: what a delay may be counted from.
fn anchor_bound() -> impl Strategy<Value = Bound> {
    prop_oneof![
        date().prop_map(|d| Bound::Date(DateRef::Date(d))),
        ident().prop_map(Bound::Milestone),
    ]
}

fn bound() -> impl Strategy<Value = Bound> {
    prop_oneof![
        anchor_bound(),
        (duration(), anchor_bound()).prop_map(|(delay, anchor)| Bound::After {
            delay: s(delay),
            anchor: Box::new(s(anchor)),
        }),
    ]
}

fn window_end() -> impl Strategy<Value = WindowEnd> {
    (
        prop::collection::vec(
            (0..3u8, bound(), duration()).prop_map(|(kind, b, length)| match kind {
                0 => EndBound::Through(s(b)),
                1 => EndBound::Until(s(b)),
                _ => EndBound::For(s(length)),
            }),
            1..4,
        ),
        any::<bool>(),
    )
        .prop_map(|(bounds, whichever_earlier)| WindowEnd {
            bounds,
            whichever_earlier,
            span: NO_SPAN,
        })
}

fn window() -> impl Strategy<Value = Window> {
    (prop::option::of(bound()), prop::option::of(window_end())).prop_map(|(from, end)| Window {
        from: from.map(s),
        end,
    })
}

fn due() -> impl Strategy<Value = Due> {
    let anchor = prop_oneof![
        Just(DueAnchor::PeriodEnd),
        Just(DueAnchor::Event),
        date().prop_map(|d| DueAnchor::Date(DateRef::Date(d))),
        ident().prop_map(DueAnchor::Milestone),
    ];
    prop_oneof![
        date().prop_map(|d| Due::On(s(DateRef::Date(d)))),
        (duration(), anchor).prop_map(|(delay, anchor)| Due::After {
            delay: s(delay),
            anchor: s(anchor)
        }),
    ]
}

fn carve_outs() -> impl Strategy<Value = Vec<CarveOut>> {
    prop::collection::vec(
        (prop::sample::select(vec!["except", "unless"]), condition()).prop_map(
            |(keyword, condition)| CarveOut {
                keyword: name_of(keyword),
                condition,
                span: NO_SPAN,
            },
        ),
        0..3,
    )
}

fn action() -> impl Strategy<Value = Action> {
    (ident(), prop::option::of(condition())).prop_map(|(event, filter)| Action {
        event: s(event),
        filter,
        span: NO_SPAN,
    })
}

fn pay() -> impl Strategy<Value = Statement> {
    let recurrence = prop::option::of(prop_oneof![
        ident().prop_map(|p| Recurrence::EachPeriod(s(p))),
        field_ref().prop_map(Recurrence::EachPeriodField),
        event_pattern().prop_map(Recurrence::EachEvent),
    ]);
    let basis = prop::option::of(prop::sample::select(vec![
        PeriodBasis::Earned,
        PeriodBasis::Reported,
    ]));
    let partial = prop::option::of(prop::sample::select(vec![
        PartialPeriods::Whole,
        PartialPeriods::Prorated,
        PartialPeriods::Excluded,
    ]));
    (
        (
            ident(),
            ident(),
            expr(),
            recurrence,
            basis,
            partial,
            arising_rights(),
        ),
        (
            window(),
            prop::option::of(due()),
            prop::option::of(ident()),
            prop::option::of(rounding()),
            carve_outs(),
            prop::option::of(late_interest()),
            prop::option::of((duration(), prop::option::of(event_pattern()))),
        ),
    )
        .prop_map(
            |(
                (debtor, creditor, amount, recurrence, basis, partial, rights),
                (window, due, settled_by, rounding, carve_outs, interest, cure),
            )| {
                // `as earned` / `as reported` is written only after `for
                // each EVENT.FIELD`.
                let basis = basis
                    .filter(|_| matches!(recurrence, Some(Recurrence::EachPeriodField(_))))
                    .map(s);
                let mut pay = PayObligation {
                    debtor: s(debtor),
                    creditor: s(creditor),
                    amount,
                    recurrence,
                    basis,
                    partial: partial.map(s),
                    window,
                    due,
                    settled_by: settled_by.map(s),
                    rounding,
                    interest,
                    cure: cure.map(|(within, notice)| {
                        Box::new(Cure {
                            within: s(within),
                            notice,
                            span: NO_SPAN,
                        })
                    }),
                    rights,
                    carve_outs,
                    span: NO_SPAN,
                };
                // `x rounded ...` with nothing after the amount rounds the
                // amount: no text gives the payment its own rounding then.
                let alone = pay.recurrence.is_none()
                    && pay.partial.is_none()
                    && pay.window == Window::default()
                    && pay.due.is_none()
                    && pay.settled_by.is_none()
                    && pay.interest.is_none()
                    && pay.cure.is_none()
                    && pay.rights.is_empty()
                    && pay.carve_outs.is_empty();
                if alone {
                    pay.rounding = None;
                }
                Statement::Pay(Box::new(pay))
            },
        )
}

fn arising_rights() -> impl Strategy<Value = Vec<ArisingRight>> {
    prop::collection::vec(
        (ident(), action()).prop_map(|(party, action)| ArisingRight {
            party: s(party),
            action,
            span: NO_SPAN,
        }),
        0..3,
    )
}

fn action_rule() -> impl Strategy<Value = Statement> {
    (
        0u8..3,
        ident(),
        action(),
        prop::option::of(event_pattern()),
        window(),
        prop::option::of(due()),
        carve_outs(),
        prop::option::of((duration(), prop::option::of(event_pattern()))),
        (
            arising_rights(),
            prop::collection::vec(ident(), 0..3),
            prop::collection::vec(
                (ident(), ident(), expr(), prop::option::of(duration())),
                0..2,
            ),
        ),
    )
        .prop_map(
            |(
                modality,
                party,
                action,
                trigger,
                window,
                due,
                carve_outs,
                cure,
                (rights, matching, damages),
            )| {
                let has_trigger = trigger.is_some();
                let mut rule = ActionRule {
                    party: s(party),
                    action,
                    trigger,
                    window,
                    due,
                    cure: cure.map(|(within, notice)| {
                        Box::new(Cure {
                            within: s(within),
                            notice,
                            span: NO_SPAN,
                        })
                    }),
                    rights,
                    damages: damages
                        .into_iter()
                        .map(|(debtor, creditor, amount, within)| ArisingPayment {
                            debtor: s(debtor),
                            creditor: s(creditor),
                            amount,
                            within: within.map(s),
                            span: NO_SPAN,
                        })
                        .collect(),
                    // Written only after `on each`.
                    matching: if has_trigger {
                        matching.into_iter().map(s).collect()
                    } else {
                        Vec::new()
                    },
                    carve_outs,
                    span: NO_SPAN,
                };
                match modality {
                    0 => Statement::Do(Box::new(rule)),
                    // Only an obligation to act has a trigger, a due date
                    // and a cure period.
                    m => {
                        rule.trigger = None;
                        rule.due = None;
                        rule.cure = None;
                        rule.rights = Vec::new();
                        rule.matching = Vec::new();
                        rule.damages = Vec::new();
                        if m == 1 {
                            Statement::MustNot(Box::new(rule))
                        } else {
                            Statement::May(Box::new(rule))
                        }
                    }
                }
            },
        )
}

fn grant() -> impl Strategy<Value = Statement> {
    (
        (
            ident(),
            ident(),
            prop::option::of(any::<bool>()),
            any::<bool>(),
        ),
        (
            prop::option::of(text()),
            action(),
            window(),
            carve_outs(),
            prop::option::of((field_ref(), prop::option::of(condition()))),
        ),
    )
        .prop_map(
            |(
                (grantor, grantee, exclusive, licence),
                (label, scope, window, carve_outs, passes),
            )| {
                Statement::Grant(Box::new(Grant {
                    grantor: s(grantor),
                    grantee: s(grantee),
                    exclusive: exclusive.map(s),
                    kind: s(if licence {
                        GrantKind::Licence
                    } else {
                        GrantKind::Right
                    }),
                    label: label.map(s),
                    scope,
                    window,
                    carve_outs,
                    passes: passes.map(|(field, filter)| GrantPasses {
                        field,
                        filter,
                        span: NO_SPAN,
                    }),
                    span: NO_SPAN,
                }))
            },
        )
}

fn ownership() -> impl Strategy<Value = Statement> {
    let passing = (
        ident(),
        prop_oneof![
            event_pattern().prop_map(|p| PassingWhen::On(Box::new(p))),
            ident().prop_map(|m| PassingWhen::Once(s(m))),
        ],
    )
        .prop_map(|(to, when)| TitlePassing {
            to: s(to),
            when,
            span: NO_SPAN,
        });
    (
        ident(),
        prop::option::of(decimal()),
        action(),
        prop::collection::vec(passing, 0..3),
    )
        .prop_map(|(owner, share, made_by, passes)| {
            Statement::Own(Box::new(Ownership {
                owner: s(owner),
                share: share.map(s),
                made_by,
                passes,
                span: NO_SPAN,
            }))
        })
}

fn shortfall() -> impl Strategy<Value = Shortfall> {
    (
        prop_oneof![
            decimal().prop_map(|d| ShortfallRate::Share(s(d))),
            money().prop_map(|m| ShortfallRate::PerUnit(s(m))),
        ],
        prop::option::of(duration()),
    )
        .prop_map(|(rate, within)| Shortfall {
            rate,
            within: within.map(s),
            span: NO_SPAN,
        })
}

fn commitment() -> impl Strategy<Value = Statement> {
    (
        (ident(), prop::option::of(ident()), expr(), field_ref()),
        (prop::option::of(condition()), window(), carve_outs()),
        (prop::option::of(ident()), prop::option::of(shortfall())),
    )
        .prop_map(
            |(
                (party, beneficiary, target, measure),
                (filter, window, carve_outs),
                (per, shortfall),
            )| {
                Statement::Commitment(Box::new(Commitment {
                    party: s(party),
                    beneficiary: beneficiary.map(s),
                    target,
                    measure,
                    filter,
                    per: per.map(s),
                    shortfall: shortfall.map(Box::new),
                    window,
                    carve_outs,
                    span: NO_SPAN,
                }))
            },
        )
}

fn suspension() -> impl Strategy<Value = Statement> {
    (
        prop::collection::vec(clause_number(), 1..4),
        event_pattern(),
        event_pattern(),
    )
        .prop_map(|(clauses, from, until)| {
            Statement::Suspension(Box::new(Suspension {
                clauses,
                from,
                until,
                span: NO_SPAN,
            }))
        })
}

fn aggregate_cap() -> impl Strategy<Value = Statement> {
    // The tree is read whatever the checker would make of it: a floor with
    // no party paid, a cap with a due date.
    (
        prop_oneof![Just(LimitKind::Cap), Just(LimitKind::Floor)],
        ident(),
        prop::option::of(ident()),
        prop::collection::vec(clause_number(), 1..4),
        expr(),
        prop::option::of(ident()),
        prop::option::of(prop_oneof![
            Just(PartialPeriods::Whole),
            Just(PartialPeriods::Prorated),
            Just(PartialPeriods::Excluded),
        ]),
        prop::option::of(duration()),
    )
        .prop_map(
            |(kind, debtor, creditor, clauses, amount, per, partial, due)| {
                Statement::Cap(Box::new(AggregateCap {
                    kind: Spanned::new(kind, NO_SPAN),
                    debtor: s(debtor),
                    creditor: creditor.map(s),
                    clauses,
                    amount,
                    per: per.map(s),
                    partial: partial.map(|p| Spanned::new(p, NO_SPAN)),
                    due: due.map(|d| Spanned::new(d, NO_SPAN)),
                    span: NO_SPAN,
                }))
            },
        )
}

fn statement() -> impl Strategy<Value = Statement> {
    // Each kind boxed: unboxed, the nested strategy types make frames
    // deep enough to overflow a test thread's stack in a debug build.
    prop_oneof![
        pay().boxed(),
        suspension().boxed(),
        aggregate_cap().boxed(),
        action_rule().boxed(),
        grant().boxed(),
        ownership().boxed(),
        commitment().boxed(),
        action().prop_map(|scope| Statement::Exclusion(Box::new(Exclusion {
            scope,
            span: NO_SPAN
        }))),
        (
            ident(),
            decimal(),
            ident(),
            prop::option::of(text()),
            prop::option::of(money())
        )
            .prop_map(|(holder, stake, entity, basis, valuation)| {
                Statement::Holding(Box::new(Holding {
                    holder: s(holder),
                    stake: s(stake),
                    entity: s(entity),
                    basis: basis.map(s),
                    valuation: valuation.map(s),
                    span: NO_SPAN,
                }))
            }),
        ident().prop_map(|entity| Statement::CapTable(Box::new(CapTable {
            entity: s(entity),
            span: NO_SPAN
        }))),
    ]
}

fn clause_number() -> impl Strategy<Value = Spanned<ClauseNumber>> {
    prop::collection::vec(1u32..=u32::MAX, 1..4).prop_map(|parts| s(ClauseNumber(parts)))
}

fn clause() -> impl Strategy<Value = Clause> {
    let allow = (
        prop::collection::vec(
            prop::sample::select(vec!["unused_party", "L0101", "skipped_clause_number"]),
            1..3,
        ),
        text(),
    )
        .prop_map(|(codes, reason)| Allow {
            codes: codes.into_iter().map(name_of).collect(),
            reason: s(reason),
            span: NO_SPAN,
        });
    (
        (
            clause_number(),
            prop::option::of(text()),
            prop::collection::vec(clause_number(), 0..3),
            prop::option::of(prop::option::of(duration())).prop_map(|survives| {
                survives.map(|length| Survival {
                    length: length.map(s),
                    span: NO_SPAN,
                })
            }),
        ),
        (
            prop::collection::vec(text().prop_map(s), 0..3),
            prop::collection::vec(allow, 0..2),
            prop::collection::vec(statement(), 0..4),
        ),
    )
        .prop_map(
            |((number, heading, exception_to, survives), (wording, allows, statements))| Clause {
                number,
                heading: heading.map(s),
                exception_to,
                survives,
                wording,
                allows,
                statements,
                span: NO_SPAN,
            },
        )
}

fn header() -> impl Strategy<Value = Header> {
    (
        text(),
        prop::option::of(date()),
        prop::option::of(window_end()),
        prop::option::of(currency()),
        prop::option::of(rounding()),
        prop::option::of(ident()),
        prop::option::of((duration(), event_pattern(), duration())),
    )
        .prop_map(
            |(title, effective, term, currency, rounding, settlement, renewal)| Header {
                title: s(title),
                effective: effective.map(|d| s(DateRef::Date(d))),
                term,
                renewal: renewal.map(|(period, notice, before)| Renewal {
                    period: s(period),
                    notice,
                    before: s(before),
                    span: NO_SPAN,
                }),
                currency: currency.map(s),
                rounding,
                settlement: settlement.map(s),
                span: NO_SPAN,
            },
        )
}

fn declarations() -> impl Strategy<Value = ContractFile> {
    let party = (ident(), prop::option::of(text())).prop_map(|(name, legal_name)| Party {
        name: s(name),
        legal_name: legal_name.map(s),
        span: NO_SPAN,
    });
    let change = (any::<bool>(), field_ref(), prop::option::of(condition())).prop_map(
        |(joins, field, filter)| MembershipChange {
            kind: s(if joins {
                MembershipKind::Joins
            } else {
                MembershipKind::Leaves
            }),
            field,
            filter,
            span: NO_SPAN,
        },
    );
    let group = (
        ident(),
        prop::option::of(text()),
        prop::collection::vec(ident().prop_map(s), 1..4),
        prop::collection::vec(change, 0..3),
    )
        .prop_map(|(name, label, members, changes)| Group {
            name: s(name),
            label: label.map(s),
            members,
            changes,
            span: NO_SPAN,
        });
    let category = (
        ident(),
        prop::option::of(text()),
        prop::collection::vec(ident().prop_map(s), 1..4),
    )
        .prop_map(|(name, label, members)| Category {
            name: s(name),
            label: label.map(s),
            members,
            span: NO_SPAN,
        });
    let period = (
        ident(),
        prop::option::of(text()),
        prop::sample::select(vec![
            PeriodBase::Month,
            PeriodBase::Quarter,
            PeriodBase::Year,
        ]),
        prop::option::of(1u8..=12),
    )
        .prop_map(|(name, label, base, start)| PeriodDecl {
            name: s(name),
            label: label.map(s),
            base: s(base),
            start_month: s(start.unwrap_or(1)),
            start_written: start.is_some(),
            span: NO_SPAN,
        });
    let field = (
        field_name(),
        prop_oneof![
            prop::sample::select(vec![
                TypeName::Money,
                TypeName::Percent,
                TypeName::Number,
                TypeName::Count,
                TypeName::Days,
                TypeName::Date,
                TypeName::Text,
                TypeName::Bool,
                TypeName::Party,
            ]),
            prop::sample::select(vec!["quarter", "cloud", "fiscal_year"])
                .prop_map(|n| TypeName::Named(n.to_string())),
            (currency(), any::<bool>())
                .prop_map(|(currency, signed)| TypeName::MoneyIn { currency, signed }),
            Just(TypeName::SignedMoney),
        ],
    )
        .prop_map(|(name, ty)| FieldDecl {
            name: s(name),
            ty: s(ty),
            span: NO_SPAN,
        });
    let event = (
        ident(),
        any::<bool>(),
        prop::option::of(text()),
        prop::collection::vec(field, 0..4),
    )
        .prop_map(|(name, has_actor, label, fields)| EventDecl {
            name: s(name),
            label: label.map(s),
            has_actor,
            fields,
            span: NO_SPAN,
        });
    let milestone = (ident(), prop::option::of(text()), milestone_cond()).prop_map(
        |(name, label, condition)| Milestone {
            name: s(name),
            label: label.map(s),
            condition,
            span: NO_SPAN,
        },
    );
    // A condition that is a value on its own (`x.flag`) reads back as a
    // value: the grammar tries a value first.
    let body = prop_oneof![
        expr().prop_map(DefinitionBody::Value),
        condition()
            .prop_filter("a bare value reads as a value", |c| {
                !matches!(c.kind, ConditionKind::Test(_))
            })
            .prop_map(DefinitionBody::Condition),
    ];
    let definition = (
        ident(),
        prop::option::of(text()),
        body,
        prop::option::of(ident()),
    )
        .prop_map(|(name, label, body, period)| Definition {
            name: s(name),
            label: label.map(s),
            body,
            period: period.map(s),
            span: NO_SPAN,
        });
    let movement = (
        any::<bool>(),
        expr(),
        prop_oneof![
            event_pattern().prop_map(MovementTime::EachEvent),
            ident().prop_map(|p| MovementTime::PeriodEnd(s(p))),
        ],
    )
        .prop_map(|(increased, amount, when)| Movement {
            direction: s(if increased {
                Direction::Increased
            } else {
                Direction::Decreased
            }),
            amount,
            when,
            span: NO_SPAN,
        });
    let account = (
        ident(),
        prop::option::of(text()),
        money(),
        date(),
        prop::collection::vec(movement, 0..3),
    )
        .prop_map(|(name, label, opening, opens, movements)| Account {
            name: s(name),
            label: label.map(s),
            opening: s(opening),
            opens: s(opens),
            movements,
            span: NO_SPAN,
        });
    (
        prop::option::of(header()),
        prop::collection::vec(party, 0..3),
        prop::collection::vec(group, 0..2),
        prop::collection::vec(category, 0..3),
        prop::collection::vec(period, 0..2),
        prop::collection::vec(event, 0..3),
        prop::collection::vec(milestone, 0..3),
        prop::collection::vec(definition, 0..3),
        prop::collection::vec(account, 0..2),
    )
        .prop_map(
            |(
                header,
                parties,
                groups,
                categories,
                periods,
                events,
                milestones,
                definitions,
                accounts,
            )| {
                ContractFile {
                    header,
                    parties,
                    groups,
                    categories,
                    periods,
                    events,
                    milestones,
                    definitions,
                    accounts,
                    clauses: Vec::new(),
                }
            },
        )
}

fn contract() -> impl Strategy<Value = ContractFile> {
    (declarations(), prop::collection::vec(clause(), 0..5)).prop_map(|(mut file, clauses)| {
        file.clauses = clauses;
        file
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn generated_contracts_survive_print_and_read(file in contract()) {
        let printed = print(&file);
        let read_back = read(&printed, "generated contract");
        prop_assert_eq!(without_spans(&file), without_spans(&read_back), "printed as\n{}", printed);
        prop_assert_eq!(&printed, &print(&read_back), "printing is not stable");
    }
}

/// Formats `text` (the printed `file` with `planted` comments) and checks
/// what `proviso fmt` promises: no refusal, the same contract, the comments
/// planted (in order when `ordered`, else as a set: options move), and
/// formatting again changes nothing.
fn check_formatting(
    file: &ContractFile,
    text: &str,
    planted: &[String],
    ordered: bool,
) -> Result<(), TestCaseError> {
    let source = proviso::SourceFile::new("planted.proviso", text.to_string());
    let formatted = proviso::fmt::format_source(&source, &Limits::default())
        .map_err(|refused| TestCaseError::fail(format!("{refused:?}\n{text}")))?;
    let read_back = read(&formatted, "formatted contract");
    prop_assert_eq!(
        without_spans(file),
        without_spans(&read_back),
        "formatted as\n{}",
        formatted
    );
    let mut kept: Vec<String> = proviso::syntax::comments(&formatted)
        .into_iter()
        .map(|c| c.text)
        .collect();
    let mut planted = planted.to_vec();
    if !ordered {
        kept.sort();
        planted.sort();
    }
    prop_assert_eq!(&kept, &planted, "formatted as\n{}", formatted);
    let again = proviso::fmt::format_source(
        &proviso::SourceFile::new("formatted.proviso", formatted.clone()),
        &Limits::default(),
    );
    prop_assert!(
        matches!(&again, Ok(twice) if *twice == formatted),
        "formatting twice changed it:\n{}\n---\n{:?}\n--- from\n{}",
        formatted,
        again,
        text
    );
    Ok(())
}

/// `text` with comments planted as `plan` says, line by line: before a line
/// (on a line of its own, sometimes after an empty line) and at its end.
/// Lines inside a quotation over several lines get none. Returns the text
/// and the comments in order.
fn plant_comments(text: &str, plan: &[u8]) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut planted = Vec::new();
    let mut quoted = false;
    for (i, line) in text.lines().enumerate() {
        let choice = plan.get(i % plan.len().max(1)).copied().unwrap_or(0);
        let opens_or_closes = line.matches("\"\"\"").count() % 2 == 1;
        let inside = quoted;
        if opens_or_closes {
            quoted = !quoted;
        }
        if !inside && !line.trim().is_empty() && choice & 1 == 1 {
            if choice & 4 == 4 {
                out.push('\n');
            }
            let comment = format!("# before line {i}: \"quoted\" # and a hash");
            let indent = line.len() - line.trim_start().len();
            out.push_str(&line[..indent]);
            out.push_str(&comment);
            out.push('\n');
            planted.push(comment);
        }
        out.push_str(line);
        // The end of a line that opens a quotation is inside it.
        if !inside && !opens_or_closes && !line.trim().is_empty() && choice & 2 == 2 {
            let comment = format!("# after line {i}");
            out.push_str("   ");
            out.push_str(&comment);
            planted.push(comment);
        }
        out.push('\n');
    }
    if plan.first().is_some_and(|c| c & 8 == 8) {
        out.push_str("# the last word\n");
        planted.push("# the last word".to_string());
    }
    (out, planted)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// `proviso fmt` on generated contracts with comments planted on every
    /// kind of line: the formatted text reads as the same contract, keeps
    /// every comment in order, and formatting it again changes nothing.
    #[test]
    fn formatting_keeps_the_contract_and_every_comment(
        file in contract(),
        plan in prop::collection::vec(any::<u8>(), 1..64),
    ) {
        let (text, planted) = plant_comments(&print(&file), &plan);
        check_formatting(&file, &text, &planted, true)?;
    }
}

/// `text` with comments and line breaks planted at spaces between words
/// (outside quotations), as `plan` says: an end-of-line comment and a line
/// break, or a comment on a line of its own. Returns the text and the
/// comments planted.
fn plant_between_words(text: &str, plan: &[u8]) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut planted = Vec::new();
    let (mut quoted, mut long) = (false, false);
    let mut spaces = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if text[i..].starts_with("\"\"\"") && !quoted {
            long = !long;
            out.push_str("\"\"\"");
            chars.next();
            chars.next();
            continue;
        }
        if quoted && c == '\\' {
            out.push(c);
            if let Some((_, escaped)) = chars.next() {
                out.push(escaped);
            }
            continue;
        }
        if c == '"' && !long {
            quoted = !quoted;
        }
        if c == ' ' && !quoted && !long {
            let choice = plan.get(spaces % plan.len().max(1)).copied().unwrap_or(0);
            spaces += 1;
            match choice % 5 {
                0 => {
                    let comment = format!("# at {i}");
                    out.push_str("  ");
                    out.push_str(&comment);
                    out.push_str("\n      ");
                    planted.push(comment);
                    continue;
                }
                1 => {
                    let comment = format!("# own {i}");
                    out.push_str("\n    ");
                    out.push_str(&comment);
                    out.push_str("\n      ");
                    planted.push(comment);
                    continue;
                }
                _ => {}
            }
        }
        out.push(c);
    }
    (out, planted)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 150,
        max_global_rejects: 20_000,
        ..ProptestConfig::default()
    })]

    /// Comments and line breaks between any two words: whenever the text
    /// still reads as the same contract, formatting it keeps the contract
    /// and every comment, refuses nothing, and formatting again changes
    /// nothing.
    #[test]
    fn formatting_keeps_comments_planted_between_any_words(
        file in contract(),
        plan in prop::collection::vec(any::<u8>(), 1..64),
    ) {
        let printed = print(&file);
        let (text, planted) = plant_between_words(&printed, &plan);
        let parsed = parse(&text, &Limits::default());
        // A break inside a word of the language (`12 months`, `USD 10`)
        // does not read; such a text is not a formatting case.
        prop_assume!(parsed.diagnostics.is_empty());
        prop_assume!(without_spans(&parsed.file) == without_spans(&file));
        check_formatting(&file, &text, &planted, false)?;
    }
}

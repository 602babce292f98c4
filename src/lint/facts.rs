//! What a condition says for certain about an event's fields, enough to see
//! that two conditions can never hold together (`kind is model` and `kind is
//! consumer_hardware`) or that a condition can never hold at all.
//!
//! Only what is sure is kept: for each field compared with names (`kind is
//! model`, `cloud is azure, aws`, `customer is not commercial`), the values
//! it may still take, and for each yes/no field (`open_weights`, `not
//! with_third_party`) the value it must have. Anything else (`or` across
//! fields, comparisons of amounts) says nothing, which never leads to a
//! wrong "never": it only leaves some contradictions unseen.

use std::collections::BTreeMap;

use crate::ast::{CompareOp, Condition, ConditionKind, Expr, ExprKind};

/// What is known of one field.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Known {
    /// One of these names (members of a category, parties).
    OneOf(Vec<String>),
    /// None of these names.
    NoneOf(Vec<String>),
    /// This yes/no value.
    Is(bool),
}

/// The facts a condition makes sure of, by field name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    fields: BTreeMap<String, Known>,
    /// The condition can never hold.
    impossible: bool,
}

fn name_of(expr: &Expr) -> Option<&str> {
    match &expr.kind {
        ExprKind::Name(n) => Some(n),
        ExprKind::Field(f) => Some(&f.field.node),
        _ => None,
    }
}

impl Facts {
    /// No condition: nothing is known, and everything is possible.
    pub fn none() -> Self {
        Facts::default()
    }

    /// The facts of a condition (`negated` when it is written under `not`,
    /// or is an `unless` that must fail for the rule to apply).
    pub fn of(condition: &Condition, negated: bool) -> Self {
        let mut facts = Facts::default();
        facts.add(condition, negated);
        facts
    }

    /// Whether the condition can never hold.
    pub fn impossible(&self) -> bool {
        self.impossible
    }

    /// The facts of both conditions holding at once.
    pub fn and(&self, other: &Facts) -> Facts {
        let mut both = self.clone();
        both.impossible |= other.impossible;
        for (field, known) in &other.fields {
            both.constrain(field, known.clone());
        }
        both
    }

    fn add(&mut self, condition: &Condition, negated: bool) {
        match (&condition.kind, negated) {
            (ConditionKind::All(parts), false) => {
                for part in parts {
                    self.add(part, false);
                }
            }
            // not (a or b) = not a and not b
            (ConditionKind::Any(parts), true) => {
                for part in parts {
                    self.add(part, true);
                }
            }
            (ConditionKind::Not(inner), _) => self.add(inner, !negated),
            (ConditionKind::Test(expr), _) => {
                if let Some(field) = name_of(expr) {
                    self.constrain(field, Known::Is(!negated));
                }
            }
            (ConditionKind::Compare { left, op, right }, _) => {
                let Some(field) = name_of(left) else { return };
                let names: Option<Vec<String>> = right
                    .iter()
                    .map(|e| name_of(e).map(str::to_string))
                    .collect();
                let Some(names) = names else { return };
                let positive = match op.node {
                    CompareOp::Is | CompareOp::In | CompareOp::Eq => true,
                    CompareOp::IsNot | CompareOp::NotIn | CompareOp::Ne => false,
                    _ => return,
                };
                let known = if positive != negated {
                    Known::OneOf(names)
                } else {
                    Known::NoneOf(names)
                };
                self.constrain(field, known);
            }
            // `a or b`, or `not (a and b)`: nothing sure about any one field.
            (ConditionKind::Any(_), false) | (ConditionKind::All(_), true) => {}
            // An earlier event says nothing about this event's fields.
            (ConditionKind::Earlier(_), _) => {}
        }
    }

    fn constrain(&mut self, field: &str, known: Known) {
        let merged = match (self.fields.get(field), known) {
            (None, known) => known,
            (Some(Known::Is(a)), Known::Is(b)) => {
                if *a != b {
                    self.impossible = true;
                }
                Known::Is(*a)
            }
            (Some(Known::OneOf(a)), Known::OneOf(b)) => {
                Known::OneOf(a.iter().filter(|x| b.contains(x)).cloned().collect())
            }
            (Some(Known::OneOf(a)), Known::NoneOf(b)) => {
                Known::OneOf(a.iter().filter(|x| !b.contains(x)).cloned().collect())
            }
            (Some(Known::NoneOf(b)), Known::OneOf(a)) => {
                Known::OneOf(a.into_iter().filter(|x| !b.contains(x)).collect())
            }
            (Some(Known::NoneOf(a)), Known::NoneOf(b)) => {
                let mut all = a.clone();
                all.extend(b.into_iter().filter(|x| !a.contains(x)));
                Known::NoneOf(all)
            }
            // A field compared as a name and tested as yes/no: leave it.
            (Some(existing), _) => existing.clone(),
        };
        if matches!(&merged, Known::OneOf(list) if list.is_empty()) {
            self.impossible = true;
        }
        self.fields.insert(field.to_string(), merged);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{Span, Spanned};

    fn name(n: &str) -> Expr {
        Expr {
            kind: ExprKind::Name(n.to_string()),
            span: Span::default(),
        }
    }

    fn is(field: &str, values: &[&str], op: CompareOp) -> Condition {
        Condition {
            kind: ConditionKind::Compare {
                left: name(field),
                op: Spanned {
                    node: op,
                    span: Span::default(),
                },
                right: values.iter().map(|v| name(v)).collect(),
            },
            span: Span::default(),
        }
    }

    #[test]
    fn different_members_of_one_field_cannot_both_hold() {
        let model = Facts::of(&is("kind", &["model"], CompareOp::Is), false);
        let hardware = Facts::of(&is("kind", &["consumer_hardware"], CompareOp::Is), false);
        assert!(model.and(&hardware).impossible());
        let either = Facts::of(
            &is("kind", &["model", "consumer_hardware"], CompareOp::In),
            false,
        );
        assert!(!model.and(&either).impossible());
        let not_model = Facts::of(&is("kind", &["model"], CompareOp::IsNot), false);
        assert!(model.and(&not_model).impossible());
        // `unless kind is model` leaves everything but model.
        assert!(
            model
                .and(&Facts::of(&is("kind", &["model"], CompareOp::Is), true))
                .impossible()
        );
    }

    #[test]
    fn yes_no_fields_and_unknown_conditions() {
        let test = |negated| {
            Facts::of(
                &Condition {
                    kind: ConditionKind::Test(name("open_weights")),
                    span: Span::default(),
                },
                negated,
            )
        };
        assert!(test(false).and(&test(true)).impossible());
        assert!(!test(false).and(&test(false)).impossible());
        let any = Condition {
            kind: ConditionKind::Any(vec![
                is("kind", &["model"], CompareOp::Is),
                is("cloud", &["azure"], CompareOp::Is),
            ]),
            span: Span::default(),
        };
        // `kind is model or cloud is azure` says nothing sure about `kind`.
        let hardware = Facts::of(&is("kind", &["consumer_hardware"], CompareOp::Is), false);
        assert!(!Facts::of(&any, false).and(&hardware).impossible());
    }
}

//! What evaluation remembers of earlier events, to answer `after EVENT
//! [by PARTY] [matching FIELD, ...] [within LENGTH | at least LENGTH
//! before]` about each event as it comes.
//!
//! For each such condition, and each combination of values of the fields
//! it matches, the first two and the last two events seen (day and place
//! in the file): enough to tell whether another event than the one asked
//! about came on or before its day, and how long before. Memory grows with
//! the number of distinct values matched (one entry per unit, per deal),
//! not with the number of events.
//!
//! A day's events are all remembered before any of them is asked about,
//! so an earlier event on the same day counts whatever the order within
//! the day; an event never counts as earlier than itself.

use std::collections::HashMap;

use jiff::civil::Date;

use super::event::{Event, Value};
use crate::ast::EarlierWhen;
use crate::model::{Checked, EarlierRef};

/// The first two and last two events seen for one value of the key.
#[derive(Default)]
struct Seen {
    first: Vec<(Date, usize)>,
    last: Vec<(Date, usize)>,
}

pub(super) struct History {
    conditions: Vec<EarlierRef>,
    /// Per condition, by the values of its matched fields.
    seen: Vec<HashMap<Vec<String>, Seen>>,
}

impl History {
    pub(super) fn new(contract: &Checked) -> Self {
        let conditions = contract.symbols.earlier.clone();
        History {
            seen: conditions.iter().map(|_| HashMap::new()).collect(),
            conditions,
        }
    }

    /// Whether any condition looks back at all (most contracts: none).
    pub(super) fn is_empty(&self) -> bool {
        self.conditions.is_empty()
    }

    /// Remembers the day's events that some condition looks back to.
    pub(super) fn remember(&mut self, day: &[Event]) {
        for event in day {
            for (condition, seen) in self.conditions.iter().zip(self.seen.iter_mut()) {
                if condition.event != event.kind
                    || condition.by.is_some_and(|by| Some(by) != event.by)
                {
                    continue;
                }
                let Some(key) = key(condition.keys.iter().map(|&(_, there)| there), event) else {
                    continue;
                };
                let entry = seen.entry(key).or_default();
                if entry.first.len() < 2 {
                    entry.first.push((event.date, event.seq));
                }
                entry.last.push((event.date, event.seq));
                if entry.last.len() > 2 {
                    entry.last.remove(0);
                }
            }
        }
    }

    /// Answers every condition about `event`, from what is remembered.
    pub(super) fn answer(&self, event: &mut Event) {
        if !self.conditions.iter().any(|c| c.subject == event.kind) {
            return;
        }
        let answers: Vec<bool> = self
            .conditions
            .iter()
            .zip(&self.seen)
            .map(|(condition, seen)| {
                if condition.subject != event.kind {
                    return false;
                }
                let Some(key) = key(condition.keys.iter().map(|&(here, _)| here), event) else {
                    return false;
                };
                let Some(entry) = seen.get(&key) else {
                    return false;
                };
                // The others: never the event itself.
                let others = |list: &[(Date, usize)]| -> Vec<Date> {
                    list.iter()
                        .filter(|(_, seq)| *seq != event.seq)
                        .map(|(day, _)| *day)
                        .filter(|day| *day <= event.date)
                        .collect()
                };
                let (first, last) = (others(&entry.first), others(&entry.last));
                match condition.when {
                    None => !last.is_empty(),
                    // The latest other less than LENGTH before: the event's
                    // day falls in the LENGTH that starts on its day.
                    Some(EarlierWhen::Within(length)) => last
                        .iter()
                        .max()
                        .and_then(|day| length.after(*day))
                        .is_some_and(|end| event.date < end),
                    // The first other LENGTH or more before.
                    Some(EarlierWhen::AtLeastBefore(length)) => first
                        .iter()
                        .min()
                        .and_then(|day| length.after(*day))
                        .is_some_and(|ready| ready <= event.date),
                }
            })
            .collect();
        event.looked_back_mut().earlier = answers;
    }
}

/// The values of the fields at `indices`, as comparable text; `None` when
/// the event lacks one.
pub(super) fn key(indices: impl Iterator<Item = usize>, event: &Event) -> Option<Vec<String>> {
    indices
        .map(|i| event.fields.get(i).map(value_key))
        .collect()
}

/// A value as text that is the same for equal values (`1.50` and `1.5`).
fn value_key(value: &Value) -> String {
    match value {
        Value::Money(m) => format!("{} {}", m.currency.as_str(), m.amount.normalize()),
        Value::Percent(p) => format!("{}%", p.normalize()),
        Value::Number(n) => n.normalize().to_string(),
        Value::Days(d) => format!("{d} days"),
        Value::Date(d) => d.to_string(),
        Value::Text(t) => format!("\"{t}\""),
        Value::Bool(b) => b.to_string(),
        Value::Party(p) => format!("party {}", p.index()),
        Value::Member(m) => format!("member {m}"),
        Value::Period(p) => format!("{}..{}", p.first, p.last),
    }
}

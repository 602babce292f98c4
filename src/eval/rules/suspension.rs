//! Suspensions (`suspends clauses 4, 6 from force_majeure until
//! force_majeure_end`): the events that begin and end them while events go
//! by; at the end, the stretches of days each suspended, and how far each
//! due date or deadline of a suspended clause moves.
//!
//! A stretch begins on the day of a beginning event and ends on the day of
//! the first ending event on or after it that no earlier stretch ended
//! with; that day is not itself suspended. Beginning events while a stretch
//! is in force change nothing. With no ending event yet, the stretch is in
//! force through the as-of date. The stretches are worked out from the
//! days of the events alone, so the order of events within a day does not
//! change them.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::Step;
use crate::ast::{Span, Suspension};
use crate::diagnostics::Diagnostic;
use crate::eval::engine::{Engine, Rule};
use crate::eval::event::Event;
use crate::eval::outcome::{EventNote, Moved, Suspended};
use crate::model::ClauseId;

/// The events seen under one suspension rule: for each day, the first
/// event that began one and the first that ended one (`seq`s).
#[derive(Default)]
struct Marks {
    begins: BTreeMap<Date, usize>,
    ends: BTreeMap<Date, Vec<usize>>,
}

/// What the suspension rules have seen so far, by rule index.
#[derive(Default)]
pub(in crate::eval) struct Suspensions {
    marks: BTreeMap<usize, Marks>,
    notes: BTreeMap<usize, EventNote>,
}

impl Suspensions {
    /// Notes an event that begins or ends a suspension under rule `index`.
    pub(in crate::eval) fn apply(
        &mut self,
        step: &mut Step<'_, '_>,
        index: usize,
        suspension: &Suspension,
        event: &Event,
    ) -> Result<(), Diagnostic> {
        let engine = step.engine;
        let begins = engine.pattern_matches(&suspension.from, event)?;
        let ends = engine.pattern_matches(&suspension.until, event)?;
        if !begins && !ends {
            return Ok(());
        }
        let marks = self.marks.entry(index).or_default();
        if begins {
            marks.begins.entry(event.date).or_insert(event.seq);
        }
        if ends {
            marks.ends.entry(event.date).or_default().push(event.seq);
        }
        self.notes
            .entry(event.seq)
            .or_insert_with(|| EventNote::of(event));
        Ok(())
    }

    /// The stretches of every suspension rule as of `as_of`, with the
    /// clauses each suspends; the notes of the events that began or ended
    /// one go into `notes`.
    pub(in crate::eval) fn finish(
        self,
        engine: &Engine<'_>,
        rules: &[Rule<'_>],
        notes: &mut BTreeMap<usize, EventNote>,
    ) -> Suspending {
        let mut stretches = Vec::new();
        let mut by_clause: BTreeMap<ClauseId, Vec<Suspended>> = BTreeMap::new();
        for (index, marks) in &self.marks {
            let Some(rule) = rules.get(*index) else {
                continue;
            };
            let Some(suspension) = rule.statement.as_suspension() else {
                continue;
            };
            let found = stretches_of(rule.clause, rule.statement.span(), marks);
            for number in &suspension.clauses {
                if let Some(target) = engine.contract().clause_numbered(&number.node) {
                    by_clause
                        .entry(target)
                        .or_default()
                        .extend(found.iter().copied());
                }
            }
            stretches.extend(found);
        }
        for stretch in &stretches {
            for seq in std::iter::once(stretch.began_by).chain(stretch.ended_by) {
                if let Some(note) = self.notes.get(&seq) {
                    notes.entry(seq).or_insert_with(|| note.clone());
                }
            }
        }
        stretches.sort_by_key(|s| (s.clause, s.from));
        for list in by_clause.values_mut() {
            list.sort_by_key(|s| (s.from, s.clause));
            list.dedup();
        }
        Suspending {
            stretches,
            by_clause,
        }
    }
}

/// The stretches of one suspension rule, from the days its events began
/// and ended one.
fn stretches_of(clause: ClauseId, rule: Span, marks: &Marks) -> Vec<Suspended> {
    let mut found = Vec::new();
    // Each ending event ends one stretch at most.
    let mut ends: Vec<(Date, usize)> = marks
        .ends
        .iter()
        .flat_map(|(day, seqs)| seqs.iter().map(move |seq| (*day, *seq)))
        .collect();
    ends.reverse(); // the earliest last, to be popped first
    // Days before this are inside a stretch already ended.
    let mut free_from: Option<Date> = None;
    for (&day, &seq) in &marks.begins {
        if free_from.is_some_and(|free| day < free) {
            continue;
        }
        // The first unused end on or after the beginning.
        while ends.last().is_some_and(|(end, _)| *end < day) {
            ends.pop();
        }
        match ends.pop() {
            Some((end, ended_by)) => {
                free_from = Some(end);
                if end > day {
                    found.push(Suspended {
                        clause,
                        rule,
                        from: day,
                        until: Some(end),
                        began_by: seq,
                        ended_by: Some(ended_by),
                    });
                }
            }
            None => {
                found.push(Suspended {
                    clause,
                    rule,
                    from: day,
                    until: None,
                    began_by: seq,
                    ended_by: None,
                });
                break;
            }
        }
    }
    found
}

/// The suspensions as they stand at the end: every stretch, and for each
/// suspended clause the stretches that apply to it.
#[derive(Default)]
pub(in crate::eval) struct Suspending {
    pub(in crate::eval) stretches: Vec<Suspended>,
    by_clause: BTreeMap<ClauseId, Vec<Suspended>>,
}

impl Suspending {
    /// Moves a due date (or a deadline) of clause `clause`, for an
    /// obligation that arose on `arose`, by every suspended day from the
    /// day it arose to the due date as it moves: a stretch that begins on
    /// or before the (moved) due date moves it by its days from the later
    /// of its beginning and the day the obligation arose; a stretch still
    /// in force moves it past the as-of date. Days suspended by two
    /// stretches at once count once.
    pub(in crate::eval) fn shift(
        &self,
        clause: ClauseId,
        arose: Date,
        due: Option<Date>,
        as_of: Date,
    ) -> (Option<Date>, Vec<Moved>) {
        let (Some(mut due), Some(stretches)) = (due, self.by_clause.get(&clause)) else {
            return (due, Vec::new());
        };
        let mut moved = Vec::new();
        let mut covered: Option<Date> = None;
        for stretch in stretches {
            if stretch.from > due {
                break;
            }
            let Some(end) = stretch.until.or_else(|| as_of.tomorrow().ok()) else {
                continue;
            };
            let first = [Some(stretch.from), Some(arose), covered]
                .into_iter()
                .flatten()
                .max()
                .unwrap_or(stretch.from);
            covered = Some(covered.map_or(end, |c| c.max(end)));
            if first >= end {
                continue;
            }
            let days = i64::from(first.until(end).map_or(0, |span| span.get_days()));
            let Some(later) = jiff::Span::new()
                .try_days(days)
                .ok()
                .and_then(|span| due.checked_add(span).ok())
            else {
                continue;
            };
            due = later;
            moved.push(Moved {
                by: *stretch,
                counted_from: first,
                days,
            });
        }
        (Some(due), moved)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn clause(n: usize) -> ClauseId {
        ClauseId::from_index(n)
    }

    /// Marks from (day, seq) lists of beginnings and endings.
    fn marks(begins: &[(&str, usize)], ends: &[(&str, usize)]) -> Marks {
        let mut m = Marks::default();
        for &(d, seq) in begins {
            m.begins.entry(day(d)).or_insert(seq);
        }
        for &(d, seq) in ends {
            m.ends.entry(day(d)).or_default().push(seq);
        }
        m
    }

    fn spans(found: &[Suspended]) -> Vec<(String, Option<String>)> {
        found
            .iter()
            .map(|s| (s.from.to_string(), s.until.map(|d| d.to_string())))
            .collect()
    }

    fn suspending(stretches: Vec<Suspended>) -> Suspending {
        let mut by_clause = BTreeMap::new();
        by_clause.insert(clause(0), stretches.clone());
        Suspending {
            stretches,
            by_clause,
        }
    }

    #[test]
    fn a_stretch_runs_from_its_beginning_to_the_first_end_on_or_after_it() {
        // An end before any beginning is ignored; a second beginning while
        // suspended changes nothing; each end ends one stretch.
        let m = marks(
            &[("2026-03-20", 2), ("2026-03-25", 3), ("2026-05-20", 7)],
            &[("2026-03-01", 1), ("2026-04-09", 4), ("2026-06-01", 8)],
        );
        assert_eq!(
            spans(&stretches_of(clause(1), Span::default(), &m)),
            vec![
                ("2026-03-20".into(), Some("2026-04-09".into())),
                ("2026-05-20".into(), Some("2026-06-01".into())),
            ]
        );
    }

    #[test]
    fn a_stretch_with_no_end_is_still_in_force_and_one_ending_the_day_it_begins_is_none() {
        let m = marks(
            &[("2026-03-20", 1), ("2026-04-02", 3)],
            &[("2026-03-20", 2)],
        );
        assert_eq!(
            spans(&stretches_of(clause(1), Span::default(), &m)),
            vec![("2026-04-02".into(), None)]
        );
    }

    #[test]
    fn an_ending_that_closed_one_stretch_does_not_close_the_next_that_day() {
        // The end of 04-09 closes the first; the new notice the same day
        // starts a second, still in force.
        let m = marks(
            &[("2026-03-20", 1), ("2026-04-09", 3)],
            &[("2026-04-09", 2)],
        );
        assert_eq!(
            spans(&stretches_of(clause(1), Span::default(), &m)),
            vec![
                ("2026-03-20".into(), Some("2026-04-09".into())),
                ("2026-04-09".into(), None),
            ]
        );
    }

    fn stretch(from: &str, until: Option<&str>) -> Suspended {
        Suspended {
            clause: clause(9),
            rule: Span::default(),
            from: day(from),
            until: until.map(day),
            began_by: 0,
            ended_by: None,
        }
    }

    fn shifted(s: &Suspending, arose: &str, due: &str) -> (String, Vec<i64>) {
        let (due, moved) = s.shift(clause(0), day(arose), Some(day(due)), day("2026-12-31"));
        (
            due.unwrap().to_string(),
            moved.iter().map(|m| m.days).collect(),
        )
    }

    #[test]
    fn a_due_date_inside_a_suspension_moves_by_all_its_days() {
        // 2026-03-20 to 2026-04-09: 12 days of March, 8 of April, 20 days.
        let s = suspending(vec![stretch("2026-03-20", Some("2026-04-09"))]);
        assert_eq!(
            shifted(&s, "2026-03-02", "2026-04-01"),
            ("2026-04-21".into(), vec![20])
        );
        // Due on the suspension's first day: moved too.
        assert_eq!(
            shifted(&s, "2026-03-02", "2026-03-20"),
            ("2026-04-09".into(), vec![20])
        );
        // Due the day before it begins: not moved.
        assert_eq!(
            shifted(&s, "2026-03-02", "2026-03-19"),
            ("2026-03-19".into(), vec![])
        );
    }

    #[test]
    fn only_days_after_the_obligation_arose_count() {
        // Arising on 2026-04-01, inside the suspension: 8 days, 04-01 to 04-08.
        let s = suspending(vec![stretch("2026-03-20", Some("2026-04-09"))]);
        assert_eq!(
            shifted(&s, "2026-04-01", "2026-05-01"),
            ("2026-05-09".into(), vec![8])
        );
        // Arising after it ended: nothing.
        assert_eq!(
            shifted(&s, "2026-04-09", "2026-05-01"),
            ("2026-05-01".into(), vec![])
        );
    }

    #[test]
    fn a_moved_due_date_can_reach_a_later_suspension() {
        // Due 2026-04-01 moves 20 days to 04-21; a second stretch from
        // 04-15 to 04-25 (10 days) began before that, and moves it to 05-01.
        let s = suspending(vec![
            stretch("2026-03-20", Some("2026-04-09")),
            stretch("2026-04-15", Some("2026-04-25")),
        ]);
        assert_eq!(
            shifted(&s, "2026-03-02", "2026-04-01"),
            ("2026-05-01".into(), vec![20, 10])
        );
    }

    #[test]
    fn days_suspended_twice_count_once() {
        // 03-01 to 03-11 (10 days) and 03-06 to 03-16: only 03-11 to 03-16
        // (5 days) of the second are new.
        let s = suspending(vec![
            stretch("2026-03-01", Some("2026-03-11")),
            stretch("2026-03-06", Some("2026-03-16")),
        ]);
        assert_eq!(
            shifted(&s, "2026-02-01", "2026-03-05"),
            ("2026-03-20".into(), vec![10, 5])
        );
    }

    #[test]
    fn a_suspension_still_in_force_moves_the_due_date_past_the_as_of_date() {
        // From 2026-12-01 through the as-of date 2026-12-31: 31 days.
        let s = suspending(vec![stretch("2026-12-01", None)]);
        assert_eq!(
            shifted(&s, "2026-11-20", "2026-12-10"),
            ("2027-01-10".into(), vec![31])
        );
    }
}

//! When a rule applies: its window, resolved to days once the milestones
//! it names are known.
//!
//! `from X` includes X's day; `through D` includes D; `until D` ends the day
//! before D; `until M` ends the day before milestone M is reached and
//! `through M` on that day; `N days after X` is the day N days after X's
//! day; `for N months` ends the day before N months after the window's
//! start; with several ends, the earliest applies. A rule with no window
//! runs from the effective date through the end of the term, and nothing
//! runs past the term unless its clause `survives`.

use jiff::civil::Date;

use super::milestones::Milestones;
use crate::ast::{Bound, DateRef, Duration, EndBound, Header, Window, WindowEnd};

/// A window as days: both ends included. `None` as the last day means the
/// window has not ended (a milestone not yet reached, or a surviving rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Days {
    pub first: Date,
    pub last: Option<Date>,
}

impl Days {
    pub fn contains(&self, day: Date) -> bool {
        day >= self.first && self.last.is_none_or(|last| day <= last)
    }
}

/// Why a window does not apply at all (yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closed {
    /// It starts at a milestone that has not been reached.
    NotOpened,
    /// Its end comes before its start.
    Empty,
}

fn date_of(reference: &DateRef) -> Option<Date> {
    match reference {
        DateRef::Date(d) => Some(*d),
        DateRef::YearOnly(_) | DateRef::Invalid => None,
    }
}

/// The day a point in time falls on, once it has come: `None` for a
/// milestone not reached (or a point past the last date proviso knows).
pub fn day_of(bound: &Bound, milestones: &Milestones<'_>) -> Option<Date> {
    bound.day_when(&reached_in(milestones))
}

/// The day each milestone was reached, as the evaluation knows it.
fn reached_in<'m>(milestones: &'m Milestones<'_>) -> impl Fn(&str) -> Option<Date> + 'm {
    |m| milestones.reached_by_name(m).map(|r| r.date)
}

/// The day each milestone was reached, given by name (`None`: not reached).
pub type ReachedOn<'a> = &'a dyn Fn(&str) -> Option<Date>;

/// The last day a window end allows, if it has come. Unreached milestones
/// give no end. `start` is the day a length (`for 12 months`) counts from.
fn last_day(end: &WindowEnd, start: Option<Date>, reached: ReachedOn<'_>) -> Option<Date> {
    end.bounds
        .iter()
        .filter_map(|bound| match bound {
            EndBound::Through(b) => b.node.day_when(&reached),
            EndBound::Until(b) => b.node.day_when(&reached).and_then(|d| d.yesterday().ok()),
            EndBound::For(length) => length.node.after(start?).and_then(|d| d.yesterday().ok()),
        })
        .min()
}

/// The contract's term, as days. A length (`term for 5 years`) counts from
/// the effective date. A renewing term is renewed as `renewed` says, as
/// things stand on `today` with the non-renewal notices given so far.
pub fn term(
    header: &Header,
    milestones: &Milestones<'_>,
    notices: &[(Date, usize)],
    today: Date,
) -> Option<Days> {
    Some(term_state(header, milestones, notices, today)?.days)
}

/// The term and how its renewals went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TermState {
    pub days: Days,
    /// How many times it renewed.
    pub renewals: u32,
    /// The notice that stopped the next renewal, if one did.
    pub stopped_by: Option<usize>,
    /// While it may still renew: the last day for notice that stops it.
    pub notice_by: Option<Date>,
}

/// The term, with its renewals as of `today`.
pub fn term_state(
    header: &Header,
    milestones: &Milestones<'_>,
    notices: &[(Date, usize)],
    today: Date,
) -> Option<TermState> {
    let first = header.effective.as_ref().and_then(|e| date_of(&e.node))?;
    let last = header
        .term
        .as_ref()
        .and_then(|t| last_day(t, Some(first), &reached_in(milestones)));
    let (last, renewals, stopped_by, notice_by) = match (&header.renewal, last) {
        (Some(renewal), Some(initial)) => renewed(initial, renewal, notices, today),
        (None, last) | (Some(_), last @ None) => (last, 0, None, None),
    };
    Some(TermState {
        days: Days { first, last },
        renewals,
        stopped_by,
        notice_by,
    })
}

/// A renewing term's last day as of `today`. At each end, a notice given
/// after the previous deadline and on or before `before` the end (the
/// deadline) stops the renewal; once a deadline has passed without one,
/// the term runs a further `period` from the day after the end. Returns the
/// last day, the renewals, the notice that stopped them, and the deadline
/// still to come.
fn renewed(
    initial: Date,
    renewal: &crate::ast::Renewal,
    notices: &[(Date, usize)],
    today: Date,
) -> (Option<Date>, u32, Option<usize>, Option<Date>) {
    let mut end = initial;
    let mut renewals = 0u32;
    let mut previous: Option<Date> = None;
    // A renewal is at least a day, so the loop ends by 9999-12-31.
    loop {
        let Some(deadline) = renewal.before.node.before(end) else {
            return (Some(end), renewals, None, None);
        };
        let stop = notices
            .iter()
            .find(|(day, _)| previous.is_none_or(|p| *day > p) && *day <= deadline);
        if let Some((_, seq)) = stop {
            return (Some(end), renewals, Some(*seq), None);
        }
        if deadline >= today {
            return (Some(end), renewals, None, Some(deadline));
        }
        let next = end
            .tomorrow()
            .ok()
            .and_then(|d| renewal.period.node.after(d))
            .and_then(|d| d.yesterday().ok());
        match next {
            Some(next) if next > end => {
                end = next;
                renewals += 1;
                previous = Some(deadline);
            }
            _ => return (Some(end), renewals, None, None),
        }
    }
}

/// The last day a surviving clause applies: `length` after the term's
/// last day (the day after it, plus the length, less a day), or `None`
/// while the term has not ended.
pub fn survival_end(term: Days, length: Duration) -> Option<Date> {
    let after_term = term.last?.tomorrow().ok()?;
    length.after(after_term)?.yesterday().ok()
}

/// A rule's window, clipped to the term unless the clause survives it:
/// `survives` is `None` for a clause that does not, `Some(None)` for one
/// that survives without end, `Some(Some(length))` for one that survives
/// for that long after the term.
pub fn resolve(
    window: &Window,
    term: Days,
    survives: Option<Option<Duration>>,
    milestones: &Milestones<'_>,
) -> Result<Days, Closed> {
    resolve_given(window, term, survives, &reached_in(milestones))
}

/// [`resolve`], given the day each milestone was reached (a report that
/// knows them already, such as `render`'s timeline).
pub fn resolve_given(
    window: &Window,
    term: Days,
    survives: Option<Option<Duration>>,
    reached: ReachedOn<'_>,
) -> Result<Days, Closed> {
    // The start as written: a length counts from it, not from the term's
    // start it is clipped to.
    let written = match &window.from {
        None => term.first,
        Some(from) => match (&from.node, from.node.day_when(&reached)) {
            (_, Some(day)) => day,
            (Bound::Date(_), None) => return Err(Closed::Empty),
            (Bound::Milestone(_) | Bound::After { .. }, None) => return Err(Closed::NotOpened),
        },
    };
    let first = written.max(term.first);
    let own_last = window
        .end
        .as_ref()
        .and_then(|end| last_day(end, Some(written), reached));
    let limit = match survives {
        None => term.last,
        Some(None) => None,
        Some(Some(length)) => survival_end(term, length),
    };
    let last = match (own_last, limit) {
        (Some(own), Some(limit)) => Some(own.min(limit)),
        (own, limit) => own.or(limit),
    };
    if last.is_some_and(|last| last < first) {
        return Err(Closed::Empty);
    }
    Ok(Days { first, last })
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::ast::Statement;
    use crate::eval::Decoder;
    use crate::{Limits, SourceFile};

    const CONTRACT: &str = r#"contract "T" effective 2026-01-01 term through 2028-12-31
        party a
        event ping by party { }
        milestone go "Go": ping
        clause 1 "Default" a may ping
        clause 2 "Until a date" a may ping until 2027-01-01
        clause 3 "Through a date" a may ping through 2027-01-01
        clause 4 "Until the milestone" a may ping until go
        clause 5 "Through the milestone" a may ping through go
        clause 6 "From the milestone" a may ping from go
        clause 7 "Earliest end" a may ping until go or through 2026-06-30, whichever is earlier
        clause 8 "Past the term" a may ping through 2030-12-31
        clause 9 "Surviving" survives a may ping through 2030-12-31
        clause 10 "Inside out" a may ping from 2027-06-01 until 2027-01-01
        clause 11 "After the milestone" a may ping from 30 days after go
        clause 12 "Until after the milestone" a may ping until 90 days after go
        clause 13 "A length from the milestone" a may ping from go for 12 months
        clause 14 "A length from the start" a may ping for 1 month
        clause 15 "From the last day of a month" a may ping from 2027-01-31 for 1 month
        clause 16 "Through after a date" a may ping through 1 month after 2028-01-31"#;

    fn windows(events: &str) -> Vec<Result<Days, Closed>> {
        let contract = crate::check_source(&SourceFile::new("t", CONTRACT), &Limits::default())
            .checked
            .expect("checks");
        let (events, _) = Decoder::new(&contract).json(events);
        let mut milestones = Milestones::new(&contract);
        for e in &events {
            milestones.feed(e).unwrap();
        }
        let header = contract.file.header.as_ref().unwrap();
        let term = term(header, &milestones, &[], date(2030, 1, 1)).unwrap();
        contract
            .file
            .clauses
            .iter()
            .map(|c| {
                let Statement::May(rule) = &c.statements[0] else {
                    panic!()
                };
                resolve(
                    &rule.window,
                    term,
                    c.survives
                        .as_ref()
                        .map(|s| s.length.as_ref().map(|l| l.node)),
                    &milestones,
                )
            })
            .collect()
    }

    fn days(first: Date, last: Option<Date>) -> Result<Days, Closed> {
        Ok(Days { first, last })
    }

    #[test]
    fn ends_include_or_exclude_their_day_as_written() {
        let w = windows(r#"[{"type": "ping", "date": "2027-03-10", "by": "a"}]"#);
        let start = date(2026, 1, 1);
        assert_eq!(w[0], days(start, Some(date(2028, 12, 31))));
        assert_eq!(w[1], days(start, Some(date(2026, 12, 31))));
        assert_eq!(w[2], days(start, Some(date(2027, 1, 1))));
        // The milestone is reached on 2027-03-10: `until` stops the day before.
        assert_eq!(w[3], days(start, Some(date(2027, 3, 9))));
        assert_eq!(w[4], days(start, Some(date(2027, 3, 10))));
        assert_eq!(w[5], days(date(2027, 3, 10), Some(date(2028, 12, 31))));
        assert_eq!(w[6], days(start, Some(date(2026, 6, 30))));
        // Clipped to the term, unless the clause survives it.
        assert_eq!(w[7], days(start, Some(date(2028, 12, 31))));
        assert_eq!(w[8], days(start, Some(date(2030, 12, 31))));
        assert_eq!(w[9], Err(Closed::Empty));
    }

    #[test]
    fn unreached_milestones_leave_ends_open_and_starts_closed() {
        let w = windows("[]");
        assert_eq!(w[3], days(date(2026, 1, 1), Some(date(2028, 12, 31))));
        assert_eq!(w[5], Err(Closed::NotOpened));
        assert_eq!(w[6], days(date(2026, 1, 1), Some(date(2026, 6, 30))));
        // Counted from a milestone not reached: not open, or no end yet.
        assert_eq!(w[10], Err(Closed::NotOpened));
        assert_eq!(w[11], days(date(2026, 1, 1), Some(date(2028, 12, 31))));
        assert_eq!(w[12], Err(Closed::NotOpened));
    }

    #[test]
    fn points_after_a_milestone_and_lengths_count_calendar_days_and_months() {
        // `go` is reached on 2027-03-10.
        let w = windows(r#"[{"type": "ping", "date": "2027-03-10", "by": "a"}]"#);
        // 30 days after 2027-03-10: 21 more days of March, 9 of April.
        assert_eq!(w[10], days(date(2027, 4, 9), Some(date(2028, 12, 31))));
        // 90 days after 2027-03-10 is 2027-06-08 (21 + 30 + 31 + 8);
        // `until` ends the day before.
        assert_eq!(w[11], days(date(2026, 1, 1), Some(date(2027, 6, 7))));
        // 12 months from 2027-03-10 is 2028-03-10; the window ends the day before.
        assert_eq!(w[12], days(date(2027, 3, 10), Some(date(2028, 3, 9))));
        // 1 month from the effective date 2026-01-01: all of January.
        assert_eq!(w[13], days(date(2026, 1, 1), Some(date(2026, 1, 31))));
        // 1 month after 31 January 2027 is 28 February (2027 is not a
        // leap year), so the window ends on 27 February.
        assert_eq!(w[14], days(date(2027, 1, 31), Some(date(2027, 2, 27))));
        // 1 month after 31 January 2028 is 29 February (a leap year).
        assert_eq!(w[15], days(date(2026, 1, 1), Some(date(2028, 2, 29))));
    }
}

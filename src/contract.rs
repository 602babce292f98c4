//! The library's front door: a checked contract, evaluated against events
//! or reviewed against another version, in a few calls.
//!
//! ```
//! use proviso::{Contract, EventFormat};
//!
//! let contract = Contract::parse("loan.proviso", r#"
//!     contract "Loan" effective 2026-01-01 term through 2026-12-31
//!     party lender "First Bank"
//!     party borrower "Acme Ltd"
//!     event payment by party { to: party, amount: money }
//!     clause 1 "Fee"
//!       borrower must pay lender USD 1,000 due 2026-03-31 settled by payment
//! "#).map_err(|p| p.render())?;
//!
//! let events = r#"[{"type": "payment", "date": "2026-03-30", "by": "borrower",
//!                   "to": "lender", "amount": "USD 1000.00"}]"#;
//! let report = contract
//!     .evaluate(events, EventFormat::Json, None)
//!     .map_err(|p| p.render())?;
//! assert!(!report.has_findings());
//! assert_eq!(report.to_json(false)["obligations"][0]["status"], "discharged");
//! # Ok::<(), String>(())
//! ```

use std::path::Path;

use jiff::civil::Date;

use crate::diagnostics::{ColorChoice, Diagnostic, render_human};
use crate::eval::engine::Engine;
use crate::eval::input::{self, Stopped};
use crate::eval::outcome::{Outcome, Status};
use crate::eval::paid_in_full::{self, PaidInFull};
use crate::eval::report::{self, Inputs};
use crate::eval::{Decoder, Evaluation};
use crate::limits::Limits;
use crate::model::Checked;
use crate::source::SourceFile;

pub use crate::eval::input::EventFormat;

/// A contract that read and checked without errors.
#[derive(Debug)]
pub struct Contract {
    source: SourceFile,
    checked: Checked,
    warnings: Vec<Diagnostic>,
}

/// Why a contract or its events were refused: the diagnostics, grouped by
/// the file (or, for a streamed file, the line) they point into.
#[derive(Debug)]
pub struct Problems {
    /// Each file with the diagnostics that point into it.
    pub files: Vec<(SourceFile, Vec<Diagnostic>)>,
    /// A problem that points into no file (an empty history with no date
    /// to evaluate as of).
    pub message: Option<String>,
}

impl Problems {
    fn in_file(source: SourceFile, diagnostics: Vec<Diagnostic>) -> Self {
        Problems {
            files: vec![(source, diagnostics)],
            message: None,
        }
    }

    /// Every diagnostic, in file order.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|(_, ds)| ds.iter())
    }

    /// The problems as `proviso check` prints them, without colours.
    pub fn render(&self) -> String {
        let mut out: String = self
            .files
            .iter()
            .map(|(file, ds)| render_human(file, ds, ColorChoice::Never))
            .collect();
        if let Some(message) = &self.message {
            out.push_str(message);
            out.push('\n');
        }
        out
    }
}

impl Contract {
    /// Reads and checks a clause file's text; `name` names it in
    /// diagnostics.
    ///
    /// ```
    /// // There is no thirteenth month.
    /// let text = "contract \"X\" effective 2026-13-01 term through 2026-12-31";
    /// let problems = proviso::Contract::parse("broken.proviso", text)
    ///     .err()
    ///     .map(|p| p.diagnostics().map(|d| d.code.as_str()).collect::<Vec<_>>());
    /// assert_eq!(problems, Some(vec!["E0103"]));
    /// ```
    pub fn parse(name: impl Into<String>, text: impl Into<String>) -> Result<Contract, Problems> {
        Self::from_source(SourceFile::new(name, text))
    }

    /// Reads and checks a clause file from disk (at most the size limit of
    /// `docs/reliability.md`).
    pub fn load(path: &Path) -> Result<Contract, Problems> {
        match crate::load::read_file(path, &Limits::default()) {
            Ok(source) => Self::from_source(source),
            Err(error) => Err(Problems::in_file(error.file, vec![error.diagnostic])),
        }
    }

    /// Checks a clause file already read (see [`crate::load::read_file`]).
    pub fn from_source(source: SourceFile) -> Result<Contract, Problems> {
        let outcome = crate::check_source(&source, &Limits::default());
        match outcome.checked {
            Some(checked) => Ok(Contract {
                source,
                checked,
                warnings: outcome.diagnostics,
            }),
            None => Err(Problems::in_file(source, outcome.diagnostics)),
        }
    }

    /// The clause file, as read.
    pub fn source(&self) -> &SourceFile {
        &self.source
    }

    /// The checked contract: its tree and what each name refers to.
    pub fn checked(&self) -> &Checked {
        &self.checked
    }

    /// The warnings found while checking (a checked contract has no errors).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Evaluates the contract against events given as text, as of a date
    /// (by default the date of the last event). JSON and YAML hold an
    /// array of events (or an object with an `events` array), in any
    /// order; NDJSON holds one event per line, and CSV a header row then
    /// one event per row, in date order (see `docs/report.md`).
    pub fn evaluate(
        &self,
        events: &str,
        format: EventFormat,
        as_of: Option<Date>,
    ) -> Result<Report<'_>, Problems> {
        self.evaluate_named("events", events, format, as_of)
    }

    /// [`Contract::evaluate`], with the events named as a file is in
    /// diagnostics and in the report (`events` there).
    pub fn evaluate_named(
        &self,
        name: &str,
        events: &str,
        format: EventFormat,
        as_of: Option<Date>,
    ) -> Result<Report<'_>, Problems> {
        self.run(
            as_of,
            name.to_string(),
            |decoder, evaluation| match format {
                EventFormat::Ndjson => input::stream_ndjson(
                    name,
                    events.as_bytes(),
                    decoder,
                    evaluation,
                    &Limits::default(),
                ),
                EventFormat::Csv => input::stream_csv(
                    name,
                    events.as_bytes(),
                    decoder,
                    evaluation,
                    &Limits::default(),
                ),
                EventFormat::Json => push_all(decoder.json(events), evaluation, || {
                    SourceFile::new(name, events)
                }),
                EventFormat::Yaml => push_all(
                    Decoder::for_yaml(&self.checked).yaml(events),
                    evaluation,
                    || SourceFile::new(name, events),
                ),
            },
        )
    }

    /// Evaluates the contract against an event file (`.json`, `.yaml`, or
    /// `.ndjson` and `.csv` streamed; `-` reads NDJSON from standard
    /// input).
    pub fn evaluate_file(
        &self,
        events: &Path,
        as_of: Option<Date>,
    ) -> Result<Report<'_>, Problems> {
        let limits = Limits::default();
        // Events are read once for each round of `run`: standard input or
        // a pipe, which can be read only once, is then kept in memory.
        let stdin = events.as_os_str() == "-";
        let format = if stdin {
            Some(EventFormat::Ndjson)
        } else {
            EventFormat::of_path(events)
        };
        let once_only = stdin || std::fs::metadata(events).is_ok_and(|m| !m.is_file());
        if let Some(format) = format
            && once_only
            && paid_in_full::needed(&self.checked)
        {
            let name = input::display_name(events);
            let bytes =
                input::read_whole(events, &name, &limits).map_err(|stopped| match stopped {
                    Stopped::Input(files) => Problems {
                        files,
                        message: None,
                    },
                    Stopped::Contract(d) => Problems::in_file(self.source.clone(), vec![d]),
                })?;
            return self.run(as_of, name.clone(), |decoder, evaluation| {
                input::read_from_memory(&name, &bytes, format, decoder, evaluation, &limits)
            });
        }
        self.run(as_of, input::display_name(events), |decoder, evaluation| {
            input::read_into(events, decoder, evaluation, &limits)
        })
    }

    /// The one decode → evaluate sequence: `feed` decodes events and
    /// pushes them into the evaluation, which is then finished as of
    /// `as_of` (by default the last event's date). `events_name` names
    /// the events in the report. A contract with a milestone reached when
    /// a clause is paid in full is evaluated more than once (see
    /// `eval::paid_in_full`), and `feed` called each time.
    pub(crate) fn run(
        &self,
        as_of: Option<Date>,
        events_name: String,
        mut feed: impl FnMut(&Decoder<'_>, &mut Evaluation<'_, '_>) -> Result<(), Stopped>,
    ) -> Result<Report<'_>, Problems> {
        let settled = paid_in_full::settle(&self.checked, |assumed| {
            self.run_once(as_of, assumed, &mut feed)
        })?;
        match settled {
            Ok(outcome) => Ok(Report {
                contract: self,
                outcome,
                events_name,
            }),
            Err(problem) => Err(Problems::in_file(self.source.clone(), vec![problem])),
        }
    }

    /// One evaluation, each clause a milestone waits to be paid in full
    /// taken as paid when `assumed` says.
    fn run_once(
        &self,
        as_of: Option<Date>,
        assumed: &PaidInFull,
        feed: &mut impl FnMut(&Decoder<'_>, &mut Evaluation<'_, '_>) -> Result<(), Stopped>,
    ) -> Result<Outcome, Problems> {
        let engine = Engine::new(&self.checked);
        let mut evaluation = Evaluation::new(&engine, as_of);
        evaluation.assume_paid_in_full(assumed);
        let read = feed(&Decoder::new(&self.checked), &mut evaluation);
        match read {
            Ok(()) => {}
            Err(Stopped::Input(files)) => {
                return Err(Problems {
                    files,
                    message: None,
                });
            }
            Err(Stopped::Contract(d)) => {
                return Err(Problems::in_file(self.source.clone(), vec![d]));
            }
        }
        // Without a date, the report is as of the last event, so that the
        // same events always give the same report.
        let Some(as_of) = as_of.or_else(|| evaluation.last_date()) else {
            return Err(Problems {
                files: Vec::new(),
                message: Some(
                    "error: the event file holds no events; give --as-of to evaluate an empty history"
                        .to_string(),
                ),
            });
        };
        evaluation
            .finish(as_of)
            .map_err(|d| Problems::in_file(self.source.clone(), vec![d]))
    }

    /// The change review of this contract as a new version of `old`: every
    /// change to the header, the declarations and the clauses, old → new,
    /// most material first (see `docs/lints.md`).
    ///
    /// ```
    /// use proviso::Contract;
    ///
    /// let old = r#"
    ///     contract "Loan" effective 2026-01-01 term through 2026-12-31
    ///     party lender "First Bank"
    ///     party borrower "Acme Ltd"
    ///     event payment by party { to: party, amount: money }
    ///     clause 1 "Fee"
    ///       borrower must pay lender USD 1,000 due 2026-03-31 settled by payment
    /// "#;
    /// let new = old.replace("USD 1,000", "USD 1,200").replace("effective 2026-01-01", "effective 2026-02-01");
    /// let old = Contract::parse("old.proviso", old).map_err(|p| p.render())?;
    /// let new = Contract::parse("new.proviso", new).map_err(|p| p.render())?;
    /// let changes = new.review(&old);
    /// let details: Vec<_> = changes.iter().flat_map(|c| &c.details).collect();
    /// // Money first, then dates.
    /// assert_eq!(details[0].what, "the payment from borrower to lender, amount");
    /// assert_eq!((details[0].old.as_deref(), details[0].new.as_deref()), (Some("USD 1,000"), Some("USD 1,200")));
    /// assert_eq!(details[0].favours.as_deref(), Some("favours lender: a higher amount"));
    /// assert_eq!(details[1].what, "effective date");
    /// # Ok::<(), String>(())
    /// ```
    pub fn review(&self, old: &Contract) -> Vec<crate::diff::Change> {
        crate::diff::review(old.version(), self.version())
    }

    /// The contract as one self-contained HTML document (see
    /// `docs/render.md`): its parties, clauses with their wording and a
    /// reading in plain words, and definitions; with a report, the status
    /// as of its date (a timeline and every finding with its reasoning);
    /// with an older version, the change review as a redline.
    ///
    /// ```
    /// use proviso::Contract;
    ///
    /// let contract = Contract::parse("fee.proviso", r#"
    ///     contract "Fee <1>" effective 2026-01-01 term through 2026-12-31
    ///     party lender "First Bank"
    ///     party borrower "Acme Ltd"
    ///     event payment by party { to: party, amount: money }
    ///     clause 1 "Fee"
    ///       text "The Borrower shall pay a fee of $1,000."
    ///       borrower must pay lender USD 1,000 due 2026-03-31 settled by payment
    /// "#).map_err(|p| p.render())?;
    /// let page = contract.render(None, None);
    /// assert!(page.contains("<title>Fee &lt;1&gt;</title>"));
    /// assert!(page.contains("The Borrower shall pay a fee of $1,000."));
    /// assert!(page.contains("must pay"));
    /// # Ok::<(), String>(())
    /// ```
    pub fn render(&self, report: Option<&Report<'_>>, against: Option<&Contract>) -> String {
        let json = report.map(|r| r.to_json(true));
        let changes = against.map(|old| self.review(old));
        crate::render::render(&crate::render::Page {
            contract: &self.checked,
            source: &self.source,
            report: report.zip(json.as_ref()).map(|(r, j)| (r.outcome(), j)),
            review: against
                .zip(changes.as_deref())
                .map(|(old, c)| (old.version(), c)),
        })
    }

    /// The contract as the change review sees one version.
    pub fn version(&self) -> crate::diff::Version<'_> {
        crate::diff::Version {
            checked: &self.checked,
            source: &self.source,
        }
    }
}

/// What a contract makes of a history of events.
#[derive(Debug)]
pub struct Report<'c> {
    contract: &'c Contract,
    outcome: Outcome,
    events_name: String,
}

impl Report<'_> {
    /// The findings: obligations, acts, violations, entitlements,
    /// milestones, commitments and cap tables.
    pub fn outcome(&self) -> &Outcome {
        &self.outcome
    }

    /// Whether the report holds a violation, a conflict, an overdue
    /// obligation or one performed late, or a commitment breached: what
    /// makes `proviso eval` exit 1.
    pub fn has_findings(&self) -> bool {
        !self.outcome.violations.is_empty()
            || self.outcome.commitments.iter().any(|c| {
                matches!(
                    c.status,
                    crate::eval::outcome::CommitmentStatus::Breached(_)
                )
            })
            || self.outcome.obligations.iter().any(|o| {
                // A late payment made within its cure period is cured.
                let cured = matches!(o.cure, Some(crate::eval::outcome::CureState::Cured { .. }));
                o.status == Status::Overdue || (o.days_late().is_some() && !cured)
            })
            || self.outcome.acts.iter().any(|a| {
                let cured = matches!(a.cure, Some(crate::eval::outcome::CureState::Cured { .. }));
                a.status == Status::Overdue || (a.late && !cured)
            })
    }

    fn inputs(&self, explain: bool) -> Inputs<'_> {
        Inputs {
            contract: &self.contract.checked,
            source: &self.contract.source,
            events_file: &self.events_name,
            outcome: &self.outcome,
            explain,
            locations: true,
        }
    }

    /// The report as an interpretation snapshot keeps it: for people,
    /// without where each rule is written (so that adding a clause above
    /// does not change every finding below it), and as JSON.
    pub(crate) fn for_snapshot(&self) -> (String, Option<serde_json::Value>) {
        let inputs = Inputs {
            locations: false,
            ..self.inputs(false)
        };
        (
            report::human(&inputs),
            serde_json::to_value(report::JsonReport(&inputs)).ok(),
        )
    }

    /// The report for people, as `proviso eval` prints it (`explain`: with
    /// the reasoning behind each finding).
    pub fn to_text(&self, explain: bool) -> String {
        report::human(&self.inputs(explain))
    }

    /// The report as JSON (`proviso.report/1`, see `docs/report.md`).
    pub fn to_json(&self, explain: bool) -> serde_json::Value {
        serde_json::to_value(report::JsonReport(&self.inputs(explain))).unwrap_or_default()
    }

    /// Writes the JSON report one finding at a time (for long histories).
    pub fn write_json(&self, explain: bool, out: impl std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(out, &report::JsonReport(&self.inputs(explain)))
            .map_err(std::io::Error::other)
    }
}

/// Pushes decoded events into an evaluation in date order (same-date events
/// keep their order in the file), or refuses them all when any failed to
/// decode: `file` is the text the diagnostics point into.
pub(crate) fn push_all(
    (mut events, diagnostics): (Vec<crate::eval::Event>, Vec<Diagnostic>),
    evaluation: &mut Evaluation<'_, '_>,
    file: impl FnOnce() -> SourceFile,
) -> Result<(), Stopped> {
    if !diagnostics.is_empty() {
        return Err(Stopped::Input(vec![(file(), diagnostics)]));
    }
    events.sort_by_key(|e| (e.date, e.seq));
    events
        .into_iter()
        .try_for_each(|event| evaluation.push(event))
        .map_err(Stopped::Contract)
}

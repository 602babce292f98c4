//! Event files into an evaluation. JSON and YAML files are read whole and
//! put in date order; NDJSON is streamed line by line, so that a history of
//! any length is evaluated in the memory its findings need.
//!
//! A streamed file is not kept: a problem keeps only the line it is on
//! (an excerpt that still knows its line number). Once a problem is found
//! nothing more is evaluated, but reading goes on, so that every problem
//! (up to the diagnostics limit) is reported at once.

use std::io::{BufRead, Read};
use std::path::Path;

use jiff::civil::Date;

use super::decode::Decoder;
use super::evaluation::Evaluation;
use super::event::Event;
use crate::ast::Span;
use crate::diagnostics::{Code, Diagnostic};
use crate::limits::Limits;
use crate::load;
use crate::source::SourceFile;

/// The kinds of event file. More may come: a program matching on it needs
/// an arm for the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventFormat {
    /// An array of events, or an object with an `events` array.
    Json,
    /// The same shapes, written as YAML.
    Yaml,
    /// One JSON event per line, in date order.
    Ndjson,
    /// A header row naming the columns, then one event per row, in date
    /// order.
    Csv,
}

impl EventFormat {
    /// The format a path's extension names; `-` (standard input) is NDJSON.
    pub fn of_path(path: &Path) -> Option<Self> {
        if path.as_os_str() == "-" {
            return Some(EventFormat::Ndjson);
        }
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "json" => Some(EventFormat::Json),
            "yaml" | "yml" => Some(EventFormat::Yaml),
            "ndjson" | "jsonl" => Some(EventFormat::Ndjson),
            "csv" => Some(EventFormat::Csv),
            _ => None,
        }
    }
}

/// Why the events were not evaluated to the end.
#[derive(Debug)]
pub enum Stopped {
    /// The event input is invalid. Each group is the file, or for a
    /// streamed file the line, that the diagnostics point into.
    Input(Vec<(SourceFile, Vec<Diagnostic>)>),
    /// The contract could not be evaluated against the events (an amount
    /// too large to hold, say); the diagnostic points into the contract.
    Contract(Diagnostic),
}

/// The name a path is shown by.
pub fn display_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        path.display().to_string()
    }
}

/// Reads the events of a file (`-` for standard input) into an evaluation.
pub fn read_into(
    path: &Path,
    decoder: &Decoder<'_>,
    evaluation: &mut Evaluation<'_, '_>,
    limits: &Limits,
) -> Result<(), Stopped> {
    let decoder = &decoder.with_max_problems(limits.max_diagnostics);
    let name = display_name(path);
    let Some(format) = EventFormat::of_path(path) else {
        return Err(Stopped::Input(vec![(
            SourceFile::new(name.clone(), beginning_of(path)),
            vec![
                Diagnostic::error(
                    Code::EventSyntax,
                    format!("`{name}` is not an event file proviso can read"),
                    Span::default(),
                    "unknown kind of file",
                )
                .with_help(
                    "give events as `.json` or `.yaml` (an array, or an object with an `events` array), as `.ndjson` (one event per line; `-` reads it from standard input), or as `.csv` (a header row naming the columns, then one event per row)",
                ),
            ],
        )]));
    };
    if matches!(format, EventFormat::Ndjson | EventFormat::Csv) {
        let stream = match format {
            EventFormat::Csv => stream_csv::<Box<dyn BufRead>>,
            EventFormat::Ndjson | EventFormat::Json | EventFormat::Yaml => {
                stream_ndjson::<Box<dyn BufRead>>
            }
        };
        return if path.as_os_str() == "-" {
            stream(
                &name,
                Box::new(std::io::stdin().lock()),
                decoder,
                evaluation,
                limits,
            )
        } else {
            match std::fs::File::open(path) {
                Ok(file) => stream(
                    &name,
                    Box::new(std::io::BufReader::with_capacity(1 << 16, file)),
                    decoder,
                    evaluation,
                    limits,
                ),
                Err(_) => {
                    // Let the loader word the reason, as it does for contracts.
                    let error = load::read_file(path, limits).err();
                    Err(Stopped::Input(
                        error
                            .map(|e| vec![(e.file, vec![e.diagnostic])])
                            .unwrap_or_default(),
                    ))
                }
            }
        };
    }
    let whole = Limits {
        max_file_bytes: limits.max_event_file_bytes,
        ..*limits
    };
    let source = load::read_file(path, &whole).map_err(|error| {
        let mut diagnostic = error.diagnostic;
        if diagnostic.code == Code::FileTooLarge {
            diagnostic.help = Some(
                "give a long history as NDJSON (`.ndjson`, one event per line), which is streamed instead of read whole".to_string(),
            );
        }
        Stopped::Input(vec![(error.file, vec![diagnostic])])
    })?;
    let (mut events, diagnostics) = match format {
        EventFormat::Yaml => decoder.yaml(source.text()),
        EventFormat::Json | EventFormat::Ndjson | EventFormat::Csv => decoder.json(source.text()),
    };
    if !diagnostics.is_empty() {
        return Err(Stopped::Input(vec![(source, diagnostics)]));
    }
    events.sort_by_key(|e| (e.date, e.seq));
    for event in events {
        evaluation.push(event).map_err(Stopped::Contract)?;
    }
    Ok(())
}

/// Standard input (`-`) or a file that is not a regular one (a pipe), read
/// whole, up to the limit of an event file read whole: for an evaluation
/// that reads the events more than once.
pub fn read_whole(path: &Path, name: &str, limits: &Limits) -> Result<Vec<u8>, Stopped> {
    use std::io::Read;
    let limit = limits.max_event_file_bytes;
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let mut bytes = Vec::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin().lock().take(cap).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|file| file.take(cap).read_to_end(&mut bytes))
    };
    let problem = match read {
        Err(error) => Some((
            Code::UnreadableFile,
            format!("{name} could not be read: {}", error.to_string().to_lowercase()),
            "give the events as a regular file".to_string(),
        )),
        Ok(_) if bytes.len() > limit => Some((
            Code::FileTooLarge,
            format!(
                "{name} holds more than {} bytes, too many to keep in memory",
                crate::syntax::group_thousands(&limit.to_string())
            ),
            "a milestone waits for a clause to be paid in full, so the events are read more than once: give them as a regular file, which is read again from the disk".to_string(),
        )),
        Ok(_) => None,
    };
    match problem {
        Some((code, message, help)) => Err(Stopped::Input(vec![(
            SourceFile::new(name, ""),
            vec![
                Diagnostic::error(code, message, Span::default(), "read once only").with_help(help),
            ],
        )])),
        None => Ok(bytes),
    }
}

/// Events kept in memory (see [`read_whole`]) into an evaluation, as
/// [`read_into`] reads them from a file of that kind.
pub fn read_from_memory(
    name: &str,
    bytes: &[u8],
    format: EventFormat,
    decoder: &Decoder<'_>,
    evaluation: &mut Evaluation<'_, '_>,
    limits: &Limits,
) -> Result<(), Stopped> {
    let decoder = &decoder.with_max_problems(limits.max_diagnostics);
    match format {
        EventFormat::Ndjson => stream_ndjson(name, bytes, decoder, evaluation, limits),
        EventFormat::Csv => stream_csv(name, bytes, decoder, evaluation, limits),
        EventFormat::Json | EventFormat::Yaml => {
            let Ok(text) = std::str::from_utf8(bytes) else {
                return Err(Stopped::Input(vec![(
                    SourceFile::new(name, ""),
                    vec![
                        Diagnostic::error(
                            Code::InvalidUtf8,
                            format!("{name} is not UTF-8 text"),
                            Span::default(),
                            "not text",
                        )
                        .with_help("save the events as UTF-8"),
                    ],
                )]));
            };
            let (mut events, diagnostics) = match format {
                EventFormat::Yaml => Decoder::for_yaml(decoder.contract()).yaml(text),
                EventFormat::Json | EventFormat::Ndjson | EventFormat::Csv => decoder.json(text),
            };
            if !diagnostics.is_empty() {
                return Err(Stopped::Input(vec![(
                    SourceFile::new(name, text),
                    diagnostics,
                )]));
            }
            events.sort_by_key(|e| (e.date, e.seq));
            for event in events {
                evaluation.push(event).map_err(Stopped::Contract)?;
            }
            Ok(())
        }
    }
}

/// The first lines of a file, to show what it holds.
fn beginning_of(path: &Path) -> String {
    let mut bytes = Vec::new();
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(2048).read_to_end(&mut bytes);
    }
    let text = String::from_utf8_lossy(&bytes);
    match text.rfind('\n') {
        Some(end) => text.get(..end).unwrap_or_default().to_string(),
        None => text.into_owned(),
    }
}

/// Reads NDJSON events line by line into an evaluation. Blank lines are
/// skipped; events must come in date order.
pub fn stream_ndjson<R: BufRead>(
    name: &str,
    reader: R,
    decoder: &Decoder<'_>,
    evaluation: &mut Evaluation<'_, '_>,
    limits: &Limits,
) -> Result<(), Stopped> {
    let mut lines = Lines::new(name, reader, limits.max_event_line_bytes);
    let mut intake = Intake::new(name, Streamed::Ndjson, limits);
    while !intake.stopped() {
        let (text, number) = match lines.next_for(&mut intake) {
            Next::Stop => break,
            Next::Skip => continue,
            Next::Text(text, number) => (text, number),
        };
        // (An event starts with `{`: only another line can be blank.)
        if !text.starts_with('{') && text.trim().is_empty() {
            continue;
        }
        let fields = evaluation.spare_fields();
        let decoded = decoder.ndjson_line_in(text, intake.seq, fields);
        intake.take(text, number, decoded, date_span, evaluation)?;
    }
    intake.finish()
}

/// Reads CSV events row by row into an evaluation: the header row names
/// the columns (see `docs/report.md`), each further row is an event.
/// Blank rows are skipped; events must come in date order, as in NDJSON.
/// `name` is the file's name: without a `type` column, its stem names the
/// event type of every row.
pub fn stream_csv<R: BufRead>(
    name: &str,
    reader: R,
    decoder: &Decoder<'_>,
    evaluation: &mut Evaluation<'_, '_>,
    limits: &Limits,
) -> Result<(), Stopped> {
    let mut lines = Lines::new(name, reader, limits.max_event_line_bytes);
    let mut intake = Intake::new(name, Streamed::Csv, limits);
    let mut columns = None;
    let mut splitter = super::csv::Splitter::default();
    while !intake.stopped() {
        // A row: lines up to one that ends outside quotation marks.
        let mut text = match lines.next_for(&mut intake) {
            // A header that cannot be read leaves no columns to read by.
            Next::Skip if columns.is_none() => break,
            Next::Stop => break,
            Next::Skip => continue,
            Next::Text(text, _) => text.to_string(),
        };
        let first_line = lines.number;
        let mut quotes = super::csv::Quotes::default();
        quotes.read(&text, 0);
        // A quoted cell still open at the end of the file or the limit.
        let mut unclosed = None;
        while let Some(opened) = quotes.open() {
            if text.len() <= limits.max_event_line_bytes
                && let Next::Text(more, _) = lines.next_for(&mut intake)
            {
                text.push('\n');
                let at = text.len();
                text.push_str(more);
                quotes.read(more, at);
                continue;
            }
            unclosed = Some(super::csv::unclosed(
                opened,
                &text,
                limits.max_event_line_bytes,
            ));
            break;
        }
        if let Some(diagnostic) = unclosed {
            intake.problem(
                SourceFile::excerpt(name, text, first_line),
                vec![diagnostic],
            );
            if columns.is_none() {
                break;
            }
            continue;
        }
        if text.trim().is_empty() {
            continue;
        }
        let cells = splitter.split(&text);
        if let Some(diagnostic) = splitter.unread(&text) {
            intake.problem(
                SourceFile::excerpt(name, text, first_line),
                vec![diagnostic],
            );
            if columns.is_none() {
                break;
            }
            continue;
        }
        let Some(header) = &columns else {
            match decoder.csv_header(&text, &cells, name) {
                Ok(header) => columns = Some(header),
                // Without its columns no row can be read.
                Err(found) => {
                    intake.problem(SourceFile::excerpt(name, text, first_line), found);
                    break;
                }
            }
            continue;
        };
        // A row of empty cells (`,,,,`) is a blank row of a spreadsheet.
        if cells.iter().all(|c| c.text.trim().is_empty()) {
            continue;
        }
        let decoded = decoder.csv_row(header, &text, &cells, intake.seq);
        let date = |_: &str| header.date_span(&cells);
        intake.take(&text, first_line, decoded, date, evaluation)?;
    }
    if columns.is_none() && intake.problems.is_empty() {
        intake.problem(
            SourceFile::excerpt(name, "", 1),
            vec![
                Diagnostic::error(
                    Code::EventSyntax,
                    "the CSV file is empty",
                    Span::new(0, 0),
                    "no header row",
                )
                .with_help("start with a header row naming the columns: `type,date,...` and the fields of the events"),
            ],
        );
    }
    intake.finish()
}

/// A streamed event file's lines, one at a time, each at most `max` bytes
/// and UTF-8 (a byte-order mark on the first line dropped).
struct Lines<'n, R> {
    name: &'n str,
    reader: R,
    /// A line that did not lie whole in the reader's buffer, gathered.
    bytes: Vec<u8>,
    max: usize,
    /// The number of the line read last, from 1.
    number: usize,
    /// How much of the reader's buffer the line read last lies in: it is
    /// consumed when the next is read.
    pending: usize,
}

/// What reading a line gave.
enum Line<'l> {
    End,
    /// The line's text, borrowed from the reader's buffer until the next
    /// line is read, and its number.
    Text(&'l str, usize),
    /// A line that is not one (too long, not UTF-8): reported, and
    /// reading goes on.
    Skipped(SourceFile, Diagnostic),
    /// The file could not be read further.
    Failed(SourceFile, Diagnostic),
}

/// What a stream reads next.
enum Next<'l> {
    /// The line's text and its number.
    Text(&'l str, usize),
    /// A line that is not one, reported: go on to the next.
    Skip,
    /// The end of the file, or a file that cannot be read further.
    Stop,
}

impl<'n, R: BufRead> Lines<'n, R> {
    /// The next line's text; a line that is not one is reported to the
    /// intake.
    fn next_for(&mut self, intake: &mut Intake<'_, '_>) -> Next<'_> {
        match self.next() {
            Line::End => Next::Stop,
            Line::Failed(file, diagnostic) => {
                intake.problem(file, vec![diagnostic]);
                Next::Stop
            }
            Line::Skipped(file, diagnostic) => {
                intake.problem(file, vec![diagnostic]);
                Next::Skip
            }
            Line::Text(text, number) => Next::Text(text, number),
        }
    }

    fn new(name: &'n str, reader: R, max: usize) -> Self {
        Lines {
            name,
            reader,
            bytes: Vec::new(),
            max,
            number: 0,
            pending: 0,
        }
    }

    fn next(&mut self) -> Line<'_> {
        let (name, max) = (self.name, self.max);
        self.reader.consume(std::mem::take(&mut self.pending));
        self.bytes.clear();
        self.number += 1;
        let line_number = self.number;
        // A whole line in the reader's buffer is read where it lies,
        // without a copy; any other (one that runs past the buffer, the
        // last without a line break, one too long) is gathered below.
        // The end of the input and a failed read are answered here, from
        // this one read, as `read_until` below would: asking the reader
        // again would wait for a second end of input from a terminal, and
        // pass over an error that happens once.
        let whole = match self.reader.fill_buf() {
            Ok([]) => return Line::End,
            Ok(buffer) => memchr::memchr(b'\n', buffer).filter(|&end| end <= max),
            // `read_until` tries again, as it always has.
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => None,
            Err(error) => return unreadable(name, &error, line_number),
        };
        if let Some(end) = whole {
            self.pending = end + 1;
            let buffer = self.reader.fill_buf().unwrap_or_default();
            let mut line = buffer.get(..end).unwrap_or_default();
            while let [before @ .., b'\r'] = line {
                line = before;
            }
            return line_text(name, line, line_number);
        }
        let read = (&mut self.reader)
            .take(max as u64 + 1)
            .read_until(b'\n', &mut self.bytes);
        match read {
            Ok(0) => return Line::End,
            Ok(_) => {}
            Err(error) => return unreadable(name, &error, line_number),
        }
        if self.bytes.len() > max && self.bytes.last() != Some(&b'\n') {
            skip_rest_of_line(&mut self.reader);
            let shown = String::from_utf8_lossy(
                self.bytes
                    .get(..80.min(self.bytes.len()))
                    .unwrap_or_default(),
            )
            .into_owned();
            return Line::Skipped(
                SourceFile::excerpt(name, shown.clone(), line_number),
                Diagnostic::error(
                    Code::InvalidEvent,
                    format!(
                        "line {line_number} is longer than the limit of {} bytes",
                        crate::syntax::group_thousands(&max.to_string())
                    ),
                    Span::new(0, shown.len()),
                    "this line is too long to be one event",
                )
                .with_help(
                    "write one event per line; an event holds a type, a date and its fields",
                ),
            );
        }
        while self
            .bytes
            .last()
            .is_some_and(|b| *b == b'\n' || *b == b'\r')
        {
            self.bytes.pop();
        }
        line_text(name, &self.bytes, line_number)
    }
}

/// A file that could not be read further, at line `line_number`.
fn unreadable(name: &str, error: &std::io::Error, line_number: usize) -> Line<'static> {
    Line::Failed(
        SourceFile::excerpt(name, "", line_number),
        Diagnostic::error(
            Code::UnreadableFile,
            format!("cannot read {name}: {}", error.to_string().to_lowercase()),
            Span::default(),
            "reading stopped here",
        ),
    )
}

/// A line's bytes as its text, or the diagnostic for a line that is not
/// UTF-8; a byte-order mark before the first line is dropped.
fn line_text<'l>(name: &str, bytes: &'l [u8], line_number: usize) -> Line<'l> {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let text = if line_number == 1 {
                text.strip_prefix('\u{feff}').unwrap_or(text)
            } else {
                text
            };
            Line::Text(text, line_number)
        }
        Err(error) => {
            let at = error.valid_up_to();
            let shown = String::from_utf8_lossy(bytes).into_owned();
            Line::Skipped(
                SourceFile::excerpt(name, shown, line_number),
                Diagnostic::error(
                    Code::InvalidUtf8,
                    "the line is not UTF-8 text",
                    Span::new(at, at + 1),
                    "this byte is not valid UTF-8",
                )
                .with_help("save the event file as UTF-8"),
            )
        }
    }
}

/// The kinds of streamed file, for the words of their diagnostics.
#[derive(Clone, Copy)]
enum Streamed {
    Ndjson,
    Csv,
}

/// What a stream of events has taken in: the problems found (once there
/// is one, nothing more is evaluated, but reading goes on to find the
/// others, up to the diagnostics limit), the latest date seen (to check
/// the order even after a problem) and how many events of that date came.
struct Intake<'n, 'l> {
    name: &'n str,
    kind: Streamed,
    limits: &'l Limits,
    problems: Vec<(SourceFile, Vec<Diagnostic>)>,
    reported: usize,
    latest: Option<Date>,
    on_latest: usize,
    /// The number of the next event, in file order.
    seq: usize,
    /// Reading stops: too many problems, or too many events on one day.
    done: bool,
}

impl<'n, 'l> Intake<'n, 'l> {
    fn new(name: &'n str, kind: Streamed, limits: &'l Limits) -> Self {
        Intake {
            name,
            kind,
            limits,
            problems: Vec::new(),
            reported: 0,
            latest: None,
            on_latest: 0,
            seq: 0,
            done: false,
        }
    }

    /// Whether reading stops here; at the diagnostics limit, the last
    /// diagnostic says so.
    fn stopped(&mut self) -> bool {
        if !self.done && self.reported >= self.limits.max_diagnostics {
            let reported = self.reported;
            if let Some((_, diagnostics)) = self.problems.last_mut()
                && let Some(last) = diagnostics.last_mut()
            {
                last.help = Some(format!(
                    "{}reading stopped after {reported} problems",
                    last.help.take().map(|h| h + "; ").unwrap_or_default()
                ));
            }
            self.done = true;
        }
        self.done
    }

    /// A line or row that is not an event.
    fn problem(&mut self, file: SourceFile, found: Vec<Diagnostic>) {
        self.reported += found.len();
        self.problems.push((file, found));
        self.seq += 1;
    }

    /// One decoded event, or its problems, from `text` (starting on line
    /// `line_number`): pushed into the evaluation when all is well so
    /// far. `date_span` finds where `text` writes the date.
    fn take(
        &mut self,
        text: &str,
        line_number: usize,
        decoded: Result<Event, Vec<Diagnostic>>,
        date_span: impl Fn(&str) -> Option<Span>,
        evaluation: &mut Evaluation<'_, '_>,
    ) -> Result<(), Stopped> {
        let name = self.name;
        let event = match decoded {
            Ok(event) => event,
            Err(found) => {
                self.problem(SourceFile::excerpt(name, text, line_number), found);
                return Ok(());
            }
        };
        let at_date = || date_span(text).unwrap_or(event.span);
        if let Some(before) = self.latest.filter(|&d| event.date < d) {
            let diagnostic = out_of_order(at_date(), &event, before, self.kind);
            self.problem(
                SourceFile::excerpt(name, text, line_number),
                vec![diagnostic],
            );
            return Ok(());
        }
        if self.latest == Some(event.date) {
            self.on_latest += 1;
        } else {
            self.on_latest = 1;
        }
        self.latest = Some(event.date);
        if self.on_latest > self.limits.max_events_per_day {
            let diagnostic = too_many_on_one_day(at_date(), &event, self.limits);
            self.problem(
                SourceFile::excerpt(name, text, line_number),
                vec![diagnostic],
            );
            // Every further event of the day would say the same.
            self.done = true;
            return Ok(());
        }
        self.seq += 1;
        if self.problems.is_empty() {
            evaluation.push(event).map_err(Stopped::Contract)?;
        }
        Ok(())
    }

    fn finish(self) -> Result<(), Stopped> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(Stopped::Input(self.problems))
        }
    }
}

/// Consumes what is left of an over-long line, in bounded pieces.
fn skip_rest_of_line<R: BufRead>(reader: &mut R) {
    loop {
        let (done, used) = match reader.fill_buf() {
            Ok([]) | Err(_) => return,
            Ok(buffer) => match buffer.iter().position(|&b| b == b'\n') {
                Some(i) => (true, i + 1),
                None => (false, buffer.len()),
            },
        };
        reader.consume(used);
        if done {
            return;
        }
    }
}

fn out_of_order(at: Span, event: &Event, before: Date, kind: Streamed) -> Diagnostic {
    Diagnostic::error(
        Code::EventsOutOfOrder,
        format!(
            "this event is dated {}, before an event dated {before} that came earlier in the stream",
            event.date
        ),
        at,
        "out of date order",
    )
    .with_help(match kind {
        Streamed::Ndjson => "NDJSON events are evaluated as they stream, so they must come in date order (events of one day in the order they happened); sort the lines by date, or give the events as a `.json` file, which proviso puts in order itself",
        Streamed::Csv => "CSV events are evaluated as they stream, so the rows must come in date order (events of one day in the order they happened); sort the rows by date, oldest first",
    })
}

fn too_many_on_one_day(at: Span, event: &Event, limits: &Limits) -> Diagnostic {
    let limit = crate::syntax::group_thousands(&limits.max_events_per_day.to_string());
    Diagnostic::error(
        Code::TooManyEventsOnOneDay,
        format!(
            "more than {limit} events are dated {}; reading stopped here",
            event.date
        ),
        at,
        "one event too many for this day",
    )
    .with_help(format!(
        "a day's events are held until the day is complete, so a stream may have at most {limit} events on one date; combine the day's events (one event per account or per product, say), or give them as a `.json` file, which is read whole"
    ))
}

/// Where the `date` value is written on an NDJSON line.
fn date_span(text: &str) -> Option<Span> {
    let key = text.find("\"date\"")?;
    let rest = text.get(key + 6..)?;
    let open = key + 6 + rest.find('"')?;
    let close = open + 1 + text.get(open + 1..)?.find('"')?;
    Some(Span::new(open, close + 1))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use std::cell::Cell;
    use std::io::{BufReader, Read};
    use std::rc::Rc;

    use super::{Line, Lines};

    /// A reader that gives its pieces in turn (`None`: a failed read),
    /// then the end of the input, counting how often it is asked for it.
    struct Pieces {
        pieces: Vec<Option<&'static [u8]>>,
        ends: Rc<Cell<usize>>,
    }

    impl Read for Pieces {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.pieces.is_empty() {
                self.ends.set(self.ends.get() + 1);
                return Ok(0);
            }
            match self.pieces.remove(0) {
                Some(piece) => {
                    let n = piece.len().min(buf.len());
                    buf.get_mut(..n)
                        .unwrap()
                        .copy_from_slice(piece.get(..n).unwrap());
                    if n < piece.len() {
                        let rest: &'static [u8] = piece.get(n..).unwrap();
                        self.pieces.insert(0, Some(rest));
                    }
                    Ok(n)
                }
                None => Err(std::io::Error::other("Boom")),
            }
        }
    }

    /// What each call of `next` gives, as text, until the end or a failure.
    fn read_all(
        pieces: Vec<Option<&'static [u8]>>,
        capacity: usize,
        max: usize,
    ) -> (Vec<String>, usize) {
        let ends = Rc::new(Cell::new(0));
        let reader = BufReader::with_capacity(
            capacity,
            Pieces {
                pieces,
                ends: ends.clone(),
            },
        );
        let mut lines = Lines::new("f", reader, max);
        let mut seen = Vec::new();
        loop {
            match lines.next() {
                Line::End => break,
                Line::Text(text, n) => seen.push(format!("{n}: {text}")),
                Line::Skipped(_, d) => seen.push(format!("skipped: {}", d.message)),
                Line::Failed(_, d) => {
                    seen.push(format!("failed: {}", d.message));
                    break;
                }
            }
        }
        (seen, ends.get())
    }

    /// The end of the input is asked for once after a last line break: a
    /// terminal's reader needs one Ctrl-D, not two. (A last line without
    /// one is read up to the end, which is then asked for again.)
    #[test]
    fn the_end_is_read_once() {
        for capacity in [1, 4, 64] {
            let (seen, ends) = read_all(
                vec![Some(b"{\"a\":1}\r\nb\n"), Some(b"last\n")],
                capacity,
                100,
            );
            assert_eq!(seen, ["1: {\"a\":1}", "2: b", "3: last"], "{capacity}");
            assert_eq!(ends, 1, "{capacity}");
            let (seen, ends) = read_all(vec![Some(b"a\nlast")], capacity, 100);
            assert_eq!(seen, ["1: a", "2: last"], "{capacity}");
            assert_eq!(ends, 2, "{capacity}");
        }
    }

    /// A read that fails once stops the reading there, with the error, as
    /// it did when every line was gathered by `read_until`.
    #[test]
    fn a_failed_read_is_reported_where_it_happened() {
        let (seen, _) = read_all(vec![Some(b"a\n"), None, Some(b"b\n")], 64, 100);
        assert_eq!(seen, ["1: a", "failed: cannot read f: boom"]);
    }

    /// Lines too long are reported with their start, whatever the limit.
    #[test]
    fn a_line_over_the_limit_is_skipped() {
        let (seen, _) = read_all(vec![Some(b"abcdefgh\nok\n")], 64, 4);
        assert_eq!(
            seen,
            [
                "skipped: line 1 is longer than the limit of 4 bytes",
                "2: ok"
            ]
        );
    }
}

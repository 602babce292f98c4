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

/// The kinds of event file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventFormat {
    /// An array of events, or an object with an `events` array.
    Json,
    /// The same shapes, written as YAML.
    Yaml,
    /// One JSON event per line, in date order.
    Ndjson,
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
                    "give events as `.json` or `.yaml` (an array, or an object with an `events` array), or as `.ndjson` (one event per line; `-` reads it from standard input)",
                ),
            ],
        )]));
    };
    if format == EventFormat::Ndjson {
        return if path.as_os_str() == "-" {
            stream_ndjson(&name, std::io::stdin().lock(), decoder, evaluation, limits)
        } else {
            match std::fs::File::open(path) {
                Ok(file) => stream_ndjson(
                    &name,
                    std::io::BufReader::with_capacity(1 << 16, file),
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
        _ => decoder.json(source.text()),
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
    mut reader: R,
    decoder: &Decoder<'_>,
    evaluation: &mut Evaluation<'_, '_>,
    limits: &Limits,
) -> Result<(), Stopped> {
    let mut problems: Vec<(SourceFile, Vec<Diagnostic>)> = Vec::new();
    let mut reported = 0usize;
    let mut bytes = Vec::new();
    let mut line_number = 0usize;
    let mut seq = 0usize;
    // The latest date seen, to check the order even after a problem, and
    // how many events of that date have come.
    let mut latest: Option<Date> = None;
    let mut on_latest = 0usize;
    let max = limits.max_event_line_bytes;
    loop {
        if reported >= limits.max_diagnostics {
            if let Some((_, diagnostics)) = problems.last_mut()
                && let Some(last) = diagnostics.last_mut()
            {
                last.help = Some(format!(
                    "{}reading stopped after {reported} problems",
                    last.help.take().map(|h| h + "; ").unwrap_or_default()
                ));
            }
            break;
        }
        bytes.clear();
        line_number += 1;
        let read = (&mut reader)
            .take(max as u64 + 1)
            .read_until(b'\n', &mut bytes);
        match read {
            Ok(0) => break,
            Ok(_) => {}
            Err(error) => {
                problems.push((
                    SourceFile::excerpt(name, "", line_number),
                    vec![Diagnostic::error(
                        Code::UnreadableFile,
                        format!("cannot read {name}: {}", error.to_string().to_lowercase()),
                        Span::default(),
                        "reading stopped here",
                    )],
                ));
                break;
            }
        }
        if bytes.len() > max && bytes.last() != Some(&b'\n') {
            skip_rest_of_line(&mut reader);
            let shown = String::from_utf8_lossy(bytes.get(..80).unwrap_or_default()).into_owned();
            problems.push((
                SourceFile::excerpt(name, shown.clone(), line_number),
                vec![
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
                ],
            ));
            reported += 1;
            seq += 1;
            continue;
        }
        while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            bytes.pop();
        }
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => text,
            Err(error) => {
                let at = error.valid_up_to();
                let shown = String::from_utf8_lossy(&bytes).into_owned();
                problems.push((
                    SourceFile::excerpt(name, shown, line_number),
                    vec![
                        Diagnostic::error(
                            Code::InvalidUtf8,
                            "the line is not UTF-8 text",
                            Span::new(at, at + 1),
                            "this byte is not valid UTF-8",
                        )
                        .with_help("save the event file as UTF-8"),
                    ],
                ));
                reported += 1;
                seq += 1;
                continue;
            }
        };
        let text = if line_number == 1 {
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        };
        if text.trim().is_empty() {
            continue;
        }
        match decoder.ndjson_line(text, seq) {
            Ok(event) => {
                if let Some(before) = latest.filter(|&d| event.date < d) {
                    problems.push((
                        SourceFile::excerpt(name, text, line_number),
                        vec![out_of_order(text, &event, before)],
                    ));
                    reported += 1;
                } else {
                    if latest == Some(event.date) {
                        on_latest += 1;
                    } else {
                        on_latest = 1;
                    }
                    latest = Some(event.date);
                    if on_latest > limits.max_events_per_day {
                        problems.push((
                            SourceFile::excerpt(name, text, line_number),
                            vec![too_many_on_one_day(text, &event, limits)],
                        ));
                        // Every further event of the day would say the same.
                        break;
                    }
                    if problems.is_empty() {
                        evaluation.push(event).map_err(Stopped::Contract)?;
                    }
                }
            }
            Err(found) => {
                reported += found.len();
                problems.push((SourceFile::excerpt(name, text, line_number), found));
            }
        }
        seq += 1;
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Stopped::Input(problems))
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

fn out_of_order(text: &str, event: &Event, before: Date) -> Diagnostic {
    Diagnostic::error(
        Code::EventsOutOfOrder,
        format!(
            "this event is dated {}, before an event dated {before} that came earlier in the stream",
            event.date
        ),
        date_span(text).unwrap_or(event.span),
        "out of date order",
    )
    .with_help(
        "NDJSON events are evaluated as they stream, so they must come in date order (events of one day in the order they happened); sort the lines by date, or give the events as a `.json` file, which proviso puts in order itself",
    )
}

fn too_many_on_one_day(text: &str, event: &Event, limits: &Limits) -> Diagnostic {
    let limit = crate::syntax::group_thousands(&limits.max_events_per_day.to_string());
    Diagnostic::error(
        Code::TooManyEventsOnOneDay,
        format!(
            "more than {limit} events are dated {}; reading stopped here",
            event.date
        ),
        date_span(text).unwrap_or(event.span),
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

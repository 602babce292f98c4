//! CSV event files: the exports finance teams have. The first row names
//! the columns (`type`, `date`, `id`, `by`, then the event's fields); each
//! further row is one event. A row is turned into the JSON event the
//! decoder knows, with a map from every value back to its cell, so that a
//! diagnostic points at the cell the person wrote (as for YAML).
//!
//! Cells are split by `csv-core`, the parser beneath the `csv` crate, used
//! directly because it says how many bytes of the row each cell took: the
//! `csv` crate's records know only where each row starts.

use std::borrow::Cow;

use csv_core::{ReadFieldResult, Reader};

use super::decode::Decoder;
use super::event::Event;
use super::yaml::SpanMap;
use crate::ast::{EventDecl, Span, TypeName};
use crate::check::RESERVED_FIELDS;
use crate::diagnostics::{Code, Diagnostic, closest};

/// The columns of a CSV event file, read from its header row.
#[derive(Debug)]
pub struct Columns {
    /// Each column's name, in order.
    names: Vec<String>,
    /// The event type of every row, when there is no `type` column: the
    /// file is named after it.
    file_type: Option<String>,
    /// Which column holds the date.
    date: usize,
    /// For each event type of the contract, the columns in the order the
    /// type places its members (`type`, `date`, `id`, `by`, its fields),
    /// then the others as the file orders them: a row written in this
    /// order is read by the decoder's declared-order path.
    orders: Vec<Vec<usize>>,
    /// The columns as the file orders them, for a row of no known type.
    file_order: Vec<usize>,
}

impl Columns {
    /// Where a row writes its date, given its cells.
    pub fn date_span(&self, cells: &[Cell<'_>]) -> Option<Span> {
        cells.get(self.date).map(|c| c.span)
    }
}

impl Decoder<'_> {
    /// Reads the header row of a CSV event file named `file_name`: the
    /// columns' names, each once; a `date` column; a `type` column, or a
    /// file named after the one event type it holds (`payment.csv`); and
    /// no column that no event can have.
    pub fn csv_header(
        &self,
        row: &str,
        cells: &[Cell<'_>],
        file_name: &str,
    ) -> Result<Columns, Vec<Diagnostic>> {
        let contract = self.contract();
        let mut problems = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            let name = cell.text.trim().to_string();
            if name.is_empty() {
                problems.push(
                    Diagnostic::error(
                        Code::EventSyntax,
                        format!("column {} of the header has no name", i + 1),
                        // An empty cell: the comma before it.
                        if cell.span.is_empty() {
                            Span::new(cell.span.start.saturating_sub(1), cell.span.start)
                        } else {
                            cell.span
                        },
                        "no name",
                    )
                    .with_help(
                        "name every column: `type`, `date`, `id`, `by`, or a field of the events",
                    ),
                );
            } else if names.contains(&name) {
                problems.push(
                    Diagnostic::error(
                        Code::InvalidEvent,
                        format!("the header names `{name}` twice"),
                        cell.span,
                        "named again here",
                    )
                    .with_help("keep one column of each name"),
                );
            }
            names.push(name);
        }
        let whole = Span::new(0, row.trim_end().len());
        let event_names = || {
            contract
                .file
                .events
                .iter()
                .map(|e| format!("`{}`", e.name.node))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let has_type = names.iter().any(|n| n == "type");
        let stem = std::path::Path::new(file_name)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let file_type: Option<&EventDecl> = if has_type {
            None
        } else {
            let decl = contract.file.events.iter().find(|e| e.name.node == stem);
            if decl.is_none() {
                problems.push(
                    Diagnostic::error(
                        Code::InvalidEvent,
                        format!("the CSV file has no `type` column, and `{stem}` is not an event type"),
                        whole,
                        "which kind of event is each row?",
                    )
                    .with_help(format!(
                        "add a `type` column naming each row's event, or name the file after the one event type it holds (`payment.csv` for `payment` events); the contract declares {}",
                        event_names()
                    )),
                );
            }
            decl
        };
        let date = names.iter().position(|n| n == "date");
        if date.is_none() {
            problems.push(
                Diagnostic::error(
                    Code::MissingField,
                    "the CSV file has no `date` column",
                    whole,
                    "every event needs its date",
                )
                .with_help("add a `date` column, each date written `YYYY-MM-DD`"),
            );
        }
        // A column no event has: said once here, not on every row.
        let events: Vec<&EventDecl> = match file_type {
            Some(decl) => vec![decl],
            None => contract.file.events.iter().collect(),
        };
        for (name, cell) in names.iter().zip(cells) {
            let known = name.is_empty()
                || RESERVED_FIELDS.contains(&name.as_str())
                || events
                    .iter()
                    .any(|e| e.fields.iter().any(|f| &f.name.node == name));
            if known {
                continue;
            }
            let fields: Vec<&str> = RESERVED_FIELDS
                .iter()
                .copied()
                .chain(
                    events
                        .iter()
                        .flat_map(|e| e.fields.iter().map(|f| f.name.node.as_str())),
                )
                .collect();
            let owner = match file_type {
                Some(decl) => format!("`{}` events have no field", decl.name.node),
                None => "no event has a field".to_string(),
            };
            let mut diagnostic = Diagnostic::error(
                Code::InvalidEvent,
                format!("the header names a column `{name}`, but {owner} `{name}`"),
                cell.span,
                "not a field of the events",
            );
            // `Date`, `Amount`: names are lowercase.
            let lower = name.to_lowercase();
            let best = fields
                .iter()
                .find(|f| **f == lower)
                .copied()
                .or_else(|| closest(name, fields.iter().copied()));
            diagnostic = match best {
                Some(best) => diagnostic.with_suggestion(literal(best)),
                None => diagnostic.with_help(
                    "name the columns `type`, `date`, `id`, `by` and the fields of the events",
                ),
            };
            problems.push(diagnostic);
        }
        let orders = contract
            .file
            .events
            .iter()
            .map(|decl| {
                let mut order: Vec<usize> = RESERVED_FIELDS
                    .iter()
                    .copied()
                    .chain(decl.fields.iter().map(|f| f.name.node.as_str()))
                    .filter_map(|place| names.iter().position(|n| n == place))
                    .collect();
                let rest: Vec<usize> = (0..names.len()).filter(|i| !order.contains(i)).collect();
                order.extend(rest);
                order
            })
            .collect();
        let file_order = (0..names.len()).collect();
        match date {
            Some(date) if problems.is_empty() => Ok(Columns {
                names,
                file_type: file_type.map(|d| d.name.node.clone()),
                date,
                orders,
                file_order,
            }),
            Some(_) | None => Err(problems),
        }
    }

    /// Reads one row of a CSV event file (its text, which may span lines
    /// within quotation marks, and its `cells`) as the event `seq` of the
    /// file. Empty cells are absent fields. Spans point into the row.
    pub fn csv_row(
        &self,
        columns: &Columns,
        row: &str,
        cells: &[Cell<'_>],
        seq: usize,
    ) -> Result<Event, Vec<Diagnostic>> {
        let contract = self.contract();
        let whole = Span::new(row.len() - row.trim_start().len(), row.trim_end().len());
        if cells.len() != columns.names.len() {
            let (found, wanted) = (cells.len(), columns.names.len());
            // The first cell too many (with the comma before it, when it is
            // empty), or the end of a row that is short.
            // The row's last character (whole, however many bytes).
            let last = row
                .get(..whole.end)
                .and_then(|r| r.char_indices().next_back())
                .map_or(whole.end, |(i, _)| i);
            let end = Span::new(last, whole.end);
            let span = cells.get(wanted).map_or(end, |extra| {
                Span::new(extra.span.start.saturating_sub(1), extra.span.end)
            });
            return Err(vec![
                Diagnostic::error(
                    Code::InvalidEvent,
                    format!("this row has {found} cells, but the header names {wanted} columns"),
                    span,
                    if found > wanted { "a cell too many" } else { "cells missing" },
                )
                .with_help("give every row one cell per column, empty where an event has no value; a comma inside a value needs the value in quotation marks (`\"USD 1,250.00\"`)"),
            ]);
        }
        // The row's event type, for the types of its cells.
        let type_name = columns.file_type.clone().or_else(|| {
            columns
                .names
                .iter()
                .zip(cells)
                .find(|(name, _)| *name == "type")
                .map(|(_, cell)| cell.text.trim().to_string())
        });
        let kind = type_name
            .as_deref()
            .and_then(|t| contract.file.events.iter().position(|e| e.name.node == t));
        let decl = kind.and_then(|k| contract.file.events.get(k));
        // The members in the order the type places them, so that the
        // decoder reads the row as it reads an event a program wrote.
        let order = kind
            .and_then(|k| columns.orders.get(k))
            .unwrap_or(&columns.file_order);
        let currency = self.currency();
        // The row as a JSON event, with every key and value mapped to its
        // cell (the object to the whole row), written straight into one
        // buffer.
        let mut json: Vec<u8> = Vec::with_capacity(2 * row.len() + 32);
        json.push(b'{');
        let mut map = SpanMap::with_capacity(2 * cells.len() + 3);
        map.record(0, usize::MAX, whole.start, whole.end);
        let key = |json: &mut Vec<u8>, map: &mut SpanMap, key: &str, at: Span| {
            if json.len() > 1 {
                json.push(b',');
            }
            let start = json.len();
            json_string(json, key);
            map.record(start, json.len(), at.start, at.end);
            json.push(b':');
        };
        if let Some(file_type) = &columns.file_type {
            key(&mut json, &mut map, "type", whole);
            let start = json.len();
            json_string(&mut json, file_type);
            map.record(start, json.len(), whole.start, whole.end);
        }
        for &column in order {
            let (Some(name), Some(cell)) = (columns.names.get(column), cells.get(column)) else {
                continue;
            };
            let text = cell.text.trim();
            if text.is_empty() {
                continue;
            }
            key(&mut json, &mut map, name, cell.span);
            let start = json.len();
            let ty = decl
                .and_then(|d| d.fields.iter().find(|f| &f.name.node == name))
                .map(|f| &f.ty.node);
            match ty {
                // A bare number is an amount in the contract's currency,
                // when it declares one.
                Some(TypeName::MoneyIn { currency: c, .. }) if is_amount(text) => {
                    json_string(&mut json, &format!("{} {text}", c.as_str()));
                }
                Some(TypeName::Money | TypeName::SignedMoney | TypeName::MoneyIn { .. }) => {
                    match currency {
                        Some(c) if is_amount(text) => {
                            json_string(&mut json, &format!("{} {text}", c.as_str()));
                        }
                        // Refused as money written as a bare number (E0607),
                        // with the currency to add.
                        None if is_amount(text) => {
                            json.extend_from_slice(text.replace(',', "").as_bytes());
                        }
                        Some(_) | None => json_string(&mut json, text),
                    }
                }
                Some(TypeName::Number | TypeName::Count | TypeName::Days)
                    if is_json_number(text) =>
                {
                    json.extend_from_slice(text.as_bytes());
                }
                Some(TypeName::Bool) if text.eq_ignore_ascii_case("true") => {
                    json.extend_from_slice(b"true");
                }
                Some(TypeName::Bool) if text.eq_ignore_ascii_case("false") => {
                    json.extend_from_slice(b"false");
                }
                Some(
                    TypeName::Number
                    | TypeName::Count
                    | TypeName::Days
                    | TypeName::Bool
                    | TypeName::Percent
                    | TypeName::Date
                    | TypeName::Text
                    | TypeName::Party
                    | TypeName::Named(_),
                )
                | None => json_string(&mut json, text),
            }
            map.record(start, json.len(), cell.span.start, cell.span.end);
        }
        json.push(b'}');
        // Only UTF-8 was written: the row's own text and JSON's marks.
        let json = String::from_utf8_lossy(&json);
        let decoded = self.for_csv().ndjson_line(&json, seq);
        match decoded {
            Ok(mut event) => {
                event.span = whole;
                Ok(event)
            }
            Err(mut found) => {
                for diagnostic in &mut found {
                    map.move_diagnostic(diagnostic);
                }
                Err(found)
            }
        }
    }
}

/// Writes text as a JSON string (writing into memory cannot fail).
fn json_string(out: &mut Vec<u8>, text: &str) {
    let _ = serde_json::to_writer(out, text);
}

/// A number as JSON writes one: what a number column may hold.
fn is_json_number(text: &str) -> bool {
    serde_json::from_str::<serde_json::Number>(text).is_ok()
}

/// An amount without a currency: `1250.00`, `1,250.00`, `-12.50`.
fn is_amount(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    crate::syntax::parse_number_text(digits, Span::default()).is_ok()
}

/// A cell of a row: its text (quotes taken off, doubled quotes undone) and
/// where it is written in the row, quotes included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell<'r> {
    /// Borrowed from the row unless quotation marks were taken off.
    pub text: Cow<'r, str>,
    pub span: Span,
}

/// The cells of one row (its text without the line end); none for an
/// empty row.
pub fn cells(row: &str) -> Vec<Cell<'_>> {
    Splitter::default().split(row)
}

/// Splits rows into cells, one row after another. Building a reader
/// builds its state machine, which costs far more than reading a row:
/// a stream keeps one.
pub struct Splitter {
    reader: Reader,
    out: Vec<u8>,
    /// How much of the last row the cells took.
    read: usize,
}

impl Default for Splitter {
    // `Reader::default()` is a reader whose state machine is not built:
    // `Reader::new()` builds it.
    fn default() -> Self {
        Splitter {
            reader: Reader::new(),
            out: Vec::new(),
            read: 0,
        }
    }
}

impl Splitter {
    /// The cells of one row, as [`cells`].
    pub fn split<'r>(&mut self, row: &'r str) -> Vec<Cell<'r>> {
        self.reader.reset();
        let (cells, read) = split(&mut self.reader, &mut self.out, row);
        self.read = read;
        cells
    }

    /// Text of the last row split that no cell took: a line end outside
    /// quotation marks that the line reader did not see (a carriage
    /// return alone, as old Mac exports end their lines).
    pub fn unread(&self, row: &str) -> Option<Diagnostic> {
        let rest = row.get(self.read..)?;
        if rest.trim().is_empty() {
            return None;
        }
        let at = self.read.saturating_sub(1);
        Some(
            Diagnostic::error(
                Code::EventSyntax,
                "the row goes on after a line end",
                Span::new(at, self.read),
                "a carriage return ends the row here",
            )
            .with_help("end each row with a line feed (LF or CRLF, as spreadsheets save CSV), and put a value holding a line break in quotation marks"),
        )
    }
}

/// Where quotation marks leave a row as its lines are read: a line break
/// inside a quoted cell belongs to the cell, so the row goes on. Reading
/// as csv-core does, a `"` opens a quoted cell only at the start of a cell
/// (elsewhere it is a character of the cell), `""` inside one is a quotation
/// mark, and a lone `"` closes it. Each line is read once.
#[derive(Debug, Default)]
pub struct Quotes {
    state: QuoteState,
    /// Where the quoted cell that is still open starts.
    opened: usize,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    #[default]
    CellStart,
    Unquoted,
    Quoted,
    /// A `"` inside a quoted cell: the end of the cell, or half of `""`.
    QuoteInQuoted,
}

impl Quotes {
    /// Reads the next line of a row, which starts at byte `at` of the row.
    pub fn read(&mut self, line: &str, at: usize) {
        use QuoteState::*;
        // A line break outside quotation marks ends a cell (and the row).
        if self.state != Quoted {
            self.state = CellStart;
        }
        for (i, byte) in line.bytes().enumerate() {
            self.state = match (self.state, byte) {
                (CellStart, b'"') => {
                    self.opened = at + i;
                    Quoted
                }
                (CellStart | Unquoted | QuoteInQuoted, b',') => CellStart,
                (CellStart | Unquoted, _) => Unquoted,
                (Quoted, b'"') => QuoteInQuoted,
                (Quoted, _) => Quoted,
                (QuoteInQuoted, b'"') => Quoted,
                (QuoteInQuoted, _) => Unquoted,
            };
        }
    }

    /// Where the quoted cell that is still open starts, if one is.
    pub fn open(&self) -> Option<usize> {
        (self.state == QuoteState::Quoted).then_some(self.opened)
    }
}

/// A quotation mark at `opened` that the row never closes (by the end of
/// the file, or within `max` bytes).
pub fn unclosed(opened: usize, row: &str, max: usize) -> Diagnostic {
    Diagnostic::error(
        Code::EventSyntax,
        "a quotation mark opens a cell that is never closed",
        Span::new(opened, (opened + 1).min(row.len())),
        "opened here",
    )
    .with_help(format!(
        "close the cell with a quotation mark; a quotation mark inside a quoted cell is written twice (`\"\"`). Reading stopped after {} bytes or at the end of the file",
        crate::syntax::group_thousands(&max.to_string())
    ))
}

/// The cells of a row, and how many of its bytes they took.
fn split<'r>(reader: &mut Reader, out: &mut Vec<u8>, row: &'r str) -> (Vec<Cell<'r>>, usize) {
    let bytes = row.as_bytes();
    // A cell is never longer than the text it is written in.
    out.clear();
    out.resize(bytes.len() + 1, 0);
    let mut cells = Vec::new();
    let mut at = 0usize;
    let mut start = 0usize;
    let mut field: Vec<u8> = Vec::new();
    loop {
        let input = bytes.get(at..).unwrap_or_default();
        let (result, read, written) = reader.read_field(input, out);
        field.extend_from_slice(out.get(..written).unwrap_or_default());
        at += read;
        match result {
            // The row's text has ended inside a cell: the call with no
            // input that follows ends the cell.
            ReadFieldResult::InputEmpty | ReadFieldResult::OutputFull => {
                if read == 0 && written == 0 && input.is_empty() {
                    // Nothing more will come: keep what was read.
                    cells.push(cell(&field, row, start, at));
                    break;
                }
            }
            ReadFieldResult::Field { record_end } => {
                cells.push(cell(&field, row, start, at));
                field.clear();
                start = at;
                if record_end {
                    break;
                }
            }
            ReadFieldResult::End => break,
        }
    }
    (cells, at.min(row.len()))
}

/// A cell read from `row[start..end]`, less the delimiter or line end that
/// closed it.
fn cell<'r>(text: &[u8], row: &'r str, start: usize, end: usize) -> Cell<'r> {
    let written = row.get(start..end.min(row.len())).unwrap_or_default();
    let written = written
        .strip_suffix(',')
        .unwrap_or(written)
        .trim_end_matches(['\r', '\n']);
    Cell {
        // Without quotation marks a cell is its text as written.
        text: if written.starts_with('"') {
            Cow::Owned(String::from_utf8_lossy(text).into_owned())
        } else {
            Cow::Borrowed(written)
        },
        span: Span::new(start, start + written.len()),
    }
}

/// `value` as a CSV cell: in quotes when it holds a comma, a quotation mark
/// or a line break.
pub fn literal(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(row: &str) -> Vec<(String, &str)> {
        cells(row)
            .into_iter()
            .map(|c| {
                (
                    c.text.into_owned(),
                    row.get(c.span.start..c.span.end).unwrap_or("?"),
                )
            })
            .collect()
    }

    #[test]
    fn cells_with_their_places() {
        assert_eq!(
            texts("serve,2026-08-01,\"USD 1,250.00\",,x"),
            [
                ("serve".to_string(), "serve"),
                ("2026-08-01".to_string(), "2026-08-01"),
                ("USD 1,250.00".to_string(), "\"USD 1,250.00\""),
                (String::new(), ""),
                ("x".to_string(), "x"),
            ]
        );
        // Doubled quotes, a line break in quotes, a trailing empty cell.
        assert_eq!(
            texts("\"say \"\"hi\"\"\",\"two\nlines\","),
            [
                ("say \"hi\"".to_string(), "\"say \"\"hi\"\"\""),
                ("two\nlines".to_string(), "\"two\nlines\""),
                (String::new(), ""),
            ]
        );
        assert!(texts("").is_empty());
        assert_eq!(
            texts("€,é"),
            [("€".to_string(), "€"), ("é".to_string(), "é")]
        );
    }

    /// Each type's columns in the order it places its members, then the
    /// rest in the file's order; a row is written to the decoder so.
    #[test]
    fn columns_in_each_types_declared_order() {
        let text = include_str!("../../contracts/microsoft-openai-2025.proviso");
        let contract = crate::Contract::parse("flagship", text).expect("the flagship checks");
        let decoder = Decoder::new(contract.checked());
        let header = "amount,provider,date,type,by,to,id";
        let columns = decoder
            .csv_header(header, &cells(header), "events.csv")
            .expect("a valid header");
        let kind = |name: &str| {
            let id = contract.checked().event_type_named(name).expect("declared");
            columns.orders.get(id.index()).cloned().unwrap_or_default()
        };
        // `payment { to, amount }`: type, date, id, by, to, amount.
        assert_eq!(kind("payment"), [3, 2, 6, 4, 5, 0, 1]);
        // `buy_compute { provider, amount }`.
        assert_eq!(kind("buy_compute"), [3, 2, 6, 4, 1, 0, 5]);
        assert_eq!(columns.file_order, [0, 1, 2, 3, 4, 5, 6]);
        // And a row read through that order is the event the JSON gives.
        let row = "USD 1.50,,2026-03-01,payment,openai,microsoft,p-1";
        let event = decoder
            .csv_row(&columns, row, &cells(row), 0)
            .expect("a valid row");
        let json = r#"{"type":"payment","date":"2026-03-01","id":"p-1","by":"openai","to":"microsoft","amount":"USD 1.50"}"#;
        let mut expected = decoder.ndjson_line(json, 0).expect("a valid event");
        expected.span = event.span;
        assert_eq!(event, expected);
    }

    fn open_after(lines: &[&str]) -> Option<usize> {
        let mut quotes = Quotes::default();
        let mut at = 0;
        for line in lines {
            quotes.read(line, at);
            at += line.len() + 1;
        }
        quotes.open()
    }

    #[test]
    fn a_row_goes_on_while_a_quoted_cell_is_open() {
        assert_eq!(open_after(&["a,\"b,c\""]), None);
        assert_eq!(open_after(&["a,\"b"]), Some(2));
        assert_eq!(open_after(&["a,\"b", "c\",d"]), None);
        // A quotation mark inside an unquoted cell is a character: the
        // row ends with its line (`Display 27"`).
        assert_eq!(open_after(&["2026-08-01,Display 27\",x"]), None);
        // `""` inside quotes is a quotation mark, not the end.
        assert_eq!(open_after(&["\"say \"\"hi\"\"", "x\""]), None);
        assert_eq!(open_after(&["\"a\"\"", "b"]), Some(0));
        let mut splitter = Splitter::default();
        let row = "a,b\rc,d";
        assert_eq!(splitter.split(row).len(), 2);
        assert!(splitter.unread(row).is_some());
        assert_eq!(splitter.split("a,b").len(), 2);
        assert!(splitter.unread("a,b").is_none());
        assert_eq!(literal("USD 1,250.00"), "\"USD 1,250.00\"");
        assert_eq!(literal("a \"b\""), "\"a \"\"b\"\"\"");
        assert_eq!(literal("api_product"), "api_product");
    }
}

//! Reading events from JSON and NDJSON, and validating each against the
//! event types the contract declares.
//!
//! No number passes through a float: every value is taken from its raw JSON
//! text, so `1250000.10` is read digit by digit, and a money amount given as
//! a bare number is rejected with the string to write instead. An event is
//! split into its members by `scan::object` in one pass, or by serde_json
//! (`RawValue`) when it holds anything unusual; either way each raw value is
//! a slice of the input, and its byte offset gives the line and column of
//! every problem.

use std::borrow::Cow;
use std::fmt;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use smol_str::SmolStr;

use super::event::{Event, Value};
use super::period;
use super::scan;
use crate::ast::{Currency, EventDecl, Money, Span, TypeName};
use crate::check::RESERVED_FIELDS;
use crate::diagnostics::{Code, Diagnostic, closest};
use crate::limits::Limits;
use crate::model::{Checked, EventTypeId, NamedType, PartyId};
use crate::syntax::{parse_currency_code, parse_date_text, parse_number_text};

/// Decodes events for one checked contract.
#[derive(Clone, Copy)]
pub struct Decoder<'c> {
    contract: &'c Checked,
    notation: Notation,
    /// Reading a JSON or YAML file stops once this many problems are found.
    max_problems: usize,
}

/// How the event file was written, so that messages show values and fixes
/// the way the user writes them: `"USD 5.00"` in JSON, `USD 5.00` in YAML.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notation {
    Json,
    Yaml,
    /// A row of a CSV file, whose cells the decoder sees as JSON members.
    Csv,
}

impl Notation {
    /// `value` as it is written in this notation.
    fn literal(self, value: &str) -> String {
        match self {
            Notation::Json => format!("\"{value}\""),
            Notation::Yaml => super::yaml::literal(value),
            Notation::Csv => super::csv::literal(value),
        }
    }

    /// `, in quotes` where text must be quoted.
    fn in_quotes(self) -> &'static str {
        match self {
            Notation::Json => ", in quotes",
            Notation::Yaml | Notation::Csv => "",
        }
    }

    /// How to add a missing member: `"field": ...` or `field: ...`.
    fn member(self, field: &str) -> String {
        match self {
            Notation::Json => format!("`\"{field}\": \"...\"`"),
            Notation::Yaml => format!("`{field}: ...`"),
            Notation::Csv => format!("a `{field}` column"),
        }
    }
}

/// An event's members in the order written, with their raw values. Keys
/// are borrowed from the input unless they hold escapes.
struct Members<'a>(Vec<(Key<'a>, &'a RawValue)>);

/// A member's name.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a name")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The members of a JSON object in the order written, with their raw
/// values (borrowed from `text`), or `None` when `text` is not an object.
pub(crate) fn object_members(text: &str) -> Option<Vec<(Cow<'_, str>, &RawValue)>> {
    let Members(members) = serde_json::from_str::<Members<'_>>(text).ok()?;
    Some(members.into_iter().map(|(k, v)| (k.0, v)).collect())
}

/// Members read by serde_json, as the borrowed pairs `scan::object` gives.
fn borrowed<'m>(members: &'m [(Key<'_>, &'m RawValue)]) -> Vec<(&'m str, &'m str)> {
    members
        .iter()
        .map(|(k, v)| (k.0.as_ref(), v.get()))
        .collect()
}

/// Where a raw value borrowed from `text` is written in it.
pub(crate) fn raw_span(text: &str, raw: &RawValue) -> Span {
    span_of(text, raw.get())
}

/// An event's members in their places: the reserved ones, each declared
/// field's, and those the type does not declare.
struct Placed<'p, 't> {
    kind: EventTypeId,
    decl: &'p EventDecl,
    type_name: &'p str,
    date_raw: Option<&'t str>,
    id_raw: Option<&'t str>,
    by_raw: Option<&'t str>,
    given: &'p [Option<&'t str>],
    extra: &'p [(&'t str, &'t str)],
}

/// What is known of the string values of an event's members.
#[derive(Clone, Copy)]
enum Strings {
    /// Read by `scan::object`: every string is plain text in quotes, with
    /// no escape to decode.
    Plain,
    /// Read by serde_json: a string may hold escapes.
    AsWritten,
}

impl Strings {
    /// The text of a string value, or `None` for any other value.
    fn of(self, raw: &str) -> Option<Cow<'_, str>> {
        match self {
            Strings::Plain => raw
                .strip_prefix('"')
                .and_then(|r| r.strip_suffix('"'))
                .map(Cow::Borrowed),
            Strings::AsWritten => string_of(raw),
        }
    }
}

/// The text of a JSON string value: borrowed when it has no escapes (the
/// common case, and no allocation), decoded otherwise.
pub(crate) fn string_of(raw: &str) -> Option<Cow<'_, str>> {
    if let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"'))
        && scan::special_byte(inner.as_bytes()).is_none()
    {
        return Some(Cow::Borrowed(inner));
    }
    serde_json::from_str::<String>(raw).ok().map(Cow::Owned)
}

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut members = Vec::with_capacity(16);
                while let Some((key, value)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
                    members.push((key, value));
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

/// What reading a JSON event file has found so far.
struct Found {
    events: Vec<Event>,
    diagnostics: Vec<Diagnostic>,
    /// Set when reading stopped at the problem limit, rather than at the
    /// end of the file or at a syntax error.
    stopped: bool,
}

/// Reads the events of a JSON array one at a time as the parser meets
/// them, so that memory holds the events and at most the problem limit of
/// diagnostics — never a list of every raw value, nor a diagnostic for each
/// of millions of bad ones.
struct EventList<'r, 'c, 't> {
    decoder: &'r Decoder<'c>,
    text: &'t str,
    found: &'r mut Found,
}

impl<'de, 'r, 'c> DeserializeSeed<'de> for EventList<'r, 'c, 'de> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, 'r, 'c> Visitor<'de> for EventList<'r, 'c, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        let max = self.decoder.max_problems.max(1);
        let mut index = 0;
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            match self.decoder.event(self.text, raw, index) {
                Ok(event) => self.found.events.push(event),
                Err(mut problems) => self.found.diagnostics.append(&mut problems),
            }
            index += 1;
            if self.found.diagnostics.len() >= max {
                self.found.stopped = true;
                return Err(serde::de::Error::custom("reading stopped"));
            }
        }
        Ok(())
    }
}

/// The object shape of a JSON event file, `{"events": [...]}`: other
/// members are skipped, as they always have been.
struct Wrapped<'r, 'c, 't>(EventList<'r, 'c, 't>);

impl<'de, 'r, 'c> DeserializeSeed<'de> for Wrapped<'r, 'c, 'de> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, 'r, 'c> Visitor<'de> for Wrapped<'r, 'c, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with an `events` array")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let Wrapped(list) = self;
        let mut seen = false;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if key.0 != "events" {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            if seen {
                return Err(serde::de::Error::duplicate_field("events"));
            }
            seen = true;
            map.next_value_seed(EventList {
                decoder: list.decoder,
                text: list.text,
                found: &mut *list.found,
            })?;
        }
        if seen {
            Ok(())
        } else {
            Err(serde::de::Error::missing_field("events"))
        }
    }
}

/// Where a raw value starts in the text it was borrowed from.
/// Where a value's text, a slice of `text`, starts in it.
fn offset_in(text: &str, raw: &str) -> usize {
    (raw.as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
}

fn span_of(text: &str, raw: &str) -> Span {
    let start = offset_in(text, raw);
    Span::new(start, start + raw.len())
}

impl<'c> Decoder<'c> {
    pub fn new(contract: &'c Checked) -> Self {
        Decoder {
            contract,
            notation: Notation::Json,
            max_problems: Limits::DEFAULT_MAX_DIAGNOSTICS,
        }
    }

    /// Stops reading a JSON or YAML file after `max` problems (NDJSON is
    /// read a line at a time, and its reader keeps its own count).
    pub fn with_max_problems(mut self, max: usize) -> Self {
        self.max_problems = max;
        self
    }

    /// This decoder, for the rows of a CSV file turned into JSON events:
    /// the same reading, messages in CSV's terms.
    pub(super) fn for_csv(&self) -> Self {
        Decoder {
            notation: Notation::Csv,
            ..*self
        }
    }

    /// The contract the events are decoded for.
    pub(super) fn contract(&self) -> &'c Checked {
        self.contract
    }

    /// A decoder for events written in YAML and already converted to JSON
    /// (`yaml::to_json`): the same reading, messages in YAML's terms.
    pub fn for_yaml(contract: &'c Checked) -> Self {
        Decoder {
            contract,
            notation: Notation::Yaml,
            max_problems: Limits::DEFAULT_MAX_DIAGNOSTICS,
        }
    }

    /// Reads a JSON event file: an array of events, or an object whose
    /// `events` member is one. Returns the valid events and a diagnostic
    /// for every invalid one.
    pub fn json(&self, text: &str) -> (Vec<Event>, Vec<Diagnostic>) {
        if text.trim().is_empty() {
            return (
                Vec::new(),
                vec![
                    Diagnostic::error(
                        Code::EventSyntax,
                        "the event file is empty",
                        Span::new(0, 0),
                        "no events",
                    )
                    .with_help("write `[]` for a history with no events, and give `--as-of`"),
                ],
            );
        }
        let mut found = Found {
            events: Vec::new(),
            diagnostics: Vec::new(),
            stopped: false,
        };
        let list = EventList {
            decoder: self,
            text,
            found: &mut found,
        };
        // The shape is told by the first character, so that a syntax error
        // is reported against the shape the file actually has.
        let mut reader = serde_json::Deserializer::from_str(text);
        let read = if text.trim_start().starts_with('{') {
            Wrapped(list).deserialize(&mut reader)
        } else {
            list.deserialize(&mut reader)
        }
        .and_then(|()| reader.end());
        match read {
            Ok(()) => {}
            Err(_) if found.stopped => {
                let count = found.diagnostics.len();
                if let Some(last) = found.diagnostics.last_mut() {
                    last.help = Some(format!(
                        "{}reading stopped after {count} problems",
                        last.help.take().map(|h| h + "; ").unwrap_or_default()
                    ));
                }
            }
            // A file that is not JSON is reported as that alone: what its
            // events would say is beside the point until it parses.
            Err(error) => return (Vec::new(), vec![json_error(text, &error, 0)]),
        }
        (found.events, found.diagnostics)
    }

    /// Reads a YAML event file: the same shapes as JSON (a list of events,
    /// or a mapping with an `events` list). Spans point into the YAML.
    pub fn yaml(&self, text: &str) -> (Vec<Event>, Vec<Diagnostic>) {
        let (json, map) = match super::yaml::to_json(text) {
            Ok(converted) => converted,
            Err(diagnostic) => return (Vec::new(), vec![diagnostic]),
        };
        let (mut events, mut diagnostics) = Decoder::for_yaml(self.contract)
            .with_max_problems(self.max_problems)
            .json(&json);
        for event in &mut events {
            event.span = map.to_yaml(event.span);
        }
        for diagnostic in &mut diagnostics {
            map.move_diagnostic(diagnostic);
            // The JSON is generated, so a problem with it is one of shape.
            if diagnostic.code == Code::EventSyntax {
                diagnostic.message = diagnostic
                    .message
                    .replace("is not valid JSON", "is not a list of events");
                diagnostic.help = Some(
                    "a YAML event file is a list of events, or a mapping with an `events` list"
                        .to_string(),
                );
            }
        }
        (events, diagnostics)
    }

    /// Reads one line of an NDJSON file. `text` is the line; spans are
    /// relative to it (the caller knows where the line is in the file).
    pub fn ndjson_line(&self, text: &str, seq: usize) -> Result<Event, Vec<Diagnostic>> {
        self.read_line(text, seq, true, Vec::new())
    }

    /// `ndjson_line`, the event's fields held in `fields` (an earlier
    /// event's list, emptied) instead of a list made for them: a stream
    /// of events then makes no list per event.
    pub fn ndjson_line_in(
        &self,
        text: &str,
        seq: usize,
        fields: Vec<Value>,
    ) -> Result<Event, Vec<Diagnostic>> {
        self.read_line(text, seq, true, fields)
    }

    /// `ndjson_line` with serde_json alone, without the one-pass reader:
    /// for the tests and the fuzzing that check the two read every line
    /// alike.
    #[doc(hidden)]
    pub fn ndjson_line_by_serde(&self, text: &str, seq: usize) -> Result<Event, Vec<Diagnostic>> {
        self.read_line(text, seq, false, Vec::new())
    }

    fn read_line(
        &self,
        text: &str,
        seq: usize,
        one_pass: bool,
        fields: Vec<Value>,
    ) -> Result<Event, Vec<Diagnostic>> {
        // The line is read once, straight into its members; only a line
        // that is not an object is read again, to say what it is instead.
        let mut fields = fields;
        if one_pass && let Some(read) = self.in_declared_order(text, seq, &mut fields) {
            return read;
        }
        let trimmed = text.trim();
        let start = text.len() - text.trim_start().len();
        let span = Span::new(start, start + trimmed.len());
        let mut room = [("", ""); scan::MAX_MEMBERS];
        if one_pass && let Some(members) = scan::object(text, &mut room) {
            return self.members(text, span, members, seq, Strings::Plain, fields);
        }
        match serde_json::from_str::<Members<'_>>(text) {
            Ok(Members(members)) => self.members(
                text,
                span,
                &borrowed(&members),
                seq,
                Strings::AsWritten,
                fields,
            ),
            Err(error) => match serde_json::from_str::<&RawValue>(text) {
                Ok(_) => Err(vec![not_an_object(span, self.notation)]),
                Err(_) => Err(vec![json_error(text, &error, 0)]),
            },
        }
    }

    /// Reads an event written exactly as its type is declared, the way
    /// programs write them: `{"type":T,"date":D,"id":I,"by":B,` and then
    /// each field in the order of the declaration, with nothing between
    /// the tokens (`id` may be left out, and `by` is there when the type
    /// records who performed it). Each name is compared with the one
    /// expected there instead of being read and looked up. `None` for any
    /// other line, or one with more fields than `given_room` holds, which
    /// `members` reads: the members land in the same places either way
    /// (no member given twice, none extra), so the event, or every
    /// diagnostic, is the same.
    fn in_declared_order(
        &self,
        text: &str,
        seq: usize,
        fields: &mut Vec<Value>,
    ) -> Option<Result<Event, Vec<Diagnostic>>> {
        let bytes = text.as_bytes();
        let at = scan::name_at(bytes, 0, b'{', "type")?;
        let (type_raw, at) = scan::value_at(text, at)?;
        let type_name = Strings::Plain.of(type_raw)?;
        let (kind, decl) = self.event_type_named(&type_name)?;
        let at = scan::name_at(bytes, at, b',', "date")?;
        let (date_raw, mut at) = scan::value_at(text, at)?;
        let mut id_raw = None;
        if let Some(start) = scan::name_at(bytes, at, b',', "id") {
            let (raw, end) = scan::value_at(text, start)?;
            id_raw = Some(raw);
            at = end;
        }
        let mut by_raw = None;
        if decl.has_actor {
            let start = scan::name_at(bytes, at, b',', "by")?;
            let (raw, end) = scan::value_at(text, start)?;
            by_raw = Some(raw);
            at = end;
        }
        let mut given_room = [None; 16];
        let given = given_room.get_mut(..decl.fields.len())?;
        for (field, place) in decl.fields.iter().zip(given.iter_mut()) {
            let start = scan::name_at(bytes, at, b',', &field.name.node)?;
            let (raw, end) = scan::value_at(text, start)?;
            *place = Some(raw);
            at = end;
        }
        if bytes.get(at..) != Some(b"}".as_slice()) {
            return None;
        }
        let placed = Placed {
            kind,
            decl,
            type_name: &type_name,
            date_raw: Some(date_raw),
            id_raw,
            by_raw,
            given,
            extra: &[],
        };
        let span = Span::new(0, text.len());
        let fields = std::mem::take(fields);
        Some(self.settle(text, span, placed, seq, Strings::Plain, Vec::new(), fields))
    }

    /// The event type named `name`, found by its place in the contract,
    /// which is its id (as the checker records it): a few short
    /// comparisons, cheaper than a search of the checker's map.
    fn event_type_named(&self, name: &str) -> Option<(EventTypeId, &'c EventDecl)> {
        let id = self
            .contract
            .file
            .events
            .iter()
            .position(|e| e.name.node == name)
            .map(EventTypeId::from_index)?;
        Some((id, self.contract.event_type(id)?))
    }

    fn event(&self, text: &str, raw: &RawValue, seq: usize) -> Result<Event, Vec<Diagnostic>> {
        let raw = raw.get();
        let span = span_of(text, raw);
        let mut room = [("", ""); scan::MAX_MEMBERS];
        if let Some(members) = scan::object(raw, &mut room) {
            return self.members(text, span, members, seq, Strings::Plain, Vec::new());
        }
        let Ok(Members(members)) = serde_json::from_str::<Members<'_>>(raw) else {
            return Err(vec![not_an_object(span, self.notation)]);
        };
        self.members(
            text,
            span,
            &borrowed(&members),
            seq,
            Strings::AsWritten,
            Vec::new(),
        )
    }

    fn members(
        &self,
        text: &str,
        span: Span,
        members: &[(&str, &str)],
        seq: usize,
        strings: Strings,
        fields: Vec<Value>,
    ) -> Result<Event, Vec<Diagnostic>> {
        let mut diagnostics = Vec::new();

        // The event's type decides everything else.
        let type_raw = members.iter().find(|(k, _)| *k == "type").map(|(_, v)| *v);
        let Some(type_raw) = type_raw else {
            return Err(vec![
                Diagnostic::error(
                    Code::InvalidEvent,
                    "the event has no `type`",
                    span,
                    "which kind of event is this?",
                )
                .with_help(format!(
                    "add {}, one of {}",
                    self.notation.member("type"),
                    self.event_list()
                )),
            ]);
        };
        let type_name = match strings.of(type_raw) {
            Some(name) => name,
            None => {
                return Err(vec![
                    wrong_kind(
                        text,
                        type_raw,
                        "`type`",
                        &format!("the name of an event type{}", self.notation.in_quotes()),
                        self.notation,
                    )
                    .with_help(format!("one of {}", self.event_list())),
                ]);
            }
        };
        let Some((kind, decl)) = self.event_type_named(&type_name) else {
            let mut diagnostic = Diagnostic::error(
                Code::UnknownEventType,
                format!("the contract declares no event `{type_name}`"),
                span_of(text, type_raw),
                "unknown event type",
            );
            let names: Vec<&str> = self
                .contract
                .file
                .events
                .iter()
                .map(|e| e.name.node.as_str())
                .collect();
            diagnostic = match closest(&type_name, names.iter().copied()) {
                Some(best) => diagnostic.with_suggestion(self.notation.literal(best)),
                None => {
                    diagnostic.with_help(format!("the contract declares {}", self.event_list()))
                }
            };
            return Err(vec![diagnostic]);
        };

        // One pass puts each member in its place: a reserved member, a
        // declared field, or an extra one. A place given twice is reported
        // (the first value is kept).
        let mut reserved: [Option<&str>; RESERVED_FIELDS.len()] = [None; 4];
        // The fields' places: on the stack for any ordinary event.
        let mut given_room = [None; 16];
        let mut given_heap;
        let given: &mut [Option<&str>] = match given_room.get_mut(..decl.fields.len()) {
            Some(room) => room,
            None => {
                given_heap = vec![None; decl.fields.len()];
                &mut given_heap
            }
        };
        let mut extra: Vec<(&str, &str)> = Vec::new();
        // Members are usually written in the order of the declaration
        // (`type`, `date`, `id`, `by`, then the fields): each is looked for
        // first just after the place of the one before it.
        let mut guess = 0;
        for &(key, value) in members {
            let first = match place_of(key, decl, guess) {
                Some(place) => {
                    guess = place + 1;
                    match place.checked_sub(RESERVED_FIELDS.len()) {
                        None => fill(reserved.get_mut(place), value),
                        Some(i) => fill(given.get_mut(i), value),
                    }
                }
                None if extra.iter().any(|(k, _)| *k == key) => false,
                None => {
                    extra.push((key, value));
                    true
                }
            };
            if !first {
                diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidEvent,
                        format!("the event gives `{key}` twice"),
                        span_of(text, value),
                        "given again here",
                    )
                    .with_help("keep one value per field"),
                );
            }
        }
        let [_, date_raw, id_raw, by_raw] = reserved;
        let placed = Placed {
            kind,
            decl,
            type_name: &type_name,
            date_raw,
            id_raw,
            by_raw,
            given,
            extra: &extra,
        };
        self.settle(text, span, placed, seq, strings, diagnostics, fields)
    }

    /// Checks and converts the values of an event whose members are in
    /// their places; `diagnostics` holds what placing them found, and
    /// `fields` (empty) is where the fields' values go.
    #[allow(clippy::too_many_arguments)]
    fn settle(
        &self,
        text: &str,
        span: Span,
        placed: Placed<'_, '_>,
        seq: usize,
        strings: Strings,
        mut diagnostics: Vec<Diagnostic>,
        mut fields: Vec<Value>,
    ) -> Result<Event, Vec<Diagnostic>> {
        let Placed {
            kind,
            decl,
            type_name,
            date_raw,
            id_raw,
            by_raw,
            given,
            extra,
        } = placed;

        let date = match date_raw {
            None => {
                diagnostics.push(missing(
                    span,
                    "date",
                    &format!(
                        "the day it happened, `{}`",
                        self.notation.literal("YYYY-MM-DD")
                    ),
                    self.notation,
                ));
                None
            }
            Some(raw) => match self.value(text, raw, &TypeName::Date, "date", None, strings) {
                Ok(Value::Date(d)) => Some(d),
                Ok(_) => None,
                Err(d) => {
                    diagnostics.push(d);
                    None
                }
            },
        };
        let id = match id_raw {
            None => None,
            Some(raw) => match strings.of(raw) {
                Some(id) => Some(SmolStr::new(id)),
                None => {
                    diagnostics.push(wrong_kind(
                        text,
                        raw,
                        "`id`",
                        &describe_type(&TypeName::Text, self.notation),
                        self.notation,
                    ));
                    None
                }
            },
        };
        let by = match (decl.has_actor, by_raw) {
            (true, None) => {
                diagnostics.push(missing(
                    span,
                    "by",
                    "the party that performed it",
                    self.notation,
                ));
                None
            }
            (true, Some(raw)) => match self.value(text, raw, &TypeName::Party, "by", None, strings)
            {
                Ok(Value::Party(p)) => Some(p),
                Ok(_) => None,
                Err(d) => {
                    diagnostics.push(d);
                    None
                }
            },
            (false, Some(raw)) => {
                diagnostics.push(
                    Diagnostic::error(
                        Code::UnexpectedField,
                        format!("`{type_name}` events do not record who performed them"),
                        span_of(text, raw),
                        "`by` is not expected here",
                    )
                    .with_help(format!(
                        "remove `by`, or declare the event as `event {type_name} by party {{ ... }}` in the contract"
                    )),
                );
                None
            }
            (false, None) => None,
        };

        fields.clear();
        fields.reserve_exact(decl.fields.len());
        for (index, (field, given)) in decl.fields.iter().zip(given.iter().copied()).enumerate() {
            match given {
                None => diagnostics.push(missing(
                    span,
                    &field.name.node,
                    &describe_type(&field.ty.node, self.notation),
                    self.notation,
                )),
                Some(raw) => match self.value(
                    text,
                    raw,
                    &field.ty.node,
                    &field.name.node,
                    self.contract.named_type(kind, index),
                    strings,
                ) {
                    Ok(value) => fields.push(value),
                    Err(d) => diagnostics.push(d),
                },
            }
        }
        for &(key, value) in extra {
            diagnostics.push(self.extra_field(text, key, value, decl));
        }
        match (date, diagnostics.is_empty()) {
            (Some(date), true) => Ok(Event {
                seq,
                kind,
                id,
                date,
                by,
                fields,
                span,
                looked_back: None,
            }),
            _ => Err(diagnostics),
        }
    }

    fn event_list(&self) -> String {
        let names: Vec<String> = self
            .contract
            .file
            .events
            .iter()
            .map(|e| format!("`{}`", e.name.node))
            .collect();
        names.join(", ")
    }

    fn extra_field(&self, text: &str, key: &str, value: &str, decl: &EventDecl) -> Diagnostic {
        let mut diagnostic = Diagnostic::error(
            Code::UnexpectedField,
            format!("`{}` events have no field `{key}`", decl.name.node),
            key_span(text, key, value),
            "not declared for this event",
        );
        // `{amount: USD 1,000.00}` in YAML's flow style: the comma ends the
        // field, leaving `USD 1` and a key `000.00` with no value.
        if self.notation == Notation::Yaml
            && key.starts_with(|c: char| c.is_ascii_digit())
            && value == "null"
        {
            return diagnostic.with_help(format!(
                "inside `{{...}}` a comma separates fields, so a number with a thousands comma is cut in two there and `{key}` read as a field; put the value in quotes (`amount: \"USD 1,000.00\"`), or write the event one field per line"
            ));
        }
        let names: Vec<&str> = decl.fields.iter().map(|f| f.name.node.as_str()).collect();
        diagnostic = match closest(key, names.iter().copied()) {
            Some(best) => diagnostic.with_suggestion(self.notation.literal(best)),
            None => {
                let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                diagnostic.with_help(format!(
                    "`{}` events have {}",
                    decl.name.node,
                    if list.is_empty() {
                        "no fields of their own".to_string()
                    } else {
                        list.join(", ")
                    }
                ))
            }
        };
        diagnostic
    }

    /// One value of a declared kind; `named` is what a `TypeName::Named`
    /// refers to.
    fn value(
        &self,
        text: &str,
        raw: &str,
        ty: &TypeName,
        field: &str,
        named: Option<NamedType>,
        strings: Strings,
    ) -> Result<Value, Diagnostic> {
        let span = span_of(text, raw);
        let raw_text = raw;
        let string = || strings.of(raw_text);
        let notation = self.notation;
        let wrong = || {
            wrong_kind(
                text,
                raw,
                &format!("`{field}`"),
                &describe_type(ty, notation),
                notation,
            )
        };
        match ty {
            TypeName::Money | TypeName::SignedMoney | TypeName::MoneyIn { .. } => {
                // The currency the field's amounts are in: its own, or the
                // contract's.
                let expected = match ty {
                    TypeName::MoneyIn { currency, .. } => Some(*currency),
                    _ => self.currency(),
                };
                if is_number(raw_text) {
                    let currency =
                        expected.map_or_else(|| "USD".to_string(), |c| c.as_str().to_string());
                    return Err(Diagnostic::error(
                        Code::MoneyAsNumber,
                        format!("`{field}` is money, but is written as a bare number"),
                        span,
                        match notation {
                            Notation::Json => {
                                "a number carries no currency, and JSON tools may round it"
                            }
                            Notation::Yaml | Notation::Csv => "a number carries no currency",
                        },
                    )
                    .with_suggestion(notation.literal(&format!("{currency} {raw_text}"))));
                }
                let s = string().ok_or_else(wrong)?;
                let signed = matches!(
                    ty,
                    TypeName::SignedMoney | TypeName::MoneyIn { signed: true, .. }
                );
                self.money(&s, span, field, signed, expected)
            }
            TypeName::Percent => {
                let s = string().ok_or_else(|| {
                    wrong().with_help(format!(
                        "write the percentage with its sign, such as `{}`",
                        notation.literal(&format!("{raw_text}%"))
                    ))
                })?;
                let number = s.trim().strip_suffix('%').ok_or_else(wrong)?.trim();
                let value = parse_number_text(number, span).map_err(|_| wrong())?;
                Ok(Value::Percent(value))
            }
            TypeName::Number | TypeName::Count => {
                if !is_number(raw_text) || raw_text.contains(['e', 'E']) {
                    // A number written as text, perhaps with thousands
                    // separators (`"60,000"`): say how to write it.
                    let bare = string_of(raw_text).map(|t| t.replace([',', '_'], ""));
                    if let Some(bare) = bare.filter(|b| is_number(b) && !b.contains(['e', 'E'])) {
                        return Err(wrong().with_help(format!(
                            "write the number bare, without quotes or separators: `{bare}`"
                        )));
                    }
                    return Err(wrong());
                }
                let value = Decimal::from_str_exact(raw_text).map_err(|_| {
                    Diagnostic::error(
                        Code::WrongValue,
                        format!("`{field}` is too large to hold exactly"),
                        span,
                        "more than 28 significant digits",
                    )
                })?;
                if *ty == TypeName::Count && !value.fract().is_zero() {
                    return Err(wrong_kind(
                        text,
                        raw,
                        &format!("`{field}`"),
                        "a whole number",
                        notation,
                    ));
                }
                Ok(Value::Number(value))
            }
            TypeName::Days => {
                let n: i64 = raw_text.parse().map_err(|_| {
                    wrong_kind(
                        text,
                        raw,
                        &format!("`{field}`"),
                        "a whole number of days",
                        notation,
                    )
                })?;
                Ok(Value::Days(n))
            }
            TypeName::Date => {
                let s = string().ok_or_else(|| {
                    // `20260801`: the digits of a date without its dashes.
                    let digits = (raw_text.len() == 8
                        && raw_text.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| {
                        format!(
                            "{}-{}-{}",
                            raw_text.get(..4).unwrap_or_default(),
                            raw_text.get(4..6).unwrap_or_default(),
                            raw_text.get(6..).unwrap_or_default()
                        )
                    })
                    .filter(|d| parse_date_text(d, span).is_ok());
                    match digits {
                        Some(date) => wrong().with_suggestion(notation.literal(&date)),
                        None => wrong(),
                    }
                })?;
                parse_date_text(&s, span)
                    .map(Value::Date)
                    .map_err(|d| d.with_related(span, format!("the `{field}` of this event")))
            }
            TypeName::Text => string()
                .map(|s| Value::Text(SmolStr::new(s)))
                .ok_or_else(|| match is_scalar(raw_text) {
                    // `ref: 1001`: meant as text, read as a number.
                    true => wrong().with_suggestion(format!("\"{raw_text}\"")),
                    false => wrong(),
                }),
            TypeName::Bool => match raw_text {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err(wrong()),
            },
            TypeName::Party => {
                let s = string().ok_or_else(wrong)?;
                match self
                    .contract
                    .file
                    .parties
                    .iter()
                    .position(|p| p.name.node == *s)
                {
                    Some(i) => Ok(Value::Party(PartyId::from_index(i))),
                    None => {
                        let names: Vec<&str> = self
                            .contract
                            .file
                            .parties
                            .iter()
                            .map(|p| p.name.node.as_str())
                            .collect();
                        if let Some(group) = self
                            .contract
                            .symbols
                            .groups
                            .get(s.as_ref())
                            .and_then(|&g| self.contract.group(g))
                        {
                            // An event names the one party that acted.
                            let members: Vec<String> = group
                                .members
                                .iter()
                                .map(|m| notation.literal(&m.node))
                                .collect();
                            return Err(Diagnostic::error(
                                Code::WrongValue,
                                format!("`{s}` is a group of parties, not a party"),
                                span,
                                "a group here",
                            )
                            .with_help(format!(
                                "an event names the one party it is about: write the member, such as {}",
                                members.join(" or ")
                            )));
                        }
                        Err(unknown_name(span, &s, "party", &names, notation))
                    }
                }
            }
            TypeName::Named(name) => {
                let s = string();
                let info = match named {
                    Some(NamedType::Category(category)) => {
                        let Some(category) = self.contract.category(category) else {
                            return Err(wrong());
                        };
                        let s = s.ok_or_else(wrong)?;
                        return match category.members.iter().position(|m| m.node == *s) {
                            Some(i) => Ok(Value::Member(i)),
                            None => {
                                let names: Vec<&str> =
                                    category.members.iter().map(|m| m.node.as_str()).collect();
                                Err(unknown_name(
                                    span,
                                    &s,
                                    &format!("`{name}`"),
                                    &names,
                                    notation,
                                ))
                            }
                        };
                    }
                    Some(NamedType::Period(info)) => info,
                    None => return Err(wrong()),
                };
                let Some(s) = s else {
                    // `year: 2026`: a period label read as a number.
                    return Err(match period::from_label(&info, raw_text) {
                        Some(_) if is_scalar(raw_text) => {
                            wrong().with_suggestion(format!("\"{raw_text}\""))
                        }
                        _ => wrong(),
                    });
                };
                period::from_label(&info, &s)
                    .map(Value::Period)
                    .ok_or_else(|| {
                        Diagnostic::error(
                            Code::WrongValue,
                            format!("`{s}` is not a `{name}`"),
                            span,
                            format!("expected {}", describe_type(ty, notation)),
                        )
                        .with_help(match info.base {
                            crate::ast::PeriodBase::Year => {
                                format!("write the year, such as `{}`", notation.literal("2026"))
                            }
                            crate::ast::PeriodBase::Quarter => format!(
                                "write the year and quarter, such as `{}`",
                                notation.literal("2026-Q1")
                            ),
                            crate::ast::PeriodBase::Month => format!(
                                "write the year and month, such as `{}`",
                                notation.literal("2026-03")
                            ),
                        })
                    })
            }
        }
    }

    pub(super) fn currency(&self) -> Option<Currency> {
        self.contract
            .file
            .header
            .as_ref()
            .and_then(|h| h.currency.as_ref())
            .map(|c| c.node)
    }

    /// `"USD 1,250,000.00"`
    /// An amount of money; below zero only when the field is `signed`.
    fn money(
        &self,
        text: &str,
        span: Span,
        field: &str,
        signed: bool,
        expected: Option<Currency>,
    ) -> Result<Value, Diagnostic> {
        let malformed = || {
            Diagnostic::error(
                Code::WrongValue,
                format!("`{text}` is not an amount of money"),
                span,
                format!("`{field}` is money"),
            )
            .with_help(format!(
                "write the currency code, a space and the amount: `{}`",
                self.notation.literal("USD 1,250,000.00")
            ))
        };
        let (code, amount) = text.trim().split_once(' ').ok_or_else(malformed)?;
        // The contract's own currency, the usual case, is known without a
        // search of the currency list.
        let currency = match expected {
            Some(expected) if expected.as_str() == code => expected,
            _ => parse_currency_code(code, span)?,
        };
        let amount = parse_number_text(amount.trim(), span).map_err(|d| {
            if d.code == Code::NumberTooLarge {
                Diagnostic {
                    primary: crate::diagnostics::Label {
                        span,
                        message: format!("`{field}` is too large"),
                    },
                    ..d
                }
            } else {
                malformed()
            }
        })?;
        if let Some(expected) = expected
            && expected != currency
        {
            let own = self.currency() != Some(expected);
            return Err(Diagnostic::error(
                Code::WrongCurrency,
                if own {
                    format!("`{field}` is in {currency}, but it is declared as money in {expected}")
                } else {
                    format!(
                        "`{field}` is in {currency}, but the contract's amounts are in {expected}"
                    )
                },
                span,
                format!("in {currency}"),
            )
            .with_help(if own {
                format!("record the amount in {expected}, as the event type declares")
            } else {
                format!(
                    "record the amount in {expected}; amounts in another currency need a field declared `money in {currency}`, converted where a rule uses them (`converted to {expected} at RATE`)"
                )
            }));
        }
        if !signed && amount.is_sign_negative() && !amount.is_zero() {
            return Err(Diagnostic::error(
                Code::WrongValue,
                format!("`{field}` is below zero: `{text}`"),
                span,
                format!("`{field}` is money, which is never below zero"),
            )
            .with_help(format!(
                "record a refund or a correction as its own event, or declare the field `{field}: signed money{}` if it may go below zero",
                match expected {
                    Some(own) if self.currency() != Some(own) => format!(" in {own}"),
                    Some(_) | None => String::new(),
                }
            )));
        }
        Ok(Value::Money(Money { currency, amount }))
    }
}

/// The place of a member named `key`: the index of a reserved member, or
/// `RESERVED_FIELDS.len()` plus the index of a declared field. `guess` is
/// looked at first.
fn place_of(key: &str, decl: &EventDecl, guess: usize) -> Option<usize> {
    let name = |place: usize| match place.checked_sub(RESERVED_FIELDS.len()) {
        None => RESERVED_FIELDS.get(place).copied(),
        Some(i) => decl.fields.get(i).map(|f| f.name.node.as_str()),
    };
    let is_key = |place: usize| name(place) == Some(key);
    if is_key(guess) {
        return Some(guess);
    }
    (0..RESERVED_FIELDS.len() + decl.fields.len()).find(|&place| is_key(place))
}

/// Puts `value` in an empty place; `false` when the place was taken.
fn fill<'v>(place: Option<&mut Option<&'v str>>, value: &'v str) -> bool {
    match place {
        Some(place) if place.is_some() => false,
        Some(place) => {
            *place = Some(value);
            true
        }
        None => true,
    }
}

/// A bare number or yes/no: what text written without quotes can be
/// mistaken for.
fn is_scalar(raw: &str) -> bool {
    is_number(raw) || raw == "true" || raw == "false"
}

fn is_number(raw: &str) -> bool {
    raw.starts_with(|c: char| c.is_ascii_digit() || c == '-')
}

/// The span of `"key"` before its value, or the value's when not found.
fn key_span(text: &str, key: &str, value: &str) -> Span {
    let value_start = offset_in(text, value);
    let quoted = format!("\"{key}\"");
    text.get(..value_start)
        .and_then(|before| before.rfind(&quoted))
        .map_or_else(
            || span_of(text, value),
            |start| Span::new(start, start + quoted.len()),
        )
}

fn describe_type(ty: &TypeName, notation: Notation) -> String {
    let json = notation == Notation::Json;
    let as_text = if json { " as text" } else { "" };
    let quotes = notation.in_quotes();
    match ty {
        TypeName::Money => format!(
            "money{as_text} with its currency, such as `{}`",
            notation.literal("USD 1,000.00")
        ),
        TypeName::MoneyIn {
            currency: c,
            signed: false,
        } => format!(
            "money in {c}{as_text}, such as `{}`",
            notation.literal(&format!("{c} 1,000.00"))
        ),
        TypeName::MoneyIn {
            currency: c,
            signed: true,
        } => format!(
            "money in {c}{as_text}, such as `{}` or `{}`",
            notation.literal(&format!("{c} 1,000.00")),
            notation.literal(&format!("{c} -250.00"))
        ),
        TypeName::SignedMoney => format!(
            "money{as_text} with its currency, such as `{}` or `{}`",
            notation.literal("USD 1,000.00"),
            notation.literal("USD -250.00")
        ),
        TypeName::Percent => format!(
            "a percentage{as_text}, such as `{}`",
            notation.literal("20%")
        ),
        TypeName::Number => "a number".into(),
        TypeName::Count => "a whole number".into(),
        TypeName::Days => "a whole number of days".into(),
        TypeName::Date => format!("a date{as_text}, `{}`", notation.literal("YYYY-MM-DD")),
        TypeName::Text if json => "text in quotes".into(),
        TypeName::Text => "text".into(),
        TypeName::Bool => "`true` or `false`".into(),
        TypeName::Party => format!("the name of a party{quotes}"),
        TypeName::Named(name) => format!("a `{name}`{quotes}"),
    }
}

fn missing(span: Span, field: &str, what: &str, notation: Notation) -> Diagnostic {
    Diagnostic::error(
        Code::MissingField,
        format!("the event has no `{field}`"),
        span,
        format!("`{field}` is missing from this event"),
    )
    .with_help(match notation {
        Notation::Json => format!("add `\"{field}\"`: {what}"),
        Notation::Yaml => format!("add `{field}:` and its value: {what}"),
        Notation::Csv => format!(
            "fill in the row's `{field}` cell, or add a column `{field}` if there is none: {what}"
        ),
    })
}

fn wrong_kind(text: &str, raw: &str, what: &str, expected: &str, notation: Notation) -> Diagnostic {
    // Text found in a YAML file is shown as YAML writes it, not as the
    // JSON it was converted to.
    let found = match (notation, string_of(raw)) {
        (Notation::Yaml, Some(s)) => super::yaml::literal(&s),
        (Notation::Csv, Some(s)) => super::csv::literal(&s),
        (Notation::Json | Notation::Yaml | Notation::Csv, _) => raw.to_string(),
    };
    Diagnostic::error(
        Code::WrongValue,
        format!("{what} should be {expected}"),
        span_of(text, raw),
        format!("found `{}`", shorten(&found)),
    )
}

fn unknown_name(
    span: Span,
    name: &str,
    what: &str,
    candidates: &[&str],
    notation: Notation,
) -> Diagnostic {
    let mut diagnostic = Diagnostic::error(
        Code::WrongValue,
        format!("`{name}` is not a {what}"),
        span,
        format!("no {what} has this name"),
    );
    diagnostic = match closest(name, candidates.iter().copied()) {
        Some(best) => diagnostic.with_suggestion(notation.literal(best)),
        None => {
            let list: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
            diagnostic.with_help(format!("one of {}", list.join(", ")))
        }
    };
    diagnostic
}

fn shorten(raw: &str) -> String {
    let mut chars = raw.chars();
    let head: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() {
        format!("{head}...")
    } else {
        head
    }
}

fn not_an_object(span: Span, notation: Notation) -> Diagnostic {
    match notation {
        Notation::Json => Diagnostic::error(
            Code::InvalidEvent,
            "an event must be an object",
            span,
            "not an object",
        )
        .with_help("write each event as `{\"type\": \"...\", \"date\": \"YYYY-MM-DD\", ...}`"),
        Notation::Yaml => Diagnostic::error(
            Code::InvalidEvent,
            "an event must be a mapping",
            span,
            "not a mapping",
        )
        .with_help("write each event as a mapping: `type: ...`, `date: YYYY-MM-DD` and its fields, one per line"),
        // A row always makes an object; kept for completeness.
        Notation::Csv => Diagnostic::error(
            Code::InvalidEvent,
            "a row must be an event",
            span,
            "not an event",
        )
        .with_help("write one event per row, under a header row naming the columns"),
    }
}

/// A JSON syntax error, pointed at its line and column.
fn json_error(text: &str, error: &serde_json::Error, base: usize) -> Diagnostic {
    let offset = line_column_offset(text, error.line(), error.column()) + base;
    let message = error.to_string();
    let reason = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    Diagnostic::error(
        Code::EventSyntax,
        format!("the event file is not valid JSON: {reason}"),
        Span::new(offset, (offset + 1).min(base + text.len()).max(offset)),
        "here",
    )
    .with_help("an event file is a JSON array of events, or an object with an `events` array; NDJSON files (`.ndjson`) hold one event per line")
}

fn line_column_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    (line_start + column.saturating_sub(1)).min(text.len())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use jiff::civil::date;

    use super::*;
    use crate::eval::PeriodValue;
    use crate::{Limits, SourceFile};

    fn flagship() -> Checked {
        let text = include_str!("../../contracts/microsoft-openai-2025.proviso");
        let outcome = crate::check_source(&SourceFile::new("flagship", text), &Limits::default());
        outcome.checked.expect("the flagship checks")
    }

    fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
        diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    /// Every event of the flagship's history and of the broken event
    /// files, one per line as NDJSON writes them (and once more with
    /// spaces): the lines the readers are compared on.
    fn sample_lines() -> Vec<String> {
        let mut lines = Vec::new();
        let files = [
            include_str!("../../contracts/events/microsoft-openai-2025.json"),
            include_str!("../../tests/events/duplicate-member.json"),
            include_str!("../../tests/events/unexpected-field.json"),
            include_str!("../../tests/events/money-as-number.json"),
            include_str!("../../tests/events/null-value.json"),
            include_str!("../../tests/events/text-as-number.json"),
            include_str!("../../tests/events/invalid-quarter.json"),
            include_str!("../../tests/events/negative-amount.json"),
        ];
        for file in files {
            let value: serde_json::Value = serde_json::from_str(file).expect("JSON");
            let events = match &value {
                serde_json::Value::Array(events) => events.clone(),
                serde_json::Value::Object(o) => o
                    .get("events")
                    .and_then(|e| e.as_array())
                    .cloned()
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            for event in events {
                lines.extend(in_declared_order(&event));
                lines.push(serde_json::to_string(&event).expect("JSON"));
                lines.push(
                    serde_json::to_string_pretty(&event)
                        .expect("JSON")
                        .replace('\n', " "),
                );
            }
        }
        // Written by hand: what serialising a value never gives.
        lines.extend(
            [
                r#"{"type":"serve","date":"2026-03-01","by":"openai","by":"microsoft"}"#,
                r#"{"type":"pay\u006Dent","date":"2026-03-01"}"#,
                r#" {"date":"2026-03-01","type":"buy_compute","amount":"USD 1,000.00","by":"openai","provider":"azure"} "#,
                r#"{"type":"buy_compute","date":"2026-03-01","by":"openai","provider":"azure","amount":"USD 1,00.00"}"#,
                r#"{"type":"buy_compute","date":"2026-03-01","by":"openai","provider":"azure","amount":"EUR 5"}"#,
                r#"{"type":"buy_compute","date":"2026-03-01","by":"openai","provider":"azure","amount":1000}"#,
                "[]",
                "{}",
                "",
            ]
            .map(String::from),
        );
        lines
    }

    /// An event's line with its members in the order its type declares
    /// them (`type`, `date`, `id`, `by`, the fields, then any other), as
    /// programs write events: serialising a `serde_json::Value` sorts
    /// them by name instead. `None` for an event of no declared type.
    fn in_declared_order(event: &serde_json::Value) -> Option<String> {
        let object = event.as_object()?;
        let contract = flagship();
        let kind = object.get("type")?.as_str()?;
        let decl = contract.file.events.iter().find(|e| e.name.node == kind)?;
        let mut order: Vec<&str> = RESERVED_FIELDS.to_vec();
        order.extend(decl.fields.iter().map(|f| f.name.node.as_str()));
        let mut members: Vec<String> = order
            .iter()
            .filter_map(|name| {
                let value = object.get(*name)?;
                Some(format!("{}:{value}", serde_json::Value::from(*name)))
            })
            .collect();
        members.extend(
            object
                .iter()
                .filter(|(name, _)| !order.contains(&name.as_str()))
                .map(|(name, value)| format!("{}:{value}", serde_json::Value::from(name.as_str()))),
        );
        Some(format!("{{{}}}", members.join(",")))
    }

    #[test]
    fn most_sample_lines_are_read_in_declared_order() {
        let contract = flagship();
        let decoder = Decoder::new(&contract);
        let lines = sample_lines();
        let read = lines
            .iter()
            .filter(|line| {
                decoder
                    .in_declared_order(line, 0, &mut Vec::new())
                    .is_some()
            })
            .count();
        // The flagship's events, each in declared order, and the broken
        // files' events that hold no extra member; never a line with
        // space between its tokens (the pretty-printed ones).
        assert!(read * 5 > lines.len(), "{read} of {}", lines.len());
        for line in lines.iter().filter(|line| line.contains("\": ")) {
            assert!(
                decoder
                    .in_declared_order(line, 0, &mut Vec::new())
                    .is_none(),
                "{line}"
            );
        }
    }

    /// An event read into an earlier event's list holds its own fields
    /// only, whatever the list held or could hold.
    #[test]
    fn a_reused_list_of_fields_reads_as_a_new_one() {
        let contract = flagship();
        let decoder = Decoder::new(&contract);
        for line in sample_lines() {
            for room in [
                Vec::new(),
                vec![Value::Bool(true); 9],
                Vec::with_capacity(1),
            ] {
                assert_eq!(
                    decoder.ndjson_line_in(&line, 3, room),
                    decoder.ndjson_line(&line, 3),
                    "{line}"
                );
            }
        }
    }

    #[test]
    fn one_pass_and_serde_json_read_every_line_alike() {
        let contract = flagship();
        let decoder = Decoder::new(&contract);
        for line in sample_lines() {
            assert_eq!(
                decoder.ndjson_line(&line, 3),
                decoder.ndjson_line_by_serde(&line, 3),
                "{line}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// A line with one character changed, added or removed reads
        /// alike too, whatever the change breaks.
        #[test]
        fn one_pass_and_serde_json_read_broken_lines_alike(
            pick in 0usize..1000,
            at in 0usize..400,
            change in 0u8..3,
            with in proptest::sample::select(vec!['"', '\\', ',', ':', '{', '}', '[', ' ', '0', '9', '-', '.', 'e', 'a', 'n', 't', '\u{1}', '\n', 'é']),
        ) {
            static SAMPLES: std::sync::OnceLock<(Checked, Vec<String>)> = std::sync::OnceLock::new();
            let (contract, lines) = SAMPLES.get_or_init(|| (flagship(), sample_lines()));
            let mut line = lines.get(pick % lines.len()).cloned().unwrap_or_default();
            let mut at = at % (line.len() + 1);
            while !line.is_char_boundary(at) {
                at -= 1;
            }
            match change {
                0 => line.insert(at, with),
                1 if at < line.len() => {
                    line.remove(at);
                }
                _ => {
                    if at < line.len() {
                        line.remove(at);
                    }
                    line.insert(at, with);
                }
            }
            let decoder = Decoder::new(contract);
            proptest::prop_assert_eq!(
                decoder.ndjson_line(&line, 3),
                decoder.ndjson_line_by_serde(&line, 3),
                "{}", line
            );
        }
    }

    #[test]
    fn reads_both_shapes_exactly() {
        let contract = flagship();
        let decoder = Decoder::new(&contract);
        let list = r#"[
          {"type": "report_revenue", "date": "2026-04-20", "by": "openai", "quarter": "2026-Q1", "amount": "USD 1,250,000.10"},
          {"type": "serve", "date": "2026-05-01", "id": "s-1", "by": "openai", "product": "gpt-x api",
           "kind": "api_product", "cloud": "aws", "customer": "us_national_security", "with_third_party": true}
        ]"#;
        let (events, diagnostics) = decoder.json(list);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(events.len(), 2);
        let revenue = &events[0];
        assert_eq!(revenue.date, date(2026, 4, 20));
        assert_eq!(revenue.by, contract.symbols.parties.get("openai").copied());
        // The quarter named in the field, not the one the report is dated in.
        assert_eq!(
            revenue.fields[0],
            Value::Period(PeriodValue {
                first: date(2026, 1, 1),
                last: date(2026, 3, 31)
            })
        );
        assert_eq!(
            revenue.fields[1],
            Value::Money(Money {
                currency: Currency(*b"USD"),
                amount: Decimal::from_str("1250000.10").unwrap()
            })
        );
        let serve = &events[1];
        assert_eq!(serve.seq, 1);
        assert_eq!(serve.id.as_deref(), Some("s-1"));
        // `aws` is the second member of `cloud`; `us_national_security` the second of `customer_kind`.
        assert_eq!(serve.fields[2], Value::Member(1));
        assert_eq!(serve.fields[3], Value::Member(1));
        assert_eq!(serve.fields[4], Value::Bool(true));

        // The same events in the object shape, eleven bytes further on.
        let wrapped = format!("{{\"events\": {list}}}");
        let shifted: Vec<Event> = events
            .iter()
            .cloned()
            .map(|mut e| {
                e.span = Span::new(e.span.start + 11, e.span.end + 11);
                e
            })
            .collect();
        assert_eq!(decoder.json(&wrapped).0, shifted);
    }

    #[test]
    fn money_as_a_number_is_refused_with_the_string_to_write() {
        let contract = flagship();
        let (events, diagnostics) = Decoder::new(&contract).json(
            r#"[{"type": "pay", "date": "2026-05-15", "by": "openai", "to": "microsoft", "amount": 250000.10}]"#
                .replace("\"pay\"", "\"payment\"")
                .as_str(),
        );
        assert!(events.is_empty());
        assert_eq!(codes(&diagnostics), ["E0607"]);
        assert_eq!(
            diagnostics[0]
                .suggestion
                .as_ref()
                .map(|s| s.replacement.as_str()),
            Some("\"USD 250000.10\"")
        );
    }

    #[test]
    fn every_problem_of_an_event_is_reported_with_its_place() {
        let contract = flagship();
        let text = "[\n  {\"type\": \"serve\", \"date\": \"2026-02-30\", \"by\": \"opnai\",\n   \"product\": \"x\", \"kind\": \"api\", \"cloud\": \"aws\",\n   \"customer\": \"commercial\", \"with_third_party\": \"yes\", \"colour\": \"red\"}\n]";
        let (events, diagnostics) = Decoder::new(&contract).json(text);
        assert!(events.is_empty());
        assert_eq!(
            codes(&diagnostics),
            ["E0103", "E0606", "E0606", "E0606", "E0605"]
        );
        // The impossible date points at its own text: line 2, where two
        // spaces, `{"type": "serve", ` (18 characters) and `"date": `
        // (8) come before it, so it starts in column 29.
        let source = SourceFile::new("events.json", text);
        let date_at = source.position(diagnostics[0].primary.span.start);
        assert_eq!((date_at.line, date_at.column), (2, 29));
        // The misspelt party gets a suggestion.
        assert_eq!(
            diagnostics[1]
                .suggestion
                .as_ref()
                .map(|s| s.replacement.as_str()),
            Some("\"openai\"")
        );
    }

    #[test]
    fn unknown_types_missing_fields_and_other_currencies() {
        let contract = flagship();
        let decoder = Decoder::new(&contract);
        let (_, d) = decoder.json(r#"[{"type": "relase", "date": "2026-01-01"}]"#);
        assert_eq!(codes(&d), ["E0603"]);
        assert_eq!(
            d[0].suggestion.as_ref().map(|s| s.replacement.as_str()),
            Some("\"release\"")
        );
        let (_, d) =
            decoder.json(r#"[{"type": "buy_compute", "date": "2026-01-01", "by": "openai"}]"#);
        assert_eq!(codes(&d), ["E0604", "E0604"]);
        let (_, d) = decoder.json(
            r#"[{"type": "buy_compute", "date": "2026-01-01", "by": "openai", "provider": "azure", "amount": "EUR 5"}]"#,
        );
        assert_eq!(codes(&d), ["E0608"]);
        let (_, d) = decoder.json(
            r#"[{"type": "buy_compute", "date": "2026-01-01", "by": "openai", "provider": "azure", "amount": "USX 5"}]"#,
        );
        assert_eq!(codes(&d), ["E0107"]);
        let (_, d) = decoder.json(r#"[{"date": "2026-01-01"}, 7]"#);
        assert_eq!(codes(&d), ["E0602", "E0602"]);
        let (_, d) = decoder.json("[{\"type\": \"serve\",,}]");
        assert_eq!(codes(&d), ["E0601"]);
    }

    #[test]
    fn a_number_written_as_text_says_how_to_write_it() {
        let text = "contract \"S\" effective 2026-01-01 term through 2027-12-31\nparty buyer \"B\"\nevent order by party { units: number }\n";
        let outcome = crate::check_source(&SourceFile::new("s", text), &Limits::default());
        let contract = outcome.checked.expect("the contract checks");
        let (_, d) = Decoder::new(&contract)
            .json(r#"[{"type": "order", "date": "2026-06-01", "by": "buyer", "units": "60,000"}]"#);
        assert_eq!(codes(&d), ["E0606"]);
        assert_eq!(
            d[0].help.as_deref(),
            Some("write the number bare, without quotes or separators: `60000`")
        );
    }

    #[test]
    fn a_thousands_comma_inside_a_yaml_flow_mapping_is_explained() {
        let contract = flagship();
        let text = "- {type: buy_compute, date: 2026-05-10, by: openai, provider: azure, amount: USD 1,000.00}\n";
        let (events, d) = Decoder::new(&contract).yaml(text);
        assert!(events.is_empty());
        assert_eq!(codes(&d), ["E0605"]);
        assert_eq!(d[0].message, "`buy_compute` events have no field `000.00`");
        let at = d[0].primary.span;
        assert_eq!(&text[at.start..at.end], "000.00");
        let help = d[0].help.as_deref().unwrap_or_default();
        assert!(help.contains("put the value in quotes"), "{help}");
        // Quoted, or in JSON, the same amount is one value.
        let quoted = text.replace("USD 1,000.00", "\"USD 1,000.00\"");
        assert_eq!(Decoder::new(&contract).yaml(&quoted).1.len(), 0);
    }

    #[test]
    fn ndjson_lines_decode_one_at_a_time() {
        let contract = flagship();
        let decoder = Decoder::new(&contract);
        let event = decoder
            .ndjson_line(
                r#"{"type": "declare_agi", "date": "2030-01-02", "by": "openai"}"#,
                41,
            )
            .expect("valid");
        assert_eq!(event.seq, 41);
        assert!(decoder.ndjson_line("{\"type\": ", 0).is_err());
    }
}

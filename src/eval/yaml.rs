//! YAML event files, read by turning them into the JSON the decoder knows,
//! with a map from every value of that JSON back to where it is written in
//! the YAML, so that a diagnostic points at the YAML the person wrote.
//!
//! Plain scalars are typed as YAML 1.2's core schema says (`true`, `12`,
//! `~`); quoted and block scalars are text. An amount must therefore be
//! written as text (`amount: USD 1,250.00`), never as a bare number, just
//! as in JSON. Aliases (`*name`) are refused: an event file has no need of
//! them, and expanding them is how a small YAML file can become a huge one.

use saphyr_parser::{Event as YamlEvent, Parser, ScalarStyle};

use crate::ast::Span;
use crate::diagnostics::{Code, Diagnostic};

/// The deepest nesting of lists and mappings accepted. Events and
/// scenarios need three or four levels; the limit keeps a file of nested
/// dashes from costing memory out of proportion to its size.
const MAX_DEPTH: usize = 64;

/// Where each value of the generated JSON is written in the YAML.
#[derive(Debug, Default)]
pub struct SpanMap {
    /// (JSON start, JSON end, YAML start, YAML end), by JSON start. Four
    /// 32-bit offsets, because there is an entry for every value and key:
    /// event files are limited far below 4 GiB, and the map is most of the
    /// memory a YAML file takes beyond its own text.
    entries: Vec<(u32, u32, u32, u32)>,
}

impl SpanMap {
    /// A map with room for `entries` keys and values.
    pub(super) fn with_capacity(entries: usize) -> Self {
        SpanMap {
            entries: Vec::with_capacity(entries),
        }
    }

    pub(super) fn record(
        &mut self,
        json_start: usize,
        json_end: usize,
        yaml_start: usize,
        yaml_end: usize,
    ) {
        let narrow = |offset: usize| u32::try_from(offset).unwrap_or(u32::MAX);
        self.entries.push((
            narrow(json_start),
            narrow(json_end),
            narrow(yaml_start),
            narrow(yaml_end),
        ));
    }

    /// The YAML text a span of the generated JSON stands for: the value it
    /// starts at, or else the innermost value that holds it.
    pub fn to_yaml(&self, span: Span) -> Span {
        let wide = |offset: u32| usize::try_from(offset).unwrap_or(usize::MAX);
        let after = self.entries.partition_point(|e| wide(e.0) <= span.start);
        let exact = self
            .entries
            .get(..after)
            .unwrap_or_default()
            .iter()
            .rev()
            .take_while(|e| wide(e.0) == span.start)
            .min_by_key(|e| wide(e.1).abs_diff(span.end));
        let found = exact.or_else(|| {
            self.entries
                .get(..after)
                .unwrap_or_default()
                .iter()
                .rev()
                .find(|e| wide(e.1) >= span.end)
        });
        match found {
            Some(&(_, _, start, end)) => Span::new(wide(start), wide(end)),
            None => Span::new(0, 0),
        }
    }

    /// Moves every span of a diagnostic from the JSON to the YAML.
    pub fn move_diagnostic(&self, diagnostic: &mut Diagnostic) {
        diagnostic.primary.span = self.to_yaml(diagnostic.primary.span);
        for label in &mut diagnostic.related {
            label.span = self.to_yaml(label.span);
        }
        if let Some(suggestion) = &mut diagnostic.suggestion {
            suggestion.span = self.to_yaml(suggestion.span);
        }
    }
}

/// Byte offsets of character indices, for markers that count characters.
/// The parser's markers move forward through the file, now and then a few
/// characters back (a collection's end is marked after the next token has
/// been read), so each is found by walking from the one before: reading a
/// file costs time in proportion to its length, never to its square.
struct CharOffsets<'t> {
    text: &'t str,
    /// A character index and the byte offset where it starts, always a
    /// true pair (`chars` is never past the end of the text).
    chars: usize,
    bytes: usize,
}

impl CharOffsets<'_> {
    fn byte(&mut self, char_index: usize) -> usize {
        if char_index < self.chars {
            let before = self.text.get(..self.bytes).unwrap_or_default();
            let back = self.chars - char_index;
            match before.char_indices().rev().nth(back - 1) {
                Some((offset, _)) => {
                    self.bytes = offset;
                    self.chars = char_index;
                    return offset;
                }
                None => {
                    self.bytes = 0;
                    self.chars = 0;
                }
            }
        }
        let rest = self.text.get(self.bytes..).unwrap_or_default();
        let skip = char_index - self.chars;
        match rest.char_indices().nth(skip) {
            Some((offset, _)) => {
                self.bytes += offset;
                self.chars = char_index;
            }
            None => {
                // Past the end: stop at the end, counting what is there.
                self.chars += rest.chars().count();
                self.bytes = self.text.len();
            }
        }
        self.bytes
    }
}

enum Frame {
    Sequence {
        first: bool,
        json_start: usize,
        yaml_start: usize,
    },
    Mapping {
        first: bool,
        expect_key: bool,
        json_start: usize,
        yaml_start: usize,
    },
}

fn refusal(message: impl Into<String>, span: Span, label: &str, help: &str) -> Diagnostic {
    Diagnostic::error(Code::EventSyntax, message, span, label).with_help(help)
}

/// Turns a YAML event file into JSON text and the map back.
pub fn to_json(text: &str) -> Result<(String, SpanMap), Diagnostic> {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut map = SpanMap::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut offsets = CharOffsets {
        text,
        chars: 0,
        bytes: 0,
    };
    let mut documents = 0;
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|error| {
            let at = offsets.byte(error.marker().index());
            refusal(
                format!("the event file is not valid YAML: {}", error.info()),
                Span::new(at, (at + 1).min(text.len()).max(at)),
                "here",
                "a YAML event file is a list of events, or a mapping with an `events` list",
            )
        })?;
        let start = offsets.byte(span.start.index());
        let end = trim_end(text, start, offsets.byte(span.end.index()));
        let here = Span::new(start, end);
        match event {
            YamlEvent::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(refusal(
                        "the event file holds more than one YAML document",
                        here,
                        "a second document starts here",
                        "put every event in one list, in one document",
                    ));
                }
            }
            YamlEvent::Alias(_) => {
                return Err(refusal(
                    "aliases are not read in event files",
                    here,
                    "this alias",
                    "write the value out in full where the alias stands",
                ));
            }
            YamlEvent::Scalar(value, style, _, tag) => {
                if let Some(Frame::Mapping {
                    first, expect_key, ..
                }) = stack.last_mut()
                    && *expect_key
                {
                    if !*first {
                        out.push(',');
                    }
                    *first = false;
                    *expect_key = false;
                    let json_start = out.len();
                    out.push_str(&serde_json::to_string(value.as_ref()).unwrap_or_default());
                    map.record(json_start, out.len(), start, end);
                    out.push(':');
                    continue;
                }
                // `!!str` says "this is text"; any other tag (`!!binary`,
                // `!!python/object`, `!custom`) asks for a kind of value an
                // event has not, and is refused rather than read as text.
                if let Some(tag) = &tag
                    && !(tag.is_yaml_core_schema() && tag.suffix == "str")
                {
                    let written = if tag.is_yaml_core_schema() {
                        format!("!!{}", tag.suffix)
                    } else {
                        tag.to_string()
                    };
                    return Err(refusal(
                        format!("the tag `{written}` is not read in event files"),
                        here,
                        "this tag",
                        "write the value without a tag (or with `!!str` to make it text)",
                    ));
                }
                separate(&mut out, &mut stack);
                let json_start = out.len();
                let as_text = tag.is_some() || style != ScalarStyle::Plain;
                out.push_str(&scalar_json(value.as_ref(), as_text));
                map.record(json_start, out.len(), start, end);
            }
            YamlEvent::SequenceStart(..) | YamlEvent::MappingStart(..) => {
                if let Some(Frame::Mapping {
                    expect_key: true, ..
                }) = stack.last()
                {
                    return Err(refusal(
                        "a key in the event file is not a name",
                        here,
                        "a list or mapping used as a key",
                        "keys are field names such as `type`, `date` or `amount`",
                    ));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(refusal(
                        format!("the file nests lists and mappings more than {MAX_DEPTH} deep"),
                        here,
                        "too deep",
                        "an event is a mapping of fields, and a file a list of events: nothing in it needs to nest deeper",
                    ));
                }
                separate(&mut out, &mut stack);
                let json_start = out.len();
                if matches!(event, YamlEvent::SequenceStart(..)) {
                    out.push('[');
                    stack.push(Frame::Sequence {
                        first: true,
                        json_start,
                        yaml_start: start,
                    });
                } else {
                    out.push('{');
                    stack.push(Frame::Mapping {
                        first: true,
                        expect_key: true,
                        json_start,
                        yaml_start: start,
                    });
                }
            }
            YamlEvent::SequenceEnd | YamlEvent::MappingEnd => {
                let (json_start, yaml_start) = match stack.pop() {
                    Some(Frame::Sequence {
                        json_start,
                        yaml_start,
                        ..
                    }) => {
                        out.push(']');
                        (json_start, yaml_start)
                    }
                    Some(Frame::Mapping {
                        json_start,
                        yaml_start,
                        ..
                    }) => {
                        out.push('}');
                        (json_start, yaml_start)
                    }
                    None => continue,
                };
                // A block collection ends where the next token starts.
                let end = trim_end(text, yaml_start, offsets.byte(span.end.index()));
                map.record(json_start, out.len(), yaml_start, end);
            }
            YamlEvent::Nothing
            | YamlEvent::StreamStart
            | YamlEvent::StreamEnd
            | YamlEvent::DocumentEnd => {}
        }
    }
    // Containers are recorded when they close: order all by where they start.
    map.entries
        .sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    Ok((out, map))
}

/// The end of a span without the blanks and line breaks before it.
fn trim_end(text: &str, start: usize, end: usize) -> usize {
    let end = end.max(start);
    let trimmed = text.get(start..end).map_or(0, |t| t.trim_end().len());
    start + trimmed
}

/// Writes the separator before a value, and notes that a mapping's value
/// has been given (the next scalar is a key again).
fn separate(out: &mut String, stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Sequence { first, .. }) => {
            if !*first {
                out.push(',');
            }
            *first = false;
        }
        Some(Frame::Mapping { expect_key, .. }) => *expect_key = true,
        None => {}
    }
}

/// How `value` is best written in YAML: as it is when YAML reads it back
/// as that text, in double quotes when it would be read as something else
/// (`2026` a number, `true` a yes/no) or could not be written plainly
/// everywhere (a comma or a bracket ends a value inside `{...}`).
pub fn literal(value: &str) -> String {
    const INDICATORS: &[char] = &[
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@',
        '`',
    ];
    let plain = !value.is_empty()
        && value.trim() == value
        && !value.starts_with(INDICATORS)
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.contains(['\n', '\r', '\t', ',', '[', ']', '{', '}'])
        && scalar_json(value, false).starts_with('"');
    if plain {
        value.to_string()
    } else {
        serde_json::to_string(value).unwrap_or_default()
    }
}

/// A scalar as JSON: text when quoted or tagged; otherwise typed by the
/// core schema (null, true/false, numbers), and text when it is none of them.
fn scalar_json(value: &str, as_text: bool) -> String {
    let text = || serde_json::to_string(value).unwrap_or_default();
    if as_text {
        return text();
    }
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return "null".to_string(),
        "true" | "True" | "TRUE" => return "true".to_string(),
        "false" | "False" | "FALSE" => return "false".to_string(),
        _ => {}
    }
    match core_number(value) {
        Some(number) => number,
        None => text(),
    }
}

/// A plain scalar the core schema reads as a number, written as JSON.
fn core_number(value: &str) -> Option<String> {
    let unsigned = value.strip_prefix(['+', '-']).unwrap_or(value);
    let negative = value.starts_with('-');
    let digits_only = |s: &str, radix: u32| !s.is_empty() && s.chars().all(|c| c.is_digit(radix));
    if let Some(hex) = unsigned.strip_prefix("0x") {
        if !digits_only(hex, 16) {
            return None;
        }
        let n = i128::from_str_radix(hex, 16).ok()?;
        return Some(if negative {
            format!("-{n}")
        } else {
            n.to_string()
        });
    }
    if let Some(octal) = unsigned.strip_prefix("0o") {
        if !digits_only(octal, 8) {
            return None;
        }
        let n = i128::from_str_radix(octal, 8).ok()?;
        return Some(if negative {
            format!("-{n}")
        } else {
            n.to_string()
        });
    }
    // [0-9]+(.[0-9]*)?([eE][-+]?[0-9]+)?  or  .[0-9]+(...)
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (unsigned.get(..i)?, Some(unsigned.get(i + 1..)?)),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (mantissa, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let ok_whole = whole.is_empty() || digits(whole);
    let ok_fraction = fraction.is_none_or(|f| f.is_empty() || digits(f));
    let has_digits = digits(whole) || fraction.is_some_and(digits);
    let ok_exponent = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    if !(ok_whole && ok_fraction && has_digits && ok_exponent) {
        return None;
    }
    // As JSON: no leading `+`, a digit before and after the point.
    let whole = whole.trim_start_matches('0');
    let mut json = String::new();
    if negative {
        json.push('-');
    }
    json.push_str(if whole.is_empty() { "0" } else { whole });
    if let Some(f) = fraction.filter(|f| !f.is_empty()) {
        json.push('.');
        json.push_str(f);
    }
    if let Some(e) = exponent {
        json.push('e');
        json.push_str(e);
    }
    Some(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_of_events_becomes_json_with_spans_back() {
        let yaml = "- type: payment\n  date: 2026-05-10\n  amount: USD 2,000,000.00\n  paid: true\n  count: 12\n";
        let (json, map) = to_json(yaml).unwrap();
        assert_eq!(
            json,
            r#"[{"type":"payment","date":"2026-05-10","amount":"USD 2,000,000.00","paid":true,"count":12}]"#
        );
        // The JSON value of `date` points back at the YAML's `2026-05-10`.
        let at = json.find("\"2026-05-10\"").unwrap();
        let span = map.to_yaml(Span::new(at, at + 12));
        assert_eq!(&yaml[span.start..span.end], "2026-05-10");
        // The event object points back at the whole mapping.
        let span = map.to_yaml(Span::new(1, json.len() - 1));
        assert!(yaml[span.start..span.end].starts_with("type: payment"));
        assert!(
            yaml[span.start..span.end].ends_with("count: 12"),
            "{:?}",
            &yaml[span.start..span.end]
        );
    }

    #[test]
    fn plain_scalars_follow_the_core_schema_and_quoted_ones_are_text() {
        let cases = [
            ("12", "12"),
            ("-0.50", "-0.50"),
            ("+7", "7"),
            (".5", "0.5"),
            ("1.", "1"),
            ("0x1F", "31"),
            ("0o17", "15"),
            ("1e3", "1e3"),
            ("~", "null"),
            ("True", "true"),
            ("2026-04-20", "\"2026-04-20\""),
            ("USD 5", "\"USD 5\""),
            (".inf", "\".inf\""),
            ("-0x-5", "\"-0x-5\""),
            ("0o+7", "\"0o+7\""),
        ];
        for (plain, json) in cases {
            assert_eq!(scalar_json(plain, false), json, "{plain}");
        }
        assert_eq!(scalar_json("12", true), "\"12\"");
    }

    #[test]
    fn aliases_and_second_documents_and_bad_yaml_are_refused_with_a_place() {
        let alias = "- &a {type: payment}\n- *a\n";
        let d = to_json(alias).unwrap_err();
        assert_eq!(&alias[d.primary.span.start..d.primary.span.end], "*a");

        let two = "- {type: payment}\n---\n- {type: payment}\n";
        assert!(to_json(two).unwrap_err().message.contains("more than one"));

        let broken = "- type: payment\n  date: [2026\n";
        let d = to_json(broken).unwrap_err();
        assert!(d.message.starts_with("the event file is not valid YAML"));
        assert!(d.primary.span.start <= broken.len());
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused() {
        let deep = "- ".repeat(MAX_DEPTH + 1) + "x\n";
        assert!(to_json(&deep).unwrap_err().message.contains("nests"));
        let fine = "- ".repeat(MAX_DEPTH - 1) + "x\n";
        assert!(to_json(&fine).is_ok());
    }

    #[test]
    fn values_are_quoted_only_when_yaml_would_misread_them() {
        assert_eq!(literal("openai"), "openai");
        assert_eq!(literal("USD 1250000.00"), "USD 1250000.00");
        assert_eq!(literal("USD 1,250,000.00"), "\"USD 1,250,000.00\"");
        assert_eq!(literal("2026-Q1"), "2026-Q1");
        assert_eq!(literal("20%"), "20%");
        assert_eq!(literal("2026"), "\"2026\"");
        assert_eq!(literal("true"), "\"true\"");
        assert_eq!(literal(""), "\"\"");
        assert_eq!(literal("- x"), "\"- x\"");
        assert_eq!(literal("a: b"), "\"a: b\"");
    }

    #[test]
    fn char_offsets_agree_with_counting_from_the_start_in_any_order() {
        let text = "a\u{e9}\u{20ac}b\u{1f600}c\n\u{e9}";
        let reference = |index: usize| {
            text.char_indices()
                .nth(index)
                .map_or(text.len(), |(offset, _)| offset)
        };
        let mut offsets = CharOffsets {
            text,
            chars: 0,
            bytes: 0,
        };
        for index in [3, 1, 5, 5, 0, 7, 12, 2, 9, 4, 20, 6, 0] {
            assert_eq!(offsets.byte(index), reference(index), "character {index}");
        }
    }

    #[test]
    fn markers_counted_in_characters_become_byte_offsets() {
        let yaml = "- {type: payment, note: \"é€\", date: 2026-01-02}\n";
        let (json, map) = to_json(yaml).unwrap();
        let at = json.find("\"2026-01-02\"").unwrap();
        let span = map.to_yaml(Span::new(at, at + 12));
        assert_eq!(&yaml[span.start..span.end], "2026-01-02");
    }
}

//! User text shown to people: contract wording, event ids and values,
//! file names. Such text may hold control characters (an escape sequence
//! that clears the screen or fakes a coloured line, a newline that forges
//! a report line) or bidirectional controls that make text read
//! differently from what it says (Trojan Source). Wherever it is printed
//! for people it goes through here; JSON keeps the exact text.

use std::borrow::Cow;

/// Whether a character changes the direction text is shown in: the
/// embedding, override and isolate controls (U+202A–U+202E,
/// U+2066–U+2069), and the marks U+200E, U+200F and U+061C.
pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Whether a character must not reach a terminal as it is: C0 controls
/// (a tab aside), DEL, C1 controls, and direction controls.
fn is_hazardous(c: char) -> bool {
    (c.is_control() && c != '\t') || is_direction_control(c)
}

/// Text for people, on one line: each hazardous character (a newline too)
/// written as an escape, `\u{1b}`, so that it is seen and does nothing.
pub fn for_people(text: &str) -> Cow<'_, str> {
    escaped(text, is_hazardous)
}

/// `text` with each character for which `hazardous` holds written as an
/// escape, `\u{1b}`.
fn escaped(text: &str, hazardous: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&hazardous) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hazardous(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for people over several lines: as [`for_people`], but each line
/// break (`\n`) kept as one. Only for text whose line breaks are its own
/// lines, such as a file's lines in a diff: user text set into a line (a
/// heading, a file's name) goes through [`for_people`] first, or a line
/// break in it would start a forged line.
pub fn lines_for_people(text: &str) -> Cow<'_, str> {
    escaped(text, |c| is_hazardous(c) && c != '\n')
}

/// A whole file's text for quoting in a diagnostic: line breaks and tabs
/// kept, every other hazardous character replaced by a visible one of the
/// same length in bytes, so that positions in the file still hold.
pub fn quotable(text: &str) -> Cow<'_, str> {
    let hazardous = |c: char| is_hazardous(c) && !matches!(c, '\n' | '\r');
    if !text.chars().any(hazardous) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if hazardous(c) {
            // One byte: `?`; two (C1 controls): `¤`; three (direction
            // controls): U+FFFD.
            out.push(match c.len_utf8() {
                1 => '?',
                2 => '¤',
                _ => '\u{FFFD}',
            });
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The name of a direction control, for a diagnostic.
pub fn direction_control_name(c: char) -> &'static str {
    match c {
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{200E}' => "LEFT-TO-RIGHT MARK",
        '\u{200F}' => "RIGHT-TO-LEFT MARK",
        '\u{061C}' => "ARABIC LETTER MARK",
        _ => "DIRECTION CONTROL",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_for_people_and_replaced_in_place_for_quoting() {
        let forged = "PO-1\u{1b}[2J\nFAKE: all DISCHARGED\u{202e}";
        assert_eq!(
            for_people(forged),
            "PO-1\\u{1b}[2J\\u{a}FAKE: all DISCHARGED\\u{202e}"
        );
        let quoted = quotable(forged);
        assert_eq!(quoted.len(), forged.len());
        assert_eq!(quoted, "PO-1?[2J\nFAKE: all DISCHARGED\u{FFFD}");
        assert_eq!(for_people("plain text, USD 1,000"), "plain text, USD 1,000");
        assert_eq!(quotable("a\tb\r\n\u{85}c"), "a\tb\r\n¤c");
        assert_eq!(
            lines_for_people(forged),
            "PO-1\\u{1b}[2J\nFAKE: all DISCHARGED\\u{202e}"
        );
        assert_eq!(lines_for_people("a\tb\r\nc\n"), "a\tb\\u{d}\nc\n");
    }
}

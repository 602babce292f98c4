//! A one-pass reader for the JSON object an event is written as.
//!
//! Nearly every event line is a flat object of plain members: names without
//! escapes, values that are strings, numbers, `true`, `false` or `null`.
//! Such an object is split here in a single pass over its bytes, into
//! members borrowed from the text, with no allocation — the work serde_json
//! would do for it, without building a map or a value per member.
//!
//! Anything out of the ordinary (an escape in a name or a value, a nested
//! array or object, more members than fit, a syntax error) makes `object`
//! answer `None`, and the caller reads the text with serde_json instead. The
//! two readers therefore agree by construction: what this one accepts, it
//! splits exactly as serde_json's `RawValue` would (the value's own text,
//! quotes included, without the whitespace around it); everything else,
//! and every syntax error with its position, is serde_json's.

/// The most members an object may have to be read here; an event with more
/// is read by serde_json.
pub(super) const MAX_MEMBERS: usize = 24;

/// Room for an object's members: each name (without its quotes) and its
/// value's text, both borrowed from the input. The caller keeps it on its
/// stack, so that reading an event allocates nothing.
pub(super) type Members<'a> = [(&'a str, &'a str); MAX_MEMBERS];

/// The members of `text`, in the order written, when it is a single JSON
/// object of plain members with nothing but JSON whitespace around it;
/// `None` otherwise.
pub(super) fn object<'a, 'm>(
    text: &'a str,
    room: &'m mut Members<'a>,
) -> Option<&'m [(&'a str, &'a str)]> {
    let mut cursor = Cursor {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    let mut len = 0;
    cursor.space();
    cursor.expect(b'{')?;
    cursor.space();
    if cursor.peek() == Some(b'}') {
        cursor.at += 1;
    } else {
        loop {
            let name = cursor.string()?;
            // The name without its quotes, as serde_json gives it.
            let name = name.get(1..name.len().saturating_sub(1))?;
            cursor.space();
            cursor.expect(b':')?;
            cursor.space();
            let value = cursor.value()?;
            *room.get_mut(len)? = (name, value);
            len += 1;
            cursor.space();
            match cursor.peek()? {
                b',' => {
                    cursor.at += 1;
                    cursor.space();
                }
                b'}' => {
                    cursor.at += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    cursor.space();
    if cursor.at == text.len() {
        room.get(..len)
    } else {
        None
    }
}

/// Where a member written as `{"NAME":` (`opening` is `{`) or `,"NAME":`
/// (`,`) at `at` in `bytes` ends; `None` when the bytes there are not that.
// Inlined always: with a constant name (`date`, `id`, `by`) the comparison
// becomes a few integer tests instead of a call to `memcmp`.
#[inline(always)]
pub(super) fn name_at(bytes: &[u8], at: usize, opening: u8, name: &str) -> Option<usize> {
    let name_end = at.checked_add(2)?.checked_add(name.len())?;
    let end = name_end.checked_add(2)?;
    let matches = bytes.get(at) == Some(&opening)
        && bytes.get(at + 1) == Some(&b'"')
        && bytes.get(at + 2..name_end) == Some(name.as_bytes())
        && bytes.get(name_end..end) == Some(b"\":".as_slice());
    matches.then_some(end)
}

/// The value written at `at` in `text`, as `object` reads a member's
/// value (a plain string with its quotes, a number, `true`, `false` or
/// `null`), and where it ends.
pub(super) fn value_at(text: &str, at: usize) -> Option<(&str, usize)> {
    let bytes = text.as_bytes();
    // Nearly every value is a string: read it here, as `Cursor::string`
    // does, without setting up a cursor.
    if bytes.get(at) == Some(&b'"') {
        let start = at + 1;
        let body = bytes.get(start..)?;
        let length = special_byte(body)?;
        if body.get(length) != Some(&b'"') {
            return None;
        }
        let end = start + length + 1;
        return Some((text.get(at..end)?, end));
    }
    let mut cursor = Cursor { text, bytes, at };
    let value = cursor.value()?;
    Some((value, cursor.at))
}

/// Where the first byte that ends plain string text is: a quotation mark,
/// a backslash or a control character.
///
/// Eight bytes are tested at once, as one `u64` (the rest of the line is
/// nearly always that long, so even a two-letter name costs one test);
/// the few bytes at the end of the text are tested one by one.
pub(super) fn special_byte(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let word: [u8; 8] = word.try_into().ok()?;
        let found = special_in(u64::from_le_bytes(word));
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| ends_plain(b))
        .map(|i| at + i)
}

/// The high bit of each byte of `word` (read little-endian, so the first
/// byte is the lowest) that ends plain text, exact for the first such byte.
///
/// The classic test for a zero byte, `(x - 0x01…) & !x & 0x80…`, flags
/// every zero byte, and may also flag a byte above one (the subtraction
/// borrows from it) but never one below: so the lowest flag is exact. A
/// quotation mark or backslash is a zero byte of `word` xor that byte
/// repeated; a control character (below 0x20) is found the same way with
/// 0x20 subtracted, which flags a byte below 0x20 and none of 0x80 or
/// above (their high bit is cleared by `!x`).
fn special_in(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let quote = word ^ (ONES * b'"' as u64);
    let backslash = word ^ (ONES * b'\\' as u64);
    let zero = |x: u64| x.wrapping_sub(ONES) & !x;
    let control = word.wrapping_sub(ONES * 0x20) & !word;
    (zero(quote) | zero(backslash) | control) & HIGH
}

/// Whether a byte cannot be part of a string's text as written, unescaped.
fn ends_plain(byte: u8) -> bool {
    ENDS_PLAIN.get(usize::from(byte)) == Some(&true)
}

/// `ends_plain` for each byte: one load instead of three comparisons.
// Indexing in a constant is checked when the program is built: an index
// out of range fails the build, and cannot fail at run time.
#[allow(clippy::indexing_slicing)]
static ENDS_PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// JSON's whitespace: space, tab, line feed and carriage return.
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// A value's text: a string (with its quotes), a number, `true`,
    /// `false` or `null`.
    fn value(&mut self) -> Option<&'a str> {
        match self.peek()? {
            b'"' => self.string(),
            b'-' | b'0'..=b'9' => self.number(),
            b't' => self.word("true"),
            b'f' => self.word("false"),
            b'n' => self.word("null"),
            _ => None,
        }
    }

    /// A string without escapes or control characters, quotes included.
    fn string(&mut self) -> Option<&'a str> {
        let start = self.at;
        self.expect(b'"')?;
        let body = self.bytes.get(self.at..)?;
        let length = special_byte(body)?;
        if body.get(length) != Some(&b'"') {
            return None;
        }
        self.at += length + 1;
        self.text.get(start..self.at)
    }

    /// A number as JSON writes it: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Option<&'a str> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            self.some_digits()?;
        }
        self.text.get(start..self.at)
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
    }

    /// At least one digit.
    fn some_digits(&mut self) -> Option<()> {
        let start = self.at;
        self.digits();
        (self.at > start).then_some(())
    }

    fn word(&mut self, word: &'static str) -> Option<&'a str> {
        let end = self.at + word.len();
        let found = self.text.get(self.at..end).filter(|w| *w == word)?;
        self.at = end;
        Some(found)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use proptest::prelude::*;

    use super::{object, special_byte};
    use crate::eval::decode::object_members;

    /// What serde_json makes of `text` as an object: each name and the text
    /// of its raw value, in the order written.
    fn by_serde(text: &str) -> Option<Vec<(String, String)>> {
        let members = object_members(text)?;
        Some(
            members
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.get().to_string()))
                .collect(),
        )
    }

    fn by_scan(text: &str) -> Option<Vec<(String, String)>> {
        let mut room = [("", ""); super::MAX_MEMBERS];
        let members = object(text, &mut room)?;
        Some(
            members
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn splits_an_event_as_serde_json_does() {
        for text in [
            r#"{"type":"serve","date":"2026-01-01","id":"s-1","by":"openai","n":12,"x":-0.5e+3,"ok":true,"no":false,"z":null}"#,
            "  { \"a\" : \"b\" ,\t\"c\":1 }\r\n",
            "{}",
            " {\n} ",
            r#"{"a":"é – “quoted”"}"#,
            r#"{"a":0,"b":0.25,"c":1E9,"d":-0}"#,
        ] {
            let scanned = by_scan(text).unwrap_or_else(|| panic!("not read: {text}"));
            assert_eq!(Some(scanned), by_serde(text), "{text}");
        }
    }

    #[test]
    fn leaves_the_unusual_to_serde_json() {
        for text in [
            // Escapes, nesting and control characters.
            r#"{"a\"b":1}"#,
            r#"{"a":"line\nbreak"}"#,
            "{\"a\":\"tab\tinside\"}",
            r#"{"a":[1]}"#,
            r#"{"a":{"b":1}}"#,
            // Not JSON.
            r#"{"a":01}"#,
            r#"{"a":1.}"#,
            r#"{"a":.5}"#,
            r#"{"a":1e}"#,
            r#"{"a":-}"#,
            r#"{"a":tru}"#,
            r#"{"a":1,}"#,
            r#"{"a" 1}"#,
            r#"{"a":1} x"#,
            r#"{"a":1"#,
            r#"["a"]"#,
            "",
            "\u{a0}{}",
        ] {
            assert!(by_scan(text).is_none(), "{text}");
        }
        // More members than fit.
        let many: Vec<String> = (0..40).map(|i| format!("\"m{i}\":{i}")).collect();
        assert!(by_scan(&format!("{{{}}}", many.join(","))).is_none());
    }

    #[test]
    fn finds_the_first_special_byte() {
        for (text, expected) in [
            ("", None),
            ("plain", None),
            ("plain text, longer than eight bytes", None),
            ("\"", Some(0)),
            ("abcdefgh\"", Some(8)),
            ("abcdefghijklmno\\p\"", Some(15)),
            ("abc\u{1}defghijk", Some(3)),
            ("é – “quoted” ü\"", Some("é – “quoted” ü".len())),
            ("\u{7f}\u{80}", None),
        ] {
            assert_eq!(special_byte(text.as_bytes()), expected, "{text:?}");
        }
    }

    #[test]
    fn keeps_duplicate_members_in_order() {
        let mut room = [("", ""); super::MAX_MEMBERS];
        let members = object(r#"{"a":1,"a":2}"#, &mut room).unwrap();
        assert_eq!(members, &[("a", "1"), ("a", "2")]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// Testing eight bytes at a time finds what testing each byte
        /// against the table finds, whatever the bytes (every byte value,
        /// special ones often, at every position in a word).
        #[test]
        fn finds_what_a_byte_by_byte_search_finds(
            bytes in proptest::collection::vec(
                prop_oneof![
                    any::<u8>(),
                    Just(b'"'),
                    Just(b'\\'),
                    0u8..0x20,
                    0x20u8..0x23,
                    0x7fu8..0x82,
                    Just(0x5b),
                    Just(0x5d),
                ],
                0..40,
            )
        ) {
            let byte_by_byte = bytes.iter().position(|&b| super::ends_plain(b));
            prop_assert_eq!(special_byte(&bytes), byte_by_byte);
        }

        /// Whatever the text, an object this reader splits is split the
        /// same way by serde_json.
        #[test]
        fn never_disagrees_with_serde_json(
            text in r#"[ {}\[\]":,a-c0-9.eE+\-tfrulsn\\\t\n\x01é]{0,40}"#
        ) {
            if let Some(scanned) = by_scan(&text) {
                prop_assert_eq!(Some(scanned), by_serde(&text), "{}", text);
            }
        }

        /// Generated flat objects are all read here, as serde_json reads them.
        #[test]
        fn reads_every_plain_object(
            members in proptest::collection::vec(
                ("[a-z_]{1,8}", prop_oneof![
                    "\"[ -!#-\\[\\]-~é€]{0,12}\"",
                    "-?(0|[1-9][0-9]{0,6})(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?",
                    Just("true".to_string()),
                    Just("false".to_string()),
                    Just("null".to_string()),
                ], "[ \t]{0,2}"),
                0..20,
            )
        ) {
            let body: Vec<String> = members
                .iter()
                .map(|(k, v, space)| format!("{space}\"{k}\"{space}:{space}{v}{space}"))
                .collect();
            let text = format!("{{{}}}", body.join(","));
            let scanned = by_scan(&text);
            prop_assert!(scanned.is_some(), "{}", text);
            prop_assert_eq!(scanned, by_serde(&text), "{}", text);
        }
    }
}

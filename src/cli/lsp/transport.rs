//! The protocol's base layer, read by hand: each message is a header
//! (lines `Name: value`, each ended by `\r\n`, then an empty line) and a
//! body of `Content-Length` bytes of JSON. The header's size and the body's
//! are bounded before anything is kept, so a length an editor (or anything
//! else) declares is never allocated on trust; the input ending in the
//! middle of a message, or a header that cannot be read, is a [`Broken`]
//! stream that ends the server, since the next message cannot be found. A
//! body that is read whole but is not a message ([`Incoming::NotJson`],
//! [`Incoming::NotAMessage`]) leaves the stream in step: it is answered
//! with an error and the server goes on. Messages are written as
//! `lsp-server` writes them.

use std::fmt;
use std::io::{self, BufRead, Read, Write};

use lsp_server::{Message, RequestId};
use proviso::Limits;

/// The largest body accepted: room for a clause file at its size limit
/// (8 MiB) sent as JSON text with every byte escaped as `\u0001` (six
/// bytes), and the message around it.
pub const MAX_BODY_BYTES: usize = 8 * Limits::DEFAULT_MAX_FILE_BYTES;

/// The largest header accepted, its lines and the empty line after them
/// (a header is a line or two of a few dozen bytes).
pub const MAX_HEADER_BYTES: usize = 8 * 1024;

/// What the editor sent next.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// A body that is not JSON text (not UTF-8, or not JSON), and why.
    NotJson(String),
    /// JSON that is not a request, a response or a notification, with
    /// the id it gives, if any.
    NotAMessage(Option<RequestId>),
    /// The input ended between two messages.
    End,
}

/// A stream in which the next message cannot be found.
#[derive(Debug)]
pub enum Broken {
    /// Standard input could not be read.
    Unreadable(io::Error),
    /// A header line ended with `\n` alone.
    LineFeedOnly,
    /// The header ran past [`MAX_HEADER_BYTES`] without its empty line.
    HeaderTooLong,
    /// A header line that is not `Name: value` (as written, shortened).
    NotAHeader(String),
    NoContentLength,
    /// A `Content-Length` that is not a number of bytes (as written).
    NotALength(String),
    /// A `Content-Length` over the limit (as written), and the limit.
    TooLong(String, usize),
    /// The input ended inside a header.
    EndInHeader,
    /// The input ended inside a body: its length, and the bytes that came.
    EndInBody {
        length: usize,
        came: usize,
    },
}

/// A broken stream, and the message (counted from 1) in which it broke.
#[derive(Debug)]
pub struct Problem {
    pub message: u64,
    pub broken: Broken,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.message;
        match &self.broken {
            Broken::Unreadable(error) => {
                write!(f, "standard input could not be read (message {n}): {error}")
            }
            Broken::LineFeedOnly => write!(
                f,
                "a header line of message {n} ends with a line feed alone; the protocol ends \
                 each header line with a carriage return and a line feed (\\r\\n)"
            ),
            Broken::HeaderTooLong => write!(
                f,
                "the header of message {n} runs past {MAX_HEADER_BYTES} bytes without the empty \
                 line that ends it"
            ),
            Broken::NotAHeader(line) => write!(
                f,
                "message {n} has a header line that is not `Name: value`: {line:?}"
            ),
            Broken::NoContentLength => write!(
                f,
                "message {n} has no Content-Length header, so where its body ends is not known"
            ),
            Broken::NotALength(value) => write!(
                f,
                "the Content-Length of message {n} is not a number of bytes: {value:?}"
            ),
            Broken::TooLong(value, max) => {
                write!(
                    f,
                    "message {n} has a Content-Length of {value} bytes, more than the {max} bytes"
                )?;
                if max % (1024 * 1024) == 0 {
                    write!(f, " ({} MiB)", max / (1024 * 1024))?;
                }
                write!(f, " a message may have")
            }
            Broken::EndInHeader => {
                write!(
                    f,
                    "the input ended in the middle of the header of message {n}"
                )
            }
            Broken::EndInBody { length, came } => write!(
                f,
                "the input ended {came} bytes into the body of message {n}, whose Content-Length \
                 is {length}"
            ),
        }
    }
}

/// Text from the input, shortened for a message.
fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}...", text.get(..at).unwrap_or("")),
        None => text.into_owned(),
    }
}

/// Messages read one after another from a byte stream.
pub struct Reader<R> {
    input: R,
    /// The messages begun so far.
    count: u64,
    max_body: usize,
}

impl<R: BufRead> Reader<R> {
    pub fn new(input: R) -> Reader<R> {
        Reader::with_limit(input, MAX_BODY_BYTES)
    }

    fn with_limit(input: R, max_body: usize) -> Reader<R> {
        Reader {
            input,
            count: 0,
            max_body,
        }
    }

    /// The number of messages begun: the one last read is that one.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The next message, or why the stream cannot go on.
    pub fn read(&mut self) -> Result<Incoming, Problem> {
        self.count += 1;
        let message = self.count;
        self.read_message()
            .map_err(|broken| Problem { message, broken })
    }

    fn read_message(&mut self) -> Result<Incoming, Broken> {
        let Some(length) = self.read_header()? else {
            return Ok(Incoming::End);
        };
        // Read as it comes, never allocated ahead: a body shorter than it
        // says costs what came.
        let mut body = Vec::new();
        let came = (&mut self.input)
            .take(u64::try_from(length).unwrap_or(u64::MAX))
            .read_to_end(&mut body)
            .map_err(Broken::Unreadable)?;
        if came < length {
            return Err(Broken::EndInBody { length, came });
        }
        Ok(decode(&body))
    }

    /// The body's length from the header, or nothing when the input ended
    /// before a new message began.
    fn read_header(&mut self) -> Result<Option<usize>, Broken> {
        let mut length = None;
        let mut read = 0usize;
        let mut line = Vec::new();
        loop {
            line.clear();
            let room = MAX_HEADER_BYTES.saturating_sub(read);
            let n = (&mut self.input)
                .take(u64::try_from(room).unwrap_or(u64::MAX))
                .read_until(b'\n', &mut line)
                .map_err(Broken::Unreadable)?;
            read += n;
            if n == 0 && read == 0 {
                return Ok(None);
            }
            let Some(text) = line.strip_suffix(b"\n") else {
                return Err(if n == room {
                    Broken::HeaderTooLong
                } else {
                    Broken::EndInHeader
                });
            };
            let Some(text) = text.strip_suffix(b"\r") else {
                return Err(Broken::LineFeedOnly);
            };
            if text.is_empty() {
                break;
            }
            let Some((name, value)) = std::str::from_utf8(text)
                .ok()
                .and_then(|t| t.split_once(':'))
                .map(|(name, value)| (name.trim(), value.trim()))
                .filter(|(name, _)| {
                    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                })
            else {
                return Err(Broken::NotAHeader(shown(text)));
            };
            if name.eq_ignore_ascii_case("Content-Length") {
                length = Some(body_length(value, self.max_body)?);
            }
        }
        length.map(Some).ok_or(Broken::NoContentLength)
    }
}

/// A `Content-Length` value read: a number of bytes up to the limit.
fn body_length(value: &str, max: usize) -> Result<usize, Broken> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Broken::NotALength(shown(value.as_bytes())));
    }
    match value.parse::<usize>() {
        Ok(length) if length <= max => Ok(length),
        // Digits only: too many of them for a number of bytes.
        Ok(_) | Err(_) => Err(Broken::TooLong(shown(value.as_bytes()), max)),
    }
}

/// A body read whole, as a message.
fn decode(body: &[u8]) -> Incoming {
    if let Err(error) = std::str::from_utf8(body) {
        return Incoming::NotJson(format!(
            "it is not UTF-8 text (byte {} is not)",
            error.valid_up_to()
        ));
    }
    match serde_json::from_slice::<Message>(body) {
        Ok(message) => Incoming::Message(message),
        Err(_) => match serde_json::from_slice::<serde_json::Value>(body) {
            Err(error) => Incoming::NotJson(format!("it is not JSON: {error}")),
            Ok(value) => Incoming::NotAMessage(
                value
                    .get("id")
                    .and_then(|id| serde_json::from_value(id.clone()).ok()),
            ),
        },
    }
}

/// Writes a message as `lsp-server` does: a `Content-Length` header, the
/// JSON body, flushed.
pub fn write(mut output: &mut dyn Write, message: &Message) -> io::Result<()> {
    message.write(&mut output)
}

/// Writes an error answering a message whose id could not be read: the
/// id is `null`, as JSON-RPC says (which `lsp-server`'s messages cannot
/// hold).
pub fn write_error_without_id(output: &mut dyn Write, code: i32, text: &str) -> io::Result<()> {
    let body = serde_json::to_vec(&serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": code, "message": text },
    }))?;
    write!(output, "Content-Length: {}\r\n\r\n", body.len())?;
    output.write_all(&body)?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn read_all(input: &[u8], max: usize) -> (Vec<Incoming>, Option<Problem>) {
        let mut reader = Reader::with_limit(input, max);
        let mut read = Vec::new();
        loop {
            match reader.read() {
                Ok(Incoming::End) => return (read, None),
                Ok(incoming) => read.push(incoming),
                Err(problem) => return (read, Some(problem)),
            }
        }
    }

    fn broken(input: &[u8]) -> String {
        let (_, problem) = read_all(input, MAX_BODY_BYTES);
        problem.map(|p| p.to_string()).unwrap_or_default()
    }

    const EXIT: &str = r#"{"jsonrpc":"2.0","method":"exit"}"#;

    #[test]
    fn messages_are_read_one_after_another_whatever_the_other_headers() {
        let input = format!(
            "{}Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length:{}\r\n\r\n{EXIT}",
            framed(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#),
            EXIT.len()
        );
        let (read, problem) = read_all(input.as_bytes(), MAX_BODY_BYTES);
        assert!(problem.is_none(), "{problem:?}");
        assert!(matches!(&read[..], [
            Incoming::Message(Message::Request(r)),
            Incoming::Message(Message::Notification(n)),
        ] if r.method == "shutdown" && n.method == "exit"));
    }

    #[test]
    fn a_body_at_the_limit_is_read_and_one_byte_more_is_refused_before_it_is_read() {
        let at_limit = framed(EXIT);
        let (read, problem) = read_all(at_limit.as_bytes(), EXIT.len());
        assert!(problem.is_none() && read.len() == 1);
        let (_, problem) = read_all(at_limit.as_bytes(), EXIT.len() - 1);
        assert!(
            matches!(problem, Some(Problem { message: 1, broken: Broken::TooLong(ref v, _) }) if *v == EXIT.len().to_string())
        );
    }

    #[test]
    fn a_header_that_cannot_be_read_breaks_the_stream_and_says_why() {
        let too_long = format!("{}\r\n\r\n{{}}", "x".repeat(MAX_HEADER_BYTES));
        let no_end = format!("X-Padding: {}", "x".repeat(2 * MAX_HEADER_BYTES));
        for (input, says) in [
            (
                "Content-Length: 18446744073709551615\r\n\r\n{}",
                "more than the 67108864 bytes",
            ),
            (
                "Content-Length: 99999999999999999999999\r\n\r\n{}",
                "Content-Length of 99999999999999999999999 bytes",
            ),
            (
                "Content-Length: 1000000000000\r\n\r\n{}",
                "more than the 67108864 bytes",
            ),
            (
                "Content-Length: -2\r\n\r\n{}",
                "not a number of bytes: \"-2\"",
            ),
            ("Content-Length: \r\n\r\n{}", "not a number of bytes"),
            ("Content-Length: 2\n\n{}", "a line feed alone"),
            ("Content-Type: x\r\n\r\n{}", "no Content-Length header"),
            (
                "Content-Length 2\r\n\r\n{}",
                "not `Name: value`: \"Content-Length 2\"",
            ),
            // A body with no header: the colon in it does not make a name.
            (
                "{\"jsonrpc\": \"2.0\"}\r\n",
                r#"not `Name: value`: "{\"jsonrpc\": \"2.0\"}""#,
            ),
            (
                "Content-Length: 2\r\n",
                "ended in the middle of the header of message 1",
            ),
            ("Content-Len", "ended in the middle of the header"),
            (
                "Content-Length: 10\r\n\r\n{}",
                "ended 2 bytes into the body of message 1, whose Content-Length is 10",
            ),
            (too_long.as_str(), "runs past 8192 bytes"),
            (no_end.as_str(), "runs past 8192 bytes"),
        ] {
            let said = broken(input.as_bytes());
            assert!(said.contains(says), "{input:?}: {said}");
        }
        // The message is counted.
        let second = format!("{}Content-Length: 2\n\n{{}}", framed(EXIT));
        assert!(broken(second.as_bytes()).contains("header line of message 2"));
    }

    #[test]
    fn a_body_that_is_not_a_message_leaves_the_stream_in_step() {
        let input = [
            framed("{x}"),
            framed("{}"),
            framed(r#"{"id":7,"method":3}"#),
            framed(r#"[1,2]"#),
            framed(EXIT),
        ]
        .concat();
        let mut bytes = input.into_bytes();
        // One more body, of bytes that are not UTF-8.
        bytes.extend(b"Content-Length: 3\r\n\r\n{\xff}");
        let (read, problem) = read_all(&bytes, MAX_BODY_BYTES);
        assert!(problem.is_none(), "{problem:?}");
        assert!(matches!(&read[0], Incoming::NotJson(why) if why.contains("not JSON")));
        assert!(matches!(&read[1], Incoming::NotAMessage(None)));
        assert!(matches!(&read[2], Incoming::NotAMessage(Some(id)) if *id == RequestId::from(7)));
        assert!(matches!(&read[3], Incoming::NotAMessage(None)));
        assert!(matches!(
            &read[4],
            Incoming::Message(Message::Notification(_))
        ));
        assert!(
            matches!(&read[5], Incoming::NotJson(why) if why.contains("not UTF-8 text (byte 1"))
        );
    }

    #[test]
    fn an_error_without_an_id_is_framed_as_lsp_server_frames_messages() {
        let mut out = Vec::new();
        write_error_without_id(&mut out, -32700, "no").unwrap();
        let (read, problem) = read_all(&out, MAX_BODY_BYTES);
        assert!(problem.is_none());
        // `lsp-server` cannot read a response without an id.
        assert!(matches!(&read[..], [Incoming::NotAMessage(None)]));
        let body = out.split(|&b| b == b'\n').next_back().unwrap();
        let body: serde_json::Value = serde_json::from_slice(body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": "no"}})
        );
    }
}

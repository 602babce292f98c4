//! `proviso lsp` as an editor runs it: a subprocess spoken to in JSON-RPC
//! over its standard input and output (initialize, didOpen, codeAction,
//! didChange, formatting, documentSymbol, hover, definition, references,
//! rename, shutdown, exit), the answers
//! kept as snapshots. Positions are in UTF-16 units, checked on a line
//! that holds non-ASCII text.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::{Value, json};

mod common;

struct Editor {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    next_id: u64,
    /// Notifications that arrived while waiting for an answer.
    notes: Vec<Value>,
}

impl Editor {
    fn start() -> Editor {
        let mut child = Command::new(env!("CARGO_BIN_EXE_proviso"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let input = child.stdin.take().unwrap();
        let output = BufReader::new(child.stdout.take().unwrap());
        Editor {
            child,
            input,
            output,
            next_id: 1,
            notes: Vec::new(),
        }
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_string(message).unwrap();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.input.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            assert!(
                self.output.read_line(&mut line).unwrap() > 0,
                "the server closed"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().unwrap();
            }
        }
        let mut body = vec![0u8; length];
        self.output.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message.get("id") == Some(&json!(id)) {
                return message;
            }
            self.notes.push(message);
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next notification of a method (one that came already, first).
    fn notification(&mut self, method: &str) -> Value {
        if let Some(i) = self.notes.iter().position(|n| n["method"] == method) {
            return self.notes.remove(i);
        }
        loop {
            let message = self.receive();
            if message["method"] == method {
                return message;
            }
            self.notes.push(message);
        }
    }
}

const URI: &str = "file:///drafts/fee.proviso";

/// Line 6 (from 0) holds non-ASCII text before the misspelt party: `clause
/// 1 "` is 10 units, `Fee — €😀` 9 (the emoji is two), `" ` 2: `bteta`
/// starts at character 21 and ends at 26.
const MISSPELT: &str = "contract \"Fee\" effective 2026-01-01 term through 2026-12-31\n\
currency EUR\n\
settlement by payment\n\
party alpha \"Alpha Ltd\"\n\
party beta \"Beta plc\"\n\
event payment by party { to: party, amount: money }\n\
clause 1 \"Fee — €😀\" bteta must pay alpha EUR 100 due 2026-03-01\n\
  text \"Beta pays Alpha EUR 100 by 1 March 2026.\"\n";

#[test]
fn an_editor_session() {
    let settings = common::snapshots_in("lsp");
    let mut editor = Editor::start();

    let initialized = editor.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    settings.bind(|| insta::assert_json_snapshot!("initialize", initialized["result"]));
    editor.notify("initialized", json!({}));

    // Opened with a misspelt party: its diagnostic, with the fix.
    editor.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "proviso", "version": 1, "text": MISSPELT}}),
    );
    let published = editor.notification("textDocument/publishDiagnostics");
    let diagnostics = published["params"]["diagnostics"].clone();
    settings.bind(|| insta::assert_json_snapshot!("misspelt-party", diagnostics));
    let first = &diagnostics[0];
    assert_eq!(first["code"], "E0204");
    assert_eq!(
        first["range"],
        json!({"start": {"line": 6, "character": 21}, "end": {"line": 6, "character": 26}})
    );

    // The quick fix replaces it.
    let actions = editor.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": URI},
            "range": first["range"],
            "context": {"diagnostics": [first]},
        }),
    );
    let action = &actions["result"][0];
    assert_eq!(action["title"], "Replace with `beta`");
    assert_eq!(action["kind"], "quickfix");
    let edit = &action["edit"]["changes"][URI][0];
    assert_eq!(edit["newText"], "beta");
    assert_eq!(edit["range"], first["range"]);

    // The fix applied: nothing left to say.
    let fixed = MISSPELT.replace("bteta", "beta");
    editor.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let published = editor.notification("textDocument/publishDiagnostics");
    assert_eq!(published["params"]["diagnostics"], json!([]), "{published}");

    // Formatting: one edit, the whole document in the canonical layout.
    let formatted = editor.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let edits = formatted["result"].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    let new_text = edits[0]["newText"].as_str().unwrap();
    settings.bind(|| insta::assert_snapshot!("formatted", new_text));

    // The outline.
    let symbols = editor.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    settings.bind(|| insta::assert_json_snapshot!("outline", symbols["result"]));

    // In the fixed text, line 6 reads `clause 1 "Fee — €😀" beta must pay
    // alpha ...`: `beta` at characters 21 to 25, `alpha` at 35 to 40; `party
    // beta` is declared on line 4, the name at 6 to 10.
    let at = |line: u32, character: u32| json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}});
    let hover = editor.request("textDocument/hover", at(6, 37));
    assert_eq!(
        hover["result"]["contents"]["value"],
        "**party `alpha`**: Alpha Ltd\n\nUsed in clause 1."
    );
    let definition = editor.request("textDocument/definition", at(6, 22));
    assert_eq!(
        definition["result"]["range"],
        json!({"start": {"line": 4, "character": 6}, "end": {"line": 4, "character": 10}})
    );
    let mut references = at(4, 7);
    references["context"] = json!({"includeDeclaration": true});
    let references = editor.request("textDocument/references", references);
    let ranges: Vec<Value> = references["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["range"].clone())
        .collect();
    assert_eq!(
        ranges,
        [
            json!({"start": {"line": 4, "character": 6}, "end": {"line": 4, "character": 10}}),
            json!({"start": {"line": 6, "character": 21}, "end": {"line": 6, "character": 25}}),
        ]
    );
    // Rename: every occurrence, or a refusal when the name is taken.
    let mut rename = at(6, 22);
    rename["newName"] = json!("payer");
    let renamed = editor.request("textDocument/rename", rename.clone());
    let edits = renamed["result"]["changes"][URI]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(edits.len(), 2);
    assert!(edits.iter().all(|e| e["newText"] == "payer"));
    rename["newName"] = json!("alpha");
    let refused = editor.request("textDocument/rename", rename);
    assert_eq!(refused["error"]["message"], "`alpha` is declared already");
    // Nothing at a position with no name: no answer, not an error.
    let nothing = editor.request("textDocument/hover", at(0, 0));
    assert_eq!(nothing["result"], Value::Null);
    // On a value: `EUR 100` at 41 to 48, `2026-03-01` at 53 to 63 (2026
    // begins on a Thursday; 31 + 28 days later, 1 March is a Sunday).
    let amount = editor.request("textDocument/hover", at(6, 46));
    assert_eq!(
        amount["result"]["contents"]["value"],
        "**amount** EUR 100.00"
    );
    let due = editor.request("textDocument/hover", at(6, 55));
    assert_eq!(
        due["result"]["contents"]["value"],
        "**date** Sunday 1 March 2026"
    );

    // Completion: after `payment.` (typed on a new line 8), its fields.
    let typed = format!("{fixed}  beta must pay alpha payment.");
    editor.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": typed}]}),
    );
    let completed = editor.request("textDocument/completion", at(8, 30));
    let labels: Vec<&str> = completed["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["to", "amount", "date", "id", "type", "by"]);

    // Semantic tokens: the first, `contract`, a keyword (type 0) at 0:0 of
    // length 8; then `"Fee"`, a string (1), 1 unit after it, of length 5.
    let tokens = editor.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": URI}}),
    );
    let data: Vec<u64> = tokens["result"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    assert_eq!(data.len() % 5, 0);
    assert_eq!(&data[..10], [0, 0, 8, 0, 0, 0, 9, 5, 1, 0]);

    // A request it does not answer: an error, and the server goes on.
    let unknown = editor.request("workspace/symbol", json!({"query": "x"}));
    assert_eq!(unknown["error"]["code"], -32601);

    let shutdown = editor.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null);
    editor.notify("exit", Value::Null);
    let status = editor.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

/// A message as an editor frames it.
fn framed(body: &Value) -> Vec<u8> {
    let body = serde_json::to_string(body).unwrap();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// `initialize` and `initialized`, framed.
fn started() -> Vec<u8> {
    [
        framed(&json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})),
        framed(&json!({"jsonrpc": "2.0", "method": "initialized", "params": {}})),
    ]
    .concat()
}

/// `shutdown` (id 99) and `exit`, framed.
fn ended() -> Vec<u8> {
    [
        framed(&json!({"jsonrpc": "2.0", "id": 99, "method": "shutdown"})),
        framed(&json!({"jsonrpc": "2.0", "method": "exit"})),
    ]
    .concat()
}

/// What `proviso lsp` did with `input` as the whole of its standard input:
/// its exit code, the messages it wrote, and its standard error. The input
/// is written from a thread of its own, and a server that stops reading
/// early is no failure of the writer.
fn session(input: Vec<u8>) -> (Option<i32>, Vec<Value>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_proviso"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let mut messages = Vec::new();
    let mut rest = &output.stdout[..];
    while !rest.is_empty() {
        let text = std::str::from_utf8(rest).unwrap();
        let header_end = text.find("\r\n\r\n").unwrap();
        let length: usize = text[..header_end]
            .strip_prefix("Content-Length: ")
            .unwrap()
            .parse()
            .unwrap();
        let body = &rest[header_end + 4..header_end + 4 + length];
        messages.push(serde_json::from_slice(body).unwrap());
        rest = &rest[header_end + 4 + length..];
    }
    let stderr = String::from_utf8(output.stderr).unwrap();
    (output.status.code(), messages, stderr)
}

#[test]
fn a_huge_content_length_is_refused_before_anything_is_allocated() {
    for length in [
        "18446744073709551615",
        "1000000000000",
        "99999999999999999999999",
        // One byte past the limit of 64 MiB.
        "67108865",
    ] {
        let mut input = started();
        input.extend(format!("Content-Length: {length}\r\n\r\n{{}}").into_bytes());
        let (code, messages, stderr) = session(input);
        assert_eq!(code, Some(2), "{length}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "error: message 3 has a Content-Length of {length} bytes, more than the 67108864 bytes (64 MiB) a message may have; the language server stops"
            )),
            "{length}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        // It had answered `initialize`.
        assert_eq!(messages.len(), 1);
        assert!(messages[0]["result"]["capabilities"].is_object());
    }
}

#[test]
fn a_stream_whose_next_message_cannot_be_found_ends_the_server_with_exit_2_and_says_why() {
    for (broken, says) in [
        (
            &b"Content-Length: 2\n\n{}"[..],
            "error: a header line of message 3 ends with a line feed alone; the protocol ends each header line with a carriage return and a line feed (\\r\\n)",
        ),
        (
            b"Content-Type: application/vscode-jsonrpc\r\n\r\n{}",
            "error: message 3 has no Content-Length header, so where its body ends is not known",
        ),
        (
            b"Content-Length: 40\r\n\r\n{\"jsonrpc\": \"2.0\", \"met",
            "error: the input ended 23 bytes into the body of message 3, whose Content-Length is 40",
        ),
        (
            b"Content-Length: 2\r\nContent-Ty",
            "error: the input ended in the middle of the header of message 3",
        ),
        (
            b"Content-Length: two\r\n\r\n{}",
            "error: the Content-Length of message 3 is not a number of bytes: \"two\"",
        ),
        (
            b"{\"jsonrpc\": \"2.0\", \"method\": \"exit\"}\r\n",
            "error: message 3 has a header line that is not `Name: value`",
        ),
    ] {
        let mut input = started();
        input.extend(broken);
        let (code, _, stderr) = session(input);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
        assert!(stderr.contains("the language server stops"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn a_body_that_is_not_a_message_is_answered_with_an_error_and_the_server_goes_on() {
    let mut input = started();
    for body in [
        &b"{not json"[..],
        b"{\"text\": \"caf\xe9\"}",
        b"{}",
        b"{\"id\": 7}",
    ] {
        input.extend(format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes());
        input.extend(body);
    }
    input.extend(framed(
        &json!({"jsonrpc": "2.0", "id": 8, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": URI}}}),
    ));
    input.extend(ended());
    let (code, messages, stderr) = session(input);
    assert_eq!(code, Some(0), "{stderr}");
    let errors: Vec<(Value, Value)> = messages[1..5]
        .iter()
        .map(|m| (m["id"].clone(), m["error"]["code"].clone()))
        .collect();
    assert_eq!(
        errors,
        [
            (Value::Null, json!(-32700)),
            (Value::Null, json!(-32700)),
            (Value::Null, json!(-32600)),
            (json!(7), json!(-32600)),
        ]
    );
    // Then the request, answered (no such document: no symbols), and the
    // shutdown.
    assert_eq!(messages[5]["id"], 8);
    assert_eq!(messages[5]["result"], json!([]));
    assert_eq!(messages[6]["id"], 99);
    for says in [
        "error: message 3 from the editor cannot be read: it is not JSON: key must be a string at line 1 column 2; answered with a parse error",
        "error: message 4 from the editor cannot be read: it is not UTF-8 text (byte 13 is not); answered with a parse error",
        "error: message 5 from the editor is JSON but not a request, a response or a notification; answered with an invalid-request error",
        "error: message 6 from the editor is JSON but not a request",
    ] {
        assert!(stderr.contains(says), "{stderr}");
    }
}

#[test]
fn the_server_ends_with_exit_0_only_after_shutdown_then_exit() {
    // The input ends first.
    let (code, _, stderr) = session(started());
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("error: the input ended before `shutdown` and `exit`; an editor ends the language server with `shutdown`, then `exit`"),
        "{stderr}"
    );
    let mut input = started();
    input.extend(framed(
        &json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
    ));
    let (code, messages, stderr) = session(input);
    assert_eq!(code, Some(1));
    assert_eq!(messages[1]["id"], 2);
    assert!(
        stderr.contains("error: the input ended before `exit`"),
        "{stderr}"
    );
    // `exit` without `shutdown`.
    let mut input = started();
    input.extend(framed(&json!({"jsonrpc": "2.0", "method": "exit"})));
    let (code, _, stderr) = session(input);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("error: the editor sent `exit` without `shutdown` first"),
        "{stderr}"
    );
    // Nothing at all.
    let (code, messages, stderr) = session(Vec::new());
    assert_eq!((code, messages.len()), (Some(1), 0), "{stderr}");
    // A request before `initialize` is refused; after `shutdown`, too.
    let mut input =
        framed(&json!({"jsonrpc": "2.0", "id": 5, "method": "textDocument/hover", "params": {}}));
    input.extend(started());
    input.extend(framed(
        &json!({"jsonrpc": "2.0", "id": 6, "method": "shutdown"}),
    ));
    input.extend(framed(
        &json!({"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {}}),
    ));
    input.extend(framed(&json!({"jsonrpc": "2.0", "method": "exit"})));
    let (code, messages, stderr) = session(input);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stderr, "");
    assert_eq!(
        (&messages[0]["id"], &messages[0]["error"]["code"]),
        (&json!(5), &json!(-32002))
    );
    assert_eq!(messages[1]["id"], 1);
    assert_eq!(messages[2]["id"], 6);
    assert_eq!(
        (&messages[3]["id"], &messages[3]["error"]["code"]),
        (&json!(7), &json!(-32600))
    );
}

/// Opens a document in a new session and asks for its diagnostics.
fn opened(editor: &mut Editor, text: &str) -> Value {
    editor.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    editor.notify("initialized", json!({}));
    editor.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "proviso", "version": 1, "text": text}}),
    );
    editor.notification("textDocument/publishDiagnostics")["params"]["diagnostics"].clone()
}

fn end(mut editor: Editor) {
    editor.request("shutdown", Value::Null);
    editor.notify("exit", Value::Null);
    assert_eq!(editor.child.wait().unwrap().code(), Some(0));
}

#[test]
fn a_lone_carriage_return_is_a_line_break_both_ways() {
    // Formatting replaces the whole document: both lines, to the end.
    let mut editor = Editor::start();
    opened(
        &mut editor,
        "contract \"x\"   effective 2026-01-01\rparty a \"A\"\n",
    );
    let formatted = editor.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let edits = formatted["result"].as_array().unwrap();
    assert_eq!(edits.len(), 1, "{formatted}");
    assert_eq!(
        edits[0]["range"],
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 2, "character": 0}})
    );
    assert!(
        edits[0]["newText"]
            .as_str()
            .unwrap()
            .ends_with("party a \"A\"\n")
    );
    end(editor);

    // Diagnostics, and positions asked for, where the editor shows the
    // lines: the misspelt party on line 6, with old Mac line endings.
    let mut editor = Editor::start();
    let diagnostics = opened(&mut editor, &MISSPELT.replace('\n', "\r"));
    assert_eq!(diagnostics[0]["code"], "E0204");
    assert_eq!(
        diagnostics[0]["range"],
        json!({"start": {"line": 6, "character": 21}, "end": {"line": 6, "character": 26}})
    );
    let at = json!({"textDocument": {"uri": URI}, "position": {"line": 6, "character": 37}});
    let hover = editor.request("textDocument/hover", at);
    assert_eq!(
        hover["result"]["contents"]["value"],
        "**party `alpha`**: Alpha Ltd\n\nUsed in clause 1."
    );
    // A formatted document with lone `\r`s gets LF line endings, as `fmt`
    // writes them.
    let formatted = editor.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(
        formatted["result"][0]["range"]["end"],
        json!({"line": 8, "character": 0})
    );
    end(editor);
}

#[test]
fn a_byte_order_mark_is_read_past_as_check_reads_it_and_counted_as_the_editor_counts_it() {
    let mut editor = Editor::start();
    let diagnostics = opened(&mut editor, &format!("\u{feff}{MISSPELT}"));
    let codes: Vec<&str> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["E0204"], "{diagnostics}");
    // The mark is the first unit of line 0: `contract` starts at 1.
    let symbols = editor.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(
        symbols["result"][0]["selectionRange"],
        json!({"start": {"line": 0, "character": 10}, "end": {"line": 0, "character": 15}})
    );
    let tokens = editor.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(
        tokens["result"]["data"].as_array().unwrap()[..5],
        [0, 1, 8, 0, 0]
    );
    assert_eq!(
        symbols["result"][0]["range"]["start"],
        json!({"line": 0, "character": 1})
    );
    // Formatting keeps the mark and replaces what follows it.
    let formatted = editor.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(
        formatted["result"][0]["range"]["start"],
        json!({"line": 0, "character": 1})
    );
    end(editor);
}

#[test]
fn an_editor_that_stops_reading_ends_the_server_with_exit_2_and_a_message() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_proviso"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Nothing will read the answers.
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(&started());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: the answers could not be written to standard output: Broken pipe"),
        "{stderr}"
    );
}

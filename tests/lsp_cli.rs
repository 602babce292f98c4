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

//! `proviso lsp`: a language server over standard input and output
//! (`lsp-server` and `lsp-types`, the crates rust-analyzer uses).
//!
//! What it answers (docs/editors.md): diagnostics from check and lint as a
//! file is opened and changed, each with its code, related places and the
//! fix it suggests; code actions that apply those fixes; hover, go to
//! definition, find references and rename (`ide::Navigation`, from the
//! checker's resolution of every name); completion in context
//! (`ide::completions`); semantic tokens (`ide::tokens`: every name by
//! what the checker resolved it to); formatting through `proviso fmt`; and
//! the document outline. Positions are counted in UTF-16
//! units, as the protocol says, whatever the text holds, and lines end at
//! `\n`, `\r\n` or a lone `\r` (`ide::Document`, which also reads past a
//! byte-order mark as `check` does).
//!
//! Messages are read by `transport` (never trusting a declared length)
//! and answered in turn on this thread; a stream in which the next message
//! cannot be found ends the server with exit 2 and says why.

mod transport;

use std::collections::HashMap;
use std::io::{self, BufRead, Write};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, DiagnosticRelatedInformation, DiagnosticSeverity,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DocumentFormattingParams, DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse,
    Location, NumberOrString, OneOf, PublishDiagnosticsParams, Range, ServerCapabilities,
    ServerInfo, SymbolKind, TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri,
    WorkspaceEdit,
};
use serde_json::{Value, json};

use super::Exit;
use proviso::ast::Span;
use proviso::ide;

/// The open documents, by URI, with their text.
type Documents = HashMap<String, (Uri, ide::Document)>;

/// Where the server writes to the editor. A failed write is kept, nothing
/// more is written, and the server stops at the end of the message it is
/// answering.
struct Outbox<'a> {
    output: &'a mut dyn Write,
    failed: Option<io::Error>,
}

impl Outbox<'_> {
    fn send(&mut self, message: Message) {
        if self.failed.is_none()
            && let Err(error) = transport::write(self.output, &message)
        {
            self.failed = Some(error);
        }
    }

    /// An error answering a message whose id is not known.
    fn send_error_without_id(&mut self, code: ErrorCode, text: &str) {
        if self.failed.is_none()
            && let Err(error) = transport::write_error_without_id(self.output, code as i32, text)
        {
            self.failed = Some(error);
        }
    }
}

fn range(document: &ide::Document, span: Span) -> Range {
    let start = document.position(span.start);
    let end = document.position(span.end);
    Range {
        start: lsp_types::Position::new(start.line, start.character),
        end: lsp_types::Position::new(end.line, end.character),
    }
}

/// The diagnostics of a document, as the protocol has them. A suggested fix
/// travels in `data`, so that a code action can apply it.
fn diagnostics(uri: &Uri, document: &ide::Document) -> Vec<lsp_types::Diagnostic> {
    ide::diagnostics(uri.as_str(), document.text())
        .into_iter()
        .map(|d| {
            let mut message = d.message.clone();
            if !d.primary.message.is_empty() {
                message.push_str(&format!(": {}", d.primary.message));
            }
            if let Some(help) = &d.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            let related: Vec<DiagnosticRelatedInformation> = d
                .related
                .iter()
                .map(|label| DiagnosticRelatedInformation {
                    location: Location::new(uri.clone(), range(document, label.span)),
                    message: label.message.clone(),
                })
                .collect();
            lsp_types::Diagnostic {
                range: range(document, d.primary.span),
                severity: Some(if d.is_error() {
                    DiagnosticSeverity::ERROR
                } else {
                    DiagnosticSeverity::WARNING
                }),
                code: Some(NumberOrString::String(d.code.as_str().to_string())),
                code_description: None,
                source: Some("proviso".to_string()),
                message,
                related_information: (!related.is_empty()).then_some(related),
                tags: None,
                data: d.suggestion.as_ref().map(|s| {
                    json!({
                        "replacement": s.replacement,
                        "range": range(document, s.span),
                    })
                }),
            }
        })
        .collect()
}

fn publish(out: &mut Outbox, uri: &Uri, document: Option<&ide::Document>) {
    let params = PublishDiagnosticsParams {
        uri: uri.clone(),
        diagnostics: document.map_or_else(Vec::new, |d| diagnostics(uri, d)),
        version: None,
    };
    out.send(Message::Notification(Notification::new(
        "textDocument/publishDiagnostics".to_string(),
        params,
    )));
}

fn symbol_kind(kind: ide::SymbolKind) -> SymbolKind {
    match kind {
        ide::SymbolKind::Contract => SymbolKind::FILE,
        ide::SymbolKind::Party => SymbolKind::OBJECT,
        ide::SymbolKind::Group => SymbolKind::NAMESPACE,
        ide::SymbolKind::Category => SymbolKind::ENUM,
        ide::SymbolKind::Period => SymbolKind::CONSTANT,
        ide::SymbolKind::Event => SymbolKind::EVENT,
        ide::SymbolKind::Milestone => SymbolKind::KEY,
        ide::SymbolKind::Definition => SymbolKind::VARIABLE,
        ide::SymbolKind::Account => SymbolKind::STRUCT,
        ide::SymbolKind::Clause => SymbolKind::MODULE,
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written.
fn outline(document: &ide::Document) -> Vec<DocumentSymbol> {
    ide::outline(document.text())
        .into_iter()
        .map(|s| DocumentSymbol {
            name: s.name,
            detail: s.detail,
            kind: symbol_kind(s.kind),
            tags: None,
            deprecated: None,
            range: range(document, s.span),
            selection_range: range(document, s.name_span),
            children: None,
        })
        .collect()
}

/// The quick fixes for the diagnostics a code action request names: each
/// suggestion replaces its range.
fn code_actions(uri: &Uri, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    params
        .context
        .diagnostics
        .iter()
        .filter_map(|d| {
            let data = d.data.as_ref()?;
            let replacement = data.get("replacement")?.as_str()?.to_string();
            let range: Range = serde_json::from_value(data.get("range")?.clone()).ok()?;
            let edit = TextEdit::new(range, replacement.clone());
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Replace with `{replacement}`"),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(WorkspaceEdit::new(
                    [(uri.clone(), vec![edit])].into_iter().collect(),
                )),
                command: None,
                is_preferred: Some(true),
                disabled: None,
                data: None,
            }))
        })
        .collect()
}

/// The edit that formats a document: the whole text replaced (after a
/// byte-order mark, which stays), or none when it is formatted already or
/// does not parse.
fn formatting(document: &ide::Document) -> Option<Vec<TextEdit>> {
    let text = document.text();
    let source = proviso::SourceFile::new("document", text);
    let formatted = proviso::fmt::format_source(&source, &proviso::Limits::default()).ok()?;
    if formatted == text && document.is_as_read() {
        return Some(Vec::new());
    }
    Some(vec![TextEdit::new(
        range(document, Span::new(0, text.len())),
        formatted,
    )])
}

/// The byte offset of a position in a document.
fn offset_of(document: &ide::Document, position: lsp_types::Position) -> usize {
    document.offset(ide::Position {
        line: position.line,
        character: position.character,
    })
}

/// Go to definition, find references, hover and rename: what the name at
/// a position is, and the answer.
fn navigate(
    uri: &Uri,
    document: &ide::Document,
    method: &str,
    params: &Value,
) -> Result<Value, String> {
    let text = document.text();
    let position: lsp_types::Position = params
        .get("position")
        .cloned()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| e.to_string())?
        .ok_or("no position")?;
    let nav = ide::Navigation::new(text);
    let offset = offset_of(document, position);
    let Some(target) = nav.target_at(offset).cloned() else {
        // Not a name: on an amount, a percentage or a date, what it is.
        return match (method, nav.value_hover(text, offset)) {
            ("textDocument/hover", Some(value)) => {
                serde_json::to_value(markdown_hover(value)).map_err(|e| e.to_string())
            }
            _ => Ok(Value::Null),
        };
    };
    let location = |span: Span| Location::new(uri.clone(), range(document, span));
    let value = match method {
        "textDocument/definition" => serde_json::to_value(nav.definition(&target).map(location)),
        "textDocument/references" => {
            let with_declaration = params
                .pointer("/context/includeDeclaration")
                .and_then(Value::as_bool)
                .unwrap_or(true);
            let mut spans = nav.occurrences(&target);
            if !with_declaration && let Some(definition) = nav.definition(&target) {
                spans.retain(|s| *s != definition);
            }
            serde_json::to_value(spans.into_iter().map(location).collect::<Vec<_>>())
        }
        "textDocument/hover" => serde_json::to_value(markdown_hover(nav.hover(&target))),
        "textDocument/rename" => {
            let new_name = params
                .get("newName")
                .and_then(Value::as_str)
                .ok_or("no new name")?;
            let spans = nav.rename(&target, new_name)?;
            let edits: Vec<TextEdit> = spans
                .into_iter()
                .map(|span| TextEdit::new(range(document, span), new_name.to_string()))
                .collect();
            serde_json::to_value(WorkspaceEdit::new(
                [(uri.clone(), edits)].into_iter().collect(),
            ))
        }
        _ => return Ok(Value::Null),
    };
    value.map_err(|e| e.to_string())
}

/// A hover of Markdown text.
fn markdown_hover(value: String) -> lsp_types::Hover {
    lsp_types::Hover {
        contents: lsp_types::HoverContents::Markup(lsp_types::MarkupContent {
            kind: lsp_types::MarkupKind::Markdown,
            value,
        }),
        range: None,
    }
}

/// The token types of the semantic tokens, in the order their indices
/// refer to (the legend).
const TOKEN_TYPES: [&str; 13] = [
    "keyword",
    "string",
    "number",
    "comment",
    "variable",
    "enum",
    "enumMember",
    "type",
    "event",
    "property",
    "macro",
    "function",
    "struct",
];

fn token_type(kind: ide::TokenKind) -> u32 {
    match kind {
        ide::TokenKind::Keyword => 0,
        ide::TokenKind::String => 1,
        ide::TokenKind::Number => 2,
        ide::TokenKind::Comment => 3,
        ide::TokenKind::Party => 4,
        ide::TokenKind::Category => 5,
        ide::TokenKind::Member => 6,
        ide::TokenKind::Period => 7,
        ide::TokenKind::Event => 8,
        ide::TokenKind::Field => 9,
        ide::TokenKind::Milestone => 10,
        ide::TokenKind::Definition => 11,
        ide::TokenKind::Account => 12,
    }
}

/// The document's semantic tokens, encoded as the protocol has them: for
/// each, the lines since the last one, the start (in UTF-16 units, from
/// the last one's start when on its line), the length, the type, no
/// modifiers.
fn semantic_tokens(document: &ide::Document) -> Value {
    let text = document.text();
    let mut data: Vec<u32> = Vec::new();
    let (mut line, mut start) = (0u32, 0u32);
    for token in ide::tokens(text) {
        let at = document.position(token.span.start);
        let length: usize = text
            .get(token.span.start..token.span.end)
            .unwrap_or("")
            .chars()
            .map(char::len_utf16)
            .sum();
        let delta_line = at.line.saturating_sub(line);
        let delta_start = if delta_line == 0 {
            at.character.saturating_sub(start)
        } else {
            at.character
        };
        data.extend([
            delta_line,
            delta_start,
            u32::try_from(length).unwrap_or(u32::MAX),
            token_type(token.kind),
            0,
        ]);
        (line, start) = (at.line, at.character);
    }
    json!({ "data": data })
}

/// What may be written at a position (`ide::completions`).
fn completion(document: &ide::Document, params: &Value) -> Result<Value, String> {
    let position: lsp_types::Position = params
        .get("position")
        .cloned()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| e.to_string())?
        .ok_or("no position")?;
    let items: Vec<lsp_types::CompletionItem> =
        ide::completions(document.text(), offset_of(document, position))
            .into_iter()
            .enumerate()
            .map(|(rank, c)| lsp_types::CompletionItem {
                // In the order offered: the likeliest first.
                sort_text: Some(format!("{rank:05}")),
                label: c.label,
                kind: Some(match c.kind {
                    ide::CompletionKind::Keyword => lsp_types::CompletionItemKind::KEYWORD,
                    ide::CompletionKind::Party => lsp_types::CompletionItemKind::VARIABLE,
                    ide::CompletionKind::Event => lsp_types::CompletionItemKind::EVENT,
                    ide::CompletionKind::Field => lsp_types::CompletionItemKind::FIELD,
                    ide::CompletionKind::Member => lsp_types::CompletionItemKind::ENUM_MEMBER,
                    ide::CompletionKind::Milestone => lsp_types::CompletionItemKind::CONSTANT,
                    ide::CompletionKind::Period => lsp_types::CompletionItemKind::UNIT,
                    ide::CompletionKind::Category => lsp_types::CompletionItemKind::ENUM,
                }),
                detail: c.detail,
                ..lsp_types::CompletionItem::default()
            })
            .collect();
    serde_json::to_value(items).map_err(|e| e.to_string())
}

fn respond(out: &mut Outbox, response: Response) {
    out.send(Message::Response(response));
}

fn handle_request(out: &mut Outbox, documents: &Documents, request: Request) {
    let id = request.id.clone();
    let document_of = |uri: &Uri| documents.get(uri.as_str()).map(|(_, document)| document);
    let result: Result<Value, String> = match request.method.as_str() {
        "textDocument/documentSymbol" => {
            serde_json::from_value::<DocumentSymbolParams>(request.params)
                .map_err(|e| e.to_string())
                .map(|p| {
                    let symbols = document_of(&p.text_document.uri)
                        .map(outline)
                        .unwrap_or_default();
                    serde_json::to_value(DocumentSymbolResponse::Nested(symbols))
                        .unwrap_or(Value::Null)
                })
        }
        "textDocument/formatting" => {
            serde_json::from_value::<DocumentFormattingParams>(request.params)
                .map_err(|e| e.to_string())
                .map(|p| {
                    let edits = document_of(&p.text_document.uri).and_then(formatting);
                    serde_json::to_value(edits).unwrap_or(Value::Null)
                })
        }
        "textDocument/definition"
        | "textDocument/references"
        | "textDocument/hover"
        | "textDocument/rename" => {
            let uri: Option<Uri> = request
                .params
                .pointer("/textDocument/uri")
                .cloned()
                .and_then(|u| serde_json::from_value(u).ok());
            match uri.as_ref().and_then(|u| document_of(u).map(|t| (u, t))) {
                Some((uri, text)) => navigate(uri, text, &request.method, &request.params),
                None => Ok(Value::Null),
            }
        }
        "textDocument/semanticTokens/full" => {
            let uri: Option<Uri> = request
                .params
                .pointer("/textDocument/uri")
                .cloned()
                .and_then(|u| serde_json::from_value(u).ok());
            Ok(uri
                .as_ref()
                .and_then(document_of)
                .map_or(Value::Null, semantic_tokens))
        }
        "textDocument/completion" => {
            let uri: Option<Uri> = request
                .params
                .pointer("/textDocument/uri")
                .cloned()
                .and_then(|u| serde_json::from_value(u).ok());
            match uri.as_ref().and_then(document_of) {
                Some(text) => completion(text, &request.params),
                None => Ok(Value::Null),
            }
        }
        "textDocument/codeAction" => serde_json::from_value::<CodeActionParams>(request.params)
            .map_err(|e| e.to_string())
            .map(|p| {
                let actions = code_actions(&p.text_document.uri, &p);
                serde_json::to_value(actions).unwrap_or(Value::Null)
            }),
        other => {
            respond(
                out,
                Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("proviso lsp does not answer `{other}`"),
                ),
            );
            return;
        }
    };
    match result {
        Ok(value) => respond(out, Response::new_ok(id, value)),
        Err(message) => respond(
            out,
            Response::new_err(id, ErrorCode::InvalidParams as i32, message),
        ),
    }
}

fn handle_notification(out: &mut Outbox, documents: &mut Documents, note: Notification) {
    match note.method.as_str() {
        "textDocument/didOpen" => {
            if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(note.params) {
                let uri = p.text_document.uri;
                let document = ide::Document::new(p.text_document.text);
                publish(out, &uri, Some(&document));
                documents.insert(uri.as_str().to_string(), (uri, document));
            }
        }
        "textDocument/didChange" => {
            if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(note.params) {
                let uri = p.text_document.uri;
                // Full synchronisation: the last change holds the whole text.
                if let Some(change) = p.content_changes.into_iter().last() {
                    let document = ide::Document::new(change.text);
                    publish(out, &uri, Some(&document));
                    documents.insert(uri.as_str().to_string(), (uri, document));
                }
            }
        }
        "textDocument/didClose" => {
            if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(note.params) {
                documents.remove(p.text_document.uri.as_str());
                publish(out, &p.text_document.uri, None);
            }
        }
        // Anything else (`initialized`, `$/cancelRequest` ...) needs no answer.
        _ => {}
    }
}

fn capabilities() -> Value {
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        rename_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(
            lsp_types::SemanticTokensServerCapabilities::SemanticTokensOptions(
                lsp_types::SemanticTokensOptions {
                    legend: lsp_types::SemanticTokensLegend {
                        token_types: TOKEN_TYPES
                            .iter()
                            .map(|t| lsp_types::SemanticTokenType::new(t))
                            .collect(),
                        token_modifiers: Vec::new(),
                    },
                    full: Some(lsp_types::SemanticTokensFullOptions::Bool(true)),
                    range: None,
                    work_done_progress_options: lsp_types::WorkDoneProgressOptions::default(),
                },
            ),
        ),
        completion_provider: Some(lsp_types::CompletionOptions {
            trigger_characters: Some(vec![".".to_string(), " ".to_string()]),
            ..lsp_types::CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    };
    json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo { name: "proviso".to_string(), version: Some(env!("CARGO_PKG_VERSION").to_string()) },
    })
}

/// Where the conversation with the editor stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Before `initialize`: other requests are refused, notifications
    /// dropped.
    Starting,
    Running,
    /// After `shutdown`: requests are refused until `exit`.
    ShuttingDown,
}

/// An error answering a request.
fn refuse(out: &mut Outbox, id: RequestId, code: ErrorCode, text: String) {
    respond(out, Response::new_err(id, code as i32, text));
}

pub fn run() -> Exit {
    let stdin = io::stdin();
    let stdout = io::stdout();
    serve(&mut stdin.lock(), &mut stdout.lock(), &mut io::stderr())
}

/// The server, from `initialize` to `exit`: messages read from `input`,
/// answers written to `output`, and what went wrong to `log` (standard
/// error, which an editor shows in the server's log).
fn serve(input: &mut dyn BufRead, output: &mut dyn Write, log: &mut dyn Write) -> Exit {
    let mut reader = transport::Reader::new(input);
    let mut out = Outbox {
        output,
        failed: None,
    };
    let mut documents = Documents::new();
    let mut phase = Phase::Starting;
    loop {
        let incoming = match reader.read() {
            Ok(incoming) => incoming,
            Err(problem) => {
                let _ = writeln!(log, "error: {problem}; the language server stops");
                break Exit::Invalid;
            }
        };
        match incoming {
            transport::Incoming::End => {
                let _ = writeln!(
                    log,
                    "error: the input ended before {}; an editor ends the language server with \
                     `shutdown`, then `exit`",
                    if phase == Phase::ShuttingDown {
                        "`exit`"
                    } else {
                        "`shutdown` and `exit`"
                    }
                );
                break Exit::Findings;
            }
            transport::Incoming::NotJson(why) => {
                let _ = writeln!(
                    log,
                    "error: message {} from the editor cannot be read: {why}; answered with a \
                     parse error",
                    reader.count()
                );
                out.send_error_without_id(
                    ErrorCode::ParseError,
                    &format!("the message cannot be read: {why}"),
                );
            }
            transport::Incoming::NotAMessage(id) => {
                let _ = writeln!(
                    log,
                    "error: message {} from the editor is JSON but not a request, a response or \
                     a notification; answered with an invalid-request error",
                    reader.count()
                );
                let text = "not a request, a response or a notification";
                match id {
                    Some(id) => refuse(&mut out, id, ErrorCode::InvalidRequest, text.to_string()),
                    None => out.send_error_without_id(ErrorCode::InvalidRequest, text),
                }
            }
            transport::Incoming::Message(Message::Notification(note)) if note.method == "exit" => {
                if phase == Phase::ShuttingDown {
                    break Exit::Ok;
                }
                // Exit without a shutdown first: an error, as the protocol says.
                let _ = writeln!(
                    log,
                    "error: the editor sent `exit` without `shutdown` first"
                );
                break Exit::Findings;
            }
            transport::Incoming::Message(Message::Request(request)) => match phase {
                Phase::Starting if request.method == "initialize" => {
                    respond(&mut out, Response::new_ok(request.id, capabilities()));
                    phase = Phase::Running;
                }
                Phase::Starting => refuse(
                    &mut out,
                    request.id,
                    ErrorCode::ServerNotInitialized,
                    format!("`{}` before `initialize`", request.method),
                ),
                Phase::Running if request.method == "initialize" => refuse(
                    &mut out,
                    request.id,
                    ErrorCode::InvalidRequest,
                    "the server is initialized already".to_string(),
                ),
                Phase::Running if request.method == "shutdown" => {
                    respond(&mut out, Response::new_ok(request.id, Value::Null));
                    phase = Phase::ShuttingDown;
                }
                Phase::Running => handle_request(&mut out, &documents, request),
                Phase::ShuttingDown => refuse(
                    &mut out,
                    request.id,
                    ErrorCode::InvalidRequest,
                    format!("`{}` after `shutdown`", request.method),
                ),
            },
            transport::Incoming::Message(Message::Notification(note)) => {
                if phase == Phase::Running {
                    handle_notification(&mut out, &mut documents, note);
                }
            }
            // The server sends no requests, so expects no answers.
            transport::Incoming::Message(Message::Response(_)) => {}
        }
        if let Some(error) = &out.failed {
            let _ = writeln!(
                log,
                "error: the answers could not be written to standard output: {error}; the \
                 language server stops"
            );
            break Exit::Invalid;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &Value) -> Vec<u8> {
        let body = body.to_string();
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    /// The server run on `input`: its exit, its answers (framed), its log.
    fn served(input: &[u8]) -> (Exit, String, String) {
        let (mut output, mut log) = (Vec::new(), Vec::new());
        let exit = serve(&mut &input[..], &mut output, &mut log);
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
        (exit, text(output), text(log))
    }

    #[test]
    fn a_session_ends_with_exit_0_only_after_shutdown_then_exit() {
        let initialize = framed(&json!({"jsonrpc": "2.0", "id": 1, "method": "initialize"}));
        let shutdown = framed(&json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
        let exit = framed(&json!({"jsonrpc": "2.0", "method": "exit"}));
        let (code, output, log) = served(&[&initialize[..], &shutdown, &exit].concat());
        assert_eq!((code, log.as_str()), (Exit::Ok, ""));
        assert!(output.contains(r#""serverInfo""#) && output.contains(r#""id":2"#));
        // The input ends first: exit 1, and why.
        let (code, _, log) = served(&[&initialize[..], &shutdown].concat());
        assert_eq!(code, Exit::Findings);
        assert!(log.contains("the input ended before `exit`"), "{log}");
        // A stream whose next message cannot be found: exit 2, and why.
        let broken = [&initialize[..], b"Content-Length: 5\n\n{}"].concat();
        let (code, _, log) = served(&broken);
        assert_eq!(code, Exit::Invalid);
        assert!(
            log.starts_with("error: a header line of message 2 ends with a line feed alone"),
            "{log}"
        );
    }
}

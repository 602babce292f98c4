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

use std::collections::HashMap;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
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

fn publish(connection: &Connection, uri: &Uri, document: Option<&ide::Document>) {
    let params = PublishDiagnosticsParams {
        uri: uri.clone(),
        diagnostics: document.map_or_else(Vec::new, |d| diagnostics(uri, d)),
        version: None,
    };
    let _ = connection
        .sender
        .send(Message::Notification(Notification::new(
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

fn respond(connection: &Connection, response: Response) {
    let _ = connection.sender.send(Message::Response(response));
}

fn handle_request(connection: &Connection, documents: &Documents, request: Request) {
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
                connection,
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
        Ok(value) => respond(connection, Response::new_ok(id, value)),
        Err(message) => respond(
            connection,
            Response::new_err(id, ErrorCode::InvalidParams as i32, message),
        ),
    }
}

fn handle_notification(connection: &Connection, documents: &mut Documents, note: Notification) {
    match note.method.as_str() {
        "textDocument/didOpen" => {
            if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(note.params) {
                let uri = p.text_document.uri;
                let document = ide::Document::new(p.text_document.text);
                publish(connection, &uri, Some(&document));
                documents.insert(uri.as_str().to_string(), (uri, document));
            }
        }
        "textDocument/didChange" => {
            if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(note.params) {
                let uri = p.text_document.uri;
                // Full synchronisation: the last change holds the whole text.
                if let Some(change) = p.content_changes.into_iter().last() {
                    let document = ide::Document::new(change.text);
                    publish(connection, &uri, Some(&document));
                    documents.insert(uri.as_str().to_string(), (uri, document));
                }
            }
        }
        "textDocument/didClose" => {
            if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(note.params) {
                documents.remove(p.text_document.uri.as_str());
                publish(connection, &p.text_document.uri, None);
            }
        }
        // Anything else (`initialized`, `$/cancelRequest` ...) needs no answer.
        _ => {}
    }
}

pub fn run() -> Exit {
    let (connection, io_threads) = Connection::stdio();
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
    let initialize = json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo { name: "proviso".to_string(), version: Some(env!("CARGO_PKG_VERSION").to_string()) },
    });
    let started = connection
        .initialize_start()
        .and_then(|(id, _params)| connection.initialize_finish(id, initialize));
    if let Err(error) = started {
        eprintln!("error: the editor did not start the language server: {error}");
        return Exit::Invalid;
    }
    let mut documents = Documents::new();
    let mut exit = Exit::Ok;
    for message in &connection.receiver {
        match message {
            Message::Request(request) => match connection.handle_shutdown(&request) {
                Ok(true) => break,
                Ok(false) => handle_request(&connection, &documents, request),
                Err(error) => {
                    eprintln!("error: {error}");
                    exit = Exit::Invalid;
                    break;
                }
            },
            Message::Notification(note) => {
                if note.method == "exit" {
                    // Exit without a shutdown first: an error, as the protocol says.
                    exit = Exit::Findings;
                    break;
                }
                handle_notification(&connection, &mut documents, note);
            }
            Message::Response(_) => {}
        }
    }
    drop(connection);
    let _ = io_threads.join();
    exit
}

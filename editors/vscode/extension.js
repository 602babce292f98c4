// The proviso extension's client: starts `<proviso.server.path> lsp` (the
// language server of the `proviso` command, see docs/editors.md) over
// standard input and output for every document of the language `proviso`.
// Plain JavaScript, so that the extension needs no build step.
'use strict';

const { spawn } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel | undefined} */
let outputChannel;

/** The command of the setting `proviso.server.path`, `~/` expanded. */
function serverCommand() {
  const configured = vscode.workspace.getConfiguration('proviso').get('server.path');
  const command = typeof configured === 'string' && configured.trim() !== '' ? configured.trim() : 'proviso';
  if (command === '~' || command.startsWith('~/') || command.startsWith('~\\')) {
    return path.join(os.homedir(), command.slice(1));
  }
  return command;
}

/**
 * Whether the command can be started at all: spawns `<command> --version`
 * and waits for the process to start or to fail (not found, not
 * executable). Resolves to undefined when it started, else to the error.
 */
function probe(command) {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(command, ['--version'], { stdio: 'ignore', windowsHide: true });
    } catch (error) {
      resolve(error);
      return;
    }
    child.once('error', (error) => resolve(error));
    child.once('spawn', () => resolve(undefined));
  });
}

async function showStartError(command, detail) {
  const message =
    `proviso: could not start the language server \`${command} lsp\` (${detail}). ` +
    'Install proviso (from its source folder: `cargo install --path .`) so that `proviso` is on your PATH, ' +
    'or set `proviso.server.path` to the proviso binary. Highlighting works without the server.';
  const openSettings = 'Open Settings';
  const choice = await vscode.window.showErrorMessage(message, openSettings);
  if (choice === openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'proviso.server.path');
  }
}

async function startClient() {
  const command = serverCommand();
  const failure = await probe(command);
  if (failure !== undefined) {
    const detail = failure && failure.code === 'ENOENT' ? 'no such command' : String((failure && failure.message) || failure);
    void showStartError(command, detail);
    return;
  }
  /** @type {import('vscode-languageclient/node').ServerOptions} */
  // No `transport`: the client would add `--stdio` to the arguments, which
  // `proviso lsp` does not take; without it, it speaks over stdio all the same.
  const serverOptions = { command, args: ['lsp'] };
  /** @type {import('vscode-languageclient/node').LanguageClientOptions} */
  const clientOptions = {
    documentSelector: [{ language: 'proviso' }],
    outputChannel,
  };
  const started = new LanguageClient('proviso', 'proviso language server', serverOptions, clientOptions);
  client = started;
  try {
    await started.start();
  } catch (error) {
    if (client === started) client = undefined;
    void showStartError(command, String((error && error.message) || error));
  }
}

async function stopClient() {
  const running = client;
  client = undefined;
  if (running !== undefined) {
    try {
      await running.stop();
    } catch {
      // A server that failed to start has nothing to stop.
    }
  }
}

// Starts and stops run one after the other, so that settings changed in
// quick succession leave exactly one server running.
let queue = Promise.resolve();
function enqueue(step) {
  queue = queue.then(step, step);
  return queue;
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  outputChannel = vscode.window.createOutputChannel('proviso language server', { log: true });
  context.subscriptions.push(outputChannel);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('proviso.server.path')) {
        void enqueue(async () => {
          await stopClient();
          await startClient();
        });
      }
    }),
  );
  await enqueue(startClient);
}

function deactivate() {
  return enqueue(stopClient);
}

module.exports = { activate, deactivate };

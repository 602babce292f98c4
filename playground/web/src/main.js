// The playground: a clause file, its events and an older version in three
// editors; proviso (compiled to WebAssembly) checks and lints the clause
// file as it is typed, and evaluates, renders and reviews it on demand.
// Nothing is sent anywhere: a shared link carries the texts in its
// fragment, which browsers do not send to the server.
import init, * as proviso from '../pkg/proviso_playground.js';
import { EditorView, basicSetup } from 'codemirror';
import { Compartment, EditorState } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting } from '@codemirror/language';
import { linter, lintGutter, forceLinting } from '@codemirror/lint';
import { json } from '@codemirror/lang-json';
import { yaml } from '@codemirror/lang-yaml';
import { provisoLanguage, provisoHighlightStyle } from './language.js';
import { examples } from 'proviso:examples';
import { encodeShare, decodeShare } from './share.js';
import { provisoCompletion, provisoHover } from './assist.js';

const $ = (id) => document.getElementById(id);

// What the page holds besides the editors' texts: the names files are
// known by in diagnostics and reports.
const state = { contractName: 'contract.proviso', eventsName: 'events.json', oldName: 'old.proviso' };
// Timings of the last runs, in milliseconds (read by the browser test).
window.provisoTimings = { check: [], evaluate: [] };

function timed(kind, work) {
  const start = performance.now();
  const result = work();
  window.provisoTimings[kind].push(performance.now() - start);
  return result;
}

// The check and lint of the clause file, as marks CodeMirror underlines,
// each with the fix its suggestion makes as an action.
function provisoLinter() {
  return linter(
    (view) => {
      const text = view.state.doc.toString();
      const out = JSON.parse(timed('check', () => proviso.diagnostics(state.contractName, text)));
      showProblems(out);
      return out.marks.map((m) => ({
        from: Math.min(m.from, text.length),
        to: Math.min(Math.max(m.to, m.from), text.length),
        severity: m.severity,
        source: m.code,
        message: m.message + (m.label ? `: ${m.label}` : '') + (m.help ? `\nhelp: ${m.help}` : ''),
        actions: m.fix
          ? [
              {
                name: m.fix.insert === '' ? 'Remove' : `Replace with \`${m.fix.insert}\``,
                // `from` is where the diagnostic stands now: the fix moves
                // with it if the text before it changed since the check.
                apply(view, from) {
                  const shift = from - m.from;
                  view.dispatch({ changes: { from: m.fix.from + shift, to: m.fix.to + shift, insert: m.fix.insert } });
                },
              },
            ]
          : [],
      }));
    },
    { delay: 200 },
  );
}

function showProblems(out) {
  // A lint at the deny level is an error, as `proviso lint` counts it.
  const errors = out.marks.filter((m) => m.severity === 'error').length;
  const warnings = out.marks.length - errors;
  $('problems-count').textContent = errors + warnings === 0 ? '' : ` (${errors + warnings})`;
  $('problems-output').textContent =
    out.rendered || `${state.contractName}: checks, and lint finds nothing.`;
  $('status').textContent = errors
    ? `${errors} error${errors === 1 ? '' : 's'}`
    : warnings
      ? `checks; ${warnings} warning${warnings === 1 ? '' : 's'}`
      : 'checks, lint clean';
  $('status').dataset.state = errors ? 'error' : warnings ? 'warning' : 'ok';
}

function editor(parent, extensions, doc) {
  return new EditorView({
    parent,
    state: EditorState.create({ doc, extensions: [basicSetup, keymap.of([indentWithTab]), ...extensions] }),
  });
}

// The events' format, from their name's extension as the command reads it.
function eventsFormat(name) {
  if (/\.ya?ml$/i.test(name)) return 'yaml';
  if (/\.(ndjson|jsonl)$/i.test(name)) return 'ndjson';
  if (/\.csv$/i.test(name)) return 'csv';
  return 'json';
}

function eventsLanguage(name) {
  const format = eventsFormat(name);
  return format === 'yaml' ? yaml() : format === 'csv' ? [] : json();
}

let contractView;
let eventsView;
let oldView;
// The events editor's language follows the events file's name.
const eventsSyntax = new Compartment();

function setDoc(view, text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

function load({ contractName, contract, eventsName, events, asOf, oldName, old }) {
  state.contractName = contractName || 'contract.proviso';
  state.eventsName = eventsName || 'events.json';
  state.oldName = oldName || 'old.proviso';
  $('contract-name').textContent = state.contractName;
  showEventsName();
  $('old-name').textContent = state.oldName;
  setDoc(contractView, contract || '');
  setDoc(eventsView, events || '');
  setDoc(oldView, old || '');
  $('as-of').value = asOf || '';
  $('old-pane').open = Boolean(old);
  forceLinting(contractView);
  run();
  // The edits above each asked for a run; this one did it.
  clearTimeout(pending);
}

// The events' name gives their format (as the command reads a file's
// extension): the menu switches between JSON and YAML by renaming them.
function showEventsName() {
  $('events-name').textContent = state.eventsName;
  $('events-format').value = eventsFormat(state.eventsName);
  eventsView.dispatch({ effects: eventsSyntax.reconfigure(eventsLanguage(state.eventsName)) });
}

function setEventsFormat(format) {
  const stem = state.eventsName.replace(/\.(json|ndjson|jsonl|ya?ml|csv)$/i, '');
  state.eventsName = `${stem}.${format}`;
  showEventsName();
  run();
}

function current() {
  return {
    contractName: state.contractName,
    contract: contractView.state.doc.toString(),
    eventsName: state.eventsName,
    events: eventsView.state.doc.toString(),
    asOf: $('as-of').value.trim(),
    oldName: state.oldName,
    old: oldView.state.doc.toString(),
  };
}

// Evaluates, renders and reviews the current texts.
function run() {
  const now = current();
  const explain = $('explain').checked;
  if (now.events.trim() || now.asOf) {
    const out = JSON.parse(
      timed('evaluate', () =>
        proviso.evaluate(now.contractName, now.contract, now.eventsName, now.events, now.asOf, explain),
      ),
    );
    $('report-output').textContent = out.exit === 2 ? out.problems : out.text;
    $('json-output').textContent = out.exit === 2 ? out.problems : JSON.stringify(out.report, null, 2);
    $('exit').textContent = `exit ${out.exit}: ${
      ['nothing to report', 'findings to report', 'invalid input'][out.exit]
    }`;
    $('exit').dataset.exit = String(out.exit);
  } else {
    $('report-output').textContent = 'No events: add events, or a date to evaluate as of.';
    $('json-output').textContent = '';
    $('exit').textContent = '';
  }
  const page = JSON.parse(
    proviso.render(now.contractName, now.contract, now.eventsName, now.events, now.asOf, now.oldName, now.old),
  );
  // The page has no script and fetches nothing; the sandbox keeps it so.
  $('document-frame').srcdoc = page.html ?? `<pre>${escapeHtml(page.problems)}</pre>`;
  if (now.old.trim()) {
    const review = JSON.parse(proviso.review(now.oldName, now.old, now.contractName, now.contract));
    $('changes-output').textContent = review.problems ?? review.text;
  } else {
    $('changes-output').textContent = 'Paste an earlier version of the contract under "Compare with an earlier version" to see what changed.';
  }
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function selectTab(name) {
  for (const tab of document.querySelectorAll('[role=tab]')) {
    const selected = tab.dataset.panel === name;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(tab.dataset.panel).hidden = !selected;
  }
}

async function main() {
  await init({ module_or_path: 'proviso_playground_bg.wasm' });
  const language = await provisoLanguage('onig.wasm');
  const assist = [language.data.of({ autocomplete: provisoCompletion(proviso) }), provisoHover(proviso)];
  const rerun = EditorView.updateListener.of((update) => {
    if (update.docChanged) scheduleRun();
  });
  contractView = editor($('contract-editor'), [language, syntaxHighlighting(provisoHighlightStyle), ...assist, lintGutter(), provisoLinter(), rerun], '');
  eventsView = editor($('events-editor'), [eventsSyntax.of(json()), rerun], '');
  oldView = editor($('old-editor'), [language, syntaxHighlighting(provisoHighlightStyle), ...assist, rerun], '');

  const menu = $('example');
  for (const [index, example] of examples.entries()) {
    const option = document.createElement('option');
    option.value = String(index);
    option.textContent = example.title;
    menu.append(option);
  }
  menu.addEventListener('change', () => {
    const example = examples[Number(menu.value)];
    if (example) {
      // The page's link no longer holds these texts.
      history.replaceState(null, '', location.pathname);
      load(example);
    }
  });
  $('as-of').addEventListener('input', scheduleRun);
  $('events-format').addEventListener('change', () => setEventsFormat($('events-format').value));
  $('explain').addEventListener('change', run);
  $('format').addEventListener('click', () => {
    const formatted = proviso.format(state.contractName, contractView.state.doc.toString());
    if (formatted === undefined || formatted === null) {
      $('status').textContent = 'not formatted: the file does not parse (see Problems)';
    } else {
      setDoc(contractView, formatted);
    }
  });
  $('share').addEventListener('click', async () => {
    const fragment = await encodeShare(current());
    history.replaceState(null, '', `#${fragment}`);
    const link = location.href;
    $('share-link').value = link;
    $('share-link').hidden = false;
    $('share-link').select();
    try {
      await navigator.clipboard.writeText(link);
      $('status').textContent = 'link copied';
    } catch {
      $('status').textContent = 'link ready to copy';
    }
  });
  for (const tab of document.querySelectorAll('[role=tab]')) {
    tab.addEventListener('click', () => selectTab(tab.dataset.panel));
  }
  selectTab('problems-panel');

  // A shared link pasted into the address bar of an open page.
  window.addEventListener('hashchange', async () => {
    const texts = await decodeShare(location.hash.slice(1));
    if (texts) {
      menu.value = '';
      load(texts);
    }
  });
  const shared = location.hash.length > 1 ? await decodeShare(location.hash.slice(1)) : null;
  if (shared) {
    menu.value = '';
    load(shared);
  } else {
    menu.value = '0';
    load(examples[0]);
  }
  // For scripts driving the page (the tests): the texts as they stand,
  // and loading others (the fields of a shared link).
  window.playground = { current, load };
  document.body.dataset.ready = 'true';
}

let pending;
function scheduleRun() {
  clearTimeout(pending);
  pending = setTimeout(run, 300);
}

main().catch((error) => {
  $('status').textContent = `the playground could not start: ${error.message}`;
  $('status').dataset.state = 'error';
  throw error;
});

// The module gives what the command gives: for every shipped contract and
// example, and every broken file of the diagnostics and lint tests, the
// WebAssembly module's `check` and `lint` JSON documents equal the
// command's `--format json`; with events, its report (plain and
// `--explain`), the report for people and the exit code equal `proviso
// eval`'s; its page equals `proviso render`'s; its change review of the
// flagship against 2019 equals `proviso lint --against`'s.
//
//   node playground/web/tests/same-output.mjs PROVISO
//
// Run from anywhere; PROVISO is the command (relative to the project
// root). Files are named as the command names them, run from the root.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { initSync, diagnostics, evaluate, render, review } from '../pkg/proviso_playground.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..', '..');
const proviso = resolve(root, process.argv[2] ?? 'target/debug/proviso');
process.chdir(root);
initSync({ module: readFileSync(join(here, '..', 'pkg', 'proviso_playground_bg.wasm')) });

// The command's output and exit code (it exits 1 and 2 on purpose).
function command(...args) {
  try {
    return { out: execFileSync(proviso, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 }), code: 0 };
  } catch (error) {
    if (typeof error.status !== 'number') throw error;
    return { out: error.stdout, code: error.status };
  }
}

let failures = 0;
let compared = 0;
function same(what, fromModule, fromCommand) {
  compared++;
  if (!isDeepStrictEqual(fromModule, fromCommand)) {
    failures++;
    console.error(`DIFFERENT ${what}`);
    console.error(`  module:  ${JSON.stringify(fromModule).slice(0, 400)}`);
    console.error(`  command: ${JSON.stringify(fromCommand).slice(0, 400)}`);
  }
}

const files = (dir, test) => readdirSync(dir).filter(test).sort().map((f) => `${dir}/${f}`);
const contracts = [...files('contracts', (f) => f.endsWith('.proviso')), ...files('examples', (f) => f.endsWith('.proviso'))];
const broken = [
  ...files('tests/check', (f) => f.endsWith('.proviso')),
  ...readdirSync('tests/lint').sort().flatMap((rule) => files(`tests/lint/${rule}`, (f) => f.endsWith('.proviso'))),
];

// A file that is not UTF-8 cannot be typed into the page: the browser
// holds text, and the command's E0503 has nothing to compare with.
const isUtf8 = (bytes) => Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
let skipped = 0;
for (const file of [...contracts, ...broken]) {
  const bytes = readFileSync(file);
  if (!isUtf8(bytes)) {
    skipped++;
    continue;
  }
  const text = bytes.toString('utf8');
  const out = JSON.parse(diagnostics(file, text));
  same(`check ${file}`, out.check, JSON.parse(command('check', '--format', 'json', file).out));
  same(`lint ${file}`, out.lint, JSON.parse(command('lint', '--format', 'json', file).out));
}

// Each contract with its events, as the examples menu pairs them.
const withEvents = [['contracts/microsoft-openai-2025.proviso', 'contracts/events/microsoft-openai-2025.json', '2030-12-31']];
for (const file of contracts.filter((f) => f.startsWith('examples/'))) {
  const events = `examples/events/${file.slice('examples/'.length, -'.proviso'.length)}.json`;
  if (existsSync(events)) withEvents.push([file, events, '']);
}
for (const [file, events, asOf] of withEvents) {
  const text = readFileSync(file, 'utf8');
  const eventsText = readFileSync(events, 'utf8');
  const dated = asOf ? ['--as-of', asOf] : [];
  for (const explain of [false, true]) {
    const flags = explain ? ['--explain'] : [];
    const out = JSON.parse(evaluate(file, text, events, eventsText, asOf, explain));
    const json = command('eval', '--format', 'json', ...flags, file, events, ...dated);
    same(`eval --format json ${explain ? '--explain ' : ''}${file}`, out.report, JSON.parse(json.out));
    same(`eval exit code ${file}`, out.exit, json.code);
    const human = command('eval', '--color', 'never', ...flags, file, events, ...dated);
    same(`eval ${explain ? '--explain ' : ''}${file}`, out.text, human.out);
  }
  const page = JSON.parse(render(file, text, events, eventsText, asOf, '', ''));
  const tmp = join(process.env.TMPDIR ?? '/tmp', `proviso-same-output-${process.pid}.html`);
  command('render', file, events, ...dated, '-o', tmp);
  same(`render ${file}`, page.html, readFileSync(tmp, 'utf8'));
}

// The change review of the flagship against 2019, less the scenario
// impact (the playground has no scenario folders to run).
{
  const [oldFile, newFile] = ['contracts/microsoft-openai-2019.proviso', 'contracts/microsoft-openai-2025.proviso'];
  const out = JSON.parse(review(oldFile, readFileSync(oldFile, 'utf8'), newFile, readFileSync(newFile, 'utf8')));
  const cli = JSON.parse(command('lint', '--format', 'json', newFile, '--against', oldFile).out).review;
  const withoutImpact = (r) => Object.fromEntries(Object.entries(r).filter(([key]) => !/impact/.test(key)));
  same('lint --against review', withoutImpact(out.review), withoutImpact(cli));
}

console.log(`${compared} comparisons, ${failures} different (${contracts.length} contracts and examples, ${broken.length} broken files of which ${skipped} not UTF-8 and skipped, ${withEvents.length} with events)`);
process.exit(failures ? 1 : 0);

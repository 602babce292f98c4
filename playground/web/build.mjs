// Builds the playground into playground/web/dist: the page, its styles,
// the bundled script (CodeMirror, the TextMate grammar and its engine,
// the examples), proviso's WebAssembly module (from ../pkg, which
// wasm-bindgen writes: see playground/run.sh) and the regular-expression
// engine's module. The result is static files: any web server serves it.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dist = join(here, 'dist');
const pkg = join(here, 'pkg');
const require = createRequire(import.meta.url);

if (!existsSync(join(pkg, 'proviso_playground_bg.wasm'))) {
  console.error('playground/web/build.mjs: no pkg/proviso_playground_bg.wasm; run playground/run.sh (it builds the module first)');
  process.exit(1);
}

// The examples menu: the flagship (2025 with its events and against 2019,
// then 2019 alone), then every example with its events, by file name.
// Files are named as the command names them run from the project root,
// so that the browser's reports and diagnostics read as the command's.
function title(text, fallback) {
  return /^\s*contract\s+"([^"]*)"/m.exec(text)?.[1] ?? fallback;
}
function entry(contractPath, { eventsPath = null, asOf = '', oldPath = null } = {}) {
  const read = (p) => (p ? readFileSync(join(root, p), 'utf8') : '');
  const contract = read(contractPath);
  return {
    title: title(contract, basename(contractPath)),
    contractName: contractPath,
    contract,
    eventsName: eventsPath ?? 'events.json',
    events: read(eventsPath),
    asOf,
    oldName: oldPath ?? 'old.proviso',
    old: read(oldPath),
  };
}
function examples() {
  const list = [
    entry('contracts/microsoft-openai-2025.proviso', {
      eventsPath: 'contracts/events/microsoft-openai-2025.json',
      asOf: '2030-12-31',
      oldPath: 'contracts/microsoft-openai-2019.proviso',
    }),
    entry('contracts/microsoft-openai-2019.proviso'),
  ];
  list[0].title += ' (with events, against 2019)';
  for (const file of readdirSync(join(root, 'examples')).sort()) {
    if (!file.endsWith('.proviso')) continue;
    const stem = file.slice(0, -'.proviso'.length);
    const events = ['json', 'yaml', 'ndjson']
      .map((ext) => `examples/events/${stem}.${ext}`)
      .find((p) => existsSync(join(root, p)));
    list.push(entry(`examples/${file}`, { eventsPath: events ?? null }));
  }
  return list;
}

const examplesPlugin = {
  name: 'proviso-examples',
  setup(b) {
    b.onResolve({ filter: /^proviso:examples$/ }, () => ({ path: 'examples', namespace: 'proviso' }));
    b.onLoad({ filter: /.*/, namespace: 'proviso' }, () => ({
      contents: `export const examples = ${JSON.stringify(examples())};`,
      loader: 'js',
    }));
  },
};

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
await build({
  entryPoints: [join(here, 'src', 'main.js')],
  bundle: true,
  format: 'esm',
  minify: true,
  sourcemap: false,
  target: ['chrome110', 'firefox115', 'safari16'],
  outfile: join(dist, 'app.js'),
  plugins: [examplesPlugin],
  logLevel: 'warning',
});
copyFileSync(join(here, 'src', 'index.html'), join(dist, 'index.html'));
copyFileSync(join(here, 'src', 'style.css'), join(dist, 'style.css'));
copyFileSync(join(pkg, 'proviso_playground_bg.wasm'), join(dist, 'proviso_playground_bg.wasm'));
copyFileSync(join(dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'), join(dist, 'onig.wasm'));
for (const file of readdirSync(dist).sort()) {
  const size = readFileSync(join(dist, file)).length;
  console.log(`${file.padEnd(28)} ${(size / 1024).toFixed(0).padStart(6)} KiB`);
}

// Checks a packaged extension (a .vsix, which is a zip file):
//
// 1. lists what it holds, largest first, with the sizes (Node.js alone:
//    no `unzip` needed);
// 2. fails unless it holds extension.js, package.json, the grammar, the
//    language configuration, README and LICENSE, and nothing else outside
//    node_modules/ (so that .vscodeignore lets no stray file in);
// 3. unpacks it into a temporary folder and loads extension.js from there
//    with a stand-in for the `vscode` module: every module the client
//    needs (vscode-languageclient and its dependencies, which are all
//    required when it loads) must be in the package, so a .vscodeignore
//    that leaves out too much fails here.
//
//   node tests/vsix.mjs FILE.vsix
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const file = process.argv[2];
if (!file) {
  console.error('usage: node tests/vsix.mjs FILE.vsix');
  process.exit(2);
}
const zip = readFileSync(file);

// The zip's central directory: found from its end record.
function entries(buffer) {
  let end = buffer.length - 22;
  while (end >= 0 && buffer.readUInt32LE(end) !== 0x06054b50) end -= 1;
  if (end < 0) throw new Error(`${file}: not a zip file`);
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  const found = [];
  for (let i = 0; i < count; i += 1) {
    if (buffer.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const method = buffer.readUInt16LE(at + 10);
    const compressed = buffer.readUInt32LE(at + 20);
    const size = buffer.readUInt32LE(at + 24);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    found.push({ name, method, compressed, size, local });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return found;
}

function contents(buffer, entry) {
  const start = entry.local + 30 + buffer.readUInt16LE(entry.local + 26) + buffer.readUInt16LE(entry.local + 28);
  const data = buffer.subarray(start, start + entry.compressed);
  if (entry.method === 0) return data;
  if (entry.method === 8) return inflateRawSync(data);
  throw new Error(`${entry.name}: compression method ${entry.method}`);
}

const list = entries(zip).filter((e) => !e.name.endsWith('/'));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`${file}: ${list.length} files, ${kb(zip.length)} packed, ${kb(list.reduce((n, e) => n + e.size, 0))} unpacked`);
for (const e of [...list].sort((a, b) => b.size - a.size || a.name.localeCompare(b.name)).slice(0, 15)) {
  console.log(`  ${String(e.size).padStart(9)}  ${e.name}`);
}
if (list.length > 15) console.log(`  ... and ${list.length - 15} smaller files`);

const problems = [];
const names = new Set(list.map((e) => e.name));
// vsce renames LICENSE to LICENSE.txt and README.md to readme.md.
const required = [
  'extension/package.json',
  'extension/extension.js',
  'extension/syntaxes/proviso.tmLanguage.json',
  'extension/language-configuration.json',
  'extension/readme.md',
  'extension/LICENSE.txt',
  'extension/node_modules/vscode-languageclient/package.json',
];
for (const name of required) if (!names.has(name)) problems.push(`missing: ${name}`);
const packaging = new Set(['[Content_Types].xml', 'extension.vsixmanifest']);
for (const name of names) {
  if (packaging.has(name) || required.includes(name) || name.startsWith('extension/node_modules/')) continue;
  problems.push(`not expected in the package (add it to .vscodeignore, or to tests/vsix.mjs if it is needed): ${name}`);
}
for (const name of names) {
  if (/^extension\/node_modules\/(vscode-tmgrammar-test|vscode-textmate|vscode-oniguruma|@vscode)\//.test(name)) {
    problems.push(`a development dependency in the package: ${name}`);
  }
}

// The manifest must point at what is packaged.
const manifest = JSON.parse(contents(zip, list.find((e) => e.name === 'extension/package.json')).toString('utf8'));
const mustExist = [manifest.main, ...manifest.contributes.grammars.map((g) => g.path), ...manifest.contributes.languages.map((l) => l.configuration)];
for (const path of mustExist) {
  const name = `extension/${path.replace(/^\.\//, '')}`;
  if (!names.has(name)) problems.push(`package.json names ${path}, which is not in the package`);
}

// Unpack and load the client.
let loads = false;
const dir = mkdtempSync(join(tmpdir(), 'proviso-vsix-'));
try {
  for (const e of list) {
    const target = join(dir, e.name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, contents(zip, e));
  }
  const require = createRequire(join(dir, 'extension', 'extension.js'));
  const Module = require('node:module');
  // Anything, at any depth: a function that is also an object.
  const stub = () => new Proxy(function vscode() {}, {
    get: (target, key) => (key === Symbol.toPrimitive ? () => 'vscode' : key === 'then' ? undefined : stub()),
    apply: () => stub(),
    construct: () => stub(),
  });
  const vscode = stub();
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? vscode : load.call(this, request, ...rest);
  };
  try {
    const extension = require(join(dir, 'extension', 'extension.js'));
    if (typeof extension.activate !== 'function' || typeof extension.deactivate !== 'function') {
      problems.push('extension.js does not export activate and deactivate');
    }
    const client = require.resolve('vscode-languageclient/node');
    if (!client.startsWith(dir)) problems.push(`vscode-languageclient/node was loaded from outside the package: ${client}`);
    else loads = true;
  } catch (error) {
    problems.push(`the packaged extension.js does not load: ${error && error.stack ? error.stack.split('\n').slice(0, 3).join(' | ') : error}`);
  } finally {
    Module._load = load;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

for (const problem of problems) console.error(`vsix: ${problem}`);
console.log(`vsix: ${required.length} required files present, ${list.length} files in all, extension.js loads: ${loads ? 'yes' : 'no'}; ${problems.length} problems`);
if (problems.length > 0) process.exitCode = 1;

// Keeps the TextMate grammar and its samples in step with the language:
// reads the reserved words from grammar/proviso.pest (its rule `keyword`)
// and fails unless each of them
//
// 1. is highlighted as a word of the language when written on its own: a
//    keyword, a storage type or modifier, or a constant (`true`, `false`),
//    never as a name (`variable.other.proviso`) or not at all;
// 2. is the target of at least one assertion in tests/*.proviso that
//    gives it such a scope (so every keyword is tested in context).
//
// It also counts the assertions of the samples, for run.sh's summary.
//
//   node tests/reserved-words.mjs    (from editors/vscode/)
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { extensionDir, loadGrammar, tokenize } from './tokenize.mjs';

const require = createRequire(import.meta.url);
const { parseGrammarTestCase } = require('vscode-tmgrammar-test/dist/unit/parsing.js');

const LANGUAGE_SCOPE = /^(keyword\.|storage\.|constant\.language\.)/;

// The rule is written as first letters and endings:
//     | "c" ~ ("ategory" | "omplete" | ...)
function reservedWords(pest) {
  const rule = pest.match(/^keyword\s*=\s*@\{([\s\S]*?)^\}/m);
  if (!rule) throw new Error('grammar/proviso.pest has no rule `keyword`');
  const words = [];
  for (const line of rule[1].split('\n')) {
    const m = line.match(/^\s*\|?\s*"([a-z])"\s*~\s*\((.*)\)\s*$/);
    if (!m) continue;
    for (const ending of m[2].matchAll(/"([^"]*)"/g)) words.push(m[1] + ending[1]);
  }
  return words;
}

const pestPath = join(extensionDir, '..', '..', 'grammar', 'proviso.pest');
const words = reservedWords(readFileSync(pestPath, 'utf8'));
if (words.length < 50) throw new Error(`only ${words.length} reserved words read from ${pestPath}: has the rule changed shape?`);

const grammar = await loadGrammar();
const problems = [];

for (const word of words) {
  const tokens = tokenize(grammar, word);
  const scopes = tokens.length === 1 ? tokens[0].scopes : [];
  if (!scopes.slice(1).some((s) => LANGUAGE_SCOPE.test(s))) {
    problems.push(`\`${word}\` on its own is scoped ${JSON.stringify(tokens.map((t) => [t.text, t.scopes.join(' ')]))}, not as a word of the language`);
  }
}

// Every assertion of the samples, with the text it points at.
const testsDir = join(extensionDir, 'tests');
const asserted = new Map();
let assertions = 0;
let samples = 0;
for (const name of readdirSync(testsDir).filter((f) => f.endsWith('.proviso')).sort()) {
  samples += 1;
  const testCase = parseGrammarTestCase(readFileSync(join(testsDir, name), 'utf8'));
  for (const line of testCase.assertions) {
    const source = testCase.source[line.sourceLineNumber];
    for (const a of line.scopeAssertions) {
      assertions += 1;
      const text = source.slice(a.from, a.to);
      if (a.scopes.some((s) => LANGUAGE_SCOPE.test(s))) {
        if (!asserted.has(text)) asserted.set(text, []);
        asserted.get(text).push(`${name}:${line.testCaseLineNumber + 1}`);
      }
    }
  }
}
for (const word of words) {
  if (!asserted.has(word)) problems.push(`\`${word}\` is reserved in grammar/proviso.pest but no sample asserts its scope`);
}

for (const problem of problems) console.error(problem);
console.log(`reserved-words: ${words.length} reserved words of grammar/proviso.pest; ${samples} samples hold ${assertions} assertions: ${problems.length} problems`);
if (problems.length > 0) process.exitCode = 1;

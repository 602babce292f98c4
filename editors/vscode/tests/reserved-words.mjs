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
// It also reads the words of the pest rules `*_word` (`group`, `joins`,
// `owns` ...): words of the language only in their phrase, not reserved.
// Unless one is reserved after all, each must be highlighted as a name
// (`variable.other.proviso`) when written on its own, as a party, field or
// member may be called so (`group` starts a declaration only as
// `group NAME ["label"] =`).
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

// The words of the rules written as `NAME_word = @{ "word" ~ !ident_char }`
// (or a choice of words), that are not reserved.
function phraseWords(pest, reserved) {
  const words = new Set();
  for (const m of pest.matchAll(/^[a-z_]+_word\s*=\s*@\{(.*)\}\s*$/gm)) {
    for (const w of m[1].matchAll(/"([a-z][a-z_]*)"/g)) if (!reserved.includes(w[1])) words.add(w[1]);
  }
  return [...words].sort();
}

const pestPath = join(extensionDir, '..', '..', 'grammar', 'proviso.pest');
const pest = readFileSync(pestPath, 'utf8');
const words = reservedWords(pest);
if (words.length < 50) throw new Error(`only ${words.length} reserved words read from ${pestPath}: has the rule changed shape?`);
const unreserved = phraseWords(pest, words);
if (!unreserved.includes('group')) throw new Error(`\`group\` not read from the rule group_word of ${pestPath}: has the rule changed shape?`);

const grammar = await loadGrammar();
const problems = [];

for (const word of words) {
  const tokens = tokenize(grammar, word);
  const scopes = tokens.length === 1 ? tokens[0].scopes : [];
  if (!scopes.slice(1).some((s) => LANGUAGE_SCOPE.test(s))) {
    problems.push(`\`${word}\` on its own is scoped ${JSON.stringify(tokens.map((t) => [t.text, t.scopes.join(' ')]))}, not as a word of the language`);
  }
}

for (const word of unreserved) {
  const tokens = tokenize(grammar, word);
  const scopes = tokens.length === 1 ? tokens[0].scopes : [];
  if (scopes.join(' ') !== 'source.proviso variable.other.proviso') {
    problems.push(`\`${word}\` is not reserved in grammar/proviso.pest, but on its own is scoped ${JSON.stringify(tokens.map((t) => [t.text, t.scopes.join(' ')]))}, not as a name`);
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
console.log(`reserved-words: ${words.length} reserved words of grammar/proviso.pest, and ${unreserved.length} words of its phrases that are not reserved (names on their own); ${samples} samples hold ${assertions} assertions: ${problems.length} problems`);
if (problems.length > 0) process.exitCode = 1;

// Tokenizes every real clause file of the project with the extension's
// TextMate grammar, as VS Code would (vscode-textmate, vscode-oniguruma),
// and fails if the grammar leaves anything unrecognised:
//
// - a character that is not white space and carries only the root scope
//   `source.proviso`. Comments have their own scope, and so does every
//   piece of punctuation (`:` `,` `|` `(` `)` `{` `}` `.`), so this is
//   strict: the grammar must recognise every word, number and sign of
//   every file;
// - a token scoped `invalid.illegal` (a stray brace, an unknown escape, a
//   `$135`): these files all pass `proviso check`, so nothing in them is
//   invalid.
//
// The files: every `*.proviso` under contracts/, examples/ and
// tests/valid/, and every ```proviso block of docs/language.md (each of
// which the project's own tests check). Each problem is printed as
// file:line:col with the text and its scopes.
//
//   node tests/every-file.mjs [FILE ...]    (from editors/vscode/)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { extensionDir, loadGrammar, tokenize } from './tokenize.mjs';

const root = join(extensionDir, '..', '..');

function provisoFiles(dir) {
  const found = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...provisoFiles(path));
    else if (entry.endsWith('.proviso')) found.push(path);
  }
  return found;
}

// Each ```proviso block of a Markdown file, with the line it starts on.
function markdownBlocks(path) {
  const blocks = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  let start = -1;
  lines.forEach((line, i) => {
    if (start < 0 && /^```proviso\s*$/.test(line)) start = i + 1;
    else if (start >= 0 && /^```\s*$/.test(line)) {
      blocks.push({ offset: start, text: lines.slice(start, i).join('\n') });
      start = -1;
    }
  });
  return blocks;
}

const sources = [];
const args = process.argv.slice(2);
if (args.length > 0) {
  for (const file of args) sources.push({ name: file, offset: 0, text: readFileSync(file, 'utf8') });
} else {
  for (const dir of ['contracts', 'examples', join('tests', 'valid')]) {
    for (const file of provisoFiles(join(root, dir))) {
      sources.push({ name: relative(root, file), offset: 0, text: readFileSync(file, 'utf8') });
    }
  }
  const guide = join(root, 'docs', 'language.md');
  for (const block of markdownBlocks(guide)) {
    sources.push({ name: relative(root, guide), offset: block.offset, text: block.text });
  }
}

const grammar = await loadGrammar();
const problems = [];
let tokens = 0;
let characters = 0;
for (const source of sources) {
  for (const token of tokenize(grammar, source.text)) {
    tokens += 1;
    characters += token.text.length;
    const lead = token.text.length - token.text.trimStart().length;
    const where = `${source.name}:${token.line + source.offset}:${token.start + lead + 1}`;
    if (token.scopes.length === 1 && /\S/.test(token.text)) {
      problems.push(`${where}: ${JSON.stringify(token.text.trim())} has no scope but source.proviso`);
    } else if (token.scopes.some((s) => s.startsWith('invalid.'))) {
      problems.push(`${where}: ${JSON.stringify(token.text)} is scoped ${token.scopes.join(' ')}`);
    }
  }
}

const blocks = sources.filter((s) => s.offset > 0).length;
for (const problem of problems) console.error(problem);
console.log(`every-file: ${sources.length - blocks} clause files and ${blocks} blocks of docs/language.md, ${tokens} tokens, ${characters} characters: ${problems.length} problems`);
if (sources.length === 0 || problems.length > 0) process.exitCode = 1;

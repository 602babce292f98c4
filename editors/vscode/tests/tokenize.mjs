// Loads the proviso TextMate grammar with vscode-textmate and
// vscode-oniguruma (the engine VS Code itself uses), for the checks in
// this folder.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

export const extensionDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const grammarPath = join(extensionDir, 'syntaxes', 'proviso.tmLanguage.json');

export async function loadGrammar() {
  const wasm = readFileSync(join(dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.proviso') return null;
      return vsctm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath);
    },
  });
  const grammar = await registry.loadGrammar('source.proviso');
  if (!grammar) throw new Error(`cannot load ${grammarPath}`);
  return grammar;
}

// Every token of a text: { line, start, end, text, scopes } with lines
// and columns counted from 1 and 0 (columns in UTF-16 units, as VS Code
// counts them).
export function tokenize(grammar, text) {
  const tokens = [];
  let state = vsctm.INITIAL;
  text.split(/\r?\n/).forEach((line, index) => {
    const result = grammar.tokenizeLine(line, state);
    for (const t of result.tokens) {
      const end = Math.min(t.endIndex, line.length);
      if (t.startIndex < end) {
        tokens.push({ line: index + 1, start: t.startIndex, end, text: line.slice(t.startIndex, end), scopes: t.scopes });
      }
    }
    state = result.ruleStack;
  });
  return tokens;
}

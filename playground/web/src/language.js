// The proviso language mode for CodeMirror: the TextMate grammar of the
// VS Code extension (editors/vscode/syntaxes/proviso.tmLanguage.json), run
// by vscode-textmate on vscode-oniguruma as VS Code runs it, so that the
// playground and the editor extension highlight every token alike.
//
// CodeMirror asks a stream language for one token at a time; the grammar
// tokenizes a whole line from the state the line before left. So each
// line is tokenized once, at its start, and its tokens handed out in
// turn; the grammar's rule stack is the state carried to the next line
// (it is immutable, so copying the state shares it).
import { StreamLanguage, HighlightStyle } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';
import grammarJson from '../../../editors/vscode/syntaxes/proviso.tmLanguage.json';

// A TextMate scope, by its longest listed prefix, to a highlighting name.
// Order matters: the first prefix that matches wins.
const SCOPES = [
  ['comment', 'comment'],
  ['punctuation.definition.comment', 'comment'],
  ['constant.character.escape', 'escape'],
  ['punctuation.definition.string', 'string'],
  ['string', 'string'],
  ['constant.numeric', 'number'],
  ['constant.other', 'number'],
  ['keyword.other.unit', 'unit'],
  ['constant.language', 'atom'],
  ['keyword.control', 'control'],
  ['keyword.operator', 'operator'],
  ['keyword', 'keyword'],
  ['storage.type', 'declaration'],
  ['storage.modifier', 'modifier'],
  ['entity.name.type', 'typeDefinition'],
  ['entity.name.function', 'functionDefinition'],
  ['entity.name', 'nameDefinition'],
  ['support.type', 'type'],
  ['variable.other.event', 'event'],
  ['variable.other.property', 'property'],
  ['variable.other.enummember', 'member'],
  ['variable.other.party', 'party'],
  ['variable', 'name'],
  ['punctuation', 'punctuation'],
];

// The highlighting name of a token: its innermost scope that has one.
export function highlightName(scopes) {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i];
    for (const [prefix, name] of SCOPES) {
      if (scope === prefix || scope.startsWith(prefix + '.')) return name;
    }
  }
  return null;
}

const TOKEN_TABLE = {
  comment: tags.lineComment,
  escape: tags.escape,
  string: tags.string,
  number: tags.number,
  unit: tags.unit,
  atom: tags.atom,
  control: tags.controlKeyword,
  operator: tags.operatorKeyword,
  keyword: tags.keyword,
  declaration: tags.definitionKeyword,
  modifier: tags.modifier,
  typeDefinition: tags.definition(tags.typeName),
  functionDefinition: tags.definition(tags.function(tags.variableName)),
  nameDefinition: tags.definition(tags.variableName),
  type: tags.typeName,
  event: tags.function(tags.variableName),
  property: tags.propertyName,
  member: tags.constant(tags.variableName),
  party: tags.special(tags.variableName),
  name: tags.variableName,
  punctuation: tags.punctuation,
};

// Colours close to VS Code's Light+ theme, so that a drafter sees what
// the extension shows.
export const provisoHighlightStyle = HighlightStyle.define([
  { tag: tags.lineComment, color: '#008000', fontStyle: 'italic' },
  { tag: [tags.string, tags.escape], color: '#a31515' },
  { tag: [tags.number, tags.unit], color: '#098658' },
  { tag: tags.atom, color: '#0000ff' },
  { tag: [tags.controlKeyword, tags.operatorKeyword], color: '#af00db' },
  { tag: [tags.keyword, tags.definitionKeyword, tags.modifier], color: '#0000ff' },
  { tag: [tags.definition(tags.typeName), tags.typeName], color: '#267f99' },
  { tag: [tags.definition(tags.function(tags.variableName)), tags.function(tags.variableName)], color: '#795e26' },
  { tag: tags.definition(tags.variableName), color: '#001080', fontWeight: 'bold' },
  { tag: [tags.propertyName, tags.variableName], color: '#001080' },
  { tag: tags.special(tags.variableName), color: '#001080', fontWeight: '600' },
  { tag: tags.constant(tags.variableName), color: '#0070c1' },
]);

// Loads the grammar (after the regular-expression engine, `onig.wasm`,
// fetched from `onigUrl`) and returns the language.
export async function provisoLanguage(onigUrl) {
  const onig = await fetch(onigUrl);
  if (!onig.ok) throw new Error(`cannot load ${onigUrl}: ${onig.status}`);
  await oniguruma.loadWASM(await onig.arrayBuffer());
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => (scopeName === 'source.proviso' ? grammarJson : null),
  });
  const grammar = await registry.loadGrammar('source.proviso');
  if (!grammar) throw new Error('cannot load the proviso grammar');
  return StreamLanguage.define({
    name: 'proviso',
    startState: () => ({ stack: vsctm.INITIAL, tokens: [], index: 0 }),
    copyState: (state) => ({ stack: state.stack, tokens: state.tokens, index: state.index }),
    token(stream, state) {
      if (stream.sol()) {
        // A pathological line cannot hang the page: tokenizing stops
        // after 50 ms and the rest of the line is left plain.
        const result = grammar.tokenizeLine(stream.string, state.stack, 50);
        state.tokens = result.tokens;
        state.index = 0;
        state.stack = result.ruleStack;
      }
      while (state.index < state.tokens.length && state.tokens[state.index].endIndex <= stream.pos) {
        state.index++;
      }
      const token = state.tokens[state.index];
      if (!token) {
        stream.skipToEnd();
        return null;
      }
      stream.pos = Math.max(stream.pos + 1, Math.min(token.endIndex, stream.string.length));
      return highlightName(token.scopes);
    },
    blankLine(state) {
      state.stack = grammar.tokenizeLine('', state.stack).ruleStack;
    },
    tokenTable: TOKEN_TABLE,
    languageData: { commentTokens: { line: '#' } },
  });
}

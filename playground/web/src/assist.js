// What `proviso lsp` gives an editor, for the playground's editors: a
// hover on a name or a value, and completion in context — both answered
// by the WebAssembly module from the same library code as the server.
import { hoverTooltip } from '@codemirror/view';

// The Markdown of a hover, as DOM: paragraphs, `> ` quotations, **bold**,
// `code` and backslash escapes — all the server writes. Text is set as
// text, never parsed as HTML.
export function markdownDom(markdown) {
  const root = document.createElement('div');
  root.className = 'proviso-hover';
  for (const paragraph of markdown.split('\n\n')) {
    const quoted = paragraph.startsWith('> ');
    const block = document.createElement(quoted ? 'blockquote' : 'p');
    const text = quoted ? paragraph.split('\n').map((l) => l.replace(/^> ?/, '')).join('\n') : paragraph;
    inline(block, text);
    root.append(block);
  }
  return root;
}

function inline(parent, text) {
  let plain = '';
  const flush = () => {
    if (plain) parent.append(document.createTextNode(plain));
    plain = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      plain += text[++i];
    } else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) {
        plain += c;
        continue;
      }
      flush();
      const code = document.createElement('code');
      code.textContent = text.slice(i + 1, end);
      parent.append(code);
      i = end;
    } else if (text.startsWith('**', i)) {
      const end = text.indexOf('**', i + 2);
      if (end < 0) {
        plain += c;
        continue;
      }
      flush();
      const strong = document.createElement('strong');
      inline(strong, text.slice(i + 2, end));
      parent.append(strong);
      i = end + 1;
    } else {
      plain += c;
    }
  }
  flush();
}

export function provisoHover(proviso) {
  return hoverTooltip((view, pos) => {
    const markdown = proviso.hover(view.state.doc.toString(), pos);
    if (!markdown) return null;
    return { pos, above: true, create: () => ({ dom: markdownDom(markdown) }) };
  });
}

// Completion: only when asked, after a word character, a `.` or a space.
export function provisoCompletion(proviso) {
  return (context) => {
    const before = context.state.sliceDoc(Math.max(0, context.pos - 1), context.pos);
    if (!context.explicit && !/[\w. ]/.test(before)) return null;
    const out = JSON.parse(proviso.completions(context.state.doc.toString(), context.pos));
    if (!out.options.length) return null;
    return {
      from: out.from,
      options: out.options.map((o, rank) => ({ label: o.label, type: o.kind, detail: o.detail ?? undefined, boost: -rank / 1000 })),
      validFor: /^\w*$/,
    };
  };
}

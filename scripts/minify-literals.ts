import type { Plugin } from 'vite';

/**
 * Shrinks the widget's Lit literals at build time: CSS in css`…` loses comments and
 * spaces around punctuation; HTML in html`…` has each line break and its indentation
 * folded into one space, which HTML renders the same. Expressions inside templates are
 * kept as they are.
 */
export function minifyLiterals(): Plugin {
  return {
    name: 'minify-lit-literals',
    transform(code, id) {
      if (!id.includes('/src/widget/')) return undefined;
      const css = code.replace(/\bcss`([^`$]*)`/g, (_whole, text: string) => `css\`${minifyCss(text)}\``);
      return { code: minifyHtmlTemplates(css), map: null };
    },
  };
}

/** Removes what CSS does not need: comments, runs of whitespace, spaces around punctuation. */
export function minifyCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .replace(/\[(\w+)='([\w-]+)'\]/g, '[$1=$2]')
    .replace(/(^|[^\w.])0\.(\d)/g, '$1.$2')
    .replace(/ \* /g, '*')
    .trim();
}

const foldLines = (text: string) => text.replace(/\s*\n\s*/g, ' ');

/** Folds line breaks in the text of every html`…` template, nested ones included. */
export function minifyHtmlTemplates(code: string): string {
  let out = '';
  let i = 0;
  for (let start = code.indexOf('html`'); start >= 0; start = code.indexOf('html`', i)) {
    out += code.slice(i, start + 5);
    const [template, end] = scanTemplate(code, start + 5, true);
    out += template;
    i = end;
  }
  return out + code.slice(i);
}

/** Reads a template literal from just after its opening backtick to just after its closing one. */
function scanTemplate(code: string, i: number, fold: boolean): [string, number] {
  let out = '';
  let text = '';
  const flush = () => {
    out += fold ? foldLines(text) : text;
    text = '';
  };
  while (i < code.length) {
    const ch = code[i]!;
    if (ch === '\\') {
      text += code.slice(i, i + 2);
      i += 2;
    } else if (ch === '`') {
      flush();
      return [out + '`', i + 1];
    } else if (ch === '$' && code[i + 1] === '{') {
      flush();
      const [expression, end] = scanExpression(code, i + 2);
      out += '${' + expression;
      i = end;
    } else {
      text += ch;
      i++;
    }
  }
  throw new Error('unterminated template literal');
}

/** Reads a `${…}` expression up to and including its closing brace. */
function scanExpression(code: string, i: number): [string, number] {
  let out = '';
  let depth = 0;
  while (i < code.length) {
    const ch = code[i]!;
    if (ch === '"' || ch === "'") {
      let end = i + 1;
      while (code[end] !== ch) end += code[end] === '\\' ? 2 : 1;
      out += code.slice(i, end + 1);
      i = end + 1;
    } else if (ch === '`') {
      const [template, end] = scanTemplate(code, i + 1, /\bhtml$/.test(out));
      out += '`' + template;
      i = end;
    } else {
      if (ch === '{') depth++;
      if (ch === '}' && depth-- === 0) return [out + '}', i + 1];
      out += ch;
      i++;
    }
  }
  throw new Error('unterminated template expression');
}

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
      return { code: minifyTemplates(minifyTemplates(code, 'css', minifyCss), 'html', foldLines), map: null };
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
    .replace(/#([\da-f])\1([\da-f])\2([\da-f])\3\b/gi, '#$1$2$3')
    .replace(/(^|[^\w.])0\.(\d)/g, '$1.$2')
    .replace(/ \* /g, '*')
    .trim();
}

/**
 * Folds each line break and its indentation into one space, or into nothing between a tag
 * and what follows or precedes it (in the widget's templates, markup or block content).
 */
const foldLines = (text: string) =>
  text
    .replace(/>\s*\n\s*/g, '>')
    .replace(/\s*\n\s*(?=<)/g, '')
    .replace(/\s*\n\s*/g, ' ')
    // Quotes around plain attribute values (part="input") are optional in HTML; the
    // widget's templates have no such pattern in their text.
    .replace(/ ([\w-]+)="([\w.-]+)"(?=[\s/>]|$)/g, ' $1=$2');

/** Shrinks the text of every `tag`…`` template (css or html) with `shrink`, nested ones of the same tag included. */
export function minifyTemplates(code: string, tag: string, shrink: (text: string) => string): string {
  let out = '';
  let i = 0;
  const opening = `${tag}\``;
  for (let start = code.indexOf(opening); start >= 0; start = code.indexOf(opening, i)) {
    out += code.slice(i, start + opening.length);
    const [template, end] = scanTemplate(code, start + opening.length, tag, shrink);
    out += template;
    i = end;
  }
  return out + code.slice(i);
}

/** Reads a template literal from just after its opening backtick to just after its closing one. */
function scanTemplate(
  code: string,
  i: number,
  tag: string,
  shrink: ((text: string) => string) | undefined,
): [string, number] {
  let out = '';
  let text = '';
  const flush = () => {
    out += shrink ? shrink(text) : text;
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
      const [expression, end] = scanExpression(code, i + 2, tag, shrink);
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
function scanExpression(
  code: string,
  i: number,
  tag: string,
  shrink: ((text: string) => string) | undefined,
): [string, number] {
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
      const [template, end] = scanTemplate(code, i + 1, tag, new RegExp(`\\b${tag}$`).test(out) ? shrink : undefined);
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

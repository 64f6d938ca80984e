/**
 * A tokenizer for the part of Python that env.py files are written in: it splits source into
 * top-level logical statements of tokens, as Python's own tokenizer would, so that the static
 * reader can recognise literal assignments. It does not parse expressions.
 */

export type Token =
  | { readonly kind: 'name'; readonly text: string; readonly line: number }
  | { readonly kind: 'string'; readonly value: string; readonly prefix: string; readonly line: number }
  | { readonly kind: 'number'; readonly text: string; readonly line: number }
  | { readonly kind: 'op'; readonly text: string; readonly line: number };

export interface Statement {
  readonly tokens: readonly Token[];
  readonly line: number;
  /** The logical line starts with whitespace: it belongs to a compound statement above it. */
  readonly indented: boolean;
}

/** Thrown when source is outside what can be read without Python; the message names the construct. */
export class NeedsPython extends Error {}

const STRING_START = /^([rRuUbBfF]{0,2})('''|"""|'|")/;

/**
 * Splits source into top-level logical statements, the way Python's tokenizer does: brackets and
 * backslashes continue a line, `;` and newlines end one, comments vanish, strings may span lines
 * only when triple-quoted.
 */
export function splitStatements(source: string): Statement[] {
  const statements: Statement[] = [];
  let tokens: Token[] = [];
  let depth = 0;
  let line = 1;
  let statementLine = 1;
  let indented = false;
  let atLineStart = true;
  let i = source.charCodeAt(0) === 0xfeff ? 1 : 0;

  const endStatement = (): void => {
    if (tokens.length > 0) statements.push({ tokens, line: statementLine, indented });
    tokens = [];
    indented = false;
  };

  while (i < source.length) {
    const char = source[i]!;
    if (atLineStart && depth === 0) {
      // Leading whitespace matters only on a line that holds code and starts a statement.
      let j = i;
      while (source[j] === ' ' || source[j] === '\t' || source[j] === '\f') j++;
      const after = source[j];
      if (tokens.length === 0 && after !== undefined && after !== '\n' && after !== '\r' && after !== '#') {
        indented = j > i;
        statementLine = line;
      }
      atLineStart = false;
      i = j;
      continue;
    }
    if (char === '\r' || char === '\n') {
      i += char === '\r' && source[i + 1] === '\n' ? 2 : 1;
      line++;
      if (depth === 0) {
        endStatement();
        atLineStart = true;
      }
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\f') {
      i++;
      continue;
    }
    if (char === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
      continue;
    }
    if (char === '\\' && (source[i + 1] === '\n' || source[i + 1] === '\r')) {
      i += source[i + 1] === '\r' && source[i + 2] === '\n' ? 3 : 2;
      line++;
      continue;
    }
    if (tokens.length === 0) statementLine = line;

    const stringStart = STRING_START.exec(source.slice(i, i + 5));
    if (stringStart) {
      const prefix = stringStart[1]!;
      const quote = stringStart[2]!;
      const read = readStringLiteral(
        source,
        i + prefix.length + quote.length,
        quote,
        prefix.toLowerCase().includes('r'),
        line,
      );
      tokens.push({ kind: 'string', value: read.value, prefix, line });
      line += read.newlines;
      i = read.end;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i, i + 200));
    if (word) {
      tokens.push({ kind: 'name', text: word[0], line });
      i += word[0].length;
      continue;
    }
    const number = /^[0-9][0-9A-Za-z_.]*/.exec(source.slice(i, i + 100));
    if (number) {
      tokens.push({ kind: 'number', text: number[0], line });
      i += number[0].length;
      continue;
    }
    if (char === ';' && depth === 0) {
      endStatement();
      i++;
      continue;
    }
    if (char === '(' || char === '[' || char === '{') depth++;
    if ((char === ')' || char === ']' || char === '}') && depth > 0) depth--;
    // Two-character operators matter only so that `==` is not read as an assignment.
    const twoChar = source.slice(i, i + 2);
    const op = ['==', '!=', '<=', '>=', '->', ':=', '**', '//', '+=', '-=', '*=', '/=', '|=', '&='].includes(
      twoChar,
    )
      ? twoChar
      : char;
    tokens.push({ kind: 'op', text: op, line });
    i += op.length;
  }
  if (depth > 0) throw new NeedsPython(`env.py line ${statementLine} has an unclosed bracket`);
  endStatement();
  return statements;
}

/** Reads a string body starting after its opening quote; returns the value and where it ends. */
function readStringLiteral(
  source: string,
  start: number,
  quote: string,
  raw: boolean,
  line: number,
): { value: string; end: number; newlines: number } {
  const triple = quote.length === 3;
  let value = '';
  let newlines = 0;
  let i = start;
  while (i < source.length) {
    if (source.startsWith(quote, i)) return { value, end: i + quote.length, newlines };
    const char = source[i]!;
    if (char === '\n' || char === '\r') {
      if (!triple) break;
      newlines++;
      const width = char === '\r' && source[i + 1] === '\n' ? 2 : 1;
      value += '\n';
      i += width;
      continue;
    }
    if (char === '\\' && i + 1 < source.length) {
      const escaped = readEscape(source, i, raw);
      value += escaped.text;
      newlines += escaped.newlines;
      i = escaped.end;
      continue;
    }
    value += char;
    i++;
  }
  throw new NeedsPython(`env.py line ${line} has an unterminated string`);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

function readEscape(
  source: string,
  at: number,
  raw: boolean,
): { text: string; end: number; newlines: number } {
  const next = source[at + 1]!;
  if (next === '\n' || next === '\r') {
    const width = next === '\r' && source[at + 2] === '\n' ? 3 : 2;
    // A backslash-newline is a line continuation inside a normal string, kept as written in a raw one.
    return { text: raw ? source.slice(at, at + width) : '', end: at + width, newlines: 1 };
  }
  // In a raw string a backslash only protects the quote from ending the string.
  if (raw) return { text: `\\${next}`, end: at + 2, newlines: 0 };
  const simple = SIMPLE_ESCAPES[next];
  if (simple !== undefined) return { text: simple, end: at + 2, newlines: 0 };
  const octal = /^[0-7]{1,3}/.exec(source.slice(at + 1, at + 4));
  if (octal)
    return { text: String.fromCodePoint(parseInt(octal[0], 8)), end: at + 1 + octal[0].length, newlines: 0 };
  const hexLength = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
  if (hexLength > 0) {
    const hex = source.slice(at + 2, at + 2 + hexLength);
    if (new RegExp(`^[0-9A-Fa-f]{${hexLength}}$`).test(hex)) {
      return { text: String.fromCodePoint(parseInt(hex, 16)), end: at + 2 + hexLength, newlines: 0 };
    }
  }
  if (next === 'N') throw new NeedsPython('env.py uses a \\N{...} escape');
  // Python keeps unknown escapes as written.
  return { text: `\\${next}`, end: at + 2, newlines: 0 };
}

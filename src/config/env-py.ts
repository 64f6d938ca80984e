/**
 * Reading `jetbase/env.py` (contract A13, §1.3, §1.5).
 *
 * Most env.py files are a few literal assignments and `os.getenv` calls: those are read statically
 * here, without Python. Anything else (a `get_env_vars()` function, `load_dotenv()`, `if`/`else`,
 * f-strings, calls, names assigned from names) is evaluated by `python3` when one is on PATH, the
 * way Jetbase itself imports the file; without Python the caller gets the construct that needs it.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import path from 'node:path';

import { ConfigError } from '../engine/errors.js';
import { redactUrlsIn, redactor } from '../report/redact.js';
import { readUtf8File } from './text-file.js';
import type { ConfigKey } from './types.js';

/** The configuration keys env.py may define (contract §1.2 + §1.5). */
export const CONFIG_KEYS: readonly ConfigKey[] = [
  'sqlalchemy_url',
  'async_mode',
  'postgres_schema',
  'model_paths',
  'skip_validation',
  'skip_checksum_validation',
  'skip_file_validation',
  'snowflake_private_key',
  'snowflake_private_key_password',
];

/** A Python value as read from env.py; a value of any other type is named by `unsupportedType`. */
export type EnvPyValue =
  string | boolean | number | null | readonly string[] | { readonly unsupportedType: string };

export type EnvPyValues = Partial<Record<ConfigKey, EnvPyValue>>;

export interface StaticEnvPy {
  /** Every name bound by a literal top-level assignment (the last one wins), `None` included. */
  readonly values: Readonly<Record<string, EnvPyValue>>;
  /** What needs Python, most telling first (e.g. "env.py defines get_env_vars()"); empty when fully static. */
  readonly needsPython: readonly string[];
}

export interface EnvPyResult {
  readonly path: string;
  /** Config keys env.py sets to something other than None. */
  readonly values: EnvPyValues;
  /**
   * 'static': read without Python; 'python': evaluated by python3; 'static-partial': the file
   * needs Python and none was available, so only its literal assignments are in `values`.
   */
  readonly mode: 'static' | 'python' | 'static-partial';
  /** For 'static-partial': the construct that needs Python. */
  readonly unreadConstruct: string | null;
  /** For 'python': whether the built-in `dotenv` stand-in was used. */
  readonly usedDotenvStandIn: boolean;
}

/**
 * Reads `<jetbaseDir>/env.py`, or returns null when there is none. `python` is the interpreter to
 * evaluate it with when it is not static; null means there is none.
 */
export async function loadEnvPy(args: {
  jetbaseDir: string;
  env: NodeJS.ProcessEnv;
  python: string | null;
}): Promise<EnvPyResult | null> {
  const envPyPath = path.join(args.jetbaseDir, 'env.py');
  let source: string;
  try {
    source = readUtf8File(envPyPath);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (isNodeError(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) return null;
    throw new ConfigError(`Cannot read ${envPyPath}: ${isNodeError(error) ? error.code : String(error)}`);
  }

  const statics = readEnvPyStatic(source, args.env);
  if (statics.needsPython.length === 0) {
    return {
      path: envPyPath,
      values: configValues(statics.values),
      mode: 'static',
      unreadConstruct: null,
      usedDotenvStandIn: false,
    };
  }
  if (args.python === null) {
    return {
      path: envPyPath,
      values: configValues(statics.values),
      mode: 'static-partial',
      unreadConstruct: statics.needsPython[0]!,
      usedDotenvStandIn: false,
    };
  }
  const evaluated = await evaluateEnvPy({ envPyPath, python: args.python, env: args.env });
  return {
    path: envPyPath,
    values: evaluated.values,
    mode: 'python',
    unreadConstruct: null,
    usedDotenvStandIn: evaluated.usedDotenvStandIn,
  };
}

function configValues(values: Readonly<Record<string, EnvPyValue>>): EnvPyValues {
  const result: EnvPyValues = {};
  for (const key of CONFIG_KEYS) {
    const value = values[key];
    if (value !== undefined && value !== null) result[key] = value;
  }
  return result;
}

/** The first `python3` on the PATH of `env`, or null. */
export function findPython(env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, 'python3');
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Static reader

type Token =
  | { readonly kind: 'name'; readonly text: string; readonly line: number }
  | { readonly kind: 'string'; readonly value: string; readonly prefix: string; readonly line: number }
  | { readonly kind: 'number'; readonly text: string; readonly line: number }
  | { readonly kind: 'op'; readonly text: string; readonly line: number };

interface Statement {
  readonly tokens: readonly Token[];
  readonly line: number;
  /** The logical line starts with whitespace: it belongs to a compound statement above it. */
  readonly indented: boolean;
}

/** Thrown when an expression or statement is outside the static subset; the message names it. */
class NeedsPython extends Error {}

/** Reads the literal top-level assignments of env.py; see `StaticEnvPy`. */
export function readEnvPyStatic(source: string, env: NodeJS.ProcessEnv): StaticEnvPy {
  let statements: Statement[];
  try {
    statements = splitStatements(source);
  } catch (error) {
    if (error instanceof NeedsPython) return { values: {}, needsPython: [error.message] };
    throw error;
  }

  const values: Record<string, EnvPyValue> = {};
  const needsPython: string[] = [];
  /** Names bound by `from os import getenv, environ [as x]`, local name -> os attribute. */
  const fromOs = new Map<string, string>();

  for (const statement of statements) {
    const [first] = statement.tokens;
    if (first === undefined) continue;
    if (statement.indented) {
      // Part of a compound statement reported above it, unless it is what matters most.
      const described = describeStatement(statement);
      if (described.includes('get_env_vars()')) needsPython.push(described);
      else if (needsPython.length === 0) needsPython.push(`env.py line ${statement.line} is indented`);
      continue;
    }
    if (first.kind === 'name' && first.text === 'import') continue;
    if (first.kind === 'name' && first.text === 'from') {
      recordFromOsImports(statement.tokens, fromOs);
      continue;
    }
    if (statement.tokens.every((token) => token.kind === 'string')) continue; // a docstring

    const second = statement.tokens[1];
    if (first.kind === 'name' && second?.kind === 'op' && second.text === '=' && !isKeyword(first.text)) {
      try {
        const reader = new ExpressionReader(statement.tokens.slice(2), statement.line, env, fromOs);
        const value = reader.readWhole();
        values[first.text] = value;
      } catch (error) {
        if (!(error instanceof NeedsPython)) throw error;
        // The name is no longer a known literal: Python must decide its value.
        delete values[first.text];
        needsPython.push(error.message.replace('{target}', first.text));
      }
      continue;
    }
    needsPython.push(describeStatement(statement));
  }

  const getEnvVars = needsPython.find((construct) => construct.includes('get_env_vars()'));
  if (getEnvVars !== undefined)
    needsPython.unshift(...needsPython.splice(needsPython.indexOf(getEnvVars), 1));
  return { values, needsPython };
}

const KEYWORDS = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'match',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
]);

function isKeyword(name: string): boolean {
  return KEYWORDS.has(name);
}

function recordFromOsImports(tokens: readonly Token[], fromOs: Map<string, string>): void {
  // from os import getenv, environ as env   |   from os import (getenv, environ)
  const moduleName = tokens[1];
  if (
    moduleName?.kind !== 'name' ||
    moduleName.text !== 'os' ||
    tokens[2]?.kind !== 'name' ||
    tokens[2].text !== 'import'
  )
    return;
  const groups: string[][] = [[]];
  for (const token of tokens.slice(3)) {
    if (token.kind === 'name') groups[groups.length - 1]!.push(token.text);
    else if (token.kind === 'op' && token.text === ',') groups.push([]);
  }
  for (const [imported, as, alias] of groups) {
    if (imported !== undefined) fromOs.set(as === 'as' && alias !== undefined ? alias : imported, imported);
  }
}

function describeStatement(statement: Statement): string {
  const [first, second] = statement.tokens;
  const where = `(line ${statement.line})`;
  if (first?.kind === 'name') {
    if (first.text === 'def' && second?.kind === 'name') {
      return second.text === 'get_env_vars'
        ? 'env.py defines get_env_vars()'
        : `env.py defines a function ${second.text}() ${where}`;
    }
    if (first.text === 'async' && second?.kind === 'name' && second.text === 'def')
      return `env.py defines an async function ${where}`;
    if (['if', 'elif', 'else', 'for', 'while', 'try', 'with', 'class', 'match'].includes(first.text)) {
      return `env.py uses an '${first.text}' statement ${where}`;
    }
    const callee = dottedNameBeforeCall(statement.tokens);
    if (callee === 'load_dotenv' || callee?.endsWith('.load_dotenv'))
      return `env.py calls load_dotenv() ${where}`;
    if (callee !== null) return `env.py calls ${callee}() ${where}`;
  }
  return `env.py line ${statement.line} is not a literal assignment`;
}

/** `a.b.c(` at the start of `tokens` -> "a.b.c", else null. */
function dottedNameBeforeCall(tokens: readonly Token[]): string | null {
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    const token = tokens[i];
    if (token?.kind !== 'name') return null;
    parts.push(token.text);
    const next = tokens[i + 1];
    if (next?.kind === 'op' && next.text === '(') return parts.join('.');
    if (next?.kind !== 'op' || next.text !== '.') return null;
    i += 2;
  }
}

/** Reads one expression of the static subset; anything else throws NeedsPython naming it. */
class ExpressionReader {
  private position = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly line: number,
    private readonly env: NodeJS.ProcessEnv,
    private readonly fromOs: ReadonlyMap<string, string>,
  ) {}

  readWhole(): EnvPyValue {
    if (this.tokens.length === 0)
      throw this.unsupported(`env.py line ${this.line} is not a literal assignment`);
    const value = this.expression();
    if (this.position < this.tokens.length) {
      throw this.unsupported(
        `env.py assigns {target} an expression that is not a literal (line ${this.line})`,
      );
    }
    return value;
  }

  private expression(): EnvPyValue {
    const token = this.peek();
    if (token === undefined) throw this.unsupported(`env.py line ${this.line} is not a literal assignment`);
    if (token.kind === 'string') return this.strings();
    if (token.kind === 'number') {
      this.position++;
      return this.integer(token.text);
    }
    if (token.kind === 'op') {
      if (token.text === '(') {
        this.position++;
        const inner = this.expression();
        this.expectOp(')');
        return inner;
      }
      if (token.text === '[') return this.stringList();
      if (token.text === '-' && this.tokens[this.position + 1]?.kind === 'number') {
        this.position++;
        return -this.integer((this.next() as { text: string }).text);
      }
      throw this.unsupported(
        `env.py assigns {target} an expression that is not a literal (line ${this.line})`,
      );
    }
    if (token.kind === 'name') {
      if (token.text === 'True' || token.text === 'False' || token.text === 'None') {
        this.position++;
        return token.text === 'None' ? null : token.text === 'True';
      }
      const lookup = this.environmentLookup();
      if (lookup !== undefined) return lookup;
      const callee = dottedNameBeforeCall(this.tokens.slice(this.position));
      if (callee !== null) throw this.unsupported(`env.py calls ${callee}() (line ${this.line})`);
      throw this.unsupported(`env.py assigns {target} from another name (line ${this.line})`);
    }
    throw this.unsupported(`env.py line ${this.line} is not a literal assignment`);
  }

  /** Adjacent literals concatenate, as in Python: `("a" "b")`. */
  private strings(): string {
    let text = '';
    while (this.peek()?.kind === 'string') {
      const token = this.next() as Extract<Token, { kind: 'string' }>;
      const prefix = token.prefix.toLowerCase();
      if (prefix.includes('f')) throw this.unsupported(`env.py uses an f-string (line ${token.line})`);
      if (prefix.includes('b'))
        throw this.unsupported(`env.py assigns {target} a bytes literal (line ${token.line})`);
      text += token.value;
    }
    return text;
  }

  private integer(text: string): number {
    if (!/^(?:0|[1-9](?:_?[0-9])*)$/.test(text)) {
      throw this.unsupported(
        `env.py assigns {target} a number that is not a plain integer (line ${this.line})`,
      );
    }
    return Number(text.replace(/_/g, ''));
  }

  private stringList(): string[] {
    this.expectOp('[');
    const items: string[] = [];
    while (!this.isOp(']')) {
      const item = this.expression();
      if (typeof item !== 'string')
        throw this.unsupported(
          `env.py assigns {target} a list that is not a list of strings (line ${this.line})`,
        );
      items.push(item);
      if (this.isOp(',')) this.position++;
      else if (!this.isOp(']'))
        throw this.unsupported(
          `env.py assigns {target} an expression that is not a literal (line ${this.line})`,
        );
    }
    this.expectOp(']');
    return items;
  }

  /**
   * `os.getenv(k[, d])`, `os.environ.get(k[, d])`, `os.environ[k]`, and the same through names
   * imported `from os`. Returns undefined when the tokens are none of these.
   */
  private environmentLookup(): EnvPyValue | undefined {
    const start = this.position;
    const path = this.dottedName();
    const target = this.osAttribute(path);
    if (target === 'getenv' || target === 'environ.get') {
      if (!this.isOp('(')) return this.rewind(start);
      const [name, fallback] = this.lookupArguments();
      return this.env[name] ?? fallback;
    }
    if (target === 'environ' && this.isOp('[')) {
      this.position++;
      const name = this.expression();
      this.expectOp(']');
      if (typeof name !== 'string')
        throw this.unsupported(`env.py reads os.environ with a key that is not a string (line ${this.line})`);
      const value = this.env[name];
      if (value === undefined) {
        throw new ConfigError(
          `env.py line ${this.line} reads os.environ["${name}"], which is not set (Python raises KeyError).`,
          {
            hint: `Set ${name} in the environment, or use os.getenv("${name}") for an optional value.`,
          },
        );
      }
      return value;
    }
    return this.rewind(start);
  }

  /** `getenv` / `environ` / `environ.get` as the os attribute path the dotted name means, or null. */
  private osAttribute(dotted: string[]): string | null {
    if (dotted[0] === 'os') return dotted.slice(1).join('.');
    const imported = dotted[0] === undefined ? undefined : this.fromOs.get(dotted[0]);
    return imported === undefined ? null : [imported, ...dotted.slice(1)].join('.');
  }

  private dottedName(): string[] {
    const parts: string[] = [];
    while (this.peek()?.kind === 'name') {
      parts.push((this.next() as { text: string }).text);
      if (!this.isOp('.') || this.tokens[this.position + 1]?.kind !== 'name') break;
      this.position++;
    }
    return parts;
  }

  /** `("NAME")`, `("NAME", default)`, `("NAME", default=...)`: the name and the default (None if absent). */
  private lookupArguments(): [string, EnvPyValue] {
    this.expectOp('(');
    const name = this.expression();
    if (typeof name !== 'string')
      throw this.unsupported(
        `env.py reads an environment variable whose name is not a string (line ${this.line})`,
      );
    let fallback: EnvPyValue = null;
    if (this.isOp(',')) {
      this.position++;
      if (!this.isOp(')')) {
        const keyword = this.peek();
        const afterKeyword = this.tokens[this.position + 1];
        if (
          keyword?.kind === 'name' &&
          keyword.text === 'default' &&
          afterKeyword?.kind === 'op' &&
          afterKeyword.text === '='
        ) {
          this.position += 2;
        }
        fallback = this.expression();
        if (this.isOp(',')) this.position++;
      }
    }
    this.expectOp(')');
    return [name, fallback];
  }

  private rewind(position: number): undefined {
    this.position = position;
    return undefined;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token | undefined {
    return this.tokens[this.position++];
  }

  private isOp(text: string): boolean {
    const token = this.peek();
    return token?.kind === 'op' && token.text === text;
  }

  private expectOp(text: string): void {
    if (!this.isOp(text))
      throw this.unsupported(
        `env.py assigns {target} an expression that is not a literal (line ${this.line})`,
      );
    this.position++;
  }

  private unsupported(message: string): NeedsPython {
    return new NeedsPython(message);
  }
}

const STRING_START = /^([rRuUbBfF]{0,2})('''|"""|'|")/;

/**
 * Splits source into top-level logical statements, the way Python's tokenizer does: brackets and
 * backslashes continue a line, `;` and newlines end one, comments vanish, strings may span lines
 * only when triple-quoted.
 */
function splitStatements(source: string): Statement[] {
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

// ---------------------------------------------------------------------------------------------
// Evaluation with python3

const ANSWER_MARKER = '@@jetbase-env-answer@@';
const PYTHON_TIMEOUT_MS = 30_000;

/**
 * Runs env.py the way Jetbase imports it: as module `config`, cwd = the jetbase directory, the
 * project root first on sys.path; reads the config attributes, then `get_env_vars()`'s dict (which
 * wins). When `dotenv` is not importable (or JETBASE_PY_NO_DOTENV=1, for tests) a small stand-in
 * with python-dotenv's `load_dotenv`/`dotenv_values`/`find_dotenv` is installed first.
 * env.py's own prints go to stderr; the answer is the last marked line of stdout.
 */
const PYTHON_DRIVER = String.raw`
import importlib.util, json, math, os, re, sys, traceback, types

KEYS = ${JSON.stringify(CONFIG_KEYS)}
MARKER = ${JSON.stringify(ANSWER_MARKER)}
SECRET_NAME = re.compile(r'pass|pwd|token|secret|key|credential|url|dsn', re.I)

env_py = os.path.abspath(sys.argv[1])
jetbase_dir = os.path.dirname(env_py)
project_root = os.path.dirname(jetbase_dir)
sys.path.insert(0, project_root)


def make_dotenv_stand_in():
    module = types.ModuleType('dotenv')
    line_pattern = re.compile(r'^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$')
    quoted_pattern = re.compile(r'^([\'"])((?:\\.|(?!\1).)*)\1\s*(?:#.*)?$')
    reference = re.compile(r'\$\{([^}:]+)(?::-([^}]*))?\}')

    def find_dotenv(filename='.env', raise_error_if_not_found=False, usecwd=False):
        # Like python-dotenv: from the calling file's directory (env.py's) up to the root.
        directory = os.getcwd() if usecwd else jetbase_dir
        while True:
            candidate = os.path.join(directory, filename)
            if os.path.isfile(candidate):
                return candidate
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
        if raise_error_if_not_found:
            raise IOError('File not found')
        return ''

    def parse(dotenv_path, interpolate=True, encoding='utf-8'):
        values = {}
        if not dotenv_path or not os.path.isfile(dotenv_path):
            return values
        with open(dotenv_path, encoding=encoding or 'utf-8') as handle:
            lines = handle.read().splitlines()
        for line in lines:
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            match = line_pattern.match(line)
            if not match:
                continue
            key, value = match.group(1), match.group(2).strip()
            quoted = quoted_pattern.match(value)
            if quoted:
                quote, value = quoted.group(1), quoted.group(2)
                if quote == '"':
                    value = re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t', 'r': '\r'}.get(m.group(1), m.group(1)), value)
                elif quote == "'":
                    value = value.replace("\\'", "'")
            else:
                comment = re.search(r'\s#', value)
                if comment:
                    value = value[:comment.start()].rstrip()
            if interpolate and not (quoted and quoted.group(1) == "'"):
                value = reference.sub(lambda m: values.get(m.group(1), os.environ.get(m.group(1), m.group(2) or '')), value)
            values[key] = value
        return values

    def dotenv_values(dotenv_path=None, stream=None, verbose=False, interpolate=True, encoding='utf-8'):
        return parse(dotenv_path or find_dotenv(), interpolate, encoding)

    def load_dotenv(dotenv_path=None, stream=None, verbose=False, override=False, interpolate=True, encoding='utf-8'):
        values = parse(dotenv_path or find_dotenv(), interpolate, encoding)
        for key, value in values.items():
            if override or key not in os.environ:
                os.environ[key] = value
        return bool(values)

    module.find_dotenv = find_dotenv
    module.dotenv_values = dotenv_values
    module.load_dotenv = load_dotenv
    return module


use_stand_in = os.environ.get('JETBASE_PY_NO_DOTENV') == '1' or importlib.util.find_spec('dotenv') is None
if use_stand_in:
    sys.modules['dotenv'] = make_dotenv_stand_in()


def to_json(key, value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return list(value)
    if key == 'sqlalchemy_url':
        # A sqlalchemy.URL object: str() would mask its password.
        render = getattr(value, 'render_as_string', None)
        return render(hide_password=False) if callable(render) else str(value)
    return {'unsupportedType': type(value).__name__}


def scrub(text):
    for name, value in os.environ.items():
        if len(value) >= 3 and SECRET_NAME.search(name) and value in text:
            text = text.replace(value, '***')
    return text


real_stdout = sys.stdout
sys.stdout = sys.stderr
stage = 'env.py'
try:
    spec = importlib.util.spec_from_file_location('config', env_py)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    values = {key: getattr(module, key) for key in KEYS if getattr(module, key, None) is not None}
    get_env_vars = getattr(module, 'get_env_vars', None)
    if callable(get_env_vars):
        stage = 'get_env_vars()'
        returned = get_env_vars()
        if not isinstance(returned, dict):
            raise TypeError('get_env_vars() must return a dict, got ' + type(returned).__name__)
        for key in KEYS:
            if returned.get(key) is not None:
                values[key] = returned[key]
    answer = {'values': {key: to_json(key, value) for key, value in values.items()}, 'usedDotenvStandIn': use_stand_in}
except BaseException as error:
    line = None
    if isinstance(error, SyntaxError) and error.filename and os.path.abspath(error.filename) == env_py:
        line = error.lineno
    for frame in traceback.extract_tb(error.__traceback__):
        if os.path.abspath(frame.filename) == env_py:
            line = frame.lineno
    message = error.msg if isinstance(error, SyntaxError) else str(error)
    answer = {'error': {'type': type(error).__name__, 'message': scrub(message), 'line': line, 'stage': stage}}
sys.stdout = real_stdout
sys.stdout.write('\n' + MARKER + json.dumps(answer) + '\n')
sys.stdout.flush()
`;

interface DriverAnswer {
  readonly values?: Record<string, EnvPyValue>;
  readonly usedDotenvStandIn?: boolean;
  readonly error?: {
    readonly type: string;
    readonly message: string;
    readonly line: number | null;
    readonly stage: string;
  };
}

/** Evaluates env.py with `python`; Python errors become one-line ConfigErrors without values. */
export async function evaluateEnvPy(args: {
  envPyPath: string;
  python: string;
  env: NodeJS.ProcessEnv;
}): Promise<{ values: EnvPyValues; usedDotenvStandIn: boolean }> {
  const jetbaseDir = path.dirname(path.resolve(args.envPyPath));
  const { stdout, failure } = await runPython(
    args.python,
    ['-c', PYTHON_DRIVER, path.resolve(args.envPyPath)],
    { cwd: jetbaseDir, env: { ...args.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' } },
  );

  const markerAt = stdout.lastIndexOf(ANSWER_MARKER);
  if (markerAt < 0) {
    const reason = failure ?? 'it printed no answer';
    throw new ConfigError(`Could not evaluate env.py with ${args.python}: ${scrubMessage(reason, args.env)}`);
  }
  const answer = JSON.parse(stdout.slice(markerAt + ANSWER_MARKER.length).split('\n')[0]!) as DriverAnswer;
  if (answer.error) {
    const { type, message, line, stage } = answer.error;
    const where =
      stage === 'env.py'
        ? `env.py${line === null ? '' : ` line ${line}`}`
        : `env.py ${stage}${line === null ? '' : ` (line ${line})`}`;
    const text = scrubMessage(message, args.env);
    throw new ConfigError(`Error in ${where}: ${type}${text ? `: ${text}` : ''}`);
  }
  return { values: configValues(answer.values ?? {}), usedDotenvStandIn: answer.usedDotenvStandIn === true };
}

/** One line, at most 300 characters, with URL passwords and known secrets masked. */
function scrubMessage(message: string, env: NodeJS.ProcessEnv): string {
  let text = redactor
    .redact(redactUrlsIn(message))
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim();
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= 3 && /pass|pwd|token|secret|key|credential/i.test(name))
      text = text.split(value).join('***');
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function runPython(
  python: string,
  argv: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ stdout: string; failure: string | null }> {
  return new Promise((resolve) => {
    execFile(
      python,
      argv,
      {
        cwd: options.cwd,
        env: options.env,
        timeout: PYTHON_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, failure: null });
        let failure: string;
        if (error.code === 'ENOENT') failure = 'the interpreter was not found';
        else if (error.killed) failure = `it did not finish within ${PYTHON_TIMEOUT_MS / 1000} s`;
        else failure = lastLine(stderr) || `it exited with code ${String(error.code)}`;
        resolve({ stdout, failure });
      },
    );
  });
}

function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines[lines.length - 1]?.trim() ?? '';
}

/** Duck-typed: errors from Node's core modules may come from another realm (e.g. under Jest). */
function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return typeof error === 'object' && error !== null && 'code' in error;
}

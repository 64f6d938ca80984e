/**
 * Reading env.py without Python. Most env.py files are a few literal assignments and environment
 * lookups; those are read here: strings (adjacent ones concatenated), booleans, None, plain
 * integers, lists of strings, and `os.getenv(...)`, `os.environ.get(...)`, `os.environ[...]`
 * (also through names imported `from os`). Every other construct is named, so that the loader can
 * evaluate the file with Python instead or say which construct needs it.
 */
import { EnvPyMissingVariableError } from './env-py-errors.js';
import type { EnvPyValue } from './env-py-values.js';
import { NeedsPython, type Statement, type Token, splitStatements } from './python-tokens.js';

export interface StaticEnvPy {
  /** Every name bound by a literal top-level assignment (the last one wins), `None` included. */
  readonly values: Readonly<Record<string, EnvPyValue>>;
  /** What needs Python, most telling first (e.g. "env.py defines get_env_vars()"); empty when fully static. */
  readonly needsPython: readonly string[];
}

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
        throw new EnvPyMissingVariableError(
          `env.py line ${this.line} reads os.environ["${name}"], which is not set (Python raises KeyError).`,
          name,
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

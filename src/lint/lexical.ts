/**
 * The keyword fallback for statements a parser cannot read: keywords outside strings, quoted names
 * and comments, matched as token sequences. It only ever reports what it recognises for sure.
 */
import type { DialectName } from '../engine/dialect.js';
import { tableKey, type Observation, type StatementCategory, type StatementFacts } from './facts.js';

interface Token {
  /** Upper-case word, or the quoted name / punctuation as written. */
  readonly text: string;
  readonly word: boolean;
}

/** Words and names; strings, comments and dollar-quoted bodies are skipped. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === "'") {
      i++;
      while (i < sql.length) {
        if (sql[i] === '\\') i += 2;
        else if (sql[i] === "'") {
          if (sql[i + 1] === "'") i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))![0];
      const end = sql.indexOf(tag, i + tag.length);
      i = end < 0 ? sql.length : end + tag.length;
    } else if (c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      const end = sql.indexOf(close, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      tokens.push({ text: sql.slice(i, stop), word: false });
      i = stop;
    } else if (/[A-Za-z_0-9]/.test(c)) {
      let j = i;
      while (j < sql.length && /[A-Za-z_0-9$]/.test(sql[j]!)) j++;
      tokens.push({ text: sql.slice(i, j).toUpperCase(), word: true });
      i = j;
    } else {
      tokens.push({ text: c, word: false });
      i++;
    }
  }
  return tokens;
}

const DDL_WORDS = new Set(['CREATE', 'ALTER', 'DROP', 'TRUNCATE', 'RENAME', 'COMMENT', 'GRANT', 'REVOKE']);
const DML_WORDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'REPLACE', 'SELECT', 'WITH', 'COPY']);

/** A dotted name starting at `at`: its parts and the index after it. */
function nameAt(tokens: readonly Token[], at: number): { parts: string[]; next: number } {
  const parts: string[] = [];
  let i = at;
  while (i < tokens.length && tokens[i]!.text !== '(' && tokens[i]!.text !== ',') {
    parts.push(tokens[i]!.text);
    if (tokens[i + 1]?.text !== '.') return { parts, next: i + 1 };
    i += 2;
  }
  return { parts, next: i };
}

function skipIfExists(tokens: readonly Token[], at: number): number {
  if (tokens[at]?.text === 'IF' && tokens[at + 1]?.text === 'EXISTS') return at + 2;
  if (tokens[at]?.text === 'IF' && tokens[at + 2]?.text === 'EXISTS') return at + 3;
  return at;
}

export function lexicalFacts(sql: string, dialect: DialectName): StatementFacts {
  const tokens = tokenize(sql);
  const words = tokens.map((token) => (token.word ? token.text : ''));
  const has = (...sequence: string[]) =>
    words.some((_, i) => sequence.every((word, k) => words[i + k] === word));
  const first = words[0] ?? '';
  const observations: Observation[] = [];
  const creates: string[] = [];
  const category: StatementCategory = DDL_WORDS.has(first) ? 'ddl' : DML_WORDS.has(first) ? 'dml' : 'other';

  if (first === 'CREATE') {
    const tableAt = words.indexOf('TABLE');
    const replace = words[1] === 'OR' && words[2] === 'REPLACE';
    if (
      tableAt > 0 &&
      words
        .slice(1, tableAt)
        .every((w) => /^(OR|REPLACE|TEMP|TEMPORARY|TRANSIENT|EXTERNAL|GLOBAL|LOCAL|UNLOGGED)$/.test(w))
    ) {
      let at = tableAt + 1;
      if (words[at] === 'IF' && words[at + 1] === 'NOT' && words[at + 2] === 'EXISTS') at += 3;
      const table = tableKey(nameAt(tokens, at).parts);
      creates.push(table);
      if (replace && (dialect === 'snowflake' || dialect === 'databricks'))
        observations.push({ rule: 'create-or-replace-table', subject: table });
    }
  } else if (first === 'DROP') {
    const kind = words[1] === 'TEMPORARY' ? words[2] : words[1];
    const at = skipIfExists(tokens, words[1] === 'TEMPORARY' ? 3 : 2);
    const subject = tableKey(nameAt(tokens, at).parts);
    if (kind === 'TABLE') observations.push({ rule: 'drop-table', subject });
    if (kind === 'SCHEMA' || kind === 'DATABASE') observations.push({ rule: 'drop-schema', subject });
  } else if (first === 'TRUNCATE') {
    const at = words[1] === 'TABLE' ? 2 : 1;
    observations.push({
      rule: 'truncate',
      subject: tableKey(nameAt(tokens, skipIfExists(tokens, at)).parts),
    });
  } else if (first === 'DELETE' && !words.includes('WHERE')) {
    const at = words.indexOf('FROM');
    observations.push({
      rule: 'delete-without-where',
      subject: tableKey(nameAt(tokens, at < 0 ? 1 : at + 1).parts),
    });
  } else if (first === 'UPDATE' && !words.includes('WHERE')) {
    observations.push({ rule: 'update-without-where', subject: tableKey(nameAt(tokens, 1).parts) });
  } else if (first === 'ALTER' && words[1] === 'TABLE') {
    const table = tableKey(nameAt(tokens, skipIfExists(tokens, 2)).parts);
    if (has('DROP', 'COLUMN') || has('DROP', 'COLUMNS'))
      observations.push({ rule: 'drop-column', subject: table });
    if (has('RENAME', 'COLUMN')) observations.push({ rule: 'rename-column', subject: table });
    else if (has('RENAME', 'TO')) observations.push({ rule: 'rename-table', subject: table });
    if (dialect === 'mysql' && (has('MODIFY') || has('CHANGE')))
      observations.push({ rule: 'alter-column-type', subject: table });
  } else if (first === 'RENAME' && words[1] === 'TABLE') {
    observations.push({ rule: 'rename-table', subject: tableKey(nameAt(tokens, 2).parts) });
  } else if (first === 'VACUUM' && dialect === 'sqlite') {
    observations.push({ rule: 'non-transactional-statement', subject: 'VACUUM' });
  }
  return { observations, creates, category };
}

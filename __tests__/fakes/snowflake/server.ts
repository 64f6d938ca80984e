/**
 * A loopback stand-in for Snowflake's REST API, honest enough to test the real snowflake-sdk
 * against: it speaks the JSON-over-HTTP protocol the SDK uses (read from snowflake-sdk 3.3's
 * lib/services/sf.js, lib/connection/statement.js, lib/connection/result/*, lib/authentication/*),
 * checks credentials for real and runs the SQL it receives on a real SQL engine (SQLite through
 * better-sqlite3), with the few dialect rewrites listed in SQL_REWRITES below. Nothing is canned:
 * every result, row count and error comes from executing the statement.
 *
 * Endpoints (everything else is a 404, recorded in `unexpectedRequests`):
 *   POST /session/v1/login-request  password (AUTHENTICATOR SNOWFLAKE) or key pair (SNOWFLAKE_JWT):
 *        the JWT's RS256 signature is verified against the user's registered public key, and its
 *        iss/sub claims (`ACCOUNT.USER.SHA256:<fingerprint>` / `ACCOUNT.USER`) and lifetime checked.
 *   POST /queries/v1/query-request  one statement, `?` binds from `bindings`; or, when the request's
 *        `parameters.MULTI_STATEMENT_COUNT` allows it, several (see "Multi-statement requests").
 *        Results are inline in the response (`rowset`), as Snowflake sends small results.
 *   GET  /queries/<queryId>/result  a finished statement's result again; the SDK reads each
 *        statement of a multi-statement request this way.
 *   POST /session?delete=true       closes the session (rolls back an open transaction).
 *   POST /telemetry/send            accepted and recorded (the dialect turns the SDK's off).
 * Requests are authenticated with the session token (`Authorization: Snowflake Token="…"`).
 * Every request is recorded; `requestCounts()` counts them by kind (login, query, result, close,
 * telemetry, other), so tests can assert how many HTTP requests a command costs.
 *
 * Multi-statement requests, as Snowflake runs them: the text is split at semicolons outside
 * literals, comments and $$…$$ bodies; the count must equal MULTI_STATEMENT_COUNT (0: any), else
 * nothing runs and the request fails with 000008. Binds are refused (Snowflake does not support
 * them in multi-statement requests; the wording is the fake's). The statements run in order in the
 * session, each with its own query id; success answers with the ids (`resultIds`) and no rows of
 * its own, so a client reads each statement's result with a GET. The first failure stops the
 * request: it fails with code 100132 and Snowflake's message shape, `Uncaught Execution of multiple
 * statements failed on statement "<first 30 characters>..." (at line L, position P).` followed by
 * the statement's own message; the statements before it stay executed and a transaction they
 * opened stays open (a client must roll back). Results of the statements before it are not
 * returned (snowflake-connector-nodejs issue 884).
 *
 * Storage: one SQLite file per DATABASE.SCHEMA (created with `createSchema`), one SQLite
 * connection per session, so sessions see each other's committed data and not their open
 * transactions, as on Snowflake. Where SQLite and Snowflake differ and the fake does not emulate it:
 * - identifiers are case-insensitive even when quoted; result column names are upper-cased whether
 *   or not the SQL quoted them;
 * - VARCHAR lengths are not enforced; PRIMARY KEY is enforced (Snowflake does not enforce it);
 * - expression columns are typed from their values (`COUNT(*) > 0` comes back FIXED 1, where
 *   Snowflake says BOOLEAN TRUE);
 * - a write that meets another session's open write transaction fails at once with Snowflake's
 *   lock error instead of waiting (SQLite in-process cannot wait without blocking the server);
 * - the session time zone is UTC; CURRENT_TIMESTAMP() has millisecond resolution (as Snowflake's).
 */
import {
  createHash,
  createPublicKey,
  randomUUID,
  timingSafeEqual,
  verify,
  type KeyObject,
} from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

import Database from 'better-sqlite3';

/** One documented difference between Snowflake SQL and SQLite that the fake bridges. */
export interface SqlRewrite {
  readonly snowflake: string;
  readonly sqlite: string;
  readonly why: string;
}

/**
 * Every rewrite the fake applies, in the order applied. Text rewrites work on the SQL outside
 * string literals; the last four are behaviours, not text.
 */
export const SQL_REWRITES: readonly SqlRewrite[] = [
  {
    snowflake: 'CURRENT_TIMESTAMP() / CURRENT_TIMESTAMP',
    sqlite: "(STRFTIME('%Y-%m-%d %H:%M:%f', 'now') || '000000')",
    why: 'Snowflake: the statement start time, ms resolution, TIMESTAMP_NTZ scale 9. Stored as fixed-width text that sorts as time does; SQLite keeps `now` fixed within a statement, as Snowflake does.',
  },
  {
    snowflake: 'CURRENT_SCHEMA() / CURRENT_DATABASE()',
    sqlite: "'<SCHEMA>' / '<DATABASE>' (NULL without one)",
    why: "The session's current schema and database, upper-case as Snowflake stores unquoted names.",
  },
  {
    snowflake: '<INT|INTEGER|NUMBER|BIGINT> AUTOINCREMENT PRIMARY KEY',
    sqlite: 'INTEGER PRIMARY KEY AUTOINCREMENT',
    why: 'Snowflake writes AUTOINCREMENT before the constraint; SQLite only allows it after PRIMARY KEY.',
  },
  {
    snowflake:
      'MERGE INTO t [AS] a USING (<select>) [AS] b ON <cond> WHEN NOT MATCHED THEN INSERT (<cols>) VALUES (<vals>)',
    sqlite:
      'INSERT INTO t (<cols>) SELECT <vals> FROM (<select>) AS b WHERE NOT EXISTS (SELECT 1 FROM t AS a WHERE <cond>)',
    why: 'SQLite has no MERGE; this single-clause form is the only one accepted (others are rejected).',
  },
  {
    snowflake: "'…' string literals with backslash escapes (\\\\, \\', \\n, …) and ''",
    sqlite: "'…' with '' for a quote",
    why: 'Snowflake reads backslash escapes inside single-quoted strings; SQLite does not.',
  },
  {
    snowflake: 'INFORMATION_SCHEMA.TABLES',
    sqlite:
      'attached in-memory database INFORMATION_SCHEMA, table TABLES, refilled from sqlite_master before the statement',
    why: 'Lists the current schema’s tables and views with upper-case TABLE_NAME, as Snowflake does (other schemas are not listed).',
  },
  {
    snowflake: 'BEGIN [TRANSACTION|WORK] / START TRANSACTION / COMMIT / ROLLBACK',
    sqlite: 'BEGIN / COMMIT / ROLLBACK, or nothing',
    why: 'Snowflake ignores BEGIN inside a transaction and COMMIT/ROLLBACK outside one; SQLite would fail.',
  },
  {
    snowflake: 'DDL (CREATE, DROP, ALTER, …) inside a transaction',
    sqlite: 'COMMIT, then the DDL in autocommit',
    why: 'Snowflake commits the open transaction before DDL and runs the DDL as its own transaction; later statements autocommit.',
  },
  {
    snowflake: 'several statements in one request',
    sqlite: 'one SQLite statement each, in order; rejected unless MULTI_STATEMENT_COUNT allows the count',
    why: 'Snowflake accepts one statement per request unless MULTI_STATEMENT_COUNT says otherwise (0: any number).',
  },
];

export interface FakeSnowflakeUser {
  /** The login name (case-insensitive, as Snowflake's). */
  readonly name: string;
  readonly password?: string;
  /** An RSA public key in PEM (SPKI), as set with ALTER USER … SET RSA_PUBLIC_KEY. */
  readonly publicKeyPem?: string;
}

export interface FakeSnowflakeOptions {
  /** The account locator the JWT claims and the login's ACCOUNT_NAME must name, e.g. `TESTACC`. */
  readonly account: string;
  readonly users: readonly FakeSnowflakeUser[];
  /** Warehouses that exist; queries that need compute fail without one. Default: ['COMPUTE_WH']. */
  readonly warehouses?: readonly string[];
}

/** What a request to Snowflake's REST API is for, as counted by `requestCounts()`. */
export type SnowflakeRequestKind = 'login' | 'query' | 'result' | 'close' | 'telemetry' | 'other';

export type SnowflakeRequestCounts = Record<SnowflakeRequestKind | 'total', number>;

export interface RecordedRequest {
  readonly kind: SnowflakeRequestKind;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly remoteAddress: string | undefined;
  status?: number;
}

export interface RecordedStatement {
  readonly sessionId: number;
  readonly sqlText: string;
  readonly binds: readonly (string | number | null)[];
  /** The SQL SQLite ran, after rewrites (null when the statement was handled without SQLite). */
  sqlite: string | null;
  errorCode: string | null;
}

/** A Snowflake error as the REST API reports it (HTTP 200, success false). */
class SnowflakeError extends Error {
  constructor(
    readonly code: string,
    readonly sqlState: string,
    message: string,
  ) {
    super(message);
  }
}

interface Session {
  readonly id: number;
  readonly token: string;
  readonly masterToken: string;
  readonly user: string;
  readonly database: string | null;
  readonly schema: string | null;
  readonly warehouse: string | null;
  readonly role: string;
  readonly db: Database.Database;
}

/** Column types in Snowflake's REST rowtype. */
type SnowflakeType = 'fixed' | 'real' | 'text' | 'boolean' | 'timestamp_ntz' | 'date';

/** statementTypeId values the SDK interprets: it sums the DML result row only for these. */
const STATEMENT_TYPE = {
  select: 0x1000,
  insert: 0x3100,
  update: 0x3200,
  delete: 0x3300,
  merge: 0x3400,
  // Neither DML nor DDL for the SDK; the exact ids Snowflake uses here do not matter to it.
  transaction: 0x5000,
  ddl: 0x6000,
  multi: 0xa000,
} as const;

const SESSION_PARAMETERS = [
  { name: 'TIMEZONE', value: 'UTC' },
  { name: 'TIMESTAMP_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM' },
  { name: 'TIMESTAMP_NTZ_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3' },
  { name: 'TIMESTAMP_LTZ_OUTPUT_FORMAT', value: '' },
  { name: 'TIMESTAMP_TZ_OUTPUT_FORMAT', value: '' },
  { name: 'DATE_OUTPUT_FORMAT', value: 'YYYY-MM-DD' },
  { name: 'TIME_OUTPUT_FORMAT', value: 'HH24:MI:SS' },
  { name: 'CLIENT_SESSION_KEEP_ALIVE', value: false },
  { name: 'QUERY_CONTEXT_CACHE_SIZE', value: 5 },
  { name: 'MULTI_STATEMENT_COUNT', value: 1 },
];

const NOW_SQL = "(STRFTIME('%Y-%m-%d %H:%M:%f', 'now') || '000000')";

// ---------------------------------------------------------------------------------------------
// SQL text helpers

const SNOWFLAKE_ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  '0': '\0',
};

/**
 * Applies `replace` to the SQL outside '…' literals and "…" identifiers. A '…' literal is read as
 * Snowflake reads it (backslash escapes, '' for a quote) and written as SQLite reads it.
 */
function outsideQuotes(sql: string, replace: (code: string) => string): string {
  let result = '';
  let code = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'") {
      let value = '';
      let end = i + 1;
      while (end < sql.length) {
        if (sql[end] === "'" && sql[end + 1] === "'") {
          value += "'";
          end += 2;
        } else if (sql[end] === "'") break;
        else if (sql[end] === '\\' && end + 1 < sql.length) {
          const escaped = sql[end + 1]!;
          value += SNOWFLAKE_ESCAPES[escaped] ?? escaped;
          end += 2;
        } else {
          value += sql[end];
          end += 1;
        }
      }
      result += replace(code) + `'${value.replaceAll("'", "''")}'`;
      code = '';
      i = end + 1;
    } else if (ch === '"') {
      let end = i + 1;
      while (end < sql.length) {
        if (sql[end] === ch && sql[end + 1] === ch) end += 2;
        else if (sql[end] === ch) break;
        else end += 1;
      }
      result += replace(code) + sql.slice(i, end + 1);
      code = '';
      i = end + 1;
    } else {
      code += ch;
      i += 1;
    }
  }
  return result + replace(code);
}

/** The SQL without leading whitespace and comments, for classifying it. */
function withoutLeadingComments(sql: string): string {
  let rest = sql;
  for (;;) {
    const trimmed = rest.replace(/^\s+/, '');
    if (trimmed.startsWith('--')) {
      const newline = trimmed.indexOf('\n');
      rest = newline < 0 ? '' : trimmed.slice(newline + 1);
    } else if (trimmed.startsWith('/*')) {
      const end = trimmed.indexOf('*/');
      rest = end < 0 ? '' : trimmed.slice(end + 2);
    } else {
      return trimmed;
    }
  }
}

type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'merge' | 'transaction' | 'ddl';

function classify(sql: string): { kind: StatementKind; keyword: string } {
  const keyword = (/^[A-Za-z]+/.exec(withoutLeadingComments(sql))?.[0] ?? '').toUpperCase();
  switch (keyword) {
    case 'SELECT':
    case 'WITH':
      return { kind: 'select', keyword };
    case 'INSERT':
      return { kind: 'insert', keyword };
    case 'UPDATE':
      return { kind: 'update', keyword };
    case 'DELETE':
      return { kind: 'delete', keyword };
    case 'MERGE':
      return { kind: 'merge', keyword };
    case 'BEGIN':
    case 'START':
    case 'COMMIT':
    case 'ROLLBACK':
      return { kind: 'transaction', keyword };
    case 'CREATE':
    case 'DROP':
    case 'ALTER':
      return { kind: 'ddl', keyword };
    case '':
      throw new SnowflakeError('000900', '42000', 'Empty SQL statement.');
    default:
      throw new SnowflakeError(
        '000002',
        '0A000',
        `SQL compilation error:\nUnsupported feature '${keyword}' (the Snowflake fake runs SELECT, INSERT, UPDATE, DELETE, MERGE, CREATE, DROP, ALTER and transaction control).`,
      );
  }
}

const MERGE_INSERT =
  /^\s*MERGE\s+INTO\s+(\w+)\s+(?:AS\s+)?(\w+)\s+USING\s+\(([\s\S]+)\)\s+(?:AS\s+)?(\w+)\s+ON\s+([\s\S]+?)\s+WHEN\s+NOT\s+MATCHED\s+THEN\s+INSERT\s*\(([^)]*)\)\s*VALUES\s*\(([\s\S]*)\)\s*;?\s*$/i;

function rewriteMerge(sql: string, binds: readonly unknown[]): string {
  const match = binds.length === 0 ? MERGE_INSERT.exec(withoutLeadingComments(sql)) : null;
  if (!match) {
    throw new SnowflakeError(
      '000002',
      '0A000',
      "SQL compilation error:\nUnsupported feature 'MERGE' (the Snowflake fake runs only MERGE … USING (…) ON … WHEN NOT MATCHED THEN INSERT (…) VALUES (…), without binds).",
    );
  }
  const [, table, targetAlias, source, sourceAlias, condition, columns, values] = match;
  return `INSERT INTO ${table} (${columns}) SELECT ${values} FROM (${source}) AS ${sourceAlias} WHERE NOT EXISTS (SELECT 1 FROM ${table} AS ${targetAlias} WHERE ${condition})`;
}

function sqlString(value: string | null): string {
  return value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`;
}

/** The text rewrites of SQL_REWRITES, for one session. */
function rewrite(sql: string, kind: StatementKind, session: Session, binds: readonly unknown[]): string {
  const merged = kind === 'merge' ? rewriteMerge(sql, binds) : sql;
  return outsideQuotes(merged, (code) =>
    code
      .replace(/\bCURRENT_TIMESTAMP\b(\s*\(\s*\))?/gi, NOW_SQL)
      .replace(/\bCURRENT_SCHEMA\s*\(\s*\)/gi, sqlString(session.schema))
      .replace(/\bCURRENT_DATABASE\s*\(\s*\)/gi, sqlString(session.database))
      .replace(
        /\b(?:INT|INTEGER|NUMBER|BIGINT)\s+AUTOINCREMENT\s+PRIMARY\s+KEY\b/gi,
        'INTEGER PRIMARY KEY AUTOINCREMENT',
      ),
  );
}

// ---------------------------------------------------------------------------------------------
// Values and result sets

function declaredType(declared: string | null): SnowflakeType | null {
  if (!declared) return null;
  const type = declared.toUpperCase();
  if (/TIMESTAMP|DATETIME/.test(type)) return 'timestamp_ntz';
  if (/^DATE$/.test(type)) return 'date';
  if (/BOOL/.test(type)) return 'boolean';
  if (/INT|NUMBER|DECIMAL|NUMERIC/.test(type)) return 'fixed';
  if (/FLOAT|REAL|DOUBLE/.test(type)) return 'real';
  return 'text';
}

function typeOfValue(value: unknown): SnowflakeType {
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) return 'fixed';
  if (typeof value === 'number') return 'real';
  return 'text';
}

const TIMESTAMP_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?)?$/;

/** Stored timestamp text → Snowflake's wire form for TIMESTAMP_NTZ(9): `<epoch seconds>.<9 digits>`. */
function timestampWire(value: unknown): string {
  const match = TIMESTAMP_TEXT.exec(String(value));
  if (!match) throw new SnowflakeError('100035', '22007', `Timestamp '${String(value)}' is not recognized`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = ''] = match;
  const seconds = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000;
  return `${seconds}.${fraction.padEnd(9, '0')}`;
}

function wireValue(value: unknown, type: SnowflakeType): string | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'boolean':
      return value === 1 || value === 1n || value === true || String(value).toUpperCase() === 'TRUE'
        ? '1'
        : '0';
    case 'timestamp_ntz':
      return timestampWire(value);
    case 'date':
      return String(Math.floor(Date.parse(`${String(value)}T00:00:00Z`) / 86_400_000));
    default:
      return String(value);
  }
}

interface ResultSet {
  readonly rowtype: readonly object[];
  readonly rowset: readonly (string | null)[][];
  readonly statementTypeId: number;
}

function rowtypeEntry(name: string, type: SnowflakeType): object {
  return {
    name,
    database: '',
    schema: '',
    table: '',
    type,
    scale: type === 'timestamp_ntz' ? 9 : type === 'fixed' ? 0 : null,
    precision: type === 'fixed' ? 38 : type === 'timestamp_ntz' ? 0 : null,
    length: type === 'text' ? 16_777_216 : null,
    byteLength: type === 'text' ? 16_777_216 : null,
    nullable: true,
    collation: null,
  };
}

/** The one-row result Snowflake gives for DML ("number of rows inserted", …). */
function countResult(statementTypeId: number, counts: Readonly<Record<string, number>>): ResultSet {
  const names = Object.keys(counts);
  return {
    statementTypeId,
    rowtype: names.map((name) => rowtypeEntry(name, 'fixed')),
    rowset: [names.map((name) => String(counts[name]))],
  };
}

function statusResult(statementTypeId: number, status: string): ResultSet {
  return { statementTypeId, rowtype: [rowtypeEntry('status', 'text')], rowset: [[status]] };
}

// ---------------------------------------------------------------------------------------------
// SQLite errors as Snowflake reports them

function snowflakeErrorFrom(error: unknown, kind: StatementKind, sqlText: string): SnowflakeError {
  if (error instanceof SnowflakeError) return error;
  // Not `instanceof Error`: a native driver's errors can come from another realm under Jest.
  const message =
    typeof (error as { message?: unknown } | null)?.message === 'string'
      ? (error as { message: string }).message
      : String(error);
  const code = (error as { code?: unknown }).code;
  let match: RegExpExecArray | null;
  if ((match = /^no such table: (?:\w+\.)?(\w+)/.exec(message))) {
    const noun = kind === 'select' ? 'Object' : 'Table';
    return new SnowflakeError(
      '002003',
      '42S02',
      `SQL compilation error:\n${noun} '${match[1]!.toUpperCase()}' does not exist or not authorized.`,
    );
  }
  if ((match = /^no such column: (.+)$/.exec(message))) {
    return new SnowflakeError(
      '000904',
      '42000',
      `SQL compilation error: error line 1 at position 0\ninvalid identifier '${match[1]!.toUpperCase()}'`,
    );
  }
  if ((match = /^table (\w+) already exists/.exec(message))) {
    return new SnowflakeError(
      '002002',
      '42710',
      `SQL compilation error:\nObject '${match[1]!.toUpperCase()}' already exists.`,
    );
  }
  if (
    (match = /near "([^"]*)": syntax error/.exec(message)) ||
    /incomplete input|unrecognized token/.test(message)
  ) {
    return new SnowflakeError(
      '001003',
      '42000',
      `SQL compilation error:\nsyntax error line 1 at position 0 unexpected '${match?.[1] ?? '<EOF>'}'.`,
    );
  }
  if (/^NOT NULL constraint failed/.test(message)) {
    return new SnowflakeError('100072', '22000', 'NULL result in a non-nullable column');
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_BUSY_SNAPSHOT') {
    return new SnowflakeError(
      '000625',
      '57014',
      `Statement '${sqlText.slice(0, 60)}' has locked table in transaction and this lock has not yet been released.`,
    );
  }
  if (/more than one statement/.test(message)) {
    const count = sqlText.split(';').filter((part) => part.trim() !== '').length;
    return new SnowflakeError(
      '000008',
      '0A000',
      `Actual statement count ${count} did not match the desired statement count 1.`,
    );
  }
  if (/Too few parameter|Too many parameter|missing named parameter/i.test(message)) {
    return new SnowflakeError('002049', '42601', `SQL compilation error: ${message}`);
  }
  return new SnowflakeError('100000', '22000', `SQL execution error: ${message}`);
}

// ---------------------------------------------------------------------------------------------
// The server

function fingerprint(publicKey: KeyObject): string {
  return `SHA256:${createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('base64')}`;
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Seconds since the epoch from a JWT time claim; snowflake-sdk 3.x sends milliseconds there. */
function claimSeconds(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return value > 1e11 ? value / 1000 : value;
}

function base64urlJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function identifierName(value: string | undefined): string | null {
  if (!value) return null;
  return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value.toUpperCase();
}

const RESULT_PATH = /^\/queries\/([0-9a-f-]+)\/result$/;

type Outcome =
  | { readonly ok: true; readonly queryId: string; readonly result: ResultSet }
  | { readonly ok: false; readonly queryId: string; readonly failure: SnowflakeError };

/** A failed statement as the REST API reports it: HTTP 200, success false. */
function failureBody({ queryId, failure }: { queryId: string; failure: SnowflakeError }): object {
  return {
    data: {
      internalError: false,
      errorCode: failure.code,
      age: 0,
      sqlState: failure.sqlState,
      queryId,
      line: -1,
      pos: -1,
      type: 'COMPILATION',
    },
    code: failure.code,
    message: failure.message,
    success: false,
    headers: null,
  };
}

/** The request's MULTI_STATEMENT_COUNT (the session's default is 1). */
function multiStatementCount(parameters: unknown): number {
  const value = (parameters as { MULTI_STATEMENT_COUNT?: unknown } | null)?.MULTI_STATEMENT_COUNT;
  const count = typeof value === 'number' || typeof value === 'string' ? Number(value) : 1;
  return Number.isInteger(count) && count >= 0 ? count : 1;
}

/** One statement of a request's text, with where it starts (1-based line, 0-based position). */
interface StatementPart {
  readonly text: string;
  readonly line: number;
  readonly position: number;
}

/**
 * The statements of a request: split at `;` outside '…' (with '' and backslash escapes), "…",
 * $$…$$, -- and // line comments and block comments. Parts holding only blanks and comments are
 * not statements.
 */
export function splitStatements(sql: string): StatementPart[] {
  const parts: StatementPart[] = [];
  let start = 0;
  let hasCode = false;
  const finish = (end: number) => {
    const text = sql.slice(start, end);
    if (hasCode) {
      const offset = start + (text.length - text.trimStart().length);
      const before = sql.slice(0, offset);
      const line = before.split('\n').length;
      parts.push({ text, line, position: offset - (before.lastIndexOf('\n') + 1) });
    }
    start = end + 1;
    hasCode = false;
  };
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === ch && sql[j + 1] !== ch)) {
        j += sql[j] === ch || (sql[j] === '\\' && ch === "'") ? 2 : 1;
      }
      hasCode = true;
      i = j + 1;
    } else if (ch === '$' && next === '$') {
      const end = sql.indexOf('$$', i + 2);
      hasCode = true;
      i = end < 0 ? sql.length : end + 2;
    } else if ((ch === '-' && next === '-') || (ch === '/' && next === '/')) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (ch === ';') {
      finish(i);
      i += 1;
    } else {
      if (!/\s/.test(ch)) hasCode = true;
      i += 1;
    }
  }
  finish(sql.length);
  return parts;
}

export class FakeSnowflake {
  readonly requests: RecordedRequest[] = [];
  readonly statements: RecordedStatement[] = [];
  /** Requests to endpoints the fake does not implement. */
  readonly unexpectedRequests: RecordedRequest[] = [];

  private readonly server: Server;
  private readonly dataDir = mkdtempSync(path.join(tmpdir(), 'jetbase-snowflake-fake-'));
  private readonly schemas = new Map<string, string>();
  private readonly sessions = new Map<string, Session>();
  /** Finished statements' results by query id, for GET /queries/<id>/result. */
  private readonly results = new Map<string, { sessionId: number; result: ResultSet }>();
  private nextSessionId = 1000;
  private readonly account: string;
  private readonly warehouses: ReadonlySet<string>;

  constructor(private readonly options: FakeSnowflakeOptions) {
    this.account = options.account.toUpperCase();
    this.warehouses = new Set((options.warehouses ?? ['COMPUTE_WH']).map((name) => name.toUpperCase()));
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.reply(response, 500, {
          success: false,
          code: '000603',
          message: `fake failure: ${String(error)}`,
          data: null,
        });
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Creates an empty schema (and its database); names are stored upper-case, like unquoted ones. */
  createSchema(database: string, schema: string): void {
    const key = `${database.toUpperCase()}.${schema.toUpperCase()}`;
    if (!this.schemas.has(key))
      this.schemas.set(key, path.join(this.dataDir, `${key.replace(/[^A-Z0-9_.]/g, '_')}.sqlite`));
  }

  /** Sessions still open (the dialect must close every session it opens). */
  get openSessions(): number {
    return this.sessions.size;
  }

  async close(): Promise<void> {
    for (const session of this.sessions.values()) session.db.close();
    this.sessions.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const body = await readJsonBody(request);
    const method = request.method ?? '';
    const route = `${method} ${url.pathname}`;
    const resultOf = method === 'GET' ? RESULT_PATH.exec(url.pathname)?.[1] : undefined;
    const kind: SnowflakeRequestKind =
      route === 'POST /session/v1/login-request'
        ? 'login'
        : route === 'POST /queries/v1/query-request'
          ? 'query'
          : resultOf !== undefined
            ? 'result'
            : route === 'POST /session' && url.searchParams.get('delete') === 'true'
              ? 'close'
              : route === 'POST /telemetry/send'
                ? 'telemetry'
                : 'other';
    const record: RecordedRequest = {
      kind,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      remoteAddress: request.socket.remoteAddress,
    };
    this.requests.push(record);
    let status = 200;
    let payload: object;
    if (kind === 'login') payload = this.login(url, body);
    else if (kind === 'query') [status, payload] = this.query(request, body);
    else if (kind === 'result') [status, payload] = this.result(request, resultOf!);
    else if (kind === 'close') [status, payload] = this.logout(request);
    else if (kind === 'telemetry')
      payload = { success: true, code: null, message: null, data: 'Log Received' };
    else {
      this.unexpectedRequests.push(record);
      status = 404;
      payload = {
        success: false,
        code: '000404',
        message: `The Snowflake fake does not implement ${route}.`,
        data: null,
      };
    }
    record.status = status;
    this.reply(response, status, payload);
  }

  /** Requests by kind, from `requests[since]` on (pass `requests.length` taken earlier as a mark). */
  requestCounts(since = 0): SnowflakeRequestCounts {
    const counts: SnowflakeRequestCounts = {
      login: 0,
      query: 0,
      result: 0,
      close: 0,
      telemetry: 0,
      other: 0,
      total: 0,
    };
    for (const record of this.requests.slice(since)) {
      counts[record.kind] += 1;
      counts.total += 1;
    }
    return counts;
  }

  private reply(response: ServerResponse, status: number, payload: object): void {
    const text = JSON.stringify(payload);
    response.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
    });
    response.end(text);
  }

  private loginFailure(code: string, message: string): object {
    return {
      data: { nextAction: 'RETRY_LOGIN', authnMethod: 'PASSWORD', signInOptions: {} },
      code,
      message,
      success: false,
      headers: null,
    };
  }

  private login(url: URL, body: unknown): object {
    const data = ((body as { data?: unknown } | null)?.data ?? {}) as Record<string, unknown>;
    const accountName = typeof data.ACCOUNT_NAME === 'string' ? data.ACCOUNT_NAME.toUpperCase() : '';
    const loginName = typeof data.LOGIN_NAME === 'string' ? data.LOGIN_NAME.toUpperCase() : '';
    const authenticator =
      typeof data.AUTHENTICATOR === 'string' ? data.AUTHENTICATOR.toUpperCase() : 'SNOWFLAKE';
    const user = this.options.users.find((candidate) => candidate.name.toUpperCase() === loginName);
    // Snowflake never says which part was wrong.
    const wrongCredentials = this.loginFailure('390100', 'Incorrect username or password was specified.');
    if (accountName !== this.account || !user) {
      return authenticator === 'SNOWFLAKE_JWT'
        ? this.loginFailure('390144', 'JWT token is invalid.')
        : wrongCredentials;
    }
    if (authenticator === 'SNOWFLAKE_JWT') {
      if (!this.validJwt(data.TOKEN, user, accountName))
        return this.loginFailure('390144', 'JWT token is invalid.');
    } else if (authenticator === 'SNOWFLAKE') {
      if (
        typeof data.PASSWORD !== 'string' ||
        user.password === undefined ||
        !sameSecret(data.PASSWORD, user.password)
      ) {
        return wrongCredentials;
      }
    } else {
      return this.loginFailure(
        '390132',
        `The authenticator ${authenticator} is not supported by the Snowflake fake.`,
      );
    }
    return this.openSession(url, user);
  }

  /** RS256 signature by the user's registered key, iss/sub claims, and a live, short lifetime. */
  private validJwt(token: unknown, user: FakeSnowflakeUser, account: string): boolean {
    if (typeof token !== 'string' || !user.publicKeyPem) return false;
    const parts = token.split('.');
    if (parts.length !== 3) return false;
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
    const header = base64urlJson(headerPart);
    const claims = base64urlJson(payloadPart);
    if (!header || !claims || header.alg !== 'RS256') return false;
    const publicKey = createPublicKey(user.publicKeyPem);
    const signed = verify(
      'sha256',
      Buffer.from(`${headerPart}.${payloadPart}`),
      publicKey,
      Buffer.from(signaturePart, 'base64url'),
    );
    if (!signed) return false;
    const subject = `${account}.${user.name.toUpperCase()}`;
    if (claims.sub !== subject || claims.iss !== `${subject}.${fingerprint(publicKey)}`) return false;
    const now = Date.now() / 1000;
    const issuedAt = claimSeconds(claims.iat);
    const expires = claimSeconds(claims.exp);
    const skew = 60;
    return (
      issuedAt !== null &&
      expires !== null &&
      issuedAt <= now + skew &&
      expires >= now - skew &&
      expires - issuedAt <= 3600
    );
  }

  private openSession(url: URL, user: FakeSnowflakeUser): object {
    let database = identifierName(url.searchParams.get('databaseName') ?? undefined);
    let schema = identifierName(url.searchParams.get('schemaName') ?? undefined);
    const file = database && schema ? this.schemas.get(`${database}.${schema}`) : undefined;
    // Snowflake logs in even when the database or schema does not exist; the session has none.
    if (!file) {
      if (database && ![...this.schemas.keys()].some((key) => key.startsWith(`${database}.`)))
        database = null;
      schema = null;
    }
    const warehouseName = identifierName(url.searchParams.get('warehouse') ?? undefined);
    const warehouse = warehouseName && this.warehouses.has(warehouseName) ? warehouseName : null;
    const db = new Database(file ?? ':memory:');
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 0');
    db.exec("ATTACH DATABASE ':memory:' AS INFORMATION_SCHEMA");
    db.exec(
      'CREATE TABLE INFORMATION_SCHEMA.TABLES (TABLE_CATALOG TEXT, TABLE_SCHEMA TEXT, TABLE_NAME TEXT, TABLE_TYPE TEXT)',
    );
    const session: Session = {
      id: this.nextSessionId++,
      token: `ST-${randomUUID()}`,
      masterToken: `MT-${randomUUID()}`,
      user: user.name.toUpperCase(),
      database,
      schema,
      warehouse,
      role: identifierName(url.searchParams.get('roleName') ?? undefined) ?? 'PUBLIC',
      db,
    };
    this.sessions.set(session.token, session);
    return {
      data: {
        masterToken: session.masterToken,
        token: session.token,
        validityInSeconds: 3600,
        masterValidityInSeconds: 14400,
        displayUserName: session.user,
        serverVersion: 'fake',
        firstLogin: false,
        remMeToken: null,
        remMeValidityInSeconds: 0,
        healthCheckInterval: 45,
        newClientForUpgrade: null,
        sessionId: session.id,
        parameters: SESSION_PARAMETERS,
        sessionInfo: {
          databaseName: database,
          schemaName: schema,
          warehouseName: warehouse,
          roleName: session.role,
        },
        idToken: null,
        idTokenValidityInSeconds: 0,
        responseData: null,
        mfaToken: null,
        mfaTokenValidityInSeconds: 0,
      },
      code: null,
      message: null,
      success: true,
    };
  }

  private sessionOf(request: IncomingMessage): Session | undefined {
    const match = /^Snowflake Token="([^"]+)"$/.exec(request.headers.authorization ?? '');
    return match ? this.sessions.get(match[1]!) : undefined;
  }

  private static readonly LOGIN_AGAIN = {
    data: null,
    code: '390104',
    message: 'User must login again to access the service.',
    success: false,
  };

  private logout(request: IncomingMessage): [number, object] {
    const session = this.sessionOf(request);
    if (!session) return [401, FakeSnowflake.LOGIN_AGAIN];
    if (session.db.inTransaction) session.db.exec('ROLLBACK');
    session.db.close();
    this.sessions.delete(session.token);
    return [200, { data: null, code: null, message: null, success: true }];
  }

  private query(request: IncomingMessage, body: unknown): [number, object] {
    const session = this.sessionOf(request);
    if (!session) return [401, FakeSnowflake.LOGIN_AGAIN];
    const { sqlText, bindings, parameters } = (body ?? {}) as {
      sqlText?: unknown;
      bindings?: unknown;
      parameters?: unknown;
    };
    const text = typeof sqlText === 'string' ? sqlText : '';
    const binds = bindValues(bindings);
    const desired = multiStatementCount(parameters);
    const parts = splitStatements(text);
    if (parts.length > 1 || (desired > 1 && parts.length !== desired)) {
      return [200, this.multiStatement(session, text, parts, binds, desired)];
    }
    const outcome = this.execute(session, text, binds);
    return [200, outcome.ok ? this.success(session, outcome, binds.length) : failureBody(outcome)];
  }

  /** One statement on the session: recorded, run, its result kept for GET /queries/<id>/result. */
  private execute(session: Session, text: string, binds: readonly (string | number | null)[]): Outcome {
    const recorded: RecordedStatement = {
      sessionId: session.id,
      sqlText: text,
      binds,
      sqlite: null,
      errorCode: null,
    };
    this.statements.push(recorded);
    const queryId = randomUUID();
    let kind: StatementKind = 'select';
    try {
      const classified = classify(text);
      kind = classified.kind;
      const result = this.run(session, text, classified.kind, classified.keyword, binds, recorded);
      this.results.set(queryId, { sessionId: session.id, result });
      return { ok: true, queryId, result };
    } catch (error) {
      const failure = snowflakeErrorFrom(error, kind, text);
      recorded.errorCode = failure.code;
      return { ok: false, queryId, failure };
    }
  }

  private success(
    session: Session,
    outcome: { queryId: string; result: ResultSet },
    bindCount: number,
    extra: object = {},
  ): object {
    const { result, queryId } = outcome;
    return {
      data: {
        parameters: SESSION_PARAMETERS,
        rowtype: result.rowtype,
        rowset: result.rowset,
        total: result.rowset.length,
        returned: result.rowset.length,
        queryId,
        databaseProvider: null,
        finalDatabaseName: session.database,
        finalSchemaName: session.schema,
        finalWarehouseName: session.warehouse,
        finalRoleName: session.role,
        numberOfBinds: bindCount,
        arrayBindSupported: false,
        statementTypeId: result.statementTypeId,
        version: 1,
        sendResultTime: Date.now(),
        queryResultFormat: 'json',
        ...extra,
      },
      code: null,
      message: null,
      success: true,
    };
  }

  /** Several statements in one request (see "Multi-statement requests" above). */
  private multiStatement(
    session: Session,
    text: string,
    parts: readonly StatementPart[],
    binds: readonly (string | number | null)[],
    desired: number,
  ): object {
    const queryId = randomUUID();
    const refuse = (failure: SnowflakeError) => failureBody({ queryId, failure });
    if (desired !== 0 && parts.length !== desired) {
      return refuse(
        new SnowflakeError(
          '000008',
          '0A000',
          `Actual statement count ${parts.length} did not match the desired statement count ${desired}.`,
        ),
      );
    }
    if (binds.length > 0) {
      return refuse(
        new SnowflakeError(
          '002049',
          '42601',
          'Bind variables are not supported in multi-statement requests.',
        ),
      );
    }
    if (session.warehouse === null) {
      return refuse(
        new SnowflakeError(
          '000606',
          '57P03',
          "No active warehouse selected in the current session.  Select an active warehouse with the 'use warehouse' command.",
        ),
      );
    }
    const ids: string[] = [];
    const types: number[] = [];
    for (const part of parts) {
      const outcome = this.execute(session, part.text, []);
      if (!outcome.ok) {
        const shown = part.text.trim().slice(0, 30);
        return refuse(
          new SnowflakeError(
            '100132',
            'P0000',
            `Uncaught Execution of multiple statements failed on statement "${shown}..." (at line ${part.line}, position ${part.position}).\n${outcome.failure.message}`,
          ),
        );
      }
      ids.push(outcome.queryId);
      types.push(outcome.result.statementTypeId);
    }
    const summary = statusResult(STATEMENT_TYPE.multi, 'Multiple statements executed successfully.');
    this.results.set(queryId, { sessionId: session.id, result: summary });
    return this.success(session, { queryId, result: summary }, 0, {
      resultIds: ids.join(','),
      resultTypes: types.join(','),
    });
  }

  /** GET /queries/<id>/result: a result this session's statement produced. */
  private result(request: IncomingMessage, queryId: string): [number, object] {
    const session = this.sessionOf(request);
    if (!session) return [401, FakeSnowflake.LOGIN_AGAIN];
    const kept = this.results.get(queryId);
    if (!kept || kept.sessionId !== session.id) {
      return [
        200,
        failureBody({
          queryId,
          failure: new SnowflakeError('000709', '02000', `Statement ${queryId} not found`),
        }),
      ];
    }
    return [200, this.success(session, { queryId, result: kept.result }, 0)];
  }

  private run(
    session: Session,
    sqlText: string,
    kind: StatementKind,
    keyword: string,
    binds: readonly (string | number | null)[],
    recorded: RecordedStatement,
  ): ResultSet {
    const { db } = session;
    if (kind === 'transaction') {
      const begin = keyword === 'BEGIN' || keyword === 'START';
      if (begin && !db.inTransaction) db.exec((recorded.sqlite = 'BEGIN'));
      if (!begin && db.inTransaction) db.exec((recorded.sqlite = keyword));
      return statusResult(STATEMENT_TYPE.transaction, 'Statement executed successfully.');
    }
    if (kind === 'ddl') {
      if (keyword === 'CREATE' && session.schema === null) {
        throw new SnowflakeError(
          '090106',
          '22000',
          "Cannot perform CREATE TABLE. This session does not have a current schema. Call 'USE SCHEMA', or use a qualified name.",
        );
      }
      // Snowflake's implicit commit before DDL; the DDL then stands alone and later statements autocommit.
      if (db.inTransaction) db.exec('COMMIT');
    }
    // DML and reading tables need compute; DDL and constant SELECTs run in Snowflake's cloud services.
    const needsWarehouse = kind !== 'ddl' && (kind !== 'select' || /\bFROM\b/i.test(sqlText));
    if (needsWarehouse && session.warehouse === null) {
      throw new SnowflakeError(
        '000606',
        '57P03',
        "No active warehouse selected in the current session.  Select an active warehouse with the 'use warehouse' command.",
      );
    }
    if (/INFORMATION_SCHEMA\./i.test(sqlText)) this.refreshInformationSchema(session);
    const sqliteSql = rewrite(sqlText, kind, session, binds);
    recorded.sqlite = sqliteSql;
    const tablesBefore = kind === 'ddl' ? this.tableNames(db) : null;
    const statement = db.prepare(sqliteSql);
    if (kind === 'select') {
      if (!statement.reader)
        throw new SnowflakeError('001003', '42000', 'SQL compilation error:\nsyntax error: not a query.');
      const columns = statement.columns();
      const rows = statement.raw(true).all(...binds) as unknown[][];
      const types = columns.map(
        (column, index) =>
          declaredType(column.type) ?? typeOfValue(rows.find((row) => row[index] !== null)?.[index] ?? null),
      );
      return {
        statementTypeId: STATEMENT_TYPE.select,
        rowtype: columns.map((column, index) => rowtypeEntry(column.name.toUpperCase(), types[index]!)),
        rowset: rows.map((row) => row.map((value, index) => wireValue(value, types[index]!))),
      };
    }
    const { changes } = statement.run(...binds);
    switch (kind) {
      case 'insert':
        return countResult(STATEMENT_TYPE.insert, { 'number of rows inserted': changes });
      case 'merge':
        return countResult(STATEMENT_TYPE.merge, { 'number of rows inserted': changes });
      case 'update':
        return countResult(STATEMENT_TYPE.update, {
          'number of rows updated': changes,
          'number of multi-joined rows updated': 0,
        });
      case 'delete':
        return countResult(STATEMENT_TYPE.delete, { 'number of rows deleted': changes });
      default:
        return statusResult(
          STATEMENT_TYPE.ddl,
          ddlStatus(keyword, tablesBefore ?? new Set(), this.tableNames(db), sqliteSql),
        );
    }
  }

  private tableNames(db: Database.Database): Set<string> {
    const rows = db
      .prepare("SELECT name FROM main.sqlite_master WHERE type IN ('table', 'view')")
      .pluck()
      .all() as string[];
    return new Set(rows.map((name) => name.toUpperCase()));
  }

  private refreshInformationSchema(session: Session): void {
    session.db.exec('DELETE FROM INFORMATION_SCHEMA.TABLES');
    if (session.schema === null) return;
    session.db
      .prepare(
        `INSERT INTO INFORMATION_SCHEMA.TABLES
         SELECT ?, ?, UPPER(name), CASE type WHEN 'view' THEN 'VIEW' ELSE 'BASE TABLE' END
         FROM main.sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'`,
      )
      .run(session.database, session.schema);
  }
}

/** Snowflake's status text for DDL, from what the statement changed. */
function ddlStatus(
  keyword: string,
  before: ReadonlySet<string>,
  after: ReadonlySet<string>,
  sql: string,
): string {
  const created = [...after].find((name) => !before.has(name));
  const dropped = [...before].find((name) => !after.has(name));
  if (created) return `Table ${created} successfully created.`;
  if (dropped) return `${dropped} successfully dropped.`;
  const named =
    /\b(?:TABLE|VIEW)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(\w+)/i.exec(sql)?.[1]?.toUpperCase() ?? 'OBJECT';
  if (keyword === 'CREATE') return `${named} already exists, statement succeeded.`;
  return 'Statement executed successfully.';
}

/** The SDK's `bindings` map ({"1": {type, value}, …}) as positional SQLite values. */
function bindValues(bindings: unknown): (string | number | null)[] {
  if (typeof bindings !== 'object' || bindings === null) return [];
  return Object.entries(bindings as Record<string, { type?: unknown; value?: unknown }>)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, bind]) => {
      const value = bind.value;
      if (value === null || value === undefined) return null;
      switch (bind.type) {
        case 'FIXED':
        case 'REAL':
          return Number(value);
        case 'BOOLEAN':
          return String(value).toLowerCase() === 'true' ? 1 : 0;
        default:
          return String(value);
      }
    });
}

/** The request body as JSON; the SDK gzips it, but sets the header and the body independently. */
async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  let raw = Buffer.concat(chunks);
  if (raw.length === 0) return null;
  if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return raw.toString('utf8');
  }
}

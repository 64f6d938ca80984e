/**
 * A loopback Databricks SQL warehouse for tests: the TCLIService Thrift API (binary protocol over
 * HTTP POST, the way @databricks/sql talks to a warehouse) on 127.0.0.1, executing every statement
 * it receives on a real SQL engine, an in-memory better-sqlite3 database per schema.
 *
 * Honest by construction: it checks the bearer token (401 without one, 403 for a wrong one, as
 * Databricks answers), runs the SQL it is sent (no canned answers), reports DML counts from
 * SQLite's `changes` the way Databricks reports them (a one-row result with `num_affected_rows`,
 * plus `num_inserted_rows` for INSERT and the MERGE breakdown), and refuses what it cannot run with
 * a Thrift error status. Every call is recorded for assertions, and every HTTP request with the
 * Thrift method it carried (`requestCounts()` counts them by method), so tests can assert how many
 * requests a command costs.
 *
 * Direct results, as a warehouse sends them: when ExecuteStatement asks for them
 * (`getDirectResults`, which @databricks/sql always sets) and the statement has finished, the
 * response carries the operation's status, its result set metadata and, where it has a result set,
 * its first rows (up to `maxRows`); when every row fitted, the server has also closed the operation and says so
 * (`closeOperation`), so a client needs no GetOperationStatus, GetResultSetMetadata, FetchResults
 * or CloseOperation. A statement that failed while running comes back with its ERROR_STATE status
 * only (the operation stays open until the client closes it). Without `getDirectResults` each of
 * those is a request of its own, as before.
 *
 * Databricks SQL → SQLite rewrites (textual; only what Jetbase and the tests' fixtures need):
 *
 * | Databricks                                   | SQLite                                         | why |
 * |----------------------------------------------|------------------------------------------------|-----|
 * | `BIGINT GENERATED ALWAYS AS IDENTITY` (CREATE TABLE) | `INTEGER PRIMARY KEY AUTOINCREMENT`    | SQLite's only never-reused increasing key; a table that also declares a PRIMARY KEY is refused |
 * | `STRING` (CREATE TABLE)                      | `TEXT`                                         | SQLite would give `STRING` NUMERIC affinity and turn '1' into 1 |
 * | `CURRENT_TIMESTAMP()` / `CURRENT_TIMESTAMP`  | `databricks_current_timestamp()`               | UTC with microseconds, one value per statement, as Databricks |
 * | `CURRENT_SCHEMA()`                           | (a registered function)                        | the session's schema |
 * | `INFORMATION_SCHEMA.TABLES`                  | a temp view over `sqlite_master`               | table_catalog, table_schema, table_name, table_type |
 * | `MERGE INTO t [AS] a USING (…) [AS] b ON … WHEN NOT MATCHED THEN INSERT (…) VALUES (…)` | `INSERT INTO t (…) SELECT … FROM (…) AS b WHERE NOT EXISTS (SELECT 1 FROM t AS a WHERE …)` | the only MERGE form accepted |
 * | `BEGIN`, `START TRANSACTION`, `COMMIT`, `ROLLBACK` | refused, PARSE_SYNTAX_ERROR                | Databricks runs each statement on its own |
 * | `'it\'s'`, `"text"` (Spark string literals, backslash escapes) | `'it''s'`, `'text'`          | Spark reads backslash escapes and double-quoted strings; SQLite does neither |
 * | `LIKE`                                       | `PRAGMA case_sensitive_like = ON`              | Databricks' LIKE is case-sensitive |
 *
 * Known differences, none of which Jetbase depends on: results are column-based Thrift row sets,
 * never Arrow; TIMESTAMP values are sent as text the way Spark prints them (trailing zeros of the
 * fraction dropped); an expression column without a declared type is typed from its SQLite value
 * (so `COUNT(*) > 0` is a BIGINT 1, not a BOOLEAN); an INTEGER column reads as BIGINT; GENERATED
 * ALWAYS does not stop an explicit value; adjacent string literals are not concatenated.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

import Database from 'better-sqlite3';
import type {
  TColumn,
  TColumnDesc,
  TExecuteStatementReq,
  TOpenSessionReq,
  TSparkParameter,
  TStatus,
} from '@databricks/sql/thrift/TCLIService_types.js';
import type * as TcliTypesModule from '@databricks/sql/thrift/TCLIService_types.js';

const require = createRequire(import.meta.url);

/** The few pieces of the `thrift` runtime used here (it ships no types). */
interface ThriftProtocol {
  readonly __brand?: 'protocol';
}
interface ThriftTransport {
  readonly __brand?: 'transport';
}
interface ThriftRuntime {
  TBufferedTransport: {
    new (buffer: undefined, onFlush: (data: Buffer) => void): ThriftTransport;
    receiver(callback: (transport: ThriftTransport) => void, seqid?: number): (data: Buffer) => void;
  };
  TBinaryProtocol: new (transport: ThriftTransport) => ThriftProtocol;
}
interface TcliServiceModule {
  Processor: new (handler: object) => { process(input: ThriftProtocol, output: ThriftProtocol): void };
}
type TcliTypes = typeof TcliTypesModule;
type Int64Constructor = new (value: number) => object;

const thrift = require('thrift') as ThriftRuntime;
const TCLIService = require('@databricks/sql/thrift/TCLIService') as TcliServiceModule;
const T = require('@databricks/sql/thrift/TCLIService_types') as TcliTypes;
const Int64 = require('node-int64') as Int64Constructor;

export interface FakeDatabricksOptions {
  /** The access token it accepts. */
  readonly token?: string;
  /** What OpenSession answers; below V8 the client cannot send parameters. */
  readonly protocolVersion?: number;
  readonly httpPath?: string;
  /** False: DML answers without `num_affected_rows`, like a server that reports no count. */
  readonly reportDmlCounts?: boolean;
  /** False: no direct results even when asked, so every status, schema, fetch and close is a request. */
  readonly directResults?: boolean;
}

/** One Thrift call, as the fake received it. */
export interface RecordedCall {
  readonly method: string;
  readonly statement?: string;
  readonly parameters?: ReadonlyArray<string | number | boolean | null>;
}

/** One HTTP request. */
export interface RecordedHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: 'ok' | 'missing' | 'wrong';
  /** The TCLIService method named in the Thrift message it carried ('' when it carried none). */
  readonly call: string;
}

/** HTTP requests by the Thrift method they carried, and in all. */
export type DatabricksRequestCounts = Readonly<Record<string, number>> & { readonly total: number };

export interface FakeDatabricks {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly httpPath: string;
  readonly token: string;
  readonly calls: RecordedCall[];
  readonly httpRequests: RecordedHttpRequest[];
  /** TCLIService methods the client called that the fake does not implement. */
  readonly unimplemented: string[];
  /** HTTP requests from `httpRequests[since]` on, by Thrift method (pass an earlier `httpRequests.length`). */
  requestCounts(since?: number): DatabricksRequestCounts;
  /** Creates an empty schema in catalog `main` (like `CREATE SCHEMA`). */
  createSchema(schema: string): void;
  /** A URL for the schema: `databricks://token:…@127.0.0.1:PORT?http_path=…&catalog=main&schema=…&scheme=http`. */
  url(schema: string, token?: string): string;
  /** The schema's SQLite database, for looking at the real tables. */
  database(schema: string): Database.Database;
  close(): Promise<void>;
}

const CATALOG = 'main';

/** A Databricks-style SQL error: `[ERROR_CLASS] message SQLSTATE: xxxxx`. */
class FakeSqlError extends Error {
  constructor(
    readonly errorClass: string,
    detail: string,
    readonly sqlState: string,
  ) {
    super(`[${errorClass}] ${detail} SQLSTATE: ${sqlState}`);
  }
}

function sqliteErrorToDatabricks(error: unknown): FakeSqlError {
  if (error instanceof FakeSqlError) return error;
  // Not `instanceof Error`: a native driver's errors can come from another realm under Jest.
  const message =
    typeof (error as { message?: unknown } | null)?.message === 'string'
      ? (error as { message: string }).message
      : String(error);
  let match: RegExpExecArray | null;
  if ((match = /^no such table: (.+)$/.exec(message))) {
    return new FakeSqlError(
      'TABLE_OR_VIEW_NOT_FOUND',
      `The table or view \`${match[1]}\` cannot be found.`,
      '42P01',
    );
  }
  if ((match = /^table (\S+) already exists$/.exec(message))) {
    return new FakeSqlError(
      'TABLE_OR_VIEW_ALREADY_EXISTS',
      `Cannot create table or view \`${match[1]}\` because it already exists.`,
      '42P07',
    );
  }
  if (/syntax error|incomplete input/.test(message))
    return new FakeSqlError('PARSE_SYNTAX_ERROR', message, '42601');
  if (/NOT NULL constraint failed/.test(message))
    return new FakeSqlError('DELTA_NOT_NULL_CONSTRAINT_VIOLATED', message, '23502');
  if (/no such column/.test(message)) return new FakeSqlError('UNRESOLVED_COLUMN', message, '42703');
  return new FakeSqlError('INTERNAL_ERROR', `SQLite: ${message}`, 'XX000');
}

// ----- SQL translation -----

type StatementKind = 'query' | 'insert' | 'update' | 'delete' | 'merge' | 'other';

interface Translated {
  readonly sql: string;
  readonly kind: StatementKind;
}

function leadingKeyword(sql: string): string {
  const body = sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  return /^[A-Za-z]+/.exec(body)?.[0]?.toUpperCase() ?? '';
}

const MERGE_NOT_MATCHED_INSERT =
  /^\s*MERGE\s+INTO\s+(\w+)\s+(?:AS\s+)?(\w+)\s+USING\s+\(([\s\S]+)\)\s+(?:AS\s+)?(\w+)\s+ON\s+([\s\S]+?)\s+WHEN\s+NOT\s+MATCHED\s+THEN\s+INSERT\s*\(([^)]*)\)\s*VALUES\s*\(([\s\S]*)\)\s*;?\s*$/i;

function translateMerge(sql: string): string {
  const match = MERGE_NOT_MATCHED_INSERT.exec(sql);
  if (!match) {
    throw new FakeSqlError(
      'FAKE_UNSUPPORTED_SQL',
      'The fake runs only MERGE … WHEN NOT MATCHED THEN INSERT (…) VALUES (…).',
      '0A000',
    );
  }
  const [, table, targetAlias, source, sourceAlias, on, columns, values] = match;
  return `INSERT INTO ${table} (${columns}) SELECT ${values} FROM (${source}) AS ${sourceAlias} WHERE NOT EXISTS (SELECT 1 FROM ${table} AS ${targetAlias} WHERE ${on})`;
}

function translateCreateTable(sql: string): string {
  const identity = /\bBIGINT\s+GENERATED\s+ALWAYS\s+AS\s+IDENTITY\b/gi;
  const identities = sql.match(identity)?.length ?? 0;
  if (identities > 1)
    throw new FakeSqlError(
      'FAKE_UNSUPPORTED_SQL',
      'The fake supports one identity column per table.',
      '0A000',
    );
  if (identities === 1 && /\bPRIMARY\s+KEY\b/i.test(sql)) {
    throw new FakeSqlError(
      'FAKE_UNSUPPORTED_SQL',
      'The fake cannot combine an identity column with a PRIMARY KEY.',
      '0A000',
    );
  }
  if (/\bGENERATED\b/i.test(sql.replace(identity, ''))) {
    throw new FakeSqlError(
      'FAKE_UNSUPPORTED_SQL',
      'The fake supports only BIGINT GENERATED ALWAYS AS IDENTITY.',
      '0A000',
    );
  }
  if (/\)\s*(USING|TBLPROPERTIES|PARTITIONED|CLUSTER|LOCATION|COMMENT)\b/i.test(sql)) {
    throw new FakeSqlError(
      'FAKE_UNSUPPORTED_SQL',
      'The fake does not support table options after the column list.',
      '0A000',
    );
  }
  return sql.replace(identity, 'INTEGER PRIMARY KEY AUTOINCREMENT').replace(/\bSTRING\b/gi, 'TEXT');
}

const SPARK_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', b: '\b' };

/**
 * Spark string literals ('…' or "…", backslash escapes) become SQLite ones ('…' with '' doubling),
 * held aside as `\u0001N\u0001` while the code around them is rewritten, so a rewrite never
 * touches a literal; comments go (SQLite would not need them), backtick identifiers stay.
 */
function extractLiterals(sql: string): { code: string; literals: string[] } {
  const literals: string[] = [];
  let code = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      let value = '';
      let j = i + 1;
      for (; j < sql.length && sql[j] !== ch; j++) {
        if (sql[j] === '\\' && j + 1 < sql.length) {
          j++;
          value += SPARK_ESCAPES[sql[j]!] ?? sql[j]!;
        } else {
          value += sql[j]!;
        }
      }
      if (j >= sql.length)
        throw new FakeSqlError('PARSE_SYNTAX_ERROR', 'Unterminated string literal.', '42601');
      code += `\u0001${literals.length}\u0001`;
      literals.push(`'${value.replaceAll("'", "''")}'`);
      i = j + 1;
    } else if (ch === '`') {
      const end = sql.indexOf('`', i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      code += sql.slice(i, stop);
      i = stop;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
      code += ' ';
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      code += ' ';
    } else {
      code += ch;
      i += 1;
    }
  }
  return { code, literals };
}

export function translateSql(sql: string): Translated {
  const { code, literals } = extractLiterals(sql);
  const keyword = leadingKeyword(code);
  if (['BEGIN', 'START', 'COMMIT', 'ROLLBACK', 'END', 'SAVEPOINT', 'RELEASE'].includes(keyword)) {
    throw new FakeSqlError('PARSE_SYNTAX_ERROR', `Syntax error at or near '${keyword}'.`, '42601');
  }
  let text = code;
  let kind: StatementKind = 'other';
  if (keyword === 'MERGE') {
    text = translateMerge(code);
    kind = 'merge';
  } else if (keyword === 'CREATE' && /^\s*CREATE\s+TABLE\b/i.test(code)) {
    text = translateCreateTable(code);
  } else if (keyword === 'SELECT' || keyword === 'WITH') {
    kind = 'query';
  } else if (keyword === 'INSERT' || keyword === 'UPDATE' || keyword === 'DELETE') {
    kind = keyword.toLowerCase() as StatementKind;
  }
  text = text
    .replace(/\bCURRENT_TIMESTAMP\b(\s*\(\s*\))?/gi, 'databricks_current_timestamp()')
    .replace(/\bINFORMATION_SCHEMA\s*\.\s*TABLES\b/gi, 'databricks_information_schema_tables')
    .replace(/\u0001(\d+)\u0001/g, (_, n: string) => literals[Number(n)]!);
  return { sql: text, kind };
}

// ----- results as TCLIService sees them -----

type Cell = string | number | bigint | boolean | Buffer | null;

interface ResultColumn {
  readonly name: string;
  readonly type: number; // TTypeId
  readonly values: Cell[];
}

interface OperationResult {
  readonly columns: ResultColumn[];
  readonly rowCount: number;
}

function typeFromDeclared(declared: string | null, values: readonly Cell[]): number {
  const type = (declared ?? '').toUpperCase();
  if (type.startsWith('BOOLEAN')) return T.TTypeId.BOOLEAN_TYPE;
  if (type.startsWith('BIGINT') || type.startsWith('INTEGER')) return T.TTypeId.BIGINT_TYPE;
  if (/^(INT|SMALLINT|TINYINT)\b/.test(type)) return T.TTypeId.INT_TYPE;
  if (/^(DOUBLE|FLOAT|REAL)\b/.test(type)) return T.TTypeId.DOUBLE_TYPE;
  if (type.startsWith('TIMESTAMP')) return T.TTypeId.TIMESTAMP_TYPE;
  if (type.startsWith('DATE')) return T.TTypeId.DATE_TYPE;
  if (type !== '') return T.TTypeId.STRING_TYPE;
  const sample = values.find((value) => value !== null);
  if (typeof sample === 'number')
    return Number.isInteger(sample) ? T.TTypeId.BIGINT_TYPE : T.TTypeId.DOUBLE_TYPE;
  if (typeof sample === 'bigint') return T.TTypeId.BIGINT_TYPE;
  if (Buffer.isBuffer(sample)) return T.TTypeId.BINARY_TYPE;
  return T.TTypeId.STRING_TYPE;
}

/** Spark prints a timestamp's fraction without trailing zeros (`…:00.8231`, `…:00`). */
function sparkTimestamp(value: string): string {
  return value.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

function nullBitmap(values: readonly Cell[]): Buffer {
  const bitmap = Buffer.alloc(Math.ceil(values.length / 8));
  values.forEach((value, i) => {
    if (value === null) bitmap[Math.floor(i / 8)]! |= 1 << (i % 8);
  });
  return bitmap;
}

function toColumn(column: ResultColumn): TColumn {
  const { values } = column;
  const nulls = nullBitmap(values);
  const number = (value: Cell) => (value === null ? 0 : Number(value));
  switch (column.type) {
    case T.TTypeId.BOOLEAN_TYPE:
      return {
        boolVal: { values: values.map((v) => v !== null && v !== 0 && v !== false), nulls },
      } as TColumn;
    case T.TTypeId.INT_TYPE:
      return { i32Val: { values: values.map(number), nulls } } as TColumn;
    case T.TTypeId.BIGINT_TYPE:
      return { i64Val: { values: values.map((v) => new Int64(number(v))), nulls } } as TColumn;
    case T.TTypeId.DOUBLE_TYPE:
      return { doubleVal: { values: values.map(number), nulls } } as TColumn;
    case T.TTypeId.BINARY_TYPE:
      return {
        binaryVal: { values: values.map((v) => (Buffer.isBuffer(v) ? v : Buffer.alloc(0))), nulls },
      } as TColumn;
    case T.TTypeId.TIMESTAMP_TYPE:
      return {
        stringVal: { values: values.map((v) => (v === null ? '' : sparkTimestamp(String(v)))), nulls },
      } as TColumn;
    default:
      return { stringVal: { values: values.map((v) => (v === null ? '' : String(v))), nulls } } as TColumn;
  }
}

function columnDesc(column: ResultColumn, position: number): TColumnDesc {
  return {
    columnName: column.name,
    position,
    typeDesc: { types: [{ primitiveEntry: { type: column.type } }] },
  } as TColumnDesc;
}

function countsResult(names: readonly string[], counts: readonly number[]): OperationResult {
  return {
    columns: names.map((name, i) => ({ name, type: T.TTypeId.BIGINT_TYPE, values: [counts[i]!] })),
    rowCount: 1,
  };
}

// ----- one schema = one SQLite database -----

class FakeSchema {
  readonly db: Database.Database;
  private statementNow = '';
  private lastMicros = 0;

  constructor(
    readonly name: string,
    private readonly reportDmlCounts = true,
  ) {
    this.db = new Database(':memory:');
    this.db.pragma('case_sensitive_like = ON');
    this.db.function('databricks_current_timestamp', () => this.statementNow);
    this.db.function('current_schema', () => this.name);
    this.db.exec(`CREATE TEMP VIEW databricks_information_schema_tables AS
      SELECT '${CATALOG}' AS table_catalog, '${name}' AS table_schema, name AS table_name, 'MANAGED' AS table_type
      FROM main.sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite!_%' ESCAPE '!'`);
  }

  /** UTC with microseconds, strictly increasing from one statement to the next. */
  private tick(): void {
    const micros = Math.max(
      Math.floor((performance.timeOrigin + performance.now()) * 1000),
      this.lastMicros + 1,
    );
    this.lastMicros = micros;
    const iso = new Date(Math.floor(micros / 1000)).toISOString();
    this.statementNow = `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  /** Prepares (compile errors throw) and returns the run step (runtime errors throw from it). */
  prepare(translated: Translated, parameters: readonly Cell[] | Record<string, Cell>): () => OperationResult {
    const statement = this.db.prepare(translated.sql);
    return () => {
      this.tick();
      if (statement.reader) {
        const columns = statement.columns();
        const rows = statement.raw(true).all(parameters) as Cell[][];
        return {
          columns: columns.map((column, i) => {
            const values = rows.map((row) => row[i] ?? null);
            return { name: column.name, type: typeFromDeclared(column.type, values), values };
          }),
          rowCount: rows.length,
        };
      }
      const { changes } = statement.run(parameters);
      if (!this.reportDmlCounts) return { columns: [], rowCount: 0 };
      switch (translated.kind) {
        case 'insert':
          return countsResult(['num_affected_rows', 'num_inserted_rows'], [changes, changes]);
        case 'merge':
          return countsResult(
            ['num_affected_rows', 'num_updated_rows', 'num_deleted_rows', 'num_inserted_rows'],
            [changes, 0, 0, changes],
          );
        case 'update':
        case 'delete':
          return countsResult(['num_affected_rows'], [changes]);
        default:
          return { columns: [], rowCount: 0 };
      }
    };
  }
}

// ----- parameters -----

function parameterValue(parameter: TSparkParameter): Cell {
  const type = (parameter.type ?? '').toUpperCase();
  const text = parameter.value?.stringValue;
  if (parameter.value === undefined || parameter.value === null || text === undefined || text === null)
    return null;
  if (type === 'BOOLEAN') return text.toUpperCase() === 'TRUE' ? 1 : 0;
  if (['INTEGER', 'INT', 'BIGINT', 'SMALLINT', 'TINYINT', 'DOUBLE', 'FLOAT', 'DECIMAL'].includes(type))
    return Number(text);
  if (['STRING', 'TIMESTAMP', 'TIMESTAMP_NTZ', 'DATE', ''].includes(type)) return text;
  throw new FakeSqlError(
    'FAKE_UNSUPPORTED_SQL',
    `The fake cannot bind a parameter of type ${type}.`,
    '0A000',
  );
}

function bindings(parameters: readonly TSparkParameter[] | null | undefined): Cell[] | Record<string, Cell> {
  const list = parameters ?? [];
  if (list.some((p) => p.name)) {
    if (list.some((p) => !p.name))
      throw new FakeSqlError('UNBOUND_SQL_PARAMETER', 'Mixed named and positional parameters.', '42P02');
    return Object.fromEntries(list.map((p) => [p.name!, parameterValue(p)]));
  }
  return list.map(parameterValue);
}

// ----- the server -----

const ok = (): TStatus => ({ statusCode: T.TStatusCode.SUCCESS_STATUS }) as TStatus;

function failed(error: FakeSqlError | string, code = T.TStatusCode.ERROR_STATUS): TStatus {
  const message = typeof error === 'string' ? error : error.message;
  return {
    statusCode: code,
    errorMessage: message,
    sqlState: typeof error === 'string' ? undefined : error.sqlState,
    displayMessage: message,
  } as TStatus;
}

interface HandleId {
  guid: Buffer;
  secret: Buffer;
}

/** Databricks handle ids are UUIDs (the client stringifies them and checks the version bits). */
function newHandleId(): HandleId {
  const uuidBytes = () => Buffer.from(randomUUID().replaceAll('-', ''), 'hex');
  return { guid: uuidBytes(), secret: uuidBytes() };
}

interface Operation {
  readonly result?: OperationResult;
  readonly error?: FakeSqlError;
  /** Rows already sent (FetchResults and direct results continue from here). */
  offset: number;
}

interface Session {
  readonly schema: FakeSchema;
}

function keyOf(handle: { guid?: Buffer } | undefined | null): string {
  return handle?.guid ? Buffer.from(handle.guid).toString('hex') : '';
}

/** Rows per FetchResults when the client names no limit. */
const FETCH_BATCH = 10_000;

function operationStatus(operation: Operation): object {
  if (operation.error) {
    return {
      status: ok(),
      operationState: T.TOperationState.ERROR_STATE,
      errorMessage: operation.error.message,
      displayMessage: operation.error.message,
      sqlState: operation.error.sqlState,
      hasResultSet: false,
    };
  }
  return {
    status: ok(),
    operationState: T.TOperationState.FINISHED_STATE,
    hasResultSet: (operation.result?.columns.length ?? 0) > 0,
  };
}

function resultSetMetadata(result: OperationResult): object {
  return {
    status: ok(),
    schema: { columns: result.columns.map((column, i) => columnDesc(column, i + 1)) },
    resultFormat: T.TSparkRowSetType.COLUMN_BASED_SET,
  };
}

/** The next `maxRows` rows of the operation's result, as a TFetchResultsResp. */
function fetchFrom(
  operation: Operation,
  maxRows: number,
): { status: TStatus; hasMoreRows: boolean; results: object } {
  const result = operation.result!;
  const start = operation.offset;
  const end = Math.min(result.rowCount, start + maxRows);
  operation.offset = end;
  return {
    status: ok(),
    hasMoreRows: end < result.rowCount,
    results: {
      startRowOffset: new Int64(start),
      rows: [],
      columns: result.columns.map((c) => toColumn({ ...c, values: c.values.slice(start, end) })),
    },
  };
}

/** The method name of a TBinaryProtocol message (strict: version word, then the name's length and bytes). */
function thriftMethodOf(body: Buffer): string {
  if (body.length < 8) return '';
  const length = body.readInt32BE(4);
  return length > 0 && 8 + length <= body.length ? body.toString('utf8', 8, 8 + length) : '';
}

const IMPLEMENTED = new Set([
  'OpenSession',
  'CloseSession',
  'ExecuteStatement',
  'GetOperationStatus',
  'GetResultSetMetadata',
  'FetchResults',
  'CloseOperation',
  'CancelOperation',
]);

export async function startFakeDatabricks(options: FakeDatabricksOptions = {}): Promise<FakeDatabricks> {
  const token = options.token ?? `dapi${randomBytes(16).toString('hex')}`;
  const httpPath = options.httpPath ?? '/sql/1.0/warehouses/fake0000';
  const protocolVersion = options.protocolVersion ?? T.TProtocolVersion.SPARK_CLI_SERVICE_PROTOCOL_V8;
  const reportDmlCounts = options.reportDmlCounts ?? true;
  const sendDirectResults = options.directResults ?? true;
  const schemas = new Map<string, FakeSchema>([['default', new FakeSchema('default', reportDmlCounts)]]);
  const sessions = new Map<string, Session>();
  const operations = new Map<string, Operation>();
  const calls: RecordedCall[] = [];
  const httpRequests: RecordedHttpRequest[] = [];
  const unimplemented: string[] = [];

  const handler = {
    OpenSession(req: TOpenSessionReq) {
      calls.push({ method: 'OpenSession' });
      const catalog = req.initialNamespace?.catalogName ?? CATALOG;
      const schemaName = req.initialNamespace?.schemaName ?? 'default';
      const schema = schemas.get(schemaName.toLowerCase());
      if (catalog.toLowerCase() !== CATALOG) {
        return {
          status: failed(
            new FakeSqlError('NO_SUCH_CATALOG_EXCEPTION', `Catalog '${catalog}' not found.`, '42704'),
          ),
          serverProtocolVersion: protocolVersion,
        };
      }
      if (!schema) {
        return {
          status: failed(
            new FakeSqlError(
              'SCHEMA_NOT_FOUND',
              `The schema \`${catalog}\`.\`${schemaName}\` cannot be found.`,
              '42704',
            ),
          ),
          serverProtocolVersion: protocolVersion,
        };
      }
      const sessionId = newHandleId();
      sessions.set(keyOf(sessionId), { schema });
      return {
        status: ok(),
        serverProtocolVersion: protocolVersion,
        sessionHandle: { sessionId },
        canUseMultipleCatalogs: true,
      };
    },
    CloseSession(req: { sessionHandle: { sessionId: HandleId } }) {
      calls.push({ method: 'CloseSession' });
      const known = sessions.delete(keyOf(req.sessionHandle?.sessionId));
      return { status: known ? ok() : failed('Invalid SessionHandle', T.TStatusCode.INVALID_HANDLE_STATUS) };
    },
    ExecuteStatement(req: TExecuteStatementReq) {
      const session = sessions.get(keyOf(req.sessionHandle?.sessionId));
      let parameters: Cell[] | Record<string, Cell> = [];
      let run: (() => OperationResult) | undefined;
      let compileError: FakeSqlError | undefined;
      try {
        parameters = bindings(req.parameters);
        if (session) run = session.schema.prepare(translateSql(req.statement), parameters);
      } catch (error) {
        compileError = sqliteErrorToDatabricks(error);
      }
      calls.push({
        method: 'ExecuteStatement',
        statement: req.statement,
        parameters: Array.isArray(parameters)
          ? parameters.map((p) => (typeof p === 'bigint' || Buffer.isBuffer(p) ? String(p) : p))
          : [],
      });
      if (!session) return { status: failed('Invalid SessionHandle', T.TStatusCode.INVALID_HANDLE_STATUS) };
      if (compileError) return { status: failed(compileError) };
      let operation: Operation;
      try {
        operation = { result: run!(), offset: 0 };
      } catch (error) {
        operation = { error: sqliteErrorToDatabricks(error), offset: 0 };
      }
      const operationId = newHandleId();
      const key = keyOf(operationId);
      operations.set(key, operation);
      // DDL has no result set (Hive's convention); a failed statement's is unknown until its status is read.
      const hasResultSet = operation.error !== undefined || (operation.result?.columns.length ?? 0) > 0;
      const operationHandle = {
        operationId,
        operationType: T.TOperationType.EXECUTE_STATEMENT,
        hasResultSet,
      };
      if (!req.getDirectResults || !sendDirectResults) return { status: ok(), operationHandle };
      const directResults: Record<string, unknown> = { operationStatus: operationStatus(operation) };
      if (operation.result) {
        directResults.resultSetMetadata = resultSetMetadata(operation.result);
        // Rows only where there is a result set; a statement without one is finished and closed.
        let complete = true;
        if (hasResultSet) {
          const maxRows = Number(req.getDirectResults.maxRows.toString());
          const resultSet = fetchFrom(operation, maxRows > 0 ? maxRows : FETCH_BATCH);
          directResults.resultSet = resultSet;
          complete = !resultSet.hasMoreRows;
        }
        if (complete) {
          operations.delete(key);
          directResults.closeOperation = { status: ok() };
        }
      }
      return { status: ok(), operationHandle, directResults };
    },
    GetOperationStatus(req: { operationHandle: { operationId: HandleId } }) {
      calls.push({ method: 'GetOperationStatus' });
      const operation = operations.get(keyOf(req.operationHandle?.operationId));
      if (!operation)
        return { status: failed('Invalid OperationHandle', T.TStatusCode.INVALID_HANDLE_STATUS) };
      return operationStatus(operation);
    },
    GetResultSetMetadata(req: { operationHandle: { operationId: HandleId } }) {
      calls.push({ method: 'GetResultSetMetadata' });
      const result = operations.get(keyOf(req.operationHandle?.operationId))?.result;
      if (!result) return { status: failed('Invalid OperationHandle', T.TStatusCode.INVALID_HANDLE_STATUS) };
      return resultSetMetadata(result);
    },
    FetchResults(req: { operationHandle: { operationId: HandleId }; maxRows?: { toString(): string } }) {
      calls.push({ method: 'FetchResults' });
      const operation = operations.get(keyOf(req.operationHandle?.operationId));
      if (!operation?.result)
        return { status: failed('Invalid OperationHandle', T.TStatusCode.INVALID_HANDLE_STATUS) };
      const maxRows = Number(req.maxRows?.toString() ?? FETCH_BATCH);
      return fetchFrom(operation, maxRows > 0 ? maxRows : FETCH_BATCH);
    },
    CloseOperation(req: { operationHandle: { operationId: HandleId } }) {
      calls.push({ method: 'CloseOperation' });
      const known = operations.delete(keyOf(req.operationHandle?.operationId));
      return {
        status: known ? ok() : failed('Invalid OperationHandle', T.TStatusCode.INVALID_HANDLE_STATUS),
      };
    },
    CancelOperation(req: { operationHandle: { operationId: HandleId } }) {
      calls.push({ method: 'CancelOperation' });
      return {
        status: operations.has(keyOf(req.operationHandle?.operationId))
          ? ok()
          : failed('Invalid OperationHandle', T.TStatusCode.INVALID_HANDLE_STATUS),
      };
    },
  };

  // Any other TCLIService method: recorded, and answered with an error status.
  const recordingHandler = new Proxy(handler, {
    get(target, name, receiver) {
      if (typeof name === 'string' && !IMPLEMENTED.has(name)) {
        return (_req: unknown) => {
          unimplemented.push(name);
          calls.push({ method: name });
          return { status: failed(`The fake Databricks does not implement ${name}.`) };
        };
      }
      return Reflect.get(target, name, receiver) as unknown;
    },
  });
  const processor = new TCLIService.Processor(recordingHandler);

  function serveThrift(body: Buffer, response: ServerResponse): void {
    thrift.TBufferedTransport.receiver((transport) => {
      const input = new thrift.TBinaryProtocol(transport);
      const output = new thrift.TBinaryProtocol(
        new thrift.TBufferedTransport(undefined, (data) => {
          response.writeHead(200, { 'Content-Type': 'application/x-thrift', 'Content-Length': data.length });
          response.end(data);
        }),
      );
      processor.process(input, output);
    })(body);
  }

  function reply(response: ServerResponse, status: number, message: string): void {
    response.writeHead(status, { 'Content-Type': 'text/plain' });
    response.end(message);
  }

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = (request.url ?? '').split('?')[0]!;
      const header = request.headers.authorization;
      const authorization =
        header === undefined || !header.startsWith('Bearer ')
          ? 'missing'
          : header === `Bearer ${token}`
            ? 'ok'
            : 'wrong';
      const body = Buffer.concat(chunks);
      httpRequests.push({ method: request.method ?? '', path, authorization, call: thriftMethodOf(body) });
      if (request.method !== 'POST') return reply(response, 405, 'Method Not Allowed');
      if (path !== httpPath) return reply(response, 404, `No warehouse at ${path}`);
      if (authorization === 'missing')
        return reply(response, 401, 'Credential was not sent or was of an unsupported type for this API.');
      if (authorization === 'wrong') return reply(response, 403, 'Invalid access token.');
      try {
        serveThrift(body, response);
      } catch (error) {
        reply(response, 500, `Thrift error: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    httpPath,
    token,
    calls,
    httpRequests,
    unimplemented,
    requestCounts(since = 0) {
      const counts: Record<string, number> = { total: 0 };
      for (const { call } of httpRequests.slice(since)) {
        counts[call] = (counts[call] ?? 0) + 1;
        counts.total! += 1;
      }
      return counts as DatabricksRequestCounts;
    },
    createSchema(schema) {
      if (!schemas.has(schema.toLowerCase()))
        schemas.set(schema.toLowerCase(), new FakeSchema(schema.toLowerCase(), reportDmlCounts));
    },
    url(schema, urlToken = token) {
      const query = new URLSearchParams({ http_path: httpPath, catalog: CATALOG, schema, scheme: 'http' });
      return `databricks://token:${encodeURIComponent(urlToken)}@127.0.0.1:${port}?${query.toString()}`;
    },
    database(schema) {
      const found = schemas.get(schema.toLowerCase());
      if (!found) throw new Error(`No schema ${schema} in the fake.`);
      return found.db;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const schema of schemas.values()) schema.db.close();
    },
  };
}

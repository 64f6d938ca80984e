/** PostgreSQL through node-postgres: one Client per connection, no pool. */

import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';

import pg from 'pg';

import {
  StatementFailure,
  type ConnectOptions,
  type Connection,
  type Dialect,
  type DialectSql,
  type DriverError,
  type DriverErrorKind,
  type ExecuteResult,
  type JetbaseTable,
  type ParameterizedSql,
  type SqlRow,
  type SqlValue,
  type StatementHooks,
} from '../../engine/dialect.js';
import { JetbaseError } from '../../engine/errors.js';
import type { DatabaseUrl, DialectOptions } from '../../config/types.js';
import { inTransaction, lowerCaseKeys, scrubbedError } from '../common.js';
import { sendCancelRequest, type CancelTarget } from './cancel-request.js';
import { mayReadCopyData, sendAsOneMessage, StepFailure, type Step } from './one-message.js';

/** Jetbase's tables, lock row and probes on PostgreSQL (Jetbase's default DDL). */
export const postgresqlSql: DialectSql = {
  createMigrationsTable: `CREATE TABLE IF NOT EXISTS jetbase_migrations (
    order_executed INT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version VARCHAR(255),
    description VARCHAR(500) NOT NULL,
    filename VARCHAR(512) NOT NULL,
    migration_type VARCHAR(32) NOT NULL,
    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    checksum VARCHAR(64) NOT NULL
)`,
  createLockTable: `CREATE TABLE IF NOT EXISTS jetbase_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    is_locked BOOLEAN NOT NULL DEFAULT FALSE,
    locked_at TIMESTAMP,
    process_id VARCHAR(36)
)`,
  initLockRow: `INSERT INTO jetbase_lock (id, is_locked)
SELECT 1, FALSE
WHERE NOT EXISTS (SELECT 1 FROM jetbase_lock WHERE id = 1)`,
  tableExists: (table: JetbaseTable) => `SELECT EXISTS (
    SELECT 1
    FROM information_schema.tables
    WHERE table_schema = current_schema()
      AND table_name = '${table}'
)`,
  now: 'CURRENT_TIMESTAMP',
  true: 'TRUE',
  false: 'FALSE',
  insertSuppliesAppliedAt: false,
};

/** Engine SQL with `?` → literals, for the simple protocol; the same scan as toNumberedPlaceholders. */
export function inlineParameters(
  sql: string,
  params: readonly SqlValue[],
  escape: (value: string) => string,
): string {
  let index = 0;
  return toNumberedPlaceholders(sql).replace(/\$(\d+)/g, (_match, n: string) => {
    index = Number(n) - 1;
    const value = params[index];
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    if (typeof value === 'number') return Number.isFinite(value) ? String(value) : escape(String(value));
    return escape(value);
  });
}

/** A string as a PostgreSQL literal (standard_conforming_strings: only `'` needs doubling). */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * `?` → `$1…$n`, leaving `?` inside '…' literals, "…" identifiers and -- comments alone (engine
 * SQL is simple; this is not a full SQL lexer).
 */
export function toNumberedPlaceholders(sql: string): string {
  let result = '';
  let count = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      const close = sql.indexOf(ch, i + 1);
      const end = close === -1 ? sql.length : close + 1;
      result += sql.slice(i, end);
      i = end;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const newline = sql.indexOf('\n', i);
      const end = newline === -1 ? sql.length : newline;
      result += sql.slice(i, end);
      i = end;
    } else if (ch === '?') {
      count += 1;
      result += `$${count}`;
      i += 1;
    } else {
      result += ch;
      i += 1;
    }
  }
  return result;
}

/** TIMESTAMP, TIMESTAMPTZ and DATE stay text: a JS Date would lose microseconds and shift zones. */
const TEXT_TYPE_OIDS = new Set([1082, 1114, 1184]);

const keepTimestampsAsText: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    TEXT_TYPE_OIDS.has(oid) && format !== 'binary'
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** How to try TLS for a libpq `sslmode`: the first attempt, and whether a refusal falls back to plain. */
interface SslPlan {
  readonly ssl: boolean | ConnectionOptions;
  readonly plainIfRefused: boolean;
}

function sslPlan(url: DatabaseUrl, host: string | undefined): SslPlan {
  const mode = url.query.sslmode ?? process.env.PGSSLMODE ?? 'prefer';
  // libpq never uses TLS over a Unix socket.
  if (host?.startsWith('/')) return { ssl: false, plainIfRefused: false };
  const files: ConnectionOptions = {};
  if (url.query.sslrootcert) files.ca = readFileSync(url.query.sslrootcert);
  if (url.query.sslcert) files.cert = readFileSync(url.query.sslcert);
  if (url.query.sslkey) files.key = readFileSync(url.query.sslkey);
  switch (mode) {
    case 'disable':
    case 'allow': // libpq tries plain first; plain is what node-postgres can do for it
      return { ssl: false, plainIfRefused: false };
    case 'prefer': // libpq's default: TLS without verification when the server offers it
      return { ssl: { ...files, rejectUnauthorized: false }, plainIfRefused: true };
    case 'require':
      return { ssl: { ...files, rejectUnauthorized: false }, plainIfRefused: false };
    case 'verify-ca':
      return {
        ssl: { ...files, rejectUnauthorized: true, checkServerIdentity: () => undefined },
        plainIfRefused: false,
      };
    case 'verify-full':
      return { ssl: { ...files, rejectUnauthorized: true }, plainIfRefused: false };
    default:
      throw new JetbaseError(
        'URL',
        `Unsupported sslmode "${mode}" in ${url.redacted}: use disable, allow, prefer, require, verify-ca or verify-full.`,
      );
  }
}

function positiveSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/** The Client settings from the URL; libpq-style query parameters not listed here are ignored. */
function clientConfig(url: DatabaseUrl): { config: pg.ClientConfig; ssl: SslPlan } {
  // SQLAlchemy allows the host (e.g. a socket directory) as ?host=… when the URL has none.
  const host = url.host ?? url.query.host ?? undefined;
  const port = url.port ?? (url.query.port ? Number(url.query.port) : undefined);
  const config: pg.ClientConfig = {
    host,
    port,
    user: url.username ?? undefined,
    password: url.password ?? undefined,
    database: url.database || undefined,
    application_name: url.query.application_name,
    connectionTimeoutMillis: positiveSeconds(url.query.connect_timeout),
    options: url.query.options,
    types: keepTimestampsAsText,
  };
  return { config, ssl: sslPlan(url, host) };
}

async function connectClient(config: pg.ClientConfig): Promise<pg.Client> {
  const client = new pg.Client(config);
  // A connection dropped while idle is reported as an 'error' event, which would crash the
  // process unhandled; the next query fails with its own error instead.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Servers (host:port) that refused TLS under sslmode=prefer: later connections go plain at once. */
const refusedTls = new Set<string>();

async function openClient(url: DatabaseUrl): Promise<pg.Client> {
  const { config, ssl } = clientConfig(url);
  const server = `${config.host ?? ''}:${config.port ?? ''}`;
  try {
    if (ssl.plainIfRefused && refusedTls.has(server)) return await connectClient({ ...config, ssl: false });
    try {
      return await connectClient({ ...config, ssl: ssl.ssl });
    } catch (error) {
      const refused = error instanceof Error && error.message.includes('does not support SSL');
      if (!(ssl.plainIfRefused && refused)) throw error;
      refusedTls.add(server);
      return await connectClient({ ...config, ssl: false });
    }
  } catch (error) {
    throw scrubbedError(error, url.password);
  }
}

/**
 * The server's "not now" at connect time: SQLSTATE 57P03 (cannot_connect_now) and its texts, as
 * node-postgres passes them on (or as they are left once a password was scrubbed from the error).
 */
const STARTING_UP = /the database system is (starting up|not yet accepting connections|in recovery mode)/i;
/** node-postgres' words for a socket that closed under it, while connecting or later. */
const TERMINATED = /Connection terminated unexpectedly|Connection terminated due to connection timeout/i;
/** …and for a client that can no longer be used: it was terminated, or hit a connection error. */
const LOST = /Connection terminated|Client has encountered a connection error/i;

export function postgresqlDriverErrorIs(error: DriverError, kind: DriverErrorKind): boolean {
  if (kind === 'lost') return LOST.test(error.message);
  return error.code === '57P03' || STARTING_UP.test(error.message) || TERMINATED.test(error.message);
}

/** SQLSTATE of a statement interrupted by a CancelRequest. */
const QUERY_CANCELED = '57014';

/** An ErrorResponse of the server (it carries a SQLSTATE), not a socket or client error. */
function isServerError(error: unknown): boolean {
  return error instanceof pg.DatabaseError;
}

/** One result, or the list a simple-protocol query with several statements gives. */
function resultsOf(result: pg.QueryResult | pg.QueryResult[]): pg.QueryResult[] {
  return Array.isArray(result) ? result : [result];
}

class PostgresConnection implements Connection {
  constructor(
    private readonly client: pg.Client,
    private readonly setSearchPath: string | null,
  ) {}

  async execute(sql: string, params?: readonly SqlValue[]): Promise<ExecuteResult> {
    const results = resultsOf(await this.send(sql, params));
    return { rowsAffected: results.reduce((sum, result) => sum + (result.rowCount ?? 0), 0) };
  }

  async query<Row extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    const results = resultsOf(await this.send(sql, params));
    const last = results[results.length - 1];
    return (last?.rows ?? []).map((row: object) => lowerCaseKeys(row) as Row);
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    const { setSearchPath } = this;
    // Jetbase sets the search_path at the start of every transaction; so does this.
    const body = setSearchPath
      ? async () => {
          await this.client.query(setSearchPath);
          return fn();
        }
      : fn;
    return inTransaction((sql) => this.client.query(sql), body);
  }

  /**
   * The whole migration in one round trip (one-message.ts). When the server refuses a statement's
   * text or values before running it (Parse or Bind: a line holding two commands, a `$1` in the
   * text), the transaction is rolled back and the file runs again statement by statement, so the
   * result, success or the same error, is what the simple protocol gives; a file that may hold a
   * COPY goes that way at once (docs/architecture.md, "PostgreSQL in one round trip").
   * Cancellation is checked before the message leaves, and interrupts it while it runs.
   */
  async runInTransaction(
    statements: readonly string[],
    final: ParameterizedSql,
    hooks: StatementHooks,
  ): Promise<void> {
    if (statements.some(mayReadCopyData)) return this.runStatementByStatement(statements, final, hooks);
    await hooks.before(0);
    const prefix = this.setSearchPath ? ['BEGIN', this.setSearchPath] : ['BEGIN'];
    const steps: Step[] = [
      ...[...prefix, ...statements].map((text) => ({ text, values: [] })),
      { text: toNumberedPlaceholders(final.sql), values: final.params },
      { text: 'COMMIT', values: [] },
    ];
    // Reported once the outcome is known: a file that runs again must not count its statements twice.
    const completed: number[] = [];
    // A cancellation while the message runs interrupts the running statement (the server then skips
    // the rest and the file rolls back); its request is awaited before anything else is sent, so it
    // can never land on a later query.
    let cancelling: Promise<void> | undefined;
    const cancel = () => {
      const target = this.cancelTarget();
      if (target) cancelling = sendCancelRequest(target);
    };
    hooks.signal?.addEventListener('abort', cancel, { once: true });
    try {
      await sendAsOneMessage(this.client, steps, (step) => {
        const index = step - prefix.length;
        if (index >= 0 && index < statements.length) completed.push(index);
      });
    } catch (error) {
      hooks.signal?.removeEventListener('abort', cancel);
      await cancelling;
      await this.client.query('ROLLBACK').catch(() => undefined);
      if (!(error instanceof StepFailure)) throw error;
      // Interrupted by our own cancel: stop as a cancellation (before() throws it), not a failure.
      if (hooks.signal?.aborted && (error.cause as { code?: unknown }).code === QUERY_CANCELED)
        await hooks.before(Math.max(0, error.step - prefix.length));
      // Every step, COMMIT included, completed before the session ended: the migration is in.
      if (error.step >= steps.length) {
        for (const done of completed) hooks.after(done);
        return;
      }
      const index = error.step - prefix.length;
      // Not the server's answer but a lost connection: the server may still run the rest and commit.
      if (!isServerError(error.cause))
        throw new StatementFailure(statements.length, error.cause, { outcomeUnknown: true });
      // BEGIN or SET search_path: no statement of the file to name.
      if (index < 0) throw error.cause;
      if (index < statements.length && error.phase !== 'execute')
        return this.runStatementByStatement(statements, final, hooks);
      for (const done of completed) hooks.after(done);
      throw new StatementFailure(Math.min(index, statements.length), error.cause);
    }
    hooks.signal?.removeEventListener('abort', cancel);
    await cancelling;
    for (const done of completed) hooks.after(done);
  }

  /** Where to send a CancelRequest for this session (BackendKeyData, kept by node-postgres). */
  private cancelTarget(): CancelTarget | undefined {
    const { processID, secretKey, host, port } = this.client as unknown as {
      processID?: number;
      secretKey?: number;
      host: string;
      port: number;
    };
    if (typeof processID !== 'number' || typeof secretKey !== 'number') return undefined;
    return { host, port, processId: processID, secretKey };
  }

  /**
   * The file's statements as one simple Query each, BEGIN (and the search_path) riding with the
   * first and the history write with COMMIT. Values of the history write are inlined as literals
   * (escapeLiteral): the simple protocol has no parameters.
   */
  private async runStatementByStatement(
    statements: readonly string[],
    final: ParameterizedSql,
    hooks: StatementHooks,
  ): Promise<void> {
    const begin = this.setSearchPath ? `BEGIN;\n${this.setSearchPath};\n` : 'BEGIN;\n';
    let open = false;
    try {
      if (statements.length === 0) {
        await this.client.query(begin);
        open = true;
      }
      for (const [index, statement] of statements.entries()) {
        await hooks.before(index);
        try {
          // A statement may end in a `--` comment: it goes last on its own line.
          await this.client.query(open ? statement : `${begin}${statement}`);
        } catch (error) {
          open = true; // the BEGIN may have run: roll back in any case
          throw new StatementFailure(index, error);
        }
        open = true;
        hooks.after(index);
      }
      try {
        await this.client.query(
          `${inlineParameters(final.sql, final.params, (v) => this.client.escapeLiteral(v))};\nCOMMIT`,
        );
      } catch (error) {
        throw new StatementFailure(statements.length, error);
      }
      open = false;
    } catch (error) {
      if (open) await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  /** No params: the simple protocol with the text untouched (no placeholders); else `$n` binds. */
  private send(
    sql: string,
    params: readonly SqlValue[] | undefined,
  ): Promise<pg.QueryResult | pg.QueryResult[]> {
    if (!params || params.length === 0) return this.client.query(sql);
    return this.client.query(toNumberedPlaceholders(sql), [...params]);
  }
}

export async function createPostgresqlDialect(url: DatabaseUrl, options: DialectOptions): Promise<Dialect> {
  // Validate the URL's TLS settings now rather than at the first connect.
  clientConfig(url);
  const schema = options.postgresSchema ?? null;
  // A string literal, not an identifier or a bind parameter: the schema's case is kept, as in Jetbase.
  const setSearchPath = schema ? `SET search_path TO ${quoteLiteral(schema)}` : null;
  return {
    name: 'postgresql',
    transactionalDdl: true,
    sql: postgresqlSql,
    target: url.redacted,
    anyTableOrView: `SELECT c.relname
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema()
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
    ORDER BY c.relname
    LIMIT 1`,
    driverErrorIs: postgresqlDriverErrorIs,
    async connect(connectOptions?: ConnectOptions): Promise<Connection> {
      const client = await openClient(url);
      try {
        // Also once per session, so reads outside a transaction see the same schema.
        if (setSearchPath) await client.query(setSearchPath);
        // A read-only command's session refuses writes; a PR check can't change the database.
        if (connectOptions?.readOnly)
          await client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      return new PostgresConnection(client, setSearchPath);
    },
  };
}

/**
 * Snowflake through snowflake-sdk (loaded lazily, see ./sdk.ts): one SDK connection per
 * Connection, password or key-pair (JWT) authentication as Jetbase decides it (a password in the
 * URL wins; else the configured private key).
 *
 * URL: `snowflake://user[:password]@<account>/<database>/<schema>?warehouse=<WH>[&role=<R>]`.
 * Besides `warehouse` and `role`, the query parameters `host`, `port` and `protocol` are honoured
 * with the meaning snowflake-connector-python gives them (SQLAlchemy passes URL query parameters to
 * it), so one URL can point both tools at a private-link host or, for tests, at a loopback server:
 * `…?warehouse=WH&host=127.0.0.1&port=8080&protocol=http`. Plain `http` is refused for any host but
 * loopback, so credentials never cross a network unencrypted. Other parameters are ignored.
 *
 * Requests per migration (docs/architecture.md, "HTTP requests on Snowflake and Databricks"): a
 * file of plain DML goes as one multi-statement request, `BEGIN; …; <history write>; COMMIT`
 * (2 HTTP requests: the POST and the SDK's GET of the first result); a failure there is rolled back
 * and the file run again one statement at a time, so the error names its statement with
 * Snowflake's own message. A file that starts with DDL sends no BEGIN or COMMIT: the DDL would
 * commit the empty transaction at once and everything after it autocommits anyway.
 */
import type { Connection as SdkConnection } from 'snowflake-sdk';

import {
  StatementFailure,
  type Connection,
  type Dialect,
  type DialectSql,
  type ExecuteResult,
  type JetbaseTable,
  type ParameterizedSql,
  type SqlRow,
  type SqlValue,
  type StatementHooks,
} from '../../engine/dialect.js';
import { UrlError } from '../../engine/errors.js';
import type { DatabaseUrl, DialectOptions } from '../../config/types.js';
import {
  MERGE_LOCK_ROW,
  currentSchemaTableProbe,
  inTransaction,
  isLoopbackHost,
  withoutSecret,
} from '../common.js';
import { privateKeyForSdk } from './key-pair.js';
import {
  closeConnection,
  executeStatement,
  loadSnowflakeSdk,
  openConnection,
  plainValue,
  type ConnectionOptions,
  type SnowflakeFailure,
  type StatementResult,
} from './sdk.js';

/** Jetbase's tables, lock row and probes on Snowflake: Jetbase 0.18.1's statements, indentation included. */
export const snowflakeSql: DialectSql = {
  createMigrationsTable: `CREATE TABLE IF NOT EXISTS jetbase_migrations (
                order_executed INT AUTOINCREMENT PRIMARY KEY,
                version VARCHAR(255),
                description VARCHAR(500) NOT NULL,
                filename VARCHAR(512) NOT NULL,
                migration_type VARCHAR(32) NOT NULL,
                applied_at TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP() NOT NULL,
                checksum VARCHAR(64) NOT NULL
            )`,
  createLockTable: `CREATE TABLE IF NOT EXISTS jetbase_lock (
                id INTEGER PRIMARY KEY,
                is_locked BOOLEAN NOT NULL DEFAULT FALSE,
                locked_at TIMESTAMP_NTZ,
                process_id VARCHAR(36)
            )`,
  initLockRow: MERGE_LOCK_ROW,
  // Unquoted names are stored upper-case, so the probe compares with the upper-case name.
  tableExists: (table: JetbaseTable) => currentSchemaTableProbe(`TABLE_NAME = '${table.toUpperCase()}'`),
  now: 'CURRENT_TIMESTAMP()',
  true: 'TRUE',
  false: 'FALSE',
  insertSuppliesAppliedAt: false,
};

const URL_SHAPE = 'snowflake://user[:password]@<account>/<database>/<schema>?warehouse=<WH>[&role=<R>]';

/** `database/schema` from the URL path; both are needed, Jetbase's tables live in the current schema. */
function databaseAndSchema(url: DatabaseUrl): { database: string; schema: string } {
  const [database, schema, ...extra] = (url.database ?? '').split('/');
  if (!database || !schema || extra.some((part) => part !== '')) {
    throw new UrlError(
      `The Snowflake URL '${url.redacted}' must name a database and a schema: ${URL_SHAPE}. Jetbase keeps its tables in that schema.`,
    );
  }
  return { database, schema };
}

/** Where the SDK connects: the account's own host, or `host`/`port`/`protocol` from the query. */
function endpointOptions(
  url: DatabaseUrl,
): Partial<ConnectionOptions> & { protocol?: string; port?: number } {
  const { host, protocol } = url.query;
  const portText = url.query.port ?? (url.port === null ? undefined : String(url.port));
  const endpoint: Partial<ConnectionOptions> & { protocol?: string; port?: number } = {};
  if (host) endpoint.host = host;
  if (portText !== undefined) {
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new UrlError(
        `Invalid port '${portText}' in the Snowflake URL '${url.redacted}': a port is a number from 1 to 65535.`,
      );
    }
    endpoint.port = port;
  }
  if (protocol !== undefined) {
    const normalised = protocol.toLowerCase();
    if (normalised !== 'https' && normalised !== 'http') {
      throw new UrlError(
        `Unsupported protocol '${protocol}' in the Snowflake URL '${url.redacted}': use https (the default).`,
      );
    }
    if (normalised === 'http' && !(host && isLoopbackHost(host))) {
      throw new UrlError(
        `The Snowflake URL '${url.redacted}' asks for protocol=http: plain HTTP is only allowed to a loopback host (host=127.0.0.1), never across a network.`,
      );
    }
    endpoint.protocol = normalised;
  }
  return endpoint;
}

/** Everything the SDK needs except credentials. */
function baseOptions(url: DatabaseUrl): ConnectionOptions {
  if (!url.host) throw new UrlError(`The Snowflake URL '${url.redacted}' has no account: ${URL_SHAPE}.`);
  if (!url.username) throw new UrlError(`The Snowflake URL '${url.redacted}' has no user: ${URL_SHAPE}.`);
  const { database, schema } = databaseAndSchema(url);
  return {
    account: url.host,
    username: url.username,
    database,
    schema,
    ...(url.query.warehouse ? { warehouse: url.query.warehouse } : {}),
    ...(url.query.role ? { role: url.query.role } : {}),
    ...endpointOptions(url),
    // One short-lived session per connection: no heartbeats, no client-side query-context cache.
    clientSessionKeepAlive: false,
    disableQueryContextCache: true,
  };
}

/** Password auth when the URL has a password, else key-pair auth with the configured key, as in Jetbase. */
function credentialOptions(url: DatabaseUrl, options: DialectOptions): Partial<ConnectionOptions> {
  if (url.password) return { password: url.password };
  return {
    authenticator: 'SNOWFLAKE_JWT',
    privateKey: privateKeyForSdk(options.snowflakePrivateKey, options.snowflakePrivateKeyPassword),
  };
}

/**
 * How Snowflake treats a statement inside a transaction: 'dml' runs in it and rolls back with it;
 * 'ddl' commits it first, runs as a transaction of its own, and what follows autocommits; 'other'
 * (SET, USE, CALL, ALTER SESSION, …) is neither for certain, so it gets the plain BEGIN … COMMIT.
 */
type StatementKind = 'dml' | 'ddl' | 'other';

function statementKind(sql: string): StatementKind {
  const body = sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\/[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  if (/^(?:INSERT|UPDATE|DELETE|MERGE|SELECT|WITH)\b/i.test(body)) return 'dml';
  if (/^ALTER\s+SESSION\b/i.test(body)) return 'other';
  if (/^(?:CREATE|ALTER|DROP|UNDROP)\b/i.test(body)) return 'ddl';
  return 'other';
}

/**
 * Engine SQL's `?` placeholders as Snowflake literals, for a multi-statement request (which takes
 * no binds). Strings: Snowflake reads backslash escapes inside '…', so `\` and `'` are escaped.
 * Only engine-owned SQL comes here, whose `?` are all placeholders.
 */
export function inlineParameters(sql: string, params: readonly SqlValue[]): string {
  let next = 0;
  const text = sql.replace(/\?/g, () => {
    if (next >= params.length) throw new Error(`More ? placeholders than the ${params.length} values given.`);
    const value = params[next++]!;
    if (value === null) return 'NULL';
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new Error(`Cannot send ${value} to Snowflake as a literal.`);
      return String(value);
    }
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  });
  if (next !== params.length) throw new Error(`${next} ? placeholders but ${params.length} values given.`);
  return text;
}

/** Snowflake's "JWT token is invalid.": say which key and what to check, without showing it. */
const JWT_INVALID = '390144';

class SnowflakeConnection implements Connection {
  constructor(
    private readonly connection: SdkConnection,
    private readonly scrub: (error: unknown) => Error,
  ) {}

  async execute(sql: string, params?: readonly SqlValue[]): Promise<ExecuteResult> {
    const result = await this.send(sql, params);
    // The SDK sums the DML result row ("number of rows updated", …); -1 for anything else.
    const count = result.numUpdatedRows;
    return { rowsAffected: typeof count === 'number' && count > 0 ? count : 0 };
  }

  async query<Row extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    const result = await this.send(sql, params);
    return result.rows.map((row) => {
      const plain: SqlRow = {};
      for (const column of result.columns) {
        plain[column.name.toLowerCase()] = plainValue(row[column.name], column.kind);
      }
      return plain as Row;
    });
  }

  /** DDL commits implicitly on Snowflake: only the DML inside is rolled back (transactionalDdl false). */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return inTransaction((sql) => this.send(sql, undefined), fn);
  }

  async runInTransaction(
    statements: readonly string[],
    final: ParameterizedSql,
    hooks: StatementHooks,
  ): Promise<void> {
    const kinds = statements.map(statementKind);
    if (statements.length > 0 && kinds.every((kind) => kind === 'dml')) {
      for (const index of statements.keys()) await hooks.before(index);
      if (await this.inOneRequest(statements, final)) {
        for (const index of statements.keys()) hooks.after(index);
        return;
      }
    }
    await this.oneByOne(statements, kinds, final, hooks);
  }

  /**
   * Plain DML and the history write in one multi-statement request. False when Snowflake refused
   * a statement: the transaction is rolled back and nothing of the file stays, so it can run again
   * one statement at a time to find which one. An error Snowflake did not answer with a SQL state
   * (the network, the client) is thrown as it is: the request may have committed.
   */
  private async inOneRequest(statements: readonly string[], final: ParameterizedSql): Promise<boolean> {
    // A statement may end in a `--` comment: each `;` goes on a line of its own.
    const parts = ['BEGIN', ...statements, inlineParameters(final.sql, final.params), 'COMMIT'];
    try {
      await executeStatement(this.connection, parts.join('\n;\n'), undefined, parts.length);
      return true;
    } catch (error) {
      if ((error as SnowflakeFailure).sqlState === undefined) throw this.scrub(error);
      await this.send('ROLLBACK', undefined).catch(() => undefined);
      return false;
    }
  }

  /**
   * One request per statement. BEGIN only where the file starts with DML, COMMIT only while no DDL
   * has ended that transaction: Snowflake commits the open transaction before DDL and autocommits
   * what follows, so those requests would change nothing. (With AUTOCOMMIT, Snowflake's default,
   * which the engine relies on anyway: its lock writes are plain autocommitted statements.)
   */
  private async oneByOne(
    statements: readonly string[],
    kinds: readonly StatementKind[],
    final: ParameterizedSql,
    hooks: StatementHooks,
  ): Promise<void> {
    let open = false;
    try {
      if (kinds[0] !== 'ddl') {
        await this.send('BEGIN', undefined);
        open = true;
      }
      for (const [index, statement] of statements.entries()) {
        await hooks.before(index);
        try {
          await this.send(statement, undefined);
        } catch (error) {
          throw new StatementFailure(index, error);
        }
        if (kinds[index] === 'ddl') open = false;
        hooks.after(index);
      }
      try {
        await this.send(final.sql, final.params);
      } catch (error) {
        throw new StatementFailure(statements.length, error);
      }
      if (open) await this.send('COMMIT', undefined);
      open = false;
    } catch (error) {
      if (open) await this.send('ROLLBACK', undefined).catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    try {
      await closeConnection(this.connection);
    } catch (error) {
      throw this.scrub(error);
    }
  }

  /** No params: the text is sent exactly as written; else `?` binds, which Snowflake supports. */
  private async send(sql: string, params: readonly SqlValue[] | undefined): Promise<StatementResult> {
    try {
      return await executeStatement(this.connection, sql, params);
    } catch (error) {
      throw this.scrub(error);
    }
  }
}

export async function createSnowflakeDialect(url: DatabaseUrl, options: DialectOptions): Promise<Dialect> {
  // Validate the URL and the key now, with clear errors, before loading the SDK.
  const connectionOptions: ConnectionOptions = { ...baseOptions(url), ...credentialOptions(url, options) };
  const keyPair = connectionOptions.authenticator === 'SNOWFLAKE_JWT';
  const secrets = [url.password, options.snowflakePrivateKeyPassword ?? null];
  const scrub = (error: unknown): Error => {
    const failure = error as SnowflakeFailure;
    let message = secrets.reduce<string>((text, secret) => withoutSecret(text, secret), failure.message);
    if (keyPair && failure.code === JWT_INVALID) {
      message += ` Key-pair authentication as ${url.username} was rejected: check that the public key of JETBASE_SNOWFLAKE_PRIVATE_KEY is the one set for this user (ALTER USER … SET RSA_PUBLIC_KEY), and that the account in the URL is right.`;
    }
    const clean = new Error(message) as Error & { code?: string; sqlState?: string };
    if (failure.code !== undefined) clean.code = failure.code;
    if (failure.sqlState !== undefined) clean.sqlState = failure.sqlState;
    return clean;
  };
  const sdk = await loadSnowflakeSdk();
  return {
    name: 'snowflake',
    transactionalDdl: false,
    sql: snowflakeSql,
    target: url.redacted,
    anyTableOrView: `SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES
            WHERE TABLE_SCHEMA = CURRENT_SCHEMA()
            ORDER BY TABLE_NAME
            LIMIT 1`,
    async connect(): Promise<Connection> {
      let connection: SdkConnection;
      try {
        connection = await openConnection(sdk, connectionOptions);
      } catch (error) {
        throw scrub(error);
      }
      return new SnowflakeConnection(connection, scrub);
    },
  };
}

/**
 * The dialect adapters against real databases: SQLite with each driver that loads (node:sqlite
 * through a Node 24 child process when this Node lacks it), PostgreSQL and MySQL/MariaDB when
 * JETBASE_TEST_PG_URL / JETBASE_TEST_MYSQL_URL are set (scripts/db-servers.sh start writes them).
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { DatabaseUrl } from '../../src/config/types.js';
import type { Connection, Dialect, DialectName } from '../../src/engine/dialect.js';
import { createMysqlDialect } from '../../src/dialects/mysql/index.js';
import {
  createPostgresqlDialect,
  quoteLiteral,
  toNumberedPlaceholders,
} from '../../src/dialects/postgresql/index.js';
import { createDialect } from '../../src/dialects/registry.js';
import { createSqliteDialect, type SqliteDriverName } from '../../src/dialects/sqlite/index.js';

const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NODE_24 = path.join(REPO_DIR, 'node_modules/node/bin/node');
/** Set in the Node 24 child so it does not spawn again nor repeat the server suites. */
const IN_CHILD = process.env.JETBASE_TEST_ADAPTERS_CHILD === '1';

/** Every schema/database this file creates starts with this, plus the worker's pid. */
const NAMESPACE_PREFIX = `jb_adapters_${process.pid}`;
let namespaceCount = 0;
const uniqueName = (): string => `${NAMESPACE_PREFIX}_${++namespaceCount}`;

/** A SQLAlchemy URL from the environment as DatabaseUrl, without src/config/url.ts. */
function parseTestUrl(raw: string): DatabaseUrl {
  const url = new URL(raw);
  const [backend = '', driver] = url.protocol.slice(0, -1).split('+');
  const password = url.password ? decodeURIComponent(url.password) : null;
  return {
    dialect: (backend === 'postgres' ? 'postgresql' : backend) as DialectName,
    driver: driver ?? null,
    username: url.username ? decodeURIComponent(url.username) : null,
    password,
    host: url.hostname || null,
    port: url.port ? Number(url.port) : null,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || null,
    query: Object.fromEntries(url.searchParams),
    raw,
    redacted: password ? raw.replace(`:${url.password}@`, ':***@') : raw,
  };
}

function sqliteUrl(database: string): DatabaseUrl {
  const raw = `sqlite:///${database}`;
  return {
    dialect: 'sqlite',
    driver: null,
    username: null,
    password: null,
    host: null,
    port: null,
    database,
    query: {},
    raw,
    redacted: raw,
  };
}

/** A dialect on an empty schema/database/file of its own. */
interface Fresh {
  readonly dialect: Dialect;
  dispose(): Promise<void>;
}

interface Target {
  readonly label: string;
  fresh(): Promise<Fresh>;
  /** applied_at / locked_at as text. */
  readonly timestamp: RegExp;
  /** Can a comment-only statement be sent? (MySQL answers "Query was empty".) */
  readonly acceptsCommentOnly: boolean;
}

async function withFresh<T>(
  target: Target,
  fn: (conn: Connection, dialect: Dialect) => Promise<T>,
): Promise<T> {
  const { dialect, dispose } = await target.fresh();
  const conn = await dialect.connect();
  try {
    return await fn(conn, dialect);
  } finally {
    await conn.close();
    await dispose();
  }
}

async function tableExists(
  conn: Connection,
  dialect: Dialect,
  table: 'jetbase_migrations' | 'jetbase_lock',
): Promise<boolean> {
  const [row] = await conn.query(dialect.sql.tableExists(table));
  const value = row ? Object.values(row)[0] : undefined;
  return value === true || value === 't' || Number(value) === 1;
}

async function bootstrap(conn: Connection, dialect: Dialect): Promise<void> {
  await conn.transaction(async () => {
    await conn.execute(dialect.sql.createMigrationsTable);
  });
  await conn.transaction(async () => {
    await conn.execute(dialect.sql.createLockTable);
    await conn.execute(dialect.sql.initLockRow);
  });
}

const INSERT_HISTORY =
  'INSERT INTO jetbase_migrations (version, description, filename, migration_type, checksum) VALUES (?, ?, ?, ?, ?)';

function historyRow(version: string): string[] {
  return [version, `m${version}`, `V${version}__m${version}.sql`, 'VERSIONED', 'a'.repeat(64)];
}

async function countRows(conn: Connection, table: string): Promise<number> {
  const [row] = await conn.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(row?.n);
}

/** The behaviour every dialect owes the engine (src/engine/dialect.ts). */
function conformance(target: Target): void {
  test('the table probe is false before bootstrap and true after', async () => {
    await withFresh(target, async (conn, dialect) => {
      expect(await tableExists(conn, dialect, 'jetbase_migrations')).toBe(false);
      expect(await tableExists(conn, dialect, 'jetbase_lock')).toBe(false);
      await bootstrap(conn, dialect);
      expect(await tableExists(conn, dialect, 'jetbase_migrations')).toBe(true);
      expect(await tableExists(conn, dialect, 'jetbase_lock')).toBe(true);
    });
  });

  test('bootstrap DDL and the lock row initialisation are idempotent', async () => {
    await withFresh(target, async (conn, dialect) => {
      await bootstrap(conn, dialect);
      await bootstrap(conn, dialect);
      expect(await countRows(conn, 'jetbase_lock')).toBe(1);
      const [lock] = await conn.query<{ id: unknown; is_locked: unknown }>(
        'SELECT id, is_locked FROM jetbase_lock',
      );
      expect(Number(lock?.id)).toBe(1);
      expect(Boolean(Number(lock?.is_locked))).toBe(false);
    });
  });

  test('acquiring the lock affects 1 row, then 0; release by process id affects 1', async () => {
    await withFresh(target, async (conn, dialect) => {
      await bootstrap(conn, dialect);
      const { sql } = dialect;
      const acquire = `UPDATE jetbase_lock SET is_locked = ${sql.true}, locked_at = ${sql.now}, process_id = ? WHERE id = 1 AND is_locked = ${sql.false}`;
      const mine = '6f1c1c2e-0d4a-4f7e-9b55-2b8d8f0e0001';
      expect((await conn.execute(acquire, [mine])).rowsAffected).toBe(1);
      expect((await conn.execute(acquire, ['6f1c1c2e-0d4a-4f7e-9b55-2b8d8f0e0002'])).rowsAffected).toBe(0);
      const [status] = await conn.query<{ is_locked: unknown; locked_at: unknown; process_id: unknown }>(
        'SELECT is_locked, locked_at, process_id FROM jetbase_lock WHERE id = 1',
      );
      expect(Boolean(Number(status?.is_locked) || status?.is_locked === true)).toBe(true);
      expect(status?.locked_at).toEqual(expect.stringMatching(target.timestamp));
      expect(status?.process_id).toBe(mine);
      const release = `UPDATE jetbase_lock SET is_locked = ${sql.false}, locked_at = NULL, process_id = NULL WHERE id = 1 AND process_id = ?`;
      expect((await conn.execute(release, ['someone-else'])).rowsAffected).toBe(0);
      expect((await conn.execute(release, [mine])).rowsAffected).toBe(1);
    });
  });

  test('history rows: ? parameters, applied_at as text, lower-case keys, rowsAffected without params', async () => {
    await withFresh(target, async (conn, dialect) => {
      await bootstrap(conn, dialect);
      expect((await conn.execute(INSERT_HISTORY, historyRow('1'))).rowsAffected).toBe(1);
      expect((await conn.execute(INSERT_HISTORY, historyRow('1.1'))).rowsAffected).toBe(1);
      const rows = await conn.query(
        'SELECT order_executed AS Order_Executed, version, filename, applied_at FROM jetbase_migrations WHERE filename = ? AND migration_type = ?',
        ['V1.1__m1.1.sql', 'VERSIONED'],
      );
      expect(rows).toHaveLength(1);
      expect(Object.keys(rows[0] ?? {})).toEqual(['order_executed', 'version', 'filename', 'applied_at']);
      expect(rows[0]?.version).toBe('1.1');
      expect(Number(rows[0]?.order_executed)).toBe(2);
      expect(rows[0]?.applied_at).toEqual(expect.stringMatching(target.timestamp));
      // Engine SQL without parameters (e.g. force unlock) still reports its row count.
      expect(
        (await conn.execute("DELETE FROM jetbase_migrations WHERE migration_type = 'VERSIONED'"))
          .rowsAffected,
      ).toBe(2);
    });
  });

  test('boolean and null parameters', async () => {
    await withFresh(target, async (conn, dialect) => {
      await bootstrap(conn, dialect);
      await conn.execute('UPDATE jetbase_lock SET is_locked = ?, process_id = ? WHERE id = 1', [true, null]);
      const [row] = await conn.query<{ is_locked: unknown; process_id: unknown }>(
        'SELECT is_locked, process_id FROM jetbase_lock',
      );
      expect(row?.is_locked === true || Number(row?.is_locked) === 1).toBe(true);
      expect(row?.process_id).toBeNull();
    });
  });

  test('a transaction commits, and rolls back its DML when fn throws', async () => {
    await withFresh(target, async (conn, dialect) => {
      await bootstrap(conn, dialect);
      await conn.transaction(() => conn.execute(INSERT_HISTORY, historyRow('1')));
      const failure = new Error('migration failed');
      await expect(
        conn.transaction(async () => {
          await conn.execute(INSERT_HISTORY, historyRow('2'));
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await countRows(conn, 'jetbase_migrations')).toBe(1);
    });
  });

  test(`DDL in a failed transaction is ${target.label.startsWith('mysql') ? 'kept (MySQL commits DDL implicitly)' : 'rolled back'}`, async () => {
    await withFresh(target, async (conn, dialect) => {
      await expect(
        conn.transaction(async () => {
          await conn.execute(dialect.sql.createMigrationsTable);
          throw new Error('a later statement failed');
        }),
      ).rejects.toThrow('a later statement failed');
      expect(await tableExists(conn, dialect, 'jetbase_migrations')).toBe(!dialect.transactionalDdl);
    });
  });

  test('migration SQL without params is sent as written', async () => {
    await withFresh(target, async (conn) => {
      // `?` and `:name` are not placeholders here: SQL is sent as written.
      await conn.execute('CREATE TABLE adapters_probe (note VARCHAR(40))');
      await conn.execute("INSERT INTO adapters_probe (note) VALUES ('what? :name 50%')");
      const rows = await conn.query('SELECT note FROM adapters_probe');
      expect(rows).toEqual([{ note: 'what? :name 50%' }]);
      if (target.acceptsCommentOnly) await conn.execute('-- nothing to do');
    });
  });

  test('a driver error is thrown as an Error with the driver message', async () => {
    await withFresh(target, async (conn) => {
      await expect(conn.execute('SELECT * FROM adapters_no_such_table')).rejects.toThrow(
        /adapters_no_such_table/,
      );
      // The connection stays usable.
      expect(await conn.query('SELECT 1 AS one')).toEqual([{ one: expect.anything() }]);
    });
  });
}

/* ------------------------------------------------------------------------------------------ */
/* SQLite                                                                                      */

function sqliteTarget(driver: SqliteDriverName): Target {
  return {
    label: `sqlite (${driver})`,
    timestamp: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/,
    acceptsCommentOnly: true,
    async fresh() {
      const dir = mkdtempSync(path.join(tmpdir(), 'jetbase-sqlite-'));
      const dialect = await createSqliteDialect(sqliteUrl('./adapters.db'), {
        baseDir: dir,
        sqliteDriver: driver,
      });
      return { dialect, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  };
}

function sqliteSpecifics(driver: SqliteDriverName): void {
  test('reports the driver it was asked for', async () => {
    const dialect = await createSqliteDialect(sqliteUrl(':memory:'), {
      baseDir: REPO_DIR,
      sqliteDriver: driver,
    });
    expect(dialect.sqliteDriver).toBe(driver);
    expect(dialect.name).toBe('sqlite');
    expect(dialect.transactionalDdl).toBe(true);
  });

  test('relative paths resolve against the jetbase dir; no WAL files; busy timeout set', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jetbase-sqlite-'));
    try {
      const dialect = await createSqliteDialect(sqliteUrl('./nested.db'), {
        baseDir: dir,
        sqliteDriver: driver,
      });
      const conn = await dialect.connect();
      await bootstrap(conn, dialect);
      expect(await conn.query('PRAGMA busy_timeout')).toEqual([{ timeout: 5000 }]);
      expect(await conn.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'delete' }]);
      await conn.close();
      expect(readdirSync(dir)).toEqual(['nested.db']);

      const absolute = await createSqliteDialect(sqliteUrl(path.join(dir, 'nested.db')), {
        baseDir: '/nonexistent',
        sqliteDriver: driver,
      });
      const again = await absolute.connect();
      expect(await tableExists(again, absolute, 'jetbase_lock')).toBe(true);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(':memory: and the stored lock row text', async () => {
    const dialect = await createSqliteDialect(sqliteUrl(':memory:'), {
      baseDir: REPO_DIR,
      sqliteDriver: driver,
    });
    const conn = await dialect.connect();
    await bootstrap(conn, dialect);
    // Jetbase's SQLite lock row gets a locked_at although unlocked (docs/format.md, "The lock table").
    const [row] = await conn.query('SELECT is_locked, locked_at FROM jetbase_lock');
    expect(row?.is_locked).toBe(0);
    expect(row?.locked_at).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/));
    await conn.close();
  });

  test('migration text with several statements runs all of them (a trigger body included)', async () => {
    const dialect = await createSqliteDialect(sqliteUrl(':memory:'), {
      baseDir: REPO_DIR,
      sqliteDriver: driver,
    });
    const conn = await dialect.connect();
    await conn.execute('CREATE TABLE t (a INTEGER); CREATE TABLE audit (a INTEGER)');
    await conn.execute(
      'CREATE TRIGGER t_audit AFTER INSERT ON t BEGIN INSERT INTO audit (a) VALUES (NEW.a); END',
    );
    expect((await conn.execute('INSERT INTO t (a) VALUES (1), (2)')).rowsAffected).toBe(4);
    expect(await countRows(conn, 'audit')).toBe(2);
    // A SELECT sent through execute() runs and changes nothing.
    expect((await conn.execute('SELECT a FROM t', [])).rowsAffected).toBe(0);
    expect((await conn.execute('SELECT a FROM t WHERE a = ?', [1])).rowsAffected).toBe(0);
    await conn.close();
  });
}

/** Whether the driver loads and opens a database on this Node (better-sqlite3 may be built for another ABI). */
const driverWorks = (driver: SqliteDriverName): Promise<boolean> =>
  createSqliteDialect(sqliteUrl(':memory:'), { baseDir: REPO_DIR, sqliteDriver: driver }).then(
    () => true,
    () => false,
  );
const betterSqliteLoads = await driverWorks('better-sqlite3');
const nodeSqliteLoads = await driverWorks('node:sqlite');

test('sqlite: the default driver is node:sqlite where it works, else better-sqlite3', async () => {
  const dialect = await createSqliteDialect(sqliteUrl(':memory:'), { baseDir: REPO_DIR });
  expect(dialect.sqliteDriver).toBe(nodeSqliteLoads ? 'node:sqlite' : 'better-sqlite3');
});

describe('sqlite (better-sqlite3)', () => {
  if (!betterSqliteLoads) {
    test.skip(`better-sqlite3 does not load on Node ${process.version}`, () => undefined);
    return;
  }
  conformance(sqliteTarget('better-sqlite3'));
  sqliteSpecifics('better-sqlite3');
});

describe('sqlite (node:sqlite)', () => {
  if (nodeSqliteLoads) {
    conformance(sqliteTarget('node:sqlite'));
    sqliteSpecifics('node:sqlite');
    return;
  }
  if (IN_CHILD || !existsSync(NODE_24)) {
    test.skip(`node:sqlite is not in Node ${process.version} and node_modules/node (Node 24) is not installed`, () =>
      undefined);
    return;
  }
  test('passes the same suite under Node 24 (child process)', () => {
    const child = spawnSync(
      NODE_24,
      [
        '--experimental-vm-modules',
        path.join(REPO_DIR, 'node_modules/jest/bin/jest.js'),
        '--ci',
        '--runTestsByPath',
        fileURLToPath(import.meta.url),
        '-t',
        'sqlite \\(node:sqlite\\)',
      ],
      {
        cwd: REPO_DIR,
        encoding: 'utf8',
        timeout: 120_000,
        env: {
          ...process.env,
          JETBASE_TEST_ADAPTERS_CHILD: '1',
          JETBASE_TEST_PG_URL: '',
          JETBASE_TEST_MYSQL_URL: '',
        },
      },
    );
    const output = `${child.stdout}\n${child.stderr}`;
    if (child.status !== 0) throw new Error(`Node 24 child failed (status ${child.status}):\n${output}`);
    const passed = /Tests:.*?(\d+) passed/.exec(output);
    expect(Number(passed?.[1] ?? 0)).toBeGreaterThanOrEqual(10);
  });

  test('unavailable here: forcing it is a DRIVER_MISSING error', async () => {
    await expect(
      createSqliteDialect(sqliteUrl(':memory:'), { baseDir: REPO_DIR, sqliteDriver: 'node:sqlite' }),
    ).rejects.toMatchObject({
      code: 'DRIVER_MISSING',
    });
  });
});

/* ------------------------------------------------------------------------------------------ */
/* PostgreSQL                                                                                  */

const PG_URL = IN_CHILD ? '' : (process.env.JETBASE_TEST_PG_URL ?? '');

describe('postgresql', () => {
  test('placeholders are numbered outside literals, identifiers and comments', () => {
    expect(toNumberedPlaceholders('SELECT ?, \'?\', "a?", ? -- ?\nFROM t WHERE x = ?')).toBe(
      'SELECT $1, \'?\', "a?", $2 -- ?\nFROM t WHERE x = $3',
    );
    expect(toNumberedPlaceholders("SELECT 'it''s?', ?")).toBe("SELECT 'it''s?', $1");
    expect(quoteLiteral("My'Schema")).toBe("'My''Schema'");
  });

  if (!PG_URL) {
    test.skip('JETBASE_TEST_PG_URL is not set (bash scripts/db-servers.sh start && . .tmp/db/env.sh)', () =>
      undefined);
    return;
  }
  const url = parseTestUrl(PG_URL);
  const options = { baseDir: REPO_DIR };
  let admin: Connection;

  beforeAll(async () => {
    admin = await (await createPostgresqlDialect(url, options)).connect();
  });
  afterAll(async () => {
    await admin?.close();
  });

  const createSchema = async (schema: string): Promise<void> => {
    await admin.execute(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.execute(`CREATE SCHEMA "${schema}"`);
  };

  describe('conformance', () => {
    conformance({
      label: 'postgresql',
      timestamp: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?$/,
      acceptsCommentOnly: true,
      async fresh() {
        const schema = uniqueName();
        await createSchema(schema);
        const dialect = await createPostgresqlDialect(url, { ...options, postgresSchema: schema });
        return {
          dialect,
          dispose: () => admin.execute(`DROP SCHEMA "${schema}" CASCADE`).then(() => undefined),
        };
      },
    });
  });

  test('timestamps come back as text with microseconds', async () => {
    const rows = await admin.query(
      "SELECT TIMESTAMP '2026-11-25 12:31:00.823066' AS plain, TIMESTAMPTZ '2026-11-25 12:31:00.823066+00' AT TIME ZONE 'UTC' AS converted, DATE '2026-11-25' AS day",
    );
    expect(rows).toEqual([
      { plain: '2026-11-25 12:31:00.823066', converted: '2026-11-25 12:31:00.823066', day: '2026-11-25' },
    ]);
    const [tz] = await admin.query<{ t: unknown }>("SELECT TIMESTAMPTZ '2026-11-25 12:31:00.823066+00' AS t");
    expect(tz?.t).toEqual(expect.stringMatching(/^2026-11-25 \d\d:\d\d:00\.823066[+-]\d\d(:\d\d)?$/));
  });

  test('postgres_schema with a mixed-case name gets both tables, also outside transactions', async () => {
    const schema = `MySchema_${uniqueName()}`;
    await createSchema(schema);
    try {
      const dialect = await createPostgresqlDialect(url, { ...options, postgresSchema: schema });
      const conn = await dialect.connect();
      try {
        // Outside any transaction: the search_path set after connect applies.
        const [current] = await conn.query<{ current_schema: unknown }>('SELECT current_schema()');
        expect(current?.current_schema).toBe(schema);
        await bootstrap(conn, dialect);
        expect(await tableExists(conn, dialect, 'jetbase_migrations')).toBe(true);
        expect(await tableExists(conn, dialect, 'jetbase_lock')).toBe(true);
      } finally {
        await conn.close();
      }
      const tables = await admin.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name',
        [schema],
      );
      expect(tables.map((t) => t.table_name)).toEqual(['jetbase_lock', 'jetbase_migrations']);
      // The default schema of the same database stays untouched.
      const [elsewhere] = await admin.query<{ n: unknown }>(
        "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'jetbase\\_%'",
      );
      expect(Number(elsewhere?.n)).toBe(0);
    } finally {
      await admin.execute(`DROP SCHEMA "${schema}" CASCADE`);
    }
  });

  test('a wrong password fails without showing it', async () => {
    const secret = 'wr0ng:p@ss/w%rd';
    const dialect = await createPostgresqlDialect({ ...url, password: secret }, options);
    const error = await dialect.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/password authentication failed/);
    expect(message).not.toContain(secret);
    expect(message).not.toContain(encodeURIComponent(secret));
  });

  test('sslmode=disable connects; an unknown sslmode is a URL error', async () => {
    const dialect = await createPostgresqlDialect(
      { ...url, query: { sslmode: 'disable', application_name: 'jetbase-test', foo: 'ignored' } },
      options,
    );
    const conn = await dialect.connect();
    const [row] = await conn.query<{ application_name: unknown }>('SHOW application_name');
    expect(row?.application_name).toBe('jetbase-test');
    await conn.close();
    await expect(
      createPostgresqlDialect({ ...url, query: { sslmode: 'sometimes' } }, options),
    ).rejects.toMatchObject({ code: 'URL' });
  });
});

/* ------------------------------------------------------------------------------------------ */
/* MySQL / MariaDB                                                                             */

const MYSQL_URL = IN_CHILD ? '' : (process.env.JETBASE_TEST_MYSQL_URL ?? '');

describe('mysql', () => {
  if (!MYSQL_URL) {
    test.skip('JETBASE_TEST_MYSQL_URL is not set (bash scripts/db-servers.sh start && . .tmp/db/env.sh)', () =>
      undefined);
    return;
  }
  const url = parseTestUrl(MYSQL_URL);
  const options = { baseDir: REPO_DIR };
  let admin: Connection;

  beforeAll(async () => {
    admin = await (await createMysqlDialect(url, options)).connect();
  });
  afterAll(async () => {
    await admin?.close();
  });

  describe('conformance', () => {
    conformance({
      label: 'mysql',
      timestamp: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/,
      acceptsCommentOnly: false,
      async fresh() {
        const database = uniqueName();
        await admin.execute(`DROP DATABASE IF EXISTS ${database}`);
        await admin.execute(`CREATE DATABASE ${database}`);
        const dialect = await createMysqlDialect({ ...url, database }, options);
        return { dialect, dispose: () => admin.execute(`DROP DATABASE ${database}`).then(() => undefined) };
      },
    });
  });

  test('timestamps come back as text with microseconds', async () => {
    const rows = await admin.query(
      "SELECT CAST('2026-11-25 12:31:00.823066' AS DATETIME(6)) AS t, CURRENT_TIMESTAMP(6) AS now",
    );
    expect(rows[0]?.t).toBe('2026-11-25 12:31:00.823066');
    expect(rows[0]?.now).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/));
  });

  test('DDL is not transactional: transactionalDdl is false', async () => {
    const dialect = await createMysqlDialect(url, options);
    expect(dialect.transactionalDdl).toBe(false);
    expect(dialect.sql.now).toBe('CURRENT_TIMESTAMP(6)');
  });

  test('a wrong password fails without showing it', async () => {
    const secret = 'wr0ng:p@ss/w%rd';
    const dialect = await createMysqlDialect({ ...url, password: secret }, options);
    const error = await dialect.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/Access denied/);
    expect(message).not.toContain(secret);
    expect(message).not.toContain(encodeURIComponent(secret));
  });
});

/* ------------------------------------------------------------------------------------------ */
/* Registry                                                                                    */

describe('registry', () => {
  test('creates the dialect the URL names', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jetbase-sqlite-'));
    try {
      const dialect = await createDialect(sqliteUrl(':memory:'), { baseDir: dir });
      expect(dialect.name).toBe('sqlite');
      expect(dialect.target).toBe('sqlite:///:memory:');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

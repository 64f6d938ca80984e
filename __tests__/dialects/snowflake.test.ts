/**
 * Snowflake-specific behaviour beyond the conformance suite: key-pair configuration errors (none
 * of which may show a secret), authentication rejected by the fake, the exact SQL Jetbase sends,
 * result text forms and row counts, and the guarantees about loading the SDK and the network.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { parseDatabaseUrl } from '../../src/config/url.js';
import type { DialectOptions } from '../../src/config/types.js';
import { createDialect } from '../../src/dialects/registry.js';
import { MISSING_PRIVATE_KEY_MESSAGE } from '../../src/dialects/snowflake/key-pair.js';
import { snowflakeSql } from '../../src/dialects/snowflake/index.js';
import { timestampNtzText } from '../../src/dialects/snowflake/sdk.js';
import type { Connection, Dialect } from '../../src/engine/dialect.js';
import {
  KEY_USER,
  PASSPHRASE,
  PASSWORD,
  PASSWORD_USER,
  fakeUrl,
  makeTestKeys,
  newFakeSnowflake,
  type UrlParts,
} from '../fakes/snowflake/target.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const keys = makeTestKeys();
const fake = newFakeSnowflake(keys);
beforeAll(() => fake.start());
afterAll(() => fake.close());

/** Lines of the keys' base64 bodies and the passphrase: none may appear in any message. */
const SECRET_FRAGMENTS = [
  PASSPHRASE,
  PASSWORD,
  encodeURIComponent(PASSWORD),
  ...[keys.pkcs8, keys.pkcs8Encrypted, keys.pkcs1, keys.pkcs1Encrypted].flatMap((pem) =>
    pem.split('\n').filter((line) => line.length > 20 && !line.startsWith('-----')),
  ),
];

function expectNoSecret(text: string): void {
  for (const fragment of SECRET_FRAGMENTS) expect(text).not.toContain(fragment);
}

async function dialectFor(parts: UrlParts, options: Partial<DialectOptions> = {}): Promise<Dialect> {
  return createDialect(parseDatabaseUrl(fakeUrl(fake, parts)), { baseDir: process.cwd(), ...options });
}

/** The error a promise rejects with (Jest's `rejects` would hide the message from the secret check). */
async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a failure');
}

describe('key-pair configuration errors', () => {
  const keyDialect = (options: Partial<DialectOptions>) => dialectFor({ user: KEY_USER }, options);

  test("no key and no password in the URL: Jetbase's exact message", async () => {
    for (const key of [undefined, null, '', '  \n']) {
      const error = await failure(keyDialect({ snowflakePrivateKey: key }));
      expect(error).toMatchObject({ code: 'CONFIG', message: MISSING_PRIVATE_KEY_MESSAGE });
    }
    expect(MISSING_PRIVATE_KEY_MESSAGE).toBe(
      "Snowflake private key is not set. You can set it as 'JETBASE_SNOWFLAKE_PRIVATE_KEY' in an environment variable. Alternatively, you can add the password to the SQLAlchemy URL.",
    );
  });

  test.each([
    ['PKCS#8', keys.pkcs8Encrypted],
    ['PKCS#1', keys.pkcs1Encrypted],
  ])(
    'an encrypted %s key without a passphrase says it is encrypted and which setting to use',
    async (_kind, pem) => {
      const error = await failure(keyDialect({ snowflakePrivateKey: pem }));
      expect(error.code).toBe('CONFIG');
      expect(error.message).toContain('is encrypted, but no passphrase is set');
      expect(error.message).toContain('JETBASE_SNOWFLAKE_PRIVATE_KEY_PASSWORD');
      expectNoSecret(error.message);
    },
  );

  test.each([
    ['PKCS#8', keys.pkcs8Encrypted],
    ['PKCS#1', keys.pkcs1Encrypted],
  ])('a wrong passphrase for a %s key is a clear error without the passphrase', async (_kind, pem) => {
    const wrong = 'not the passphrase 123';
    const error = await failure(keyDialect({ snowflakePrivateKey: pem, snowflakePrivateKeyPassword: wrong }));
    expect(error.code).toBe('CONFIG');
    expect(error.message).toContain('could not be decrypted with the passphrase');
    expect(error.message).not.toContain(wrong);
    expectNoSecret(error.message);
  });

  test('text that is not a PEM private key', async () => {
    const base64Only = keys.pkcs8.split('\n').slice(1, -2).join('\n');
    for (const text of ['my-secret-key-value', base64Only, keys.publicKeyPem]) {
      const error = await failure(keyDialect({ snowflakePrivateKey: text }));
      expect(error.code).toBe('CONFIG');
      expect(error.message).toContain('is not a PEM private key');
      expect(error.message).not.toContain('my-secret-key-value');
      expectNoSecret(error.message);
    }
  });

  test('a damaged PEM block and a non-RSA key', async () => {
    const damaged = keys.pkcs8.replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!');
    let error = await failure(keyDialect({ snowflakePrivateKey: damaged }));
    expect(error).toMatchObject({ code: 'CONFIG' });
    expect(error.message).toContain('could not be read');
    expectNoSecret(error.message);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    error = await failure(keyDialect({ snowflakePrivateKey: ec.toString() }));
    expect(error.message).toContain('needs an RSA key');
  });

  test('a key flattened to one line with literal \\n (as CI secret stores do) still works', async () => {
    const dialect = await keyDialect({ snowflakePrivateKey: keys.pkcs8.replaceAll('\n', '\\n') });
    const conn = await dialect.connect();
    expect(await conn.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await conn.close();
  });

  test('an encrypted PKCS#1 key with its passphrase connects', async () => {
    fake.createSchema('JB_DB', 'PUBLIC');
    const dialect = await keyDialect({
      snowflakePrivateKey: keys.pkcs1Encrypted,
      snowflakePrivateKeyPassword: PASSPHRASE,
    });
    const conn = await dialect.connect();
    expect(await conn.query('SELECT CURRENT_SCHEMA() AS s')).toEqual([{ s: 'PUBLIC' }]);
    await conn.close();
  });
});

describe('authentication rejected by Snowflake', () => {
  test('a key whose public key is not registered for the user: JWT rejected, with advice, no key shown', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    const dialect = await dialectFor({ user: KEY_USER }, { snowflakePrivateKey: other });
    const error = await failure(dialect.connect());
    expect(error.message).toContain('JWT token is invalid.');
    expect(error.message).toContain(`Key-pair authentication as ${KEY_USER} was rejected`);
    expect(error.message).toContain('RSA_PUBLIC_KEY');
    expectNoSecret(error.message);
    for (const line of other.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))) {
      expect(error.message).not.toContain(line);
    }
  });

  test('the right key for another user is rejected (the fake checks iss/sub and the signature)', async () => {
    const dialect = await dialectFor({ user: PASSWORD_USER }, { snowflakePrivateKey: keys.pkcs8 });
    expect((await failure(dialect.connect())).message).toContain('JWT token is invalid.');
  });

  test("a wrong password: Snowflake's message, the password nowhere", async () => {
    const wrong = 'wr0ng:p@ss/word';
    const dialect = await dialectFor({ user: PASSWORD_USER, password: wrong });
    const error = await failure(dialect.connect());
    expect(error.message).toBe('Incorrect username or password was specified.');
    expect(JSON.stringify(error)).not.toContain(wrong);
  });

  test('the password wins over a configured key when the URL has one', async () => {
    const dialect = await dialectFor(
      { user: PASSWORD_USER, password: PASSWORD },
      { snowflakePrivateKey: 'not a key' },
    );
    const conn = await dialect.connect();
    await conn.close();
    const login = fake.requests.filter((r) => r.path === '/session/v1/login-request').at(-1)!;
    expect((login.body as { data: Record<string, unknown> }).data).toMatchObject({
      AUTHENTICATOR: 'SNOWFLAKE',
      LOGIN_NAME: PASSWORD_USER,
    });
  });
});

describe('URL validation', () => {
  const urlError = async (raw: string) => failure(createDialect(parseDatabaseUrl(raw), { baseDir: '.' }));

  test('database and schema are required, as are the user and the account', async () => {
    expect(await urlError('snowflake://u:p@acct/db?warehouse=WH')).toMatchObject({ code: 'URL' });
    expect((await urlError('snowflake://u:p@acct/db?warehouse=WH')).message).toContain(
      'must name a database and a schema',
    );
    expect((await urlError('snowflake://acct/db/s')).message).toContain('has no user');
    expect((await urlError('snowflake://u:secret@acct/db/s?protocol=http')).message).toContain(
      'only allowed to a loopback host',
    );
    expect(
      (await urlError('snowflake://u:secret@acct/db/s?host=db.example.com&protocol=http')).message,
    ).not.toContain('secret');
    expect((await urlError('snowflake://u:p@acct/db/s?port=99999')).message).toContain('Invalid port');
  });
});

describe('talking to Snowflake', () => {
  let conn: Connection;
  const schema = 'DIALECT_TESTS';
  beforeAll(async () => {
    fake.createSchema('JB_DB', schema);
    const dialect = await dialectFor({ user: PASSWORD_USER, password: PASSWORD, schema });
    conn = await dialect.connect();
  });
  afterAll(() => conn.close());

  const sessionStatements = () => fake.statements.map((s) => s.sqlText);

  test("Jetbase's DDL, probe and MERGE go out byte for byte; the probes see the upper-case table names", async () => {
    expect(await conn.query(snowflakeSql.tableExists('jetbase_lock'))).toEqual([{ table_exists: 0 }]);
    await conn.execute(snowflakeSql.createMigrationsTable);
    await conn.execute(snowflakeSql.createLockTable);
    expect(await conn.execute(snowflakeSql.initLockRow)).toEqual({ rowsAffected: 1 });
    expect(await conn.execute(snowflakeSql.initLockRow)).toEqual({ rowsAffected: 0 });
    expect(Number((await conn.query(snowflakeSql.tableExists('jetbase_lock')))[0]!.table_exists)).toBe(1);
    expect(Number((await conn.query(snowflakeSql.tableExists('jetbase_migrations')))[0]!.table_exists)).toBe(
      1,
    );
    for (const sql of [
      snowflakeSql.createMigrationsTable,
      snowflakeSql.createLockTable,
      snowflakeSql.initLockRow,
    ]) {
      expect(sessionStatements()).toContain(sql);
    }
    expect(snowflakeSql.tableExists('jetbase_migrations')).toContain(
      "TABLE_SCHEMA = CURRENT_SCHEMA()\n              AND TABLE_NAME = 'JETBASE_MIGRATIONS'",
    );
    expect(snowflakeSql.createMigrationsTable).toContain(
      'applied_at TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP() NOT NULL',
    );
  });

  test('rowsAffected is the count Snowflake reports for the statement, never assumed', async () => {
    const acquire =
      'UPDATE jetbase_lock SET is_locked = TRUE, locked_at = CURRENT_TIMESTAMP(), process_id = ? WHERE id = 1 AND is_locked = FALSE';
    expect(await conn.execute(acquire, ['me'])).toEqual({ rowsAffected: 1 });
    expect(await conn.execute(acquire, ['someone else'])).toEqual({ rowsAffected: 0 });
    await conn.execute('CREATE TABLE counted (id INT AUTOINCREMENT PRIMARY KEY, name VARCHAR(20))');
    expect(await conn.execute("INSERT INTO counted (name) VALUES ('a'), ('b'), ('c')")).toEqual({
      rowsAffected: 3,
    });
    expect(await conn.execute("UPDATE counted SET name = 'x' WHERE name <> ?", ['c'])).toEqual({
      rowsAffected: 2,
    });
    expect(await conn.execute('DELETE FROM counted')).toEqual({ rowsAffected: 3 });
    expect(await conn.execute('DROP TABLE counted')).toEqual({ rowsAffected: 0 });
  });

  test('binds go as Snowflake binds; without params the text is sent as written, :name included', async () => {
    await conn.execute(
      'INSERT INTO jetbase_migrations (version, description, filename, migration_type, checksum) VALUES (?, ?, ?, ?, ?)',
      ['1', "it's :name ?", 'V1__x.sql', 'VERSIONED', 'abc'],
    );
    const sent = fake.statements.at(-1)!;
    expect(sent.binds).toEqual(['1', "it's :name ?", 'V1__x.sql', 'VERSIONED', 'abc']);
    const literal = "SELECT description FROM jetbase_migrations WHERE description = 'it''s :name ?'";
    expect(await conn.query(literal)).toEqual([{ description: "it's :name ?" }]);
    expect(fake.statements.at(-1)!.sqlText).toBe(literal);
  });

  test('rows: lower-case keys, booleans as booleans, TIMESTAMP_NTZ as fixed-width text with microseconds', async () => {
    const [row] = await conn.query('SELECT order_executed, applied_at FROM jetbase_migrations');
    expect(Object.keys(row!)).toEqual(['order_executed', 'applied_at']);
    expect(row!.order_executed).toBe(1);
    expect(row!.applied_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/);
    const lock = await conn.query('SELECT is_locked, locked_at, process_id FROM jetbase_lock WHERE id = 1');
    expect(lock).toEqual([
      { is_locked: true, locked_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2} /), process_id: 'me' },
    ]);
    await conn.execute("UPDATE jetbase_lock SET locked_at = '2026-01-02 03:04:05.123456789' WHERE id = 1");
    expect((await conn.query('SELECT locked_at FROM jetbase_lock'))[0]!.locked_at).toBe(
      '2026-01-02 03:04:05.123456',
    );
    await conn.execute(
      "UPDATE jetbase_lock SET is_locked = FALSE, locked_at = '1999-12-31 23:59:59' WHERE id = 1",
    );
    expect(await conn.query('SELECT is_locked, locked_at FROM jetbase_lock')).toEqual([
      { is_locked: false, locked_at: '1999-12-31 23:59:59.000000' },
    ]);
  });

  test('the text form sorts as the timestamps do', () => {
    const at = (seconds: number, nanos: number) =>
      timestampNtzText({ getEpochSeconds: () => seconds, getNanoSeconds: () => nanos });
    const texts = [
      at(0, 0),
      at(0, 999_000),
      at(9, 1_000),
      at(10, 0),
      at(1_767_225_600, 5_000_000),
      at(-1, 0),
    ];
    expect(texts.slice(0, 5)).toEqual([
      '1970-01-01 00:00:00.000000',
      '1970-01-01 00:00:00.000999',
      '1970-01-01 00:00:09.000001',
      '1970-01-01 00:00:10.000000',
      '2026-01-01 00:00:00.005000',
    ]);
    expect(texts.at(-1)).toBe('1969-12-31 23:59:59.000000');
    expect([...texts].sort()).toEqual([texts[5], ...texts.slice(0, 5)]);
  });

  test('transactions: DML rolls back; DDL commits what came before it and what follows autocommits', async () => {
    await conn.execute('CREATE TABLE tx_test (id INT)');
    await expect(
      conn.transaction(async () => {
        await conn.execute('INSERT INTO tx_test VALUES (1)');
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await conn.query('SELECT COUNT(*) AS n FROM tx_test')).toEqual([{ n: 0 }]);
    await expect(
      conn.transaction(async () => {
        await conn.execute('INSERT INTO tx_test VALUES (1)');
        await conn.execute('CREATE TABLE tx_side (id INT)');
        await conn.execute('INSERT INTO tx_test VALUES (2)');
        await conn.execute('INSERT INTO no_such_table VALUES (1)');
      }),
    ).rejects.toThrow("Table 'NO_SUCH_TABLE' does not exist or not authorized.");
    expect(await conn.query('SELECT id FROM tx_test ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  test("SQL errors carry Snowflake's message and code", async () => {
    const error = await failure(conn.query('SELECT * FROM missing_table'));
    expect(error.message).toBe(
      "SQL compilation error:\nObject 'MISSING_TABLE' does not exist or not authorized.",
    );
    expect(error.code).toBe('002003');
    expect((await failure(conn.execute('SELECT 1; SELECT 2'))).message).toContain(
      'did not match the desired statement count 1',
    );
  });

  test('without a warehouse, queries that need one fail as on Snowflake', async () => {
    const dialect = await dialectFor({ user: PASSWORD_USER, password: PASSWORD, schema, warehouse: null });
    const other = await dialect.connect();
    try {
      expect(await other.query('SELECT CURRENT_SCHEMA() AS s')).toEqual([{ s: schema }]);
      expect((await failure(other.query('SELECT * FROM jetbase_lock'))).message).toContain(
        'No active warehouse selected',
      );
      expect((await failure(other.execute('INSERT INTO jetbase_lock (id) VALUES (2)'))).code).toBe('000606');
    } finally {
      await other.close();
    }
  });

  test('no telemetry is sent and no unknown endpoint is called', () => {
    expect(fake.requests.filter((r) => r.path.startsWith('/telemetry'))).toEqual([]);
    expect(fake.unexpectedRequests).toEqual([]);
  });
});

describe('the SDK is loaded lazily and nothing leaves the machine', () => {
  const libDir = path.join(REPO, 'lib');

  /** Runs network-probe.mjs in a clean child: no SNOWFLAKE_, SF_ or proxy variables, cwd and HOME in a temp dir. */
  function probe(
    url: string,
    key: string | null,
  ): Promise<{ stdout: string; stderr: string; code: number | null; cwd: string }> {
    const cwd = mkdtempSync(path.join(tmpdir(), 'jetbase-snowflake-probe-'));
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (!/^(SNOWFLAKE_|SF_|JETBASE_|HTTPS?_PROXY|NO_PROXY)/i.test(name)) env[name] = value;
    }
    // The SDK creates its OCSP cache directory (~/.cache/snowflake) when it loads: keep it out of the real home.
    env.HOME = path.join(cwd, 'home');
    if (key) env.JETBASE_TEST_KEY = key;
    const child = spawn(
      process.execPath,
      [path.join(REPO, '__tests__/fakes/snowflake/network-probe.mjs'), libDir, url],
      { cwd, env },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.on('close', (code) => resolve({ stdout, stderr, code, cwd })));
  }

  test('a child process connects with a key pair and runs a query: only loopback, SDK loaded on demand, no log file', async () => {
    expect(existsSync(path.join(libDir, 'dialects', 'snowflake', 'index.js'))).toBe(true); // npm test builds lib/ first
    fake.createSchema('JB_DB', 'PROBE');
    const result = await probe(fakeUrl(fake, { user: KEY_USER, schema: 'PROBE' }), keys.pkcs8);
    try {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as {
        destinations: { via: string; host?: string; path?: string }[];
        sdkLoadedByRegistry: boolean;
        sdkLoadedByDialect: boolean;
        rows: unknown[];
        platformDetection: string | null;
      };
      expect(report.rows).toEqual([{ one: 1 }]);
      expect(report.sdkLoadedByRegistry).toBe(false);
      expect(report.sdkLoadedByDialect).toBe(true);
      // The dialect itself turned platform detection off (the child's environment had no such variable).
      expect(report.platformDetection).toBe('true');
      expect(report.destinations.length).toBeGreaterThan(0);
      for (const destination of report.destinations) {
        expect(destination.path ?? destination.host).toMatch(/^(127\.0\.0\.1|::1|localhost)$/);
      }
      // The SDK's default logger would have written snowflake.log into the working directory.
      expect(readdirSync(result.cwd).filter((name) => name !== 'home')).toEqual([]);
    } finally {
      rmSync(result.cwd, { recursive: true, force: true });
    }
  });
});

/**
 * The Databricks adapter against the loopback fake: authentication, secrets in errors, the lock's
 * affected-row count, the parameter fallback, lazy loading and where the process connects to.
 * The child-process tests run the built lib/ (`npm test` builds it first).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';

import { parseDatabaseUrl } from '../../src/config/url.js';
import {
  databricksLiteral,
  databricksSettings,
  inlineParameters,
  timestampText,
} from '../../src/dialects/databricks/index.js';
import { createDialect } from '../../src/dialects/registry.js';
import type { Dialect } from '../../src/engine/dialect.js';
import { startFakeDatabricks, type FakeDatabricks } from '../fakes/databricks/server.js';
import { DATABRICKS_CREATE_USERS } from '../fakes/databricks/target.js';

const LIB_REGISTRY = path.resolve('lib/dialects/registry.js');
const LIB_COMMANDS = path.resolve('lib/engine/index.js');

let fake: FakeDatabricks;
beforeAll(async () => {
  fake = await startFakeDatabricks();
});
afterAll(() => fake.close());

let schemaCount = 0;
function freshSchema(): string {
  const schema = `t_${process.pid}_${schemaCount++}`;
  fake.createSchema(schema);
  return schema;
}

async function dialectFor(rawUrl: string): Promise<Dialect> {
  return createDialect(parseDatabaseUrl(rawUrl), { baseDir: process.cwd() });
}

/** Everything an error could show: message, hint, stack, cause chain, own properties. */
function everythingIn(error: unknown): string {
  return inspect(error, { depth: 10, showHidden: true });
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('URL settings', () => {
  test('token, host, http_path, catalog and schema come from the URL; TLS on 443 by default', () => {
    const settings = databricksSettings(
      parseDatabaseUrl(
        'databricks+connector://token:dapiSECRET@adb-1.azuredatabricks.net?http_path=/sql/1.0/warehouses/abc&catalog=main&schema=ops',
      ),
    );
    expect(settings).toEqual({
      host: 'adb-1.azuredatabricks.net',
      port: 443,
      httpPath: '/sql/1.0/warehouses/abc',
      token: 'dapiSECRET',
      catalog: 'main',
      schema: 'ops',
      plainHttp: false,
    });
  });

  test('plain HTTP only for loopback hosts; malformed URLs fail without showing the token', () => {
    const bad = [
      'databricks://token:dapiSECRET@adb-1.azuredatabricks.net?http_path=/p&scheme=http',
      'databricks://token:dapiSECRET@10.0.0.5?http_path=/p&scheme=http',
      'databricks://token:dapiSECRET@adb-1.azuredatabricks.net',
      'databricks://someone:dapiSECRET@adb-1.azuredatabricks.net?http_path=/p',
      'databricks://token:dapiSECRET@adb-1.azuredatabricks.net?http_path=/p&scheme=ftp',
    ];
    for (const raw of bad) {
      let caught: unknown;
      try {
        databricksSettings(parseDatabaseUrl(raw));
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ code: 'URL' });
      expect(everythingIn(caught)).not.toContain('dapiSECRET');
    }
    expect(
      databricksSettings(parseDatabaseUrl('databricks://token:t@127.0.0.1:8080?http_path=p&scheme=http')),
    ).toMatchObject({
      plainHttp: true,
      port: 8080,
      httpPath: '/p',
    });
    expect(
      databricksSettings(parseDatabaseUrl('databricks://token:t@[::1]:8080?http_path=/p&scheme=http'))
        .plainHttp,
    ).toBe(true);
  });
});

describe('values', () => {
  test('inlined literals use Spark escapes; ? inside literals, identifiers and comments is left alone', () => {
    expect(databricksLiteral("it's a \\ path")).toBe("'it\\'s a \\\\ path'");
    expect(databricksLiteral(null)).toBe('NULL');
    expect(databricksLiteral(true)).toBe('TRUE');
    expect(databricksLiteral(12)).toBe('12');
    expect(inlineParameters("SELECT '?', `a?`, ? -- why?\n, ?", ['x', null])).toBe(
      "SELECT '?', `a?`, 'x' -- why?\n, NULL",
    );
    expect(() => inlineParameters('SELECT ?', [])).toThrow('more ? placeholders');
    expect(() => inlineParameters('SELECT 1', ['x'])).toThrow('0 ? placeholders but 1 values');
  });

  test('timestamps become YYYY-MM-DD HH:MM:SS.ffffff', () => {
    expect(timestampText('2026-11-25 12:31:00.8231')).toBe('2026-11-25 12:31:00.823100');
    expect(timestampText('2026-11-25 12:31:00')).toBe('2026-11-25 12:31:00.000000');
    expect(timestampText('2026-11-25T12:31:00.123456789Z')).toBe('2026-11-25 12:31:00.123456');
    expect(timestampText(new Date('2026-11-25T12:31:00.823Z'))).toBe('2026-11-25 12:31:00.823000');
    expect(timestampText('2026-11-25 12:31:00+02:00')).toBe('2026-11-25 12:31:00+02:00'); // an offset we cannot drop
    expect(timestampText(null)).toBeNull();
  });
});

describe('against the loopback fake', () => {
  test('a wrong token is a clear authentication error that shows neither token', async () => {
    const wrongToken = 'dapiWRONG0123456789abcdef';
    const dialect = await dialectFor(fake.url(freshSchema(), wrongToken));
    const error = await errorOf(dialect.connect());
    expect(error).toMatchObject({ code: 'DATABASE' });
    expect((error as Error).message).toContain('Databricks rejected the access token (HTTP 403)');
    expect(everythingIn(error)).not.toContain(wrongToken);
    expect(everythingIn(error)).not.toContain(fake.token);
    expect(fake.httpRequests.some((r) => r.authorization === 'wrong')).toBe(true);
  });

  test('no error carries the token or the token-bearing URL', async () => {
    const url = fake.url(freshSchema());
    const errors: unknown[] = [];
    const dialect = await dialectFor(url);
    const conn = await dialect.connect();
    try {
      errors.push(await errorOf(conn.query('SELECT * FROM no_such_table')));
      errors.push(await errorOf(conn.execute('BEGIN')));
      errors.push(await errorOf(conn.query('SELECT ?', [])));
    } finally {
      await conn.close();
    }
    // A schema that does not exist, a port nobody listens on, a URL without http_path.
    errors.push(
      await errorOf(dialectFor(url.replace(/schema=[^&]+/, 'schema=missing')).then((d) => d.connect())),
    );
    errors.push(await errorOf(dialectFor(url.replace(`:${fake.port}?`, ':1?')).then((d) => d.connect())));
    errors.push(await errorOf(dialectFor(url.replace(/http_path=[^&]+&/, ''))));
    expect(errors).toHaveLength(6);
    for (const error of errors) {
      expect(error).toBeInstanceOf(Error);
      const text = everythingIn(error);
      expect(text).not.toContain(fake.token);
      expect(text).not.toContain(encodeURIComponent(fake.token));
      expect(text).not.toContain(url);
    }
    expect((errors[0] as Error).message).toContain('[TABLE_OR_VIEW_NOT_FOUND]');
    expect((errors[1] as Error).message).toContain('[PARSE_SYNTAX_ERROR]');
    expect((errors[3] as Error).message).toContain('[SCHEMA_NOT_FOUND]');
  });

  test("the lock UPDATE's affected rows are the server's num_affected_rows: 1 when taken, 0 when held", async () => {
    const dialect = await dialectFor(fake.url(freshSchema()));
    const conn = await dialect.connect();
    try {
      await conn.execute(dialect.sql.createLockTable);
      await conn.execute(dialect.sql.initLockRow);
      expect((await conn.execute(dialect.sql.initLockRow)).rowsAffected).toBe(0); // MERGE inserts once
      const acquire = `UPDATE jetbase_lock SET is_locked = ${dialect.sql.true}, locked_at = ${dialect.sql.now}, process_id = ? WHERE id = 1 AND is_locked = ${dialect.sql.false}`;
      expect(await conn.execute(acquire, ['first'])).toEqual({ rowsAffected: 1 });
      expect(await conn.execute(acquire, ['second'])).toEqual({ rowsAffected: 0 });
      const [row] = await conn.query(
        'SELECT is_locked, locked_at, process_id FROM jetbase_lock WHERE id = 1',
      );
      expect(row).toMatchObject({ is_locked: true, process_id: 'first' });
      expect(String(row!.locked_at)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/);
    } finally {
      await conn.close();
    }
    // Sent as written with ordinal parameters, never inlined, on a protocol that has them.
    const sent = fake.calls.filter((c) => c.statement?.startsWith('UPDATE jetbase_lock'));
    expect(sent.map((c) => c.parameters)).toEqual([['first'], ['second']]);
  });

  test('an UPDATE whose result has no num_affected_rows is an error, not a guess', async () => {
    const silent = await startFakeDatabricks({ reportDmlCounts: false });
    try {
      silent.createSchema('s');
      const dialect = await dialectFor(silent.url('s'));
      const conn = await dialect.connect();
      try {
        await conn.execute(dialect.sql.createLockTable);
        await conn.execute('INSERT INTO jetbase_lock (id, is_locked) VALUES (1, FALSE)');
        await expect(
          conn.execute(
            'UPDATE jetbase_lock SET is_locked = TRUE, process_id = ? WHERE id = 1 AND is_locked = FALSE',
            ['me'],
          ),
        ).rejects.toThrow('Databricks returned no num_affected_rows for this statement');
      } finally {
        await conn.close();
      }
    } finally {
      await silent.close();
    }
  });

  test('a server without parameter support gets escaped literals instead (the driver would drop the values)', async () => {
    const oldServer = await startFakeDatabricks({
      protocolVersion: 42247 /* SPARK_CLI_SERVICE_PROTOCOL_V7 */,
    });
    try {
      oldServer.createSchema('s');
      const dialect = await dialectFor(oldServer.url('s'));
      const conn = await dialect.connect();
      try {
        await conn.execute(DATABRICKS_CREATE_USERS.replace(/;$/, ''));
        const awkward = 'O\'Brien \\ "quoted" ? -- not a comment';
        await conn.execute('INSERT INTO users (name) VALUES (?)', [awkward]);
        expect(await conn.query('SELECT id, name FROM users WHERE name = ?', [awkward])).toEqual([
          { id: 1, name: awkward },
        ]);
      } finally {
        await conn.close();
      }
      const insert = oldServer.calls.find((c) => c.statement?.startsWith('INSERT INTO users'));
      expect(insert?.parameters).toEqual([]);
      expect(insert?.statement).toBe(
        "INSERT INTO users (name) VALUES ('O\\'Brien \\\\ \"quoted\" ? -- not a comment')",
      );
    } finally {
      await oldServer.close();
    }
  });
});

/** Runs an ES module script in a child Node process (the fake stays in this one, so not spawnSync). */
function runNode(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

function childEnv(): NodeJS.ProcessEnv {
  // The product must switch telemetry off by itself: the child gets no DATABRICKS_* variable.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('DATABRICKS_')),
  );
  return { ...env, NODE_OPTIONS: '' };
}

describe('in a child process (lib/)', () => {
  beforeAll(() => {
    if (!existsSync(LIB_REGISTRY) || !existsSync(path.resolve('lib/dialects/databricks/index.js'))) {
      throw new Error(
        'lib/ is missing or stale: build first with `npx tsc -p tsconfig.json` (`npm test` does this).',
      );
    }
  });

  test('importing the registry does not load @databricks/sql; creating a Databricks dialect does', async () => {
    const script = `
      import { createRequire } from 'node:module';
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((p) => p.includes('@databricks'));
      const { createDialect } = await import(${JSON.stringify(LIB_REGISTRY)});
      const { parseDatabaseUrl } = await import(${JSON.stringify(path.resolve('lib/config/url.js'))});
      const before = loaded();
      await createDialect(parseDatabaseUrl('sqlite:///:memory:'), { baseDir: '.' });
      const afterSqlite = loaded();
      await createDialect(parseDatabaseUrl('databricks://token:t@example.invalid?http_path=/p'), { baseDir: '.' });
      console.log(JSON.stringify({ before, afterSqlite, after: loaded(), telemetryOff: process.env.DATABRICKS_TELEMETRY_DISABLED }));
    `;
    const result = await runNode(['--input-type=module', '-e', script], childEnv());
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout.trim())).toEqual({
      before: false,
      afterSqlite: false,
      after: true,
      telemetryOff: '1',
    });
  });

  test('a whole migration run connects to loopback only and sends no telemetry', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jetbase-databricks-net-'));
    try {
      const jetbaseDir = path.join(dir, 'jetbase');
      mkdirSync(path.join(jetbaseDir, 'migrations'), { recursive: true });
      writeFileSync(
        path.join(jetbaseDir, 'migrations', 'V1__users.sql'),
        `${DATABRICKS_CREATE_USERS}\n-- rollback\nDROP TABLE users;\n`,
      );
      writeFileSync(
        path.join(jetbaseDir, 'migrations', 'V2__mike.sql'),
        "INSERT INTO users (name) VALUES ('mike');\n",
      );
      // Hooks every way out of the process before anything else loads, and records the destination.
      const hooks = path.join(dir, 'hooks.cjs');
      writeFileSync(
        hooks,
        `
        const net = require('node:net'), tls = require('node:tls'), dns = require('node:dns');
        const seen = (globalThis.__destinations = []);
        const connect = net.Socket.prototype.connect;
        net.Socket.prototype.connect = function (...args) {
          let options = Array.isArray(args[0]) ? args[0][0] : args[0];
          if (typeof options !== 'object' || options === null) options = { port: args[0], host: typeof args[1] === 'string' ? args[1] : undefined };
          seen.push({ via: 'net', host: options.path ? 'unix:' + options.path : options.host ?? 'localhost', port: options.port });
          return connect.apply(this, args);
        };
        const tlsConnect = tls.connect;
        tls.connect = function (...args) {
          const options = typeof args[0] === 'object' ? args[0] : { port: args[0], host: args[1] };
          seen.push({ via: 'tls', host: options.host ?? options.servername ?? 'localhost', port: options.port });
          return tlsConnect.apply(this, args);
        };
        const lookup = dns.lookup;
        dns.lookup = function (host, ...rest) { seen.push({ via: 'dns', host }); return lookup.call(this, host, ...rest); };
        const promisesLookup = dns.promises.lookup;
        dns.promises.lookup = function (host, ...rest) { seen.push({ via: 'dns', host }); return promisesLookup.call(this, host, ...rest); };
        `,
      );
      const schema = freshSchema();
      const script = `
        const { createDialect } = await import(${JSON.stringify(LIB_REGISTRY)});
        const { parseDatabaseUrl } = await import(${JSON.stringify(path.resolve('lib/config/url.js'))});
        const { upgrade, rollback } = await import(${JSON.stringify(LIB_COMMANDS)});
        const dialect = await createDialect(parseDatabaseUrl(process.env.TEST_URL), { baseDir: '.' });
        const ctx = { jetbaseDir: process.env.TEST_JETBASE_DIR, dialect };
        const up = await upgrade(ctx);
        const down = await rollback(ctx);
        console.log(JSON.stringify({ up: up.ok, error: up.error?.message ?? null, down: down.targets, destinations: globalThis.__destinations }));
      `;
      const result = await runNode(['--require', hooks, '--input-type=module', '-e', script], {
        ...childEnv(),
        TEST_URL: fake.url(schema),
        TEST_JETBASE_DIR: jetbaseDir,
      });
      expect(result.stderr).toBe('');
      const report = JSON.parse(result.stdout.trim()) as {
        up: boolean;
        error: string | null;
        down: string[];
        destinations: Array<{ via: string; host: string; port?: number | string }>;
      };
      expect(report).toMatchObject({ up: true, error: null, down: ['2'] });
      expect(report.destinations.length).toBeGreaterThan(0);
      const loopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host);
      expect(report.destinations.filter((d) => !loopback(d.host))).toEqual([]);
      expect(report.destinations.some((d) => d.via === 'net' && Number(d.port) === fake.port)).toBe(true);
      expect(report.destinations.filter((d) => d.via === 'tls')).toEqual([]);
      // Every HTTP request the fake saw was Thrift on the warehouse path: no telemetry, no feature flags.
      expect(new Set(fake.httpRequests.map((r) => `${r.method} ${r.path}`))).toEqual(
        new Set([`POST ${fake.httpPath}`]),
      );
      expect(fake.database(schema).prepare('SELECT name FROM users').all()).toEqual([{ name: 'mike' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

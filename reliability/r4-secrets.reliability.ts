/**
 * R4 secrets. Failure scenarios run through the bundled action (dist/index.js on Node 24, as the
 * runner runs it; __tests__/action/run-action.ts), against real PostgreSQL and MariaDB and the
 * loopback fakes of GitHub, Snowflake and Databricks. Every secret the run was given, in every
 * form the redactor derives (secretForms: as written, URL-encoded, base64, JSON-escaped, per PEM
 * line), must appear 0 times in stdout (less the runner's `::add-mask::` lines), stderr, the job
 * summary, the outputs, the state file, the PR comments and every request body sent to GitHub.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parseDatabaseUrl } from '../src/config/url.js';
import { createDialect } from '../src/dialects/registry.js';
import { secretForms } from '../src/report/redact.js';
import { eventPayload, runAction, type ActionRun } from '../__tests__/action/run-action.js';
import { startFakeDatabricks, type FakeDatabricks } from '../__tests__/fakes/databricks/server.js';
import { ACTIONS_BOT, FakeGitHub } from '../__tests__/fakes/github/server.js';
import type { FakeSnowflake } from '../__tests__/fakes/snowflake/server.js';
import {
  KEY_USER,
  PASSWORD_USER,
  fakeUrl,
  makeTestKeys,
  newFakeSnowflake,
} from '../__tests__/fakes/snowflake/target.js';
import { MYSQL_URL, PG_URL, mysqlTarget, postgresTarget } from '../__tests__/helpers/databases.js';
import { recordFigure } from './helpers/figures.js';
import { runStatements } from './helpers/workload.js';

const TOKEN = 'ghs_R4secretToken000000000000000000000A';
const WRONG_PASSWORD = 'wr0ng-p@ss:w/rd%x';
const PASSPHRASE = 'r4 passphrase ✓ battery';
const ENV_PY_PASSWORD = 'envpy-s3cret:p@ss';

interface Scenario {
  readonly name: string;
  /** Builds the run: what to pass, and which secrets it was given. */
  prepare(): Promise<Prepared>;
}

interface Prepared {
  readonly inputs: Record<string, string>;
  /** The failure it must report (the first `::error` line): failing for another reason proves nothing. */
  readonly reason: RegExp;
  readonly files?: Record<string, string>;
  readonly envPy?: string;
  readonly event?: 'pull_request' | 'push';
  readonly secrets: readonly string[];
  readonly signalWhen?: { pattern: RegExp; signal: NodeJS.Signals };
}

function workspace(files: Record<string, string>, envPy?: string): string {
  const root = mkdtempSync(path.join(tmpdir(), 'jetbase-r4-'));
  const migrations = path.join(root, 'jetbase', 'migrations');
  mkdirSync(migrations, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(migrations, name), text);
  if (envPy !== undefined) writeFileSync(path.join(root, 'jetbase', 'env.py'), envPy);
  return root;
}

/** The URL with another password (percent-encoded). */
function withPassword(url: string, password: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, `//$1:${encodeURIComponent(password)}@`);
}

function passwordOf(url: string): string {
  return parseDatabaseUrl(url).password ?? '';
}

/** Where a secret form was found, as `place` names; empty when nowhere. */
function leaks(run: ActionRun, github: FakeGitHub, secrets: readonly string[]): string[] {
  const places: Record<string, string> = {
    stdout: run.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n'),
    stderr: run.stderr,
    summary: run.summary,
    outputs: JSON.stringify(run.outputs),
    state: run.stateFile,
    comments: JSON.stringify(github.commentsOn(12)) + github.requests.map((r) => r.body).join('\n'),
  };
  const found: string[] = [];
  for (const secret of secrets) {
    for (const form of secretForms(secret)) {
      for (const [place, text] of Object.entries(places)) {
        if (text.includes(form)) found.push(`${place} (a ${form.length}-character form)`);
      }
    }
  }
  return found;
}

describe('no secret reaches any output of a failing run (R4)', () => {
  let github: FakeGitHub;
  let snowflake: FakeSnowflake;
  let databricks: FakeDatabricks;
  const keys = makeTestKeys();
  beforeAll(async () => {
    github = new FakeGitHub({
      tokens: { [TOKEN]: { user: ACTIONS_BOT, canGetUser: false, readOnly: false } },
    });
    await github.start();
    snowflake = newFakeSnowflake(keys);
    await snowflake.start();
    snowflake.createSchema('JB_DB', 'PUBLIC');
    databricks = await startFakeDatabricks();
  });
  afterAll(async () => {
    await github.stop();
    await snowflake.close();
    await databricks.close();
  });

  test('failure scenarios through the bundled action leak no secret', async () => {
    if (!PG_URL || !MYSQL_URL) {
      recordFigure({ id: 'R4 secrets', ok: false, text: 'R4 secrets: not run (no test database URLs)' });
      return;
    }
    const pg = postgresTarget(PG_URL);
    const mysql = mysqlTarget(MYSQL_URL);
    const pgSecrets = (url: string) => [passwordOf(url), url, TOKEN];
    const oneFile = (sql: string) => ({ 'V1__ok.sql': sql });

    const scenarios: Scenario[] = [
      {
        name: 'PostgreSQL: wrong password',
        prepare: async () => {
          const url = withPassword(await pg.fresh(), WRONG_PASSWORD);
          return {
            inputs: { 'database-url': url },
            files: oneFile('SELECT 1;'),
            reason: /password authentication failed/,
            secrets: [...pgSecrets(url), WRONG_PASSWORD],
          };
        },
      },
      {
        name: 'PostgreSQL: unreachable host (retried, then given up)',
        prepare: async () => {
          const url = `postgresql://jetbase:${encodeURIComponent(WRONG_PASSWORD)}@127.0.0.1:1/nowhere`;
          return {
            inputs: { 'database-url': url, 'connect-timeout': '1' },
            files: oneFile('SELECT 1;'),
            reason: /ECONNREFUSED.*gave up after \d+ attempts/,
            secrets: [WRONG_PASSWORD, url, TOKEN],
          };
        },
      },
      {
        name: 'PostgreSQL: SQL error',
        prepare: async () => {
          const url = await pg.fresh();
          return {
            inputs: { 'database-url': url },
            files: oneFile('SELECT * FROM no_such_table;'),
            reason: /"no_such_table" does not exist/,
            secrets: pgSecrets(url),
          };
        },
      },
      {
        name: 'PostgreSQL: failing migration with the password in its SQL',
        prepare: async () => {
          const url = await pg.fresh();
          const pw = passwordOf(url).replaceAll("'", "''");
          return {
            inputs: { 'database-url': url },
            files: oneFile(
              `CREATE TABLE creds (v TEXT);\nINSERT INTO creds VALUES ('${pw}');\nSELECT '${pw}'::int;\n`,
            ),
            reason: /invalid input syntax for type integer/,
            secrets: pgSecrets(url),
          };
        },
      },
      {
        name: 'PostgreSQL: lock held (lock-timeout 0)',
        prepare: async () => {
          const url = await pg.fresh();
          const dialect = await createDialect(parseDatabaseUrl(url), { baseDir: tmpdir() });
          await runStatements(dialect, [
            dialect.sql.createLockTable,
            "INSERT INTO jetbase_lock (id, is_locked, process_id) VALUES (1, TRUE, 'another-run')",
          ]);
          return {
            inputs: { 'database-url': url, 'lock-timeout': '0' },
            files: oneFile('SELECT 1;'),
            reason: /lock is already held/,
            secrets: pgSecrets(url),
          };
        },
      },
      {
        name: 'PostgreSQL: lock held past lock-timeout',
        prepare: async () => {
          const url = await pg.fresh();
          const dialect = await createDialect(parseDatabaseUrl(url), { baseDir: tmpdir() });
          await runStatements(dialect, [
            dialect.sql.createLockTable,
            "INSERT INTO jetbase_lock (id, is_locked, process_id) VALUES (1, TRUE, 'another-run')",
          ]);
          return {
            inputs: { 'database-url': url, 'lock-timeout': '1' },
            files: oneFile('SELECT 1;'),
            reason: /lock is already held/,
            secrets: pgSecrets(url),
          };
        },
      },
      {
        name: 'PostgreSQL: pull request with a bad file name and the password in SQL (PR comment)',
        prepare: async () => {
          const url = await pg.fresh();
          return {
            event: 'pull_request',
            inputs: { 'database-url': url },
            files: {
              'V1__ok.sql': `SELECT '${passwordOf(url).replaceAll("'", "''")}';\n`,
              'V2_bad.sql': 'SELECT 1;\n',
            },
            reason: /Invalid migration filename format: V2_bad\.sql/,
            secrets: pgSecrets(url),
          };
        },
      },
      {
        name: 'PostgreSQL: pull request with unterminated SQL holding the password (PR comment)',
        prepare: async () => {
          const url = await pg.fresh();
          return {
            event: 'pull_request',
            inputs: { 'database-url': url },
            files: { 'V1__ok.sql': `SELECT 1;\nSELECT '${passwordOf(url).replaceAll("'", "''")}'\n` },
            reason: /no ';' closes/,
            secrets: pgSecrets(url),
          };
        },
      },
      {
        name: 'PostgreSQL: rollback section fails, password in its SQL',
        prepare: async () => {
          const url = await pg.fresh();
          const pw = passwordOf(url).replaceAll("'", "''");
          const files = { 'V1__t.sql': `CREATE TABLE r4 (v TEXT);\n\n-- rollback\nSELECT '${pw}'::int;\n` };
          const root = workspace(files);
          const deploy = await runAction({
            eventName: 'push',
            payload: eventPayload('push_main'),
            ref: 'refs/heads/main',
            workspace: root,
            inputs: { 'database-url': url, comment: 'false' },
          });
          if (deploy.outputs.result !== 'success') throw new Error(`setup deploy failed: ${deploy.stdout}`);
          return {
            inputs: { 'database-url': url, command: 'rollback' },
            files,
            reason: /\(rollback section\), statement 1 failed/,
            secrets: pgSecrets(url),
          };
        },
      },
      {
        name: 'PostgreSQL: SIGTERM mid-migration',
        prepare: async () => {
          const url = await pg.fresh();
          return {
            inputs: { 'database-url': url },
            files: oneFile('SELECT pg_sleep(2);\nCREATE TABLE r4_term (id INTEGER);\n'),
            reason: /Cancelled/,
            secrets: pgSecrets(url),
            signalWhen: { pattern: /Applying V1__ok\.sql/, signal: 'SIGTERM' },
          };
        },
      },
      {
        name: 'bad URL with a password (port not a number)',
        prepare: async () => {
          const url = `postgresql://jetbase:${encodeURIComponent(WRONG_PASSWORD)}@127.0.0.1:notaport/db`;
          return {
            inputs: { 'database-url': url },
            files: oneFile('SELECT 1;'),
            reason: /Invalid port 'notaport'/,
            secrets: [WRONG_PASSWORD, url, TOKEN],
          };
        },
      },
      {
        name: 'unsupported database with a password',
        prepare: async () => {
          const url = `oracle://scott:${encodeURIComponent(WRONG_PASSWORD)}@127.0.0.1/orcl`;
          return {
            inputs: { 'database-url': url },
            files: oneFile('SELECT 1;'),
            reason: /Unsupported database: oracle/,
            secrets: [WRONG_PASSWORD, url, TOKEN],
          };
        },
      },
      {
        name: 'unparsable URL with a password',
        prepare: async () => {
          const url = `jetbase:${WRONG_PASSWORD}@127.0.0.1/db`;
          return {
            inputs: { 'database-url': url },
            files: oneFile('SELECT 1;'),
            reason: /Could not parse SQLAlchemy URL/,
            secrets: [WRONG_PASSWORD, url, TOKEN],
          };
        },
      },
      {
        name: 'invalid sslmode with a password',
        prepare: async () => {
          const url = `${withPassword(await pg.fresh(), WRONG_PASSWORD)}?sslmode=bogus`;
          return {
            inputs: { 'database-url': url },
            files: oneFile('SELECT 1;'),
            reason: /Unsupported sslmode "bogus"/,
            secrets: [WRONG_PASSWORD, url, TOKEN],
          };
        },
      },
      {
        name: 'env.py with a syntax error on the line that holds the URL',
        prepare: async () => {
          const url = `postgresql://jetbase:${encodeURIComponent(ENV_PY_PASSWORD)}@127.0.0.1:1/db`;
          return {
            inputs: {},
            envPy: `import os\nif os.getenv("X") ==\n    sqlalchemy_url = "${url}"\n`,
            files: oneFile('SELECT 1;'),
            reason: /env\.py line 2: SyntaxError/,
            secrets: [ENV_PY_PASSWORD, url, TOKEN],
          };
        },
      },
      {
        name: 'env.py get_env_vars() raising after building the URL',
        prepare: async () => {
          const url = `postgresql://jetbase:${encodeURIComponent(ENV_PY_PASSWORD)}@127.0.0.1:1/db`;
          return {
            inputs: {},
            envPy: `def get_env_vars():\n    url = "${url}"\n    raise RuntimeError("cannot use " + url)\n`,
            files: oneFile('SELECT 1;'),
            reason: /get_env_vars\(\) \(line 3\): RuntimeError/,
            secrets: [ENV_PY_PASSWORD, url, TOKEN],
          };
        },
      },
      {
        name: 'Snowflake: key not registered for the user',
        prepare: async () => {
          const other = makeTestKeys();
          return {
            inputs: {
              'database-url': fakeUrl(snowflake, { user: KEY_USER }),
              'snowflake-private-key': other.pkcs8,
            },
            files: oneFile('SELECT 1;'),
            reason: /JWT token is invalid/,
            secrets: [other.pkcs8, TOKEN],
          };
        },
      },
      {
        name: 'Snowflake: encrypted key without its passphrase',
        prepare: async () => ({
          inputs: {
            'database-url': fakeUrl(snowflake, { user: KEY_USER }),
            'snowflake-private-key': keys.pkcs8Encrypted,
          },
          files: oneFile('SELECT 1;'),
          reason: /encrypted, but no passphrase/,
          secrets: [keys.pkcs8Encrypted, TOKEN],
        }),
      },
      {
        name: 'Snowflake: encrypted key with a wrong passphrase',
        prepare: async () => ({
          inputs: {
            'database-url': fakeUrl(snowflake, { user: KEY_USER }),
            'snowflake-private-key': keys.pkcs8Encrypted,
            'snowflake-private-key-password': PASSPHRASE,
          },
          files: oneFile('SELECT 1;'),
          reason: /could not be decrypted/,
          secrets: [keys.pkcs8Encrypted, PASSPHRASE, TOKEN],
        }),
      },
      {
        name: 'Snowflake: wrong password',
        prepare: async () => {
          const url = fakeUrl(snowflake, { user: PASSWORD_USER, password: WRONG_PASSWORD });
          return {
            inputs: { 'database-url': url },
            files: oneFile('SELECT 1;'),
            reason: /Incorrect username or password/,
            secrets: [WRONG_PASSWORD, url, TOKEN],
          };
        },
      },
      {
        name: 'Databricks: wrong token',
        prepare: async () => {
          const schema = `r4_${Date.now()}`;
          databricks.createSchema(schema);
          const wrongToken = `dapi${'0f'.repeat(16)}`;
          const url = databricks.url(schema, wrongToken);
          return {
            inputs: { 'database-url': url },
            files: oneFile('SELECT 1;'),
            reason: /rejected the access token/,
            secrets: [wrongToken, databricks.token, url, TOKEN],
          };
        },
      },
      {
        name: 'MariaDB: wrong password',
        prepare: async () => {
          const url = withPassword(await mysql.fresh(), WRONG_PASSWORD);
          return {
            inputs: { 'database-url': url },
            files: oneFile('SELECT 1;'),
            reason: /Access denied/,
            secrets: [WRONG_PASSWORD, url, TOKEN],
          };
        },
      },
      {
        name: 'MariaDB: DDL committed, then a failure with the password in the SQL',
        prepare: async () => {
          const url = await mysql.fresh();
          const pw = passwordOf(url).replaceAll("'", "''");
          return {
            inputs: { 'database-url': url },
            files: oneFile(`CREATE TABLE r4 (v TEXT);\nINSERT INTO no_such_table VALUES ('${pw}');\n`),
            reason: /commits DDL implicitly/,
            secrets: [passwordOf(url), url, TOKEN],
          };
        },
      },
      {
        name: 'invalid input (lock-timeout) with every secret set',
        prepare: async () => {
          const url = await pg.fresh();
          return {
            inputs: {
              'database-url': url,
              'lock-timeout': 'soon',
              'snowflake-private-key': keys.pkcs8Encrypted,
              'snowflake-private-key-password': PASSPHRASE,
            },
            files: oneFile('SELECT 1;'),
            reason: /Input 'lock-timeout' must be/,
            secrets: [...pgSecrets(url), keys.pkcs8Encrypted, PASSPHRASE],
          };
        },
      },
    ];

    let failedAsExpected = 0;
    let formsChecked = 0;
    const leaked: string[] = [];
    const unexpected: string[] = [];
    for (const scenario of scenarios) {
      let prepared: Prepared;
      try {
        prepared = await scenario.prepare();
      } catch (error) {
        unexpected.push(`${scenario.name}: could not be set up: ${String(error)}`);
        continue;
      }
      const root = workspace(prepared.files ?? {}, prepared.envPy);
      const pullRequest = prepared.event === 'pull_request';
      const run = await runAction({
        eventName: pullRequest ? 'pull_request' : 'push',
        payload: eventPayload(pullRequest ? 'pull_request' : 'push_main'),
        ...(pullRequest ? {} : { ref: 'refs/heads/main' }),
        workspace: root,
        apiUrl: github.url,
        inputs: { 'github-token': TOKEN, ...prepared.inputs },
        ...(prepared.signalWhen ? { signalWhen: prepared.signalWhen } : {}),
        timeoutMs: 60_000,
      });
      const failure = run.stdout.split('\n').find((line) => line.startsWith('::error')) ?? '';
      if (run.code === 1 && run.outputs.result !== 'success' && prepared.reason.test(failure))
        failedAsExpected += 1;
      else
        unexpected.push(
          `${scenario.name}: exit ${run.code}, result ${run.outputs.result}\n${run.stdout.slice(-800)}`,
        );
      if (process.env.RELIABILITY_VERBOSE) {
        process.stderr.write(`${scenario.name} → ${run.outputs.result}: ${failure.slice(0, 300)}\n`);
      }
      formsChecked += prepared.secrets.flatMap((s) => secretForms(s)).length;
      for (const place of leaks(run, github, prepared.secrets)) leaked.push(`${scenario.name}: ${place}`);
    }
    const ok = failedAsExpected === scenarios.length && leaked.length === 0 && scenarios.length >= 20;
    recordFigure({
      id: 'R4 secrets',
      ok,
      text:
        `R4 secrets: ${scenarios.length} failure scenarios through the bundled action (Node 24), ${failedAsExpected}/${scenarios.length} failed with the expected error, ` +
        `${leaked.length} secret occurrences in stdout, stderr, summary, outputs, state and PR comments (${formsChecked} secret forms checked)`,
    });
    if (leaked.length + unexpected.length > 0)
      process.stderr.write(`${[...leaked, ...unexpected].join('\n')}\n`);
    expect(ok).toBe(true);
  });
});

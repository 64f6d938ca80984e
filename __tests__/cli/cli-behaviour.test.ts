/**
 * What this CLI adds to Jetbase's scenarios: the exact history rows, failures mid-migration, bad
 * input that must write nothing, --dir / --url / --json, exit codes, redaction, the lock under
 * concurrency and signals.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { makeProject, upstreamFixture, type TestProject } from '../helpers/project.js';
import {
  assertBuilt,
  BIN,
  historyRows,
  jetbase,
  lockRow,
  rowCount,
  startJetbase,
  tableNames,
  withDb,
  type CliResult,
} from './run-cli.js';

const UPSTREAM_V1_SQL =
  'CREATE TABLE users (\n    id SERIAL PRIMARY KEY,\n    name VARCHAR(255) NOT NULL\n);';
const SQLITE_URL = 'sqlite:///test.db';

/** The five versioned upstream files, without RA/ROC. */
function versionsOnly(): Record<string, string> {
  const files = upstreamFixture(UPSTREAM_V1_SQL);
  delete files['RA__ra.sql'];
  delete files['ROC__roc.sql'];
  return files;
}

let project: TestProject;
let dbFile: string;

function setUp(files: Record<string, string>): void {
  project = makeProject(files);
  dbFile = path.join(project.jetbaseDir, 'test.db');
}

function run(
  args: readonly string[],
  env: Record<string, string> = { JETBASE_SQLALCHEMY_URL: SQLITE_URL },
  cwd?: string,
): Promise<CliResult> {
  return jetbase(args, { cwd: cwd ?? project.jetbaseDir, env });
}

function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

beforeAll(assertBuilt);
afterEach(() => project?.cleanup());

describe('history rows are the ones Jetbase 0.18.1 writes', () => {
  it('upstream fixture: checksums, versions, descriptions, types, applied_at format', async () => {
    setUp(upstreamFixture(UPSTREAM_V1_SQL));
    expect((await run(['upgrade'])).code).toBe(0);
    const rows = historyRows(dbFile);
    expect(rows.map(({ applied_at: _appliedAt, checksum: _checksum, ...rest }) => rest)).toEqual([
      {
        order_executed: 1,
        version: '1',
        description: 'm1',
        filename: 'V1__m1.sql',
        migration_type: 'VERSIONED',
      },
      {
        order_executed: 2,
        version: '2',
        description: 'm2',
        filename: 'V2__m2.sql',
        migration_type: 'VERSIONED',
      },
      {
        order_executed: 3,
        version: '3',
        description: 'm3',
        filename: 'V3__m3.sql',
        migration_type: 'VERSIONED',
      },
      {
        order_executed: 4,
        version: '4',
        description: 'm4',
        filename: 'V4__m4.sql',
        migration_type: 'VERSIONED',
      },
      {
        order_executed: 5,
        version: '21',
        description: 'mi21',
        filename: 'V21__mi21.sql',
        migration_type: 'VERSIONED',
      },
      {
        order_executed: 6,
        version: null,
        description: 'ra',
        filename: 'RA__ra.sql',
        migration_type: 'RUNS_ALWAYS',
      },
      {
        order_executed: 7,
        version: null,
        description: 'roc',
        filename: 'ROC__roc.sql',
        migration_type: 'RUNS_ON_CHANGE',
      },
    ]);
    expect(rows[0]!.checksum).toBe('d2f84e0a79e8039495a9c8a5186a397c7798109039aba234392315c7fc5296d5');
    expect(rows[1]!.checksum).toBe('9aea75ac1662c9e06491f28c86e9b125bc483e7e6e1f5ecc5adefb2a3dc38903');
    expect(rows[5]!.checksum).toBe('078fdd54cc70b79296ce8fddcd7cd6c620d90ad7b15e07809c739ed7e34708f3');
    for (const row of rows) expect(row.applied_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
    // The tables themselves are Jetbase's.
    expect(tableNames(dbFile)).toEqual(['jetbase_lock', 'jetbase_migrations', 'sqlite_sequence', 'users']);
    expect(lockRow(dbFile)).toMatchObject({ is_locked: 0, process_id: null });
  });

  it('a description with spaces and a version key with _ → .', async () => {
    setUp({ 'V1_2_0__add_user_table.sql': 'CREATE TABLE t (id INTEGER);' });
    expect((await run(['upgrade'])).code).toBe(0);
    expect(historyRows(dbFile)[0]).toMatchObject({
      version: '1.2.0',
      description: 'add user table',
      filename: 'V1_2_0__add_user_table.sql',
    });
  });
});

describe('a failure mid-migration', () => {
  it('rolls back the failing file (DDL included) and its row, keeps earlier files, releases the lock, names file and statement', async () => {
    setUp({
      'V1__users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);',
      'V2__broken.sql':
        "CREATE TABLE audit (id INTEGER);\nINSERT INTO users (name) VALUES ('a');\nINSERT INTO missing_table VALUES (1);\n",
      'V3__later.sql': "INSERT INTO users (name) VALUES ('never');",
    });
    const result = await run(['upgrade']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✔ V1__users\.sql/m);
    expect(result.stdout).toMatch(/^✘ V2__broken\.sql/m);
    expect(result.stdout).not.toContain('Migrations completed successfully.');
    expect(result.stderr).toMatch(
      /^Error: Migration migrations\/V2__broken\.sql, statement 3 failed: no such table: missing_table$/m,
    );
    expect(result.stderr).toContain('SQL: INSERT INTO missing_table VALUES (1)');
    expect(historyRows(dbFile).map((r) => r.filename)).toEqual(['V1__users.sql']);
    expect(tableNames(dbFile)).not.toContain('audit');
    expect(withDb(dbFile, (db) => db.prepare('SELECT COUNT(*) AS n FROM users').get())).toEqual({ n: 0 });
    expect(lockRow(dbFile)).toMatchObject({ is_locked: 0, process_id: null });
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('JETBASE_DEBUG=1 adds the stack trace', async () => {
    setUp({ 'V1__bad.sql': 'SELEC 1;' });
    const result = await run(['upgrade'], { JETBASE_SQLALCHEMY_URL: SQLITE_URL, JETBASE_DEBUG: '1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\n\s+at /);
  });
});

describe('bad input: one error naming it, and nothing written', () => {
  it('a malformed file name', async () => {
    setUp({ 'V1__ok.sql': 'CREATE TABLE t (id INTEGER);', 'V2-missing-underscores.sql': 'SELECT 1;' });
    const result = await run(['upgrade']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'migrations/V2-missing-underscores.sql: Invalid migration filename format: V2-missing-underscores.sql.',
    );
    expect(existsSync(dbFile)).toBe(false);
  });

  it('stray non-.sql files are ignored', async () => {
    setUp({ 'V1__ok.sql': 'CREATE TABLE t (id INTEGER);', '.gitkeep': '', 'README.md': '# notes' });
    expect((await run(['upgrade'])).code).toBe(0);
    expect((await run(['status'])).code).toBe(0);
  });

  it.each([
    [
      'an unparsable URL',
      { JETBASE_SQLALCHEMY_URL: 'not a url' },
      /^Error: .*not a url|^Error: Could not parse/m,
    ],
    [
      'an unsupported database',
      { JETBASE_SQLALCHEMY_URL: 'oracle://u@h/db' },
      /^Error: Unsupported database: oracle\./m,
    ],
    [
      'a config switch that is not a boolean',
      { JETBASE_SQLALCHEMY_URL: SQLITE_URL, JETBASE_SKIP_VALIDATION: 'maybe' },
      /JETBASE_SKIP_VALIDATION must be true or false/,
    ],
    ['no URL at all', {}, /^Error: Configuration 'sqlalchemy_url' not found\./m],
  ])('%s', async (_label, env, message) => {
    setUp(upstreamFixture(UPSTREAM_V1_SQL));
    const result = await run(['upgrade'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(existsSync(dbFile)).toBe(false);
  });

  it('a missing directory', async () => {
    setUp({});
    const result = await run(['upgrade', '--dir', path.join(project.root, 'nowhere')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `'migrations' directory not found in ${path.join(project.root, 'nowhere')}.`,
    );
    expect(result.stderr).toMatch(/^Hint: .*jetbase init.*--dir/m);
  });

  it('no project found from an unrelated directory', async () => {
    setUp({});
    const elsewhere = path.join(project.root, 'elsewhere');
    mkdirSync(elsewhere);
    const result = await run(['status'], { JETBASE_SQLALCHEMY_URL: SQLITE_URL }, elsewhere);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error: No Jetbase project found/m);
    expect(result.stderr).toMatch(/^Hint: .*--dir/m);
  });
});

describe('where the project and the database are', () => {
  it('--dir from another cwd; a relative SQLite path is relative to the jetbase directory', async () => {
    setUp(upstreamFixture(UPSTREAM_V1_SQL));
    const result = await run(
      ['upgrade', '--dir', project.jetbaseDir],
      { JETBASE_SQLALCHEMY_URL: 'sqlite:///x.db' },
      path.dirname(project.root),
    );
    expect(result.code).toBe(0);
    expect(rowCount(path.join(project.jetbaseDir, 'x.db'))).toBe(7);
  });

  it('from the project root, ./jetbase is used', async () => {
    setUp(upstreamFixture(UPSTREAM_V1_SQL));
    const result = await run(['upgrade'], { JETBASE_SQLALCHEMY_URL: 'sqlite:///x.db' }, project.root);
    expect(result.code).toBe(0);
    expect(rowCount(path.join(project.jetbaseDir, 'x.db'))).toBe(7);
    expect(existsSync(path.join(project.root, 'x.db'))).toBe(false);
  });

  it('--url wins over the environment; env.py is read', async () => {
    setUp(versionsOnly());
    writeFileSync(path.join(project.jetbaseDir, 'env.py'), 'sqlalchemy_url = "sqlite:///from_env_py.db"\n');
    expect((await run(['upgrade', '-c', '1'], {})).code).toBe(0);
    expect(rowCount(path.join(project.jetbaseDir, 'from_env_py.db'))).toBe(1);
    expect(
      (
        await run(['upgrade', '-c', '1', '--url', 'sqlite:///from_flag.db'], {
          JETBASE_SQLALCHEMY_URL: 'sqlite:///from_env.db',
        })
      ).code,
    ).toBe(0);
    expect(existsSync(path.join(project.jetbaseDir, 'from_flag.db'))).toBe(true);
    expect(existsSync(path.join(project.jetbaseDir, 'from_env.db'))).toBe(false);
  });
});

describe('--json', () => {
  it('status: one JSON document with the plan', async () => {
    setUp(versionsOnly());
    await run(['upgrade', '-c', '3']);
    const result = await run(['status', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ ok: true, command: 'status', tableExists: true, problems: [] });
    expect(report.applied.map((r: { version: string | null }) => r.version)).toEqual(['1', '2', '3']);
    expect(report.plan.pendingVersioned.map((p: { file: { filename: string } }) => p.file.filename)).toEqual([
      'V4__m4.sql',
      'V21__mi21.sql',
    ]);
    // Files are summarised, never dumped with their text.
    expect(Object.keys(report.plan.pendingVersioned[0].file).sort()).toEqual([
      'checksum',
      'description',
      'filename',
      'relativePath',
      'type',
      'version',
    ]);
  });

  it('upgrade: outcomes on success, per-migration lines on stderr', async () => {
    setUp(upstreamFixture(UPSTREAM_V1_SQL));
    const result = await run(['upgrade', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ ok: true, command: 'upgrade', dryRun: false, upToDate: false });
    expect(report.outcomes).toHaveLength(7);
    expect(report.outcomes[0]).toMatchObject({
      filename: 'V1__m1.sql',
      status: 'applied',
      checksum: 'd2f84e0a79e8039495a9c8a5186a397c7798109039aba234392315c7fc5296d5',
    });
    expect(result.stderr).toMatch(/^✔ V1__m1\.sql/m);
  });

  it('upgrade: a validation failure is {ok: false, error: {code, message, problems}}', async () => {
    setUp(upstreamFixture(UPSTREAM_V1_SQL));
    await run(['upgrade', '-c', '3']);
    project.remove('V2__m2.sql');
    const result = await run(['upgrade', '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    expect(report.error.code).toBe('VALIDATION');
    expect(report.error.problems).toEqual([
      expect.objectContaining({
        kind: 'missing-file',
        severity: 'error',
        version: '2',
        fix: 'jetbase fix-files',
      }),
    ]);
  });

  it('a thrown error is {command, ok: false, error}', async () => {
    setUp(upstreamFixture(UPSTREAM_V1_SQL));
    const result = await run(['history', '--json'], {});
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      command: 'history',
      ok: false,
      error: { code: 'CONFIG' },
    });
  });

  it.each([
    ['history'],
    ['current'],
    ['lock-status'],
    ['validate-checksums'],
    ['validate-files'],
    ['rollback', '--dry-run'],
  ])('%s --json parses', async (...args) => {
    setUp(upstreamFixture(UPSTREAM_V1_SQL));
    await run(['upgrade']);
    const result = await run([...args, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, command: args[0] });
  });
});

describe('exit codes and usage', () => {
  it.each([
    [['upgrade', '--bogus'], 2, 'No such option: --bogus'],
    [['upgrad'], 2, "No such command 'upgrad'."],
    [['upgrade', '-c', '2', '-t', '3'], 2, "Cannot specify both 'count' and 'to_version' for upgrade."],
    [['rollback', '-c', '2', '-t', '3'], 2, "Cannot specify both 'count' and 'to_version' for rollback."],
    [['rollback', '--count', '0'], 2, "'count' must be a positive integer"],
  ])('%j → %i', async (args, code, message) => {
    setUp(upstreamFixture(UPSTREAM_V1_SQL));
    const result = await run(args);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')[0]).toMatch(/^Error: /);
  });

  it('--help and --version', async () => {
    setUp({});
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('validate-checksums');
    const upgradeHelp = await run(['upgrade', '-h']);
    expect(upgradeHelp.stdout).toContain('--skip-checksum-validation');
    const version = await run(['--version']);
    expect(version.stdout.trim()).toBe(
      JSON.parse(readFileSync(path.join(path.dirname(BIN), '..', 'package.json'), 'utf8')).version,
    );
  });
});

describe('secrets never leave', () => {
  it('a connection error does not show the password', async () => {
    setUp(upstreamFixture(UPSTREAM_V1_SQL));
    const password = 'S3cr3t-pw-9f8e';
    const result = await run(['status', '--url', `postgresql://app:${password}@127.0.0.1:1/db`], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error: /m);
    expect(result.stdout + result.stderr).not.toContain(password);
  });
});

describe('the lock', () => {
  it('two concurrent upgrades with --lock-timeout apply each migration once', async () => {
    const files: Record<string, string> = { 'V1__log.sql': 'CREATE TABLE log (name TEXT NOT NULL);' };
    // Slow migrations so the two runs overlap: each burns CPU in SQLite before logging itself.
    const slow =
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) SELECT COUNT(*) FROM c';
    for (let v = 2; v <= 6; v++)
      files[`V${v}__step_${v}.sql`] = `INSERT INTO log (name) SELECT 'step ${v}' FROM (${slow});\n`;
    setUp(files);
    const env = { JETBASE_SQLALCHEMY_URL: SQLITE_URL };
    const [a, b] = await Promise.all([
      run(['upgrade', '--lock-timeout', '30'], env),
      run(['upgrade', '--lock-timeout', '30'], env),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(historyRows(dbFile).map((r) => r.version)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(
      withDb(dbFile, (db) =>
        db.prepare('SELECT name, COUNT(*) AS n FROM log GROUP BY name HAVING n > 1').all(),
      ),
    ).toEqual([]);
    expect(withDb(dbFile, (db) => db.prepare('SELECT COUNT(*) AS n FROM log').get())).toEqual({ n: 5 });
    expect(lockRow(dbFile)?.is_locked).toBe(0);
  });

  it('SIGINT while waiting for the lock: exit 130, says so, and leaves the other holder alone', async () => {
    setUp(versionsOnly());
    expect((await run(['upgrade', '-c', '1'])).code).toBe(0);
    const db = new Database(dbFile);
    db.prepare("UPDATE jetbase_lock SET is_locked = 1, process_id = 'someone-else' WHERE id = 1").run();
    db.close();
    const waiting = startJetbase(['upgrade', '--lock-timeout', '60'], {
      cwd: project.jetbaseDir,
      env: { JETBASE_SQLALCHEMY_URL: SQLITE_URL },
    });
    await waitFor(() => waiting.stderr().includes('Waiting for the migration lock'), 'the lock wait');
    waiting.child.kill('SIGINT');
    const result = await waiting.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Cancelling: finishing the current step and releasing the lock…');
    expect(result.stderr).toContain('Cancelled while waiting for the migration lock.');
    expect(lockRow(dbFile)).toMatchObject({ is_locked: 1, process_id: 'someone-else' });
    expect(rowCount(dbFile)).toBe(1);
  });

  it('SIGTERM gives 143', async () => {
    setUp(upstreamFixture(UPSTREAM_V1_SQL));
    expect((await run(['upgrade', '-c', '1'])).code).toBe(0);
    const db = new Database(dbFile);
    db.prepare("UPDATE jetbase_lock SET is_locked = 1, process_id = 'someone-else' WHERE id = 1").run();
    db.close();
    const waiting = startJetbase(['rollback', '--lock-timeout', '60'], {
      cwd: project.jetbaseDir,
      env: { JETBASE_SQLALCHEMY_URL: SQLITE_URL },
    });
    await waitFor(() => waiting.stderr().includes('Waiting for the migration lock'), 'the lock wait');
    waiting.child.kill('SIGTERM');
    expect((await waiting.done).code).toBe(143);
  });
});

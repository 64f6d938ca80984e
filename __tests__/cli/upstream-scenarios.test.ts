/**
 * Jetbase's own CLI test scenarios (its tests/cli and its integration sequence) against the built
 * `jetbase` on SQLite, checked in the database file itself. Where this project decides differently
 * from upstream (docs/format.md, "What this project does differently"), the test says so (e.g. a dry
 * run creates no tables).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeProject, upstreamFixture, type TestProject } from '../helpers/project.js';
import {
  assertBuilt,
  historyRows,
  jetbase,
  lockRow,
  rowCount,
  statusTables,
  tableCells,
  tableNames,
  withDb,
  type CliResult,
} from './run-cli.js';

/** UPSTREAM_V1_SQL: upstream's V1__m1.sql byte for byte, so the stored checksum is the one Jetbase writes. */
const UPSTREAM_V1_SQL =
  'CREATE TABLE users (\n    id SERIAL PRIMARY KEY,\n    name VARCHAR(255) NOT NULL\n);';

function fullFixture(): Record<string, string> {
  return upstreamFixture(UPSTREAM_V1_SQL);
}

function versionsOnly(): Record<string, string> {
  const files = fullFixture();
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

/** `jetbase ARGS` from inside jetbase/, configured like upstream's CLI tests (JETBASE_SQLALCHEMY_URL). */
function run(...args: string[]): Promise<CliResult> {
  return jetbase(args, { cwd: project.jetbaseDir, env: { JETBASE_SQLALCHEMY_URL: 'sqlite:///test.db' } });
}

async function ok(...args: string[]): Promise<CliResult> {
  const result = await run(...args);
  if (result.code !== 0)
    throw new Error(`jetbase ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

function versions(): (string | null)[] {
  return historyRows(dbFile).map((row) => row.version);
}

function appliedAtOf(filename: string): string {
  const row = historyRows(dbFile).find((r) => r.filename === filename);
  if (!row) throw new Error(`no row for ${filename}`);
  return row.applied_at;
}

/** SQLite's applied_at has millisecond resolution: make sure the next write gets a later one. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

beforeAll(assertBuilt);
afterEach(() => project?.cleanup());

describe('upgrade', () => {
  it('applies every versioned file', async () => {
    setUp(versionsOnly());
    const result = await ok('upgrade');
    expect(rowCount(dbFile)).toBe(5);
    expect(result.stdout).toMatch(/^✔ V1__m1\.sql {2}\d+ ms$/m);
    expect(result.stdout).toContain('Migrations completed successfully.');
  });

  it('--count 3 applies three, then -c 1 one more', async () => {
    setUp(versionsOnly());
    await ok('upgrade', '--count', '3');
    expect(versions()).toEqual(['1', '2', '3']);
    await ok('upgrade', '-c', '1');
    expect(versions()).toEqual(['1', '2', '3', '4']);
  });

  it('--count above the pending number applies all; then nothing is left', async () => {
    setUp(versionsOnly());
    await ok('upgrade', '--count', '20');
    expect(rowCount(dbFile)).toBe(5);
    const again = await ok('upgrade', '-c', '1');
    expect(rowCount(dbFile)).toBe(5);
    expect(again.stdout).toContain('Migrations are up to date.');
  });

  it('--count -1 is a usage error and writes nothing', async () => {
    setUp(versionsOnly());
    const result = await run('upgrade', '--count', '-1');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error: 'count' must be a positive integer/m);
    expect(existsSync(dbFile)).toBe(false);
  });

  it('--to-version 2 applies up to and including 2', async () => {
    setUp(versionsOnly());
    await ok('upgrade', '--to-version', '2');
    expect(versions()).toEqual(['1', '2']);
  });

  it('--to-version of a version that is not pending fails', async () => {
    setUp(versionsOnly());
    const result = await run('upgrade', '--to-version', '1.5');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "The specified to_version '1.5' does not exist among pending migrations.",
    );
    // Upstream creates its tables before it fails; we write nothing on a request that fails.
    expect(tableNames(dbFile)).toEqual([]);
  });

  it('a deleted applied file stops upgrade', async () => {
    setUp(versionsOnly());
    await ok('upgrade', '-c', '3');
    project.remove('V2__m2.sql');
    const result = await run('upgrade');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Version 2 has been migrated but is missing from the current migration files.',
    );
    expect(result.stderr).toContain('(fix: jetbase fix-files)');
    expect(rowCount(dbFile)).toBe(3);
  });

  it('--dry-run previews and writes nothing, not even the tables', async () => {
    setUp(versionsOnly());
    const result = await ok('upgrade', '--dry-run');
    expect(result.stdout).toContain('JETBASE - Dry Run Mode');
    expect(result.stdout).toContain('SQL Preview for V21__mi21.sql (1 statement)');
    expect(tableNames(dbFile)).toEqual([]);
  });

  it('a new file below the latest applied version is out of order', async () => {
    setUp(versionsOnly());
    await ok('upgrade', '-c', '3');
    project.write('V1.5__m1_5.sql', "INSERT INTO users (name) VALUES ('m1.5');");
    const result = await run('upgrade');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /migrations\/V1\.5__m1_5\.sql has version 1\.5, which is lower than the latest migrated version 3/,
    );
    expect(rowCount(dbFile)).toBe(3);
  });

  it('a duplicate version is an error naming both files, and nothing is written', async () => {
    setUp({ ...versionsOnly(), 'V2__duplicate_m2.sql': "INSERT INTO users (name) VALUES ('dup');" });
    const result = await run('upgrade');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Duplicate migration version detected: 2');
    expect(result.stderr).toContain('migrations/V2__duplicate_m2.sql');
    expect(result.stderr).toContain('migrations/V2__m2.sql');
    expect(existsSync(dbFile)).toBe(false);
  });

  it('a changed applied file is a checksum mismatch; --skip-checksum-validation proceeds', async () => {
    setUp(versionsOnly());
    await ok('upgrade', '-c', '3');
    project.write('V2__m2.sql', "INSERT INTO users (name) VALUES ('changed');");
    const result = await run('upgrade');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Checksum mismatch for version 2: migrations\/V2__m2\.sql has changed/);
    expect(result.stderr).toContain('(fix: jetbase fix-checksums)');
    expect(rowCount(dbFile)).toBe(3);
    await ok('upgrade', '--skip-checksum-validation');
    expect(rowCount(dbFile)).toBe(5);
  });

  it('the full fixture (versioned, RA, ROC) writes 7 rows, in V → RA → ROC order', async () => {
    setUp(fullFixture());
    await ok('upgrade');
    expect(historyRows(dbFile).map((r) => r.filename)).toEqual([
      'V1__m1.sql',
      'V2__m2.sql',
      'V3__m3.sql',
      'V4__m4.sql',
      'V21__mi21.sql',
      'RA__ra.sql',
      'ROC__roc.sql',
    ]);
  });

  it('an unchanged ROC file does not run again', async () => {
    setUp(fullFixture());
    await ok('upgrade');
    const before = appliedAtOf('ROC__roc.sql');
    await tick();
    await ok('upgrade');
    expect(appliedAtOf('ROC__roc.sql')).toBe(before);
  });

  it('an edited ROC file runs again and keeps its row', async () => {
    setUp(fullFixture());
    await ok('upgrade');
    const before = appliedAtOf('ROC__roc.sql');
    await tick();
    project.write('ROC__roc.sql', "INSERT INTO users (name) VALUES ('changed mike');");
    await ok('upgrade');
    expect(appliedAtOf('ROC__roc.sql') > before).toBe(true);
    expect(rowCount(dbFile)).toBe(7);
  });

  it('an RA file runs on every upgrade', async () => {
    setUp(fullFixture());
    await ok('upgrade');
    const before = appliedAtOf('RA__ra.sql');
    await tick();
    await ok('upgrade');
    expect(appliedAtOf('RA__ra.sql') > before).toBe(true);
    expect(
      withDb(dbFile, (db) => db.prepare("SELECT COUNT(*) AS n FROM users WHERE name = 'always mike'").get()),
    ).toEqual({ n: 2 });
  });

  it('drift and an out-of-order file are reported together; --skip-validation proceeds without the low file', async () => {
    setUp(versionsOnly());
    await ok('upgrade', '-c', '3');
    project.write('V2__m2.sql', "INSERT INTO users (name) VALUES ('changed');");
    project.write('V1.5__m1_5.sql', "INSERT INTO users (name) VALUES ('m1.5');");
    const result = await run('upgrade');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Validation failed with 2 problems:');
    expect(result.stderr).toMatch(/Checksum mismatch for version 2/);
    expect(result.stderr).toMatch(/V1\.5__m1_5\.sql has version 1\.5/);
    const skipped = await ok('upgrade', '--skip-validation');
    expect(versions()).toEqual(['1', '2', '3', '4', '21']);
    // Never silently dropped.
    expect(skipped.stderr).toMatch(/Warning: .*V1\.5__m1_5\.sql.*It will not run\./);
  });

  it('an out-of-order file alone; --skip-validation proceeds', async () => {
    setUp(versionsOnly());
    await ok('upgrade', '-c', '3');
    project.write('V1.5__m1_5.sql', "INSERT INTO users (name) VALUES ('m1.5');");
    expect((await run('upgrade')).code).toBe(1);
    await ok('upgrade', '--skip-validation');
    expect(rowCount(dbFile)).toBe(5);
  });

  it('a deleted applied file; --skip-file-validation proceeds', async () => {
    setUp(versionsOnly());
    await ok('upgrade', '-c', '3');
    project.remove('V2__m2.sql');
    expect((await run('upgrade')).code).toBe(1);
    await ok('upgrade', '--skip-file-validation');
    expect(versions()).toEqual(['1', '2', '3', '4', '21']);
  });

  it('skip switches from the configuration work like the flags (flag OR config)', async () => {
    setUp(versionsOnly());
    await ok('upgrade', '-c', '3');
    project.remove('V2__m2.sql');
    const result = await jetbase(['upgrade'], {
      cwd: project.jetbaseDir,
      env: { JETBASE_SQLALCHEMY_URL: 'sqlite:///test.db', JETBASE_SKIP_FILE_VALIDATION: 'true' },
    });
    expect(result.code).toBe(0);
    expect(rowCount(dbFile)).toBe(5);
  });
});

describe('rollback', () => {
  beforeEach(async () => {
    setUp(fullFixture());
    await ok('upgrade');
    expect(rowCount(dbFile)).toBe(7);
  });

  it('rolls back the last migration', async () => {
    const result = await ok('rollback');
    expect(rowCount(dbFile)).toBe(6);
    expect(versions()).not.toContain('21');
    expect(result.stdout).toMatch(/^↩ V21__mi21\.sql {2}\d+ ms$/m);
    expect(result.stdout).toContain('Rollbacks completed successfully.');
    expect(
      withDb(dbFile, (db) => db.prepare("SELECT COUNT(*) AS n FROM users WHERE name = 'mike21'").get()),
    ).toEqual({ n: 0 });
  });

  it('--count 3 rolls back three', async () => {
    await ok('rollback', '--count', '3');
    expect(rowCount(dbFile)).toBe(4);
    expect(versions()).toEqual(['1', '2', null, null]);
  });

  it('--to-version 2 keeps 2 applied; a version never applied is an error', async () => {
    await ok('rollback', '--to-version', '2');
    expect(rowCount(dbFile)).toBe(4);
    const result = await run('rollback', '--to-version', '1.5');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Version '1.5' has not been applied yet or does not exist.");
  });

  it('--dry-run previews the rollback sections and changes nothing', async () => {
    const result = await ok('rollback', '--dry-run', '-c', '2');
    expect(rowCount(dbFile)).toBe(7);
    expect(result.stdout).toContain('Dry Run Mode');
    expect(result.stdout.indexOf('SQL Preview for V21__mi21.sql (1 statement)')).toBeLessThan(
      result.stdout.indexOf('SQL Preview for V4__m4.sql'),
    );
    expect(result.stdout).toContain("DELETE FROM users WHERE name = 'mike21'");
  });

  it('a missing file of a version to roll back stops every form of rollback', async () => {
    project.remove('V21__mi21.sql');
    for (const args of [['rollback'], ['rollback', '--to-version', '2'], ['rollback', '--count', '3']]) {
      const result = await run(...args);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        "Migration file for version '21' not found. Cannot proceed with rollback.",
      );
    }
    expect(rowCount(dbFile)).toBe(7);
  });
});

describe('status', () => {
  it('all applied, nothing pending', async () => {
    setUp(versionsOnly());
    await ok('upgrade');
    const { applied, pending } = statusTables((await ok('status')).stdout);
    expect(applied).toEqual([
      ['1', 'm1'],
      ['2', 'm2'],
      ['3', 'm3'],
      ['4', 'm4'],
      ['21', 'mi21'],
    ]);
    expect(pending).toEqual([]);
  });

  it('repeatables: both labels applied, RA always pending, unchanged ROC not', async () => {
    setUp(fullFixture());
    await ok('upgrade');
    const { applied, pending } = statusTables((await ok('status')).stdout);
    expect(applied.map((r) => r[0])).toEqual(expect.arrayContaining(['RUNS_ALWAYS', 'RUNS_ON_CHANGE']));
    expect(pending).toEqual([['RUNS_ALWAYS', 'ra']]);
  });

  it('after --count 3, 4 and 21 are pending', async () => {
    setUp(versionsOnly());
    await ok('upgrade', '-c', '3');
    const { pending } = statusTables((await ok('status')).stdout);
    expect(pending).toEqual([
      ['4', 'm4'],
      ['21', 'mi21'],
    ]);
  });

  it('an edited ROC file is pending', async () => {
    setUp(fullFixture());
    await ok('upgrade');
    project.write('ROC__roc.sql', "INSERT INTO users (name) VALUES ('changed');");
    const { pending } = statusTables((await ok('status')).stdout);
    expect(pending.map((r) => r[0])).toEqual(['RUNS_ALWAYS', 'RUNS_ON_CHANGE']);
  });

  it('nothing applied: everything pending, and status creates no table', async () => {
    setUp(fullFixture());
    const { applied, pending } = statusTables((await ok('status')).stdout);
    expect(applied).toEqual([]);
    expect(pending.map((r) => r[0])).toEqual(['1', '2', '3', '4', '21', 'RUNS_ALWAYS', 'RUNS_ON_CHANGE']);
    expect(tableNames(dbFile)).toEqual([]);
  });

  it('status exits 0 with problems as warnings; validate exits 1', async () => {
    setUp(versionsOnly());
    await ok('upgrade', '-c', '3');
    project.write('V2__m2.sql', "INSERT INTO users (name) VALUES ('changed');");
    const status = await run('status');
    expect(status.code).toBe(0);
    expect(status.stderr).toMatch(/Checksum mismatch for version 2/);
    const validate = await run('validate');
    expect(validate.code).toBe(1);
    expect(validate.stderr).toMatch(/^Error: Validation failed with 1 problem:$/m);
    project.write('V2__m2.sql', versionsOnly()['V2__m2.sql']!);
    const clean = await run('validate');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('All migrations are valid: 3 applied, 2 pending.');
  });
});

describe('history', () => {
  it('shows versions and labels of applied migrations only', async () => {
    setUp(fullFixture());
    await ok('upgrade', '-c', '2');
    const result = await ok('history');
    expect(result.stdout).toContain('Migration History');
    const rows = tableCells(result.stdout);
    expect(rows.map((r) => r[0])).toEqual(['1', '2', 'RUNS_ALWAYS', 'RUNS_ON_CHANGE']);
    expect(rows.map((r) => r[1])).toEqual(['1', '2', '3', '4']);
    for (const row of rows) expect(row[3]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d\d$/);
  });

  it('no table: notice, exit 0, nothing created', async () => {
    setUp(versionsOnly());
    const result = await ok('history');
    expect(result.stdout).toBe('No migrations have been applied.\n');
    expect(tableNames(dbFile)).toEqual([]);
  });

  it('empty table: notice, exit 0', async () => {
    setUp(versionsOnly());
    await ok('rollback'); // creates both tables, nothing to roll back
    const result = await ok('history');
    expect(result.stdout).toBe('No migrations have been applied yet.\n');
  });
});

describe('current, lock-status and unlock', () => {
  it('current prints the latest applied version by applied_at', async () => {
    setUp(fullFixture());
    await ok('upgrade');
    expect((await ok('current')).stdout).toBe('Latest migration version: 21\n');
    const latest = withDb(dbFile, (db) =>
      db
        .prepare(
          "SELECT version FROM jetbase_migrations WHERE migration_type = 'VERSIONED' ORDER BY applied_at DESC, order_executed DESC LIMIT 1",
        )
        .get(),
    );
    expect(latest).toEqual({ version: '21' });
  });

  it('current on a database without tables: no migrations', async () => {
    setUp(versionsOnly());
    expect((await ok('current')).stdout).toBe('No migrations have been applied yet.\n');
  });

  it('lock-status is unlocked after an upgrade', async () => {
    setUp(versionsOnly());
    await ok('upgrade');
    expect((await ok('lock-status')).stdout).toBe('Status: UNLOCKED\n');
    expect(lockRow(dbFile)?.is_locked).toBe(0);
  });

  it('a held lock shows, and unlock releases it', async () => {
    setUp(versionsOnly());
    await ok('upgrade');
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(dbFile);
    db.prepare(
      "UPDATE jetbase_lock SET is_locked = 1, locked_at = '2026-01-02 03:04:05.678', process_id = 'other' WHERE id = 1",
    ).run();
    db.close();
    expect((await ok('lock-status')).stdout).toBe('Status: LOCKED\nLocked At: 2026-01-02 03:04:05.678\n');
    project.write('V22__m22.sql', "INSERT INTO users (name) VALUES ('mike22');");
    const held = await run('upgrade');
    expect(held.code).toBe(1);
    expect(rowCount(dbFile)).toBe(5);
    expect(held.stderr).toContain('Migration lock is already held by another process.');
    expect((await ok('unlock')).stdout).toBe('Unlock successful.\n');
    expect(lockRow(dbFile)?.is_locked).toBe(0);
    expect((await ok('lock-status')).stdout).toBe('Status: UNLOCKED\n');
  });

  it('lock-status and unlock on a database without tables', async () => {
    setUp(versionsOnly());
    expect((await ok('lock-status')).stdout).toBe('Status: UNLOCKED\n');
    expect((await ok('unlock')).stdout).toBe('Unlock successful.\n');
    expect(tableNames(dbFile)).toEqual([]);
  });
});

describe('repairs: validate-checksums, fix-checksums, fix-files, fix', () => {
  async function drift(): Promise<string> {
    setUp(versionsOnly());
    await ok('upgrade', '-c', '3');
    const stored = historyRows(dbFile).find((r) => r.version === '2')!.checksum;
    project.write('V2__m2.sql', "INSERT INTO users (name) VALUES ('changed');");
    expect((await run('upgrade')).code).toBe(1);
    return stored;
  }

  it('validate-checksums: nothing applied', async () => {
    setUp(versionsOnly());
    expect((await ok('validate-checksums')).stdout).toBe(
      'No migrations have been applied; nothing to repair.\n',
    );
  });

  it('validate-checksums reports, --fix repairs, upgrade proceeds', async () => {
    const stored = await drift();
    const audit = await ok('validate-checksums');
    expect(audit.stdout).toBe(
      'JETBASE - Checksum Audit Report\n----------------------------------------\nChanges detected in the following migration versions:\n→ 2\n',
    );
    const fixed = await ok('validate-checksums', '--fix');
    expect(fixed.stdout).toBe('Repaired checksum for version: 2\nSuccessfully repaired checksums\n');
    expect(historyRows(dbFile).find((r) => r.version === '2')!.checksum).not.toBe(stored);
    expect((await ok('validate-checksums')).stdout).toBe(
      'All migration checksums are valid - no altered upgrade statements detected.\n',
    );
    await ok('upgrade');
    expect(rowCount(dbFile)).toBe(5);
  });

  it('fix-checksums repairs the drifted checksum', async () => {
    const stored = await drift();
    expect((await ok('fix-checksums')).stdout).toContain('Repaired checksum for version: 2');
    expect(historyRows(dbFile).find((r) => r.version === '2')!.checksum).not.toBe(stored);
    await ok('upgrade');
    expect(rowCount(dbFile)).toBe(5);
    expect(lockRow(dbFile)?.is_locked).toBe(0);
  });

  it('fix-files forgets a deleted applied file, then upgrade proceeds', async () => {
    setUp(versionsOnly());
    await ok('upgrade', '-c', '3');
    project.remove('V2__m2.sql');
    expect((await run('upgrade')).code).toBe(1);
    expect((await ok('validate-files')).stdout).toBe(
      'The following migration versions are missing their corresponding files:\n→ 2\n',
    );
    expect((await ok('fix-files')).stdout).toBe('Stopped tracking the following missing versions:\n→ 2\n');
    expect(versions()).toEqual(['1', '3']);
    expect((await ok('validate-files')).stdout).toBe('All migrations have corresponding files.\n');
    expect((await ok('validate-files', '--fix')).stdout).toBe('No missing migration files.\n');
    await ok('upgrade');
    expect(versions()).toEqual(['1', '3', '4', '21']);
  });

  it('fix: files then checksums', async () => {
    setUp(fullFixture());
    await ok('upgrade');
    project.remove('RA__ra.sql');
    project.write('V3__m3.sql', "INSERT INTO users (name) VALUES ('changed');");
    const result = await ok('fix');
    expect(result.stdout).toBe(
      'Removed the following missing repeatable migrations from the database:\n→ RA__ra.sql\n' +
        'Repaired checksum for version: 3\nSuccessfully repaired checksums\n' +
        'Fix completed successfully.\n',
    );
    expect((await ok('validate')).code).toBe(0);
  });
});

describe('init and new', () => {
  it('init creates jetbase/, migrations/ and env.py; a second init keeps env.py', async () => {
    setUp({});
    const parent = path.join(project.root, 'fresh');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(parent);
    const result = await jetbase(['init'], { cwd: parent });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Initialized Jetbase project in ${path.join(parent, 'jetbase')}\nRun 'cd jetbase' to get started!\n`,
    );
    expect(existsSync(path.join(parent, 'jetbase', 'migrations'))).toBe(true);
    const envPy = path.join(parent, 'jetbase', 'env.py');
    expect(readFileSync(envPy, 'utf8')).toBe(
      '# Jetbase Configuration\n# Update the sqlalchemy_url with your database connection string.\n\nsqlalchemy_url = "postgresql://user:password@localhost:5432/mydb"\n',
    );
    writeFileSync(envPy, 'sqlalchemy_url = "sqlite:///mine.db"\n');
    const again = await jetbase(['init'], { cwd: parent });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already exists and was kept');
    expect(readFileSync(envPy, 'utf8')).toBe('sqlalchemy_url = "sqlite:///mine.db"\n');
  });

  it('new without a description is a usage error', async () => {
    setUp({});
    const result = await run('new');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Missing argument 'DESCRIPTION'.");
  });

  it('new with a timestamp version writes the exact template', async () => {
    setUp({});
    const result = await ok('new', 'create users table');
    const files = readdirSync(path.join(project.jetbaseDir, 'migrations'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^V\d{8}\.\d{6}__create_users_table\.sql$/);
    expect(result.stdout).toBe(`Created migration file: ${files[0]}\n`);
    expect(readFileSync(path.join(project.jetbaseDir, 'migrations', files[0]!), 'utf8')).toBe(
      '-- upgrade\n\n-- rollback\n',
    );
  });

  it('new --version 1.5 (and -v), never overwriting', async () => {
    setUp({});
    expect((await ok('new', 'add index', '--version', '1.5')).stdout).toBe(
      'Created migration file: V1.5__add_index.sql\n',
    );
    expect((await ok('new', 'x', '-v', '3_1')).stdout).toBe('Created migration file: V3_1__x.sql\n');
    const again = await run('new', 'add index', '--version', '1.5');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('already exists');
    const bad = await run('new', 'x', '-v', '1..2');
    expect(bad.stderr).toContain('Invalid version: 1..2.');
  });
});

describe("Python Jetbase's integration sequence", () => {
  it('runs the upstream sequence with the expected user counts', async () => {
    const files: Record<string, string> = {
      'V1__create_users.sql':
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\nINSERT INTO users (name) VALUES ('u1');\n-- rollback\nDROP TABLE users;\n",
      'V2__two_users.sql':
        "INSERT INTO users (name) VALUES ('u2a');\nINSERT INTO users (name) VALUES ('u2b');\n-- rollback\nDELETE FROM users WHERE name IN ('u2a', 'u2b');\n",
    };
    for (let v = 3; v <= 8; v++)
      files[`V${v}__user_${v}.sql`] =
        `INSERT INTO users (name) VALUES ('u${v}');\n-- rollback\nDELETE FROM users WHERE name = 'u${v}';\n`;
    setUp(files);
    const users = () =>
      withDb(dbFile, (db) => (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n);

    expect((await ok('rollback')).stdout).toBe('Nothing to rollback.\n');
    await ok('current');
    await ok('history');
    await ok('upgrade', '--dry-run');
    expect(tableNames(dbFile)).not.toContain('users');
    await ok('upgrade', '--count', '2');
    expect(users()).toBe(3);
    await ok('upgrade', '--to-version', '5');
    expect(users()).toBe(6);
    await ok('upgrade');
    expect(users()).toBe(9);
    await ok('rollback', '--dry-run');
    expect(users()).toBe(9);
    await ok('rollback', '-c', '2');
    expect(users()).toBe(7);
    await ok('rollback');
    expect(users()).toBe(6);
    await ok('rollback', '--to-version', '2');
    expect(users()).toBe(3);
    expect((await ok('current')).stdout).toBe('Latest migration version: 2\n');
    expect(tableCells((await ok('history')).stdout).map((r) => r[0])).toEqual(['1', '2']);
  });
});

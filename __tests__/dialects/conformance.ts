/**
 * The conformance suite every dialect must pass (golang-migrate style): Python Jetbase's CLI scenarios against a real
 * database through the engine, with assertions on the real tables. Each dialect's test file calls
 * `describeConformance(target)`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { checksumOfStatements } from '../../src/engine/checksum.js';
import {
  current,
  fixAll,
  history,
  lockStatus,
  releaseLockOf,
  rollback,
  status,
  unlock,
  upgrade,
  validateChecksums,
  validateFiles,
} from '../../src/engine/index.js';
import type { Dialect } from '../../src/engine/dialect.js';
import {
  CancelledError,
  JetbaseError,
  LockHeldError,
  MigrationError,
  ValidationError,
} from '../../src/engine/errors.js';
import { upgradeStatements } from '../../src/engine/sql-file.js';
import type { EngineContext } from '../../src/engine/types.js';
import { dialectFor, queryRows, type TestTarget } from '../helpers/databases.js';
import { makeProject, upstreamFixture, type TestProject } from '../helpers/project.js';

const VERSIONS_ONLY = (fixture: Record<string, string>) =>
  Object.fromEntries(Object.entries(fixture).filter(([name]) => name.startsWith('V')));

export function describeConformance(target: TestTarget): void {
  describe(`conformance: ${target.name}`, () => {
    let project: TestProject;
    let dialect: Dialect;
    let ctx: EngineContext;

    async function setUp(files: Record<string, string>): Promise<void> {
      project = makeProject(files);
      const rawUrl = await target.fresh();
      ({ dialect } = await dialectFor(target, rawUrl, project.jetbaseDir));
      ctx = { jetbaseDir: project.jetbaseDir, dialect };
    }
    afterEach(() => project?.cleanup());

    const rows = (sql: string) => queryRows(dialect, sql);
    const count = async (where = '1 = 1') =>
      Number(
        Object.values((await rows(`SELECT COUNT(*) AS n FROM jetbase_migrations WHERE ${where}`))[0]!)[0],
      );
    const versions = async () =>
      (
        await rows(
          "SELECT version FROM jetbase_migrations WHERE migration_type = 'VERSIONED' ORDER BY order_executed",
        )
      ).map((r) => String(r.version));
    const tableNames = async () => {
      const s = await status(ctx);
      return s.tableExists;
    };
    const lockRow = async () =>
      (await rows('SELECT is_locked, locked_at, process_id FROM jetbase_lock WHERE id = 1'))[0]!;
    const isLocked = async () => {
      const value = (await lockRow()).is_locked;
      return value === true || value === 1 || value === '1' || value === 't';
    };

    test('upgrade writes the rows Jetbase writes and releases the lock', async () => {
      await setUp(upstreamFixture(target.createUsers));
      const report = await upgrade(ctx);
      expect(report.ok).toBe(true);
      expect(report.outcomes.map((o) => [o.filename, o.status])).toEqual([
        ['V1__m1.sql', 'applied'],
        ['V2__m2.sql', 'applied'],
        ['V3__m3.sql', 'applied'],
        ['V4__m4.sql', 'applied'],
        ['V21__mi21.sql', 'applied'],
        ['RA__ra.sql', 'applied'],
        ['ROC__roc.sql', 'applied'],
      ]);
      const history = await rows(
        'SELECT order_executed, version, description, filename, migration_type, applied_at, checksum FROM jetbase_migrations ORDER BY order_executed',
      );
      expect(
        history.map((r) => [
          Number(r.order_executed),
          r.version,
          r.description,
          r.filename,
          r.migration_type,
        ]),
      ).toEqual([
        [1, '1', 'm1', 'V1__m1.sql', 'VERSIONED'],
        [2, '2', 'm2', 'V2__m2.sql', 'VERSIONED'],
        [3, '3', 'm3', 'V3__m3.sql', 'VERSIONED'],
        [4, '4', 'm4', 'V4__m4.sql', 'VERSIONED'],
        [5, '21', 'mi21', 'V21__mi21.sql', 'VERSIONED'],
        [6, null, 'ra', 'RA__ra.sql', 'RUNS_ALWAYS'],
        [7, null, 'roc', 'ROC__roc.sql', 'RUNS_ON_CHANGE'],
      ]);
      // These files' checksums as Jetbase 0.18.1 stored them (docs/format.md, "Checksums").
      expect(history[1]!.checksum).toBe('9aea75ac1662c9e06491f28c86e9b125bc483e7e6e1f5ecc5adefb2a3dc38903');
      expect(history[5]!.checksum).toBe('078fdd54cc70b79296ce8fddcd7cd6c620d90ad7b15e07809c739ed7e34708f3');
      expect(history[0]!.checksum).toBe(checksumOfStatements(upgradeStatements(target.createUsers)));
      expect(String(history[0]!.applied_at)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{3,6})?$/);
      expect(await isLocked()).toBe(false);
      expect((await lockRow()).process_id).toBeNull();
      expect(await rows('SELECT name FROM users ORDER BY id')).toHaveLength(6);
    });

    test('upgrade --count applies that many, more than pending applies all; a count below 1 is rejected', async () => {
      await setUp(VERSIONS_ONLY(upstreamFixture(target.createUsers)));
      expect((await upgrade(ctx, { count: 3 })).ok).toBe(true);
      expect(await versions()).toEqual(['1', '2', '3']);
      await upgrade(ctx, { count: 1 });
      expect(await versions()).toEqual(['1', '2', '3', '4']);
      await upgrade(ctx, { count: 20 });
      expect(await count()).toBe(5);
      const again = await upgrade(ctx, { count: 1 });
      expect(again.upToDate).toBe(true);
      await expect(upgrade(ctx, { count: 0 })).rejects.toMatchObject({ code: 'USAGE' });
      await expect(upgrade(ctx, { count: -1 })).rejects.toMatchObject({ code: 'USAGE' });
      await expect(upgrade(ctx, { count: 1, toVersion: '2' })).rejects.toMatchObject({ code: 'USAGE' });
    });

    test('upgrade --to-version stops at that version; one that is not pending fails', async () => {
      await setUp(VERSIONS_ONLY(upstreamFixture(target.createUsers)));
      expect((await upgrade(ctx, { toVersion: '2' })).ok).toBe(true);
      expect(await versions()).toEqual(['1', '2']);
      const missing = await upgrade(ctx, { toVersion: '1.5' });
      expect(missing.ok).toBe(false);
      expect(missing.error?.message).toContain(
        "The specified to_version '1.5' does not exist among pending migrations.",
      );
    });

    test('a dry run is read-only: no table, no lock, no write', async () => {
      await setUp(upstreamFixture(target.createUsers));
      const report = await upgrade(ctx, { dryRun: true });
      expect(report.ok).toBe(true);
      expect(report.preview.map((p) => [p.filename, p.statements.length])).toEqual([
        ['V1__m1.sql', 1],
        ['V2__m2.sql', 1],
        ['V3__m3.sql', 1],
        ['V4__m4.sql', 1],
        ['V21__mi21.sql', 1],
        ['RA__ra.sql', 1],
        ['ROC__roc.sql', 1],
      ]);
      expect(await tableNames()).toBe(false);
      expect((await lockStatus(ctx)).locked).toBe(false);
      const rb = await rollback(ctx, { dryRun: true });
      expect(rb.targets).toEqual([]);
      expect(await tableNames()).toBe(false);
    });

    test('read-only commands run in sessions that refuse writes where the database can enforce it', async () => {
      await setUp(VERSIONS_ONLY(upstreamFixture(target.createUsers)));
      await upgrade(ctx, { count: 1 });
      const conn = await dialect.connect({ readOnly: true });
      try {
        const write = conn.execute('CREATE TABLE read_only_probe (id INT)');
        if (target.readOnlySessions) await expect(write).rejects.toThrow();
        else await write.catch(() => undefined);
        expect(await conn.query('SELECT version FROM jetbase_migrations')).toHaveLength(1);
      } finally {
        await conn.close();
      }
      expect((await status(ctx)).plan.pendingVersioned).toHaveLength(4);
    });

    test('missing, out-of-order, duplicate and drifted files block the upgrade, all reported at once; skip flags', async () => {
      await setUp(VERSIONS_ONLY(upstreamFixture(target.createUsers)));
      await upgrade(ctx, { count: 3 });
      project.remove('V2__m2.sql');
      project.write('V1_5__m1_5.sql', 'SELECT 1;');
      project.write('V3__m3.sql', "INSERT INTO users (name) VALUES ('changed');");
      const report = await upgrade(ctx);
      expect(report.ok).toBe(false);
      expect(report.error).toBeInstanceOf(ValidationError);
      expect(
        report.plan.problems
          .filter((p) => p.severity === 'error')
          .map((p) => p.kind)
          .sort(),
      ).toEqual(['checksum-mismatch', 'missing-file', 'out-of-order']);
      expect(await count()).toBe(3);
      expect(await isLocked()).toBe(false);
      // skip-validation applies the rest; the lower file is listed as skipped, not run.
      const skipped = await upgrade(ctx, { skipValidation: true });
      expect(skipped.ok).toBe(true);
      expect(skipped.plan.skippedOutOfOrder.map((f) => f.filename)).toEqual(['V1_5__m1_5.sql']);
      expect(await versions()).toEqual(['1', '2', '3', '4', '21']);
    });

    test('duplicate versions are never skippable', async () => {
      await setUp({
        ...VERSIONS_ONLY(upstreamFixture(target.createUsers)),
        'V2__duplicate_m2.sql': 'SELECT 1;',
      });
      await expect(upgrade(ctx, { skipValidation: true })).rejects.toThrow(
        'Duplicate migration version detected: 2',
      );
      await expect(rollback(ctx)).rejects.toBeInstanceOf(ValidationError);
      // Name problems need no database: nothing was written, not even the tables.
      expect(await tableNames()).toBe(false);
    });

    test('a drifted checksum blocks the upgrade; --skip-checksum-validation proceeds', async () => {
      await setUp(VERSIONS_ONLY(upstreamFixture(target.createUsers)));
      await upgrade(ctx, { count: 3 });
      project.write('V2__m2.sql', "INSERT INTO users (name) VALUES ('rewritten');");
      expect((await upgrade(ctx)).error?.message).toContain('Checksum mismatch for version 2');
      expect((await upgrade(ctx, { skipChecksumValidation: true })).ok).toBe(true);
      expect(await count()).toBe(5);
    });

    test('repeatables: ROC re-runs only when changed, RA every time, rows keep order_executed', async () => {
      await setUp(upstreamFixture(target.createUsers));
      await upgrade(ctx);
      const before = await rows(
        "SELECT filename, applied_at, order_executed FROM jetbase_migrations WHERE migration_type <> 'VERSIONED' ORDER BY filename",
      );
      await sleep(20);
      const second = await upgrade(ctx);
      expect(second.outcomes.map((o) => o.filename)).toEqual(['RA__ra.sql']);
      let after = await rows(
        "SELECT filename, applied_at, order_executed FROM jetbase_migrations WHERE migration_type <> 'VERSIONED' ORDER BY filename",
      );
      expect(String(after[0]!.applied_at) > String(before[0]!.applied_at)).toBe(true); // RA
      expect(after[1]!.applied_at).toEqual(before[1]!.applied_at); // ROC unchanged
      await sleep(20);
      project.write('ROC__roc.sql', "INSERT INTO users (name) VALUES ('on change mike 2');");
      const third = await upgrade(ctx);
      expect(third.outcomes.map((o) => o.filename)).toEqual(['RA__ra.sql', 'ROC__roc.sql']);
      after = await rows(
        "SELECT filename, applied_at, order_executed, checksum FROM jetbase_migrations WHERE migration_type <> 'VERSIONED' ORDER BY filename",
      );
      expect(String(after[1]!.applied_at) > String(before[1]!.applied_at)).toBe(true);
      expect(after.map((r) => Number(r.order_executed))).toEqual(before.map((r) => Number(r.order_executed)));
      expect(await count()).toBe(7);
    });

    test('rollback: count, to-version (exclusive), dry run', async () => {
      await setUp(upstreamFixture(target.createUsers));
      await upgrade(ctx);
      let report = await rollback(ctx);
      expect(report.outcomes.map((o) => [o.filename, o.status])).toEqual([['V21__mi21.sql', 'rolled-back']]);
      expect(await count()).toBe(6);
      report = await rollback(ctx, { dryRun: true, count: 2 });
      expect(report.preview.map((p) => [p.filename, p.statements])).toEqual([
        ['V4__m4.sql', ["DELETE FROM users WHERE name = 'mike4'"]],
        ['V3__m3.sql', ["DELETE FROM users WHERE name = 'mike3'"]],
      ]);
      expect(await count()).toBe(6);
      report = await rollback(ctx, { toVersion: '2' });
      expect(report.targets).toEqual(['4', '3']);
      expect(await versions()).toEqual(['1', '2']);
      expect((await rows('SELECT name FROM users ORDER BY id')).map((r) => r.name)).toEqual([
        'mike2',
        'always mike',
        'on change mike',
      ]);
      await expect(rollback(ctx, { toVersion: '1.5' })).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
      await expect(rollback(ctx, { count: 0 })).rejects.toMatchObject({ code: 'USAGE' });
      expect(await isLocked()).toBe(false);
    });

    test('a target without its file stops the rollback before anything runs; files never applied are never touched', async () => {
      await setUp(VERSIONS_ONLY(upstreamFixture(target.createUsers)));
      await upgrade(ctx);
      project.remove('V21__mi21.sql');
      await expect(rollback(ctx)).rejects.toThrow("Migration file for version '21' not found");
      await expect(rollback(ctx, { count: 3 })).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
      expect(await count()).toBe(5);
      // V3_5 was never applied; rolling back 4 and 3 must not run its rollback section.
      project.write('V21__mi21.sql', upstreamFixture()['V21__mi21.sql']!);
      project.write('V3_5__never.sql', 'SELECT 1;\n-- rollback\nDROP TABLE users;');
      const report = await rollback(ctx, { count: 3 });
      expect(report.outcomes.map((o) => o.filename)).toEqual(['V21__mi21.sql', 'V4__m4.sql', 'V3__m3.sql']);
      expect(await rows('SELECT COUNT(*) AS n FROM users')).toHaveLength(1);
    });

    test('status lists applied and pending; history and current read the rows', async () => {
      await setUp(upstreamFixture(target.createUsers));
      let s = await status(ctx);
      expect(s.tableExists).toBe(false);
      expect(s.plan.pendingVersioned).toHaveLength(5);
      expect(s.plan.runsOnChange.map((p) => p.file.filename)).toEqual(['ROC__roc.sql']);
      expect((await history(ctx)).tableExists).toBe(false);
      expect((await current(ctx)).version).toBeNull();
      await upgrade(ctx, { count: 3 });
      s = await status(ctx);
      expect(s.applied.map((r) => r.version ?? r.migrationType)).toEqual([
        '1',
        '2',
        '3',
        'RUNS_ALWAYS',
        'RUNS_ON_CHANGE',
      ]);
      expect(s.plan.pendingVersioned.map((p) => p.file.filename)).toEqual(['V4__m4.sql', 'V21__mi21.sql']);
      expect(s.plan.runsAlways).toHaveLength(1);
      expect(s.plan.runsOnChange).toHaveLength(0);
      project.write('ROC__roc.sql', 'SELECT 2;');
      expect((await status(ctx)).plan.runsOnChange.map((p) => p.reason)).toEqual(['changed']);
      const h = await history(ctx);
      expect(h.rows.map((r) => r.filename)).toEqual([
        'V1__m1.sql',
        'V2__m2.sql',
        'V3__m3.sql',
        'RA__ra.sql',
        'ROC__roc.sql',
      ]);
      expect((await current(ctx)).version).toBe('3');
    });

    test('lock-status and unlock; without tables the lock reads UNLOCKED', async () => {
      await setUp(VERSIONS_ONLY(upstreamFixture(target.createUsers)));
      expect((await lockStatus(ctx)).locked).toBe(false);
      expect((await unlock(ctx)).touchedDatabase).toBe(false);
      await upgrade(ctx);
      expect((await lockStatus(ctx)).locked).toBe(false);
      const conn = await dialect.connect();
      await conn.execute(
        `UPDATE jetbase_lock SET is_locked = ${dialect.sql.true}, locked_at = ${dialect.sql.now}, process_id = 'someone-else' WHERE id = 1`,
      );
      await conn.close();
      const held = await lockStatus(ctx);
      expect(held).toMatchObject({ locked: true, processId: 'someone-else' });
      expect(held.lockedAt).toMatch(/^\d{4}-\d{2}-\d{2} /);
      // Never release a lock that is not ours.
      expect(await releaseLockOf(ctx, 'not-the-holder')).toBe(false);
      expect(await isLocked()).toBe(true);
      project.write('V30__more.sql', 'SELECT 1;');
      await expect(upgrade(ctx)).rejects.toBeInstanceOf(LockHeldError);
      await expect(upgrade(ctx)).rejects.toThrow('Migration lock is already held by another process.');
      expect(await count()).toBe(5);
      expect(await unlock(ctx)).toMatchObject({ touchedDatabase: true, wasLocked: true });
      expect(await isLocked()).toBe(false);
    });

    test('lock timeout: a second runner waits for the holder, then finds nothing left to do', async () => {
      await setUp(VERSIONS_ONLY(upstreamFixture(target.createUsers)));
      await upgrade(ctx, { count: 1 });
      const conn = await dialect.connect();
      await conn.execute(
        `UPDATE jetbase_lock SET is_locked = ${dialect.sql.true}, locked_at = ${dialect.sql.now}, process_id = 'holder' WHERE id = 1`,
      );
      const events: string[] = [];
      const waiting = upgrade({ ...ctx, lockTimeoutMs: 20_000, onEvent: (e) => events.push(e.type) });
      await sleep(400);
      expect(await count()).toBe(1);
      await conn.execute(
        `UPDATE jetbase_lock SET is_locked = ${dialect.sql.false}, locked_at = NULL, process_id = NULL WHERE id = 1 AND process_id = 'holder'`,
      );
      await conn.close();
      const report = await waiting;
      expect(report.ok).toBe(true);
      expect(report.lockWaitMs).toBeGreaterThan(0);
      expect(events).toContain('waiting-for-lock');
      expect(await count()).toBe(5);
      expect(await isLocked()).toBe(false);
    });

    test('a missing lock row is created, not reported as held', async () => {
      await setUp(VERSIONS_ONLY(upstreamFixture(target.createUsers)));
      await upgrade(ctx, { count: 1 });
      await rows('DELETE FROM jetbase_lock').catch(() => undefined);
      const conn = await dialect.connect();
      await conn.execute('DELETE FROM jetbase_lock');
      await conn.close();
      expect((await upgrade(ctx)).ok).toBe(true);
      expect(await count()).toBe(5);
    });

    test('failure mid-migration: its statements and row roll back where DDL is transactional; earlier files stay; lock released', async () => {
      await setUp({
        'V1__m1.sql': target.createUsers,
        'V2__m2.sql': "INSERT INTO users (name) VALUES ('two');",
        'V3__bad.sql':
          "CREATE TABLE side_effect (id INT);\nINSERT INTO users (name) VALUES ('three');\nINSERT INTO no_such_table VALUES (1);\n",
        'V4__m4.sql': "INSERT INTO users (name) VALUES ('four');",
      });
      const report = await upgrade(ctx);
      expect(report.ok).toBe(false);
      expect(report.error).toBeInstanceOf(MigrationError);
      const error = report.error as MigrationError;
      expect(error.message).toContain('migrations/V3__bad.sql, statement 3');
      expect(error.message).toContain('INSERT INTO no_such_table VALUES (1)');
      expect(report.outcomes.map((o) => [o.filename, o.status])).toEqual([
        ['V1__m1.sql', 'applied'],
        ['V2__m2.sql', 'applied'],
        ['V3__bad.sql', 'failed'],
      ]);
      expect(await versions()).toEqual(['1', '2']);
      expect(await isLocked()).toBe(false);
      const names = (await rows('SELECT name FROM users ORDER BY id')).map((r) => r.name);
      const sideEffect = await rows('SELECT COUNT(*) AS n FROM side_effect').then(
        () => true,
        () => false,
      );
      if (target.transactionalDdl) {
        expect(names).toEqual(['two']);
        expect(sideEffect).toBe(false);
        expect(error.message).toContain('rolled back');
      } else {
        // Say plainly what stays committed and that no history row was written.
        expect(sideEffect).toBe(true);
        expect(error.committedStatements).toEqual([
          'CREATE TABLE side_effect (id INT)',
          "INSERT INTO users (name) VALUES ('three')",
        ]);
        expect(error.message).toContain('2 earlier statements of this file were already committed');
        expect(error.message).toContain('No history row was written for migrations/V3__bad.sql');
      }
    });

    test('failure in a file of plain DML rolls the whole file back wherever transactions exist', async () => {
      await setUp({
        'V1__m1.sql': target.createUsers,
        'V2__dml.sql':
          "INSERT INTO users (name) VALUES ('a');\nUPDATE users SET name = 'b' WHERE name = 'a';\nINSERT INTO no_such_table VALUES (1);\n",
      });
      const report = await upgrade(ctx);
      const error = report.error as MigrationError;
      expect(error).toBeInstanceOf(MigrationError);
      expect(await versions()).toEqual(['1']);
      const names = (await rows('SELECT name FROM users')).map((r) => r.name);
      if (target.supportsTransactions === false) {
        expect(names).toEqual(['b']);
        expect(error.committedStatements).toHaveLength(2);
      } else {
        expect(names).toEqual([]);
        expect(error.committedStatements).toEqual([]);
        expect(error.message).toContain("The migration's transaction was rolled back");
      }
      expect(await isLocked()).toBe(false);
    });

    test('validate-checksums reports and --fix repairs; fix-files forgets missing files; fix does both', async () => {
      await setUp(VERSIONS_ONLY(upstreamFixture(target.createUsers)));
      expect((await validateChecksums(ctx)).nothingApplied).toBe(true);
      await upgrade(ctx);
      project.write('V2__m2.sql', "INSERT INTO users (name) VALUES ('m2 edited');");
      project.write('V3__m3.sql', "INSERT INTO users (name) VALUES ('m3 edited');");
      const audit = await validateChecksums(ctx);
      expect(audit.mismatches.map((m) => m.version)).toEqual(['2', '3']);
      const fixed = await validateChecksums(ctx, { fix: true });
      expect(fixed.repaired).toEqual(['2', '3']);
      const stored = await rows("SELECT checksum FROM jetbase_migrations WHERE version = '2'");
      expect(stored[0]!.checksum).toBe(
        checksumOfStatements(["INSERT INTO users (name) VALUES ('m2 edited')"]),
      );
      expect((await validateChecksums(ctx)).mismatches).toEqual([]);

      project.remove('V2__m2.sql');
      expect((await upgrade(ctx)).ok).toBe(false);
      expect((await validateFiles(ctx)).missingVersions).toEqual(['2']);
      expect(await count()).toBe(5);
      const ff = await validateFiles(ctx, { fix: true });
      expect(ff.removedVersions).toEqual(['2']);
      expect(await versions()).toEqual(['1', '3', '4', '21']);
      expect((await upgrade(ctx)).ok).toBe(true);

      project.remove('V4__m4.sql');
      project.write('V3__m3.sql', 'SELECT 3;');
      const all = await fixAll(ctx);
      expect(all.files.removedVersions).toEqual(['4']);
      expect(all.checksums.repaired).toEqual(['3']);
      expect((await status(ctx)).ok).toBe(true);
      expect(await isLocked()).toBe(false);
    });

    test('cancellation stops at a safe point and releases the lock', async () => {
      await setUp(VERSIONS_ONLY(upstreamFixture(target.createUsers)));
      const controller = new AbortController();
      const report = await upgrade({
        ...ctx,
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'migration-finished' && e.outcome.filename === 'V2__m2.sql') controller.abort();
        },
      });
      expect(report.ok).toBe(false);
      expect(report.error).toBeInstanceOf(CancelledError);
      expect(await versions()).toEqual(['1', '2']);
      expect(await isLocked()).toBe(false);
    });

    test("Python Jetbase's integration sequence of upgrades and rollbacks gives the expected row counts", async () => {
      const files: Record<string, string> = { 'V1__create.sql': target.createUsers };
      for (let v = 2; v <= 8; v++)
        files[`V${v}__add.sql`] =
          `INSERT INTO users (name) VALUES ('u${v}a');\nINSERT INTO users (name) VALUES ('u${v}b');\n-- rollback\nDELETE FROM users WHERE name LIKE 'u${v}%';`;
      files['V1__create.sql'] =
        `${target.createUsers}\nINSERT INTO users (name) VALUES ('u1');\n-- rollback\nDROP TABLE users;`;
      await setUp(files);
      const users = async () => Number(Object.values((await rows('SELECT COUNT(*) AS n FROM users'))[0]!)[0]);
      expect((await rollback(ctx)).targets).toEqual([]);
      expect((await current(ctx)).version).toBeNull();
      expect((await history(ctx)).rows).toEqual([]);
      await upgrade(ctx, { dryRun: true });
      await expect(rows('SELECT COUNT(*) AS n FROM users')).rejects.toThrow(); // the dry run created nothing
      await upgrade(ctx, { count: 2 });
      expect(await users()).toBe(3);
      await upgrade(ctx, { toVersion: '5' });
      expect(await users()).toBe(9);
      await upgrade(ctx);
      expect(await users()).toBe(15);
      await rollback(ctx, { dryRun: true });
      expect(await users()).toBe(15);
      await rollback(ctx, { count: 2 });
      expect(await users()).toBe(11);
      await rollback(ctx);
      expect(await users()).toBe(9);
      await rollback(ctx, { toVersion: '2' });
      expect(await users()).toBe(3);
      expect((await current(ctx)).version).toBe('2');
    });

    test('errors are JetbaseErrors with a stable code', async () => {
      await setUp({ 'V1__x.sql': 'SELECT 1;' });
      await expect(rollback(ctx, { count: 1, toVersion: '1' })).rejects.toBeInstanceOf(JetbaseError);
    });
  });
}

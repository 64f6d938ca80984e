/**
 * SQLite's file lock is not Jetbase's lock: while another runner is inside a long migration it
 * holds the file's write lock longer than the driver's busy timeout (5 s). A runner told to wait
 * for the lock must keep waiting on Jetbase's lock row instead of failing on "database is locked".
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { upgrade } from '../../src/engine/index.js';
import { dialectFor, queryRows, sqliteTarget } from '../helpers/databases.js';
import { makeProject } from '../helpers/project.js';

test('a waiting runner outlasts the busy timeout of a long migration in another connection', async () => {
  const target = sqliteTarget();
  const project = makeProject({
    'V1__a.sql': 'CREATE TABLE a (id INT);',
    'V2__b.sql': 'INSERT INTO a VALUES (2);',
  });
  try {
    const { dialect } = await dialectFor(target, await target.fresh(), project.jetbaseDir);
    expect((await upgrade({ jetbaseDir: project.jetbaseDir, dialect }, { count: 1 })).ok).toBe(true);

    // Another runner: holds the lock row and, mid-migration, the file's write lock for 6.5 s.
    const other = await dialect.connect();
    await other.execute("UPDATE jetbase_lock SET is_locked = 1, process_id = 'other' WHERE id = 1");
    await other.execute('BEGIN IMMEDIATE');
    const finishOther = (async () => {
      await sleep(6500);
      await other.execute('COMMIT');
      await other.execute(
        "UPDATE jetbase_lock SET is_locked = 0, locked_at = NULL, process_id = NULL WHERE process_id = 'other'",
      );
      await other.close();
    })();

    const report = await upgrade({ jetbaseDir: project.jetbaseDir, dialect, lockTimeoutMs: 30_000 });
    await finishOther;
    expect(report.error?.message).toBeUndefined();
    expect(report.outcomes.map((o) => o.filename)).toEqual(['V2__b.sql']);
    expect(report.lockWaitMs).toBeGreaterThan(5000);
    expect(await queryRows(dialect, 'SELECT is_locked FROM jetbase_lock')).toEqual([{ is_locked: 0 }]);
  } finally {
    project.cleanup();
  }
}, 30_000);

test('read-only commands on a SQLite file that does not exist create no file', async () => {
  const { existsSync } = await import('node:fs');
  const { status, current, history } = await import('../../src/engine/index.js');
  const target = sqliteTarget();
  const project = makeProject({ 'V1__a.sql': 'CREATE TABLE a (id INT);' });
  try {
    const url = await target.fresh();
    const file = url.slice('sqlite:///'.length);
    const { dialect } = await dialectFor(target, url, project.jetbaseDir);
    const ctx = { jetbaseDir: project.jetbaseDir, dialect };
    expect((await status(ctx)).plan.pendingVersioned).toHaveLength(1);
    expect((await current(ctx)).version).toBeNull();
    expect((await history(ctx)).tableExists).toBe(false);
    expect((await upgrade(ctx, { dryRun: true })).preview).toHaveLength(1);
    expect(existsSync(file)).toBe(false);
  } finally {
    project.cleanup();
  }
});

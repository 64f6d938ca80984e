/**
 * SIGINT during a SQLite upgrade: the SQLite drivers are synchronous, so the engine must give the
 * signal handler a turn between statements; the run stops at a safe point, exits 130 and leaves
 * the lock free with only whole migrations recorded.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeProject } from '../helpers/project.js';
import { assertBuilt, startJetbase } from './run-cli.js';

// About a second of work in SQLite, no sleep function needed.
const BURN =
  'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT COUNT(*) FROM n;';

test('SIGINT mid-upgrade stops between migrations, exits 130 and releases the lock', async () => {
  assertBuilt();
  const files: Record<string, string> = {};
  for (let v = 1; v <= 6; v++) files[`V${v}__slow.sql`] = `CREATE TABLE t${v} (id INT);\n${BURN}`;
  const project = makeProject(files);
  try {
    const run = startJetbase(['upgrade', '--dir', project.jetbaseDir], {
      cwd: project.root,
      env: { JETBASE_SQLALCHEMY_URL: 'sqlite:///db.sqlite' },
    });
    // Wait until the first migration has finished, then interrupt.
    for (let i = 0; i < 200 && !run.stdout().includes('V1__slow.sql'); i++) await sleep(50);
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code).toBe(130);
    const db = new Database(path.join(project.jetbaseDir, 'db.sqlite'), { readonly: true });
    const applied = db
      .prepare("SELECT version FROM jetbase_migrations WHERE migration_type = 'VERSIONED'")
      .all() as Array<{ version: string }>;
    const lock = db.prepare('SELECT is_locked, process_id FROM jetbase_lock').get();
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't%'")
      .all() as Array<{ name: string }>;
    db.close();
    expect(applied.length).toBeGreaterThanOrEqual(1);
    expect(applied.length).toBeLessThan(6);
    // Only whole migrations: every recorded version has its table and no table is unrecorded.
    expect(tables.map((t) => t.name).sort()).toEqual(applied.map((a) => `t${a.version}`).sort());
    expect(lock).toEqual({ is_locked: 0, process_id: null });
  } finally {
    project.cleanup();
  }
}, 60_000);

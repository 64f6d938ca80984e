/**
 * Eight runners (separate `jetbase` processes) race to apply 50 migrations to one database: the
 * lock row must make every migration apply exactly once, every runner must end cleanly (it waited
 * for the lock, then found nothing to do), and the lock must be free at the end.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  MYSQL_URL,
  PG_URL,
  dialectFor,
  mysqlTarget,
  postgresTarget,
  queryRows,
  sqliteTarget,
  type TestTarget,
} from '../helpers/databases.js';
import { makeProject } from '../helpers/project.js';

const CLI = path.resolve('bin/jetbase.js');
const RUNNERS = 8;
const MIGRATIONS = 50;

interface RunnerResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<RunnerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const targets: TestTarget[] = [sqliteTarget()];
if (PG_URL) targets.push(postgresTarget(PG_URL));
if (MYSQL_URL) targets.push(mysqlTarget(MYSQL_URL));

describe.each(targets)('$name: 8 runners × 50 migrations', (target) => {
  test('each migration is applied exactly once and the lock ends free', async () => {
    expect(existsSync(path.resolve('lib/bundle/index.js'))).toBe(true); // npm test builds lib/ first
    const files: Record<string, string> = {
      'V1__counter.sql': 'CREATE TABLE applied_once (version INT NOT NULL);',
    };
    for (let v = 2; v <= MIGRATIONS; v++)
      files[`V${v}__step.sql`] = `INSERT INTO applied_once (version) VALUES (${v});`;
    const project = makeProject(files);
    try {
      const url = await target.fresh();
      const runners = Array.from({ length: RUNNERS }, () =>
        runCli(['upgrade', '--dir', project.jetbaseDir, '--lock-timeout', '120', '--json'], {
          JETBASE_SQLALCHEMY_URL: url,
        }),
      );
      const results = await Promise.all(runners);
      for (const result of results) {
        expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
      }
      const reports = results.map(
        (r) => JSON.parse(r.stdout) as { ok: boolean; outcomes: Array<{ filename: string; status: string }> },
      );
      expect(reports.every((r) => r.ok)).toBe(true);
      const appliedByRunners = reports.flatMap((r) =>
        r.outcomes.filter((o) => o.status === 'applied').map((o) => o.filename),
      );
      expect(appliedByRunners).toHaveLength(MIGRATIONS);
      expect(new Set(appliedByRunners).size).toBe(MIGRATIONS);

      const { dialect } = await dialectFor(target, url, project.jetbaseDir);
      const history = await queryRows(
        dialect,
        "SELECT version FROM jetbase_migrations WHERE migration_type = 'VERSIONED'",
      );
      expect(history).toHaveLength(MIGRATIONS);
      const effects = await queryRows(
        dialect,
        'SELECT version, COUNT(*) AS n FROM applied_once GROUP BY version HAVING COUNT(*) > 1',
      );
      expect(effects).toEqual([]);
      const total = await queryRows(dialect, 'SELECT COUNT(*) AS n FROM applied_once');
      expect(Number(Object.values(total[0]!)[0])).toBe(MIGRATIONS - 1);
      const lock = await queryRows(dialect, 'SELECT is_locked, process_id FROM jetbase_lock WHERE id = 1');
      expect([false, 0, '0'].includes(lock[0]!.is_locked as never)).toBe(true);
      expect(lock[0]!.process_id).toBeNull();
    } finally {
      project.cleanup();
    }
  });
});

/**
 * R2 concurrency: 8 runners (separate `jetbase` processes) race to apply 50 migrations to one
 * database, as __tests__/dialects/concurrency.test.ts does; repeated for several rounds on
 * PostgreSQL and MariaDB. Every migration must be applied exactly once (history, effects and the
 * runners' own reports agree), every runner must exit 0, and the lock must end free.
 */
import { createDialect } from '../src/dialects/registry.js';
import { parseDatabaseUrl } from '../src/config/url.js';
import { jetbase } from '../__tests__/cli/run-cli.js';
import {
  MYSQL_URL,
  PG_URL,
  mysqlTarget,
  postgresTarget,
  queryRows,
  type TestTarget,
} from '../__tests__/helpers/databases.js';
import { makeProject } from '../__tests__/helpers/project.js';
import { deadline, recordFigure, sized } from './helpers/figures.js';

const RUNNERS = 8;
const MIGRATIONS = 50;
const ROUNDS = sized(3, 20);

interface Round {
  readonly exactlyOnce: boolean;
  readonly runnersOk: number;
  readonly lockFree: boolean;
}

async function round(target: TestTarget, jetbaseDir: string, root: string): Promise<Round> {
  const url = await target.fresh();
  const results = await Promise.all(
    Array.from({ length: RUNNERS }, () =>
      jetbase(['upgrade', '--dir', jetbaseDir, '--lock-timeout', '120', '--json'], {
        cwd: root,
        env: { JETBASE_SQLALCHEMY_URL: url },
      }),
    ),
  );
  for (const result of results.filter((r) => r.code !== 0))
    process.stderr.write(`R2: a runner exited ${result.code}:\n${result.stderr}\n`);
  const applied = results.flatMap((result) => {
    if (result.code !== 0) return [];
    const report = JSON.parse(result.stdout) as { outcomes: Array<{ filename: string; status: string }> };
    return report.outcomes.filter((o) => o.status === 'applied').map((o) => o.filename);
  });
  const dialect = await createDialect(parseDatabaseUrl(url), { baseDir: jetbaseDir });
  const history = await queryRows(
    dialect,
    "SELECT version FROM jetbase_migrations WHERE migration_type = 'VERSIONED'",
  );
  const effects = await queryRows(dialect, 'SELECT version FROM applied_once');
  const effectVersions = new Set(effects.map((row) => Number(row.version)));
  const lock = await queryRows(dialect, 'SELECT is_locked, process_id FROM jetbase_lock WHERE id = 1');
  return {
    exactlyOnce:
      applied.length === MIGRATIONS &&
      new Set(applied).size === MIGRATIONS &&
      history.length === MIGRATIONS &&
      new Set(history.map((row) => String(row.version))).size === MIGRATIONS &&
      effects.length === MIGRATIONS - 1 &&
      effectVersions.size === MIGRATIONS - 1,
    runnersOk: results.filter((result) => result.code === 0).length,
    lockFree: [false, 0, '0'].includes(lock[0]?.is_locked as never) && lock[0]?.process_id === null,
  };
}

const targets: Array<[string, TestTarget | undefined]> = [
  ['postgresql', PG_URL ? postgresTarget(PG_URL) : undefined],
  ['mariadb', MYSQL_URL ? mysqlTarget(MYSQL_URL) : undefined],
];

describe('concurrent runners apply every migration exactly once and leave the lock free (R2)', () => {
  test.each(targets)('%s', async (name, target) => {
    if (target === undefined) {
      recordFigure({
        id: `R2 ${name}`,
        ok: false,
        text: `R2 concurrency on ${name}: not run (no test database URL)`,
      });
      return;
    }
    const files: Record<string, string> = {
      'V1__counter.sql': 'CREATE TABLE applied_once (version INT NOT NULL);',
    };
    for (let v = 2; v <= MIGRATIONS; v++)
      files[`V${v}__step.sql`] = `INSERT INTO applied_once (version) VALUES (${v});`;
    const project = makeProject(files);
    const rounds: Round[] = [];
    const timeUp = deadline(sized(3, 10) * 60_000);
    try {
      while (rounds.length < ROUNDS && !timeUp())
        rounds.push(await round(target, project.jetbaseDir, project.root));
    } finally {
      project.cleanup();
    }
    const once = rounds.filter((r) => r.exactlyOnce).length;
    const runnersOk = rounds.reduce((sum, r) => sum + r.runnersOk, 0);
    const lockFree = rounds.filter((r) => r.lockFree).length;
    const ok =
      rounds.length === ROUNDS && once === ROUNDS && runnersOk === ROUNDS * RUNNERS && lockFree === ROUNDS;
    recordFigure({
      id: `R2 ${name}`,
      ok,
      text:
        `R2 concurrency: ${RUNNERS} runners × ${MIGRATIONS} migrations on ${name}, ${rounds.length} round${rounds.length === 1 ? '' : 's'}: ` +
        `each applied exactly once in ${once}/${rounds.length}, runners exited 0 ${runnersOk}/${rounds.length * RUNNERS}, lock free after ${lockFree}/${rounds.length}`,
    });
    expect(ok).toBe(true);
  });
});

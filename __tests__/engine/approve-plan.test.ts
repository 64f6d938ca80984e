/**
 * The upgrade's approval hook on a real SQLite database: it sees the plan picked under the lock
 * and can stop the run before the first file, with nothing applied.
 */
import { JetbaseError, upgrade, executionOrder, type Plan } from '../../src/engine/index.js';
import { dialectFor, queryRows, sqliteTarget } from '../helpers/databases.js';
import { makeProject } from '../helpers/project.js';

async function setup(files: Record<string, string>) {
  const project = makeProject(files);
  const target = sqliteTarget();
  const { dialect } = await dialectFor(target, await target.fresh(), project.jetbaseDir);
  return { project, dialect, ctx: { jetbaseDir: project.jetbaseDir, dialect } };
}

const FILES = {
  'V1__users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n',
  'V2__email.sql': 'ALTER TABLE users ADD COLUMN email TEXT;\n',
};

test('a refused plan applies nothing and the report carries the refusal', async () => {
  const { project, dialect, ctx } = await setup(FILES);
  const seen: string[][] = [];
  const report = await upgrade(ctx, {
    approvePlan: (plan: Plan) => {
      seen.push(executionOrder(plan).map((p) => p.file.filename));
      return new JetbaseError('PLAN_NOT_REVIEWED', 'not the reviewed plan');
    },
  });
  expect(seen).toEqual([['V1__users.sql', 'V2__email.sql']]);
  expect(report.ok).toBe(false);
  expect(report.error?.code).toBe('PLAN_NOT_REVIEWED');
  expect(report.outcomes).toEqual([]);
  expect(await queryRows(dialect, 'SELECT * FROM jetbase_migrations')).toEqual([]);
  expect(await queryRows(dialect, "SELECT name FROM sqlite_master WHERE name = 'users'")).toEqual([]);
  // The lock was released: the next run proceeds.
  expect((await upgrade(ctx)).outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
  project.cleanup();
});

test('an approved plan runs, and an empty plan is shown to the hook as well', async () => {
  const { project, ctx } = await setup(FILES);
  let calls = 0;
  const approvePlan = () => {
    calls++;
    return undefined;
  };
  expect((await upgrade(ctx, { approvePlan })).outcomes).toHaveLength(2);
  const again = await upgrade(ctx, { approvePlan });
  expect(again.upToDate).toBe(true);
  expect(calls).toBe(2);
  const refused = await upgrade(ctx, {
    approvePlan: () => new JetbaseError('PLAN_NOT_REVIEWED', 'nothing to run, but not what was reviewed'),
  });
  expect(refused.ok).toBe(false);
  project.cleanup();
});

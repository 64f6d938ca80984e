/** The plan hash and the comparison of a reviewed plan with the one about to run. */
import { buildPlan, discoverMigrations, status, upgrade, type HistoryRow } from '../../src/engine/index.js';
import { comparePlans, differenceLines, planFingerprint, targetIdentity } from '../../src/run/plan-hash.js';
import { dialectFor, sqliteTarget } from '../helpers/databases.js';
import { makeProject } from '../helpers/project.js';

const PROD = targetIdentity({
  sqlalchemyUrl: 'postgresql://app:s3cret@DB.internal:5432/shop',
  postgresSchema: null,
});

/** The history as the engine writes it: V1 applied to a real SQLite database. */
async function historyWithV1(jetbaseDir: string): Promise<readonly HistoryRow[]> {
  const target = sqliteTarget();
  const { dialect } = await dialectFor(target, await target.fresh(), jetbaseDir);
  await upgrade({ jetbaseDir, dialect }, { count: 1 });
  return (await status({ jetbaseDir, dialect })).plan.history;
}

test('the target identity never holds credentials, and a rotated password is the same target', () => {
  expect(PROD).toEqual({ dialect: 'postgresql', host: 'db.internal:5432', database: 'shop', schema: null });
  const rotated = targetIdentity({
    sqlalchemyUrl: 'postgresql://other:n3w@db.internal:5432/shop',
    postgresSchema: null,
  });
  expect(rotated).toEqual(PROD);
  const project = makeProject({ 'V1__a.sql': 'SELECT 1;\n' });
  const plan = buildPlan(discoverMigrations(project.jetbaseDir), []);
  expect(JSON.stringify(planFingerprint(plan, PROD))).not.toContain('s3cret');
  project.cleanup();
});

test('the hash changes with a file, its statements, the order and the database; comparePlans names each', async () => {
  const project = makeProject({ 'V1__a.sql': 'SELECT 1;\n', 'V2__b.sql': 'SELECT 2;\n' });
  const reviewed = planFingerprint(buildPlan(discoverMigrations(project.jetbaseDir), []), PROD);
  expect(reviewed.hash).toMatch(/^[0-9a-f]{64}$/);
  expect(planFingerprint(buildPlan(discoverMigrations(project.jetbaseDir), []), PROD).hash).toBe(
    reviewed.hash,
  );

  project.write('V2__b.sql', 'SELECT 22;\n');
  project.write('V3__c.sql', 'SELECT 3;\n');
  const discovery = discoverMigrations(project.jetbaseDir);
  const history = await historyWithV1(project.jetbaseDir);
  const now = planFingerprint(buildPlan(discovery, history), PROD);
  expect(now.hash).not.toBe(reviewed.hash);
  const difference = comparePlans(reviewed, now, history)!;
  expect(difference).toMatchObject({
    added: ['migrations/V3__c.sql'],
    removed: [],
    alreadyApplied: ['migrations/V1__a.sql'],
    changed: ['migrations/V2__b.sql'],
    reordered: false,
    target: undefined,
    latestVersion: { reviewed: null, now: '1' },
  });
  expect(differenceLines(difference)).toEqual([
    'Added since the review: migrations/V3__c.sql.',
    'Changed since the review: migrations/V2__b.sql.',
    'The database moved on since the review (latest applied version none then, 1 now); already applied: migrations/V1__a.sql.',
  ]);

  const staging = targetIdentity({
    sqlalchemyUrl: 'postgresql://app@db.internal:5432/staging',
    postgresSchema: null,
  });
  const elsewhere = planFingerprint(buildPlan(discoverMigrations(project.jetbaseDir), history), staging);
  expect(comparePlans(now, elsewhere, history)?.target).toBe(
    'reviewed against postgresql db.internal:5432 / shop, deploying to postgresql db.internal:5432 / staging',
  );
  expect(comparePlans(now, now, history)).toBeUndefined();
  project.cleanup();
});

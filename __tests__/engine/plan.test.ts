import { discoverMigrations } from '../../src/engine/discovery.js';
import type { HistoryRow } from '../../src/engine/history.js';
import { buildPlan, executionOrder, hasErrors } from '../../src/engine/plan.js';
import { makeProject, upstreamFixture, type TestProject } from '../helpers/project.js';

function row(
  order: number,
  file:
    | ReturnType<typeof discoverMigrations>['versioned'][number]
    | { filename: string; type: HistoryRow['migrationType']; checksum: string; version?: string },
): HistoryRow {
  if ('relativePath' in file) {
    return {
      orderExecuted: order,
      version: file.version,
      description: file.description,
      filename: file.filename,
      migrationType: file.type,
      appliedAt: `2026-01-01 00:00:${String(order).padStart(2, '0')}.000`,
      checksum: file.checksum,
    };
  }
  return {
    orderExecuted: order,
    version: file.version ?? null,
    description: 'x',
    filename: file.filename,
    migrationType: file.type,
    appliedAt: `2026-01-01 00:00:${String(order).padStart(2, '0')}.000`,
    checksum: file.checksum,
  };
}

describe('plan: files × history', () => {
  let project: TestProject;
  beforeEach(() => {
    project = makeProject(upstreamFixture());
  });
  afterEach(() => project.cleanup());

  test('nothing applied: all versioned pending in PEP 440 order, then RA, then ROC', () => {
    project.write('release2/V3_5__sub.sql', 'SELECT 35;');
    project.write('README.md', 'not a migration');
    project.write('.gitkeep', '');
    const plan = buildPlan(discoverMigrations(project.jetbaseDir), []);
    expect(plan.problems).toEqual([]);
    expect(executionOrder(plan).map((p) => p.file.filename)).toEqual([
      'V1__m1.sql',
      'V2__m2.sql',
      'V3__m3.sql',
      'V3_5__sub.sql',
      'V4__m4.sql',
      'V21__mi21.sql',
      'RA__ra.sql',
      'ROC__roc.sql',
    ]);
    expect(plan.pendingVersioned[3]!.file.relativePath).toBe('migrations/release2/V3_5__sub.sql');
  });

  test('every problem at once: drift, missing, out-of-order, bad name, duplicate', () => {
    const d0 = discoverMigrations(project.jetbaseDir);
    const history = d0.versioned.slice(0, 4).map((f, i) => row(i + 1, f)); // 1,2,3,4 applied
    history.push(row(5, { filename: 'V21__mi21.sql', type: 'VERSIONED', checksum: 'x', version: '21' }));
    project.write('V3__m3.sql', "INSERT INTO users (name) VALUES ('edited');");
    project.write('V2__m2.sql', "INSERT INTO users (name) VALUES ('edited too');");
    project.remove('V4__m4.sql');
    project.write('V1_5__late.sql', 'SELECT 1;');
    project.write('V7-bad.sql', 'SELECT 1;');
    project.write('V21.0__dup.sql', 'SELECT 1;');
    const plan = buildPlan(discoverMigrations(project.jetbaseDir), history);
    const kinds = plan.problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.kind}:${p.version ?? p.file}`);
    expect(kinds.sort()).toEqual(
      [
        'invalid-filename:migrations/V7-bad.sql',
        'duplicate-version:21',
        'checksum-mismatch:2',
        'checksum-mismatch:3',
        'checksum-mismatch:21',
        'missing-file:4',
        'out-of-order:1.5',
      ].sort(),
    );
    expect(plan.problems.find((p) => p.kind === 'checksum-mismatch')!.fix).toBe('jetbase fix-checksums');
  });

  test('skip flags: out-of-order listed as skipped, never silently dropped', () => {
    const d0 = discoverMigrations(project.jetbaseDir);
    const history = d0.versioned.slice(0, 3).map((f, i) => row(i + 1, f));
    project.write('V1_5__late.sql', 'SELECT 1;');
    project.write('V2__m2.sql', 'SELECT 2;');
    const strict = buildPlan(discoverMigrations(project.jetbaseDir), history);
    expect(hasErrors(strict.problems)).toBe(true);
    const skipped = buildPlan(discoverMigrations(project.jetbaseDir), history, { skipValidation: true });
    expect(hasErrors(skipped.problems)).toBe(false);
    expect(skipped.skippedOutOfOrder.map((f) => f.filename)).toEqual(['V1_5__late.sql']);
    expect(skipped.problems.some((p) => p.kind === 'out-of-order' && p.severity === 'warning')).toBe(true);
    expect(skipped.pendingVersioned.map((p) => p.file.version)).toEqual(['4', '21']);
    const onlyChecksums = buildPlan(discoverMigrations(project.jetbaseDir), history, {
      skipChecksumValidation: true,
    });
    expect(onlyChecksums.problems.filter((p) => p.severity === 'error').map((p) => p.kind)).toEqual([
      'out-of-order',
    ]);
  });

  test('count and to-version limit versioned only, not repeatables', () => {
    const d = discoverMigrations(project.jetbaseDir);
    expect(buildPlan(d, [], { count: 2 }).pendingVersioned.map((p) => p.file.version)).toEqual(['1', '2']);
    expect(buildPlan(d, [], { toVersion: '3' }).pendingVersioned.map((p) => p.file.version)).toEqual([
      '1',
      '2',
      '3',
    ]);
    expect(executionOrder(buildPlan(d, [], { count: 1 })).map((p) => p.file.filename)).toEqual([
      'V1__m1.sql',
      'RA__ra.sql',
      'ROC__roc.sql',
    ]);
    const missing = buildPlan(d, [], { toVersion: '1.5' });
    expect(missing.problems.map((p) => p.message)).toEqual([
      "The specified to_version '1.5' does not exist among pending migrations.",
    ]);
  });

  test('ROC runs when new or changed; RA always; a missing repeatable is an error', () => {
    const d = discoverMigrations(project.jetbaseDir);
    const ra = d.runsAlways[0]!;
    const roc = d.runsOnChange[0]!;
    const history = [
      row(1, { filename: ra.filename, type: 'RUNS_ALWAYS', checksum: ra.checksum }),
      row(2, { filename: roc.filename, type: 'RUNS_ON_CHANGE', checksum: roc.checksum }),
    ];
    let plan = buildPlan(d, history);
    expect(plan.runsOnChange).toEqual([]);
    expect(plan.runsAlways.map((p) => [p.file.filename, p.hasRow])).toEqual([['RA__ra.sql', true]]);
    project.write('ROC__roc.sql', 'SELECT 2;');
    plan = buildPlan(discoverMigrations(project.jetbaseDir), history);
    expect(plan.runsOnChange.map((p) => [p.file.filename, p.reason, p.hasRow])).toEqual([
      ['ROC__roc.sql', 'changed', true],
    ]);
    history.push(row(3, { filename: 'ROC__gone.sql', type: 'RUNS_ON_CHANGE', checksum: 'x' }));
    plan = buildPlan(discoverMigrations(project.jetbaseDir), history);
    expect(plan.problems.map((p) => p.kind)).toEqual(['missing-repeatable']);
  });

  test('unterminated text in a pending file is an error with its line; in an applied file a warning', () => {
    project.write('V30__tail.sql', 'SELECT 1;\nSELECT 2\n');
    let plan = buildPlan(discoverMigrations(project.jetbaseDir), []);
    const problem = plan.problems.find((p) => p.kind === 'unterminated-statement')!;
    expect(problem).toMatchObject({ severity: 'error', file: 'migrations/V30__tail.sql', line: 2 });
    const d = discoverMigrations(project.jetbaseDir);
    plan = buildPlan(
      d,
      d.versioned.map((f, i) => row(i + 1, f)),
    );
    expect(plan.problems.find((p) => p.kind === 'unterminated-statement')!.severity).toBe('warning');
  });

  test('the latest applied version is by applied_at then order_executed, not the highest version', () => {
    const d = discoverMigrations(project.jetbaseDir);
    const [v1, v2, , , v21] = d.versioned;
    const history = [row(1, v1!), row(2, v21!), row(3, v2!)];
    const plan = buildPlan(d, history, { skipFileValidation: true });
    expect(plan.latest!.version).toBe('2');
  });
});

/**
 * The markdown renderer against golden files (__tests__/fixtures/action/golden/*.md). Reports are
 * built from fixture projects and hand-made history, with fixed durations, so the output is stable.
 * A missing golden file is written locally and fails the test under CI; UPDATE_GOLDEN=1 rewrites
 * them all (locally only), see CONTRIBUTING.md.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  buildPlan,
  discoverMigrations,
  executionOrder,
  LockHeldError,
  MigrationError,
  type HistoryRow,
  type MigrationFile,
  type MigrationOutcome,
  type StatusReport,
  type UpgradeReport,
} from '../../src/engine/index.js';
import { codeSpan, escapeText, fencedBlock } from '../../src/report/escape.js';
import { COMMENT_MAX_LENGTH, renderMarkdown } from '../../src/report/markdown.js';
import type { RunContext, RunReport } from '../../src/report/run-report.js';
import type { OfflineReport } from '../../src/run/index.js';
import { goldenText } from '../helpers/golden.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/action');
const CLEAN = path.join(FIXTURES, 'projects/clean/jetbase');
const BROKEN = path.join(FIXTURES, 'projects/broken/jetbase');

function golden(name: string, actual: string): void {
  const file = path.join(FIXTURES, 'golden', `${name}.md`);
  expect(actual).toBe(goldenText(file, actual));
}

const context: RunContext = {
  directory: 'db/jetbase',
  environment: 'production',
  command: 'validate',
  trigger: 'pull_request #12',
  blobBase: 'https://github.com/acme/shop/blob/4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b/',
  runUrl: 'https://github.com/acme/shop/actions/runs/4242',
};
const TARGET = 'postgresql://app@db.internal:5432/shop';

function row(file: MigrationFile, order: number, checksum = file.checksum): HistoryRow {
  return {
    orderExecuted: order,
    version: file.version,
    description: file.description,
    filename: file.filename,
    migrationType: file.type,
    appliedAt: `2026-01-0${order} 10:00:00.000000`,
    checksum,
  };
}

const clean = discoverMigrations(CLEAN);
const [v1, v2, v3] = clean.versioned as [MigrationFile, MigrationFile, MigrationFile];
const roc = clean.runsOnChange[0]!;

function statusReport(historyRows: HistoryRow[]): StatusReport {
  const plan = buildPlan(clean, historyRows);
  return {
    command: 'status',
    target: TARGET,
    tableExists: true,
    applied: historyRows,
    plan,
    problems: plan.problems,
    currentVersion: plan.latest?.version ?? null,
    ok: !plan.problems.some((p) => p.severity === 'error'),
    durationMs: 412,
  };
}

function outcome(
  file: MigrationFile,
  status: MigrationOutcome['status'],
  durationMs: number,
  failure?: MigrationError,
): MigrationOutcome {
  return {
    filename: file.filename,
    relativePath: file.relativePath,
    type: file.type,
    version: file.version,
    description: file.description,
    checksum: file.checksum,
    direction: 'upgrade',
    status,
    statements: status === 'failed' ? [] : file.upgradeStatements,
    durationMs,
    ...(failure ? { failure } : {}),
  };
}

test('status with pending files, a changed ROC file and the SQL', () => {
  const report: RunReport = { context, outcome: statusReport([row(v1, 1), row(roc, 2, 'stale-checksum')]) };
  golden('status-pending', renderMarkdown(report));
});

test('status with drift: a changed applied file and a missing one, each with its fix', () => {
  const missing: HistoryRow = {
    ...row(v1, 3),
    version: '0.9',
    filename: 'V0_9__old.sql',
    description: 'old',
  };
  const report: RunReport = {
    context,
    outcome: statusReport([row(v1, 1, 'not-the-checksum'), row(v2, 2), missing]),
  };
  golden('status-drift', renderMarkdown(report));
});

test('an upgrade with per-migration timing', () => {
  const plan = buildPlan(clean, [row(v1, 1)]);
  const outcomes = executionOrder(plan).map((p, i) =>
    outcome(p.file, 'applied', [12.4, 1530, 3.9, 8][i] ?? 1),
  );
  const report: UpgradeReport = {
    command: 'upgrade',
    target: TARGET,
    ok: true,
    dryRun: false,
    plan,
    preview: [],
    outcomes,
    upToDate: false,
    lockWaitMs: 2100,
    currentVersion: '3',
    durationMs: 1688,
  };
  golden(
    'upgrade-applied',
    renderMarkdown({ context: { ...context, command: 'upgrade', trigger: 'push to main' }, outcome: report }),
  );
});

test('an upgrade where a migration failed', () => {
  const plan = buildPlan(clean, [row(v1, 1)]);
  const error = new MigrationError({
    file: v3.relativePath,
    section: 'upgrade',
    statementIndex: 1,
    line: v3.parsed.upgrade.statements[1]!.line,
    statement: v3.upgradeStatements[1]!,
    committedStatements: [],
    driverMessage: 'relation "invoices_paid" already exists',
  });
  const outcomes = [outcome(v2, 'applied', 25), outcome(v3, 'failed', 7, error)];
  const report: UpgradeReport = {
    command: 'upgrade',
    target: TARGET,
    ok: false,
    dryRun: false,
    plan,
    preview: [],
    outcomes,
    upToDate: false,
    error,
    currentVersion: '2',
    durationMs: 90,
  };
  golden(
    'upgrade-failed',
    renderMarkdown({ context: { ...context, command: 'upgrade', trigger: 'push to main' }, outcome: report }),
  );
});

test('offline validation of a fork PR: every file problem, and what was not checked', () => {
  const discovery = discoverMigrations(BROKEN);
  const plan = buildPlan(discovery, []);
  const problems = [
    ...plan.problems,
    {
      kind: 'out-of-order' as const,
      severity: 'error' as const,
      file: 'migrations/V2__add_due.sql',
      version: '2',
      message:
        'migrations/V2__add_due.sql has version 2, lower than V3__add_paid.sql (version 3) on main: once main is deployed it would be out of order. Rename it to a version higher than 3.',
    },
  ];
  const report: OfflineReport = {
    command: 'offline-validate',
    reason: { kind: 'no-url' },
    plan: { ...plan, problems },
    problems,
    ok: false,
    checkedFiles: 4,
    baseBranch: { checked: true, ref: 'main', source: 'api', files: 3 },
    notChecked: [
      'Drift: whether applied migrations were changed since they ran (checksums).',
      'Applied state: which files are pending.',
    ],
    durationMs: 31,
  };
  golden(
    'offline-fork',
    renderMarkdown({
      context: { ...context, environment: '', trigger: 'pull_request #13' },
      outcome: report,
    }),
  );
});

test('a run stopped by the lock', () => {
  const error = new LockHeldError(
    'Migration lock is already held by another process.\n\nHeld since 2026-01-12 10:00:00 by process 5d0c7e52.',
  );
  golden(
    'error-locked',
    renderMarkdown({
      context: { ...context, command: 'upgrade', trigger: 'push to main' },
      outcome: { command: 'error', code: error.code, message: error.message, error },
    }),
  );
});

test('too long for a comment: the SQL goes first, with a note pointing at the job summary', () => {
  const report: RunReport = { context, outcome: statusReport([]) };
  const full = renderMarkdown(report);
  const short = renderMarkdown(report, { maxLength: full.length - 1 });
  expect(short.length).toBeLessThan(full.length);
  expect(short).not.toContain('<details>');
  golden('shortened', short);
});

test('thousands of problems still fit in a comment', () => {
  const base = statusReport([]);
  const problems = Array.from({ length: 5000 }, (_, i) => ({
    kind: 'missing-file' as const,
    severity: 'error' as const,
    version: String(i),
    message: `Version ${i} has been migrated but is missing from the current migration files. ${'x'.repeat(200)}`,
    fix: 'jetbase fix-files',
  }));
  const text = renderMarkdown(
    { context, outcome: { ...base, problems, ok: false } },
    { maxLength: COMMENT_MAX_LENGTH - 40 },
  );
  expect(text.length).toBeLessThanOrEqual(COMMENT_MAX_LENGTH - 40);
  expect(text).toContain('[job summary](https://github.com/acme/shop/actions/runs/4242)');
  expect(text).toContain('more problems');
});

describe('escaping', () => {
  test('code spans hold backticks and pipes', () => {
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x`')).toBe('`` `x` ``');
    expect(codeSpan('a|b')).toBe('`a\\|b`');
  });
  test('fences are longer than any backtick run inside', () => {
    expect(fencedBlock("SELECT '````';", 'sql')).toBe("`````sql\nSELECT '````';\n`````");
    expect(fencedBlock('SELECT 1;')).toBe('```\nSELECT 1;\n```');
  });
  test('text shows markdown and HTML literally', () => {
    expect(escapeText('<script>*x* [a](b) | _y_ #1')).toBe(
      '&lt;script&gt;\\*x\\* \\[a\\](b) \\| \\_y\\_ \\#1',
    );
  });
});

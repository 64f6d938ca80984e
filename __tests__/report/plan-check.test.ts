/**
 * The new report sections against golden files: the plan hash and the reviewed-plan check, the
 * "Deployed" receipt, and the SQL that ran shortened largest-first to fit a size limit.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  buildPlan,
  discoverMigrations,
  executionOrder,
  JetbaseError,
  type MigrationFile,
  type UpgradeReport,
} from '../../src/engine/index.js';
import { bodyWithReceipt } from '../../src/action/receipt.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { DEPLOYED_MARKER, deployedSection } from '../../src/report/plan-check.js';
import type { RunContext } from '../../src/report/run-report.js';
import { goldenText } from '../helpers/golden.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/action');
const clean = discoverMigrations(path.join(FIXTURES, 'projects/clean/jetbase'));
const HASH = 'a'.repeat(64);

function golden(name: string, actual: string): void {
  expect(actual).toBe(goldenText(path.join(FIXTURES, 'golden', `${name}.md`), actual));
}

const context: RunContext = {
  directory: 'db/jetbase',
  environment: 'production',
  command: 'upgrade',
  trigger: 'push to main',
  runUrl: 'https://github.com/acme/shop/actions/runs/4242',
  planHash: HASH,
};

function upgradeReport(statements?: (file: MigrationFile) => readonly string[]): UpgradeReport {
  const plan = buildPlan(clean, []);
  return {
    command: 'upgrade',
    target: 'postgresql://app@db.internal:5432/shop',
    ok: true,
    dryRun: false,
    plan,
    preview: [],
    outcomes: executionOrder(plan).map((p, i) => ({
      filename: p.file.filename,
      relativePath: p.file.relativePath,
      type: p.file.type,
      version: p.file.version,
      description: p.file.description,
      checksum: p.file.checksum,
      direction: 'upgrade' as const,
      status: 'applied' as const,
      statements: statements?.(p.file) ?? p.file.upgradeStatements,
      durationMs: 10 + i,
    })),
    upToDate: false,
    currentVersion: '3',
    durationMs: 120,
  };
}

test('a deploy whose plan differs from the review, without require-reviewed-plan: a warning naming each difference', () => {
  const report = {
    context: {
      ...context,
      planCheck: {
        kind: 'differs' as const,
        pullRequest: 12,
        planHash: HASH,
        reviewedHash: 'b'.repeat(64),
        differences: [
          'Added since the review: migrations/V3__add_paid.sql.',
          'The files run in another order than reviewed.',
        ],
        refused: false,
      },
    },
    outcome: upgradeReport(),
  };
  golden('deploy-plan-differs', renderMarkdown(report));
});

test('a refused deploy shows the check once, not the same message again as an error block', () => {
  const refused: UpgradeReport = {
    ...upgradeReport(),
    outcomes: [],
    ok: false,
    error: new JetbaseError(
      'PLAN_NOT_REVIEWED',
      'No reviewed plan: no merged pull request contains commit abc.',
    ),
  };
  const text = renderMarkdown({
    context: {
      ...context,
      planCheck: {
        kind: 'no-review',
        reason: 'No reviewed plan: no merged pull request contains commit abc.',
        refused: true,
        planHash: HASH,
      },
    },
    outcome: refused,
  });
  expect(text).toContain('> [!CAUTION]');
  expect(text).not.toContain('#### Error');
});

test('the receipt: environment, time, run link, each file with its time; a later deploy replaces it', () => {
  const receipt = deployedSection({
    environment: 'production',
    at: '2026-01-02T10:11:12.345Z',
    runUrl: 'https://github.com/acme/shop/actions/runs/4242',
    outcome: upgradeReport(),
  });
  golden('deployed-receipt', `${receipt}\n`);
  const body = bodyWithReceipt('<!-- marker -->\nreview', receipt);
  expect(body).toBe(`<!-- marker -->\nreview\n\n${receipt}\n`);
  const again = bodyWithReceipt(body, `${DEPLOYED_MARKER}\n#### Deployed\n\nsecond`);
  expect(again).toBe(`<!-- marker -->\nreview\n\n${DEPLOYED_MARKER}\n#### Deployed\n\nsecond\n`);
});

test('the SQL that ran is shortened largest first to fit, and says so', () => {
  const big = 'INSERT INTO seed VALUES (1);\n'.repeat(2_000);
  const report = upgradeReport((file) =>
    file.filename === 'V2__add_notes.sql' ? [big] : file.upgradeStatements,
  );
  const full = renderMarkdown({ context, outcome: report });
  const limit = full.length - 10_000;
  const text = renderMarkdown({ context, outcome: report }, { maxLength: limit });
  expect(text.length).toBeLessThanOrEqual(limit);
  expect(text).toContain(
    "The largest SQL blocks were shortened to fit GitHub's size limit; the files have it all.",
  );
  expect(text).toMatch(/-- … shortened to fit the summary: \d+ more characters, see the file/);
  // The small blocks are whole.
  expect(text).toContain('CREATE INDEX invoices_paid ON invoices (paid_at);');
  expect(text).toContain('CREATE VIEW totals AS SELECT SUM(amount_cents) AS total FROM invoices;');
});

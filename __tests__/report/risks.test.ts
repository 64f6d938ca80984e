/** The Risks section: above the plan, each finding linked to its line, the statement fenced, text escaped. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { discoverMigrations, parseSqlFile } from '../../src/engine/index.js';
import { lintMigrations } from '../../src/lint/index.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { RunReport } from '../../src/report/run-report.js';
import { offlineValidation } from '../../src/run/index.js';

const CLEAN = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/action/projects/clean/jetbase',
);

async function report(text: string, enforced: boolean): Promise<RunReport> {
  const lint = await lintMigrations(
    [{ relativePath: 'migrations/V9__risky.sql', text, parsed: parseSqlFile(text) }],
    { dialect: 'postgresql' },
  );
  return {
    context: {
      directory: 'db/jetbase',
      environment: '',
      command: 'validate',
      trigger: 'pull_request #7',
      blobBase: 'https://github.com/o/r/blob/abc/',
    },
    outcome: offlineValidation(
      discoverMigrations(CLEAN),
      { ok: false, reason: 'not needed' },
      {},
      { kind: 'no-url' },
    ),
    lint: { report: lint, enforced },
  };
}

test('Risks come before the plan, link the line, fence the statement and escape the message', async () => {
  const markdown = renderMarkdown(
    await report(
      'SELECT 1;\n\nALTER TABLE "<b>orders" ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id);\n',
      true,
    ),
  );
  const risks = markdown.indexOf('#### Risks');
  expect(risks).toBeGreaterThan(0);
  expect(risks).toBeLessThan(markdown.indexOf('#### Migration files'));
  expect(markdown).toContain(
    '`constraint-not-valid` [`migrations/V9__risky.sql:3`](https://github.com/o/r/blob/abc/db/jetbase/migrations/V9__risky.sql#L3)',
  );
  expect(markdown).toContain('```sql\n  ALTER TABLE "<b>orders" ADD CONSTRAINT');
  expect(markdown).toContain('&lt;b&gt;orders');
  expect(markdown).toContain(
    'Safer: Add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later migration.',
  );
});

test('error-level findings fail the check under lint: error, and the title and verdict say so; under warn they do not', async () => {
  const enforced = renderMarkdown(await report('DROP TABLE users;\n', true));
  expect(enforced).toMatch(/^### ❌ Jetbase/);
  expect(enforced).toContain('**Lint: 1 error-level finding in the pending migrations');
  expect(enforced).toContain('**1 error-level finding fails the check.**');
  const warned = renderMarkdown(await report('DROP TABLE users;\n', false));
  expect(warned).toMatch(/^### ✅ Jetbase/);
  expect(warned).toContain('1 error-level finding (lint: warn, the check does not fail on them).');
});

test('no findings and nothing allowed: no Risks section', async () => {
  expect(renderMarkdown(await report('SELECT 1;\n', true))).not.toContain('Risks');
});

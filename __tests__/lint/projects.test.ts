/**
 * No false errors on real projects (the example and the fixture projects, on the dialects they
 * could target), and a property: lint never throws, whatever the file holds.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import fc from 'fast-check';

import { discoverMigrations, parseSqlFile, type DialectName } from '../../src/engine/index.js';
import { lintMigrations } from '../../src/lint/index.js';
import { sqlFileTextWithHugeLines } from '../helpers/sql-generator.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIALECTS: readonly DialectName[] = ['postgresql', 'mysql', 'sqlite', 'snowflake', 'databricks'];

const PROJECTS: readonly (readonly [string, readonly DialectName[]])[] = [
  ['examples/demo/jetbase', ['sqlite']],
  ['__tests__/fixtures/action/projects/postgres/jetbase', ['postgresql']],
  ['__tests__/fixtures/action/projects/clean/jetbase', DIALECTS],
];

describe.each(PROJECTS)('%s', (dir, dialects) => {
  test.each(dialects)('no error-level finding on %s', async (dialect) => {
    const discovery = discoverMigrations(path.join(REPO, dir));
    const files = [...discovery.versioned, ...discovery.runsAlways, ...discovery.runsOnChange];
    expect(files.length).toBeGreaterThan(0);
    const report = await lintMigrations(files, { dialect });
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

test.each(DIALECTS)(
  'lint never throws on fuzzed files (%s)',
  async (dialect) => {
    await fc.assert(
      fc.asyncProperty(fc.array(sqlFileTextWithHugeLines, { minLength: 1, maxLength: 3 }), async (texts) => {
        const report = await lintMigrations(
          texts.map((text, i) => ({
            relativePath: `migrations/V${i + 1}__f.sql`,
            text,
            parsed: parseSqlFile(text),
          })),
          { dialect },
        );
        for (const finding of report.findings) {
          expect(finding.line).toBeGreaterThan(0);
          expect(['error', 'warning', 'info']).toContain(finding.severity);
        }
      }),
      { numRuns: 150 },
    );
  },
  60_000,
);

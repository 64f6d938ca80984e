/** Drift explained: the classification of a changed file, its diff (checked against git's), and the golden section. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { explainChange, normalizedSql } from '../../src/action/drift.js';
import { checksumOfStatements, parseSqlFile } from '../../src/engine/index.js';
import { driftLines } from '../../src/report/drift.js';
import { unifiedDiff } from '../../src/report/unified-diff.js';
import { goldenText } from '../helpers/golden.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/action');
const APPLIED = 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n\n--rollback\nDROP TABLE users;\n';
const sumOf = (text: string) => checksumOfStatements(parseSqlFile(text).upgrade.statements.map((s) => s.sql));

test("the diff is git's diff, hunks and context included", () => {
  const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
  const before = `${lines.join('\n')}\n`;
  const changed = [...lines];
  changed[2] = 'line three';
  changed.splice(20, 1);
  changed.push('line 31');
  const after = `${changed.join('\n')}\n`;
  const dir = mkdtempSync(path.join(tmpdir(), 'jetbase-diff-'));
  writeFileSync(path.join(dir, 'a'), before);
  writeFileSync(path.join(dir, 'b'), after);
  let git = '';
  try {
    execFileSync('git', ['diff', '--no-index', '--no-color', '-U3', 'a', 'b'], {
      cwd: dir,
      encoding: 'utf8',
    });
  } catch (error) {
    git = (error as { stdout: string }).stdout; // exit code 1: the files differ
  }
  // git adds the enclosing "function" after a hunk header; diff -u does not.
  const hunks = git.slice(git.indexOf('@@')).replace(/^(@@ [^@]+ @@).*$/gm, '$1');
  expect(unifiedDiff(before, after, { a: 'a', b: 'b' })).toBe(`--- a\n+++ b\n${hunks.trimEnd()}`);
  expect(unifiedDiff(before, before, { a: 'a', b: 'b' })).toBeUndefined();
});

test('comments and whitespace are normalised away, string literals are not', () => {
  expect(normalizedSql("SELECT  1 -- one\n, 'a  --b' /* c */ FROM t")).toBe("SELECT 1 , 'a  --b' FROM t");
  expect(normalizedSql("SELECT 'a  b'")).not.toBe(normalizedSql("SELECT 'a b'"));
});

test('who made the change, from the base branch and the stored checksum', () => {
  const edited = APPLIED.replace('PRIMARY KEY', 'PRIMARY KEY, name TEXT');
  const base = (text: string) => ({ found: true as const, text });
  const args = { file: 'migrations/V1__users.sql', version: '1', stored: sumOf(APPLIED) };
  expect(explainChange({ ...args, headText: edited, base: base(APPLIED) })).toMatchObject({
    origin: 'this-pr',
    whitespaceOnly: false,
  });
  expect(explainChange({ ...args, headText: edited, base: base(edited) })).toMatchObject({
    origin: 'base',
    diff: undefined,
  });
  expect(explainChange({ ...args, headText: `${edited}-- more\n`, base: base(edited) }).origin).toBe('base');
  const third = APPLIED.replace('users', 'people');
  expect(explainChange({ ...args, headText: third, base: base(edited) }).origin).toBe('both');
  expect(
    explainChange({ ...args, headText: APPLIED.replace('TABLE users', 'TABLE  users'), base: base(APPLIED) }),
  ).toMatchObject({ origin: 'this-pr', whitespaceOnly: true });
  expect(
    explainChange({
      ...args,
      headText: edited,
      base: { found: false, why: 'the base commit is not in the checkout' },
    }),
  ).toMatchObject({
    origin: 'unknown',
    note: 'the base commit is not in the checkout',
  });
});

test('the section, golden', () => {
  const edited = APPLIED.replace('PRIMARY KEY', 'PRIMARY KEY, name TEXT');
  const change = explainChange({
    file: 'migrations/V1__users.sql',
    version: '1',
    stored: sumOf(APPLIED),
    headText: edited,
    base: { found: true, text: APPLIED },
  });
  const lines = driftLines({
    directory: 'db/jetbase',
    environment: 'production',
    command: 'validate',
    trigger: 'pull_request #12',
    drift: [
      change,
      {
        kind: 'missing',
        file: 'migrations/V0_9__old.sql',
        version: '0.9',
        origin: 'this-pr',
        whitespaceOnly: false,
        diff: undefined,
      },
    ],
  });
  const actual = `${lines.join('\n')}\n`;
  expect(actual).toBe(goldenText(path.join(FIXTURES, 'golden', 'drift-explained.md'), actual));
});

/** `jetbase lint` and the findings `validate` carries, in process through the CLI's main(). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { main } from '../../src/cli/index.js';
import { makeProject, type TestProject } from '../helpers/project.js';

interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(argv: readonly string[], cwd: string): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => ((stdout += text), true) },
    stderr: { write: (text: string) => ((stderr += text), true) },
    env: { PATH: process.env.PATH ?? '' },
    cwd,
  } as Parameters<typeof main>[1]);
  return { code, stdout, stderr };
}

let project: TestProject;
afterEach(() => project?.cleanup());

const sqliteUrl = () =>
  `sqlite:///${path.join(mkdtempSync(path.join(tmpdir(), 'jetbase-lint-')), 'db.sqlite')}`;

describe('jetbase lint', () => {
  test('offline with --dialect: JSON findings with file, line, rule, severity, message; exit 1 on an error', async () => {
    project = makeProject({
      'V1__big.sql': 'CREATE TABLE big (id int, email text);\n',
      'V2__index.sql': 'CREATE INDEX CONCURRENTLY big_email ON big (email);\n',
    });
    const result = await cli(
      ['lint', '--dialect', 'postgresql', '--json', '--dir', project.jetbaseDir],
      project.root,
    );
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { findings: Record<string, unknown>[] };
    expect(json.findings.map(({ file, line, rule, severity }) => ({ file, line, rule, severity }))).toEqual([
      { file: 'migrations/V2__index.sql', line: 1, rule: 'non-transactional-statement', severity: 'error' },
    ]);
    expect(json.findings[0]!.message).toContain('CREATE INDEX CONCURRENTLY');
  });

  test('the directive makes the same file pass', async () => {
    project = makeProject({
      'V1__big.sql': 'CREATE TABLE big (id int, email text);\n',
      'V2__index.sql': '-- jetbase: transaction=off\nCREATE INDEX CONCURRENTLY big_email ON big (email);\n',
    });
    const result = await cli(['lint', '--dialect', 'postgresql', '--dir', project.jetbaseDir], project.root);
    expect(result.stdout).toContain('0 errors');
    expect(result.code).toBe(0);
  });

  test('with a reachable database only pending files are linted; warnings alone exit 0', async () => {
    project = makeProject({ 'V1__drop.sql': 'CREATE TABLE t (a INT);\nDROP TABLE t;\n' });
    const url = sqliteUrl();
    // Apply V1 first: its DROP TABLE is then history, not a risk of this change.
    expect((await cli(['upgrade', '--dir', project.jetbaseDir, '--url', url], project.root)).code).toBe(0);
    project.write('V2__rename.sql', 'ALTER TABLE t2 RENAME TO t3;\n');
    const result = await cli(['lint', '--json', '--dir', project.jetbaseDir, '--url', url], project.root);
    const json = JSON.parse(result.stdout) as { scope: string; findings: { file: string; rule: string }[] };
    expect(json.scope).toBe('pending');
    expect(json.findings.map((f) => [f.file, f.rule])).toEqual([
      ['migrations/V2__rename.sql', 'rename-table'],
    ]);
    expect(result.code).toBe(0);
  });

  test('without a dialect or URL it says how to give one; an unknown dialect is a usage error', async () => {
    project = makeProject({ 'V1__a.sql': 'SELECT 1;\n' });
    const none = await cli(['lint', '--dir', project.jetbaseDir], project.root);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('--dialect');
    const unknown = await cli(['lint', '--dialect', 'oracle', '--dir', project.jetbaseDir], project.root);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("'oracle' is not one of");
  });
});

describe('jetbase validate', () => {
  test('an error-level finding fails validate and is printed with the rule', async () => {
    project = makeProject({ 'V1__a.sql': 'CREATE TABLE t (a INT);\n', 'V2__b.sql': 'DELETE FROM t;\n' });
    const result = await cli(['validate', '--dir', project.jetbaseDir, '--url', sqliteUrl()], project.root);
    expect(result.stdout).toContain('migrations/V2__b.sql:1: error [delete-without-where]');
    expect(result.code).toBe(1);
  });
});

/**
 * Lint in the action's PR check, in-process (the pattern of main.test.ts): a CREATE INDEX
 * CONCURRENTLY file fails the check with a Risks section above the plan and an annotation on its
 * line; with `-- jetbase: transaction=off` the check passes and the push to main applies it on a
 * real PostgreSQL. Input `lint: warn` reports without failing; `off` skips lint. The bundled action
 * (dist/ on Node 24) lints too, with both parsers' WebAssembly read from dist/, not node_modules.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ACTIONS_BOT, FakeGitHub } from '../fakes/github/server.js';
import { PG_URL, postgresTarget, queryRows, dialectFor } from '../helpers/databases.js';
import { runInProcess } from './in-process.js';
import { eventPayload, REPO_ROOT, runAction, workflowCommands } from './run-action.js';

const TOKEN = 'ghs_LintInProcessToken00000000000000000000';
const PR = 12;

function workspace(files: Record<string, string>): { root: string; write(name: string, text: string): void } {
  const root = mkdtempSync(path.join(tmpdir(), 'jetbase-lint-action-'));
  mkdirSync(path.join(root, 'jetbase', 'migrations'), { recursive: true });
  const write = (name: string, text: string) =>
    writeFileSync(path.join(root, 'jetbase', 'migrations', name), text);
  for (const [name, text] of Object.entries(files)) write(name, text);
  return { root, write };
}

describe('lint in the PR check', () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = new FakeGitHub({
      tokens: { [TOKEN]: { user: ACTIONS_BOT, canGetUser: false, readOnly: false } },
    });
    await github.start();
  });
  afterEach(() => github.stop());

  const pullRequest = (root: string, inputs: Record<string, string>) =>
    runInProcess({
      eventName: 'pull_request',
      payload: eventPayload('pull_request'),
      workspace: root,
      apiUrl: github.url,
      inputs: { 'github-token': TOKEN, ...inputs },
    });

  (PG_URL ? test : test.skip)(
    'PostgreSQL: CREATE INDEX CONCURRENTLY fails the check, passes with transaction=off, then applies for real',
    async () => {
      const target = postgresTarget(PG_URL!);
      const url = await target.fresh();
      const ws = workspace({
        'V1__big.sql': 'CREATE TABLE big (id int PRIMARY KEY, email text);\n',
        'V2__big_email.sql': 'CREATE INDEX CONCURRENTLY big_email ON big (email);\n',
      });
      const failing = await pullRequest(ws.root, { 'database-url': url });
      expect(failing.code).toBe(1);
      expect(failing.outputs['risk-count']).toBe('1');
      const comment = github.commentsOn(PR)[0]!.body;
      expect(comment).toContain('#### Risks');
      expect(comment.indexOf('#### Risks')).toBeLessThan(
        comment.indexOf('V2__big_email.sql', comment.indexOf('#### Risks') + 200),
      );
      expect(comment).toContain('`non-transactional-statement`');
      expect(comment).toContain('jetbase: transaction=off');
      const annotation = workflowCommands(failing.stdout, 'error').find(
        (e) => e.properties.title === 'Jetbase lint: non-transactional-statement',
      );
      expect(annotation?.properties).toMatchObject({
        file: 'jetbase/migrations/V2__big_email.sql',
        line: '1',
      });
      expect(workflowCommands(failing.stdout, 'error').at(-1)?.message).toContain(
        'Lint: 1 error-level finding',
      );

      ws.write(
        'V2__big_email.sql',
        '-- jetbase: transaction=off\nCREATE INDEX CONCURRENTLY big_email ON big (email);\n',
      );
      const passing = await pullRequest(ws.root, { 'database-url': url });
      expect(passing.code).toBe(0);
      expect(passing.outputs['risk-count']).toBe('0');

      const push = await runInProcess({
        eventName: 'push',
        payload: eventPayload('push_main'),
        ref: 'refs/heads/main',
        workspace: ws.root,
        inputs: { 'database-url': url },
      });
      expect(push.code).toBe(0);
      expect(push.outputs).toMatchObject({ result: 'success', 'applied-count': '2' });
      const { dialect } = await dialectFor(target, url, path.join(ws.root, 'jetbase'));
      const index = await queryRows(
        dialect,
        "SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'big_email'",
      );
      expect(index).toEqual([{ valid: true }]);
    },
  );

  test('lint: warn reports the risk without failing; lint: off skips it', async () => {
    const ws = workspace({ 'V1__t.sql': 'CREATE TABLE t (a INT);\n', 'V2__wipe.sql': 'DELETE FROM t;\n' });
    const dbUrl = `sqlite:///${path.join(ws.root, 'app.db')}`;
    const enforced = await pullRequest(ws.root, { 'database-url': dbUrl });
    expect(enforced.code).toBe(1);
    expect(enforced.outputs.result).toBe('invalid');
    expect(github.commentsOn(PR)[0]!.body).toMatch(/^### ❌ Jetbase/m);
    expect(workflowCommands(enforced.stdout, 'error').at(-1)?.message).toContain(
      'Lint: 1 error-level finding',
    );
    const warned = await pullRequest(ws.root, { 'database-url': dbUrl, lint: 'warn' });
    expect(warned.code).toBe(0);
    expect(warned.outputs.result).toBe('success');
    expect(warned.outputs['risk-count']).toBe('1');
    expect(github.commentsOn(PR)[0]!.body).toContain('`delete-without-where`');
    const lintWarning = workflowCommands(warned.stdout, 'warning').find(
      (e) => e.properties.title === 'Jetbase lint: delete-without-where',
    );
    expect(lintWarning?.properties).toMatchObject({ file: 'jetbase/migrations/V2__wipe.sql', line: '1' });
    const off = await pullRequest(ws.root, { 'database-url': dbUrl, lint: 'off' });
    expect(off.code).toBe(0);
    expect(off.outputs['risk-count']).toBe('0');
    expect(github.commentsOn(PR)[0]!.body).not.toContain('Risks');
  });

  test('an unknown lint mode is refused with the allowed values', async () => {
    const ws = workspace({ 'V1__t.sql': 'CREATE TABLE t (a INT);\n' });
    const result = await pullRequest(ws.root, {
      'database-url': `sqlite:///${path.join(ws.root, 'app.db')}`,
      lint: 'loud',
    });
    expect(result.code).toBe(1);
    expect(workflowCommands(result.stdout, 'error').at(-1)?.message).toContain(
      "Input 'lint' must be one of error, warn, off, got 'loud'.",
    );
  });

  const targets: [string, () => Promise<string>, string][] = [
    [
      'sqlite',
      async () => `sqlite:///${path.join(mkdtempSync(path.join(tmpdir(), 'jb-')), 'app.db')}`,
      'VACUUM;\n',
    ],
    ...(PG_URL
      ? ([
          ['postgresql', () => postgresTarget(PG_URL!).fresh(), 'CREATE INDEX CONCURRENTLY t_a ON t (a);\n'],
        ] as [string, () => Promise<string>, string][])
      : []),
  ];

  test.each(targets)(
    'bundled, %s: a statement that cannot run in a transaction fails the PR check',
    async (_name, url, sql) => {
      const root = workspace({ 'V1__t.sql': 'CREATE TABLE t (a INT);\n', 'V2__x.sql': sql }).root;
      const result = await runAction({
        eventName: 'pull_request',
        payload: eventPayload('pull_request'),
        workspace: root,
        apiUrl: github.url,
        inputs: { 'database-url': await url(), 'github-token': TOKEN },
      });
      expect(result.code).toBe(1);
      expect(result.outputs['risk-count']).toBe('1');
      const annotation = workflowCommands(result.stdout, 'error').find(
        (e) => e.properties.title === 'Jetbase lint: non-transactional-statement',
      );
      expect(annotation?.properties).toMatchObject({ file: 'jetbase/migrations/V2__x.sql', line: '1' });
    },
    60_000,
  );
});

test("both parsers' WebAssembly files are in dist/ (npm run bundle copies libpg-query.wasm)", () => {
  for (const file of ['libpg-query.wasm', 'sqlparser_rs_wasm_bg.wasm'])
    expect(existsSync(path.join(REPO_ROOT, 'dist', file))).toBe(true);
});

/**
 * The parsers load from the bundle: the committed dist/ on Node 24 (the runner's way) lints a pull
 * request on SQLite (sqlparser-rs's WebAssembly) and, when JETBASE_TEST_PG_URL is set, on PostgreSQL
 * (libpg-query's WebAssembly), both read from dist/, not node_modules.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ACTIONS_BOT, FakeGitHub } from '../fakes/github/server.js';
import { PG_URL, postgresTarget } from '../helpers/databases.js';
import { eventPayload, REPO_ROOT, runAction, workflowCommands } from './run-action.js';

const TOKEN = 'ghs_LintDistToken000000000000000000000000';

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'jetbase-lint-dist-'));
  mkdirSync(path.join(root, 'jetbase', 'migrations'), { recursive: true });
  for (const [name, text] of Object.entries(files))
    writeFileSync(path.join(root, 'jetbase', 'migrations', name), text);
  return root;
}

test("both parsers' WebAssembly files are in dist/ (npm run bundle copies libpg-query.wasm)", () => {
  for (const file of ['libpg-query.wasm', 'sqlparser_rs_wasm_bg.wasm'])
    expect(existsSync(path.join(REPO_ROOT, 'dist', file))).toBe(true);
});

describe('lint in the bundled action', () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = new FakeGitHub({
      tokens: { [TOKEN]: { user: ACTIONS_BOT, canGetUser: false, readOnly: false } },
    });
    await github.start();
  });
  afterEach(() => github.stop());

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
    '%s: a statement that cannot run in a transaction fails the PR check',
    async (_name, url, sql) => {
      const root = workspace({ 'V1__t.sql': 'CREATE TABLE t (a INT);\n', 'V2__x.sql': sql });
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

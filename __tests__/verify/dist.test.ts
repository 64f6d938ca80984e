/**
 * verify through the bundle, the way the runner runs it (dist/index.js on Node 24, node:sqlite for
 * SQLite): a pull request with verify-database-url gets the section in its comment and `verified`.
 * PostgreSQL too when JETBASE_TEST_PG_URL is set.
 */

import { PG_URL, postgresTarget } from '../helpers/databases.js';
import { eventPayload, runAction } from '../action/run-action.js';
import { useFakeGitHub, workspace } from './action-helpers.js';
import { goodChain } from './conformance.js';

const TOKEN = 'ghs_VerifyBundleToken000000000000000000000';

describe('verify in the bundled action', () => {
  const github = useFakeGitHub(TOKEN);

  const cases: Array<[string, string, () => Promise<string>]> = [
    [
      'sqlite:///:memory:',
      'CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(255) NOT NULL);',
      async () => 'sqlite:///:memory:',
    ],
  ];
  if (PG_URL) {
    const pg = postgresTarget(PG_URL);
    cases.push(['PostgreSQL', pg.createUsers, () => pg.fresh()]);
  }

  test.each(cases)(
    '%s: the chain passes, the comment says so, verified=true',
    async (_name, createUsers, fresh) => {
      const root = workspace(goodChain(createUsers));
      const result = await runAction({
        eventName: 'pull_request',
        payload: eventPayload('pull_request'),
        workspace: root,
        apiUrl: github.get().url,
        inputs: { 'github-token': TOKEN, 'verify-database-url': await fresh() },
      });
      if (result.code !== 0) throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
      expect(result.outputs.verified).toBe('true');
      const body = github.botComment(12);
      expect(body).toContain('#### Tested on a fresh database');
      expect(body).toMatch(/- ✓ up \d+ ms · ✓ down \d+ ms · ✓ up \d+ ms — \[`migrations\/V3__bob\.sql`\]/);
    },
  );
});

/**
 * The flow PR → merge → deploy through the bundled action on Node 24, as the runner runs it, with
 * the loopback GitHub fake and a real SQLite database: the deploy applies the reviewed plan (same
 * plan hash) and leaves a receipt on the merged pull request; a plan changed after the review is
 * refused with nothing applied.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ACTIONS_BOT, FakeGitHub } from '../fakes/github/server.js';
import { workspace } from './in-process.js';
import { eventPayload, runAction } from './run-action.js';

const TOKEN = 'ghs_BundleFlowToken000000000000000000000';
const MERGE_SHA = 'fedcba9876543210fedcba9876543210fedcba98';

describe('reviewed plan through the bundle', () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = new FakeGitHub({
      tokens: { [TOKEN]: { user: ACTIONS_BOT, canGetUser: false, readOnly: false } },
      pullsForCommit: {
        [MERGE_SHA]: [
          { number: 12, state: 'closed', merged_at: '2026-01-02T10:00:00Z', base: { ref: 'main' } },
        ],
      },
    });
    await github.start();
  });
  afterEach(() => github.stop());

  test('PR → merge → deploy: the same plan applied, a receipt on the PR; a later change refused', async () => {
    const ws = workspace({ 'V1__users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n' });
    const inputs = {
      'database-url': `sqlite:///${path.join(ws.root, 'prod.db')}`,
      'github-token': TOKEN,
      environment: 'production',
      'require-reviewed-plan': 'true',
    };
    const review = await runAction({
      eventName: 'pull_request',
      payload: eventPayload('pull_request'),
      workspace: ws.root,
      apiUrl: github.url,
      inputs,
    });
    expect(review.code).toBe(0);
    const hash = review.outputs['plan-hash'];
    expect(hash).toMatch(/^[0-9a-f]{64}$/);

    const push = {
      eventName: 'push',
      payload: eventPayload('push_main'),
      ref: 'refs/heads/main',
      sha: MERGE_SHA,
    };
    // Another migration reached main after the review: refused, nothing applied.
    writeFileSync(
      path.join(ws.jetbaseDir, 'migrations', 'V2__late.sql'),
      'CREATE TABLE late (id INTEGER);\n',
    );
    const refused = await runAction({ ...push, workspace: ws.root, apiUrl: github.url, inputs });
    expect(refused.code).toBe(1);
    expect(refused.outputs['applied-count']).toBe('0');
    expect(refused.summary).toContain('Added since the review: migrations/V2\\_\\_late.sql.');

    // Without it, the plan is the reviewed one again.
    rmSync(path.join(ws.jetbaseDir, 'migrations', 'V2__late.sql'));
    const deploy = await runAction({ ...push, workspace: ws.root, apiUrl: github.url, inputs });
    expect(deploy.code).toBe(0);
    expect(deploy.outputs).toMatchObject({ 'applied-count': '1', 'plan-hash': hash });
    const body = github.commentsOn(12)[0]!.body;
    expect(body).toContain(`Plan hash \`${hash}\``);
    expect(body).toMatch(
      /\*\*✅ Deployed 1 migration\*\* to production · .* UTC · \[run\]\(https:\/\/github\.com\/acme\/shop\/actions\/runs\/4242\)/,
    );
    expect(body).toMatch(/\| 1 \| `migrations\/V1__users\.sql` \| ✅ applied \| \d+ ms \|/);
  });
});

/**
 * What was reviewed is what deploys, in-process against the loopback GitHub fake and a real SQLite
 * database: the pull request's comment keeps the plan hash, the deploy after the merge finds that
 * pull request through commits/{sha}/pulls, compares the plan under the lock and leaves a receipt.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { dialectFor, queryRows, sqliteTarget } from '../helpers/databases.js';
import { ACTIONS_BOT, FakeGitHub, type FakePullRequest } from '../fakes/github/server.js';
import { runInProcess, workspace } from './in-process.js';
import { eventPayload, workflowCommands, type ActionRun } from './run-action.js';

const TOKEN = 'ghs_ReviewedPlanToken000000000000000000';
const READ_ONLY = 'ghs_ReadOnlyToken0000000000000000000000';
const MERGE_SHA = 'abcdef0123456789abcdef0123456789abcdef01';
const MERGED_12: FakePullRequest = {
  number: 12,
  state: 'closed',
  merged_at: '2026-01-02T10:00:00Z',
  base: { ref: 'main' },
};

const FILES = {
  'V1__users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n',
  'V2__email.sql': 'ALTER TABLE users ADD COLUMN email TEXT;\n',
};

async function tables(dbFile: string): Promise<string[]> {
  const { dialect } = await dialectFor(sqliteTarget(), `sqlite:///${dbFile}`, path.dirname(dbFile));
  const rows = await queryRows(dialect, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  return rows.map((r) => String(r.name));
}

describe('reviewed plan → deploy', () => {
  let github: FakeGitHub;
  let ws: { root: string; jetbaseDir: string };
  let dbFile: string;

  async function start(pulls: readonly FakePullRequest[] = [MERGED_12]): Promise<void> {
    github = new FakeGitHub({
      tokens: {
        [TOKEN]: { user: ACTIONS_BOT, canGetUser: false, readOnly: false },
        [READ_ONLY]: { user: ACTIONS_BOT, canGetUser: false, readOnly: true },
      },
      pullsForCommit: { [MERGE_SHA]: pulls },
    });
    await github.start();
  }

  beforeEach(() => {
    ws = workspace(FILES);
    dbFile = path.join(ws.root, 'prod.db');
  });
  afterEach(() => github.stop());

  const review = (): Promise<ActionRun> =>
    runInProcess({
      eventName: 'pull_request',
      payload: eventPayload('pull_request'),
      workspace: ws.root,
      apiUrl: github.url,
      inputs: { 'database-url': `sqlite:///${dbFile}`, 'github-token': TOKEN, environment: 'production' },
    });

  const deploy = (inputs: Record<string, string> = {}, token = TOKEN): Promise<ActionRun> =>
    runInProcess({
      eventName: 'push',
      payload: eventPayload('push_main'),
      ref: 'refs/heads/main',
      sha: MERGE_SHA,
      workspace: ws.root,
      apiUrl: github.url,
      inputs: {
        'database-url': `sqlite:///${dbFile}`,
        'github-token': token,
        environment: 'production',
        ...inputs,
      },
    });

  test('the reviewed plan deploys, with the same plan hash, and the PR gets a receipt', async () => {
    await start();
    const pr = await review();
    expect(pr.code).toBe(0);
    const hash = pr.outputs['plan-hash'];
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const [comment] = github.commentsOn(12);
    expect(comment?.body).toContain(`Plan hash \`${hash}\``);
    expect(comment?.body.split('\n')[1]).toMatch(/^<!-- jetbase-action-data:[A-Za-z0-9+/=]+ -->$/);
    expect(pr.summary).toContain(hash);

    const result = await deploy({ 'require-reviewed-plan': 'true' });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ result: 'success', 'applied-count': '2', 'plan-hash': hash });
    expect(result.summary).toContain('This deploy runs the plan reviewed in \\#12.');
    expect(github.requests.some((r) => r.path === `/repos/acme/shop/commits/${MERGE_SHA}/pulls`)).toBe(true);
    const body = github.commentsOn(12)[0]!.body;
    expect(body).toContain('#### Would run'); // the review stays
    expect(body).toMatch(
      /#### Deployed\n\n\*\*✅ Deployed 2 migrations\*\* to production · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · \[run\]\(https:\/\/github\.com\/acme\/shop\/actions\/runs\/4242\)/,
    );
    expect(body).toMatch(/\| 1 \| `migrations\/V1__users\.sql` \| ✅ applied \| \d+ ms \|/);
    // Re-running the deploy after it: nothing new, so not refused.
    const rerun = await deploy({ 'require-reviewed-plan': 'true' });
    expect(rerun.code).toBe(0);
    expect(rerun.outputs['applied-count']).toBe('0');
    expect(rerun.summary).toContain('An earlier deploy of this pull request applied them.');
    expect(github.commentsOn(12)[0]!.body).toBe(body); // the receipt of the real deploy is kept
    // The summary shows the SQL that ran.
    expect(result.summary).toContain('SQL of <code>migrations/V2__email.sql</code> (1 statement)');
    expect(result.summary).toContain('ALTER TABLE users ADD COLUMN email TEXT;');
  });

  test('a file merged after the review is refused with require-reviewed-plan, nothing applied, and named', async () => {
    await start();
    expect((await review()).code).toBe(0);
    writeFileSync(
      path.join(ws.jetbaseDir, 'migrations', 'V3__orders.sql'),
      'CREATE TABLE orders (id INTEGER);\n',
    );
    const result = await deploy({ 'require-reviewed-plan': 'true' });
    expect(result.code).toBe(1);
    expect(result.outputs['applied-count']).toBe('0');
    expect(await tables(dbFile)).not.toContain('users');
    expect(await tables(dbFile)).not.toContain('orders');
    const failure = workflowCommands(result.stdout, 'error').at(-1)?.message ?? '';
    expect(failure).toContain('The plan differs from the one reviewed in #12');
    expect(result.summary).toContain('Added since the review: migrations/V3\\_\\_orders.sql.');
    expect(result.summary).toContain('nothing was applied');
    expect(github.commentsOn(12)[0]!.body).toContain('❌ The deploy was refused: not the reviewed plan');
  });

  test('without require-reviewed-plan a changed plan deploys with a warning, and the database moving on is named', async () => {
    await start();
    expect((await review()).code).toBe(0);
    // Someone applied V1 by hand since the review, and V2 was edited after it.
    expect(
      (
        await runInProcess({
          eventName: 'workflow_dispatch',
          payload: eventPayload('workflow_dispatch'),
          ref: 'refs/heads/feature',
          workspace: ws.root,
          inputs: { 'database-url': `sqlite:///${dbFile}`, command: 'upgrade', count: '1', comment: 'false' },
        })
      ).code,
    ).toBe(0);
    writeFileSync(
      path.join(ws.jetbaseDir, 'migrations', 'V2__email.sql'),
      'ALTER TABLE users ADD COLUMN mail TEXT;\n',
    );
    const result = await deploy();
    expect(result.code).toBe(0);
    expect(result.outputs['applied-count']).toBe('1');
    const warning = workflowCommands(result.stdout, 'warning')
      .map((w) => w.message)
      .join('\n');
    expect(warning).toContain('Changed since the review: migrations/V2__email.sql.');
    expect(warning).toContain(
      'The database moved on since the review (latest applied version none then, 1 now); already applied: migrations/V1__users.sql.',
    );
    expect(result.summary).toContain('> [!WARNING]');
    expect(result.summary).toContain('it ran anyway (require-reviewed-plan is false)');
  });

  test('a direct push has no reviewed plan: said plainly, and refused when the review is required', async () => {
    await start([]);
    const required = await deploy({ 'require-reviewed-plan': 'true' });
    expect(required.code).toBe(1);
    expect(await tables(dbFile)).not.toContain('users');
    expect(required.summary).toContain(
      `No reviewed plan: no merged pull request contains commit ${MERGE_SHA.slice(0, 12)} (a direct push?).`,
    );
    const relaxed = await deploy();
    expect(relaxed.code).toBe(0);
    expect(relaxed.outputs['applied-count']).toBe('2');
    expect(workflowCommands(relaxed.stdout, 'notice').map((n) => n.message)).toContain(
      `No reviewed plan: no merged pull request contains commit ${MERGE_SHA.slice(0, 12)} (a direct push?).`,
    );
  });

  test('only our own comment counts: a pasted copy by someone else is not a review', async () => {
    await start();
    expect((await review()).code).toBe(0);
    const copy = github.commentsOn(12)[0]!.body;
    await github.stop();
    await start();
    github.seedComment(12, { login: 'mallory', type: 'User' }, copy);
    const result = await deploy({ 'require-reviewed-plan': 'true' });
    expect(result.code).toBe(1);
    expect(result.summary).toContain(
      'pull request \\#12 has no Jetbase comment for this directory and environment',
    );
    expect(github.commentsOn(12)[0]!.body).toBe(copy);
  });

  test('comment: false writes no receipt, and still checks the reviewed plan', async () => {
    await start();
    expect((await review()).code).toBe(0);
    const before = github.commentsOn(12)[0]!.body;
    const result = await deploy({ comment: 'false', 'require-reviewed-plan': 'true' });
    expect(result.code).toBe(0);
    expect(result.summary).toContain('This deploy runs the plan reviewed in \\#12.');
    expect(github.commentsOn(12)[0]!.body).toBe(before);
  });

  test('a token that cannot write the receipt: a warning, and the deploy still succeeds', async () => {
    await start();
    expect((await review()).code).toBe(0);
    const before = github.commentsOn(12)[0]!.body;
    const result = await deploy({}, READ_ONLY);
    expect(result.code).toBe(0);
    expect(
      workflowCommands(result.stdout, 'warning')
        .map((w) => w.message)
        .join('\n'),
    ).toContain('The deploy receipt was not added to #12: GitHub answered 403');
    expect(github.commentsOn(12)[0]!.body).toBe(before);
  });
});

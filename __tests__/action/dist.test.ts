/**
 * End to end, the way the runner runs the action: the committed bundle on Node 24, inputs as
 * INPUT_* variables, real event payloads, the runner's files, and a loopback fake of the GitHub
 * REST API. SQLite always; PostgreSQL (secrets, SIGTERM, SIGKILL + post) when JETBASE_TEST_PG_URL
 * is set (scripts/test.sh starts a throw-away server).
 */
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parseDatabaseUrl } from '../../src/config/url.js';
import { createDialect } from '../../src/dialects/registry.js';
import { history, lockStatus, type EngineContext } from '../../src/engine/index.js';
import { secretForms } from '../../src/report/redact.js';
import { ACTIONS_BOT, FakeGitHub, type FakeUser } from '../fakes/github/server.js';
import { PG_URL, postgresTarget } from '../helpers/databases.js';
import { eventPayload, runAction, workflowCommands, type ActionRun } from './run-action.js';

const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const FORK_TOKEN = 'ghs_ReadOnlyForkToken000000000000000000';
const HEAD_SHA = '4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b';
const ALICE: FakeUser = { login: 'alice', type: 'User' };
const MALLORY: FakeUser = { login: 'mallory', type: 'User' };

/** The marker as documented: sha256("<directory>\n<environment>"), first 16 hex digits. */
function marker(directory: string, environment: string): string {
  return `<!-- jetbase-action:${createHash('sha256').update(`${directory}\n${environment}`).digest('hex').slice(0, 16)} -->`;
}

function workspace(
  files: Record<string, string>,
  envPy?: string,
): { root: string; jetbaseDir: string; write(name: string, text: string): void } {
  const root = mkdtempSync(path.join(tmpdir(), 'jetbase-ws-'));
  const jetbaseDir = path.join(root, 'jetbase');
  mkdirSync(path.join(jetbaseDir, 'migrations'), { recursive: true });
  const write = (name: string, text: string): void =>
    writeFileSync(path.join(jetbaseDir, 'migrations', name), text);
  for (const [name, text] of Object.entries(files)) write(name, text);
  if (envPy !== undefined) writeFileSync(path.join(jetbaseDir, 'env.py'), envPy);
  return { root, jetbaseDir, write };
}

async function engineContext(url: string, jetbaseDir: string): Promise<EngineContext> {
  return { jetbaseDir, dialect: await createDialect(parseDatabaseUrl(url), { baseDir: jetbaseDir }) };
}

function botComments(github: FakeGitHub, issue: number, directory = 'jetbase', environment = ''): string[] {
  return github
    .commentsOn(issue)
    .filter((c) => c.user.login === ACTIONS_BOT.login && c.body.startsWith(marker(directory, environment)))
    .map((c) => c.body);
}

/** Shows the run's log when its exit code is not the expected one. */
function expectExit(run: ActionRun, code: number): void {
  if (run.code !== code)
    throw new Error(
      `expected exit ${code}, got ${run.code} ${run.signal ?? ''}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`,
    );
}

const INVOICES_V1 = [
  '-- Invoices: `amount_cents` is an integer; a ``` fence in a comment must not break the comment.',
  'CREATE TABLE `invoices` (',
  '    id INTEGER PRIMARY KEY,',
  '    amount_cents INTEGER NOT NULL',
  ');',
  "INSERT INTO `invoices` (id, amount_cents) VALUES (1, length('```'));",
  '',
  '-- rollback',
  'DROP TABLE `invoices`;',
  '',
].join('\n');

describe('pull_request from the same repository (SQLite)', () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = new FakeGitHub({
      tokens: { [TOKEN]: { user: ACTIONS_BOT, canGetUser: false, readOnly: false } },
      secondaryRateLimitOnce: 'create-comment',
    });
    await github.start();
    // 150 earlier comments across two pages; one of them (on page 2) is someone else's with our marker.
    for (let i = 0; i < 149; i++) github.seedComment(12, i % 3 === 0 ? ACTIONS_BOT : ALICE, `comment ${i}`);
    github.seedComment(12, MALLORY, `${marker('jetbase', '')}\nI copied the marker: update me instead!`);
  });
  afterEach(() => github.stop());

  test('two runs make one comment: created (after a secondary rate limit), then updated in place', async () => {
    const ws = workspace({ 'V1__create_invoices.sql': INVOICES_V1 });
    const inputs = { 'database-url': `sqlite:///${path.join(ws.root, 'shop.db')}`, 'github-token': TOKEN };
    const first = await runAction({
      inputs,
      eventName: 'pull_request',
      payload: eventPayload('pull_request'),
      workspace: ws.root,
      apiUrl: github.url,
    });
    expectExit(first, 0);
    expect(first.outputs).toMatchObject({
      result: 'success',
      'pending-count': '1',
      'applied-count': '0',
      drift: 'false',
      'current-version': '',
    });

    let ours = botComments(github, 12);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toContain('Validation passed: 1 migration would run.');
    expect(ours[0]).toContain(
      `https://github.com/acme/shop/blob/${HEAD_SHA}/jetbase/migrations/V1__create_invoices.sql`,
    );
    // The SQL sits in a fence longer than any backtick run inside it.
    expect(ours[0]).toContain('````sql\nCREATE TABLE `invoices`');
    // Validation never writes: no Jetbase table was created.
    expect((await history(await engineContext(inputs['database-url'], ws.jetbaseDir))).tableExists).toBe(
      false,
    );

    // Pagination: page 2 was read; the rate-limited create was retried after Retry-After (1 s).
    const lists = github.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/issues/12/comments'));
    expect(lists.some((r) => r.query.page === '2')).toBe(true);
    expect(lists.every((r) => r.query.per_page === '100')).toBe(true);
    const creates = github.requests.filter((r) => r.method === 'POST');
    expect(creates.map((r) => r.status)).toEqual([403, 201]);
    expect(creates[1]!.at - creates[0]!.at).toBeGreaterThanOrEqual(900);
    expect(github.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);

    ws.write('V2__index_invoices.sql', 'CREATE INDEX invoices_amount ON invoices (amount_cents);\n');
    const second = await runAction({
      inputs,
      eventName: 'pull_request',
      payload: eventPayload('pull_request'),
      workspace: ws.root,
      apiUrl: github.url,
    });
    expectExit(second, 0);
    ours = botComments(github, 12);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toContain('Validation passed: 2 migrations would run.');
    expect(github.requests.filter((r) => r.method === 'POST' && r.status === 201)).toHaveLength(1);
    expect(github.requests.filter((r) => r.method === 'PATCH' && r.status === 200)).toHaveLength(1);
    // Someone else's comment with the marker is never adopted, changed or deleted.
    const mallorys = github.commentsOn(12).filter((c) => c.user.login === 'mallory');
    expect(mallorys).toHaveLength(1);
    expect(mallorys[0]!.body).toContain('update me instead');
    expect(github.commentsOn(12)).toHaveLength(151);

    // Another environment gets its own comment.
    const staging = await runAction({
      inputs: { ...inputs, environment: 'staging' },
      eventName: 'pull_request',
      payload: eventPayload('pull_request'),
      workspace: ws.root,
      apiUrl: github.url,
    });
    expectExit(staging, 0);
    expect(botComments(github, 12, 'jetbase', 'staging')).toHaveLength(1);
    expect(botComments(github, 12)).toHaveLength(1);
  });

  test('a changed applied file fails the check with an annotation on it and a comment that names it', async () => {
    const ws = workspace({ 'V1__create_invoices.sql': INVOICES_V1 });
    const url = `sqlite:///${path.join(ws.root, 'shop.db')}`;
    const deploy = await runAction({
      inputs: { 'database-url': url, comment: 'false' },
      eventName: 'push',
      payload: eventPayload('push_main'),
      ref: 'refs/heads/main',
      workspace: ws.root,
    });
    expectExit(deploy, 0);
    expect(deploy.outputs).toMatchObject({ result: 'success', 'applied-count': '1', 'current-version': '1' });
    expect(deploy.summary).toMatch(
      /\| 1 \| \[`migrations\/V1__create_invoices.sql`\]\(.*\) \| versioned 1 \| ✅ applied \| 2 \| \d+ ms \|/,
    );

    ws.write('V1__create_invoices.sql', INVOICES_V1.replace('NOT NULL', 'NOT NULL DEFAULT 0'));
    const check = await runAction({
      inputs: { 'database-url': url, 'github-token': TOKEN },
      eventName: 'pull_request',
      payload: eventPayload('pull_request'),
      workspace: ws.root,
      apiUrl: github.url,
    });
    expectExit(check, 1);
    expect(check.outputs).toMatchObject({ result: 'drift', drift: 'true' });
    const errors = workflowCommands(check.stdout, 'error');
    const onFile = errors.find((e) => e.properties.file === 'jetbase/migrations/V1__create_invoices.sql');
    expect(onFile?.properties.line).toBe('1');
    expect(onFile?.message).toMatch(/Checksum mismatch for version 1/);
    const [body] = botComments(github, 12);
    expect(body).toContain('Drift: applied migrations changed or are missing');
    expect(body).toContain(
      `[\`migrations/V1__create_invoices.sql\`](https://github.com/acme/shop/blob/${HEAD_SHA}/jetbase/migrations/V1__create_invoices.sql)`,
    );
    expect(body).toContain('Fix: `jetbase fix-checksums`');
    const report = JSON.parse(check.outputs.report!) as { problems: { kind: string }[] };
    expect(report.problems.map((p) => p.kind)).toEqual(['checksum-mismatch']);
  });
});

describe('lock-timeout (SQLite)', () => {
  test('a second run waits for the lock, then gives up with result "locked"', async () => {
    const ws = workspace({ 'V1__a.sql': 'CREATE TABLE a (id INTEGER);\n' });
    const url = `sqlite:///${path.join(ws.root, 'shop.db')}`;
    const inputs = { 'database-url': url, comment: 'false', 'lock-timeout': '1.5' };
    const push = {
      eventName: 'push',
      payload: eventPayload('push_main'),
      ref: 'refs/heads/main',
      workspace: ws.root,
    } as const;
    expect((await runAction({ ...push, inputs })).code).toBe(0);
    const ctx = await engineContext(url, ws.jetbaseDir);
    const conn = await ctx.dialect.connect();
    await conn.execute("UPDATE jetbase_lock SET is_locked = 1, process_id = 'another-run' WHERE id = 1");
    ws.write('V2__b.sql', 'CREATE TABLE b (id INTEGER);\n');
    const started = Date.now();
    const waited = await runAction({ ...push, inputs });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expectExit(waited, 1);
    expect(waited.outputs.result).toBe('locked');
    expect(waited.stdout).toContain('Waiting for the migration lock');
    // Not ours: the lock is left alone.
    expect((await lockStatus(ctx)).processId).toBe('another-run');
    await conn.execute('UPDATE jetbase_lock SET is_locked = 0, process_id = NULL WHERE id = 1');
    await conn.close();
    const after = await runAction({ ...push, inputs });
    expect(after.outputs).toMatchObject({ result: 'success', 'applied-count': '1' });
  });
});

describe('workflow_dispatch with an explicit command (SQLite)', () => {
  test('dry-run previews without writing, rollback undoes the last migration, outputs follow', async () => {
    const ws = workspace({
      'V1__a.sql': 'CREATE TABLE a (id INTEGER);\n-- rollback\nDROP TABLE a;\n',
      'V2__b.sql': 'CREATE TABLE b (id INTEGER);\n-- rollback\nDROP TABLE b;\n',
    });
    const url = `sqlite:///${path.join(ws.root, 'shop.db')}`;
    const dispatch = {
      eventName: 'workflow_dispatch',
      payload: eventPayload('workflow_dispatch'),
      ref: 'refs/heads/main',
      workspace: ws.root,
    } as const;
    // workflow_dispatch on the default branch upgrades; with dry-run it only shows the SQL.
    const preview = await runAction({
      ...dispatch,
      inputs: { 'database-url': url, comment: 'false', 'dry-run': 'true' },
    });
    expectExit(preview, 0);
    expect(preview.outputs).toMatchObject({ result: 'success', 'applied-count': '0', 'pending-count': '2' });
    expect(preview.summary).toContain('CREATE TABLE b (id INTEGER)');
    const ctx = await engineContext(url, ws.jetbaseDir);
    expect((await history(ctx)).tableExists).toBe(false);

    const applied = await runAction({ ...dispatch, inputs: { 'database-url': url, comment: 'false' } });
    expect(applied.outputs).toMatchObject({
      result: 'success',
      'applied-count': '2',
      'current-version': '2',
    });

    const rolledBack = await runAction({
      ...dispatch,
      inputs: { 'database-url': url, comment: 'false', command: 'rollback' },
    });
    expectExit(rolledBack, 0);
    expect(rolledBack.outputs).toMatchObject({
      result: 'success',
      'applied-count': '1',
      'current-version': '1',
    });
    expect((await history(ctx)).rows.map((r) => r.version)).toEqual(['1']);
    expect((await lockStatus(ctx)).locked).toBe(false);
  });
});

describe('fork pull request without database secrets', () => {
  function gitRepo(root: string): (args: string[]) => string {
    return (args) =>
      execFileSync(
        'git',
        ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args],
        { cwd: root, encoding: 'utf8' },
      ).trim();
  }

  test('validates offline against the base branch (git), says what it could not check, and only warns about the comment', async () => {
    const github = new FakeGitHub({
      tokens: { [FORK_TOKEN]: { user: ACTIONS_BOT, canGetUser: false, readOnly: true } },
    });
    await github.start();
    try {
      // env.py reads the URL from a variable that a fork run does not have.
      const ws = workspace(
        {
          'V1__create_invoices.sql': INVOICES_V1,
          'V3__add_paid.sql': 'ALTER TABLE invoices ADD COLUMN paid INTEGER;\n',
        },
        'import os\n\nsqlalchemy_url = os.getenv("SHOP_DATABASE_URL")\n',
      );
      const git = gitRepo(ws.root);
      git(['init', '-q', '-b', 'main']);
      git(['add', '.']);
      git(['commit', '-q', '-m', 'base']);
      const baseSha = git(['rev-parse', 'HEAD']);
      // The PR adds V2 (below V3 on the base branch: out of order once main is deployed) and V4.
      ws.write('V2__add_due_date.sql', 'ALTER TABLE invoices ADD COLUMN due TEXT;\n');
      ws.write('V4__add_index.sql', 'CREATE INDEX x ON invoices (paid)\n');
      const payload = eventPayload('pull_request_fork') as { pull_request: { base: { sha: string } } };
      payload.pull_request.base.sha = baseSha;
      const run = await runAction({
        inputs: { 'database-url': '', 'github-token': FORK_TOKEN },
        eventName: 'pull_request',
        payload,
        ref: 'refs/pull/13/merge',
        workspace: ws.root,
        apiUrl: github.url,
      });
      expectExit(run, 1);
      expect(run.outputs).toMatchObject({ result: 'invalid', 'pending-count': '', drift: 'false' });
      expect(workflowCommands(run.stdout, 'notice')[0]?.message).toMatch(
        /comes from a fork.*validating the migration files offline/,
      );
      const errors = workflowCommands(run.stdout, 'error');
      expect(
        errors.find((e) => e.properties.file === 'jetbase/migrations/V2__add_due_date.sql')?.message,
      ).toMatch(/lower than V3__add_paid.sql/);
      expect(
        errors.find((e) => e.properties.file === 'jetbase/migrations/V4__add_index.sql')?.properties.line,
      ).toBe('1');
      // The comment could not be written (read-only token): a warning, not the failure.
      expect(
        workflowCommands(run.stdout, 'warning').some((w) =>
          /PR comment skipped: GitHub answered 403/.test(w.message),
        ),
      ).toBe(true);
      expect(run.summary).toContain('Order against the 2 migration files on `main`');
      expect(run.summary).toContain('**Not checked** (needs the database)');
      expect(run.summary).toContain('Drift: whether applied migrations were changed');
      expect(github.commentsOn(13)).toHaveLength(0);
    } finally {
      await github.stop();
    }
  });

  test('without the base commit in the checkout, lists the base branch through the contents API', async () => {
    const github = new FakeGitHub({
      tokens: { [FORK_TOKEN]: { user: ACTIONS_BOT, canGetUser: false, readOnly: true } },
      contents: {
        'jetbase/migrations': [
          {
            type: 'file',
            name: 'V1__create_invoices.sql',
            path: 'jetbase/migrations/V1__create_invoices.sql',
          },
          { type: 'dir', name: 'release2', path: 'jetbase/migrations/release2' },
        ],
        'jetbase/migrations/release2': [
          { type: 'file', name: 'V3__add_paid.sql', path: 'jetbase/migrations/release2/V3__add_paid.sql' },
        ],
      },
    });
    await github.start();
    try {
      const ws = workspace({
        'V1__create_invoices.sql': INVOICES_V1,
        'V4__add_index.sql': 'CREATE INDEX x ON invoices (id);\n',
      });
      mkdirSync(path.join(ws.jetbaseDir, 'migrations', 'release2'));
      ws.write('release2/V3__add_paid.sql', 'ALTER TABLE invoices ADD COLUMN paid INTEGER;\n');
      const run = await runAction({
        inputs: { 'github-token': FORK_TOKEN },
        eventName: 'pull_request',
        payload: eventPayload('pull_request_fork'),
        workspace: ws.root,
        apiUrl: github.url,
      });
      expectExit(run, 0);
      expect(run.outputs.result).toBe('success');
      expect(run.summary).toContain(
        'Offline validation passed: 3 migration files checked without a database.',
      );
      expect(run.summary).toContain('Order against the 2 migration files on `main`');
      expect(github.requests.filter((r) => r.path.includes('/contents/')).map((r) => r.query.ref)).toEqual([
        '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b',
        '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b',
      ]);
    } finally {
      await github.stop();
    }
  });
});

const describePg = PG_URL ? describe : describe.skip;

describePg('PostgreSQL', () => {
  const pg = PG_URL ? postgresTarget(PG_URL) : undefined;

  test('no secret, in any form, reaches stdout, stderr, the summary, outputs, the comment or the state file', async () => {
    const url = await pg!.fresh();
    const password = parseDatabaseUrl(url).password!;
    const passphrase = 'correct horse battery staple';
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const github = new FakeGitHub({
      tokens: { [TOKEN]: { user: ACTIONS_BOT, canGetUser: false, readOnly: false } },
    });
    await github.start();
    try {
      // The password also sits in a migration's SQL, which the comment and the summary show.
      const ws = workspace({
        'V1__grant.sql': `CREATE TABLE creds (v TEXT);\nINSERT INTO creds VALUES ('${password}');\n`,
      });
      const inputs = {
        'database-url': url,
        'github-token': TOKEN,
        'snowflake-private-key': privateKey,
        'snowflake-private-key-password': passphrase,
      };
      const check = await runAction({
        inputs,
        eventName: 'pull_request',
        payload: eventPayload('pull_request'),
        workspace: ws.root,
        apiUrl: github.url,
      });
      const deploy = await runAction({
        inputs,
        eventName: 'push',
        payload: eventPayload('push_main'),
        ref: 'refs/heads/main',
        workspace: ws.root,
        apiUrl: github.url,
      });
      expectExit(check, 0);
      expectExit(deploy, 0);
      expect(check.summary).toContain("INSERT INTO creds VALUES ('***')");

      const secrets = [password, url, TOKEN, privateKey, passphrase];
      const forms = secrets.flatMap((s) => secretForms(s));
      expect(forms.length).toBeGreaterThan(20);
      for (const run of [check, deploy]) {
        // The runner consumes ::add-mask:: lines; everything else is what a log shows.
        const masks = run.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'));
        expect(masks.length).toBeGreaterThan(0);
        const places = {
          stdout: run.stdout
            .split('\n')
            .filter((l) => !l.startsWith('::add-mask::'))
            .join('\n'),
          stderr: run.stderr,
          summary: run.summary,
          outputs: JSON.stringify(run.outputs),
          state: run.stateFile,
          comments: JSON.stringify(github.commentsOn(12)) + github.requests.map((r) => r.body).join('\n'),
        };
        for (const [place, text] of Object.entries(places)) {
          for (const form of forms) {
            if (text.includes(form))
              throw new Error(`a secret form (${form.length} chars) appears in ${place}`);
          }
        }
      }
    } finally {
      await github.stop();
    }
  });

  test('SIGTERM mid-upgrade: the current migration rolls back and the lock is released', async () => {
    const url = await pg!.fresh();
    const ws = workspace({
      'V1__slow.sql': 'SELECT pg_sleep(2);\nCREATE TABLE sigterm_a (id INTEGER);\n',
      'V2__next.sql': 'CREATE TABLE sigterm_b (id INTEGER);\n',
    });
    const run = await runAction({
      inputs: { 'database-url': url, comment: 'false' },
      eventName: 'push',
      payload: eventPayload('push_main'),
      ref: 'refs/heads/main',
      workspace: ws.root,
      signalWhen: { pattern: /Applying V1__slow\.sql/, signal: 'SIGTERM' },
    });
    expect(run.signal).toBeNull();
    expectExit(run, 1);
    expect(run.outputs.result).toBe('cancelled');
    expect(run.stdout).toContain('Received SIGTERM');
    expect(run.state.lockReleased).toBe('true');
    const ctx = await engineContext(url, ws.jetbaseDir);
    expect((await lockStatus(ctx)).locked).toBe(false);
    expect((await history(ctx)).rows).toHaveLength(0);
  });

  test('SIGKILL while holding the lock: the post step releases it with the saved process id', async () => {
    const url = await pg!.fresh();
    const ws = workspace({ 'V1__slow.sql': 'SELECT pg_sleep(4);\nCREATE TABLE killed_a (id INTEGER);\n' });
    const inputs = { 'database-url': url, comment: 'false' };
    const push = {
      eventName: 'push',
      payload: eventPayload('push_main'),
      ref: 'refs/heads/main',
      workspace: ws.root,
    } as const;
    const main = await runAction({
      ...push,
      inputs,
      signalWhen: { pattern: /Applying V1__slow\.sql/, signal: 'SIGKILL' },
    });
    expect(main.signal).toBe('SIGKILL');
    expect(main.state.isPost).toBe('true');
    expect(main.state.lockProcessId).toMatch(/^[0-9a-f-]{36}$/);
    expect(main.state.lockReleased).toBeUndefined();
    expect(main.stateFile).not.toContain(parseDatabaseUrl(url).password!);
    const ctx = await engineContext(url, ws.jetbaseDir);
    const held = await lockStatus(ctx);
    expect(held.locked).toBe(true);
    expect(held.processId).toBe(main.state.lockProcessId);

    const post = await runAction({ ...push, inputs, state: main.state, files: main.files });
    expectExit(post, 0);
    expect(workflowCommands(post.stdout, 'warning')[0]?.message).toMatch(/post step released it/);
    expect((await lockStatus(ctx)).locked).toBe(false);
  }, 90_000);

  test('the post step never releases a lock another process holds', async () => {
    const url = await pg!.fresh();
    const ws = workspace({ 'V1__a.sql': 'CREATE TABLE other_a (id INTEGER);\n' });
    const push = {
      eventName: 'push',
      payload: eventPayload('push_main'),
      ref: 'refs/heads/main',
      workspace: ws.root,
    } as const;
    const inputs = { 'database-url': url, comment: 'false' };
    expect((await runAction({ ...push, inputs })).code).toBe(0);
    const ctx = await engineContext(url, ws.jetbaseDir);
    const conn = await ctx.dialect.connect();
    await conn.execute("UPDATE jetbase_lock SET is_locked = TRUE, process_id = 'someone-else' WHERE id = 1");
    await conn.close();
    const post = await runAction({
      ...push,
      inputs,
      state: { isPost: 'true', lockProcessId: '5d0c7e52-0000-4000-8000-000000000000' },
    });
    expectExit(post, 0);
    expect(post.stdout).toContain('is not held by this run');
    expect((await lockStatus(ctx)).processId).toBe('someone-else');
  });
});

/**
 * The action's main step in-process, from src/ (no bundle): the runner's environment is set as
 * INPUT_* and GITHUB_* variables and the real @actions/core writes workflow commands to stdout and
 * the runner's files, against a loopback fake of the GitHub REST API. A change is tested here
 * before it is bundled; dist.test.ts runs the bundle the way the runner does.
 */
import path from 'node:path';

import { ACTIONS_BOT, FakeGitHub } from '../fakes/github/server.js';
import { runInProcess, workspace } from './in-process.js';
import { eventPayload, workflowCommands } from './run-action.js';

const TOKEN = 'ghs_InProcessToken0000000000000000000000';

describe('the main step, in-process', () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = new FakeGitHub({
      tokens: { [TOKEN]: { user: ACTIONS_BOT, canGetUser: false, readOnly: false } },
      omitHtmlUrl: true,
    });
    await github.start();
  });
  afterEach(() => github.stop());

  test('a push to main applies the migrations and reports the current version from the run itself', async () => {
    const ws = workspace({
      'V1__users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n',
      'V2__email.sql': 'ALTER TABLE users ADD COLUMN email TEXT;\n',
    });
    const result = await runInProcess({
      eventName: 'push',
      payload: eventPayload('push_main'),
      ref: 'refs/heads/main',
      workspace: ws.root,
      inputs: { 'database-url': `sqlite:///${path.join(ws.root, 'app.db')}` },
    });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ result: 'success', 'applied-count': '2', 'current-version': '2' });
    expect(result.stdout).toMatch(/^✔ V1__users\.sql {2}\d+ ms$/m);
    expect(result.summary).toContain('Applied 2 migrations');
    // The lock was released by the run, so the post step has nothing to do.
    expect(result.state.lockReleased).toBe('true');
  });

  test('a failed migration: its annotation points at the statement line the engine reported', async () => {
    const ws = workspace({
      'V1__users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n\nINSERT INTO nowhere VALUES (1);\n',
    });
    const result = await runInProcess({
      eventName: 'push',
      payload: eventPayload('push_main'),
      ref: 'refs/heads/main',
      workspace: ws.root,
      inputs: { 'database-url': `sqlite:///${path.join(ws.root, 'app.db')}` },
    });
    expect(result.code).toBe(1);
    expect(result.outputs.result).toBe('failure');
    const failure = workflowCommands(result.stdout, 'error').find(
      (e) => e.properties.title === 'Jetbase: migration failed',
    );
    expect(failure?.properties).toMatchObject({ file: 'jetbase/migrations/V1__users.sql', line: '3' });
  });

  test('a pull request with 30 problems stays within GitHub caps: at most 10 errors, the failure message included', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`V${i + 1}_bad name ${i}.sql`] = 'SELECT 1;\n';
    const ws = workspace(files);
    const result = await runInProcess({
      eventName: 'pull_request',
      payload: eventPayload('pull_request'),
      workspace: ws.root,
      apiUrl: github.url,
      inputs: { 'database-url': `sqlite:///${path.join(ws.root, 'app.db')}`, 'github-token': TOKEN },
    });
    expect(result.code).toBe(1);
    const errors = workflowCommands(result.stdout, 'error');
    expect(errors.length).toBeLessThanOrEqual(10);
    // The last error is setFailed's, and it says how many did not fit.
    expect(errors.at(-1)?.message).toMatch(/and 21 more errors: see the job summary/);
  });

  test('a comment answer without html_url is logged by its id, never as "undefined"', async () => {
    const ws = workspace({ 'V1__users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n' });
    const result = await runInProcess({
      eventName: 'pull_request',
      payload: eventPayload('pull_request'),
      workspace: ws.root,
      apiUrl: github.url,
      inputs: { 'database-url': `sqlite:///${path.join(ws.root, 'app.db')}`, 'github-token': TOKEN },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/PR comment created: id \d+/);
    expect(result.stdout).not.toContain('undefined');
  });

  test('a fork PR whose env.py reads a secret the fork does not get validates offline instead of failing', async () => {
    const ws = workspace(
      { 'V1__users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n' },
      'import os\nsqlalchemy_url = os.environ["DATABASE_URL"]\n',
    );
    const result = await runInProcess({
      eventName: 'pull_request',
      payload: eventPayload('pull_request_fork'),
      ref: 'refs/pull/13/merge',
      workspace: ws.root,
      apiUrl: github.url,
    });
    expect(result.code).toBe(0);
    expect(result.outputs.result).toBe('success');
    expect(workflowCommands(result.stdout, 'notice')[0]?.message).toMatch(
      /env\.py reads DATABASE_URL, which is not set here: this pull request comes from a fork.*validating the migration files offline/,
    );
  });

  test('the same env.py on a push (not a fork) still fails: the missing secret is a real error there', async () => {
    const ws = workspace(
      { 'V1__users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n' },
      'import os\nsqlalchemy_url = os.environ["DATABASE_URL"]\n',
    );
    const result = await runInProcess({
      eventName: 'push',
      payload: eventPayload('push_main'),
      ref: 'refs/heads/main',
      workspace: ws.root,
    });
    expect(result.code).toBe(1);
    expect(result.outputs.result).toBe('failure');
    expect(workflowCommands(result.stdout, 'error').at(-1)?.message).toContain('DATABASE_URL');
  });
});

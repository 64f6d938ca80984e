/**
 * What repository code (a dynamic env.py) sees when the bundled action runs it, and when it does
 * not run at all: through dist/ on Node 24, as the runner runs the action.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { eventPayload, runAction, workflowCommands } from './run-action.js';

const TOKEN = 'ghs_RepositoryCodeToken00000000000000000';

/** An env.py that needs Python (a function call) and writes the names of its environment to a file. */
function recordingEnvPy(record: string, url: string): string {
  return [
    'import json, os',
    `with open(${JSON.stringify(record)}, "w") as f:`,
    '    json.dump(sorted(os.environ.keys()), f)',
    `sqlalchemy_url = os.getenv("APP_DATABASE_URL", ${JSON.stringify(url)})`,
    '',
  ].join('\n');
}

function workspace(): { root: string; jetbaseDir: string; record: string; db: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'jetbase-repo-code-'));
  const jetbaseDir = path.join(root, 'jetbase');
  mkdirSync(path.join(jetbaseDir, 'migrations'), { recursive: true });
  writeFileSync(path.join(jetbaseDir, 'migrations', 'V1__users.sql'), 'CREATE TABLE users (id INTEGER);\n');
  const record = path.join(root, 'env-seen.json');
  const db = path.join(root, 'app.db');
  writeFileSync(path.join(jetbaseDir, 'env.py'), recordingEnvPy(record, `sqlite:///${db}`));
  return { root, jetbaseDir, record, db };
}

test("env.py runs without the action's inputs, the runner's tokens and the step's files, but with the workflow's variables", async () => {
  const ws = workspace();
  const run = await runAction({
    eventName: 'push',
    payload: eventPayload('push_main'),
    ref: 'refs/heads/main',
    workspace: ws.root,
    inputs: { 'github-token': TOKEN, 'snowflake-private-key': 'not-a-real-key' },
    env: {
      GITHUB_TOKEN: TOKEN,
      ACTIONS_RUNTIME_TOKEN: 'runtime-token',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/oidc',
      RUNNER_OS: 'Linux',
      APP_DATABASE_URL: `sqlite:///${ws.db}`,
      DEPLOY_ENVIRONMENT: 'staging',
    },
  });
  expect(run.outputs.result).toBe('success');
  const seen = JSON.parse(readFileSync(ws.record, 'utf8')) as string[];
  expect(seen).toEqual(
    expect.arrayContaining(['APP_DATABASE_URL', 'DEPLOY_ENVIRONMENT', 'RUNNER_OS', 'GITHUB_SHA']),
  );
  const leaked = seen.filter(
    (name) =>
      name.startsWith('INPUT_') ||
      name.startsWith('ACTIONS_') ||
      name.startsWith('STATE_') ||
      name === 'GITHUB_TOKEN' ||
      ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_STEP_SUMMARY'].includes(name),
  );
  expect(leaked).toEqual([]);
});

test('pull_request_target from a fork: env.py never runs, and the step still validates the files offline', async () => {
  const ws = workspace();
  const payload = eventPayload('pull_request_fork');
  const run = await runAction({
    eventName: 'pull_request_target',
    payload,
    ref: 'refs/heads/main',
    workspace: ws.root,
    // No token: the base branch is not listed through the API (this test is about env.py).
    inputs: { 'github-token': '' },
  });
  expect(existsSync(ws.record)).toBe(false);
  expect(run.code).toBe(0);
  expect(run.outputs.result).toBe('success');
  const notice = workflowCommands(run.stdout, 'notice')[0]?.message ?? '';
  expect(notice).toMatch(/pull_request_target runs with this repository's secrets/);
  expect(notice).toMatch(/database-url/);
  expect(notice).toMatch(/validating the migration files offline/);
  expect(run.summary).toContain('Offline validation passed');
});

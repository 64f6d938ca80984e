/**
 * The Python program that evaluates env.py ships with the action: the bundle (dist/) carries a
 * copy, and the bundled action, run the way the runner runs it, finds it and evaluates an env.py
 * that needs Python.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { REPO_ROOT, eventPayload, runAction } from '../action/run-action.js';

const DRIVER = readFileSync(path.join(REPO_ROOT, 'src/config/env-py-driver.py'), 'utf8');
const DIST = path.join(REPO_ROOT, 'dist');

test('dist/ holds the env.py driver, byte for byte', () => {
  const copies = readdirSync(DIST)
    .filter((file) => file.endsWith('.py'))
    .filter((file) => readFileSync(path.join(DIST, file), 'utf8') === DRIVER);
  expect(copies).toHaveLength(1);
});

test('the bundled action evaluates an env.py with get_env_vars() and runs its migrations', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'jetbase-ws-'));
  const jetbaseDir = path.join(root, 'jetbase');
  mkdirSync(path.join(jetbaseDir, 'migrations'), { recursive: true });
  writeFileSync(path.join(jetbaseDir, 'migrations', 'V1__a.sql'), 'CREATE TABLE a (id INTEGER);\n');
  const database = path.join(root, 'from-env-py.db');
  writeFileSync(
    path.join(jetbaseDir, 'env.py'),
    [
      'import os',
      'def get_env_vars():',
      `    return {"sqlalchemy_url": "sqlite:///" + os.environ["SHOP_DB_FILE"]}`,
      '',
    ].join('\n'),
  );
  const run = await runAction({
    eventName: 'workflow_dispatch',
    payload: eventPayload('workflow_dispatch'),
    ref: 'refs/heads/main',
    workspace: root,
    inputs: { comment: 'false' },
    env: { SHOP_DB_FILE: database },
  });
  if (run.code !== 0)
    throw new Error(`exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`);
  expect(run.outputs).toMatchObject({ result: 'success', 'applied-count': '1', 'current-version': '1' });
  expect(readdirSync(root)).toContain('from-env-py.db');
});

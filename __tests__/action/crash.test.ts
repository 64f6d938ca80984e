/** An unexpected error in the bundle reads as a short message and a stack in src/ files, not minified code. */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { eventPayload, runAction, workflowCommands } from './run-action.js';

test('the runner files unusable: one error line, then a stack that names src/ files and lines', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'jetbase-crash-'));
  mkdirSync(path.join(root, 'jetbase', 'migrations'), { recursive: true });
  const outputDir = path.join(root, 'output-is-a-directory');
  mkdirSync(outputDir);
  const run = await runAction({
    eventName: 'push',
    payload: eventPayload('push_main'),
    ref: 'refs/heads/main',
    workspace: root,
    inputs: { 'database-url': `sqlite:///${path.join(root, 'app.db')}`, command: 'validate' },
    env: { GITHUB_OUTPUT: outputDir },
  });
  expect(run.code).toBe(1);
  expect(workflowCommands(run.stdout, 'error').map((e) => e.message)).toEqual([
    expect.stringMatching(/^EISDIR: illegal operation on a directory/),
  ]);
  expect(run.stdout).toMatch(/^\s+at .*src\/action\/outputs\.ts:\d+/m);
  const longest = Math.max(...`${run.stdout}\n${run.stderr}`.split('\n').map((line) => line.length));
  expect(longest).toBeLessThan(1000);
});

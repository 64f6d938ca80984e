/**
 * Drift explained on a pull request, in-process with a real git repository as the workspace and a
 * real SQLite database: the comment shows the diff of the upgrade section against the base
 * branch, says whether this pull request made the change, and what to do about it.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ACTIONS_BOT, FakeGitHub } from '../fakes/github/server.js';
import { runInProcess, workspace } from './in-process.js';
import { eventPayload, type ActionRun } from './run-action.js';

const TOKEN = 'ghs_DriftToken0000000000000000000000000';
const USERS = 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

describe('drift explained on a pull request', () => {
  let github: FakeGitHub;
  let ws: { root: string; jetbaseDir: string };
  let url: string;
  const migration = (name: string) => path.join(ws.jetbaseDir, 'migrations', name);

  beforeEach(async () => {
    github = new FakeGitHub({
      tokens: { [TOKEN]: { user: ACTIONS_BOT, canGetUser: false, readOnly: false } },
    });
    await github.start();
    ws = workspace({ 'V1__users.sql': USERS });
    url = `sqlite:///${path.join(ws.root, 'prod.db')}`;
    writeFileSync(path.join(ws.root, '.gitignore'), 'prod.db\n');
    git(ws.root, 'init', '-q', '-b', 'main');
    git(ws.root, 'add', '.');
    git(ws.root, 'commit', '-qm', 'V1');
    // Production has V1 as the base branch holds it.
    const deployed = await runInProcess({
      eventName: 'workflow_dispatch',
      payload: eventPayload('workflow_dispatch'),
      ref: 'refs/heads/main',
      workspace: ws.root,
      inputs: { 'database-url': url, command: 'upgrade', comment: 'false' },
    });
    expect(deployed.code).toBe(0);
  });
  afterEach(() => github.stop());

  /** Commits the PR's change on a branch and validates it with the base commit it started from. */
  async function pullRequest(
    change: () => void,
    baseSha = git(ws.root, 'rev-parse', 'HEAD'),
  ): Promise<string> {
    git(ws.root, 'checkout', '-qb', 'feature');
    change();
    git(ws.root, 'add', '-A');
    git(ws.root, 'commit', '-qm', 'change');
    const payload = eventPayload('pull_request') as { pull_request: { base: { sha: string } } };
    payload.pull_request.base.sha = baseSha;
    const result: ActionRun = await runInProcess({
      eventName: 'pull_request',
      payload,
      workspace: ws.root,
      apiUrl: github.url,
      inputs: { 'database-url': url, 'github-token': TOKEN },
    });
    expect(result.outputs.result).toBe('drift');
    return github.commentsOn(12)[0]!.body;
  }

  test('an edit made by this pull request: the diff, who made it, and to restore it', async () => {
    const body = await pullRequest(() =>
      writeFileSync(migration('V1__users.sql'), 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n'),
    );
    expect(body).toContain('#### Drift explained');
    expect(body).toContain(
      '- `migrations/V1__users.sql` changed. This pull request changed it: the base branch still has the version that was applied.',
    );
    expect(body).toContain('Restore the file to what was applied and put the change in a new migration');
    expect(body).toContain(
      '<details><summary>Diff of the upgrade section of <code>migrations/V1__users.sql</code>',
    );
    expect(body).toContain(
      '  -CREATE TABLE users (id INTEGER PRIMARY KEY);\n  +CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);',
    );
  });

  test('a whitespace-only edit is called so, and fix-checksums may accept it', async () => {
    const body = await pullRequest(() =>
      writeFileSync(migration('V1__users.sql'), 'CREATE TABLE  users (id  INTEGER PRIMARY KEY);\n'),
    );
    expect(body).toContain(
      '- `migrations/V1__users.sql` changed (whitespace or comments only). This pull request changed it',
    );
    expect(body).toContain('this may be accepted with `jetbase fix-checksums`');
  });

  test('the base branch already differs from what was applied: not this pull request', async () => {
    writeFileSync(migration('V1__users.sql'), 'CREATE TABLE users (id INTEGER PRIMARY KEY, edited TEXT);\n');
    git(ws.root, 'commit', '-qam', 'edit on main');
    const body = await pullRequest(() => writeFileSync(migration('V2__more.sql'), 'SELECT 1;\n'));
    expect(body).toContain(
      'The base branch already differs from what was applied; this pull request did not change it.',
    );
    expect(body).not.toContain('Diff of the upgrade section');
  });

  test('a shallow checkout without the base commit: the base file comes from the contents API', async () => {
    await github.stop();
    github = new FakeGitHub({
      tokens: { [TOKEN]: { user: ACTIONS_BOT, canGetUser: false, readOnly: false } },
      files: { 'jetbase/migrations/V1__users.sql': USERS },
    });
    await github.start();
    const body = await pullRequest(
      () =>
        writeFileSync(
          migration('V1__users.sql'),
          'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n',
        ),
      '0123456789abcdef0123456789abcdef01234567',
    );
    expect(body).toContain(
      'This pull request changed it: the base branch still has the version that was applied.',
    );
    expect(body).toContain('+CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);');
    expect(
      github.requests.some(
        (r) => decodeURIComponent(r.path) === '/repos/acme/shop/contents/jetbase/migrations/V1__users.sql',
      ),
    ).toBe(true);
  });

  test('a missing file says this pull request deleted it', async () => {
    const body = await pullRequest(() => rmSync(migration('V1__users.sql')));
    expect(body).toContain(
      '- `migrations/V1__users.sql` is missing. This pull request deleted it; the base branch still has it.',
    );
    expect(body).toContain('Restore the file');
  });
});

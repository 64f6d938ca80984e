/** What the two action tests of verify share: a workspace on disk and a loopback GitHub per test. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ACTIONS_BOT, FakeGitHub } from '../fakes/github/server.js';

/** A repository root with `jetbase/migrations/<name>` for each file. */
export function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'jetbase-verify-action-'));
  mkdirSync(path.join(root, 'jetbase', 'migrations'), { recursive: true });
  for (const [name, text] of Object.entries(files))
    writeFileSync(path.join(root, 'jetbase', 'migrations', name), text);
  return root;
}

/** A fresh fake GitHub for each test of the enclosing describe; `get()` is the current one. */
export function useFakeGitHub(token: string): { get(): FakeGitHub; botComment(issue: number): string } {
  let github: FakeGitHub | undefined;
  beforeEach(async () => {
    github = new FakeGitHub({
      tokens: { [token]: { user: ACTIONS_BOT, canGetUser: false, readOnly: false } },
    });
    await github.start();
  });
  afterEach(() => github?.stop());
  const get = () => {
    if (github === undefined) throw new Error('the fake GitHub starts in beforeEach');
    return github;
  };
  return {
    get,
    botComment: (issue) =>
      get()
        .commentsOn(issue)
        .find((c) => c.user.login === ACTIONS_BOT.login)?.body ?? '',
  };
}

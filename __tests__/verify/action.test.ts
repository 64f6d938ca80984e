/**
 * The action with `verify-database-url`, in-process from src/ (the pattern of
 * __tests__/action/main.test.ts): on a pull request it validates, then replays the chain on the
 * disposable database; the comment gets "Tested on a fresh database", `verified` says how it went
 * and a failure fails the check.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { runInProcess } from '../action/in-process.js';
import { eventPayload, workflowCommands } from '../action/run-action.js';
import { useFakeGitHub, workspace } from './action-helpers.js';
import { goodChain } from './conformance.js';

const TOKEN = 'ghs_VerifyInProcessToken00000000000000000';
const CREATE_USERS = 'CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(255) NOT NULL);';

describe('the action with verify-database-url', () => {
  const github = useFakeGitHub(TOKEN);

  const pullRequest = (root: string, inputs: Record<string, string>) =>
    runInProcess({
      eventName: 'pull_request',
      payload: eventPayload('pull_request'),
      workspace: root,
      apiUrl: github.get().url,
      inputs: { 'github-token': TOKEN, ...inputs },
    });
  const comment = () => github.botComment(12);

  test('a good chain: the comment has one line per file with its three passes; verified=true', async () => {
    const root = workspace(goodChain(CREATE_USERS));
    const result = await pullRequest(root, {
      'database-url': `sqlite:///${path.join(root, 'app.db')}`,
      'verify-database-url': 'sqlite:///:memory:',
    });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ result: 'success', verified: 'true' });
    const body = comment();
    expect(body).toMatch(/^### ✅ Jetbase/m);
    expect(body).toContain('#### Tested on a fresh database');
    expect(body).toContain('✅ Up, down and up again passed (4 files');
    expect(body).toMatch(/- ✓ up \d+ ms · ✓ down \d+ ms · ✓ up \d+ ms — \[`migrations\/V1__users\.sql`\]/);
    expect(body).toMatch(/- ✓ up \d+ ms · – down · ✓ up \d+ ms — \[`migrations\/RA__always\.sql`\]/);
    expect(result.summary).toContain('Tested on a fresh database');
  });

  test('a broken rollback fails the check: the comment shows the file, the message and the SQL', async () => {
    const root = workspace({
      ...goodChain(CREATE_USERS),
      'V4__audit.sql': 'CREATE TABLE audit (id INT);\n\n-- rollback\nDROP TABLE audit_typo;',
    });
    const result = await pullRequest(root, { 'verify-database-url': 'sqlite:///:memory:' });
    expect(result.code).toBe(1);
    expect(result.outputs.verified).toBe('false');
    const body = comment();
    expect(body).toMatch(/^### ❌ Jetbase/m);
    expect(body).toContain('❌ Verify failed in the rollback of every versioned migration.');
    expect(body).toMatch(
      /\*\*Failed\*\*: \[`migrations\/V4__audit\.sql:4`\]\(.*#L4\) \(rollback section\), statement 1: no such table: audit\\?_typo/,
    );
    expect(body).toContain('```sql\nDROP TABLE audit_typo\n```');
    const annotation = workflowCommands(result.stdout, 'error').find(
      (e) => e.properties.file === 'jetbase/migrations/V4__audit.sql',
    );
    expect(annotation?.properties.line).toBe('4');
    const failed = workflowCommands(result.stdout, 'error').at(-1)!;
    expect(failed.message).toContain('Verify failed in the rollback');
  });

  test('a verify database with a table is refused (verified=false) and its password is masked', async () => {
    const root = workspace(goodChain(CREATE_USERS));
    const file = path.join(root, 'not-empty.db');
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(file);
    db.exec('CREATE TABLE precious (id INT)');
    db.close();
    const result = await pullRequest(root, { 'verify-database-url': `sqlite:///${file}` });
    expect(result.code).toBe(1);
    expect(result.outputs.verified).toBe('false');
    expect(comment()).toContain("it has the table or view 'precious'");
    const again = new Database(file);
    expect(again.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual([
      'precious',
    ]);
    again.close();

    const masked = await pullRequest(root, {
      'verify-database-url': 'postgresql://ci:Verify-Secret-9@127.0.0.1:1/x',
      'connect-timeout': '0',
    });
    expect(masked.outputs.verified).toBe('false');
    expect(masked.stdout).toContain('::add-mask::Verify-Secret-9');
    expect(masked.stdout.replace(/::add-mask::.*\n/g, '')).not.toContain('Verify-Secret-9');
    expect(comment()).not.toContain('Verify-Secret-9');
  });

  test('a fork PR whose env.py reads a secret it does not get: validated offline, verified all the same', async () => {
    const root = workspace(goodChain(CREATE_USERS));
    writeFileSync(
      path.join(root, 'jetbase', 'env.py'),
      'import os\nsqlalchemy_url = os.environ["DATABASE_URL"]\n',
    );
    const result = await runInProcess({
      eventName: 'pull_request',
      payload: eventPayload('pull_request_fork'),
      ref: 'refs/pull/13/merge',
      workspace: root,
      apiUrl: github.get().url,
      inputs: { 'github-token': TOKEN, 'verify-database-url': 'sqlite:///:memory:' },
    });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ result: 'success', verified: 'true' });
    expect(result.stdout).toContain('the verify URL could not be compared with the target');
  });

  test('a file without a rollback section: a warning, the check passes, verified=true', async () => {
    const root = workspace({
      ...goodChain(CREATE_USERS),
      'V2__alice.sql': "INSERT INTO users (name) VALUES ('a');",
    });
    const result = await pullRequest(root, { 'verify-database-url': 'sqlite:///:memory:' });
    expect(result.code).toBe(0);
    expect(result.outputs.verified).toBe('true');
    const warning = workflowCommands(result.stdout, 'warning').find(
      (w) => w.properties.title === 'Jetbase: rollback not tested',
    );
    expect(warning?.message).toContain('no rollback section in migrations/V2__alice.sql');
    expect(comment()).toContain(
      '⚠️ Upgrade passed; rollback not tested: 1 versioned file has no rollback section.',
    );
  });

  test('without the input, or on a push, verify does not run and verified is empty', async () => {
    const root = workspace(goodChain(CREATE_USERS));
    const result = await pullRequest(root, {});
    expect(result.code).toBe(0);
    expect(result.outputs.verified).toBe('');
    expect(comment()).not.toContain('Tested on a fresh database');
    const push = await runInProcess({
      eventName: 'push',
      payload: eventPayload('push_main'),
      ref: 'refs/heads/main',
      workspace: root,
      inputs: {
        'database-url': `sqlite:///${path.join(root, 'app.db')}`,
        'verify-database-url': 'sqlite:///:memory:',
      },
    });
    expect(push.code).toBe(0);
    expect(push.outputs.verified).toBe('');
  });
});

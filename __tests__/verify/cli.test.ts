/** `jetbase verify --url URL [--json]` in-process: exit 0 when the chain passes, 1 on a failure. */
import { main } from '../../src/cli/index.js';
import { parseCliArgs } from '../../src/cli/args.js';
import { UsageError } from '../../src/engine/errors.js';
import { makeProject, type TestProject } from '../helpers/project.js';
import { goodChain } from './conformance.js';

const CREATE_USERS = 'CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(255) NOT NULL);';

let project: TestProject;
afterEach(() => project?.cleanup());

async function jetbase(args: readonly string[], files: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  project = makeProject(files);
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: { NO_COLOR: '1', ...env },
    cwd: project.jetbaseDir,
  });
  return { code, stdout, stderr };
}

test('verify needs --url, and --url is the disposable database there', () => {
  expect(() => parseCliArgs(['verify'])).toThrow(UsageError);
  expect(parseCliArgs(['verify', '--url', 'sqlite:///:memory:'])).toMatchObject({
    kind: 'run',
    command: { name: 'verify', url: 'sqlite:///:memory:' },
  });
});

test('a good chain: one line per file with its three passes, exit 0', async () => {
  const { code, stdout } = await jetbase(['verify', '--url', 'sqlite:///:memory:'], goodChain(CREATE_USERS));
  expect(code).toBe(0);
  expect(stdout).toMatch(/✓ up \d+ ms {2}✓ down \d+ ms {2}✓ up \d+ ms {2}migrations\/V1__users\.sql/);
  expect(stdout).toMatch(/✓ up \d+ ms {2}– down {2}✓ up \d+ ms {2}migrations\/RA__always\.sql/);
  expect(stdout).toContain('Up, down and up again passed (4 files');
});

test('a broken rollback: exit 1, the file and the database message on stderr; --json says the same', async () => {
  const files = {
    ...goodChain(CREATE_USERS),
    'V4__x.sql': 'CREATE TABLE t (id INT);\n-- rollback\nDROP TABLE nope;',
  };
  const human = await jetbase(['verify', '--url', 'sqlite:///:memory:'], files);
  expect(human.code).toBe(1);
  expect(human.stdout).toContain('Verify failed in the rollback');
  expect(human.stderr).toContain(
    'migrations/V4__x.sql (rollback section), statement 1 failed: no such table: nope',
  );
  const json = await jetbase(['verify', '--url', 'sqlite:///:memory:', '--json'], files);
  expect(json.code).toBe(1);
  const document = JSON.parse(json.stdout) as Record<string, unknown>;
  expect(document).toMatchObject({
    command: 'verify',
    ok: false,
    failure: { pass: 'rollback', error: { file: 'migrations/V4__x.sql', section: 'rollback', line: 3 } },
  });
});

test('files without a rollback section: a warning, exit 0', async () => {
  const files = { ...goodChain(CREATE_USERS), 'V2__alice.sql': "INSERT INTO users (name) VALUES ('a');" };
  const { code, stdout, stderr } = await jetbase(['verify', '--url', 'sqlite:///:memory:'], files);
  expect(code).toBe(0);
  expect(stderr).toContain('Warning: Rollback not tested: no rollback section in migrations/V2__alice.sql.');
  expect(stdout).toContain('rollback not tested');
});

test('the target database itself is refused (exit 1), from JETBASE_SQLALCHEMY_URL', async () => {
  const { code, stderr } = await jetbase(['verify', '--url', 'sqlite:///app.db'], goodChain(CREATE_USERS), {
    JETBASE_SQLALCHEMY_URL: 'sqlite:///app.db',
  });
  expect(code).toBe(1);
  expect(stderr).toContain('names the target database');
});

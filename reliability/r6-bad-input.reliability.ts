/**
 * R6 bad input. Malformed URLs, configuration files (jetbase.toml, pyproject.toml, JETBASE_*
 * variables), env.py files, migration file names and CLI flags, each through the built CLI. Each
 * must give: exit code 1 or 2; an error whose first line (`Error: …`, or the first problem it
 * lists) names the input at fault; and nothing written: the SQLite database file is byte for byte
 * what it was (or still absent), and the PostgreSQL database still has no table.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parseDatabaseUrl } from '../src/config/url.js';
import { createDialect } from '../src/dialects/registry.js';
import { jetbase } from '../__tests__/cli/run-cli.js';
import { PG_URL, postgresTarget } from '../__tests__/helpers/databases.js';
import { recordFigure } from './helpers/figures.js';
import { firstNumber, runStatements } from './helpers/workload.js';

interface BadInput {
  readonly name: string;
  /** Text the error's first line must contain (case-insensitive). */
  readonly names: string;
  readonly args?: readonly string[];
  readonly env?: Record<string, string>;
  /** Files relative to the project root (`jetbase/…`, `pyproject.toml`). Binary as Buffer. */
  readonly files?: Record<string, string | Buffer>;
  /** Target PostgreSQL instead of the project's SQLite file. */
  readonly postgres?: boolean;
  /** The URL comes from the case's own files (or nowhere): no JETBASE_SQLALCHEMY_URL is set. */
  readonly ownConfig?: boolean;
}

const OK_MIGRATION = { 'jetbase/migrations/V1__ok.sql': 'CREATE TABLE ok (id INTEGER);\n' };

function fileDigest(file: string): string {
  return existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'absent';
}

/** The error's first line: `Error: …`, or for a validation failure the first problem it lists. */
function firstErrorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => !line.startsWith('Note:'));
  const index = lines.findIndex((line) => line.startsWith('Error:'));
  if (index < 0) return '';
  if (/^Error: Validation failed with \d+ problem/.test(lines[index]!)) return lines[index + 1]?.trim() ?? '';
  return lines[index]!;
}

const PG_FREE_PORT_URL = 'postgresql://jetbase:secret@127.0.0.1:1/db';

const cases: BadInput[] = [
  // URLs
  {
    name: 'URL: port not a number',
    names: "Invalid port 'notaport'",
    args: ['--url', 'postgresql://u:p@127.0.0.1:notaport/db'],
  },
  {
    name: 'URL: port out of range',
    names: "Invalid port '70000'",
    args: ['--url', 'postgresql://u:p@127.0.0.1:70000/db'],
  },
  {
    name: 'URL: unsupported database',
    names: 'Unsupported database: oracle',
    args: ['--url', 'oracle://u:p@h/db'],
  },
  { name: 'URL: ClickHouse', names: 'clickhouse', args: ['--url', 'clickhouse://h/db'] },
  { name: 'URL: not a URL', names: "'not a url'", args: ['--url', 'not a url'] },
  { name: 'URL: empty', names: '--url', args: ['--url', ''] },
  { name: 'URL: no scheme separator', names: 'postgresql//h/db', args: ['--url', 'postgresql//h/db'] },
  { name: 'URL: unclosed IPv6 host', names: 'IPv6', args: ['--url', 'postgresql://u@[::1/db'] },
  { name: 'URL: junk after IPv6 host', names: 'IPv6', args: ['--url', 'postgresql://u@[::1]x/db'] },
  {
    name: 'URL: bad sslmode',
    names: 'sslmode "bogus"',
    args: ['--url', 'postgresql://u@127.0.0.1:1/db?sslmode=bogus'],
  },
  {
    name: 'URL: missing CA file',
    names: '/nonexistent/ca.pem',
    args: ['--url', 'postgresql://u@127.0.0.1:1/db?sslrootcert=/nonexistent/ca.pem'],
  },
  {
    name: 'URL: SQLite file in a missing directory',
    names: '/nonexistent-dir/x.db',
    args: ['--url', 'sqlite:////nonexistent-dir/x.db'],
  },
  {
    name: 'URL: nothing listens (connect-timeout 0)',
    names: '127.0.0.1:1',
    args: ['--url', PG_FREE_PORT_URL, '--connect-timeout', '0'],
  },
  {
    name: 'URL: PostgreSQL database that does not exist',
    names: 'no_such_db',
    postgres: true,
    args: ['--url', 'NO_SUCH_DB'],
  },
  {
    name: 'URL: PostgreSQL wrong password',
    names: 'password authentication failed',
    postgres: true,
    args: ['--url', 'WRONG_PASSWORD'],
  },
  // Configuration files and variables
  {
    name: 'jetbase.toml: syntax error',
    names: 'jetbase.toml',
    ownConfig: true,
    files: { 'jetbase/jetbase.toml': 'sqlalchemy_url = "sqlite:///x.db\n' },
  },
  {
    name: 'jetbase.toml: boolean that is not one',
    names: 'skip_validation',
    files: { 'jetbase/jetbase.toml': 'sqlalchemy_url = "sqlite:///app.db"\nskip_validation = "maybe"\n' },
  },
  {
    name: 'jetbase.toml: URL of the wrong type',
    names: 'sqlalchemy_url',
    ownConfig: true,
    files: { 'jetbase/jetbase.toml': 'sqlalchemy_url = 42\n' },
  },
  {
    name: 'pyproject.toml: syntax error',
    names: 'pyproject.toml',
    ownConfig: true,
    files: { 'pyproject.toml': '[tool.jetbase\nsqlalchemy_url = "sqlite:///x.db"\n' },
  },
  {
    name: 'pyproject.toml: URL of the wrong type',
    names: 'sqlalchemy_url',
    ownConfig: true,
    files: { 'pyproject.toml': '[tool.jetbase]\nsqlalchemy_url = ["a"]\n' },
  },
  {
    name: 'env: JETBASE_SKIP_VALIDATION not a boolean',
    names: 'JETBASE_SKIP_VALIDATION',
    env: { JETBASE_SKIP_VALIDATION: 'maybe' },
  },
  {
    name: 'env: JETBASE_ASYNC_MODE not a boolean',
    names: 'JETBASE_ASYNC_MODE',
    env: { JETBASE_ASYNC_MODE: 'perhaps' },
  },
  {
    name: 'env: JETBASE_SQLALCHEMY_URL garbage',
    names: 'garbage',
    env: { JETBASE_SQLALCHEMY_URL: 'garbage' },
    args: [],
  },
  { name: 'no URL anywhere', names: 'sqlalchemy_url', ownConfig: true, files: {} },
  // env.py
  {
    name: 'env.py: syntax error',
    names: 'env.py',
    ownConfig: true,
    files: { 'jetbase/env.py': 'sqlalchemy_url = (\n' },
  },
  {
    name: 'env.py: raises',
    names: 'env.py',
    ownConfig: true,
    files: { 'jetbase/env.py': 'raise RuntimeError("no config here")\n' },
  },
  {
    name: 'env.py: get_env_vars() returns a list',
    names: 'get_env_vars',
    ownConfig: true,
    files: { 'jetbase/env.py': 'def get_env_vars():\n    return ["sqlite:///x.db"]\n' },
  },
  {
    name: 'env.py: URL is a number',
    names: 'sqlalchemy_url',
    ownConfig: true,
    files: { 'jetbase/env.py': 'sqlalchemy_url = 123\n' },
  },
  {
    name: 'env.py: not UTF-8',
    names: 'env.py',
    ownConfig: true,
    files: {
      'jetbase/env.py': Buffer.concat([
        Buffer.from('sqlalchemy_url = "sqlite:///'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('.db"\n'),
      ]),
    },
  },
  {
    name: 'env.py: os.environ of a missing variable',
    names: 'MISSING_DB_URL',
    ownConfig: true,
    files: { 'jetbase/env.py': 'import os\nsqlalchemy_url = os.environ["MISSING_DB_URL"]\n' },
  },
  // Migration file names and files
  {
    name: 'file: one underscore',
    names: 'V1_bad.sql',
    files: { 'jetbase/migrations/V1_bad.sql': 'SELECT 1;\n' },
  },
  { name: 'file: no version', names: 'V__x.sql', files: { 'jetbase/migrations/V__x.sql': 'SELECT 1;\n' } },
  {
    name: 'file: letters for a version',
    names: 'Vabc__x.sql',
    files: { 'jetbase/migrations/Vabc__x.sql': 'SELECT 1;\n' },
  },
  {
    name: 'file: no description',
    names: 'V2__.sql',
    files: { 'jetbase/migrations/V2__.sql': 'SELECT 1;\n' },
  },
  {
    name: 'file: RA with one underscore',
    names: 'RA_x.sql',
    files: { 'jetbase/migrations/RA_x.sql': 'SELECT 1;\n' },
  },
  {
    name: 'file: duplicate version (V1 and V1.0)',
    names: 'V1.0__dup.sql',
    files: { 'jetbase/migrations/V1.0__dup.sql': 'SELECT 1;\n' },
  },
  {
    name: 'file: a plus in the version',
    names: 'V1+2__x.sql',
    files: { 'jetbase/migrations/V1+2__x.sql': 'SELECT 1;\n' },
  },
  {
    name: 'file: statement without a delimiter',
    names: 'V2__open.sql',
    files: { 'jetbase/migrations/V2__open.sql': 'SELECT 1;\nSELECT 2\n' },
  },
  {
    name: 'file: not UTF-8',
    names: 'V2__binary.sql',
    files: { 'jetbase/migrations/V2__binary.sql': Buffer.from([0xff, 0xfe, 0x00, 0x53, 0x3b, 0x0a]) },
  },
  // Flags
  { name: 'flag: --count 0', names: 'count', args: ['upgrade', '--count', '0'] },
  { name: 'flag: --count abc', names: '--count', args: ['upgrade', '--count', 'abc'] },
  {
    name: 'flag: --count with --to-version',
    names: 'to_version',
    args: ['upgrade', '--count', '1', '--to-version', '1'],
  },
  { name: 'flag: --lock-timeout soon', names: '--lock-timeout', args: ['upgrade', '--lock-timeout', 'soon'] },
  {
    name: 'flag: --connect-timeout -1',
    names: '--connect-timeout',
    args: ['upgrade', '--connect-timeout=-1'],
  },
  { name: 'flag: unknown option', names: '--frobnicate', args: ['upgrade', '--frobnicate'] },
  { name: 'flag: unknown command', names: 'frobnicate', args: ['frobnicate'] },
  {
    name: 'flag: --dir that does not exist',
    names: '/nonexistent/jetbase',
    args: ['upgrade', '--dir', '/nonexistent/jetbase'],
  },
  {
    name: 'flag: rollback --to-version never applied',
    names: "'99'",
    args: ['rollback', '--to-version', '99'],
  },
  {
    name: 'flag: --to-version not a version',
    names: 'not a version',
    args: ['upgrade', '--to-version', 'not a version'],
  },
  { name: 'flag: new with an empty description', names: 'description', args: ['new', ''] },
];

describe('bad input is rejected with an error naming it and nothing written (R6)', () => {
  test('each bad input: a one-line error naming it, exit 1 or 2, nothing written', async () => {
    const pg = PG_URL ? postgresTarget(PG_URL) : undefined;
    const failures: string[] = [];
    let passed = 0;
    let run = 0;
    for (const bad of cases) {
      if (bad.postgres && !pg) {
        failures.push(`${bad.name}: not run (no JETBASE_TEST_PG_URL)`);
        continue;
      }
      run += 1;
      const root = mkdtempSync(path.join(tmpdir(), 'jetbase-r6-'));
      const jetbaseDir = path.join(root, 'jetbase');
      mkdirSync(path.join(jetbaseDir, 'migrations'), { recursive: true });
      const files = { ...OK_MIGRATION, ...(bad.files ?? {}) };
      for (const [name, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
        writeFileSync(path.join(root, name), content);
      }
      // A database that already exists and holds a table: it must come out byte for byte the same.
      const sqliteFile = path.join(jetbaseDir, 'app.db');
      const sqliteUrl = `sqlite:///${sqliteFile}`;
      const sqlite = await createDialect(parseDatabaseUrl(sqliteUrl), { baseDir: jetbaseDir });
      await runStatements(sqlite, ['CREATE TABLE precious (id INTEGER)']);
      const before = fileDigest(sqliteFile);
      const rootEntriesBefore = readdirSync(root).sort().join(',');

      let args = bad.args ?? ['upgrade'];
      let pgUrl: string | undefined;
      if (bad.postgres) {
        pgUrl = await pg!.fresh();
        const replacement =
          args[1] === 'NO_SUCH_DB'
            ? pgUrl.replace(/\/[^/?]+$/, '/no_such_db')
            : pgUrl.replace(/:[^:@/]+@/, ':definitely-wrong@');
        args = ['upgrade', '--url', replacement];
      }
      const hasCommand = args.length > 0 && !args[0]!.startsWith('-');
      const fullArgs = hasCommand ? [...args] : ['upgrade', ...args];
      if (!fullArgs.includes('--dir')) fullArgs.push('--dir', jetbaseDir);
      const env: Record<string, string> = {
        ...(bad.ownConfig || bad.args?.includes('--url') || bad.env?.JETBASE_SQLALCHEMY_URL
          ? {}
          : { JETBASE_SQLALCHEMY_URL: sqliteUrl }),
        ...(bad.env ?? {}),
      };
      const result = await jetbase(fullArgs, { cwd: root, env });

      const problems: string[] = [];
      if (result.code !== 1 && result.code !== 2) problems.push(`exit ${result.code}`);
      const line = firstErrorLine(result.stderr);
      if (!line.toLowerCase().includes(bad.names.toLowerCase()))
        problems.push(`error does not name "${bad.names}"`);
      if (fileDigest(sqliteFile) !== before) problems.push('the SQLite database changed');
      if (readdirSync(root).sort().join(',') !== rootEntriesBefore)
        problems.push('files appeared next to the project');
      if (pgUrl !== undefined) {
        const dialect = await createDialect(parseDatabaseUrl(pgUrl), { baseDir: jetbaseDir });
        const tables = await firstNumber(
          dialect,
          "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
        );
        if (tables !== 0) problems.push(`${tables} tables appeared in PostgreSQL`);
      }
      if (problems.length === 0) passed += 1;
      else
        failures.push(
          `${bad.name}: ${problems.join('; ')}\n    stderr: ${result.stderr.trim().split('\n').slice(0, 4).join('\n            ')}`,
        );
    }
    const ok = passed === cases.length && cases.length >= 40;
    recordFigure({
      id: 'R6 bad input',
      ok,
      text: `R6 bad input: ${cases.length} malformed URLs, configs, env.py files, file names and flags through the CLI: ${passed}/${run} gave exit 1/2 with an error naming the input and left the database untouched`,
    });
    if (failures.length > 0) process.stderr.write(`${failures.join('\n')}\n`);
    expect(ok).toBe(true);
  });
});

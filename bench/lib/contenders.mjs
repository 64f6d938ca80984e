/**
 * The contenders: how each tool is started as a user would start it, one whole process per run.
 * A command is `{ cmd, args, cwd, env }` for runProcess(); `ctx` is `{ dirs, db, host, port, user,
 * password, nodeArgs? }` (dirs from workload()). `history` is the table the bench counts after an
 * apply, to check the run really applied everything.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const BENCH = path.join(REPO, 'bench');
const PEERS = path.join(BENCH, 'node_modules');
const JETBASE = path.join(REPO, 'bin', 'jetbase.js');
const PG_LOOP = path.join(BENCH, 'contenders', 'pg-loop.mjs');
const DIST_ENTRY = path.join(REPO, 'dist', 'index.js');
// The action runs on the runner's Node 24: this project's `node` devDependency.
const NODE24 = path.join(REPO, 'node_modules', 'node', 'bin', 'node');

/** PATH without node_modules directories: `npm run` puts this project's Node 24 first there. */
const CLEAN_PATH = (process.env.PATH ?? '/usr/bin:/bin')
  .split(path.delimiter)
  .filter((dir) => dir && !dir.split(path.sep).includes('node_modules'))
  .join(path.delimiter);

function userNode() {
  if (process.env.BENCH_NODE) return process.env.BENCH_NODE;
  for (const dir of CLEAN_PATH.split(path.delimiter)) {
    const candidate = path.join(dir, 'node');
    if (existsSync(candidate)) return candidate;
  }
  return process.execPath;
}

/** The Node the Node contenders run on, and its version (the header line prints both). */
export const NODE = userNode();
export const NODE_VERSION = execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim();

const peerVersion = (name) => JSON.parse(readFileSync(path.join(PEERS, name, 'package.json'), 'utf8')).version;
const peer = (name) => (existsSync(path.join(PEERS, name, 'package.json')) ? peerVersion(name) : '?');

/** A minimal environment: what a user's shell would pass, without npm's variables. */
function baseEnv(extra = {}) {
  return {
    PATH: CLEAN_PATH,
    HOME: process.env.HOME ?? '/tmp',
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    ...extra,
  };
}

export function urlOf(ctx, scheme = 'postgresql') {
  const auth = `${encodeURIComponent(ctx.user)}:${encodeURIComponent(ctx.password)}`;
  return `${scheme}://${auth}@${ctx.host}:${ctx.port}/${encodeURIComponent(ctx.db)}`;
}

const node = (ctx, script, args, env, cwd = REPO) => ({
  cmd: NODE,
  args: [...(ctx.nodeArgs ?? []), script, ...args],
  cwd,
  env: baseEnv(env),
});

/** Our CLI, as a user runs it: the URL from JETBASE_SQLALCHEMY_URL (no --url on the command line). */
export const jetbaseCommand = (command) => (ctx) =>
  node(ctx, JETBASE, [command, '--dir', ctx.dirs.jetbase], { JETBASE_SQLALCHEMY_URL: urlOf(ctx) });

const pgLoop = (mode, folder = 'plain') => (ctx) =>
  node(ctx, PG_LOOP, [mode, ctx.dirs[folder]], { BENCH_URL: urlOf(ctx) });

const postgrator = (ctx) =>
  node(
    ctx,
    path.join(PEERS, 'postgrator-cli', 'index.js'),
    [
      '--no-config',
      '--driver',
      'pg',
      '--host',
      ctx.host,
      '--port',
      String(ctx.port),
      '--database',
      ctx.db,
      '--username',
      ctx.user,
      '--password',
      ctx.password,
      '--migration-pattern',
      `${ctx.dirs.postgrator}/*.sql`,
      '--validate-checksum',
    ],
    {},
    ctx.dirs.root,
  );

// The Go binary the npm package ships: its `dbmate` command is a Node wrapper that spawns it.
const DBMATE = path.join(PEERS, '@dbmate', `${process.platform}-${process.arch}`, 'bin', 'dbmate');
const dbmate = (command) => (ctx) => ({
  cmd: DBMATE,
  args: [
    '--url',
    `${urlOf(ctx, 'postgres')}?sslmode=disable`,
    '--migrations-dir',
    ctx.dirs.dbmate,
    '--no-dump-schema',
    command,
  ],
  cwd: ctx.dirs.root,
  env: baseEnv(),
});

const nodePgMigrate = (ctx) =>
  node(
    ctx,
    path.join(PEERS, 'node-pg-migrate', 'bin', 'node-pg-migrate.js'),
    ['up', '--migrations-dir', ctx.dirs.nodePgMigrate, '--no-single-transaction'],
    { DATABASE_URL: urlOf(ctx) },
    ctx.dirs.root,
  );

export const APPLY_CONTENDERS = [
  {
    id: 'jetbase',
    label: 'jetbase CLI (ours)',
    ours: true,
    history: 'jetbase_migrations',
    command: jetbaseCommand('upgrade'),
  },
  {
    id: 'floor',
    label: 'bare pg loop, 1 query/file',
    history: 'bench_history',
    command: pgLoop('apply'),
  },
  {
    id: 'floor2',
    label: 'bare pg loop, 2 queries/file',
    history: 'bench_history',
    command: pgLoop('apply2'),
  },
  {
    id: 'floor4',
    label: 'bare pg loop, 4 queries/file',
    history: 'bench_history',
    command: pgLoop('apply4'),
  },
  {
    id: 'postgrator',
    label: `postgrator-cli ${peer('postgrator-cli')}`,
    history: 'schemaversion',
    command: postgrator,
    note: 'postgrator runs each file and then its version row as two autocommits, with no transaction.',
  },
  {
    id: 'dbmate',
    label: `dbmate ${peer('dbmate')} (Go binary)`,
    history: 'schema_migrations',
    command: dbmate('migrate'),
  },
  {
    id: 'node-pg-migrate',
    label: `node-pg-migrate ${peer('node-pg-migrate')}`,
    history: 'pgmigrations',
    command: nodePgMigrate,
    note: 'node-pg-migrate runs with --no-single-transaction (a transaction per file, like the others).',
  },
];

/** P2: checking n files against n applied rows; `setup` is the apply contender that fills the database. */
export const VALIDATE_CONTENDERS = [
  {
    id: 'jetbase-validate',
    label: 'jetbase validate (ours)',
    ours: true,
    setup: 'jetbase',
    command: jetbaseCommand('validate'),
  },
  {
    id: 'jetbase-status',
    label: 'jetbase status (ours)',
    ours: true,
    setup: 'jetbase',
    command: jetbaseCommand('status'),
  },
  { id: 'floor-validate', label: 'bare pg: hash files, 1 SELECT', setup: 'floor', command: pgLoop('validate') },
  {
    id: 'postgrator-check',
    label: 'postgrator-cli (md5 check, nothing to do)',
    setup: 'postgrator',
    command: postgrator,
  },
  { id: 'dbmate-status', label: 'dbmate status', setup: 'dbmate', command: dbmate('status') },
  {
    id: 'node-pg-migrate-up',
    label: 'node-pg-migrate up (nothing pending)',
    setup: 'node-pg-migrate',
    command: nodePgMigrate,
  },
];

/**
 * The bundled action as the runner starts it (`node24 dist/index.js`), INPUT_COMMAND=validate on a
 * pull_request event, with the runner's files in `dir`; null when dist/index.js is not built.
 */
export function actionCommand(ctx, dir) {
  if (!existsSync(DIST_ENTRY)) return null;
  const files = {
    output: path.join(dir, 'output.txt'),
    summary: path.join(dir, 'summary.md'),
    state: path.join(dir, 'state.txt'),
    event: path.join(dir, 'event.json'),
  };
  mkdirSync(path.join(dir, 'temp'), { recursive: true });
  for (const file of [files.output, files.summary, files.state]) writeFileSync(file, '');
  writeFileSync(
    files.event,
    readFileSync(path.join(REPO, '__tests__', 'fixtures', 'action', 'events', 'pull_request.json')),
  );
  return {
    cmd: existsSync(NODE24) ? NODE24 : NODE,
    args: [...(ctx.nodeArgs ?? []), DIST_ENTRY],
    cwd: ctx.dirs.root,
    env: baseEnv({
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: ctx.dirs.root,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: files.event,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_REPOSITORY_OWNER: 'acme',
      GITHUB_SHA: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
      GITHUB_REF: 'refs/pull/12/merge',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: 'http://127.0.0.1:9',
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_STATE: files.state,
      RUNNER_TEMP: path.join(dir, 'temp'),
      INPUT_COMMAND: 'validate',
      'INPUT_DATABASE-URL': urlOf(ctx),
      INPUT_DIRECTORY: path.relative(ctx.dirs.root, ctx.dirs.jetbase),
      INPUT_COMMENT: 'false',
    }),
  };
}

/** Scenario L (latency): ours, the one-message floor, the four-query loop and the npm peers. */
export const LATENCY_CONTENDERS = ['jetbase', 'floor', 'floor4', 'postgrator', 'dbmate', 'node-pg-migrate'].map(
  (id) => APPLY_CONTENDERS.find((c) => c.id === id),
);

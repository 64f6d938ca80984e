#!/usr/bin/env node
// The reliability suite: `npm run reliability` (CI size) or `npm run reliability -- --full`.
// Runs reliability/*.reliability.ts with jest (one file at a time), prints one figure per line and
// exits 1 when a target failed or did not report. Needs lib/ (built by the npm script) and dist/
// (committed; `npm run bundle` rebuilds it). PostgreSQL and MariaDB: JETBASE_TEST_PG_URL /
// JETBASE_TEST_MYSQL_URL, else the servers of .tmp/db/env.sh when they answer, else throw-away
// servers started here (scripts/db-servers.sh, as root) and stopped at the end.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const full = args.includes('--full');
const jestArgs = args.filter((arg) => arg !== '--full');

/** Every target that must report a figure; a missing one fails the run. */
const EXPECTED = [
  'R1 postgresql',
  'R1 sqlite',
  'R1 action',
  'R2 postgresql',
  'R2 mariadb',
  'R3 checksum',
  'R3 python',
  'R3 names',
  'R3 urls',
  'R4 secrets',
  'R5 cut',
  'R5 random cuts',
  'R5 reconnect',
  'R5 no retry',
  'R6 bad input',
];

function exportsOf(file) {
  const env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^export (\w+)=(.*)$/.exec(line.trim());
    if (match) env[match[1]] = match[2];
  }
  return env;
}

function answers(url) {
  const match = /@([^:/]+):(\d+)\//.exec(url ?? '');
  if (!match) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = net.connect({ host: match[1], port: Number(match[2]) });
    socket.setTimeout(2000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

async function databases() {
  if (process.env.JETBASE_TEST_PG_URL && process.env.JETBASE_TEST_MYSQL_URL) return { stop: () => {} };
  const shared = path.join(repo, '.tmp/db/env.sh');
  if (existsSync(shared)) {
    const env = exportsOf(shared);
    if ((await answers(env.JETBASE_TEST_PG_URL)) && (await answers(env.JETBASE_TEST_MYSQL_URL))) {
      Object.assign(process.env, env);
      return { stop: () => {} };
    }
  }
  const stateDir = path.join(repo, '.tmp/db-reliability');
  const env = { ...process.env, JETBASE_TEST_STATE_DIR: stateDir };
  const started = spawnSync('bash', ['scripts/db-servers.sh', 'start'], { cwd: repo, env, stdio: 'inherit' });
  if (started.status !== 0) {
    console.error('reliability: could not start PostgreSQL and MariaDB (scripts/db-servers.sh start).');
    process.exit(1);
  }
  Object.assign(process.env, exportsOf(path.join(stateDir, 'env.sh')));
  return {
    stop: () => spawnSync('bash', ['scripts/db-servers.sh', 'stop'], { cwd: repo, env, stdio: 'inherit' }),
  };
}

for (const required of ['lib/bundle/index.js', 'dist/index.js']) {
  if (!existsSync(path.join(repo, required))) {
    console.error(`reliability: ${required} is missing (npm run build; npm run bundle).`);
    process.exit(1);
  }
}

const servers = await databases();
const figuresFile = path.join(repo, '.tmp/reliability-figures.jsonl');
mkdirSync(path.dirname(figuresFile), { recursive: true });
rmSync(figuresFile, { force: true });
const started = Date.now();
let jestStatus;
try {
  jestStatus = spawnSync(
    process.execPath,
    [
      '--experimental-vm-modules',
      'node_modules/jest/bin/jest.js',
      '--config',
      'reliability/jest.config.js',
      '--runInBand',
      ...jestArgs,
    ],
    {
      cwd: repo,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        RELIABILITY_SCALE: full ? 'full' : 'ci',
        RELIABILITY_FIGURES: figuresFile,
        SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
        DATABRICKS_TELEMETRY_DISABLED: '1',
      },
    },
  ).status;
} finally {
  servers.stop();
}

const figures = existsSync(figuresFile)
  ? readFileSync(figuresFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  : [];
console.log(`Reliability (${full ? 'full' : 'CI'} size, ${Math.round((Date.now() - started) / 1000)} s):`);
for (const figure of figures) console.log(`${figure.ok ? '  ok  ' : '  FAIL'} ${figure.text}`);
const reported = new Set(figures.map((figure) => figure.id));
const missing = jestArgs.length === 0 ? EXPECTED.filter((id) => !reported.has(id)) : [];
for (const id of missing)
  console.log(`  FAIL ${id}: no figure (the test did not get that far; see jest's output above)`);
const failed = figures.filter((figure) => !figure.ok).length + missing.length;
if (failed > 0 || jestStatus !== 0) {
  console.log(
    `${failed} target${failed === 1 ? '' : 's'} not met${jestStatus !== 0 ? '; jest failed' : ''}.`,
  );
  process.exit(1);
}
console.log(`All ${figures.length} targets met.`);

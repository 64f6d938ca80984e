/**
 * The bench's own PostgreSQL: a cluster in .tmp/bench/pg-data with fsync, synchronous_commit and
 * full_page_writes ON (the test servers turn them off, which hides the WAL flush at COMMIT, the one
 * cost that matters per migration). Databases go in a tablespace on /dev/shm, so the noisy disk only
 * sees the WAL. SCRAM password auth over TCP on 127.0.0.1, as in CI; ssl=off.
 *
 * Reused while it is up (its port and password are kept in .tmp/bench/cluster.json);
 * `npm run bench -- --stop` stops it and removes the state. BENCH_PG_ADMIN_URL uses another server.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

const REPO = path.resolve(import.meta.dirname, '..', '..');
export const STATE_DIR = path.join(REPO, '.tmp', 'bench');
const DATA_DIR = path.join(STATE_DIR, 'pg-data');
const RUN_DIR = path.join(STATE_DIR, 'pg-run');
const LOG = path.join(STATE_DIR, 'postgresql.log');
const STATE_FILE = path.join(STATE_DIR, 'cluster.json');
const FIRST_PORT = 54349;
const USER = 'bench';
const TABLESPACE = 'bench_shm';
const START_WAIT_S = 60;

function pgBinDir() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length) return path.join(root, versions[0], 'bin');
  const onPath = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return path.dirname(onPath);
  throw new Error(
    'bench: PostgreSQL server binaries (pg_ctl, initdb) not found; `bash scripts/db-servers.sh start` installs them',
  );
}

// PostgreSQL refuses to run as root: then its tools run as the postgres user, which owns the data.
const asRoot = process.getuid?.() === 0;
function pgTool(bin, tool, args, options = {}) {
  const exe = path.join(bin, tool);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}
let serverIds;
/** Gives the path (made as a directory unless it exists) to the user the server runs as. */
function ownedByServer(target) {
  if (!existsSync(target)) mkdirSync(target, { recursive: true, mode: 0o700 });
  if (!asRoot) return;
  serverIds ??= ['-u', '-g'].map((flag) =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim()),
  );
  chownSync(target, serverIds[0], serverIds[1]);
}

function portFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
async function freePort(from) {
  for (let port = from; port < from + 100; port++) if (await portFree(port)) return port;
  throw new Error(`bench: no free port in ${from}–${from + 99}`);
}

async function answers(state, database = 'postgres') {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: state.port,
    user: state.user,
    password: state.password,
    database,
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function fromAdminUrl(url) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    adminDatabase: decodeURIComponent(u.pathname.slice(1)) || 'postgres',
    tablespace: undefined,
    reused: true,
    external: true,
  };
}

/** The running bench cluster (started when needed): where it listens and how to log in. */
export async function ensureCluster() {
  if (process.env.BENCH_PG_ADMIN_URL) return fromAdminUrl(process.env.BENCH_PG_ADMIN_URL);
  if (existsSync(STATE_FILE)) {
    const state = JSON.parse(readFileSync(STATE_FILE, 'utf8'));
    if (existsSync(state.shmDir) && (await answers(state))) return { ...clusterOf(state), reused: true };
    // Down, or its /dev/shm tablespace is gone (a reboot): start over.
    stopCluster();
  }
  return { ...(await startCluster()), reused: false };
}

function clusterOf(state) {
  return {
    host: '127.0.0.1',
    port: state.port,
    user: state.user,
    password: state.password,
    adminDatabase: 'postgres',
    tablespace: TABLESPACE,
  };
}

async function startCluster() {
  const bin = pgBinDir();
  rmSync(STATE_DIR, { recursive: true, force: true });
  mkdirSync(STATE_DIR, { recursive: true });
  ownedByServer(DATA_DIR);
  ownedByServer(RUN_DIR);
  const shmDir = path.join('/dev/shm', `jetbase-bench-${process.pid}-${randomBytes(4).toString('hex')}`);
  ownedByServer(shmDir);
  const password = randomBytes(12).toString('hex');
  const superPassword = randomBytes(12).toString('hex');
  const pwFile = path.join(RUN_DIR, 'pwfile');
  writeFileSync(pwFile, `${superPassword}\n`, { mode: 0o600 });
  ownedByServer(pwFile);
  pgTool(bin, 'initdb', [
    '-D',
    DATA_DIR,
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--locale=C',
    `--pwfile=${pwFile}`,
    '--auth-local=scram-sha-256',
    '--auth-host=scram-sha-256',
  ]);
  rmSync(pwFile);
  writeFileSync(LOG, '');
  ownedByServer(LOG);

  const settings = [
    'listen_addresses=127.0.0.1',
    `unix_socket_directories=${RUN_DIR}`,
    'fsync=on',
    'synchronous_commit=on',
    'full_page_writes=on',
    'ssl=off',
    'password_encryption=scram-sha-256',
    // Keep checkpoints and autovacuum out of the timed runs, so none lands in one contender's run only.
    'max_wal_size=4GB',
    'checkpoint_timeout=1h',
    'autovacuum=off',
    'max_connections=50',
  ];
  let port = await freePort(FIRST_PORT);
  for (let attempt = 0; ; attempt++) {
    try {
      pgTool(bin, 'pg_ctl', [
        '-D',
        DATA_DIR,
        '-l',
        LOG,
        '-w',
        '-t',
        String(START_WAIT_S),
        '-o',
        [...settings, `port=${port}`].map((s) => `-c ${s}`).join(' '),
        'start',
      ]);
      break;
    } catch (error) {
      // Another process may take the free port between the check and the bind: try the next one.
      const log = readFileSync(LOG, 'utf8');
      if (attempt < 4 && /could not bind|Address already in use/.test(log)) {
        port = await freePort(port + 1);
        continue;
      }
      throw new Error(`bench: PostgreSQL did not start:\n${log.split('\n').slice(-20).join('\n')}`, {
        cause: error,
      });
    }
  }

  const su = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: superPassword });
  await su.connect();
  try {
    await su.query(`CREATE ROLE ${USER} LOGIN CREATEDB PASSWORD '${password}'`);
    await su.query(`CREATE TABLESPACE ${TABLESPACE} OWNER ${USER} LOCATION '${shmDir}'`);
  } finally {
    await su.end();
  }
  const state = { port, user: USER, password, shmDir, dataDir: DATA_DIR, bin };
  writeFileSync(STATE_FILE, JSON.stringify(state, null, 2), { mode: 0o600 });
  return clusterOf(state);
}

/** Stops the bench cluster (by its data directory) and removes .tmp/bench and its /dev/shm tablespace. */
export function stopCluster() {
  let shmDir;
  if (existsSync(STATE_FILE)) {
    try {
      shmDir = JSON.parse(readFileSync(STATE_FILE, 'utf8')).shmDir;
    } catch {
      // A damaged state file: the data directory below is still stopped.
    }
  }
  if (existsSync(path.join(DATA_DIR, 'postmaster.pid'))) {
    try {
      pgTool(pgBinDir(), 'pg_ctl', ['-D', DATA_DIR, '-m', 'fast', '-w', '-t', String(START_WAIT_S), 'stop']);
    } catch (error) {
      console.error(`bench: pg_ctl stop failed: ${error.stderr ?? error.message}`);
    }
  }
  rmSync(STATE_DIR, { recursive: true, force: true });
  if (shmDir && shmDir.startsWith('/dev/shm/jetbase-bench-')) rmSync(shmDir, { recursive: true, force: true });
}

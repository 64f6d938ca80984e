/**
 * `jetbase verify` of N migrations against one `jetbase upgrade` of the same files (goal: at most
 * 3×: verify runs every file up, down and up again). Whole processes, alternating, medians.
 *
 *   BENCH_PG_ADMIN_URL=postgresql://user:pw@127.0.0.1:5432/postgres node bench/verify.mjs [N] [ROUNDS]
 *
 * The admin URL's role must be allowed to CREATE DATABASE; each run gets a fresh one, dropped after.
 * Run `npm run -s build` first (it runs lib/ through bin/jetbase.js).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const adminUrl = process.env.BENCH_PG_ADMIN_URL;
if (!adminUrl) throw new Error('Set BENCH_PG_ADMIN_URL (a role that may CREATE DATABASE).');
const n = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 3);

/** Odd files create a table, even files insert into the one before; each with its rollback. */
function project() {
  const dir = mkdtempSync(path.join(tmpdir(), 'jetbase-bench-verify-'));
  mkdirSync(path.join(dir, 'migrations'));
  for (let i = 1; i <= n; i++) {
    const sql =
      i % 2 === 1
        ? `CREATE TABLE t${i} (id INT PRIMARY KEY, v TEXT);\n\n-- rollback\nDROP TABLE t${i};\n`
        : `INSERT INTO t${i - 1} (id, v) VALUES (${i}, 'x');\n\n-- rollback\nDELETE FROM t${i - 1} WHERE id = ${i};\n`;
    writeFileSync(path.join(dir, 'migrations', `V${i}__m${i}.sql`), sql);
  }
  return dir;
}

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
let seq = 0;
function urlOf(database) {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
async function fresh() {
  const name = `bench_verify_${process.pid}_${seq++}`;
  await admin.query(`CREATE DATABASE ${name}`);
  return name;
}

function timed(args, env) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/jetbase.js'), ...args], {
    env: { PATH: process.env.PATH, NO_COLOR: '1', ...env },
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`jetbase ${args[0]} failed:\n${result.stdout}\n${result.stderr}`);
  return ms;
}

const dir = project();
const times = { upgrade: [], verify: [] };
try {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['upgrade', 'verify'] : ['verify', 'upgrade'];
    for (const which of order) {
      const db = await fresh();
      try {
        times[which].push(
          which === 'upgrade'
            ? timed(['upgrade', '--dir', dir], { JETBASE_SQLALCHEMY_URL: urlOf(db) })
            : timed(['verify', '--dir', dir, '--url', urlOf(db)], {}),
        );
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      }
    }
  }
} finally {
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const up = median(times.upgrade);
const verify = median(times.verify);
console.log(
  `n=${n}, ${rounds} rounds: upgrade ${(up / 1000).toFixed(2)} s, verify ${(verify / 1000).toFixed(2)} s, ratio ${(verify / up).toFixed(2)}×`,
);

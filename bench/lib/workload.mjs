/**
 * The bench's migrations, the same SQL written once per tool's format:
 *
 * - `workload(n)`: one short statement per file; odd files `CREATE TABLE tN (…)`, even files an
 *   `INSERT INTO` the table of the file before (scenarios P1–P3).
 * - `workload(n, { statements: 2 })`: every file `CREATE TABLE tN (…)` then `INSERT INTO tN`
 *   (scenario L, the latency bench: two statements per migration, as in issue 14).
 *
 * Files go to .tmp/bench/workloads/<kind>-<n>/, written once per process. Returns one directory per
 * format: `jetbase` (a Jetbase directory, holds migrations/), `plain` (bench/contenders/pg-loop.mjs),
 * `postgrator`, `dbmate`, `nodePgMigrate`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '.tmp', 'bench', 'workloads');
const made = new Map();

/** The upgrade SQL of file i (1-based). */
export function migrationSql(i, statements = 1) {
  const create = `CREATE TABLE t${i} (id integer PRIMARY KEY, v text NOT NULL);`;
  if (statements === 2) return `${create}\nINSERT INTO t${i} (id, v) VALUES (${i}, 'x');\n`;
  return i % 2 === 1 ? `${create}\n` : `INSERT INTO t${i - 1} (id, v) VALUES (${i}, 'x');\n`;
}

/** The name of the last table the workload creates (the bench checks it exists after a run). */
export function lastTable(n, statements = 1) {
  return `t${statements === 2 || n % 2 === 1 ? n : n - 1}`;
}

export function workload(n, { statements = 1 } = {}) {
  const key = `${statements === 2 ? 'two' : 'one'}-${n}`;
  if (made.has(key)) return made.get(key);
  const root = path.join(ROOT, key);
  rmSync(root, { recursive: true, force: true });
  const dirs = {
    root,
    jetbase: path.join(root, 'jetbase'),
    plain: path.join(root, 'plain'),
    postgrator: path.join(root, 'postgrator'),
    dbmate: path.join(root, 'dbmate'),
    nodePgMigrate: path.join(root, 'node-pg-migrate'),
    n,
    statements,
  };
  const jetbaseMigrations = path.join(dirs.jetbase, 'migrations');
  for (const dir of [jetbaseMigrations, dirs.plain, dirs.postgrator, dirs.dbmate, dirs.nodePgMigrate])
    mkdirSync(dir, { recursive: true });
  for (let i = 1; i <= n; i++) {
    const sql = migrationSql(i, statements);
    // Zero-padded where a tool orders by file name.
    const padded = String(i).padStart(6, '0');
    writeFileSync(path.join(jetbaseMigrations, `V${i}__m${i}.sql`), sql);
    writeFileSync(path.join(dirs.plain, `${padded}_m${i}.sql`), sql);
    writeFileSync(path.join(dirs.postgrator, `${padded}.do.m${i}.sql`), sql);
    writeFileSync(path.join(dirs.dbmate, `${padded}_m${i}.sql`), `-- migrate:up\n${sql}\n-- migrate:down\n`);
    writeFileSync(path.join(dirs.nodePgMigrate, `${padded}_m${i}.sql`), `-- Up Migration\n${sql}`);
  }
  made.set(key, dirs);
  return dirs;
}

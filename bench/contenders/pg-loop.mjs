#!/usr/bin/env node
/**
 * The floor: the least a migration runner can do with node-postgres and still keep each migration
 * and its history row in one transaction, on one connection.
 *
 *   node bench/contenders/pg-loop.mjs apply  DIR   one simple Query per file: BEGIN; sql; INSERT; COMMIT
 *   node bench/contenders/pg-loop.mjs apply2 DIR   2 round trips: sql, then "INSERT; COMMIT; BEGIN" (the next
 *                                                  migration's BEGIN rides on this one's COMMIT)
 *   node bench/contenders/pg-loop.mjs apply4 DIR   the same as 4 queries (BEGIN, sql, bound INSERT, COMMIT)
 *   node bench/contenders/pg-loop.mjs validate DIR read + checksum every file, one SELECT, compare
 *
 * URL in BENCH_URL. Files are `<n>_<name>.sql` in name order; each is read once.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const [mode, dir] = process.argv.slice(2);
const client = new pg.Client({ connectionString: process.env.BENCH_URL });
await client.connect();

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.sql'))
  .sort()
  .map((filename) => {
    const sql = readFileSync(path.join(dir, filename), 'utf8');
    return {
      filename,
      version: Number.parseInt(filename, 10),
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    };
  });
const literal = (s) => `'${s.replaceAll("'", "''")}'`;

if (mode === 'validate') {
  const { rows } = await client.query('SELECT version, checksum FROM bench_history');
  const applied = new Map(rows.map((r) => [r.version, r.checksum]));
  let pending = 0;
  let mismatched = 0;
  for (const f of files) {
    const sum = applied.get(f.version);
    if (sum === undefined) pending += 1;
    else if (sum !== f.checksum) mismatched += 1;
  }
  console.log(`${files.length} files, ${applied.size} applied, ${pending} pending, ${mismatched} changed`);
} else {
  await client.query(
    'CREATE TABLE IF NOT EXISTS bench_history (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, version integer NOT NULL UNIQUE, filename text NOT NULL, checksum text NOT NULL, applied_at timestamp NOT NULL DEFAULT now())',
  );
  const { rows } = await client.query('SELECT version FROM bench_history');
  const done = new Set(rows.map((r) => r.version));
  if (mode === 'apply2') await client.query('BEGIN');
  for (const f of files) {
    if (done.has(f.version)) continue;
    const insert = `INSERT INTO bench_history (version, filename, checksum) VALUES (${f.version}, ${literal(f.filename)}, ${literal(f.checksum)})`;
    if (mode === 'apply') {
      await client.query(`BEGIN;\n${f.sql}\n;${insert};\nCOMMIT`);
    } else if (mode === 'apply2') {
      await client.query(f.sql);
      await client.query(`${insert};\nCOMMIT;\nBEGIN`);
    } else {
      await client.query('BEGIN');
      await client.query(f.sql);
      await client.query('INSERT INTO bench_history (version, filename, checksum) VALUES ($1, $2, $3)', [
        f.version,
        f.filename,
        f.checksum,
      ]);
      await client.query('COMMIT');
    }
  }
  if (mode === 'apply2') await client.query('ROLLBACK'); // the empty transaction opened after the last COMMIT
  console.log(`applied ${files.length - done.size}`);
}
await client.end();

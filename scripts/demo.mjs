#!/usr/bin/env node
// The README's first command: migrate the example project (examples/demo/jetbase) on an embedded
// SQLite file with the jetbase CLI, printing the status before and after. Each run starts from an
// empty database so the whole migration shows.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const jetbaseDir = path.join(repo, 'examples', 'demo', 'jetbase');
const database = path.join(jetbaseDir, 'demo.db');
rmSync(database, { force: true });

function jetbase(title, ...args) {
  process.stdout.write(`\n\x1b[1m$ jetbase ${args.join(' ')}\x1b[0m   # ${title}\n`);
  const result = spawnSync(
    process.execPath,
    [path.join(repo, 'bin', 'jetbase.js'), ...args, '--dir', jetbaseDir],
    {
      stdio: 'inherit',
      env: { ...process.env, JETBASE_SQLALCHEMY_URL: '' },
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

jetbase('what would run, against an empty database', 'status');
jetbase('preview the SQL without touching the database', 'upgrade', '--dry-run');
jetbase('apply: each migration and its history row in one transaction', 'upgrade');
jetbase('everything applied; the RA__ file runs on every upgrade', 'status');
jetbase('the history table, as the Python Jetbase CLI writes it', 'history');
jetbase('PR check: read-only validation of files against the database', 'validate');
process.stdout.write(
  `\nThe database is ${path.relative(process.cwd(), database)}; run the demo again to start over.\n`,
);

/** Runs the built CLI (`node bin/jetbase.js`) as a user would, and reads SQLite files directly. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO, 'bin', 'jetbase.js');

export function assertBuilt(): void {
  if (!existsSync(path.join(REPO, 'lib', 'bundle', 'index.js'))) {
    throw new Error(
      'lib/bundle/index.js is missing: build first with `npm run build` (`npm test` does this) before running __tests__/cli.',
    );
  }
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment without the developer's JETBASE_* settings, plus the test's own. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('JETBASE_') && key !== 'DATABASE_URL' && key !== 'ASYNC') env[key] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

export interface RunningCli {
  readonly child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
  readonly done: Promise<CliResult>;
}

export function startJetbase(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

export function jetbase(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliResult> {
  return startJetbase(args, options).done;
}

export interface HistoryDbRow {
  order_executed: number;
  version: string | null;
  description: string;
  filename: string;
  migration_type: string;
  applied_at: string;
  checksum: string;
}

/** Read-only look at a SQLite file, without creating it. */
export function withDb<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export function tableNames(file: string): string[] {
  if (!existsSync(file)) return [];
  return withDb(file, (db) =>
    (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((r) => r.name),
  );
}

export function historyRows(file: string): HistoryDbRow[] {
  return withDb(
    file,
    (db) =>
      db
        .prepare(
          'SELECT order_executed, version, description, filename, migration_type, applied_at, checksum FROM jetbase_migrations ORDER BY order_executed',
        )
        .all() as HistoryDbRow[],
  );
}

export function rowCount(file: string): number {
  return historyRows(file).length;
}

export function lockRow(
  file: string,
): { is_locked: number; locked_at: string | null; process_id: string | null } | undefined {
  return withDb(
    file,
    (db) =>
      db.prepare('SELECT is_locked, locked_at, process_id FROM jetbase_lock WHERE id = 1').get() as
        { is_locked: number; locked_at: string | null; process_id: string | null } | undefined,
  );
}

/** Cells of the data rows of the box tables in `text` (lines starting with │). */
export function tableCells(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('│'))
    .map((line) =>
      line
        .slice(1, -1)
        .split('│')
        .map((cell) => cell.trim()),
    );
}

/** The `status` output split into its two tables' rows. */
export function statusTables(stdout: string): { applied: string[][]; pending: string[][] } {
  const at = stdout.indexOf('Migrations Pending');
  if (at < 0) throw new Error(`no "Migrations Pending" table in:\n${stdout}`);
  return { applied: tableCells(stdout.slice(0, at)), pending: tableCells(stdout.slice(at)) };
}

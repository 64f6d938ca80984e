/** `init` and `new` (docs/format.md, "Project layout"): files only, no database, never overwriting. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DirectoryError, JetbaseError, UsageError } from './errors.js';
import { MAX_FILENAME_LENGTH, parseMigrationName } from './names.js';
import { pyStrip } from './pystr.js';
import { isValidVersion } from './version.js';

export const ENV_PY_TEMPLATE =
  '# Jetbase Configuration\n# Update the sqlalchemy_url with your database connection string.\n\nsqlalchemy_url = "postgresql://user:password@localhost:5432/mydb"\n';

export const MIGRATION_TEMPLATE = '-- upgrade\n\n-- rollback\n';

export interface InitResult {
  readonly jetbaseDir: string;
  /** False when env.py existed and was kept (never overwritten, unlike Jetbase's init). */
  readonly wroteEnvPy: boolean;
}

/** Creates `<parent>/jetbase/migrations/` and, when missing, `jetbase/env.py`. */
export function init(parentDir: string): InitResult {
  const jetbaseDir = path.resolve(parentDir, 'jetbase');
  mkdirSync(path.join(jetbaseDir, 'migrations'), { recursive: true });
  const envPy = path.join(jetbaseDir, 'env.py');
  if (existsSync(envPy)) return { jetbaseDir, wroteEnvPy: false };
  writeFileSync(envPy, ENV_PY_TEMPLATE, { flag: 'wx' });
  return { jetbaseDir, wroteEnvPy: true };
}

/** Local time as `YYYYMMDD.HHMMSS`, Jetbase's default version. */
export function timestampVersion(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}.${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
}

export interface NewMigrationResult {
  readonly filename: string;
  readonly absolutePath: string;
}

export function newMigration(
  jetbaseDir: string,
  description: string,
  version?: string,
  now?: Date,
): NewMigrationResult {
  const migrationsDir = path.join(jetbaseDir, 'migrations');
  if (!existsSync(migrationsDir)) {
    throw new DirectoryError(`Migrations directory not found: ${migrationsDir}.`, {
      hint: "Run 'jetbase init' first.",
    });
  }
  const trimmed = pyStrip(description);
  // An empty description would produce the invalid name `V1__.sql`. Python's strip, the one that
  // reads the name back: after trim() a description of only U+001C would read back as empty.
  if (trimmed === '') throw new UsageError('The description must not be empty.');
  if (/[/\\\0]/.test(trimmed))
    throw new UsageError(
      `The description must not contain '/', '\\' or NUL: ${JSON.stringify(description)}.`,
    );
  const chosen = version ?? timestampVersion(now);
  if (!isValidVersion(chosen)) {
    throw new UsageError(
      `Invalid version: ${chosen}. Version must be integer(s) that are separated by periods or underscores. Examples: "1", "1.5", "1_5".`,
    );
  }
  const filename = `V${chosen}__${trimmed.replaceAll(' ', '_')}.sql`;
  if (filename.length > MAX_FILENAME_LENGTH) {
    throw new UsageError(
      `Migration filename too long. Filename must not exceed ${MAX_FILENAME_LENGTH} characters (it would have ${filename.length}).`,
    );
  }
  const parsed = parseMigrationName(filename);
  if (!parsed.ok)
    throw new UsageError(
      `The description ${JSON.stringify(description)} gives the invalid file name ${filename}.`,
    );
  const absolutePath = path.join(migrationsDir, filename);
  if (existsSync(absolutePath)) {
    // Never overwrite (Jetbase's `new` does).
    throw new JetbaseError(
      'USAGE',
      `${path.join('migrations', filename)} already exists; choose another description or version.`,
    );
  }
  writeFileSync(absolutePath, MIGRATION_TEMPLATE, { flag: 'wx' });
  return { filename, absolutePath };
}

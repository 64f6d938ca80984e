/**
 * Finding migration files (docs/format.md, "Finding migration files"). One walk reads every file once; everything
 * later (plan, checksums, previews) works from this in-memory list.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { checksumOfStatements } from './checksum.js';
import { transactionOffIn } from './directives.js';
import { DirectoryError, type ValidationProblem } from './errors.js';
import { parseMigrationName, type MigrationType } from './names.js';
import { parseSqlFile, sqlFileProblems, type ParsedSqlFile } from './sql-file.js';
import { canonicalVersion, compareParsedVersions, parseVersion } from './version.js';

export interface MigrationFile {
  /** The basename: what Jetbase stores in `filename`. */
  readonly filename: string;
  readonly absolutePath: string;
  /** POSIX path relative to the jetbase directory, e.g. `migrations/release2/V3__x.sql`. */
  readonly relativePath: string;
  readonly type: MigrationType;
  /** The version key (`1.2.0`), null for repeatables. */
  readonly version: string | null;
  readonly description: string;
  /** The file's text as read (a BOM is kept: docs/format.md, "Reading a file"). */
  readonly text: string;
  readonly parsed: ParsedSqlFile;
  /** Upgrade statements, execution mode: what runs and what the checksum covers. */
  readonly upgradeStatements: readonly string[];
  readonly rollbackStatements: readonly string[];
  readonly checksum: string;
  /**
   * `-- jetbase: transaction=off` in the header: statements run one by one in autocommit (Python
   * Jetbase ignores the line). Optional so hand-built files keep the default, a transaction.
   */
  readonly transactionOff?: boolean;
  /** File-level problems (unterminated text, trailing comments), not yet weighed against history. */
  readonly fileProblems: readonly ValidationProblem[];
}

export interface Discovery {
  readonly jetbaseDir: string;
  /** Versioned files in PEP 440 order (stable over walk order for equal versions). */
  readonly versioned: readonly MigrationFile[];
  /** `RA__` files sorted by path, as Jetbase runs them. */
  readonly runsAlways: readonly MigrationFile[];
  /** `ROC__` files sorted by path. */
  readonly runsOnChange: readonly MigrationFile[];
  /** Name problems: invalid names, too long, duplicates, unreadable files. Never skippable. */
  readonly problems: readonly ValidationProblem[];
}

export const MIGRATIONS_DIR = 'migrations';

/** Jetbase's directory guard (a `migrations/` directory must exist), with the message naming the path. */
export function assertJetbaseDir(jetbaseDir: string): void {
  let stat;
  try {
    stat = statSync(path.join(jetbaseDir, MIGRATIONS_DIR));
  } catch {
    stat = undefined;
  }
  if (!stat?.isDirectory()) {
    throw new DirectoryError(
      `'migrations' directory not found in ${jetbaseDir}.\nAdd a migrations directory inside the 'jetbase' directory to proceed.`,
      { hint: "Run 'jetbase init' to create a Jetbase project, or pass --dir PATH to point at one." },
    );
  }
}

interface FoundFile {
  readonly absolutePath: string;
  /** POSIX path relative to the jetbase directory, built while walking (no path.relative per file). */
  readonly relativePath: string;
}

/** Top-down walk: a directory's files, then its sub-directories, each in name order; symlinked directories are not followed. */
function walk(dir: string, relativeDir: string, out: FoundFile[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const subdirs: Array<[string, string]> = [];
  for (const entry of entries) {
    const absolutePath = path.join(dir, entry.name);
    const relativePath = `${relativeDir}/${entry.name}`;
    // A Dirent of a symlink is neither file nor directory: symlinked directories are not entered.
    if (entry.isDirectory()) subdirs.push([absolutePath, relativePath]);
    else if (entry.isFile()) out.push({ absolutePath, relativePath });
    else if (entry.isSymbolicLink()) {
      // A symlinked file counts (os.walk lists it).
      try {
        if (statSync(absolutePath).isFile()) out.push({ absolutePath, relativePath });
      } catch {
        // dangling link: nothing to read
      }
    }
  }
  for (const [absolutePath, relativePath] of subdirs) walk(absolutePath, relativePath, out);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function discoverMigrations(jetbaseDir: string): Discovery {
  assertJetbaseDir(jetbaseDir);
  const found: FoundFile[] = [];
  walk(path.join(jetbaseDir, MIGRATIONS_DIR), MIGRATIONS_DIR, found);

  const problems: ValidationProblem[] = [];
  const versioned: MigrationFile[] = [];
  const runsAlways: MigrationFile[] = [];
  const runsOnChange: MigrationFile[] = [];

  for (const { absolutePath, relativePath } of found) {
    const filename = path.basename(absolutePath);
    // Only `.sql` files are migrations; `.gitkeep`, `README.md` are ignored everywhere (Jetbase fails on them).
    if (!filename.endsWith('.sql')) {
      if (filename.toLowerCase().endsWith('.sql')) {
        problems.push({
          kind: 'invalid-filename',
          severity: 'warning',
          file: relativePath,
          message: `${relativePath} is ignored: migration files must end in lower-case '.sql'.`,
        });
      }
      continue;
    }
    const name = parseMigrationName(filename);
    if (!name.ok) {
      problems.push({
        kind: name.reason === 'too-long' ? 'filename-too-long' : 'invalid-filename',
        severity: 'error',
        file: relativePath,
        message: `${relativePath}: ${name.message.split('\n')[0]} ${name.reason === 'too-long' ? `It has ${filename.length} characters; the limit is 512.` : 'Expected V<version>__<description>.sql (e.g. V1_2_0__add_table.sql), RA__<description>.sql or ROC__<description>.sql.'}`,
      });
      continue;
    }
    let text: string;
    try {
      text = utf8.decode(readFileSync(absolutePath));
    } catch (error) {
      problems.push({
        kind: 'unreadable-file',
        severity: 'error',
        file: relativePath,
        message: `${relativePath} cannot be read as UTF-8 text (${error instanceof Error ? error.message : String(error)}).`,
      });
      continue;
    }
    const parsed = parseSqlFile(text);
    const upgradeStatements = parsed.upgrade.statements.map((s) => s.sql);
    const file: MigrationFile = {
      filename,
      absolutePath,
      relativePath,
      type: name.type,
      version: name.version,
      description: name.description,
      text,
      parsed,
      upgradeStatements,
      rollbackStatements: parsed.rollback.statements.map((s) => s.sql),
      checksum: checksumOfStatements(upgradeStatements),
      transactionOff: transactionOffIn(text),
      fileProblems: sqlFileProblems(parsed, relativePath),
    };
    if (name.type === 'VERSIONED') versioned.push(file);
    else if (name.type === 'RUNS_ALWAYS') runsAlways.push(file);
    else runsOnChange.push(file);
  }

  // Equal under PEP 440 (V1 and V1.0, V01 and V1) is a duplicate, naming both files; Jetbase would apply both.
  const byCanonical = new Map<string, MigrationFile>();
  for (const file of versioned) {
    const canonical = canonicalVersion(file.version!);
    const earlier = byCanonical.get(canonical);
    if (earlier) {
      const same = earlier.version === file.version;
      problems.push({
        kind: 'duplicate-version',
        severity: 'error',
        file: file.relativePath,
        version: file.version!,
        message: same
          ? `Duplicate migration version detected: ${file.version} (${earlier.relativePath} and ${file.relativePath}). Each file must have a unique version.`
          : `Versions ${earlier.version} (${earlier.relativePath}) and ${file.version} (${file.relativePath}) are equal as versions: rename one so each file has a unique version.`,
      });
    } else byCanonical.set(canonical, file);
  }
  for (const list of [runsAlways, runsOnChange]) {
    const seen = new Map<string, MigrationFile>();
    for (const file of list) {
      const earlier = seen.get(file.filename);
      if (earlier) {
        problems.push({
          kind: 'duplicate-version',
          severity: 'error',
          file: file.relativePath,
          message: `Repeatable migration ${file.filename} exists twice (${earlier.relativePath} and ${file.relativePath}); both would write the same history row. Rename one.`,
        });
      } else seen.set(file.filename, file);
    }
  }

  // Parse each version once, not on every comparison (10,000 files: ~130,000 comparisons).
  const keys = new Map(versioned.map((file) => [file, parseVersion(file.version!)]));
  versioned.sort((a, b) => compareParsedVersions(keys.get(a)!, keys.get(b)!));
  const byPath = (a: MigrationFile, b: MigrationFile) =>
    a.absolutePath < b.absolutePath ? -1 : a.absolutePath > b.absolutePath ? 1 : 0;
  runsAlways.sort(byPath);
  runsOnChange.sort(byPath);
  return { jetbaseDir, versioned, runsAlways, runsOnChange, problems };
}

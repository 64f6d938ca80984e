/**
 * Files × history → what would run, and every problem at once, each naming its file (docs/format.md,
 * "Planning an upgrade", "Validation"). Pure: no I/O, one
 * pass over files and one over history with maps, so it stays linear in the number of files.
 */
import type { Discovery, MigrationFile } from './discovery.js';
import type { ValidationProblem } from './errors.js';
import { latestVersioned, type HistoryRow } from './history.js';
import { compareVersions } from './version.js';

export interface SkipOptions {
  readonly skipValidation?: boolean;
  readonly skipChecksumValidation?: boolean;
  readonly skipFileValidation?: boolean;
}

export interface PendingMigration {
  readonly file: MigrationFile;
  /** For repeatables: an existing row is updated, else one is inserted. */
  readonly hasRow: boolean;
  /** Why a RUNS_ON_CHANGE file runs. */
  readonly reason: 'new' | 'changed' | 'always' | 'pending';
}

export interface Plan {
  readonly history: readonly HistoryRow[];
  /** The latest applied VERSIONED row: newest applied_at, then highest order_executed. */
  readonly latest: HistoryRow | undefined;
  /** Versioned files not applied, in version order (after count / to-version). */
  readonly pendingVersioned: readonly PendingMigration[];
  readonly runsAlways: readonly PendingMigration[];
  /** ROC files that are new or whose checksum changed. */
  readonly runsOnChange: readonly PendingMigration[];
  /** Out-of-order files that file validation was told to skip: listed, never silently dropped. */
  readonly skippedOutOfOrder: readonly MigrationFile[];
  /** Every problem, errors and warnings, with file names. */
  readonly problems: readonly ValidationProblem[];
}

export interface PlanOptions extends SkipOptions {
  readonly count?: number;
  /** Version key (already `_` → `.`). */
  readonly toVersion?: string;
}

export function hasErrors(problems: readonly ValidationProblem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

export function buildPlan(
  discovery: Discovery,
  history: readonly HistoryRow[],
  options: PlanOptions = {},
): Plan {
  const skipFiles = Boolean(options.skipValidation || options.skipFileValidation);
  const skipChecksums = Boolean(options.skipValidation || options.skipChecksumValidation);
  const problems: ValidationProblem[] = [...discovery.problems];
  const latest = latestVersioned(history);

  const appliedVersions = new Map<string, HistoryRow>();
  const repeatableRows = new Map<string, HistoryRow>();
  for (const row of history) {
    if (row.migrationType === 'VERSIONED' && row.version !== null) appliedVersions.set(row.version, row);
    else repeatableRows.set(`${row.migrationType}\0${row.filename}`, row);
  }

  const fileVersions = new Set<string>();
  let pending: PendingMigration[] = [];
  const skippedOutOfOrder: MigrationFile[] = [];
  for (const file of discovery.versioned) {
    const version = file.version!;
    fileVersions.add(version);
    const row = appliedVersions.get(version);
    if (row) {
      if (!skipChecksums && row.checksum !== file.checksum) {
        problems.push({
          kind: 'checksum-mismatch',
          severity: 'error',
          file: file.relativePath,
          version,
          message: `Checksum mismatch for version ${version}: ${file.relativePath} has changed since it was applied (stored ${shortSum(row.checksum)}, file ${shortSum(file.checksum)}).`,
          fix: 'jetbase fix-checksums',
        });
      }
      // Already applied: text Jetbase dropped was never run; flagging it as an error would demand an edit that changes the checksum.
      problems.push(...file.fileProblems.map((p) => ({ ...p, severity: 'warning' as const })));
      continue;
    }
    problems.push(...file.fileProblems);
    if (latest?.version != null && compareVersions(version, latest.version) < 0) {
      if (skipFiles) {
        skippedOutOfOrder.push(file);
        problems.push({
          kind: 'out-of-order',
          severity: 'warning',
          file: file.relativePath,
          version,
          message: `${file.relativePath} (version ${version}) is lower than the latest applied version ${latest.version}; skipped because file validation is off. It will not run.`,
        });
      } else {
        problems.push({
          kind: 'out-of-order',
          severity: 'error',
          file: file.relativePath,
          version,
          message: `${file.relativePath} has version ${version}, which is lower than the latest migrated version ${latest.version}. New migration files cannot have versions lower than the latest migrated version; rename it to a version higher than ${latest.version}.`,
        });
      }
      continue;
    }
    pending.push({ file, hasRow: false, reason: 'pending' });
  }

  if (!skipFiles) {
    for (const [version] of appliedVersions) {
      if (!fileVersions.has(version)) {
        problems.push({
          kind: 'missing-file',
          severity: 'error',
          version,
          message: `Version ${version} has been migrated but is missing from the current migration files.`,
          fix: 'jetbase fix-files',
        });
      }
    }
  }

  const raNames = new Set(discovery.runsAlways.map((f) => f.filename));
  const rocNames = new Set(discovery.runsOnChange.map((f) => f.filename));
  if (!skipFiles) {
    for (const row of repeatableRows.values()) {
      const present =
        row.migrationType === 'RUNS_ALWAYS' ? raNames.has(row.filename) : rocNames.has(row.filename);
      if (!present) {
        problems.push({
          kind: 'missing-repeatable',
          severity: 'error',
          message: `The migrated repeatable file ${row.filename} is missing from the current migration files.`,
          fix: 'jetbase fix-files',
        });
      }
    }
  }

  const runsAlways: PendingMigration[] = discovery.runsAlways.map((file) => {
    problems.push(...file.fileProblems);
    return { file, hasRow: repeatableRows.has(`RUNS_ALWAYS\0${file.filename}`), reason: 'always' };
  });
  const runsOnChange: PendingMigration[] = [];
  for (const file of discovery.runsOnChange) {
    const row = repeatableRows.get(`RUNS_ON_CHANGE\0${file.filename}`);
    if (row && row.checksum === file.checksum) continue;
    problems.push(...file.fileProblems);
    runsOnChange.push({ file, hasRow: row !== undefined, reason: row ? 'changed' : 'new' });
  }

  if (options.toVersion !== undefined) {
    const index = pending.findIndex((p) => p.file.version === options.toVersion);
    if (index < 0) {
      problems.push({
        kind: 'missing-file',
        severity: 'error',
        version: options.toVersion,
        message: `The specified to_version '${options.toVersion}' does not exist among pending migrations.`,
      });
      pending = [];
    } else pending = pending.slice(0, index + 1);
  } else if (options.count !== undefined) {
    pending = pending.slice(0, options.count);
  }

  return {
    history,
    latest,
    pendingVersioned: pending,
    runsAlways,
    runsOnChange,
    skippedOutOfOrder,
    problems,
  };
}

function shortSum(sum: string | null): string {
  return sum === null ? 'none' : sum.slice(0, 12);
}

/** Everything an upgrade would run, in execution order: versioned, then RA, then ROC (as Jetbase's code does). */
export function executionOrder(plan: Plan): PendingMigration[] {
  return [...plan.pendingVersioned, ...plan.runsAlways, ...plan.runsOnChange];
}

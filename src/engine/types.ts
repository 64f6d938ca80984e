/** Typed results the engine returns; shells decide how to print them and which exit code to use. */
import type { Dialect } from './dialect.js';
import type { JetbaseError, ValidationProblem } from './errors.js';
import type { HistoryRow, LockRow } from './history.js';
import type { MigrationType } from './names.js';
import type { Plan } from './plan.js';

export type EngineEvent =
  | { readonly type: 'waiting-for-lock'; readonly lockedAt: string | null; readonly processId: string | null }
  | { readonly type: 'lock-acquired'; readonly processId: string; readonly waitedMs: number }
  | {
      /** The previous holder is gone (its session or process ended): its lock was taken over. */
      readonly type: 'lock-taken-over';
      readonly previousProcessId: string | null;
      readonly lockedAt: string | null;
      readonly processId: string;
    }
  | {
      /** The first connection failed on a transient error (the database may still be starting). */
      readonly type: 'connect-retry';
      readonly attempt: number;
      readonly delayMs: number;
      readonly error: string;
    }
  | { readonly type: 'lock-released'; readonly processId: string }
  | {
      readonly type: 'migration-started';
      readonly direction: 'upgrade' | 'rollback';
      readonly filename: string;
    }
  | { readonly type: 'migration-finished'; readonly outcome: MigrationOutcome };

export interface EngineContext {
  /** The jetbase directory (holds `migrations/`). */
  readonly jetbaseDir: string;
  readonly dialect: Dialect;
  /** Abort = stop at the next safe point (between statements where DDL is transactional, else between migrations) and release the lock. */
  readonly signal?: AbortSignal;
  /** Wait this long for a held lock; 0 (default) fails at once like Jetbase. */
  readonly lockTimeoutMs?: number;
  /**
   * How long to keep retrying the first connection on transient errors (refused, reset, timed
   * out, "the database system is starting up"), with exponential backoff; 0 (default) tries once.
   * Authentication errors and bad URLs are never retried.
   */
  readonly connectRetryMs?: number;
  /** The lock holder id to use; a fresh one (newProcessId) by default. Shells pass one so they can save it before acquiring. */
  readonly processId?: string;
  readonly onEvent?: (event: EngineEvent) => void;
}

export interface MigrationOutcome {
  readonly filename: string;
  readonly relativePath: string;
  readonly type: MigrationType;
  readonly version: string | null;
  readonly description: string;
  readonly checksum: string;
  readonly direction: 'upgrade' | 'rollback';
  readonly status: 'applied' | 'rolled-back' | 'failed';
  /** The statements that ran (all of them when applied). */
  readonly statements: readonly string[];
  readonly durationMs: number;
  /** Why it failed (status 'failed'): a MigrationError, HistoryWriteError or CancelledError. */
  readonly failure?: JetbaseError;
}

/** A file as a dry run shows it: its statements in preview mode (docs/format.md, "Statements"). */
export interface PreviewEntry {
  readonly filename: string;
  readonly relativePath: string;
  readonly type: MigrationType;
  readonly version: string | null;
  readonly statements: readonly string[];
  /** What ends a statement in this file (`;`, or the one its delimiter directive sets). */
  readonly delimiter: string;
}

interface ReportBase {
  readonly target: string;
  readonly durationMs: number;
}

/** The latest applied VERSIONED version after the command; null when none is applied. */
interface CurrentVersion {
  readonly currentVersion: string | null;
}

/** What upgrade and rollback both report: the one runner behind them fills it. */
interface MigrationRunReport extends ReportBase, CurrentVersion {
  readonly ok: boolean;
  readonly dryRun: boolean;
  /** A dry run: what would run. */
  readonly preview: readonly PreviewEntry[];
  readonly outcomes: readonly MigrationOutcome[];
  readonly lockWaitMs?: number;
  /** Why ok is false: a ValidationError, MigrationError, HistoryWriteError or CancelledError. */
  readonly error?: JetbaseError;
}

export interface UpgradeReport extends MigrationRunReport {
  readonly command: 'upgrade';
  readonly plan: Plan;
  /** True when there was nothing to run. */
  readonly upToDate: boolean;
}

export interface RollbackReport extends MigrationRunReport {
  readonly command: 'rollback';
  /** Versions to roll back, newest applied first. */
  readonly targets: readonly string[];
}

export interface StatusReport extends ReportBase, CurrentVersion {
  readonly command: 'status';
  readonly tableExists: boolean;
  readonly applied: readonly HistoryRow[];
  readonly plan: Plan;
  readonly ok: boolean;
  readonly problems: readonly ValidationProblem[];
}

export interface HistoryReport extends ReportBase {
  readonly command: 'history';
  readonly tableExists: boolean;
  readonly rows: readonly HistoryRow[];
}

export interface CurrentReport extends ReportBase {
  readonly command: 'current';
  readonly version: string | null;
}

export interface LockStatusReport extends ReportBase {
  readonly command: 'lock-status';
  readonly locked: boolean;
  readonly lockedAt: string | null;
  readonly processId: string | null;
  readonly row: LockRow | undefined;
}

export interface UnlockReport extends ReportBase {
  readonly command: 'unlock';
  /** False when the tables did not exist and nothing was touched. */
  readonly touchedDatabase: boolean;
  readonly wasLocked: boolean;
}

export interface ChecksumMismatch {
  readonly version: string;
  readonly relativePath: string;
  readonly stored: string | null;
  readonly actual: string;
}

export interface ChecksumsReport extends ReportBase {
  readonly command: 'validate-checksums';
  readonly fix: boolean;
  /** No VERSIONED rows (or no table): nothing to check. */
  readonly nothingApplied: boolean;
  readonly mismatches: readonly ChecksumMismatch[];
  /** Versions whose stored checksum was repaired (fix mode). */
  readonly repaired: readonly string[];
}

export interface FilesReport extends ReportBase {
  readonly command: 'validate-files';
  readonly fix: boolean;
  readonly missingVersions: readonly string[];
  readonly missingRepeatables: readonly string[];
  /** Rows deleted (fix mode). */
  readonly removedVersions: readonly string[];
  readonly removedRepeatables: readonly string[];
}

export interface FixReport extends ReportBase {
  readonly command: 'fix';
  readonly files: FilesReport;
  readonly checksums: ChecksumsReport;
}

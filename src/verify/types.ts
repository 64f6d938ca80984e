/** What `verify` reports: each file through up, down and up again on a disposable database. */
import type { JetbaseError } from '../engine/errors.js';
import type { MigrationType } from '../engine/names.js';

/** The three passes, in the order they run. */
export type VerifyPass = 'upgrade' | 'rollback' | 'upgrade-again';

export const VERIFY_PASSES: readonly VerifyPass[] = ['upgrade', 'rollback', 'upgrade-again'];

export interface PassResult {
  readonly status: 'ok' | 'failed';
  readonly durationMs: number;
}

export interface VerifiedFile {
  readonly filename: string;
  /** Relative to the jetbase directory (`migrations/V2__x.sql`). */
  readonly relativePath: string;
  readonly type: MigrationType;
  readonly version: string | null;
  /** How each pass went for this file; a pass that did not run this file is absent. */
  readonly passes: Partial<Record<VerifyPass, PassResult>>;
}

export interface VerifyFailure {
  readonly pass: VerifyPass;
  /** A MigrationError (file, section, statement, line, the database's message), HistoryWriteError or CancelledError. */
  readonly error: JetbaseError;
}

export interface VerifyReport {
  readonly command: 'verify';
  /** The disposable database, without secrets. */
  readonly target: string;
  /** Every pass that ran succeeded ("rollback not tested" is a warning, not a failure). */
  readonly ok: boolean;
  /** In execution order of the first pass. */
  readonly files: readonly VerifiedFile[];
  /** Versioned files without a rollback section: only the first pass ran. */
  readonly withoutRollback: readonly string[];
  /** The passes that ran. */
  readonly passes: readonly VerifyPass[];
  readonly failure?: VerifyFailure;
  readonly durationMs: number;
}

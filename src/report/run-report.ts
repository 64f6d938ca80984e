/**
 * What one run of the action produced, in the form the pure renderers take: the run layer's
 * outcome (an engine report, an offline validation, or a run that stopped) plus where it ran.
 * `resultOf` classifies it once for the verdict, the outputs and the exit code.
 */
import type { ValidationProblem } from '../engine/errors.js';
import type { RollbackReport, StatusReport, UpgradeReport } from '../engine/types.js';
import type { OfflineReport } from '../run/offline.js';
import type { FailedRun } from '../run/types.js';
import type { LintResult } from './risks.js';
import type { DriftExplanation } from './drift.js';
import type { VerifyOutcome } from './verify-section.js';

export type RunOutcome = UpgradeReport | RollbackReport | StatusReport | OfflineReport | FailedRun;

export interface RunContext {
  /** The jetbase directory relative to the repository root, POSIX (`db/jetbase`). */
  readonly directory: string;
  /** The target's label ('' when none). */
  readonly environment: string;
  /** The command as resolved from `auto` or given. */
  readonly command: 'validate' | 'status' | 'upgrade' | 'rollback';
  /** What triggered it, for the reader: `pull_request #12`, `push to main`. */
  readonly trigger: string;
  /** Files link to `<blobBase><directory>/<relativePath>`; e.g. `https://github.com/o/r/blob/<sha>/`. */
  readonly blobBase?: string;
  /** The run page (its job summary), for the overflow note. */
  readonly runUrl?: string;
  /** The plan hash (what would run, against which database), when a plan was made against a database. */
  readonly planHash?: string;
  /** A deploy's plan against the reviewed one. */
  readonly planCheck?: PlanCheck;
  /** On a pull request: each drifted file against the base branch. */
  readonly drift?: readonly DriftExplanation[];
}

/** How a deploy's plan compared with the plan reviewed on its pull request. */
export type PlanCheck =
  | { readonly kind: 'matched'; readonly pullRequest: number; readonly planHash: string }
  | {
      readonly kind: 'differs';
      readonly pullRequest: number;
      readonly planHash: string;
      readonly reviewedHash: string;
      /** One sentence per difference. */
      readonly differences: readonly string[];
      /** require-reviewed-plan: the deploy was stopped with nothing applied. */
      readonly refused: boolean;
    }
  | {
      readonly kind: 'no-review';
      readonly reason: string;
      readonly refused: boolean;
      readonly pullRequest?: number;
      readonly planHash: string;
    };

export interface RunReport {
  readonly context: RunContext;
  readonly outcome: RunOutcome;
  /** Lint findings on the pending files, when lint ran. */
  readonly lint?: LintResult;
  /** The chain replayed on a disposable database (verify-database-url), when it ran. */
  readonly verify?: VerifyOutcome;
}

export type RunResult = 'success' | 'drift' | 'invalid' | 'failure' | 'locked' | 'cancelled';

const DRIFT_KINDS: ReadonlySet<ValidationProblem['kind']> = new Set([
  'checksum-mismatch',
  'missing-file',
  'missing-repeatable',
]);

export function problemsOf(outcome: RunOutcome): readonly ValidationProblem[] {
  switch (outcome.command) {
    case 'status':
    case 'offline-validate':
      return outcome.problems;
    case 'upgrade':
      return outcome.plan.problems;
    case 'error':
      return outcome.problems ?? [];
    case 'rollback':
      return [];
  }
}

/** Applied files changed or missing (errors only: a skipped check reports nothing). */
export function hasDrift(outcome: RunOutcome): boolean {
  return problemsOf(outcome).some((p) => p.severity === 'error' && DRIFT_KINDS.has(p.kind));
}

export function resultOf(outcome: RunOutcome): RunResult {
  if (outcome.command === 'error') {
    if (outcome.code === 'LOCK_HELD') return 'locked';
    if (outcome.code === 'VALIDATION' || outcome.code === 'DUPLICATE_VERSION')
      return hasDrift(outcome) ? 'drift' : 'invalid';
    if (outcome.code === 'CANCELLED') return 'cancelled';
    return 'failure';
  }
  if (hasDrift(outcome)) return 'drift';
  if (problemsOf(outcome).some((p) => p.severity === 'error')) return 'invalid';
  if (outcome.command === 'upgrade' || outcome.command === 'rollback') {
    if (outcome.error?.code === 'CANCELLED') return 'cancelled';
    if (outcome.error?.code === 'VALIDATION' || outcome.error?.code === 'DUPLICATE_VERSION') return 'invalid';
    if (!outcome.ok) return 'failure';
  }
  return 'success';
}

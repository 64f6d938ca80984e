/**
 * What one run of the action (or a CLI command that wants markdown) produced, in a form the pure
 * renderers take: the engine's report, or an offline validation, or an error that stopped the run,
 * plus where it ran. `resultOf` classifies it once for the verdict, the outputs and the exit code.
 */
import type { ValidationProblem } from '../engine/errors.js';
import type { Plan } from '../engine/plan.js';
import type { RollbackReport, StatusReport, UpgradeReport } from '../engine/types.js';

/** Validation without a database: names, duplicates, parsing, order against the base branch. */
export interface OfflineReport {
  readonly command: 'offline-validate';
  /** The plan against an empty history, narrowed to the files the base branch does not have when it is known. */
  readonly plan: Plan;
  readonly problems: readonly ValidationProblem[];
  readonly ok: boolean;
  /** Migration files found (all of them, not only the new ones the plan lists). */
  readonly checkedFiles: number;
  /** Where the base branch's file names came from, or why they could not be read. */
  readonly baseBranch:
    | { readonly checked: true; readonly ref: string; readonly source: 'git' | 'api'; readonly files: number }
    | { readonly checked: false; readonly reason: string };
  /** What an offline run cannot know, said plainly. */
  readonly notChecked: readonly string[];
  readonly durationMs: number;
}

/** A run that stopped before the engine could report (configuration, lock held, connection). */
export interface FailedRun {
  readonly command: 'error';
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  /** When validation stopped it (bad file names before an upgrade): every problem. */
  readonly problems?: readonly ValidationProblem[];
}

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
}

export interface RunReport {
  readonly context: RunContext;
  readonly outcome: RunOutcome;
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

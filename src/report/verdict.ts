/**
 * The one-line verdict a reviewer reads first, as parts: plain words and names (a file, a
 * command). Plain text and Markdown are two renderings of the same parts, so no shell un-escapes
 * Markdown to get text.
 */
import { executionOrder } from '../engine/plan.js';
import type { ValidationProblem } from '../engine/errors.js';
import { formatDuration } from './duration.js';
import { codeSpan, escapeText } from './escape.js';
import { lintVerdict } from './risks.js';
import { problemsOf, resultOf, type RunReport } from './run-report.js';

export type VerdictPart = string | { readonly name: string };
export type Verdict = readonly VerdictPart[];

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export function countErrors(problems: readonly ValidationProblem[]): { errors: number; warnings: number } {
  const errors = problems.filter((p) => p.severity === 'error').length;
  return { errors, warnings: problems.length - errors };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

export function verdictOf(report: RunReport): Verdict {
  const outcome = report.outcome;
  const result = resultOf(outcome);
  const { errors } = countErrors(problemsOf(outcome));
  switch (outcome.command) {
    case 'error':
      if (result === 'invalid')
        return [`Validation failed with ${plural(errors, 'problem')}; nothing was run.`];
      if (result === 'locked') return ['The migration lock stayed held by another run; nothing was applied.'];
      if (result === 'cancelled') return ['Cancelled; the lock was released.'];
      return [`The run failed: ${firstLine(outcome.message)}`];
    case 'status':
    case 'offline-validate': {
      const offline = outcome.command === 'offline-validate' ? 'Offline validation' : 'Validation';
      if (result === 'drift')
        return [`Drift: applied migrations changed or are missing (${plural(errors, 'problem')}).`];
      if (!outcome.ok) return [`${offline} failed with ${plural(errors, 'problem')}.`];
      const lintFailure = report.context.command === 'validate' ? lintVerdict(report.lint) : undefined;
      if (lintFailure !== undefined) return [lintFailure];
      if (outcome.command === 'offline-validate') {
        return [
          `Offline validation passed: ${plural(outcome.checkedFiles, 'migration file')} checked without a database.`,
        ];
      }
      const n = executionOrder(outcome.plan).length;
      return [
        n === 0
          ? 'Validation passed: the database is up to date.'
          : `Validation passed: ${plural(n, 'migration')} would run.`,
      ];
    }
    case 'upgrade': {
      if (result === 'drift')
        return [
          `Drift: applied migrations changed or are missing (${plural(errors, 'problem')}); nothing was applied.`,
        ];
      if (result === 'invalid')
        return [`Validation failed with ${plural(errors, 'problem')}; nothing was applied.`];
      const applied = outcome.outcomes.filter((o) => o.status === 'applied').length;
      if (result === 'cancelled')
        return [`Cancelled after ${plural(applied, 'migration')}; the lock was released.`];
      const failed = outcome.outcomes.find((o) => o.status === 'failed');
      if (failed)
        return [
          'Migration ',
          { name: failed.filename },
          ` failed; ${plural(applied, 'migration')} applied before it.`,
        ];
      if (!outcome.ok) return [`The upgrade failed: ${firstLine(outcome.error?.message ?? 'unknown error')}`];
      if (outcome.dryRun) {
        const n = outcome.preview.length;
        return [
          n === 0 ? 'Dry run: the database is up to date.' : `Dry run: ${plural(n, 'migration')} would run.`,
        ];
      }
      if (outcome.upToDate) return ['Up to date: nothing to apply.'];
      return [`Applied ${plural(applied, 'migration')} in ${formatDuration(outcome.durationMs)}.`];
    }
    case 'rollback': {
      const done = outcome.outcomes.filter((o) => o.status === 'rolled-back').length;
      if (result === 'cancelled')
        return [`Cancelled after rolling back ${plural(done, 'migration')}; the lock was released.`];
      if (!outcome.ok)
        return [`The rollback failed: ${firstLine(outcome.error?.message ?? 'unknown error')}`];
      if (outcome.dryRun)
        return [`Dry run: ${plural(outcome.targets.length, 'migration')} would be rolled back.`];
      return [
        done === 0
          ? 'Nothing to roll back.'
          : `Rolled back ${plural(done, 'migration')} in ${formatDuration(outcome.durationMs)}.`,
      ];
    }
  }
}

export function verdictText(verdict: Verdict): string {
  return verdict.map((part) => (typeof part === 'string' ? part : part.name)).join('');
}

export function verdictMarkdown(verdict: Verdict): string {
  return verdict.map((part) => (typeof part === 'string' ? escapeText(part) : codeSpan(part.name))).join('');
}

/**
 * Problems as annotations on the offending file and line (the PR's "Files changed" tab shows them).
 * GitHub keeps at most 10 errors, 10 warnings and 10 notices per step and drops the rest silently;
 * `setFailed` writes one error of its own. So each level gets its budget, the most important
 * first, and what does not fit is counted where the reader sees it.
 */
import * as core from '@actions/core';

import type { ValidationProblem } from '../engine/errors.js';
import { redact } from './secrets.js';

export const MAX_ANNOTATIONS_PER_LEVEL = 10;

export interface FileAnnotation {
  readonly level: 'error' | 'warning';
  readonly message: string;
  readonly title: string;
  /** Repository-relative path. */
  readonly file?: string;
  readonly line?: number;
  /** Lower comes first when not all fit. */
  readonly rank: number;
}

/** Which problems a reader must see first: what broke, then drift, then what blocks a merge. */
const KIND_RANKS: Readonly<Record<ValidationProblem['kind'], number>> = {
  'checksum-mismatch': 1,
  'missing-file': 1,
  'missing-repeatable': 1,
  'duplicate-version': 2,
  'out-of-order': 2,
  'invalid-filename': 3,
  'filename-too-long': 3,
  'unreadable-file': 3,
  'unterminated-statement': 4,
  'trailing-comment': 4,
};

/** A failed migration outranks every validation problem. */
export const MIGRATION_FAILURE_RANK = 0;

export function problemAnnotations(
  problems: readonly ValidationProblem[],
  repoDirectory: string,
): FileAnnotation[] {
  const prefix = repoDirectory === '.' ? '' : `${repoDirectory}/`;
  return problems.map((p) => ({
    level: p.severity,
    title: `Jetbase: ${p.kind.replace(/-/g, ' ')}`,
    message: p.fix === undefined ? p.message : `${p.message} Fix: ${p.fix}`,
    rank: KIND_RANKS[p.kind],
    // A file-level problem (a checksum) points at line 1, where the diff view can show it.
    ...(p.file === undefined ? {} : { file: `${prefix}${p.file}`, line: p.line ?? 1 }),
  }));
}

export interface AnnotationPlan {
  readonly shown: readonly FileAnnotation[];
  /** Per level, how many did not fit. */
  readonly hidden: { readonly error: number; readonly warning: number };
}

/**
 * Within GitHub's caps: `reservedErrors` slots stay free for the step's own failure message. A
 * level that overflows gives its last slot to a line counting the rest, except errors when the
 * step fails: the failure message carries that count instead.
 */
export function planAnnotations(
  annotations: readonly FileAnnotation[],
  options: { readonly reservedErrors: number },
): AnnotationPlan {
  const shown: FileAnnotation[] = [];
  const hidden = { error: 0, warning: 0 };
  for (const level of ['error', 'warning'] as const) {
    // Stable: equal ranks keep the engine's order (files in version order).
    const all = annotations.filter((a) => a.level === level).sort((a, b) => a.rank - b.rank);
    const budget = MAX_ANNOTATIONS_PER_LEVEL - (level === 'error' ? options.reservedErrors : 0);
    const countsInline = level === 'warning' || options.reservedErrors === 0;
    const room = all.length > budget && countsInline ? budget - 1 : budget;
    shown.push(...all.slice(0, Math.max(0, room)));
    hidden[level] = Math.max(0, all.length - room);
  }
  return { shown, hidden };
}

function moreLine(n: number, level: 'error' | 'warning'): string {
  return `…and ${n} more ${level}${n === 1 ? '' : 's'}: see the job summary.`;
}

/** Writes the plan; returns how many errors were left for the failure message to count. */
export function annotate(
  annotations: readonly FileAnnotation[],
  options: { readonly willFail: boolean },
): number {
  const plan = planAnnotations(annotations, { reservedErrors: options.willFail ? 1 : 0 });
  for (const a of plan.shown) {
    const write = a.level === 'error' ? core.error : core.warning;
    write(redact(a.message), {
      title: a.title,
      ...(a.file === undefined ? {} : { file: a.file }),
      ...(a.line === undefined ? {} : { startLine: a.line }),
    });
  }
  if (plan.hidden.warning > 0) core.warning(moreLine(plan.hidden.warning, 'warning'), { title: 'Jetbase' });
  if (plan.hidden.error > 0 && !options.willFail)
    core.error(moreLine(plan.hidden.error, 'error'), { title: 'Jetbase' });
  return options.willFail ? plan.hidden.error : 0;
}

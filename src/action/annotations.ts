/**
 * Problems as annotations on the offending file and line (the PR's "Files changed" tab shows them).
 * GitHub shows at most 10 of each level per step, so this writes at most 10 and one more line that
 * counts the rest.
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
}

export function problemAnnotations(
  problems: readonly ValidationProblem[],
  repoDirectory: string,
): FileAnnotation[] {
  const prefix = repoDirectory === '.' ? '' : `${repoDirectory}/`;
  return problems.map((p) => ({
    level: p.severity,
    title: `Jetbase: ${p.kind.replace(/-/g, ' ')}`,
    message: p.fix === undefined ? p.message : `${p.message} Fix: ${p.fix}`,
    // A file-level problem (a checksum) points at line 1, where the diff view can show it.
    ...(p.file === undefined ? {} : { file: `${prefix}${p.file}`, line: p.line ?? 1 }),
  }));
}

export function annotate(annotations: readonly FileAnnotation[]): void {
  for (const level of ['error', 'warning'] as const) {
    const all = annotations.filter((a) => a.level === level);
    const write = level === 'error' ? core.error : core.warning;
    for (const a of all.slice(0, MAX_ANNOTATIONS_PER_LEVEL)) {
      write(redact(a.message), {
        title: a.title,
        ...(a.file === undefined ? {} : { file: a.file }),
        ...(a.line === undefined ? {} : { startLine: a.line }),
      });
    }
    const rest = all.length - MAX_ANNOTATIONS_PER_LEVEL;
    if (rest > 0)
      write(`…and ${rest} more ${level}${rest === 1 ? '' : 's'}: see the job summary.`, { title: 'Jetbase' });
  }
}

/**
 * Drift explained, in the PR comment: for each applied file whose checksum no longer matches, the
 * diff of its upgrade section against the base branch, who made the change (this pull request, or
 * the base branch already differed from what was applied), and what to do; for a missing file,
 * whether this pull request deleted it. Pure rendering of what src/action/drift.ts found.
 */
import { codeSpan, escapeHtml, fencedBlock } from './escape.js';
import type { RunContext } from './run-report.js';

export type DriftOrigin =
  /** The base branch still has what was applied: this pull request changed (or deleted) it. */
  | 'this-pr'
  /** The base branch already differs from what was applied; this pull request left it as it is. */
  | 'base'
  /** The base branch already differs, and this pull request changed it further. */
  | 'both'
  /** The base branch's version could not be read. */
  | 'unknown';

export interface DriftExplanation {
  readonly kind: 'changed' | 'missing';
  /** Relative to the jetbase directory; for a missing file, the base branch's path when known. */
  readonly file: string | undefined;
  readonly version: string;
  readonly origin: DriftOrigin;
  /** Only whitespace or comments differ from the base branch (so fix-checksums may accept it). */
  readonly whitespaceOnly: boolean;
  /** Unified diff of the upgrade section, base branch → this pull request. */
  readonly diff: string | undefined;
  /** Why the base branch's version could not be read, or why there is no diff. */
  readonly note?: string;
}

const DIFF_MAX = 15_000;

function whoLine(item: DriftExplanation): string {
  if (item.kind === 'missing') {
    if (item.origin === 'this-pr') return 'This pull request deleted it; the base branch still has it.';
    if (item.origin === 'base')
      return 'It is already missing on the base branch; this pull request did not delete it.';
    return `Whether this pull request deleted it is not known${item.note ? ` (${item.note})` : ''}.`;
  }
  switch (item.origin) {
    case 'this-pr':
      return 'This pull request changed it: the base branch still has the version that was applied.';
    case 'base':
      return 'The base branch already differs from what was applied; this pull request did not change it.';
    case 'both':
      return 'The base branch already differs from what was applied, and this pull request changed it further.';
    case 'unknown':
      return `Who changed it is not known${item.note ? ` (${item.note})` : ''}.`;
  }
}

function adviceLine(item: DriftExplanation): string {
  if (item.kind === 'missing')
    return 'Restore the file: an applied migration must stay. Undo its effect with a new migration instead.';
  if (item.whitespaceOnly && item.origin !== 'base')
    return 'Only whitespace or comments changed: this may be accepted with `jetbase fix-checksums`.';
  return 'Restore the file to what was applied and put the change in a new migration; `fix-checksums` would bless an edit the database never ran.';
}

export function driftLines(context: RunContext): string[] {
  const items = context.drift ?? [];
  if (items.length === 0) return [];
  const lines = ['#### Drift explained', ''];
  for (const item of items) {
    const name = item.file === undefined ? `version ${item.version}` : codeSpan(item.file);
    const what =
      item.kind === 'missing'
        ? 'is missing'
        : item.whitespaceOnly
          ? 'changed (whitespace or comments only)'
          : 'changed';
    lines.push(`- ${name} ${what}. ${whoLine(item)}`, `  ${adviceLine(item)}`);
    if (item.diff !== undefined) {
      const diff =
        item.diff.length > DIFF_MAX ? `${item.diff.slice(0, DIFF_MAX)}\n… (diff shortened)` : item.diff;
      const label = item.file === undefined ? `version ${item.version}` : item.file;
      lines.push(
        '',
        `  <details><summary>Diff of the upgrade section of <code>${escapeHtml(label)}</code>, base branch → this pull request</summary>`,
        '',
        ...fencedBlock(diff, 'diff')
          .split('\n')
          .map((line) => `  ${line}`),
        '',
        '  </details>',
      );
    }
    lines.push('');
  }
  return lines;
}

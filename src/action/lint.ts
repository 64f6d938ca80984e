/** Lint findings in the action as annotations on their lines (the verdict and exit follow resultWithLint). */
import type { LintFinding } from '../lint/types.js';
import type { LintResult } from '../report/risks.js';
import type { FileAnnotation } from './annotations.js';

/** After validation problems: those block a merge for reasons no allow comment can change. */
const LINT_RANK = 5;

export function lintAnnotations(lint: LintResult | undefined, repoDirectory: string): FileAnnotation[] {
  if (lint === undefined) return [];
  const prefix = repoDirectory === '.' ? '' : `${repoDirectory}/`;
  return lint.report.findings
    .filter((f): f is LintFinding & { severity: 'error' | 'warning' } => f.severity !== 'info')
    .map((f) => ({
      // Under `lint: warn` nothing fails, so nothing is shown as an error either.
      level: f.severity === 'error' && lint.enforced ? 'error' : 'warning',
      title: `Jetbase lint: ${f.rule}`,
      message: `${f.message} ${f.why} Safer: ${f.safer}`,
      file: `${prefix}${f.file}`,
      line: f.line,
      rank: LINT_RANK,
    }));
}

/** Lint findings in the action: annotations on their lines, the check's pass or fail, the failure line. */
import type { LintFinding } from '../lint/types.js';
import { lintFailsCheck, type LintResult } from '../report/risks.js';
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

/** The line the failed step ends with when lint failed the check. */
export function lintFailureText(lint: LintResult | undefined): string | undefined {
  if (!lintFailsCheck(lint)) return undefined;
  const errors = lint!.report.findings.filter((f) => f.severity === 'error').length;
  return `Lint: ${errors} error-level finding${errors === 1 ? '' : 's'} in the pending migrations (see the Risks section; allow a rule with '-- jetbase-lint: allow <rule>' when it is intended).`;
}

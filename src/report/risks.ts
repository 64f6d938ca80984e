/**
 * The "Risks" section of the PR comment and job summary: each lint finding with the rule, a link to
 * the file and line, the statement, why it hurts and the safer way. Above the plan, since it is what
 * a reviewer must read first. Pure, like every renderer.
 */
import type { LintFinding, LintReport } from '../lint/types.js';
import { codeSpan, escapeText, fencedBlock } from './escape.js';
import { resultOf, type RunReport, type RunResult } from './run-report.js';

export interface LintResult {
  readonly report: LintReport;
  /** Error-level findings fail the check (input `lint: error`); else they are only shown. */
  readonly enforced: boolean;
}

/** Findings that count as risks (errors and warnings; "not analyzed" notes do not). */
export function riskCountOf(lint: LintResult | undefined): number {
  return lint?.report.findings.filter((f) => f.severity !== 'info').length ?? 0;
}

export function lintFailsCheck(lint: LintResult | undefined): boolean {
  return lint?.enforced === true && lint.report.findings.some((f) => f.severity === 'error');
}

/** The verdict when lint fails the check (error-level findings under `lint: error`). */
export function lintVerdict(lint: LintResult | undefined): string | undefined {
  if (!lintFailsCheck(lint)) return undefined;
  const errors = lint!.report.findings.filter((f) => f.severity === 'error').length;
  return `Lint: ${errors} error-level finding${errors === 1 ? '' : 's'} in the pending migrations (see the Risks section; allow a rule with '-- jetbase-lint: allow <rule>' when it is intended).`;
}

/** The run's result, where a `validate` that lint failed is `invalid` (so the verdict, outputs and exit agree). */
export function resultWithLint(report: RunReport): RunResult {
  const result = resultOf(report.outcome);
  return result === 'success' && report.context.command === 'validate' && lintFailsCheck(report.lint)
    ? 'invalid'
    : result;
}

const STATEMENT_MAX = 1_000;

const ICONS: Readonly<Record<LintFinding['severity'], string>> = { error: '❌', warning: '⚠️', info: 'ℹ️' };

export interface RisksOptions {
  /** Renders `file:line` as a link where the report knows the blob URL. */
  readonly link: (relativePath: string, line: number) => string;
  /** At most this many findings; the rest are counted. */
  readonly listLimit: number;
  /** Show each statement in a fenced block. */
  readonly sql: boolean;
}

export function risksSection(lint: LintResult | undefined, options: RisksOptions): string[] {
  if (lint === undefined) return [];
  const { findings, allowed } = lint.report;
  if (findings.length === 0 && allowed.length === 0) return [];
  const errors = findings.filter((f) => f.severity === 'error').length;
  const lines: string[] = ['#### Risks', ''];
  if (errors > 0)
    lines.push(
      lint.enforced
        ? `**${errors} error-level finding${errors === 1 ? '' : 's'} fail${errors === 1 ? 's' : ''} the check.** Fix the SQL, or allow a rule with \`-- jetbase-lint: allow <rule>\` above the statement.`
        : `${errors} error-level finding${errors === 1 ? '' : 's'} (lint: warn, the check does not fail on them).`,
      '',
    );
  const shown = findings.slice(0, options.listLimit);
  for (const finding of shown) {
    lines.push(
      `- ${ICONS[finding.severity]} ${codeSpan(finding.rule)} ${options.link(finding.file, finding.line)}: ${escapeText(finding.message)}`,
    );
    if (options.sql) {
      const statement =
        finding.statement.length > STATEMENT_MAX
          ? `${finding.statement.slice(0, STATEMENT_MAX)}…`
          : finding.statement;
      lines.push(
        '',
        ...fencedBlock(statement, 'sql')
          .split('\n')
          .map((line) => `  ${line}`),
        '',
      );
    }
    if (finding.severity !== 'info') {
      lines.push(`  Why: ${escapeText(finding.why)}`);
      lines.push(`  Safer: ${escapeText(finding.safer)}`);
    }
  }
  if (findings.length > shown.length)
    lines.push(`- … and ${findings.length - shown.length} more findings (see the job summary)`);
  if (allowed.length > 0) {
    const where = allowed
      .slice(0, options.listLimit)
      .map(
        (a) =>
          `${codeSpan(a.rule)} at ${options.link(a.file, a.line)}${a.scope === 'file' ? ' (whole file)' : ''}`,
      );
    lines.push('', `Allowed: ${where.join(', ')}${allowed.length > options.listLimit ? ', …' : ''}.`);
  }
  lines.push('');
  return lines;
}

/** `jetbase lint` and the findings `validate` prints: one line per finding, or JSON. */
import type { LintFinding, LintReport } from '../lint/types.js';
import type { Output } from './output.js';

/** `{"findings": [{file, line, rule, severity, message, …}], "allowed": […]}`. */
export function lintJson(report: LintReport, scope: string): string {
  const findings = report.findings.map((f: LintFinding) => ({
    file: f.file,
    line: f.line,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    statement: f.statement,
    why: f.why,
    safer: f.safer,
  }));
  return `${JSON.stringify({ dialect: report.dialect, scope, findings, allowed: report.allowed }, null, 2)}\n`;
}

export function printFindings(output: Output, report: LintReport): void {
  const style = output.outStyle;
  for (const f of report.findings) {
    const level =
      f.severity === 'error'
        ? style.fail('error')
        : f.severity === 'warning'
          ? style.warn('warning')
          : 'info';
    output.print(`${f.file}:${f.line}: ${level} [${f.rule}] ${f.message}`);
    if (f.severity !== 'info') output.print(`    Why: ${f.why}\n    Safer: ${f.safer}`);
  }
  for (const a of report.allowed)
    output.print(
      style.dim(
        `${a.file}:${a.line}: allowed [${a.rule}] (${a.scope === 'file' ? 'for the whole file' : 'on this statement'})`,
      ),
    );
}

export function lintSummary(report: LintReport, scope: 'pending' | 'all-files'): string {
  const count = (severity: LintFinding['severity']) =>
    report.findings.filter((f) => f.severity === severity).length;
  const what = scope === 'pending' ? 'pending file' : 'migration file';
  return `Lint (${report.dialect}): ${report.files} ${what}${report.files === 1 ? '' : 's'}, ${count('error')} errors, ${count('warning')} warnings, ${count('info')} notes.`;
}

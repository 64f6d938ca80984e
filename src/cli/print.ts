/** Human output for each command's report, with Python Jetbase's own texts where it has them. */
import type {
  ChecksumsReport,
  CurrentReport,
  FilesReport,
  FixReport,
  HistoryReport,
  LockStatusReport,
  RollbackReport,
  StatusReport,
  UnlockReport,
  UpgradeReport,
} from '../engine/types.js';
import { JetbaseError, ValidationError, type ValidationProblem } from '../engine/errors.js';
import {
  CHECKSUMS_VALID,
  NOTHING_TO_REPAIR,
  checksumAuditText,
  checksumRepairText,
  dryRunText,
  historyText,
  missingFilesAuditText,
  missingFilesFixText,
  statusText,
  versionLabel,
  type StatusRow,
} from '../report/text.js';
import {
  progressFormatter,
  type CommandName,
  type CommandReport,
  type OfflineReport,
  type ProgressEvent,
} from '../run/index.js';
import type { Output } from './output.js';
import { printVerify } from './print-verify.js';

/** One problem on one line: file:line first when the message does not already name it, then the fix. */
export function problemLine(problem: ValidationProblem): string {
  const where =
    problem.file === undefined
      ? ''
      : `${problem.file}${problem.line === undefined ? '' : `:${problem.line}`}`;
  const prefix = where !== '' && !problem.message.includes(problem.file!) ? `${where}: ` : '';
  const fix = problem.fix === undefined ? '' : ` (fix: ${problem.fix})`;
  return `${prefix}${problem.message}${fix}`;
}

export function printWarnings(output: Output, problems: readonly ValidationProblem[]): void {
  for (const problem of problems) {
    if (problem.severity === 'warning') output.log(output.errStyle.warn(`Warning: ${problemLine(problem)}`));
  }
}

/** `Error: …` and `Hint: …` on stderr; every validation problem on a line of its own. */
export function printError(output: Output, error: unknown, debug: boolean): void {
  const style = output.errStyle;
  if (error instanceof ValidationError) {
    const errors = error.problems.filter((p) => p.severity === 'error');
    output.log(
      `${style.fail('Error:')} Validation failed with ${errors.length} problem${errors.length === 1 ? '' : 's'}:`,
    );
    for (const problem of errors) output.log(`  - ${problemLine(problem)}`);
    const warnings = error.problems.filter((p) => p.severity === 'warning');
    for (const problem of warnings) output.log(style.warn(`  Warning: ${problemLine(problem)}`));
  } else {
    const message = error instanceof Error ? error.message : String(error);
    output.log(`${style.fail('Error:')} ${message}`);
    if (error instanceof JetbaseError && error.hint !== undefined) output.log(`Hint: ${error.hint}`);
  }
  if (debug && error instanceof Error && error.stack !== undefined) output.log(style.dim(error.stack));
}

/**
 * Progress as the run layer words it: messages to stderr, one line per migration as it finishes
 * (stdout, or stderr under --json so stdout stays one JSON document). Lines meant for logs only
 * (`verbose`) are left out; a retry line is rewritten in place on a terminal.
 */
export function progressPrinter(
  output: Output,
  command: CommandName,
  json: boolean,
): (event: ProgressEvent) => void {
  const format = progressFormatter(command);
  return (event) => {
    for (const line of format(event)) {
      if (line.kind === 'outcome') {
        const style = output.outStyle;
        const mark = line.status === 'failed' ? style.fail(line.mark) : style.ok(line.mark);
        const text = `${mark} ${line.filename}  ${style.dim(line.duration)}`;
        if (json) output.log(text);
        else output.print(text);
      } else if (line.verbose) {
        continue;
      } else if (line.transient) {
        output.transient(line.text);
      } else {
        output.log(line.level === 'warning' ? output.errStyle.warn(line.text) : line.text);
      }
    }
  };
}

/** The human rendering of a command's report. */
export function printReport(output: Output, command: CommandName, report: CommandReport): void {
  switch (report.command) {
    case 'upgrade':
      return printUpgrade(output, report);
    case 'rollback':
      return printRollback(output, report);
    case 'status':
      return command === 'validate' ? printValidate(output, report) : printStatus(output, report);
    case 'offline-validate':
      return printValidate(output, report);
    case 'history':
      return printHistory(output, report);
    case 'current':
      return printCurrent(output, report);
    case 'lock-status':
      return printLockStatus(output, report);
    case 'unlock':
      return printUnlock(output, report);
    case 'validate-checksums':
      return printChecksums(output, report);
    case 'validate-files':
      return printFiles(output, report);
    case 'fix':
      return printFix(output, report);
    case 'lint':
      return; // src/cli/lint-output.ts prints it
    case 'verify':
      return printVerify(output, report);
  }
}

export function printUpgrade(output: Output, report: UpgradeReport): void {
  printWarnings(output, report.plan.problems);
  if (!report.ok) return;
  if (report.dryRun) {
    output.raw(dryRunText(report.preview));
    if (report.preview.length === 0) output.log('Migrations are up to date: nothing would run.');
    return;
  }
  output.print(report.upToDate ? 'Migrations are up to date.' : 'Migrations completed successfully.');
}

export function printRollback(output: Output, report: RollbackReport): void {
  if (!report.ok) return;
  if (report.targets.length === 0) {
    output.print('Nothing to rollback.');
    return;
  }
  if (report.dryRun) {
    output.raw(dryRunText(report.preview));
    return;
  }
  output.print('Rollbacks completed successfully.');
}

/** The two status tables: applied rows in history order, then what would run. */
export function statusRows(report: StatusReport): { applied: StatusRow[]; pending: StatusRow[] } {
  const applied = report.applied.map((row) => ({
    version: versionLabel(row.version, row.migrationType),
    description: row.description,
  }));
  const { plan } = report;
  const pending = [...plan.pendingVersioned, ...plan.runsAlways, ...plan.runsOnChange].map((p) => ({
    version: versionLabel(p.file.version, p.file.type),
    description: p.file.description,
  }));
  return { applied, pending };
}

export function printStatus(output: Output, report: StatusReport): void {
  const { applied, pending } = statusRows(report);
  output.raw(statusText(applied, pending));
  for (const problem of report.problems) {
    output.log(
      output.errStyle.warn(
        `${problem.severity === 'error' ? 'Problem' : 'Warning'}: ${problemLine(problem)}`,
      ),
    );
  }
}

/** `validate`: every problem on stderr, a summary on stdout when there is no error. */
export function printValidate(output: Output, report: StatusReport | OfflineReport): void {
  const errors = report.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    printError(output, new ValidationError(report.problems), false);
    return;
  }
  printWarnings(output, report.problems);
  if (report.command === 'offline-validate') {
    output.print(
      `Offline validation passed: ${report.checkedFiles} migration files checked without a database.`,
    );
    return;
  }
  const versioned = report.applied.filter((row) => row.migrationType === 'VERSIONED').length;
  const { plan } = report;
  const pending = plan.pendingVersioned.length + plan.runsAlways.length + plan.runsOnChange.length;
  output.print(`All migrations are valid: ${versioned} applied, ${pending} pending.`);
}

export function printHistory(output: Output, report: HistoryReport): void {
  output.raw(historyText(report.tableExists, report.rows));
}

export function printCurrent(output: Output, report: CurrentReport): void {
  output.print(
    report.version === null
      ? 'No migrations have been applied yet.'
      : `Latest migration version: ${report.version}`,
  );
}

export function printLockStatus(output: Output, report: LockStatusReport): void {
  output.print(report.locked ? `Status: LOCKED\nLocked At: ${report.lockedAt ?? ''}` : 'Status: UNLOCKED');
}

export function printUnlock(output: Output, _report: UnlockReport): void {
  output.print('Unlock successful.');
}

export function printChecksums(output: Output, report: ChecksumsReport): void {
  if (report.nothingApplied) {
    output.print(NOTHING_TO_REPAIR);
    return;
  }
  if (report.mismatches.length === 0) {
    output.print(CHECKSUMS_VALID);
    return;
  }
  output.raw(
    report.fix
      ? checksumRepairText(report.repaired)
      : checksumAuditText(report.mismatches.map((m) => m.version)),
  );
}

export function printFiles(output: Output, report: FilesReport): void {
  output.raw(
    report.fix
      ? missingFilesFixText(report.removedVersions, report.removedRepeatables)
      : missingFilesAuditText(report.missingVersions, report.missingRepeatables),
  );
}

export function printFix(output: Output, report: FixReport): void {
  printFiles(output, report.files);
  printChecksums(output, report.checksums);
  output.print('Fix completed successfully.');
}

/** Human output for each command's report, with Jetbase's texts (contract §6) where it has them. */
import type {
  ChecksumsReport,
  CurrentReport,
  EngineEvent,
  FilesReport,
  FixReport,
  HistoryReport,
  LockStatusReport,
  MigrationOutcome,
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
  durationText,
  historyText,
  missingFilesAuditText,
  missingFilesFixText,
  statusText,
  versionLabel,
  type StatusRow,
} from '../report/text.js';
import type { Output } from './output.js';

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

function outcomeLine(output: Output, outcome: MigrationOutcome): string {
  const style = output.outStyle;
  const mark =
    outcome.status === 'failed'
      ? style.fail('✘')
      : outcome.direction === 'rollback'
        ? style.ok('↩')
        : style.ok('✔');
  return `${mark} ${outcome.filename}  ${style.dim(durationText(outcome.durationMs))}`;
}

/**
 * Progress as the engine reports it: lock waits to stderr, one line per migration as it finishes
 * (stdout, or stderr under --json so stdout stays one JSON document).
 */
export function eventPrinter(
  output: Output,
  options: { json: boolean; startMessage?: string },
): (event: EngineEvent) => void {
  let waited = false;
  return (event) => {
    switch (event.type) {
      case 'waiting-for-lock':
        waited = true;
        output.log(
          `Waiting for the migration lock, held since ${event.lockedAt ?? 'an unknown time'} by process ${event.processId ?? 'unknown'}…`,
        );
        break;
      case 'lock-taken-over':
        waited = true;
        output.log(
          `Took over the migration lock from process ${event.previousProcessId ?? 'unknown'} (held since ${event.lockedAt ?? 'an unknown time'}): its session is gone, so its unfinished migration was rolled back where the database allows it.`,
        );
        break;
      case 'connect-retry':
        output.log(
          `Database not reachable yet (${event.error}); retrying in ${durationText(event.delayMs)} (attempt ${event.attempt}).`,
        );
        break;
      case 'lock-acquired':
        if (waited) output.log(`Lock acquired after ${durationText(event.waitedMs)}.`);
        if (options.startMessage !== undefined) output.log(options.startMessage);
        break;
      case 'migration-finished': {
        const line = outcomeLine(output, event.outcome);
        if (options.json) output.log(line);
        else output.print(line);
        break;
      }
      default:
        break;
    }
  };
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

/** The two status tables (contract §6.5): applied rows in history order, then what would run. */
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
export function printValidate(output: Output, report: StatusReport): void {
  const errors = report.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    printError(output, new ValidationError(report.problems), false);
    return;
  }
  printWarnings(output, report.problems);
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

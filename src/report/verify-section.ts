/**
 * How a verify run reads, once for every shell: one line per file (✓ up ✓ down ✓ up with their
 * times), the files whose rollback was not tested, and the failure with its SQL. Pure: the PR
 * comment's section "Tested on a fresh database" and the CLI's lines are both built from here.
 */
import { MigrationError } from '../engine/errors.js';
import type { FailedRun } from '../run/types.js';
import type { PassResult, VerifiedFile, VerifyPass, VerifyReport } from '../verify/types.js';
import { VERIFY_PASSES } from '../verify/types.js';
import { formatDuration } from './duration.js';
import { codeSpan, escapeText, fencedBlock } from './escape.js';
import type { RunResult } from './run-report.js';

/** A verify run as a shell gets it: the report, or the run that could not happen (refused, unreachable). */
export type VerifyOutcome = VerifyReport | FailedRun;

export const VERIFY_HEADING = 'Tested on a fresh database';

const PASS_WORDS: Readonly<Record<VerifyPass, string>> = {
  upgrade: 'up',
  rollback: 'down',
  'upgrade-again': 'up',
};

/** `✓ up 12 ms`, `✗ down 3 ms`, or `– down` for a pass that did not run this file. */
export function passCell(pass: VerifyPass, result: PassResult | undefined): string {
  if (result === undefined) return `– ${PASS_WORDS[pass]}`;
  return `${result.status === 'ok' ? '✓' : '✗'} ${PASS_WORDS[pass]} ${formatDuration(result.durationMs)}`;
}

/** The cells of the passes that ran, in order. */
export function passCells(report: VerifyReport, file: VerifiedFile): string[] {
  return VERIFY_PASSES.filter((pass) => report.passes.includes(pass)).map((pass) =>
    passCell(pass, file.passes[pass]),
  );
}

const FAILED_PASS: Readonly<Record<VerifyPass, string>> = {
  upgrade: 'the first upgrade',
  rollback: 'the rollback of every versioned migration',
  'upgrade-again': 'the second upgrade (after the rollbacks)',
};

/** One sentence: what verify found. */
export function verifySummary(outcome: VerifyOutcome): string {
  if (outcome.command === 'error') return `Verify did not run: ${outcome.message}`;
  if (outcome.failure !== undefined) return `Verify failed in ${FAILED_PASS[outcome.failure.pass]}.`;
  if (!outcome.passes.includes('rollback')) {
    return outcome.withoutRollback.length > 0
      ? `Upgrade passed; rollback not tested: ${outcome.withoutRollback.length} versioned file${outcome.withoutRollback.length === 1 ? ' has' : 's have'} no rollback section.`
      : 'Upgrade passed (no versioned migrations to roll back).';
  }
  return `Up, down and up again passed (${outcome.files.length} file${outcome.files.length === 1 ? '' : 's'}, ${formatDuration(outcome.durationMs)}).`;
}

export function verifyPassed(outcome: VerifyOutcome): boolean {
  return outcome.command === 'verify' && outcome.ok;
}

/** A run that passed is a failure when its verify did not pass (the check fails on it). */
export function resultWithVerify(result: RunResult, verify: VerifyOutcome | undefined): RunResult {
  return result === 'success' && verify !== undefined && !verifyPassed(verify) ? 'failure' : result;
}

export interface VerifySectionOptions {
  /** A file as a link (or a code span) in the report, at a line when given. */
  readonly link: (relativePath: string, line?: number) => string;
  /** Show the failed statement's SQL. */
  readonly sql: boolean;
  /** At most this many file rows. */
  readonly listLimit: number;
}

/** The markdown section for the PR comment and the job summary. */
export function verifySection(outcome: VerifyOutcome, options: VerifySectionOptions): string[] {
  const icon = verifyPassed(outcome)
    ? outcome.command === 'verify' && outcome.withoutRollback.length > 0
      ? '⚠️'
      : '✅'
    : '❌';
  const lines = [`#### ${VERIFY_HEADING}`, '', `${icon} ${escapeText(verifySummary(outcome))}`, ''];
  if (outcome.command === 'error') {
    if (outcome.hint) lines.push(escapeText(outcome.hint), '');
    return lines;
  }
  const shown = outcome.files.slice(0, options.listLimit);
  for (const file of shown)
    lines.push(`- ${passCells(outcome, file).join(' · ')} — ${options.link(file.relativePath)}`);
  if (outcome.files.length > shown.length)
    lines.push(`- … ${outcome.files.length - shown.length} more files`);
  if (shown.length > 0) lines.push('');
  if (outcome.withoutRollback.length > 0) {
    lines.push(
      `**Rollback not tested**: no rollback section in ${outcome.withoutRollback
        .slice(0, options.listLimit)
        .map((path) => options.link(path))
        .join(', ')}${outcome.withoutRollback.length > options.listLimit ? ', …' : ''}.`,
      '',
    );
  }
  const failure = outcome.failure;
  if (failure !== undefined) {
    const { error } = failure;
    if (error instanceof MigrationError) {
      lines.push(
        `**Failed**: ${options.link(error.file, error.line)}${error.section === 'rollback' ? ' (rollback section)' : ''}, statement ${error.statementIndex + 1}: ${escapeText(error.driverMessage)}`,
        '',
      );
      if (options.sql) lines.push(fencedBlock(error.statement, 'sql'), '');
    } else {
      lines.push(`**Failed**: ${codeSpan(error.code)}`, '', fencedBlock(error.message, 'text'), '');
    }
  }
  return lines;
}

/** The CLI's lines: one per file, then the rollback warning and the summary. */
export function verifyTextLines(report: VerifyReport): {
  files: string[];
  warning?: string;
  summary: string;
} {
  return {
    files: report.files.map((file) => `${passCells(report, file).join('  ')}  ${file.relativePath}`),
    ...(report.withoutRollback.length > 0
      ? { warning: `Rollback not tested: no rollback section in ${report.withoutRollback.join(', ')}.` }
      : {}),
    summary: verifySummary(report),
  };
}

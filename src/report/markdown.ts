/**
 * RunReport → markdown, once, for the PR comment, the job summary and any other shell (pure: no
 * I/O, no clock, no environment). Everything that comes from files or the database is escaped:
 * file names in code spans, messages with markdown and HTML escaped, SQL in fences longer than any
 * backtick run inside it. Output longer than `maxLength` degrades step by step (SQL first, then
 * long lists) and says where the full report is.
 */
import type { ValidationProblem } from '../engine/errors.js';
import type { MigrationFile } from '../engine/discovery.js';
import { executionOrder, type PendingMigration, type Plan } from '../engine/plan.js';
import { parseSqlFile } from '../engine/sql-file.js';
import type { MigrationOutcome, RollbackReport, UpgradeReport } from '../engine/types.js';
import type { OfflineReport } from '../run/offline.js';
import { ranSql, ranSqlLength } from './applied-sql.js';
import { formatDuration } from './duration.js';
import { resultWithLint, risksSection } from './risks.js';
import { codeSpan, escapeHtml, escapeText, fencedBlock } from './escape.js';
import type { RunContext, RunReport, RunResult } from './run-report.js';
import { countErrors, plural, verdictMarkdown, verdictOf } from './verdict.js';
import { planCheckLines, planHashLines } from './plan-check.js';
import { driftLines } from './drift.js';
import { resultWithVerify, verifySection } from './verify-section.js';

export interface MarkdownOptions {
  /** The result must fit in this many characters (65,536 for a PR comment, 1 MiB for a job summary). */
  readonly maxLength?: number;
}

/** GitHub's limit for an issue comment body. */
export const COMMENT_MAX_LENGTH = 65_536;
/** The job summary limit is 1 MiB per step; characters ≤ bytes, so stay under in bytes with margin. */
export const SUMMARY_MAX_LENGTH = 1_000_000;

/** One SQL block never shows more than this; a 2 MB seed file is linked, not pasted. */
const SQL_BLOCK_MAX = 20_000;

interface Detail {
  /** Show the SQL of each file. */
  readonly sql: boolean;
  /** At most this many rows per list (plan, outcomes, problems). */
  readonly listLimit: number;
  /** Characters of applied SQL to show in all (the largest blocks are shortened first); no limit when absent. */
  readonly sqlBudget?: number;
}

const LEVELS: readonly Detail[] = [
  { sql: true, listLimit: Infinity },
  { sql: false, listLimit: Infinity },
  { sql: false, listLimit: 100 },
  { sql: false, listLimit: 20 },
];

export function renderMarkdown(report: RunReport, options: MarkdownOptions = {}): string {
  const max = options.maxLength ?? Infinity;
  const full = render(report, LEVELS[0]!, false);
  if (full.length <= max) return full;
  const { outcome } = report;
  if ((outcome.command === 'upgrade' || outcome.command === 'rollback') && outcome.outcomes.length > 0) {
    // The SQL that ran is worth keeping: shorten its largest blocks before dropping it.
    const sqlBudget = ranSqlLength(outcome, SQL_BLOCK_MAX) - (full.length - max) - 2_000;
    const text = sqlBudget > 0 ? render(report, { ...LEVELS[0]!, sqlBudget }, false) : undefined;
    if (text !== undefined && text.length <= max) return text;
  }
  for (const detail of LEVELS.slice(1)) {
    const text = render(report, detail, true);
    if (text.length <= max) return text;
  }
  // Still too long (thousands of problems with long messages): cut at a line, keep the note.
  const note = overflowNote(report.context);
  const body = render(report, LEVELS[LEVELS.length - 1]!, false);
  const room = Math.max(0, max - note.length - 2);
  const cut = body.lastIndexOf('\n', room);
  return `${body.slice(0, cut > 0 ? cut : room)}\n\n${note}`.slice(0, max);
}

function fileUrl(context: RunContext, relativePath: string, line?: number): string | undefined {
  if (context.blobBase === undefined) return undefined;
  const repoPath =
    context.directory === '.' || context.directory === ''
      ? relativePath
      : `${context.directory}/${relativePath}`;
  const encoded = repoPath.split('/').map(encodeURIComponent).join('/');
  return `${context.blobBase}${encoded}${line === undefined ? '' : `#L${line}`}`;
}

function fileLink(context: RunContext, relativePath: string, line?: number): string {
  const label = codeSpan(line === undefined ? relativePath : `${relativePath}:${line}`);
  const url = fileUrl(context, relativePath, line);
  return url === undefined ? label : `[${label}](${url})`;
}

const KIND_TITLES: Readonly<Record<ValidationProblem['kind'], string>> = {
  'invalid-filename': 'Invalid file name',
  'unreadable-file': 'Unreadable file',
  'filename-too-long': 'File name too long',
  'duplicate-version': 'Duplicate version',
  'checksum-mismatch': 'Checksum mismatch (drift)',
  'missing-file': 'Missing file',
  'missing-repeatable': 'Missing repeatable file',
  'out-of-order': 'Out of order',
  'unterminated-statement': 'Unterminated statement',
  'trailing-comment': 'Trailing comment',
};

const TYPE_NAMES: Readonly<Record<MigrationFile['type'], string>> = {
  VERSIONED: 'versioned',
  RUNS_ALWAYS: 'runs always',
  RUNS_ON_CHANGE: 'runs on change',
};

const ICONS: Readonly<Record<RunResult, string>> = {
  success: '✅',
  drift: '❌',
  invalid: '❌',
  failure: '❌',
  locked: '⏳',
  cancelled: '⚠️',
};

function titleOf(context: RunContext, result: RunResult): string {
  const parts = [`${ICONS[result]} Jetbase`, codeSpan(context.directory || '.')];
  if (context.environment !== '') parts.push(escapeText(context.environment));
  return `### ${parts.join(' · ')}`;
}

function contextLine(report: RunReport): string {
  const { context, outcome } = report;
  const parts = [`${codeSpan(context.command)} on ${escapeText(context.trigger)}`];
  if (outcome.command === 'offline-validate') parts.push('no database');
  else if (outcome.command !== 'error') parts.push(codeSpan(outcome.target));
  if (outcome.command === 'status') {
    const latest = outcome.plan.latest?.version;
    parts.push(
      outcome.tableExists
        ? `${plural(outcome.applied.length, 'history row')}, latest version ${latest ?? 'none'}`
        : 'no history table yet',
    );
  }
  if (outcome.command !== 'error') parts.push(formatDuration(outcome.durationMs));
  return `<sub>${parts.join(' · ')}</sub>`;
}

// ---------------------------------------------------------------------------------------------
// Sections

function limited<T>(items: readonly T[], detail: Detail): { shown: readonly T[]; hidden: number } {
  if (items.length <= detail.listLimit) return { shown: items, hidden: 0 };
  return { shown: items.slice(0, detail.listLimit), hidden: items.length - detail.listLimit };
}

function reasonOf(pending: PendingMigration): string {
  switch (pending.reason) {
    case 'pending':
      return 'pending';
    case 'always':
      return 'runs every upgrade';
    case 'new':
      return 'new';
    case 'changed':
      return 'changed since applied';
  }
}

function versionLabel(file: { type: MigrationFile['type']; version: string | null }): string {
  return file.version === null ? TYPE_NAMES[file.type] : `${TYPE_NAMES[file.type]} ${file.version}`;
}

function planSection(context: RunContext, plan: Plan, detail: Detail, heading: string): string[] {
  const order = executionOrder(plan);
  if (order.length === 0 && plan.skippedOutOfOrder.length === 0) return [];
  const lines = [
    `#### ${heading}`,
    '',
    '| # | File | Type | Statements | Why |',
    '| ---: | --- | --- | ---: | --- |',
  ];
  const { shown, hidden } = limited(order, detail);
  shown.forEach((p, i) => {
    const file = p.file;
    lines.push(
      `| ${i + 1} | ${fileLink(context, file.relativePath)} | ${versionLabel(file)} | ${file.upgradeStatements.length} | ${reasonOf(p)} |`,
    );
  });
  if (hidden > 0) lines.push(`| | … ${plural(hidden, 'more file')} | | | |`);
  for (const file of plan.skippedOutOfOrder) {
    lines.push(
      `| – | ${fileLink(context, file.relativePath)} | ${versionLabel(file)} | ${file.upgradeStatements.length} | skipped: out of order |`,
    );
  }
  lines.push('');
  if (detail.sql) lines.push(...sqlBlocks(shown.map((p) => p.file)));
  return lines;
}

/** A collapsible block with a file's statements, each with the file's own terminator. */
function sqlBlock(
  relativePath: string,
  statements: readonly string[],
  terminator: string,
  total = statements.length,
): string[] {
  let text = statements.map((sql) => `${sql}${terminator}`).join('\n\n');
  if (text.length > SQL_BLOCK_MAX) {
    text = `${text.slice(0, SQL_BLOCK_MAX)}\n-- … ${text.length - SQL_BLOCK_MAX} more characters: see the file`;
  }
  return [
    `<details><summary>SQL of <code>${escapeHtml(relativePath)}</code> (${plural(total, 'statement')})</summary>`,
    '',
    fencedBlock(text, 'sql'),
    '',
    '</details>',
    '',
  ];
}

function sqlBlocks(files: readonly MigrationFile[]): string[] {
  return files.flatMap((file) => {
    const parsed = parseSqlFile(file.text, 'preview');
    return sqlBlock(
      file.relativePath,
      parsed.upgrade.statements.map((s) => s.sql),
      parsed.delimiter,
    );
  });
}

function previewSection(
  context: RunContext,
  report: UpgradeReport | RollbackReport,
  detail: Detail,
): string[] {
  if (report.preview.length === 0) return [];
  const heading = report.command === 'upgrade' ? 'Would run' : 'Would roll back';
  const lines = [`#### ${heading}`, '', '| # | File | Type | Statements |', '| ---: | --- | --- | ---: |'];
  const { shown, hidden } = limited(report.preview, detail);
  shown.forEach((entry, i) => {
    lines.push(
      `| ${i + 1} | ${fileLink(context, entry.relativePath)} | ${versionLabel(entry)} | ${entry.statements.length} |`,
    );
  });
  if (hidden > 0) lines.push(`| | … ${plural(hidden, 'more file')} | | |`);
  lines.push('');
  if (detail.sql) {
    for (const entry of shown) lines.push(...sqlBlock(entry.relativePath, entry.statements, entry.delimiter));
  }
  return lines;
}

const STATUS_WORDS: Readonly<Record<MigrationOutcome['status'], string>> = {
  applied: '✅ applied',
  'rolled-back': '↩️ rolled back',
  failed: '❌ failed',
};

function outcomesSection(
  context: RunContext,
  report: UpgradeReport | RollbackReport,
  detail: Detail,
): string[] {
  const notRun =
    report.command === 'upgrade' && !report.ok && report.outcomes.length > 0
      ? executionOrder(report.plan).filter(
          (p) => !report.outcomes.some((o) => o.relativePath === p.file.relativePath),
        )
      : [];
  if (report.outcomes.length === 0) return [];
  const heading = report.command === 'upgrade' ? 'Applied' : 'Rolled back';
  const lines = [
    `#### ${heading}`,
    '',
    '| # | File | Type | Result | Statements | Time |',
    '| ---: | --- | --- | --- | ---: | ---: |',
  ];
  const { shown, hidden } = limited(report.outcomes, detail);
  shown.forEach((o, i) => {
    lines.push(
      `| ${i + 1} | ${fileLink(context, o.relativePath)} | ${versionLabel(o)} | ${STATUS_WORDS[o.status]} | ${o.statements.length} | ${formatDuration(o.durationMs)} |`,
    );
  });
  if (hidden > 0) lines.push(`| | … ${plural(hidden, 'more file')} | | | | |`);
  for (const p of notRun.slice(0, detail.listLimit)) {
    lines.push(
      `| – | ${fileLink(context, p.file.relativePath)} | ${versionLabel(p.file)} | not run | ${p.file.upgradeStatements.length} | |`,
    );
  }
  const total = report.outcomes.reduce((sum, o) => sum + o.durationMs, 0);
  lines.push(
    '',
    `Migrations took ${formatDuration(total)}${report.lockWaitMs ? `; waited ${formatDuration(report.lockWaitMs)} for the lock` : ''}.`,
    '',
  );
  if (detail.sql) {
    const ran = ranSql(report, detail.sqlBudget);
    if (ran.some((r) => r.shortened))
      lines.push(
        "The largest SQL blocks were shortened to fit GitHub's size limit; the files have it all.",
        '',
      );
    for (const r of ran) lines.push(...sqlBlock(r.relativePath, r.statements, r.terminator, r.total));
  }
  return lines;
}

function fixCommand(context: RunContext, fix: string): string {
  if (context.directory === 'jetbase' || !fix.startsWith('jetbase ')) return fix;
  return `jetbase --dir ${context.directory} ${fix.slice('jetbase '.length)}`;
}

function problemsSection(
  context: RunContext,
  problems: readonly ValidationProblem[],
  detail: Detail,
): string[] {
  if (problems.length === 0) return [];
  const { errors, warnings } = countErrors(problems);
  const counts = [errors > 0 ? plural(errors, 'error') : '', warnings > 0 ? plural(warnings, 'warning') : '']
    .filter(Boolean)
    .join(', ');
  const lines = [`#### Problems: ${counts}`, ''];
  // Errors first, each group in the engine's order (files in version order).
  const sorted = [
    ...problems.filter((p) => p.severity === 'error'),
    ...problems.filter((p) => p.severity === 'warning'),
  ];
  const { shown, hidden } = limited(sorted, detail);
  for (const problem of shown) {
    const icon = problem.severity === 'error' ? '❌' : '⚠️';
    const where =
      problem.file !== undefined
        ? ` in ${fileLink(context, problem.file, problem.line)}`
        : problem.version !== undefined
          ? ` (version ${escapeText(problem.version)})`
          : '';
    lines.push(`- ${icon} **${KIND_TITLES[problem.kind]}**${where}: ${escapeText(problem.message)}`);
    if (problem.fix !== undefined) lines.push(`  Fix: ${codeSpan(fixCommand(context, problem.fix))}`);
  }
  if (hidden > 0)
    lines.push(`- … and ${plural(hidden, 'more problem')} (see the job summary or the step log)`);
  lines.push('');
  return lines;
}

function errorSection(message: string, hint: string | undefined): string[] {
  const lines = ['#### Error', '', fencedBlock(message, 'text'), ''];
  if (hint) lines.push(escapeText(hint), '');
  return lines;
}

function offlineSection(report: OfflineReport): string[] {
  const lines = ['#### Checked without a database', ''];
  lines.push('- File names, duplicate versions and SQL parsing (unterminated statements).');
  if (report.baseBranch.checked) {
    lines.push(
      `- Order against the ${plural(report.baseBranch.files, 'migration file')} on ${codeSpan(report.baseBranch.ref)}.`,
    );
  } else {
    lines.push(`- Order against the base branch: **not checked** (${escapeText(report.baseBranch.reason)}).`);
  }
  lines.push('', '**Not checked** (needs the database):');
  for (const item of report.notChecked) lines.push(`- ${escapeText(item)}`);
  lines.push('');
  return lines;
}

function overflowNote(context: RunContext): string {
  const where = context.runUrl === undefined ? 'the job summary' : `the [job summary](${context.runUrl})`;
  return `> [!NOTE]\n> This report was shortened to fit. The full report, SQL included, is in ${where}.`;
}

function render(report: RunReport, detail: Detail, shortened: boolean): string {
  const { context, outcome } = report;
  const result = resultWithLint(report);
  const lines: string[] = [
    titleOf(context, resultWithVerify(result, report.verify)),
    '',
    `**${verdictMarkdown(verdictOf(report))}**`,
    '',
    contextLine(report),
    '',
    ...planHashLines(context),
    ...planCheckLines(context),
  ];
  // What the SQL would do comes before the plan: it is what a reviewer must read first.
  lines.push(
    ...risksSection(report.lint, {
      link: (file, line) => fileLink(context, file, line),
      listLimit: detail.listLimit,
      sql: detail.sql,
    }),
  );
  switch (outcome.command) {
    case 'error':
      if (outcome.problems) lines.push(...problemsSection(context, outcome.problems, detail));
      else lines.push(...errorSection(outcome.message, outcome.hint));
      break;
    case 'status':
      lines.push(...planSection(context, outcome.plan, detail, 'Would run'));
      lines.push(...problemsSection(context, outcome.problems, detail));
      break;
    case 'offline-validate':
      lines.push(
        ...planSection(
          context,
          outcome.plan,
          detail,
          outcome.baseBranch.checked ? `New since ${outcome.baseBranch.ref}` : 'Migration files',
        ),
      );
      lines.push(...problemsSection(context, outcome.problems, detail));
      lines.push(...offlineSection(outcome));
      break;
    case 'upgrade':
      lines.push(...outcomesSection(context, outcome, detail));
      lines.push(...previewSection(context, outcome, detail));
      lines.push(...problemsSection(context, outcome.plan.problems, detail));
      if (
        outcome.error &&
        outcome.error.code !== 'VALIDATION' &&
        outcome.error.code !== 'DUPLICATE_VERSION' &&
        !(outcome.error.code === 'PLAN_NOT_REVIEWED' && context.planCheck !== undefined)
      ) {
        lines.push(...errorSection(outcome.error.message, outcome.error.hint));
      }
      break;
    case 'rollback':
      lines.push(...outcomesSection(context, outcome, detail));
      lines.push(...previewSection(context, outcome, detail));
      if (outcome.error) lines.push(...errorSection(outcome.error.message, outcome.error.hint));
      break;
  }
  if (detail.sql) lines.push(...driftLines(context));
  if (report.verify !== undefined) {
    const link = (relativePath: string, line?: number) => fileLink(context, relativePath, line);
    lines.push(...verifySection(report.verify, { link, sql: detail.sql, listLimit: detail.listLimit }));
  }
  if (shortened) lines.push(overflowNote(context), '');
  // Collapse runs of empty lines between sections (never inside a fenced block: those are one entry).
  const compact = lines.filter((line, i) => line !== '' || (i > 0 && lines[i - 1] !== ''));
  return `${compact.join('\n').trimEnd()}\n`;
}
